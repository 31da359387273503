//! The OpenAPI document covers the API: every route under `/api` is in it (the test walks the
//! router's route list, so a new route cannot be left out), and the reference page shows it.

use crate::helpers::{Backend, spawn_app};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::Value;

#[test]
fn every_api_route_is_in_the_openapi_document() {
    let doc = serde_json::to_value(<luister::http::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    let mut missing = Vec::new();
    for (method, path) in luister::http::route_list() {
        if !path.starts_with("/api") {
            continue;
        }
        let m = method.as_str().to_ascii_lowercase();
        if paths.get(path).and_then(|item| item.get(&m)).is_none() {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(missing.is_empty(), "routes missing from src/http/openapi.rs: {missing:?}");
    // And nothing documented that does not exist.
    let routes: Vec<(String, String)> = luister::http::route_list()
        .into_iter()
        .map(|(m, p)| (m.as_str().to_ascii_lowercase(), p.to_string()))
        .collect();
    for (path, item) in paths {
        for m in item.as_object().unwrap().keys() {
            assert!(routes.contains(&(m.clone(), path.clone())), "documented but not routed: {m} {path}");
        }
    }
}

async fn the_document_and_its_reference_page_are_served(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app.get("/api/v1/openapi.json").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let doc: Value = resp.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let resp = app.get("/api/v1/docs").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = resp.text().await.unwrap();
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(html.contains(path.as_str()), "{path} on the reference page");
    }
    assert!(html.contains("id=\"schema-StoryRequest\""));
    // Only the site's own small enhancement script, as on every page; the reference needs none.
    for script in html.split("<script").skip(1) {
        assert!(script.trim_start().starts_with("src=\"/static/"), "no inline or foreign script: {script}");
    }
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"https://cdn"),
        "nothing fetched from elsewhere"
    );
}
on_both_backends!(the_document_and_its_reference_page_are_served);
