//! Who may do what: the one place that decides. Handlers ask `Viewer::require(permission)`
//! before doing anything; the route table test in `tests/api/authz.rs` checks every route.

use super::tokens::Access;
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
    /// Tag a campaign's stories through the API (a write; the pages code stories under
    /// `ReadStories`, which their CSRF-protected forms guard).
    CodeStories(&'a str),
}

impl Permission<'_> {
    /// The campaign a permission is about, if any.
    fn campaign(&self) -> Option<&str> {
        use Permission::*;
        match *self {
            ManageCampaign(id)
            | ReadStories(id)
            | DeleteStory(id)
            | FollowUpSafeguarding(id)
            | ExportStories(id)
            | MakeMaps(id)
            | RunSessions(id)
            | ManageActions(id)
            | CodeStories(id) => Some(id),
            _ => None,
        }
    }

    /// What a personal API token needs for this: `None` when no token may ever have it (the
    /// account itself, other people's accounts, the audit log, new campaigns).
    fn token_access(&self) -> Option<Access> {
        use Permission::*;
        match self {
            UseWorkspace | ReadStories(_) | ExportStories(_) | ViewOverview | SearchStories
            | ViewPublishedMaps | ViewPublishedReports => Some(Access::Read),
            ManageCampaign(_)
            | DeleteStory(_)
            | FollowUpSafeguarding(_)
            | MakeMaps(_)
            | RunSessions(_)
            | ManageActions(_)
            | CodeStories(_) => Some(Access::Write),
            CreateCampaign | ManageMembers | ManageUsers | ViewAudit | ManageOwnAccount => None,
        }
    }
}

/// What a personal API token grants: a narrowing of its user's own rights to one campaign and
/// to reading, or reading and writing. Never more than the user may do themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenGrant {
    pub token_id: String,
    pub name: String,
    pub campaign_id: String,
    pub access: Access,
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
    /// Set when the request came with a personal API token instead of a session.
    pub token: Option<TokenGrant>,
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
        if let Some(grant) = &self.token {
            // Another campaign does not exist for the token, as for a non-member.
            if p.campaign().is_some_and(|id| id != grant.campaign_id) {
                return Err(Denied::NotFound);
            }
            match p.token_access() {
                None => return Err(Denied::Forbidden),
                Some(Access::Write) if grant.access == Access::Read => return Err(Denied::Forbidden),
                Some(_) => {}
            }
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
            | ManageActions(id)
            | CodeStories(id) => campaign_scoped(id),
            ManageMembers | ManageUsers | ViewAudit => match role {
                Role::Admin => Ok(()),
                _ => Err(Denied::Forbidden),
            },
        }
    }

    pub fn may(&self, p: Permission<'_>) -> bool {
        self.require(p).is_ok()
    }

    /// The one campaign a token-holding caller is limited to (`None` for a session).
    pub fn token_campaign(&self) -> Option<&str> {
        self.token.as_ref().map(|g| g.campaign_id.as_str())
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
            token: None,
        }
    }

    fn with_token(mut v: Viewer, campaign: &str, access: Access) -> Viewer {
        v.token = Some(TokenGrant {
            token_id: "t".into(),
            name: "script".into(),
            campaign_id: campaign.into(),
            access,
        });
        v
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
    fn a_token_reaches_only_its_campaign_and_never_more_than_its_user() {
        let t = with_token(viewer(Role::Facilitator, &["a", "b"]), "a", Access::Write);
        assert!(t.may(Permission::ReadStories("a")));
        assert!(t.may(Permission::CodeStories("a")));
        assert!(t.may(Permission::SearchStories));
        assert_eq!(
            t.require(Permission::ReadStories("b")),
            Err(Denied::NotFound),
            "a campaign of the user, not of the token"
        );
        let admin = with_token(viewer(Role::Admin, &[]), "a", Access::Write);
        assert_eq!(admin.require(Permission::ReadStories("z")), Err(Denied::NotFound));
        for p in [
            Permission::ManageUsers,
            Permission::ViewAudit,
            Permission::ManageOwnAccount,
            Permission::CreateCampaign,
        ] {
            assert_eq!(admin.require(p), Err(Denied::Forbidden), "{p:?}");
        }
        // A token of a steering account still cannot read stories.
        let s = with_token(viewer(Role::Steering, &["a"]), "a", Access::Write);
        assert_eq!(s.require(Permission::ReadStories("a")), Err(Denied::Forbidden));
    }

    #[test]
    fn a_read_only_token_never_passes_a_write_permission() {
        let t = with_token(viewer(Role::Admin, &["a"]), "a", Access::Read);
        assert!(t.may(Permission::ReadStories("a")));
        assert!(t.may(Permission::ViewOverview));
        for p in [
            Permission::CodeStories("a"),
            Permission::DeleteStory("a"),
            Permission::ManageCampaign("a"),
            Permission::MakeMaps("a"),
            Permission::RunSessions("a"),
            Permission::ManageActions("a"),
            Permission::FollowUpSafeguarding("a"),
        ] {
            assert_eq!(t.require(p), Err(Denied::Forbidden), "{p:?}");
        }
    }

    #[test]
    fn coding_through_the_api_is_for_the_campaigns_facilitators() {
        let f = viewer(Role::Facilitator, &["a"]);
        assert!(f.may(Permission::CodeStories("a")));
        assert_eq!(f.require(Permission::CodeStories("b")), Err(Denied::NotFound));
        assert_eq!(viewer(Role::Steering, &[]).require(Permission::CodeStories("a")), Err(Denied::Forbidden));
    }

    #[test]
    fn disabled_accounts_may_do_nothing() {
        let mut a = viewer(Role::Admin, &[]);
        a.user.disabled = true;
        assert!(!a.may(Permission::ViewOverview));
    }
}
