//! Sense-making sessions (SQL in `shared/sessions.rs`); writes go through `StoreTx`.

use crate::domain::session::{Card, Cluster, JoinCode, Note, Pattern, Session};
use crate::store::Result;
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait SessionStore: StoreCore {
    /// A session with its map ids.
    async fn sense_session(&self, id: &str) -> Result<Session>;
    /// A campaign's sessions, latest date first.
    async fn sessions(&self, campaign_id: &str) -> Result<Vec<Session>>;
    /// Sessions whose report is published, of every campaign, latest first.
    async fn published_sessions(&self) -> Result<Vec<Session>>;
    /// The chosen patterns in order.
    async fn session_patterns(&self, session_id: &str) -> Result<Vec<Pattern>>;
    /// The story cards by number.
    async fn session_cards(&self, session_id: &str) -> Result<Vec<Card>>;
    /// The notes with their links, oldest first.
    async fn session_notes(&self, session_id: &str) -> Result<Vec<Note>>;
    async fn note_clusters(&self, session_id: &str) -> Result<Vec<Cluster>>;
    async fn join_code(&self, code: &str) -> Result<JoinCode>;
    /// A session's join codes, newest first.
    async fn join_codes(&self, session_id: &str) -> Result<Vec<JoinCode>>;
}
