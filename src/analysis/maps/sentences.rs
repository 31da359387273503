//! One plain-language sentence per pattern, generated from the numbers, in the map's language,
//! so that a facilitator can read a map aloud in a session: who differs from whom, by how much,
//! and whether the difference is likely real (q < 0.05) or may well be chance. The numbers go
//! beside the sentence for a details element.

use super::signifiers::{Detail, SignifierSummary};
use super::themes::ThemeRow;
use super::{GroupSummary, Language, NotTested, Number, Sentence, Settings, SignifierKind, Test};

/// The false discovery rate the sentences call "likely not chance".
const Q_LEVEL: f64 = 0.05;
/// Below this Cramér's V a difference that is not chance is still called small.
const SMALL_V: f64 = 0.1;

fn label(groups: &[GroupSummary], key: &str) -> String {
    groups.iter().find(|g| g.key == key).map_or_else(|| key.to_string(), |g| g.label.clone())
}

/// "Ouders" → "ouders" in the middle of a sentence, but "MBO" stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

/// "Jongeren" stays capitalised at the start of a sentence; a lower-case label gets a capital.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |a| a.to_uppercase().chain(chars).collect())
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn decimal(x: f64, places: usize, lang: Language) -> String {
    let s = format!("{x:.places$}");
    if lang == Language::Nl { s.replace('.', ",") } else { s }
}

fn verdict(test: &Test, lang: Language, small: bool) -> String {
    let real = test.q.unwrap_or(test.p) < Q_LEVEL;
    match (lang, real, small) {
        (Language::Nl, true, false) => "dit verschil is waarschijnlijk geen toeval".into(),
        (Language::Nl, true, true) => "dit verschil is waarschijnlijk geen toeval, maar wel klein".into(),
        (Language::Nl, false, _) => "dit verschil kan goed toeval zijn".into(),
        (Language::En, true, false) => "this difference is unlikely to be chance".into(),
        (Language::En, true, true) => "this difference is unlikely to be chance, but it is small".into(),
        (Language::En, false, _) => "this difference may well be chance".into(),
    }
}

fn test_numbers(test: &Test) -> Vec<Number> {
    let mut n = vec![
        Number { name: "effect".into(), value: test.effect.value },
        Number { name: "statistic".into(), value: test.statistic },
        Number { name: "p".into(), value: test.p },
    ];
    if let Some(q) = test.q {
        n.push(Number { name: "q".into(), value: q });
    }
    n
}

fn too_few(what: &str, lang: Language) -> Sentence {
    let text = match lang {
        Language::Nl => format!("{}: te weinig verhalen om te toetsen.", upper_first(what)),
        Language::En => format!("{}: too few stories to test.", upper_first(what)),
    };
    Sentence { text, numbers: Vec::new() }
}

/// The sentence of a theme row: the tested groups with the highest and the lowest share.
pub(crate) fn theme(row: &ThemeRow, groups: &[GroupSummary], lang: Language) -> Option<Sentence> {
    let Some(test) = &row.test else {
        return (row.not_tested == Some(NotTested::TooFewStories)).then(|| too_few(&row.label, lang));
    };
    let shares: Vec<(&str, f64)> = row
        .cells
        .iter()
        .filter(|c| test.groups.contains(&c.group))
        .filter_map(|c| c.share.map(|s| (c.group.as_str(), s)))
        .collect();
    let hi = shares.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let lo = shares.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let (a, b) = (label(groups, hi.0), label(groups, lo.0));
    let theme = lower_first(&row.label);
    let v = verdict(test, lang, test.effect.value < SMALL_V);
    let text = match lang {
        Language::Nl => format!(
            "{} noemen {theme} vaker dan {} ({} tegen {}); {v}.",
            upper_first(&a),
            lower_first(&b),
            percent(hi.1),
            percent(lo.1)
        ),
        Language::En => format!(
            "{} mention {theme} more often than {} ({} vs {}); {v}.",
            upper_first(&a),
            lower_first(&b),
            percent(hi.1),
            percent(lo.1)
        ),
    };
    let mut numbers = vec![
        Number { name: format!("share {}", hi.0), value: hi.1 },
        Number { name: format!("share {}", lo.0), value: lo.1 },
    ];
    numbers.extend(test_numbers(test));
    Some(Sentence { text, numbers })
}

/// Sets the sentence of a signifier summary.
pub(crate) fn signifier(s: &mut SignifierSummary, groups: &[GroupSummary], lang: Language) {
    let name = s.label.clone();
    match (&mut s.detail, &s.kind) {
        (Detail::Triad(t), SignifierKind::Triad { corners }) => {
            t.sentence = match &t.test {
                None => (t.not_tested == Some(NotTested::TooFewStories)).then(|| too_few(&name, lang)),
                Some(test) => {
                    // The pair of tested groups and the corner where their centres differ most.
                    let centres: Vec<(&str, [f64; 3])> = t
                        .groups
                        .iter()
                        .filter(|g| test.groups.contains(&g.group))
                        .filter_map(|g| g.centre.map(|c| (g.group.as_str(), c)))
                        .collect();
                    let mut best: Option<(usize, usize, usize, f64)> = None;
                    for (i, a) in centres.iter().enumerate() {
                        for (j, b) in centres.iter().enumerate() {
                            for k in 0..3 {
                                let d = a.1[k] - b.1[k];
                                if i != j && best.is_none_or(|x| d > x.3) {
                                    best = Some((i, j, k, d));
                                }
                            }
                        }
                    }
                    best.map(|(i, j, k, _)| {
                        let (a, b) = (centres[i], centres[j]);
                        let v = verdict(test, lang, false);
                        let corner = &corners[k];
                        let caveat = match (test.q.unwrap_or(test.p) < Q_LEVEL, t.robust, lang) {
                            (true, Some(false), Language::Nl) => {
                                " Dit hangt wel af van hoe antwoorden op de rand van de driehoek worden verwerkt."
                            }
                            (true, Some(false), Language::En) => {
                                " This depends on how answers on the edge of the triangle are treated."
                            }
                            _ => "",
                        };
                        let text = match lang {
                            Language::Nl => format!(
                                "Bij ‘{name}’ leggen {} meer gewicht op ‘{corner}’ dan {} (gemiddeld {} tegen {}); {v}.{caveat}",
                                lower_first(&label(groups, a.0)),
                                lower_first(&label(groups, b.0)),
                                percent(a.1[k]),
                                percent(b.1[k])
                            ),
                            Language::En => format!(
                                "On ‘{name}’, {} put more weight on ‘{corner}’ than {} (on average {} vs {}); {v}.{caveat}",
                                lower_first(&label(groups, a.0)),
                                lower_first(&label(groups, b.0)),
                                percent(a.1[k]),
                                percent(b.1[k])
                            ),
                        };
                        let mut numbers = vec![
                            Number { name: format!("centre {} {corner}", a.0), value: a.1[k] },
                            Number { name: format!("centre {} {corner}", b.0), value: b.1[k] },
                        ];
                        numbers.extend(test_numbers(test));
                        Sentence { text, numbers }
                    })
                }
            }
        }
        (Detail::Dyad(d), SignifierKind::Dyad { left, right }) => {
            d.sentence = match &d.test {
                None => (d.not_tested == Some(NotTested::TooFewStories)).then(|| too_few(&name, lang)),
                Some(test) => {
                    let medians: Vec<(&str, f64)> = d
                        .groups
                        .iter()
                        .filter(|g| test.groups.contains(&g.group))
                        .filter_map(|g| g.quantiles.as_ref().map(|q| (g.group.as_str(), q.median)))
                        .collect();
                    let hi = medians.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
                    let lo = medians.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
                    hi.zip(lo).map(|(hi, lo)| {
                        let v = verdict(test, lang, false);
                        let (a, b) = (lower_first(&label(groups, hi.0)), lower_first(&label(groups, lo.0)));
                        let (mh, ml) = (decimal(hi.1, 2, lang), decimal(lo.1, 2, lang));
                        let text = match lang {
                            Language::Nl => format!(
                                "Bij ‘{name}’ antwoorden {a} meer richting ‘{right}’ en {b} meer richting ‘{left}’ (mediaan {mh} tegen {ml}); {v}."
                            ),
                            Language::En => format!(
                                "On ‘{name}’, {a} answer closer to ‘{right}’ and {b} closer to ‘{left}’ (median {mh} vs {ml}); {v}."
                            ),
                        };
                        let mut numbers = vec![
                            Number { name: format!("median {}", hi.0), value: hi.1 },
                            Number { name: format!("median {}", lo.0), value: lo.1 },
                        ];
                        numbers.extend(test_numbers(test));
                        Sentence { text, numbers }
                    })
                }
            }
        }
        (Detail::Choice(c), SignifierKind::Choice { options, .. }) => {
            // The test with the smallest q (the whole table for a single choice).
            let best = c
                .tests
                .iter()
                .filter_map(|t| t.test.as_ref().map(|x| (t.option, x)))
                .min_by(|a, b| a.1.q.unwrap_or(a.1.p).total_cmp(&b.1.q.unwrap_or(b.1.p)));
            c.sentence = match best {
                None => c
                    .tests
                    .iter()
                    .any(|t| t.not_tested == Some(NotTested::TooFewStories))
                    .then(|| too_few(&name, lang)),
                Some((option, test)) => {
                    // The option and pair of groups with the largest difference in share.
                    let mut top: Option<(usize, &str, f64, &str, f64)> = None;
                    let tested: Vec<_> = c.groups.iter().filter(|g| test.groups.contains(&g.group)).collect();
                    for o in (0..options.len()).filter(|&o| option.is_none_or(|x| x == o)) {
                        for a in &tested {
                            for b in &tested {
                                if let (Some(sa), Some(sb)) = (a.options[o].share, b.options[o].share)
                                    && top.is_none_or(|t| sa - sb > t.2 - t.4)
                                {
                                    top = Some((o, a.group.as_str(), sa, b.group.as_str(), sb));
                                }
                            }
                        }
                    }
                    top.map(|(o, a, sa, b, sb)| {
                        let v = verdict(test, lang, test.effect.value < SMALL_V);
                        let (la, lb) = (lower_first(&label(groups, a)), lower_first(&label(groups, b)));
                        let opt = &options[o];
                        let text = match lang {
                            Language::Nl => format!(
                                "Bij ‘{name}’ kiezen {la} vaker ‘{opt}’ dan {lb} ({} tegen {}); {v}.",
                                percent(sa),
                                percent(sb)
                            ),
                            Language::En => format!(
                                "On ‘{name}’, {la} choose ‘{opt}’ more often than {lb} ({} vs {}); {v}.",
                                percent(sa),
                                percent(sb)
                            ),
                        };
                        let mut numbers = vec![
                            Number { name: format!("share {a} {opt}"), value: sa },
                            Number { name: format!("share {b} {opt}"), value: sb },
                        ];
                        numbers.extend(test_numbers(test));
                        Sentence { text, numbers }
                    })
                }
            }
        }
        _ => {}
    }
}

/// The notes every map page shows.
pub(crate) fn notes(tests: usize, settings: &Settings) -> Vec<String> {
    notes_withheld(tests, 0, settings)
}

/// The notes of a map of which `withheld` of its `tests` are not shown (disclosure control):
/// the page counts only the tests a reader sees, and says how many were left out and that the
/// q-values still correct for all of them.
pub(crate) fn notes_withheld(tests: usize, withheld: usize, settings: &Settings) -> Vec<String> {
    let min = settings.min_group;
    let shown = tests.saturating_sub(withheld);
    let (nl_tests, en_tests) = if withheld == 0 {
        (format!("Deze kaart toont {tests} toetsen."), format!("This map shows {tests} tests."))
    } else {
        (
            format!(
                "Deze kaart toont {shown} toetsen; {withheld} van de {tests} toetsen zijn niet getoond omdat ze kleine groepen zouden verraden. De q-waarden corrigeren voor alle {tests}."
            ),
            format!(
                "This map shows {shown} tests; {withheld} of the {tests} tests are not shown because they would give away small groups. The q-values correct for all {tests}."
            ),
        )
    };
    match settings.language {
        Language::Nl => vec![
            "Meerdere verhalen van één verteller tellen hier als onafhankelijke verhalen; wie veel vertelt, weegt dus zwaarder mee.".into(),
            format!(
                "{nl_tests} De q-waarden (Benjamini–Hochberg) beperken het verwachte aandeel toevalstreffers onder de verschillen met q < 0,05 (false discovery rate) tot 5%."
            ),
            format!("Groepen met minder dan {min} verhalen worden niet getoetst: te weinig verhalen om te toetsen."),
            "Eerst staat hoe groot een verschil is (effectgrootte), daarna hoe zeker het is (q).".into(),
        ],
        Language::En => vec![
            "Several stories from one storyteller count as independent stories here, so those who tell more weigh more.".into(),
            format!(
                "{en_tests} The q-values (Benjamini–Hochberg) keep the expected share of chance findings among differences with q < 0.05 (the false discovery rate) at 5%."
            ),
            format!("Groups with fewer than {min} stories are not tested: too few stories to test."),
            "First how large a difference is (effect size), then how sure it is (q).".into(),
        ],
    }
}

/// The caveat of a chi-square test on a table larger than 2 × k with small expected counts.
pub(crate) fn small_expected_note(lang: Language) -> String {
    match lang {
        Language::Nl => {
            "chi-kwadraattoets; sommige verwachte aantallen zijn klein, dus p is bij benadering".into()
        }
        Language::En => "chi-square test; some expected counts are small, so p is approximate".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_lowered_in_the_middle_of_a_sentence_but_not_abbreviations() {
        assert_eq!(lower_first("Ouders"), "ouders");
        assert_eq!(lower_first("MBO-studenten"), "MBO-studenten");
        assert_eq!(upper_first("jongeren"), "Jongeren");
    }

    #[test]
    fn dutch_decimals_use_a_comma() {
        assert_eq!(decimal(0.724, 2, Language::Nl), "0,72");
        assert_eq!(decimal(0.724, 2, Language::En), "0.72");
    }
}
