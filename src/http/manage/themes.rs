//! The codebook and coding in the browser: a campaign's themes as a tree (and, for admins, the
//! global codebook campaigns copy from), creating, editing and merging themes, rules with a
//! preview of what they would change before anything is saved, import and export, tags on the
//! story page, bulk tagging from search results, and a coding queue that serves one story at a
//! time. Every handler starts with `SignedIn` and a permission check; themes and stories are
//! only touched when they belong to the campaign in the URL, so ids of other campaigns answer
//! "not found". Pages work without JavaScript; `builder.js` adds the queue's keyboard.

mod codebook;
mod coding;
pub(crate) mod outcome;
mod tags;
mod view;

pub(crate) use tags::{TagsSection, tags_section};

use crate::auth::policy::{Denied, Permission};
use crate::domain::theme::Theme;
use crate::domain::{Campaign, Lang, Story};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::error::{Error, ResultExt};
use crate::http::routes::Routes;
use crate::store::StoreError;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use time::OffsetDateTime;
use time::macros::format_description;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/themes", codebook::campaign_page)
        .post("/manage/campaigns/{slug}/themes", codebook::campaign_create)
        .get("/manage/campaigns/{slug}/themes/export", codebook::campaign_export)
        .post("/manage/campaigns/{slug}/themes/import", codebook::campaign_import)
        .post("/manage/campaigns/{slug}/themes/merge", codebook::campaign_merge)
        .post("/manage/campaigns/{slug}/themes/copy", codebook::campaign_copy)
        .get("/manage/campaigns/{slug}/themes/{theme_id}", codebook::campaign_theme_page)
        .post("/manage/campaigns/{slug}/themes/{theme_id}", codebook::campaign_theme_save)
        .post("/manage/campaigns/{slug}/themes/{theme_id}/rule", codebook::campaign_theme_rule)
        .get("/manage/codebook", codebook::global_page)
        .post("/manage/codebook", codebook::global_create)
        .get("/manage/codebook/export", codebook::global_export)
        .post("/manage/codebook/import", codebook::global_import)
        .post("/manage/codebook/merge", codebook::global_merge)
        .get("/manage/codebook/{theme_id}", codebook::global_theme_page)
        .post("/manage/codebook/{theme_id}", codebook::global_theme_save)
        .post("/manage/codebook/{theme_id}/rule", codebook::global_theme_rule)
        .post("/manage/campaigns/{slug}/stories/{id}/tags", tags::change)
        .post("/manage/campaigns/{slug}/tags/bulk", tags::bulk)
        .get("/manage/campaigns/{slug}/coding", coding::queue)
}

/// A handler's answer is a page either way: the one asked for, or a refusal or error page.
type Reply = Result<Response, Response>;

trait OrPage<T> {
    /// Turns a store or domain error into its (Dutch) error page.
    fn or_page(self) -> Result<T, Response>;
}

impl<T, E: Into<Error>> OrPage<T> for Result<T, E> {
    fn or_page(self) -> Result<T, Response> {
        self.html(Lang::Nl).map_err(IntoResponse::into_response)
    }
}

/// Which codebook a page is about: a campaign's, or the global one campaigns copy from.
enum Scope {
    Campaign(Box<Campaign>),
    Global,
}

impl Scope {
    fn campaign_id(&self) -> Option<&str> {
        match self {
            Scope::Campaign(c) => Some(&c.id),
            Scope::Global => None,
        }
    }

    fn campaign(&self) -> Option<&Campaign> {
        match self {
            Scope::Campaign(c) => Some(c.as_ref()),
            Scope::Global => None,
        }
    }

    /// Where the codebook page of this scope lives.
    fn base(&self) -> String {
        match self {
            Scope::Campaign(c) => format!("/manage/campaigns/{}/themes", c.slug()),
            Scope::Global => "/manage/codebook".into(),
        }
    }

    fn title(&self) -> String {
        match self {
            Scope::Campaign(c) => c.def.title.get(Lang::Nl).to_string(),
            Scope::Global => "Algemeen codeboek".into(),
        }
    }
}

/// The campaign named in the URL, if it exists and the viewer may do `wants` with it. Steering
/// is refused before anything is looked up; an unknown slug and a campaign a facilitator is not
/// a member of look the same.
async fn campaign_for(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    wants: fn(&str) -> Permission<'_>,
) -> Result<Campaign, Response> {
    signed.require(Permission::UseWorkspace)?;
    let campaign = match state.store.campaign_by_slug(slug).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).html(Lang::Nl).into_response()),
    };
    signed.require(wants(&campaign.id))?;
    Ok(campaign)
}

/// The theme, only if it belongs to this codebook; anything else is "not found".
async fn theme_in(state: &AppState, scope: &Scope, id: &str) -> Result<Theme, Response> {
    match state.store.theme(id).await {
        Ok(t) if t.campaign_id.as_deref() == scope.campaign_id() => Ok(t),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).html(Lang::Nl).into_response()),
    }
}

/// The story, only if it belongs to `campaign`, so ids of other campaigns cannot be probed.
async fn story_in(state: &AppState, campaign: &Campaign, id: &str) -> Result<Story, Response> {
    match state.store.story(id).await {
        Ok(story) if story.campaign_id == campaign.id => Ok(story),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).html(Lang::Nl).into_response()),
    }
}

fn story_href(slug: &str, id: &str) -> String {
    format!("/manage/campaigns/{slug}/stories/{id}")
}

fn coding_href(slug: &str) -> String {
    format!("/manage/campaigns/{slug}/coding")
}

fn date_time(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{} UTC",
        utc.format(format_description!("[day]-[month]-[year] [hour]:[minute]")).unwrap_or_default()
    )
}

/// Names of the people behind tags, looked up once per page.
#[derive(Default)]
struct People(HashMap<String, String>);

impl People {
    async fn name(&mut self, state: &AppState, id: Option<&str>) -> String {
        let Some(id) = id else { return "—".into() };
        if let Some(n) = self.0.get(id) {
            return n.clone();
        }
        let name = match state.store.user(id).await {
            Ok(u) => u.name,
            Err(_) => "onbekend account".into(),
        };
        self.0.insert(id.to_string(), name.clone());
        name
    }
}

/// A theme in a select list: name indented by its depth, so the tree stays readable.
pub struct ThemeOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn theme_options(
    themes: &[Theme],
    selected: &str,
    except: &std::collections::HashSet<String>,
) -> Vec<ThemeOption> {
    view::tree_order(themes)
        .into_iter()
        .filter(|(t, _)| !except.contains(&t.id))
        .map(|(t, depth)| ThemeOption {
            value: t.id.clone(),
            label: format!("{}{}", "— ".repeat(depth), t.name),
            selected: t.id == selected,
        })
        .collect()
}
