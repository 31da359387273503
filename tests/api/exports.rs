//! Exports as facilitators and the steering group download them: stories as XLSX (read back
//! with calamine: typed cells, one sheet per table) and CSV (read back with the csv crate, every
//! formula start neutralised), frozen map tables as CSV and XLSX (the steering group only the
//! disclosed tables), each download audited and refused to the wrong people.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use calamine::{Data, Reader, Xlsx};
use luister::domain::story::StorySource;
use luister::domain::theme::{Tag, TagSource, TagState};
use luister::domain::{AgeBand, Answer, NewStory, Perspective, Role};
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::io::Cursor;
use time::OffsetDateTime;

/// The six starts a spreadsheet reads as a formula (or as the way into one).
const DANGEROUS: [&str; 6] = ["=1+1", "+31612345678", "-2+3", "@SUM(A1)", "\t=2+2", "\r=3+3"];

fn story(app: &TestApp, n: i64, external_id: &str, title: &str) -> NewStory {
    let mut answers = BTreeMap::new();
    answers.insert("wat_telde".to_string(), Answer::Triad([0.25, 0.5, 0.25]));
    answers.insert("regie".to_string(), Answer::Dyad(0.75));
    answers.insert("steun".to_string(), Answer::Skipped);
    answers.insert("gevoel".to_string(), Answer::Single("boos".into()));
    answers.insert("wie_hielp".to_string(), Answer::Multi(vec!["school".into(), "buren".into()]));
    NewStory {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: app.campaign.id.clone(),
        external_id: Some(external_id.to_string()),
        title: Some(title.to_string()),
        text: format!("Ik stond maanden op de wachtlijst en niemand belde terug (verhaal {n})."),
        language: "nl".into(),
        perspective: Perspective::Youth,
        age_band: Some(AgeBand::From18To22),
        region: Some("JZ05".into()),
        municipality: None,
        prompt_id: Some("wat-nodig".into()),
        answers,
        receipt_hash: None,
        submission_key: None,
        source: StorySource::Import,
        form_version: 1,
        created_at: OffsetDateTime::from_unix_timestamp(1_750_000_000 + n).unwrap(),
        safeguarding: Vec::new(),
    }
}

fn xlsx(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX file")
}

async fn stories_xlsx_has_typed_columns_a_tags_sheet_and_is_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let ids = app.store.import_stories(&[story(&app, 1, "ext-1", "=HYPERLINK(\"x\")")]).await.unwrap().ids;
    let theme = app.store.themes(Some(&app.campaign.id)).await.unwrap();
    let theme_id = match theme.first() {
        Some(t) => t.id.clone(),
        None => app.store.themes(None).await.unwrap()[0].id.clone(),
    };
    let tag = Tag {
        story_id: ids[0].clone(),
        theme_id,
        source: TagSource::Model,
        state: TagState::Suggested,
        confidence: Some(0.8),
        explanation: None,
        by_user: None,
        at: OffsetDateTime::from_unix_timestamp(1_760_000_000).unwrap(),
    };
    app.store.set_tags(&[tag]).await.unwrap();

    // The steering group and facilitators of other campaigns do not get stories.
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    let refused = steering.get("/manage/campaigns/eigen-netwerk/export/xlsx").await.status();
    assert!(matches!(refused, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{refused}");
    let other = TestApp::second_browser(&app);
    other.sign_in_as(Role::Facilitator, &[]).await;
    assert_eq!(
        other.get("/manage/campaigns/eigen-netwerk/export/xlsx").await.status(),
        StatusCode::NOT_FOUND
    );

    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get("/manage/campaigns/eigen-netwerk/export/xlsx").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], luister::http::export::XLSX);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let mut book = xlsx(resp.bytes().await.unwrap().to_vec());
    assert_eq!(book.sheet_names(), ["stories", "tags"]);
    let sheet = book.worksheet_range("stories").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 2, "header and one story");
    let head: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col =
        |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {head:?}"));
    let row = rows[1];
    assert_eq!(row[col("id")], Data::String(ids[0].clone()));
    assert_eq!(row[col("title")], Data::String("=HYPERLINK(\"x\")".into()), "text, never a formula");
    assert!(matches!(row[col("created_at (UTC)")], Data::DateTime(_)), "a date: {:?}", row[3]);
    if let Data::DateTime(d) = &row[col("created_at (UTC)")] {
        let expected = time::OffsetDateTime::from_unix_timestamp(1_750_000_001).unwrap();
        // Excel's serial date: days since 1899-12-30.
        let unix = (d.as_f64() - 25_569.0) * 86_400.0;
        assert!((unix - expected.unix_timestamp() as f64).abs() < 1.0, "{unix}");
    }
    assert_eq!(row[col("regie")], Data::Float(0.75), "a dyad is a number");
    assert_eq!(row[col("wat_telde.1")], Data::Float(0.5), "triad weights are numbers");
    assert_eq!(row[col("steun")], Data::String("n/a".into()));
    assert_eq!(row[col("wie_hielp")], Data::String("school;buren".into()));
    assert_eq!(row[col("region")], Data::String("JZ05".into()));
    let tags = book.worksheet_range("tags").unwrap();
    let tag_rows: Vec<&[Data]> = tags.rows().collect();
    assert_eq!(tag_rows.len(), 2);
    assert_eq!(tag_rows[1][0], Data::String(ids[0].clone()));
    assert_eq!(tag_rows[1][2], Data::String("suggested".into()));
    assert_eq!(tag_rows[1][3], Data::String("model".into()));
    assert_eq!(tag_rows[1][4], Data::Float(0.8));
    assert!(matches!(tag_rows[1][6], Data::DateTime(_)));

    let audit = app.store.audit_entries(&Default::default()).await.unwrap();
    let entry = audit.iter().find(|a| a.action == "stories_exported").expect("the export is audited");
    assert_eq!(entry.details["format"], "xlsx");
    assert_eq!(entry.details["stories"], 1);
}
on_both_backends!(stories_xlsx_has_typed_columns_a_tags_sheet_and_is_audited);

async fn csv_export_neutralises_each_of_the_six_formula_starts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let stories: Vec<NewStory> =
        DANGEROUS.iter().enumerate().map(|(n, d)| story(&app, n as i64, d, &format!("{d} titel"))).collect();
    app.store.import_stories(&stories).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app.get("/manage/campaigns/eigen-netwerk/export?format=csv").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let head = reader.headers().unwrap().clone();
    let ext = head.iter().position(|h| h == "external_id").unwrap();
    let title = head.iter().position(|h| h == "title").unwrap();
    let mut seen = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        for cell in [&record[ext], &record[title]] {
            assert!(cell.starts_with('\''), "{cell:?} would run as a formula");
        }
        seen.push(record[ext][1..].to_string());
    }
    seen.sort();
    let mut expected: Vec<String> = DANGEROUS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(seen, expected, "each of the six, once, with only the apostrophe added");
}
on_both_backends!(csv_export_neutralises_each_of_the_six_formula_starts);

async fn frozen_map_tables_download_as_csv_and_xlsx_and_steering_gets_only_disclosed_ones(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    crate::maps::tagged_campaign(&app).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app
        .post_form(
            "/manage/campaigns/eigen-netwerk/map/freeze",
            &[("q", ""), ("by", "perspective"), ("title", "Sessie export")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let frozen = resp.headers()["location"].to_str().unwrap().to_string();
    let id = frozen.rsplit('/').next().unwrap().to_string();

    let resp = app.get(&format!("{frozen}/export?format=xlsx")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut book = xlsx(resp.bytes().await.unwrap().to_vec());
    let names = book.sheet_names();
    assert!(names.starts_with(&["themes".to_string(), "groups".to_string()]), "{names:?}");
    let groups = book.worksheet_range("groups").unwrap();
    let counts: Vec<Data> = groups.rows().skip(1).map(|r| r[1].clone()).collect();
    assert!(counts.contains(&Data::Float(24.0)) && counts.contains(&Data::Float(22.0)), "{counts:?}");

    let resp = app.get(&format!("{frozen}/export?format=csv&table=themes")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = resp.text().await.unwrap();
    let open: Vec<csv::StringRecord> =
        csv::Reader::from_reader(body.as_bytes()).records().map(Result::unwrap).collect();
    assert!(body.contains("Wachtlijst"), "{body}");
    assert!(!open.is_empty());
    assert_eq!(app.get(&format!("{frozen}/export?format=pdf")).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get(&format!("{frozen}/export?format=csv&table=nope")).await.status(),
        StatusCode::NOT_FOUND
    );

    // Not published yet: the steering group sees nothing, and never the facilitators' version.
    let steering = TestApp::second_browser(&app);
    steering.sign_in_as(Role::Steering, &[]).await;
    assert_eq!(
        steering.get(&format!("/published/{id}/export?format=csv")).await.status(),
        StatusCode::NOT_FOUND
    );
    let refused = steering.get(&format!("{frozen}/export?format=csv")).await.status();
    assert!(matches!(refused, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{refused}");
    assert_eq!(app.post_form(&format!("{frozen}/publish"), &[]).await.status(), StatusCode::SEE_OTHER);
    let resp = steering.get(&format!("/published/{id}/export?format=csv&table=themes")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let disclosed = resp.text().await.unwrap();
    assert!(disclosed.contains("<5"), "3 parent stories are hidden as <5: {disclosed}");
    let resp = steering.get(&format!("/published/{id}/export?format=xlsx")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut book = xlsx(resp.bytes().await.unwrap().to_vec());
    let themes = book.worksheet_range("themes").unwrap();
    let cells: Vec<String> = themes.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c == "<5"), "{cells:?}");
    assert!(!cells.iter().any(|c| c == "3"), "the hidden count never appears: {cells:?}");

    let audit = app.store.audit_entries(&Default::default()).await.unwrap();
    let exports: Vec<_> = audit.iter().filter(|a| a.action == "map_exported").collect();
    assert_eq!(exports.len(), 4, "every download that was served is audited");
    assert!(exports.iter().any(|a| a.details["disclosed"] == true && a.details["format"] == "xlsx"));
}
on_both_backends!(frozen_map_tables_download_as_csv_and_xlsx_and_steering_gets_only_disclosed_ones);

#[test]
fn cli_exports_xlsx_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_luister"))
            .args(["--data-dir", data])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let toml = dir.path().join("c.toml");
    std::fs::write(&toml, crate::helpers::DEMO_TOML).unwrap();
    run(&["campaign", "import", toml.to_str().unwrap()]);
    let lines = dir.path().join("s.jsonl");
    std::fs::write(
        &lines,
        r#"{"campaign":"eigen-netwerk","text":"Mijn buurvrouw hielp met huiswerk toen het thuis niet ging.","perspective":"parent","prompt":"zelf-geregeld","answers":{"regie":0.4,"gevoel":"blij"}}
"#,
    )
    .unwrap();
    run(&["import", lines.to_str().unwrap()]);
    let out = dir.path().join("out.xlsx");
    run(&["export", "--campaign", "eigen-netwerk", "--format", "xlsx", "-o", out.to_str().unwrap()]);
    let mut book = xlsx(std::fs::read(&out).unwrap());
    let sheet = book.worksheet_range("stories").unwrap();
    assert_eq!(sheet.rows().count(), 2);
    let head: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let regie = head.iter().position(|h| h == "regie").unwrap();
    assert_eq!(sheet.rows().nth(1).unwrap()[regie], Data::Float(0.4));
}
