//! Reading and withdrawing a story with its receipt code, through the pages.

use crate::helpers::{Backend, TestApp, good_form, hidden_fields, receipt_code, spawn_app};
use crate::on_both_backends;
use luister::domain::StoryEventKind;
use reqwest::StatusCode;

async fn tell_story(app: &TestApp) -> String {
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let html = app.post_form("/c/eigen-netwerk/submit", &pairs).await.text().await.unwrap();
    receipt_code(&html).unwrap()
}

async fn receipt_code_reads_the_story_and_withdrawing_deletes_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let code = tell_story(&app).await;
    // People type codes in lower case, with spaces.
    let typed = code.to_lowercase().replace('-', " ");
    let resp = app.post_form("/receipt", &[("code", typed.as_str()), ("lang", "nl")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(html.contains("Jouw verhaal"));
    assert!(html.contains("[telefoon]"));
    assert!(html.contains("Hulp van de buren"));
    assert!(html.contains("Groningen"), "region shown by name");
    assert!(html.contains("opgelucht"));

    let resp = app.post_form("/receipt/withdraw", &[("code", code.as_str()), ("lang", "nl")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("Je verhaal is verwijderd"));
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
    let events = app.store.events_after(0, 10).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [StoryEventKind::Upsert, StoryEventKind::Delete]
    );

    let resp = app.post_form("/receipt", &[("code", code.as_str())]).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.text().await.unwrap().contains("We vinden geen verhaal met deze code"));
}
on_both_backends!(receipt_code_reads_the_story_and_withdrawing_deletes_it);

#[tokio::test]
async fn mistyped_receipt_codes_say_what_is_wrong_and_keep_the_input() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.post_form("/receipt", &[("code", "ABCD-EFGH"), ("lang", "nl")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Je code heeft 8 letters. Een bewijscode heeft er 20."));
    assert!(html.contains("value=\"ABCD-EFGH\""));
    let html = app
        .post_form("/receipt", &[("code", "ABCD-EFGH-0000-QRST-UVWX"), ("lang", "en")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("We do not use O, I, L, 0 or 1"));
    let html = app.post_form("/receipt", &[("code", ""), ("lang", "nl")]).await.text().await.unwrap();
    assert!(html.contains("Vul je bewijscode in."));
}

#[tokio::test]
async fn receipt_page_never_puts_the_code_in_a_url() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let html = app.get("/receipt").await.text().await.unwrap();
    assert!(html.contains("<form method=\"post\" action=\"/receipt\""));
}

async fn withdrawing_asks_first_and_nothing_is_removed_until_confirmed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let code = tell_story(&app).await;
    let story =
        app.post_form("/receipt", &[("code", code.as_str()), ("lang", "nl")]).await.text().await.unwrap();
    // The story page's button asks; it does not remove.
    let button = story.split("id=\"withdraw-title\"").nth(1).unwrap();
    assert!(button.contains("action=\"/receipt\"") && button.contains("name=\"step\" value=\"withdraw\""));
    let resp =
        app.post_form("/receipt", &[("code", code.as_str()), ("lang", "nl"), ("step", "withdraw")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let ask = resp.text().await.unwrap();
    assert!(ask.contains("Wil je je verhaal echt verwijderen?"));
    assert!(ask.contains("id=\"withdraw-confirm\""));
    assert!(ask.contains("id=\"withdraw-cancel\""), "a way back");
    assert!(ask.contains("[telefoon]"), "the story is still shown");
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 1, "nothing removed yet");
    let confirm = ask.split("action=\"/receipt/withdraw\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(confirm.contains(&format!("name=\"code\" value=\"{code}\"")));
    // The receipt page says who keeps the story too.
    assert!(ask.contains("We bewaren je verhaal 3 jaar."));
    let resp = app.post_form("/receipt/withdraw", &[("code", code.as_str()), ("lang", "nl")]).await;
    assert!(resp.text().await.unwrap().contains("Je verhaal is verwijderd"));
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}
on_both_backends!(withdrawing_asks_first_and_nothing_is_removed_until_confirmed);
