//! A perspective map runs one test per theme and per signifier: with twenty themes, one will
//! look "significant" at 5% by chance alone. The Benjamini–Hochberg procedure turns the
//! p-values into q-values that control the false discovery rate, the expected share of false
//! findings among those flagged, which is the promise a map can keep when it highlights
//! differences ("of the differences shown, at most about 1 in 20 is expected to be noise").

use super::{Result, StatsError};

/// Benjamini–Hochberg q-values (adjusted p-values), as scipy's
/// `false_discovery_control(p, method="bh")` on the p-values that are present: with the m
/// present p-values sorted, q_(i) = min_{j ≥ i} min(1, p_(j) · m / j).
///
/// Absent p-values (`None`, or NaN: a test that could not be run, e.g. a degenerate table) are
/// skipped: they do not count in m and stay absent in the output, which keeps the positions of
/// the input. Errors: a p-value outside [0, 1] (`Invalid`).
pub fn benjamini_hochberg(p: &[Option<f64>]) -> Result<Vec<Option<f64>>> {
    let present: Vec<(usize, f64)> =
        p.iter().enumerate().filter_map(|(i, v)| v.filter(|x| !x.is_nan()).map(|x| (i, x))).collect();
    if present.iter().any(|&(_, x)| !(0.0..=1.0).contains(&x)) {
        return Err(StatsError::Invalid("a p-value is outside [0, 1]"));
    }
    let m = present.len() as f64;
    let mut order: Vec<usize> = (0..present.len()).collect();
    order.sort_by(|&a, &b| present[a].1.total_cmp(&present[b].1));
    let mut q = vec![None; p.len()];
    // From the largest p down, carrying the running minimum (the step-up).
    let mut running = 1.0f64;
    for (rank, &k) in order.iter().enumerate().rev() {
        let (i, x) = present[k];
        running = running.min(x * (m / (rank + 1) as f64));
        q[i] = Some(running);
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, STAT, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/multiple.json");

    #[test]
    fn q_values_match_scipy_false_discovery_control() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "bh") {
            let p: Vec<Option<f64>> = case["p"].as_array().unwrap().iter().map(|v| v.as_f64()).collect();
            let want: Vec<Option<f64>> = case["q"].as_array().unwrap().iter().map(|v| v.as_f64()).collect();
            let got = benjamini_hochberg(&p).unwrap();
            assert_eq!(got.len(), want.len(), "{name}");
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                match (g, w) {
                    (Some(g), Some(w)) => assert_close(*g, *w, STAT, &format!("{name} q[{i}] of {p:?}")),
                    (None, None) => {}
                    _ => panic!("{name}: q[{i}] is {g:?}, expected {w:?}"),
                }
            }
        }
    }

    /// Hand check: p = (0.01, 0.04, 0.03), m = 3: sorted 0.01, 0.03, 0.04 → 0.03, 0.045, 0.04,
    /// then the running minimum from the top: 0.04, 0.04, 0.03.
    #[test]
    fn q_values_by_hand_keep_the_input_order() {
        let q = benjamini_hochberg(&[Some(0.01), Some(0.04), Some(0.03)]).unwrap();
        let q: Vec<f64> = q.into_iter().map(Option::unwrap).collect();
        for (g, w) in q.iter().zip([0.03, 0.04, 0.04]) {
            assert!((g - w).abs() < 1e-15, "{q:?}");
        }
    }

    #[test]
    fn absent_and_nan_p_values_are_skipped() {
        let with_gaps =
            benjamini_hochberg(&[Some(0.01), None, Some(f64::NAN), Some(0.04), Some(0.03)]).unwrap();
        let without = benjamini_hochberg(&[Some(0.01), Some(0.04), Some(0.03)]).unwrap();
        assert_eq!((with_gaps[1], with_gaps[2]), (None, None));
        assert_eq!([with_gaps[0], with_gaps[3], with_gaps[4]], without[..]);
        assert_eq!(benjamini_hochberg(&[]).unwrap(), []);
        assert_eq!(benjamini_hochberg(&[None]).unwrap(), [None]);
    }

    #[test]
    fn q_values_are_never_below_p_nor_above_one() {
        let p = [0.2, 0.9, 0.01, 0.5, 1.0, 0.0];
        let q = benjamini_hochberg(&p.map(Some)).unwrap();
        for (p, q) in p.iter().zip(&q) {
            let q = q.unwrap();
            assert!(q >= *p && q <= 1.0, "p {p} q {q}");
        }
    }

    #[test]
    fn p_values_outside_the_unit_interval_are_errors() {
        assert!(matches!(benjamini_hochberg(&[Some(1.2)]), Err(StatsError::Invalid(_))));
        assert!(matches!(benjamini_hochberg(&[Some(-0.1)]), Err(StatsError::Invalid(_))));
    }
}
