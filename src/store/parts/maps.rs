//! Frozen perspective maps (types and SQL in `store/maps.rs`); writes go through `StoreTx`.

use crate::store::Result;
use crate::store::maps::FrozenMap;
use async_trait::async_trait;

use super::StoreCore;

#[async_trait]
pub trait MapStore: StoreCore {
    async fn frozen_map(&self, id: &str) -> Result<FrozenMap>;
    /// A campaign's frozen maps, newest first.
    async fn frozen_maps(&self, campaign_id: &str) -> Result<Vec<FrozenMap>>;
    /// Published maps of all campaigns, newest first.
    async fn published_maps(&self) -> Result<Vec<FrozenMap>>;
}
