//! Measures the scrubber against a hand-annotated test set, so that changes to the rules and
//! word lists are judged on how much personal detail they remove and how much ordinary text
//! they leave alone, not on single examples.
//!
//! The file format is one sentence per line with details marked inline as
//! `[[kind|original text]]`; lines starting with `#` are comments.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use super::{PiiKind, Scrubber};

static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\[([a-z]+)\|([^\]|]+)\]\]").expect("mark pattern"));
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*").expect("word pattern"));
static HELPLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:0800|0900)-?\d{4}\b|\b11[23]\b").expect("help pattern"));

fn kind_named(name: &str) -> Option<PiiKind> {
    PiiKind::all()
        .iter()
        .copied()
        .find(|k| serde_json::to_value(k).ok().as_ref().and_then(|v| v.as_str()) == Some(name))
}

/// Strip the inline marks from one annotated line: the plain text, and each marked detail
/// as (start, end, kind) in characters of the plain text, end exclusive.
///
/// Panics on an unknown kind, so that a typo in the test set cannot silently drop a detail.
pub fn parse_annotated(line: &str) -> (String, Vec<(usize, usize, PiiKind)>) {
    let mut plain = String::with_capacity(line.len());
    let mut gold = Vec::new();
    let mut chars = 0;
    let mut last = 0;
    for c in MARK.captures_iter(line) {
        let m = c.get(0).expect("match");
        let before = &line[last..m.start()];
        plain.push_str(before);
        chars += before.chars().count();
        let kind = kind_named(&c[1]).unwrap_or_else(|| panic!("unknown kind {:?} in {line:?}", &c[1]));
        let original = &c[2];
        let len = original.chars().count();
        gold.push((chars, chars + len, kind));
        plain.push_str(original);
        chars += len;
        last = m.end();
    }
    plain.push_str(&line[last..]);
    (plain, gold)
}

/// Recall for one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindStats {
    /// The kind.
    pub kind: PiiKind,
    /// Marked details of this kind.
    pub gold: usize,
    /// Of those, how many were fully inside replaced spans.
    pub removed: usize,
}

impl KindStats {
    /// Share of this kind's details that were removed (1.0 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.removed, self.gold)
    }
}

/// What [`evaluate`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Sentences evaluated (comment and empty lines excluded).
    pub sentences: usize,
    /// Per-kind recall, in [`PiiKind::all`] order.
    pub kinds: Vec<KindStats>,
    /// Replaced spans in total.
    pub spans: usize,
    /// Replaced spans that overlap a marked detail.
    pub spans_on_gold: usize,
    /// Capitalised words and help-line numbers outside marked details.
    pub capitalised: usize,
    /// Of those, how many no replaced span touched.
    pub kept_words: usize,
    /// Marked details that were not (fully) removed: "kind: text | sentence".
    pub misses: Vec<String>,
    /// Capitalised words outside marked details that were replaced anyway.
    pub wrongly_replaced: Vec<String>,
    /// Replaced spans that touch no marked detail: "kind: text | sentence".
    pub extra_spans: Vec<String>,
}

impl Report {
    /// All marked details.
    pub fn gold(&self) -> usize {
        self.kinds.iter().map(|k| k.gold).sum()
    }
    /// Marked details fully removed.
    pub fn removed(&self) -> usize {
        self.kinds.iter().map(|k| k.removed).sum()
    }
    /// Share of all marked details that were removed.
    pub fn recall(&self) -> f64 {
        ratio(self.removed(), self.gold())
    }
    /// Recall of one kind.
    pub fn kind_recall(&self, kind: PiiKind) -> f64 {
        self.kinds.iter().find(|k| k.kind == kind).map_or(1.0, KindStats::recall)
    }
    /// Share of replaced spans that cover a marked detail.
    pub fn precision(&self) -> f64 {
        ratio(self.spans_on_gold, self.spans)
    }
    /// Share of capitalised non-personal words left untouched.
    pub fn kept(&self) -> f64 {
        ratio(self.kept_words, self.capitalised)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "scrubber evaluation on {} sentences", self.sentences)?;
        writeln!(f, "{:<10} {:>6} {:>8} {:>8}", "kind", "gold", "removed", "recall")?;
        writeln!(f, "{}", "-".repeat(35))?;
        for k in &self.kinds {
            let kind = serde_json::to_value(k.kind).ok();
            let name = kind.as_ref().and_then(|v| v.as_str()).unwrap_or("?");
            writeln!(f, "{:<10} {:>6} {:>8} {:>8.3}", name, k.gold, k.removed, k.recall())?;
        }
        writeln!(f, "{}", "-".repeat(35))?;
        writeln!(f, "{:<10} {:>6} {:>8} {:>8.3}", "overall", self.gold(), self.removed(), self.recall())?;
        writeln!(
            f,
            "precision  {:>6} {:>8} {:>8.3}   (replaced spans on a marked detail)",
            self.spans,
            self.spans_on_gold,
            self.precision()
        )?;
        writeln!(
            f,
            "kept       {:>6} {:>8} {:>8.3}   (capitalised non-personal words untouched)",
            self.capitalised,
            self.kept_words,
            self.kept()
        )
    }
}

/// Scrub every sentence of an annotated file and measure recall per kind, span precision,
/// and how many capitalised non-personal words survive.
///
/// A marked detail counts as removed when every character of it lies inside some replaced
/// span, of any kind: what matters for privacy is that it is gone.
pub fn evaluate(file_text: &str) -> Report {
    evaluate_with(&Scrubber::new(), file_text)
}

fn evaluate_with(scrubber: &Scrubber, file_text: &str) -> Report {
    let mut report = Report {
        sentences: 0,
        kinds: PiiKind::all().iter().map(|&kind| KindStats { kind, gold: 0, removed: 0 }).collect(),
        spans: 0,
        spans_on_gold: 0,
        capitalised: 0,
        kept_words: 0,
        misses: Vec::new(),
        wrongly_replaced: Vec::new(),
        extra_spans: Vec::new(),
    };
    for line in file_text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        report.sentences += 1;
        let (plain, gold) = parse_annotated(line);
        let out = scrubber.scrub(&plain);
        let chars: Vec<char> = plain.chars().collect();
        let covered =
            |s: usize, e: usize| (s..e).all(|c| out.spans.iter().any(|sp| sp.start <= c && c < sp.end));
        for &(s, e, kind) in &gold {
            let stats = report.kinds.iter_mut().find(|k| k.kind == kind).expect("every kind has stats");
            stats.gold += 1;
            if covered(s, e) {
                stats.removed += 1;
            } else {
                let text: String = chars[s..e].iter().collect();
                report.misses.push(format!("{kind:?}: {text} | {plain}"));
            }
        }
        report.spans += out.spans.len();
        for sp in &out.spans {
            if gold.iter().any(|&(s, e, _)| sp.start < e && s < sp.end) {
                report.spans_on_gold += 1;
            } else {
                let extra = format!("{:?}: {} | {plain}", sp.kind, sp.original);
                report.extra_spans.push(extra);
            }
        }
        for (s, e) in capitalised_tokens(&plain) {
            if gold.iter().any(|&(gs, ge, _)| s < ge && gs < e) {
                continue;
            }
            report.capitalised += 1;
            match out.spans.iter().find(|sp| sp.start < e && s < sp.end) {
                None => report.kept_words += 1,
                Some(sp) => {
                    let word: String = chars[s..e].iter().collect();
                    report
                        .wrongly_replaced
                        .push(format!("{word} (as {:?} {:?}) | {plain}", sp.kind, sp.original));
                }
            }
        }
    }
    report
}

/// Character ranges of capitalised words and help-line numbers.
fn capitalised_tokens(text: &str) -> Vec<(usize, usize)> {
    let to_chars = |byte: usize| text[..byte].chars().count();
    let mut out: Vec<(usize, usize)> = WORD
        .find_iter(text)
        .filter(|m| m.as_str().starts_with(char::is_uppercase))
        .map(|m| (to_chars(m.start()), to_chars(m.end())))
        .collect();
    out.extend(HELPLINE.find_iter(text).map(|m| (to_chars(m.start()), to_chars(m.end()))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNOTATED: &str = include_str!("../../../tests/data/scrub/annotated.txt");
    /// Written after the rules; its first, blind run is recorded in its header.
    const HELD_OUT: &str = include_str!("../../../tests/data/scrub/heldout.txt");

    fn print_report(name: &str, report: &Report) {
        println!("== {name}\n{report}");
        for m in &report.misses {
            println!("missed: {m}");
        }
        for w in &report.wrongly_replaced {
            println!("replaced: {w}");
        }
        for x in &report.extra_spans {
            println!("extra: {x}");
        }
    }

    #[test]
    fn parses_marks_in_characters() {
        let (plain, gold) = parse_annotated("Café [[name|Ömer]] belde [[phone|06-12345678]] om 15:00.");
        assert_eq!(plain, "Café Ömer belde 06-12345678 om 15:00.");
        assert_eq!(gold, vec![(5, 9, PiiKind::Name), (16, 27, PiiKind::Phone)]);
    }

    #[test]
    fn test_set_is_well_formed() {
        let mut per_kind = std::collections::HashMap::new();
        let mut sentences = 0;
        for line in ANNOTATED.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            sentences += 1;
            let (plain, gold) = parse_annotated(line);
            assert!(!plain.contains("[[") && !plain.contains("]]"), "broken mark: {line}");
            for (_, _, kind) in gold {
                *per_kind.entry(kind).or_insert(0) += 1;
            }
        }
        assert!(sentences >= 320, "only {sentences} sentences");
        for kind in PiiKind::all() {
            assert!(per_kind.get(kind).copied().unwrap_or(0) >= 10, "too few {kind:?}");
        }
    }

    fn assert_floors(report: &Report) {
        assert!(report.recall() >= 0.95, "overall recall {:.3}", report.recall());
        for k in &report.kinds {
            assert!(k.recall() >= 0.90, "{:?} recall {:.3}", k.kind, k.recall());
        }
        assert!(report.kept() >= 0.90, "kept {:.3}", report.kept());
    }

    #[test]
    fn annotated_test_set() {
        let report = evaluate(ANNOTATED);
        print_report("tests/data/scrub/annotated.txt", &report);
        assert_floors(&report);
    }

    #[test]
    fn held_out_test_set() {
        let report = evaluate(HELD_OUT);
        print_report("tests/data/scrub/heldout.txt", &report);
        assert_floors(&report);
    }

    #[test]
    fn scrubbing_the_test_sets_is_idempotent() {
        let lines = ANNOTATED.lines().chain(HELD_OUT.lines());
        for line in lines.filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let (plain, _) = parse_annotated(line);
            let once = super::super::scrub(&plain);
            let twice = super::super::scrub(&once.text);
            assert_eq!(once.text, twice.text, "not idempotent: {plain}");
        }
    }
}
