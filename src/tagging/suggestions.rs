//! Suggestions learned from people's coding: train the model (`analysis::suggest`) on the
//! campaign's accepted and rejected tags, propose tags with a calibrated confidence (and the
//! words that drove them) for stories nobody decided on, and retrain in the background after
//! people code.

use crate::analysis::suggest::{self, Evaluation, Example, Params};
use crate::domain::theme::{Tag, TagSource, TagState, Theme, effective_state};
use crate::jobs::{Cancelled, JobHandle, Progress};
use crate::store::DynStore;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use time::OffsetDateTime;

/// What a retraining did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub stories: usize,
    pub labelled: usize,
    pub themes_trained: Vec<String>,
    /// Themes with too few accepted or rejected stories to learn from, with their counts.
    pub themes_skipped: Vec<(String, usize, usize)>,
    pub suggestions: u64,
}

/// The examples people's decisions make: per story, for each theme with a decision, whether it
/// applies. Rule tags count as accepted (the facilitator wrote the rule); model suggestions
/// count only once a person accepted or rejected them.
pub fn examples(
    stories: &[crate::domain::Story],
    tags: &[Tag],
    themes: &[Theme],
) -> (Vec<Example>, HashMap<(String, String), TagState>) {
    let names: HashMap<&str, &str> = themes.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    let mut by_story: HashMap<&str, BTreeMap<&str, Vec<&Tag>>> = HashMap::new();
    for t in tags.iter().filter(|t| names.contains_key(t.theme_id.as_str())) {
        by_story.entry(t.story_id.as_str()).or_default().entry(t.theme_id.as_str()).or_default().push(t);
    }
    let mut decided = HashMap::new();
    let examples = stories
        .iter()
        .map(|s| {
            let mut labels = Vec::new();
            if let Some(themes) = by_story.get(s.id.as_str()) {
                for (theme, ts) in themes {
                    let decisions: Vec<&Tag> = ts
                        .iter()
                        .copied()
                        .filter(|t| !(t.source == TagSource::Model && t.state == TagState::Suggested))
                        .collect();
                    if let Some(state) = effective_state(&decisions) {
                        labels.push((names[theme].to_string(), state == TagState::Accepted));
                        decided.insert((s.id.clone(), theme.to_string()), state);
                    }
                }
            }
            Example { doc_id: s.id.clone(), text: text_of(s), language: s.language.clone(), labels }
        })
        .collect();
    (examples, decided)
}

fn text_of(s: &crate::domain::Story) -> String {
    match &s.title {
        Some(t) => format!("{t}\n\n{}", s.text),
        None => s.text.clone(),
    }
}

/// Retrains the campaign's model and replaces its open suggestions (the job's work).
pub async fn retrain(store: &DynStore, campaign_id: &str, progress: Progress) -> anyhow::Result<Report> {
    progress.report(0.02, "verhalen en codering laden");
    let stories = super::threads::stories_for(store, None, campaign_id, None).await?;
    let themes: Vec<Theme> =
        store.themes(Some(campaign_id)).await?.into_iter().filter(|t| t.merged_into.is_none()).collect();
    let tags = store.tags_for_campaign(campaign_id).await?;
    let (examples, decided) = examples(&stories, &tags, &themes);
    let labelled = examples.iter().filter(|e| !e.labels.is_empty()).count();
    if !progress.report(0.1, "model trainen") {
        return Err(Cancelled.into());
    }
    let model = tokio::task::spawn_blocking({
        let examples = examples.clone();
        move || suggest::train(&examples, &Params::default())
    })
    .await?;
    if !progress.report(0.6, "voorstellen maken") {
        return Err(Cancelled.into());
    }
    let by_name: HashMap<&str, &str> = themes.iter().map(|t| (t.name.as_str(), t.id.as_str())).collect();
    let trained: Vec<String> = model.themes().iter().map(|t| t.theme.clone()).collect();
    let now = OffsetDateTime::now_utc();
    let suggestions = tokio::task::spawn_blocking({
        let by_name: HashMap<String, String> =
            by_name.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move || {
            let mut out = Vec::new();
            for e in &examples {
                for s in model.suggest(&e.text, &e.language, Params::default().threshold) {
                    let Some(theme_id) = by_name.get(&s.theme) else { continue };
                    if decided.contains_key(&(e.doc_id.clone(), theme_id.clone())) {
                        continue;
                    }
                    out.push(Tag {
                        story_id: e.doc_id.clone(),
                        theme_id: theme_id.clone(),
                        source: TagSource::Model,
                        state: TagState::Suggested,
                        confidence: Some((s.confidence * 1000.0).round() / 1000.0),
                        explanation: Some(s.words),
                        by_user: None,
                        at: now,
                    });
                }
            }
            (out, model)
        }
    })
    .await?;
    let (suggestions, model) = suggestions;
    let trained_ids: Vec<String> =
        trained.iter().filter_map(|n| by_name.get(n.as_str())).map(|s| s.to_string()).collect();
    let written = store.replace_suggestions(&trained_ids, &suggestions).await?;
    progress.report(1.0, "klaar");
    Ok(Report {
        stories: stories.len(),
        labelled,
        themes_trained: trained,
        themes_skipped: model.skipped().iter().map(|s| (s.theme.clone(), s.positives, s.negatives)).collect(),
        suggestions: written,
    })
}

/// Precision, recall and F1 per theme by k-fold cross-validation on people's coding.
pub async fn evaluate(
    store: &DynStore,
    campaign_id: &str,
    folds: usize,
    seed: u64,
) -> anyhow::Result<Evaluation> {
    let stories = super::threads::stories_for(store, None, campaign_id, None).await?;
    let themes: Vec<Theme> =
        store.themes(Some(campaign_id)).await?.into_iter().filter(|t| t.merged_into.is_none()).collect();
    let tags = store.tags_for_campaign(campaign_id).await?;
    let (examples, _) = examples(&stories, &tags, &themes);
    Ok(tokio::task::spawn_blocking(move || {
        suggest::cross_validate(&examples, folds, seed, &Params::default())
    })
    .await?)
}

/// Starts a retraining job for a campaign (one at a time per campaign).
pub async fn start(
    jobs: &JobHandle,
    store: &DynStore,
    campaign_id: &str,
    by: Option<String>,
) -> Result<crate::domain::job::Job, crate::jobs::JobError> {
    let (store, campaign) = (store.clone(), campaign_id.to_string());
    jobs.start(campaign_id, "retrain", serde_json::json!({}), by, move |p| async move {
        let report = retrain(&store, &campaign, p).await?;
        Ok(serde_json::to_value(report)?)
    })
    .await
}

/// Starts a job that measures the suggestions by k-fold cross-validation; its result is the
/// `Evaluation`.
pub async fn start_evaluate(
    jobs: &JobHandle,
    store: &DynStore,
    campaign_id: &str,
    folds: usize,
    by: Option<String>,
) -> Result<crate::domain::job::Job, crate::jobs::JobError> {
    let (store, campaign) = (store.clone(), campaign_id.to_string());
    jobs.start(campaign_id, "evaluate", serde_json::json!({ "folds": folds }), by, move |p| async move {
        p.report(0.05, "kruisvalidatie");
        let e = evaluate(&store, &campaign, folds, 1).await?;
        Ok(serde_json::to_value(e)?)
    })
    .await
}

/// Retrains a campaign's suggestions in the background a little while after people coded
/// (`quiet` without new coding), at most one job at a time per campaign. With several
/// instances only the holder of the scheduler's lease schedules.
pub async fn schedule(store: DynStore, jobs: JobHandle, quiet: Duration) {
    let mut trained_at: HashMap<String, OffsetDateTime> = HashMap::new();
    let mut lease = crate::jobs::Lease::new(store.clone(), "retrain-scheduler");
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        if !lease.held().await {
            continue;
        }
        let Ok(campaigns) = store.campaigns().await else { continue };
        for c in campaigns {
            let Ok(Some(last)) = store.last_manual_coding(&c.id).await else { continue };
            if trained_at.get(&c.id).is_some_and(|t| *t >= last) {
                continue;
            }
            if OffsetDateTime::now_utc() - last < quiet {
                continue;
            }
            match start(&jobs, &store, &c.id, None).await {
                Ok(job) => {
                    tracing::info!(campaign = %c.def.slug, job = %job.id, "retraining suggestions after new coding");
                    trained_at.insert(c.id.clone(), last);
                }
                Err(crate::jobs::JobError::Busy) => {}
                Err(e) => tracing::warn!(error = %e, "could not start retraining"),
            }
        }
    }
}
