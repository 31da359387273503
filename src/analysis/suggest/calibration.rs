//! Turning raw model scores into confidences people can read as "this often right": Platt
//! scaling fitted on cross-validated scores, and the reliability table and expected calibration
//! error that check it.

use serde::{Deserialize, Serialize};

/// P(yes | score) = 1 / (1 + exp(a · score + b)). The identity calibration of a logistic model
/// is a = −1, b = 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// The model's own probabilities, unchanged.
    pub const IDENTITY: Platt = Platt { a: -1.0, b: 0.0 };

    /// Calibrated probability of a raw score.
    pub fn probability(&self, score: f64) -> f64 {
        let f = self.a * score + self.b;
        // Written both ways so neither branch overflows.
        if f >= 0.0 { (-f).exp() / (1.0 + (-f).exp()) } else { 1.0 / (1.0 + f.exp()) }
    }

    /// Fits a and b by maximum likelihood on (score, label) pairs, with Platt's smoothed targets
    /// (N₊+1)/(N₊+2) and 1/(N₋+2) so a separable set does not push a to infinity. Newton with
    /// backtracking as in Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs".
    ///
    /// Scores are first rounded to a 1/1024 grid and equal (score, label) points merged with a
    /// count: on 100,000 stories that is ten times fewer points to iterate over, and a shift of
    /// at most 0.0005 in log-odds changes nothing one could see in a confidence.
    pub fn fit(scores: &[f64], labels: &[bool]) -> Platt {
        let pos = labels.iter().filter(|&&l| l).count() as f64;
        let neg = labels.len() as f64 - pos;
        if pos == 0.0 || neg == 0.0 {
            return Platt::IDENTITY;
        }
        let hi = (pos + 1.0) / (pos + 2.0);
        let lo = 1.0 / (neg + 2.0);
        let mut grid: Vec<(bool, i64)> =
            scores.iter().zip(labels).map(|(&s, &l)| (l, (s * 1024.0).round() as i64)).collect();
        grid.sort_unstable();
        // (score, target, count)
        let mut points: Vec<(f64, f64, f64)> = Vec::new();
        for (l, g) in grid {
            let s = g as f64 / 1024.0;
            let t = if l { hi } else { lo };
            match points.last_mut() {
                Some(p) if p.0 == s && p.1 == t => p.2 += 1.0,
                _ => points.push((s, t, 1.0)),
            }
        }
        let objective = |a: f64, b: f64| -> f64 {
            points
                .iter()
                .map(|&(s, t, n)| {
                    let f = s * a + b;
                    n * if f >= 0.0 { t * f + (-f).exp().ln_1p() } else { (t - 1.0) * f + f.exp().ln_1p() }
                })
                .sum()
        };
        let (mut a, mut b) = (0.0, ((neg + 1.0) / (pos + 1.0)).ln());
        let mut value = objective(a, b);
        for _ in 0..100 {
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
            for &(s, t, n) in &points {
                let f = s * a + b;
                let e = (-f.abs()).exp();
                // p = P(label) = 1 / (1 + e^f), q = 1 − p, computed without overflow.
                let (p, q) = if f >= 0.0 {
                    (e / (1.0 + e), 1.0 / (1.0 + e))
                } else {
                    (1.0 / (1.0 + e), e / (1.0 + e))
                };
                let d2 = n * p * q;
                h11 += s * s * d2;
                h22 += d2;
                h21 += s * d2;
                let d1 = n * (t - p);
                g1 += s * d1;
                g2 += d1;
            }
            if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let slope = g1 * da + g2 * db;
            let mut step = 1.0;
            while step >= 1e-10 {
                let (na, nb) = (a + step * da, b + step * db);
                let nv = objective(na, nb);
                if nv < value + 1e-4 * step * slope {
                    (a, b, value) = (na, nb, nv);
                    break;
                }
                step /= 2.0;
            }
            if step < 1e-10 {
                break;
            }
        }
        Platt { a, b }
    }
}

/// One bin of a reliability table: stories whose confidence fell in `lower..upper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    /// Mean predicted confidence in the bin.
    pub confidence: f64,
    /// Share of the bin that was in fact tagged with the theme.
    pub observed: f64,
}

/// Reliability table over `bins` equal-width bins (empty bins included, with count 0).
pub fn reliability(pairs: &[(f64, bool)], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let mut sum_p = vec![0.0; bins];
    let mut hits = vec![0usize; bins];
    let mut count = vec![0usize; bins];
    for &(p, yes) in pairs {
        let b = ((p * bins as f64) as usize).min(bins - 1);
        sum_p[b] += p;
        hits[b] += yes as usize;
        count[b] += 1;
    }
    (0..bins)
        .map(|b| {
            let n = count[b].max(1) as f64;
            ReliabilityBin {
                lower: b as f64 / bins as f64,
                upper: (b + 1) as f64 / bins as f64,
                count: count[b],
                confidence: sum_p[b] / n,
                observed: hits[b] as f64 / n,
            }
        })
        .collect()
}

/// Expected calibration error: the count-weighted mean gap between confidence and observed
/// frequency over the bins. 0 is perfect; 0.05 means confidences are off by five points on average.
pub fn expected_calibration_error(table: &[ReliabilityBin]) -> f64 {
    let total: usize = table.iter().map(|b| b.count).sum();
    if total == 0 {
        return 0.0;
    }
    table.iter().map(|b| b.count as f64 * (b.confidence - b.observed).abs()).sum::<f64>() / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_the_slope_and_offset_that_generated_the_labels() {
        // Labels drawn (deterministically) with P(yes) = 1 / (1 + exp(-(2s - 1))).
        let mut scores = Vec::new();
        let mut labels = Vec::new();
        for i in 0..4000 {
            let s = (i % 400) as f64 / 100.0 - 2.0;
            let p = 1.0 / (1.0 + (-(2.0 * s - 1.0)).exp());
            let u = ((i * 7919) % 1000) as f64 / 1000.0 + 0.0005;
            scores.push(s);
            labels.push(u < p);
        }
        let fit = Platt::fit(&scores, &labels);
        assert!((fit.a + 2.0).abs() < 0.2 && (fit.b - 1.0).abs() < 0.2, "{fit:?}");
    }

    #[test]
    fn calibration_error_is_the_count_weighted_gap_between_confidence_and_outcome() {
        let pairs: Vec<(f64, bool)> =
            (0..10).map(|i| (0.25, i < 2)).chain((0..4).map(|i| (0.75, i < 3))).collect();
        let t = reliability(&pairs, 4);
        assert_eq!(t[1].count, 10);
        assert!((t[1].observed - 0.2).abs() < 1e-12);
        let ece = expected_calibration_error(&t);
        assert!((ece - (10.0 * 0.05) / 14.0).abs() < 1e-12, "{ece}");
    }

    #[test]
    fn probabilities_do_not_overflow_at_extreme_scores() {
        let p = Platt { a: -1.0, b: 0.0 };
        assert_eq!(p.probability(1e6), 1.0);
        assert_eq!(p.probability(-1e6), 0.0);
        assert!((p.probability(0.0) - 0.5).abs() < 1e-15);
    }
}
