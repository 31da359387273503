//! Do groups answer a dyad (a slider from 0 to 1) differently? Slider answers are bounded,
//! often bunched at the ends and full of ties (many people leave the slider where it starts),
//! so the maps compare them by ranks instead of means: Kruskal–Wallis across all perspectives,
//! Mann–Whitney U for a pair, each with an effect size. The quartiles and histograms here are
//! what a map draws beside the tests, on the same bins for every group.

use statrs::distribution::ContinuousCDF;

use super::interval::standard_normal;
use super::{Result, StatsError, check_finite, chi_squared_sf};

/// The Kruskal–Wallis H test: do the groups come from the same distribution?
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KruskalWallis {
    /// H, corrected for ties.
    pub h: f64,
    /// Number of (non-empty) groups − 1.
    pub df: u64,
    /// From the chi-square distribution with `df` degrees of freedom.
    pub p: f64,
    /// ε² = H / ((n² − 1)/(n + 1)) = H / (n − 1) (Tomczak & Tomczak 2014, "The need to report
    /// effect size estimates revisited", Trends in Sport Sciences 21(1), their E²_R): the
    /// share of rank variance explained by the groups, from 0 (none) to 1 (groups completely
    /// separated).
    pub epsilon_squared: f64,
    /// Observations, and groups that had any.
    pub n: usize,
    pub groups: usize,
}

/// The Kruskal–Wallis test with tie correction, as scipy's `kruskal(*groups)`:
/// H = [12 / (n(n + 1)) Σ R_i² / n_i − 3(n + 1)] / [1 − Σ (t³ − t) / (n³ − n)], with R_i the
/// rank sum of group i (average ranks for ties) and t the size of each group of ties.
///
/// Empty groups are left out (a perspective with no answers carries no ranks) and `groups`
/// says how many were used. Errors: fewer than two non-empty groups (`TooFew`), a non-finite
/// value (`Invalid`), every value equal (`Degenerate`: nothing to rank; scipy returns NaN).
pub fn kruskal_wallis<G: AsRef<[f64]>>(groups: &[G]) -> Result<KruskalWallis> {
    let used: Vec<&[f64]> = groups.iter().map(AsRef::as_ref).filter(|g| !g.is_empty()).collect();
    if used.len() < 2 {
        return Err(StatsError::TooFew { needed: 2, got: used.len() });
    }
    let all: Vec<f64> = used.iter().flat_map(|g| g.iter().copied()).collect();
    check_finite(&all, "a value is NaN or infinite")?;
    let ranked = rank(&all);
    if ranked.all_tied {
        return Err(StatsError::Degenerate("every value is the same"));
    }
    let n = all.len() as f64;
    let mut start = 0;
    let mut ssbn = 0.0;
    for g in &used {
        let r: f64 = ranked.ranks[start..start + g.len()].iter().sum();
        ssbn += r * r / g.len() as f64;
        start += g.len();
    }
    let correction = 1.0 - ranked.tie_term / (n * n * n - n);
    let h = (12.0 / (n * (n + 1.0)) * ssbn - 3.0 * (n + 1.0)) / correction;
    let df = (used.len() - 1) as u64;
    Ok(KruskalWallis {
        h,
        df,
        p: chi_squared_sf(h, df as f64),
        epsilon_squared: h / ((n * n - 1.0) / (n + 1.0)),
        n: all.len(),
        groups: used.len(),
    })
}

/// The Mann–Whitney U test of two groups.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MannWhitney {
    /// U of the first group: the number of (x, y) pairs with x > y, ties counting one half.
    /// This is what scipy reports as the statistic.
    pub u1: f64,
    /// U of the second group, n1 · n2 − u1.
    pub u2: f64,
    /// Two-sided, normal approximation with tie and continuity correction.
    pub p: f64,
    /// The rank-biserial correlation r = (u1 − u2) / (n1 n2) = 1 − 2 u2 / (n1 n2)
    /// = P(x > y) − P(x < y). Sign convention: **positive when the first group tends higher**,
    /// negative when it tends lower, 0 for no tendency; ±1 when the groups do not overlap.
    pub rank_biserial: f64,
    pub n1: usize,
    pub n2: usize,
}

/// The two-sided Mann–Whitney U test, as scipy's
/// `mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)`:
/// z = (max(U1, U2) − n1 n2 / 2 − 1/2) / σ with
/// σ² = n1 n2 / 12 · [(n + 1) − Σ (t³ − t) / (n(n − 1))], p = 2 P(Z ≥ z), capped at 1.
///
/// Errors: an empty group (`TooFew`), a non-finite value (`Invalid`), every value equal
/// (`Degenerate`: σ = 0; scipy returns p = 1 there, but no ordering can be tested at all).
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Result<MannWhitney> {
    if x.is_empty() || y.is_empty() {
        return Err(StatsError::TooFew { needed: 1, got: 0 });
    }
    check_finite(x, "a value is NaN or infinite")?;
    check_finite(y, "a value is NaN or infinite")?;
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let ranked = rank(&all);
    if ranked.all_tied {
        return Err(StatsError::Degenerate("every value is the same"));
    }
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let n = n1 + n2;
    let r1: f64 = ranked.ranks[..x.len()].iter().sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let mu = n1 * n2 / 2.0;
    let sigma = (n1 * n2 / 12.0 * ((n + 1.0) - ranked.tie_term / (n * (n - 1.0)))).sqrt();
    let z = (u1.max(u2) - mu - 0.5) / sigma;
    let p = (2.0 * standard_normal().sf(z)).clamp(0.0, 1.0);
    Ok(MannWhitney { u1, u2, p, rank_biserial: (u1 - u2) / (n1 * n2), n1: x.len(), n2: y.len() })
}

/// Average ranks (1-based, ties sharing the mean of their positions) and Σ (t³ − t) over the
/// groups of ties.
struct Ranked {
    ranks: Vec<f64>,
    tie_term: f64,
    all_tied: bool,
}

fn rank(values: &[f64]) -> Ranked {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && values[order[j]] == values[order[i]] {
            j += 1;
        }
        // Positions i..j (0-based) share the rank ((i + 1) + j) / 2.
        let shared = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = shared;
        }
        let t = (j - i) as f64;
        tie_term += t * t * t - t;
        i = j;
    }
    let all_tied = values.first().is_some_and(|v| values.iter().all(|w| w == v));
    Ranked { ranks, tie_term, all_tied }
}

/// The five-number summary a box plot draws.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Quantiles {
    pub n: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

/// Minimum, quartiles, median and maximum, with numpy's default (linear) interpolation
/// ([`quantile`]). Errors: no values (`TooFew`), a non-finite value (`Invalid`).
pub fn quantiles(values: &[f64]) -> Result<Quantiles> {
    let sorted = sorted_finite(values)?;
    Ok(Quantiles {
        n: sorted.len(),
        min: sorted[0],
        q1: quantile_of_sorted(&sorted, 0.25),
        median: quantile_of_sorted(&sorted, 0.5),
        q3: quantile_of_sorted(&sorted, 0.75),
        max: sorted[sorted.len() - 1],
    })
}

/// The `q`-quantile (0 ≤ q ≤ 1) as numpy's `quantile(values, q)` with its default "linear"
/// method (R's type 7): with the values sorted, position h = (n − 1) q, interpolating between
/// the values at floor(h) and floor(h) + 1.
pub fn quantile(values: &[f64], q: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&q) {
        return Err(StatsError::Invalid("a quantile must be between 0 and 1"));
    }
    Ok(quantile_of_sorted(&sorted_finite(values)?, q))
}

fn sorted_finite(values: &[f64]) -> Result<Vec<f64>> {
    if values.is_empty() {
        return Err(StatsError::TooFew { needed: 1, got: 0 });
    }
    check_finite(values, "a value is NaN or infinite")?;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

fn quantile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = (h.floor() as usize).min(sorted.len() - 1);
    let hi = (lo + 1).min(sorted.len() - 1);
    let t = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    // numpy's lerp: from the nearer end, so t = 1 gives b exactly.
    if t >= 0.5 { b - (b - a) * (1.0 - t) } else { a + (b - a) * t }
}

/// Counts per bin of equal width on [0, 1].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// `bins + 1` edges from 0 to 1.
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

/// A histogram of values in [0, 1] on `bins` equal bins, as numpy's
/// `histogram(values, bins=bins, range=(0, 1))`: each bin holds [left, right) except the last,
/// which also holds 1. The bins depend only on `bins`, so histograms of different groups are
/// always on common bins and can be drawn side by side or compared bin by bin.
///
/// Errors: `bins` = 0 or a value outside [0, 1] or NaN (`Invalid`: dyad answers are in [0, 1]
/// by construction, so such a value is a bug upstream, not something to drop silently).
pub fn histogram(values: &[f64], bins: usize) -> Result<Histogram> {
    if bins == 0 {
        return Err(StatsError::Invalid("a histogram needs at least one bin"));
    }
    if !values.iter().all(|v| (0.0..=1.0).contains(v)) {
        return Err(StatsError::Invalid("a histogram value is outside [0, 1]"));
    }
    // numpy.linspace(0, 1, bins + 1): i · (1 / bins), the last edge exactly 1.
    let step = 1.0 / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step).collect();
    edges[bins] = 1.0;
    let mut counts = vec![0u64; bins];
    for &v in values {
        // numpy's index computation, then its correction against the edges themselves, so a
        // value on an edge lands where numpy puts it even when v · bins rounds the other way.
        let mut i = ((v * bins as f64) as usize).min(bins - 1);
        if v < edges[i] {
            i -= 1;
        } else if i + 1 < bins && v >= edges[i + 1] {
            i += 1;
        }
        counts[i] += 1;
    }
    Ok(Histogram { edges, counts })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, PROB, STAT, assert_all_close, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/ranks.json");

    #[test]
    fn kruskal_wallis_matches_scipy() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "kruskal") {
            let groups = fixture::rows(&case["groups"]);
            let got = kruskal_wallis(&groups).unwrap();
            assert_close(got.h, fixture::num(&case["h"]), STAT, &format!("{name} H"));
            assert_eq!(got.df, fixture::int(&case["df"]), "{name} df");
            assert_close(got.p, fixture::num(&case["p"]), PROB, &format!("{name} p"));
            assert_close(
                got.epsilon_squared,
                fixture::num(&case["epsilon_squared"]),
                STAT,
                &format!("{name} e2"),
            );
        }
    }

    #[test]
    fn mann_whitney_matches_scipy_asymptotic_with_continuity() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "mann_whitney") {
            let (x, y) = (fixture::nums(&case["x"]), fixture::nums(&case["y"]));
            let got = mann_whitney(&x, &y).unwrap();
            assert_close(got.u1, fixture::num(&case["u1"]), STAT, &format!("{name} U1"));
            assert_close(got.u2, fixture::num(&case["u2"]), STAT, &format!("{name} U2"));
            assert_close(got.p, fixture::num(&case["p"]), PROB, &format!("{name} p"));
            assert_close(got.rank_biserial, fixture::num(&case["rank_biserial"]), STAT, &format!("{name} r"));
        }
    }

    #[test]
    fn the_rank_biserial_is_positive_when_the_first_group_tends_higher() {
        let higher = mann_whitney(&[5.0, 6.0, 7.0, 8.0], &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((higher.u1, higher.u2, higher.rank_biserial), (12.0, 0.0, 1.0));
        let lower = mann_whitney(&[1.0, 2.0, 3.0], &[5.0, 6.0, 7.0, 8.0]).unwrap();
        assert_eq!(lower.rank_biserial, -1.0);
        assert_eq!(lower.p, higher.p, "two-sided: the order of the groups does not change p");
        // Hand check with a tie: x = [1, 3], y = [2, 3]: pairs (1,2) <, (1,3) <, (3,2) >,
        // (3,3) tie, so U1 = 1.5, U2 = 2.5 and r = (1.5 − 2.5) / 4 = −0.25.
        let tie = mann_whitney(&[1.0, 3.0], &[2.0, 3.0]).unwrap();
        assert_eq!((tie.u1, tie.u2, tie.rank_biserial), (1.5, 2.5, -0.25));
    }

    #[test]
    fn all_ties_are_degenerate_not_nan() {
        assert!(matches!(kruskal_wallis(&[vec![0.5; 3], vec![0.5; 4]]), Err(StatsError::Degenerate(_))));
        assert!(matches!(mann_whitney(&[1.0, 1.0], &[1.0]), Err(StatsError::Degenerate(_))));
    }

    #[test]
    fn rank_tests_need_two_non_empty_groups_and_finite_values() {
        assert_eq!(kruskal_wallis(&[vec![1.0, 2.0], vec![]]), Err(StatsError::TooFew { needed: 2, got: 1 }));
        assert!(matches!(mann_whitney(&[], &[1.0]), Err(StatsError::TooFew { .. })));
        assert!(matches!(kruskal_wallis(&[vec![1.0, f64::NAN], vec![2.0]]), Err(StatsError::Invalid(_))));
        assert!(matches!(mann_whitney(&[f64::INFINITY], &[1.0]), Err(StatsError::Invalid(_))));
    }

    /// Hand check: groups [1, 2] and [3, 4] (no ties): rank sums 3 and 7, so
    /// H = 12 / (4 · 5) · (9/2 + 49/2) − 15 = 0.6 · 29 − 15 = 2.4, ε² = 2.4 / 3 = 0.8.
    #[test]
    fn kruskal_wallis_by_hand() {
        let got = kruskal_wallis(&[[1.0, 2.0], [3.0, 4.0]]).unwrap();
        assert!((got.h - 2.4).abs() < 1e-12 && (got.epsilon_squared - 0.8).abs() < 1e-12, "{got:?}");
        assert_eq!((got.df, got.n, got.groups), (1, 4, 2));
    }

    #[test]
    fn ranks_average_over_ties() {
        let r = rank(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r.ranks, [4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(r.tie_term, 24.0); // one tie of 3: 27 − 3
        assert!(!r.all_tied);
    }

    #[test]
    fn quantiles_match_numpy_linear_interpolation() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "quantiles") {
            let values = fixture::nums(&case["values"]);
            let q = quantiles(&values).unwrap();
            let got = [q.min, q.q1, q.median, q.q3, q.max];
            let want = ["min", "q1", "median", "q3", "max"].map(|k| fixture::num(&case[k]));
            assert_all_close(&got, &want, STAT, &name);
            assert_close(
                quantile(&values, 0.1).unwrap(),
                fixture::num(&case["p10"]),
                STAT,
                &format!("{name} p10"),
            );
            assert_close(
                quantile(&values, 0.9).unwrap(),
                fixture::num(&case["p90"]),
                STAT,
                &format!("{name} p90"),
            );
        }
    }

    #[test]
    fn quantiles_need_finite_values_and_a_level_in_the_unit_interval() {
        assert!(matches!(quantiles(&[]), Err(StatsError::TooFew { .. })));
        assert!(matches!(quantiles(&[1.0, f64::NAN]), Err(StatsError::Invalid(_))));
        assert!(matches!(quantile(&[1.0], 1.5), Err(StatsError::Invalid(_))));
        assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.5).unwrap(), 2.5);
    }

    #[test]
    fn histograms_match_numpy_on_the_unit_interval() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "histogram") {
            let values = fixture::nums(&case["values"]);
            let got = histogram(&values, fixture::int(&case["bins"]) as usize).unwrap();
            assert_eq!(got.counts, fixture::ints(&case["counts"]), "{name} counts of {values:?}");
            assert_all_close(&got.edges, &fixture::nums(&case["edges"]), 0.0, &format!("{name} edges"));
        }
    }

    #[test]
    fn one_is_in_the_last_bin_and_values_outside_the_unit_interval_are_errors() {
        assert_eq!(histogram(&[1.0, 0.0, 0.5], 2).unwrap().counts, [1, 2]);
        assert!(matches!(histogram(&[1.01], 4), Err(StatsError::Invalid(_))));
        assert!(matches!(histogram(&[f64::NAN], 4), Err(StatsError::Invalid(_))));
        assert!(matches!(histogram(&[0.5], 0), Err(StatsError::Invalid(_))));
        assert_eq!(histogram(&[], 3).unwrap().counts, [0, 0, 0]);
    }
}
