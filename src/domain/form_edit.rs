//! Editing a campaign and its form in the browser, one change at a time: new campaign, settings,
//! adding or moving a prompt or signifier, relabelling options. Pure: the workspace reads the
//! stored definition, applies one of these changes and saves the result through the store, which
//! merges it with what is stored (`CampaignDef::merged_update`). Messages are in Dutch for
//! facilitators and say how to fix the problem; the field keys match the workspace forms.

use super::campaign::{CampaignDef, CampaignStatus, MAX_CHARS_CEILING, Prompt, RegionField, is_id, is_slug};
use super::signifier::{ChoiceOption, Signifier, SignifierKind};
use super::{Lang, Localized};
use time::Date;
use time::format_description::well_known::Iso8601;
use time::macros::format_description;

/// A problem with one field of an editing form: the field's key and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub field: String,
    pub message: String,
}

impl EditError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> EditError {
        EditError { field: field.into(), message: message.into() }
    }
}

/// Every problem of one posted form, so the facilitator can fix them all at once.
pub type EditResult = Result<(), Vec<EditError>>;

/// Slugs the workspace uses for its own pages under `/manage/campaigns/`; a campaign with such a
/// slug could not be managed in the browser.
pub const RESERVED_SLUGS: &[&str] = &["new"];

/// Which way to move an item in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// Which status changes the workspace offers: a draft opens, an open campaign closes, and a
/// closed one may open again. Back to draft is not offered: stories may already exist.
pub fn status_change_allowed(from: CampaignStatus, to: CampaignStatus) -> bool {
    use CampaignStatus::*;
    matches!((from, to), (Draft, Open) | (Open, Closed) | (Closed, Open))
}

/// Checks a slug for a new campaign.
pub fn check_slug(raw: &str) -> Result<String, String> {
    let slug = raw.trim();
    if slug.is_empty() {
        return Err("Geef de campagne een korte naam voor de link, bijvoorbeeld jeugd-utrecht-2026.".into());
    }
    if !is_slug(slug) {
        return Err(format!(
            "'{slug}' kan niet in een link: gebruik 2 tot 64 kleine letters, cijfers en streepjes (-), zonder spaties en niet beginnend of eindigend met een streepje."
        ));
    }
    if RESERVED_SLUGS.contains(&slug) {
        return Err(format!("'{slug}' is gereserveerd voor de werkplek zelf. Kies een andere naam."));
    }
    Ok(slug.to_string())
}

/// Checks the id of a new prompt, signifier or option. Ids are stable keys that stored stories
/// refer to, so an id that was ever used, also by something removed since, stays taken.
pub fn check_new_id<'a>(raw: &str, taken: impl IntoIterator<Item = &'a str>) -> Result<String, String> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(
            "Geef een id: een korte naam zonder spaties, zoals wat_hielp. De id verandert later niet meer."
                .into(),
        );
    }
    if !is_id(id) {
        return Err(format!(
            "'{id}' kan geen id zijn: gebruik alleen letters, cijfers, '_' en '-' (hooguit 64 tekens), zonder spaties."
        ));
    }
    if taken.into_iter().any(|t| t == id) {
        return Err(format!(
            "De id '{id}' is al gebruikt in dit formulier (ook iets dat verwijderd is houdt zijn id, zodat oude antwoorden leesbaar blijven). Kies een andere id."
        ));
    }
    Ok(id.to_string())
}

/// The campaign settings as typed in the settings form (and the first part of the new-campaign
/// form). Kept as text, so a form with mistakes can be shown again exactly as it was typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsInput {
    pub title: Localized,
    pub policy_question: Localized,
    pub intro: Localized,
    /// Language codes that were ticked.
    pub languages: Vec<String>,
    pub opens: String,
    pub closes: String,
    pub retention_days: String,
    pub min_chars: String,
    pub max_chars: String,
    pub ask_age_band: bool,
    /// `none`, `region` or `municipality`.
    pub region: String,
}

/// Dates as the browser's date field sends them (2025-01-31), or as people type them in a
/// plain text field (31-01-2025).
fn parse_date(raw: &str) -> Option<Date> {
    let s = raw.trim();
    Date::parse(s, &Iso8601::DATE)
        .ok()
        .or_else(|| Date::parse(s, format_description!("[day]-[month]-[year]")).ok())
}

/// A date as the settings form shows it.
pub fn format_date(d: Option<Date>) -> String {
    d.and_then(|d| d.format(format_description!("[year]-[month]-[day]")).ok()).unwrap_or_default()
}

fn parse_count(raw: &str) -> Option<u64> {
    raw.trim().replace(['.', ' '], "").parse().ok()
}

fn region_code(r: RegionField) -> &'static str {
    match r {
        RegionField::None => "none",
        RegionField::Region => "region",
        RegionField::Municipality => "municipality",
    }
}

impl SettingsInput {
    /// The stored settings, to fill the form.
    pub fn from_def(def: &CampaignDef) -> SettingsInput {
        SettingsInput {
            title: def.title.clone(),
            policy_question: def.policy_question.clone(),
            intro: def.intro.clone(),
            languages: def.languages.iter().map(|l| l.code().to_string()).collect(),
            opens: format_date(def.opens),
            closes: format_date(def.closes),
            retention_days: def.retention_days.to_string(),
            min_chars: def.min_chars.to_string(),
            max_chars: def.max_chars.to_string(),
            ask_age_band: def.ask_age_band,
            region: region_code(def.region).into(),
        }
    }

    /// Writes the settings into a definition; on problems the definition may be half changed,
    /// so callers apply this to a copy.
    pub fn apply(&self, def: &mut CampaignDef) -> EditResult {
        let mut errors = Vec::new();
        let mut languages: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|l| self.languages.iter().any(|c| c.trim().eq_ignore_ascii_case(l.code())))
            .collect();
        languages.dedup();
        if languages.is_empty() {
            errors.push(EditError::new(
                "languages",
                "Kies minstens één taal waarin het formulier wordt aangeboden.",
            ));
        }
        let trimmed = |l: &Localized| Localized::new(l.nl.trim(), l.en.trim());
        let title = trimmed(&self.title);
        for lang in &languages {
            if !title.has(*lang) {
                let (field, message) = match lang {
                    Lang::Nl => (
                        "title_nl",
                        "Geef een Nederlandse titel: het formulier wordt in het Nederlands aangeboden.",
                    ),
                    Lang::En => (
                        "title_en",
                        "Geef een Engelse titel: het formulier wordt in het Engels aangeboden. Of vink Engels uit.",
                    ),
                };
                errors.push(EditError::new(field, message));
            }
        }
        if languages.is_empty() && title.is_empty() {
            errors.push(EditError::new("title_nl", "Geef de campagne een titel."));
        }
        let opens = match self.opens.trim() {
            "" => None,
            s => {
                match parse_date(s) {
                    Some(d) => Some(d),
                    None => {
                        errors.push(EditError::new(
                        "opens",
                        format!("'{s}' is geen datum. Vul een datum in zoals 2026-01-31, of laat het veld leeg."),
                    ));
                        None
                    }
                }
            }
        };
        let closes = match self.closes.trim() {
            "" => None,
            s => {
                match parse_date(s) {
                    Some(d) => Some(d),
                    None => {
                        errors.push(EditError::new(
                        "closes",
                        format!("'{s}' is geen datum. Vul een datum in zoals 2026-12-31, of laat het veld leeg."),
                    ));
                        None
                    }
                }
            }
        };
        if let (Some(o), Some(c)) = (opens, closes)
            && c < o
        {
            errors.push(EditError::new(
                "closes",
                format!("De einddatum ({c}) ligt voor de begindatum ({o}). Kies een einddatum op of na de begindatum."),
            ));
        }
        let retention = parse_count(&self.retention_days).filter(|d| (1..=36_500).contains(d));
        if retention.is_none() {
            errors.push(EditError::new(
                "retention_days",
                "Vul in hoeveel dagen verhalen bewaard blijven: een heel getal van 1 tot 36500, bijvoorbeeld 730 voor twee jaar.",
            ));
        }
        let min = parse_count(&self.min_chars).filter(|n| *n >= 1);
        if min.is_none() {
            errors.push(EditError::new(
                "min_chars",
                "Vul het kleinste aantal tekens van een verhaal in: een heel getal, minstens 1 (standaard 20).",
            ));
        }
        let max = parse_count(&self.max_chars).filter(|n| *n as usize <= MAX_CHARS_CEILING && *n >= 2);
        if max.is_none() {
            errors.push(EditError::new(
                "max_chars",
                format!(
                    "Vul het grootste aantal tekens van een verhaal in: een heel getal tot en met {MAX_CHARS_CEILING} (standaard 20000)."
                ),
            ));
        }
        if let (Some(min), Some(max)) = (min, max)
            && min >= max
        {
            errors.push(EditError::new(
                "min_chars",
                format!("Het kleinste aantal tekens ({min}) moet lager zijn dan het grootste ({max})."),
            ));
        }
        let region = match self.region.trim() {
            "none" => Some(RegionField::None),
            "region" => Some(RegionField::Region),
            "municipality" => Some(RegionField::Municipality),
            _ => None,
        };
        if region.is_none() {
            errors.push(EditError::new(
                "region",
                "Kies of het formulier naar de regio of de gemeente vraagt, of naar geen van beide.",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        def.title = title;
        def.policy_question = trimmed(&self.policy_question);
        def.intro = trimmed(&self.intro);
        def.languages = languages;
        def.opens = opens;
        def.closes = closes;
        def.retention_days = retention.unwrap_or_default() as u32;
        def.min_chars = min.unwrap_or_default() as usize;
        def.max_chars = max.unwrap_or_default() as usize;
        def.ask_age_band = self.ask_age_band;
        def.region = region.unwrap_or_default();
        Ok(())
    }
}

/// Which settings differ between two definitions, by key, for the audit log (ids of fields,
/// never their text).
pub fn changed_settings(old: &CampaignDef, new: &CampaignDef) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |key: &'static str, differs: bool| {
        if differs {
            changed.push(key);
        }
    };
    check("title", old.title != new.title);
    check("policy_question", old.policy_question != new.policy_question);
    check("intro", old.intro != new.intro);
    check("languages", old.languages != new.languages);
    check("opens", old.opens != new.opens);
    check("closes", old.closes != new.closes);
    check("retention_days", old.retention_days != new.retention_days);
    check("min_chars", old.min_chars != new.min_chars);
    check("max_chars", old.max_chars != new.max_chars);
    check("ask_age_band", old.ask_age_band != new.ask_age_band);
    check("region", old.region != new.region);
    changed
}

/// The new-campaign form: slug, settings and the first prompt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCampaignInput {
    pub slug: String,
    pub settings: SettingsInput,
    pub prompt_id: String,
    pub prompt: Localized,
}

impl NewCampaignInput {
    /// A new definition, as a draft with the one prompt and no signifiers yet.
    pub fn to_def(&self) -> Result<CampaignDef, Vec<EditError>> {
        let mut errors = Vec::new();
        let slug =
            check_slug(&self.slug).map_err(|m| errors.push(EditError::new("slug", m))).unwrap_or_default();
        let mut def = CampaignDef {
            slug,
            status: CampaignStatus::Draft,
            languages: vec![Lang::Nl],
            opens: None,
            closes: None,
            retention_days: 730,
            min_chars: 20,
            max_chars: 20_000,
            ask_age_band: true,
            region: RegionField::Region,
            title: Localized::default(),
            policy_question: Localized::default(),
            intro: Localized::default(),
            consent: None,
            responsible: Default::default(),
            consent_by_age: Vec::new(),
            prompts: Vec::new(),
            signifiers: Vec::new(),
        };
        if let Err(mut e) = self.settings.apply(&mut def) {
            errors.append(&mut e);
        }
        if let Err(mut e) = add_prompt(&mut def, &self.prompt_id, &self.prompt) {
            errors.append(&mut e);
        }
        if errors.is_empty() { Ok(def) } else { Err(errors) }
    }
}

fn trimmed(l: &Localized) -> Localized {
    Localized::new(l.nl.trim(), l.en.trim())
}

/// Moves `items[index]` past its nearest active neighbour in `dir`. Retired items stay where
/// they are: they are not on the form, so moving past one would look like nothing happened.
fn move_among<T>(items: &mut [T], index: usize, dir: Direction, active: impl Fn(&T) -> bool) -> bool {
    let neighbour = match dir {
        Direction::Up => (0..index).rev().find(|&i| active(&items[i])),
        Direction::Down => (index + 1..items.len()).find(|&i| active(&items[i])),
    };
    match neighbour {
        Some(j) => {
            items.swap(index, j);
            true
        }
        None => false,
    }
}

/// Adds a prompt at the end. Fields: `prompt_id`, `prompt_nl`.
pub fn add_prompt(def: &mut CampaignDef, id: &str, text: &Localized) -> EditResult {
    let mut errors = Vec::new();
    let id = check_new_id(id, def.prompts.iter().map(|p| p.id.as_str()))
        .map_err(|m| errors.push(EditError::new("prompt_id", m)))
        .unwrap_or_default();
    let text = trimmed(text);
    if text.is_empty() {
        errors.push(EditError::new(
            "prompt_nl",
            "Schrijf de uitnodiging om een verhaal te vertellen, in minstens één taal.",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    def.prompts.push(Prompt { id, text, retired: false });
    Ok(())
}

/// Changes a prompt's text. Field: `nl`.
pub fn edit_prompt(def: &mut CampaignDef, id: &str, text: &Localized) -> EditResult {
    let text = trimmed(text);
    if text.is_empty() {
        return Err(vec![EditError::new(
            "nl",
            "Een uitnodiging kan niet leeg zijn. Schrijf de tekst in minstens één taal, of verwijder de uitnodiging.",
        )]);
    }
    let prompt = def.prompts.iter_mut().find(|p| p.id == id && !p.retired).ok_or_else(|| {
        vec![EditError::new("nl", format!("Er is geen uitnodiging '{id}' (meer) in dit formulier."))]
    })?;
    prompt.text = text;
    Ok(())
}

/// Takes a prompt off the form; it stays in the definition as retired, so stories told with it
/// still show their prompt.
pub fn remove_prompt(def: &mut CampaignDef, id: &str) -> Result<(), String> {
    if def.active_prompts().count() <= 1 && def.active_prompts().any(|p| p.id == id) {
        return Err(
            "Dit is de enige uitnodiging. Een formulier heeft er minstens één nodig: voeg eerst een andere toe.".into(),
        );
    }
    let prompt = def
        .prompts
        .iter_mut()
        .find(|p| p.id == id && !p.retired)
        .ok_or_else(|| format!("Er is geen uitnodiging '{id}' (meer) in dit formulier."))?;
    prompt.retired = true;
    Ok(())
}

/// Moves a prompt one place up or down among the prompts on the form.
pub fn move_prompt(def: &mut CampaignDef, id: &str, dir: Direction) -> bool {
    match def.prompts.iter().position(|p| p.id == id && !p.retired) {
        Some(i) => move_among(&mut def.prompts, i, dir, |p| !p.retired),
        None => false,
    }
}

/// How a kind is called on the workspace pages.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "triad" => "driehoek",
        "dyad" => "schuif tussen twee polen",
        "choice" => "keuzevraag",
        _ => "vraag",
    }
}

/// Splits `nl | en` (English optional).
fn two_labels(line: &str) -> Localized {
    let mut parts = line.splitn(2, '|');
    let nl = parts.next().unwrap_or("").trim();
    let en = parts.next().unwrap_or("").trim();
    Localized::new(nl, en)
}

/// Parses choice options, one per line as `id | Nederlands | English` (English optional);
/// empty lines are skipped. Problems name the line.
pub fn parse_option_lines(text: &str) -> Result<Vec<ChoiceOption>, String> {
    let mut options: Vec<ChoiceOption> = Vec::new();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, '|');
        let id = parts.next().unwrap_or("").trim();
        let label = Localized::new(parts.next().unwrap_or("").trim(), parts.next().unwrap_or("").trim());
        if !line.contains('|') {
            return Err(format!(
                "Regel {n} ('{line}'): schrijf een optie als id | Nederlandse tekst | Engelse tekst, bijvoorbeeld: familie | Familie | Family."
            ));
        }
        if !is_id(id) {
            return Err(format!(
                "Regel {n}: '{id}' kan geen id zijn. Gebruik alleen letters, cijfers, '_' en '-', zonder spaties."
            ));
        }
        if options.iter().any(|o| o.id == id) {
            return Err(format!(
                "Regel {n}: de id '{id}' staat er twee keer in. Geef elke optie een eigen id."
            ));
        }
        if label.is_empty() {
            return Err(format!(
                "Regel {n}: optie '{id}' heeft geen tekst. Schrijf na de id | de tekst die mensen zien."
            ));
        }
        options.push(ChoiceOption { id: id.to_string(), label, retired: false });
    }
    if options.len() < 2 {
        return Err(
            "Geef minstens twee opties, elk op een eigen regel als id | Nederlandse tekst | Engelse tekst."
                .into(),
        );
    }
    Ok(options)
}

/// The active options as the options field shows them: one per line, `id | nl | en`.
pub fn option_lines(options: &[ChoiceOption]) -> String {
    options
        .iter()
        .filter(|o| !o.retired)
        .map(|o| {
            if o.label.en.is_empty() {
                format!("{} | {}", o.id, o.label.nl)
            } else {
                format!("{} | {} | {}", o.id, o.label.nl, o.label.en)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Applies an edited options list to a choice's options: typed options in typed order, options
/// left out become retired (old answers keep their label), retired ones stay retired. An id of
/// a retired option cannot come back with perhaps another meaning.
pub fn merge_options(existing: &[ChoiceOption], text: &str) -> Result<Vec<ChoiceOption>, String> {
    let typed = parse_option_lines(text)?;
    for o in &typed {
        if existing.iter().any(|e| e.id == o.id && e.retired) {
            return Err(format!(
                "De id '{}' hoorde bij een verwijderde optie; oude antwoorden gebruiken die nog. Geef deze optie een nieuwe id.",
                o.id
            ));
        }
    }
    let mut merged = typed;
    for e in existing {
        if !merged.iter().any(|o| o.id == e.id) {
            merged.push(ChoiceOption { retired: true, ..e.clone() });
        }
    }
    Ok(merged)
}

/// The kind-specific part of a new signifier, from the labels field: for a triad three lines
/// and for a dyad two lines of `Nederlands | English`; for a choice the option lines.
pub fn parse_labels(kind: &str, multiple: bool, text: &str) -> Result<SignifierKind, String> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    match kind {
        "triad" => {
            if lines.len() != 3 {
                return Err(format!(
                    "Een driehoek heeft drie hoeken: schrijf drie regels, één per hoek, als Nederlands | Engels. Nu staan er {}.",
                    lines.len()
                ));
            }
            Ok(SignifierKind::Triad {
                corners: [two_labels(lines[0]), two_labels(lines[1]), two_labels(lines[2])],
            })
        }
        "dyad" => {
            if lines.len() != 2 {
                return Err(format!(
                    "Een schuif heeft twee polen: schrijf twee regels (links, dan rechts) als Nederlands | Engels. Nu staan er {}.",
                    lines.len()
                ));
            }
            Ok(SignifierKind::Dyad { poles: [two_labels(lines[0]), two_labels(lines[1])] })
        }
        "choice" => Ok(SignifierKind::Choice { multiple, options: parse_option_lines(text)? }),
        _ => Err("Kies het soort vraag: driehoek, schuif of keuzevraag.".into()),
    }
}

/// The add-a-signifier form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewSignifierInput {
    pub id: String,
    /// `triad`, `dyad` or `choice`.
    pub kind: String,
    pub multiple: bool,
    pub question: Localized,
    pub labels: String,
    pub required: bool,
}

/// Adds a signifier at the end of the form. Fields: `sig_id`, `sig_kind`, `sig_question_nl`,
/// `sig_labels`.
pub fn add_signifier(def: &mut CampaignDef, input: &NewSignifierInput) -> EditResult {
    let mut errors = Vec::new();
    let raw_id = input.id.trim();
    // The same id with another kind is the one change the stored answers cannot survive; say so
    // in those words rather than "already used".
    if let Some(old) = def.signifier(raw_id)
        && !input.kind.is_empty()
        && old.kind.name() != input.kind
    {
        errors.push(EditError::new(
            "sig_id",
            format!(
                "Er is al een vraag '{raw_id}' van het soort {}{}. Het soort van een vraag kan niet veranderen: de bewaarde antwoorden passen dan niet meer. Geef de nieuwe vraag een nieuwe id.",
                kind_label(old.kind.name()),
                if old.retired { " (verwijderd)" } else { "" }
            ),
        ));
    } else if let Err(m) = check_new_id(raw_id, def.signifiers.iter().map(|s| s.id.as_str())) {
        errors.push(EditError::new("sig_id", m));
    }
    let question = trimmed(&input.question);
    if question.is_empty() {
        errors.push(EditError::new(
            "sig_question_nl",
            "Schrijf de vraag die de verteller over het verhaal beantwoordt, in minstens één taal.",
        ));
    }
    let kind = if matches!(input.kind.as_str(), "triad" | "dyad" | "choice") {
        match parse_labels(&input.kind, input.multiple, &input.labels) {
            Ok(k) => Some(k),
            Err(m) => {
                errors.push(EditError::new("sig_labels", m));
                None
            }
        }
    } else {
        errors.push(EditError::new("sig_kind", "Kies het soort vraag: driehoek, schuif of keuzevraag."));
        None
    };
    match kind {
        Some(kind) if errors.is_empty() => {
            def.signifiers.push(Signifier {
                id: raw_id.to_string(),
                kind,
                question,
                help: None,
                required: input.required,
                retired: false,
            });
            Ok(())
        }
        _ => Err(errors),
    }
}

/// The edit form of one signifier. Only the fields of the signifier's kind are used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignifierInput {
    pub question: Localized,
    pub help: Localized,
    pub required: bool,
    pub corners: [Localized; 3],
    pub poles: [Localized; 2],
    pub multiple: bool,
    /// Option lines, `id | nl | en`.
    pub options: String,
}

impl SignifierInput {
    /// The stored signifier, to fill the form.
    pub fn from_signifier(s: &Signifier) -> SignifierInput {
        let mut input = SignifierInput {
            question: s.question.clone(),
            help: s.help.clone().unwrap_or_default(),
            required: s.required,
            ..SignifierInput::default()
        };
        match &s.kind {
            SignifierKind::Triad { corners } => input.corners = corners.clone(),
            SignifierKind::Dyad { poles } => input.poles = poles.clone(),
            SignifierKind::Choice { multiple, options } => {
                input.multiple = *multiple;
                input.options = option_lines(options);
            }
        }
        input
    }
}

/// Applies the edit form to a signifier; its id and kind stay as they are. Fields:
/// `question_nl`, `corner{i}_nl`, `pole{i}_nl`, `options`.
pub fn edit_signifier(def: &mut CampaignDef, id: &str, input: &SignifierInput) -> EditResult {
    let Some(sig) = def.signifiers.iter_mut().find(|s| s.id == id && !s.retired) else {
        return Err(vec![EditError::new(
            "question_nl",
            format!("Er is geen vraag '{id}' (meer) in dit formulier."),
        )]);
    };
    let mut errors = Vec::new();
    let question = trimmed(&input.question);
    if question.is_empty() {
        errors.push(EditError::new(
            "question_nl",
            "Een vraag kan niet leeg zijn. Schrijf haar in minstens één taal.",
        ));
    }
    let help = trimmed(&input.help);
    let kind = match &sig.kind {
        SignifierKind::Triad { .. } => {
            let corners = input.corners.clone().map(|c| trimmed(&c));
            for (i, c) in corners.iter().enumerate() {
                if c.is_empty() {
                    errors.push(EditError::new(
                        format!("corner{i}_nl"),
                        format!("Geef hoek {} een naam, in minstens één taal.", i + 1),
                    ));
                }
            }
            SignifierKind::Triad { corners }
        }
        SignifierKind::Dyad { .. } => {
            let poles = input.poles.clone().map(|p| trimmed(&p));
            for (i, p) in poles.iter().enumerate() {
                if p.is_empty() {
                    let side = if i == 0 { "linker" } else { "rechter" };
                    errors.push(EditError::new(
                        format!("pole{i}_nl"),
                        format!("Geef de {side} pool een naam, in minstens één taal."),
                    ));
                }
            }
            SignifierKind::Dyad { poles }
        }
        SignifierKind::Choice { options, .. } => match merge_options(options, &input.options) {
            Ok(options) => SignifierKind::Choice { multiple: input.multiple, options },
            Err(m) => {
                errors.push(EditError::new("options", m));
                sig.kind.clone()
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    sig.question = question;
    sig.help = (!help.is_empty()).then_some(help);
    sig.required = input.required;
    sig.kind = kind;
    Ok(())
}

/// Takes a signifier off the form; it stays in the definition as retired, so its stored
/// answers stay readable with their labels.
pub fn remove_signifier(def: &mut CampaignDef, id: &str) -> Result<(), String> {
    let sig = def
        .signifiers
        .iter_mut()
        .find(|s| s.id == id && !s.retired)
        .ok_or_else(|| format!("Er is geen vraag '{id}' (meer) in dit formulier."))?;
    sig.retired = true;
    Ok(())
}

/// Moves a signifier one place up or down among the signifiers on the form.
pub fn move_signifier(def: &mut CampaignDef, id: &str, dir: Direction) -> bool {
    match def.signifiers.iter().position(|s| s.id == id && !s.retired) {
        Some(i) => move_among(&mut def.signifiers, i, dir, |s| !s.retired),
        None => false,
    }
}

/// Texts on the form that have no translation in a language the form is offered in (the form
/// then shows the other language), e.g. "vraag 'regie', hoek 2". A reminder, not an error.
pub fn missing_translations(def: &CampaignDef, lang: Lang) -> Vec<String> {
    if !def.offers(lang) {
        return Vec::new();
    }
    let mut missing = Vec::new();
    let mut check = |text: &Localized, what: String| {
        if !text.is_empty() && !text.has(lang) {
            missing.push(what);
        }
    };
    check(&def.policy_question, "beleidsvraag".into());
    check(&def.intro, "inleiding".into());
    for p in def.active_prompts() {
        check(&p.text, format!("uitnodiging '{}'", p.id));
    }
    for s in def.active_signifiers() {
        check(&s.question, format!("vraag '{}'", s.id));
        if let Some(h) = &s.help {
            check(h, format!("vraag '{}', uitleg", s.id));
        }
        match &s.kind {
            SignifierKind::Triad { corners } => {
                for (i, c) in corners.iter().enumerate() {
                    check(c, format!("vraag '{}', hoek {}", s.id, i + 1));
                }
            }
            SignifierKind::Dyad { poles } => {
                for (i, p) in poles.iter().enumerate() {
                    check(p, format!("vraag '{}', pool {}", s.id, i + 1));
                }
            }
            SignifierKind::Choice { options, .. } => {
                for o in options.iter().filter(|o| !o.retired) {
                    check(&o.label, format!("vraag '{}', optie '{}'", s.id, o.id));
                }
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = include_str!("../../campaigns/eigen-netwerk.toml");

    fn demo() -> CampaignDef {
        CampaignDef::from_toml(DEMO).unwrap()
    }

    fn ids(def: &CampaignDef) -> Vec<String> {
        def.active_signifiers().map(|s| s.id.clone()).collect()
    }

    fn settings() -> SettingsInput {
        SettingsInput {
            title: Localized::new("Jeugd in Utrecht", "Youth in Utrecht"),
            languages: vec!["nl".into(), "en".into()],
            opens: "2026-01-01".into(),
            closes: "31-12-2026".into(),
            retention_days: "730".into(),
            min_chars: "20".into(),
            max_chars: "20000".into(),
            ask_age_band: true,
            region: "municipality".into(),
            ..SettingsInput::default()
        }
    }

    #[test]
    fn new_campaign_is_a_valid_draft_with_its_first_prompt() {
        let input = NewCampaignInput {
            slug: " jeugd-utrecht ".into(),
            settings: settings(),
            prompt_id: "verhaal".into(),
            prompt: Localized::new("Vertel over een moment", ""),
        };
        let def = input.to_def().unwrap();
        def.validate().unwrap();
        assert_eq!(def.slug, "jeugd-utrecht");
        assert_eq!(def.status, CampaignStatus::Draft);
        assert_eq!(def.languages, vec![Lang::Nl, Lang::En]);
        assert_eq!(format_date(def.closes), "2026-12-31");
        assert_eq!(def.region, RegionField::Municipality);
        assert_eq!(def.prompts.len(), 1);
    }

    #[test]
    fn new_campaign_reports_every_problem_by_field() {
        let mut s = settings();
        s.title = Localized::new("Titel", "");
        s.opens = "morgen".into();
        s.min_chars = "500".into();
        s.max_chars = "100".into();
        s.retention_days = "0".into();
        let input = NewCampaignInput { slug: "Jeugd Utrecht".into(), settings: s, ..Default::default() };
        let errors = input.to_def().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["slug", "title_en", "opens", "min_chars", "retention_days", "prompt_id", "prompt_nl"] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        assert!(errors.iter().all(|e| e.message.ends_with('.')), "{errors:?}");
    }

    #[test]
    fn reserved_and_malformed_slugs_are_refused() {
        assert!(check_slug("new").unwrap_err().contains("gereserveerd"));
        assert!(check_slug("-x").is_err());
        assert_eq!(check_slug(" ok-1 ").unwrap(), "ok-1");
    }

    #[test]
    fn closing_before_opening_is_refused() {
        let mut s = settings();
        s.opens = "2026-05-01".into();
        s.closes = "2026-04-01".into();
        let errors = s.apply(&mut demo()).unwrap_err();
        assert_eq!(errors[0].field, "closes");
    }

    #[test]
    fn settings_round_trip_through_the_form() {
        let def = demo();
        let mut again = def.clone();
        SettingsInput::from_def(&def).apply(&mut again).unwrap();
        assert_eq!(again, def);
    }

    #[test]
    fn changed_settings_are_named_by_key() {
        let old = demo();
        let mut s = SettingsInput::from_def(&old);
        s.retention_days = "365".into();
        s.title.en = "Another title".into();
        let mut new = old.clone();
        s.apply(&mut new).unwrap();
        assert_eq!(changed_settings(&old, &new), vec!["title", "retention_days"]);
        assert!(changed_settings(&old, &old).is_empty());
    }

    #[test]
    fn status_moves_forward_and_a_closed_campaign_may_reopen() {
        use CampaignStatus::*;
        assert!(status_change_allowed(Draft, Open));
        assert!(status_change_allowed(Open, Closed));
        assert!(status_change_allowed(Closed, Open));
        assert!(!status_change_allowed(Open, Draft));
        assert!(!status_change_allowed(Draft, Closed));
    }

    #[test]
    fn ids_of_removed_signifiers_stay_taken() {
        let mut def = demo();
        remove_signifier(&mut def, "steun").unwrap();
        let input = NewSignifierInput {
            id: "steun".into(),
            kind: "dyad".into(),
            question: Localized::new("Nieuw", ""),
            labels: "a\nb".into(),
            ..Default::default()
        };
        let errors = add_signifier(&mut def, &input).unwrap_err();
        assert_eq!(errors[0].field, "sig_id");
        assert!(errors[0].message.contains("al gebruikt"), "{errors:?}");
    }

    #[test]
    fn reusing_an_id_for_another_kind_says_the_kind_cannot_change() {
        let mut def = demo();
        let input = NewSignifierInput {
            id: "regie".into(),
            kind: "triad".into(),
            question: Localized::new("Nieuw", ""),
            labels: "a\nb\nc".into(),
            ..Default::default()
        };
        let errors = add_signifier(&mut def, &input).unwrap_err();
        assert!(errors[0].message.contains("kan niet veranderen"), "{errors:?}");
    }

    #[test]
    fn new_triad_dyad_and_choice_are_built_from_label_lines() {
        let mut def = demo();
        let triad = NewSignifierInput {
            id: "wat_woog".into(),
            kind: "triad".into(),
            question: Localized::new("Wat telde?", "What counted?"),
            labels: "Gehoord worden | Being heard\n\nSnel hulp | Quick help\nZelf kiezen".into(),
            ..Default::default()
        };
        add_signifier(&mut def, &triad).unwrap();
        let Some(SignifierKind::Triad { corners }) = def.signifier("wat_woog").map(|s| &s.kind) else {
            panic!("triad")
        };
        assert_eq!(corners[0], Localized::new("Gehoord worden", "Being heard"));
        assert_eq!(corners[2], Localized::new("Zelf kiezen", ""));
        let choice = NewSignifierInput {
            id: "wie".into(),
            kind: "choice".into(),
            multiple: true,
            question: Localized::new("Wie?", ""),
            labels: "ouders | Ouders | Parents\nschool | School".into(),
            ..Default::default()
        };
        add_signifier(&mut def, &choice).unwrap();
        def.validate().unwrap();
        let bad = NewSignifierInput { id: "d".into(), kind: "dyad".into(), labels: "één".into(), ..choice };
        let errors = add_signifier(&mut def, &bad).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "sig_labels" && e.message.contains("twee polen")));
    }

    #[test]
    fn option_lines_are_validated_with_the_line_number() {
        assert!(parse_option_lines("a | A\nb").unwrap_err().starts_with("Regel 2"));
        assert!(parse_option_lines("a | A\na | B").unwrap_err().contains("twee keer"));
        assert!(parse_option_lines("a b | A\nc | C").unwrap_err().contains("geen id"));
        assert!(parse_option_lines("a | A").unwrap_err().contains("minstens twee"));
        let o = parse_option_lines("a | A | Ay\n\nb | B | Bee | extra").unwrap();
        assert_eq!(o[1].label, Localized::new("B", "Bee | extra"));
    }

    #[test]
    fn options_left_out_become_retired_and_their_ids_stay_taken() {
        let existing = parse_option_lines("a | A\nb | B\nc | C").unwrap();
        let merged = merge_options(&existing, "c | C nieuw\na | A").unwrap();
        let view: Vec<(&str, bool)> = merged.iter().map(|o| (o.id.as_str(), o.retired)).collect();
        assert_eq!(view, vec![("c", false), ("a", false), ("b", true)]);
        assert_eq!(option_lines(&merged), "c | C nieuw\na | A");
        let err = merge_options(&merged, "a | A\nb | B weer").unwrap_err();
        assert!(err.contains("verwijderde optie"), "{err}");
    }

    #[test]
    fn editing_a_signifier_keeps_its_kind_and_retires_removed_options() {
        let old = demo();
        let mut def = old.clone();
        let gevoel = def.signifier("gevoel").unwrap();
        let mut input = SignifierInput::from_signifier(gevoel);
        input.question.en = "How did it feel?".into();
        input.options =
            input.options.lines().filter(|l| !l.starts_with("boos")).collect::<Vec<_>>().join("\n");
        edit_signifier(&mut def, "gevoel", &input).unwrap();
        let merged = old.merged_update(def).unwrap();
        let gevoel = merged.signifier("gevoel").unwrap();
        assert_eq!(gevoel.question.en, "How did it feel?");
        assert_eq!(gevoel.option_label("boos").unwrap().nl, "boos");
        assert!(gevoel.validate(Some(&serde_json::json!("boos"))).is_err());
    }

    #[test]
    fn empty_corner_labels_are_reported_per_corner() {
        let mut def = demo();
        let mut input = SignifierInput::from_signifier(def.signifier("wat_hielp").unwrap());
        input.corners[1] = Localized::default();
        let errors = edit_signifier(&mut def, "wat_hielp", &input).unwrap_err();
        assert_eq!(errors[0].field, "corner1_nl");
    }

    #[test]
    fn moving_skips_retired_items_and_stops_at_the_ends() {
        let mut def = demo();
        let before = ids(&def);
        assert!(!move_signifier(&mut def, &before[0], Direction::Up));
        remove_signifier(&mut def, &before[1]).unwrap();
        assert!(move_signifier(&mut def, &before[2], Direction::Up));
        let after = ids(&def);
        assert_eq!(after[0], before[2]);
        assert_eq!(after[1], before[0]);
        assert!(move_signifier(&mut def, &before[2], Direction::Down));
        assert_eq!(ids(&def)[0], before[0]);
    }

    #[test]
    fn the_last_prompt_cannot_be_removed_and_removed_prompts_are_kept() {
        let mut def = demo();
        remove_prompt(&mut def, "wat-nodig").unwrap();
        assert!(def.prompts.iter().any(|p| p.id == "wat-nodig" && p.retired));
        assert!(remove_prompt(&mut def, "zelf-geregeld").unwrap_err().contains("enige"));
        add_prompt(&mut def, "nieuw", &Localized::new("Vertel", "")).unwrap();
        assert!(move_prompt(&mut def, "nieuw", Direction::Up));
        assert_eq!(def.active_prompts().next().unwrap().id, "nieuw");
        assert!(add_prompt(&mut def, "wat-nodig", &Localized::new("x", "")).is_err());
    }

    #[test]
    fn missing_english_texts_are_listed_only_when_english_is_offered() {
        let mut def = demo();
        assert!(missing_translations(&def, Lang::En).is_empty());
        add_prompt(&mut def, "nieuw", &Localized::new("Vertel", "")).unwrap();
        assert_eq!(missing_translations(&def, Lang::En), vec!["uitnodiging 'nieuw'".to_string()]);
        def.languages = vec![Lang::Nl];
        assert!(missing_translations(&def, Lang::En).is_empty());
    }
}
