//! The coding queue: one story at a time, first those with open model suggestions (highest
//! confidence first), then those without any tag. Each suggestion is numbered so it can be
//! decided with one key; every decision is a small form post that comes back here (Post,
//! Redirect, Get). The position lives in the URL (`?story=` the one being coded, `?after=` the
//! one just left), never on the server, so back, reload and two tabs all behave.

use super::tags::{TagsSection, effective_label, tags_section_except, words};
use super::view::{self, Queue, percent};
use super::{OrPage, Reply, campaign_for, coding_href, story_href, story_in};
use crate::auth::policy::Permission;
use crate::domain::theme::{TagSource, effective_state};
use crate::domain::{Campaign, Lang, Story};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::manage::stories::view::{Paragraph, paragraphs};
use crate::http::views::{Page, render};
use crate::store::StoryCursor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::collections::{HashMap, HashSet};
use time::macros::format_description;

/// Suggestions a story shows, numbered for the keys 1–9.
const MAX_SUGGESTIONS: usize = 9;
/// Stories read per step while looking for one without a tag.
const SCAN_PAGE: i64 = 500;

/// A numbered model suggestion on the current story.
pub struct SuggestionView {
    pub n: usize,
    pub theme_id: String,
    pub name: String,
    pub colour: String,
    pub confidence: String,
    pub words: Vec<String>,
    /// What the story's tags of this theme add up to now.
    pub decision: &'static str,
    pub decision_code: &'static str,
    pub may_accept: bool,
    pub may_reject: bool,
}

/// The story being coded, with its suggestions and tags.
pub struct CodingStory {
    pub id: String,
    pub href: String,
    pub heading: String,
    pub meta: String,
    pub paragraphs: Vec<Paragraph>,
    pub suggestions: Vec<SuggestionView>,
    pub tags: TagsSection,
    pub next_href: String,
    /// The campaign's Leefwereldtoets assumptions and how this story bears on each.
    pub assumptions: Vec<crate::toets::StoryAssumption>,
}

/// The coding queue page.
#[derive(Template)]
#[template(path = "manage/coding_queue.html")]
pub struct CodingPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub story: Option<CodingStory>,
    /// Stories with open suggestions, and stories without any tag.
    pub with_suggestions: usize,
    /// Open suggestions over all stories.
    pub open_suggestions: usize,
    pub without_tags: i64,
    /// The queue was left part-way (`after`): offer to start again at the top.
    pub restart: bool,
}

/// Where in the queue a page is.
#[derive(Debug, Clone, Copy)]
pub enum Position<'a> {
    /// The top of the queue.
    Start,
    /// This story (the one being coded).
    Story(&'a str),
    /// The story after this one.
    After(&'a str),
}

/// The first story without any tag, after `cursor` in (created, id) order.
async fn first_untagged(
    state: &AppState,
    campaign: &Campaign,
    tagged: &HashSet<&str>,
    mut cursor: Option<StoryCursor>,
) -> Result<Option<Story>, axum::response::Response> {
    loop {
        let page = state.store.stories_page(&campaign.id, cursor.as_ref(), SCAN_PAGE).await.or_page()?;
        let Some(last) = page.last() else { return Ok(None) };
        cursor = Some(StoryCursor { created_at: last.created_at, id: last.id.clone() });
        if let Some(s) = page.into_iter().find(|s| !tagged.contains(s.id.as_str())) {
            return Ok(Some(s));
        }
    }
}

fn story_meta(story: &Story) -> String {
    let date = story.created_at.format(format_description!("[day]-[month]-[year]")).unwrap_or_default();
    let age = story.age_band.map(|a| a.label(Lang::Nl)).unwrap_or("leeftijd onbekend");
    format!("{} · {age} · {date}", story.perspective.noun(Lang::Nl))
}

pub(super) async fn queue_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    at: Position<'_>,
    error: Option<String>,
    status: StatusCode,
) -> Reply {
    let slug = campaign.slug().to_string();
    let themes = state.store.themes(Some(&campaign.id)).await.or_page()?;
    let live: HashSet<String> =
        themes.iter().filter(|t| t.merged_into.is_none()).map(|t| t.id.clone()).collect();
    let tags = state.store.tags_for_campaign(&campaign.id).await.or_page()?;
    let queue = Queue::new(&tags, &live);
    let tagged = view::tagged_stories(&tags);
    let total = state.store.count_stories(&campaign.id).await.or_page()?;
    let current = match at {
        Position::Story(id) => Some(story_in(state, campaign, id).await?),
        Position::Start => match queue.first() {
            Some(id) => Some(story_in(state, campaign, id).await?),
            None => first_untagged(state, campaign, &tagged, None).await?,
        },
        Position::After(id) => {
            let left = story_in(state, campaign, id).await?;
            if queue.knows(&left.id) {
                match queue.after(&left.id) {
                    Some(next) => Some(story_in(state, campaign, next).await?),
                    None => first_untagged(state, campaign, &tagged, None).await?,
                }
            } else {
                let cursor = StoryCursor { created_at: left.created_at, id: left.id.clone() };
                first_untagged(state, campaign, &tagged, Some(cursor)).await?
            }
        }
    };
    let story = match current {
        None => None,
        Some(s) => {
            let mine: Vec<_> = tags.iter().filter(|t| t.story_id == s.id).cloned().collect();
            let by_id: HashMap<&str, &crate::domain::theme::Theme> =
                themes.iter().map(|t| (t.id.as_str(), t)).collect();
            let mut model: Vec<_> =
                mine.iter().filter(|t| t.source == TagSource::Model && live.contains(&t.theme_id)).collect();
            model.sort_by(|a, b| {
                b.confidence
                    .unwrap_or(0.0)
                    .total_cmp(&a.confidence.unwrap_or(0.0))
                    .then(a.theme_id.cmp(&b.theme_id))
            });
            let listed: Vec<_> = model.into_iter().take(MAX_SUGGESTIONS).collect();
            // The tag table below leaves out what the list already shows, so nothing shows twice.
            let in_list: HashSet<String> = listed.iter().map(|t| t.theme_id.clone()).collect();
            let suggestions = listed
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let same: Vec<_> = mine.iter().filter(|x| x.theme_id == t.theme_id).collect();
                    let effective = effective_state(&same);
                    let (decision, decision_code) = effective_label(effective);
                    let theme = by_id.get(t.theme_id.as_str());
                    SuggestionView {
                        n: i + 1,
                        theme_id: t.theme_id.clone(),
                        name: theme.map(|t| t.name.clone()).unwrap_or_default(),
                        colour: theme
                            .map(|t| t.colour.clone())
                            .unwrap_or_else(crate::domain::theme::default_colour),
                        confidence: t.confidence.map(percent).unwrap_or_else(|| "—".into()),
                        words: words(t),
                        decision,
                        decision_code,
                        may_accept: effective != Some(crate::domain::theme::TagState::Accepted),
                        may_reject: effective != Some(crate::domain::theme::TagState::Rejected),
                    }
                })
                .collect();
            let assumptions = if signed.0.may(Permission::ManageActions(&campaign.id)) {
                crate::toets::for_story(&state.store, &campaign.id, &s.id)
                    .await
                    .map_err(crate::http::actions::fail)?
            } else {
                Vec::new()
            };
            Some(CodingStory {
                assumptions,
                href: story_href(&slug, &s.id),
                heading: s.title.clone().unwrap_or_else(|| "Verhaal zonder titel".into()),
                meta: story_meta(&s),
                paragraphs: paragraphs(&s.text, &s.safeguarding),
                suggestions,
                tags: tags_section_except(state, campaign, &s, error, "coding", &in_list).await?,
                next_href: format!("{}?after={}", coding_href(&slug), s.id),
                id: s.id,
            })
        }
    };
    let tpl = CodingPage {
        page: Page::new(Lang::Nl, "Coderen").signed_in(&signed.0, csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        story,
        with_suggestions: queue.len(),
        open_suggestions: queue.open(),
        without_tags: (total - tagged.len() as i64).max(0),
        restart: matches!(at, Position::After(_)),
        slug,
    };
    Ok(render(status, tpl.page.private, &tpl))
}

/// `GET /manage/campaigns/{slug}/coding[?story=ID | ?after=ID]`.
pub async fn queue(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let at = match (q.get("story").filter(|s| !s.is_empty()), q.get("after").filter(|s| !s.is_empty())) {
        (Some(id), _) => Position::Story(id),
        (None, Some(id)) => Position::After(id),
        _ => Position::Start,
    };
    queue_page(&state, &signed, &csrf, &campaign, at, None, StatusCode::OK).await
}
