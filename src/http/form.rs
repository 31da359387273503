//! The public story form at `/c/{slug}`: write (step 1), privacy preview (step 2), receipt
//! (step 3). Works without JavaScript: every step is a plain form post, and everything typed
//! travels with the form so "back", errors and the language switch never lose a word.

use super::AppState;
use super::csrf::CsrfToken;
use super::error::Error;
use super::i18n::Ui;
use super::limits::{self, ClientAddr};
use super::routes::Routes;
use super::views::HelpView;
use super::views::{
    AboutView, AnswerView, ConsentRuleView, CornerView, ErrorView, FormPage, FormRetryPage, MessagePage,
    Notice, OptionView, Page, PreviewPage, PromptView, ReceiptCodePage, SegmentView, SignifierView,
    describe_answer, render,
};
use crate::analysis::safeguarding::Signal;
use crate::collect::{self, Consent, Prepared, Submission};
use crate::domain::campaign::{Availability, ConsentBasis};
use crate::domain::story::StorySource;
use crate::domain::{
    AgeBand, Campaign, FieldError, Lang, Perspective, Problem, ReceiptCode, RegionField, SignifierKind,
    region,
};
use crate::store::StoreError;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

pub fn routes() -> Routes {
    Routes::new()
        .get("/c/{slug}", show_form)
        .post("/c/{slug}/preview", preview)
        .post("/c/{slug}/edit", edit)
        .post("/c/{slug}/submit", submit)
}

#[derive(Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// The posted form, as name/value pairs in order (checkboxes repeat names).
#[derive(Debug, Clone, Default)]
pub struct FormValues(pub Vec<(String, String)>);

impl FormValues {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Turns the posted fields into a submission. Fields that are not even numbers are
    /// reported here, with the same error type as every other validation problem.
    pub fn to_submission(&self, campaign: &Campaign) -> (Submission, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut answers = BTreeMap::new();
        for sig in campaign.def.active_signifiers() {
            let id = &sig.id;
            if self.has(&format!("skip.{id}"), "1") {
                answers.insert(id.clone(), Value::Null);
                continue;
            }
            let raw = match &sig.kind {
                SignifierKind::Triad { .. } => {
                    let parts: Vec<&str> = (0..3).map(|i| self.get(&format!("a.{id}.{i}")).trim()).collect();
                    if parts.iter().all(|p| p.is_empty()) {
                        // Nothing typed and no dot placed: no answer, never a number.
                        None
                    } else {
                        // A corner left empty next to filled ones counts for nothing (0).
                        let mut nums = Vec::new();
                        for p in parts {
                            match if p.is_empty() { Ok(0.0) } else { parse_percent(p) } {
                                Ok(x) => nums.push(Value::from(x)),
                                Err(v) => {
                                    errors
                                        .push(FieldError::new(sig.field(), Problem::NotANumber { value: v }));
                                    break;
                                }
                            }
                        }
                        (nums.len() == 3).then_some(Value::Array(nums))
                    }
                }
                SignifierKind::Dyad { .. } => {
                    // A slider that was never moved sends nothing (or, from an older page, an
                    // `untouched` marker); the no-JS scale sends "" for "geen antwoord".
                    let v = self.get(&format!("a.{id}")).trim();
                    if self.has(&format!("untouched.{id}"), "1") || v.is_empty() {
                        None
                    } else {
                        match parse_percent(v) {
                            Ok(x) if (0.0..=100.0).contains(&x) => Some(Value::from(x / 100.0)),
                            Ok(_) => {
                                errors.push(FieldError::new(sig.field(), Problem::DyadInvalid));
                                None
                            }
                            Err(v) => {
                                errors.push(FieldError::new(sig.field(), Problem::NotANumber { value: v }));
                                None
                            }
                        }
                    }
                }
                SignifierKind::Choice { multiple, .. } => {
                    let chosen = self.all(&format!("a.{id}"));
                    match (chosen.len(), multiple) {
                        (0, _) => None,
                        (1, false) => Some(Value::from(chosen[0])),
                        _ => Some(Value::from(chosen.iter().map(|c| Value::from(*c)).collect::<Vec<_>>())),
                    }
                }
            };
            if let Some(v) = raw {
                answers.insert(id.clone(), v);
            }
        }
        let sub = Submission {
            text: self.get("text").to_string(),
            title: self.opt("title"),
            language: None,
            perspective: self.opt("perspective"),
            age_band: self.opt("age_band"),
            region: self.opt("region"),
            prompt: self.opt("prompt"),
            consent: self.has("consent", "yes"),
            guardian_consent: self.has("consent_guardian", "yes"),
            answers,
        };
        (sub, errors)
    }
}

/// Numbers as people type them: "40", "40,5", " 40 % ".
fn parse_percent(s: &str) -> Result<f64, String> {
    let cleaned = s.trim().trim_end_matches('%').trim().replace(',', ".");
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| s.to_string())
}

/// What was typed, for when the campaign cannot be read: the answer then keeps it (see
/// `retry_page`) instead of losing it to an error page.
struct Typed<'a> {
    values: &'a FormValues,
    /// Where the form was going (`/c/{slug}/preview` or `/submit`).
    action: String,
    csrf: &'a CsrfToken,
}

async fn load_open(
    state: &AppState,
    slug: &str,
    lang: Lang,
    typed: Option<Typed<'_>>,
) -> Result<Campaign, Response> {
    let campaign = match state.store.campaign_by_slug(slug).await {
        Ok(c) => c,
        Err(e) if e.is_unavailable() && typed.is_some() => {
            let typed = typed.expect("checked above");
            return Err(retry_page(lang, typed.values, &typed.action, typed.csrf));
        }
        Err(e) => return Err(Error::from(e).html(lang).into_response()),
    };
    let lang = campaign.def.pick_lang(lang);
    let t = super::i18n::ui(lang);
    let today = OffsetDateTime::now_utc().date();
    let (heading, text) = match campaign.availability(today) {
        Availability::Open => return Ok(campaign),
        // A draft does not exist for the public yet: not even its title is shown.
        Availability::Draft => return Err(Error::not_found().html(lang).into_response()),
        Availability::Closed => (t.closed_title, t.closed_text.to_string()),
        Availability::NotYetOpen(date) => (t.not_yet_title, format!("{} {date}.", t.not_yet_text)),
    };
    let page = Page::new(lang, campaign.def.title.get(lang));
    Err(render(
        StatusCode::OK,
        false,
        &MessagePage { page, heading: heading.into(), text, link: Some(("/".into(), t.back_home.into())) },
    ))
}

use axum::response::IntoResponse;

async fn show_form(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let wanted = Lang::from_param(q.lang.as_deref());
    let campaign = match load_open(&state, &slug, wanted, None).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = campaign.def.pick_lang(wanted);
    form_page(&campaign, lang, &FormValues::default(), &[], StatusCode::OK, &csrf)
}

/// Returns the form with what was typed (after "back", or a language switch).
async fn edit(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = FormValues(fields);
    let wanted = Lang::from_param(q.lang.as_deref().or(Some(values.get("lang"))));
    let typed = Typed { values: &values, action: format!("/c/{slug}/edit"), csrf: &csrf };
    let campaign = match load_open(&state, &slug, wanted, Some(typed)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = campaign.def.pick_lang(wanted);
    form_page(&campaign, lang, &values, &[], StatusCode::OK, &csrf)
}

/// The posted fields checked and scrubbed as the preview and the submit step do (public for the
/// `form_fields` fuzz target).
#[doc(hidden)]
pub fn validate(campaign: &Campaign, values: &FormValues, lang: Lang) -> Result<Prepared, Vec<FieldError>> {
    let (sub, mut early) = values.to_submission(campaign);
    match collect::prepare(campaign, &sub, lang, Consent::Required) {
        Ok(p) if early.is_empty() => Ok(p),
        Ok(_) => Err(early),
        Err(mut errs) => {
            // A field that was not a number is reported once, with the clearer message.
            errs.retain(|e| !early.iter().any(|x| x.field == e.field));
            early.append(&mut errs);
            Err(early)
        }
    }
}

async fn preview(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = FormValues(fields);
    if let Some(refusal) = honeypot(&values) {
        return refusal;
    }
    let wanted = Lang::from_param(Some(values.get("lang")));
    let typed = Typed { values: &values, action: format!("/c/{slug}/preview"), csrf: &csrf };
    let campaign = match load_open(&state, &slug, wanted, Some(typed)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = campaign.def.pick_lang(wanted);
    match validate(&campaign, &values, lang) {
        Err(errors) => form_page(&campaign, lang, &values, &errors, StatusCode::UNPROCESSABLE_ENTITY, &csrf),
        Ok(prepared) => preview_page(&campaign, lang, &values, &prepared, &csrf),
    }
}

async fn submit(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientAddr(ip): ClientAddr,
    Path(slug): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = FormValues(fields);
    if let Some(refusal) = honeypot(&values) {
        return refusal;
    }
    let wanted = Lang::from_param(Some(values.get("lang")));
    let typed = Typed { values: &values, action: format!("/c/{slug}/submit"), csrf: &csrf };
    let campaign = match load_open(&state, &slug, wanted, Some(typed)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = campaign.def.pick_lang(wanted);
    let t = super::i18n::ui(lang);
    let prepared = match validate(&campaign, &values, lang) {
        Ok(p) => p,
        Err(errors) => {
            collect::count_refused(&errors);
            return form_page(&campaign, lang, &values, &errors, StatusCode::UNPROCESSABLE_ENTITY, &csrf);
        }
    };
    if let Err(wait) = limits::check(&state.limits.story_client, &ip) {
        collect::count_refused_for("rate_limited");
        return too_many_stories(lang, wait);
    }
    let token = values.get("token").trim();
    let submission_key = (!token.is_empty()).then(|| hex::encode(Sha256::digest(token.as_bytes())));
    let code = ReceiptCode::generate();
    let story = prepared.into_new_story(
        &campaign,
        StorySource::Form,
        Some(code.hash()),
        submission_key,
        None,
        OffsetDateTime::now_utc(),
    );
    let campaign_title = campaign.def.title.get(lang).to_string();
    match state.store.insert_story(&story).await {
        // The receipt is shown only now, after the commit.
        Ok(()) => {
            collect::count_accepted(StorySource::Form);
            tracing::info!(campaign = %campaign.slug(), story_id = %story.id, "story stored");
            state.search.notify();
            let page = Page::new(lang, t.step3).private().with_csrf(&csrf);
            let help = help_view(lang, &story.safeguarding);
            let about = about_view(&campaign, lang);
            render(
                StatusCode::OK,
                true,
                &ReceiptCodePage {
                    page,
                    campaign_title,
                    results_href: format!("/c/{}/results", campaign.slug()),
                    code: Some(code.display()),
                    help,
                    about,
                },
            )
        }
        Err(StoreError::Conflict(rule)) if rule == "submission_key" => {
            let page = Page::new(lang, t.step3).private().with_csrf(&csrf);
            let help = help_view(lang, &story.safeguarding);
            let about = about_view(&campaign, lang);
            render(
                StatusCode::OK,
                true,
                &ReceiptCodePage {
                    page,
                    campaign_title,
                    results_href: format!("/c/{}/results", campaign.slug()),
                    code: None,
                    help,
                    about,
                },
            )
        }
        // Not stored: the form comes back with everything typed (and the same submission
        // token, so a retry after a commit whose answer was lost stores the story once).
        Err(e) if e.is_unavailable() => {
            collect::count_refused_for("unavailable");
            unsaved_form(&campaign, lang, &values, &csrf)
        }
        Err(e) => Error::from(e).html(lang).into_response(),
    }
}

/// The form again, filled in as it was sent, with the message that the story could not be
/// saved yet: 503 with Retry-After, like the API.
fn unsaved_form(campaign: &Campaign, lang: Lang, values: &FormValues, csrf: &CsrfToken) -> Response {
    let mut view = form_view(campaign, lang, values, &[], csrf);
    view.unavailable = Some(unsaved_notice(lang));
    view.token = submission_token(values).unwrap_or_default();
    with_retry_after(render(StatusCode::SERVICE_UNAVAILABLE, true, &view))
}

fn unsaved_notice(lang: Lang) -> Notice {
    let (heading, text) = match lang {
        Lang::Nl => (
            "Je verhaal is nog niet bewaard",
            "Het lukte ons even niet om je verhaal te bewaren. Het lag niet aan jou: alles wat je typte staat er nog. \
             Probeer het over een paar seconden opnieuw.",
        ),
        Lang::En => (
            "Your story has not been saved yet",
            "We could not save your story just now. It was not your fault: everything you typed is still here. \
             Please try again in a few seconds.",
        ),
    };
    Notice { heading: heading.into(), text: text.into() }
}

/// When the campaign itself could not be read: a page that holds everything typed and posts it
/// again to where it was going, so nothing is lost while the database is away.
fn retry_page(lang: Lang, values: &FormValues, action: &str, csrf: &CsrfToken) -> Response {
    let notice = unsaved_notice(lang);
    let hidden = values.0.iter().filter(|(k, _)| k != "_csrf").cloned().collect();
    let page = Page::new(lang, &notice.heading).private().with_csrf(csrf);
    let button = match lang {
        Lang::Nl => "Probeer opnieuw",
        Lang::En => "Try again",
    };
    let view = FormRetryPage {
        page,
        heading: notice.heading,
        text: notice.text,
        action: action.to_string(),
        hidden,
        story_text: values.get("text").to_string(),
        button: button.into(),
    };
    with_retry_after(render(StatusCode::SERVICE_UNAVAILABLE, true, &view))
}

fn with_retry_after(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(super::error::UNAVAILABLE_RETRY_AFTER_SECONDS),
    );
    resp
}

/// The submission token the form carried, if it is one this service hands out (32 hex digits).
fn submission_token(values: &FormValues) -> Option<String> {
    let token = values.get("token").trim();
    (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())).then(|| token.to_string())
}

fn field_target(field: &str) -> String {
    format!("f-{}", field.replace('.', "-"))
}

/// Where a field is on the page, so the error summary lists problems in reading order.
fn page_position(campaign: &Campaign, field: &str) -> usize {
    let signifiers = campaign.def.active_signifiers().count();
    match field {
        "prompt" => 0,
        "text" => 1,
        "title" => 2,
        "perspective" => 3,
        "age_band" => 4,
        "region" => 5,
        "consent" => 6 + signifiers,
        "consent_guardian" => 7 + signifiers,
        f => f
            .strip_prefix("answers.")
            .and_then(|id| campaign.def.active_signifiers().position(|s| s.id == id))
            .map(|i| 6 + i)
            .unwrap_or(8 + signifiers),
    }
}

fn field_label(campaign: &Campaign, field: &str, lang: Lang, t: &Ui) -> String {
    match field {
        "text" => t.text_label.into(),
        "title" => t.title_label.into(),
        "perspective" => t.perspective_label.into(),
        "age_band" => t.age_label.into(),
        "region" => match campaign.def.region {
            RegionField::Municipality => t.municipality_label.into(),
            _ => t.region_label.into(),
        },
        "prompt" => t.prompt_choose.into(),
        "consent" => t.consent_title.into(),
        "consent_guardian" => t.guardian_check.into(),
        f => f
            .strip_prefix("answers.")
            .and_then(|id| campaign.def.signifier(id))
            .map(|s| s.question.get(lang).to_string())
            .unwrap_or_else(|| f.to_string()),
    }
}

pub fn form_page(
    campaign: &Campaign,
    lang: Lang,
    values: &FormValues,
    errors: &[FieldError],
    status: StatusCode,
    csrf: &CsrfToken,
) -> Response {
    render(status, true, &form_view(campaign, lang, values, errors, csrf))
}

/// The empty form exactly as a storyteller sees it, for the workspace preview: a banner says
/// nothing is sent and the button to go on is disabled. Shown for drafts too.
pub fn form_preview(campaign: &Campaign, lang: Lang, csrf: &CsrfToken) -> Response {
    let mut view = form_view(campaign, lang, &FormValues::default(), &[], csrf);
    view.preview = true;
    render(StatusCode::OK, true, &view)
}

fn form_view(
    campaign: &Campaign,
    lang: Lang,
    values: &FormValues,
    errors: &[FieldError],
    csrf: &CsrfToken,
) -> FormPage {
    let def = &campaign.def;
    let t = super::i18n::ui(lang);
    let field_errors: HashMap<String, String> =
        errors.iter().map(|e| (e.field.clone(), e.message(lang))).collect();
    let mut ordered: Vec<&FieldError> = errors.iter().collect();
    ordered.sort_by_key(|e| page_position(campaign, &e.field));
    let error_views = ordered
        .into_iter()
        .map(|e| ErrorView {
            target: field_target(&e.field),
            label: field_label(campaign, &e.field, lang, t),
            message: e.message(lang),
        })
        .collect();
    let active_prompts: Vec<_> = def.active_prompts().collect();
    let (prompts, single_prompt) = if active_prompts.len() == 1 {
        (Vec::new(), Some(active_prompts[0].text.get(lang).to_string()))
    } else {
        let prompts = active_prompts
            .iter()
            .map(|p| PromptView {
                id: p.id.clone(),
                text: p.text.get(lang).to_string(),
                checked: values.has("prompt", &p.id),
            })
            .collect();
        (prompts, None)
    };
    let perspectives = Perspective::ALL
        .iter()
        .map(|p| OptionView {
            value: p.as_str().into(),
            label: p.label(lang).into(),
            checked: values.has("perspective", p.as_str()),
        })
        .collect();
    let age_bands = if def.ask_age_band {
        AgeBand::ALL
            .iter()
            .map(|a| OptionView {
                value: a.code().into(),
                label: a.label(lang).into(),
                checked: values.has("age_band", a.code()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (region_label, places) = match def.region {
        RegionField::None => (None, &[][..]),
        RegionField::Region => (Some(t.region_label.to_string()), region::regions()),
        RegionField::Municipality => (Some(t.municipality_label.to_string()), region::municipalities()),
    };
    let regions = places
        .iter()
        .map(|p| OptionView {
            value: p.code.clone(),
            label: p.name.clone(),
            checked: values.has("region", &p.code),
        })
        .collect();
    let signifiers = def
        .active_signifiers()
        .map(|s| {
            let id = &s.id;
            let mut view = SignifierView {
                id: id.clone(),
                kind: s.kind.name(),
                question: s.question.get(lang).into(),
                help: s.help.as_ref().map(|h| h.get(lang).to_string()).filter(|h| !h.is_empty()),
                required: s.required,
                error: field_errors.get(&s.field()).cloned(),
                skipped: values.has(&format!("skip.{id}"), "1"),
                corners: Vec::new(),
                poles: Vec::new(),
                dyad_value: String::new(),
                dyad_steps: Vec::new(),
                options: Vec::new(),
                multiple: false,
            };
            match &s.kind {
                SignifierKind::Triad { corners } => {
                    view.corners = corners
                        .iter()
                        .enumerate()
                        .map(|(i, c)| CornerView {
                            label: c.get(lang).into(),
                            value: values.get(&format!("a.{id}.{i}")).to_string(),
                        })
                        .collect();
                }
                SignifierKind::Dyad { poles } => {
                    view.poles = poles.iter().map(|p| p.get(lang).to_string()).collect();
                    let untouched = values.has(&format!("untouched.{id}"), "1");
                    let v = values.get(&format!("a.{id}")).trim();
                    if !untouched {
                        view.dyad_value = v.to_string();
                    }
                    view.dyad_steps = dyad_steps(&view.poles, &view.dyad_value, t);
                }
                SignifierKind::Choice { multiple, options } => {
                    view.multiple = *multiple;
                    view.options = options
                        .iter()
                        .filter(|o| !o.retired)
                        .map(|o| OptionView {
                            value: o.id.clone(),
                            label: o.label.get(lang).into(),
                            checked: values.has(&format!("a.{id}"), &o.id),
                        })
                        .collect();
                }
            }
            view
        })
        .collect();
    let other_lang = Lang::ALL.into_iter().find(|l| *l != lang && def.offers(*l));
    let page = Page::new(lang, def.title.get(lang)).private().with_csrf(csrf);
    FormPage {
        page,
        slug: def.slug.clone(),
        campaign_title: def.title.get(lang).into(),
        intro: def.intro.get(lang).into(),
        policy_question: def.policy_question.get(lang).into(),
        other_lang,
        errors: error_views,
        field_errors,
        prompts,
        single_prompt,
        text: values.get("text").into(),
        title_value: values.get("title").into(),
        min_chars: def.min_chars,
        max_chars: def.max_chars,
        perspectives,
        age_bands,
        region_label,
        regions,
        signifiers,
        consent_text: def
            .consent
            .as_ref()
            .map(|c| c.get(lang).to_string())
            .unwrap_or_else(|| t.consent_default.into()),
        consent_checked: values.has("consent", "yes"),
        consent_rules: consent_rule_views(campaign, lang),
        guardian_checked: values.has("consent_guardian", "yes"),
        about: about_view(campaign, lang),
        preview: false,
        unavailable: None,
        token: String::new(),
    }
}

/// The no-JS scale of a dyad: five steps from one pole to the other, plus the value posted by a
/// slider if it is none of them. "Geen antwoord" is a separate radio button, checked when empty.
fn dyad_steps(poles: &[String], value: &str, t: &Ui) -> Vec<OptionView> {
    let (left, right) = (poles[0].as_str(), poles[1].as_str());
    let mut steps: Vec<String> = ["0", "25", "50", "75", "100"].iter().map(|s| s.to_string()).collect();
    let posted = parse_percent(value).ok().filter(|x| (0.0..=100.0).contains(x));
    if let Some(x) = posted
        && !steps.iter().any(|s| s.parse::<f64>().ok() == Some(x))
    {
        steps.push(value.to_string());
        steps.sort_by(|a, b| parse_percent(a).unwrap_or(0.0).total_cmp(&parse_percent(b).unwrap_or(0.0)));
    }
    steps
        .into_iter()
        .map(|s| {
            let x = parse_percent(&s).unwrap_or(50.0);
            OptionView {
                label: super::views::dyad_words(x / 100.0, left, right, t),
                checked: posted == Some(x),
                value: s,
            }
        })
        .collect()
}

/// Who collects the story, how long it is kept and how to reach them; shown on the form and on
/// the receipt.
pub fn about_view(campaign: &Campaign, lang: Lang) -> AboutView {
    let t = super::i18n::ui(lang);
    let r = &campaign.def.responsible;
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    AboutView {
        organisation: some(&r.organisation).map(|o| t.about_organisation(&o)),
        contact: some(&r.contact),
        contact_href: r.contact_href(),
        retention: t.retention(campaign.def.retention_days),
        privacy_text: some(r.privacy_text.get(lang)),
        privacy_url: r.privacy_url.clone(),
    }
}

/// The consent blocks of the campaign's age-band rules, in file order.
fn consent_rule_views(campaign: &Campaign, lang: Lang) -> Vec<ConsentRuleView> {
    let t = super::i18n::ui(lang);
    let mut first_guardian = true;
    // Without the age question no rule can apply: everyone consents themselves.
    let rules = if campaign.def.ask_age_band { &campaign.def.consent_by_age[..] } else { &[] };
    rules
        .iter()
        .map(|rule| {
            let labels: Vec<&str> =
                AgeBand::ALL.iter().filter(|a| rule.covers(**a)).map(|a| a.label(lang)).collect();
            let guardian = rule.basis == ConsentBasis::Guardian;
            let text = match (rule.text.is_empty(), rule.basis) {
                (false, _) => rule.text.get(lang).to_string(),
                (true, ConsentBasis::Guardian) => t.guardian_default.to_string(),
                (true, _) => String::new(),
            };
            let view = ConsentRuleView {
                bands: rule.age_bands.join(" "),
                heading: t.consent_for_bands(&labels.join(", ")),
                text,
                basis: rule.basis.as_str(),
                guardian,
                first_guardian: guardian && first_guardian,
            };
            if guardian {
                first_guardian = false;
            }
            view
        })
        .collect()
}

/// Who told it, in words: shown on the preview and when a teller reads their story back.
pub fn fact_views(
    campaign: &Campaign,
    lang: Lang,
    perspective: Perspective,
    age_band: Option<AgeBand>,
    region_code: Option<&str>,
    municipality_code: Option<&str>,
) -> Vec<AnswerView> {
    let t = super::i18n::ui(lang);
    let mut facts =
        vec![AnswerView { question: t.perspective_label.into(), answer: perspective.label(lang).into() }];
    if campaign.def.ask_age_band {
        facts.push(AnswerView {
            question: t.age_label.into(),
            answer: age_band.map(|a| a.label(lang)).unwrap_or(t.not_given).into(),
        });
    }
    match campaign.def.region {
        RegionField::None => {}
        RegionField::Region => facts.push(AnswerView {
            question: t.region_label.into(),
            answer: region_code
                .and_then(region::region)
                .map(|p| p.name.as_str())
                .unwrap_or(t.not_given)
                .into(),
        }),
        RegionField::Municipality => facts.push(AnswerView {
            question: t.municipality_label.into(),
            answer: municipality_code
                .and_then(region::municipality)
                .map(|p| p.name.as_str())
                .unwrap_or(t.not_given)
                .into(),
        }),
    }
    facts
}

/// The teller's answers in words, in form order, including retired questions they answered.
pub fn answer_views(campaign: &Campaign, answers: &crate::domain::Answers, lang: Lang) -> Vec<AnswerView> {
    let t = super::i18n::ui(lang);
    campaign
        .def
        .signifiers
        .iter()
        .filter(|s| !s.retired || answers.contains_key(&s.id))
        .map(|s| AnswerView {
            question: s.question.get(lang).into(),
            answer: answers
                .get(&s.id)
                .map(|a| describe_answer(s, a, lang, t))
                .unwrap_or_else(|| t.preview_no_answer.into()),
        })
        .collect()
}

fn preview_page(
    campaign: &Campaign,
    lang: Lang,
    values: &FormValues,
    p: &Prepared,
    csrf: &CsrfToken,
) -> Response {
    let t = super::i18n::ui(lang);
    let hidden: Vec<(String, String)> =
        values.0.iter().filter(|(k, _)| k != "token" && k != "lang").cloned().collect();
    // An attempt that could not be saved comes back with its token: the retry keeps it.
    let token = submission_token(values).unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let tpl = PreviewPage {
        page: Page::new(lang, t.step2).private().with_csrf(csrf),
        help: help_view(lang, &p.safeguarding.signals),
        slug: campaign.def.slug.clone(),
        campaign_title: campaign.def.title.get(lang).into(),
        segments: SegmentView::from_scrubbed(&p.scrubbed),
        replaced: p.scrubbed.spans.len(),
        title_value: p.title.clone(),
        facts: fact_views(
            campaign,
            lang,
            p.perspective,
            p.age_band,
            p.region.as_deref(),
            p.municipality.as_deref(),
        ),
        answers: answer_views(campaign, &p.answers, lang),
        hidden,
        token,
    };
    render(StatusCode::OK, true, &tpl)
}

/// The hidden `website` field is invisible to people (and skipped by screen readers); only a bot
/// fills it in. Nothing is stored, and nothing in the answer tells the bot why.
fn honeypot(values: &FormValues) -> Option<Response> {
    if values.get("website").trim().is_empty() {
        return None;
    }
    tracing::warn!("story form: honeypot field filled in, nothing stored");
    Some(
        Error::new(super::error::ErrorKind::BadRequest("Er ging iets mis. Probeer het opnieuw.".into()))
            .html(Lang::Nl)
            .into_response(),
    )
}

fn too_many_stories(lang: Lang, wait: u64) -> Response {
    let minutes = wait.div_ceil(60);
    let (heading, text) = match lang {
        Lang::Nl => (
            "Even wachten",
            format!(
                "Vanaf jouw netwerk zijn net veel verhalen verstuurd. Wacht {minutes} minuten. Ga dan terug in je browser en klik nog eens op bewaren: je tekst staat er nog."
            ),
        ),
        Lang::En => (
            "Please wait a moment",
            format!(
                "Many stories were just sent from your network. Wait {minutes} minutes, then go back in your browser and press save again: your text is still there."
            ),
        ),
    };
    let mut resp = render(
        StatusCode::TOO_MANY_REQUESTS,
        false,
        &MessagePage { page: Page::new(lang, heading), heading: heading.into(), text, link: None },
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
    }
    resp
}

/// Where to get help now, when a story signals danger. Shown calmly on the preview and receipt.
pub fn help_view(lang: Lang, signals: &[Signal]) -> Option<HelpView> {
    if signals.is_empty() {
        return None;
    }
    Some(HelpView::new(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_accept_what_people_type() {
        assert_eq!(parse_percent("40"), Ok(40.0));
        assert_eq!(parse_percent(" 40,5 % "), Ok(40.5));
        assert_eq!(parse_percent("veel"), Err("veel".into()));
    }
}
