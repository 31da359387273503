//! `luister bench search`: bulk indexing speed and query latency of the tantivy index, next to
//! SQLite FTS5 on the same corpus and the same tokens, in one run.
//!
//! Both engines index the output of the shared text pipeline: FTS5 gets each story's stemmed
//! tokens and its folded tokens as two columns (whitespace-joined, `unicode61` re-splits them
//! unchanged), so both see exactly the same terms and return the same counts; the run checks that.

use super::percentile;
use crate::analysis::text::Analyzer;
use crate::demo::{self, DemoStory};
use crate::domain::{AgeBand, Answer, Answers, Campaign, CampaignDef, Perspective, Story};
use crate::search::exec::{self, SearchRequest, Sort};
use crate::search::schema::{self, PipelineTokenizer, SCHEMA_VERSION, Variant};
use crate::search::{document, engine::Live};
use crate::transfer::import::DEMO_CAMPAIGN;
use std::path::Path;
use std::time::Instant;
use tantivy::{Index, IndexWriter, ReloadPolicy};

/// One query of the fixed mix, in both engines' terms.
pub struct MixQuery {
    pub name: &'static str,
    /// luister's search language.
    pub luister: String,
    /// FTS5 MATCH expression over the columns `stemmed` and `folded`.
    pub fts: String,
}

/// A query word as FTS5 must ask it to see what luister sees: the word's stems under every
/// analyser (Dutch "school" is stored as "schol", English and other stories keep "school").
fn fts_word(word: &str) -> String {
    let mut stems = std::collections::BTreeSet::new();
    for a in [Analyzer::Dutch, Analyzer::English, Analyzer::Plain] {
        stems.extend(crate::analysis::text::query_terms(word, a));
    }
    let parts: Vec<String> = stems.into_iter().map(|s| format!("stemmed:{s}")).collect();
    if parts.len() == 1 { parts[0].clone() } else { format!("({})", parts.join(" OR ")) }
}

/// The fixed mix: common term, rare term, two-term AND, OR of three, phrase, prefix.
pub fn mix(rare: &str) -> Vec<MixQuery> {
    let q = |name, luister: &str, fts: &str| MixQuery { name, luister: luister.into(), fts: fts.into() };
    let w = fts_word;
    vec![
        q("common term", "school", &w("school")),
        q("rare term", rare, &w(rare)),
        q("two-term AND", "wachtlijst school", &format!("{} AND {}", w("wachtlijst"), w("school"))),
        q(
            "OR of three",
            "wachtlijst OR school OR geld",
            &format!("{} OR {} OR {}", w("wachtlijst"), w("school"), w("geld")),
        ),
        q("phrase", "\"op de wachtlijst\"", "folded:\"op de wachtlijst\""),
        q("prefix", "wacht*", "folded:wacht*"),
    ]
}

/// The filters added to each query in its "with facets and a range" variant.
pub const FILTERS: [&str; 3] = ["perspective:youth", "lang:nl", "regie>=0.5"];
const FTS_FILTERS: &str = "m.perspective = 'youth' AND m.language = 'nl' AND m.regie >= 0.5";

/// A demo story as a stored story (no database: this measures the index alone).
pub fn story_of(d: &DemoStory, n: usize) -> Story {
    let answers: Answers = d
        .answers
        .iter()
        .filter_map(|(k, v)| serde_json::from_value::<Answer>(v.clone()).ok().map(|a| (k.clone(), a)))
        .collect();
    Story {
        id: format!("{n:08}"),
        campaign_id: "bench".into(),
        external_id: Some(d.external_id.clone()),
        title: d.title.clone(),
        text: d.text.clone(),
        language: d.language.clone(),
        perspective: Perspective::parse(&d.perspective).unwrap_or(Perspective::Other),
        age_band: d.age_band.as_deref().and_then(AgeBand::parse),
        region: d.region.clone(),
        municipality: None,
        prompt_id: Some(d.prompt.clone()),
        answers,
        source: crate::domain::story::StorySource::Demo,
        form_version: 1,
        created_at: time::OffsetDateTime::parse(
            &d.created_at,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        safeguarding: Vec::new(),
    }
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        dir_size(&e.path())
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

pub struct BuildReport {
    pub stories: usize,
    pub text_bytes: u64,
    pub seconds: f64,
    pub size_bytes: u64,
}

/// Bulk-indexes the stories with one indexing thread.
pub fn build_tantivy(dir: &Path, stories: &[Story]) -> anyhow::Result<(Live, BuildReport)> {
    let n = stories.len();
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema)?;
    schema::register(&index);
    let campaign = Campaign {
        id: "bench".into(),
        def: CampaignDef::from_toml(DEMO_CAMPAIGN)?,
        form_version: 1,
        created_at: time::OffsetDateTime::UNIX_EPOCH,
        updated_at: time::OffsetDateTime::UNIX_EPOCH,
    };
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 512 * 1024 * 1024)?;
    let started = Instant::now();
    let mut bytes = 0u64;
    for story in stories {
        bytes += (story.text.len() + story.title.as_ref().map_or(0, String::len)) as u64;
        writer.add_document(document::build(&fields, &campaign, story, &[]))?;
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::json!({ "schema": SCHEMA_VERSION, "seq": 0 }).to_string());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let live = Live { index, reader, fields, generation: "bench".into() };
    Ok((live, BuildReport { stories: n, text_bytes: bytes, seconds, size_bytes: dir_size(dir) }))
}

/// Builds the FTS5 peer: the same stories, the same pipeline tokens.
pub fn build_fts(path: &Path, stories: &[Story]) -> anyhow::Result<(rusqlite::Connection, BuildReport)> {
    let n = stories.len();
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE fts USING fts5(stemmed, folded, tokenize = 'unicode61 remove_diacritics 2');
         CREATE TABLE m (rowid INTEGER PRIMARY KEY, perspective TEXT, language TEXT, regie REAL);",
    )?;
    let started = Instant::now();
    let mut bytes = 0u64;
    let tx = db.transaction()?;
    {
        let mut ins = tx.prepare("INSERT INTO fts (rowid, stemmed, folded) VALUES (?1, ?2, ?3)")?;
        let mut meta =
            tx.prepare("INSERT INTO m (rowid, perspective, language, regie) VALUES (?1, ?2, ?3, ?4)")?;
        for (i, story) in stories.iter().enumerate() {
            let text = document::searchable_text(story);
            bytes += (story.text.len() + story.title.as_ref().map_or(0, String::len)) as u64;
            let join = |v: Variant| {
                PipelineTokenizer::tokens(v, &text).into_iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
            };
            let stemmed = join(Variant::Stemmed(Analyzer::for_language(&story.language)));
            let folded = join(Variant::Folded);
            ins.execute(rusqlite::params![i as i64, stemmed, folded])?;
            let regie = match story.answers.get("regie") {
                Some(Answer::Dyad(x)) => Some(*x),
                _ => None,
            };
            meta.execute(rusqlite::params![i as i64, story.perspective.as_str(), story.language, regie])?;
        }
    }
    tx.commit()?;
    db.execute_batch("INSERT INTO fts(fts) VALUES('optimize');")?;
    let seconds = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok((db, BuildReport { stories: n, text_bytes: bytes, seconds, size_bytes: size }))
}

/// Latencies of one query variant, in milliseconds, and the count it found.
pub struct Timing {
    pub count: usize,
    pub ms: Vec<f64>,
}

impl Timing {
    pub fn p(&self, q: f64) -> f64 {
        percentile(&self.ms, q)
    }
    pub fn qps(&self) -> f64 {
        let total: f64 = self.ms.iter().sum();
        if total > 0.0 { self.ms.len() as f64 * 1000.0 / total } else { 0.0 }
    }
}

fn time_it(repeats: usize, mut f: impl FnMut() -> anyhow::Result<usize>) -> anyhow::Result<Timing> {
    // Warm the caches first: the goal is warm-cache latency.
    let mut count = 0;
    for _ in 0..3 {
        count = f()?;
    }
    let mut ms = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let t = Instant::now();
        count = f()?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(Timing { count, ms })
}

/// luister: top-10 and count (and facet counts, which the search page always asks for).
pub fn time_luister(live: &Live, q: &str, filters: &[&str], repeats: usize) -> anyhow::Result<Timing> {
    let req = SearchRequest {
        q: q.into(),
        filters: filters.iter().map(|f| f.to_string()).collect(),
        sort: Sort::Relevance,
        offset: 0,
        limit: 10,
        scope: None,
        snippets: false,
        choice_facets: false,
        ids: None,
    };
    time_it(repeats, || Ok(exec::run_lean(live, &req, false)?.total))
}

pub fn time_luister_facets(live: &Live, q: &str, repeats: usize) -> anyhow::Result<Timing> {
    let req = SearchRequest { q: q.into(), limit: 10, ..SearchRequest::default() };
    time_it(repeats, || Ok(exec::run_lean(live, &req, true)?.total))
}

/// FTS5: the same two answers, count and top 10 by bm25.
pub fn time_fts(
    db: &rusqlite::Connection,
    expr: &str,
    filtered: bool,
    repeats: usize,
) -> anyhow::Result<Timing> {
    let (count_sql, top_sql) = if filtered {
        (
            format!(
                "SELECT count(*) FROM fts JOIN m ON m.rowid = fts.rowid WHERE fts MATCH ?1 AND {FTS_FILTERS}"
            ),
            format!(
                "SELECT fts.rowid FROM fts JOIN m ON m.rowid = fts.rowid WHERE fts MATCH ?1 AND {FTS_FILTERS} ORDER BY rank LIMIT 10"
            ),
        )
    } else {
        (
            "SELECT count(*) FROM fts WHERE fts MATCH ?1".to_string(),
            "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT 10".to_string(),
        )
    };
    let mut count_stmt = db.prepare(&count_sql)?;
    let mut top_stmt = db.prepare(&top_sql)?;
    time_it(repeats, || {
        let count: i64 = count_stmt.query_row([expr], |r| r.get(0))?;
        let top: Vec<i64> = top_stmt.query_map([expr], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let _ = top;
        Ok(count as usize)
    })
}

/// A term with document frequency near `target` (for the "rare term" query).
pub fn rare_term(live: &Live, target: u64) -> String {
    let searcher = live.reader.searcher();
    let mut best: Option<(u64, String)> = None;
    for seg in searcher.segment_readers() {
        let Ok(inv) = seg.inverted_index(live.fields.text) else { continue };
        let mut stream = match inv.terms().stream() {
            Ok(s) => s,
            Err(_) => continue,
        };
        while stream.advance() {
            let df = u64::from(stream.value().doc_freq);
            let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
            if term.len() < 6 || !term.chars().all(|c| c.is_ascii_lowercase()) {
                continue;
            }
            let dist = df.abs_diff(target);
            if best.as_ref().is_none_or(|(d, _)| dist < *d) {
                best = Some((dist, term.to_string()));
            }
        }
        break;
    }
    best.map(|(_, t)| t).unwrap_or_else(|| "zwemleraar".into())
}

pub fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Opens a built index the way a server does and runs the mix; returns the process RSS after.
pub fn serving_rss(dir: &Path, rare: &str) -> anyhow::Result<f64> {
    let index = Index::open_in_dir(dir)?;
    schema::register(&index);
    let (_, fields) = schema::build();
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let live = Live { index, reader, fields, generation: "bench".into() };
    for q in mix(rare) {
        time_luister(&live, &q.luister, &[], 20)?;
        time_luister_facets(&live, &q.luister, 5)?;
        time_luister(&live, &q.luister, &FILTERS, 20)?;
    }
    Ok(rss_mb())
}

pub struct Row {
    pub name: String,
    pub variant: &'static str,
    pub luister: Timing,
    pub fts: Option<Timing>,
}

/// Runs everything and prints a Markdown report.
pub fn run(n: usize, seed: u64, repeats: usize, keep: Option<&Path>) -> anyhow::Result<String> {
    let tmp = tempfile::tempdir()?;
    let base = keep.map(Path::to_path_buf).unwrap_or_else(|| tmp.path().to_path_buf());
    let index_dir = base.join("tantivy");
    std::fs::create_dir_all(&index_dir)?;
    eprintln!("generating {n} demo stories…");
    // Generated up front, so the index times measure indexing only.
    let stories: Vec<Story> = demo::generate(n, seed).enumerate().map(|(i, d)| story_of(&d, i)).collect();
    eprintln!("indexing {n} stories into tantivy (1 thread)…");
    let (live, tb) = build_tantivy(&index_dir, &stories)?;
    eprintln!("indexing {n} stories into SQLite FTS5…");
    let fts_path = base.join("fts5.sqlite");
    let _ = std::fs::remove_file(&fts_path);
    let (db, fb) = build_fts(&fts_path, &stories)?;
    drop(stories);
    let rare = rare_term(&live, (n as u64 / 2_000).max(5));
    let mut rows = Vec::new();
    for q in mix(&rare) {
        eprintln!("timing {}…", q.name);
        let plain = time_luister(&live, &q.luister, &[], repeats)?;
        let fts_repeats = repeats.min(if n > 200_000 { 30 } else { 200 });
        let fts_plain = time_fts(&db, &q.fts, false, fts_repeats)?;
        let facets = time_luister_facets(&live, &q.luister, repeats)?;
        let filtered = time_luister(&live, &q.luister, &FILTERS, repeats)?;
        let fts_filtered = time_fts(&db, &q.fts, true, fts_repeats)?;
        rows.push(Row {
            name: q.name.into(),
            variant: "top-10 + count",
            luister: plain,
            fts: Some(fts_plain),
        });
        rows.push(Row { name: q.name.into(), variant: "+ facet counts", luister: facets, fts: None });
        rows.push(Row {
            name: q.name.into(),
            variant: "+ 2 facets, 1 range",
            luister: filtered,
            fts: Some(fts_filtered),
        });
    }
    let mut out = String::new();
    use std::fmt::Write;
    let mb = |b: u64| b as f64 / 1_048_576.0;
    writeln!(out, "stories: {n}, text: {:.0} MB, seed {seed}, rare term: '{rare}'", mb(tb.text_bytes))?;
    writeln!(out)?;
    writeln!(out, "| engine | bulk index time | MB/s (1 thread) | size on disk |")?;
    writeln!(out, "|---|---|---|---|")?;
    for (name, b) in [("luister (tantivy)", &tb), ("SQLite FTS5", &fb)] {
        writeln!(
            out,
            "| {name} | {:.1} s | {:.1} | {:.0} MB |",
            b.seconds,
            mb(b.text_bytes) / b.seconds.max(1e-9),
            mb(b.size_bytes)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "| query | variant | count | luister p50 | p95 | p99 | QPS | FTS5 p50 | FTS5 p99 | FTS5 count | p50 ratio FTS5/luister |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|")?;
    for r in &rows {
        let (fp50, fp99, fcount, ratio) = match &r.fts {
            Some(f) => (
                format!("{:.2} ms", f.p(50.0)),
                format!("{:.2} ms", f.p(99.0)),
                f.count.to_string(),
                format!("{:.1}×", f.p(50.0) / r.luister.p(50.0).max(1e-6)),
            ),
            None => ("".into(), "".into(), "".into(), "".into()),
        };
        writeln!(
            out,
            "| {} | {} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} | {fp50} | {fp99} | {fcount} | {ratio} |",
            r.name,
            r.variant,
            r.luister.count,
            r.luister.p(50.0),
            r.luister.p(95.0),
            r.luister.p(99.0),
            r.luister.qps()
        )?;
    }
    let mismatches: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.fts
                .as_ref()
                .filter(|f| f.count != r.luister.count)
                .map(|f| format!("{} {}: {} vs {}", r.name, r.variant, r.luister.count, f.count))
        })
        .collect();
    if !mismatches.is_empty() {
        writeln!(out, "\ncount differences (luister vs FTS5): {}", mismatches.join("; "))?;
    }
    drop(live);
    drop(db);
    // RSS of a process that only opens and serves the index, as `luister serve` would.
    let exe = std::env::current_exe()?;
    let child = std::process::Command::new(exe)
        .args(["bench", "search-rss", "--index", &index_dir.display().to_string(), "--rare", &rare])
        .output()?;
    let rss = String::from_utf8_lossy(&child.stdout).trim().to_string();
    writeln!(out, "\nRSS of a process serving this index after the query mix: {rss} MB")?;
    Ok(out)
}
