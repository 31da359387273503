//! Measures the scrubber against a hand-annotated test set, so that changes to the rules and
//! word lists are judged on how much personal detail they remove and how much ordinary text
//! they leave alone, not on single examples.
//!
//! The file format is one sentence per line with details marked inline as
//! `[[kind|original text]]`; lines starting with `#` are comments. Besides the [`PiiKind`]
//! names, the kinds `place` and `org` mark places and organisations that must survive; they
//! are reported as "kept".

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

/// Marked text that must survive scrubbing: the blind rounds mark places and organisations
/// so that "kept" is measured on exactly the words that must stay, not guessed from capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeepKind {
    /// A city, village, neighbourhood, region, province or country ("Tilburg").
    Place,
    /// An organisation, institution, programme, school or care provider ("Veilig Thuis").
    Org,
}

impl KeepKind {
    /// Every keep kind, in a fixed order.
    pub fn all() -> &'static [KeepKind] {
        &[KeepKind::Place, KeepKind::Org]
    }

    /// The name used in the annotated files.
    pub fn name(self) -> &'static str {
        match self {
            KeepKind::Place => "place",
            KeepKind::Org => "org",
        }
    }
}

/// One annotated line with its marks taken out.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotated {
    /// The sentence as the scrubber sees it.
    pub plain: String,
    /// Details that must be removed, as (start, end, kind) in characters, end exclusive.
    pub gold: Vec<(usize, usize, PiiKind)>,
    /// Places and organisations that must survive, in the same units.
    pub keep: Vec<(usize, usize, KeepKind)>,
}

/// Strip the inline marks from one annotated line.
///
/// Panics on an unknown kind, so that a typo in the test set cannot silently drop a detail.
pub fn parse_annotated(line: &str) -> Annotated {
    let mut out = Annotated { plain: String::with_capacity(line.len()), gold: Vec::new(), keep: Vec::new() };
    let mut chars = 0;
    let mut last = 0;
    for c in MARK.captures_iter(line) {
        let m = c.get(0).expect("match");
        let before = &line[last..m.start()];
        out.plain.push_str(before);
        chars += before.chars().count();
        let original = &c[2];
        let len = original.chars().count();
        if let Some(kind) = kind_named(&c[1]) {
            out.gold.push((chars, chars + len, kind));
        } else if let Some(&kind) = KeepKind::all().iter().find(|k| k.name() == &c[1]) {
            out.keep.push((chars, chars + len, kind));
        } else {
            panic!("unknown kind {:?} in {line:?}", &c[1]);
        }
        out.plain.push_str(original);
        chars += len;
        last = m.end();
    }
    out.plain.push_str(&line[last..]);
    out
}

/// How many marks of one keep kind survived.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepStats {
    /// The kind.
    pub kind: KeepKind,
    /// Marks of this kind.
    pub marked: usize,
    /// Of those, how many no replaced span touched.
    pub kept: usize,
}

impl KeepStats {
    /// Share of this kind's marks left untouched (1.0 when there are none).
    pub fn kept_share(&self) -> f64 {
        ratio(self.kept, self.marked)
    }
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
    /// Marked places and organisations, in [`KeepKind::all`] order.
    pub keeps: Vec<KeepStats>,
    /// Marked places and organisations that a replaced span touched: "kind: text | sentence".
    pub lost_keeps: Vec<String>,
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
    /// Share of marked places or organisations left untouched (1.0 when none are marked).
    pub fn keep_share(&self, kind: KeepKind) -> f64 {
        self.keeps.iter().find(|k| k.kind == kind).map_or(1.0, KeepStats::kept_share)
    }
    /// Marked places and organisations in total.
    pub fn keep_marks(&self) -> usize {
        self.keeps.iter().map(|k| k.marked).sum()
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
        )?;
        for k in self.keeps.iter().filter(|k| k.marked > 0) {
            writeln!(
                f,
                "kept {:<5} {:>6} {:>8} {:>8.3}   (marked {}s untouched)",
                k.kind.name(),
                k.marked,
                k.kept,
                k.kept_share(),
                k.kind.name()
            )?;
        }
        Ok(())
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
        keeps: KeepKind::all().iter().map(|&kind| KeepStats { kind, marked: 0, kept: 0 }).collect(),
        lost_keeps: Vec::new(),
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
        let Annotated { plain, gold, keep } = parse_annotated(line);
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
        for &(s, e, kind) in &keep {
            let stats = report.keeps.iter_mut().find(|k| k.kind == kind).expect("every kind has stats");
            stats.marked += 1;
            match out.spans.iter().find(|sp| sp.start < e && s < sp.end) {
                None => stats.kept += 1,
                Some(sp) => {
                    let text: String = chars[s..e].iter().collect();
                    let lost =
                        format!("{}: {text} (as {:?} {:?}) | {plain}", kind.name(), sp.kind, sp.original);
                    report.lost_keeps.push(lost);
                }
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
    /// Blind round 1 (issue 13): measured once before tuning, then tuned on; now a
    /// development set. Both figures are in its header.
    const BLIND_1: &str = include_str!("../../../tests/data/scrub/blind_round1.txt");
    /// Blind round 2 (issue 13): never tuned on. Measured once before and once after the
    /// round-1 tuning; both figures are in its header and the floors below.
    const BLIND_2: &str = include_str!("../../../tests/data/scrub/blind_round2.txt");

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
        for l in &report.lost_keeps {
            println!("lost: {l}");
        }
    }

    fn sentences(file_text: &str) -> impl Iterator<Item = &str> {
        file_text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    }

    #[test]
    fn parses_marks_in_characters() {
        let a =
            parse_annotated("Café [[name|Ömer]] belde [[phone|06-12345678]] om 15:00 uit [[place|Tilburg]].");
        assert_eq!(a.plain, "Café Ömer belde 06-12345678 om 15:00 uit Tilburg.");
        assert_eq!(a.gold, vec![(5, 9, PiiKind::Name), (16, 27, PiiKind::Phone)]);
        assert_eq!(a.keep, vec![(41, 48, KeepKind::Place)]);
    }

    #[test]
    fn keep_marks_are_measured() {
        let r =
            evaluate("Ik woon in [[place|Tilburg]] bij [[org|Veilig Thuis]], mijn zus [[name|Daan]] ook.");
        assert_eq!(
            (r.keep_marks(), r.keep_share(KeepKind::Place), r.keep_share(KeepKind::Org)),
            (2, 1.0, 1.0)
        );
        assert_eq!(r.kind_recall(PiiKind::Name), 1.0);
    }

    #[test]
    fn test_sets_are_well_formed() {
        let mut per_kind = std::collections::HashMap::new();
        for (name, text) in [
            ("annotated.txt", ANNOTATED),
            ("heldout.txt", HELD_OUT),
            ("blind_round1.txt", BLIND_1),
            ("blind_round2.txt", BLIND_2),
        ] {
            let mut count = 0;
            for line in sentences(text) {
                count += 1;
                let a = parse_annotated(line);
                assert!(!a.plain.contains("[[") && !a.plain.contains("]]"), "broken mark in {name}: {line}");
                if name != "blind_round2.txt" {
                    for (_, _, kind) in a.gold {
                        *per_kind.entry(kind).or_insert(0) += 1;
                    }
                }
            }
            let least = if name == "heldout.txt" { 100 } else { 300 };
            assert!(count >= least, "{name}: only {count} sentences");
        }
        // Every kind is represented in the development sets.
        for kind in PiiKind::all() {
            assert!(per_kind.get(kind).copied().unwrap_or(0) >= 10, "too few {kind:?}");
        }
    }

    /// The floors every development set must keep: 95% of details removed, each kind at
    /// least 90%, and 90% of capitalised ordinary words and of marked places and
    /// organisations untouched.
    fn assert_floors(name: &str, report: &Report) {
        assert!(report.recall() >= 0.95, "{name}: overall recall {:.3}", report.recall());
        for k in &report.kinds {
            assert!(k.recall() >= 0.90, "{name}: {:?} recall {:.3}", k.kind, k.recall());
        }
        assert!(report.kept() >= 0.90, "{name}: kept {:.3}", report.kept());
        for kind in KeepKind::all() {
            let share = report.keep_share(*kind);
            assert!(share >= 0.90, "{name}: kept {} {share:.3}", kind.name());
        }
    }

    #[test]
    fn annotated_test_set() {
        let report = evaluate(ANNOTATED);
        print_report("tests/data/scrub/annotated.txt", &report);
        assert_floors("annotated.txt", &report);
    }

    #[test]
    fn held_out_test_set() {
        let report = evaluate(HELD_OUT);
        print_report("tests/data/scrub/heldout.txt", &report);
        assert_floors("heldout.txt", &report);
    }

    #[test]
    fn blind_round1_development_set() {
        let report = evaluate(BLIND_1);
        print_report("tests/data/scrub/blind_round1.txt", &report);
        assert_floors("blind_round1.txt", &report);
    }

    /// Floors on blind round 2 at its single after-tuning measurement (recorded in its
    /// header) minus 0.02, so that later changes cannot quietly lose what was measured.
    const BLIND_2_FLOORS: &[(&str, f64)] = &[
        ("name", 0.950),
        ("phone", 0.980),
        ("email", 0.980),
        ("address", 0.813),
        ("postcode", 0.980),
        ("bsn", 0.980),
        ("iban", 0.980),
        ("date", 0.980),
        ("url", 0.980),
        ("handle", 0.855),
        ("plate", 0.980),
    ];
    /// Measured 0.966 (288 of 298).
    const BLIND_2_OVERALL_FLOOR: f64 = 0.946;
    /// Measured 0.962 (places) and 0.948 (organisations); never below 0.90.
    const BLIND_2_KEEP_FLOORS: &[(KeepKind, f64)] = &[(KeepKind::Place, 0.942), (KeepKind::Org, 0.928)];

    #[test]
    fn blind_round2_after_tuning() {
        let report = evaluate(BLIND_2);
        print_report("tests/data/scrub/blind_round2.txt", &report);
        assert!(report.recall() >= BLIND_2_OVERALL_FLOOR, "overall recall {:.3}", report.recall());
        for &(kind, floor) in BLIND_2_FLOORS {
            let k = kind_named(kind).expect("kind");
            assert!(report.kind_recall(k) >= floor, "{kind} recall {:.3} < {floor}", report.kind_recall(k));
        }
        for &(kind, floor) in BLIND_2_KEEP_FLOORS {
            let share = report.keep_share(kind);
            assert!(share >= floor.max(0.90), "kept {} {share:.3} < {floor}", kind.name());
        }
    }

    /// Scrubbing the output again changes nothing, and nothing that was detected survives:
    /// wherever the text of a replaced span or of a removed marked detail occurs again as a
    /// word in the sentence, that occurrence is replaced too, unless it is part of a marked
    /// place or organisation ("Bosch komt niet uit Den Bosch") or a detail counted as missed.
    #[test]
    fn scrubbing_the_test_sets_is_idempotent() {
        for text in [ANNOTATED, HELD_OUT, BLIND_1, BLIND_2] {
            for line in sentences(text) {
                let a = parse_annotated(line);
                let once = super::super::scrub(&a.plain);
                let twice = super::super::scrub(&once.text);
                assert_eq!(once.text, twice.text, "not idempotent: {}", a.plain);
                let chars: Vec<char> = a.plain.chars().collect();
                let replaced = |c: usize| once.spans.iter().any(|sp| sp.start <= c && c < sp.end);
                let covered = |s: usize, e: usize| (s..e).all(replaced);
                let excused = |s: usize, e: usize| {
                    a.keep.iter().any(|&(ks, ke, _)| ks <= s && e <= ke)
                        || a.gold.iter().any(|&(gs, ge, _)| gs <= s && e <= ge && !covered(gs, ge))
                };
                let mut detected: Vec<String> = once.spans.iter().map(|sp| sp.original.clone()).collect();
                detected.extend(
                    a.gold
                        .iter()
                        .filter(|&&(s, e, _)| covered(s, e))
                        .map(|&(s, e, _)| chars[s..e].iter().collect()),
                );
                for d in detected.iter().filter(|d| d.chars().count() >= 3) {
                    let d: Vec<char> = d.chars().collect();
                    for s in 0..chars.len().saturating_sub(d.len() - 1) {
                        let e = s + d.len();
                        let whole = chars[s..e] == d[..]
                            && !(s > 0 && chars[s - 1].is_alphanumeric())
                            && !chars.get(e).is_some_and(|c| c.is_alphanumeric());
                        if whole && !covered(s, e) && !excused(s, e) {
                            let word: String = d.iter().collect();
                            panic!("{word:?} survives in {:?}", once.text);
                        }
                    }
                }
            }
        }
    }

    /// Every word of every marked name in `file_text`.
    fn gold_name_words(file_text: &str) -> Vec<String> {
        let mut words = Vec::new();
        for line in file_text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let a = parse_annotated(line);
            let chars: Vec<char> = a.plain.chars().collect();
            for &(s, e, kind) in &a.gold {
                if kind == PiiKind::Name {
                    let text: String = chars[s..e].iter().collect();
                    words.extend(
                        WORD.find_iter(&text).flat_map(|m| m.as_str().split('-').map(str::to_string)),
                    );
                }
            }
        }
        words
    }

    /// The development sets: tuned on, and what the tagger is trained on.
    const DEV_SETS: [(&str, &str); 3] =
        [("annotated.txt", ANNOTATED), ("heldout.txt", HELD_OUT), ("blind_round1.txt", BLIND_1)];

    /// Tagger examples from annotated files, each featurised with its own names forgotten,
    /// in a fixed shuffled order.
    fn tagger_examples(sets: &[&str]) -> Vec<(Vec<String>, bool)> {
        let mut examples = Vec::new();
        for text in sets {
            let words = gold_name_words(text);
            let scrubber = Scrubber::forgetting_names(words.iter().map(String::as_str));
            for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
                let a = parse_annotated(line);
                let byte = |c: usize| a.plain.char_indices().nth(c).map_or(a.plain.len(), |(b, _)| b);
                let names: Vec<(usize, usize)> = a
                    .gold
                    .iter()
                    .filter(|g| g.2 == PiiKind::Name)
                    .map(|&(s, e, _)| (byte(s), byte(e)))
                    .collect();
                examples.extend(scrubber.tagger_examples(&a.plain, &names));
            }
        }
        // Fisher-Yates with a fixed xorshift seed: the same order on every machine.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for i in (1..examples.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            examples.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        examples
    }

    const TAGGER_EPOCHS: usize = 10;
    const TAGGER_MIN_COUNT: usize = 2;
    const TAGGER_THRESHOLD: i64 = 300;

    fn tagger_weights(sets: &[&str], threshold: i64) -> String {
        let weights = super::super::tagger::train(&tagger_examples(sets), TAGGER_EPOCHS, TAGGER_MIN_COUNT);
        let header = format!(
            "Name tagger weights (averaged perceptron, x1000), generated by\n\
             `LUISTER_WRITE_TAGGER=1 cargo test --lib name_tagger_weights_are_current` from\n\
             tests/data/scrub/annotated.txt, heldout.txt and blind_round1.txt ({} epochs, features\n\
             seen at least {} times). Do not edit by hand. {} features.",
            TAGGER_EPOCHS,
            TAGGER_MIN_COUNT,
            weights.len()
        );
        super::super::tagger::weights_file(&weights, threshold, &header)
    }

    /// The committed tagger weights are exactly what training on the development sets gives.
    #[test]
    fn name_tagger_weights_are_current() {
        let sets: Vec<&str> = DEV_SETS.iter().map(|d| d.1).collect();
        let fresh = tagger_weights(&sets, TAGGER_THRESHOLD);
        let path = std::path::Path::new(file!()).with_file_name("name_tagger.txt");
        if std::env::var_os("LUISTER_WRITE_TAGGER").is_some() {
            std::fs::write(&path, &fresh).expect("write name_tagger.txt");
            return;
        }
        let committed = include_str!("name_tagger.txt");
        assert!(
            committed == fresh,
            "{} is stale (word lists or development sets changed): run \
             LUISTER_WRITE_TAGGER=1 cargo test --lib name_tagger_weights_are_current",
            path.display()
        );
    }

    /// Train on two development sets, measure unseen-name recall on the third, for a few
    /// thresholds: how the threshold was chosen (printed, not asserted).
    #[test]
    #[ignore = "prints a cross-validation table; slow in debug builds"]
    fn tagger_cross_validation() {
        for (i, (name, text)) in DEV_SETS.iter().enumerate() {
            let others: Vec<&str> =
                DEV_SETS.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, d)| d.1).collect();
            let words = gold_name_words(text);
            for threshold in [i64::MAX, 0, 300, 700, 1200] {
                let weights = tagger_weights(&others, threshold);
                let scrubber =
                    Scrubber::forgetting_names(words.iter().map(String::as_str)).with_tagger(&weights);
                let r = evaluate_with(&scrubber, text);
                let t = if threshold == i64::MAX { "rules".to_string() } else { threshold.to_string() };
                println!(
                    "cv {name:<17} threshold {t:>6}: unseen name recall {:.3}, precision {:.3}, kept {:.3}, place {:.3}, org {:.3}, extra {}",
                    r.kind_recall(PiiKind::Name),
                    r.precision(),
                    r.kept(),
                    r.keep_share(KeepKind::Place),
                    r.keep_share(KeepKind::Org),
                    r.extra_spans.len()
                );
                if threshold == 300 && std::env::var_os("LUISTER_CV_DETAIL").is_some() {
                    r.extra_spans.iter().for_each(|x| println!("cv-extra {name}: {x}"));
                    r.misses
                        .iter()
                        .filter(|m| m.starts_with("Name"))
                        .for_each(|x| println!("cv-miss {name}: {x}"));
                }
            }
        }
    }
}
