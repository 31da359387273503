//! Admin pages: accounts (create, change role, disable, set a password, end all sessions; each
//! one use case of `crate::accounts`) and the audit log with filters. Admins only
//! (`Permission::ManageUsers`, `Permission::ViewAudit`).

use super::AppState;
use super::auth::SignedIn;
use super::csrf::CsrfToken;
use super::page::OrPage;
use super::routes::Routes;
use super::views::{Page, render};
use crate::accounts::{self, AccountEdit, AccountError, NewAccountInput};
use crate::auth::policy::Permission;
use crate::domain::audit::{AuditAction, AuditFilter};
use crate::domain::{Lang, Role, User};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;
use time::macros::format_description;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/users", users_page)
        .post("/admin/users", create_user)
        .get("/admin/users/{id}", user_page)
        .post("/admin/users/{id}", update_user)
        .post("/admin/users/{id}/password", set_password)
        .post("/admin/users/{id}/sessions/end", end_sessions)
        .get("/admin/audit", audit_page)
}

type Result<T = Response> = std::result::Result<T, Response>;

fn fmt_time(t: time::OffsetDateTime) -> String {
    t.format(format_description!("[day]-[month]-[year] [hour]:[minute]")).unwrap_or_default()
}

pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub disabled: bool,
    pub campaigns: usize,
}

pub struct RoleOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn role_options(selected: Option<Role>) -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption { value: r.as_str(), label: r.label(), selected: Some(*r) == selected })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub page: Page,
    pub users: Vec<UserRow>,
    pub roles: Vec<RoleOption>,
    pub email: String,
    pub name: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    done: Option<String>,
}

fn notice_text(done: Option<&str>) -> Option<String> {
    match done? {
        "created" => Some("Account aangemaakt.".into()),
        "saved" => Some("Wijzigingen bewaard.".into()),
        "password" => Some("Nieuw wachtwoord ingesteld. Alle sessies van dit account zijn beëindigd.".into()),
        "sessions" => Some("Alle sessies van dit account zijn beëindigd.".into()),
        _ => None,
    }
}

async fn user_rows(state: &AppState) -> Result<Vec<UserRow>> {
    let users = state.store.users().await.or_page()?;
    let mut rows = Vec::with_capacity(users.len());
    for u in users {
        let campaigns = state.store.memberships(&u.id).await.map(|m| m.len()).unwrap_or(0);
        rows.push(UserRow {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role.label(),
            disabled: u.disabled,
            campaigns,
        });
    }
    Ok(rows)
}

async fn users_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Query(q): Query<Notice>,
) -> Result {
    signed.require(Permission::ManageUsers)?;
    let tpl = UsersPage {
        page: Page::new(Lang::Nl, "Accounts").signed_in(&signed.0, &csrf),
        users: user_rows(&state).await?,
        roles: role_options(Some(Role::Facilitator)),
        email: String::new(),
        name: String::new(),
        error: None,
        notice: notice_text(q.done.as_deref()),
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// An account use case's failure as a page; `Invalid` is shown with the form by the caller.
fn failed(e: AccountError) -> Response {
    match e {
        AccountError::NotFound => super::auth::denied(crate::auth::policy::Denied::NotFound),
        AccountError::Store(e) => super::error::Error::from(e).into_response(),
        e => super::error::Error::from(anyhow::anyhow!(e)).into_response(),
    }
}

async fn create_user(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Form(form): Form<NewUserForm>,
) -> Result {
    signed.require(Permission::ManageUsers)?;
    let input = NewAccountInput {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        password: form.password,
    };
    match accounts::create(&state.store, &signed.actor(), input).await {
        Ok(user) => Ok(Redirect::to(&format!("/admin/users/{}?done=created", user.id)).into_response()),
        Err(AccountError::Invalid(message)) => {
            // Everything typed comes back, except the password.
            let tpl = UsersPage {
                page: Page::new(Lang::Nl, "Accounts").signed_in(&signed.0, &csrf),
                users: user_rows(&state).await?,
                roles: role_options(Role::parse(&form.role)),
                email: form.email,
                name: form.name,
                error: Some(message),
                notice: None,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, true, &tpl))
        }
        Err(e) => Err(failed(e)),
    }
}

pub struct MembershipRow {
    pub slug: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    pub page: Page,
    pub user: User,
    pub created: String,
    pub roles: Vec<RoleOption>,
    pub memberships: Vec<MembershipRow>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

async fn load_user(state: &AppState, id: &str) -> Result<User> {
    state.store.user(id).await.or_page()
}

async fn user_view(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    user: User,
    error: Option<String>,
    notice: Option<String>,
) -> Result<UserPage> {
    let ids = state.store.memberships(&user.id).await.unwrap_or_default();
    let campaigns = state.store.campaigns().await.unwrap_or_default();
    let memberships = campaigns
        .into_iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| MembershipRow { slug: c.def.slug.clone(), title: c.def.title.nl.clone() })
        .collect();
    Ok(UserPage {
        page: Page::new(Lang::Nl, format!("Account {}", user.email)).signed_in(&signed.0, csrf),
        created: fmt_time(user.created_at),
        roles: role_options(Some(user.role)),
        user,
        memberships,
        error,
        notice,
    })
}

async fn user_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Notice>,
) -> Result {
    signed.require(Permission::ManageUsers)?;
    let user = load_user(&state, &id).await?;
    let tpl = user_view(&state, &signed, &csrf, user, None, notice_text(q.done.as_deref())).await?;
    Ok(render(StatusCode::OK, true, &tpl))
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    /// Checkbox: present when ticked.
    disabled: Option<String>,
}

async fn update_user(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<UserForm>,
) -> Result {
    signed.require(Permission::ManageUsers)?;
    let edit = AccountEdit { name: form.name, role: form.role, disabled: form.disabled.is_some() };
    match accounts::edit(&state.store, &signed.0.user, &id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response()),
        Err(AccountError::Invalid(m)) => {
            let user = load_user(&state, &id).await?;
            let tpl = user_view(&state, &signed, &csrf, user, Some(m), None).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, true, &tpl))
        }
        Err(e) => Err(failed(e)),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn set_password(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result {
    signed.require(Permission::ManageUsers)?;
    match accounts::reset_password(&state.store, &signed.0.user, &id, form.password).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?done=password")).into_response()),
        Err(AccountError::Invalid(m)) => {
            let user = load_user(&state, &id).await?;
            let tpl = user_view(&state, &signed, &csrf, user, Some(m), None).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, true, &tpl))
        }
        Err(e) => Err(failed(e)),
    }
}

async fn end_sessions(signed: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> Result {
    signed.require(Permission::ManageUsers)?;
    accounts::end_sessions(&state.store, &signed.0.user, &id).await.map_err(failed)?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=sessions")).into_response())
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub campaign: String,
    pub details: String,
}

pub struct ActionOption {
    pub value: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub page: Page,
    pub rows: Vec<AuditRow>,
    pub actions: Vec<ActionOption>,
    pub actor: String,
    pub since: String,
    pub error: Option<String>,
    pub limit: i64,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    action: Option<String>,
    actor: Option<String>,
    since: Option<String>,
    campaign: Option<String>,
}

/// Parses "2026-01-31" (start of that day, UTC) or a full RFC 3339 time.
pub fn parse_since(s: &str) -> std::result::Result<time::OffsetDateTime, String> {
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    time::Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| format!("'{s}' is geen datum zoals 2026-01-31"))
}

async fn audit_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result {
    signed.require(Permission::ViewAudit)?;
    let mut error = None;
    let since = match q.since.as_deref().filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(s) => match parse_since(s) {
            Ok(t) => Some(t),
            Err(e) => {
                error = Some(e);
                None
            }
        },
    };
    let action = q.action.as_deref().and_then(AuditAction::parse);
    let campaigns: HashMap<String, String> = state
        .store
        .campaigns()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.id.clone(), c.def.slug.clone()))
        .collect();
    let campaign_id = q.campaign.as_deref().filter(|s| !s.is_empty()).map(|slug| {
        campaigns.iter().find(|(_, s)| s.as_str() == slug).map(|(id, _)| id.clone()).unwrap_or_default()
    });
    let limit = 500;
    let filter = AuditFilter {
        since,
        action,
        actor: q.actor.clone().filter(|a| !a.trim().is_empty()).map(|a| a.trim().to_lowercase()),
        campaign_id,
        limit,
    };
    let entries = state.store.audit_entries(&filter).await.or_page()?;
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            at: fmt_time(e.at),
            actor: e.actor,
            action: e.action,
            target: e.target.unwrap_or_default(),
            campaign: e.campaign_id.and_then(|id| campaigns.get(&id).cloned()).unwrap_or_default(),
            details: if e.details.as_object().is_some_and(|m| m.is_empty()) {
                String::new()
            } else {
                e.details.to_string()
            },
        })
        .collect();
    let actions = AuditAction::ALL
        .iter()
        .map(|a| ActionOption { value: a.as_str(), selected: Some(*a) == action })
        .collect();
    let tpl = AuditPage {
        page: Page::new(Lang::Nl, "Auditlog").signed_in(&signed.0, &csrf),
        rows,
        actions,
        actor: q.actor.unwrap_or_default(),
        since: q.since.unwrap_or_default(),
        error,
        limit,
    };
    Ok(render(StatusCode::OK, true, &tpl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_a_date_or_a_time() {
        assert_eq!(parse_since("2026-01-31").unwrap().unix_timestamp(), 1_769_817_600);
        assert!(parse_since("2026-01-31T10:00:00Z").is_ok());
        assert!(parse_since("gisteren").unwrap_err().contains("2026-01-31"));
    }
}
