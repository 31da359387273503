//! PostgreSQL backend: for deployments where several app instances share one database. Story
//! writes take a transaction-scoped advisory lock before appending their event, so `seq` order
//! equals commit order and every instance's indexer sees each event exactly once. The code
//! shared with SQLite lives in `shared/`, compiled here with `Db = Postgres`.

use super::{Result, sql};
use crate::domain::StoryEventKind;
use anyhow::Context;
use sqlx::Postgres;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

// Compiled once per backend on purpose (see shared/mod.rs), so clippy's duplicate-module lint
// does not apply.
#[allow(clippy::duplicate_mod)]
#[path = "shared/mod.rs"]
mod shared;

type Db = Postgres;
type Backend = PostgresStore;

pub struct PostgresStore {
    pool: PgPool,
}

/// Key of the advisory lock that orders story event appends (any constant unique to luister).
const EVENT_LOCK_KEY: i64 = 0x006c_7569_7374_6572;

/// How long a request waits for a PostgreSQL connection before it is answered 503.
pub const ACQUIRE_TIMEOUT_SECONDS: u64 = 3;

impl PostgresStore {
    pub const NAME: &'static str = "postgres";

    pub async fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url)
            .with_context(|| format!("reading PostgreSQL URL '{}'", super::redact_url(url)))?;
        // While PostgreSQL is away (a restart, a network cut) a request must fail within a few
        // seconds with 503, not hang: acquire_timeout bounds the wait for a connection, also
        // the reconnect attempts inside it. test_before_acquire (sqlx's default, set to say it
        // is relied on) pings an idle connection before lending it, so connections cut by the
        // restart are dropped and replaced instead of failing the request that gets them.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(ACQUIRE_TIMEOUT_SECONDS))
            .test_before_acquire(true)
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}", super::redact_url(url)))?;
        Ok(PostgresStore { pool })
    }

    fn pools(&self) -> Vec<super::PoolUse> {
        vec![super::PoolUse {
            name: "main",
            size: self.pool.size(),
            idle: self.pool.num_idle(),
            max: self.pool.options().get_max_connections(),
        }]
    }

    async fn reader(&self) -> Result<PoolConnection<Postgres>> {
        Ok(self.pool.acquire().await?)
    }

    async fn begin_sqlx(&self) -> Result<sqlx::Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// A standby or a server set read-only refuses writes; a lost server fails the query.
    async fn probe_write(&self) -> Result<()> {
        let writable: bool = sqlx::query_scalar(sql::POSTGRES_WRITABLE).fetch_one(&self.pool).await?;
        if writable {
            Ok(())
        } else {
            Err(super::StoreError::Unavailable(
                "PostgreSQL is read-only (a standby, or default_transaction_read_only)".into(),
            ))
        }
    }

    async fn run_migrations(&self) -> Result<()> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .context("applying PostgreSQL migrations")?;
        Ok(())
    }

    async fn check_durability(&self) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        for (setting, expected) in [("fsync", "on"), ("synchronous_commit", "on")] {
            let value: String =
                sqlx::query_scalar("SELECT current_setting($1)").bind(setting).fetch_one(&self.pool).await?;
            if value != expected {
                warnings.push(format!(
                    "PostgreSQL {setting} is '{value}', expected '{expected}': a crash could lose accepted stories"
                ));
            }
        }
        Ok(warnings)
    }

    async fn purge_deleted_pages(&self) -> Result<()> {
        // PostgreSQL keeps dead rows until VACUUM reuses their space; autovacuum does that, and
        // docs/privacy.md says what an operator must add (VACUUM FULL, WAL and backup retention).
        Ok(())
    }

    async fn backup_into(&self, _path: &std::path::Path) -> Result<()> {
        // A logical dump from outside is PostgreSQL's consistent online backup; doing it
        // through the app's pool would only be a worse pg_dump.
        Err(super::StoreError::Invalid(
            "luister backup copies SQLite databases only; back up PostgreSQL with \
             `pg_dump -Fc -f FILE DATABASE_URL` and restore with `pg_restore` (docs/reliability.md)"
                .into(),
        ))
    }
}

async fn append_event(
    c: &mut shared::Conn,
    story_id: &str,
    campaign_id: &str,
    kind: StoryEventKind,
) -> Result<()> {
    // Held until commit: later appends wait, so seq order is commit order.
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(EVENT_LOCK_KEY).execute(&mut *c).await?;
    sqlx::query(sql::INSERT_EVENT)
        .bind(story_id)
        .bind(campaign_id)
        .bind(kind.as_str())
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(())
}
