//! Coding samples for measuring agreement between coders.

use super::{Conn, utc};
use crate::domain::job::{CodingSample, SampleCoding};
use crate::store::rows::{CodingRow, SampleRow};
use crate::store::{Result, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn create_sample(c: &mut Conn, s: &CodingSample) -> Result<()> {
    sqlx::query(sql::INSERT_SAMPLE)
        .bind(&s.id)
        .bind(&s.campaign_id)
        .bind(&s.name)
        .bind(Json(&s.story_ids))
        .bind(Json(&s.theme_ids))
        .bind(&s.created_by)
        .bind(utc(s.created_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn sample(c: &mut Conn, id: &str) -> Result<CodingSample> {
    let row: SampleRow = sqlx::query_as(sql::SAMPLE).bind(id).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn samples(c: &mut Conn, campaign_id: &str) -> Result<Vec<CodingSample>> {
    let rows: Vec<SampleRow> = sqlx::query_as(sql::SAMPLES).bind(campaign_id).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn record_codings(c: &mut Conn, sample_id: &str, codings: &[SampleCoding]) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    for coding in codings {
        sqlx::query(sql::UPSERT_CODING)
            .bind(sample_id)
            .bind(&coding.coder_id)
            .bind(&coding.story_id)
            .bind(&coding.theme_id)
            .bind(coding.applied)
            .bind(now)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn sample_codings(c: &mut Conn, sample_id: &str) -> Result<Vec<SampleCoding>> {
    let rows: Vec<CodingRow> = sqlx::query_as(sql::SAMPLE_CODINGS).bind(sample_id).fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|r| SampleCoding {
            coder_id: r.coder_id,
            story_id: r.story_id,
            theme_id: r.theme_id,
            applied: r.applied,
        })
        .collect())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::SampleStore for super::Backend {
    async fn sample(&self, id: &str) -> Result<CodingSample> {
        sample(&mut *self.reader().await?, id).await
    }
    async fn samples(&self, campaign_id: &str) -> Result<Vec<CodingSample>> {
        samples(&mut *self.reader().await?, campaign_id).await
    }
    async fn sample_codings(&self, sample_id: &str) -> Result<Vec<SampleCoding>> {
        sample_codings(&mut *self.reader().await?, sample_id).await
    }
}
