//! Validation problems with a message for the person who made them: what is wrong and how to
//! fix it, in plain Dutch (B1) or English. Both the form and the JSON API show these.

use super::Lang;
use serde::Serialize;

/// One problem with one field. `field` is a stable key (`text`, `perspective`,
/// `answers.<signifier id>`, ...) that the form maps to its input and the API returns as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError { field: field.into(), problem }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.problem.message(lang)
    }
}

/// What is wrong. Each variant carries what the message needs to say how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    TextMissing,
    TextTooShort {
        min: usize,
        len: usize,
    },
    TextTooLong {
        max: usize,
        len: usize,
    },
    TitleTooLong {
        max: usize,
        len: usize,
    },
    ChooseOne,
    OnlyOne,
    UnknownOption {
        value: String,
    },
    ConsentMissing,
    /// The campaign asks a parent's or guardian's consent for the teller's age band.
    GuardianConsentMissing,
    TriadMissing,
    TriadInvalid,
    DyadMissing,
    DyadInvalid,
    NotANumber {
        value: String,
    },
    RequiredNotSkippable,
    UnknownSignifier {
        id: String,
    },
    RetiredSignifier {
        id: String,
    },
    WrongShape {
        expected: &'static str,
    },
    /// More answers than any form has questions (a flood, not a mistake).
    TooManyAnswers {
        max: usize,
        got: usize,
    },
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::TextMissing => "text_missing",
            Problem::TextTooShort { .. } => "text_too_short",
            Problem::TextTooLong { .. } => "text_too_long",
            Problem::TitleTooLong { .. } => "title_too_long",
            Problem::ChooseOne => "choose_one",
            Problem::OnlyOne => "only_one",
            Problem::UnknownOption { .. } => "unknown_option",
            Problem::ConsentMissing => "consent_missing",
            Problem::GuardianConsentMissing => "guardian_consent_missing",
            Problem::TriadMissing => "triad_missing",
            Problem::TriadInvalid => "triad_invalid",
            Problem::DyadMissing => "dyad_missing",
            Problem::DyadInvalid => "dyad_invalid",
            Problem::NotANumber { .. } => "not_a_number",
            Problem::RequiredNotSkippable => "required_not_skippable",
            Problem::UnknownSignifier { .. } => "unknown_signifier",
            Problem::RetiredSignifier { .. } => "retired_signifier",
            Problem::WrongShape { .. } => "wrong_shape",
            Problem::TooManyAnswers { .. } => "too_many_answers",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        match (lang, self) {
            (Lang::Nl, TextMissing) => "Je hebt nog niets geschreven. Schrijf hier je verhaal.".into(),
            (Lang::En, TextMissing) => "You have not written anything yet. Write your story here.".into(),
            (Lang::Nl, TextTooShort { min, len }) => format!(
                "Je verhaal is nog te kort ({len} tekens). Schrijf minstens {min} tekens."
            ),
            (Lang::En, TextTooShort { min, len }) => format!(
                "Your story is too short ({len} characters). Write at least {min} characters."
            ),
            (Lang::Nl, TextTooLong { max, len }) => format!(
                "Je verhaal is te lang ({len} tekens). Maak het korter dan {max} tekens, of vertel het in twee verhalen."
            ),
            (Lang::En, TextTooLong { max, len }) => format!(
                "Your story is too long ({len} characters). Keep it under {max} characters, or tell it as two stories."
            ),
            (Lang::Nl, TitleTooLong { max, len }) => format!(
                "De titel is te lang ({len} tekens). Gebruik hooguit {max} tekens."
            ),
            (Lang::En, TitleTooLong { max, len }) => format!(
                "The title is too long ({len} characters). Use at most {max} characters."
            ),
            (Lang::Nl, ChooseOne) => "Kies een van de antwoorden.".into(),
            (Lang::En, ChooseOne) => "Choose one of the answers.".into(),
            (Lang::Nl, OnlyOne) => "Kies hier maar één antwoord.".into(),
            (Lang::En, OnlyOne) => "Choose only one answer here.".into(),
            (Lang::Nl, UnknownOption { value }) => format!(
                "'{value}' is geen antwoord dat je hier kunt kiezen. Kies een van de antwoorden in de lijst."
            ),
            (Lang::En, UnknownOption { value }) => format!(
                "'{value}' is not an answer you can choose here. Choose one of the answers in the list."
            ),
            (Lang::Nl, ConsentMissing) => "Zet een vinkje als je het goed vindt dat we je verhaal bewaren. Zonder vinkje kunnen we het niet opslaan.".into(),
            (Lang::En, ConsentMissing) => "Tick the box if you agree that we keep your story. Without the tick we cannot save it.".into(),
            (Lang::Nl, GuardianConsentMissing) => "Bij jouw leeftijd moet ook je ouder of verzorger het goed vinden. Vraag het aan hen en zet dan het vinkje. Wat je schreef blijft staan.".into(),
            (Lang::En, GuardianConsentMissing) => "At your age a parent or guardian must agree too. Ask them, then tick the box. What you wrote stays here.".into(),
            (Lang::Nl, TriadMissing) => "Zet de stip in de driehoek, of vul de drie getallen in.".into(),
            (Lang::En, TriadMissing) => "Put the dot in the triangle, or fill in the three numbers.".into(),
            (Lang::Nl, TriadInvalid) => "Vul drie getallen van 0 tot 100 in. Ze mogen niet alle drie 0 zijn.".into(),
            (Lang::En, TriadInvalid) => "Fill in three numbers from 0 to 100. They cannot all three be 0.".into(),
            (Lang::Nl, DyadMissing) => "Kies een plek op de schuif.".into(),
            (Lang::En, DyadMissing) => "Choose a place on the slider.".into(),
            (Lang::Nl, DyadInvalid) => "Kies een plek op de schuif, van 0 tot 100.".into(),
            (Lang::En, DyadInvalid) => "Choose a place on the slider, from 0 to 100.".into(),
            (Lang::Nl, NotANumber { value }) => format!(
                "'{value}' is geen getal. Vul een getal van 0 tot 100 in."
            ),
            (Lang::En, NotANumber { value }) => format!(
                "'{value}' is not a number. Fill in a number from 0 to 100."
            ),
            (Lang::Nl, RequiredNotSkippable) => "Deze vraag moet je beantwoorden. Je kunt hem niet overslaan.".into(),
            (Lang::En, RequiredNotSkippable) => "This question needs an answer. You cannot skip it.".into(),
            (Lang::Nl, UnknownSignifier { id }) => format!(
                "Dit formulier heeft geen vraag met id '{id}'. Haal dit antwoord weg of gebruik een id uit het formulier."
            ),
            (Lang::En, UnknownSignifier { id }) => format!(
                "This form has no question with id '{id}'. Remove this answer or use an id from the form."
            ),
            (Lang::Nl, RetiredSignifier { id }) => format!(
                "De vraag '{id}' staat niet meer in dit formulier. Haal dit antwoord weg."
            ),
            (Lang::En, RetiredSignifier { id }) => format!(
                "The question '{id}' is no longer part of this form. Remove this answer."
            ),
            (Lang::Nl, TooManyAnswers { max, got }) => format!(
                "Er zijn {got} antwoorden gestuurd; dit formulier neemt er hooguit {max}. Stuur alleen antwoorden op vragen uit het formulier."
            ),
            (Lang::En, TooManyAnswers { max, got }) => format!(
                "{got} answers were sent; this form takes at most {max}. Send only answers to questions of the form."
            ),
            (Lang::Nl, WrongShape { expected }) => format!(
                "Dit antwoord heeft niet de goede vorm. Verwacht: {expected}."
            ),
            (Lang::En, WrongShape { expected }) => format!(
                "This answer does not have the right shape. Expected: {expected}."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_says_what_to_do_in_both_languages() {
        let problems = [
            Problem::TextTooShort { min: 20, len: 3 },
            Problem::ConsentMissing,
            Problem::TriadInvalid,
            Problem::UnknownOption { value: "x".into() },
        ];
        for p in problems {
            for lang in Lang::ALL {
                let m = p.message(lang);
                assert!(m.len() > 15, "{m}");
                assert!(m.ends_with('.'), "{m}");
            }
        }
        assert!(Problem::TextTooShort { min: 20, len: 3 }.message(Lang::Nl).contains("20"));
    }
}
