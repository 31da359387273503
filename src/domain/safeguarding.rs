//! What facilitators record after a story signalled danger. The teller is anonymous, so the
//! follow-up is about what the team did with the signal, not about contacting the teller.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpAction {
    /// Read it and judged it not to be an acute signal (e.g. about the past, or a false alarm).
    NoDangerOnReading,
    /// Discussed with the team or the safeguarding officer (aandachtsfunctionaris).
    DiscussedWithSafeguardingOfficer,
    /// Advice or a report at Veilig Thuis.
    ConsultedVeiligThuis,
    /// Passed on to the organisation that can act (the teller named it, or the campaign's partner).
    PassedToOrganisation,
    /// Nothing could be done because the teller is anonymous; recorded as such.
    NoActionPossible,
    Other,
}

impl FollowUpAction {
    pub const ALL: [FollowUpAction; 6] = [
        FollowUpAction::NoDangerOnReading,
        FollowUpAction::DiscussedWithSafeguardingOfficer,
        FollowUpAction::ConsultedVeiligThuis,
        FollowUpAction::PassedToOrganisation,
        FollowUpAction::NoActionPossible,
        FollowUpAction::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpAction::NoDangerOnReading => "no_danger_on_reading",
            FollowUpAction::DiscussedWithSafeguardingOfficer => "discussed_with_safeguarding_officer",
            FollowUpAction::ConsultedVeiligThuis => "consulted_veilig_thuis",
            FollowUpAction::PassedToOrganisation => "passed_to_organisation",
            FollowUpAction::NoActionPossible => "no_action_possible",
            FollowUpAction::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            FollowUpAction::NoDangerOnReading => "Gelezen: geen acuut signaal",
            FollowUpAction::DiscussedWithSafeguardingOfficer => "Besproken met aandachtsfunctionaris of team",
            FollowUpAction::ConsultedVeiligThuis => "Advies gevraagd of gemeld bij Veilig Thuis",
            FollowUpAction::PassedToOrganisation => "Doorgegeven aan de organisatie die kan handelen",
            FollowUpAction::NoActionPossible => "Geen actie mogelijk (verteller is anoniem)",
            FollowUpAction::Other => "Anders",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: String,
    pub story_id: String,
    pub campaign_id: String,
    pub user_id: Option<String>,
    pub user_email: String,
    pub action: FollowUpAction,
    pub note: String,
    pub at: OffsetDateTime,
}
