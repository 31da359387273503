//! Authorisation everywhere: every route of the router is listed here with who may use it, and
//! checked for an anonymous visitor, the steering group, a facilitator of another campaign, a
//! facilitator of this campaign and an admin. A route without an entry fails the test, so a new
//! page cannot slip in unchecked. IDOR is checked too: a story id from another campaign never
//! opens, whatever slug is in the URL.

use crate::helpers::{Backend, TestApp, system_audit};
use crate::on_both_backends;
use luister::domain::{CampaignDef, Role};
use reqwest::StatusCode;
use std::collections::BTreeSet;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, no account needed (the story form, receipts, the API, health, login).
    Public,
    /// Any signed-in account (own account, the steering overview).
    SignedIn,
    /// Facilitators and admins, not tied to one campaign (workspace home, new campaign).
    Workspace,
    /// Facilitators who are members of the campaign in the URL, and admins.
    Campaign,
    /// Admins only.
    Admin,
    /// Only a participant holding an open join code's cookie: nobody with an account, as such.
    Participant,
    /// Only a read-write personal API token (bearer): no session, whoever it belongs to;
    /// tests/api/tokens.rs checks the tokens.
    Token,
}

use Access::*;

/// Every route with its access rule. Keep in step with the router: the test fails otherwise.
const TABLE: &[(&str, &str, Access)] = &[
    // The storyteller's side and the public API.
    ("GET", "/", Public),
    ("GET", "/c/{slug}", Public),
    ("POST", "/c/{slug}/preview", Public),
    ("POST", "/c/{slug}/edit", Public),
    ("POST", "/c/{slug}/submit", Public),
    ("GET", "/receipt", Public),
    ("POST", "/receipt", Public),
    ("POST", "/receipt/withdraw", Public),
    ("GET", "/api/v1/campaigns", Public),
    ("GET", "/api/v1/campaigns/{slug}", Public),
    ("POST", "/api/v1/campaigns/{slug}/stories", Public),
    ("GET", "/api/v1/receipts/{code}", Public),
    ("DELETE", "/api/v1/receipts/{code}", Public),
    ("POST", "/api/v1/receipts/lookup", Public),
    ("POST", "/api/v1/receipts/withdraw", Public),
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/docs", Public),
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/static/{file}", Public),
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("POST", "/logout", Public),
    // Any account.
    ("GET", "/account", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("POST", "/account/tokens", Workspace),
    ("POST", "/account/tokens/{id}/revoke", SignedIn),
    ("GET", "/overview", SignedIn),
    ("GET", "/dashboard", SignedIn),
    ("GET", "/api/v1/dashboard", SignedIn),
    // The facilitator workspace.
    ("GET", "/manage", Workspace),
    ("GET", "/manage/campaigns/new", Workspace),
    ("POST", "/manage/campaigns/new", Workspace),
    ("POST", "/manage/campaigns/new/toml", Workspace),
    ("GET", "/search", Workspace),
    ("GET", "/api/v1/search", Workspace),
    ("GET", "/api/v1/campaigns/{slug}/stories", Campaign),
    ("POST", "/api/v1/campaigns/{slug}/stories/{id}/tags", Token),
    ("POST", "/search/save", Workspace),
    ("GET", "/sets", Workspace),
    // One campaign: its facilitators and admins.
    ("GET", "/manage/campaigns/{slug}", Campaign),
    ("POST", "/manage/campaigns/{slug}/settings", Campaign),
    ("POST", "/manage/campaigns/{slug}/status", Campaign),
    ("POST", "/manage/campaigns/{slug}/prompts", Campaign),
    ("POST", "/manage/campaigns/{slug}/prompts/{id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/prompts/{id}/move", Campaign),
    ("POST", "/manage/campaigns/{slug}/prompts/{id}/remove", Campaign),
    ("POST", "/manage/campaigns/{slug}/signifiers", Campaign),
    ("GET", "/manage/campaigns/{slug}/signifiers/{id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/signifiers/{id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/signifiers/{id}/move", Campaign),
    ("POST", "/manage/campaigns/{slug}/signifiers/{id}/remove", Campaign),
    ("GET", "/manage/campaigns/{slug}/preview", Campaign),
    ("GET", "/manage/campaigns/{slug}/campaign.toml", Campaign),
    ("POST", "/manage/campaigns/{slug}/import", Campaign),
    ("GET", "/manage/campaigns/{slug}/stories", Campaign),
    ("GET", "/manage/campaigns/{slug}/stories/{id}", Campaign),
    ("GET", "/manage/campaigns/{slug}/stories/{id}/delete", Campaign),
    ("POST", "/manage/campaigns/{slug}/stories/{id}/delete", Campaign),
    ("POST", "/manage/campaigns/{slug}/stories/{id}/follow-up", Campaign),
    ("GET", "/manage/campaigns/{slug}/attention", Campaign),
    ("GET", "/manage/campaigns/{slug}/export", Campaign),
    ("GET", "/sets/{id}", Campaign),
    ("POST", "/sets/{id}/rename", Campaign),
    ("POST", "/sets/{id}/delete", Campaign),
    ("GET", "/manage/campaigns/{slug}/themes", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes", Campaign),
    ("GET", "/manage/campaigns/{slug}/themes/export", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes/import", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes/merge", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes/copy", Campaign),
    ("GET", "/manage/campaigns/{slug}/themes/{theme_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes/{theme_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/themes/{theme_id}/rule", Campaign),
    ("POST", "/manage/campaigns/{slug}/stories/{id}/tags", Campaign),
    ("POST", "/manage/campaigns/{slug}/tags/bulk", Campaign),
    ("GET", "/manage/campaigns/{slug}/coding", Campaign),
    ("GET", "/manage/campaigns/{slug}/discovery", Campaign),
    ("POST", "/manage/campaigns/{slug}/discovery", Campaign),
    ("GET", "/manage/campaigns/{slug}/discovery/{job_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/discovery/{job_id}/threads/{thread}", Campaign),
    ("GET", "/manage/campaigns/{slug}/suggestions", Campaign),
    ("POST", "/manage/campaigns/{slug}/suggestions/retrain", Campaign),
    ("POST", "/manage/campaigns/{slug}/suggestions/evaluate", Campaign),
    ("POST", "/manage/campaigns/{slug}/rules/apply", Campaign),
    ("GET", "/manage/campaigns/{slug}/jobs", Campaign),
    ("GET", "/manage/campaigns/{slug}/jobs/{job_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/jobs/{job_id}/cancel", Campaign),
    ("GET", "/manage/campaigns/{slug}/agreement", Campaign),
    ("POST", "/manage/campaigns/{slug}/agreement", Campaign),
    ("GET", "/manage/campaigns/{slug}/agreement/{sample_id}", Campaign),
    ("GET", "/manage/campaigns/{slug}/agreement/{sample_id}/code", Campaign),
    ("POST", "/manage/campaigns/{slug}/agreement/{sample_id}/code", Campaign),
    ("GET", "/manage/campaigns/{slug}/map", Campaign),
    ("GET", "/manage/campaigns/{slug}/map/table/{table}", Campaign),
    ("GET", "/manage/campaigns/{slug}/map/chart/{chart}", Campaign),
    ("POST", "/manage/campaigns/{slug}/map/freeze", Campaign),
    ("GET", "/manage/campaigns/{slug}/maps", Campaign),
    ("GET", "/manage/campaigns/{slug}/maps/{map_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/maps/{map_id}/publish", Campaign),
    ("GET", "/published", SignedIn),
    ("GET", "/published/{map_id}", SignedIn),
    // Sense-making sessions (facilitators), published reports (steering), participants.
    ("GET", "/manage/campaigns/{slug}/sessions", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/plan", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/agenda", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/patterns", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/cards", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/cards", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/cards/{card_id}/remove", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/cards/print", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/present", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/projector", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/codes", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/codes/{join_code}/revoke", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/notes", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/notes/{note_id}/approve", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/clusters", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/clusters/assign", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/report", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/report.md", Campaign),
    ("GET", "/manage/campaigns/{slug}/sessions/{session_id}/report.csv", Campaign),
    ("POST", "/manage/campaigns/{slug}/sessions/{session_id}/report/publish", Campaign),
    ("GET", "/published/sessions", SignedIn),
    ("GET", "/published/sessions/{session_id}", SignedIn),
    ("GET", "/j", Public),
    ("POST", "/j", Public),
    ("GET", "/j/{code}", Public),
    ("GET", "/session", Participant),
    ("POST", "/session/notes", Participant),
    // Improvement actions, the Leefwereldtoets and published results.
    ("GET", "/manage/campaigns/{slug}/actions", Campaign),
    ("POST", "/manage/campaigns/{slug}/actions", Campaign),
    ("GET", "/manage/campaigns/{slug}/actions/export", Campaign),
    ("GET", "/manage/campaigns/{slug}/actions/{action_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/actions/{action_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/actions/{action_id}/updates", Campaign),
    ("POST", "/manage/campaigns/{slug}/actions/{action_id}/publish", Campaign),
    ("GET", "/manage/campaigns/{slug}/organisations", Campaign),
    ("POST", "/manage/campaigns/{slug}/organisations", Campaign),
    ("POST", "/manage/campaigns/{slug}/organisations/{org_id}", Campaign),
    ("GET", "/manage/campaigns/{slug}/toets", Campaign),
    ("POST", "/manage/campaigns/{slug}/toets/policy", Campaign),
    ("POST", "/manage/campaigns/{slug}/toets/assumptions", Campaign),
    ("POST", "/manage/campaigns/{slug}/toets/assumptions/{assumption_id}", Campaign),
    ("POST", "/manage/campaigns/{slug}/toets/assumptions/{assumption_id}/conclusion", Campaign),
    ("POST", "/manage/campaigns/{slug}/stories/{id}/assumptions", Campaign),
    ("GET", "/manage/campaigns/{slug}/toets/report", Campaign),
    ("GET", "/manage/campaigns/{slug}/toets/report/markdown", Campaign),
    ("GET", "/manage/campaigns/{slug}/results", Campaign),
    ("POST", "/manage/campaigns/{slug}/results", Campaign),
    ("POST", "/manage/campaigns/{slug}/results/quotes", Campaign),
    ("GET", "/actions", SignedIn),
    ("GET", "/actions/export", SignedIn),
    ("GET", "/published/toets/{slug}", SignedIn),
    ("GET", "/published/toets/{slug}/markdown", SignedIn),
    ("GET", "/c/{slug}/results", Public),
    // Spreadsheet downloads (src/http/export.rs).
    ("GET", "/manage/campaigns/{slug}/export/xlsx", Campaign),
    ("GET", "/manage/campaigns/{slug}/maps/{map_id}/export", Campaign),
    ("GET", "/published/{map_id}/export", SignedIn),
    // Admins.
    ("POST", "/manage/campaigns/{slug}/members", Admin),
    ("GET", "/admin/users", Admin),
    ("POST", "/admin/users", Admin),
    ("GET", "/admin/users/{id}", Admin),
    ("POST", "/admin/users/{id}", Admin),
    ("POST", "/admin/users/{id}/password", Admin),
    ("POST", "/admin/users/{id}/sessions/end", Admin),
    ("GET", "/admin/audit", Admin),
    ("GET", "/manage/codebook", Admin),
    ("POST", "/manage/codebook", Admin),
    ("GET", "/manage/codebook/export", Admin),
    ("POST", "/manage/codebook/import", Admin),
    ("POST", "/manage/codebook/merge", Admin),
    ("GET", "/manage/codebook/{theme_id}", Admin),
    ("POST", "/manage/codebook/{theme_id}", Admin),
    ("POST", "/manage/codebook/{theme_id}/rule", Admin),
];

#[test]
fn every_route_has_an_entry_in_the_authorisation_table() {
    let routes: BTreeSet<(String, String)> =
        luister::http::route_list().into_iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let table: BTreeSet<(String, String)> =
        TABLE.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = routes.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the authorisation table (tests/api/authz.rs): {missing:?}"
    );
    let stale: Vec<_> = table.difference(&routes).collect();
    assert!(stale.is_empty(), "table entries for routes that do not exist: {stale:?}");
}

/// The people the table is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Steering,
    OtherFacilitator,
    Member,
    Admin,
}

fn allowed(access: Access, who: Who) -> bool {
    match (access, who) {
        (Public, _) => true,
        (_, Who::Anonymous) => false,
        (SignedIn, _) => true,
        (Workspace, w) => matches!(w, Who::OtherFacilitator | Who::Member | Who::Admin),
        (Campaign, w) => matches!(w, Who::Member | Who::Admin),
        (Admin, w) => w == Who::Admin,
        // Accounts never hold a participant cookie; tests/api/sessions.rs checks participants.
        (Participant, _) => false,
        // Sessions never pass a token-only route.
        (Token, _) => false,
    }
}

/// A second browser on the same app (its own cookies).
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

/// What one request is made against: a campaign of its own (so earlier requests that change or
/// remove things cannot change the outcome of later ones), with a story and a saved story set.
struct Fixture {
    slug: String,
    story: String,
    set: String,
    victim_user: String,
    /// A theme of the fixture campaign's codebook, and one of the global codebook.
    theme: String,
    global_theme: String,
    /// A finished discovery run of the fixture campaign.
    job: String,
    /// A coding sample of the fixture campaign (its story, its theme).
    sample: String,
    /// A frozen, published perspective map of the fixture campaign.
    map: String,
    /// A session on that map with a published report, a card, a waiting participant note and
    /// an open join code.
    session: crate::sessions::Fixture,
    /// An improvement action, an organisation and a Leefwereldtoets assumption of the campaign.
    action: String,
    org: String,
    assumption: String,
}

fn concrete(path: &str, f: &Fixture) -> String {
    let id = if path.starts_with("/admin/users") {
        f.victim_user.as_str()
    } else if path.starts_with("/sets/") {
        f.set.as_str()
    } else if path.contains("/signifiers/") {
        "wat_hielp"
    } else if path.contains("/prompts/") {
        "zelf-geregeld"
    } else {
        f.story.as_str()
    };
    let theme =
        if path.starts_with("/manage/codebook/") { f.global_theme.as_str() } else { f.theme.as_str() };
    path.replace("{slug}", &f.slug)
        .replace("{theme_id}", theme)
        .replace("{job_id}", &f.job)
        .replace("{sample_id}", &f.sample)
        .replace("{thread}", "0")
        .replace("{code}", "ABCD-EFGH-JKMN-PQRS-TUVW")
        .replace("{file}", "app.css")
        .replace("{map_id}", &f.map)
        .replace("{session_id}", &f.session.session)
        .replace("{card_id}", &f.session.card)
        .replace("{note_id}", &f.session.note)
        .replace("{join_code}", &f.session.code)
        .replace("{action_id}", &f.action)
        .replace("{org_id}", &f.org)
        .replace("{assumption_id}", &f.assumption)
        .replace("{table}", "themes.csv")
        .replace("{chart}", "themes.svg")
        .replace("{id}", id)
}

struct Person {
    who: Who,
    client: reqwest::Client,
    user_id: Option<String>,
}

async fn sign_in(app: &TestApp, client: &reqwest::Client, role: Role, campaigns: &[&str]) -> String {
    let email = format!("{}-{}@example.nl", role.as_str(), uuid::Uuid::new_v4().simple());
    let password = "lange zin met wolken en trompetten";
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: email.clone(),
            name: "T".into(),
            role,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    for c in campaigns {
        app.store.set_membership(c, &user.id, true, &system_audit()).await.unwrap();
    }
    let token = csrf(app, client).await;
    let resp = client
        .post(app.url("/login"))
        .form(&[("email", email.as_str()), ("password", password), ("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    user.id
}

async fn csrf(app: &TestApp, client: &reqwest::Client) -> String {
    let html = client.get(app.url("/receipt")).send().await.unwrap().text().await.unwrap();
    crate::helpers::hidden_fields(&html).into_iter().find(|(k, _)| k == "_csrf").unwrap().1
}

async fn story(app: &TestApp, slug: &str) -> String {
    let body = serde_json::json!({
        "text": "Mijn buurvrouw hielp me met mijn huiswerk toen het thuis even niet ging.",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "blij", "wat_hielp": [1, 1, 1] }
    });
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{slug}/stories")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// A fresh campaign (open, like the demo) with a story and a story set, the member a member of it.
async fn fixture(app: &TestApp, n: usize, member: &str, admin: &str, victim: &str) -> Fixture {
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = format!("route-{n}");
    let (c, _) = app.store.save_campaign(&def, &system_audit()).await.unwrap();
    app.store.set_membership(&c.id, member, true, &system_audit()).await.unwrap();
    let story = story(app, &def.slug).await;
    let now = time::OffsetDateTime::now_utc();
    let set = luister::domain::story_set::StorySet {
        id: uuid::Uuid::new_v4().to_string(),
        name: "Set".into(),
        query: "q=buurvrouw".into(),
        campaign_id: Some(c.id.clone()),
        story_ids: Some(vec![story.clone()]),
        created_by: Some(admin.to_string()),
        created_at: now,
        updated_at: now,
    };
    app.store.create_story_set(&set).await.unwrap();
    let theme = luister::domain::theme::Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(c.id.clone()),
        name: "Buren".into(),
        description: String::new(),
        colour: "#0b5a7a".into(),
        parent_id: None,
        rule: Some("buurvrouw".into()),
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    app.store.create_theme(&theme).await.unwrap();
    let global_theme =
        app.store.themes(None).await.unwrap().first().expect("the default global codebook").id.clone();
    let job = crate::helpers::finished_run(app, &c.id, std::slice::from_ref(&story)).await;
    let sample = luister::domain::job::CodingSample {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: c.id.clone(),
        name: "Steekproef".into(),
        story_ids: vec![story.clone()],
        theme_ids: vec![theme.id.clone()],
        created_by: Some(admin.to_string()),
        created_at: now,
    };
    app.store.create_sample(&sample).await.unwrap();
    let built = luister::maps::build(&app.store, None, &c, &Default::default()).await.unwrap();
    let map = luister::maps::frozen::freeze(
        &app.store,
        &c,
        &built,
        "",
        "authz",
        20,
        5,
        luister::domain::Actor::system(),
        now,
    )
    .await
    .unwrap();
    luister::maps::frozen::publish(&app.store, &c, &map.id, luister::domain::Actor::system(), now)
        .await
        .unwrap();
    let session = crate::sessions::fixture(&app.store, &c, &map.id).await.unwrap();
    let system = luister::domain::Actor::system;
    let org =
        luister::actions::save_organisation(&app.store, &c, None, "municipality", "Gemeente", system(), now)
            .await
            .unwrap();
    let form = luister::domain::action::ActionForm {
        title: "Actie".into(),
        organisation_id: org.id.clone(),
        ..Default::default()
    };
    let action = luister::actions::create(&app.store, &c, &form, system(), now).await.unwrap();
    let assumption =
        luister::toets::save_assumption(&app.store, &c, None, "Jongeren weten wat mag", "", system(), now)
            .await
            .unwrap();
    Fixture {
        session,
        action: action.id,
        org: org.id,
        assumption: assumption.id,
        map: map.id,
        job,
        sample: sample.id,
        slug: def.slug,
        story,
        set: set.id,
        victim_user: victim.to_string(),
        theme: theme.id,
        global_theme,
    }
}

async fn request(app: &TestApp, client: &reqwest::Client, method: &str, path: &str) -> reqwest::Response {
    let token = csrf(app, client).await;
    match method {
        "GET" => client.get(app.url(path)).send().await.unwrap(),
        "POST" => client.post(app.url(path)).form(&[("_csrf", token.as_str())]).send().await.unwrap(),
        "DELETE" => client.delete(app.url(path)).send().await.unwrap(),
        other => panic!("no test for method {other}"),
    }
}

fn to_login(resp: &reqwest::Response) -> bool {
    resp.status() == StatusCode::SEE_OTHER
        && resp.headers().get("location").is_some_and(|l| l.to_str().unwrap_or("").starts_with("/login"))
}

/// Sent to the login page, or told no (404 included: non-members are told a campaign's pages do
/// not exist).
fn refused(resp: &reqwest::Response) -> bool {
    to_login(resp)
        || matches!(resp.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
}

/// Served: for public routes anything but an authorisation refusal (a made-up receipt code may
/// well be 404); for the rest, no refusal of any kind.
fn served(resp: &reqwest::Response, access: Access) -> bool {
    if access == Public {
        !to_login(resp) && !matches!(resp.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
    } else {
        !refused(resp)
    }
}

async fn every_route_refuses_the_wrong_people_and_serves_the_right_ones(backend: Backend) {
    // Hundreds of fixture stories come from one address: lift the per-address story limit.
    let Some(app) = crate::helpers::spawn_app_with(backend, |c| {
        c.story_burst = 100_000;
        c.stories_per_client_per_hour = 1_000_000;
    })
    .await
    else {
        return;
    };
    let mut other = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    other.slug = "ander".into();
    let (other_campaign, _) = app.store.save_campaign(&other, &system_audit()).await.unwrap();
    let victim = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "slachtoffer@example.nl".into(),
            name: "S".into(),
            role: Role::Facilitator,
            password: "lange zin met wolken en trompetten".into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();

    let mut people = Vec::new();
    for (who, role, campaigns) in [
        (Who::Anonymous, None, vec![]),
        (Who::Steering, Some(Role::Steering), vec![]),
        (Who::OtherFacilitator, Some(Role::Facilitator), vec![other_campaign.id.as_str()]),
        (Who::Member, Some(Role::Facilitator), vec![]),
        (Who::Admin, Some(Role::Admin), vec![]),
    ] {
        let client = browser();
        let user_id = match role {
            Some(r) => Some(sign_in(&app, &client, r, &campaigns).await),
            None => None,
        };
        people.push(Person { who, client, user_id });
    }
    let member_id = people[3].user_id.clone().unwrap();
    let admin_id = people[4].user_id.clone().unwrap();

    let mut failures = Vec::new();
    let mut n = 0;
    for (method, path, access) in TABLE {
        // Logging out would end the test's sessions, and a login without a password answers
        // 401 by design; both are covered in tests/api/auth.rs.
        if *path == "/logout" || (*method == "POST" && *path == "/login") {
            continue;
        }
        for person in &people {
            n += 1;
            let f = fixture(&app, n, &member_id, &admin_id, &victim.id).await;
            let url = concrete(path, &f);
            let resp = request(&app, &person.client, method, &url).await;
            let ok = if allowed(*access, person.who) { served(&resp, *access) } else { refused(&resp) };
            if !ok {
                failures.push(format!("{method} {url} as {:?}: {} ({access:?})", person.who, resp.status()));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation table violated:\n{}", failures.join("\n"));

    // IDOR: a story id from another campaign never opens under this campaign's slug, and the
    // other facilitator cannot reach this campaign's story through their own slug either.
    let here = fixture(&app, 0, &member_id, &admin_id, &victim.id).await;
    let there_story = story(&app, "ander").await;
    for (method, path, access) in TABLE {
        if *access != Campaign || !path.contains("/stories/{id}") {
            continue;
        }
        let crossed = path.replace("{slug}", &here.slug).replace("{id}", &there_story);
        let resp = request(&app, &people[3].client, method, &crossed).await;
        assert!(
            refused(&resp),
            "member opened another campaign's story: {method} {crossed} → {}",
            resp.status()
        );
        let crossed = path.replace("{slug}", "ander").replace("{id}", &here.story);
        let resp = request(&app, &people[2].client, method, &crossed).await;
        assert!(
            refused(&resp),
            "other facilitator reached this story: {method} {crossed} → {}",
            resp.status()
        );
        // Admins may read everything, but a story under the wrong campaign's slug is still not found.
        let crossed = path.replace("{slug}", "ander").replace("{id}", &here.story);
        let resp = request(&app, &people[4].client, method, &crossed).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{method} {crossed}: story under another slug");
    }
}
on_both_backends!(every_route_refuses_the_wrong_people_and_serves_the_right_ones);

/// Whoever may not see a campaign gets the same answer for it as for a campaign that does not
/// exist, on every campaign route: the status, and where a redirect goes.
async fn a_campaign_one_may_not_see_answers_like_one_that_does_not_exist(backend: Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |c| {
        c.story_burst = 100_000;
        c.stories_per_client_per_hour = 1_000_000;
    })
    .await
    else {
        return;
    };
    let mut other = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    other.slug = "ander".into();
    let (other_campaign, _) = app.store.save_campaign(&other, &system_audit()).await.unwrap();
    let mut people = Vec::new();
    for (who, role, campaigns) in [
        (Who::Anonymous, None, vec![]),
        (Who::Steering, Some(Role::Steering), vec![]),
        (Who::OtherFacilitator, Some(Role::Facilitator), vec![other_campaign.id.as_str()]),
    ] {
        let client = browser();
        let user_id = match role {
            Some(r) => Some(sign_in(&app, &client, r, &campaigns).await),
            None => None,
        };
        people.push(Person { who, client, user_id });
    }
    let admin = browser();
    let admin_id = sign_in(&app, &admin, Role::Admin, &[]).await;
    let member = browser();
    let member_id = sign_in(&app, &member, Role::Facilitator, &[]).await;
    let f = fixture(&app, 1, &member_id, &admin_id, &admin_id).await;
    let unknown =
        Fixture { slug: "bestaat-niet".into(), ..fixture(&app, 2, &member_id, &admin_id, &admin_id).await };

    let answer = |r: &reqwest::Response| {
        let to = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap_or("").split('?').next().unwrap_or("").to_string());
        (r.status(), to)
    };
    let mut differences = Vec::new();
    let mut checked = 0;
    for (method, path, _) in
        TABLE.iter().filter(|(_, p, _)| p.contains("{slug}") && p.starts_with("/manage/"))
    {
        for person in &people {
            let known = request(&app, &person.client, method, &concrete(path, &f)).await;
            let missing = request(&app, &person.client, method, &concrete(path, &unknown)).await;
            assert!(
                refused(&known),
                "{method} {path} as {:?} is not refused: {}",
                person.who,
                known.status()
            );
            checked += 1;
            if answer(&known) != answer(&missing) {
                differences.push(format!(
                    "{method} {path} as {:?}: {:?} for a real campaign, {:?} for none",
                    person.who,
                    answer(&known),
                    answer(&missing)
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} requests checked");
    assert!(differences.is_empty(), "existence leaks:\n{}", differences.join("\n"));
}
on_both_backends!(a_campaign_one_may_not_see_answers_like_one_that_does_not_exist);
