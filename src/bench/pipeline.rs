//! `luister bench pipeline`: the theme-tagging pipeline on a large demo corpus, stage by stage,
//! as the jobs run it: discovery with a fixed k (features, clustering, labels, stability), rule
//! tags for a codebook of rules (queries on the search index), and training the suggestion model
//! on the coded stories and proposing tags for every story. Reports wall time per stage, the
//! total, and the peak resident memory of the pipeline (measured from its start: building the
//! search index beforehand is not part of it, and is reported on its own).

use crate::analysis::discovery::{self, Doc, K};
use crate::analysis::suggest::{self, Example};
use crate::demo;
use crate::domain::Story;
use crate::search::exec::{self, SearchRequest, Sort};
use std::fmt::Write;
use std::time::Instant;

/// Rule queries for the benchmark's codebook: the default global codebook's rules, then words
/// and phrases of the demo corpus, up to `n`.
pub fn rules(n: usize) -> Vec<String> {
    let mut out: Vec<String> = crate::tagging::codebook::parse_json(crate::tagging::codebook::DEFAULT)
        .map(|entries| entries.into_iter().filter_map(|e| e.rule).collect())
        .unwrap_or_default();
    const EXTRA: [&str; 40] = [
        "wachtlijst",
        "\"op de wachtlijst\"",
        "maanden OR wachttijd",
        "school AND mentor",
        "thuiszitter",
        "\"passend onderwijs\"",
        "oma OR opa",
        "buurvrouw OR buurman",
        "netwerkberaad",
        "schulden AND toeslagen",
        "huur OR energierekening",
        "voedselbank",
        "gesloten AND groep",
        "separeer*",
        "kamerprogramma",
        "\"18 jaar\"",
        "verlengde AND jeugdhulp",
        "zelfstandig AND wonen",
        "caseload",
        "werkdruk AND team",
        "verloop OR wisselingen",
        "perspectiefplan",
        "inspraak OR mening",
        "\"niet gehoord\"",
        "niemand AND luisterde",
        "huisarts",
        "intake",
        "wijkteam",
        "gemeente AND toegang",
        "jeugdbescherming",
        "pleeggezin OR gezinshuis",
        "voogd",
        "\"veilig thuis\"",
        "ggz",
        "uitkering",
        "sportclub OR jongerenwerk",
        "familie AND steun",
        "geld AND zorgen",
        "mentor AND gesprek",
        "waiting OR list",
    ];
    out.extend(EXTRA.iter().map(|s| s.to_string()));
    out.truncate(n);
    out
}

/// Peak resident memory of this process in MB (Linux `VmHWM`), 0 where unknown.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Starts a new peak-memory measurement (Linux: writing 5 to `clear_refs` resets `VmHWM`).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub fn run(n: usize, seed: u64, k: usize, themes: usize, coded_share: f64) -> anyhow::Result<String> {
    let tmp = tempfile::tempdir()?;
    eprintln!("generating {n} demo stories…");
    let generated: Vec<demo::DemoStory> = demo::generate(n, seed).collect();
    let stories: Vec<Story> =
        generated.iter().enumerate().map(|(i, d)| super::search::story_of(d, i)).collect();
    eprintln!("building the search index (not part of the pipeline)…");
    let (live, built) = super::search::build_tantivy(tmp.path(), &stories)?;
    let docs: Vec<Doc> = crate::tagging::threads::docs_of(&stories);
    // People coded a share of the stories (as in the demo: evenly spread), with their true themes.
    let every = (1.0 / coded_share.clamp(0.001, 1.0)).round().max(1.0) as usize;
    let examples: Vec<Example> = stories
        .iter()
        .zip(&generated)
        .enumerate()
        .map(|(i, (s, d))| Example {
            doc_id: s.id.clone(),
            text: docs[i].text.clone(),
            language: s.language.clone(),
            labels: if i % every == 0 {
                d.true_themes.iter().map(|t| (t.clone(), true)).collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    drop(generated);
    let rules = rules(themes);

    let measured = reset_peak_rss();
    let before = peak_rss_mb();
    let started = Instant::now();

    eprintln!("discovery with k={k}…");
    let t = Instant::now();
    let params = discovery::Params { k: K::Fixed(k), seed, ..discovery::Params::default() };
    let found =
        discovery::discover(&docs, &params, &mut |_| true).map_err(|_| anyhow::anyhow!("cancelled"))?;
    let discovery_s = t.elapsed().as_secs_f64();

    eprintln!("rule tags for {} themes…", rules.len());
    let t = Instant::now();
    let mut rule_tags = 0usize;
    for rule in &rules {
        let req = SearchRequest {
            q: rule.clone(),
            filters: Vec::new(),
            sort: Sort::Oldest,
            offset: 0,
            limit: 100,
            scope: Some(vec!["bench".into()]),
            snippets: false,
            choice_facets: false,
            ids: None,
        };
        rule_tags += exec::all_ids(&live, &req, n.max(1))?.len();
    }
    let rules_s = t.elapsed().as_secs_f64();

    eprintln!("training suggestions on {} coded stories…", n.div_ceil(every));
    let t = Instant::now();
    let sp = suggest::Params::default();
    let model = suggest::train(&examples, &sp);
    let train_s = t.elapsed().as_secs_f64();
    eprintln!("suggesting for {n} stories…");
    let t = Instant::now();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let uncoded: Vec<&Example> = examples.iter().filter(|e| e.labels.is_empty()).collect();
    let suggestions: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = uncoded
            .chunks(uncoded.len().div_ceil(threads).max(1))
            .map(|part| {
                let model = &model;
                scope.spawn(move || {
                    part.iter()
                        .map(|e| model.suggest(&e.text, &e.language, sp.threshold).len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let suggest_s = t.elapsed().as_secs_f64();
    let total = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();

    let mut out = String::new();
    writeln!(out, "stories: {n} (seed {seed}); search index built beforehand in {:.1} s", built.seconds)?;
    writeln!(out)?;
    writeln!(out, "| stage | wall | result |")?;
    writeln!(out, "|---|---|---|")?;
    writeln!(
        out,
        "| discovery, k={k} (features, LSA + spherical k-means, labels, stability) | {discovery_s:.1} s | {} threads, {} unassigned, {} terms |",
        found.threads.len(),
        found.unassigned.len(),
        found.vocabulary_size
    )?;
    writeln!(out, "| rule tags, {} themes | {rules_s:.1} s | {rule_tags} tags |", rules.len())?;
    writeln!(
        out,
        "| suggestion training ({} coded stories) | {train_s:.1} s | {} themes learned |",
        n.div_ceil(every),
        model.themes().len()
    )?;
    writeln!(out, "| suggestions for the uncoded stories | {suggest_s:.1} s | {suggestions} suggestions |")?;
    writeln!(out, "| **total** | **{total:.1} s** | |")?;
    writeln!(out)?;
    if measured {
        writeln!(
            out,
            "peak resident memory during the pipeline: {peak:.0} MB (the corpus and index held before it: {before:.0} MB)"
        )?;
    } else {
        writeln!(
            out,
            "peak resident memory of the process: {peak:.0} MB (could not reset the peak before the pipeline)"
        )?;
    }
    Ok(out)
}
