//! A map as its page shows it: every number already formatted, every chart drawn (SVG with its
//! data table), every cell linked to the stories behind it. Plain data that serialises both
//! ways, so a frozen map stores exactly what its page shows and renders the same later.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Built;
use crate::analysis::maps::themes::ThemeRow;
use crate::analysis::maps::{Language, NotTested, Test};
use crate::charts::from_map::{SignifierChart, signifier_chart, theme_bars};
use crate::charts::{DataTable, bars, histogram, ternary};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn to_csv(&self) -> String {
        DataTable { header: self.header.clone(), rows: self.rows.clone() }.to_csv()
    }
}

impl From<DataTable> for Table {
    fn from(t: DataTable) -> Table {
        Table { header: t.header, rows: t.rows }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub label: String,
    pub count: String,
    pub without_theme: String,
    pub testable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    pub story_id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellView {
    pub group: String,
    pub shown: String,
    pub share: String,
    pub interval: String,
    pub residual: String,
    /// The search for the stories behind the cell; empty when the cell is hidden.
    pub href: String,
    pub words: String,
    pub quotes: Vec<QuoteView>,
    /// Ids of the stories behind the cell (a frozen map's story list).
    pub stories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Number {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeView {
    pub id: String,
    pub label: String,
    pub cells: Vec<CellView>,
    /// Method, statistic, p, q and effect size in one line ("" when not tested).
    pub test: String,
    pub effect: String,
    pub q: String,
    pub not_tested: String,
    pub sentence: String,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub svg: String,
    pub table: Table,
    /// Tests and the sentence of a signifier.
    pub tests: Vec<String>,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub campaign: String,
    pub filter: String,
    pub by: String,
    pub codebook_version: String,
    pub stories: String,
    pub without_group: String,
    pub groups: Vec<GroupView>,
    pub themes: Vec<ThemeView>,
    pub themes_table: Table,
    pub charts: Vec<ChartView>,
    pub tests: usize,
    pub notes: Vec<String>,
    pub disclosed: bool,
    /// The language of the map's labels and sentences ("nl" or "en"; "" in maps frozen before
    /// it was kept: Dutch).
    #[serde(default)]
    pub language: String,
}

impl MapView {
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }
}

/// A chart's data table with its column names in English (the chart module names them in
/// Dutch); Dutch tables are returned as they are.
pub fn localise(mut table: Table, english: bool) -> Table {
    if english {
        for h in &mut table.header {
            let en = match h.as_str() {
                "categorie" => "category".to_string(),
                "groep" => "group".into(),
                "aantal" => "count".into(),
                "aandeel" => "share".into(),
                "95% van" => "95% from".into(),
                "95% tot" => "95% to".into(),
                "antwoorden" => "answers".into(),
                "van" => "from".into(),
                "tot" => "to".into(),
                other => match other.strip_prefix("centrum ") {
                    Some(corner) => format!("centre {corner}"),
                    None => other.to_string(),
                },
            };
            *h = en;
        }
    }
    table
}

fn count(x: Option<u64>, k: u64) -> String {
    x.map_or_else(|| format!("<{k}"), |n| n.to_string())
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{:.0}%", x * 100.0))
}

fn num(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.001 { format!("{x:.1e}") } else { format!("{x:.3}") }
}

pub fn test_line(t: &Test) -> String {
    let df = t.df.map_or_else(String::new, |d| format!(", df {d:.0}"));
    let q = t.q.map_or_else(String::new, |q| format!(", q {}", num(q)));
    format!(
        "{:?} {}{df}, p {}{q}, {:?} {}",
        t.method,
        num(t.statistic),
        num(t.p),
        t.effect.measure,
        num(t.effect.value)
    )
}

fn not_tested(n: &Option<NotTested>, nl: bool) -> String {
    match (n, nl) {
        (None, _) => String::new(),
        (Some(NotTested::TooFewStories), true) => "te weinig verhalen om te toetsen".into(),
        (Some(NotTested::TooFewStories), false) => "too few stories to test".into(),
        (Some(NotTested::NoVariation), true) => "geen variatie om te toetsen".into(),
        (Some(NotTested::NoVariation), false) => "no variation to test".into(),
        (Some(NotTested::Withheld), true) => "niet getoond: de toets zou verborgen cellen verraden".into(),
        (Some(NotTested::Withheld), false) => "withheld: the test would reveal hidden cells".into(),
    }
}

/// The search-language filter that selects a group's stories on axis `by`.
pub fn group_filter(by: &str, key: &str) -> String {
    let quoted = if key.contains(char::is_whitespace) { format!("\"{key}\"") } else { key.to_string() };
    match by {
        "perspective" => format!("perspective:{quoted}"),
        "age_band" | "age" | "leeftijd" => format!("age:{quoted}"),
        "region" | "regio" => format!("region:{quoted}"),
        sig => format!("choice:{sig}={quoted}"),
    }
}

/// The search page URL of a campaign's stories with these filters.
pub fn search_href(campaign_id: &str, query: &str, filters: &[String]) -> String {
    let mut pairs: Vec<(&str, String)> =
        vec![("q", query.to_string()), ("f", format!("campaign:{campaign_id}"))];
    pairs.extend(filters.iter().map(|f| ("f", f.clone())));
    format!("/search?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

/// The view of `built`. `campaign_id` and `query` make the cell links; `members(theme, group)`
/// are the stories behind a cell (story ids).
pub fn view(built: &Built, campaign_id: &str, query: &str, k: u64) -> MapView {
    let map = &built.map;
    let nl = map.settings.language == Language::Nl;
    let by = &built.header.by;
    let groups = map
        .groups
        .iter()
        .map(|g| GroupView {
            label: g.label.clone(),
            count: count(g.count, k),
            without_theme: count(g.without_theme, k),
            testable: g.testable,
        })
        .collect();
    // The stories behind each (theme, group) cell, gathered once rather than per cell.
    let mut members: HashMap<(&str, &str), Vec<String>> = HashMap::new();
    for (s, t) in &built.accepted {
        if let Some(g) = built.group_of.get(s) {
            members.entry((t.as_str(), g.as_str())).or_default().push(s.clone());
        }
    }
    let themes: Vec<ThemeView> =
        map.themes.iter().map(|row| theme_view(built, row, campaign_id, query, nl, &members)).collect();
    let mut themes_table = Table {
        header: vec![
            if nl { "thema" } else { "theme" }.into(),
            if nl { "groep" } else { "group" }.into(),
            if nl { "verhalen" } else { "stories" }.into(),
            if nl { "aandeel" } else { "share" }.into(),
            "95% interval".into(),
            if nl { "gecorrigeerd residu" } else { "adjusted residual" }.into(),
            if nl { "toets" } else { "test" }.into(),
        ],
        rows: Vec::new(),
    };
    for t in &themes {
        for c in &t.cells {
            themes_table.rows.push(vec![
                t.label.clone(),
                c.group.clone(),
                c.shown.clone(),
                c.share.clone(),
                c.interval.clone(),
                c.residual.clone(),
                t.test.clone(),
            ]);
        }
    }
    let mut charts = Vec::new();
    if !map.themes.is_empty() {
        let c = theme_bars(map);
        charts.push(ChartView {
            id: c.id.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            svg: bars::bars(&c),
            table: localise(bars::bars_table(&c).into(), !nl),
            tests: Vec::new(),
            sentence: String::new(),
        });
    }
    let hidden_label = format!("<{k}");
    for s in &map.signifiers {
        let mut sig = s.clone();
        let tests: Vec<String> = sig.tests_mut().into_iter().map(|t| test_line(t)).collect();
        let sentence = sentence_of(s);
        let (id, title, description, svg, table) = match signifier_chart(map, s) {
            SignifierChart::Ternary(c) => (
                c.id.clone(),
                c.title.clone(),
                c.description.clone(),
                ternary::ternary(&c),
                ternary::ternary_table(&c),
            ),
            SignifierChart::Histogram(c) => (
                c.id.clone(),
                c.title.clone(),
                c.description.clone(),
                histogram::histogram(&c),
                histogram::histogram_table(&c, &hidden_label),
            ),
            SignifierChart::Bars(c) => {
                (c.id.clone(), c.title.clone(), c.description.clone(), bars::bars(&c), bars::bars_table(&c))
            }
        };
        charts.push(ChartView {
            id,
            title,
            description,
            svg,
            table: localise(table.into(), !nl),
            tests,
            sentence,
        });
    }
    MapView {
        campaign: built.header.campaign.clone(),
        filter: built.header.filter.clone(),
        by: by.clone(),
        codebook_version: built.header.codebook_version.clone(),
        stories: count(map.stories, k),
        without_group: count(map.without_group, k),
        groups,
        themes,
        themes_table,
        charts,
        tests: map.tests,
        notes: map.notes.clone(),
        disclosed: map.disclosure.is_some(),
        language: if nl { "nl" } else { "en" }.into(),
    }
}

fn sentence_of(s: &crate::analysis::maps::signifiers::SignifierSummary) -> String {
    use crate::analysis::maps::signifiers::Detail;
    let sentence = match &s.detail {
        Detail::Triad(t) => &t.sentence,
        Detail::Dyad(d) => &d.sentence,
        Detail::Choice(c) => &c.sentence,
    };
    sentence.as_ref().map_or_else(String::new, |s| s.text.clone())
}

fn theme_view(
    built: &Built,
    row: &ThemeRow,
    campaign_id: &str,
    query: &str,
    nl: bool,
    members: &HashMap<(&str, &str), Vec<String>>,
) -> ThemeView {
    let keys: Vec<(&str, &str)> =
        built.map.groups.iter().map(|g| (g.key.as_str(), g.label.as_str())).collect();
    let cells = row
        .cells
        .iter()
        .zip(&keys)
        .map(|(c, &(key, label))| {
            let open = c.hidden.is_none();
            let filters = vec![group_filter(&built.header.by, key), format!("theme:{}", row.id)];
            let stories = if open {
                members.get(&(row.id.as_str(), key)).cloned().unwrap_or_default()
            } else {
                Vec::new()
            };
            CellView {
                group: label.to_string(),
                shown: c.shown.clone(),
                share: pct(c.share),
                interval: c
                    .interval
                    .map_or_else(String::new, |[a, b]| format!("{}–{}", pct(Some(a)), pct(Some(b)))),
                residual: c.adjusted_residual.map_or_else(String::new, |r| format!("{r:.1}")),
                href: if open && c.count.unwrap_or(0) > 0 {
                    search_href(campaign_id, query, &filters)
                } else {
                    String::new()
                },
                words: c.words.iter().map(|w| w.word.clone()).collect::<Vec<_>>().join(", "),
                quotes: c
                    .quotes
                    .iter()
                    .map(|q| QuoteView { story_id: q.story_id.clone(), text: q.excerpt.text.clone() })
                    .collect(),
                stories,
            }
        })
        .collect();
    let (sentence, numbers) = match &row.sentence {
        Some(s) => (
            s.text.clone(),
            s.numbers.iter().map(|n| Number { name: n.name.clone(), value: num(n.value) }).collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    ThemeView {
        id: row.id.clone(),
        label: row.label.clone(),
        cells,
        test: row.test.as_ref().map_or_else(String::new, test_line),
        effect: row.test.as_ref().map_or_else(String::new, |t| num(t.effect.value)),
        q: row.test.as_ref().and_then(|t| t.q).map_or_else(String::new, num),
        not_tested: not_tested(&row.not_tested, nl),
        sentence,
        numbers,
    }
}

/// The ids of every table of the view, in page order, each once: `themes`, `groups`, then the
/// charts' data tables (the theme chart's table is the themes table). What a map's downloads
/// offer, one CSV each and all of them in one XLSX.
pub fn table_ids(v: &MapView) -> Vec<String> {
    let mut ids = vec!["themes".to_string(), "groups".to_string()];
    ids.extend(v.charts.iter().map(|c| c.id.clone()).filter(|id| id != "themes" && id != "groups"));
    ids
}

/// A table of the view by id: `themes`, `groups`, or the data table of a chart.
pub fn table(v: &MapView, id: &str) -> Option<Table> {
    match id {
        "themes" => Some(v.themes_table.clone()),
        "groups" => Some(Table {
            header: if v.is_english() {
                vec!["group".into(), "stories".into(), "without a theme".into(), "tested".into()]
            } else {
                vec!["groep".into(), "verhalen".into(), "zonder thema".into(), "getoetst".into()]
            },
            rows: v
                .groups
                .iter()
                .map(|g| {
                    vec![
                        g.label.clone(),
                        g.count.clone(),
                        g.without_theme.clone(),
                        match (g.testable, v.is_english()) {
                            (true, false) => "ja",
                            (false, false) => "nee",
                            (true, true) => "yes",
                            (false, true) => "no",
                        }
                        .into(),
                    ]
                })
                .collect(),
        }),
        id => v.charts.iter().find(|c| c.id == id).map(|c| c.table.clone()),
    }
}
