//! Frozen perspective maps (types and SQL in `store/maps.rs`).

use super::{Conn, utc};
use crate::store::maps::{self as m, FrozenMap, FrozenMapRow};
use crate::store::{Result, StoreError};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn freeze_map(c: &mut Conn, map: &FrozenMap) -> Result<()> {
    sqlx::query(m::INSERT)
        .bind(&map.id)
        .bind(&map.campaign_id)
        .bind(&map.title)
        .bind(Json(&map.snapshot))
        .bind(&map.content_hash)
        .bind(&map.created_by)
        .bind(utc(map.created_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Publishes a frozen map once; `NotFound` when there is no unpublished map with this id.
pub async fn publish_map(c: &mut Conn, id: &str, at: OffsetDateTime) -> Result<()> {
    let done = sqlx::query(m::PUBLISH).bind(id).bind(utc(at)).execute(&mut *c).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn frozen_map(c: &mut Conn, id: &str) -> Result<FrozenMap> {
    let row: FrozenMapRow = sqlx::query_as(m::BY_ID).bind(id).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn frozen_maps(c: &mut Conn, campaign_id: &str) -> Result<Vec<FrozenMap>> {
    let rows: Vec<FrozenMapRow> = sqlx::query_as(m::BY_CAMPAIGN).bind(campaign_id).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn published_maps(c: &mut Conn) -> Result<Vec<FrozenMap>> {
    let rows: Vec<FrozenMapRow> = sqlx::query_as(m::PUBLISHED).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[async_trait::async_trait]
impl crate::store::MapStore for super::Backend {
    async fn frozen_map(&self, id: &str) -> Result<FrozenMap> {
        frozen_map(&mut *self.reader().await?, id).await
    }
    async fn frozen_maps(&self, campaign_id: &str) -> Result<Vec<FrozenMap>> {
        frozen_maps(&mut *self.reader().await?, campaign_id).await
    }
    async fn published_maps(&self) -> Result<Vec<FrozenMap>> {
        published_maps(&mut *self.reader().await?).await
    }
}
