//! The one HTTP error type. Pages get an HTML page in the visitor's language, the API gets JSON
//! `{ "message", "code" }` with stable codes; 5xx bodies are generic and the detail is logged
//! once, here. A handler need not say which: unless it chose (`.html(lang)`, `.json()`), the
//! `decide` layer renders the error for the request, JSON under `/api/` and otherwise a page in
//! the language the request asks for.

use super::views::{MessagePage, Page, render};
use crate::domain::{FieldError, Lang};
use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone)]
pub enum ErrorKind {
    NotFound,
    BadRequest(String),
    Unprocessable(Vec<FieldError>),
    Conflict(String),
    /// The request body is larger than the service accepts.
    TooLarge,
    /// Too many requests; try again after this many seconds.
    TooManyRequests(u64),
    /// The database cannot take the request for a moment (see `StoreError::Unavailable`);
    /// nothing was changed. 503 with `Retry-After: UNAVAILABLE_RETRY_AFTER_SECONDS`.
    Unavailable(String),
    Internal(std::sync::Arc<anyhow::Error>),
}

/// What `Retry-After` says when the database is away: PostgreSQL restarts and a full disk being
/// cleared take seconds, and a client that waits this long finds it back in most cases.
pub const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 5;

/// How to show the error.
#[derive(Debug, Clone, Copy)]
pub enum Render {
    Html(Lang),
    Json(Lang),
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    /// `None`: decided by the request (see `decide`).
    pub render: Option<Render>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind, render: None }
    }

    pub fn not_found() -> Error {
        Error::new(ErrorKind::NotFound)
    }

    pub fn html(mut self, lang: Lang) -> Error {
        self.render = Some(Render::Html(lang));
        self
    }

    pub fn json(mut self) -> Error {
        let lang = match self.render {
            Some(Render::Html(l) | Render::Json(l)) => l,
            None => Lang::En,
        };
        self.render = Some(Render::Json(lang));
        self
    }

    pub fn internal(e: anyhow::Error) -> Error {
        Error::new(ErrorKind::Internal(std::sync::Arc::new(e)))
    }

    fn status(&self) -> StatusCode {
        match self.kind {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::BadRequest(_) => StatusCode::BAD_REQUEST,
            ErrorKind::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Conflict(_) => StatusCode::CONFLICT,
            ErrorKind::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Lets handlers say how an error should be shown right where it happens.
pub trait ResultExt<T> {
    fn html(self, lang: Lang) -> Result<T>;
    fn json(self) -> Result<T>;
}

impl<T, E: Into<Error>> ResultExt<T> for std::result::Result<T, E> {
    fn html(self, lang: Lang) -> Result<T> {
        self.map_err(|e| e.into().html(lang))
    }
    fn json(self) -> Result<T> {
        self.map_err(|e| e.into().json())
    }
}

impl From<axum::extract::rejection::JsonRejection> for Error {
    fn from(e: axum::extract::rejection::JsonRejection) -> Error {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::new(ErrorKind::TooLarge)
        } else {
            Error::new(ErrorKind::BadRequest(e.body_text()))
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::new(match e {
            StoreError::NotFound => ErrorKind::NotFound,
            StoreError::Conflict(rule) => ErrorKind::Conflict(rule),
            StoreError::Invalid(m) => ErrorKind::BadRequest(m),
            StoreError::Unavailable(why) => ErrorKind::Unavailable(why),
            StoreError::Other(e) => ErrorKind::Internal(std::sync::Arc::new(e)),
        })
    }
}

impl From<anyhow::Error> for Error {
    /// A store error carried up through a use case keeps its meaning (a database that is
    /// unreachable is a 503 with Retry-After, not a 500).
    fn from(e: anyhow::Error) -> Error {
        match e.downcast::<StoreError>() {
            Ok(store) => Error::from(store),
            Err(e) => Error::internal(e),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ErrorKind::Internal(e) = &self.kind {
            tracing::error!(error = ?e, "request failed");
        }
        let mut resp = self.body(status, self.render.unwrap_or(Render::Html(Lang::Nl)));
        if let ErrorKind::TooManyRequests(wait) = self.kind {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(wait));
        }
        if let ErrorKind::Unavailable(_) = self.kind {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECONDS),
            );
        }
        if self.render.is_none() {
            resp.extensions_mut().insert(Undecided(self.kind));
        }
        resp
    }
}

/// An error response whose form the request decides; `decide` renders it again.
#[derive(Clone)]
struct Undecided(ErrorKind);

/// The one place that says how an error looks for a request: JSON under `/api/`, otherwise a
/// page in the request's language (`?lang=`, the `lang` cookie or Accept-Language).
pub async fn decide(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let render = if req.uri().path().starts_with("/api/") {
        Render::Json(super::i18n::api_lang(req.uri(), req.headers()))
    } else {
        Render::Html(super::i18n::request_lang(req.uri(), req.headers()))
    };
    let mut resp = next.run(req).await;
    let Some(Undecided(kind)) = resp.extensions_mut().remove::<Undecided>() else {
        return resp;
    };
    let status = resp.status();
    let error = Error { kind, render: Some(render) };
    let mut again = error.body(status, render);
    // Headers the first rendering carried (Retry-After, cookies) stay; the body's own go.
    let kept: Vec<_> = resp
        .headers()
        .iter()
        .filter(|(n, _)| *n != axum::http::header::CONTENT_TYPE && *n != axum::http::header::CONTENT_LENGTH)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    for (name, _) in &kept {
        again.headers_mut().remove(name);
    }
    for (name, value) in kept {
        again.headers_mut().append(name, value);
    }
    again
}

impl Error {
    fn body(&self, status: StatusCode, how: Render) -> Response {
        match how {
            Render::Json(lang) => {
                let body = match &self.kind {
                    ErrorKind::NotFound => json!({ "code": "not_found", "message": "Not found." }),
                    ErrorKind::BadRequest(m) => json!({ "code": "bad_request", "message": m }),
                    ErrorKind::Conflict(rule) => json!({
                        "code": "conflict",
                        "message": format!("This conflicts with an existing record ({rule})."),
                    }),
                    ErrorKind::Unprocessable(errors) => json!({
                        "code": "validation_failed",
                        "message": "Some fields are not valid; see errors.",
                        "errors": errors.iter().map(|e| json!({
                            "field": e.field,
                            "code": e.problem.code(),
                            "message": e.message(lang),
                        })).collect::<Vec<_>>(),
                    }),
                    ErrorKind::TooLarge => json!({
                        "code": "too_large",
                        "message": "The request body is too large. Send a shorter story.",
                    }),
                    ErrorKind::TooManyRequests(wait) => json!({
                        "code": "too_many_requests",
                        "message": format!("Too many requests; try again in {wait} seconds."),
                    }),
                    ErrorKind::Unavailable(_) => json!({
                        "code": "unavailable",
                        "message": format!(
                            "The database is unavailable for a moment; nothing was stored or changed. \
                             Send the same request again in {UNAVAILABLE_RETRY_AFTER_SECONDS} seconds."
                        ),
                    }),
                    ErrorKind::Internal(_) => json!({
                        "code": "internal",
                        "message": "Something went wrong on our side. Please try again later.",
                    }),
                };
                (status, Json(body)).into_response()
            }
            Render::Html(lang) => {
                let t = super::i18n::ui(lang);
                let (heading, text) = match &self.kind {
                    ErrorKind::NotFound => (t.not_found_title, t.not_found_text.to_string()),
                    ErrorKind::Internal(_) => (t.error_title, t.error_text.to_string()),
                    ErrorKind::BadRequest(m) | ErrorKind::Conflict(m) => (t.error_title, m.clone()),
                    ErrorKind::TooManyRequests(wait) => (t.wait_title, t.wait_text(*wait)),
                    ErrorKind::TooLarge => (t.too_large_title, t.too_large_text.to_string()),
                    ErrorKind::Unavailable(_) => unavailable_text(lang),
                    ErrorKind::Unprocessable(errors) => {
                        (t.errors_title, errors.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join(" "))
                    }
                };
                let page = Page::new(lang, heading);
                render(
                    status,
                    false,
                    &MessagePage {
                        page,
                        heading: heading.into(),
                        text,
                        link: Some(("/".into(), t.back_home.into())),
                    },
                )
            }
        }
    }
}

/// Heading and text of the page for `Unavailable`, in the page's language: not saved yet, not
/// the visitor's fault, try again in a moment.
pub fn unavailable_text(lang: Lang) -> (&'static str, String) {
    match lang {
        Lang::Nl => (
            "Nog niet bewaard",
            "Het lukte ons even niet om dit te bewaren. Het lag niet aan jou en er is niets veranderd. \
             Probeer het over een paar seconden opnieuw."
                .into(),
        ),
        Lang::En => (
            "Not saved yet",
            "We could not save this just now. It was not your fault and nothing was changed. \
             Please try again in a few seconds."
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_store_is_503_with_retry_after_and_code_unavailable() {
        let resp = Error::from(StoreError::Unavailable("the disk is full (SQLITE_FULL)".into()))
            .json()
            .into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            resp.headers().get(axum::http::header::RETRY_AFTER).unwrap(),
            &UNAVAILABLE_RETRY_AFTER_SECONDS.to_string()
        );
        let page = Error::from(StoreError::Unavailable("x".into())).html(Lang::En).into_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.headers().contains_key(axum::http::header::RETRY_AFTER));
    }
}
