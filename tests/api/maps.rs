//! Perspective maps as facilitators and the steering group use them: `luister map --json` on a
//! campaign with tagged stories (accepted tags from a person or a rule count, open model
//! suggestions do not; a withdrawn story is gone), disclosure control, the comparison axis.

use crate::helpers::{Backend, TestApp, good_form, receipt_code, spawn_app};
use crate::on_both_backends;
use luister::domain::story::StorySource;
use luister::domain::theme::{Tag, TagSource, TagState, Theme};
use luister::domain::{Actor, AgeBand, Answer, AuditAction, AuditEntry, NewStory, Perspective, Role};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn new_story(app: &TestApp, n: i64, perspective: Perspective, age: AgeBand, text: &str) -> NewStory {
    let mut answers = BTreeMap::new();
    answers.insert("gevoel".to_string(), Answer::Single("blij".into()));
    NewStory {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: app.campaign.id.clone(),
        external_id: Some(format!("map-{n}")),
        title: None,
        text: format!("{text} (verhaal {n})"),
        language: "nl".into(),
        perspective,
        age_band: Some(age),
        region: None,
        municipality: None,
        prompt_id: Some("zelf-geregeld".into()),
        answers,
        receipt_hash: None,
        submission_key: None,
        source: StorySource::Import,
        form_version: 1,
        created_at: OffsetDateTime::from_unix_timestamp(1_750_000_000 + n).unwrap(),
        safeguarding: Vec::new(),
    }
}

pub async fn theme(app: &TestApp, name: &str) -> Theme {
    let now = OffsetDateTime::now_utc();
    let t = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(app.campaign.id.clone()),
        name: name.into(),
        description: String::new(),
        colour: "#2e6b30".into(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    app.store.create_theme(&t).await.unwrap();
    t
}

pub fn tag(story: &str, theme: &str, source: TagSource, state: TagState) -> Tag {
    Tag {
        story_id: story.into(),
        theme_id: theme.into(),
        source,
        state,
        confidence: (source == TagSource::Model).then_some(0.9),
        explanation: None,
        by_user: None,
        at: OffsetDateTime::now_utc(),
    }
}

/// 24 youth stories (18-22) and 22 parent stories (30-49); "Wachtlijst" accepted on 12 youth
/// stories by a person and on 3 parent stories by a rule; a model suggests it on 8 more youth
/// stories (which must not count). Returns (story ids youth, story ids parents, theme).
pub async fn tagged_campaign(app: &TestApp) -> (Vec<String>, Vec<String>, Theme) {
    let mut stories = Vec::new();
    for n in 0..24 {
        stories.push(new_story(
            app,
            n,
            Perspective::Youth,
            AgeBand::From18To22,
            "Ik stond maanden op de wachtlijst",
        ));
    }
    for n in 24..46 {
        stories.push(new_story(
            app,
            n,
            Perspective::Parent,
            AgeBand::From30To49,
            "Mijn zoon kreeg hulp van de buurvrouw",
        ));
    }
    let ids = app.store.import_stories(&stories).await.unwrap().ids;
    let (youth, parents) = (ids[..24].to_vec(), ids[24..].to_vec());
    let t = theme(app, "Wachtlijst").await;
    let mut tags = Vec::new();
    for id in &youth[..12] {
        tags.push(tag(id, &t.id, TagSource::Manual, TagState::Accepted));
    }
    for id in &youth[12..20] {
        tags.push(tag(id, &t.id, TagSource::Model, TagState::Suggested));
    }
    for id in &parents[..3] {
        tags.push(tag(id, &t.id, TagSource::Rule, TagState::Accepted));
    }
    app.store.set_tags(&tags).await.unwrap();
    (youth, parents, t)
}

/// Runs `luister map` on the app's database and parses its JSON.
fn map_json(app: &TestApp, extra: &[&str]) -> Value {
    let url = app.store_url();
    let data = app.dir.path().to_str().unwrap().to_string();
    let mut args =
        vec!["--database-url", &url, "--data-dir", &data, "map", "--campaign", "eigen-netwerk", "--json"];
    args.extend_from_slice(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_luister")).args(&args).output().unwrap();
    assert!(out.status.success(), "luister map failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("map JSON")
}

fn group<'a>(map: &'a Value, key: &str) -> &'a Value {
    map["map"]["groups"].as_array().unwrap().iter().find(|g| g["key"] == key).unwrap()
}

fn cell<'a>(map: &'a Value, theme: &str, group: &str) -> &'a Value {
    let row =
        map["map"]["themes"].as_array().unwrap().iter().find(|t| t["label"] == theme).expect("theme row");
    row["cells"].as_array().unwrap().iter().find(|c| c["group"] == group).expect("cell")
}

async fn map_cli_counts_accepted_tags_and_drops_withdrawn_stories(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, _parents, _t) = tagged_campaign(&app).await;

    let map = map_json(&app, &[]);
    assert_eq!(map["header"]["by"], "perspective");
    assert_eq!(map["map"]["stories"], 46);
    assert_eq!(group(&map, "youth")["count"], 24);
    assert_eq!(group(&map, "parent")["count"], 22);
    // 12 youth stories tagged by a person and 3 parent stories by a rule; suggestions do not count.
    assert_eq!(cell(&map, "Wachtlijst", "youth")["count"], 12);
    assert_eq!(cell(&map, "Wachtlijst", "parent")["count"], 3);
    assert_eq!(group(&map, "youth")["without_theme"], 12);
    let row = map["map"]["themes"].as_array().unwrap().iter().find(|t| t["label"] == "Wachtlijst").unwrap();
    let test = &row["test"];
    assert!(test["p"].as_f64().unwrap() < 0.05, "12/24 against 3/22 differs: {test}");
    assert!(test["q"].as_f64().is_some() && test["effect"]["value"].as_f64().unwrap() > 0.0);

    // The teller of a tagged youth story withdraws it: it is gone from the map.
    let audit =
        AuditEntry::new(Actor::system(), AuditAction::StoryWithdrawn).target(format!("story:{}", youth[0]));
    app.store.delete_story(&youth[0], &audit).await.unwrap();
    let map = map_json(&app, &[]);
    assert_eq!(group(&map, "youth")["count"], 23);
    assert_eq!(cell(&map, "Wachtlijst", "youth")["count"], 11);
    let quoted: Vec<String> = map["map"]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["cells"].as_array().unwrap().iter())
        .flat_map(|c| c["quotes"].as_array().unwrap().iter())
        .map(|q| q["story_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!quoted.is_empty(), "cells have quotes");
    assert!(!quoted.contains(&youth[0]), "a withdrawn story is never quoted");
}
on_both_backends!(map_cli_counts_accepted_tags_and_drops_withdrawn_stories);

async fn map_cli_with_disclosure_hides_small_cells_and_compares_by_age_band(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;

    let open = map_json(&app, &["--by", "age_band"]);
    assert_eq!(open["header"]["by"], "age_band");
    assert_eq!(group(&open, "18-22")["count"], 24);
    assert_eq!(cell(&open, "Wachtlijst", "30-49")["count"], 3);

    let steering = map_json(&app, &["--by", "age_band", "--disclosure"]);
    let small = cell(&steering, "Wachtlijst", "30-49");
    assert!(small["count"].is_null(), "3 stories is below k = 5: {small}");
    assert_eq!(small["shown"], "<5");
    assert!(small["share"].is_null() && small["quotes"].as_array().unwrap().is_empty());
    assert!(small["words"].as_array().unwrap().is_empty());
    assert_eq!(steering["map"]["disclosure"]["k"], 5);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_luister"))
        .args([
            "--database-url",
            &app.store_url(),
            "map",
            "--campaign",
            "eigen-netwerk",
            "--by",
            "regie",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a slider cannot split stories into groups");
    assert!(String::from_utf8_lossy(&out.stderr).contains("regie"));
}
on_both_backends!(map_cli_with_disclosure_hides_small_cells_and_compares_by_age_band);

async fn map_page_shows_the_numbers_and_refuses_like_other_manage_pages(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_youth, _parents, t) = tagged_campaign(&app).await;
    let base = "/manage/campaigns/eigen-netwerk/map";

    // Steering and a facilitator of another campaign get what they get for a campaign that
    // does not exist.
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let other = TestApp::second_browser(&app);
    other.sign_in_as(Role::Facilitator, &[]).await;
    for who in [&steering, &other] {
        let real = who.get(base).await.status();
        let none = who.get("/manage/campaigns/bestaat-niet/map").await.status();
        assert_eq!(real, none, "the map of a campaign one may not see answers as a missing one");
        assert!(real == StatusCode::NOT_FOUND || real == StatusCode::FORBIDDEN, "{real}");
        let csv = who.get(&format!("{base}/table/themes.csv")).await.status();
        assert!(csv == StatusCode::NOT_FOUND || csv == StatusCode::FORBIDDEN, "{csv}");
    }

    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get(base).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"<dd id="map-stories">46</dd>"#), "46 stories on the map");
    assert!(html.contains("Wachtlijst"));
    assert!(html.contains(">12</a> (50%)"), "12 of 24 youth stories, linked");
    // The FDR and independence notes, each once.
    assert_eq!(html.matches("false discovery rate").count(), 1, "the FDR note once");
    assert_eq!(html.matches("als onafhankelijke verhalen").count(), 1, "the independence note once");
    assert!(html.contains("Deze kaart toont 1 toetsen"));
    assert!(html.contains("<details>"), "the numbers behind the sentence");
    assert!(html.contains("<svg"), "charts are drawn");
    // Every cell links to the search page with that filter.
    let href = format!("f=theme%3A{}", t.id);
    assert!(html.contains(&href), "cell link to the stories behind it");

    let by_age = app.get(&format!("{base}?by=age_band")).await.text().await.unwrap();
    assert!(by_age.contains("Vertellers van 18 – 22"));
    let bad = app.get(&format!("{base}?by=regie")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let csv = app.get(&format!("{base}/table/themes.csv")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = csv.text().await.unwrap();
    assert!(body.starts_with("thema,groep,verhalen"), "{body}");
    assert!(body.contains("Wachtlijst,Jongeren,12,50%"), "{body}");
    let svg = app.get(&format!("{base}/chart/themes.svg")).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert!(svg.text().await.unwrap().contains("<title"));
}
on_both_backends!(map_page_shows_the_numbers_and_refuses_like_other_manage_pages);

/// Issue 10 item 8: for the steering account, `wachtlijst` and `wachtlijst -jeugdzorg` counted
/// per age band could be subtracted to reveal what `wachtlijst jeugdzorg` hides. The steering
/// role has no free-text search at all, so neither count is given.
async fn steering_cannot_subtract_two_free_text_searches(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    for q in ["wachtlijst", "wachtlijst -jeugdzorg", "wachtlijst jeugdzorg"] {
        let path =
            format!("/search?{}", serde_urlencoded::to_string([("q", q), ("f", "age:18-22")]).unwrap());
        let resp = steering.get(&path).await;
        assert!(
            matches!(resp.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "steering search '{q}' answered {}",
            resp.status()
        );
        let body = resp.text().await.unwrap();
        assert!(!body.contains("verhalen gevonden") && !body.contains("24"), "no count for '{q}'");
    }
}
on_both_backends!(steering_cannot_subtract_two_free_text_searches);

async fn frozen_map_renders_from_its_snapshot_and_withdrawal_wins(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, _parents, _t) = tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app
        .post_form(
            "/manage/campaigns/eigen-netwerk/map/freeze",
            &[("q", ""), ("by", "perspective"), ("title", "Sessie 1")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let frozen = resp.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&frozen).await.text().await.unwrap();
    assert!(html.contains("Sessie 1") && html.contains(r#"<dd id="map-stories">46</dd>"#));
    assert!(html.contains("geen verhaal ingetrokken"));
    let quoted: Vec<&String> =
        youth.iter().filter(|id| html.contains(&format!("data-story=\"{id}\""))).collect();
    assert!(!quoted.is_empty(), "the frozen map lists and quotes youth stories");
    let gone = quoted[0].clone();

    // Live data moves on; the frozen numbers stay, the withdrawn story disappears.
    let audit = AuditEntry::new(Actor::system(), AuditAction::StoryWithdrawn).target(format!("story:{gone}"));
    app.store.delete_story(&gone, &audit).await.unwrap();
    let html = app.get(&frozen).await.text().await.unwrap();
    assert!(html.contains(r#"<dd id="map-stories">46</dd>"#), "numbers as frozen");
    assert!(html.contains("is 1 verhaal ingetrokken"), "the page says how many were withdrawn");
    assert!(!html.contains(&gone), "a withdrawn story is gone from quotes and story lists");

    // Publish; the steering group sees it with small cells hidden.
    let publish = format!("{frozen}/publish");
    assert_eq!(app.post_form(&publish, &[]).await.status(), StatusCode::SEE_OTHER);
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let list = steering.get("/published").await.text().await.unwrap();
    assert!(list.contains("Sessie 1"));
    let id = frozen.rsplit('/').next().unwrap();
    let page = steering.get(&format!("/published/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;5"), "3 parent stories are shown as <5");
    assert!(!html.contains("/search?"), "no search links for the steering group");
    let audit = app.store.audit_entries(&Default::default()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "map_frozen"));
    assert!(audit.iter().any(|a| a.action == "map_published"));
}
on_both_backends!(frozen_map_renders_from_its_snapshot_and_withdrawal_wins);

/// Waits until the search index holds `n` stories.
async fn indexed(app: &TestApp, n: usize) {
    let started = std::time::Instant::now();
    loop {
        let total = app
            .search
            .live()
            .map(|l| luister::search::exec::run(&l, &Default::default()).map(|r| r.total).unwrap_or(0));
        if total == Some(n) {
            return;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "index: {total:?} of {n}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The dots drawn in the chart `id` of a map page, and the answers its data table gives per
/// group (label → count).
fn chart_dots(html: &str, id: &str) -> (usize, Vec<(String, String)>) {
    let start = html.find(&format!("id=\"chart-{id}\"")).expect("chart on the page");
    let figure = &html[start..start + html[start..].find("</figure>").unwrap()];
    let svg = &figure[..figure.find("</svg>").unwrap()];
    let dots = svg
        .split("<g class=\"dots\"")
        .skip(1)
        .map(|g| {
            let g = &g[..g.find("</g>").unwrap()];
            ["<circle", "<rect", "<polygon", "<path"].iter().map(|m| g.matches(m).count()).sum::<usize>()
        })
        .sum();
    let table = &figure[figure.find("<tbody>").unwrap()..];
    let rows = table
        .split("<tr>")
        .skip(1)
        .map(|r| {
            let cells: Vec<&str> = r.split("<td>").skip(1).map(|c| &c[..c.find("</td>").unwrap()]).collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect();
    (dots, rows)
}

/// Issue 10 item 7: withdrawal wins over freezing in the charts too. Two youth stories with a
/// triad answer come in through the form; after freezing, the teller of one withdraws it with
/// the receipt code, and the frozen ternary plot draws one dot fewer.
async fn a_frozen_chart_is_drawn_without_a_story_withdrawn_since(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;
    let mut codes = Vec::new();
    for _ in 0..2 {
        let resp = app.post_form("/c/eigen-netwerk/submit", &good_form()).await;
        codes.push(receipt_code(&resp.text().await.unwrap()).expect("receipt"));
    }
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app
        .post_form(
            "/manage/campaigns/eigen-netwerk/map/freeze",
            &[("q", ""), ("by", "perspective"), ("title", "Voor het intrekken")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let frozen = resp.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&frozen).await.text().await.unwrap();
    let (dots, rows) = chart_dots(&html, "signifier-wat_hielp");
    assert_eq!(dots, 2, "two triad answers, two dots");
    assert!(rows.contains(&("Jongeren".to_string(), "2".to_string())), "{rows:?}");

    let resp = app.post_form("/receipt/withdraw", &[("code", &codes[0]), ("lang", "nl")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = app.get(&frozen).await.text().await.unwrap();
    let (dots, rows) = chart_dots(&html, "signifier-wat_hielp");
    assert_eq!(dots, 1, "the withdrawn story's dot is gone");
    assert!(rows.contains(&("Jongeren".to_string(), "1".to_string())), "{rows:?}");
    assert!(html.contains("is 1 verhaal ingetrokken"));
    assert!(html.contains(r#"<dd id="map-stories">48</dd>"#), "the numbers stay those of the freeze");
}
on_both_backends!(a_frozen_chart_is_drawn_without_a_story_withdrawn_since);

/// Issue 10 item 2 (left-overs): a filter that does not parse or an axis that does not exist
/// gives the map page with the error in the page's language and what was typed kept, also for
/// a download link and for freezing; `?lang=en` gives the page in English.
async fn a_bad_filter_gives_the_map_page_with_the_error_in_its_language(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk/map";
    indexed(&app, 46).await;

    let typed = "wachtlijst AND (";
    let url = |extra: &str| {
        format!(
            "{base}?{}{extra}",
            serde_urlencoded::to_string([("q", typed), ("by", "perspective")]).unwrap()
        )
    };
    let resp = app.get(&url("")).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("het filter is niet te lezen"), "Dutch error");
    assert!(html.contains(r#"value="wachtlijst AND (""#), "the filter as typed stays in the form");

    let html = app.get(&url("&lang=en")).await.text().await.unwrap();
    assert!(html.contains("The filter cannot be read"), "English error");
    assert!(html.contains(r#"value="wachtlijst AND (""#));
    assert!(html.contains("Compare by") && !html.contains("Vergelijk op"));

    let resp = app.get(&format!("{base}?by=regie&lang=en")).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Cannot compare by &#39;regie&#39;") || html.contains("Cannot compare by 'regie'"),
        "{html}"
    );
    assert!(html.contains(r#"<option value="regie" selected>"#), "the axis as typed is kept");

    let csv = app.get(&format!("{base}/table/themes.csv?q=wachtlijst+AND+%28")).await;
    assert_eq!(csv.status(), StatusCode::BAD_REQUEST);
    assert!(csv.text().await.unwrap().contains("het filter is niet te lezen"), "a page, not plain text");
    let freeze = app
        .post_form(&format!("{base}/freeze"), &[("q", typed), ("by", "perspective"), ("lang", "en")])
        .await;
    assert_eq!(freeze.status(), StatusCode::BAD_REQUEST);
    assert!(freeze.text().await.unwrap().contains("The filter cannot be read"));

    // The whole page in English: labels, groups, notes and sentences.
    let html = app.get(&format!("{base}?lang=en")).await.text().await.unwrap();
    for english in [
        "Stories on the map",
        "Young people",
        "Themes per group",
        "This map shows 1 tests",
        "The numbers",
        "Table as CSV",
        "Freeze the map",
        "Main menu",
        ">Campaigns</a>",
        "Log out",
    ] {
        assert!(html.contains(english), "'{english}' on the English page");
    }
    for dutch in [
        "Verhalen op de kaart",
        "Jongeren",
        "Thema's per groep",
        "De getallen",
        "Tabel als CSV",
        "Kaart bevriezen",
        "Onderscheidende woorden",
        "Hoofdmenu",
        "Uitloggen",
    ] {
        assert!(!html.contains(dutch), "'{dutch}' on the English page");
    }
}
on_both_backends!(a_bad_filter_gives_the_map_page_with_the_error_in_its_language);

/// Issue 10 item 12: the second request for an unchanged map is served from the cache; a tag
/// change (a story event) gives a new map.
async fn an_unchanged_map_is_served_from_the_cache_and_a_tag_change_is_seen(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, _parents, t) = tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk/map";
    let cache = |r: &reqwest::Response| r.headers()["x-luister-map-cache"].to_str().unwrap().to_string();
    let first = app.get(base).await;
    assert_eq!(cache(&first), "miss");
    assert!(first.text().await.unwrap().contains(">12</a> (50%)"));
    let csv = app.get(&format!("{base}/table/themes.csv")).await;
    assert_eq!(cache(&csv), "hit", "the download is served from the cached map");
    assert!(csv.text().await.unwrap().contains("Wachtlijst,Jongeren,12,50%"));
    let english = app.get(&format!("{base}?lang=en")).await;
    assert_eq!(cache(&english), "miss", "another language is another map");

    app.store.set_tags(&[tag(&youth[20], &t.id, TagSource::Manual, TagState::Accepted)]).await.unwrap();
    let after = app.get(base).await;
    assert_eq!(cache(&after), "miss", "a tag change is a story event: a new key");
    assert!(after.text().await.unwrap().contains(">13</a> (54%)"), "a new tag is seen");
    assert_eq!(cache(&app.get(base).await), "hit");
}
on_both_backends!(an_unchanged_map_is_served_from_the_cache_and_a_tag_change_is_seen);

/// Issue 10 item 13: `serve --demo` publishes one map of the demo campaign, once across
/// restarts, with several themes tested between the groups (not an empty map).
async fn the_demo_publishes_one_map_with_tested_themes_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (campaign, _) = luister::transfer::import::load_demo(app.store.clone(), 1_500).await.unwrap();
    let now = OffsetDateTime::now_utc();
    let first = luister::maps::demo::demo(&app.store, &campaign, 20, 5, now).await.unwrap().expect("a map");
    assert!(first.published_at.is_some(), "published to the steering group");
    let again = luister::maps::demo::demo(&app.store, &campaign, 20, 5, now).await.unwrap().unwrap();
    assert_eq!(again.id, first.id, "a restart finds the same map");
    assert_eq!(app.store.frozen_maps(&campaign.id).await.unwrap().len(), 1);
    assert_eq!(app.store.published_maps().await.unwrap().len(), 1);
    let shown = luister::maps::frozen::show(&app.store, first, true).await.unwrap();
    let tested: Vec<&str> =
        shown.view.themes.iter().filter(|t| !t.q.is_empty()).map(|t| t.label.as_str()).collect();
    eprintln!(
        "demo map: {} stories, groups {:?}, tested themes {tested:?}, cells {:?}",
        shown.view.stories,
        shown.view.groups.iter().map(|g| (&g.label, &g.count)).collect::<Vec<_>>(),
        shown
            .view
            .themes
            .iter()
            .map(|t| (&t.label, t.cells.iter().map(|c| c.shown.clone()).collect::<Vec<_>>(), &t.not_tested))
            .collect::<Vec<_>>()
    );
    // One demo story in ten comes coded; on the coded stories of three perspectives, two
    // themes have no small cell for the steering group (Wachtlijsten, Informeel netwerk).
    assert!(tested.len() >= 2, "themes are tested on the published demo map: {tested:?}");
    assert_eq!(shown.view.filter, "coded");
}
on_both_backends!(the_demo_publishes_one_map_with_tested_themes_once);
