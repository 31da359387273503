//! Row types shared by both backends (`FromRow` is generic over the database) and their
//! conversion into domain types; conversion failures mean stored data broke a domain rule.

use super::SessionRecord;
use super::{Result, StoreError};
use crate::analysis::safeguarding::Signal;
use crate::domain::audit::AuditRecord;
use crate::domain::safeguarding::{FollowUp, FollowUpAction};
use crate::domain::story::StorySource;
use crate::domain::{
    AgeBand, Answers, Campaign, CampaignDef, Perspective, Role, Story, StoryEvent, StoryEventKind, User,
};
use sqlx::types::Json;
use time::OffsetDateTime;

#[derive(sqlx::FromRow)]
pub struct CampaignRow {
    pub id: String,
    pub definition: Json<CampaignDef>,
    pub form_version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl From<CampaignRow> for Campaign {
    fn from(r: CampaignRow) -> Campaign {
        Campaign {
            id: r.id,
            def: r.definition.0,
            form_version: r.form_version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct StoryRow {
    pub id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub language: String,
    pub perspective: String,
    pub age_band: Option<String>,
    pub region: Option<String>,
    pub municipality: Option<String>,
    pub prompt_id: Option<String>,
    pub answers: Json<Answers>,
    pub source: String,
    pub form_version: i64,
    pub created_at: OffsetDateTime,
    pub safeguarding: Option<Json<Vec<Signal>>>,
}

impl TryFrom<StoryRow> for Story {
    type Error = StoreError;
    fn try_from(r: StoryRow) -> Result<Story> {
        let bad = |what: &str, v: &str| StoreError::Invalid(format!("story {}: unknown {what} '{v}'", r.id));
        let perspective =
            Perspective::parse(&r.perspective).ok_or_else(|| bad("perspective", &r.perspective))?;
        let age_band = match r.age_band.as_deref() {
            None => None,
            Some(a) => Some(AgeBand::parse(a).ok_or_else(|| bad("age band", a))?),
        };
        let source = StorySource::parse(&r.source).ok_or_else(|| bad("source", &r.source))?;
        Ok(Story {
            id: r.id,
            campaign_id: r.campaign_id,
            external_id: r.external_id,
            title: r.title,
            text: r.text,
            language: r.language,
            perspective,
            age_band,
            region: r.region,
            municipality: r.municipality,
            prompt_id: r.prompt_id,
            answers: r.answers.0,
            source,
            form_version: r.form_version,
            created_at: r.created_at,
            safeguarding: r.safeguarding.map(|j| j.0).unwrap_or_default(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub story_id: String,
    pub campaign_id: String,
    pub kind: String,
    pub created_at: OffsetDateTime,
}

impl TryFrom<EventRow> for StoryEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<StoryEvent> {
        let kind = match r.kind.as_str() {
            "upsert" => StoryEventKind::Upsert,
            "delete" => StoryEventKind::Delete,
            other => return Err(StoreError::Invalid(format!("event {}: unknown kind '{other}'", r.seq))),
        };
        Ok(StoryEvent {
            seq: r.seq,
            story_id: r.story_id,
            campaign_id: r.campaign_id,
            kind,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
}

fn role(id: &str, r: &str) -> Result<Role> {
    Role::parse(r).ok_or_else(|| StoreError::Invalid(format!("user {id}: unknown role '{r}'")))
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User> {
        let role = role(&r.id, &r.role)?;
        Ok(User {
            id: r.id,
            email: r.email,
            name: r.name,
            role,
            disabled: r.disabled,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct UserWithHashRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: String,
}

impl TryFrom<UserWithHashRow> for (User, String) {
    type Error = StoreError;
    fn try_from(r: UserWithHashRow) -> Result<(User, String)> {
        Ok((r.user.try_into()?, r.password_hash))
    }
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub user_created_at: OffsetDateTime,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<SessionRecord> {
        let role = role(&r.id, &r.role)?;
        Ok(SessionRecord {
            user: User {
                id: r.id,
                email: r.email,
                name: r.name,
                role,
                disabled: r.disabled,
                created_at: r.user_created_at,
            },
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub campaign_id: Option<String>,
    pub details: Json<serde_json::Value>,
}

impl From<AuditRow> for AuditRecord {
    fn from(r: AuditRow) -> AuditRecord {
        AuditRecord {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor,
            action: r.action,
            target: r.target,
            campaign_id: r.campaign_id,
            details: r.details.0,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: String,
    pub story_id: String,
    pub campaign_id: String,
    pub user_id: Option<String>,
    pub user_email: String,
    pub action: String,
    pub note: String,
    pub at: OffsetDateTime,
}

impl TryFrom<FollowUpRow> for FollowUp {
    type Error = StoreError;
    fn try_from(r: FollowUpRow) -> Result<FollowUp> {
        let action = FollowUpAction::parse(&r.action).ok_or_else(|| {
            StoreError::Invalid(format!("follow-up {}: unknown action '{}'", r.id, r.action))
        })?;
        Ok(FollowUp {
            id: r.id,
            story_id: r.story_id,
            campaign_id: r.campaign_id,
            user_id: r.user_id,
            user_email: r.user_email,
            action,
            note: r.note,
            at: r.at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct StorySetRow {
    pub id: String,
    pub name: String,
    pub query: String,
    pub campaign_id: Option<String>,
    pub story_ids: Option<Json<Vec<String>>>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl From<StorySetRow> for crate::domain::story_set::StorySet {
    fn from(r: StorySetRow) -> Self {
        crate::domain::story_set::StorySet {
            id: r.id,
            name: r.name,
            query: r.query,
            campaign_id: r.campaign_id,
            story_ids: r.story_ids.map(|j| j.0),
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ThemeRow {
    pub id: String,
    pub campaign_id: Option<String>,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub parent_id: Option<String>,
    pub rule: Option<String>,
    pub merged_into: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl From<ThemeRow> for crate::domain::theme::Theme {
    fn from(r: ThemeRow) -> Self {
        crate::domain::theme::Theme {
            id: r.id,
            campaign_id: r.campaign_id,
            name: r.name,
            description: r.description,
            colour: r.colour,
            parent_id: r.parent_id,
            rule: r.rule,
            merged_into: r.merged_into,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct TagRow {
    pub story_id: String,
    pub theme_id: String,
    pub source: String,
    pub state: String,
    pub confidence: Option<f64>,
    pub explanation: Option<Json<Vec<(String, f64)>>>,
    pub by_user: Option<String>,
    pub at: OffsetDateTime,
}

impl TryFrom<TagRow> for crate::domain::theme::Tag {
    type Error = StoreError;
    fn try_from(r: TagRow) -> Result<Self> {
        use crate::domain::theme::{TagSource, TagState};
        let bad = |what: &str, v: &str| {
            StoreError::Invalid(format!("tag of story {}: unknown {what} '{v}'", r.story_id))
        };
        Ok(crate::domain::theme::Tag {
            source: TagSource::parse(&r.source).ok_or_else(|| bad("source", &r.source))?,
            state: TagState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
            story_id: r.story_id,
            theme_id: r.theme_id,
            confidence: r.confidence,
            explanation: r.explanation.map(|j| j.0),
            by_user: r.by_user,
            at: r.at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct TagHistoryRow {
    pub story_id: String,
    pub theme_id: String,
    pub source: String,
    pub state: Option<String>,
    pub confidence: Option<f64>,
    pub by_user: Option<String>,
    pub action: String,
    pub at: OffsetDateTime,
}

impl TryFrom<TagHistoryRow> for crate::domain::theme::TagChange {
    type Error = StoreError;
    fn try_from(r: TagHistoryRow) -> Result<Self> {
        use crate::domain::theme::{TagSource, TagState};
        Ok(crate::domain::theme::TagChange {
            source: TagSource::parse(&r.source)
                .ok_or_else(|| StoreError::Invalid(format!("tag history: unknown source '{}'", r.source)))?,
            state: r.state.as_deref().and_then(TagState::parse),
            story_id: r.story_id,
            theme_id: r.theme_id,
            confidence: r.confidence,
            by_user: r.by_user,
            action: r.action,
            at: r.at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SampleRow {
    pub id: String,
    pub campaign_id: String,
    pub name: String,
    pub story_ids: Json<Vec<String>>,
    pub theme_ids: Json<Vec<String>>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
}

impl From<SampleRow> for crate::domain::job::CodingSample {
    fn from(r: SampleRow) -> Self {
        crate::domain::job::CodingSample {
            id: r.id,
            campaign_id: r.campaign_id,
            name: r.name,
            story_ids: r.story_ids.0,
            theme_ids: r.theme_ids.0,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct CodingRow {
    pub coder_id: String,
    pub story_id: String,
    pub theme_id: String,
    pub applied: bool,
}

#[derive(sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub campaign_id: Option<String>,
    pub kind: String,
    pub status: String,
    pub progress: f64,
    pub message: String,
    pub params: Json<serde_json::Value>,
    pub result: Option<Json<serde_json::Value>>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

impl TryFrom<JobRow> for crate::domain::job::Job {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Self> {
        Ok(crate::domain::job::Job {
            status: crate::domain::job::JobStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Invalid(format!("job {}: unknown status '{}'", r.id, r.status)))?,
            id: r.id,
            campaign_id: r.campaign_id,
            kind: r.kind,
            progress: r.progress,
            message: r.message,
            params: r.params.0,
            result: r.result.map(|j| j.0),
            created_by: r.created_by,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
        })
    }
}

pub fn stories(rows: Vec<StoryRow>) -> Result<Vec<Story>> {
    rows.into_iter().map(Story::try_from).collect()
}

/// Maps a unique-constraint violation to `Conflict` naming the rule, a fault that may pass
/// (see `unavailable`) to `Unavailable`, anything else to `Other`.
pub fn map_err(e: sqlx::Error) -> StoreError {
    if let Some(why) = unavailable(&e) {
        // Logged here, once per failed statement, so the operator sees the fault itself and
        // not only the 503s; sqlx errors carry no bound values, so no story text.
        tracing::warn!(reason = %why, error = %e, "database unavailable");
        return StoreError::Unavailable(why);
    }
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            let msg = db.message();
            let name = db.constraint().map(str::to_string).unwrap_or_else(|| msg.to_string());
            let rule = if name.contains("submission_key") {
                "submission_key"
            } else if name.contains("external_id") {
                "external_id"
            } else if name.contains("receipt_hash") {
                "receipt_hash"
            } else if name.contains("slug") {
                "slug"
            } else if name.contains("jobs_one_running") || name.contains("jobs.campaign_id") {
                // SQLite names the column, PostgreSQL the partial index.
                "running_job"
            } else {
                return StoreError::Conflict(name);
            };
            StoreError::Conflict(rule.to_string())
        }
        _ => StoreError::Other(anyhow::Error::new(e)),
    }
}

/// Why a database error is a fault that may pass by itself (and the request may be tried
/// again), or `None` for errors that will come back the same way (bad SQL, constraint, decode).
pub fn unavailable(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::PoolTimedOut => Some("no database connection could be had in time".into()),
        sqlx::Error::PoolClosed => Some("the connection pool is closed".into()),
        sqlx::Error::WorkerCrashed => Some("the SQLite worker stopped".into()),
        sqlx::Error::Io(io) => Some(format!("lost or refused connection ({})", io.kind())),
        sqlx::Error::Tls(_) => Some("the TLS connection failed".into()),
        // A connection cut off mid-message reads as a protocol error.
        sqlx::Error::Protocol(_) => Some("the connection broke off mid-message".into()),
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                postgres_unavailable(pg.code())
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite_unavailable(db.code()?.parse().ok()?)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// SQLite result codes (the primary code is the low byte of the extended one) that are a
/// state of the disk or of other connections, not of the statement.
fn sqlite_unavailable(extended: i32) -> Option<String> {
    let why = match extended & 0xff {
        5 => "the database stayed locked past the busy timeout (SQLITE_BUSY)",
        6 => "a table stayed locked (SQLITE_LOCKED)",
        7 => "SQLite ran out of memory (SQLITE_NOMEM)",
        8 => "the database file is read-only (SQLITE_READONLY)",
        10 => "the disk reported an I/O error (SQLITE_IOERR)",
        13 => "the disk is full (SQLITE_FULL)",
        14 => "the database file could not be opened (SQLITE_CANTOPEN)",
        15 => "the file lock protocol failed (SQLITE_PROTOCOL)",
        _ => return None,
    };
    Some(why.into())
}

/// PostgreSQL SQLSTATEs of a server that is going away, full or read-only.
fn postgres_unavailable(sqlstate: &str) -> Option<String> {
    let why = match sqlstate {
        "57P01" => "PostgreSQL is shutting down (admin shutdown)",
        "57P02" => "PostgreSQL crashed (crash shutdown)",
        "57P03" => "PostgreSQL does not accept connections yet",
        "53100" => "the PostgreSQL disk is full",
        "53200" => "PostgreSQL ran out of memory",
        "53300" => "PostgreSQL has too many connections",
        "25006" => "PostgreSQL is read-only (a standby, or default_transaction_read_only)",
        s if s.starts_with("08") => "the PostgreSQL connection failed",
        _ => return None,
    };
    Some(why.into())
}

#[cfg(test)]
mod fault_tests {
    use super::*;
    use sqlx::Connection;

    /// A real SQLite error from an in-memory database, by running `setup` then `failing`.
    async fn sqlite_error(setup: &[&str], failing: &str) -> sqlx::Error {
        let mut c = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        for s in setup {
            sqlx::query(sqlx::AssertSqlSafe(*s)).execute(&mut c).await.unwrap();
        }
        sqlx::query(sqlx::AssertSqlSafe(failing)).execute(&mut c).await.unwrap_err()
    }

    #[tokio::test]
    async fn a_full_sqlite_database_is_unavailable() {
        // max_page_count caps the file the way a full disk does: SQLITE_FULL on the insert.
        let e = sqlite_error(
            &["CREATE TABLE t (b BLOB)", "PRAGMA max_page_count = 3"],
            "INSERT INTO t VALUES (zeroblob(100000))",
        )
        .await;
        assert!(matches!(map_err(e), StoreError::Unavailable(why) if why.contains("SQLITE_FULL")));
    }

    #[tokio::test]
    async fn a_read_only_sqlite_database_is_unavailable() {
        let e =
            sqlite_error(&["CREATE TABLE t (b BLOB)", "PRAGMA query_only = ON"], "INSERT INTO t VALUES (1)")
                .await;
        assert!(matches!(map_err(e), StoreError::Unavailable(why) if why.contains("SQLITE_READONLY")));
    }

    #[tokio::test]
    async fn bad_sql_and_constraints_are_not_unavailable() {
        let e = sqlite_error(&[], "SELECT * FROM no_such_table").await;
        assert!(matches!(map_err(e), StoreError::Other(_)));
        let e = sqlite_error(
            &["CREATE TABLE t (k TEXT UNIQUE)", "INSERT INTO t VALUES ('submission_key')"],
            "INSERT INTO t VALUES ('submission_key')",
        )
        .await;
        assert!(matches!(map_err(e), StoreError::Conflict(_)));
        assert!(matches!(map_err(sqlx::Error::RowNotFound), StoreError::NotFound));
    }

    #[test]
    fn lost_connections_and_pool_timeouts_are_unavailable() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(map_err(sqlx::Error::Io(refused)).is_unavailable());
        assert!(map_err(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(map_err(sqlx::Error::PoolClosed).is_unavailable());
        assert!(map_err(sqlx::Error::Protocol("unexpected end of stream".into())).is_unavailable());
        assert!(!map_err(sqlx::Error::ColumnNotFound("x".into())).is_unavailable());
    }

    #[test]
    fn postgres_shutdown_and_connection_states_are_unavailable_and_others_not() {
        for state in ["57P01", "57P02", "57P03", "08006", "08001", "53100", "25006"] {
            assert!(postgres_unavailable(state).is_some(), "{state}");
        }
        for state in ["23505", "42P01", "40001", "22001"] {
            assert!(postgres_unavailable(state).is_none(), "{state}");
        }
    }

    #[test]
    fn extended_sqlite_codes_count_by_their_primary_code() {
        // SQLITE_IOERR_WRITE (778), SQLITE_READONLY_DBMOVED (1032), SQLITE_BUSY_SNAPSHOT (517).
        assert!(sqlite_unavailable(778).unwrap().contains("SQLITE_IOERR"));
        assert!(sqlite_unavailable(1032).unwrap().contains("SQLITE_READONLY"));
        assert!(sqlite_unavailable(517).unwrap().contains("SQLITE_BUSY"));
        // SQLITE_CONSTRAINT (19), SQLITE_ERROR (1).
        assert!(sqlite_unavailable(19).is_none() && sqlite_unavailable(1).is_none());
    }
}
