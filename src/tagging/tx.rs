//! Until `Store::begin` lands: the same shape as the store's unit of work, forwarding to the
//! store one write at a time (so not atomic yet). Replaced by `Box<dyn StoreTx>` on merge.

use crate::domain::audit::AuditEntry;
use crate::domain::theme::{Tag, TagSource, Theme};
use crate::store::{DynStore, Result};

pub struct Tx {
    store: DynStore,
}

pub trait Begin {
    fn begin(&self) -> impl std::future::Future<Output = Result<Tx>> + Send;
}

impl Begin for DynStore {
    async fn begin(&self) -> Result<Tx> {
        Ok(Tx { store: self.clone() })
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        Ok(())
    }
    pub async fn audit(&mut self, entry: &AuditEntry) -> Result<()> {
        self.store.audit(entry).await
    }
    pub async fn create_theme(&mut self, theme: &Theme) -> Result<()> {
        self.store.create_theme(theme).await
    }
    pub async fn update_theme(&mut self, theme: &Theme) -> Result<()> {
        self.store.update_theme(theme).await
    }
    pub async fn themes(&mut self, campaign_id: Option<&str>) -> Result<Vec<Theme>> {
        self.store.themes(campaign_id).await
    }
    pub async fn merge_themes(&mut self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
        self.store.merge_themes(from, into, by_user).await
    }
    pub async fn tags_for_story(&mut self, story_id: &str) -> Result<Vec<Tag>> {
        self.store.tags_for_story(story_id).await
    }
    pub async fn set_tags(&mut self, tags: &[Tag]) -> Result<()> {
        self.store.set_tags(tags).await
    }
    pub async fn remove_tag(
        &mut self,
        story_id: &str,
        theme_id: &str,
        source: TagSource,
        by_user: Option<&str>,
    ) -> Result<()> {
        self.store.remove_tag(story_id, theme_id, source, by_user).await
    }
    pub async fn replace_rule_tags(&mut self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
        self.store.replace_rule_tags(theme_id, story_ids).await
    }
    pub async fn save_job_result(
        &mut self,
        id: &str,
        expected: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<bool> {
        self.store.save_job_result(id, expected, result).await
    }
    pub async fn job(&mut self, id: &str) -> Result<crate::domain::job::Job> {
        self.store.job(id).await
    }
}
