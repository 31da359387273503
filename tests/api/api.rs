//! The JSON API: campaigns, forms, story submission and receipts.

use crate::helpers::{Backend, spawn_app};
use crate::on_both_backends;
use luister::domain::{Answer, CampaignDef, CampaignStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn story() -> Value {
    json!({
        "text": "Ik heb acht maanden op de wachtlijst gestaan. Mijn mentor mevrouw de Vries mailde mij op s.devries@school.nl.",
        "perspective": "youth",
        "age_band": "16-17",
        "region": "JZ05",
        "prompt": "wat-nodig",
        "consent": true,
        "answers": { "wat_telde": [1, 2, 1], "regie": 0.25, "gevoel": "boos", "wie_hielp": ["school"], "steun": null }
    })
}

async fn api_story_is_created_after_commit_and_can_be_read_and_withdrawn(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app
        .client
        .post(app.url("/api/v1/campaigns/eigen-netwerk/stories"))
        .json(&story())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body: Value = resp.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_string();
    let code = body["receipt_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 24);
    let stored = app.store.story(&id).await.unwrap();
    assert!(stored.text.contains("[e-mail]"), "{}", stored.text);
    assert!(!stored.text.contains("devries@"));
    assert_eq!(stored.answers["wat_telde"], Answer::Triad([0.25, 0.5, 0.25]));
    assert_eq!(stored.answers["steun"], Answer::Skipped);

    let read: Value = app.get(&format!("/api/v1/receipts/{code}")).await.json().await.unwrap();
    assert_eq!(read["id"], id);
    assert_eq!(read["campaign"], "eigen-netwerk");
    assert_eq!(read["answers"]["regie"], 0.25);

    let resp = app.client.delete(app.url(&format!("/api/v1/receipts/{code}"))).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/receipts/{code}")).await.status(), StatusCode::NOT_FOUND);
    assert!(app.store.story(&id).await.is_err());
}
on_both_backends!(api_story_is_created_after_commit_and_can_be_read_and_withdrawn);

async fn api_returns_422_with_every_field_error_as_json(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let bad = json!({
        "text": "kort",
        "perspective": "alien",
        "consent": false,
        "answers": { "wat_telde": [0, 0, 0], "regie": 1.5, "gevoel": "euforisch", "bestaat_niet": 1 }
    });
    let resp = app
        .client
        .post(app.url("/api/v1/campaigns/eigen-netwerk/stories"))
        .header("accept-language", "en")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    let errors = body["errors"].as_array().unwrap();
    let by_field = |f: &str| {
        errors.iter().find(|e| e["field"] == f).unwrap_or_else(|| panic!("no error for {f}: {body}"))
    };
    assert_eq!(by_field("text")["code"], "text_too_short");
    assert_eq!(by_field("perspective")["code"], "unknown_option");
    assert_eq!(by_field("consent")["code"], "consent_missing");
    assert_eq!(by_field("answers.wat_telde")["code"], "triad_invalid");
    assert_eq!(by_field("answers.regie")["code"], "dyad_invalid");
    assert_eq!(by_field("answers.gevoel")["code"], "unknown_option");
    assert_eq!(by_field("answers.bestaat_niet")["code"], "unknown_signifier");
    assert_eq!(by_field("prompt")["code"], "choose_one");
    assert!(by_field("text")["message"].as_str().unwrap().contains("at least 20"));

    let resp = app
        .client
        .post(app.url("/api/v1/campaigns/eigen-netwerk/stories"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}
on_both_backends!(api_returns_422_with_every_field_error_as_json);

async fn api_lists_open_campaigns_and_hides_drafts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = "concept".into();
    def.status = CampaignStatus::Draft;
    app.store.save_campaign(&def, &crate::helpers::system_audit()).await.unwrap();
    let list: Value = app.get("/api/v1/campaigns").await.json().await.unwrap();
    let slugs: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["eigen-netwerk"]);
    let form: Value = app.get("/api/v1/campaigns/eigen-netwerk").await.json().await.unwrap();
    assert_eq!(form["accepting_stories"], true);
    assert_eq!(form["signifiers"][0]["kind"], "triad");
    assert_eq!(app.get("/api/v1/campaigns/concept").await.status(), StatusCode::NOT_FOUND);
    let resp =
        app.client.post(app.url("/api/v1/campaigns/concept/stories")).json(&story()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let missing: Value = app.get("/api/v1/nope").await.json().await.unwrap();
    assert_eq!(missing["code"], "not_found");
}
on_both_backends!(api_lists_open_campaigns_and_hides_drafts);

/// Errors are JSON on every `/api/` path and a page elsewhere, decided in one place; the page
/// is in the language the request asks for (query, cookie or Accept-Language).
async fn errors_answer_json_on_the_api_and_a_page_in_the_asked_language_elsewhere(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    for (method, path) in [
        ("GET", "/api/v1/campaigns/bestaat-niet"),
        ("GET", "/api/v1/nergens"),
        ("POST", "/api/v1/receipts/lookup"),
    ] {
        let req = if method == "GET" {
            app.client.get(app.url(path))
        } else {
            app.client.post(app.url(path)).json(&json!({ "code": "kort" }))
        };
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_client_error(), "{path}: {}", resp.status());
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{path}: {ct}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["code"].is_string() && body["message"].is_string(), "{path}: {body}");
    }
    let page = |req: reqwest::RequestBuilder| async move {
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        resp.text().await.unwrap()
    };
    let nl = page(app.client.get(app.url("/nergens"))).await;
    assert!(nl.contains("Deze pagina bestaat niet"), "Dutch by default");
    let en = page(app.client.get(app.url("/nergens")).header("cookie", "lang=en")).await;
    assert!(
        !en.contains("Deze pagina bestaat niet") && en.contains("lang=\"en\""),
        "English from the cookie"
    );
    let en = page(app.client.get(app.url("/nergens")).header("accept-language", "en-GB,en;q=0.8")).await;
    assert!(en.contains("lang=\"en\""), "English from Accept-Language");
    let nl = page(app.client.get(app.url("/nergens?lang=nl")).header("cookie", "lang=en")).await;
    assert!(nl.contains("Deze pagina bestaat niet"), "the query wins over the cookie");
}
on_both_backends!(errors_answer_json_on_the_api_and_a_page_in_the_asked_language_elsewhere);
