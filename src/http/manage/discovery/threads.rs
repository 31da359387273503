//! Discovery of common threads in the browser: start a run (k chosen or automatic, a seed, all
//! stories or a saved story set), then inspect its threads (words, size, share per perspective,
//! the stories that show a thread best, stability) and rename, merge, split or promote them.
//! Split and merge are jobs of their own whose result is a new run, so earlier runs stay as
//! they were.

use super::{OrPage, People, Reply, base, campaign_for, date_time, form, job_in, started};
use crate::auth::policy::Permission;
use crate::domain::job::JobStatus;
use crate::domain::{Campaign, Lang, Perspective};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::manage::stories::view::excerpt;
use crate::http::manage::themes::outcome::OrChangePage;
use crate::http::views::{ErrorView, Page, render};
use crate::tagging::TaggingError;
use crate::tagging::threads::{self, Change, Request};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use std::collections::HashMap;

/// Largest k a facilitator may ask for; beyond this threads get too small to read.
const MAX_K: usize = 60;
/// Members listed under a thread (all are in the story list behind the link).
const LISTED: usize = 25;

pub struct SetOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

pub struct RunRow {
    pub href: String,
    pub kind: &'static str,
    pub when: String,
    pub by: String,
    pub status: &'static str,
    pub summary: String,
}

/// What was typed in the start form, kept when it comes back with a problem.
pub struct StartForm {
    pub mode: String,
    pub k: String,
    pub min: String,
    pub max: String,
    pub seed: String,
    pub set_id: String,
}

impl Default for StartForm {
    fn default() -> Self {
        StartForm {
            mode: "auto".into(),
            k: "8".into(),
            min: "4".into(),
            max: "15".into(),
            seed: "1".into(),
            set_id: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "manage/discovery.html")]
pub struct StartPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub stories: i64,
    pub form: StartForm,
    pub sets: Vec<SetOption>,
    pub errors: Vec<ErrorView>,
    pub field_errors: HashMap<String, String>,
    pub runs: Vec<RunRow>,
    pub running: Option<String>,
}

async fn show_start(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    form: StartForm,
    errors: Vec<ErrorView>,
    status: StatusCode,
) -> Reply {
    let sets = state
        .store
        .story_sets(&signed.0.user.id, std::slice::from_ref(&campaign.id), false)
        .await
        .or_page()?
        .into_iter()
        .filter(|s| s.campaign_id.as_deref() == Some(campaign.id.as_str()))
        .map(|s| SetOption { selected: s.id == form.set_id, id: s.id, name: s.name })
        .collect();
    let jobs = state.store.jobs(&campaign.id, 50).await.or_page()?;
    let mut people = People::default();
    let mut runs = Vec::new();
    for j in jobs.iter().filter(|j| threads::RUN_KINDS.contains(&j.kind.as_str())) {
        let summary = match threads::run_of_job(j) {
            Some(r) => format!(
                "{} verhalen, {} draden, {} passen nergens",
                r.stories,
                r.threads.len(),
                r.unassigned.len()
            ),
            None => j.message.clone(),
        };
        runs.push(RunRow {
            href: if j.status == JobStatus::Done {
                format!("{}/discovery/{}", base(campaign), j.id)
            } else {
                super::job_href(campaign, &j.id)
            },
            kind: super::kind_label(&j.kind),
            when: date_time(j.started_at.unwrap_or(j.created_at)),
            by: people.name(state, j.created_by.as_deref()).await,
            status: j.status.label(),
            summary,
        });
    }
    let running = jobs.iter().find(|j| j.status.is_active()).map(|j| super::job_href(campaign, &j.id));
    let field_errors =
        errors.iter().map(|e| (e.target.trim_start_matches("f-").to_string(), e.message.clone())).collect();
    let tpl = StartPage {
        page: Page::new(Lang::Nl, "Rode draden").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        stories: state.store.count_stories(&campaign.id).await.or_page()?,
        form,
        sets,
        errors,
        field_errors,
        runs,
        running,
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/discovery`.
pub async fn start_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    show_start(&state, &signed, &csrf, &campaign, StartForm::default(), Vec::new(), StatusCode::OK).await
}

fn problem(errors: &mut Vec<ErrorView>, key: &str, label: &str, message: impl Into<String>) {
    errors.push(ErrorView { target: format!("f-{key}"), label: label.into(), message: message.into() });
}

/// Reads the start form; problems name the field and say how to fix it.
fn parse_start(f: &StartForm, errors: &mut Vec<ErrorView>) -> Option<Request> {
    let number = |raw: &str| raw.trim().parse::<usize>().ok();
    let seed = match f.seed.trim().parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            problem(
                errors,
                "seed",
                "Startgetal",
                "Vul een heel getal in, bijvoorbeeld 1. Hetzelfde getal geeft dezelfde draden.",
            );
            0
        }
    };
    let mut req = Request { k: None, auto_min: 4, auto_max: 15, seed, set_id: None };
    if f.mode == "fixed" {
        match number(&f.k) {
            Some(k) if (2..=MAX_K).contains(&k) => req.k = Some(k),
            _ => problem(errors, "k", "Aantal draden", format!("Vul een aantal tussen 2 en {MAX_K} in.")),
        }
    } else {
        match (number(&f.min), number(&f.max)) {
            (Some(a), Some(b)) if (2..=MAX_K).contains(&a) && (2..=MAX_K).contains(&b) && a <= b => {
                req.auto_min = a;
                req.auto_max = b;
            }
            _ => problem(
                errors,
                "min",
                "Van en tot",
                format!("Vul twee aantallen tussen 2 en {MAX_K} in, het eerste niet groter dan het tweede."),
            ),
        }
    }
    if !f.set_id.is_empty() {
        req.set_id = Some(f.set_id.clone());
    }
    errors.is_empty().then_some(req)
}

/// `POST /manage/campaigns/{slug}/discovery`: starts a discovery job.
pub async fn start(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let v = form(&body);
    let f = StartForm {
        mode: if v.get("mode") == "fixed" { "fixed".into() } else { "auto".into() },
        k: v.get("k").to_string(),
        min: v.get("min").to_string(),
        max: v.get("max").to_string(),
        seed: v.get("seed").to_string(),
        set_id: v.get("set").to_string(),
    };
    let mut errors = Vec::new();
    let req = parse_start(&f, &mut errors);
    if let Some(set) = req.as_ref().and_then(|r| r.set_id.as_deref()) {
        // Only a set of this campaign the viewer can see; anything else is not on offer.
        let ok = match state.store.story_set(set).await {
            Ok(s) => {
                s.campaign_id.as_deref() == Some(campaign.id.as_str())
                    && (s.created_by.as_deref() == Some(signed.0.user.id.as_str())
                        || signed.0.may(Permission::ReadStories(&campaign.id)))
            }
            Err(_) => false,
        };
        if !ok {
            problem(
                &mut errors,
                "set",
                "Verhalen",
                "Die verzameling bestaat niet (meer) in deze campagne. Kies een andere.",
            );
        }
    }
    let stories = state.store.count_stories(&campaign.id).await.or_page()?;
    if stories < 10 {
        problem(
            &mut errors,
            "mode",
            "Verhalen",
            format!("Er zijn pas {stories} verhalen; rode draden zoeken heeft er minstens 10 nodig."),
        );
    }
    let (Some(req), true) = (req, errors.is_empty()) else {
        return show_start(&state, &signed, &csrf, &campaign, f, errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let outcome = threads::start_discover(
        &state.jobs,
        &state.store,
        &state.search,
        &campaign.id,
        req,
        Some(signed.0.user.id.clone()),
    )
    .await;
    started(&state, &signed, &campaign, outcome).await
}

pub struct Share {
    pub label: &'static str,
    pub percent: u32,
}

pub struct StoryLink {
    pub href: String,
    pub heading: String,
    pub excerpt: String,
    pub score: String,
}

pub struct ThreadCard {
    pub id: usize,
    pub anchor: String,
    pub heading: String,
    pub name: String,
    pub terms: String,
    pub size: usize,
    pub share_of_all: u32,
    pub stability: String,
    pub stability_word: &'static str,
    pub shares: Vec<Share>,
    pub representatives: Vec<StoryLink>,
    pub members: Vec<StoryLink>,
    pub more_members: usize,
    pub language: Option<String>,
    pub theme_href: Option<String>,
    pub theme_name: Option<String>,
    pub others: Vec<(usize, String)>,
    pub action: String,
}

#[derive(Template)]
#[template(path = "manage/threads.html")]
pub struct RunPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub when: String,
    pub how: String,
    pub stories: usize,
    pub vocabulary: usize,
    pub k_scores: Vec<(usize, String, bool)>,
    pub cards: Vec<ThreadCard>,
    pub unassigned: Vec<StoryLink>,
    pub unassigned_total: usize,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub may_change: bool,
    pub set_name: Option<String>,
    pub language_threads: usize,
}

fn stability_word(s: f64) -> &'static str {
    if s >= 0.8 {
        "stabiel: komt bij elk startgetal terug"
    } else if s >= 0.5 {
        "wisselend: komt meestal terug"
    } else {
        "onzeker: kan toeval van deze run zijn"
    }
}

fn notice_text(code: &str) -> Option<String> {
    Some(
        match code {
            "renamed" => "De naam is bewaard.",
            "promoted" => "De draad is een thema geworden. Zijn verhalen hebben een voorstel voor dat thema gekregen; beslis erover in de codeerwachtrij.",
            _ => return None,
        }
        .to_string(),
    )
}

#[allow(clippy::too_many_arguments)]
async fn show_run(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    job_id: &str,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Reply {
    let job = job_in(state, campaign, job_id).await?;
    let Some(run) = threads::run_of_job(&job) else {
        // Not finished (or not a discovery): its job page says how it is doing.
        return Ok(Redirect::to(&super::job_href(campaign, &job.id)).into_response());
    };
    let slug = campaign.slug().to_string();
    // One read for every story the page shows.
    let mut wanted: Vec<String> = Vec::new();
    for t in &run.threads {
        wanted.extend(t.representatives.iter().cloned());
        wanted.extend(t.members.iter().take(LISTED).map(|(id, _)| id.clone()));
    }
    wanted.extend(run.unassigned.iter().take(LISTED).map(|(id, _)| id.clone()));
    wanted.sort();
    wanted.dedup();
    let stories: HashMap<String, crate::domain::Story> =
        state.store.stories_by_ids(&wanted).await.or_page()?.into_iter().map(|s| (s.id.clone(), s)).collect();
    let link = |id: &str, score: Option<f64>| -> Option<StoryLink> {
        let s = stories.get(id)?;
        Some(StoryLink {
            href: format!("/manage/campaigns/{slug}/stories/{id}"),
            heading: s.title.clone().unwrap_or_else(|| "Verhaal zonder titel".into()),
            excerpt: excerpt(&s.text, 280),
            score: score.map(|x| format!("{:.2}", x)).unwrap_or_default(),
        })
    };
    let themes = state.store.themes(Some(&campaign.id)).await.or_page()?;
    let names: Vec<(usize, String)> = run.threads.iter().map(|t| (t.id, heading_of(t))).collect();
    let cards = run
        .threads
        .iter()
        .map(|t| {
            let score: HashMap<&str, f64> = t.members.iter().map(|(id, s)| (id.as_str(), *s)).collect();
            let theme = t.theme_id.as_ref().and_then(|id| themes.iter().find(|th| &th.id == id));
            ThreadCard {
                id: t.id,
                anchor: format!("draad-{}", t.id),
                heading: heading_of(t),
                name: t.name.clone().unwrap_or_default(),
                terms: t.label_terms.join(", "),
                size: t.size,
                share_of_all: ((t.size as f64 / run.stories.max(1) as f64) * 100.0).round() as u32,
                stability: format!("{:.2}", t.stability),
                stability_word: stability_word(t.stability),
                shares: Perspective::ALL
                    .iter()
                    .map(|p| Share {
                        label: p.noun(Lang::Nl),
                        percent: (t.shares.get(p.as_str()).copied().unwrap_or(0.0) * 100.0).round() as u32,
                    })
                    .collect(),
                representatives: t
                    .representatives
                    .iter()
                    .filter_map(|id| link(id, score.get(id.as_str()).copied()))
                    .collect(),
                members: t.members.iter().take(LISTED).filter_map(|(id, s)| link(id, Some(*s))).collect(),
                more_members: t.members.len().saturating_sub(LISTED),
                language: t.language.clone(),
                theme_href: theme.map(|th| format!("/manage/campaigns/{slug}/themes/{}", th.id)),
                theme_name: theme.map(|th| th.name.clone()),
                others: names.iter().filter(|(id, _)| *id != t.id).cloned().collect(),
                action: format!("/manage/campaigns/{slug}/discovery/{}/threads/{}", job.id, t.id),
            }
        })
        .collect();
    let how = match run.request.k {
        Some(k) => format!("{k} draden gevraagd"),
        None => format!(
            "aantal automatisch gekozen tussen {} en {}: {} (laagste Davies–Bouldin-index)",
            run.request.auto_min, run.request.auto_max, run.k
        ),
    };
    let set_name = match &run.request.set_id {
        Some(id) => Some(
            state
                .store
                .story_set(id)
                .await
                .map(|s| s.name)
                .unwrap_or_else(|_| "een verwijderde verzameling".into()),
        ),
        None => None,
    };
    let tpl = RunPage {
        page: Page::new(Lang::Nl, "Rode draden").signed_in(&signed.0, csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        when: date_time(job.finished_at.unwrap_or(job.created_at)),
        how: format!("{how}; startgetal {}", run.request.seed),
        stories: run.stories,
        vocabulary: run.vocabulary_size,
        k_scores: run.k_scores.iter().map(|(k, s)| (*k, format!("{s:.3}"), *k == run.k)).collect(),
        unassigned: run.unassigned.iter().take(LISTED).filter_map(|(id, s)| link(id, Some(*s))).collect(),
        unassigned_total: run.unassigned.len(),
        cards,
        notice,
        error,
        may_change: signed.0.may(Permission::ManageCampaign(&campaign.id)),
        set_name,
        language_threads: run.threads.iter().filter(|t| t.language.is_some()).count(),
        slug,
    };
    Ok(render(status, true, &tpl))
}

fn heading_of(t: &threads::ThreadView) -> String {
    match &t.name {
        Some(n) => n.clone(),
        None => t.label_terms.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
    }
}

/// `GET /manage/campaigns/{slug}/discovery/{job_id}`.
pub async fn run_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, job_id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let notice = q.get("done").and_then(|c| notice_text(c));
    show_run(&state, &signed, &csrf, &campaign, &job_id, notice, None, StatusCode::OK).await
}

/// `POST /manage/campaigns/{slug}/discovery/{job_id}/threads/{thread}` with `action` = rename,
/// promote, split or merge.
pub async fn change(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, job_id, thread)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let job = job_in(&state, &campaign, &job_id).await?;
    let Some(run) = threads::run_of_job(&job) else {
        return Err(denied(crate::auth::policy::Denied::NotFound));
    };
    let Some(thread) = thread.parse::<usize>().ok().filter(|t| run.threads.iter().any(|x| x.id == *t)) else {
        return Err(denied(crate::auth::policy::Denied::NotFound));
    };
    let v = form(&body);
    let here = format!("{}/discovery/{}", base(&campaign), job.id);
    let again = |error: String| {
        let (state, signed, csrf, campaign, job_id) = (&state, &signed, &csrf, &campaign, &job.id);
        async move {
            show_run(
                state,
                signed,
                csrf,
                campaign,
                job_id,
                None,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match v.get("action") {
        "rename" => {
            match threads::rename(&state.store, &signed.actor(), &campaign.id, &job.id, thread, v.get("name"))
                .await
            {
                Ok(()) => Ok(Redirect::to(&format!("{here}?done=renamed#draad-{thread}")).into_response()),
                Err(TaggingError::Invalid(why) | TaggingError::Conflict(why)) => again(why).await,
                Err(e) => Err(e).or_change_page(),
            }
        }
        "promote" => {
            match threads::promote(
                &state.store,
                &signed.actor(),
                &campaign.id,
                &job.id,
                thread,
                state.clock.now(),
            )
            .await
            {
                Ok(_) => Ok(Redirect::to(&format!("{here}?done=promoted#draad-{thread}")).into_response()),
                Err(TaggingError::Conflict(why)) => again(why).await,
                Err(e) => Err(e).or_change_page(),
            }
        }
        "split" => {
            let Some(k) = v.get("k").trim().parse::<usize>().ok().filter(|k| (2..=10).contains(k)) else {
                return again("Splits in 2 tot 10 delen.".into()).await;
            };
            let outcome = threads::start_change(
                &state.jobs,
                &state.store,
                &campaign.id,
                &job.id,
                run,
                Change::Split { thread, k },
                &signed.actor(),
            )
            .await;
            started(&state, &signed, &campaign, outcome).await
        }
        "merge" => {
            let Some(other) = v
                .get("other")
                .parse::<usize>()
                .ok()
                .filter(|o| *o != thread && run.threads.iter().any(|t| t.id == *o))
            else {
                return again("Kies een andere draad om mee samen te voegen.".into()).await;
            };
            let outcome = threads::start_change(
                &state.jobs,
                &state.store,
                &campaign.id,
                &job.id,
                run,
                Change::Merge { a: thread, b: other },
                &signed.actor(),
            )
            .await;
            started(&state, &signed, &campaign, outcome).await
        }
        _ => again("Kies wat je met de draad wilt doen.".into()).await,
    }
}

impl StartPage {
    pub fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
}
