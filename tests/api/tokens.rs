//! Personal API tokens end to end: made on /account and shown once, stored as a hash, used as a
//! bearer token on the API (never on pages), limited to one campaign and its access, refused
//! once expired, revoked, or when the account is disabled or leaves the campaign; audited, and
//! each use case atomic with its audit entry.

use crate::auth::refuse_audit;
use crate::helpers::{Backend, TestApp, spawn_app, system_audit};
use crate::on_both_backends;
use luister::auth::tokens::Access;
use luister::domain::audit::AuditFilter;
use luister::domain::{AuditAction, CampaignDef, Role};
use luister::store::UserChange;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The secret on the page that answered the create form.
fn secret_on(html: &str) -> Option<String> {
    let at = html.find("value=\"lst_")? + "value=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Makes a token on /account as the signed-in client; returns the secret shown.
async fn make_token(app: &TestApp, name: &str, campaign_id: &str, access: &str, expires: &str) -> String {
    let resp = app
        .post_form(
            "/account/tokens",
            &[("name", name), ("campaign", campaign_id), ("access", access), ("expires", expires)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["cache-control"], "no-store", "the secret is never cached");
    let html = resp.text().await.unwrap();
    assert!(html.contains("nooit meer"), "the page warns the token is shown once");
    secret_on(&html).expect("the new token on the page")
}

/// A client without cookies: only the bearer token speaks for it.
fn script() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn bearer_get(app: &TestApp, secret: &str, path: &str) -> reqwest::Response {
    script().get(app.url(path)).bearer_auth(secret).send().await.unwrap()
}

async fn bearer_tag(app: &TestApp, secret: &str, slug: &str, story: &str, theme: &str) -> reqwest::Response {
    script()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/stories/{story}/tags")))
        .bearer_auth(secret)
        .json(&json!({ "theme": theme }))
        .send()
        .await
        .unwrap()
}

async fn submit_story(app: &TestApp, slug: &str) -> String {
    let body = json!({
        "text": "Mijn buurvrouw hielp me met mijn huiswerk toen het thuis even niet ging.",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "blij", "wat_hielp": [1, 1, 1] }
    });
    let resp = script()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/stories")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn theme_of(app: &TestApp, campaign_id: &str, name: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let theme = luister::domain::theme::Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(campaign_id.to_string()),
        name: name.into(),
        description: String::new(),
        colour: "#0b5a7a".into(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    app.store.create_theme(&theme).await.unwrap();
    theme.id
}

async fn another_campaign(app: &TestApp, slug: &str) -> luister::domain::Campaign {
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = slug.into();
    app.store.save_campaign(&def, &system_audit()).await.unwrap().0
}

async fn assert_unauthorized(resp: reqwest::Response, why: &str) {
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{why}");
    assert_eq!(resp.headers()["www-authenticate"], "Bearer", "{why}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "unauthorized", "{why}");
    assert!(!body["message"].as_str().unwrap().is_empty());
}

async fn a_token_is_shown_once_and_only_its_hash_is_stored_or_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let secret = make_token(&app, "export-script", &app.campaign.id, "read", "").await;
    assert!(secret.starts_with("lst_") && secret.len() == 68, "{secret}");

    let page = app.get("/account").await.text().await.unwrap();
    assert!(!page.contains(&secret), "never shown again");
    assert!(page.contains("export-script") && page.contains(&secret[..12]), "listed by name and prefix");

    let stored = app.store.api_tokens_of(&user.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    let t = &stored[0];
    assert_eq!(t.token_hash, luister::auth::tokens::hash(&secret));
    assert_eq!((t.access, t.campaign_id.as_str()), (Access::Read, app.campaign.id.as_str()));
    let row = format!("{t:?}");
    assert!(!row.contains(&secret) && !row.contains(&secret[4..]), "the secret is not in the database");

    let all = app.store.audit_entries(&AuditFilter { limit: 1_000, ..AuditFilter::default() }).await.unwrap();
    assert!(!format!("{all:?}").contains(&secret[4..]), "the secret is not in the audit log");
    let created: Vec<_> = all.iter().filter(|e| e.action == "api_token_created").collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].actor_id.as_deref(), Some(user.id.as_str()));
    assert_eq!(created[0].campaign_id.as_deref(), Some(app.campaign.id.as_str()));
    assert_eq!(created[0].details["access"], "read");
}
on_both_backends!(a_token_is_shown_once_and_only_its_hash_is_stored_or_audited);

async fn a_token_reads_stories_search_and_dashboard_of_its_campaign_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let other = another_campaign(&app, "ander").await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id, &other.id]).await;
    let secret = make_token(&app, "lezer", &app.campaign.id, "read", "").await;
    let mine = submit_story(&app, "eigen-netwerk").await;
    let theirs = submit_story(&app, "ander").await;
    let second = submit_story(&app, "eigen-netwerk").await;

    // Page by page, with the cursor.
    let resp = bearer_get(&app, &secret, "/api/v1/campaigns/eigen-netwerk/stories?limit=1").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let page: Value = resp.json().await.unwrap();
    assert_eq!(page["stories"].as_array().unwrap().len(), 1);
    assert_eq!(page["stories"][0]["id"], mine.as_str());
    assert_eq!(page["stories"][0]["answers"]["gevoel"], "blij", "with signifier answers");
    let cursor = page["next_cursor"].as_str().expect("a next page").to_string();
    // The cursor is made to sit in a query string as it is (UTC, so no `+`).
    let next = format!("/api/v1/campaigns/eigen-netwerk/stories?limit=1&cursor={cursor}");
    let resp = bearer_get(&app, &secret, &next).await;
    let page: Value = resp.json().await.unwrap();
    assert_eq!(page["stories"][0]["id"], second.as_str());
    let resp = bearer_get(&app, &secret, "/api/v1/campaigns/eigen-netwerk/stories?cursor=nonsense").await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // Each page read is audited like an export, naming the token; a refused read is not.
    let filter =
        AuditFilter { action: Some(AuditAction::StoriesExported), limit: 100, ..AuditFilter::default() };
    let reads = app.store.audit_entries(&filter).await.unwrap();
    assert_eq!(reads.len(), 2, "one entry per page: {reads:?}");
    assert!(reads.iter().all(|e| e.actor.ends_with("(api token lezer)")
        && e.campaign_id.as_deref() == Some(app.campaign.id.as_str())
        && e.details["format"] == "api"
        && e.details["stories"] == 1));
    assert_eq!(reads.iter().filter(|e| e.details["first_page"] == true).count(), 1);

    // The user's other campaign is not the token's: as if it did not exist.
    let resp = bearer_get(&app, &secret, "/api/v1/campaigns/ander/stories").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        bearer_get(&app, &secret, "/api/v1/campaigns/bestaat-niet/stories").await.status(),
        StatusCode::NOT_FOUND
    );

    // Search sees only the token's campaign, though the user is a member of both.
    // Stories are indexed in order: once the last one is found, the other campaign's is in too.
    let started = std::time::Instant::now();
    let ids = loop {
        let resp = bearer_get(&app, &secret, "/api/v1/search?q=buurvrouw").await;
        if resp.status() == StatusCode::OK {
            let found: Value = resp.json().await.unwrap();
            let ids: Vec<String> = found["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_string())
                .collect();
            if ids.contains(&second) {
                break ids;
            }
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the stories were never found");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(ids.contains(&mine) && !ids.contains(&theirs), "only the token's campaign: {ids:?}");

    let resp = bearer_get(&app, &secret, "/api/v1/dashboard").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["campaign"], "eigen-netwerk");
    assert_eq!(
        bearer_get(&app, &secret, "/api/v1/dashboard?campaign=ander").await.status(),
        StatusCode::NOT_FOUND
    );
}
on_both_backends!(a_token_reads_stories_search_and_dashboard_of_its_campaign_only);

async fn only_a_read_write_token_tags_and_the_tag_says_which_token(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let other = another_campaign(&app, "ander").await;
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id, &other.id]).await;
    let reader = make_token(&app, "lezer", &app.campaign.id, "read", "").await;
    let writer = make_token(&app, "tagger", &app.campaign.id, "write", "").await;
    let story = submit_story(&app, "eigen-netwerk").await;
    let theme = theme_of(&app, &app.campaign.id, "Buren").await;

    let resp = bearer_tag(&app, &reader, "eigen-netwerk", &story, &theme).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "a read-only token never writes");
    assert!(resp.text().await.unwrap().contains("read-only"));
    assert!(app.store.tags_for_story(&story).await.unwrap().is_empty());

    // The signed-in session itself cannot use the write route (it has its CSRF-protected form).
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/eigen-netwerk/stories/{story}/tags")))
        .json(&json!({ "theme": theme }))
        .send()
        .await
        .unwrap();
    assert_unauthorized(resp, "a session on the token-only route").await;

    let resp = bearer_tag(&app, &writer, "eigen-netwerk", &story, "buren").await;
    assert_eq!(resp.status(), StatusCode::OK, "by name, case aside");
    let body: Value = resp.json().await.unwrap();
    assert_eq!((body["changed"].as_bool(), body["theme"].as_str()), (Some(true), Some(theme.as_str())));
    let tags = app.store.tags_for_story(&story).await.unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].by_user.as_deref(), Some(user.id.as_str()), "the person decided");
    let filter =
        AuditFilter { action: Some(AuditAction::CampaignChanged), limit: 100, ..AuditFilter::default() };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    assert!(
        entries.iter().any(|e| e.actor.ends_with("(api token tagger)")
            && e.target.as_deref() == Some(&*format!("story:{story}"))),
        "the audit entry names the token: {entries:?}"
    );

    // Another campaign, a story of another campaign, an unknown theme.
    let theirs = submit_story(&app, "ander").await;
    let other_theme = theme_of(&app, &other.id, "Buren").await;
    assert_eq!(
        bearer_tag(&app, &writer, "ander", &theirs, &other_theme).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bearer_tag(&app, &writer, "eigen-netwerk", &theirs, &theme).await.status(),
        StatusCode::NOT_FOUND
    );
    let resp = bearer_tag(&app, &writer, "eigen-netwerk", &story, &other_theme).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_backends!(only_a_read_write_token_tags_and_the_tag_says_which_token);

async fn expired_revoked_and_orphaned_tokens_are_refused_with_401(backend: Backend) {
    let clock = luister::clock::ManualClock::new(time::OffsetDateTime::now_utc());
    let Some(app) =
        crate::helpers::spawn_app_with_clock(backend, |_| {}, std::sync::Arc::new(clock.clone())).await
    else {
        return;
    };
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let today = luister::clock::Clock::now(&clock).date().to_string();
    let expiring = make_token(&app, "vandaag", &app.campaign.id, "read", &today).await;
    let revoked = make_token(&app, "weg", &app.campaign.id, "read", "").await;
    let kept = make_token(&app, "blijft", &app.campaign.id, "read", "").await;
    let path = "/api/v1/campaigns/eigen-netwerk/stories";
    for s in [&expiring, &revoked, &kept] {
        assert_eq!(bearer_get(&app, s, path).await.status(), StatusCode::OK);
    }

    let weg = app.store.api_tokens_of(&user.id).await.unwrap().into_iter().find(|t| t.name == "weg").unwrap();
    let resp = app.post_form(&format!("/account/tokens/{}/revoke", weg.id), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_unauthorized(bearer_get(&app, &revoked, path).await, "revoked").await;
    assert!(app.get("/account").await.text().await.unwrap().contains("ingetrokken op"));

    // Works through its last day, not after.
    clock.advance(time::Duration::days(1));
    assert_unauthorized(bearer_get(&app, &expiring, path).await, "expired").await;

    // Unknown, malformed, or another scheme.
    assert_unauthorized(bearer_get(&app, &format!("lst_{}", "0".repeat(64)), path).await, "unknown").await;
    assert_unauthorized(bearer_get(&app, "lst_kort", path).await, "malformed").await;
    let resp = script().get(app.url(path)).header("authorization", "Basic dTpw").send().await.unwrap();
    assert_unauthorized(resp, "basic auth").await;

    // The token is its user's: it stops when the user leaves the campaign, or is disabled.
    assert_eq!(bearer_get(&app, &kept, path).await.status(), StatusCode::OK);
    app.store.set_membership(&app.campaign.id, &user.id, false, &system_audit()).await.unwrap();
    assert_unauthorized(bearer_get(&app, &kept, path).await, "no longer a member").await;
    app.store.set_membership(&app.campaign.id, &user.id, true, &system_audit()).await.unwrap();
    assert_eq!(bearer_get(&app, &kept, path).await.status(), StatusCode::OK);
    let off = UserChange { disabled: Some(true), ..UserChange::default() };
    app.store.update_user(&user.id, &off, &system_audit()).await.unwrap();
    assert_unauthorized(bearer_get(&app, &kept, path).await, "account disabled").await;
    assert_unauthorized(bearer_get(&app, &kept, "/api/v1/search?q=x").await, "account disabled, search")
        .await;
}
on_both_backends!(expired_revoked_and_orphaned_tokens_are_refused_with_401);

async fn last_use_is_written_at_most_once_a_minute(backend: Backend) {
    let clock = luister::clock::ManualClock::new(time::OffsetDateTime::now_utc());
    let Some(app) =
        crate::helpers::spawn_app_with_clock(backend, |_| {}, std::sync::Arc::new(clock.clone())).await
    else {
        return;
    };
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let secret = make_token(&app, "teller", &app.campaign.id, "read", "").await;
    let path = "/api/v1/campaigns/eigen-netwerk/stories";
    let last_used = || async { app.store.api_tokens_of(&user.id).await.unwrap()[0].last_used_at };
    assert_eq!(last_used().await, None);
    bearer_get(&app, &secret, path).await;
    let first = last_used().await.expect("recorded on first use");
    clock.advance(time::Duration::seconds(30));
    bearer_get(&app, &secret, path).await;
    assert_eq!(last_used().await, Some(first), "not rewritten within the minute");
    clock.advance(time::Duration::seconds(31));
    bearer_get(&app, &secret, path).await;
    assert!(last_used().await.unwrap() > first);
}
on_both_backends!(last_use_is_written_at_most_once_a_minute);

async fn a_bearer_token_opens_no_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Admin, &[]).await;
    let secret = make_token(&app, "beheer", &app.campaign.id, "write", "").await;
    for page in ["/manage", "/account", "/search?q=x", "/manage/campaigns/eigen-netwerk"] {
        let resp = bearer_get(&app, &secret, page).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(resp.headers()["location"].to_str().unwrap().starts_with("/login"), "{page}");
    }
    // Nor can a token make tokens or reach admin rights through the API it has.
    assert_eq!(
        bearer_get(&app, &secret, "/api/v1/campaigns/eigen-netwerk/stories").await.status(),
        StatusCode::OK
    );
}
on_both_backends!(a_bearer_token_opens_no_page);

async fn tokens_are_for_facilitators_and_admins_and_revoked_only_by_their_owner(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let owner = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    make_token(&app, "mijn", &app.campaign.id, "read", "").await;
    let id = app.store.api_tokens_of(&owner.id).await.unwrap()[0].id.clone();

    // A campaign one is no member of, a bad expiry, no name: refused with the reason.
    let other = another_campaign(&app, "ander").await;
    for (fields, says) in [
        (vec![("name", "x"), ("campaign", other.id.as_str()), ("access", "read")], "campagne"),
        (
            vec![
                ("name", "x"),
                ("campaign", app.campaign.id.as_str()),
                ("access", "read"),
                ("expires", "2020-01-01"),
            ],
            "verleden",
        ),
        (vec![("name", " "), ("campaign", app.campaign.id.as_str()), ("access", "read")], "naam"),
        (vec![("name", "x"), ("campaign", app.campaign.id.as_str()), ("access", "admin")], "lezen"),
    ] {
        let resp = app.post_form("/account/tokens", &fields).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(resp.text().await.unwrap().contains(says), "{fields:?}");
    }
    assert_eq!(app.store.api_tokens_of(&owner.id).await.unwrap().len(), 1);

    let stranger = TestApp::second_browser(&app);
    stranger.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = stranger.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/account?token=none#tokens", "nothing of theirs to revoke");
    assert!(app.store.api_tokens_of(&owner.id).await.unwrap()[0].revoked_at.is_none());

    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let page = steering.get("/account").await.text().await.unwrap();
    assert!(!page.contains("/account/tokens"), "no token form for the steering role");
    let resp = steering
        .post_form(
            "/account/tokens",
            &[("name", "x"), ("campaign", app.campaign.id.as_str()), ("access", "read")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let filter =
        AuditFilter { action: Some(AuditAction::ApiTokenCreated), limit: 10, ..AuditFilter::default() };
    assert_eq!(app.store.audit_entries(&filter).await.unwrap().len(), 1, "only the one made");
    let resp = app.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let filter =
        AuditFilter { action: Some(AuditAction::ApiTokenRevoked), limit: 10, ..AuditFilter::default() };
    let revoked = app.store.audit_entries(&filter).await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].target.as_deref(), Some(&*format!("api_token:{id}")));
    let again = app.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(again.headers()["location"], "/account?token=none#tokens", "revoked once");
    assert_eq!(app.store.audit_entries(&filter).await.unwrap().len(), 1);
}
on_both_backends!(tokens_are_for_facilitators_and_admins_and_revoked_only_by_their_owner);

async fn a_token_whose_audit_fails_is_neither_made_nor_revoked(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let viewer = luister::auth::policy::Viewer {
        user: user.clone(),
        campaigns: vec![app.campaign.id.clone()],
        token: None,
    };
    let now = time::OffsetDateTime::now_utc();
    let input = || luister::accounts::tokens::NewTokenInput {
        name: "script".into(),
        campaign_id: app.campaign.id.clone(),
        access: "write".into(),
        expires: String::new(),
    };
    let made = luister::accounts::tokens::create(&app.store, &viewer, input(), now).await.unwrap();

    refuse_audit(&app, &["api_token_created", "api_token_revoked"]).await;
    let err = luister::accounts::tokens::create(&app.store, &viewer, input(), now).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    assert_eq!(app.store.api_tokens_of(&user.id).await.unwrap().len(), 1, "no token without its audit entry");

    let err = luister::accounts::tokens::revoke(&app.store, &user, &made.token.id, now).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    assert!(app.store.api_tokens_of(&user.id).await.unwrap()[0].revoked_at.is_none(), "still live");
    let path = "/api/v1/campaigns/eigen-netwerk/stories";
    assert_eq!(bearer_get(&app, &made.secret, path).await.status(), StatusCode::OK);
}
on_both_backends!(a_token_whose_audit_fails_is_neither_made_nor_revoked);
