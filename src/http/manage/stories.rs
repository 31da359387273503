//! Reading stories: per-campaign lists, the story page with the teller's answers drawn, deletion
//! with a reason, safeguarding follow-up, export downloads, and the steering overview (counts
//! only, small cells suppressed). Every handler looks up the campaign, checks a permission for
//! it, and only then loads a story, which must belong to that campaign: an id from another
//! campaign is "not found", whatever the URL says.

pub(crate) mod view;

use self::view::{Paragraph, Snippet, SvgLabel};
use crate::analysis::safeguarding::DangerKind;
use crate::analysis::suppression::{self, Cell, Total};
use crate::auth::policy::Permission;
use crate::campaigns::status_label;
use crate::campaigns::stories::{self, DELETE_REASONS, FieldProblems, FollowUpInput, StoryError, Withdrawal};
use crate::domain::safeguarding::{FollowUp, FollowUpAction};
use crate::domain::{
    AuditAction, AuditEntry, Campaign, Lang, Perspective, Signifier, SignifierKind, Story, StoryEventKind,
    region,
};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::routes::Routes;
use crate::http::views::{AnswerView, OptionView, Page, describe_answer, render};
use crate::store::{DynStore, StoryFilter};
use crate::transfer::export::{Format, export};
use askama::Template;
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use serde_json::json;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use time::macros::format_description;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/stories", list)
        .get("/manage/campaigns/{slug}/stories/{id}", show)
        .get("/manage/campaigns/{slug}/stories/{id}/delete", confirm_delete)
        .post("/manage/campaigns/{slug}/stories/{id}/delete", delete)
        .post("/manage/campaigns/{slug}/stories/{id}/follow-up", follow_up)
        .get("/manage/campaigns/{slug}/attention", attention)
        .get("/manage/campaigns/{slug}/export", download)
        .get("/overview", overview)
}

/// Stories per page of the list.
const PAGE_SIZE: i64 = 25;
/// Characters of a story shown in a list row when it has no title.
const EXCERPT_CHARS: usize = 160;
/// Characters around a matched phrase on the "needs attention" list.
const CONTEXT_CHARS: usize = 80;

// The shared helpers, under the names the submodule uses.
pub(crate) use crate::http::page::{OrPage, Reply, campaign_for, date, date_time, story_in};

fn stories_href(slug: &str) -> String {
    format!("/manage/campaigns/{slug}/stories")
}

fn story_href(slug: &str, id: &str) -> String {
    format!("/manage/campaigns/{slug}/stories/{id}")
}

fn attention_href(slug: &str) -> String {
    format!("/manage/campaigns/{slug}/attention")
}

/// The place a story is about, by name: a youth-care region or a municipality.
fn place_name(story: &Story) -> String {
    story
        .region
        .as_deref()
        .map(|c| region::region(c).map(|p| p.name.clone()).unwrap_or_else(|| c.to_string()))
        .or_else(|| {
            story
                .municipality
                .as_deref()
                .map(|c| region::municipality(c).map(|p| p.name.clone()).unwrap_or_else(|| c.to_string()))
        })
        .unwrap_or_else(|| "—".into())
}

fn age_band(story: &Story) -> &'static str {
    story.age_band.map(|a| a.label(Lang::Nl)).unwrap_or("—")
}

/// The danger kinds of a story's signals, each once, by their Dutch label.
fn danger_kinds(story: &Story) -> Vec<&'static str> {
    let mut kinds: Vec<DangerKind> = story.safeguarding.iter().map(|s| s.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds.into_iter().map(DangerKind::label_nl).collect()
}

fn perspective_plural(p: Perspective) -> &'static str {
    match p {
        Perspective::Youth => "Jongeren",
        Perspective::Parent => "Ouders",
        Perspective::Professional => "Professionals",
        Perspective::Other => "Anders",
    }
}

fn language_name(code: &str) -> String {
    match code {
        "nl" => "Nederlands".into(),
        "en" => "Engels".into(),
        "ar" => "Arabisch".into(),
        "tr" => "Turks".into(),
        "pl" => "Pools".into(),
        other => other.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// The story list

#[derive(Deserialize, Default)]
pub struct ListQuery {
    perspective: Option<String>,
    flagged: Option<String>,
    page: Option<String>,
    deleted: Option<String>,
}

/// One row of the story list.
pub struct StoryRow {
    pub href: String,
    pub date: String,
    pub perspective: &'static str,
    pub age_band: &'static str,
    pub place: String,
    /// The title, or the start of the text.
    pub summary: String,
    pub has_title: bool,
    pub flagged: bool,
}

#[derive(Template)]
#[template(path = "manage/story_list.html")]
pub struct StoryListPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub perspectives: Vec<OptionView>,
    pub flagged: bool,
    pub rows: Vec<StoryRow>,
    pub total: i64,
    pub first: i64,
    pub last: i64,
    pub page_no: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// Flagged stories without a follow-up, when the viewer may follow them up.
    pub open_attention: Option<usize>,
    pub may_export: bool,
    pub notice: Option<&'static str>,
}

fn list_href(slug: &str, perspective: Option<Perspective>, flagged: bool, page: i64) -> String {
    let mut params = Vec::new();
    if let Some(p) = perspective {
        params.push(format!("perspective={}", p.as_str()));
    }
    if flagged {
        params.push("flagged=1".to_string());
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    let base = stories_href(slug);
    if params.is_empty() { base } else { format!("{base}?{}", params.join("&")) }
}

async fn list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let perspective = q.perspective.as_deref().and_then(Perspective::parse);
    let flagged = q.flagged.as_deref() == Some("1");
    let mut page_no = q.page.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).max(1);
    let mut filter =
        StoryFilter { perspective, flagged, offset: (page_no - 1) * PAGE_SIZE, limit: PAGE_SIZE };
    let (mut stories, mut total) = state.store.stories_newest(&campaign.id, &filter).await.or_page()?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if page_no > pages {
        // A page past the end (stories were deleted, or a hand-typed URL): show the last one.
        page_no = pages;
        filter.offset = (page_no - 1) * PAGE_SIZE;
        (stories, total) = state.store.stories_newest(&campaign.id, &filter).await.or_page()?;
    }
    let open_attention = if signed.0.may(Permission::FollowUpSafeguarding(&campaign.id)) {
        Some(state.store.flagged_stories(&campaign.id, false).await.or_page()?.len())
    } else {
        None
    };
    let first = if stories.is_empty() { 0 } else { filter.offset + 1 };
    let rows = stories
        .iter()
        .map(|s| StoryRow {
            href: story_href(&slug, &s.id),
            date: date(s.created_at),
            perspective: s.perspective.noun(Lang::Nl),
            age_band: age_band(s),
            place: place_name(s),
            summary: s.title.clone().unwrap_or_else(|| view::excerpt(&s.text, EXCERPT_CHARS)),
            has_title: s.title.is_some(),
            flagged: !s.safeguarding.is_empty(),
        })
        .collect();
    let tpl = StoryListPage {
        page: Page::new(Lang::Nl, "Verhalen").signed_in(&signed.0, &csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        perspectives: Perspective::ALL
            .iter()
            .map(|p| OptionView {
                value: p.as_str().into(),
                label: perspective_plural(*p).into(),
                checked: perspective == Some(*p),
            })
            .collect(),
        flagged,
        rows,
        total,
        first,
        last: filter.offset + stories.len() as i64,
        page_no,
        pages,
        prev_href: (page_no > 1).then(|| list_href(&slug, perspective, flagged, page_no - 1)),
        next_href: (page_no < pages).then(|| list_href(&slug, perspective, flagged, page_no + 1)),
        open_attention,
        may_export: signed.0.may(Permission::ExportStories(&campaign.id)),
        notice: q.deleted.is_some().then_some("Het verhaal is verwijderd."),
        slug,
    };
    Ok(render(StatusCode::OK, tpl.page.private, &tpl))
}

// ---------------------------------------------------------------------------------------------
// The story page

/// A triad answer drawn as a dot in a triangle, with the weights as text.
pub struct TriadView {
    pub view_box: &'static str,
    pub points: String,
    pub labels: Vec<SvgLabel>,
    pub line_height: String,
    pub cx: String,
    pub cy: String,
    /// Corner label and weight, in corner order.
    pub weights: Vec<(String, String)>,
}

/// A dyad answer drawn as a marker on a bar between its two poles.
pub struct DyadView {
    pub left: String,
    pub right: String,
    pub x1: String,
    pub x2: String,
    pub cx: String,
    /// Position from the left pole, as a percentage.
    pub percent: String,
}

/// One signifier on the story page, drawn as the teller answered it.
pub struct SignifierDrawing {
    pub id: String,
    pub question: String,
    pub retired: bool,
    pub triad: Option<TriadView>,
    pub dyad: Option<DyadView>,
    /// The answer in words: the choice, "niet van toepassing", "geen antwoord", or (for drawn
    /// answers) a short description.
    pub text: String,
    pub answered: bool,
}

fn triad_view(corners: [&str; 3], w: [f64; 3]) -> Option<TriadView> {
    let (x, y) = view::triad_point(w)?;
    let sum: f64 = w.iter().sum();
    Some(TriadView {
        view_box: view::TRIAD_VIEW_BOX,
        points: view::TRIAD_CORNERS
            .iter()
            .map(|(x, y)| format!("{},{}", view::num(*x), view::num(*y)))
            .collect::<Vec<_>>()
            .join(" "),
        labels: view::triad_labels(corners),
        line_height: view::num(view::LABEL_LINE),
        cx: view::num(x),
        cy: view::num(y),
        weights: corners.iter().zip(w).map(|(c, w)| (c.to_string(), view::percent(w / sum))).collect(),
    })
}

/// The signifiers of the form as this teller answered them; retired ones only when answered,
/// with the labels they had.
fn drawings(campaign: &Campaign, story: &Story) -> Vec<SignifierDrawing> {
    let t = crate::http::i18n::ui(Lang::Nl);
    campaign
        .def
        .signifiers
        .iter()
        .filter(|s| !s.retired || story.answers.contains_key(&s.id))
        .map(|s| drawing(s, story.answers.get(&s.id), t))
        .collect()
}

fn drawing(
    s: &Signifier,
    answer: Option<&crate::domain::Answer>,
    t: &crate::http::i18n::Ui,
) -> SignifierDrawing {
    use crate::domain::Answer;
    let mut d = SignifierDrawing {
        id: s.id.clone(),
        question: s.question.get(Lang::Nl).to_string(),
        retired: s.retired,
        triad: None,
        dyad: None,
        text: String::new(),
        answered: answer.is_some_and(|a| *a != Answer::Skipped),
    };
    match (answer, &s.kind) {
        (None, _) => d.text = "geen antwoord".into(),
        (Some(Answer::Skipped), _) => d.text = "niet van toepassing".into(),
        (Some(a @ Answer::Triad(w)), SignifierKind::Triad { corners }) => {
            let labels = [corners[0].get(Lang::Nl), corners[1].get(Lang::Nl), corners[2].get(Lang::Nl)];
            d.triad = triad_view(labels, *w);
            d.text = describe_answer(s, a, Lang::Nl, t);
        }
        (Some(a @ Answer::Dyad(v)), SignifierKind::Dyad { poles }) => {
            d.dyad = Some(DyadView {
                left: poles[0].get(Lang::Nl).to_string(),
                right: poles[1].get(Lang::Nl).to_string(),
                x1: view::num(view::DYAD_TRACK.0),
                x2: view::num(view::DYAD_TRACK.1),
                cx: view::num(view::dyad_x(*v)),
                percent: view::percent(v.clamp(0.0, 1.0)),
            });
            d.text = describe_answer(s, a, Lang::Nl, t);
        }
        (Some(a), _) => d.text = describe_answer(s, a, Lang::Nl, t),
    }
    d
}

pub struct SignalView {
    pub kind: &'static str,
    pub phrase: String,
}

pub struct FollowUpView {
    pub action: &'static str,
    pub note: String,
    pub by: String,
    pub at: String,
}

impl FollowUpView {
    fn new(f: &FollowUp) -> FollowUpView {
        FollowUpView {
            action: f.action.label(),
            note: f.note.clone(),
            by: f.user_email.clone(),
            at: date_time(f.at),
        }
    }
}

pub struct EventView {
    pub seq: i64,
    pub kind: &'static str,
    pub at: String,
}

/// The follow-up form of one story: what was chosen and typed, and what was wrong with it.
pub struct FollowUpForm {
    pub story_id: String,
    pub actions: Vec<OptionView>,
    pub note: String,
    pub action_error: Option<String>,
    pub note_error: Option<String>,
    /// Where to go after saving: `attention` or `story`.
    pub back: &'static str,
}

impl FollowUpForm {
    fn new(story_id: &str, back: &'static str, draft: Option<&FollowUpDraft>) -> FollowUpForm {
        let draft = draft.filter(|d| d.story_id == story_id);
        let chosen = draft.map(|d| d.action.as_str()).unwrap_or("");
        FollowUpForm {
            story_id: story_id.to_string(),
            actions: FollowUpAction::ALL
                .iter()
                .map(|a| OptionView {
                    value: a.as_str().into(),
                    label: a.label().into(),
                    checked: chosen == a.as_str(),
                })
                .collect(),
            note: draft.map(|d| d.note.clone()).unwrap_or_default(),
            action_error: draft.and_then(|d| d.action_error.clone()),
            note_error: draft.and_then(|d| d.note_error.clone()),
            back,
        }
    }

    pub fn has_error(&self) -> bool {
        self.action_error.is_some() || self.note_error.is_some()
    }
}

#[derive(Template)]
#[template(path = "manage/story_page.html")]
pub struct StoryPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub story_id: String,
    pub heading: String,
    pub title: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    pub facts: Vec<AnswerView>,
    pub signifiers: Vec<SignifierDrawing>,
    pub kinds: Vec<&'static str>,
    pub signals: Vec<SignalView>,
    pub follow_ups: Vec<FollowUpView>,
    pub follow_up_form: Option<FollowUpForm>,
    pub events: Vec<EventView>,
    pub may_delete: bool,
    /// The story's themes: tags with provenance, decisions, history.
    pub tags: super::themes::TagsSection,
    /// The campaign's Leefwereldtoets assumptions and how this story bears on each.
    pub assumptions: Vec<crate::toets::StoryAssumption>,
}

async fn show(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let story = story_in(&state, &campaign, &id).await?;
    story_page(&state, &signed, &csrf, &campaign, &story, None, None, StatusCode::OK).await
}

/// The story page again with a problem in its "Thema's" section (422), for the tag forms.
pub(crate) async fn story_page_with_tag_error(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    story: &Story,
    error: String,
) -> Reply {
    story_page(state, signed, csrf, campaign, story, None, Some(error), StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

#[allow(clippy::too_many_arguments)]
async fn story_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    story: &Story,
    draft: Option<&FollowUpDraft>,
    tag_error: Option<String>,
    status: StatusCode,
) -> Reply {
    let slug = campaign.slug().to_string();
    let tags = super::themes::tags_section(state, campaign, story, tag_error, "story").await?;
    let events = state.store.story_events(&story.id).await.or_page()?;
    let follow_ups = state.store.follow_ups(&story.id).await.or_page()?;
    let flagged = !story.safeguarding.is_empty();
    let prompt = story.prompt_id.as_deref().map(|id| {
        campaign
            .def
            .prompts
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.text.get(Lang::Nl).to_string())
            .unwrap_or_else(|| id.to_string())
    });
    let fact = |q: &str, a: String| AnswerView { question: q.into(), answer: a };
    let mut facts = vec![
        fact("Perspectief", story.perspective.label(Lang::Nl).into()),
        fact("Leeftijd", age_band(story).into()),
        fact(if story.municipality.is_some() { "Gemeente" } else { "Regio" }, place_name(story)),
        fact("Taal", language_name(&story.language)),
    ];
    if let Some(p) = prompt {
        facts.push(fact("Vraag", p));
    }
    facts.push(fact("Verteld op", date_time(story.created_at)));
    facts.push(fact("Formulierversie", story.form_version.to_string()));
    facts.push(fact("Binnengekomen via", story.source.as_str().into()));
    let heading = story.title.clone().unwrap_or_else(|| format!("Verhaal van {}", date(story.created_at)));
    let assumptions = if signed.0.may(Permission::ManageActions(&campaign.id)) {
        crate::toets::for_story(&state.store, &campaign.id, &story.id)
            .await
            .map_err(crate::http::actions::fail)?
    } else {
        Vec::new()
    };
    let tpl = StoryPage {
        assumptions,
        page: Page::new(Lang::Nl, heading.clone()).signed_in(&signed.0, csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        story_id: story.id.clone(),
        heading,
        title: story.title.clone(),
        paragraphs: view::paragraphs(&story.text, &story.safeguarding),
        facts,
        signifiers: drawings(campaign, story),
        kinds: danger_kinds(story),
        signals: story
            .safeguarding
            .iter()
            .map(|s| SignalView { kind: s.kind.label_nl(), phrase: s.phrase.clone() })
            .collect(),
        follow_ups: follow_ups.iter().map(FollowUpView::new).collect(),
        follow_up_form: (flagged && signed.0.may(Permission::FollowUpSafeguarding(&campaign.id)))
            .then(|| FollowUpForm::new(&story.id, "story", draft)),
        events: events
            .iter()
            .map(|e| EventView {
                seq: e.seq,
                kind: match e.kind {
                    StoryEventKind::Upsert => "opgeslagen of bijgewerkt",
                    StoryEventKind::Delete => "verwijderd",
                },
                at: date_time(e.created_at),
            })
            .collect(),
        may_delete: signed.0.may(Permission::DeleteStory(&campaign.id)),
        tags,
        slug,
    };
    Ok(render(status, tpl.page.private, &tpl))
}

// ---------------------------------------------------------------------------------------------
// Deleting a story

#[derive(Template)]
#[template(path = "manage/story_delete.html")]
pub struct StoryDeletePage {
    pub page: Page,
    pub slug: String,
    pub story_id: String,
    pub told_on: String,
    pub summary: String,
    pub reasons: Vec<OptionView>,
    pub note: String,
    pub reason_error: Option<String>,
    pub note_error: Option<String>,
}

impl StoryDeletePage {
    pub fn has_errors(&self) -> bool {
        self.reason_error.is_some() || self.note_error.is_some()
    }
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

fn delete_page(
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    story: &Story,
    form: &DeleteForm,
    errors: FieldProblems,
) -> StoryDeletePage {
    StoryDeletePage {
        page: Page::new(Lang::Nl, "Verhaal verwijderen").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        story_id: story.id.clone(),
        told_on: date(story.created_at),
        summary: story.title.clone().unwrap_or_else(|| view::excerpt(&story.text, EXCERPT_CHARS)),
        reasons: DELETE_REASONS
            .iter()
            .map(|(v, l)| OptionView { value: (*v).into(), label: (*l).into(), checked: form.reason == *v })
            .collect(),
        note: form.note.clone(),
        reason_error: errors.first,
        note_error: errors.note,
    }
}

async fn confirm_delete(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::DeleteStory(id)).await?;
    let story = story_in(&state, &campaign, &id).await?;
    let tpl =
        delete_page(&signed, &csrf, &campaign, &story, &DeleteForm::default(), FieldProblems::default());
    Ok(render(StatusCode::OK, tpl.page.private, &tpl))
}

async fn delete(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DeleteForm>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::DeleteStory(id)).await?;
    let story = story_in(&state, &campaign, &id).await?;
    let w = Withdrawal { reason: form.reason.clone(), note: form.note.clone() };
    match stories::withdraw(&state.store, &signed.actor(), &campaign, &story, &w).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?deleted=1", stories_href(&slug))).into_response()),
        Err(StoryError::Invalid(problems)) => {
            let tpl = delete_page(&signed, &csrf, &campaign, &story, &form, problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, tpl.page.private, &tpl))
        }
        Err(e) => Err(story_failed(e)),
    }
}

/// A story use case's failure that is not shown with its form.
fn story_failed(e: StoryError) -> axum::response::Response {
    match e {
        StoryError::NotFlagged => Error::new(crate::http::error::ErrorKind::BadRequest(
            "Dit verhaal heeft geen veiligheidssignalen; er valt niets op te volgen.".into(),
        ))
        .into_response(),
        StoryError::Store(e) => Error::from(e).into_response(),
        StoryError::Invalid(_) => Error::from(anyhow::anyhow!("unexpected invalid input")).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Safeguarding: the "needs attention" list and follow-ups

/// A follow-up form that was posted with a problem, to show again with what was typed.
pub struct FollowUpDraft {
    story_id: String,
    action: String,
    note: String,
    action_error: Option<String>,
    note_error: Option<String>,
}

pub struct AttentionItem {
    pub href: String,
    pub date: String,
    pub perspective: &'static str,
    pub age_band: &'static str,
    pub kinds: Vec<&'static str>,
    pub snippets: Vec<Snippet>,
    pub follow_ups: Vec<FollowUpView>,
    pub form: FollowUpForm,
}

#[derive(Template)]
#[template(path = "manage/attention.html")]
pub struct AttentionPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub all: bool,
    pub items: Vec<AttentionItem>,
    pub notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct AttentionQuery {
    all: Option<String>,
    saved: Option<String>,
}

/// Reading the list needs both rights: it shows story text around the matched phrases.
fn may_attend(id: &str) -> Permission<'_> {
    Permission::FollowUpSafeguarding(id)
}

async fn attention(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<AttentionQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, may_attend).await?;
    signed.require(Permission::ReadStories(&campaign.id))?;
    let notice = q.saved.is_some().then_some("De opvolging is vastgelegd.");
    attention_page(
        &state,
        &signed,
        &csrf,
        &campaign,
        q.all.as_deref() == Some("1"),
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn attention_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    all: bool,
    draft: Option<&FollowUpDraft>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Reply {
    let slug = campaign.slug().to_string();
    let stories = state.store.flagged_stories(&campaign.id, all).await.or_page()?;
    let mut items = Vec::with_capacity(stories.len());
    for s in &stories {
        // Open items have no follow-ups by definition; only the full list needs to ask.
        let follow_ups = if all { state.store.follow_ups(&s.id).await.or_page()? } else { Vec::new() };
        items.push(AttentionItem {
            href: story_href(&slug, &s.id),
            date: date(s.created_at),
            perspective: s.perspective.noun(Lang::Nl),
            age_band: age_band(s),
            kinds: danger_kinds(s),
            snippets: view::snippets(&s.text, &s.safeguarding, CONTEXT_CHARS),
            follow_ups: follow_ups.iter().map(FollowUpView::new).collect(),
            form: FollowUpForm::new(&s.id, "attention", draft),
        });
    }
    let tpl = AttentionPage {
        page: Page::new(Lang::Nl, "Verhalen die aandacht vragen").signed_in(&signed.0, csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        all,
        items,
        notice,
        slug,
    };
    Ok(render(status, tpl.page.private, &tpl))
}

#[derive(Deserialize, Default)]
pub struct FollowUpPost {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
}

async fn follow_up(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<FollowUpPost>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, may_attend).await?;
    signed.require(Permission::ReadStories(&campaign.id))?;
    let story = story_in(&state, &campaign, &id).await?;
    let back_to_story = form.back == "story";
    let input = FollowUpInput { action: form.action.clone(), note: form.note.clone() };
    match stories::follow_up(&state.store, &signed.actor(), &campaign, &story, &input, state.clock.now())
        .await
    {
        Ok(_) => {
            let to = if back_to_story {
                format!("{}#opvolging", story_href(&slug, &story.id))
            } else {
                format!("{}?saved=1", attention_href(&slug))
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoryError::Invalid(problems)) => {
            let draft = FollowUpDraft {
                story_id: story.id.clone(),
                action: form.action.clone(),
                note: form.note.clone(),
                action_error: problems.first,
                note_error: problems.note,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            if back_to_story {
                story_page(&state, &signed, &csrf, &campaign, &story, Some(&draft), None, status).await
            } else {
                attention_page(&state, &signed, &csrf, &campaign, false, Some(&draft), None, status).await
            }
        }
        Err(e) => Err(story_failed(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Export downloads

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    format: Option<String>,
}

/// What `export` writes, shared with the response body that hands it out in chunks.
#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl SharedBuf {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for SharedBuf {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type ExportJob = Pin<Box<dyn Future<Output = anyhow::Result<u64>> + Send>>;

/// A response body that runs the export as the client reads: the export only moves on when
/// the previous chunk was taken, so a campaign of any size holds about one page of stories in
/// memory. A failure half-way aborts the response, so a cut-off file is never taken for a
/// whole one.
fn export_body(store: DynStore, campaign: Campaign, format: Format) -> Body {
    let buf = SharedBuf::default();
    let mut writer = buf.clone();
    let slug = campaign.slug().to_string();
    let mut job: Option<ExportJob> =
        Some(Box::pin(async move { export(&store, &campaign, format, &mut writer, |_| {}).await }));
    let stream = futures::stream::poll_fn(move |cx| {
        loop {
            let chunk = buf.take();
            if !chunk.is_empty() {
                return Poll::Ready(Some(Ok(Bytes::from(chunk))));
            }
            let Some(running) = job.as_mut() else { return Poll::Ready(None) };
            match running.as_mut().poll(cx) {
                Poll::Pending => {
                    if buf.0.lock().unwrap_or_else(|e| e.into_inner()).is_empty() {
                        return Poll::Pending;
                    }
                }
                Poll::Ready(Ok(_)) => job = None,
                Poll::Ready(Err(e)) => {
                    job = None;
                    tracing::error!(error = ?e, campaign = %slug, "export failed half-way");
                    return Poll::Ready(Some(Err(std::io::Error::other("export failed"))));
                }
            }
        }
    });
    Body::from_stream(stream)
}

async fn download(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ExportStories(id)).await?;
    let (format, ext, mime) = match q.format.as_deref() {
        Some("csv") => (Format::Csv, "csv", "text/csv; charset=utf-8"),
        Some("jsonl") => (Format::Jsonl, "jsonl", "application/jsonl; charset=utf-8"),
        _ => {
            return Err(Error::new(crate::http::error::ErrorKind::BadRequest(
                "Kies een formaat voor de download: csv of jsonl.".into(),
            ))
            .into_response());
        }
    };
    let count = state.store.count_stories(&campaign.id).await.or_page()?;
    // Audited before the first byte: a download that is started counts, finished or not.
    let entry = AuditEntry::new(signed.actor(), AuditAction::StoriesExported)
        .campaign(campaign.id.clone())
        .details(json!({ "format": ext, "stories": count }));
    state.store.audit(&entry).await.or_page()?;
    tracing::info!(campaign = %campaign.slug(), format = ext, stories = count, "stories exported");
    let filename = format!(
        "{}-{}.{ext}",
        campaign.slug(),
        state.clock.now().date().format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
    );
    let mut resp = export_body(state.store.clone(), campaign, format).into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The slug and date are plain ASCII (`is_slug`), so the header value is always valid.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

// ---------------------------------------------------------------------------------------------
// The steering overview

pub struct OverviewRow {
    pub title: String,
    pub status: &'static str,
    pub cells: Vec<String>,
    pub total: String,
    /// The campaign's story list, for those who may read it.
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "manage/overview.html")]
pub struct OverviewPage {
    pub page: Page,
    pub headings: Vec<&'static str>,
    pub rows: Vec<OverviewRow>,
    pub threshold: i64,
}

/// A count row as the steering group may see it.
fn shown(counts: &[i64], threshold: i64) -> (Vec<String>, String) {
    let row = suppression::suppress(counts, threshold);
    let cells = row
        .cells
        .iter()
        .map(|c| match c {
            Cell::Exact(n) => n.to_string(),
            Cell::Hidden => format!("minder dan {threshold}"),
        })
        .collect();
    let total = match row.total {
        Total::Exact(n) => n.to_string(),
        Total::Between(lo, hi) => format!("tussen {lo} en {hi}"),
    };
    (cells, total)
}

async fn overview(signed: SignedIn, State(state): State<AppState>, csrf: CsrfToken) -> Reply {
    signed.require(Permission::ViewOverview)?;
    let threshold = state.config.disclosure_threshold;
    let mut campaigns = state.store.campaigns().await.or_page()?;
    campaigns.sort_by(|a, b| a.def.title.get(Lang::Nl).cmp(b.def.title.get(Lang::Nl)));
    let mut rows = Vec::with_capacity(campaigns.len());
    for c in &campaigns {
        let by = state.store.count_by_perspective(&c.id).await.or_page()?;
        let counts: Vec<i64> = Perspective::ALL
            .iter()
            .map(|p| by.iter().filter(|(q, _)| q == p).map(|(_, n)| *n).sum())
            .collect();
        let (cells, total) = shown(&counts, threshold);
        rows.push(OverviewRow {
            title: c.def.title.get(Lang::Nl).to_string(),
            status: status_label(c.def.status),
            cells,
            total,
            href: signed.0.may(Permission::ReadStories(&c.id)).then(|| stories_href(c.slug())),
        });
    }
    let tpl = OverviewPage {
        page: Page::new(Lang::Nl, "Overzicht").signed_in(&signed.0, &csrf),
        headings: Perspective::ALL.iter().map(|p| perspective_plural(*p)).collect(),
        rows,
        threshold,
    };
    Ok(render(StatusCode::OK, tpl.page.private, &tpl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_links_keep_the_filter_and_leave_out_defaults() {
        assert_eq!(list_href("x", None, false, 1), "/manage/campaigns/x/stories");
        assert_eq!(
            list_href("x", Some(Perspective::Parent), true, 3),
            "/manage/campaigns/x/stories?perspective=parent&flagged=1&page=3"
        );
    }

    #[test]
    fn overview_rows_say_fewer_than_the_threshold_and_hide_an_exact_total() {
        let (cells, total) = shown(&[12, 3, 0, 7], 5);
        assert_eq!(cells, ["12", "minder dan 5", "minder dan 5", "7"]);
        assert_eq!(total, "tussen 19 en 27");
        assert_eq!(shown(&[12, 5, 6, 7], 5).1, "30");
    }

    #[test]
    fn a_triad_drawing_puts_the_dot_at_the_weights_and_lists_them_as_text() {
        let v = triad_view(["a", "b", "c"], [0.6, 0.1, 0.3]).unwrap();
        assert_eq!((v.cx.as_str(), v.cy.as_str()), ("174", "128"));
        assert_eq!(
            v.weights,
            [("a".into(), "60%".into()), ("b".into(), "10%".into()), ("c".into(), "30%".into())]
        );
        assert_eq!(v.points, "150,50 30,245 270,245");
        assert!(triad_view(["a", "b", "c"], [0.0, 0.0, 0.0]).is_none());
    }
}
