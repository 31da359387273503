//! Turns story text into normalised tokens that still know where they came from, so that
//! lexicon matches can be highlighted in the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// One word of the original text, normalised for matching.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Lowercased, diacritics folded, only letters and digits, runs of 3+ equal letters cut to 2.
    pub norm: String,
    /// The writer stretched a letter ("dooooood"), so a squeezed comparison is clearly intended.
    pub elongated: bool,
    /// Char (Unicode scalar) offsets into the original text, end exclusive.
    pub char_start: usize,
    pub char_end: usize,
    /// Byte offsets into the original text, for slicing out the matched phrase.
    pub byte_start: usize,
    pub byte_end: usize,
    /// Sentence number: matches never span `. ! ? ;` or a line break.
    pub sentence: u32,
    /// Clause number: also advances at commas and colons; only used by the `$` anchor.
    pub clause: u32,
}

/// Normalises one word the same way for text and lexicon: NFKD, drop combining marks (folds
/// "suïcide" to "suicide"), lowercase, keep only letters and digits (so "m'n" becomes "mn"),
/// "ij" and "y" both to "ĳ", and cut runs of three or more equal characters to two
/// ("dooooood" -> "dood").
/// Returns the normalised word and whether a run had to be cut.
pub(crate) fn normalize_word(word: &str) -> (String, bool) {
    let mut folded: Vec<char> = Vec::with_capacity(word.len());
    if word.is_ascii() {
        // Fast path: most words in most stories need no Unicode decomposition.
        folded.extend(
            word.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        for c in word.nfkd() {
            if is_combining_mark(c) {
                continue;
            }
            for l in c.to_lowercase() {
                match l {
                    'ß' => folded.extend(['s', 's']),
                    'æ' => folded.extend(['a', 'e']),
                    'œ' => folded.extend(['o', 'e']),
                    'ø' => folded.push('o'),
                    'ł' => folded.push('l'),
                    'đ' => folded.push('d'),
                    'ı' => folded.push('i'),
                    l if l.is_alphanumeric() => folded.push(l),
                    _ => {}
                }
            }
        }
    }
    // Young writers type y for the Dutch ij ("myn", "snyden"). Both become the single letter
    // ĳ, so "myn" = "mijn" and a stretched "kyyys" still collapses like any other letter.
    // Text and lexicon are folded alike, so English words stay consistent ("my" = "mĳ").
    let mut out = String::with_capacity(folded.len() + 2);
    let mut elongated = false;
    let mut prev: Option<char> = None;
    let mut run = 0usize;
    let mut i = 0;
    while i < folded.len() {
        let c = match folded[i] {
            'i' if folded.get(i + 1) == Some(&'j') => {
                i += 1;
                'ĳ'
            }
            'y' => 'ĳ',
            c => c,
        };
        i += 1;
        if Some(c) == prev {
            run += 1;
        } else {
            prev = Some(c);
            run = 1;
        }
        if run <= 2 {
            out.push(c);
        } else {
            elongated = true;
        }
    }
    (out, elongated)
}

/// Cuts every run of equal characters to one, so spelling with or without doubled letters
/// ("slaat"/"slat", "dood"/"dod") compares equal.
pub(crate) fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if Some(c) != prev {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

fn ends_sentence(seg: &str) -> bool {
    seg.chars().any(|c| matches!(c, '.' | '!' | '?' | ';' | '\n' | '\r' | '…'))
}

fn ends_clause(seg: &str) -> bool {
    seg.chars().any(|c| matches!(c, ',' | ':' | '(' | ')' | '–' | '—' | '"' | '“' | '”'))
}

/// Splits text at Unicode word boundaries (UAX #29) and normalises each word.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut char_pos = 0usize;
    let mut sentence = 0u32;
    let mut clause = 0u32;
    for (byte_start, seg) in text.split_word_bound_indices() {
        let n_chars = seg.chars().count();
        if seg.chars().any(char::is_alphanumeric) {
            let (norm, elongated) = normalize_word(seg);
            if !norm.is_empty() {
                tokens.push(Token {
                    norm,
                    elongated,
                    char_start: char_pos,
                    char_end: char_pos + n_chars,
                    byte_start,
                    byte_end: byte_start + seg.len(),
                    sentence,
                    clause,
                });
            }
        } else if ends_sentence(seg) {
            sentence += 1;
            clause += 1;
        } else if ends_clause(seg) {
            clause += 1;
        }
        char_pos += n_chars;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_diacritics_punctuation_and_elongation() {
        assert_eq!(normalize_word("Suïcide"), ("suicide".to_string(), false));
        assert_eq!(normalize_word("m'n"), ("mn".to_string(), false));
        assert_eq!(normalize_word("DOOOOOD"), ("dood".to_string(), true));
        assert_eq!(normalize_word("foto’s"), ("fotos".to_string(), false));
        assert_eq!(squeeze("dood"), "dod");
        assert_eq!(normalize_word("myn").0, normalize_word("mijn").0);
        assert_eq!(normalize_word("kyyys").0, "kĳĳs");
    }

    #[test]
    fn tracks_sentences_and_char_offsets() {
        let t = tokenize("Één zin. Tweë, zin");
        let words: Vec<_> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(words, ["een", "zin", "twee", "zin"]);
        assert_eq!((t[2].char_start, t[2].char_end), (9, 13));
        assert_eq!(t[1].sentence, 0);
        assert_eq!(t[2].sentence, 1);
        assert_ne!(t[2].clause, t[3].clause);
    }
}
