//! Sparse sublinear TF-IDF features for theme discovery: terms from the shared text pipeline, a
//! vocabulary with document-frequency cut-offs, L2-normalised rows in one CSR matrix, plus the raw
//! counts (for c-TF-IDF labels) and the most frequent written form of every stem (for display).

use std::collections::HashMap;

use super::{Cancelled, Doc, Progress};
use crate::analysis::text::{self, Analyzer};

/// Settings of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeatureParams {
    /// A term must occur in at least this many stories (absolute count).
    pub min_df: usize,
    /// A term may occur in at most this share of the stories (0..1]; more frequent terms say
    /// nothing about a thread.
    pub max_df: f64,
    /// Also use pairs of adjacent terms ("eigen kamer"). Measured: no gain on the demo corpus and
    /// about 1.6× the time, so off by default (see docs/discovery.md).
    pub bigrams: bool,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams { min_df: 3, max_df: 0.5, bigrams: false }
    }
}

/// The document–term matrix of a story set, rows in input order.
#[derive(Debug, Clone)]
pub struct Features {
    /// Stemmed terms (bigrams as "stem stem"), sorted, so ids do not depend on thread count.
    pub vocab: Vec<String>,
    /// For each term, the written form (lower case, diacritics kept) seen most often.
    pub surface: Vec<String>,
    /// Smooth idf: ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it.
    pub idf: Vec<f32>,
    /// Row `i` is `indptr[i]..indptr[i + 1]` of `indices`, `values` and `counts`.
    pub indptr: Vec<usize>,
    /// Term ids of a row, ascending.
    pub indices: Vec<u32>,
    /// (1 + ln tf) × idf, rows L2-normalised (an empty row stays all zero).
    pub values: Vec<f32>,
    /// Raw term counts, for class-based TF-IDF.
    pub counts: Vec<u32>,
}

impl Features {
    /// Number of rows (stories).
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns (terms).
    pub fn n_terms(&self) -> usize {
        self.vocab.len()
    }

    /// The (term, weight) pairs of row `i`.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[r.clone()], &self.values[r])
    }

    /// The (term, count) pairs of row `i`.
    pub fn row_counts(&self, i: usize) -> (&[u32], &[u32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[r.clone()], &self.counts[r])
    }

    /// A new matrix holding only `rows` (in that order), with the same vocabulary and weights.
    pub fn subset(&self, rows: &[usize]) -> Features {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        indptr.push(0);
        let (mut indices, mut values, mut counts) = (Vec::new(), Vec::new(), Vec::new());
        for &i in rows {
            let r = self.indptr[i]..self.indptr[i + 1];
            indices.extend_from_slice(&self.indices[r.clone()]);
            values.extend_from_slice(&self.values[r.clone()]);
            counts.extend_from_slice(&self.counts[r]);
            indptr.push(indices.len());
        }
        Features {
            vocab: self.vocab.clone(),
            surface: self.surface.clone(),
            idf: self.idf.clone(),
            indptr,
            indices,
            values,
            counts,
        }
    }
}

/// Words that say who tells a story and in what register, not what it is about: personal
/// pronouns and possessives the shared stop lists keep (they matter for search), their informal
/// spellings, and chat fillers. Left in, they split a theme into a "parents' version" ("we",
/// "onze") and a "young people's version" ("mn", "ff", "lol"); luister compares perspectives in
/// perspective maps instead. Matched on the folded written word, before stemming.
const REGISTER_WORDS: &[&str] = &[
    // Dutch pronouns and possessives not in the Snowball list, with informal spellings.
    "we",
    "wij",
    "onze",
    "jij",
    "jou",
    "jouw",
    "jullie",
    "mn",
    "m'n",
    "zn",
    "z'n",
    "d'r",
    "m",
    "k",
    "t",
    "'t",
    "ikke",
    "mezelf",
    "zichzelf",
    "hunzelf",
    // Fillers and chat abbreviations.
    "ff",
    "gwn",
    "sws",
    "mss",
    "wss",
    "idd",
    "btw",
    "lol",
    "haha",
    "hahaha",
    "ofzo",
    "nou",
    "oke",
    "ok",
    "okay",
    "jaa",
    "nee",
    "bro",
    "anyway",
    "gewoon",
    "wel",
    "echt",
    "egt",
    "heel",
    "erg",
    "best",
    "even",
    "eigenlijk",
    "natuurlijk",
    "tuurlijk",
    "sowieso",
    "misschien",
    "trouwens",
    // English pronouns missing from the English list.
    "i'm",
    "i've",
    "we're",
    "we've",
    "they're",
    "you're",
];

fn register_word(folded: &str) -> bool {
    REGISTER_WORDS.contains(&folded)
}

/// What the analyser makes of one written word: nothing (a stop word) or one or more stems.
enum Analysed {
    Stop,
    One(u32),
    Many(Vec<u32>),
}

struct CacheEntry {
    analysed: Analysed,
    seen: u32,
}

/// One thread's share of the tokenising: local term ids and per-story (term, count) lists.
#[derive(Default)]
struct Chunk {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    /// Written form → how often, per local term (only for words that give exactly one term).
    surfaces: Vec<(u32, String, u32)>,
    indptr: Vec<usize>,
    terms: Vec<u32>,
    counts: Vec<u32>,
}

impl Chunk {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// Tokenises stories with the shared pipeline. Stemming every word is the costly part, and a
/// story set has a few ten thousand distinct written words, so each distinct word is analysed
/// once (with `text::analyze` on the word alone, which gives what `analyze` gives for it inside a
/// text: the pipeline works word by word) and remembered. A test checks the equivalence.
fn tokenize_chunk(docs: &[Doc], bigrams: bool) -> Chunk {
    let mut chunk = Chunk { indptr: vec![0], ..Default::default() };
    let mut caches: HashMap<Analyzer, HashMap<String, CacheEntry>> = HashMap::new();
    let mut stream: Vec<u32> = Vec::new();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    for doc in docs {
        let analyzer = Analyzer::for_language(&doc.language);
        let cache = caches.entry(analyzer).or_default();
        stream.clear();
        for (_, word) in text::words(&doc.text) {
            let entry = match cache.get_mut(word) {
                Some(e) => e,
                None => {
                    let tokens = if register_word(&text::fold(word)) {
                        Vec::new()
                    } else {
                        text::analyze(word, analyzer)
                    };
                    let analysed = match tokens.len() {
                        0 => Analysed::Stop,
                        1 => Analysed::One(chunk.intern(&tokens[0].text)),
                        _ => Analysed::Many(tokens.iter().map(|t| chunk.intern(&t.text)).collect()),
                    };
                    cache.entry(word.to_string()).or_insert(CacheEntry { analysed, seen: 0 })
                }
            };
            entry.seen += 1;
            match &entry.analysed {
                Analysed::Stop => {}
                Analysed::One(t) => stream.push(*t),
                Analysed::Many(ts) => stream.extend_from_slice(ts),
            }
        }
        let unigrams = stream.len();
        if bigrams {
            for w in 0..unigrams.saturating_sub(1) {
                let key = (stream[w], stream[w + 1]);
                let id = match pairs.get(&key) {
                    Some(&id) => id,
                    None => {
                        let name = format!("{} {}", chunk.names[key.0 as usize], chunk.names[key.1 as usize]);
                        let id = chunk.intern(&name);
                        pairs.insert(key, id);
                        id
                    }
                };
                stream.push(id);
            }
        }
        stream.sort_unstable();
        let mut w = 0;
        while w < stream.len() {
            let t = stream[w];
            let mut c = 0;
            while w < stream.len() && stream[w] == t {
                c += 1;
                w += 1;
            }
            chunk.terms.push(t);
            chunk.counts.push(c);
        }
        chunk.indptr.push(chunk.terms.len());
    }
    for cache in caches.into_values() {
        for (word, e) in cache {
            if let Analysed::One(t) = e.analysed {
                chunk.surfaces.push((t, text::exact(&word), e.seen));
            }
        }
    }
    chunk
}

/// Whether a term can name a thread: at least two characters and at least one letter (pure
/// numbers such as years or ages say nothing about a theme).
fn usable_term(term: &str) -> bool {
    term.chars().nth(1).is_some() && term.chars().any(char::is_alphabetic)
}

/// The number of chunks the work is cut into. Fixed, so results do not depend on the machine.
pub(super) const CHUNKS: usize = 2;

/// Builds the TF-IDF matrix of `docs`. Deterministic; runs on up to two threads.
pub fn build(docs: &[Doc], params: &FeatureParams, progress: &mut Progress) -> Result<Features, Cancelled> {
    let n = docs.len();
    progress.report(0.0)?;
    let chunk_len = n.div_ceil(CHUNKS).max(1);
    let chunks: Vec<Chunk> = std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .chunks(chunk_len)
            .map(|part| s.spawn(move || tokenize_chunk(part, params.bigrams)))
            .collect();
        handles.into_iter().map(|h| h.join().expect("tokenizer thread panicked")).collect()
    });
    progress.report(0.7)?;

    // Global term ids: sorted names, so that the vocabulary is the same whatever the chunking.
    let mut df_by_name: HashMap<&str, usize> = HashMap::new();
    for c in &chunks {
        let mut local_df = vec![0usize; c.names.len()];
        for &t in &c.terms {
            local_df[t as usize] += 1;
        }
        for (name, d) in c.names.iter().zip(local_df) {
            *df_by_name.entry(name.as_str()).or_default() += d;
        }
    }
    let max_count = params.max_df * n as f64;
    let mut kept: Vec<(&str, usize)> = df_by_name
        .into_iter()
        .filter(|&(name, d)| d >= params.min_df && d as f64 <= max_count && usable_term(name))
        .collect();
    kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let global: HashMap<&str, u32> =
        kept.iter().enumerate().map(|(i, (name, _))| (*name, i as u32)).collect();
    let vocab: Vec<String> = kept.iter().map(|(name, _)| name.to_string()).collect();
    let idf: Vec<f32> =
        kept.iter().map(|&(_, d)| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32).collect();

    // Written forms: the most frequent exact form of each kept term; ties go to the smaller string.
    let mut forms: HashMap<(u32, &str), u32> = HashMap::new();
    for c in &chunks {
        for (t, word, seen) in &c.surfaces {
            if let Some(&g) = global.get(c.names[*t as usize].as_str()) {
                *forms.entry((g, word.as_str())).or_default() += seen;
            }
        }
    }
    let mut best: Vec<Option<(u32, &str)>> = vec![None; vocab.len()];
    for ((g, word), seen) in forms {
        let slot = &mut best[g as usize];
        let better = match slot {
            None => true,
            Some((s, w)) => seen > *s || (seen == *s && word < *w),
        };
        if better {
            *slot = Some((seen, word));
        }
    }
    let surface: Vec<String> =
        best.iter().zip(&vocab).map(|(b, v)| b.map_or_else(|| v.clone(), |(_, w)| w.to_string())).collect();

    let mut indptr = Vec::with_capacity(n + 1);
    indptr.push(0);
    let total: usize = chunks.iter().map(|c| c.terms.len()).sum();
    let mut indices = Vec::with_capacity(total);
    let mut counts = Vec::with_capacity(total);
    let mut values = Vec::with_capacity(total);
    let mut row: Vec<(u32, u32)> = Vec::new();
    for c in &chunks {
        let map: Vec<Option<u32>> = c.names.iter().map(|name| global.get(name.as_str()).copied()).collect();
        for d in 0..c.indptr.len() - 1 {
            row.clear();
            for w in c.indptr[d]..c.indptr[d + 1] {
                if let Some(g) = map[c.terms[w] as usize] {
                    row.push((g, c.counts[w]));
                }
            }
            row.sort_unstable_by_key(|&(g, _)| g);
            let start = values.len();
            let mut norm = 0f64;
            for &(g, tf) in &row {
                let v = (1.0 + (tf as f64).ln()) * idf[g as usize] as f64;
                norm += v * v;
                indices.push(g);
                counts.push(tf);
                values.push(v as f32);
            }
            if norm > 0.0 {
                let inv = 1.0 / norm.sqrt();
                for v in &mut values[start..] {
                    *v = (*v as f64 * inv) as f32;
                }
            }
            indptr.push(indices.len());
        }
    }
    progress.report(1.0)?;
    Ok(Features { vocab, surface, idf, indptr, indices, values, counts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> Doc {
        Doc { id: id.into(), text: text.into(), language: "nl".into() }
    }

    #[test]
    fn cached_word_analysis_equals_the_shared_pipeline() {
        let stories: Vec<Doc> = crate::demo::generate(300, 7)
            .map(|s| Doc { id: s.external_id, text: s.text, language: s.language })
            .collect();
        let chunk = tokenize_chunk(&stories, false);
        for (d, s) in stories.iter().enumerate() {
            // The shared pipeline's terms, less the register words discovery also drops.
            let mut expected: Vec<String> = text::words(&s.text)
                .filter(|(_, w)| !register_word(&text::fold(w)))
                .flat_map(|(_, w)| text::analyze(w, Analyzer::for_language(&s.language)))
                .map(|t| t.text)
                .collect();
            let whole = text::analyze(&s.text, Analyzer::for_language(&s.language));
            assert!(whole.len() >= expected.len());
            expected.sort();
            let mut got = Vec::new();
            for w in chunk.indptr[d]..chunk.indptr[d + 1] {
                for _ in 0..chunk.counts[w] {
                    got.push(chunk.names[chunk.terms[w] as usize].clone());
                }
            }
            got.sort();
            assert_eq!(got, expected, "story {}", s.id);
        }
    }

    #[test]
    fn cut_offs_numbers_and_weights() {
        let docs = vec![
            doc("a", "wachtlijst wachtlijst wachtlijst school 2024"),
            doc("b", "wachtlijst school 2024 x"),
            doc("c", "school huis 2024 x"),
            doc("d", "huis huis 2024 x"),
        ];
        let params = FeatureParams { min_df: 2, max_df: 0.9, bigrams: false };
        let f = build(&docs, &params, &mut Progress::none()).unwrap();
        // "2024" is a number, "x" one character; both are gone. Nothing is in all four stories.
        assert_eq!(f.vocab, ["huis", "schol", "wachtlijst"]);
        assert_eq!(f.surface, ["huis", "school", "wachtlijst"]);
        let (terms, vals) = f.row(0);
        assert_eq!(terms, [1, 2]);
        let idf = |df: f64| ((5.0f64 / (1.0 + df)).ln() + 1.0) as f32;
        // "schol" (from "school") once, in 3 stories; "wachtlijst" three times, in 2 stories.
        let raw = [idf(3.0), (1.0 + 3f32.ln()) * idf(2.0)];
        let norm = (raw[0] * raw[0] + raw[1] * raw[1]).sqrt();
        assert!((vals[0] - raw[0] / norm).abs() < 1e-6 && (vals[1] - raw[1] / norm).abs() < 1e-6);
        assert_eq!(f.row_counts(0).1, [1, 3]);
        let (_, v3) = f.row(3);
        assert!((v3.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn surface_form_is_the_most_frequent_written_word() {
        let docs = vec![
            doc("a", "De wachtlijsten waren lang."),
            doc("b", "Weer wachtlijsten."),
            doc("c", "Een wachtlijst."),
        ];
        let params = FeatureParams { min_df: 1, max_df: 1.0, bigrams: false };
        let f = build(&docs, &params, &mut Progress::none()).unwrap();
        let i = f.vocab.iter().position(|v| v == "wachtlijst").unwrap();
        assert_eq!(f.surface[i], "wachtlijsten");
    }

    #[test]
    fn bigrams_join_adjacent_terms() {
        let docs = vec![doc("a", "eigen kamer gevonden"), doc("b", "eigen kamer"), doc("c", "kamer")];
        let params = FeatureParams { min_df: 2, max_df: 1.0, bigrams: true };
        let f = build(&docs, &params, &mut Progress::none()).unwrap();
        let pair = f.vocab.iter().position(|v| v.contains(' ')).expect("a bigram");
        assert_eq!(f.vocab[pair], format!("{} kamer", f.vocab[0]), "{:?}", f.vocab);
    }
}
