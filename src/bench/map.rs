//! `luister bench map`: a perspective map of a synthetic 100,000-story, 20-theme campaign
//! (four groups, a triad, a dyad and two choice questions; `analysis::maps::synthetic`),
//! computed cold (the statistics and the page with its charts) and then served warm from the
//! map cache, with the memory it takes. The goal of issue 10: ≤ 2 s cold, ≤ 200 ms warm.
//! Loading the stories from the database and tokenising them is not part of "cold" here (the
//! search benchmark measures reading at this scale); the synthetic input is already tokenised.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use super::percentile;
use crate::analysis::maps::{Settings, compute, synthetic};
use crate::maps::cache::{Key, MapCache};
use crate::maps::view::{MapView, view};
use crate::maps::{Built, Header};

fn rss_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The whole map as the service makes it from its input: statistics, then the page.
fn cold(input: &crate::analysis::maps::MapInput, settings: &Settings) -> anyhow::Result<MapView> {
    let map = compute(input, settings).map_err(|e| anyhow::anyhow!(e))?;
    let built = Built {
        header: Header {
            campaign: "bench".into(),
            filter: String::new(),
            by: "perspective".into(),
            codebook_version: "bench".into(),
        },
        map,
        story_ids: input.stories.iter().map(|s| s.id.clone()).collect(),
        accepted: input
            .stories
            .iter()
            .flat_map(|s| s.themes.iter().map(|&t| (s.id.clone(), input.themes[t].id.clone())))
            .collect(),
        group_of: input
            .stories
            .iter()
            .filter_map(|s| s.group.map(|g| (s.id.clone(), input.groups[g].key.clone())))
            .collect::<HashMap<_, _>>(),
    };
    Ok(view(&built, "bench", "", 5))
}

pub fn run(stories: usize, repeats: usize) -> anyhow::Result<String> {
    let base = rss_mb("VmRSS:");
    eprintln!("generating {stories} synthetic stories…");
    let input = synthetic::bench_input(stories);
    let with_input = rss_mb("VmRSS:");
    let settings = Settings::default();

    let mut cold_ms = Vec::new();
    let mut page = None;
    for i in 0..repeats.max(1) {
        eprintln!("cold run {}…", i + 1);
        let started = Instant::now();
        let v = cold(&input, &settings)?;
        cold_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        page = Some(v);
    }
    let page = page.expect("at least one run");
    let peak = rss_mb("VmHWM:");
    let page_kb = serde_json::to_string(&page)?.len() as f64 / 1024.0;

    let cache: MapCache<MapView> = MapCache::default();
    let key = Key {
        campaign_id: "bench".into(),
        form_version: 1,
        filter: String::new(),
        by: "perspective".into(),
        language: "nl".into(),
        min_group: settings.min_group,
        k: 5,
        disclosed: false,
        events_seq: 1,
        codebook_version: "bench".into(),
        index_seq: 0,
    };
    cache.insert(key.clone(), Arc::new(page));
    let mut warm_ms = Vec::new();
    for _ in 0..1_000 {
        let started = Instant::now();
        let hit = cache.get(&key).ok_or_else(|| anyhow::anyhow!("the map was just cached"))?;
        // What a page request does with it besides rendering: read the numbers.
        std::hint::black_box(hit.themes.len());
        warm_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    cold_ms.sort_by(f64::total_cmp);
    warm_ms.sort_by(f64::total_cmp);
    Ok(format!(
        concat!(
            "stories            {stories} (20 themes, 4 groups, triad + dyad + 2 choice questions)\n",
            "cold               median {cold:.0} ms, min {min:.0} ms, max {max:.0} ms over {n} runs (statistics + page)\n",
            "warm (cached)      p50 {w50:.4} ms, p99 {w99:.4} ms over 1000 lookups (plus one max(seq) and one themes query in the service)\n",
            "memory             {base:.0} MB at start, {input:.0} MB with the input, peak {peak:.0} MB; a cached page is {kb:.0} KB as JSON (cache keeps {cap})"
        ),
        stories = stories,
        cold = percentile(&cold_ms, 50.0),
        min = cold_ms[0],
        max = cold_ms[cold_ms.len() - 1],
        n = cold_ms.len(),
        w50 = percentile(&warm_ms, 50.0),
        w99 = percentile(&warm_ms, 99.0),
        base = base,
        input = with_input,
        peak = peak,
        kb = page_kb,
        cap = crate::maps::cache::CAPACITY,
    ))
}
