//! Safeguarding detection: finds stories that signal acute danger (suicidal thoughts, self-harm,
//! violence or sexual abuse, being unsafe at home) so the storyteller is shown where to get help
//! right away and facilitators see the story, with the phrases highlighted, on a "needs
//! attention" list.
//!
//! Detection is a hand-written Dutch and English phrase lexicon (`lexicon_nl.txt`,
//! `lexicon_en.txt`; the pattern language is documented at the top of `lexicon_nl.txt`), matched
//! on normalised tokens: lowercase, diacritics folded, punctuation stripped, stretched letters
//! cut back ("dooooood"), doubled letters optional on longer words, and one typo tolerated on
//! long words ("zelfmoort", "misbuikt"). Recall comes first: a missed child in danger is worse
//! than a false alarm, so the lexicon errs towards flagging, and only negations that are safe to
//! honour are honoured (a gap in a pattern never skips "niet", "nooit", "geen", "not", ...).
//! Measured on `tests/data/safeguarding/` by `eval`.

mod pattern;
mod text;

pub mod eval;

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::str::FromStr;
use std::sync::LazyLock;

pub use pattern::LexiconError;
use pattern::{FlatEl, Parsed, TokSpec};
use text::{Token, tokenize};

/// The kinds of acute danger the lexicon detects; each maps to its own help offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerKind {
    /// Suicidal thoughts, plans or attempts (also about someone close, and "kys" aimed at the teller).
    Suicide,
    /// Cutting, scratching ("krassen"), burning, hitting oneself.
    SelfHarm,
    /// Violence or threats of violence against the teller or at home.
    DomesticViolence,
    /// Sexual abuse, assault, grooming ("loverboy"), sextortion.
    SexualAbuse,
    /// Not safe where one lives: afraid to go home, thrown out, neglected, threatened.
    UnsafeHome,
}

impl DangerKind {
    /// Dutch label for facilitators and the help page.
    pub fn label_nl(self) -> &'static str {
        match self {
            DangerKind::Suicide => "Gedachten aan zelfdoding",
            DangerKind::SelfHarm => "Zelfbeschadiging",
            DangerKind::DomesticViolence => "Geweld of mishandeling",
            DangerKind::SexualAbuse => "Seksueel misbruik of uitbuiting",
            DangerKind::UnsafeHome => "Niet veilig thuis of waar je woont",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            DangerKind::Suicide => "Suicidal thoughts",
            DangerKind::SelfHarm => "Self-harm",
            DangerKind::DomesticViolence => "Violence or abuse",
            DangerKind::SexualAbuse => "Sexual abuse or exploitation",
            DangerKind::UnsafeHome => "Not safe at home or where you live",
        }
    }

    /// Every kind, in a stable order.
    pub fn all() -> &'static [DangerKind] {
        &[
            DangerKind::Suicide,
            DangerKind::SelfHarm,
            DangerKind::DomesticViolence,
            DangerKind::SexualAbuse,
            DangerKind::UnsafeHome,
        ]
    }

    /// The snake_case name used in serde, the lexicon files and the test set.
    pub fn as_str(self) -> &'static str {
        match self {
            DangerKind::Suicide => "suicide",
            DangerKind::SelfHarm => "self_harm",
            DangerKind::DomesticViolence => "domestic_violence",
            DangerKind::SexualAbuse => "sexual_abuse",
            DangerKind::UnsafeHome => "unsafe_home",
        }
    }
}

impl fmt::Display for DangerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DangerKind {
    type Err = String;

    /// Parses the snake_case name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DangerKind::all()
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown danger kind `{s}`"))
    }
}

/// One matched phrase. Offsets are char (Unicode scalar value) offsets into the original text,
/// `end` exclusive; `phrase` is that slice of the original text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Signal {
    /// What kind of danger the phrase signals.
    pub kind: DangerKind,
    /// First char of the phrase in the original text.
    pub start: usize,
    /// One past the last char of the phrase.
    pub end: usize,
    /// The original text of the phrase, for highlighting.
    pub phrase: String,
}

/// The outcome for one text: all signals, ordered by position.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Assessment {
    /// Every matched phrase; overlapping matches of one kind are merged.
    pub signals: Vec<Signal>,
}

impl Assessment {
    /// True when the story needs attention (and the help offer must be shown).
    pub fn is_flagged(&self) -> bool {
        !self.signals.is_empty()
    }

    /// The distinct kinds found, in `DangerKind` order.
    pub fn kinds(&self) -> Vec<DangerKind> {
        let mut kinds: Vec<DangerKind> = self.signals.iter().map(|s| s.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }
}

const LEXICON_NL: &str = include_str!("lexicon_nl.txt");
const LEXICON_EN: &str = include_str!("lexicon_en.txt");

/// FxHash, as used inside rustc. The index maps are keyed by our own lexicon words and probed
/// several times per token; SipHash's flood resistance buys nothing there and costs a third of
/// the lookup time. (The per-story map of distinct words, keyed by user text, keeps SipHash.)
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(c);
            self.add(u64::from_le_bytes(buf));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// True when `tok` is within one edit (insert, delete, substitute, swap two neighbours: OSA
/// distance <= 1) of `spec`. Allocation-free; this runs for every long word of a story.
fn within_one_edit(tok: &[char], spec: &[char]) -> bool {
    let i = tok.iter().zip(spec).take_while(|(a, b)| a == b).count();
    match tok.len() as isize - spec.len() as isize {
        0 => {
            i == tok.len()
                || tok[i + 1..] == spec[i + 1..]
                || (i + 1 < tok.len()
                    && tok[i] == spec[i + 1]
                    && tok[i + 1] == spec[i]
                    && tok[i + 2..] == spec[i + 2..])
        }
        1 => tok[i + 1..] == spec[i..],
        -1 => tok[i..] == spec[i + 1..],
        _ => false,
    }
}

/// Finds the atoms a token matches without scanning every atom: hash lookups for literals and
/// prefixes, and a first-two-letters bucket for the few long words that tolerate a typo.
#[derive(Debug, Default)]
struct AtomIndex {
    exact: FxMap<String, Vec<u32>>,
    /// Keyed by the squeezed literal; the flag says the literal is long enough (5+ chars) to
    /// match a squeezed token even when the writer did not stretch it ("slat" for "slaat").
    /// Shorter words collide too often ("ben"/"been", "mee"/"me"); they still match when the
    /// writer clearly stretched a letter ("dooood", "kyyys").
    squeezed: FxMap<String, Vec<(u32, bool)>>,
    prefixes: FxMap<String, Vec<u32>>,
    prefix_lens: Vec<usize>,
    squeezed_prefixes: FxMap<String, Vec<u32>>,
    squeezed_prefix_lens: Vec<usize>,
    /// Typo-tolerant atoms by their first two letters.
    fuzzy: FxMap<(char, char), Vec<FuzzyAtom>>,
}

#[derive(Debug)]
struct FuzzyAtom {
    id: u32,
    chars: Vec<char>,
    prefix: bool,
}

/// Common Dutch spelling slips, accepted for every literal of 5+ letters not marked `=`:
/// a dropped final n ("leve", "snije", "krasse" for leven, snijen, krassen) and d/t mix-ups
/// at the end ("mishandelt"/"mishandeld", "snijt"/"snijdt").
fn spelling_variants(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if word.chars().count() < 5 {
        return out;
    }
    if let Some(stem) = word.strip_suffix("en") {
        out.push(format!("{stem}e"));
    }
    if let Some(stem) = word.strip_suffix("dt") {
        out.push(format!("{stem}t"));
        out.push(format!("{stem}d"));
    } else if let Some(stem) = word.strip_suffix('d') {
        out.push(format!("{stem}t"));
    } else if let Some(stem) = word.strip_suffix('t') {
        out.push(format!("{stem}d"));
    }
    out
}

fn first_two(s: &str) -> Option<(char, char)> {
    let mut c = s.chars();
    Some((c.next()?, c.next()?))
}

impl AtomIndex {
    fn build(specs: &[TokSpec]) -> Self {
        let mut ix = AtomIndex::default();
        for (id, spec) in specs.iter().enumerate() {
            let id = id as u32;
            let sq = text::squeeze(&spec.text);
            let len = spec.text.chars().count();
            if spec.prefix {
                ix.prefixes.entry(spec.text.clone()).or_default().push(id);
                ix.prefix_lens.push(len);
                ix.squeezed_prefix_lens.push(sq.chars().count());
                ix.squeezed_prefixes.entry(sq).or_default().push(id);
            } else {
                ix.exact.entry(spec.text.clone()).or_default().push(id);
                ix.squeezed.entry(sq).or_default().push((id, len >= 5));
                if !spec.exact {
                    // Variants match exactly only: squeezing them as well would let "woonde"
                    // (lived) match "wonde", the dropped-n form of "wonden" (wounds).
                    for v in spelling_variants(&spec.text) {
                        ix.exact.entry(v).or_default().push(id);
                    }
                }
            }
            if spec.fuzzy
                && let Some(k) = first_two(&spec.text)
            {
                ix.fuzzy.entry(k).or_default().push(FuzzyAtom {
                    id,
                    chars: spec.text.chars().collect(),
                    prefix: spec.prefix,
                });
            }
        }
        for v in [&mut ix.prefix_lens, &mut ix.squeezed_prefix_lens] {
            v.sort_unstable();
            v.dedup();
        }
        ix
    }

    /// Looks up every prefix length the lexicon uses, cutting `word` at char boundaries.
    fn lookup_prefixes(map: &FxMap<String, Vec<u32>>, lens: &[usize], word: &str, out: &mut Vec<u32>) {
        let mut bounds = word.char_indices().map(|(b, _)| b).skip(1).chain([word.len()]);
        let mut seen = 0usize;
        let mut end = 0usize;
        for &len in lens {
            while seen < len {
                match bounds.next() {
                    Some(b) => {
                        end = b;
                        seen += 1;
                    }
                    None => return,
                }
            }
            if let Some(ids) = map.get(&word[..end]) {
                out.extend(ids);
            }
        }
    }

    fn lookup(&self, tok: &Token, out: &mut Vec<u32>) {
        if let Some(ids) = self.exact.get(&tok.norm) {
            out.extend(ids);
        }
        // Squeezed only here, for distinct words: most tokens repeat.
        let squeezed = text::squeeze(&tok.norm);
        if let Some(ids) = self.squeezed.get(&squeezed) {
            out.extend(ids.iter().filter(|(_, long)| *long || tok.elongated).map(|(id, _)| id));
        }
        Self::lookup_prefixes(&self.prefixes, &self.prefix_lens, &tok.norm, out);
        if tok.elongated {
            Self::lookup_prefixes(&self.squeezed_prefixes, &self.squeezed_prefix_lens, &squeezed, out);
        }
        let Some(bucket) = first_two(&tok.norm).and_then(|k| self.fuzzy.get(&k)) else {
            return;
        };
        let chars: Vec<char> = tok.norm.chars().collect();
        if chars.len() + 1 < pattern::FUZZY_MIN_PREFIX {
            return;
        }
        for f in bucket {
            let n = f.chars.len();
            let hit = if f.prefix {
                // Compare the token's first n-1, n or n+1 letters with the prefix.
                (n - 1..=n + 1)
                    .filter(|&cut| cut <= chars.len())
                    .any(|cut| within_one_edit(&chars[..cut], &f.chars))
            } else {
                within_one_edit(&chars, &f.chars)
            };
            if hit {
                out.push(f.id);
            }
        }
    }
}

/// What one distinct token matched.
#[derive(Debug, Default)]
struct TokAtoms {
    /// Sorted atom ids.
    atoms: Vec<u32>,
    /// A negation word: gaps never skip it.
    negation: bool,
}

fn intersects(sorted_small: &[u32], sorted_set: &[u32]) -> bool {
    sorted_small.iter().any(|a| sorted_set.binary_search(a).is_ok())
}

/// One raw pattern hit, in token positions (inclusive).
#[derive(Debug, Clone, Copy)]
struct Hit {
    kind: DangerKind,
    first: usize,
    last: usize,
    pattern: usize,
}

/// The compiled lexicon. Built once (see [`lexicon`]); immutable, so `Send + Sync`.
#[derive(Debug)]
pub struct Lexicon {
    index: AtomIndex,
    patterns: Vec<pattern::Compiled>,
    /// For each atom id, the patterns whose first word may be that atom.
    by_first: Vec<Vec<u32>>,
    /// For each pattern, its most selective later word (fewest alternatives), or empty. A
    /// pattern is only tried when the story contains one of these atoms somewhere, which
    /// rules out most attempts triggered by common first words such as "ik" or "hij".
    probes: Vec<Vec<u32>>,
    negations: Vec<u32>,
    ignores: Vec<u32>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Self::new()
    }
}

struct Ctx<'a> {
    toks: &'a [Token],
    info: Vec<&'a TokAtoms>,
}

impl Ctx<'_> {
    fn in_sentence(&self, pos: usize, sentence: u32) -> bool {
        self.toks.get(pos).is_some_and(|t| t.sentence == sentence)
    }

    fn has(&self, pos: usize, set: &[u32]) -> bool {
        intersects(&self.info[pos].atoms, set)
    }

    /// Backtracking match of `seq` from token `pos`; returns the last matched token.
    /// Patterns are short and gaps small, so the search stays tiny.
    fn match_seq(&self, seq: &[FlatEl], pos: usize, sentence: u32, last: usize) -> Option<usize> {
        let Some((el, rest)) = seq.split_first() else {
            return Some(last);
        };
        match el {
            FlatEl::Atoms(set) => {
                if self.in_sentence(pos, sentence) && self.has(pos, set) {
                    self.match_seq(rest, pos + 1, sentence, pos)
                } else {
                    None
                }
            }
            FlatEl::Gap(n) => {
                for skip in 0..=*n as usize {
                    if skip > 0 {
                        let skipped = pos + skip - 1;
                        if !self.in_sentence(skipped, sentence) || self.info[skipped].negation {
                            return None;
                        }
                    }
                    if let Some(end) = self.match_seq(rest, pos + skip, sentence, last) {
                        return Some(end);
                    }
                }
                None
            }
            FlatEl::Not(set) => {
                if self.in_sentence(pos, sentence) && self.has(pos, set) {
                    None
                } else {
                    self.match_seq(rest, pos, sentence, last)
                }
            }
            FlatEl::End => {
                let ends = self.toks.get(pos).is_none_or(|t| t.clause != self.toks[last].clause);
                if ends { self.match_seq(rest, pos, sentence, last) } else { None }
            }
        }
    }
}

impl Lexicon {
    /// Compiles the built-in Dutch and English lexicons. Panics only if the bundled files are
    /// broken, which the unit tests rule out.
    pub fn new() -> Self {
        Self::from_sources(&[("lexicon_nl.txt", LEXICON_NL), ("lexicon_en.txt", LEXICON_EN)])
            .unwrap_or_else(|e| panic!("bundled safeguarding lexicon is invalid: {e}"))
    }

    /// Compiles lexicon files given as `(name, contents)`; the name is used in error messages.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self, LexiconError> {
        let mut parsed = Parsed::default();
        for (name, src) in sources {
            parsed.add_source(name, src)?;
        }
        let Parsed { atoms, mut patterns, mut negations, mut ignores } = parsed;
        let specs = atoms.specs;
        for p in &mut patterns {
            p.behind.sort_unstable();
            for el in &mut p.seq {
                if let FlatEl::Atoms(ids) | FlatEl::Not(ids) = el {
                    ids.sort_unstable();
                    ids.dedup();
                }
            }
        }
        negations.sort_unstable();
        ignores.sort_unstable();
        let mut by_first = vec![Vec::new(); specs.len()];
        for (pi, p) in patterns.iter().enumerate() {
            if let Some(FlatEl::Atoms(ids)) = p.seq.first() {
                for &id in ids {
                    by_first[id as usize].push(pi as u32);
                }
            }
        }
        let probes = patterns
            .iter()
            .map(|p| {
                p.seq[1..]
                    .iter()
                    .filter_map(|el| match el {
                        FlatEl::Atoms(ids) => Some(ids),
                        _ => None,
                    })
                    .min_by_key(|ids| ids.len())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        Ok(Lexicon { probes, index: AtomIndex::build(&specs), patterns, by_first, negations, ignores })
    }

    /// Number of flattened patterns, for reports.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    fn hits(&self, toks: &[Token]) -> Vec<Hit> {
        // Each distinct token is looked up once; stories repeat "ik", "de", "en" a lot.
        let mut distinct: HashMap<&str, usize> = HashMap::new();
        let mut infos: Vec<TokAtoms> = Vec::new();
        let mut slots = Vec::with_capacity(toks.len());
        for t in toks {
            let slot = *distinct.entry(t.norm.as_str()).or_insert_with(|| {
                let mut atoms = Vec::new();
                self.index.lookup(t, &mut atoms);
                atoms.sort_unstable();
                atoms.dedup();
                let negation = intersects(&atoms, &self.negations);
                if intersects(&atoms, &self.ignores) {
                    atoms.clear();
                }
                infos.push(TokAtoms { atoms, negation });
                infos.len() - 1
            });
            slots.push(slot);
        }
        let ctx = Ctx { toks, info: slots.iter().map(|&s| &infos[s]).collect() };
        let mut present = vec![false; self.by_first.len()];
        for info in &infos {
            for &a in &info.atoms {
                present[a as usize] = true;
            }
        }
        // Per pattern: 0 = not yet known, 1 = its probe word occurs in the story, 2 = it does not.
        let mut viable = vec![0u8; self.patterns.len()];
        let mut tried = vec![usize::MAX; self.patterns.len()];
        let mut hits = Vec::new();
        for (pos, tok) in toks.iter().enumerate() {
            let sentence = tok.sentence;
            for &atom in &ctx.info[pos].atoms {
                for &pi in &self.by_first[atom as usize] {
                    let pi = pi as usize;
                    if tried[pi] == pos {
                        continue;
                    }
                    tried[pi] = pos;
                    if viable[pi] == 0 {
                        let probe = &self.probes[pi];
                        viable[pi] = if probe.is_empty() || probe.iter().any(|&a| present[a as usize]) {
                            1
                        } else {
                            2
                        };
                    }
                    if viable[pi] == 2 {
                        continue;
                    }
                    let p = &self.patterns[pi];
                    if !p.behind.is_empty()
                        && pos > 0
                        && ctx.in_sentence(pos - 1, sentence)
                        && ctx.has(pos - 1, &p.behind)
                    {
                        continue;
                    }
                    if let Some(last) = ctx.match_seq(&p.seq, pos, sentence, pos) {
                        hits.push(Hit { kind: p.kind, first: pos, last, pattern: pi });
                    }
                }
            }
        }
        hits
    }

    /// Finds all danger signals in `text`. Overlapping matches of the same kind are merged into
    /// one highlighted phrase; different kinds are reported separately.
    pub fn assess(&self, text: &str) -> Assessment {
        let toks = tokenize(text);
        let mut hits = self.hits(&toks);
        hits.sort_unstable_by_key(|h| (h.kind, h.first, h.last));
        let mut merged: Vec<(DangerKind, usize, usize)> = Vec::new();
        for h in hits {
            match merged.last_mut() {
                Some((k, _, last)) if *k == h.kind && h.first <= *last => {
                    *last = (*last).max(h.last);
                }
                _ => merged.push((h.kind, h.first, h.last)),
            }
        }
        let mut signals: Vec<Signal> = merged
            .into_iter()
            .map(|(kind, first, last)| Signal {
                kind,
                start: toks[first].char_start,
                end: toks[last].char_end,
                phrase: text[toks[first].byte_start..toks[last].byte_end].to_string(),
            })
            .collect();
        signals.sort_by_key(|s| (s.start, s.end, s.kind));
        Assessment { signals }
    }

    /// Which lexicon lines fired on `text`, as `file:line kind «phrase»`; for tuning and for
    /// the evaluation report.
    pub fn explain(&self, text: &str) -> Vec<String> {
        let toks = tokenize(text);
        let mut out: Vec<String> = self
            .hits(&toks)
            .into_iter()
            .map(|h| {
                format!(
                    "{} {} «{}»",
                    self.patterns[h.pattern].origin,
                    h.kind,
                    &text[toks[h.first].byte_start..toks[h.last].byte_end]
                )
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::new);

/// The shared lexicon, compiled on first use.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Assesses `text` with the shared lexicon.
pub fn assess(text: &str) -> Assessment {
    lexicon().assess(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn flagged(text: &str) -> bool {
        assess(text).is_flagged()
    }

    fn kinds(text: &str) -> Vec<DangerKind> {
        assess(text).kinds()
    }

    #[test]
    fn one_edit_check_matches_osa() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b) in [
            ("zelfmoort", "zelfmoord"),
            ("misbuikt", "misbruikt"),
            ("verkrachtt", "verkracht"),
            ("vekrracht", "verkracht"),
            ("abc", "abc"),
            ("", "a"),
        ] {
            assert!(within_one_edit(&c(a), &c(b)), "{a} {b}");
            assert!(within_one_edit(&c(b), &c(a)), "{b} {a}");
        }
        for (a, b) in [("zelfmord", "zelfmoord_"), ("abcd", "badc"), ("geslapen", "gesloten"), ("ab", "abcd")]
        {
            assert!(!within_one_edit(&c(a), &c(b)), "{a} {b}");
            assert!(!within_one_edit(&c(b), &c(a)), "{b} {a}");
        }
    }

    #[test]
    fn bundled_lexicon_compiles_and_is_shareable() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Lexicon>();
        assert!(lexicon().pattern_count() > 100);
    }

    #[test]
    fn offsets_are_chars_into_the_original_text() {
        let text = "Één ding 😀: ik wil dóóóód, echt.";
        let a = assess(text);
        assert_eq!(a.signals.len(), 1, "{a:?}");
        let s = &a.signals[0];
        assert_eq!(s.kind, DangerKind::Suicide);
        assert_eq!(s.phrase, "ik wil dóóóód");
        let chars: Vec<char> = text.chars().collect();
        let slice: String = chars[s.start..s.end].iter().collect();
        assert_eq!(slice, s.phrase);
        assert_eq!(s.start, 12);
    }

    #[test]
    fn overlapping_matches_merge_and_kinds_stay_apart() {
        let a = assess("Mijn stiefvader slaat me en ik snij mezelf.");
        assert_eq!(a.kinds(), [DangerKind::SelfHarm, DangerKind::DomesticViolence]);
        assert_eq!(a.signals.len(), 2);
        assert_eq!(a.signals[0].phrase, "stiefvader slaat me");
        assert_eq!(a.signals[1].phrase, "ik snij mezelf");
    }

    #[test]
    fn inflections_and_words_in_between() {
        for t in [
            "hij slaat me",
            "hij sloeg me gisteren",
            "hij heeft me weer hard geslagen",
            "mn vader slaat mn moeder",
            "ik word thuis geslagen",
            "ik werd geslagn door mijn stiefvader",
            "mijn ouders mishandelen mij",
            "mijn moeder wordt in elkaar geslagen",
        ] {
            assert!(kinds(t).contains(&DangerKind::DomesticViolence), "{t}");
        }
        for t in [
            "ik snij mezelf",
            "ik heb mezelf gisteren weer gesneden",
            "mezelf snijen",
            "ik ben weer begonnen met krassen",
        ] {
            assert!(kinds(t).contains(&DangerKind::SelfHarm), "{t}");
        }
    }

    #[test]
    fn spelling_variants() {
        for t in [
            "ik denk aan zelfmoort",
            "ik denk aan zelf moord",
            "SUÏCIDE",
            "ik wil dooooood",
            "ik heb last van zelfbeschading",
            "ik ben misbuikt",
            "ik ben verkragt",
            "ik wil er nie meer zijn",
            "kyyys zeiden ze",
        ] {
            assert!(flagged(t), "{t}");
        }
    }

    #[test]
    fn safe_negations_are_honoured() {
        assert!(!flagged("ik voel me veilig thuis"));
        assert!(flagged("ik voel me niet veilig thuis"));
        assert!(flagged("ik voel me thuis helemaal niet veilig"));
        assert!(!flagged("mijn vader heeft me nooit geslagen"));
        assert!(flagged("mijn vader heeft me vaak geslagen"));
        assert!(!flagged("hij slaat me niet"));
        assert!(!flagged("ik wil niet dood"));
        assert!(!flagged("I feel safe at home now"));
        assert!(flagged("I don't feel safe at home"));
    }

    #[test]
    fn harmless_idioms_are_not_flagged() {
        for t in [
            "de wachtlijst is om dood van te gaan",
            "ik schrok me dood",
            "dodelijk saai",
            "ik snij de groenten",
            "we sloegen de bal",
            "de school slaat de plank mis",
            "zelfmoordpreventie-les op school",
            "mijn oma is dood",
            "de hulpverlener zei dat het niet veilig was om de brief te sturen",
            "ik heb slecht geslapen",
            "ik wil doorgaan met school",
            "ik durf niet naar de tandarts",
            "ik wil niet meer naar die dagbesteding",
        ] {
            assert!(!flagged(t), "{t}: {:?}", lexicon().explain(t));
        }
    }

    #[test]
    fn brief_examples_are_flagged() {
        for t in [
            "ik wil dood",
            "ik ben er klaar mee, ik wil er niet meer zijn",
            "mezelf snijden",
            "krassen, ik ben weer begonnen met krassen",
            "i want to unalive myself",
            "hij slaat me",
            "hij zit aan me",
            "ze dwong me tot seks",
            "ik ben niet veilig thuis",
            "ik durf niet naar huis",
            "hij heeft mijn naaktfoto's doorgestuurd en nu word ik gechanteerd",
            "mijn loverboy",
            "soms denk ik dat iedereen beter af is zonder mij",
            "ik wil gewoon slapen en nooit meer wakker worden",
        ] {
            assert!(flagged(t), "{t}");
        }
    }

    #[test]
    fn sentences_bound_matches() {
        // "hij ... slaat" and "me" are in different sentences.
        assert!(!flagged("Hij slaat. Me maakt het niet uit."));
        assert!(assess("").signals.is_empty());
        assert!(assess("   …  !!").signals.is_empty());
    }

    #[test]
    fn serde_uses_snake_case() {
        let a = assess("ik snij mezelf");
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"self_harm\""), "{json}");
        let back: Assessment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        for k in DangerKind::all() {
            assert_eq!(k.as_str().parse::<DangerKind>(), Ok(*k));
            assert!(!k.label_nl().is_empty() && !k.label_en().is_empty());
        }
    }

    #[test]
    fn a_long_story_is_fast() {
        let para = "Ik woon sinds vorig jaar in een gezinshuis en eerlijk gezegd gaat het best goed. \
                    Mijn mentor luistert, maar de wachtlijst voor de ggz was om dood van te gaan. \
                    Soms denk ik dat iedereen beter af is zonder mij, en thuis durf ik niet te slapen. ";
        let story: String = para.repeat(2000 / para.len() + 1).chars().take(2000).collect();
        let lex = lexicon();
        assert!(lex.assess(&story).is_flagged());
        let runs = 200;
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(lex.assess(std::hint::black_box(&story)));
            }
            best = best.min(t.elapsed().as_secs_f64() / runs as f64);
        }
        println!("assess(2,000 chars): {:.1} µs", best * 1e6);
        if !cfg!(debug_assertions) {
            assert!(best < 1e-3, "{best}s per story");
        }
    }
}
