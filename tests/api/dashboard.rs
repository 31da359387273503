//! The steering dashboard: figures over time per group and region, theme trends with tested
//! changes, the JSON view, and disclosure control (no count below k, small groups left out,
//! filters that only select).

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use luister::domain::story::StorySource;
use luister::domain::theme::{Tag, TagSource, TagState, Theme};
use luister::domain::{NewStory, Perspective, Role};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::macros::datetime;

fn story(app: &TestApp, n: usize, perspective: Perspective, region: &str, at: OffsetDateTime) -> NewStory {
    NewStory {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: app.campaign.id.clone(),
        external_id: Some(format!("dash-{n}")),
        title: None,
        text: format!("Een verhaal over hulp en school, nummer {n}."),
        language: "nl".into(),
        perspective,
        age_band: None,
        region: Some(region.into()),
        municipality: None,
        prompt_id: Some("zelf-geregeld".into()),
        answers: BTreeMap::new(),
        receipt_hash: None,
        submission_key: None,
        source: StorySource::Import,
        form_version: 1,
        created_at: at,
        safeguarding: Vec::new(),
    }
}

/// January, February and March 2025: 30 youth stories a month (the theme on 5, 12 and 22 of
/// them), 25 parent stories a month (the theme on 2 in February only), 3 "other" stories in all,
/// and 2 stories from a region with no others; 20 January youth stories are from a second
/// region, which must join the small one in the pool (else its 2 would be the total minus the rest).
async fn campaign(app: &TestApp) -> Theme {
    let months =
        [datetime!(2025-01-15 12:00 UTC), datetime!(2025-02-15 12:00 UTC), datetime!(2025-03-15 12:00 UTC)];
    let mut stories = Vec::new();
    let mut themed = Vec::new();
    for (m, at) in months.iter().enumerate() {
        for i in 0..30 {
            if i < [5, 12, 22][m] {
                themed.push(stories.len());
            }
            let region = if m == 0 && i < 20 { "JZ02" } else { "JZ01" };
            stories.push(story(app, stories.len(), Perspective::Youth, region, *at));
        }
        for i in 0..25 {
            if m == 1 && i < 2 {
                themed.push(stories.len());
            }
            stories.push(story(app, stories.len(), Perspective::Parent, "JZ01", *at));
        }
    }
    for _ in 0..3 {
        stories.push(story(app, stories.len(), Perspective::Other, "JZ01", months[0]));
    }
    for _ in 0..2 {
        stories.push(story(app, stories.len(), Perspective::Youth, "JZ05", months[2]));
    }
    let ids = app.store.import_stories(&stories).await.unwrap().ids;
    let now = OffsetDateTime::now_utc();
    let t = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(app.campaign.id.clone()),
        name: "Wachtlijst".into(),
        description: String::new(),
        colour: "#2e6b30".into(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    app.store.create_theme(&t).await.unwrap();
    let tags: Vec<Tag> = themed
        .iter()
        .map(|&i| Tag {
            story_id: ids[i].clone(),
            theme_id: t.id.clone(),
            source: TagSource::Manual,
            state: TagState::Accepted,
            confidence: None,
            explanation: None,
            by_user: None,
            at: now,
        })
        .collect();
    app.store.set_tags(&tags).await.unwrap();
    t
}

/// Every number anywhere in the JSON under a key named `count`, or in a cell list.
fn counts(v: &Value, out: &mut Vec<i64>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "count"
                    && let Some(n) = x.as_i64()
                {
                    out.push(n);
                }
                counts(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| counts(x, out)),
        _ => {}
    }
}

async fn dashboard_json_hides_small_counts_and_marks_a_real_change(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    campaign(&app).await;
    let anonymous = app.get("/api/v1/dashboard").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Two actions of one party, one published: the steering group counts only that one.
    let (system, now) = (luister::domain::Actor::system, OffsetDateTime::now_utc());
    let org = luister::actions::save_organisation(
        &app.store,
        &app.campaign,
        None,
        "municipality",
        "Gemeente Oss",
        system(),
        now,
    )
    .await
    .unwrap();
    for (title, publish) in [("Uitleg in gewone taal", true), ("Nog geheim", false)] {
        let form = luister::domain::action::ActionForm {
            title: title.into(),
            organisation_id: org.id.clone(),
            ..Default::default()
        };
        let a = luister::actions::create(&app.store, &app.campaign, &form, system(), now).await.unwrap();
        if publish {
            luister::actions::set_published(&app.store, &app.campaign, &a.id, true, system(), now)
                .await
                .unwrap();
        }
    }
    app.sign_in_as(Role::Steering, &[]).await;
    let resp = app.get("/api/v1/dashboard?campaign=eigen-netwerk").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let json: Value = resp.json().await.unwrap();
    let d = &json["dashboard"];
    assert_eq!(d["period"], "month");
    let parties = json["actions"].as_array().unwrap();
    assert_eq!(parties[0]["party"], "Gemeente Oss");
    assert_eq!(parties[0]["open"], 1, "only the published action: {parties:?}");
    // The "other" group (3 stories) is left out of everything, totals included.
    assert_eq!(d["groups"].as_array().unwrap().len(), 2);
    assert_eq!(d["stories"], 167);
    let mut all = Vec::new();
    counts(&json, &mut all);
    assert!(!all.is_empty());
    assert!(all.iter().all(|&n| n == 0 || n >= 5), "no count from 1 to 4 anywhere: {all:?}");
    // Parents' 2 of 25 in February is hidden (null), never shown as 2.
    let trend = &d["themes"][0];
    assert_eq!(trend["theme"], "Wachtlijst");
    let feb_parents = &trend["cells"][1][1];
    assert!(feb_parents["count"]["count"].is_null() && feb_parents["share"].is_null(), "{feb_parents}");
    assert_eq!(feb_parents["count"]["hidden"], "small");
    // Youths: 5 of 30 in January to 12 of 30 in February to 22 of 30 in March.
    let changes = trend["changes"].as_array().unwrap();
    let march = changes.iter().find(|c| c["group"] == 0 && c["bin"] == 2).expect("March tested");
    assert_eq!(march["likely_real"], true, "{march}");
    assert!(march["q"].as_f64().unwrap() < 0.05);
    // The region with 2 stories is pooled, not named.
    let regions: Vec<&str> =
        d["regions"]["rows"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    let name = |code| luister::domain::region::region(code).unwrap().name.as_str();
    assert_eq!(regions, [name("JZ01"), "Other and unknown regions"]);

    // A filter only selects: the youth column is the same numbers as in the full view.
    let youth: Value =
        app.get("/api/v1/dashboard?campaign=eigen-netwerk&group=youth").await.json().await.unwrap();
    assert_eq!(youth["dashboard"]["over_time"]["cells"][0][0], d["over_time"]["cells"][0][0]);
    assert_eq!(youth["dashboard"]["over_time"]["total"], d["over_time"]["total"]);
    // The steering group cannot switch to weeks.
    let weeks: Value =
        app.get("/api/v1/dashboard?campaign=eigen-netwerk&period=week").await.json().await.unwrap();
    assert_eq!(weeks["period"], "month");
    let bad = app.get("/api/v1/dashboard?from=maart").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("yyyy-mm"));
}
on_both_backends!(dashboard_json_hides_small_counts_and_marks_a_real_change);

async fn dashboard_page_shows_the_figures_and_keeps_a_bad_filter(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    campaign(&app).await;
    app.sign_in_as(Role::Steering, &[]).await;
    let page = app.get("/dashboard").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for needle in [
        "Verhalen door de tijd",
        "Per jeugdregio",
        "Wachtlijst",
        "<svg",
        "waarschijnlijk geen toeval",
        "&lt;5",
    ] {
        assert!(html.contains(needle), "page lacks {needle:?}");
    }
    assert!(!html.contains("Een verhaal over"), "no story text on the dashboard");
    let bad = app.get("/dashboard?from=maart&group=youth").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.unwrap();
    assert!(html.contains("jjjj-mm"), "says how to write a month");
    assert!(html.contains(r#"value="maart""#), "keeps what was typed");
    // Facilitators see it too, and may use weeks.
    let fac = TestApp::second_browser(&app);
    fac.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let html = fac.get("/dashboard?period=week").await.text().await.unwrap();
    assert!(html.contains("-W"), "week labels");
}
on_both_backends!(dashboard_page_shows_the_figures_and_keeps_a_bad_filter);
