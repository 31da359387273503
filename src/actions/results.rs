//! "You said, we did": what a campaign publishes back to its storytellers — a short summary,
//! the actions marked published (status and last update), and quotes taken from a published
//! frozen map's disclosed view (cells of at least k stories only; a withdrawn story never).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

use super::{ActionsError, Result, invalid};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign};
use crate::store::{ActionFilter, CampaignResults, DynStore, PublishedQuote};

pub const MAX_SUMMARY: usize = 4000;

/// A published action as the storyteller sees it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ResultAction {
    pub title: String,
    pub responsible_party: String,
    /// open, in_progress, done or dropped.
    pub status: String,
    /// The status in Dutch, for pages.
    #[serde(skip)]
    pub status_label: String,
    /// The latest dated update ("" when none), with its day.
    pub last_update: String,
}

/// A published quote as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultQuote {
    pub theme: String,
    pub group: String,
    pub text: String,
}

/// A campaign's published results.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The summary ("" when none is published).
    pub summary: String,
    pub actions: Vec<ResultAction>,
    #[serde(skip)]
    pub quotes: Vec<ResultQuote>,
}

impl Results {
    pub fn is_empty(&self) -> bool {
        self.summary.is_empty() && self.actions.is_empty() && self.quotes.is_empty()
    }
}

/// What `campaign` has published, read now: a quote whose story was withdrawn is left out even
/// if its row is still there.
pub async fn published(store: &DynStore, campaign: &Campaign) -> Result<Results> {
    let summary = store
        .campaign_results(&campaign.id)
        .await?
        .filter(|r| r.published_at.is_some())
        .map(|r| r.summary)
        .unwrap_or_default();
    let actions = store
        .actions(&ActionFilter {
            campaign_ids: Some(vec![campaign.id.clone()]),
            published_only: true,
            ..ActionFilter::default()
        })
        .await?;
    let orgs: HashMap<String, String> =
        store.organisations(&campaign.id).await?.into_iter().map(|o| (o.id, o.name)).collect();
    let ids: Vec<String> = actions.iter().map(|a| a.id.clone()).collect();
    let last: HashMap<String, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        store
            .last_updates(&ids)
            .await?
            .into_iter()
            .map(|e| (e.action_id.clone(), format!("{}: {}", crate::domain::action::day(e.on_date), e.note)))
            .collect()
    };
    let actions = actions
        .into_iter()
        .map(|a| ResultAction {
            responsible_party: a
                .fields
                .organisation_id
                .as_ref()
                .and_then(|o| orgs.get(o).cloned())
                .unwrap_or_default(),
            status: a.fields.status.as_str().into(),
            status_label: a.fields.status.label().into(),
            last_update: last.get(&a.id).cloned().unwrap_or_default(),
            title: a.fields.title,
        })
        .collect();
    let quotes = store.published_quotes(&campaign.id).await?;
    let present: HashSet<String> = if quotes.is_empty() {
        HashSet::new()
    } else {
        let ids: Vec<String> = quotes.iter().map(|q| q.story_id.clone()).collect();
        store.stories_by_ids(&ids).await?.into_iter().map(|s| s.id).collect()
    };
    let quotes = quotes
        .into_iter()
        .filter(|q| present.contains(&q.story_id))
        .map(|q| ResultQuote { theme: q.theme, group: q.group_label, text: q.text })
        .collect();
    Ok(Results { summary, actions, quotes })
}

/// Saves the summary; `publish` puts it on the public page (or takes it off).
pub async fn save_summary(
    store: &DynStore,
    campaign: &Campaign,
    summary: &str,
    publish: bool,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<CampaignResults> {
    let summary = summary.trim();
    if summary.chars().count() > MAX_SUMMARY {
        return Err(invalid("summary", format!("Houd de samenvatting korter dan {MAX_SUMMARY} tekens.")));
    }
    if publish && summary.is_empty() {
        return Err(invalid("summary", "Schrijf een samenvatting voordat je die publiceert."));
    }
    let before = store.campaign_results(&campaign.id).await?;
    let results = CampaignResults {
        campaign_id: campaign.id.clone(),
        summary: summary.to_string(),
        // Publishing again keeps the first publication date.
        published_at: publish.then(|| before.as_ref().and_then(|b| b.published_at).unwrap_or(now)),
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    tx.save_results(&results).await?;
    tx.audit(
        &AuditEntry::new(actor, AuditAction::ResultsPublished)
            .target(format!("campaign:{}", campaign.id))
            .campaign(&campaign.id)
            .details(json!({ "summary": true, "published": publish })),
    )
    .await?;
    tx.commit().await?;
    Ok(results)
}

/// A quote a facilitator may publish: from a published frozen map of the campaign, in a cell
/// its disclosed view shows with at least k stories, its story still there.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub map_id: String,
    pub map_title: String,
    pub theme: String,
    pub group: String,
    pub story_id: String,
    pub text: String,
    pub published: bool,
}

/// Every quote that may be published, from the campaign's published maps.
pub async fn candidates(store: &DynStore, campaign: &Campaign) -> Result<Vec<Candidate>> {
    let published: HashSet<String> =
        store.published_quotes(&campaign.id).await?.into_iter().map(|q| q.story_id).collect();
    let mut out: Vec<Candidate> = Vec::new();
    for map in store.frozen_maps(&campaign.id).await? {
        if map.published_at.is_none() {
            continue;
        }
        let k = map.snapshot.get("k").and_then(|k| k.as_u64()).unwrap_or(5).max(1);
        let (id, title) = (map.id.clone(), map.title.clone());
        let shown = crate::maps::frozen::show(store, map, true).await.map_err(|e| {
            ActionsError::Store(crate::store::StoreError::Other(anyhow::anyhow!(e.to_string())))
        })?;
        for theme in &shown.view.themes {
            for cell in &theme.cells {
                // A hidden cell shows "<k" or "×": never a number, so never a candidate.
                if cell.shown.trim().parse::<u64>().map_or(true, |n| n < k) {
                    continue;
                }
                for q in &cell.quotes {
                    if out.iter().any(|c| c.story_id == q.story_id) {
                        continue;
                    }
                    out.push(Candidate {
                        map_id: id.clone(),
                        map_title: title.clone(),
                        theme: theme.label.clone(),
                        group: cell.group.clone(),
                        story_id: q.story_id.clone(),
                        text: q.text.clone(),
                        published: published.contains(&q.story_id),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Publishes the quote of `story_id` from map `map_id` (or takes it off the results page).
pub async fn publish_quote(
    store: &DynStore,
    campaign: &Campaign,
    map_id: &str,
    story_id: &str,
    publish: bool,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    let quote = if publish {
        let c = candidates(store, campaign)
            .await?
            .into_iter()
            .find(|c| c.map_id == map_id && c.story_id == story_id)
            .ok_or_else(|| {
                invalid(
                    "quote",
                    "Dit citaat komt niet uit een cel van een gepubliceerde kaart met genoeg verhalen.",
                )
            })?;
        PublishedQuote {
            campaign_id: campaign.id.clone(),
            story_id: c.story_id,
            map_id: c.map_id,
            theme: c.theme,
            group_label: c.group,
            text: c.text,
            created_at: now,
        }
    } else {
        PublishedQuote {
            campaign_id: campaign.id.clone(),
            story_id: story_id.to_string(),
            map_id: map_id.to_string(),
            theme: String::new(),
            group_label: String::new(),
            text: String::new(),
            created_at: now,
        }
    };
    let mut tx = store.begin().await?;
    tx.set_published_quote(&quote, publish).await?;
    tx.audit(
        &AuditEntry::new(actor, AuditAction::ResultsPublished)
            .target(format!("story:{story_id}"))
            .campaign(&campaign.id)
            .details(json!({ "quote": true, "map": map_id, "published": publish })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
