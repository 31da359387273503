//! Sense-making sessions: sessions and their maps, chosen patterns, story cards, notes with
//! links and clusters, join codes. The SQL texts are here rather than in `sql.rs`: both
//! databases accept each of them, and they belong to this part only.

use super::{Conn, execute_one, utc};
use crate::domain::session::{
    Card, Cluster, Details, JoinCode, Note, NoteInput, NoteKind, NoteLink, Pattern, Plan, Session, Strength,
};
use crate::store::{Result, StoreError};
use sqlx::types::Json;
use std::collections::HashMap;
use time::OffsetDateTime;

macro_rules! session_columns {
    () => {
        "id, campaign_id, title, held_on, place, groups, facilitators, plan, created_by, created_at, \
         updated_at, report_published_at"
    };
}
const SESSION_BY_ID: &str = concat!("SELECT ", session_columns!(), " FROM sense_sessions WHERE id = $1");
const SESSIONS_OF: &str = concat!(
    "SELECT ",
    session_columns!(),
    " FROM sense_sessions WHERE campaign_id = $1 ORDER BY held_on DESC, created_at DESC, id"
);
const SESSIONS_PUBLISHED: &str = concat!(
    "SELECT ",
    session_columns!(),
    " FROM sense_sessions WHERE report_published_at IS NOT NULL ORDER BY report_published_at DESC, id"
);
const INSERT_SESSION: &str = "INSERT INTO sense_sessions (id, campaign_id, title, held_on, place, groups, \
     facilitators, plan, created_by, created_at, updated_at, report_published_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)";
const UPDATE_SESSION: &str = "UPDATE sense_sessions SET title = $2, held_on = $3, place = $4, groups = $5, \
     facilitators = $6, plan = $7, updated_at = $8 WHERE id = $1";
const PUBLISH_REPORT: &str =
    "UPDATE sense_sessions SET report_published_at = $2 WHERE id = $1 AND report_published_at IS NULL";
const INSERT_SESSION_MAP: &str =
    "INSERT INTO session_maps (session_id, map_id, position) VALUES ($1, $2, $3)";
const SESSION_MAPS: &str =
    "SELECT session_id, map_id FROM session_maps WHERE session_id = $1 ORDER BY position";
const DELETE_PATTERNS: &str = "DELETE FROM session_patterns WHERE session_id = $1";
const INSERT_PATTERN: &str = "INSERT INTO session_patterns (id, session_id, map_id, element, position) \
     VALUES ($1, $2, $3, $4, $5)";
const PATTERNS: &str = "SELECT id, session_id, map_id, element, position FROM session_patterns \
     WHERE session_id = $1 ORDER BY position, id";
const INSERT_CARD: &str =
    "INSERT INTO session_cards (id, session_id, number, story_id) VALUES ($1, $2, $3, $4)";
const DELETE_CARD: &str = "DELETE FROM session_cards WHERE session_id = $1 AND id = $2";
const CARDS: &str =
    "SELECT id, session_id, number, story_id FROM session_cards WHERE session_id = $1 ORDER BY number";
const INSERT_NOTE: &str = "INSERT INTO notes (id, session_id, kind, strength, body, observation_id, \
     cluster_id, by_participant, approved_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_LINK: &str = "INSERT INTO note_links (note_id, kind, target) VALUES ($1, $2, $3)";
const APPROVE_NOTE: &str =
    "UPDATE notes SET approved_at = $3 WHERE session_id = $1 AND id = $2 AND approved_at IS NULL";
const CLUSTER_NOTE: &str = "UPDATE notes SET cluster_id = $3 WHERE session_id = $1 AND id = $2";
const NOTES: &str = "SELECT id, session_id, kind, strength, body, observation_id, cluster_id, \
     by_participant, approved_at, created_at FROM notes WHERE session_id = $1 ORDER BY created_at, id";
const LINKS: &str = "SELECT l.note_id, l.kind, l.target FROM note_links l JOIN notes n ON n.id = l.note_id \
     WHERE n.session_id = $1 ORDER BY l.note_id, l.kind, l.target";
const INSERT_CLUSTER: &str =
    "INSERT INTO note_clusters (id, session_id, name, created_at) VALUES ($1, $2, $3, $4)";
const CLUSTERS: &str = "SELECT id, session_id, name, created_at FROM note_clusters WHERE session_id = $1 ORDER BY created_at, id";
const INSERT_CODE: &str = "INSERT INTO join_codes (code, session_id, created_at, expires_at, revoked_at) \
     VALUES ($1, $2, $3, $4, NULL)";
const REVOKE_CODE: &str =
    "UPDATE join_codes SET revoked_at = $3 WHERE session_id = $1 AND code = $2 AND revoked_at IS NULL";
const CODE_BY_CODE: &str =
    "SELECT code, session_id, created_at, expires_at, revoked_at FROM join_codes WHERE code = $1";
const CODES_OF: &str = "SELECT code, session_id, created_at, expires_at, revoked_at FROM join_codes \
     WHERE session_id = $1 ORDER BY created_at DESC, code";

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    campaign_id: String,
    title: String,
    held_on: String,
    place: String,
    groups: Json<Vec<crate::domain::session::Group>>,
    facilitators: Json<Vec<String>>,
    plan: Json<Plan>,
    created_by: Option<String>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    report_published_at: Option<OffsetDateTime>,
}

impl SessionRow {
    fn into_session(self, map_ids: Vec<String>) -> Result<Session> {
        let f = time::macros::format_description!("[year]-[month]-[day]");
        let held_on = time::Date::parse(&self.held_on, &f)
            .map_err(|_| StoreError::Invalid(format!("session date '{}'", self.held_on)))?;
        Ok(Session {
            id: self.id,
            campaign_id: self.campaign_id,
            details: Details { title: self.title, held_on, place: self.place, groups: self.groups.0 },
            facilitators: self.facilitators.0,
            plan: self.plan.0,
            map_ids,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            report_published_at: self.report_published_at,
        })
    }
}

fn day(d: time::Date) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&f).unwrap_or_default()
}

pub async fn insert_session(c: &mut Conn, s: &Session) -> Result<()> {
    sqlx::query(INSERT_SESSION)
        .bind(&s.id)
        .bind(&s.campaign_id)
        .bind(&s.details.title)
        .bind(day(s.details.held_on))
        .bind(&s.details.place)
        .bind(Json(&s.details.groups))
        .bind(Json(&s.facilitators))
        .bind(Json(&s.plan))
        .bind(&s.created_by)
        .bind(utc(s.created_at))
        .bind(utc(s.updated_at))
        .execute(&mut *c)
        .await?;
    for (i, m) in s.map_ids.iter().enumerate() {
        sqlx::query(INSERT_SESSION_MAP).bind(&s.id).bind(m).bind(i as i64).execute(&mut *c).await?;
    }
    Ok(())
}

/// Saves title, date, place, groups, facilitators and plan (the maps never change).
pub async fn update_session(c: &mut Conn, s: &Session) -> Result<()> {
    let q = sqlx::query(UPDATE_SESSION)
        .bind(&s.id)
        .bind(&s.details.title)
        .bind(day(s.details.held_on))
        .bind(&s.details.place)
        .bind(Json(&s.details.groups))
        .bind(Json(&s.facilitators))
        .bind(Json(&s.plan))
        .bind(utc(s.updated_at));
    execute_one(c, q).await
}

/// Publishes the report once; `NotFound` when there is no unpublished session with this id.
pub async fn publish_session_report(c: &mut Conn, id: &str, at: OffsetDateTime) -> Result<()> {
    execute_one(c, sqlx::query(PUBLISH_REPORT).bind(id).bind(utc(at))).await
}

async fn map_ids(c: &mut Conn, session_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as(SESSION_MAPS).bind(session_id).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(|(_, m)| m).collect())
}

pub async fn sense_session(c: &mut Conn, id: &str) -> Result<Session> {
    let row: SessionRow = sqlx::query_as(SESSION_BY_ID).bind(id).fetch_one(&mut *c).await?;
    let maps = map_ids(c, id).await?;
    row.into_session(maps)
}

async fn sessions_of(c: &mut Conn, rows: Vec<SessionRow>) -> Result<Vec<Session>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let maps = map_ids(c, &r.id).await?;
        out.push(r.into_session(maps)?);
    }
    Ok(out)
}

pub async fn sessions(c: &mut Conn, campaign_id: &str) -> Result<Vec<Session>> {
    let rows = sqlx::query_as(SESSIONS_OF).bind(campaign_id).fetch_all(&mut *c).await?;
    sessions_of(c, rows).await
}

pub async fn published_sessions(c: &mut Conn) -> Result<Vec<Session>> {
    let rows = sqlx::query_as(SESSIONS_PUBLISHED).fetch_all(&mut *c).await?;
    sessions_of(c, rows).await
}

/// Replaces the chosen patterns with `patterns` (in their order).
pub async fn set_session_patterns(c: &mut Conn, session_id: &str, patterns: &[Pattern]) -> Result<()> {
    sqlx::query(DELETE_PATTERNS).bind(session_id).execute(&mut *c).await?;
    for p in patterns {
        sqlx::query(INSERT_PATTERN)
            .bind(&p.id)
            .bind(session_id)
            .bind(&p.map_id)
            .bind(&p.element)
            .bind(p.position)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn session_patterns(c: &mut Conn, session_id: &str) -> Result<Vec<Pattern>> {
    let rows: Vec<(String, String, String, String, i64)> =
        sqlx::query_as(PATTERNS).bind(session_id).fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|(id, session_id, map_id, element, position)| Pattern {
            id,
            session_id,
            map_id,
            element,
            position,
        })
        .collect())
}

pub async fn add_session_cards(c: &mut Conn, cards: &[Card]) -> Result<()> {
    for k in cards {
        sqlx::query(INSERT_CARD)
            .bind(&k.id)
            .bind(&k.session_id)
            .bind(k.number)
            .bind(&k.story_id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn remove_session_card(c: &mut Conn, session_id: &str, card_id: &str) -> Result<()> {
    execute_one(c, sqlx::query(DELETE_CARD).bind(session_id).bind(card_id)).await
}

pub async fn session_cards(c: &mut Conn, session_id: &str) -> Result<Vec<Card>> {
    let rows: Vec<(String, String, i64, String)> =
        sqlx::query_as(CARDS).bind(session_id).fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|(id, session_id, number, story_id)| Card { id, session_id, number, story_id })
        .collect())
}

pub async fn insert_note(c: &mut Conn, n: &Note) -> Result<()> {
    sqlx::query(INSERT_NOTE)
        .bind(&n.id)
        .bind(&n.session_id)
        .bind(n.input.kind.as_str())
        .bind(n.input.strength.map(Strength::as_str))
        .bind(&n.input.body)
        .bind(&n.input.observation_id)
        .bind(&n.cluster_id)
        .bind(i64::from(n.by_participant))
        .bind(n.approved_at.map(utc))
        .bind(utc(n.created_at))
        .execute(&mut *c)
        .await?;
    for l in &n.input.links {
        sqlx::query(INSERT_LINK).bind(&n.id).bind(l.kind()).bind(l.target()).execute(&mut *c).await?;
    }
    Ok(())
}

/// Approves a waiting note; `NotFound` when the session has no such note waiting.
pub async fn approve_note(c: &mut Conn, session_id: &str, note_id: &str, at: OffsetDateTime) -> Result<()> {
    execute_one(c, sqlx::query(APPROVE_NOTE).bind(session_id).bind(note_id).bind(utc(at))).await
}

pub async fn cluster_note(
    c: &mut Conn,
    session_id: &str,
    note_id: &str,
    cluster_id: Option<&str>,
) -> Result<()> {
    execute_one(c, sqlx::query(CLUSTER_NOTE).bind(session_id).bind(note_id).bind(cluster_id)).await
}

type NoteRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<OffsetDateTime>,
    OffsetDateTime,
);

pub async fn session_notes(c: &mut Conn, session_id: &str) -> Result<Vec<Note>> {
    let rows: Vec<NoteRow> = sqlx::query_as(NOTES).bind(session_id).fetch_all(&mut *c).await?;
    let links: Vec<(String, String, String)> =
        sqlx::query_as(LINKS).bind(session_id).fetch_all(&mut *c).await?;
    let mut by_note: HashMap<String, Vec<NoteLink>> = HashMap::new();
    for (note, kind, target) in links {
        if let Some(l) = NoteLink::from_parts(&kind, &target) {
            by_note.entry(note).or_default().push(l);
        }
    }
    rows.into_iter()
        .map(
            |(
                id,
                session_id,
                kind,
                strength,
                body,
                observation_id,
                cluster_id,
                by_p,
                approved_at,
                created_at,
            )| {
                let kind = NoteKind::parse(&kind)
                    .ok_or_else(|| StoreError::Invalid(format!("note kind '{kind}'")))?;
                let links = by_note.remove(&id).unwrap_or_default();
                Ok(Note {
                    input: NoteInput {
                        kind,
                        strength: strength.as_deref().and_then(Strength::parse),
                        body,
                        observation_id,
                        links,
                    },
                    id,
                    session_id,
                    cluster_id,
                    by_participant: by_p != 0,
                    approved_at,
                    created_at,
                })
            },
        )
        .collect()
}

pub async fn insert_cluster(c: &mut Conn, k: &Cluster) -> Result<()> {
    sqlx::query(INSERT_CLUSTER)
        .bind(&k.id)
        .bind(&k.session_id)
        .bind(&k.name)
        .bind(utc(k.created_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn note_clusters(c: &mut Conn, session_id: &str) -> Result<Vec<Cluster>> {
    let rows: Vec<(String, String, String, OffsetDateTime)> =
        sqlx::query_as(CLUSTERS).bind(session_id).fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|(id, session_id, name, created_at)| Cluster { id, session_id, name, created_at })
        .collect())
}

pub async fn insert_join_code(c: &mut Conn, j: &JoinCode) -> Result<()> {
    sqlx::query(INSERT_CODE)
        .bind(&j.code)
        .bind(&j.session_id)
        .bind(utc(j.created_at))
        .bind(utc(j.expires_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Revokes a code of the session; `NotFound` when it has no such code still open.
pub async fn revoke_join_code(c: &mut Conn, session_id: &str, code: &str, at: OffsetDateTime) -> Result<()> {
    execute_one(c, sqlx::query(REVOKE_CODE).bind(session_id).bind(code).bind(utc(at))).await
}

type CodeRow = (String, String, OffsetDateTime, OffsetDateTime, Option<OffsetDateTime>);

fn code(r: CodeRow) -> JoinCode {
    JoinCode { code: r.0, session_id: r.1, created_at: r.2, expires_at: r.3, revoked_at: r.4 }
}

pub async fn join_code(c: &mut Conn, code_: &str) -> Result<JoinCode> {
    let row: CodeRow = sqlx::query_as(CODE_BY_CODE).bind(code_).fetch_one(&mut *c).await?;
    Ok(code(row))
}

pub async fn join_codes(c: &mut Conn, session_id: &str) -> Result<Vec<JoinCode>> {
    let rows: Vec<CodeRow> = sqlx::query_as(CODES_OF).bind(session_id).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(code).collect())
}

#[async_trait::async_trait]
impl crate::store::SessionStore for super::Backend {
    async fn sense_session(&self, id: &str) -> Result<Session> {
        sense_session(&mut *self.reader().await?, id).await
    }
    async fn sessions(&self, campaign_id: &str) -> Result<Vec<Session>> {
        sessions(&mut *self.reader().await?, campaign_id).await
    }
    async fn published_sessions(&self) -> Result<Vec<Session>> {
        published_sessions(&mut *self.reader().await?).await
    }
    async fn session_patterns(&self, session_id: &str) -> Result<Vec<Pattern>> {
        session_patterns(&mut *self.reader().await?, session_id).await
    }
    async fn session_cards(&self, session_id: &str) -> Result<Vec<Card>> {
        session_cards(&mut *self.reader().await?, session_id).await
    }
    async fn session_notes(&self, session_id: &str) -> Result<Vec<Note>> {
        session_notes(&mut *self.reader().await?, session_id).await
    }
    async fn note_clusters(&self, session_id: &str) -> Result<Vec<Cluster>> {
        note_clusters(&mut *self.reader().await?, session_id).await
    }
    async fn join_code(&self, code: &str) -> Result<JoinCode> {
        join_code(&mut *self.reader().await?, code).await
    }
    async fn join_codes(&self, session_id: &str) -> Result<Vec<JoinCode>> {
        join_codes(&mut *self.reader().await?, session_id).await
    }
}
