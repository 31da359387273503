//! Use cases of accounts: an admin creates, edits, disables, resets or ends the sessions of an
//! account; a person changes their own password or logs out. Each is one function that takes
//! typed input with the acting person and returns a typed result or an `AccountError`; every
//! change is audited, and a change and its audit entry are stored together. Password rules,
//! hashing and session tokens stay in `crate::auth`.

pub mod tokens;

use crate::auth::accounts as auth_accounts;
use crate::domain::{Actor, AuditAction, AuditEntry, Role, User};
use crate::store::{DynStore, StoreError, UserChange};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Input that breaks a rule; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// The current password given does not match.
    #[error("wrong password")]
    WrongPassword,
    /// The account does not exist.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Other(anyhow::Error),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> AccountError {
        match e {
            StoreError::NotFound => AccountError::NotFound,
            e => AccountError::Store(e),
        }
    }
}

impl From<auth_accounts::AccountError> for AccountError {
    fn from(e: auth_accounts::AccountError) -> AccountError {
        match e {
            auth_accounts::AccountError::Invalid(m) => AccountError::Invalid(m),
            auth_accounts::AccountError::Store(e) => e.into(),
            auth_accounts::AccountError::Other(e) => AccountError::Other(e),
        }
    }
}

pub type Result<T, E = AccountError> = std::result::Result<T, E>;

/// A new account as an admin typed it.
pub struct NewAccountInput {
    pub email: String,
    pub name: String,
    /// The role as posted (`admin`, `facilitator`, `steering`).
    pub role: String,
    pub password: String,
}

/// Creates an account (audited as `user_created`).
pub async fn create(store: &DynStore, by: &Actor, input: NewAccountInput) -> Result<User> {
    let role = Role::parse(&input.role)
        .ok_or_else(|| AccountError::Invalid("Kies een rol: beheerder, facilitator of stuurgroep.".into()))?;
    let account =
        auth_accounts::NewAccount { email: input.email, name: input.name, role, password: input.password };
    Ok(auth_accounts::create(store, account, by.clone()).await?)
}

/// An admin's edit of an account: name, role and whether it is disabled, as posted.
pub struct AccountEdit {
    pub name: String,
    pub role: String,
    pub disabled: bool,
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    pub user: User,
    /// Sessions ended because the account was disabled or its role changed.
    pub sessions_ended: u64,
}

/// Saves an admin's edit. A disabled account or a changed role keeps no session made under the
/// old rights. Admins cannot take away their own admin rights or disable themselves.
pub async fn edit(store: &DynStore, by: &User, user_id: &str, e: &AccountEdit) -> Result<Edited> {
    let user = store.user(user_id).await?;
    let role = Role::parse(&e.role).ok_or_else(|| AccountError::Invalid("Kies een rol.".into()))?;
    let name = e.name.trim().to_string();
    if name.is_empty() {
        return Err(AccountError::Invalid("Vul een naam in.".into()));
    }
    if user.id == by.id && (e.disabled || role != Role::Admin) {
        return Err(AccountError::Invalid(
            "Je kunt je eigen beheerrechten niet afnemen of je eigen account uitschakelen. Vraag een andere beheerder."
                .into(),
        ));
    }
    let change = UserChange {
        name: Some(name),
        role: (role != user.role).then_some(role),
        disabled: (e.disabled != user.disabled).then_some(e.disabled),
        password_hash: None,
    };
    let ends_sessions = e.disabled || change.role.is_some();
    let mut tx = store.begin().await?;
    let sessions_ended = if ends_sessions { tx.delete_user_sessions(&user.id).await? } else { 0 };
    let updated =
        tx.update_user(&user.id, &change, &AuditEntry::new(actor(by), AuditAction::UserChanged)).await?;
    tx.commit().await?;
    Ok(Edited { user: updated, sessions_ended })
}

/// An admin sets a new password for an account; its sessions end.
pub async fn reset_password(store: &DynStore, by: &User, user_id: &str, new_password: String) -> Result<()> {
    let user = store.user(user_id).await?;
    Ok(auth_accounts::set_password(store, &user, new_password, actor(by)).await?)
}

/// A person's change of their own password.
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

/// Changes one's own password after checking the current one; every session of the account
/// ends, this one included. `WrongPassword` lets the caller count failed guesses.
pub async fn change_own_password(store: &DynStore, me: &User, change: PasswordChange) -> Result<()> {
    let (_, hash) = store.user_by_email(&me.email).await?;
    if !auth_accounts::verify_password(change.current, hash).await {
        return Err(AccountError::WrongPassword);
    }
    if change.new != change.repeat {
        return Err(AccountError::Invalid(
            "De twee nieuwe wachtwoorden zijn niet hetzelfde. Typ ze nog eens.".into(),
        ));
    }
    Ok(auth_accounts::set_password(store, me, change.new, actor(me)).await?)
}

/// Ends every session of an account, audited with how many there were.
pub async fn end_sessions(store: &DynStore, by: &User, user_id: &str) -> Result<u64> {
    let user = store.user(user_id).await?;
    let mut tx = store.begin().await?;
    let ended = tx.delete_user_sessions(&user.id).await?;
    let audit = AuditEntry::new(actor(by), AuditAction::SessionsEnded)
        .target(format!("user:{}", user.id))
        .details(serde_json::json!({ "sessions": ended }));
    tx.audit(&audit).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Starts a session for a person who just proved who they are: the browser's old session (if
/// any) ends, the new one starts and the login is audited, together.
pub async fn start_session(
    store: &DynStore,
    user: &User,
    old_session_hash: Option<&str>,
    new_session_hash: &str,
    now: time::OffsetDateTime,
) -> Result<()> {
    let mut tx = store.begin().await?;
    if let Some(old) = old_session_hash {
        tx.delete_session(old).await?;
    }
    tx.create_session(new_session_hash, &user.id, now).await?;
    tx.audit(&AuditEntry::new(actor(user), AuditAction::LoginSucceeded)).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the session with this id hash, audited as the logout of its account. A session that no
/// longer exists is nothing to do.
pub async fn logout(store: &DynStore, session_hash: &str) -> Result<()> {
    let record = match store.session(session_hash).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut tx = store.begin().await?;
    tx.delete_session(session_hash).await?;
    tx.audit(&AuditEntry::new(actor(&record.user), AuditAction::Logout)).await?;
    tx.commit().await?;
    Ok(())
}

fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.email)
}
