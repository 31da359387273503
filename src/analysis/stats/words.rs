//! Which words set one perspective's stories apart from the rest? Raw frequency ratios crown
//! rare words (one story with "bureaucratie" twice), and plain frequency crowns common ones.
//! "Fightin' Words" (Monroe, Colaresi & Quinn 2008, "Fightin' Words: Lexical Feature Selection
//! and Evaluation for Identifying the Content of Political Conflict", Political Analysis 16(4),
//! section 3.5.1, p. 388) shrinks every word's log-odds towards the whole corpus with an
//! informative Dirichlet prior and divides by its standard error, so a word ranks high only
//! when it is both distinctive and frequent enough to be sure of.
//!
//! With y_w^i the count of word w in group i's stories, y_w^j its count in the rest,
//! n^i and n^j their totals, α_w the prior count of w and α₀ = Σ_w α_w, the paper's estimates are
//!
//! - the log-odds-ratio with the prior added to both sides:
//!   δ̂_w = ln[(y_w^i + α_w) / (n^i + α₀ − y_w^i − α_w)] − ln[(y_w^j + α_w) / (n^j + α₀ − y_w^j − α_w)],
//! - its approximate variance σ²(δ̂_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w),
//! - the z-score z_w = δ̂_w / sqrt(σ²(δ̂_w)).
//!
//! The paper sets α_w from the whole corpus; the prior size α₀ says how strongly to shrink
//! (see [`scaled_prior`]).

use super::{Result, StatsError};

/// One word's score for a group against the rest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WordScore {
    /// The log-odds-ratio δ̂: positive when the group uses the word more than the rest.
    pub delta: f64,
    /// Its approximate variance.
    pub variance: f64,
    /// δ̂ / σ: about standard normal for a word used alike; above 1.96 the group uses it
    /// distinctly more (before correcting for the number of words looked at).
    pub z: f64,
}

/// The prior counts α_w = `prior_size` · c_w / Σ c: the corpus distribution scaled to a total
/// of `prior_size` pseudo-counts. With `prior_size` equal to the corpus size this is the
/// paper's choice (the corpus counts themselves); smaller values shrink less. Errors: an empty
/// corpus or a prior size that is not positive and finite (`Invalid`).
pub fn scaled_prior(corpus: &[u64], prior_size: f64) -> Result<Vec<f64>> {
    let total: u64 = corpus.iter().sum();
    if total == 0 {
        return Err(StatsError::Invalid("the corpus has no words"));
    }
    if !(prior_size > 0.0 && prior_size.is_finite()) {
        return Err(StatsError::Invalid("the prior size must be positive"));
    }
    Ok(corpus.iter().map(|&c| prior_size * c as f64 / total as f64).collect())
}

/// δ̂, its variance and z for every word (same order as the inputs), comparing `group` (word
/// counts of one perspective's stories) with `rest` (the counts of all other stories), with
/// prior counts `prior` (usually from [`scaled_prior`] over group + rest).
///
/// Errors: lengths that differ (`Invalid`); a prior count that is not positive and finite
/// (`Invalid`: a word must be in the corpus to be scored, so leave words with corpus count 0
/// out of the vocabulary); fewer than two words (`TooFew`: the odds of the only word are
/// undefined).
pub fn fightin_words(group: &[u64], rest: &[u64], prior: &[f64]) -> Result<Vec<WordScore>> {
    if group.len() != rest.len() || group.len() != prior.len() {
        return Err(StatsError::Invalid("group, rest and prior must have one entry per word"));
    }
    if group.len() < 2 {
        return Err(StatsError::TooFew { needed: 2, got: group.len() });
    }
    if !prior.iter().all(|a| *a > 0.0 && a.is_finite()) {
        return Err(StatsError::Invalid(
            "every prior count must be positive (leave out words not in the corpus)",
        ));
    }
    let n_i = group.iter().sum::<u64>() as f64;
    let n_j = rest.iter().sum::<u64>() as f64;
    let a0: f64 = prior.iter().sum();
    Ok(group
        .iter()
        .zip(rest)
        .zip(prior)
        .map(|((&yi, &yj), &a)| {
            let (yi, yj) = (yi as f64, yj as f64);
            let delta = ((yi + a) / (n_i + a0 - yi - a)).ln() - ((yj + a) / (n_j + a0 - yj - a)).ln();
            let variance = 1.0 / (yi + a) + 1.0 / (yj + a);
            WordScore { delta, variance, z: delta / variance.sqrt() }
        })
        .collect())
}

/// The indices of at most `n` words with z above `z_min` (e.g. 1.96), highest z first; ties in
/// z keep the lower index first, so the order is deterministic.
pub fn top_words(scores: &[WordScore], n: usize, z_min: f64) -> Vec<usize> {
    let mut picked: Vec<usize> = (0..scores.len()).filter(|&w| scores[w].z > z_min).collect();
    picked.sort_by(|&a, &b| scores[b].z.total_cmp(&scores[a].z).then(a.cmp(&b)));
    picked.truncate(n);
    picked
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, STAT, assert_all_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/words.json");

    #[test]
    fn scores_match_an_independent_numpy_implementation_of_the_paper() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "cases") {
            let (group, rest) = (fixture::ints(&case["group"]), fixture::ints(&case["rest"]));
            let prior =
                scaled_prior(&fixture::ints(&case["corpus"]), fixture::num(&case["prior_size"])).unwrap();
            assert_all_close(&prior, &fixture::nums(&case["prior"]), STAT, &format!("{name} prior"));
            let got = fightin_words(&group, &rest, &prior).unwrap();
            let field = |f: fn(&WordScore) -> f64| got.iter().map(f).collect::<Vec<_>>();
            assert_all_close(
                &field(|s| s.delta),
                &fixture::nums(&case["delta"]),
                STAT,
                &format!("{name} delta"),
            );
            assert_all_close(
                &field(|s| s.variance),
                &fixture::nums(&case["variance"]),
                STAT,
                &format!("{name} var"),
            );
            assert_all_close(&field(|s| s.z), &fixture::nums(&case["z"]), STAT, &format!("{name} z"));
        }
    }

    /// Hand check: two words, group (3, 1), rest (1, 3), prior (1, 1), so n = 4, α₀ = 2.
    /// Word 0: δ̂ = ln(4 / 2) − ln(2 / 4) = 2 ln 2, σ² = 1/4 + 1/2 = 3/4, z = 2 ln 2 / sqrt(3/4).
    #[test]
    fn scores_by_hand_and_symmetry() {
        let got = fightin_words(&[3, 1], &[1, 3], &[1.0, 1.0]).unwrap();
        assert!((got[0].delta - 2.0 * 2f64.ln()).abs() < 1e-12);
        assert!((got[0].variance - 0.75).abs() < 1e-12);
        assert!((got[0].z - 2.0 * 2f64.ln() / 0.75f64.sqrt()).abs() < 1e-12);
        // Swapping the groups flips the sign.
        let swapped = fightin_words(&[1, 3], &[3, 1], &[1.0, 1.0]).unwrap();
        assert!((swapped[0].delta + got[0].delta).abs() < 1e-12);
    }

    #[test]
    fn a_stronger_prior_shrinks_the_scores() {
        let (group, rest) = ([30u64, 5, 5, 10], [10u64, 20, 25, 45]);
        let corpus: Vec<u64> = group.iter().zip(&rest).map(|(a, b)| a + b).collect();
        let weak = fightin_words(&group, &rest, &scaled_prior(&corpus, 10.0).unwrap()).unwrap();
        let strong = fightin_words(&group, &rest, &scaled_prior(&corpus, 1000.0).unwrap()).unwrap();
        assert!(strong[0].delta.abs() < weak[0].delta.abs());
        assert!(strong[0].delta > 0.0, "still in the same direction");
    }

    #[test]
    fn top_words_are_above_the_threshold_highest_first() {
        let s = |z| WordScore { delta: z, variance: 1.0, z };
        let scores = [s(1.0), s(3.5), s(-4.0), s(2.5), s(3.5), s(1.97)];
        assert_eq!(top_words(&scores, 10, 1.96), [1, 4, 3, 5]);
        assert_eq!(top_words(&scores, 2, 1.96), [1, 4]);
        assert_eq!(top_words(&scores, 10, 5.0), Vec::<usize>::new());
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(fightin_words(&[1, 2], &[1], &[1.0, 1.0]), Err(StatsError::Invalid(_))));
        assert!(matches!(fightin_words(&[1, 2], &[1, 0], &[1.0, 0.0]), Err(StatsError::Invalid(_))));
        assert!(matches!(fightin_words(&[1], &[1], &[1.0]), Err(StatsError::TooFew { .. })));
        assert!(matches!(scaled_prior(&[0, 0], 10.0), Err(StatsError::Invalid(_))));
        assert!(matches!(scaled_prior(&[1, 2], 0.0), Err(StatsError::Invalid(_))));
    }
}
