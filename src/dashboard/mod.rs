//! The steering dashboard (reads only): gathers each campaign's coarse story facts (date,
//! perspective, region, accepted themes — never text) from the store and computes the figures
//! with [`crate::analysis::dashboard`], which applies disclosure control. Pages and the JSON
//! view select rows and columns of these figures ([`view`]); they never compute new counts.

pub mod tracker;
pub mod view;

use std::collections::HashMap;

use crate::analysis::dashboard::{self as figures, Dashboard, Input, Period, Settings, StoryPoint, Table};
use crate::domain::{Campaign, Lang, Perspective};
use crate::store::{DynStore, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The group keys in the order of a dashboard's columns before small groups are left out.
pub const GROUPS: [Perspective; 4] = Perspective::ALL;

/// Label of a perspective on the dashboard.
pub fn group_label(p: Perspective, lang: Lang) -> String {
    crate::maps::perspective_plural(p, lang).to_string()
}

/// The figures of one campaign. Themes are the campaign's own (not merged away); a story
/// counts for a theme when it has an accepted tag (a rule's or a person's).
pub async fn campaign(
    store: &DynStore,
    campaign: &Campaign,
    period: Period,
    k: u64,
    min_group: u64,
    lang: Lang,
) -> Result<Dashboard, DashboardError> {
    let stories = crate::tagging::threads::stories_for(store, None, &campaign.id, None).await?;
    let themes: Vec<_> = store
        .themes(Some(&campaign.id))
        .await?
        .into_iter()
        .filter(|t| t.campaign_id.as_deref() == Some(campaign.id.as_str()) && t.merged_into.is_none())
        .collect();
    let ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
    let tags = if ids.is_empty() { Vec::new() } else { store.tags_for_stories(&ids).await? };
    let theme_index: HashMap<&str, usize> =
        themes.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut story_themes: HashMap<String, Vec<usize>> = HashMap::new();
    for (story, theme) in crate::maps::accepted_pairs(&tags) {
        if let Some(&t) = theme_index.get(theme.as_str()) {
            story_themes.entry(story).or_default().push(t);
        }
    }
    let regions = crate::domain::region::regions();
    let region_index: HashMap<&str, usize> =
        regions.iter().enumerate().map(|(i, r)| (r.code.as_str(), i)).collect();
    let points = stories
        .iter()
        .map(|s| StoryPoint {
            date: s.created_at.date(),
            group: GROUPS.iter().position(|p| *p == s.perspective).unwrap_or(GROUPS.len() - 1),
            region: s.region.as_deref().and_then(|r| region_index.get(r).copied()),
            themes: story_themes.remove(&s.id).unwrap_or_default(),
        })
        .collect();
    let input = Input {
        groups: GROUPS.iter().map(|p| group_label(*p, lang)).collect(),
        regions: regions.iter().map(|r| r.name.clone()).collect(),
        themes: themes.iter().map(|t| t.name.clone()).collect(),
        stories: points,
    };
    let settings = Settings { period, k, min_group, dutch: lang == Lang::Nl, ..Settings::default() };
    Ok(figures::compute(&input, &settings))
}

/// Stories per campaign and group across `campaigns`, with small campaigns pooled and small
/// cells hidden.
pub async fn summary(
    store: &DynStore,
    campaigns: &[Campaign],
    k: u64,
    lang: Lang,
) -> Result<Table, DashboardError> {
    let mut rows = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        let by = store.count_by_perspective(&c.id).await?;
        // A group with fewer than k stories in a campaign is left out of that campaign's
        // dashboard and its totals; leave it out here too, or the two totals would differ by it.
        let counts: Vec<u64> = GROUPS
            .iter()
            .map(|p| by.iter().filter(|(q, _)| q == p).map(|(_, n)| (*n).max(0) as u64).sum())
            .map(|n: u64| if n < k { 0 } else { n })
            .collect();
        rows.push((c.def.title.get(lang).to_string(), counts));
    }
    let pool = if lang == Lang::Nl { "Overige campagnes" } else { "Other campaigns" };
    Ok(figures::pooled_table(
        rows,
        Vec::new(),
        GROUPS.iter().map(|p| group_label(*p, lang)).collect(),
        k,
        pool,
    ))
}

/// A Leefwereldtoets conclusion as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConclusionRow {
    pub assumption: String,
    pub verdict: String,
    pub reasoning: String,
}

/// The action tracker of `campaign` (only published actions when `published_only`, as the
/// steering group sees them on `/actions`) and its Leefwereldtoets conclusions.
pub async fn follow_through(
    store: &DynStore,
    campaign: &Campaign,
    published_only: bool,
    today: time::Date,
) -> Result<(Vec<tracker::PartyRow>, Vec<ConclusionRow>), DashboardError> {
    let filter = crate::store::ActionFilter {
        campaign_ids: Some(vec![campaign.id.clone()]),
        published_only,
        ..Default::default()
    };
    let actions = store.actions(&filter).await?;
    let orgs = store.organisations(&campaign.id).await?;
    let assumptions = store.assumptions(&campaign.id).await?;
    let conclusions = store
        .conclusions(&campaign.id)
        .await?
        .into_iter()
        .filter_map(|c| {
            let a = assumptions.iter().find(|a| a.id == c.assumption_id)?;
            Some(ConclusionRow {
                assumption: a.statement.clone(),
                verdict: c.verdict.label().to_string(),
                reasoning: c.reasoning,
            })
        })
        .collect();
    Ok((tracker::track(&actions, &orgs, today), conclusions))
}
