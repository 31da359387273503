//! What facilitators do with a campaign's stories: withdraw one (with a reason for the audit
//! log) and record the follow-up of a safeguarding signal. Each is one function; the change and
//! its audit entry are stored together.

use crate::domain::safeguarding::{FollowUp, FollowUpAction};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign, Story};
use crate::store::{DynStore, StoreError};
use serde_json::json;
use time::OffsetDateTime;

/// Longest note with a deletion (it goes into the audit log) and with a follow-up.
pub const MAX_DELETE_NOTE: usize = 500;
pub const MAX_FOLLOW_UP_NOTE: usize = 2000;

/// Why a story is deleted: a category for the audit log, with a label for the form.
pub const DELETE_REASONS: [(&str, &str); 4] = [
    ("teller_request", "Op verzoek van de verteller"),
    ("identifiable", "Bevat herleidbare gegevens"),
    ("not_a_story", "Geen verhaal / spam"),
    ("other", "Anders"),
];

/// A problem with a posted form, per field; `None` where the field is fine.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldProblems {
    pub first: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoryError {
    /// The reason or action (`first`) or the note is not acceptable.
    #[error("invalid input")]
    Invalid(FieldProblems),
    /// The story has no safeguarding signals: there is nothing to follow up.
    #[error("nothing to follow up")]
    NotFlagged,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A facilitator's withdrawal of a story.
pub struct Withdrawal {
    pub reason: String,
    pub note: String,
}

/// Checks a withdrawal: a known reason, and a note when the reason is "anders".
pub fn check_withdrawal(w: &Withdrawal) -> Result<(&'static str, String), FieldProblems> {
    let reason = DELETE_REASONS.iter().map(|(v, _)| *v).find(|v| *v == w.reason);
    let note = w.note.trim().to_string();
    let reason_error = reason.is_none().then(|| "Kies waarom je dit verhaal verwijdert.".to_string());
    let note_error = if note.chars().count() > MAX_DELETE_NOTE {
        Some(format!("Maak de toelichting korter: hooguit {MAX_DELETE_NOTE} tekens."))
    } else if reason == Some("other") && note.is_empty() {
        Some("Je koos ‘Anders’: schrijf in een paar woorden waarom.".to_string())
    } else {
        None
    };
    match (reason, reason_error, note_error) {
        (Some(r), None, None) => Ok((r, note)),
        (_, first, note) => Err(FieldProblems { first, note }),
    }
}

/// Deletes the story (it must belong to `campaign`; the caller looked it up there), appends its
/// delete event and audits the reason category and the note, never story text.
pub async fn withdraw(
    store: &DynStore,
    by: &Actor,
    campaign: &Campaign,
    story: &Story,
    w: &Withdrawal,
) -> Result<(), StoryError> {
    let (reason, note) = check_withdrawal(w).map_err(StoryError::Invalid)?;
    let entry = AuditEntry::new(by.clone(), AuditAction::StoryDeleted)
        .campaign(campaign.id.clone())
        .details(json!({ "reason": reason, "note": note }));
    store.delete_story(&story.id, &entry).await?;
    tracing::info!(campaign = %campaign.slug(), story_id = %story.id, reason, "story deleted");
    Ok(())
}

/// A follow-up as posted: the action as its code, and a note.
pub struct FollowUpInput {
    pub action: String,
    pub note: String,
}

/// Records what was done with a flagged story's signals. The store audits the action category;
/// the note stays with the follow-up.
pub async fn follow_up(
    store: &DynStore,
    by: &Actor,
    campaign: &Campaign,
    story: &Story,
    input: &FollowUpInput,
    now: OffsetDateTime,
) -> Result<FollowUp, StoryError> {
    if story.safeguarding.is_empty() {
        return Err(StoryError::NotFlagged);
    }
    let action = FollowUpAction::parse(&input.action);
    let note = input.note.trim().to_string();
    let action_error = action.is_none().then(|| "Kies wat er met dit signaal is gedaan.".to_string());
    let note_error = if note.chars().count() > MAX_FOLLOW_UP_NOTE {
        Some(format!("Maak de notitie korter: hooguit {MAX_FOLLOW_UP_NOTE} tekens."))
    } else if action == Some(FollowUpAction::Other) && note.is_empty() {
        Some("Je koos ‘Anders’: schrijf kort op wat er is gedaan.".to_string())
    } else {
        None
    };
    let action = match action {
        Some(a) if note_error.is_none() => a,
        _ => return Err(StoryError::Invalid(FieldProblems { first: action_error, note: note_error })),
    };
    let fu = FollowUp {
        id: uuid::Uuid::new_v4().to_string(),
        story_id: story.id.clone(),
        campaign_id: campaign.id.clone(),
        user_id: by.user_id.clone(),
        user_email: by.label.clone(),
        action,
        note,
        at: now,
    };
    let entry = AuditEntry::new(by.clone(), AuditAction::SafeguardingFollowUp);
    store.add_follow_up(&fu, &entry).await?;
    tracing::info!(campaign = %campaign.slug(), story_id = %story.id, action = action.as_str(), "safeguarding follow-up");
    Ok(fu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_needs_a_known_reason_and_a_note_for_other() {
        let form = |r: &str, n: &str| Withdrawal { reason: r.into(), note: n.into() };
        assert_eq!(
            check_withdrawal(&form("identifiable", " naam van school ")).unwrap(),
            ("identifiable", "naam van school".into())
        );
        assert!(check_withdrawal(&form("", "")).unwrap_err().first.is_some());
        assert!(check_withdrawal(&form("zomaar", "")).unwrap_err().first.is_some());
        let e = check_withdrawal(&form("other", "  ")).unwrap_err();
        assert!(e.first.is_none() && e.note.is_some());
        assert!(check_withdrawal(&form("spam", &"x".repeat(MAX_DELETE_NOTE + 1))).is_err());
    }
}
