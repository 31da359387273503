//! PostgreSQL backend: for deployments where several app instances share one database. Story
//! writes take a transaction-scoped advisory lock before appending their event, so `seq` order
//! equals commit order and every instance's indexer sees each event exactly once. The queries
//! shared with SQLite live in `common.rs`.

use super::common::impl_store;
use super::rows::{
    self, AuditRow, CampaignRow, EventRow, FollowUpRow, SessionRow, StoryRow, UserRow, UserWithHashRow,
    map_err,
};
use super::{
    ImportCounts, NewUser, Result, Saved, SessionRecord, StoreError, StoryCursor, StoryFilter, UserChange,
    sql,
};
use crate::domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditRecord};
use crate::domain::safeguarding::FollowUp;
use crate::domain::{Campaign, CampaignDef, NewStory, Perspective, Story, StoryEvent, StoryEventKind, User};
use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::types::Json;
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

pub struct PostgresStore {
    pool: PgPool,
}

/// Key of the advisory lock that orders story event appends (any constant unique to luister).
const EVENT_LOCK_KEY: i64 = 0x006c_7569_7374_6572;

impl PostgresStore {
    pub async fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url)
            .with_context(|| format!("reading PostgreSQL URL '{}'", super::redact_url(url)))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}", super::redact_url(url)))?;
        Ok(PostgresStore { pool })
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    async fn begin(&self) -> Result<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(map_err)
    }
}

async fn append_event(
    tx: &mut Transaction<'static, Postgres>,
    story_id: &str,
    campaign_id: &str,
    kind: StoryEventKind,
) -> Result<()> {
    // Held until commit: later appends wait, so seq order is commit order.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(EVENT_LOCK_KEY)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    sqlx::query(sql::INSERT_EVENT)
        .bind(story_id)
        .bind(campaign_id)
        .bind(kind.as_str())
        .bind(OffsetDateTime::now_utc())
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

impl_store!(PostgresStore, Postgres, {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .context("applying PostgreSQL migrations")?;
        Ok(())
    }

    async fn durability_warnings(&self) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        for (setting, expected) in [("fsync", "on"), ("synchronous_commit", "on")] {
            let value: String = sqlx::query_scalar("SELECT current_setting($1)")
                .bind(setting)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
            if value != expected {
                warnings.push(format!(
                    "PostgreSQL {setting} is '{value}', expected '{expected}': a crash could lose accepted stories"
                ));
            }
        }
        Ok(warnings)
    }

    async fn purge_deleted(&self) -> Result<()> {
        // PostgreSQL keeps dead rows until VACUUM reuses their space; autovacuum does that, and
        // docs/privacy.md says what an operator must add (VACUUM FULL, WAL and backup retention).
        Ok(())
    }
});
