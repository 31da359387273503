//! "You said, we did": the public results page of a campaign (`/c/{slug}/results`) and the
//! facilitators' page that decides what is on it (summary, quotes; actions are published from
//! their own page). Thin: parse, call one use case in `crate::actions::results`, render.

use crate::actions::ActionsError;
use crate::actions::results::{self, Results};
use crate::auth::policy::{Denied, Permission};
use crate::domain::{CampaignStatus, Lang};
use crate::http::AppState;
use crate::http::actions::{Problems, fail};
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::form::LangQuery;
use crate::http::page::{OrPage, Reply, campaign_for, form};
use crate::http::routes::Routes;
use crate::http::views::{ErrorView, Page, render};
use crate::store::StoreError;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub fn routes() -> Routes {
    Routes::new()
        .get("/c/{slug}/results", public_page)
        .get("/manage/campaigns/{slug}/results", manage_page)
        .post("/manage/campaigns/{slug}/results", save_summary)
        .post("/manage/campaigns/{slug}/results/quotes", publish_quote)
}

fn manage(id: &str) -> Permission<'_> {
    Permission::ManageActions(id)
}

#[derive(Template)]
#[template(path = "results.html")]
pub struct PublicPage {
    pub page: Page,
    pub campaign_title: String,
    pub form_href: String,
    pub results: Results,
}

/// `GET /c/{slug}/results`: what the campaign published. A draft campaign has no public page.
pub async fn public_page(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    Path(slug): Path<String>,
) -> Response {
    let lang = Lang::from_param(q.lang.as_deref());
    let campaign = match state.store.campaign_by_slug(&slug).await {
        Ok(c) if c.def.status != CampaignStatus::Draft => c,
        Ok(_) | Err(StoreError::NotFound) => {
            return Error::from(StoreError::NotFound).html(lang).into_response();
        }
        Err(e) => return Error::from(e).html(lang).into_response(),
    };
    let results = match results::published(&state.store, &campaign).await {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let tpl = PublicPage {
        page: Page::new(lang, "Wat er met jullie verhalen gebeurt"),
        campaign_title: campaign.def.title.get(lang).to_string(),
        form_href: format!("/c/{}", campaign.slug()),
        results,
    };
    render(StatusCode::OK, false, &tpl)
}

pub struct CandidateView {
    pub map_id: String,
    pub map_title: String,
    pub theme: String,
    pub group: String,
    pub story_id: String,
    pub text: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "actions/results.html")]
pub struct ManagePage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub summary: String,
    pub published: bool,
    pub actions: usize,
    pub candidates: Vec<CandidateView>,
    pub problems: Problems,
    pub errors: Vec<ErrorView>,
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &crate::domain::Campaign,
    typed: Option<(String, Problems)>,
) -> Reply {
    let stored = state.store.campaign_results(&campaign.id).await.or_page()?;
    let shown = results::published(&state.store, campaign).await.map_err(fail)?;
    let candidates = results::candidates(&state.store, campaign).await.map_err(fail)?;
    let status = if typed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (summary, problems) = typed.unwrap_or_else(|| {
        (stored.as_ref().map(|r| r.summary.clone()).unwrap_or_default(), Problems::none())
    });
    let tpl = ManagePage {
        page: Page::new(Lang::Nl, "Resultaten publiceren").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        summary,
        published: stored.is_some_and(|r| r.published_at.is_some()),
        actions: shown.actions.len(),
        candidates: candidates
            .into_iter()
            .map(|c| CandidateView {
                map_id: c.map_id,
                map_title: c.map_title,
                theme: c.theme,
                group: c.group,
                story_id: c.story_id,
                text: c.text,
                published: c.published,
            })
            .collect(),
        errors: problems.summary(),
        problems,
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/results`.
pub async fn manage_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    page(&state, &signed, &csrf, &campaign, None).await
}

/// `POST /manage/campaigns/{slug}/results` (`summary`, `publish` = 1 to put it online).
pub async fn save_summary(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let v = form(&body);
    let publish = v.get("publish") == "1";
    match results::save_summary(
        &state.store,
        &campaign,
        v.get("summary"),
        publish,
        signed.actor(),
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/manage/campaigns/{slug}/results")).into_response()),
        Err(ActionsError::Invalid(p)) => {
            page(&state, &signed, &csrf, &campaign, Some((v.get("summary").into(), Problems(p)))).await
        }
        Err(e) => Err(fail(e)),
    }
}

/// `POST /manage/campaigns/{slug}/results/quotes` (`map`, `story`, `publish` = 1 or 0).
pub async fn publish_quote(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let v = form(&body);
    if v.get("story").trim().is_empty() {
        return Err((StatusCode::UNPROCESSABLE_ENTITY, "Kies een citaat.").into_response());
    }
    match results::publish_quote(
        &state.store,
        &campaign,
        v.get("map"),
        v.get("story"),
        v.get("publish") == "1",
        signed.actor(),
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/manage/campaigns/{slug}/results")).into_response()),
        Err(ActionsError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(fail(e)),
    }
}
