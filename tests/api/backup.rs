//! Backups while the service runs: a backup taken under concurrent submissions holds every story
//! acknowledged before it began, and restores (SQLite: `luister backup` / `luister restore`;
//! PostgreSQL: the documented `pg_dump -Fc` / `pg_restore` steps) bring them all back.

use crate::helpers::{Backend, PgDatabase, TestApp, spawn_app_with};
use crate::on_both_backends;
use luister::store;
use serde_json::json;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn luister() -> Command {
    Command::new(env!("CARGO_BIN_EXE_luister"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether pg_dump and pg_restore can be run here; in CI their absence fails the test.
fn pg_tools_available() -> bool {
    let ok = ["pg_dump", "pg_restore"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()));
    if !ok {
        assert!(
            !in_ci(),
            "CI=true but pg_dump/pg_restore are not installed: the PostgreSQL backup test must run"
        );
        eprintln!("SKIPPING the PostgreSQL backup test: pg_dump/pg_restore not found on PATH");
    }
    ok
}

/// 16 clients posting stories through the API until `stop`; every acknowledged id is recorded.
fn start_load(
    app: &TestApp,
    acked: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let url = app.url(&format!("/api/v1/campaigns/{}/stories", app.campaign.slug()));
    (0..16)
        .map(|worker| {
            let (url, acked, stop) = (url.clone(), acked.clone(), stop.clone());
            let client = reqwest::Client::new();
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = json!({
                        "text": format!("Verhaal {worker}-{i}: mijn oom bracht me elke week naar de training."),
                        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true,
                        "answers": { "gevoel": "opgelucht" }
                    });
                    let r = client.post(&url).json(&body).send().await.expect("submission");
                    assert_eq!(r.status(), 201, "a submission under load was refused");
                    let v: serde_json::Value = r.json().await.unwrap();
                    acked.lock().unwrap().push(v["id"].as_str().unwrap().to_string());
                }
            })
        })
        .collect()
}

async fn wait_for_acks(acked: &Mutex<Vec<String>>, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < n {
        assert!(Instant::now() < deadline, "fewer than {n} stories acknowledged in 60 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn backup_under_load_holds_every_story_acknowledged_before_it(backend: Backend) {
    if backend == Backend::Postgres && !pg_tools_available() {
        return;
    }
    let Some(app) = spawn_app_with(backend, |c| {
        c.stories_per_client_per_hour = 1_000_000;
        c.story_burst = 100_000;
    })
    .await
    else {
        return;
    };
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let load = start_load(&app, acked.clone(), stop.clone());
    wait_for_acks(&acked, 60).await;

    let before: HashSet<String> = acked.lock().unwrap().iter().cloned().collect();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.dump");
    let url = app.store_url();
    let made = match backend {
        Backend::Sqlite => luister().args(["--database-url", &url, "backup"]).arg(&file).output().unwrap(),
        Backend::Postgres => {
            Command::new("pg_dump").args(["-Fc", "-f"]).arg(&file).arg(&url).output().unwrap()
        }
    };
    assert!(made.status.success(), "backup failed: {}", String::from_utf8_lossy(&made.stderr));
    // The load went on during the backup: it was taken from a running, busy service.
    let during = acked.lock().unwrap().len();
    wait_for_acks(&acked, during + 20).await;
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.await.unwrap();
    }
    let after = acked.lock().unwrap().len();

    let (restored, _keep_pg, _keep_dir) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path().join("data");
            let r = luister().arg("--data-dir").arg(&data).arg("restore").arg(&file).output().unwrap();
            assert!(r.status.success(), "restore failed: {}", String::from_utf8_lossy(&r.stderr));
            let url = format!("sqlite://{}", data.join("luister.sqlite").display());
            let store = store::connect(&url).await.unwrap();
            // The index was rebuilt from the restored database: a running server can use it.
            let engine = luister::search::Engine::new(&data, store.clone(), Duration::from_secs(300));
            let (live, _) = engine.check().await.expect("restore leaves a usable search index");
            let docs = live.reader.searcher().num_docs() as i64;
            assert_eq!(docs, store.count_all_stories().await.unwrap(), "index and database agree");
            (store, None, Some(dir))
        }
        Backend::Postgres => {
            let target = PgDatabase::create().await;
            let r = Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "-d", &target.url])
                .arg(&file)
                .output()
                .unwrap();
            assert!(r.status.success(), "pg_restore failed: {}", String::from_utf8_lossy(&r.stderr));
            let store = store::connect(&target.url).await.unwrap();
            store.migrate().await.expect("a restored database is at the current migration");
            (store, Some(target), None)
        }
    };
    let mut missing = 0;
    for id in &before {
        if restored.story(id).await.is_err() {
            missing += 1;
        }
    }
    assert_eq!(
        missing,
        0,
        "{missing} of {} stories acknowledged before the backup are missing",
        before.len()
    );
    let in_backup = restored.count_all_stories().await.unwrap() as usize;
    assert!(
        in_backup >= before.len() && in_backup < after,
        "backup holds {in_backup}: not a snapshot in the load"
    );
    eprintln!(
        "{backend:?}: {} acknowledged before, {in_backup} in the backup, {after} in the end",
        before.len()
    );
}
on_both_backends!(backup_under_load_holds_every_story_acknowledged_before_it);

async fn backup_of_postgres_points_to_pg_dump(backend: Backend) {
    if backend == Backend::Sqlite {
        return;
    }
    let Some(app) = crate::helpers::spawn_app(backend).await else { return };
    let dir = tempfile::tempdir().unwrap();
    let r = luister()
        .args(["--database-url", &app.store_url(), "backup"])
        .arg(dir.path().join("b"))
        .output()
        .unwrap();
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("pg_dump -Fc") && err.contains("docs/reliability.md"), "{err}");
    assert!(!dir.path().join("b").exists() && !dir.path().join("b.partial").exists());
}
on_both_backends!(backup_of_postgres_points_to_pg_dump);

fn restore(data: &Path, file: &Path) -> (bool, String) {
    let r = luister().arg("--data-dir").arg(data).arg("restore").arg(file).output().unwrap();
    (r.status.success(), String::from_utf8_lossy(&r.stderr).into_owned())
}

#[tokio::test]
async fn restore_refuses_a_non_empty_data_dir_and_files_that_are_not_luister_databases() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("live");
    let ok = luister().arg("--data-dir").arg(&src).arg("migrate").output().unwrap();
    assert!(ok.status.success());
    let good = dir.path().join("good.sqlite");
    let b = luister().arg("--data-dir").arg(&src).arg("backup").arg(&good).output().unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    // A second backup to the same name is refused rather than overwriting the first.
    let again = luister().arg("--data-dir").arg(&src).arg("backup").arg(&good).output().unwrap();
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("exists already"));

    // A data dir with anything in it is refused, and left as it was.
    let busy = dir.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "keep me").unwrap();
    let (ok, err) = restore(&busy, &good);
    assert!(!ok && err.contains("is not empty"), "{err}");
    assert_eq!(std::fs::read_dir(&busy).unwrap().count(), 1);

    // Not SQLite at all.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![0x5a_u8; 8192]).unwrap();
    let (ok, err) = restore(&dir.path().join("a"), &junk);
    assert!(!ok && err.contains("cannot be restored"), "{err}");
    // SQLite, but not a luister database.
    let other = dir.path().join("other.sqlite");
    let url = format!("sqlite://{}?mode=rwc", other.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE things (id INTEGER)").execute(&pool).await.unwrap();
    pool.close().await;
    let (ok, err) = restore(&dir.path().join("b"), &other);
    assert!(!ok && err.contains("no migrations table"), "{err}");
    // A damaged luister database: its pages overwritten in the middle.
    let damaged = dir.path().join("damaged.sqlite");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096;
    assert!(bytes.len() > 4 * page, "backup is {} bytes", bytes.len());
    let end = bytes.len() - 100;
    for b in &mut bytes[2 * page + 100..end] {
        *b = 0x41;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let (ok, err) = restore(&dir.path().join("c"), &damaged);
    assert!(!ok && err.contains("cannot be restored"), "{err}");
    for d in ["a", "b", "c"] {
        assert!(!dir.path().join(d).join("luister.sqlite").exists(), "{d}: nothing restored from a bad file");
    }

    // The good backup restores into a new data dir.
    let (ok, err) = restore(&dir.path().join("fresh"), &good);
    assert!(ok, "{err}");
    assert!(
        dir.path().join("fresh/luister.sqlite").exists() && dir.path().join("fresh/index/current").exists()
    );
}
