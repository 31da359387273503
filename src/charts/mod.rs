//! Charts people can read, drawn on the server as SVG strings (no JavaScript): ternary plots
//! of triads, histograms of dyads on common bins, grouped bars with intervals. Every chart has
//! a `<title>` and a `<desc>`, tells groups apart by colour (Okabe–Ito, safe for colour-blind
//! readers) and by shape, escapes all text, and is sized to print on A4 (170 mm wide). Beside
//! each chart the page shows its data as a table (and offers it as CSV): each chart module has
//! a function giving that table.
//!
//! Pure functions: plain data in, a `String` out. [`from_map`] builds the chart data from a
//! perspective map.

use std::fmt::Write;

pub mod bars;
pub mod from_map;
pub mod histogram;
pub mod ternary;
pub mod timeline;

/// Okabe & Ito (2008), "Color Universal Design", ordered so that the first colours contrast
/// most with each other and with white (yellow late: it is faint on paper).
pub const PALETTE: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"];

/// The shape that goes with a colour, so groups stay apart in grey print too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
    Plus,
    Star,
}

pub const SHAPES: [Shape; 8] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
    Shape::Plus,
    Shape::Star,
];

/// Colour and shape of the `i`-th group.
pub fn style(i: usize) -> (&'static str, Shape) {
    (PALETTE[i % PALETTE.len()], SHAPES[i % SHAPES.len()])
}

/// Width of every chart in user units, and in print (A4 portrait leaves 170 mm between margins).
pub(crate) const WIDTH: f64 = 680.0;
const WIDTH_MM: f64 = 170.0;

/// Escapes text for SVG (and HTML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Numbers in SVG attributes: two decimals are finer than print.
pub(crate) fn n(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The opening of a chart: the root element with a viewBox of `height`, its title and
/// description (referenced for screen readers), and a white background.
pub(crate) fn open(id: &str, title: &str, desc: &str, height: f64) -> String {
    let id = escape(id);
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{wmm}mm" height="{hmm}mm" "#,
            r#"role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif" font-size="12">"#,
            r#"<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
            r#"<rect width="{w}" height="{h}" fill="white"/>"#
        ),
        w = n(WIDTH),
        h = n(height),
        wmm = n(WIDTH_MM),
        hmm = n(height * WIDTH_MM / WIDTH),
        id = id,
        title = escape(title),
        desc = escape(desc),
    )
}

/// A marker of `shape` centred on (x, y) with radius `r`.
pub(crate) fn marker(shape: Shape, x: f64, y: f64, r: f64, fill: &str, extra: &str) -> String {
    let pts = |p: &[(f64, f64)]| {
        p.iter().map(|(a, b)| format!("{},{}", n(x + a * r), n(y + b * r))).collect::<Vec<_>>().join(" ")
    };
    match shape {
        Shape::Circle => {
            format!(r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" {extra}/>"#, n(x), n(y), n(r))
        }
        Shape::Square => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" {extra}/>"#,
            n(x - 0.85 * r),
            n(y - 0.85 * r),
            n(1.7 * r),
            n(1.7 * r)
        ),
        Shape::Triangle => format!(
            r#"<polygon points="{}" fill="{fill}" {extra}/>"#,
            pts(&[(0.0, -1.15), (1.0, 0.75), (-1.0, 0.75)])
        ),
        Shape::TriangleDown => {
            format!(
                r#"<polygon points="{}" fill="{fill}" {extra}/>"#,
                pts(&[(0.0, 1.15), (1.0, -0.75), (-1.0, -0.75)])
            )
        }
        Shape::Diamond => format!(
            r#"<polygon points="{}" fill="{fill}" {extra}/>"#,
            pts(&[(0.0, -1.2), (1.0, 0.0), (0.0, 1.2), (-1.0, 0.0)])
        ),
        Shape::Cross => format!(
            r#"<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{fill}" stroke-width="{}" fill="none" {extra}/>"#,
            n(x - r),
            n(y - r),
            n(x + r),
            n(y + r),
            n(x - r),
            n(y + r),
            n(x + r),
            n(y - r),
            n(r * 0.6)
        ),
        Shape::Plus => format!(
            r#"<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{fill}" stroke-width="{}" fill="none" {extra}/>"#,
            n(x - r),
            n(y),
            n(x + r),
            n(y),
            n(x),
            n(y - r),
            n(x),
            n(y + r),
            n(r * 0.6)
        ),
        Shape::Star => {
            let p: Vec<(f64, f64)> = (0..10)
                .map(|k| {
                    let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
                    let m = if k % 2 == 0 { 1.2 } else { 0.5 };
                    (m * a.cos(), m * a.sin())
                })
                .collect();
            format!(r#"<polygon points="{}" fill="{fill}" {extra}/>"#, pts(&p))
        }
    }
}

/// A legend row of group markers and labels from (x, y), wrapping at the chart's width.
pub(crate) fn legend(labels: &[String], x: f64, y: f64) -> (String, f64) {
    let mut out = String::from(r#"<g class="legend">"#);
    let (mut cx, mut cy) = (x, y);
    for (i, label) in labels.iter().enumerate() {
        let width = 30.0 + 7.0 * label.chars().count() as f64;
        if cx + width > WIDTH - 10.0 && cx > x {
            cx = x;
            cy += 20.0;
        }
        let (colour, shape) = style(i);
        out.push_str(&marker(shape, cx + 6.0, cy, 5.0, colour, ""));
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" dominant-baseline="middle">{}</text>"#,
            n(cx + 16.0),
            n(cy),
            escape(label)
        );
        cx += width;
    }
    out.push_str("</g>");
    (out, cy + 20.0)
}

/// The data behind a chart, as the page's table and CSV show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DataTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// The table as CSV (RFC 4180, with a header row). Labels are theme names, group values
    /// and answers people typed, so every cell goes through the exports' formula protection
    /// ([`crate::transfer::csv_cell::protect`]): a label `=HYPERLINK(…)` stays text in a
    /// spreadsheet. Like the exports, that includes a cell such as `-3`.
    pub fn to_csv(&self) -> String {
        use crate::transfer::csv_cell::protected;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(protected(&self.header)).expect("writing to memory");
        for row in &self.rows {
            w.write_record(protected(row)).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("the cells are strings")
    }
}

/// A share as a percentage with no decimals, or the hidden marker.
pub(crate) fn percent(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{:.0}%", x * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<script>"a" & 'b'"#), "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;");
    }

    #[test]
    fn every_group_has_its_own_colour_and_shape() {
        let styles: Vec<_> = (0..8).map(style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert!(a.0 != b.0 && a.1 != b.1);
            }
        }
    }

    #[test]
    fn tables_become_csv_with_quoting() {
        let t = DataTable {
            header: vec!["groep".into(), "aantal".into()],
            rows: vec![vec!["ouders, pleeg".into(), "<5".into()]],
        };
        assert_eq!(t.to_csv(), "groep,aantal\n\"ouders, pleeg\",<5\n");
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_neutralised_like_the_exports() {
        let cells = ["=HYPERLINK(\"http://x\")", "+31", "@SUM(A1)", "\tx", "\rx", "-3", "12%", "<5", "×"];
        let t = DataTable {
            header: vec!["=thema".into()],
            rows: cells.iter().map(|c| vec![c.to_string()]).collect(),
        };
        let csv = t.to_csv();
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
        let read: Vec<String> = r.records().map(|rec| rec.unwrap()[0].to_string()).collect();
        assert_eq!(read[0], "'=thema", "the header too");
        for (cell, got) in cells.iter().zip(&read[1..]) {
            // One helper for every CSV: the live table says what the export says.
            assert_eq!(got, &crate::transfer::csv_cell::protect(cell), "{cell:?}");
        }
        assert_eq!(read[1..6].iter().filter(|c| c.starts_with('\'')).count(), 5);
        assert_eq!(read[6], "'-3", "a negative number is protected as in the exports");
        assert_eq!(&read[7..], ["12%", "<5", "×"], "ordinary cells are left alone");
    }

    #[test]
    fn a_chart_opens_with_title_and_description_and_prints_on_a4() {
        let s = open("c1", "Titel & co", "Beschrijving <kort>", 400.0);
        assert!(s.contains(r#"<title id="c1-title">Titel &amp; co</title>"#));
        assert!(s.contains("<desc id=\"c1-desc\">Beschrijving &lt;kort&gt;</desc>"));
        assert!(s.contains(r#"width="170mm" height="100mm""#));
    }
}
