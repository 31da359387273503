//! The ternary plot of a triad signifier: every answer a dot in the triangle (colour and shape
//! per group), or a hex-bin density when there are too many dots to see, with each group's
//! centre and the 95% confidence region of that centre drawn on top.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{DataTable, WIDTH, escape, legend, marker, n, open, style};

/// Above this many dots the plot shows their density instead.
pub const MAX_DOTS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TernaryGroup {
    pub label: String,
    /// Answers as three weights (closed or not; zeros allowed: dots on an edge).
    pub dots: Vec<[f64; 3]>,
    /// The group's centre (three weights summing to 1).
    pub centre: Option<[f64; 3]>,
    /// The confidence region of the centre, as compositions.
    pub region: Vec<[f64; 3]>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TernaryChart {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Labels of the top, bottom-left and bottom-right corners.
    pub corners: [String; 3],
    pub groups: Vec<TernaryGroup>,
}

const SIDE: f64 = 460.0;
const TOP: f64 = 50.0;

/// Pixel position of a composition: part 0 at the top, 1 bottom left, 2 bottom right.
fn xy(p: &[f64; 3]) -> (f64, f64) {
    let s: f64 = p.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let (a, b, c) = (p[0] / s, p[1] / s, p[2] / s);
    let h = SIDE * 3f64.sqrt() / 2.0;
    let (x0, y0) = ((WIDTH - SIDE) / 2.0, TOP + h);
    let top = (x0 + SIDE / 2.0, TOP);
    let left = (x0, y0);
    let right = (x0 + SIDE, y0);
    (a * top.0 + b * left.0 + c * right.0, a * top.1 + b * left.1 + c * right.1)
}

/// Hex cell (axial coordinates, pointy top) of a pixel position, for cells of radius `r`.
fn hex_of(x: f64, y: f64, r: f64) -> (i64, i64) {
    let q = (3f64.sqrt() / 3.0 * x - y / 3.0) / r;
    let s = (2.0 / 3.0 * y) / r;
    // Cube rounding.
    let (cx, cz) = (q, s);
    let cy = -cx - cz;
    let (mut rx, ry, mut rz) = (cx.round(), cy.round(), cz.round());
    let (dx, dy, dz) = ((rx - cx).abs(), (ry - cy).abs(), (rz - cz).abs());
    if dx > dy && dx > dz {
        rx = -ry - rz;
    } else if dy <= dz {
        rz = -rx - ry;
    }
    (rx as i64, rz as i64)
}

/// The chart as SVG.
pub fn ternary(chart: &TernaryChart) -> String {
    let h = SIDE * 3f64.sqrt() / 2.0;
    let labels: Vec<String> = chart.groups.iter().map(|g| g.label.clone()).collect();
    let (legend_svg, bottom) = legend(&labels, 20.0, TOP + h + 50.0);
    let height = bottom + 10.0;
    let mut s = open(&chart.id, &chart.title, &chart.description, height);
    // Triangle and grid lines every 20%.
    let corner = [xy(&[1.0, 0.0, 0.0]), xy(&[0.0, 1.0, 0.0]), xy(&[0.0, 0.0, 1.0])];
    for k in 1..5 {
        let t = k as f64 / 5.0;
        for part in 0..3 {
            let mut a = [0.0; 3];
            let mut b = [0.0; 3];
            a[part] = t;
            b[part] = t;
            a[(part + 1) % 3] = 1.0 - t;
            b[(part + 2) % 3] = 1.0 - t;
            let (p, q) = (xy(&a), xy(&b));
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>"##,
                n(p.0),
                n(p.1),
                n(q.0),
                n(q.1)
            );
        }
    }
    let _ = write!(
        s,
        r##"<polygon points="{},{} {},{} {},{}" fill="none" stroke="#333"/>"##,
        n(corner[0].0),
        n(corner[0].1),
        n(corner[1].0),
        n(corner[1].1),
        n(corner[2].0),
        n(corner[2].1)
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        n(corner[0].0),
        n(corner[0].1 - 12.0),
        escape(&chart.corners[0])
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        n(corner[1].0),
        n(corner[1].1 + 22.0),
        escape(&chart.corners[1])
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        n(corner[2].0),
        n(corner[2].1 + 22.0),
        escape(&chart.corners[2])
    );

    let total: usize = chart.groups.iter().map(|g| g.dots.len()).sum();
    if total > MAX_DOTS {
        // Density of all answers in grey; the groups are told apart by their centres.
        let r = 7.0;
        let mut cells: BTreeMap<(i64, i64), u64> = BTreeMap::new();
        for d in chart.groups.iter().flat_map(|g| &g.dots) {
            let (x, y) = xy(d);
            *cells.entry(hex_of(x, y, r)).or_default() += 1;
        }
        let max = cells.values().copied().max().unwrap_or(1) as f64;
        s.push_str(r#"<g class="density">"#);
        for ((q, rr), count) in cells {
            let cx = r * 3f64.sqrt() * (q as f64 + rr as f64 / 2.0);
            let cy = r * 1.5 * rr as f64;
            let pts: Vec<String> = (0..6)
                .map(|k| {
                    let a = std::f64::consts::PI / 180.0 * (60.0 * k as f64 - 30.0);
                    format!("{},{}", n(cx + r * a.cos()), n(cy + r * a.sin()))
                })
                .collect();
            let opacity = 0.15 + 0.85 * (count as f64).ln_1p() / max.ln_1p();
            let _ = write!(
                s,
                r##"<polygon points="{}" fill="#555" fill-opacity="{}"/>"##,
                pts.join(" "),
                n(opacity)
            );
        }
        s.push_str("</g>");
    } else {
        for (i, g) in chart.groups.iter().enumerate() {
            let (colour, shape) = style(i);
            s.push_str(r#"<g class="dots" fill-opacity="0.55">"#);
            for d in &g.dots {
                let (x, y) = xy(d);
                s.push_str(&marker(shape, x, y, 3.0, colour, ""));
            }
            s.push_str("</g>");
        }
    }
    for (i, g) in chart.groups.iter().enumerate() {
        let (colour, shape) = style(i);
        if g.region.len() >= 3 {
            let pts: Vec<String> = g
                .region
                .iter()
                .map(|p| {
                    let (x, y) = xy(p);
                    format!("{},{}", n(x), n(y))
                })
                .collect();
            let _ = write!(
                s,
                r#"<polygon points="{}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="1.5"/>"#,
                pts.join(" ")
            );
        }
        if let Some(c) = &g.centre {
            let (x, y) = xy(c);
            s.push_str(&marker(shape, x, y, 7.0, colour, r#"stroke="black" stroke-width="1.2""#));
        }
    }
    s.push_str(&legend_svg);
    s.push_str("</svg>");
    s
}

/// The table beside the chart: per group the number of answers and the centre.
pub fn ternary_table(chart: &TernaryChart) -> DataTable {
    let mut header = vec!["groep".to_string(), "antwoorden".to_string()];
    header.extend(chart.corners.iter().map(|c| format!("centrum {c}")));
    let rows = chart
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![g.label.clone(), g.dots.len().to_string()];
            row.extend((0..3).map(|k| g.centre.map_or_else(String::new, |c| format!("{:.3}", c[k]))));
            row
        })
        .collect();
    DataTable { header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(dots: usize) -> TernaryChart {
        let group = |label: &str, shift: f64| TernaryGroup {
            label: label.into(),
            dots: (0..dots).map(|i| [1.0 + shift, (i % 7) as f64, (i % 5) as f64]).collect(),
            centre: Some([0.5, 0.3, 0.2]),
            region: vec![[0.45, 0.3, 0.25], [0.55, 0.25, 0.2], [0.5, 0.35, 0.15]],
        };
        TernaryChart {
            id: "triad".into(),
            title: "Wat hielp".into(),
            description: "Antwoorden per groep".into(),
            corners: ["gehoord".into(), "snel".into(), "samen <3".into()],
            groups: vec![group("Jongeren", 0.0), group("Ouders", 2.0)],
        }
    }

    #[test]
    fn corners_land_on_the_triangle_and_the_centre_inside() {
        let (x, y) = xy(&[1.0, 0.0, 0.0]);
        assert!((x - WIDTH / 2.0).abs() < 1e-9 && (y - TOP).abs() < 1e-9);
        let (l, r) = (xy(&[0.0, 1.0, 0.0]), xy(&[0.0, 0.0, 1.0]));
        assert!((l.1 - r.1).abs() < 1e-9 && (r.0 - l.0 - SIDE).abs() < 1e-9);
    }

    #[test]
    fn a_few_dots_are_drawn_one_by_one_with_shapes_per_group() {
        let svg = ternary(&chart(30));
        assert_eq!(svg.matches("<circle").count(), 30 + 1 + 1, "dots, centre and legend of group one");
        assert!(svg.contains("<rect x="), "group two's squares");
        assert!(svg.contains("samen &lt;3"));
        assert!(!svg.contains("class=\"density\""));
    }

    #[test]
    fn many_dots_become_a_hex_bin_density() {
        let svg = ternary(&chart(1_500));
        assert!(svg.contains("class=\"density\""));
        assert!(svg.matches("<circle").count() < 10);
    }

    #[test]
    fn the_table_lists_each_groups_centre() {
        let t = ternary_table(&chart(3));
        assert_eq!(t.rows[0], vec!["Jongeren", "3", "0.500", "0.300", "0.200"]);
    }
}
