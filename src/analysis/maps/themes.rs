//! Themes × groups: how many of each group's stories touch a theme, how sure that share is
//! (Wilson), and whether the groups differ (one present/absent × group test per theme, since a
//! story can have several themes and one chi-square over non-exclusive categories would be
//! wrong), with the words and quotes behind each cell.

use serde::Serialize;

use super::words::{self, Corpus, DistinctiveWord, Quote};
use super::{Hidden, MapInput, NotTested, Sentence, Settings, Test};
use crate::analysis::stats::interval::wilson95;

/// One theme × group cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCell {
    pub group: String,
    /// Stories of the group with the theme; `None` when hidden.
    pub count: Option<u64>,
    /// The count as the page shows it ("12", "<5", "–").
    pub shown: String,
    pub share: Option<f64>,
    /// 95% Wilson interval of the share.
    pub interval: Option<[f64; 2]>,
    /// Adjusted standardised residual of "has the theme" in this group (tested groups only).
    pub adjusted_residual: Option<f64>,
    /// The group is smaller than the minimum and takes no part in the test.
    pub too_few: bool,
    pub hidden: Option<Hidden>,
    pub words: Vec<DistinctiveWord>,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRow {
    pub id: String,
    pub label: String,
    /// Stories on the map with the theme.
    pub total: Option<u64>,
    pub cells: Vec<ThemeCell>,
    pub test: Option<Test>,
    pub not_tested: Option<NotTested>,
    pub sentence: Option<Sentence>,
}

pub(crate) fn theme_rows(
    input: &MapInput,
    settings: &Settings,
    counts: &[u64],
    corpus: &Corpus,
) -> Vec<ThemeRow> {
    let (t, g) = (input.themes.len(), input.groups.len());
    // Stories per theme × group cell.
    let mut members: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); g]; t];
    for (i, s) in input.stories.iter().enumerate() {
        if let Some(gr) = s.group {
            for &th in &s.themes {
                members[th][gr].push(i as u32);
            }
        }
    }
    let testable: Vec<usize> = (0..g).filter(|&i| counts[i] >= settings.min_group.max(1)).collect();
    let keys: Vec<String> = testable.iter().map(|&i| input.groups[i].key.clone()).collect();
    let v = input.terms.len();
    let mut centroid = vec![0.0; v];
    let mut cell_counts = vec![vec![0u64; v]; g];
    let mut rows = Vec::with_capacity(t);
    for (th, theme) in input.themes.iter().enumerate() {
        let present: Vec<u64> = (0..g).map(|gr| members[th][gr].len() as u64).collect();
        let (test, not_tested, residuals) = if testable.len() < 2 {
            (None, Some(NotTested::TooFewStories), None)
        } else {
            let table = vec![
                testable.iter().map(|&i| present[i]).collect::<Vec<_>>(),
                testable.iter().map(|&i| counts[i] - present[i]).collect(),
            ];
            match super::table_test(&table, keys.clone(), settings.seed ^ th as u64, settings.language) {
                Ok((test, res)) => (Some(test), None, Some(res)),
                Err(why) => (None, Some(why), None),
            }
        };
        for (gr, cell) in cell_counts.iter_mut().enumerate() {
            cell.iter_mut().for_each(|c| *c = 0);
            for &s in &members[th][gr] {
                for &(w, c) in &input.stories[s as usize].words {
                    cell[w as usize] += u64::from(c);
                }
            }
        }
        let distinctive = words::distinctive(&cell_counts, corpus, &input.terms, settings.words_per_cell);
        let cells = (0..g)
            .zip(distinctive)
            .map(|(gr, words)| {
                let p = wilson95(present[gr], counts[gr]).expect("k ≤ n and the confidence is valid");
                let residual = residuals
                    .as_ref()
                    .and_then(|r| testable.iter().position(|&i| i == gr).map(|col| r[0][col]));
                let quotes = quotes(input, corpus, settings, &members[th][gr], &words, &mut centroid);
                ThemeCell {
                    group: input.groups[gr].key.clone(),
                    count: Some(present[gr]),
                    shown: present[gr].to_string(),
                    share: p.share,
                    interval: p.share.map(|_| [p.low, p.high]),
                    adjusted_residual: residual,
                    too_few: !testable.contains(&gr),
                    hidden: None,
                    words,
                    quotes,
                }
            })
            .collect();
        rows.push(ThemeRow {
            id: theme.id.clone(),
            label: theme.label.clone(),
            total: Some(present.iter().sum()),
            cells,
            test,
            not_tested,
            sentence: None,
        });
    }
    rows
}

fn quotes(
    input: &MapInput,
    corpus: &Corpus,
    settings: &Settings,
    members: &[u32],
    distinctive: &[DistinctiveWord],
    centroid: &mut [f64],
) -> Vec<Quote> {
    if settings.quotes_per_cell == 0 || members.is_empty() {
        return Vec::new();
    }
    let (chosen, top) = words::representatives(input, corpus, members, settings.quotes_per_cell, 5, centroid);
    let mut stems: Vec<&str> = distinctive.iter().map(|w| w.stem.as_str()).collect();
    stems.extend(top.iter().map(|&w| input.terms[w].stem.as_str()));
    chosen
        .into_iter()
        .map(|(s, similarity)| {
            let story = &input.stories[s];
            Quote {
                story_id: story.id.clone(),
                similarity,
                excerpt: words::excerpt(&story.text, &stems, &story.language, settings.excerpt_chars),
            }
        })
        .collect()
}

/// Largest effect first; untested themes after the tested ones, in label order.
pub(crate) fn sort_by_effect(rows: &mut [ThemeRow]) {
    rows.sort_by(|a, b| {
        let ea = a.test.as_ref().map(|t| t.effect.value);
        let eb = b.test.as_ref().map(|t| t.effect.value);
        match (ea, eb) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.label.cmp(&b.label))
    });
}
