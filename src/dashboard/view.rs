//! Filters and the page's view of the dashboard. A filter only selects rows and columns of the
//! figures a campaign's dashboard has already computed (with its disclosure control), so no
//! two filtered views can be subtracted to expose a hidden count.

use serde::Deserialize;
use time::Date;

use crate::analysis::dashboard::{Count, Dashboard, Hidden, Table};
use crate::charts::timeline::{Point, Series, Timeline, timeline};
use crate::domain::{Lang, Perspective};

/// The dashboard's URL parameters (coarse fields only).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Filter {
    /// Campaign slug; empty: the summary across campaigns and the largest campaign.
    #[serde(default)]
    pub campaign: String,
    /// `month` (default) or `week`.
    #[serde(default)]
    pub period: String,
    /// First and last month shown, `YYYY-MM`.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// A perspective key (`youth`, `parent`, `professional`, `other`).
    #[serde(default)]
    pub group: String,
    /// A youth-care region code (`JZ01`).
    #[serde(default)]
    pub region: String,
}

fn month_start(s: &str) -> Option<Date> {
    let (y, m) = s.trim().split_once('-')?;
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, 1).ok()
}

impl Filter {
    /// What is wrong with the filter, in the page's language; `None` when it is fine.
    pub fn problem(&self, lang: Lang) -> Option<String> {
        let nl = lang == Lang::Nl;
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if !v.trim().is_empty() && month_start(v).is_none() {
                return Some(if nl {
                    format!("'{v}' is geen maand: schrijf jjjj-mm, bijvoorbeeld 2025-03 ({name}).")
                } else {
                    format!("'{v}' is not a month: write yyyy-mm, for example 2025-03 ({name}).")
                });
            }
        }
        if !self.group.is_empty() && Perspective::parse(&self.group).is_none() {
            return Some(if nl {
                format!("Onbekende groep '{}': kies jongeren, ouders, professionals of anderen.", self.group)
            } else {
                format!(
                    "Unknown group '{}': choose young people, parents, professionals or others.",
                    self.group
                )
            });
        }
        if !self.region.is_empty() && crate::domain::region::region(&self.region).is_none() {
            return Some(if nl {
                format!("Onbekende jeugdregio '{}': kies een regio uit de lijst.", self.region)
            } else {
                format!("Unknown youth-care region '{}': choose one from the list.", self.region)
            });
        }
        None
    }
}

/// The rows and columns of `d` that `f` selects (the figures themselves are untouched).
pub fn select(d: &Dashboard, f: &Filter, lang: Lang) -> Dashboard {
    let from = month_start(&f.from);
    let to = month_start(&f.to);
    let bins: Vec<usize> = (0..d.bins.len())
        .filter(|&b| from.is_none_or(|x| d.bins[b].end > x) && to.is_none_or(|x| d.bins[b].start <= x))
        .collect();
    let group = Perspective::parse(&f.group).map(|p| super::group_label(p, lang));
    let cols: Vec<usize> =
        (0..d.groups.len()).filter(|&g| group.as_ref().is_none_or(|l| &d.groups[g] == l)).collect();
    let region_rows: Vec<usize> = match crate::domain::region::region(&f.region) {
        None => (0..d.regions.rows.len()).collect(),
        Some(place) => {
            let own = d.regions.rows.iter().position(|r| *r == place.name);
            // A region with few stories is in the pooled last row.
            vec![own.unwrap_or(d.regions.rows.len().saturating_sub(1))]
        }
    };
    let pick_table = |t: &Table, rows: &[usize], cols: &[usize]| Table {
        rows: rows.iter().map(|&r| t.rows[r].clone()).collect(),
        columns: cols.iter().map(|&c| t.columns[c].clone()).collect(),
        cells: rows.iter().map(|&r| cols.iter().map(|&c| t.cells[r][c]).collect()).collect(),
        row_totals: rows.iter().map(|&r| t.row_totals[r]).collect(),
        column_totals: cols.iter().map(|&c| t.column_totals[c]).collect(),
        total: t.total,
    };
    let mut out = d.clone();
    out.bins = bins.iter().map(|&b| d.bins[b].clone()).collect();
    out.groups = cols.iter().map(|&g| d.groups[g].clone()).collect();
    out.over_time = pick_table(&d.over_time, &bins, &cols);
    out.regions = if d.regions.rows.is_empty() {
        d.regions.clone()
    } else {
        pick_table(&d.regions, &region_rows, &cols)
    };
    for (t, trend) in out.themes.iter_mut().enumerate() {
        let src = &d.themes[t];
        trend.totals = cols.iter().map(|&g| src.totals[g].clone()).collect();
        trend.cells = bins.iter().map(|&b| cols.iter().map(|&g| src.cells[b][g].clone()).collect()).collect();
        trend.changes = src
            .changes
            .iter()
            .filter_map(|c| {
                let b = bins.iter().position(|&x| x == c.bin)?;
                let g = cols.iter().position(|&x| x == c.group)?;
                Some(crate::analysis::dashboard::Change { bin: b, group: g, ..c.clone() })
            })
            .collect();
    }
    out
}

pub fn count_text(c: &Count, k: u64) -> String {
    match (c.count, c.hidden) {
        (Some(n), _) => n.to_string(),
        (None, Some(Hidden::Secondary)) => "×".into(),
        (None, _) => format!("<{k}"),
    }
}

pub struct RowView {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

pub struct TableView {
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub column_totals: Vec<String>,
    pub total: String,
}

pub fn table_view(t: &Table, k: u64) -> TableView {
    TableView {
        columns: t.columns.clone(),
        rows: t
            .rows
            .iter()
            .enumerate()
            .map(|(i, label)| RowView {
                label: label.clone(),
                cells: t.cells[i].iter().map(|c| count_text(c, k)).collect(),
                total: t.row_totals[i].to_string(),
            })
            .collect(),
        column_totals: t.column_totals.iter().map(u64::to_string).collect(),
        total: t.total.to_string(),
    }
}

pub struct ChangeView {
    pub sentence: String,
    pub difference: String,
    pub interval: String,
    pub q: String,
    pub p: String,
    pub method: &'static str,
    pub likely_real: bool,
}

pub struct ThemeView {
    pub name: String,
    pub total: String,
    /// Empty when every share is hidden (a chart of nothing helps no one).
    pub chart: String,
    /// Per group over the whole period.
    pub overall: Vec<String>,
    pub table: TableView,
    /// Likely changes first, then the others.
    pub changes: Vec<ChangeView>,
    pub untested: usize,
}

fn share_text(s: &crate::analysis::dashboard::Share, k: u64) -> String {
    match (s.count.count, s.of, s.share) {
        (Some(c), Some(n), Some(share)) => format!("{:.0}% ({c}/{n})", share * 100.0),
        (Some(c), _, _) => c.to_string(),
        _ => count_text(&s.count, k),
    }
}

fn pp(x: f64) -> String {
    format!("{:+.0}", x * 100.0)
}

/// The stories-over-time chart.
pub fn over_time_chart(d: &Dashboard, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    timeline(&Timeline {
        id: "over-time".into(),
        title: if nl {
            "Verhalen per periode en groep".into()
        } else {
            "Stories per period and group".into()
        },
        description: if nl {
            "Aantal verhalen per periode, één lijn per groep; een onderbroken lijn is een verborgen klein aantal.".into()
        } else {
            "Stories per period, one line per group; a broken line is a hidden small count.".into()
        },
        periods: d.bins.iter().map(|b| b.label.clone()).collect(),
        series: d
            .groups
            .iter()
            .enumerate()
            .map(|(g, label)| Series {
                label: label.clone(),
                points: d
                    .over_time
                    .cells
                    .iter()
                    .map(|row| Point { value: row[g].count.map(|n| n as f64), interval: None, marked: false })
                    .collect(),
            })
            .collect(),
        shares: false,
    })
}

pub fn theme_views(d: &Dashboard, lang: Lang) -> Vec<ThemeView> {
    let nl = lang == Lang::Nl;
    d.themes
        .iter()
        .enumerate()
        .map(|(t, trend)| {
            let series = d
                .groups
                .iter()
                .enumerate()
                .map(|(g, label)| Series {
                    label: label.clone(),
                    points: trend
                        .cells
                        .iter()
                        .enumerate()
                        .map(|(b, row)| Point {
                            value: row[g].share,
                            interval: row[g].low.zip(row[g].high).map(|(a, b)| [a, b]),
                            marked: trend.changes.iter().any(|c| c.group == g && c.bin == b && c.likely_real),
                        })
                        .collect(),
                })
                .collect();
            let chart = timeline(&Timeline {
                id: format!("theme-{t}"),
                title: if nl {
                    format!("{}: aandeel van de verhalen per periode", trend.theme)
                } else {
                    format!("{}: share of stories per period", trend.theme)
                },
                description: if nl {
                    "Aandeel per groep met 95%-interval; een ring markeert een verandering die waarschijnlijk geen toeval is.".into()
                } else {
                    "Share per group with 95% interval; a ring marks a change unlikely to be chance.".into()
                },
                periods: d.bins.iter().map(|b| b.label.clone()).collect(),
                series,
                shares: true,
            });
            let table = TableView {
                columns: d.groups.clone(),
                rows: trend
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(b, row)| RowView {
                        label: d.bins[b].label.clone(),
                        cells: row.iter().map(|s| share_text(s, d.k)).collect(),
                        total: String::new(),
                    })
                    .collect(),
                column_totals: Vec::new(),
                total: String::new(),
            };
            let mut changes: Vec<ChangeView> = trend
                .changes
                .iter()
                .map(|c| ChangeView {
                    sentence: c.sentence.clone(),
                    difference: format!("{} pp", pp(c.difference)),
                    interval: format!("{} tot {} pp", pp(c.low), pp(c.high)),
                    q: format!("{:.3}", c.q),
                    p: format!("{:.3}", c.p),
                    method: match c.method {
                        crate::analysis::dashboard::Method::ChiSquare => "chi-kwadraat",
                        crate::analysis::dashboard::Method::Fisher => "Fisher (exact)",
                    },
                    likely_real: c.likely_real,
                })
                .collect();
            changes.sort_by_key(|c| !c.likely_real);
            let any_share = trend.cells.iter().flatten().any(|s| s.share.is_some_and(|x| x > 0.0));
            ThemeView {
                name: trend.theme.clone(),
                total: count_text(&trend.total, d.k),
                chart: if any_share { chart } else { String::new() },
                overall: trend.totals.iter().map(|s| share_text(s, d.k)).collect(),
                table,
                changes,
                untested: trend.untested,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dashboard::{Input, Settings, StoryPoint, compute};

    fn dashboard() -> Dashboard {
        let mut stories = Vec::new();
        for (m, n) in [(1u8, 30), (2, 25), (3, 40)] {
            let d = Date::from_calendar_date(2025, time::Month::try_from(m).unwrap(), 4).unwrap();
            for i in 0..n {
                stories.push(StoryPoint { date: d, group: i % 2, region: Some(0), themes: vec![] });
            }
        }
        compute(
            &Input {
                groups: vec![super::super::group_label(Perspective::Youth, Lang::Nl), "Ouders".into()],
                regions: vec!["Groningen".into()],
                themes: vec![],
                stories,
            },
            &Settings::default(),
        )
    }

    #[test]
    fn a_filter_selects_rows_and_columns_without_new_counts() {
        let d = dashboard();
        let f = Filter { from: "2025-02".into(), group: "youth".into(), ..Filter::default() };
        let s = select(&d, &f, Lang::Nl);
        assert_eq!(s.bins.len(), 2);
        assert_eq!(s.groups, ["Jongeren"]);
        assert_eq!(s.over_time.cells[0][0], d.over_time.cells[1][0]);
        // Totals stay those of the whole campaign: nothing to subtract.
        assert_eq!(s.over_time.total, d.over_time.total);
    }

    #[test]
    fn a_bad_filter_says_what_to_write() {
        let f = Filter { from: "maart".into(), ..Filter::default() };
        assert!(f.problem(Lang::Nl).unwrap().contains("jjjj-mm"));
        assert!(Filter { region: "JZ99".into(), ..Filter::default() }.problem(Lang::En).is_some());
        assert!(
            Filter { from: "2025-03".into(), region: "JZ01".into(), ..Filter::default() }
                .problem(Lang::Nl)
                .is_none()
        );
    }
}
