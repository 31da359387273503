//! Which language a story is written in. Stored per story so search and analysis can pick the
//! right stemmer and stopwords; a form's language is only a hint, people write as they speak.

/// Languages we recognise; anything else is stored as "und" (undetermined) or the form's hint.
const KNOWN: &[(whatlang::Lang, &str)] = &[
    (whatlang::Lang::Nld, "nl"),
    (whatlang::Lang::Eng, "en"),
    (whatlang::Lang::Tur, "tr"),
    (whatlang::Lang::Pol, "pl"),
    (whatlang::Lang::Ara, "ar"),
    (whatlang::Lang::Deu, "de"),
    (whatlang::Lang::Fra, "fr"),
    (whatlang::Lang::Spa, "es"),
    (whatlang::Lang::Por, "pt"),
    (whatlang::Lang::Ukr, "uk"),
    (whatlang::Lang::Rus, "ru"),
];

/// Detects the language of `text` among the ones youth-care stories are told in. Short or
/// ambiguous texts keep the `hint` (the form's language), because a wrong guess would pick
/// the wrong stemmer while the hint is usually right.
pub fn detect(text: &str, hint: &str) -> String {
    // whatlang only considers the languages we list, which avoids exotic guesses on slang.
    let allow: Vec<whatlang::Lang> = KNOWN.iter().map(|(l, _)| *l).collect();
    let detector = whatlang::Detector::with_allowlist(allow);
    let Some(info) = detector.detect(text) else { return hint.to_string() };
    let code = KNOWN.iter().find(|(l, _)| *l == info.lang()).map(|(_, c)| *c);
    match code {
        Some(c) if c == hint => c.to_string(),
        Some(c) if info.confidence() >= 0.9 && text.split_whitespace().count() >= 8 => c.to_string(),
        _ => hint.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_story_on_english_form_is_stored_as_dutch() {
        let text = "Ik heb heel lang op de wachtlijst gestaan en niemand van het wijkteam belde mij terug, \
                    dus uiteindelijk heeft mijn oma mij geholpen met school en met mijn kamer.";
        assert_eq!(detect(text, "en"), "nl");
    }

    #[test]
    fn english_story_is_detected() {
        let text = "I waited for months before anyone from the youth team called me back, \
                    and in the end my grandmother helped me find a room and go back to school.";
        assert_eq!(detect(text, "nl"), "en");
    }

    #[test]
    fn short_text_keeps_the_hint() {
        assert_eq!(detect("ok prima", "nl"), "nl");
        assert_eq!(detect("hoi", "en"), "en");
    }
}
