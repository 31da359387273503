//! Tags on one story and on many: the "Thema's" section of the story page (every tag with its
//! provenance, the buttons to decide on it, its history), the post that changes a story's tags,
//! and bulk tagging of search results. A person's decision is always a tag of its own, written
//! through `Store::set_tags` or `remove_tag`, which keep the history and reindex the story.

use super::view::{self, percent};
use super::{
    OrPage, People, Reply, ThemeOption, campaign_for, coding, coding_href, date_time, story_href, story_in,
};
use crate::auth::policy::{Denied, Permission};
use crate::domain::theme::{Tag, TagSource, TagState, Theme, effective_state};
use crate::domain::{Campaign, Lang, Story};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ErrorKind};
use crate::http::form::FormValues;
use crate::http::manage::themes::outcome::OrChangePage;
use crate::http::views::{MessagePage, Page, render};
use crate::tagging::coding::Action;
use crate::tagging::{self, TaggingError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Words of a model explanation shown with a suggestion.
const WORDS: usize = 8;

/// A button that decides on a tag: posts `action` (and `source`, for removing).
pub struct TagButton {
    pub action: &'static str,
    pub source: &'static str,
    pub label: &'static str,
    pub primary: bool,
}

/// One tag of a story, from one source.
pub struct TagRowView {
    pub source: &'static str,
    pub source_code: &'static str,
    pub state: &'static str,
    pub state_code: &'static str,
    pub confidence: Option<String>,
    pub who: String,
    pub at: String,
    /// For model suggestions: the words that drove it.
    pub words: Vec<String>,
    /// A rule tag that a person's rejection sets aside.
    pub overridden: bool,
    pub buttons: Vec<TagButton>,
}

/// A story's tags of one theme, with what they add up to.
pub struct TagGroupView {
    pub theme_id: String,
    pub name: String,
    pub colour: String,
    pub effective: &'static str,
    pub effective_code: &'static str,
    pub rows: Vec<TagRowView>,
}

/// One line of a story's tag history.
pub struct HistoryView {
    pub at: String,
    pub theme: String,
    pub source: &'static str,
    pub what: String,
    pub by: String,
    pub confidence: Option<String>,
}

/// The "Thema's" section of the story page and the coding queue.
pub struct TagsSection {
    pub slug: String,
    pub story_id: String,
    pub groups: Vec<TagGroupView>,
    pub history: Vec<HistoryView>,
    /// Themes a person can add.
    pub themes: Vec<ThemeOption>,
    /// A problem with the last post, shown next to the theme list.
    pub error: Option<String>,
    pub codebook_href: String,
    pub coding_href: String,
    /// Where the forms lead back to: `story` or `coding`.
    pub back: &'static str,
    /// Some of the story's suggestions are shown elsewhere on the page (the coding queue's list).
    pub listed_elsewhere: bool,
}

/// What a story's tags of one theme add up to, in words.
pub fn effective_label(state: Option<TagState>) -> (&'static str, &'static str) {
    match state {
        Some(TagState::Accepted) => ("telt mee", "accepted"),
        Some(TagState::Suggested) => ("voorstel", "suggested"),
        Some(TagState::Rejected) => ("afgewezen", "rejected"),
        None => ("geen", "none"),
    }
}

fn buttons(tag: &Tag, rejected_by_person: bool) -> Vec<TagButton> {
    let b = |action, label, primary| TagButton { action, source: "", label, primary };
    match (tag.source, tag.state) {
        (TagSource::Model, TagState::Suggested) => {
            vec![b("accept", "Accepteren", true), b("reject", "Afwijzen", false)]
        }
        (TagSource::Model, TagState::Accepted) => vec![b("reject", "Toch afwijzen", false)],
        (TagSource::Model, TagState::Rejected) => vec![b("accept", "Toch accepteren", false)],
        (TagSource::Rule, _) if rejected_by_person => Vec::new(),
        (TagSource::Rule, _) => vec![b("reject", "Afwijzen (gaat boven de regel)", false)],
        (TagSource::Manual, TagState::Rejected) => {
            vec![TagButton {
                action: "remove",
                source: "manual",
                label: "Afwijzing intrekken",
                primary: false,
            }]
        }
        (TagSource::Manual, _) => {
            vec![TagButton { action: "remove", source: "manual", label: "Weghalen", primary: false }]
        }
    }
}

fn who(tag_source: TagSource, name: String, by_user: Option<&str>) -> String {
    match (by_user, tag_source) {
        (Some(_), _) => name,
        (None, TagSource::Rule) => "regel".into(),
        (None, TagSource::Model) => "model".into(),
        (None, TagSource::Manual) => "—".into(),
    }
}

/// Explanation words, strongest first.
pub fn words(tag: &Tag) -> Vec<String> {
    let mut list = tag.explanation.clone().unwrap_or_default();
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    list.into_iter().take(WORDS).map(|(w, _)| w).collect()
}

/// Builds the "Thema's" section for a story of `campaign`.
pub(crate) async fn tags_section(
    state: &AppState,
    campaign: &Campaign,
    story: &Story,
    error: Option<String>,
    back: &'static str,
) -> Result<TagsSection, Response> {
    tags_section_except(state, campaign, story, error, back, &HashSet::new()).await
}

/// The section without the model's rows of the themes in `listed` (the coding queue lists
/// those suggestions above it, with their own buttons).
pub(crate) async fn tags_section_except(
    state: &AppState,
    campaign: &Campaign,
    story: &Story,
    error: Option<String>,
    back: &'static str,
    listed: &HashSet<String>,
) -> Result<TagsSection, Response> {
    let themes = state.store.themes(Some(&campaign.id)).await.or_page()?;
    let tags = state.store.tags_for_story(&story.id).await.or_page()?;
    let history = state.store.tag_history(&story.id).await.or_page()?;
    let by_id: HashMap<&str, &Theme> = themes.iter().map(|t| (t.id.as_str(), t)).collect();
    let name_of = |id: &str| -> String {
        match by_id.get(id) {
            Some(t) => match t.merged_into.as_deref().and_then(|m| by_id.get(m)) {
                Some(into) => format!("{} (samengevoegd met {})", t.name, into.name),
                None => t.name.clone(),
            },
            None => "verwijderd thema".into(),
        }
    };
    // Themes in codebook order, then any left (merged away, or from elsewhere).
    let order: HashMap<&str, usize> =
        view::tree_order(&themes).iter().enumerate().map(|(i, (t, _))| (t.id.as_str(), i)).collect();
    let mut by_theme: BTreeMap<(usize, String), Vec<&Tag>> = BTreeMap::new();
    for t in &tags {
        let pos = order.get(t.theme_id.as_str()).copied().unwrap_or(usize::MAX);
        by_theme.entry((pos, t.theme_id.clone())).or_default().push(t);
    }
    let mut people = People::default();
    let mut groups = Vec::new();
    for ((_, theme_id), mut list) in by_theme {
        list.sort_by_key(|t| t.source);
        let rejected_by_person =
            list.iter().any(|t| t.source != TagSource::Model && t.state == TagState::Rejected);
        let (effective, effective_code) = effective_label(effective_state(&list));
        let mut rows = Vec::new();
        for t in list {
            if t.source == TagSource::Model && listed.contains(&t.theme_id) {
                continue;
            }
            let name = people.name(state, t.by_user.as_deref()).await;
            rows.push(TagRowView {
                source: t.source.label(),
                source_code: t.source.as_str(),
                state: t.state.label(),
                state_code: t.state.as_str(),
                confidence: t.confidence.map(percent),
                who: who(t.source, name, t.by_user.as_deref()),
                at: date_time(t.at),
                words: words(t),
                overridden: t.source == TagSource::Rule && rejected_by_person,
                buttons: buttons(t, rejected_by_person),
            });
        }
        if rows.is_empty() {
            continue;
        }
        groups.push(TagGroupView {
            name: name_of(&theme_id),
            colour: by_id
                .get(theme_id.as_str())
                .map(|t| t.colour.clone())
                .unwrap_or_else(crate::domain::theme::default_colour),
            theme_id,
            effective,
            effective_code,
            rows,
        });
    }
    let mut lines = Vec::new();
    for h in history.iter().rev() {
        let what = match (h.action.as_str(), h.state) {
            ("set", Some(s)) => s.label().to_string(),
            ("removed", _) => "weggehaald".into(),
            ("moved", _) => "verplaatst bij samenvoegen".into(),
            (other, _) => other.to_string(),
        };
        let name = people.name(state, h.by_user.as_deref()).await;
        lines.push(HistoryView {
            at: date_time(h.at),
            theme: name_of(&h.theme_id),
            source: h.source.label(),
            what,
            by: who(h.source, name, h.by_user.as_deref()),
            confidence: h.confidence.map(percent),
        });
    }
    let slug = campaign.slug().to_string();
    Ok(TagsSection {
        story_id: story.id.clone(),
        groups,
        history: lines,
        themes: super::theme_options(&themes, "", &HashSet::new()),
        error,
        codebook_href: format!("/manage/campaigns/{slug}/themes"),
        coding_href: coding_href(&slug),
        back,
        listed_elsewhere: tags.iter().any(|t| t.source == TagSource::Model && listed.contains(&t.theme_id)),
        slug,
    })
}

// ---------------------------------------------------------------------------------------------
// Changing a story's tags

fn form_values(body: &Bytes) -> FormValues {
    FormValues(serde_urlencoded::from_bytes(body).unwrap_or_default())
}

/// The theme, if it is a live theme of this campaign.
async fn live_theme(state: &AppState, campaign: &Campaign, id: &str) -> Result<Option<Theme>, Response> {
    if id.is_empty() {
        return Ok(None);
    }
    match state.store.theme(id).await {
        Ok(t) if t.campaign_id.as_deref() == Some(campaign.id.as_str()) && t.merged_into.is_none() => {
            Ok(Some(t))
        }
        Ok(_) | Err(crate::store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(Error::from(e).html(Lang::Nl).into_response()),
    }
}

/// `POST /manage/campaigns/{slug}/stories/{id}/tags`: add, accept, reject or remove a tag.
pub async fn change(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let story = story_in(&state, &campaign, &id).await?;
    let v = form_values(&body);
    let back_to_coding = v.get("back") == "coding";
    let Some(action) = Action::parse(v.get("action")) else {
        return Err(Error::new(ErrorKind::BadRequest(
            "Onbekende handeling: kies accepteren, afwijzen, toevoegen of weghalen.".into(),
        ))
        .into_response());
    };
    let Some(theme) = live_theme(&state, &campaign, v.get("theme").trim()).await? else {
        let error = "Kies een thema uit het codeboek van deze campagne.".to_string();
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return if back_to_coding {
            coding::queue_page(
                &state,
                &signed,
                &csrf,
                &campaign,
                coding::Position::Story(&story.id),
                Some(error),
                status,
            )
            .await
        } else {
            crate::http::manage::stories::story_page_with_tag_error(
                &state, &signed, &csrf, &campaign, &story, error,
            )
            .await
        };
    };
    tagging::coding::change(
        &state.store,
        &signed.actor(),
        &campaign.id,
        &story.id,
        &theme,
        action,
        state.clock.now(),
    )
    .await
    .or_change_page()?;
    tracing::info!(campaign = %campaign.slug(), story_id = %story.id, theme = %theme.id, action = ?action, "tag changed");
    let to = if back_to_coding {
        format!("{}?story={}", coding_href(&slug), story.id)
    } else {
        format!("{}#themas", story_href(&slug, &story.id))
    };
    Ok(Redirect::to(&to).into_response())
}

// ---------------------------------------------------------------------------------------------
// Bulk tagging from search results

fn bulk_refused(back: &str, text: &str) -> Response {
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        true,
        &MessagePage {
            page: Page::new(Lang::Nl, "Niet getagd"),
            heading: "Er is niets getagd".into(),
            text: text.into(),
            link: Some((back.into(), "Terug naar de zoekresultaten".into())),
        },
    )
}

/// The page that asks before a bulk change: how many stories get which theme, with confirm and
/// cancel (a plain form and a link, so it works without JavaScript).
#[derive(Template)]
#[template(path = "manage/bulk_confirm.html")]
pub struct BulkConfirmPage {
    pub page: Page,
    pub action: String,
    pub theme_id: String,
    pub theme_name: String,
    pub stories: Vec<String>,
    pub already: usize,
    pub query: String,
    pub back: String,
}

/// `POST /manage/campaigns/{slug}/tags/bulk`: tags the chosen stories with one theme, as a
/// person's tag, after a confirmation page (`step=confirm`). Every story must belong to the
/// campaign, or nothing is written.
pub async fn bulk(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let v = form_values(&body);
    // Back to the same search; rebuilt from its parts, so the redirect stays on this site.
    let (params, _) = crate::http::search::Params::parse(Some(v.get("query")));
    let query = crate::http::search::Params { page: params.page, ..params }.to_query();
    let back = if query.is_empty() { "/search".to_string() } else { format!("/search?{query}") };
    let ids = tagging::coding::distinct(&v.all("story"));
    let Some(theme) = live_theme(&state, &campaign, v.get("theme").trim()).await? else {
        let text = if ids.is_empty() {
            "Kies eerst een of meer verhalen met de vakjes bij de resultaten."
        } else {
            "Kies een thema uit het codeboek van deze campagne."
        };
        return Ok(bulk_refused(&back, text));
    };
    let plan = match tagging::coding::bulk_plan(&state.store, &campaign.id, theme, ids).await {
        Ok(plan) => plan,
        Err(TaggingError::Invalid(text)) => return Ok(bulk_refused(&back, &text)),
        // A story of another campaign (or one that is gone): nothing is tagged, and nothing is
        // said about which one, so ids cannot be probed.
        Err(TaggingError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(e).or_change_page(),
    };
    if v.get("step") != "confirm" {
        let tpl = BulkConfirmPage {
            page: Page::new(Lang::Nl, "Verhalen taggen").signed_in(&signed.0, &csrf),
            action: format!("/manage/campaigns/{slug}/tags/bulk"),
            theme_id: plan.theme.id.clone(),
            theme_name: plan.theme.name.clone(),
            already: plan.already,
            stories: plan.stories,
            query,
            back,
        };
        return Ok(render(StatusCode::OK, true, &tpl));
    }
    let tagged = tagging::coding::bulk(&state.store, &signed.actor(), &campaign.id, &plan, state.clock.now())
        .await
        .or_change_page()?;
    tracing::info!(campaign = %campaign.slug(), theme = %plan.theme.id, stories = tagged, "bulk tagged");
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}tagged={tagged}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn tag(source: TagSource, state: TagState) -> Tag {
        Tag {
            story_id: "s".into(),
            theme_id: "t".into(),
            source,
            state,
            confidence: Some(0.8),
            explanation: Some(vec![("wachtlijst".into(), 0.4), ("maanden".into(), 0.7)]),
            by_user: None,
            at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn explanation_words_come_strongest_first() {
        assert_eq!(words(&tag(TagSource::Model, TagState::Suggested)), ["maanden", "wachtlijst"]);
    }
}
