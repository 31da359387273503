//! The codebook, rule tags, manual coding and the coding queue, as facilitators use them: themes
//! created, edited and merged (tags move, history kept), the global codebook copied, CSV and
//! JSON round trips, rule previews that count what saving then tags, tags on the story page with
//! their provenance, bulk tagging from search results, and the coding queue.

use crate::helpers::{Backend, TestApp, hidden_fields, spawn_app, system_audit, unescape};
use crate::on_both_backends;
use luister::domain::audit::AuditFilter;
use luister::domain::theme::{Tag, TagSource, TagState, Theme};
use luister::domain::{CampaignDef, Role};
use luister::transfer::import::load_demo;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const BASE: &str = "/manage/campaigns/eigen-netwerk";

/// A story through the public API; returns its id.
pub(crate) async fn post_story(app: &TestApp, slug: &str, text: &str) -> String {
    let body = serde_json::json!({
        "text": text, "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "blij", "wat_hielp": [1, 1, 1] }
    });
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{slug}/stories")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// Waits until the index holds `n` stories.
async fn indexed(app: &TestApp, n: usize) {
    let started = Instant::now();
    loop {
        let total = app
            .search
            .live()
            .map(|l| luister::search::exec::run(&l, &Default::default()).map(|r| r.total).unwrap_or(0));
        if total == Some(n) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "index did not catch up: {total:?} of {n}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A second campaign with the demo form, the viewer's or not.
async fn other_campaign(app: &TestApp, slug: &str) -> luister::domain::Campaign {
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = slug.into();
    app.store.save_campaign(&def, &system_audit()).await.unwrap().0
}

async fn theme(app: &TestApp, campaign: Option<&str>, name: &str, rule: Option<&str>) -> Theme {
    let now = time::OffsetDateTime::now_utc();
    let t = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.map(str::to_string),
        name: name.into(),
        description: String::new(),
        colour: "#2e6b30".into(),
        parent_id: None,
        rule: rule.map(str::to_string),
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    app.store.create_theme(&t).await.unwrap();
    t
}

fn suggestion(story: &str, theme: &str, confidence: f64, words: &[&str]) -> Tag {
    Tag {
        story_id: story.into(),
        theme_id: theme.into(),
        source: TagSource::Model,
        state: TagState::Suggested,
        confidence: Some(confidence),
        explanation: Some(
            words.iter().enumerate().map(|(i, w)| (w.to_string(), 1.0 - i as f64 / 10.0)).collect(),
        ),
        by_user: None,
        at: time::OffsetDateTime::now_utc(),
    }
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The id of the newest theme with this name in a codebook.
async fn theme_id(app: &TestApp, campaign: Option<&str>, name: &str) -> String {
    let themes = app.store.themes(campaign).await.unwrap();
    themes.iter().rev().find(|t| t.name == name).unwrap_or_else(|| panic!("theme {name}")).id.clone()
}

async fn audited(app: &TestApp, change: &str) -> bool {
    let filter = AuditFilter { limit: 1000, ..AuditFilter::default() };
    app.store.audit_entries(&filter).await.unwrap().iter().any(|e| e.details["change"] == change)
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} on the page")) + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

// ---------------------------------------------------------------------------------------------

async fn themes_are_created_edited_and_merged_with_tags_and_history_kept(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let story = post_story(&app, "eigen-netwerk", "Ik stond een half jaar op de wachtlijst voor hulp.").await;

    let html = app.get(&format!("{BASE}/themes")).await.text().await.unwrap();
    assert!(html.contains("Codeboek: ") && html.contains("Nog geen thema's"));

    // Creating: problems are shown next to the fields, with what was typed kept.
    let resp =
        app.post_form(&format!("{BASE}/themes"), &[("name", " "), ("description", "Lang wachten")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Geef het thema een naam") && html.contains("Lang wachten"));
    let resp =
        app.post_form(&format!("{BASE}/themes"), &[("name", "Wachten"), ("rule", "(wachtlijst")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("class=\"query-pointer\"") && html.contains("value=\"Wachten\""));

    let resp = app
        .post_form(
            &format!("{BASE}/themes"),
            &[("name", "Wachten"), ("description", "Lang wachten op hulp"), ("colour", "#8a3b00")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).starts_with(&format!("{BASE}/themes?done=created")));
    let wachten = theme_id(&app, Some(&c), "Wachten").await;
    let resp = app
        .post_form(
            &format!("{BASE}/themes"),
            &[("name", "Wachtlijst school"), ("parent", &wachten), ("colour", "#2e6b30")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let child = theme_id(&app, Some(&c), "Wachtlijst school").await;
    let resp = app.post_form(&format!("{BASE}/themes"), &[("name", "wachten"), ("colour", "#2e6b30")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "names are unique in a codebook");

    let html = app.get(&format!("{BASE}/themes?done=created")).await.text().await.unwrap();
    assert!(html.contains("Het thema is aangemaakt"));
    assert!(html.contains("class=\"theme-name level-1\""), "the child is shown under its parent");
    assert!(html.contains("fill=\"#8a3b00\""), "colour swatch");
    assert!(!html.contains("style="), "no inline styles (CSP)");

    // Editing: name, own colour code; a theme cannot hang under its own child.
    let resp = app
        .post_form(
            &format!("{BASE}/themes/{wachten}"),
            &[("name", "Wachttijd"), ("description", "Wachten op hulp"), ("colour_code", "#123456")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let t = app.store.theme(&wachten).await.unwrap();
    assert_eq!((t.name.as_str(), t.colour.as_str()), ("Wachttijd", "#123456"));
    let resp = app
        .post_form(&format!("{BASE}/themes/{wachten}"), &[("name", "Wachttijd"), ("parent", &child)])
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("onder zichzelf"));

    // Merging: a hand-made tag moves along, the history says so, the merged theme stays visible.
    let into = theme(&app, Some(&c), "Lang wachten", None).await;
    let resp = app
        .post_form(&format!("{BASE}/stories/{story}/tags"), &[("action", "add"), ("theme", &wachten)])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp =
        app.post_form(&format!("{BASE}/themes/merge"), &[("from", &wachten), ("into", &wachten)]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp =
        app.post_form(&format!("{BASE}/themes/merge"), &[("from", &wachten), ("into", &into.id)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).contains("done=merged&moved=1"));
    let tags = app.store.tags_for_story(&story).await.unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!((tags[0].theme_id.as_str(), tags[0].source), (into.id.as_str(), TagSource::Manual));
    assert_eq!(app.store.theme(&wachten).await.unwrap().merged_into.as_deref(), Some(into.id.as_str()));
    assert_eq!(app.store.theme(&child).await.unwrap().parent_id.as_deref(), Some(into.id.as_str()));
    let html = app.get(&format!("{BASE}/themes")).await.text().await.unwrap();
    assert!(html.contains("Wachttijd — samengevoegd met"));
    let html = app.get(&format!("{BASE}/stories/{story}")).await.text().await.unwrap();
    assert!(html.contains("verplaatst bij samenvoegen"), "the history shows the move");
    assert!(html.contains("Wachttijd (samengevoegd met Lang wachten)"));
    // A merged theme cannot be changed any more.
    let resp = app.post_form(&format!("{BASE}/themes/{wachten}"), &[("name", "Weer terug")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for change in ["theme_created", "theme_changed", "themes_merged"] {
        assert!(audited(&app, change).await, "{change} audited");
    }
}
on_both_backends!(themes_are_created_edited_and_merged_with_tags_and_history_kept);

async fn the_global_codebook_is_copied_and_codebooks_round_trip_as_csv_and_json(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    let global = app.store.themes(None).await.unwrap();
    assert!(global.len() >= 20, "the default global codebook exists on start");
    let child = global.iter().find(|t| t.parent_id.is_some()).unwrap();
    let parent = global.iter().find(|t| Some(&t.id) == child.parent_id.as_ref()).unwrap();

    let admin = TestApp::second_browser(&app);
    admin.sign_in_as(Role::Admin, &[]).await;
    let html = admin.get("/manage/codebook").await.text().await.unwrap();
    assert!(html.contains("Algemeen codeboek") && html.contains(&parent.name));
    let me = app.sign_in_as(Role::Facilitator, &[&c]).await;
    assert_eq!(
        app.get("/manage/codebook").await.status(),
        StatusCode::FORBIDDEN,
        "the global codebook is for admins"
    );

    // Nothing chosen: a message, nothing copied.
    let resp = app.post_form(&format!("{BASE}/themes/copy"), &[]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store.themes(Some(&c)).await.unwrap().is_empty());
    // One chosen theme brings its parent along.
    let resp = app.post_form(&format!("{BASE}/themes/copy"), &[("theme", &child.id)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).contains("done=copied&created=2"));
    let mine = app.store.themes(Some(&c)).await.unwrap();
    let copied_child = mine.iter().find(|t| t.name == child.name).unwrap();
    let copied_parent = mine.iter().find(|t| t.name == parent.name).unwrap();
    assert_eq!(copied_child.parent_id.as_ref(), Some(&copied_parent.id));
    assert_eq!(copied_child.rule, child.rule);
    let resp = app.post_form(&format!("{BASE}/themes/copy"), &[("all", "1")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let live = global.iter().filter(|t| t.merged_into.is_none()).count();
    assert_eq!(app.store.themes(Some(&c)).await.unwrap().len(), live);
    assert!(audited(&app, "codebook_copied").await);

    // Export as CSV and JSON, import into other campaigns: the same codebook comes out.
    let resp = app.get(&format!("{BASE}/themes/export?format=csv")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-disposition"], "attachment; filename=\"codeboek-eigen-netwerk.csv\"");
    let csv = resp.text().await.unwrap();
    assert!(csv.starts_with("name,description,colour,parent,rule"));
    let resp = app.get(&format!("{BASE}/themes/export?format=json")).await;
    assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let json = resp.text().await.unwrap();
    assert_eq!(app.get(&format!("{BASE}/themes/export")).await.status(), StatusCode::BAD_REQUEST);

    let entries = |themes: &[Theme]| {
        let mut e: Vec<(String, String, Option<String>, Option<String>)> = themes
            .iter()
            .map(|t| {
                let parent = t
                    .parent_id
                    .as_ref()
                    .and_then(|p| themes.iter().find(|x| &x.id == p))
                    .map(|p| p.name.clone());
                (t.name.clone(), t.colour.clone(), parent, t.rule.clone())
            })
            .collect();
        e.sort();
        e
    };
    let original = entries(&app.store.themes(Some(&c)).await.unwrap());
    for (slug, text) in [("via-csv", &csv), ("via-json", &json)] {
        let other = other_campaign(&app, slug).await;
        app.store.set_membership(&other.id, &me.id, true, &system_audit()).await.unwrap();
        let resp =
            app.post_form(&format!("/manage/campaigns/{slug}/themes/import"), &[("import", text)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{slug}");
        assert!(location(&resp).contains(&format!("done=imported&created={}", original.len())));
        assert_eq!(entries(&app.store.themes(Some(&other.id)).await.unwrap()), original, "{slug}");
    }
    assert!(audited(&app, "codebook_imported").await);

    // A bad file: the message says what is wrong, and what was pasted stays in the box.
    for (bad, says) in
        [("naam\nWachten\n", "name"), ("[{\"name\": \"A\", \"rule\": \"(x\"}]", "rule"), ("", "Plak eerst")]
    {
        let resp = app.post_form(&format!("{BASE}/themes/import"), &[("import", bad)]).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = resp.text().await.unwrap();
        assert!(html.contains(says), "{bad}: {says}");
        let kept = bad.replace('"', "&#34;");
        assert!(html.contains(&kept), "{bad} kept");
    }

    // The admin edits the global codebook the same way.
    let resp =
        admin.post_form("/manage/codebook", &[("name", "Nieuw algemeen thema"), ("colour", "#0b5a7a")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let id = theme_id(&admin, None, "Nieuw algemeen thema").await;
    let resp = admin
        .post_form(&format!("/manage/codebook/{id}/rule"), &[("rule", "pleeggezin"), ("step", "preview")])
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("tagt hier geen verhalen"));
    let resp = admin
        .post_form(
            &format!("/manage/codebook/{id}/rule"),
            &[("rule", "pleeggezin"), ("previewed", "pleeggezin"), ("step", "save")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store.theme(&id).await.unwrap().rule.as_deref(), Some("pleeggezin"));
    let resp = admin.get("/manage/codebook/export?format=json").await;
    assert!(resp.text().await.unwrap().contains("Nieuw algemeen thema"));
}
on_both_backends!(the_global_codebook_is_copied_and_codebooks_round_trip_as_csv_and_json);

async fn a_rule_preview_counts_what_saving_then_tags_and_new_stories_get_the_tag(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    load_demo(app.store.clone(), 200).await.unwrap();
    indexed(&app, 200).await;
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let t = theme(&app, Some(&c), "Wachtlijst", None).await;
    let rule_url = format!("{BASE}/themes/{}/rule", t.id);
    let rule_tags =
        |tags: Vec<Tag>| tags.iter().filter(|x| x.theme_id == t.id && x.source == TagSource::Rule).count();

    // A malformed rule: the search language's message, pointing at the place.
    let resp = app.post_form(&rule_url, &[("rule", "wachtlijst \"niet gehoord"), ("step", "preview")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("class=\"query-pointer\"") && html.contains("niet wordt afgesloten"));

    // Preview first: nothing is saved yet.
    let resp = app.post_form(&rule_url, &[("rule", "wachtlijst"), ("step", "preview")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    let added: usize = between(&html, "<strong>+", " ").parse().unwrap();
    assert!(added > 5, "the demo has stories about waiting lists: {added}");
    assert!(html.contains("−0 verhalen"));
    assert!(html.contains(&format!("{BASE}/stories/")), "examples link to the story page");
    assert_eq!(app.store.theme(&t.id).await.unwrap().rule, None);
    assert_eq!(rule_tags(app.store.tags_for_campaign(&c).await.unwrap()), 0);
    // A save of a rule other than the one previewed only previews again.
    let resp =
        app.post_form(&rule_url, &[("rule", "wachtlijst"), ("previewed", "wacht"), ("step", "save")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.store.theme(&t.id).await.unwrap().rule, None);

    // "Bewaren" saves and tags exactly what the preview counted.
    let resp = app
        .post_form(&rule_url, &[("rule", "wachtlijst"), ("previewed", "wachtlijst"), ("step", "save")])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).contains(&format!("done=rule&added={added}&removed=0")));
    assert_eq!(app.store.theme(&t.id).await.unwrap().rule.as_deref(), Some("wachtlijst"));
    assert_eq!(rule_tags(app.store.tags_for_campaign(&c).await.unwrap()), added);
    assert!(audited(&app, "theme_rule").await);
    let html = app.get(&location(&resp)).await.text().await.unwrap();
    assert!(html.contains(&format!("De regel is bewaard: {added} verhalen erbij, 0 eraf.")));

    // Narrowing the rule: the preview says how many lose the tag, and saving takes exactly those.
    let narrower = "wachtlijst -school";
    let html =
        app.post_form(&rule_url, &[("rule", narrower), ("step", "preview")]).await.text().await.unwrap();
    let gained: usize = between(&html, "<strong>+", " ").parse().unwrap();
    let lost: usize = between(&html, "−", " ").parse().unwrap();
    assert_eq!(gained, 0);
    assert!(lost > 0, "some waiting-list stories mention school");
    let resp =
        app.post_form(&rule_url, &[("rule", narrower), ("previewed", narrower), ("step", "save")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(rule_tags(app.store.tags_for_campaign(&c).await.unwrap()), added - lost);

    // A new story gets the rule tag on arrival, within a few seconds.
    let story =
        post_story(&app, "eigen-netwerk", "We stonden maanden op een wachtlijst; mijn oom hielp ons toen.")
            .await;
    let started = Instant::now();
    loop {
        if rule_tags(app.store.tags_for_story(&story).await.unwrap()) == 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the new story was not rule-tagged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
on_both_backends!(a_rule_preview_counts_what_saving_then_tags_and_new_stories_get_the_tag);

async fn people_tag_untag_accept_and_reject_on_the_story_page_with_provenance(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    let me = app.sign_in_as(Role::Facilitator, &[&c]).await;
    let story =
        post_story(&app, "eigen-netwerk", "Mijn buurvrouw hielp me met huiswerk toen het thuis niet ging.")
            .await;
    let hand = theme(&app, Some(&c), "Buren", None).await;
    let model = theme(&app, Some(&c), "Huiswerk", None).await;
    let ruled = theme(&app, Some(&c), "Thuis", Some("thuis")).await;
    app.store.set_tags(&[suggestion(&story, &model.id, 0.83, &["huiswerk", "school"])]).await.unwrap();
    luister::tagging::rules::apply(&app.store, &app.search, &ruled).await.ok();
    // The rule tag arrives once the index has the story (the follower, or the apply above).
    let started = Instant::now();
    while !app.store.tags_for_story(&story).await.unwrap().iter().any(|t| t.source == TagSource::Rule) {
        assert!(started.elapsed() < Duration::from_secs(10), "no rule tag");
        tokio::time::sleep(Duration::from_millis(100)).await;
        luister::tagging::rules::apply(&app.store, &app.search, &ruled).await.ok();
    }
    let page = format!("{BASE}/stories/{story}");
    let tags_url = format!("{page}/tags");

    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("id=\"themas\""));
    for shown in [
        "Huiswerk",
        "voorgesteld",
        "83%",
        "Woorden die meewogen: huiswerk, school",
        ">model<",
        "Thuis",
        ">regel<",
    ] {
        assert!(html.contains(shown), "{shown} on the story page");
    }

    // Adding by hand: a manual tag with the person's name.
    let resp = app.post_form(&tags_url, &[("action", "add"), ("theme", &hand.id)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), format!("{page}#themas"));
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("handmatig") && html.contains(&me.name));

    // Accepting and then rejecting the suggestion keeps the model as its source.
    app.post_form(&tags_url, &[("action", "accept"), ("theme", &model.id)]).await;
    let find = |tags: &[Tag], theme: &str, source: TagSource| -> Option<Tag> {
        tags.iter().find(|t| t.theme_id == theme && t.source == source).cloned()
    };
    let tags = app.store.tags_for_story(&story).await.unwrap();
    let accepted = find(&tags, &model.id, TagSource::Model).unwrap();
    assert_eq!(
        (accepted.state, accepted.by_user.as_deref(), accepted.confidence),
        (TagState::Accepted, Some(me.id.as_str()), Some(0.83))
    );
    app.post_form(&tags_url, &[("action", "reject"), ("theme", &model.id)]).await;
    let tags = app.store.tags_for_story(&story).await.unwrap();
    assert_eq!(find(&tags, &model.id, TagSource::Model).unwrap().state, TagState::Rejected);

    // Rejecting a rule tag: a person's rejection, which sets the rule aside.
    app.post_form(&tags_url, &[("action", "reject"), ("theme", &ruled.id)]).await;
    let tags = app.store.tags_for_story(&story).await.unwrap();
    assert_eq!(find(&tags, &ruled.id, TagSource::Manual).unwrap().state, TagState::Rejected);
    assert!(find(&tags, &ruled.id, TagSource::Rule).is_some(), "the rule tag stays, set aside");
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("opzij gezet"));

    // Removing the hand-made tag.
    let resp =
        app.post_form(&tags_url, &[("action", "remove"), ("theme", &hand.id), ("source", "manual")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(find(&app.store.tags_for_story(&story).await.unwrap(), &hand.id, TagSource::Manual).is_none());

    // The history lists every step, newest first, with who did it.
    let html = app.get(&page).await.text().await.unwrap();
    let history = between(&html, "Geschiedenis van de thema's", "</table>");
    assert!(
        history.contains("weggehaald") && history.contains("afgewezen") && history.contains("geaccepteerd")
    );
    assert!(history.matches(&me.name).count() >= 4, "{history}");
    assert!(app.store.tag_history(&story).await.unwrap().len() >= 6);

    // Problems: no theme chosen, a theme of another campaign, an unknown action.
    let resp = app.post_form(&tags_url, &[("action", "add"), ("theme", "")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("Kies een thema uit het codeboek"));
    let elsewhere = other_campaign(&app, "ander").await;
    let foreign = theme(&app, Some(&elsewhere.id), "Vreemd", None).await;
    let resp = app.post_form(&tags_url, &[("action", "add"), ("theme", &foreign.id)]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(find(&app.store.tags_for_story(&story).await.unwrap(), &foreign.id, TagSource::Manual).is_none());
    let resp = app.post_form(&tags_url, &[("action", "wissen"), ("theme", &hand.id)]).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}
on_both_backends!(people_tag_untag_accept_and_reject_on_the_story_page_with_provenance);

async fn bulk_tagging_from_search_tags_only_stories_of_the_campaign(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    load_demo(app.store.clone(), 200).await.unwrap();
    let elsewhere = other_campaign(&app, "ander").await;
    let foreign = post_story(&app, "ander", "Een verhaal over de wachtlijst in een andere campagne.").await;
    indexed(&app, 201).await;
    let t = theme(&app, Some(&c), "Wachtlijst", None).await;

    // An admin's search over all campaigns: no checkboxes, and a word on why.
    let admin = TestApp::second_browser(&app);
    admin.sign_in_as(Role::Admin, &[]).await;
    let html = admin.get("/search?q=wachtlijst").await.text().await.unwrap();
    assert!(!html.contains("name=\"story\"") && html.contains("over één campagne gaat"));
    let html = admin.get(&format!("/search?q=wachtlijst&f=campaign%3A{c}")).await.text().await.unwrap();
    assert!(html.contains("name=\"story\""), "a campaign filter brings the checkboxes");
    // Steering never sees them.
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let html = steering.get("/search?q=wachtlijst").await.text().await.unwrap();
    assert!(!html.contains("name=\"story\"") && !html.contains("tags/bulk"));

    // A facilitator of one campaign searches that campaign: checkboxes and the theme list.
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let html = app.get("/search?q=wachtlijst&sort=newest").await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{BASE}/tags/bulk\"")));
    assert!(html.contains(&format!("<option value=\"{}\">Wachtlijst</option>", t.id)));
    let ids: Vec<String> = html
        .split("name=\"story\" value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .take(3)
        .collect();
    assert_eq!(ids.len(), 3);
    let query = hidden_fields(&html).into_iter().find(|(k, _)| k == "query").unwrap().1;
    assert_eq!(query, "q=wachtlijst&sort=newest");

    let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("story", id.as_str())).collect();
    form.push(("theme", &t.id));
    form.push(("query", &query));
    // First a page that says what will happen, with confirm and cancel; nothing is tagged yet.
    let resp = app.post_form(&format!("{BASE}/tags/bulk"), &form).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("3 verhalen krijgen het thema ‘Wachtlijst’"), "{html}");
    assert!(unescape(&html).contains("class=\"button\" href=\"/search?q=wachtlijst&sort=newest\">Annuleren"));
    assert!(app.store.tags_for_campaign(&c).await.unwrap().iter().all(|x| x.theme_id != t.id));
    let confirm = hidden_fields(&html);
    assert_eq!(confirm.iter().filter(|(k, _)| k == "story").count(), 3);
    assert!(confirm.iter().any(|(k, v)| k == "step" && v == "confirm"));
    form.push(("step", "confirm"));
    let resp = app.post_form(&format!("{BASE}/tags/bulk"), &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/search?q=wachtlijst&sort=newest&tagged=3");
    assert!(app.get(&location(&resp)).await.text().await.unwrap().contains("3 verhalen getagd."));
    let tags = app.store.tags_for_campaign(&c).await.unwrap();
    let manual: Vec<&Tag> =
        tags.iter().filter(|x| x.theme_id == t.id && x.source == TagSource::Manual).collect();
    assert_eq!(manual.len(), 3);
    assert!(manual.iter().all(|x| x.state == TagState::Accepted && x.by_user.is_some()));

    // One story of another campaign among them: nothing is tagged at all.
    let t2 = theme(&app, Some(&c), "Ander thema", None).await;
    let resp = app
        .post_form(
            &format!("{BASE}/tags/bulk"),
            &[("story", &ids[0]), ("story", &foreign), ("theme", &t2.id), ("query", "q=x")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(app.store.tags_for_campaign(&c).await.unwrap().iter().all(|x| x.theme_id != t2.id));
    assert!(app.store.tags_for_story(&foreign).await.unwrap().is_empty());
    // Nothing chosen, or no theme: a message and a way back.
    let resp = app.post_form(&format!("{BASE}/tags/bulk"), &[("theme", &t2.id), ("query", "q=x")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("href=\"/search?q=x\""));
    let resp = app.post_form(&format!("{BASE}/tags/bulk"), &[("story", &ids[0])]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another campaign's slug is not this facilitator's.
    let resp = app
        .post_form(&format!("/manage/campaigns/{}/tags/bulk", elsewhere.def.slug), &[("story", &foreign)])
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(bulk_tagging_from_search_tags_only_stories_of_the_campaign);

async fn the_coding_queue_serves_suggestions_first_and_its_buttons_work(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let unsure =
        post_story(&app, "eigen-netwerk", "Mijn tante hielp me toen ik niet meer naar school ging.").await;
    let sure =
        post_story(&app, "eigen-netwerk", "We wachtten maanden op hulp; de wachtlijst was eindeloos.").await;
    let plain1 =
        post_story(&app, "eigen-netwerk", "Mijn vrienden van de voetbalclub hielpen me er doorheen.").await;
    let plain2 =
        post_story(&app, "eigen-netwerk", "Mijn opa ging elke week met me wandelen en luisterde.").await;
    let waiting = theme(&app, Some(&c), "Wachten", None).await;
    let school = theme(&app, Some(&c), "School", None).await;
    app.store
        .set_tags(&[
            suggestion(&unsure, &school.id, 0.6, &["school"]),
            suggestion(&sure, &waiting.id, 0.9, &["wachtlijst", "maanden"]),
            suggestion(&sure, &school.id, 0.45, &["hulp"]),
        ])
        .await
        .unwrap();
    let queue = format!("{BASE}/coding");
    let tags_of = |id: &str| format!("{BASE}/stories/{id}/tags");

    // The most confident suggestion first, numbered, with its words and the shortcuts explained.
    let html = app.get(&queue).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{}\"", tags_of(&sure))), "the surest story comes first");
    assert!(
        html.contains("Sneltoetsen")
            && html.contains("data-accept=\"1\"")
            && html.contains("data-reject=\"2\"")
    );
    let first = between(&html, "class=\"suggestion-n\" aria-hidden=\"true\">1<", "</li>");
    assert!(first.contains("Wachten") && first.contains("90%") && first.contains("wachtlijst, maanden"));
    assert!(html.contains("Nog 2 verhalen met open voorstellen") && html.contains("2 verhalen zonder thema"));

    // Accept 1, reject 2: each post comes back to the same story (Post/Redirect/Get).
    let resp = app
        .post_form(&tags_of(&sure), &[("action", "accept"), ("theme", &waiting.id), ("back", "coding")])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), format!("{queue}?story={sure}"));
    let html = app.get(&location(&resp)).await.text().await.unwrap();
    assert!(
        !html.contains("data-accept=\"1\"")
            && html.contains("data-reject=\"1\"")
            && html.contains("nu: telt mee")
    );
    app.post_form(&tags_of(&sure), &[("action", "reject"), ("theme", &school.id), ("back", "coding")]).await;
    let tags = app.store.tags_for_story(&sure).await.unwrap();
    assert!(tags.iter().all(|t| t.source == TagSource::Model && t.state != TagState::Suggested));

    // Next: the other story with a suggestion, then the ones without any tag, then done.
    let html = app.get(&queue).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{}\"", tags_of(&unsure))));
    assert!(html.contains(&format!("href=\"{queue}?after={unsure}\"")));
    let html = app.get(&format!("{queue}?after={unsure}")).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{}\"", tags_of(&plain1))), "then stories without a theme");
    assert!(html.contains("geen voorstellen"));
    // Adding a theme by hand from the queue.
    let resp = app
        .post_form(&tags_of(&plain1), &[("action", "add"), ("theme", &school.id), ("back", "coding")])
        .await;
    assert_eq!(location(&resp), format!("{queue}?story={plain1}"));
    let html = app.get(&format!("{queue}?after={plain1}")).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{}\"", tags_of(&plain2))));
    let html = app.get(&format!("{queue}?after={plain2}")).await.text().await.unwrap();
    assert!(html.contains("Klaar") && html.contains("Opnieuw beginnen"));
    // Skipped stories come back when starting again.
    let html = app.get(&queue).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{}\"", tags_of(&unsure))));

    // A problem comes back to the queue with the message; another campaign's story is not found.
    let resp =
        app.post_form(&tags_of(&unsure), &[("action", "add"), ("theme", ""), ("back", "coding")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("data-coding-queue") && html.contains("Kies een thema uit het codeboek"));
    other_campaign(&app, "ander").await;
    let foreign = post_story(&app, "ander", "Een verhaal uit een andere campagne over de wachtlijst.").await;
    assert_eq!(app.get(&format!("{queue}?story={foreign}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{queue}?after={foreign}")).await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(the_coding_queue_serves_suggestions_first_and_its_buttons_work);

#[tokio::test]
async fn themes_and_stories_of_another_campaign_are_not_found_under_this_slug() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let c = app.campaign.id.clone();
    let elsewhere = other_campaign(&app, "ander").await;
    let foreign_theme = theme(&app, Some(&elsewhere.id), "Vreemd", Some("school")).await;
    let global = app.store.themes(None).await.unwrap()[0].id.clone();
    let foreign_story =
        post_story(&app, "ander", "Een verhaal uit een andere campagne over school en hulp.").await;
    app.sign_in_as(Role::Admin, &[]).await;
    for path in [
        format!("{BASE}/themes/{}", foreign_theme.id),
        format!("{BASE}/themes/{global}"),
        format!("/manage/codebook/{}", foreign_theme.id),
    ] {
        assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let resp = app
        .post_form(&format!("{BASE}/themes/{}/rule", foreign_theme.id), &[("rule", "x"), ("step", "preview")])
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = app
        .post_form(&format!("{BASE}/themes/merge"), &[("from", &foreign_theme.id), ("into", &global)])
        .await;
    assert_eq!(
        resp.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "themes of other codebooks cannot be merged in"
    );
    assert!(app.store.theme(&foreign_theme.id).await.unwrap().merged_into.is_none());
    let resp = app
        .post_form(
            &format!("{BASE}/stories/{foreign_story}/tags"),
            &[("action", "add"), ("theme", &foreign_theme.id)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(
        app.store.tags_for_story(&foreign_story).await.unwrap().iter().all(|t| t.source != TagSource::Manual)
    );
    let _ = c;
}

// ---------------------------------------------------------------------------------------------
// Every change commits whole, with its audit entry, or not at all

/// Makes every audit insert fail (a trigger that raises), or lets them through again, through a
/// connection of its own to the app's database.
pub(crate) async fn refuse_audit(app: &TestApp, refuse: bool) {
    let url = app.store_url();
    let statements: &[&str] = match (url.starts_with("sqlite"), refuse) {
        (true, true) => &[
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
        ],
        (true, false) => &["DROP TRIGGER refuse_audit"],
        (false, true) => &[
            "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        ],
        (false, false) => &["DROP TRIGGER refuse_audit ON audit_log"],
    };
    for q in statements {
        let q = sqlx::AssertSqlSafe(q.to_string());
        if url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(q).execute(&pool).await.unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(q).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

/// What a tagging change can touch: the campaign's themes and tags, the stories' tag history,
/// the job's result, the event log and the audit log.
pub(crate) async fn snapshot(app: &TestApp, stories: &[String], job: Option<&str>) -> String {
    let c = &app.campaign.id;
    let mut themes = app.store.themes(Some(c)).await.unwrap();
    themes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut tags = app.store.tags_for_campaign(c).await.unwrap();
    tags.sort_by_key(|t| (t.story_id.clone(), t.theme_id.clone(), t.source));
    let mut history = Vec::new();
    for s in stories {
        history.push(app.store.tag_history(s).await.unwrap());
    }
    let job = match job {
        Some(id) => Some(app.store.job(id).await.unwrap().result),
        None => None,
    };
    let seq = app.store.last_event_seq().await.unwrap();
    let audit =
        app.store.audit_entries(&AuditFilter { limit: 10_000, ..AuditFilter::default() }).await.unwrap();
    format!("{themes:?}\n{tags:?}\n{history:?}\n{job:?}\nevents {seq}\naudit {}", audit.len())
}

/// Posts a change while the audit log refuses entries: the answer is an error page and the
/// database is as it was. With the audit log back, the same post changes something, so the
/// first outcome was the transaction's doing and not a post that does nothing.
pub(crate) async fn a_failed_audit_changes_nothing(
    app: &TestApp,
    url: &str,
    fields: &[(&str, &str)],
    stories: &[String],
    job: Option<&str>,
) {
    let before = snapshot(app, stories, job).await;
    refuse_audit(app, true).await;
    let resp = app.post_form(url, fields).await;
    let status = resp.status();
    let html = resp.text().await.unwrap();
    refuse_audit(app, false).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{url}: {html}");
    assert!(
        html.contains("je wijziging is niet bewaard") && html.contains("Er is niets veranderd"),
        "a clear error page: {html}"
    );
    assert_eq!(snapshot(app, stories, job).await, before, "{url} left something behind");
    let resp = app.post_form(url, fields).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{url} works with the audit log back");
    assert_ne!(snapshot(app, stories, job).await, before, "{url} changed something the second time");
}

async fn creating_a_theme_commits_with_its_audit_entry_or_not_at_all(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let fields = [("name", "Wachtlijst"), ("colour", "#2e6b30"), ("description", "Wachten op hulp")];
    a_failed_audit_changes_nothing(&app, &format!("{BASE}/themes"), &fields, &[], None).await;
    assert!(audited(&app, "theme_created").await);
}
on_both_backends!(creating_a_theme_commits_with_its_audit_entry_or_not_at_all);

async fn editing_a_theme_commits_with_its_audit_entry_or_not_at_all(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let t = theme(&app, Some(&c), "Wachten", None).await;
    let fields = [("name", "Wachten op hulp"), ("colour", "#2e6b30")];
    a_failed_audit_changes_nothing(&app, &format!("{BASE}/themes/{}", t.id), &fields, &[], None).await;
    assert_eq!(app.store.theme(&t.id).await.unwrap().name, "Wachten op hulp");
}
on_both_backends!(editing_a_theme_commits_with_its_audit_entry_or_not_at_all);

async fn merging_themes_is_one_transaction_with_its_audit_entry(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let a = post_story(&app, "eigen-netwerk", "We wachtten maanden op de wachtlijst.").await;
    let b = post_story(&app, "eigen-netwerk", "Mijn buurvrouw hielp me toen ik wachtte.").await;
    indexed(&app, 2).await;
    let top = theme(&app, Some(&c), "Wachten", None).await;
    let from = theme(&app, Some(&c), "Wachtlijst", None).await;
    let mut child = theme(&app, Some(&c), "Lange wachtlijst", None).await;
    child.parent_id = Some(from.id.clone());
    app.store.update_theme(&child).await.unwrap();
    app.store
        .set_tags(&[
            suggestion(&a, &from.id, 0.8, &["wachtlijst"]),
            suggestion(&b, &top.id, 0.7, &["wachtte"]),
        ])
        .await
        .unwrap();
    let fields = [("from", from.id.as_str()), ("into", top.id.as_str())];
    let stories = [a.clone(), b];
    a_failed_audit_changes_nothing(&app, &format!("{BASE}/themes/merge"), &fields, &stories, None).await;
    assert_eq!(app.store.theme(&from.id).await.unwrap().merged_into.as_deref(), Some(top.id.as_str()));
    assert_eq!(app.store.theme(&child.id).await.unwrap().parent_id.as_deref(), Some(top.id.as_str()));
    assert!(app.store.tags_for_story(&a).await.unwrap().iter().any(|t| t.theme_id == top.id));
}
on_both_backends!(merging_themes_is_one_transaction_with_its_audit_entry);

async fn saving_a_rule_retags_with_its_audit_entry_or_not_at_all(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let a = post_story(&app, "eigen-netwerk", "We wachtten maanden op de wachtlijst.").await;
    let b = post_story(&app, "eigen-netwerk", "Mijn buurvrouw hielp me met huiswerk.").await;
    indexed(&app, 2).await;
    let t = theme(&app, Some(&c), "Wachtlijst", None).await;
    let fields = [("rule", "wachtlijst"), ("step", "save"), ("previewed", "wachtlijst")];
    let stories = [a.clone(), b];
    a_failed_audit_changes_nothing(&app, &format!("{BASE}/themes/{}/rule", t.id), &fields, &stories, None)
        .await;
    let tags = app.store.tags_for_story(&a).await.unwrap();
    assert!(tags.iter().any(|x| x.theme_id == t.id && x.source == TagSource::Rule));
}
on_both_backends!(saving_a_rule_retags_with_its_audit_entry_or_not_at_all);

async fn a_coding_decision_is_audited_in_the_same_transaction(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let story = post_story(&app, "eigen-netwerk", "We wachtten maanden op de wachtlijst.").await;
    let t = theme(&app, Some(&c), "Wachten", None).await;
    app.store.set_tags(&[suggestion(&story, &t.id, 0.8, &["wachtlijst"])]).await.unwrap();
    let fields = [("action", "accept"), ("theme", t.id.as_str())];
    let url = format!("{BASE}/stories/{story}/tags");
    a_failed_audit_changes_nothing(&app, &url, &fields, std::slice::from_ref(&story), None).await;
    assert!(audited(&app, "tag").await);
}
on_both_backends!(a_coding_decision_is_audited_in_the_same_transaction);

async fn bulk_tagging_is_all_or_nothing_with_its_audit_entry(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    app.sign_in_as(Role::Facilitator, &[&c]).await;
    let a = post_story(&app, "eigen-netwerk", "We wachtten maanden op de wachtlijst.").await;
    let b = post_story(&app, "eigen-netwerk", "Nog steeds op de wachtlijst.").await;
    let t = theme(&app, Some(&c), "Wachtlijst", None).await;
    let fields = [
        ("story", a.as_str()),
        ("story", b.as_str()),
        ("theme", t.id.as_str()),
        ("query", "q=wachtlijst"),
        ("step", "confirm"),
    ];
    let stories = [a.clone(), b.clone()];
    a_failed_audit_changes_nothing(&app, &format!("{BASE}/tags/bulk"), &fields, &stories, None).await;
    assert!(audited(&app, "bulk_tag").await);
}
on_both_backends!(bulk_tagging_is_all_or_nothing_with_its_audit_entry);

async fn the_coding_queue_shows_each_suggestion_once_counts_down_and_records_hand_choices_as_the_persons(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else { return };
    let c = app.campaign.id.clone();
    let me = app.sign_in_as(Role::Facilitator, &[&c]).await;
    let sure =
        post_story(&app, "eigen-netwerk", "We wachtten maanden op hulp; de wachtlijst was eindeloos.").await;
    let other = post_story(&app, "eigen-netwerk", "Mijn tante hielp me toen ik niet naar school ging.").await;
    let waiting = theme(&app, Some(&c), "Wachten", None).await;
    let school = theme(&app, Some(&c), "School", None).await;
    app.store
        .set_tags(&[
            suggestion(&sure, &waiting.id, 0.9, &["wachtlijst"]),
            suggestion(&sure, &school.id, 0.45, &["hulp"]),
            suggestion(&other, &school.id, 0.6, &["school"]),
        ])
        .await
        .unwrap();
    let queue = format!("{BASE}/coding");
    let tags_of = |id: &str| format!("{BASE}/stories/{id}/tags");

    let html = app.get(&queue).await.text().await.unwrap();
    // The story text is a scroll box a keyboard can reach, with a role and a name.
    assert!(html.contains(
        "class=\"story-full\" tabindex=\"0\" role=\"region\" aria-label=\"Tekst van het verhaal\""
    ));
    // Each suggestion once: in the numbered list, not again as a model row in the tag table.
    assert_eq!(html.matches("data-accept=\"1\"").count(), 1);
    let table = between(&html, "id=\"themas\"", "</section>");
    assert!(!table.contains("source-model"), "the model's rows are in the list above: {table}");
    assert!(table.contains("Behalve de voorstellen hierboven"));
    assert!(html.contains("3 voorstellen om over te beslissen"), "{html}");
    // The story page still shows the suggestions in its table.
    let page = app.get(&format!("{BASE}/stories/{sure}")).await.text().await.unwrap();
    assert!(page.contains("source-model"));

    // Accepting one suggestion: one fewer to decide on.
    app.post_form(&tags_of(&sure), &[("action", "accept"), ("theme", &waiting.id), ("back", "coding")]).await;
    let html = app.get(&format!("{queue}?story={sure}")).await.text().await.unwrap();
    assert!(html.contains("2 voorstellen om over te beslissen"), "{html}");

    // Choosing the other suggested theme by hand from the list: the person's own tag, and the
    // suggestion is no longer open; the model's tag is not turned into an accepted one.
    let resp =
        app.post_form(&tags_of(&sure), &[("action", "add"), ("theme", &school.id), ("back", "coding")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let tags = app.store.tags_for_story(&sure).await.unwrap();
    let of = |source| tags.iter().find(|t| t.theme_id == school.id && t.source == source).cloned();
    let manual = of(TagSource::Manual).expect("a hand-made tag");
    assert_eq!((manual.state, manual.by_user.as_deref()), (TagState::Accepted, Some(me.id.as_str())));
    assert_eq!(of(TagSource::Model).unwrap().state, TagState::Suggested);
    let history = app.store.tag_history(&sure).await.unwrap();
    let last = history.iter().rfind(|h| h.theme_id == school.id).unwrap();
    assert_eq!((last.source, last.by_user.as_deref()), (TagSource::Manual, Some(me.id.as_str())));
    let html = app.get(&format!("{queue}?story={sure}")).await.text().await.unwrap();
    assert!(
        html.contains("Nog 1 verhaal met open voorstellen")
            && html.contains("1 voorstel om over te beslissen")
    );
}
on_both_backends!(
    the_coding_queue_shows_each_suggestion_once_counts_down_and_records_hand_choices_as_the_persons
);
