//! A unit of work: the writes of one change, its `story_events` rows and its audit entry, in
//! one database transaction. See the module docs of `store` for how to use it.

use super::{ImportCounts, NewUser, Result, Saved, UserChange};
use crate::domain::audit::AuditEntry;
use crate::domain::job::{CodingSample, Job, JobStatus, SampleCoding};
use crate::domain::safeguarding::FollowUp;
use crate::domain::story_set::StorySet;
use crate::domain::theme::{Tag, TagSource, Theme};
use crate::domain::{Campaign, CampaignDef, NewStory, Story, User};
use async_trait::async_trait;
use time::OffsetDateTime;

/// An open transaction, from `Store::begin`. Nothing it writes is visible to others until
/// `commit`; dropping it without `commit` (an early `?` return, a panic) rolls everything back.
///
/// The methods do what the `Store` methods of the same name do (see there), but inside this
/// transaction; the reads see this transaction's own writes.
#[async_trait]
pub trait StoreTx: Send {
    /// Makes every write of the transaction durable and visible, or none of them.
    async fn commit(self: Box<Self>) -> Result<()>;

    /// Appends an audit entry; it commits (or rolls back) with the change it describes.
    async fn audit(&mut self, entry: &AuditEntry) -> Result<()>;

    // Campaigns.
    /// As `Store::save_campaign`; with `expected_form_version`, an update whose stored campaign
    /// is at another form version (someone saved in between) fails with
    /// `Conflict("form_version")`, also when the other save commits while this one runs.
    /// `NotFound` if a version is expected but the campaign does not exist.
    async fn save_campaign(
        &mut self,
        def: &CampaignDef,
        audit: &AuditEntry,
        expected_form_version: Option<i64>,
    ) -> Result<(Campaign, Saved)>;
    async fn campaign_by_slug(&mut self, slug: &str) -> Result<Campaign>;
    async fn campaign(&mut self, id: &str) -> Result<Campaign>;

    // Stories.
    async fn insert_story(&mut self, story: &NewStory) -> Result<()>;
    async fn import_stories(&mut self, stories: &[NewStory]) -> Result<ImportCounts>;
    async fn story(&mut self, id: &str) -> Result<Story>;
    async fn delete_story(&mut self, id: &str, audit: &AuditEntry) -> Result<()>;
    async fn delete_stories_before(
        &mut self,
        campaign_id: &str,
        cutoff: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<Vec<String>>;
    async fn add_follow_up(&mut self, follow_up: &FollowUp, audit: &AuditEntry) -> Result<()>;

    // Accounts and sessions.
    async fn create_user(&mut self, user: &NewUser, audit: &AuditEntry) -> Result<User>;
    async fn user(&mut self, id: &str) -> Result<User>;
    async fn update_user(&mut self, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User>;
    async fn memberships(&mut self, user_id: &str) -> Result<Vec<String>>;
    async fn set_membership(
        &mut self,
        campaign_id: &str,
        user_id: &str,
        member: bool,
        audit: &AuditEntry,
    ) -> Result<()>;
    async fn create_session(&mut self, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()>;
    async fn delete_session(&mut self, id_hash: &str) -> Result<()>;
    async fn delete_user_sessions(&mut self, user_id: &str) -> Result<u64>;

    // Story sets.
    /// Stores a frozen perspective map.
    async fn freeze_map(&mut self, map: &crate::store::maps::FrozenMap) -> Result<()>;
    /// Publishes a frozen map to the steering group (once; `NotFound` if already published).
    async fn publish_map(&mut self, id: &str, at: time::OffsetDateTime) -> Result<()>;
    async fn frozen_map(&mut self, id: &str) -> Result<crate::store::maps::FrozenMap>;
    async fn create_story_set(&mut self, set: &StorySet) -> Result<()>;
    async fn story_set(&mut self, id: &str) -> Result<StorySet>;
    async fn rename_story_set(&mut self, id: &str, name: &str) -> Result<()>;
    async fn delete_story_set(&mut self, id: &str) -> Result<()>;

    // Codebook and tags.
    async fn create_theme(&mut self, theme: &Theme) -> Result<()>;
    async fn update_theme(&mut self, theme: &Theme) -> Result<()>;
    async fn theme(&mut self, id: &str) -> Result<Theme>;
    async fn themes(&mut self, campaign_id: Option<&str>) -> Result<Vec<Theme>>;
    async fn merge_themes(&mut self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64>;
    async fn tags_for_story(&mut self, story_id: &str) -> Result<Vec<Tag>>;
    async fn tags_for_stories(&mut self, story_ids: &[String]) -> Result<Vec<Tag>>;
    async fn set_tags(&mut self, tags: &[Tag]) -> Result<()>;
    async fn remove_tag(
        &mut self,
        story_id: &str,
        theme_id: &str,
        source: TagSource,
        by_user: Option<&str>,
    ) -> Result<()>;
    async fn replace_rule_tags(&mut self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)>;
    async fn replace_suggestions(&mut self, theme_ids: &[String], suggestions: &[Tag]) -> Result<u64>;

    // Coding samples.
    async fn create_sample(&mut self, sample: &CodingSample) -> Result<()>;
    async fn sample(&mut self, id: &str) -> Result<CodingSample>;
    async fn record_codings(&mut self, sample_id: &str, codings: &[SampleCoding]) -> Result<()>;

    // Jobs.
    async fn create_job(&mut self, job: &Job) -> Result<()>;
    async fn job(&mut self, id: &str) -> Result<Job>;
    async fn update_job(&mut self, id: &str, status: JobStatus, progress: f64, message: &str) -> Result<()>;
    async fn finish_job(
        &mut self,
        id: &str,
        status: JobStatus,
        message: &str,
        result: Option<&serde_json::Value>,
    ) -> Result<()>;
    async fn save_job_result(
        &mut self,
        id: &str,
        expected: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<bool>;
    // Sense-making sessions (see `shared/sessions.rs`).
    /// Stores a new session with its maps.
    async fn insert_session(&mut self, session: &crate::domain::session::Session) -> Result<()>;
    /// Saves details, facilitators and plan; `NotFound` if there is no such session.
    async fn update_session(&mut self, session: &crate::domain::session::Session) -> Result<()>;
    async fn sense_session(&mut self, id: &str) -> Result<crate::domain::session::Session>;
    /// Publishes the report (once; `NotFound` if already published).
    async fn publish_session_report(&mut self, id: &str, at: OffsetDateTime) -> Result<()>;
    /// Replaces the chosen patterns.
    async fn set_session_patterns(
        &mut self,
        session_id: &str,
        patterns: &[crate::domain::session::Pattern],
    ) -> Result<()>;
    async fn add_session_cards(&mut self, cards: &[crate::domain::session::Card]) -> Result<()>;
    async fn remove_session_card(&mut self, session_id: &str, card_id: &str) -> Result<()>;
    async fn session_cards(&mut self, session_id: &str) -> Result<Vec<crate::domain::session::Card>>;
    async fn insert_note(&mut self, note: &crate::domain::session::Note) -> Result<()>;
    /// Approves a waiting note of the session; `NotFound` otherwise.
    async fn approve_note(&mut self, session_id: &str, note_id: &str, at: OffsetDateTime) -> Result<()>;
    /// Puts a note of the session in a cluster (`None`: in none).
    async fn cluster_note(&mut self, session_id: &str, note_id: &str, cluster_id: Option<&str>)
    -> Result<()>;
    async fn insert_cluster(&mut self, cluster: &crate::domain::session::Cluster) -> Result<()>;
    async fn insert_join_code(&mut self, code: &crate::domain::session::JoinCode) -> Result<()>;
    /// Revokes an open code of the session; `NotFound` otherwise.
    async fn revoke_join_code(&mut self, session_id: &str, code: &str, at: OffsetDateTime) -> Result<()>;

    // Improvement actions, the Leefwereldtoets and published results (`shared/actions.rs`).
    /// Inserts or updates an organisation; `Conflict("organisation_name")` when the campaign has
    /// another one of that name.
    async fn save_organisation(&mut self, org: &crate::domain::action::Organisation) -> Result<()>;
    async fn action(&mut self, id: &str) -> Result<crate::domain::action::Action>;
    /// Inserts a new action with its first history entry.
    async fn insert_action(
        &mut self,
        action: &crate::domain::action::Action,
        entry: &crate::domain::action::HistoryEntry,
    ) -> Result<()>;
    /// Stores `action` (at `action.version`) if the stored one is at `action.version - 1`, with
    /// its history entry; `Conflict("action_version")` when someone saved in between.
    async fn update_action(
        &mut self,
        action: &crate::domain::action::Action,
        entry: &crate::domain::action::HistoryEntry,
    ) -> Result<()>;
    async fn save_policy(&mut self, campaign_id: &str, policy: &str, at: OffsetDateTime) -> Result<()>;
    async fn save_assumption(&mut self, a: &crate::domain::toets::Assumption) -> Result<()>;
    /// Links a story to an assumption (replacing its stance), or with `linked = false` unlinks it.
    async fn link_story(&mut self, link: &crate::domain::toets::AssumptionLink, linked: bool) -> Result<()>;
    async fn save_conclusion(&mut self, c: &crate::domain::toets::Conclusion) -> Result<()>;
    async fn save_results(&mut self, r: &crate::store::CampaignResults) -> Result<()>;
    /// Adds a quote to the results page (`published`), or removes it.
    async fn set_published_quote(&mut self, q: &crate::store::PublishedQuote, published: bool) -> Result<()>;

    // Personal API tokens (`shared/api_tokens.rs`).
    async fn create_api_token(&mut self, token: &crate::auth::tokens::ApiToken) -> Result<()>;
    async fn api_token(&mut self, id: &str) -> Result<crate::auth::tokens::ApiToken>;
    /// Revokes a live token of the user; `NotFound` otherwise (also for someone else's token).
    async fn revoke_api_token(&mut self, id: &str, user_id: &str, at: OffsetDateTime) -> Result<()>;
}
