//! JSON API under `/api/v1` for other front ends and integrations: open campaigns, their
//! forms, story submission (same validation and scrubbing as the web form) and receipts.
//! Errors need no `.json()`: `error::decide` answers JSON for every `/api/` path.

use super::AppState;
use super::auth::ApiCaller;
use super::error::{Error, ErrorKind, Result};
use super::limits::ClientAddr;
use super::routes::Routes;
use crate::auth::policy::{Denied, Permission};
use crate::collect::{self, Consent, Submission};
use crate::domain::campaign::Availability;
use crate::domain::story::StorySource;
use crate::domain::{
    Actor, Answers, AuditAction, AuditEntry, Campaign, CampaignDef, CampaignStatus, Lang, ReceiptCode, Story,
};
use crate::store::StoryCursor;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/campaigns", list_campaigns)
        .get("/api/v1/campaigns/{slug}", campaign_form)
        .post("/api/v1/campaigns/{slug}/stories", submit_story)
        .get("/api/v1/receipts/{code}", read_receipt)
        .delete("/api/v1/receipts/{code}", withdraw_receipt)
        .post("/api/v1/receipts/lookup", read_receipt_posted)
        .post("/api/v1/receipts/withdraw", withdraw_receipt_posted)
        .get("/api/v1/campaigns/{slug}/stories", list_stories)
        .post("/api/v1/campaigns/{slug}/stories/{id}/tags", tag_story)
}

/// Messages in English unless the client prefers Dutch.
fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.trim_start().to_ascii_lowercase().starts_with("nl") { Lang::Nl } else { Lang::En }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    slug: String,
    /// `open` (only open campaigns are listed).
    #[schema(value_type = String)]
    status: CampaignStatus,
    /// The title per language code (`nl`, `en`).
    #[schema(value_type = std::collections::HashMap<String, String>)]
    title: crate::domain::Localized,
    #[schema(value_type = std::collections::HashMap<String, String>)]
    policy_question: crate::domain::Localized,
    /// Language codes the form is offered in.
    #[schema(value_type = Vec<String>)]
    languages: Vec<Lang>,
    /// The web form, relative to the service.
    form_url: String,
}

/// The campaigns that accept stories now.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns",
    tag = "stories",
    responses((status = 200, description = "Open campaigns", body = [CampaignSummary]))
)]
pub async fn list_campaigns(State(state): State<AppState>) -> Result<Json<Vec<CampaignSummary>>> {
    let today = OffsetDateTime::now_utc().date();
    let campaigns = state.store.campaigns().await?;
    Ok(Json(
        campaigns
            .into_iter()
            .filter(|c| c.availability(today) == Availability::Open)
            .map(|c| CampaignSummary {
                form_url: format!("/c/{}", c.def.slug),
                slug: c.def.slug,
                status: c.def.status,
                title: c.def.title,
                policy_question: c.def.policy_question,
                languages: c.def.languages,
            })
            .collect(),
    ))
}

/// A draft is nobody's business yet: it answers 404 like an unknown slug.
async fn published(state: &AppState, slug: &str) -> Result<Campaign> {
    let c = state.store.campaign_by_slug(slug).await?;
    if c.def.status == CampaignStatus::Draft {
        return Err(Error::not_found());
    }
    Ok(c)
}

#[derive(Serialize)]
pub struct CampaignForm {
    #[serde(flatten)]
    def: CampaignDef,
    form_version: i64,
    accepting_stories: bool,
}

/// A campaign's form (prompts and signifiers) as a client should show it.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}",
    tag = "stories",
    params(("slug" = String, Path, description = "The campaign's slug")),
    responses(
        (status = 200, description = "The campaign definition (as in its TOML file, see docs/campaigns.md) with `form_version` and `accepting_stories`", body = Object),
        (status = 404, description = "No such campaign, or a draft", body = super::openapi::ApiError),
    )
)]
pub async fn campaign_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<CampaignForm>> {
    let c = published(&state, &slug).await?;
    let accepting = c.availability(OffsetDateTime::now_utc().date()) == Availability::Open;
    let mut def = c.def;
    // Retired questions and options are history, not part of the form a client should show.
    def.signifiers.retain(|s| !s.retired);
    for s in &mut def.signifiers {
        if let crate::domain::SignifierKind::Choice { options, .. } = &mut s.kind {
            options.retain(|o| !o.retired);
        }
    }
    def.prompts.retain(|p| !p.retired);
    Ok(Json(CampaignForm { def, form_version: c.form_version, accepting_stories: accepting }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StoryRequest {
    text: String,
    title: Option<String>,
    language: Option<String>,
    perspective: Option<String>,
    age_band: Option<String>,
    region: Option<String>,
    prompt: Option<String>,
    #[serde(default)]
    consent: bool,
    /// A parent or guardian agreed too, where the campaign asks that for the age band.
    #[serde(default)]
    guardian_consent: bool,
    /// Answers by signifier id: a triad `[a, b, c]` (any scale), a dyad 0..1, a choice as a
    /// string or list, `null` for "not applicable".
    #[serde(default)]
    #[schema(value_type = Object)]
    answers: BTreeMap<String, Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    id: String,
    /// Shown once: lets the teller read or withdraw the story later.
    receipt_code: String,
}

/// Submits a story: the same validation and scrubbing as the web form; 201 only after commit.
#[utoipa::path(
    post,
    path = "/api/v1/campaigns/{slug}/stories",
    tag = "stories",
    params(("slug" = String, Path, description = "The campaign's slug")),
    request_body = StoryRequest,
    responses(
        (status = 201, description = "Stored", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = super::openapi::ApiError),
        (status = 404, description = "No such campaign", body = super::openapi::ApiError),
        (status = 409, description = "The campaign is not open for stories", body = super::openapi::ApiError),
        (status = 413, description = "The body is too large", body = super::openapi::ApiError),
        (status = 415, description = "Not sent as application/json", body = super::openapi::ApiError),
        (status = 422, description = "Invalid fields; `errors` lists each with its field", body = super::openapi::ApiError),
        (status = 429, description = "Too many stories or attempts from this address", body = super::openapi::ApiError),
    )
)]
pub async fn submit_story(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: std::result::Result<Json<StoryRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response> {
    let lang = lang_of(&headers);
    let Json(req) = body?;
    let campaign = published(&state, &slug).await?;
    if campaign.availability(OffsetDateTime::now_utc().date()) != Availability::Open {
        return Err(Error::new(ErrorKind::Conflict("campaign is not open for stories".into())));
    }
    let sub = Submission {
        text: req.text,
        title: req.title,
        language: req.language,
        perspective: req.perspective,
        age_band: req.age_band,
        region: req.region,
        prompt: req.prompt,
        consent: req.consent,
        guardian_consent: req.guardian_consent,
        answers: req.answers,
    };
    let prepared = collect::prepare(&campaign, &sub, campaign.def.pick_lang(lang), Consent::Required)
        .inspect_err(|errors| collect::count_refused(errors))
        .map_err(|errors| Error {
            kind: ErrorKind::Unprocessable(errors),
            render: Some(super::error::Render::Json(lang)),
        })?;
    if let Err(wait) = super::limits::check(&state.limits.story_client, &ip) {
        collect::count_refused_for("rate_limited");
        let body = serde_json::json!({
            "code": "rate_limited",
            "message": format!("Too many stories from this address; retry in {wait} s."),
        });
        let mut resp = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(resp);
    }
    let code = ReceiptCode::generate();
    let story = prepared.into_new_story(
        &campaign,
        StorySource::Api,
        Some(code.hash()),
        None,
        None,
        OffsetDateTime::now_utc(),
    );
    state.store.insert_story(&story).await?;
    collect::count_accepted(StorySource::Api);
    state.search.notify();
    tracing::info!(campaign = %campaign.slug(), story_id = %story.id, "story stored via api");
    // 201 only after the commit above.
    let mut resp =
        (StatusCode::CREATED, Json(Created { id: story.id, receipt_code: code.display() })).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// A story read back with its receipt code, with what its campaign has published since.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StoryResponse {
    id: String,
    campaign: String,
    title: Option<String>,
    text: String,
    language: String,
    #[schema(value_type = String)]
    perspective: &'static str,
    #[schema(value_type = Option<String>)]
    age_band: Option<&'static str>,
    region: Option<String>,
    municipality: Option<String>,
    prompt: Option<String>,
    #[schema(value_type = Object)]
    answers: Answers,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    /// "You said, we did": the campaign's published summary and actions.
    results: crate::actions::results::Results,
}

/// A receipt code in a request body, so that it need not sit in URLs and proxy logs.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CodeBody {
    code: String,
}

async fn by_code(state: &AppState, ip: std::net::IpAddr, code: &str) -> Result<Story> {
    state.limits.receipt(&ip).map_err(|wait| Error::new(ErrorKind::TooManyRequests(wait)))?;
    let code = ReceiptCode::parse(code).map_err(|_| {
        Error::new(ErrorKind::BadRequest(
            "A receipt code has 20 letters, like ABCD-EFGH-JKMN-PQRS-TUVW.".into(),
        ))
    })?;
    Ok(state.store.story_by_receipt(&code.hash()).await?)
}

/// Reads a story (and what its campaign published since) with its receipt code (prefer the POST form: codes in URLs end up in logs).
#[utoipa::path(
    get,
    path = "/api/v1/receipts/{code}",
    tag = "receipts",
    params(("code" = String, Path, description = "The receipt code, like ABCD-EFGH-JKMN-PQRS-TUVW")),
    responses(
        (status = 200, description = "The story and the published results of its campaign", body = StoryResponse),
        (status = 400, description = "Not a receipt code", body = super::openapi::ApiError),
        (status = 404, description = "No story with this code (never stored, or withdrawn)", body = super::openapi::ApiError),
        (status = 429, description = "Too many look-ups", body = super::openapi::ApiError),
    )
)]
pub async fn read_receipt(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Path(code): Path<String>,
) -> Result<Response> {
    receipt_response(&state, ip, &code).await
}

/// Reads a story with its receipt code sent in the body.
#[utoipa::path(
    post,
    path = "/api/v1/receipts/lookup",
    tag = "receipts",
    request_body = CodeBody,
    responses(
        (status = 200, description = "The story as stored", body = StoryResponse),
        (status = 400, description = "Not a receipt code", body = super::openapi::ApiError),
        (status = 404, description = "No story with this code (never stored, or withdrawn)", body = super::openapi::ApiError),
        (status = 429, description = "Too many look-ups", body = super::openapi::ApiError),
    )
)]
pub async fn read_receipt_posted(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Json(body): Json<CodeBody>,
) -> Result<Response> {
    receipt_response(&state, ip, &body.code).await
}

async fn receipt_response(state: &AppState, ip: std::net::IpAddr, code: &str) -> Result<Response> {
    let story = by_code(state, ip, code).await?;
    let campaign = state.store.campaign(&story.campaign_id).await?;
    let results = crate::actions::results::published(&state.store, &campaign)
        .await
        .map_err(|e| Error::internal(anyhow::anyhow!(e.to_string())))?;
    let body = StoryResponse {
        id: story.id,
        campaign: campaign.def.slug,
        title: story.title,
        text: story.text,
        language: story.language,
        perspective: story.perspective.as_str(),
        age_band: story.age_band.map(|a| a.code()),
        region: story.region,
        municipality: story.municipality,
        prompt: story.prompt_id,
        answers: story.answers,
        created_at: story.created_at,
        results,
    };
    let mut resp = Json(body).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Withdraws a story with its receipt code.
#[utoipa::path(
    delete,
    path = "/api/v1/receipts/{code}",
    tag = "receipts",
    params(("code" = String, Path, description = "The receipt code, like ABCD-EFGH-JKMN-PQRS-TUVW")),
    responses(
        (status = 204, description = "Withdrawn: deleted from the database and the index"),
        (status = 400, description = "Not a receipt code", body = super::openapi::ApiError),
        (status = 404, description = "No story with this code", body = super::openapi::ApiError),
        (status = 429, description = "Too many attempts", body = super::openapi::ApiError),
    )
)]
pub async fn withdraw_receipt(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Path(code): Path<String>,
) -> Result<StatusCode> {
    withdraw_by_code(&state, ip, &code).await
}

/// Withdraws a story with its receipt code sent in the body.
#[utoipa::path(
    post,
    path = "/api/v1/receipts/withdraw",
    tag = "receipts",
    request_body = CodeBody,
    responses(
        (status = 204, description = "Withdrawn: deleted from the database and the index"),
        (status = 400, description = "Not a receipt code", body = super::openapi::ApiError),
        (status = 404, description = "No story with this code", body = super::openapi::ApiError),
        (status = 429, description = "Too many attempts", body = super::openapi::ApiError),
    )
)]
pub async fn withdraw_receipt_posted(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Json(body): Json<CodeBody>,
) -> Result<StatusCode> {
    withdraw_by_code(&state, ip, &body.code).await
}

async fn withdraw_by_code(state: &AppState, ip: std::net::IpAddr, code: &str) -> Result<StatusCode> {
    let story = by_code(state, ip, code).await?;
    let audit = AuditEntry::new(Actor::anonymous(), AuditAction::StoryWithdrawn);
    state.store.delete_story(&story.id, &audit).await?;
    tracing::info!(story_id = %story.id, "story withdrawn by its teller via api");
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// For scripts of facilitators: a campaign's stories, and tagging them (personal API tokens).

/// Stories per page when the client does not say, and at most.
const STORIES_PAGE: usize = 50;
const MAX_STORIES_PAGE: usize = 200;

/// A refusal for a signed-in caller or a token, as JSON; a read-only token is told why.
fn refused(caller: &ApiCaller, d: Denied) -> Response {
    match (d, &caller.0.token) {
        (Denied::Forbidden, Some(g)) if g.access == crate::auth::tokens::Access::Read => (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({
                "code": "forbidden",
                "message": "This token is read-only. Create a read-write token on /account to change things.",
            })),
        )
            .into_response(),
        (d, _) => super::auth::api_denied(d),
    }
}

/// The campaign of the URL if the caller has `permission` on it; a campaign the caller may not
/// see is a 404 like one that does not exist.
async fn campaign_for_caller(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
    permission: impl Fn(&str) -> Permission<'_>,
) -> std::result::Result<Campaign, Response> {
    let campaign = match state.store.campaign_by_slug(slug).await {
        Ok(c) => c,
        Err(crate::store::StoreError::NotFound) => return Err(Error::not_found().json().into_response()),
        Err(e) => return Err(Error::from(e).json().into_response()),
    };
    caller.0.require(permission(&campaign.id)).map_err(|d| refused(caller, d))?;
    Ok(campaign)
}

/// `created_at~id` of the last story of a page, in UTC so it has no `+` (read as a space in a
/// query string).
fn encode_cursor(c: &StoryCursor) -> String {
    let at = c
        .created_at
        .to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    format!("{at}~{}", c.id)
}

fn decode_cursor(s: &str) -> Option<StoryCursor> {
    let (at, id) = s.split_once('~')?;
    let created_at = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    (!id.is_empty()).then(|| StoryCursor { created_at, id: id.to_string() })
}

#[derive(Deserialize)]
pub struct StoriesQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// A page of a campaign's stories.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StoriesPage {
    /// Stories oldest first, each as a line of `luister export --format jsonl` (text, signifier
    /// answers by id, tags with their provenance; see README.md).
    #[schema(value_type = Vec<Object>)]
    stories: Vec<crate::transfer::StoryLine>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

/// A campaign's stories with signifier answers and tags, page by page (oldest first). For the
/// campaign's facilitators and admins: a session, or a personal API token of the campaign.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}/stories",
    tag = "facilitators",
    params(
        ("slug" = String, Path, description = "The campaign's slug"),
        ("limit" = Option<usize>, Query, description = "Stories per page, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the page before; leave out for the first page"),
    ),
    responses(
        (status = 200, description = "A page of stories", body = StoriesPage),
        (status = 400, description = "A limit or cursor that cannot be read", body = super::openapi::ApiError),
        (status = 401, description = "No session and no valid token (unknown, expired or revoked; the account disabled or no longer in the campaign)", body = super::openapi::ApiError),
        (status = 403, description = "The account may not read stories (the steering role)", body = super::openapi::ApiError),
        (status = 404, description = "No such campaign, or not one of the caller's (a token's other campaigns included)", body = super::openapi::ApiError),
    ),
    security(("bearerAuth" = []), ("session" = []))
)]
pub async fn list_stories(
    caller: std::result::Result<ApiCaller, Response>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<StoriesQuery>,
) -> Response {
    let caller = match caller {
        Ok(c) => c,
        Err(refusal) => return refusal,
    };
    let campaign = match campaign_for_caller(&state, &caller, &slug, |id| Permission::ReadStories(id)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let limit = match q.limit.as_deref().map(str::parse::<usize>) {
        None => STORIES_PAGE,
        Some(Ok(n)) if (1..=MAX_STORIES_PAGE).contains(&n) => n,
        Some(_) => {
            return Error::new(ErrorKind::BadRequest(format!(
                "limit is a whole number from 1 to {MAX_STORIES_PAGE}."
            )))
            .json()
            .into_response();
        }
    };
    let cursor = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => match decode_cursor(raw) {
            Some(c) => Some(c),
            None => {
                return Error::new(ErrorKind::BadRequest(
                    "cursor is the next_cursor of an earlier page; leave it out to start at the first."
                        .into(),
                ))
                .json()
                .into_response();
            }
        },
    };
    let page = match crate::transfer::export::lines_page(
        &state.store,
        caller.actor(),
        &campaign,
        cursor.as_ref(),
        limit,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return Error::from(e).json().into_response(),
    };
    let next_cursor = page.next.as_ref().map(encode_cursor);
    let stories = page.lines;
    let mut resp = Json(StoriesPage { stories, next_cursor }).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TagRequest {
    /// A live theme of the campaign's codebook: its id, or its name (case does not matter).
    theme: String,
    /// `add` (default: a tag by hand), `accept` or `reject` (a model suggestion), `remove`
    /// (take back one's own tag).
    #[serde(default)]
    action: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TagResult {
    story: String,
    /// The theme's id.
    theme: String,
    action: String,
    /// Whether anything changed (`false`: it was already so).
    changed: bool,
}

/// Tags a story with a theme of its campaign, as the token's user (the audit entry names the
/// token). Only with a read-write personal API token of the campaign; a session cannot use it.
#[utoipa::path(
    post,
    path = "/api/v1/campaigns/{slug}/stories/{id}/tags",
    tag = "facilitators",
    params(
        ("slug" = String, Path, description = "The campaign's slug"),
        ("id" = String, Path, description = "The story's id"),
    ),
    request_body = TagRequest,
    responses(
        (status = 200, description = "Done (or already so)", body = TagResult),
        (status = 400, description = "The body is not JSON of this shape, or an unknown action", body = super::openapi::ApiError),
        (status = 401, description = "No valid personal API token", body = super::openapi::ApiError),
        (status = 403, description = "A read-only token, or an account that may not code", body = super::openapi::ApiError),
        (status = 404, description = "No such campaign or story, or not the token's campaign", body = super::openapi::ApiError),
        (status = 409, description = "The change breaks a coding rule; `message` says which", body = super::openapi::ApiError),
        (status = 415, description = "Not sent as application/json", body = super::openapi::ApiError),
        (status = 422, description = "No live theme of the campaign by that id or name", body = super::openapi::ApiError),
    ),
    security(("bearerAuth" = []))
)]
pub async fn tag_story(
    caller: std::result::Result<ApiCaller, Response>,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: std::result::Result<Json<TagRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let caller = match caller {
        Ok(c) if c.0.token.is_some() => c,
        // A session would need CSRF protection here; the pages have their own tagging form.
        Ok(_) => {
            return super::auth::ApiUnauthorized(
                "This route takes a read-write personal API token (made on /account) as `Authorization: Bearer lst_…`; in the browser, tag on the story's page.",
            )
            .into_response();
        }
        Err(refusal) => return refusal,
    };
    let campaign = match campaign_for_caller(&state, &caller, &slug, |id| Permission::CodeStories(id)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let req = match body {
        Ok(Json(r)) => r,
        Err(e) => return Error::from(e).json().into_response(),
    };
    let action_name = req.action.as_deref().unwrap_or("add");
    let Some(action) = crate::tagging::coding::Action::parse(action_name) else {
        return Error::new(ErrorKind::BadRequest("action is one of add, accept, reject or remove.".into()))
            .json()
            .into_response();
    };
    match state.store.story(&id).await {
        Ok(s) if s.campaign_id == campaign.id => {}
        Ok(_) | Err(crate::store::StoreError::NotFound) => return Error::not_found().json().into_response(),
        Err(e) => return Error::from(e).json().into_response(),
    }
    let wanted = req.theme.trim();
    let theme = match state.store.themes(Some(&campaign.id)).await {
        Ok(themes) => themes
            .into_iter()
            .filter(|t| t.merged_into.is_none())
            .find(|t| t.id == wanted || t.name.eq_ignore_ascii_case(wanted)),
        Err(e) => return Error::from(e).json().into_response(),
    };
    let Some(theme) = theme else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({
                "code": "unknown_theme",
                "message": "No live theme of this campaign has that id or name; the campaign's codebook lists them.",
            })),
        )
            .into_response();
    };
    // The person stays the one who decided; the label says it came through which token.
    let by = caller.actor();
    match crate::tagging::coding::change(
        &state.store,
        &by,
        &campaign.id,
        &id,
        &theme,
        action,
        state.clock.now(),
    )
    .await
    {
        Ok(changed) => {
            tracing::info!(campaign = %campaign.slug(), story_id = %id, theme = %theme.id, action = ?action, "tag changed via api token");
            Json(TagResult {
                story: id,
                theme: theme.id,
                action: action.as_str().into(),
                changed: !changed.nothing(),
            })
            .into_response()
        }
        Err(crate::tagging::TaggingError::NotFound) => Error::not_found().json().into_response(),
        Err(crate::tagging::TaggingError::Invalid(m) | crate::tagging::TaggingError::Conflict(m)) => {
            Error::new(ErrorKind::Conflict(m)).json().into_response()
        }
        Err(e) => Error::internal(anyhow::anyhow!(e)).json().into_response(),
    }
}
