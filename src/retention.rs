//! The retention job: each campaign keeps stories for its `retention_days`; older ones are
//! deleted from the database (with delete events, so every search index drops them) and the
//! deletion is audited. Runs in the background on an interval and takes the time from a clock,
//! so tests can move it.

use crate::clock::DynClock;
use crate::domain::{Actor, AuditAction, AuditEntry};
use crate::store::DynStore;
use time::{Duration, OffsetDateTime};

/// Deletes expired stories of every campaign; returns (campaign slug, stories deleted).
pub async fn run_once(store: &DynStore, now: OffsetDateTime) -> anyhow::Result<Vec<(String, usize)>> {
    let mut deleted = Vec::new();
    for campaign in store.campaigns().await? {
        let cutoff = now - Duration::days(i64::from(campaign.def.retention_days));
        let audit =
            AuditEntry::new(Actor::system(), AuditAction::RetentionDeleted).details(serde_json::json!({
                "retention_days": campaign.def.retention_days,
                "cutoff": cutoff.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            }));
        let ids = store.delete_stories_before(&campaign.id, cutoff, &audit).await?;
        if !ids.is_empty() {
            tracing::info!(campaign = %campaign.slug(), deleted = ids.len(), "retention: expired stories deleted");
            deleted.push((campaign.def.slug.clone(), ids.len()));
        }
    }
    Ok(deleted)
}

/// Runs `run_once` now and then every `interval`, until the process stops.
pub async fn run_forever(store: DynStore, clock: DynClock, interval: std::time::Duration) {
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&store, clock.now()).await {
            tracing::error!(error = ?e, "retention job failed; will retry");
        }
    }
}
