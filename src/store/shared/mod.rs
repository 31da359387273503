//! The store code both backends share, written once and compiled once per backend: `sqlite.rs`
//! and `postgres.rs` each include this directory as a module (`#[path = "shared/mod.rs"]`)
//! after defining `Db` (the sqlx database type), `Backend` (their store struct, with the
//! inherent methods `reader`, `begin_sqlx` and the backend-specific `Store` methods) and
//! `append_event`. No macro and no generics over `sqlx::Database` (see STYLE.md): the code
//! below is plain functions on one concrete connection type, so a compile error or "go to
//! definition" lands on the line itself (reported once per backend).
//!
//! One file per part of the store; each part's functions take `&mut Conn`, which is a pooled
//! connection for the `Store` reads and the open transaction for `StoreTx`.

pub mod accounts;
pub mod actions;
pub mod api_tokens;
pub mod audit;
pub mod campaigns;
pub mod codebook;
pub mod coordination;
pub mod jobs;
pub mod maps;
pub mod samples;
pub mod sessions;
pub mod stories;
pub mod story_sets;

pub(super) use super::{Backend, Db, append_event};
pub(super) use audit::write_audit;

use crate::domain::audit::AuditEntry;
use crate::domain::job::{CodingSample, Job, JobStatus, SampleCoding};
use crate::domain::safeguarding::FollowUp;
use crate::domain::story_set::StorySet;
use crate::domain::theme::{Tag, TagSource, Theme};
use crate::domain::{Campaign, CampaignDef, NewStory, Story, User};
use crate::store::{ImportCounts, NewUser, Result, Saved, StoreTx, UserChange};
use async_trait::async_trait;
use time::OffsetDateTime;

/// The backend's connection type: what a transaction derefs to and what a pool lends.
pub type Conn = <Db as sqlx::Database>::Connection;

/// Timestamps are stored in UTC so that text comparison (SQLite) orders them.
pub fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
}

/// A query as `sqlx::query(..)` builds it for this backend, before it runs.
pub type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

/// Runs a write that must touch a row: when none matched, there is no such row (`NotFound`).
pub async fn execute_one(c: &mut Conn, q: Query<'_>) -> Result<()> {
    if q.execute(&mut *c).await?.rows_affected() == 0 {
        return Err(crate::store::StoreError::NotFound);
    }
    Ok(())
}

/// The backend's open transaction behind `Box<dyn StoreTx>`.
pub struct Tx(pub sqlx::Transaction<'static, Db>);

#[async_trait]
impl StoreTx for Tx {
    async fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.0.commit().await?)
    }
    async fn audit(&mut self, entry: &AuditEntry) -> Result<()> {
        write_audit(&mut self.0, entry).await
    }

    async fn save_campaign(
        &mut self,
        def: &CampaignDef,
        audit: &AuditEntry,
        expected_form_version: Option<i64>,
    ) -> Result<(Campaign, Saved)> {
        campaigns::save_campaign(&mut self.0, def, audit, expected_form_version).await
    }
    async fn campaign_by_slug(&mut self, slug: &str) -> Result<Campaign> {
        campaigns::campaign_by_slug(&mut self.0, slug).await
    }
    async fn campaign(&mut self, id: &str) -> Result<Campaign> {
        campaigns::campaign(&mut self.0, id).await
    }

    async fn insert_story(&mut self, story: &NewStory) -> Result<()> {
        stories::insert_story(&mut self.0, story).await
    }
    async fn import_stories(&mut self, batch: &[NewStory]) -> Result<ImportCounts> {
        stories::import_stories(&mut self.0, batch).await
    }
    async fn story(&mut self, id: &str) -> Result<Story> {
        stories::story(&mut self.0, id).await
    }
    async fn delete_story(&mut self, id: &str, audit: &AuditEntry) -> Result<()> {
        stories::delete_story(&mut self.0, id, audit).await
    }
    async fn delete_stories_before(
        &mut self,
        campaign_id: &str,
        cutoff: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<Vec<String>> {
        stories::delete_stories_before(&mut self.0, campaign_id, cutoff, audit).await
    }
    async fn add_follow_up(&mut self, follow_up: &FollowUp, audit: &AuditEntry) -> Result<()> {
        audit::add_follow_up(&mut self.0, follow_up, audit).await
    }

    async fn create_user(&mut self, user: &NewUser, audit: &AuditEntry) -> Result<User> {
        accounts::create_user(&mut self.0, user, audit).await
    }
    async fn user(&mut self, id: &str) -> Result<User> {
        accounts::user_by_id(&mut self.0, id).await
    }
    async fn update_user(&mut self, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User> {
        accounts::update_user(&mut self.0, id, change, audit).await
    }
    async fn memberships(&mut self, user_id: &str) -> Result<Vec<String>> {
        accounts::memberships(&mut self.0, user_id).await
    }
    async fn set_membership(
        &mut self,
        campaign_id: &str,
        user_id: &str,
        member: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        accounts::set_membership(&mut self.0, campaign_id, user_id, member, audit).await
    }
    async fn create_session(&mut self, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()> {
        accounts::create_session(&mut self.0, id_hash, user_id, now).await
    }
    async fn delete_session(&mut self, id_hash: &str) -> Result<()> {
        accounts::delete_session(&mut self.0, id_hash).await
    }
    async fn delete_user_sessions(&mut self, user_id: &str) -> Result<u64> {
        accounts::delete_user_sessions(&mut self.0, user_id).await
    }

    async fn freeze_map(&mut self, map: &crate::store::maps::FrozenMap) -> Result<()> {
        maps::freeze_map(&mut self.0, map).await
    }
    async fn publish_map(&mut self, id: &str, at: OffsetDateTime) -> Result<()> {
        maps::publish_map(&mut self.0, id, at).await
    }
    async fn frozen_map(&mut self, id: &str) -> Result<crate::store::maps::FrozenMap> {
        maps::frozen_map(&mut self.0, id).await
    }
    async fn create_story_set(&mut self, set: &StorySet) -> Result<()> {
        story_sets::create_story_set(&mut self.0, set).await
    }
    async fn story_set(&mut self, id: &str) -> Result<StorySet> {
        story_sets::story_set(&mut self.0, id).await
    }
    async fn rename_story_set(&mut self, id: &str, name: &str) -> Result<()> {
        story_sets::rename_story_set(&mut self.0, id, name).await
    }
    async fn delete_story_set(&mut self, id: &str) -> Result<()> {
        story_sets::delete_story_set(&mut self.0, id).await
    }

    async fn create_theme(&mut self, theme: &Theme) -> Result<()> {
        codebook::create_theme(&mut self.0, theme).await
    }
    async fn update_theme(&mut self, theme: &Theme) -> Result<()> {
        codebook::update_theme(&mut self.0, theme).await
    }
    async fn theme(&mut self, id: &str) -> Result<Theme> {
        codebook::theme(&mut self.0, id).await
    }
    async fn themes(&mut self, campaign_id: Option<&str>) -> Result<Vec<Theme>> {
        codebook::themes(&mut self.0, campaign_id).await
    }
    async fn merge_themes(&mut self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
        codebook::merge_themes(&mut self.0, from, into, by_user).await
    }
    async fn tags_for_story(&mut self, story_id: &str) -> Result<Vec<Tag>> {
        codebook::tags_for_story(&mut self.0, story_id).await
    }
    async fn tags_for_stories(&mut self, story_ids: &[String]) -> Result<Vec<Tag>> {
        codebook::tags_for_stories(&mut self.0, story_ids).await
    }
    async fn set_tags(&mut self, tags: &[Tag]) -> Result<()> {
        codebook::set_tags(&mut self.0, tags).await
    }
    async fn remove_tag(
        &mut self,
        story_id: &str,
        theme_id: &str,
        source: TagSource,
        by_user: Option<&str>,
    ) -> Result<()> {
        codebook::remove_tag(&mut self.0, story_id, theme_id, source, by_user).await
    }
    async fn replace_rule_tags(&mut self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
        codebook::replace_rule_tags(&mut self.0, theme_id, story_ids).await
    }
    async fn replace_suggestions(&mut self, theme_ids: &[String], suggestions: &[Tag]) -> Result<u64> {
        codebook::replace_suggestions(&mut self.0, theme_ids, suggestions).await
    }

    async fn create_sample(&mut self, sample: &CodingSample) -> Result<()> {
        samples::create_sample(&mut self.0, sample).await
    }
    async fn sample(&mut self, id: &str) -> Result<CodingSample> {
        samples::sample(&mut self.0, id).await
    }
    async fn record_codings(&mut self, sample_id: &str, codings: &[SampleCoding]) -> Result<()> {
        samples::record_codings(&mut self.0, sample_id, codings).await
    }

    async fn create_job(&mut self, job: &Job) -> Result<()> {
        jobs::create_job(&mut self.0, job).await
    }
    async fn job(&mut self, id: &str) -> Result<Job> {
        jobs::job(&mut self.0, id).await
    }
    async fn update_job(&mut self, id: &str, status: JobStatus, progress: f64, message: &str) -> Result<()> {
        jobs::update_job(&mut self.0, id, status, progress, message).await
    }
    async fn finish_job(
        &mut self,
        id: &str,
        status: JobStatus,
        message: &str,
        result: Option<&serde_json::Value>,
    ) -> Result<()> {
        jobs::finish_job(&mut self.0, id, status, message, result).await
    }
    async fn save_job_result(
        &mut self,
        id: &str,
        expected: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<bool> {
        jobs::save_job_result(&mut self.0, id, expected, result).await
    }

    // Sense-making sessions.
    async fn insert_session(&mut self, s: &crate::domain::session::Session) -> Result<()> {
        sessions::insert_session(&mut self.0, s).await
    }
    async fn update_session(&mut self, s: &crate::domain::session::Session) -> Result<()> {
        sessions::update_session(&mut self.0, s).await
    }
    async fn sense_session(&mut self, id: &str) -> Result<crate::domain::session::Session> {
        sessions::sense_session(&mut self.0, id).await
    }
    async fn publish_session_report(&mut self, id: &str, at: OffsetDateTime) -> Result<()> {
        sessions::publish_session_report(&mut self.0, id, at).await
    }
    async fn set_session_patterns(
        &mut self,
        session_id: &str,
        patterns: &[crate::domain::session::Pattern],
    ) -> Result<()> {
        sessions::set_session_patterns(&mut self.0, session_id, patterns).await
    }
    async fn add_session_cards(&mut self, cards: &[crate::domain::session::Card]) -> Result<()> {
        sessions::add_session_cards(&mut self.0, cards).await
    }
    async fn remove_session_card(&mut self, session_id: &str, card_id: &str) -> Result<()> {
        sessions::remove_session_card(&mut self.0, session_id, card_id).await
    }
    async fn session_cards(&mut self, session_id: &str) -> Result<Vec<crate::domain::session::Card>> {
        sessions::session_cards(&mut self.0, session_id).await
    }
    async fn insert_note(&mut self, note: &crate::domain::session::Note) -> Result<()> {
        sessions::insert_note(&mut self.0, note).await
    }
    async fn approve_note(&mut self, session_id: &str, note_id: &str, at: OffsetDateTime) -> Result<()> {
        sessions::approve_note(&mut self.0, session_id, note_id, at).await
    }
    async fn cluster_note(
        &mut self,
        session_id: &str,
        note_id: &str,
        cluster_id: Option<&str>,
    ) -> Result<()> {
        sessions::cluster_note(&mut self.0, session_id, note_id, cluster_id).await
    }
    async fn insert_cluster(&mut self, cluster: &crate::domain::session::Cluster) -> Result<()> {
        sessions::insert_cluster(&mut self.0, cluster).await
    }
    async fn create_api_token(&mut self, token: &crate::auth::tokens::ApiToken) -> Result<()> {
        api_tokens::create_api_token(&mut self.0, token).await
    }
    async fn api_token(&mut self, id: &str) -> Result<crate::auth::tokens::ApiToken> {
        api_tokens::api_token(&mut self.0, id).await
    }
    async fn revoke_api_token(&mut self, id: &str, user_id: &str, at: OffsetDateTime) -> Result<()> {
        api_tokens::revoke_api_token(&mut self.0, id, user_id, at).await
    }
    async fn insert_join_code(&mut self, code: &crate::domain::session::JoinCode) -> Result<()> {
        sessions::insert_join_code(&mut self.0, code).await
    }
    async fn revoke_join_code(&mut self, session_id: &str, code: &str, at: OffsetDateTime) -> Result<()> {
        sessions::revoke_join_code(&mut self.0, session_id, code, at).await
    }
    async fn save_organisation(&mut self, org: &crate::domain::action::Organisation) -> Result<()> {
        actions::save_organisation(&mut self.0, org).await
    }
    async fn action(&mut self, id: &str) -> Result<crate::domain::action::Action> {
        actions::action(&mut self.0, id).await
    }
    async fn insert_action(
        &mut self,
        action: &crate::domain::action::Action,
        entry: &crate::domain::action::HistoryEntry,
    ) -> Result<()> {
        actions::insert_action(&mut self.0, action, entry).await
    }
    async fn update_action(
        &mut self,
        action: &crate::domain::action::Action,
        entry: &crate::domain::action::HistoryEntry,
    ) -> Result<()> {
        actions::update_action(&mut self.0, action, entry).await
    }
    async fn save_policy(&mut self, campaign_id: &str, policy: &str, at: OffsetDateTime) -> Result<()> {
        actions::save_policy(&mut self.0, campaign_id, policy, at).await
    }
    async fn save_assumption(&mut self, a: &crate::domain::toets::Assumption) -> Result<()> {
        actions::save_assumption(&mut self.0, a).await
    }
    async fn link_story(&mut self, link: &crate::domain::toets::AssumptionLink, linked: bool) -> Result<()> {
        actions::link_story(&mut self.0, link, linked).await
    }
    async fn save_conclusion(&mut self, c: &crate::domain::toets::Conclusion) -> Result<()> {
        actions::save_conclusion(&mut self.0, c).await
    }
    async fn save_results(&mut self, r: &crate::store::CampaignResults) -> Result<()> {
        actions::save_results(&mut self.0, r).await
    }
    async fn set_published_quote(&mut self, q: &crate::store::PublishedQuote, published: bool) -> Result<()> {
        actions::set_published_quote(&mut self.0, q, published).await
    }
}

#[async_trait]
impl crate::store::StoreCore for Backend {
    fn backend(&self) -> &'static str {
        Backend::NAME
    }
    async fn migrate(&self) -> Result<()> {
        self.run_migrations().await
    }
    async fn ping(&self) -> Result<()> {
        sqlx::query(crate::store::sql::PING).execute(&mut *self.reader().await?).await?;
        Ok(())
    }
    async fn check_writable(&self) -> Result<()> {
        self.probe_write().await
    }
    async fn durability_warnings(&self) -> Result<Vec<String>> {
        self.check_durability().await
    }
    async fn purge_deleted(&self) -> Result<()> {
        self.purge_deleted_pages().await
    }
    async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        self.backup_into(path).await
    }
    fn pool_use(&self) -> Vec<crate::store::PoolUse> {
        self.pools()
    }
    async fn begin(&self) -> Result<Box<dyn StoreTx>> {
        Ok(Box::new(Tx(self.begin_sqlx().await?)))
    }
}
