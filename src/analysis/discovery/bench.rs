//! Measures discovery against a labelled corpus, for `luister bench discovery` and the comparison
//! with scikit-learn in bench/discovery/: the same JSON Lines file, the same k, AMI, ARI and wall
//! time per seed, mean ± sd over seeds. The only module here that reads a file.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::{Doc, K, Params, discover, metrics};

/// One line of the corpus file: `{"id": .., "text": .., "label": .., "language": ..}`
/// (`language` optional, `nl` when absent; `id` a string or a number).
#[derive(Debug, Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
    label: serde_json::Value,
    #[serde(default)]
    language: Option<String>,
}

/// The figures of one seed.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub seed: u64,
    /// AMI against the labels, unassigned stories counted as one extra cluster of their own.
    pub ami: f64,
    pub ari: f64,
    /// AMI and ARI over the assigned stories only.
    pub ami_assigned: f64,
    pub ari_assigned: f64,
    /// Share of the stories left unassigned.
    pub unassigned: f64,
    /// Number of threads found.
    pub threads: usize,
    /// Wall time of `discover` (features + clustering + labels), seconds.
    pub seconds: f64,
}

/// Mean and sample standard deviation.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MeanSd {
    pub mean: f64,
    pub sd: f64,
}

impl MeanSd {
    fn of(xs: impl Iterator<Item = f64>) -> MeanSd {
        let v: Vec<f64> = xs.collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n.max(1.0);
        let var =
            if v.len() > 1 { v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
        MeanSd { mean, sd: var.sqrt() }
    }
}

impl std::fmt::Display for MeanSd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.4} ± {:.4}", self.mean, self.sd)
    }
}

/// What `evaluate` measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub stories: usize,
    pub labels: usize,
    pub k: usize,
    pub runs: Vec<Run>,
    pub ami: MeanSd,
    pub ari: MeanSd,
    pub ami_assigned: MeanSd,
    pub ari_assigned: MeanSd,
    pub unassigned: MeanSd,
    pub seconds: MeanSd,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "luister discovery: {} stories, {} labels, k = {}, {} seeds",
            self.stories,
            self.labels,
            self.k,
            self.runs.len()
        )?;
        writeln!(f, "  AMI (unassigned as own label)  {}", self.ami)?;
        writeln!(f, "  ARI (unassigned as own label)  {}", self.ari)?;
        writeln!(f, "  AMI (assigned stories only)    {}", self.ami_assigned)?;
        writeln!(f, "  ARI (assigned stories only)    {}", self.ari_assigned)?;
        writeln!(f, "  unassigned share               {}", self.unassigned)?;
        write!(f, "  wall time, s                   {}", self.seconds)
    }
}

/// Reads a JSON Lines corpus into stories and their labels.
pub fn read_corpus(path: &Path) -> std::io::Result<(Vec<Doc>, Vec<String>)> {
    let text = std::fs::read_to_string(path)?;
    let mut docs = Vec::new();
    let mut labels = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let l: Line = serde_json::from_str(line).map_err(|e| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}:{}: {e}", path.display(), n + 1))
        })?;
        let plain = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        docs.push(Doc { id: plain(l.id), text: l.text, language: l.language.unwrap_or_else(|| "nl".into()) });
        labels.push(plain(l.label));
    }
    Ok((docs, labels))
}

/// Runs discovery at `k` on `docs` for seeds `0..seeds` (other settings from `base`) and scores
/// each run against `labels`.
pub fn evaluate(docs: &[Doc], labels: &[String], k: usize, seeds: usize, base: &Params) -> Report {
    let mut names: Vec<&str> = labels.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let truth: Vec<usize> = labels.iter().map(|l| names.binary_search(&l.as_str()).expect("label")).collect();
    let pos: std::collections::HashMap<&str, usize> =
        docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut runs = Vec::new();
    for seed in 0..seeds as u64 {
        let params = Params { k: K::Fixed(k), seed, ..*base };
        let start = Instant::now();
        let d = discover(docs, &params, &mut |_| true).expect("never cancelled");
        let seconds = start.elapsed().as_secs_f64();
        let none = d.threads.len();
        let mut pred = vec![none; docs.len()];
        for (c, t) in d.threads.iter().enumerate() {
            for m in &t.members {
                pred[pos[m.doc_id.as_str()]] = c;
            }
        }
        let assigned: Vec<usize> = (0..docs.len()).filter(|&i| pred[i] != none).collect();
        let pa: Vec<usize> = assigned.iter().map(|&i| pred[i]).collect();
        let ta: Vec<usize> = assigned.iter().map(|&i| truth[i]).collect();
        runs.push(Run {
            seed,
            ami: metrics::adjusted_mutual_info(&truth, &pred),
            ari: metrics::adjusted_rand(&truth, &pred),
            ami_assigned: metrics::adjusted_mutual_info(&ta, &pa),
            ari_assigned: metrics::adjusted_rand(&ta, &pa),
            unassigned: d.unassigned.len() as f64 / docs.len().max(1) as f64,
            threads: d.threads.len(),
            seconds,
        });
    }
    Report {
        stories: docs.len(),
        labels: names.len(),
        k,
        ami: MeanSd::of(runs.iter().map(|r| r.ami)),
        ari: MeanSd::of(runs.iter().map(|r| r.ari)),
        ami_assigned: MeanSd::of(runs.iter().map(|r| r.ami_assigned)),
        ari_assigned: MeanSd::of(runs.iter().map(|r| r.ari_assigned)),
        unassigned: MeanSd::of(runs.iter().map(|r| r.unassigned)),
        seconds: MeanSd::of(runs.iter().map(|r| r.seconds)),
        runs,
    }
}

/// Reads the JSON Lines corpus at `path` and evaluates discovery at `k` over `seeds` seeds with
/// the default settings, except no stability runs: the time is then comparable with
/// scikit-learn's TF-IDF + k-means, which computes none.
pub fn evaluate_file(path: &Path, k: usize, seeds: usize) -> std::io::Result<Report> {
    let (docs, labels) = read_corpus(path)?;
    let base = Params { stability_seeds: 0, ..Params::default() };
    Ok(evaluate(&docs, &labels, k, seeds, &base))
}
