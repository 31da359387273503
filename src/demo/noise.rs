//! Makes rendered sentences look typed by real people: youth slang, missing capitals and
//! run-on sentences, and the spelling mistakes (dt-errors, dropped accents, swapped letters)
//! that real submissions contain and that search and analysis must cope with.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::generator::capitalize;

/// How carefully a storyteller writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Capitals and full stops, as in a school essay.
    Neat,
    /// Mostly fine, some lowercase starts and chat words.
    Casual,
    /// All lowercase, chat words, sentences run into each other.
    Sloppy,
}

pub(crate) fn youth_style(rng: &mut ChaCha8Rng) -> Style {
    match super::meta::weighted(rng, &[35, 40, 25]) {
        0 => Style::Neat,
        1 => Style::Casual,
        _ => Style::Sloppy,
    }
}

/// Chat spellings a young person might use; applied per occurrence with the given chance.
const SLANG: &[(&str, &str, f64)] = &[
    ("mijn", "mn", 0.45),
    ("even", "ff", 0.6),
    ("gewoon", "gwn", 0.35),
    ("sowieso", "sws", 0.7),
    ("misschien", "mss", 0.4),
    ("trouwens", "btw", 0.5),
    ("natuurlijk", "tuurlijk", 0.5),
    ("oké", "oke", 0.5),
    ("niet", "nie", 0.04),
    ("wat", "wa", 0.03),
    ("heel", "heel erg", 0.12),
];

/// Common Dutch misspellings: dt-errors both ways, dropped accents, phonetic spellings.
const MISSPELL: &[(&str, &str)] = &[
    ("wordt", "word"),
    ("vindt", "vind"),
    ("gebeurt", "gebeurd"),
    ("gebeurd", "gebeurt"),
    ("houdt", "houd"),
    ("verandert", "veranderd"),
    ("veranderd", "verandert"),
    ("verteld", "vertelt"),
    ("vertelt", "verteld"),
    ("gezegd", "gezegt"),
    ("gevraagd", "gevraagt"),
    ("gebeld", "gebelt"),
    ("gestopt", "gestopd"),
    ("word", "wordt"),
    ("echt", "egt"),
    ("één", "een"),
    ("oké", "oke"),
    ("cliëntenraad", "clientenraad"),
    ("zorgcoördinator", "zorgcoordinator"),
    ("geïnteresseerd", "geinteresseerd"),
    ("eigenlijk", "eigelijk"),
    ("misschien", "mischien"),
    ("belachelijk", "belachlijk"),
    ("sowieso", "zowiezo"),
    ("geweest", "geweesd"),
    ("eindelijk", "eintelijk"),
    ("psycholoog", "psygoloog"),
    ("precies", "presies"),
    ("waarschijnlijk", "warschijnlijk"),
    ("trouwens", "trouwes"),
    ("zij", "hun"),
    ("zo'n", "zon"),
    ("doorverwezen", "doorverweze"),
    ("uiteindelijk", "uiteindelijk"),
    ("alleen", "allen"),
    ("interessant", "interresant"),
    ("ambtenaar", "ambtenaar"),
    ("afspraak", "afsprak"),
    ("gesepareerd", "geseppareerd"),
    ("verantwoordelijk", "verantwoordlijk"),
];

const YOUTH_PREFIX: &[&str] =
    &["en toen ", "maar ", "nou ja ", "anyway ", "eerlijk gezegd ", "sws ", "dus ", "bro "];

const YOUTH_SUFFIX: &[&str] = &[" lol", " haha", " :(", " ofzo", "!!", "...", " 😕", " ??"];

/// Replaces whole words via `f`, keeping surrounding punctuation and a leading capital.
pub(crate) fn map_words(s: &str, mut f: impl FnMut(&str) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, tok) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core_start = tok.char_indices().find(|(_, c)| c.is_alphanumeric()).map(|(i, _)| i);
        let Some(a) = core_start else {
            out.push_str(tok);
            continue;
        };
        let b = tok
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(tok.len());
        let core = &tok[a..b];
        let lower = core.to_lowercase();
        match f(&lower) {
            Some(rep) => {
                out.push_str(&tok[..a]);
                if core.chars().next().is_some_and(char::is_uppercase) {
                    let mut r = rep.to_string();
                    capitalize(&mut r);
                    out.push_str(&r);
                } else {
                    out.push_str(rep);
                }
                out.push_str(&tok[b..]);
            }
            None => out.push_str(tok),
        }
    }
    out
}

/// Applies chat spellings, lowercase starts and interjections to a young person's sentences.
pub(crate) fn youth(sentences: &mut [String], style: Style, dutch: bool, rng: &mut ChaCha8Rng) {
    // Each interjection at most once per story: "ofzo ... ofzo" reads generated.
    let mut used: u32 = 0;
    for s in sentences.iter_mut() {
        match style {
            Style::Neat => capitalize(s),
            Style::Casual | Style::Sloppy => {
                let strength = if style == Style::Sloppy { 1.0 } else { 0.6 };
                if dutch {
                    *s = map_words(s, |w| {
                        SLANG
                            .iter()
                            .find(|(from, _, _)| *from == w)
                            .filter(|(_, _, p)| *p > 0.0 && rng.random_bool(p * strength))
                            .map(|(_, to, _)| *to)
                    });
                }
                if style == Style::Sloppy {
                    *s = s.to_lowercase();
                } else if rng.random_bool(0.55) {
                    capitalize(s);
                } else {
                    lowercase_first(s);
                }
                let k = rng.random_range(0..YOUTH_PREFIX.len());
                if dutch && rng.random_bool(0.12 * strength) && used & (1 << k) == 0 {
                    used |= 1 << k;
                    let pre = YOUTH_PREFIX[k];
                    lowercase_first(s);
                    s.insert_str(0, pre);
                    if style == Style::Casual {
                        capitalize(s);
                    }
                }
                let k = rng.random_range(0..YOUTH_SUFFIX.len());
                if dutch && rng.random_bool(0.1 * strength) && used & (1 << (16 + k)) == 0 {
                    used |= 1 << (16 + k);
                    let suf = YOUTH_SUFFIX[k];
                    strip_final_stop(s);
                    s.push_str(suf);
                } else if rng.random_bool(0.35 * strength) {
                    strip_final_stop(s);
                }
            }
        }
    }
}

fn lowercase_first(s: &mut String) {
    if let Some(c) = s.chars().next()
        && c.is_uppercase()
    {
        let lower: String = c.to_lowercase().collect();
        s.replace_range(..c.len_utf8(), &lower);
    }
}

fn strip_final_stop(s: &mut String) {
    if s.ends_with('.') && !s.ends_with("...") {
        s.pop();
    }
}

/// Introduces one to four spelling mistakes of the kinds listed in `MISSPELL`, plus sometimes
/// a pair of swapped letters.
pub(crate) fn misspell(sentences: &mut [String], rng: &mut ChaCha8Rng, heavy: bool) {
    let p = if heavy { 0.6 } else { 0.3 };
    let mut budget = if heavy { 4 } else { 2 };
    for s in sentences.iter_mut() {
        if budget == 0 {
            break;
        }
        *s = map_words(s, |w| {
            if budget == 0 {
                return None;
            }
            let hit = MISSPELL.iter().find(|(from, to)| *from == w && from != to).map(|(_, to)| *to)?;
            if rng.random_bool(p) {
                budget -= 1;
                Some(hit)
            } else {
                None
            }
        });
    }
    if rng.random_bool(if heavy { 0.6 } else { 0.3 }) && !sentences.is_empty() {
        let i = rng.random_range(0..sentences.len());
        swap_letters(&mut sentences[i], rng);
    }
}

/// Swaps two neighbouring letters inside one longer ASCII word ("wachtlijst" → "wachtljist").
fn swap_letters(s: &mut String, rng: &mut ChaCha8Rng) {
    let words: Vec<(usize, usize)> = s
        .split(' ')
        .scan(0usize, |pos, w| {
            let start = *pos;
            *pos += w.len() + 1;
            Some((start, w.len()))
        })
        .filter(|(start, len)| *len >= 7 && s[*start..*start + *len].bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    if words.is_empty() {
        return;
    }
    let (start, len) = words[rng.random_range(0..words.len())];
    let i = start + rng.random_range(2..len - 2);
    // Safe: the word is ASCII, so byte positions are char positions.
    let mut bytes = std::mem::take(s).into_bytes();
    bytes.swap(i, i + 1);
    *s = String::from_utf8(bytes).unwrap_or_default();
}

/// Joins sentences; sloppy writers run them together with commas and "en".
pub(crate) fn join(sentences: &[String], style: Style, dutch: bool, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(sentences.iter().map(|s| s.len() + 2).sum());
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            if style == Style::Sloppy && rng.random_bool(0.5) {
                strip_final_stop(&mut out);
                // Never "en en": a sentence that already opens with a connective gets a comma.
                let starts_connective = ["en ", "maar ", "dus ", "want ", "and ", "but "]
                    .iter()
                    .any(|c| s.to_lowercase().starts_with(c));
                let j = if starts_connective {
                    ", "
                } else if dutch {
                    [", ", " en ", " ", ", en "][rng.random_range(0..4)]
                } else {
                    [", ", " and ", " ", ", and "][rng.random_range(0..4)]
                };
                out.push_str(j);
            } else {
                if style != Style::Neat && !out.ends_with(['.', '!', '?', ')']) && rng.random_bool(0.5) {
                    out.push('.');
                }
                out.push(' ');
            }
        }
        out.push_str(s);
    }
    out
}

/// Gives an angry parent's sentence an exclamation mark or two.
pub(crate) fn exclaim(s: &mut String, rng: &mut ChaCha8Rng) {
    if s.ends_with('.') {
        s.pop();
        s.push_str(if rng.random_bool(0.5) { "!" } else { "!!" });
    }
}
