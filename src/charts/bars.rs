//! Grouped horizontal bars with confidence intervals: per category (a theme, a choice option)
//! one bar per group showing a share, with its 95% interval as a whisker and the group's shape
//! at the end of the bar. Horizontal, so that long theme names stay readable; a hidden cell
//! (disclosure control) shows its label ("<5") and no bar.

use std::fmt::Write;

use super::{DataTable, WIDTH, escape, legend, marker, n, open, percent, style};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The share (0 to 1); `None` when hidden or unknown.
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
    /// What the table and the bar's end say: the count, or "<5".
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarCategory {
    pub label: String,
    /// One bar per group, in the order of [`BarChart::groups`].
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub groups: Vec<String>,
    pub categories: Vec<BarCategory>,
}

const LEFT: f64 = 200.0;
const RIGHT: f64 = 60.0;
const BAR: f64 = 12.0;
const GAP: f64 = 14.0;
const TOP: f64 = 20.0;

/// The chart as SVG.
pub fn bars(chart: &BarChart) -> String {
    let g = chart.groups.len().max(1) as f64;
    let block = g * BAR + GAP;
    let plot_bottom = TOP + block * chart.categories.len() as f64;
    let (legend_svg, bottom) = legend(&chart.groups, 20.0, plot_bottom + 36.0);
    let mut s = open(&chart.id, &chart.title, &chart.description, bottom + 5.0);
    let plot = WIDTH - LEFT - RIGHT;
    // Axis with ticks every 20%.
    for k in 0..=5 {
        let x = LEFT + plot * k as f64 / 5.0;
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>"##,
            n(x),
            n(TOP),
            n(x),
            n(plot_bottom)
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}%</text>"#,
            n(x),
            n(plot_bottom + 16.0),
            k * 20
        );
    }
    for (c, cat) in chart.categories.iter().enumerate() {
        let y0 = TOP + block * c as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>"#,
            n(LEFT - 8.0),
            n(y0 + g * BAR / 2.0),
            escape(&cat.label)
        );
        for (i, bar) in cat.bars.iter().enumerate() {
            let (colour, shape) = style(i);
            let y = y0 + BAR * i as f64;
            let mid = y + BAR / 2.0;
            match bar.value {
                Some(v) => {
                    let w = plot * v.clamp(0.0, 1.0);
                    let _ = write!(
                        s,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{colour}" fill-opacity="0.8"/>"#,
                        n(LEFT),
                        n(y + 1.0),
                        n(w),
                        n(BAR - 2.0)
                    );
                    s.push_str(&marker(
                        shape,
                        LEFT + w,
                        mid,
                        4.0,
                        colour,
                        r#"stroke="black" stroke-width="0.6""#,
                    ));
                    if let Some([lo, hi]) = bar.interval {
                        let _ = write!(
                            s,
                            r#"<path d="M{} {}L{} {}M{} {}L{} {}M{} {}L{} {}" stroke="black" fill="none"/>"#,
                            n(LEFT + plot * lo),
                            n(mid),
                            n(LEFT + plot * hi),
                            n(mid),
                            n(LEFT + plot * lo),
                            n(mid - 3.0),
                            n(LEFT + plot * lo),
                            n(mid + 3.0),
                            n(LEFT + plot * hi),
                            n(mid - 3.0),
                            n(LEFT + plot * hi),
                            n(mid + 3.0)
                        );
                    }
                }
                None => {
                    let _ = write!(
                        s,
                        r##"<text x="{}" y="{}" dominant-baseline="middle" font-size="10" fill="#555">{}</text>"##,
                        n(LEFT + 4.0),
                        n(mid),
                        escape(&bar.label)
                    );
                }
            }
        }
    }
    s.push_str(&legend_svg);
    s.push_str("</svg>");
    s
}

/// The table beside the chart: per category and group the label (count), share and interval.
pub fn bars_table(chart: &BarChart) -> DataTable {
    let header = vec![
        "categorie".into(),
        "groep".into(),
        "aantal".into(),
        "aandeel".into(),
        "95% van".into(),
        "95% tot".into(),
    ];
    let rows = chart
        .categories
        .iter()
        .flat_map(|cat| {
            cat.bars.iter().zip(&chart.groups).map(move |(bar, group)| {
                vec![
                    cat.label.clone(),
                    group.clone(),
                    bar.label.clone(),
                    percent(bar.value),
                    percent(bar.interval.map(|i| i[0])),
                    percent(bar.interval.map(|i| i[1])),
                ]
            })
        })
        .collect();
    DataTable { header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> BarChart {
        BarChart {
            id: "themes".into(),
            title: "Thema's per perspectief".into(),
            description: "Aandeel verhalen per groep".into(),
            groups: vec!["Jongeren".into(), "Ouders".into()],
            categories: vec![BarCategory {
                label: "Wachtlijsten".into(),
                bars: vec![
                    Bar { value: Some(0.34), interval: Some([0.25, 0.44]), label: "34".into() },
                    Bar { value: None, interval: None, label: "<5".into() },
                ],
            }],
        }
    }

    #[test]
    fn a_hidden_bar_shows_its_label_and_no_bar() {
        let svg = bars(&chart());
        assert!(svg.contains("&lt;5"));
        assert_eq!(svg.matches(r#"fill-opacity="0.8""#).count(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn the_table_has_a_row_per_category_and_group() {
        let t = bars_table(&chart());
        assert_eq!(t.rows[0], vec!["Wachtlijsten", "Jongeren", "34", "34%", "25%", "44%"]);
        assert_eq!(t.rows[1], vec!["Wachtlijsten", "Ouders", "<5", "", "", ""]);
    }
}
