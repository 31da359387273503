//! Deployment-wide coordination: leases and follower positions.

use super::StoreCore;
use crate::store::Result;
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
pub trait CoordinationStore: StoreCore {
    /// How far the follower `name` has processed the story event log; `None` before its first run.
    async fn follower_position(&self, name: &str) -> Result<Option<i64>>;
    /// Moves the follower's position forward to `seq` (never back).
    async fn set_follower_position(&self, name: &str, seq: i64) -> Result<()>;
    /// Takes or renews the lease `name` for `holder` until `until`, if it is free, expired or
    /// already this holder's; false while another holder has it. With several instances on one
    /// database, the holder is the one instance that does the task.
    async fn acquire_lease(&self, name: &str, holder: &str, until: OffsetDateTime) -> Result<bool>;
    /// Gives the lease up (on a clean stop) so that another instance takes over at once.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<()>;
}
