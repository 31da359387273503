//! Agreement between coders: before a codebook is trusted (or a model is trained on its tags),
//! a facilitator has two or more people tag the same random sample blind and checks, per theme,
//! whether they apply it to the same stories beyond what chance would give — Cohen's kappa for
//! two coders, Krippendorff's alpha for any number and with gaps — and reads the stories they
//! disagreed on to sharpen the theme's description.

use std::collections::{BTreeMap, HashMap, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One coder's decision on one theme for one story of the sample.
///
/// What counts as a coder's judgement on (story, theme):
/// - a `Coding` for exactly that triple: its `applied` (if there are several, the last one);
/// - otherwise, if the coder has any coding on that story: not applied — they read it and did
///   not tag the theme;
/// - otherwise: missing (the coder has not done that story). To record "read it, nothing
///   applies", send one coding with `applied: false` for any theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub coder: String,
    /// Story id.
    pub unit: String,
    pub theme: String,
    pub applied: bool,
}

/// A story on which the coders did not all agree about a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    pub unit: String,
    pub theme: String,
    /// Coders who applied the theme, in the order of the `coders` argument.
    pub applied_by: Vec<String>,
    /// Coders who coded the story without applying the theme.
    pub not_applied_by: Vec<String>,
}

/// Agreement on one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeAgreement {
    pub theme: String,
    /// Cohen's kappa, when there are exactly two coders and it is defined (see `cohen_kappa`).
    pub kappa: Option<f64>,
    /// Krippendorff's alpha (nominal); `None` when undefined (see `krippendorff_alpha_nominal`).
    pub alpha: Option<f64>,
    /// Stories judged by at least two coders (the ones agreement is measured on).
    pub units: usize,
    /// Share of those stories on which all their coders agreed (raw agreement, no chance
    /// correction: easy to explain, but high for any rare theme).
    pub observed: Option<f64>,
    /// How many of those stories each coder applied the theme to, in the order of `coders`.
    pub applied: Vec<(String, usize)>,
    pub disagreements: Vec<Disagreement>,
}

/// Per theme (in the order given): kappa, alpha, raw agreement and the disagreements, over the
/// given coders and units. Codings for other coders, units or themes are ignored.
pub fn agreement(
    codings: &[Coding],
    coders: &[String],
    units: &[String],
    themes: &[String],
) -> Vec<ThemeAgreement> {
    let coder_index: HashMap<&str, usize> = coders.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let unit_index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    // Which (unit, coder) pairs were coded at all, and the explicit decisions (last one wins).
    let mut coded: HashSet<(usize, usize)> = HashSet::new();
    let mut decided: HashMap<(usize, usize, &str), bool> = HashMap::new();
    for c in codings {
        let (Some(&ci), Some(&ui)) = (coder_index.get(c.coder.as_str()), unit_index.get(c.unit.as_str()))
        else {
            continue;
        };
        coded.insert((ui, ci));
        decided.insert((ui, ci, c.theme.as_str()), c.applied);
    }

    themes
        .iter()
        .map(|theme| {
            // values[unit][coder]
            let values: Vec<Vec<Option<bool>>> = (0..units.len())
                .map(|u| {
                    (0..coders.len())
                        .map(|c| match decided.get(&(u, c, theme.as_str())) {
                            Some(&v) => Some(v),
                            None => coded.contains(&(u, c)).then_some(false),
                        })
                        .collect()
                })
                .collect();
            let pairable: Vec<usize> =
                (0..units.len()).filter(|&u| values[u].iter().flatten().count() >= 2).collect();
            let mut disagreements = Vec::new();
            let mut applied = vec![0usize; coders.len()];
            for &u in &pairable {
                let by = |want: bool| -> Vec<String> {
                    (0..coders.len())
                        .filter(|&c| values[u][c] == Some(want))
                        .map(|c| coders[c].clone())
                        .collect()
                };
                let (yes, no) = (by(true), by(false));
                for (c, v) in values[u].iter().enumerate() {
                    applied[c] += (*v == Some(true)) as usize;
                }
                if !yes.is_empty() && !no.is_empty() {
                    disagreements.push(Disagreement {
                        unit: units[u].clone(),
                        theme: theme.clone(),
                        applied_by: yes,
                        not_applied_by: no,
                    });
                }
            }
            let kappa = if coders.len() == 2 {
                let pairs: Vec<(bool, bool)> = values.iter().filter_map(|v| Some((v[0]?, v[1]?))).collect();
                cohen_kappa(&pairs)
            } else {
                None
            };
            let units_n = pairable.len();
            ThemeAgreement {
                theme: theme.clone(),
                kappa,
                alpha: krippendorff_alpha_nominal(&values),
                units: units_n,
                observed: (units_n > 0).then(|| (units_n - disagreements.len()) as f64 / units_n as f64),
                applied: coders.iter().cloned().zip(applied).collect(),
                disagreements,
            }
        })
        .collect()
}

/// Cohen's kappa for two coders' nominal judgements of the same units:
/// (p_o − p_e) / (1 − p_e), with p_o the observed agreement and p_e the agreement expected from
/// each coder's own category frequencies. `None` for no units, or when p_e = 1 (both coders
/// used one and the same category throughout: agreement is then not informative).
pub fn cohen_kappa<T: Ord>(pairs: &[(T, T)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: BTreeMap<&T, f64> = BTreeMap::new();
    let mut second: BTreeMap<&T, f64> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(a).or_insert(0.0) += 1.0;
        *second.entry(b).or_insert(0.0) += 1.0;
    }
    let expected: f64 = first.iter().map(|(c, na)| na / n * second.get(c).map_or(0.0, |nb| nb / n)).sum();
    if (1.0 - expected).abs() < 1e-12 {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Krippendorff's alpha for nominal data, any number of coders, missing values allowed:
/// `units[u][c]` is coder c's value for unit u, or `None`. Units with fewer than two values are
/// not pairable and left out. Through the coincidence matrix o (each ordered pair of values in
/// a unit with m values adds 1/(m − 1)):
/// α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k, with n_c the row sums and n their total
/// (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). `None` when there are no
/// pairable values or only one category occurs (no variation: alpha is undefined).
pub fn krippendorff_alpha_nominal<T: Ord>(units: &[Vec<Option<T>>]) -> Option<f64> {
    let mut categories: BTreeMap<&T, usize> = BTreeMap::new();
    for v in units.iter().flatten().flatten() {
        let next = categories.len();
        categories.entry(v).or_insert(next);
    }
    let k = categories.len();
    let mut o = vec![0f64; k * k];
    let mut in_unit = vec![0f64; k];
    for unit in units {
        let m = unit.iter().flatten().count();
        if m < 2 {
            continue;
        }
        in_unit.fill(0.0);
        for v in unit.iter().flatten() {
            in_unit[categories[v]] += 1.0;
        }
        for c in 0..k {
            for d in 0..k {
                let pairs = if c == d { in_unit[c] * (in_unit[c] - 1.0) } else { in_unit[c] * in_unit[d] };
                o[c * k + d] += pairs / (m as f64 - 1.0);
            }
        }
    }
    let n_c: Vec<f64> = (0..k).map(|c| o[c * k..][..k].iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    let (mut disagree, mut expected) = (0.0, 0.0);
    for c in 0..k {
        for d in (0..k).filter(|&d| d != c) {
            disagree += o[c * k + d];
            expected += n_c[c] * n_c[d];
        }
    }
    if n < 2.0 || expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagree / expected)
}

/// A reproducible random sample of `n` ids (all of them, shuffled, if there are fewer). The
/// result depends only on the set of ids and the seed, not their order or duplicates, so the
/// same sample can be drawn again later; and a larger sample with the same seed starts with the
/// smaller one, so a sample can be extended. Returned in sampled order, which is a fair order
/// to present them to coders in.
pub fn sample(ids: &[String], n: usize, seed: u64) -> Vec<String> {
    let mut pool: Vec<&String> = ids.iter().collect();
    pool.sort_unstable();
    pool.dedup();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = n.min(pool.len());
    // Partial Fisher–Yates from the front: step i draws the i-th pick and does not depend on
    // n, which is what makes a larger sample extend a smaller one. (rand's `partial_shuffle`
    // fills from the back, so its picks change with n.)
    for i in 0..n {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
    }
    pool[..n].iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests;
