//! Creating accounts and setting passwords, shared by the CLI, the admin pages, the first admin
//! from the environment and the demo users. Passwords are checked against the policy and hashed
//! off the async runtime.

use super::password;
use crate::domain::user::parse_email;
use crate::domain::{Actor, AuditAction, AuditEntry, Role, User};
use crate::store::{DynStore, NewUser, StoreError, UserChange};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Input that breaks a rule; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Hashes on the blocking pool: argon2 with 19 MiB takes tens of milliseconds of CPU.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || password::hash(&password)).await?
}

pub async fn verify_password(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&password, &stored)).await.unwrap_or(false)
}

pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

pub async fn create(store: &DynStore, account: NewAccount, actor: Actor) -> Result<User, AccountError> {
    let email = parse_email(&account.email).map_err(AccountError::Invalid)?;
    let name = account.name.trim().to_string();
    if name.is_empty() {
        return Err(AccountError::Invalid("Vul een naam in.".into()));
    }
    password::check_policy(&account.password, &[&email, &name]).map_err(AccountError::Invalid)?;
    let password_hash = hash_password(account.password).await?;
    let new = NewUser { email: email.clone(), name, role: account.role, password_hash };
    match store.create_user(&new, &AuditEntry::new(actor, AuditAction::UserCreated)).await {
        Ok(u) => Ok(u),
        Err(StoreError::Conflict(_)) => {
            Err(AccountError::Invalid(format!("Er is al een account met het e-mailadres {email}.")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password and ends the user's sessions, so a stolen session dies with the old
/// password.
pub async fn set_password(
    store: &DynStore,
    user: &User,
    new_password: String,
    actor: Actor,
) -> Result<(), AccountError> {
    password::check_policy(&new_password, &[&user.email, &user.name]).map_err(AccountError::Invalid)?;
    let hash = hash_password(new_password).await?;
    let change = UserChange { password_hash: Some(hash), ..UserChange::default() };
    // One transaction: the new password, the ended sessions and the audit entry, or none.
    let mut tx = store.begin().await?;
    tx.delete_user_sessions(&user.id).await?;
    tx.update_user(&user.id, &change, &AuditEntry::new(actor, AuditAction::PasswordChanged)).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the first admin from `LUISTER_ADMIN_EMAIL` / `LUISTER_ADMIN_PASSWORD` when there
/// are no accounts yet.
pub async fn ensure_first_admin(
    store: &DynStore,
    email: &str,
    password: &str,
) -> Result<Option<User>, AccountError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let account = NewAccount {
        email: email.into(),
        name: "Beheerder".into(),
        role: Role::Admin,
        password: password.into(),
    };
    create(store, account, Actor::system()).await.map(Some)
}

/// Demo accounts for `serve --demo`, created once with random passwords that are returned so
/// they can be printed a single time. The facilitator is a member of the demo campaign.
pub async fn create_demo_users(
    store: &DynStore,
    demo_campaign_id: &str,
) -> Result<Vec<(String, Role, String)>, AccountError> {
    if store.count_users().await? > 0 {
        return Ok(Vec::new());
    }
    let mut created = Vec::new();
    for (email, name, role) in [
        ("admin@demo.luister.nl", "Demo beheerder", Role::Admin),
        ("facilitator@demo.luister.nl", "Demo facilitator", Role::Facilitator),
        ("stuurgroep@demo.luister.nl", "Demo stuurgroep", Role::Steering),
    ] {
        let password = demo_password();
        let user = create(
            store,
            NewAccount { email: email.into(), name: name.into(), role, password: password.clone() },
            Actor::system(),
        )
        .await?;
        if role == Role::Facilitator {
            let audit = AuditEntry::new(Actor::system(), AuditAction::MembershipChanged);
            store.set_membership(demo_campaign_id, &user.id, true, &audit).await?;
        }
        created.push((email.to_string(), role, password));
    }
    Ok(created)
}

/// Four random words from a fixed list plus digits: strong, and easy to type from a log.
fn demo_password() -> String {
    use rand::seq::IndexedRandom;
    const WORDS: &[&str] = &[
        "fiets", "lantaarn", "wolk", "trompet", "molen", "kanaal", "zeilboot", "tulp", "haring", "klompen",
        "duin", "polder", "brug", "toren", "kaas", "sluis", "vlinder", "storm", "gracht", "appel",
    ];
    let mut rng = rand::rng();
    let words: Vec<&str> = (0..4).map(|_| *WORDS.choose(&mut rng).unwrap_or(&"wolk")).collect();
    format!("{}-{}", words.join("-"), rand::Rng::random_range(&mut rng, 10..100))
}
