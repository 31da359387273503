//! Saved story sets (a query or a fixed list of stories).

use super::{Conn, utc};
use crate::domain::story_set::StorySet;
use crate::store::rows::StorySetRow;
use crate::store::{Result, StoreError, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn create_story_set(c: &mut Conn, set: &StorySet) -> Result<()> {
    sqlx::query(sql::INSERT_STORY_SET)
        .bind(&set.id)
        .bind(&set.name)
        .bind(&set.query)
        .bind(&set.campaign_id)
        .bind(set.story_ids.as_ref().map(Json))
        .bind(&set.created_by)
        .bind(utc(set.created_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn story_set(c: &mut Conn, id: &str) -> Result<StorySet> {
    let row: StorySetRow = sqlx::query_as(sql::STORY_SET).bind(id).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn story_sets(
    c: &mut Conn,
    user_id: &str,
    campaign_ids: &[String],
    all: bool,
) -> Result<Vec<StorySet>> {
    let rows: Vec<StorySetRow> = sqlx::query_as(sql::STORY_SETS_ALL).fetch_all(&mut *c).await?;
    // Own sets plus the sets of the viewer's campaigns; few enough to filter here.
    Ok(rows
        .into_iter()
        .filter(|r| {
            all || r.created_by.as_deref() == Some(user_id)
                || r.campaign_id.as_ref().is_some_and(|c| campaign_ids.contains(c))
        })
        .map(Into::into)
        .collect())
}

pub async fn rename_story_set(c: &mut Conn, id: &str, name: &str) -> Result<()> {
    let done = sqlx::query(sql::RENAME_STORY_SET)
        .bind(id)
        .bind(name)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn delete_story_set(c: &mut Conn, id: &str) -> Result<()> {
    let done = sqlx::query(sql::DELETE_STORY_SET).bind(id).execute(&mut *c).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::StorySetStore for super::Backend {
    async fn story_set(&self, id: &str) -> Result<StorySet> {
        story_set(&mut *self.reader().await?, id).await
    }
    async fn story_sets(&self, user_id: &str, campaign_ids: &[String], all: bool) -> Result<Vec<StorySet>> {
        story_sets(&mut *self.reader().await?, user_id, campaign_ids, all).await
    }
}
