//! Analysis pages of a campaign that run as background jobs: discovery of common threads (run,
//! inspect, rename, merge, split, promote), model suggestions (retrain now, measure quality),
//! re-applying all rules, and the job pages that show progress. Pages work without JavaScript:
//! a running job's page refreshes itself. Every handler starts with `SignedIn` and a permission
//! check; jobs and runs are only shown when they belong to the campaign in the URL.

mod jobs;
mod suggestions;
mod threads;

use crate::auth::policy::Denied;
use crate::domain::job::Job;
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::error::Error;
use crate::http::routes::Routes;
use crate::store::StoreError;
use axum::response::{IntoResponse, Response};

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/discovery", threads::start_page)
        .post("/manage/campaigns/{slug}/discovery", threads::start)
        .get("/manage/campaigns/{slug}/discovery/{job_id}", threads::run_page)
        .post("/manage/campaigns/{slug}/discovery/{job_id}/threads/{thread}", threads::change)
        .get("/manage/campaigns/{slug}/suggestions", suggestions::page)
        .post("/manage/campaigns/{slug}/suggestions/retrain", suggestions::retrain)
        .post("/manage/campaigns/{slug}/suggestions/evaluate", suggestions::evaluate)
        .post("/manage/campaigns/{slug}/rules/apply", suggestions::apply_rules)
        .get("/manage/campaigns/{slug}/jobs", jobs::list)
        .get("/manage/campaigns/{slug}/jobs/{job_id}", jobs::page)
        .post("/manage/campaigns/{slug}/jobs/{job_id}/cancel", jobs::cancel)
}

// The shared helpers, under the names the submodules use.
pub(crate) use crate::http::page::{OrPage, Reply, campaign_for, date_time, form};

/// The job, only if it belongs to `campaign`.
async fn job_in(state: &AppState, campaign: &Campaign, id: &str) -> Result<Job, Response> {
    match state.store.job(id).await {
        Ok(j) if j.campaign_id.as_deref() == Some(campaign.id.as_str()) => Ok(j),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(Denied::NotFound)),
        Err(e) => Err(Error::from(e).into_response()),
    }
}

fn base(campaign: &Campaign) -> String {
    format!("/manage/campaigns/{}", campaign.slug())
}

fn job_href(campaign: &Campaign, id: &str) -> String {
    format!("{}/jobs/{id}", base(campaign))
}

/// What a job kind is called on the page.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "discover" => "Rode draden zoeken",
        "split" => "Draad splitsen",
        "merge" => "Draden samenvoegen",
        "retrain" => "Suggesties trainen",
        "evaluate" => "Kwaliteit van suggesties meten",
        "retag" => "Regels opnieuw toepassen",
        _ => "Taak",
    }
}

/// Names of people who started jobs, looked up once per page.
#[derive(Default)]
pub(super) struct People(std::collections::HashMap<String, String>);

impl People {
    pub(super) async fn name(&mut self, state: &AppState, id: Option<&str>) -> String {
        let Some(id) = id else { return "de dienst".into() };
        if let Some(n) = self.0.get(id) {
            return n.clone();
        }
        let name = state.store.user(id).await.map(|u| u.name).unwrap_or_else(|_| "onbekend account".into());
        self.0.insert(id.to_string(), name.clone());
        name
    }
}

/// "Busy" from the job runner as a page that says what to do.
fn busy_page(campaign: &Campaign, signed: &SignedIn, running: Option<&Job>) -> Response {
    let (href, label) = match running {
        Some(j) => (job_href(campaign, &j.id), "Naar de taak die loopt".to_string()),
        None => (format!("{}/jobs", base(campaign)), "Naar de taken".to_string()),
    };
    let _ = signed;
    crate::http::views::render(
        axum::http::StatusCode::CONFLICT,
        true,
        &crate::http::views::MessagePage {
            page: crate::http::views::Page::new(Lang::Nl, "Er loopt al een taak"),
            heading: "Er loopt al een taak".into(),
            text: "Per campagne loopt er één taak tegelijk. Wacht tot die klaar is, of breek hem af, en probeer het dan opnieuw.".into(),
            link: Some((href, label)),
        },
    )
}

/// Starts work as a job and sends the browser to its page (or explains why it could not start).
async fn started(
    state: &AppState,
    signed: &SignedIn,
    campaign: &Campaign,
    outcome: Result<Job, crate::jobs::JobError>,
) -> Reply {
    match outcome {
        Ok(job) => Ok(axum::response::Redirect::to(&job_href(campaign, &job.id)).into_response()),
        Err(crate::jobs::JobError::Busy) => {
            let jobs = state.store.jobs(&campaign.id, 10).await.or_page()?;
            Err(busy_page(campaign, signed, jobs.iter().find(|j| j.status.is_active())))
        }
        Err(crate::jobs::JobError::Store(e)) => Err(Error::from(e).into_response()),
    }
}
