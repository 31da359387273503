//! Signifier answers as the API sends them (a JSON object of raw answers by signifier id)
//! through `validate_answers` against a campaign's signifiers: triads, dyads, single and multiple
//! choices, retired signifiers and options, required ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::domain::signifier::{Answer, validate_answers};
use luister_fuzz::{campaign, check_answers, check_triad_is_the_point_sent};
use serde_json::Value;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the campaign; the rest is the JSON object of answers.
    let Some((&pick, json)) = data.split_first() else { return };
    let Ok(raw) = serde_json::from_slice::<BTreeMap<String, Value>>(json) else { return };
    let signifiers = &campaign(pick).def.signifiers;
    match validate_answers(signifiers, &raw) {
        Ok(answers) => {
            check_answers(signifiers, &answers);
            for (id, answer) in &answers {
                assert!(raw.contains_key(id), "answer to '{id}' made up");
                if let Answer::Triad(w) = answer {
                    check_triad_is_the_point_sent(&raw[id], w);
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            assert!(errors.len() <= luister::domain::signifier::MAX_REPORTED, "{} errors reported", errors.len());
        }
    }
});
