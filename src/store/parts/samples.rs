//! Coding samples for inter-coder agreement.

use crate::domain::job::{CodingSample, SampleCoding};

use crate::store::Result;
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait SampleStore: StoreCore {
    async fn create_sample(&self, sample: &CodingSample) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_sample(sample).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn sample(&self, id: &str) -> Result<CodingSample>;
    async fn samples(&self, campaign_id: &str) -> Result<Vec<CodingSample>>;
    async fn record_codings(&self, sample_id: &str, codings: &[SampleCoding]) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.record_codings(sample_id, codings).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn sample_codings(&self, sample_id: &str) -> Result<Vec<SampleCoding>>;
}
