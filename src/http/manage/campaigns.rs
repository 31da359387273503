//! Campaign management in the browser: the workspace list, creating a campaign, its settings,
//! prompts and signifiers, the live preview, opening and closing, TOML import and export, and
//! (for admins) its facilitators. Every change is one small edit of the stored definition, saved
//! through `Store::save_campaign`, which merges it with what is stored (removed parts become
//! retired, kind changes are refused) and raises the form version. Every change is audited with
//! ids only, never story text. Pages work without JavaScript; `builder.js` only adds comfort.

use crate::auth::policy::{Denied, Permission};
use crate::campaigns::{self, CampaignError, Change, FormChange, NewCampaign, status_label};
use crate::domain::campaign::Availability;
use crate::domain::form_edit::{
    self, Direction, EditError, NewCampaignInput, NewSignifierInput, SettingsInput, SignifierInput,
};
use crate::domain::{
    Campaign, CampaignDef, CampaignStatus, Lang, Localized, Perspective, Role, SignifierKind,
};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ResultExt};
use crate::http::form::{FormValues, LangQuery};
use crate::http::page::{campaign_for, date_time, form};
use crate::http::routes::Routes;
use crate::http::views::{ErrorView, Page, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;
use time::OffsetDateTime;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage", workspace)
        .get("/manage/campaigns/new", new_campaign_page)
        .post("/manage/campaigns/new", create_campaign)
        .post("/manage/campaigns/new/toml", create_from_toml)
        .get("/manage/campaigns/{slug}", campaign_page)
        .post("/manage/campaigns/{slug}/settings", save_settings)
        .post("/manage/campaigns/{slug}/status", change_status)
        .post("/manage/campaigns/{slug}/prompts", add_prompt)
        .post("/manage/campaigns/{slug}/prompts/{id}", edit_prompt)
        .post("/manage/campaigns/{slug}/prompts/{id}/move", move_prompt)
        .post("/manage/campaigns/{slug}/prompts/{id}/remove", remove_prompt)
        .post("/manage/campaigns/{slug}/signifiers", add_signifier)
        .get("/manage/campaigns/{slug}/signifiers/{id}", signifier_page)
        .post("/manage/campaigns/{slug}/signifiers/{id}", edit_signifier)
        .post("/manage/campaigns/{slug}/signifiers/{id}/move", move_signifier)
        .post("/manage/campaigns/{slug}/signifiers/{id}/remove", remove_signifier)
        .get("/manage/campaigns/{slug}/preview", preview)
        .get("/manage/campaigns/{slug}/campaign.toml", export_toml)
        .post("/manage/campaigns/{slug}/import", import_toml)
        .post("/manage/campaigns/{slug}/members", change_member)
}

/// The preview is shown in a frame on the campaign page, so unlike every other page it may be
/// framed by this site (and only by this site).
const PREVIEW_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'";

fn base(slug: &str) -> String {
    format!("/manage/campaigns/{slug}")
}

/// The campaign of a workspace route, if the viewer may manage it (see `page::campaign_for`).
async fn load(state: &AppState, signed: &SignedIn, slug: &str) -> Result<Campaign, Response> {
    campaign_for(state, signed, slug, |id| Permission::ManageCampaign(id)).await
}

fn localized(v: &FormValues, prefix: &str) -> Localized {
    Localized::new(v.get(&format!("{prefix}_nl")), v.get(&format!("{prefix}_en")))
}

fn ticked(v: &FormValues, name: &str) -> bool {
    v.has(name, "1")
}

fn settings_input(v: &FormValues) -> SettingsInput {
    SettingsInput {
        title: localized(v, "title"),
        policy_question: localized(v, "policy_question"),
        intro: localized(v, "intro"),
        languages: v.all("languages").into_iter().map(str::to_string).collect(),
        opens: v.get("opens").into(),
        closes: v.get("closes").into(),
        retention_days: v.get("retention_days").into(),
        min_chars: v.get("min_chars").into(),
        max_chars: v.get("max_chars").into(),
        ask_age_band: ticked(v, "ask_age_band"),
        region: v.get("region").into(),
    }
}

fn perspective_label(p: Perspective) -> &'static str {
    match p {
        Perspective::Youth => "jongeren",
        Perspective::Parent => "ouders",
        Perspective::Professional => "professionals",
        Perspective::Other => "anders",
    }
}

fn dates_text(def: &CampaignDef) -> String {
    match (def.opens, def.closes) {
        (None, None) => "geen datums".into(),
        (Some(o), None) => format!("vanaf {o}"),
        (None, Some(c)) => format!("tot en met {c}"),
        (Some(o), Some(c)) => format!("{o} tot en met {c}"),
    }
}

/// What a status change button says.
fn status_action(to: CampaignStatus, from: CampaignStatus) -> &'static str {
    match (from, to) {
        (_, CampaignStatus::Open) if from == CampaignStatus::Closed => "Weer openen",
        (_, CampaignStatus::Open) => "Openen",
        (_, CampaignStatus::Closed) => "Sluiten",
        (_, CampaignStatus::Draft) => "Terug naar concept",
    }
}

/// The label of a field key in the error summary.
fn field_label(key: &str) -> String {
    let fixed = match key {
        "slug" => "Korte naam voor de link",
        "title_nl" => "Titel (Nederlands)",
        "title_en" => "Titel (Engels)",
        "languages" => "Talen",
        "opens" => "Open vanaf",
        "closes" => "Open tot en met",
        "retention_days" => "Bewaartermijn",
        "min_chars" => "Kortste verhaal",
        "max_chars" => "Langste verhaal",
        "region" => "Vraag naar de plaats",
        "prompt_id" => "Id van de uitnodiging",
        "prompt_nl" => "Uitnodiging",
        "sig_id" => "Id van de vraag",
        "sig_kind" => "Soort vraag",
        "sig_question_nl" => "Vraag",
        "sig_labels" => "Hoeken, polen of opties",
        "toml" => "TOML",
        "member" => "Facilitator",
        "status" => "Status",
        "question_nl" => "Vraag",
        "options" => "Opties",
        "pole0_nl" => "Linker pool",
        "pole1_nl" => "Rechter pool",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.into();
    }
    if let Some(i) = key.strip_prefix("corner").and_then(|r| r.strip_suffix("_nl")) {
        return format!("Hoek {}", i.parse::<usize>().map(|n| n + 1).unwrap_or(0));
    }
    if let Some(id) = key.strip_prefix("prompt-").and_then(|r| r.strip_suffix("-nl")) {
        return format!("Uitnodiging {id}");
    }
    "Wijziging".into()
}

/// A key starting with `#` names a section (a refusal that belongs to no single field).
fn field_target(key: &str) -> String {
    match key.strip_prefix('#') {
        Some(section) => section.to_string(),
        None => format!("f-{key}"),
    }
}

struct Errors {
    summary: Vec<ErrorView>,
    fields: HashMap<String, String>,
}

impl Errors {
    fn new(errors: &[EditError]) -> Errors {
        Errors {
            summary: errors
                .iter()
                .map(|e| ErrorView {
                    target: field_target(&e.field),
                    label: field_label(&e.field),
                    message: e.message.clone(),
                })
                .collect(),
            fields: errors.iter().map(|e| (e.field.clone(), e.message.clone())).collect(),
        }
    }
}

/// The notice after a change, from the `done` key of the redirect.
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "created" => {
            "De campagne is aangemaakt als concept. Voeg vragen toe, bekijk het voorbeeld en open de campagne als alles klopt."
        }
        "settings" => "De instellingen zijn opgeslagen.",
        "status" => "De status is gewijzigd.",
        "prompt_added" => "De uitnodiging is toegevoegd.",
        "prompt_changed" => "De uitnodiging is opgeslagen.",
        "prompt_moved" => "De uitnodiging is verplaatst.",
        "prompt_removed" => "De uitnodiging is verwijderd. Verhalen die ermee verteld zijn, houden haar.",
        "signifier_added" => "De vraag is toegevoegd. Kies Bewerken om uitleg toe te voegen.",
        "signifier_changed" => "De vraag is opgeslagen.",
        "signifier_moved" => "De vraag is verplaatst.",
        "signifier_removed" => "De vraag is verwijderd. Oude antwoorden blijven leesbaar.",
        "imported" => "Het TOML-bestand is ingelezen.",
        "member_added" => "De facilitator is toegevoegd.",
        "member_removed" => "De facilitator is verwijderd uit deze campagne.",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The workspace home

struct CampaignRow {
    href: String,
    title: String,
    slug: String,
    status: &'static str,
    status_code: &'static str,
    dates: String,
    counts: Vec<i64>,
    total: i64,
}

#[derive(Template)]
#[template(path = "manage/workspace.html")]
struct WorkspacePage {
    page: Page,
    may_create: bool,
    perspectives: Vec<&'static str>,
    campaigns: Vec<CampaignRow>,
}

async fn workspace(signed: SignedIn, State(state): State<AppState>, csrf: CsrfToken) -> Response {
    if let Err(r) = signed.require(Permission::UseWorkspace) {
        return r;
    }
    let all = match state.store.campaigns().await.html(Lang::Nl) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let mut campaigns = Vec::new();
    for c in all.iter().filter(|c| signed.0.may(Permission::ManageCampaign(&c.id))) {
        let by = match state.store.count_by_perspective(&c.id).await.html(Lang::Nl) {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        let counts: Vec<i64> = Perspective::ALL
            .iter()
            .map(|p| by.iter().find(|(q, _)| q == p).map(|(_, n)| *n).unwrap_or(0))
            .collect();
        campaigns.push(CampaignRow {
            href: base(c.slug()),
            title: c.def.title.get(Lang::Nl).into(),
            slug: c.slug().into(),
            status: status_label(c.def.status),
            status_code: c.def.status.as_str(),
            dates: dates_text(&c.def),
            total: counts.iter().sum(),
            counts,
        });
    }
    let tpl = WorkspacePage {
        page: Page::new(Lang::Nl, "Campagnes").signed_in(&signed.0, &csrf),
        may_create: signed.0.may(Permission::CreateCampaign),
        perspectives: Perspective::ALL.iter().map(|p| perspective_label(*p)).collect(),
        campaigns,
    };
    render(StatusCode::OK, true, &tpl)
}

// ---------------------------------------------------------------------------------------------
// A new campaign

#[derive(Template)]
#[template(path = "manage/new_campaign.html")]
struct NewCampaignPage {
    page: Page,
    input: NewCampaignInput,
    settings: SettingsInput,
    toml: String,
    errors: Vec<ErrorView>,
    field_errors: HashMap<String, String>,
}

impl NewCampaignPage {
    fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
    fn lang_checked(&self, code: &str) -> bool {
        self.settings.languages.iter().any(|l| l == code)
    }
}

fn new_campaign_view(
    signed: &SignedIn,
    csrf: &CsrfToken,
    input: NewCampaignInput,
    toml: String,
    errors: &[EditError],
) -> NewCampaignPage {
    let errors = Errors::new(errors);
    NewCampaignPage {
        page: Page::new(Lang::Nl, "Nieuwe campagne").signed_in(&signed.0, csrf),
        settings: input.settings.clone(),
        input,
        toml,
        errors: errors.summary,
        field_errors: errors.fields,
    }
}

async fn new_campaign_page(signed: SignedIn, csrf: CsrfToken) -> Response {
    if let Err(r) = signed.require(Permission::CreateCampaign) {
        return r;
    }
    let input = NewCampaignInput {
        slug: String::new(),
        settings: SettingsInput {
            languages: vec!["nl".into()],
            retention_days: "730".into(),
            min_chars: "20".into(),
            max_chars: "20000".into(),
            ask_age_band: true,
            region: "region".into(),
            ..SettingsInput::default()
        },
        prompt_id: "verhaal".into(),
        prompt: Localized::default(),
    };
    render(StatusCode::OK, true, &new_campaign_view(&signed, &csrf, input, String::new(), &[]))
}

/// Creates the campaign (one use case) and goes to its page, or shows the problems.
async fn create(
    state: &AppState,
    signed: &SignedIn,
    input: &NewCampaign,
    refuse: impl FnOnce(Vec<EditError>) -> Response,
) -> Response {
    match campaigns::create(&state.store, &signed.actor(), input).await {
        Ok(c) => Redirect::to(&format!("{}?done=created", base(c.slug()))).into_response(),
        Err(CampaignError::Invalid(errors)) => refuse(errors),
        Err(e) => failed(e),
    }
}

/// A campaign use case's failure that is not shown with the form.
fn failed(e: CampaignError) -> Response {
    match e {
        CampaignError::NotFound => denied(Denied::NotFound),
        CampaignError::Store(e) => Error::from(e).into_response(),
        e => Error::from(anyhow::anyhow!(e)).into_response(),
    }
}

async fn create_campaign(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    body: Bytes,
) -> Response {
    if let Err(r) = signed.require(Permission::CreateCampaign) {
        return r;
    }
    let v = form(&body);
    let input = NewCampaignInput {
        slug: v.get("slug").into(),
        settings: settings_input(&v),
        prompt_id: v.get("prompt_id").into(),
        prompt: localized(&v, "prompt"),
    };
    let new = NewCampaign::Form(input.clone());
    create(&state, &signed, &new, |errors| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
            &new_campaign_view(&signed, &csrf, input, String::new(), &errors),
        )
    })
    .await
}

async fn create_from_toml(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    body: Bytes,
) -> Response {
    if let Err(r) = signed.require(Permission::CreateCampaign) {
        return r;
    }
    let text = form(&body).get("toml").to_string();
    let new = NewCampaign::Toml(text.clone());
    create(&state, &signed, &new, |errors| {
        let mut input = NewCampaignInput::default();
        input.settings.languages = vec!["nl".into()];
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
            &new_campaign_view(&signed, &csrf, input, text, &errors),
        )
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The campaign page

struct PromptRow {
    id: String,
    nl: String,
    en: String,
    retired: bool,
    first: bool,
    last: bool,
    error: Option<String>,
}

struct OptionRow {
    id: String,
    label: String,
    retired: bool,
}

struct SignifierRow {
    id: String,
    kind_label: &'static str,
    question: String,
    required: bool,
    retired: bool,
    first: bool,
    last: bool,
    /// Corners or poles, in words.
    labels: Vec<String>,
    multiple: bool,
    options: Vec<OptionRow>,
}

struct UserRow {
    id: String,
    name: String,
    email: String,
}

struct MembersView {
    members: Vec<UserRow>,
    candidates: Vec<UserRow>,
}

struct PreviewLink {
    href: String,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "manage/campaign.html")]
struct CampaignPage {
    page: Page,
    slug: String,
    title: String,
    status: &'static str,
    status_code: &'static str,
    availability: String,
    form_version: i64,
    public_href: String,
    status_actions: Vec<(&'static str, &'static str)>,
    perspectives: Vec<(&'static str, i64)>,
    total: i64,
    missing_en: Vec<String>,
    preview_src: String,
    preview_links: Vec<PreviewLink>,
    prompts: Vec<PromptRow>,
    new_prompt_id: String,
    new_prompt: Localized,
    signifiers: Vec<SignifierRow>,
    new_sig: NewSignifierInput,
    settings: SettingsInput,
    import_text: String,
    members: Option<MembersView>,
    notice: Option<&'static str>,
    errors: Vec<ErrorView>,
    field_errors: HashMap<String, String>,
    /// Set when a save was refused because a colleague changed the campaign in between.
    conflict: Option<ConflictView>,
}

impl CampaignPage {
    fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
    fn lang_checked(&self, code: &str) -> bool {
        self.settings.languages.iter().any(|l| l == code)
    }
}

/// What was typed into the one form that was posted, to show it again with its errors.
#[derive(Default)]
struct Typed {
    settings: Option<SettingsInput>,
    new_prompt: Option<(String, Localized)>,
    prompt_edit: Option<(String, Localized)>,
    new_signifier: Option<NewSignifierInput>,
    import: Option<String>,
}

/// Everything a campaign-scoped handler works with.
struct Ctx<'a> {
    state: &'a AppState,
    signed: &'a SignedIn,
    csrf: &'a CsrfToken,
    campaign: &'a Campaign,
}

impl Ctx<'_> {
    async fn page(&self, typed: Typed, errors: &[EditError], done: Option<&str>) -> Response {
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        match self.view(typed, errors, done).await {
            Ok(view) => render(status, true, &view),
            Err(e) => e.into_response(),
        }
    }

    async fn view(
        &self,
        typed: Typed,
        errors: &[EditError],
        done: Option<&str>,
    ) -> Result<CampaignPage, Error> {
        let c = self.campaign;
        let def = &c.def;
        let slug = c.slug().to_string();
        let by = self.state.store.count_by_perspective(&c.id).await.html(Lang::Nl)?;
        let perspectives: Vec<(&'static str, i64)> = Perspective::ALL
            .iter()
            .map(|p| (perspective_label(*p), by.iter().find(|(q, _)| q == p).map(|(_, n)| *n).unwrap_or(0)))
            .collect();
        let today = OffsetDateTime::now_utc().date();
        let availability = match c.availability(today) {
            Availability::Open => "Het formulier neemt verhalen aan.".to_string(),
            Availability::Draft => {
                "Concept: het formulier neemt nog geen verhalen aan. Alleen jij en andere facilitators zien het voorbeeld.".into()
            }
            Availability::NotYetOpen(d) => {
                format!("Open vanaf {d}. Tot dan ziet een bezoeker een melding dat het formulier nog niet open is.")
            }
            Availability::Closed if def.status == CampaignStatus::Open => {
                "De einddatum is voorbij: het formulier neemt geen verhalen meer aan.".into()
            }
            Availability::Closed => {
                "Gesloten: het formulier neemt geen verhalen meer aan. Bewaarde verhalen blijven leesbaar.".into()
            }
        };
        let status_actions = [CampaignStatus::Open, CampaignStatus::Closed]
            .into_iter()
            .filter(|to| form_edit::status_change_allowed(def.status, *to))
            .map(|to| (to.as_str(), status_action(to, def.status)))
            .collect();
        let field_errors = Errors::new(errors);
        let active_prompts = def.active_prompts().count();
        let mut seen = 0;
        let prompts = def
            .prompts
            .iter()
            .map(|p| {
                let key = format!("prompt-{}-nl", p.id);
                let text = match &typed.prompt_edit {
                    Some((id, text)) if *id == p.id => text.clone(),
                    _ => p.text.clone(),
                };
                if !p.retired {
                    seen += 1;
                }
                PromptRow {
                    id: p.id.clone(),
                    nl: text.nl,
                    en: text.en,
                    retired: p.retired,
                    first: !p.retired && seen == 1,
                    last: !p.retired && seen == active_prompts,
                    error: field_errors.fields.get(&key).cloned(),
                }
            })
            .collect();
        let active_sigs = def.active_signifiers().count();
        let mut seen = 0;
        let signifiers = def
            .signifiers
            .iter()
            .map(|s| {
                if !s.retired {
                    seen += 1;
                }
                let mut row = SignifierRow {
                    id: s.id.clone(),
                    kind_label: form_edit::kind_label(s.kind.name()),
                    question: s.question.get(Lang::Nl).into(),
                    required: s.required,
                    retired: s.retired,
                    first: !s.retired && seen == 1,
                    last: !s.retired && seen == active_sigs,
                    labels: Vec::new(),
                    multiple: false,
                    options: Vec::new(),
                };
                match &s.kind {
                    SignifierKind::Triad { corners } => {
                        row.labels = corners.iter().map(|c| c.get(Lang::Nl).to_string()).collect()
                    }
                    SignifierKind::Dyad { poles } => {
                        row.labels = poles.iter().map(|p| p.get(Lang::Nl).to_string()).collect()
                    }
                    SignifierKind::Choice { multiple, options } => {
                        row.multiple = *multiple;
                        row.options = options
                            .iter()
                            .map(|o| OptionRow {
                                id: o.id.clone(),
                                label: o.label.get(Lang::Nl).into(),
                                retired: o.retired,
                            })
                            .collect();
                    }
                }
                row
            })
            .collect();
        let members = if self.signed.0.may(Permission::ManageMembers) {
            let members = self.state.store.campaign_members(&c.id).await.html(Lang::Nl)?;
            let users = self.state.store.users().await.html(Lang::Nl)?;
            let row = |u: &crate::domain::User| UserRow {
                id: u.id.clone(),
                name: u.name.clone(),
                email: u.email.clone(),
            };
            Some(MembersView {
                candidates: users
                    .iter()
                    .filter(|u| {
                        u.role == Role::Facilitator && !u.disabled && !members.iter().any(|m| m.id == u.id)
                    })
                    .map(row)
                    .collect(),
                members: members.iter().map(row).collect(),
            })
        } else {
            None
        };
        let preview_links = def
            .languages
            .iter()
            .map(|l| PreviewLink {
                href: format!("{}/preview?lang={}", base(&slug), l.code()),
                label: match l {
                    Lang::Nl => "Nederlands",
                    Lang::En => "Engels",
                },
            })
            .collect();
        let (new_prompt_id, new_prompt) = typed.new_prompt.unwrap_or_default();
        Ok(CampaignPage {
            page: Page::new(Lang::Nl, def.title.get(Lang::Nl)).signed_in(&self.signed.0, self.csrf),
            title: def.title.get(Lang::Nl).into(),
            status: status_label(def.status),
            status_code: def.status.as_str(),
            availability,
            form_version: c.form_version,
            public_href: format!("/c/{slug}"),
            status_actions,
            total: perspectives.iter().map(|(_, n)| n).sum(),
            perspectives,
            missing_en: form_edit::missing_translations(def, Lang::En),
            preview_src: format!("{}/preview?lang={}", base(&slug), def.languages[0].code()),
            preview_links,
            prompts,
            new_prompt_id,
            new_prompt,
            signifiers,
            new_sig: typed.new_signifier.unwrap_or_else(|| NewSignifierInput {
                kind: "triad".into(),
                ..NewSignifierInput::default()
            }),
            settings: typed.settings.unwrap_or_else(|| SettingsInput::from_def(def)),
            import_text: typed.import.unwrap_or_default(),
            members,
            notice: notice(done),
            errors: field_errors.summary,
            field_errors: field_errors.fields,
            conflict: None,
            slug,
        })
    }

    /// The page again after a refused change: 422 with the problems, or 409 with what colleagues
    /// changed since the form was loaded. Either way with what was typed.
    async fn refused(&self, typed: Typed, refused: Refused) -> Response {
        match refused {
            Refused::Errors(errors) => self.page(typed, &errors, None).await,
            // Shown on the campaign as it is now, so saving again builds on the colleague's change.
            Refused::Stale(current, conflict) => {
                match (Ctx { campaign: &current, ..*self }).view(typed, &[], None).await {
                    Ok(mut view) => {
                        view.conflict = Some(conflict);
                        render(StatusCode::CONFLICT, true, &view)
                    }
                    Err(e) => e.into_response(),
                }
            }
        }
    }

    /// Applies one change (a use case) against the form version the page was loaded with. `Ok`
    /// is the answer to send (back to `back` on success: Post/Redirect/Get); `Err` is what to
    /// show with the form.
    async fn change(&self, change: &FormChange, v: &FormValues, back: String) -> Result<Response, Refused> {
        let loaded = v.get("form_version").trim().parse::<i64>().ok();
        match campaigns::change_form(&self.state.store, &self.signed.actor(), self.campaign, change, loaded)
            .await
        {
            Ok(_) => Ok(Redirect::to(&back).into_response()),
            Err(CampaignError::Invalid(errors)) => Err(Refused::Errors(errors)),
            Err(CampaignError::Stale { loaded, current, changes }) => {
                let conflict = ConflictView::new(loaded, &current, &changes);
                Err(Refused::Stale(current, conflict))
            }
            Err(e) => Ok(failed(e)),
        }
    }

    fn back(&self, done: &str, anchor: &str) -> String {
        format!("{}?done={done}#{anchor}", base(self.campaign.slug()))
    }
}

/// Why a change was not saved.
enum Refused {
    Errors(Vec<EditError>),
    /// Someone saved in between: the campaign as it is now, and what changed.
    Stale(Box<Campaign>, ConflictView),
}

/// A colleague's change, as the 409 page lists it.
struct ChangeRow {
    at: String,
    by: String,
    what: String,
}

/// The campaign moved on since the form was loaded: from which version to which, and how.
struct ConflictView {
    loaded: i64,
    current: i64,
    changes: Vec<ChangeRow>,
}

impl ConflictView {
    fn new(loaded: i64, current: &Campaign, changes: &[Change]) -> ConflictView {
        ConflictView {
            loaded,
            current: current.form_version,
            changes: changes
                .iter()
                .map(|c| ChangeRow { at: date_time(c.at), by: c.by.clone(), what: c.what.clone() })
                .collect(),
        }
    }
}

/// Runs a campaign-scoped handler body after `load`, with the context it needs.
macro_rules! with_campaign {
    ($state:ident, $signed:ident, $csrf:ident, $slug:expr, |$ctx:ident| $body:expr) => {{
        let campaign = match load(&$state, &$signed, $slug).await {
            Ok(c) => c,
            Err(r) => return r,
        };
        let $ctx = Ctx { state: &$state, signed: &$signed, csrf: &$csrf, campaign: &campaign };
        $body
    }};
}

async fn campaign_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| ctx.page(Typed::default(), &[], q.done.as_deref()).await)
}

async fn save_settings(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let input = settings_input(&v);
        match ctx.change(&FormChange::Settings(input.clone()), &v, ctx.back("settings", "instellingen")).await
        {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed { settings: Some(input), ..Typed::default() }, r).await,
        }
    })
}

/// The page that asks "close this campaign?" before it closes: works without JavaScript.
#[derive(Template)]
#[template(path = "manage/campaign_close.html")]
struct ClosePage {
    page: Page,
    slug: String,
    title: String,
    form_version: i64,
    total: i64,
}

async fn change_status(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let asked = v.get("status");
        if asked == CampaignStatus::Closed.as_str()
            && v.get("confirm") != "1"
            && ctx.campaign.def.status == CampaignStatus::Open
        {
            let total = match state.store.count_stories(&ctx.campaign.id).await {
                Ok(n) => n,
                Err(e) => return Error::from(e).into_response(),
            };
            let c = ctx.campaign;
            let tpl = ClosePage {
                page: Page::new(Lang::Nl, "Campagne sluiten?").signed_in(&signed.0, &csrf),
                slug: c.slug().into(),
                title: c.def.title.get(Lang::Nl).into(),
                form_version: c.form_version,
                total,
            };
            return render(StatusCode::OK, true, &tpl);
        }
        match ctx.change(&FormChange::Status(asked.to_string()), &v, ctx.back("status", "status")).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed::default(), r).await,
        }
    })
}

async fn add_prompt(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let text = localized(&v, "prompt");
        let change = FormChange::AddPrompt { id: v.get("prompt_id").into(), text: text.clone() };
        match ctx.change(&change, &v, ctx.back("prompt_added", "uitnodigingen")).await {
            Ok(resp) => resp,
            Err(r) => {
                let typed = Typed { new_prompt: Some((v.get("prompt_id").into(), text)), ..Typed::default() };
                ctx.refused(typed, r).await
            }
        }
    })
}

async fn edit_prompt(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let text = Localized::new(v.get("nl"), v.get("en"));
        let change = FormChange::EditPrompt { id: id.clone(), text: text.clone() };
        match ctx.change(&change, &v, ctx.back("prompt_changed", &format!("prompt-{id}"))).await {
            Ok(resp) => resp,
            Err(r) => {
                ctx.refused(Typed { prompt_edit: Some((id.clone(), text)), ..Typed::default() }, r).await
            }
        }
    })
}

async fn move_prompt(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let change =
            FormChange::MovePrompt { id: id.clone(), direction: Direction::parse(v.get("direction")) };
        match ctx.change(&change, &v, ctx.back("prompt_moved", &format!("prompt-{id}"))).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed::default(), r).await,
        }
    })
}

async fn remove_prompt(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let change = FormChange::RemovePrompt { id: id.clone() };
        match ctx.change(&change, &v, ctx.back("prompt_removed", "uitnodigingen")).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed::default(), r).await,
        }
    })
}

async fn add_signifier(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let input = NewSignifierInput {
            id: v.get("sig_id").into(),
            kind: v.get("sig_kind").into(),
            multiple: ticked(&v, "sig_multiple"),
            question: localized(&v, "sig_question"),
            labels: v.get("sig_labels").into(),
            required: ticked(&v, "sig_required"),
        };
        let id = input.id.trim().to_string();
        let change = FormChange::AddSignifier(input.clone());
        match ctx.change(&change, &v, ctx.back("signifier_added", &format!("sig-{id}"))).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed { new_signifier: Some(input), ..Typed::default() }, r).await,
        }
    })
}

async fn move_signifier(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let change =
            FormChange::MoveSignifier { id: id.clone(), direction: Direction::parse(v.get("direction")) };
        match ctx.change(&change, &v, ctx.back("signifier_moved", &format!("sig-{id}"))).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed::default(), r).await,
        }
    })
}

async fn remove_signifier(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let change = FormChange::RemoveSignifier { id: id.clone() };
        match ctx.change(&change, &v, ctx.back("signifier_removed", "vragen")).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed::default(), r).await,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// One signifier's edit page

struct LabelPair {
    key: String,
    name: String,
    title: String,
    nl: String,
    en: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "manage/signifier.html")]
struct SignifierPage {
    page: Page,
    slug: String,
    campaign_title: String,
    id: String,
    kind: &'static str,
    kind_label: &'static str,
    input: SignifierInput,
    labels: Vec<LabelPair>,
    retired_options: Vec<OptionRow>,
    preview_src: String,
    errors: Vec<ErrorView>,
    field_errors: HashMap<String, String>,
    form_version: i64,
    conflict: Option<ConflictView>,
}

impl SignifierPage {
    fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
}

fn signifier_view(
    ctx: &Ctx<'_>,
    id: &str,
    input: SignifierInput,
    errors: &[EditError],
    conflict: Option<ConflictView>,
) -> Option<SignifierPage> {
    let c = ctx.campaign;
    let sig = c.def.signifiers.iter().find(|s| s.id == id && !s.retired)?;
    let errors = Errors::new(errors);
    let pair = |key: String, name: &str, title: String, l: &Localized| LabelPair {
        error: errors.fields.get(&key).cloned(),
        key,
        name: name.to_string(),
        title,
        nl: l.nl.clone(),
        en: l.en.clone(),
    };
    let (labels, retired_options) = match &sig.kind {
        SignifierKind::Triad { .. } => (
            input
                .corners
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    pair(format!("corner{i}_nl"), &format!("corner{i}"), format!("Hoek {}", i + 1), l)
                })
                .collect(),
            Vec::new(),
        ),
        SignifierKind::Dyad { .. } => (
            input
                .poles
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let title = if i == 0 { "Linker pool (0)" } else { "Rechter pool (1)" };
                    pair(format!("pole{i}_nl"), &format!("pole{i}"), title.into(), l)
                })
                .collect(),
            Vec::new(),
        ),
        SignifierKind::Choice { options, .. } => (
            Vec::new(),
            options
                .iter()
                .filter(|o| o.retired)
                .map(|o| OptionRow { id: o.id.clone(), label: o.label.get(Lang::Nl).into(), retired: true })
                .collect(),
        ),
    };
    Some(SignifierPage {
        page: Page::new(Lang::Nl, format!("Vraag {id}")).signed_in(&ctx.signed.0, ctx.csrf),
        slug: c.slug().into(),
        campaign_title: c.def.title.get(Lang::Nl).into(),
        id: id.into(),
        kind: sig.kind.name(),
        kind_label: form_edit::kind_label(sig.kind.name()),
        input,
        labels,
        retired_options,
        // The preview opens at this question (the story form gives each one an anchor).
        preview_src: format!("{}/preview?lang={}#sig-{id}", base(c.slug()), c.def.languages[0].code()),
        errors: errors.summary,
        field_errors: errors.fields,
        form_version: c.form_version,
        conflict,
    })
}

async fn signifier_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let Some(sig) = ctx.campaign.def.signifiers.iter().find(|s| s.id == id && !s.retired) else {
            return denied(Denied::NotFound);
        };
        match signifier_view(&ctx, &id, SignifierInput::from_signifier(sig), &[], None) {
            Some(view) => render(StatusCode::OK, true, &view),
            None => denied(Denied::NotFound),
        }
    })
}

async fn edit_signifier(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        if ctx.campaign.def.signifiers.iter().all(|s| s.id != id || s.retired) {
            return denied(Denied::NotFound);
        }
        let v = form(&body);
        let input = SignifierInput {
            question: localized(&v, "question"),
            help: localized(&v, "help"),
            required: ticked(&v, "required"),
            corners: [localized(&v, "corner0"), localized(&v, "corner1"), localized(&v, "corner2")],
            poles: [localized(&v, "pole0"), localized(&v, "pole1")],
            multiple: ticked(&v, "multiple"),
            options: v.get("options").into(),
        };
        let change = FormChange::EditSignifier { id: id.clone(), input: input.clone() };
        let refused = match ctx.change(&change, &v, ctx.back("signifier_changed", &format!("sig-{id}"))).await
        {
            Ok(resp) => return resp,
            Err(r) => r,
        };
        let (status, view) = match refused {
            Refused::Errors(errors) => {
                (StatusCode::UNPROCESSABLE_ENTITY, signifier_view(&ctx, &id, input, &errors, None))
            }
            Refused::Stale(current, conflict) => {
                let now = Ctx { campaign: &current, ..ctx };
                (StatusCode::CONFLICT, signifier_view(&now, &id, input, &[], Some(conflict)))
            }
        };
        match view {
            Some(view) => render(status, true, &view),
            None => denied(Denied::NotFound),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Preview, TOML, members

async fn preview(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let lang = ctx.campaign.def.pick_lang(Lang::from_param(q.lang.as_deref()));
        let mut resp = crate::http::form::form_preview(ctx.campaign, lang, ctx.csrf);
        let h = resp.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_CSP));
        h.insert(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("SAMEORIGIN"));
        resp
    })
}

async fn export_toml(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let c = ctx.campaign;
        let mut resp = c.def.to_toml().into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/toml; charset=utf-8"));
        // Slugs are `a-z0-9-` only, so the file name needs no quoting beyond the quotes.
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.toml\"", c.slug())) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    })
}

async fn import_toml(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        let v = form(&body);
        let text = v.get("toml").to_string();
        match ctx.change(&FormChange::Import(text.clone()), &v, ctx.back("imported", "toml")).await {
            Ok(resp) => resp,
            Err(r) => ctx.refused(Typed { import: Some(text), ..Typed::default() }, r).await,
        }
    })
}

async fn change_member(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    with_campaign!(state, signed, csrf, &slug, |ctx| {
        if let Err(r) = signed.require(Permission::ManageMembers) {
            return r;
        }
        let v = form(&body);
        let add = v.get("member") == "1";
        match campaigns::set_membership(&state.store, &signed.actor(), ctx.campaign, v.get("user"), add).await
        {
            Ok(()) => {
                Redirect::to(&ctx.back(if add { "member_added" } else { "member_removed" }, "facilitators"))
                    .into_response()
            }
            Err(CampaignError::Invalid(errors)) => ctx.page(Typed::default(), &errors, None).await,
            Err(e) => failed(e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_keys_link_to_their_inputs_or_sections() {
        assert_eq!(field_target("title_nl"), "f-title_nl");
        assert_eq!(field_target("#vragen"), "vragen");
        assert_eq!(field_label("corner2_nl"), "Hoek 3");
        assert_eq!(field_label("prompt-verhaal-nl"), "Uitnodiging verhaal");
    }

    #[test]
    fn every_change_has_a_notice() {
        for done in [
            "created",
            "settings",
            "status",
            "prompt_added",
            "prompt_changed",
            "prompt_moved",
            "prompt_removed",
            "signifier_added",
            "signifier_changed",
            "signifier_moved",
            "signifier_removed",
            "imported",
            "member_added",
            "member_removed",
        ] {
            assert!(notice(Some(done)).is_some(), "{done}");
        }
        assert_eq!(notice(Some("<script>")), None);
    }
}
