//! Accounts and sessions as people use them: logging in and out, session rotation and
//! timeouts, passwords, disabled accounts, admins ending sessions.

use crate::helpers::{Backend, TestApp, hidden_fields, spawn_app, spawn_app_with_clock, system_audit};
use crate::on_both_backends;
use luister::auth::accounts::{self, NewAccount};
use luister::clock::ManualClock;
use luister::domain::audit::AuditFilter;
use luister::domain::{Actor, AuditAction, Role};
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

const PASSWORD: &str = "lange zin met wolken en trompetten";

/// A browser whose cookies we can see and replay: reqwest's own jar hides them.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, client, cookies: BTreeMap::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn remember(&mut self, resp: &reqwest::Response) {
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (pair, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let resp =
            self.client.get(self.app.url(path)).header("cookie", self.cookie_header()).send().await.unwrap();
        self.remember(&resp);
        resp
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        if !self.cookies.contains_key("luister_csrf") {
            self.get("/login").await;
        }
        let token = self.cookies["luister_csrf"].clone();
        let mut fields = fields.to_vec();
        fields.push(("_csrf", &token));
        let resp = self
            .client
            .post(self.app.url(path))
            .header("cookie", self.cookie_header())
            .form(&fields)
            .send()
            .await
            .unwrap();
        self.remember(&resp);
        resp
    }

    async fn login(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("email", email), ("password", password)]).await
    }

    fn session(&self) -> Option<String> {
        self.cookies.get("luister_session").cloned()
    }
}

async fn account(app: &TestApp, role: Role) -> String {
    let email = format!("{}@example.nl", uuid::Uuid::new_v4().simple());
    accounts::create(
        &app.store,
        NewAccount { email: email.clone(), name: "Test".into(), role, password: PASSWORD.into() },
        Actor::system(),
    )
    .await
    .unwrap();
    email
}

async fn login_rotates_the_session_and_logout_makes_the_old_cookie_useless(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let email = account(&app, Role::Facilitator).await;
    let mut b = Browser::new(&app);
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER, "not signed in yet");

    let resp = b.login(&email, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/manage");
    let set_cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let session_cookie = set_cookie.iter().find(|c| c.starts_with("luister_session=")).unwrap();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
        "{session_cookie}"
    );
    let first = b.session().unwrap();
    assert_eq!(b.get("/account").await.status(), StatusCode::OK);

    // Logging in again in the same browser rotates the id; the first one is dead.
    b.login(&email, PASSWORD).await;
    let second = b.session().unwrap();
    assert_ne!(first, second);
    let mut replay = Browser::new(&app);
    replay.cookies.insert("luister_session".into(), first.clone());
    assert_eq!(replay.get("/account").await.status(), StatusCode::SEE_OTHER);

    // Logout destroys the session server-side: replaying the cookie fails.
    let resp = b.post("/logout", &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(b.session().is_none(), "cookie cleared");
    let mut replay = Browser::new(&app);
    replay.cookies.insert("luister_session".into(), second);
    let resp = replay.get("/account").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/login?next=%2Faccount"));

    let audit = app.store.audit_entries(&AuditFilter { limit: 50, ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"login_succeeded") && actions.contains(&"logout"), "{actions:?}");
}
on_both_backends!(login_rotates_the_session_and_logout_makes_the_old_cookie_useless);

async fn wrong_passwords_and_disabled_accounts_cannot_log_in_and_failures_are_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let email = account(&app, Role::Steering).await;
    let mut b = Browser::new(&app);
    let resp = b.login(&email, "helemaal verkeerd wachtwoord").await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let html = resp.text().await.unwrap();
    assert!(html.contains("horen niet bij elkaar"));
    assert!(html.contains(&format!("value=\"{email}\"")), "typed e-mail kept");
    assert!(!html.contains("helemaal verkeerd"), "password never echoed");
    let resp = b.login("niemand@example.nl", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "unknown account: the same answer");

    let (user, _) = app.store.user_by_email(&email).await.unwrap();
    let change = luister::store::UserChange { disabled: Some(true), ..Default::default() };
    app.store.update_user(&user.id, &change, &system_audit()).await.unwrap();
    assert_eq!(b.login(&email, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);

    let failed = app
        .store
        .audit_entries(&AuditFilter { action: Some(AuditAction::LoginFailed), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|e| e.details.to_string().len() < 10), "no password in the audit log");
}
on_both_backends!(wrong_passwords_and_disabled_accounts_cannot_log_in_and_failures_are_audited);

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_after_12_hours_whatever_happens() {
    let clock = ManualClock::new(OffsetDateTime::now_utc());
    let app = spawn_app_with_clock(Backend::Sqlite, |_| {}, Arc::new(clock.clone())).await.unwrap();
    let email = account(&app, Role::Facilitator).await;
    let mut b = Browser::new(&app);
    b.login(&email, PASSWORD).await;
    clock.advance(Duration::minutes(29));
    assert_eq!(b.get("/account").await.status(), StatusCode::OK, "used within 30 minutes");
    clock.advance(Duration::minutes(31));
    let resp = b.get("/account").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "idle for 31 minutes");
    assert!(resp.headers()["location"].to_str().unwrap().contains("expired=1"));

    // Busy all day long: still ends 12 hours after login.
    b.login(&email, PASSWORD).await;
    for _ in 0..(12 * 60 / 20 - 1) {
        clock.advance(Duration::minutes(20));
        assert_eq!(b.get("/account").await.status(), StatusCode::OK);
    }
    clock.advance(Duration::minutes(21));
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER, "absolute timeout");
}

#[tokio::test]
async fn admin_can_end_all_sessions_of_a_user_and_disabling_ends_them_too() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let email = account(&app, Role::Facilitator).await;
    let (user, _) = app.store.user_by_email(&email).await.unwrap();
    let mut laptop = Browser::new(&app);
    let mut phone = Browser::new(&app);
    laptop.login(&email, PASSWORD).await;
    phone.login(&email, PASSWORD).await;
    assert_eq!(laptop.get("/account").await.status(), StatusCode::OK);

    let admin = account(&app, Role::Admin).await;
    let mut a = Browser::new(&app);
    a.login(&admin, PASSWORD).await;
    let resp = a.post(&format!("/admin/users/{}/sessions/end", user.id), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/account").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/account").await.status(), StatusCode::SEE_OTHER);
    let ended = app
        .store
        .audit_entries(&AuditFilter { action: Some(AuditAction::SessionsEnded), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(ended[0].details["sessions"], 2);

    laptop.login(&email, PASSWORD).await;
    let resp = a
        .post(
            &format!("/admin/users/{}", user.id),
            &[("name", "Test"), ("role", "facilitator"), ("disabled", "1")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/account").await.status(), StatusCode::SEE_OTHER, "disabled: session gone");
    assert_eq!(laptop.login(&email, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

async fn admin_creates_accounts_with_strong_passwords_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Admin, &[]).await;
    let resp = app
        .post_form(
            "/admin/users",
            &[
                ("email", "Nieuw@Example.nl"),
                ("name", "Nieuw"),
                ("role", "facilitator"),
                ("password", "wachtwoord1234"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("te makkelijk te raden"));
    assert!(html.contains("value=\"Nieuw@Example.nl\""));
    let resp = app
        .post_form(
            "/admin/users",
            &[
                ("email", "nieuw@example.nl"),
                ("name", "Nieuw"),
                ("role", "facilitator"),
                ("password", "kort"),
            ],
        )
        .await;
    assert!(resp.text().await.unwrap().contains("te kort"));
    let resp = app
        .post_form(
            "/admin/users",
            &[
                ("email", "Nieuw@Example.nl"),
                ("name", "Nieuw"),
                ("role", "facilitator"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (user, hash) = app.store.user_by_email("nieuw@example.nl").await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_eq!(user.role, Role::Facilitator);
    let created = app
        .store
        .audit_entries(&AuditFilter { action: Some(AuditAction::UserCreated), ..Default::default() })
        .await
        .unwrap();
    assert!(created.iter().any(|e| e.details["email"] == "nieuw@example.nl"));
    let page = app.get("/admin/users").await.text().await.unwrap();
    assert!(page.contains("nieuw@example.nl"));
}
on_both_backends!(admin_creates_accounts_with_strong_passwords_only);

#[tokio::test]
async fn changing_ones_own_password_needs_the_current_one_and_signs_out_everywhere() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let email = account(&app, Role::Steering).await;
    let mut b = Browser::new(&app);
    let mut other = Browser::new(&app);
    b.login(&email, PASSWORD).await;
    other.login(&email, PASSWORD).await;
    let new = "een heel ander wachtwoord met boten";
    let resp = b.post("/account/password", &[("current", "fout"), ("new", new), ("repeat", new)]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("huidige wachtwoord klopt niet"));
    let resp = b.post("/account/password", &[("current", PASSWORD), ("new", new), ("repeat", new)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(other.get("/account").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.login(&email, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(b.login(&email, new).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn first_admin_comes_from_the_environment_when_there_are_no_accounts() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |c| {
        c.admin_email = Some("Beheer@Example.nl".into());
        c.admin_password = Some(PASSWORD.into());
    })
    .await
    .unwrap();
    let (user, _) = app.store.user_by_email("beheer@example.nl").await.unwrap();
    assert_eq!(user.role, Role::Admin);
    let mut b = Browser::new(&app);
    assert_eq!(b.login("beheer@example.nl", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let page = b.get("/admin/audit?action=login_succeeded").await.text().await.unwrap();
    assert!(page.contains("beheer@example.nl"));
    let _ = hidden_fields("");
}

// ---------------------------------------------------------------------------------------------
// Account use cases are atomic with their audit entries.

/// Makes the database refuse audit entries of these actions, as a failing last step: a trigger
/// added through a connection of its own, beside the app's.
pub async fn refuse_audit(app: &TestApp, actions: &[&str]) {
    let url = app.store_url();
    let action = actions.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", ");
    let statements: Vec<String> = if url.starts_with("sqlite:") {
        vec![format!(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action IN ({action}) \
             BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END"
        )]
    } else {
        vec![
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$"
                .to_string(),
            format!(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW \
                 WHEN (NEW.action IN ({action})) EXECUTE FUNCTION refuse_audit()"
            ),
        ]
    };
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        for q in statements {
            sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        for q in statements {
            sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
}

/// A facilitator with `n` open sessions, and the admin who manages them.
async fn account_with_sessions(app: &TestApp, n: usize) -> (luister::domain::User, luister::domain::User) {
    let admin = accounts::create(
        &app.store,
        NewAccount {
            email: "beheer@example.nl".into(),
            name: "Beheer".into(),
            role: Role::Admin,
            password: PASSWORD.into(),
        },
        Actor::system(),
    )
    .await
    .unwrap();
    let user = accounts::create(
        &app.store,
        NewAccount {
            email: "fien@example.nl".into(),
            name: "Fien".into(),
            role: Role::Facilitator,
            password: PASSWORD.into(),
        },
        Actor::system(),
    )
    .await
    .unwrap();
    for i in 0..n {
        let now = OffsetDateTime::now_utc();
        app.store.create_session(&format!("hash-{i}"), &user.id, now).await.unwrap();
    }
    (admin, user)
}

async fn live_sessions(app: &TestApp, n: usize) -> usize {
    let mut live = 0;
    for i in 0..n {
        if app.store.session(&format!("hash-{i}")).await.is_ok() {
            live += 1;
        }
    }
    live
}

async fn audited(app: &TestApp, action: AuditAction) -> usize {
    let filter = AuditFilter { action: Some(action), limit: 100, ..AuditFilter::default() };
    app.store.audit_entries(&filter).await.unwrap().len()
}

async fn creating_an_account_whose_audit_fails_leaves_no_account(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    refuse_audit(&app, &["user_created"]).await;
    let input = luister::accounts::NewAccountInput {
        email: "nieuw@example.nl".into(),
        name: "Nieuw".into(),
        role: "facilitator".into(),
        password: PASSWORD.into(),
    };
    let err = luister::accounts::create(&app.store, &Actor::system(), input).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    assert!(app.store.user_by_email("nieuw@example.nl").await.is_err(), "no account without its audit entry");
}
on_both_backends!(creating_an_account_whose_audit_fails_leaves_no_account);

async fn disabling_an_account_whose_audit_fails_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (admin, user) = account_with_sessions(&app, 2).await;
    refuse_audit(&app, &["user_changed"]).await;
    let edit =
        luister::accounts::AccountEdit { name: "Fien B.".into(), role: "steering".into(), disabled: true };
    let err = luister::accounts::edit(&app.store, &admin, &user.id, &edit).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    let after = app.store.user(&user.id).await.unwrap();
    assert_eq!((after.name.as_str(), after.role, after.disabled), ("Fien", Role::Facilitator, false));
    assert_eq!(live_sessions(&app, 2).await, 2, "the sessions were not ended either");
}
on_both_backends!(disabling_an_account_whose_audit_fails_changes_nothing);

async fn a_password_reset_whose_audit_fails_keeps_the_old_password_and_sessions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (admin, user) = account_with_sessions(&app, 2).await;
    refuse_audit(&app, &["password_changed"]).await;
    let new = "een heel ander lang wachtwoord met bergen".to_string();
    let err = luister::accounts::reset_password(&app.store, &admin, &user.id, new.clone()).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    let change =
        luister::accounts::PasswordChange { current: PASSWORD.into(), new: new.clone(), repeat: new };
    let err = luister::accounts::change_own_password(&app.store, &user, change).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    let (_, hash) = app.store.user_by_email(&user.email).await.unwrap();
    assert!(accounts::verify_password(PASSWORD.into(), hash).await, "the old password still works");
    assert_eq!(live_sessions(&app, 2).await, 2);
}
on_both_backends!(a_password_reset_whose_audit_fails_keeps_the_old_password_and_sessions);

async fn ending_sessions_or_logging_out_without_an_audit_entry_ends_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (admin, user) = account_with_sessions(&app, 2).await;
    refuse_audit(&app, &["sessions_ended", "logout"]).await;
    let err = luister::accounts::end_sessions(&app.store, &admin, &user.id).await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    assert_eq!(live_sessions(&app, 2).await, 2);
    assert_eq!(audited(&app, AuditAction::SessionsEnded).await, 0);

    let err = luister::accounts::logout(&app.store, "hash-0").await.unwrap_err();
    assert!(matches!(err, luister::accounts::AccountError::Store(_)), "{err:?}");
    assert_eq!(live_sessions(&app, 2).await, 2, "the session is still there: no unaudited logout");
}
on_both_backends!(ending_sessions_or_logging_out_without_an_audit_entry_ends_nothing);
