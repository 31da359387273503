//! Stories: the text as stored after the privacy preview, who told it (perspective, age band,
//! region) and the teller's own answers about it. Also the events that feed the search index.

use super::signifier::Answers;
use super::{FieldError, Lang, Problem};
use crate::analysis::safeguarding::Signal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use unicode_normalization::UnicodeNormalization;

/// The storyteller's role: the axis every perspective map compares on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Perspective {
    Youth,
    Parent,
    Professional,
    Other,
}

impl Perspective {
    pub const ALL: [Perspective; 4] =
        [Perspective::Youth, Perspective::Parent, Perspective::Professional, Perspective::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Youth => "youth",
            Perspective::Parent => "parent",
            Perspective::Professional => "professional",
            Perspective::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Perspective::Youth) => "Ik ben een jongere",
            (Lang::Nl, Perspective::Parent) => "Ik ben een ouder of verzorger",
            (Lang::Nl, Perspective::Professional) => "Ik werk in de jeugdhulp of het onderwijs",
            (Lang::Nl, Perspective::Other) => "Anders",
            (Lang::En, Perspective::Youth) => "I am a young person",
            (Lang::En, Perspective::Parent) => "I am a parent or carer",
            (Lang::En, Perspective::Professional) => "I work in youth care or education",
            (Lang::En, Perspective::Other) => "Other",
        }
    }

    /// Short name for lists and tables.
    pub fn noun(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, Perspective::Youth) => "jongere",
            (Lang::Nl, Perspective::Parent) => "ouder",
            (Lang::Nl, Perspective::Professional) => "professional",
            (Lang::Nl, Perspective::Other) => "anders",
            (Lang::En, Perspective::Youth) => "young person",
            (Lang::En, Perspective::Parent) => "parent",
            (Lang::En, Perspective::Professional) => "professional",
            (Lang::En, Perspective::Other) => "other",
        }
    }
}

/// Age bands of the storyteller. Coarse on purpose: fine ages would make tellers recognisable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    Under12,
    From12To15,
    From16To17,
    From18To22,
    From23To29,
    From30To49,
    From50,
}

impl AgeBand {
    pub const ALL: [AgeBand; 7] = [
        AgeBand::Under12,
        AgeBand::From12To15,
        AgeBand::From16To17,
        AgeBand::From18To22,
        AgeBand::From23To29,
        AgeBand::From30To49,
        AgeBand::From50,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::Under12 => "u12",
            AgeBand::From12To15 => "12-15",
            AgeBand::From16To17 => "16-17",
            AgeBand::From18To22 => "18-22",
            AgeBand::From23To29 => "23-29",
            AgeBand::From30To49 => "30-49",
            AgeBand::From50 => "50+",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Nl, AgeBand::Under12) => "jonger dan 12",
            (Lang::En, AgeBand::Under12) => "under 12",
            (_, AgeBand::From12To15) => "12 – 15",
            (_, AgeBand::From16To17) => "16 – 17",
            (_, AgeBand::From18To22) => "18 – 22",
            (_, AgeBand::From23To29) => "23 – 29",
            (_, AgeBand::From30To49) => "30 – 49",
            (Lang::Nl, AgeBand::From50) => "50 of ouder",
            (Lang::En, AgeBand::From50) => "50 or older",
        }
    }
}

/// Story text that is valid to store: NFC, no control characters except newlines, trimmed,
/// within the campaign's length limits. Length is counted in characters, as people count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryText(String);

impl StoryText {
    pub fn parse(raw: &str, min: usize, max: usize) -> Result<StoryText, Problem> {
        let clean = clean_text(raw);
        let len = clean.chars().count();
        if len == 0 {
            Err(Problem::TextMissing)
        } else if len < min {
            Err(Problem::TextTooShort { min, len })
        } else if len > max {
            Err(Problem::TextTooLong { max, len })
        } else {
            Ok(StoryText(clean))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Longest title we keep.
pub const MAX_TITLE_CHARS: usize = 120;

/// Cleans an optional title: one line, NFC, trimmed; empty means none.
pub fn parse_title(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let clean = clean_text(raw).split_whitespace().collect::<Vec<_>>().join(" ");
    let len = clean.chars().count();
    if len == 0 {
        Ok(None)
    } else if len > MAX_TITLE_CHARS {
        Err(FieldError::new("title", Problem::TitleTooLong { max: MAX_TITLE_CHARS, len }))
    } else {
        Ok(Some(clean))
    }
}

/// NFC, `\r\n` to `\n`, tabs to spaces, other control characters (and stray zero-width or
/// bidi controls that could hide text) removed, trailing spaces on lines trimmed.
pub fn clean_text(raw: &str) -> String {
    let nfc: String = raw.replace("\r\n", "\n").replace('\r', "\n").nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for c in nfc.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            '\u{200B}'..='\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let joined = lines.join("\n");
    // No more than one empty line in a row: pasted text often has many.
    let mut result = String::with_capacity(joined.len());
    let mut newlines = 0;
    for c in joined.trim().chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        result.push(c);
    }
    result
}

/// Where a story came in; kept for operations, never shown to the teller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorySource {
    Form,
    Api,
    Import,
    Demo,
}

impl StorySource {
    pub fn as_str(self) -> &'static str {
        match self {
            StorySource::Form => "form",
            StorySource::Api => "api",
            StorySource::Import => "import",
            StorySource::Demo => "demo",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "form" => Some(Self::Form),
            "api" => Some(Self::Api),
            "import" => Some(Self::Import),
            "demo" => Some(Self::Demo),
            _ => None,
        }
    }
}

/// A story ready to insert: validated and scrubbed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStory {
    pub id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub language: String,
    pub perspective: Perspective,
    pub age_band: Option<AgeBand>,
    pub region: Option<String>,
    pub municipality: Option<String>,
    pub prompt_id: Option<String>,
    pub answers: Answers,
    /// SHA-256 of the receipt code; `None` for imported stories, which have no teller here.
    pub receipt_hash: Option<String>,
    /// Hash of the one-time token of the preview page: a resubmitted confirm (double click,
    /// reload) is recognised instead of stored twice.
    pub submission_key: Option<String>,
    pub source: StorySource,
    pub form_version: i64,
    pub created_at: OffsetDateTime,
    /// Danger signals found in the stored text (empty when none): puts the story on the
    /// campaign's "needs attention" list.
    pub safeguarding: Vec<Signal>,
}

/// A stored story.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub language: String,
    pub perspective: Perspective,
    pub age_band: Option<AgeBand>,
    pub region: Option<String>,
    pub municipality: Option<String>,
    pub prompt_id: Option<String>,
    pub answers: Answers,
    pub source: StorySource,
    pub form_version: i64,
    pub created_at: OffsetDateTime,
    pub safeguarding: Vec<Signal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryEventKind {
    Upsert,
    Delete,
}

impl StoryEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryEventKind::Upsert => "upsert",
            StoryEventKind::Delete => "delete",
        }
    }
}

/// One change to a story, in commit order: what the search index follows.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryEvent {
    pub seq: i64,
    pub story_id: String,
    pub campaign_id: String,
    pub kind: StoryEventKind,
    pub created_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc_without_control_characters_but_keeps_newlines() {
        let raw = "  Cafe\u{301} \u{0007}was\tfijn\r\n\r\n\r\n\r\nEinde\u{200B}.  ";
        let t = StoryText::parse(raw, 1, 100).unwrap();
        assert_eq!(t.as_str(), "Café was fijn\n\nEinde.");
    }

    #[test]
    fn length_is_counted_in_characters_after_trimming() {
        assert_eq!(
            StoryText::parse("   ééé   ", 5, 10).unwrap_err(),
            Problem::TextTooShort { min: 5, len: 3 }
        );
        assert_eq!(StoryText::parse(" \n\t ", 5, 10).unwrap_err(), Problem::TextMissing);
        assert_eq!(
            StoryText::parse(&"a".repeat(11), 5, 10).unwrap_err(),
            Problem::TextTooLong { max: 10, len: 11 }
        );
    }

    #[test]
    fn title_is_one_line_and_empty_means_none() {
        assert_eq!(parse_title(Some("  een\n titel ")).unwrap(), Some("een titel".into()));
        assert_eq!(parse_title(Some("   ")).unwrap(), None);
        assert!(parse_title(Some(&"x".repeat(200))).is_err());
    }

    #[test]
    fn codes_round_trip() {
        for p in Perspective::ALL {
            assert_eq!(Perspective::parse(p.as_str()), Some(p));
        }
        for a in AgeBand::ALL {
            assert_eq!(AgeBand::parse(a.code()), Some(a));
        }
    }
}
