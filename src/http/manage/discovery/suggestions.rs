//! The suggestions page: what the model learned from people's coding (when it last trained, on
//! how many coded stories, which themes it could not learn yet and why), how many suggestions
//! wait for a decision, how good they are by cross-validation, and buttons to retrain, measure,
//! or apply every rule again. Each button starts a job.

use super::{OrPage, People, Reply, campaign_for, date_time, form, started};
use crate::analysis::suggest::{Evaluation, Params};
use crate::auth::policy::Permission;
use crate::domain::job::{Job, JobStatus};
use crate::domain::theme::{TagSource, TagState};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::views::{Page, render};
use crate::tagging::{rules, suggestions};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use std::collections::BTreeMap;

pub struct TrainingView {
    pub when: String,
    pub by: String,
    pub stories: usize,
    pub labelled: usize,
    pub trained: Vec<String>,
    pub skipped: Vec<(String, usize, usize)>,
    pub suggestions: u64,
}

pub struct OpenRow {
    pub theme: String,
    pub colour: String,
    pub open: usize,
    pub accepted: usize,
    pub rejected: usize,
}

pub struct EvalRow {
    pub theme: String,
    pub precision: String,
    pub recall: String,
    pub f1: String,
    pub support: usize,
    pub labelled: usize,
}

pub struct EvaluationView {
    pub when: String,
    pub folds: usize,
    pub threshold: String,
    pub rows: Vec<EvalRow>,
    pub macro_precision: String,
    pub macro_recall: String,
    pub macro_f1: String,
    pub micro_f1: String,
    pub calibration: String,
    pub raw_calibration: String,
    pub reliability: Vec<(String, usize, String, String)>,
    pub skipped: Vec<String>,
}

#[derive(Template)]
#[template(path = "manage/suggestions.html")]
pub struct SuggestionsPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub training: Option<TrainingView>,
    pub failed: Option<String>,
    pub open: Vec<OpenRow>,
    pub evaluation: Option<EvaluationView>,
    pub running: Option<String>,
    pub may_change: bool,
    pub min_positives: usize,
    pub min_negatives: usize,
}

fn last_done<'a>(jobs: &'a [Job], kind: &str) -> Option<&'a Job> {
    jobs.iter().find(|j| j.kind == kind && j.status == JobStatus::Done)
}

fn f3(x: f64) -> String {
    format!("{x:.2}")
}

/// `GET /manage/campaigns/{slug}/suggestions`.
pub async fn page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    show(&state, &signed, &csrf, &campaign).await
}

async fn show(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, campaign: &Campaign) -> Reply {
    let jobs = state.store.jobs(&campaign.id, 100).await.or_page()?;
    let mut people = People::default();
    let training = match last_done(&jobs, "retrain") {
        Some(j) => match j.result.clone().and_then(|v| serde_json::from_value::<suggestions::Report>(v).ok())
        {
            Some(r) => Some(TrainingView {
                when: date_time(j.finished_at.unwrap_or(j.created_at)),
                by: people.name(state, j.created_by.as_deref()).await,
                stories: r.stories,
                labelled: r.labelled,
                trained: r.themes_trained,
                skipped: r.themes_skipped,
                suggestions: r.suggestions,
            }),
            None => None,
        },
        None => None,
    };
    // A failure after the last good training is worth saying.
    let failed = jobs
        .iter()
        .take_while(|j| !(j.kind == "retrain" && j.status == JobStatus::Done))
        .find(|j| j.kind == "retrain" && j.status == JobStatus::Failed)
        .map(|j| j.message.clone());
    let themes = state.store.themes(Some(&campaign.id)).await.or_page()?;
    let tags = state.store.tags_for_campaign(&campaign.id).await.or_page()?;
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for t in &tags {
        let c = counts.entry(t.theme_id.as_str()).or_default();
        match (t.source, t.state) {
            (TagSource::Model, TagState::Suggested) => c.0 += 1,
            (_, TagState::Accepted) => c.1 += 1,
            (_, TagState::Rejected) => c.2 += 1,
            _ => {}
        }
    }
    let open = themes
        .iter()
        .filter(|t| t.merged_into.is_none())
        .map(|t| {
            let (open, accepted, rejected) = counts.get(t.id.as_str()).copied().unwrap_or_default();
            OpenRow { theme: t.name.clone(), colour: t.colour.clone(), open, accepted, rejected }
        })
        .collect();
    let evaluation = last_done(&jobs, "evaluate").and_then(|j| {
        let e: Evaluation = serde_json::from_value(j.result.clone()?).ok()?;
        Some(EvaluationView {
            when: date_time(j.finished_at.unwrap_or(j.created_at)),
            folds: e.folds,
            threshold: f3(e.threshold),
            rows: e
                .themes
                .iter()
                .map(|t| EvalRow {
                    theme: t.theme.clone(),
                    precision: f3(t.precision),
                    recall: f3(t.recall),
                    f1: f3(t.f1),
                    support: t.support,
                    labelled: t.labelled,
                })
                .collect(),
            macro_precision: f3(e.macro_precision),
            macro_recall: f3(e.macro_recall),
            macro_f1: f3(e.macro_f1),
            micro_f1: f3(e.micro_f1),
            calibration: f3(e.calibration_error),
            raw_calibration: f3(e.raw_calibration_error),
            reliability: e
                .reliability
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| {
                    (format!("{:.1}–{:.1}", b.lower, b.upper), b.count, f3(b.confidence), f3(b.observed))
                })
                .collect(),
            skipped: e.skipped.clone(),
        })
    });
    let params = Params::default();
    let tpl = SuggestionsPage {
        page: Page::new(Lang::Nl, "Suggesties").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        training,
        failed,
        open,
        evaluation,
        running: jobs.iter().find(|j| j.status.is_active()).map(|j| super::job_href(campaign, &j.id)),
        may_change: signed.0.may(Permission::ManageCampaign(&campaign.id)),
        min_positives: params.min_positives,
        min_negatives: params.min_negatives,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST /manage/campaigns/{slug}/suggestions/retrain`.
pub async fn retrain(signed: SignedIn, State(state): State<AppState>, Path(slug): Path<String>) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let outcome =
        suggestions::start(&state.jobs, &state.store, &campaign.id, Some(signed.0.user.id.clone())).await;
    started(&state, &signed, &campaign, outcome).await
}

/// `POST /manage/campaigns/{slug}/suggestions/evaluate` (`folds`, 2–10, default 5).
pub async fn evaluate(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let folds = form(&body).get("folds").parse::<usize>().ok().filter(|k| (2..=10).contains(k)).unwrap_or(5);
    let outcome = suggestions::start_evaluate(
        &state.jobs,
        &state.store,
        &campaign.id,
        folds,
        Some(signed.0.user.id.clone()),
    )
    .await;
    started(&state, &signed, &campaign, outcome).await
}

/// `POST /manage/campaigns/{slug}/rules/apply`: every rule of the campaign applied again.
pub async fn apply_rules(signed: SignedIn, State(state): State<AppState>, Path(slug): Path<String>) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let outcome = rules::start_apply_all(
        &state.jobs,
        &state.store,
        &state.search,
        &campaign.id,
        Some(signed.0.user.id.clone()),
    )
    .await;
    started(&state, &signed, &campaign, outcome).await
}
