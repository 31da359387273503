//! Cross-site request forgery protection for every state-changing request from a page, the
//! anonymous story form and receipt withdrawal included: the request's `Origin` must be our own,
//! and the form must carry the token from our `csrf` cookie (double submit). The JSON API is
//! exempt: it only accepts `application/json`, which a cross-site form cannot send.

use super::AppState;
use super::cookies;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The visitor's CSRF token, for hidden `_csrf` fields in forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfToken(pub String);

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<CsrfToken>().cloned().unwrap_or(CsrfToken(String::new())))
    }
}

/// Why a request was refused (logged, and the page says it in general terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    ForeignOrigin,
    MissingToken,
}

fn origin_ok(parts: &Parts, state: &AppState) -> bool {
    let headers = &parts.headers;
    // With `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts, even
    // same-origin ones; then Fetch metadata (`Sec-Fetch-Site`, never hidden) decides.
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null");
    if let Some(origin) = origin {
        let ours = match &state.config.public_url {
            Some(url) => vec![origin_of(url)],
            None => match headers.get(header::HOST).and_then(|v| v.to_str().ok()) {
                Some(host) => vec![format!("http://{host}"), format!("https://{host}")],
                None => vec![],
            },
        };
        return ours.iter().any(|o| o.eq_ignore_ascii_case(origin));
    }
    !matches!(headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()), Some("cross-site" | "same-site"))
}

/// `https://example.nl/path` → `https://example.nl`.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => url[..after_scheme + i].to_string(),
        None => url.to_string(),
    }
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v)
}

/// Compares without stopping at the first difference, so timing reveals nothing.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let cookie_token = cookies::get(&parts.headers, &cookies::csrf_name(&state.config));
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = if unsafe_method && !parts.uri.path().starts_with("/api/") {
        if !origin_ok(&parts, &state) {
            return refuse(&parts, Refusal::ForeignOrigin);
        }
        let bytes = match to_bytes(body, state.config.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => return super::too_large_page(&parts),
        };
        let ok = match (&cookie_token, form_token(&bytes)) {
            (Some(c), Some(f)) => same(c, &f),
            _ => false,
        };
        if !ok {
            return refuse(&parts, Refusal::MissingToken);
        }
        // The body was read to find the token; the handler gets the same bytes.
        Body::from(bytes)
    } else {
        body
    };
    let token = cookie_token.clone().unwrap_or_else(crate::auth::session::new_token);
    parts.extensions.insert(CsrfToken(token.clone()));
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if cookie_token.is_none() {
        cookies::set(&mut resp, &state.config, &cookies::csrf_name(&state.config), &token, "Strict");
    }
    resp
}

fn refuse(parts: &Parts, why: Refusal) -> Response {
    tracing::warn!(reason = ?why, method = %parts.method, "cross-site request refused");
    super::forbidden_page(parts, StatusCode::FORBIDDEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(origin_of("https://luister.example.nl/"), "https://luister.example.nl");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }

    #[test]
    fn token_is_found_in_a_form_body() {
        assert_eq!(form_token(b"a=1&_csrf=abc&b=2").as_deref(), Some("abc"));
        assert_eq!(form_token(b"a=1"), None);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
