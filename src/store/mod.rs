//! The database: the source of truth. One `Store` trait with a SQLite implementation (the
//! embedded default) and a PostgreSQL one (several app instances, one database); the backend is
//! picked at run time from the URL scheme. Each has its own migrations under `migrations/`.
//!
//! # Changes of more than one step: `Store::begin` and `StoreTx`
//!
//! A use case that changes state opens one transaction, does all its writes and reads on it,
//! writes its audit entry on it and commits. Either everything commits (the change, the
//! `story_events` rows it appends for the indexer, the audit entry) or nothing does:
//!
//! ```ignore
//! let mut tx = store.begin().await?;
//! let from = tx.theme(&from_id).await?;           // reads see this transaction's writes
//! tx.merge_themes(&from.id, &into_id, by_user).await?;
//! tx.update_theme(&renamed).await?;
//! tx.audit(&AuditEntry::new(actor, action).target(format!("theme:{from_id}"))).await?;
//! tx.commit().await?;                              // nothing is visible before this
//! ```
//!
//! - Dropping the transaction without `commit` rolls it back, so `?` on any step undoes the
//!   steps before it.
//! - Do not call `Store` write methods (or start a second `begin`) while a transaction is open:
//!   on SQLite there is one writer connection and it would wait for itself. `Store` reads are
//!   fine but do not see the open transaction's writes; use the `StoreTx` reads for that.
//! - Keep transactions short and do no slow work (model training, HTTP) inside them.
//! - The single-call `Store` write methods are exactly `begin`, the `StoreTx` method of the same
//!   name, `commit`.
//! - Campaign edits with optimistic concurrency: `tx.save_campaign(&def, &audit,
//!   Some(form_version_the_user_edited))` fails with `StoreError::Conflict("form_version")` when
//!   someone saved in between.
//!
//! # Layout
//!
//! `tx.rs` declares `StoreTx`; `shared/` holds the SQL code of both backends, one file per part
//! (stories and events, campaigns, accounts and sessions, codebook and tags, jobs, audit, story
//! sets, coding samples), compiled once per backend; `sqlite.rs` and `postgres.rs` hold only what
//! differs. SQL texts live in `sql.rs`, row types in `rows.rs`.

#[cfg(feature = "faults")]
#[doc(hidden)]
pub mod faults;
pub mod maps;
mod parts;
mod postgres;
mod rows;
mod sql;
mod sqlite;
mod tx;

pub use parts::*;
pub use postgres::PostgresStore;
pub use sqlite::{FileCheck, SqliteStore};
pub use tx::StoreTx;

use crate::domain::{Perspective, Role, User};

use std::sync::Arc;
use time::OffsetDateTime;

/// Errors of the storage layer. Constraint violations are mapped to `Conflict` in one place per
/// backend, so callers can tell "already exists" from "database is down".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; the string names it (`submission_key`, `external_id`, ...).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Stored data or input that breaks a domain rule (e.g. an incompatible form change).
    #[error("invalid: {0}")]
    Invalid(String),
    /// The database cannot take the request now but may in a moment: the connection was lost
    /// or refused, no connection became free in time, the disk is full, the file is read-only
    /// or locked past the busy timeout, or PostgreSQL is shutting down. Nothing was written;
    /// the caller may try again (HTTP: 503 with Retry-After). The string says which, without
    /// any stored data.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl StoreError {
    /// Whether trying again later may succeed (`Unavailable`), as opposed to a refusal.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `RowNotFound` is `NotFound`, a uniqueness violation is `Conflict` named by its rule, a lost
/// connection or a full, read-only or locked database is `Unavailable`; every other database
/// error is `Other`.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        rows::map_err(e)
    }
}

/// What happened to a campaign definition that was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    Updated,
}

/// Counts of an import batch, and the stored id of each story in the batch, in order (an
/// updated story keeps the id it had).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub ids: Vec<String>,
}

/// Position in a campaign's stories, ordered by (created_at, id); for paging exports.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryCursor {
    pub created_at: OffsetDateTime,
    pub id: String,
}

/// The whole store: the union of its parts (`parts/`), one trait per area. Code that holds a
/// `DynStore` calls any part's methods on it.
pub trait Store:
    StoreCore
    + CampaignStore
    + StoryStore
    + AccountStore
    + AuditStore
    + StorySetStore
    + CodebookStore
    + SampleStore
    + JobStore
    + CoordinationStore
    + MapStore
    + SessionStore
    + ActionStore
    + ApiTokenStore
{
}

impl<
    T: StoreCore
        + CampaignStore
        + StoryStore
        + AccountStore
        + AuditStore
        + StorySetStore
        + CodebookStore
        + SampleStore
        + JobStore
        + CoordinationStore
        + MapStore
        + SessionStore
        + ActionStore
        + ApiTokenStore,
> Store for T
{
}

pub type DynStore = Arc<dyn Store>;

/// A user to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
}

/// A server-side session with its user.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub user: User,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

/// Which stories a facilitator's list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryFilter {
    pub perspective: Option<Perspective>,
    /// Only stories with danger signals.
    pub flagged: bool,
    pub offset: i64,
    pub limit: i64,
}

/// Opens the store a URL names: `sqlite:` / `sqlite://path` or `postgres://` / `postgresql://`.
pub async fn connect(url: &str) -> anyhow::Result<DynStore> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        anyhow::bail!("database URL must start with sqlite:// or postgres:// (got '{}')", redact_url(url))
    }
}

/// The URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(redact_url("postgres://app:s3cret@db:5432/luister"), "postgres://app:***@db:5432/luister");
        assert_eq!(redact_url("postgres://postgres@localhost/test"), "postgres://postgres@localhost/test");
        assert_eq!(redact_url("sqlite://data/luister.sqlite"), "sqlite://data/luister.sqlite");
    }
}
