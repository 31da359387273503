//! Campaigns: one listening effort with one form and a policy question. Defined in a TOML file
//! (or, later, in the browser), validated here, and merged on update so that editing a form
//! after stories exist never breaks the answers already stored.

use super::signifier::{Signifier, SignifierKind};
use super::story::AgeBand;
use super::{Lang, Localized};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashSet;
use std::fmt;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    #[default]
    Draft,
    Open,
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(CampaignStatus::Draft),
            "open" => Some(CampaignStatus::Open),
            "closed" => Some(CampaignStatus::Closed),
            _ => None,
        }
    }
}

/// Which place question the form asks, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionField {
    None,
    /// One of the 42 youth-care regions.
    #[default]
    Region,
    /// One of the municipalities (stored as its CBS code).
    Municipality,
}

/// A prompt: the invitation to tell a story. With several prompts the teller picks one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    pub id: String,
    pub text: Localized,
    #[serde(default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The full definition of a campaign and its form, as written in a campaign TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignDef {
    pub slug: String,
    #[serde(default)]
    pub status: CampaignStatus,
    #[serde(default = "default_languages")]
    pub languages: Vec<Lang>,
    #[serde(default, with = "date_opt", skip_serializing_if = "Option::is_none")]
    pub opens: Option<Date>,
    #[serde(default, with = "date_opt", skip_serializing_if = "Option::is_none")]
    pub closes: Option<Date>,
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    #[serde(default = "default_min_chars")]
    pub min_chars: usize,
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    #[serde(default = "default_true")]
    pub ask_age_band: bool,
    #[serde(default)]
    pub region: RegionField,
    pub title: Localized,
    #[serde(default)]
    pub policy_question: Localized,
    #[serde(default)]
    pub intro: Localized,
    /// Overrides the standard consent statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Localized>,
    /// Who collects the stories and how a teller reaches them; shown on the form and receipt.
    #[serde(default, skip_serializing_if = "Responsible::is_empty")]
    pub responsible: Responsible,
    /// How consent works per age band; bands without a rule give their own consent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent_by_age: Vec<ConsentRule>,
    pub prompts: Vec<Prompt>,
    #[serde(default)]
    pub signifiers: Vec<Signifier>,
}

/// The organisation responsible for the stories (the controller under the GDPR), a contact for
/// questions and complaints, and where its privacy statement is. Required to open a campaign,
/// optional in a draft so that old campaign files keep loading.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responsible {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    /// An e-mail address, phone number or web address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    /// The privacy statement in short, in plain words.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub privacy_text: Localized,
}

impl Responsible {
    pub fn is_empty(&self) -> bool {
        self.organisation.trim().is_empty()
            && self.contact.trim().is_empty()
            && self.privacy_url.is_none()
            && self.privacy_text.is_empty()
    }

    /// A link for the contact: `mailto:`, `tel:` or the web address itself.
    pub fn contact_href(&self) -> Option<String> {
        let c = self.contact.trim();
        if c.contains('@') && !c.contains(' ') {
            Some(format!("mailto:{c}"))
        } else if c.starts_with("https://") || c.starts_with("http://") {
            Some(c.to_string())
        } else if !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || " -+()".contains(ch)) {
            Some(format!(
                "tel:{}",
                c.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect::<String>()
            ))
        } else {
            None
        }
    }
}

/// On what ground a story of a teller in an age band may be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentBasis {
    /// The teller consents themselves (the standard).
    Own,
    /// The teller and a parent or guardian both consent (under 16 in the Netherlands, GDPR art. 8).
    Guardian,
    /// No consent is asked; the campaign explains the legal basis (for example a public task).
    LegalBasis,
}

impl ConsentBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentBasis::Own => "own",
            ConsentBasis::Guardian => "guardian",
            ConsentBasis::LegalBasis => "legal_basis",
        }
    }
}

/// How consent works for some age bands (`age_bands` are codes such as `"12-15"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRule {
    pub age_bands: Vec<String>,
    pub basis: ConsentBasis,
    /// What the teller reads for this band: the consent statement, or the legal basis explained.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub text: Localized,
}

impl ConsentRule {
    pub fn covers(&self, band: AgeBand) -> bool {
        self.age_bands.iter().any(|b| b == band.code())
    }
}

fn default_languages() -> Vec<Lang> {
    vec![Lang::Nl]
}
fn default_retention() -> u32 {
    730
}
fn default_min_chars() -> usize {
    20
}
fn default_max_chars() -> usize {
    20_000
}
fn default_true() -> bool {
    true
}

/// Longest story the service accepts at all, whatever a campaign says; keeps request bodies and
/// index documents bounded.
pub const MAX_CHARS_CEILING: usize = 100_000;

/// A problem in a campaign definition, with what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DefinitionError(pub String);

impl CampaignDef {
    /// Parses and validates a campaign TOML file.
    pub fn from_toml(text: &str) -> Result<CampaignDef, DefinitionError> {
        let def: CampaignDef =
            toml::from_str(text).map_err(|e| DefinitionError(format!("campaign file: {e}")))?;
        def.validate()?;
        if def.status == CampaignStatus::Open {
            def.ready_to_open()?;
        }
        Ok(def)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("campaign definitions always serialise")
    }

    pub fn validate(&self) -> Result<(), DefinitionError> {
        let fail = |m: String| Err(DefinitionError(m));
        if !is_slug(&self.slug) {
            return fail(format!(
                "slug '{}' is not usable in a link: use 2 to 64 lowercase letters, digits and '-'",
                self.slug
            ));
        }
        if self.languages.is_empty() {
            return fail("languages: list at least one language (nl, en)".into());
        }
        if self.min_chars == 0 || self.min_chars >= self.max_chars {
            return fail(format!(
                "min_chars ({}) must be at least 1 and below max_chars ({})",
                self.min_chars, self.max_chars
            ));
        }
        if self.max_chars > MAX_CHARS_CEILING {
            return fail(format!("max_chars may be at most {MAX_CHARS_CEILING}"));
        }
        if self.retention_days == 0 {
            return fail("retention_days must be at least 1".into());
        }
        if let (Some(o), Some(c)) = (self.opens, self.closes)
            && c < o
        {
            return fail(format!("closes ({c}) is before opens ({o})"));
        }
        for lang in &self.languages {
            if !self.title.has(*lang) {
                return fail(format!("title: give a {lang} text, the form is offered in {lang}"));
            }
        }
        self.validate_responsible()?;
        self.validate_consent_rules()?;
        let active_prompts: Vec<_> = self.prompts.iter().filter(|p| !p.retired).collect();
        if active_prompts.is_empty() {
            return fail("prompts: add at least one prompt (the invitation to tell a story)".into());
        }
        let mut ids = HashSet::new();
        for p in &self.prompts {
            if !is_id(&p.id) || !ids.insert(p.id.as_str()) {
                return fail(format!("prompt id '{}' must be unique: letters, digits, '_' or '-'", p.id));
            }
            if p.text.is_empty() {
                return fail(format!("prompt '{}' has no text", p.id));
            }
        }
        let mut ids = HashSet::new();
        for s in &self.signifiers {
            if !is_id(&s.id) || !ids.insert(s.id.as_str()) {
                return fail(format!("signifier id '{}' must be unique: letters, digits, '_' or '-'", s.id));
            }
            if s.question.is_empty() {
                return fail(format!("signifier '{}' has no question", s.id));
            }
            match &s.kind {
                SignifierKind::Triad { corners } => {
                    if corners.iter().any(Localized::is_empty) {
                        return fail(format!("triad '{}': every corner needs a label", s.id));
                    }
                }
                SignifierKind::Dyad { poles } => {
                    if poles.iter().any(Localized::is_empty) {
                        return fail(format!("dyad '{}': both poles need a label", s.id));
                    }
                }
                SignifierKind::Choice { options, .. } => {
                    let mut oids = HashSet::new();
                    if options.iter().filter(|o| !o.retired).count() < 2 {
                        return fail(format!("choice '{}': give at least two options", s.id));
                    }
                    for o in options {
                        if !is_id(&o.id) || !oids.insert(o.id.as_str()) {
                            return fail(format!(
                                "choice '{}': option id '{}' must be unique: letters, digits, '_' or '-'",
                                s.id, o.id
                            ));
                        }
                        if o.label.is_empty() {
                            return fail(format!("choice '{}': option '{}' needs a label", s.id, o.id));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn validate_responsible(&self) -> Result<(), DefinitionError> {
        let r = &self.responsible;
        if let Some(url) = &r.privacy_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(DefinitionError(format!(
                "responsible.privacy_url '{url}' must be a web address starting with https://"
            )));
        }
        if !r.contact.trim().is_empty() && r.contact_href().is_none() {
            return Err(DefinitionError(format!(
                "responsible.contact '{}' must be an e-mail address, a phone number or a web address starting with https://",
                r.contact
            )));
        }
        Ok(())
    }

    fn validate_consent_rules(&self) -> Result<(), DefinitionError> {
        let fail = |m: String| Err(DefinitionError(m));
        let mut seen = HashSet::new();
        for rule in &self.consent_by_age {
            if rule.age_bands.is_empty() {
                return fail("consent_by_age: every rule lists at least one age band in age_bands".into());
            }
            for band in &rule.age_bands {
                if AgeBand::parse(band).is_none() {
                    let codes: Vec<_> = AgeBand::ALL.iter().map(|a| a.code()).collect();
                    return fail(format!(
                        "consent_by_age: '{band}' is not an age band; use one of {}",
                        codes.join(", ")
                    ));
                }
                if !seen.insert(band.as_str()) {
                    return fail(format!("consent_by_age: age band '{band}' has more than one rule"));
                }
            }
            if rule.basis == ConsentBasis::LegalBasis && rule.text.is_empty() {
                return fail(format!(
                    "consent_by_age: the legal_basis rule for {} needs a text that explains the legal basis to the teller",
                    rule.age_bands.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// What a campaign must say before it takes stories: who is responsible and how to reach
    /// them. A draft may lack it; opening one without it is refused with what to add.
    pub fn ready_to_open(&self) -> Result<(), DefinitionError> {
        let r = &self.responsible;
        let mut missing = Vec::new();
        if r.organisation.trim().is_empty() {
            missing.push("organisation = \"<who collects the stories>\"");
        }
        if r.contact.trim().is_empty() {
            missing.push("contact = \"<e-mail, phone or web address for questions>\"");
        }
        if r.privacy_url.is_none() && r.privacy_text.is_empty() {
            missing.push("privacy_url = \"https://...\" or a privacy_text");
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(DefinitionError(format!(
            "an open campaign tells storytellers who collects their story and how to reach them: add to [responsible] {} (see docs/campaigns.md)",
            missing.join(", ")
        )))
    }

    /// Which consent basis applies to a teller in this age band (none given: their own consent).
    pub fn consent_basis(&self, band: Option<AgeBand>) -> ConsentBasis {
        self.consent_rule(band).map(|r| r.basis).unwrap_or(ConsentBasis::Own)
    }

    pub fn consent_rule(&self, band: Option<AgeBand>) -> Option<&ConsentRule> {
        let band = band?;
        self.consent_by_age.iter().find(|r| r.covers(band))
    }

    /// Applies an edited definition on top of the stored one. Signifiers, options and prompts
    /// that disappear are kept as `retired`, so stored answers stay readable; a signifier whose
    /// kind changes is refused, because its stored answers would no longer fit.
    pub fn merged_update(&self, mut new: CampaignDef) -> Result<CampaignDef, DefinitionError> {
        if new.slug != self.slug {
            return Err(DefinitionError(format!(
                "slug changed from '{}' to '{}': links already shared would break; create a new campaign instead",
                self.slug, new.slug
            )));
        }
        for old in &self.signifiers {
            match new.signifiers.iter_mut().find(|s| s.id == old.id) {
                None => {
                    let mut kept = old.clone();
                    kept.retired = true;
                    new.signifiers.push(kept);
                }
                Some(cur) => {
                    if cur.kind.name() != old.kind.name() {
                        return Err(DefinitionError(format!(
                            "signifier '{}' changed from {} to {}: stored answers would no longer fit; give the new question a new id",
                            old.id,
                            old.kind.name(),
                            cur.kind.name()
                        )));
                    }
                    if let (
                        SignifierKind::Choice { options: old_opts, .. },
                        SignifierKind::Choice { options: new_opts, .. },
                    ) = (&old.kind, &mut cur.kind)
                    {
                        for o in old_opts {
                            if !new_opts.iter().any(|n| n.id == o.id) {
                                let mut kept = o.clone();
                                kept.retired = true;
                                new_opts.push(kept);
                            }
                        }
                    }
                }
            }
        }
        for old in &self.prompts {
            if !new.prompts.iter().any(|p| p.id == old.id) {
                let mut kept = old.clone();
                kept.retired = true;
                new.prompts.push(kept);
            }
        }
        new.validate()?;
        Ok(new)
    }

    pub fn active_signifiers(&self) -> impl Iterator<Item = &Signifier> {
        self.signifiers.iter().filter(|s| !s.retired)
    }

    pub fn active_prompts(&self) -> impl Iterator<Item = &Prompt> {
        self.prompts.iter().filter(|p| !p.retired)
    }

    pub fn signifier(&self, id: &str) -> Option<&Signifier> {
        self.signifiers.iter().find(|s| s.id == id)
    }

    pub fn offers(&self, lang: Lang) -> bool {
        self.languages.contains(&lang)
    }

    /// The language to show: the requested one if the form offers it, else the form's first.
    pub fn pick_lang(&self, wanted: Lang) -> Lang {
        if self.offers(wanted) { wanted } else { self.languages[0] }
    }
}

/// Whether a campaign takes stories right now, and if not, why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    Draft,
    NotYetOpen(Date),
    Closed,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: String,
    pub def: CampaignDef,
    /// Goes up by one on every saved change of the definition; each story records the version
    /// it was told with.
    pub form_version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Campaign {
    pub fn slug(&self) -> &str {
        &self.def.slug
    }

    pub fn availability(&self, today: Date) -> Availability {
        match self.def.status {
            CampaignStatus::Draft => Availability::Draft,
            CampaignStatus::Closed => Availability::Closed,
            CampaignStatus::Open => match (self.def.opens, self.def.closes) {
                (Some(o), _) if today < o => Availability::NotYetOpen(o),
                (_, Some(c)) if today > c => Availability::Closed,
                _ => Availability::Open,
            },
        }
    }
}

impl fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a slug is usable in a link: 2 to 64 of `a-z`, `0-9` and `-`, not starting or ending
/// with `-`.
pub fn is_slug(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Whether an id of a prompt, signifier or option is valid: 1 to 64 of `A-Za-z0-9_-`.
pub fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Dates are written as TOML dates in campaign files (`opens = 2025-01-01`) and as
/// "YYYY-MM-DD" strings in JSON; this accepts both.
mod date_opt {
    use super::*;
    use time::format_description::well_known::Iso8601;
    use time::macros::format_description;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(
                &d.format(format_description!("[year]-[month]-[day]")).map_err(serde::ser::Error::custom)?,
            ),
            None => s.serialize_none(),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let raw: Option<Raw> = Option::deserialize(d)?;
        let text = match raw {
            None => return Ok(None),
            Some(Raw::Text(t)) => t,
            Some(Raw::Toml(t)) => t.to_string(),
        };
        let text = text.get(..10).unwrap_or(&text);
        Date::parse(text, &Iso8601::DATE)
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("'{text}' is not a date like 2025-01-31")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signifier::Answer;
    use serde_json::json;

    pub(crate) const DEMO: &str = include_str!("../../campaigns/eigen-netwerk.toml");

    #[test]
    fn demo_campaign_file_is_valid_and_bilingual() {
        let def = CampaignDef::from_toml(DEMO).unwrap();
        assert_eq!(def.slug, "eigen-netwerk");
        assert_eq!(def.languages, vec![Lang::Nl, Lang::En]);
        assert_eq!(def.opens.unwrap().to_string(), "2025-01-01");
        assert!(def.signifiers.len() >= 5);
        for s in &def.signifiers {
            assert!(s.question.has(Lang::Nl) && s.question.has(Lang::En), "{}", s.id);
        }
    }

    #[test]
    fn definition_round_trips_through_toml_and_json() {
        let def = CampaignDef::from_toml(DEMO).unwrap();
        let again = CampaignDef::from_toml(&def.to_toml()).unwrap();
        assert_eq!(again, def);
        let json = serde_json::to_string(&def).unwrap();
        let back: CampaignDef = serde_json::from_str(&json).unwrap();
        assert_eq!(back, def);
    }

    #[test]
    fn removing_a_signifier_keeps_it_retired_so_old_answers_stay_readable() {
        let old = CampaignDef::from_toml(DEMO).unwrap();
        let mut edited = old.clone();
        edited.signifiers.retain(|s| s.id != "regie");
        if let Some(SignifierKind::Choice { options, .. }) =
            edited.signifiers.iter_mut().find(|s| s.id == "gevoel").map(|s| &mut s.kind)
        {
            options.retain(|o| o.id != "boos");
        }
        let merged = old.merged_update(edited).unwrap();
        let regie = merged.signifier("regie").unwrap();
        assert!(regie.retired);
        assert!(merged.active_signifiers().all(|s| s.id != "regie"));
        let gevoel = merged.signifier("gevoel").unwrap();
        assert_eq!(gevoel.option_label("boos").unwrap().nl, "boos");
        // A new story can no longer choose the removed option.
        assert!(gevoel.validate(Some(&json!("boos"))).is_err());
        assert_eq!(gevoel.validate(Some(&json!("blij"))).unwrap(), Some(Answer::Single("blij".into())));
    }

    #[test]
    fn changing_a_signifier_kind_is_refused_with_advice() {
        let old = CampaignDef::from_toml(DEMO).unwrap();
        let mut edited = old.clone();
        let s = edited.signifiers.iter_mut().find(|s| s.id == "regie").unwrap();
        s.kind = SignifierKind::Triad {
            corners: [Localized::new("a", ""), Localized::new("b", ""), Localized::new("c", "")],
        };
        let err = old.merged_update(edited).unwrap_err();
        assert!(err.0.contains("new id"), "{err}");
    }

    #[test]
    fn bad_definitions_say_what_to_change() {
        let bad = DEMO.replace("slug = \"eigen-netwerk\"", "slug = \"Eigen Netwerk\"");
        assert!(CampaignDef::from_toml(&bad).unwrap_err().0.contains("lowercase"));
        let bad = DEMO.replace("min_chars = 20", "min_chars = 30000");
        assert!(CampaignDef::from_toml(&bad).unwrap_err().0.contains("min_chars"));
        let bad = DEMO.replace("id = \"blij\"", "id = \"opgelucht\"");
        assert!(CampaignDef::from_toml(&bad).unwrap_err().0.contains("unique"));
    }

    #[test]
    fn an_old_campaign_file_loads_as_a_draft_but_opening_it_says_who_must_be_named() {
        let start = DEMO.find("[responsible]").unwrap();
        let end = DEMO.find("[title]").unwrap();
        let old = format!("{}{}", &DEMO[..start], &DEMO[end..]);
        let draft = old.replace("status = \"open\"", "status = \"draft\"");
        let def = CampaignDef::from_toml(&draft).unwrap();
        assert!(def.responsible.is_empty());
        assert!(def.consent_by_age.is_empty(), "without rules everyone consents themselves");
        assert_eq!(def.consent_basis(Some(AgeBand::From12To15)), ConsentBasis::Own);
        let err = CampaignDef::from_toml(&old).unwrap_err().0;
        for needle in ["[responsible]", "organisation", "contact", "privacy_url", "docs/campaigns.md"] {
            assert!(err.contains(needle), "{err}");
        }
        assert!(def.ready_to_open().is_err());
        assert!(CampaignDef::from_toml(DEMO).unwrap().ready_to_open().is_ok());
    }

    #[test]
    fn consent_rules_name_real_age_bands_once_and_a_legal_basis_is_explained() {
        let def = CampaignDef::from_toml(DEMO).unwrap();
        assert_eq!(def.consent_basis(Some(AgeBand::From12To15)), ConsentBasis::Guardian);
        assert_eq!(def.consent_basis(Some(AgeBand::From16To17)), ConsentBasis::Own);
        assert_eq!(def.consent_basis(None), ConsentBasis::Own);
        let bad = DEMO.replace("age_bands = [\"u12\", \"12-15\"]", "age_bands = [\"12-16\"]");
        assert!(CampaignDef::from_toml(&bad).unwrap_err().0.contains("'12-16' is not an age band"));
        let mut twice = def.clone();
        twice.consent_by_age.push(twice.consent_by_age[0].clone());
        assert!(twice.validate().unwrap_err().0.contains("more than one rule"));
        let mut legal = def.clone();
        legal.consent_by_age[0].basis = ConsentBasis::LegalBasis;
        legal.consent_by_age[0].text = Localized::default();
        assert!(legal.validate().unwrap_err().0.contains("explains the legal basis"));
        let bad = DEMO.replace("contact = \"privacy@", "contact = \"bel maar \"\n# ");
        assert!(CampaignDef::from_toml(&bad).unwrap_err().0.contains("responsible.contact"));
    }

    #[test]
    fn availability_follows_status_and_dates() {
        let def = CampaignDef::from_toml(DEMO).unwrap();
        let now = OffsetDateTime::now_utc();
        let c = Campaign { id: "x".into(), def, form_version: 1, created_at: now, updated_at: now };
        use time::macros::date;
        assert_eq!(c.availability(date!(2026 - 06 - 01)), Availability::Open);
        assert_eq!(c.availability(date!(2024 - 06 - 01)), Availability::NotYetOpen(date!(2025 - 01 - 01)));
        assert_eq!(c.availability(date!(2028 - 06 - 01)), Availability::Closed);
    }
}
