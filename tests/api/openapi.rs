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

/// Schemathesis (property-based, from PyPI in the venv `.ci/run` makes) against the running
/// app: generated requests for every documented operation; no 500 and no response that breaks
/// the document. Skips without the venv, except under CI=true where it must run.
async fn schemathesis_finds_no_server_error_and_no_response_outside_the_document(backend: Backend) {
    let bin = std::env::var("LUISTER_SCHEMATHESIS").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv-ci/bin/schemathesis")
    });
    if !bin.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "schemathesis is not installed at {} (run .ci/run)",
            bin.display()
        );
        eprintln!("skipping: schemathesis not installed at {} (.ci/run installs it)", bin.display());
        return;
    }
    let Some(app) = crate::helpers::spawn_app_with(backend, |c| {
        // Room for the generated requests, so the logic behind the limits is tested too.
        c.receipt_lookups_per_client_per_minute = 100_000;
        c.receipt_lookups_per_minute = 100_000;
        c.stories_per_client_per_hour = 100_000;
        c.story_burst = 100_000;
    })
    .await
    else {
        return;
    };
    let story = serde_json::json!({
        "text": "Mijn buurvrouw hielp me met mijn huiswerk toen het thuis even niet ging.",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "blij" }
    });
    let resp = app
        .client
        .post(app.url("/api/v1/campaigns/eigen-netwerk/stories"))
        .json(&story)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    // A read-write personal API token of a facilitator of the campaign, sent on every request,
    // so the generated requests reach past the 401 of search, the dashboard, stories and tags.
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "schemathesis@example.nl".into(),
            name: "Schemathesis".into(),
            role: luister::domain::Role::Facilitator,
            password: "lange zin met wolken en trompetten".into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store
        .set_membership(&app.campaign.id, &user.id, true, &crate::helpers::system_audit())
        .await
        .unwrap();
    let viewer =
        luister::auth::policy::Viewer { user, campaigns: vec![app.campaign.id.clone()], token: None };
    let input = luister::accounts::tokens::NewTokenInput {
        name: "schemathesis".into(),
        campaign_id: app.campaign.id.clone(),
        access: "write".into(),
        expires: String::new(),
    };
    let token =
        luister::accounts::tokens::create(&app.store, &viewer, input, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
    let bearer = format!("Authorization: Bearer {}", token.secret);
    let out = tokio::process::Command::new(&bin)
        .args([
            "run",
            &app.url("/api/v1/openapi.json"),
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            "15",
            "--generation-database",
            "none",
            "--request-timeout",
            "20",
            "--header",
            &bearer,
        ])
        .env("NO_COLOR", "1")
        // It keeps a cache of crashes in its working directory: not in the worktree.
        .current_dir(app.dir.path())
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(150), out)
        .await
        .expect("schemathesis finishes within 150 s")
        .unwrap();
    let report =
        format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "schemathesis found problems:\n{report}");
    assert!(report.contains("passed"), "{report}");
}
on_both_backends!(schemathesis_finds_no_server_error_and_no_response_outside_the_document);
