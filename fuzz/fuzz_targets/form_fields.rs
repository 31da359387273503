//! The story form's body (`application/x-www-form-urlencoded`, as axum's `Form` decodes it)
//! through the checks the preview and submit steps run: a submission, or field errors — never a
//! panic, and an accepted story only with valid answers, a known prompt and region, and consent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::domain::campaign::ConsentBasis;
use luister::http::form::{FormValues, validate};
use luister_fuzz::{campaign, check_answers, lang};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the campaign and the form's language; the rest is the body.
    let Some((&pick, body)) = data.split_first() else { return };
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else { return };
    let campaign = campaign(pick);
    let values = FormValues(fields);
    match validate(campaign, &values, lang(pick)) {
        Ok(prepared) => {
            let def = &campaign.def;
            check_answers(&def.signifiers, &prepared.answers);
            if let Some(p) = &prepared.prompt_id {
                assert!(def.active_prompts().any(|a| &a.id == p), "prompt '{p}' accepted");
            }
            assert!(prepared.age_band.is_none() || def.ask_age_band, "age band accepted on a form without it");
            assert!(
                prepared.consent_basis == ConsentBasis::LegalBasis || values.has("consent", "yes"),
                "story accepted without consent"
            );
            let spans = &prepared.scrubbed.spans;
            assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "overlapping spans: {spans:?}");
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            assert!(errors.len() <= luister::domain::signifier::MAX_REPORTED, "{} errors reported", errors.len());
            for e in &errors {
                // Every message can be shown, in both languages.
                let _ = (e.message(luister::domain::Lang::Nl), e.message(luister::domain::Lang::En));
            }
        }
    }
});
