//! Job pages: a campaign's recent jobs, and one job with its progress. A running job's page
//! refreshes itself every two seconds (no JavaScript needed) and offers to cancel it; a finished
//! job links to what it made.

use super::{OrPage, People, Reply, base, campaign_for, date_time, job_href, job_in, kind_label};
use crate::auth::policy::Permission;
use crate::domain::job::{Job, JobStatus};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::views::{Page, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

pub struct JobRow {
    pub href: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_code: &'static str,
    pub percent: u32,
    pub message: String,
    pub started: String,
    pub by: String,
}

async fn row(state: &AppState, campaign: &Campaign, people: &mut People, j: &Job) -> JobRow {
    JobRow {
        href: job_href(campaign, &j.id),
        kind: kind_label(&j.kind),
        status: j.status.label(),
        status_code: j.status.as_str(),
        percent: (j.progress * 100.0).round() as u32,
        message: message_beside_status(j),
        started: date_time(j.started_at.unwrap_or(j.created_at)),
        by: people.name(state, j.created_by.as_deref()).await,
    }
}

/// The job's message, unless it only repeats its status (a finished job says "klaar" in both).
fn message_beside_status(j: &Job) -> String {
    let m = j.message.trim();
    if m.trim_end_matches('.').eq_ignore_ascii_case(j.status.label()) { String::new() } else { m.to_string() }
}

#[derive(Template)]
#[template(path = "manage/jobs.html")]
pub struct JobsPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub rows: Vec<JobRow>,
}

/// `GET /manage/campaigns/{slug}/jobs`.
pub async fn list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let jobs = state.store.jobs(&campaign.id, 50).await.or_page()?;
    let mut people = People::default();
    let mut rows = Vec::new();
    for j in &jobs {
        rows.push(row(&state, &campaign, &mut people, j).await);
    }
    let tpl = JobsPage {
        page: Page::new(Lang::Nl, "Taken").signed_in(&signed.0, &csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        rows,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(Template)]
#[template(path = "manage/job.html")]
pub struct JobPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub job: JobRow,
    pub active: bool,
    pub cancel_action: String,
    /// Where the job's result is, once it is done.
    pub result: Option<(String, String)>,
    pub failed: bool,
}

/// Where a finished job's result is shown.
fn result_link(campaign: &Campaign, j: &Job) -> Option<(String, String)> {
    if j.status != JobStatus::Done {
        return None;
    }
    let b = base(campaign);
    match j.kind.as_str() {
        "discover" | "split" | "merge" => {
            Some((format!("{b}/discovery/{}", j.id), "Bekijk de rode draden".into()))
        }
        "retrain" | "evaluate" => Some((format!("{b}/suggestions"), "Naar de suggesties".into())),
        "retag" => Some((format!("{b}/themes"), "Naar het codeboek".into())),
        _ => None,
    }
}

/// `GET /manage/campaigns/{slug}/jobs/{job_id}`.
pub async fn page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, job_id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let j = job_in(&state, &campaign, &job_id).await?;
    let mut people = People::default();
    let tpl = JobPage {
        page: Page::new(Lang::Nl, kind_label(&j.kind)).signed_in(&signed.0, &csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        active: j.status.is_active(),
        cancel_action: format!("{}/cancel", job_href(&campaign, &j.id)),
        result: result_link(&campaign, &j),
        failed: j.status == JobStatus::Failed,
        job: row(&state, &campaign, &mut people, &j).await,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST /manage/campaigns/{slug}/jobs/{job_id}/cancel`: asks the job to stop; its page then
/// shows it cancelled once the work has noticed (within a second or two).
pub async fn cancel(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, job_id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let j = job_in(&state, &campaign, &job_id).await?;
    if j.status.is_active() && !state.jobs.cancel(&j.id) {
        // Running on another instance, or lost: it is marked failed on that instance's restart.
        tracing::warn!(job = %j.id, "cancel asked for a job this instance is not running");
    }
    Ok(Redirect::to(&job_href(&campaign, &j.id)).into_response())
}
