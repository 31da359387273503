//! What the map pages offer besides the numbers: the download block of a frozen and of a
//! published map (each viewer gets links to the export route they may use, and they work), the
//! live map's CSV tables safe against formulas, and a published map that counts only the tests
//! it shows.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::maps::{tag, tagged_campaign, theme};
use crate::on_both_backends;
use luister::domain::Role;
use luister::domain::theme::{TagSource, TagState};
use reqwest::StatusCode;

/// The links of the page's download block, with HTML escapes read back.
fn download_links(page: &str) -> Vec<String> {
    let start = page.find("id=\"map-download\"").expect("the page has a download block");
    let block = &page[start..start + page[start..].find("</section>").unwrap()];
    block.split("href=\"").skip(1).map(|s| crate::helpers::unescape(&s[..s.find('"').unwrap()])).collect()
}

/// Freezes the live map of the tagged campaign as the signed-in facilitator; returns its page.
async fn freeze(app: &TestApp) -> String {
    let resp = app
        .post_form(
            "/manage/campaigns/eigen-netwerk/map/freeze",
            &[("q", ""), ("by", "perspective"), ("title", "Kaart met downloads")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    resp.headers()["location"].to_str().unwrap().to_string()
}

/// Follows every link: 200, the type the link promises, a file to save.
async fn follow_all(app: &TestApp, links: &[String]) {
    for link in links {
        let resp = app.get(link).await;
        assert_eq!(resp.status(), StatusCode::OK, "{link}");
        let mime = resp.headers()["content-type"].to_str().unwrap().to_string();
        let expected = if link.contains("format=xlsx") { luister::http::export::XLSX } else { "text/csv" };
        assert!(mime.starts_with(expected), "{link}: {mime}");
        assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert!(!resp.bytes().await.unwrap().is_empty(), "{link}");
    }
}

async fn frozen_and_published_maps_link_to_the_downloads_their_viewer_may_use(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let frozen = freeze(&app).await;
    let id = frozen.rsplit('/').next().unwrap().to_string();
    let page = app.get(&frozen).await.text().await.unwrap();
    assert!(page.contains(">Downloaden</h2>"), "in the page's language");
    let links = download_links(&page);
    let export = format!("{frozen}/export");
    assert!(links.contains(&format!("{export}?format=xlsx")), "{links:?}");
    for table in ["themes", "groups"] {
        assert!(links.contains(&format!("{export}?format=csv&table={table}")), "{table}: {links:?}");
    }
    assert!(links.len() > 3, "the charts' tables too: {links:?}");
    assert!(links.iter().all(|l| l.starts_with(&export)), "only the facilitators' export: {links:?}");
    follow_all(&app, &links).await;

    assert_eq!(app.post_form(&format!("{frozen}/publish"), &[]).await.status(), StatusCode::SEE_OTHER);
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let page = steering.get(&format!("/published/{id}")).await.text().await.unwrap();
    let links = download_links(&page);
    let published = format!("/published/{id}/export");
    assert!(links.contains(&format!("{published}?format=xlsx")), "{links:?}");
    assert!(links.contains(&format!("{published}?format=csv&table=themes")), "{links:?}");
    assert!(links.iter().all(|l| l.starts_with(&published)), "only the published export: {links:?}");
    assert!(!page.contains("/manage/campaigns/eigen-netwerk/maps/"), "no link into the facilitators' pages");
    follow_all(&steering, &links).await;
    let themes = steering.get(&format!("{published}?format=csv&table=themes")).await.text().await.unwrap();
    assert!(themes.contains("<5"), "the disclosed table: {themes}");
}
on_both_backends!(frozen_and_published_maps_link_to_the_downloads_their_viewer_may_use);

async fn live_map_csv_neutralises_a_theme_that_starts_with_a_formula(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (youth, _, _) = tagged_campaign(&app).await;
    let evil = theme(&app, "=HYPERLINK(\"http://x\",\"klik\")").await;
    let tags: Vec<_> =
        youth[..6].iter().map(|s| tag(s, &evil.id, TagSource::Manual, TagState::Accepted)).collect();
    app.store.set_tags(&tags).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get("/manage/campaigns/eigen-netwerk/map/table/themes.csv").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.text().await.unwrap();
    let labels: Vec<String> =
        csv::Reader::from_reader(body.as_bytes()).records().map(|r| r.unwrap()[0].to_string()).collect();
    assert!(labels.contains(&"'=HYPERLINK(\"http://x\",\"klik\")".to_string()), "{labels:?}");
    assert!(labels.contains(&"Wachtlijst".to_string()), "other labels stay as they are: {labels:?}");
    assert!(labels.iter().all(|l| !l.starts_with('=')), "no cell starts a formula: {labels:?}");
}
on_both_backends!(live_map_csv_neutralises_a_theme_that_starts_with_a_formula);

async fn a_published_map_counts_only_the_tests_it_shows_and_says_how_many_were_withheld(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let frozen = freeze(&app).await;
    let id = frozen.rsplit('/').next().unwrap().to_string();
    app.post_form(&format!("{frozen}/publish"), &[]).await;
    let map = app.store.frozen_map(&id).await.unwrap();
    let open = luister::maps::frozen::show(&app.store, map.clone(), false).await.unwrap().view;
    let shown = luister::maps::frozen::show(&app.store, map, true).await.unwrap().view;
    // The tests a reader of each page can see: a theme's test line and a chart's test lines.
    let visible = |v: &luister::maps::view::MapView| {
        v.themes.iter().filter(|t| !t.test.is_empty()).count()
            + v.charts.iter().map(|c| c.tests.len()).sum::<usize>()
    };
    let (all, seen) = (visible(&open), visible(&shown));
    assert!(seen < all, "the 3 parents' cell withholds the Wachtlijst test: {seen} of {all}");
    let withheld = all - seen;

    let facilitator = app.get(&frozen).await.text().await.unwrap();
    assert!(facilitator.contains(&format!("Deze kaart toont {all} toetsen.")), "the full map counts all");
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let page = steering.get(&format!("/published/{id}")).await.text().await.unwrap();
    let note = format!(
        "Deze kaart toont {seen} toetsen; {withheld} van de {all} toetsen zijn niet getoond omdat ze kleine groepen zouden verraden."
    );
    assert!(page.contains(&note), "{note}\n{page}");
    assert!(
        !page.contains(&format!("Deze kaart toont {all} toetsen")),
        "withheld tests are not counted as shown"
    );
}
on_both_backends!(a_published_map_counts_only_the_tests_it_shows_and_says_how_many_were_withheld);
