//! Label terms of threads by class-based TF-IDF (c-TF-IDF, as in BERTopic): a term names a
//! thread when it is frequent in the thread's stories and rare across all threads. Shown in the
//! form storytellers wrote most often ("wachtlijsten"), not as the stem ("wachtlijst").

use super::features::Features;

/// The `top` label terms of each class `0..k`, best first, as (term id, score).
/// `assign[i]` is the class of row `i`; `u32::MAX` (unassigned) rows do not count.
///
/// score(t, c) = tf(t, c) × ln(1 + A / f(t)), with tf(t, c) the count of t in class c, f(t) its
/// count over all classes and A the average number of words per class.
pub fn c_tf_idf(f: &Features, assign: &[u32], k: usize, top: usize) -> Vec<Vec<(u32, f64)>> {
    let nt = f.n_terms();
    let mut tf = vec![0u64; k * nt];
    for (i, &c) in assign.iter().enumerate() {
        if (c as usize) < k {
            let (terms, counts) = f.row_counts(i);
            for (&t, &n) in terms.iter().zip(counts) {
                tf[c as usize * nt + t as usize] += n as u64;
            }
        }
    }
    let mut across = vec![0u64; nt];
    for c in 0..k {
        for (a, &x) in across.iter_mut().zip(&tf[c * nt..(c + 1) * nt]) {
            *a += x;
        }
    }
    let total: u64 = across.iter().sum();
    let avg = total as f64 / k.max(1) as f64;
    (0..k)
        .map(|c| {
            let mut scored: Vec<(u32, f64)> = tf[c * nt..(c + 1) * nt]
                .iter()
                .enumerate()
                .filter(|&(_, &x)| x > 0)
                .map(|(t, &x)| (t as u32, x as f64 * (1.0 + avg / across[t] as f64).ln()))
                .collect();
            // Ties broken by term id, so labels never depend on sort stability.
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(top);
            scored
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::discovery::{Doc, Progress, features};

    #[test]
    fn the_distinctive_word_of_a_class_comes_first() {
        let texts = [
            "wachtlijst lang wachten hulp",
            "wachtlijst maanden wachten hulp",
            "wachtlijst wachten hulp",
            "school mentor klas hulp",
            "school mentor hulp",
            "school klas mentor hulp",
        ];
        let docs: Vec<Doc> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Doc { id: i.to_string(), text: t.to_string(), language: "nl".into() })
            .collect();
        let params = features::FeatureParams { min_df: 1, max_df: 1.0, bigrams: false };
        let f = features::build(&docs, &params, &mut Progress::none()).unwrap();
        let labels = c_tf_idf(&f, &[0, 0, 0, 1, 1, u32::MAX], 2, 3);
        let names =
            |c: usize| labels[c].iter().map(|&(t, _)| f.vocab[t as usize].clone()).collect::<Vec<_>>();
        // "wachtlijst" and "wacht" (from "wachten") are equally distinctive of the first class.
        assert!(names(0)[..2].contains(&"wachtlijst".to_string()), "{:?}", names(0));
        assert!(names(1).contains(&"schol".to_string()), "{:?}", names(1));
        // "hulp" is in every story: it may appear, but never above the distinctive words.
        assert!(names(0).iter().position(|n| n == "hulp").is_none_or(|p| p > 0));
    }
}
