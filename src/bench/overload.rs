//! `luister bench overload`: far more concurrent story submissions than the service takes at
//! once, each on its own connection, against the real app with its default in-flight limit.
//! Reports how many were accepted and shed, the latency of the accepted ones (what a teller
//! whose story got in waited), and the server's memory at the peak. With `--addresses N` the
//! clients send from N loopback addresses (127.0.1.x; Linux routes all of 127/8 to `lo`) with
//! the per-address story limit left on, so a crowd sending ten times that limit is measured too.

use super::percentile;
use crate::Application;
use crate::config::Config;
use crate::transfer::import::{DEMO_CAMPAIGN, DEMO_SEED};
use std::time::Instant;

#[derive(Debug, Clone, serde::Serialize)]
pub struct OverloadReport {
    pub backend: &'static str,
    pub clients: usize,
    pub requests: usize,
    pub max_in_flight: usize,
    /// Loopback source addresses the clients send from (1: one address, limit lifted).
    pub addresses: usize,
    /// Stories one address may send at once (the burst of the per-address limit); 0 when lifted.
    pub per_address_burst: u32,
    /// Refused by the per-address limit (429).
    pub rate_limited: usize,
    /// The most stories accepted from one address, and what the limit allows over the run (the
    /// burst plus what refilled meanwhile).
    pub max_accepted_per_address: usize,
    pub per_address_allowed: usize,
    pub accepted: usize,
    pub shed: usize,
    pub other: usize,
    /// Statuses of the other answers, with counts.
    pub other_statuses: std::collections::BTreeMap<u16, usize>,
    /// The start of the first answer of each other status: why it was refused.
    pub other_reasons: std::collections::BTreeMap<u16, String>,
    pub stored: i64,
    pub accepted_p50_ms: f64,
    pub accepted_p99_ms: f64,
    pub shed_p99_ms: f64,
    pub rss_before_mb: f64,
    pub rss_peak_mb: f64,
    pub seconds: f64,
}

impl std::fmt::Display for OverloadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "backend              {}", self.backend)?;
        writeln!(
            f,
            "clients              {} at once, {} requests, {} in flight allowed",
            self.clients, self.requests, self.max_in_flight
        )?;
        writeln!(
            f,
            "answers              {} accepted (201), {} shed (503), {} rate-limited (429), {} other {:?}",
            self.accepted, self.shed, self.rate_limited, self.other, self.other_statuses
        )?;
        if self.addresses > 1 {
            writeln!(
                f,
                "addresses            {} loopback addresses, burst {} each: {} refused by the limit (429), at most {} accepted from one",
                self.addresses, self.per_address_burst, self.rate_limited, self.max_accepted_per_address
            )?;
            writeln!(f, "                     (the limit allows {} over the run)", self.per_address_allowed)?;
        }
        for (status, reason) in &self.other_reasons {
            writeln!(f, "  first {status}          {reason}")?;
        }
        writeln!(f, "stored               {} (must equal accepted)", self.stored)?;
        writeln!(
            f,
            "accepted latency     p50 {:.1} ms, p99 {:.1} ms",
            self.accepted_p50_ms, self.accepted_p99_ms
        )?;
        writeln!(f, "shed latency         p99 {:.1} ms", self.shed_p99_ms)?;
        writeln!(
            f,
            "process RSS          {:.0} MB before, {:.0} MB at the peak",
            self.rss_before_mb, self.rss_peak_mb
        )?;
        write!(f, "wall time            {:.1} s", self.seconds)
    }
}

/// Resident memory of this process in MB (Linux; 0 elsewhere).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub async fn run(
    clients: usize,
    requests: usize,
    addresses: usize,
    database_url: Option<String>,
) -> anyhow::Result<OverloadReport> {
    anyhow::ensure!((1..=250).contains(&addresses), "--addresses must be 1 to 250");
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url,
        addr: "127.0.0.1:0".parse()?,
        max_connections: clients.max(1024) + 16,
        ..Config::default()
    };
    if addresses == 1 {
        // One address sends everything: the per-address story limit is not what is measured.
        config.stories_per_client_per_hour = 100_000_000;
        config.story_burst = 10_000_000;
    }
    let per_address_burst = if addresses == 1 { 0 } else { config.story_burst };
    let per_hour = f64::from(config.stories_per_client_per_hour);
    let max_in_flight = config.max_requests_in_flight;
    let app = Application::build(config).await?;
    let store = app.store.clone();
    let audit = crate::domain::AuditEntry::new(
        crate::domain::Actor::system(),
        crate::domain::AuditAction::CampaignChanged,
    );
    let (campaign, _) =
        store.save_campaign(&crate::domain::CampaignDef::from_toml(DEMO_CAMPAIGN)?, &audit).await?;
    let port = app.port();
    let server = tokio::spawn(app.run_until_stopped());
    let bodies: Vec<String> = crate::demo::generate(requests, DEMO_SEED)
        .map(|s| {
            serde_json::json!({
                "text": s.text, "title": s.title, "perspective": s.perspective, "age_band": s.age_band,
                "region": s.region, "prompt": s.prompt, "consent": true,
                // The demo has tellers under 16: their parent or guardian agrees too.
                "guardian_consent": true, "answers": s.answers,
            })
            .to_string()
        })
        .collect();
    let url = format!("http://127.0.0.1:{port}/api/v1/campaigns/{}/stories", campaign.slug());
    let rss_before = rss_mb();
    let peak = std::sync::Arc::new(std::sync::Mutex::new(rss_before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                let now = rss_mb();
                if let Ok(mut p) = peak.lock() {
                    *p = p.max(now);
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let bodies = std::sync::Arc::new(bodies);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (url, bodies, next) = (url.clone(), bodies.clone(), next.clone());
        let address = c % addresses;
        tasks.push(tokio::spawn(async move {
            // No connection reuse: each request is a new client, as a crowd of tellers is.
            let mut builder = reqwest::Client::builder().pool_max_idle_per_host(0);
            if addresses > 1 {
                let [a, b] = u16::try_from(address + 1)?.to_be_bytes();
                builder = builder.local_address(std::net::IpAddr::from([127, 0, 1 + a, b]));
            }
            let client = builder.build()?;
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= bodies.len() {
                    return Ok::<_, anyhow::Error>(out);
                }
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(bodies[i].clone())
                    .send()
                    .await?;
                let status = r.status().as_u16();
                let body = r.bytes().await?;
                // The reason of an unexpected answer, once per status, for the report.
                let reason = (![201, 429, 503].contains(&status))
                    .then(|| String::from_utf8_lossy(&body[..body.len().min(160)]).into_owned());
                out.push((address, status, t.elapsed().as_secs_f64() * 1000.0, reason));
            }
        }));
    }
    let mut accepted = Vec::new();
    let mut shed = Vec::new();
    let mut other = 0;
    let mut rate_limited = 0;
    let mut accepted_per_address = vec![0usize; addresses];
    let mut other_statuses = std::collections::BTreeMap::new();
    let mut other_reasons = std::collections::BTreeMap::new();
    for t in tasks {
        for (address, status, ms, reason) in t.await?? {
            if let Some(reason) = reason {
                other_reasons.entry(status).or_insert(reason);
            }
            match status {
                201 => {
                    accepted.push(ms);
                    accepted_per_address[address] += 1;
                }
                503 => shed.push(ms),
                429 => rate_limited += 1,
                s => {
                    other += 1;
                    *other_statuses.entry(s).or_insert(0) += 1;
                }
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    sampler.abort();
    accepted.sort_by(f64::total_cmp);
    shed.sort_by(f64::total_cmp);
    let stored = store.count_stories(&campaign.id).await?;
    server.abort();
    let rss_peak = peak.lock().map(|p| *p).unwrap_or(0.0);
    Ok(OverloadReport {
        backend: store.backend(),
        clients,
        requests,
        max_in_flight,
        addresses,
        per_address_burst,
        rate_limited,
        max_accepted_per_address: accepted_per_address.iter().copied().max().unwrap_or(0),
        per_address_allowed: per_address_burst as usize + (seconds * per_hour / 3600.0).ceil() as usize,
        accepted: accepted.len(),
        shed: shed.len(),
        other,
        other_statuses,
        other_reasons,
        stored,
        accepted_p50_ms: percentile(&accepted, 50.0),
        accepted_p99_ms: percentile(&accepted, 99.0),
        shed_p99_ms: percentile(&shed, 99.0),
        rss_before_mb: rss_before,
        rss_peak_mb: rss_peak,
        seconds,
    })
}
