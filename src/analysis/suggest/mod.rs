//! Tag suggestions learnt from facilitators' own coding: for a story nobody has decided on yet,
//! which codebook themes probably apply, how sure the model is (a calibrated confidence), and
//! which words of the story made it think so.
//!
//! The model is one-vs-rest L2-regularised logistic regression on sublinear TF-IDF features,
//! written by hand rather than taken from linfa or smartcore (not in the build): the solver is
//! a page of code with no dependencies, works on sparse rows directly, fits all themes in one
//! sweep over the stories (`solver`), is deterministic for a seed, and is explainable by
//! construction — a theme's score is the sum of one weight per word present, so "the words that
//! drove it" are just the largest terms of that sum.
//!
//! Training labels, per theme:
//! - **positive**: the story has an accepted tag for the theme;
//! - **negative**: the tag was rejected, or (`Params::implicit_negatives`, on by default) the
//!   story has accepted tags for other themes but no decision on this one. Someone who codes
//!   a story and accepts themes has judged the others as not applying; counting them as
//!   negatives gives the model far more (and more representative) negatives than rejections
//!   alone. Stories with no accepted tag at all were not coded, so they only count for themes
//!   explicitly rejected on them.
//! - **left out**: no decision (and no implicit negative), or both accepted and rejected for the
//!   same theme (coders disagreed: evidence of neither).
//!
//! Confidences are calibrated by Platt scaling fitted on cross-validated scores within the
//! training set (`Params::calibration_folds`), because raw regularised logistic outputs are
//! squeezed towards the base rate; `cross_validate` measures the result with a reliability table
//! and the expected calibration error.

mod calibration;
mod evaluate;
mod features;
mod solver;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use calibration::{Platt, ReliabilityBin, expected_calibration_error, reliability};
pub use evaluate::{Evaluation, ThemeEvaluation, cross_validate, cross_validate_assisted};

use features::{Csr, Terms, Vocabulary};

/// One coded story for training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The caller's story id; not used by the model, kept for bookkeeping.
    pub doc_id: String,
    /// The story text (prepend the title if there is one: it is part of what the teller wrote).
    pub text: String,
    /// Language code (`nl`, `en`, ...), chooses stemmer and stop words.
    pub language: String,
    /// Decisions on themes: `(theme, true)` accepted, `(theme, false)` rejected.
    pub labels: Vec<(String, bool)>,
}

/// Training settings. `Default` is what the service uses and what the quality test checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Inverse L2 regularisation strength: larger fits the training stories more closely.
    pub c: f64,
    /// Solver stopping rule: a pass over the data changed the weights by less than this
    /// fraction of their length. 0.01 gives the same F1 and calibration as full convergence
    /// on the demo corpus at a third of the passes.
    pub tolerance: f64,
    /// Cap on solver passes over the data (early stopping usually ends far sooner).
    pub max_epochs: usize,
    /// A term must occur in at least this many training stories.
    pub min_df: u32,
    /// At most this many terms (the most frequent).
    pub max_terms: usize,
    /// Themes with fewer positives than this are skipped (and listed in `Model::skipped`).
    pub min_positives: usize,
    /// Themes with fewer negatives than this are skipped too.
    pub min_negatives: usize,
    /// Count stories coded with other themes as negatives (see the module docs).
    pub implicit_negatives: bool,
    /// Folds for the cross-validated scores Platt scaling is fitted on; below 2 the raw
    /// logistic probabilities are used.
    pub calibration_folds: usize,
    /// How many driving words each suggestion lists.
    pub explain_words: usize,
    /// Confidence at or above which `cross_validate` counts a theme as predicted.
    pub threshold: f64,
    /// Seed for the solver's visiting order and the calibration folds.
    pub seed: u64,
    /// Worker threads: stories are tokenised in this many chunks and the themes split into
    /// this many groups, each fitted in its own sweep; 0 = all cores. The model does not
    /// depend on it.
    pub threads: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            c: 4.0,
            tolerance: 0.01,
            max_epochs: 50,
            min_df: 2,
            max_terms: 50_000,
            min_positives: 10,
            min_negatives: 10,
            implicit_negatives: true,
            calibration_folds: 2,
            explain_words: 5,
            threshold: 0.5,
            seed: u64::from_be_bytes(*b"luister!"),
            threads: 0,
        }
    }
}

impl Params {
    fn worker_threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        }
    }
}

/// A proposed tag for one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub theme: String,
    /// Calibrated probability that a facilitator would accept the tag.
    pub confidence: f64,
    /// The words that pushed the score up most, as written in the story (first occurrence),
    /// with their contribution to the model's log-odds, largest first.
    pub words: Vec<(String, f64)>,
}

/// A theme the model was not trained for, with the counts that were too small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedTheme {
    pub theme: String,
    pub positives: usize,
    pub negatives: usize,
}

/// The learnt classifier for one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeModel {
    pub theme: String,
    /// Training positives and negatives.
    pub positives: usize,
    pub negatives: usize,
    /// Calibration from raw score to confidence.
    pub calibration: Platt,
    pub bias: f64,
    /// Solver passes over the stories in the final fit: a convergence diagnostic (hitting
    /// `Params::max_epochs` means the theme is hard to separate from the rest).
    pub passes: usize,
    /// One weight per vocabulary term (f32: the model is stored, and the precision is plenty).
    weights: Vec<f32>,
}

/// A trained suggestion model; serialise it with serde to store it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    vocabulary: Vocabulary,
    themes: Vec<ThemeModel>,
    skipped: Vec<SkippedTheme>,
    explain_words: usize,
}

/// Trains on the coded stories. Deterministic for the same examples (in the same order) and
/// `params.seed`, whatever `params.threads`.
pub fn train(examples: &[Example], params: &Params) -> Model {
    let docs = features::terms_of_all(examples, |e| (&e.text, &e.language), params.worker_threads());
    let labels = Labels::new(examples, params.implicit_negatives);
    let rows: Vec<usize> = (0..examples.len()).collect();
    train_on(&docs, &labels, &rows, params)
}

impl Model {
    /// Themes the model can suggest, in name order.
    pub fn themes(&self) -> &[ThemeModel] {
        &self.themes
    }

    /// Themes left out for lack of positives or negatives.
    pub fn skipped(&self) -> &[SkippedTheme] {
        &self.skipped
    }

    /// Number of terms in the vocabulary.
    pub fn vocabulary_size(&self) -> usize {
        self.vocabulary.len()
    }

    /// Suggestions with confidence ≥ `min_confidence`, most confident first.
    pub fn suggest(&self, text: &str, language: &str, min_confidence: f64) -> Vec<Suggestion> {
        let (terms, surfaces) = features::terms_and_surfaces(text, language);
        let (idx, val) = self.vocabulary.row(&terms);
        // Which analysed term each row entry came from, to show its surface form.
        let surface_of = |k: usize| -> &str {
            let term = self.vocabulary.term(idx[k] as usize);
            let at = terms.binary_search_by(|(t, _)| t.as_str().cmp(term)).unwrap_or(0);
            let (start, end) = surfaces[at];
            &text[start..end]
        };
        let mut out = Vec::new();
        for tm in &self.themes {
            let contributions: Vec<f64> =
                idx.iter().zip(&val).map(|(&j, &v)| tm.weights[j as usize] as f64 * v as f64).collect();
            let score = tm.bias + contributions.iter().sum::<f64>();
            let confidence = tm.calibration.probability(score);
            if confidence < min_confidence {
                continue;
            }
            let mut order: Vec<usize> = (0..idx.len()).filter(|&k| contributions[k] > 0.0).collect();
            order.sort_by(|&a, &b| contributions[b].total_cmp(&contributions[a]).then(idx[a].cmp(&idx[b])));
            let words = order
                .into_iter()
                .take(self.explain_words)
                .map(|k| (surface_of(k).to_string(), contributions[k]))
                .collect();
            out.push(Suggestion { theme: tm.theme.clone(), confidence, words });
        }
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.theme.cmp(&b.theme)));
        out
    }

    /// The terms (stems) with the largest positive weights for a theme: what the model learnt
    /// the theme sounds like. Empty for an unknown theme.
    pub fn top_terms(&self, theme: &str, n: usize) -> Vec<(String, f64)> {
        let Some(tm) = self.themes.iter().find(|t| t.theme == theme) else {
            return Vec::new();
        };
        let mut order: Vec<usize> = (0..tm.weights.len()).filter(|&j| tm.weights[j] > 0.0).collect();
        order.sort_by(|&a, &b| tm.weights[b].total_cmp(&tm.weights[a]).then(a.cmp(&b)));
        order
            .into_iter()
            .take(n)
            .map(|j| (self.vocabulary.term(j).to_string(), tm.weights[j] as f64))
            .collect()
    }

    /// Raw scores (log-odds before calibration) of analysed terms, one per `themes()` entry.
    fn raw_scores(&self, terms: &Terms) -> Vec<f64> {
        let (idx, val) = self.vocabulary.row(terms);
        self.themes
            .iter()
            .map(|tm| {
                tm.bias
                    + idx
                        .iter()
                        .zip(&val)
                        .map(|(&j, &v)| tm.weights[j as usize] as f64 * v as f64)
                        .sum::<f64>()
            })
            .collect()
    }
}

/// Per theme and story: +1 positive, −1 negative, 0 left out (see the module docs).
struct Labels {
    themes: Vec<String>,
    marks: Vec<Vec<i8>>,
}

impl Labels {
    fn new(examples: &[Example], implicit_negatives: bool) -> Labels {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for e in examples {
            for (t, _) in &e.labels {
                index.entry(t.as_str()).or_insert(0);
            }
        }
        for (k, v) in index.values_mut().enumerate() {
            *v = k;
        }
        let themes: Vec<String> = index.keys().map(|t| t.to_string()).collect();
        let mut marks = vec![vec![0i8; examples.len()]; themes.len()];
        let (mut accepted, mut rejected) = (vec![false; themes.len()], vec![false; themes.len()]);
        for (i, e) in examples.iter().enumerate() {
            accepted.fill(false);
            rejected.fill(false);
            for (t, yes) in &e.labels {
                let k = index[t.as_str()];
                if *yes { accepted[k] = true } else { rejected[k] = true }
            }
            let coded = implicit_negatives && accepted.iter().any(|&a| a);
            for k in 0..themes.len() {
                marks[k][i] = match (accepted[k], rejected[k]) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => -1,
                    (false, false) if coded => -1,
                    (false, false) => 0,
                };
            }
        }
        Labels { themes, marks }
    }
}

/// Trains on a subset of stories (`rows` into `docs`), the shared core of `train` and the
/// folds of `cross_validate`, which tokenises once and refits the vocabulary per fold.
fn train_on(docs: &[Terms], labels: &Labels, rows: &[usize], params: &Params) -> Model {
    let vocabulary = Vocabulary::fit(rows.iter().map(|&r| &docs[r]), params.min_df, params.max_terms);
    let x = vocabulary.matrix(rows.iter().map(|&r| &docs[r]));
    let mut trainable = Vec::new();
    let mut skipped = Vec::new();
    for (t, theme) in labels.themes.iter().enumerate() {
        let positives = rows.iter().filter(|&&r| labels.marks[t][r] > 0).count();
        let negatives = rows.iter().filter(|&&r| labels.marks[t][r] < 0).count();
        if positives < params.min_positives.max(1) || negatives < params.min_negatives.max(1) {
            skipped.push(SkippedTheme { theme: theme.clone(), positives, negatives });
        } else {
            trainable.push(t);
        }
    }
    // One group of themes per thread; each group is one sweep of the solver over the stories.
    let threads = params.worker_threads().clamp(1, trainable.len().max(1));
    let groups: Vec<&[usize]> = trainable.chunks(trainable.len().div_ceil(threads).max(1)).collect();
    let fold_of = fold_assignment(rows.len(), params.calibration_folds.max(1), params.seed);
    let fitted = parallel_map(groups.len(), threads, |g| {
        train_group(groups[g], labels, rows, &x, vocabulary.len(), &fold_of, params)
    });
    Model {
        vocabulary,
        themes: fitted.into_iter().flatten().collect(),
        skipped,
        explain_words: params.explain_words,
    }
}

/// A group of themes: Platt calibration on cross-validated scores, then the final fit on all
/// stories, warm-started from the calibration folds' models. `x` holds the rows of `rows`.
fn train_group(
    group: &[usize],
    labels: &Labels,
    rows: &[usize],
    x: &Csr,
    dims: usize,
    fold_of: &[usize],
    params: &Params,
) -> Vec<ThemeModel> {
    let (nt, l) = (group.len(), rows.len());
    // Row-major labels of the group: story i, theme t at i * nt + t.
    let marks: Vec<i8> = rows.iter().flat_map(|&r| group.iter().map(move |&t| labels.marks[t][r])).collect();
    let settings = solver::Settings {
        c: params.c,
        tolerance: params.tolerance,
        max_epochs: params.max_epochs,
        seed: params.seed,
    };
    let folds = params.calibration_folds;
    let (calibrations, start) = if folds >= 2 {
        // Scores of each story from a model that did not see it, for Platt scaling; and each
        // story's mean dual variable over the fold models that did see it, to warm-start the
        // final fit (it then converges in about half the passes of a cold start).
        let mut scores = vec![0.0; l * nt];
        let mut alpha_sum = vec![0.0; l * nt];
        for f in 0..folds {
            let fit_at: Vec<usize> = (0..l).filter(|&i| fold_of[i] != f).collect();
            let fit_marks: Vec<i8> =
                fit_at.iter().flat_map(|&i| marks[i * nt..][..nt].iter().copied()).collect();
            let m = solver::fit(x, &fit_at, &fit_marks, nt, dims, settings, None);
            for i in (0..l).filter(|&i| fold_of[i] == f) {
                let (idx, val) = x.row(i);
                m.scores(idx, val, &mut scores[i * nt..][..nt]);
            }
            for (k, &i) in fit_at.iter().enumerate() {
                for t in 0..nt {
                    alpha_sum[i * nt + t] += m.alpha[k * nt + t];
                }
            }
        }
        let calibrations: Vec<Platt> = (0..nt)
            .map(|t| {
                let (s, y): (Vec<f64>, Vec<bool>) = (0..l)
                    .filter(|&i| marks[i * nt + t] != 0)
                    .map(|i| (scores[i * nt + t], marks[i * nt + t] > 0))
                    .unzip();
                Platt::fit(&s, &y)
            })
            .collect();
        let start: Vec<f64> = alpha_sum.iter().map(|a| a / (folds - 1) as f64).collect();
        (calibrations, Some(start))
    } else {
        (vec![Platt::IDENTITY; nt], None)
    };
    let all: Vec<usize> = (0..l).collect();
    let m = solver::fit(x, &all, &marks, nt, dims, settings, start.as_deref());
    group
        .iter()
        .enumerate()
        .map(|(g, &t)| ThemeModel {
            theme: labels.themes[t].clone(),
            positives: (0..l).filter(|&i| marks[i * nt + g] > 0).count(),
            negatives: (0..l).filter(|&i| marks[i * nt + g] < 0).count(),
            calibration: calibrations[g],
            bias: m.bias[g],
            passes: m.epochs[g],
            weights: m.column(g).into_iter().map(|w| w as f32).collect(),
        })
        .collect()
}

/// Fold number of each of `n` items: a seeded shuffle dealt round-robin, so folds differ in
/// size by at most one.
fn fold_assignment(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let mut fold = vec![0; n];
    for (j, &i) in order.iter().enumerate() {
        fold[i] = j % k.max(1);
    }
    fold
}

/// `f(0..n)` on up to `threads` threads, results in index order (so scheduling cannot change
/// the output).
fn parallel_map<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break mine;
                        }
                        mine.push((i, f(i)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("training thread panicked")).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}
