//! What the fuzz targets share: the campaigns they test against (the shipped demo campaign and a
//! strict variant of it) and the invariants every accepted answer must hold.

use luister::domain::signifier::{Answer, Answers, Signifier, SignifierKind};
use luister::domain::{Campaign, CampaignDef, Lang, RegionField};
use serde_json::Value;
use std::sync::LazyLock;
use time::OffsetDateTime;

fn stored(id: &str, def: CampaignDef) -> Campaign {
    def.validate().unwrap_or_else(|e| panic!("the fuzz campaign {id} is not valid: {e}"));
    let at = OffsetDateTime::UNIX_EPOCH;
    Campaign { id: id.into(), def, form_version: 1, created_at: at, updated_at: at }
}

/// The demo campaign as shipped (`campaigns/eigen-netwerk.toml`): every signifier optional.
pub static DEMO: LazyLock<Campaign> = LazyLock::new(|| {
    let def = CampaignDef::from_toml(luister::transfer::import::DEMO_CAMPAIGN).expect("the demo campaign parses");
    stored("fuzz-demo", def)
});

/// The demo campaign made strict: every signifier required, one signifier and one choice option
/// retired (old answers to them must be refused), municipalities instead of regions.
pub static STRICT: LazyLock<Campaign> = LazyLock::new(|| {
    let mut def = DEMO.def.clone();
    def.region = RegionField::Municipality;
    for s in &mut def.signifiers {
        s.required = true;
        if s.id == "hoe_vaak" {
            s.required = false;
            s.retired = true;
        }
        if let SignifierKind::Choice { options, .. } = &mut s.kind {
            options[0].retired = true;
        }
    }
    stored("fuzz-strict", def)
});

/// One of the campaigns, picked by a byte of the input (its lowest bit).
pub fn campaign(pick: u8) -> &'static Campaign {
    if pick & 1 == 0 { &DEMO } else { &STRICT }
}

/// The form's language, picked by a byte of the input (its second bit).
pub fn lang(pick: u8) -> Lang {
    if pick & 2 == 0 { Lang::Nl } else { Lang::En }
}

/// Every accepted answer fits its signifier: a triad is three weights in 0..=1 summing to 1, a
/// dyad is in 0..=1, a choice names active options (a multiple choice each once, in the form's
/// order), nothing answers a retired signifier, and every required signifier is answered.
pub fn check_answers(signifiers: &[Signifier], answers: &Answers) {
    for (id, answer) in answers {
        let s = signifiers
            .iter()
            .find(|s| &s.id == id && !s.retired)
            .unwrap_or_else(|| panic!("answer {answer:?} accepted for '{id}', which is no active signifier"));
        match (&s.kind, answer) {
            (_, Answer::Skipped) => assert!(!s.required, "required signifier '{id}' accepted as skipped"),
            (SignifierKind::Triad { .. }, Answer::Triad(w)) => {
                assert!(w.iter().all(|x| (0.0..=1.0).contains(x)), "triad '{id}' out of range: {w:?}");
                let sum: f64 = w.iter().sum();
                assert!((sum - 1.0).abs() < 1e-9, "triad '{id}' sums to {sum}: {w:?}");
            }
            (SignifierKind::Dyad { .. }, Answer::Dyad(x)) => {
                assert!((0.0..=1.0).contains(x), "dyad '{id}' out of range: {x}")
            }
            (SignifierKind::Choice { multiple: false, options }, Answer::Single(o)) => {
                assert!(options.iter().any(|k| &k.id == o && !k.retired), "choice '{id}': '{o}' is no active option")
            }
            (SignifierKind::Choice { multiple: true, options }, Answer::Multi(chosen)) => {
                assert!(!chosen.is_empty(), "choice '{id}' accepted with no option");
                let at: Vec<usize> = chosen
                    .iter()
                    .map(|c| {
                        options
                            .iter()
                            .position(|k| &k.id == c && !k.retired)
                            .unwrap_or_else(|| panic!("choice '{id}': '{c}' is no active option"))
                    })
                    .collect();
                assert!(at.windows(2).all(|p| p[0] < p[1]), "choice '{id}' not once each in form order: {chosen:?}");
            }
            (kind, answer) => panic!("signifier '{id}' is a {} but got {answer:?}", kind.name()),
        }
    }
    for s in signifiers.iter().filter(|s| s.required && !s.retired) {
        assert!(answers.contains_key(&s.id), "required signifier '{}' accepted without an answer", s.id);
    }
}

/// An accepted triad is the point the teller sent: each weight within rounding (3 decimals, the
/// rest given to the largest) of its share of the sum, whatever the scale.
pub fn check_triad_is_the_point_sent(raw: &Value, w: &[f64; 3]) {
    let Some(parts) = raw.as_array().and_then(|a| a.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>()) else {
        return;
    };
    // Shares computed without overflow: scale by the largest first.
    let max = parts.iter().copied().fold(0.0f64, f64::max);
    if max <= 0.0 {
        return;
    }
    let scaled: Vec<f64> = parts.iter().map(|x| x / max).collect();
    let sum: f64 = scaled.iter().sum();
    for (x, got) in scaled.iter().zip(w) {
        let share = x / sum;
        assert!((share - got).abs() <= 0.003, "triad {raw} stored as {w:?}: expected about {share} for a corner");
    }
}
