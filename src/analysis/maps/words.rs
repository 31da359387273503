//! The words behind a map's cells: which words set one group's stories on a theme apart from
//! the other groups' (Fightin' Words, with the whole campaign as the informative prior), which
//! stories represent a cell best (closest to the cell's TF-IDF centroid), and an excerpt of
//! each around the words that matter. Words come from the shared text pipeline
//! ([`crate::analysis::text`]) as stems and are shown as their most common surface form.

use std::collections::HashMap;

use serde::Serialize;

use super::{MapInput, Term};
use crate::analysis::stats::words as fw;
use crate::analysis::text::{self, Analyzer};

/// Builds the vocabulary of a story set from its texts: each text becomes a bag of term
/// indices, and each stem remembers its surface forms so the map can show the most common one.
#[derive(Debug, Default)]
pub struct Lexicon {
    index: HashMap<String, u32>,
    stems: Vec<String>,
    surfaces: Vec<HashMap<String, u64>>,
}

impl Lexicon {
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    /// The bag of words of `text` (in language `language`, e.g. "nl"): (term, count), sorted by
    /// term index.
    pub fn add(&mut self, text: &str, language: &str) -> Vec<(u32, u32)> {
        let mut bag: HashMap<u32, u32> = HashMap::new();
        for token in text::analyze(text, Analyzer::for_language(language)) {
            // Shorter than three letters ("m'n", "zo", "5") is never a word a group uses
            // distinctively, only noise at the top of the list.
            if token.text.chars().filter(|c| c.is_alphabetic()).count() < 3 {
                continue;
            }
            let id = match self.index.get(&token.text) {
                Some(&id) => id,
                None => {
                    let id = self.stems.len() as u32;
                    self.index.insert(token.text.clone(), id);
                    self.stems.push(token.text.clone());
                    self.surfaces.push(HashMap::new());
                    id
                }
            };
            *self.surfaces[id as usize].entry(text::exact(&text[token.start..token.end])).or_default() += 1;
            *bag.entry(id).or_default() += 1;
        }
        let mut bag: Vec<(u32, u32)> = bag.into_iter().collect();
        bag.sort_unstable();
        bag
    }

    /// The terms, in index order, each with its most common surface form (ties: the one first
    /// in alphabetical order, so the result does not depend on hashing).
    pub fn terms(&self) -> Vec<Term> {
        self.stems
            .iter()
            .zip(&self.surfaces)
            .map(|(stem, forms)| {
                let word = forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map_or_else(|| stem.clone(), |(w, _)| w.clone());
                Term { stem: stem.clone(), word }
            })
            .collect()
    }
}

/// Campaign-wide word statistics: counts for the prior, document frequencies for TF-IDF.
pub(crate) struct Corpus {
    pub counts: Vec<u64>,
    pub idf: Vec<f64>,
}

impl Corpus {
    pub fn new(input: &MapInput) -> Corpus {
        let v = input.terms.len();
        let mut counts = vec![0u64; v];
        let mut df = vec![0u64; v];
        let mut n = 0u64;
        for s in input.stories.iter().filter(|s| s.group.is_some()) {
            n += 1;
            for &(w, c) in &s.words {
                counts[w as usize] += u64::from(c);
                df[w as usize] += 1;
            }
        }
        // scikit-learn's smooth idf: ln((1 + n) / (1 + df)) + 1.
        let idf = df.iter().map(|&d| ((1.0 + n as f64) / (1.0 + d as f64)).ln() + 1.0).collect();
        Corpus { counts, idf }
    }
}

/// A word that distinguishes a group's stories on a theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistinctiveWord {
    pub stem: String,
    /// The most common surface form.
    pub word: String,
    /// Fightin' Words z-score (group against the other groups, on this theme).
    pub z: f64,
    /// How often the group's stories on this theme use it.
    pub count: u64,
}

/// Distinctive words of each group on one theme. `cell_counts[g]` are the word counts of
/// group g's stories on the theme (dense, one per term). The prior is the campaign's word
/// distribution scaled to as many pseudo-counts as the theme has words, so the prior weighs as
/// much as the data it shrinks.
pub(crate) fn distinctive(
    cell_counts: &[Vec<u64>],
    corpus: &Corpus,
    terms: &[Term],
    per_cell: usize,
) -> Vec<Vec<DistinctiveWord>> {
    let active: Vec<usize> = (0..corpus.counts.len()).filter(|&w| corpus.counts[w] > 0).collect();
    let total_theme: u64 = cell_counts.iter().flat_map(|c| active.iter().map(move |&w| c[w])).sum();
    let empty = || vec![Vec::new(); cell_counts.len()];
    if active.len() < 2 || total_theme == 0 || per_cell == 0 {
        return empty();
    }
    let corpus_active: Vec<u64> = active.iter().map(|&w| corpus.counts[w]).collect();
    let Ok(prior) = fw::scaled_prior(&corpus_active, total_theme as f64) else { return empty() };
    let all: Vec<u64> = active.iter().map(|&w| cell_counts.iter().map(|c| c[w]).sum()).collect();
    cell_counts
        .iter()
        .map(|cell| {
            let group: Vec<u64> = active.iter().map(|&w| cell[w]).collect();
            let rest: Vec<u64> = group.iter().zip(&all).map(|(g, a)| a - g).collect();
            if group.iter().all(|&c| c == 0) || rest.iter().all(|&c| c == 0) {
                return Vec::new();
            }
            let Ok(scores) = fw::fightin_words(&group, &rest, &prior) else { return Vec::new() };
            fw::top_words(&scores, per_cell, 1.96)
                .into_iter()
                // A word the group never used cannot be its distinctive word.
                .filter(|&i| group[i] > 0)
                .map(|i| {
                    let term = &terms[active[i]];
                    DistinctiveWord {
                        stem: term.stem.clone(),
                        word: term.word.clone(),
                        z: scores[i].z,
                        count: group[i],
                    }
                })
                .collect()
        })
        .collect()
}

/// A representative story of a cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub story_id: String,
    /// Cosine similarity of the story's TF-IDF vector with the cell's centroid.
    pub similarity: f64,
    pub excerpt: Excerpt,
}

/// The stories (indices into `input.stories`) closest to the centroid of `members`' TF-IDF
/// vectors, at most `n`, most similar first (ties: earlier story first); and the terms with the
/// largest weight in that centroid (at most `top_terms`), which the excerpts centre on.
pub(crate) fn representatives(
    input: &MapInput,
    corpus: &Corpus,
    members: &[u32],
    n: usize,
    top_terms: usize,
    centroid: &mut [f64],
) -> (Vec<(usize, f64)>, Vec<usize>) {
    let vector = |s: usize| -> (Vec<(usize, f64)>, f64) {
        let v: Vec<(usize, f64)> = input.stories[s]
            .words
            .iter()
            .map(|&(w, c)| (w as usize, f64::from(c) * corpus.idf[w as usize]))
            .collect();
        let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
        (v, norm)
    };
    let mut touched: Vec<usize> = Vec::new();
    for &s in members {
        let (v, norm) = vector(s as usize);
        if norm == 0.0 {
            continue;
        }
        for (w, x) in v {
            if centroid[w] == 0.0 {
                touched.push(w);
            }
            centroid[w] += x / norm;
        }
    }
    let c_norm = touched.iter().map(|&w| centroid[w] * centroid[w]).sum::<f64>().sqrt();
    let mut scored: Vec<(usize, f64)> = Vec::with_capacity(members.len());
    if c_norm > 0.0 {
        for &s in members {
            let (v, norm) = vector(s as usize);
            if norm == 0.0 {
                continue;
            }
            let dot: f64 = v.iter().map(|&(w, x)| x * centroid[w]).sum();
            scored.push((s as usize, dot / (norm * c_norm)));
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(n);
    let mut top: Vec<usize> = touched.clone();
    top.sort_by(|&a, &b| centroid[b].total_cmp(&centroid[a]).then(a.cmp(&b)));
    top.truncate(top_terms);
    for w in touched {
        centroid[w] = 0.0;
    }
    (scored, top)
}

/// A piece of a story text, with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    /// The excerpt, with "…" where text was cut off.
    pub text: String,
    /// Byte ranges in `text` of the words it was centred on.
    pub marks: Vec<(usize, usize)>,
}

/// An excerpt of at most about `max_chars` characters of `text` (cut at word boundaries),
/// centred on the words whose stem (in the text pipeline of `language`) is one of `stems`:
/// the window holding most of them, with the matched span in its middle. Without matches, the
/// start of the text.
pub fn excerpt(text: &str, stems: &[&str], language: &str, max_chars: usize) -> Excerpt {
    let tokens = text::analyze(text, Analyzer::for_language(language));
    let hits: Vec<(usize, usize)> =
        tokens.iter().filter(|t| stems.contains(&t.text.as_str())).map(|t| (t.start, t.end)).collect();
    let char_len = text.chars().count();
    if char_len <= max_chars {
        return Excerpt { text: text.to_string(), marks: hits };
    }
    // Byte offset of every char boundary, so windows can be measured in characters.
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let (mut from, mut to) = (0usize, max_chars);
    if !hits.is_empty() {
        // The window starting at some hit that covers most hits.
        let mut best = (0usize, 0usize, 0usize); // (hits covered, first, last)
        for i in 0..hits.len() {
            let start = char_at(hits[i].0);
            let mut j = i;
            while j + 1 < hits.len() && char_at(hits[j + 1].1) <= start + max_chars {
                j += 1;
            }
            if j - i + 1 > best.0 {
                best = (j - i + 1, i, j);
            }
        }
        let (a, b) = (char_at(hits[best.1].0), char_at(hits[best.2].1));
        let slack = max_chars.saturating_sub(b - a);
        from = a.saturating_sub(slack / 2);
        to = (from + max_chars).min(char_len);
        from = to.saturating_sub(max_chars);
    }
    // Snap outwards-in to word boundaries: start after a space, end before one.
    let slice_from = bounds[from];
    let slice_to = bounds[to.min(char_len)];
    let mut start = slice_from;
    if start > 0 && !text[..start].ends_with(char::is_whitespace) {
        start = text[start..slice_to].find(char::is_whitespace).map_or(start, |i| start + i + 1);
    }
    let mut end = slice_to;
    if end < text.len() && !text[end..].starts_with(char::is_whitespace) {
        end = text[start..end].rfind(char::is_whitespace).map_or(end, |i| start + i);
    }
    let (lead, trail) = (start > 0, end < text.len());
    let prefix = if lead { "…" } else { "" };
    let body = text[start..end].trim();
    let body_start = start + (text[start..end].len() - text[start..end].trim_start().len());
    let out = format!("{prefix}{body}{}", if trail { "…" } else { "" });
    let shift = prefix.len();
    let marks = hits
        .into_iter()
        .filter(|&(a, b)| a >= body_start && b <= body_start + body.len())
        .map(|(a, b)| (a - body_start + shift, b - body_start + shift))
        .collect();
    Excerpt { text: out, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_shows_the_most_common_surface_form_of_a_stem() {
        let mut lex = Lexicon::new();
        let a = lex.add("Wachtlijsten, wachtlijsten en nog eens een wachtlijst.", "nl");
        let terms = lex.terms();
        let wacht = terms.iter().position(|t| t.word == "wachtlijsten").expect("the plural is most common");
        assert_eq!(a.iter().find(|(w, _)| *w as usize == wacht).map(|x| x.1), Some(3));
        assert!(terms.iter().all(|t| t.word != "en"), "stop words are not terms");
    }

    #[test]
    fn an_excerpt_centres_on_the_theme_words_and_marks_them() {
        let filler = "het was een lange dag op school en daarna ging ik naar huis ".repeat(6);
        let text = format!("{filler}toen hoorde ik dat de wachtlijst nog langer werd. {filler}");
        let stem = text::query_terms("wachtlijst", Analyzer::Dutch).pop().unwrap();
        let e = excerpt(&text, &[stem.as_str()], "nl", 80);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'), "{}", e.text);
        assert!(e.text.chars().count() <= 82);
        assert_eq!(e.marks.len(), 1);
        let (a, b) = e.marks[0];
        assert_eq!(&e.text[a..b], "wachtlijst");
        let middle = e.text[..a].chars().count() as i64 - 40;
        assert!(middle.abs() < 20, "the word is near the middle: {}", e.text);
    }

    #[test]
    fn a_short_text_is_its_own_excerpt() {
        let e = excerpt("Ik wacht al maanden.", &["wacht"], "nl", 200);
        assert_eq!(e.text, "Ik wacht al maanden.");
        assert_eq!(e.marks, vec![(3, 8)]);
    }
}

#[cfg(test)]
mod lexicon_tests {
    use super::*;

    #[test]
    fn tokens_shorter_than_three_letters_are_not_in_the_vocabulary() {
        let mut lex = Lexicon::new();
        lex.add("Mn moeder en m'n zus, 5 keer: wachtlijst", "nl");
        let stems: Vec<String> = lex.terms().into_iter().map(|t| t.stem).collect();
        assert!(!stems.iter().any(|s| s.chars().filter(|c| c.is_alphabetic()).count() < 3), "{stems:?}");
        assert!(stems.iter().any(|s| s.starts_with("wachtlijst")), "{stems:?}");
        assert!(stems.iter().any(|s| s.starts_with("moeder")), "{stems:?}");
    }
}
