//! Background jobs.

use crate::domain::job::{Job, JobStatus};

use super::StoreCore;
use crate::store::Result;
use async_trait::async_trait;

#[async_trait]
pub trait JobStore: StoreCore {
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
}
