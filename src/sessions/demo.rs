//! The example session of the demo: one finished sense-making session on a frozen map, with
//! story cards, approved notes (an observation with two competing interpretations, a question,
//! an idea) in two clusters, and a published report, so a newcomer sees the whole cycle.

use time::OffsetDateTime;

use super::{Author, NewSession, Result, SessionsError};
use crate::domain::session::{Details, Element, NoteInput, NoteLink, Session};
use crate::domain::{Actor, Campaign};
use crate::store::DynStore;

/// The title that marks the demo session; a second call finds it and changes nothing.
pub const DEMO_TITLE: &str = "Voorbeeldsessie: duiden met jongeren en ouders";

/// Makes the example session on `campaign` from the frozen map `frozen_map_id`, once.
pub async fn demo(store: &DynStore, campaign: &Campaign, frozen_map_id: &str) -> Result<Session> {
    if let Some(s) = store
        .sessions(&campaign.id)
        .await?
        .into_iter()
        .find(|s| s.details.title == DEMO_TITLE && s.map_ids.iter().any(|m| m == frozen_map_id))
    {
        return Ok(s);
    }
    let actor = Actor::system();
    let now = OffsetDateTime::now_utc();
    let groups = vec!["youths".to_string(), "parents".to_string(), "professionals".to_string()];
    let details = Details::parse(DEMO_TITLE, &now.date().to_string(), "Buurthuis De Linde", &groups)?;
    let new = NewSession { details, facilitators: Vec::new(), map_ids: vec![frozen_map_id.to_string()] };
    let session = super::create(store, campaign, new, actor.clone(), now).await?;
    let loaded = super::load(store, campaign, &session.id).await?;
    // The two largest cells make the patterns; their shortest stories the cards.
    let mut cells: Vec<_> = loaded
        .elements()
        .into_iter()
        .filter(|e| matches!(Element::parse(&e.key), Some(Element::Cell { .. })) && !e.stories.is_empty())
        .collect();
    cells.sort_by_key(|e| std::cmp::Reverse(e.stories.len()));
    cells.truncate(2);
    let chosen: Vec<(String, String)> = cells.iter().map(|e| (e.map_id.clone(), e.key.clone())).collect();
    super::choose_patterns(store, campaign, &session.id, &chosen, actor.clone()).await?;
    let mut ids: Vec<String> = cells.iter().flat_map(|e| e.stories.iter().take(2).cloned()).collect();
    if ids.is_empty() {
        ids = loaded.snapshot_story_ids().into_iter().take(3).map(str::to_string).collect();
    }
    ids.dedup();
    let cards = super::pick_cards(store, campaign, &session.id, &ids, actor.clone()).await?;
    let element = chosen.first().map(|(_, k)| NoteLink::Element(k.clone()));
    let card = cards.first().map(|c| NoteLink::Card(c.id.clone()));
    let links = |l: &[&Option<NoteLink>]| l.iter().filter_map(|x| (*x).clone()).collect::<Vec<_>>();
    let add =
        |input: NoteInput| super::add_note(store, campaign, &session.id, input, Author::Participant, now);
    let obs = add(NoteInput::parse(
        "observation",
        "strong",
        "Jongeren noemen vaker dat ze zelf iemand in hun netwerk vonden dan ouders.",
        "",
        links(&[&element]),
    )?)
    .await?;
    let i1 = add(NoteInput::parse(
        "interpretation",
        "",
        "Jongeren zoeken eerder hulp bij leeftijdgenoten dan bij volwassenen.",
        &obs.id,
        links(&[&element, &card]),
    )?)
    .await?;
    let i2 = add(NoteInput::parse(
        "interpretation",
        "",
        "Ouders kennen het netwerk van hun kind minder goed en vertellen er daarom minder over.",
        &obs.id,
        links(&[&element]),
    )?)
    .await?;
    let q = add(NoteInput::parse(
        "question",
        "",
        "Wie vragen jongeren als er niemand in de buurt is?",
        "",
        links(&[&card]),
    )?)
    .await?;
    let idea = add(NoteInput::parse(
        "idea",
        "",
        "Een avond waarop jongeren hun netwerk aan elkaar voorstellen.",
        "",
        Vec::new(),
    )?)
    .await?;
    for n in [&obs, &i1, &i2, &q, &idea] {
        super::approve_note(store, campaign, &session.id, &n.id, actor.clone(), now).await?;
    }
    super::create_cluster(
        store,
        campaign,
        &session.id,
        "Wie helpt er?",
        &[obs.id.clone(), i1.id.clone(), i2.id.clone()],
        actor.clone(),
        now,
    )
    .await?;
    super::create_cluster(
        store,
        campaign,
        &session.id,
        "Wat kunnen we doen?",
        &[q.id.clone(), idea.id.clone()],
        actor.clone(),
        now,
    )
    .await?;
    super::publish_report(store, campaign, &session.id, actor, now).await?;
    store.sense_session(&session.id).await.map_err(SessionsError::from)
}
