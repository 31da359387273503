//! How sure a share is. A map says "12 of 40 parents' stories touch this theme"; the Wilson
//! score interval says which shares are compatible with that, and unlike the textbook
//! "p ± 1.96·se" it stays inside [0, 1] and does not collapse to a point at 0 of n or n of n,
//! which are common in small groups.

use statrs::distribution::{ContinuousCDF, Normal};

use super::{Result, StatsError, check_confidence};

/// The default confidence level of intervals in maps.
pub const CONFIDENCE: f64 = 0.95;

/// A share `k / n` with its confidence interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Proportion {
    pub k: u64,
    pub n: u64,
    /// `k / n`; `None` when `n` is 0 (nothing to estimate from).
    pub share: Option<f64>,
    pub low: f64,
    pub high: f64,
    pub confidence: f64,
}

/// The Wilson score interval for `k` successes out of `n` at `confidence` (e.g. 0.95), as
/// statsmodels' `proportion_confint(k, n, alpha = 1 - confidence, method = "wilson")`:
/// centre (k + z²/2) / (n + z²), half-width z / (n + z²) · sqrt(k(n − k)/n + z²/4), with z the
/// normal quantile at 1 − (1 − confidence)/2.
///
/// With `n = 0` there is no information: the share is `None` and the interval the whole of
/// [0, 1] (the limit of the formula as n → 0), so a chart can draw it honestly. With `k = 0`
/// the lower end is exactly 0 and with `k = n` the upper end exactly 1 (the formula gives
/// these up to rounding).
pub fn wilson(k: u64, n: u64, confidence: f64) -> Result<Proportion> {
    check_confidence(confidence)?;
    if k > n {
        return Err(StatsError::Invalid("more successes than trials"));
    }
    if n == 0 {
        return Ok(Proportion { k, n, share: None, low: 0.0, high: 1.0, confidence });
    }
    let z = standard_normal().inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let (kf, nf) = (k as f64, n as f64);
    let q = kf / nf;
    let z2 = z * z;
    // statsmodels' arrangement of the same formula, so the two agree to the last digits.
    let denom = 1.0 + z2 / nf;
    let centre = (q + z2 / (2.0 * nf)) / denom;
    let dist = z * (q * (1.0 - q) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    let low = if k == 0 { 0.0 } else { (centre - dist).max(0.0) };
    let high = if k == n { 1.0 } else { (centre + dist).min(1.0) };
    Ok(Proportion { k, n, share: Some(q), low, high, confidence })
}

/// [`wilson`] at the default 95%.
pub fn wilson95(k: u64, n: u64) -> Result<Proportion> {
    wilson(k, n, CONFIDENCE)
}

/// The difference of two independent shares `k1/n1 − k2/n2` with its interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Difference {
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    pub confidence: f64,
}

/// Newcombe's hybrid score interval (1998, method 10) for the difference of two independent
/// shares, as statsmodels' `confint_proportions_2indep(k1, n1, k2, n2, method="newcomb",
/// compare="diff")`: with the Wilson intervals (l1, u1) and (l2, u2) of the two shares,
/// d − sqrt((p1 − l1)² + (u2 − p2)²) to d + sqrt((u1 − p1)² + (p2 − l2)²). It keeps the Wilson
/// interval's good behaviour at 0 of n and in small groups, where the textbook Wald interval
/// of a difference is far too narrow. `Invalid` when a group is empty.
pub fn newcombe(k1: u64, n1: u64, k2: u64, n2: u64, confidence: f64) -> Result<Difference> {
    if n1 == 0 || n2 == 0 {
        return Err(StatsError::Invalid("a difference of shares needs two non-empty groups"));
    }
    let (a, b) = (wilson(k1, n1, confidence)?, wilson(k2, n2, confidence)?);
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let d = p1 - p2;
    let low = d - ((p1 - a.low).powi(2) + (b.high - p2).powi(2)).sqrt();
    let high = d + ((a.high - p1).powi(2) + (p2 - b.low).powi(2)).sqrt();
    Ok(Difference { difference: d, low, high, confidence })
}

pub(super) fn standard_normal() -> Normal {
    Normal::standard()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, PROB, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/interval.json");

    #[test]
    fn wilson_matches_statsmodels() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "wilson") {
            let (k, n, conf) =
                (fixture::int(&case["k"]), fixture::int(&case["n"]), fixture::num(&case["confidence"]));
            let got = wilson(k, n, conf).unwrap();
            let what = format!("{name} ({k} of {n} at {conf})");
            assert_close(got.low, fixture::num(&case["low"]), PROB, &format!("{what} low"));
            assert_close(got.high, fixture::num(&case["high"]), PROB, &format!("{what} high"));
        }
    }

    #[test]
    fn newcombe_matches_statsmodels() {
        let fx = fixture::parse(include_str!("../../../tests/data/stats/trend.json"));
        let cases = fixture::cases(&fx, "newcombe");
        assert!(cases.len() >= 8);
        for (name, case) in cases {
            let [k1, n1, k2, n2] = ["k1", "n1", "k2", "n2"].map(|key| fixture::int(&case[key]));
            let got = newcombe(k1, n1, k2, n2, fixture::num(&case["confidence"])).unwrap();
            let what = format!("{name} ({k1}/{n1} − {k2}/{n2})");
            assert_close(got.difference, fixture::num(&case["difference"]), PROB, &what);
            assert_close(got.low, fixture::num(&case["low"]), PROB, &format!("{what} low"));
            assert_close(got.high, fixture::num(&case["high"]), PROB, &format!("{what} high"));
        }
    }

    #[test]
    fn a_difference_needs_two_groups_with_stories() {
        assert!(matches!(newcombe(0, 0, 1, 2, 0.95), Err(StatsError::Invalid(_))));
        let same = newcombe(5, 10, 5, 10, 0.95).unwrap();
        assert_eq!(same.difference, 0.0);
        assert!((same.low + same.high).abs() < 1e-12, "symmetric around 0: {same:?}");
    }

    #[test]
    fn no_trials_gives_no_share_and_the_whole_unit_interval() {
        let p = wilson95(0, 0).unwrap();
        assert_eq!((p.share, p.low, p.high), (None, 0.0, 1.0));
    }

    #[test]
    fn none_or_all_of_n_touch_the_ends_exactly() {
        let none = wilson95(0, 7).unwrap();
        assert_eq!((none.share, none.low), (Some(0.0), 0.0));
        assert!(none.high > 0.0 && none.high < 1.0);
        let all = wilson95(7, 7).unwrap();
        assert_eq!((all.share, all.high), (Some(1.0), 1.0));
        assert!(all.low > 0.0 && all.low < 1.0);
    }

    /// Hand check: 5 of 10 at 95% (z = 1.959964): centre 0.5, half-width
    /// z/(10 + z²) · sqrt(2.5 + z²/4) = 0.141601 · 1.860206 = 0.263407.
    #[test]
    fn half_of_ten_is_symmetric_around_one_half() {
        let p = wilson95(5, 10).unwrap();
        assert!((p.low - 0.5 + 0.263_407).abs() < 1e-6, "{p:?}");
        assert!((p.high - 0.5 - 0.263_407).abs() < 1e-6, "{p:?}");
    }

    #[test]
    fn a_higher_confidence_gives_a_wider_interval() {
        let (a, b) = (wilson(12, 40, 0.9).unwrap(), wilson(12, 40, 0.99).unwrap());
        assert!(b.low < a.low && b.high > a.high);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(wilson95(3, 2), Err(StatsError::Invalid(_))));
        assert!(matches!(wilson(1, 2, 1.0), Err(StatsError::Invalid(_))));
        assert!(matches!(wilson(1, 2, 0.0), Err(StatsError::Invalid(_))));
        assert!(matches!(wilson(1, 2, f64::NAN), Err(StatsError::Invalid(_))));
    }
}
