//! Sense-making sessions end to end on both backends: a session from a frozen map, story cards,
//! a participant who joins by code and adds a note, approval, clusters, the report, withdrawal
//! (the card goes, the note stays marked), the participant's narrow view, atomic use cases and
//! the demo session.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use luister::domain::session::{Details, NoteInput};
use luister::domain::{Actor, AuditAction, AuditEntry, Campaign, Role};
use luister::sessions::{self, Author, NewSession};
use luister::store::DynStore;
use reqwest::StatusCode;

/// What the route table test needs of a session: ids that exist in a fresh fixture.
pub struct Fixture {
    pub session: String,
    pub card: String,
    pub note: String,
    pub code: String,
}

/// A session on `map_id` with one card, a waiting participant note, an open join code and a
/// published report.
pub async fn fixture(store: &DynStore, c: &Campaign, map_id: &str) -> anyhow::Result<Fixture> {
    let now = time::OffsetDateTime::now_utc();
    let details = Details::parse("Sessie", "2026-12-10", "Tiel", &["youths".to_string()])?;
    let new = NewSession { details, facilitators: vec![], map_ids: vec![map_id.to_string()] };
    let s = sessions::create(store, c, new, Actor::system(), now).await?;
    let loaded = sessions::load(store, c, &s.id).await?;
    let story = loaded.snapshot_story_ids().first().map(|s| s.to_string()).unwrap_or_default();
    let cards = sessions::pick_cards(store, c, &s.id, &[story], Actor::system()).await?;
    let note = NoteInput::parse("question", "", "Waarom?", "", vec![])?;
    let note = sessions::add_note(store, c, &s.id, note, Author::Participant, now).await?;
    let code = sessions::open_join_code(store, c, &s.id, Actor::system(), now).await?;
    sessions::publish_report(store, c, &s.id, Actor::system(), now).await?;
    Ok(Fixture { session: s.id, card: cards[0].id.clone(), note: note.id, code: code.code })
}

/// A campaign with tagged stories and a frozen map of them; returns the map id.
async fn frozen(app: &TestApp) -> String {
    crate::maps::tagged_campaign(app).await;
    let built = luister::maps::build(&app.store, None, &app.campaign, &Default::default()).await.unwrap();
    let map = luister::maps::frozen::freeze(
        &app.store,
        &app.campaign,
        &built,
        "",
        "Kaart voor de sessie",
        20,
        5,
        Actor::system(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    map.id
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string()
}

fn participant(app: &TestApp) -> TestApp {
    TestApp::second_browser(app)
}

/// The facilitator makes a session over HTTP; returns its page's base URL and id.
async fn make_session(app: &TestApp, map: &str) -> (String, String) {
    let slug = app.campaign.slug().to_string();
    let resp = app
        .post_form(
            &format!("/manage/campaigns/{slug}/sessions"),
            &[
                ("title", "Duiden in Tiel"),
                ("date", "2026-12-10"),
                ("place", "Buurthuis"),
                ("group", "youths"),
                ("group", "parents"),
                ("map", map),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let base = location(&resp);
    let id = base.rsplit('/').next().unwrap().to_string();
    (base, id)
}

async fn a_session_made_from_a_frozen_map_shows_its_snapshot_plan_and_cards(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let (base, id) = make_session(&app, &map).await;
    let page = app.get(&base).await.text().await.unwrap();
    assert!(page.contains("Duiden in Tiel"));
    let hash = app.store.frozen_map(&map).await.unwrap().content_hash;
    assert!(page.contains(&hash), "the session cites its snapshot");
    assert!(page.contains("Verhalen ontmoeten"), "the plan starts from the template");

    // The plan is editable: add an own activity, move it up, set its minutes.
    let r = app
        .post_form(
            &format!("{base}/plan"),
            &[("op", "add"), ("kind", "own"), ("title", "Rondje"), ("minutes", "5")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.post_form(&format!("{base}/plan"), &[("op", "up"), ("index", "5")]).await;
    app.post_form(&format!("{base}/plan"), &[("op", "minutes"), ("index", "4"), ("minutes", "7")]).await;
    let s = app.store.sense_session(&id).await.unwrap();
    assert_eq!(s.plan.0[4].title, "Rondje");
    assert_eq!(s.plan.0[4].minutes, 7);
    let agenda = app.get(&format!("{base}/agenda")).await.text().await.unwrap();
    assert!(agenda.contains("Rondje") && agenda.contains("1:57"), "the agenda totals the plan");

    // A pattern from the snapshot: the Wachtlijst × youth cell (12 stories as frozen).
    let loaded = sessions::load(&app.store, &app.campaign, &id).await.unwrap();
    let cell = loaded.elements().into_iter().find(|e| e.label.starts_with("Wachtlijst × Jongeren")).unwrap();
    assert_eq!(cell.stories.len(), 12);
    let r = app.post_form(&format!("{base}/patterns"), &[("element", &format!("{map}|{}", cell.key))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&format!("{base}/patterns"), &[("element", &format!("{map}|cell:nope:0"))]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "only elements of the snapshot");

    // Cards: by cell, by words, by length; numbered 1..n; never the story id.
    let by_cell = app
        .get(&format!("{base}/cards?cell={}", urlencode(&format!("{map}|{}", cell.key))))
        .await
        .text()
        .await
        .unwrap();
    let shown = by_cell.matches("name=\"story\"").count();
    assert_eq!(shown, 12, "the cell's stories");
    let by_words = app.get(&format!("{base}/cards?q=buurvrouw")).await.text().await.unwrap();
    assert_eq!(by_words.matches("name=\"story\"").count(), 22, "the parents' stories");
    let short = app.get(&format!("{base}/cards?max=10")).await.text().await.unwrap();
    assert_eq!(short.matches("name=\"story\"").count(), 0, "no story is that short");
    let picks: Vec<String> = cell.stories[..3].to_vec();
    let mut fields: Vec<(&str, &str)> = picks.iter().map(|s| ("story", s.as_str())).collect();
    fields.push(("story", picks[0].as_str()));
    let r = app.post_form(&format!("{base}/cards"), &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cards = sessions::cards_of_session(&app.store, &id).await.unwrap();
    assert_eq!(cards.iter().map(|c| c.number).collect::<Vec<_>>(), vec![1, 2, 3]);
    let outside = app.post_form(&format!("{base}/cards"), &[("story", "not-in-the-snapshot")]).await;
    assert_eq!(outside.status(), StatusCode::BAD_REQUEST);
    for per in ["2", "4"] {
        let print = app.get(&format!("{base}/cards/print?per_page={per}")).await.text().await.unwrap();
        assert!(print.contains("Kaart 3") && print.contains("wachtlijst"));
        assert_eq!(print.matches("class=\"sheet\"").count(), if per == "2" { 2 } else { 1 });
        for s in &picks {
            assert!(!print.contains(s.as_str()), "a card never shows its story id");
        }
    }
    // The presentation steps through the pattern, then the cards, with plain links.
    let first = app.get(&format!("{base}/present")).await.text().await.unwrap();
    assert!(first.contains("1 / 4") && first.contains("Wachtlijst") && first.contains("present?step=2"));
    assert!(!first.contains("rel=\"prev\""));
    let last = app.get(&format!("{base}/present?step=4")).await.text().await.unwrap();
    assert!(last.contains("Kaart 3") && last.contains("present?step=3") && !last.contains("rel=\"next\""));
    assert!(!last.contains("<script>"), "no inline script (CSP)");
}
on_both_backends!(a_session_made_from_a_frozen_map_shows_its_snapshot_plan_and_cards);

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap().trim_start_matches("x=").to_string()
}

async fn a_participant_joins_by_code_and_a_note_waits_for_approval(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let (base, id) = make_session(&app, &map).await;
    let story =
        sessions::load(&app.store, &app.campaign, &id).await.unwrap().snapshot_story_ids()[0].to_string();
    app.post_form(&format!("{base}/cards"), &[("story", &story)]).await;
    let r = app.post_form(&format!("{base}/codes"), &[]).await;
    assert_eq!(location(&r), format!("{base}/projector"));
    let code = app.store.join_codes(&id).await.unwrap()[0].code.clone();
    let projector = app.get(&format!("{base}/projector")).await.text().await.unwrap();
    assert!(
        projector.contains(&code) && projector.contains(&format!("/j/{code}")) && projector.contains("<svg")
    );

    let phone = participant(&app);
    assert_eq!(phone.get("/session").await.status(), StatusCode::FORBIDDEN, "no code, no view");
    let wrong = phone.post_form("/j", &[("code", "zzz")]).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let typed = phone.post_form("/j", &[("code", &code.to_lowercase())]).await;
    assert_eq!(location(&typed), format!("/j/{code}"));
    let joined = phone.get(&format!("/j/{code}")).await;
    assert_eq!(joined.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&joined), "/session");
    let view = phone.get("/session").await.text().await.unwrap();
    assert!(view.contains("Kaart 1"));
    assert!(!view.contains(&story), "no story id reaches the participant");

    let card = sessions::cards_of_session(&app.store, &id).await.unwrap()[0].id.clone();
    let r = phone
        .post_form(
            "/session/notes",
            &[("kind", "question"), ("body", "Waarom zo lang wachten?"), ("card", &card)],
        )
        .await;
    assert_eq!(location(&r), "/session?sent=1");
    let bad = phone.post_form("/session/notes", &[("kind", "observation"), ("body", "x")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "an observation needs a strength");
    let view = phone.get("/session").await.text().await.unwrap();
    assert!(!view.contains("Waarom zo lang wachten?"), "not shown to the room before approval");
    let facilitator = app.get(&base).await.text().await.unwrap();
    assert!(facilitator.contains("Waarom zo lang wachten?") && facilitator.contains("wacht op goedkeuring"));

    let note = sessions::notes_of_session(&app.store, &id).await.unwrap()[0].clone();
    assert!(note.by_participant && note.approved_at.is_none());
    let r = app.post_form(&format!("{base}/notes/{}/approve", note.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let view = phone.get("/session").await.text().await.unwrap();
    assert!(view.contains("Waarom zo lang wachten?") && view.contains("Kaart 1"));

    // An observation without two interpretations is flagged.
    app.post_form(
        &format!("{base}/notes"),
        &[("kind", "observation"), ("strength", "strong"), ("body", "Veel wachten")],
    )
    .await;
    let page = app.get(&base).await.text().await.unwrap();
    assert!(page.contains("nog geen twee verschillende interpretaties"));

    // The participant can reach nothing else with that cookie.
    let slug = app.campaign.slug();
    for path in [
        base.clone(),
        format!("/manage/campaigns/{slug}/stories/{story}"),
        format!("/manage/campaigns/{slug}/stories"),
        "/search".to_string(),
        "/published/sessions".to_string(),
        format!("/published/sessions/{id}"),
        "/manage".to_string(),
    ] {
        let r = phone.get(&path).await;
        assert!(
            r.status() == StatusCode::SEE_OTHER && location(&r).starts_with("/login")
                || matches!(
                    r.status(),
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED
                ),
            "participant reached {path}: {}",
            r.status()
        );
    }
    let api = phone.client.get(phone.url("/api/v1/search?q=wachtlijst")).send().await.unwrap();
    assert!(matches!(api.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN));

    // Revoking the code shuts the view at once.
    let r = app.post_form(&format!("{base}/codes/{code}/revoke"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/session").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(phone.get(&format!("/j/{code}")).await.status(), StatusCode::NOT_FOUND);
    let filter = luister::domain::audit::AuditFilter { limit: 500, ..Default::default() };
    let actions: Vec<String> =
        app.store.audit_entries(&filter).await.unwrap().into_iter().map(|e| e.action).collect();
    for a in ["session_created", "join_code_opened", "note_added", "note_approved", "join_code_revoked"] {
        assert!(actions.iter().any(|x| x == a), "{a} audited");
    }
}
on_both_backends!(a_participant_joins_by_code_and_a_note_waits_for_approval);

async fn notes_are_clustered_and_the_report_cites_the_snapshot(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let (base, id) = make_session(&app, &map).await;
    for (kind, body) in [("idea", "Een inloopavond"), ("question", "Wie belt terug?")] {
        app.post_form(&format!("{base}/notes"), &[("kind", kind), ("body", body)]).await;
    }
    let notes = sessions::notes_of_session(&app.store, &id).await.unwrap();
    let r = app
        .post_form(&format!("{base}/clusters"), &[("name", "Bereikbaarheid"), ("note", &notes[0].id)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.post_form(&format!("{base}/clusters"), &[("name", "Leeg")]).await;
    let clusters = app.store.note_clusters(&id).await.unwrap();
    assert_eq!(clusters.len(), 2);
    // The select boxes move the second note into the first cluster.
    let field = format!("cluster:{}", notes[1].id);
    let r = app.post_form(&format!("{base}/clusters/assign"), &[(&field, &clusters[0].id)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let notes = sessions::notes_of_session(&app.store, &id).await.unwrap();
    assert!(notes.iter().all(|n| n.cluster_id.as_deref() == Some(clusters[0].id.as_str())));
    let r = app.post_form(&format!("{base}/clusters/assign"), &[(&field, "someone-elses")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let hash = app.store.frozen_map(&map).await.unwrap().content_hash;
    let md = app.get(&format!("{base}/report.md")).await.text().await.unwrap();
    assert!(md.contains(&hash) && md.contains("### Bereikbaarheid") && md.contains("Wie belt terug?"));
    assert!(md.contains("## Acties en conclusies"));
    let csv = app.get(&format!("{base}/report.csv")).await.text().await.unwrap();
    assert!(csv.starts_with("cluster,soort"));
    assert_eq!(csv.lines().count(), 3);

    // Steering reads the report only once it is published.
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    assert_eq!(steering.get(&format!("/published/sessions/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(steering.get(&base).await.status(), StatusCode::FORBIDDEN);
    let r = app.post_form(&format!("{base}/report/publish"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = steering.get(&format!("/published/sessions/{id}")).await.text().await.unwrap();
    assert!(page.contains(&hash) && page.contains("Bereikbaarheid"));
    assert!(steering.get("/published/sessions").await.text().await.unwrap().contains("Duiden in Tiel"));
}
on_both_backends!(notes_are_clustered_and_the_report_cites_the_snapshot);

async fn a_withdrawn_story_leaves_the_cards_and_its_notes_are_marked(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let (base, id) = make_session(&app, &map).await;
    let ids: Vec<String> = sessions::load(&app.store, &app.campaign, &id)
        .await
        .unwrap()
        .snapshot_story_ids()
        .into_iter()
        .take(2)
        .map(str::to_string)
        .collect();
    app.post_form(&format!("{base}/cards"), &[("story", &ids[0]), ("story", &ids[1])]).await;
    let cards = sessions::cards_of_session(&app.store, &id).await.unwrap();
    app.post_form(
        &format!("{base}/notes"),
        &[("kind", "idea"), ("body", "Over kaart een"), ("card", &cards[0].id)],
    )
    .await;
    let gone = app.store.story(&ids[0]).await.unwrap().text;
    let kept = app.store.story(&ids[1]).await.unwrap().text;
    let audit =
        AuditEntry::new(Actor::anonymous(), AuditAction::StoryWithdrawn).target(format!("story:{}", ids[0]));
    app.store.delete_story(&ids[0], &audit).await.unwrap();

    let left = sessions::cards_of_session(&app.store, &id).await.unwrap();
    assert_eq!(left.iter().map(|c| c.number).collect::<Vec<_>>(), vec![2], "the other card keeps its number");
    for path in ["/cards", "/cards/print?per_page=4", "/present?step=1", "/present?step=2", "/report"] {
        let page = app.get(&format!("{base}{path}")).await.text().await.unwrap();
        let html = crate::helpers::unescape(&page);
        assert!(!html.contains(&gone), "{path} still shows the withdrawn story");
        if path.starts_with("/cards") {
            assert!(html.contains(&kept), "{path} shows the other card");
        }
    }
    let page = app.get(&base).await.text().await.unwrap();
    assert!(
        page.contains("Over kaart een") && page.contains("verhaal ingetrokken"),
        "the note stays, marked"
    );
    let md = app.get(&format!("{base}/report.md")).await.text().await.unwrap();
    assert!(md.contains("Over kaart een") && md.contains("verhaal ingetrokken"));
    assert!(md.contains("(1 verhalen sindsdien ingetrokken)"));
}
on_both_backends!(a_withdrawn_story_leaves_the_cards_and_its_notes_are_marked);

async fn a_refused_audit_entry_leaves_the_database_as_it_was(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    let c = &app.campaign;
    let s = fixture(&app.store, c, &map).await.unwrap();
    crate::auth::refuse_audit(
        &app,
        &[
            "session_created",
            "session_changed",
            "join_code_opened",
            "join_code_revoked",
            "note_added",
            "note_approved",
            "notes_clustered",
            "session_report_published",
        ],
    )
    .await;
    let now = time::OffsetDateTime::now_utc();
    let sys = Actor::system;
    let details = Details::parse("Nog een", "2026-12-11", "", &["parents".to_string()]).unwrap();
    let new = NewSession { details, facilitators: vec![], map_ids: vec![map.clone()] };
    assert!(sessions::create(&app.store, c, new, sys(), now).await.is_err());
    assert_eq!(app.store.sessions(&c.id).await.unwrap().len(), 1, "no session row");
    let story = sessions::load(&app.store, c, &s.session).await.unwrap().snapshot_story_ids()[1].to_string();
    assert!(sessions::pick_cards(&app.store, c, &s.session, &[story], sys()).await.is_err());
    assert_eq!(app.store.session_cards(&s.session).await.unwrap().len(), 1, "no card row");
    let note = NoteInput::parse("idea", "", "Idee", "", vec![]).unwrap();
    assert!(sessions::add_note(&app.store, c, &s.session, note, Author::Participant, now).await.is_err());
    assert!(sessions::approve_note(&app.store, c, &s.session, &s.note, sys(), now).await.is_err());
    let notes = app.store.session_notes(&s.session).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].approved_at.is_none(), "still waiting");
    assert!(
        sessions::create_cluster(
            &app.store,
            c,
            &s.session,
            "Groep",
            std::slice::from_ref(&s.note),
            sys(),
            now
        )
        .await
        .is_err()
    );
    assert!(app.store.note_clusters(&s.session).await.unwrap().is_empty());
    assert!(sessions::open_join_code(&app.store, c, &s.session, sys(), now).await.is_err());
    assert!(sessions::revoke_join_code(&app.store, c, &s.session, &s.code, sys(), now).await.is_err());
    let codes = app.store.join_codes(&s.session).await.unwrap();
    assert_eq!(codes.len(), 1);
    assert!(codes[0].revoked_at.is_none());
    let change = sessions::Change::RemoveActivity(0);
    assert!(sessions::change(&app.store, c, &s.session, change, sys(), now).await.is_err());
    assert_eq!(app.store.sense_session(&s.session).await.unwrap().plan.0.len(), 5);
}
on_both_backends!(a_refused_audit_entry_leaves_the_database_as_it_was);

async fn the_demo_session_is_made_once_and_finished(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    let a = sessions::demo(&app.store, &app.campaign, &map).await.unwrap();
    let b = sessions::demo(&app.store, &app.campaign, &map).await.unwrap();
    assert_eq!(a.id, b.id, "idempotent");
    assert_eq!(app.store.sessions(&app.campaign.id).await.unwrap().len(), 1);
    assert!(a.report_published_at.is_some());
    let notes = sessions::notes_of_session(&app.store, &a.id).await.unwrap();
    assert_eq!(notes.len(), 5);
    assert!(notes.iter().all(|n| n.approved_at.is_some() && n.cluster_id.is_some()));
    assert!(luister::domain::session::needing_interpretations(&notes).is_empty());
    assert_eq!(app.store.note_clusters(&a.id).await.unwrap().len(), 2);
    assert!(!sessions::cards_of_session(&app.store, &a.id).await.unwrap().is_empty());
    assert_eq!(app.store.session_patterns(&a.id).await.unwrap().len(), 2);
}
on_both_backends!(the_demo_session_is_made_once_and_finished);

/// Participants are not facilitators: the patterns on their phone carry the snapshot's
/// disclosure-controlled numbers (the 3 parents as "<5"), while the facilitator keeps the full
/// numbers of the same pattern.
async fn participants_see_a_pattern_with_small_cells_hidden_and_facilitators_the_full_numbers(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else { return };
    let map = frozen(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let (base, id) = make_session(&app, &map).await;
    let loaded = sessions::load(&app.store, &app.campaign, &id).await.unwrap();
    let parents = loaded.elements().into_iter().find(|e| e.label == "Wachtlijst × Ouders").unwrap();
    assert_eq!(parents.detail.split(',').next(), Some("3 verhalen"), "the facilitator's number");
    let r =
        app.post_form(&format!("{base}/patterns"), &[("element", &format!("{map}|{}", parents.key))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let facilitator = app.get(&base).await.text().await.unwrap();
    assert!(facilitator.contains("3 verhalen"), "facilitators keep the full view");
    // The presentation is shown to the room: the participants' numbers, not the full ones.
    let shown =
        crate::helpers::unescape(&app.get(&format!("{base}/present?step=1")).await.text().await.unwrap());
    assert!(shown.contains("Wachtlijst × Ouders") && shown.contains("<5 verhalen"), "{shown}");
    assert!(!shown.contains("3 verhalen"), "never the small count on the projector");

    app.post_form(&format!("{base}/codes"), &[]).await;
    let code = app.store.join_codes(&id).await.unwrap()[0].code.clone();
    let phone = participant(&app);
    phone.get(&format!("/j/{code}")).await;
    let view = crate::helpers::unescape(&phone.get("/session").await.text().await.unwrap());
    assert!(view.contains("Wachtlijst × Ouders"), "the pattern is there");
    assert!(view.contains("<p><5 verhalen</p>"), "its count hidden as <5: {view}");
    assert!(!view.contains("3 verhalen"), "never the small count itself");
    let loaded = sessions::load(&app.store, &app.campaign, &id).await.unwrap();
    let seen = loaded.participant_patterns();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].element.quotes.is_empty() && seen[0].element.stories.is_empty(),
        "nothing of a hidden cell"
    );
    assert_eq!(loaded.patterns[0].element.detail, parents.detail, "the facilitators' patterns are untouched");
}
on_both_backends!(participants_see_a_pattern_with_small_cells_hidden_and_facilitators_the_full_numbers);
