//! The codebook pages: a campaign's themes (and the global codebook, for admins) as a tree with
//! their rules and tag counts; creating, editing and merging themes; rule changes that show what
//! they would change before a second "bewaren" saves them and re-tags; copying from the global
//! codebook; import and export as CSV or JSON. Every change is audited with ids, never text.

use super::view::{self, Counts};
use super::{OrPage, Reply, Scope, ThemeOption, campaign_for, story_href, theme_in, theme_options};
use crate::auth::policy::Permission;
use crate::domain::Lang;
use crate::domain::theme::{PALETTE, Theme, validate};
use crate::http::AppState;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ErrorKind};
use crate::http::form::FormValues;
use crate::http::manage::themes::outcome::OrChangePage;
use crate::http::views::{ErrorView, Page, render};
use crate::search::exec::SearchError;
use crate::tagging::{TaggingError, codebook, rules, themes};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::{HashMap, HashSet};

/// Longest description and rule a theme may have.
const MAX_DESCRIPTION: usize = 2_000;
const MAX_RULE: usize = 2_000;
/// Example stories shown with a rule preview, for each direction.
const EXAMPLES: usize = 5;
/// Characters of a story shown as an example when it has no title.
const EXAMPLE_CHARS: usize = 90;

type Notices = Query<HashMap<String, String>>;

fn form_values(body: &Bytes) -> FormValues {
    FormValues(serde_urlencoded::from_bytes(body).unwrap_or_default())
}

async fn campaign_scope(state: &AppState, signed: &SignedIn, slug: &str) -> Result<Scope, Response> {
    let c = campaign_for(state, signed, slug, |id| Permission::ManageCampaign(id)).await?;
    Ok(Scope::Campaign(Box::new(c)))
}

/// The global codebook is the admins' (`ManageUsers` is what only admins have).
fn global_scope(signed: &SignedIn) -> Result<Scope, Response> {
    signed.require(Permission::ManageUsers)?;
    Ok(Scope::Global)
}

// ---------------------------------------------------------------------------------------------
// What people type, and what is wrong with it

/// A theme as it is being typed into a form.
#[derive(Debug, Clone, Default)]
pub struct ThemeDraft {
    pub name: String,
    pub description: String,
    /// The palette colour that is ticked.
    pub colour: String,
    /// A colour code typed by hand; wins over the palette.
    pub colour_code: String,
    pub parent: String,
    pub rule: String,
}

impl ThemeDraft {
    fn new_theme(existing: usize) -> ThemeDraft {
        ThemeDraft { colour: PALETTE[existing % PALETTE.len()].into(), ..ThemeDraft::default() }
    }

    fn from_theme(t: &Theme) -> ThemeDraft {
        let in_palette = PALETTE.contains(&t.colour.as_str());
        ThemeDraft {
            name: t.name.clone(),
            description: t.description.clone(),
            colour: if in_palette { t.colour.clone() } else { String::new() },
            colour_code: if in_palette { String::new() } else { t.colour.clone() },
            parent: t.parent_id.clone().unwrap_or_default(),
            rule: t.rule.clone().unwrap_or_default(),
        }
    }

    fn from_form(v: &FormValues) -> ThemeDraft {
        ThemeDraft {
            name: v.get("name").into(),
            description: v.get("description").into(),
            colour: v.get("colour").into(),
            colour_code: v.get("colour_code").into(),
            parent: v.get("parent").into(),
            rule: v.get("rule").into(),
        }
    }

    fn colour(&self) -> &str {
        if self.colour_code.trim().is_empty() { &self.colour } else { self.colour_code.trim() }
    }
}

/// Problems with a posted form: a summary at the top and a message next to each field.
#[derive(Default)]
struct Problems {
    summary: Vec<ErrorView>,
    fields: HashMap<String, String>,
    /// A malformed rule with a marker under the place it goes wrong.
    pointer: Option<String>,
}

impl Problems {
    fn add(&mut self, key: &str, label: &str, message: impl Into<String>) {
        let message = message.into();
        self.summary.push(ErrorView {
            target: format!("f-{key}"),
            label: label.into(),
            message: message.clone(),
        });
        self.fields.insert(key.into(), message);
    }

    fn is_empty(&self) -> bool {
        self.summary.is_empty()
    }
}

/// A rule in the search language: empty means "no rule". A malformed one gets the search
/// language's message and the rule with a marker under the place it goes wrong.
fn check_rule(raw: &str) -> Result<Option<String>, (String, String)> {
    let rule = raw.trim();
    if rule.is_empty() {
        return Ok(None);
    }
    if rule.chars().count() > MAX_RULE {
        return Err((format!("De regel is te lang: gebruik hooguit {MAX_RULE} tekens."), String::new()));
    }
    match crate::search::query::parse(rule) {
        Ok(_) => Ok(Some(rule.to_string())),
        Err(e) => Err((e.message.clone(), format!("{rule}\n{}", e.pointer(rule)))),
    }
}

/// A theme's fields as checked: ready to store.
struct Checked {
    name: String,
    colour: String,
    description: String,
    parent: Option<String>,
    rule: Option<String>,
}

/// Checks a draft against the codebook it goes into. `editing` is the theme being changed (its
/// own name is no clash, and neither it nor anything below it can become its parent); `with_rule`
/// says whether the form has a rule field.
fn check_draft(
    draft: &ThemeDraft,
    themes: &[Theme],
    editing: Option<&Theme>,
    with_rule: bool,
) -> Result<Checked, Problems> {
    let mut p = Problems::default();
    let (mut name, mut colour) = (String::new(), String::new());
    match validate(&draft.name, "#000000") {
        Ok((n, _)) => name = n,
        Err(m) => p.add("name", "Naam", m),
    }
    if !name.is_empty()
        && themes.iter().any(|t| {
            t.merged_into.is_none()
                && t.name.to_lowercase() == name.to_lowercase()
                && editing.is_none_or(|e| e.id != t.id)
        })
    {
        p.add(
            "name",
            "Naam",
            "Er is al een thema met deze naam. Kies een andere naam, of voeg de thema's samen.",
        );
    }
    match validate("x", draft.colour()) {
        Ok((_, c)) => colour = c,
        Err(m) => p.add("colour_code", "Kleur", m),
    }
    let description = draft.description.trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION {
        p.add(
            "description",
            "Beschrijving",
            format!("Maak de beschrijving korter: hooguit {MAX_DESCRIPTION} tekens."),
        );
    }
    let parent = Some(draft.parent.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(pid) = &parent {
        let exists = themes.iter().any(|t| &t.id == pid && t.merged_into.is_none());
        let below = editing.map(|e| view::self_and_descendants(themes, &e.id)).unwrap_or_default();
        if !exists {
            p.add("parent", "Valt onder", "Dat thema bestaat niet (meer) in dit codeboek. Kies een ander.");
        } else if below.contains(pid) {
            p.add(
                "parent",
                "Valt onder",
                "Een thema kan niet onder zichzelf of onder een van zijn onderdelen vallen.",
            );
        }
    }
    let mut rule = None;
    if with_rule {
        match check_rule(&draft.rule) {
            Ok(r) => rule = r,
            Err((m, pointer)) => {
                p.add("rule", "Regel", m);
                p.pointer = Some(pointer).filter(|s| !s.is_empty());
            }
        }
    }
    if p.is_empty() { Ok(Checked { name, colour, description, parent, rule }) } else { Err(p) }
}

/// A palette colour as a radio button.
pub struct Swatch {
    pub value: &'static str,
    pub checked: bool,
}

fn palette(chosen: &str) -> Vec<Swatch> {
    PALETTE.iter().map(|c| Swatch { value: c, checked: *c == chosen }).collect()
}

/// The notice after a change, from the keys of the redirect.
fn notice(q: &HashMap<String, String>) -> Option<String> {
    let n = |k: &str| q.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let stale = if q.contains_key("retag_failed") {
        " De regels zijn nog niet op de verhalen toegepast, omdat de zoekfunctie opnieuw wordt opgebouwd; bewaar een regel later opnieuw om dat te doen."
    } else {
        ""
    };
    let text = match q.get("done")?.as_str() {
        "created" if n("added") > 0 => {
            format!("Het thema is aangemaakt. De regel tagt {} verhalen.", n("added"))
        }
        "created" => "Het thema is aangemaakt.".into(),
        "saved" => "Het thema is opgeslagen.".into(),
        "rule" if q.contains_key("global") => "De regel is bewaard.".into(),
        "rule" => format!("De regel is bewaard: {} verhalen erbij, {} eraf.", n("added"), n("removed")),
        "merged" => format!("De thema's zijn samengevoegd; {} tags zijn verplaatst.", n("moved")),
        "copied" => format!(
            "Uit het algemene codeboek: {} thema's toegevoegd, {} bijgewerkt.{stale}",
            n("created"),
            n("updated")
        ),
        "imported" => format!(
            "Codeboek ingelezen: {} thema's toegevoegd, {} bijgewerkt.{stale}",
            n("created"),
            n("updated")
        ),
        _ => return None,
    };
    Some(text)
}

// ---------------------------------------------------------------------------------------------
// The codebook page

/// A theme in the codebook tree, with its story counts.
pub struct ThemeRow {
    pub id: String,
    pub href: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub rule: Option<String>,
    pub level: usize,
    pub parent: Option<String>,
    pub counts: Counts,
}

/// A theme merged into another, kept for its history.
pub struct MergedRow {
    pub name: String,
    pub into: String,
    pub into_href: String,
}

/// A theme of the global codebook, as a checkbox to copy it.
pub struct GlobalRow {
    pub id: String,
    pub name: String,
    pub level: usize,
    pub has_rule: bool,
    pub checked: bool,
}

/// What was typed into the forms of the codebook page, kept when one of them has a problem.
#[derive(Default)]
struct Forms {
    draft: Option<ThemeDraft>,
    import_text: String,
    merge_from: String,
    merge_into: String,
    copy_chosen: Vec<String>,
}

/// The codebook page of a campaign, or the global one.
#[derive(Template)]
#[template(path = "manage/themes_codebook.html")]
pub struct CodebookPage {
    pub page: Page,
    pub scope_title: String,
    /// The campaign's slug; `None` for the global codebook.
    pub slug: Option<String>,
    pub base: String,
    pub rows: Vec<ThemeRow>,
    pub merged: Vec<MergedRow>,
    pub palette: Vec<Swatch>,
    pub draft: ThemeDraft,
    pub parents: Vec<ThemeOption>,
    pub merge_from: Vec<ThemeOption>,
    pub merge_into: Vec<ThemeOption>,
    pub global: Vec<GlobalRow>,
    pub import_text: String,
    pub errors: Vec<ErrorView>,
    pub field_errors: HashMap<String, String>,
    pub rule_pointer: Option<String>,
    pub notice: Option<String>,
    /// Admins get a link to the global codebook.
    pub may_edit_global: bool,
}

impl CodebookPage {
    pub fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
}

#[allow(clippy::too_many_arguments)]
async fn codebook_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    scope: &Scope,
    forms: Forms,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Reply {
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    let counts = match scope.campaign_id() {
        Some(c) => view::counts(&state.store.tags_for_campaign(c).await.or_page()?),
        None => HashMap::new(),
    };
    let names: HashMap<&str, &str> = themes.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    let base = scope.base();
    let rows = view::tree_order(&themes)
        .into_iter()
        .map(|(t, depth)| ThemeRow {
            id: t.id.clone(),
            href: format!("{base}/{}", t.id),
            name: t.name.clone(),
            description: t.description.clone(),
            colour: t.colour.clone(),
            rule: t.rule.clone(),
            level: depth.min(4),
            parent: t.parent_id.as_deref().and_then(|p| names.get(p)).map(|n| n.to_string()),
            counts: counts.get(&t.id).copied().unwrap_or_default(),
        })
        .collect();
    let merged = themes
        .iter()
        .filter_map(|t| {
            let into = t.merged_into.as_deref()?;
            Some(MergedRow {
                name: t.name.clone(),
                into: names.get(into).map(|n| n.to_string()).unwrap_or_else(|| "een verwijderd thema".into()),
                into_href: format!("{base}/{into}"),
            })
        })
        .collect();
    let global = match scope {
        Scope::Campaign(_) => {
            let g = state.store.themes(None).await.or_page()?;
            view::tree_order(&g)
                .into_iter()
                .map(|(t, depth)| GlobalRow {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    level: depth.min(4),
                    has_rule: t.rule.is_some(),
                    checked: forms.copy_chosen.contains(&t.id),
                })
                .collect()
        }
        Scope::Global => Vec::new(),
    };
    let live = themes.iter().filter(|t| t.merged_into.is_none()).count();
    let draft = forms.draft.unwrap_or_else(|| ThemeDraft::new_theme(live));
    let none = HashSet::new();
    let tpl = CodebookPage {
        page: Page::new(Lang::Nl, format!("Codeboek · {}", scope.title())).signed_in(&signed.0, csrf),
        scope_title: scope.title(),
        slug: scope.campaign().map(|c| c.slug().to_string()),
        rows,
        merged,
        palette: palette(&draft.colour),
        parents: theme_options(&themes, &draft.parent, &none),
        merge_from: theme_options(&themes, &forms.merge_from, &none),
        merge_into: theme_options(&themes, &forms.merge_into, &none),
        draft,
        global,
        import_text: forms.import_text,
        errors: problems.summary,
        field_errors: problems.fields,
        rule_pointer: problems.pointer,
        notice,
        may_edit_global: signed.0.may(Permission::ManageUsers),
        base,
    };
    Ok(render(status, tpl.page.private, &tpl))
}

async fn show_codebook(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    scope: &Scope,
    q: &HashMap<String, String>,
) -> Reply {
    codebook_page(
        state,
        signed,
        csrf,
        scope,
        Forms::default(),
        Problems::default(),
        notice(q),
        StatusCode::OK,
    )
    .await
}

/// `GET /manage/campaigns/{slug}/themes`: the campaign's codebook.
pub async fn campaign_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Notices,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    show_codebook(&state, &signed, &csrf, &scope, &q).await
}

/// `GET /manage/codebook`: the global codebook (admins).
pub async fn global_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(q): Notices,
) -> Reply {
    let scope = global_scope(&signed)?;
    show_codebook(&state, &signed, &csrf, &scope, &q).await
}

// ---------------------------------------------------------------------------------------------
// Creating a theme

async fn create(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, scope: &Scope, body: &Bytes) -> Reply {
    let v = form_values(body);
    let draft = ThemeDraft::from_form(&v);
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    let checked = match check_draft(&draft, &themes, None, true) {
        Ok(c) => c,
        Err(problems) => {
            let forms = Forms { draft: Some(draft), ..Forms::default() };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return codebook_page(state, signed, csrf, scope, forms, problems, None, status).await;
        }
    };
    let fields = themes::ThemeFields {
        name: checked.name,
        description: checked.description,
        colour: checked.colour,
        parent: checked.parent,
    };
    let now = state.clock.now();
    let created = themes::create(
        &state.store,
        &state.search,
        &signed.actor(),
        scope.campaign_id(),
        fields,
        checked.rule,
        now,
    )
    .await
    .or_change_page()?;
    if created.retag_pending {
        tracing::warn!(theme = %created.theme.id, "rule of a new theme not applied yet");
    }
    let stale = if created.retag_pending { "&retag_failed=1" } else { "" };
    Ok(Redirect::to(&format!("{}?done=created&added={}{stale}", scope.base(), created.added)).into_response())
}

/// `POST /manage/campaigns/{slug}/themes`: a new theme.
pub async fn campaign_create(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    create(&state, &signed, &csrf, &scope, &body).await
}

/// `POST /manage/codebook`: a new global theme.
pub async fn global_create(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    body: Bytes,
) -> Reply {
    let scope = global_scope(&signed)?;
    create(&state, &signed, &csrf, &scope, &body).await
}

// ---------------------------------------------------------------------------------------------
// Merging two themes

async fn merge(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, scope: &Scope, body: &Bytes) -> Reply {
    let v = form_values(body);
    let (from, into) = (v.get("from").trim().to_string(), v.get("into").trim().to_string());
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    if let Some(problem) = themes::merge_problem(&themes, &from, &into) {
        let mut problems = Problems::default();
        problems.add("merge-from", "Samenvoegen", problem);
        let forms = Forms { merge_from: from, merge_into: into, ..Forms::default() };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return codebook_page(state, signed, csrf, scope, forms, problems, None, status).await;
    }
    let merged = themes::merge(
        &state.store,
        &state.search,
        &signed.actor(),
        scope.campaign_id(),
        &from,
        &into,
        state.clock.now(),
    )
    .await
    .or_change_page()?;
    let stale = if merged.retag_pending { "&retag_failed=1" } else { "" };
    Ok(Redirect::to(&format!("{}?done=merged&moved={}{stale}", scope.base(), merged.moved)).into_response())
}

/// `POST /manage/campaigns/{slug}/themes/merge`: one theme goes into another.
pub async fn campaign_merge(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    merge(&state, &signed, &csrf, &scope, &body).await
}

/// `POST /manage/codebook/merge`.
pub async fn global_merge(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    body: Bytes,
) -> Reply {
    let scope = global_scope(&signed)?;
    merge(&state, &signed, &csrf, &scope, &body).await
}

// ---------------------------------------------------------------------------------------------
// Copying from the global codebook, importing, exporting

/// Where the codebook page says how many themes arrived.
fn arrived(scope: &Scope, done: &str, a: themes::Arrived) -> String {
    let stale = if a.retag_pending { "&retag_failed=1" } else { "" };
    format!("{}?done={done}&created={}&updated={}{stale}", scope.base(), a.created, a.updated)
}

/// `POST /manage/campaigns/{slug}/themes/copy`: themes from the global codebook (all, or the
/// ticked ones with their parents), then the campaign's rules applied.
pub async fn campaign_copy(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    let Scope::Campaign(campaign) = &scope else { unreachable!("a campaign scope") };
    let v = form_values(&body);
    let chosen: Vec<String> = v.all("theme").into_iter().map(str::to_string).collect();
    let all = v.has("all", "1");
    if !all && chosen.is_empty() {
        let mut problems = Problems::default();
        problems.add("copy", "Kopiëren", "Kies een of meer thema's, of kies ‘Alles kopiëren’.");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return codebook_page(&state, &signed, &csrf, &scope, Forms::default(), problems, None, status).await;
    }
    let only = if all { None } else { Some(chosen.as_slice()) };
    let done = themes::copy_global(&state.store, &state.search, &signed.actor(), &campaign.id, only)
        .await
        .or_change_page()?;
    Ok(Redirect::to(&arrived(&scope, "copied", done)).into_response())
}

async fn import(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, scope: &Scope, body: &Bytes) -> Reply {
    let v = form_values(body);
    let text = v.get("import").to_string();
    let trimmed = text.trim();
    let parsed = if trimmed.is_empty() {
        Err("Plak eerst de inhoud van een CSV- of JSON-bestand in het vak.".to_string())
    } else {
        // JSON is a list; anything else is read as CSV. The format field overrides the guess.
        let json = match v.get("format") {
            "json" => true,
            "csv" => false,
            _ => trimmed.starts_with('['),
        };
        let result = if json { codebook::parse_json(trimmed) } else { codebook::parse_csv(trimmed) };
        result.map_err(|e| format!("Het codeboek is niet ingelezen: {}", e.0))
    };
    let entries = match parsed {
        Ok(e) => e,
        Err(m) => {
            let mut problems = Problems::default();
            problems.add("import", "Inlezen", m);
            let forms = Forms { import_text: text, ..Forms::default() };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return codebook_page(state, signed, csrf, scope, forms, problems, None, status).await;
        }
    };
    let done = themes::import(&state.store, &state.search, &signed.actor(), scope.campaign_id(), &entries)
        .await
        .or_change_page()?;
    Ok(Redirect::to(&arrived(scope, "imported", done)).into_response())
}

/// `POST /manage/campaigns/{slug}/themes/import`: a pasted CSV or JSON codebook.
pub async fn campaign_import(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    import(&state, &signed, &csrf, &scope, &body).await
}

/// `POST /manage/codebook/import`.
pub async fn global_import(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    body: Bytes,
) -> Reply {
    let scope = global_scope(&signed)?;
    import(&state, &signed, &csrf, &scope, &body).await
}

async fn export(state: &AppState, scope: &Scope, q: &HashMap<String, String>) -> Reply {
    let (ext, mime) = match q.get("format").map(String::as_str) {
        Some("csv") => ("csv", "text/csv; charset=utf-8"),
        Some("json") => ("json", "application/json; charset=utf-8"),
        _ => {
            return Err(Error::new(ErrorKind::BadRequest(
                "Kies een formaat voor de download: csv of json.".into(),
            ))
            .into_response());
        }
    };
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    let body = if ext == "csv" { codebook::to_csv(&themes) } else { codebook::to_json(&themes) };
    let name = match scope.campaign() {
        Some(c) => format!("codeboek-{}.{ext}", c.slug()),
        None => format!("codeboek-algemeen.{ext}"),
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Slugs are plain ASCII (`is_slug`), so the header value is always valid.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// `GET /manage/campaigns/{slug}/themes/export?format=csv|json`: a download.
pub async fn campaign_export(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Notices,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    export(&state, &scope, &q).await
}

/// `GET /manage/codebook/export?format=csv|json`.
pub async fn global_export(signed: SignedIn, State(state): State<AppState>, Query(q): Notices) -> Reply {
    let scope = global_scope(&signed)?;
    export(&state, &scope, &q).await
}

// ---------------------------------------------------------------------------------------------
// One theme: details, and its rule with a preview

/// A story in a rule preview.
pub struct Example {
    pub href: String,
    pub title: String,
}

/// What saving a rule would change, shown before it is saved.
pub struct PreviewView {
    pub rule: String,
    /// The global codebook has no stories; its rules only count once a campaign copies them.
    pub global: bool,
    pub added: usize,
    pub removed: usize,
    pub total: usize,
    pub added_examples: Vec<Example>,
    pub removed_examples: Vec<Example>,
}

/// One theme: its details, and its rule with a preview.
#[derive(Template)]
#[template(path = "manage/themes_theme.html")]
pub struct ThemePage {
    pub page: Page,
    pub scope_title: String,
    pub slug: Option<String>,
    pub base: String,
    pub theme_id: String,
    pub theme_name: String,
    pub colour: String,
    pub merged_into: Option<(String, String)>,
    pub draft: ThemeDraft,
    pub palette: Vec<Swatch>,
    pub parents: Vec<ThemeOption>,
    pub current_rule: Option<String>,
    pub rule_draft: String,
    pub preview: Option<PreviewView>,
    pub counts: Counts,
    pub errors: Vec<ErrorView>,
    pub field_errors: HashMap<String, String>,
    pub rule_pointer: Option<String>,
    pub notice: Option<String>,
}

impl ThemePage {
    pub fn error_for(&self, key: &str) -> Option<&String> {
        self.field_errors.get(key)
    }
}

/// What the theme page shows besides the stored theme.
#[derive(Default)]
struct ThemeForms {
    draft: Option<ThemeDraft>,
    rule: Option<String>,
    preview: Option<PreviewView>,
}

#[allow(clippy::too_many_arguments)]
async fn theme_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    scope: &Scope,
    theme: &Theme,
    forms: ThemeForms,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Reply {
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    let counts = match scope.campaign_id() {
        Some(c) => {
            let tags: Vec<_> = state
                .store
                .tags_for_campaign(c)
                .await
                .or_page()?
                .into_iter()
                .filter(|t| t.theme_id == theme.id)
                .collect();
            view::counts(&tags).get(&theme.id).copied().unwrap_or_default()
        }
        None => Counts::default(),
    };
    let draft = forms.draft.unwrap_or_else(|| ThemeDraft::from_theme(theme));
    let base = scope.base();
    let merged_into = theme.merged_into.as_deref().map(|into| {
        let name = themes.iter().find(|t| t.id == into).map(|t| t.name.clone()).unwrap_or_default();
        (name, format!("{base}/{into}"))
    });
    let except = view::self_and_descendants(&themes, &theme.id);
    let tpl = ThemePage {
        page: Page::new(Lang::Nl, format!("Thema {}", theme.name)).signed_in(&signed.0, csrf),
        scope_title: scope.title(),
        slug: scope.campaign().map(|c| c.slug().to_string()),
        theme_id: theme.id.clone(),
        theme_name: theme.name.clone(),
        colour: theme.colour.clone(),
        merged_into,
        palette: palette(&draft.colour),
        parents: theme_options(&themes, &draft.parent, &except),
        draft,
        current_rule: theme.rule.clone(),
        rule_draft: forms.rule.unwrap_or_else(|| theme.rule.clone().unwrap_or_default()),
        preview: forms.preview,
        counts,
        errors: problems.summary,
        field_errors: problems.fields,
        rule_pointer: problems.pointer,
        notice,
        base,
    };
    Ok(render(status, tpl.page.private, &tpl))
}

/// `GET /manage/campaigns/{slug}/themes/{theme_id}`: one theme, its details and its rule.
pub async fn campaign_theme_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, theme_id)): Path<(String, String)>,
    Query(q): Notices,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    theme_page(
        &state,
        &signed,
        &csrf,
        &scope,
        &theme,
        ThemeForms::default(),
        Problems::default(),
        notice(&q),
        StatusCode::OK,
    )
    .await
}

/// `GET /manage/codebook/{theme_id}`.
pub async fn global_theme_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(theme_id): Path<String>,
    Query(q): Notices,
) -> Reply {
    let scope = global_scope(&signed)?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    theme_page(
        &state,
        &signed,
        &csrf,
        &scope,
        &theme,
        ThemeForms::default(),
        Problems::default(),
        notice(&q),
        StatusCode::OK,
    )
    .await
}

/// A merged theme stays for its history; it cannot be changed any more.
fn merged_problem(theme: &Theme) -> Option<Problems> {
    theme.merged_into.as_ref()?;
    let mut p = Problems::default();
    p.add(
        "name",
        "Thema",
        "Dit thema is samengevoegd met een ander thema en kan niet meer worden gewijzigd.",
    );
    Some(p)
}

async fn save_theme(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    scope: &Scope,
    theme: Theme,
    body: &Bytes,
) -> Reply {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    if let Some(p) = merged_problem(&theme) {
        return theme_page(state, signed, csrf, scope, &theme, ThemeForms::default(), p, None, status).await;
    }
    let v = form_values(body);
    let draft = ThemeDraft::from_form(&v);
    let themes = state.store.themes(scope.campaign_id()).await.or_page()?;
    let checked = match check_draft(&draft, &themes, Some(&theme), false) {
        Ok(c) => c,
        Err(p) => {
            let forms = ThemeForms { draft: Some(draft), ..ThemeForms::default() };
            return theme_page(state, signed, csrf, scope, &theme, forms, p, None, status).await;
        }
    };
    let fields = themes::ThemeFields {
        name: checked.name,
        description: checked.description,
        colour: checked.colour,
        parent: checked.parent,
    };
    let t = themes::edit(&state.store, &signed.actor(), theme, fields, state.clock.now())
        .await
        .or_change_page()?;
    Ok(Redirect::to(&format!("{}/{}?done=saved", scope.base(), t.id)).into_response())
}

/// `POST /manage/campaigns/{slug}/themes/{theme_id}`: name, description, colour, parent.
pub async fn campaign_theme_save(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, theme_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    save_theme(&state, &signed, &csrf, &scope, theme, &body).await
}

/// `POST /manage/codebook/{theme_id}`.
pub async fn global_theme_save(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(theme_id): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = global_scope(&signed)?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    save_theme(&state, &signed, &csrf, &scope, theme, &body).await
}

/// The page that says the index is being rebuilt, with the rule kept.
fn rebuilding(mut problems: Problems) -> Problems {
    problems.add(
        "rule",
        "Regel",
        "De zoekfunctie wordt opnieuw opgebouwd, dus we kunnen nog niet laten zien wat deze regel verandert. Er is niets bewaard; probeer het over een minuut opnieuw.",
    );
    problems
}

/// Titles (or first words) of some stories, as links to their pages.
async fn examples(state: &AppState, slug: &str, ids: &[String]) -> Result<Vec<Example>, Response> {
    let ids: Vec<String> = ids.iter().take(EXAMPLES).cloned().collect();
    let found = state.store.stories_by_ids(&ids).await.or_page()?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|s| &s.id == id))
        .map(|s| Example {
            href: story_href(slug, &s.id),
            title: s
                .title
                .clone()
                .unwrap_or_else(|| crate::http::manage::stories::view::excerpt(&s.text, EXAMPLE_CHARS)),
        })
        .collect())
}

/// The rule form: the first post shows what the rule would change; only a second post of the
/// same rule ("bewaren") saves it and re-tags the campaign's stories.
async fn rule(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    scope: &Scope,
    theme: Theme,
    body: &Bytes,
) -> Reply {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    if let Some(p) = merged_problem(&theme) {
        return theme_page(state, signed, csrf, scope, &theme, ThemeForms::default(), p, None, status).await;
    }
    let v = form_values(body);
    let raw = v.get("rule").to_string();
    let new_rule = match check_rule(&raw) {
        Ok(r) => r,
        Err((message, pointer)) => {
            let mut p = Problems::default();
            p.add("rule", "Regel", message);
            p.pointer = Some(pointer).filter(|s| !s.is_empty());
            let forms = ThemeForms { rule: Some(raw), ..ThemeForms::default() };
            return theme_page(state, signed, csrf, scope, &theme, forms, p, None, status).await;
        }
    };
    let text = new_rule.clone().unwrap_or_default();
    let confirmed = v.get("step") == "save" && v.get("previewed").trim() == text;
    let in_campaign = scope.campaign().cloned();
    if in_campaign.is_some() && state.search.live().is_none() {
        let forms = ThemeForms { rule: Some(raw), ..ThemeForms::default() };
        let p = rebuilding(Problems::default());
        return theme_page(
            state,
            signed,
            csrf,
            scope,
            &theme,
            forms,
            p,
            None,
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
    }
    if confirmed {
        let id = theme.id.clone();
        let saved = match themes::save_rule(
            &state.store,
            &state.search,
            &signed.actor(),
            theme.clone(),
            new_rule,
            state.clock.now(),
        )
        .await
        {
            Ok(saved) => saved,
            Err(TaggingError::Rebuilding) => {
                let forms = ThemeForms { rule: Some(raw), ..ThemeForms::default() };
                let p = rebuilding(Problems::default());
                let status = StatusCode::SERVICE_UNAVAILABLE;
                return theme_page(state, signed, csrf, scope, &theme, forms, p, None, status).await;
            }
            Err(e) => return Err(e).or_change_page(),
        };
        let (added, removed) = (saved.added, saved.removed);
        let global = if in_campaign.is_some() { "" } else { "&global=1" };
        let to = format!("{}/{}?done=rule&added={added}&removed={removed}{global}", scope.base(), id);
        return Ok(Redirect::to(&to).into_response());
    }
    let preview = match &in_campaign {
        None => PreviewView {
            rule: text.clone(),
            global: true,
            added: 0,
            removed: 0,
            total: 0,
            added_examples: Vec::new(),
            removed_examples: Vec::new(),
        },
        Some(c) => match rules::preview(&state.store, &state.search, &theme, &text).await {
            Ok(p) => PreviewView {
                rule: text.clone(),
                global: false,
                added: p.added.len(),
                removed: p.removed.len(),
                total: p.total,
                added_examples: examples(state, c.slug(), &p.added).await?,
                removed_examples: examples(state, c.slug(), &p.removed).await?,
            },
            Err(e) => {
                let forms = ThemeForms { rule: Some(raw), ..ThemeForms::default() };
                let (p, status) = match e.downcast_ref::<SearchError>() {
                    // Parsing passed, but the search found something wrong (an unknown label).
                    Some(SearchError::Query { error, .. }) => {
                        let mut p = Problems::default();
                        p.add("rule", "Regel", error.message.clone());
                        p.pointer = Some(format!("{text}\n{}", error.pointer(&text)));
                        (p, StatusCode::UNPROCESSABLE_ENTITY)
                    }
                    Some(SearchError::Rebuilding) => {
                        (rebuilding(Problems::default()), StatusCode::SERVICE_UNAVAILABLE)
                    }
                    _ => return Err(Error::from(e).html(Lang::Nl).into_response()),
                };
                return theme_page(state, signed, csrf, scope, &theme, forms, p, None, status).await;
            }
        },
    };
    let forms = ThemeForms { rule: Some(text), preview: Some(preview), ..ThemeForms::default() };
    theme_page(state, signed, csrf, scope, &theme, forms, Problems::default(), None, StatusCode::OK).await
}

/// `POST /manage/campaigns/{slug}/themes/{theme_id}/rule`: preview, then save, a rule.
pub async fn campaign_theme_rule(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, theme_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let scope = campaign_scope(&state, &signed, &slug).await?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    rule(&state, &signed, &csrf, &scope, theme, &body).await
}

/// `POST /manage/codebook/{theme_id}/rule`.
pub async fn global_theme_rule(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(theme_id): Path<String>,
    body: Bytes,
) -> Reply {
    let scope = global_scope(&signed)?;
    let theme = theme_in(&state, &scope, &theme_id).await?;
    rule(&state, &signed, &csrf, &scope, theme, &body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(id: &str, name: &str, parent: Option<&str>) -> Theme {
        let now = time::OffsetDateTime::UNIX_EPOCH;
        Theme {
            id: id.into(),
            campaign_id: None,
            name: name.into(),
            description: String::new(),
            colour: PALETTE[0].into(),
            parent_id: parent.map(str::to_string),
            rule: None,
            merged_into: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_draft_is_checked_against_its_codebook() {
        let themes = vec![theme("a", "Wachten", None), theme("b", "Wachtlijst", Some("a"))];
        let draft = |name: &str, parent: &str, rule: &str| ThemeDraft {
            name: name.into(),
            colour: PALETTE[1].into(),
            parent: parent.into(),
            rule: rule.into(),
            ..ThemeDraft::default()
        };
        let ok = check_draft(&draft(" Nieuw  thema ", "a", " wacht* "), &themes, None, true).ok().unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.parent.as_deref(), ok.rule.as_deref()),
            ("Nieuw thema", Some("a"), Some("wacht*"))
        );
        let clash = check_draft(&draft("wachten", "", ""), &themes, None, true).err().unwrap();
        assert!(clash.fields["name"].contains("al een thema"));
        // Its own name is no clash, but it cannot hang under its own child.
        let own = check_draft(&draft("Wachten", "b", ""), &themes, Some(&themes[0]), false).err().unwrap();
        assert!(own.fields.contains_key("parent") && !own.fields.contains_key("name"));
        let bad = check_draft(&draft("X", "", "(school"), &themes, None, true).err().unwrap();
        assert!(bad.pointer.as_deref().unwrap().starts_with("(school\n"));
        let mut custom = draft("Y", "", "");
        custom.colour_code = "rood".into();
        assert!(
            check_draft(&custom, &themes, None, true).err().unwrap().fields["colour_code"]
                .contains("kleurcode")
        );
    }

    #[test]
    fn notices_say_what_changed() {
        let q: HashMap<String, String> = [("done", "rule"), ("added", "37"), ("removed", "5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(notice(&q).unwrap(), "De regel is bewaard: 37 verhalen erbij, 5 eraf.");
        assert_eq!(notice(&HashMap::new()), None);
    }
}
