//! Personal API tokens: only the hash of the secret and a short prefix are stored.

use super::{Conn, utc};
use crate::auth::tokens::{Access, ApiToken};
use crate::store::{Result, StoreError};
use time::OffsetDateTime;

const COLUMNS: &str = "id, user_id, campaign_id, name, prefix, token_hash, access, created_at, \
     expires_at, last_used_at, revoked_at";
const INSERT: &str = "INSERT INTO api_tokens (id, user_id, campaign_id, name, prefix, token_hash, access, \
     created_at, expires_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL)";
const REVOKE: &str =
    "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
const TOUCH: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
);

fn token(r: Row) -> Result<ApiToken> {
    let access = Access::parse(&r.6).ok_or_else(|| StoreError::Invalid(format!("token access '{}'", r.6)))?;
    Ok(ApiToken {
        id: r.0,
        user_id: r.1,
        campaign_id: r.2,
        name: r.3,
        prefix: r.4,
        token_hash: r.5,
        access,
        created_at: r.7,
        expires_at: r.8,
        last_used_at: r.9,
        revoked_at: r.10,
    })
}

pub async fn create_api_token(c: &mut Conn, t: &ApiToken) -> Result<()> {
    sqlx::query(INSERT)
        .bind(&t.id)
        .bind(&t.user_id)
        .bind(&t.campaign_id)
        .bind(&t.name)
        .bind(&t.prefix)
        .bind(&t.token_hash)
        .bind(t.access.as_str())
        .bind(utc(t.created_at))
        .bind(t.expires_at.map(utc))
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Revokes one of the user's tokens; `NotFound` when the user has no such token still live.
pub async fn revoke_api_token(c: &mut Conn, id: &str, user_id: &str, at: OffsetDateTime) -> Result<()> {
    let done = sqlx::query(REVOKE).bind(id).bind(user_id).bind(utc(at)).execute(&mut *c).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn api_token(c: &mut Conn, id: &str) -> Result<ApiToken> {
    let q = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1");
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_one(&mut *c).await?;
    token(row)
}

pub async fn api_token_by_hash(c: &mut Conn, token_hash: &str) -> Result<ApiToken> {
    let q = format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1");
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(token_hash).fetch_one(&mut *c).await?;
    token(row)
}

pub async fn api_tokens_of(c: &mut Conn, user_id: &str) -> Result<Vec<ApiToken>> {
    let q = format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id");
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(user_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(token).collect()
}

pub async fn touch_api_token(c: &mut Conn, id: &str, now: OffsetDateTime) -> Result<()> {
    sqlx::query(TOUCH).bind(id).bind(utc(now)).execute(&mut *c).await?;
    Ok(())
}

#[async_trait::async_trait]
impl crate::store::ApiTokenStore for super::Backend {
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<ApiToken> {
        api_token_by_hash(&mut *self.reader().await?, token_hash).await
    }
    async fn api_tokens_of(&self, user_id: &str) -> Result<Vec<ApiToken>> {
        api_tokens_of(&mut *self.reader().await?, user_id).await
    }
    async fn touch_api_token(&self, id: &str, now: OffsetDateTime) -> Result<()> {
        let mut tx = self.begin_sqlx().await?;
        touch_api_token(&mut tx, id, now).await?;
        Ok(tx.commit().await?)
    }
}
