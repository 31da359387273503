//! Do the perspectives place their triads differently? Hotelling's test compares two groups
//! and assumes normal coordinates with equal covariances; a map has up to four groups and
//! triad answers are often bunched in a corner. PERMANOVA (Anderson 2001) compares any number
//! of groups and gets its p-value by relabelling the points at random instead of from a
//! distribution. With Euclidean distances between ilr coordinates, i.e. Aitchison distances
//! between the compositions, its pseudo-F equals scikit-bio's `permanova` on that distance
//! matrix. The permutations are seeded (ChaCha8), so a frozen map's p-value is reproducible.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::{Result, StatsError, check_finite};

/// A permuted pseudo-F within this relative distance below the observed one counts as at least
/// as large: relabellings that give the same partition must count, though rounding makes them
/// differ in the last digits (vegan's `adonis2` allows an absolute sqrt(machine epsilon)).
const TIES: f64 = 1e-9;

/// The PERMANOVA result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Permanova {
    /// (SS_between / (g − 1)) / (SS_within / (n − g)).
    pub pseudo_f: f64,
    /// SS_between / SS_total: the share of the spread explained by the groups (an effect size,
    /// 0 to 1), as vegan's `adonis2` reports it.
    pub r_squared: f64,
    /// (hits + 1) / (permutations + 1), hits being the relabellings with a pseudo-F at least the
    /// observed one; `None` with no permutations.
    pub p: Option<f64>,
    pub permutations: u64,
    pub seed: u64,
    pub n: usize,
    pub groups: usize,
}

/// One-way PERMANOVA of `points` (ilr coordinates, all of one dimension) labelled by `labels`
/// (any ordered type: perspective names, indices), with Euclidean distances.
///
/// For Euclidean distances the sums of squares of Anderson (2001),
/// SS_total = (1/n) Σ_{i<j} d²_ij and SS_within = Σ_g (1/n_g) Σ_{i<j in g} d²_ij, equal the
/// spread around the grand and the group centroids, so each permutation costs O(n) instead of
/// O(n²) and a map with thousands of stories stays cheap. The labels are shuffled
/// `permutations` times with a ChaCha8 generator seeded with `seed`.
///
/// Errors: lengths that differ or points not finite or of different dimensions (`Invalid`);
/// fewer than two groups or no more points than groups (`TooFew`); all points equal, or no
/// spread within the groups (`Degenerate`: pseudo-F would be 0/0 or infinite).
pub fn permanova<P: AsRef<[f64]>, L: Ord>(
    points: &[P],
    labels: &[L],
    permutations: u64,
    seed: u64,
) -> Result<Permanova> {
    if points.len() != labels.len() {
        return Err(StatsError::Invalid("there must be one label per point"));
    }
    let dim = points.first().map_or(0, |x| x.as_ref().len());
    if dim == 0 || points.iter().any(|x| x.as_ref().len() != dim) {
        return Err(StatsError::Invalid("the points do not all have the same dimension"));
    }
    for x in points {
        check_finite(x.as_ref(), "a coordinate is NaN or infinite")?;
    }
    let mut index: BTreeMap<&L, usize> = labels.iter().map(|l| (l, 0)).collect();
    for (i, v) in index.values_mut().enumerate() {
        *v = i;
    }
    let mut codes: Vec<usize> = labels.iter().map(|l| index[l]).collect();
    let (n, groups) = (points.len(), index.len());
    if groups < 2 {
        return Err(StatsError::TooFew { needed: 2, got: groups });
    }
    if n <= groups {
        return Err(StatsError::TooFew { needed: groups + 1, got: n });
    }

    // Centre on the grand mean: then SS_total = Σ ‖x‖² and SS_between = Σ_g ‖Σ_{i∈g} x_i‖² / n_g,
    // without the cancellation of subtracting two large sums.
    let grand: Vec<f64> =
        (0..dim).map(|k| points.iter().map(|x| x.as_ref()[k]).sum::<f64>() / n as f64).collect();
    let centred: Vec<Vec<f64>> =
        points.iter().map(|x| x.as_ref().iter().zip(&grand).map(|(v, m)| v - m).collect()).collect();
    let ss_total: f64 = centred.iter().flatten().map(|v| v * v).sum();
    let mut sizes = vec![0usize; groups];
    for &c in &codes {
        sizes[c] += 1;
    }
    let mut sums = vec![0.0; groups * dim];
    let mut ss_between = |codes: &[usize]| -> f64 {
        sums.fill(0.0);
        for (x, &c) in centred.iter().zip(codes) {
            for (s, v) in sums[c * dim..(c + 1) * dim].iter_mut().zip(x) {
                *s += v;
            }
        }
        (0..groups)
            .map(|g| sums[g * dim..(g + 1) * dim].iter().map(|s| s * s).sum::<f64>() / sizes[g] as f64)
            .sum()
    };
    let (df_between, df_within) = ((groups - 1) as f64, (n - groups) as f64);
    let pseudo_f = |ss_b: f64| (ss_b / df_between) / ((ss_total - ss_b) / df_within);

    let observed = ss_between(&codes);
    if ss_total <= 0.0 {
        return Err(StatsError::Degenerate("all points are equal"));
    }
    if ss_total - observed <= 1e-12 * ss_total {
        return Err(StatsError::Degenerate("the points do not vary within the groups"));
    }
    let f_observed = pseudo_f(observed);

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hits = 0u64;
    for _ in 0..permutations {
        codes.shuffle(&mut rng);
        hits += (pseudo_f(ss_between(&codes)) >= f_observed * (1.0 - TIES)) as u64;
    }
    Ok(Permanova {
        pseudo_f: f_observed,
        r_squared: observed / ss_total,
        p: (permutations > 0).then(|| (hits + 1) as f64 / (permutations + 1) as f64),
        permutations,
        seed,
        n,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, STAT, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/permanova.json");

    fn labels(case: &serde_json::Value) -> Vec<String> {
        case["labels"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
    }

    #[test]
    fn pseudo_f_matches_scikit_bio_exactly() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "cases") {
            let got = permanova(&fixture::rows(&case["points"]), &labels(case), 0, 1).unwrap();
            assert_close(got.pseudo_f, fixture::num(&case["pseudo_f"]), STAT, &format!("{name} pseudo-F"));
            assert_close(got.r_squared, fixture::num(&case["r_squared"]), STAT, &format!("{name} R²"));
            assert_eq!(got.p, None);
        }
    }

    /// The p-value is random on both sides, so it is compared statistically, with 999
    /// permutations as skbio: against the exact permutation p where the fixture has it (all
    /// distinct relabellings enumerated), within four binomial standard errors plus the
    /// (hits + 1) offset; elsewhere against skbio's own estimate, within four standard errors
    /// of the difference of two independent estimates. Cases with a clear difference give the
    /// smallest possible p, 1/1000, on both sides.
    #[test]
    fn p_values_agree_with_scikit_bio_and_exact_enumeration_statistically() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "cases") {
            let got = permanova(&fixture::rows(&case["points"]), &labels(case), 999, 20261203).unwrap();
            let p = got.p.unwrap();
            let skbio = fixture::num(&case["skbio_p_999"]);
            if skbio == 0.001 {
                assert_eq!(p, 0.001, "{name}: a clear difference");
            }
            if let Some(exact) = case["exact_p"].as_f64() {
                let se = (exact * (1.0 - exact) / 999.0).sqrt();
                assert!((p - exact).abs() <= 4.0 * se + 0.002, "{name}: p {p} against exact {exact}");
            }
            let se = (2.0 * skbio * (1.0 - skbio) / 999.0).sqrt();
            assert!((p - skbio).abs() <= 4.0 * se + 0.002, "{name}: p {p} against skbio {skbio}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_p_value() {
        let fx = fixture::parse(FIXTURE);
        let (_, case) =
            fixture::cases(&fx, "cases").into_iter().find(|(n, _)| n == "moderate difference").unwrap();
        let points = fixture::rows(&case["points"]);
        let first = permanova(&points, &labels(case), 499, 9).unwrap();
        assert_eq!(permanova(&points, &labels(case), 499, 9).unwrap(), first);
        assert_eq!((first.permutations, first.seed), (499, 9));
    }

    /// Hand check: groups {0, 2} and {10, 12} on a line: grand mean 6, SS_total = 36 + 16 + 16 + 36
    /// = 104, SS_within = 2 + 2 = 4, SS_between = 100, F = (100 / 1) / (4 / 2) = 50, R² = 100/104.
    /// With 2 + 2 points there are 3 distinct partitions, each as likely; only the observed one
    /// reaches F = 50, so p → 1/3 with many permutations.
    #[test]
    fn pseudo_f_by_hand() {
        let points = [[0.0], [2.0], [10.0], [12.0]];
        let got = permanova(&points, &["a", "a", "b", "b"], 30_000, 3).unwrap();
        assert_close(got.pseudo_f, 50.0, 1e-12, "F");
        assert_close(got.r_squared, 100.0 / 104.0, 1e-12, "R²");
        assert!((got.p.unwrap() - 1.0 / 3.0).abs() < 0.015, "{got:?}");
        // Labels are any ordered type, and their order does not matter.
        let by_number = permanova(&points, &[7, 7, 1, 1], 0, 0).unwrap();
        assert_close(by_number.pseudo_f, 50.0, 1e-12, "F with numeric labels");
    }

    #[test]
    fn data_without_spread_is_degenerate() {
        assert!(matches!(
            permanova(&[[0.5, 0.5]; 6], &[0, 0, 0, 1, 1, 1], 9, 0),
            Err(StatsError::Degenerate(_))
        ));
        let within_zero = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0]];
        assert!(matches!(permanova(&within_zero, &[0, 0, 1, 1], 9, 0), Err(StatsError::Degenerate(_))));
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(matches!(permanova(&[[0.0], [1.0]], &[0], 9, 0), Err(StatsError::Invalid(_))));
        assert!(matches!(
            permanova(&[[0.0], [1.0], [2.0]], &[0, 0, 0], 9, 0),
            Err(StatsError::TooFew { .. })
        ));
        assert!(matches!(permanova(&[[0.0], [1.0]], &[0, 1], 9, 0), Err(StatsError::TooFew { .. })));
        assert!(matches!(
            permanova(&[vec![0.0], vec![1.0, 2.0], vec![3.0]], &[0, 1, 1], 9, 0),
            Err(StatsError::Invalid(_))
        ));
        assert!(matches!(
            permanova(&[[f64::NAN], [1.0], [3.0]], &[0, 1, 1], 9, 0),
            Err(StatsError::Invalid(_))
        ));
    }
}
