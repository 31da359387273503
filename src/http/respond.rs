//! The ways a workspace handler answers besides rendering its own page: a file to download,
//! the redirect after a change, and "saved — or the form again with what is wrong". One copy,
//! so the session, action and toets pages answer alike (same headers, same status codes).

use crate::actions::ActionsError;
use crate::domain::action::FieldProblem;
use crate::http::actions::fail;
use crate::http::page::Reply;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// `body` as a file named `filename` (built from ASCII parts: slugs, ids, dates): never cached,
/// since reports and exports hold story text. The one copy for every download of the workspace.
pub fn attachment(content_type: &'static str, filename: &str, body: impl Into<Body>) -> Response {
    let mut resp = (StatusCode::OK, body.into()).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// After a change: on to the page at `to` (303, so reloading it does not post again).
pub fn see(to: &str) -> Reply {
    Ok(Redirect::to(to).into_response())
}

/// The answer to a form post whose use case may refuse the fields: on success on to
/// `to(value)`, on problems with the fields the form again (`again`, which shows them), and any
/// other refusal as its error page.
pub async fn saved_or_again<T, Again: Future<Output = Reply>>(
    result: Result<T, ActionsError>,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(Vec<FieldProblem>) -> Again,
) -> Reply {
    match result {
        Ok(value) => see(&to(value)),
        Err(ActionsError::Invalid(problems)) => again(problems).await,
        Err(e) => Err(fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attachment_is_named_typed_and_never_cached() {
        let resp = attachment("text/csv; charset=utf-8", "acties.csv", "a,b\n");
        let h = resp.headers();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
        assert_eq!(h[header::CONTENT_DISPOSITION], "attachment; filename=\"acties.csv\"");
    }

    #[test]
    fn a_filename_that_cannot_be_a_header_still_downloads_without_a_name() {
        let resp = attachment("text/markdown; charset=utf-8", "verslag\n.md", String::new());
        assert!(resp.headers().get(header::CONTENT_DISPOSITION).is_none());
        assert_eq!(resp.headers()[header::CACHE_CONTROL], "no-store");
    }

    #[tokio::test]
    async fn a_saved_form_goes_on_and_a_refused_one_is_shown_again() {
        let on = saved_or_again(Ok(7), |n| format!("/x/{n}"), |_| async { unreachable!() }).await.unwrap();
        assert_eq!(on.status(), StatusCode::SEE_OTHER);
        assert_eq!(on.headers()[header::LOCATION], "/x/7");

        let refused: Result<i32, _> = Err(ActionsError::Invalid(vec![("title", "Vul een titel in.".into())]));
        let again = saved_or_again(
            refused,
            |_| unreachable!(),
            |p| async move { Ok((StatusCode::UNPROCESSABLE_ENTITY, p[0].1.clone()).into_response()) },
        )
        .await
        .unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let missing: Result<i32, _> = Err(ActionsError::NotFound);
        let err =
            saved_or_again(missing, |_| unreachable!(), |_| async { unreachable!() }).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::NOT_FOUND);
    }
}
