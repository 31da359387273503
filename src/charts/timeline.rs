//! Lines over time: one line per group across the periods of a dashboard (stories per period,
//! or a theme's share per period with its interval as a band of whiskers). A hidden value
//! (disclosure control) breaks the line rather than being drawn as zero, and a period where
//! the change from the one before is unlikely to be chance gets a ring around its marker.

use std::fmt::Write;

use super::{WIDTH, escape, legend, marker, n, open, style};

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `None` when hidden or unknown: the line breaks there.
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
    /// The change into this period is unlikely to be chance.
    pub marked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub description: String,
    pub periods: Vec<String>,
    pub series: Vec<Series>,
    /// Values are shares (0–1, axis in %) rather than counts.
    pub shares: bool,
}

const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const PLOT_HEIGHT: f64 = 180.0;

/// A round upper end for a count axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&v| v >= max).unwrap_or(10.0 * p)
}

/// The chart as SVG.
pub fn timeline(chart: &Timeline) -> String {
    let periods = chart.periods.len().max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let bottom = TOP + PLOT_HEIGHT;
    // Labels are turned when there are many periods, so they need more room below.
    let turned = periods > 8;
    let label_room = if turned { 70.0 } else { 24.0 };
    let (legend_svg, end) = legend(
        &chart.series.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
        20.0,
        bottom + label_room + 16.0,
    );
    let mut s = open(&chart.id, &chart.title, &chart.description, end + 5.0);
    let top_value = if chart.shares {
        1.0
    } else {
        let max =
            chart.series.iter().flat_map(|s| s.points.iter().filter_map(|p| p.value)).fold(0.0, f64::max);
        nice_max(max)
    };
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / periods as f64;
    let y = |v: f64| bottom - PLOT_HEIGHT * (v / top_value).clamp(0.0, 1.0);
    for k in 0..=4 {
        let v = top_value * k as f64 / 4.0;
        let label = if chart.shares { format!("{:.0}%", v * 100.0) } else { n(v) };
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>"##,
            n(LEFT),
            n(y(v)),
            n(WIDTH - RIGHT),
            n(y(v)),
            n(LEFT - 6.0),
            n(y(v)),
            label
        );
    }
    for (i, p) in chart.periods.iter().enumerate() {
        if turned {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end" transform="rotate(-60 {} {})">{}</text>"#,
                n(x(i)),
                n(bottom + 14.0),
                n(x(i)),
                n(bottom + 14.0),
                escape(p)
            );
        } else {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                n(x(i)),
                n(bottom + 16.0),
                escape(p)
            );
        }
    }
    for (g, series) in chart.series.iter().enumerate() {
        let (colour, shape) = style(g);
        // Whiskers first, so lines and markers lie on top.
        for (i, p) in series.points.iter().enumerate() {
            if let (Some(_), Some([lo, hi])) = (p.value, p.interval) {
                let dx = (g as f64 - (chart.series.len() as f64 - 1.0) / 2.0) * 3.0;
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-opacity="0.5"/>"#,
                    n(x(i) + dx),
                    n(y(lo)),
                    n(x(i) + dx),
                    n(y(hi))
                );
            }
        }
        // The line, broken at every hidden value.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, s: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    s,
                    r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (i, p) in series.points.iter().enumerate() {
            match p.value {
                Some(v) => run.push(format!("{},{}", n(x(i)), n(y(v)))),
                None => flush(&mut run, &mut s),
            }
        }
        flush(&mut run, &mut s);
        for (i, p) in series.points.iter().enumerate() {
            if let Some(v) = p.value {
                s.push_str(&marker(shape, x(i), y(v), 4.0, colour, r#"stroke="white""#));
                if p.marked {
                    let _ = write!(
                        s,
                        r#"<circle cx="{}" cy="{}" r="8" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></circle>"#,
                        n(x(i)),
                        n(y(v)),
                        escape(&format!("{}: {}", series.label, chart.periods[i]))
                    );
                }
            }
        }
    }
    s.push_str(&legend_svg);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(v: Option<f64>) -> Point {
        Point { value: v, interval: None, marked: false }
    }

    #[test]
    fn a_hidden_value_breaks_the_line_and_a_marked_change_gets_a_ring() {
        let mut points =
            vec![point(Some(10.0)), point(Some(12.0)), point(None), point(Some(8.0)), point(Some(9.0))];
        points[4].marked = true;
        let svg = timeline(&Timeline {
            id: "t".into(),
            title: "Verhalen per maand".into(),
            description: "d".into(),
            periods: (1..=5).map(|m| format!("2025-0{m}")).collect(),
            series: vec![Series { label: "Jongeren <18".into(), points }],
            shares: false,
        });
        assert_eq!(svg.matches("<polyline").count(), 2, "two runs around the hidden month");
        assert_eq!(svg.matches(r#"r="8""#).count(), 1);
        assert!(svg.contains("Jongeren &lt;18"), "labels are escaped");
        assert!(svg.contains("<title id=\"t-title\">Verhalen per maand</title>"));
    }

    #[test]
    fn count_axes_end_at_a_round_number() {
        assert_eq!(nice_max(37.0), 50.0);
        assert_eq!(nice_max(100.0), 100.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.2), 5.0);
    }
}
