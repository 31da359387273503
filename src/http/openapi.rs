//! The OpenAPI document of the JSON API, at `/api/v1/openapi.json`, generated from the handlers'
//! annotations (utoipa) so it cannot drift from the code it describes.

use super::routes::Routes;
use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "luister API",
        description = "Large-scale listening in Dutch youth care. Story submission and receipts are public (a receipt also shows the published results of its campaign); search needs a signed-in session (cookie).",
    ),
    paths(super::search::search_api, super::api::read_receipt),
    components(schemas(super::api::StoryResponse, crate::actions::results::Results, crate::actions::results::ResultAction, super::search::ApiResults, super::search::ApiHit, super::search::ApiSnippet, super::search::ApiFacetValue)),
    modifiers(&SessionCookie),
)]
pub struct ApiDoc;

struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("luister_session"))),
        );
    }
}

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/openapi.json", openapi)
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
