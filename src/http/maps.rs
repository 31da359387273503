//! Perspective map pages: the facilitator's live map of a campaign (filter, compare by), its
//! tables as CSV and charts as SVG. Thin: parse, build the map (`crate::maps`), render.

use crate::auth::policy::{Denied, Permission};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::respond::attachment;
use crate::http::routes::Routes;
use crate::http::views::{Page, render};
use crate::maps::view::MapView;
use crate::maps::{self, MapsError, Request, Source};
use crate::store::StoreError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
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
    /// `en` for the page in English; Dutch otherwise, like the other manage pages.
    #[serde(default)]
    pub lang: Option<String>,
}

impl MapQuery {
    fn lang(&self) -> Lang {
        Lang::from_param(self.lang.as_deref())
    }

    fn axis(&self) -> String {
        if self.by.trim().is_empty() { "perspective".to_string() } else { self.by.trim().to_string() }
    }
}

/// Every word the map pages print besides the numbers, in Dutch and English.
pub struct Labels {
    pub en: bool,
    pub campaigns: &'static str,
    pub map: &'static str,
    pub lead: &'static str,
    pub filter_field: &'static str,
    pub by_field: &'static str,
    pub make: &'static str,
    pub freeze_name: &'static str,
    pub freeze: &'static str,
    pub frozen_maps: &'static str,
    pub published_maps: &'static str,
    pub which_stories: &'static str,
    pub on_map: &'static str,
    pub without_value: &'static str,
    pub filter: &'static str,
    pub all_stories: &'static str,
    pub compared_by: &'static str,
    pub codebook: &'static str,
    pub per_group: &'static str,
    pub group: &'static str,
    pub stories: &'static str,
    pub stories_col: &'static str,
    pub without_theme: &'static str,
    pub tested: &'static str,
    pub yes: &'static str,
    pub no_too_few: &'static str,
    pub csv: &'static str,
    pub svg: &'static str,
    pub small_note: &'static str,
    pub themes_title: &'static str,
    pub no_themes: &'static str,
    pub themes_caption: &'static str,
    pub theme: &'static str,
    pub effect: &'static str,
    pub numbers: &'static str,
    pub the: &'static str,
    pub distinctive: &'static str,
    pub charts_title: &'static str,
    pub tests: &'static str,
    pub data_of: &'static str,
    pub frozen_title: &'static str,
    pub frozen_on: &'static str,
    pub published_for: &'static str,
    pub hash: &'static str,
    pub hash_broken: &'static str,
    pub publish: &'static str,
    pub per_cell: &'static str,
    pub none_yet: &'static str,
    pub frozen_col: &'static str,
    pub published_col: &'static str,
    pub no: &'static str,
    pub analysis_nav: &'static str,
    pub download: &'static str,
    pub download_lead: &'static str,
    pub xlsx_all: &'static str,
    pub csv_per_table: &'static str,
}

static NL: Labels = Labels {
    en: false,
    campaigns: "Campagnes",
    map: "Perspectiefkaart",
    lead: "Hoe ervaren jongeren, ouders en professionals (of andere groepen) elk thema? Welke verschillen zijn waarschijnlijk echt, en welke kunnen toeval zijn? Achter elk getal staan de verhalen, één klik verder.",
    filter_field: "Filter (zoektaal)",
    by_field: "Vergelijk op",
    make: "Kaart maken",
    freeze_name: "Naam van de bevroren kaart",
    freeze: "Kaart bevriezen",
    frozen_maps: "Bevroren kaarten",
    published_maps: "Gepubliceerde kaarten",
    which_stories: "Welke verhalen",
    on_map: "Verhalen op de kaart",
    without_value: "Zonder waarde om te vergelijken",
    filter: "Filter",
    all_stories: "alle verhalen van de campagne",
    compared_by: "Vergeleken op",
    codebook: "Versie van het codeboek",
    per_group: "Verhalen per groep",
    group: "Groep",
    stories: "verhalen",
    stories_col: "Verhalen",
    without_theme: "Zonder thema",
    tested: "Getoetst",
    yes: "ja",
    no_too_few: "nee: te weinig verhalen om te toetsen",
    csv: "Tabel als CSV",
    svg: "Grafiek als SVG",
    small_note: "Kleine aantallen (minder dan de drempel, ook 0) staan als \"<5\"; cellen waaruit zo'n klein aantal terug te rekenen is, zijn ook verborgen (×).",
    themes_title: "Thema's per groep",
    no_themes: "Dit codeboek heeft nog geen thema's, of geen verhaal heeft een geaccepteerd thema.",
    themes_caption: "Aandeel verhalen per groep dat het thema noemt, met 95%-interval (Wilson); gesorteerd op effectgrootte",
    theme: "Thema",
    effect: "Effect (Cramérs V)",
    numbers: "De getallen",
    the: "de",
    distinctive: "Onderscheidende woorden",
    charts_title: "Grafieken en betekenisvragen",
    tests: "Toetsen",
    data_of: "Gegevens bij",
    frozen_title: "Bevroren perspectiefkaart",
    frozen_on: "Bevroren op",
    published_for: "gepubliceerd voor de stuurgroep op",
    hash: "Inhoudshash (sha256)",
    hash_broken: "komt niet meer overeen met de opgeslagen kaart",
    publish: "Publiceren voor de stuurgroep",
    per_cell: "Verhalen per cel",
    none_yet: "Nog geen kaarten.",
    frozen_col: "Bevroren",
    published_col: "Gepubliceerd",
    no: "nee",
    analysis_nav: "Analyseren",
    download: "Downloaden",
    download_lead: "De tabellen van deze kaart zoals ze hier staan, om in een spreadsheet te openen.",
    xlsx_all: "Alle tabellen als XLSX (één blad per tabel)",
    csv_per_table: "Eén tabel als CSV:",
};

static EN: Labels = Labels {
    en: true,
    campaigns: "Campaigns",
    map: "Perspective map",
    lead: "How do young people, parents and professionals (or other groups) experience each theme? Which differences are probably real, and which may be chance? The stories behind every number are one click away.",
    filter_field: "Filter (search language)",
    by_field: "Compare by",
    make: "Make the map",
    freeze_name: "Name of the frozen map",
    freeze: "Freeze the map",
    frozen_maps: "Frozen maps",
    published_maps: "Published maps",
    which_stories: "Which stories",
    on_map: "Stories on the map",
    without_value: "Without a value to compare by",
    filter: "Filter",
    all_stories: "all stories of the campaign",
    compared_by: "Compared by",
    codebook: "Codebook version",
    per_group: "Stories per group",
    group: "Group",
    stories: "stories",
    stories_col: "Stories",
    without_theme: "Without a theme",
    tested: "Tested",
    yes: "yes",
    no_too_few: "no: too few stories to test",
    csv: "Table as CSV",
    svg: "Chart as SVG",
    small_note: "Small counts (below the threshold, 0 included) show as \"<5\"; cells from which such a count could be worked out are hidden too (×).",
    themes_title: "Themes per group",
    no_themes: "This codebook has no themes yet, or no story has an accepted theme.",
    themes_caption: "Share of each group's stories that mention the theme, with a 95% interval (Wilson); sorted by effect size",
    theme: "Theme",
    effect: "Effect (Cramér's V)",
    numbers: "The numbers",
    the: "the",
    distinctive: "Distinctive words",
    charts_title: "Charts and signifiers",
    tests: "Tests",
    data_of: "Data of",
    frozen_title: "Frozen perspective map",
    frozen_on: "Frozen on",
    published_for: "published to the steering group on",
    hash: "Content hash (sha256)",
    hash_broken: "no longer matches the stored map",
    publish: "Publish to the steering group",
    per_cell: "Stories per cell",
    none_yet: "No maps yet.",
    frozen_col: "Frozen",
    published_col: "Published",
    no: "no",
    analysis_nav: "Analysis",
    download: "Download",
    download_lead: "The tables of this map as shown here, to open in a spreadsheet.",
    xlsx_all: "All tables as XLSX (one sheet per table)",
    csv_per_table: "One table as CSV:",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

impl Labels {
    /// What the page says about stories withdrawn since the map was frozen.
    pub fn withdrawn(&self, n: &usize) -> String {
        match (self.en, *n) {
            (false, 0) => "Sinds het bevriezen is geen verhaal ingetrokken.".into(),
            (false, 1) => "Sinds het bevriezen is 1 verhaal ingetrokken; dat staat niet meer bij de citaten, stippen en verhalenlijsten (de getallen zijn die van het moment van bevriezen).".into(),
            (false, n) => format!("Sinds het bevriezen zijn {n} verhalen ingetrokken; die staan niet meer bij de citaten, stippen en verhalenlijsten (de getallen zijn die van het moment van bevriezen)."),
            (true, 0) => "No story has been withdrawn since the map was frozen.".into(),
            (true, 1) => "1 story has been withdrawn since the map was frozen; it is gone from the quotes, dots and story lists (the numbers are those of the moment of freezing).".into(),
            (true, n) => format!("{n} stories have been withdrawn since the map was frozen; they are gone from the quotes, dots and story lists (the numbers are those of the moment of freezing)."),
        }
    }
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
    pub l: &'static Labels,
    pub slug: String,
    pub campaign_title: String,
    pub q: String,
    pub axes: Vec<Axis>,
    pub map: Option<std::sync::Arc<MapView>>,
    pub error: String,
    /// The comparison axis as asked for, and whether it is none of the axes (then the form
    /// keeps it as typed, beside the error).
    pub by: String,
    pub by_unknown: bool,
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

fn request(state: &AppState, q: &MapQuery) -> Request {
    Request {
        source: Source::Query(q.q.clone()),
        by: q.axis(),
        language: q.lang(),
        min_group: state.config.map_min_group,
    }
}

/// The live map, and whether it came from the cache.
async fn live_view(
    state: &AppState,
    campaign: &Campaign,
    q: &MapQuery,
) -> Result<(std::sync::Arc<MapView>, bool), MapsError> {
    let k = state.config.disclosure_threshold.max(1) as u64;
    maps::cached_view(&state.store, &state.search, &state.maps, campaign, &request(state, q), k).await
}

/// Says whether a map response came from the map cache (for operators and tests).
fn mark_cache(mut resp: Response, hit: bool) -> Response {
    resp.headers_mut()
        .insert("x-luister-map-cache", HeaderValue::from_static(if hit { "hit" } else { "miss" }));
    resp
}

/// The map page: the map, or the error with the filter and axis as typed.
fn map_page_of(
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    q: &MapQuery,
    result: Result<std::sync::Arc<MapView>, MapsError>,
) -> Reply {
    let lang = q.lang();
    let l = labels(lang);
    let (map, error, status) = match result {
        Ok(m) => (Some(m), String::new(), StatusCode::OK),
        Err(e) if e.is_bad_request() => (None, e.message(lang), StatusCode::BAD_REQUEST),
        Err(e @ MapsError::IndexUnavailable) => (None, e.message(lang), StatusCode::SERVICE_UNAVAILABLE),
        Err(e) => return Err(Error::from(anyhow::anyhow!(e)).html(lang).into_response()),
    };
    let by = q.axis();
    let axes: Vec<Axis> = maps::axes(campaign, lang)
        .into_iter()
        .map(|(key, label)| Axis { selected: key == by, key, label })
        .collect();
    let by_unknown = !axes.iter().any(|a| a.selected);
    let mut pairs = vec![("q", q.q.as_str()), ("by", by.as_str())];
    if lang == Lang::En {
        pairs.push(("lang", "en"));
    }
    let params = format!("?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default());
    let other =
        [("q", q.q.as_str()), ("by", by.as_str()), ("lang", if lang == Lang::En { "nl" } else { "en" })];
    let base = format!("/manage/campaigns/{}/map", campaign.slug());
    let tpl = MapPage {
        page: Page::new(lang, l.map)
            .signed_in(&signed.0, csrf)
            .switch(format!("{base}?{}", serde_urlencoded::to_string(other).unwrap_or_default())),
        l,
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(lang).to_string(),
        q: q.q.clone(),
        axes,
        map,
        error,
        by,
        by_unknown,
        dl: base,
        params,
    };
    Ok(render(status, true, &tpl))
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
    match live_view(&state, &campaign, &q).await {
        Ok((v, hit)) => Ok(mark_cache(map_page_of(&signed, &csrf, &campaign, &q, Ok(v))?, hit)),
        Err(e) => map_page_of(&signed, &csrf, &campaign, &q, Err(e)),
    }
}

/// The map of a download link; a wrong filter or axis gives the map page with the error.
async fn view_or_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    q: &MapQuery,
) -> Result<(std::sync::Arc<MapView>, bool), Response> {
    match live_view(state, campaign, q).await {
        Ok(v) => Ok(v),
        Err(e) => Err(map_page_of(signed, csrf, campaign, q, Err(e)).unwrap_or_else(|r| r)),
    }
}

/// `GET /manage/campaigns/{slug}/map/table/{table}?q=…&by=…`: a table as CSV (`themes`, `groups`
/// or a chart id).
pub async fn map_table(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let (v, hit) = view_or_page(&state, &signed, &csrf, &campaign, &q).await?;
    let id = id.trim_end_matches(".csv");
    let table = crate::maps::view::table(&v, id).ok_or_else(|| denied(Denied::NotFound))?;
    let name = format!("{}-{id}.csv", campaign.slug());
    Ok(mark_cache(attachment("text/csv; charset=utf-8", &name, table.to_csv()), hit))
}

/// `GET /manage/campaigns/{slug}/map/chart/{chart}?q=…&by=…`: a chart as SVG.
pub async fn map_chart(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let (v, hit) = view_or_page(&state, &signed, &csrf, &campaign, &q).await?;
    let id = id.trim_end_matches(".svg");
    let chart = v.charts.iter().find(|c| c.id == id).ok_or_else(|| denied(Denied::NotFound))?;
    let name = format!("{}-{id}.svg", campaign.slug());
    Ok(mark_cache(attachment("image/svg+xml", &name, chart.svg.clone()), hit))
}

fn fail(e: MapsError) -> Response {
    match e {
        MapsError::Store(StoreError::NotFound) => denied(Denied::NotFound),
        e if e.is_bad_request() => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        e => Error::from(anyhow::anyhow!(e)).html(Lang::Nl).into_response(),
    }
}

/// `POST /manage/campaigns/{slug}/map/freeze` (`q`, `by`, `title`): freezes the map as shown.
pub async fn freeze(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug).await?;
    let v = crate::http::form::FormValues(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let lang = v.get("lang");
    let q = MapQuery {
        q: v.get("q").to_string(),
        by: v.get("by").to_string(),
        lang: (!lang.is_empty()).then(|| lang.to_string()),
    };
    let req = request(&state, &q);
    let live = state.search.live();
    let built = match maps::build(&state.store, live.as_deref(), &campaign, &req).await {
        Ok(b) => b,
        Err(e) if e.is_bad_request() => return map_page_of(&signed, &csrf, &campaign, &q, Err(e)),
        Err(e) => return Err(fail(e)),
    };
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
    pub l: &'static Labels,
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
        l: labels(Lang::Nl),
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
    pub l: &'static Labels,
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
    /// The map's export route for this viewer (facilitators' or the steering group's).
    pub export: String,
    pub downloads: Vec<Download>,
}

/// One CSV download of a frozen map's tables.
pub struct Download {
    pub href: String,
    pub label: String,
}

/// The CSV links of every table of `m` on the export route `export`.
fn downloads(l: &Labels, m: &MapView, export: &str) -> Vec<Download> {
    crate::maps::view::table_ids(m)
        .into_iter()
        .map(|id| {
            let label = match id.as_str() {
                "themes" => l.themes_title.to_string(),
                "groups" => l.per_group.to_string(),
                chart => {
                    m.charts.iter().find(|c| c.id == chart).map_or_else(|| id.clone(), |c| c.title.clone())
                }
            };
            let q =
                serde_urlencoded::to_string([("format", "csv"), ("table", id.as_str())]).unwrap_or_default();
            Download { href: format!("{export}?{q}"), label }
        })
        .collect()
}

/// A frozen map's page, in the language it was made in (its sentences are frozen in it).
/// `export` is the export route the viewer may use (its permission is the page's).
fn frozen_tpl(
    signed: &SignedIn,
    csrf: &CsrfToken,
    slug: &str,
    shown: crate::maps::frozen::Shown,
    publish: String,
    export: String,
) -> FrozenPage {
    let lang = if shown.view.is_english() { Lang::En } else { Lang::Nl };
    let l = labels(lang);
    FrozenPage {
        downloads: downloads(l, &shown.view, &export),
        export,
        page: Page::new(lang, l.frozen_title).signed_in(&signed.0, csrf),
        l,
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
    // The same permission as the page (`MakeMaps` of the campaign): the full tables.
    let export = format!("/manage/campaigns/{}/maps/{}/export", campaign.slug(), map.id);
    let shown = maps::frozen::show(&state.store, map, false).await.map_err(fail)?;
    Ok(render(StatusCode::OK, true, &frozen_tpl(&signed, &csrf, campaign.slug(), shown, publish, export)))
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
        l: labels(Lang::Nl),
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
    // `ViewPublishedMaps`, as the page: only the disclosed tables, whoever looks.
    let export = format!("/published/{}/export", map.id);
    let shown = maps::frozen::show(&state.store, map, true).await.map_err(fail)?;
    Ok(render(StatusCode::OK, true, &frozen_tpl(&signed, &csrf, "", shown, String::new(), export)))
}
