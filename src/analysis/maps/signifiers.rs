//! Signifiers per group: where each group's triads lie (closed geometric mean, Hotelling
//! region, PERMANOVA and pairwise Hotelling on ilr coordinates, with a zero-replacement
//! sensitivity check), how each group answers a dyad (histogram on common bins, quartiles,
//! Kruskal–Wallis, pairwise Mann–Whitney) and which options each group chooses (bars with
//! chi-square). "Not applicable" is counted apart and never enters a test as a value.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::{
    Answer, Effect, EffectMeasure, Hidden, MapInput, Method, NotTested, Sentence, Settings, SignifierKind,
    Test,
};
use crate::analysis::stats::{composition, hotelling, interval::wilson95, permanova, ranks};

/// The δ of the multiplicative zero replacement the map reports.
pub const DELTA: f64 = 0.005;
/// The δs of the sensitivity check: a difference is robust only if all three agree.
pub const SENSITIVITY_DELTAS: [f64; 3] = [0.001, DELTA, 0.01];
/// The significance level the sensitivity check compares p-values with.
const ALPHA: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignifierSummary {
    pub id: String,
    pub label: String,
    pub kind: SignifierKind,
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Detail {
    Triad(TriadSummary),
    Dyad(DyadSummary),
    Choice(ChoiceSummary),
}

impl SignifierSummary {
    /// Every test this signifier shows, for the map-wide correction.
    pub(crate) fn tests_mut(&mut self) -> Vec<&mut Test> {
        let mut out: Vec<&mut Test> = Vec::new();
        match &mut self.detail {
            Detail::Triad(t) => {
                out.extend(t.test.as_mut());
                out.extend(t.pairwise.iter_mut().filter_map(|p| p.test.as_mut()));
            }
            Detail::Dyad(d) => {
                out.extend(d.test.as_mut());
                out.extend(d.pairwise.iter_mut().filter_map(|p| p.test.as_mut()));
            }
            Detail::Choice(c) => out.extend(c.tests.iter_mut().filter_map(|t| t.test.as_mut())),
        }
        out
    }
}

/// A test between two groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pairwise {
    pub a: String,
    pub b: String,
    pub test: Option<Test>,
    pub not_tested: Option<NotTested>,
    /// Triads only: whether the call (p < 0.05 or not) is the same at every δ.
    pub robust: Option<bool>,
}

/// The answers of one group, counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    pub answered: Option<u64>,
    pub not_applicable: Option<u64>,
    pub no_answer: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriadGroup {
    pub group: String,
    pub answers: Answers,
    /// Answers with a zero weight (replaced by δ before any log-ratio).
    pub with_zero: Option<u64>,
    /// The closed geometric mean at δ = 0.005: three weights summing to 1.
    pub centre: Option<[f64; 3]>,
    /// The 95% confidence region of the centre, as compositions (a closed polygon).
    pub region: Vec<[f64; 3]>,
    pub too_few: bool,
    pub hidden: Option<Hidden>,
    /// Every answer, closed (zeros kept), for the ternary plot; not serialised.
    #[serde(skip)]
    pub dots: Vec<[f64; 3]>,
    /// The story of each dot (an index into the input's stories), so a frozen map can leave
    /// out a story withdrawn since; not serialised.
    #[serde(skip)]
    pub dot_stories: Vec<usize>,
}

/// PERMANOVA at one δ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub delta: f64,
    pub pseudo_f: f64,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriadSummary {
    pub groups: Vec<TriadGroup>,
    /// PERMANOVA at δ = 0.005: pseudo-F and R² of all tested answers, p from the permutations
    /// (on a seeded subsample when there are more than the settings allow; see `subsample`).
    pub test: Option<Test>,
    pub not_tested: Option<NotTested>,
    pub subsample: Option<usize>,
    pub sensitivity: Vec<Sensitivity>,
    /// Whether all three δs agree on p < 0.05.
    pub robust: Option<bool>,
    pub pairwise: Vec<Pairwise>,
    pub sentence: Option<Sentence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DyadGroup {
    pub group: String,
    pub answers: Answers,
    /// Counts per bin (common bins, see `edges`); `None` where hidden.
    pub histogram: Vec<Option<u64>>,
    pub quantiles: Option<ranks::Quantiles>,
    pub too_few: bool,
    pub hidden: Option<Hidden>,
    /// Each answer's story (an index into the input's stories) and bin, so a frozen map can
    /// take a story withdrawn since out of its histogram; not serialised.
    #[serde(skip)]
    pub binned: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DyadSummary {
    pub edges: Vec<f64>,
    pub groups: Vec<DyadGroup>,
    /// Kruskal–Wallis with ε².
    pub test: Option<Test>,
    pub not_tested: Option<NotTested>,
    /// Two-sided, tie-corrected Mann–Whitney with rank-biserial r (positive: `a` higher).
    pub pairwise: Vec<Pairwise>,
    pub sentence: Option<Sentence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCell {
    pub count: Option<u64>,
    pub shown: String,
    /// Share of the group's answers choosing the option.
    pub share: Option<f64>,
    pub interval: Option<[f64; 2]>,
    pub hidden: Option<Hidden>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceGroup {
    pub group: String,
    pub answers: Answers,
    pub options: Vec<OptionCell>,
    pub too_few: bool,
    pub hidden: Option<Hidden>,
}

/// A choice test: of the whole option × group table (single choice, `option` None) or of one
/// option present/absent × group (multiple choice).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionTest {
    pub option: Option<usize>,
    pub test: Option<Test>,
    pub not_tested: Option<NotTested>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceSummary {
    pub groups: Vec<ChoiceGroup>,
    pub tests: Vec<OptionTest>,
    pub sentence: Option<Sentence>,
}

pub(crate) fn summaries(input: &MapInput, settings: &Settings) -> Vec<SignifierSummary> {
    input
        .signifiers
        .iter()
        .enumerate()
        .map(|(i, sig)| {
            let (answers, story_of): (Vec<(usize, &Answer)>, Vec<usize>) = input
                .stories
                .iter()
                .enumerate()
                .filter_map(|(n, s)| s.group.map(|g| ((g, s.answers.get(i).unwrap_or(&Answer::NoAnswer)), n)))
                .unzip();
            let seed = settings.seed.wrapping_add(1 + i as u64);
            let detail = match &sig.kind {
                SignifierKind::Triad { .. } => {
                    Detail::Triad(triad(input, settings, &answers, &story_of, seed))
                }
                SignifierKind::Dyad { .. } => Detail::Dyad(dyad(input, settings, &answers, &story_of)),
                SignifierKind::Choice { options, multiple } => {
                    Detail::Choice(choice(input, settings, &answers, options.len(), *multiple, seed))
                }
            };
            SignifierSummary { id: sig.id.clone(), label: sig.label.clone(), kind: sig.kind.clone(), detail }
        })
        .collect()
}

fn count_answers(g: usize, answers: &[(usize, &Answer)]) -> Vec<Answers> {
    let mut out = vec![[0u64; 3]; g];
    for &(gr, a) in answers {
        let slot = match a {
            Answer::NoAnswer => 2,
            Answer::NotApplicable => 1,
            _ => 0,
        };
        out[gr][slot] += 1;
    }
    out.into_iter()
        .map(|[a, na, no]| Answers { answered: Some(a), not_applicable: Some(na), no_answer: Some(no) })
        .collect()
}

fn ilr_at(parts: &[f64; 3], delta: f64) -> [f64; 2] {
    let r = composition::multiplicative_replacement(parts, Some(delta)).expect("validated triad weights");
    let c = composition::ilr(&r).expect("replaced parts are positive");
    [c[0], c[1]]
}

fn triad(
    input: &MapInput,
    settings: &Settings,
    answers: &[(usize, &Answer)],
    story_of: &[usize],
    seed: u64,
) -> TriadSummary {
    let g = input.groups.len();
    let counted = count_answers(g, answers);
    let mut dots: Vec<Vec<[f64; 3]>> = vec![Vec::new(); g];
    let mut dot_stories: Vec<Vec<usize>> = vec![Vec::new(); g];
    for (&(gr, a), &n) in answers.iter().zip(story_of) {
        if let Answer::Triad(w) = a {
            let sum: f64 = w.iter().sum();
            dots[gr].push([w[0] / sum, w[1] / sum, w[2] / sum]);
            dot_stories[gr].push(n);
        }
    }
    let testable: Vec<usize> =
        (0..g).filter(|&i| dots[i].len() as u64 >= settings.min_group.max(1)).collect();
    let coords_at =
        |gr: usize, delta: f64| -> Vec<[f64; 2]> { dots[gr].iter().map(|d| ilr_at(d, delta)).collect() };
    let groups: Vec<TriadGroup> = (0..g)
        .map(|gr| {
            let replaced: Vec<Vec<f64>> = dots[gr]
                .iter()
                .map(|d| {
                    composition::multiplicative_replacement(d, Some(DELTA)).expect("validated triad weights")
                })
                .collect();
            let centre = composition::centre(&replaced).ok().map(|c| [c[0], c[1], c[2]]);
            let region = hotelling::triad_mean_region(&replaced, 0.95, 48)
                .map(|r| r.polygon.iter().map(|p| [p[0], p[1], p[2]]).collect())
                .unwrap_or_default();
            TriadGroup {
                group: input.groups[gr].key.clone(),
                answers: counted[gr].clone(),
                with_zero: Some(dots[gr].iter().filter(|d| d.contains(&0.0)).count() as u64),
                centre,
                region,
                too_few: !testable.contains(&gr),
                hidden: None,
                dots: dots[gr].clone(),
                dot_stories: dot_stories[gr].clone(),
            }
        })
        .collect();
    let keys: Vec<String> = testable.iter().map(|&i| input.groups[i].key.clone()).collect();
    let mut summary = TriadSummary {
        groups,
        test: None,
        not_tested: None,
        subsample: None,
        sensitivity: Vec::new(),
        robust: None,
        pairwise: Vec::new(),
        sentence: None,
    };
    if testable.len() < 2 {
        summary.not_tested = Some(NotTested::TooFewStories);
        return summary;
    }
    let labels: Vec<usize> =
        testable.iter().flat_map(|&gr| std::iter::repeat_n(gr, dots[gr].len())).collect();
    let n = labels.len();
    // The permutations run on a seeded subsample when the set is large: their cost is
    // permutations × points, and with thousands of points p is at its floor anyway.
    let mut chosen: Vec<usize> = (0..n).collect();
    if n > settings.permanova_max_points {
        chosen.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        chosen.truncate(settings.permanova_max_points);
        chosen.sort_unstable();
        summary.subsample = Some(settings.permanova_max_points);
    }
    let sub_labels: Vec<usize> = chosen.iter().map(|&i| labels[i]).collect();
    let mut main: Option<Test> = None;
    for &delta in &SENSITIVITY_DELTAS {
        let points: Vec<[f64; 2]> = testable.iter().flat_map(|&gr| coords_at(gr, delta)).collect();
        let sub: Vec<[f64; 2]> = chosen.iter().map(|&i| points[i]).collect();
        let whole = permanova::permanova(&points, &labels, 0, seed);
        let perm = permanova::permanova(&sub, &sub_labels, settings.permutations, seed);
        let (Ok(whole), Ok(perm)) = (whole, perm) else {
            if delta == DELTA {
                summary.not_tested = Some(NotTested::NoVariation);
            }
            continue;
        };
        summary.sensitivity.push(Sensitivity { delta, pseudo_f: whole.pseudo_f, p: perm.p });
        if delta == DELTA {
            main = Some(Test {
                method: Method::Permanova,
                statistic: whole.pseudo_f,
                df: Some((testable.len() - 1) as f64),
                p: perm.p.unwrap_or(1.0),
                q: None,
                effect: Effect { measure: EffectMeasure::RSquared, value: whole.r_squared },
                groups: keys.clone(),
                note: None,
            });
        }
    }
    if main.is_some() && summary.sensitivity.len() == SENSITIVITY_DELTAS.len() {
        summary.robust = Some(summary.sensitivity.iter().all(|s| s.p.is_some_and(|p| p < ALPHA)));
    }
    summary.test = main;
    for (x, &a) in testable.iter().enumerate() {
        for &b in &testable[x + 1..] {
            let mut calls = Vec::new();
            let mut test = None;
            for &delta in &SENSITIVITY_DELTAS {
                if let Ok(t) = hotelling::two_sample(&coords_at(a, delta), &coords_at(b, delta)) {
                    calls.push(t.p < ALPHA);
                    if delta == DELTA {
                        let (n1, n2) = (dots[a].len() as f64, dots[b].len() as f64);
                        test = Some(Test {
                            method: Method::Hotelling,
                            statistic: t.t2,
                            df: Some(t.df2 as f64),
                            p: t.p,
                            q: None,
                            effect: Effect {
                                measure: EffectMeasure::MahalanobisD,
                                value: (t.t2 * (n1 + n2) / (n1 * n2)).sqrt(),
                            },
                            groups: vec![input.groups[a].key.clone(), input.groups[b].key.clone()],
                            note: None,
                        });
                    }
                }
            }
            let robust = (calls.len() == 3).then(|| calls.iter().all(|&c| c));
            summary.pairwise.push(Pairwise {
                a: input.groups[a].key.clone(),
                b: input.groups[b].key.clone(),
                not_tested: test.is_none().then_some(NotTested::NoVariation),
                test,
                robust,
            });
        }
    }
    summary
}

/// The bin of `v` on `edges` as `ranks::histogram` counts it (the last bin includes 1).
fn bin_of(v: f64, edges: &[f64]) -> usize {
    let bins = edges.len().saturating_sub(1).max(1);
    edges[1..bins].iter().take_while(|&&e| v >= e).count()
}

fn dyad(
    input: &MapInput,
    settings: &Settings,
    answers: &[(usize, &Answer)],
    story_of: &[usize],
) -> DyadSummary {
    let g = input.groups.len();
    let counted = count_answers(g, answers);
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); g];
    let mut value_stories: Vec<Vec<usize>> = vec![Vec::new(); g];
    for (&(gr, a), &n) in answers.iter().zip(story_of) {
        if let Answer::Dyad(v) = a {
            values[gr].push(*v);
            value_stories[gr].push(n);
        }
    }
    let bins = settings.bins.max(1);
    let edges = ranks::histogram(&[], bins).expect("bins ≥ 1").edges;
    let testable: Vec<usize> =
        (0..g).filter(|&i| values[i].len() as u64 >= settings.min_group.max(1)).collect();
    let groups = (0..g)
        .map(|gr| {
            let h = ranks::histogram(&values[gr], bins).expect("validated dyad values");
            DyadGroup {
                group: input.groups[gr].key.clone(),
                answers: counted[gr].clone(),
                histogram: h.counts.into_iter().map(Some).collect(),
                quantiles: ranks::quantiles(&values[gr]).ok(),
                too_few: !testable.contains(&gr),
                hidden: None,
                binned: value_stories[gr]
                    .iter()
                    .zip(&values[gr])
                    .map(|(&n, &v)| (n, bin_of(v, &h.edges)))
                    .collect(),
            }
        })
        .collect();
    let keys: Vec<String> = testable.iter().map(|&i| input.groups[i].key.clone()).collect();
    let mut summary =
        DyadSummary { edges, groups, test: None, not_tested: None, pairwise: Vec::new(), sentence: None };
    if testable.len() < 2 {
        summary.not_tested = Some(NotTested::TooFewStories);
        return summary;
    }
    let sets: Vec<&[f64]> = testable.iter().map(|&i| values[i].as_slice()).collect();
    match ranks::kruskal_wallis(&sets) {
        Ok(kw) => {
            summary.test = Some(Test {
                method: Method::KruskalWallis,
                statistic: kw.h,
                df: Some(kw.df as f64),
                p: kw.p,
                q: None,
                effect: Effect { measure: EffectMeasure::EpsilonSquared, value: kw.epsilon_squared },
                groups: keys,
                note: None,
            })
        }
        Err(_) => summary.not_tested = Some(NotTested::NoVariation),
    }
    for (x, &a) in testable.iter().enumerate() {
        for &b in &testable[x + 1..] {
            let (ka, kb) = (input.groups[a].key.clone(), input.groups[b].key.clone());
            let test = ranks::mann_whitney(&values[a], &values[b]).ok().map(|mw| Test {
                method: Method::MannWhitney,
                statistic: mw.u1,
                df: None,
                p: mw.p,
                q: None,
                effect: Effect { measure: EffectMeasure::RankBiserial, value: mw.rank_biserial },
                groups: vec![ka.clone(), kb.clone()],
                note: None,
            });
            summary.pairwise.push(Pairwise {
                a: ka,
                b: kb,
                not_tested: test.is_none().then_some(NotTested::NoVariation),
                test,
                robust: None,
            });
        }
    }
    summary
}

fn choice(
    input: &MapInput,
    settings: &Settings,
    answers: &[(usize, &Answer)],
    options: usize,
    multiple: bool,
    seed: u64,
) -> ChoiceSummary {
    let g = input.groups.len();
    let counted = count_answers(g, answers);
    let mut counts = vec![vec![0u64; options]; g];
    for &(gr, a) in answers {
        if let Answer::Choice(chosen) = a {
            for &o in chosen {
                counts[gr][o] += 1;
            }
        }
    }
    let answered: Vec<u64> = counted.iter().map(|a| a.answered.unwrap_or(0)).collect();
    let testable: Vec<usize> = (0..g).filter(|&i| answered[i] >= settings.min_group.max(1)).collect();
    let groups = (0..g)
        .map(|gr| ChoiceGroup {
            group: input.groups[gr].key.clone(),
            answers: counted[gr].clone(),
            options: counts[gr]
                .iter()
                .map(|&c| {
                    let p = wilson95(c, answered[gr]).expect("k ≤ n");
                    OptionCell {
                        count: Some(c),
                        shown: c.to_string(),
                        share: p.share,
                        interval: p.share.map(|_| [p.low, p.high]),
                        hidden: None,
                    }
                })
                .collect(),
            too_few: !testable.contains(&gr),
            hidden: None,
        })
        .collect();
    let keys: Vec<String> = testable.iter().map(|&i| input.groups[i].key.clone()).collect();
    let run = |table: Vec<Vec<u64>>, s: u64| -> (Option<Test>, Option<NotTested>) {
        if testable.len() < 2 {
            return (None, Some(NotTested::TooFewStories));
        }
        match super::table_test(&table, keys.clone(), s, settings.language) {
            Ok((t, _)) => (Some(t), None),
            Err(why) => (None, Some(why)),
        }
    };
    let tests = if multiple {
        (0..options)
            .map(|o| {
                let table = vec![
                    testable.iter().map(|&i| counts[i][o]).collect(),
                    testable.iter().map(|&i| answered[i] - counts[i][o]).collect(),
                ];
                let (test, not_tested) = run(table, seed ^ o as u64);
                OptionTest { option: Some(o), test, not_tested }
            })
            .collect()
    } else {
        let table = (0..options).map(|o| testable.iter().map(|&i| counts[i][o]).collect()).collect();
        let (test, not_tested) = run(table, seed);
        vec![OptionTest { option: None, test, not_tested }]
    };
    ChoiceSummary { groups, tests, sentence: None }
}

#[cfg(test)]
mod bin_tests {
    use super::*;

    #[test]
    fn a_value_lands_in_the_bin_the_histogram_counts_it_in() {
        let values = [0.0, 0.099_999, 0.1, 0.25, 0.5, 0.7, 0.9, 0.999, 1.0];
        for bins in [1, 4, 10] {
            let h = ranks::histogram(&values, bins).unwrap();
            let mut counts = vec![0u64; bins];
            for v in values {
                counts[bin_of(v, &h.edges)] += 1;
            }
            assert_eq!(counts, h.counts, "{bins} bins");
        }
    }
}
