//! How good the suggestions would have been: k-fold cross-validation of the whole training
//! procedure (vocabulary, weights and calibration refitted on each training part), with per-theme
//! precision, recall and F1 and a check of the confidences against what coders decided.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::calibration::{ReliabilityBin, expected_calibration_error, reliability};
use super::{Example, Labels, Params, features, fold_assignment, train_on};

/// Cross-validated quality of one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeEvaluation {
    pub theme: String,
    /// Held-out stories with the theme accepted.
    pub support: usize,
    /// Held-out stories with a decision on the theme (positives and negatives).
    pub labelled: usize,
    /// Held-out stories where the confidence reached the threshold.
    pub predicted: usize,
    pub true_positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Expected calibration error of this theme's confidences (10 bins).
    pub calibration_error: f64,
}

/// Result of `cross_validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub folds: usize,
    /// Confidence at or above which a theme counted as predicted.
    pub threshold: f64,
    /// Themes with at least one held-out positive, in name order.
    pub themes: Vec<ThemeEvaluation>,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    pub micro_f1: f64,
    /// Calibrated confidences against outcomes, pooled over all held-out (story, theme) pairs.
    pub reliability: Vec<ReliabilityBin>,
    /// Expected calibration error of the calibrated confidences.
    pub calibration_error: f64,
    /// The same for the uncalibrated logistic probabilities, to show what calibration bought.
    pub raw_calibration_error: f64,
    /// Expected calibration error over pairs with confidence ≥ 0.1 only: the range where
    /// suggestions are shown, not diluted by the mass of obvious negatives near 0.
    pub calibration_error_shown: f64,
    /// Themes skipped (too few examples) in at least one fold; they count as never predicted.
    pub skipped: Vec<String>,
    /// Decisions the training parts learned from that were never scored (rule tags), if any.
    #[serde(default)]
    pub assist_labels: usize,
    /// The same cross-validation without those extra training labels, to show what they add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without_assist: Option<Box<Evaluation>>,
}

const BINS: usize = 10;

/// k-fold cross-validation (folds by a seeded shuffle of the stories that have any label).
/// Labels follow the same rules as training; the decision is confidence ≥ `params.threshold`.
pub fn cross_validate(examples: &[Example], k: usize, seed: u64, params: &Params) -> Evaluation {
    cross_validate_assisted(examples, &[], k, seed, params)
}

/// `cross_validate` where the training parts also learn from `assist[i]`, extra labels of
/// example `i` that are never held out or scored (rule tags: a model that copies a keyword
/// query would otherwise be rewarded for it). Only the examples' own labels — people's
/// decisions — are measured; where both speak on a theme, the person's decision counts. With
/// assist labels, `without_assist` holds the same run without them, on the same folds.
pub fn cross_validate_assisted(
    examples: &[Example],
    assist: &[Vec<(String, bool)>],
    k: usize,
    seed: u64,
    params: &Params,
) -> Evaluation {
    let docs = features::terms_of_all(examples, |e| (&e.text, &e.language), params.worker_threads());
    let mut eval = cross_validate_docs(examples, &docs, assist, k, seed, params);
    if eval.assist_labels > 0 {
        eval.without_assist = Some(Box::new(cross_validate_docs(examples, &docs, &[], k, seed, params)));
    }
    eval
}

fn cross_validate_docs(
    examples: &[Example],
    docs: &[features::Terms],
    assist: &[Vec<(String, bool)>],
    k: usize,
    seed: u64,
    params: &Params,
) -> Evaluation {
    let labels = Labels::new(examples, params.implicit_negatives);
    let mut assist_labels = 0;
    let merged: Vec<Example> = examples
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut all = e.labels.clone();
            for (theme, yes) in assist.get(i).into_iter().flatten() {
                if !e.labels.iter().any(|(t, _)| t == theme) {
                    all.push((theme.clone(), *yes));
                    assist_labels += 1;
                }
            }
            Example { doc_id: String::new(), text: String::new(), language: String::new(), labels: all }
        })
        .collect();
    let train_labels = Labels::new(&merged, params.implicit_negatives);
    let labelled: Vec<usize> =
        (0..examples.len()).filter(|&i| labels.marks.iter().any(|m| m[i] != 0)).collect();
    // Stories only rules spoke on: always in the training part, never scored.
    let assisted_only: Vec<usize> = (0..examples.len())
        .filter(|&i| !labels.marks.iter().any(|m| m[i] != 0) && train_labels.marks.iter().any(|m| m[i] != 0))
        .collect();
    let k = k.clamp(2, labelled.len().max(2));
    let fold_of = fold_assignment(labelled.len(), k, seed);

    let nt = labels.themes.len();
    // Per theme: (calibrated confidence, raw probability, accepted?) for every held-out decision.
    let mut outcomes: Vec<Vec<(f64, f64, bool)>> = vec![Vec::new(); nt];
    // Held-out decisions whose fold model had no classifier for the theme.
    let mut unscored: Vec<Vec<bool>> = vec![Vec::new(); nt];
    let mut skipped = BTreeMap::new();
    let index: BTreeMap<&str, usize> =
        labels.themes.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    for f in 0..k {
        let mut train_rows: Vec<usize> =
            (0..labelled.len()).filter(|&j| fold_of[j] != f).map(|j| labelled[j]).collect();
        train_rows.extend(&assisted_only);
        train_rows.sort_unstable();
        let model = train_on(docs, &train_labels, &train_rows, params);
        for s in model.skipped().iter().filter(|s| index.contains_key(s.theme.as_str())) {
            skipped.insert(s.theme.clone(), ());
        }
        // Themes only rules know have nothing to be scored against.
        let global: Vec<Option<usize>> =
            model.themes.iter().map(|t| index.get(t.theme.as_str()).copied()).collect();
        for j in (0..labelled.len()).filter(|&j| fold_of[j] == f) {
            let r = labelled[j];
            let raw = model.raw_scores(&docs[r]);
            let mut scored = vec![false; nt];
            for (m, t) in global.iter().enumerate() {
                let Some(t) = *t else { continue };
                scored[t] = true;
                let mark = labels.marks[t][r];
                if mark != 0 {
                    let tm = &model.themes[m];
                    let p = tm.calibration.probability(raw[m]);
                    let p_raw = 1.0 / (1.0 + (-raw[m]).exp());
                    outcomes[t].push((p, p_raw, mark > 0));
                }
            }
            for t in (0..nt).filter(|&t| !scored[t] && labels.marks[t][r] != 0) {
                unscored[t].push(labels.marks[t][r] > 0);
            }
        }
    }

    let mut themes = Vec::new();
    let (mut all_tp, mut all_pred, mut all_support) = (0, 0, 0);
    for t in 0..nt {
        let support = outcomes[t].iter().filter(|o| o.2).count() + unscored[t].iter().filter(|&&y| y).count();
        if support == 0 {
            continue;
        }
        let predicted = outcomes[t].iter().filter(|o| o.0 >= params.threshold).count();
        let tp = outcomes[t].iter().filter(|o| o.0 >= params.threshold && o.2).count();
        let (precision, recall, f1) = prf(tp, predicted, support);
        let pairs: Vec<(f64, bool)> = outcomes[t].iter().map(|o| (o.0, o.2)).collect();
        themes.push(ThemeEvaluation {
            theme: labels.themes[t].clone(),
            support,
            labelled: outcomes[t].len() + unscored[t].len(),
            predicted,
            true_positives: tp,
            precision,
            recall,
            f1,
            calibration_error: expected_calibration_error(&reliability(&pairs, BINS)),
        });
        all_tp += tp;
        all_pred += predicted;
        all_support += support;
    }
    let mean = |f: fn(&ThemeEvaluation) -> f64| {
        if themes.is_empty() { 0.0 } else { themes.iter().map(f).sum::<f64>() / themes.len() as f64 }
    };
    let pooled: Vec<(f64, bool)> = outcomes.iter().flatten().map(|o| (o.0, o.2)).collect();
    let pooled_raw: Vec<(f64, bool)> = outcomes.iter().flatten().map(|o| (o.1, o.2)).collect();
    let shown: Vec<(f64, bool)> = pooled.iter().copied().filter(|p| p.0 >= 0.1).collect();
    let table = reliability(&pooled, BINS);
    Evaluation {
        folds: k,
        threshold: params.threshold,
        macro_precision: mean(|t| t.precision),
        macro_recall: mean(|t| t.recall),
        macro_f1: mean(|t| t.f1),
        micro_f1: prf(all_tp, all_pred, all_support).2,
        themes,
        calibration_error: expected_calibration_error(&table),
        reliability: table,
        raw_calibration_error: expected_calibration_error(&reliability(&pooled_raw, BINS)),
        calibration_error_shown: expected_calibration_error(&reliability(&shown, BINS)),
        skipped: skipped.into_keys().collect(),
        assist_labels,
        without_assist: None,
    }
}

/// Precision, recall and F1; 0 where a denominator is 0.
fn prf(tp: usize, predicted: usize, support: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(tp, predicted), ratio(tp, support));
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

impl fmt::Display for Evaluation {
    /// The per-theme table, the averages and the reliability table, for logs and reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}-fold cross-validation, threshold {:.2}", self.folds, self.threshold)?;
        writeln!(
            f,
            "{:<22} {:>9} {:>7} {:>7} {:>7} {:>7}",
            "theme", "precision", "recall", "F1", "support", "ECE"
        )?;
        for t in &self.themes {
            writeln!(
                f,
                "{:<22} {:>9.3} {:>7.3} {:>7.3} {:>7} {:>7.3}",
                t.theme, t.precision, t.recall, t.f1, t.support, t.calibration_error
            )?;
        }
        writeln!(
            f,
            "{:<22} {:>9.3} {:>7.3} {:>7.3}   (micro-F1 {:.3})",
            "macro average", self.macro_precision, self.macro_recall, self.macro_f1, self.micro_f1
        )?;
        writeln!(
            f,
            "calibration error: {:.4} calibrated, {:.4} raw; {:.4} where confidence >= 0.1",
            self.calibration_error, self.raw_calibration_error, self.calibration_error_shown
        )?;
        writeln!(f, "{:<11} {:>8} {:>10} {:>9}", "confidence", "pairs", "mean conf", "observed")?;
        for b in self.reliability.iter().filter(|b| b.count > 0) {
            writeln!(
                f,
                "{:.1}-{:.1}     {:>8} {:>10.3} {:>9.3}",
                b.lower, b.upper, b.count, b.confidence, b.observed
            )?;
        }
        if !self.skipped.is_empty() {
            writeln!(f, "skipped in some fold: {}", self.skipped.join(", "))?;
        }
        Ok(())
    }
}
