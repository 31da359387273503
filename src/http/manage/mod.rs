//! The facilitator workspace under `/manage` (and the steering overview): campaigns and their
//! forms, reading stories, safeguarding follow-up. Every handler starts with `SignedIn` and a
//! `Permission` check from `auth::policy`.

pub mod agreement;
pub mod campaigns;
pub mod discovery;
pub mod stories;
pub mod themes;

use super::routes::Routes;

pub fn routes() -> Routes {
    campaigns::routes()
        .merge(stories::routes())
        .merge(themes::routes())
        .merge(discovery::routes())
        .merge(agreement::routes())
}
