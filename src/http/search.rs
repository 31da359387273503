//! The search page and the JSON search API. Facilitators search the stories of their campaigns
//! (admins: all), with facet counts, range filters, snippets, sorting and paging; the URL holds
//! the whole search. The steering group has no search at all: free text and free filters let
//! anyone subtract two counts and recover a hidden small group, or test words of one story; it
//! gets predefined, suppressed views instead. Also saved story sets: a search kept under a name,
//! optionally frozen.

use super::AppState;
use super::auth::SignedIn;
use super::csrf::CsrfToken;
use super::routes::Routes;
use super::views::{Page, render};
use crate::auth::policy::{Permission, Viewer};
use crate::domain::story_set::{StorySet, parse_name};
use crate::domain::{AgeBand, Campaign, Lang, Perspective, Role, SignifierKind, region};
use crate::search::exec::{self, SearchError, SearchRequest, SearchResults, Sort};
use crate::search::{Names, Status};
use crate::store::StoreError;
use askama::Template;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use time::OffsetDateTime;
use time::macros::format_description;

pub fn routes() -> Routes {
    Routes::new()
        .get("/search", search_page)
        .post("/search/save", save_set)
        .get("/sets", sets_page)
        .get("/sets/{id}", set_page)
        .post("/sets/{id}/rename", rename_set)
        .post("/sets/{id}/delete", delete_set)
        .get("/api/v1/search", search_api)
}

/// Results per page.
const PER_PAGE: usize = 20;
/// A frozen set keeps at most this many story ids.
const MAX_FROZEN: usize = 100_000;

/// The search as it travels in a URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub q: String,
    pub filters: Vec<String>,
    pub sort: Sort,
    pub page: usize,
}

impl Params {
    pub fn parse(raw: Option<&str>) -> (Params, Vec<(String, String)>) {
        let pairs: Vec<(String, String)> =
            raw.and_then(|r| serde_urlencoded::from_str(r).ok()).unwrap_or_default();
        let mut p = Params { page: 1, ..Params::default() };
        for (k, v) in &pairs {
            match k.as_str() {
                "q" => p.q = v.clone(),
                "f" if !v.trim().is_empty() => p.filters.push(v.trim().to_string()),
                "sort" => {
                    p.sort = match v.as_str() {
                        "newest" => Sort::Newest,
                        "oldest" => Sort::Oldest,
                        _ => Sort::Relevance,
                    }
                }
                "page" => p.page = v.parse().unwrap_or(1).max(1),
                _ => {}
            }
        }
        (p, pairs)
    }

    /// The URL query string for these parameters (page 1 is left out).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        for f in &self.filters {
            pairs.push(("f", f.clone()));
        }
        match self.sort {
            Sort::Relevance => {}
            Sort::Newest => pairs.push(("sort", "newest".into())),
            Sort::Oldest => pairs.push(("sort", "oldest".into())),
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    fn href(&self) -> String {
        let q = self.to_query();
        if q.is_empty() { "/search".into() } else { format!("/search?{q}") }
    }

    fn with_filter(&self, f: &str) -> Params {
        let mut p = self.clone();
        if !p.filters.iter().any(|x| x == f) {
            p.filters.push(f.to_string());
        }
        p.page = 1;
        p
    }

    fn without_filter(&self, i: usize) -> Params {
        let mut p = self.clone();
        p.filters.remove(i);
        p.page = 1;
        p
    }
}

/// Range rows and date fields of the search form become filters, then the browser is sent to
/// the canonical URL, so the URL always holds the whole search.
fn fold_form_fields(params: &mut Params, pairs: &[(String, String)]) -> bool {
    let get = |k: &str| {
        pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    let mut changed = false;
    if let (Some(path), Some(op), Some(value)) = (get("r_path"), get("r_op"), get("r_value")) {
        let op = if op == "le" { "<=" } else { ">=" };
        params.filters.push(format!("{path}{op}{}", value.replace(',', ".")));
        changed = true;
    }
    if let Some(from) = get("from") {
        params.filters.push(format!("date>={from}"));
        changed = true;
    }
    if let Some(to) = get("to") {
        params.filters.push(format!("date<={to}"));
        changed = true;
    }
    changed || pairs.iter().any(|(k, _)| matches!(k.as_str(), "r_path" | "r_op" | "r_value" | "from" | "to"))
}

/// The campaigns whose stories the viewer may search (`None`: all, for admins). Only called
/// after `Permission::SearchStories`, which the steering role does not have.
fn scope(v: &Viewer) -> Option<Vec<String>> {
    if let Some(id) = v.token_campaign() {
        return Some(vec![id.to_string()]);
    }
    match v.user.role {
        Role::Admin => None,
        _ => Some(v.campaigns.clone()),
    }
}

/// Answers to choice questions are only counted when the search is about one campaign's form.
fn one_campaign(params: &Params, scope: &Option<Vec<String>>) -> bool {
    params.filters.iter().any(|f| f.starts_with("campaign:")) || matches!(scope, Some(ids) if ids.len() == 1)
}

/// Where a page of `per_page` results starts, if it is within reach (`exec::MAX_OFFSET`).
fn page_offset(page: usize, per_page: usize) -> Option<usize> {
    page.checked_sub(1)?.checked_mul(per_page).filter(|o| *o <= exec::MAX_OFFSET)
}

/// The page for a person who searched too often in a minute.
fn too_many_searches(wait: u64) -> Response {
    let mut resp = render(
        StatusCode::TOO_MANY_REQUESTS,
        false,
        &super::views::MessagePage {
            page: Page::new(Lang::Nl, "Even wachten"),
            heading: "Even wachten".into(),
            text: format!(
                "Je hebt in korte tijd heel vaak gezocht. Probeer het over {wait} seconden opnieuw."
            ),
            link: Some(("/search".into(), "Terug naar zoeken".into())),
        },
    );
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
}

/// Takes one search from the viewer's budget; `Err(seconds)` to wait.
fn search_budget(state: &AppState, viewer: &Viewer) -> Result<(), u64> {
    super::limits::check(&state.limits.search_account, &viewer.user.id)
}

async fn run_search(
    state: &AppState,
    req: SearchRequest,
    names: Names,
) -> Result<SearchResults, SearchError> {
    let Some(live) = state.search.live() else { return Err(SearchError::Rebuilding) };
    tokio::task::spawn_blocking(move || exec::run_named(&live, &req, &names))
        .await
        .unwrap_or_else(|e| Err(SearchError::Index(tantivy::TantivyError::InternalError(e.to_string()))))
}

fn fmt_date(t: OffsetDateTime) -> String {
    t.format(format_description!("[day]-[month]-[year]")).unwrap_or_default()
}

// ---------- the page ----------

pub struct HitView {
    pub id: String,
    pub href: Option<String>,
    pub title: String,
    pub meta: String,
    pub snippet: Vec<exec::Snippet>,
}

pub struct FacetValueView {
    pub label: String,
    pub count: String,
    pub href: String,
}

pub struct FacetView {
    pub label: String,
    pub values: Vec<FacetValueView>,
}

pub struct ActiveFilter {
    pub label: String,
    pub remove_href: String,
}

pub struct RangeOption {
    pub value: String,
    pub label: String,
}

pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
    pub q: String,
    pub hidden_filters: Vec<String>,
    pub sort: &'static str,
    pub error: Option<String>,
    pub error_pointer: Option<String>,
    pub notice: Option<String>,
    pub total: String,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetView>,
    pub active: Vec<ActiveFilter>,
    pub ranges: Vec<RangeOption>,
    pub pages: Vec<PageLink>,
    pub sort_links: Vec<PageLink>,
    pub query_string: String,
    pub can_save: bool,
    pub searched: bool,
    /// Checkboxes on the hits and a theme to tag them with, when the search is about one
    /// campaign the viewer codes.
    pub bulk: Option<BulkView>,
    /// Why there are no checkboxes, for people who could tag.
    pub bulk_note: Option<&'static str>,
    /// After a bulk tagging: how many stories were tagged.
    pub tagged: Option<String>,
}

/// The bulk tagging form under the hits.
pub struct BulkView {
    pub slug: String,
    pub themes: Vec<super::manage::themes::ThemeOption>,
}

/// The campaign a search is about, if it is one the viewer may code: a single `campaign:`
/// filter, or a facilitator's only campaign.
fn bulk_campaign(params: &Params, scope: &Option<Vec<String>>, viewer: &Viewer) -> Option<String> {
    let named: Vec<&str> = params.filters.iter().filter_map(|f| f.strip_prefix("campaign:")).collect();
    let id = match (named.as_slice(), scope) {
        ([one], _) => one.to_string(),
        ([], Some(ids)) if ids.len() == 1 => ids[0].clone(),
        _ => return None,
    };
    viewer.may(Permission::ReadStories(&id)).then_some(id)
}

/// Labels for facet values and filters, from the campaigns in view.
struct Labels<'a> {
    campaigns: &'a HashMap<String, Campaign>,
    /// Theme names by id (the index keys tags by theme id).
    themes: HashMap<String, String>,
}

impl Labels<'_> {
    fn group(&self, g: &str) -> &'static str {
        match g {
            "campaign" => "Campagne",
            "perspective" => "Perspectief",
            "age" => "Leeftijd",
            "region" => "Regio",
            "language" => "Taal",
            "theme" => "Thema",
            "flag" => "Signaal",
            "choice" => "Antwoorden",
            _ => "Overig",
        }
    }

    fn value(&self, group: &str, v: &str) -> String {
        match group {
            "campaign" => {
                self.campaigns.get(v).map(|c| c.def.title.nl.clone()).unwrap_or_else(|| v.to_string())
            }
            "perspective" => {
                Perspective::parse(v).map(|p| p.noun(Lang::Nl).to_string()).unwrap_or_else(|| v.into())
            }
            "age" => AgeBand::parse(v).map(|a| a.label(Lang::Nl).to_string()).unwrap_or_else(|| v.into()),
            "region" => region::region(v).map(|r| r.name.clone()).unwrap_or_else(|| v.into()),
            "flag" if v == "safeguarding" => "vraagt aandacht (veiligheid)".into(),
            "theme" => {
                let (id, state) = v.split_once('/').unwrap_or((v, ""));
                let name = self.themes.get(id).cloned().unwrap_or_else(|| id.to_string());
                match crate::domain::theme::TagState::parse(state) {
                    Some(s) if s != crate::domain::theme::TagState::Accepted => {
                        format!("{name} ({})", s.label())
                    }
                    _ => name,
                }
            }
            "choice" => {
                let (sig, opt) = v.split_once('/').unwrap_or((v, ""));
                for c in self.campaigns.values() {
                    if let Some(s) = c.def.signifier(sig) {
                        let answer = if opt == "n.v.t." {
                            "past niet".to_string()
                        } else {
                            s.option_label(opt).map(|l| l.nl.clone()).unwrap_or_else(|| opt.to_string())
                        };
                        return format!("{}: {answer}", s.question.nl);
                    }
                }
                v.to_string()
            }
            _ => v.to_string(),
        }
    }

    fn filter_for(&self, group: &str, v: &str) -> String {
        match group {
            "language" => format!("lang:{v}"),
            "choice" => {
                let (sig, opt) = v.split_once('/').unwrap_or((v, ""));
                format!("choice:{sig}={opt}")
            }
            "theme" => format!("theme:{v}"),
            g => format!("{g}:{v}"),
        }
    }

    /// A filter as people read it.
    fn describe(&self, f: &str) -> String {
        if let Some((field, value)) = f.split_once(':') {
            let group = match field {
                "lang" => "language",
                other => other,
            };
            if group == "choice" {
                let v = value.replacen('=', "/", 1);
                return self.value("choice", &v);
            }
            return format!("{}: {}", self.group(group), self.value(group, value));
        }
        f.to_string()
    }
}

fn range_options(campaigns: &HashMap<String, Campaign>) -> Vec<RangeOption> {
    let mut out: Vec<RangeOption> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut list: Vec<&Campaign> = campaigns.values().collect();
    list.sort_by_key(|c| c.def.slug.clone());
    for c in list {
        for s in c.def.active_signifiers() {
            match &s.kind {
                SignifierKind::Dyad { poles } => {
                    if seen.insert(s.id.clone()) {
                        out.push(RangeOption {
                            value: s.id.clone(),
                            label: format!("{} (0 = {}, 1 = {})", s.question.nl, poles[0].nl, poles[1].nl),
                        });
                    }
                }
                SignifierKind::Triad { corners } => {
                    for (i, corner) in corners.iter().enumerate() {
                        let path = format!("{}.{i}", s.id);
                        if seen.insert(path.clone()) {
                            out.push(RangeOption {
                                value: path,
                                label: format!("{}: {}", s.question.nl, corner.nl),
                            });
                        }
                    }
                }
                SignifierKind::Choice { .. } => {}
            }
        }
    }
    out
}

/// The themes and campaigns in view, so filters may name them as people see them.
async fn names_in_view(state: &AppState, campaigns: &HashMap<String, Campaign>) -> Names {
    let mut themes = Vec::new();
    for c in campaigns.keys() {
        for t in state.store.themes(Some(c)).await.unwrap_or_default() {
            themes.push((t.id, t.name));
        }
    }
    let campaigns =
        campaigns.values().map(|c| (c.id.clone(), c.def.slug.clone(), c.def.title.nl.clone())).collect();
    Names { themes: Some(themes), campaigns: Some(campaigns) }
}

async fn campaigns_in_view(state: &AppState, scope: &Option<Vec<String>>) -> HashMap<String, Campaign> {
    let all = state.store.campaigns().await.unwrap_or_default();
    all.into_iter()
        .filter(|c| match scope {
            Some(ids) => ids.contains(&c.id),
            None => true,
        })
        .map(|c| (c.id.clone(), c))
        .collect()
}

async fn search_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Response> {
    signed.require(Permission::SearchStories)?;
    let (mut params, pairs) = Params::parse(raw.as_deref());
    if fold_form_fields(&mut params, &pairs) {
        return Ok(Redirect::to(&params.href()).into_response());
    }
    if let Err(wait) = search_budget(&state, &signed.0) {
        return Err(too_many_searches(wait));
    }
    let scope = scope(&signed.0);
    let campaigns = campaigns_in_view(&state, &scope).await;
    let names = names_in_view(&state, &campaigns).await;
    let theme_names = names.themes.iter().flatten().cloned().collect();
    let labels = Labels { campaigns: &campaigns, themes: theme_names };
    let bulk_id = bulk_campaign(&params, &scope, &signed.0);
    let bulk = match bulk_id.as_deref().and_then(|id| campaigns.get(id)) {
        Some(c) => {
            let themes = state.store.themes(Some(&c.id)).await.unwrap_or_default();
            let none = std::collections::HashSet::new();
            Some(BulkView {
                slug: c.def.slug.clone(),
                themes: super::manage::themes::theme_options(&themes, "", &none),
            })
        }
        None => None,
    };
    let bulk_note = match &bulk {
        None => Some(
            "Verhalen in één keer taggen kan als de zoekopdracht over één campagne gaat: kies eerst een campagne bij ‘Campagne’.",
        ),
        Some(b) if b.themes.is_empty() => Some(
            "Deze campagne heeft nog geen thema's. Maak ze aan in het codeboek; daarna kun je hier verhalen in één keer taggen.",
        ),
        Some(_) => None,
    };
    let bulk = bulk.filter(|b| !b.themes.is_empty());
    let tagged = pairs
        .iter()
        .find(|(k, _)| k == "tagged")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .map(|n| format!("{n} {} getagd.", if n == 1 { "verhaal" } else { "verhalen" }));
    let offset = page_offset(params.page, PER_PAGE);
    let req = SearchRequest {
        q: params.q.clone(),
        filters: params.filters.clone(),
        sort: params.sort,
        offset: offset.unwrap_or(exec::MAX_OFFSET + 1),
        limit: PER_PAGE,
        choice_facets: one_campaign(&params, &scope),
        scope,
        snippets: true,
        ids: None,
    };
    let mut view = SearchPage {
        page: Page::new(Lang::Nl, "Zoeken").signed_in(&signed.0, &csrf),
        q: params.q.clone(),
        hidden_filters: params.filters.clone(),
        sort: match params.sort {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        },
        error: None,
        error_pointer: None,
        notice: None,
        total: String::new(),
        hits: Vec::new(),
        facets: Vec::new(),
        active: params
            .filters
            .iter()
            .enumerate()
            .map(|(i, f)| ActiveFilter {
                label: labels.describe(f),
                remove_href: params.without_filter(i).href(),
            })
            .collect(),
        ranges: range_options(&campaigns),
        pages: Vec::new(),
        sort_links: Vec::new(),
        query_string: params.to_query(),
        can_save: signed.0.may(Permission::UseWorkspace),
        searched: true,
        bulk,
        bulk_note,
        tagged,
    };
    let mut status = StatusCode::OK;
    match run_search(&state, req, names).await {
        Err(SearchError::Query { filter, error }) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            let (source, which) = match filter {
                None => (params.q.clone(), "zoekvraag".to_string()),
                Some(i) => (params.filters[i - 1].clone(), format!("filter {i}")),
            };
            view.error = Some(format!("Er klopt iets niet in de {which}: {}", error.message));
            view.error_pointer = Some(format!("{source}\n{}", error.pointer(&source)));
        }
        Err(SearchError::Rebuilding) => {
            status = StatusCode::SERVICE_UNAVAILABLE;
            view.notice = Some(match state.search.status() {
                Status::Rebuilding { done, total } if total > 0 => format!(
                    "De zoekfunctie wordt opnieuw opgebouwd ({done} van {total} verhalen). Probeer het over een minuut nog eens."
                ),
                _ => "De zoekfunctie wordt opnieuw opgebouwd. Probeer het over een minuut nog eens.".into(),
            });
        }
        Err(SearchError::TooFar) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            view.error = Some(format!(
                "Zo ver kunnen we niet bladeren: alleen de eerste {} verhalen worden getoond. Maak de zoekopdracht preciezer, of sorteer anders.",
                exec::MAX_OFFSET
            ));
        }
        Err(SearchError::Index(e)) => {
            return Err(super::error::Error::from(anyhow::anyhow!(e)).html(Lang::Nl).into_response());
        }
        Ok(results) => {
            view.total = results.total.to_string();
            for (group, values) in &results.facets {
                let values: Vec<FacetValueView> = values
                    .iter()
                    .map(|(v, n)| FacetValueView {
                        label: labels.value(group, v),
                        count: n.to_string(),
                        href: params.with_filter(&labels.filter_for(group, v)).href(),
                    })
                    .collect();
                if !values.is_empty() {
                    view.facets.push(FacetView { label: labels.group(group).into(), values });
                }
            }
            {
                view.hits = results
                    .hits
                    .into_iter()
                    .map(|h| {
                        let c = campaigns.get(&h.campaign_id);
                        let href = c
                            .filter(|c| signed.0.may(Permission::ReadStories(&c.id)))
                            .map(|c| format!("/manage/campaigns/{}/stories/{}", c.def.slug, h.id));
                        let perspective = Perspective::parse(&h.perspective)
                            .map(|p| p.noun(Lang::Nl))
                            .unwrap_or("onbekend");
                        HitView {
                            id: h.id.clone(),
                            href,
                            title: h.title.clone().unwrap_or_else(|| "Verhaal zonder titel".into()),
                            meta: format!(
                                "{} · {} · {}",
                                c.map(|c| c.def.title.nl.as_str()).unwrap_or(""),
                                perspective,
                                fmt_date(h.created_at)
                            ),
                            snippet: h.snippet,
                        }
                    })
                    .collect();
                let pages = results.total.min(exec::MAX_OFFSET + PER_PAGE).div_ceil(PER_PAGE);
                if pages > 1 {
                    let current = params.page;
                    let mut shown: Vec<usize> =
                        vec![1, pages, current.saturating_sub(1), current, current + 1];
                    shown.retain(|p| *p >= 1 && *p <= pages);
                    shown.sort_unstable();
                    shown.dedup();
                    view.pages = shown
                        .into_iter()
                        .map(|p| PageLink {
                            label: p.to_string(),
                            href: Params { page: p, ..params.clone() }.href(),
                            current: p == current,
                        })
                        .collect();
                }
                view.sort_links = [
                    (Sort::Relevance, "relevantie"),
                    (Sort::Newest, "nieuwste eerst"),
                    (Sort::Oldest, "oudste eerst"),
                ]
                .into_iter()
                .map(|(s, label)| PageLink {
                    label: label.into(),
                    href: Params { sort: s, page: 1, ..params.clone() }.href(),
                    current: s == params.sort,
                })
                .collect();
            }
        }
    }
    view.searched = !params.q.is_empty() || !params.filters.is_empty();
    Ok(render(status, true, &view))
}

// ---------- the API ----------

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiHit {
    pub id: String,
    pub campaign: String,
    pub title: Option<String>,
    pub perspective: String,
    pub language: String,
    /// RFC 3339.
    pub created_at: String,
    pub score: f32,
    /// The snippet in pieces; `hit` marks the words that matched.
    pub snippet: Vec<ApiSnippet>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiSnippet {
    pub text: String,
    pub hit: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiFacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiResults {
    /// Matching stories.
    pub total: u64,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<ApiHit>,
    pub facets: std::collections::BTreeMap<String, Vec<ApiFacetValue>>,
}

/// Search stories.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(
        ("q" = Option<String>, Query, description = "Query in the search language: words, \"phrases\", OR, -exclusion, prefix*, field filters by code or by the names the page shows, in English or Dutch (perspective:youth or perspectief:jongere, region:JZ22 or regio:Utrecht, lang:nl, flag:safeguarding, theme:\"Informeel netwerk\", campaign:slug, choice:sig=option, exact:word), signifier ranges (regie>0.7, wat_telde.0>=0.5), date>=2025-01-01; an unknown field or value is a 422 that lists the names that exist"),
        ("f" = Option<Vec<String>>, Query, description = "Extra filters in the same language, repeatable"),
        ("sort" = Option<String>, Query, description = "relevance (default), newest or oldest"),
        ("page" = Option<usize>, Query, description = "Page, from 1; a page must start within the first 10,000 results"),
        ("per_page" = Option<usize>, Query, description = "Results per page, 1 to 100 (default 20)"),
    ),
    responses(
        (status = 200, description = "Results, facet counts and snippets", body = ApiResults),
        (status = 401, description = "Not signed in and no valid personal API token"),
        (status = 403, description = "The account may not search stories (the steering role)"),
        (status = 422, description = "Malformed query (`message` says what and `at` where, a character offset), or a page beyond the first 10,000 results"),
        (status = 429, description = "Too many searches from this account; `Retry-After` says when to try again"),
        (status = 503, description = "The search index is being rebuilt"),
    ),
    security(("bearerAuth" = []), ("session" = []))
)]
pub async fn search_api(
    caller: Result<super::auth::ApiCaller, Response>,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Response {
    // A session or a personal API token (then limited to the token's campaign, see `scope`).
    let signed = match caller {
        Ok(c) => SignedIn(c.0),
        Err(refusal) => return refusal,
    };
    if let Err(d) = signed.0.require(Permission::SearchStories) {
        return super::auth::api_denied(d);
    }
    if let Err(wait) = search_budget(&state, &signed.0) {
        let mut resp = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({ "code": "too_many_requests", "message": format!("Too many searches; try again in {wait} seconds.") })),
        )
            .into_response();
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return resp;
    }
    let (params, pairs) = Params::parse(raw.as_deref());
    let per_page = pairs
        .iter()
        .find(|(k, _)| k == "per_page")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(PER_PAGE)
        .clamp(1, 100);
    let scope = scope(&signed.0);
    let req = SearchRequest {
        q: params.q.clone(),
        filters: params.filters.clone(),
        sort: params.sort,
        offset: page_offset(params.page, per_page).unwrap_or(exec::MAX_OFFSET + 1),
        limit: per_page,
        choice_facets: one_campaign(&params, &scope),
        scope,
        snippets: true,
        ids: None,
    };
    let slugs: HashMap<String, String> =
        state.store.campaigns().await.unwrap_or_default().into_iter().map(|c| (c.id, c.def.slug)).collect();
    let names = names_in_view(&state, &campaigns_in_view(&state, &req.scope).await).await;
    let mut resp = match run_search(&state, req, names).await {
        Err(SearchError::Query { filter, error }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "code": "bad_query", "message": error.message, "at": error.at, "filter": filter })),
        )
            .into_response(),
        Err(SearchError::Rebuilding) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "code": "rebuilding", "message": "The search index is being rebuilt; try again in a minute." })),
        )
            .into_response(),
        Err(SearchError::TooFar) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "code": "page_too_far",
                "message": format!("Only the first {} results can be paged through; narrow the search or sort differently.", exec::MAX_OFFSET),
            })),
        )
            .into_response(),
        Err(SearchError::Index(e)) => {
            tracing::error!(error = %e, "search failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "code": "internal", "message": "Search failed." })))
                .into_response()
        }
        Ok(r) => {
            let body = ApiResults {
                total: r.total as u64,
                page: params.page,
                per_page,
                hits: {
                    r.hits
                        .into_iter()
                        .map(|h| ApiHit {
                            campaign: slugs.get(&h.campaign_id).cloned().unwrap_or(h.campaign_id),
                            id: h.id,
                            title: h.title,
                            perspective: h.perspective,
                            language: h.language,
                            created_at: h.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                            score: h.score,
                            snippet: h.snippet.into_iter().map(|s| ApiSnippet { text: s.text, hit: s.hit }).collect(),
                        })
                        .collect()
                },
                facets: r
                    .facets
                    .into_iter()
                    .map(|(g, values)| {
                        let values = values
                            .into_iter()
                            .map(|(v, n)| ApiFacetValue {
                                value: if g == "campaign" { slugs.get(&v).cloned().unwrap_or(v) } else { v },
                                count: n,
                            })
                            .collect();
                        (g, values)
                    })
                    .collect(),
            };
            Json(body).into_response()
        }
    };
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

// ---------- saved story sets ----------

#[derive(serde::Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    query: String,
    freeze: Option<String>,
}

async fn save_set(
    signed: SignedIn,
    State(state): State<AppState>,
    axum::Form(form): axum::Form<SaveForm>,
) -> Result<Response, Response> {
    signed.require(Permission::UseWorkspace)?;
    let (params, _) = Params::parse(Some(&form.query));
    let name = match parse_name(&form.name) {
        Ok(n) => n,
        Err(m) => {
            return Ok(message(
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                "De verzameling is niet bewaard",
                &m,
                &params.href(),
            ));
        }
    };
    signed.require(Permission::SearchStories)?;
    let scope = scope(&signed.0);
    // A search for one campaign belongs to that campaign, so its other facilitators see it.
    let campaign_filters: Vec<&str> =
        params.filters.iter().filter_map(|f| f.strip_prefix("campaign:")).collect();
    let campaign_id = match campaign_filters.as_slice() {
        [one] if signed.0.may(Permission::ReadStories(one)) => match state.store.campaign(one).await {
            Ok(c) => Some(c.id),
            Err(StoreError::NotFound) => {
                let text = format!(
                    "Het filter campaign:{one} noemt geen campagne. Kies de campagne bij ‘Campagne’ in de zoekresultaten; dan staat de goede code in het filter."
                );
                return Ok(message(
                    &signed,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "De verzameling is niet bewaard",
                    &text,
                    &params.href(),
                ));
            }
            Err(e) => return Err(super::error::Error::from(e).html(Lang::Nl).into_response()),
        },
        _ => None,
    };
    let story_ids = if form.freeze.is_some() {
        let req = SearchRequest {
            q: params.q.clone(),
            filters: params.filters.clone(),
            sort: Sort::Oldest,
            offset: 0,
            limit: 100,
            scope,
            snippets: false,
            choice_facets: false,
            ids: None,
        };
        let names = names_in_view(&state, &campaigns_in_view(&state, &req.scope).await).await;
        match frozen_ids(&state, req, names).await {
            Ok(ids) => Some(ids),
            Err(e) => {
                let text = format!("De zoekopdracht kon niet worden uitgevoerd: {e}");
                return Ok(message(
                    &signed,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "De verzameling is niet bewaard",
                    &text,
                    &params.href(),
                ));
            }
        }
    } else {
        None
    };
    let now = OffsetDateTime::now_utc();
    let set = StorySet {
        id: uuid::Uuid::new_v4().to_string(),
        name,
        query: Params { page: 1, ..params }.to_query(),
        campaign_id,
        story_ids,
        created_by: Some(signed.0.user.id.clone()),
        created_at: now,
        updated_at: now,
    };
    state
        .store
        .create_story_set(&set)
        .await
        .map_err(|e| super::error::Error::from(e).html(Lang::Nl).into_response())?;
    Ok(Redirect::to(&format!("/sets/{}", set.id)).into_response())
}

/// Every story id a search finds (up to `MAX_FROZEN`).
async fn frozen_ids(state: &AppState, req: SearchRequest, names: Names) -> Result<Vec<String>, SearchError> {
    let Some(live) = state.search.live() else { return Err(SearchError::Rebuilding) };
    tokio::task::spawn_blocking(move || exec::all_ids_named(&live, &req, &names, MAX_FROZEN))
        .await
        .unwrap_or_else(|e| Err(SearchError::Index(tantivy::TantivyError::InternalError(e.to_string()))))
}

fn message(signed: &SignedIn, status: StatusCode, heading: &str, text: &str, back: &str) -> Response {
    let _ = signed;
    render(
        status,
        true,
        &super::views::MessagePage {
            page: Page::new(Lang::Nl, heading),
            heading: heading.into(),
            text: text.into(),
            link: Some((back.into(), "Terug naar de zoekopdracht".into())),
        },
    )
}

pub struct SetRow {
    pub id: String,
    pub name: String,
    pub created: String,
    pub kind: String,
    pub campaign: String,
    pub open_href: String,
}

#[derive(Template)]
#[template(path = "sets.html")]
pub struct SetsPage {
    pub page: Page,
    pub sets: Vec<SetRow>,
}

fn set_row(s: &StorySet, campaigns: &HashMap<String, Campaign>) -> SetRow {
    SetRow {
        id: s.id.clone(),
        name: s.name.clone(),
        created: fmt_date(s.created_at),
        kind: match &s.story_ids {
            Some(ids) => format!("vastgezet: {} verhalen", ids.len()),
            None => "zoekopdracht (werkt steeds bij)".into(),
        },
        campaign: s
            .campaign_id
            .as_ref()
            .and_then(|c| campaigns.get(c))
            .map(|c| c.def.title.nl.clone())
            .unwrap_or_else(|| "eigen verzameling".into()),
        open_href: if s.query.is_empty() { "/search".into() } else { format!("/search?{}", s.query) },
    }
}

async fn sets_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
) -> Result<Response, Response> {
    signed.require(Permission::UseWorkspace)?;
    let all = signed.0.user.role == Role::Admin;
    let sets = state
        .store
        .story_sets(&signed.0.user.id, &signed.0.campaigns, all)
        .await
        .map_err(|e| super::error::Error::from(e).html(Lang::Nl).into_response())?;
    let campaigns: HashMap<String, Campaign> =
        state.store.campaigns().await.unwrap_or_default().into_iter().map(|c| (c.id.clone(), c)).collect();
    let tpl = SetsPage {
        page: Page::new(Lang::Nl, "Verzamelingen").signed_in(&signed.0, &csrf),
        sets: sets.iter().map(|s| set_row(s, &campaigns)).collect(),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// Loads a set the viewer may see: their own, one of their campaigns', or any for admins.
async fn visible_set(state: &AppState, signed: &SignedIn, id: &str) -> Result<StorySet, Response> {
    signed.require(Permission::UseWorkspace)?;
    let set = match state.store.story_set(id).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Err(super::auth::denied(crate::auth::policy::Denied::NotFound)),
        Err(e) => return Err(super::error::Error::from(e).html(Lang::Nl).into_response()),
    };
    let own = set.created_by.as_deref() == Some(signed.0.user.id.as_str());
    let via_campaign = set.campaign_id.as_deref().is_some_and(|c| signed.0.may(Permission::ReadStories(c)));
    if !(own || via_campaign || signed.0.user.role == Role::Admin) {
        return Err(super::auth::denied(crate::auth::policy::Denied::NotFound));
    }
    // Membership can end after a set was made: every campaign it touches must still be readable,
    // or the set would keep showing titles and text of a campaign one was removed from.
    let mut touched: Vec<String> = set.campaign_id.iter().cloned().collect();
    if let Some(ids) = &set.story_ids {
        touched.extend(
            state
                .store
                .campaigns_of_stories(ids)
                .await
                .map_err(|e| super::error::Error::from(e).html(Lang::Nl).into_response())?,
        );
    }
    if touched.iter().all(|c| signed.0.may(Permission::ReadStories(c))) {
        Ok(set)
    } else {
        Err(super::auth::denied(crate::auth::policy::Denied::NotFound))
    }
}

pub struct SetStory {
    pub href: Option<String>,
    pub title: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "set.html")]
pub struct SetPage {
    pub page: Page,
    pub set: SetRow,
    pub stories: Vec<SetStory>,
    pub missing: usize,
    pub error: Option<String>,
}

async fn set_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let set = visible_set(&state, &signed, &id).await?;
    let campaigns: HashMap<String, Campaign> =
        state.store.campaigns().await.unwrap_or_default().into_iter().map(|c| (c.id.clone(), c)).collect();
    let mut stories = Vec::new();
    let mut missing = 0;
    if let Some(ids) = &set.story_ids {
        let shown: Vec<String> = ids.iter().take(500).cloned().collect();
        let found = state.store.stories_by_ids(&shown).await.unwrap_or_default();
        let by_id: HashMap<&str, &crate::domain::Story> = found.iter().map(|s| (s.id.as_str(), s)).collect();
        missing = ids.iter().filter(|i| !by_id.contains_key(i.as_str())).count().min(ids.len());
        for id in &shown {
            let Some(s) = by_id.get(id.as_str()) else { continue };
            let c = campaigns.get(&s.campaign_id);
            stories.push(SetStory {
                href: c
                    .filter(|c| signed.0.may(Permission::ReadStories(&c.id)))
                    .map(|c| format!("/manage/campaigns/{}/stories/{}", c.def.slug, s.id)),
                title: s.title.clone().unwrap_or_else(|| s.text.chars().take(80).collect::<String>() + "…"),
                meta: format!("{} · {}", s.perspective.noun(Lang::Nl), fmt_date(s.created_at)),
            });
        }
    }
    let tpl = SetPage {
        page: Page::new(Lang::Nl, set.name.clone()).signed_in(&signed.0, &csrf),
        set: set_row(&set, &campaigns),
        stories,
        missing,
        error: None,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(serde::Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

async fn rename_set(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<RenameForm>,
) -> Result<Response, Response> {
    let set = visible_set(&state, &signed, &id).await?;
    match parse_name(&form.name) {
        Ok(name) => {
            state
                .store
                .rename_story_set(&set.id, &name)
                .await
                .map_err(|e| super::error::Error::from(e).html(Lang::Nl).into_response())?;
            Ok(Redirect::to(&format!("/sets/{}", set.id)).into_response())
        }
        Err(m) => Ok(message(
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Niet hernoemd",
            &m,
            &format!("/sets/{}", set.id),
        )),
    }
}

async fn delete_set(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let set = visible_set(&state, &signed, &id).await?;
    state
        .store
        .delete_story_set(&set.id)
        .await
        .map_err(|e| super::error::Error::from(e).html(Lang::Nl).into_response())?;
    Ok(Redirect::to("/sets").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_through_the_url() {
        let (p, _) = Params::parse(Some(
            "q=wacht%2A+%22niet+gehoord%22&f=perspective%3Ayouth&f=regie%3E0.7&sort=newest&page=3",
        ));
        assert_eq!(p.q, "wacht* \"niet gehoord\"");
        assert_eq!(p.filters, ["perspective:youth", "regie>0.7"]);
        assert_eq!(p.sort, Sort::Newest);
        assert_eq!(p.page, 3);
        let (again, _) = Params::parse(Some(&p.to_query()));
        assert_eq!(again, p);
    }

    #[test]
    fn form_fields_become_filters() {
        let mut p = Params::default();
        let pairs = vec![
            ("r_path".to_string(), "wat_telde.0".to_string()),
            ("r_op".to_string(), "ge".to_string()),
            ("r_value".to_string(), "0,5".to_string()),
            ("from".to_string(), "2025-01-01".to_string()),
        ];
        assert!(fold_form_fields(&mut p, &pairs));
        assert_eq!(p.filters, ["wat_telde.0>=0.5", "date>=2025-01-01"]);
    }
}
