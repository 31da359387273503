//! Spherical k-means (cosine similarity, unit-length centroids) with greedy k-means++ seeding and
//! restarts, over sparse TF-IDF rows or dense LSA rows; plus what discovery needs around it: the
//! Davies–Bouldin index for choosing k and the split of work over two threads.
//!
//! Hand-written because no crate in the build does clustering; the loops are short, and the
//! term-major centroid layout (all k weights of a term side by side) lets the compiler vectorise
//! the inner loop of the assignment step, which is where the time goes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::features::{CHUNKS, Features};
use super::{Cancelled, Progress};

/// Rows of unit length that can be compared with centroids.
pub trait Rows: Sync {
    /// Number of rows.
    fn len(&self) -> usize;
    /// No rows at all.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of columns.
    fn dim(&self) -> usize;
    /// `out[c] = row_i · centroid_c` for centroids stored term-major (`ct[t * k + c]`), with `k`
    /// a multiple of `LANES` (padded with zero centroids).
    fn sims(&self, i: usize, ct: &[f32], k: usize, out: &mut [f32]);
    /// Adds row `i` to the dense vector `acc`.
    fn add_to(&self, i: usize, acc: &mut [f64]);
    /// Writes row `i` into the dense vector `out` (all other entries zero are kept as they are).
    fn scatter(&self, i: usize, out: &mut [f32]);
    /// Clears what `scatter(i, ..)` wrote.
    fn unscatter(&self, i: usize, out: &mut [f32]);
    /// `row_i · v` for a dense `v`.
    fn dot_dense(&self, i: usize, v: &[f32]) -> f32;
}

/// Centroid blocks are padded to a multiple of this many, so the inner loop below runs over
/// fixed-size chunks the compiler turns into vector instructions without a remainder loop.
pub const LANES: usize = 8;

/// `out += v · col`, for slices whose length is a multiple of `LANES`.
#[inline]
fn axpy(v: f32, col: &[f32], out: &mut [f32]) {
    for (o, c) in out.chunks_exact_mut(LANES).zip(col.chunks_exact(LANES)) {
        for j in 0..LANES {
            o[j] += v * c[j];
        }
    }
}

impl Rows for Features {
    fn len(&self) -> usize {
        self.n_rows()
    }
    fn dim(&self) -> usize {
        self.n_terms()
    }
    fn sims(&self, i: usize, ct: &[f32], k: usize, out: &mut [f32]) {
        out.fill(0.0);
        let (terms, vals) = self.row(i);
        for (&t, &v) in terms.iter().zip(vals) {
            axpy(v, &ct[t as usize * k..t as usize * k + k], out);
        }
    }
    fn add_to(&self, i: usize, acc: &mut [f64]) {
        let (terms, vals) = self.row(i);
        for (&t, &v) in terms.iter().zip(vals) {
            acc[t as usize] += v as f64;
        }
    }
    fn scatter(&self, i: usize, out: &mut [f32]) {
        let (terms, vals) = self.row(i);
        for (&t, &v) in terms.iter().zip(vals) {
            out[t as usize] = v;
        }
    }
    fn unscatter(&self, i: usize, out: &mut [f32]) {
        for &t in self.row(i).0 {
            out[t as usize] = 0.0;
        }
    }
    fn dot_dense(&self, i: usize, v: &[f32]) -> f32 {
        let (terms, vals) = self.row(i);
        terms.iter().zip(vals).map(|(&t, &x)| x * v[t as usize]).sum()
    }
}

/// Dense rows, row-major (the LSA embedding).
#[derive(Debug, Clone)]
pub struct Dense {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl Dense {
    fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

impl Rows for Dense {
    fn len(&self) -> usize {
        self.data.len() / self.dim.max(1)
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn sims(&self, i: usize, ct: &[f32], k: usize, out: &mut [f32]) {
        out.fill(0.0);
        for (t, &v) in self.row(i).iter().enumerate() {
            axpy(v, &ct[t * k..t * k + k], out);
        }
    }
    fn add_to(&self, i: usize, acc: &mut [f64]) {
        for (a, &v) in acc.iter_mut().zip(self.row(i)) {
            *a += v as f64;
        }
    }
    fn scatter(&self, i: usize, out: &mut [f32]) {
        out.copy_from_slice(self.row(i));
    }
    fn unscatter(&self, _i: usize, out: &mut [f32]) {
        out.fill(0.0);
    }
    fn dot_dense(&self, i: usize, v: &[f32]) -> f32 {
        self.row(i).iter().zip(v).map(|(a, b)| a * b).sum()
    }
}

/// Runs `f` on the row ranges of a fixed number of chunks, side by side, and returns the results
/// in chunk order. The chunking does not depend on the machine, so neither do the results.
pub fn par_chunks<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> T + Sync) -> Vec<T> {
    let len = n.div_ceil(CHUNKS).max(1);
    let ranges: Vec<_> = (0..CHUNKS).map(|c| (c * len).min(n)..((c + 1) * len).min(n)).collect();
    // Small inputs are not worth a thread.
    if n < 2_000 {
        return ranges.into_iter().map(&f).collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges.into_iter().map(|r| s.spawn(|| f(r))).collect();
        handles.into_iter().map(|h| h.join().expect("clustering thread panicked")).collect()
    })
}

/// One clustering: the cluster of every row, its cosine to that centroid, the unit centroids
/// (row-major, `k × dim`) and the objective (sum of the cosines).
#[derive(Debug, Clone)]
pub struct Solution {
    pub k: usize,
    pub assign: Vec<u32>,
    pub sims: Vec<f32>,
    pub centroids: Vec<f32>,
    pub objective: f64,
}

/// Settings of one k-means run.
#[derive(Debug, Clone, Copy)]
pub struct KMeansParams {
    pub k: usize,
    pub restarts: usize,
    pub max_iter: usize,
    /// Seeding looks at a random sample of at most this many rows (k-means++ on all of 100,000
    /// stories costs more than the clustering and seeds no better).
    pub seed_sample: usize,
    /// Unit centroids and cosine similarity (spherical k-means); `false` is plain Euclidean
    /// k-means with mean centroids, kept as the measured baseline.
    pub spherical: bool,
}

/// Centroids term-major with `k` padded to a multiple of `LANES`: (layout, padded k).
fn transpose(centroids: &[f32], k: usize, dim: usize) -> (Vec<f32>, usize) {
    let kp = k.div_ceil(LANES).max(1) * LANES;
    let mut ct = vec![0f32; kp * dim];
    for c in 0..k {
        for t in 0..dim {
            ct[t * kp + c] = centroids[c * dim + t];
        }
    }
    (ct, kp)
}

fn normalize(v: &mut [f64]) -> bool {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm <= 0.0 {
        return false;
    }
    for x in v.iter_mut() {
        *x /= norm;
    }
    true
}

/// Greedy k-means++ for cosine distance (1 − cos, which is half the squared Euclidean distance of
/// unit vectors, so this is scikit-learn's seeding): each next centre is the best of
/// 2 + ln k candidates drawn in proportion to the distance to the nearest centre so far.
fn seed(data: &dyn Rows, k: usize, sample: &[usize], rng: &mut ChaCha8Rng) -> Vec<usize> {
    let m = sample.len();
    let mut dense = vec![0f32; data.dim()];
    let trials = 2 + (k as f64).ln() as usize;
    let first = sample[rng.random_range(0..m)];
    let mut centres = vec![first];
    let mut dist: Vec<f64> = {
        data.scatter(first, &mut dense);
        let d = sample.iter().map(|&i| (1.0 - data.dot_dense(i, &dense) as f64).max(0.0)).collect();
        data.unscatter(first, &mut dense);
        d
    };
    let mut cand_dist = vec![0f64; m];
    let mut best_dist = vec![0f64; m];
    while centres.len() < k {
        let total: f64 = dist.iter().sum();
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let pick = if total > 0.0 {
                let mut r = rng.random::<f64>() * total;
                let mut pick = m - 1;
                for (j, &d) in dist.iter().enumerate() {
                    r -= d;
                    if r < 0.0 {
                        pick = j;
                        break;
                    }
                }
                pick
            } else {
                rng.random_range(0..m)
            };
            let cand = sample[pick];
            data.scatter(cand, &mut dense);
            let mut potential = 0.0;
            for (j, &i) in sample.iter().enumerate() {
                let d = (1.0 - data.dot_dense(i, &dense) as f64).max(0.0).min(dist[j]);
                cand_dist[j] = d;
                potential += d;
            }
            data.unscatter(cand, &mut dense);
            if best.is_none_or(|(p, _)| potential < p) {
                best = Some((potential, cand));
                std::mem::swap(&mut best_dist, &mut cand_dist);
            }
        }
        let (_, cand) = best.expect("at least one trial");
        centres.push(cand);
        std::mem::swap(&mut dist, &mut best_dist);
    }
    centres
}

/// The assignment step: nearest centroid and its similarity for every row, on two threads.
/// `bias[c]` is added to the dot product: zero for unit centroids (cosine), −½‖c‖² for Euclidean
/// k-means (for unit rows, the nearest mean in Euclidean distance maximises x·c − ½‖c‖²).
fn assign_all(data: &dyn Rows, ct: &[f32], kp: usize, bias: &[f32], k: usize) -> (Vec<u32>, Vec<f32>) {
    let parts = par_chunks(data.len(), |r| {
        let mut out = vec![0f32; kp];
        let mut a = Vec::with_capacity(r.len());
        let mut s = Vec::with_capacity(r.len());
        for i in r {
            data.sims(i, ct, kp, &mut out);
            for (o, b) in out.iter_mut().zip(bias) {
                *o += b;
            }
            let mut best = 0;
            for c in 1..k {
                if out[c] > out[best] {
                    best = c;
                }
            }
            a.push(best as u32);
            s.push(out[best]);
        }
        (a, s)
    });
    let mut assign = Vec::with_capacity(data.len());
    let mut sims = Vec::with_capacity(data.len());
    for (a, s) in parts {
        assign.extend(a);
        sims.extend(s);
    }
    (assign, sims)
}

/// Centroids of the clusters of `assign` (row-major): unit length when `spherical`, else means.
/// An empty cluster gets the row that fits its own centroid worst, so no cluster is lost.
pub fn centroids_of(data: &dyn Rows, assign: &[u32], sims: &[f32], k: usize, spherical: bool) -> Vec<f32> {
    let dim = data.dim();
    let parts = par_chunks(data.len(), |r| {
        let mut acc = vec![0f64; k * dim];
        for i in r {
            let c = assign[i] as usize;
            if c < k {
                data.add_to(i, &mut acc[c * dim..(c + 1) * dim]);
            }
        }
        acc
    });
    let mut acc = vec![0f64; k * dim];
    for p in parts {
        for (a, b) in acc.iter_mut().zip(p) {
            *a += b;
        }
    }
    let mut sizes = vec![0usize; k];
    for &c in assign {
        if (c as usize) < k {
            sizes[c as usize] += 1;
        }
    }
    // Rows that fit worst, as new centres for empty clusters (sorted only when one is empty).
    let mut spare = if sizes.contains(&0) {
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.sort_by(|&a, &b| sims[a].total_cmp(&sims[b]).then(a.cmp(&b)));
        order.into_iter()
    } else {
        Vec::new().into_iter()
    };
    let mut out = vec![0f32; k * dim];
    for c in 0..k {
        let v = &mut acc[c * dim..(c + 1) * dim];
        if sizes[c] == 0 || v.iter().all(|&x| x == 0.0) {
            if let Some(i) = spare.next() {
                v.fill(0.0);
                data.add_to(i, v);
            }
        } else if !spherical {
            let inv = 1.0 / sizes[c] as f64;
            v.iter_mut().for_each(|x| *x *= inv);
        }
        if spherical {
            normalize(v);
        }
        for (o, &x) in out[c * dim..(c + 1) * dim].iter_mut().zip(v.iter()) {
            *o = x as f32;
        }
    }
    out
}

fn bias_of(centroids: &[f32], k: usize, spherical: bool) -> Vec<f32> {
    let dim = centroids.len() / k.max(1);
    (0..k)
        .map(|c| {
            if spherical {
                0.0
            } else {
                -0.5 * centroids[c * dim..(c + 1) * dim].iter().map(|x| x * x).sum::<f32>()
            }
        })
        .collect()
}

/// Lloyd iterations from the given centres until no row moves, or the objective improves by
/// less than `tol` (relative) in an iteration, or `max_iter` iterations.
fn lloyd(
    data: &dyn Rows,
    mut centroids: Vec<f32>,
    k: usize,
    max_iter: usize,
    spherical: bool,
    tol: f64,
) -> Solution {
    let dim = data.dim();
    let mut prev: Option<(Vec<u32>, f64)> = None;
    let mut assign = Vec::new();
    let mut sims = Vec::new();
    let mut objective = 0.0;
    for _ in 0..max_iter.max(1) {
        let (ct, kp) = transpose(&centroids, k, dim);
        (assign, sims) = assign_all(data, &ct, kp, &bias_of(&centroids, k, spherical), k);
        objective = sims.iter().map(|&s| s as f64).sum();
        if let Some((p, before)) = &prev
            && (*p == assign || objective - before < tol * objective.abs())
        {
            break;
        }
        centroids = centroids_of(data, &assign, &sims, k, spherical);
        prev = Some((assign.clone(), objective));
    }
    Solution { k, assign, sims, centroids, objective }
}

/// Relative improvement of the objective below which a start is considered settled enough to be
/// compared with the others (the last iterations move a few rows and never change the ranking).
const SCREEN_TOL: f64 = 1e-4;

/// Spherical k-means with `restarts` k-means++ starts; the run with the largest total cosine wins.
pub fn kmeans(
    data: &dyn Rows,
    p: &KMeansParams,
    rng: &mut ChaCha8Rng,
    progress: &mut Progress,
) -> Result<Solution, Cancelled> {
    let n = data.len();
    let k = p.k.clamp(1, n.max(1));
    let dim = data.dim();
    let mut best: Option<Solution> = None;
    let restarts = p.restarts.max(1);
    for r in 0..restarts {
        progress.report(r as f64 / restarts as f64)?;
        let sample: Vec<usize> = if n <= p.seed_sample {
            (0..n).collect()
        } else {
            rand::seq::index::sample(rng, n, p.seed_sample).into_vec()
        };
        let centres = seed(data, k, &sample, rng);
        let mut init = vec![0f32; k * dim];
        for (c, &i) in centres.iter().enumerate() {
            let mut v = vec![0f64; dim];
            data.add_to(i, &mut v);
            normalize(&mut v);
            for (o, x) in init[c * dim..(c + 1) * dim].iter_mut().zip(v) {
                *o = x as f32;
            }
        }
        // Starts are compared once they have nearly settled; only the winner runs to the end.
        let sol = lloyd(data, init, k, p.max_iter, p.spherical, SCREEN_TOL);
        if best.as_ref().is_none_or(|b| sol.objective > b.objective) {
            best = Some(sol);
        }
    }
    let best = best.expect("at least one restart");
    let sol = lloyd(data, best.centroids, k, p.max_iter, p.spherical, 0.0);
    progress.report(1.0)?;
    Ok(sol)
}

/// Similarities of every row to every centroid (row-major `n × k`), for scoring members.
pub fn all_sims(data: &dyn Rows, centroids: &[f32], k: usize) -> Vec<f32> {
    let (ct, kp) = transpose(centroids, k, data.dim());
    let parts = par_chunks(data.len(), |r| {
        let mut buf = vec![0f32; kp];
        let mut out = Vec::with_capacity(r.len() * k);
        for i in r {
            data.sims(i, &ct, kp, &mut buf);
            out.extend_from_slice(&buf[..k]);
        }
        out
    });
    parts.concat()
}

/// Davies–Bouldin index with cosine distance (lower is better) of the partition `assign` of
/// `data` into `k` clusters: for each cluster, the worst ratio of the two clusters' mean member
/// distance (1 − cos to the unit centroid) to the distance between their centroids, averaged over
/// clusters. High when a cluster is diffuse or has a near-twin, which is what happens below and
/// above the natural k.
pub fn davies_bouldin(data: &dyn Rows, assign: &[u32], k: usize) -> f64 {
    if k < 2 {
        return f64::INFINITY;
    }
    let dim = data.dim();
    let zeros = vec![0f32; assign.len()];
    let c = centroids_of(data, assign, &zeros, k, true);
    let sims = all_sims(data, &c, k);
    let mut spread = vec![0f64; k];
    let mut size = vec![0usize; k];
    for (i, &a) in assign.iter().enumerate() {
        let a = a as usize;
        spread[a] += 1.0 - sims[i * k + a] as f64;
        size[a] += 1;
    }
    for (s, &n) in spread.iter_mut().zip(&size) {
        *s /= n.max(1) as f64;
    }
    let cos = |a: usize, b: usize| -> f64 {
        c[a * dim..(a + 1) * dim]
            .iter()
            .zip(&c[b * dim..(b + 1) * dim])
            .map(|(x, y)| *x as f64 * *y as f64)
            .sum()
    };
    let mut total = 0.0;
    for a in 0..k {
        let worst = (0..k)
            .filter(|&b| b != a)
            .map(|b| (spread[a] + spread[b]) / (1.0 - cos(a, b)).max(1e-9))
            .fold(0.0, f64::max);
        total += worst;
    }
    total / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn blobs() -> Dense {
        // Three tight directions in 3-d, 30 rows each, slightly perturbed.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut data = Vec::new();
        for c in 0..3 {
            for _ in 0..30 {
                let mut v = [0.05f32; 3];
                v[c] = 1.0;
                for x in &mut v {
                    *x += rng.random::<f32>() * 0.1;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                data.extend(v.iter().map(|x| x / n));
            }
        }
        Dense { dim: 3, data }
    }

    #[test]
    fn finds_three_directions_and_is_deterministic() {
        let d = blobs();
        let p = KMeansParams { k: 3, restarts: 2, max_iter: 50, seed_sample: 1000, spherical: true };
        let run = |s| kmeans(&d, &p, &mut ChaCha8Rng::seed_from_u64(s), &mut Progress::none()).unwrap();
        let a = run(5);
        for c in 0..3 {
            let first = a.assign[c * 30];
            assert!(a.assign[c * 30..(c + 1) * 30].iter().all(|&x| x == first));
        }
        assert_eq!(a.assign, run(5).assign);
        assert!(a.sims.iter().all(|&s| s > 0.9));
    }

    #[test]
    fn davies_bouldin_prefers_the_true_k() {
        let d = blobs();
        let score = |k| {
            let p = KMeansParams { k, restarts: 2, max_iter: 50, seed_sample: 1000, spherical: true };
            let s = kmeans(&d, &p, &mut ChaCha8Rng::seed_from_u64(3), &mut Progress::none()).unwrap();
            davies_bouldin(&d, &s.assign, k)
        };
        let s3 = score(3);
        assert!(s3 < score(2) && s3 < score(5), "{s3}");
    }
}
