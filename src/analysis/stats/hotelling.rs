//! Where does a group's average triad lie, and do two groups' averages differ? In ilr
//! coordinates (see [`super::composition`]) triad answers live in the plane, where Hotelling's
//! T² gives both: a confidence region for the mean, an ellipse in the plane that becomes a
//! curved region in the triangle when mapped back, and the two-sample test of equal means.
//! The region is what a map draws around each perspective's centre, so that a facilitator can
//! see at a glance whether two groups' centres are further apart than their uncertainty.
//!
//! Covariances need spread: with too few points, all points equal, or points on a line, the
//! covariance is singular and the result is a typed error, never an ellipse of NaN.

use std::f64::consts::PI;

use super::composition::{ilr, ilr_inv};
use super::{Result, StatsError, check_confidence, check_finite, f_quantile, f_sf};

/// A pivot of the Cholesky factorisation at most this fraction of the largest variance counts
/// as zero: the covariance is singular (all points equal or on a line) up to rounding.
const SINGULAR: f64 = 1e-12;

/// The confidence region of the mean of 2-D points (ilr coordinates of triads).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeanRegion {
    pub n: usize,
    pub confidence: f64,
    pub mean: [f64; 2],
    /// The sample covariance (divisor n − 1).
    pub covariance: [[f64; 2]; 2],
    /// The bound c on n (x̄ − μ)ᵀ S⁻¹ (x̄ − μ) that defines the region:
    /// c = p (n − 1) / (n − p) · F_{p, n − p}(confidence), p = 2.
    pub critical: f64,
    /// Points on the boundary ellipse, counter-clockwise from angle 0:
    /// x̄ + sqrt(c / n) · L (cos θ_k, sin θ_k), θ_k = 2πk / vertices, with S = L Lᵀ (Cholesky).
    pub polygon: Vec<[f64; 2]>,
}

/// The T² confidence region for the mean of 2-D points (Johnson & Wichern, Applied
/// Multivariate Statistical Analysis, 6th ed., section 5.4): all μ with
/// n (x̄ − μ)ᵀ S⁻¹ (x̄ − μ) ≤ p (n − 1) / (n − p) · F_{p, n−p}(confidence), returned as a polygon
/// of `vertices` points on its boundary.
///
/// Errors: points that are not 2-D or not finite, fewer than 3 vertices, a confidence outside
/// (0, 1) (`Invalid`); n ≤ 2 (`TooFew`: the F distribution needs n − p ≥ 1); a singular
/// covariance: all points equal or on one line (`Degenerate`).
pub fn mean_region<P: AsRef<[f64]>>(points: &[P], confidence: f64, vertices: usize) -> Result<MeanRegion> {
    check_confidence(confidence)?;
    if vertices < 3 {
        return Err(StatsError::Invalid("a polygon needs at least 3 vertices"));
    }
    let points = check_points(points, Some(2))?;
    let (n, p) = (points.len(), 2);
    if n <= p {
        return Err(StatsError::TooFew { needed: p + 1, got: n });
    }
    let mean = mean(&points, p);
    let s = scatter(&points, &mean);
    let cov: Vec<Vec<f64>> = s.iter().map(|row| row.iter().map(|v| v / (n - 1) as f64).collect()).collect();
    let l = cholesky(&cov).ok_or(StatsError::Degenerate("the points do not spread in two directions"))?;
    let (nf, pf) = (n as f64, p as f64);
    let critical = pf * (nf - 1.0) / (nf - pf) * f_quantile(confidence, pf, nf - pf);
    let radius = (critical / nf).sqrt();
    let polygon = (0..vertices)
        .map(|k| {
            let theta = 2.0 * PI * k as f64 / vertices as f64;
            let (c, s) = (theta.cos(), theta.sin());
            [mean[0] + radius * l[0][0] * c, mean[1] + radius * (l[1][0] * c + l[1][1] * s)]
        })
        .collect();
    Ok(MeanRegion {
        n,
        confidence,
        mean: [mean[0], mean[1]],
        covariance: [[cov[0][0], cov[0][1]], [cov[1][0], cov[1][1]]],
        critical,
        polygon,
    })
}

/// A triad group's centre and confidence region, in the triangle.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TriadRegion {
    /// The closed geometric mean (= ilr⁻¹ of the mean ilr coordinates), summing to 1.
    pub centre: Vec<f64>,
    /// The region's boundary mapped back to compositions (three parts summing to 1 each):
    /// straight in ilr space, curved in the triangle, and always inside it.
    pub polygon: Vec<Vec<f64>>,
    /// The same region in ilr coordinates.
    pub region: MeanRegion,
}

/// [`mean_region`] for triads given as three-part compositions: transforms them with
/// [`ilr`], computes the region and maps centre and polygon back. Compositions with a zero
/// part are `Invalid`: replace zeros first (see
/// [`super::composition::multiplicative_replacement`]).
pub fn triad_mean_region<C: AsRef<[f64]>>(
    compositions: &[C],
    confidence: f64,
    vertices: usize,
) -> Result<TriadRegion> {
    if compositions.iter().any(|c| c.as_ref().len() != 3) {
        return Err(StatsError::Invalid("a triad has three parts"));
    }
    let coords = compositions.iter().map(|c| ilr(c.as_ref())).collect::<Result<Vec<_>>>()?;
    let region = mean_region(&coords, confidence, vertices)?;
    Ok(TriadRegion {
        centre: ilr_inv(&region.mean)?,
        polygon: region.polygon.iter().map(|v| ilr_inv(v)).collect::<Result<_>>()?,
        region,
    })
}

/// The two-sample Hotelling T² test of equal means.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TwoSample {
    pub t2: f64,
    /// T² scaled to an F statistic with (`df1`, `df2`) degrees of freedom.
    pub f: f64,
    pub df1: u64,
    pub df2: u64,
    pub p: f64,
    /// Mean of the first group minus mean of the second (in ilr coordinates: the direction in
    /// which the first group's centre lies from the second's).
    pub mean_difference: Vec<f64>,
}

/// Two-sample Hotelling T² on p-dimensional points, assuming equal covariances (Johnson &
/// Wichern, 6th ed., section 6.3): with d = x̄₁ − x̄₂ and the pooled covariance
/// S_p = ((n₁ − 1) S₁ + (n₂ − 1) S₂) / (n₁ + n₂ − 2),
/// T² = n₁ n₂ / (n₁ + n₂) · dᵀ S_p⁻¹ d, F = (n₁ + n₂ − p − 1) / (p (n₁ + n₂ − 2)) · T² on
/// (p, n₁ + n₂ − p − 1) degrees of freedom, p-value P(F_{p, n₁+n₂−p−1} ≥ F).
///
/// Errors: points of different or zero dimension, or not finite (`Invalid`); an empty group or
/// n₁ + n₂ < p + 2 (`TooFew`); a singular pooled covariance (`Degenerate`).
pub fn two_sample<P: AsRef<[f64]>>(a: &[P], b: &[P]) -> Result<TwoSample> {
    if a.is_empty() || b.is_empty() {
        return Err(StatsError::TooFew { needed: 1, got: 0 });
    }
    let a = check_points(a, None)?;
    let p = a[0].len();
    let b = check_points(b, Some(p))?;
    let (n1, n2) = (a.len(), b.len());
    if n1 + n2 < p + 2 {
        return Err(StatsError::TooFew { needed: p + 2, got: n1 + n2 });
    }
    let (ma, mb) = (mean(&a, p), mean(&b, p));
    let (sa, sb) = (scatter(&a, &ma), scatter(&b, &mb));
    let dof = (n1 + n2 - 2) as f64;
    let pooled: Vec<Vec<f64>> =
        (0..p).map(|i| (0..p).map(|j| (sa[i][j] + sb[i][j]) / dof).collect()).collect();
    let l = cholesky(&pooled).ok_or(StatsError::Degenerate("the pooled covariance is singular"))?;
    let d: Vec<f64> = ma.iter().zip(&mb).map(|(x, y)| x - y).collect();
    // dᵀ S⁻¹ d = ‖L⁻¹ d‖² with S = L Lᵀ.
    let w = forward_substitute(&l, &d);
    let (n1f, n2f, pf) = (n1 as f64, n2 as f64, p as f64);
    let t2 = n1f * n2f / (n1f + n2f) * w.iter().map(|v| v * v).sum::<f64>();
    let df2 = n1 + n2 - p - 1;
    let f = df2 as f64 / (pf * dof) * t2;
    Ok(TwoSample { t2, f, df1: p as u64, df2: df2 as u64, p: f_sf(f, pf, df2 as f64), mean_difference: d })
}

/// The points as slices, all of one dimension (`dim`, or the first point's) ≥ 1 and finite.
fn check_points<P: AsRef<[f64]>>(points: &[P], dim: Option<usize>) -> Result<Vec<&[f64]>> {
    let dim = dim.or_else(|| points.first().map(|x| x.as_ref().len()));
    let points: Vec<&[f64]> = points.iter().map(AsRef::as_ref).collect();
    if dim == Some(0) || points.iter().any(|x| Some(x.len()) != dim) {
        return Err(StatsError::Invalid("the points do not all have the expected dimension"));
    }
    for x in &points {
        check_finite(x, "a coordinate is NaN or infinite")?;
    }
    Ok(points)
}

fn mean(points: &[&[f64]], p: usize) -> Vec<f64> {
    let n = points.len() as f64;
    (0..p).map(|k| points.iter().map(|x| x[k]).sum::<f64>() / n).collect()
}

/// Σ (x − x̄)(x − x̄)ᵀ.
fn scatter(points: &[&[f64]], mean: &[f64]) -> Vec<Vec<f64>> {
    let p = mean.len();
    let mut s = vec![vec![0.0; p]; p];
    for x in points {
        for i in 0..p {
            for j in 0..p {
                s[i][j] += (x[i] - mean[i]) * (x[j] - mean[j]);
            }
        }
    }
    s
}

/// The lower-triangular L with a = L Lᵀ, or `None` when `a` is not positive definite up to
/// rounding (a pivot at most [`SINGULAR`] times the largest diagonal entry).
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = a.len();
    let scale = (0..p).map(|i| a[i][i]).fold(0.0, f64::max);
    if scale <= 0.0 || !scale.is_finite() {
        return None;
    }
    let mut l = vec![vec![0.0; p]; p];
    for j in 0..p {
        let pivot = a[j][j] - (0..j).map(|k| l[j][k] * l[j][k]).sum::<f64>();
        if pivot <= SINGULAR * scale {
            return None;
        }
        l[j][j] = pivot.sqrt();
        for i in j + 1..p {
            l[i][j] = (a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>()) / l[j][j];
        }
    }
    Some(l)
}

/// Solves L w = d for lower-triangular L.
fn forward_substitute(l: &[Vec<f64>], d: &[f64]) -> Vec<f64> {
    let mut w = vec![0.0; d.len()];
    for i in 0..d.len() {
        w[i] = (d[i] - (0..i).map(|k| l[i][k] * w[k]).sum::<f64>()) / l[i][i];
    }
    w
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, PROB, STAT, assert_all_close, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/hotelling.json");

    #[test]
    fn triad_regions_match_the_textbook_formula_in_numpy_and_skbio_ilr() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "regions") {
            let comps = fixture::rows(&case["compositions"]);
            let conf = fixture::num(&case["confidence"]);
            let vertices = fixture::int(&case["vertices"]) as usize;
            let got = triad_mean_region(&comps, conf, vertices).unwrap();
            let r = &got.region;
            assert_all_close(&r.mean, &fixture::nums(&case["mean"]), STAT, &format!("{name} mean"));
            let cov = fixture::rows(&case["covariance"]);
            assert_all_close(&r.covariance[0], &cov[0], STAT, &format!("{name} cov row 0"));
            assert_all_close(&r.covariance[1], &cov[1], STAT, &format!("{name} cov row 1"));
            // The F quantile comes from statrs, so the bound is held to the p-value tolerance.
            assert_close(r.critical, fixture::num(&case["critical"]), PROB, &format!("{name} critical"));
            let poly = fixture::rows(&case["polygon_ilr"]);
            assert_eq!(r.polygon.len(), poly.len());
            for (k, (v, w)) in r.polygon.iter().zip(&poly).enumerate() {
                assert_all_close(v, w, PROB, &format!("{name} vertex {k}"));
            }
            for (k, (v, w)) in got.polygon.iter().zip(fixture::rows(&case["polygon"])).enumerate() {
                assert_all_close(v, &w, PROB, &format!("{name} composition vertex {k}"));
            }
            assert_all_close(&got.centre, &fixture::nums(&case["centre"]), STAT, &format!("{name} centre"));
        }
    }

    #[test]
    fn every_vertex_lies_on_the_boundary_of_the_region() {
        let points = [[0.1, 0.3], [0.5, -0.2], [-0.4, 0.0], [0.2, 0.9], [0.0, 0.1], [-0.3, -0.6]];
        let r = mean_region(&points, 0.95, 36).unwrap();
        let [[a, b], [_, d]] = r.covariance;
        let det = a * d - b * b;
        for v in &r.polygon {
            let (x, y) = (v[0] - r.mean[0], v[1] - r.mean[1]);
            // n (x̄ − μ)ᵀ S⁻¹ (x̄ − μ) with the 2 × 2 inverse written out.
            let t2 = r.n as f64 * (d * x * x - 2.0 * b * x * y + a * y * y) / det;
            assert_close(t2, r.critical, 1e-9, "T² on the boundary");
        }
    }

    #[test]
    fn the_triad_polygon_stays_inside_the_triangle() {
        let comps = [[0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.85, 0.1, 0.05]];
        let got = triad_mean_region(&comps, 0.95, 24).unwrap();
        for v in &got.polygon {
            assert!(v.iter().all(|&x| x > 0.0 && x < 1.0), "{v:?}");
            assert_close(v.iter().sum(), 1.0, 1e-12, "a vertex is a composition");
        }
        assert_close(got.centre.iter().sum(), 1.0, 1e-12, "the centre is a composition");
    }

    #[test]
    fn no_variation_is_a_typed_error_not_nan() {
        let same = [[0.2, 0.3]; 5];
        assert!(matches!(mean_region(&same, 0.95, 8), Err(StatsError::Degenerate(_))));
        let on_a_line = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]];
        assert!(matches!(mean_region(&on_a_line, 0.95, 8), Err(StatsError::Degenerate(_))));
        let triads = [[0.2, 0.3, 0.5]; 4];
        assert!(matches!(triad_mean_region(&triads, 0.95, 8), Err(StatsError::Degenerate(_))));
        assert!(matches!(two_sample(&same, &same), Err(StatsError::Degenerate(_))));
    }

    #[test]
    fn too_few_points_are_an_error() {
        assert_eq!(
            mean_region(&[[0.0, 1.0], [1.0, 0.0]], 0.95, 8),
            Err(StatsError::TooFew { needed: 3, got: 2 })
        );
        assert_eq!(
            two_sample(&[[0.0, 1.0]], &[[1.0, 0.0], [0.5, 0.5]]),
            Err(StatsError::TooFew { needed: 4, got: 3 })
        );
        let none: [[f64; 2]; 0] = [];
        assert!(matches!(two_sample(&none, &[[1.0, 0.0]; 4]), Err(StatsError::TooFew { .. })));
    }

    #[test]
    fn malformed_input_is_invalid() {
        assert!(matches!(mean_region(&[[0.0, 1.0, 2.0]; 5], 0.95, 8), Err(StatsError::Invalid(_))));
        assert!(matches!(mean_region(&[[0.0, 1.0]; 5], 0.95, 2), Err(StatsError::Invalid(_))));
        assert!(matches!(mean_region(&[[0.0, 1.0]; 5], 1.5, 8), Err(StatsError::Invalid(_))));
        assert!(matches!(two_sample(&[[0.0, f64::NAN]; 3], &[[1.0, 0.0]; 3]), Err(StatsError::Invalid(_))));
        assert!(matches!(
            two_sample(&vec![vec![0.0, 1.0]; 3], &vec![vec![1.0]; 3]),
            Err(StatsError::Invalid(_))
        ));
        assert!(matches!(triad_mean_region(&[[0.5, 0.5]; 4], 0.95, 8), Err(StatsError::Invalid(_))));
        assert!(matches!(triad_mean_region(&[[0.5, 0.5, 0.0]; 4], 0.95, 8), Err(StatsError::Invalid(_))));
    }

    #[test]
    fn two_sample_matches_the_textbook_formula_in_numpy() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "two_sample") {
            let (a, b) = (fixture::rows(&case["a"]), fixture::rows(&case["b"]));
            let got = two_sample(&a, &b).unwrap();
            assert_close(got.t2, fixture::num(&case["t2"]), STAT, &format!("{name} T2"));
            assert_close(got.f, fixture::num(&case["f"]), STAT, &format!("{name} F"));
            assert_eq!(
                (got.df1, got.df2),
                (fixture::int(&case["df1"]), fixture::int(&case["df2"])),
                "{name} df"
            );
            assert_close(got.p, fixture::num(&case["p"]), PROB, &format!("{name} p"));
            assert_all_close(&got.mean_difference, &fixture::nums(&case["mean_difference"]), STAT, &name);
        }
    }

    /// In one dimension T² is the square of the pooled two-sample t statistic. Hand check:
    /// a = [1, 2, 3], b = [4, 5, 6]: d = −3, pooled variance 1, so
    /// T² = n₁n₂/(n₁+n₂) · d²/s² = 1.5 · 9 = 13.5 (= t², t = −3 / sqrt(2/3)) and
    /// F = (6 − 1 − 1)/(1 · 4) · 13.5 = 13.5.
    #[test]
    fn in_one_dimension_t2_is_the_squared_t_statistic() {
        let got = two_sample(&[[1.0], [2.0], [3.0]], &[[4.0], [5.0], [6.0]]).unwrap();
        assert!((got.t2 - 13.5).abs() < 1e-12 && (got.f - 13.5).abs() < 1e-12, "{got:?}");
        assert_eq!((got.df1, got.df2, got.mean_difference.clone()), (1, 4, vec![-3.0]));
    }
}
