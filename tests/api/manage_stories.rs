//! Reading stories, deleting them, following up safeguarding signals, downloading exports, and
//! the steering overview, as facilitators and the steering group use them in the browser.

use crate::helpers::{Backend, TestApp, spawn_app, system_audit};
use crate::on_both_backends;
use luister::domain::audit::AuditFilter;
use luister::domain::story::StorySource;
use luister::domain::{AuditAction, Campaign, CampaignDef, Role, StoryEventKind};
use luister::transfer::import::import_jsonl;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Cursor;

const FLAGGED_TEXT: &str =
    "Thuis is het al maanden onrustig. Soms wil ik gewoon niet meer leven. Mijn mentor weet het niet.";

/// A story line for the importer (which validates and scrubs like the form). `minute` orders
/// the stories: a higher minute is newer.
fn line(campaign: &str, title: &str, text: &str, perspective: &str, minute: u32) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "campaign": campaign,
        "title": title,
        "text": text,
        "perspective": perspective,
        "age_band": "16-17",
        "region": "JZ01",
        "prompt": "zelf-geregeld",
        "created_at": format!("2025-03-01T{:02}:{:02}:00Z", 10 + minute / 60, minute % 60),
        "answers": { "gevoel": "opgelucht" },
    })
}

/// Stores the lines; returns their ids in the same order.
async fn add(app: &TestApp, lines: &[Value]) -> Vec<String> {
    let jsonl: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let report =
        import_jsonl(app.store.clone(), Cursor::new(jsonl), StorySource::Import, |_, _| {}).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    lines.iter().map(|l| l["id"].as_str().unwrap().to_string()).collect()
}

/// A second campaign, to check that nothing leaks between campaigns.
async fn other_campaign(app: &TestApp) -> Campaign {
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = "tweede-toets".into();
    app.store.save_campaign(&def, &system_audit()).await.unwrap().0
}

fn story_url(slug: &str, id: &str) -> String {
    format!("/manage/campaigns/{slug}/stories/{id}")
}

async fn html(app: &TestApp, path: &str) -> (StatusCode, String) {
    let resp = app.get(path).await;
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

async fn story_list_is_newest_first_paged_and_filtered_by_perspective(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut lines: Vec<Value> = (1..=30)
        .map(|i| {
            line(
                "eigen-netwerk",
                &format!("Jongerenverhaal {i:02}"),
                "Mijn oom hielp me met een bijbaan zoeken.",
                "youth",
                i,
            )
        })
        .collect();
    lines.extend((31..=33).map(|i| {
        line(
            "eigen-netwerk",
            &format!("Oudersverhaal {i:02}"),
            "Onze buren pasten op toen ik moest werken.",
            "parent",
            i,
        )
    }));
    lines.push(json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign": "eigen-netwerk", "text": FLAGGED_TEXT, "perspective": "youth", "prompt": "wat-nodig",
        "created_at": "2025-02-01T09:00:00Z", "answers": { "gevoel": "verdrietig" },
    }));
    add(&app, &lines).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    let resp = app.get("/manage/campaigns/eigen-netwerk/stories").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let page1 = resp.text().await.unwrap();
    assert!(page1.contains("34 verhalen, nieuwste eerst. Je ziet 1 tot en met 25."), "{page1}");
    let pos = |html: &str, s: &str| html.find(s).unwrap_or_else(|| panic!("{s} not on the page"));
    assert!(pos(&page1, "Oudersverhaal 33") < pos(&page1, "Oudersverhaal 31"));
    assert!(pos(&page1, "Oudersverhaal 31") < pos(&page1, "Jongerenverhaal 30"));
    assert!(page1.contains("Jongerenverhaal 09") && !page1.contains("Jongerenverhaal 08"));
    let region = &luister::domain::region::region("JZ01").unwrap().name;
    assert!(page1.contains(region.as_str()), "region shown by name");
    assert!(page1.contains("16 – 17") && page1.contains(">ouder<"));
    assert!(page1.contains("href=\"/manage/campaigns/eigen-netwerk/stories?page=2\""));
    assert!(page1.contains("Vragen aandacht: 1 verhaal met veiligheidssignalen"), "open count shown");

    let (_, page2) = html(&app, "/manage/campaigns/eigen-netwerk/stories?page=2").await;
    assert!(page2.contains("Je ziet 26 tot en met 34."));
    assert!(page2.contains("Jongerenverhaal 08") && page2.contains("Jongerenverhaal 01"));
    assert!(!page2.contains("Jongerenverhaal 09"));
    // The untitled, flagged story is the oldest: its first words and a marker.
    assert!(page2.contains("Thuis is het al maanden onrustig."));
    assert!(page2.contains("class=\"signal-badge\""));
    assert!(!page1.contains("class=\"signal-badge\""));

    let (_, parents) = html(&app, "/manage/campaigns/eigen-netwerk/stories?perspective=parent").await;
    assert!(parents.contains("3 verhalen, nieuwste eerst."), "{parents}");
    assert!(parents.contains("Oudersverhaal 32") && !parents.contains("Jongerenverhaal"));
    assert!(parents.contains("<option value=\"parent\" selected>"), "the filter form keeps the choice");

    let (_, flagged) = html(&app, "/manage/campaigns/eigen-netwerk/stories?flagged=1").await;
    assert!(flagged.contains("1 verhaal, nieuwste eerst."), "{flagged}");

    let (status, past_end) =
        html(&app, "/manage/campaigns/eigen-netwerk/stories?page=99&perspective=youth").await;
    assert_eq!(status, StatusCode::OK);
    assert!(past_end.contains("Pagina 2 van 2"), "a page past the end shows the last one");
}
on_both_backends!(story_list_is_newest_first_paged_and_filtered_by_perspective);

async fn story_page_draws_the_triad_dot_at_the_weights_and_the_dyad_marker(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut story = line(
        "eigen-netwerk",
        "Hulp van de buren",
        "Mijn buurvrouw hielp me met huiswerk.\n\nBel haar gerust op 06-12345678 als je wilt.",
        "youth",
        1,
    );
    story["answers"] = json!({
        "wat_hielp": [0.6, 0.1, 0.3], "regie": 0.7, "steun": null, "gevoel": "opgelucht",
        "wie_hielp": ["buurt", "familie"], "hoe_vaak": "soms",
    });
    let id = add(&app, &[story]).await.remove(0);
    // The form loses a question after the story was told: the story keeps its answer.
    let mut def = app.campaign.def.clone();
    def.signifiers.retain(|s| s.id != "hoe_vaak");
    app.store.save_campaign(&def, &system_audit()).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    let resp = app.get(&story_url("eigen-netwerk", &id)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let page = resp.text().await.unwrap();
    // Paragraphs, with the scrubber's placeholder styled.
    assert!(
        page.contains("<p class=\"story-paragraph\">Mijn buurvrouw hielp me met huiswerk.</p>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"placeholder\">[telefoon]</span>"));
    // The triad: 0.6·(150,50) + 0.1·(30,245) + 0.3·(270,245) = (174, 128).
    assert!(page.contains("<circle class=\"dot\" cx=\"174\" cy=\"128\""), "{page}");
    assert!(page.contains(">het zelf doen</tspan>"), "corner labels drawn");
    assert!(page.contains("hulp van een professional: <strong>10%</strong>"), "weights as text");
    // The dyad: 0.7 of the way from x=12 to x=288.
    assert!(page.contains("<circle class=\"marker\" cx=\"205.2\" cy=\"15\""));
    assert!(page.contains("anderen beslisten over mij") && page.contains("ik besliste zelf"));
    // A skipped question, choices in words, a retired question with its old labels.
    assert!(page.contains("Hoe was de steun in dit verhaal?"));
    assert!(page.contains("niet van toepassing"));
    assert!(
        page.contains("buurt, sportclub of vereniging, ouders of familie")
            || page.contains("ouders of familie, buurt, sportclub of vereniging")
    );
    assert!(
        page.contains("Hoe vaak gebeurt zoiets?")
            && page.contains("(vraag staat niet meer in het formulier)")
    );
    assert!(page.contains(">soms<"));
    // Facts and history.
    assert!(page.contains("Ik ben een jongere") && page.contains("16 – 17") && page.contains("Nederlands"));
    assert!(page.contains("Vertel over een moment waarop het lukte"), "the prompt");
    assert!(page.contains("opgeslagen of bijgewerkt"));
    assert!(!page.contains(" style="), "no inline styles (CSP)");
}
on_both_backends!(story_page_draws_the_triad_dot_at_the_weights_and_the_dyad_marker);

async fn stories_of_other_campaigns_are_not_found_whatever_the_url_says(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let other = other_campaign(&app).await;
    let ours = add(
        &app,
        &[line("eigen-netwerk", "Van ons", "Mijn oom hielp me met een bijbaan zoeken.", "youth", 1)],
    )
    .await
    .remove(0);
    let theirs = add(&app, &[line("tweede-toets", "Van hen", FLAGGED_TEXT, "parent", 2)]).await.remove(0);
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    assert_eq!(app.get(&story_url("eigen-netwerk", &ours)).await.status(), StatusCode::OK);
    for path in [
        story_url("tweede-toets", &theirs),
        story_url("eigen-netwerk", &theirs),
        story_url("tweede-toets", &ours),
        story_url("eigen-netwerk", "bestaat-niet"),
        format!("{}/delete", story_url("eigen-netwerk", &theirs)),
        "/manage/campaigns/tweede-toets/stories".to_string(),
        "/manage/campaigns/tweede-toets/attention".to_string(),
        "/manage/campaigns/tweede-toets/export?format=csv".to_string(),
    ] {
        let (status, body) = html(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.contains("Van hen") && !body.contains("niet meer leven"), "{path} leaks the story");
    }
    let delete = format!("{}/delete", story_url("eigen-netwerk", &theirs));
    let resp = app.post_form(&delete, &[("reason", "not_a_story"), ("note", "")]).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let follow = format!("{}/follow-up", story_url("eigen-netwerk", &theirs));
    let resp = app.post_form(&follow, &[("action", "no_danger_on_reading"), ("note", "")]).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(app.store.story(&theirs).await.is_ok(), "still there");
    assert!(app.store.follow_ups(&theirs).await.unwrap().is_empty());
    assert_eq!(other.def.slug, "tweede-toets");
}
on_both_backends!(stories_of_other_campaigns_are_not_found_whatever_the_url_says);

async fn steering_gets_403_on_story_pages_but_sees_the_overview_with_small_cells_hidden(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut lines = Vec::new();
    for (perspective, n) in [("youth", 7), ("parent", 3), ("other", 5)] {
        for i in 0..n {
            lines.push(line(
                "eigen-netwerk",
                "Geheime titel",
                "Een verhaal dat de stuurgroep nooit mag lezen.",
                perspective,
                i,
            ));
        }
    }
    let ids = add(&app, &lines).await;
    app.sign_in_as(Role::Steering, &[&app.campaign.id]).await;

    for path in [
        "/manage/campaigns/eigen-netwerk/stories".to_string(),
        story_url("eigen-netwerk", &ids[0]),
        format!("{}/delete", story_url("eigen-netwerk", &ids[0])),
        "/manage/campaigns/eigen-netwerk/attention".to_string(),
        "/manage/campaigns/eigen-netwerk/export?format=jsonl".to_string(),
    ] {
        let (status, body) = html(&app, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(!body.contains("stuurgroep nooit"), "{path}");
    }
    let resp = app
        .post_form(
            &format!("{}/delete", story_url("eigen-netwerk", &ids[0])),
            &[("reason", "other"), ("note", "x")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(app.store.story(&ids[0]).await.is_ok());

    let resp = app.get("/overview").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let page = resp.text().await.unwrap();
    assert!(!page.contains("stuurgroep nooit") && !page.contains("Geheime titel"), "no story text");
    let cells: Vec<&str> =
        page.split("<td class=\"num\">").skip(1).map(|c| &c[..c.find('<').unwrap()]).collect();
    // youth 7, parent 3 (hidden), professional 0 (hidden too: an exact 0 beside a hidden cell
    // would say that one is at least 1), other 5; the total is only a range, so the hidden 3
    // cannot be recomputed from it.
    assert_eq!(cells, ["7", "minder dan 5", "minder dan 5", "5", "tussen 12 en 20"], "{page}");
    assert!(!page.contains(">15<"));
    assert!(
        !page.contains("href=\"/manage/campaigns/eigen-netwerk/stories\""),
        "no link to stories for steering"
    );
}
on_both_backends!(steering_gets_403_on_story_pages_but_sees_the_overview_with_small_cells_hidden);

async fn deleting_needs_a_reason_and_leaves_an_audit_entry_without_text_and_a_delete_event(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let text = "Op school van mijn zusje wist iedereen wie ik was, dat voelde niet veilig.";
    let id = add(&app, &[line("eigen-netwerk", "Te herkenbaar", text, "youth", 1)]).await.remove(0);
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let delete = format!("{}/delete", story_url("eigen-netwerk", &id));

    let (status, confirm) = html(&app, &delete).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("kan niet ongedaan worden gemaakt"));
    assert!(confirm.contains("name=\"_csrf\""));

    let resp = app.post_form(&delete, &[("note", "zomaar")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = resp.text().await.unwrap();
    assert!(again.contains("Kies waarom je dit verhaal verwijdert."));
    assert!(again.contains(">zomaar</textarea>"), "what was typed is kept");
    let resp = app.post_form(&delete, &[("reason", "other"), ("note", "  ")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "'anders' needs a note");
    assert!(app.store.story(&id).await.is_ok(), "not deleted yet");

    let resp = app.post_form(&delete, &[("reason", "identifiable"), ("note", "school te herkenbaar")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/manage/campaigns/eigen-netwerk/stories?deleted=1");
    assert!(app.store.story(&id).await.is_err(), "deleted");
    let events = app.store.story_events(&id).await.unwrap();
    assert_eq!(events.last().unwrap().kind, StoryEventKind::Delete);

    let filter = AuditFilter { action: Some(AuditAction::StoryDeleted), limit: 10, ..Default::default() };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.actor_id.as_deref(), Some(user.id.as_str()));
    assert_eq!(e.target.as_deref(), Some(format!("story:{id}").as_str()));
    assert_eq!(e.campaign_id.as_deref(), Some(app.campaign.id.as_str()));
    assert_eq!(e.details, json!({ "reason": "identifiable", "note": "school te herkenbaar" }));
    let logged = serde_json::to_string(&e.details).unwrap();
    assert!(!logged.contains("zusje") && !logged.contains("Te herkenbaar"), "no story text in the audit log");

    let (_, list) = html(&app, "/manage/campaigns/eigen-netwerk/stories?deleted=1").await;
    assert!(list.contains("Het verhaal is verwijderd."));
    assert_eq!(app.get(&story_url("eigen-netwerk", &id)).await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(deleting_needs_a_reason_and_leaves_an_audit_entry_without_text_and_a_delete_event);

async fn attention_list_highlights_the_phrase_and_a_follow_up_closes_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let ids = add(
        &app,
        &[
            line("eigen-netwerk", "Zwaar", FLAGGED_TEXT, "youth", 1),
            line("eigen-netwerk", "Gewoon", "Mijn oom hielp me met een bijbaan zoeken.", "youth", 2),
        ],
    )
    .await;
    let (flagged, calm) = (&ids[0], &ids[1]);
    let signals = app.store.story(flagged).await.unwrap().safeguarding;
    assert!(!signals.is_empty(), "the lexicon flags the story");
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    let resp = app.get("/manage/campaigns/eigen-netwerk/attention").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let page = resp.text().await.unwrap();
    let mark =
        format!("<mark class=\"signal\" title=\"Gedachten aan zelfdoding\">{}</mark>", signals[0].phrase);
    assert!(page.contains(&mark), "phrase highlighted in context: {page}");
    assert!(page.contains("Thuis is het al maanden onrustig."), "words around the phrase");
    assert!(page.contains("Besproken met aandachtsfunctionaris of team"), "actions offered by label");
    assert!(!page.contains("bijbaan"), "unflagged stories are not listed");
    let (_, story_page) = html(&app, &story_url("eigen-netwerk", flagged)).await;
    assert!(story_page.contains(&mark), "the story page marks it too");

    let follow = format!("{}/follow-up", story_url("eigen-netwerk", flagged));
    let resp = app.post_form(&follow, &[("note", "eerst lezen"), ("back", "attention")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = resp.text().await.unwrap();
    assert!(
        again.contains("Kies wat er met dit signaal is gedaan.") && again.contains(">eerst lezen</textarea>")
    );

    let resp = app
        .post_form(
            &follow,
            &[
                ("action", "discussed_with_safeguarding_officer"),
                ("note", "Met de aandachtsfunctionaris besproken."),
                ("back", "attention"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/manage/campaigns/eigen-netwerk/attention?saved=1");

    let (_, open) = html(&app, "/manage/campaigns/eigen-netwerk/attention?saved=1").await;
    assert!(open.contains("De opvolging is vastgelegd."));
    assert!(!open.contains("<mark class=\"signal\""), "no longer open: {open}");
    let (_, all) = html(&app, "/manage/campaigns/eigen-netwerk/attention?all=1").await;
    assert!(all.contains(&mark) && all.contains("Met de aandachtsfunctionaris besproken."));
    let (_, list) = html(&app, "/manage/campaigns/eigen-netwerk/stories").await;
    assert!(list.contains("Vragen aandacht: 0 verhalen"));

    let filter =
        AuditFilter { action: Some(AuditAction::SafeguardingFollowUp), limit: 10, ..Default::default() };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].target.as_deref(), Some(format!("story:{flagged}").as_str()));
    assert_eq!(entries[0].details["action"], "discussed_with_safeguarding_officer");
    assert!(!entries[0].details.to_string().contains("leven"), "no story text in the audit log");

    let follow_calm = format!("{}/follow-up", story_url("eigen-netwerk", calm));
    let resp = app.post_form(&follow_calm, &[("action", "other"), ("note", "x")]).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "nothing to follow up without a signal");
}
on_both_backends!(attention_list_highlights_the_phrase_and_a_follow_up_closes_it);

async fn export_downloads_are_attachments_and_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    add(
        &app,
        &[
            line("eigen-netwerk", "Een", "Mijn oom hielp me met een bijbaan zoeken.", "youth", 1),
            line("eigen-netwerk", "Twee", "Onze buren pasten op toen ik moest werken.", "parent", 2),
        ],
    )
    .await;
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    let resp = app.get("/manage/campaigns/eigen-netwerk/export?format=csv").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"eigen-netwerk-") && disposition.ends_with(".csv\"")
    );
    let csv = resp.text().await.unwrap();
    assert!(csv.starts_with("id,campaign,external_id,created_at"));
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains("bijbaan") && csv.contains("buren"));

    let resp = app.get("/manage/campaigns/eigen-netwerk/export?format=jsonl").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let jsonl = resp.text().await.unwrap();
    let lines: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["campaign"], "eigen-netwerk");

    assert_eq!(
        app.get("/manage/campaigns/eigen-netwerk/export?format=xlsx").await.status(),
        StatusCode::BAD_REQUEST
    );

    let filter = AuditFilter { action: Some(AuditAction::StoriesExported), limit: 10, ..Default::default() };
    let mut entries = app.store.audit_entries(&filter).await.unwrap();
    entries.sort_by_key(|e| e.id);
    assert_eq!(entries.len(), 2, "each download once; a refused format is not a download");
    assert_eq!(entries[0].details, json!({ "format": "csv", "stories": 2 }));
    assert_eq!(entries[1].details, json!({ "format": "jsonl", "stories": 2 }));
    assert_eq!(entries[0].actor_id.as_deref(), Some(user.id.as_str()));
    assert_eq!(entries[0].campaign_id.as_deref(), Some(app.campaign.id.as_str()));
}
on_both_backends!(export_downloads_are_attachments_and_audited);

#[tokio::test]
async fn export_streams_a_campaign_larger_than_one_page() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    // More than the exporter's page of 1,000 stories, so the body is handed out in chunks.
    let lines: Vec<Value> = (0..1_203)
        .map(|i| {
            line(
                "eigen-netwerk",
                &format!("Nummer {i}"),
                "Mijn oom hielp me met een bijbaan zoeken.",
                "youth",
                i % 600,
            )
        })
        .collect();
    add(&app, &lines).await;
    app.sign_in_as(Role::Admin, &[]).await;
    let body = app.get("/manage/campaigns/eigen-netwerk/export?format=jsonl").await.text().await.unwrap();
    assert_eq!(body.lines().count(), 1_203);
    let ids: std::collections::HashSet<&str> =
        body.lines().map(|l| &l[l.find("\"id\":\"").unwrap() + 6..][..36]).collect();
    assert_eq!(ids.len(), 1_203, "every story once");
}

// ---------------------------------------------------------------------------------------------
// Story use cases are atomic with their audit entries.

async fn a_withdrawal_or_follow_up_whose_audit_fails_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let flagged = json!({
        "id": uuid::Uuid::new_v4().to_string(), "campaign": "eigen-netwerk", "text": FLAGGED_TEXT,
        "perspective": "youth", "prompt": "wat-nodig", "answers": { "gevoel": "verdrietig" },
    });
    let ids = add(&app, &[flagged]).await;
    let story = app.store.story(&ids[0]).await.unwrap();
    assert!(!story.safeguarding.is_empty(), "the fixture story is flagged");
    crate::auth::refuse_audit(&app, &["story_deleted", "safeguarding_follow_up"]).await;
    let by = luister::domain::Actor::system();

    let input = luister::campaigns::stories::FollowUpInput {
        action: "discussed_with_safeguarding_officer".into(),
        note: "Besproken.".into(),
    };
    let now = time::OffsetDateTime::now_utc();
    let err = luister::campaigns::stories::follow_up(&app.store, &by, &app.campaign, &story, &input, now)
        .await
        .unwrap_err();
    assert!(matches!(err, luister::campaigns::stories::StoryError::Store(_)), "{err:?}");
    assert!(app.store.follow_ups(&story.id).await.unwrap().is_empty(), "no follow-up without its audit");

    let w = luister::campaigns::stories::Withdrawal { reason: "identifiable".into(), note: String::new() };
    let err =
        luister::campaigns::stories::withdraw(&app.store, &by, &app.campaign, &story, &w).await.unwrap_err();
    assert!(matches!(err, luister::campaigns::stories::StoryError::Store(_)), "{err:?}");
    assert!(app.store.story(&story.id).await.is_ok(), "the story is still there");
    let events = app.store.story_events(&story.id).await.unwrap();
    assert!(events.iter().all(|e| e.kind != StoryEventKind::Delete), "no delete event");
}
on_both_backends!(a_withdrawal_or_follow_up_whose_audit_fails_changes_nothing);
