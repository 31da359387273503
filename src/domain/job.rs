//! Background jobs (discovery, retraining, re-tagging): one at a time per campaign, with
//! progress people can watch, cancellable, and never silently lost: a job that was running when
//! the service stopped is marked failed on the next start.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Done, Self::Failed, Self::Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
    pub fn label(self) -> &'static str {
        match self {
            JobStatus::Queued => "wacht",
            JobStatus::Running => "bezig",
            JobStatus::Done => "klaar",
            JobStatus::Failed => "mislukt",
            JobStatus::Cancelled => "afgebroken",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub campaign_id: Option<String>,
    pub kind: String,
    pub status: JobStatus,
    /// 0.0 to 1.0.
    pub progress: f64,
    pub message: String,
    pub params: serde_json::Value,
    pub result: Option<serde_json::Value>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

/// A random sample of stories that two or more coders tag blind, to measure agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct CodingSample {
    pub id: String,
    pub campaign_id: String,
    pub name: String,
    pub story_ids: Vec<String>,
    pub theme_ids: Vec<String>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
}

/// One coder's decision on one story and theme of a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleCoding {
    pub coder_id: String,
    pub story_id: String,
    pub theme_id: String,
    pub applied: bool,
}
