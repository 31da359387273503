//! The helpers every workspace handler shares: the `Reply` type, turning errors into pages,
//! finding the campaign in the URL (with one answer for "does not exist" and "not yours"), the
//! story of a campaign, dates as the pages show them, and the posted form. One copy, so the
//! stories, themes, discovery and campaign pages cannot drift apart.

use crate::auth::policy::{Denied, Permission};
use crate::domain::{Campaign, Story};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::error::Error;
use crate::http::form::FormValues;
use crate::store::StoreError;
use axum::body::Bytes;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use time::macros::format_description;

/// A handler's answer is a page either way: the one asked for, or a refusal or error page.
pub type Reply = Result<Response, Response>;

pub trait OrPage<T> {
    /// Turns a store or domain error into its error page (in the language of the request, or
    /// JSON on `/api`: the error layer decides, see `error::decide`).
    fn or_page(self) -> Result<T, Response>;
}

impl<T, E: Into<Error>> OrPage<T> for Result<T, E> {
    fn or_page(self) -> Result<T, Response> {
        self.map_err(|e| e.into().into_response())
    }
}

/// The campaign named in the URL, if it exists and the viewer may do `wants` with it.
///
/// Whoever may not see the campaign gets the same answer whether it exists or not: a role that
/// is refused `wants` for every campaign (steering on workspace pages) is refused before anything
/// is looked up, and an unknown slug answers exactly like a campaign a facilitator is not a
/// member of.
pub async fn campaign_for(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    wants: fn(&str) -> Permission<'_>,
) -> Result<Campaign, Response> {
    // No campaign has an empty id: what the policy says for it holds for every campaign the
    // viewer is not a member of.
    if let Err(Denied::Forbidden) = signed.0.require(wants("")) {
        return Err(denied(Denied::Forbidden));
    }
    let campaign = match state.store.campaign_by_slug(slug).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).into_response()),
    };
    signed.require(wants(&campaign.id))?;
    Ok(campaign)
}

/// The story, only if it belongs to `campaign`. Anything else looks exactly like a story that
/// does not exist, so ids of other campaigns cannot be probed.
pub async fn story_in(state: &AppState, campaign: &Campaign, id: &str) -> Result<Story, Response> {
    match state.store.story(id).await {
        Ok(story) if story.campaign_id == campaign.id => Ok(story),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).into_response()),
    }
}

/// The posted fields. Read only after the permission check; a body that is not a form reads as
/// empty and gets the usual "fill this in" messages.
pub fn form(body: &Bytes) -> FormValues {
    FormValues(serde_urlencoded::from_bytes(body).unwrap_or_default())
}

/// A day as the pages show it: 31-01-2026.
pub fn date(t: OffsetDateTime) -> String {
    t.format(format_description!("[day]-[month]-[year]")).unwrap_or_default()
}

/// A moment as the pages show it, in UTC and saying so.
pub fn date_time(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{} UTC",
        utc.format(format_description!("[day]-[month]-[year] [hour]:[minute]")).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_in_utc() {
        let t = time::macros::datetime!(2026-01-31 10:05 +01:00);
        assert_eq!(date_time(t), "31-01-2026 09:05 UTC");
        assert_eq!(date(t), "31-01-2026");
    }
}
