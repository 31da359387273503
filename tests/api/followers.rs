//! Background work that follows the database: the rule follower resumes where it stopped, and
//! with several instances on one PostgreSQL database the follower and the retrain scheduler
//! run once per deployment, not once per instance.

use crate::helpers::{Backend, DEMO_TOML, PgDatabase, fresh_database, postgres_available, system_audit};
use crate::on_both_backends;
use luister::Application;
use luister::config::Config;
use luister::domain::story::StorySource;
use luister::domain::theme::{Tag, TagSource, TagState, Theme};
use luister::domain::{Campaign, CampaignDef, NewStory, Perspective};
use luister::store::{self, DynStore};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

fn story(campaign_id: &str, text: &str) -> NewStory {
    NewStory {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign_id.to_string(),
        external_id: Some(uuid::Uuid::new_v4().to_string()),
        title: None,
        text: text.to_string(),
        language: "nl".into(),
        perspective: Perspective::Parent,
        age_band: None,
        region: None,
        municipality: None,
        prompt_id: None,
        answers: Default::default(),
        receipt_hash: None,
        submission_key: None,
        source: StorySource::Import,
        form_version: 1,
        created_at: OffsetDateTime::now_utc(),
        safeguarding: Vec::new(),
    }
}

/// A campaign with one theme whose rule is `buurvrouw`.
async fn campaign_with_rule(store: &DynStore) -> (Campaign, Theme) {
    let (campaign, _) =
        store.save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &system_audit()).await.unwrap();
    let now = OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let theme = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(campaign.id.clone()),
        name: "Buren".into(),
        description: String::new(),
        colour: "#0b5a7a".into(),
        parent_id: None,
        rule: Some("buurvrouw".into()),
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    store.create_theme(&theme).await.unwrap();
    (campaign, theme)
}

async fn has_rule_tag(store: &DynStore, story_id: &str, theme_id: &str) -> bool {
    let tags = store.tags_for_story(story_id).await.unwrap();
    tags.iter().any(|t| t.theme_id == theme_id && t.source == TagSource::Rule)
}

async fn wait_for_rule_tags(store: &DynStore, ids: &[String], theme_id: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        let mut all = true;
        for id in ids {
            all &= has_rule_tag(store, id, theme_id).await;
        }
        if all {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `luister serve` as its own process, so that it can really be stopped.
fn serve(data_dir: &std::path::Path, url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_luister"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--database-url", url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn rule_tags_reach_stories_imported_while_the_server_was_stopped(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, _pg)) = fresh_database(backend, &dir).await else { return };
    let store = store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let (campaign, theme) = campaign_with_rule(&store).await;

    // The server runs and tags a story that arrives while it runs.
    let port = free_port();
    let mut server = serve(dir.path(), &url, port);
    let first = story(&campaign.id, "De buurvrouw hielp ons de eerste keer.");
    store.insert_story(&first).await.unwrap();
    let tagged =
        wait_for_rule_tags(&store, std::slice::from_ref(&first.id), &theme.id, Duration::from_secs(30)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(tagged, "the running server rule-tags a new story");

    // Stories imported while no server runs (what `luister import` does).
    let batch: Vec<NewStory> =
        (0..5).map(|n| story(&campaign.id, &format!("Verhaal {n}: de buurvrouw kookte voor ons."))).collect();
    let ids = store.import_stories(&batch).await.unwrap().ids;
    let other = story(&campaign.id, "Mijn oom hielp met vervoer.");
    store.insert_story(&other).await.unwrap();
    assert!(!has_rule_tag(&store, &ids[0], &theme.id).await);

    // Started again, the server catches up from where it stopped (on PostgreSQL once the killed
    // server's lease on the follower has run out).
    let mut server = serve(dir.path(), &url, port);
    let tagged = wait_for_rule_tags(&store, &ids, &theme.id, Duration::from_secs(60)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(tagged, "stories imported while the server was down got their rule tags");
    assert!(!has_rule_tag(&store, &other.id, &theme.id).await, "a story without the word is not tagged");
}
on_both_backends!(rule_tags_reach_stories_imported_while_the_server_was_stopped);

async fn instance(url: &str, data_dir: &std::path::Path) -> DynStore {
    let config = Config {
        data_dir: data_dir.to_path_buf(),
        database_url: Some(url.to_string()),
        addr: "127.0.0.1:0".parse().unwrap(),
        retrain_after_seconds: 0,
        ..Config::default()
    };
    let app = Application::build(config).await.expect("app starts");
    let store = app.store.clone();
    tokio::spawn(app.run_until_stopped());
    store
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_database_tag_and_retrain_once() {
    if !postgres_available().await {
        return;
    }
    let db = PgDatabase::create().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let store = instance(&db.url, dir_a.path()).await;
    let _other = instance(&db.url, dir_b.path()).await;
    let (campaign, theme) = campaign_with_rule(&store).await;

    // Stories arrive while both instances run; each instance's index sees every one.
    let mut ids = Vec::new();
    for n in 0..20 {
        let s = story(&campaign.id, &format!("Verhaal {n}: de buurvrouw hielp."));
        store.insert_story(&s).await.unwrap();
        ids.push(s.id);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(wait_for_rule_tags(&store, &ids, &theme.id, Duration::from_secs(30)).await, "rule tags appear");

    // A person codes a story: the retrain scheduler starts a retraining after the quiet time.
    let manual = Tag {
        story_id: ids[0].clone(),
        theme_id: theme.id.clone(),
        source: TagSource::Manual,
        state: TagState::Accepted,
        confidence: None,
        explanation: None,
        by_user: Some("u1".into()),
        at: OffsetDateTime::now_utc(),
    };
    store.set_tags(&[manual]).await.unwrap();
    // Long enough for every instance's scheduler to have looked more than once (every 10 s).
    tokio::time::sleep(Duration::from_secs(25)).await;

    for id in &ids {
        let set_by_rule = store
            .tag_history(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|h| h.source == TagSource::Rule && h.theme_id == theme.id)
            .count();
        assert_eq!(set_by_rule, 1, "one rule-tag history line per story, not one per instance");
    }
    let retrains =
        store.jobs(&campaign.id, 100).await.unwrap().into_iter().filter(|j| j.kind == "retrain").count();
    assert_eq!(retrains, 1, "one retraining per deployment, not one per instance");
}
