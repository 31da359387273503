//! Load shedding: at most `max_requests_in_flight` requests are handled at once; one more is
//! answered straight away with 503 and `Retry-After` instead of queueing behind the others, so
//! memory stays bounded and an accepted request keeps its latency. (tower's `load_shed` over
//! `concurrency_limit`, around the whole app so the limit is one for all routes.)

use super::views::{MessagePage, Page, render};
use crate::domain::Lang;
use axum::Json;
use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;

/// Wraps `app` so that requests beyond `max` in flight are shed with 503.
pub fn shed(app: axum::Router, max: usize, retry_after: u64) -> axum::Router {
    let limited = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(move |uri: Uri, headers: HeaderMap, err: tower::BoxError| async move {
            overloaded(&uri, &headers, retry_after, &err)
        }))
        .load_shed()
        .concurrency_limit(max.max(1))
        .service(app);
    axum::Router::new().fallback_service(limited)
}

fn overloaded(uri: &Uri, headers: &HeaderMap, retry_after: u64, err: &tower::BoxError) -> Response {
    if !err.is::<tower::load_shed::error::Overloaded>() {
        tracing::error!(error = %err, "request failed in the overload layer");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    metrics_note();
    let mut resp = if uri.path().starts_with("/api/") {
        let body = serde_json::json!({
            "code": "overloaded",
            "message": format!("The service is busy; nothing was stored. Try again in {retry_after} seconds."),
        });
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    } else {
        let lang = page_lang(uri, headers);
        let (heading, text) = match lang {
            Lang::Nl => (
                "Het is even te druk",
                format!(
                    "Er zijn nu heel veel mensen tegelijk. Er is niets opgeslagen. Probeer het over {retry_after} seconden opnieuw: ga terug en verstuur nog een keer."
                ),
            ),
            _ => (
                "It is very busy right now",
                format!(
                    "Very many people are here at once. Nothing was stored. Try again in {retry_after} seconds: go back and send it again."
                ),
            ),
        };
        render(
            StatusCode::SERVICE_UNAVAILABLE,
            true,
            &MessagePage { page: Page::new(lang, heading), heading: heading.into(), text, link: None },
        )
    };
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    resp
}

/// Shed requests are logged at debug only: under overload a line per request would add load.
fn metrics_note() {
    tracing::debug!("request shed: too many in flight");
}

/// The page language: `?lang=en` or an English `Accept-Language`, Dutch otherwise.
fn page_lang(uri: &Uri, headers: &HeaderMap) -> Lang {
    let param = uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")));
    if param.is_some() {
        return Lang::from_param(param);
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.trim_start().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Nl }
}
