//! Personal API tokens as use cases: a facilitator or admin creates one for a script (one
//! campaign, read-only or read-write, optional expiry) and revokes it. The secret is returned
//! once and never stored or audited; only its hash and a short prefix are kept.

use super::{AccountError, Result, actor};
use crate::auth::policy::{Permission, Viewer};
use crate::auth::tokens::{self, Access, ApiToken};
use crate::domain::{AuditAction, AuditEntry, User};
use crate::store::{DynStore, StoreError};
use time::{Date, OffsetDateTime, Time};

/// Longest token name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A new token as the account page posts it.
pub struct NewTokenInput {
    pub name: String,
    pub campaign_id: String,
    /// `read` or `write`.
    pub access: String,
    /// Last day the token works, `YYYY-MM-DD` (UTC); empty: no expiry.
    pub expires: String,
}

/// A created token with its secret, to show once.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

/// When a token with this last day stops working: the end of that day in UTC. Pure, tested
/// below; `Err` says how to fix the input.
pub fn expiry(raw: &str, now: OffsetDateTime) -> std::result::Result<Option<OffsetDateTime>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(raw, &f).map_err(|_| {
        format!("Schrijf de vervaldatum als jjjj-mm-dd, bijvoorbeeld 2027-06-30 (niet ‘{raw}’).")
    })?;
    let end = day
        .next_day()
        .ok_or_else(|| "Kies een vervaldatum vóór het jaar 9999.".to_string())?
        .with_time(Time::MIDNIGHT)
        .assume_utc();
    if end <= now {
        return Err("De vervaldatum ligt in het verleden. Kies vandaag of een dag daarna.".into());
    }
    Ok(Some(end))
}

/// Creates a token for `by` (audited as `api_token_created`, without the secret). The campaign
/// must be one whose stories `by` may read: a facilitator's own campaign, any for an admin.
pub async fn create(
    store: &DynStore,
    by: &Viewer,
    input: NewTokenInput,
    now: OffsetDateTime,
) -> Result<CreatedToken> {
    if by.token.is_some() {
        return Err(AccountError::Invalid("Een API-token kan geen nieuwe tokens maken.".into()));
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AccountError::Invalid(
            "Geef het token een naam, bijvoorbeeld het script dat het gebruikt.".into(),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AccountError::Invalid(format!("Een naam heeft hoogstens {MAX_NAME_CHARS} tekens.")));
    }
    let access = Access::parse(&input.access)
        .ok_or_else(|| AccountError::Invalid("Kies ‘alleen lezen’ of ‘lezen en schrijven’.".into()))?;
    let expires_at = expiry(&input.expires, now).map_err(AccountError::Invalid)?;
    let campaign = match store.campaign(&input.campaign_id).await {
        Ok(c) => Some(c),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let Some(campaign) = campaign.filter(|c| by.may(Permission::ReadStories(&c.id))) else {
        return Err(AccountError::Invalid("Kies een campagne waarvan je de verhalen mag lezen.".into()));
    };
    let secret = tokens::new_secret();
    let token = ApiToken {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: by.user.id.clone(),
        campaign_id: campaign.id.clone(),
        name,
        prefix: tokens::shown_prefix(&secret),
        token_hash: tokens::hash(&secret),
        access,
        created_at: now,
        expires_at,
        last_used_at: None,
        revoked_at: None,
    };
    // The prefix is not secret (32 of 256 bits); it lets an auditor match entry and token.
    let audit = AuditEntry::new(actor(&by.user), AuditAction::ApiTokenCreated)
        .campaign(campaign.id.clone())
        .target(format!("api_token:{}", token.id))
        .details(serde_json::json!({
            "name": token.name,
            "prefix": token.prefix,
            "access": access.as_str(),
            "expires_at": expires_at.and_then(|e| e.format(&time::format_description::well_known::Rfc3339).ok()),
        }));
    let mut tx = store.begin().await?;
    tx.create_api_token(&token).await?;
    tx.audit(&audit).await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

/// Revokes one of one's own tokens (audited as `api_token_revoked`). Someone else's token, or
/// one already revoked, is `NotFound`.
pub async fn revoke(store: &DynStore, by: &User, token_id: &str, now: OffsetDateTime) -> Result<ApiToken> {
    let mut tx = store.begin().await?;
    let token = tx.api_token(token_id).await?;
    if token.user_id != by.id {
        return Err(AccountError::NotFound);
    }
    tx.revoke_api_token(&token.id, &by.id, now).await?;
    let audit = AuditEntry::new(actor(by), AuditAction::ApiTokenRevoked)
        .campaign(token.campaign_id.clone())
        .target(format!("api_token:{}", token.id))
        .details(serde_json::json!({ "name": token.name, "prefix": token.prefix }));
    tx.audit(&audit).await?;
    tx.commit().await?;
    Ok(ApiToken { revoked_at: Some(now), ..token })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_through_its_last_day_in_utc() {
        let now = time::macros::datetime!(2026-12-03 17:00 UTC);
        assert_eq!(expiry("", now), Ok(None));
        assert_eq!(expiry("2026-12-03", now), Ok(Some(time::macros::datetime!(2026-12-04 0:00 UTC))));
        assert_eq!(expiry(" 2027-01-31 ", now), Ok(Some(time::macros::datetime!(2027-02-01 0:00 UTC))));
        assert!(expiry("2026-12-02", now).unwrap_err().contains("verleden"));
        assert!(expiry("31-01-2027", now).unwrap_err().contains("jjjj-mm-dd"));
    }
}
