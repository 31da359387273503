//! One `Config` for the whole service. Layers, lowest first: built-in defaults (which work out
//! of the box: SQLite in `./luister-data`, 127.0.0.1:8080), an optional `luister.toml`,
//! `LUISTER_*` environment variables, command-line flags. clap handles the last two.

use clap::Args;
use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite file, the search index and backups live.
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; defaults to `<data_dir>/luister.sqlite`.
    pub database_url: Option<String>,
    pub addr: SocketAddr,
    /// The address people use to reach the service, e.g. `https://luister.example.nl`; decides
    /// absolute links and (with https) secure cookies.
    pub public_url: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// Load the demo campaign and stories on start.
    pub demo: bool,
    /// How many demo stories `serve --demo` generates into an empty database.
    pub demo_stories: usize,
    /// Minutes without activity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after login after which a session ends, whatever happens.
    pub session_absolute_hours: i64,
    /// Header a trusted reverse proxy puts the client address in (e.g. `X-Forwarded-For`;
    /// the last address in it is used). Without it the connection's peer address is used.
    pub trusted_proxy_header: Option<String>,
    /// Failed logins per account and client address per minute (and wrong current passwords).
    pub login_per_account_per_minute: u32,
    /// Failed logins per client address per minute.
    pub login_per_client_per_minute: u32,
    /// Stories per client address per hour (a school class shares one address: keep it roomy).
    pub stories_per_client_per_hour: u32,
    /// Stories a client address may send in a burst before the hourly rate applies.
    pub story_burst: u32,
    /// Refused story posts and all previews per client address per hour; `None`: ten times
    /// `stories_per_client_per_hour` (see `submission_attempts_per_hour`).
    pub submission_attempts_per_client_per_hour: Option<u32>,
    /// First admin, created on start when there are no accounts yet.
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    /// Minutes between runs of the retention job.
    pub retention_interval_minutes: u64,
    /// Aggregates for the steering group hide cells with fewer stories than this.
    pub disclosure_threshold: i64,
    /// Perspective maps test no group with fewer stories than this ("too few stories to test").
    pub map_min_group: u64,
    /// Seconds without new coding in a campaign before its suggestions are retrained.
    pub retrain_after_seconds: u64,
    /// Seconds within which a withdrawn or deleted story's text is gone from the data files.
    pub purge_interval_seconds: u64,
    /// Seconds a client has to send a request's headers, and how long an idle connection stays
    /// open (slow or silent clients would otherwise tie up connections).
    pub header_read_timeout_seconds: u64,
    /// Open connections at most; more wait until one closes.
    pub max_connections: usize,
    /// Receipt look-ups and withdrawals per minute for the whole service.
    pub receipt_lookups_per_minute: u32,
    /// Receipt look-ups and withdrawals per client address per minute.
    pub receipt_lookups_per_client_per_minute: u32,
    /// Searches per account per minute (page and API together).
    pub searches_per_account_per_minute: u32,
    /// Requests handled at once; one more is answered 503 with `Retry-After` (load shedding).
    pub max_requests_in_flight: usize,
    /// The `Retry-After` of a shed request, in seconds.
    pub overload_retry_after_seconds: u64,
    /// Where `/metrics` (Prometheus) listens, apart from the public address; `off` disables it.
    pub metrics_addr: MetricsAddr,
}

/// The metrics listen address, or `off`. Written as `127.0.0.1:9464` or `off` in flags,
/// `LUISTER_METRICS_ADDR` and `luister.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsAddr(pub Option<SocketAddr>);

impl std::str::FromStr for MetricsAddr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(MetricsAddr(None));
        }
        s.parse::<SocketAddr>()
            .map(|a| MetricsAddr(Some(a)))
            .map_err(|_| format!("'{s}' is not an address like 127.0.0.1:9464, nor 'off'"))
    }
}

impl<'de> Deserialize<'de> for MetricsAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("luister-data"),
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            max_body_bytes: 512 * 1024,
            log_format: "text".into(),
            demo: false,
            demo_stories: 1_500,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            trusted_proxy_header: None,
            login_per_account_per_minute: 5,
            login_per_client_per_minute: 20,
            stories_per_client_per_hour: 120,
            story_burst: 40,
            submission_attempts_per_client_per_hour: None,
            admin_email: None,
            admin_password: None,
            retention_interval_minutes: 60,
            disclosure_threshold: 5,
            map_min_group: 20,
            retrain_after_seconds: 30,
            purge_interval_seconds: 300,
            header_read_timeout_seconds: 10,
            max_connections: 1024,
            receipt_lookups_per_minute: 600,
            receipt_lookups_per_client_per_minute: 10,
            searches_per_account_per_minute: 120,
            max_requests_in_flight: 256,
            overload_retry_after_seconds: 2,
            metrics_addr: MetricsAddr(Some(SocketAddr::from(([127, 0, 0, 1], 9464)))),
        }
    }
}

impl Config {
    /// Whether people reach the service over https (decides `Secure` cookies and HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// Refused submissions a client address may make per hour: generous, so a child who makes
    /// a few mistakes never notices, while a flood of bad requests is held back.
    pub fn submission_attempts_per_hour(&self) -> u32 {
        self.submission_attempts_per_client_per_hour
            .unwrap_or_else(|| self.stories_per_client_per_hour.saturating_mul(10))
    }

    pub fn session_timeouts(&self) -> crate::auth::session::Timeouts {
        crate::auth::session::Timeouts {
            idle: time::Duration::minutes(self.session_idle_minutes),
            absolute: time::Duration::hours(self.session_absolute_hours),
        }
    }

    /// The database URL to use: the configured one, or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("luister.sqlite").display()),
        }
    }

    /// Builds the configuration from defaults, the config file (if any) and the given flags /
    /// environment variables.
    pub fn load(args: &ConfigArgs) -> anyhow::Result<Config> {
        let file = args.config.clone().or_else(|| {
            let default = Path::new("luister.toml");
            default.exists().then(|| default.to_path_buf())
        });
        let mut config = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading config file {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("config file {}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        args.apply(&mut config);
        Ok(config)
    }
}

// The database URL may hold a password: never print it.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &crate::store::redact_url(&self.database_url()))
            .field("addr", &self.addr)
            .field("public_url", &self.public_url)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("log_format", &self.log_format)
            .field("demo", &self.demo)
            .field("demo_stories", &self.demo_stories)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("trusted_proxy_header", &self.trusted_proxy_header)
            .field("login_per_account_per_minute", &self.login_per_account_per_minute)
            .field("login_per_client_per_minute", &self.login_per_client_per_minute)
            .field("stories_per_client_per_hour", &self.stories_per_client_per_hour)
            .field("story_burst", &self.story_burst)
            .field("submission_attempts_per_client_per_hour", &self.submission_attempts_per_client_per_hour)
            .field("admin_email", &self.admin_email)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "***"))
            .field("retention_interval_minutes", &self.retention_interval_minutes)
            .field("disclosure_threshold", &self.disclosure_threshold)
            .field("map_min_group", &self.map_min_group)
            .field("retrain_after_seconds", &self.retrain_after_seconds)
            .field("purge_interval_seconds", &self.purge_interval_seconds)
            .field("header_read_timeout_seconds", &self.header_read_timeout_seconds)
            .field("max_connections", &self.max_connections)
            .field("receipt_lookups_per_minute", &self.receipt_lookups_per_minute)
            .field("receipt_lookups_per_client_per_minute", &self.receipt_lookups_per_client_per_minute)
            .field("searches_per_account_per_minute", &self.searches_per_account_per_minute)
            .field("max_requests_in_flight", &self.max_requests_in_flight)
            .field("overload_retry_after_seconds", &self.overload_retry_after_seconds)
            .field("metrics_addr", &self.metrics_addr)
            .finish()
    }
}

/// Flags shared by every command that touches the database; each has a `LUISTER_*` variable.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Config file (TOML with the same keys as the flags, using underscores).
    #[arg(long, env = "LUISTER_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Data directory for the SQLite file and the search index [default: ./luister-data].
    #[arg(long, env = "LUISTER_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: postgres://user@host/db or sqlite://path [default: <data-dir>/luister.sqlite].
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Log format: text or json [default: text].
    #[arg(long, env = "LUISTER_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
}

impl ConfigArgs {
    fn apply(&self, c: &mut Config) {
        if let Some(v) = &self.data_dir {
            c.data_dir = v.clone();
        }
        if let Some(v) = &self.database_url {
            c.database_url = Some(v.clone());
        }
        if let Some(v) = &self.log_format {
            c.log_format = v.clone();
        }
    }
}

/// Flags of `luister serve`.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "LUISTER_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Public address of the service, e.g. https://luister.example.nl.
    #[arg(long, env = "LUISTER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Largest request body in bytes [default: 524288].
    #[arg(long, env = "LUISTER_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Load the demo campaign, and demo stories into an empty database.
    #[arg(long, env = "LUISTER_DEMO")]
    pub demo: bool,
    /// Number of demo stories to generate [default: 1500].
    #[arg(long, env = "LUISTER_DEMO_STORIES")]
    pub demo_stories: Option<usize>,
    /// Minutes without activity after which a session ends [default: 30].
    #[arg(long, env = "LUISTER_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<i64>,
    /// Hours after login after which a session always ends [default: 12].
    #[arg(long, env = "LUISTER_SESSION_ABSOLUTE_HOURS")]
    pub session_absolute_hours: Option<i64>,
    /// Header with the client address set by a trusted reverse proxy, e.g. X-Forwarded-For.
    #[arg(long, env = "LUISTER_TRUSTED_PROXY_HEADER")]
    pub trusted_proxy_header: Option<String>,
    /// Failed logins per account and client address per minute (and wrong current passwords) [default: 5].
    #[arg(long, env = "LUISTER_LOGIN_PER_ACCOUNT_PER_MINUTE")]
    pub login_per_account_per_minute: Option<u32>,
    /// Failed logins per client address per minute [default: 20].
    #[arg(long, env = "LUISTER_LOGIN_PER_CLIENT_PER_MINUTE")]
    pub login_per_client_per_minute: Option<u32>,
    /// Stories per client address per hour [default: 120].
    #[arg(long, env = "LUISTER_STORIES_PER_CLIENT_PER_HOUR")]
    pub stories_per_client_per_hour: Option<u32>,
    /// Stories per client address in a burst [default: 40].
    #[arg(long, env = "LUISTER_STORY_BURST")]
    pub story_burst: Option<u32>,
    /// Refused story posts and all previews per client address per hour [default: ten times the story limit].
    #[arg(long, env = "LUISTER_SUBMISSION_ATTEMPTS_PER_CLIENT_PER_HOUR")]
    pub submission_attempts_per_client_per_hour: Option<u32>,
    /// E-mail of the first admin, created when there are no accounts yet.
    #[arg(long, env = "LUISTER_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of the first admin (prefer the environment variable over the flag).
    #[arg(long, env = "LUISTER_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Minutes between runs of the retention job [default: 60].
    #[arg(long, env = "LUISTER_RETENTION_INTERVAL_MINUTES")]
    pub retention_interval_minutes: Option<u64>,
    /// Smallest group the steering group sees counted; smaller cells are hidden [default: 5].
    #[arg(long, env = "LUISTER_DISCLOSURE_THRESHOLD")]
    pub disclosure_threshold: Option<i64>,
    /// Perspective maps test only groups of at least this many stories [default: 20].
    #[arg(long, env = "LUISTER_MAP_MIN_GROUP")]
    pub map_min_group: Option<u64>,
    /// Seconds without new coding before a campaign's suggestions are retrained [default: 30].
    #[arg(long, env = "LUISTER_RETRAIN_AFTER_SECONDS")]
    pub retrain_after_seconds: Option<u64>,
    /// Withdrawn stories are purged from the data files within this many seconds [default: 300].
    #[arg(long, env = "LUISTER_PURGE_INTERVAL_SECONDS")]
    pub purge_interval_seconds: Option<u64>,
    /// Seconds a client has to send a request's headers; also how long an idle connection stays open [default: 10].
    #[arg(long, env = "LUISTER_HEADER_READ_TIMEOUT_SECONDS")]
    pub header_read_timeout_seconds: Option<u64>,
    /// Most open connections [default: 1024].
    #[arg(long, env = "LUISTER_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Receipt look-ups and withdrawals per minute, all clients together [default: 600].
    #[arg(long, env = "LUISTER_RECEIPT_LOOKUPS_PER_MINUTE")]
    pub receipt_lookups_per_minute: Option<u32>,
    /// Receipt look-ups and withdrawals per client address per minute [default: 10].
    #[arg(long, env = "LUISTER_RECEIPT_LOOKUPS_PER_CLIENT_PER_MINUTE")]
    pub receipt_lookups_per_client_per_minute: Option<u32>,
    /// Searches per account per minute [default: 120].
    #[arg(long, env = "LUISTER_SEARCHES_PER_ACCOUNT_PER_MINUTE")]
    pub searches_per_account_per_minute: Option<u32>,
    /// Requests handled at once; more are answered 503 with Retry-After [default: 256].
    #[arg(long, env = "LUISTER_MAX_REQUESTS_IN_FLIGHT")]
    pub max_requests_in_flight: Option<usize>,
    /// Retry-After of a request shed under overload, in seconds [default: 2].
    #[arg(long, env = "LUISTER_OVERLOAD_RETRY_AFTER_SECONDS")]
    pub overload_retry_after_seconds: Option<u64>,
    /// Address for Prometheus /metrics, apart from the public one, or `off` [default: 127.0.0.1:9464].
    #[arg(long, env = "LUISTER_METRICS_ADDR")]
    pub metrics_addr: Option<MetricsAddr>,
}

impl ServeArgs {
    pub fn apply(&self, c: &mut Config) {
        if let Some(v) = self.addr {
            c.addr = v;
        }
        if let Some(v) = &self.public_url {
            c.public_url = Some(v.clone());
        }
        if let Some(v) = self.max_body_bytes {
            c.max_body_bytes = v;
        }
        if self.demo {
            c.demo = true;
        }
        if let Some(v) = self.demo_stories {
            c.demo_stories = v;
        }
        if let Some(v) = self.session_idle_minutes {
            c.session_idle_minutes = v;
        }
        if let Some(v) = self.session_absolute_hours {
            c.session_absolute_hours = v;
        }
        if let Some(v) = &self.trusted_proxy_header {
            c.trusted_proxy_header = Some(v.clone());
        }
        if let Some(v) = self.login_per_account_per_minute {
            c.login_per_account_per_minute = v;
        }
        if let Some(v) = self.login_per_client_per_minute {
            c.login_per_client_per_minute = v;
        }
        if let Some(v) = self.stories_per_client_per_hour {
            c.stories_per_client_per_hour = v;
        }
        if let Some(v) = self.story_burst {
            c.story_burst = v;
        }
        if let Some(v) = self.submission_attempts_per_client_per_hour {
            c.submission_attempts_per_client_per_hour = Some(v);
        }
        if let Some(v) = &self.admin_email {
            c.admin_email = Some(v.clone());
        }
        if let Some(v) = &self.admin_password {
            c.admin_password = Some(v.clone());
        }
        if let Some(v) = self.retention_interval_minutes {
            c.retention_interval_minutes = v;
        }
        if let Some(v) = self.disclosure_threshold {
            c.disclosure_threshold = v;
        }
        if let Some(v) = self.map_min_group {
            c.map_min_group = v;
        }
        if let Some(v) = self.retrain_after_seconds {
            c.retrain_after_seconds = v;
        }
        if let Some(v) = self.purge_interval_seconds {
            c.purge_interval_seconds = v;
        }
        if let Some(v) = self.header_read_timeout_seconds {
            c.header_read_timeout_seconds = v;
        }
        if let Some(v) = self.max_connections {
            c.max_connections = v;
        }
        if let Some(v) = self.receipt_lookups_per_minute {
            c.receipt_lookups_per_minute = v;
        }
        if let Some(v) = self.receipt_lookups_per_client_per_minute {
            c.receipt_lookups_per_client_per_minute = v;
        }
        if let Some(v) = self.searches_per_account_per_minute {
            c.searches_per_account_per_minute = v;
        }
        if let Some(v) = self.max_requests_in_flight {
            c.max_requests_in_flight = v;
        }
        if let Some(v) = self.overload_retry_after_seconds {
            c.overload_retry_after_seconds = v;
        }
        if let Some(v) = self.metrics_addr {
            c.metrics_addr = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_sqlite_in_the_data_dir() {
        let c = Config::default();
        assert_eq!(c.database_url(), "sqlite://luister-data/luister.sqlite");
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn flags_override_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("luister.toml");
        std::fs::write(&file, "data_dir = \"/srv/luister\"\nlog_format = \"json\"\n").unwrap();
        let args =
            ConfigArgs { config: Some(file), log_format: Some("text".into()), ..ConfigArgs::default() };
        let c = Config::load(&args).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/srv/luister"));
        assert_eq!(c.log_format, "text");
    }

    #[test]
    fn the_metrics_address_defaults_to_localhost_and_can_be_turned_off() {
        assert_eq!(Config::default().metrics_addr.0, Some(SocketAddr::from(([127, 0, 0, 1], 9464))));
        assert_eq!("off".parse::<MetricsAddr>().unwrap(), MetricsAddr(None));
        assert_eq!("0.0.0.0:9100".parse::<MetricsAddr>().unwrap().0.unwrap().port(), 9100);
        assert!("localhost".parse::<MetricsAddr>().is_err());
        let c: Config = toml::from_str("metrics_addr = \"off\"\n").unwrap();
        assert_eq!(c.metrics_addr, MetricsAddr(None));
    }

    #[test]
    fn debug_output_hides_the_database_password() {
        let c = Config { database_url: Some("postgres://u:pw@h/db".into()), ..Config::default() };
        assert!(!format!("{c:?}").contains("pw"));
    }
}
