//! Operations: `/metrics` on its own address (never the public one) and `/readyz`.
//! Counters are process-wide (one recorder per process, many apps per test run), so tests
//! compare values before and after, and never expect exact totals.

use crate::helpers::{Backend, spawn_app, spawn_app_with};
use crate::on_both_backends;
use luister::config::MetricsAddr;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The value of the sample whose line starts with `series` (name and labels), or 0.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn scrape(app: &crate::helpers::TestApp) -> String {
    let base = app.metrics_base.as_ref().expect("tests run a metrics listener");
    let resp = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    resp.text().await.unwrap()
}

fn story() -> Value {
    json!({
        "text": "Ik heb acht maanden op de wachtlijst gestaan voordat er eindelijk iemand kwam praten.",
        "perspective": "youth",
        "age_band": "16-17",
        "region": "JZ05",
        "prompt": "wat-nodig",
        "consent": true,
        "answers": { "wat_telde": [1, 2, 1], "regie": 0.25, "gevoel": "boos", "wie_hielp": ["school"], "steun": null }
    })
}

async fn metrics_count_requests_by_route_template_stories_and_the_index_lag(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let before = scrape(&app).await;
    let accepted = "luister_stories_accepted_total{source=\"api\"}";
    let refused = "luister_stories_refused_total{reason=\"text_too_short\"}";
    let route = "luister_http_requests_total{method=\"POST\",route=\"/api/v1/campaigns/{slug}/stories\",status=\"201\"}";
    let url = app.url("/api/v1/campaigns/eigen-netwerk/stories");
    let resp = app.client.post(&url).json(&story()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let mut short = story();
    short["text"] = json!("kort");
    let resp = app.client.post(&url).json(&short).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/c/eigen-netwerk").await.status(), StatusCode::OK);

    let after = scrape(&app).await;
    assert!(sample(&after, accepted) >= sample(&before, accepted) + 1.0, "{after}");
    assert!(sample(&after, refused) >= sample(&before, refused) + 1.0, "{after}");
    assert!(sample(&after, route) >= sample(&before, route) + 1.0, "{after}");
    assert!(
        after.contains("luister_http_requests_total{method=\"GET\",route=\"/c/{slug}\",status=\"200\"}"),
        "the template, not the path: {after}"
    );
    assert!(!after.contains("route=\"/c/eigen-netwerk\""), "raw paths never become labels");
    assert!(
        after.contains(
            "luister_http_request_duration_seconds_bucket{method=\"GET\",route=\"/c/{slug}\",le=\"0.005\"}"
        ),
        "latency is a histogram: {after}"
    );
    assert!(after.contains("# TYPE luister_index_lag_events gauge"), "{after}");
    assert!(after.contains("luister_db_pool_connections{pool="), "{after}");
    assert!(after.contains("luister_database_up 1\n"), "{after}");

    // The lag is this instance's: database seq minus what its index applied.
    let db = sample(&after, "luister_database_event_seq");
    let index = sample(&after, "luister_index_event_seq");
    assert!(db >= 1.0, "the story appended an event: {after}");
    assert_eq!(sample(&after, "luister_index_lag_events"), (db - index).max(0.0));
    app.search.notify();
    let mut caught_up = false;
    for _ in 0..100 {
        let text = scrape(&app).await;
        if sample(&text, "luister_index_lag_events") == 0.0 && sample(&text, "luister_index_event_seq") >= db
        {
            caught_up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(caught_up, "the index catches up and the lag goes to 0");
}
on_both_backends!(metrics_count_requests_by_route_template_stories_and_the_index_lag);

async fn metrics_are_never_on_the_public_address(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    assert_ne!(app.metrics_base.as_deref(), Some(app.base.as_str()));
}
on_both_backends!(metrics_are_never_on_the_public_address);

async fn the_metrics_listener_can_be_turned_off(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.metrics_addr = MetricsAddr(None)).await else { return };
    assert!(app.metrics_base.is_none());
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(the_metrics_listener_can_be_turned_off);

async fn readyz_says_ready_when_the_database_answers_and_the_index_follows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut last = None;
    for _ in 0..100 {
        let resp = app.get("/readyz").await;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        if status == StatusCode::OK {
            assert_eq!(body["status"], "ready");
            assert_eq!(body["database"]["reachable"], true);
            assert_eq!(body["index"]["ready"], true);
            last = None;
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body["index"]["reason"].is_string(), "a 503 says why: {body}");
        last = Some(body);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(last.is_none(), "never ready: {last:?}");
}
on_both_backends!(readyz_says_ready_when_the_database_answers_and_the_index_follows);
