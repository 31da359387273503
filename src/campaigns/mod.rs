//! Use cases of campaigns: creating one, every change of its definition and form (settings,
//! status, prompts, signifiers, a TOML import), its facilitators, and what facilitators do with
//! its stories (withdrawing one, following up a safeguarding signal, see `stories`). Each is one
//! function that takes typed input with the acting person and returns a typed result or a
//! `CampaignError`; each change and its audit entry are stored together. No HTTP here: the
//! workspace handlers parse, call one of these and render.
//!
//! Form edits are checked against the form version the editor loaded: a save on an older
//! version is refused as `Stale` with what colleagues changed since, so nobody overwrites a
//! colleague's settings or retires their new question without seeing it.

pub mod stories;

use crate::domain::audit::{AuditFilter, AuditRecord};
use crate::domain::form_edit::{
    self, Direction, EditError, NewCampaignInput, NewSignifierInput, SettingsInput, SignifierInput,
};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign, CampaignDef, CampaignStatus, Localized, Role};
use crate::store::{DynStore, Saved, StoreError};
use serde_json::{Value, json};

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// The input breaks a rule; the messages say, per field key, how to fix it.
    #[error("invalid input")]
    Invalid(Vec<EditError>),
    /// The form was loaded at `loaded` and the campaign is at `current.form_version` now.
    #[error("the campaign was changed since version {loaded}")]
    Stale { loaded: i64, current: Box<Campaign>, changes: Vec<Change> },
    /// A person or story the request names does not exist (for this campaign).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CampaignError {
    fn from(e: StoreError) -> CampaignError {
        match e {
            StoreError::NotFound => CampaignError::NotFound,
            e => CampaignError::Store(e),
        }
    }
}

pub type Result<T, E = CampaignError> = std::result::Result<T, E>;

/// A change a colleague made, for the page that says why a save was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub at: time::OffsetDateTime,
    pub by: String,
    pub form_version: i64,
    pub what: String,
}

/// What a status is called in the workspace.
pub fn status_label(s: CampaignStatus) -> &'static str {
    match s {
        CampaignStatus::Draft => "concept",
        CampaignStatus::Open => "open",
        CampaignStatus::Closed => "gesloten",
    }
}

// ---------------------------------------------------------------------------------------------
// Creating a campaign

/// A new campaign, from the form or from a TOML file.
// One value per request, moved once: boxing the form would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum NewCampaign {
    Form(NewCampaignInput),
    Toml(String),
}

impl NewCampaign {
    fn via(&self) -> &'static str {
        match self {
            NewCampaign::Form(_) => "form",
            NewCampaign::Toml(_) => "toml",
        }
    }

    /// Where a problem with the input is shown.
    fn key(&self) -> &'static str {
        match self {
            NewCampaign::Form(_) => "slug",
            NewCampaign::Toml(_) => "toml",
        }
    }

    fn to_def(&self) -> Result<CampaignDef> {
        match self {
            NewCampaign::Form(input) => input.to_def().map_err(CampaignError::Invalid),
            NewCampaign::Toml(text) => {
                let fail = |m: String| CampaignError::Invalid(vec![EditError::new("toml", m)]);
                let mut def = CampaignDef::from_toml(text).map_err(|e| fail(e.0))?;
                form_edit::check_slug(&def.slug).map_err(|m| fail(format!("slug: {m}")))?;
                // Like a campaign made with the form, it starts as a draft: first check the preview.
                def.status = CampaignStatus::Draft;
                Ok(def)
            }
        }
    }
}

/// Creates a draft campaign and makes its creator a member of it, in one transaction with both
/// audit entries.
pub async fn create(store: &DynStore, by: &Actor, input: &NewCampaign) -> Result<Campaign> {
    let def = input.to_def()?;
    // Says no more than "not available": the slug may belong to someone else's draft.
    let taken = || {
        CampaignError::Invalid(vec![EditError::new(
            input.key(),
            format!("De korte naam '{}' is niet beschikbaar. Kies een andere korte naam.", def.slug),
        )])
    };
    let mut tx = store.begin().await.map_err(CampaignError::Store)?;
    match tx.campaign_by_slug(&def.slug).await {
        Ok(_) => return Err(taken()),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(CampaignError::Store(e)),
    }
    let audit = AuditEntry::new(by.clone(), AuditAction::CampaignChanged)
        .details(json!({ "change": "created", "via": input.via() }));
    let campaign = match tx.save_campaign(&def, &audit, None).await {
        Ok((c, Saved::Created)) => c,
        // Someone created the same slug in between: nothing of theirs is touched (rolled back).
        Ok((_, Saved::Updated)) | Err(StoreError::Conflict(_)) => return Err(taken()),
        Err(StoreError::Invalid(m)) => {
            return Err(CampaignError::Invalid(vec![EditError::new(
                input.key(),
                format!("Niet opgeslagen: {m}"),
            )]));
        }
        Err(e) => return Err(CampaignError::Store(e)),
    };
    if let Some(user_id) = &by.user_id {
        let member = AuditEntry::new(by.clone(), AuditAction::MembershipChanged);
        tx.set_membership(&campaign.id, user_id, true, &member).await.map_err(CampaignError::Store)?;
    }
    tx.commit().await.map_err(CampaignError::Store)?;
    tracing::info!(campaign_id = %campaign.id, via = input.via(), "campaign created in the workspace");
    Ok(campaign)
}

// ---------------------------------------------------------------------------------------------
// Changing the definition and the form

/// One change of a campaign's definition, as posted by one of the workspace forms.
#[derive(Debug, Clone)]
pub enum FormChange {
    Settings(SettingsInput),
    /// The status asked for, as posted.
    Status(String),
    AddPrompt {
        id: String,
        text: Localized,
    },
    EditPrompt {
        id: String,
        text: Localized,
    },
    MovePrompt {
        id: String,
        direction: Option<Direction>,
    },
    RemovePrompt {
        id: String,
    },
    AddSignifier(NewSignifierInput),
    EditSignifier {
        id: String,
        input: SignifierInput,
    },
    MoveSignifier {
        id: String,
        direction: Option<Direction>,
    },
    RemoveSignifier {
        id: String,
    },
    /// A whole definition from a TOML file.
    Import(String),
}

impl FormChange {
    /// Where a refusal that belongs to no single field is shown (a `#` names a section).
    pub fn refusal_key(&self) -> String {
        match self {
            FormChange::Settings(_) => "#instellingen".into(),
            FormChange::Status(_) => "status".into(),
            FormChange::AddPrompt { .. }
            | FormChange::MovePrompt { .. }
            | FormChange::RemovePrompt { .. } => "#uitnodigingen".into(),
            FormChange::EditPrompt { id, .. } => format!("prompt-{id}-nl"),
            FormChange::AddSignifier(_)
            | FormChange::MoveSignifier { .. }
            | FormChange::RemoveSignifier { .. } => "#vragen".into(),
            FormChange::EditSignifier { .. } => "question_nl".into(),
            FormChange::Import(_) => "toml".into(),
        }
    }

    /// Applies the change to `def`; returns the audit details (ids only, never story text).
    pub fn apply(&self, def: &mut CampaignDef) -> Result<Value, Vec<EditError>> {
        let section = |key: &str, m: String| vec![EditError::new(key, m)];
        match self {
            FormChange::Settings(input) => {
                let old = def.clone();
                input.apply(def)?;
                Ok(json!({ "change": "settings", "fields": form_edit::changed_settings(&old, def) }))
            }
            FormChange::Status(asked) => {
                let from = def.status;
                let to = CampaignStatus::parse(asked)
                    .filter(|to| form_edit::status_change_allowed(from, *to))
                    .ok_or_else(|| {
                        section(
                            "status",
                            format!(
                                "Een campagne met status {} kan niet naar '{asked}'. Kies een van de knoppen bij Status.",
                                status_label(from)
                            ),
                        )
                    })?;
                def.status = to;
                Ok(json!({ "change": "status", "from": from.as_str(), "to": to.as_str() }))
            }
            FormChange::AddPrompt { id, text } => {
                form_edit::add_prompt(def, id.trim(), text)?;
                Ok(json!({ "change": "prompt_added", "prompt": id.trim() }))
            }
            FormChange::EditPrompt { id, text } => {
                let key = format!("prompt-{id}-nl");
                form_edit::edit_prompt(def, id, text).map_err(|es| {
                    es.into_iter().map(|e| EditError::new(&key, e.message)).collect::<Vec<_>>()
                })?;
                Ok(json!({ "change": "prompt_changed", "prompt": id }))
            }
            FormChange::MovePrompt { id, direction } => match direction {
                Some(dir) if form_edit::move_prompt(def, id, *dir) => {
                    Ok(json!({ "change": "prompt_moved", "prompt": id, "direction": dir.as_str() }))
                }
                _ => Err(section(
                    "#uitnodigingen",
                    format!("De uitnodiging '{id}' kan niet verder die kant op. Er is niets verplaatst."),
                )),
            },
            FormChange::RemovePrompt { id } => {
                form_edit::remove_prompt(def, id).map_err(|m| section("#uitnodigingen", m))?;
                Ok(json!({ "change": "prompt_removed", "prompt": id }))
            }
            FormChange::AddSignifier(input) => {
                form_edit::add_signifier(def, input)?;
                Ok(json!({ "change": "signifier_added", "signifier": input.id.trim(), "kind": input.kind }))
            }
            FormChange::EditSignifier { id, input } => {
                if def.signifiers.iter().all(|s| s.id != *id || s.retired) {
                    return Err(section("#vragen", format!("Er is geen vraag '{id}' (meer).")));
                }
                form_edit::edit_signifier(def, id, input)?;
                Ok(json!({ "change": "signifier_changed", "signifier": id }))
            }
            FormChange::MoveSignifier { id, direction } => match direction {
                Some(dir) if form_edit::move_signifier(def, id, *dir) => {
                    Ok(json!({ "change": "signifier_moved", "signifier": id, "direction": dir.as_str() }))
                }
                _ => Err(section(
                    "#vragen",
                    format!("De vraag '{id}' kan niet verder die kant op. Er is niets verplaatst."),
                )),
            },
            FormChange::RemoveSignifier { id } => {
                form_edit::remove_signifier(def, id).map_err(|m| section("#vragen", m))?;
                Ok(json!({ "change": "signifier_removed", "signifier": id }))
            }
            FormChange::Import(text) => {
                let fail = |m: String| section("toml", m);
                let mut new = CampaignDef::from_toml(text).map_err(|e| fail(e.0))?;
                if new.slug != def.slug {
                    return Err(fail(format!(
                        "Dit bestand is voor de campagne '{}', niet voor '{}'. De korte naam (slug) kan niet veranderen; maak voor een andere slug een nieuwe campagne.",
                        new.slug, def.slug
                    )));
                }
                // A file without `status` leaves the status alone instead of making it a draft.
                let has_status = text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("status"));
                if !has_status {
                    new.status = def.status;
                }
                *def = new;
                Ok(json!({ "change": "imported" }))
            }
        }
    }
}

/// What came of a form change.
#[derive(Debug)]
pub enum Edited {
    /// Saved as this new form version.
    Saved(Box<Campaign>),
    /// The form was saved as it was: no new form version, no audit entry.
    Unchanged,
}

/// Applies one change to the stored definition and saves it with its audit entry.
/// `loaded_version` is the form version the editor's page showed; when the campaign has moved on
/// since, nothing is saved and the answer is `Stale` with what changed in between.
pub async fn change_form(
    store: &DynStore,
    by: &Actor,
    campaign: &Campaign,
    change: &FormChange,
    loaded_version: Option<i64>,
) -> Result<Edited> {
    if let Some(loaded) = loaded_version
        && loaded != campaign.form_version
    {
        return Err(stale(store, campaign, loaded).await);
    }
    let mut def = campaign.def.clone();
    let mut details = change.apply(&mut def).map_err(CampaignError::Invalid)?;
    if def == campaign.def {
        return Ok(Edited::Unchanged);
    }
    // The version this save makes, so a stale editor can be told which changes they missed.
    if let Some(map) = details.as_object_mut() {
        map.insert("form_version".into(), (campaign.form_version + 1).into());
    }
    let audit = AuditEntry::new(by.clone(), AuditAction::CampaignChanged).details(details);
    let mut tx = store.begin().await.map_err(CampaignError::Store)?;
    // The version this change was made on: a save in between (even one committing right now)
    // makes this one a conflict instead of overwriting it.
    let saved = match tx.save_campaign(&def, &audit, Some(campaign.form_version)).await {
        Ok((c, _)) => c,
        Err(StoreError::Conflict(rule)) if rule == "form_version" => {
            drop(tx);
            let current = store.campaign(&campaign.id).await.map_err(CampaignError::from)?;
            return Err(stale(store, &current, loaded_version.unwrap_or(campaign.form_version)).await);
        }
        Err(StoreError::Invalid(m)) => {
            return Err(CampaignError::Invalid(vec![EditError::new(
                change.refusal_key(),
                format!("Niet opgeslagen: {m}"),
            )]));
        }
        Err(e) => return Err(CampaignError::Store(e)),
    };
    tx.commit().await.map_err(CampaignError::Store)?;
    tracing::info!(campaign_id = %saved.id, form_version = saved.form_version, "campaign changed in the workspace");
    Ok(Edited::Saved(Box::new(saved)))
}

/// The refusal of a save on an old form version, with the changes made since.
async fn stale(store: &DynStore, campaign: &Campaign, loaded: i64) -> CampaignError {
    let filter = AuditFilter {
        action: Some(AuditAction::CampaignChanged),
        campaign_id: Some(campaign.id.clone()),
        limit: 200,
        ..AuditFilter::default()
    };
    let changes = match store.audit_entries(&filter).await {
        Ok(entries) => changes_since(&entries, loaded),
        Err(e) => return CampaignError::Store(e),
    };
    CampaignError::Stale { loaded, current: Box::new(campaign.clone()), changes }
}

/// The audited form changes after version `loaded`, oldest first.
fn changes_since(entries: &[AuditRecord], loaded: i64) -> Vec<Change> {
    let mut changes: Vec<Change> = entries
        .iter()
        .filter_map(|e| {
            let version = e.details.get("form_version")?.as_i64()?;
            (version > loaded).then(|| Change {
                at: e.at,
                by: e.actor.clone(),
                form_version: version,
                what: describe(&e.details),
            })
        })
        .collect();
    changes.sort_by_key(|c| c.form_version);
    changes
}

/// An audited change in words.
pub fn describe(details: &Value) -> String {
    let s = |k: &str| details.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
    match details.get("change").and_then(Value::as_str).unwrap_or("") {
        "settings" => {
            let fields: Vec<&str> = details
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if fields.is_empty() {
                "instellingen gewijzigd".into()
            } else {
                format!("instellingen gewijzigd: {}", fields.join(", "))
            }
        }
        "status" => format!(
            "status van {} naar {}",
            CampaignStatus::parse(&s("from")).map(status_label).unwrap_or("?"),
            CampaignStatus::parse(&s("to")).map(status_label).unwrap_or("?")
        ),
        "prompt_added" => format!("uitnodiging '{}' toegevoegd", s("prompt")),
        "prompt_changed" => format!("uitnodiging '{}' gewijzigd", s("prompt")),
        "prompt_moved" => format!("uitnodiging '{}' verplaatst", s("prompt")),
        "prompt_removed" => format!("uitnodiging '{}' verwijderd", s("prompt")),
        "signifier_added" => format!("vraag '{}' toegevoegd", s("signifier")),
        "signifier_changed" => format!("vraag '{}' gewijzigd", s("signifier")),
        "signifier_moved" => format!("vraag '{}' verplaatst", s("signifier")),
        "signifier_removed" => format!("vraag '{}' verwijderd", s("signifier")),
        "imported" => "TOML-bestand ingelezen".into(),
        _ => "gewijzigd".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Facilitators of a campaign

/// Adds (`member`) or removes a facilitator of the campaign.
pub async fn set_membership(
    store: &DynStore,
    by: &Actor,
    campaign: &Campaign,
    user_id: &str,
    member: bool,
) -> Result<()> {
    let refuse = |m: String| CampaignError::Invalid(vec![EditError::new("member", m)]);
    let user = match store.user(user_id.trim()).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(refuse("Kies een facilitator uit de lijst.".into())),
        Err(e) => return Err(CampaignError::Store(e)),
    };
    if member && user.role != Role::Facilitator {
        return Err(refuse(format!(
            "{} is {}; alleen facilitators worden lid van een campagne (beheerders kunnen al overal bij).",
            user.name,
            user.role.label()
        )));
    }
    let audit = AuditEntry::new(by.clone(), AuditAction::MembershipChanged);
    store.set_membership(&campaign.id, &user.id, member, &audit).await.map_err(CampaignError::Store)?;
    tracing::info!(campaign_id = %campaign.id, user_id = %user.id, member, "membership changed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(version: Option<i64>, details: Value) -> AuditRecord {
        let mut details = details;
        if let (Some(v), Some(map)) = (version, details.as_object_mut()) {
            map.insert("form_version".into(), v.into());
        }
        AuditRecord {
            id: 1,
            at: time::OffsetDateTime::UNIX_EPOCH,
            actor_id: None,
            actor: "lisa@example.nl".into(),
            action: "campaign_changed".into(),
            target: None,
            campaign_id: None,
            details,
        }
    }

    #[test]
    fn only_changes_after_the_loaded_version_are_listed_oldest_first() {
        let entries = [
            record(Some(5), json!({ "change": "signifier_added", "signifier": "wie" })),
            record(Some(4), json!({ "change": "settings", "fields": ["titel"] })),
            record(Some(3), json!({ "change": "prompt_added", "prompt": "oud" })),
            record(None, json!({ "change": "created" })),
        ];
        let changes = changes_since(&entries, 3);
        let what: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(what, ["instellingen gewijzigd: titel", "vraag 'wie' toegevoegd"]);
    }

    #[test]
    fn a_status_change_is_described_with_both_statuses() {
        assert_eq!(
            describe(&json!({ "change": "status", "from": "open", "to": "closed" })),
            "status van open naar gesloten"
        );
    }
}
