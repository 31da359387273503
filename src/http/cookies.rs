//! Cookie names and attributes in one place. Over https every cookie is `Secure` and uses the
//! `__Host-` prefix, which stops subdomains from planting their own.

use crate::config::Config;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

pub fn session_name(c: &Config) -> String {
    if c.is_https() { "__Host-luister_session".into() } else { "luister_session".into() }
}

pub fn csrf_name(c: &Config) -> String {
    if c.is_https() { "__Host-luister_csrf".into() } else { "luister_csrf".into() }
}

/// The value of a cookie in the request.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

fn build(c: &Config, name: &str, value: &str, same_site: &str, max_age: Option<i64>) -> String {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if c.is_https() {
        s.push_str("; Secure");
    }
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    s
}

/// Sets a session-lifetime cookie (no Max-Age: gone when the browser closes).
pub fn set(resp: &mut Response, c: &Config, name: &str, value: &str, same_site: &str) {
    if let Ok(v) = HeaderValue::from_str(&build(c, name, value, same_site, None)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub fn clear(resp: &mut Response, c: &Config, name: &str) {
    if let Ok(v) = HeaderValue::from_str(&build(c, name, "", "Lax", Some(0))) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}
