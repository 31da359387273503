//! Agreement between two partitions of the same stories, to measure discovery against known
//! themes: adjusted mutual information (AMI, expected MI after Vinh, Epps & Bailey 2010, arithmetic
//! normalisation — scikit-learn's default) and the adjusted Rand index (ARI). Labels are any
//! small integers; both functions agree with scikit-learn to about 1e-10 (see the tests).

use std::collections::HashMap;

/// The contingency table of two labelings: cells, row sums, column sums.
struct Contingency {
    cells: Vec<(usize, usize, u64)>,
    rows: Vec<u64>,
    cols: Vec<u64>,
    n: u64,
}

fn contingency(a: &[usize], b: &[usize]) -> Contingency {
    assert_eq!(a.len(), b.len(), "labelings of different lengths");
    let mut ra: HashMap<usize, usize> = HashMap::new();
    let mut rb: HashMap<usize, usize> = HashMap::new();
    let mut cells: HashMap<(usize, usize), u64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        let nx = ra.len();
        let i = *ra.entry(x).or_insert(nx);
        let ny = rb.len();
        let j = *rb.entry(y).or_insert(ny);
        *cells.entry((i, j)).or_default() += 1;
    }
    let mut rows = vec![0u64; ra.len()];
    let mut cols = vec![0u64; rb.len()];
    let mut list: Vec<(usize, usize, u64)> = cells.into_iter().map(|((i, j), c)| (i, j, c)).collect();
    // A fixed order keeps the floating-point sums identical from run to run.
    list.sort_unstable();
    for &(i, j, c) in &list {
        rows[i] += c;
        cols[j] += c;
    }
    Contingency { cells: list, rows, cols, n: a.len() as u64 }
}

fn entropy(sizes: &[u64], n: u64) -> f64 {
    let n = n as f64;
    -sizes.iter().filter(|&&s| s > 0).map(|&s| (s as f64 / n) * (s as f64 / n).ln()).sum::<f64>()
}

fn mutual_info(c: &Contingency) -> f64 {
    let n = c.n as f64;
    c.cells
        .iter()
        .map(|&(i, j, nij)| {
            let nij = nij as f64;
            (nij / n) * ((n * nij) / (c.rows[i] as f64 * c.cols[j] as f64)).ln()
        })
        .sum()
}

/// ln(k!) for k = 0..=n, by summing logarithms (exact enough and no gamma function needed).
fn ln_factorials(n: u64) -> Vec<f64> {
    let mut out = Vec::with_capacity(n as usize + 1);
    let mut acc = 0f64;
    out.push(0.0);
    for k in 1..=n {
        acc += (k as f64).ln();
        out.push(acc);
    }
    out
}

/// Expected mutual information of two random labelings with these cluster sizes
/// (hypergeometric model, Vinh et al. 2010, eq. 24a).
fn expected_mutual_info(rows: &[u64], cols: &[u64], n: u64) -> f64 {
    let lf = ln_factorials(n);
    let nf = n as f64;
    let mut emi = 0f64;
    for &a in rows {
        for &b in cols {
            let lo = (a + b).saturating_sub(n).max(1);
            let hi = a.min(b);
            let base = lf[a as usize] + lf[b as usize] + lf[(n - a) as usize] + lf[(n - b) as usize]
                - lf[n as usize];
            for nij in lo..=hi {
                let x = nij as f64;
                let term = (x / nf) * ((nf * x) / (a as f64 * b as f64)).ln();
                let lp = base
                    - lf[nij as usize]
                    - lf[(a - nij) as usize]
                    - lf[(b - nij) as usize]
                    - lf[(n + nij - a - b) as usize];
                emi += term * lp.exp();
            }
        }
    }
    emi
}

/// Adjusted mutual information with arithmetic-mean normalisation, as scikit-learn's
/// `adjusted_mutual_info_score(a, b)`: 1 for identical partitions, about 0 for random ones.
pub fn adjusted_mutual_info(a: &[usize], b: &[usize]) -> f64 {
    let c = contingency(a, b);
    // Both labelings a single cluster: no information to share, identical by definition.
    if c.rows.len() == 1 && c.cols.len() == 1 {
        return 1.0;
    }
    let mi = mutual_info(&c);
    let emi = expected_mutual_info(&c.rows, &c.cols, c.n);
    let normalizer = (entropy(&c.rows, c.n) + entropy(&c.cols, c.n)) / 2.0;
    let mut denominator = normalizer - emi;
    // As scikit-learn: keep the sign, avoid dividing by (nearly) zero.
    let eps = f64::EPSILON;
    denominator = if denominator < 0.0 { denominator.min(-eps) } else { denominator.max(eps) };
    (mi - emi) / denominator
}

/// Normalised mutual information (arithmetic mean), for completeness in reports.
pub fn normalized_mutual_info(a: &[usize], b: &[usize]) -> f64 {
    let c = contingency(a, b);
    if c.rows.len() == 1 && c.cols.len() == 1 {
        return 1.0;
    }
    let mi = mutual_info(&c);
    let normalizer = (entropy(&c.rows, c.n) + entropy(&c.cols, c.n)) / 2.0;
    (mi / normalizer.max(f64::EPSILON)).clamp(0.0, 1.0)
}

/// Adjusted Rand index, as scikit-learn's `adjusted_rand_score(a, b)` (from the pair confusion
/// matrix, in exact integers: the pair counts of 100,000 stories overflow 64 bits when multiplied).
pub fn adjusted_rand(a: &[usize], b: &[usize]) -> f64 {
    let c = contingency(a, b);
    let n = c.n as i128;
    let sum_sq: i128 = c.cells.iter().map(|&(_, _, x)| (x as i128) * (x as i128)).sum();
    let row_sq: i128 = c.rows.iter().map(|&x| (x as i128) * (x as i128)).sum();
    let col_sq: i128 = c.cols.iter().map(|&x| (x as i128) * (x as i128)).sum();
    // scikit-learn's pair_confusion_matrix (ordered pairs).
    let tp = sum_sq - n;
    let fp = row_sq - sum_sq;
    let fnn = col_sq - sum_sq;
    let tn = n * n - fp - fnn - sum_sq;
    if fnn == 0 && fp == 0 {
        return 1.0;
    }
    let num = 2.0 * ((tp * tn - fnn * fp) as f64);
    let den = ((tp + fnn) * (fnn + tn) + (tp + fp) * (fp + tn)) as f64;
    num / den
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed with scikit-learn 1.7.2 (numpy 2.3.5):
    //   from sklearn.metrics import adjusted_mutual_info_score as ami, adjusted_rand_score as ari
    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn small_hand_cases_match_scikit_learn() {
        let t = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        let p = [0, 0, 1, 1, 1, 2, 2, 2, 2];
        close(adjusted_mutual_info(&t, &p), 0.4086705097217217);
        close(adjusted_rand(&t, &p), 0.35714285714285715);
        // Relabelled, the same partition.
        let q = [5, 5, 5, 9, 9, 9, 7, 7, 7];
        close(adjusted_mutual_info(&t, &q), 1.0);
        close(adjusted_rand(&t, &q), 1.0);
        // Worse than chance gives negative values.
        let a = [0, 0, 1, 1];
        let b = [0, 1, 0, 1];
        close(adjusted_mutual_info(&a, &b), -0.5);
        close(adjusted_rand(&a, &b), -0.5);
        // Degenerate cases.
        close(adjusted_mutual_info(&[0, 0, 0], &[1, 1, 1]), 1.0);
        close(adjusted_rand(&[0, 0, 0], &[1, 1, 1]), 1.0);
        close(adjusted_mutual_info(&[0, 0, 0, 0], &[0, 1, 2, 3]), 0.0);
        close(adjusted_rand(&[0, 0, 0, 0], &[0, 1, 2, 3]), 0.0);
    }

    /// Deterministic pseudo-random labels (an LCG), reproduced in Python for the expected values:
    ///   def lcg(seed, n, k):
    ///       out = []; s = seed
    ///       for _ in range(n):
    ///           s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
    ///           out.append((s >> 33) % k)
    ///       return out
    fn lcg(seed: u64, n: usize, k: u64) -> Vec<usize> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((s >> 33) % k) as usize
            })
            .collect()
    }

    #[test]
    fn larger_labelings_match_scikit_learn() {
        // A noisy copy: b = a, except where c says so, where it is d.
        let a = lcg(1, 5000, 8);
        let c = lcg(2, 5000, 10);
        let d = lcg(3, 5000, 12);
        let b: Vec<usize> = (0..5000).map(|i| if c[i] < 3 { d[i] } else { a[i] }).collect();
        close(adjusted_mutual_info(&a, &b), 0.49606415346045396);
        close(adjusted_rand(&a, &b), 0.5251984806893364);
        // Independent labelings: both about zero.
        let e = lcg(4, 5000, 20);
        close(adjusted_mutual_info(&a, &e), -0.0001243406633150613);
        close(adjusted_rand(&a, &e), -5.4203456656089566e-05);
    }
}
