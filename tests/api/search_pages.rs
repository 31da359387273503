//! The search page, the JSON search API and saved story sets, as facilitators and the steering
//! group use them.

use crate::helpers::{Backend, TestApp, spawn_app, system_audit};
use crate::on_both_backends;
use luister::domain::{CampaignDef, Role};
use luister::transfer::import::load_demo;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The demo corpus plus a second campaign with a story nobody else may read.
async fn corpus(app: &TestApp) -> String {
    load_demo(app.store.clone(), 200).await.unwrap();
    let mut other = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    other.slug = "ander".into();
    let (c, _) = app.store.save_campaign(&other, &system_audit()).await.unwrap();
    let body = serde_json::json!({
        "text": "Een geheim verhaal over de wachtlijst bij de zwemvereniging Dolfijn, alleen voor de andere campagne.",
        "perspective": "parent", "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "boos" }
    });
    let resp = app.client.post(app.url("/api/v1/campaigns/ander/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let started = Instant::now();
    loop {
        let n = app
            .search
            .live()
            .map(|l| luister::search::exec::run(&l, &Default::default()).map(|r| r.total).unwrap_or(0));
        if n == Some(201) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "index did not catch up: {n:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.id
}

async fn facilitators_search_their_own_campaigns_with_facets_snippets_and_paging(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    corpus(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get("/search?q=wachtlijst").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(html.contains("<mark>"), "snippets mark the query words");
    assert!(html.contains("Perspectief") && html.contains("Leeftijd"), "facets shown");
    assert!(!html.contains("Dolfijn"), "another campaign's story never shows");
    assert!(html.contains("/manage/campaigns/eigen-netwerk/stories/"), "hits link to the story page");
    assert!(
        html.contains("href=\"/search?q=wachtlijst&amp;f=perspective%3Ayouth\"")
            || html.contains("f=perspective%3A"),
        "facet links keep the query"
    );

    // Filters and sorting live in the URL, so back/forward and sharing work.
    let html = app.get("/search?q=wachtlijst&f=perspective%3Aparent&sort=newest").await.text().await.unwrap();
    assert!(html.contains("Perspectief: ouder"), "active filter shown in words");
    let all = app.get("/search").await.text().await.unwrap();
    assert!(all.contains("200 verhalen"), "the empty search counts every readable story");
    assert!(all.contains("aria-current=\"page\""), "paging");

    // The date and range fields of the form become filters in a canonical URL.
    let resp = app.get("/search?q=school&from=2025-06-01&r_path=regie&r_op=ge&r_value=0%2C7").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, "/search?q=school&f=regie%3E%3D0.7&f=date%3E%3D2025-06-01");
    assert_eq!(app.get(&to).await.status(), StatusCode::OK);
}
on_both_backends!(facilitators_search_their_own_campaigns_with_facets_snippets_and_paging);

#[tokio::test]
async fn a_malformed_query_gets_a_message_that_points_where_never_a_500() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    corpus(&app).await;
    app.sign_in_as(Role::Admin, &[]).await;
    for bad in ["wachtlijst \"niet gehoord", "(school", "regie>veel", "kleur:rood", "a OR"] {
        let resp = app.get(&format!("/search?q={}", urlencode(bad))).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("class=\"query-pointer\""), "{bad}");
        assert!(html.contains("De zoekvraag klopt nog niet"));
    }
    let resp = app.get("/api/v1/search?q=%22open").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["at"], 0);
    assert!(body["message"].as_str().unwrap().contains("niet wordt afgesloten"));
}

/// How many stories the API finds for a query.
async fn total(app: &TestApp, q: &str) -> u64 {
    let resp = app.get(&format!("/api/v1/search?q={}&per_page=1", urlencode(q))).await;
    assert_eq!(resp.status(), StatusCode::OK, "{q}");
    let body: serde_json::Value = resp.json().await.unwrap();
    body["total"].as_u64().unwrap()
}

async fn a_stop_word_typed_without_quotes_never_empties_the_search(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    corpus(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    for (with_stop, word) in [
        ("niet gehoord", "gehoord"),
        ("de wachtlijst", "wachtlijst"),
        ("geen plek", "plek"),
        ("niet meer leven", "leven"),
    ] {
        let (n, of) = (total(&app, with_stop).await, total(&app, word).await);
        assert!(n > 0 && n <= of, "'{with_stop}' finds {n} of the {of} stories with '{word}'");
    }
    // Only stop words: the words themselves, literally.
    let niet = total(&app, "niet").await;
    assert!(niet > 0 && niet < total(&app, "").await, "{niet}");
    // In quotes they still count, as the phrase index holds them.
    assert!(total(&app, "\"niet gehoord\"").await <= total(&app, "niet gehoord").await);
}
on_both_backends!(a_stop_word_typed_without_quotes_never_empties_the_search);

async fn filters_take_the_names_the_page_shows_and_unknown_names_say_which_exist(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    corpus(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let youth = total(&app, "perspective:youth").await;
    assert!(youth > 0);
    assert_eq!(total(&app, "perspectief:jongere").await, youth);
    let stad = total(&app, "region:JZ22").await;
    assert!(stad > 0, "the demo has stories from Utrecht Stad");
    assert_eq!(total(&app, "regio:\"Utrecht Stad\"").await, stad);
    let utrecht = total(&app, "region:Utrecht").await;
    let three = stad + total(&app, "region:JZ19").await + total(&app, "region:JZ23").await;
    assert_eq!(utrecht, three, "Utrecht: every region with Utrecht in its name");

    let themes = app.store.themes(Some(&app.campaign.id)).await.unwrap();
    let netwerk = themes.iter().find(|t| t.name == "Informeel netwerk").expect("demo theme");
    let by_id = total(&app, &format!("theme:{}", netwerk.id)).await;
    assert!(by_id > 0, "the demo has accepted tags");
    assert_eq!(total(&app, "theme:\"Informeel netwerk\"").await, by_id);
    assert_eq!(total(&app, "thema:\"informeel netwerk\"").await, by_id);

    let resp = app.get("/api/v1/search?q=perspectief%3Atiener").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("jongere, ouder, professional"), "{body}");
    let resp = app.get(&format!("/search?q={}", urlencode("thema:Onbekend"))).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Er is geen thema") && html.contains("Informeel netwerk"), "{html}");
}
on_both_backends!(filters_take_the_names_the_page_shows_and_unknown_names_say_which_exist);

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

async fn the_search_api_answers_signed_in_people_and_is_in_the_openapi_document(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    corpus(&app).await;
    assert_eq!(app.get("/api/v1/search?q=wachtlijst").await.status(), StatusCode::UNAUTHORIZED);
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get("/api/v1/search?q=wachtlijst&f=perspective%3Ayouth&sort=newest&per_page=5").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: serde_json::Value = resp.json().await.unwrap();
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(hits.iter().all(|h| h["perspective"] == "youth" && h["campaign"] == "eigen-netwerk"));
    assert!(hits[0]["snippet"].as_array().unwrap().iter().any(|s| s["hit"] == true));
    let dates: Vec<&str> = hits.iter().map(|h| h["created_at"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(body["facets"]["perspective"].as_array().unwrap().iter().all(|v| v["value"] == "youth"));

    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let search = &doc["paths"]["/api/v1/search"]["get"];
    let params: Vec<&str> =
        search["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for p in ["q", "f", "sort", "page", "per_page"] {
        assert!(params.contains(&p), "{p} documented");
    }
    assert!(doc["components"]["schemas"]["ApiResults"].is_object());
}
on_both_backends!(the_search_api_answers_signed_in_people_and_is_in_the_openapi_document);

async fn saved_story_sets_can_be_frozen_listed_renamed_and_deleted(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let other_campaign = corpus(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let query = format!("q=wachtlijst&f=campaign%3A{}", app.campaign.id);
    let resp = app
        .post_form("/search/save", &[("name", "  Wachtlijsten  "), ("query", &query), ("freeze", "1")])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set_url = resp.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&set_url).await.text().await.unwrap();
    assert!(html.contains("<h1>Wachtlijsten</h1>"));
    assert!(html.contains("vastgezet:"));
    let id = set_url.trim_start_matches("/sets/").to_string();
    let set = app.store.story_set(&id).await.unwrap();
    let frozen = set.story_ids.clone().unwrap();
    let live = luister::search::exec::run(
        &app.search.live().unwrap(),
        &luister::search::SearchRequest { q: "wachtlijst".into(), limit: 1, ..Default::default() },
    )
    .unwrap();
    assert_eq!(frozen.len(), live.total - 1, "all matches of the campaign, not the other campaign's one");
    assert_eq!(set.campaign_id.as_deref(), Some(app.campaign.id.as_str()));

    let resp = app.post_form("/search/save", &[("name", "Alles over school"), ("query", "q=school")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(
        app.post_form("/search/save", &[("name", " "), ("query", "q=x")])
            .await
            .text()
            .await
            .unwrap()
            .contains("Geef de verzameling een naam")
    );
    let list = app.get("/sets").await.text().await.unwrap();
    assert!(
        list.contains("Wachtlijsten")
            && list.contains("Alles over school")
            && list.contains("werkt steeds bij")
    );

    let resp = app.post_form(&format!("{set_url}/rename"), &[("name", "Wachtlijsten 2026")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store.story_set(&id).await.unwrap().name, "Wachtlijsten 2026");

    // Another campaign's facilitator cannot see it; a colleague in the same campaign can.
    let other = TestApp::second_browser(&app);
    other.sign_in_as(Role::Facilitator, &[&other_campaign]).await;
    assert_eq!(other.get(&set_url).await.status(), StatusCode::NOT_FOUND);
    let colleague = TestApp::second_browser(&app);
    colleague.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    assert_eq!(colleague.get(&set_url).await.status(), StatusCode::OK);

    let resp = app.post_form(&format!("{set_url}/delete"), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(app.store.story_set(&id).await.is_err());
}
on_both_backends!(saved_story_sets_can_be_frozen_listed_renamed_and_deleted);
