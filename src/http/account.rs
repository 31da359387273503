//! `/account`: one's own account, password and personal API tokens. Changing the password ends
//! every session of the account, this one included, so a session someone else may hold dies with
//! the old password. A new token's secret is shown once, on the answer to the form that made it.

use super::AppState;
use super::auth::SignedIn;
use super::csrf::CsrfToken;
use super::routes::Routes;
use super::views::{Page, render};
use crate::accounts::{self, AccountError, PasswordChange, tokens};
use crate::auth::policy::Permission;
use crate::domain::Lang;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account", account_page)
        .post("/account/password", change_password)
        .post("/account/tokens", create_token)
        .post("/account/tokens/{id}/revoke", revoke_token)
}

/// One of one's tokens as the list shows it.
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub campaign: String,
    pub access: &'static str,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    /// `actief`, `verlopen` or `ingetrokken op …`.
    pub state: String,
    /// Not revoked yet (an expired token can still be revoked, to tidy the list's meaning).
    pub revocable: bool,
}

/// A campaign one may make a token for.
pub struct CampaignChoice {
    pub id: String,
    pub title: String,
}

/// A token just made: its secret, shown this once.
pub struct NewSecret {
    pub name: String,
    pub secret: String,
}

/// What the token form had, to show it again with an error.
#[derive(Default)]
pub struct TokenFormValues {
    pub name: String,
    pub campaign: String,
    pub access: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub page: Page,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub campaigns: Vec<String>,
    pub error: Option<String>,
    /// Facilitators and admins make tokens; the steering role has no API that needs one.
    pub may_make_tokens: bool,
    pub token_campaigns: Vec<CampaignChoice>,
    pub tokens: Vec<TokenRow>,
    pub token_error: Option<String>,
    pub token_form: TokenFormValues,
    pub new_secret: Option<NewSecret>,
    pub token_notice: Option<String>,
}

fn fmt_day(t: time::OffsetDateTime) -> String {
    t.format(time::macros::format_description!("[day]-[month]-[year]")).unwrap_or_default()
}

fn fmt_minute(t: time::OffsetDateTime) -> String {
    t.format(time::macros::format_description!("[day]-[month]-[year] [hour]:[minute] UTC"))
        .unwrap_or_default()
}

/// The token part of the page: what to show after a create, or an error with the form's values.
#[derive(Default)]
struct TokenPart {
    error: Option<String>,
    form: TokenFormValues,
    new_secret: Option<NewSecret>,
}

async fn view(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, error: Option<String>) -> AccountPage {
    view_with(state, signed, csrf, error, TokenPart::default()).await
}

async fn view_with(
    state: &AppState,
    signed: &SignedIn,
    csrf: &CsrfToken,
    error: Option<String>,
    part: TokenPart,
) -> AccountPage {
    let all = state.store.campaigns().await.unwrap_or_default();
    let titles = all.iter().filter(|c| signed.0.is_member(&c.id)).map(|c| c.def.title.nl.clone()).collect();
    let title_of: std::collections::HashMap<&str, &str> =
        all.iter().map(|c| (c.id.as_str(), c.def.title.nl.as_str())).collect();
    let token_campaigns = all
        .iter()
        .filter(|c| signed.0.may(Permission::ReadStories(&c.id)))
        .map(|c| CampaignChoice { id: c.id.clone(), title: c.def.title.nl.clone() })
        .collect();
    let now = state.clock.now();
    let u = &signed.0.user;
    let tokens = state
        .store
        .api_tokens_of(&u.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| TokenRow {
            revocable: t.revoked_at.is_none(),
            state: match (t.revoked_at, t.is_usable(now)) {
                (Some(r), _) => format!("ingetrokken op {}", fmt_day(r)),
                (None, false) => "verlopen".into(),
                (None, true) => "actief".into(),
            },
            campaign: title_of.get(t.campaign_id.as_str()).map(|s| s.to_string()).unwrap_or_default(),
            access: t.access.label(),
            created: fmt_day(t.created_at),
            // The last day it works: the day before the moment it stops.
            expires: t
                .expires_at
                .map(|e| fmt_day(e - time::Duration::seconds(1)))
                .unwrap_or_else(|| "nooit".into()),
            last_used: t.last_used_at.map(fmt_minute).unwrap_or_else(|| "nog niet".into()),
            id: t.id,
            name: t.name,
            prefix: t.prefix,
        })
        .collect();
    AccountPage {
        page: Page::new(Lang::Nl, "Mijn account").signed_in(&signed.0, csrf),
        name: u.name.clone(),
        email: u.email.clone(),
        role: u.role.label(),
        campaigns: titles,
        error,
        may_make_tokens: signed.0.may(Permission::UseWorkspace),
        token_campaigns,
        tokens,
        token_error: part.error,
        token_form: part.form,
        new_secret: part.new_secret,
        token_notice: None,
    }
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    token: Option<String>,
}

async fn account_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Query(q): Query<AccountQuery>,
) -> Result<Response, Response> {
    signed.require(Permission::ManageOwnAccount)?;
    let mut page = view(&state, &signed, &csrf, None).await;
    if q.token.as_deref() == Some("none") {
        page.token_notice =
            Some("Er was geen token om in te trekken: het is al ingetrokken, of het is niet van jou.".into());
    }
    Ok(render(StatusCode::OK, true, &page))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

async fn change_password(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, Response> {
    signed.require(Permission::ManageOwnAccount)?;
    // Someone who finds an unattended signed-in browser must not be able to guess the
    // password here at full speed.
    let key = signed.0.user.id.clone();
    if let Err(wait) = state.limits.password_check.blocked(&key) {
        let mut resp = render(
            StatusCode::TOO_MANY_REQUESTS,
            true,
            &view(
                &state,
                &signed,
                &csrf,
                Some(format!(
                    "Te vaak een verkeerd huidig wachtwoord. Probeer het over {wait} seconden opnieuw."
                )),
            )
            .await,
        );
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(wait));
        return Ok(resp);
    }
    let change = PasswordChange { current: form.current, new: form.new, repeat: form.repeat };
    let error = match accounts::change_own_password(&state.store, &signed.0.user, change).await {
        Ok(()) => return Ok(Redirect::to("/login?bye=1").into_response()),
        Err(AccountError::WrongPassword) => {
            state.limits.password_check.record(key);
            "Je huidige wachtwoord klopt niet.".to_string()
        }
        Err(AccountError::Invalid(m)) => m,
        Err(AccountError::Store(e)) => return Err(super::error::Error::from(e).into_response()),
        Err(e) => return Err(super::error::Error::from(anyhow::anyhow!(e)).into_response()),
    };
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, true, &view(&state, &signed, &csrf, Some(error)).await))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    expires: String,
}

/// `POST /account/tokens`: makes a token and shows its secret on this answer only (no redirect:
/// the secret must not travel in a URL or be stored anywhere to show later).
async fn create_token(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
    Form(form): Form<TokenForm>,
) -> Result<Response, Response> {
    signed.require(Permission::ManageOwnAccount)?;
    signed.require(Permission::UseWorkspace)?;
    let values = TokenFormValues {
        name: form.name.clone(),
        campaign: form.campaign.clone(),
        access: form.access.clone(),
        expires: form.expires.clone(),
    };
    let input = tokens::NewTokenInput {
        name: form.name,
        campaign_id: form.campaign,
        access: form.access,
        expires: form.expires,
    };
    match tokens::create(&state.store, &signed.0, input, state.clock.now()).await {
        Ok(created) => {
            tracing::info!(user_id = %signed.0.user.id, token_id = %created.token.id, "api token created");
            let part = TokenPart {
                new_secret: Some(NewSecret { name: created.token.name, secret: created.secret }),
                ..TokenPart::default()
            };
            Ok(render(StatusCode::CREATED, true, &view_with(&state, &signed, &csrf, None, part).await))
        }
        Err(AccountError::Invalid(m)) => {
            let part = TokenPart { error: Some(m), form: values, new_secret: None };
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                true,
                &view_with(&state, &signed, &csrf, None, part).await,
            ))
        }
        Err(AccountError::Store(e)) => Err(super::error::Error::from(e).into_response()),
        Err(e) => Err(super::error::Error::from(anyhow::anyhow!(e)).into_response()),
    }
}

/// `POST /account/tokens/{id}/revoke`: revokes one of one's own tokens; it stops at once.
async fn revoke_token(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    signed.require(Permission::ManageOwnAccount)?;
    match tokens::revoke(&state.store, &signed.0.user, &id, state.clock.now()).await {
        Ok(t) => {
            tracing::info!(user_id = %signed.0.user.id, token_id = %t.id, "api token revoked");
            Ok(Redirect::to("/account#tokens").into_response())
        }
        // Someone else's token, an unknown one or one revoked before: nothing of one's own to
        // revoke, and the same answer whichever it was.
        Err(AccountError::NotFound) => Ok(Redirect::to("/account?token=none#tokens").into_response()),
        Err(AccountError::Store(e)) => Err(super::error::Error::from(e).into_response()),
        Err(e) => Err(super::error::Error::from(anyhow::anyhow!(e)).into_response()),
    }
}
