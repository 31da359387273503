//! The web layer: one router per audience, merged here, with the cross-cutting layers (body
//! limit, timeouts, security headers, request logs without personal data, errors rendered for
//! the request). Handlers are thin: parse, call one use case (`crate::campaigns`,
//! `crate::accounts`, ...) or a store read, render; `page` holds the helpers they share.

pub mod account;
pub mod actions;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod cookies;
pub mod csrf;
pub mod dashboard;
pub mod error;
pub mod export;
pub mod form;
pub mod health;
pub mod home;
pub mod i18n;
pub mod limits;
pub mod manage;
pub mod maps;
pub mod metrics;
pub mod openapi;
pub mod overload;
pub mod page;
pub mod participant;
pub mod receipt;
pub mod respond;
pub mod results;
pub mod routes;
pub mod search;
pub mod sessions;
pub mod toets;
pub mod views;

use crate::config::Config;
use crate::store::DynStore;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Everything a handler may use. Small on purpose.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub config: Arc<Config>,
    pub clock: crate::clock::DynClock,
    pub limits: Arc<limits::RateLimits>,
    /// The search index of this instance (derived from the database, kept up to date by its
    /// indexer task).
    pub search: crate::search::SearchHandle,
    /// Background jobs (discovery, retraining, re-tagging).
    pub jobs: crate::jobs::JobHandle,
    /// Live perspective map pages, kept while nothing they depend on changes.
    pub maps: Arc<crate::maps::ViewCache>,
}

/// Every route of the app, with the list the authorisation test walks.
pub fn all_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(home::routes())
        .merge(form::routes())
        .merge(receipt::routes())
        .merge(api::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .merge(auth::routes())
        .merge(manage::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(search::routes())
        .merge(maps::routes())
        .merge(dashboard::routes())
        .merge(sessions::routes())
        .merge(participant::routes())
        .merge(openapi::routes())
        .merge(actions::routes())
        .merge(toets::routes())
        .merge(results::routes())
        .merge(export::routes())
}

/// Method and path of every route, as registered.
pub fn route_list() -> Vec<(axum::http::Method, &'static str)> {
    all_routes().list
}

/// Content Security Policy: only our own files; no inline script, so injected markup cannot run.
const CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let hsts = if state.config.is_https() {
        Some(HeaderValue::from_static("max-age=31536000; includeSubDomains"))
    } else {
        None
    };
    let router = routes::catch_panics(all_routes().router)
        .route_layer(middleware::from_fn_with_state(state.clone(), limits::attempt_budget))
        .fallback(not_found)
        .layer(middleware::from_fn(error::decide))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), known_host))
        .layer(middleware::from_fn(friendly_errors))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| hsts.clone(),
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ));
    let (max, retry_after) = (state.config.max_requests_in_flight, state.config.overload_retry_after_seconds);
    overload::shed(routes::observed(metrics::measured(router)).with_state(state), max, retry_after)
}

/// Whether a `Host` header names this service: its public host when one is configured, or an IP
/// address or `localhost`. A DNS-rebinding page always arrives under its own domain name, so it
/// is refused here before anything trusts `Host` (such as the Origin check without a public URL).
pub fn host_allowed(host: &str, public_url: Option<&str>) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        Some(v6) => return v6.split(']').next().is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok()),
        None => host.rsplit_once(':').map_or(host.as_str(), |(n, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) { n } else { host.as_str() }
        }),
    };
    if name == "localhost" || name.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    public_url.is_some_and(|url| {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = after_scheme.split('/').next().unwrap_or("").to_ascii_lowercase();
        let public_name = authority.rsplit_once(':').map_or(authority.as_str(), |(n, _)| n);
        name == public_name
    })
}

async fn known_host(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).or_else(|| req.uri().host());
    match host {
        Some(h) if host_allowed(h, state.config.public_url.as_deref()) => next.run(req).await,
        _ => {
            tracing::warn!("request for an unknown host refused");
            (
                StatusCode::MISDIRECTED_REQUEST,
                "This service does not answer for that host name. Use its own address.",
            )
                .into_response()
        }
    }
}

/// JSON under `/api/`, a page otherwise: `error::decide` renders it for the request.
async fn not_found() -> Response {
    error::Error::not_found().into_response()
}

fn lang_from_request(req: &Request) -> crate::domain::Lang {
    i18n::request_lang(req.uri(), req.headers())
}

/// Extractors answer some problems (body too large, wrong content type) with plain text; a
/// storyteller gets a page that says what to do instead.
async fn friendly_errors(req: Request, next: Next) -> Response {
    let lang = lang_from_request(&req);
    let is_api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !plain || !resp.status().is_client_error() || resp.status() == StatusCode::NOT_FOUND {
        return resp;
    }
    let status = resp.status();
    let t = i18n::ui(lang);
    if is_api {
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "The request body is too large."
        } else {
            "The request could not be read."
        };
        return (status, axum::Json(serde_json::json!({ "code": "bad_request", "message": message })))
            .into_response();
    }
    let (heading, text) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        (t.too_large_title, t.too_large_text)
    } else {
        (t.error_title, t.error_text)
    };
    views::render(
        status,
        false,
        &views::MessagePage {
            page: views::Page::new(lang, heading),
            heading: heading.into(),
            text: text.into(),
            link: Some(("/".into(), t.back_home.into())),
        },
    )
}

/// 403 for a refused cross-site request.
pub(crate) fn forbidden_page(parts: &axum::http::request::Parts, status: StatusCode) -> Response {
    let lang = lang_from_parts(parts);
    let (heading, text) = match lang {
        crate::domain::Lang::En => (
            "This request was refused",
            "It did not come from a page of this site, or the page was too old. Go back, reload the page and try again.",
        ),
        crate::domain::Lang::Nl => (
            "Dit verzoek is geweigerd",
            "Het kwam niet van een pagina van deze site, of de pagina was te oud. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        ),
    };
    views::render(
        status,
        false,
        &views::MessagePage {
            page: views::Page::new(lang, heading),
            heading: heading.into(),
            text: text.into(),
            link: Some(("/".into(), i18n::ui(lang).back_home.into())),
        },
    )
}

/// 413 with a page that says what to do.
pub(crate) fn too_large_page(parts: &axum::http::request::Parts) -> Response {
    let lang = lang_from_parts(parts);
    let t = i18n::ui(lang);
    views::render(
        StatusCode::PAYLOAD_TOO_LARGE,
        false,
        &views::MessagePage {
            page: views::Page::new(lang, t.too_large_title),
            heading: t.too_large_title.into(),
            text: t.too_large_text.into(),
            link: Some(("/".into(), t.back_home.into())),
        },
    )
}

fn lang_from_parts(parts: &axum::http::request::Parts) -> crate::domain::Lang {
    i18n::request_lang(&parts.uri, &parts.headers)
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn only_ip_addresses_localhost_and_the_public_host_are_served() {
        for ok in
            ["127.0.0.1:8080", "localhost:8080", "localhost", "[::1]:8080", "10.1.2.3", "192.168.0.5:80"]
        {
            assert!(host_allowed(ok, None), "{ok}");
        }
        for bad in ["evil.example:8080", "evil.example", "127.0.0.1.evil.example", "[not-an-ip]:80", ""] {
            assert!(!host_allowed(bad, None), "{bad}");
        }
        assert!(host_allowed("luister.example.nl", Some("https://luister.example.nl")));
        assert!(host_allowed("Luister.Example.NL:443", Some("https://luister.example.nl/")));
        assert!(!host_allowed("evil.example", Some("https://luister.example.nl")));
    }
}
