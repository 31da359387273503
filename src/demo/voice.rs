//! Gives each storyteller a voice of their own: a personal choice among near-synonyms
//! ("meteen" or "direct", "nog steeds" or "nog altijd"), used consistently through the story,
//! and the small discourse markers people add ("Kijk, ...", "..., zo is mijn ervaring").
//! Real stories differ in exactly these ways, and it keeps sentences from repeating verbatim.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::generator::Tone;
use super::meta::Persp;
use super::noise::map_words;
use super::phrases::VOORNAAM;

/// Single words and the variants one person might use instead; the first is the original.
/// Only words whose variants fit every context the templates use them in.
const WORDS: &[(&str, &[&str], bool)] = &[
    // (word, variants, adults only)
    ("meteen", &["meteen", "direct", "gelijk"], false),
    ("ontzettend", &["ontzettend", "enorm", "heel erg"], false),
    ("inmiddels", &["inmiddels", "intussen", "nu"], false),
    ("ongeveer", &["ongeveer", "zo'n", "rond de"], false),
    ("daarna", &["daarna", "vervolgens", "toen"], false),
    ("ineens", &["ineens", "opeens", "plotseling"], false),
    ("vaak", &["vaak", "vaak", "regelmatig"], false),
    ("soms", &["soms", "soms", "af en toe", "weleens"], false),
    ("moeilijk", &["moeilijk", "lastig"], false),
    ("lastig", &["lastig", "moeilijk"], false),
    ("misschien", &["misschien", "misschien", "wellicht"], true),
    ("eigenlijk", &["eigenlijk", "eigenlijk", "in feite"], true),
    ("fijn", &["fijn", "fijn", "prettig", "goed"], true),
    ("enorm", &["enorm", "enorm", "gigantisch"], true),
];

/// Multi-word phrases, handled as plain substring replacements (lowercase and capitalised).
// (phrase, the same phrase opening a sentence, variants). Capitals only occur at the start of
// a sentence, so the capitalised form is only looked for there.
const PHRASES: &[(&str, &str, &[&str])] = &[
    ("nog steeds", "Nog steeds", &["nog steeds", "nog altijd"]),
    ("eerlijk gezegd", "Eerlijk gezegd", &["eerlijk gezegd", "om eerlijk te zijn"]),
    ("een paar", "Een paar", &["een paar", "een aantal"]),
    ("heel veel", "Heel veel", &["heel veel", "ontzettend veel", "enorm veel"]),
    ("steeds vaker", "Steeds vaker", &["steeds vaker", "steeds meer", "almaar vaker"]),
    ("helemaal niet", "Helemaal niet", &["helemaal niet", "totaal niet", "echt niet"]),
    ("een tijdje", "Een tijdje", &["een tijdje", "een tijd", "een poosje"]),
    ("echt niet", "Echt niet", &["echt niet", "echt niet", "gewoon niet"]),
];

const PREFIX_YOUTH: &[&str] = &[
    "En ",
    "Maar ",
    "Nou, ",
    "Ja, ",
    "Oké, ",
    "Kijk, ",
    "Weet je, ",
    "Serieus, ",
    "Ik bedoel, ",
    "En ja, ",
    "Maarja, ",
];
const PREFIX_PARENT: &[&str] = &[
    "En ",
    "Maar ",
    "Kijk, ",
    "Nou, ",
    "Het punt is: ",
    "Ook belangrijk: ",
    "Daarbij: ",
    "En dan nog dit: ",
    "Wat ik wil zeggen: ",
    "Ook belangrijk: ",
];
const PREFIX_PRO: &[&str] = &[
    "En ",
    "Maar ",
    "Daarbij: ",
    "Wat opvalt: ",
    "In de praktijk: ",
    "Het punt is: ",
    "Daar komt bij: ",
    "Let wel: ",
    "Tegelijk: ",
    "Concreet: ",
];

const SUFFIX_YOUTH: &[&str] = &[
    ", echt waar",
    ", zeg maar",
    ", weet je",
    ", als ik eerlijk ben",
    ", dat weet ik nog goed",
    ", serieus",
    ", gewoon zo",
];
const SUFFIX_PARENT: &[&str] = &[
    ", dat kan ik je vertellen",
    ", dat weet ik nog als de dag van gisteren",
    ", en dat zeg ik niet zomaar",
    ", zo ging dat",
];
const SUFFIX_PRO: &[&str] = &[
    ", zo is mijn ervaring",
    ", en dat is geen uitzondering",
    ", als je het mij vraagt",
    ", dat zie ik vaker",
    ", in mijn ervaring",
];

// Only endings carry the story's tone reliably, so tone-specific tags go there.
const END_POS: &[&str] = &[
    ", en daar ben ik nog steeds dankbaar voor",
    ", en dat voelt goed",
    ", gelukkig",
    ", en dat had ik niet verwacht",
];
const END_NEG: &[&str] = &[
    ", en dat is toch niet normaal",
    ", wat ik nog steeds niet begrijp",
    ", helaas",
    ", en zo gaat het te vaak",
];

/// One storyteller's word choices, fixed on first use.
pub(crate) struct Voice {
    words: [u8; WORDS.len()],
    phrases: [u8; PHRASES.len()],
}

impl Voice {
    pub(crate) fn new() -> Self {
        Voice { words: [u8::MAX; WORDS.len()], phrases: [u8::MAX; PHRASES.len()] }
    }

    /// Replaces near-synonyms according to this storyteller's preferences.
    pub(crate) fn idiolect(&mut self, s: &mut String, adult: bool, rng: &mut ChaCha8Rng) {
        for (i, (from, cap, alts)) in PHRASES.iter().enumerate() {
            let at_start = s.starts_with(cap);
            if !at_start && !s.contains(from) {
                continue;
            }
            if self.phrases[i] == u8::MAX {
                self.phrases[i] = rng.random_range(0..alts.len()) as u8;
            }
            let to = alts[usize::from(self.phrases[i])];
            if to != *from {
                *s = s.replace(from, to);
                if at_start {
                    *s = s.replacen(cap, &capitalised(to), 1);
                }
            }
        }
        let present = WORDS.iter().any(|(w, _, only_adult)| (adult || !only_adult) && s.contains(&w[1..]));
        if !present {
            return;
        }
        *s = map_words(s, |w| {
            let i = WORDS.iter().position(|(from, _, only_adult)| *from == w && (adult || !only_adult))?;
            if self.words[i] == u8::MAX {
                self.words[i] = rng.random_range(0..WORDS[i].1.len()) as u8;
            }
            let to = WORDS[i].1[usize::from(self.words[i])];
            (to != w).then_some(to)
        });
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Adds discourse markers: prefixes and tags in the middle of the story, a tone-matching tag
/// on the outcome. `middle` is the index range of middle sentences, `outcome` the index of the
/// outcome sentence if any.
pub(crate) fn markers(
    sentences: &mut [String],
    middle: std::ops::Range<usize>,
    outcome: Option<usize>,
    persp: Persp,
    tone: Tone,
    rng: &mut ChaCha8Rng,
) {
    let (prefixes, suffixes) = match persp {
        Persp::Youth => (PREFIX_YOUTH, SUFFIX_YOUTH),
        Persp::Professional => (PREFIX_PRO, SUFFIX_PRO),
        Persp::Parent | Persp::Other => (PREFIX_PARENT, SUFFIX_PARENT),
    };
    // Some people never use these; others use them a lot.
    let habit: f64 = rng.random_range(0.0..0.25);
    // A marker used once per story; "Daarbij: ... Daarbij: ..." reads like a template.
    let mut used: u32 = 0;
    for i in middle {
        let s = &mut sentences[i];
        if rng.random_bool(habit) && can_prefix(s) {
            let k = rng.random_range(0..prefixes.len());
            // "Maar ..., maar ..." reads clumsy.
            let clash = prefixes[k] == "Maar " && s.contains("maar");
            if used & (1 << k) == 0 && !clash {
                used |= 1 << k;
                lowercase_start(s);
                s.insert_str(0, prefixes[k]);
            }
        } else if rng.random_bool(habit * 0.6) {
            let k = rng.random_range(0..suffixes.len());
            if used & (1 << (16 + k)) == 0 {
                used |= 1 << (16 + k);
                add_tag(s, suffixes[k]);
            }
        }
    }
    if let Some(i) = outcome {
        let tags = match tone {
            Tone::Pos => END_POS,
            Tone::Neg => END_NEG,
            Tone::Mix => return,
        };
        if rng.random_bool(habit * 0.5) {
            add_tag(&mut sentences[i], tags[rng.random_range(0..tags.len())]);
        }
    }
}

fn can_prefix(s: &str) -> bool {
    let first = s.split(' ').next().unwrap_or("");
    let mut chars = first.chars();
    let (Some(a), b) = (chars.next(), chars.next()) else {
        return false;
    };
    // Leave sentences alone that already open with a connective or a list, or with a name or
    // an abbreviation (which must keep its capital).
    a.is_uppercase()
        && !b.is_some_and(char::is_uppercase)
        && !matches!(
            first.trim_end_matches(','),
            "En" | "Maar" | "Dus" | "Want" | "Eerlijk" | "Kijk" | "Nou" | "Ja" | "Oké"
        )
        && s.find(':').is_none_or(|i| i >= 40)
        && !VOORNAAM.contains(&first.trim_end_matches(','))
        && !s.starts_with("De ouders van")
}

fn lowercase_start(s: &mut String) {
    if let Some(c) = s.chars().next() {
        let lower: String = c.to_lowercase().collect();
        s.replace_range(..c.len_utf8(), &lower);
    }
}

fn add_tag(s: &mut String, tag: &str) {
    if s.ends_with('.') && !s.ends_with("..") && !s.contains(':') && !s.contains('?') {
        s.pop();
        s.push_str(tag);
        s.push('.');
    }
}
