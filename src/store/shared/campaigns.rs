//! Campaigns: their definitions and form versions.

use super::{Conn, utc, write_audit};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::{Campaign, CampaignDef};
use crate::store::rows::CampaignRow;
use crate::store::{Result, Saved, StoreError, sql};
use sqlx::types::Json;
use time::OffsetDateTime;

pub async fn save_campaign(
    c: &mut Conn,
    def: &CampaignDef,
    audit: &AuditEntry,
    expected_form_version: Option<i64>,
) -> Result<(Campaign, Saved)> {
    let existing: Option<CampaignRow> =
        sqlx::query_as(sql::CAMPAIGN_BY_SLUG).bind(&def.slug).fetch_optional(&mut *c).await?;
    let now = utc(OffsetDateTime::now_utc());
    let (id, saved) = match existing {
        Some(row) => {
            if expected_form_version.is_some_and(|v| v != row.form_version) {
                return Err(StoreError::Conflict("form_version".into()));
            }
            let merged = row.definition.0.merged_update(def.clone()).map_err(|e| StoreError::Invalid(e.0))?;
            // Conditional on the version the merge was computed from: a save that committed in
            // between makes this one a conflict instead of a lost update.
            let done = sqlx::query(sql::UPDATE_CAMPAIGN)
                .bind(&row.id)
                .bind(merged.status.as_str())
                .bind(Json(&merged))
                .bind(now)
                .bind(row.form_version)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("form_version".into()));
            }
            (row.id, Saved::Updated)
        }
        None => {
            if expected_form_version.is_some() {
                return Err(StoreError::NotFound);
            }
            def.validate().map_err(|e| StoreError::Invalid(e.0))?;
            let id = uuid::Uuid::new_v4().to_string();
            sqlx::query(sql::INSERT_CAMPAIGN)
                .bind(&id)
                .bind(&def.slug)
                .bind(def.status.as_str())
                .bind(Json(def))
                .bind(now)
                .execute(&mut *c)
                .await?;
            (id, Saved::Created)
        }
    };
    let row: CampaignRow = sqlx::query_as(sql::CAMPAIGN_BY_ID).bind(&id).fetch_one(&mut *c).await?;
    let mut entry = audit.clone().target(format!("campaign:{id}")).campaign(id.clone());
    if saved == Saved::Created {
        entry.action = AuditAction::CampaignCreated;
    }
    write_audit(c, &entry).await?;
    Ok((row.into(), saved))
}

pub async fn campaign_by_slug(c: &mut Conn, slug: &str) -> Result<Campaign> {
    let row: CampaignRow = sqlx::query_as(sql::CAMPAIGN_BY_SLUG).bind(slug).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn campaign(c: &mut Conn, id: &str) -> Result<Campaign> {
    let row: CampaignRow = sqlx::query_as(sql::CAMPAIGN_BY_ID).bind(id).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn campaigns(c: &mut Conn) -> Result<Vec<Campaign>> {
    let rows: Vec<CampaignRow> = sqlx::query_as(sql::CAMPAIGNS).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(Campaign::from).collect())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::CampaignStore for super::Backend {
    async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign> {
        campaign_by_slug(&mut *self.reader().await?, slug).await
    }
    async fn campaign(&self, id: &str) -> Result<Campaign> {
        campaign(&mut *self.reader().await?, id).await
    }
    async fn campaigns(&self) -> Result<Vec<Campaign>> {
        campaigns(&mut *self.reader().await?).await
    }
}
