//! Improvement actions and "you said, we did": the use cases that record actions for the
//! responsible parties, keep their history, and publish results back to the storytellers. Each
//! state change is one function with one transaction and its audit entry (docs/architecture.md).

pub mod demo;
pub mod export;
pub mod results;

pub use demo::demo;

use serde_json::json;
use time::OffsetDateTime;

use crate::domain::action::{
    Action, ActionFields, ActionForm, ActionUpdate, ChangeKind, FieldProblem, HistoryEntry, Organisation,
    OrganisationKind,
};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign};
use crate::store::{DynStore, StoreError, StoreTx};

/// Errors of the action use cases, in words a facilitator can act on.
#[derive(Debug, thiserror::Error)]
pub enum ActionsError {
    /// Fields that need another value: (field, message).
    #[error("controleer de velden")]
    Invalid(Vec<FieldProblem>),
    #[error("niet gevonden")]
    NotFound,
    /// Someone saved in between, or a name is taken; the string says which.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ActionsError {
    fn from(e: StoreError) -> ActionsError {
        match e {
            StoreError::NotFound => ActionsError::NotFound,
            StoreError::Conflict(c) => ActionsError::Conflict(c),
            e => ActionsError::Store(e),
        }
    }
}

pub type Result<T, E = ActionsError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> ActionsError {
    ActionsError::Invalid(vec![(field, message.into())])
}

/// Creates (`id` None) or changes an organisation of `campaign`.
pub async fn save_organisation(
    store: &DynStore,
    campaign: &Campaign,
    id: Option<&str>,
    kind: &str,
    name: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Organisation> {
    let name: String = name.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(("name", "Geef de organisatie een naam.".to_string()));
    }
    let kind = OrganisationKind::parse(kind.trim());
    if kind.is_none() {
        problems.push(("kind", "Kies wat voor organisatie het is.".to_string()));
    }
    let Some(kind) = kind.filter(|_| problems.is_empty()) else {
        return Err(ActionsError::Invalid(problems));
    };
    let existing = match id {
        Some(id) => Some(
            store
                .organisations(&campaign.id)
                .await?
                .into_iter()
                .find(|o| o.id == id)
                .ok_or(ActionsError::NotFound)?,
        ),
        None => None,
    };
    let org = Organisation {
        id: existing.as_ref().map_or_else(|| uuid::Uuid::new_v4().to_string(), |o| o.id.clone()),
        campaign_id: campaign.id.clone(),
        kind,
        name,
        created_at: existing.as_ref().map_or(now, |o| o.created_at),
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    tx.save_organisation(&org).await.map_err(|e| match e {
        StoreError::Conflict(_) => invalid("name", "Deze campagne heeft al een organisatie met die naam."),
        e => e.into(),
    })?;
    tx.audit(
        &AuditEntry::new(actor, AuditAction::OrganisationChanged)
            .target(format!("organisation:{}", org.id))
            .campaign(&campaign.id)
            .details(json!({ "kind": org.kind.as_str(), "created": existing.is_none() })),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

/// The responsible party must be one of the campaign's organisations.
async fn check_party(store: &DynStore, campaign: &Campaign, fields: &ActionFields) -> Result<()> {
    if let Some(id) = &fields.organisation_id
        && !store.organisations(&campaign.id).await?.iter().any(|o| &o.id == id)
    {
        return Err(invalid("organisation_id", "Kies een organisatie van deze campagne."));
    }
    Ok(())
}

fn entry(
    action: &Action,
    kind: ChangeKind,
    actor: &Actor,
    note: &str,
    on: Option<time::Date>,
) -> HistoryEntry {
    HistoryEntry {
        action_id: action.id.clone(),
        version: action.version,
        kind,
        at: action.updated_at,
        on_date: on.unwrap_or(action.updated_at.date()),
        actor: actor.label.clone(),
        note: note.to_string(),
        state: action.fields.clone(),
    }
}

/// Records a new action of `campaign` from the typed form.
pub async fn create(
    store: &DynStore,
    campaign: &Campaign,
    form: &ActionForm,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Action> {
    let fields = ActionFields::parse(form).map_err(ActionsError::Invalid)?;
    check_party(store, campaign, &fields).await?;
    let action = Action {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.id.clone(),
        fields,
        published: false,
        version: 1,
        created_by: actor.user_id.clone(),
        created_at: now,
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    tx.insert_action(&action, &entry(&action, ChangeKind::Created, &actor, "", None)).await?;
    tx.audit(
        &AuditEntry::new(actor, AuditAction::ActionCreated)
            .target(format!("action:{}", action.id))
            .campaign(&campaign.id)
            .details(json!({ "status": action.fields.status.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(action)
}

/// The action `id` of `campaign`, read in the transaction; another campaign's is not found.
async fn action_in(tx: &mut Box<dyn StoreTx>, campaign: &Campaign, id: &str) -> Result<Action> {
    match tx.action(id).await {
        Ok(a) if a.campaign_id == campaign.id => Ok(a),
        Ok(_) | Err(StoreError::NotFound) => Err(ActionsError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Writes the next version of an action with its history entry and audit entry.
// Each argument is one fact of the change; a struct for this private step would add nothing.
#[allow(clippy::too_many_arguments)]
async fn next_version(
    mut tx: Box<dyn StoreTx>,
    mut action: Action,
    kind: ChangeKind,
    note: &str,
    on: Option<time::Date>,
    actor: Actor,
    audit: AuditAction,
    details: serde_json::Value,
    now: OffsetDateTime,
) -> Result<Action> {
    action.version += 1;
    action.updated_at = now;
    tx.update_action(&action, &entry(&action, kind, &actor, note, on)).await?;
    tx.audit(
        &AuditEntry::new(actor, audit)
            .target(format!("action:{}", action.id))
            .campaign(&action.campaign_id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    Ok(action)
}

/// Changes an action's fields. `expected_version` is the version the form was built from: if
/// someone saved in between, `Conflict("action_version")` and nothing changes.
pub async fn change(
    store: &DynStore,
    campaign: &Campaign,
    id: &str,
    form: &ActionForm,
    expected_version: i64,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Action> {
    let fields = ActionFields::parse(form).map_err(ActionsError::Invalid)?;
    check_party(store, campaign, &fields).await?;
    let mut tx = store.begin().await?;
    let mut action = action_in(&mut tx, campaign, id).await?;
    if action.version != expected_version {
        return Err(ActionsError::Conflict("action_version".into()));
    }
    if action.fields == fields {
        // Saving an unchanged form adds nothing to the history.
        return Ok(action);
    }
    let before = action.fields.status;
    action.fields = fields;
    let details = json!({ "from": before.as_str(), "status": action.fields.status.as_str() });
    next_version(tx, action, ChangeKind::Changed, "", None, actor, AuditAction::ActionChanged, details, now)
        .await
}

/// Adds a dated update (text, perhaps a new status and progress) to an action.
pub async fn add_update(
    store: &DynStore,
    campaign: &Campaign,
    id: &str,
    update: &ActionUpdate,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Action> {
    let mut tx = store.begin().await?;
    let mut action = action_in(&mut tx, campaign, id).await?;
    action.fields = update.apply(&action.fields);
    let details = json!({ "update": true, "status": action.fields.status.as_str() });
    next_version(
        tx,
        action,
        ChangeKind::Update,
        &update.note,
        update.on_date,
        actor,
        AuditAction::ActionChanged,
        details,
        now,
    )
    .await
}

/// Shows an action on the public results page (and to the steering group), or takes it off.
pub async fn set_published(
    store: &DynStore,
    campaign: &Campaign,
    id: &str,
    published: bool,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Action> {
    let mut tx = store.begin().await?;
    let mut action = action_in(&mut tx, campaign, id).await?;
    if action.published == published {
        return Ok(action);
    }
    action.published = published;
    let note = if published { "gepubliceerd" } else { "niet meer gepubliceerd" };
    let details = json!({ "action": action.id, "published": published });
    next_version(
        tx,
        action,
        ChangeKind::Changed,
        note,
        None,
        actor,
        AuditAction::ResultsPublished,
        details,
        now,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_become_action_errors() {
        assert!(matches!(ActionsError::from(StoreError::NotFound), ActionsError::NotFound));
        assert!(matches!(
            ActionsError::from(StoreError::Conflict("action_version".into())),
            ActionsError::Conflict(c) if c == "action_version"
        ));
    }
}
