//! Static files (CSS, the small progressive-enhancement script), compiled into the binary so a
//! deployment is one file and nothing is fetched from elsewhere at run time.

use super::routes::Routes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../web/static/app.css")),
    ("form.js", "text/javascript; charset=utf-8", include_bytes!("../../web/static/form.js")),
    ("workspace.css", "text/css; charset=utf-8", include_bytes!("../../web/static/workspace.css")),
    ("stories.css", "text/css; charset=utf-8", include_bytes!("../../web/static/stories.css")),
    ("analysis.css", "text/css; charset=utf-8", include_bytes!("../../web/static/analysis.css")),
    ("maps.css", "text/css; charset=utf-8", include_bytes!("../../web/static/maps.css")),
    ("dashboard.css", "text/css; charset=utf-8", include_bytes!("../../web/static/dashboard.css")),
    ("actions.css", "text/css; charset=utf-8", include_bytes!("../../web/static/actions.css")),
    ("builder.js", "text/javascript; charset=utf-8", include_bytes!("../../web/static/builder.js")),
    ("session.css", "text/css; charset=utf-8", include_bytes!("../../web/static/session.css")),
    ("session.js", "text/javascript; charset=utf-8", include_bytes!("../../web/static/session.js")),
];

pub fn routes() -> Routes {
    Routes::new().get("/static/{file}", serve)
}

async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => {
            let mut resp = (StatusCode::OK, *body).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            resp
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
