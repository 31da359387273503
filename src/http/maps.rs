//! Perspective map pages: the facilitator's live map of a campaign (filter, compare by), its
//! tables as CSV and charts as SVG. Thin: parse, build the map (`crate::maps`), render.

use crate::auth::policy::{Denied, Permission};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::routes::Routes;
use crate::http::views::{Page, render};
use crate::maps::view::{MapView, view};
use crate::maps::{self, MapsError, Request, Source};
use crate::store::StoreError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/map", map_page)
        .get("/manage/campaigns/{slug}/map/table/{table}", map_table)
        .get("/manage/campaigns/{slug}/map/chart/{chart}", map_chart)
}

type Reply = Result<Response, Response>;

#[derive(Debug, Default, Deserialize)]
pub struct MapQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub by: String,
}

pub struct Axis {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "maps/map.html")]
pub struct MapPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub q: String,
    pub axes: Vec<Axis>,
    pub map: Option<MapView>,
    pub error: String,
    /// The base of the download links ("" hides them), and their `?q=…&by=…`.
    pub dl: String,
    pub params: String,
}

/// The campaign, if the viewer may make maps of it; the same refusal as other manage pages
/// (a facilitator of another campaign is told it does not exist).
async fn campaign_for(state: &AppState, signed: &SignedIn, slug: &str) -> Result<Campaign, Response> {
    signed.require(Permission::UseWorkspace)?;
    let campaign = match state.store.campaign_by_slug(slug).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).html(Lang::Nl).into_response()),
    };
    signed.require(Permission::MakeMaps(&campaign.id))?;
    Ok(campaign)
}

async fn live_view(state: &AppState, campaign: &Campaign, q: &MapQuery) -> Result<MapView, MapsError> {
    let by = if q.by.trim().is_empty() { "perspective".to_string() } else { q.by.trim().to_string() };
    let req = Request {
        source: Source::Query(q.q.clone()),
        by,
        min_group: state.config.map_min_group,
        ..Request::default()
    };
    let live = state.search.live();
    let built = maps::build(&state.store, live.as_deref(), campaign, &req).await?;
    Ok(view(&built, &campaign.id, &q.q, state.config.disclosure_threshold.max(1) as u64))
}

/// `GET /manage/campaigns/{slug}/map?q=…&by=…`.
pub async fn map_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<MapQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let (map, error, status) = match live_view(&state, &campaign, &q).await {
        Ok(m) => (Some(m), String::new(), StatusCode::OK),
        Err(MapsError::BadRequest(e)) => (None, e, StatusCode::BAD_REQUEST),
        Err(e @ MapsError::IndexUnavailable) => (None, e.to_string(), StatusCode::SERVICE_UNAVAILABLE),
        Err(e) => return Err(Error::from(anyhow::anyhow!(e)).html(Lang::Nl).into_response()),
    };
    let by = map.as_ref().map_or(q.by.clone(), |m| m.by.clone());
    let axes = maps::axes(&campaign, Lang::Nl)
        .into_iter()
        .map(|(key, label)| Axis { selected: key == by, key, label })
        .collect();
    let params = format!(
        "?{}",
        serde_urlencoded::to_string([("q", q.q.as_str()), ("by", by.as_str())]).unwrap_or_default()
    );
    let tpl = MapPage {
        page: Page::new(Lang::Nl, "Perspectiefkaart").signed_in(&signed.0, &csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        q: q.q.clone(),
        axes,
        map,
        error,
        dl: format!("/manage/campaigns/{}/map", campaign.slug()),
        params,
    };
    Ok(render(status, true, &tpl))
}

fn download(content_type: &'static str, name: &str, body: String) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

async fn view_or_error(state: &AppState, campaign: &Campaign, q: &MapQuery) -> Result<MapView, Response> {
    live_view(state, campaign, q).await.map_err(|e| match e {
        MapsError::BadRequest(m) => (StatusCode::BAD_REQUEST, m).into_response(),
        e => Error::from(anyhow::anyhow!(e)).html(Lang::Nl).into_response(),
    })
}

/// `GET /manage/campaigns/{slug}/map/table/{table}?q=…&by=…`: a table as CSV (`themes`, `groups`
/// or a chart id).
pub async fn map_table(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let v = view_or_error(&state, &campaign, &q).await?;
    let id = id.trim_end_matches(".csv");
    let table = crate::maps::view::table(&v, id).ok_or_else(|| denied(Denied::NotFound))?;
    Ok(download("text/csv; charset=utf-8", &format!("{}-{id}.csv", campaign.slug()), table.to_csv()))
}

/// `GET /manage/campaigns/{slug}/map/chart/{chart}?q=…&by=…`: a chart as SVG.
pub async fn map_chart(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let v = view_or_error(&state, &campaign, &q).await?;
    let id = id.trim_end_matches(".svg");
    let chart = v.charts.iter().find(|c| c.id == id).ok_or_else(|| denied(Denied::NotFound))?;
    Ok(download("image/svg+xml", &format!("{}-{id}.svg", campaign.slug()), chart.svg.clone()))
}
