//! Accounts, campaign membership and sessions.

use super::{Conn, utc, write_audit};
use crate::domain::User;
use crate::domain::audit::AuditEntry;
use crate::store::rows::{SessionRow, UserRow, UserWithHashRow};
use crate::store::{NewUser, Result, SessionRecord, StoreError, UserChange, sql};
use time::OffsetDateTime;

pub async fn count_users(c: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar(sql::COUNT_USERS).fetch_one(&mut *c).await?)
}

pub async fn create_user(c: &mut Conn, user: &NewUser, audit: &AuditEntry) -> Result<User> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(sql::INSERT_USER)
        .bind(&id)
        .bind(&user.email)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    let entry = audit
        .clone()
        .target(format!("user:{id}"))
        .details(serde_json::json!({ "email": user.email, "role": user.role.as_str() }));
    write_audit(c, &entry).await?;
    user_by_id(c, &id).await
}

pub async fn user_by_id(c: &mut Conn, id: &str) -> Result<User> {
    let row: UserRow = sqlx::query_as(sql::USER_BY_ID).bind(id).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn user_by_email(c: &mut Conn, email: &str) -> Result<(User, String)> {
    let row: UserWithHashRow = sqlx::query_as(sql::USER_BY_EMAIL).bind(email).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn users(c: &mut Conn) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(sql::USERS).fetch_all(&mut *c).await?;
    rows.into_iter().map(User::try_from).collect()
}

pub async fn update_user(c: &mut Conn, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User> {
    let done = sqlx::query(sql::UPDATE_USER)
        .bind(id)
        .bind(&change.name)
        .bind(change.role.map(|r| r.as_str()))
        .bind(change.disabled)
        .bind(&change.password_hash)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    // Never the hash in the log: only which fields changed.
    let entry = audit.clone().target(format!("user:{id}")).details(serde_json::json!({
        "name": change.name.is_some(),
        "role": change.role.map(|r| r.as_str()),
        "disabled": change.disabled,
        "password": change.password_hash.is_some(),
    }));
    write_audit(c, &entry).await?;
    user_by_id(c, id).await
}

pub async fn memberships(c: &mut Conn, user_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(sql::MEMBERSHIPS).bind(user_id).fetch_all(&mut *c).await?)
}

pub async fn campaign_members(c: &mut Conn, campaign_id: &str) -> Result<Vec<User>> {
    let rows: Vec<UserRow> =
        sqlx::query_as(sql::CAMPAIGN_MEMBERS).bind(campaign_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(User::try_from).collect()
}

pub async fn set_membership(
    c: &mut Conn,
    campaign_id: &str,
    user_id: &str,
    member: bool,
    audit: &AuditEntry,
) -> Result<()> {
    let q = if member { sql::ADD_MEMBER } else { sql::REMOVE_MEMBER };
    sqlx::query(q).bind(campaign_id).bind(user_id).execute(&mut *c).await?;
    let entry = audit
        .clone()
        .target(format!("user:{user_id}"))
        .campaign(campaign_id)
        .details(serde_json::json!({ "member": member }));
    write_audit(c, &entry).await
}

pub async fn create_session(c: &mut Conn, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()> {
    sqlx::query(sql::INSERT_SESSION).bind(id_hash).bind(user_id).bind(utc(now)).execute(&mut *c).await?;
    Ok(())
}

pub async fn session(c: &mut Conn, id_hash: &str) -> Result<SessionRecord> {
    let row: SessionRow = sqlx::query_as(sql::SESSION).bind(id_hash).fetch_one(&mut *c).await?;
    row.try_into()
}

pub async fn touch_session(c: &mut Conn, id_hash: &str, now: OffsetDateTime) -> Result<()> {
    sqlx::query(sql::TOUCH_SESSION).bind(id_hash).bind(utc(now)).execute(&mut *c).await?;
    Ok(())
}

pub async fn delete_session(c: &mut Conn, id_hash: &str) -> Result<()> {
    sqlx::query(sql::DELETE_SESSION).bind(id_hash).execute(&mut *c).await?;
    Ok(())
}

pub async fn delete_user_sessions(c: &mut Conn, user_id: &str) -> Result<u64> {
    Ok(sqlx::query(sql::DELETE_USER_SESSIONS).bind(user_id).execute(&mut *c).await?.rows_affected())
}

pub async fn purge_sessions(
    c: &mut Conn,
    idle_before: OffsetDateTime,
    created_before: OffsetDateTime,
) -> Result<u64> {
    let done = sqlx::query(sql::PURGE_SESSIONS)
        .bind(utc(idle_before))
        .bind(utc(created_before))
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::AccountStore for super::Backend {
    async fn count_users(&self) -> Result<i64> {
        count_users(&mut *self.reader().await?).await
    }
    async fn user(&self, id: &str) -> Result<User> {
        user_by_id(&mut *self.reader().await?, id).await
    }
    async fn user_by_email(&self, email: &str) -> Result<(User, String)> {
        user_by_email(&mut *self.reader().await?, email).await
    }
    async fn users(&self) -> Result<Vec<User>> {
        users(&mut *self.reader().await?).await
    }
    async fn memberships(&self, user_id: &str) -> Result<Vec<String>> {
        memberships(&mut *self.reader().await?, user_id).await
    }
    async fn campaign_members(&self, campaign_id: &str) -> Result<Vec<User>> {
        campaign_members(&mut *self.reader().await?, campaign_id).await
    }
    async fn session(&self, id_hash: &str) -> Result<SessionRecord> {
        session(&mut *self.reader().await?, id_hash).await
    }
    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()> {
        let mut tx = self.begin_sqlx().await?;
        touch_session(&mut tx, id_hash, now).await?;
        Ok(tx.commit().await?)
    }
    async fn purge_sessions(
        &self,
        idle_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> Result<u64> {
        let mut tx = self.begin_sqlx().await?;
        let n = purge_sessions(&mut tx, idle_before, created_before).await?;
        tx.commit().await?;
        Ok(n)
    }
}
