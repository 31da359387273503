//! The retention job deletes stories past their campaign's retention period, with a clock we
//! control.

use crate::helpers::{Backend, DEMO_TOML, fresh_store, system_audit};
use crate::on_both_backends;
use luister::domain::audit::AuditFilter;
use luister::domain::story::StorySource;
use luister::domain::{AuditAction, CampaignDef, StoryEventKind};
use luister::transfer::import::import_jsonl;
use std::io::Cursor;
use time::{Duration, OffsetDateTime};

async fn stories_past_the_retention_period_are_deleted_and_audited(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let mut def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    def.retention_days = 30;
    store.save_campaign(&def, &system_audit()).await.unwrap();
    let lines = [
        ("oud", "2026-01-01T10:00:00Z"),
        ("bijna", "2026-01-20T10:00:00Z"),
        ("nieuw", "2026-02-10T10:00:00Z"),
    ]
    .iter()
    .map(|(ext, at)| {
        serde_json::json!({
            "campaign": "eigen-netwerk", "external_id": ext, "created_at": at, "perspective": "youth",
            "prompt": "zelf-geregeld", "answers": { "gevoel": "blij" },
            "text": "Mijn oom hielp me met het zoeken van een kamer, dat ging best goed uiteindelijk.",
        })
        .to_string()
    })
    .collect::<Vec<_>>()
    .join("\n");
    import_jsonl(store.clone(), Cursor::new(lines), StorySource::Import, |_, _| {}).await.unwrap();
    let c = store.campaign_by_slug("eigen-netwerk").await.unwrap();

    // On 2026-02-15 the cutoff is 2026-01-16: only the oldest story goes.
    let now = OffsetDateTime::parse("2026-02-15T00:00:00Z", &time::format_description::well_known::Rfc3339)
        .unwrap();
    let deleted = luister::retention::run_once(&store, now).await.unwrap();
    assert_eq!(deleted, vec![("eigen-netwerk".to_string(), 1)]);
    assert_eq!(store.count_stories(&c.id).await.unwrap(), 2);
    let events = store.events_after(0, 100).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == StoryEventKind::Delete).count(), 1);
    // Nothing more to do on the same day; ten days later the second one goes.
    assert!(luister::retention::run_once(&store, now).await.unwrap().is_empty());
    luister::retention::run_once(&store, now + Duration::days(10)).await.unwrap();
    assert_eq!(store.count_stories(&c.id).await.unwrap(), 1);
    let audit = store
        .audit_entries(&AuditFilter { action: Some(AuditAction::RetentionDeleted), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].details["deleted"], 1);
    assert_eq!(audit[1].details["retention_days"], 30);
}
on_both_backends!(stories_past_the_retention_period_are_deleted_and_audited);
