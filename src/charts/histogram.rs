//! Histograms of a dyad signifier, one panel per group on the same bins and the same scale
//! (share of the group's answers), so groups of different sizes compare at a glance. A hidden
//! bin (disclosure control) is drawn as an empty dashed box, never as a number.

use std::fmt::Write;

use super::{DataTable, WIDTH, escape, marker, n, open, percent, style};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistogramGroup {
    pub label: String,
    /// Count per bin; `None` where hidden.
    pub counts: Vec<Option<u64>>,
    /// The median, drawn as a tick (`None`: not shown).
    pub median: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistogramChart {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Bin edges from 0 to 1 (one more than the bins).
    pub edges: Vec<f64>,
    /// Labels of the ends of the slider.
    pub left: String,
    pub right: String,
    pub groups: Vec<HistogramGroup>,
}

const PANEL: f64 = 90.0;
const LEFT: f64 = 130.0;
const RIGHT: f64 = 20.0;

fn shares(g: &HistogramGroup) -> Vec<Option<f64>> {
    let total: u64 = g.counts.iter().flatten().sum();
    let hidden = g.counts.iter().any(Option::is_none);
    // With hidden bins the group's total is not on the page, so shares would reveal them.
    g.counts.iter().map(|c| c.filter(|_| !hidden && total > 0).map(|c| c as f64 / total as f64)).collect()
}

/// The chart as SVG.
pub fn histogram(chart: &HistogramChart) -> String {
    let height = 30.0 + PANEL * chart.groups.len() as f64 + 40.0;
    let mut s = open(&chart.id, &chart.title, &chart.description, height);
    let plot = WIDTH - LEFT - RIGHT;
    let bins = chart.edges.len().saturating_sub(1);
    let all: Vec<Vec<Option<f64>>> = chart.groups.iter().map(shares).collect();
    let max = all.iter().flatten().flatten().copied().fold(0.0, f64::max).max(0.01);
    for (i, g) in chart.groups.iter().enumerate() {
        let (colour, shape) = style(i);
        let base = 30.0 + PANEL * (i as f64 + 1.0) - 15.0;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            n(LEFT - 24.0),
            n(base - 25.0),
            escape(&g.label)
        );
        s.push_str(&marker(shape, LEFT - 12.0, base - 29.0, 5.0, colour, ""));
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333"/>"##,
            n(LEFT),
            n(base),
            n(LEFT + plot),
            n(base)
        );
        for (b, edge) in chart.edges.windows(2).enumerate().take(bins) {
            let x = LEFT + plot * edge[0];
            let w = plot * (edge[1] - edge[0]) - 2.0;
            match (g.counts[b], all[i][b]) {
                (None, _) => {
                    let _ = write!(
                        s,
                        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#999" stroke-dasharray="3 2"/>"##,
                        n(x + 1.0),
                        n(base - 20.0),
                        n(w),
                        n(20.0)
                    );
                }
                (Some(_), share) => {
                    let hgt = share.map_or(0.0, |v| (PANEL - 30.0) * v / max);
                    let _ = write!(
                        s,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{colour}"/>"#,
                        n(x + 1.0),
                        n(base - hgt),
                        n(w),
                        n(hgt)
                    );
                }
            }
        }
        if let Some(m) = g.median {
            let x = LEFT + plot * m;
            let _ = write!(
                s,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="black" stroke-width="2"/>"#,
                n(x),
                n(base + 4.0),
                n(x),
                n(base - PANEL + 30.0)
            );
        }
    }
    let y = height - 20.0;
    let _ = write!(s, r#"<text x="{}" y="{}">{}</text>"#, n(LEFT), n(y), escape(&chart.left));
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
        n(LEFT + plot),
        n(y),
        escape(&chart.right)
    );
    s.push_str("</svg>");
    s
}

/// The table beside the chart: per group and bin the count and the share of the group.
pub fn histogram_table(chart: &HistogramChart, hidden_label: &str) -> DataTable {
    let header = vec!["groep".into(), "van".into(), "tot".into(), "aantal".into(), "aandeel".into()];
    let mut rows = Vec::new();
    for g in &chart.groups {
        let sh = shares(g);
        for (b, edge) in chart.edges.windows(2).enumerate() {
            rows.push(vec![
                g.label.clone(),
                format!("{:.2}", edge[0]),
                format!("{:.2}", edge[1]),
                g.counts[b].map_or_else(|| hidden_label.to_string(), |c| c.to_string()),
                percent(sh[b]),
            ]);
        }
    }
    DataTable { header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> HistogramChart {
        HistogramChart {
            id: "dyad".into(),
            title: "Hoe voelde het".into(),
            description: "Verdeling per groep".into(),
            edges: vec![0.0, 0.25, 0.5, 0.75, 1.0],
            left: "machteloos".into(),
            right: "sterk".into(),
            groups: vec![
                HistogramGroup {
                    label: "Jongeren".into(),
                    counts: vec![Some(10), Some(20), Some(30), Some(40)],
                    median: Some(0.6),
                },
                HistogramGroup {
                    label: "Ouders".into(),
                    counts: vec![Some(10), None, Some(30), Some(40)],
                    median: None,
                },
            ],
        }
    }

    #[test]
    fn bins_are_common_and_hidden_bins_show_no_bar() {
        let svg = histogram(&chart());
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert!(svg.contains("<title id=\"dyad-title\">Hoe voelde het</title>"));
    }

    #[test]
    fn the_table_gives_counts_and_shares_and_no_shares_beside_hidden_bins() {
        let t = histogram_table(&chart(), "<5");
        assert_eq!(t.rows[0], vec!["Jongeren", "0.00", "0.25", "10", "10%"]);
        assert_eq!(t.rows[5], vec!["Ouders", "0.25", "0.50", "<5", ""]);
        assert_eq!(t.rows[4][4], "", "a share would reveal the hidden bin through the total");
    }
}
