//! Improvement actions, organisations, the Leefwereldtoets and published results (migrations
//! `*_actions.sql`). Dates (due, handed over, an update's day) are stored as `YYYY-MM-DD` text
//! on both backends, so they compare as text and need no date type.

use super::{Conn, Query, execute_one, utc};
use crate::domain::action::{
    Action, ActionFields, ActionStatus, ChangeKind, HistoryEntry, Organisation, OrganisationKind,
};
use crate::domain::toets::{Assumption, AssumptionLink, Conclusion, Stance, Verdict};
use crate::store::{ActionFilter, CampaignResults, PublishedQuote, Result, StoreError};
use sqlx::types::Json;
use time::{Date, OffsetDateTime};

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!("stored {what} '{value}' is not known"))
}

fn date(s: Option<String>) -> Option<Date> {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    s.and_then(|s| Date::parse(&s, &iso).ok())
}

fn date_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The placeholders of an IN list of `n` values that follow `before` earlier binds:
/// `$3, $4, $5`. Both backends accept the numbered form.
fn marks(before: usize, n: usize) -> String {
    (before + 1..=before + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    campaign_id: String,
    kind: String,
    name: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<OrgRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Organisation> {
        Ok(Organisation {
            kind: OrganisationKind::parse(&r.kind).ok_or_else(|| bad("organisation kind", &r.kind))?,
            id: r.id,
            campaign_id: r.campaign_id,
            name: r.name,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const ORG_COLUMNS: &str = "id, campaign_id, kind, name, created_at, updated_at";

pub async fn save_organisation(c: &mut Conn, o: &Organisation) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO organisations (id, campaign_id, kind, name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET kind = $3, name = $4, updated_at = $6 \
         WHERE organisations.campaign_id = $2",
    )
    .bind(&o.id)
    .bind(&o.campaign_id)
    .bind(o.kind.as_str())
    .bind(&o.name)
    .bind(utc(o.created_at))
    .bind(utc(o.updated_at));
    // Zero rows: the id is another campaign's organisation (the WHERE of the upsert).
    execute_one(c, q).await.map_err(|e| match e {
        StoreError::Conflict(_) => StoreError::Conflict("organisation_name".into()),
        e => e,
    })
}

pub async fn organisations(c: &mut Conn, campaign_id: Option<&str>) -> Result<Vec<Organisation>> {
    let rows: Vec<OrgRow> = match campaign_id {
        Some(id) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ORG_COLUMNS} FROM organisations WHERE campaign_id = $1 ORDER BY name, id"
            )))
            .bind(id)
            .fetch_all(&mut *c)
            .await?
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ORG_COLUMNS} FROM organisations ORDER BY name, id"
            )))
            .fetch_all(&mut *c)
            .await?
        }
    };
    rows.into_iter().map(TryInto::try_into).collect()
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    campaign_id: String,
    title: String,
    description: String,
    organisation_id: Option<String>,
    contact: String,
    priority: String,
    status: String,
    drop_reason: Option<String>,
    due_on: Option<String>,
    progress: i64,
    handed_over_on: Option<String>,
    published: bool,
    version: i64,
    created_by: Option<String>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const ACTION_COLUMNS: &str = "id, campaign_id, title, description, organisation_id, contact, priority, \
     status, drop_reason, due_on, progress, handed_over_on, published, version, created_by, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct LinkRow {
    action_id: String,
    kind: String,
    ref_id: String,
}

async fn with_links(c: &mut Conn, rows: Vec<ActionRow>) -> Result<Vec<Action>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut links: Vec<LinkRow> = Vec::new();
    // Bounded IN lists, one query per chunk, the same text on both backends.
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT action_id, kind, ref_id FROM action_links WHERE action_id IN ({})",
            marks(0, chunk.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        links.extend(q.fetch_all(&mut *c).await?);
    }
    rows.into_iter()
        .map(|r| {
            let mut mine: Vec<_> = links
                .iter()
                .filter(|l| l.action_id == r.id)
                .filter_map(|l| {
                    crate::domain::action::LinkKind::parse(&l.kind)
                        .map(|kind| crate::domain::action::ActionLink { kind, ref_id: l.ref_id.clone() })
                })
                .collect();
            mine.sort();
            Ok(Action {
                fields: ActionFields {
                    title: r.title,
                    description: r.description,
                    organisation_id: r.organisation_id,
                    contact: r.contact,
                    priority: crate::domain::action::Priority::parse(&r.priority)
                        .ok_or_else(|| bad("priority", &r.priority))?,
                    status: ActionStatus::parse(&r.status).ok_or_else(|| bad("status", &r.status))?,
                    drop_reason: r.drop_reason,
                    due_on: date(r.due_on),
                    progress: r.progress.clamp(0, 100) as u8,
                    handed_over_on: date(r.handed_over_on),
                    links: mine,
                },
                id: r.id,
                campaign_id: r.campaign_id,
                published: r.published,
                version: r.version,
                created_by: r.created_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

pub async fn action(c: &mut Conn, id: &str) -> Result<Action> {
    let row: ActionRow =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ACTION_COLUMNS} FROM actions WHERE id = $1")))
            .bind(id)
            .fetch_one(&mut *c)
            .await?;
    Ok(with_links(c, vec![row]).await?.remove(0))
}

pub async fn actions(c: &mut Conn, f: &ActionFilter) -> Result<Vec<Action>> {
    let mut clauses = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(ids) = &f.campaign_ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        clauses.push(format!("campaign_id IN ({})", marks(binds.len(), ids.len())));
        binds.extend(ids.iter().cloned());
    }
    if let Some(o) = &f.organisation_id {
        binds.push(o.clone());
        clauses.push(format!("organisation_id = ${}", binds.len()));
    }
    if let Some(s) = f.status {
        binds.push(s.as_str().to_string());
        clauses.push(format!("status = ${}", binds.len()));
    }
    if f.published_only {
        clauses.push("published = TRUE".into());
    }
    let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    // No due date sorts last on both backends: the CASE puts them after the dated ones.
    let sql = format!(
        "SELECT {ACTION_COLUMNS} FROM actions{filter} \
         ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, title, id"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b);
    }
    let rows: Vec<ActionRow> = q.fetch_all(&mut *c).await?;
    with_links(c, rows).await
}

async fn write_links(c: &mut Conn, a: &Action) -> Result<()> {
    sqlx::query("DELETE FROM action_links WHERE action_id = $1").bind(&a.id).execute(&mut *c).await?;
    for l in &a.fields.links {
        sqlx::query("INSERT INTO action_links (action_id, kind, ref_id) VALUES ($1, $2, $3)")
            .bind(&a.id)
            .bind(l.kind.as_str())
            .bind(&l.ref_id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

async fn write_history(c: &mut Conn, e: &HistoryEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO action_history (action_id, version, kind, at, on_date, actor, note, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&e.action_id)
    .bind(e.version)
    .bind(e.kind.as_str())
    .bind(utc(e.at))
    .bind(e.on_date.to_string())
    .bind(&e.actor)
    .bind(&e.note)
    .bind(Json(&e.state))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Binds $1 to $14 of both the insert and the update: id, campaign, every field of the form,
/// published and version, in the order of `ACTION_COLUMNS`.
fn bind_action<'q>(q: Query<'q>, a: &Action) -> Query<'q> {
    let f = &a.fields;
    q.bind(&a.id)
        .bind(&a.campaign_id)
        .bind(&f.title)
        .bind(&f.description)
        .bind(&f.organisation_id)
        .bind(&f.contact)
        .bind(f.priority.as_str())
        .bind(f.status.as_str())
        .bind(&f.drop_reason)
        .bind(date_text(f.due_on))
        .bind(i64::from(f.progress))
        .bind(date_text(f.handed_over_on))
        .bind(a.published)
        .bind(a.version)
}

pub async fn insert_action(c: &mut Conn, a: &Action, e: &HistoryEntry) -> Result<()> {
    let sql = format!(
        "INSERT INTO actions ({ACTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17)"
    );
    bind_action(sqlx::query(sqlx::AssertSqlSafe(sql)), a)
        .bind(&a.created_by)
        .bind(utc(a.created_at))
        .bind(utc(a.updated_at))
        .execute(&mut *c)
        .await?;
    write_links(c, a).await?;
    write_history(c, e).await
}

pub async fn update_action(c: &mut Conn, a: &Action, e: &HistoryEntry) -> Result<()> {
    let q = sqlx::query(
        "UPDATE actions SET title = $3, description = $4, organisation_id = $5, contact = $6, priority = $7, \
         status = $8, drop_reason = $9, due_on = $10, progress = $11, handed_over_on = $12, published = $13, \
         version = $14, updated_at = $15 WHERE id = $1 AND campaign_id = $2 AND version = $14 - 1",
    );
    let done = bind_action(q, a).bind(utc(a.updated_at)).execute(&mut *c).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("action_version".into()));
    }
    write_links(c, a).await?;
    write_history(c, e).await
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    action_id: String,
    version: i64,
    kind: String,
    at: OffsetDateTime,
    on_date: String,
    actor: String,
    note: String,
    state: Json<ActionFields>,
}

impl TryFrom<HistoryRow> for HistoryEntry {
    type Error = StoreError;
    fn try_from(r: HistoryRow) -> Result<HistoryEntry> {
        Ok(HistoryEntry {
            kind: ChangeKind::parse(&r.kind).ok_or_else(|| bad("change kind", &r.kind))?,
            on_date: date(Some(r.on_date.clone())).ok_or_else(|| bad("date", &r.on_date))?,
            action_id: r.action_id,
            version: r.version,
            at: r.at,
            actor: r.actor,
            note: r.note,
            state: r.state.0,
        })
    }
}

const HISTORY_COLUMNS: &str = "action_id, version, kind, at, on_date, actor, note, state";

pub async fn action_history(c: &mut Conn, action_id: &str) -> Result<Vec<HistoryEntry>> {
    let rows: Vec<HistoryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {HISTORY_COLUMNS} FROM action_history WHERE action_id = $1 ORDER BY version"
    )))
    .bind(action_id)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn last_updates(c: &mut Conn, ids: &[String]) -> Result<Vec<HistoryEntry>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = marks(0, chunk.len());
        let sql = format!(
            "SELECT {HISTORY_COLUMNS} FROM action_history h WHERE kind = 'update' AND action_id IN ({marks}) \
             AND version = (SELECT MAX(version) FROM action_history l WHERE l.action_id = h.action_id \
             AND l.kind = 'update')"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        let rows: Vec<HistoryRow> = q.fetch_all(&mut *c).await?;
        for r in rows {
            out.push(r.try_into()?);
        }
    }
    Ok(out)
}

pub async fn policy(c: &mut Conn, campaign_id: &str) -> Result<String> {
    let p: Option<String> = sqlx::query_scalar("SELECT policy FROM campaign_policy WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_optional(&mut *c)
        .await?;
    Ok(p.unwrap_or_default())
}

pub async fn save_policy(c: &mut Conn, campaign_id: &str, policy: &str, at: OffsetDateTime) -> Result<()> {
    sqlx::query(
        "INSERT INTO campaign_policy (campaign_id, policy, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (campaign_id) DO UPDATE SET policy = $2, updated_at = $3",
    )
    .bind(campaign_id)
    .bind(policy)
    .bind(utc(at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AssumptionRow {
    id: String,
    campaign_id: String,
    position: i64,
    statement: String,
    expected: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

pub async fn assumptions(c: &mut Conn, campaign_id: &str) -> Result<Vec<Assumption>> {
    let rows: Vec<AssumptionRow> = sqlx::query_as(
        "SELECT id, campaign_id, ordinal AS position, statement, expected, created_at, updated_at FROM assumptions \
         WHERE campaign_id = $1 ORDER BY ordinal, created_at, id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Assumption {
            id: r.id,
            campaign_id: r.campaign_id,
            position: r.position,
            statement: r.statement,
            expected: r.expected,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

pub async fn save_assumption(c: &mut Conn, a: &Assumption) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO assumptions (id, campaign_id, ordinal, statement, expected, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET ordinal = $3, statement = $4, \
         expected = $5, updated_at = $7 WHERE assumptions.campaign_id = $2",
    )
    .bind(&a.id)
    .bind(&a.campaign_id)
    .bind(a.position)
    .bind(&a.statement)
    .bind(&a.expected)
    .bind(utc(a.created_at))
    .bind(utc(a.updated_at));
    execute_one(c, q).await
}

#[derive(sqlx::FromRow)]
struct LinkRowA {
    assumption_id: String,
    story_id: String,
    stance: String,
    linked_by: Option<String>,
    linked_at: OffsetDateTime,
}

fn links_of(rows: Vec<LinkRowA>) -> Result<Vec<AssumptionLink>> {
    rows.into_iter()
        .map(|r| {
            Ok(AssumptionLink {
                stance: Stance::parse(&r.stance).ok_or_else(|| bad("stance", &r.stance))?,
                assumption_id: r.assumption_id,
                story_id: r.story_id,
                linked_by: r.linked_by,
                linked_at: r.linked_at,
            })
        })
        .collect()
}

pub async fn assumption_links(c: &mut Conn, campaign_id: &str) -> Result<Vec<AssumptionLink>> {
    let rows: Vec<LinkRowA> = sqlx::query_as(
        "SELECT l.assumption_id, l.story_id, l.stance, l.linked_by, l.linked_at FROM assumption_links l \
         JOIN assumptions a ON a.id = l.assumption_id WHERE a.campaign_id = $1 ORDER BY l.linked_at, l.story_id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *c)
    .await?;
    links_of(rows)
}

pub async fn story_assumption_links(c: &mut Conn, story_id: &str) -> Result<Vec<AssumptionLink>> {
    let rows: Vec<LinkRowA> = sqlx::query_as(
        "SELECT assumption_id, story_id, stance, linked_by, linked_at FROM assumption_links WHERE story_id = $1",
    )
    .bind(story_id)
    .fetch_all(&mut *c)
    .await?;
    links_of(rows)
}

pub async fn link_story(c: &mut Conn, l: &AssumptionLink, linked: bool) -> Result<()> {
    if linked {
        sqlx::query(
            "INSERT INTO assumption_links (assumption_id, story_id, stance, linked_by, linked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assumption_id, story_id) \
             DO UPDATE SET stance = $3, linked_by = $4, linked_at = $5",
        )
        .bind(&l.assumption_id)
        .bind(&l.story_id)
        .bind(l.stance.as_str())
        .bind(&l.linked_by)
        .bind(utc(l.linked_at))
        .execute(&mut *c)
        .await?;
    } else {
        sqlx::query("DELETE FROM assumption_links WHERE assumption_id = $1 AND story_id = $2")
            .bind(&l.assumption_id)
            .bind(&l.story_id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ConclusionRow {
    assumption_id: String,
    verdict: String,
    reasoning: String,
    session_id: Option<String>,
    recorded_by: Option<String>,
    recorded_at: OffsetDateTime,
}

pub async fn conclusions(c: &mut Conn, campaign_id: &str) -> Result<Vec<Conclusion>> {
    let rows: Vec<ConclusionRow> = sqlx::query_as(
        "SELECT c.assumption_id, c.verdict, c.reasoning, c.session_id, c.recorded_by, c.recorded_at \
         FROM assumption_conclusions c JOIN assumptions a ON a.id = c.assumption_id WHERE a.campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Conclusion {
                verdict: Verdict::parse(&r.verdict).ok_or_else(|| bad("verdict", &r.verdict))?,
                assumption_id: r.assumption_id,
                reasoning: r.reasoning,
                session_id: r.session_id,
                recorded_by: r.recorded_by,
                recorded_at: r.recorded_at,
            })
        })
        .collect()
}

pub async fn save_conclusion(c: &mut Conn, k: &Conclusion) -> Result<()> {
    sqlx::query(
        "INSERT INTO assumption_conclusions (assumption_id, verdict, reasoning, session_id, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assumption_id) DO UPDATE SET verdict = $2, \
         reasoning = $3, session_id = $4, recorded_by = $5, recorded_at = $6",
    )
    .bind(&k.assumption_id)
    .bind(k.verdict.as_str())
    .bind(&k.reasoning)
    .bind(&k.session_id)
    .bind(&k.recorded_by)
    .bind(utc(k.recorded_at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub async fn campaign_results(c: &mut Conn, campaign_id: &str) -> Result<Option<CampaignResults>> {
    let row: Option<(String, String, Option<OffsetDateTime>, OffsetDateTime)> = sqlx::query_as(
        "SELECT campaign_id, summary, published_at, updated_at FROM campaign_results WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|(campaign_id, summary, published_at, updated_at)| CampaignResults {
        campaign_id,
        summary,
        published_at,
        updated_at,
    }))
}

pub async fn save_results(c: &mut Conn, r: &CampaignResults) -> Result<()> {
    sqlx::query(
        "INSERT INTO campaign_results (campaign_id, summary, published_at, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id) DO UPDATE SET summary = $2, published_at = $3, updated_at = $4",
    )
    .bind(&r.campaign_id)
    .bind(&r.summary)
    .bind(r.published_at.map(utc))
    .bind(utc(r.updated_at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub async fn published_quotes(c: &mut Conn, campaign_id: &str) -> Result<Vec<PublishedQuote>> {
    let rows: Vec<(String, String, String, String, String, String, OffsetDateTime)> = sqlx::query_as(
        "SELECT campaign_id, story_id, map_id, theme, group_label, text, created_at FROM published_quotes \
         WHERE campaign_id = $1 ORDER BY created_at, story_id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(campaign_id, story_id, map_id, theme, group_label, text, created_at)| PublishedQuote {
            campaign_id,
            story_id,
            map_id,
            theme,
            group_label,
            text,
            created_at,
        })
        .collect())
}

pub async fn set_published_quote(c: &mut Conn, q: &PublishedQuote, published: bool) -> Result<()> {
    if published {
        sqlx::query(
            "INSERT INTO published_quotes (campaign_id, story_id, map_id, theme, group_label, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, story_id) DO NOTHING",
        )
        .bind(&q.campaign_id)
        .bind(&q.story_id)
        .bind(&q.map_id)
        .bind(&q.theme)
        .bind(&q.group_label)
        .bind(&q.text)
        .bind(utc(q.created_at))
        .execute(&mut *c)
        .await?;
    } else {
        sqlx::query("DELETE FROM published_quotes WHERE campaign_id = $1 AND story_id = $2")
            .bind(&q.campaign_id)
            .bind(&q.story_id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl crate::store::ActionStore for super::Backend {
    async fn organisations(&self, campaign_id: &str) -> Result<Vec<Organisation>> {
        organisations(&mut *self.reader().await?, Some(campaign_id)).await
    }
    async fn all_organisations(&self) -> Result<Vec<Organisation>> {
        organisations(&mut *self.reader().await?, None).await
    }
    async fn action(&self, id: &str) -> Result<Action> {
        action(&mut *self.reader().await?, id).await
    }
    async fn actions(&self, filter: &ActionFilter) -> Result<Vec<Action>> {
        actions(&mut *self.reader().await?, filter).await
    }
    async fn action_history(&self, action_id: &str) -> Result<Vec<HistoryEntry>> {
        action_history(&mut *self.reader().await?, action_id).await
    }
    async fn last_updates(&self, action_ids: &[String]) -> Result<Vec<HistoryEntry>> {
        last_updates(&mut *self.reader().await?, action_ids).await
    }
    async fn policy(&self, campaign_id: &str) -> Result<String> {
        policy(&mut *self.reader().await?, campaign_id).await
    }
    async fn assumptions(&self, campaign_id: &str) -> Result<Vec<Assumption>> {
        assumptions(&mut *self.reader().await?, campaign_id).await
    }
    async fn assumption_links(&self, campaign_id: &str) -> Result<Vec<AssumptionLink>> {
        assumption_links(&mut *self.reader().await?, campaign_id).await
    }
    async fn story_assumption_links(&self, story_id: &str) -> Result<Vec<AssumptionLink>> {
        story_assumption_links(&mut *self.reader().await?, story_id).await
    }
    async fn conclusions(&self, campaign_id: &str) -> Result<Vec<Conclusion>> {
        conclusions(&mut *self.reader().await?, campaign_id).await
    }
    async fn campaign_results(&self, campaign_id: &str) -> Result<Option<CampaignResults>> {
        campaign_results(&mut *self.reader().await?, campaign_id).await
    }
    async fn published_quotes(&self, campaign_id: &str) -> Result<Vec<PublishedQuote>> {
        published_quotes(&mut *self.reader().await?, campaign_id).await
    }
}
