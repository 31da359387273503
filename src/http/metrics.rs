//! The metrics side of the web layer: a layer that counts and times every request by its route
//! template, and the small router served on the separate metrics address (`/metrics`), which the
//! public router never includes.

use crate::search::SearchHandle;
use crate::store::DynStore;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Counts and times every request of `router`. Apply it with the other outer layers: the
/// matched route is known there (`MatchedPath`), so the label is the template, not the path.
pub fn measured<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(middleware::from_fn(measure))
}

async fn measure(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    // Unmatched paths share one label: a scanner trying a thousand URLs must not make a thousand
    // series.
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let resp = next.run(req).await;
    crate::metrics::http_request(&method, &route, resp.status().as_u16(), started.elapsed().as_secs_f64());
    resp
}

#[derive(Clone)]
struct Scraped {
    store: DynStore,
    search: SearchHandle,
}

/// The router of the metrics address: `/metrics` and nothing else.
pub fn router(store: DynStore, search: SearchHandle) -> Router {
    Router::new().route("/metrics", axum::routing::get(scrape)).with_state(Scraped { store, search })
}

async fn scrape(State(s): State<Scraped>) -> Response {
    let body = crate::metrics::render(&s.store, &s.search).await;
    let mut resp = body.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    resp
}
