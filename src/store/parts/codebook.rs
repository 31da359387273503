//! The codebook: themes, tags and tag history.

use crate::domain::theme::{Tag, TagChange, TagSource, Theme};

use super::StoreCore;
use crate::store::Result;
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
pub trait CodebookStore: StoreCore {
    async fn create_theme(&self, theme: &Theme) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_theme(theme).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn update_theme(&self, theme: &Theme) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.update_theme(theme).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn theme(&self, id: &str) -> Result<Theme>;
    /// A campaign's codebook, or the global one for `None`; merged themes included.
    async fn themes(&self, campaign_id: Option<&str>) -> Result<Vec<Theme>>;
    /// Moves every tag of `from` to `into` (where `into` has no tag of that story and source
    /// yet), records the move in the history, marks `from` as merged, and reindexes the stories.
    async fn merge_themes(&self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.merge_themes(from, into, by_user).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn tags_for_story(&self, story_id: &str) -> Result<Vec<Tag>>;
    async fn tags_for_stories(&self, story_ids: &[String]) -> Result<Vec<Tag>>;
    async fn tags_for_campaign(&self, campaign_id: &str) -> Result<Vec<Tag>>;
    /// Sets tags (insert or replace by story, theme and source), with history and reindex events.
    async fn set_tags(&self, tags: &[Tag]) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.set_tags(tags).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn remove_tag(
        &self,
        story_id: &str,
        theme_id: &str,
        source: TagSource,
        by_user: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.remove_tag(story_id, theme_id, source, by_user).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Makes the rule tags of a theme exactly `story_ids`; returns (added, removed).
    async fn replace_rule_tags(&self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
        let mut tx = self.begin().await?;
        let out = tx.replace_rule_tags(theme_id, story_ids).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Replaces the model's open suggestions for the given themes by `suggestions` (people's
    /// decisions on earlier suggestions stay).
    async fn replace_suggestions(&self, theme_ids: &[String], suggestions: &[Tag]) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.replace_suggestions(theme_ids, suggestions).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn tag_history(&self, story_id: &str) -> Result<Vec<TagChange>>;
    /// When a person last changed a tag in the campaign (to know when to retrain suggestions).
    async fn last_manual_coding(&self, campaign_id: &str) -> Result<Option<OffsetDateTime>>;
}
