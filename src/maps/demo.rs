//! The demo's perspective map: `serve --demo` freezes one map of the demo campaign and
//! publishes it to the steering group, so a newcomer signing in as facilitator or steering
//! sees a map at once. Built from the store (the whole campaign: no search index needed, which
//! fills in the background), from the demo's accepted tags (the stories the importer brings in
//! coded). Idempotent across restarts: the map is found again by its title.

use time::OffsetDateTime;

use super::{MapsError, Request, Source, build, frozen};
use crate::domain::{Actor, Campaign};
use crate::store::DynStore;
use crate::store::maps::FrozenMap;

/// The title of the demo's published map, by which a restart finds it again.
pub const TITLE: &str = "Demo: perspectiefkaart van de hele campagne";

/// Freezes and publishes the demo map of `campaign` unless it exists; publishes it if a
/// previous start froze it but stopped before publishing. Returns the map, or `None` when
/// there is nothing to map yet (no story has an accepted theme: an empty map is not frozen).
pub async fn demo(
    store: &DynStore,
    campaign: &Campaign,
    min_group: u64,
    k: u64,
    now: OffsetDateTime,
) -> Result<Option<FrozenMap>, MapsError> {
    let existing = store.frozen_maps(&campaign.id).await?.into_iter().find(|m| m.title == TITLE);
    let map = match existing {
        Some(m) => m,
        None => {
            // The demo comes with one story in ten coded: a map of the whole campaign would set
            // those few against 1,500 and show little. The map of the coded stories of young
            // people, parents and professionals is the one a facilitator would make first.
            let all =
                build(store, None, campaign, &Request { source: Source::Campaign, ..Request::default() })
                    .await?;
            let mut coded: Vec<String> = all
                .accepted
                .iter()
                .filter(|(s, _)| all.group_of.get(s).is_some_and(|g| g != "other"))
                .map(|(s, _)| s.clone())
                .collect();
            coded.dedup();
            let req = Request { source: Source::Stories(coded), min_group, ..Request::default() };
            let built = build(store, None, campaign, &req).await?;
            if built.accepted.is_empty() || built.map.themes.is_empty() {
                return Ok(None);
            }
            frozen::freeze(store, campaign, &built, "", TITLE, min_group, k, Actor::system(), now).await?
        }
    };
    if map.published_at.is_none() {
        frozen::publish(store, campaign, &map.id, Actor::system(), now).await?;
    }
    Ok(Some(store.frozen_map(&map.id).await?))
}
