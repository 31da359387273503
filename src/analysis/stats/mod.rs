//! The statistics behind perspective maps: a map compares storytellers' groups (youth, parent,
//! professional, other) on themes and signifiers, and a facilitator must be able to tell a real
//! difference from noise before a session builds on it. Each submodule is one family of methods,
//! as pure functions over plain numbers (no IO, no database, no clock), deterministic for a given
//! seed, and each is checked against the reference implementation that statisticians use
//! (scipy, statsmodels, scikit-bio) through fixtures made by `tests/data/stats/make_fixtures.py`.
//!
//! - [`interval`]: how sure a share is (Wilson interval for "k of n stories").
//! - [`contingency`]: whether a theme occurs equally often in every group (chi-square, Fisher).
//! - [`ranks`]: whether dyad answers differ between groups (Kruskal–Wallis, Mann–Whitney), and
//!   the quartiles and histograms that show them.
//! - [`composition`]: triad answers as compositions (parts summing to 1) and their geometry.
//! - [`hotelling`]: the region where a group's mean triad lies, and whether two groups' means
//!   differ.
//! - [`permanova`]: whether several groups' triads differ, by permutation.
//! - [`multiple`]: correcting p-values when a map runs many tests at once.
//! - [`words`]: the words that distinguish one group's stories from the rest.
//!
//! Distribution functions (chi-square, F, normal, hypergeometric) come from `statrs`, which
//! tests them against R; only the statistics themselves are written here. Bad input and data a
//! statistic cannot use are a [`StatsError`], never a NaN that would travel into a chart.

use std::fmt;

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

pub mod composition;
pub mod contingency;
pub mod hotelling;
pub mod interval;
pub mod multiple;
pub mod permanova;
pub mod ranks;
pub mod words;

#[cfg(test)]
pub(crate) mod fixture;

/// Why a statistic could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum StatsError {
    /// Fewer observations (or groups) than the statistic needs.
    TooFew { needed: usize, got: usize },
    /// The data have no variation the statistic can use: every value tied, a singular
    /// covariance, an empty row or column in a table.
    Degenerate(&'static str),
    /// The input itself is wrong: a NaN, a negative count, rows of different lengths, a
    /// confidence level outside (0, 1).
    Invalid(&'static str),
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatsError::TooFew { needed, got } => {
                write!(f, "not enough data: needs at least {needed}, got {got}")
            }
            StatsError::Degenerate(why) => write!(f, "not enough variation: {why}"),
            StatsError::Invalid(why) => write!(f, "invalid input: {why}"),
        }
    }
}

impl std::error::Error for StatsError {}

/// What every statistic here returns: the result, or why there is none.
pub type Result<T, E = StatsError> = std::result::Result<T, E>;

/// Checks that every value is finite (no NaN, no infinity).
fn check_finite(values: &[f64], what: &'static str) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) { Ok(()) } else { Err(StatsError::Invalid(what)) }
}

/// Checks that a confidence level is strictly between 0 and 1.
fn check_confidence(confidence: f64) -> Result<()> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(StatsError::Invalid("the confidence level must be strictly between 0 and 1"))
    }
}

/// Upper tail of the chi-square distribution, P(X ≥ x), for df > 0 (callers ensure it).
fn chi_squared_sf(x: f64, df: f64) -> f64 {
    ChiSquared::new(df).expect("degrees of freedom are positive").sf(x)
}

/// Upper tail of the F distribution, P(X ≥ x), for df1, df2 > 0 (callers ensure it).
fn f_sf(x: f64, df1: f64, df2: f64) -> f64 {
    FisherSnedecor::new(df1, df2).expect("degrees of freedom are positive").sf(x)
}

/// Quantile of the F distribution at probability `q` in (0, 1), for df1, df2 > 0.
fn f_quantile(q: f64, df1: f64, df2: f64) -> f64 {
    FisherSnedecor::new(df1, df2).expect("degrees of freedom are positive").inverse_cdf(q)
}
