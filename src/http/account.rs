//! `/account`: one's own account and password. Changing the password ends every session of the
//! account, this one included, so a session someone else may hold dies with the old password.

use super::AppState;
use super::auth::SignedIn;
use super::csrf::CsrfToken;
use super::routes::Routes;
use super::views::{Page, render};
use crate::accounts::{self, AccountError, PasswordChange};
use crate::auth::policy::Permission;
use crate::domain::Lang;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new().get("/account", account_page).post("/account/password", change_password)
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
}

async fn view(state: &AppState, signed: &SignedIn, csrf: &CsrfToken, error: Option<String>) -> AccountPage {
    let titles = state
        .store
        .campaigns()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|c| signed.0.is_member(&c.id))
        .map(|c| c.def.title.nl)
        .collect();
    let u = &signed.0.user;
    AccountPage {
        page: Page::new(Lang::Nl, "Mijn account").signed_in(&signed.0, csrf),
        name: u.name.clone(),
        email: u.email.clone(),
        role: u.role.label(),
        campaigns: titles,
        error,
    }
}

async fn account_page(
    signed: SignedIn,
    csrf: CsrfToken,
    State(state): State<AppState>,
) -> Result<Response, Response> {
    signed.require(Permission::ManageOwnAccount)?;
    Ok(render(StatusCode::OK, true, &view(&state, &signed, &csrf, None).await))
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
