//! Starts the real app on a random port against a fresh database: a temporary SQLite file, or
//! a freshly created PostgreSQL database that is dropped afterwards.

use luister::Application;
use luister::config::Config;
use luister::domain::{Campaign, CampaignDef};
use luister::store::{self, DynStore};
use std::sync::OnceLock;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const DEMO_TOML: &str = include_str!("../../campaigns/eigen-netwerk.toml");

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: DynStore,
    pub search: luister::search::SearchHandle,
    pub jobs: luister::jobs::JobHandle,
    pub campaign: Campaign,
    pub dir: TempDir,
    db_url: String,
    _pg: Option<PgDatabase>,
    /// `http://127.0.0.1:<port>` of this app's separate metrics listener.
    pub metrics_base: Option<String>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request failed")
    }

    /// Posts a form as a browser would: with the CSRF token from our cookie.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            fields.push(("_csrf", token.as_str()));
        }
        self.client.post(self.url(path)).form(&fields).send().await.expect("request failed")
    }

    /// Another browser (its own cookies) on the same running app.
    pub fn second_browser(app: &TestApp) -> TestApp {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        TestApp {
            base: app.base.clone(),
            client,
            store: app.store.clone(),
            search: app.search.clone(),
            jobs: app.jobs.clone(),
            campaign: app.campaign.clone(),
            dir: tempfile::tempdir().unwrap(),
            db_url: app.db_url.clone(),
            _pg: None,
            metrics_base: app.metrics_base.clone(),
        }
    }

    /// The database this app runs on (for a second instance on the same database).
    pub fn store_url(&self) -> String {
        self.db_url.clone()
    }

    /// The CSRF token of this client's cookie (fetching a page sets it the first time).
    pub async fn csrf(&self) -> String {
        let html = self.get("/receipt").await.text().await.unwrap();
        hidden_fields(&html)
            .into_iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v)
            .expect("csrf token on page")
    }

    /// Creates an account and signs this client in with it.
    pub async fn sign_in_as(&self, role: luister::domain::Role, campaigns: &[&str]) -> luister::domain::User {
        let email = format!("{}-{}@example.nl", role.as_str(), uuid::Uuid::new_v4().simple());
        let password = "lange zin met wolken en trompetten";
        let user = luister::auth::accounts::create(
            &self.store,
            luister::auth::accounts::NewAccount {
                email: email.clone(),
                name: format!("Test {role}"),
                role,
                password: password.into(),
            },
            luister::domain::Actor::system(),
        )
        .await
        .unwrap();
        for c in campaigns {
            self.store.set_membership(c, &user.id, true, &system_audit()).await.unwrap();
        }
        let resp = self.post_form("/login", &[("email", &email), ("password", password)]).await;
        assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER, "login as {role}");
        user
    }
}

/// The server PostgreSQL tests use; CI provides it on 127.0.0.1:5432.
pub fn pg_base_url() -> String {
    std::env::var("LUISTER_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether PostgreSQL tests can run. In CI an unreachable server fails the test run; on a laptop
/// without PostgreSQL the tests are skipped with a message.
pub async fn postgres_available() -> bool {
    static CHECKED: OnceLock<bool> = OnceLock::new();
    if let Some(ok) = CHECKED.get() {
        return *ok;
    }
    let url = pg_base_url();
    let ok = tokio::time::timeout(std::time::Duration::from_secs(5), sqlx::PgPool::connect(&url))
        .await
        .is_ok_and(|r| r.is_ok());
    if !ok {
        if in_ci() {
            panic!("CI=true but PostgreSQL at {url} is unreachable: PostgreSQL tests must run in CI");
        }
        eprintln!(
            "SKIPPING PostgreSQL tests: no server at {url} (set LUISTER_TEST_DATABASE_URL or start PostgreSQL)"
        );
    }
    *CHECKED.get_or_init(|| ok)
}

/// A throwaway PostgreSQL database, dropped when the test ends.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        let base = pg_base_url();
        let name = format!("luister_test_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await
            .expect("create database");
        pool.close().await;
        let url = match base.rfind('/') {
            Some(i) => format!("{}/{}", &base[..i], name),
            None => panic!("database URL {base} has no database name"),
        };
        PgDatabase { name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let base = pg_base_url();
        // Drop runs outside async; a small runtime on its own thread does the clean-up.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                if let Ok(pool) = sqlx::PgPool::connect(&base).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&pool)
                    .await;
                }
            });
        })
        .join();
    }
}

/// A fresh database URL for the backend, or `None` when PostgreSQL tests are skipped.
pub async fn fresh_database(backend: Backend, dir: &TempDir) -> Option<(String, Option<PgDatabase>)> {
    match backend {
        Backend::Sqlite => Some((format!("sqlite://{}", dir.path().join("test.sqlite").display()), None)),
        Backend::Postgres => {
            if !postgres_available().await {
                return None;
            }
            let db = PgDatabase::create().await;
            Some((db.url.clone(), Some(db)))
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let clock = std::sync::Arc::new(luister::clock::SystemClock);
    spawn_app_with_clock(backend, tweak, clock).await
}

pub async fn spawn_app_with_clock(
    backend: Backend,
    tweak: impl FnOnce(&mut Config),
    clock: luister::clock::DynClock,
) -> Option<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, &dir).await?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(url.clone()),
        addr: "127.0.0.1:0".parse().unwrap(),
        // Each app its own metrics port: many run in one test process.
        metrics_addr: luister::config::MetricsAddr(Some("127.0.0.1:0".parse().unwrap())),
        ..Config::default()
    };
    tweak(&mut config);
    let db_url = config.database_url();
    let app = Application::build_with_clock(config, clock).await.expect("app starts");
    let port = app.port();
    let metrics_base = app.metrics_port().map(|p| format!("http://127.0.0.1:{p}"));
    let store = app.store.clone();
    let search = app.search.clone();
    let jobs = app.jobs.clone();
    tokio::spawn(app.run_until_stopped());
    let def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    let (campaign, _) = store.save_campaign(&def, &system_audit()).await.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    Some(TestApp {
        base: format!("http://127.0.0.1:{port}"),
        client,
        store,
        search,
        jobs,
        campaign,
        dir,
        db_url,
        _pg: pg,
        metrics_base,
    })
}

/// A store on a fresh database, without the web app.
pub async fn fresh_store(backend: Backend) -> Option<(DynStore, TempDir, Option<PgDatabase>)> {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, &dir).await?;
    let store = store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some((store, dir, pg))
}

/// Runs an async test body once per backend, as `sqlite` and `postgres` test functions.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    };
}

/// A valid form post for the demo campaign, as a storyteller fills it in.
pub fn good_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("lang", "nl"),
        ("prompt", "zelf-geregeld"),
        (
            "text",
            "Mijn buurvrouw Fatima hielp me met mijn huiswerk toen het thuis even niet ging. Bel haar gerust op 06-12345678.",
        ),
        ("title", "Hulp van de buren"),
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
        ("a.wie_hielp", "buurt"),
        ("a.wie_hielp", "familie"),
        ("consent", "yes"),
    ]
}

/// All hidden name/value pairs of the first form on a page, decoded.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<input type=\"hidden\" name=\"") {
        rest = &rest[i + 27..];
        let name_end = rest.find('"').unwrap();
        let name = rest[..name_end].to_string();
        let v = rest.find("value=\"").unwrap() + 7;
        let v_end = rest[v..].find('"').unwrap() + v;
        out.push((unescape(&name), unescape(&rest[v..v_end])));
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

/// The receipt code shown on the receipt page.
pub fn receipt_code(html: &str) -> Option<String> {
    let start = html.find("id=\"receipt-code\">")? + 18;
    let end = html[start..].find('<')? + start;
    Some(html[start..end].trim().to_string())
}

/// An audit entry for changes tests make directly in the store.
pub fn system_audit() -> luister::domain::AuditEntry {
    luister::domain::AuditEntry::new(
        luister::domain::Actor::system(),
        luister::domain::AuditAction::CampaignChanged,
    )
}

/// A finished discovery run in `campaign_id` (stored as its job's result, as the app does) with
/// one thread (id 0) holding `stories`; returns the job id.
pub async fn finished_run(app: &TestApp, campaign_id: &str, stories: &[String]) -> String {
    use luister::analysis::discovery::{Discovery, Member, Thread};
    use luister::tagging::threads::{Request, Run, ThreadView};
    let members: Vec<Member> = stories.iter().map(|s| Member { doc_id: s.clone(), score: 0.9 }).collect();
    let discovery = Discovery {
        threads: vec![Thread {
            id: 0,
            label_terms: vec!["buurvrouw".into(), "huiswerk".into()],
            size: members.len(),
            members: members.clone(),
            representatives: stories.iter().take(5).cloned().collect(),
            stability: 1.0,
            language: None,
        }],
        unassigned: Vec::new(),
        k: 1,
        k_scores: Vec::new(),
        vocabulary_size: 2,
    };
    let run = Run {
        request: Request { k: Some(2), auto_min: 4, auto_max: 15, seed: 1, set_id: None },
        stories: stories.len(),
        k: 1,
        k_scores: Vec::new(),
        vocabulary_size: 2,
        threads: vec![ThreadView {
            id: 0,
            name: None,
            label_terms: vec!["buurvrouw".into(), "huiswerk".into()],
            size: stories.len(),
            stability: 1.0,
            shares: [("youth".to_string(), 1.0)].into_iter().collect(),
            representatives: stories.iter().take(5).cloned().collect(),
            members: stories.iter().map(|s| (s.clone(), 0.9)).collect(),
            theme_id: None,
            language: None,
        }],
        unassigned: Vec::new(),
        discovery,
    };
    let now = time::OffsetDateTime::now_utc();
    let job = luister::domain::job::Job {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(campaign_id.to_string()),
        kind: "discover".into(),
        status: luister::domain::job::JobStatus::Running,
        progress: 0.0,
        message: String::new(),
        params: serde_json::json!({}),
        result: None,
        created_by: None,
        created_at: now,
        started_at: Some(now),
        finished_at: None,
    };
    app.store.create_job(&job).await.unwrap();
    let result = serde_json::to_value(run).unwrap();
    app.store
        .finish_job(&job.id, luister::domain::job::JobStatus::Done, "klaar", Some(&result))
        .await
        .unwrap();
    job.id
}
