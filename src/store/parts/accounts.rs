//! Accounts, campaign membership and sessions.

use crate::domain::audit::AuditEntry;

use super::StoreCore;
use crate::domain::User;
use crate::store::{NewUser, Result, SessionRecord, UserChange};
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
pub trait AccountStore: StoreCore {
    async fn count_users(&self) -> Result<i64>;
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User> {
        let mut tx = self.begin().await?;
        let out = tx.create_user(user, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn user(&self, id: &str) -> Result<User>;
    /// The user and their password hash, for logging in.
    async fn user_by_email(&self, email: &str) -> Result<(User, String)>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn update_user(&self, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User> {
        let mut tx = self.begin().await?;
        let out = tx.update_user(id, change, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Ids of the campaigns a user is a member of.
    async fn memberships(&self, user_id: &str) -> Result<Vec<String>>;
    async fn campaign_members(&self, campaign_id: &str) -> Result<Vec<User>>;
    async fn set_membership(
        &self,
        campaign_id: &str,
        user_id: &str,
        member: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.set_membership(campaign_id, user_id, member, audit).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn create_session(&self, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.create_session(id_hash, user_id, now).await?;
        tx.commit().await?;
        Ok(out)
    }
    async fn session(&self, id_hash: &str) -> Result<SessionRecord>;
    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()>;
    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let out = tx.delete_session(id_hash).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Ends every session of a user; returns how many there were.
    async fn delete_user_sessions(&self, user_id: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let out = tx.delete_user_sessions(user_id).await?;
        tx.commit().await?;
        Ok(out)
    }
    /// Removes sessions idle since `idle_before` or created before `created_before`.
    async fn purge_sessions(
        &self,
        idle_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> Result<u64>;
}
