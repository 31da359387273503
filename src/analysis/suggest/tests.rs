//! Behaviour of the suggestion model on small hand-made sets and on the demo corpus.

use std::sync::LazyLock;
use std::time::Instant;

use super::*;
use crate::demo;

/// Demo stories as training examples: every true theme accepted (multi-label). Only the text:
/// titles are theme-specific and would make the task easier than it is for untitled stories.
fn demo_examples(n: usize, seed: u64) -> Vec<Example> {
    demo::generate(n, seed)
        .map(|s| Example {
            doc_id: s.external_id,
            text: s.text,
            language: s.language,
            labels: s.true_themes.into_iter().map(|t| (t, true)).collect(),
        })
        .collect()
}

fn example(id: &str, text: &str, labels: &[(&str, bool)]) -> Example {
    Example {
        doc_id: id.to_string(),
        text: text.to_string(),
        language: "nl".to_string(),
        labels: labels.iter().map(|(t, y)| (t.to_string(), *y)).collect(),
    }
}

/// One model on demo stories shared by the behaviour tests (training it once keeps the debug
/// test run short).
static DEMO_MODEL: LazyLock<Model> = LazyLock::new(|| train(&demo_examples(1500, 3), &Params::default()));

#[test]
fn demo_corpus_reaches_macro_f1_of_0_8_in_five_fold_cross_validation() {
    let start = Instant::now();
    let examples = demo_examples(3000, 11);
    let generated = start.elapsed();
    let eval = cross_validate(&examples, 5, 42, &Params::default());
    println!("{eval}");
    println!("generate {:.1?}, cross-validate {:.1?}", generated, start.elapsed() - generated);
    assert_eq!(eval.themes.len(), demo::THEMES.len());
    assert!(eval.skipped.is_empty(), "{:?}", eval.skipped);
    assert!(eval.macro_f1 >= 0.8, "macro-F1 {:.3}", eval.macro_f1);
    for t in &eval.themes {
        assert!(t.f1 >= 0.7, "{}: F1 {:.3}", t.theme, t.f1);
    }
    // Confidences mean what they say: within two points on average, also where they are shown.
    assert!(eval.calibration_error < 0.02, "ECE {:.4}", eval.calibration_error);
    assert!(eval.calibration_error_shown < 0.04, "ECE >= 0.1 {:.4}", eval.calibration_error_shown);
    assert!(eval.calibration_error < eval.raw_calibration_error, "calibration helps");
}

#[test]
fn suggestions_show_the_words_that_drove_them_as_written() {
    let text = "Mijn zoon stond acht maanden op de Wachtlijst voor een intake. Elke keer als ik belde \
                was de wachttijd weer langer.";
    let s = DEMO_MODEL.suggest(text, "nl", 0.5);
    assert_eq!(s.first().map(|s| s.theme.as_str()), Some("wachtlijst"), "{s:?}");
    let words = &s[0].words;
    assert!(!words.is_empty() && words.len() <= Params::default().explain_words);
    assert!(words.iter().any(|(w, _)| w == "Wachtlijst"), "surface form, capital kept: {words:?}");
    assert!(words.windows(2).all(|p| p[0].1 >= p[1].1) && words.iter().all(|(_, c)| *c > 0.0));
    for (w, _) in words {
        assert!(text.contains(w.as_str()), "{w} is a word of the story");
    }
}

#[test]
fn suggestions_are_filtered_by_confidence_and_most_confident_first() {
    let text = "Op school snapte mijn mentor niet dat ik thuis geen rust had; ik mocht niet meepraten \
                over mijn eigen plan en kreeg een schorsing.";
    let all = DEMO_MODEL.suggest(text, "nl", 0.0);
    assert_eq!(all.len(), DEMO_MODEL.themes().len(), "every theme at confidence 0");
    assert!(all.windows(2).all(|p| p[0].confidence >= p[1].confidence));
    let some = DEMO_MODEL.suggest(text, "nl", 0.3);
    assert!(some.len() < all.len() && some.iter().all(|s| s.confidence >= 0.3));
    assert!(DEMO_MODEL.suggest("", "nl", 0.5).is_empty(), "an empty story suggests nothing");
}

#[test]
fn the_learnt_words_of_a_theme_are_its_vocabulary() {
    let top: Vec<String> = DEMO_MODEL.top_terms("geldzorgen", 10).into_iter().map(|(t, _)| t).collect();
    assert!(top.iter().any(|t| t.starts_with("geld") || t.starts_with("schuld")), "{top:?}");
    assert!(DEMO_MODEL.top_terms("no such theme", 10).is_empty());
}

#[test]
fn training_gives_the_same_model_whatever_the_thread_count() {
    let examples = demo_examples(400, 8);
    let one = train(&examples, &Params { threads: 1, ..Params::default() });
    let three = train(&examples, &Params { threads: 3, ..Params::default() });
    assert!(one == three, "models differ");
}

#[test]
fn a_stored_model_suggests_what_the_trained_one_did() {
    let json = serde_json::to_string(&*DEMO_MODEL).expect("serialises");
    let back: Model = serde_json::from_str(&json).expect("deserialises");
    let text = "Na mijn achttiende moest ik uit de woongroep en ik had geen eigen kamer.";
    let (a, b) = (back.suggest(text, "nl", 0.0), DEMO_MODEL.suggest(text, "nl", 0.0));
    assert_eq!(a.len(), b.len());
    // serde_json may read a float back one unit in the last place off; nothing more.
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.theme, x.words.len()), (&y.theme, y.words.len()));
        assert!((x.confidence - y.confidence).abs() < 1e-9, "{x:?} vs {y:?}");
    }
}

#[test]
fn themes_with_too_few_positives_are_skipped_and_listed() {
    let mut examples = demo_examples(300, 4);
    for e in examples.iter_mut().take(3) {
        e.labels.push(("zeldzaam".to_string(), true));
    }
    let model = train(&examples, &Params::default());
    assert!(model.themes().iter().all(|t| t.theme != "zeldzaam"));
    let skipped = model.skipped().iter().find(|s| s.theme == "zeldzaam").expect("listed");
    assert_eq!((skipped.positives, skipped.negatives), (3, 297));
}

#[test]
fn coding_other_themes_makes_a_negative_but_an_uncoded_story_stays_out() {
    let examples = [
        example("a", "x", &[("geld", true)]),
        example("b", "x", &[("school", false)]),
        example("c", "x", &[]),
        example("d", "x", &[("geld", true), ("geld", false), ("school", true)]),
    ];
    let labels = Labels::new(&examples, true);
    assert_eq!(labels.themes, ["geld", "school"]);
    // a: coded with geld, so not school; b: only a rejection, geld unknown; c: not coded;
    // d: coders disagree on geld, so it is evidence of neither.
    assert_eq!(labels.marks[0], [1, 0, 0, 0]);
    assert_eq!(labels.marks[1], [-1, -1, 0, 1]);
    let explicit = Labels::new(&examples, false);
    assert_eq!(explicit.marks[1], [0, -1, 0, 1]);
}

/// CPU seconds used by this process so far (user + system, all threads), from /proc on Linux;
/// wall time alone misleads on a shared machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// Timing at archive scale: `cargo test --release -- --ignored training_time`. Besides the 8
/// demo themes it trains 50 (themes split by perspective and prompt as extra, harder themes)
/// to show how the cost grows with the codebook.
#[test]
#[ignore]
fn training_time_for_100k_stories() {
    let n = 100_000;
    let stories: Vec<demo::DemoStory> = demo::generate(n, 5).collect();
    let examples: Vec<Example> = stories
        .iter()
        .map(|s| Example {
            doc_id: s.external_id.clone(),
            text: s.text.clone(),
            language: s.language.clone(),
            labels: s.true_themes.iter().map(|t| (t.clone(), true)).collect(),
        })
        .collect();
    let params = Params::default();
    let threads = params.worker_threads();
    let timed = |what: &str, f: &mut dyn FnMut() -> String| {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let note = f();
        println!(
            "{what}: {:.1} s wall, {:.1} s CPU {note}",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu
        );
    };
    println!("{n} stories, {threads} threads");
    timed("tokenising", &mut || {
        let docs = features::terms_of_all(&examples, |e| (&e.text, &e.language), threads);
        format!("({} documents)", docs.len())
    });
    timed("training 8 themes (tokenising included)", &mut || {
        let model = train(&examples, &params);
        format!("(vocabulary {} terms)", model.vocabulary_size())
    });

    // 50 themes: the 8, theme × perspective (32), theme × prompt "wat-nodig" (8), and two
    // perspectives as themes.
    let wide: Vec<Example> = stories
        .iter()
        .zip(&examples)
        .map(|(s, e)| {
            let mut labels = e.labels.clone();
            for t in &s.true_themes {
                labels.push((format!("{t}/{}", s.perspective), true));
                if s.prompt == "wat-nodig" {
                    labels.push((format!("{t}/wat-nodig"), true));
                }
            }
            if s.perspective == "youth" || s.perspective == "parent" {
                labels.push((s.perspective.clone(), true));
            }
            Example { labels, ..e.clone() }
        })
        .collect();
    timed("training 50 themes (tokenising included)", &mut || {
        let model = train(&wide, &params);
        let json = serde_json::to_string(&model).expect("serialises");
        format!(
            "({} themes, {} skipped; serialised {:.1} MB)",
            model.themes().len(),
            model.skipped().len(),
            json.len() as f64 / 1e6
        )
    });
}
