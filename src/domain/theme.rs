//! Themes and tags: the codebook facilitators build, and the links between stories and themes,
//! each with its provenance (a rule, the model, a person), its state, who and when — so every
//! tag on every story can say where it came from and why.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A theme of a campaign's codebook, or of the global codebook (`campaign_id` is `None`) that
/// campaigns copy from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub id: String,
    pub campaign_id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_colour")]
    pub colour: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    /// A search query (the search language) whose matches get `source = rule` tags.
    #[serde(default)]
    pub rule: Option<String>,
    /// Set when this theme was merged into another; its tags moved there, history kept.
    #[serde(default)]
    pub merged_into: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

pub fn default_colour() -> String {
    "#0b5a7a".into()
}

/// Colours people can tell apart on white, with enough contrast for text.
pub const PALETTE: [&str; 10] = [
    "#0b5a7a", "#8a3b00", "#2e6b30", "#6b2e6b", "#9c1c2b", "#3d4f9c", "#6b5a00", "#00665e", "#5a3d2b",
    "#4a4a55",
];

/// Checks a theme name and colour; returns a message that says how to fix it.
pub fn validate(name: &str, colour: &str) -> Result<(String, String), String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Geef het thema een naam.".into());
    }
    if name.chars().count() > 120 {
        return Err("De naam is te lang: gebruik hooguit 120 tekens.".into());
    }
    let colour = colour.trim().to_lowercase();
    let ok =
        colour.len() == 7 && colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        return Err(format!("'{colour}' is geen kleur. Gebruik een kleurcode zoals #0b5a7a."));
    }
    Ok((name, colour))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagSource {
    Rule,
    Model,
    Manual,
}

impl TagSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TagSource::Rule => "rule",
            TagSource::Model => "model",
            TagSource::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rule" => Some(Self::Rule),
            "model" => Some(Self::Model),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TagSource::Rule => "regel",
            TagSource::Model => "model",
            TagSource::Manual => "handmatig",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagState {
    Suggested,
    Accepted,
    Rejected,
}

impl TagState {
    pub fn as_str(self) -> &'static str {
        match self {
            TagState::Suggested => "suggested",
            TagState::Accepted => "accepted",
            TagState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "suggested" => Some(Self::Suggested),
            "accepted" => Some(Self::Accepted),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TagState::Suggested => "voorgesteld",
            TagState::Accepted => "geaccepteerd",
            TagState::Rejected => "afgewezen",
        }
    }
}

/// A link between a story and a theme, from one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub story_id: String,
    pub theme_id: String,
    pub source: TagSource,
    pub state: TagState,
    pub confidence: Option<f64>,
    /// Words that drove a model suggestion, with their weight.
    pub explanation: Option<Vec<(String, f64)>>,
    pub by_user: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One change in a story's tags.
#[derive(Debug, Clone, PartialEq)]
pub struct TagChange {
    pub story_id: String,
    pub theme_id: String,
    pub source: TagSource,
    pub state: Option<TagState>,
    pub confidence: Option<f64>,
    pub by_user: Option<String>,
    pub action: String,
    pub at: OffsetDateTime,
}

/// What a story's tags of one theme add up to: a person's rejection overrides everything, an
/// acceptance (by a person or a rule) makes it a tag, otherwise it is at most a suggestion.
pub fn effective_state(tags: &[&Tag]) -> Option<TagState> {
    if tags.iter().any(|t| t.state == TagState::Rejected && t.source != TagSource::Model) {
        Some(TagState::Rejected)
    } else if tags.iter().any(|t| t.state == TagState::Accepted) {
        Some(TagState::Accepted)
    } else if tags.iter().any(|t| t.state == TagState::Suggested) {
        Some(TagState::Suggested)
    } else if tags.iter().any(|t| t.state == TagState::Rejected) {
        Some(TagState::Rejected)
    } else {
        None
    }
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
            confidence: None,
            explanation: None,
            by_user: None,
            at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_persons_rejection_beats_a_rule_and_a_suggestion() {
        let rule = tag(TagSource::Rule, TagState::Accepted);
        let no = tag(TagSource::Manual, TagState::Rejected);
        let maybe = tag(TagSource::Model, TagState::Suggested);
        assert_eq!(effective_state(&[&rule, &no, &maybe]), Some(TagState::Rejected));
        assert_eq!(effective_state(&[&rule, &maybe]), Some(TagState::Accepted));
        assert_eq!(effective_state(&[&maybe]), Some(TagState::Suggested));
        assert_eq!(effective_state(&[]), None);
    }

    #[test]
    fn names_and_colours_are_checked() {
        assert_eq!(
            validate("  Wacht  lijsten ", "#0B5A7A").unwrap(),
            ("Wacht lijsten".into(), "#0b5a7a".into())
        );
        assert!(validate("", "#000000").is_err());
        assert!(validate("x", "blauw").unwrap_err().contains("kleurcode"));
    }
}
