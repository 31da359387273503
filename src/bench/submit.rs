//! Durable submissions per second through HTTP: the real app on a fresh database, N concurrent
//! clients each posting one story per request to the JSON API and waiting for the 201 that is
//! only sent after the commit.

use super::percentile;
use crate::Application;
use crate::config::Config;
use crate::transfer::import::{DEMO_CAMPAIGN, DEMO_SEED};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub struct SubmitReport {
    pub clients: usize,
    pub stories: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub stored: i64,
    pub backend: &'static str,
}

impl std::fmt::Display for SubmitReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "backend            {}", self.backend)?;
        writeln!(f, "clients            {}", self.clients)?;
        writeln!(f, "stories            {} acknowledged, {} in the database", self.stories, self.stored)?;
        writeln!(f, "wall time          {:.2} s", self.seconds)?;
        writeln!(f, "throughput         {:.0} durable submissions/s", self.per_second)?;
        write!(
            f,
            "latency            p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
            self.p50_ms, self.p95_ms, self.p99_ms
        )
    }
}

/// Runs the benchmark against `database_url` (a fresh SQLite file in a temporary directory
/// when `None`).
pub async fn run(
    clients: usize,
    stories: usize,
    database_url: Option<String>,
) -> anyhow::Result<SubmitReport> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url,
        addr: "127.0.0.1:0".parse()?,
        // All clients share one address here; the per-address limit would be the bottleneck.
        stories_per_client_per_hour: 10_000_000,
        story_burst: 1_000_000,
        ..Config::default()
    };
    let app = Application::build(config).await?;
    let store = app.store.clone();
    let (campaign, _) = store
        .save_campaign(
            &crate::domain::CampaignDef::from_toml(DEMO_CAMPAIGN)?,
            &crate::domain::AuditEntry::new(
                crate::domain::Actor::system(),
                crate::domain::AuditAction::CampaignChanged,
            ),
        )
        .await?;
    let before = store.count_stories(&campaign.id).await?;
    let port = app.port();
    let server = tokio::spawn(app.run_until_stopped());

    // Real, varied story texts, so scrubbing and validation cost what they cost in practice.
    let bodies: Arc<Vec<String>> = Arc::new(
        crate::demo::generate(stories, DEMO_SEED)
            .map(|s| {
                serde_json::json!({
                    "text": s.text, "title": s.title, "perspective": s.perspective, "age_band": s.age_band,
                    "region": s.region, "prompt": s.prompt, "consent": true, "guardian_consent": true, "answers": s.answers,
                })
                .to_string()
            })
            .collect(),
    );
    let url = format!("http://127.0.0.1:{port}/api/v1/campaigns/{}/stories", campaign.slug());
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, bodies, next) = (client.clone(), url.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= bodies.len() {
                    return Ok::<_, anyhow::Error>(latencies);
                }
                let t = Instant::now();
                let resp = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(bodies[i].clone())
                    .send()
                    .await?;
                anyhow::ensure!(resp.status() == 201, "story {i}: status {}", resp.status());
                resp.bytes().await?;
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let stored = store.count_stories(&campaign.id).await? - before;
    server.abort();
    Ok(SubmitReport {
        clients,
        stories: all.len(),
        seconds,
        per_second: all.len() as f64 / seconds,
        p50_ms: percentile(&all, 50.0),
        p95_ms: percentile(&all, 95.0),
        p99_ms: percentile(&all, 99.0),
        stored,
        backend: store.backend(),
    })
}
