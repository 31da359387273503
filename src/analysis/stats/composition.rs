//! Triad answers are compositions: three weights that sum to 1, where only the ratios carry
//! information ("being heard mattered twice as much as getting help fast"). Averaging the raw
//! weights or measuring Euclidean distance between them distorts exactly those ratios, and
//! points near a corner get squeezed. Aitchison's log-ratio geometry fixes that: the isometric
//! log-ratio (ilr) transform maps the open triangle onto the plane, where means, covariances,
//! confidence ellipses and distances behave as usual, and the inverse maps results back into the
//! triangle. Everything here works for any number of parts D ≥ 2, with scikit-bio's definitions
//! (`skbio.stats.composition`), including its default ilr basis, so coordinates agree with it.
//!
//! Logs need positive parts: a triad dragged into a corner has zeros, which
//! [`multiplicative_replacement`] replaces with a small δ first.

use super::{Result, StatsError, check_finite};

/// The composition scaled to sum to 1. Errors: fewer than 2 parts (`TooFew`), a negative or
/// non-finite part, or all parts 0 (`Invalid`).
pub fn closure(parts: &[f64]) -> Result<Vec<f64>> {
    check_parts(parts)?;
    let total: f64 = parts.iter().sum();
    if total <= 0.0 {
        return Err(StatsError::Invalid("a composition needs a part above 0"));
    }
    Ok(parts.iter().map(|x| x / total).collect())
}

/// skbio's default δ for [`multiplicative_replacement`]: 1 / D².
///
/// For triads that is 1/9, large: a corner answer (1, 0, 0) becomes (0.78, 0.11, 0.11). A
/// map may prefer a smaller δ (e.g. 0.005, "half of the smallest step a slider records");
/// the choice moves corner points, so a map should say which it used.
pub fn default_delta(parts: usize) -> f64 {
    (1.0 / parts as f64).powi(2)
}

/// Replaces zeros with `delta` and shrinks the other parts so the composition still sums to 1
/// (Martín-Fernández, Barceló-Vidal & Pawlowsky-Glahn 2003), as skbio's `multi_replace`:
/// after closure, zeros become δ and every non-zero part x becomes (1 − k δ) x, with k the
/// number of zeros. This keeps the ratios between the non-zero parts. `delta = None` uses
/// [`default_delta`]. Errors: as [`closure`], δ not in (0, 1), or k δ > 1 (`Invalid`: the
/// non-zero parts would turn negative).
pub fn multiplicative_replacement(parts: &[f64], delta: Option<f64>) -> Result<Vec<f64>> {
    let closed = closure(parts)?;
    let delta = delta.unwrap_or_else(|| default_delta(parts.len()));
    if !(delta > 0.0 && delta < 1.0) {
        return Err(StatsError::Invalid("delta must be strictly between 0 and 1"));
    }
    let zeros = closed.iter().filter(|&&x| x == 0.0).count() as f64;
    let keep = 1.0 - zeros * delta;
    if keep < 0.0 {
        return Err(StatsError::Invalid("delta is too large for this many zeros"));
    }
    Ok(closed.iter().map(|&x| if x == 0.0 { delta } else { keep * x }).collect())
}

/// The centred log-ratio: clr(x)_i = ln x_i − mean_j ln x_j. It does not depend on the scale
/// of x, so closing first is not needed. Errors: as [`closure`], or a zero part (`Invalid`:
/// replace zeros first).
pub fn clr(parts: &[f64]) -> Result<Vec<f64>> {
    check_positive(parts)?;
    let logs: Vec<f64> = parts.iter().map(|x| x.ln()).collect();
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    Ok(logs.iter().map(|l| l - mean).collect())
}

/// The inverse of [`clr`]: the closure of exp(c). Any real vector maps to a composition.
pub fn clr_inv(coords: &[f64]) -> Vec<f64> {
    // Shift by the maximum so exp cannot overflow (as skbio does); closure removes the shift.
    let max = coords.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = coords.iter().map(|c| (c - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|x| x / total).collect()
}

/// scikit-bio's default orthonormal ilr basis for D parts (`_gram_schmidt_basis`, after
/// Egozcue et al. 2003), as D − 1 rows of D clr coefficients: row j (j = 1 … D − 1) is
/// sqrt(j / (j + 1)) · (1/j, …, 1/j, −1, 0, …, 0), with j entries of 1/j. So the j-th
/// coordinate contrasts part j + 1 with the geometric mean of the parts before it; for a triad
/// (a, b, c): ilr_1 = ln(a / b) / sqrt(2), ilr_2 = sqrt(2/3) · ln(sqrt(ab) / c).
pub fn ilr_basis(parts: usize) -> Vec<Vec<f64>> {
    (1..parts)
        .map(|j| {
            let scale = (j as f64 / (j as f64 + 1.0)).sqrt();
            (0..parts)
                .map(|k| match k {
                    k if k < j => (1.0 / j as f64) * scale,
                    k if k == j => -scale,
                    _ => 0.0,
                })
                .collect()
        })
        .collect()
}

/// The isometric log-ratio coordinates (D − 1 of them) in [`ilr_basis`], as skbio's `ilr`.
/// Euclidean geometry on these is Aitchison geometry on the compositions. Errors: as [`clr`].
pub fn ilr(parts: &[f64]) -> Result<Vec<f64>> {
    let c = clr(parts)?;
    Ok(ilr_basis(parts.len()).iter().map(|e| e.iter().zip(&c).map(|(a, b)| a * b).sum()).collect())
}

/// The composition (summing to 1) with the given ilr coordinates, as skbio's `ilr_inv`.
/// Errors: no coordinates or a non-finite one (`Invalid`).
pub fn ilr_inv(coords: &[f64]) -> Result<Vec<f64>> {
    if coords.is_empty() {
        return Err(StatsError::Invalid("ilr coordinates of at least a two-part composition are needed"));
    }
    check_finite(coords, "an ilr coordinate is NaN or infinite")?;
    let basis = ilr_basis(coords.len() + 1);
    let c: Vec<f64> =
        (0..=coords.len()).map(|k| basis.iter().zip(coords).map(|(e, y)| e[k] * y).sum()).collect();
    Ok(clr_inv(&c))
}

/// The compositional centre of a set: the closed geometric mean, part by part
/// (C[g_1, …, g_D] with g_i = (Π_n x_ni)^(1/N)). It is the composition whose ilr coordinates
/// are the mean of the set's ilr coordinates, so it is where a map puts a group's "average"
/// triad, and unlike the arithmetic mean it respects ratios. Errors: no compositions
/// (`TooFew`), compositions of different lengths or with zeros (`Invalid`).
pub fn centre<C: AsRef<[f64]>>(compositions: &[C]) -> Result<Vec<f64>> {
    let first = compositions.first().ok_or(StatsError::TooFew { needed: 1, got: 0 })?.as_ref();
    let d = first.len();
    let mut log_sums = vec![0.0; d];
    for comp in compositions {
        let comp = comp.as_ref();
        if comp.len() != d {
            return Err(StatsError::Invalid("compositions have different numbers of parts"));
        }
        check_positive(comp)?;
        // Close each first so the mean is over compositions, not over their raw scales.
        let total: f64 = comp.iter().sum();
        for (s, x) in log_sums.iter_mut().zip(comp) {
            *s += (x / total).ln();
        }
    }
    let n = compositions.len() as f64;
    let g: Vec<f64> = log_sums.iter().map(|s| s / n).collect();
    Ok(clr_inv(&g))
}

/// The Aitchison distance ‖clr(x) − clr(y)‖, equal to the Euclidean distance of the ilr
/// coordinates. Errors: as [`clr`], or different numbers of parts (`Invalid`).
pub fn aitchison_distance(x: &[f64], y: &[f64]) -> Result<f64> {
    if x.len() != y.len() {
        return Err(StatsError::Invalid("compositions have different numbers of parts"));
    }
    let (cx, cy) = (clr(x)?, clr(y)?);
    Ok(cx.iter().zip(&cy).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt())
}

fn check_parts(parts: &[f64]) -> Result<()> {
    if parts.len() < 2 {
        return Err(StatsError::TooFew { needed: 2, got: parts.len() });
    }
    if !parts.iter().all(|x| x.is_finite() && *x >= 0.0) {
        return Err(StatsError::Invalid("a part is negative, NaN or infinite"));
    }
    Ok(())
}

fn check_positive(parts: &[f64]) -> Result<()> {
    check_parts(parts)?;
    if parts.contains(&0.0) {
        return Err(StatsError::Invalid("a part is 0; replace zeros first (multiplicative_replacement)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, STAT, assert_all_close, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/composition.json");

    #[test]
    fn transforms_match_scikit_bio() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "transforms") {
            let parts = fixture::nums(&case["parts"]);
            let name = format!("{name} {parts:?}");
            assert_all_close(
                &closure(&parts).unwrap(),
                &fixture::nums(&case["closed"]),
                STAT,
                &format!("{name} closure"),
            );
            assert_all_close(
                &clr(&parts).unwrap(),
                &fixture::nums(&case["clr"]),
                STAT,
                &format!("{name} clr"),
            );
            let y = ilr(&parts).unwrap();
            assert_all_close(&y, &fixture::nums(&case["ilr"]), STAT, &format!("{name} ilr"));
            assert_all_close(
                &ilr_inv(&y).unwrap(),
                &fixture::nums(&case["ilr_inv"]),
                STAT,
                &format!("{name} ilr_inv"),
            );
        }
        for (name, case) in fixture::cases(&fx, "ilr_inv") {
            let got = ilr_inv(&fixture::nums(&case["coords"])).unwrap();
            assert_all_close(&got, &fixture::nums(&case["composition"]), STAT, &name);
        }
    }

    #[test]
    fn multiplicative_replacement_matches_scikit_bio_multi_replace() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "zeros") {
            let parts = fixture::nums(&case["parts"]);
            let delta = case["delta"].as_f64();
            let got = multiplicative_replacement(&parts, delta).unwrap();
            assert_all_close(
                &got,
                &fixture::nums(&case["replaced"]),
                STAT,
                &format!("{name} {parts:?} δ={delta:?}"),
            );
        }
    }

    #[test]
    fn centre_and_distances_match_scipy_gmean_and_clr() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "sets") {
            let comps = fixture::rows(&case["compositions"]);
            assert_all_close(
                &centre(&comps).unwrap(),
                &fixture::nums(&case["centre"]),
                STAT,
                &format!("{name} centre"),
            );
            for (i, row) in fixture::rows(&case["distances"]).iter().enumerate() {
                let got: Vec<f64> = comps.iter().map(|c| aitchison_distance(&comps[i], c).unwrap()).collect();
                assert_all_close(&got, row, STAT, &format!("{name} distances from {i}"));
            }
        }
    }

    #[test]
    fn the_basis_is_orthonormal_and_orthogonal_to_the_ones_vector() {
        for d in 2..7 {
            let b = ilr_basis(d);
            assert_eq!(b.len(), d - 1);
            for (i, u) in b.iter().enumerate() {
                assert!(u.iter().sum::<f64>().abs() < 1e-12, "row {i} of D={d} is a clr vector");
                for (j, v) in b.iter().enumerate() {
                    let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
                    assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12, "D={d} <{i},{j}> = {dot}");
                }
            }
        }
    }

    /// Hand check from the basis: for (a, b, c), ilr_1 = ln(a/b)/√2 and ilr_2 = √(2/3) ln(√(ab)/c).
    #[test]
    fn triad_coordinates_by_hand() {
        let (a, b, c) = (0.5f64, 0.2, 0.3);
        let y = ilr(&[a, b, c]).unwrap();
        assert_close(y[0], (a / b).ln() / 2f64.sqrt(), 1e-12, "ilr_1");
        assert_close(y[1], (2.0f64 / 3.0).sqrt() * ((a * b).sqrt() / c).ln(), 1e-12, "ilr_2");
        // The centre of the triangle is the origin.
        assert!(ilr(&[1.0, 1.0, 1.0]).unwrap().iter().all(|v| v.abs() < 1e-15));
    }

    #[test]
    fn ilr_round_trips_and_preserves_aitchison_distance() {
        let (x, y) = ([0.1, 0.6, 0.3, 0.05], [0.4, 0.4, 0.1, 0.1]);
        let back = ilr_inv(&ilr(&x).unwrap()).unwrap();
        assert_all_close(&back, &closure(&x).unwrap(), 1e-12, "round trip");
        let (ix, iy) = (ilr(&x).unwrap(), ilr(&y).unwrap());
        let euclid = ix.iter().zip(&iy).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
        assert_close(aitchison_distance(&x, &y).unwrap(), euclid, 1e-12, "isometry");
    }

    #[test]
    fn the_centre_is_the_inverse_ilr_of_the_mean_coordinates() {
        let comps = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.6, 0.1, 0.3]];
        let mean: Vec<f64> =
            (0..2).map(|k| comps.iter().map(|c| ilr(c).unwrap()[k]).sum::<f64>() / 4.0).collect();
        assert_all_close(&centre(&comps).unwrap(), &ilr_inv(&mean).unwrap(), 1e-12, "centre");
    }

    #[test]
    fn replacement_keeps_ratios_and_sums_to_one() {
        let got = multiplicative_replacement(&[0.6, 0.4, 0.0], Some(0.01)).unwrap();
        assert_close(got.iter().sum(), 1.0, 1e-15, "sum");
        assert_close(got[0] / got[1], 1.5, 1e-12, "ratio");
        assert_eq!(got[2], 0.01);
        // Without zeros it is just the closure.
        assert_eq!(multiplicative_replacement(&[2.0, 2.0], None).unwrap(), [0.5, 0.5]);
        assert_eq!(default_delta(3), 1.0 / 9.0);
    }

    #[test]
    fn bad_compositions_are_errors() {
        assert!(matches!(closure(&[1.0]), Err(StatsError::TooFew { .. })));
        assert!(matches!(closure(&[0.0, 0.0, 0.0]), Err(StatsError::Invalid(_))));
        assert!(matches!(closure(&[0.5, -0.1, 0.6]), Err(StatsError::Invalid(_))));
        assert!(matches!(clr(&[0.5, 0.5, 0.0]), Err(StatsError::Invalid(_))));
        assert!(matches!(ilr(&[0.5, f64::NAN, 0.5]), Err(StatsError::Invalid(_))));
        assert!(matches!(ilr_inv(&[]), Err(StatsError::Invalid(_))));
        assert!(matches!(
            multiplicative_replacement(&[1.0, 0.0, 0.0], Some(0.6)),
            Err(StatsError::Invalid(_))
        ));
        assert!(matches!(multiplicative_replacement(&[1.0, 0.0], Some(0.0)), Err(StatsError::Invalid(_))));
        assert!(matches!(aitchison_distance(&[0.5, 0.5], &[0.2, 0.3, 0.5]), Err(StatsError::Invalid(_))));
        let empty: [[f64; 3]; 0] = [];
        assert!(matches!(centre(&empty), Err(StatsError::TooFew { .. })));
        assert!(matches!(centre(&[vec![0.5, 0.5], vec![0.2, 0.3, 0.5]]), Err(StatsError::Invalid(_))));
    }
}
