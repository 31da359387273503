//! Agreement between coders: a facilitator draws a random sample of a campaign's stories and
//! chooses the themes to check; two or more coders then tag the sample blind (the coder page
//! shows the story and the themes, never other people's tags, suggestions or decisions); the
//! sample page reports Cohen's kappa (two coders) and Krippendorff's alpha per theme, and lists
//! the stories coders disagreed on for discussion. Someone who has started coding a sample sees
//! the results only after finishing it, so nobody is nudged halfway.

use super::discovery::{People, campaign_for, date_time};
use crate::analysis::agreement::{self, Coding, ThemeAgreement};
use crate::auth::policy::Permission;
use crate::domain::job::{CodingSample, SampleCoding};
use crate::domain::theme::Theme;
use crate::domain::{AuditAction, AuditEntry, Campaign, Lang, Story};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ResultExt};
use crate::http::manage::stories::view::{Paragraph, excerpt, paragraphs};
use crate::http::routes::Routes;
use crate::http::views::{ErrorView, Page, render};
use crate::store::StoreError;
use crate::store::StoryCursor;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/agreement", samples_page)
        .post("/manage/campaigns/{slug}/agreement", create_sample)
        .get("/manage/campaigns/{slug}/agreement/{sample_id}", sample_page)
        .get("/manage/campaigns/{slug}/agreement/{sample_id}/code", code_page)
        .post("/manage/campaigns/{slug}/agreement/{sample_id}/code", code)
}

type Reply = Result<Response, Response>;

fn or_page<T, E: Into<Error>>(r: Result<T, E>) -> Result<T, Response> {
    r.html(Lang::Nl).map_err(IntoResponse::into_response)
}

/// Largest sample: coding more than this blind is more than a session's work.
const MAX_SAMPLE: usize = 200;

fn base(campaign: &Campaign) -> String {
    format!("/manage/campaigns/{}/agreement", campaign.slug())
}

/// The sample, only if it belongs to `campaign`.
async fn sample_in(state: &AppState, campaign: &Campaign, id: &str) -> Result<CodingSample, Response> {
    match state.store.sample(id).await {
        Ok(s) if s.campaign_id == campaign.id => Ok(s),
        Ok(_) | Err(StoreError::NotFound) => Err(denied(crate::auth::policy::Denied::NotFound)),
        Err(e) => Err(Error::from(e).html(Lang::Nl).into_response()),
    }
}

/// Stories of the sample each coder has coded (any decision on the story counts).
fn done_by(codings: &[SampleCoding]) -> HashMap<&str, HashSet<&str>> {
    let mut out: HashMap<&str, HashSet<&str>> = HashMap::new();
    for c in codings {
        out.entry(c.coder_id.as_str()).or_default().insert(c.story_id.as_str());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The list of samples and the form for a new one

pub struct SampleRow {
    pub href: String,
    pub name: String,
    pub stories: usize,
    pub themes: usize,
    pub created: String,
    pub coders: String,
}

pub struct ThemeChoice {
    pub id: String,
    pub name: String,
    pub checked: bool,
}

pub struct SampleForm {
    pub name: String,
    pub size: String,
    pub seed: String,
}

#[derive(Template)]
#[template(path = "manage/agreement.html")]
pub struct SamplesPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub rows: Vec<SampleRow>,
    pub themes: Vec<ThemeChoice>,
    pub form: SampleForm,
    pub errors: Vec<ErrorView>,
    pub field_errors: HashMap<String, String>,
    pub size_hint: String,
}

impl SamplesPage {
    pub fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
}

fn live_themes(themes: Vec<Theme>) -> Vec<Theme> {
    let mut t: Vec<Theme> = themes.into_iter().filter(|t| t.merged_into.is_none()).collect();
    t.sort_by_key(|t| t.name.to_lowercase());
    t
}

#[allow(clippy::too_many_arguments)]
async fn show_samples(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    form: SampleForm,
    chosen: Option<HashSet<String>>,
    errors: Vec<ErrorView>,
    status: StatusCode,
) -> Reply {
    let samples = or_page(state.store.samples(&campaign.id).await)?;
    let mut people = People::default();
    let mut rows = Vec::new();
    for s in &samples {
        let codings = or_page(state.store.sample_codings(&s.id).await)?;
        let done = done_by(&codings);
        let mut coders = Vec::new();
        for (coder, stories) in &done {
            coders.push(format!(
                "{} ({} van {})",
                people.name(state, Some(coder)).await,
                stories.len(),
                s.story_ids.len()
            ));
        }
        coders.sort();
        rows.push(SampleRow {
            href: format!("{}/{}", base(campaign), s.id),
            name: s.name.clone(),
            stories: s.story_ids.len(),
            themes: s.theme_ids.len(),
            created: date_time(s.created_at),
            coders: if coders.is_empty() { "nog niemand".into() } else { coders.join(", ") },
        });
    }
    let themes = live_themes(or_page(state.store.themes(Some(&campaign.id)).await)?)
        .into_iter()
        .map(|t| ThemeChoice {
            checked: chosen.as_ref().is_none_or(|c| c.contains(&t.id)),
            id: t.id,
            name: t.name,
        })
        .collect();
    let field_errors =
        errors.iter().map(|e| (e.target.trim_start_matches("f-").to_string(), e.message.clone())).collect();
    let tpl = SamplesPage {
        page: Page::new(Lang::Nl, "Overeenstemming tussen coders").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        rows,
        themes,
        form,
        errors,
        field_errors,
        size_hint: format!(
            "Willekeurig gekozen uit de {} verhalen van de campagne. 30 tot 50 is genoeg om grote verschillen te zien.",
            or_page(state.store.count_stories(&campaign.id).await)?
        ),
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/agreement`.
pub async fn samples_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let n = state.store.samples(&campaign.id).await.map(|s| s.len()).unwrap_or(0);
    let form = SampleForm { name: format!("Steekproef {}", n + 1), size: "30".into(), seed: "1".into() };
    show_samples(&state, &signed, &csrf, &campaign, form, None, Vec::new(), StatusCode::OK).await
}

/// `POST /manage/campaigns/{slug}/agreement`: draws a sample (`name`, `size`, `seed`, `theme`…).
pub async fn create_sample(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ManageCampaign(id)).await?;
    let v = crate::http::form::FormValues(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let form = SampleForm {
        name: v.get("name").trim().to_string(),
        size: v.get("size").to_string(),
        seed: v.get("seed").to_string(),
    };
    let live = live_themes(or_page(state.store.themes(Some(&campaign.id)).await)?);
    let chosen: Vec<String> = v
        .all("theme")
        .into_iter()
        .filter(|id| live.iter().any(|t| t.id == *id))
        .map(str::to_string)
        .collect();
    let mut errors = Vec::new();
    let mut problem = |key: &str, label: &str, message: String| {
        errors.push(ErrorView { target: format!("f-{key}"), label: label.into(), message });
    };
    if form.name.is_empty() || form.name.chars().count() > 120 {
        problem("name", "Naam", "Geef de steekproef een naam van 1 tot 120 tekens.".into());
    }
    let size = form.size.trim().parse::<usize>().ok().filter(|n| (2..=MAX_SAMPLE).contains(n));
    if size.is_none() {
        problem("size", "Aantal verhalen", format!("Vul een aantal tussen 2 en {MAX_SAMPLE} in."));
    }
    let seed = form.seed.trim().parse::<u64>().ok();
    if seed.is_none() {
        problem("seed", "Startgetal", "Vul een heel getal in, bijvoorbeeld 1.".into());
    }
    if chosen.is_empty() {
        problem(
            "themes",
            "Thema's",
            if live.is_empty() {
                "Het codeboek is nog leeg: maak eerst thema's aan.".into()
            } else {
                "Kies minstens één thema om op te coderen.".into()
            },
        );
    }
    let ids = all_story_ids(&state, &campaign).await?;
    if ids.len() < 2 {
        problem(
            "size",
            "Aantal verhalen",
            "Er zijn nog te weinig verhalen om een steekproef uit te trekken.".into(),
        );
    }
    let (Some(size), Some(seed), true) = (size, seed, errors.is_empty()) else {
        let chosen = Some(chosen.into_iter().collect());
        return show_samples(
            &state,
            &signed,
            &csrf,
            &campaign,
            form,
            chosen,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let sample = CodingSample {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.id.clone(),
        name: form.name.clone(),
        story_ids: agreement::sample(&ids, size, seed),
        theme_ids: chosen,
        created_by: Some(signed.0.user.id.clone()),
        created_at: OffsetDateTime::now_utc(),
    };
    or_page(state.store.create_sample(&sample).await)?;
    let entry = AuditEntry::new(signed.actor(), AuditAction::CampaignChanged)
        .campaign(campaign.id.clone())
        .target(format!("campaign:{}", campaign.id))
        .details(serde_json::json!({ "coding_sample": sample.id, "stories": sample.story_ids.len(), "seed": seed }));
    or_page(state.store.audit(&entry).await)?;
    Ok(Redirect::to(&format!("{}/{}", base(&campaign), sample.id)).into_response())
}

async fn all_story_ids(state: &AppState, campaign: &Campaign) -> Result<Vec<String>, Response> {
    let mut ids = Vec::new();
    let mut cursor: Option<StoryCursor> = None;
    loop {
        let page = or_page(state.store.stories_page(&campaign.id, cursor.as_ref(), 5_000).await)?;
        let Some(last) = page.last() else { break };
        cursor = Some(StoryCursor { created_at: last.created_at, id: last.id.clone() });
        ids.extend(page.into_iter().map(|s| s.id));
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------------------------
// One sample: progress, agreement, disagreements

pub struct CoderProgress {
    pub name: String,
    pub done: usize,
}

pub struct AgreementRow {
    pub theme: String,
    pub kappa: String,
    pub alpha: String,
    pub verdict: &'static str,
    pub low: bool,
    pub units: usize,
    pub observed: String,
    pub applied: String,
}

pub struct DisagreementView {
    pub href: String,
    pub heading: String,
    pub excerpt: String,
    pub theme: String,
    pub applied_by: String,
    pub not_applied_by: String,
}

#[derive(Template)]
#[template(path = "manage/agreement_sample.html")]
pub struct SamplePage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub name: String,
    pub stories: usize,
    pub theme_names: Vec<String>,
    pub created: String,
    pub created_by: String,
    pub coders: Vec<CoderProgress>,
    pub my_done: usize,
    pub code_href: String,
    /// The viewer is coding this sample and has not finished: results stay hidden.
    pub blind: bool,
    pub two_coders: bool,
    pub rows: Vec<AgreementRow>,
    pub disagreements: Vec<DisagreementView>,
}

fn fmt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

/// Words for a coefficient, after Krippendorff: ≥ 0.8 reliable, ≥ 0.667 tentative.
fn verdict(a: &ThemeAgreement) -> (&'static str, bool) {
    match a.alpha.or(a.kappa) {
        None => ("niet te berekenen (niemand koos het thema, of te weinig verhalen)", false),
        Some(x) if x >= 0.8 => ("betrouwbaar", false),
        Some(x) if x >= 0.667 => ("voorzichtig bruikbaar", false),
        Some(_) => ("te laag: bespreek de beschrijving", true),
    }
}

/// `GET /manage/campaigns/{slug}/agreement/{sample_id}`.
pub async fn sample_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, sample_id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let sample = sample_in(&state, &campaign, &sample_id).await?;
    let codings = or_page(state.store.sample_codings(&sample.id).await)?;
    let done = done_by(&codings);
    let me = signed.0.user.id.as_str();
    let my_done = done.get(me).map(|s| s.len()).unwrap_or(0);
    let blind = my_done > 0 && my_done < sample.story_ids.len();
    let themes = or_page(state.store.themes(Some(&campaign.id)).await)?;
    let theme_name = |id: &str| {
        themes
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "verwijderd thema".into())
    };
    let mut people = People::default();
    let mut coder_ids: Vec<String> = done.keys().map(|c| c.to_string()).collect();
    coder_ids.sort();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut coders = Vec::new();
    for c in &coder_ids {
        let name = people.name(&state, Some(c)).await;
        names.insert(c.clone(), name.clone());
        coders.push(CoderProgress { name, done: done[c.as_str()].len() });
    }
    let (mut rows, mut disagreements) = (Vec::new(), Vec::new());
    if !blind && coder_ids.len() >= 2 {
        let input: Vec<Coding> = codings
            .iter()
            .map(|c| Coding {
                coder: c.coder_id.clone(),
                unit: c.story_id.clone(),
                theme: c.theme_id.clone(),
                applied: c.applied,
            })
            .collect();
        let result = agreement::agreement(&input, &coder_ids, &sample.story_ids, &sample.theme_ids);
        let mut wanted: Vec<String> =
            result.iter().flat_map(|a| a.disagreements.iter().map(|d| d.unit.clone())).collect();
        wanted.sort();
        wanted.dedup();
        let stories: HashMap<String, Story> = or_page(state.store.stories_by_ids(&wanted).await)?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let who = |ids: &[String]| {
            if ids.is_empty() {
                "niemand".to_string()
            } else {
                ids.iter().map(|c| names.get(c).cloned().unwrap_or_default()).collect::<Vec<_>>().join(", ")
            }
        };
        for a in &result {
            let (word, low) = verdict(a);
            rows.push(AgreementRow {
                theme: theme_name(&a.theme),
                kappa: fmt(a.kappa),
                alpha: fmt(a.alpha),
                verdict: word,
                low,
                units: a.units,
                observed: a.observed.map(|o| format!("{:.0}%", o * 100.0)).unwrap_or_else(|| "—".into()),
                applied: a
                    .applied
                    .iter()
                    .map(|(c, n)| format!("{} {n}", names.get(c).cloned().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
            for d in &a.disagreements {
                let Some(s) = stories.get(&d.unit) else { continue };
                disagreements.push(DisagreementView {
                    href: format!("/manage/campaigns/{}/stories/{}", campaign.slug(), s.id),
                    heading: s.title.clone().unwrap_or_else(|| "Verhaal zonder titel".into()),
                    excerpt: excerpt(&s.text, 240),
                    theme: theme_name(&d.theme),
                    applied_by: who(&d.applied_by),
                    not_applied_by: who(&d.not_applied_by),
                });
            }
        }
    }
    let tpl = SamplePage {
        page: Page::new(Lang::Nl, format!("Steekproef · {}", sample.name)).signed_in(&signed.0, &csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        name: sample.name.clone(),
        stories: sample.story_ids.len(),
        theme_names: sample.theme_ids.iter().map(|t| theme_name(t)).collect(),
        created: date_time(sample.created_at),
        created_by: people.name(&state, sample.created_by.as_deref()).await,
        code_href: format!("{}/{}/code", base(&campaign), sample.id),
        two_coders: coder_ids.len() == 2,
        coders,
        my_done,
        blind,
        rows,
        disagreements,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

// ---------------------------------------------------------------------------------------------
// The blind coder page

pub struct ThemeBox {
    pub id: String,
    pub name: String,
    pub description: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "manage/agreement_code.html")]
pub struct CodePage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub name: String,
    pub sample_href: String,
    pub action: String,
    pub position: usize,
    pub total: usize,
    pub done: usize,
    pub story_id: String,
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
    pub themes: Vec<ThemeBox>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// `GET /manage/campaigns/{slug}/agreement/{sample_id}/code[?at=N]`: story N of the sample
/// (1-based), by default the first one this coder has not coded yet.
pub async fn code_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, sample_id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let sample = sample_in(&state, &campaign, &sample_id).await?;
    let codings = or_page(state.store.sample_codings(&sample.id).await)?;
    let me = signed.0.user.id.as_str();
    let mine: Vec<&SampleCoding> = codings.iter().filter(|c| c.coder_id == me).collect();
    let coded: HashSet<&str> = mine.iter().map(|c| c.story_id.as_str()).collect();
    let total = sample.story_ids.len();
    let index = match q.get("at").and_then(|a| a.parse::<usize>().ok()) {
        Some(n) if (1..=total).contains(&n) => n - 1,
        _ => match sample.story_ids.iter().position(|s| !coded.contains(s.as_str())) {
            Some(i) => i,
            // All done: the results.
            None => return Ok(Redirect::to(&format!("{}/{}", base(&campaign), sample.id)).into_response()),
        },
    };
    let story_id = &sample.story_ids[index];
    let story = match state.store.story(story_id).await {
        Ok(s) => Some(s),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(Error::from(e).html(Lang::Nl).into_response()),
    };
    let themes = or_page(state.store.themes(Some(&campaign.id)).await)?;
    let boxes = sample
        .theme_ids
        .iter()
        .filter_map(|id| themes.iter().find(|t| &t.id == id))
        .map(|t| ThemeBox {
            id: t.id.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            checked: mine.iter().any(|c| c.story_id == *story_id && c.theme_id == t.id && c.applied),
        })
        .collect();
    let here = format!("{}/{}/code", base(&campaign), sample.id);
    let tpl = CodePage {
        page: Page::new(Lang::Nl, format!("Coderen · {}", sample.name)).signed_in(&signed.0, &csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        name: sample.name.clone(),
        sample_href: format!("{}/{}", base(&campaign), sample.id),
        action: here.clone(),
        position: index + 1,
        total,
        done: coded.len(),
        story_id: story_id.clone(),
        heading: story
            .as_ref()
            .map(|s| s.title.clone().unwrap_or_else(|| "Verhaal zonder titel".into()))
            .unwrap_or_else(|| "Dit verhaal is verwijderd".into()),
        paragraphs: story.as_ref().map(|s| paragraphs(&s.text, &s.safeguarding)).unwrap_or_default(),
        themes: boxes,
        previous: (index > 0).then(|| format!("{here}?at={index}")),
        next: (index + 1 < total).then(|| format!("{here}?at={}", index + 2)),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `POST /manage/campaigns/{slug}/agreement/{sample_id}/code` (`story`, `theme`…): this coder's
/// decision on every theme of the sample for one story (ticked: applies; not ticked: does not).
pub async fn code(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, sample_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ReadStories(id)).await?;
    let sample = sample_in(&state, &campaign, &sample_id).await?;
    let v = crate::http::form::FormValues(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let story = v.get("story");
    let Some(index) = sample.story_ids.iter().position(|s| s == story) else {
        return Err(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
            &crate::http::views::MessagePage {
                page: Page::new(Lang::Nl, "Niet bewaard"),
                heading: "Niet bewaard".into(),
                text: "Dit verhaal hoort niet bij de steekproef. Open de steekproef opnieuw en codeer vanaf daar.".into(),
                link: Some((format!("{}/{}", base(&campaign), sample.id), "Naar de steekproef".into())),
            },
        ));
    };
    let ticked: HashSet<&str> = v.all("theme").into_iter().collect();
    let codings: Vec<SampleCoding> = sample
        .theme_ids
        .iter()
        .map(|t| SampleCoding {
            coder_id: signed.0.user.id.clone(),
            story_id: story.to_string(),
            theme_id: t.clone(),
            applied: ticked.contains(t.as_str()),
        })
        .collect();
    or_page(state.store.record_codings(&sample.id, &codings).await)?;
    let here = format!("{}/{}/code", base(&campaign), sample.id);
    // On to the next story this coder has not done (or the results when all are done).
    let next = if v.get("then") == "next" && index + 1 < sample.story_ids.len() {
        format!("{here}?at={}", index + 2)
    } else {
        here
    };
    Ok(Redirect::to(&next).into_response())
}
