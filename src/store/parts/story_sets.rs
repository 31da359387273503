//! Saved story sets.

use crate::domain::story_set::StorySet;

use crate::store::Result;
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait StorySetStore: StoreCore {
    async fn create_story_set(&self, set: &StorySet) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_story_set(set).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn story_set(&self, id: &str) -> Result<StorySet>;
    /// Sets made by this user, and sets of the given campaigns.
    async fn story_sets(&self, user_id: &str, campaign_ids: &[String], all: bool) -> Result<Vec<StorySet>>;
    async fn rename_story_set(&self, id: &str, name: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.rename_story_set(id, name).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn delete_story_set(&self, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_story_set(id).await?;
        tx.commit().await?;
        Ok(out)
    }
}
