//! Synthetic story sets with known differences between groups, seeded: for the unit tests of
//! the map and for `luister bench map`, which needs a 100,000-story campaign without a
//! database. Group g mentions theme t with a probability that grows with g for even themes and
//! is equal across groups for odd ones, so a correct map finds the even themes and not the odd.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Answer, GroupInput, MapInput, SignifierInput, SignifierKind, StoryInput, Term, ThemeInput};

/// Words in the synthetic vocabulary; the first `THEME_WORDS` × themes belong to themes.
const VOCABULARY: usize = 3_000;
const THEME_WORDS: usize = 5;
const WORDS_PER_STORY: usize = 40;

/// A seeded story set of `stories` stories in `groups` groups with `themes` themes and four
/// signifiers (a triad, a dyad, a single and a multiple choice).
pub fn story_set(stories: usize, themes: usize, groups: usize, seed: u64) -> MapInput {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let terms: Vec<Term> = (0..VOCABULARY)
        .map(|i| {
            let w = word(i);
            Term { stem: w.clone(), word: w }
        })
        .collect();
    let mut out = Vec::with_capacity(stories);
    for s in 0..stories {
        let group = rng.random_range(0..groups);
        let lift = group as f64 / groups.max(1) as f64;
        let story_themes: Vec<usize> = (0..themes)
            .filter(|&t| {
                let p = if t % 2 == 0 { 0.05 + 0.15 * lift } else { 0.12 };
                rng.random::<f64>() < p
            })
            .collect();
        let mut bag = std::collections::BTreeMap::<u32, u32>::new();
        let mut text = Vec::with_capacity(WORDS_PER_STORY);
        for i in 0..WORDS_PER_STORY {
            let w = match story_themes.get(i % 8) {
                // Theme words, and for even themes a group-specific one among them.
                Some(&t) if i < 8 => {
                    t * THEME_WORDS + if t % 2 == 0 { group % THEME_WORDS } else { i % THEME_WORDS }
                }
                _ => {
                    // Roughly Zipfian background words.
                    let u: f64 = rng.random();
                    let background = VOCABULARY - themes * THEME_WORDS;
                    themes * THEME_WORDS + ((background as f64).powf(u) as usize - 1).min(background - 1)
                }
            };
            *bag.entry(w as u32).or_default() += 1;
            text.push(word(w));
        }
        let e = |rng: &mut ChaCha8Rng| -(1.0 - rng.random::<f64>()).ln();
        let triad = match rng.random_range(0..20) {
            0 => Answer::NotApplicable,
            1 => Answer::NoAnswer,
            2 => Answer::Triad([1.0, 0.0, 0.0]),
            _ => Answer::Triad([e(&mut rng) * (1.0 + lift), e(&mut rng), e(&mut rng)]),
        };
        let dyad = match rng.random_range(0..10) {
            0 => Answer::NoAnswer,
            _ => Answer::Dyad((rng.random::<f64>() * 0.8 + 0.2 * lift).min(1.0)),
        };
        let single = Answer::Choice(vec![if rng.random::<f64>() < 0.3 + 0.3 * lift {
            0
        } else {
            rng.random_range(1..3)
        }]);
        let multiple =
            Answer::Choice((0..3).filter(|&o| rng.random::<f64>() < 0.2 + 0.1 * o as f64).collect());
        out.push(StoryInput {
            id: format!("s{s}"),
            group: Some(group),
            themes: story_themes,
            answers: vec![triad, dyad, single, multiple],
            words: bag.into_iter().collect(),
            text: text.join(" "),
            language: "xx".into(),
        });
    }
    MapInput {
        axis: "perspective".into(),
        groups: (0..groups)
            .map(|g| GroupInput { key: format!("g{g}"), label: format!("Groep {g}") })
            .collect(),
        themes: (0..themes)
            .map(|t| ThemeInput { id: format!("t{t}"), label: format!("Thema {t}") })
            .collect(),
        signifiers: vec![
            SignifierInput {
                id: "triad".into(),
                label: "Wat hielp".into(),
                kind: SignifierKind::Triad { corners: ["gehoord".into(), "snel".into(), "samen".into()] },
            },
            SignifierInput {
                id: "dyad".into(),
                label: "Hoe voelde het".into(),
                kind: SignifierKind::Dyad { left: "machteloos".into(), right: "sterk".into() },
            },
            SignifierInput {
                id: "single".into(),
                label: "Waar".into(),
                kind: SignifierKind::Choice {
                    options: vec!["thuis".into(), "school".into(), "zorg".into()],
                    multiple: false,
                },
            },
            SignifierInput {
                id: "multiple".into(),
                label: "Wie".into(),
                kind: SignifierKind::Choice {
                    options: vec!["ouder".into(), "vriend".into(), "hulpverlener".into()],
                    multiple: true,
                },
            },
        ],
        terms,
        stories: out,
    }
}

/// A word made of letters only, distinct per index ("ba", "be", …), so that the plain text
/// pipeline leaves it as it is.
fn word(mut i: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut w = String::new();
    loop {
        w.push(C[i % C.len()] as char);
        i /= C.len();
        w.push(V[i % V.len()] as char);
        i /= V.len();
        if i == 0 {
            return w;
        }
        i -= 1;
    }
}

/// The input of a 100,000-story-sized benchmark: `stories` stories, 20 themes, 4 groups,
/// seed 7. `luister bench map` times [`super::compute`] on it.
pub fn bench_input(stories: usize) -> MapInput {
    story_set(stories, 20, 4, 7)
}
