//! The steering dashboard's figures ("stappenteller", seed 004): stories over time per group,
//! stories per youth-care region, and each theme's prevalence over time per group with a
//! marker where a change between two periods is unlikely to be chance. Pure: plain data in,
//! figures out, no IO and no clock.
//!
//! Everything here is published to the steering group, so disclosure control is not optional:
//!
//! - Periods (months or weeks) are pooled with their neighbours until each has at least k
//!   stories, and groups with fewer than k stories in all are left out (of the totals too), so
//!   every total the page prints is at least k and can be printed exactly.
//! - In each table, counts 1 to k − 1 are hidden and more cells are hidden until no hidden cell
//!   can be recomputed from the totals ([`disclosure::protect`], the maps' rule).
//! - Regions with fewer than k stories are pooled into one row.
//! - A theme's count where the period × group count is hidden is hidden too, each group's
//!   column is protected against its own total ([`protect_columns`]), and a share, an
//!   interval or a test is never computed from a hidden cell.
//! - The tables are fixed for a campaign: a filter (period range, group, region) only selects
//!   rows and columns of them, never computes new counts, so two filtered views cannot be
//!   subtracted to expose a hidden cell.
//!
//! The test of a change is Pearson's chi-square on the 2 × 2 table (this period and the one
//! before × mentions the theme or not), Fisher's exact test when expected counts are small,
//! with the Newcombe interval of the difference in share; q-values (Benjamini–Hochberg) over
//! every change the dashboard tests. Stories from one teller count as independent.

use serde::Serialize;
use time::{Date, Month};

pub use super::maps::Hidden;
use super::maps::disclosure::{bounds, protect};
use super::stats::contingency::{FisherOptions, chi_square, fisher_exact};
use super::stats::interval::{newcombe, wilson};
use super::stats::multiple::benjamini_hochberg;

/// The granularity of the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Month,
    Week,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "month" | "maand" => Some(Period::Month),
            "week" => Some(Period::Week),
            _ => None,
        }
    }

    /// The first day of the period that holds `date` (a Monday for ISO weeks).
    pub fn start(self, date: Date) -> Date {
        match self {
            Period::Month => date.replace_day(1).unwrap_or(date),
            Period::Week => date - time::Duration::days(date.weekday().number_days_from_monday() as i64),
        }
    }

    /// The first day of the next period after the one starting at `start`.
    pub fn next(self, start: Date) -> Date {
        match self {
            Period::Month => {
                let (y, m) = if start.month() == Month::December {
                    (start.year() + 1, Month::January)
                } else {
                    (start.year(), start.month().next())
                };
                Date::from_calendar_date(y, m, 1).unwrap_or(start)
            }
            Period::Week => start + time::Duration::days(7),
        }
    }

    /// "2025-03" for a month, "2025-W11" (ISO week) for a week.
    pub fn label(self, start: Date) -> String {
        match self {
            Period::Month => format!("{}-{:02}", start.year(), start.month() as u8),
            Period::Week => {
                let (y, w, _) = start.to_iso_week_date();
                format!("{y}-W{w:02}")
            }
        }
    }
}

/// One story as the dashboard sees it: no text, only coarse facts.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryPoint {
    pub date: Date,
    /// Index into [`Input::groups`].
    pub group: usize,
    /// Index into [`Input::regions`]; `None` when the teller did not say.
    pub region: Option<usize>,
    /// Indices into [`Input::themes`] of the themes with an accepted tag.
    pub themes: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Input {
    pub groups: Vec<String>,
    pub regions: Vec<String>,
    pub themes: Vec<String>,
    pub stories: Vec<StoryPoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub period: Period,
    /// The disclosure threshold.
    pub k: u64,
    /// No test on a period × group with fewer stories than this.
    pub min_group: u64,
    /// q below which a change is called unlikely to be chance.
    pub fdr: f64,
    pub dutch: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { period: Period::Month, k: 5, min_group: 20, fdr: 0.05, dutch: true }
    }
}

/// A published count: the number, or why it is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// `None` when hidden.
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Hidden>,
}

impl Count {
    fn of(n: u64, hidden: Option<Hidden>) -> Count {
        Count { count: if hidden.is_some() { None } else { Some(n) }, hidden }
    }
}

/// Consecutive periods pooled so that together they hold at least k stories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// "2025-03", or "2025-01 – 2025-03" for pooled periods.
    pub label: String,
    /// First day of the first period, and first day after the last.
    pub start: Date,
    pub end: Date,
}

/// A table of counts with exact totals (every total is at least k or 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<Count>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    pub total: u64,
}

/// A theme's share of a period × group's stories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub count: Count,
    /// The period × group's stories (`None` when that count is hidden).
    pub of: Option<u64>,
    pub share: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    ChiSquare,
    Fisher,
}

/// The change of a theme's share in one group from the bin before to `bin`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub group: usize,
    pub bin: usize,
    /// Share in `bin` minus share in the bin before, with its 95% Newcombe interval.
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    pub method: Method,
    pub p: f64,
    pub q: f64,
    /// q below the dashboard's false discovery rate.
    pub likely_real: bool,
    /// One plain-language sentence.
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeTrend {
    pub theme: String,
    /// Stories with the theme over the whole time axis (hidden when below k).
    pub total: Count,
    /// bins × groups.
    pub cells: Vec<Vec<Share>>,
    /// Per group over all bins (its column total, which a reader may know anyway).
    pub totals: Vec<Share>,
    pub changes: Vec<Change>,
    /// Changes not tested: a cell hidden or a period × group below the minimum.
    pub untested: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub period: Period,
    pub k: u64,
    pub min_group: u64,
    pub fdr: f64,
    /// Stories counted (those of the groups shown).
    pub stories: u64,
    pub groups: Vec<String>,
    /// Groups left out because they have fewer than k stories in all.
    pub hidden_groups: Vec<String>,
    pub bins: Vec<Bin>,
    /// bins × groups.
    pub over_time: Table,
    /// regions × groups, over the whole time axis.
    pub regions: Table,
    /// Sorted by the largest likely change, then by total.
    pub themes: Vec<ThemeTrend>,
    /// Changes tested (the number the q-values correct for).
    pub tests: usize,
}

/// Computes the dashboard of `input`.
pub fn compute(input: &Input, settings: &Settings) -> Dashboard {
    let k = settings.k.max(1);
    let ng = input.groups.len();
    let mut per_group = vec![0u64; ng];
    for s in &input.stories {
        if s.group < ng {
            per_group[s.group] += 1;
        }
    }
    let shown: Vec<usize> = (0..ng).filter(|&g| per_group[g] >= k).collect();
    let col_of = |g: usize| shown.iter().position(|&x| x == g);
    let stories: Vec<&StoryPoint> =
        input.stories.iter().filter(|s| s.group < ng && col_of(s.group).is_some()).collect();
    let bins = bins(&stories, settings.period, k);
    let bin_of = |d: Date| bins.iter().position(|b| b.start <= d && d < b.end);

    // Stories per bin × group.
    let mut counts = vec![vec![0u64; shown.len()]; bins.len()];
    for s in &stories {
        if let (Some(b), Some(c)) = (bin_of(s.date), col_of(s.group)) {
            counts[b][c] += 1;
        }
    }
    let marks = protect_table(&counts, k);
    let over_time = table(
        bins.iter().map(|b| b.label.clone()).collect(),
        shown.iter().map(|&g| input.groups[g].clone()).collect(),
        &counts,
        &marks,
    );

    let regions = region_table(input, &stories, &shown, k, settings.dutch);

    // Theme counts per bin × group; a hidden period × group hides its theme counts too.
    let mut themes = Vec::with_capacity(input.themes.len());
    for (t, name) in input.themes.iter().enumerate() {
        let mut c = vec![vec![0u64; shown.len()]; bins.len()];
        for s in &stories {
            if s.themes.contains(&t)
                && let (Some(b), Some(g)) = (bin_of(s.date), col_of(s.group))
            {
                c[b][g] += 1;
            }
        }
        let forced: Vec<Vec<bool>> = marks.iter().map(|r| r.iter().map(Option::is_some).collect()).collect();
        let tmarks = protect_columns(&c, k, &forced);
        let total: u64 = c.iter().flatten().sum();
        let cells = (0..bins.len())
            .map(|b| {
                (0..shown.len())
                    .map(|g| {
                        let hidden = tmarks[b][g];
                        let of = marks[b][g].is_none().then_some(counts[b][g]);
                        let interval = match (hidden, of) {
                            (None, Some(n)) if n > 0 => wilson(c[b][g], n, 0.95).ok(),
                            _ => None,
                        };
                        Share {
                            count: Count::of(c[b][g], hidden),
                            of,
                            share: interval.as_ref().and_then(|p| p.share),
                            low: interval.as_ref().map(|p| p.low),
                            high: interval.as_ref().map(|p| p.high),
                        }
                    })
                    .collect()
            })
            .collect();
        let totals = (0..shown.len())
            .map(|g| {
                let count: u64 = c.iter().map(|r| r[g]).sum();
                let n = over_time.column_totals[g];
                // A column hidden whole has a small total; otherwise the total is at least k.
                let hidden = (count > 0 && count < k).then_some(Hidden::Small);
                let interval = if hidden.is_none() && n > 0 { wilson(count, n, 0.95).ok() } else { None };
                Share {
                    count: Count::of(count, hidden),
                    of: Some(n),
                    share: interval.as_ref().and_then(|p| p.share),
                    low: interval.as_ref().map(|p| p.low),
                    high: interval.as_ref().map(|p| p.high),
                }
            })
            .collect();
        themes.push(ThemeTrend {
            theme: name.clone(),
            total: Count::of(total, (total > 0 && total < k).then_some(Hidden::Small)),
            cells,
            totals,
            changes: Vec::new(),
            untested: 0,
        });
    }

    // The changes between consecutive bins, then one correction over all of them.
    let mut raw: Vec<(usize, Change)> = Vec::new();
    for (t, trend) in themes.iter_mut().enumerate() {
        for g in 0..shown.len() {
            for b in 1..bins.len() {
                let (now, before) = (&trend.cells[b][g], &trend.cells[b - 1][g]);
                let testable =
                    |s: &Share| s.count.count.is_some() && s.of.is_some_and(|n| n >= settings.min_group);
                if !testable(now) || !testable(before) {
                    trend.untested += 1;
                    continue;
                }
                let (k1, n1) = (now.count.count.unwrap_or(0), now.of.unwrap_or(0));
                let (k2, n2) = (before.count.count.unwrap_or(0), before.of.unwrap_or(0));
                let Some((method, p)) = change_test(k1, n1, k2, n2) else {
                    trend.untested += 1;
                    continue;
                };
                let Ok(d) = newcombe(k1, n1, k2, n2, 0.95) else {
                    trend.untested += 1;
                    continue;
                };
                raw.push((
                    t,
                    Change {
                        group: g,
                        bin: b,
                        difference: d.difference,
                        low: d.low,
                        high: d.high,
                        method,
                        p,
                        q: p,
                        likely_real: false,
                        sentence: String::new(),
                    },
                ));
            }
        }
    }
    let q = benjamini_hochberg(&raw.iter().map(|(_, c)| Some(c.p)).collect::<Vec<_>>()).unwrap_or_default();
    let tests = raw.len();
    let groups: Vec<String> = shown.iter().map(|&g| input.groups[g].clone()).collect();
    for ((t, mut change), q) in raw.into_iter().zip(q) {
        change.q = q.unwrap_or(1.0);
        change.likely_real = change.q < settings.fdr;
        let trend = &themes[t];
        let (now, before) =
            (&trend.cells[change.bin][change.group], &trend.cells[change.bin - 1][change.group]);
        change.sentence = sentence(
            &groups[change.group],
            &trend.theme,
            &bins[change.bin].label,
            &bins[change.bin - 1].label,
            now.share.unwrap_or(0.0),
            before.share.unwrap_or(0.0),
            change.likely_real,
            settings.dutch,
        );
        themes[t].changes.push(change);
    }
    let strongest = |t: &ThemeTrend| {
        t.changes.iter().filter(|c| c.likely_real).map(|c| c.difference.abs()).fold(0.0, f64::max)
    };
    themes.sort_by(|a, b| {
        strongest(b)
            .total_cmp(&strongest(a))
            .then(b.total.count.unwrap_or(0).cmp(&a.total.count.unwrap_or(0)))
            .then(a.theme.cmp(&b.theme))
    });
    let hidden_groups = (0..ng).filter(|g| !shown.contains(g)).map(|g| input.groups[g].clone()).collect();
    Dashboard {
        period: settings.period,
        k,
        min_group: settings.min_group,
        fdr: settings.fdr,
        stories: over_time.total,
        groups,
        hidden_groups,
        bins,
        over_time,
        regions,
        themes,
        tests,
    }
}

/// [`protect`] for the long tables of a dashboard (dozens of periods): [`protect`] tries every
/// rectangle through every exposed cell with two maximum flows each, which takes minutes on a
/// 22 × 4 table full of small counts. Here the usual first pass of statistical offices comes
/// first — no row or column with exactly one hidden cell (its smallest other count joins, until
/// nothing changes) — and then every small cell's exact feasible range is checked once with
/// [`bounds`]; only if one is still narrower than k does the exact search of [`protect`] run,
/// starting from the cells hidden so far.
pub fn protect_table(table: &[Vec<u64>], k: u64) -> Vec<Vec<Option<Hidden>>> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let mut marks: Vec<Vec<Option<Hidden>>> = table
        .iter()
        .map(|r| r.iter().map(|&x| (k > 1 && x > 0 && x < k).then_some(Hidden::Small)).collect())
        .collect();
    if k <= 1 || rows == 0 || cols == 0 {
        return marks;
    }
    loop {
        let mut changed = false;
        let lines: Vec<Vec<(usize, usize)>> = (0..rows)
            .map(|i| (0..cols).map(|j| (i, j)).collect())
            .chain((0..cols).map(|j| (0..rows).map(|i| (i, j)).collect()))
            .collect();
        for line in lines {
            if line.iter().filter(|&&(i, j)| marks[i][j].is_some()).count() != 1 {
                continue;
            }
            let other = line
                .iter()
                .filter(|&&(i, j)| marks[i][j].is_none())
                .min_by_key(|&&(i, j)| (table[i][j] == 0, table[i][j], i, j));
            if let Some(&(i, j)) = other {
                marks[i][j] = Some(Hidden::Secondary);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let hidden: Vec<Vec<bool>> = marks.iter().map(|r| r.iter().map(Option::is_some).collect()).collect();
    let ranges = bounds(table, &hidden);
    let safe = (0..rows).all(|i| {
        (0..cols)
            .all(|j| marks[i][j] != Some(Hidden::Small) || ranges[i][j].is_some_and(|(lo, hi)| hi - lo >= k))
    });
    if safe {
        return marks;
    }
    let mut exact = protect(table, k, &hidden);
    for i in 0..rows {
        for j in 0..cols {
            let small = table[i][j] > 0 && table[i][j] < k;
            if exact[i][j].is_some() && !small {
                exact[i][j] = Some(Hidden::Secondary);
            }
        }
    }
    exact
}

/// Disclosure control of a theme's period × group counts. Of its totals only the group totals
/// over all periods can be known to a reader (a published perspective map of the same stories
/// shows them); the per-period totals across groups are published nowhere. So each column is
/// protected on its own against its total: a column whose total is itself small is hidden
/// whole; otherwise counts 1 to k − 1 (and `forced` cells) are hidden, and a column with a
/// single hidden cell gets a second one (its smallest other count), so that no hidden count
/// is its total minus the visible ones. [`protect`] would assume the per-period totals known
/// too and hide far more than needed.
pub fn protect_columns(table: &[Vec<u64>], k: u64, forced: &[Vec<bool>]) -> Vec<Vec<Option<Hidden>>> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let mut marks = vec![vec![None; cols]; rows];
    if k <= 1 {
        return marks;
    }
    for j in 0..cols {
        let total: u64 = (0..rows).map(|i| table[i][j]).sum();
        if total > 0 && total < k {
            for row in marks.iter_mut() {
                row[j] = Some(Hidden::Small);
            }
            continue;
        }
        for i in 0..rows {
            let x = table[i][j];
            let forced = forced.get(i).and_then(|f| f.get(j)).copied().unwrap_or(false);
            if (x > 0 && x < k) || forced {
                marks[i][j] = Some(Hidden::Small);
            }
        }
        let hidden = (0..rows).filter(|&i| marks[i][j].is_some()).count();
        if hidden == 1 {
            let other = (0..rows)
                .filter(|&i| marks[i][j].is_none())
                .min_by_key(|&i| (table[i][j] == 0, table[i][j], i));
            if let Some(i) = other {
                marks[i][j] = Some(Hidden::Secondary);
            }
        }
    }
    marks
}

/// The test of a change: chi-square on the 2 × 2 table, Fisher's exact test when Cochran's
/// rule says the expected counts are too small. `None` when the table is degenerate (the theme
/// in none or all of both periods' stories: nothing to test).
pub fn change_test(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<(Method, f64)> {
    let table = [[k1, n1 - k1], [k2, n2 - k2]];
    if k1 + k2 == 0 || k1 + k2 == n1 + n2 {
        return None;
    }
    let chi = chi_square(&table).ok()?;
    if chi.expected_check.too_small {
        let f = fisher_exact(&table, &FisherOptions::default()).ok()?;
        Some((Method::Fisher, f.p))
    } else {
        Some((Method::ChiSquare, chi.p))
    }
}

/// Consecutive periods from the first story to the last, pooled forward until each bin holds
/// at least `k` stories; a short last bin joins the one before.
fn bins(stories: &[&StoryPoint], period: Period, k: u64) -> Vec<Bin> {
    let (Some(first), Some(last)) =
        (stories.iter().map(|s| s.date).min(), stories.iter().map(|s| s.date).max())
    else {
        return Vec::new();
    };
    if (stories.len() as u64) < k {
        return Vec::new();
    }
    let mut starts = vec![period.start(first)];
    while let Some(&s) = starts.last() {
        let next = period.next(s);
        if next > last {
            break;
        }
        starts.push(next);
    }
    let end = period.next(*starts.last().unwrap_or(&first));
    let in_period = |i: usize| {
        let (a, b) = (starts[i], starts.get(i + 1).copied().unwrap_or(end));
        stories.iter().filter(|s| a <= s.date && s.date < b).count() as u64
    };
    // (first period, last period, stories)
    let mut pooled: Vec<(usize, usize, u64)> = Vec::new();
    let mut open: Option<(usize, u64)> = None;
    for i in 0..starts.len() {
        let (from, n) = open.take().unwrap_or((i, 0));
        let n = n + in_period(i);
        if n >= k {
            pooled.push((from, i, n));
        } else {
            open = Some((from, n));
        }
    }
    if let Some((_, n)) = open
        && let Some(last) = pooled.last_mut()
    {
        last.1 = starts.len() - 1;
        last.2 += n;
    }
    pooled
        .into_iter()
        .map(|(a, b, _)| {
            let label = if a == b {
                period.label(starts[a])
            } else {
                format!("{} – {}", period.label(starts[a]), period.label(starts[b]))
            };
            Bin { label, start: starts[a], end: starts.get(b + 1).copied().unwrap_or(end) }
        })
        .collect()
}

fn table(
    rows: Vec<String>,
    columns: Vec<String>,
    counts: &[Vec<u64>],
    marks: &[Vec<Option<Hidden>>],
) -> Table {
    let row_totals: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
    let column_totals: Vec<u64> = (0..columns.len()).map(|j| counts.iter().map(|r| r[j]).sum()).collect();
    Table {
        cells: counts
            .iter()
            .zip(marks)
            .map(|(r, m)| r.iter().zip(m).map(|(&n, &h)| Count::of(n, h)).collect())
            .collect(),
        total: row_totals.iter().sum(),
        rows,
        columns,
        row_totals,
        column_totals,
    }
}

/// Regions × groups; regions with fewer than k stories, and stories without a region, are
/// pooled into one last row (grown with the smallest regions until it holds at least k).
fn region_table(input: &Input, stories: &[&StoryPoint], shown: &[usize], k: u64, dutch: bool) -> Table {
    let nr = input.regions.len();
    let mut by = vec![vec![0u64; shown.len()]; nr + 1];
    for s in stories {
        let r = s.region.filter(|&r| r < nr).unwrap_or(nr);
        if let Some(c) = shown.iter().position(|&g| g == s.group) {
            by[r][c] += 1;
        }
    }
    let unknown = by.pop().unwrap_or_default();
    let pool = if dutch { "Overige en onbekende regio's" } else { "Other and unknown regions" };
    pooled_table(
        input.regions.iter().cloned().zip(by).collect(),
        unknown,
        shown.iter().map(|&g| input.groups[g].clone()).collect(),
        k,
        pool,
    )
}

/// A table of labelled rows where rows with fewer than `k` in total are pooled, with `rest`,
/// into one last row called `pool`; while the pool holds 1 to k − 1, the smallest row joins it
/// (a pool that small would itself be a small count). Then small cells are hidden as in every
/// table. Used for regions and for campaigns.
pub fn pooled_table(
    rows: Vec<(String, Vec<u64>)>,
    rest: Vec<u64>,
    columns: Vec<String>,
    k: u64,
    pool: &str,
) -> Table {
    let total = |r: &[u64]| r.iter().sum::<u64>();
    let (mut own, small): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, r)| total(r) >= k);
    let mut pooled = if rest.is_empty() { vec![0; columns.len()] } else { rest };
    let add = |into: &mut Vec<u64>, r: &[u64]| into.iter_mut().zip(r).for_each(|(a, b)| *a += b);
    for (_, r) in &small {
        add(&mut pooled, r);
    }
    while total(&pooled) > 0 && total(&pooled) < k && !own.is_empty() {
        let i = (0..own.len()).min_by_key(|&i| (total(&own[i].1), i)).unwrap_or(0);
        let (_, r) = own.remove(i);
        add(&mut pooled, &r);
    }
    let (mut labels, mut counts): (Vec<String>, Vec<Vec<u64>>) = own.into_iter().unzip();
    if total(&pooled) > 0 {
        labels.push(pool.to_string());
        counts.push(pooled);
    }
    let marks = protect_table(&counts, k);
    table(labels, columns, &counts, &marks)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

// Each argument is one fact the sentence states.
#[allow(clippy::too_many_arguments)]
fn sentence(
    group: &str,
    theme: &str,
    now: &str,
    before: &str,
    p1: f64,
    p2: f64,
    real: bool,
    dutch: bool,
) -> String {
    let (a, b) = (percent(p1), percent(p2));
    if dutch {
        let dir = if p1 > p2 { "vaker" } else { "minder vaak" };
        let verdict =
            if real { "deze verandering is waarschijnlijk geen toeval" } else { "dit kan toeval zijn" };
        format!("{group} noemen {theme} in {now} {dir} dan in {before} ({a} tegen {b}); {verdict}.")
    } else {
        let dir = if p1 > p2 { "more often" } else { "less often" };
        let verdict = if real { "this change is unlikely to be chance" } else { "this may be chance" };
        format!("{group} mention {theme} {dir} in {now} than in {before} ({a} against {b}); {verdict}.")
    }
}

#[cfg(test)]
mod tests {
    use super::super::stats::fixture::{self, PROB, assert_close};
    use super::*;
    use time::macros::date;

    fn story(date: Date, group: usize, region: Option<usize>, themes: &[usize]) -> StoryPoint {
        StoryPoint { date, group, region, themes: themes.to_vec() }
    }

    /// The worked case of `make_trend_fixtures.py`: (stories with the theme, stories) per
    /// month and group, built into stories and run through the dashboard.
    #[test]
    fn theme_changes_match_scipy_and_statsmodels() {
        let fx = fixture::parse(include_str!("../../tests/data/stats/trend.json"));
        let case = &fx["trend"];
        let groups = ["youth", "parent"];
        let months = [date!(2025 - 01 - 10), date!(2025 - 02 - 10), date!(2025 - 03 - 10)];
        let mut stories = Vec::new();
        for (g, name) in groups.iter().enumerate() {
            for (m, cell) in case["counts"][name].as_array().unwrap().iter().enumerate() {
                let (with, n) = (fixture::int(&cell[0]), fixture::int(&cell[1]));
                for i in 0..n {
                    stories.push(story(months[m], g, None, if i < with { &[0] } else { &[] }));
                }
            }
        }
        let input = Input {
            groups: groups.map(String::from).to_vec(),
            regions: vec![],
            themes: vec!["wachtlijst".into()],
            stories,
        };
        // Without disclosure control (k = 1): parents' 2 of 30 would be hidden, and with it the
        // cells that protect it, and those changes would not be tested (checked below).
        let d = compute(&input, &Settings { k: 1, ..Settings::default() });
        assert_eq!(d.tests, 4);
        let trend = &d.themes[0];
        for expected in fixture::cases(case, "tests").iter().map(|(_, c)| *c) {
            let g = groups.iter().position(|x| *x == expected["group"].as_str().unwrap()).unwrap();
            let b = fixture::int(&expected["period"]) as usize;
            let got = trend.changes.iter().find(|c| c.group == g && c.bin == b).expect("change tested");
            let method = if got.method == Method::Fisher { "fisher" } else { "chi_square" };
            assert_eq!(method, expected["method"].as_str().unwrap(), "group {g} bin {b}");
            let what = format!("group {g} bin {b}");
            assert_close(got.p, fixture::num(&expected["p"]), PROB, &format!("{what} p"));
            assert_close(got.q, fixture::num(&expected["q"]), PROB, &format!("{what} q"));
            assert_close(got.difference, fixture::num(&expected["difference"]), PROB, &what);
            assert_close(got.low, fixture::num(&expected["low"]), PROB, &format!("{what} low"));
            assert_close(got.high, fixture::num(&expected["high"]), PROB, &format!("{what} high"));
        }
        let protected = compute(&input, &Settings::default());
        assert!(protected.tests < 4, "hidden cells are not tested");
        // Youths: 12 of 40 in January, 25 of 45 in February.
        let c = trend.changes.iter().find(|c| c.group == 0 && c.bin == 1).unwrap();
        assert!(
            c.sentence.starts_with("youth noemen wachtlijst in 2025-02 vaker dan in 2025-01 (56% tegen 30%)")
        );
    }

    #[test]
    fn sparse_months_are_pooled_until_each_holds_k_stories() {
        let mut stories = Vec::new();
        for (d, n) in [
            (date!(2025 - 01 - 05), 3),
            (date!(2025 - 02 - 05), 1),
            (date!(2025 - 03 - 05), 9),
            (date!(2025 - 05 - 05), 2),
        ] {
            for _ in 0..n {
                stories.push(story(d, 0, None, &[]));
            }
        }
        let input = Input { groups: vec!["youth".into()], stories, ..Input::default() };
        let d = compute(&input, &Settings::default());
        let labels: Vec<&str> = d.bins.iter().map(|b| b.label.as_str()).collect();
        // Jan + Feb = 4 < 5, so March joins them; April (0) and May (2) join the last bin.
        assert_eq!(labels, ["2025-01 – 2025-05"]);
        assert_eq!(d.over_time.row_totals, [15]);
        let input = Input {
            stories: [(date!(2025 - 01 - 05), 6), (date!(2025 - 02 - 05), 2), (date!(2025 - 03 - 05), 5)]
                .into_iter()
                .flat_map(|(d, n)| (0..n).map(move |_| story(d, 0, None, &[])))
                .collect(),
            ..input
        };
        let d = compute(&input, &Settings::default());
        let labels: Vec<&str> = d.bins.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2025-01", "2025-02 – 2025-03"]);
        assert!(d.over_time.row_totals.iter().all(|&n| n >= 5));
    }

    #[test]
    fn weeks_are_iso_weeks_starting_on_monday() {
        let p = Period::Week;
        assert_eq!(p.start(date!(2025 - 01 - 01)), date!(2024 - 12 - 30));
        assert_eq!(p.label(date!(2024 - 12 - 30)), "2025-W01");
        assert_eq!(Period::Month.next(date!(2025 - 12 - 01)), date!(2026 - 01 - 01));
    }

    #[test]
    fn small_groups_are_left_out_and_small_cells_hidden_with_secondary_suppression() {
        let mut stories = Vec::new();
        // youth: 10 in Jan, 2 in Feb, 10 in Mar; parent: 8, 9, 8; other: 3 stories in all.
        for (g, per) in [(0usize, [10, 2, 10]), (1, [8, 9, 8])] {
            for (m, n) in per.iter().enumerate() {
                let d = Date::from_calendar_date(2025, Month::try_from(m as u8 + 1).unwrap(), 3).unwrap();
                for _ in 0..*n {
                    stories.push(story(d, g, Some(0), &[]));
                }
            }
        }
        for _ in 0..3 {
            stories.push(story(date!(2025 - 01 - 20), 2, Some(0), &[]));
        }
        let input = Input {
            groups: vec!["youth".into(), "parent".into(), "other".into()],
            regions: vec!["JZ01".into(), "JZ02".into()],
            stories,
            ..Input::default()
        };
        let d = compute(&input, &Settings::default());
        assert_eq!(d.groups, ["youth", "parent"]);
        assert_eq!(d.hidden_groups, ["other"]);
        assert_eq!(d.stories, 47, "the left-out group is not counted in any total");
        let feb = &d.over_time.cells[1];
        assert_eq!(feb[0], Count { count: None, hidden: Some(Hidden::Small) });
        // Youths' February is the only hidden cell in its row and column otherwise: more must go.
        let hidden = d.over_time.cells.iter().flatten().filter(|c| c.count.is_none()).count();
        assert!(hidden >= 4, "secondary suppression: {:?}", d.over_time.cells);
        // No hidden count anywhere is below k and visible.
        for c in d.over_time.cells.iter().flatten() {
            if let Some(n) = c.count {
                assert!(n == 0 || n >= 5, "{n}");
            }
        }
    }

    #[test]
    fn a_theme_count_under_a_hidden_cell_is_hidden_and_never_tested() {
        let mut stories = Vec::new();
        for (m, (n, with)) in [(30, 10), (3, 3), (30, 20)].into_iter().enumerate() {
            let d = Date::from_calendar_date(2025, Month::try_from(m as u8 + 1).unwrap(), 3).unwrap();
            for i in 0..n {
                stories.push(story(d, 0, None, if i < with { &[0] } else { &[] }));
            }
            for _ in 0..30 {
                stories.push(story(d, 1, None, &[]));
            }
        }
        let input = Input {
            groups: vec!["youth".into(), "parent".into()],
            themes: vec!["school".into()],
            stories,
            ..Input::default()
        };
        let d = compute(&input, &Settings::default());
        let feb = &d.themes[0].cells[1][0];
        assert_eq!((feb.count.count, feb.of, feb.share), (None, None, None));
        assert!(d.themes[0].changes.iter().all(|c| !(c.group == 0 && (c.bin == 1 || c.bin == 2))));
        assert!(d.themes[0].untested >= 2);
    }

    #[test]
    fn every_small_cell_of_a_long_table_keeps_a_range_of_at_least_k() {
        // 24 months × 4 groups with many small counts, from a fixed pseudo-random sequence.
        let mut x: u64 = 7;
        let table: Vec<Vec<u64>> = (0..24)
            .map(|_| {
                (0..4)
                    .map(|j| {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        let r = (x >> 33) % 12;
                        if j == 3 { r % 4 } else { r * (j as u64 + 1) }
                    })
                    .collect()
            })
            .collect();
        let marks = protect_table(&table, 5);
        let hidden: Vec<Vec<bool>> = marks.iter().map(|r| r.iter().map(Option::is_some).collect()).collect();
        let ranges = bounds(&table, &hidden);
        let mut small = 0;
        for i in 0..24 {
            for j in 0..4 {
                if table[i][j] > 0 && table[i][j] < 5 {
                    small += 1;
                    assert!(marks[i][j] == Some(Hidden::Small));
                    let (lo, hi) = ranges[i][j].unwrap();
                    assert!(hi - lo >= 5, "cell ({i},{j}) = {} has range {lo}..{hi}", table[i][j]);
                }
            }
        }
        assert!(small > 10, "the table has small cells to protect");
    }

    #[test]
    fn theme_columns_are_protected_against_their_own_totals() {
        // Youths 5, 12, 22 (nothing small); parents 0, 2, 0 (a total of 2: hidden whole);
        // professionals 9, 3, 7: the 3 alone would be 19 − 9 − 7, so the 7 goes too.
        let t = vec![vec![5, 0, 9], vec![12, 2, 3], vec![22, 0, 7]];
        let m = protect_columns(&t, 5, &[]);
        assert!((0..3).all(|i| m[i][0].is_none()), "{m:?}");
        assert!((0..3).all(|i| m[i][1] == Some(Hidden::Small)));
        assert_eq!((m[0][2], m[1][2], m[2][2]), (None, Some(Hidden::Small), Some(Hidden::Secondary)));
        // A forced cell (its period × group count is hidden) counts as hidden.
        let forced = vec![vec![false; 3], vec![true, false, false], vec![false; 3]];
        let m = protect_columns(&t, 5, &forced);
        assert_eq!((m[0][0], m[1][0]), (Some(Hidden::Secondary), Some(Hidden::Small)));
    }

    #[test]
    fn small_regions_are_pooled_into_one_row_of_at_least_k() {
        let mut stories = Vec::new();
        for (r, n) in [(Some(0), 20), (Some(1), 3), (Some(2), 12), (None, 1)] {
            for _ in 0..n {
                stories.push(story(date!(2025 - 01 - 03), 0, r, &[]));
            }
        }
        let input = Input {
            groups: vec!["youth".into()],
            regions: vec!["JZ01".into(), "JZ02".into(), "JZ03".into()],
            stories,
            ..Input::default()
        };
        let d = compute(&input, &Settings::default());
        // JZ02 (3) and unknown (1) pool to 4 < 5, so the smallest region (JZ03, 12) joins.
        assert_eq!(d.regions.rows, ["JZ01", "Overige en onbekende regio's"]);
        assert_eq!(d.regions.row_totals, [20, 16]);
    }

    #[test]
    fn a_pool_of_small_campaigns_is_never_itself_small() {
        let t = pooled_table(
            vec![("a".into(), vec![10, 10]), ("b".into(), vec![1, 1]), ("c".into(), vec![6, 0])],
            vec![],
            vec!["youth".into(), "parent".into()],
            5,
            "other",
        );
        assert_eq!(t.rows, ["a", "other"]);
        assert_eq!(t.row_totals, [20, 8]);
        assert_eq!(t.total, 28);
    }
}
