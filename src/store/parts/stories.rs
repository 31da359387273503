//! Stories and the story event log that the indexer and the rule follower read.

use crate::domain::audit::AuditEntry;

use super::StoreCore;
use crate::domain::{NewStory, Perspective, Story, StoryEvent};
use crate::store::{ImportCounts, Result, StoryCursor, StoryFilter};
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
pub trait StoryStore: StoreCore {
    /// Inserts one story and its event in one transaction; returns after the commit.
    async fn insert_story(&self, story: &NewStory) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.insert_story(story).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Inserts or updates (by campaign + external id) a batch in one transaction: a batch is
    /// stored whole or not at all.
    async fn import_stories(&self, stories: &[NewStory]) -> Result<ImportCounts> {
        let mut tx = self.begin().await?;
        let out = tx.import_stories(stories).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn story(&self, id: &str) -> Result<Story>;
    async fn story_by_receipt(&self, receipt_hash: &str) -> Result<Story>;
    /// Deletes a story, appends a delete event and writes the audit entry, in one transaction.
    async fn delete_story(&self, id: &str, audit: &AuditEntry) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_story(id, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn count_stories(&self, campaign_id: &str) -> Result<i64>;
    /// A page of a campaign's stories in (created_at, id) order, after `after`.
    async fn stories_page(
        &self,
        campaign_id: &str,
        after: Option<&StoryCursor>,
        limit: i64,
    ) -> Result<Vec<Story>>;
    /// Newest first, with the total that matches the filter.
    async fn stories_newest(&self, campaign_id: &str, filter: &StoryFilter) -> Result<(Vec<Story>, i64)>;
    /// Stories per perspective in a campaign.
    async fn count_by_perspective(&self, campaign_id: &str) -> Result<Vec<(Perspective, i64)>>;
    /// Deletes the campaign's stories created before `cutoff`, with their events and one audit
    /// entry, in one transaction; returns the deleted ids.
    async fn delete_stories_before(
        &self,
        campaign_id: &str,
        cutoff: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<Vec<String>> {
        let mut tx = self.begin().await?;
        let out = tx.delete_stories_before(campaign_id, cutoff, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn story_events(&self, story_id: &str) -> Result<Vec<StoryEvent>>;
    /// Flagged stories of a campaign that have no follow-up yet (the "needs attention" list),
    /// oldest first; `all` includes the ones already followed up.
    async fn flagged_stories(&self, campaign_id: &str, all: bool) -> Result<Vec<Story>>;
    /// The stories with these ids that still exist (for the indexer), in no particular order.
    async fn stories_by_ids(&self, ids: &[String]) -> Result<Vec<Story>>;
    /// The campaigns the stories with these ids belong to (each once).
    async fn campaigns_of_stories(&self, ids: &[String]) -> Result<Vec<String>>;
    /// All stories of all campaigns in id order, after `after` (for rebuilding the index).
    async fn all_stories_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Story>>;
    async fn count_all_stories(&self) -> Result<i64>;
    /// Events with `seq > after`, oldest first.
    async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoryEvent>>;
    async fn last_event_seq(&self) -> Result<i64>;
}
