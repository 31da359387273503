//! Frozen and published maps: a snapshot of a map (story ids, tag states, codebook version,
//! settings, every number the page shows, for facilitators and as disclosed for the steering
//! group), content-hashed, stored with its audit entry in one transaction. Withdrawal wins over
//! freezing: a story withdrawn since is left out of the quotes, story lists and charts when
//! shown. Charts with a mark per story (ternary dots, histogram bins) keep their per-story data
//! in the snapshot and are drawn again at show time without the stories that no longer exist;
//! the snapshot and its hash stay as frozen.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::view::{MapView, view};
use super::{Built, MapsError, disclose};
use crate::analysis::maps::signifiers::Detail;
use crate::charts::from_map::{SignifierChart, signifier_chart};
use crate::charts::histogram::{HistogramChart, histogram, histogram_table};
use crate::charts::ternary::{TernaryChart, ternary, ternary_table};
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
    /// Per-story data of the charts of `open` and of `disclosed` (absent in snapshots made
    /// before it was kept: those charts stay as drawn).
    #[serde(default)]
    pub open_charts: Vec<ChartData>,
    #[serde(default)]
    pub disclosed_charts: Vec<ChartData>,
}

/// A chart with the story behind each of its marks, so it can be drawn without some of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChartData {
    /// Per group, the story of each dot (parallel to the group's dots).
    Ternary { chart: TernaryChart, stories: Vec<Vec<String>> },
    /// Per group, each answer's story and bin.
    Histogram { chart: HistogramChart, stories: Vec<Vec<(String, usize)>> },
}

impl ChartData {
    fn id(&self) -> &str {
        match self {
            ChartData::Ternary { chart, .. } => &chart.id,
            ChartData::Histogram { chart, .. } => &chart.id,
        }
    }

    fn touches(&self, gone: &HashSet<&str>) -> bool {
        match self {
            ChartData::Ternary { stories, .. } => stories.iter().flatten().any(|s| gone.contains(s.as_str())),
            ChartData::Histogram { stories, .. } => {
                stories.iter().flatten().any(|(s, _)| gone.contains(s.as_str()))
            }
        }
    }

    /// The chart without the stories in `gone`, as SVG and data table. In a disclosed chart a
    /// bin that falls below `k` is hidden, like any small count.
    fn redraw(&self, gone: &HashSet<&str>, disclosed: bool, k: u64) -> (String, super::view::Table) {
        match self {
            ChartData::Ternary { chart, stories } => {
                let mut chart = chart.clone();
                for (g, ids) in chart.groups.iter_mut().zip(stories) {
                    g.dots = g
                        .dots
                        .iter()
                        .zip(ids)
                        .filter(|(_, id)| !gone.contains(id.as_str()))
                        .map(|(d, _)| *d)
                        .collect();
                }
                (ternary(&chart), ternary_table(&chart).into())
            }
            ChartData::Histogram { chart, stories } => {
                let mut chart = chart.clone();
                for (g, members) in chart.groups.iter_mut().zip(stories) {
                    for (_, b) in members.iter().filter(|(id, _)| gone.contains(id.as_str())) {
                        if let Some(Some(c)) = g.counts.get_mut(*b) {
                            *c = c.saturating_sub(1);
                        }
                    }
                    if disclosed {
                        for c in &mut g.counts {
                            if c.is_some_and(|c| c < k) {
                                *c = None;
                            }
                        }
                    }
                }
                (histogram(&chart), histogram_table(&chart, &format!("<{k}")).into())
            }
        }
    }
}

/// The per-story data of `built`'s triad and dyad charts.
pub fn chart_data(built: &Built) -> Vec<ChartData> {
    let id = |n: &usize| built.story_ids.get(*n).cloned().unwrap_or_default();
    built
        .map
        .signifiers
        .iter()
        .filter_map(|s| match (signifier_chart(&built.map, s), &s.detail) {
            (SignifierChart::Ternary(chart), Detail::Triad(t)) => Some(ChartData::Ternary {
                chart,
                stories: t.groups.iter().map(|g| g.dot_stories.iter().map(id).collect()).collect(),
            }),
            (SignifierChart::Histogram(chart), Detail::Dyad(d)) => Some(ChartData::Histogram {
                chart,
                stories: d
                    .groups
                    .iter()
                    .map(|g| g.binned.iter().map(|(n, b)| (id(n), *b)).collect())
                    .collect(),
            }),
            _ => None,
        })
        .collect()
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
    let hidden = disclose(built, k);
    let snapshot = Snapshot {
        story_ids: built.story_ids.clone(),
        accepted: built.accepted.clone(),
        codebook_version: built.header.codebook_version.clone(),
        filter: built.header.filter.clone(),
        by: built.header.by.clone(),
        min_group,
        k,
        open: view(built, &campaign.id, query, k),
        disclosed: view(&hidden, &campaign.id, query, k),
        open_charts: chart_data(built),
        disclosed_charts: chart_data(&hidden),
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
    let (mut view, charts) = if disclosed {
        (snapshot.disclosed, snapshot.disclosed_charts)
    } else {
        (snapshot.open, snapshot.open_charts)
    };
    for data in charts.iter().filter(|d| d.touches(&withdrawn)) {
        if let Some(c) = view.charts.iter_mut().find(|c| c.id == data.id()) {
            let (svg, table) = data.redraw(&withdrawn, disclosed, snapshot.k);
            (c.svg, c.table) = (svg, super::view::localise(table, view.language == "en"));
        }
    }
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
