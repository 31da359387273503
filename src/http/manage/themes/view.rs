//! Pure helpers for the codebook and coding pages: the theme tree in reading order, what each
//! theme's tags add up to, and the order of the coding queue. No IO, no axum, so the rules that
//! decide what a facilitator sees next are tested on small hand-made inputs.

use crate::domain::theme::{Tag, TagSource, TagState, Theme, effective_state};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The themes that are not merged away, in tree order (parents before their children, siblings
/// by name), each with its depth (0 = top level). A theme whose parent is gone or merged is shown
/// at the top; a parent cycle (only possible through hand-edited data) is broken, not followed.
pub fn tree_order(themes: &[Theme]) -> Vec<(&Theme, usize)> {
    let live: Vec<&Theme> = themes.iter().filter(|t| t.merged_into.is_none()).collect();
    let ids: HashSet<&str> = live.iter().map(|t| t.id.as_str()).collect();
    let mut children: HashMap<Option<&str>, Vec<&Theme>> = HashMap::new();
    for t in &live {
        let parent = t.parent_id.as_deref().filter(|p| ids.contains(p) && *p != t.id);
        children.entry(parent).or_default().push(t);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    }
    let mut out = Vec::with_capacity(live.len());
    let mut seen: HashSet<&str> = HashSet::new();
    fn walk<'a>(
        at: Option<&'a str>,
        depth: usize,
        children: &HashMap<Option<&'a str>, Vec<&'a Theme>>,
        seen: &mut HashSet<&'a str>,
        out: &mut Vec<(&'a Theme, usize)>,
    ) {
        for t in children.get(&at).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(t.id.as_str()) {
                out.push((t, depth));
                walk(Some(t.id.as_str()), depth + 1, children, seen, out);
            }
        }
    }
    walk(None, 0, &children, &mut seen, &mut out);
    // Themes in a parent cycle are not reachable from the top: show them there.
    let mut rest: Vec<&Theme> = live.iter().copied().filter(|t| !seen.contains(t.id.as_str())).collect();
    rest.sort_by_key(|t| t.name.to_lowercase());
    for t in rest {
        if seen.insert(t.id.as_str()) {
            out.push((t, 0));
            walk(Some(t.id.as_str()), 1, &children, &mut seen, &mut out);
        }
    }
    out
}

/// The ids of a theme and of everything below it: none of these can become its parent.
pub fn self_and_descendants(themes: &[Theme], id: &str) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::from([id.to_string()]);
    loop {
        let before = out.len();
        for t in themes {
            if t.parent_id.as_deref().is_some_and(|p| out.contains(p)) {
                out.insert(t.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Stories per theme by the state their tags add up to (a person's rejection beats a rule).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub accepted: usize,
    pub suggested: usize,
    pub rejected: usize,
}

/// Per theme id, how many stories its tags add up to in each state.
pub fn counts(tags: &[Tag]) -> HashMap<String, Counts> {
    let mut by: BTreeMap<(&str, &str), Vec<&Tag>> = BTreeMap::new();
    for t in tags {
        by.entry((t.theme_id.as_str(), t.story_id.as_str())).or_default().push(t);
    }
    let mut out: HashMap<String, Counts> = HashMap::new();
    for ((theme, _), list) in by {
        let c = out.entry(theme.to_string()).or_default();
        match effective_state(&list) {
            Some(TagState::Accepted) => c.accepted += 1,
            Some(TagState::Suggested) => c.suggested += 1,
            Some(TagState::Rejected) => c.rejected += 1,
            None => {}
        }
    }
    out
}

/// Whether a person has decided on this story and theme with a tag of their own.
fn decided_by_person(tags: &[Tag], story: &str, theme: &str) -> bool {
    tags.iter().any(|t| t.story_id == story && t.theme_id == theme && t.source == TagSource::Manual)
}

/// A model suggestion nobody has decided on yet.
pub fn is_open(t: &Tag, all: &[Tag]) -> bool {
    t.source == TagSource::Model
        && t.state == TagState::Suggested
        && !decided_by_person(all, &t.story_id, &t.theme_id)
}

/// The stories with open model suggestions, in the order the coding queue serves them.
///
/// A story's place is the highest confidence of any of its model tags, decided or not, so it
/// does not move while someone works through it; that is what lets "next" be computed from the
/// story alone, without keeping a position on the server.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    entries: Vec<(String, f64)>,
    keys: HashMap<String, f64>,
    open: usize,
}

fn order(a: &(String, f64), b: &(String, f64)) -> Ordering {
    b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
}

impl Queue {
    /// The queue of a campaign's tags; `live` are the themes that count (not merged away).
    pub fn new(tags: &[Tag], live: &HashSet<String>) -> Queue {
        let mut by_story: BTreeMap<&str, Vec<&Tag>> = BTreeMap::new();
        for t in tags.iter().filter(|t| live.contains(&t.theme_id)) {
            by_story.entry(t.story_id.as_str()).or_default().push(t);
        }
        let mut keys = HashMap::new();
        let mut entries = Vec::new();
        let mut open = 0;
        for (story, list) in by_story {
            let model: Vec<&&Tag> = list.iter().filter(|t| t.source == TagSource::Model).collect();
            if model.is_empty() {
                continue;
            }
            let key = model.iter().map(|t| t.confidence.unwrap_or(0.0)).fold(f64::MIN, f64::max);
            keys.insert(story.to_string(), key);
            let mine: Vec<Tag> = list.iter().map(|t| (*t).clone()).collect();
            let open_here = model.iter().filter(|t| is_open(t, &mine)).count();
            if open_here > 0 {
                entries.push((story.to_string(), key));
                open += open_here;
            }
        }
        entries.sort_by(order);
        Queue { entries, keys, open }
    }

    /// Open suggestions, over all stories: one fewer after every decision.
    pub fn open(&self) -> usize {
        self.open
    }

    /// Stories with open suggestions.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The story the queue starts with.
    pub fn first(&self) -> Option<&str> {
        self.entries.first().map(|(s, _)| s.as_str())
    }

    /// Whether the story has (or had) model suggestions, i.e. belongs to this part of the queue.
    pub fn knows(&self, story: &str) -> bool {
        self.keys.contains_key(story)
    }

    /// The next story after `story` (which need not be in the queue any more).
    pub fn after(&self, story: &str) -> Option<&str> {
        let key = *self.keys.get(story)?;
        let me = (story.to_string(), key);
        self.entries.iter().find(|e| order(e, &me) == Ordering::Greater).map(|(s, _)| s.as_str())
    }
}

/// The stories that have at least one tag of any kind (the rest are "without a theme").
pub fn tagged_stories(tags: &[Tag]) -> HashSet<&str> {
    tags.iter().map(|t| t.story_id.as_str()).collect()
}

/// A confidence as a whole percentage.
pub fn percent(c: f64) -> String {
    format!("{}%", (c.clamp(0.0, 1.0) * 100.0).round())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn theme(id: &str, name: &str, parent: Option<&str>) -> Theme {
        Theme {
            id: id.into(),
            campaign_id: Some("c".into()),
            name: name.into(),
            description: String::new(),
            colour: "#0b5a7a".into(),
            parent_id: parent.map(str::to_string),
            rule: None,
            merged_into: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn tag(story: &str, theme: &str, source: TagSource, state: TagState, conf: Option<f64>) -> Tag {
        Tag {
            story_id: story.into(),
            theme_id: theme.into(),
            source,
            state,
            confidence: conf,
            explanation: None,
            by_user: None,
            at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_tree_puts_children_under_parents_and_survives_orphans_and_cycles() {
        let mut merged = theme("m", "Weg", None);
        merged.merged_into = Some("a".into());
        let themes = vec![
            theme("b2", "zorg", Some("b")),
            theme("a", "Wachten", None),
            theme("b", "Alleen", None),
            theme("b1", "school", Some("b")),
            theme("o", "Wees", Some("m")),
            merged,
            theme("x", "X", Some("y")),
            theme("y", "Y", Some("x")),
        ];
        let order: Vec<(&str, usize)> =
            tree_order(&themes).iter().map(|(t, d)| (t.id.as_str(), *d)).collect();
        assert_eq!(order, [("b", 0), ("b1", 1), ("b2", 1), ("a", 0), ("o", 0), ("x", 0), ("y", 1)]);
        let below = self_and_descendants(&themes, "b");
        assert_eq!(below, HashSet::from(["b".to_string(), "b1".into(), "b2".into()]));
    }

    #[test]
    fn counts_follow_the_effective_state_per_story() {
        use TagSource::*;
        use TagState::*;
        let tags = vec![
            tag("s1", "t", Rule, Accepted, None),
            tag("s1", "t", Manual, Rejected, None),
            tag("s2", "t", Rule, Accepted, None),
            tag("s2", "t", Model, Suggested, Some(0.9)),
            tag("s3", "t", Model, Suggested, Some(0.4)),
        ];
        let c = counts(&tags)["t"];
        assert_eq!(c, Counts { accepted: 1, suggested: 1, rejected: 1 });
    }

    #[test]
    fn the_queue_serves_open_suggestions_by_confidence_and_keeps_places_stable() {
        use TagSource::*;
        use TagState::*;
        let live: HashSet<String> = ["t", "u"].iter().map(|s| s.to_string()).collect();
        let mut tags = vec![
            tag("low", "t", Model, Suggested, Some(0.3)),
            tag("high", "t", Model, Suggested, Some(0.9)),
            tag("high", "u", Model, Suggested, Some(0.5)),
            tag("mid", "u", Model, Suggested, Some(0.6)),
            tag("done", "t", Model, Accepted, Some(0.95)),
            tag("overruled", "t", Model, Suggested, Some(0.99)),
            tag("overruled", "t", Manual, Rejected, None),
            tag("gone", "merged", Model, Suggested, Some(0.99)),
        ];
        let q = Queue::new(&tags, &live);
        assert_eq!(q.len(), 3);
        assert_eq!(q.first(), Some("high"));
        assert_eq!(q.after("high"), Some("mid"));
        assert_eq!(q.after("mid"), Some("low"));
        assert_eq!(q.after("low"), None);
        // A decided story keeps its place, so "next" still works from it.
        assert_eq!(q.after("done"), Some("high"));
        assert!(q.knows("done") && !q.knows("gone") && !q.knows("nobody"));
        // Deciding on one suggestion of "high" leaves it in the queue at the same place.
        tags[1].state = Accepted;
        let q = Queue::new(&tags, &live);
        assert_eq!(q.first(), Some("high"));
        tags[2].state = Rejected;
        let q = Queue::new(&tags, &live);
        assert_eq!(q.first(), Some("mid"));
        assert_eq!(q.after("high"), Some("mid"));
    }

    #[test]
    fn percentages_are_whole() {
        assert_eq!(percent(0.876), "88%");
        assert_eq!(percent(1.7), "100%");
    }
}
