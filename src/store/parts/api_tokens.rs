//! Personal API tokens (SQL in `shared/api_tokens.rs`); creating and revoking go through
//! `StoreTx` so they commit with their audit entry.

use crate::auth::tokens::ApiToken;
use crate::store::Result;
use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreCore;

#[async_trait]
pub trait ApiTokenStore: StoreCore {
    /// The token whose secret hashes to `token_hash` (revoked and expired ones too: the caller
    /// decides). `NotFound` when there is none.
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<ApiToken>;
    /// A user's tokens, newest first.
    async fn api_tokens_of(&self, user_id: &str) -> Result<Vec<ApiToken>>;
    /// Records that the token was used at `now` (the caller limits this to once a minute).
    async fn touch_api_token(&self, id: &str, now: OffsetDateTime) -> Result<()>;
}
