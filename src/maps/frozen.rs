//! Frozen and published maps: a snapshot of a map (story ids, tag states, codebook version,
//! settings, every number the page shows, for facilitators and as disclosed for the steering
//! group), content-hashed, stored with its audit entry in one transaction. Withdrawal wins over
//! freezing: a story withdrawn since is left out of the quotes and story lists when shown.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::view::{MapView, view};
use super::{Built, MapsError, disclose};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign};
use crate::store::DynStore;
use crate::store::maps::FrozenMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub story_ids: Vec<String>,
    /// (story, theme) pairs with an accepted tag when frozen.
    pub accepted: Vec<(String, String)>,
    pub codebook_version: String,
    pub filter: String,
    pub by: String,
    pub min_group: u64,
    pub k: u64,
    /// The facilitator's page.
    pub open: MapView,
    /// The page with disclosure control applied (the steering group's).
    pub disclosed: MapView,
}

/// A frozen map as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub map: FrozenMap,
    pub view: MapView,
    /// Stories withdrawn since the map was frozen.
    pub withdrawn: usize,
    /// Whether the stored snapshot still matches its hash.
    pub intact: bool,
}

fn hash(json: &str) -> String {
    hex::encode(Sha256::digest(json.as_bytes()))
}

/// Freezes `built` (made for `campaign` with the search `query`) under `title`.
// Each argument is one fact of the snapshot; a struct only for this call would add nothing.
#[allow(clippy::too_many_arguments)]
pub async fn freeze(
    store: &DynStore,
    campaign: &Campaign,
    built: &Built,
    query: &str,
    title: &str,
    min_group: u64,
    k: u64,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<FrozenMap, MapsError> {
    let snapshot = Snapshot {
        story_ids: built.story_ids.clone(),
        accepted: built.accepted.clone(),
        codebook_version: built.header.codebook_version.clone(),
        filter: built.header.filter.clone(),
        by: built.header.by.clone(),
        min_group,
        k,
        open: view(built, &campaign.id, query, k),
        disclosed: view(&disclose(built, k), &campaign.id, query, k),
    };
    let value = serde_json::to_value(&snapshot).map_err(anyhow::Error::from)?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let map = FrozenMap {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.id.clone(),
        title: if title.is_empty() {
            format!("Kaart op {}", now.date())
        } else {
            title.chars().take(120).collect()
        },
        content_hash: hash(&value.to_string()),
        snapshot: value,
        created_by: actor.user_id.clone(),
        created_at: now,
        published_at: None,
    };
    let mut tx = store.begin().await?;
    tx.freeze_map(&map).await?;
    tx.audit(&AuditEntry::new(actor, AuditAction::MapFrozen).target(format!("map:{}", map.id))).await?;
    tx.commit().await?;
    Ok(map)
}

/// Publishes a frozen map of `campaign` to the steering group.
pub async fn publish(
    store: &DynStore,
    campaign: &Campaign,
    id: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<(), MapsError> {
    let mut tx = store.begin().await?;
    let map = tx.frozen_map(id).await?;
    if map.campaign_id != campaign.id {
        return Err(crate::store::StoreError::NotFound.into());
    }
    // Publishing twice changes nothing (a double click, a reload).
    if map.published_at.is_some() {
        return Ok(());
    }
    tx.publish_map(id, now).await?;
    tx.audit(&AuditEntry::new(actor, AuditAction::MapPublished).target(format!("map:{id}"))).await?;
    tx.commit().await?;
    Ok(())
}

/// The frozen map as a page shows it (`disclosed` for the steering group), without the stories
/// withdrawn since.
pub async fn show(store: &DynStore, map: FrozenMap, disclosed: bool) -> Result<Shown, MapsError> {
    let intact = hash(&map.snapshot.to_string()) == map.content_hash;
    let snapshot: Snapshot = serde_json::from_value(map.snapshot.clone()).map_err(anyhow::Error::from)?;
    let present: HashSet<String> = if snapshot.story_ids.is_empty() {
        HashSet::new()
    } else {
        store.stories_by_ids(&snapshot.story_ids).await?.into_iter().map(|s| s.id).collect()
    };
    let withdrawn: HashSet<&str> =
        snapshot.story_ids.iter().map(String::as_str).filter(|id| !present.contains(*id)).collect();
    let mut view = if disclosed { snapshot.disclosed.clone() } else { snapshot.open.clone() };
    for t in &mut view.themes {
        for c in &mut t.cells {
            c.quotes.retain(|q| !withdrawn.contains(q.story_id.as_str()));
            c.stories.retain(|s| !withdrawn.contains(s.as_str()));
            if disclosed {
                // The steering group has no search and no story pages: numbers and quotes only.
                c.href.clear();
                c.stories.clear();
            }
        }
    }
    Ok(Shown { map, view, withdrawn: withdrawn.len(), intact })
}
