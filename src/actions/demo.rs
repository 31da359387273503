//! Demo content for the whole loop: two organisations, three actions in different states (one
//! done, one in progress, one open and overdue), an assumption with linked stories and a
//! conclusion, and a published results summary. Idempotent: what is there already (by name,
//! title or statement) is left as it is.

use time::{Duration, OffsetDateTime};

use super::Result;
use crate::domain::action::{ActionForm, ActionUpdate, LinkKind, OrganisationKind};
use crate::domain::toets::Stance;
use crate::domain::{Actor, Campaign};
use crate::store::{ActionFilter, DynStore};

const STATEMENT: &str = "Jongeren weten welke maatregelen mogen";

/// Adds the demo actions, toets and results to `campaign` (see the module docs). With
/// `session`, the actions and the conclusion come from that sense-making session (the demo
/// session), so its report lists them.
pub async fn demo(store: &DynStore, campaign: &Campaign, session: Option<&str>) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let actor = Actor::system();
    let mut orgs = store.organisations(&campaign.id).await?;
    for (kind, name) in [
        (OrganisationKind::Municipality, "Gemeente Utrecht"),
        (OrganisationKind::Provider, "Jeugdhulp Midden"),
    ] {
        if !orgs.iter().any(|o| o.name == name) {
            orgs.push(
                super::save_organisation(store, campaign, None, kind.as_str(), name, actor.clone(), now)
                    .await?,
            );
        }
    }
    let org = |name: &str| orgs.iter().find(|o| o.name == name).map(|o| o.id.clone()).unwrap_or_default();

    let mut assumptions = store.assumptions(&campaign.id).await?;
    let assumption = match assumptions.iter().find(|a| a.statement == STATEMENT) {
        Some(a) => a.clone(),
        None => {
            let a = crate::toets::save_assumption(
                store,
                campaign,
                None,
                STATEMENT,
                "Verhalen van jongeren noemen de regels en wie ze uitlegde.",
                actor.clone(),
                now,
            )
            .await?;
            assumptions.push(a.clone());
            a
        }
    };
    if store.assumption_links(&campaign.id).await?.iter().all(|l| l.assumption_id != assumption.id) {
        let stories = store.stories_page(&campaign.id, None, 12).await?;
        let stances = [Stance::Contradicts, Stance::Contradicts, Stance::Mixed, Stance::Supports];
        for (s, stance) in stories.iter().zip(stances.iter().cycle()) {
            crate::toets::link_story(
                store,
                campaign,
                &assumption.id,
                &s.id,
                Some(*stance),
                actor.clone(),
                now,
            )
            .await?;
        }
    }
    if store.conclusions(&campaign.id).await?.iter().all(|c| c.assumption_id != assumption.id) {
        crate::toets::record_conclusion(
            store,
            campaign,
            &assumption.id,
            "holds_partly",
            "Ouders en professionals kennen de regels; veel jongeren horen pas achteraf wat mocht.",
            session.unwrap_or(""),
            actor.clone(),
            now,
        )
        .await?;
    }

    let existing = store
        .actions(&ActionFilter { campaign_ids: Some(vec![campaign.id.clone()]), ..ActionFilter::default() })
        .await?;
    let day = |d: i64| (now + Duration::days(d)).date().to_string();
    let plans = [
        (
            "Uitleg over maatregelen in gewone taal",
            "Jeugdhulp Midden",
            "done",
            day(-30),
            "Folder en filmpje zijn klaar en worden gebruikt.",
        ),
        (
            "Vast aanspreekpunt voor jongeren op de groep",
            "Gemeente Utrecht",
            "in_progress",
            day(45),
            "Twee van de vijf groepen hebben een aanspreekpunt.",
        ),
        ("Wachttijd voor een eerste gesprek halveren", "Gemeente Utrecht", "open", day(-14), ""),
    ];
    for (title, party, status, due, update) in plans {
        if existing.iter().any(|a| a.fields.title == title) {
            continue;
        }
        let form = ActionForm {
            title: title.into(),
            description: "Afgesproken in de betekenissessie over de Leefwereldtoets.".into(),
            organisation_id: org(party),
            contact: "team jeugd".into(),
            priority: "high".into(),
            status: "open".into(),
            due_on: due,
            handed_over_on: day(-40),
            links: match session {
                Some(sid) => format!(
                    "{}:{}, {}:{sid}",
                    LinkKind::Assumption.as_str(),
                    assumption.id,
                    LinkKind::Session.as_str()
                ),
                None => format!("{}:{}", LinkKind::Assumption.as_str(), assumption.id),
            },
            ..ActionForm::default()
        };
        let a = super::create(store, campaign, &form, actor.clone(), now).await?;
        if !update.is_empty() {
            let progress = if status == "done" { "100" } else { "40" };
            let u = ActionUpdate::parse(update, "", status, "", progress)
                .map_err(super::ActionsError::Invalid)?;
            super::add_update(store, campaign, &a.id, &u, actor.clone(), now).await?;
        }
        super::set_published(store, campaign, &a.id, true, actor.clone(), now).await?;
    }
    if store.campaign_results(&campaign.id).await?.is_none() {
        super::results::save_summary(
            store,
            campaign,
            "Jullie vertelden dat regels pas achteraf werden uitgelegd. Daarom is er nu uitleg in gewone taal, \
             en krijgt elke groep een vast aanspreekpunt.",
            true,
            actor,
            now,
        )
        .await?;
    }
    Ok(())
}
