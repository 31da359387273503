//! Who may do what: the one place that decides. Handlers ask `Viewer::require(permission)`
//! before doing anything; the route table test in `tests/api/authz.rs` checks every route.

use crate::domain::{Role, User};

/// Something a signed-in person wants to do. Campaign-scoped permissions carry the campaign id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission<'a> {
    /// The facilitator workspace: the list of one's campaigns.
    UseWorkspace,
    CreateCampaign,
    ManageCampaign(&'a str),
    ReadStories(&'a str),
    DeleteStory(&'a str),
    FollowUpSafeguarding(&'a str),
    ExportStories(&'a str),
    /// Add or remove facilitators of a campaign.
    ManageMembers,
    ManageUsers,
    ViewAudit,
    /// Aggregates for the steering group (no story text).
    ViewOverview,
    /// Free-text search with free filters over the stories of one's campaigns. Not for the
    /// steering role: two free counts can be subtracted to expose a hidden small group.
    SearchStories,
    /// Change one's own password.
    ManageOwnAccount,
    /// Make, freeze and publish perspective maps of a campaign (its facilitators).
    MakeMaps(&'a str),
    /// Published (frozen, disclosure-controlled) maps: the steering group's view of maps.
    ViewPublishedMaps,
    /// Create and run sense-making sessions of a campaign: plan, cards, join codes, notes,
    /// report (its facilitators and admins).
    RunSessions(&'a str),
    /// Record and change improvement actions, organisations, Leefwereldtoets assumptions and
    /// conclusions, and what a campaign publishes (its facilitators).
    ManageActions(&'a str),
    /// What facilitators published — session reports, actions, disclosure-controlled toets
    /// reports: the steering group reads them.
    ViewPublishedReports,
}

/// Why something is refused. A facilitator who is not a member of a campaign is told it does
/// not exist, so ids cannot be probed; everyone else learns they lack the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    Forbidden,
    NotFound,
}

/// A signed-in person and the campaigns they are a member of.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewer {
    pub user: User,
    pub campaigns: Vec<String>,
}

impl Viewer {
    pub fn is_member(&self, campaign_id: &str) -> bool {
        self.campaigns.iter().any(|c| c == campaign_id)
    }

    pub fn require(&self, p: Permission<'_>) -> Result<(), Denied> {
        use Permission::*;
        let role = self.user.role;
        if self.user.disabled {
            return Err(Denied::Forbidden);
        }
        let campaign_scoped = |id: &str| match role {
            Role::Admin => Ok(()),
            Role::Facilitator if self.is_member(id) => Ok(()),
            Role::Facilitator => Err(Denied::NotFound),
            Role::Steering => Err(Denied::Forbidden),
        };
        match p {
            ManageOwnAccount | ViewOverview | ViewPublishedMaps | ViewPublishedReports => Ok(()),
            UseWorkspace | CreateCampaign | SearchStories => match role {
                Role::Admin | Role::Facilitator => Ok(()),
                Role::Steering => Err(Denied::Forbidden),
            },
            ManageCampaign(id)
            | ReadStories(id)
            | DeleteStory(id)
            | FollowUpSafeguarding(id)
            | ExportStories(id)
            | MakeMaps(id)
            | RunSessions(id)
            | ManageActions(id) => campaign_scoped(id),
            ManageMembers | ManageUsers | ViewAudit => match role {
                Role::Admin => Ok(()),
                _ => Err(Denied::Forbidden),
            },
        }
    }

    pub fn may(&self, p: Permission<'_>) -> bool {
        self.require(p).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn viewer(role: Role, campaigns: &[&str]) -> Viewer {
        Viewer {
            user: User {
                id: "u".into(),
                email: "u@x.nl".into(),
                name: "U".into(),
                role,
                disabled: false,
                created_at: OffsetDateTime::UNIX_EPOCH,
            },
            campaigns: campaigns.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn facilitators_reach_only_their_own_campaigns() {
        let f = viewer(Role::Facilitator, &["a"]);
        assert!(f.may(Permission::ReadStories("a")));
        assert_eq!(f.require(Permission::ReadStories("b")), Err(Denied::NotFound));
        assert_eq!(f.require(Permission::ManageUsers), Err(Denied::Forbidden));
        assert!(f.may(Permission::CreateCampaign));
    }

    #[test]
    fn steering_never_reads_stories_and_admins_reach_everything() {
        let s = viewer(Role::Steering, &["a"]);
        assert_eq!(s.require(Permission::ReadStories("a")), Err(Denied::Forbidden));
        assert_eq!(s.require(Permission::UseWorkspace), Err(Denied::Forbidden));
        assert_eq!(s.require(Permission::SearchStories), Err(Denied::Forbidden));
        assert!(s.may(Permission::ViewOverview));
        let a = viewer(Role::Admin, &[]);
        for p in [
            Permission::ReadStories("z"),
            Permission::ManageUsers,
            Permission::ViewAudit,
            Permission::DeleteStory("z"),
        ] {
            assert!(a.may(p), "{p:?}");
        }
    }

    #[test]
    fn sessions_are_run_by_the_campaigns_facilitators_and_read_by_steering_once_published() {
        let f = viewer(Role::Facilitator, &["a"]);
        assert!(f.may(Permission::RunSessions("a")));
        assert_eq!(f.require(Permission::RunSessions("b")), Err(Denied::NotFound));
        let s = viewer(Role::Steering, &["a"]);
        assert_eq!(s.require(Permission::RunSessions("a")), Err(Denied::Forbidden));
        assert!(s.may(Permission::ViewPublishedReports));
        assert!(viewer(Role::Admin, &[]).may(Permission::RunSessions("z")));
    }

    #[test]
    fn disabled_accounts_may_do_nothing() {
        let mut a = viewer(Role::Admin, &[]);
        a.user.disabled = true;
        assert!(!a.may(Permission::ViewOverview));
    }
}
