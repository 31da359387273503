//! End-to-end checks of discovery on the demo corpus, whose stories carry their true themes.

use super::*;

fn demo(n: usize, seed: u64) -> (Vec<Doc>, Vec<usize>) {
    let mut docs = Vec::new();
    let mut truth = Vec::new();
    for s in crate::demo::generate(n, seed) {
        truth.push(crate::demo::THEMES.iter().position(|t| *t == s.true_themes[0]).expect("theme"));
        docs.push(Doc { id: s.external_id, text: s.text, language: s.language });
    }
    (docs, truth)
}

/// Thread index per story (position in `threads`), unassigned stories as one more label.
fn predicted(docs: &[Doc], d: &Discovery) -> Vec<usize> {
    let pos: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, doc)| (doc.id.as_str(), i)).collect();
    let mut pred = vec![d.threads.len(); docs.len()];
    for (c, t) in d.threads.iter().enumerate() {
        for m in &t.members {
            pred[pos[m.doc_id.as_str()]] = c;
        }
    }
    pred
}

fn quiet() -> impl FnMut(f64) -> bool {
    |_| true
}

#[test]
fn threads_match_the_primary_themes_at_the_true_k() {
    let (docs, truth) = demo(2_000, 11);
    let params = Params { k: K::Fixed(8), stability_seeds: 1, ..Params::default() };
    let d = discover(&docs, &params, &mut quiet()).unwrap();
    let pred = predicted(&docs, &d);
    // Unassigned stories count as one cluster of their own (the stricter reading), and so does
    // the thread of English stories (3%), which mixes themes.
    let ami = metrics::adjusted_mutual_info(&truth, &pred);
    assert!(ami >= 0.8, "AMI {ami}");
    assert!(d.unassigned.len() < docs.len() / 20, "{} unassigned", d.unassigned.len());
    assert_eq!(d.k, 8);
    let english: Vec<&Thread> = d.threads.iter().filter(|t| t.language.is_some()).collect();
    assert_eq!(english.len(), 1);
    assert_eq!(english[0].language.as_deref(), Some("en"));
    // Every thread is described: labels in written form, five representatives, a stability.
    for t in &d.threads {
        assert_eq!(t.size, t.members.len());
        assert_eq!(t.label_terms.len(), 8);
        assert_eq!(t.representatives.len(), 5);
        assert_eq!(t.representatives[0], t.members[0].doc_id);
        assert!(t.members.windows(2).all(|w| w[0].score >= w[1].score));
        assert!((0.0..=1.0).contains(&t.stability));
    }
    // Themes are recognisable by their label terms.
    let labels: Vec<String> = d.threads.iter().map(|t| t.label_terms.join(" ")).collect();
    for word in ["wachtlijst", "school", "werkdruk", "schulden", "gesloten", "gehoord"] {
        assert!(labels.iter().any(|l| l.contains(word)), "no thread about {word}: {labels:#?}");
    }
    let total: usize = d.threads.iter().map(|t| t.size).sum::<usize>() + d.unassigned.len();
    assert_eq!(total, docs.len());
}

#[test]
fn no_stories_no_threads() {
    let d = discover(&[], &Params::default(), &mut quiet()).unwrap();
    assert!(d.threads.is_empty() && d.unassigned.is_empty());
    let one = [Doc { id: "a".into(), text: "alleen ik".into(), language: "nl".into() }];
    let d = discover(&one, &Params::default(), &mut quiet()).unwrap();
    assert_eq!(d.unassigned.len(), 1);
}

#[test]
fn automatic_k_finds_the_eight_themes() {
    let (docs, _) = demo(2_000, 3);
    // k is chosen on the TF-IDF rows whatever the method; spherical k-means then reuses that
    // clustering, and a narrower range than the default 4..=15 keeps the test quick in debug.
    let params = Params {
        k: K::Auto { min: 6, max: 10 },
        method: Method::Spherical,
        stability_seeds: 0,
        ..Params::default()
    };
    let d = discover(&docs, &params, &mut quiet()).unwrap();
    assert_eq!(d.k, 8, "{:?}", d.k_scores);
    assert_eq!(d.k_scores.len(), 5);
}

#[test]
fn same_seed_same_threads_and_progress_can_cancel() {
    let (docs, _) = demo(600, 5);
    let params = Params { k: K::Fixed(5), restarts: 2, stability_seeds: 1, ..Params::default() };
    let mut seen = Vec::new();
    let a = discover(&docs, &params, &mut |p| {
        seen.push(p);
        true
    })
    .unwrap();
    assert_eq!(a, discover(&docs, &params, &mut quiet()).unwrap());
    assert!(seen.windows(2).all(|w| w[0] <= w[1] + 1e-12), "progress went back: {seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
    let mut calls = 0;
    let cancelled = discover(&docs, &params, &mut |_| {
        calls += 1;
        calls < 3
    });
    assert_eq!(cancelled, Err(Cancelled));
}

#[test]
fn stories_that_fit_no_thread_are_unassigned() {
    // Three clear themes of 30 stories each, plus stories without a single vocabulary word and
    // one that mixes the themes.
    let themes = [
        ["wachtlijst", "maanden", "wachten", "intake", "aanmelding", "wachttijd"],
        ["school", "mentor", "klas", "rooster", "leraar", "verzuim"],
        ["schulden", "toeslagen", "rekeningen", "betalen", "geld", "budget"],
    ];
    let mut docs = Vec::new();
    for (t, words) in themes.iter().enumerate() {
        for i in 0..30 {
            // Five of the theme's six words, a different one left out each time.
            let text: Vec<&str> =
                (0..words.len()).filter(|&j| j != i % words.len()).map(|j| words[j]).collect();
            docs.push(Doc { id: format!("t{t}-{i}"), text: text.join(" "), language: "nl".into() });
        }
    }
    docs.push(Doc { id: "empty".into(), text: "Qwerty zxcvb!".into(), language: "nl".into() });
    docs.push(Doc { id: "digits".into(), text: "12 34 2024".into(), language: "nl".into() });
    // A little of every theme and nothing of its own: it fits all three threads equally badly.
    docs.push(Doc { id: "mixed".into(), text: "wachtlijst school schulden".into(), language: "nl".into() });
    let params = Params { k: K::Fixed(3), min_df: 2, stability_seeds: 2, ..Params::default() };
    let d = discover(&docs, &params, &mut quiet()).unwrap();
    let unassigned: Vec<&str> = d.unassigned.iter().map(|m| m.doc_id.as_str()).collect();
    for id in ["empty", "digits", "mixed"] {
        assert!(unassigned.contains(&id), "{id} was put in a thread: {unassigned:?}");
    }
    assert_eq!(d.threads.len(), 3);
    assert!(d.threads.iter().all(|t| t.size >= 30 && t.stability > 0.9), "{:?}", d.threads);
}

#[test]
fn merge_then_split_gives_back_two_threads() {
    let (docs, _) = demo(1_000, 9);
    let params = Params {
        k: K::Fixed(6),
        method: Method::Spherical,
        restarts: 4,
        stability_seeds: 1,
        ..Params::default()
    };
    let d = discover(&docs, &params, &mut quiet()).unwrap();
    let (a, b) = (d.threads[0].id, d.threads[1].id);
    let sizes = d.threads[0].size + d.threads[1].size;
    let merged = merge(&docs, &d, a, b, &params, &mut quiet()).unwrap();
    assert_eq!(merged.threads.len(), d.threads.len() - 1);
    let new =
        merged.threads.iter().find(|t| t.id != a && t.id != b && !d.threads.iter().any(|o| o.id == t.id));
    let new = new.expect("a merged thread with a new id");
    assert_eq!(new.size, sizes);
    assert!(new.stability >= 0.0);
    // The other threads keep their ids, members and stability.
    for old in &d.threads[2..] {
        let same = merged.threads.iter().find(|t| t.id == old.id).expect("kept");
        assert_eq!(same.size, old.size);
        assert_eq!(same.stability, old.stability);
    }
    let split_again = split(&docs, &merged, new.id, K::Fixed(2), &params, &mut quiet()).unwrap();
    assert_eq!(split_again.threads.len(), d.threads.len());
    let parts: Vec<&Thread> = split_again.threads.iter().filter(|t| t.id > new.id).collect();
    assert_eq!(parts.len(), 2);
    let back: usize = parts.iter().map(|t| t.size).sum();
    assert!(back + split_again.unassigned.len() - merged.unassigned.len() == sizes);
    // The two original threads were distinct themes: the split finds them again (mostly).
    let members = |t: &Thread| -> std::collections::HashSet<String> {
        t.members.iter().map(|m| m.doc_id.clone()).collect()
    };
    let original = members(&d.threads[0]);
    let best = parts
        .iter()
        .map(|p| {
            let m = members(p);
            m.intersection(&original).count() as f64 / m.union(&original).count() as f64
        })
        .fold(0.0, f64::max);
    assert!(best > 0.8, "best Jaccard {best}");
}
