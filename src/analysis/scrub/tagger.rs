//! A small statistical name tagger for the words the name rules leave alone, so that a name
//! no list knows can still be recognised from its shape and its neighbours ("Daarna belde
//! Nynke", "Op de groep woonden Jelmer, Berend en ik").
//!
//! It is an averaged perceptron: for each candidate word (capitalised, or lowercase and not
//! an ordinary word) it adds up integer weights of features that describe the word's shape
//! (capital, sentence start, hyphen, length, last letters), what the word lists say about it
//! (ordinary word, listed name) and its neighbours (the words before and after, whether they
//! are capitalised, a role, a verb of speaking, a comma or a bracket). The word itself is
//! never a feature, so the tagger cannot memorise names from its training data.
//!
//! The weights in `name_tagger.txt` are trained from the development sets
//! (`tests/data/scrub/annotated.txt`, `heldout.txt`, `blind_round1.txt`) by the test
//! `eval::tests::name_tagger_weights_are_current`, which fails when they are stale; run it
//! with `LUISTER_WRITE_TAGGER=1` to write them again. Training is deterministic (fixed order,
//! integer weights), so the same sets and word lists always give the same file. Each set is
//! featurised with its own names removed from the name lists, so the tagger learns what an
//! *unlisted* name looks like; listed names are the rules' job.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::lexicon::{Fnv, Lexicon};
use super::names::{View, is_street_like};

const WEIGHTS: &str = include_str!("name_tagger.txt");

/// How much more a lowercase word must score than a capitalised one. Chat-style text is
/// full of ordinary words the lists do not know; cross-validation on the development sets
/// (train on two, test on the third) put this at 3 average weights: it keeps nine in ten of
/// the unseen lowercase names found at a third of the false alarms.
const LOWER_MARGIN: i64 = 3000;

/// The tagger: feature weights, averaged and scaled to integers.
pub(super) struct Tagger {
    weights: HashMap<String, i64, BuildHasherDefault<Fnv>>,
    /// A word is a name when its score exceeds this.
    threshold: i64,
}

impl Tagger {
    /// The committed weights.
    pub fn new() -> Self {
        Tagger::from_weights(WEIGHTS)
    }

    /// Weights in the file format: `threshold<TAB>n` once, then `feature<TAB>weight` lines;
    /// `#` lines are comments. Unreadable lines are skipped (an empty file gives a tagger that
    /// never fires).
    pub fn from_weights(text: &str) -> Self {
        let mut weights = HashMap::default();
        let mut threshold = i64::MAX;
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let Some((feature, weight)) = line.rsplit_once('\t') else {
                continue;
            };
            let Ok(weight) = weight.trim().parse::<i64>() else {
                continue;
            };
            if feature == "threshold" {
                threshold = weight;
            } else {
                weights.insert(feature.to_string(), weight);
            }
        }
        Tagger { weights, threshold }
    }

    /// The score of one word: the sum of its features' weights.
    pub fn score(&self, features: &[String]) -> i64 {
        features.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    /// The words of `v` that the tagger takes for (the start of) a name.
    pub fn names(&self, lex: &Lexicon, v: &View) -> Vec<usize> {
        if self.weights.is_empty() {
            return Vec::new();
        }
        (0..v.toks.len())
            .filter(|&k| {
                let bar =
                    if v.toks[k].cap { self.threshold } else { self.threshold.saturating_add(LOWER_MARGIN) };
                candidate(lex, v, k) && self.score(&features(lex, v, k)) > bar
            })
            .collect()
    }
}

/// The words the tagger judges: free, not protected, not a particle, title, role or
/// initial, at least two letters, and capitalised or not an ordinary word.
pub(super) fn candidate(lex: &Lexicon, v: &View, k: usize) -> bool {
    let t = &v.toks[k];
    let info = v.info[k];
    v.usable(k)
        && t.text.chars().count() >= 2
        && !lex.is_particle(&t.key)
        && !lex.is_title(&t.key)
        && !lex.is_role(&t.key)
        && !lex.is_org_suffix(&t.key)
        && !lex.is_org_prefix(&t.key)
        && !is_street_like(&t.key)
        && !info.non_person
        && !lex.is_mostly_word(&t.key)
        && !t.key.contains(['\'', '’'])
        // Lowercase names are a chat habit: outside all-lowercase text a lowercase word no
        // list knows is far more often an ordinary word the lists miss.
        && (t.cap || (!info.common && chat(v.text)))
        // "komt uit Vietnam", "woont in Presikhaaf", "te Harreveld": after these a
        // capitalised word the lists do not know is a place far more often than a person.
        && !(k > 0 && v.gap_ok(k - 1, k) && PLACE_PREPOSITIONS.contains(&v.toks[k - 1].text))
}

const PLACE_PREPOSITIONS: &[&str] = &["uit", "in", "te", "rond", "richting", "nabij", "from", "near"];

/// All-lowercase text without placeholders. Text that was scrubbed before has lost its
/// capitals to placeholders, so it does not count as chat.
fn chat(text: &str) -> bool {
    !text.chars().any(char::is_uppercase) && !super::PLACEHOLDER.is_match(text)
}

/// The features of word `k`. Only shape, list facts and neighbours; never the word itself.
pub(super) fn features(lex: &Lexicon, v: &View, k: usize) -> Vec<String> {
    let t = &v.toks[k];
    let info = v.info[k];
    let n = v.toks.len();
    let mut f: Vec<String> = Vec::with_capacity(40);
    let mut add = |s: &str| f.push(s.to_string());
    add("bias");
    let opening = t.initial || k == 0;
    let shape = match (t.cap, opening) {
        (true, true) => "C^",
        (true, false) => "C",
        (false, true) => "l^",
        (false, false) => "l",
    };
    add(shape);
    if chat(v.text) {
        add("chat");
    }
    for (flag, name) in [
        (info.first, "first"),
        (info.sur, "sur"),
        (info.common, "common"),
        (lex.is_mostly_word(&t.key), "mostly"),
        (t.key.contains('-'), "hyphen"),
    ] {
        if flag {
            add(name);
            add(&format!("{name}&{shape}"));
        }
    }
    let len = t.key.chars().count();
    add(match len {
        0..=3 => "len<=3",
        4..=5 => "len4-5",
        6..=8 => "len6-8",
        _ => "len9+",
    });
    let chars: Vec<char> = t.key.chars().collect();
    if len >= 5 {
        add(&format!("s3={}", chars[len - 3..].iter().collect::<String>()));
    }
    if len >= 4 {
        add(&format!("s2={}", chars[len - 2..].iter().collect::<String>()));
    }
    // The words before.
    let gap_before = if k > 0 { &v.text[v.toks[k - 1].end..t.start] } else { "" };
    for (mark, name) in [(',', "g<,"), ('(', "g<("), (':', "g<:"), ('"', "g<q"), ('.', "g<.")] {
        if gap_before.contains(mark) {
            add(name);
        }
    }
    if k == 0 || opening {
        add("p1=^");
    } else {
        neighbour(lex, v, k - 1, "p1", &mut f);
        if k >= 2 {
            f.push(format!("p2={}", v.toks[k - 2].key));
        }
    }
    // The words after.
    let gap_after = v.gap_after(k);
    for (mark, name) in [(',', "g>,"), ('(', "g>("), (':', "g>:"), ('.', "g>."), ('?', "g>?"), ('!', "g>!")] {
        if gap_after.starts_with(mark) || gap_after.trim_start().starts_with(mark) {
            f.push(name.to_string());
        }
    }
    if gap_after.contains(['.', '!', '?', '\n']) || k + 1 >= n {
        f.push("n1=$".to_string());
    } else {
        neighbour(lex, v, k + 1, "n1", &mut f);
        let nk = &v.toks[k + 1].key;
        if lex.is_person_verb(nk) {
            f.push("n1:verb".to_string());
            f.push(format!("n1:verb&{shape}"));
        }
        if lex.is_speech_verb(nk) {
            f.push("n1:speech".to_string());
        }
        if k + 2 < n && !v.gap_after(k + 1).contains(['.', '!', '?', '\n']) {
            f.push(format!("n2={}", v.toks[k + 2].key));
        }
    }
    f
}

/// Facts about a neighbouring word, prefixed with `pre` ("p1" or "n1").
fn neighbour(lex: &Lexicon, v: &View, j: usize, pre: &str, f: &mut Vec<String>) {
    let t = &v.toks[j];
    let info = v.info[j];
    f.push(format!("{pre}={}", t.key));
    let mut kind = |name: &str| f.push(format!("{pre}:{name}"));
    if v.blocked[j] {
        kind("claimed");
    } else if v.protected[j] {
        kind("protected");
    } else if lex.is_role(&t.key) {
        kind("role");
    } else if lex.is_title(&t.key) {
        kind("title");
    } else if lex.is_particle(&t.key) {
        kind("particle");
    } else if t.cap && !t.initial {
        kind("cap");
        if info.known() {
            kind("name");
        } else if !info.common {
            kind("plain");
        }
    } else if !info.common {
        kind("unlisted");
    }
}

#[cfg(test)]
/// Train an averaged perceptron on `examples` (features, is a name) for `epochs` passes in
/// the given order, ignoring features seen fewer than `min_count` times. Returns the averaged
/// weights scaled by 1000 and rounded towards zero, without zero weights, sorted by feature.
pub(crate) fn train(examples: &[(Vec<String>, bool)], epochs: usize, min_count: usize) -> Vec<(String, i64)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (feats, _) in examples {
        for f in feats {
            *counts.entry(f.as_str()).or_default() += 1;
        }
    }
    // Per feature: current weight, running total of weights over steps, step of last change.
    let mut w: HashMap<&str, (i64, i64, i64)> = HashMap::new();
    let mut step: i64 = 0;
    for _ in 0..epochs {
        for (feats, gold) in examples {
            step += 1;
            let kept: Vec<&str> = feats
                .iter()
                .map(String::as_str)
                .filter(|f| counts.get(f).copied().unwrap_or(0) >= min_count)
                .collect();
            let score: i64 = kept.iter().map(|f| w.get(f).map_or(0, |x| x.0)).sum();
            let predicted = score > 0;
            if predicted == *gold {
                continue;
            }
            let delta = if *gold { 1 } else { -1 };
            for f in kept {
                let e = w.entry(f).or_insert((0, 0, 0));
                e.1 += e.0 * (step - e.2);
                e.2 = step;
                e.0 += delta;
            }
        }
    }
    let steps = step.max(1);
    let mut out: Vec<(String, i64)> = w
        .into_iter()
        .map(|(f, (cur, total, last))| (f.to_string(), (total + cur * (steps - last)) * 1000 / steps))
        .filter(|&(_, a)| a != 0)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
/// The weights file: a header, the threshold, then one feature per line.
pub(crate) fn weights_file(weights: &[(String, i64)], threshold: i64, header: &str) -> String {
    let mut s = String::new();
    for line in header.lines() {
        s.push_str("# ");
        s.push_str(line);
        s.push('\n');
    }
    s.push_str(&format!("threshold\t{threshold}\n"));
    for (f, w) in weights {
        s.push_str(&format!("{f}\t{w}\n"));
    }
    s
}
