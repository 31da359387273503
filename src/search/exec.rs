//! Running a search: the parsed query and filters become one tantivy query, scoped to the
//! campaigns the viewer may read; one pass collects the top hits, the total and the facet counts;
//! snippets are cut from the stored text with the query's words marked.

use super::engine::Live;
use super::query::{self, Names, Node, Op, QueryError};
use super::schema::Fields;
use crate::analysis::text::{self, Analyzer};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Bound;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search as the page and the API send it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    /// The query text in the search language (`query` module).
    pub q: String,
    /// Extra filters in the same language, one per entry (facet links, range rows).
    pub filters: Vec<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    /// Campaign ids the viewer may read; `None` means all (admins).
    pub scope: Option<Vec<String>>,
    /// Include snippets of story text (the steering group's search has none).
    pub snippets: bool,
    /// Also count the answers to choice questions (worth it within one campaign's form).
    pub choice_facets: bool,
    /// Only these stories (rule tagging of new stories, story sets).
    pub ids: Option<Vec<String>>,
}

/// A piece of snippet text, marked when it matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub campaign_id: String,
    pub title: Option<String>,
    pub perspective: String,
    pub language: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    pub score: f32,
    pub snippet: Vec<Snippet>,
}

/// Facet counts by facet name (`perspective`, `age`, `region`, …): value → count.
pub type Facets = BTreeMap<String, Vec<(String, u64)>>;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text (or filter `index` in `filters`, counted from 1) is malformed.
    #[error("{error}")]
    Query { filter: Option<usize>, error: QueryError },
    #[error("the search index is being rebuilt")]
    Rebuilding,
    /// The page asked for starts beyond `MAX_OFFSET`.
    #[error("results beyond the first {MAX_OFFSET} are not shown")]
    TooFar,
    #[error(transparent)]
    Index(#[from] tantivy::TantivyError),
}

/// The furthest a page may start. Collecting the top hits reserves room for offset + limit up
/// front, so an unbounded offset was an allocation failure that aborts the process. Nobody reads
/// past result 10,000: they narrow the search instead.
pub const MAX_OFFSET: usize = 10_000;
/// Most words one `wacht*` may stand for; more and the person is asked to type more letters.
pub const MAX_EXPANSIONS: usize = 500;

/// The facet groups every search counts.
pub const FACET_GROUPS: &[&str] = &["campaign", "perspective", "age", "region", "language", "theme", "flag"];

struct Builder<'a> {
    f: &'a Fields,
    /// Expands prefixes against the index's own words (absent: prefixes match nothing).
    searcher: Option<&'a Searcher>,
    /// The first problem found while building (a prefix that stands for too many words).
    error: Option<QueryError>,
    /// Stemmed terms of the query's words, for marking snippets.
    marks: BTreeSet<String>,
    /// Folded prefixes of the query's `wacht*` words.
    prefixes: Vec<String>,
}

fn term_query(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.remove(0),
        _ => Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect())),
    }
}

/// The languages whose analyser drops `word` as a stop word (so their stories never hold it in
/// the stemmed field).
fn stop_word_languages(word: &str) -> Vec<&'static str> {
    [("nl", Analyzer::Dutch), ("en", Analyzer::English)]
        .into_iter()
        .filter(|(_, a)| text::query_terms(word, *a).is_empty())
        .map(|(code, _)| code)
        .collect()
}

fn is_stop_word(node: &Node) -> bool {
    matches!(node, Node::Word { text, prefix: false } if !stop_word_languages(text).is_empty())
}

/// Whether a node asks for words of the text (not only labels, ranges or dates).
fn is_text(node: &Node) -> bool {
    match node {
        Node::Word { .. } | Node::Phrase(_) | Node::Exact(_) => true,
        Node::And(items) | Node::Or(items) => items.iter().any(is_text),
        Node::Not(_) | Node::Facet(_) | Node::Range { .. } | Node::Date { .. } => false,
    }
}

fn phrase(field: tantivy::schema::Field, words: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs)),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

fn bound(op: Op, term: Term) -> (Bound<Term>, Bound<Term>) {
    match op {
        Op::Lt => (Bound::Unbounded, Bound::Excluded(term)),
        Op::Le => (Bound::Unbounded, Bound::Included(term)),
        Op::Gt => (Bound::Excluded(term), Bound::Unbounded),
        Op::Ge => (Bound::Included(term), Bound::Unbounded),
        Op::Eq => (Bound::Included(term.clone()), Bound::Included(term)),
    }
}

impl Builder<'_> {
    fn build(&mut self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::Word { text: w, prefix: false } => {
                // The word's stem under each analyser: usually one and the same term.
                let mut terms = BTreeSet::new();
                for a in [Analyzer::Dutch, Analyzer::English, Analyzer::Plain] {
                    terms.extend(text::query_terms(w, a));
                }
                let mut qs: Vec<Box<dyn Query>> = terms.iter().map(|t| term_query(self.f.text, t)).collect();
                self.marks.extend(terms);
                if !stop_word_languages(w).is_empty() {
                    // A stop word somewhere is not in those stories' stemmed text: look for the
                    // word itself, unstemmed, too.
                    qs.push(term_query(self.f.folded, &text::fold(w)));
                }
                any_of(qs)
            }
            Node::Word { text: w, prefix: true } => {
                let folded = text::fold(w);
                self.prefixes.push(folded.clone());
                match self.searcher.map(|s| expand_prefix(s, self.f.folded, &folded)) {
                    Some(Ok(words)) => any_of(words.iter().map(|t| term_query(self.f.folded, t)).collect()),
                    Some(Err(())) => {
                        self.error.get_or_insert(QueryError {
                            at: 0,
                            message: format!(
                                "'{w}*' staat voor meer dan {MAX_EXPANSIONS} verschillende woorden. Typ meer letters voor de *."
                            ),
                        });
                        Box::new(EmptyQuery)
                    }
                    None => Box::new(EmptyQuery),
                }
            }
            Node::Phrase(words) => {
                let folded: Vec<String> =
                    words.iter().flat_map(|w| text::analyze_folded(w)).map(|t| t.text).collect();
                for w in &folded {
                    self.marks.extend(text::query_terms(w, Analyzer::Dutch));
                    self.marks.insert(w.clone());
                }
                phrase(self.f.folded, &folded)
            }
            Node::Exact(words) => {
                let exact: Vec<String> =
                    words.iter().flat_map(|w| text::analyze_exact(w)).map(|t| t.text).collect();
                self.marks.extend(exact.iter().map(|w| text::fold(w)));
                phrase(self.f.exact, &exact)
            }
            Node::Facet(path) => match Facet::from_text(path) {
                Ok(facet) => Box::new(TermQuery::new(
                    Term::from_facet(
                        if path.starts_with("/choice/") { self.f.choices } else { self.f.facets },
                        &facet,
                    ),
                    IndexRecordOption::Basic,
                )),
                Err(_) => Box::new(EmptyQuery),
            },
            Node::Range { path, op, value } => {
                let mut term = Term::from_field_json_path(self.f.sig, path, false);
                term.append_type_and_fast_value(*value);
                let (lo, hi) = bound(*op, term);
                Box::new(RangeQuery::new(lo, hi))
            }
            Node::Date { op, date } => {
                let day = date.midnight().assume_utc();
                // "date<=2025-01-31" includes that whole day; "date>2025-01-31" starts after it.
                let (at, op) = match op {
                    Op::Le => (day + time::Duration::days(1), Op::Lt),
                    Op::Gt => (day + time::Duration::days(1), Op::Ge),
                    other => (day, *other),
                };
                let dt = DateTime::from_timestamp_secs(at.unix_timestamp());
                let (lo, hi) = bound(op, Term::from_field_date(self.f.created, dt));
                Box::new(RangeQuery::new(lo, hi))
            }
            Node::And(items) => self.boolean(items),
            Node::Or(items) => any_of(items.iter().map(|n| self.build(n)).collect()),
            Node::Not(_) => self.boolean(std::slice::from_ref(node)),
        }
    }

    /// A conjunction; `-x` items become MUST_NOT, and a conjunction of only exclusions means
    /// "everything except".
    ///
    /// A stop word beside other words ("niet gehoord", "de wachtlijst") must not empty the
    /// conjunction: stories in a language that drops it need only the other words; stories in
    /// other languages still need the word itself. A query of only stop words looks for them
    /// literally.
    fn boolean(&mut self, items: &[Node]) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let lenient = items.iter().any(|n| is_text(n) && !is_stop_word(n));
        for n in items {
            match n {
                Node::Word { text: w, prefix: false } if lenient && is_stop_word(n) => {
                    let word = self.build(n);
                    let mut either = vec![word];
                    for code in stop_word_languages(w) {
                        either.push(self.language(code));
                    }
                    clauses.push((Occur::Must, any_of(either)));
                }
                Node::Not(inner) => {
                    // Words we exclude are not marked in snippets.
                    let saved = (self.marks.clone(), self.prefixes.clone());
                    let q = self.build(inner);
                    (self.marks, self.prefixes) = saved;
                    clauses.push((Occur::MustNot, q));
                }
                other => {
                    let q = self.build(other);
                    clauses.push((Occur::Must, q));
                }
            }
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The stories of one language.
    fn language(&self, code: &str) -> Box<dyn Query> {
        match Facet::from_text(&format!("/language/{code}")) {
            Ok(facet) => {
                Box::new(TermQuery::new(Term::from_facet(self.f.facets, &facet), IndexRecordOption::Basic))
            }
            Err(_) => Box::new(EmptyQuery),
        }
    }
}

/// The words of `field` that start with `prefix`, from every segment's term dictionary, at most
/// `MAX_EXPANSIONS` (`Err` beyond that). Expanding here rather than with a regex query bounds the
/// cost of `w*`: thousands of prefix words once took seconds of CPU.
fn expand_prefix(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
) -> Result<Vec<String>, ()> {
    let mut words = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(index) = segment.inverted_index(field) else { continue };
        let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).into_stream() else { continue };
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(word) = std::str::from_utf8(key) {
                words.insert(word.to_string());
                if words.len() > MAX_EXPANSIONS {
                    return Err(());
                }
            }
        }
    }
    Ok(words.into_iter().collect())
}

/// The whole query: text, filters and scope.
fn compose<'f>(
    req: &SearchRequest,
    names: &Names,
    f: &'f Fields,
    searcher: &'f Searcher,
) -> Result<(Box<dyn Query>, Builder<'f>), SearchError> {
    let mut b =
        Builder { f, searcher: Some(searcher), error: None, marks: BTreeSet::new(), prefixes: Vec::new() };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let main =
        query::parse_with(&req.q, names).map_err(|error| SearchError::Query { filter: None, error })?;
    if let Some(node) = main {
        clauses.push((Occur::Must, b.build(&node)));
    }
    if let Some(error) = b.error.take() {
        return Err(SearchError::Query { filter: None, error });
    }
    for (i, filter) in req.filters.iter().enumerate() {
        let node = query::parse_with(filter, names)
            .map_err(|error| SearchError::Query { filter: Some(i + 1), error })?;
        if let Some(node) = node {
            let saved = (b.marks.clone(), b.prefixes.clone());
            clauses.push((Occur::Must, b.build(&node)));
            (b.marks, b.prefixes) = saved;
        }
        if let Some(error) = b.error.take() {
            return Err(SearchError::Query { filter: Some(i + 1), error });
        }
    }
    if let Some(ids) = &req.ids {
        clauses.push((Occur::Must, any_of(ids.iter().map(|id| term_query(f.id, id)).collect())));
    }
    if let Some(scope) = &req.scope {
        let allowed: Vec<Box<dyn Query>> = scope.iter().map(|c| term_query(f.campaign, c)).collect();
        clauses.push((Occur::Must, any_of(allowed)));
    }
    let query: Box<dyn Query> = match clauses.len() {
        0 => Box::new(AllQuery),
        _ if clauses.iter().all(|(o, _)| *o == Occur::MustNot) => {
            clauses.push((Occur::Must, Box::new(AllQuery)));
            Box::new(BooleanQuery::new(clauses))
        }
        1 => clauses.remove(0).1,
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    Ok((query, b))
}

fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

/// Cuts a snippet of about `words` words around the densest run of matches, marking them.
pub fn snippet(
    body: &str,
    language: &str,
    marks: &BTreeSet<String>,
    prefixes: &[String],
    words: usize,
) -> Vec<Snippet> {
    let analyzer = Analyzer::for_language(language);
    let tokens: Vec<(usize, usize, bool)> = text::words(body)
        .map(|(start, w)| {
            let folded = text::fold(w);
            let stem = text::query_terms(w, analyzer);
            let hit = stem.iter().any(|t| marks.contains(t))
                || marks.contains(&folded)
                || prefixes.iter().any(|p| folded.starts_with(p.as_str()));
            (start, start + w.len(), hit)
        })
        .collect();
    if tokens.is_empty() {
        return vec![Snippet { text: body.chars().take(200).collect(), hit: false }];
    }
    // The window of `words` tokens with the most hits (the first one on ties).
    let n = tokens.len();
    let w = words.min(n);
    let mut best = (0usize, 0usize);
    let mut count = tokens[..w].iter().filter(|t| t.2).count();
    best.1 = count;
    for start in 1..=(n - w) {
        count = count - usize::from(tokens[start - 1].2) + usize::from(tokens[start + w - 1].2);
        if count > best.1 {
            best = (start, count);
        }
    }
    let first = best.0;
    let last = first + w - 1;
    let from = if first == 0 { 0 } else { tokens[first].0 };
    let to = if last == n - 1 { body.len() } else { tokens[last].1 };
    let mut out = Vec::new();
    if from > 0 {
        out.push(Snippet { text: "… ".into(), hit: false });
    }
    let mut cursor = from;
    for (s, e, hit) in &tokens[first..=last] {
        if *hit {
            if *s > cursor {
                out.push(Snippet { text: body[cursor..*s].to_string(), hit: false });
            }
            out.push(Snippet { text: body[*s..*e].to_string(), hit: true });
            cursor = *e;
        }
    }
    if to > cursor {
        out.push(Snippet { text: body[cursor..to].to_string(), hit: false });
    }
    if to < body.len() {
        out.push(Snippet { text: " …".into(), hit: false });
    }
    out
}

fn facet_collector() -> FacetCollector {
    let mut fc = FacetCollector::for_field("facets");
    for g in FACET_GROUPS {
        fc.add_facet(format!("/{g}").as_str());
    }
    fc
}

fn facet_counts(collector_fruit: &tantivy::collector::FacetCounts) -> Facets {
    let mut facets = Facets::new();
    for group in FACET_GROUPS {
        let root = format!("/{group}");
        let mut values: Vec<(String, u64)> = collector_fruit
            .get(root.as_str())
            .map(|(facet, count)| {
                let value = facet.to_path().into_iter().skip(1).collect::<Vec<_>>().join("/");
                (value, count)
            })
            .collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !values.is_empty() {
            facets.insert(group.to_string(), values);
        }
    }
    facets
}

/// Runs a search on a live index; theme and campaign filters are taken as ids. CPU-bound: call
/// from a blocking task.
pub fn run(live: &Live, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    run_named(live, req, &Names::default())
}

/// Runs a search whose theme and campaign filters may use the names people see.
pub fn run_named(live: &Live, req: &SearchRequest, names: &Names) -> Result<SearchResults, SearchError> {
    if req.offset > MAX_OFFSET {
        return Err(SearchError::TooFar);
    }
    let searcher: Searcher = live.reader.searcher();
    let f = &live.fields;
    let (query, builder) = compose(req, names, f, &searcher)?;
    let limit = req.limit.clamp(1, 100);
    let (addresses, total, facets) = collect(&searcher, &*query, req, single_term(req), limit)?;
    let mut facet_map = facet_counts(&facets);
    if req.choice_facets {
        let values = choice_counts(&searcher, &*query)?;
        if !values.is_empty() {
            facet_map.insert("choice".into(), values);
        }
    }
    let mut hits = Vec::with_capacity(addresses.len());
    let mut seen = HashSet::new();
    for (score, address) in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let Some(id) = stored_str(&doc, f.id) else { continue };
        if !seen.insert(id.clone()) {
            continue;
        }
        let language = stored_str(&doc, f.language).unwrap_or_default();
        let body = stored_str(&doc, f.body).unwrap_or_default();
        let created = doc
            .get_first(f.created)
            .and_then(|v| match OwnedValue::from(v) {
                OwnedValue::Date(d) => Some(d.into_timestamp_micros()),
                _ => None,
            })
            .and_then(|micros| {
                time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).ok()
            })
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let snippet = if req.snippets {
            snippet(&body, &language, &builder.marks, &builder.prefixes, 40)
        } else {
            Vec::new()
        };
        hits.push(Hit {
            id,
            campaign_id: stored_str(&doc, f.campaign).unwrap_or_default(),
            title: stored_str(&doc, f.title),
            perspective: stored_str(&doc, f.perspective).unwrap_or_default(),
            language,
            created_at: created,
            score,
            snippet,
        });
    }
    Ok(SearchResults { total, hits, facets: facet_map })
}

/// Whether the query is one plain word: then its count is the term's document frequency and
/// the top hits come from block-max WAND, so two cheap passes beat one that scores every match.
fn single_term(req: &SearchRequest) -> bool {
    req.filters.is_empty()
        && req.scope.is_none()
        && req.ids.is_none()
        && matches!(query::parse(&req.q), Ok(Some(Node::Word { prefix: false, .. })))
}

type Collected = (Vec<(f32, DocAddress)>, usize, tantivy::collector::FacetCounts);

/// Top hits, total and facet counts.
fn collect(
    searcher: &Searcher,
    query: &dyn Query,
    req: &SearchRequest,
    split: bool,
    limit: usize,
) -> Result<Collected, SearchError> {
    match req.sort {
        Sort::Relevance => {
            let top = TopDocs::with_limit(limit).and_offset(req.offset).order_by_score();
            if split {
                let docs = searcher.search(query, &top)?;
                let total = query.count(searcher)?;
                let facets = searcher.search(query, &facet_collector())?;
                Ok((docs, total, facets))
            } else {
                Ok(searcher.search(query, &(top, Count, facet_collector()))?)
            }
        }
        Sort::Newest | Sort::Oldest => {
            let order = if req.sort == Sort::Newest { Order::Desc } else { Order::Asc };
            let top = TopDocs::with_limit(limit)
                .and_offset(req.offset)
                .order_by_fast_field::<DateTime>("created", order);
            let (docs, total, facets) = searcher.search(query, &(top, Count, facet_collector()))?;
            Ok((docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total, facets))
        }
    }
}

/// Counts of the answers to choice questions: `signifier/option` → count.
fn choice_counts(searcher: &Searcher, query: &dyn Query) -> Result<Vec<(String, u64)>, SearchError> {
    let mut by_question = FacetCollector::for_field("choices");
    by_question.add_facet("/choice");
    let questions: Vec<String> =
        searcher.search(query, &by_question)?.get("/choice").map(|(f, _)| f.to_string()).collect();
    if questions.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_option = FacetCollector::for_field("choices");
    for q in &questions {
        by_option.add_facet(q.as_str());
    }
    let counts = searcher.search(query, &by_option)?;
    let mut values = Vec::new();
    for q in &questions {
        for (facet, count) in counts.get(q.as_str()) {
            values.push((facet.to_path().into_iter().skip(1).collect::<Vec<_>>().join("/"), count));
        }
    }
    values.sort();
    Ok(values)
}

/// Top-10 addresses and the count (and, if asked, the facet counts) without reading stored
/// documents: what the benchmark compares with FTS5, which also returns only row ids.
pub fn run_lean(live: &Live, req: &SearchRequest, facets: bool) -> Result<SearchResults, SearchError> {
    let searcher: Searcher = live.reader.searcher();
    let (query, _) = compose(req, &Names::default(), &live.fields, &searcher)?;
    let top = TopDocs::with_limit(req.limit.clamp(1, 100)).order_by_score();
    let total = match (facets, single_term(req)) {
        (false, true) => {
            let _ = searcher.search(&*query, &top)?;
            query.count(&searcher)?
        }
        (false, false) => searcher.search(&*query, &(top, Count))?.1,
        (true, _) => {
            let (_, total, _) = collect(&searcher, &*query, req, single_term(req), req.limit.clamp(1, 100))?;
            total
        }
    };
    Ok(SearchResults { total, hits: Vec::new(), facets: Facets::new() })
}

/// Every story id a search finds, oldest first, at most `max` (rule tagging).
pub fn all_ids(live: &Live, req: &SearchRequest, max: usize) -> Result<Vec<String>, SearchError> {
    all_ids_named(live, req, &Names::default(), max)
}

/// Every story id a search with names finds, oldest first, at most `max` (freezing a story set).
pub fn all_ids_named(
    live: &Live,
    req: &SearchRequest,
    names: &Names,
    max: usize,
) -> Result<Vec<String>, SearchError> {
    let searcher = live.reader.searcher();
    let (query, _) = compose(req, names, &live.fields, &searcher)?;
    // The collector reserves room for its limit up front: never more than there are stories.
    let max = max.min(searcher.num_docs() as usize);
    let top = TopDocs::with_limit(max.max(1)).order_by_fast_field::<DateTime>("created", Order::Asc);
    let docs = searcher.search(&*query, &top)?;
    let mut ids = Vec::with_capacity(docs.len());
    for (_, address) in docs {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = stored_str(&doc, live.fields.id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_centres_on_the_matches_and_marks_them() {
        let body = "Eerst ging het goed. Daarna kwam ik op een wachtlijst en toen nog een wachtlijst, \
                    en niemand belde terug. Uiteindelijk hielp mijn oma.";
        let marks: BTreeSet<String> =
            text::query_terms("wachtlijsten", Analyzer::Dutch).into_iter().collect();
        let s = snippet(body, "nl", &marks, &[], 8);
        let hits: Vec<&str> = s.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, ["wachtlijst", "wachtlijst"]);
        assert_eq!(s.first().unwrap().text, "… ");
        assert_eq!(s.last().unwrap().text, " …");
        let joined: String = s.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("op een wachtlijst en toen nog een wachtlijst"), "{joined}");
    }

    #[test]
    fn prefix_marks_words_that_start_with_it() {
        let s =
            snippet("Wachten, wachttijd en een wachtlijst.", "nl", &BTreeSet::new(), &["wacht".into()], 40);
        assert_eq!(s.iter().filter(|p| p.hit).count(), 3);
    }
}
