//! Leefwereldtoets mode: a campaign carries the policy under test and its assumptions;
//! facilitators link stories to an assumption (supports / contradicts / mixed) and record a
//! conclusion per assumption; the report ([`report`]) is what a steering group receives. One
//! use case per change, each one transaction with its audit entry.

pub mod report;

use std::collections::HashMap;

use serde_json::json;
use time::OffsetDateTime;

use crate::actions::{ActionsError, Result};
use crate::domain::action::LinkKind;
use crate::domain::toets::{self as t, Assumption, AssumptionLink, Conclusion, Stance};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign};
use crate::store::{ActionFilter, DynStore, StoreError};

fn invalid((field, message): (&'static str, String)) -> ActionsError {
    ActionsError::Invalid(vec![(field, message)])
}

fn audit(actor: Actor, action: AuditAction, campaign: &Campaign, target: String) -> AuditEntry {
    AuditEntry::new(actor, action).target(target).campaign(&campaign.id)
}

/// Sets the policy under test.
pub async fn save_policy(
    store: &DynStore,
    campaign: &Campaign,
    policy: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    let policy: String = policy.trim().chars().take(t::MAX_TEXT).collect();
    let mut tx = store.begin().await?;
    tx.save_policy(&campaign.id, &policy, now).await?;
    tx.audit(
        &audit(actor, AuditAction::AssumptionChanged, campaign, format!("campaign:{}", campaign.id))
            .details(json!({ "policy": true })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an assumption (`id` None, at the end) or changes one.
pub async fn save_assumption(
    store: &DynStore,
    campaign: &Campaign,
    id: Option<&str>,
    statement: &str,
    expected: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Assumption> {
    let (statement, expected) = t::parse_assumption(statement, expected).map_err(invalid)?;
    let all = store.assumptions(&campaign.id).await?;
    let existing = match id {
        Some(id) => Some(all.iter().find(|a| a.id == id).cloned().ok_or(ActionsError::NotFound)?),
        None => None,
    };
    let a = Assumption {
        id: existing.as_ref().map_or_else(|| uuid::Uuid::new_v4().to_string(), |a| a.id.clone()),
        campaign_id: campaign.id.clone(),
        position: existing
            .as_ref()
            .map_or(all.iter().map(|a| a.position + 1).max().unwrap_or(0), |a| a.position),
        statement,
        expected,
        created_at: existing.as_ref().map_or(now, |a| a.created_at),
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    tx.save_assumption(&a).await?;
    tx.audit(
        &audit(actor, AuditAction::AssumptionChanged, campaign, format!("assumption:{}", a.id))
            .details(json!({ "created": existing.is_none() })),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

/// Links a story of the campaign to one of its assumptions with a stance, or (`None`) unlinks it.
pub async fn link_story(
    store: &DynStore,
    campaign: &Campaign,
    assumption_id: &str,
    story_id: &str,
    stance: Option<Stance>,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    if !store.assumptions(&campaign.id).await?.iter().any(|a| a.id == assumption_id) {
        return Err(invalid(("assumption", "Kies een aanname van deze campagne.".into())));
    }
    let link = AssumptionLink {
        assumption_id: assumption_id.to_string(),
        story_id: story_id.to_string(),
        stance: stance.unwrap_or(Stance::Mixed),
        linked_by: actor.user_id.clone(),
        linked_at: now,
    };
    let mut tx = store.begin().await?;
    match tx.story(story_id).await {
        Ok(s) if s.campaign_id == campaign.id => {}
        Ok(_) | Err(StoreError::NotFound) => return Err(ActionsError::NotFound),
        Err(e) => return Err(e.into()),
    }
    tx.link_story(&link, stance.is_some()).await?;
    tx.audit(
        &audit(actor, AuditAction::StoryLinkedToAssumption, campaign, format!("story:{story_id}"))
            .details(json!({ "assumption": assumption_id, "stance": stance.map(|s| s.as_str()) })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records (or replaces) the conclusion on an assumption.
#[allow(clippy::too_many_arguments)]
pub async fn record_conclusion(
    store: &DynStore,
    campaign: &Campaign,
    assumption_id: &str,
    verdict: &str,
    reasoning: &str,
    session_id: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Conclusion> {
    let (verdict, reasoning, session_id) =
        t::parse_conclusion(verdict, reasoning, session_id).map_err(invalid)?;
    if !store.assumptions(&campaign.id).await?.iter().any(|a| a.id == assumption_id) {
        return Err(ActionsError::NotFound);
    }
    let c = Conclusion {
        assumption_id: assumption_id.to_string(),
        verdict,
        reasoning,
        session_id,
        recorded_by: actor.user_id.clone(),
        recorded_at: now,
    };
    let mut tx = store.begin().await?;
    tx.save_conclusion(&c).await?;
    tx.audit(
        &audit(actor, AuditAction::ConclusionRecorded, campaign, format!("assumption:{assumption_id}"))
            .details(json!({ "verdict": verdict.as_str(), "session": c.session_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// The toets report of `campaign`; `disclosed` is the steering group's (small cells hidden,
/// published actions only).
pub async fn build_report(
    store: &DynStore,
    campaign: &Campaign,
    disclosed: bool,
    k: u64,
) -> Result<report::Report> {
    let assumptions = store.assumptions(&campaign.id).await?;
    let links = store.assumption_links(&campaign.id).await?;
    let mut ids: Vec<String> = links.iter().map(|l| l.story_id.clone()).collect();
    ids.sort();
    ids.dedup();
    // Withdrawal wins: only stories that are still there count or are quoted.
    let stories: HashMap<String, crate::domain::Story> = if ids.is_empty() {
        HashMap::new()
    } else {
        store.stories_by_ids(&ids).await?.into_iter().map(|s| (s.id.clone(), s)).collect()
    };
    let linked: Vec<report::LinkedStory> = links
        .iter()
        .filter_map(|l| {
            let s = stories.get(&l.story_id).filter(|s| s.campaign_id == campaign.id)?;
            Some(report::LinkedStory {
                assumption_id: l.assumption_id.clone(),
                story_id: l.story_id.clone(),
                stance: l.stance,
                perspective: s.perspective,
                text: s.text.clone(),
            })
        })
        .collect();
    let conclusions = store.conclusions(&campaign.id).await?;
    let orgs: HashMap<String, String> =
        store.organisations(&campaign.id).await?.into_iter().map(|o| (o.id, o.name)).collect();
    let actions: Vec<report::ActionRef> = store
        .actions(&ActionFilter {
            campaign_ids: Some(vec![campaign.id.clone()]),
            published_only: disclosed,
            ..ActionFilter::default()
        })
        .await?
        .into_iter()
        .filter_map(|a| {
            let on: Vec<String> = a
                .fields
                .links
                .iter()
                .filter(|l| l.kind == LinkKind::Assumption)
                .map(|l| l.ref_id.clone())
                .collect();
            (!on.is_empty()).then(|| report::ActionRef {
                title: a.fields.title.clone(),
                status: a.fields.status.label().into(),
                party: a
                    .fields
                    .organisation_id
                    .as_ref()
                    .and_then(|o| orgs.get(o).cloned())
                    .unwrap_or_default(),
                due: a.fields.due_on.map(crate::domain::action::day).unwrap_or_default(),
                assumption_ids: on,
            })
        })
        .collect();
    Ok(report::build(&report::Input {
        campaign: campaign.def.title.get(crate::domain::Lang::Nl).to_string(),
        policy: store.policy(&campaign.id).await?,
        assumptions: &assumptions,
        stories: &linked,
        conclusions: &conclusions,
        actions: &actions,
        disclosed,
        k: k.max(1),
    }))
}

/// A campaign's assumptions with how one story is linked to each (for the story page and the
/// coding queue).
#[derive(Debug, Clone, PartialEq)]
pub struct StoryAssumption {
    pub id: String,
    pub n: usize,
    pub statement: String,
    /// The stance's code ("" when not linked).
    pub stance: String,
}

pub async fn for_story(store: &DynStore, campaign_id: &str, story_id: &str) -> Result<Vec<StoryAssumption>> {
    let assumptions = store.assumptions(campaign_id).await?;
    if assumptions.is_empty() {
        return Ok(Vec::new());
    }
    let links = store.story_assumption_links(story_id).await?;
    Ok(assumptions
        .into_iter()
        .enumerate()
        .map(|(i, a)| StoryAssumption {
            stance: links
                .iter()
                .find(|l| l.assumption_id == a.id)
                .map(|l| l.stance.as_str().to_string())
                .unwrap_or_default(),
            id: a.id,
            n: i + 1,
            statement: a.statement,
        })
        .collect())
}
