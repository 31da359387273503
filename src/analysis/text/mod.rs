//! The one text pipeline, shared by the search index and the analysis code (features for theme
//! discovery and suggestions): NFC, Unicode word boundaries, lower case, diacritics folded for
//! matching, stop words removed, Snowball stemming (Dutch or English by the story's language).
//! Offsets always point into the original text, so matches can be highlighted there.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// How a text is analysed, chosen by the story's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Analyzer {
    /// Dutch stop words and the Snowball Dutch stemmer.
    Dutch,
    /// English stop words and the Snowball English stemmer.
    English,
    /// Any other language: folded words, no stop words, no stemming (a wrong stemmer does more
    /// harm than none).
    Plain,
}

impl Analyzer {
    pub fn for_language(code: &str) -> Analyzer {
        match code {
            "nl" => Analyzer::Dutch,
            "en" => Analyzer::English,
            _ => Analyzer::Plain,
        }
    }

    /// Registered tokenizer name in tantivy.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Dutch => "luister_nl",
            Analyzer::English => "luister_en",
            Analyzer::Plain => "luister_plain",
        }
    }

    fn stop_words(self) -> Option<&'static HashSet<String>> {
        match self {
            Analyzer::Dutch => Some(&STOP_NL),
            Analyzer::English => Some(&STOP_EN),
            Analyzer::Plain => None,
        }
    }

    fn stemmer(self) -> Option<&'static Stemmer> {
        match self {
            Analyzer::Dutch => Some(&STEM_NL),
            Analyzer::English => Some(&STEM_EN),
            Analyzer::Plain => None,
        }
    }
}

fn load_stop_words(text: &str) -> HashSet<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(fold).collect()
}

static STOP_NL: LazyLock<HashSet<String>> =
    LazyLock::new(|| load_stop_words(include_str!("stopwords_nl.txt")));
static STOP_EN: LazyLock<HashSet<String>> =
    LazyLock::new(|| load_stop_words(include_str!("stopwords_en.txt")));
static STEM_NL: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));
static STEM_EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a text. `start..end` are byte offsets into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Position among the words of the text (stop words count, so phrases stay exact).
    pub position: usize,
}

/// Lower case, NFC, diacritics removed: "Één" → "een", "café" → "cafe". Keeps non-Latin
/// letters (Arabic, Cyrillic) as they are, apart from their combining marks.
pub fn fold(word: &str) -> String {
    // Most words are plain ASCII: skip the Unicode decompositions for them (indexing speed).
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().nfc().collect::<String>().to_lowercase()
}

/// Lower case and NFC only: the "exact" form that keeps diacritics.
pub fn exact(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    // Lower case first: lowering can break NFC ("İ̛" lowers to i + two marks out of canonical
    // order), and a form that changes when taken again would not match itself (proptests below).
    word.to_lowercase().nfc().collect()
}

/// The three analyses of a text at once (stemmed, folded, exact), from one pass over its words:
/// what the index needs for every story.
pub fn analyze_all(text: &str, analyzer: Analyzer) -> (Vec<Token>, Vec<Token>, Vec<Token>) {
    let stops = analyzer.stop_words();
    let stemmer = analyzer.stemmer();
    let mut stemmed = Vec::new();
    let mut folded = Vec::new();
    let mut exacts = Vec::new();
    for (position, (start, word)) in words(text).enumerate() {
        let end = start + word.len();
        let (f, e) = if word.is_ascii() {
            let lower = word.to_ascii_lowercase();
            (lower.clone(), lower)
        } else {
            (fold(word), exact(word))
        };
        if !stops.is_some_and(|s| s.contains(&f)) {
            let term = match stemmer {
                Some(st) => stem_cached(analyzer, st, &f),
                None => f.clone(),
            };
            stemmed.push(Token { text: term, start, end, position });
        }
        folded.push(Token { text: f, start, end, position });
        exacts.push(Token { text: e, start, end, position });
    }
    (stemmed, folded, exacts)
}

thread_local! {
    /// Stems of words seen before, per analyser: a corpus repeats its words, and Snowball
    /// stemming was a tenth of bulk indexing time.
    static STEMS: std::cell::RefCell<[std::collections::HashMap<String, String>; 2]> =
        std::cell::RefCell::new([Default::default(), Default::default()]);
}

/// Largest number of cached stems per analyser (and thread) before the cache starts over.
const STEM_CACHE: usize = 200_000;

fn stem_cached(analyzer: Analyzer, stemmer: &Stemmer, folded: &str) -> String {
    let slot = if analyzer == Analyzer::English { 1 } else { 0 };
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        let map = &mut stems[slot];
        if let Some(s) = map.get(folded) {
            return s.clone();
        }
        let s = stemmer.stem(folded).into_owned();
        if map.len() >= STEM_CACHE {
            map.clear();
        }
        map.insert(folded.to_string(), s.clone());
        s
    })
}

/// The words of a text by Unicode word boundaries (UAX #29), with byte offsets and positions.
/// Apostrophes inside words stay ("m'n", "don't"); numbers are words too.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_word_bound_indices().filter(|(_, w)| w.chars().any(char::is_alphanumeric))
}

/// Tokens for matching: folded, stop words out, stemmed. Positions count every word, so a phrase
/// query over the stemmed field still lines up.
pub fn analyze(text: &str, analyzer: Analyzer) -> Vec<Token> {
    let stops = analyzer.stop_words();
    let stemmer = analyzer.stemmer();
    let mut out = Vec::new();
    for (position, (start, word)) in words(text).enumerate() {
        let folded = fold(word);
        if stops.is_some_and(|s| s.contains(&folded)) {
            continue;
        }
        let term = match stemmer {
            Some(st) => stem_cached(analyzer, st, &folded),
            None => folded,
        };
        out.push(Token { text: term, start, end: start + word.len(), position });
    }
    out
}

/// Tokens for exact words and phrases: lower case with diacritics kept, nothing removed.
pub fn analyze_exact(text: &str) -> Vec<Token> {
    words(text)
        .enumerate()
        .map(|(position, (start, word))| Token {
            text: exact(word),
            start,
            end: start + word.len(),
            position,
        })
        .collect()
}

/// Tokens folded but not stemmed, stop words kept: the "folded" field, where "één" matches "een".
pub fn analyze_folded(text: &str) -> Vec<Token> {
    words(text)
        .enumerate()
        .map(|(position, (start, word))| Token { text: fold(word), start, end: start + word.len(), position })
        .collect()
}

/// The terms of one query word in the stemmed field (empty for a stop word).
pub fn query_terms(word: &str, analyzer: Analyzer) -> Vec<String> {
    analyze(word, analyzer).into_iter().map(|t| t.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, a: Analyzer) -> Vec<String> {
        analyze(text, a).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn plural_and_singular_meet_in_the_stemmed_field() {
        assert_eq!(terms("wachtlijsten", Analyzer::Dutch), terms("wachtlijst", Analyzer::Dutch));
        assert_eq!(terms("gesprekken", Analyzer::Dutch), terms("gesprek", Analyzer::Dutch));
        assert_eq!(terms("waiting lists", Analyzer::English), terms("waiting list", Analyzer::English));
    }

    #[test]
    fn compounds_stay_whole_so_jeugdzorg_is_not_zorg() {
        let t = terms("De jeugdzorg hielp niet", Analyzer::Dutch);
        assert!(t.contains(&"jeugdzorg".to_string()), "{t:?}");
        assert!(!t.contains(&"zorg".to_string()));
    }

    #[test]
    fn een_with_accents_matches_een_only_when_folded() {
        assert_eq!(fold("Één"), "een");
        let folded: Vec<String> = analyze_folded("Één keer").into_iter().map(|t| t.text).collect();
        assert_eq!(folded, ["een", "keer"]);
        let exact: Vec<String> = analyze_exact("Één keer").into_iter().map(|t| t.text).collect();
        assert_eq!(exact, ["één", "keer"]);
        assert_ne!(exact[0], "een");
    }

    #[test]
    fn stop_words_go_but_positions_keep_counting() {
        let t = analyze("ik heb de wachtlijst gezien", Analyzer::Dutch);
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert!(!texts.contains(&"ik") && !texts.contains(&"de"), "{texts:?}");
        assert_eq!(t[0].position, 3, "wachtlijst is the fourth word");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Café Ömer: wachtlijsten!";
        for t in analyze(text, Analyzer::Dutch) {
            let original = &text[t.start..t.end];
            assert!(fold(original).starts_with(&t.text[..1]), "{original} vs {}", t.text);
        }
        let t = analyze_exact(text);
        assert_eq!(&text[t[1].start..t[1].end], "Ömer");
    }

    #[test]
    fn one_pass_gives_the_same_tokens_as_three() {
        let text = "Één keer stonden wij op de wachtlijst van Jeugdzorg; m'n moeder belde elke week.";
        let (s, f, e) = analyze_all(text, Analyzer::Dutch);
        assert_eq!(s, analyze(text, Analyzer::Dutch));
        assert_eq!(f, analyze_folded(text));
        assert_eq!(e, analyze_exact(text));
    }

    #[test]
    fn other_languages_are_folded_but_not_stemmed() {
        assert_eq!(terms("Çocuklar okula gidiyor", Analyzer::Plain), ["cocuklar", "okula", "gidiyor"]);
        assert_eq!(Analyzer::for_language("tr"), Analyzer::Plain);
    }

    #[test]
    fn informal_words_and_apostrophes_survive() {
        let t: Vec<String> =
            analyze_exact("m'n mentor zei ff dat 't ok was").into_iter().map(|t| t.text).collect();
        assert_eq!(t[0], "m'n");
        assert!(t.contains(&"ff".to_string()));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// Words with diacritics, combining marks, non-Latin scripts and odd casing.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof!["[a-zA-Z]{1,12}", "\\PC{1,12}", "[A-Za-zÀ-ÿĀ-ž\u{0300}-\u{036f}İıẞß]{1,12}",]
    }

    /// A letter first, then letters and combining marks (× and ÷ are not letters).
    fn lettered() -> impl Strategy<Value = String> {
        "[A-Za-zÀ-ÖØ-öø-ÿĀ-žİıẞß][A-Za-zÀ-ÖØ-öø-ÿĀ-ž\u{0300}-\u{036f}]{0,11}"
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

        /// Normalising a normalised word changes nothing, so index terms and query terms meet.
        #[test]
        fn folding_and_exact_forms_are_idempotent(w in word()) {
            let f = fold(&w);
            prop_assert_eq!(fold(&f), f.clone());
            let e = exact(&w);
            prop_assert_eq!(exact(&e), e.clone());
            // The folded form is the folded exact form: diacritics are the only difference.
            prop_assert_eq!(fold(&e), f);
        }

        /// Analysing the folded words again gives the same terms. Words start with a letter
        /// here: a word of combining marks only folds to an empty (or blank) term, which the
        /// second pass cannot see — known, and harmless for matching.
        #[test]
        fn analysing_folded_text_again_gives_the_same_terms(ws in prop::collection::vec(lettered(), 0..12)) {
            let text = ws.join(" ");
            let folded: Vec<String> = analyze_folded(&text).into_iter().map(|t| t.text).collect();
            let again: Vec<String> = analyze_folded(&folded.join(" ")).into_iter().map(|t| t.text).collect();
            prop_assert_eq!(&again, &folded);
        }
    }
}
