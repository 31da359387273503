//! Operational metrics in Prometheus text format, for `/metrics` on the separate metrics
//! address (never the public one). Counters and histograms go through the `metrics` crate into
//! one process-wide Prometheus recorder; the state of one instance (indexer lag, database pool)
//! is read when scraped and appended, so several apps in one process (the tests) each report
//! their own.
//!
//! docs/operations.md lists every metric and what to alert on.

use crate::search::SearchHandle;
use crate::store::DynStore;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::fmt::Write as _;
use std::sync::OnceLock;

pub const HTTP_REQUESTS: &str = "luister_http_requests_total";
pub const HTTP_SECONDS: &str = "luister_http_request_duration_seconds";
pub const STORIES_ACCEPTED: &str = "luister_stories_accepted_total";
pub const STORIES_REFUSED: &str = "luister_stories_refused_total";
pub const JOBS_STARTED: &str = "luister_jobs_started_total";
pub const JOBS_FINISHED: &str = "luister_jobs_finished_total";
pub const JOB_SECONDS: &str = "luister_job_duration_seconds";

/// Upper bounds of the request latency buckets, in seconds: pages answer in milliseconds, a
/// search or export may take seconds, and the request timeout is 30 s.
const HTTP_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// Jobs (discovery, retraining) run from a second to many minutes.
const JOB_BUCKETS: [f64; 9] = [0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use. A global recorder can be installed only
/// once per process, and tests start many apps in one process: every app shares this one.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_SECONDS.into()), &HTTP_BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(JOB_SECONDS.into()), &JOB_BUCKETS))
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if ::metrics::set_global_recorder(recorder).is_err() {
            // Only when a program embedding luister installed its own: our counters go there.
            tracing::warn!("another metrics recorder is installed; /metrics shows only instance gauges");
        }
        describe();
        handle
    })
}

fn describe() {
    ::metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status."
    );
    ::metrics::describe_histogram!(
        HTTP_SECONDS,
        ::metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method and route template."
    );
    ::metrics::describe_counter!(STORIES_ACCEPTED, "Stories stored (after the commit), by source.");
    ::metrics::describe_counter!(STORIES_REFUSED, "Story submissions refused, by reason.");
    ::metrics::describe_counter!(JOBS_STARTED, "Background jobs started, by kind.");
    ::metrics::describe_counter!(
        JOBS_FINISHED,
        "Background jobs ended, by kind and status (done, failed, cancelled)."
    );
    ::metrics::describe_histogram!(
        JOB_SECONDS,
        ::metrics::Unit::Seconds,
        "How long background jobs ran, by kind."
    );
}

/// One answered request. `route` is the matched template (`/c/{slug}`), never the raw path:
/// paths can hold receipt codes, and raw paths would make unbounded label sets.
pub fn http_request(method: &str, route: &str, status: u16, seconds: f64) {
    handle();
    let (method, route) = (method.to_string(), route.to_string());
    ::metrics::counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    ::metrics::histogram!(HTTP_SECONDS, "method" => method, "route" => route).record(seconds);
}

/// A story committed to the database; `source` is `form`, `api` or `import`.
pub fn story_accepted(source: &'static str) {
    handle();
    ::metrics::counter!(STORIES_ACCEPTED, "source" => source).increment(1);
}

/// A submission refused; `reason` is a stable problem code (`text_too_short`, `rate_limited`, …).
pub fn story_refused(reason: &'static str) {
    handle();
    ::metrics::counter!(STORIES_REFUSED, "reason" => reason).increment(1);
}

pub fn job_started(kind: &str) {
    handle();
    ::metrics::counter!(JOBS_STARTED, "kind" => kind.to_string()).increment(1);
}

/// A job ended; `status` is `done`, `failed` or `cancelled`.
pub fn job_finished(kind: &str, status: &'static str, seconds: f64) {
    handle();
    ::metrics::counter!(JOBS_FINISHED, "kind" => kind.to_string(), "status" => status).increment(1);
    ::metrics::histogram!(JOB_SECONDS, "kind" => kind.to_string()).record(seconds);
}

/// What one instance reports about itself at scrape time.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceGauges {
    /// Highest `story_events.seq` in the database; `None` when the database did not answer.
    pub database_seq: Option<i64>,
    /// Last event the search index applied.
    pub index_seq: i64,
    pub index_ready: bool,
    pub pools: Vec<crate::store::PoolUse>,
}

impl InstanceGauges {
    pub async fn read(store: &DynStore, search: &SearchHandle) -> InstanceGauges {
        InstanceGauges {
            database_seq: store.last_event_seq().await.ok(),
            index_seq: search.applied_seq(),
            index_ready: matches!(search.status(), crate::search::engine::Status::Ready),
            pools: store.pool_use(),
        }
    }

    /// Events the index is behind the database (0 when it has caught up).
    pub fn index_lag(&self) -> Option<i64> {
        self.database_seq.map(|db| (db - self.index_seq).max(0))
    }

    /// The gauges in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut gauge = |name: &str, help: &str, samples: &[(String, f64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
            for (labels, value) in samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        gauge(
            "luister_database_up",
            "1 when the database answered this scrape, else 0.",
            &[(String::new(), f64::from(u8::from(self.database_seq.is_some())))],
        );
        if let (Some(db), Some(lag)) = (self.database_seq, self.index_lag()) {
            gauge(
                "luister_database_event_seq",
                "Highest story event sequence number in the database.",
                &[(String::new(), db as f64)],
            );
            gauge(
                "luister_index_lag_events",
                "Story events in the database that this instance's search index has not applied yet.",
                &[(String::new(), lag as f64)],
            );
        }
        gauge(
            "luister_index_event_seq",
            "Last story event sequence number applied to this instance's search index.",
            &[(String::new(), self.index_seq as f64)],
        );
        gauge(
            "luister_index_ready",
            "1 when the search index is open and following the database, 0 while it starts, rebuilds or failed.",
            &[(String::new(), f64::from(u8::from(self.index_ready)))],
        );
        let pool = |f: fn(&crate::store::PoolUse) -> f64| -> Vec<(String, f64)> {
            self.pools.iter().map(|p| (format!("{{pool=\"{}\"}}", p.name), f(p))).collect()
        };
        gauge(
            "luister_db_pool_connections",
            "Open database connections per pool.",
            &pool(|p| f64::from(p.size)),
        );
        gauge(
            "luister_db_pool_idle_connections",
            "Idle database connections per pool.",
            &pool(|p| p.idle as f64),
        );
        gauge(
            "luister_db_pool_max_connections",
            "Most connections a pool opens.",
            &pool(|p| f64::from(p.max)),
        );
        out
    }
}

/// The whole `/metrics` body for one instance: the process-wide counters and histograms, then
/// this instance's gauges.
pub async fn render(store: &DynStore, search: &SearchHandle) -> String {
    let handle = handle();
    // Without the exporter's own HTTP listener nothing else runs the upkeep (draining histogram
    // buffers); once per scrape is enough.
    handle.run_upkeep();
    let mut out = handle.render();
    out.push_str(&InstanceGauges::read(store, search).await.render());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauges_show_the_index_lag_and_each_pool() {
        let g = InstanceGauges {
            database_seq: Some(120),
            index_seq: 100,
            index_ready: true,
            pools: vec![crate::store::PoolUse { name: "read", size: 3, idle: 2, max: 4 }],
        };
        let text = g.render();
        assert!(text.contains("luister_index_lag_events 20\n"), "{text}");
        assert!(text.contains("luister_db_pool_idle_connections{pool=\"read\"} 2\n"), "{text}");
        assert!(text.contains("# TYPE luister_index_lag_events gauge"), "{text}");
        assert!(text.contains("luister_database_up 1\n"), "{text}");
    }

    #[test]
    fn an_unreachable_database_shows_as_down_without_a_made_up_lag() {
        let g = InstanceGauges { database_seq: None, index_seq: 7, index_ready: true, pools: vec![] };
        let text = g.render();
        assert!(text.contains("luister_database_up 0\n"), "{text}");
        assert!(!text.contains("luister_index_lag_events"), "{text}");
        assert_eq!(g.index_lag(), None);
    }

    #[test]
    fn counters_and_histograms_reach_the_rendered_text() {
        http_request("GET", "/c/{slug}", 200, 0.012);
        story_refused("text_too_short");
        let text = handle().render();
        assert!(
            text.contains("luister_http_requests_total{method=\"GET\",route=\"/c/{slug}\",status=\"200\"}"),
            "{text}"
        );
        assert!(
            text.contains("luister_http_request_duration_seconds_bucket"),
            "histogram, not summary: {text}"
        );
        assert!(text.contains("luister_stories_refused_total{reason=\"text_too_short\"}"), "{text}");
    }
}
