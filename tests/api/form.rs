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

/// The preview, then the confirmation: the stored story.
async fn tell(app: &crate::helpers::TestApp, form: &[(&str, &str)]) -> luister::domain::Story {
    let resp = app.post_form("/c/eigen-netwerk/preview", form).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let fields = hidden_fields(&resp.text().await.unwrap());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let html = app.post_form("/c/eigen-netwerk/submit", &pairs).await.text().await.unwrap();
    let code = receipt_code(&html).expect("receipt code on the page");
    app.store.story_by_receipt(&ReceiptCode::parse(&code).unwrap().hash()).await.unwrap()
}

fn without(form: Vec<(&'static str, &'static str)>, names: &[&str]) -> Vec<(&'static str, &'static str)> {
    form.into_iter().filter(|(k, _)| !names.contains(k)).collect()
}

async fn an_untouched_dyad_is_no_answer_without_javascript_and_the_scale_starts_there(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let html = app.get("/c/eigen-netwerk").await.text().await.unwrap();
    // Without JavaScript the dyad is a scale of radio buttons with "geen antwoord" chosen.
    assert!(html.contains("name=\"a.regie\" value=\"\" id=\"f-answers-regie-none\" checked"), "{html}");
    assert!(!html.contains("name=\"a.regie\" value=\"50\" id=\"f-answers-regie-50\" checked"));
    // The slider the script puts in its place has no name until it is moved.
    let slider = html.split("type=\"range\"").nth(1).unwrap().split('>').next().unwrap();
    assert!(!slider.contains(" name="), "{slider}");
    // "Geen antwoord" sends an empty value: nothing is stored for the question.
    let mut form = without(good_form(), &["a.regie"]);
    form.push(("a.regie", ""));
    let story = tell(&app, &form).await;
    assert!(!story.answers.contains_key("regie"), "{:?}", story.answers);
    // A slider that sent nothing at all is no answer either.
    let story = tell(&app, &without(good_form(), &["a.regie"])).await;
    assert!(!story.answers.contains_key("regie"));
    // A step of the scale is an answer.
    let mut form = without(good_form(), &["a.regie"]);
    form.push(("a.regie", "75"));
    assert_eq!(tell(&app, &form).await.answers["regie"], Answer::Dyad(0.75));
}
on_both_backends!(an_untouched_dyad_is_no_answer_without_javascript_and_the_scale_starts_there);

async fn back_from_the_preview_keeps_an_unanswered_dyad_unanswered_and_an_answer_chosen(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut form = without(good_form(), &["a.regie", "a.steun", "skip.steun"]);
    form.push(("a.regie", "73"));
    let preview = app.post_form("/c/eigen-netwerk/preview", &form).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let html = app.post_form("/c/eigen-netwerk/edit", &pairs).await.text().await.unwrap();
    // 73 (from a slider) is no step of the scale: it is offered as its own step, chosen.
    assert!(html.contains("value=\"73\" id=\"f-answers-regie-73\" checked"), "{html}");
    assert!(html.contains("id=\"f-answers-regie-none\">"), "geen antwoord not chosen");
    assert!(html.contains("value=\"73\" aria-label="), "the slider starts where it was");
    // The other dyad was not answered and stays so.
    assert!(html.contains("id=\"f-answers-steun-none\" checked"));
}
on_both_backends!(back_from_the_preview_keeps_an_unanswered_dyad_unanswered_and_an_answer_chosen);

async fn a_triad_with_empty_corners_counts_them_as_zero_and_a_bad_number_says_so(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut form = without(good_form(), &["a.wat_hielp.0", "a.wat_hielp.1", "a.wat_hielp.2"]);
    form.extend([("a.wat_hielp.0", "70"), ("a.wat_hielp.1", ""), ("a.wat_hielp.2", "30")]);
    assert_eq!(tell(&app, &form).await.answers["wat_hielp"], Answer::Triad([0.7, 0.0, 0.3]));
    // All three empty: no answer, never "'' is geen getal".
    let mut form = without(good_form(), &["a.wat_hielp.0", "a.wat_hielp.1", "a.wat_hielp.2"]);
    form.extend([("a.wat_hielp.0", ""), ("a.wat_hielp.1", " "), ("a.wat_hielp.2", "")]);
    assert!(!tell(&app, &form).await.answers.contains_key("wat_hielp"));
    let mut form = without(good_form(), &["a.wat_hielp.1"]);
    form.push(("a.wat_hielp.1", "tien"));
    let html = app.post_form("/c/eigen-netwerk/preview", &form).await.text().await.unwrap();
    assert!(html.contains("&#39;tien&#39; is geen getal. Vul een getal van 0 tot 100 in."), "{html}");
    assert!(!html.contains("&#39;&#39; is geen getal"));
}
on_both_backends!(a_triad_with_empty_corners_counts_them_as_zero_and_a_bad_number_says_so);

#[tokio::test]
async fn a_dyad_answer_says_towards_which_pole_and_the_preview_says_each_sentence_once() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut form = without(good_form(), &["a.regie"]);
    form.push(("a.regie", "80"));
    let html = app.post_form("/c/eigen-netwerk/preview", &form).await.text().await.unwrap();
    assert!(html.contains("80% richting ik besliste zelf"), "{html}");
    assert!(!html.contains('◀'));
    let mut form = without(good_form(), &["a.regie"]);
    form.push(("a.regie", "20"));
    let html = app.post_form("/c/eigen-netwerk/preview", &form).await.text().await.unwrap();
    assert!(html.contains("80% richting anderen beslisten over mij"));
    // Two replacements: the count is said once, not again in the sentence after it.
    assert_eq!(html.matches("persoonlijke gegevens vervangen").count(), 1, "{html}");
}

#[tokio::test]
async fn the_error_summary_follows_the_page_order_and_inline_errors_are_tied_to_their_inputs() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let fields = [("lang", "nl"), ("text", "kort"), ("a.wat_hielp.0", "veel")];
    let html = app.post_form("/c/eigen-netwerk/preview", &fields).await.text().await.unwrap();
    let summary = html.split("id=\"error-summary\"").nth(1).unwrap().split("</ul>").next().unwrap();
    let targets: Vec<&str> =
        summary.split("href=\"#").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(
        targets,
        ["f-prompt", "f-text", "f-perspective", "f-answers-wat_hielp", "f-answers-gevoel", "f-consent"]
    );
    for tied in [
        "id=\"f-text\" name=\"text\" rows=\"12\" aria-describedby=\"text-hint text-error\" aria-invalid=\"true\"",
        "id=\"f-perspective\" aria-invalid=\"true\" aria-describedby=\"perspective-error\"",
        "id=\"f-prompt\" aria-invalid=\"true\" aria-describedby=\"prompt-error\"",
        "aria-describedby=\"triad-hint-wat_hielp sig-wat_hielp-error\" aria-invalid=\"true\"",
        "id=\"f-answers-gevoel\" aria-invalid=\"true\" aria-describedby=\"sig-gevoel-error\"",
        "aria-describedby=\"consent-text consent-error\" aria-invalid=\"true\"",
    ] {
        assert!(html.contains(tied), "not tied: {tied}");
    }
    for id in
        ["perspective-error", "prompt-error", "sig-wat_hielp-error", "sig-gevoel-error", "consent-error"]
    {
        assert!(html.contains(&format!("id=\"{id}\"")), "no element {id}");
    }
}

async fn form_and_receipt_say_who_keeps_the_story_how_long_and_how_to_reach_them(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let html = app.get("/c/eigen-netwerk").await.text().await.unwrap();
    let about = html.split("id=\"about-title\"").nth(1).expect("about section on the form");
    assert!(
        html.find("id=\"about-title\"").unwrap() < html.find("class=\"button primary\"").unwrap(),
        "told before sending"
    );
    for needle in [
        "Ondersteuningsteam Zorg voor de Jeugd (OZJ) verzamelt de verhalen",
        "We bewaren je verhaal 3 jaar.",
        "href=\"mailto:privacy@ozj-leefwereldtoets.nl\"",
        "href=\"https://www.ozj-leefwereldtoets.nl/privacy\"",
        "Autoriteit Persoonsgegevens",
    ] {
        assert!(about.contains(needle), "form lacks {needle}");
    }
    let en = app.get("/c/eigen-netwerk?lang=en").await.text().await.unwrap();
    assert!(en.contains("We keep your story for 3 years."));
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await.text().await.unwrap();
    let fields = hidden_fields(&preview);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let receipt = app.post_form("/c/eigen-netwerk/submit", &pairs).await.text().await.unwrap();
    assert!(receipt.contains("We bewaren je verhaal 3 jaar."));
    assert!(receipt.contains("href=\"mailto:privacy@ozj-leefwereldtoets.nl\""));
}
on_both_backends!(form_and_receipt_say_who_keeps_the_story_how_long_and_how_to_reach_them);

async fn under_16_a_parent_or_guardian_must_agree_too_and_what_was_typed_is_kept(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let html = app.get("/c/eigen-netwerk").await.text().await.unwrap();
    // Without JavaScript the block shows with the bands it is for.
    assert!(html.contains("data-consent-bands=\"u12 12-15\" data-basis=\"guardian\""));
    assert!(html.contains("Als je leeftijd jonger dan 12, 12 – 15 is"));
    assert!(html.contains("name=\"consent_guardian\" value=\"yes\" id=\"f-consent_guardian\""));
    let mut form = without(good_form(), &["age_band"]);
    form.push(("age_band", "12-15"));
    let resp = app.post_form("/c/eigen-netwerk/preview", &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("href=\"#f-consent_guardian\""), "{html}");
    assert!(html.contains("Bij jouw leeftijd moet ook je ouder of verzorger het goed vinden."));
    assert!(html.contains("Bel haar gerust op 06-12345678.</textarea>"), "typed text kept");
    assert!(html.contains("value=\"12-15\" id=\"f-age_band-12-15\" checked"));
    form.push(("consent_guardian", "yes"));
    let story = tell(&app, &form).await;
    assert_eq!(story.age_band.map(|a| a.code()), Some("12-15"));
    // 16 and older consent themselves; the guardian box is not needed.
    let story = tell(&app, &good_form()).await;
    assert_eq!(story.age_band.map(|a| a.code()), Some("16-17"));
}
on_both_backends!(under_16_a_parent_or_guardian_must_agree_too_and_what_was_typed_is_kept);
