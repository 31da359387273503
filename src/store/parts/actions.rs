//! Improvement actions, organisations, the Leefwereldtoets (policy, assumptions, story links,
//! conclusions) and published results: the reads. Writes go through `StoreTx` (SQL in
//! `shared/actions.rs`).

use crate::domain::action::{Action, ActionStatus, HistoryEntry, Organisation};
use crate::domain::toets::{Assumption, AssumptionLink, Conclusion};
use crate::store::Result;
use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreCore;

/// Which actions a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionFilter {
    /// `None`: every campaign.
    pub campaign_ids: Option<Vec<String>>,
    pub organisation_id: Option<String>,
    pub status: Option<ActionStatus>,
    pub published_only: bool,
}

/// A campaign's "you said, we did" summary.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignResults {
    pub campaign_id: String,
    pub summary: String,
    /// Set when the results page is public.
    pub published_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// A quote on the public results page, taken from a published map's disclosed view.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedQuote {
    pub campaign_id: String,
    pub story_id: String,
    pub map_id: String,
    pub theme: String,
    pub group_label: String,
    pub text: String,
    pub created_at: OffsetDateTime,
}

#[async_trait]
pub trait ActionStore: StoreCore {
    /// A campaign's organisations, by name.
    async fn organisations(&self, campaign_id: &str) -> Result<Vec<Organisation>>;
    /// Organisations of all campaigns (for the list across campaigns).
    async fn all_organisations(&self) -> Result<Vec<Organisation>>;
    async fn action(&self, id: &str) -> Result<Action>;
    /// Actions by the filter, by due date (none last), then title.
    async fn actions(&self, filter: &ActionFilter) -> Result<Vec<Action>>;
    /// Every version of an action, oldest first.
    async fn action_history(&self, action_id: &str) -> Result<Vec<HistoryEntry>>;
    /// The latest dated update of each of these actions.
    async fn last_updates(&self, action_ids: &[String]) -> Result<Vec<HistoryEntry>>;
    /// The policy under test ("" when none).
    async fn policy(&self, campaign_id: &str) -> Result<String>;
    /// A campaign's assumptions, in order.
    async fn assumptions(&self, campaign_id: &str) -> Result<Vec<Assumption>>;
    /// The story links of a campaign's assumptions.
    async fn assumption_links(&self, campaign_id: &str) -> Result<Vec<AssumptionLink>>;
    /// One story's links to assumptions.
    async fn story_assumption_links(&self, story_id: &str) -> Result<Vec<AssumptionLink>>;
    async fn conclusions(&self, campaign_id: &str) -> Result<Vec<Conclusion>>;
    async fn campaign_results(&self, campaign_id: &str) -> Result<Option<CampaignResults>>;
    async fn published_quotes(&self, campaign_id: &str) -> Result<Vec<PublishedQuote>>;
}
