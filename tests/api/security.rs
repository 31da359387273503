//! The public side under attack: cross-site posts, floods, bots, and the headers every response
//! carries.

use crate::helpers::{Backend, good_form, hidden_fields, spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn cross_site_posts_get_403_with_a_foreign_origin_or_without_the_token() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let token = app.csrf().await;
    let mut fields = good_form();
    fields.push(("_csrf", &token));
    for path in ["/c/eigen-netwerk/preview", "/c/eigen-netwerk/submit", "/receipt/withdraw", "/login"] {
        let resp = app
            .client
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "foreign origin on {path}");
        let resp = app
            .client
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "null")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "cross-site fetch metadata on {path}");
        let without: Vec<_> = good_form();
        let resp = app.client.post(app.url(path)).form(&without).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "missing token on {path}");
        let wrong: Vec<_> = good_form().into_iter().chain([("_csrf", "0000")]).collect();
        let resp = app.client.post(app.url(path)).form(&wrong).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "wrong token on {path}");
    }
    // The same post from our own page passes (and a same-origin Origin header is fine too).
    let resp = app
        .client
        .post(app.url("/c/eigen-netwerk/preview"))
        .header("origin", app.base.clone())
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}

#[tokio::test]
async fn too_many_stories_from_one_address_get_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.story_burst = 2;
        c.stories_per_client_per_hour = 2;
    })
    .await
    .unwrap();
    let body = serde_json::json!({
        "text": "De buurvrouw hielp ons toen de wachtlijst maar niet korter werd.",
        "perspective": "parent", "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "blij" }
    });
    let url = app.url("/api/v1/campaigns/eigen-netwerk/stories");
    for _ in 0..2 {
        assert_eq!(app.client.post(&url).json(&body).send().await.unwrap().status(), StatusCode::CREATED);
    }
    let resp = app.client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=1800).contains(&wait), "{wait}");
    // The form says so in words, too.
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = app.post_form("/c/eigen-netwerk/submit", &pairs).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    assert!(resp.text().await.unwrap().contains("je tekst staat er nog"));
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 2);
}

#[tokio::test]
async fn behind_a_proxy_the_limit_follows_the_trusted_header() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.story_burst = 1;
        c.stories_per_client_per_hour = 1;
        c.trusted_proxy_header = Some("x-forwarded-for".into());
    })
    .await
    .unwrap();
    let body = serde_json::json!({
        "text": "De buurvrouw hielp ons toen de wachtlijst maar niet korter werd.",
        "perspective": "parent", "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "blij" }
    });
    let url = app.url("/api/v1/campaigns/eigen-netwerk/stories");
    let send = |xff: &'static str| app.client.post(&url).header("x-forwarded-for", xff).json(&body).send();
    assert_eq!(send("203.0.113.9, 10.0.0.1").await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(send("198.51.100.7, 10.0.0.2").await.unwrap().status(), StatusCode::CREATED, "another client");
    assert_eq!(
        send("1.2.3.4, 10.0.0.1").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS,
        "same proxy hop"
    );
}

#[tokio::test]
async fn login_attempts_are_limited_per_account() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = app
            .post_form("/login", &[("email", "iemand@example.nl"), ("password", "raden raden raden")])
            .await
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn login_attempts_are_limited_per_address() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.login_per_client_per_minute = 3).await.unwrap();
    let mut statuses = Vec::new();
    for i in 0..4 {
        let email = format!("persoon{i}@example.nl");
        statuses.push(
            app.post_form("/login", &[("email", &email), ("password", "raden raden raden")]).await.status(),
        );
    }
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
}

#[tokio::test]
async fn a_filled_in_honeypot_stores_nothing() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut fields = good_form();
    fields.push(("website", "http://spam.example"));
    let resp = app.post_form("/c/eigen-netwerk/preview", &fields).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = app.post_form("/c/eigen-netwerk/submit", &fields).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
    let form = app.get("/c/eigen-netwerk").await.text().await.unwrap();
    assert!(form.contains("name=\"website\" value=\"\" tabindex=\"-1\""));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    for path in [
        "/",
        "/c/eigen-netwerk",
        "/receipt",
        "/login",
        "/healthz",
        "/static/app.css",
        "/api/v1/campaigns",
        "/nope",
    ] {
        let resp = app.get(path).await;
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(!h.contains_key("strict-transport-security"), "no HSTS over plain http");
    }
    for path in ["/c/eigen-netwerk", "/receipt", "/login"] {
        assert_eq!(app.get(path).await.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn over_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.public_url = Some("https://luister.example.nl".into()))
        .await
        .unwrap();
    let resp = app.get("/login").await;
    assert!(resp.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-luister_csrf="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
}

#[tokio::test]
async fn every_response_of_the_running_app_carries_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut ids = Vec::new();
    for path in ["/", "/c/eigen-netwerk", "/api/v1/search", "/nope"] {
        let resp = app.get(path).await;
        let id = resp.headers().get("x-request-id").unwrap_or_else(|| panic!("{path}: no x-request-id"));
        ids.push(id.to_str().unwrap().to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "one id per request: {ids:?}");
}
