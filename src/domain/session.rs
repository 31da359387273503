//! Sense-making sessions: the types a session is made of (groups, the plan of activities,
//! notes, join codes) and the rules they keep. Pure: the use cases in `crate::sessions` store
//! them; everything here is checked on construction and unit-tested beside the code.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::Lang;

/// Why a session input was refused, in words a facilitator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

fn invalid<T>(msg: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid(msg.into()))
}

/// Who takes part in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Youths,
    Parents,
    Professionals,
    Providers,
    Municipality,
    Other,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::Youths,
        Group::Parents,
        Group::Professionals,
        Group::Providers,
        Group::Municipality,
        Group::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Youths => "youths",
            Group::Parents => "parents",
            Group::Professionals => "professionals",
            Group::Providers => "providers",
            Group::Municipality => "municipality",
            Group::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Group::Youths) => "Jongeren",
            (Lang::Nl, Group::Parents) => "Ouders",
            (Lang::Nl, Group::Professionals) => "Professionals",
            (Lang::Nl, Group::Providers) => "Aanbieders",
            (Lang::Nl, Group::Municipality) => "Gemeente",
            (Lang::Nl, Group::Other) => "Anderen",
            (Lang::En, Group::Youths) => "Young people",
            (Lang::En, Group::Parents) => "Parents",
            (Lang::En, Group::Professionals) => "Professionals",
            (Lang::En, Group::Providers) => "Providers",
            (Lang::En, Group::Municipality) => "Municipality",
            (Lang::En, Group::Other) => "Others",
        }
    }
}

/// What the room does in one part of the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    EncounterStories,
    DiscussPatterns,
    Interpretation,
    Actions,
    Break,
    Own,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 6] = [
        ActivityKind::EncounterStories,
        ActivityKind::DiscussPatterns,
        ActivityKind::Interpretation,
        ActivityKind::Actions,
        ActivityKind::Break,
        ActivityKind::Own,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::EncounterStories => "encounter_stories",
            ActivityKind::DiscussPatterns => "discuss_patterns",
            ActivityKind::Interpretation => "interpretation",
            ActivityKind::Actions => "actions",
            ActivityKind::Break => "break",
            ActivityKind::Own => "own",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::EncounterStories => "Verhalen ontmoeten",
            ActivityKind::DiscussPatterns => "Patronen bespreken",
            ActivityKind::Interpretation => "Duiden",
            ActivityKind::Actions => "Acties",
            ActivityKind::Break => "Pauze",
            ActivityKind::Own => "Eigen activiteit",
        }
    }
}

/// One part of the plan, with its length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub title: String,
    pub minutes: u32,
}

impl Activity {
    /// An activity with a checked title (own activities need one) and length (1 to 480 minutes).
    pub fn new(kind: ActivityKind, title: &str, minutes: u32) -> Result<Activity, Invalid> {
        let title = one_line(title, 120);
        if kind == ActivityKind::Own && title.is_empty() {
            return invalid("geef een eigen activiteit een naam");
        }
        if !(1..=480).contains(&minutes) {
            return invalid("een activiteit duurt 1 tot 480 minuten");
        }
        let title = if title.is_empty() { kind.label().to_string() } else { title };
        Ok(Activity { kind, title, minutes })
    }
}

/// The plan of a session: activities in order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan(pub Vec<Activity>);

/// At most this many activities, so an agenda fits on a page.
pub const MAX_ACTIVITIES: usize = 30;

impl Plan {
    /// The template a new session starts from: the usual course of a sense-making meeting.
    pub fn template() -> Plan {
        let a = |kind, minutes| Activity { kind, title: ActivityKind::label(kind).to_string(), minutes };
        Plan(vec![
            a(ActivityKind::EncounterStories, 20),
            a(ActivityKind::DiscussPatterns, 25),
            a(ActivityKind::Break, 10),
            a(ActivityKind::Interpretation, 30),
            a(ActivityKind::Actions, 25),
        ])
    }

    pub fn add(&mut self, activity: Activity) -> Result<(), Invalid> {
        if self.0.len() >= MAX_ACTIVITIES {
            return invalid(format!("een plan heeft hoogstens {MAX_ACTIVITIES} activiteiten"));
        }
        self.0.push(activity);
        Ok(())
    }

    pub fn remove(&mut self, index: usize) -> Result<(), Invalid> {
        if index >= self.0.len() {
            return invalid("die activiteit staat niet (meer) in het plan");
        }
        self.0.remove(index);
        Ok(())
    }

    /// Moves an activity one place earlier (`up`) or later; at either end nothing changes.
    pub fn shift(&mut self, index: usize, up: bool) -> Result<(), Invalid> {
        if index >= self.0.len() {
            return invalid("die activiteit staat niet (meer) in het plan");
        }
        match (up, index) {
            (true, 0) => {}
            (true, i) => self.0.swap(i, i - 1),
            (false, i) if i + 1 < self.0.len() => self.0.swap(i, i + 1),
            (false, _) => {}
        }
        Ok(())
    }

    pub fn set_minutes(&mut self, index: usize, minutes: u32) -> Result<(), Invalid> {
        let Some(a) = self.0.get(index) else {
            return invalid("die activiteit staat niet (meer) in het plan");
        };
        let changed = Activity::new(a.kind, &a.title, minutes)?;
        self.0[index] = changed;
        Ok(())
    }

    pub fn total_minutes(&self) -> u32 {
        self.0.iter().map(|a| a.minutes).sum()
    }

    /// Start offsets in minutes from the start of the meeting, one per activity.
    pub fn starts(&self) -> Vec<u32> {
        let mut at = 0;
        self.0
            .iter()
            .map(|a| {
                let s = at;
                at += a.minutes;
                s
            })
            .collect()
    }
}

/// Title, date, place and groups of a session, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub title: String,
    pub held_on: Date,
    pub place: String,
    pub groups: Vec<Group>,
}

impl Details {
    /// `date` as `YYYY-MM-DD` (what `<input type=date>` sends); group names as in [`Group`].
    pub fn parse(title: &str, date: &str, place: &str, groups: &[String]) -> Result<Details, Invalid> {
        let title = one_line(title, 120);
        if title.is_empty() {
            return invalid("geef de sessie een titel");
        }
        let f = time::macros::format_description!("[year]-[month]-[day]");
        let Ok(held_on) = Date::parse(date.trim(), &f) else {
            return invalid("vul een datum in als jjjj-mm-dd");
        };
        let mut gs = Vec::new();
        for g in groups {
            match Group::parse(g.trim()) {
                Some(g) if !gs.contains(&g) => gs.push(g),
                Some(_) => {}
                None => return invalid(format!("'{g}' is geen deelnemende groep")),
            }
        }
        if gs.is_empty() {
            return invalid("kies minstens één deelnemende groep");
        }
        gs.sort_by_key(|g| Group::ALL.iter().position(|x| x == g));
        Ok(Details { title, held_on, place: one_line(place, 200), groups: gs })
    }
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: String,
    pub campaign_id: String,
    pub details: Details,
    /// Account ids of the facilitators (members of the campaign).
    pub facilitators: Vec<String>,
    pub plan: Plan,
    /// The frozen maps the session is built on, in order.
    pub map_ids: Vec<String>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub report_published_at: Option<OffsetDateTime>,
}

/// A map element the facilitator chose to discuss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub id: String,
    pub session_id: String,
    pub map_id: String,
    /// `cell:{theme id}:{group index}` or `chart:{chart id}` in that map's snapshot.
    pub element: String,
    pub position: i64,
}

/// What a pattern's element key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    Cell { theme: String, group: usize },
    Chart(String),
}

impl Element {
    pub fn parse(key: &str) -> Option<Element> {
        if let Some(rest) = key.strip_prefix("cell:") {
            let (theme, group) = rest.rsplit_once(':')?;
            if theme.is_empty() {
                return None;
            }
            return Some(Element::Cell { theme: theme.to_string(), group: group.parse().ok()? });
        }
        key.strip_prefix("chart:").filter(|c| !c.is_empty()).map(|c| Element::Chart(c.to_string()))
    }

    pub fn key(&self) -> String {
        match self {
            Element::Cell { theme, group } => format!("cell:{theme}:{group}"),
            Element::Chart(c) => format!("chart:{c}"),
        }
    }
}

/// A story card: numbered 1..n within its session; the story id stays on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub session_id: String,
    pub number: i64,
    pub story_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Observation,
    Interpretation,
    Question,
    Idea,
}

impl NoteKind {
    pub const ALL: [NoteKind; 4] =
        [NoteKind::Observation, NoteKind::Interpretation, NoteKind::Question, NoteKind::Idea];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Observation => "observation",
            NoteKind::Interpretation => "interpretation",
            NoteKind::Question => "question",
            NoteKind::Idea => "idea",
        }
    }

    pub fn parse(s: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Observation => "Observatie",
            NoteKind::Interpretation => "Interpretatie",
            NoteKind::Question => "Vraag",
            NoteKind::Idea => "Idee",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Weak,
    Medium,
    Strong,
}

impl Strength {
    pub const ALL: [Strength; 3] = [Strength::Weak, Strength::Medium, Strength::Strong];

    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Weak => "weak",
            Strength::Medium => "medium",
            Strength::Strong => "strong",
        }
    }

    pub fn parse(s: &str) -> Option<Strength> {
        Strength::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Strength::Weak => "zwak",
            Strength::Medium => "middel",
            Strength::Strong => "sterk",
        }
    }
}

/// What a note is about: a chosen pattern's element, or a story card.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteLink {
    /// An element key (see [`Element`]).
    Element(String),
    /// A card id.
    Card(String),
}

impl NoteLink {
    pub fn kind(&self) -> &'static str {
        match self {
            NoteLink::Element(_) => "element",
            NoteLink::Card(_) => "card",
        }
    }
    pub fn target(&self) -> &str {
        match self {
            NoteLink::Element(t) | NoteLink::Card(t) => t,
        }
    }
    pub fn from_parts(kind: &str, target: &str) -> Option<NoteLink> {
        match kind {
            "element" => Some(NoteLink::Element(target.to_string())),
            "card" => Some(NoteLink::Card(target.to_string())),
            _ => None,
        }
    }
}

/// A note's content, checked: what kind, how strong (observations only), the text, which
/// observation an interpretation interprets, what it is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInput {
    pub kind: NoteKind,
    pub strength: Option<Strength>,
    pub body: String,
    pub observation_id: Option<String>,
    pub links: Vec<NoteLink>,
}

/// The longest note; a sticky note, not an essay.
pub const MAX_NOTE: usize = 1000;

impl NoteInput {
    pub fn parse(
        kind: &str,
        strength: &str,
        body: &str,
        observation_id: &str,
        mut links: Vec<NoteLink>,
    ) -> Result<NoteInput, Invalid> {
        let Some(kind) = NoteKind::parse(kind.trim()) else {
            return invalid("kies het soort notitie: observatie, interpretatie, vraag of idee");
        };
        let body = body.trim().replace("\r\n", "\n");
        if body.is_empty() {
            return invalid("schrijf iets in de notitie");
        }
        if body.chars().count() > MAX_NOTE {
            return invalid(format!("een notitie is hoogstens {MAX_NOTE} tekens"));
        }
        let strength = match (kind, strength.trim()) {
            (NoteKind::Observation, "") => {
                return invalid("kies hoe sterk de observatie is: zwak, middel of sterk");
            }
            (NoteKind::Observation, s) => {
                Some(Strength::parse(s).ok_or_else(|| Invalid("kies zwak, middel of sterk".into()))?)
            }
            _ => None,
        };
        let observation_id = match (kind, observation_id.trim()) {
            (NoteKind::Interpretation, "") => {
                return invalid("kies bij welke observatie deze interpretatie hoort");
            }
            (NoteKind::Interpretation, o) => Some(o.to_string()),
            _ => None,
        };
        links.sort();
        links.dedup();
        Ok(NoteInput { kind, strength, body, observation_id, links })
    }
}

/// A note as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: String,
    pub session_id: String,
    pub input: NoteInput,
    pub cluster_id: Option<String>,
    /// Added by a participant (through a join code) rather than a facilitator.
    pub by_participant: bool,
    /// When the facilitator let the room see it; a facilitator's own note is approved at once.
    pub approved_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// A named group of notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub id: String,
    pub session_id: String,
    pub name: String,
    pub created_at: OffsetDateTime,
}

/// A cluster name, checked.
pub fn cluster_name(raw: &str) -> Result<String, Invalid> {
    let name = one_line(raw, 80);
    if name.is_empty() {
        return invalid("geef de groep notities een naam");
    }
    Ok(name)
}

/// The observations that have fewer than two interpretations: the page asks for competing
/// readings before the room settles on one.
pub fn needing_interpretations(notes: &[Note]) -> Vec<String> {
    notes
        .iter()
        .filter(|n| n.input.kind == NoteKind::Observation)
        .filter(|o| {
            notes
                .iter()
                .filter(|n| {
                    n.input.kind == NoteKind::Interpretation
                        && n.input.observation_id.as_deref() == Some(o.id.as_str())
                })
                .count()
                < 2
        })
        .map(|o| o.id.clone())
        .collect()
}

/// A join code: six characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown on
/// the projector and typed on a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode {
    pub code: String,
    pub session_id: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 6;

impl JoinCode {
    /// Whether the code lets a participant in at `now`.
    pub fn usable(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }

    /// A code as typed (any case, spaces and dashes allowed) in its stored form.
    pub fn normalise(typed: &str) -> Option<String> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
    }

    /// A code from random bytes (the caller brings the randomness).
    pub fn from_random(bytes: [u8; CODE_LEN]) -> String {
        // 31 symbols: the slight bias of `% 31` on a byte does not matter for a short-lived code.
        bytes.iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect()
    }
}

/// Whitespace collapsed to single spaces, cut to `max` characters.
fn one_line(s: &str, max: usize) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_plan_can_be_edited() {
        let mut p = Plan::template();
        assert_eq!(p.0[0].kind, ActivityKind::EncounterStories);
        assert_eq!(p.total_minutes(), 110);
        assert_eq!(p.starts(), vec![0, 20, 45, 55, 85]);
        p.add(Activity::new(ActivityKind::Own, "  Rondje   namen ", 5).unwrap()).unwrap();
        assert_eq!(p.0[5].title, "Rondje namen");
        p.shift(5, true).unwrap();
        assert_eq!(p.0[4].kind, ActivityKind::Own);
        p.shift(0, true).unwrap();
        assert_eq!(p.0[0].kind, ActivityKind::EncounterStories, "the first stays first");
        p.remove(2).unwrap();
        assert_eq!(p.0[2].kind, ActivityKind::Interpretation);
        p.set_minutes(0, 45).unwrap();
        assert_eq!(p.0[0].minutes, 45);
        assert!(p.set_minutes(0, 0).is_err());
        assert!(p.remove(40).is_err());
        assert!(Activity::new(ActivityKind::Own, " ", 5).is_err(), "an own activity needs a name");
    }

    #[test]
    fn details_need_a_title_a_date_and_a_group() {
        let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let d =
            Details::parse(" Duiden  in Tiel ", "2026-12-10", "Tiel", &g(&["parents", "youths", "parents"]))
                .unwrap();
        assert_eq!(d.title, "Duiden in Tiel");
        assert_eq!(d.groups, vec![Group::Youths, Group::Parents]);
        assert!(Details::parse("", "2026-12-10", "", &g(&["youths"])).is_err());
        assert!(Details::parse("T", "10-12-2026", "", &g(&["youths"])).is_err());
        assert!(Details::parse("T", "2026-12-10", "", &g(&[])).is_err());
        assert!(Details::parse("T", "2026-12-10", "", &g(&["aliens"])).is_err());
    }

    #[test]
    fn notes_are_checked_by_kind() {
        let o = NoteInput::parse("observation", "strong", " Wachten valt op ", "", vec![]).unwrap();
        assert_eq!(o.strength, Some(Strength::Strong));
        assert_eq!(o.body, "Wachten valt op");
        assert!(NoteInput::parse("observation", "", "x", "", vec![]).is_err(), "strength needed");
        assert!(NoteInput::parse("interpretation", "", "x", "", vec![]).is_err(), "observation needed");
        let i = NoteInput::parse("interpretation", "strong", "x", "o1", vec![]).unwrap();
        assert_eq!(i.strength, None, "only observations have a strength");
        assert!(NoteInput::parse("idea", "", "   ", "", vec![]).is_err());
        assert!(NoteInput::parse("rant", "", "x", "", vec![]).is_err());
        assert!(NoteInput::parse("idea", "", &"x".repeat(MAX_NOTE + 1), "", vec![]).is_err());
        let q = NoteInput::parse(
            "question",
            "",
            "?",
            "",
            vec![NoteLink::Card("b".into()), NoteLink::Card("a".into()), NoteLink::Card("b".into())],
        )
        .unwrap();
        assert_eq!(q.links, vec![NoteLink::Card("a".into()), NoteLink::Card("b".into())]);
    }

    fn note(id: &str, input: NoteInput) -> Note {
        Note {
            id: id.into(),
            session_id: "s".into(),
            input,
            cluster_id: None,
            by_participant: false,
            approved_at: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn observations_ask_for_two_competing_interpretations() {
        let obs = |id| note(id, NoteInput::parse("observation", "weak", "o", "", vec![]).unwrap());
        let int = |id, of| note(id, NoteInput::parse("interpretation", "", "i", of, vec![]).unwrap());
        let notes = vec![obs("o1"), obs("o2"), int("i1", "o1"), int("i2", "o1"), int("i3", "o2")];
        assert_eq!(needing_interpretations(&notes), vec!["o2".to_string()]);
    }

    #[test]
    fn join_codes_are_short_unambiguous_and_forgiving_when_typed() {
        let c = JoinCode::from_random([0, 30, 31, 255, 7, 100]);
        assert_eq!(c.len(), CODE_LEN);
        assert_eq!(JoinCode::normalise(&c.to_lowercase()), Some(c.clone()));
        assert_eq!(JoinCode::normalise("abc-def"), Some("ABCDEF".into()));
        assert_eq!(JoinCode::normalise("ABCDE0"), None, "0 is not in the alphabet");
        assert_eq!(JoinCode::normalise("ABCDE"), None);
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut j = JoinCode {
            code: c,
            session_id: "s".into(),
            created_at: now,
            expires_at: now + time::Duration::hours(3),
            revoked_at: None,
        };
        assert!(j.usable(now));
        assert!(!j.usable(now + time::Duration::hours(3)));
        j.revoked_at = Some(now);
        assert!(!j.usable(now));
    }

    #[test]
    fn element_keys_round_trip() {
        for k in ["cell:t-1:0", "chart:gevoel"] {
            assert_eq!(Element::parse(k).unwrap().key(), k);
        }
        assert_eq!(Element::parse("cell::1"), None);
        assert_eq!(Element::parse("cell:t:x"), None);
        assert_eq!(Element::parse("story:1"), None);
    }
}
