//! The story form as a storyteller uses it: write, preview, confirm, receipt.

use crate::helpers::{Backend, good_form, hidden_fields, receipt_code, spawn_app};
use crate::on_both_backends;
use luister::domain::{Answer, CampaignDef, CampaignStatus, ReceiptCode};
use reqwest::StatusCode;

async fn form_shows_prompt_signifiers_and_consent_in_dutch_and_english(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app.get("/c/eigen-netwerk").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert!(resp.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    for needle in [
        "Wat maakte in dit verhaal het meeste verschil?",
        "name=\"a.wat_hielp.0\"",
        "type=\"range\"",
        "name=\"a.wie_hielp\"",
        "type=\"checkbox\" name=\"consent\"",
        "Friesland (Fryslân)",
        "Stap 1 van 3",
    ] {
        assert!(html.contains(needle), "form lacks {needle}");
    }
    assert!(!html.contains("<script>"), "no inline script");
    let en = app.get("/c/eigen-netwerk?lang=en").await.text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("What made the most difference in this story?"));
}
on_both_backends!(form_shows_prompt_signifiers_and_consent_in_dutch_and_english);

async fn preview_shows_the_scrubbed_text_with_replacements_marked(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app.post_form("/c/eigen-netwerk/preview", &good_form()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Stap 2 van 3"));
    assert!(html.contains("<mark class=\"pii\">[telefoon]</mark>"), "{html}");
    assert!(html.contains("<mark class=\"pii\">[naam]</mark>"));
    assert!(!html.contains("12345678</"), "the number is not shown as stored text");
    // The raw text travels in a hidden field so "back" keeps it; nothing is stored yet.
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
    let hidden = hidden_fields(&html);
    assert!(hidden.iter().any(|(k, v)| k == "text" && v.contains("06-12345678")));
    assert!(hidden.iter().any(|(k, _)| k == "token"));
}
on_both_backends!(preview_shows_the_scrubbed_text_with_replacements_marked);

async fn confirming_the_preview_stores_the_scrubbed_story_and_shows_a_receipt_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = app.post_form("/c/eigen-netwerk/submit", &pairs).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    let code = receipt_code(&html).expect("receipt code on the page");
    let parsed = ReceiptCode::parse(&code).unwrap();
    let story = app.store.story_by_receipt(&parsed.hash()).await.unwrap();
    assert!(story.text.contains("[telefoon]"));
    assert!(!story.text.contains("12345678"));
    assert!(!story.text.contains("Fatima"));
    assert_eq!(story.title.as_deref(), Some("Hulp van de buren"));
    assert_eq!(story.region.as_deref(), Some("JZ01"));
    assert_eq!(story.answers["wat_hielp"], Answer::Triad([0.6, 0.1, 0.3]));
    assert_eq!(story.answers["regie"], Answer::Dyad(0.7));
    assert_eq!(story.answers["steun"], Answer::Skipped);
    assert_eq!(story.answers["wie_hielp"], Answer::Multi(vec!["familie".into(), "buurt".into()]));
    assert_eq!(story.language, "nl");
    // Posting the same confirmation again (reload, double click) does not store it twice,
    // and does not show a new code.
    let again = app.post_form("/c/eigen-netwerk/submit", &pairs).await.text().await.unwrap();
    assert!(receipt_code(&again).is_none());
    assert!(again.contains("al bewaard"));
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 1);
    let events = app.store.events_after(0, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].story_id, story.id);
}
on_both_backends!(confirming_the_preview_stores_the_scrubbed_story_and_shows_a_receipt_once);

async fn invalid_form_returns_422_with_errors_per_field_and_keeps_what_was_typed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let fields = vec![
        ("lang", "nl"),
        ("text", "Te kort <b>echt</b>"),
        ("title", "Mijn titel"),
        ("a.wat_hielp.0", "veel"),
        ("a.wie_hielp", "school"),
    ];
    let resp = app.post_form("/c/eigen-netwerk/preview", &fields).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"error-summary\""));
    assert!(html.contains("href=\"#f-text\""));
    assert!(html.contains("Je verhaal is nog te kort (19 tekens). Schrijf minstens 20 tekens."));
    assert!(html.contains("href=\"#f-prompt\""), "prompt choice required with two prompts");
    assert!(html.contains("href=\"#f-perspective\""));
    assert!(html.contains("href=\"#f-answers-gevoel\""), "required choice");
    assert!(html.contains("&#39;veel&#39; is geen getal"), "{html}");
    assert!(html.contains("href=\"#f-consent\""));
    // What was typed comes back, escaped.
    assert!(html.contains("Te kort &#60;b&#62;echt&#60;/b&#62;</textarea>"), "typed text escaped");
    assert!(html.contains("value=\"Mijn titel\""));
    assert!(html.contains("value=\"veel\""));
    assert!(html.contains("value=\"school\" id=\"f-answers-wie_hielp-school\" checked"), "{html}");
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
    // The same in English.
    let mut en = fields.clone();
    en[0] = ("lang", "en");
    let html = app.post_form("/c/eigen-netwerk/preview", &en).await.text().await.unwrap();
    assert!(html.contains("Your story is too short (19 characters). Write at least 20 characters."));
}
on_both_backends!(invalid_form_returns_422_with_errors_per_field_and_keeps_what_was_typed);

async fn switching_language_keeps_what_was_typed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app
        .post_form(
            "/c/eigen-netwerk/edit?lang=en",
            &[("lang", "nl"), ("text", "Half geschreven verhaal"), ("perspective", "parent")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Half geschreven verhaal</textarea>"));
    assert!(html.contains("value=\"parent\" id=\"f-perspective-parent\" checked"));
}
on_both_backends!(switching_language_keeps_what_was_typed);

async fn back_from_the_preview_returns_the_form_filled_in(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let html = app.post_form("/c/eigen-netwerk/edit", &pairs).await.text().await.unwrap();
    assert!(html.contains("Bel haar gerust op 06-12345678.</textarea>"), "raw text back for editing");
    assert!(html.contains("name=\"a.wat_hielp.0\" id=\"f-answers-wat_hielp\" value=\"60\""));
    assert!(html.contains("id=\"skip-steun\" checked"));
    assert!(html.contains("value=\"yes\" id=\"f-consent\" aria-describedby=\"consent-text\" checked"));
}
on_both_backends!(back_from_the_preview_returns_the_form_filled_in);

async fn unknown_draft_and_closed_campaigns_get_a_page_that_says_so(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let resp = app.get("/c/bestaat-niet").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.text().await.unwrap().contains("Deze pagina bestaat niet"));

    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = "concept".into();
    def.status = CampaignStatus::Draft;
    app.store.save_campaign(&def, &crate::helpers::system_audit()).await.unwrap();
    // A draft does not exist for the public yet: the same page as an unknown campaign.
    let resp = app.get("/c/concept").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.text().await.unwrap().contains("Deze pagina bestaat niet"));
    let resp = app.post_form("/c/concept/submit", &good_form()).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);

    def.slug = "gesloten".into();
    def.status = CampaignStatus::Closed;
    app.store.save_campaign(&def, &crate::helpers::system_audit()).await.unwrap();
    let html = app.get("/c/gesloten?lang=en").await.text().await.unwrap();
    assert!(html.contains("This questionnaire is closed"));
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}
on_both_backends!(unknown_draft_and_closed_campaigns_get_a_page_that_says_so);

#[tokio::test]
async fn oversized_request_body_gets_413_with_a_page_that_says_what_to_do() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let big = "a".repeat(600 * 1024);
    let resp = app.post_form("/c/eigen-netwerk/preview", &[("lang", "nl"), ("text", &big)]).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.text().await.unwrap().contains("maak je verhaal korter"));
}

#[tokio::test]
async fn story_over_the_campaign_limit_is_refused_with_the_limit_named() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let long = "woord ".repeat(4_000);
    let resp = app.post_form("/c/eigen-netwerk/preview", &[("lang", "nl"), ("text", &long)]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("korter dan 20000 tekens"));
}

#[tokio::test]
async fn home_page_lists_open_campaigns_and_health_check_answers() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("href=\"/c/eigen-netwerk?lang=nl\""));
    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], "sqlite");
    let css = app.get("/static/app.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}
