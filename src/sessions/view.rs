//! A session as its pages show it, read in one place: its frozen maps' snapshots (the numbers
//! as frozen), the chosen patterns, the story cards and notes. Withdrawal wins: the stories of
//! every snapshot are checked for existence here, at show time, as frozen maps do; a card whose
//! story is gone is left out, a note linked to it is marked.

use std::collections::{HashMap, HashSet};

use crate::charts::escape;
use crate::charts::ternary::{TernaryChart, TernaryGroup, ternary};
use crate::domain::session::{Card, Cluster, Element, Note, NoteLink, Pattern, Session};
use crate::domain::signifier::{Answer, SignifierKind};
use crate::domain::{Campaign, Lang, Story};
use crate::maps::frozen::Snapshot;
use crate::store::DynStore;
use crate::store::maps::FrozenMap;

use super::{Result, session_in};

/// One frozen map of the session.
#[derive(Debug, Clone)]
pub struct LoadedMap {
    pub map: FrozenMap,
    pub snapshot: Snapshot,
    /// Stories of the snapshot withdrawn since it was frozen.
    pub withdrawn: usize,
}

/// A map element as a session shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementView {
    pub map_id: String,
    pub key: String,
    /// "Wachtlijst × Jongeren", or a chart's title.
    pub label: String,
    /// The numbers as frozen ("12 verhalen, 50%"), or a chart's sentence.
    pub detail: String,
    /// A chart's SVG (from the snapshot; escaped there), "" for a cell.
    pub svg: String,
    /// Quotes still present.
    pub quotes: Vec<String>,
    /// Stories behind a cell that are still present.
    pub stories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatternView {
    pub pattern: Pattern,
    pub element: ElementView,
}

/// A signifier answer drawn small on a card.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerView {
    pub question: String,
    pub value: String,
    /// A small SVG (triad dot or dyad slider), "" for a choice.
    pub svg: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    pub card: Card,
    pub title: String,
    pub text: String,
    pub answers: Vec<AnswerView>,
}

/// Everything a session's pages show.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub session: Session,
    pub maps: Vec<LoadedMap>,
    /// Stories of the snapshots that still exist, by id.
    pub stories: HashMap<String, Story>,
    pub patterns: Vec<PatternView>,
    /// Cards whose story still exists, by number.
    pub cards: Vec<CardView>,
    /// Card ids whose story was withdrawn.
    pub withdrawn_cards: HashSet<String>,
    pub notes: Vec<Note>,
    pub clusters: Vec<Cluster>,
}

/// Reads the session of `campaign` with everything its pages show.
pub async fn load(store: &DynStore, campaign: &Campaign, session_id: &str) -> Result<Loaded> {
    let session = session_in(store, campaign, session_id).await?;
    let mut maps = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for id in &session.map_ids {
        let map = store.frozen_map(id).await?;
        let snapshot: Snapshot = serde_json::from_value(map.snapshot.clone()).map_err(anyhow::Error::from)?;
        ids.extend(snapshot.story_ids.iter().cloned());
        maps.push(LoadedMap { map, snapshot, withdrawn: 0 });
    }
    let cards = store.session_cards(session_id).await?;
    ids.extend(cards.iter().map(|c| c.story_id.clone()));
    ids.sort();
    ids.dedup();
    let stories: HashMap<String, Story> = if ids.is_empty() {
        HashMap::new()
    } else {
        store
            .stories_by_ids(&ids)
            .await?
            .into_iter()
            .filter(|s| s.campaign_id == campaign.id)
            .map(|s| (s.id.clone(), s))
            .collect()
    };
    for m in &mut maps {
        m.withdrawn = m.snapshot.story_ids.iter().filter(|id| !stories.contains_key(*id)).count();
    }
    let mut loaded = Loaded {
        session,
        maps,
        stories,
        patterns: Vec::new(),
        cards: Vec::new(),
        withdrawn_cards: HashSet::new(),
        notes: store.session_notes(session_id).await?,
        clusters: store.note_clusters(session_id).await?,
    };
    for p in store.session_patterns(session_id).await? {
        let element = Element::parse(&p.element).and_then(|e| loaded.element(&p.map_id, &e));
        if let Some(element) = element {
            loaded.patterns.push(PatternView { pattern: p, element });
        }
    }
    for c in cards {
        match loaded.stories.get(&c.story_id) {
            Some(s) => {
                let v = card_view(campaign, c, s);
                loaded.cards.push(v);
            }
            None => {
                loaded.withdrawn_cards.insert(c.id);
            }
        }
    }
    Ok(loaded)
}

fn card_view(campaign: &Campaign, card: Card, s: &Story) -> CardView {
    let lang = Lang::Nl;
    let mut answers = Vec::new();
    for sig in campaign.def.signifiers.iter().filter(|s| !s.retired) {
        let Some(a) = s.answers.get(&sig.id) else { continue };
        let question = sig.question.get(lang).to_string();
        match (&sig.kind, a) {
            (SignifierKind::Triad { corners }, Answer::Triad(w)) => {
                let labels = [corners[0].get(lang), corners[1].get(lang), corners[2].get(lang)];
                let value = labels
                    .iter()
                    .zip(w)
                    .map(|(l, x)| format!("{l} {:.0}%", x * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ");
                let svg = ternary(&TernaryChart {
                    id: format!("card-{}-{}", card.number, sig.id),
                    title: question.clone(),
                    description: value.clone(),
                    corners: labels.map(str::to_string),
                    groups: vec![TernaryGroup {
                        label: String::new(),
                        dots: vec![*w],
                        centre: None,
                        region: vec![],
                    }],
                });
                answers.push(AnswerView { question, value, svg });
            }
            (SignifierKind::Dyad { poles }, Answer::Dyad(x)) => {
                let (l, r) = (poles[0].get(lang), poles[1].get(lang));
                let value = format!("{:.0}% van {l} naar {r}", x * 100.0);
                answers.push(AnswerView { svg: dyad_svg(&question, &value, *x), question, value });
            }
            (SignifierKind::Choice { options, .. }, Answer::Single(o)) => {
                if let Some(o) = options.iter().find(|x| &x.id == o) {
                    answers.push(AnswerView {
                        question,
                        value: o.label.get(lang).to_string(),
                        svg: String::new(),
                    });
                }
            }
            (SignifierKind::Choice { options, .. }, Answer::Multi(os)) => {
                let value = options
                    .iter()
                    .filter(|x| os.contains(&x.id))
                    .map(|x| x.label.get(lang).to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                if !value.is_empty() {
                    answers.push(AnswerView { question, value, svg: String::new() });
                }
            }
            // Skipped, or an answer that no longer fits the question: nothing to draw.
            _ => {}
        }
    }
    CardView { title: s.title.clone().unwrap_or_default(), text: s.text.clone(), answers, card }
}

/// A small slider with the answer's dot, for a card.
pub fn dyad_svg(title: &str, desc: &str, x: f64) -> String {
    let cx = 10.0 + 180.0 * x.clamp(0.0, 1.0);
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 24" role="img" class="dyad-mini">"#,
            r#"<title>{t}</title><desc>{d}</desc>"#,
            r##"<line x1="10" y1="12" x2="190" y2="12" stroke="#555" stroke-width="2"/>"##,
            r##"<circle cx="{cx:.1}" cy="12" r="7" fill="#0b5a7a"/></svg>"##
        ),
        t = escape(title),
        d = escape(desc),
        cx = cx
    )
}

impl Loaded {
    fn map(&self, id: &str) -> Option<&LoadedMap> {
        self.maps.iter().find(|m| m.map.id == id)
    }

    /// An element of one of the session's maps, as frozen, without withdrawn stories.
    pub fn element(&self, map_id: &str, e: &Element) -> Option<ElementView> {
        self.element_of(map_id, e, false)
    }

    /// The chosen patterns as participants may see them: from the snapshot's disclosed map
    /// (small cells "<k", cells that would give them away "×", no share, quote or story of a
    /// hidden cell). Participants are not facilitators; the facilitators' pages keep
    /// [`Loaded::patterns`], the full numbers.
    pub fn participant_patterns(&self) -> Vec<PatternView> {
        self.patterns
            .iter()
            .filter_map(|p| {
                let e = Element::parse(&p.pattern.element)?;
                let element = self.element_of(&p.pattern.map_id, &e, true)?;
                Some(PatternView { pattern: p.pattern.clone(), element })
            })
            .collect()
    }

    /// An element from the snapshot's full map, or from its disclosed one.
    fn element_of(&self, map_id: &str, e: &Element, disclosed: bool) -> Option<ElementView> {
        let m = self.map(map_id)?;
        let v = if disclosed { &m.snapshot.disclosed } else { &m.snapshot.open };
        match e {
            Element::Cell { theme, group } => {
                let t = v.themes.iter().find(|t| &t.id == theme)?;
                let c = t.cells.get(*group)?;
                let present = |id: &String| self.stories.contains_key(id);
                Some(ElementView {
                    map_id: map_id.to_string(),
                    key: e.key(),
                    label: format!("{} × {}", t.label, c.group),
                    detail: if c.share.is_empty() {
                        format!("{} verhalen", c.shown)
                    } else {
                        format!("{} verhalen, {}", c.shown, c.share)
                    },
                    svg: String::new(),
                    quotes: c
                        .quotes
                        .iter()
                        .filter(|q| present(&q.story_id))
                        .map(|q| q.text.clone())
                        .collect(),
                    stories: c.stories.iter().filter(|s| present(s)).cloned().collect(),
                })
            }
            Element::Chart(id) => {
                let ch = v.charts.iter().find(|c| &c.id == id)?;
                Some(ElementView {
                    map_id: map_id.to_string(),
                    key: e.key(),
                    label: ch.title.clone(),
                    detail: ch.sentence.clone(),
                    svg: ch.svg.clone(),
                    quotes: Vec::new(),
                    stories: Vec::new(),
                })
            }
        }
    }

    /// Every element of the session's maps, for choosing patterns: cells, then charts.
    pub fn elements(&self) -> Vec<ElementView> {
        let mut out = Vec::new();
        for m in &self.maps {
            for t in &m.snapshot.open.themes {
                for g in 0..t.cells.len() {
                    if let Some(e) = self.element(&m.map.id, &Element::Cell { theme: t.id.clone(), group: g })
                    {
                        out.push(e);
                    }
                }
            }
            for c in &m.snapshot.open.charts {
                if let Some(e) = self.element(&m.map.id, &Element::Chart(c.id.clone())) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The story ids of all the session's snapshots.
    pub fn snapshot_story_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> =
            self.maps.iter().flat_map(|m| m.snapshot.story_ids.iter().map(String::as_str)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Stories that could become cards: in a snapshot, still present, not on a card yet, and
    /// matching the filter.
    pub fn candidates(&self, f: &CandidateFilter) -> Vec<&Story> {
        let on_card: HashSet<&str> = self.cards.iter().map(|c| c.card.story_id.as_str()).collect();
        let cell: Option<HashSet<String>> = f.cell.as_ref().and_then(|(map_id, key)| {
            let e = Element::parse(key)?;
            Some(self.element(map_id, &e)?.stories.into_iter().collect())
        });
        let words: Vec<String> = f.q.to_lowercase().split_whitespace().map(str::to_string).collect();
        let mut out: Vec<&Story> = self
            .snapshot_story_ids()
            .into_iter()
            .filter(|id| !on_card.contains(id))
            .filter_map(|id| self.stories.get(id))
            .filter(|s| cell.as_ref().is_none_or(|c| c.contains(&s.id)))
            .filter(|s| {
                let text = format!("{} {}", s.title.as_deref().unwrap_or(""), s.text).to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .filter(|s| f.max_chars == 0 || s.text.chars().count() <= f.max_chars)
            .collect();
        // Shortest first when a length is asked for: those read aloud best.
        if f.max_chars > 0 {
            out.sort_by_key(|s| (s.text.chars().count(), s.id.clone()));
        } else {
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        }
        out
    }

    /// Whether a note is linked to a card whose story was withdrawn.
    pub fn note_lost_story(&self, n: &Note) -> bool {
        n.input.links.iter().any(|l| matches!(l, NoteLink::Card(id) if self.withdrawn_cards.contains(id)))
    }

    /// Labels of a note's links, as the pages show them ("Kaart 3", a pattern's label).
    pub fn link_labels(&self, n: &Note) -> Vec<String> {
        n.input
            .links
            .iter()
            .filter_map(|l| match l {
                NoteLink::Card(id) => {
                    self.cards.iter().find(|c| &c.card.id == id).map(|c| format!("Kaart {}", c.card.number))
                }
                NoteLink::Element(key) => {
                    self.patterns.iter().find(|p| &p.pattern.element == key).map(|p| p.element.label.clone())
                }
            })
            .collect()
    }
}

/// Which stories the card picker lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateFilter {
    /// A map cell: (map id, element key).
    pub cell: Option<(String, String)>,
    /// Words that must all occur in the story (case-insensitive).
    pub q: String,
    /// At most this many characters (0: any length).
    pub max_chars: usize,
}
