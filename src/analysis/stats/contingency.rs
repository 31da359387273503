//! Does a theme occur equally often in every group? A map's theme × perspective counts form a
//! contingency table (usually 2 × k: stories with and without the theme, per perspective), and
//! the question is whether rows and columns are independent. The chi-square test answers it
//! for tables with enough stories; its adjusted residuals say which cells drive a difference
//! (|r| > 2 is the usual flag); Cramér's V says how strong the association is; and Fisher's
//! exact test takes over when expected counts are small, as they are in a first campaign.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{Discrete, Hypergeometric};
use statrs::function::factorial::ln_binomial;

use super::{Result, StatsError, chi_squared_sf};

/// Pearson's chi-square test of independence on a table of counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChiSquare {
    /// Σ (observed − expected)² / expected.
    pub statistic: f64,
    /// (rows − 1)(columns − 1).
    pub df: u64,
    pub p: f64,
    /// Total count.
    pub n: u64,
    /// Expected counts under independence: row total × column total / n.
    pub expected: Vec<Vec<f64>>,
    /// Adjusted standardised residuals (Haberman 1973), per cell:
    /// (o − e) / sqrt(e (1 − row_i/n)(1 − col_j/n)). Approximately standard normal under
    /// independence, so |r| > 1.96 marks a cell that differs at about the 5% level (before
    /// correcting for the number of cells looked at).
    pub adjusted_residuals: Vec<Vec<f64>>,
    /// Cramér's V = sqrt(χ² / (n · (min(rows, columns) − 1))), without bias correction
    /// (scipy's `association(method="cramer")`): 0 is no association, 1 complete; for a 2 × k
    /// table it equals |φ|.
    pub cramers_v: f64,
    /// Whether the expected counts are large enough for the chi-square approximation.
    pub expected_check: ExpectedCheck,
}

/// How small the expected counts of a table are.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpectedCheck {
    /// The smallest expected count.
    pub min: f64,
    /// Cells with an expected count below 5, and below 1.
    pub below_five: usize,
    pub below_one: usize,
    pub cells: usize,
    /// Cochran's rule (1954), the one textbooks and SPSS use: the chi-square approximation is
    /// doubtful when any expected count is below 1 or more than 20% are below 5. "Any below 5"
    /// would reject most 2 × 4 tables of a small campaign that the approximation handles well.
    /// When this is true, use [`fisher_exact`] (for 2 × k tables).
    pub too_small: bool,
}

/// Applies Cochran's rule (see [`ExpectedCheck::too_small`]) to a table of expected counts.
pub fn check_expected(expected: &[Vec<f64>]) -> ExpectedCheck {
    let cells: Vec<f64> = expected.iter().flatten().copied().collect();
    let below_five = cells.iter().filter(|&&e| e < 5.0).count();
    let below_one = cells.iter().filter(|&&e| e < 1.0).count();
    let min = cells.iter().copied().fold(f64::INFINITY, f64::min);
    ExpectedCheck {
        min,
        below_five,
        below_one,
        cells: cells.len(),
        too_small: below_one > 0 || 5 * below_five > cells.len(),
    }
}

/// The chi-square test of independence, as scipy's `chi2_contingency(table, correction=False)`.
///
/// No continuity correction for any shape, 2 × 2 included: Yates' correction makes the 2 × 2
/// test conservative, and the maps compare 2 × 2 and 2 × k tables side by side, which should
/// mean the same thing; when counts are small use [`fisher_exact`] instead.
///
/// Errors: fewer than two rows or columns (`TooFew`), rows of different lengths (`Invalid`), an
/// empty row or column (`Degenerate`: its expected counts are 0; leave it out first, e.g. with
/// [`drop_empty`], and say so).
pub fn chi_square<R: AsRef<[u64]>>(table: &[R]) -> Result<ChiSquare> {
    let t = Table::new(table)?;
    if t.rows < 2 || t.cols < 2 {
        return Err(StatsError::TooFew { needed: 2, got: t.rows.min(t.cols) });
    }
    if t.row_sums.contains(&0) || t.col_sums.contains(&0) {
        return Err(StatsError::Degenerate("a row or column of the table is empty"));
    }
    let n = t.n as f64;
    let mut statistic = 0.0;
    let mut expected = vec![vec![0.0; t.cols]; t.rows];
    let mut residuals = vec![vec![0.0; t.cols]; t.rows];
    for i in 0..t.rows {
        let ri = t.row_sums[i] as f64;
        for j in 0..t.cols {
            let cj = t.col_sums[j] as f64;
            let e = ri * cj / n;
            let o = t.cell(i, j) as f64;
            statistic += (o - e) * (o - e) / e;
            expected[i][j] = e;
            residuals[i][j] = (o - e) / (e * (1.0 - ri / n) * (1.0 - cj / n)).sqrt();
        }
    }
    let df = ((t.rows - 1) * (t.cols - 1)) as u64;
    let k = (t.rows.min(t.cols) - 1) as f64;
    Ok(ChiSquare {
        statistic,
        df,
        p: chi_squared_sf(statistic, df as f64),
        n: t.n,
        expected_check: check_expected(&expected),
        expected,
        adjusted_residuals: residuals,
        cramers_v: (statistic / n / k).sqrt(),
    })
}

/// A table without its empty rows and columns, and which of the original ones were kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reduced {
    pub table: Vec<Vec<u64>>,
    pub rows: Vec<usize>,
    pub columns: Vec<usize>,
}

/// Leaves out the rows and columns whose counts are all 0 (a perspective with no stories in
/// this story set), so the rest can be tested. Rows must have equal lengths.
pub fn drop_empty<R: AsRef<[u64]>>(table: &[R]) -> Result<Reduced> {
    let t = Table::new(table)?;
    let rows: Vec<usize> = (0..t.rows).filter(|&i| t.row_sums[i] > 0).collect();
    let columns: Vec<usize> = (0..t.cols).filter(|&j| t.col_sums[j] > 0).collect();
    let table = rows.iter().map(|&i| columns.iter().map(|&j| t.cell(i, j)).collect()).collect();
    Ok(Reduced { table, rows, columns })
}

/// Settings for [`fisher_exact`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FisherOptions {
    /// Enumerate every table with the observed margins when there are at most this many;
    /// otherwise estimate the p-value by Monte Carlo.
    pub max_tables: u64,
    /// Random tables drawn for the Monte Carlo estimate.
    pub samples: u64,
    /// Seed of the Monte Carlo estimate (ChaCha8), so the same data give the same p.
    pub seed: u64,
}

impl Default for FisherOptions {
    /// Ten million tables take about 0.15 s to enumerate (release build, one core); 100,000
    /// Monte Carlo samples give a p near 0.05 to about ±0.0007 (one standard error) in about
    /// as long.
    fn default() -> Self {
        FisherOptions { max_tables: 10_000_000, samples: 100_000, seed: 0 }
    }
}

/// How a Fisher p-value was obtained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FisherMethod {
    /// Every table with the observed margins was enumerated; the p-value is exact.
    Exact { tables: u64 },
    /// Too many tables (`tables`, an estimate when huge): `samples` random tables with the
    /// observed margins were drawn with `seed`, and p = (hits + 1) / (samples + 1), which counts
    /// the observed table as one of the draws (as R's `simulate.p.value`) so it is never 0.
    MonteCarlo { tables: f64, samples: u64, seed: u64 },
}

/// Fisher's exact test (Freeman–Halton extension) on a 2 × k or k × 2 table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FisherExact {
    /// The sum of the probabilities of all tables with the observed margins that are at most as
    /// probable as the observed one.
    pub p: f64,
    /// The probability of the observed table itself (multivariate hypergeometric).
    pub p_observed: f64,
    pub method: FisherMethod,
}

/// Relative tolerance when comparing a table's probability with the observed one, as R's
/// `fisher.test` (`relErr <- 1 + 10^(-7)`) and scipy: tables that are mathematically equally
/// probable (mirror images) must count although rounding makes them differ in the last digits.
const REL_ERR: f64 = 1e-7;

/// Fisher's exact test of independence for a 2 × k (or k × 2) table, two-sided in the
/// Freeman–Halton sense: p is the probability, with both margins fixed, of a table at most as
/// probable as the observed one (probabilities within a relative 1e-7 count as equal). For a
/// 2 × 2 table this is scipy's `fisher_exact(table).pvalue` and R's `fisher.test`.
///
/// The tables with the observed margins are enumerated when there are at most
/// `options.max_tables` of them (their number is counted first, cheaply); otherwise p is a
/// seeded Monte Carlo estimate. The result says which was used. Tables with one row or column
/// of counts, or with all counts in one row, have only one arrangement: p = 1. Empty columns
/// are harmless. Tables with more than two rows and columns are `Invalid`.
pub fn fisher_exact<R: AsRef<[u64]>>(table: &[R], options: &FisherOptions) -> Result<FisherExact> {
    let t = Table::new(table)?;
    // Work on the two rows as (first row, column sums); a k × 2 table is read transposed.
    let (first, cols): (Vec<u64>, Vec<u64>) = if t.rows == 2 {
        ((0..t.cols).map(|j| t.cell(0, j)).collect(), t.col_sums.clone())
    } else if t.cols == 2 {
        ((0..t.rows).map(|i| t.cell(i, 0)).collect(), t.row_sums.clone())
    } else {
        return Err(StatsError::Invalid("Fisher's exact test here takes a 2 × k or k × 2 table"));
    };
    // Empty columns leave no freedom: drop them.
    let (first, cols): (Vec<u64>, Vec<u64>) = first.into_iter().zip(cols).filter(|&(_, c)| c > 0).unzip();
    let r1: u64 = first.iter().sum();
    if cols.len() < 2 || r1 == 0 || r1 == t.n {
        return Ok(FisherExact { p: 1.0, p_observed: 1.0, method: FisherMethod::Exact { tables: 1 } });
    }
    let ln_total = ln_binomial(t.n, r1);
    // ln C(c_j, x) for every column and every possible x: Σ c_j = n values.
    let ln_choose: Vec<Vec<f64>> =
        cols.iter().map(|&c| (0..=c).map(|x| ln_binomial(c, x)).collect()).collect();
    let ln_observed: f64 =
        first.iter().zip(&ln_choose).map(|(&x, lc)| lc[x as usize]).sum::<f64>() - ln_total;
    let threshold = ln_observed + REL_ERR.ln_1p();
    let tables = count_tables(&cols, r1);
    let p_observed = ln_observed.exp();

    if tables <= options.max_tables as f64 {
        let mut walk = Walk {
            cols: &cols,
            suffix: suffix_sums(&cols),
            ln_choose: &ln_choose,
            ln_total,
            threshold,
            p: 0.0,
        };
        walk.column(0, r1, 0.0);
        return Ok(FisherExact {
            p: walk.p.min(1.0),
            p_observed,
            method: FisherMethod::Exact { tables: tables as u64 },
        });
    }

    if options.samples == 0 {
        return Err(StatsError::Invalid("a Monte Carlo estimate needs at least one sample"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let last = cols.len() - 1;
    let mut hits = 0u64;
    for _ in 0..options.samples {
        // Draw the first row column by column: given the columns so far, the next count is
        // hypergeometric (draws = what the row still needs, from the stories not yet placed).
        let (mut remaining, mut population, mut ln_p) = (r1, t.n, -ln_total);
        for j in 0..last {
            let x = sample_hypergeometric(&mut rng, population, cols[j], remaining);
            ln_p += ln_choose[j][x as usize];
            remaining -= x;
            population -= cols[j];
        }
        ln_p += ln_choose[last][remaining as usize];
        hits += (ln_p <= threshold) as u64;
    }
    Ok(FisherExact {
        p: (hits + 1) as f64 / (options.samples + 1) as f64,
        p_observed,
        method: FisherMethod::MonteCarlo { tables, samples: options.samples, seed: options.seed },
    })
}

/// The number of 2 × k tables with column sums `cols` and first-row sum `r1`: the number of
/// vectors 0 ≤ x_j ≤ c_j with Σ x_j = r1, by dynamic programming over the columns (with prefix
/// sums, O(k · r1)). In f64, because it can be astronomically large; only its size matters.
fn count_tables(cols: &[u64], r1: u64) -> f64 {
    let r1 = r1 as usize;
    let mut ways = vec![0.0f64; r1 + 1];
    ways[0] = 1.0;
    let mut prefix = vec![0.0f64; r1 + 2];
    for &c in cols {
        for s in 0..=r1 {
            prefix[s + 1] = prefix[s] + ways[s];
        }
        for s in 0..=r1 {
            // Σ_{x = 0}^{min(c, s)} ways[s − x] = prefix[s + 1] − prefix[s − min(c, s)]
            let lo = s - s.min(c as usize);
            ways[s] = prefix[s + 1] - prefix[lo];
        }
    }
    ways[r1]
}

fn suffix_sums(cols: &[u64]) -> Vec<u64> {
    let mut suffix = vec![0; cols.len() + 1];
    for j in (0..cols.len()).rev() {
        suffix[j] = suffix[j + 1] + cols[j];
    }
    suffix
}

/// Depth-first enumeration of the first rows with the observed margins; the last column's count
/// is what remains, so each leaf costs O(1).
struct Walk<'a> {
    cols: &'a [u64],
    suffix: Vec<u64>,
    ln_choose: &'a [Vec<f64>],
    ln_total: f64,
    threshold: f64,
    p: f64,
}

impl Walk<'_> {
    fn column(&mut self, j: usize, remaining: u64, ln_acc: f64) {
        let last = self.cols.len() - 1;
        if j == last {
            let ln_p = ln_acc + self.ln_choose[last][remaining as usize] - self.ln_total;
            if ln_p <= self.threshold {
                self.p += ln_p.exp();
            }
            return;
        }
        // The later columns can hold at most suffix[j + 1], so this one needs at least the rest.
        let lo = remaining.saturating_sub(self.suffix[j + 1]);
        let hi = self.cols[j].min(remaining);
        for x in lo..=hi {
            self.column(j + 1, remaining - x, ln_acc + self.ln_choose[j][x as usize]);
        }
    }
}

/// One draw from the hypergeometric distribution (successes among `draws` taken without
/// replacement from `population` items of which `successes` are successes), by inversion
/// searching outwards from the mode, alternately down and up: about one standard deviation of
/// steps per draw, where statrs' sampler takes `draws` steps (and needs another rand version).
fn sample_hypergeometric(rng: &mut impl Rng, population: u64, successes: u64, draws: u64) -> u64 {
    let lo = (draws + successes).saturating_sub(population);
    let hi = successes.min(draws);
    if lo == hi {
        return lo;
    }
    let (nn, kk, dd) = (population as f64, successes as f64, draws as f64);
    let mode = (((dd + 1.0) * (kk + 1.0) / (nn + 2.0)).floor() as u64).clamp(lo, hi);
    let dist = Hypergeometric::new(population, successes, draws).expect("parameters within range");
    let p_mode = dist.ln_pmf(mode).exp();
    let mut u: f64 = rng.random::<f64>() - p_mode;
    if u <= 0.0 {
        return mode;
    }
    let (mut down, mut up) = (mode, mode);
    let (mut p_down, mut p_up) = (p_mode, p_mode);
    while down > lo || up < hi {
        if down > lo {
            // f(x − 1) / f(x) = x (N − K − n + x) / ((K − x + 1)(n − x + 1))
            let x = down as f64;
            p_down *= x * (nn - kk - dd + x) / ((kk - x + 1.0) * (dd - x + 1.0));
            down -= 1;
            u -= p_down;
            if u <= 0.0 {
                return down;
            }
        }
        if up < hi {
            // f(x + 1) / f(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1))
            let x = up as f64;
            p_up *= (kk - x) * (dd - x) / ((x + 1.0) * (nn - kk - dd + x + 1.0));
            up += 1;
            u -= p_up;
            if u <= 0.0 {
                return up;
            }
        }
    }
    // Only rounding (u left over after the whole support, ~1e-15): the mode is the best guess.
    mode
}

/// A validated rectangular table of counts with its margins.
struct Table {
    rows: usize,
    cols: usize,
    cells: Vec<u64>,
    row_sums: Vec<u64>,
    col_sums: Vec<u64>,
    n: u64,
}

impl Table {
    fn new<R: AsRef<[u64]>>(table: &[R]) -> Result<Table> {
        let rows = table.len();
        let cols = table.first().map_or(0, |r| r.as_ref().len());
        if rows == 0 || cols == 0 {
            return Err(StatsError::TooFew { needed: 1, got: 0 });
        }
        if table.iter().any(|r| r.as_ref().len() != cols) {
            return Err(StatsError::Invalid("the rows of the table have different lengths"));
        }
        let cells: Vec<u64> = table.iter().flat_map(|r| r.as_ref().iter().copied()).collect();
        let row_sums: Vec<u64> = table.iter().map(|r| r.as_ref().iter().sum()).collect();
        let col_sums: Vec<u64> = (0..cols).map(|j| table.iter().map(|r| r.as_ref()[j]).sum()).collect();
        let n = row_sums.iter().sum();
        Ok(Table { rows, cols, cells, row_sums, col_sums, n })
    }

    fn cell(&self, i: usize, j: usize) -> u64 {
        self.cells[i * self.cols + j]
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, PROB, STAT, assert_all_close, assert_close};
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/data/stats/contingency.json");

    #[test]
    fn chi_square_matches_scipy_chi2_contingency_without_correction() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "chi_square") {
            let table = fixture::int_rows(&case["table"]);
            let got = chi_square(&table).unwrap();
            assert_close(got.statistic, fixture::num(&case["statistic"]), STAT, &format!("{name} statistic"));
            assert_eq!(got.df, fixture::int(&case["df"]), "{name} df");
            assert_close(got.p, fixture::num(&case["p"]), PROB, &format!("{name} p"));
            assert_close(got.cramers_v, fixture::num(&case["cramers_v"]), STAT, &format!("{name} V"));
            for (i, (e, r)) in fixture::rows(&case["expected"])
                .iter()
                .zip(fixture::rows(&case["adjusted_residuals"]))
                .enumerate()
            {
                assert_all_close(&got.expected[i], e, STAT, &format!("{name} expected row {i}"));
                assert_all_close(&got.adjusted_residuals[i], &r, STAT, &format!("{name} residuals row {i}"));
            }
        }
    }

    /// Hand check: [[10, 0], [0, 10]] has all expected counts 5, χ² = 4 · 25/5 = 20, V = 1, and
    /// every adjusted residual ±5 / sqrt(5 · 1/2 · 1/2) = ±sqrt(20).
    #[test]
    fn a_perfect_association_has_cramers_v_of_one() {
        let got = chi_square(&[[10, 0], [0, 10]]).unwrap();
        assert!((got.statistic - 20.0).abs() < 1e-12);
        assert!((got.cramers_v - 1.0).abs() < 1e-12);
        assert!((got.adjusted_residuals[0][0] - 20f64.sqrt()).abs() < 1e-12);
        assert!((got.adjusted_residuals[0][1] + 20f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn proportional_rows_give_a_statistic_of_zero_and_p_of_one() {
        let got = chi_square(&[[10, 20, 30], [1, 2, 3]]).unwrap();
        assert!(got.statistic.abs() < 1e-12 && (got.p - 1.0).abs() < 1e-12 && got.cramers_v < 1e-6);
    }

    #[test]
    fn an_empty_group_is_degenerate_until_it_is_dropped() {
        let table = [[12u64, 0, 7], [40, 0, 20]];
        assert!(matches!(chi_square(&table), Err(StatsError::Degenerate(_))));
        let reduced = drop_empty(&table).unwrap();
        assert_eq!(reduced.table, [[12, 7], [40, 20]]);
        assert_eq!(reduced.columns, [0, 2]);
        assert_eq!(reduced.rows, [0, 1]);
        assert!(chi_square(&reduced.table).is_ok());
    }

    #[test]
    fn tables_of_the_wrong_shape_are_errors() {
        assert!(matches!(chi_square(&[[1u64, 2, 3]]), Err(StatsError::TooFew { .. })));
        assert!(matches!(chi_square(&[vec![1u64, 2], vec![3]]), Err(StatsError::Invalid(_))));
        let empty: [[u64; 2]; 0] = [];
        assert!(chi_square(&empty).is_err());
        assert!(matches!(
            fisher_exact(&[[1u64, 2, 3], [1, 2, 3], [1, 2, 3]], &FisherOptions::default()),
            Err(StatsError::Invalid(_))
        ));
    }

    #[test]
    fn cochrans_rule_flags_tables_with_small_expected_counts() {
        // 2 × 4 with 1 of 8 cells (12.5%) below 5 (expected 3.87) and none below 1: fine.
        let got = chi_square(&[[12, 30, 7, 2], [40, 25, 20, 9]]).unwrap();
        assert_eq!((got.expected_check.below_five, got.expected_check.below_one), (1, 0));
        assert!(!got.expected_check.too_small);
        // 2 of 8 (25%) below 5 (expected 1.83 and 3.17): too small.
        let got = chi_square(&[[12, 30, 7, 2], [40, 25, 20, 3]]).unwrap();
        assert_eq!((got.expected_check.below_five, got.expected_check.cells), (2, 8));
        assert!(got.expected_check.too_small);
        let check = check_expected(&[vec![6.0, 7.0, 8.0, 4.0], vec![6.0, 7.0, 8.0, 9.0]]);
        assert!(!check.too_small && check.min == 4.0);
        // Any cell below 1 is too small.
        assert!(check_expected(&[vec![0.9, 50.0, 50.0, 50.0, 50.0, 50.0]]).too_small);
    }

    #[test]
    fn fisher_matches_exact_enumeration_and_scipy() {
        let fx = fixture::parse(FIXTURE);
        for (name, case) in fixture::cases(&fx, "fisher") {
            let table = fixture::int_rows(&case["table"]);
            let got = fisher_exact(&table, &FisherOptions::default()).unwrap();
            assert_close(got.p, fixture::num(&case["p"]), PROB, &format!("{name} p"));
            assert_close(
                got.p_observed,
                fixture::num(&case["p_observed"]),
                PROB,
                &format!("{name} p_observed"),
            );
            if !case["scipy_p"].is_null() {
                assert_close(got.p, fixture::num(&case["scipy_p"]), PROB, &format!("{name} scipy p"));
            }
            assert_eq!(got.method, FisherMethod::Exact { tables: fixture::int(&case["tables"]) }, "{name}");
            // The same test on the transposed (k × 2) table.
            let transposed: Vec<Vec<u64>> =
                (0..table[0].len()).map(|j| vec![table[0][j], table[1][j]]).collect();
            let again = fisher_exact(&transposed, &FisherOptions::default()).unwrap();
            assert_close(again.p, got.p, 1e-12, &format!("{name} transposed"));
            assert_eq!(again.method, got.method, "{name} transposed");
        }
    }

    #[test]
    fn fisher_falls_back_to_a_seeded_monte_carlo_estimate_close_to_the_exact_p() {
        let fx = fixture::parse(FIXTURE);
        let case = fixture::cases(&fx, "fisher").into_iter().find(|(n, _)| n == "2x4 moderate n").unwrap().1;
        let table = fixture::int_rows(&case["table"]);
        let exact = fixture::num(&case["p"]);
        let options = FisherOptions { max_tables: 100, samples: 200_000, seed: 7 };
        let got = fisher_exact(&table, &options).unwrap();
        assert!(matches!(got.method, FisherMethod::MonteCarlo { samples: 200_000, seed: 7, .. }));
        // Four standard errors of a binomial proportion.
        let se = (exact * (1.0 - exact) / 200_000.0).sqrt();
        assert!((got.p - exact).abs() < 4.0 * se, "estimate {} against exact {exact}", got.p);
        assert_eq!(fisher_exact(&table, &options).unwrap(), got, "same seed, same estimate");
        // p_observed is exact either way.
        assert_close(got.p_observed, fixture::num(&case["p_observed"]), PROB, "p_observed");
    }

    #[test]
    fn fisher_counts_the_tables_it_would_enumerate() {
        // Columns (2, 3, 4), first row 4: x1 + x2 + x3 = 4 with x_j ≤ c_j, by hand 11 ways.
        assert_eq!(count_tables(&[2, 3, 4], 4), 11.0);
        assert_eq!(count_tables(&[5, 5], 5), 6.0);
        // Huge tables are counted without enumerating them.
        assert!(count_tables(&[250_000; 4], 500_000) > 1e15);
    }

    #[test]
    fn fisher_on_a_table_with_one_arrangement_is_one() {
        for table in
            [vec![vec![0u64, 0, 0], vec![3, 4, 5]], vec![vec![3], vec![4]], vec![vec![0, 3], vec![0, 4]]]
        {
            let got = fisher_exact(&table, &FisherOptions::default()).unwrap();
            assert_eq!((got.p, got.method), (1.0, FisherMethod::Exact { tables: 1 }), "{table:?}");
        }
    }

    #[test]
    fn an_empty_column_does_not_change_fisher() {
        let with = fisher_exact(&[[2u64, 7, 0, 1], [5, 1, 0, 3]], &FisherOptions::default()).unwrap();
        let without = fisher_exact(&[[2u64, 7, 1], [5, 1, 3]], &FisherOptions::default()).unwrap();
        assert_eq!(with, without);
    }

    #[test]
    fn hypergeometric_draws_have_the_right_mean_and_stay_in_the_support() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (population, successes, draws) = (1000u64, 300u64, 100u64);
        let n = 20_000;
        let xs: Vec<u64> =
            (0..n).map(|_| sample_hypergeometric(&mut rng, population, successes, draws)).collect();
        let mean = xs.iter().sum::<u64>() as f64 / n as f64;
        // Mean 30, variance 100 · 0.3 · 0.7 · 900/999 = 18.9: the mean of 20,000 has se 0.031.
        assert!((mean - 30.0).abs() < 0.15, "{mean}");
        assert!(xs.iter().all(|&x| x <= 100));
        // A support of one value.
        assert_eq!(sample_hypergeometric(&mut rng, 10, 10, 4), 4);
        assert_eq!(sample_hypergeometric(&mut rng, 10, 0, 4), 0);
    }
}
