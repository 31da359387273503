//! Browser tests: Chromium driven by playwright-core (tests/browser/*.mjs), against the real app.
//! Skipped with a message when Chromium or node_modules are missing, unless CI=true.

use crate::helpers::{Backend, spawn_app};
use std::path::Path;
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether the browser tests can run here; explains why not.
fn browser_ready() -> bool {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let missing = if !Path::new(CHROMIUM).exists() {
        Some(format!("{CHROMIUM} not found (apt-get install chromium)"))
    } else if !dir.join("node_modules/playwright-core").exists() {
        Some(format!("playwright-core not installed (cd {} && npm ci)", dir.display()))
    } else if Command::new("node").arg("--version").output().is_err() {
        Some("node not found".into())
    } else {
        None
    };
    match missing {
        None => true,
        Some(why) if in_ci() => panic!("CI=true but browser tests cannot run: {why}"),
        Some(why) => {
            eprintln!("SKIPPING browser tests: {why}");
            false
        }
    }
}

/// Where screenshots go: `LUISTER_SCREENSHOTS` to keep them, else the test's temporary directory.
fn screenshot_dir(app: &crate::helpers::TestApp) -> std::path::PathBuf {
    std::env::var("LUISTER_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| app.dir.path().join("screenshots"))
}

fn run_script(script: &str, base: &str, out_dir: &Path) {
    run_script_with(script, base, out_dir, &[]);
}

fn run_script_with(script: &str, base: &str, out_dir: &Path, env: &[(&str, &str)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = Command::new("node")
        .arg(dir.join(script))
        .env("BASE_URL", base)
        .env("CHROMIUM", CHROMIUM)
        .env("SCREENSHOT_DIR", out_dir)
        .envs(env.iter().copied())
        .current_dir(&dir)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    eprintln!("{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storyteller_tells_reads_and_withdraws_a_story_with_the_keyboard_only() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script("story_form.mjs", &app.base, &shots);
    // The script withdrew the story it told.
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
    let events = app.store.events_after(0, 10).await.unwrap();
    assert_eq!(events.len(), 2, "one upsert, one delete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untouched_sliders_and_triangles_are_no_answer_by_keyboard_mouse_touch_and_without_javascript() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script("answers.mjs", &app.base, &shots);
    // The script only went as far as the preview: nothing was stored.
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_builds_and_opens_a_campaign_then_reads_a_story_that_steering_cannot_open() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let password = "lange zin met wolken en trompetten";
    let mut emails = Vec::new();
    for role in [luister::domain::Role::Facilitator, luister::domain::Role::Steering] {
        let email = format!("{}@browser.example.nl", role.as_str());
        luister::auth::accounts::create(
            &app.store,
            luister::auth::accounts::NewAccount {
                email: email.clone(),
                name: format!("Browser {role}"),
                role,
                password: password.into(),
            },
            luister::domain::Actor::system(),
        )
        .await
        .unwrap();
        emails.push(email);
    }
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "facilitator.mjs",
        &app.base,
        &shots,
        &[("FACILITATOR_EMAIL", &emails[0]), ("STEERING_EMAIL", &emails[1]), ("PASSWORD", password)],
    );
    let campaign = app.store.campaign_by_slug("browser-toets").await.unwrap();
    assert_eq!(campaign.def.status, luister::domain::CampaignStatus::Open);
    assert_eq!(app.store.count_stories(&campaign.id).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_codes_suggestions_with_the_keyboard_in_the_coding_queue() {
    use luister::domain::theme::{Tag, TagSource, TagState, Theme};
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let password = "lange zin met wolken en trompetten";
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "codeur@browser.example.nl".into(),
            name: "Browser codeur".into(),
            role: luister::domain::Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    let c = app.campaign.id.clone();
    app.store.set_membership(&c, &user.id, true, &crate::helpers::system_audit()).await.unwrap();
    let mut stories = Vec::new();
    for text in [
        "We wachtten maanden op hulp; de wachtlijst was eindeloos en niemand belde terug.",
        "Mijn tante hielp me toen ik niet meer naar school ging en alles te veel werd.",
    ] {
        let body = serde_json::json!({
            "text": text, "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
            "answers": { "gevoel": "blij", "wat_hielp": [1, 1, 1] }
        });
        let resp = app
            .client
            .post(app.url("/api/v1/campaigns/eigen-netwerk/stories"))
            .json(&body)
            .send()
            .await
            .unwrap();
        stories.push(resp.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    let now = time::OffsetDateTime::now_utc();
    let mut themes = Vec::new();
    for name in ["Wachten", "School"] {
        let t = Theme {
            id: uuid::Uuid::new_v4().to_string(),
            campaign_id: Some(c.clone()),
            name: name.into(),
            description: String::new(),
            colour: "#0b5a7a".into(),
            parent_id: None,
            rule: None,
            merged_into: None,
            created_at: now,
            updated_at: now,
        };
        app.store.create_theme(&t).await.unwrap();
        themes.push(t.id);
    }
    let suggest = |story: &str, theme: &str, confidence: f64| Tag {
        story_id: story.into(),
        theme_id: theme.into(),
        source: TagSource::Model,
        state: TagState::Suggested,
        confidence: Some(confidence),
        explanation: Some(vec![("wachtlijst".into(), 0.5)]),
        by_user: None,
        at: now,
    };
    app.store
        .set_tags(&[
            suggest(&stories[0], &themes[0], 0.9),
            suggest(&stories[0], &themes[1], 0.4),
            suggest(&stories[1], &themes[1], 0.6),
        ])
        .await
        .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "coding.mjs",
        &app.base,
        &shots,
        &[
            ("FACILITATOR_EMAIL", "codeur@browser.example.nl"),
            ("PASSWORD", password),
            ("SLUG", "eigen-netwerk"),
        ],
    );
    let tags = app.store.tags_for_story(&stories[0]).await.unwrap();
    let state = |theme: &str| tags.iter().find(|t| t.theme_id == theme).map(|t| (t.state, t.by_user.clone()));
    assert_eq!(state(&themes[0]), Some((TagState::Accepted, Some(user.id.clone()))));
    assert_eq!(state(&themes[1]), Some((TagState::Rejected, Some(user.id.clone()))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_finds_threads_promotes_one_measures_suggestions_and_codes_a_sample_in_the_browser() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    luister::transfer::import::load_demo(app.store.clone(), 500).await.unwrap();
    let password = "lange zin met wolken en trompetten";
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "analist@browser.example.nl".into(),
            name: "Browser analist".into(),
            role: luister::domain::Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store
        .set_membership(&app.campaign.id, &user.id, true, &crate::helpers::system_audit())
        .await
        .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "analysis.mjs",
        &app.base,
        &shots,
        &[
            ("FACILITATOR_EMAIL", "analist@browser.example.nl"),
            ("PASSWORD", password),
            ("SLUG", "eigen-netwerk"),
        ],
    );
    let themes = app.store.themes(Some(&app.campaign.id)).await.unwrap();
    assert!(themes.iter().any(|t| t.name == "Eerste draad"), "the promoted thread is a theme");
    let samples = app.store.samples(&app.campaign.id).await.unwrap();
    assert_eq!(app.store.sample_codings(&samples[0].id).await.unwrap().len(), 3 * 2);
}

/// Issue 10, done when: a facilitator opens the map of the demo campaign, compares by
/// perspective and by age band, follows a cell to its stories, reads a sentence, downloads a
/// table, freezes and publishes; the steering account sees the published map with small cells
/// hidden and no story text from them. (SQLite, like the other browser tests; the map's
/// integration tests in tests/api/maps.rs run on both databases.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_makes_freezes_and_publishes_a_perspective_map_and_steering_sees_it_disclosed() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    luister::transfer::import::load_demo(app.store.clone(), 600).await.unwrap();
    let password = "lange zin met kaarten en kompassen";
    let account = |email: &str, role| luister::auth::accounts::NewAccount {
        email: email.into(),
        name: format!("Browser {email}"),
        role,
        password: password.into(),
    };
    let fac = luister::auth::accounts::create(
        &app.store,
        account("kaart@browser.example.nl", luister::domain::Role::Facilitator),
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store.set_membership(&app.campaign.id, &fac.id, true, &crate::helpers::system_audit()).await.unwrap();
    luister::auth::accounts::create(
        &app.store,
        account("stuur@browser.example.nl", luister::domain::Role::Steering),
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "maps.mjs",
        &app.base,
        &shots,
        &[
            ("FACILITATOR_EMAIL", "kaart@browser.example.nl"),
            ("STEERING_EMAIL", "stuur@browser.example.nl"),
            ("PASSWORD", password),
            ("SLUG", "eigen-netwerk"),
        ],
    );
    let maps = app.store.published_maps().await.unwrap();
    assert!(maps.iter().any(|m| m.title == "Browserkaart"), "the map was frozen and published");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_from_a_frozen_map_with_cards_a_phone_participant_approval_and_clusters() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let password = "lange zin met wolken en trompetten";
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "begeleider@browser.example.nl".into(),
            name: "Browser begeleider".into(),
            role: luister::domain::Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store
        .set_membership(&app.campaign.id, &user.id, true, &crate::helpers::system_audit())
        .await
        .unwrap();
    crate::maps::tagged_campaign(&app).await;
    let built = luister::maps::build(&app.store, None, &app.campaign, &Default::default()).await.unwrap();
    luister::maps::frozen::freeze(
        &app.store,
        &app.campaign,
        &built,
        "",
        "Kaart voor de sessie",
        20,
        5,
        luister::domain::Actor::system(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "session.mjs",
        &app.base,
        &shots,
        &[
            ("FACILITATOR_EMAIL", "begeleider@browser.example.nl"),
            ("PASSWORD", password),
            ("SLUG", app.campaign.slug()),
        ],
    );
    let session = app.store.sessions(&app.campaign.id).await.unwrap().remove(0);
    let notes = luister::sessions::notes_of_session(&app.store, &session.id).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].by_participant && notes[0].approved_at.is_some() && notes[0].cluster_id.is_some());
    assert_eq!(luister::sessions::cards_of_session(&app.store, &session.id).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_publishes_two_actions_and_a_storyteller_sees_them_with_their_receipt_code() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let body = serde_json::json!({
        "text": "De regels werden pas achteraf uitgelegd, toen was het al gebeurd.",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
        "answers": { "gevoel": "boos", "wat_hielp": [1, 1, 1] }
    });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    let code = resp.json::<serde_json::Value>().await.unwrap()["receipt_code"].as_str().unwrap().to_string();
    let (email, password) = ("facilitator@actions.example.nl", "lange zin met wolken en trompetten");
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: email.into(),
            name: "Browser facilitator".into(),
            role: luister::domain::Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store
        .set_membership(&app.campaign.id, &user.id, true, &crate::helpers::system_audit())
        .await
        .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with(
        "actions.mjs",
        &app.base,
        &shots,
        &[("FACILITATOR_EMAIL", email), ("PASSWORD", password), ("RECEIPT_CODE", &code)],
    );
    let published = app
        .store
        .actions(&luister::store::ActionFilter { published_only: true, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(published.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facilitator_makes_an_api_token_on_the_account_page_sees_it_once_and_revokes_it() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let password = "lange zin met wolken en trompetten";
    let email = "tokens@browser.example.nl";
    let user = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: email.into(),
            name: "Browser token".into(),
            role: luister::domain::Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    app.store
        .set_membership(&app.campaign.id, &user.id, true, &crate::helpers::system_audit())
        .await
        .unwrap();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    run_script_with("tokens.mjs", &app.base, &shots, &[("FACILITATOR_EMAIL", email), ("PASSWORD", password)]);
    let tokens = app.store.api_tokens_of(&user.id).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0].revoked_at.is_some() && tokens[0].last_used_at.is_some());
}

/// Issue 12, done when: the steering demo account sees the dashboard of the demo with small
/// cells hidden, and prints it (tests/browser/dashboard.mjs: print media and an A4 PDF; no count
/// below k, the filter and navigation gone, charts within A4's width).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_steering_demo_account_prints_the_dashboard_on_a4_with_small_cells_hidden() {
    if !browser_ready() {
        return;
    }
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let (campaign, _) = luister::transfer::import::load_demo(app.store.clone(), 600).await.unwrap();
    let accounts = luister::auth::accounts::create_demo_users(&app.store, &campaign.id).await.unwrap();
    let (email, _, password) = accounts
        .iter()
        .find(|(_, role, _)| *role == luister::domain::Role::Steering)
        .expect("the demo has a steering account")
        .clone();
    let shots = screenshot_dir(&app);
    std::fs::create_dir_all(&shots).unwrap();
    // The test app runs with the default threshold.
    let k = luister::config::Config::default().disclosure_threshold.max(1).to_string();
    run_script_with(
        "dashboard.mjs",
        &app.base,
        &shots,
        &[("STEERING_EMAIL", &email), ("PASSWORD", &password), ("K", &k)],
    );
}
