//! Signifiers: the questions a storyteller answers about their own story, so that the teller,
//! not an analyst, gives it meaning. Triads, dyads and choices, their answers, and the rules
//! that turn raw input into a valid answer.

use super::{FieldError, Localized, Problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One question about the story. `id` is a stable key: stored answers refer to it, so labels
/// may change but the id never means something else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signifier {
    pub id: String,
    #[serde(flatten)]
    pub kind: SignifierKind,
    pub question: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Localized>,
    #[serde(default)]
    pub required: bool,
    /// Removed from the form but kept so that old answers stay readable.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SignifierKind {
    /// A point in a triangle between three corners; stored as three weights summing to 1.
    Triad { corners: [Localized; 3] },
    /// A slider between two poles; stored as 0..1 (0 = first pole).
    Dyad { poles: [Localized; 2] },
    /// Single or multiple choice.
    Choice {
        #[serde(default)]
        multiple: bool,
        options: Vec<ChoiceOption>,
    },
}

impl SignifierKind {
    pub fn name(&self) -> &'static str {
        match self {
            SignifierKind::Triad { .. } => "triad",
            SignifierKind::Dyad { .. } => "dyad",
            SignifierKind::Choice { .. } => "choice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Localized,
    #[serde(default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

/// A validated answer. Serialised as plain JSON: a triad as `[a, b, c]`, a dyad as a number,
/// a single choice as a string, a multiple choice as a list, "not applicable" as `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Skipped,
    Dyad(f64),
    Single(String),
    Triad([f64; 3]),
    Multi(Vec<String>),
}

/// Answers keyed by signifier id.
pub type Answers = BTreeMap<String, Answer>;

/// How triads and dyads are rounded when stored: enough precision for any plot, and stable
/// text in exports.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Signifier {
    /// The form field key used in validation errors.
    pub fn field(&self) -> String {
        format!("answers.{}", self.id)
    }

    /// Turns a raw JSON value (from the API or from the form, already shaped) into an answer.
    /// `None` means the teller gave nothing; `Some(Value::Null)` means "not applicable".
    pub fn validate(&self, raw: Option<&Value>) -> Result<Option<Answer>, FieldError> {
        let err = |p: Problem| FieldError::new(self.field(), p);
        let raw = match raw {
            None => {
                return if self.required { Err(err(self.missing_problem())) } else { Ok(None) };
            }
            Some(Value::Null) => {
                return if self.required {
                    Err(err(Problem::RequiredNotSkippable))
                } else {
                    Ok(Some(Answer::Skipped))
                };
            }
            Some(v) => v,
        };
        match &self.kind {
            SignifierKind::Triad { .. } => {
                let parts = raw
                    .as_array()
                    .filter(|a| a.len() == 3)
                    .ok_or_else(|| err(Problem::WrongShape { expected: "[a, b, c] with three numbers" }))?;
                let mut w = [0.0f64; 3];
                for (slot, v) in w.iter_mut().zip(parts) {
                    *slot = v
                        .as_f64()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .ok_or_else(|| err(Problem::TriadInvalid))?;
                }
                // Scaled by the largest weight first: the sum of huge weights (1e308 each)
                // overflows to infinity, which made every share 0 and the middle a corner.
                let top = w.iter().copied().fold(0.0f64, f64::max);
                if top <= 0.0 {
                    return Err(err(Problem::TriadInvalid));
                }
                let w = w.map(|x| x / top);
                let sum: f64 = w.iter().sum();
                // Normalise so that any scale (0..1, 0..100) means the same point, then make
                // the rounded weights sum to exactly 1 by giving the rest to the largest.
                let mut n = w.map(|x| round3(x / sum));
                let rest = round3(1.0 - n.iter().sum::<f64>());
                let largest = (0..3).max_by(|&a, &b| n[a].total_cmp(&n[b])).unwrap_or(0);
                n[largest] = round3(n[largest] + rest);
                Ok(Some(Answer::Triad(n)))
            }
            SignifierKind::Dyad { .. } => {
                let x = raw.as_f64().ok_or_else(|| err(Problem::DyadInvalid))?;
                if !(0.0..=1.0).contains(&x) {
                    return Err(err(Problem::DyadInvalid));
                }
                Ok(Some(Answer::Dyad(round3(x))))
            }
            SignifierKind::Choice { multiple, options } => {
                // A bare number is accepted as an option id ("1"): CSV cannot tell them apart.
                let number;
                let values: Vec<&str> = match raw {
                    Value::String(s) => vec![s.as_str()],
                    Value::Number(n) => {
                        number = n.to_string();
                        vec![number.as_str()]
                    }
                    Value::Array(items) => items
                        .iter()
                        .map(|v| {
                            v.as_str().ok_or_else(|| {
                                err(Problem::WrongShape { expected: "an option id or a list of option ids" })
                            })
                        })
                        .collect::<Result<_, _>>()?,
                    _ => {
                        return Err(err(Problem::WrongShape {
                            expected: "an option id or a list of option ids",
                        }));
                    }
                };
                let mut chosen: Vec<String> = Vec::new();
                for v in values {
                    let known = options.iter().any(|o| o.id == v && !o.retired);
                    if !known {
                        return Err(err(Problem::UnknownOption { value: v.to_string() }));
                    }
                    if !chosen.iter().any(|c| c == v) {
                        chosen.push(v.to_string());
                    }
                }
                if chosen.is_empty() {
                    return if self.required { Err(err(Problem::ChooseOne)) } else { Ok(None) };
                }
                if *multiple {
                    // Keep the form's order, so exports and comparisons are stable.
                    chosen.sort_by_key(|c| options.iter().position(|o| &o.id == c));
                    Ok(Some(Answer::Multi(chosen)))
                } else if chosen.len() > 1 {
                    Err(err(Problem::OnlyOne))
                } else {
                    Ok(Some(Answer::Single(chosen.remove(0))))
                }
            }
        }
    }

    fn missing_problem(&self) -> Problem {
        match self.kind {
            SignifierKind::Triad { .. } => Problem::TriadMissing,
            SignifierKind::Dyad { .. } => Problem::DyadMissing,
            SignifierKind::Choice { .. } => Problem::ChooseOne,
        }
    }

    /// The label of a choice option, also of a retired one, so old answers stay readable.
    pub fn option_label(&self, option_id: &str) -> Option<&Localized> {
        match &self.kind {
            SignifierKind::Choice { options, .. } => {
                options.iter().find(|o| o.id == option_id).map(|o| &o.label)
            }
            _ => None,
        }
    }
}

/// Validates all answers against the active signifiers of a form. Every problem is reported,
/// not just the first, so the teller can fix them all at once.
/// Most answer keys a submission may carry: every form question once, and room for mistakes.
pub const MAX_ANSWERS: usize = 200;
/// Most problems reported for one submission: enough to fix a form, never megabytes.
pub const MAX_REPORTED: usize = 25;

pub fn validate_answers(
    signifiers: &[Signifier],
    raw: &BTreeMap<String, Value>,
) -> Result<Answers, Vec<FieldError>> {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    if raw.len() > MAX_ANSWERS {
        return Err(vec![FieldError::new(
            "answers",
            Problem::TooManyAnswers { max: MAX_ANSWERS, got: raw.len() },
        )]);
    }
    for (id, _) in raw.iter() {
        match signifiers.iter().find(|s| &s.id == id) {
            None => errors
                .push(FieldError::new(format!("answers.{id}"), Problem::UnknownSignifier { id: id.clone() })),
            Some(s) if s.retired => {
                errors.push(FieldError::new(s.field(), Problem::RetiredSignifier { id: id.clone() }))
            }
            Some(_) => {}
        }
    }
    for s in signifiers.iter().filter(|s| !s.retired) {
        match s.validate(raw.get(&s.id)) {
            Ok(Some(a)) => {
                answers.insert(s.id.clone(), a);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    errors.truncate(MAX_REPORTED);
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn triad(required: bool) -> Signifier {
        Signifier {
            id: "t".into(),
            kind: SignifierKind::Triad {
                corners: [Localized::new("a", "a"), Localized::new("b", "b"), Localized::new("c", "c")],
            },
            question: Localized::new("v", "q"),
            help: None,
            required,
            retired: false,
        }
    }

    fn choice(multiple: bool) -> Signifier {
        Signifier {
            id: "c".into(),
            kind: SignifierKind::Choice {
                multiple,
                options: vec![
                    ChoiceOption { id: "x".into(), label: Localized::new("x", "x"), retired: false },
                    ChoiceOption { id: "y".into(), label: Localized::new("y", "y"), retired: false },
                    ChoiceOption { id: "old".into(), label: Localized::new("o", "o"), retired: true },
                ],
            },
            question: Localized::new("v", "q"),
            help: None,
            required: false,
            retired: false,
        }
    }

    #[test]
    fn triad_weights_are_normalised_to_sum_one() {
        let a = triad(false).validate(Some(&json!([20, 30, 50]))).unwrap().unwrap();
        assert_eq!(a, Answer::Triad([0.2, 0.3, 0.5]));
        let Answer::Triad(w) = triad(false).validate(Some(&json!([1, 1, 1]))).unwrap().unwrap() else {
            panic!()
        };
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{w:?}");
    }

    /// Found by the invariant of the `signifier_answers` fuzz target (an accepted triad is the
    /// point that was sent): three weights of 1e308 summed to infinity and were stored as the
    /// third corner instead of the middle.
    #[test]
    fn huge_triad_weights_keep_their_point() {
        let middle = triad(false).validate(Some(&json!([1e308, 1e308, 1e308]))).unwrap().unwrap();
        assert_eq!(middle, Answer::Triad([0.333, 0.333, 0.334]));
        let first = triad(false).validate(Some(&json!([1.7e308, 1e308, 0]))).unwrap().unwrap();
        assert_eq!(first, triad(false).validate(Some(&json!([1.7, 1, 0]))).unwrap().unwrap());
    }

    #[test]
    fn triad_of_zeros_or_negative_is_rejected() {
        assert_eq!(
            triad(false).validate(Some(&json!([0, 0, 0]))).unwrap_err().problem,
            Problem::TriadInvalid
        );
        assert!(triad(false).validate(Some(&json!([-1, 1, 1]))).is_err());
        assert!(triad(false).validate(Some(&json!([1, 1]))).is_err());
    }

    #[test]
    fn required_triad_cannot_be_missing_or_skipped() {
        assert_eq!(triad(true).validate(None).unwrap_err().problem, Problem::TriadMissing);
        assert_eq!(
            triad(true).validate(Some(&Value::Null)).unwrap_err().problem,
            Problem::RequiredNotSkippable
        );
        assert_eq!(triad(false).validate(Some(&Value::Null)).unwrap(), Some(Answer::Skipped));
    }

    #[test]
    fn single_choice_rejects_unknown_retired_and_double_answers() {
        let s = choice(false);
        assert_eq!(s.validate(Some(&json!("x"))).unwrap(), Some(Answer::Single("x".into())));
        assert!(matches!(s.validate(Some(&json!("zz"))).unwrap_err().problem, Problem::UnknownOption { .. }));
        assert!(s.validate(Some(&json!("old"))).is_err());
        assert_eq!(s.validate(Some(&json!(["x", "y"]))).unwrap_err().problem, Problem::OnlyOne);
    }

    #[test]
    fn multi_choice_keeps_form_order_and_drops_duplicates() {
        let s = choice(true);
        assert_eq!(
            s.validate(Some(&json!(["y", "x", "y"]))).unwrap(),
            Some(Answer::Multi(vec!["x".into(), "y".into()]))
        );
    }

    #[test]
    fn answers_round_trip_through_json() {
        let mut a = Answers::new();
        a.insert("t".into(), Answer::Triad([0.2, 0.3, 0.5]));
        a.insert("d".into(), Answer::Dyad(0.75));
        a.insert("s".into(), Answer::Single("x".into()));
        a.insert("m".into(), Answer::Multi(vec!["x".into()]));
        a.insert("n".into(), Answer::Skipped);
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(text, r#"{"d":0.75,"m":["x"],"n":null,"s":"x","t":[0.2,0.3,0.5]}"#);
        let back: Answers = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn unknown_signifier_in_answers_is_reported() {
        let sigs = vec![triad(false)];
        let mut raw = BTreeMap::new();
        raw.insert("nope".to_string(), json!(1));
        let errs = validate_answers(&sigs, &raw).unwrap_err();
        assert_eq!(errs[0].field, "answers.nope");
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn triad() -> Signifier {
        Signifier {
            id: "t".into(),
            kind: SignifierKind::Triad {
                corners: [Localized::new("a", "a"), Localized::new("b", "b"), Localized::new("c", "c")],
            },
            question: Localized::new("v", "q"),
            help: None,
            required: false,
            retired: false,
        }
    }

    fn weight() -> impl Strategy<Value = f64> {
        prop_oneof![0.0..=1.0f64, 0.0..=100.0f64, (0u32..=100).prop_map(f64::from), 0.0..=1e300f64, Just(0.0)]
    }

    proptest! {
        // A fixed seed: the suite must give the same answer on every run (a found case is
        // added as its own test, not left to chance).
        #![proptest_config(ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_203),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any accepted triad answer is a point in the triangle: three weights in 0..=1 that sum
        /// to 1, whatever scale the form or the API sent.
        #[test]
        fn triad_answers_always_sum_to_one(a in weight(), b in weight(), c in weight()) {
            match triad().validate(Some(&json!([a, b, c]))) {
                Ok(Some(Answer::Triad(w))) => {
                    prop_assert!(w.iter().all(|x| (0.0..=1.0).contains(x)), "{:?}", w);
                    prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?} sums to {}", w, w.iter().sum::<f64>());
                }
                Ok(other) => prop_assert!(false, "unexpected {:?}", other),
                Err(e) => prop_assert!(a + b + c == 0.0, "[{}, {}, {}] refused: {:?}", a, b, c, e.problem),
            }
        }
    }
}
