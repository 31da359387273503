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
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/map", map_page)
        .get("/manage/campaigns/{slug}/map/table/{table}", map_table)
        .get("/manage/campaigns/{slug}/map/chart/{chart}", map_chart)
        .post("/manage/campaigns/{slug}/map/freeze", freeze)
        .get("/manage/campaigns/{slug}/maps", frozen_list)
        .get("/manage/campaigns/{slug}/maps/{map_id}", frozen_page)
        .post("/manage/campaigns/{slug}/maps/{map_id}/publish", publish)
        .get("/published", published_list)
        .get("/published/{map_id}", published_page)
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

fn fail(e: MapsError) -> Response {
    match e {
        MapsError::BadRequest(m) => (StatusCode::BAD_REQUEST, m).into_response(),
        MapsError::Store(StoreError::NotFound) => denied(Denied::NotFound),
        e => Error::from(anyhow::anyhow!(e)).html(Lang::Nl).into_response(),
    }
}

/// `POST /manage/campaigns/{slug}/map/freeze` (`q`, `by`, `title`): freezes the map as shown.
pub async fn freeze(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let v = crate::http::form::FormValues(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let q = MapQuery { q: v.get("q").to_string(), by: v.get("by").to_string() };
    let by = if q.by.trim().is_empty() { "perspective".to_string() } else { q.by.trim().to_string() };
    let req = Request {
        source: Source::Query(q.q.clone()),
        by,
        min_group: state.config.map_min_group,
        ..Request::default()
    };
    let live = state.search.live();
    let built = maps::build(&state.store, live.as_deref(), &campaign, &req).await.map_err(fail)?;
    let k = state.config.disclosure_threshold.max(1) as u64;
    let map = maps::frozen::freeze(
        &state.store,
        &campaign,
        &built,
        &q.q,
        v.get("title"),
        state.config.map_min_group,
        k,
        signed.actor(),
        state.clock.now(),
    )
    .await
    .map_err(fail)?;
    Ok(Redirect::to(&format!("/manage/campaigns/{}/maps/{}", campaign.slug(), map.id)).into_response())
}

pub struct FrozenRow {
    pub href: String,
    pub title: String,
    pub created: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "maps/list.html")]
pub struct FrozenList {
    pub page: Page,
    pub heading: String,
    pub slug: String,
    pub rows: Vec<FrozenRow>,
}

fn when(t: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[day]-[month]-[year] [hour]:[minute]");
    t.format(&f).unwrap_or_default()
}

/// `GET /manage/campaigns/{slug}/maps`: the campaign's frozen maps.
pub async fn frozen_list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let maps = state.store.frozen_maps(&campaign.id).await.map_err(|e| fail(e.into()))?;
    let rows = maps
        .into_iter()
        .map(|m| FrozenRow {
            href: format!("/manage/campaigns/{}/maps/{}", campaign.slug(), m.id),
            title: m.title,
            created: when(m.created_at),
            published: m.published_at.map_or("nee".into(), when),
        })
        .collect();
    let tpl = FrozenList {
        page: Page::new(Lang::Nl, "Bevroren kaarten").signed_in(&signed.0, &csrf),
        heading: format!("Bevroren kaarten van {}", campaign.def.title.get(Lang::Nl)),
        slug: campaign.slug().to_string(),
        rows,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(Template)]
#[template(path = "maps/frozen.html")]
pub struct FrozenPage {
    pub page: Page,
    pub slug: String,
    pub title: String,
    pub created: String,
    pub published: String,
    pub hash: String,
    pub intact: bool,
    pub withdrawn: usize,
    /// The publish form's action ("" when published or for the steering group).
    pub publish: String,
    pub m: MapView,
    pub dl: String,
    pub params: String,
}

fn frozen_tpl(page: Page, slug: &str, shown: crate::maps::frozen::Shown, publish: String) -> FrozenPage {
    FrozenPage {
        page,
        slug: slug.to_string(),
        title: shown.map.title.clone(),
        created: when(shown.map.created_at),
        published: shown.map.published_at.map_or_else(String::new, when),
        hash: shown.map.content_hash.clone(),
        intact: shown.intact,
        withdrawn: shown.withdrawn,
        publish,
        m: shown.view,
        dl: String::new(),
        params: String::new(),
    }
}

/// `GET /manage/campaigns/{slug}/maps/{map_id}`: a frozen map as it was frozen.
pub async fn frozen_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let map = match state.store.frozen_map(&id).await {
        Ok(m) if m.campaign_id == campaign.id => m,
        Ok(_) | Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(fail(e.into())),
    };
    let publish = if map.published_at.is_none() {
        format!("/manage/campaigns/{}/maps/{}/publish", campaign.slug(), map.id)
    } else {
        String::new()
    };
    let shown = maps::frozen::show(&state.store, map, false).await.map_err(fail)?;
    let page = Page::new(Lang::Nl, "Bevroren perspectiefkaart").signed_in(&signed.0, &csrf);
    Ok(render(StatusCode::OK, true, &frozen_tpl(page, campaign.slug(), shown, publish)))
}

/// `POST /manage/campaigns/{slug}/maps/{map_id}/publish`: shows the map to the steering group.
pub async fn publish(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    maps::frozen::publish(&state.store, &campaign, &id, signed.actor(), state.clock.now())
        .await
        .map_err(fail)?;
    Ok(Redirect::to(&format!("/manage/campaigns/{}/maps/{id}", campaign.slug())).into_response())
}

/// `GET /published`: the maps published to the steering group.
pub async fn published_list(signed: SignedIn, State(state): State<AppState>, csrf: CsrfToken) -> Reply {
    signed.require(Permission::ViewPublishedMaps)?;
    let maps = state.store.published_maps().await.map_err(|e| fail(e.into()))?;
    let rows = maps
        .into_iter()
        .map(|m| FrozenRow {
            href: format!("/published/{}", m.id),
            title: m.title,
            created: when(m.created_at),
            published: m.published_at.map_or_else(String::new, when),
        })
        .collect();
    let tpl = FrozenList {
        page: Page::new(Lang::Nl, "Gepubliceerde kaarten").signed_in(&signed.0, &csrf),
        heading: "Gepubliceerde perspectiefkaarten".into(),
        slug: String::new(),
        rows,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `GET /published/{map_id}`: a published map with disclosure control applied.
pub async fn published_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Reply {
    signed.require(Permission::ViewPublishedMaps)?;
    let map = match state.store.frozen_map(&id).await {
        Ok(m) if m.published_at.is_some() => m,
        Ok(_) | Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(fail(e.into())),
    };
    let shown = maps::frozen::show(&state.store, map, true).await.map_err(fail)?;
    let page = Page::new(Lang::Nl, "Perspectiefkaart").signed_in(&signed.0, &csrf);
    Ok(render(StatusCode::OK, true, &frozen_tpl(page, "", shown, String::new())))
}
