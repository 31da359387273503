//! Campaigns and their definitions.

use crate::domain::audit::AuditEntry;

use crate::domain::{Campaign, CampaignDef};
use crate::store::{Result, Saved};
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait CampaignStore: StoreCore {
    /// Creates the campaign or applies the definition to the stored one, keeping removed
    /// signifiers as retired (see `CampaignDef::merged_update`). Writes the audit entry in the
    /// same transaction, with the campaign as target and `campaign_created` on creation.
    async fn save_campaign(&self, def: &CampaignDef, audit: &AuditEntry) -> Result<(Campaign, Saved)> {
        let mut tx = self.begin().await?;
        let out = tx.save_campaign(def, audit, None).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign>;
    async fn campaign(&self, id: &str) -> Result<Campaign>;
    async fn campaigns(&self) -> Result<Vec<Campaign>>;
}
