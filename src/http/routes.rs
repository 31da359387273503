//! A router builder that remembers which routes exist, so the authorisation test can list every
//! route and fail when one is added without an entry in its table.

use super::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;

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
