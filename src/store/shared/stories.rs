//! Stories and their events: the append-only `story_events` log the indexer and the rule
//! follower read, written in the same transaction as the change it records.

use super::{Conn, Db, append_event, utc, write_audit};
use crate::analysis::safeguarding::Signal;
use crate::domain::audit::AuditEntry;
use crate::domain::{NewStory, Perspective, Story, StoryEvent, StoryEventKind};
use crate::store::rows::{self, EventRow, StoryRow};
use crate::store::{ImportCounts, Result, StoryCursor, StoryFilter, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

fn signals_json(signals: &[Signal]) -> Option<Json<Vec<Signal>>> {
    (!signals.is_empty()).then(|| Json(signals.to_vec()))
}

type Query<'a> = sqlx::query::Query<'a, Db, <Db as sqlx::Database>::Arguments>;

fn bind_story<'a>(q: Query<'a>, s: &NewStory) -> Query<'a> {
    q.bind(s.id.clone())
        .bind(s.campaign_id.clone())
        .bind(s.external_id.clone())
        .bind(s.title.clone())
        .bind(s.text.clone())
        .bind(s.language.clone())
        .bind(s.perspective.as_str())
        .bind(s.age_band.map(|a| a.code()))
        .bind(s.region.clone())
        .bind(s.municipality.clone())
        .bind(s.prompt_id.clone())
        .bind(Json(s.answers.clone()))
        .bind(s.source.as_str())
        .bind(s.form_version)
        .bind(utc(s.created_at))
        .bind(signals_json(&s.safeguarding))
        .bind(s.receipt_hash.clone())
        .bind(s.submission_key.clone())
}

pub async fn insert_story(c: &mut Conn, story: &NewStory) -> Result<()> {
    bind_story(sqlx::query(sql::INSERT_STORY), story).execute(&mut *c).await?;
    append_event(c, &story.id, &story.campaign_id, StoryEventKind::Upsert).await
}

pub async fn import_stories(c: &mut Conn, stories: &[NewStory]) -> Result<ImportCounts> {
    let mut counts = ImportCounts::default();
    for s in stories {
        let existing: Option<String> = match &s.external_id {
            Some(ext) => {
                sqlx::query_scalar(sql::FIND_EXTERNAL)
                    .bind(&s.campaign_id)
                    .bind(ext)
                    .fetch_optional(&mut *c)
                    .await?
            }
            None => {
                sqlx::query_scalar(sql::FIND_ID)
                    .bind(&s.campaign_id)
                    .bind(&s.id)
                    .fetch_optional(&mut *c)
                    .await?
            }
        };
        let id = match existing {
            Some(id) => {
                sqlx::query(sql::UPDATE_IMPORTED)
                    .bind(&id)
                    .bind(&s.title)
                    .bind(&s.text)
                    .bind(&s.language)
                    .bind(s.perspective.as_str())
                    .bind(s.age_band.map(|a| a.code()))
                    .bind(&s.region)
                    .bind(&s.municipality)
                    .bind(&s.prompt_id)
                    .bind(Json(&s.answers))
                    .bind(s.form_version)
                    .bind(utc(s.created_at))
                    .bind(signals_json(&s.safeguarding))
                    .execute(&mut *c)
                    .await?;
                counts.updated += 1;
                id
            }
            None => {
                bind_story(sqlx::query(sql::INSERT_STORY), s).execute(&mut *c).await?;
                counts.inserted += 1;
                s.id.clone()
            }
        };
        append_event(c, &id, &s.campaign_id, StoryEventKind::Upsert).await?;
        counts.ids.push(id);
    }
    Ok(counts)
}

pub async fn story(c: &mut Conn, id: &str) -> Result<Story> {
    let row: StoryRow = sqlx::query_as(sql::STORY_BY_ID).bind(id).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn story_by_receipt(c: &mut Conn, receipt_hash: &str) -> Result<Story> {
    let row: StoryRow = sqlx::query_as(sql::STORY_BY_RECEIPT).bind(receipt_hash).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn delete_story(c: &mut Conn, id: &str, audit: &AuditEntry) -> Result<()> {
    let campaign_id: String = sqlx::query_scalar(sql::DELETE_STORY).bind(id).fetch_one(&mut *c).await?;
    append_event(c, id, &campaign_id, StoryEventKind::Delete).await?;
    write_audit(c, &audit.clone().target(format!("story:{id}")).campaign(campaign_id)).await
}

pub async fn count_stories(c: &mut Conn, campaign_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(sql::COUNT_STORIES).bind(campaign_id).fetch_one(&mut *c).await?)
}

pub async fn stories_page(
    c: &mut Conn,
    campaign_id: &str,
    after: Option<&StoryCursor>,
    limit: i64,
) -> Result<Vec<Story>> {
    let rows: Vec<StoryRow> = match after {
        None => {
            sqlx::query_as(sql::STORIES_FIRST_PAGE).bind(campaign_id).bind(limit).fetch_all(&mut *c).await?
        }
        Some(cur) => {
            sqlx::query_as(sql::STORIES_PAGE_AFTER)
                .bind(campaign_id)
                .bind(utc(cur.created_at))
                .bind(&cur.id)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?
        }
    };
    rows::stories(rows)
}

pub async fn stories_newest(c: &mut Conn, campaign_id: &str, f: &StoryFilter) -> Result<(Vec<Story>, i64)> {
    let perspective = f.perspective.map(|p| p.as_str());
    let rows: Vec<StoryRow> = sqlx::query_as(sql::STORIES_NEWEST)
        .bind(campaign_id)
        .bind(perspective)
        .bind(f.flagged)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(&mut *c)
        .await?;
    let total: i64 = sqlx::query_scalar(sql::COUNT_NEWEST)
        .bind(campaign_id)
        .bind(perspective)
        .bind(f.flagged)
        .fetch_one(&mut *c)
        .await?;
    Ok((rows::stories(rows)?, total))
}

pub async fn count_by_perspective(c: &mut Conn, campaign_id: &str) -> Result<Vec<(Perspective, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as(sql::COUNT_BY_PERSPECTIVE).bind(campaign_id).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().filter_map(|(p, n)| Perspective::parse(&p).map(|p| (p, n))).collect())
}

pub async fn delete_stories_before(
    c: &mut Conn,
    campaign_id: &str,
    cutoff: OffsetDateTime,
    audit: &AuditEntry,
) -> Result<Vec<String>> {
    let ids: Vec<String> =
        sqlx::query_scalar(sql::DELETE_BEFORE).bind(campaign_id).bind(utc(cutoff)).fetch_all(&mut *c).await?;
    if ids.is_empty() {
        return Ok(ids);
    }
    for id in &ids {
        append_event(c, id, campaign_id, StoryEventKind::Delete).await?;
    }
    let mut entry = audit.clone().target(format!("campaign:{campaign_id}")).campaign(campaign_id);
    if let serde_json::Value::Object(map) = &mut entry.details {
        map.insert("deleted".into(), serde_json::json!(ids.len()));
    }
    write_audit(c, &entry).await?;
    Ok(ids)
}

pub async fn story_events(c: &mut Conn, story_id: &str) -> Result<Vec<StoryEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(sql::STORY_EVENTS).bind(story_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(StoryEvent::try_from).collect()
}

pub async fn flagged_stories(c: &mut Conn, campaign_id: &str, all: bool) -> Result<Vec<Story>> {
    let rows: Vec<StoryRow> =
        sqlx::query_as(sql::FLAGGED_STORIES).bind(campaign_id).bind(all).fetch_all(&mut *c).await?;
    rows::stories(rows)
}

pub async fn stories_by_ids(c: &mut Conn, ids: &[String]) -> Result<Vec<Story>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
        let mut q = sqlx::query_as::<_, StoryRow>(sql::STORIES_BY_IDS);
        for i in 0..sql::STORIES_BY_IDS_CHUNK {
            q = q.bind(chunk.get(i).cloned());
        }
        out.extend(rows::stories(q.fetch_all(&mut *c).await?)?);
    }
    Ok(out)
}

pub async fn campaigns_of_stories(c: &mut Conn, ids: &[String]) -> Result<Vec<String>> {
    let mut out = std::collections::BTreeSet::new();
    for chunk in ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
        let mut q = sqlx::query_scalar::<_, String>(sql::CAMPAIGNS_OF_STORIES);
        for i in 0..sql::STORIES_BY_IDS_CHUNK {
            q = q.bind(chunk.get(i).cloned());
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out.into_iter().collect())
}

pub async fn all_stories_after(c: &mut Conn, after: Option<&str>, limit: i64) -> Result<Vec<Story>> {
    let rows: Vec<StoryRow> = match after {
        None => sqlx::query_as(sql::ALL_STORIES_FIRST).bind(limit).fetch_all(&mut *c).await?,
        Some(a) => sqlx::query_as(sql::ALL_STORIES_AFTER).bind(a).bind(limit).fetch_all(&mut *c).await?,
    };
    rows::stories(rows)
}

pub async fn count_all_stories(c: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar(sql::COUNT_ALL_STORIES).fetch_one(&mut *c).await?)
}

pub async fn events_after(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<StoryEvent>> {
    let rows: Vec<EventRow> =
        sqlx::query_as(sql::EVENTS_AFTER).bind(after).bind(limit).fetch_all(&mut *c).await?;
    rows.into_iter().map(StoryEvent::try_from).collect()
}

pub async fn last_event_seq(c: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar(sql::LAST_EVENT_SEQ).fetch_one(&mut *c).await?)
}

/// The campaign of a story, `None` when it no longer exists.
pub async fn story_campaign(c: &mut Conn, story_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(sql::STORY_CAMPAIGN).bind(story_id).fetch_optional(&mut *c).await?)
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::StoryStore for super::Backend {
    async fn story(&self, id: &str) -> Result<Story> {
        story(&mut *self.reader().await?, id).await
    }
    async fn story_by_receipt(&self, receipt_hash: &str) -> Result<Story> {
        story_by_receipt(&mut *self.reader().await?, receipt_hash).await
    }
    async fn count_stories(&self, campaign_id: &str) -> Result<i64> {
        count_stories(&mut *self.reader().await?, campaign_id).await
    }
    async fn stories_page(
        &self,
        campaign_id: &str,
        after: Option<&StoryCursor>,
        limit: i64,
    ) -> Result<Vec<Story>> {
        stories_page(&mut *self.reader().await?, campaign_id, after, limit).await
    }
    async fn stories_newest(&self, campaign_id: &str, filter: &StoryFilter) -> Result<(Vec<Story>, i64)> {
        stories_newest(&mut *self.reader().await?, campaign_id, filter).await
    }
    async fn count_by_perspective(&self, campaign_id: &str) -> Result<Vec<(Perspective, i64)>> {
        count_by_perspective(&mut *self.reader().await?, campaign_id).await
    }
    async fn story_events(&self, story_id: &str) -> Result<Vec<StoryEvent>> {
        story_events(&mut *self.reader().await?, story_id).await
    }
    async fn flagged_stories(&self, campaign_id: &str, all: bool) -> Result<Vec<Story>> {
        flagged_stories(&mut *self.reader().await?, campaign_id, all).await
    }
    async fn stories_by_ids(&self, ids: &[String]) -> Result<Vec<Story>> {
        stories_by_ids(&mut *self.reader().await?, ids).await
    }
    async fn campaigns_of_stories(&self, ids: &[String]) -> Result<Vec<String>> {
        campaigns_of_stories(&mut *self.reader().await?, ids).await
    }
    async fn all_stories_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Story>> {
        all_stories_after(&mut *self.reader().await?, after, limit).await
    }
    async fn count_all_stories(&self) -> Result<i64> {
        count_all_stories(&mut *self.reader().await?).await
    }
    async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoryEvent>> {
        events_after(&mut *self.reader().await?, after, limit).await
    }
    async fn last_event_seq(&self) -> Result<i64> {
        last_event_seq(&mut *self.reader().await?).await
    }
}
