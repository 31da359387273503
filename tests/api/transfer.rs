//! Import and export: bad lines reported and skipped, re-import updates, both formats
//! round-trip, and a move between the two backends keeps every story.

use crate::helpers::{Backend, DEMO_TOML, fresh_store};
use crate::on_both_backends;
use luister::domain::CampaignDef;
use luister::domain::story::StorySource;
use luister::store::DynStore;
use luister::transfer::export::{Format, export};
use luister::transfer::import::{import_csv, import_jsonl};
use std::io::Cursor;

const LINES: &str = r#"{"campaign":"eigen-netwerk","external_id":"a1","text":"Mijn opa hielp mij elke week met mijn huiswerk en dat werkte beter dan de bijles.","perspective":"youth","prompt":"zelf-geregeld","created_at":"2025-03-01T10:00:00Z","answers":{"gevoel":"blij","wat_hielp":[0.7,0.1,0.2]}}
{"campaign":"eigen-netwerk","external_id":"a2","text":"te kort","perspective":"youth","prompt":"zelf-geregeld","answers":{"gevoel":"blij"}}
this is not json
{"campaign":"onbekend","text":"Een verhaal voor een campagne die niet bestaat hier.","perspective":"parent"}

{"campaign":"eigen-netwerk","external_id":"a3","text":"Bel mevrouw Jansen op 06-98765432 voor meer informatie over de wachtlijst.","perspective":"professional","prompt":"wat-nodig","answers":{"gevoel":"boos","regie":0.2,"wie_hielp":["wijkteam","jeugdhulp"],"steun":null}}
"#;

async fn setup(
    backend: Backend,
) -> Option<(DynStore, tempfile::TempDir, Option<crate::helpers::PgDatabase>)> {
    let (store, dir, pg) = fresh_store(backend).await?;
    store
        .save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &crate::helpers::system_audit())
        .await
        .unwrap();
    Some((store, dir, pg))
}

async fn export_string(store: &DynStore, format: Format) -> String {
    let c = store.campaign_by_slug("eigen-netwerk").await.unwrap();
    let mut out = Vec::new();
    export(store, &c, format, &mut out, |_| {}).await.unwrap();
    String::from_utf8(out).unwrap()
}

async fn import_reports_bad_lines_by_number_and_reimport_updates_instead_of_duplicating(backend: Backend) {
    let Some((store, _dir, _pg)) = setup(backend).await else { return };
    let report =
        import_jsonl(store.clone(), Cursor::new(LINES), StorySource::Import, |_, _| {}).await.unwrap();
    assert_eq!(report.counts.inserted, 2);
    let bad: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(bad, [2, 3, 4]);
    assert!(report.errors[0].message.contains("text: Your story is too short"));
    assert!(report.errors[1].message.contains("not a valid story line"));
    assert!(report.errors[2].message.contains("unknown campaign 'onbekend'"));
    let exported = export_string(&store, Format::Jsonl).await;
    assert!(exported.contains("[telefoon]") && !exported.contains("98765432"), "imports are scrubbed");

    let again =
        import_jsonl(store.clone(), Cursor::new(LINES), StorySource::Import, |_, _| {}).await.unwrap();
    assert_eq!((again.counts.inserted, again.counts.updated), (0, 2));
    let c = store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(store.count_stories(&c.id).await.unwrap(), 2);
}
on_both_backends!(import_reports_bad_lines_by_number_and_reimport_updates_instead_of_duplicating);

async fn jsonl_and_csv_exports_round_trip(backend: Backend) {
    let Some((store, _dir, _pg)) = setup(backend).await else { return };
    import_jsonl(store.clone(), Cursor::new(LINES), StorySource::Import, |_, _| {}).await.unwrap();
    let jsonl = export_string(&store, Format::Jsonl).await;
    let csv = export_string(&store, Format::Csv).await;
    assert_eq!(jsonl.lines().count(), 2);
    assert!(csv.starts_with("id,campaign,external_id,created_at,language,perspective,age_band,region,prompt,title,text,tags,wat_hielp.0,wat_hielp.1,wat_hielp.2,"));
    assert!(csv.contains(",n/a,"), "skipped answers are marked: {csv}");

    // Into an empty database on the other backend... or the same one when PostgreSQL is absent.
    for (label, data) in [("jsonl", jsonl.clone()), ("csv", csv.clone())] {
        let Some((target, _d, _p)) = setup(Backend::Sqlite).await else { return };
        let report = if label == "csv" {
            import_csv(target.clone(), Cursor::new(data), StorySource::Import, |_, _| {}).await.unwrap()
        } else {
            import_jsonl(target.clone(), Cursor::new(data), StorySource::Import, |_, _| {}).await.unwrap()
        };
        assert!(report.errors.is_empty(), "{label}: {:?}", report.errors);
        assert_eq!(export_string(&target, Format::Jsonl).await, jsonl, "{label} round trip");
        // And importing the export into the same database changes nothing.
        let again = import_jsonl(target.clone(), Cursor::new(jsonl.clone()), StorySource::Import, |_, _| {})
            .await
            .unwrap();
        assert_eq!((again.counts.inserted, again.counts.updated), (0, 2));
        assert_eq!(export_string(&target, Format::Jsonl).await, jsonl);
    }
}
on_both_backends!(jsonl_and_csv_exports_round_trip);

#[tokio::test]
async fn demo_corpus_loads_realistic_stories_from_every_perspective() {
    let (store, _dir, _pg) = fresh_store(Backend::Sqlite).await.unwrap();
    let (campaign, report) = luister::transfer::import::load_demo(store.clone(), 300).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", &report.errors[..report.errors.len().min(3)]);
    assert_eq!(store.count_stories(&campaign.id).await.unwrap(), 300);
    let page = store.stories_page(&campaign.id, None, 300).await.unwrap();
    for p in ["youth", "parent", "professional"] {
        assert!(page.iter().filter(|s| s.perspective.as_str() == p).count() > 30, "{p}");
    }
    // Loading again does not add a second corpus.
    let (_, again) = luister::transfer::import::load_demo(store.clone(), 300).await.unwrap();
    assert_eq!(again.counts.inserted, 0);
}

async fn imported_tags_create_missing_themes_and_export_with_their_provenance(backend: Backend) {
    let Some((store, _dir, _pg)) = setup(backend).await else { return };
    let line = serde_json::json!({
        "campaign": "eigen-netwerk", "external_id": "t1", "perspective": "youth", "prompt": "zelf-geregeld",
        "answers": { "gevoel": "boos" },
        "text": "Ik stond een half jaar op de wachtlijst en op school snapte niemand waarom ik er niet was.",
        "tags": [ { "theme": "Wachtlijsten", "state": "accepted" }, { "theme": "School", "state": "rejected" } ]
    });
    let bad = serde_json::json!({
        "campaign": "eigen-netwerk", "external_id": "t2", "perspective": "youth", "prompt": "zelf-geregeld",
        "answers": { "gevoel": "boos" }, "text": "Nog een verhaal met een tag in een vreemde staat, dat kan niet.",
        "tags": [ { "theme": "X", "state": "misschien" } ]
    });
    let input = format!("{line}\n{bad}\n");
    let report =
        import_jsonl(store.clone(), Cursor::new(input), StorySource::Import, |_, _| {}).await.unwrap();
    assert_eq!(report.counts.inserted, 1);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].message.contains("state must be accepted or rejected"));
    let c = store.campaign_by_slug("eigen-netwerk").await.unwrap();
    let themes = store.themes(Some(&c.id)).await.unwrap();
    let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"Wachtlijsten") && names.contains(&"School"));
    let tags = store.tags_for_campaign(&c.id).await.unwrap();
    assert_eq!(tags.len(), 2);
    assert!(tags.iter().all(|t| t.source == luister::domain::theme::TagSource::Manual));

    let jsonl = export_string(&store, Format::Jsonl).await;
    let exported: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let tags = exported["tags"].as_array().unwrap();
    assert_eq!(tags.len(), 2);
    assert!(
        tags.iter()
            .any(|t| t["theme"] == "Wachtlijsten" && t["state"] == "accepted" && t["source"] == "manual")
    );
    assert!(tags.iter().all(|t| t["at"].is_string()));
    let csv = export_string(&store, Format::Csv).await;
    assert!(csv.contains("accepted:manual:Wachtlijsten"), "{csv}");

    // Into another database, the coding comes along.
    let Some((target, _d, _p)) = setup(Backend::Sqlite).await else { return };
    import_csv(target.clone(), Cursor::new(csv), StorySource::Import, |_, _| {}).await.unwrap();
    let tc = target.campaign_by_slug("eigen-netwerk").await.unwrap();
    let moved = target.tags_for_campaign(&tc.id).await.unwrap();
    assert_eq!(moved.len(), 2);
}
on_both_backends!(imported_tags_create_missing_themes_and_export_with_their_provenance);
