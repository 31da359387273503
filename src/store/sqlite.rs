//! SQLite backend: the embedded default. One file in WAL mode with `synchronous=FULL`, so a
//! committed story survives power loss; one writer connection (SQLite has one writer anyway,
//! and a single connection avoids busy upgrades) and a small pool of readers. The code shared
//! with PostgreSQL lives in `shared/`, compiled here with `Db = Sqlite`.

use super::{Result, StoreError, sql};
use crate::domain::StoryEventKind;
use anyhow::Context;
use sqlx::Sqlite;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

// Compiled once per backend on purpose (see shared/mod.rs), so clippy's duplicate-module lint
// does not apply.
#[allow(clippy::duplicate_mod)]
#[path = "shared/mod.rs"]
mod shared;

type Db = Sqlite;
type Backend = SqliteStore;

pub struct SqliteStore {
    write: SqlitePool,
    read: SqlitePool,
    /// The database file, as the fault hook (feature `faults`) names it.
    #[cfg_attr(not(feature = "faults"), allow(dead_code))]
    file: std::path::PathBuf,
}

impl SqliteStore {
    pub const NAME: &'static str = "sqlite";

    pub async fn connect(url: &str) -> anyhow::Result<SqliteStore> {
        // sqlx does not turn on WAL or full sync by itself: set every durability pragma here.
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("reading SQLite URL '{url}'"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // A deleted (withdrawn) story is overwritten with zeros, not just unlinked: its text
            // must not stay readable in the file.
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = options.get_filename().parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the data directory {}", dir.display()))?;
        }
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("opening SQLite database {}", options.get_filename().display()))?;
        let file = options.get_filename().to_path_buf();
        let file = std::fs::canonicalize(&file).unwrap_or(file);
        let read = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        Ok(SqliteStore { write, read, file })
    }

    fn pools(&self) -> Vec<super::PoolUse> {
        let usage = |name, p: &SqlitePool| super::PoolUse {
            name,
            size: p.size(),
            idle: p.num_idle(),
            max: p.options().get_max_connections(),
        };
        vec![usage("write", &self.write), usage("read", &self.read)]
    }

    async fn reader(&self) -> Result<PoolConnection<Sqlite>> {
        Ok(self.read.acquire().await?)
    }

    async fn begin_sqlx(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        let mut conn = self.write.acquire().await?;
        // A full disk or an I/O error makes SQLite roll the transaction back by itself; sqlx's
        // ROLLBACK then fails and it still counts the connection as inside a transaction, so the
        // next "begin" would only open a savepoint and its "commit" would commit nothing: the
        // story acknowledged, then lost (found by the tmpfs full-disk test). Such a connection
        // is closed and a fresh one opened.
        if sqlx::Connection::is_in_transaction(&*conn) {
            tracing::warn!("SQLite writer connection left inside a failed transaction: reopening it");
            conn.close().await?;
            conn = self.write.acquire().await?;
        }
        #[cfg_attr(not(feature = "faults"), allow(unused_mut))]
        let mut tx = sqlx::Transaction::begin(conn, None).await?;
        #[cfg(feature = "faults")]
        super::faults::apply_sqlite(&self.file, &mut tx).await?;
        Ok(tx)
    }

    /// Writes to the file as a story would (a header write through the WAL, made durable), so
    /// a full disk or a read-only file shows here and not only on the next story. The value
    /// written is the one already there: `user_version` is not used otherwise.
    async fn probe_write(&self) -> Result<()> {
        let mut tx = self.begin_sqlx().await?;
        let version: i64 = sqlx::query_scalar(sql::SQLITE_USER_VERSION).fetch_one(&mut *tx).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA user_version = {version}")))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn run_migrations(&self) -> Result<()> {
        sqlx::migrate!("./migrations/sqlite").run(&self.write).await.context("applying SQLite migrations")?;
        Ok(())
    }

    async fn check_durability(&self) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&self.write).await?;
        if !mode.eq_ignore_ascii_case("wal") {
            warnings.push(format!("SQLite journal_mode is '{mode}', expected 'wal'"));
        }
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&self.write).await?;
        if sync < 2 {
            warnings.push(format!(
                "SQLite synchronous is {sync}, expected 2 (FULL): a power cut could lose accepted stories"
            ));
        }
        Ok(warnings)
    }

    async fn purge_deleted_pages(&self) -> Result<()> {
        // With secure_delete the main file holds zeros where deleted rows were, but the WAL
        // still has the frames written before the deletion until it is checkpointed and reset.
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.write).await?;
        if busy != 0 {
            return Err(StoreError::Other(anyhow::anyhow!("readers kept the WAL checkpoint from finishing")));
        }
        Ok(())
    }

    async fn backup_into(&self, path: &std::path::Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Conflict("backup file exists".into()));
        }
        // A reader connection: VACUUM INTO reads one snapshot in a read transaction, so the
        // writer (and with it every submission) carries on while the copy is made.
        let target = path.to_str().ok_or_else(|| StoreError::Invalid("backup path is not UTF-8".into()))?;
        sqlx::query(sql::SQLITE_VACUUM_INTO).bind(target).execute(&mut *self.reader().await?).await?;
        Ok(())
    }

    /// Checks that the SQLite file at `path` is a whole luister database before it is restored:
    /// it opens read-only, passes `PRAGMA integrity_check`, has the migrations table, and was
    /// made by this version of luister or an older one (newer migrations would be unknown here).
    pub async fn inspect_file(path: &std::path::Path) -> Result<FileCheck> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true).create_if_missing(false);
        let mut conn = sqlx::ConnectOptions::connect(&options)
            .await
            .map_err(|e| StoreError::Invalid(format!("cannot open it as SQLite: {e}")))?;
        let not_sqlite = |e: sqlx::Error| StoreError::Invalid(format!("not a SQLite database: {e}"));
        let integrity: Vec<String> =
            sqlx::query_scalar(sql::SQLITE_INTEGRITY_CHECK).fetch_all(&mut conn).await.map_err(not_sqlite)?;
        if integrity != ["ok"] {
            return Err(StoreError::Invalid(format!(
                "the integrity check failed: {}",
                integrity.into_iter().take(5).collect::<Vec<_>>().join("; ")
            )));
        }
        let has: i64 =
            sqlx::query_scalar(sql::SQLITE_HAS_MIGRATIONS).fetch_one(&mut conn).await.map_err(not_sqlite)?;
        if has == 0 {
            return Err(StoreError::Invalid("it has no migrations table: not a luister database".into()));
        }
        let applied: Vec<i64> =
            sqlx::query_scalar(sql::SQLITE_APPLIED_MIGRATIONS).fetch_all(&mut conn).await?;
        let known: Vec<i64> = sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).collect();
        if applied.is_empty() {
            return Err(StoreError::Invalid(
                "no migration was ever applied to it: not a luister database".into(),
            ));
        }
        if let Some(v) = applied.iter().find(|v| !known.contains(v)) {
            return Err(StoreError::Invalid(format!(
                "it has migration {v}, which this luister does not know: it was made by a newer version"
            )));
        }
        let stories: i64 = sqlx::query_scalar(sql::COUNT_ALL_STORIES)
            .fetch_one(&mut conn)
            .await
            .map_err(|e| StoreError::Invalid(format!("it has no readable stories table: {e}")))?;
        sqlx::Connection::close(conn).await?;
        Ok(FileCheck { migrations: applied.len(), stories })
    }
}

/// What `SqliteStore::inspect_file` found in a database file that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    pub migrations: usize,
    pub stories: i64,
}

/// SQLite has a single writer, so `seq` order is commit order without further locking.
async fn append_event(
    c: &mut shared::Conn,
    story_id: &str,
    campaign_id: &str,
    kind: StoryEventKind,
) -> Result<()> {
    sqlx::query(sql::INSERT_EVENT)
        .bind(story_id)
        .bind(campaign_id)
        .bind(kind.as_str())
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(())
}
