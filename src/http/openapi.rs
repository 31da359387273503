//! The OpenAPI document of the JSON API, at `/api/v1/openapi.json`, generated from the handlers'
//! annotations (utoipa) so it cannot drift from the code it describes; and a readable reference
//! at `/api/v1/docs`, rendered on the server from the same document (no CDN, no script).
//! `tests/api/openapi.rs` fails when a route under `/api` is missing from the document.

use super::routes::Routes;
use super::views::{Page, render};
use crate::domain::Lang;
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "luister API",
        description = "Large-scale listening in Dutch youth care. Story submission and receipts are public (a receipt also shows the published results of its campaign); search, the dashboard and a campaign's stories need a signed-in session (cookie) or a personal API token (`Authorization: Bearer lst_…`, made on /account: one campaign, read-only or read-write); tagging takes a read-write token. Errors are JSON `{code, message}` with stable codes.",
    ),
    paths(
        super::api::list_campaigns,
        super::api::campaign_form,
        super::api::submit_story,
        super::api::read_receipt,
        super::api::withdraw_receipt,
        super::api::read_receipt_posted,
        super::api::withdraw_receipt_posted,
        super::search::search_api,
        super::dashboard::dashboard_api,
        super::api::list_stories,
        super::api::tag_story,
        openapi_json,
        docs,
    ),
    components(schemas(
        super::search::ApiResults,
        super::search::ApiHit,
        super::search::ApiSnippet,
        super::search::ApiFacetValue,
        super::api::CampaignSummary,
        super::api::StoryRequest,
        super::api::Created,
        super::api::StoryResponse,
        super::api::CodeBody,
        super::api::StoriesPage,
        super::api::TagRequest,
        super::api::TagResult,
        crate::actions::results::Results,
        crate::actions::results::ResultAction,
        ApiError,
        FieldProblem,
    )),
    modifiers(&SessionCookie),
)]
pub struct ApiDoc;

/// Every error of the API has this shape (see `http/error.rs`).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// Stable: `not_found`, `bad_request`, `conflict`, `validation_failed`, `too_large`,
    /// `too_many_requests`, `rate_limited`, `unauthorized`, `forbidden`, `internal`,
    /// `unavailable` (503 with `Retry-After`: the database is away for a moment), …
    pub code: String,
    /// For people, in English unless the client prefers Dutch.
    pub message: String,
    /// With `validation_failed`: each invalid field.
    #[schema(nullable = false)]
    pub errors: Option<Vec<FieldProblem>>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("luister_session"))),
        );
        // Personal API tokens (`lst_` and 64 hex characters), see docs/api.md.
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("lst_ token").build(),
            ),
        );
    }
}

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/openapi.json", openapi_json).get("/api/v1/docs", docs)
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document", body = Object))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// One operation as the reference page shows it.
pub struct OperationView {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<(String, String, bool, String)>,
    pub body: String,
    pub responses: Vec<(String, String, String)>,
    pub secured: bool,
}

pub struct SchemaView {
    pub name: String,
    pub fields: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
pub struct DocsPage {
    pub page: Page,
    pub title: String,
    pub description: String,
    pub version: String,
    pub operations: Vec<OperationView>,
    pub schemas: Vec<SchemaView>,
}

/// A schema reference or inline schema as a short type name.
fn type_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("array of {}", schema.get("items").map_or_else(|| "any".into(), type_name))
        }
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
        _ => schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|alts| alts.iter().map(type_name).filter(|t| t != "null").collect::<Vec<_>>().join(" or "))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "any".into()),
    }
}

/// The reference page's content, read from the document (pure, tested below).
pub fn views(doc: &Value) -> (Vec<OperationView>, Vec<SchemaView>) {
    let mut ops = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let text = |k: &str| op.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                        let ty = p.get("schema").map_or_else(String::new, type_name);
                        (
                            format!("{} ({}, {ty})", s("name"), s("in")),
                            s("description"),
                            p.get("required").and_then(Value::as_bool).unwrap_or(false),
                            String::new(),
                        )
                    })
                    .collect();
                let body = op
                    .pointer("/requestBody/content/application~1json/schema")
                    .map_or_else(String::new, type_name);
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| {
                        let desc = r.get("description").and_then(Value::as_str).unwrap_or("").to_string();
                        let ty = r
                            .pointer("/content/application~1json/schema")
                            .map_or_else(String::new, type_name);
                        (status.clone(), desc, ty)
                    })
                    .collect();
                let anchor: String = format!("{method}-{path}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                ops.push(OperationView {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    anchor,
                    summary: text("summary"),
                    description: text("description"),
                    params,
                    body,
                    responses,
                    secured: op.get("security").is_some(),
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(all) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in all {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(f, p)| {
                    let desc = p.get("description").and_then(Value::as_str).unwrap_or("").to_string();
                    let ty = type_name(p);
                    let ty = if required.contains(&f.as_str()) { ty } else { format!("{ty}, optional") };
                    (f.clone(), ty, desc)
                })
                .collect();
            schemas.push(SchemaView { name: name.clone(), fields });
        }
    }
    (ops, schemas)
}

/// This reference, as a web page.
#[utoipa::path(
    get,
    path = "/api/v1/docs",
    tag = "meta",
    responses((status = 200, description = "The API reference page", content_type = "text/html", body = String))
)]
pub async fn docs() -> Response {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let (operations, schemas) = views(&doc);
    let text = |p: &str| doc.pointer(p).and_then(Value::as_str).unwrap_or("").to_string();
    let tpl = DocsPage {
        page: Page::new(Lang::En, "API reference"),
        title: text("/info/title"),
        description: text("/info/description"),
        version: text("/info/version"),
        operations,
        schemas,
    };
    render(StatusCode::OK, false, &tpl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_lists_every_operation_and_schema_of_the_document() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let (ops, schemas) = views(&doc);
        let submit = ops
            .iter()
            .find(|o| o.method == "POST" && o.path == "/api/v1/campaigns/{slug}/stories")
            .expect("story submission");
        assert_eq!(submit.body, "StoryRequest");
        assert!(submit.responses.iter().any(|(s, _, t)| s == "201" && t == "Created"));
        assert!(ops.iter().any(|o| o.path == "/api/v1/search" && o.secured));
        assert!(ops.iter().any(|o| o.path == "/api/v1/campaigns/{slug}/stories/{id}/tags" && o.secured));
        assert_eq!(doc.pointer("/components/securitySchemes/bearerAuth/scheme").unwrap(), "bearer");
        let req = schemas.iter().find(|s| s.name == "StoryRequest").unwrap();
        assert!(req.fields.iter().any(|(f, t, _)| f == "text" && t == "string"), "{:?}", req.fields);
    }
}
