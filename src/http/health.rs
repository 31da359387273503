//! `/healthz` for load balancers and operators: 200 when the database answers, 503 when not.
//! `/readyz` for taking an instance into rotation: 200 only when the database answers and this
//! instance's search index is within a few seconds of it (a freshly started instance that is
//! still rebuilding its index would otherwise answer searches with old results), and a write
//! would be taken (a full disk or a read-only database file answers reads but refuses stories).

use super::AppState;
use super::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;

/// How far behind the database the index may be and still count as ready: the indexer commits
/// about every second, so a few seconds is normal work, more means it is stuck or rebuilding.
pub const READY_LAG_SECONDS: i64 = 5;

pub fn routes() -> Routes {
    Routes::new().get("/healthz", healthz).get("/readyz", readyz)
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok", "database": state.store.backend() }))),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": state.store.backend() })),
            )
        }
    }
}

/// What `/readyz` found about the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexReadiness {
    Ready {
        lag_events: i64,
    },
    /// Starting or rebuilding from the database.
    NotOpen,
    /// Behind, and the oldest event it has not applied is this many seconds old.
    Behind {
        lag_events: i64,
        seconds: i64,
    },
}

/// Decides readiness from the index state and the oldest unapplied event (pure, for tests).
pub fn index_readiness(
    open: bool,
    lag_events: i64,
    oldest_unapplied: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> IndexReadiness {
    if !open {
        return IndexReadiness::NotOpen;
    }
    match oldest_unapplied {
        Some(at) if lag_events > 0 => {
            let seconds = (now - at).whole_seconds().max(0);
            if seconds > READY_LAG_SECONDS {
                IndexReadiness::Behind { lag_events, seconds }
            } else {
                IndexReadiness::Ready { lag_events }
            }
        }
        _ => IndexReadiness::Ready { lag_events: lag_events.max(0) },
    }
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let backend = state.store.backend();
    let database_seq = match state.store.last_event_seq().await {
        Ok(seq) => seq,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({
                    "status": "unavailable",
                    "database": { "backend": backend, "reachable": false },
                    "index": { "ready": false, "reason": "the database did not answer" },
                })),
            );
        }
    };
    if let Err(e) = state.store.check_writable().await {
        tracing::warn!(error = %e, "readiness: the database does not take writes");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "database": { "backend": backend, "reachable": true, "writable": false, "event_seq": database_seq,
                              "reason": "the database does not take writes now (full disk, read-only file or server)" },
                "index": { "event_seq": state.search.applied_seq() },
            })),
        );
    }
    let applied = state.search.applied_seq();
    let lag = (database_seq - applied).max(0);
    let open = matches!(state.search.status(), crate::search::engine::Status::Ready);
    let oldest = if open && lag > 0 {
        match state.store.events_after(applied, 1).await {
            Ok(events) => events.first().map(|e| e.created_at),
            Err(e) => {
                tracing::warn!(error = %e, "readiness: reading story events failed");
                None
            }
        }
    } else {
        None
    };
    let database =
        json!({ "backend": backend, "reachable": true, "writable": true, "event_seq": database_seq });
    match index_readiness(open, lag, oldest, OffsetDateTime::now_utc()) {
        IndexReadiness::Ready { lag_events } => (
            StatusCode::OK,
            Json(json!({
                "status": "ready",
                "database": database,
                "index": { "ready": true, "event_seq": applied, "lag_events": lag_events },
            })),
        ),
        IndexReadiness::NotOpen => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "database": database,
                "index": { "ready": false, "event_seq": applied, "lag_events": lag,
                           "reason": "the search index is starting or being rebuilt" },
            })),
        ),
        IndexReadiness::Behind { lag_events, seconds } => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "database": database,
                "index": { "ready": false, "event_seq": applied, "lag_events": lag_events, "lag_seconds": seconds,
                           "reason": format!("the search index is {seconds} s behind the database") },
            })),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn an_index_a_moment_behind_is_ready_and_one_long_behind_is_not() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(index_readiness(true, 0, None, now), IndexReadiness::Ready { lag_events: 0 });
        assert_eq!(
            index_readiness(true, 3, Some(now - Duration::seconds(1)), now),
            IndexReadiness::Ready { lag_events: 3 }
        );
        assert_eq!(
            index_readiness(true, 3, Some(now - Duration::seconds(30)), now),
            IndexReadiness::Behind { lag_events: 3, seconds: 30 }
        );
        assert_eq!(index_readiness(false, 0, None, now), IndexReadiness::NotOpen);
    }
}
