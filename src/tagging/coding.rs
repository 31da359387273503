//! People's coding as use cases: one decision on a story and a theme (tag by hand, accept or
//! reject a suggestion, take one's own tag back) and bulk tagging of chosen stories. A person's
//! decision is always recorded as theirs: the model's provenance stays on the suggestion only
//! when the person answered that suggestion. Each change, its tag history, story events and
//! audit entry are written together.

use super::error::{Result, TaggingError};
use crate::domain::theme::{Tag, TagSource, TagState, Theme};
use crate::domain::{Actor, AuditAction, AuditEntry};
use crate::store::{DynStore, StoreError};
use serde_json::json;
use std::collections::HashSet;
use time::OffsetDateTime;

/// Most stories one bulk change may tag (a page of search results is 20).
pub const MAX_BULK: usize = 1_000;

/// What a person does with a story and a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Choose the theme by hand (from the codebook list): the person's own tag, also when the
    /// model happened to suggest it.
    Add,
    /// Yes to the model's suggestion (or a tag by hand when there is none).
    Accept,
    /// No: reject the suggestion, and set aside a rule or one's own tag.
    Reject,
    /// Take back one's own tag (or rejection).
    Remove,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "add" => Some(Action::Add),
            "accept" => Some(Action::Accept),
            "reject" => Some(Action::Reject),
            "remove" => Some(Action::Remove),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Remove => "remove",
        }
    }
}

/// The tags to write and whether to remove the person's own tag, for `action` on the story's
/// current tags of one theme. Pure, so the rules of who overrides whom are tested directly.
pub fn decide(
    current: &[Tag],
    story: &str,
    theme: &str,
    action: Action,
    user: &str,
    now: OffsetDateTime,
) -> (Vec<Tag>, bool) {
    let find = |s: TagSource| current.iter().find(|t| t.source == s && t.theme_id == theme);
    let person = |state| Tag {
        story_id: story.to_string(),
        theme_id: theme.to_string(),
        source: TagSource::Manual,
        state,
        confidence: None,
        explanation: None,
        by_user: Some(user.to_string()),
        at: now,
    };
    let decided = |m: &Tag, state| Tag { state, by_user: Some(user.to_string()), at: now, ..m.clone() };
    let manual_state = find(TagSource::Manual).map(|t| t.state);
    let mut set = Vec::new();
    let mut remove_manual = false;
    match action {
        Action::Add => {
            if manual_state != Some(TagState::Accepted) {
                set.push(person(TagState::Accepted));
            }
        }
        Action::Accept => match find(TagSource::Model) {
            Some(m) => {
                if m.state != TagState::Accepted {
                    set.push(decided(m, TagState::Accepted));
                }
                // Saying yes takes back one's earlier no.
                remove_manual = manual_state == Some(TagState::Rejected);
            }
            None if manual_state != Some(TagState::Accepted) => set.push(person(TagState::Accepted)),
            None => {}
        },
        Action::Reject => {
            let model = find(TagSource::Model);
            if let Some(m) = model.filter(|m| m.state != TagState::Rejected) {
                set.push(decided(m, TagState::Rejected));
            }
            // A model rejection alone does not beat a rule or a hand-made tag; a person's does.
            let needs_person = find(TagSource::Rule).is_some() || manual_state.is_some() || model.is_none();
            if needs_person && manual_state != Some(TagState::Rejected) {
                set.push(person(TagState::Rejected));
            }
        }
        Action::Remove => remove_manual = manual_state.is_some(),
    }
    (set, remove_manual)
}

fn user_of(by: &Actor) -> Result<&str> {
    by.user_id
        .as_deref()
        .ok_or_else(|| TaggingError::Invalid("Alleen een aangemeld persoon kan coderen.".into()))
}

/// What one decision changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// Tags written.
    pub set: usize,
    /// Whether the person's own tag was taken away.
    pub removed: bool,
}

impl Changed {
    pub fn nothing(&self) -> bool {
        self.set == 0 && !self.removed
    }
}

/// One person's decision on one story of `campaign_id` and one live theme of that campaign.
/// The caller has checked that the story belongs to the campaign.
pub async fn change(
    store: &DynStore,
    by: &Actor,
    campaign_id: &str,
    story_id: &str,
    theme: &Theme,
    action: Action,
    now: OffsetDateTime,
) -> Result<Changed> {
    if theme.campaign_id.as_deref() != Some(campaign_id) || theme.merged_into.is_some() {
        return Err(TaggingError::NotFound);
    }
    let user = user_of(by)?;
    let mut tx = store.begin().await?;
    let current = tx.tags_for_story(story_id).await?;
    let (set, remove_manual) = decide(&current, story_id, &theme.id, action, user, now);
    let changed = Changed { set: set.len(), removed: remove_manual };
    if changed.nothing() {
        return Ok(changed);
    }
    if !set.is_empty() {
        tx.set_tags(&set).await?;
    }
    if remove_manual {
        match tx.remove_tag(story_id, &theme.id, TagSource::Manual, Some(user)).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    tx.audit(&tag_audit(by, campaign_id, story_id, &theme.id, action.as_str())).await?;
    tx.commit().await?;
    Ok(changed)
}

fn tag_audit(by: &Actor, campaign_id: &str, story: &str, theme: &str, action: &str) -> AuditEntry {
    AuditEntry::new(by.clone(), AuditAction::CampaignChanged)
        .campaign(campaign_id.to_string())
        .target(format!("story:{story}"))
        .details(json!({ "change": "tag", "theme": theme, "action": action }))
}

/// The chosen stories, each once, in the order they were chosen; empty ids dropped.
pub fn distinct(ids: &[&str]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| !id.is_empty() && seen.insert(**id)).map(|id| id.to_string()).collect()
}

/// What a bulk change would do, to show before it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    pub theme: Theme,
    pub stories: Vec<String>,
    /// Of those, the stories the person already tagged with this theme (nothing changes there).
    pub already: usize,
}

/// Checks a bulk change: a live theme of the campaign, at most `MAX_BULK` stories, every one of
/// them of the campaign (else `NotFound`, saying nothing about which, so ids cannot be probed).
pub async fn bulk_plan(
    store: &DynStore,
    campaign_id: &str,
    theme: Theme,
    ids: Vec<String>,
) -> Result<BulkPlan> {
    if ids.is_empty() {
        return Err(TaggingError::Invalid(
            "Kies eerst een of meer verhalen met de vakjes bij de resultaten.".into(),
        ));
    }
    if ids.len() > MAX_BULK {
        return Err(TaggingError::Invalid(format!("Kies hooguit {MAX_BULK} verhalen tegelijk.")));
    }
    if theme.campaign_id.as_deref() != Some(campaign_id) || theme.merged_into.is_some() {
        return Err(TaggingError::Invalid("Kies een thema uit het codeboek van deze campagne.".into()));
    }
    let stories = store.stories_by_ids(&ids).await?;
    let ours: HashSet<&str> =
        stories.iter().filter(|s| s.campaign_id == campaign_id).map(|s| s.id.as_str()).collect();
    if ids.iter().any(|id| !ours.contains(id.as_str())) {
        return Err(TaggingError::NotFound);
    }
    let already = store
        .tags_for_stories(&ids)
        .await?
        .iter()
        .filter(|t| t.theme_id == theme.id && t.source == TagSource::Manual && t.state == TagState::Accepted)
        .count();
    Ok(BulkPlan { theme, stories: ids, already })
}

/// Tags every story of a checked plan with its theme, as the person's own tag, with one audit
/// entry; all or nothing.
pub async fn bulk(
    store: &DynStore,
    by: &Actor,
    campaign_id: &str,
    plan: &BulkPlan,
    now: OffsetDateTime,
) -> Result<usize> {
    let user = user_of(by)?;
    let tags: Vec<Tag> = plan
        .stories
        .iter()
        .map(|id| Tag {
            story_id: id.clone(),
            theme_id: plan.theme.id.clone(),
            source: TagSource::Manual,
            state: TagState::Accepted,
            confidence: None,
            explanation: None,
            by_user: Some(user.to_string()),
            at: now,
        })
        .collect();
    let mut tx = store.begin().await?;
    tx.set_tags(&tags).await?;
    let entry = AuditEntry::new(by.clone(), AuditAction::CampaignChanged)
        .campaign(campaign_id.to_string())
        .target(format!("campaign:{campaign_id}"))
        .details(json!({ "change": "bulk_tag", "theme": plan.theme.id, "stories": tags.len() }));
    tx.audit(&entry).await?;
    tx.commit().await?;
    Ok(tags.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(source: TagSource, state: TagState) -> Tag {
        Tag {
            story_id: "s".into(),
            theme_id: "t".into(),
            source,
            state,
            confidence: Some(0.8),
            explanation: Some(vec![("wachtlijst".into(), 0.4), ("maanden".into(), 0.7)]),
            by_user: None,
            at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn run(current: &[Tag], action: Action) -> (Vec<(TagSource, TagState)>, bool) {
        let (set, remove) = decide(current, "s", "t", action, "u", OffsetDateTime::UNIX_EPOCH);
        assert!(set.iter().all(|t| t.by_user.as_deref() == Some("u")));
        (set.iter().map(|t| (t.source, t.state)).collect(), remove)
    }

    #[test]
    fn decisions_on_suggestions_keep_the_models_provenance() {
        use TagSource::*;
        use TagState::*;
        let suggestion = tag(Model, Suggested);
        let (set, _) = decide(
            std::slice::from_ref(&suggestion),
            "s",
            "t",
            Action::Accept,
            "u",
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!((set[0].source, set[0].state, set[0].confidence), (Model, Accepted, Some(0.8)));
        assert!(set[0].explanation.is_some());
        assert_eq!(run(std::slice::from_ref(&suggestion), Action::Reject), (vec![(Model, Rejected)], false));
        // Yes after an earlier no takes the no back.
        assert_eq!(
            run(&[suggestion, tag(Manual, Rejected)], Action::Accept),
            (vec![(Model, Accepted)], true)
        );
    }

    #[test]
    fn choosing_a_suggested_theme_by_hand_is_the_persons_decision() {
        use TagSource::*;
        use TagState::*;
        assert_eq!(run(&[tag(Model, Suggested)], Action::Add), (vec![(Manual, Accepted)], false));
    }

    #[test]
    fn a_persons_rejection_is_what_beats_a_rule() {
        use TagSource::*;
        use TagState::*;
        assert_eq!(run(&[tag(Rule, Accepted)], Action::Reject), (vec![(Manual, Rejected)], false));
        assert_eq!(
            run(&[tag(Rule, Accepted), tag(Model, Accepted)], Action::Reject),
            (vec![(Model, Rejected), (Manual, Rejected)], false)
        );
        assert_eq!(run(&[tag(Rule, Accepted), tag(Manual, Rejected)], Action::Reject), (vec![], false));
        assert_eq!(run(&[tag(Rule, Accepted), tag(Manual, Rejected)], Action::Remove), (vec![], true));
        assert_eq!(run(&[], Action::Add), (vec![(Manual, Accepted)], false));
        assert_eq!(run(&[tag(Manual, Accepted)], Action::Add), (vec![], false));
        assert_eq!(run(&[tag(Manual, Accepted)], Action::Reject), (vec![(Manual, Rejected)], false));
        assert_eq!(run(&[], Action::Remove), (vec![], false));
    }

    #[test]
    fn chosen_stories_count_once() {
        assert_eq!(distinct(&["a", "", "b", "a"]), ["a", "b"]);
    }
}
