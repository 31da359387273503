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

pub mod maps;
mod postgres;
mod rows;
mod sql;
mod sqlite;
mod tx;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use tx::StoreTx;

use crate::domain::audit::{AuditEntry, AuditFilter, AuditRecord};
use crate::domain::job::{CodingSample, Job, JobStatus, SampleCoding};
use crate::domain::safeguarding::FollowUp;
use crate::domain::story_set::StorySet;
use crate::domain::theme::{Tag, TagChange, TagSource, Theme};
use crate::domain::{Campaign, CampaignDef, NewStory, Perspective, Role, Story, StoryEvent, User};
use async_trait::async_trait;
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
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `RowNotFound` is `NotFound`, a uniqueness violation is `Conflict` named by its rule; every
/// other database error is `Other`.
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

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// Applies the backend's migrations.
    async fn migrate(&self) -> Result<()>;

    async fn ping(&self) -> Result<()>;

    /// Opens a transaction for a change of several steps (see the module docs). On SQLite it
    /// holds the only writer until it commits or drops: keep it short, and call no `Store` write
    /// method while it is open (that would wait for it forever).
    async fn begin(&self) -> Result<Box<dyn StoreTx>>;

    /// Settings that put accepted stories at risk on a crash, in words an operator can act on.
    async fn durability_warnings(&self) -> Result<Vec<String>>;

    /// Makes deleted stories unreadable in the database files (SQLite: checkpoint and reset the
    /// WAL, deleted pages are already zeroed). Called every half purge interval.
    async fn purge_deleted(&self) -> Result<()>;

    /// Creates the campaign or applies the definition to the stored one, keeping removed
    /// signifiers as retired (see `CampaignDef::merged_update`). Writes the audit entry in the
    /// same transaction, with the campaign as target and `campaign_created` on creation.
    async fn save_campaign(&self, def: &CampaignDef, audit: &AuditEntry) -> Result<(Campaign, Saved)> {
        let mut tx = self.begin().await?;
        let out = tx.save_campaign(def, audit, None).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign>;
    async fn campaign(&self, id: &str) -> Result<Campaign>;
    async fn campaigns(&self) -> Result<Vec<Campaign>>;

    /// Inserts one story and its event in one transaction; returns after the commit.
    async fn insert_story(&self, story: &NewStory) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.insert_story(story).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Inserts or updates (by campaign + external id) a batch in one transaction: a batch is
    /// stored whole or not at all.
    async fn import_stories(&self, stories: &[NewStory]) -> Result<ImportCounts> {
        let mut tx = self.begin().await?;
        let out = tx.import_stories(stories).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn story(&self, id: &str) -> Result<Story>;
    async fn story_by_receipt(&self, receipt_hash: &str) -> Result<Story>;
    /// Deletes a story, appends a delete event and writes the audit entry, in one transaction.
    async fn delete_story(&self, id: &str, audit: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_story(id, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn count_stories(&self, campaign_id: &str) -> Result<i64>;
    /// A page of a campaign's stories in (created_at, id) order, after `after`.
    async fn stories_page(
        &self,
        campaign_id: &str,
        after: Option<&StoryCursor>,
        limit: i64,
    ) -> Result<Vec<Story>>;

    /// Newest first, with the total that matches the filter.
    async fn stories_newest(&self, campaign_id: &str, filter: &StoryFilter) -> Result<(Vec<Story>, i64)>;
    /// Stories per perspective in a campaign.
    async fn count_by_perspective(&self, campaign_id: &str) -> Result<Vec<(Perspective, i64)>>;
    /// Deletes the campaign's stories created before `cutoff`, with their events and one audit
    /// entry, in one transaction; returns the deleted ids.
    async fn delete_stories_before(
        &self,
        campaign_id: &str,
        cutoff: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<Vec<String>> {
        let mut tx = self.begin().await?;
        let out = tx.delete_stories_before(campaign_id, cutoff, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn story_events(&self, story_id: &str) -> Result<Vec<StoryEvent>>;

    async fn count_users(&self) -> Result<i64>;
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User> {
        let mut tx = self.begin().await?;
        let out = tx.create_user(user, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn user(&self, id: &str) -> Result<User>;
    /// The user and their password hash, for logging in.
    async fn user_by_email(&self, email: &str) -> Result<(User, String)>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn update_user(&self, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User> {
        let mut tx = self.begin().await?;
        let out = tx.update_user(id, change, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Ids of the campaigns a user is a member of.
    async fn memberships(&self, user_id: &str) -> Result<Vec<String>>;
    async fn campaign_members(&self, campaign_id: &str) -> Result<Vec<User>>;
    async fn set_membership(
        &self,
        campaign_id: &str,
        user_id: &str,
        member: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.set_membership(campaign_id, user_id, member, audit).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn create_session(&self, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_session(id_hash, user_id, now).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn session(&self, id_hash: &str) -> Result<SessionRecord>;
    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()>;
    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_session(id_hash).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Ends every session of a user; returns how many there were.
    async fn delete_user_sessions(&self, user_id: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.delete_user_sessions(user_id).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Removes sessions idle since `idle_before` or created before `created_before`.
    async fn purge_sessions(
        &self,
        idle_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> Result<u64>;

    async fn audit(&self, entry: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.audit(entry).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>>;

    async fn add_follow_up(&self, follow_up: &FollowUp, audit: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.add_follow_up(follow_up, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn follow_ups(&self, story_id: &str) -> Result<Vec<FollowUp>>;
    /// Flagged stories of a campaign that have no follow-up yet (the "needs attention" list),
    /// oldest first; `all` includes the ones already followed up.
    async fn flagged_stories(&self, campaign_id: &str, all: bool) -> Result<Vec<Story>>;

    async fn create_story_set(&self, set: &StorySet) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_story_set(set).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn frozen_map(&self, id: &str) -> Result<maps::FrozenMap>;
    /// A campaign's frozen maps, newest first.
    async fn frozen_maps(&self, campaign_id: &str) -> Result<Vec<maps::FrozenMap>>;
    /// Published maps of all campaigns, newest first.
    async fn published_maps(&self) -> Result<Vec<maps::FrozenMap>>;
    async fn story_set(&self, id: &str) -> Result<StorySet>;
    /// Sets made by this user, and sets of the given campaigns.
    async fn story_sets(&self, user_id: &str, campaign_ids: &[String], all: bool) -> Result<Vec<StorySet>>;
    async fn rename_story_set(&self, id: &str, name: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.rename_story_set(id, name).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn delete_story_set(&self, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_story_set(id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn create_theme(&self, theme: &Theme) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_theme(theme).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn update_theme(&self, theme: &Theme) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.update_theme(theme).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn theme(&self, id: &str) -> Result<Theme>;
    /// A campaign's codebook, or the global one for `None`; merged themes included.
    async fn themes(&self, campaign_id: Option<&str>) -> Result<Vec<Theme>>;
    /// Moves every tag of `from` to `into` (where `into` has no tag of that story and source
    /// yet), records the move in the history, marks `from` as merged, and reindexes the stories.
    async fn merge_themes(&self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.merge_themes(from, into, by_user).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn tags_for_story(&self, story_id: &str) -> Result<Vec<Tag>>;
    async fn tags_for_stories(&self, story_ids: &[String]) -> Result<Vec<Tag>>;
    async fn tags_for_campaign(&self, campaign_id: &str) -> Result<Vec<Tag>>;
    /// Sets tags (insert or replace by story, theme and source), with history and reindex events.
    async fn set_tags(&self, tags: &[Tag]) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.set_tags(tags).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn remove_tag(
        &self,
        story_id: &str,
        theme_id: &str,
        source: TagSource,
        by_user: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.remove_tag(story_id, theme_id, source, by_user).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Makes the rule tags of a theme exactly `story_ids`; returns (added, removed).
    async fn replace_rule_tags(&self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
        let mut tx = self.begin().await?;
        let out = tx.replace_rule_tags(theme_id, story_ids).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Replaces the model's open suggestions for the given themes by `suggestions` (people's
    /// decisions on earlier suggestions stay).
    async fn replace_suggestions(&self, theme_ids: &[String], suggestions: &[Tag]) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.replace_suggestions(theme_ids, suggestions).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn tag_history(&self, story_id: &str) -> Result<Vec<TagChange>>;
    /// When a person last changed a tag in the campaign (to know when to retrain suggestions).
    async fn last_manual_coding(&self, campaign_id: &str) -> Result<Option<OffsetDateTime>>;

    async fn create_sample(&self, sample: &CodingSample) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_sample(sample).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn sample(&self, id: &str) -> Result<CodingSample>;
    async fn samples(&self, campaign_id: &str) -> Result<Vec<CodingSample>>;
    async fn record_codings(&self, sample_id: &str, codings: &[SampleCoding]) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.record_codings(sample_id, codings).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn sample_codings(&self, sample_id: &str) -> Result<Vec<SampleCoding>>;

    /// `Conflict("running_job")` when the job is queued or running and its campaign already has
    /// such a job (a unique partial index: one running job per campaign across instances).
    async fn create_job(&self, job: &Job) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_job(job).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn job(&self, id: &str) -> Result<Job>;
    async fn jobs(&self, campaign_id: &str, limit: i64) -> Result<Vec<Job>>;
    async fn update_job(&self, id: &str, status: JobStatus, progress: f64, message: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.update_job(id, status, progress, message).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn finish_job(
        &self,
        id: &str,
        status: JobStatus,
        message: &str,
        result: Option<&serde_json::Value>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.finish_job(id, status, message, result).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Replaces a finished job's result (threads renamed, merged, split or promoted).
    /// Replaces a finished job's result if it still is `expected`; `Ok(false)` when someone
    /// changed it in between (read it again and redo the change), `NotFound` when the job does not
    /// exist or has not finished.
    async fn save_job_result(
        &self,
        id: &str,
        expected: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let out = tx.save_job_result(id, expected, result).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Queued or running jobs whose heartbeat (or start) is older than `silent_since` were
    /// interrupted: they become failed; returns how many.
    async fn fail_interrupted_jobs(&self, silent_since: time::OffsetDateTime) -> Result<u64>;

    /// How far the follower `name` has processed the story event log; `None` before its first run.
    async fn follower_position(&self, name: &str) -> Result<Option<i64>>;
    /// Moves the follower's position forward to `seq` (never back).
    async fn set_follower_position(&self, name: &str, seq: i64) -> Result<()>;
    /// Takes or renews the lease `name` for `holder` until `until`, if it is free, expired or
    /// already this holder's; false while another holder has it. With several instances on one
    /// database, the holder is the one instance that does the task.
    async fn acquire_lease(&self, name: &str, holder: &str, until: OffsetDateTime) -> Result<bool>;
    /// Gives the lease up (on a clean stop) so that another instance takes over at once.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<()>;

    /// The stories with these ids that still exist (for the indexer), in no particular order.
    async fn stories_by_ids(&self, ids: &[String]) -> Result<Vec<Story>>;
    /// The campaigns the stories with these ids belong to (each once).
    async fn campaigns_of_stories(&self, ids: &[String]) -> Result<Vec<String>>;
    /// All stories of all campaigns in id order, after `after` (for rebuilding the index).
    async fn all_stories_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Story>>;
    async fn count_all_stories(&self) -> Result<i64>;

    /// Events with `seq > after`, oldest first.
    async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoryEvent>>;
    async fn last_event_seq(&self) -> Result<i64>;
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
