//! The crash harness (`luister bench crash`): a real server process under 16-client mixed load —
//! form and API submissions, withdrawals, coding — killed with SIGKILL at random points and
//! restarted each time. After every restart it checks the promises: every acknowledged story
//! is there, every acknowledged withdrawal is gone, and the search index agrees with the
//! database (count and a sample of queries) within a few seconds.

use crate::domain::theme::Theme;
use crate::domain::{Actor, AuditAction, AuditEntry, CampaignDef, ReceiptCode, Role};
use crate::search::exec::{self, SearchRequest};
use crate::store::{self, DynStore, StoreError};
use crate::transfer::import::DEMO_CAMPAIGN;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Which database the server runs on.
#[derive(Debug, Clone)]
pub enum Database {
    /// A fresh SQLite file in the run's data dir.
    Sqlite,
    /// A database URL (a fresh, empty database made for the run).
    Postgres(String),
}

pub struct Options {
    /// The `luister` binary to run as the server.
    pub binary: PathBuf,
    pub database: Database,
    pub kills: usize,
    pub clients: usize,
    /// The server is killed at a uniformly random moment this long after it is up.
    pub max_run: Duration,
    /// How long the index may take to agree with the database after a restart.
    pub index_within: Duration,
    pub seed: u64,
}

impl Options {
    pub fn new(binary: PathBuf, database: Database, kills: usize) -> Options {
        Options {
            binary,
            database,
            kills,
            clients: 16,
            max_run: Duration::from_millis(800),
            index_within: Duration::from_secs(5),
            seed: 1,
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CrashReport {
    pub backend: String,
    pub kills: usize,
    pub clients: usize,
    /// Stories acknowledged (201 from the API, a receipt page from the form).
    pub acknowledged: usize,
    pub acknowledged_form: usize,
    pub withdrawals_acknowledged: usize,
    pub codings_acknowledged: usize,
    /// Requests cut off by a kill (no answer): their outcome may go either way.
    pub cut_off: usize,
    /// Acknowledged stories not in the database after a restart: must be 0.
    pub missing: usize,
    /// Acknowledged withdrawals whose story is still there: must be 0.
    pub withdrawn_present: usize,
    /// Stories in the database that were never acknowledged (their answer was cut off).
    pub unacknowledged_present: usize,
    /// Restarts after which the index did not agree with the database in time.
    pub index_disagreements: usize,
    pub index_queries: usize,
    /// Slowest and median time from "up" to "index agrees" over the restarts, in ms.
    pub index_catch_up_max_ms: f64,
    pub index_catch_up_p50_ms: f64,
    pub restart_p50_ms: f64,
    pub seconds: f64,
    pub stories_at_end: i64,
    /// For each restart whose index did not agree: what was seen, and the server's warnings.
    pub index_notes: Vec<String>,
}

impl CrashReport {
    /// The two promises: nothing acknowledged lost, nothing withdrawn kept; and the index caught up.
    pub fn passed(&self) -> bool {
        self.missing == 0 && self.withdrawn_present == 0 && self.index_disagreements == 0
    }
}

impl std::fmt::Display for CrashReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "backend                         {}", self.backend)?;
        writeln!(f, "SIGKILLs (each followed by a restart) {}", self.kills)?;
        writeln!(f, "clients                         {}", self.clients)?;
        writeln!(
            f,
            "stories acknowledged            {} ({} through the form)",
            self.acknowledged, self.acknowledged_form
        )?;
        writeln!(f, "withdrawals acknowledged        {}", self.withdrawals_acknowledged)?;
        writeln!(f, "codings acknowledged            {}", self.codings_acknowledged)?;
        writeln!(f, "requests cut off by a kill      {}", self.cut_off)?;
        writeln!(f, "acknowledged stories missing    {} (must be 0)", self.missing)?;
        writeln!(f, "withdrawn stories present       {} (must be 0)", self.withdrawn_present)?;
        writeln!(f, "present, never acknowledged     {}", self.unacknowledged_present)?;
        writeln!(
            f,
            "index agreed after restart      {} of {} ({} queries checked)",
            self.kills - self.index_disagreements.min(self.kills),
            self.kills,
            self.index_queries
        )?;
        writeln!(
            f,
            "index catch-up                  p50 {:.0} ms, max {:.0} ms",
            self.index_catch_up_p50_ms, self.index_catch_up_max_ms
        )?;
        writeln!(f, "restart until healthy           p50 {:.0} ms", self.restart_p50_ms)?;
        writeln!(f, "stories in the database at end  {}", self.stories_at_end)?;
        for note in &self.index_notes {
            writeln!(f, "index disagreement: {note}")?;
        }
        write!(f, "wall time                       {:.0} s", self.seconds)
    }
}

/// What the clients were told, across all runs.
#[derive(Default)]
struct Ledger {
    /// Story id → unique word in its text (API submissions).
    api: HashMap<String, String>,
    /// Receipt code → unique word (form submissions; the page shows no id).
    form: HashMap<String, String>,
    /// Receipt codes of API stories, by id (for withdrawals).
    codes: HashMap<String, String>,
    /// Story ids whose withdrawal was acknowledged (204).
    withdrawn: HashSet<String>,
    /// Story ids whose withdrawal was sent but not answered: either outcome is allowed.
    withdrawing: HashSet<String>,
    codings: usize,
    cut_off: usize,
    /// Coders whose session was refused (sent to the login page): they sign in again.
    signed_out: HashSet<usize>,
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server; its warnings go to `log` (overwritten), read when the index disagrees.
fn serve(opts: &Options, data_dir: &Path, url: &str, port: u16, log: &Path) -> anyhow::Result<Server> {
    let child = Command::new(&opts.binary)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--database-url", url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        // Every client shares 127.0.0.1: lift the per-address limits, they are not under test.
        .args(["--stories-per-client-per-hour", "100000000", "--story-burst", "10000000"])
        .args([
            "--receipt-lookups-per-minute",
            "10000000",
            "--receipt-lookups-per-client-per-minute",
            "10000000",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log)?)
        .spawn()?;
    Ok(Server { child })
}

async fn wait_until_up(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("the server did not come up at {base} within 60 s")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn hidden(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let end = html[at..].find('"')? + at;
    Some(html[at..end].to_string())
}

/// Runs the harness; `progress(kills_done)` after each kill.
pub async fn run(opts: Options, mut progress: impl FnMut(usize)) -> anyhow::Result<CrashReport> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("data");
    let url = match &opts.database {
        Database::Sqlite => format!("sqlite://{}", data_dir.join("luister.sqlite").display()),
        Database::Postgres(url) => url.clone(),
    };
    let store = store::connect(&url).await?;
    store.migrate().await?;
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let (campaign, _) = store.save_campaign(&CampaignDef::from_toml(DEMO_CAMPAIGN)?, &audit).await?;
    let now = time::OffsetDateTime::now_utc();
    let theme = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(campaign.id.clone()),
        name: "Hulp uit het eigen netwerk".into(),
        description: String::new(),
        colour: "#2e6b30".into(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    store.create_theme(&theme).await?;
    let email = "crash-facilitator@example.nl".to_string();
    let password = "lange zin met wolken en trompetten".to_string();
    let user = crate::auth::accounts::create(
        &store,
        crate::auth::accounts::NewAccount {
            email: email.clone(),
            name: "Crash".into(),
            role: Role::Facilitator,
            password: password.clone(),
        },
        Actor::system(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the facilitator: {e}"))?;
    store.set_membership(&campaign.id, &user.id, true, &audit).await?;

    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let slug = campaign.slug().to_string();
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(opts.seed);
    let mut report = CrashReport {
        backend: store.backend().to_string(),
        kills: opts.kills,
        clients: opts.clients,
        ..Default::default()
    };
    let mut catch_up = Vec::new();
    let mut restarts = Vec::new();
    let log = dir.path().join("server.log");
    // Form receipts resolved to story ids once found, so later checks need no lookup.
    let mut form_ids: HashMap<String, String> = HashMap::new();
    // One cookie jar per client, kept across restarts: CSRF cookies and the facilitator's
    // session live in the database and must survive a crash too.
    let clients: Vec<reqwest::Client> = (0..opts.clients)
        .map(|_| {
            reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
        })
        .collect::<Result<_, _>>()?;
    // A few clients also code stories, as a facilitator (their session survives restarts).
    let coders = opts.clients.min(4);
    let mut signed_in = vec![false; coders];

    for kill in 0..=opts.kills {
        let t = Instant::now();
        let server = serve(&opts, &data_dir, &url, port, &log)?;
        wait_until_up(&clients[0], &base).await?;
        restarts.push(t.elapsed().as_secs_f64() * 1000.0);
        if kill > 0 {
            // The promises, checked against the database after every restart.
            // Every check covers everything acknowledged so far: a story lost by a later kill
            // counts too. The figures are the worst restart.
            let (missing, withdrawn_present) = verify(&store, &ledger, &mut form_ids).await?;
            report.missing = report.missing.max(missing);
            report.withdrawn_present = report.withdrawn_present.max(withdrawn_present);
            match index_agrees(&store, &data_dir, &ledger, opts.index_within, &mut rng).await? {
                Agreement::Agreed { ms, queries } => {
                    catch_up.push(ms);
                    report.index_queries += queries;
                }
                Agreement::Disagreed(seen) => {
                    report.index_disagreements += 1;
                    let warnings = std::fs::read_to_string(&log).unwrap_or_default();
                    let lines: Vec<&str> = warnings.lines().collect();
                    let tail = &lines[lines.len().saturating_sub(10)..];
                    report.index_notes.push(format!(
                        "after kill {kill}: {seen}; server warnings: {}",
                        if tail.is_empty() { "none".to_string() } else { tail.join(" | ") }
                    ));
                }
            }
            progress(kill);
        }
        if kill == opts.kills {
            drop(server);
            break;
        }
        for (i, c) in clients.iter().take(coders).enumerate() {
            if !signed_in[i] {
                signed_in[i] = sign_in(c, &base, &email, &password).await.unwrap_or(false);
            }
        }
        let mut tasks = Vec::new();
        for (w, client) in clients.iter().enumerate() {
            let ctx = Load {
                client: client.clone(),
                base: base.clone(),
                slug: slug.clone(),
                theme: theme.id.clone(),
                ledger: ledger.clone(),
                worker: w,
                round: kill,
                seed: rng.random(),
                coder: signed_in.get(w).copied().unwrap_or(false),
            };
            tasks.push(tokio::spawn(ctx.run()));
        }
        let run_for =
            Duration::from_micros(rng.random_range(20_000..=opts.max_run.as_micros().max(20_001) as u64));
        tokio::time::sleep(run_for).await;
        drop(server); // SIGKILL: no shutdown, no flush
        for t in tasks {
            let _ = t.await;
        }
        let lost = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?.signed_out.clone();
        for w in lost {
            if let Some(s) = signed_in.get_mut(w) {
                *s = false;
            }
        }
    }

    let (mut known, form_codes) = {
        let l = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?;
        report.acknowledged = l.api.len() + l.form.len();
        report.acknowledged_form = l.form.len();
        report.withdrawals_acknowledged = l.withdrawn.len();
        report.codings_acknowledged = l.codings;
        report.cut_off = l.cut_off;
        let known: HashSet<String> = l.api.keys().cloned().collect();
        (known, l.form.keys().cloned().collect::<Vec<String>>())
    };
    for code in form_codes {
        // The checks after each restart already resolved most receipts.
        if let Some(id) = form_ids.get(&code) {
            known.insert(id.clone());
        } else if let Ok(s) = store.story_by_receipt(&receipt_hash(&code)?).await {
            known.insert(s.id);
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store.all_stories_after(after.as_deref(), 2_000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        report.unacknowledged_present += page.iter().filter(|s| !known.contains(&s.id)).count();
        report.stories_at_end += page.len() as i64;
    }
    catch_up.sort_by(f64::total_cmp);
    restarts.sort_by(f64::total_cmp);
    report.index_catch_up_max_ms = catch_up.last().copied().unwrap_or(0.0);
    report.index_catch_up_p50_ms = super::percentile(&catch_up, 50.0);
    report.restart_p50_ms = super::percentile(&restarts, 50.0);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

async fn sign_in(c: &reqwest::Client, base: &str, email: &str, password: &str) -> anyhow::Result<bool> {
    let html = c.get(format!("{base}/login")).send().await?.text().await?;
    let csrf = hidden(&html, "_csrf").unwrap_or_default();
    let r = c
        .post(format!("{base}/login"))
        .form(&[("email", email), ("password", password), ("_csrf", &csrf)])
        .send()
        .await?;
    Ok(r.status() == reqwest::StatusCode::SEE_OTHER)
}

/// Checks every acknowledged story is there and every acknowledged withdrawal is gone, from
/// one pass over the stories (a lookup per story made the long runs quadratic in time).
/// Returns (missing, withdrawn but present).
async fn verify(
    store: &DynStore,
    ledger: &Mutex<Ledger>,
    form_ids: &mut HashMap<String, String>,
) -> anyhow::Result<(usize, usize)> {
    let (api, form, withdrawn, withdrawing) = {
        let l = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?;
        let api: Vec<String> = l.api.keys().cloned().collect();
        (api, l.form.keys().cloned().collect::<Vec<_>>(), l.withdrawn.clone(), l.withdrawing.clone())
    };
    let mut present_ids: HashSet<String> = HashSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.all_stories_after(after.as_deref(), 5_000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        present_ids.extend(page.into_iter().map(|s| s.id));
    }
    let mut missing = 0;
    for id in &api {
        if !withdrawn.contains(id) && !withdrawing.contains(id) && !present_ids.contains(id) {
            missing += 1;
        }
    }
    for code in &form {
        let id = match form_ids.get(code) {
            Some(id) => id.clone(),
            None => match store.story_by_receipt(&receipt_hash(code)?).await {
                Ok(s) => {
                    form_ids.insert(code.clone(), s.id.clone());
                    s.id
                }
                Err(StoreError::NotFound) => {
                    missing += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            },
        };
        if !present_ids.contains(&id) {
            missing += 1;
        }
    }
    let present = withdrawn.iter().filter(|id| present_ids.contains(*id)).count();
    Ok((missing, present))
}

/// Whether the index caught up with the database after a restart.
enum Agreement {
    /// In `ms`, with `queries` sample queries answered right.
    Agreed { ms: f64, queries: usize },
    /// Not within the time allowed: the last thing seen.
    Disagreed(String),
}

/// Waits until the server's index holds as many stories as the database and finds a sample of
/// acknowledged stories by their unique word (and no withdrawn one). The database is re-read
/// each round: it is the truth, and a write the killed server had already committed may
/// still land.
async fn index_agrees(
    store: &DynStore,
    data_dir: &Path,
    ledger: &Mutex<Ledger>,
    within: Duration,
    rng: &mut impl Rng,
) -> anyhow::Result<Agreement> {
    let (present, gone): (Vec<String>, Vec<String>) = {
        let l = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?;
        let live: Vec<String> = l
            .api
            .iter()
            .filter(|(id, _)| !l.withdrawn.contains(*id) && !l.withdrawing.contains(*id))
            .map(|(_, w)| w.clone())
            .chain(l.form.values().cloned())
            .collect();
        let gone: Vec<String> = l.withdrawn.iter().filter_map(|id| l.api.get(id).cloned()).collect();
        let pick = |v: &[String], n: usize, rng: &mut dyn rand::RngCore| -> Vec<String> {
            (0..n.min(v.len())).map(|_| v[rng.random_range(0..v.len())].clone()).collect()
        };
        (pick(&live, 3, rng), pick(&gone, 1, rng))
    };
    let started = Instant::now();
    let engine = crate::search::Engine::new(data_dir, store.clone(), Duration::from_secs(300));
    let mut seen = String::from("nothing checked");
    while started.elapsed() < within {
        let expected = store.count_all_stories().await? as u64;
        let database_seq = store.last_event_seq().await?;
        // The server writes the index; this opens what it last committed, read-only.
        match engine.check().await {
            Err(why) => seen = format!("the index could not be opened: {why}"),
            Ok((live, payload)) => {
                let docs = live.reader.searcher().num_docs();
                seen = format!(
                    "index {docs} stories at event {}, database {expected} stories at event {database_seq}",
                    payload.seq
                );
                if docs == expected {
                    let mut wrong = Vec::new();
                    for (word, want) in present.iter().map(|w| (w, 1)).chain(gone.iter().map(|w| (w, 0))) {
                        let req = SearchRequest { q: word.clone(), limit: 5, ..Default::default() };
                        match exec::run(&live, &req) {
                            Ok(r) if r.total == want => {}
                            Ok(r) => wrong.push(format!("'{word}' found {} (want {want})", r.total)),
                            Err(e) => wrong.push(format!("'{word}' failed: {e}")),
                        }
                    }
                    if wrong.is_empty() {
                        let ms = started.elapsed().as_secs_f64() * 1000.0;
                        return Ok(Agreement::Agreed { ms, queries: present.len() + gone.len() });
                    }
                    seen = format!("{seen}; {}", wrong.join(", "));
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(Agreement::Disagreed(seen))
}

/// One client's load until the server dies under it.
struct Load {
    client: reqwest::Client,
    base: String,
    slug: String,
    theme: String,
    ledger: Arc<Mutex<Ledger>>,
    worker: usize,
    round: usize,
    seed: u64,
    coder: bool,
}

enum Outcome {
    Done,
    /// No answer: the server is gone.
    CutOff,
}

impl Load {
    async fn run(self) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.seed);
        let mut csrf = None;
        for i in 0.. {
            let pick = rng.random_range(0..100);
            let outcome = if pick < 45 {
                self.submit_api(i).await
            } else if pick < 70 {
                if csrf.is_none() {
                    csrf = match self.csrf().await {
                        Some(t) => Some(t),
                        None => return,
                    };
                }
                self.submit_form(i, csrf.as_deref().unwrap_or_default()).await
            } else if pick < 85 {
                self.withdraw(&mut rng).await
            } else if self.coder {
                if csrf.is_none() {
                    csrf = match self.csrf().await {
                        Some(t) => Some(t),
                        None => return,
                    };
                }
                self.code(&mut rng, csrf.as_deref().unwrap_or_default()).await
            } else {
                Outcome::Done
            };
            if let Outcome::CutOff = outcome {
                if let Ok(mut l) = self.ledger.lock() {
                    l.cut_off += 1;
                }
                return;
            }
        }
    }

    fn word(&self, i: usize) -> String {
        format!("kp{}x{}x{i}", self.round, self.worker)
    }

    async fn csrf(&self) -> Option<String> {
        let html = self.client.get(format!("{}/receipt", self.base)).send().await.ok()?.text().await.ok()?;
        hidden(&html, "_csrf")
    }

    async fn submit_api(&self, i: usize) -> Outcome {
        let word = self.word(i);
        let body = serde_json::json!({
            "text": format!("Verhaal {word}: de buurvrouw hielp ons toen de wachtlijst maar niet korter werd."),
            "perspective": "parent", "prompt": "zelf-geregeld", "consent": true,
            "answers": { "gevoel": "opgelucht", "wat_hielp": [0.2, 0.5, 0.3] }
        });
        let url = format!("{}/api/v1/campaigns/{}/stories", self.base, self.slug);
        let Ok(r) = self.client.post(url).json(&body).send().await else { return Outcome::CutOff };
        if r.status() != reqwest::StatusCode::CREATED {
            return Outcome::Done;
        }
        let Ok(v) = r.json::<serde_json::Value>().await else { return Outcome::CutOff };
        if let (Some(id), Some(code), Ok(mut l)) =
            (v["id"].as_str(), v["receipt_code"].as_str(), self.ledger.lock())
        {
            l.api.insert(id.to_string(), word);
            l.codes.insert(id.to_string(), code.to_string());
        }
        Outcome::Done
    }

    async fn submit_form(&self, i: usize, csrf: &str) -> Outcome {
        let word = self.word(i);
        let text = format!("Op school hielp de mentor mij {word} toen het thuis even niet ging.");
        let fields: Vec<(&str, &str)> = vec![
            ("lang", "nl"),
            ("prompt", "zelf-geregeld"),
            ("text", &text),
            ("perspective", "youth"),
            ("age_band", "16-17"),
            ("region", "JZ01"),
            ("a.wat_hielp.0", "60"),
            ("a.wat_hielp.1", "10"),
            ("a.wat_hielp.2", "30"),
            ("a.regie", "70"),
            ("skip.steun", "1"),
            ("a.steun", "50"),
            ("a.gevoel", "opgelucht"),
            ("a.wie_hielp", "school"),
            ("consent", "yes"),
            ("_csrf", csrf),
        ];
        let url = format!("{}/c/{}/submit", self.base, self.slug);
        let Ok(r) = self.client.post(url).form(&fields).send().await else { return Outcome::CutOff };
        if r.status() != reqwest::StatusCode::OK {
            return Outcome::Done;
        }
        let Ok(html) = r.text().await else { return Outcome::CutOff };
        let code = html
            .find("id=\"receipt-code\">")
            .map(|s| s + 18)
            .and_then(|s| html[s..].find('<').map(|e| html[s..s + e].trim().to_string()));
        if let (Some(code), Ok(mut l)) = (code, self.ledger.lock()) {
            l.form.insert(code, word);
        }
        Outcome::Done
    }

    /// Picks one of this client's acknowledged API stories not yet being withdrawn.
    fn own_story(&self, rng: &mut impl Rng) -> Option<(String, String)> {
        let l = self.ledger.lock().ok()?;
        let prefix = format!("x{}x", self.worker);
        let mine: Vec<(&String, &String)> = l
            .api
            .iter()
            .filter(|(id, w)| {
                w.contains(&prefix) && !l.withdrawn.contains(*id) && !l.withdrawing.contains(*id)
            })
            .collect();
        if mine.is_empty() {
            return None;
        }
        let (id, _) = mine[rng.random_range(0..mine.len())];
        Some((id.clone(), l.codes.get(id)?.clone()))
    }

    async fn withdraw(&self, rng: &mut impl Rng) -> Outcome {
        let Some((id, code)) = self.own_story(rng) else { return Outcome::Done };
        if let Ok(mut l) = self.ledger.lock() {
            l.withdrawing.insert(id.clone());
        }
        let url = format!("{}/api/v1/receipts/withdraw", self.base);
        let sent = self.client.post(url).json(&serde_json::json!({ "code": code })).send().await;
        let Ok(r) = sent else { return Outcome::CutOff };
        if r.status() == reqwest::StatusCode::NO_CONTENT
            && let Ok(mut l) = self.ledger.lock()
        {
            l.withdrawing.remove(&id);
            l.withdrawn.insert(id);
        }
        Outcome::Done
    }

    async fn code(&self, rng: &mut impl Rng, csrf: &str) -> Outcome {
        let Some((id, _)) = self.own_story(rng) else { return Outcome::Done };
        let url = format!("{}/manage/campaigns/{}/stories/{id}/tags", self.base, self.slug);
        let fields = [("action", "add"), ("theme", self.theme.as_str()), ("_csrf", csrf)];
        let Ok(r) = self.client.post(url).form(&fields).send().await else { return Outcome::CutOff };
        let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        if let Ok(mut l) = self.ledger.lock() {
            if r.status() == reqwest::StatusCode::SEE_OTHER && to.contains("#themas") {
                l.codings += 1;
                l.signed_out.remove(&self.worker);
            } else if to.contains("/login") {
                l.signed_out.insert(self.worker);
            }
        }
        Outcome::Done
    }
}

/// A fresh database on the PostgreSQL server of `base_url`, for one run; dropped by `drop_postgres`.
pub async fn fresh_postgres(base_url: &str) -> anyhow::Result<(String, String)> {
    let name = format!("luister_crash_{}", uuid::Uuid::new_v4().simple());
    let pool = sqlx::PgPool::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await?;
    pool.close().await;
    let i = base_url.rfind('/').ok_or_else(|| anyhow::anyhow!("{base_url} names no database"))?;
    Ok((format!("{}/{name}", &base_url[..i]), name))
}

pub async fn drop_postgres(base_url: &str, name: &str) -> anyhow::Result<()> {
    let pool = sqlx::PgPool::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(())
}

fn receipt_hash(code: &str) -> anyhow::Result<String> {
    Ok(ReceiptCode::parse(code).map_err(|e| anyhow::anyhow!("receipt code {code}: {e:?}"))?.hash())
}
