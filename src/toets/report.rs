//! The toets report, computed from plain data: per assumption the stories that support,
//! contradict or are mixed on it, counted per perspective, with disclosure control for the
//! steering group, a few quotes, the conclusion and the actions that follow. No IO, so it is
//! tested on small hand-made inputs.
//!
//! Disclosure control for the steering group is the maps' ([`disclosure::protect`]): a count
//! under k is shown as "<k" (0 too, so "<k" never means "at least one"), and more cells are
//! hidden (×) until no hidden count can be worked out from the row and column totals — those
//! of the report and those a reader may know from elsewhere (how many stories of each group
//! were linked to the assumption). Hiding per row alone would leave a column with one hidden
//! cell, which is that column's total minus the rest. A row total is shown when it is at
//! least k, else as "<k".

use serde::Serialize;

use crate::analysis::maps::disclosure::{self, protect};
use crate::domain::Perspective;
use crate::domain::toets::{Assumption, Conclusion, Stance};

/// Quotes per assumption, at most.
pub const MAX_QUOTES: usize = 3;
/// Characters of a story a quote keeps.
const QUOTE_CHARS: usize = 280;

/// A linked story as the report needs it (present stories only: the caller leaves out
/// withdrawn ones).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedStory {
    pub assumption_id: String,
    pub story_id: String,
    pub stance: Stance,
    pub perspective: Perspective,
    pub text: String,
}

/// An action linked to an assumption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRef {
    pub title: String,
    pub status: String,
    pub party: String,
    pub due: String,
    #[serde(skip)]
    pub assumption_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceRow {
    pub stance: String,
    /// One per group, as shown ("<5" or "×" when hidden).
    pub cells: Vec<String>,
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub stance: String,
    pub group: String,
    pub text: String,
    /// The story's id, for facilitators' links only ("" in the disclosed report).
    pub story_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConclusionView {
    pub verdict: String,
    pub verdict_code: String,
    pub reasoning: String,
    pub session_id: String,
    pub recorded_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssumptionReport {
    pub id: String,
    pub n: usize,
    pub statement: String,
    pub expected: String,
    pub rows: Vec<StanceRow>,
    pub linked: usize,
    pub quotes: Vec<Quote>,
    pub conclusion: Option<ConclusionView>,
    pub actions: Vec<ActionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub campaign: String,
    pub policy: String,
    pub disclosed: bool,
    pub k: u64,
    pub groups: Vec<String>,
    pub assumptions: Vec<AssumptionReport>,
    /// Hidden cells over all assumptions (for the note under the tables).
    pub hidden: usize,
}

pub fn group_label(p: Perspective) -> &'static str {
    match p {
        Perspective::Youth => "Jongeren",
        Perspective::Parent => "Ouders",
        Perspective::Professional => "Professionals",
        Perspective::Other => "Anderen",
    }
}

/// The first `QUOTE_CHARS` characters of a story, cut at a word.
pub fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= QUOTE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(QUOTE_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).to_string();
    format!("{cut} …")
}

/// Everything the report is made of.
pub struct Input<'a> {
    pub campaign: String,
    pub policy: String,
    pub assumptions: &'a [Assumption],
    pub stories: &'a [LinkedStory],
    pub conclusions: &'a [Conclusion],
    pub actions: &'a [ActionRef],
    /// The steering group's report: small cells hidden, no quote from a hidden cell.
    pub disclosed: bool,
    pub k: u64,
}

pub fn build(input: &Input<'_>) -> Report {
    let groups = Perspective::ALL;
    let mut hidden_total = 0;
    let assumptions = input
        .assumptions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mine: Vec<&LinkedStory> = input.stories.iter().filter(|s| s.assumption_id == a.id).collect();
            let table: Vec<Vec<u64>> = Stance::ALL
                .iter()
                .map(|st| {
                    groups
                        .iter()
                        .map(|g| {
                            mine.iter().filter(|s| s.stance == *st && s.perspective == *g).count() as u64
                        })
                        .collect()
                })
                .collect();
            let marks = if input.disclosed && input.k > 1 {
                protect(&table, input.k, &[])
            } else {
                vec![vec![None; groups.len()]; table.len()]
            };
            hidden_total += marks.iter().flatten().filter(|m| m.is_some()).count();
            let rows = Stance::ALL
                .iter()
                .zip(table.iter().zip(&marks))
                .map(|(st, (counts, row_marks))| {
                    let total: u64 = counts.iter().sum();
                    StanceRow {
                        stance: st.label().into(),
                        cells: counts
                            .iter()
                            .zip(row_marks)
                            .map(|(n, m)| match m {
                                Some(h) => disclosure::shown(*h, input.k),
                                None => n.to_string(),
                            })
                            .collect(),
                        total: if input.disclosed && input.k > 1 && total < input.k {
                            format!("<{}", input.k)
                        } else {
                            total.to_string()
                        },
                    }
                })
                .collect();
            // Quotes take turns over the stances, so a report does not only quote one side;
            // a story in a hidden cell is never quoted to the steering group.
            let mut quotes = Vec::new();
            let mut by_stance: Vec<Vec<&&LinkedStory>> = Stance::ALL
                .iter()
                .enumerate()
                .map(|(r, st)| {
                    mine.iter()
                        .filter(|s| s.stance == *st)
                        .filter(|s| {
                            let g = groups.iter().position(|g| *g == s.perspective).unwrap_or(0);
                            marks[r][g].is_none()
                        })
                        .collect()
                })
                .collect();
            'fill: loop {
                let mut any = false;
                for list in by_stance.iter_mut() {
                    if quotes.len() >= MAX_QUOTES {
                        break 'fill;
                    }
                    if !list.is_empty() {
                        let s = list.remove(0);
                        any = true;
                        quotes.push(Quote {
                            stance: s.stance.label().into(),
                            group: group_label(s.perspective).into(),
                            text: excerpt(&s.text),
                            story_id: if input.disclosed { String::new() } else { s.story_id.clone() },
                        });
                    }
                }
                if !any {
                    break;
                }
            }
            let conclusion =
                input.conclusions.iter().find(|c| c.assumption_id == a.id).map(|c| ConclusionView {
                    verdict: c.verdict.label().into(),
                    verdict_code: c.verdict.as_str().into(),
                    reasoning: c.reasoning.clone(),
                    session_id: c.session_id.clone().unwrap_or_default(),
                    recorded_on: crate::domain::action::day(c.recorded_at.date()),
                });
            AssumptionReport {
                id: a.id.clone(),
                n: i + 1,
                statement: a.statement.clone(),
                expected: a.expected.clone(),
                rows,
                linked: mine.len(),
                quotes,
                conclusion,
                actions: input.actions.iter().filter(|x| x.assumption_ids.contains(&a.id)).cloned().collect(),
            }
        })
        .collect();
    Report {
        campaign: input.campaign.clone(),
        policy: input.policy.clone(),
        disclosed: input.disclosed,
        k: input.k,
        groups: groups.iter().map(|g| group_label(*g).to_string()).collect(),
        assumptions,
        hidden: hidden_total,
    }
}

fn md_escape(s: &str) -> String {
    // Table cells and headings: a pipe or a leading markup character would change the layout.
    s.replace('\\', "\\\\").replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown: the document a steering group receives.
pub fn markdown(r: &Report) -> String {
    let mut out = format!("# Leefwereldtoets: {}\n\n", md_escape(&r.campaign));
    if !r.policy.is_empty() {
        out.push_str(&format!("## Beleid dat getoetst wordt\n\n{}\n\n", r.policy.trim()));
    }
    if r.disclosed {
        out.push_str(&format!(
            "Aantallen onder de {} verhalen staan er als \"<{}\" (ook 0); met × verborgen aantallen zouden anders uit de totalen terug te rekenen zijn.\n\n",
            r.k, r.k
        ));
    }
    for a in &r.assumptions {
        out.push_str(&format!("## Aanname {}: {}\n\n", a.n, md_escape(&a.statement)));
        if !a.expected.is_empty() {
            out.push_str(&format!("Verwacht patroon als de aanname klopt: {}\n\n", a.expected.trim()));
        }
        out.push_str(&format!("| | {} | totaal |\n|---|", r.groups.join(" | ")));
        out.push_str(&"---|".repeat(r.groups.len() + 1));
        out.push('\n');
        for row in &a.rows {
            out.push_str(&format!("| {} | {} | {} |\n", row.stance, row.cells.join(" | "), row.total));
        }
        out.push('\n');
        if !a.quotes.is_empty() {
            out.push_str("### Citaten\n\n");
            for q in &a.quotes {
                out.push_str(&format!("> {}\n>\n> — {} ({})\n\n", md_escape(&q.text), q.group, q.stance));
            }
        }
        match &a.conclusion {
            Some(c) => out.push_str(&format!("### Conclusie: {}\n\n{}\n\n", c.verdict, c.reasoning.trim())),
            None => out.push_str("### Conclusie\n\nNog geen conclusie.\n\n"),
        }
        if !a.actions.is_empty() {
            out.push_str("### Acties\n\n");
            for x in &a.actions {
                let party =
                    if x.party.is_empty() { String::new() } else { format!(" — {}", md_escape(&x.party)) };
                out.push_str(&format!("- {} ({}){party}\n", md_escape(&x.title), x.status));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::toets::Verdict;
    use time::OffsetDateTime;

    fn assumption(id: &str) -> Assumption {
        Assumption {
            id: id.into(),
            campaign_id: "c".into(),
            position: 0,
            statement: "Jongeren weten welke maatregelen mogen".into(),
            expected: "Verhalen noemen de regels".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn linked(n: usize, stance: Stance, p: Perspective) -> LinkedStory {
        LinkedStory {
            assumption_id: "a".into(),
            story_id: format!("s{n}"),
            stance,
            perspective: p,
            text: format!("Verhaal {n}"),
        }
    }

    fn stories() -> Vec<LinkedStory> {
        // 6 youth stories contradict, 2 parents support, 6 professionals support.
        let mut s: Vec<LinkedStory> =
            (0..6).map(|n| linked(n, Stance::Contradicts, Perspective::Youth)).collect();
        s.extend((6..8).map(|n| linked(n, Stance::Supports, Perspective::Parent)));
        s.extend((8..14).map(|n| linked(n, Stance::Supports, Perspective::Professional)));
        s
    }

    fn report(disclosed: bool) -> Report {
        let a = [assumption("a")];
        let s = stories();
        let c = [Conclusion {
            assumption_id: "a".into(),
            verdict: Verdict::DoesNotHold,
            reasoning: "Jongeren kennen de regels niet".into(),
            session_id: None,
            recorded_by: None,
            recorded_at: OffsetDateTime::UNIX_EPOCH,
        }];
        let x = [ActionRef {
            title: "Uitleg | in gewone taal".into(),
            status: "open".into(),
            party: "Gemeente".into(),
            due: String::new(),
            assumption_ids: vec!["a".into()],
        }];
        build(&Input {
            campaign: "Toets".into(),
            policy: "Beleid".into(),
            assumptions: &a,
            stories: &s,
            conclusions: &c,
            actions: &x,
            disclosed,
            k: 5,
        })
    }

    #[test]
    fn counts_per_stance_and_group_and_small_cells_hidden_for_steering() {
        let open = report(false);
        let a = &open.assumptions[0];
        assert_eq!(a.rows[0].cells, ["0", "2", "6", "0"], "supports: parents 2, professionals 6");
        assert_eq!(a.rows[1].cells, ["6", "0", "0", "0"]);
        assert_eq!(a.linked, 14);
        let steering = report(true);
        let a = &steering.assumptions[0];
        assert_eq!(a.rows[0].cells[1], "<5", "2 parent stories are shown as <5");
        assert!(steering.hidden >= 1);
        assert!(a.quotes.iter().all(|q| q.group != "Ouders"), "no quote from a hidden cell");
        assert!(a.quotes.iter().all(|q| q.story_id.is_empty()), "no story ids for steering");
    }

    #[test]
    fn quotes_take_turns_over_stances_and_stop_at_three() {
        let r = report(false);
        let q = &r.assumptions[0].quotes;
        assert_eq!(q.len(), MAX_QUOTES);
        assert_eq!(q[0].stance, "ondersteunt");
        assert_eq!(q[1].stance, "spreekt tegen");
    }

    #[test]
    fn markdown_has_the_table_conclusion_and_escaped_actions() {
        let md = markdown(&report(true));
        assert!(md.contains("## Aanname 1: Jongeren weten welke maatregelen mogen"));
        let row = md.lines().find(|l| l.starts_with("| ondersteunt |")).unwrap();
        // The professionals' 6 is hidden too (secondary), so no small count follows from the totals.
        assert_eq!(row, "| ondersteunt | <5 | <5 | × | <5 | 8 |", "{md}");
        assert!(md.contains("### Conclusie: klopt niet"));
        assert!(md.contains("- Uitleg \\| in gewone taal (open) — Gemeente"));
    }

    /// Youth: 3 support, 10 contradict, 10 are mixed; every other cell is 10.
    fn one_small_cell() -> Vec<LinkedStory> {
        let mut s = Vec::new();
        let mut n = 0;
        for (st, per) in
            [(Stance::Supports, [3, 10, 10, 10]), (Stance::Contradicts, [10; 4]), (Stance::Mixed, [10; 4])]
        {
            for (p, count) in Perspective::ALL.iter().zip(per) {
                for _ in 0..count {
                    s.push(linked(n, st, *p));
                    n += 1;
                }
            }
        }
        s
    }

    #[test]
    fn a_hidden_cell_cannot_be_worked_out_from_the_row_or_column_totals() {
        assert_eq!(Stance::ALL.len(), 3, "the test table has a row per stance");
        let a = [assumption("a")];
        let s = one_small_cell();
        let input = Input {
            campaign: "Toets".into(),
            policy: String::new(),
            assumptions: &a,
            stories: &s,
            conclusions: &[],
            actions: &[],
            disclosed: true,
            k: 5,
        };
        let table: Vec<Vec<u64>> = vec![vec![3, 10, 10, 10], vec![10; 4], vec![10; 4]];
        // Per row alone, the 3 would be the only hidden cell of the youth column: the youth
        // stories linked to the assumption (23) minus the 20 shown.
        let per_row: Vec<Vec<bool>> = table
            .iter()
            .map(|r| {
                let row = crate::analysis::suppression::suppress(
                    &r.iter().map(|&n| n as i64).collect::<Vec<_>>(),
                    5,
                );
                row.cells.iter().map(|c| *c == crate::analysis::suppression::Cell::Hidden).collect()
            })
            .collect();
        assert_eq!(disclosure::bounds(&table, &per_row)[0][0], Some((3, 3)), "per-row suppression leaks it");
        let r = build(&input);
        let rows = &r.assumptions[0].rows;
        assert_eq!(rows[0].cells[0], "<5");
        let hidden: Vec<Vec<bool>> =
            rows.iter().map(|row| row.cells.iter().map(|c| c == "<5" || c == "×").collect()).collect();
        assert!(
            hidden.iter().flatten().filter(|h| **h).count() >= 4,
            "a rectangle of hidden cells: {rows:?}"
        );
        let (lo, hi) = disclosure::bounds(&table, &hidden)[0][0].unwrap();
        assert!(hi - lo >= 5, "with every total known the 3 lies anywhere in {lo}..={hi}");
        // Every number the report still shows is the true one.
        for (row, counts) in rows.iter().zip(&table) {
            for (shown, n) in row.cells.iter().zip(counts) {
                assert!(shown == &n.to_string() || shown == "<5" || shown == "×");
            }
            assert_eq!(row.total, counts.iter().sum::<u64>().to_string());
        }
        assert_eq!(r.hidden, hidden.iter().flatten().filter(|h| **h).count());
        assert!(markdown(&r).contains("met × verborgen aantallen"));
    }

    #[test]
    fn long_stories_are_cut_at_a_word() {
        let long = "woord ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with(" …") && e.chars().count() <= QUOTE_CHARS + 2);
    }
}
