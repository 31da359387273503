//! The steering dashboard: `/dashboard` (page) and `/api/v1/dashboard` (the same figures as
//! JSON, a hidden count as `null`). Thin: parse the filter, build the figures
//! (`crate::dashboard`), select what the filter asks, render.

use crate::analysis::dashboard::{Dashboard, Period, Table};
use crate::auth::policy::Permission;
use crate::dashboard::tracker::PartyRow;
use crate::dashboard::view::{self, Filter, TableView, ThemeView};
use crate::dashboard::{self, ConclusionRow, DashboardError};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ErrorKind};
use crate::http::routes::Routes;
use crate::http::views::{Page, render};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub fn routes() -> Routes {
    Routes::new().get("/dashboard", dashboard_page).get("/api/v1/dashboard", dashboard_api)
}

/// What one request shows.
struct Built {
    campaigns: Vec<Campaign>,
    selected: Option<Campaign>,
    period: Period,
    summary: Table,
    dashboard: Option<Dashboard>,
    actions: Vec<PartyRow>,
    /// Whether `actions` counts unpublished actions too (the campaign's facilitators).
    all_actions: bool,
    conclusions: Vec<ConclusionRow>,
}

/// The period a viewer may use: weeks only for those who may read stories anyway (facilitators
/// and admins). For the steering group the time axis is fixed to months, so week and month
/// views cannot be set against each other to narrow a hidden count.
fn period_for(signed: &SignedIn, f: &Filter) -> Period {
    match Period::parse(&f.period) {
        Some(Period::Week) if signed.0.may(Permission::UseWorkspace) => Period::Week,
        _ => Period::Month,
    }
}

async fn build(state: &AppState, signed: &SignedIn, f: &Filter, lang: Lang) -> Result<Built, DashboardError> {
    let k = state.config.disclosure_threshold.max(1) as u64;
    let mut campaigns = state.store.campaigns().await?;
    if let Some(id) = signed.0.token_campaign() {
        campaigns.retain(|c| c.id == id);
    }
    campaigns.sort_by(|a, b| a.def.title.get(lang).cmp(b.def.title.get(lang)));
    let summary = dashboard::summary(&state.store, &campaigns, k, lang).await?;
    let selected = if f.campaign.is_empty() {
        // The campaign with the most stories is where a newcomer wants to look first.
        let mut best: Option<(i64, &Campaign)> = None;
        for c in &campaigns {
            let n = state.store.count_stories(&c.id).await?;
            if best.is_none_or(|(m, _)| n > m) {
                best = Some((n, c));
            }
        }
        best.map(|(_, c)| c.clone())
    } else {
        campaigns.iter().find(|c| c.slug() == f.campaign).cloned()
    };
    let period = period_for(signed, f);
    let dashboard = match &selected {
        Some(c) => {
            let d = dashboard::campaign(&state.store, c, period, k, state.config.map_min_group, lang).await?;
            Some(view::select(&d, f, lang))
        }
        None => None,
    };
    // Facilitators of the campaign see all its actions; the steering group the published ones.
    let all_actions = selected.as_ref().is_some_and(|c| signed.0.may(Permission::ManageActions(&c.id)));
    let (actions, conclusions) = match &selected {
        Some(c) => dashboard::follow_through(&state.store, c, !all_actions, state.clock.now().date()).await?,
        None => (Vec::new(), Vec::new()),
    };
    Ok(Built { campaigns, selected, period, summary, dashboard, actions, all_actions, conclusions })
}

pub struct CampaignOption {
    pub slug: String,
    pub title: String,
    pub selected: bool,
}

pub struct GroupOption {
    pub key: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub page: Page,
    pub error: String,
    pub filter: Filter,
    pub weeks: bool,
    pub week_selected: bool,
    pub campaigns: Vec<CampaignOption>,
    pub groups: Vec<GroupOption>,
    pub regions: Vec<CampaignOption>,
    pub k: u64,
    pub min_group: u64,
    pub summary: TableView,
    pub title: String,
    pub has_figures: bool,
    pub stories: u64,
    pub hidden_groups: String,
    pub over_time_chart: String,
    pub over_time: TableView,
    pub regions_table: TableView,
    pub themes: Vec<ThemeView>,
    pub tests: usize,
    pub actions: Vec<PartyRow>,
    pub all_actions: bool,
    pub conclusions: Vec<ConclusionRow>,
}

/// `GET /dashboard?campaign=…&period=…&from=…&to=…&group=…&region=…`.
pub async fn dashboard_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(f): Query<Filter>,
) -> Result<Response, Response> {
    signed.require(Permission::ViewOverview)?;
    let lang = Lang::Nl;
    let k = state.config.disclosure_threshold.max(1) as u64;
    let mut error = f.problem(lang);
    // A bad filter field is left out, the rest still applies, and the form keeps what was typed.
    let effective = if error.is_some() {
        Filter { campaign: f.campaign.clone(), ..Filter::default() }
    } else {
        f.clone()
    };
    let built = build(&state, &signed, &effective, lang)
        .await
        .map_err(|e| Error::internal(anyhow::anyhow!(e)).html(lang).into_response())?;
    if error.is_none() && !f.campaign.is_empty() && built.selected.is_none() {
        error = Some(format!("Er is geen campagne '{}': kies er een uit de lijst.", f.campaign));
    }
    let d = built.dashboard.as_ref();
    let tpl = DashboardPage {
        page: Page::new(lang, "Dashboard").signed_in(&signed.0, &csrf),
        error: error.clone().unwrap_or_default(),
        weeks: signed.0.may(Permission::UseWorkspace),
        week_selected: built.period == Period::Week,
        campaigns: built
            .campaigns
            .iter()
            .map(|c| CampaignOption {
                slug: c.slug().to_string(),
                title: c.def.title.get(lang).to_string(),
                selected: built.selected.as_ref().is_some_and(|s| s.id == c.id),
            })
            .collect(),
        groups: dashboard::GROUPS
            .iter()
            .map(|p| GroupOption {
                key: p.as_str(),
                label: dashboard::group_label(*p, lang),
                selected: f.group == p.as_str(),
            })
            .collect(),
        regions: crate::domain::region::regions()
            .iter()
            .map(|r| CampaignOption {
                slug: r.code.clone(),
                title: r.name.clone(),
                selected: f.region == r.code,
            })
            .collect(),
        k,
        min_group: state.config.map_min_group,
        summary: view::table_view(&built.summary, k),
        title: built.selected.as_ref().map(|c| c.def.title.get(lang).to_string()).unwrap_or_default(),
        has_figures: d.is_some_and(|d| !d.bins.is_empty()),
        stories: d.map_or(0, |d| d.stories),
        hidden_groups: d.map(|d| d.hidden_groups.join(", ")).unwrap_or_default(),
        over_time_chart: d.map(|d| view::over_time_chart(d, lang)).unwrap_or_default(),
        over_time: d
            .map(|d| view::table_view(&d.over_time, k))
            .unwrap_or_else(|| view::table_view(&built.summary, k)),
        regions_table: d
            .map(|d| view::table_view(&d.regions, k))
            .unwrap_or_else(|| view::table_view(&built.summary, k)),
        themes: d.map(|d| view::theme_views(d, lang)).unwrap_or_default(),
        tests: d.map_or(0, |d| d.tests),
        actions: built.actions.clone(),
        all_actions: built.all_actions,
        conclusions: built.conclusions.clone(),
        filter: f,
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(render(status, true, &tpl))
}

#[derive(Serialize)]
struct ApiDashboard {
    /// The campaign the figures are of (`null` when there are no campaigns).
    campaign: Option<String>,
    period: Period,
    k: u64,
    /// Stories per campaign and group.
    summary: Table,
    dashboard: Option<Dashboard>,
    /// Improvement actions per responsible party (published ones for the steering group).
    actions: Vec<PartyRow>,
    /// Leefwereldtoets conclusions per assumption.
    conclusions: Vec<ConclusionRow>,
}

/// `GET /api/v1/dashboard`: the dashboard's figures as JSON, with the same disclosure control
/// (a hidden count is `null` with a `hidden` reason, never a number below k).
#[utoipa::path(
    get,
    path = "/api/v1/dashboard",
    tag = "dashboard",
    params(
        ("campaign" = Option<String>, Query, description = "Campaign slug (default: the one with the most stories)"),
        ("period" = Option<String>, Query, description = "`month` (default) or `week` (facilitators only)"),
        ("from" = Option<String>, Query, description = "First month shown, yyyy-mm"),
        ("to" = Option<String>, Query, description = "Last month shown, yyyy-mm"),
        ("group" = Option<String>, Query, description = "A perspective: youth, parent, professional or other"),
        ("region" = Option<String>, Query, description = "A youth-care region code such as JZ01"),
    ),
    responses(
        (status = 200, description = "Stories over time and per region, theme trends with tested changes, the action tracker and toets conclusions (docs/dashboard.md); a hidden count is null", body = Object),
        (status = 400, description = "A filter that cannot be read; `message` says how to write it", body = super::openapi::ApiError),
        (status = 401, description = "Not signed in and no valid personal API token", body = super::openapi::ApiError),
        (status = 403, description = "The account may not see the dashboard", body = super::openapi::ApiError),
        (status = 404, description = "No such campaign", body = super::openapi::ApiError),
    ),
    security(("bearerAuth" = []), ("session" = []))
)]
pub async fn dashboard_api(
    caller: Result<crate::http::auth::ApiCaller, Response>,
    State(state): State<AppState>,
    Query(f): Query<Filter>,
) -> Response {
    // A session or a personal API token (then only the token's campaign, see `build`).
    let signed = match caller {
        Ok(c) => SignedIn(c.0),
        Err(refusal) => return refusal,
    };
    if let Err(d) = signed.0.require(Permission::ViewOverview) {
        return crate::http::auth::api_denied(d);
    }
    if let Some(problem) = f.problem(Lang::En) {
        return Error::new(ErrorKind::BadRequest(problem)).json().into_response();
    }
    match build(&state, &signed, &f, Lang::En).await {
        Ok(b) => {
            if !f.campaign.is_empty() && b.selected.is_none() {
                return Error::not_found().json().into_response();
            }
            Json(ApiDashboard {
                campaign: b.selected.as_ref().map(|c| c.slug().to_string()),
                period: b.period,
                k: state.config.disclosure_threshold.max(1) as u64,
                summary: b.summary,
                dashboard: b.dashboard,
                actions: b.actions,
                conclusions: b.conclusions,
            })
            .into_response()
        }
        Err(e) => Error::internal(anyhow::anyhow!(e)).json().into_response(),
    }
}
