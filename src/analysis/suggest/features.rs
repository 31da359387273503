//! Sparse sublinear TF-IDF features for the suggestion model, kept small and local to it: terms
//! from the shared text pipeline, a vocabulary fitted on the training stories, L2-normalised rows.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::analysis::text::{Analyzer, analyze};

/// The analysed terms of one text with their counts, sorted by term.
pub(super) type Terms = Vec<(String, u32)>;

/// Stemmed, folded terms of a text (stop words out), counted.
pub(super) fn terms(text: &str, language: &str) -> Terms {
    terms_and_surfaces(text, language).0
}

/// Terms as `terms` does, plus for each the byte range of its first occurrence in `text`, so an
/// explanation can show the word as the teller wrote it rather than its stem.
pub(super) fn terms_and_surfaces(text: &str, language: &str) -> (Terms, Vec<(usize, usize)>) {
    let mut tokens = analyze(text, Analyzer::for_language(language));
    tokens.sort_unstable_by(|a, b| a.text.cmp(&b.text).then(a.start.cmp(&b.start)));
    let mut out: Terms = Vec::new();
    let mut surfaces = Vec::new();
    for t in tokens {
        match out.last_mut() {
            Some((last, count)) if *last == t.text => *count += 1,
            _ => {
                surfaces.push((t.start, t.end));
                out.push((t.text, 1));
            }
        }
    }
    (out, surfaces)
}

/// Terms of many texts, on `threads` threads. Stemming is the slowest part of training on a large
/// archive, and each text is independent, so the chunks run side by side; the output order is the
/// input order whatever the thread count.
pub(super) fn terms_of_all<'a, T: Sync>(
    items: &'a [T],
    text_of: impl Fn(&'a T) -> (&'a str, &'a str) + Sync,
    threads: usize,
) -> Vec<Terms> {
    let threads = threads.max(1);
    if threads == 1 || items.len() < 256 {
        return items.iter().map(|it| terms_of(text_of(it))).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let text_of = &text_of;
                s.spawn(move || part.iter().map(|it| terms_of(text_of(it))).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("tokenizer thread panicked")).collect()
    })
}

fn terms_of((text, language): (&str, &str)) -> Terms {
    terms(text, language)
}

/// The model's vocabulary: terms sorted (so look-ups are a binary search and the serialised
/// model is byte-for-byte deterministic) with their inverse document frequencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Vocabulary {
    terms: Vec<String>,
    idf: Vec<f32>,
}

impl Vocabulary {
    /// Keeps terms in at least `min_df` documents (one-off misspellings and names only add
    /// noise), at most `max_terms` of them by document frequency (ties by term, for
    /// determinism). Smoothed idf = ln((1 + n) / (1 + df)) + 1, as in the usual TF-IDF.
    pub(super) fn fit<'a>(
        docs: impl Iterator<Item = &'a Terms>,
        min_df: u32,
        max_terms: usize,
    ) -> Vocabulary {
        let mut df: HashMap<&str, u32> = HashMap::new();
        let mut n = 0usize;
        for doc in docs {
            n += 1;
            for (term, _) in doc {
                *df.entry(term.as_str()).or_insert(0) += 1;
            }
        }
        let mut kept: Vec<(&str, u32)> = df.into_iter().filter(|&(_, d)| d >= min_df.max(1)).collect();
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        kept.truncate(max_terms);
        kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let idf = kept.iter().map(|&(_, d)| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32).collect();
        Vocabulary { terms: kept.into_iter().map(|(t, _)| t.to_string()).collect(), idf }
    }

    pub(super) fn len(&self) -> usize {
        self.terms.len()
    }

    pub(super) fn term(&self, index: usize) -> &str {
        &self.terms[index]
    }

    pub(super) fn index(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }

    /// One document as a sparse row: sublinear tf (1 + ln count, so a word repeated ten times
    /// does not outweigh ten different theme words) times idf, scaled to unit length so long
    /// and short stories score on the same scale. Indices ascend.
    pub(super) fn row(&self, terms: &Terms) -> (Vec<u32>, Vec<f32>) {
        self.weigh(terms.iter().filter_map(|(t, c)| self.index(t).map(|i| (i, *c))))
    }

    /// The TF-IDF row of (term index, count) pairs in ascending index order.
    fn weigh(&self, counts: impl Iterator<Item = (usize, u32)>) -> (Vec<u32>, Vec<f32>) {
        let mut indices = Vec::new();
        let mut values = Vec::new();
        for (i, count) in counts {
            indices.push(i as u32);
            values.push((1.0 + (count as f64).ln()) * self.idf[i] as f64);
        }
        let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
        let values = values.into_iter().map(|v| if norm > 0.0 { (v / norm) as f32 } else { 0.0 }).collect();
        (indices, values)
    }

    /// Rows for many documents, in order. Looks terms up in a hash map rather than by binary
    /// search: a hundred thousand stories are some six million look-ups.
    pub(super) fn matrix<'a>(&self, docs: impl Iterator<Item = &'a Terms>) -> Csr {
        let index: HashMap<&str, usize> =
            self.terms.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
        let mut m = Csr { indptr: vec![0], indices: Vec::new(), values: Vec::new() };
        for doc in docs {
            let (i, v) = self.weigh(doc.iter().filter_map(|(t, c)| index.get(t.as_str()).map(|&i| (i, *c))));
            m.indices.extend(i);
            m.values.extend(v);
            m.indptr.push(m.indices.len());
        }
        m
    }
}

/// Compressed sparse rows: one row per document. `f32` values halve the memory traffic of the
/// solver's passes; sums are taken in `f64`.
#[derive(Debug, Clone, Default)]
pub(super) struct Csr {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl Csr {
    pub(super) fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_stemmed_counted_and_sorted() {
        let t = terms("De wachtlijst, weer die wachtlijsten. Wachten!", "nl");
        let wacht = t.iter().find(|(w, _)| w == "wachtlijst").expect("stem of wachtlijst(en)");
        assert_eq!(wacht.1, 2);
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "{t:?}");
    }

    #[test]
    fn rare_terms_are_dropped_and_rows_have_unit_length() {
        let docs = [terms("wachtlijst school", "nl"), terms("wachtlijst geld", "nl"), terms("school", "nl")];
        let v = Vocabulary::fit(docs.iter(), 2, 100);
        assert_eq!(v.len(), 2, "geld occurs once");
        let (i, x) = v.row(&docs[0]);
        assert_eq!(i.len(), 2);
        let norm: f32 = x.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        let (i, _) = v.row(&terms("iets heel anders", "nl"));
        assert!(i.is_empty());
    }
}
