//! Sense-making session pages for facilitators (plan, patterns, cards, join codes, notes,
//! clusters, report, presentation) and published reports for the steering group. Thin: parse,
//! call one use case in `crate::sessions` (or load the session), render.

use crate::auth::policy::{Denied, Permission};
use crate::domain::session::{ActivityKind, Details, Group, JoinCode, NoteInput, NoteKind, NoteLink};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ErrorKind};
use crate::http::form::FormValues;
use crate::http::page::{Reply, campaign_for, date, date_time, form};
use crate::http::respond::{attachment, see};
use crate::http::routes::Routes;
use crate::http::views::{Page, render};
use crate::sessions::report::{self, Report};
use crate::sessions::view::{CandidateFilter, CardView, ElementView, Loaded};
use crate::sessions::{self, Author, Change, NewSession, SessionsError};
use crate::store::StoreError;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

const BASE: &str = "/manage/campaigns/{slug}/sessions/{session_id}";

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/sessions", list)
        .post("/manage/campaigns/{slug}/sessions", create)
        .get("/manage/campaigns/{slug}/sessions/{session_id}", session_page)
        .post("/manage/campaigns/{slug}/sessions/{session_id}", change_details)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/plan", change_plan)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/agenda", agenda)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/patterns", choose_patterns)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/cards", cards_page)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/cards", pick_cards)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/cards/{card_id}/remove", remove_card)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/cards/print", print_cards)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/present", present)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/projector", projector)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/codes", open_code)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/codes/{join_code}/revoke", revoke_code)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/notes", add_note)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/notes/{note_id}/approve", approve_note)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/clusters", create_cluster)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/clusters/assign", assign_clusters)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/report", report_page)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/report.md", report_md)
        .get("/manage/campaigns/{slug}/sessions/{session_id}/report.csv", report_csv)
        .post("/manage/campaigns/{slug}/sessions/{session_id}/report/publish", publish)
        .get("/published/sessions", published_list)
        .get("/published/sessions/{session_id}", published_report)
}

fn base(slug: &str, session_id: &str) -> String {
    BASE.replace("{slug}", slug).replace("{session_id}", session_id)
}

/// A use case's error as a page: a refusal looks like a missing page, bad input says why.
pub fn fail(e: SessionsError) -> Response {
    match e {
        SessionsError::BadRequest(m) => Error::new(ErrorKind::BadRequest(m)).into_response(),
        SessionsError::Store(StoreError::NotFound) => denied(Denied::NotFound),
        SessionsError::Store(e) => Error::from(e).into_response(),
        SessionsError::Other(e) => Error::from(e).into_response(),
    }
}

async fn campaign(state: &AppState, signed: &SignedIn, slug: &str) -> Result<Campaign, Response> {
    campaign_for(state, signed, slug, |id| Permission::RunSessions(id)).await
}

async fn loaded(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    id: &str,
) -> Result<(Campaign, Loaded), Response> {
    let c = campaign(state, signed, slug).await?;
    let l = sessions::load(&state.store, &c, id).await.map_err(fail)?;
    Ok((c, l))
}

/// One change to a session: the campaign in the URL (checked first), then `run` (parse the
/// form, call one use case), then on to `then` under the session's page.
async fn change_session<T>(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    id: &str,
    then: &str,
    run: impl AsyncFnOnce(&Campaign) -> Result<T, SessionsError>,
) -> Reply {
    let c = campaign(state, signed, slug).await?;
    run(&c).await.map_err(fail)?;
    see(&format!("{}{then}", base(c.slug(), id)))
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct SessionRow {
    pub href: String,
    pub title: String,
    pub date: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "sessions/list.html")]
pub struct ListPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub rows: Vec<SessionRow>,
    pub maps: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub facilitators: Vec<Choice>,
    pub today: String,
}

/// `GET /manage/campaigns/{slug}/sessions`: the campaign's sessions and the form for a new one.
pub async fn list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let c = campaign(&state, &signed, &slug).await?;
    let rows = state
        .store
        .sessions(&c.id)
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|s| SessionRow {
            href: base(c.slug(), &s.id),
            title: s.details.title,
            date: date(s.details.held_on.midnight().assume_utc()),
            published: s.report_published_at.is_some(),
        })
        .collect();
    let maps = state
        .store
        .frozen_maps(&c.id)
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|m| Choice {
            label: format!("{} ({})", m.title, date_time(m.created_at)),
            value: m.id,
            checked: false,
        })
        .collect();
    let facilitators = state
        .store
        .campaign_members(&c.id)
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|u| Choice { checked: u.id == signed.0.user.id, value: u.id, label: u.name })
        .collect();
    let tpl = ListPage {
        page: Page::new(Lang::Nl, "Sessies").signed_in(&signed.0, &csrf),
        slug: c.slug().to_string(),
        campaign_title: c.def.title.get(Lang::Nl).to_string(),
        rows,
        maps,
        groups: group_choices(&[]),
        facilitators,
        today: state.clock.now().date().to_string(),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

fn group_choices(chosen: &[Group]) -> Vec<Choice> {
    Group::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().into(),
            label: g.label(Lang::Nl).into(),
            checked: chosen.contains(g),
        })
        .collect()
}

fn details(v: &FormValues) -> Result<Details, SessionsError> {
    let groups: Vec<String> = v.all("group").into_iter().map(str::to_string).collect();
    Ok(Details::parse(v.get("title"), v.get("date"), v.get("place"), &groups)?)
}

/// `POST /manage/campaigns/{slug}/sessions` (`title`, `date`, `place`, `group`…, `map`…,
/// `facilitator`…): a new session.
pub async fn create(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let c = campaign(&state, &signed, &slug).await?;
    let v = form(&body);
    let new = NewSession {
        details: details(&v).map_err(fail)?,
        facilitators: v.all("facilitator").into_iter().map(str::to_string).collect(),
        map_ids: v.all("map").into_iter().map(str::to_string).collect(),
    };
    let s = sessions::create(&state.store, &c, new, signed.actor(), state.clock.now()).await.map_err(fail)?;
    see(&base(c.slug(), &s.id))
}

pub struct ActivityRow {
    pub index: usize,
    pub title: String,
    pub kind: String,
    pub minutes: u32,
    pub start: String,
}

pub struct ElementRow {
    pub value: String,
    pub label: String,
    pub detail: String,
    pub checked: bool,
}

pub struct NoteRow {
    pub id: String,
    pub kind: String,
    pub strength: String,
    pub body: String,
    pub links: String,
    pub withdrawn: bool,
    pub waiting: bool,
    pub participant: bool,
    pub needs_interpretations: bool,
    pub cluster: String,
    pub clusters: Vec<Choice>,
}

pub struct CodeRow {
    pub code: String,
    pub until: String,
    pub open: bool,
    pub revoke: String,
}

pub struct MapRow {
    pub title: String,
    pub hash: String,
    pub withdrawn: usize,
}

#[derive(Template)]
#[template(path = "sessions/session.html")]
pub struct SessionPage {
    pub page: Page,
    pub slug: String,
    pub base: String,
    pub title: String,
    pub date: String,
    pub place: String,
    pub groups: Vec<Choice>,
    pub facilitators: Vec<Choice>,
    pub maps: Vec<MapRow>,
    pub plan: Vec<ActivityRow>,
    pub total: u32,
    pub kinds: Vec<Choice>,
    pub elements: Vec<ElementRow>,
    pub patterns: Vec<Choice>,
    pub cards: Vec<Choice>,
    pub observations: Vec<Choice>,
    pub codes: Vec<CodeRow>,
    pub notes: Vec<NoteRow>,
    pub clusters: Vec<Choice>,
    pub missing_interpretations: usize,
    pub published: bool,
}

fn minutes(m: u32) -> String {
    format!("{}:{:02}", m / 60, m % 60)
}

fn note_rows(l: &Loaded) -> Vec<NoteRow> {
    let needing = crate::domain::session::needing_interpretations(&l.notes);
    l.notes
        .iter()
        .map(|n| NoteRow {
            id: n.id.clone(),
            kind: n.input.kind.label().into(),
            strength: n.input.strength.map(|s| s.label().to_string()).unwrap_or_default(),
            body: n.input.body.clone(),
            links: l.link_labels(n).join(", "),
            withdrawn: l.note_lost_story(n),
            waiting: n.approved_at.is_none(),
            participant: n.by_participant,
            needs_interpretations: needing.contains(&n.id),
            cluster: n.cluster_id.clone().unwrap_or_default(),
            clusters: l
                .clusters
                .iter()
                .map(|k| Choice {
                    value: k.id.clone(),
                    label: k.name.clone(),
                    checked: n.cluster_id.as_deref() == Some(k.id.as_str()),
                })
                .collect(),
        })
        .collect()
}

fn pattern_choices(l: &Loaded) -> Vec<Choice> {
    l.patterns
        .iter()
        .map(|p| Choice { value: p.pattern.element.clone(), label: p.element.label.clone(), checked: false })
        .collect()
}

fn card_choices(l: &Loaded) -> Vec<Choice> {
    l.cards
        .iter()
        .map(|c| Choice {
            value: c.card.id.clone(),
            label: format!("Kaart {}", c.card.number),
            checked: false,
        })
        .collect()
}

fn observation_choices(l: &Loaded, approved_only: bool) -> Vec<Choice> {
    l.notes
        .iter()
        .filter(|n| n.input.kind == NoteKind::Observation && (!approved_only || n.approved_at.is_some()))
        .map(|n| Choice {
            value: n.id.clone(),
            label: n.input.body.chars().take(80).collect(),
            checked: false,
        })
        .collect()
}

/// `GET /manage/campaigns/{slug}/sessions/{session_id}`: the facilitator's session page.
pub async fn session_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let s = &l.session;
    let b = base(c.slug(), &s.id);
    let members = state.store.campaign_members(&c.id).await.map_err(|e| fail(e.into()))?;
    let now = state.clock.now();
    let codes = state
        .store
        .join_codes(&s.id)
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|j| CodeRow {
            open: j.usable(now),
            until: date_time(j.expires_at),
            revoke: format!("{b}/codes/{}/revoke", j.code),
            code: j.code,
        })
        .collect();
    let chosen: Vec<String> =
        l.patterns.iter().map(|p| format!("{}|{}", p.pattern.map_id, p.pattern.element)).collect();
    let starts = s.plan.starts();
    let notes = note_rows(&l);
    let tpl = SessionPage {
        page: Page::new(Lang::Nl, s.details.title.clone()).signed_in(&signed.0, &csrf),
        slug: c.slug().to_string(),
        title: s.details.title.clone(),
        date: s.details.held_on.to_string(),
        place: s.details.place.clone(),
        groups: group_choices(&s.details.groups),
        facilitators: members
            .into_iter()
            .map(|u| Choice { checked: s.facilitators.contains(&u.id), value: u.id, label: u.name })
            .collect(),
        maps: l
            .maps
            .iter()
            .map(|m| MapRow {
                title: m.map.title.clone(),
                hash: m.map.content_hash.clone(),
                withdrawn: m.withdrawn,
            })
            .collect(),
        plan: s
            .plan
            .0
            .iter()
            .enumerate()
            .map(|(i, a)| ActivityRow {
                index: i,
                title: a.title.clone(),
                kind: a.kind.label().into(),
                minutes: a.minutes,
                start: minutes(starts[i]),
            })
            .collect(),
        total: s.plan.total_minutes(),
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| Choice { value: k.as_str().into(), label: k.label().into(), checked: false })
            .collect(),
        elements: l
            .elements()
            .into_iter()
            .map(|e: ElementView| {
                let value = format!("{}|{}", e.map_id, e.key);
                ElementRow { checked: chosen.contains(&value), value, label: e.label, detail: e.detail }
            })
            .collect(),
        patterns: pattern_choices(&l),
        cards: card_choices(&l),
        observations: observation_choices(&l, false),
        codes,
        missing_interpretations: notes.iter().filter(|n| n.needs_interpretations).count(),
        notes,
        clusters: l
            .clusters
            .iter()
            .map(|k| Choice { value: k.id.clone(), label: k.name.clone(), checked: false })
            .collect(),
        published: s.report_published_at.is_some(),
        base: b,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST …/{session_id}`: title, date, place, groups, facilitators.
pub async fn change_details(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "", async |c| {
        let v = form(&body);
        let change = Change::Details {
            details: details(&v)?,
            facilitators: v.all("facilitator").into_iter().map(str::to_string).collect(),
        };
        sessions::change(&state.store, c, &id, change, signed.actor(), state.clock.now()).await
    })
    .await
}

/// `POST …/{session_id}/plan` (`op` = add, remove, up, down or minutes; `index`, `kind`,
/// `title`, `minutes`): one edit of the plan.
pub async fn change_plan(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#plan", async |c| {
        let v = form(&body);
        let index = v.get("index").trim().parse::<usize>();
        let mins = v.get("minutes").trim().parse::<u32>();
        let bad = |m: &str| SessionsError::BadRequest(m.into());
        let change = match (v.get("op"), index, mins) {
            ("add", _, Ok(m)) => Change::AddActivity {
                kind: v.get("kind").to_string(),
                title: v.get("title").to_string(),
                minutes: m,
            },
            ("add", _, Err(_)) => return Err(bad("vul het aantal minuten in")),
            ("remove", Ok(i), _) => Change::RemoveActivity(i),
            ("up", Ok(i), _) => Change::MoveActivity { index: i, up: true },
            ("down", Ok(i), _) => Change::MoveActivity { index: i, up: false },
            ("minutes", Ok(i), Ok(m)) => Change::Minutes { index: i, minutes: m },
            _ => return Err(bad("onbekende wijziging van het plan")),
        };
        sessions::change(&state.store, c, &id, change, signed.actor(), state.clock.now()).await
    })
    .await
}

#[derive(Template)]
#[template(path = "sessions/agenda.html")]
pub struct AgendaPage {
    pub page: Page,
    pub base: String,
    pub title: String,
    pub date: String,
    pub place: String,
    pub groups: String,
    pub plan: Vec<ActivityRow>,
    pub total: String,
}

/// `GET …/{session_id}/agenda`: the printable agenda.
pub async fn agenda(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let s = &l.session;
    let starts = s.plan.starts();
    let tpl = AgendaPage {
        page: Page::new(Lang::Nl, format!("Agenda: {}", s.details.title)).signed_in(&signed.0, &csrf),
        base: base(c.slug(), &s.id),
        title: s.details.title.clone(),
        date: date(s.details.held_on.midnight().assume_utc()),
        place: s.details.place.clone(),
        groups: s.details.groups.iter().map(|g| g.label(Lang::Nl)).collect::<Vec<_>>().join(", "),
        plan: s
            .plan
            .0
            .iter()
            .enumerate()
            .map(|(i, a)| ActivityRow {
                index: i,
                title: a.title.clone(),
                kind: a.kind.label().into(),
                minutes: a.minutes,
                start: minutes(starts[i]),
            })
            .collect(),
        total: minutes(s.plan.total_minutes()),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST …/{session_id}/patterns` (`element`… as `map id|element key`): the chosen patterns.
pub async fn choose_patterns(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#patterns", async |c| {
        let chosen: Vec<(String, String)> = form(&body)
            .all("element")
            .into_iter()
            .filter_map(|e| e.split_once('|').map(|(m, k)| (m.to_string(), k.to_string())))
            .collect();
        sessions::choose_patterns(&state.store, c, &id, &chosen, signed.actor()).await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct CardQuery {
    #[serde(default)]
    pub cell: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub max: String,
}

pub struct Candidate {
    pub id: String,
    pub text: String,
    pub chars: usize,
}

#[derive(Template)]
#[template(path = "sessions/cards.html")]
pub struct CardsPage {
    pub page: Page,
    pub base: String,
    pub title: String,
    pub cells: Vec<Choice>,
    pub q: String,
    pub max: String,
    pub candidates: Vec<Candidate>,
    pub cards: Vec<CardView>,
    pub withdrawn: usize,
}

/// `GET …/{session_id}/cards?cell=…&q=…&max=…`: the cards and the stories to pick from.
pub async fn cards_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<CardQuery>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let filter = CandidateFilter {
        cell: q.cell.split_once('|').map(|(m, k)| (m.to_string(), k.to_string())),
        q: q.q.clone(),
        max_chars: q.max.trim().parse().unwrap_or(0),
    };
    let candidates = l
        .candidates(&filter)
        .into_iter()
        .take(100)
        .map(|s| Candidate { id: s.id.clone(), chars: s.text.chars().count(), text: s.text.clone() })
        .collect();
    let cells = l
        .elements()
        .into_iter()
        .filter(|e| e.key.starts_with("cell:") && !e.stories.is_empty())
        .map(|e| {
            let value = format!("{}|{}", e.map_id, e.key);
            Choice { checked: value == q.cell, value, label: format!("{} ({})", e.label, e.stories.len()) }
        })
        .collect();
    let tpl = CardsPage {
        page: Page::new(Lang::Nl, "Verhaalkaarten").signed_in(&signed.0, &csrf),
        base: base(c.slug(), &id),
        title: l.session.details.title.clone(),
        cells,
        q: q.q,
        max: q.max,
        candidates,
        withdrawn: l.withdrawn_cards.len(),
        cards: l.cards,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST …/{session_id}/cards` (`story`…): new cards for these stories of the snapshots.
pub async fn pick_cards(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "/cards", async |c| {
        let ids: Vec<String> = form(&body).all("story").into_iter().map(str::to_string).collect();
        if ids.is_empty() {
            return Err(SessionsError::BadRequest("kies minstens één verhaal".into()));
        }
        sessions::pick_cards(&state.store, c, &id, &ids, signed.actor()).await
    })
    .await
}

/// `POST …/{session_id}/cards/{card_id}/remove`.
pub async fn remove_card(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id, card)): Path<(String, String, String)>,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "/cards", async |c| {
        sessions::remove_card(&state.store, c, &id, &card, signed.actor()).await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct PrintQuery {
    #[serde(default)]
    pub per_page: String,
}

#[derive(Template)]
#[template(path = "sessions/print.html")]
pub struct PrintPage {
    pub page: Page,
    pub base: String,
    pub per_page: usize,
    pub sheets: Vec<Vec<CardView>>,
}

/// `GET …/{session_id}/cards/print?per_page=2|4`: the cards on A4 sheets.
pub async fn print_cards(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<PrintQuery>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let per_page = if q.per_page == "4" { 4 } else { 2 };
    let sheets = l.cards.chunks(per_page).map(<[CardView]>::to_vec).collect();
    let tpl = PrintPage {
        page: Page::new(Lang::Nl, "Verhaalkaarten afdrukken").signed_in(&signed.0, &csrf),
        base: base(c.slug(), &id),
        per_page,
        sheets,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// One step of the presentation: a pattern or a card.
pub struct Step {
    pub heading: String,
    pub detail: String,
    pub svg: String,
    pub quotes: Vec<String>,
    pub text: String,
    pub answers: Vec<crate::sessions::view::AnswerView>,
}

/// The presentation's steps: the chosen patterns, then the cards. The room is full of
/// participants, so the patterns carry the numbers they may see (the disclosed snapshot), not the
/// facilitators' full ones.
pub fn steps(l: &Loaded) -> Vec<Step> {
    let mut out: Vec<Step> = l
        .participant_patterns()
        .into_iter()
        .map(|p| Step {
            heading: p.element.label,
            detail: p.element.detail,
            svg: p.element.svg,
            quotes: p.element.quotes.into_iter().take(2).collect(),
            text: String::new(),
            answers: Vec::new(),
        })
        .collect();
    out.extend(l.cards.iter().map(|c| Step {
        heading: format!("Kaart {}", c.card.number),
        detail: c.title.clone(),
        svg: String::new(),
        quotes: Vec::new(),
        text: c.text.clone(),
        answers: c.answers.clone(),
    }));
    out
}

#[derive(Debug, Default, Deserialize)]
pub struct StepQuery {
    #[serde(default)]
    pub step: String,
}

#[derive(Template)]
#[template(path = "sessions/present.html")]
pub struct PresentPage {
    pub page: Page,
    pub title: String,
    pub exit: String,
    pub step: Option<Step>,
    pub number: usize,
    pub count: usize,
    pub prev: String,
    pub next: String,
}

/// Previous and next links of step `n` of `count` under `href` ("" at either end).
pub fn step_links(href: &str, n: usize, count: usize) -> (String, String) {
    let prev = if n > 1 { format!("{href}?step={}", n - 1) } else { String::new() };
    let next = if n < count { format!("{href}?step={}", n + 1) } else { String::new() };
    (prev, next)
}

/// `GET …/{session_id}/present?step=n`: the projector view, one pattern or card per step.
pub async fn present(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<StepQuery>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let mut all = steps(&l);
    let count = all.len();
    let n = q.step.trim().parse::<usize>().unwrap_or(1).clamp(1, count.max(1));
    let b = base(c.slug(), &id);
    let (prev, next) = step_links(&format!("{b}/present"), n, count);
    let step = if count == 0 { None } else { Some(all.swap_remove(n - 1)) };
    let tpl = PresentPage {
        page: Page::new(Lang::Nl, l.session.details.title.clone()).private(),
        title: l.session.details.title.clone(),
        exit: b,
        step,
        number: n,
        count,
        prev,
        next,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(Template)]
#[template(path = "sessions/projector.html")]
pub struct ProjectorPage {
    pub page: Page,
    pub title: String,
    pub exit: String,
    pub code: String,
    pub link: String,
    pub qr: String,
    pub until: String,
}

/// The QR code of `link` as SVG (black on white, with its quiet zone).
pub fn qr_svg(link: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::new(link.as_bytes())?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// The short link a participant opens; absolute when the public URL is configured.
pub fn join_link(state: &AppState, code: &str) -> String {
    match &state.config.public_url {
        Some(u) => format!("{}/j/{code}", u.trim_end_matches('/')),
        None => format!("/j/{code}"),
    }
}

/// `GET …/{session_id}/projector`: the open join code, its short link and QR code, large.
pub async fn projector(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (c, l) = loaded(&state, &signed, &slug, &id).await?;
    let now = state.clock.now();
    let open: Option<JoinCode> =
        state.store.join_codes(&id).await.map_err(|e| fail(e.into()))?.into_iter().find(|j| j.usable(now));
    let (code, link, qr, until) = match open {
        Some(j) => {
            let link = join_link(&state, &j.code);
            let qr = qr_svg(&link).map_err(|e| fail(anyhow::anyhow!("qr: {e}").into()))?;
            (j.code, link, qr, date_time(j.expires_at))
        }
        None => (String::new(), String::new(), String::new(), String::new()),
    };
    let tpl = ProjectorPage {
        page: Page::new(Lang::Nl, l.session.details.title.clone()).private(),
        title: l.session.details.title.clone(),
        exit: base(c.slug(), &id),
        code,
        link,
        qr,
        until,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST …/{session_id}/codes`: opens a join code.
pub async fn open_code(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "/projector", async |c| {
        sessions::open_join_code(&state.store, c, &id, signed.actor(), state.clock.now()).await
    })
    .await
}

/// `POST …/{session_id}/codes/{join_code}/revoke`.
pub async fn revoke_code(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id, code)): Path<(String, String, String)>,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#codes", async |c| {
        sessions::revoke_join_code(&state.store, c, &id, &code, signed.actor(), state.clock.now()).await
    })
    .await
}

/// The note a form posts: `kind`, `strength`, `body`, `observation`, `element`…, `card`….
pub fn note_input(v: &FormValues) -> Result<NoteInput, SessionsError> {
    let mut links: Vec<NoteLink> =
        v.all("element").into_iter().filter(|s| !s.is_empty()).map(|e| NoteLink::Element(e.into())).collect();
    links.extend(v.all("card").into_iter().filter(|s| !s.is_empty()).map(|c| NoteLink::Card(c.into())));
    Ok(NoteInput::parse(v.get("kind"), v.get("strength"), v.get("body"), v.get("observation"), links)?)
}

/// `POST …/{session_id}/notes`: a facilitator's note (shown at once).
pub async fn add_note(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#notes", async |c| {
        let input = note_input(&form(&body))?;
        let author = Author::Facilitator(signed.actor());
        sessions::add_note(&state.store, c, &id, input, author, state.clock.now()).await
    })
    .await
}

/// `POST …/{session_id}/notes/{note_id}/approve`: the room may see the note.
pub async fn approve_note(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id, note)): Path<(String, String, String)>,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#notes", async |c| {
        sessions::approve_note(&state.store, c, &id, &note, signed.actor(), state.clock.now()).await
    })
    .await
}

/// `POST …/{session_id}/clusters` (`name`, `note`…): a new cluster.
pub async fn create_cluster(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#notes", async |c| {
        let v = form(&body);
        let notes: Vec<String> = v.all("note").into_iter().map(str::to_string).collect();
        sessions::create_cluster(
            &state.store,
            c,
            &id,
            v.get("name"),
            &notes,
            signed.actor(),
            state.clock.now(),
        )
        .await
    })
    .await
}

/// `POST …/{session_id}/clusters/assign` (`cluster:{note id}` = cluster id or ""): the select
/// boxes, or one field from a drag.
pub async fn assign_clusters(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "#notes", async |c| {
        let v = form(&body);
        let moves: Vec<(String, Option<String>)> = v
            .0
            .iter()
            .filter_map(|(k, val)| {
                k.strip_prefix("cluster:").map(|n| (n.to_string(), (!val.is_empty()).then(|| val.clone())))
            })
            .collect();
        if moves.is_empty() {
            return Err(SessionsError::BadRequest("geen notities om te groeperen".into()));
        }
        sessions::cluster_notes(&state.store, c, &id, &moves, signed.actor()).await
    })
    .await
}

#[derive(Template)]
#[template(path = "sessions/report.html")]
pub struct ReportPage {
    pub page: Page,
    pub r: Report,
    /// Links for the facilitator (downloads, publish); "" for the steering group.
    pub base: String,
    pub published: bool,
}

async fn report_of(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    id: &str,
) -> Result<(Campaign, Loaded, Report), Response> {
    let (c, l) = loaded(state, signed, slug, id).await?;
    let r = full_report(state, &l).await?;
    Ok((c, l, r))
}

/// The session's report with what became of it since (the actions that follow from it).
async fn full_report(state: &AppState, l: &Loaded) -> Result<Report, Response> {
    let mut r = report::report(l);
    r.follow_up = report::follow_up(&state.store, l).await.map_err(|e| fail(e.into()))?;
    Ok(r)
}

/// `GET …/{session_id}/report`: the printable report.
pub async fn report_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (c, l, r) = report_of(&state, &signed, &slug, &id).await?;
    let tpl = ReportPage {
        page: Page::new(Lang::Nl, format!("Verslag: {}", r.title)).signed_in(&signed.0, &csrf),
        base: base(c.slug(), &id),
        published: l.session.report_published_at.is_some(),
        r,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `GET …/{session_id}/report.md`.
pub async fn report_md(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (_, _, r) = report_of(&state, &signed, &slug, &id).await?;
    Ok(attachment("text/markdown; charset=utf-8", &format!("sessie-{id}.md"), report::markdown(&r)))
}

/// `GET …/{session_id}/report.csv`: the approved notes.
pub async fn report_csv(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let (_, _, r) = report_of(&state, &signed, &slug, &id).await?;
    let csv = report::notes_csv(&r).map_err(|e| fail(e.into()))?;
    Ok(attachment("text/csv; charset=utf-8", &format!("sessie-{id}-notities.csv"), csv))
}

/// `POST …/{session_id}/report/publish`: the steering group may read the report.
pub async fn publish(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    change_session(&state, &signed, &slug, &id, "/report", async |c| {
        sessions::publish_report(&state.store, c, &id, signed.actor(), state.clock.now()).await
    })
    .await
}

#[derive(Template)]
#[template(path = "sessions/published.html")]
pub struct PublishedList {
    pub page: Page,
    pub rows: Vec<SessionRow>,
}

/// `GET /published/sessions`: the published session reports.
pub async fn published_list(signed: SignedIn, State(state): State<AppState>, csrf: CsrfToken) -> Reply {
    signed.require(Permission::ViewPublishedReports)?;
    let rows = state
        .store
        .published_sessions()
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|s| SessionRow {
            href: format!("/published/sessions/{}", s.id),
            title: s.details.title,
            date: date(s.details.held_on.midnight().assume_utc()),
            published: true,
        })
        .collect();
    let tpl =
        PublishedList { page: Page::new(Lang::Nl, "Sessieverslagen").signed_in(&signed.0, &csrf), rows };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `GET /published/sessions/{session_id}`: a published report as the steering group reads it.
pub async fn published_report(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Reply {
    signed.require(Permission::ViewPublishedReports)?;
    let s = match state.store.sense_session(&id).await {
        Ok(s) if s.report_published_at.is_some() => s,
        Ok(_) | Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(fail(e.into())),
    };
    let c = state.store.campaign(&s.campaign_id).await.map_err(|e| fail(e.into()))?;
    let l = sessions::load(&state.store, &c, &id).await.map_err(fail)?;
    let r = full_report(&state, &l).await?;
    let tpl = ReportPage {
        page: Page::new(Lang::Nl, format!("Verslag: {}", r.title)).signed_in(&signed.0, &csrf),
        base: String::new(),
        published: true,
        r,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::Strength;

    #[test]
    fn presentation_links_stop_at_either_end() {
        assert_eq!(step_links("/p", 1, 3), (String::new(), "/p?step=2".into()));
        assert_eq!(step_links("/p", 2, 3), ("/p?step=1".into(), "/p?step=3".into()));
        assert_eq!(step_links("/p", 3, 3), ("/p?step=2".into(), String::new()));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_link() {
        let svg = qr_svg("https://luister.example.nl/j/ABCDEF").unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"));
        assert_ne!(svg, qr_svg("https://luister.example.nl/j/ABCDEG").unwrap());
    }

    #[test]
    fn notes_from_a_form_carry_their_links() {
        let v = crate::http::form::FormValues(vec![
            ("kind".into(), "observation".into()),
            ("strength".into(), Strength::Medium.as_str().into()),
            ("body".into(), "Opvallend".into()),
            ("element".into(), "cell:t:0".into()),
            ("card".into(), "k1".into()),
            ("card".into(), "".into()),
        ]);
        let n = note_input(&v).unwrap();
        assert_eq!(n.links, vec![NoteLink::Element("cell:t:0".into()), NoteLink::Card("k1".into())]);
    }
}
