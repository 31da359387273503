//! Latent semantic analysis: a truncated SVD of the TF-IDF matrix by the randomized range finder
//! (Halko, Martinsson & Tropp 2011) with power iterations (discovery uses two), giving every story
//! a dense, L2-normalised vector of `dims` dimensions (default 50, `Method::Lsa`) for spherical
//! k-means. The basis is fitted on at most `FIT_ROWS` randomly chosen stories and every story is
//! projected on it. The default clustering method, chosen by measurement (docs/discovery.md).
//!
//! Written by hand because the build has no linear-algebra crate and this needs only three small
//! pieces: sparse × dense products, CholeskyQR2 orthonormalisation of a tall thin matrix, and a
//! Jacobi eigen-decomposition of a small symmetric matrix.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::cluster::{Dense, par_chunks};
use super::features::Features;

/// `A · M` for `M` dense `n_terms × l` (row-major): an `n_rows × l` matrix.
fn a_times(f: &Features, m: &[f32], l: usize) -> Vec<f32> {
    let parts = par_chunks(f.n_rows(), |r| {
        let mut out = vec![0f32; r.len() * l];
        for (o, i) in r.enumerate() {
            let row = &mut out[o * l..(o + 1) * l];
            let (terms, vals) = f.row(i);
            for (&t, &v) in terms.iter().zip(vals) {
                for (y, &x) in row.iter_mut().zip(&m[t as usize * l..t as usize * l + l]) {
                    *y += v * x;
                }
            }
        }
        out
    });
    parts.concat()
}

/// `Aᵀ · Q` for `Q` dense `n_rows × l`: an `n_terms × l` matrix.
fn at_times(f: &Features, q: &[f32], l: usize) -> Vec<f32> {
    let nt = f.n_terms();
    let parts = par_chunks(f.n_rows(), |r| {
        let mut out = vec![0f32; nt * l];
        for i in r {
            let qi = &q[i * l..(i + 1) * l];
            let (terms, vals) = f.row(i);
            for (&t, &v) in terms.iter().zip(vals) {
                for (z, &x) in out[t as usize * l..t as usize * l + l].iter_mut().zip(qi) {
                    *z += v * x;
                }
            }
        }
        out
    });
    let mut out = vec![0f32; nt * l];
    for p in parts {
        for (a, b) in out.iter_mut().zip(p) {
            *a += b;
        }
    }
    out
}

/// `Yᵀ Y` (l × l, f64) of a row-major `rows × l` matrix.
fn gram(y: &[f32], l: usize) -> Vec<f64> {
    let rows = y.len() / l;
    let parts = par_chunks(rows, |r| {
        let mut g = vec![0f32; l * l];
        for i in r {
            let yi = &y[i * l..(i + 1) * l];
            for a in 0..l {
                let s = yi[a];
                if s != 0.0 {
                    for (gg, &x) in g[a * l + a..(a + 1) * l].iter_mut().zip(&yi[a..]) {
                        *gg += s * x;
                    }
                }
            }
        }
        g
    });
    let mut g = vec![0f64; l * l];
    for p in parts {
        for (a, b) in g.iter_mut().zip(p) {
            *a += b as f64;
        }
    }
    for a in 0..l {
        for b in 0..a {
            g[a * l + b] = g[b * l + a];
        }
    }
    g
}

/// Cholesky factor (upper, `G = RᵀR`), with a small ridge: the matrices come from f32 data, and a
/// rank-deficient input (fewer independent terms than columns) must not blow up `R⁻¹`.
fn cholesky(g: &[f64], l: usize) -> Vec<f64> {
    let mut r = vec![0f64; l * l];
    let ridge = 1e-6 * (0..l).map(|i| g[i * l + i]).fold(0.0, f64::max).max(1e-30);
    for j in 0..l {
        let mut d = g[j * l + j] + ridge;
        for k in 0..j {
            d -= r[k * l + j] * r[k * l + j];
        }
        let d = d.max(ridge).sqrt();
        r[j * l + j] = d;
        for i in j + 1..l {
            let mut s = g[j * l + i];
            for k in 0..j {
                s -= r[k * l + j] * r[k * l + i];
            }
            r[j * l + i] = s / d;
        }
    }
    r
}

/// Orthonormal columns spanning those of `y` (in place): CholeskyQR, twice for accuracy.
fn orthonormalize(y: &mut [f32], l: usize) {
    for _ in 0..2 {
        let r = cholesky(&gram(y, l), l);
        // y ← y R⁻¹, row by row (forward substitution with the upper-triangular R).
        let rows = y.len() / l;
        let mut x = vec![0f64; l];
        for i in 0..rows {
            let yi = &mut y[i * l..(i + 1) * l];
            for j in 0..l {
                let mut s = yi[j] as f64;
                for k in 0..j {
                    s -= x[k] * r[k * l + j];
                }
                x[j] = s / r[j * l + j];
            }
            for (o, &v) in yi.iter_mut().zip(&x) {
                *o = v as f32;
            }
        }
    }
}

/// Eigen-decomposition of a symmetric `l × l` matrix by cyclic Jacobi rotations: eigenvalues
/// and eigenvectors (column `j` of the row-major result), largest first.
fn jacobi_eigen(a: &[f64], l: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0f64; l * l];
    for i in 0..l {
        v[i * l + i] = 1.0;
    }
    for _sweep in 0..60 {
        let off: f64 = (0..l)
            .flat_map(|i| (0..l).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * l + j].powi(2))
            .sum();
        let diag: f64 = (0..l).map(|i| a[i * l + i].powi(2)).sum();
        if off <= 1e-22 * diag.max(1e-300) {
            break;
        }
        for p in 0..l {
            for q in p + 1..l {
                let apq = a[p * l + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * l + q] - a[p * l + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..l {
                    let akp = a[k * l + p];
                    let akq = a[k * l + q];
                    a[k * l + p] = c * akp - s * akq;
                    a[k * l + q] = s * akp + c * akq;
                }
                for k in 0..l {
                    let apk = a[p * l + k];
                    let aqk = a[q * l + k];
                    a[p * l + k] = c * apk - s * aqk;
                    a[q * l + k] = s * apk + c * aqk;
                }
                for k in 0..l {
                    let vkp = v[k * l + p];
                    let vkq = v[k * l + q];
                    v[k * l + p] = c * vkp - s * vkq;
                    v[k * l + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..l).collect();
    order.sort_by(|&x, &y| a[y * l + y].total_cmp(&a[x * l + x]));
    let values = order.iter().map(|&i| a[i * l + i]).collect();
    let mut vectors = vec![0f64; l * l];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..l {
            vectors[k * l + new] = v[k * l + old];
        }
    }
    (values, vectors)
}

/// Rows the SVD is fitted on at most; all rows are then projected on the fitted basis. The
/// leading singular vectors of a random sample of 20,000 stories are those of the whole set for
/// clustering purposes, and the fit is the costly part (it grows with rows × (dims + 10)²).
pub const FIT_ROWS: usize = 20_000;

/// The term-space basis of the `dims` leading right singular vectors of `f` (terms × dims,
/// row-major), each divided by nothing: `x · V` is then the LSA coordinate `U Σ` of row `x`.
fn fit(f: &Features, dims: usize, power_iters: usize, rng: &mut ChaCha8Rng) -> (Vec<f32>, usize) {
    let n = f.n_rows();
    let l = (dims + 10).min(f.n_terms()).min(n).max(1);
    let dims = dims.min(l);
    let omega: Vec<f32> = (0..f.n_terms() * l).map(|_| StandardNormal.sample(rng)).collect();
    let mut q = a_times(f, &omega, l);
    orthonormalize(&mut q, l);
    for _ in 0..power_iters {
        let mut z = at_times(f, &q, l);
        orthonormalize(&mut z, l);
        q = a_times(f, &z, l);
        orthonormalize(&mut q, l);
    }
    // B = Qᵀ A = Zᵀ with Z = Aᵀ Q; B Bᵀ = Zᵀ Z = U_B Λ U_Bᵀ; right singular vector j = Z u_j / σ_j.
    let z = at_times(f, &q, l);
    let (values, vectors) = jacobi_eigen(&gram(&z, l), l);
    let nt = f.n_terms();
    let mut basis = vec![0f32; nt * dims];
    let top = values.first().map_or(0.0, |v| v.max(0.0).sqrt());
    for j in 0..dims {
        let sigma = values[j].max(0.0).sqrt();
        // Directions the data does not have (rank below `dims`) stay zero.
        if sigma <= 1e-4 * top || sigma <= 0.0 {
            continue;
        }
        for t in 0..nt {
            let zt = &z[t * l..(t + 1) * l];
            let s: f64 = zt.iter().enumerate().map(|(k, &x)| x as f64 * vectors[k * l + j]).sum();
            basis[t * dims + j] = (s / sigma) as f32;
        }
    }
    (basis, dims)
}

/// The stories in `dims` LSA dimensions (`U_d Σ_d`), rows L2-normalised, so that spherical
/// k-means clusters them by cosine as scikit-learn's LSA example does. The basis is fitted on at
/// most `FIT_ROWS` randomly chosen rows.
pub fn embed(f: &Features, dims: usize, power_iters: usize, seed: u64) -> Dense {
    let n = f.n_rows();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x15a_5eed);
    let (basis, dims) = if n > FIT_ROWS {
        let mut rows = rand::seq::index::sample(&mut rng, n, FIT_ROWS).into_vec();
        rows.sort_unstable();
        fit(&f.subset(&rows), dims, power_iters, &mut rng)
    } else {
        fit(f, dims, power_iters, &mut rng)
    };
    let mut data = a_times(f, &basis, dims);
    for row in data.chunks_exact_mut(dims) {
        let norm = row.iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
        if norm > 0.0 {
            let inv = 1.0 / norm;
            for x in row.iter_mut() {
                *x = (*x as f64 * inv) as f32;
            }
        }
    }
    Dense { dim: dims, data }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_small_symmetric_matrix() {
        let a = [4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0];
        let (vals, vecs) = jacobi_eigen(&a, 3);
        // Eigenvalues of this tridiagonal matrix: 3 + √3, 3, 3 − √3.
        let s3 = 3f64.sqrt();
        for (v, e) in vals.iter().zip([3.0 + s3, 3.0, 3.0 - s3]) {
            assert!((v - e).abs() < 1e-10, "{vals:?}");
        }
        // A v = λ v for the first vector.
        for i in 0..3 {
            let av: f64 = (0..3).map(|k| a[i * 3 + k] * vecs[k * 3]).sum();
            assert!((av - vals[0] * vecs[i * 3]).abs() < 1e-9);
        }
    }

    #[test]
    fn orthonormalize_gives_orthonormal_columns() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let l = 5;
        let mut y: Vec<f32> = (0..200 * l).map(|_| StandardNormal.sample(&mut rng)).collect();
        orthonormalize(&mut y, l);
        let g = gram(&y, l);
        for a in 0..l {
            for b in 0..l {
                let e = if a == b { 1.0 } else { 0.0 };
                assert!((g[a * l + b] - e).abs() < 1e-4, "{g:?}");
            }
        }
    }
}
