//! The audit log and safeguarding follow-ups (each follow-up is audited).

use super::{Conn, utc};
use crate::domain::audit::{AuditEntry, AuditFilter, AuditRecord};
use crate::domain::safeguarding::FollowUp;
use crate::store::rows::{AuditRow, FollowUpRow};
use crate::store::{Result, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn write_audit(c: &mut Conn, e: &AuditEntry) -> Result<()> {
    sqlx::query(sql::INSERT_AUDIT)
        .bind(OffsetDateTime::now_utc())
        .bind(&e.actor.user_id)
        .bind(&e.actor.label)
        .bind(e.action.as_str())
        .bind(&e.target)
        .bind(&e.campaign_id)
        .bind(Json(&e.details))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn audit_entries(c: &mut Conn, f: &AuditFilter) -> Result<Vec<AuditRecord>> {
    let rows: Vec<AuditRow> = sqlx::query_as(sql::AUDIT_ENTRIES)
        .bind(f.since.map(utc))
        .bind(f.action.map(|a| a.as_str()))
        .bind(&f.actor)
        .bind(&f.campaign_id)
        .bind(if f.limit > 0 { f.limit } else { 500 })
        .fetch_all(&mut *c)
        .await?;
    Ok(rows.into_iter().map(AuditRecord::from).collect())
}

pub async fn add_follow_up(c: &mut Conn, fu: &FollowUp, audit: &AuditEntry) -> Result<()> {
    sqlx::query(sql::INSERT_FOLLOW_UP)
        .bind(&fu.id)
        .bind(&fu.story_id)
        .bind(&fu.campaign_id)
        .bind(&fu.user_id)
        .bind(&fu.user_email)
        .bind(fu.action.as_str())
        .bind(&fu.note)
        .bind(utc(fu.at))
        .execute(&mut *c)
        .await?;
    let entry = audit
        .clone()
        .target(format!("story:{}", fu.story_id))
        .campaign(fu.campaign_id.clone())
        .details(serde_json::json!({ "action": fu.action.as_str() }));
    write_audit(c, &entry).await
}

pub async fn follow_ups(c: &mut Conn, story_id: &str) -> Result<Vec<FollowUp>> {
    let rows: Vec<FollowUpRow> = sqlx::query_as(sql::FOLLOW_UPS).bind(story_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(FollowUp::try_from).collect()
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::AuditStore for super::Backend {
    async fn follow_ups(&self, story_id: &str) -> Result<Vec<FollowUp>> {
        follow_ups(&mut *self.reader().await?, story_id).await
    }
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        audit_entries(&mut *self.reader().await?, filter).await
    }
}
