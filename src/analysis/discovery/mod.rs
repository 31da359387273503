//! Discovery of common threads ("rode draden"): clusters a story set into threads with label
//! terms, sizes, scored members, representative stories and a stability score, leaving stories
//! that fit no thread unassigned; and lets a facilitator split or merge threads afterwards.
//! Pure computation on plain data, deterministic for a given seed (docs/discovery.md has the
//! method, the measurements behind it and the comparison with scikit-learn).

pub mod bench;
pub mod cluster;
pub mod features;
pub mod labels;
pub mod lsa;
pub mod metrics;

use std::collections::HashMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use cluster::{Dense, KMeansParams, Rows};
use features::{FeatureParams, Features};

/// One story as discovery sees it. Ids must be unique within a story set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    pub id: String,
    pub text: String,
    /// Language code; `nl` and `en` get stop words and stemming, others are only folded.
    pub language: String,
}

/// How many threads to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum K {
    /// Exactly this many (fewer when stories run out or threads are too small to keep).
    Fixed(usize),
    /// The k in `min..=max` with the lowest Davies–Bouldin index (cosine): compact threads with
    /// no near-twin. Chosen on a random sample of at most `Params::k_sample` stories.
    Auto { min: usize, max: usize },
}

/// The clustering method. `Lsa { dims: 50 }` is the default and the one measured best; the
/// others stay selectable so the comparison in docs/discovery.md can be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Spherical k-means (cosine) on the sparse TF-IDF rows.
    Spherical,
    /// Truncated SVD to `dims` dimensions (LSA), rows normalised, then spherical k-means.
    Lsa { dims: usize },
    /// Plain Euclidean k-means on the TF-IDF rows (what scikit-learn's `KMeans` does).
    Euclidean,
}

/// Settings of a discovery run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub k: K,
    /// Everything random (seeding, samples) follows from this seed.
    pub seed: u64,
    /// A term must occur in at least this many stories.
    pub min_df: usize,
    /// A term may occur in at most this share of the stories.
    pub max_df: f64,
    /// Also use pairs of adjacent terms (measured no better; off by default).
    pub bigrams: bool,
    pub method: Method,
    /// k-means++ starts per clustering; the best (largest total cosine) is kept.
    pub restarts: usize,
    /// Lloyd iterations at most per start.
    pub max_iter: usize,
    /// How many other seeds to cluster with to score each thread's stability (0 = skip; every
    /// thread then reports stability 0).
    pub stability_seeds: usize,
    /// A member whose cosine to its thread's centroid lies more than this many robust standard
    /// deviations (1.4826 × MAD) below the thread's median is unassigned.
    pub outlier_z: f64,
    /// Threads smaller than this, or than 0.5% of the stories, are dissolved into unassigned.
    pub min_thread_size: usize,
    /// Automatic k is chosen on a random sample of at most this many stories (the index is
    /// stable long before 100,000 and each k costs a full clustering).
    pub k_sample: usize,
    /// Stories in a language with a smaller share than this are not clustered with the rest:
    /// they share no words with the main language and would only form a thread of their own
    /// language anyway, which would also distort the choice of k. Each such language becomes one
    /// thread (`Thread::language`) when it has enough stories, else its stories are unassigned.
    pub min_language_share: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            k: K::Auto { min: 4, max: 15 },
            seed: 42,
            min_df: 3,
            max_df: 0.5,
            bigrams: false,
            method: Method::Lsa { dims: 50 },
            restarts: 8,
            max_iter: 50,
            stability_seeds: 3,
            outlier_z: 3.0,
            min_thread_size: 5,
            k_sample: 20_000,
            min_language_share: 0.1,
        }
    }
}

impl Params {
    fn feature_params(&self) -> FeatureParams {
        FeatureParams { min_df: self.min_df, max_df: self.max_df, bigrams: self.bigrams }
    }
}

/// A story's place in a thread (or its best fit, when unassigned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub doc_id: String,
    /// Cosine similarity of the story's TF-IDF vector to the thread's centroid (for an
    /// unassigned story: to the nearest centroid).
    pub score: f64,
}

/// One common thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Stable within a discovery: 0.. by size at discovery; split and merge add new ids.
    pub id: usize,
    /// About eight c-TF-IDF terms, best first, in the written form seen most often.
    pub label_terms: Vec<String>,
    pub size: usize,
    /// Members, best fitting first.
    pub members: Vec<Member>,
    /// Ids of the five stories closest to the centroid.
    pub representatives: Vec<String>,
    /// Mean over the other seeds' clusterings of the best Jaccard overlap with any of their
    /// threads: 1 = found identically whatever the seed; below about 0.5 = an artefact of this run.
    pub stability: f64,
    /// Set when the thread gathers the stories of a language too rare to cluster with the rest
    /// (see `Params::min_language_share`): a thread by language, not by theme.
    pub language: Option<String>,
}

/// The result of a discovery run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// Largest first at discovery.
    pub threads: Vec<Thread>,
    /// Stories that fit no thread (no known words, outliers, members of dissolved threads).
    pub unassigned: Vec<Member>,
    /// The k that was clustered with (threads by theme may be fewer after dissolving small
    /// ones; language threads come on top).
    pub k: usize,
    /// For automatic k: the Davies–Bouldin index of every k tried (lower is better).
    pub k_scores: Vec<(usize, f64)>,
    /// Terms in the vocabulary after the document-frequency cut-offs.
    pub vocabulary_size: usize,
}

/// The progress callback returned `false`: the run was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("discovery was cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Maps the progress of a part of the work into its share of the whole and relays it to the
/// caller's callback, which may cancel.
pub struct Progress<'a> {
    f: Option<&'a mut dyn FnMut(f64) -> bool>,
    lo: f64,
    hi: f64,
}

impl<'a> Progress<'a> {
    /// Reports to `f` (fraction 0..=1 of the whole run; `false` from `f` cancels).
    pub fn new(f: &'a mut dyn FnMut(f64) -> bool) -> Progress<'a> {
        Progress { f: Some(f), lo: 0.0, hi: 1.0 }
    }

    /// Reports to nobody and never cancels.
    pub fn none() -> Progress<'static> {
        Progress { f: None, lo: 0.0, hi: 1.0 }
    }

    /// Reports `fraction` of this part.
    pub fn report(&mut self, fraction: f64) -> Result<(), Cancelled> {
        let at = self.lo + (self.hi - self.lo) * fraction.clamp(0.0, 1.0);
        match self.f.as_mut() {
            Some(f) => {
                if f(at) {
                    Ok(())
                } else {
                    Err(Cancelled)
                }
            }
            None => Ok(()),
        }
    }

    /// The part `a..b` (fractions of this part) as a progress of its own.
    pub fn sub(&mut self, a: f64, b: f64) -> Progress<'_> {
        let span = self.hi - self.lo;
        Progress {
            f: self.f.as_mut().map(|f| &mut **f as &mut dyn FnMut(f64) -> bool),
            lo: self.lo + span * a,
            hi: self.lo + span * b,
        }
    }
}

/// Marks stories outside any thread.
const NONE: u32 = u32::MAX;

/// The rows that are clustered: their TF-IDF rows, and their LSA embedding when the method
/// clusters in that space.
struct Space {
    tfidf: Features,
    dense: Option<Dense>,
}

impl Space {
    fn rows(&self) -> &dyn Rows {
        match &self.dense {
            Some(d) => d,
            None => &self.tfidf,
        }
    }
}

fn space_of(f: &Features, rows: &[usize], params: &Params) -> Space {
    let tfidf = f.subset(rows);
    let dense = match params.method {
        Method::Lsa { dims } => Some(lsa::embed(&tfidf, dims, 2, params.seed)),
        Method::Spherical | Method::Euclidean => None,
    };
    Space { tfidf, dense }
}

fn rng_for(seed: u64, purpose: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(purpose.wrapping_mul(1 << 32).wrapping_add(index));
    rng
}

fn kmeans_params(k: usize, restarts: usize, params: &Params) -> KMeansParams {
    KMeansParams {
        k,
        restarts,
        max_iter: params.max_iter,
        seed_sample: 10_000,
        spherical: params.method != Method::Euclidean,
    }
}

/// Chooses k by the Davies–Bouldin index (cosine) of the best of `restarts` clusterings at each
/// k in `min..=max`, on a random sample of at most `k_sample` rows. The clustering happens in
/// `space`; the index is always measured on the TF-IDF rows `tfidf` (the same rows), so that it
/// judges threads by their words whatever the method. Returns the best k, the index of every k,
/// and the clustering at the best k when the sample was the whole set (so it need not be
/// computed again).
fn choose_k(
    space: &dyn Rows,
    tfidf: &Features,
    min: usize,
    max: usize,
    params: &Params,
    progress: &mut Progress,
) -> Result<ChosenK, Cancelled> {
    let n = space.len();
    let min = min.max(2).min(n.max(1));
    let max = max.max(min).min(n.max(1));
    let sampled;
    let sampled_tfidf;
    let (data, words, whole): (&dyn Rows, &Features, bool) = if n > params.k_sample.max(100) {
        let mut rng = rng_for(params.seed, 1, 0);
        let mut rows = rand::seq::index::sample(&mut rng, n, params.k_sample.max(100)).into_vec();
        rows.sort_unstable();
        sampled_tfidf = tfidf.subset(&rows);
        sampled = SampledRows { inner: space, rows };
        (&sampled, &sampled_tfidf, false)
    } else {
        (space, tfidf, true)
    };
    let mut scores = Vec::new();
    let mut best: Option<(f64, cluster::Solution)> = None;
    let span = (max - min + 1) as f64;
    for k in min..=max {
        let at = (k - min) as f64 / span;
        let mut sub = progress.sub(at, at + 1.0 / span);
        let p = kmeans_params(k, params.restarts, params);
        let sol = cluster::kmeans(data, &p, &mut rng_for(params.seed, 3, k as u64), &mut sub)?;
        let db = cluster::davies_bouldin(words, &sol.assign, k);
        scores.push((k, db));
        if best.as_ref().is_none_or(|(b, _)| db < *b) {
            best = Some((db, sol));
        }
    }
    let (_, sol) = best.expect("at least one k");
    Ok((sol.k, scores, whole.then_some(sol)))
}

/// The chosen k, the index of every k tried, and the clustering at that k when it can be reused.
type ChosenK = (usize, Vec<(usize, f64)>, Option<cluster::Solution>);

/// A subset of the rows of another `Rows`, for choosing k on a sample.
struct SampledRows<'a> {
    inner: &'a dyn Rows,
    rows: Vec<usize>,
}

impl Rows for SampledRows<'_> {
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn sims(&self, i: usize, ct: &[f32], k: usize, out: &mut [f32]) {
        self.inner.sims(self.rows[i], ct, k, out)
    }
    fn add_to(&self, i: usize, acc: &mut [f64]) {
        self.inner.add_to(self.rows[i], acc)
    }
    fn scatter(&self, i: usize, out: &mut [f32]) {
        self.inner.scatter(self.rows[i], out)
    }
    fn unscatter(&self, i: usize, out: &mut [f32]) {
        self.inner.unscatter(self.rows[i], out)
    }
    fn dot_dense(&self, i: usize, v: &[f32]) -> f32 {
        self.inner.dot_dense(self.rows[i], v)
    }
}

/// Turns a clustering of `rows` into a partition of all stories: outliers and small clusters
/// become unassigned, threads are numbered by size (largest 0) from `first_id`.
fn finalize(
    f: &Features,
    rows: &[usize],
    assign: &[u32],
    k: usize,
    params: &Params,
    first_id: u32,
) -> Vec<u32> {
    let n = f.n_rows();
    let sub = f.subset(rows);
    // Cosine to the cluster's centroid in TF-IDF space: what members are scored by, too.
    let zeros = vec![0f32; rows.len()];
    let centroids = cluster::centroids_of(&sub, assign, &zeros, k, true);
    let sims = cluster::all_sims(&sub, &centroids, k);
    let own: Vec<f32> = assign.iter().enumerate().map(|(i, &c)| sims[i * k + c as usize]).collect();
    let mut part: Vec<u32> = assign.to_vec();
    for c in 0..k as u32 {
        let mut s: Vec<f32> = own.iter().zip(assign).filter(|&(_, &a)| a == c).map(|(&x, _)| x).collect();
        if s.is_empty() {
            continue;
        }
        let med = median(&mut s);
        let mut dev: Vec<f32> = s.iter().map(|x| (x - med).abs()).collect();
        let mad = median(&mut dev);
        // A floor on the spread: in a thread of near-identical stories the MAD is about zero and
        // would cut every member a hair below the median.
        let sigma = (1.4826 * mad as f64).max(0.1 * med as f64);
        let cut = med - (params.outlier_z * sigma) as f32;
        for (i, &a) in assign.iter().enumerate() {
            if a == c && own[i] < cut {
                part[i] = NONE;
            }
        }
    }
    let min_size = params.min_thread_size.max(n / 200).max(1);
    let mut sizes = vec![0usize; k];
    for &c in &part {
        if c != NONE {
            sizes[c as usize] += 1;
        }
    }
    let mut order: Vec<usize> = (0..k).filter(|&c| sizes[c] >= min_size).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut rename = vec![NONE; k];
    for (rank, &c) in order.iter().enumerate() {
        rename[c] = first_id + rank as u32;
    }
    let mut out = vec![NONE; n];
    for (j, &i) in rows.iter().enumerate() {
        if part[j] != NONE {
            out[i] = rename[part[j] as usize];
        }
    }
    out
}

fn median(v: &mut [f32]) -> f32 {
    v.sort_by(f32::total_cmp);
    let m = v.len();
    if m == 0 {
        0.0
    } else if m % 2 == 1 {
        v[m / 2]
    } else {
        (v[m / 2 - 1] + v[m / 2]) / 2.0
    }
}

/// Stability of each thread of `part` (over all stories): the mean, over `runs` other-seed
/// clusterings of `rows` (given as cluster per row), of the best Jaccard overlap of the thread's
/// members with one of their clusters (restricted to stories that are in some thread).
fn stability(part: &[u32], rows: &[usize], runs: &[Vec<u32>], k_alt: usize) -> HashMap<u32, f64> {
    let mut out: HashMap<u32, f64> = HashMap::new();
    if runs.is_empty() {
        return out;
    }
    let mut size: HashMap<u32, usize> = HashMap::new();
    for &t in part {
        if t != NONE {
            *size.entry(t).or_default() += 1;
        }
    }
    for run in runs {
        let mut alt_size = vec![0usize; k_alt];
        let mut overlap: HashMap<(u32, u32), usize> = HashMap::new();
        for (j, &i) in rows.iter().enumerate() {
            let t = part[i];
            if t != NONE {
                alt_size[run[j] as usize] += 1;
                *overlap.entry((t, run[j])).or_default() += 1;
            }
        }
        let mut best: HashMap<u32, f64> = HashMap::new();
        for (&(t, a), &ov) in &overlap {
            let jac = ov as f64 / (size[&t] + alt_size[a as usize] - ov) as f64;
            let b = best.entry(t).or_default();
            *b = b.max(jac);
        }
        for (&t, _) in size.iter() {
            *out.entry(t).or_default() += best.get(&t).copied().unwrap_or(0.0) / runs.len() as f64;
        }
    }
    out
}

/// Clusterings of `space` at `k` with the other seeds, for stability.
fn other_seed_runs(
    space: &dyn Rows,
    k: usize,
    params: &Params,
    purpose: u64,
    progress: &mut Progress,
) -> Result<Vec<Vec<u32>>, Cancelled> {
    let mut runs = Vec::new();
    let s = params.stability_seeds;
    for r in 0..s {
        let mut sub = progress.sub(r as f64 / s as f64, (r + 1) as f64 / s as f64);
        let p = kmeans_params(k, params.restarts, params);
        let sol = cluster::kmeans(space, &p, &mut rng_for(params.seed, purpose, 1 + r as u64), &mut sub)?;
        runs.push(sol.assign);
    }
    Ok(runs)
}

/// Builds the reported threads of a partition (thread id per story, `NONE` = unassigned).
fn describe(
    docs: &[Doc],
    f: &Features,
    part: &[u32],
    stab: &HashMap<u32, f64>,
    k: usize,
    k_scores: Vec<(usize, f64)>,
    params: &Params,
) -> Discovery {
    let main = main_languages(docs, params);
    let mut ids: Vec<u32> = part.iter().copied().filter(|&t| t != NONE).collect();
    ids.sort_unstable();
    ids.dedup();
    let index: HashMap<u32, u32> = ids.iter().enumerate().map(|(i, &t)| (t, i as u32)).collect();
    let dense: Vec<u32> = part.iter().map(|t| index.get(t).copied().unwrap_or(NONE)).collect();
    let nt = ids.len();
    let zeros = vec![0f32; docs.len()];
    let centroids = cluster::centroids_of(f, &dense, &zeros, nt, true);
    let sims = if nt > 0 { cluster::all_sims(f, &centroids, nt) } else { Vec::new() };
    let labels = labels::c_tf_idf(f, &dense, nt, 8);
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nt];
    let mut unassigned = Vec::new();
    for (i, &c) in dense.iter().enumerate() {
        if c == NONE {
            let best = (0..nt).map(|j| sims[i * nt + j] as f64).fold(0.0, f64::max);
            unassigned.push(Member { doc_id: docs[i].id.clone(), score: best });
        } else {
            members[c as usize].push((i, sims[i * nt + c as usize] as f64));
        }
    }
    let mut threads: Vec<Thread> = members
        .into_iter()
        .enumerate()
        .map(|(c, mut m)| {
            m.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let id = ids[c];
            let first = m.first().map(|&(i, _)| docs[i].language.as_str());
            let language = first
                .filter(|l| !main.contains(l) && m.iter().all(|&(i, _)| docs[i].language == *l))
                .map(str::to_string);
            Thread {
                id: id as usize,
                label_terms: labels[c].iter().map(|&(t, _)| f.surface[t as usize].clone()).collect(),
                size: m.len(),
                representatives: m.iter().take(5).map(|&(i, _)| docs[i].id.clone()).collect(),
                members: m
                    .into_iter()
                    .map(|(i, s)| Member { doc_id: docs[i].id.clone(), score: s })
                    .collect(),
                stability: stab.get(&id).copied().unwrap_or(0.0),
                language,
            }
        })
        .collect();
    threads.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    Discovery { threads, unassigned, k, k_scores, vocabulary_size: f.n_terms() }
}

/// Rows with at least one vocabulary term: the only ones that can be clustered.
fn nonempty(f: &Features) -> Vec<usize> {
    (0..f.n_rows()).filter(|&i| f.indptr[i + 1] > f.indptr[i]).collect()
}

/// The languages clustered together: every language with at least `min_language_share` of
/// the stories, and always the most common one.
fn main_languages<'a>(docs: &'a [Doc], params: &Params) -> Vec<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        *counts.entry(d.language.as_str()).or_default() += 1;
    }
    let mut langs: Vec<(&str, usize)> = counts.into_iter().collect();
    langs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let n = docs.len().max(1) as f64;
    langs
        .iter()
        .enumerate()
        .filter(|&(i, &(_, c))| i == 0 || c as f64 / n >= params.min_language_share)
        .map(|(_, &(l, _))| l)
        .collect()
}

/// Finds the common threads of `docs`. `progress` gets the fraction done (0..=1) now and then and
/// cancels the run by returning `false`.
pub fn discover(
    docs: &[Doc],
    params: &Params,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<Discovery, Cancelled> {
    let mut progress = Progress::new(progress);
    let f = features::build(docs, &params.feature_params(), &mut progress.sub(0.0, 0.2))?;
    let main = main_languages(docs, params);
    let (rows, minor): (Vec<usize>, Vec<usize>) =
        nonempty(&f).into_iter().partition(|&i| main.contains(&docs[i].language.as_str()));
    let mut part = vec![NONE; docs.len()];
    let mut stab = HashMap::new();
    let mut k = 0;
    let mut k_scores = Vec::new();
    if !rows.is_empty() {
        let sp = space_of(&f, &rows, params);
        let space = sp.rows();
        let (chosen, scores, reuse) = match params.k {
            K::Fixed(k) => (k.clamp(1, rows.len()), Vec::new(), None),
            K::Auto { min, max } => {
                // k is chosen with spherical k-means on the TF-IDF rows whatever the method (see
                // docs/discovery.md: the index is steadier there); an LSA run follows at that k.
                let (k, scores, sol) =
                    choose_k(&sp.tfidf, &sp.tfidf, min, max, params, &mut progress.sub(0.2, 0.6))?;
                (k, scores, sol.filter(|_| sp.dense.is_none()))
            }
        };
        (k, k_scores) = (chosen, scores);
        let sol = match reuse {
            Some(sol) => sol,
            None => {
                let p = kmeans_params(k, params.restarts, params);
                cluster::kmeans(
                    space,
                    &p,
                    &mut rng_for(params.seed, 3, k as u64),
                    &mut progress.sub(0.6, 0.7),
                )?
            }
        };
        part = finalize(&f, &rows, &sol.assign, k, params, 0);
        let runs = other_seed_runs(space, k, params, 4, &mut progress.sub(0.7, 0.97))?;
        stab = stability(&part, &rows, &runs, k);
    }
    // One thread per rare language with enough stories; same for every seed, so stability 1.
    let mut next = part.iter().filter(|&&t| t != NONE).max().map_or(0, |t| t + 1);
    let mut by_lang: Vec<(&str, Vec<usize>)> = Vec::new();
    for i in minor {
        match by_lang.iter_mut().find(|(l, _)| *l == docs[i].language) {
            Some((_, v)) => v.push(i),
            None => by_lang.push((docs[i].language.as_str(), vec![i])),
        }
    }
    by_lang.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let min_size = params.min_thread_size.max(docs.len() / 200).max(1);
    for (_, members) in by_lang.into_iter().filter(|(_, m)| m.len() >= min_size) {
        for i in members {
            part[i] = next;
        }
        stab.insert(next, 1.0);
        next += 1;
    }
    let out = describe(docs, &f, &part, &stab, k, k_scores, params);
    progress.report(1.0)?;
    Ok(out)
}

/// The partition (thread id per story) that a discovery describes, for `docs`.
fn partition_of(docs: &[Doc], d: &Discovery) -> Vec<u32> {
    let pos: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, doc)| (doc.id.as_str(), i)).collect();
    let mut part = vec![NONE; docs.len()];
    for t in &d.threads {
        for m in &t.members {
            if let Some(&i) = pos.get(m.doc_id.as_str()) {
                part[i] = t.id as u32;
            }
        }
    }
    part
}

fn stabilities_of(d: &Discovery) -> HashMap<u32, f64> {
    d.threads.iter().map(|t| (t.id as u32, t.stability)).collect()
}

fn next_id(d: &Discovery) -> u32 {
    d.threads.iter().map(|t| t.id as u32 + 1).max().unwrap_or(0)
}

/// Splits thread `thread_id` of `discovery` (found on the same `docs`) by clustering its members
/// again with `k` (e.g. `K::Fixed(2)` or `K::Auto { min: 2, max: 5 }`). The parts get new ids,
/// their stability is measured within the thread; the other threads keep ids and stability, and
/// all labels are recomputed. Members that fit no part become unassigned.
pub fn split(
    docs: &[Doc],
    discovery: &Discovery,
    thread_id: usize,
    k: K,
    params: &Params,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<Discovery, Cancelled> {
    let mut progress = Progress::new(progress);
    let f = features::build(docs, &params.feature_params(), &mut progress.sub(0.0, 0.3))?;
    let mut part = partition_of(docs, discovery);
    let rows: Vec<usize> =
        (0..docs.len()).filter(|&i| part[i] == thread_id as u32 && f.indptr[i + 1] > f.indptr[i]).collect();
    let mut stab = stabilities_of(discovery);
    if rows.len() >= 2 {
        let sp = space_of(&f, &rows, params);
        let space = sp.rows();
        let (k, _) = match k {
            K::Fixed(k) => (k.clamp(1, rows.len()), Vec::new()),
            K::Auto { min, max } => {
                let (k, scores, _) =
                    choose_k(space, &sp.tfidf, min, max, params, &mut progress.sub(0.3, 0.5))?;
                (k, scores)
            }
        };
        let p = kmeans_params(k, params.restarts, params);
        let sol = cluster::kmeans(space, &p, &mut rng_for(params.seed, 5, 0), &mut progress.sub(0.5, 0.6))?;
        // Small parts are kept here (a split was asked for), but never below two stories.
        let sub_params = Params { min_thread_size: 2, ..*params };
        let first = next_id(discovery);
        let sub_f = f.subset(&rows);
        let sub_rows: Vec<usize> = (0..rows.len()).collect();
        let sub_part = finalize(&sub_f, &sub_rows, &sol.assign, k, &sub_params, first);
        let runs = other_seed_runs(space, k, params, 6, &mut progress.sub(0.6, 0.95))?;
        stab.extend(stability(&sub_part, &sub_rows, &runs, k));
        for (j, &i) in rows.iter().enumerate() {
            part[i] = sub_part[j];
        }
        stab.remove(&(thread_id as u32));
    }
    for (i, t) in part.iter_mut().enumerate() {
        if *t == thread_id as u32 && f.indptr[i + 1] == f.indptr[i] {
            *t = NONE;
        }
    }
    let out = describe(docs, &f, &part, &stab, discovery.k, discovery.k_scores.clone(), params);
    progress.report(1.0)?;
    Ok(out)
}

/// Merges threads `a` and `b` of `discovery` (found on the same `docs`) into one thread with a
/// new id. Labels and scores are recomputed for all threads; the merged thread's stability is
/// measured against other-seed clusterings with one thread fewer.
pub fn merge(
    docs: &[Doc],
    discovery: &Discovery,
    a: usize,
    b: usize,
    params: &Params,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<Discovery, Cancelled> {
    let mut progress = Progress::new(progress);
    let f = features::build(docs, &params.feature_params(), &mut progress.sub(0.0, 0.3))?;
    let mut part = partition_of(docs, discovery);
    let new = next_id(discovery);
    for t in part.iter_mut() {
        if *t == a as u32 || *t == b as u32 {
            *t = new;
        }
    }
    let mut stab = stabilities_of(discovery);
    stab.remove(&(a as u32));
    stab.remove(&(b as u32));
    // The other seeds cluster the stories discover clusters (those of the main languages, or of
    // the merged thread's own language), into as many threads as that set now has.
    let langs: Vec<&str> = {
        let main = main_languages(docs, params);
        let merged_lang = part.iter().position(|&t| t == new).map(|i| docs[i].language.as_str());
        match merged_lang {
            Some(l) if !main.contains(&l) => vec![l],
            _ => main,
        }
    };
    let rows: Vec<usize> =
        nonempty(&f).into_iter().filter(|&i| langs.contains(&docs[i].language.as_str())).collect();
    let mut ids: Vec<u32> = rows.iter().map(|&i| part[i]).filter(|&t| t != NONE).collect();
    ids.sort_unstable();
    ids.dedup();
    let k_alt = ids.len().max(1);
    if params.stability_seeds > 0 && !rows.is_empty() {
        let space = space_of(&f, &rows, params);
        let runs = other_seed_runs(space.rows(), k_alt, params, 7, &mut progress.sub(0.3, 0.95))?;
        if let Some(&s) = stability(&part, &rows, &runs, k_alt).get(&new) {
            stab.insert(new, s);
        }
    }
    let out = describe(docs, &f, &part, &stab, discovery.k, discovery.k_scores.clone(), params);
    progress.report(1.0)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
