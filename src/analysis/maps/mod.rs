//! Perspective maps: for one story set, how each group on a comparison axis (perspective by
//! default, or any choice field) experiences each theme and each signifier, which differences
//! are likely real and which may be chance, in sentences a facilitator can read aloud. This
//! module is the pure core: plain data in ([`MapInput`], [`Settings`]), a [`PerspectiveMap`]
//! out, no IO, no clock; the statistics come from [`super::stats`]. Building the input from the
//! store and the index, caching, freezing and pages live elsewhere.
//!
//! - [`themes`]: theme × group counts, shares, intervals and tests.
//! - [`signifiers`]: triads, dyads and choices per group, with their tests.
//! - [`words`]: the vocabulary, distinctive words, representative quotes and excerpts.
//! - [`sentences`]: one plain-language sentence per pattern, in Dutch or English.
//! - [`disclosure`]: small-cell and secondary suppression for the steering group.

use serde::Serialize;

use super::stats::{self, StatsError};

pub mod disclosure;
pub mod sentences;
pub mod signifiers;
pub mod synthetic;
pub mod themes;
pub mod words;

#[cfg(test)]
mod tests;

pub use words::{Excerpt, Lexicon, excerpt};

/// The language of a map's sentences and notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    En,
}

/// How a map is computed. The defaults are those of the issue: tests only on groups of at
/// least 20 stories, 999 seeded permutations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Groups with fewer stories (or answers) than this take no part in any test.
    pub min_group: u64,
    pub language: Language,
    /// Seed of every random step (permutations, Monte Carlo, subsamples).
    pub seed: u64,
    pub permutations: u64,
    /// PERMANOVA runs on a seeded subsample of at most this many triads, so that its cost is
    /// bounded (the pseudo-F and R² of the whole set are reported beside it).
    pub permanova_max_points: usize,
    /// Bins of the dyad histograms (common to all groups).
    pub bins: usize,
    /// Distinctive words shown per theme × group cell.
    pub words_per_cell: usize,
    /// Representative quotes per theme × group cell.
    pub quotes_per_cell: usize,
    /// Length of a quote's excerpt, in characters.
    pub excerpt_chars: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_group: 20,
            language: Language::Nl,
            seed: 0,
            permutations: 999,
            permanova_max_points: 5_000,
            bins: 10,
            words_per_cell: 8,
            quotes_per_cell: 3,
            excerpt_chars: 240,
        }
    }
}

/// One group on the comparison axis ("youth", "18-22", "Utrecht").
#[derive(Debug, Clone, PartialEq)]
pub struct GroupInput {
    pub key: String,
    /// The plural noun a sentence uses ("Jongeren", "Young people").
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThemeInput {
    pub id: String,
    pub label: String,
}

/// What kind of signifier, with the labels its charts and sentences need.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignifierKind {
    Triad {
        corners: [String; 3],
    },
    /// A slider from `left` (0) to `right` (1).
    Dyad {
        left: String,
        right: String,
    },
    Choice {
        options: Vec<String>,
        multiple: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignifierInput {
    pub id: String,
    pub label: String,
    pub kind: SignifierKind,
}

/// A story's answer to one signifier.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    NoAnswer,
    /// The teller said the signifier does not apply: counted and shown, never a zero.
    NotApplicable,
    /// Three non-negative weights (not necessarily closed).
    Triad([f64; 3]),
    /// A value in [0, 1].
    Dyad(f64),
    /// The chosen options (indices into the signifier's options).
    Choice(Vec<usize>),
}

/// One story, as the map needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryInput {
    pub id: String,
    /// Index into [`MapInput::groups`]; `None` when the story has no value on the axis (it is
    /// counted apart and left out of the map).
    pub group: Option<usize>,
    /// Indices into [`MapInput::themes`] of its accepted themes.
    pub themes: Vec<usize>,
    /// One per signifier of [`MapInput::signifiers`] (missing ones count as no answer).
    pub answers: Vec<Answer>,
    /// Bag of words: (term index into the [`Lexicon`]'s terms, count), from the text pipeline.
    pub words: Vec<(u32, u32)>,
    /// The story text, for quotes.
    pub text: String,
    /// Its language code ("nl", "en"), for the excerpt's word matching.
    pub language: String,
}

/// A term of the vocabulary: the stem and the surface form shown for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub stem: String,
    /// The most common surface form of the stem in the campaign.
    pub word: String,
}

/// Everything a map is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct MapInput {
    /// The comparison axis ("perspective", "age_band", a signifier id).
    pub axis: String,
    pub groups: Vec<GroupInput>,
    pub themes: Vec<ThemeInput>,
    pub signifiers: Vec<SignifierInput>,
    pub terms: Vec<Term>,
    pub stories: Vec<StoryInput>,
}

/// Why no map could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    #[error("invalid map input: {0}")]
    Invalid(String),
}

/// A statistical test as the map shows it.
///
/// Fields in the order a page shows them: effect size first, then q.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    pub method: Method,
    pub effect: Effect,
    /// Benjamini–Hochberg q over all tests of the map.
    pub q: Option<f64>,
    pub p: f64,
    pub statistic: f64,
    pub df: Option<f64>,
    /// The group keys the test compared (groups too small to test are left out).
    pub groups: Vec<String>,
    /// A caveat, e.g. that expected counts are small and p is approximate.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    ChiSquare,
    /// Fisher's exact test (Freeman–Halton for 2 × k), every table enumerated.
    FisherExact,
    /// Fisher's test with a seeded Monte Carlo p-value (too many tables to enumerate).
    FisherMonteCarlo,
    Permanova,
    Hotelling,
    KruskalWallis,
    MannWhitney,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Effect {
    pub measure: EffectMeasure,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectMeasure {
    CramersV,
    /// PERMANOVA's share of spread explained by the groups.
    RSquared,
    /// Mahalanobis distance between two centres (ilr coordinates, pooled covariance).
    MahalanobisD,
    EpsilonSquared,
    RankBiserial,
}

/// Why a pattern was not tested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotTested {
    /// Fewer than two groups reach the minimum size.
    TooFewStories,
    /// The data have no variation to test (e.g. nobody mentions the theme).
    NoVariation,
    /// Withheld by disclosure control: the test would reveal hidden cells.
    Withheld,
}

/// A number shown in a sentence's details element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Number {
    pub name: String,
    pub value: f64,
}

/// One plain-language sentence, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub numbers: Vec<Number>,
}

/// Why a count is not shown (disclosure control).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hidden {
    /// A count from 1 to k − 1, shown as "<k".
    Small,
    /// Hidden so that a small count cannot be recomputed from the totals.
    Secondary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub key: String,
    pub label: String,
    /// Stories in the group; `None` when hidden.
    pub count: Option<u64>,
    /// Stories in the group with no accepted theme.
    pub without_theme: Option<u64>,
    /// Whether the group is large enough to take part in tests.
    pub testable: bool,
    pub hidden: Option<Hidden>,
}

/// The map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerspectiveMap {
    pub axis: String,
    pub settings: Settings,
    /// Stories on the map (with a value on the axis).
    pub stories: Option<u64>,
    /// Stories left out because they have no value on the axis.
    pub without_group: Option<u64>,
    pub groups: Vec<GroupSummary>,
    /// Sorted by effect size, largest first; untested themes last.
    pub themes: Vec<themes::ThemeRow>,
    pub signifiers: Vec<signifiers::SignifierSummary>,
    /// How many tests the Benjamini–Hochberg correction ran over.
    pub tests: usize,
    /// Notes the page shows (independence of stories, false discovery rate).
    pub notes: Vec<String>,
    /// Set when disclosure control was applied.
    pub disclosure: Option<disclosure::Disclosure>,
}

/// Computes the map of `input` with `settings`.
pub fn compute(input: &MapInput, settings: &Settings) -> Result<PerspectiveMap, MapError> {
    validate(input)?;
    let g = input.groups.len();
    let mut counts = vec![0u64; g];
    let mut without_theme = vec![0u64; g];
    let mut without_group = 0u64;
    for s in &input.stories {
        match s.group {
            Some(i) => {
                counts[i] += 1;
                if s.themes.is_empty() {
                    without_theme[i] += 1;
                }
            }
            None => without_group += 1,
        }
    }
    let groups: Vec<GroupSummary> = input
        .groups
        .iter()
        .enumerate()
        .map(|(i, gr)| GroupSummary {
            key: gr.key.clone(),
            label: gr.label.clone(),
            count: Some(counts[i]),
            without_theme: Some(without_theme[i]),
            testable: counts[i] >= settings.min_group.max(1),
            hidden: None,
        })
        .collect();
    let vocabulary = words::Corpus::new(input);
    let mut theme_rows = themes::theme_rows(input, settings, &counts, &vocabulary);
    let mut signifier_rows = signifiers::summaries(input, settings);

    let tests = correct(&mut theme_rows, &mut signifier_rows);
    themes::sort_by_effect(&mut theme_rows);
    for row in &mut theme_rows {
        row.sentence = sentences::theme(row, &groups, settings.language);
    }
    for s in &mut signifier_rows {
        sentences::signifier(s, &groups, settings.language);
    }
    let stories = counts.iter().sum();
    Ok(PerspectiveMap {
        axis: input.axis.clone(),
        settings: settings.clone(),
        stories: Some(stories),
        without_group: Some(without_group),
        groups,
        themes: theme_rows,
        signifiers: signifier_rows,
        tests,
        notes: sentences::notes(tests, settings),
        disclosure: None,
    })
}

/// Benjamini–Hochberg over every test of the map; returns how many there were.
fn correct(themes: &mut [themes::ThemeRow], signifiers: &mut [signifiers::SignifierSummary]) -> usize {
    let mut all: Vec<&mut Test> = Vec::new();
    for row in themes.iter_mut() {
        all.extend(row.test.as_mut());
    }
    for s in signifiers.iter_mut() {
        all.extend(s.tests_mut());
    }
    let p: Vec<Option<f64>> = all.iter().map(|t| Some(t.p)).collect();
    let q = stats::multiple::benjamini_hochberg(&p).expect("p-values of the map's tests are in [0, 1]");
    for (t, q) in all.iter_mut().zip(q) {
        t.q = q;
    }
    all.len()
}

fn validate(input: &MapInput) -> Result<(), MapError> {
    let bad = |m: String| Err(MapError::Invalid(m));
    for s in &input.stories {
        if s.group.is_some_and(|g| g >= input.groups.len()) {
            return bad(format!("story {} has a group out of range", s.id));
        }
        if s.themes.iter().any(|&t| t >= input.themes.len()) {
            return bad(format!("story {} has a theme out of range", s.id));
        }
        if s.words.iter().any(|&(w, _)| w as usize >= input.terms.len()) {
            return bad(format!("story {} has a word out of range", s.id));
        }
        for (a, sig) in s.answers.iter().zip(&input.signifiers) {
            let ok = match (a, &sig.kind) {
                (Answer::NoAnswer | Answer::NotApplicable, _) => true,
                (Answer::Triad(w), SignifierKind::Triad { .. }) => {
                    w.iter().all(|x| x.is_finite() && *x >= 0.0) && w.iter().sum::<f64>() > 0.0
                }
                (Answer::Dyad(v), SignifierKind::Dyad { .. }) => (0.0..=1.0).contains(v),
                (Answer::Choice(c), SignifierKind::Choice { options, multiple }) => {
                    c.iter().all(|&o| o < options.len()) && (*multiple || c.len() <= 1)
                }
                _ => false,
            };
            if !ok {
                return bad(format!("story {} has an invalid answer to {}", s.id, sig.id));
            }
        }
    }
    Ok(())
}

/// The test of a table of counts (groups as columns): Fisher's exact test for a 2 × k table
/// whose expected counts are too small for chi-square, chi-square otherwise (with a note when
/// a larger table has small expected counts). Returns the test, the adjusted residuals, or why
/// there is none.
pub(crate) fn table_test(
    table: &[Vec<u64>],
    group_keys: Vec<String>,
    seed: u64,
    language: Language,
) -> Result<(Test, Vec<Vec<f64>>), NotTested> {
    let reduced = stats::contingency::drop_empty(table).map_err(|_| NotTested::NoVariation)?;
    let chi = match stats::contingency::chi_square(&reduced.table) {
        Ok(c) => c,
        Err(StatsError::TooFew { .. } | StatsError::Degenerate(_)) => return Err(NotTested::NoVariation),
        Err(StatsError::Invalid(_)) => return Err(NotTested::NoVariation),
    };
    // Residuals back in the shape of the original table (0 for dropped rows/columns).
    let mut residuals = vec![vec![0.0; table.first().map_or(0, Vec::len)]; table.len()];
    for (ri, &r) in reduced.rows.iter().enumerate() {
        for (ci, &c) in reduced.columns.iter().enumerate() {
            residuals[r][c] = chi.adjusted_residuals[ri][ci];
        }
    }
    let groups = reduced.columns.iter().map(|&c| group_keys[c].clone()).collect();
    let effect = Effect { measure: EffectMeasure::CramersV, value: chi.cramers_v };
    let two_by_k = reduced.table.len() == 2 || reduced.table.first().is_some_and(|r| r.len() == 2);
    let mut test = Test {
        method: Method::ChiSquare,
        statistic: chi.statistic,
        df: Some(chi.df as f64),
        p: chi.p,
        q: None,
        effect,
        groups,
        note: None,
    };
    if chi.expected_check.too_small {
        if two_by_k {
            let options = stats::contingency::FisherOptions { max_tables: 200_000, samples: 20_000, seed };
            if let Ok(f) = stats::contingency::fisher_exact(&reduced.table, &options) {
                test.p = f.p;
                test.method = match f.method {
                    stats::contingency::FisherMethod::Exact { .. } => Method::FisherExact,
                    stats::contingency::FisherMethod::MonteCarlo { .. } => Method::FisherMonteCarlo,
                };
            }
        } else {
            test.note = Some(sentences::small_expected_note(language));
        }
    }
    Ok((test, residuals))
}
