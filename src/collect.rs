//! The story-collection use case shared by the web form, the JSON API and the importer:
//! validate what the teller sent against the campaign's form, scrub personal details, detect
//! the language, and produce a story ready to store. No HTTP and no SQL here.

use crate::analysis::{language, safeguarding, scrub};
use crate::domain::campaign::ConsentBasis;
use crate::domain::signifier::validate_answers;
use crate::domain::story::{StorySource, parse_title};
use crate::domain::{
    AgeBand, Answers, Campaign, FieldError, Lang, NewStory, Perspective, Problem, RegionField, StoryText,
    region,
};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// What a storyteller (or an import line) sent, before validation. Transport-neutral: the form
/// and the API both build one of these.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    pub text: String,
    pub title: Option<String>,
    pub language: Option<String>,
    pub perspective: Option<String>,
    pub age_band: Option<String>,
    /// A region code (`JZ01`) or a municipality code (`GM0518`), whichever the form asks.
    pub region: Option<String>,
    pub prompt: Option<String>,
    pub consent: bool,
    /// A parent or guardian agreed too (asked only for the age bands where the campaign says so).
    pub guardian_consent: bool,
    /// Raw answers by signifier id: a triad `[a, b, c]` (any scale), a dyad 0..1, a choice
    /// as a string or list, `null` for "not applicable".
    pub answers: BTreeMap<String, Value>,
}

/// A valid, scrubbed story that has not been stored yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The text exactly as it will be stored, with the replacements, for the privacy preview.
    pub scrubbed: scrub::Scrubbed,
    pub title: Option<String>,
    pub language: String,
    pub perspective: Perspective,
    pub age_band: Option<AgeBand>,
    pub region: Option<String>,
    pub municipality: Option<String>,
    pub prompt_id: Option<String>,
    pub answers: Answers,
    /// On what ground the story may be kept, from the campaign's rule for the teller's age band.
    pub consent_basis: ConsentBasis,
    /// Danger signals in the scrubbed text: the teller sees where to get help, facilitators get
    /// the story on their "needs attention" list.
    pub safeguarding: safeguarding::Assessment,
}

/// Whether the teller's consent must be in the submission. Imports carry stories whose consent
/// was given where they were collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Required,
    GivenElsewhere,
}

/// Validates and scrubs a submission. Returns every problem at once, each naming its field.
pub fn prepare(
    campaign: &Campaign,
    sub: &Submission,
    form_lang: Lang,
    consent: Consent,
) -> Result<Prepared, Vec<FieldError>> {
    let def = &campaign.def;
    let mut errors = Vec::new();

    let text = match StoryText::parse(&sub.text, def.min_chars, def.max_chars) {
        Ok(t) => Some(t),
        Err(p) => {
            errors.push(FieldError::new("text", p));
            None
        }
    };
    let title = parse_title(sub.title.as_deref()).unwrap_or_else(|e| {
        errors.push(e);
        None
    });

    let perspective = match sub.perspective.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("perspective", Problem::ChooseOne));
            None
        }
        Some(p) => Perspective::parse(p).or_else(|| {
            errors.push(FieldError::new("perspective", Problem::UnknownOption { value: p.into() }));
            None
        }),
    };

    let age_band = match sub.age_band.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => match AgeBand::parse(a) {
            Some(band) if def.ask_age_band => Some(band),
            _ => {
                errors.push(FieldError::new("age_band", Problem::UnknownOption { value: a.into() }));
                None
            }
        },
    };

    let (region, municipality) = match sub.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(code) => match def.region {
            RegionField::Region if region::region(code).is_some() => (Some(code.to_string()), None),
            RegionField::Municipality if region::municipality(code).is_some() => {
                (None, Some(code.to_string()))
            }
            _ => {
                errors.push(FieldError::new("region", Problem::UnknownOption { value: code.into() }));
                (None, None)
            }
        },
    };

    let active: Vec<&str> = def.active_prompts().map(|p| p.id.as_str()).collect();
    let prompt_id = match sub.prompt.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) if active.contains(&p) => Some(p.to_string()),
        Some(p) => {
            errors.push(FieldError::new("prompt", Problem::UnknownOption { value: p.into() }));
            None
        }
        None if active.len() == 1 => Some(active[0].to_string()),
        None => {
            errors.push(FieldError::new("prompt", Problem::ChooseOne));
            None
        }
    };

    let answers = validate_answers(&def.signifiers, &sub.answers).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Answers::new()
    });

    // Which consent is needed follows the age band the teller chose (no band: their own).
    let consent_basis = def.consent_basis(age_band);
    if consent == Consent::Required {
        if consent_basis != ConsentBasis::LegalBasis && !sub.consent {
            errors.push(FieldError::new("consent", Problem::ConsentMissing));
        }
        if consent_basis == ConsentBasis::Guardian && !sub.guardian_consent {
            errors.push(FieldError::new("consent_guardian", Problem::GuardianConsentMissing));
        }
    }

    if !errors.is_empty() {
        errors.truncate(crate::domain::signifier::MAX_REPORTED);
        return Err(errors);
    }
    let (Some(text), Some(perspective)) = (text, perspective) else {
        unreachable!("missing text or perspective always produces an error")
    };

    let scrubbed = scrub::scrub(text.as_str());
    let danger = safeguarding::assess(&scrubbed.text);
    let title = title.map(|t| scrub::scrub(&t).text);
    let language = match sub.language.as_deref().map(str::trim) {
        Some(l) if is_language_code(l) => l.to_ascii_lowercase(),
        _ => language::detect(&scrubbed.text, form_lang.code()),
    };
    Ok(Prepared {
        scrubbed,
        title,
        language,
        perspective,
        age_band,
        region,
        municipality,
        prompt_id,
        answers,
        consent_basis,
        safeguarding: danger,
    })
}

/// Counts a stored story for `/metrics`; call it after the commit, never before.
pub fn count_accepted(source: StorySource) {
    crate::metrics::story_accepted(source.as_str());
}

/// Counts a refused submission for `/metrics`, by the code of its first problem (a stable,
/// small set of labels; the field name could be any signifier id).
pub fn count_refused(errors: &[FieldError]) {
    crate::metrics::story_refused(errors.first().map_or("invalid", |e| e.problem.code()));
}

/// Counts a submission refused for another reason than its content (`rate_limited`, `closed`).
pub fn count_refused_for(reason: &'static str) {
    crate::metrics::story_refused(reason);
}

/// ISO 639-1 or 639-3 code, as the API accepts it.
fn is_language_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

impl Prepared {
    /// Turns the prepared story into a row to insert.
    pub fn into_new_story(
        self,
        campaign: &Campaign,
        source: StorySource,
        receipt_hash: Option<String>,
        submission_key: Option<String>,
        external_id: Option<String>,
        created_at: OffsetDateTime,
    ) -> NewStory {
        NewStory {
            id: uuid::Uuid::new_v4().to_string(),
            campaign_id: campaign.id.clone(),
            external_id,
            title: self.title,
            text: self.scrubbed.text,
            language: self.language,
            perspective: self.perspective,
            age_band: self.age_band,
            region: self.region,
            municipality: self.municipality,
            prompt_id: self.prompt_id,
            answers: self.answers,
            receipt_hash,
            submission_key,
            source,
            form_version: campaign.form_version,
            created_at,
            safeguarding: self.safeguarding.signals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::ConsentRule;
    use crate::domain::{CampaignDef, Localized};
    use serde_json::json;

    fn campaign() -> Campaign {
        let def = CampaignDef::from_toml(include_str!("../campaigns/eigen-netwerk.toml")).unwrap();
        let now = OffsetDateTime::now_utc();
        Campaign { id: "c1".into(), def, form_version: 3, created_at: now, updated_at: now }
    }

    fn good() -> Submission {
        let mut answers = BTreeMap::new();
        answers.insert("gevoel".to_string(), json!("blij"));
        answers.insert("wat_hielp".to_string(), json!([50, 25, 25]));
        Submission {
            text: "Mijn buurvrouw hielp me met mijn huiswerk toen het thuis even niet ging.".into(),
            perspective: Some("youth".into()),
            age_band: Some("16-17".into()),
            region: Some("JZ01".into()),
            prompt: Some("zelf-geregeld".into()),
            consent: true,
            answers,
            ..Submission::default()
        }
    }

    #[test]
    fn good_submission_is_prepared_and_scrubbed() {
        let mut sub = good();
        sub.text.push_str(" Bel me op 06-12345678 als je vragen hebt.");
        let p = prepare(&campaign(), &sub, Lang::Nl, Consent::Required).unwrap();
        assert!(p.scrubbed.text.contains("[telefoon]"), "{}", p.scrubbed.text);
        assert!(!p.scrubbed.text.contains("12345678"));
        assert_eq!(p.language, "nl");
        assert_eq!(p.region.as_deref(), Some("JZ01"));
        let story =
            p.into_new_story(&campaign(), StorySource::Form, None, None, None, OffsetDateTime::now_utc());
        assert_eq!(story.form_version, 3);
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let sub = Submission {
            text: "kort".into(),
            perspective: None,
            region: Some("JZ40".into()),
            prompt: Some("zelf-geregeld".into()),
            ..Submission::default()
        };
        let errs = prepare(&campaign(), &sub, Lang::Nl, Consent::Required).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["text", "perspective", "region", "answers.gevoel", "consent"]);
    }

    #[test]
    fn import_does_not_need_consent_in_the_line() {
        let mut sub = good();
        sub.consent = false;
        assert!(prepare(&campaign(), &sub, Lang::Nl, Consent::GivenElsewhere).is_ok());
        assert!(prepare(&campaign(), &sub, Lang::Nl, Consent::Required).is_err());
    }

    #[test]
    fn an_age_band_with_guardian_consent_needs_both_ticks_and_a_legal_basis_needs_none() {
        let mut c = campaign();
        c.def.consent_by_age = vec![
            ConsentRule {
                age_bands: vec!["12-15".into()],
                basis: ConsentBasis::Guardian,
                text: Localized::default(),
            },
            ConsentRule {
                age_bands: vec!["u12".into()],
                basis: ConsentBasis::LegalBasis,
                text: Localized::new("Wettelijke taak", ""),
            },
        ];
        let mut sub = good();
        sub.age_band = Some("12-15".into());
        let errs = prepare(&c, &sub, Lang::Nl, Consent::Required).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["consent_guardian"]);
        sub.guardian_consent = true;
        let p = prepare(&c, &sub, Lang::Nl, Consent::Required).unwrap();
        assert_eq!(p.consent_basis, ConsentBasis::Guardian);
        sub.age_band = Some("u12".into());
        sub.consent = false;
        sub.guardian_consent = false;
        assert_eq!(
            prepare(&c, &sub, Lang::Nl, Consent::Required).unwrap().consent_basis,
            ConsentBasis::LegalBasis
        );
        sub.age_band = Some("16-17".into());
        let errs = prepare(&c, &sub, Lang::Nl, Consent::Required).unwrap_err();
        assert_eq!(errs[0].field, "consent", "16 and older consent themselves");
    }

    #[test]
    fn campaign_with_two_prompts_asks_which_one() {
        let mut sub = good();
        sub.prompt = None;
        let errs = prepare(&campaign(), &sub, Lang::Nl, Consent::Required).unwrap_err();
        assert_eq!(errs[0].field, "prompt");
    }
}
