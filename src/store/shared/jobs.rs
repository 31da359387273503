//! Background jobs (discovery runs, retraining): status, heartbeat and result.

use super::{Conn, utc};
use crate::domain::job::{Job, JobStatus};
use crate::store::rows::JobRow;
use crate::store::{Result, StoreError, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn create_job(c: &mut Conn, j: &Job) -> Result<()> {
    sqlx::query(sql::INSERT_JOB)
        .bind(&j.id)
        .bind(&j.campaign_id)
        .bind(&j.kind)
        .bind(j.status.as_str())
        .bind(j.progress)
        .bind(&j.message)
        .bind(Json(&j.params))
        .bind(j.result.as_ref().map(Json))
        .bind(&j.created_by)
        .bind(utc(j.created_at))
        .bind(j.started_at.map(utc))
        .bind(j.finished_at.map(utc))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn job(c: &mut Conn, id: &str) -> Result<Job> {
    let row: JobRow = sqlx::query_as(sql::JOB).bind(id).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn jobs(c: &mut Conn, campaign_id: &str, limit: i64) -> Result<Vec<Job>> {
    let rows: Vec<JobRow> =
        sqlx::query_as(sql::JOBS).bind(campaign_id).bind(limit).fetch_all(&mut *c).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn update_job(
    c: &mut Conn,
    id: &str,
    status: JobStatus,
    progress: f64,
    message: &str,
) -> Result<()> {
    sqlx::query(sql::UPDATE_JOB)
        .bind(id)
        .bind(status.as_str())
        .bind(progress)
        .bind(message)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn finish_job(
    c: &mut Conn,
    id: &str,
    status: JobStatus,
    message: &str,
    result: Option<&serde_json::Value>,
) -> Result<()> {
    sqlx::query(sql::FINISH_JOB)
        .bind(id)
        .bind(status.as_str())
        .bind(message)
        .bind(result.map(Json))
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn save_job_result(
    c: &mut Conn,
    id: &str,
    expected: &serde_json::Value,
    result: &serde_json::Value,
) -> Result<bool> {
    let done = sqlx::query(sql::SAVE_JOB_RESULT)
        .bind(id)
        .bind(Json(result))
        .bind(Json(expected))
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let status: Option<String> = sqlx::query_scalar(sql::JOB_STATUS).bind(id).fetch_optional(&mut *c).await?;
    match status.as_deref() {
        Some("done") => Ok(false),
        _ => Err(StoreError::NotFound),
    }
}

pub async fn fail_interrupted_jobs(c: &mut Conn, silent_since: OffsetDateTime) -> Result<u64> {
    let done = sqlx::query(sql::FAIL_INTERRUPTED)
        .bind(OffsetDateTime::now_utc())
        .bind(silent_since)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::JobStore for super::Backend {
    async fn job(&self, id: &str) -> Result<Job> {
        job(&mut *self.reader().await?, id).await
    }
    async fn jobs(&self, campaign_id: &str, limit: i64) -> Result<Vec<Job>> {
        jobs(&mut *self.reader().await?, campaign_id, limit).await
    }
    async fn fail_interrupted_jobs(&self, silent_since: OffsetDateTime) -> Result<u64> {
        let mut tx = self.begin_sqlx().await?;
        let n = fail_interrupted_jobs(&mut tx, silent_since).await?;
        tx.commit().await?;
        Ok(n)
    }
}
