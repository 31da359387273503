//! Discovery of common threads as the application runs it: gather a campaign's (or a story
//! set's) stories, cluster them (`analysis::discovery`), keep the result with everything a
//! facilitator needs to judge a thread (its words, size, share per perspective, the stories
//! that show it best, how stable it is), and let people rename, merge, split and promote threads.

use super::Tx;
use super::error::{Result, TaggingError};
use crate::analysis::discovery::{self, Discovery, Doc, K, Params};
use crate::domain::job::Job;
use crate::domain::theme::{PALETTE, Tag, TagSource, TagState, Theme};
use crate::domain::{Actor, AuditAction, AuditEntry, Perspective, Story};
use crate::jobs::{Cancelled, JobError, JobHandle, Progress};
use crate::search::SearchHandle;
use crate::search::exec::{self, SearchRequest, Sort};
use crate::store::{DynStore, StoryCursor};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

/// What a discovery job was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// `None`: choose automatically in `auto_min..=auto_max`.
    pub k: Option<usize>,
    #[serde(default = "default_auto_min")]
    pub auto_min: usize,
    #[serde(default = "default_auto_max")]
    pub auto_max: usize,
    pub seed: u64,
    /// Only the stories of this saved story set (frozen ids, or its search at run time).
    #[serde(default)]
    pub set_id: Option<String>,
}

fn default_auto_min() -> usize {
    4
}
fn default_auto_max() -> usize {
    15
}

/// A thread as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: usize,
    /// A name people gave it; the label terms until then.
    #[serde(default)]
    pub name: Option<String>,
    pub label_terms: Vec<String>,
    pub size: usize,
    pub stability: f64,
    /// Share of the thread's stories per perspective (`youth`, …).
    pub shares: BTreeMap<String, f64>,
    pub representatives: Vec<String>,
    pub members: Vec<(String, f64)>,
    /// The theme this thread was promoted to.
    #[serde(default)]
    pub theme_id: Option<String>,
    /// Set for a thread that gathers the stories of a language too rare to cluster with the rest.
    #[serde(default)]
    pub language: Option<String>,
}

/// The result of a discovery job, kept as the job's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub request: Request,
    pub stories: usize,
    pub k: usize,
    pub k_scores: Vec<(usize, f64)>,
    pub vocabulary_size: usize,
    pub threads: Vec<ThreadView>,
    pub unassigned: Vec<(String, f64)>,
    /// The raw clustering, for split and merge.
    pub discovery: Discovery,
}

/// The stories of a campaign, or of a saved story set: its frozen ids, or its search run now
/// (which needs the search index).
pub async fn stories_for(
    store: &DynStore,
    search: Option<&SearchHandle>,
    campaign_id: &str,
    set_id: Option<&str>,
) -> anyhow::Result<Vec<Story>> {
    if let Some(set_id) = set_id {
        let set = store.story_set(set_id).await?;
        let ids = match set.story_ids {
            Some(ids) => ids,
            None => {
                let search =
                    search.ok_or_else(|| anyhow::anyhow!("a saved search needs the search index"))?;
                set_ids(search, campaign_id, &set.query).await?
            }
        };
        let mut stories = store.stories_by_ids(&ids).await?;
        stories.retain(|s| s.campaign_id == campaign_id);
        stories.sort_by(|a, b| a.id.cmp(&b.id));
        return Ok(stories);
    }
    let mut out = Vec::new();
    let mut cursor: Option<StoryCursor> = None;
    loop {
        let page = store.stories_page(campaign_id, cursor.as_ref(), 5_000).await?;
        let Some(last) = page.last() else { break };
        cursor = Some(StoryCursor { created_at: last.created_at, id: last.id.clone() });
        out.extend(page);
    }
    Ok(out)
}

/// The ids a saved search (`q=…&f=…`, as the search page saves it) finds in one campaign now.
async fn set_ids(search: &SearchHandle, campaign_id: &str, query: &str) -> anyhow::Result<Vec<String>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let q = pairs.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone()).unwrap_or_default();
    let filters =
        pairs.iter().filter(|(k, v)| k == "f" && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect();
    let Some(live) = search.live() else {
        anyhow::bail!("de zoekindex wordt opnieuw opgebouwd; probeer het zo weer")
    };
    let req = SearchRequest {
        q,
        filters,
        sort: Sort::Oldest,
        offset: 0,
        limit: 100,
        scope: Some(vec![campaign_id.to_string()]),
        snippets: false,
        choice_facets: false,
        ids: None,
    };
    Ok(tokio::task::spawn_blocking(move || exec::all_ids(&live, &req, crate::tagging::rules::MAX_MATCHES))
        .await??)
}

pub fn docs_of(stories: &[Story]) -> Vec<Doc> {
    stories
        .iter()
        .map(|s| Doc {
            id: s.id.clone(),
            text: match &s.title {
                Some(t) => format!("{t}\n\n{}", s.text),
                None => s.text.clone(),
            },
            language: s.language.clone(),
        })
        .collect()
}

pub fn params_of(req: &Request) -> Params {
    Params {
        k: match req.k {
            Some(k) => K::Fixed(k.clamp(2, 60)),
            None => K::Auto { min: req.auto_min.max(2), max: req.auto_max.max(req.auto_min.max(2)) },
        },
        seed: req.seed,
        ..Params::default()
    }
}

fn views(d: &Discovery, stories: &[Story], old: Option<&Run>) -> Vec<ThreadView> {
    let perspective: HashMap<&str, Perspective> =
        stories.iter().map(|s| (s.id.as_str(), s.perspective)).collect();
    d.threads
        .iter()
        .map(|t| {
            let mut counts: BTreeMap<String, f64> = BTreeMap::new();
            for m in &t.members {
                if let Some(p) = perspective.get(m.doc_id.as_str()) {
                    *counts.entry(p.as_str().to_string()).or_default() += 1.0;
                }
            }
            let n = t.members.len().max(1) as f64;
            let shares = counts.into_iter().map(|(k, v)| (k, v / n)).collect();
            let kept = old.and_then(|o| o.threads.iter().find(|v| v.id == t.id));
            ThreadView {
                id: t.id,
                name: kept.and_then(|k| k.name.clone()),
                label_terms: t.label_terms.clone(),
                size: t.size,
                stability: t.stability,
                shares,
                representatives: t.representatives.clone(),
                members: t.members.iter().map(|m| (m.doc_id.clone(), m.score)).collect(),
                theme_id: kept.and_then(|k| k.theme_id.clone()),
                language: t.language.clone(),
            }
        })
        .collect()
}

fn run_of(req: Request, d: Discovery, stories: &[Story], old: Option<&Run>) -> Run {
    Run {
        threads: views(&d, stories, old),
        unassigned: d.unassigned.iter().map(|m| (m.doc_id.clone(), m.score)).collect(),
        stories: stories.len(),
        k: d.k,
        k_scores: d.k_scores.clone(),
        vocabulary_size: d.vocabulary_size,
        request: req,
        discovery: d,
    }
}

/// Runs a discovery (the job's work).
pub async fn discover(
    store: &DynStore,
    search: Option<&SearchHandle>,
    campaign_id: &str,
    req: Request,
    progress: Progress,
) -> anyhow::Result<Run> {
    progress.report(0.02, "verhalen laden");
    let stories = stories_for(store, search, campaign_id, req.set_id.as_deref()).await?;
    anyhow::ensure!(stories.len() >= 10, "te weinig verhalen om draden in te vinden ({})", stories.len());
    let docs = docs_of(&stories);
    let params = params_of(&req);
    let p = progress.clone();
    let d = tokio::task::spawn_blocking(move || {
        let mut cb = |f: f64| p.report(0.05 + 0.95 * f, "draden zoeken");
        discovery::discover(&docs, &params, &mut cb)
    })
    .await?
    .map_err(|_| Cancelled)?;
    Ok(run_of(req, d, &stories, None))
}

/// The stories a run was made of, in the order the run saw them (ids sorted the same way).
/// Stories that arrived since stay out, deleted ones are gone.
async fn members_of(store: &DynStore, campaign_id: &str, run: &Run) -> anyhow::Result<Vec<Story>> {
    let ids: Vec<String> = run
        .discovery
        .threads
        .iter()
        .flat_map(|t| t.members.iter())
        .chain(run.discovery.unassigned.iter())
        .map(|m| m.doc_id.clone())
        .collect();
    let mut stories = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        stories.extend(store.stories_by_ids(chunk).await?);
    }
    stories.retain(|s| s.campaign_id == campaign_id);
    stories.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(stories)
}

/// Splits a thread into `k` (re-run inside it).
pub async fn split(
    store: &DynStore,
    campaign_id: &str,
    run: &Run,
    thread: usize,
    k: usize,
    progress: Progress,
) -> anyhow::Result<Run> {
    let stories = members_of(store, campaign_id, run).await?;
    let docs = docs_of(&stories);
    let params = params_of(&run.request);
    let d0 = run.discovery.clone();
    let d = tokio::task::spawn_blocking(move || {
        discovery::split(&docs, &d0, thread, K::Fixed(k.clamp(2, 10)), &params, &mut |f| {
            progress.report(f, "draad splitsen")
        })
    })
    .await?
    .map_err(|_| Cancelled)?;
    Ok(run_of(run.request.clone(), d, &stories, Some(run)))
}

/// Merges two threads into one.
pub async fn merge(
    store: &DynStore,
    campaign_id: &str,
    run: &Run,
    a: usize,
    b: usize,
    progress: Progress,
) -> anyhow::Result<Run> {
    let stories = members_of(store, campaign_id, run).await?;
    let docs = docs_of(&stories);
    let params = params_of(&run.request);
    let d0 = run.discovery.clone();
    let d = tokio::task::spawn_blocking(move || {
        discovery::merge(&docs, &d0, a, b, &params, &mut |f| progress.report(f, "draden samenvoegen"))
    })
    .await?
    .map_err(|_| Cancelled)?;
    let mut new = run_of(run.request.clone(), d, &stories, Some(run));
    // The merged thread keeps a name either side had.
    let name = run.threads.iter().filter(|t| t.id == a || t.id == b).find_map(|t| t.name.clone());
    if let Some(t) =
        new.threads.iter_mut().find(|t| t.id != a && t.id != b && !run.threads.iter().any(|o| o.id == t.id))
    {
        t.name = name;
    }
    Ok(new)
}

/// The theme a promoted thread becomes and the suggestions its stories get: a name no live theme
/// has yet, the thread's words as description and explanation. Pure.
pub fn promotion(
    campaign_id: &str,
    existing: &[Theme],
    t: &ThreadView,
    theme_id: &str,
    now: OffsetDateTime,
) -> (Theme, Vec<Tag>) {
    let base = t
        .name
        .clone()
        .unwrap_or_else(|| t.label_terms.iter().take(3).cloned().collect::<Vec<_>>().join(", "));
    let mut name = base.clone();
    let mut n = 2;
    while existing.iter().any(|e| e.name.eq_ignore_ascii_case(&name)) {
        name = format!("{base} ({n})");
        n += 1;
    }
    let theme = Theme {
        id: theme_id.to_string(),
        campaign_id: Some(campaign_id.to_string()),
        name,
        description: format!("Gevonden als rode draad: {}.", t.label_terms.join(", ")),
        colour: PALETTE[existing.len() % PALETTE.len()].to_string(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    let words: Vec<(String, f64)> = t.label_terms.iter().take(5).map(|w| (w.clone(), 1.0)).collect();
    let tags = t
        .members
        .iter()
        .map(|(story, score)| Tag {
            story_id: story.clone(),
            theme_id: theme.id.clone(),
            source: TagSource::Model,
            state: TagState::Suggested,
            confidence: Some(score.clamp(0.0, 1.0)),
            explanation: Some(words.clone()),
            by_user: None,
            at: now,
        })
        .collect();
    (theme, tags)
}

/// How often a run change is tried again when someone else saved the run in between.
const ATTEMPTS: usize = 5;

fn busy() -> TaggingError {
    TaggingError::Conflict(
        "Iemand anders verandert deze draden op dit moment. Wacht even en probeer het opnieuw.".into(),
    )
}

/// The run of a finished job of this campaign, with the stored value to compare against.
async fn run_in(tx: &mut Tx, campaign_id: &str, job_id: &str) -> Result<(serde_json::Value, Run)> {
    let job = tx.job(job_id).await?;
    if job.campaign_id.as_deref() != Some(campaign_id) {
        return Err(TaggingError::NotFound);
    }
    match (job.result.clone(), run_of_job(&job)) {
        (Some(v), Some(run)) => Ok((v, run)),
        _ => Err(TaggingError::NotFound),
    }
}

fn thread_of(run: &mut Run, thread: usize) -> Result<&mut ThreadView> {
    run.threads.iter_mut().find(|t| t.id == thread).ok_or(TaggingError::NotFound)
}

fn thread_audit(by: &Actor, campaign_id: &str, details: serde_json::Value) -> AuditEntry {
    AuditEntry::new(by.clone(), AuditAction::CampaignChanged)
        .campaign(campaign_id.to_string())
        .target(format!("campaign:{campaign_id}"))
        .details(details)
}

/// Longest name of a thread.
pub const MAX_THREAD_NAME: usize = 80;

/// Names a thread of a run (`None` or blank: back to its words). The run is saved only if
/// nobody changed it in between (else read again and redone), with the audit entry.
pub async fn rename(
    store: &DynStore,
    by: &Actor,
    campaign_id: &str,
    job_id: &str,
    thread: usize,
    name: &str,
) -> Result<()> {
    let name = name.trim();
    if name.chars().count() > MAX_THREAD_NAME || name.contains('\n') {
        return Err(TaggingError::Invalid("Een naam is één regel van hoogstens 80 tekens.".into()));
    }
    let name = (!name.is_empty()).then(|| name.to_string());
    for _ in 0..ATTEMPTS {
        let mut tx = store.begin().await?;
        let (expected, mut run) = run_in(&mut tx, campaign_id, job_id).await?;
        thread_of(&mut run, thread)?.name = name.clone();
        let value = serde_json::to_value(&run).map_err(anyhow::Error::from)?;
        if !tx.save_job_result(job_id, &expected, &value).await? {
            continue;
        }
        let details = json!({ "change": "thread_renamed", "run": job_id, "thread": thread });
        tx.audit(&thread_audit(by, campaign_id, details)).await?;
        tx.commit().await?;
        return Ok(());
    }
    Err(busy())
}

/// Makes a thread a theme of the campaign's codebook: the theme, its suggestions for the
/// thread's stories, the thread's link to the theme in the run, and the audit entry, in one
/// transaction. Two facilitators promoting the same thread at once make one theme: the run is
/// compared-and-swapped, and the second is told the thread already is a theme.
pub async fn promote(
    store: &DynStore,
    by: &Actor,
    campaign_id: &str,
    job_id: &str,
    thread: usize,
    now: OffsetDateTime,
) -> Result<Theme> {
    for _ in 0..ATTEMPTS {
        let mut tx = store.begin().await?;
        let (expected, mut run) = run_in(&mut tx, campaign_id, job_id).await?;
        let existing: Vec<Theme> =
            tx.themes(Some(campaign_id)).await?.into_iter().filter(|t| t.merged_into.is_none()).collect();
        let t = thread_of(&mut run, thread)?;
        if t.theme_id.is_some() {
            return Err(TaggingError::Conflict("Deze draad is al een thema.".into()));
        }
        let (theme, tags) = promotion(campaign_id, &existing, t, &uuid::Uuid::new_v4().to_string(), now);
        t.theme_id = Some(theme.id.clone());
        let value = serde_json::to_value(&run).map_err(anyhow::Error::from)?;
        if !tx.save_job_result(job_id, &expected, &value).await? {
            continue;
        }
        tx.create_theme(&theme).await?;
        tx.set_tags(&tags).await?;
        let details = json!({ "promoted_thread": thread, "theme": theme.id, "run": job_id });
        tx.audit(&thread_audit(by, campaign_id, details)).await?;
        tx.commit().await?;
        return Ok(theme);
    }
    Err(busy())
}

/// The JSON the command line prints: threads with their members (and external ids).
pub fn cli_json(run: &Run, stories: &[Story]) -> serde_json::Value {
    let external: HashMap<&str, Option<&str>> =
        stories.iter().map(|s| (s.id.as_str(), s.external_id.as_deref())).collect();
    let member = |(id, score): &(String, f64)| {
        serde_json::json!({
            "story_id": id,
            "external_id": external.get(id.as_str()).copied().flatten(),
            "score": (score * 10_000.0).round() / 10_000.0,
        })
    };
    serde_json::json!({
        "k": run.k,
        "k_scores": run.k_scores,
        "threads": run.threads.iter().map(|t| serde_json::json!({
            "id": t.id,
            "label_terms": t.label_terms,
            "size": t.size,
            "stability": t.stability,
            "representatives": t.representatives,
            "members": t.members.iter().map(member).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "unassigned": run.unassigned.iter().map(member).collect::<Vec<_>>(),
    })
}

/// Job kinds whose result is a `Run`.
pub const RUN_KINDS: [&str; 3] = ["discover", "split", "merge"];

/// Starts a discovery job (one job at a time per campaign).
pub async fn start_discover(
    jobs: &JobHandle,
    store: &DynStore,
    search: &SearchHandle,
    campaign_id: &str,
    req: Request,
    by: Option<String>,
) -> Result<Job, JobError> {
    let (store, search, campaign) = (store.clone(), search.clone(), campaign_id.to_string());
    let params = serde_json::to_value(&req).unwrap_or_default();
    jobs.start(campaign_id, "discover", params, by, move |p| async move {
        let run = discover(&store, Some(&search), &campaign, req, p).await?;
        Ok(serde_json::to_value(run)?)
    })
    .await
}

/// What to change in a run, as a job of its own whose result is the new run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "lowercase")]
pub enum Change {
    Split { thread: usize, k: usize },
    Merge { a: usize, b: usize },
}

/// Starts a split or merge of a run's threads; the new run keeps names and promotions.
pub async fn start_change(
    jobs: &JobHandle,
    store: &DynStore,
    campaign_id: &str,
    from_job: &str,
    run: Run,
    change: Change,
    by: &Actor,
) -> Result<Job, JobError> {
    let (store, campaign) = (store.clone(), campaign_id.to_string());
    let kind = match change {
        Change::Split { .. } => "split",
        Change::Merge { .. } => "merge",
    };
    let mut params = serde_json::to_value(change).unwrap_or_default();
    if let Some(map) = params.as_object_mut() {
        map.insert("from_job".into(), from_job.into());
    }
    let details = json!({ "change": format!("threads_{kind}"), "params": params.clone() });
    let audit = AuditEntry::new(by.clone(), AuditAction::CampaignChanged)
        .campaign(campaign_id.to_string())
        .details(details);
    jobs.start_audited(campaign_id, kind, params, by.user_id.clone(), Some(audit), move |p| async move {
        let new = match change {
            Change::Split { thread, k } => split(&store, &campaign, &run, thread, k, p).await?,
            Change::Merge { a, b } => merge(&store, &campaign, &run, a, b, p).await?,
        };
        Ok(serde_json::to_value(new)?)
    })
    .await
}

/// The run a finished discovery, split or merge job produced.
pub fn run_of_job(job: &Job) -> Option<Run> {
    if !RUN_KINDS.contains(&job.kind.as_str()) {
        return None;
    }
    job.result.as_ref().and_then(|v| serde_json::from_value(v.clone()).ok())
}
