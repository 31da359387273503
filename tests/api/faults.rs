//! Faults: a full disk, a read-only database file and PostgreSQL going away under load. For
//! each, the storyteller gets the form back with everything typed and a message in the form's
//! language (503 with Retry-After), the API answers 503 `unavailable` with Retry-After,
//! `/readyz` says 503 while it lasts, nothing acknowledged is lost, and the service recovers by
//! itself when the fault goes away. docs/reliability.md, "Faults", has the measured figures.
//!
//! A real small tmpfs is used where this machine lets the test mount one (root, Linux); the
//! injected faults of the `faults` feature run everywhere.

use crate::helpers::{Backend, TestApp, good_form, hidden_fields, pg_base_url, receipt_code, spawn_app_with};
use luister::store::faults::{self, Fault};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const SLUG: &str = "eigen-netwerk";

fn api_story(n: usize) -> Value {
    json!({
        "text": format!("Mijn mentor hielp me elke week met plannen, verhaal nummer {n}. Dat gaf rust in mijn hoofd."),
        "perspective": "youth",
        "age_band": "16-17",
        "region": "JZ05",
        "prompt": "wat-nodig",
        "consent": true,
        "answers": { "wat_telde": [1, 2, 1], "regie": 0.25, "gevoel": "boos", "wie_hielp": ["school"], "steun": null }
    })
}

async fn post_api_story(app: &TestApp, n: usize) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/campaigns/{SLUG}/stories")))
        .json(&api_story(n))
        .send()
        .await
        .expect("request failed")
}

/// Submits one story through the API and returns its id (it must be acknowledged).
async fn acknowledged_story(app: &TestApp, n: usize) -> String {
    let resp = post_api_story(app, n).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let body: Value = resp.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

/// The form as filled in, in `lang`, posted to the preview; returns the fields the preview's
/// confirm button sends.
async fn confirm_fields(app: &TestApp, lang: &'static str) -> Vec<(String, String)> {
    let mut form = good_form();
    form[0] = ("lang", lang);
    let preview = app.post_form(&format!("/c/{SLUG}/preview"), &form).await;
    assert_eq!(preview.status(), StatusCode::OK);
    hidden_fields(&preview.text().await.unwrap())
}

async fn post_fields(app: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(path, &pairs).await
}

/// The form came back (503, Retry-After) with everything typed and the message in `lang`.
async fn assert_form_kept_everything(resp: reqwest::Response, lang: &str) -> String {
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().contains_key("retry-after"), "Retry-After on the page");
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
    let message = if lang == "nl" {
        "Het lukte ons even niet om je verhaal te bewaren"
    } else {
        "We could not save your story just now"
    };
    assert!(html.contains(message), "message in {lang}: {html}");
    // The story text, title and every answer are on the page again, as typed.
    assert!(html.contains("Bel haar gerust op 06-12345678.</textarea>"), "story text kept");
    assert!(html.contains("value=\"Hulp van de buren\""), "title kept");
    assert!(html.contains("value=\"JZ01\" selected"), "region kept");
    for (name, value) in [
        ("perspective", "youth"),
        ("age_band", "16-17"),
        ("a.wie_hielp", "buurt"),
        ("a.wie_hielp", "familie"),
        ("a.gevoel", "opgelucht"),
        ("consent", "yes"),
    ] {
        assert!(input_checked(&html, name, value), "{name}={value} is checked again");
    }
    assert!(input_tag(&html, "a.wat_hielp.0").is_some_and(|t| t.contains("value=\"60\"")), "triad kept");
    assert!(!html.contains("id=\"error-summary\""), "no field is wrong");
    html
}

/// The `<input …>` tag with this name (and value, when given).
fn input_tag<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..end])
}

fn input_checked(html: &str, name: &str, value: &str) -> bool {
    let needle = format!("name=\"{name}\" value=\"{value}\"");
    html.match_indices(&needle).any(|(at, _)| {
        let end = at + html[at..].find('>').unwrap_or(0);
        html[at..end].contains(" checked")
    })
}

async fn readyz(app: &TestApp) -> StatusCode {
    app.get("/readyz").await.status()
}

/// Waits until `/readyz` answers 200; returns how long that took.
async fn until_ready(app: &TestApp, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let resp = app.get("/readyz").await;
        if resp.status() == StatusCode::OK {
            return start.elapsed();
        }
        let body = resp.text().await.unwrap_or_default();
        assert!(
            start.elapsed() < within,
            "/readyz not 200 within {within:?} after the fault went away: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every acknowledged story is in the database and the index holds every stored story.
async fn assert_nothing_acknowledged_lost(app: &TestApp, store: &luister::store::DynStore, ids: &[String]) {
    for id in ids {
        store.story(id).await.unwrap_or_else(|e| panic!("acknowledged story {id} is missing: {e}"));
    }
    let start = Instant::now();
    let stored = store.count_stories(&app.campaign.id).await.unwrap();
    loop {
        let last = store.last_event_seq().await.unwrap();
        let indexed = app.search.live().map(|l| l.reader.searcher().num_docs()).unwrap_or(0);
        if app.search.applied_seq() >= last && indexed == stored as u64 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the index did not catch up: {indexed} of {stored}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The SQLite file of an app started with `sqlite_on`.
fn db_file(app: &TestApp) -> PathBuf {
    PathBuf::from(app.store_url().trim_start_matches("sqlite://"))
}

async fn sqlite_app_on(dir: Option<&Path>) -> TestApp {
    let file = dir.map(|d| d.join("luister.sqlite"));
    spawn_app_with(Backend::Sqlite, |c| {
        if let Some(f) = file {
            c.database_url = Some(format!("sqlite://{}", f.display()));
        }
    })
    .await
    .unwrap()
}

/// A small tmpfs mounted for one test, unmounted when dropped; `None` where the machine does not
/// allow mounting (not root, no tmpfs, a container without the capability).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system up to the last byte; returns the filler to delete.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        // The last partial block, byte by byte is too slow; small writes take what is left.
        while f.write_all(&block[..512]).is_ok() {}
        let _ = f.sync_all();
        filler
    }

    /// `mount -o remount,ro`; false when the kernel refuses (it does while files on it are open
    /// for writing, as a running SQLite database's are).
    fn remount_read_only(&self) -> bool {
        std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn remount_read_write(&self) {
        let ok = std::process::Command::new("mount").args(["-o", "remount,rw"]).arg(self.path()).status();
        assert!(ok.is_ok_and(|s| s.success()), "remounting {} read-write", self.path().display());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: the app's connections may still be open while the test ends.
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

// ---- A full disk (injected) --------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_keeps_the_typed_story_and_asks_to_try_again() {
    let app = sqlite_app_on(None).await;
    let nl = confirm_fields(&app, "nl").await;
    let en = confirm_fields(&app, "en").await;
    faults::inject(&db_file(&app), Fault::DiskFull);

    let html =
        assert_form_kept_everything(post_fields(&app, &format!("/c/{SLUG}/submit"), &nl).await, "nl").await;
    assert_form_kept_everything(post_fields(&app, &format!("/c/{SLUG}/submit"), &en).await, "en").await;
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);

    // The kept form goes on as before: preview, then confirm, once the disk has room again.
    faults::clear(&db_file(&app));
    let token = nl.iter().find(|(k, _)| k == "token").unwrap().1.clone();
    let kept = hidden_fields(&html);
    assert!(kept.iter().any(|(k, v)| k == "token" && *v == token), "the retry keeps the submission token");
    let preview = app.post_form(&format!("/c/{SLUG}/preview"), &good_form_with_token(&token)).await;
    let fields = hidden_fields(&preview.text().await.unwrap());
    assert!(fields.iter().any(|(k, v)| k == "token" && *v == token));
    let receipt = post_fields(&app, &format!("/c/{SLUG}/submit"), &fields).await;
    assert_eq!(receipt.status(), StatusCode::OK);
    assert!(receipt_code(&receipt.text().await.unwrap()).is_some());
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 1);
}

fn good_form_with_token(token: &str) -> Vec<(&'static str, &str)> {
    let mut form: Vec<(&'static str, &str)> = good_form().into_iter().collect();
    form.push(("token", token));
    form
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_makes_the_api_answer_503_with_retry_after_and_code_unavailable() {
    let app = sqlite_app_on(None).await;
    faults::inject(&db_file(&app), Fault::DiskFull);
    let started = Instant::now();
    let resp = post_api_story(&app, 1).await;
    assert!(started.elapsed() < Duration::from_secs(2), "a full disk is answered at once");
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "5");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "unavailable");
    assert!(body["message"].as_str().unwrap().contains("nothing was stored"), "{body}");
    assert_eq!(readyz(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    // Reads go on: the campaign and the empty form still show.
    assert_eq!(app.get(&format!("/c/{SLUG}")).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_recovers_by_itself_when_the_disk_has_room_again() {
    let app = sqlite_app_on(None).await;
    let mut acknowledged = vec![acknowledged_story(&app, 1).await, acknowledged_story(&app, 2).await];
    faults::inject(&db_file(&app), Fault::DiskFull);
    for n in 3..6 {
        assert_eq!(post_api_story(&app, n).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(readyz(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    faults::clear(&db_file(&app));
    let took = until_ready(&app, Duration::from_secs(5)).await;
    eprintln!("injected full disk: /readyz 200 again {} ms after the disk had room", took.as_millis());
    acknowledged.push(acknowledged_story(&app, 6).await);
    assert_nothing_acknowledged_lost(&app, &app.store, &acknowledged).await;
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 3, "no refused story was stored");
}

// ---- A full disk (a real tmpfs) ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_really_full_tmpfs_refuses_stories_with_503_keeps_the_form_and_recovers_when_emptied() {
    let Some(fs) = Tmpfs::mount("16m") else {
        eprintln!(
            "SKIPPING the tmpfs full-disk test: this machine does not allow mounting a tmpfs (the injected tests ran)"
        );
        return;
    };
    let app = sqlite_app_on(Some(fs.path())).await;
    let mut acknowledged = vec![acknowledged_story(&app, 1).await];
    let nl = confirm_fields(&app, "nl").await;
    // An empty WAL: the next commit must grow it, so it meets the full disk.
    app.store.purge_deleted().await.unwrap();
    let filler = fs.fill();

    let mut refused = 0;
    for n in 2..40 {
        let resp = post_api_story(&app, n).await;
        match resp.status() {
            StatusCode::CREATED => {
                acknowledged.push(resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().into())
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(resp.headers()["retry-after"], "5");
                assert_eq!(resp.json::<Value>().await.unwrap()["code"], "unavailable");
                refused += 1;
                break;
            }
            other => panic!("a full disk answered {other}"),
        }
    }
    assert_eq!(refused, 1, "a story was refused once the disk was full");
    assert_form_kept_everything(post_fields(&app, &format!("/c/{SLUG}/submit"), &nl).await, "nl").await;
    // Not asserted: /readyz's probe writes one page, which can still fit where a story does not
    // (the refused transaction left room in the WAL); the injected tests check /readyz.
    eprintln!("tmpfs full disk: /readyz during the fault {}", readyz(&app).await);

    std::fs::remove_file(&filler).unwrap();
    let took = until_ready(&app, Duration::from_secs(5)).await;
    eprintln!("tmpfs full disk: /readyz 200 again {} ms after the filler was removed", took.as_millis());
    let receipt = post_fields(&app, &format!("/c/{SLUG}/submit"), &nl).await;
    assert_eq!(receipt.status(), StatusCode::OK, "the kept form is stored once the disk has room");
    acknowledged.push(acknowledged_story(&app, 99).await);
    assert_nothing_acknowledged_lost(&app, &app.store, &acknowledged).await;
    // Committed in the file, not only visible to the app's own connections: a story
    // acknowledged after the fault was once left in a never-committed transaction.
    let fresh = luister::store::connect(&app.store_url()).await.unwrap();
    for id in &acknowledged {
        assert!(fresh.story(id).await.is_ok(), "story {id} is in the file for a new connection");
    }
}

// ---- A read-only database file ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_keeps_the_typed_story_answers_503_and_recovers_when_writable_again() {
    let fs = Tmpfs::mount("64m");
    let app = sqlite_app_on(fs.as_ref().map(Tmpfs::path)).await;
    let mut acknowledged = vec![acknowledged_story(&app, 1).await];
    let en = confirm_fields(&app, "en").await;
    // A real read-only remount where the kernel allows it; with the database open for writing
    // Linux refuses it ("mount point is busy"), and SQLite's query_only switch stands in.
    let remounted = fs.as_ref().is_some_and(Tmpfs::remount_read_only);
    if !remounted {
        faults::inject(&db_file(&app), Fault::ReadOnly);
    }
    eprintln!(
        "read-only database: {}",
        if remounted { "tmpfs remounted ro" } else { "injected (query_only)" }
    );

    assert_form_kept_everything(post_fields(&app, &format!("/c/{SLUG}/submit"), &en).await, "en").await;
    let resp = post_api_story(&app, 2).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "5");
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "unavailable");
    assert_eq!(readyz(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    // The stories already there can still be read.
    assert!(app.store.story(&acknowledged[0]).await.is_ok());

    match (&fs, remounted) {
        (Some(fs), true) => fs.remount_read_write(),
        _ => faults::clear(&db_file(&app)),
    }
    let took = until_ready(&app, Duration::from_secs(5)).await;
    eprintln!("read-only database: /readyz 200 again {} ms after it was writable", took.as_millis());
    assert_eq!(post_fields(&app, &format!("/c/{SLUG}/submit"), &en).await.status(), StatusCode::OK);
    acknowledged.push(acknowledged_story(&app, 3).await);
    assert_nothing_acknowledged_lost(&app, &app.store, &acknowledged).await;
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 3);
}

// ---- PostgreSQL going away under load -----------------------------------------------------------

/// A TCP proxy between the app and PostgreSQL. `cut` closes every connection through it and
/// refuses new ones until `restore`: to the app that is what a PostgreSQL restart looks like,
/// without restarting the server other tests use.
struct PgProxy {
    port: u16,
    open: Arc<AtomicBool>,
    cut: tokio::sync::watch::Sender<u64>,
}

impl PgProxy {
    async fn start(upstream: String) -> PgProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let (cut, cuts) = tokio::sync::watch::channel(0u64);
        let is_open = open.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { continue };
                if !is_open.load(Ordering::SeqCst) {
                    drop(client); // refused: closed before a byte is exchanged
                    continue;
                }
                let upstream = upstream.clone();
                let mut cuts = cuts.clone();
                // Only a cut after this connection was made ends it.
                cuts.borrow_and_update();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cuts.changed() => {} // both sockets are dropped: cut off mid-stream
                    }
                });
            }
        });
        PgProxy { port, open, cut }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

/// `host:port` of a PostgreSQL URL.
fn host_port(url: &str) -> String {
    let after_at = url.rsplit_once('@').map_or(url, |(_, r)| r);
    after_at.split('/').next().unwrap().to_string()
}

#[derive(Default)]
struct Load {
    acknowledged: Vec<String>,
    /// (when it was sent, how long the 503 took).
    failed: Vec<(Instant, Duration)>,
    successes: Vec<Instant>,
    other: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_under_load_loses_no_acknowledged_story_and_recovers() {
    if !crate::helpers::postgres_available().await {
        return;
    }
    let upstream = host_port(&pg_base_url());
    let proxy = PgProxy::start(upstream.clone()).await;
    let proxy_port = proxy.port;
    let mut direct_url = String::new();
    let app = spawn_app_with(Backend::Postgres, |c| {
        let url = c.database_url.clone().unwrap();
        direct_url = url.clone();
        c.database_url = Some(url.replacen(&upstream, &format!("127.0.0.1:{proxy_port}"), 1));
        c.stories_per_client_per_hour = 1_000_000;
        c.story_burst = 100_000;
    })
    .await
    .unwrap();
    assert!(app.store_url().contains(&format!(":{proxy_port}/")), "the app goes through the proxy");
    let direct = luister::store::connect(&direct_url).await.unwrap();
    let nl = confirm_fields(&app, "nl").await;

    // Four clients submit stories all along: before, during and after the outage.
    let load = Arc::new(Mutex::new(Load::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..4 {
        let (load, stop, client, base) = (load.clone(), stop.clone(), app.client.clone(), app.base.clone());
        clients.push(tokio::spawn(async move {
            let mut n = c * 100_000;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let sent = Instant::now();
                let resp = client
                    .post(format!("{base}/api/v1/campaigns/{SLUG}/stories"))
                    .json(&api_story(n))
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await;
                let mut l = load.lock().await;
                match resp {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let body: Value = r.json().await.unwrap();
                        l.acknowledged.push(body["id"].as_str().unwrap().to_string());
                        l.successes.push(Instant::now());
                    }
                    Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => {
                        assert!(r.headers().contains_key("retry-after"));
                        let body: Value = r.json().await.unwrap();
                        assert_eq!(body["code"], "unavailable", "{body}");
                        l.failed.push((sent, sent.elapsed()));
                        drop(l);
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Ok(r) => l.other.push(format!("{} {}", r.status(), r.text().await.unwrap_or_default())),
                    Err(e) => l.other.push(format!("transport: {e}")),
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = load.lock().await.acknowledged.len();
    assert!(before > 0, "stories are acknowledged before the outage");
    proxy.cut();
    let cut_at = Instant::now();

    // During the outage: /readyz says so, and the form keeps everything typed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ready_during = readyz(&app).await;
    let form = post_fields(&app, &format!("/c/{SLUG}/submit"), &nl).await;
    assert_eq!(form.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(form.headers().contains_key("retry-after"));
    let html = form.text().await.unwrap();
    assert!(html.contains("Het lukte ons even niet om je verhaal te bewaren"), "{html}");
    // Even the campaign could not be read: the page holds everything typed to send it again.
    assert!(html.contains("id=\"retry\"") && html.contains("Bel haar gerust op 06-12345678."), "{html}");
    let kept = hidden_fields(&html);
    let sent: Vec<_> = nl.iter().filter(|(k, _)| k != "_csrf").collect();
    for field in &sent {
        assert!(kept.contains(field) || html.contains(&field.1), "the page keeps {field:?}");
    }
    let retry = kept.clone();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    proxy.restore();
    let restored_at = Instant::now();

    let ready_after = until_ready(&app, Duration::from_secs(15)).await;
    // The page kept from the outage, sent again, is stored.
    let again = post_fields(&app, &format!("/c/{SLUG}/submit"), &retry).await;
    assert_eq!(again.status(), StatusCode::OK, "retrying the kept form stores the story");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.unwrap();
    }

    let load = load.lock().await;
    assert!(load.other.is_empty(), "only 201 and 503 answers: {:?}", load.other);
    assert_eq!(ready_during, StatusCode::SERVICE_UNAVAILABLE, "/readyz during the outage");
    let during: Vec<_> = load.failed.iter().filter(|(sent, _)| *sent >= cut_at).collect();
    assert!(!during.is_empty(), "requests during the outage failed");
    let slowest = during.iter().map(|(_, took)| *took).max().unwrap();
    assert!(slowest < Duration::from_secs(5), "a request during the outage took {slowest:?} to fail");
    let first_success = load.successes.iter().filter(|t| **t >= restored_at).min().copied();
    let recovered = first_success.expect("stories are acknowledged after the outage") - restored_at;
    let after = load.successes.iter().filter(|t| **t >= restored_at).count();
    eprintln!(
        "postgres outage: {} acknowledged before, {} failed with 503 (slowest {} ms), first story acknowledged {} ms \
         and /readyz 200 {} ms after PostgreSQL was back, {} acknowledged after",
        before,
        during.len(),
        slowest.as_millis(),
        recovered.as_millis(),
        ready_after.as_millis(),
        after
    );
    assert!(recovered < Duration::from_secs(10), "the service recovered in {recovered:?}");
    assert_nothing_acknowledged_lost(&app, &direct, &load.acknowledged).await;
}
