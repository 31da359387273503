//! Measures the lexicon against hand-labelled sentences, so every lexicon change shows what it
//! does to recall (missed children in danger) and to false alarms on ordinary stories.
//!
//! Input is TSV: `label<TAB>kind-or-none<TAB>sentence`, label `danger` or `ordinary`, kind one of
//! the snake_case [`DangerKind`] names (or `none`). Empty lines and lines starting with `#` are
//! skipped.

use std::collections::BTreeMap;
use std::fmt;

use super::{DangerKind, Signal, lexicon};

/// Counts for one danger kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindStats {
    /// Danger sentences labelled with this kind.
    pub total: usize,
    /// Of those, flagged at all (this is what triggers the help offer).
    pub flagged: usize,
    /// Of those, flagged with this kind among the signals.
    pub right_kind: usize,
}

/// A danger sentence that was not flagged, or flagged only with other kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// The labelled kind.
    pub kind: DangerKind,
    /// The sentence as written in the TSV.
    pub sentence: String,
    /// Kinds that were found instead (empty for a real miss).
    pub found: Vec<DangerKind>,
}

/// An ordinary sentence that was flagged.
#[derive(Debug, Clone, PartialEq)]
pub struct FalseAlarm {
    /// The sentence as written in the TSV.
    pub sentence: String,
    /// What was found in it.
    pub signals: Vec<Signal>,
    /// The lexicon lines that fired, from [`super::Lexicon::explain`].
    pub patterns: Vec<String>,
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Danger sentences read.
    pub danger: usize,
    /// Danger sentences flagged with any kind.
    pub detected: usize,
    /// Counts per labelled kind.
    pub per_kind: BTreeMap<DangerKind, KindStats>,
    /// Ordinary sentences read.
    pub ordinary: usize,
    /// Danger sentences not flagged at all.
    pub misses: Vec<Miss>,
    /// Danger sentences flagged, but not with their labelled kind.
    pub wrong_kind: Vec<Miss>,
    /// Ordinary sentences that were flagged.
    pub false_alarms: Vec<FalseAlarm>,
    /// Lines that could not be read, with their line number.
    pub bad_lines: Vec<String>,
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 { 0.0 } else { num as f64 / den as f64 }
}

impl Report {
    /// Share of danger sentences flagged (with any kind).
    pub fn recall(&self) -> f64 {
        ratio(self.detected, self.danger)
    }

    /// Share of ordinary sentences flagged.
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.false_alarms.len(), self.ordinary)
    }
}

/// Runs the shared lexicon over every sentence of `tsv`.
pub fn evaluate(tsv: &str) -> Report {
    let lex = lexicon();
    let mut r = Report::default();
    for (i, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let (Some(label), Some(kind), Some(sentence)) = (cols.next(), cols.next(), cols.next()) else {
            r.bad_lines.push(format!("line {}: expected three tab-separated columns", i + 1));
            continue;
        };
        let assessment = lex.assess(sentence);
        match (label, kind.parse::<DangerKind>()) {
            ("danger", Ok(kind)) => {
                r.danger += 1;
                let stats = r.per_kind.entry(kind).or_default();
                stats.total += 1;
                let found = assessment.kinds();
                if assessment.is_flagged() {
                    r.detected += 1;
                    stats.flagged += 1;
                }
                if found.contains(&kind) {
                    stats.right_kind += 1;
                } else {
                    let miss = Miss { kind, sentence: sentence.to_string(), found: found.clone() };
                    if found.is_empty() {
                        r.misses.push(miss);
                    } else {
                        r.wrong_kind.push(miss);
                    }
                }
            }
            ("ordinary", _) if kind == "none" => {
                r.ordinary += 1;
                if assessment.is_flagged() {
                    r.false_alarms.push(FalseAlarm {
                        sentence: sentence.to_string(),
                        signals: assessment.signals,
                        patterns: lex.explain(sentence),
                    });
                }
            }
            _ => r.bad_lines.push(format!("line {}: bad label `{label}` or kind `{kind}`", i + 1)),
        }
    }
    r
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "recall {:.3} ({}/{} danger sentences flagged)",
            self.recall(),
            self.detected,
            self.danger
        )?;
        writeln!(
            f,
            "false alarms {:.3} ({}/{} ordinary sentences flagged)",
            self.false_alarm_rate(),
            self.false_alarms.len(),
            self.ordinary
        )?;
        for (kind, s) in &self.per_kind {
            writeln!(
                f,
                "  {:<18} flagged {:.3} ({}/{}), right kind {:.3} ({}/{})",
                kind.as_str(),
                ratio(s.flagged, s.total),
                s.flagged,
                s.total,
                ratio(s.right_kind, s.total),
                s.right_kind,
                s.total
            )?;
        }
        for m in &self.misses {
            writeln!(f, "MISS [{}] {}", m.kind, m.sentence)?;
        }
        for m in &self.wrong_kind {
            let found: Vec<&str> = m.found.iter().map(|k| k.as_str()).collect();
            writeln!(f, "KIND [{} -> {}] {}", m.kind, found.join(","), m.sentence)?;
        }
        for fa in &self.false_alarms {
            writeln!(f, "FALSE ALARM {}", fa.sentence)?;
            for p in &fa.patterns {
                writeln!(f, "    {p}")?;
            }
        }
        for b in &self.bad_lines {
            writeln!(f, "BAD {b}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCES: &str = include_str!("../../../tests/data/safeguarding/sentences.tsv");
    const HELDOUT: &str = include_str!("../../../tests/data/safeguarding/heldout.tsv");

    #[test]
    fn main_set_meets_targets() {
        let r = evaluate(SENTENCES);
        println!("== safeguarding, main set ==\n{r}");
        assert!(r.bad_lines.is_empty(), "{:?}", r.bad_lines);
        assert!(r.danger >= 170 && r.ordinary >= 170);
        assert!(r.recall() >= 0.95, "recall {:.3}", r.recall());
        assert!(r.false_alarm_rate() <= 0.10, "false alarms {:.3}", r.false_alarm_rate());
    }

    /// Written after tuning and never tuned on: shows whether the lexicon generalises to
    /// phrasings nobody wrote a pattern for. History: round 1 scored recall 0.733 (false alarms
    /// 0.033) and round 2 0.767 (0.000); each was then folded into `sentences.tsv` and the
    /// lexicon broadened (Dutch verb-second order, chat spellings, third-person reports, more
    /// English). Round 3, the current file, scored 0.867 (0.067). Expect roughly 1 in 7 new
    /// phrasings to be missed; when you add sentences here, add them only after your last
    /// lexicon change, and move them to `sentences.tsv` once you tune on them.
    ///
    /// The false-alarm rate (ordinary sentences flagged) is asserted too, at the goal of
    /// 0.10 (issue 13): measured 0.067 (2 of 30) on this file, recall 0.867 (26 of 30).
    #[test]
    fn heldout_set_generalises() {
        let r = evaluate(HELDOUT);
        println!("== safeguarding, held-out set ==\n{r}");
        assert!(r.bad_lines.is_empty(), "{:?}", r.bad_lines);
        assert!(r.danger >= 30 && r.ordinary >= 30, "held-out set too small");
        assert!(r.recall() >= 0.85, "held-out recall {:.3}", r.recall());
        assert!(r.false_alarm_rate() <= 0.10, "held-out false alarms {:.3}", r.false_alarm_rate());
    }

    #[test]
    fn counts_misses_and_false_alarms() {
        let r = evaluate(
            "danger\tsuicide\tik wil dood\ndanger\tself_harm\thet weer is mooi\nordinary\tnone\thij slaat me\n# comment\nbroken line\n",
        );
        assert_eq!((r.danger, r.detected, r.ordinary), (2, 1, 1));
        assert_eq!(r.misses.len(), 1);
        assert_eq!(r.false_alarms.len(), 1);
        assert_eq!(r.bad_lines.len(), 1);
        assert_eq!(r.per_kind[&DangerKind::Suicide].right_kind, 1);
    }
}
