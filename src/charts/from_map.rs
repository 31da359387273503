//! The chart data of a perspective map: one bar chart of the themes, and per signifier a
//! ternary plot, a histogram or a bar chart, with titles and descriptions in the map's
//! language. Hidden cells of a disclosed map stay hidden (their label, no value).

use super::bars::{Bar, BarCategory, BarChart};
use super::histogram::{HistogramChart, HistogramGroup};
use super::ternary::{TernaryChart, TernaryGroup};
use crate::analysis::maps::signifiers::{Detail, SignifierSummary};
use crate::analysis::maps::{Language, PerspectiveMap, SignifierKind};

fn labels(map: &PerspectiveMap) -> Vec<String> {
    map.groups.iter().map(|g| g.label.clone()).collect()
}

/// Shares of each group's stories per theme, in the map's order (largest effect first).
pub fn theme_bars(map: &PerspectiveMap) -> BarChart {
    let nl = map.settings.language == Language::Nl;
    BarChart {
        id: "themes".into(),
        title: if nl { "Thema's per groep" } else { "Themes per group" }.into(),
        description: if nl {
            "Per thema het aandeel verhalen van elke groep dat het thema noemt, met 95%-betrouwbaarheidsinterval."
        } else {
            "For each theme, the share of each group's stories that mention it, with a 95% confidence interval."
        }
        .into(),
        groups: labels(map),
        categories: map
            .themes
            .iter()
            .map(|row| BarCategory {
                label: row.label.clone(),
                bars: row.cells.iter().map(|c| Bar { value: c.share, interval: c.interval, label: c.shown.clone() }).collect(),
            })
            .collect(),
    }
}

/// A chart of one signifier's summary, by its kind.
pub enum SignifierChart {
    Ternary(TernaryChart),
    Histogram(HistogramChart),
    Bars(BarChart),
}

pub fn signifier_chart(map: &PerspectiveMap, s: &SignifierSummary) -> SignifierChart {
    let nl = map.settings.language == Language::Nl;
    let id = format!("signifier-{}", s.id);
    match (&s.detail, &s.kind) {
        (Detail::Triad(t), SignifierKind::Triad { corners }) => SignifierChart::Ternary(TernaryChart {
            id,
            title: s.label.clone(),
            description: if nl {
                "Elk antwoord een punt; per groep het gemiddelde (groot teken) en het 95%-gebied van dat gemiddelde."
            } else {
                "Each answer a dot; per group the average (large marker) and the 95% region of that average."
            }
            .into(),
            corners: corners.clone(),
            groups: t
                .groups
                .iter()
                .zip(labels(map))
                .map(|(g, label)| TernaryGroup { label, dots: g.dots.clone(), centre: g.centre, region: g.region.clone() })
                .collect(),
        }),
        (Detail::Dyad(d), SignifierKind::Dyad { left, right }) => SignifierChart::Histogram(HistogramChart {
            id,
            title: s.label.clone(),
            description: if nl {
                "Per groep de verdeling van de antwoorden op dezelfde klassen, met de mediaan als streep."
            } else {
                "Per group the distribution of answers on the same bins, with the median as a line."
            }
            .into(),
            edges: d.edges.clone(),
            left: left.clone(),
            right: right.clone(),
            groups: d
                .groups
                .iter()
                .zip(labels(map))
                .map(|(g, label)| HistogramGroup {
                    label,
                    counts: g.histogram.clone(),
                    median: g.quantiles.as_ref().map(|q| q.median),
                })
                .collect(),
        }),
        (Detail::Choice(c), SignifierKind::Choice { options, .. }) => SignifierChart::Bars(BarChart {
            id,
            title: s.label.clone(),
            description: if nl {
                "Per keuze het aandeel antwoorden van elke groep, met 95%-betrouwbaarheidsinterval."
            } else {
                "For each option, the share of each group's answers, with a 95% confidence interval."
            }
            .into(),
            groups: labels(map),
            categories: options
                .iter()
                .enumerate()
                .map(|(o, label)| BarCategory {
                    label: label.clone(),
                    bars: c
                        .groups
                        .iter()
                        .map(|g| Bar { value: g.options[o].share, interval: g.options[o].interval, label: g.options[o].shown.clone() })
                        .collect(),
                })
                .collect(),
        }),
        _ => unreachable!("a signifier's detail always matches its kind"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::maps::{Settings, compute, disclosure, synthetic};

    #[test]
    fn every_part_of_a_map_becomes_a_chart_and_a_table() {
        let map = compute(&synthetic::story_set(600, 3, 3, 4), &Settings::default()).unwrap();
        let themes = theme_bars(&map);
        assert_eq!(themes.categories.len(), 3);
        assert_eq!(super::super::bars::bars_table(&themes).rows.len(), 9);
        for s in &map.signifiers {
            let svg = match signifier_chart(&map, s) {
                SignifierChart::Ternary(c) => super::super::ternary::ternary(&c),
                SignifierChart::Histogram(c) => super::super::histogram::histogram(&c),
                SignifierChart::Bars(c) => super::super::bars::bars(&c),
            };
            assert!(svg.contains("<title") && svg.contains("<desc"));
        }
    }

    #[test]
    fn a_disclosed_map_draws_no_dots_of_a_hidden_group() {
        let mut input = synthetic::story_set(400, 2, 3, 9);
        // Group 2 keeps three stories only.
        let mut kept = 0;
        input.stories.retain(|s| {
            s.group != Some(2) || {
                kept += 1;
                kept <= 3
            }
        });
        let map = disclosure::disclose(&compute(&input, &Settings::default()).unwrap(), 5);
        let SignifierChart::Ternary(c) = signifier_chart(&map, &map.signifiers[0]) else { panic!("a triad") };
        assert!(c.groups[2].dots.is_empty() && c.groups[2].centre.is_none());
        assert!(!c.groups[0].dots.is_empty());
        let bars = theme_bars(&map);
        assert!(
            bars.categories
                .iter()
                .all(|c| c.bars[2].value.is_none() && c.bars[2].label.starts_with('<')
                    || c.bars[2].label == "0")
        );
    }
}
