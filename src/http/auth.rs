//! Signing in and out, and the `SignedIn` extractor that every non-public handler starts with.
//! Sessions live in the database (see `auth::session`); the id is rotated on login and the
//! session destroyed on logout, so an old cookie never works again.

use super::AppState;
use super::cookies;
use super::csrf::CsrfToken;
use super::limits::ClientAddr;
use super::routes::Routes;
use super::views::{LoginPage, Page, render};
use crate::auth::accounts;
use crate::auth::policy::{Denied, Permission, Viewer};
use crate::auth::session::{new_token, token_hash};
use crate::domain::{Actor, AuditAction, AuditEntry, Lang, Role};
use crate::store::StoreError;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Routes {
    Routes::new().get("/login", login_page).post("/login", login).post("/logout", logout)
}

/// A signed-in person, checked against the session store, its timeouts and the account state.
pub struct SignedIn(pub Viewer);

/// Why a request has no signed-in person.
pub enum NotSignedIn {
    /// Send the browser to the login page, then back here.
    Login { next: String, expired: bool },
    /// Not a page visit (a POST, or the API): just 401.
    Unauthorized,
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Login { next, expired } => {
                let mut to = format!("/login?next={}", urlencode(&next));
                if expired {
                    to.push_str("&expired=1");
                }
                Redirect::to(&to).into_response()
            }
            NotSignedIn::Unauthorized => {
                let t = super::i18n::ui(Lang::Nl);
                let mut resp = super::views::render(
                    StatusCode::UNAUTHORIZED,
                    false,
                    &super::views::MessagePage {
                        page: Page::new(Lang::Nl, "Log eerst in"),
                        heading: "Log eerst in".into(),
                        text: "Deze pagina is alleen voor mensen met een account. Log in en probeer het opnieuw.".into(),
                        link: Some(("/login".into(), "Naar inloggen".into())),
                    },
                );
                let _ = t;
                resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Cookie"));
                resp
            }
        }
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e[1..].to_string()).unwrap_or_default()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_page_visit = parts.method == Method::GET && !parts.uri.path().starts_with("/api/");
        let refuse = |expired: bool| {
            if is_page_visit {
                let next =
                    parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
                NotSignedIn::Login { next, expired }
            } else {
                NotSignedIn::Unauthorized
            }
        };
        let Some(token) = cookies::get(&parts.headers, &cookies::session_name(&state.config)) else {
            return Err(refuse(false));
        };
        let id_hash = token_hash(&token);
        let record = match state.store.session(&id_hash).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(refuse(false)),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return Err(NotSignedIn::Unauthorized);
            }
        };
        let now = state.clock.now();
        let timeouts = state.config.session_timeouts();
        if record.user.disabled || !timeouts.is_alive(record.created_at, record.last_seen_at, now) {
            let _ = state.store.delete_session(&id_hash).await;
            return Err(refuse(true));
        }
        if timeouts.should_touch(record.last_seen_at, now) {
            let _ = state.store.touch_session(&id_hash, now).await;
        }
        let campaigns = state.store.memberships(&record.user.id).await.unwrap_or_default();
        Ok(SignedIn(Viewer { user: record.user, campaigns, token: None }))
    }
}

/// The caller of an `/api/v1` route: a signed-in session, or a personal API token sent as
/// `Authorization: Bearer lst_…`. Only API handlers take this; pages take `SignedIn`, which never
/// reads the header, so a token opens no page. A token's `Viewer` carries its grant, which
/// limits every permission to the token's campaign and access.
pub struct ApiCaller(pub Viewer);

impl ApiCaller {
    /// Who to name in the audit log: the person, and through which token when it was one.
    pub fn actor(&self) -> Actor {
        let user = &self.0.user;
        match &self.0.token {
            Some(grant) => Actor {
                user_id: Some(user.id.clone()),
                label: format!("{} (api token {})", user.email, grant.name),
            },
            None => Actor::user(&user.id, &user.email),
        }
    }
}

/// Why an API request has no caller: 401 JSON with `WWW-Authenticate: Bearer`.
pub struct ApiUnauthorized(pub &'static str);

impl IntoResponse for ApiUnauthorized {
    fn into_response(self) -> Response {
        let mut resp =
            (StatusCode::UNAUTHORIZED, axum::Json(json!({ "code": "unauthorized", "message": self.0 })))
                .into_response();
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header_value =
            parts.headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("").to_string());
        match header_value {
            Some(value) if parts.uri.path().starts_with("/api/") => {
                bearer_caller(state, &value).await.map(ApiCaller)
            }
            _ => match SignedIn::from_request_parts(parts, state).await {
                Ok(SignedIn(viewer)) => Ok(ApiCaller(viewer)),
                Err(_) => Err(ApiUnauthorized(
                    "Sign in first, or send a personal API token (made on /account) as `Authorization: Bearer lst_…`.",
                )
                .into_response()),
            },
        }
    }
}

/// The caller a bearer token stands for, checked at every use: the token exists, is neither
/// revoked nor expired, its account is enabled and may still read the token's campaign.
async fn bearer_caller(state: &AppState, header_value: &str) -> Result<Viewer, Response> {
    use crate::auth::tokens;
    let refuse = |m: &'static str| ApiUnauthorized(m).into_response();
    let Some(secret) = tokens::parse_bearer(header_value) else {
        return Err(refuse("Send the token as `Authorization: Bearer lst_…`."));
    };
    if !tokens::looks_like_secret(secret) {
        return Err(refuse("This is not a luister API token: they start with lst_ and 64 hex characters."));
    }
    let failed = |e: StoreError| {
        tracing::error!(error = %e, "token lookup failed");
        super::error::Error::internal(anyhow::anyhow!(e)).json().into_response()
    };
    let token = match state.store.api_token_by_hash(&tokens::hash(secret)).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => {
            return Err(refuse("Unknown token. Create one on your account page (/account)."));
        }
        Err(e) => return Err(failed(e)),
    };
    let now = state.clock.now();
    if token.revoked_at.is_some() {
        return Err(refuse("This token was revoked. Create a new one on your account page (/account)."));
    }
    if !token.is_usable(now) {
        return Err(refuse("This token has expired. Create a new one on your account page (/account)."));
    }
    let user = match state.store.user(&token.user_id).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(refuse("The account of this token no longer exists.")),
        Err(e) => return Err(failed(e)),
    };
    if user.disabled {
        return Err(refuse("The account of this token is disabled."));
    }
    let campaigns = state.store.memberships(&user.id).await.map_err(failed)?;
    let own = Viewer { user, campaigns, token: None };
    // A facilitator who left the campaign (or an admin who is one no more) takes the token along.
    if !own.may(Permission::ReadStories(&token.campaign_id)) {
        return Err(refuse("The account of this token no longer has access to the token's campaign."));
    }
    if token.should_touch(now)
        && let Err(e) = state.store.touch_api_token(&token.id, now).await
    {
        tracing::warn!(error = %e, "could not record the token's last use");
    }
    tracing::debug!(token_id = %token.id, user_id = %own.user.id, "api token used");
    Ok(Viewer {
        token: Some(crate::auth::policy::TokenGrant {
            token_id: token.id,
            name: token.name,
            campaign_id: token.campaign_id,
            access: token.access,
        }),
        ..own
    })
}

/// Refusal of a signed-in person, as a page.
pub fn denied(d: Denied) -> Response {
    let (status, heading, text) = match d {
        Denied::Forbidden => (
            StatusCode::FORBIDDEN,
            "Hier heb je geen toegang toe",
            "Je account heeft geen rechten voor deze pagina. Denk je dat dat niet klopt? Vraag het een beheerder.",
        ),
        Denied::NotFound => (
            StatusCode::NOT_FOUND,
            "Deze pagina bestaat niet",
            "Kijk of het adres klopt, of ga terug naar je overzicht.",
        ),
    };
    render(
        status,
        false,
        &super::views::MessagePage {
            page: Page::new(Lang::Nl, heading),
            heading: heading.into(),
            text: text.into(),
            link: Some(("/manage".into(), "Naar mijn overzicht".into())),
        },
    )
}

impl SignedIn {
    /// Checks a permission; the refusal is a ready page.
    pub fn require(&self, p: Permission<'_>) -> Result<(), Response> {
        self.0.require(p).map_err(denied)
    }

    pub fn actor(&self) -> Actor {
        Actor::user(&self.0.user.id, &self.0.user.email)
    }
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    bye: Option<String>,
}

/// Longest e-mail address (RFC 5321).
const MAX_EMAIL_CHARS: usize = 254;

/// Only paths on this site: never an open redirect. Browsers drop tabs and newlines from a
/// `Location` and read `\` as `/`, so `/\t/evil.example` would leave the site: a path must be
/// plain printable ASCII without backslashes, must not start with `//`, and must parse as a
/// path and query.
fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?;
    let plain = n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let local = n.starts_with('/') && !n.starts_with("//");
    let parses = axum::http::uri::PathAndQuery::try_from(n).is_ok_and(|pq| pq.as_str() == n);
    (plain && local && parses && n.len() <= 2_000).then(|| n.to_string())
}

fn login_view(
    csrf: &CsrfToken,
    email: &str,
    next: Option<String>,
    error: Option<String>,
    notice: Option<&str>,
) -> LoginPage {
    LoginPage {
        page: Page::new(Lang::Nl, "Inloggen").with_csrf(csrf),
        email: email.into(),
        next: next.unwrap_or_default(),
        error,
        notice: notice.map(str::to_string),
    }
}

async fn login_page(csrf: CsrfToken, Query(q): Query<LoginQuery>) -> Response {
    let notice = if q.expired.is_some() {
        Some("Je sessie is verlopen. Log opnieuw in.")
    } else if q.bye.is_some() {
        Some("Je bent uitgelogd.")
    } else {
        None
    };
    render(StatusCode::OK, true, &login_view(&csrf, "", safe_next(q.next.as_deref()), None, notice))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

fn too_many(wait: u64) -> Response {
    let mut resp = render(
        StatusCode::TOO_MANY_REQUESTS,
        false,
        &super::views::MessagePage {
            page: Page::new(Lang::Nl, "Even wachten"),
            heading: "Even wachten".into(),
            text: format!("Er is te vaak geprobeerd in te loggen. Probeer het over {wait} seconden opnieuw."),
            link: Some(("/login".into(), "Terug naar inloggen".into())),
        },
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

async fn login(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientAddr(ip): ClientAddr,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    // An e-mail address is at most 254 characters; anything longer is not one of ours.
    let email: String = form.email.trim().to_lowercase().chars().take(MAX_EMAIL_CHARS + 1).collect();
    let next = safe_next(form.next.as_deref());
    if let Err(wait) = state.limits.login.allow(&email, ip) {
        return too_many(wait);
    }
    let found = match state.store.user_by_email(&email).await {
        Ok(found) => Some(found),
        Err(StoreError::NotFound) => None,
        Err(e) => return super::error::Error::from(e).html(Lang::Nl).into_response(),
    };
    let verified = match &found {
        Some((user, hash)) => {
            accounts::verify_password(form.password.clone(), hash.clone()).await && !user.disabled
        }
        None => {
            // Same work as for a real account, so timing does not tell which e-mails exist.
            accounts::verify_password(form.password.clone(), crate::auth::password::dummy_hash().to_string())
                .await;
            false
        }
    };
    let Some((user, _)) = found.clone().filter(|_| verified) else {
        state.limits.login.failed(&email, ip);
        // Never what was typed: it can be a password typed into the wrong field, or megabytes.
        let target = match &found {
            Some((user, _)) => format!("user:{}", user.id),
            None => "unknown account".to_string(),
        };
        let entry = AuditEntry::new(Actor::anonymous(), AuditAction::LoginFailed).target(target);
        if let Err(e) = state.store.audit(&entry).await {
            return super::error::Error::from(e).html(Lang::Nl).into_response();
        }
        let error = "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is uitgeschakeld. Controleer ze en probeer het opnieuw.";
        return render(
            StatusCode::UNAUTHORIZED,
            true,
            &login_view(&csrf, &form.email, next, Some(error.into()), None),
        );
    };
    // Rotate: whatever session this browser had ends; the new one gets a fresh id.
    let old = cookies::get(&headers, &cookies::session_name(&state.config)).map(|t| token_hash(&t));
    state.limits.login.succeeded(&email, ip);
    let token = new_token();
    if let Err(e) = crate::accounts::start_session(
        &state.store,
        &user,
        old.as_deref(),
        &token_hash(&token),
        state.clock.now(),
    )
    .await
    {
        return super::error::Error::from(anyhow::anyhow!(e)).into_response();
    }
    tracing::info!(user_id = %user.id, "signed in");
    let home = match user.role {
        Role::Steering => "/overview",
        _ => "/manage",
    };
    let mut resp = Redirect::to(&next.unwrap_or_else(|| home.into())).into_response();
    cookies::set(&mut resp, &state.config, &cookies::session_name(&state.config), &token, "Lax");
    // A new CSRF token too: one planted in this browser before login is worth nothing after it.
    cookies::set(&mut resp, &state.config, &cookies::csrf_name(&state.config), &new_token(), "Strict");
    resp
}

async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = cookies::get(&headers, &cookies::session_name(&state.config))
        && let Err(e) = crate::accounts::logout(&state.store, &token_hash(&token)).await
    {
        // The session stays, so the person is not told they are out while they are not.
        return super::error::Error::from(anyhow::anyhow!(e)).into_response();
    }
    let mut resp = Redirect::to("/login?bye=1").into_response();
    cookies::clear(&mut resp, &state.config, &cookies::session_name(&state.config));
    resp
}

/// For JSON endpoints that need a signed-in user.
pub fn api_denied(d: Denied) -> Response {
    let (status, code) = match d {
        Denied::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        Denied::NotFound => (StatusCode::NOT_FOUND, "not_found"),
    };
    (status, axum::Json(json!({ "code": code, "message": "Not allowed." }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_only_goes_to_paths_on_this_site() {
        assert_eq!(safe_next(Some("/manage/x?y=1")).as_deref(), Some("/manage/x?y=1"));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        for bad in
            ["/\t/evil.example/", "/\n/evil.example", "/\r//evil.example", "/ /evil", "/a\\b", "/\u{0}x"]
        {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(safe_next(Some("/sets/abc?x=%2F%2Fevil")).as_deref(), Some("/sets/abc?x=%2F%2Fevil"));
    }

    #[test]
    fn next_is_url_encoded() {
        assert_eq!(urlencode("/manage/a b?x=1&y"), "%2Fmanage%2Fa+b%3Fx%3D1%26y");
    }
}
