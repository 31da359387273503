//! The Leefwereldtoets: a policy under test, the assumptions it relies on, stories read as
//! evidence for or against an assumption, and the conclusion a session draws.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::action::named_enum;

named_enum!(
    /// How a story bears on an assumption.
    Stance {
        Supports => "supports", "ondersteunt";
        Contradicts => "contradicts", "spreekt tegen";
        Mixed => "mixed", "gemengd";
    }
);

named_enum!(
    /// What a session concluded about an assumption.
    Verdict {
        Holds => "holds", "klopt";
        HoldsPartly => "holds_partly", "klopt deels";
        DoesNotHold => "does_not_hold", "klopt niet";
        Unclear => "unclear", "onduidelijk";
    }
);

impl Stance {
    /// The key in the coding queue: v(oor), t(egen), g(emengd).
    pub fn key(self) -> &'static str {
        match self {
            Stance::Supports => "v",
            Stance::Contradicts => "t",
            Stance::Mixed => "g",
        }
    }
}

pub const MAX_STATEMENT: usize = 500;
pub const MAX_TEXT: usize = 8000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    pub id: String,
    pub campaign_id: String,
    pub position: i64,
    /// "jongeren weten welke maatregelen mogen"
    pub statement: String,
    /// The pattern one would expect in the stories if it held.
    pub expected: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A story linked to an assumption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumptionLink {
    pub assumption_id: String,
    pub story_id: String,
    pub stance: Stance,
    pub linked_by: Option<String>,
    pub linked_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conclusion {
    pub assumption_id: String,
    pub verdict: Verdict,
    pub reasoning: String,
    /// The sense-making session it was drawn in (an id of the sessions part), if any.
    pub session_id: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: OffsetDateTime,
}

/// A statement and its expected pattern as typed; `Err` names the field and says what to do.
pub fn parse_assumption(statement: &str, expected: &str) -> Result<(String, String), (&'static str, String)> {
    let statement: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    if statement.is_empty() {
        return Err((
            "statement",
            "Schrijf de aanname op, bijvoorbeeld ‘jongeren weten welke maatregelen mogen’.".into(),
        ));
    }
    if statement.chars().count() > MAX_STATEMENT {
        return Err(("statement", format!("Houd de aanname korter dan {MAX_STATEMENT} tekens.")));
    }
    Ok((statement, expected.trim().chars().take(MAX_TEXT).collect()))
}

/// A conclusion as typed.
pub fn parse_conclusion(
    verdict: &str,
    reasoning: &str,
    session_id: &str,
) -> Result<(Verdict, String, Option<String>), (&'static str, String)> {
    let verdict = Verdict::parse(verdict.trim())
        .ok_or(("verdict", "Kies: klopt, klopt deels, klopt niet of onduidelijk.".to_string()))?;
    let reasoning: String = reasoning.trim().chars().take(MAX_TEXT).collect();
    if reasoning.is_empty() {
        return Err(("reasoning", "Schrijf op waarom: welke verhalen en patronen wegen mee?".into()));
    }
    let session = Some(session_id.trim().to_string()).filter(|s| !s.is_empty());
    Ok((verdict, reasoning, session))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stances_and_verdicts_round_trip_and_conclusions_need_reasons() {
        for s in Stance::ALL {
            assert_eq!(Stance::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Verdict::parse("holds_partly"), Some(Verdict::HoldsPartly));
        assert_eq!(parse_conclusion("holds", " ", "").unwrap_err().0, "reasoning");
        assert_eq!(parse_conclusion("maybe", "x", "").unwrap_err().0, "verdict");
        let (v, r, s) = parse_conclusion("unclear", "Te weinig verhalen", " s1 ").unwrap();
        assert_eq!((v, r.as_str(), s.as_deref()), (Verdict::Unclear, "Te weinig verhalen", Some("s1")));
        assert_eq!(parse_assumption("  ", "").unwrap_err().0, "statement");
        assert_eq!(parse_assumption(" jongeren  weten ", "").unwrap().0, "jongeren weten");
    }
}
