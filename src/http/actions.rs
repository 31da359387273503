//! Improvement action pages: the actions of a campaign and across campaigns (filter by party and
//! status in the URL, no JavaScript), one action with its history and dated updates, the
//! campaign's organisations, and CSV. Thin: parse, call one use case in `crate::actions`, render.

use std::collections::HashMap;

use crate::actions::{self, ActionsError};
use crate::auth::policy::{Denied, Permission};
use crate::domain::action::{
    Action, ActionForm, ActionStatus, ActionUpdate, FieldProblem, HistoryEntry, Organisation,
    OrganisationKind, Priority, day, differences,
};
use crate::domain::{Campaign, Lang, Role};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::csrf::CsrfToken;
use crate::http::error::Error;
use crate::http::page::{OrPage, Reply, campaign_for, date_time, form};
use crate::http::respond::{attachment, saved_or_again, see};
use crate::http::routes::Routes;
use crate::http::views::{ErrorView, Page, render};
use crate::store::ActionFilter;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/actions", campaign_list)
        .post("/manage/campaigns/{slug}/actions", create)
        .get("/manage/campaigns/{slug}/actions/export", campaign_csv)
        .get("/manage/campaigns/{slug}/actions/{action_id}", action_page)
        .post("/manage/campaigns/{slug}/actions/{action_id}", change)
        .post("/manage/campaigns/{slug}/actions/{action_id}/updates", add_update)
        .post("/manage/campaigns/{slug}/actions/{action_id}/publish", publish)
        .get("/manage/campaigns/{slug}/organisations", organisations_page)
        .post("/manage/campaigns/{slug}/organisations", create_organisation)
        .post("/manage/campaigns/{slug}/organisations/{org_id}", change_organisation)
        .get("/actions", all_list)
        .get("/actions/export", all_csv)
}

fn manage(id: &str) -> Permission<'_> {
    Permission::ManageActions(id)
}

/// A use case's refusal as a page (a problem with the fields is shown on the form instead).
pub(crate) fn fail(e: ActionsError) -> Response {
    match e {
        ActionsError::NotFound => denied(Denied::NotFound),
        ActionsError::Invalid(p) => {
            (StatusCode::UNPROCESSABLE_ENTITY, p.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
                .into_response()
        }
        ActionsError::Conflict(c) => (StatusCode::CONFLICT, c).into_response(),
        ActionsError::Store(e) => Error::from(e).into_response(),
    }
}

/// Problems with fields, for the error summary and beside each field.
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn none() -> Problems {
        Problems(Vec::new())
    }
    pub fn err(&self, field: &str) -> String {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()).unwrap_or_default()
    }
    pub fn summary(&self) -> Vec<ErrorView> {
        self.0
            .iter()
            .map(|(f, m)| ErrorView { target: format!("f-{f}"), label: label(f).into(), message: m.clone() })
            .collect()
    }
}

fn label(field: &str) -> &'static str {
    match field {
        "title" => "Titel",
        "priority" => "Prioriteit",
        "status" => "Status",
        "drop_reason" => "Reden",
        "due_on" => "Deadline",
        "handed_over_on" => "Overgedragen op",
        "progress" => "Voortgang",
        "links" => "Herkomst",
        "organisation_id" => "Verantwoordelijke",
        "note" => "Wat is er gebeurd",
        "on_date" => "Datum",
        "name" => "Naam",
        "kind" => "Soort",
        "summary" => "Samenvatting",
        _ => "Veld",
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice { value: code(*v).into(), label: label(*v).into(), selected: code(*v) == current })
        .collect()
}

/// The action form with what was typed, its problems and the choices.
pub struct FormView {
    pub action: String,
    pub values: ActionForm,
    pub problems: Problems,
    pub parties: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub version: i64,
    pub button: &'static str,
}

impl FormView {
    fn new(
        action: String,
        values: ActionForm,
        problems: Problems,
        orgs: &[Organisation],
        version: i64,
    ) -> FormView {
        let parties = orgs
            .iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: format!("{} ({})", o.name, o.kind.label()),
                selected: o.id == values.organisation_id,
            })
            .collect();
        let priority = if values.priority.is_empty() { "medium" } else { values.priority.as_str() };
        let status = if values.status.is_empty() { "open" } else { values.status.as_str() };
        FormView {
            action,
            priorities: choices(Priority::ALL, Priority::as_str, Priority::label, priority),
            statuses: choices(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label, status),
            parties,
            problems,
            values,
            version,
            button: if version == 0 { "Actie vastleggen" } else { "Wijzigingen opslaan" },
        }
    }
}

fn action_form(v: &crate::http::form::FormValues) -> ActionForm {
    ActionForm {
        title: v.get("title").into(),
        description: v.get("description").into(),
        organisation_id: v.get("organisation_id").into(),
        contact: v.get("contact").into(),
        priority: v.get("priority").into(),
        status: v.get("status").into(),
        drop_reason: v.get("drop_reason").into(),
        due_on: v.get("due_on").into(),
        progress: v.get("progress").into(),
        handed_over_on: v.get("handed_over_on").into(),
        links: v.get("links").into(),
    }
}

/// One row of an action list.
pub struct ActionRow {
    pub href: String,
    pub campaign: String,
    pub title: String,
    pub party: String,
    pub priority: String,
    pub status: String,
    pub status_code: String,
    pub due: String,
    pub overdue: bool,
    pub progress: String,
    pub published: bool,
}

fn rows(
    actions: &[Action],
    orgs: &[Organisation],
    slugs: &HashMap<String, String>,
    today: time::Date,
    links: bool,
) -> Vec<ActionRow> {
    let names: HashMap<&str, &str> = orgs.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect();
    actions
        .iter()
        .map(|a| {
            let slug = slugs.get(&a.campaign_id).cloned().unwrap_or_default();
            ActionRow {
                href: if links {
                    format!("/manage/campaigns/{slug}/actions/{}", a.id)
                } else {
                    String::new()
                },
                campaign: slug,
                title: a.fields.title.clone(),
                party: a
                    .fields
                    .organisation_id
                    .as_deref()
                    .and_then(|o| names.get(o))
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                priority: a.fields.priority.label().into(),
                status: a.fields.status.label().into(),
                status_code: a.fields.status.as_str().into(),
                due: a.fields.due_on.map(day).unwrap_or_default(),
                overdue: a.is_overdue(today),
                progress: format!("{}%", a.fields.progress),
                published: a.published,
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub status: String,
}

impl ListQuery {
    fn filter(&self, campaign_ids: Option<Vec<String>>, published_only: bool) -> ActionFilter {
        ActionFilter {
            campaign_ids,
            organisation_id: Some(self.party.trim().to_string()).filter(|s| !s.is_empty()),
            status: ActionStatus::parse(self.status.trim()),
            published_only,
        }
    }
    fn params(&self) -> String {
        let q = serde_urlencoded::to_string([("party", self.party.trim()), ("status", self.status.trim())])
            .unwrap_or_default();
        format!("?{q}")
    }
}

#[derive(Template)]
#[template(path = "actions/list.html")]
pub struct ListPage {
    pub page: Page,
    pub heading: String,
    /// "" on the list across campaigns.
    pub slug: String,
    pub campaign_title: String,
    pub filter_action: String,
    pub parties: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub rows: Vec<ActionRow>,
    pub overdue: usize,
    pub csv: String,
    pub form: Option<FormView>,
    pub errors: Vec<ErrorView>,
}

/// The actions a list shows, their organisations, and the slug of each campaign they are in.
struct Listed {
    orgs: Vec<Organisation>,
    actions: Vec<Action>,
    slugs: HashMap<String, String>,
}

/// The actions of one campaign that pass the filter in `q`.
async fn campaign_actions(state: &AppState, campaign: &Campaign, q: &ListQuery) -> Result<Listed, Response> {
    let orgs = state.store.organisations(&campaign.id).await.or_page()?;
    let actions = state.store.actions(&q.filter(Some(vec![campaign.id.clone()]), false)).await.or_page()?;
    let slugs = [(campaign.id.clone(), campaign.slug().to_string())].into_iter().collect();
    Ok(Listed { orgs, actions, slugs })
}

async fn campaign_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    q: &ListQuery,
    form: Option<(ActionForm, Problems)>,
) -> Reply {
    let Listed { orgs, actions, slugs } = campaign_actions(state, campaign, q).await?;
    let rows = rows(&actions, &orgs, &slugs, state.clock.now().date(), true);
    let status = if form.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (values, problems) = form.unwrap_or_else(|| (ActionForm::default(), Problems::none()));
    let errors = problems.summary();
    let slug = campaign.slug().to_string();
    let tpl = ListPage {
        page: Page::new(Lang::Nl, "Acties").signed_in(&signed.0, csrf),
        heading: format!("Acties van {}", campaign.def.title.get(Lang::Nl)),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        filter_action: format!("/manage/campaigns/{slug}/actions"),
        parties: party_choices(&orgs, &q.party, false),
        statuses: choices(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label, q.status.trim()),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
        csv: format!("/manage/campaigns/{slug}/actions/export{}", q.params()),
        form: Some(FormView::new(format!("/manage/campaigns/{slug}/actions"), values, problems, &orgs, 0)),
        errors,
        slug,
    };
    Ok(render(status, true, &tpl))
}

fn party_choices(orgs: &[Organisation], current: &str, with_campaign: bool) -> Vec<Choice> {
    orgs.iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: if with_campaign { format!("{} ({})", o.name, o.kind.label()) } else { o.name.clone() },
            selected: o.id == current.trim(),
        })
        .collect()
}

/// `GET /manage/campaigns/{slug}/actions?party=…&status=…`.
pub async fn campaign_list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    campaign_page(&state, &signed, &csrf, &campaign, &q, None).await
}

/// `POST /manage/campaigns/{slug}/actions`: records a new action.
pub async fn create(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let typed = action_form(&form(&body));
    let result = actions::create(&state.store, &campaign, &typed, signed.actor(), state.clock.now()).await;
    let unfiltered = ListQuery::default();
    saved_or_again(
        result,
        |a| format!("/manage/campaigns/{slug}/actions/{}", a.id),
        |p| campaign_page(&state, &signed, &csrf, &campaign, &unfiltered, Some((typed, Problems(p)))),
    )
    .await
}

/// The listed actions as a CSV download named `name`, each with its latest dated update.
async fn csv_of(state: &AppState, name: &str, listed: &Listed) -> Reply {
    let Listed { orgs, actions, slugs } = listed;
    let ids: Vec<String> = actions.iter().map(|a| a.id.clone()).collect();
    let last = if ids.is_empty() { Vec::new() } else { state.store.last_updates(&ids).await.or_page()? };
    let body = actions::export::to_csv(actions, slugs, orgs, &last, state.clock.now().date());
    Ok(attachment("text/csv; charset=utf-8", name, body))
}

/// `GET /manage/campaigns/{slug}/actions/export?party=…&status=…`: the list as CSV.
pub async fn campaign_csv(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let listed = campaign_actions(&state, &campaign, &q).await?;
    csv_of(&state, &format!("{}-acties.csv", campaign.slug()), &listed).await
}

/// Which campaigns' actions a person sees across campaigns: facilitators their own, admins all,
/// the steering group the published ones of every campaign.
fn scope(signed: &SignedIn) -> Result<(Option<Vec<String>>, bool, bool), Response> {
    signed.require(Permission::ViewPublishedReports)?;
    Ok(match signed.0.user.role {
        Role::Admin => (None, false, true),
        Role::Facilitator => (Some(signed.0.campaigns.clone()), false, true),
        Role::Steering => (None, true, false),
    })
}

async fn all_slugs(state: &AppState) -> Result<HashMap<String, String>, Response> {
    Ok(state
        .store
        .campaigns()
        .await
        .or_page()?
        .into_iter()
        .map(|c| (c.id.clone(), c.slug().to_string()))
        .collect())
}

/// `GET /actions?party=…&status=…`: actions across campaigns.
pub async fn all_list(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(q): Query<ListQuery>,
) -> Reply {
    let (campaigns, published_only, links) = scope(&signed)?;
    let slugs = all_slugs(&state).await?;
    let mut orgs = state.store.all_organisations().await.or_page()?;
    if let Some(ids) = &campaigns {
        orgs.retain(|o| ids.contains(&o.campaign_id));
    }
    let actions = state.store.actions(&q.filter(campaigns, published_only)).await.or_page()?;
    let rows = rows(&actions, &orgs, &slugs, state.clock.now().date(), links);
    let tpl = ListPage {
        page: Page::new(Lang::Nl, "Acties").signed_in(&signed.0, &csrf),
        heading: if published_only {
            "Gepubliceerde acties".into()
        } else {
            "Acties van alle campagnes".into()
        },
        slug: String::new(),
        campaign_title: String::new(),
        filter_action: "/actions".into(),
        parties: party_choices(&orgs, &q.party, true),
        statuses: choices(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label, q.status.trim()),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
        csv: format!("/actions/export{}", q.params()),
        form: None,
        errors: Vec::new(),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

/// `GET /actions/export?party=…&status=…`: actions across campaigns as CSV.
pub async fn all_csv(signed: SignedIn, State(state): State<AppState>, Query(q): Query<ListQuery>) -> Reply {
    let (campaigns, published_only, _) = scope(&signed)?;
    let slugs = all_slugs(&state).await?;
    let orgs = state.store.all_organisations().await.or_page()?;
    let actions = state.store.actions(&q.filter(campaigns, published_only)).await.or_page()?;
    csv_of(&state, "acties.csv", &Listed { orgs, actions, slugs }).await
}

pub struct HistoryView {
    pub version: i64,
    pub when: String,
    pub on: String,
    pub actor: String,
    pub kind: &'static str,
    pub note: String,
    pub changes: Vec<String>,
}

fn history_views(history: &[HistoryEntry], orgs: &[Organisation]) -> Vec<HistoryView> {
    let party = |id: Option<&str>| {
        id.and_then(|id| orgs.iter().find(|o| o.id == id)).map(|o| o.name.clone()).unwrap_or_default()
    };
    let mut out: Vec<HistoryView> = history
        .iter()
        .enumerate()
        .map(|(i, e)| HistoryView {
            version: e.version,
            when: date_time(e.at),
            on: day(e.on_date),
            actor: e.actor.clone(),
            kind: match e.kind {
                crate::domain::action::ChangeKind::Created => "vastgelegd",
                crate::domain::action::ChangeKind::Changed => "gewijzigd",
                crate::domain::action::ChangeKind::Update => "update",
            },
            note: e.note.clone(),
            changes: match i.checked_sub(1).and_then(|p| history.get(p)) {
                Some(before) => differences(&before.state, &e.state, party),
                None => Vec::new(),
            },
        })
        .collect();
    // Newest first: the page answers "what happened lately".
    out.reverse();
    out
}

#[derive(Template)]
#[template(path = "actions/action.html")]
pub struct ActionPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub id: String,
    pub title: String,
    pub status: String,
    pub status_code: String,
    pub party: String,
    pub overdue: bool,
    pub published: bool,
    pub progress: String,
    pub links: Vec<(String, String)>,
    pub form: FormView,
    pub update: UpdateView,
    pub history: Vec<HistoryView>,
    pub errors: Vec<ErrorView>,
    pub conflict: bool,
}

pub struct UpdateView {
    pub note: String,
    pub on_date: String,
    pub statuses: Vec<Choice>,
    pub drop_reason: String,
    pub progress: String,
    pub problems: Problems,
}

/// What the action page shows besides the stored action.
#[derive(Default)]
struct Typed {
    form: Option<(ActionForm, Problems)>,
    update: Option<(UpdateView, Problems)>,
    conflict: bool,
}

async fn show_action(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    id: &str,
    typed: Typed,
) -> Reply {
    let action = match state.store.action(id).await {
        Ok(a) if a.campaign_id == campaign.id => a,
        Ok(_) | Err(crate::store::StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).into_response()),
    };
    let orgs = state.store.organisations(&campaign.id).await.or_page()?;
    let history = state.store.action_history(&action.id).await.or_page()?;
    let slug = campaign.slug().to_string();
    let status = if typed.conflict {
        StatusCode::CONFLICT
    } else if typed.form.is_some() || typed.update.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (values, problems) = typed.form.unwrap_or_else(|| (action.fields.to_form(), Problems::none()));
    let mut errors = problems.summary();
    let update = match typed.update {
        Some((u, p)) => {
            errors.extend(p.summary());
            UpdateView { problems: p, ..u }
        }
        None => UpdateView {
            note: String::new(),
            on_date: state.clock.now().date().to_string(),
            statuses: choices(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label, ""),
            drop_reason: String::new(),
            progress: String::new(),
            problems: Problems::none(),
        },
    };
    let tpl = ActionPage {
        page: Page::new(Lang::Nl, action.fields.title.clone()).signed_in(&signed.0, csrf),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        id: action.id.clone(),
        title: action.fields.title.clone(),
        status: action.fields.status.label().into(),
        status_code: action.fields.status.as_str().into(),
        party: action
            .fields
            .organisation_id
            .as_deref()
            .and_then(|o| orgs.iter().find(|x| x.id == o))
            .map(|o| format!("{} ({})", o.name, o.kind.label()))
            .unwrap_or_default(),
        overdue: action.is_overdue(state.clock.now().date()),
        published: action.published,
        progress: format!("{}%", action.fields.progress),
        links: action.fields.links.iter().map(|l| (l.kind.label().to_string(), l.ref_id.clone())).collect(),
        form: FormView::new(
            format!("/manage/campaigns/{slug}/actions/{}", action.id),
            values,
            problems,
            &orgs,
            action.version,
        ),
        update,
        history: history_views(&history, &orgs),
        errors,
        conflict: typed.conflict,
        slug,
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/actions/{action_id}`.
pub async fn action_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    show_action(&state, &signed, &csrf, &campaign, &id, Typed::default()).await
}

/// `POST /manage/campaigns/{slug}/actions/{action_id}`: changes the action (with `version`).
pub async fn change(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let v = form(&body);
    let typed = action_form(&v);
    let version = v.get("version").trim().parse::<i64>().unwrap_or(0);
    let result =
        actions::change(&state.store, &campaign, &id, &typed, version, signed.actor(), state.clock.now())
            .await;
    match result {
        Err(ActionsError::Conflict(_)) => {
            // Someone saved in between: show the stored action, with what this person typed kept.
            let problems = Problems(vec![(
                "title",
                "Iemand anders heeft deze actie net gewijzigd. Hieronder staat wat jij typte; de geschiedenis laat de nieuwste versie zien. Sla opnieuw op om jouw versie te bewaren.".into(),
            )]);
            // The page's form carries the stored version, so saving again keeps this person's.
            let t = Typed { form: Some((typed, problems)), conflict: true, ..Typed::default() };
            show_action(&state, &signed, &csrf, &campaign, &id, t).await
        }
        result => {
            saved_or_again(
                result,
                |_| format!("/manage/campaigns/{slug}/actions/{id}"),
                |p| {
                    let t = Typed { form: Some((typed, Problems(p))), ..Typed::default() };
                    show_action(&state, &signed, &csrf, &campaign, &id, t)
                },
            )
            .await
        }
    }
}

/// `POST /manage/campaigns/{slug}/actions/{action_id}/updates`: a dated update.
pub async fn add_update(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let v = form(&body);
    let parsed = ActionUpdate::parse(
        v.get("note"),
        v.get("on_date"),
        v.get("status"),
        v.get("drop_reason"),
        v.get("progress"),
    );
    let update = match parsed {
        Ok(u) => u,
        Err(p) => {
            let view = UpdateView {
                note: v.get("note").into(),
                on_date: v.get("on_date").into(),
                statuses: choices(
                    ActionStatus::ALL,
                    ActionStatus::as_str,
                    ActionStatus::label,
                    v.get("status").trim(),
                ),
                drop_reason: v.get("drop_reason").into(),
                progress: v.get("progress").into(),
                problems: Problems::none(),
            };
            return show_action(
                &state,
                &signed,
                &csrf,
                &campaign,
                &id,
                Typed { update: Some((view, Problems(p))), ..Typed::default() },
            )
            .await;
        }
    };
    actions::add_update(&state.store, &campaign, &id, &update, signed.actor(), state.clock.now())
        .await
        .map_err(fail)?;
    see(&format!("/manage/campaigns/{slug}/actions/{id}"))
}

/// `POST /manage/campaigns/{slug}/actions/{action_id}/publish` (`published` = 1 or 0).
pub async fn publish(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    let published = form(&body).get("published") == "1";
    actions::set_published(&state.store, &campaign, &id, published, signed.actor(), state.clock.now())
        .await
        .map_err(fail)?;
    see(&format!("/manage/campaigns/{slug}/actions/{id}"))
}

pub struct OrgView {
    pub id: String,
    pub name: String,
    pub kinds: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "actions/organisations.html")]
pub struct OrganisationsPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub orgs: Vec<OrgView>,
    pub name: String,
    pub kinds: Vec<Choice>,
    pub problems: Problems,
    pub errors: Vec<ErrorView>,
}

async fn orgs_page(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    campaign: &Campaign,
    typed: Option<(String, String, Problems)>,
) -> Reply {
    let orgs = state.store.organisations(&campaign.id).await.or_page()?;
    let status = if typed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (name, kind, problems) =
        typed.unwrap_or_else(|| (String::new(), "municipality".into(), Problems::none()));
    let kinds = |current: &str| {
        choices(OrganisationKind::ALL, OrganisationKind::as_str, OrganisationKind::label, current)
    };
    let tpl = OrganisationsPage {
        page: Page::new(Lang::Nl, "Organisaties").signed_in(&signed.0, csrf),
        slug: campaign.slug().to_string(),
        campaign_title: campaign.def.title.get(Lang::Nl).to_string(),
        orgs: orgs
            .iter()
            .map(|o| OrgView { id: o.id.clone(), name: o.name.clone(), kinds: kinds(o.kind.as_str()) })
            .collect(),
        name,
        kinds: kinds(&kind),
        errors: problems.summary(),
        problems,
    };
    Ok(render(status, true, &tpl))
}

/// `GET /manage/campaigns/{slug}/organisations`.
pub async fn organisations_page(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, manage).await?;
    orgs_page(&state, &signed, &csrf, &campaign, None).await
}

async fn save_org(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    slug: &str,
    id: Option<&str>,
    body: &Bytes,
) -> Reply {
    let campaign = campaign_for(state, signed, slug, manage).await?;
    let v = form(body);
    let result = actions::save_organisation(
        &state.store,
        &campaign,
        id,
        v.get("kind"),
        v.get("name"),
        signed.actor(),
        state.clock.now(),
    )
    .await;
    saved_or_again(
        result,
        |_| format!("/manage/campaigns/{slug}/organisations"),
        |p| {
            orgs_page(
                state,
                signed,
                csrf,
                &campaign,
                Some((v.get("name").into(), v.get("kind").into(), Problems(p))),
            )
        },
    )
    .await
}

/// `POST /manage/campaigns/{slug}/organisations`: adds an organisation.
pub async fn create_organisation(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    save_org(&state, &signed, &csrf, &slug, None, &body).await
}

/// `POST /manage/campaigns/{slug}/organisations/{org_id}`: renames or re-kinds one.
pub async fn change_organisation(
    signed: SignedIn,
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    save_org(&state, &signed, &csrf, &slug, Some(&id), &body).await
}
