//! A router builder that remembers which routes exist, so the authorisation test can list every
//! route and fail when one is added without an entry in its table; and the operational layers
//! every request passes: a request id, a log span, and a panic turned into a 500.

use super::AppState;
use super::error::{Error, ErrorKind};
use crate::domain::Lang;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::handler::Handler;
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The header that carries a request's id, in and out (a proxy's id is kept).
pub const REQUEST_ID: &str = "x-request-id";

/// Marks the bare 500 that `CatchPanicLayer` answers, for `panic_page` to dress.
#[derive(Clone, Copy)]
struct Panicked;

/// A panic in a handler answers 500 instead of dropping the connection. Apply it innermost, so
/// the answer still gets the security headers and the request id of the layers outside it.
pub fn catch_panics<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            let mut resp = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            resp.extensions_mut().insert(Panicked);
            resp
        }))
        .layer(middleware::from_fn(panic_page))
}

/// The generic error page (or JSON on `/api`) for a request whose handler panicked.
async fn panic_page(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let lang = Lang::from_param(
        req.uri().query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang="))),
    );
    let resp = next.run(req).await;
    if resp.extensions().get::<Panicked>().is_none() {
        return resp;
    }
    let err = Error::new(ErrorKind::Internal(anyhow::anyhow!("the handler panicked").into()));
    if is_api { err.json() } else { err.html(lang) }.into_response()
}

/// Outermost: every request gets an id (`x-request-id`, kept when a proxy sent one), its log
/// lines run in a span with that id, and the response carries it back, so a person reporting
/// a problem and the operator reading the logs mean the same request.
pub fn observed<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let header = HeaderName::from_static(REQUEST_ID);
    router
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            // Log the route template, never the URI: paths can hold receipt codes.
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "unmatched".into());
                let id = req
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("")
                    .to_string();
                tracing::info_span!("request", method = %req.method(), route = %route, request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
}

pub struct Routes {
    pub router: Router<AppState>,
    pub list: Vec<(Method, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes { router: Router::new(), list: Vec::new() }
    }
}

macro_rules! method {
    ($name:ident, $method:expr, $routing:path) => {
        pub fn $name<H, T>(mut self, path: &'static str, handler: H) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.list.push(($method, path));
            self.router = self.router.route(path, $routing(handler));
            self
        }
    };
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    method!(get, Method::GET, axum::routing::get);
    method!(post, Method::POST, axum::routing::post);
    method!(delete, Method::DELETE, axum::routing::delete);

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// Applies a layer to the routes so far (e.g. `no-store` for pages with story text).
    pub fn layer<L>(mut self, layer: L) -> Routes
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }

    /// The same stack as the app: panics caught innermost, request ids outermost.
    fn app() -> Router {
        let routes = Router::new()
            .route("/boom", get(boom))
            .route("/api/boom", get(boom))
            .route("/ok", get(|| async { "ok" }));
        observed(catch_panics(routes))
    }

    async fn call(path: &str, id: Option<&str>) -> Response {
        let mut req = Request::builder().uri(path);
        if let Some(id) = id {
            req = req.header(REQUEST_ID, id);
        }
        app().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_a_page_or_json_and_a_request_id() {
        let page = call("/boom", None).await;
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.headers().contains_key(REQUEST_ID));
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let api = call("/api/boom", None).await;
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(api.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        assert!(api.headers().contains_key(REQUEST_ID));
    }

    #[tokio::test]
    async fn every_response_carries_a_request_id_and_keeps_the_proxys() {
        let a = call("/ok", None).await;
        let b = call("/ok", None).await;
        assert_eq!(a.status(), StatusCode::OK);
        assert_ne!(a.headers()[REQUEST_ID], b.headers()[REQUEST_ID], "a fresh id per request");
        assert_eq!(call("/ok", Some("proxy-17")).await.headers()[REQUEST_ID], "proxy-17");
    }
}
