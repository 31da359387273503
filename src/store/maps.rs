//! Frozen perspective maps, as stored (see migrations `*_maps.sql`). The SQL of both backends
//! is in `shared/maps.rs`.

use sqlx::types::Json;
use time::OffsetDateTime;

/// A frozen map: what its page showed, and what it was made of, as one JSON snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct FrozenMap {
    pub id: String,
    pub campaign_id: String,
    pub title: String,
    pub snapshot: serde_json::Value,
    /// sha256 (hex) of the snapshot's JSON text.
    pub content_hash: String,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub published_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct FrozenMapRow {
    pub id: String,
    pub campaign_id: String,
    pub title: String,
    pub snapshot: Json<serde_json::Value>,
    pub content_hash: String,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub published_at: Option<OffsetDateTime>,
}

impl From<FrozenMapRow> for FrozenMap {
    fn from(r: FrozenMapRow) -> FrozenMap {
        FrozenMap {
            id: r.id,
            campaign_id: r.campaign_id,
            title: r.title,
            snapshot: r.snapshot.0,
            content_hash: r.content_hash,
            created_by: r.created_by,
            created_at: r.created_at,
            published_at: r.published_at,
        }
    }
}

macro_rules! map_columns {
    () => {
        "id, campaign_id, title, snapshot, content_hash, created_by, created_at, published_at"
    };
}

pub(crate) const INSERT: &str = "INSERT INTO frozen_maps (id, campaign_id, title, snapshot, content_hash, \
     created_by, created_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)";
pub(crate) const PUBLISH: &str =
    "UPDATE frozen_maps SET published_at = $2 WHERE id = $1 AND published_at IS NULL";
pub(crate) const BY_ID: &str = concat!("SELECT ", map_columns!(), " FROM frozen_maps WHERE id = $1");
pub(crate) const BY_CAMPAIGN: &str = concat!(
    "SELECT ",
    map_columns!(),
    " FROM frozen_maps WHERE campaign_id = $1 ORDER BY created_at DESC, id"
);
pub(crate) const PUBLISHED: &str = concat!(
    "SELECT ",
    map_columns!(),
    " FROM frozen_maps WHERE published_at IS NOT NULL ORDER BY published_at DESC, id"
);
