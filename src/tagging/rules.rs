//! Rule tags: a theme's rule is a search query; the stories of the campaign that match it carry
//! a `source = rule` tag. New stories are rule-tagged as soon as the index has them; editing a
//! rule shows what would change before anything is saved.

use crate::domain::theme::{Tag, TagSource, TagState, Theme};
use crate::search::SearchHandle;
use crate::search::exec::{self, SearchError, SearchRequest, Sort};
use crate::store::DynStore;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;
use time::OffsetDateTime;

/// Most stories a rule can tag (the whole of a large campaign).
pub const MAX_MATCHES: usize = 2_000_000;

/// The campaign's stories that match a rule (optionally among `ids` only).
pub async fn matching(
    search: &SearchHandle,
    campaign_id: &str,
    rule: &str,
    ids: Option<Vec<String>>,
) -> Result<Vec<String>, SearchError> {
    let Some(live) = search.live() else { return Err(SearchError::Rebuilding) };
    let req = SearchRequest {
        q: rule.to_string(),
        filters: Vec::new(),
        sort: Sort::Oldest,
        offset: 0,
        limit: 100,
        scope: Some(vec![campaign_id.to_string()]),
        snippets: false,
        choice_facets: false,
        ids,
    };
    tokio::task::spawn_blocking(move || exec::all_ids(&live, &req, MAX_MATCHES))
        .await
        .unwrap_or_else(|e| Err(SearchError::Index(tantivy::TantivyError::InternalError(e.to_string()))))
}

/// What saving a rule would change: stories that would gain and lose the tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub total: usize,
}

pub async fn preview(
    store: &DynStore,
    search: &SearchHandle,
    theme: &Theme,
    rule: &str,
) -> anyhow::Result<Preview> {
    let campaign =
        theme.campaign_id.as_deref().ok_or_else(|| anyhow::anyhow!("global themes have no stories"))?;
    let now: BTreeSet<String> = if rule.trim().is_empty() {
        BTreeSet::new()
    } else {
        matching(search, campaign, rule, None).await?.into_iter().collect()
    };
    let current: BTreeSet<String> = store
        .tags_for_campaign(campaign)
        .await?
        .into_iter()
        .filter(|t| t.theme_id == theme.id && t.source == TagSource::Rule)
        .map(|t| t.story_id)
        .collect();
    Ok(Preview {
        added: now.difference(&current).cloned().collect(),
        removed: current.difference(&now).cloned().collect(),
        total: now.len(),
    })
}

/// Re-tags the campaign's stories with a theme's current rule; returns (added, removed).
pub async fn apply(store: &DynStore, search: &SearchHandle, theme: &Theme) -> anyhow::Result<(u64, u64)> {
    let Some(campaign) = theme.campaign_id.as_deref() else { return Ok((0, 0)) };
    let ids = match theme.rule.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(rule) if theme.merged_into.is_none() => matching(search, campaign, rule, None).await?,
        _ => Vec::new(),
    };
    Ok(store.replace_rule_tags(&theme.id, &ids).await?)
}

/// Applies every rule of a campaign (the re-tag job); `progress` gets (done, total).
pub async fn apply_all(
    store: &DynStore,
    search: &SearchHandle,
    campaign_id: &str,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> anyhow::Result<(u64, u64)> {
    let themes: Vec<Theme> = store
        .themes(Some(campaign_id))
        .await?
        .into_iter()
        .filter(|t| t.rule.is_some() && t.merged_into.is_none())
        .collect();
    let (mut added, mut removed) = (0, 0);
    for (i, t) in themes.iter().enumerate() {
        if !progress(i, themes.len()) {
            return Err(crate::jobs::Cancelled.into());
        }
        let (a, r) = apply(store, search, t).await?;
        added += a;
        removed += r;
    }
    progress(themes.len(), themes.len());
    Ok((added, removed))
}

/// Starts the re-tag job: every rule of the campaign applied again.
pub async fn start_apply_all(
    jobs: &crate::jobs::JobHandle,
    store: &DynStore,
    search: &SearchHandle,
    campaign_id: &str,
    by: Option<String>,
) -> Result<crate::domain::job::Job, crate::jobs::JobError> {
    let (store, search, campaign) = (store.clone(), search.clone(), campaign_id.to_string());
    jobs.start(campaign_id, "retag", serde_json::json!({}), by, move |p| async move {
        let (added, removed) = apply_all(&store, &search, &campaign, |done, total| {
            p.report(done as f64 / total.max(1) as f64, &format!("regel {done} van {total}"))
        })
        .await?;
        Ok(serde_json::json!({ "added": added, "removed": removed }))
    })
    .await
}

/// Name of the rule follower's persisted position and of its lease.
const FOLLOWER: &str = "rule-tags";

/// Rule-tags stories once the index has them: follows the event log behind this instance's
/// indexer and evaluates the campaign's rules on the stories that changed. Writes only when a
/// story's rule tags actually change, so its own tag events settle after one round.
///
/// The position is stored in the database, so stories that arrived while the service was down
/// (`luister import` into a stopped instance) are tagged when it starts; the first run ever
/// reads the whole log. With several instances only the lease holder follows.
pub async fn follow(store: DynStore, search: SearchHandle) {
    let mut lease = crate::jobs::Lease::new(store.clone(), FOLLOWER);
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if !lease.held().await {
            continue;
        }
        let ready = search.applied_seq();
        let seen = match store.follower_position(FOLLOWER).await {
            Ok(seen) => seen.unwrap_or(0),
            Err(e) => {
                tracing::warn!(error = %e, "rule tagging cannot read its position; retrying");
                continue;
            }
        };
        if ready <= seen {
            continue;
        }
        let done = match follow_once(&store, &search, seen, ready).await {
            Ok(()) => store.set_follower_position(FOLLOWER, ready).await.map_err(anyhow::Error::from),
            Err(e) => Err(e),
        };
        if let Err(e) = done {
            tracing::warn!(error = %e, "rule tagging of new stories failed; retrying");
        }
    }
}

async fn follow_once(store: &DynStore, search: &SearchHandle, after: i64, upto: i64) -> anyhow::Result<()> {
    let mut cursor = after;
    while cursor < upto {
        let events = store.events_after(cursor, 2_000).await?;
        let Some(last) = events.last().map(|e| e.seq) else { break };
        cursor = last;
        let mut by_campaign: HashMap<String, BTreeSet<String>> = HashMap::new();
        for e in events.iter().filter(|e| e.seq <= upto && e.kind == crate::domain::StoryEventKind::Upsert) {
            by_campaign.entry(e.campaign_id.clone()).or_default().insert(e.story_id.clone());
        }
        for (campaign, stories) in by_campaign {
            tag_new(store, search, &campaign, stories.into_iter().collect()).await?;
        }
    }
    Ok(())
}

/// Evaluates a campaign's rules on some of its stories and brings their rule tags in line.
pub async fn tag_new(
    store: &DynStore,
    search: &SearchHandle,
    campaign_id: &str,
    ids: Vec<String>,
) -> anyhow::Result<()> {
    let themes: Vec<Theme> = store
        .themes(Some(campaign_id))
        .await?
        .into_iter()
        .filter(|t| t.merged_into.is_none() && t.rule.as_deref().is_some_and(|r| !r.trim().is_empty()))
        .collect();
    if themes.is_empty() || ids.is_empty() {
        return Ok(());
    }
    let existing = store.tags_for_stories(&ids).await?;
    let now = OffsetDateTime::now_utc();
    let mut to_set = Vec::new();
    for theme in &themes {
        let rule = theme.rule.as_deref().unwrap_or_default();
        let matched: BTreeSet<String> =
            matching(search, campaign_id, rule, Some(ids.clone())).await?.into_iter().collect();
        let tagged: BTreeSet<&str> = existing
            .iter()
            .filter(|t| t.theme_id == theme.id && t.source == TagSource::Rule)
            .map(|t| t.story_id.as_str())
            .collect();
        for id in &matched {
            if !tagged.contains(id.as_str()) {
                to_set.push(Tag {
                    story_id: id.clone(),
                    theme_id: theme.id.clone(),
                    source: TagSource::Rule,
                    state: TagState::Accepted,
                    confidence: None,
                    explanation: None,
                    by_user: None,
                    at: now,
                });
            }
        }
        for id in tagged.iter().filter(|id| !matched.contains(**id)) {
            store.remove_tag(id, &theme.id, TagSource::Rule, None).await?;
        }
    }
    if !to_set.is_empty() {
        store.set_tags(&to_set).await?;
    }
    Ok(())
}
