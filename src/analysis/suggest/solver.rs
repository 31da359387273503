//! L2-regularised logistic regression by dual coordinate descent (Yu, Huang & Lin 2011, the
//! `-s 7` solver of LIBLINEAR), written out because no ML crate is in the build and this one is
//! short: each step touches one story's nonzeros only, a few passes converge on sparse text, and
//! with a seeded order the result is reproducible.
//!
//! All themes of a codebook are fitted in one sweep: a story's row is read once and its score for
//! every theme computed from a term-major weight matrix (the themes of one term side by side, so
//! the inner loop is a contiguous, vectorisable run). Each theme's arithmetic is exactly that of
//! fitting it alone — its own column, the shared visiting order — so results do not depend on
//! which themes are fitted together; but the cost of walking the data (a cache miss per story
//! in random order) is paid once instead of once per theme.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::features::Csr;

/// The constant feature that carries the intercept. Like LIBLINEAR it is regularised with the
/// other weights, which keeps the dual free of an equality constraint.
const BIAS_FEATURE: f64 = 1.0;

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub(super) struct Settings {
    /// Inverse regularisation strength (LIBLINEAR's C).
    pub c: f64,
    /// Stop a theme when a pass changes its weights by less than this fraction of their length.
    /// (LIBLINEAR's rule, max |dual gradient| < 0.1, hardly ever fires on a large set: the
    /// maximum over 100,000 stories stays high for many passes after predictions have settled.)
    pub tolerance: f64,
    pub max_epochs: usize,
    /// Seed of the visiting order.
    pub seed: u64,
}

/// Fitted models for several themes: score_t(x) = Σ_j weights[j · themes + t] x_j + bias[t];
/// P(yes) ≈ 1 / (1 + e^−score).
#[derive(Debug, Clone)]
pub(super) struct Fitted {
    pub themes: usize,
    /// Term-major: the weights of term j for all themes are `weights[j * themes..][..themes]`.
    pub weights: Vec<f64>,
    pub bias: Vec<f64>,
    /// Passes over the data each theme took (until converged, or the cap).
    pub epochs: Vec<usize>,
    /// Dual variables αᵢₜ ∈ (0, C), row-major (row i, theme t at `i * themes + t`); 0 where the
    /// row has no label for the theme. A warm start for a related fit.
    pub alpha: Vec<f64>,
}

impl Fitted {
    /// Raw scores of one row for all themes, into `out`.
    pub(super) fn scores(&self, idx: &[u32], val: &[f32], out: &mut [f64]) {
        scores(&self.weights, &self.bias, self.themes, idx, val, out);
    }

    /// The weights of one theme, one per term.
    pub(super) fn column(&self, t: usize) -> Vec<f64> {
        self.weights.iter().skip(t).step_by(self.themes).copied().collect()
    }
}

/// Fits every theme on the given rows of `x`. `labels[i * themes + t]` is +1 (accepted), −1
/// (rejected) or 0 (no decision: the row does not take part for that theme), for row `rows[i]`.
/// Minimises ½‖w‖² + C Σ log(1 + exp(−yᵢ w·xᵢ)) per theme through its dual, keeping
/// w = Σ αᵢ yᵢ xᵢ up to date. `start` optionally gives initial α (same layout as
/// `Fitted::alpha`), e.g. from models fitted on parts of the same rows: near the optimum the
/// solver needs a few passes instead of a dozen. (Deriving α from another model's scores,
/// αᵢ = C·σ(−yᵢ sᵢ), is worse than a cold start: those α do not add up to that model's weights.)
pub(super) fn fit(
    x: &Csr,
    rows: &[usize],
    labels: &[i8],
    themes: usize,
    dims: usize,
    s: Settings,
    start: Option<&[f64]>,
) -> Fitted {
    let (l, nt, c) = (rows.len(), themes, s.c);
    debug_assert_eq!(labels.len(), l * nt);
    let min_alpha = (0.001 * c).min(1e-8);
    let mut w = vec![0f64; dims * nt];
    let mut bias = vec![0f64; nt];
    // The dual variable of (row, theme), stored as its nearer distance to a bound: +α when
    // α ≤ C − α, else −(C − α). Both α and C − α stay exact near their bound (LIBLINEAR keeps
    // the pair; this halves the memory, which matters at 100,000 stories × 50 themes).
    let mut dual = vec![0f64; l * nt];
    let mut xtx = vec![0f64; l];
    let mut step = vec![0f64; nt];
    for i in 0..l {
        let (idx, val) = x.row(rows[i]);
        xtx[i] = val.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>() + BIAS_FEATURE * BIAS_FEATURE;
        for t in 0..nt {
            let y = labels[i * nt + t];
            if y == 0 {
                step[t] = 0.0;
                continue;
            }
            let a = start.map_or(min_alpha, |a| a[i * nt + t]).clamp(min_alpha, c - min_alpha);
            dual[i * nt + t] = encode(a, c - a);
            step[t] = y as f64 * a;
        }
        axpy(&step, idx, val, &mut w, &mut bias);
    }

    let mut order: Vec<usize> = (0..l).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
    // Precision of the one-variable Newton solves per theme, tightened once few rows move.
    let mut inner_eps = vec![1e-2; nt];
    let mut newton_steps = vec![0usize; nt];
    let mut epochs = vec![0usize; nt];
    let mut active = vec![true; nt];
    let mut before = vec![0f64; dims * nt];
    let mut score = vec![0f64; nt];
    let mut epoch = 0;
    while epoch < s.max_epochs && active.iter().any(|&a| a) {
        order.shuffle(&mut rng);
        newton_steps.fill(0);
        before.copy_from_slice(&w);
        for &i in &order {
            let (idx, val) = x.row(rows[i]);
            scores(&w, &bias, nt, idx, val, &mut score);
            let a = xtx[i];
            let mut moved = false;
            for t in 0..nt {
                step[t] = 0.0;
                let y = labels[i * nt + t];
                if y == 0 || !active[t] {
                    continue;
                }
                let yi = y as f64;
                let b = yi * score[t];
                let (alpha, alpha_c) = decode(dual[i * nt + t], c);
                // Solve the one-variable subproblem in α or in C − α, whichever is away from 0.
                let (old, sign) =
                    if 0.5 * a * (alpha_c - alpha) + b < 0.0 { (alpha_c, -1.0) } else { (alpha, 1.0) };
                let mut z = if c - old < 0.5 * c { old * 0.1 } else { old };
                let grad = |z: f64| a * (z - old) + sign * b + (z / (c - z)).ln();
                let mut gp = grad(z);
                // Newton; a step past 0 is replaced by shrinking z (so it stays in (0, C)).
                let mut inner = 0;
                while inner <= 100 && gp.abs() >= inner_eps[t] {
                    let next = z - gp / (a + c / (c - z) / z);
                    z = if next <= 0.0 { z * 0.1 } else { next };
                    gp = grad(z);
                    inner += 1;
                }
                newton_steps[t] += inner;
                if inner > 0 {
                    dual[i * nt + t] = if sign > 0.0 { encode(z, c - z) } else { encode(c - z, z) };
                    step[t] = sign * (z - old) * yi;
                    moved = true;
                }
            }
            if moved {
                axpy(&step, idx, val, &mut w, &mut bias);
            }
        }
        epoch += 1;
        for t in 0..nt {
            if !active[t] {
                continue;
            }
            epochs[t] = epoch;
            let (mut change, mut size) = (0f64, 0f64);
            for j in (t..w.len()).step_by(nt) {
                change += (w[j] - before[j]) * (w[j] - before[j]);
                size += w[j] * w[j];
            }
            if change <= s.tolerance * s.tolerance * size {
                active[t] = false;
            }
            if newton_steps[t] <= l / 10 {
                inner_eps[t] = (0.1 * inner_eps[t]).max(1e-8);
            }
        }
    }
    let alpha = dual.iter().map(|&d| if d == 0.0 { 0.0 } else { decode(d, c).0 }).collect();
    Fitted { themes: nt, weights: w, bias, epochs, alpha }
}

fn encode(alpha: f64, alpha_c: f64) -> f64 {
    if alpha <= alpha_c { alpha } else { -alpha_c }
}

/// (α, C − α) from the stored form.
fn decode(d: f64, c: f64) -> (f64, f64) {
    if d > 0.0 { (d, c - d) } else { (c + d, -d) }
}

/// Scores of one row for all themes. The loop over themes is innermost and contiguous, so it
/// vectorises; each theme's sum still runs over the row's terms in order (deterministic).
fn scores(w: &[f64], bias: &[f64], nt: usize, idx: &[u32], val: &[f32], out: &mut [f64]) {
    for (o, b) in out.iter_mut().zip(bias) {
        *o = b * BIAS_FEATURE;
    }
    for (&j, &v) in idx.iter().zip(val) {
        let wj = &w[j as usize * nt..][..nt];
        for (o, wt) in out.iter_mut().zip(wj) {
            *o += wt * v as f64;
        }
    }
}

/// w += step ⊗ x for all themes at once (and the bias).
fn axpy(step: &[f64], idx: &[u32], val: &[f32], w: &mut [f64], bias: &mut [f64]) {
    let nt = step.len();
    for (&j, &v) in idx.iter().zip(val) {
        let wj = &mut w[j as usize * nt..][..nt];
        for (wt, s) in wj.iter_mut().zip(step) {
            *wt += s * v as f64;
        }
    }
    for (b, s) in bias.iter_mut().zip(step) {
        *b += s * BIAS_FEATURE;
    }
}

#[cfg(test)]
mod tests {
    use super::super::features::{Vocabulary, terms};
    use super::*;

    fn matrix(texts: &[&str]) -> (Vocabulary, Csr) {
        let docs: Vec<_> = texts.iter().map(|t| terms(t, "nl")).collect();
        let v = Vocabulary::fit(docs.iter(), 1, 100);
        let x = v.matrix(docs.iter());
        (v, x)
    }

    #[test]
    fn separable_words_get_weights_of_the_right_sign() {
        let (v, x) =
            matrix(&["wachtlijst lang wachten", "wachtlijst maanden", "school klas", "school docent"]);
        let y = [1, 1, -1, -1];
        let s = Settings { c: 10.0, tolerance: 1e-4, max_epochs: 200, seed: 1 };
        let f = fit(&x, &[0, 1, 2, 3], &y, 1, v.len(), s, None);
        let w = |t: &str| f.weights[v.index(&terms(t, "nl")[0].0).expect("in vocabulary")];
        assert!(w("wachtlijst") > 0.5 && w("school") < -0.5);
        for (r, yes) in y.iter().enumerate() {
            let (i, val) = x.row(r);
            let mut s = [0.0];
            f.scores(i, val, &mut s);
            assert_eq!(s[0] > 0.0, *yes > 0);
        }
    }

    #[test]
    fn a_theme_fitted_with_others_equals_the_theme_fitted_alone() {
        let (v, x) = matrix(&["a b c", "b c d", "c d e", "d e f", "a f", "b e", "a c e", "b d f"]);
        let first = [1, 1, -1, -1, 1, -1, 1, -1];
        let second = [-1, 1, 1, 0, -1, 1, 0, 1];
        let both: Vec<i8> = first.iter().zip(&second).flat_map(|(&a, &b)| [a, b]).collect();
        let s = Settings { c: 1.0, tolerance: 0.001, max_epochs: 50, seed: 7 };
        let rows: Vec<usize> = (0..8).collect();
        let together = fit(&x, &rows, &both, 2, v.len(), s, None);
        let alone = fit(&x, &rows, &first, 1, v.len(), s, None);
        assert_eq!(together.column(0), alone.weights);
        assert_eq!(together.bias[0], alone.bias[0]);
        assert_eq!(together.epochs[0], alone.epochs[0]);
    }

    #[test]
    fn a_warm_start_from_fold_models_converges_in_fewer_passes() {
        let texts: Vec<String> = (0..400)
            .map(|i| {
                let theme = if i % 3 == 0 { "wachtlijst maanden wachten" } else { "school klas docent" };
                format!("{theme} woord{} ander{}", i % 17, i % 23)
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (v, x) = matrix(&refs);
        let y: Vec<i8> = (0..400).map(|i| if i % 3 == 0 || i % 29 == 0 { 1 } else { -1 }).collect();
        let s = Settings { c: 4.0, tolerance: 0.001, max_epochs: 100, seed: 3 };
        let (even, odd): (Vec<usize>, Vec<usize>) = (0..400).partition(|i| i % 2 == 0);
        let pick = |rows: &[usize]| rows.iter().map(|&r| y[r]).collect::<Vec<_>>();
        let a = fit(&x, &even, &pick(&even), 1, v.len(), s, None);
        let b = fit(&x, &odd, &pick(&odd), 1, v.len(), s, None);
        let mut start = vec![0.0; 400];
        for (k, &r) in even.iter().enumerate() {
            start[r] = a.alpha[k];
        }
        for (k, &r) in odd.iter().enumerate() {
            start[r] = b.alpha[k];
        }
        let all: Vec<usize> = (0..400).collect();
        let cold = fit(&x, &all, &y, 1, v.len(), s, None);
        let warm = fit(&x, &all, &y, 1, v.len(), s, Some(&start));
        assert!(warm.epochs[0] < cold.epochs[0], "warm {:?} cold {:?}", warm.epochs, cold.epochs);
        let gap: f64 = warm.weights.iter().zip(&cold.weights).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(gap < 0.05, "both reach the same optimum ({gap})");
    }
}
