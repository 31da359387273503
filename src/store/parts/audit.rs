//! The audit log and safeguarding follow-ups.

use crate::domain::audit::{AuditEntry, AuditFilter, AuditRecord};

use crate::domain::safeguarding::FollowUp;

use crate::store::Result;
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait AuditStore: StoreCore {
    async fn audit(&self, entry: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.audit(entry).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>>;
    async fn add_follow_up(&self, follow_up: &FollowUp, audit: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.add_follow_up(follow_up, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn follow_ups(&self, story_id: &str) -> Result<Vec<FollowUp>>;
}
