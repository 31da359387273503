//! Sense-making sessions: a meeting built on one or more frozen maps, with chosen patterns,
//! numbered story cards, participants who join with a code, notes that wait for approval,
//! clusters of notes and a report. One use case per change, each one transaction with its audit
//! entry. Everything a session shows comes from its maps' snapshots, so the numbers do not move;
//! withdrawal wins: a story withdrawn since is left out when shown (see [`view`]).

pub mod demo;
pub mod report;
pub mod view;

pub use demo::demo;
pub use view::{Loaded, load};

use std::collections::HashSet;

use rand::RngCore;
use time::OffsetDateTime;

use crate::domain::session::{
    Activity, ActivityKind, Card, Cluster, Details, Element, Invalid, JoinCode, Note, NoteInput, NoteLink,
    Pattern, Plan, Session, cluster_name,
};
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign};
use crate::store::{DynStore, StoreError};

/// Errors of the session use cases, in words a facilitator can act on.
#[derive(Debug, thiserror::Error)]
pub enum SessionsError {
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<Invalid> for SessionsError {
    fn from(e: Invalid) -> Self {
        SessionsError::BadRequest(e.0)
    }
}

pub type Result<T, E = SessionsError> = std::result::Result<T, E>;

fn bad<T>(msg: impl Into<String>) -> Result<T> {
    Err(SessionsError::BadRequest(msg.into()))
}

fn audit(actor: Actor, action: AuditAction, campaign: &Campaign, session_id: &str) -> AuditEntry {
    let mut e = AuditEntry::new(actor, action).target(format!("session:{session_id}"));
    e.campaign_id = Some(campaign.id.clone());
    e
}

/// How long a join code lets people in.
pub const JOIN_CODE_HOURS: i64 = 4;

/// What a new session needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    pub details: Details,
    pub facilitators: Vec<String>,
    pub map_ids: Vec<String>,
}

/// The session of `campaign` with this id; any other looks like one that does not exist.
pub async fn session_in(store: &DynStore, campaign: &Campaign, id: &str) -> Result<Session> {
    match store.sense_session(id).await {
        Ok(s) if s.campaign_id == campaign.id => Ok(s),
        Ok(_) => Err(StoreError::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

async fn check_facilitators(store: &DynStore, campaign: &Campaign, ids: &[String]) -> Result<Vec<String>> {
    let members: HashSet<String> =
        store.campaign_members(&campaign.id).await?.into_iter().map(|u| u.id).collect();
    let mut out = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !members.contains(id) {
            return bad("een begeleider moet lid zijn van de campagne");
        }
        if !out.iter().any(|o: &String| o == id) {
            out.push(id.to_string());
        }
    }
    Ok(out)
}

/// Creates a session from frozen maps of `campaign`, with the template plan.
pub async fn create(
    store: &DynStore,
    campaign: &Campaign,
    new: NewSession,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Session> {
    let mut maps = Vec::new();
    for id in new.map_ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if maps.iter().any(|m| m == id) {
            continue;
        }
        match store.frozen_map(id).await {
            Ok(m) if m.campaign_id == campaign.id => maps.push(m.id),
            Ok(_) | Err(StoreError::NotFound) => return bad("kies bevroren kaarten van deze campagne"),
            Err(e) => return Err(e.into()),
        }
    }
    if maps.is_empty() {
        return bad("kies minstens één bevroren kaart");
    }
    let facilitators = check_facilitators(store, campaign, &new.facilitators).await?;
    let session = Session {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign.id.clone(),
        details: new.details,
        facilitators,
        plan: Plan::template(),
        map_ids: maps,
        created_by: actor.user_id.clone(),
        created_at: now,
        updated_at: now,
        report_published_at: None,
    };
    let mut tx = store.begin().await?;
    tx.insert_session(&session).await?;
    tx.audit(&audit(actor, AuditAction::SessionCreated, campaign, &session.id)).await?;
    tx.commit().await?;
    Ok(session)
}

/// A change to a session's details or plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Details { details: Details, facilitators: Vec<String> },
    AddActivity { kind: String, title: String, minutes: u32 },
    RemoveActivity(usize),
    MoveActivity { index: usize, up: bool },
    Minutes { index: usize, minutes: u32 },
}

/// Changes the details or the plan of a session.
pub async fn change(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    change: Change,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Session> {
    let mut s = session_in(store, campaign, session_id).await?;
    let what = match change {
        Change::Details { details, facilitators } => {
            s.details = details;
            s.facilitators = check_facilitators(store, campaign, &facilitators).await?;
            "details"
        }
        Change::AddActivity { kind, title, minutes } => {
            let Some(kind) = ActivityKind::parse(&kind) else { return bad("kies een soort activiteit") };
            s.plan.add(Activity::new(kind, &title, minutes)?)?;
            "plan"
        }
        Change::RemoveActivity(i) => {
            s.plan.remove(i)?;
            "plan"
        }
        Change::MoveActivity { index, up } => {
            s.plan.shift(index, up)?;
            "plan"
        }
        Change::Minutes { index, minutes } => {
            s.plan.set_minutes(index, minutes)?;
            "plan"
        }
    };
    s.updated_at = now;
    let mut tx = store.begin().await?;
    tx.update_session(&s).await?;
    tx.audit(
        &audit(actor, AuditAction::SessionChanged, campaign, &s.id)
            .details(serde_json::json!({ "what": what })),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// Chooses the map elements to discuss, in order: `(map id, element key)` pairs, each of which
/// must exist in that map's snapshot.
pub async fn choose_patterns(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    chosen: &[(String, String)],
    actor: Actor,
) -> Result<Vec<Pattern>> {
    let loaded = load(store, campaign, session_id).await?;
    let mut patterns: Vec<Pattern> = Vec::new();
    for (map_id, key) in chosen {
        let Some(element) = Element::parse(key) else { return bad("onbekend kaartelement") };
        if loaded.element(map_id, &element).is_none() {
            return bad("dat element staat niet op de kaarten van deze sessie");
        }
        if patterns.iter().any(|p| &p.map_id == map_id && p.element == element.key()) {
            continue;
        }
        patterns.push(Pattern {
            id: uuid::Uuid::new_v4().to_string(),
            session_id: session_id.to_string(),
            map_id: map_id.clone(),
            element: element.key(),
            position: patterns.len() as i64,
        });
    }
    let mut tx = store.begin().await?;
    tx.set_session_patterns(session_id, &patterns).await?;
    tx.audit(
        &audit(actor, AuditAction::SessionChanged, campaign, session_id)
            .details(serde_json::json!({ "what": "patterns", "count": patterns.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(patterns)
}

/// Adds story cards for stories of the session's snapshots (others are refused; ones already on
/// a card are skipped). Cards are numbered on from the highest number so far.
pub async fn pick_cards(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    story_ids: &[String],
    actor: Actor,
) -> Result<Vec<Card>> {
    let loaded = load(store, campaign, session_id).await?;
    let in_snapshot: HashSet<&str> = loaded.snapshot_story_ids().into_iter().collect();
    for id in story_ids {
        if !in_snapshot.contains(id.as_str()) || !loaded.stories.contains_key(id) {
            return bad("kies verhalen uit de kaarten van deze sessie");
        }
    }
    let mut tx = store.begin().await?;
    // Numbers are read inside the transaction, so two facilitators picking at once cannot
    // hand out the same number (the unique index would refuse the second anyway).
    let existing = tx.session_cards(session_id).await?;
    let mut next = existing.iter().map(|c| c.number).max().unwrap_or(0);
    let mut cards = Vec::new();
    for id in story_ids {
        if existing.iter().any(|c| &c.story_id == id) || cards.iter().any(|c: &Card| &c.story_id == id) {
            continue;
        }
        next += 1;
        cards.push(Card {
            id: uuid::Uuid::new_v4().to_string(),
            session_id: session_id.to_string(),
            number: next,
            story_id: id.clone(),
        });
    }
    tx.add_session_cards(&cards).await?;
    tx.audit(
        &audit(actor, AuditAction::SessionChanged, campaign, session_id)
            .details(serde_json::json!({ "what": "cards", "added": cards.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(cards)
}

/// Takes a card off the session (the others keep their numbers).
pub async fn remove_card(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    card_id: &str,
    actor: Actor,
) -> Result<()> {
    session_in(store, campaign, session_id).await?;
    let mut tx = store.begin().await?;
    tx.remove_session_card(session_id, card_id).await?;
    tx.audit(
        &audit(actor, AuditAction::SessionChanged, campaign, session_id)
            .details(serde_json::json!({ "what": "card_removed" })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens a join code for the session, valid for [`JOIN_CODE_HOURS`].
pub async fn open_join_code(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<JoinCode> {
    session_in(store, campaign, session_id).await?;
    // 31^6 ≈ 887 million codes; a clash with an old code is retried, not an error.
    for _ in 0..5 {
        let mut bytes = [0u8; crate::domain::session::CODE_LEN];
        rand::rng().fill_bytes(&mut bytes);
        let code = JoinCode {
            code: JoinCode::from_random(bytes),
            session_id: session_id.to_string(),
            created_at: now,
            expires_at: now + time::Duration::hours(JOIN_CODE_HOURS),
            revoked_at: None,
        };
        let mut tx = store.begin().await?;
        match tx.insert_join_code(&code).await {
            Err(StoreError::Conflict(_)) => continue,
            r => r?,
        }
        tx.audit(&audit(actor.clone(), AuditAction::JoinCodeOpened, campaign, session_id)).await?;
        tx.commit().await?;
        return Ok(code);
    }
    Err(anyhow::anyhow!("no free join code after five tries").into())
}

/// Revokes an open join code: participants who joined with it are out at once.
pub async fn revoke_join_code(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    code: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    session_in(store, campaign, session_id).await?;
    let mut tx = store.begin().await?;
    tx.revoke_join_code(session_id, code, now).await?;
    tx.audit(&audit(actor, AuditAction::JoinCodeRevoked, campaign, session_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Who adds a note: a facilitator (shown at once) or a participant (waits for approval).
#[derive(Debug, Clone, PartialEq)]
pub enum Author {
    Facilitator(Actor),
    Participant,
}

/// Adds a note. Its links must name the session's chosen patterns or cards, an interpretation
/// an observation of this session.
pub async fn add_note(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    input: NoteInput,
    author: Author,
    now: OffsetDateTime,
) -> Result<Note> {
    let loaded = load(store, campaign, session_id).await?;
    for l in &input.links {
        let ok = match l {
            NoteLink::Element(key) => loaded.patterns.iter().any(|p| &p.pattern.element == key),
            NoteLink::Card(id) => loaded.cards.iter().any(|c| &c.card.id == id),
        };
        if !ok {
            return bad("een notitie hoort bij een gekozen patroon of een verhaalkaart van deze sessie");
        }
    }
    if let Some(o) = &input.observation_id
        && !loaded
            .notes
            .iter()
            .any(|n| &n.id == o && n.input.kind == crate::domain::session::NoteKind::Observation)
    {
        return bad("die observatie hoort niet bij deze sessie");
    }
    let (actor, by_participant) = match author {
        Author::Facilitator(a) => (a, false),
        Author::Participant => (Actor { user_id: None, label: "participant".into() }, true),
    };
    let note = Note {
        id: uuid::Uuid::new_v4().to_string(),
        session_id: session_id.to_string(),
        input,
        cluster_id: None,
        by_participant,
        approved_at: if by_participant { None } else { Some(now) },
        created_at: now,
    };
    let mut tx = store.begin().await?;
    tx.insert_note(&note).await?;
    tx.audit(
        &audit(actor, AuditAction::NoteAdded, campaign, session_id)
            .details(serde_json::json!({ "note": note.id, "kind": note.input.kind.as_str(), "participant": by_participant })),
    )
    .await?;
    tx.commit().await?;
    Ok(note)
}

/// Lets the room see a participant's note.
pub async fn approve_note(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    note_id: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    session_in(store, campaign, session_id).await?;
    let mut tx = store.begin().await?;
    tx.approve_note(session_id, note_id, now).await?;
    tx.audit(
        &audit(actor, AuditAction::NoteApproved, campaign, session_id)
            .details(serde_json::json!({ "note": note_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes a named cluster, optionally with notes in it at once.
pub async fn create_cluster(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    name: &str,
    note_ids: &[String],
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Cluster> {
    let name = cluster_name(name)?;
    session_in(store, campaign, session_id).await?;
    let cluster = Cluster {
        id: uuid::Uuid::new_v4().to_string(),
        session_id: session_id.to_string(),
        name,
        created_at: now,
    };
    let mut tx = store.begin().await?;
    tx.insert_cluster(&cluster).await?;
    for n in note_ids {
        tx.cluster_note(session_id, n, Some(&cluster.id)).await?;
    }
    tx.audit(
        &audit(actor, AuditAction::NotesClustered, campaign, session_id)
            .details(serde_json::json!({ "cluster": cluster.id, "notes": note_ids.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(cluster)
}

/// Puts notes into clusters (`None`: out of any): `(note id, cluster id)` pairs, as the select
/// boxes (or a drag) send them.
pub async fn cluster_notes(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    moves: &[(String, Option<String>)],
    actor: Actor,
) -> Result<()> {
    session_in(store, campaign, session_id).await?;
    let clusters = store.note_clusters(session_id).await?;
    for (_, c) in moves {
        if let Some(c) = c
            && !clusters.iter().any(|k| &k.id == c)
        {
            return bad("die groep notities hoort niet bij deze sessie");
        }
    }
    let mut tx = store.begin().await?;
    for (note, cluster) in moves {
        tx.cluster_note(session_id, note, cluster.as_deref()).await?;
    }
    tx.audit(
        &audit(actor, AuditAction::NotesClustered, campaign, session_id)
            .details(serde_json::json!({ "notes": moves.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the session report to the steering group (once; again changes nothing).
pub async fn publish_report(
    store: &DynStore,
    campaign: &Campaign,
    session_id: &str,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<()> {
    session_in(store, campaign, session_id).await?;
    let mut tx = store.begin().await?;
    if tx.sense_session(session_id).await?.report_published_at.is_some() {
        return Ok(());
    }
    tx.publish_session_report(session_id, now).await?;
    tx.audit(&audit(actor, AuditAction::SessionReportPublished, campaign, session_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// A participant's way in: the session behind a join code that is open at `now`.
pub async fn join(store: &DynStore, typed: &str, now: OffsetDateTime) -> Result<(JoinCode, Session)> {
    let Some(code) = JoinCode::normalise(typed) else { return Err(StoreError::NotFound.into()) };
    let j = store.join_code(&code).await?;
    if !j.usable(now) {
        return Err(StoreError::NotFound.into());
    }
    let s = store.sense_session(&j.session_id).await?;
    Ok((j, s))
}

/// The notes of a session with their links (for part B: actions link to notes by id).
pub async fn notes_of_session(store: &DynStore, session_id: &str) -> Result<Vec<Note>> {
    Ok(store.session_notes(session_id).await?)
}

/// The story cards of a session whose stories still exist (withdrawal wins), by number (for
/// part B: actions link to cards by id).
pub async fn cards_of_session(store: &DynStore, session_id: &str) -> Result<Vec<Card>> {
    let cards = store.session_cards(session_id).await?;
    let ids: Vec<String> = cards.iter().map(|c| c.story_id.clone()).collect();
    let present: HashSet<String> = if ids.is_empty() {
        HashSet::new()
    } else {
        store.stories_by_ids(&ids).await?.into_iter().map(|s| s.id).collect()
    };
    Ok(cards.into_iter().filter(|c| present.contains(&c.story_id)).collect())
}
