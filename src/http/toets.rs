//! Leefwereldtoets pages: the policy and its assumptions with their conclusions (facilitators),
//! linking a story to an assumption (from the story page and the coding queue), and the toets
//! report — open for facilitators, disclosure-controlled for the steering group — as a
//! printable page and as Markdown. Thin: parse, call one use case in `crate::toets`, render.

use crate::actions::ActionsError;
use crate::auth::policy::{Denied, Permission};
use crate::domain::toets::{Stance, Verdict};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::actions::{Choice, Problems, fail};
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::form::FormValues;
use crate::http::page::{OrPage, Reply, campaign_for, form, story_in};
use crate::http::respond::{attachment, saved_or_again, see};
use crate::http::routes::Routes;
use crate::http::views::{ErrorView, Page, render};
use crate::store::StoreError;
use crate::toets::{self, report::Report};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/toets", toets_page)
        .post("/manage/campaigns/{slug}/toets/policy", save_policy)
        .post("/manage/campaigns/{slug}/toets/assumptions", add_assumption)
        .post("/manage/campaigns/{slug}/toets/assumptions/{assumption_id}", change_assumption)
        .post("/manage/campaigns/{slug}/toets/assumptions/{assumption_id}/conclusion", conclude)
        .post("/manage/campaigns/{slug}/stories/{id}/assumptions", link_story)
        .get("/manage/campaigns/{slug}/toets/report", report_page)
        .get("/manage/campaigns/{slug}/toets/report/markdown", report_markdown)
        .get("/published/toets/{slug}", published_report)
        .get("/published/toets/{slug}/markdown", published_markdown)
}

fn manage(id: &str) -> Permission<'_> {
    Permission::ManageActions(id)
}

fn k(state: &AppState) -> u64 {
    state.config.disclosure_threshold.max(1) as u64
}

pub struct AssumptionView {
    pub id: String,
    pub n: usize,
    pub statement: String,
    pub expected: String,
    pub linked: usize,
    pub verdicts: Vec<Choice>,
    pub reasoning: String,
    pub session_id: String,
    pub concluded: String,
}

#[derive(Template)]
#[template(path = "toets/toets.html")]
pub struct ToetsPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub policy: String,
    pub assumptions: Vec<AssumptionView>,
    pub statement: String,
    pub expected: String,
    pub problems: Problems,
    pub errors: Vec<ErrorView>,
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    problems: Problems,
) -> Reply {
    let status = if problems.0.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let report = report(state, campaign, false).await?;
    let assumptions = state.store.assumptions(&campaign.id).await.or_page()?;
    let conclusions = state.store.conclusions(&campaign.id).await.or_page()?;
    let views = assumptions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let c = conclusions.iter().find(|c| c.assumption_id == a.id);
            let current = c.map(|c| c.verdict.as_str()).unwrap_or("");
            AssumptionView {
                id: a.id.clone(),
                n: i + 1,
                statement: a.statement.clone(),
                expected: a.expected.clone(),
                linked: report.assumptions.iter().find(|r| r.id == a.id).map_or(0, |r| r.linked),
                verdicts: Verdict::ALL
                    .iter()
                    .map(|v| Choice {
                        value: v.as_str().into(),
                        label: v.label().into(),
                        selected: v.as_str() == current,
                    })
                    .collect(),
                reasoning: c.map(|c| c.reasoning.clone()).unwrap_or_default(),
                session_id: c.and_then(|c| c.session_id.clone()).unwrap_or_default(),
                concluded: c.map(|c| c.verdict.label().to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let tpl = ToetsPage {
        page: Page::new(Lang::Nl, "Leefwereldtoets").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        policy: report.policy,
        assumptions: views,
        statement: String::new(),
        expected: String::new(),
        errors: problems.summary(),
        problems,
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/toets`.
pub async fn toets_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    page(&state, &signed, &csrf, &campaign, Problems::none()).await
}

/// A post to the toets page: the campaign in the URL (checked), the use case `run` with the
/// posted fields, then back to the page — or the page again with the problems of the fields.
async fn edit(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    slug: &str,
    body: &Bytes,
    run: impl AsyncFnOnce(&Campaign, &FormValues) -> Result<(), ActionsError>,
) -> Reply {
    let campaign = campaign_for(state, signed, slug, manage).await?;
    let result = run(&campaign, &form(body)).await;
    saved_or_again(
        result,
        |()| format!("/manage/campaigns/{}/toets", campaign.slug()),
        |p| page(state, signed, csrf, &campaign, Problems(p)),
    )
    .await
}

/// `POST /manage/campaigns/{slug}/toets/policy` (`policy`).
pub async fn save_policy(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    edit(&state, &signed, &csrf, &slug, &body, async |campaign, v| {
        toets::save_policy(&state.store, campaign, v.get("policy"), signed.actor(), state.clock.now()).await
    })
    .await
}

/// A new assumption (`id` None) or a change to one (`statement`, `expected`).
async fn save_assumption(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    slug: &str,
    id: Option<&str>,
    body: &Bytes,
) -> Reply {
    edit(state, signed, csrf, slug, body, async |campaign, v| {
        toets::save_assumption(
            &state.store,
            campaign,
            id,
            v.get("statement"),
            v.get("expected"),
            signed.actor(),
            state.clock.now(),
        )
        .await
        .map(|_| ())
    })
    .await
}

/// `POST /manage/campaigns/{slug}/toets/assumptions` (`statement`, `expected`).
pub async fn add_assumption(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    save_assumption(&state, &signed, &csrf, &slug, None, &body).await
}

/// `POST /manage/campaigns/{slug}/toets/assumptions/{assumption_id}`.
pub async fn change_assumption(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    save_assumption(&state, &signed, &csrf, &slug, Some(&id), &body).await
}

/// `POST /manage/campaigns/{slug}/toets/assumptions/{assumption_id}/conclusion`.
pub async fn conclude(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    edit(&state, &signed, &csrf, &slug, &body, async |campaign, v| {
        toets::record_conclusion(
            &state.store,
            campaign,
            &id,
            v.get("verdict"),
            v.get("reasoning"),
            v.get("session_id"),
            signed.actor(),
            state.clock.now(),
        )
        .await
        .map(|_| ())
    })
    .await
}

/// `POST /manage/campaigns/{slug}/stories/{id}/assumptions` (`assumption`, `stance`: supports,
/// contradicts, mixed, or empty to unlink; `back`: `coding` returns to the coding queue).
pub async fn link_story(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let story = story_in(&state, &campaign, &id).await?;
    let v = form(&body);
    let stance = match v.get("stance").trim() {
        "" => None,
        s => Some(Stance::parse(s).ok_or_else(|| {
            (StatusCode::UNPROCESSABLE_ENTITY, "Kies ondersteunt, spreekt tegen of gemengd.").into_response()
        })?),
    };
    toets::link_story(
        &state.store,
        &campaign,
        v.get("assumption"),
        &story.id,
        stance,
        signed.actor(),
        state.clock.now(),
    )
    .await
    .map_err(fail)?;
    let to = if v.get("back") == "coding" {
        format!("/manage/campaigns/{slug}/coding?story={}", story.id)
    } else {
        format!("/manage/campaigns/{slug}/stories/{}#toets", story.id)
    };
    see(&to)
}

#[derive(Template)]
#[template(path = "toets/report.html")]
pub struct ReportPage {
    pub page: Page,
    pub slug: String,
    pub r: Report,
    pub markdown: String,
    /// Facilitators' report: links to the stories quoted.
    pub open: bool,
}

/// The toets report of `campaign`: in full for facilitators, or `disclosed` (small counts
/// hidden, no story text) for the steering group.
async fn report(state: &AppState, campaign: &Campaign, disclosed: bool) -> Result<Report, Response> {
    toets::build_report(&state.store, campaign, disclosed, k(state)).await.map_err(fail)
}

/// The printable report; `open` (the campaign's slug) links the quoted stories for facilitators.
fn report_view(
    signed: &SignedIn,
    csrf: &CsrfToken,
    r: Report,
    markdown: String,
    open: Option<String>,
) -> Reply {
    let tpl = ReportPage {
        page: Page::new(Lang::Nl, "Toetsrapport").signed_in(&signed.0, csrf),
        markdown,
        open: open.is_some(),
        slug: open.unwrap_or_default(),
        r,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

fn markdown_response(name: &str, report: &Report) -> Response {
    attachment(
        "text/markdown; charset=utf-8",
        &format!("{name}-leefwereldtoets.md"),
        toets::report::markdown(report),
    )
}

/// `GET /manage/campaigns/{slug}/toets/report`: the full report for facilitators.
pub async fn report_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let r = report(&state, &campaign, false).await?;
    report_view(&signed, &csrf, r, format!("/manage/campaigns/{slug}/toets/report/markdown"), Some(slug))
}

/// `GET /manage/campaigns/{slug}/toets/report/markdown`.
pub async fn report_markdown(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let r = report(&state, &campaign, false).await?;
    Ok(markdown_response(campaign.slug(), &r))
}

/// The campaign of a steering report: any signed-in account may read the disclosed report.
async fn published_campaign(state: &AppState, signed: &SignedIn, slug: &str) -> Result<Campaign, Response> {
    signed.require(Permission::ViewPublishedReports)?;
    match state.store.campaign_by_slug(slug).await {
        Ok(c) => Ok(c),
        Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).into_response()),
    }
}

/// `GET /published/toets/{slug}`: the report with disclosure control, for the steering group.
pub async fn published_report(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = published_campaign(&state, &signed, &slug).await?;
    let r = report(&state, &campaign, true).await?;
    report_view(&signed, &csrf, r, format!("/published/toets/{slug}/markdown"), None)
}

/// `GET /published/toets/{slug}/markdown`.
pub async fn published_markdown(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = published_campaign(&state, &signed, &slug).await?;
    let r = report(&state, &campaign, true).await?;
    Ok(markdown_response(campaign.slug(), &r))
}
