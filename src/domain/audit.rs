//! The audit log: who did what, when. Never story text: targets are ids, details are small
//! facts (a role, a count, a reason category).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// What happened. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    LoginSucceeded,
    LoginFailed,
    Logout,
    SessionsEnded,
    UserCreated,
    UserChanged,
    PasswordChanged,
    MembershipChanged,
    CampaignCreated,
    CampaignChanged,
    StoryDeleted,
    StoryWithdrawn,
    StoriesExported,
    SafeguardingFollowUp,
    RetentionDeleted,
    MapFrozen,
    MapPublished,
    SessionCreated,
    SessionChanged,
    JoinCodeOpened,
    JoinCodeRevoked,
    NoteAdded,
    NoteApproved,
    NotesClustered,
    SessionReportPublished,
    ActionCreated,
    ActionChanged,
    OrganisationChanged,
    AssumptionChanged,
    StoryLinkedToAssumption,
    ConclusionRecorded,
    ResultsPublished,
    MapExported,
    BackupMade,
    BackupRestored,
    ApiTokenCreated,
    ApiTokenRevoked,
}

impl AuditAction {
    pub const ALL: [AuditAction; 37] = [
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::SessionsEnded,
        AuditAction::UserCreated,
        AuditAction::UserChanged,
        AuditAction::PasswordChanged,
        AuditAction::MembershipChanged,
        AuditAction::CampaignCreated,
        AuditAction::CampaignChanged,
        AuditAction::StoryDeleted,
        AuditAction::StoryWithdrawn,
        AuditAction::StoriesExported,
        AuditAction::SafeguardingFollowUp,
        AuditAction::RetentionDeleted,
        AuditAction::MapFrozen,
        AuditAction::MapPublished,
        AuditAction::SessionCreated,
        AuditAction::SessionChanged,
        AuditAction::JoinCodeOpened,
        AuditAction::JoinCodeRevoked,
        AuditAction::NoteAdded,
        AuditAction::NoteApproved,
        AuditAction::NotesClustered,
        AuditAction::SessionReportPublished,
        AuditAction::ActionCreated,
        AuditAction::ActionChanged,
        AuditAction::OrganisationChanged,
        AuditAction::AssumptionChanged,
        AuditAction::StoryLinkedToAssumption,
        AuditAction::ConclusionRecorded,
        AuditAction::ResultsPublished,
        AuditAction::MapExported,
        AuditAction::BackupMade,
        AuditAction::BackupRestored,
        AuditAction::ApiTokenCreated,
        AuditAction::ApiTokenRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "login_succeeded",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::SessionsEnded => "sessions_ended",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserChanged => "user_changed",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::MembershipChanged => "membership_changed",
            AuditAction::CampaignCreated => "campaign_created",
            AuditAction::CampaignChanged => "campaign_changed",
            AuditAction::StoryDeleted => "story_deleted",
            AuditAction::StoryWithdrawn => "story_withdrawn",
            AuditAction::StoriesExported => "stories_exported",
            AuditAction::SafeguardingFollowUp => "safeguarding_follow_up",
            AuditAction::RetentionDeleted => "retention_deleted",
            AuditAction::MapFrozen => "map_frozen",
            AuditAction::MapPublished => "map_published",
            AuditAction::SessionCreated => "session_created",
            AuditAction::SessionChanged => "session_changed",
            AuditAction::JoinCodeOpened => "join_code_opened",
            AuditAction::JoinCodeRevoked => "join_code_revoked",
            AuditAction::NoteAdded => "note_added",
            AuditAction::NoteApproved => "note_approved",
            AuditAction::NotesClustered => "notes_clustered",
            AuditAction::SessionReportPublished => "session_report_published",
            AuditAction::ActionCreated => "action_created",
            AuditAction::ActionChanged => "action_changed",
            AuditAction::OrganisationChanged => "organisation_changed",
            AuditAction::AssumptionChanged => "assumption_changed",
            AuditAction::StoryLinkedToAssumption => "story_linked_to_assumption",
            AuditAction::ConclusionRecorded => "conclusion_recorded",
            AuditAction::ResultsPublished => "results_published",
            AuditAction::MapExported => "map_exported",
            AuditAction::BackupMade => "backup_made",
            AuditAction::BackupRestored => "backup_restored",
            AuditAction::ApiTokenCreated => "api_token_created",
            AuditAction::ApiTokenRevoked => "api_token_revoked",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Who acted: a user, the system (jobs), or an anonymous storyteller.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub user_id: Option<String>,
    pub label: String,
}

impl Actor {
    pub fn user(id: &str, email: &str) -> Actor {
        Actor { user_id: Some(id.to_string()), label: email.to_string() }
    }
    pub fn system() -> Actor {
        Actor { user_id: None, label: "system".into() }
    }
    /// An operator at the command line, named by their system user where known.
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        Actor { user_id: None, label: format!("cli:{who}") }
    }
    pub fn anonymous() -> Actor {
        Actor { user_id: None, label: "anonymous".into() }
    }
}

/// One entry to write.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: AuditAction,
    /// What it was done to: `story:<id>`, `user:<id>`, `campaign:<id>`, an e-mail for logins.
    pub target: Option<String>,
    pub campaign_id: Option<String>,
    pub details: Value,
}

impl AuditEntry {
    pub fn new(actor: Actor, action: AuditAction) -> AuditEntry {
        AuditEntry {
            actor,
            action,
            target: None,
            campaign_id: None,
            details: Value::Object(Default::default()),
        }
    }
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
    pub fn campaign(mut self, campaign_id: impl Into<String>) -> Self {
        self.campaign_id = Some(campaign_id.into());
        self
    }
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub campaign_id: Option<String>,
    pub details: Value,
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub since: Option<OffsetDateTime>,
    pub action: Option<AuditAction>,
    pub actor: Option<String>,
    pub campaign_id: Option<String>,
    pub limit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_through_their_names() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
