//! Improvement actions, the Leefwereldtoets and "you said, we did", through the pages a
//! facilitator, the steering group and a storyteller use: actions with their whole history,
//! overdue by the app clock, filters and CSV, assumptions with linked stories and the toets
//! report (small cells hidden for steering), the public results page and the receipt, a
//! withdrawn story's quote disappearing, and every change rolled back when its audit entry fails.

use crate::helpers::{Backend, TestApp, spawn_app, spawn_app_with_clock};
use crate::on_both_backends;
use luister::clock::ManualClock;
use luister::domain::{Actor, AuditAction, AuditEntry, Role};
use luister::store::ActionFilter;
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use time::macros::datetime;

const BASE: &str = "/manage/campaigns/eigen-netwerk";

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_string()
}

async fn organisation(app: &TestApp, name: &str, kind: &str) -> String {
    let resp = app.post_form(&format!("{BASE}/organisations"), &[("name", name), ("kind", kind)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "organisation {name}");
    app.store.organisations(&app.campaign.id).await.unwrap().into_iter().find(|o| o.name == name).unwrap().id
}

/// Records an action through the page; returns its page's path.
async fn action(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let resp = app.post_form(&format!("{BASE}/actions"), fields).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "action {fields:?}: {}", resp.text().await.unwrap());
    location(&resp)
}

fn id_of(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_string()
}

async fn actions_are_recorded_changed_and_updated_with_their_whole_history(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let gemeente = organisation(&app, "Gemeente Utrecht", "municipality").await;
    let page = action(
        &app,
        &[
            ("title", "Wachttijd halveren"),
            ("organisation_id", &gemeente),
            ("due_on", "2030-06-01"),
            ("priority", "high"),
        ],
    )
    .await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("Wachttijd halveren") && html.contains("Gemeente Utrecht (gemeente)"));

    // A change from the form of version 1.
    let change = [
        ("version", "1"),
        ("title", "Wachttijd halveren"),
        ("organisation_id", gemeente.as_str()),
        ("priority", "high"),
        ("status", "in_progress"),
        ("progress", "30"),
        ("due_on", "2030-06-01"),
        ("handed_over_on", "2026-01-15"),
    ];
    assert_eq!(app.post_form(&page, &change).await.status(), StatusCode::SEE_OTHER);
    // A dated update with a new progress.
    let update = [("note", "Eerste gesprek met de wethouder"), ("on_date", "2026-02-01"), ("progress", "45")];
    assert_eq!(app.post_form(&format!("{page}/updates"), &update).await.status(), StatusCode::SEE_OTHER);

    // Someone still holding version 1 is told, and nothing changes.
    let mut stale = change.to_vec();
    stale[1] = ("title", "Iets heel anders");
    let resp = app.post_form(&page, &stale).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(resp.text().await.unwrap().contains("Iets heel anders"), "what was typed is kept");

    let id = id_of(&page);
    let stored = app.store.action(&id).await.unwrap();
    assert_eq!(
        (stored.version, stored.fields.progress, stored.fields.title.as_str()),
        (3, 45, "Wachttijd halveren")
    );
    let history = app.store.action_history(&id).await.unwrap();
    assert_eq!(history.len(), 3, "every change is kept");
    assert_eq!(history[2].note, "Eerste gesprek met de wethouder");
    assert_eq!(history[2].on_date.to_string(), "2026-02-01");

    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("status: open → bezig"), "the history says what changed");
    assert!(html.contains("voortgang: 30% → 45%"));
    assert!(html.contains("overgedragen op: — → 2026-01-15"));
    assert!(html.contains("Eerste gesprek met de wethouder") && html.contains("01-02-2026"));

    let audit: Vec<String> =
        app.store.audit_entries(&Default::default()).await.unwrap().into_iter().map(|a| a.action).collect();
    for a in ["organisation_changed", "action_created", "action_changed"] {
        assert!(audit.iter().any(|x| x == a), "{a} in {audit:?}");
    }
}
on_both_backends!(actions_are_recorded_changed_and_updated_with_their_whole_history);

async fn dropping_an_action_needs_a_reason(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp =
        app.post_form(&format!("{BASE}/actions"), &[("title", "Folder maken"), ("status", "dropped")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Schrijf op waarom de actie vervalt."));
    assert!(html.contains(r#"value="Folder maken""#), "the typed title is kept");
    assert!(app.store.actions(&ActionFilter::default()).await.unwrap().is_empty());

    let page = action(&app, &[("title", "Folder maken")]).await;
    let resp =
        app.post_form(&format!("{page}/updates"), &[("note", "Gaat niet door"), ("status", "dropped")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "an update that drops needs a reason too");
    let resp = app
        .post_form(
            &format!("{page}/updates"),
            &[("note", "Gaat niet door"), ("status", "dropped"), ("drop_reason", "Geen budget")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let a = app.store.action(&id_of(&page)).await.unwrap();
    assert_eq!(a.fields.drop_reason.as_deref(), Some("Geen budget"));
}
on_both_backends!(dropping_an_action_needs_a_reason);

async fn overdue_is_marked_by_the_app_clock(backend: Backend) {
    let clock = ManualClock::new(datetime!(2026-03-01 09:00 UTC));
    let Some(app) = spawn_app_with_clock(backend, |_| {}, Arc::new(clock.clone())).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let page = action(&app, &[("title", "Aanspreekpunt per groep"), ("due_on", "2026-03-10")]).await;
    let list = format!("{BASE}/actions");
    assert!(!app.get(&list).await.text().await.unwrap().contains("te laat"), "due in nine days");
    clock.advance(time::Duration::days(10));
    // Ten days on, the session has timed out: sign in again.
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let html = app.get(&list).await.text().await.unwrap();
    assert!(
        html.contains("<strong>1 te laat</strong>") && html.contains("class=\"status-open overdue\""),
        "{html}"
    );
    assert!(app.get(&page).await.text().await.unwrap().contains(r#"id="overdue""#));
    // Done is never overdue.
    let done = [("note", "Klaar"), ("status", "done")];
    assert_eq!(app.post_form(&format!("{page}/updates"), &done).await.status(), StatusCode::SEE_OTHER);
    assert!(!app.get(&list).await.text().await.unwrap().contains("te laat"));
}
on_both_backends!(overdue_is_marked_by_the_app_clock);

async fn the_list_filters_by_party_and_status_in_the_url_and_exports_safe_csv(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let gemeente = organisation(&app, "Gemeente Zeist", "municipality").await;
    let aanbieder = organisation(&app, "Jeugdhulp Midden", "provider").await;
    action(&app, &[("title", "Actie van de gemeente"), ("organisation_id", &gemeente)]).await;
    let done = action(
        &app,
        &[("title", "Klaar bij de aanbieder"), ("organisation_id", &aanbieder), ("status", "done")],
    )
    .await;
    action(&app, &[("title", "=HYPERLINK(\"http://evil\";\"klik\")"), ("organisation_id", &aanbieder)]).await;

    let party = app.get(&format!("{BASE}/actions?party={aanbieder}")).await.text().await.unwrap();
    assert!(party.contains("Klaar bij de aanbieder") && !party.contains("Actie van de gemeente"));
    let status =
        app.get(&format!("{BASE}/actions?party={aanbieder}&status=done")).await.text().await.unwrap();
    assert!(status.contains("Klaar bij de aanbieder") && !status.contains("HYPERLINK"));
    assert!(
        status.contains(&format!(r#"<option value="{aanbieder}" selected>"#)),
        "the filter stays in the form"
    );

    let csv = app.get(&format!("{BASE}/actions/export?party={aanbieder}")).await;
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = csv.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    let titles: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert_eq!(titles.len(), 2, "{body}");
    assert!(
        titles.contains(&"'=HYPERLINK(\"http://evil\";\"klik\")".to_string()),
        "formula made text: {titles:?}"
    );

    // Across campaigns: the facilitator sees all three; steering only published ones.
    let all = app.get("/actions").await.text().await.unwrap();
    assert!(all.contains("Actie van de gemeente") && all.contains("eigen-netwerk"));
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    assert!(!steering.get("/actions").await.text().await.unwrap().contains("Klaar bij de aanbieder"));
    assert_eq!(
        app.post_form(&format!("{done}/publish"), &[("published", "1")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let seen = steering.get("/actions").await.text().await.unwrap();
    assert!(seen.contains("Klaar bij de aanbieder") && !seen.contains("Actie van de gemeente"));
    assert!(!seen.contains(&format!("{BASE}/actions/")), "no links into the workspace for steering");
}
on_both_backends!(the_list_filters_by_party_and_status_in_the_url_and_exports_safe_csv);

async fn assumptions_links_and_conclusions_make_the_toets_report(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, parents, _t) = crate::maps::tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let toets = format!("{BASE}/toets");
    let policy = [("policy", "Vrijheidsbeperkende maatregelen worden altijd uitgelegd.")];
    assert_eq!(app.post_form(&format!("{toets}/policy"), &policy).await.status(), StatusCode::SEE_OTHER);
    let add = [("statement", "Jongeren weten welke maatregelen mogen"), ("expected", "Ze noemen de regels")];
    assert_eq!(app.post_form(&format!("{toets}/assumptions"), &add).await.status(), StatusCode::SEE_OTHER);
    let assumption = app.store.assumptions(&app.campaign.id).await.unwrap()[0].id.clone();

    // Six youth stories contradict it (linked from the story page), two parents support it
    // (from the coding queue).
    for id in &youth[..6] {
        let resp = app
            .post_form(
                &format!("{BASE}/stories/{id}/assumptions"),
                &[("assumption", &assumption), ("stance", "contradicts")],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert!(location(&resp).ends_with("#toets"));
    }
    for id in &parents[..2] {
        let fields = [("assumption", assumption.as_str()), ("stance", "supports"), ("back", "coding")];
        let resp = app.post_form(&format!("{BASE}/stories/{id}/assumptions"), &fields).await;
        assert!(location(&resp).contains("/coding?story="));
    }
    let story_page = app.get(&format!("{BASE}/stories/{}", youth[0])).await.text().await.unwrap();
    assert!(story_page.contains("· nu: spreekt tegen"), "the story page shows the link");
    let queue = app.get(&format!("{BASE}/coding?story={}", parents[0])).await.text().await.unwrap();
    assert!(queue.contains(r#"data-toets="v""#) && queue.contains("· nu: ondersteunt"), "keys in the queue");

    let conclusion = [
        ("verdict", "does_not_hold"),
        ("reasoning", "Jongeren horen het pas achteraf"),
        ("session_id", "s-1"),
    ];
    let resp = app.post_form(&format!("{toets}/assumptions/{assumption}/conclusion"), &conclusion).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let bad =
        app.post_form(&format!("{toets}/assumptions/{assumption}/conclusion"), &[("verdict", "holds")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "a conclusion needs its reasoning");
    // An action that follows, published so the steering group sees it too.
    let link = format!("assumption:{assumption}");
    let page = action(&app, &[("title", "Regels uitleggen bij binnenkomst"), ("links", &link)]).await;
    app.post_form(&format!("{page}/publish"), &[("published", "1")]).await;

    let open = app.get(&format!("{toets}/report")).await.text().await.unwrap();
    assert!(open.contains("Aanname 1: Jongeren weten welke maatregelen mogen"));
    assert!(open.contains("<td>6</td>") && open.contains("<td>2</td>"), "exact counts for facilitators");
    assert!(open.contains("klopt niet") && open.contains("Regels uitleggen bij binnenkomst"));

    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    assert!(matches!(
        steering.get(&format!("{toets}/report")).await.status(),
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ));
    let disclosed = steering.get("/published/toets/eigen-netwerk").await.text().await.unwrap();
    let disclosed = crate::helpers::unescape(&disclosed);
    assert!(disclosed.contains("<td><5</td>"), "two parent stories are shown as <5");
    // The maps' secondary suppression: with the row and group totals the sixes would give the
    // small cells away, so they are hidden too (×), and no hidden cell is quoted.
    assert!(disclosed.contains("spreekt tegen</th><td>×</td>"), "the six youth stories hidden as ×");
    assert!(!disclosed.contains("Ouders, ondersteunt"), "no quote from the hidden parent cell");
    assert!(!disclosed.contains("Jongeren, spreekt tegen"), "no quote from a secondary hidden cell");
    assert!(!disclosed.contains(&youth[0]), "no story ids for steering");
    assert!(disclosed.contains("Regels uitleggen bij binnenkomst"));
    let md = steering.get("/published/toets/eigen-netwerk/markdown").await;
    assert!(md.headers()["content-type"].to_str().unwrap().starts_with("text/markdown"));
    let md = md.text().await.unwrap();
    assert!(md.contains("## Aanname 1: Jongeren weten welke maatregelen mogen") && md.contains("<5"));
    assert!(md.contains("### Conclusie: klopt niet"));

    // Withdrawal wins: a withdrawn story no longer counts.
    let audit = AuditEntry::new(Actor::system(), AuditAction::StoryWithdrawn);
    app.store.delete_story(&youth[0], &audit).await.unwrap();
    let open = app.get(&format!("{toets}/report")).await.text().await.unwrap();
    assert!(open.contains("<td>5</td>") && !open.contains(&youth[0]));
    let audit: Vec<String> =
        app.store.audit_entries(&Default::default()).await.unwrap().into_iter().map(|a| a.action).collect();
    for a in ["assumption_changed", "story_linked_to_assumption", "conclusion_recorded"] {
        assert!(audit.iter().any(|x| x == a), "{a}");
    }
}
on_both_backends!(assumptions_links_and_conclusions_make_the_toets_report);

/// A story through the API; returns its receipt code.
async fn told_story(app: &TestApp) -> String {
    let body = serde_json::json!({
        "text": "Mijn buurvrouw hielp me met mijn huiswerk toen het thuis even niet ging.",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "blij", "wat_hielp": [1, 1, 1] }
    });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["receipt_code"].as_str().unwrap().to_string()
}

async fn results_page_and_receipt_show_published_actions_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let code = told_story(&app).await;
    let teller = TestApp::second_browser(&app);
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let party = organisation(&app, "Gemeente Utrecht", "municipality").await;
    let shown = action(
        &app,
        &[("title", "Vast aanspreekpunt"), ("organisation_id", &party), ("status", "in_progress")],
    )
    .await;
    action(&app, &[("title", "Nog geheim plan")]).await;
    app.post_form(
        &format!("{shown}/updates"),
        &[("note", "Twee groepen hebben er een"), ("on_date", "2026-02-03")],
    )
    .await;
    assert_eq!(
        app.post_form(&format!("{shown}/publish"), &[("published", "1")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let summary = [("summary", "Jullie vertelden dat niemand het uitlegde."), ("publish", "1")];
    assert_eq!(app.post_form(&format!("{BASE}/results"), &summary).await.status(), StatusCode::SEE_OTHER);

    let public = teller.get("/c/eigen-netwerk/results").await;
    assert_eq!(public.status(), StatusCode::OK);
    let html = public.text().await.unwrap();
    assert!(html.contains("Jullie vertelden dat niemand het uitlegde."));
    assert!(
        html.contains("Vast aanspreekpunt") && html.contains("Gemeente Utrecht") && html.contains("bezig")
    );
    assert!(html.contains("03-02-2026: Twee groepen hebben er een"), "the last update");
    assert!(!html.contains("Nog geheim plan"), "unpublished actions stay private");

    let json: Value = teller.get(&format!("/api/v1/receipts/{code}")).await.json().await.unwrap();
    assert!(json["text"].as_str().unwrap().contains("buurvrouw"), "existing fields are kept");
    assert_eq!(json["results"]["summary"], "Jullie vertelden dat niemand het uitlegde.");
    let actions = json["results"]["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{json}");
    assert_eq!(actions[0]["title"], "Vast aanspreekpunt");
    assert_eq!(actions[0]["responsible_party"], "Gemeente Utrecht");
    assert_eq!(actions[0]["status"], "in_progress");
    assert!(actions[0]["last_update"].as_str().unwrap().contains("Twee groepen"));

    let page = teller.post_form("/receipt", &[("code", &code), ("lang", "nl")]).await.text().await.unwrap();
    assert!(page.contains("Vast aanspreekpunt") && !page.contains("Nog geheim plan"));
    let doc: Value = teller.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/receipts/{code}"].is_object());
    assert!(doc["components"]["schemas"]["ResultAction"]["properties"]["responsible_party"].is_object());

    // The thank-you page links the results page.
    let submit = teller.post_form("/c/eigen-netwerk/submit", &crate::helpers::good_form()).await;
    let thanks = submit.text().await.unwrap();
    assert!(thanks.contains(r#"href="/c/eigen-netwerk/results?lang=nl""#), "{thanks}");
}
on_both_backends!(results_page_and_receipt_show_published_actions_only);

async fn a_withdrawn_storys_quote_disappears_from_the_results_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_youth, parents, t) = crate::maps::tagged_campaign(&app).await;
    // Six more parent stories with the theme: both cells are large enough to be shown.
    let more: Vec<_> = parents[3..9]
        .iter()
        .map(|id| luister::domain::theme::Tag {
            story_id: id.clone(),
            theme_id: t.id.clone(),
            source: luister::domain::theme::TagSource::Manual,
            state: luister::domain::theme::TagState::Accepted,
            confidence: None,
            explanation: None,
            by_user: None,
            at: time::OffsetDateTime::now_utc(),
        })
        .collect();
    app.store.set_tags(&more).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let built = luister::maps::build(&app.store, None, &app.campaign, &Default::default()).await.unwrap();
    let map = luister::maps::frozen::freeze(
        &app.store,
        &app.campaign,
        &built,
        "",
        "Sessie",
        20,
        5,
        Actor::system(),
        now,
    )
    .await
    .unwrap();
    let candidates = luister::actions::results::candidates(&app.store, &app.campaign).await.unwrap();
    assert!(candidates.is_empty(), "an unpublished map offers no quotes");
    luister::maps::frozen::publish(&app.store, &app.campaign, &map.id, Actor::system(), now).await.unwrap();
    let candidates = luister::actions::results::candidates(&app.store, &app.campaign).await.unwrap();
    assert!(!candidates.is_empty());
    assert!(candidates.iter().all(|c| !parents[9..].contains(&c.story_id)), "only quotes the map shows");

    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let pick = &candidates[0];
    let fields = [("map", pick.map_id.as_str()), ("story", pick.story_id.as_str()), ("publish", "1")];
    assert_eq!(
        app.post_form(&format!("{BASE}/results/quotes"), &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    // A story the map does not quote is refused even when posted by hand.
    let forged = [("map", pick.map_id.as_str()), ("story", parents[20].as_str()), ("publish", "1")];
    assert_eq!(
        app.post_form(&format!("{BASE}/results/quotes"), &forged).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let html = app.get("/c/eigen-netwerk/results").await.text().await.unwrap();
    assert!(html.contains(&pick.text), "the quote is published");

    let audit = AuditEntry::new(Actor::system(), AuditAction::StoryWithdrawn);
    app.store.delete_story(&pick.story_id, &audit).await.unwrap();
    let html = app.get("/c/eigen-netwerk/results").await.text().await.unwrap();
    assert!(!html.contains(&pick.text), "a withdrawn story's quote is gone");
}
on_both_backends!(a_withdrawn_storys_quote_disappears_from_the_results_page);

async fn a_change_whose_audit_entry_fails_leaves_nothing_behind(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, _parents, _t) = crate::maps::tagged_campaign(&app).await;
    let (store, c, now) = (&app.store, &app.campaign, time::OffsetDateTime::now_utc());
    let org =
        luister::actions::save_organisation(store, c, None, "provider", "Aanbieder", Actor::system(), now)
            .await
            .unwrap();
    let form = luister::domain::action::ActionForm { title: "Bestaand".into(), ..Default::default() };
    let kept = luister::actions::create(store, c, &form, Actor::system(), now).await.unwrap();
    let assumption =
        luister::toets::save_assumption(store, c, None, "Aanname", "", Actor::system(), now).await.unwrap();
    crate::auth::refuse_audit(
        &app,
        &[
            "action_created",
            "action_changed",
            "organisation_changed",
            "assumption_changed",
            "story_linked_to_assumption",
            "conclusion_recorded",
            "results_published",
        ],
    )
    .await;
    let new = luister::domain::action::ActionForm {
        title: "Nieuw".into(),
        organisation_id: org.id.clone(),
        ..Default::default()
    };
    assert!(luister::actions::create(store, c, &new, Actor::system(), now).await.is_err());
    let upd = luister::domain::action::ActionUpdate::parse("x", "", "done", "", "").unwrap();
    assert!(luister::actions::add_update(store, c, &kept.id, &upd, Actor::system(), now).await.is_err());
    assert!(luister::actions::set_published(store, c, &kept.id, true, Actor::system(), now).await.is_err());
    assert!(
        luister::actions::save_organisation(store, c, Some(&org.id), "region", "Regio", Actor::system(), now)
            .await
            .is_err()
    );
    assert!(
        luister::toets::link_story(
            store,
            c,
            &assumption.id,
            &youth[0],
            Some(luister::domain::toets::Stance::Supports),
            Actor::system(),
            now
        )
        .await
        .is_err()
    );
    assert!(
        luister::toets::record_conclusion(
            store,
            c,
            &assumption.id,
            "holds",
            "want",
            "",
            Actor::system(),
            now
        )
        .await
        .is_err()
    );
    assert!(luister::toets::save_policy(store, c, "Beleid", Actor::system(), now).await.is_err());
    assert!(
        luister::actions::results::save_summary(store, c, "Samenvatting", true, Actor::system(), now)
            .await
            .is_err()
    );

    let actions = store.actions(&ActionFilter::default()).await.unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!((actions[0].version, actions[0].published), (1, false), "the kept action is as it was");
    assert_eq!(store.action_history(&kept.id).await.unwrap().len(), 1);
    assert_eq!(store.organisations(&c.id).await.unwrap()[0].name, "Aanbieder");
    assert!(store.assumption_links(&c.id).await.unwrap().is_empty());
    assert!(store.conclusions(&c.id).await.unwrap().is_empty());
    assert_eq!(store.policy(&c.id).await.unwrap(), "");
    assert!(store.campaign_results(&c.id).await.unwrap().is_none());
}
on_both_backends!(a_change_whose_audit_entry_fails_leaves_nothing_behind);

async fn the_demo_makes_the_whole_loop_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    crate::maps::tagged_campaign(&app).await;
    luister::actions::demo(&app.store, &app.campaign, None).await.unwrap();
    luister::actions::demo(&app.store, &app.campaign, None).await.unwrap();
    let c = &app.campaign;
    let actions = app.store.actions(&ActionFilter::default()).await.unwrap();
    assert_eq!(actions.len(), 3, "idempotent");
    let today = time::OffsetDateTime::now_utc().date();
    let status = |s: &str| actions.iter().filter(|a| a.fields.status.as_str() == s).count();
    assert_eq!((status("done"), status("in_progress"), status("open")), (1, 1, 1));
    assert!(actions.iter().any(|a| a.fields.status.as_str() == "open" && a.is_overdue(today)));
    assert!(actions.iter().all(|a| a.published));
    assert_eq!(app.store.organisations(&c.id).await.unwrap().len(), 2);
    assert_eq!(app.store.assumptions(&c.id).await.unwrap().len(), 1);
    assert!(!app.store.assumption_links(&c.id).await.unwrap().is_empty());
    assert_eq!(app.store.conclusions(&c.id).await.unwrap().len(), 1);
    let results = luister::actions::results::published(&app.store, c).await.unwrap();
    assert!(!results.summary.is_empty() && results.actions.len() == 3);
}
on_both_backends!(the_demo_makes_the_whole_loop_once);
