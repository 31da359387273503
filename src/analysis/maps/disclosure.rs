//! Disclosure control for the steering group and everything published: a count of 1 to k − 1
//! could point at a few recognisable tellers, so it is shown only as "<k"; and because a page
//! also shows row and column totals, hiding small cells alone is not enough (a hidden cell
//! that is the only hidden one in its row is "total minus the others"). So every hidden cell's
//! feasible range given the published totals and cells is computed exactly, and more cells
//! are hidden until each small cell's range is at least k wide. A hidden cell then contributes
//! nothing else either: no share, interval, quote, distinctive word, dot or test.
//!
//! The feasible range of a cell is over non-negative integer tables with the published
//! margins and visible cells: a transportation polytope, whose bounds are integral and follow
//! from maximum flows (see [`bounds`]). All margins are assumed known to a reader, even those
//! the page does not show, which can only hide more.

use serde::Serialize;

use super::signifiers::{Answers, Detail};
use super::{Hidden, NotTested, PerspectiveMap, Test};

/// The default disclosure threshold.
pub const DEFAULT_K: u64 = 5;

/// What disclosure control did to a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    pub k: u64,
    /// Cells hidden because they are small, and hidden to protect those.
    pub small: usize,
    pub secondary: usize,
    /// Tests withheld because they would reveal hidden cells.
    pub withheld_tests: usize,
}

/// A maximum-flow network small enough for adjacency matrices (a map's tables are at most a
/// few dozen rows and columns).
struct Network {
    cap: Vec<Vec<u64>>,
}

impl Network {
    fn new(nodes: usize) -> Network {
        Network { cap: vec![vec![0; nodes]; nodes] }
    }

    /// Edmonds–Karp from `s` to `t`.
    fn max_flow(mut self, s: usize, t: usize) -> u64 {
        let n = self.cap.len();
        let mut flow = 0;
        loop {
            let mut prev = vec![usize::MAX; n];
            prev[s] = s;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for (v, &cap) in self.cap[u].iter().enumerate() {
                    if prev[v] == usize::MAX && cap > 0 {
                        prev[v] = u;
                        queue.push_back(v);
                    }
                }
            }
            if prev[t] == usize::MAX {
                return flow;
            }
            let mut push = u64::MAX;
            let mut v = t;
            while v != s {
                push = push.min(self.cap[prev[v]][v]);
                v = prev[v];
            }
            let mut v = t;
            while v != s {
                self.cap[prev[v]][v] -= push;
                self.cap[v][prev[v]] += push;
                v = prev[v];
            }
            flow += push;
        }
    }
}

/// The largest total the hidden cells (`skip` excluded) can carry with row `i` summing to at
/// most `rows[i]` and column `j` to at most `cols[j]`: a maximum flow from the rows to the
/// columns through the hidden cells.
fn max_fill(rows: &[u64], cols: &[u64], hidden: &[Vec<bool>], skip: Option<(usize, usize)>) -> u64 {
    let (r, c) = (rows.len(), cols.len());
    let total: u64 = rows.iter().sum();
    let (s, t) = (r + c, r + c + 1);
    let mut net = Network::new(r + c + 2);
    for (i, &row) in rows.iter().enumerate() {
        net.cap[s][i] = row;
        for (j, &h) in hidden[i].iter().enumerate() {
            if h && skip != Some((i, j)) {
                net.cap[i][r + j] = total;
            }
        }
    }
    for (j, &col) in cols.iter().enumerate() {
        net.cap[r + j][t] = col;
    }
    net.max_flow(s, t)
}

/// Whether the hidden cells can be filled with non-negative integers so that every row and
/// column adds up exactly.
fn feasible(rows: &[u64], cols: &[u64], hidden: &[Vec<bool>]) -> bool {
    let total: u64 = rows.iter().sum();
    total == cols.iter().sum::<u64>() && max_fill(rows, cols, hidden, None) == total
}

/// What the hidden cells of each row and of each column add up to (the published total minus
/// the visible cells).
fn residual_margins(table: &[Vec<u64>], hidden: &[Vec<bool>]) -> (Vec<u64>, Vec<u64>) {
    let c = table.first().map_or(0, Vec::len);
    let rows =
        (0..table.len()).map(|i| (0..c).filter(|&j| hidden[i][j]).map(|j| table[i][j]).sum()).collect();
    let cols =
        (0..c).map(|j| (0..table.len()).filter(|&i| hidden[i][j]).map(|i| table[i][j]).sum()).collect();
    (rows, cols)
}

/// The feasible range of hidden cell (i, j) given the residual margins.
///
/// The minimum is the total minus the most the other hidden cells can carry: any filling puts
/// at most that much elsewhere, and augmenting that maximum flow to a full one only adds flow
/// through (i, j). The maximum is the largest t such that taking t from row i and column j
/// leaves a feasible rest, bisected (feasibility is monotone in t).
fn cell_range(rows: &[u64], cols: &[u64], hidden: &[Vec<bool>], i: usize, j: usize) -> (u64, u64) {
    let total: u64 = rows.iter().sum();
    let min = total - max_fill(rows, cols, hidden, Some((i, j)));
    let (mut lo, mut hi) = (min, rows[i].min(cols[j]));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let (mut r2, mut c2) = (rows.to_vec(), cols.to_vec());
        r2[i] -= mid;
        c2[j] -= mid;
        if feasible(&r2, &c2, hidden) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    (min, lo)
}

/// The exact range [min, max] of every hidden cell of `table` that a reader can derive from
/// the row totals, column totals and visible cells (`None` for visible cells).
pub fn bounds(table: &[Vec<u64>], hidden: &[Vec<bool>]) -> Vec<Vec<Option<(u64, u64)>>> {
    let (rows, cols) = residual_margins(table, hidden);
    (0..table.len())
        .map(|i| {
            (0..cols.len()).map(|j| hidden[i][j].then(|| cell_range(&rows, &cols, hidden, i, j))).collect()
        })
        .collect()
}

/// Which cells of `table` to hide at threshold `k`: counts 1 to k − 1 (`Small`, plus any cell
/// in `forced`), then `Secondary` cells until every small cell's feasible range (see
/// [`bounds`]) is at least k wide (max − min ≥ k), or nothing is left to hide.
///
/// Secondary cells come by the hypercube method for two-way tables (Repsilber; Giessing,
/// "Survey on methods for tabular data protection in ARGUS", 2004): an exposed cell is
/// protected by hiding the other three corners of a rectangle through it. Of all rectangles,
/// the one that makes the cell safe with the fewest newly hidden cells and then the smallest
/// hidden total is taken (if none makes it safe, the one that widens its range most).
/// How good a rectangle is for protecting a cell: (makes it safe, its width up to k, − new
/// hidden cells, − their total); larger is better.
type Score = (bool, u64, i64, i64);

pub fn protect(table: &[Vec<u64>], k: u64, forced: &[Vec<bool>]) -> Vec<Vec<Option<Hidden>>> {
    let (r, c) = (table.len(), table.first().map_or(0, Vec::len));
    let mut marks: Vec<Vec<Option<Hidden>>> = table
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, &x)| {
                    // 0 is hidden too, as on the overview (`analysis::suppression`): "none of this
                    // group" is itself a disclosure about every teller in it, and a visible 0
                    // beside a "<k" would say that one is at least 1.
                    let small = k > 1 && x < k;
                    let forced = forced.get(i).and_then(|f| f.get(j)).copied().unwrap_or(false);
                    (small || forced).then_some(Hidden::Small)
                })
                .collect()
        })
        .collect();
    if k <= 1 {
        return marks;
    }
    let mask = |m: &[Vec<Option<Hidden>>]| -> Vec<Vec<bool>> {
        m.iter().map(|row| row.iter().map(Option::is_some).collect()).collect()
    };
    let width = |m: &[Vec<bool>], i: usize, j: usize| {
        let (rows, cols) = residual_margins(table, m);
        let (lo, hi) = cell_range(&rows, &cols, m, i, j);
        hi - lo
    };
    loop {
        let hidden = mask(&marks);
        let exposed = (0..r)
            .flat_map(|i| (0..c).map(move |j| (i, j)))
            .find(|&(i, j)| marks[i][j] == Some(Hidden::Small) && width(&hidden, i, j) < k);
        let Some((i, j)) = exposed else { return marks };
        // (safe, width, −new cells, −new total): the best rectangle is the largest.
        let mut best: Option<(Score, Vec<(usize, usize)>)> = None;
        for ii in (0..r).filter(|&ii| ii != i) {
            for jj in (0..c).filter(|&jj| jj != j) {
                let new: Vec<(usize, usize)> =
                    [(i, jj), (ii, j), (ii, jj)].into_iter().filter(|&(a, b)| !hidden[a][b]).collect();
                if new.is_empty() {
                    continue;
                }
                let mut trial = hidden.clone();
                for &(a, b) in &new {
                    trial[a][b] = true;
                }
                let w = width(&trial, i, j);
                let total: u64 = new.iter().map(|&(a, b)| table[a][b]).sum();
                let score = (w >= k, w.min(k), -(new.len() as i64), -(total as i64));
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, new));
                }
            }
        }
        let new = match best {
            Some((_, new)) => new,
            // Every rectangle through the cell is hidden already: hide the smallest visible
            // cell anywhere (or stop when there is none).
            None => match (0..r)
                .flat_map(|a| (0..c).map(move |b| (a, b)))
                .filter(|&(a, b)| !hidden[a][b])
                .min_by_key(|&(a, b)| (table[a][b], a, b))
            {
                Some(cell) => vec![cell],
                None => return marks,
            },
        };
        for (a, b) in new {
            marks[a][b] = Some(Hidden::Secondary);
        }
    }
}

/// [`protect`] on the columns of the groups that are shown; the columns of hidden groups
/// (`hidden_cols`) are hidden whole. Those groups are left out of every published total too
/// (see [`disclose`]), so their cells are not part of any margin a reader could use.
pub fn protect_shown(table: &[Vec<u64>], k: u64, hidden_cols: &[bool]) -> Vec<Vec<Option<Hidden>>> {
    let keep: Vec<usize> = (0..hidden_cols.len()).filter(|&j| !hidden_cols[j]).collect();
    let reduced: Vec<Vec<u64>> = table.iter().map(|row| keep.iter().map(|&j| row[j]).collect()).collect();
    let marks = protect(&reduced, k, &[]);
    table
        .iter()
        .enumerate()
        .map(|(i, row)| {
            (0..row.len())
                .map(|j| match keep.iter().position(|&x| x == j) {
                    Some(col) => marks[i][col],
                    None => Some(Hidden::Small),
                })
                .collect()
        })
        .collect()
}

/// How a hidden count is shown.
pub fn shown(hidden: Hidden, k: u64) -> String {
    match hidden {
        Hidden::Small => format!("<{k}"),
        Hidden::Secondary => "×".into(),
    }
}

struct Tally {
    k: u64,
    small: usize,
    secondary: usize,
    withheld: usize,
}

impl Tally {
    fn count(&mut self, marks: &[Vec<Option<Hidden>>]) {
        for m in marks.iter().flatten().flatten() {
            match m {
                Hidden::Small => self.small += 1,
                Hidden::Secondary => self.secondary += 1,
            }
        }
    }

    fn withhold(&mut self, test: &mut Option<Test>, not_tested: &mut Option<NotTested>) {
        if test.take().is_some() {
            self.withheld += 1;
            *not_tested = Some(NotTested::Withheld);
        }
    }
}

/// The answers table (answered, not applicable, no answer × group), protected; hides the
/// counts in `answers` and returns which groups' answers are hidden.
fn protect_answers(answers: &mut [&mut Answers], forced_groups: &[bool], tally: &mut Tally) -> Vec<bool> {
    let g = answers.len();
    let get = |a: &Answers, r: usize| [a.answered, a.not_applicable, a.no_answer][r].unwrap_or(0);
    let table: Vec<Vec<u64>> = (0..3).map(|r| answers.iter().map(|a| get(a, r)).collect()).collect();
    let marks = protect_shown(&table, tally.k, forced_groups);
    tally.count(&marks);
    for (j, a) in answers.iter_mut().enumerate() {
        if marks[1][j].is_some() {
            a.not_applicable = None;
        }
        if marks[2][j].is_some() {
            a.no_answer = None;
        }
    }
    (0..g)
        .map(|j| {
            let hide = marks[0][j].is_some();
            if hide {
                answers[j].answered = None;
            }
            hide
        })
        .collect()
}

/// The map as the steering group may see it at threshold `k` (see the module comment).
pub fn disclose(map: &PerspectiveMap, k: u64) -> PerspectiveMap {
    let mut out = map.clone();
    let mut tally = Tally { k, small: 0, secondary: 0, withheld: 0 };
    // 0 included, as in `protect`.
    let small = |x: Option<u64>| x.is_some_and(|x| k > 1 && x < k);
    // Groups: a small group is hidden everywhere.
    let hidden_group: Vec<bool> = out.groups.iter().map(|g| small(g.count)).collect();
    for (g, &h) in out.groups.iter_mut().zip(&hidden_group) {
        if h {
            g.count = None;
            g.without_theme = None;
            g.hidden = Some(Hidden::Small);
            tally.small += 1;
        } else if small(g.without_theme) {
            g.without_theme = None;
        }
    }
    if small(out.without_group) {
        out.without_group = None;
    }
    // Totals leave hidden groups out: "all stories minus the groups shown" would give them back.
    let shown_total = |counts: &mut dyn Iterator<Item = Option<u64>>| -> u64 {
        counts.zip(&hidden_group).filter(|(_, h)| !**h).map(|(c, _)| c.unwrap_or(0)).sum()
    };
    out.stories = Some(shown_total(&mut map.groups.iter().map(|g| g.count)));
    let keys: Vec<String> = out.groups.iter().map(|g| g.key.clone()).collect();
    let touches = |test: &Test, hidden: &[bool]| {
        test.groups.iter().any(|k| keys.iter().position(|x| x == k).is_some_and(|j| hidden[j]))
    };
    let counts: Vec<u64> = map.groups.iter().map(|g| g.count.unwrap_or(0)).collect();

    for row in &mut out.themes {
        let present: Vec<u64> = row.cells.iter().map(|c| c.count.unwrap_or(0)).collect();
        let table = vec![present.clone(), counts.iter().zip(&present).map(|(n, p)| n - p).collect()];
        let marks = protect_shown(&table, k, &hidden_group);
        tally.count(&marks);
        row.total = Some(shown_total(&mut present.iter().map(|&p| Some(p))));
        let hidden_col: Vec<bool> =
            (0..keys.len()).map(|j| marks[0][j].is_some() || marks[1][j].is_some()).collect();
        for (j, cell) in row.cells.iter_mut().enumerate() {
            // A hidden "without the theme" cell hides the share too (it is 1 − that share).
            if let Some(h) = marks[0][j].or(marks[1][j]) {
                cell.count = if marks[0][j].is_some() { None } else { cell.count };
                cell.shown = marks[0][j].map_or_else(|| cell.shown.clone(), |h| shown(h, k));
                cell.hidden = Some(marks[0][j].unwrap_or(h));
                cell.share = None;
                cell.interval = None;
                cell.adjusted_residual = None;
                cell.words.clear();
                cell.quotes.clear();
            }
        }
        if row.test.as_ref().is_some_and(|t| touches(t, &hidden_col)) {
            tally.withhold(&mut row.test, &mut row.not_tested);
            row.sentence = None;
        }
    }

    for s in &mut out.signifiers {
        match &mut s.detail {
            Detail::Triad(t) => {
                let mut answers: Vec<&mut Answers> = t.groups.iter_mut().map(|g| &mut g.answers).collect();
                let hidden = protect_answers(&mut answers, &hidden_group, &mut tally);
                for (g, &h) in t.groups.iter_mut().zip(&hidden) {
                    if h {
                        g.hidden = Some(Hidden::Small);
                        g.with_zero = None;
                        g.centre = None;
                        g.region.clear();
                        g.dots.clear();
                        g.dot_stories.clear();
                    } else if small(g.with_zero) {
                        g.with_zero = None;
                    }
                }
                if t.test.as_ref().is_some_and(|x| touches(x, &hidden)) {
                    tally.withhold(&mut t.test, &mut t.not_tested);
                    t.sensitivity.clear();
                    t.robust = None;
                    t.sentence = None;
                }
                for p in &mut t.pairwise {
                    if p.test.as_ref().is_some_and(|x| touches(x, &hidden)) {
                        tally.withhold(&mut p.test, &mut p.not_tested);
                        p.robust = None;
                    }
                }
            }
            Detail::Dyad(d) => {
                let mut answers: Vec<&mut Answers> = d.groups.iter_mut().map(|g| &mut g.answers).collect();
                let mut hidden = protect_answers(&mut answers, &hidden_group, &mut tally);
                let bins = d.edges.len().saturating_sub(1);
                let table: Vec<Vec<u64>> = (0..bins)
                    .map(|b| d.groups.iter().map(|g| g.histogram[b].unwrap_or(0)).collect())
                    .collect();
                let marks = protect_shown(&table, k, &hidden);
                tally.count(&marks);
                for (j, g) in d.groups.iter_mut().enumerate() {
                    let any = (0..bins).any(|b| marks[b][j].is_some());
                    for (count, m) in g.histogram.iter_mut().zip(&marks) {
                        if m[j].is_some() {
                            *count = None;
                        }
                    }
                    // Quartiles, minimum and maximum would narrow hidden bins down.
                    if any || hidden[j] {
                        g.quantiles = None;
                    }
                    if hidden[j] {
                        g.hidden = Some(Hidden::Small);
                        g.binned.clear();
                    }
                    hidden[j] |= any;
                }
                if d.test.as_ref().is_some_and(|x| touches(x, &hidden)) {
                    tally.withhold(&mut d.test, &mut d.not_tested);
                    d.sentence = None;
                }
                for p in &mut d.pairwise {
                    if p.test.as_ref().is_some_and(|x| touches(x, &hidden)) {
                        tally.withhold(&mut p.test, &mut p.not_tested);
                    }
                }
            }
            Detail::Choice(c) => {
                let answered: Vec<u64> = c.groups.iter().map(|g| g.answers.answered.unwrap_or(0)).collect();
                let mut answers: Vec<&mut Answers> = c.groups.iter_mut().map(|g| &mut g.answers).collect();
                let mut hidden = protect_answers(&mut answers, &hidden_group, &mut tally);
                let options = c.groups.first().map_or(0, |g| g.options.len());
                let multiple = c.tests.iter().any(|t| t.option.is_some());
                // Single choice: one option × group table; multiple: chosen/not chosen per option.
                let tables: Vec<(Vec<usize>, Vec<Vec<u64>>)> = if multiple {
                    (0..options)
                        .map(|o| {
                            let chosen: Vec<u64> =
                                c.groups.iter().map(|g| g.options[o].count.unwrap_or(0)).collect();
                            let rest = answered.iter().zip(&chosen).map(|(a, x)| a - x).collect();
                            (vec![o], vec![chosen, rest])
                        })
                        .collect()
                } else {
                    let t = (0..options)
                        .map(|o| c.groups.iter().map(|g| g.options[o].count.unwrap_or(0)).collect())
                        .collect();
                    vec![((0..options).collect(), t)]
                };
                let mut option_hidden = vec![vec![false; c.groups.len()]; options];
                for (opts, table) in tables {
                    let marks = protect_shown(&table, k, &hidden);
                    tally.count(&marks);
                    for (j, g) in c.groups.iter_mut().enumerate() {
                        for (r, &o) in opts.iter().enumerate() {
                            // Multiple choice: row 0 is the option, row 1 its complement.
                            let m = if multiple { marks[0][j].or(marks[1][j]) } else { marks[r][j] };
                            if let Some(h) = m {
                                let cell = &mut g.options[o];
                                let own = if multiple { marks[0][j] } else { Some(h) };
                                if let Some(own) = own {
                                    cell.count = None;
                                    cell.shown = shown(own, k);
                                }
                                cell.hidden = Some(own.unwrap_or(h));
                                cell.share = None;
                                cell.interval = None;
                                option_hidden[o][j] = true;
                            }
                        }
                    }
                }
                for (j, g) in c.groups.iter_mut().enumerate() {
                    if hidden[j] {
                        g.hidden = Some(Hidden::Small);
                    }
                    hidden[j] |= (0..options).any(|o| option_hidden[o][j]);
                }
                for t in &mut c.tests {
                    let cols: Vec<bool> = match t.option {
                        Some(o) => (0..hidden.len()).map(|j| option_hidden[o][j] || hidden[j]).collect(),
                        None => hidden.clone(),
                    };
                    if t.test.as_ref().is_some_and(|x| touches(x, &cols)) {
                        tally.withhold(&mut t.test, &mut t.not_tested);
                    }
                }
                if c.tests.iter().any(|t| t.not_tested == Some(NotTested::Withheld)) {
                    c.sentence = None;
                }
            }
        }
    }
    // The page counts the tests a reader sees, not those withheld.
    out.notes = super::sentences::notes_withheld(map.tests, tally.withheld, &out.settings);
    if k > 1 {
        out.notes.push(match out.settings.language {
            super::Language::Nl => format!(
                "Aantallen van 0 tot {} staan als <{k}; met × verborgen aantallen zouden anders uit de totalen terug te rekenen zijn. Bij verborgen cellen staan geen aandelen, citaten, woorden of toetsen.",
                k - 1,
            ),
            super::Language::En => format!(
                "Counts from 0 to {} are shown as <{k}; counts hidden as × could otherwise be worked out from the totals. Hidden cells show no shares, quotes, words or tests.",
                k - 1,
            ),
        });
    }
    out.disclosure = Some(Disclosure {
        k,
        small: tally.small,
        secondary: tally.secondary,
        withheld_tests: tally.withheld,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every non-negative integer filling of the hidden cells with the same margins, by brute
    /// force, for checking [`bounds`] on small tables.
    fn brute_bounds(table: &[Vec<u64>], hidden: &[Vec<bool>]) -> Vec<Vec<Option<(u64, u64)>>> {
        let c = table[0].len();
        let cells: Vec<(usize, usize)> = (0..table.len())
            .flat_map(|i| (0..c).map(move |j| (i, j)))
            .filter(|&(i, j)| hidden[i][j])
            .collect();
        let rows: Vec<u64> = table.iter().map(|r| r.iter().sum()).collect();
        let cols: Vec<u64> = (0..c).map(|j| table.iter().map(|r| r[j]).sum()).collect();
        let cap = rows.iter().sum::<u64>();
        let mut out = vec![vec![None::<(u64, u64)>; c]; table.len()];
        let mut t = table.to_vec();
        fn walk(
            at: usize,
            cells: &[(usize, usize)],
            t: &mut Vec<Vec<u64>>,
            cap: u64,
            rows: &[u64],
            cols: &[u64],
            out: &mut Vec<Vec<Option<(u64, u64)>>>,
        ) {
            if at == cells.len() {
                let ok = t.iter().zip(rows).all(|(r, &s)| r.iter().sum::<u64>() == s)
                    && (0..cols.len()).all(|j| t.iter().map(|r| r[j]).sum::<u64>() == cols[j]);
                if ok {
                    for &(i, j) in cells {
                        let v = t[i][j];
                        out[i][j] = Some(out[i][j].map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
                    }
                }
                return;
            }
            let (i, j) = cells[at];
            for v in 0..=cap.min(rows[i]).min(cols[j]) {
                t[i][j] = v;
                walk(at + 1, cells, t, cap, rows, cols, out);
            }
        }
        walk(0, &cells, &mut t, cap, &rows, &cols, &mut out);
        out
    }

    fn mask(marks: &[Vec<Option<Hidden>>]) -> Vec<Vec<bool>> {
        marks.iter().map(|r| r.iter().map(Option::is_some).collect()).collect()
    }

    #[test]
    fn bounds_match_brute_force_enumeration() {
        let table = vec![vec![3, 7, 2], vec![4, 1, 6], vec![5, 2, 3]];
        let hidden = vec![vec![true, true, false], vec![true, false, true], vec![false, true, true]];
        assert_eq!(bounds(&table, &hidden), brute_bounds(&table, &hidden));
        let hidden = vec![vec![true, true, true], vec![true, true, false], vec![false, false, false]];
        assert_eq!(bounds(&table, &hidden), brute_bounds(&table, &hidden));
    }

    /// A theme in a 2 × 3 table (with / without the theme × three groups): primary suppression
    /// hides only the youth cell with 3, but the youth column total (40) minus the visible 37
    /// gives it back. Secondary suppression must hide more until the 3 is at least 5 wide.
    #[test]
    fn a_cell_recomputable_from_the_totals_after_primary_suppression_gets_protected() {
        let table = vec![vec![3, 12, 20], vec![37, 28, 30]];
        let primary = vec![vec![true, false, false], vec![false, false, false]];
        let b = bounds(&table, &primary);
        assert_eq!(b[0][0], Some((3, 3)), "primary suppression alone exposes the cell");
        let marks = protect(&table, 5, &[]);
        assert_eq!(marks[0][0], Some(Hidden::Small));
        let hidden = mask(&marks);
        let b = bounds(&table, &hidden);
        let (lo, hi) = b[0][0].unwrap();
        assert!(hi - lo >= 5, "range {lo}..{hi}");
        assert_eq!(b, brute_bounds(&table, &hidden));
        // The minimal protection here: a second column hidden in both rows (four cells).
        assert_eq!(hidden.iter().flatten().filter(|&&h| h).count(), 4);
        assert_eq!(marks[0][1], Some(Hidden::Secondary), "the smallest cell in the row goes first");
    }

    #[test]
    fn two_small_cells_in_one_row_still_need_their_columns_protected() {
        // Worked table: the two small cells (2 and 4) share a row; their columns' other cells
        // are visible, so each is fixed by its column total until those are hidden too.
        let table = vec![vec![2, 4, 30], vec![50, 45, 40]];
        let marks = protect(&table, 5, &[]);
        let b = bounds(&table, &mask(&marks));
        for (j, cell) in b[0].iter().take(2).enumerate() {
            let (lo, hi) = cell.unwrap();
            assert!(hi - lo >= 5, "cell {j}: {lo}..{hi}");
        }
        assert_eq!(marks[1][0], Some(Hidden::Secondary));
        assert_eq!(marks[1][1], Some(Hidden::Secondary));
        assert_eq!(marks[0][2], None);
    }

    #[test]
    fn tables_without_small_counts_are_left_alone_and_zero_is_hidden_like_the_overview() {
        let table = vec![vec![7, 12, 20], vec![40, 28, 30]];
        assert!(protect(&table, 5, &[]).iter().flatten().all(Option::is_none));
        // "None of the 40 parents" is said of every parent; and a visible 0 beside "<5" would
        // say that one is at least 1.
        let zero = vec![vec![0, 12, 20], vec![40, 28, 30]];
        let marks = protect(&zero, 5, &[]);
        assert_eq!(marks[0][0], Some(Hidden::Small));
        assert_eq!(marks.iter().flatten().filter(|m| m.is_some()).count(), 4, "a rectangle protects it");
        assert!(protect(&[vec![1, 2], vec![3, 4]], 1, &[]).iter().flatten().all(Option::is_none));
    }

    #[test]
    fn hidden_counts_show_as_below_k() {
        assert_eq!(shown(Hidden::Small, 5), "<5");
        assert_eq!(shown(Hidden::Secondary, 5), "×");
    }
}
