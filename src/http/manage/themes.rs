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

use crate::auth::policy::Denied;
use crate::domain::theme::Theme;
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::denied;
use crate::http::error::Error;
use crate::http::routes::Routes;
use crate::store::StoreError;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

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

// The shared helpers, under the names the submodules use.
pub(crate) use crate::http::page::{OrPage, Reply, campaign_for, date_time, story_in};

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

/// The theme, only if it belongs to this codebook; anything else is "not found".
async fn theme_in(state: &AppState, scope: &Scope, id: &str) -> Result<Theme, Response> {
    match state.store.theme(id).await {
        Ok(t) if t.campaign_id.as_deref() == scope.campaign_id() => Ok(t),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).into_response()),
    }
}

fn story_href(slug: &str, id: &str) -> String {
    format!("/manage/campaigns/{slug}/stories/{id}")
}

fn coding_href(slug: &str) -> String {
    format!("/manage/campaigns/{slug}/coding")
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
