//! Search: the index follows the database, heals itself, and answers the query language with
//! facets, ranges and snippets.

use crate::helpers::{Backend, DEMO_TOML, fresh_store, system_audit};
use crate::on_both_backends;
use luister::domain::CampaignDef;
use luister::domain::story::StorySource;
use luister::search::{Engine, SearchHandle, SearchRequest, Sort};
use luister::store::DynStore;
use luister::transfer::import::{import_jsonl, load_demo};
use std::io::Cursor;
use std::time::{Duration, Instant};

fn req(q: &str) -> SearchRequest {
    SearchRequest { q: q.into(), limit: 10, snippets: true, ..SearchRequest::default() }
}

fn search(engine: &SearchHandle, r: &SearchRequest) -> luister::search::SearchResults {
    let live = engine.live().expect("index is live");
    luister::search::exec::run(&live, r).unwrap()
}

async fn demo_engine(
    backend: Backend,
    n: usize,
) -> Option<(DynStore, SearchHandle, tempfile::TempDir, Option<crate::helpers::PgDatabase>)> {
    let (store, dir, pg) = fresh_store(backend).await?;
    load_demo(store.clone(), n).await.unwrap();
    let engine = Engine::new(dir.path(), store.clone(), std::time::Duration::from_secs(300));
    engine.open_or_rebuild().await.unwrap();
    Some((store, engine, dir, pg))
}

async fn the_query_language_finds_words_phrases_prefixes_filters_and_ranges(backend: Backend) {
    let Some((store, engine, _dir, _pg)) = demo_engine(backend, 400).await else { return };
    let all = search(&engine, &req(""));
    assert_eq!(all.total as i64, store.count_all_stories().await.unwrap());

    let waiting = search(&engine, &req("wachtlijsten"));
    let singular = search(&engine, &req("wachtlijst"));
    assert!(waiting.total > 10, "{}", waiting.total);
    assert_eq!(waiting.total, singular.total, "plural and singular meet");
    let hit = &waiting.hits[0];
    assert!(
        hit.snippet.iter().any(|s| s.hit && s.text.to_lowercase().starts_with("wachtlijst")),
        "{:?}",
        hit.snippet
    );

    let either = search(&engine, &req("wachtlijst OR school"));
    let both = search(&engine, &req("wachtlijst school"));
    let without = search(&engine, &req("wachtlijst -school"));
    assert!(either.total >= waiting.total && both.total <= waiting.total);
    assert_eq!(both.total + without.total, waiting.total);

    let prefix = search(&engine, &req("wacht*"));
    assert!(prefix.total >= waiting.total);
    let phrase = search(&engine, &req("\"op de wachtlijst\""));
    assert!(phrase.total > 0 && phrase.total <= waiting.total);

    let youth = search(&engine, &req("perspective:youth"));
    let facet_youth = all.facets["perspective"].iter().find(|(v, _)| v == "youth").unwrap().1;
    assert_eq!(youth.total as u64, facet_youth);
    assert!(youth.facets["perspective"].iter().all(|(v, _)| v == "youth"));

    let high = search(&engine, &req("regie>0.7"));
    let low = search(&engine, &req("regie<=0.7"));
    let answered = search(&engine, &req("regie>=0"));
    assert!(high.total > 0 && low.total > 0);
    assert_eq!(high.total + low.total, answered.total);
    let corner = search(&engine, &req("wat_telde.1>=0.5"));
    assert!(corner.total > 0 && corner.total < all.total);

    let recent = search(&engine, &SearchRequest { sort: Sort::Newest, ..req("date>=2026-01-01") });
    assert!(recent.total > 0);
    assert!(recent.hits.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    assert!(recent.hits.iter().all(|h| h.created_at.year() >= 2026));

    let boos = search(&engine, &req("choice:gevoel=boos"));
    assert!(boos.total > 0 && boos.total < all.total);

    let scoped = search(&engine, &SearchRequest { scope: Some(vec!["nope".into()]), ..req("") });
    assert_eq!(scoped.total, 0, "scope keeps other campaigns out");

    let err = luister::search::exec::run(&engine.live().unwrap(), &req("wachtlijst \"niet")).unwrap_err();
    assert!(err.to_string().contains("niet wordt afgesloten"), "{err}");
}
on_both_backends!(the_query_language_finds_words_phrases_prefixes_filters_and_ranges);

async fn wait_for(engine: &SearchHandle, q: &str, want: usize) -> Duration {
    let started = Instant::now();
    loop {
        let n = engine
            .live()
            .map(|l| luister::search::exec::run(&l, &req(q)).unwrap().total)
            .unwrap_or(usize::MAX);
        if n == want {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "'{q}' still gives {n}, not {want}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn the_indexer_follows_new_and_deleted_stories(backend: Backend) {
    let Some((store, dir, _pg)) = fresh_store(backend).await else { return };
    store.save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &system_audit()).await.unwrap();
    let engine = Engine::new(dir.path(), store.clone(), std::time::Duration::from_secs(300));
    tokio::spawn(engine.clone().run());
    wait_for(&engine, "", 0).await;
    let line = serde_json::json!({
        "campaign": "eigen-netwerk", "external_id": "x1", "perspective": "youth", "prompt": "zelf-geregeld",
        "answers": { "gevoel": "blij" },
        "text": "De zwemleraar van de sportclub luisterde beter dan de jeugdhulpverlener ooit deed.",
    });
    import_jsonl(store.clone(), Cursor::new(line.to_string()), StorySource::Import, |_, _| {}).await.unwrap();
    let took = wait_for(&engine, "zwemleraar", 1).await;
    assert!(took < Duration::from_secs(2), "searchable after {took:?}");
    let c = store.campaign_by_slug("eigen-netwerk").await.unwrap();
    let story = store.stories_page(&c.id, None, 1).await.unwrap().remove(0);
    store.delete_story(&story.id, &system_audit()).await.unwrap();
    let took = wait_for(&engine, "zwemleraar", 0).await;
    assert!(took < Duration::from_secs(2), "gone after {took:?}");
}
on_both_backends!(the_indexer_follows_new_and_deleted_stories);

/// What a few fixed queries return: enough to tell two indexes apart.
fn fingerprint(engine: &SearchHandle) -> Vec<(usize, Vec<String>)> {
    ["", "wachtlijst", "school -wachtlijst", "\"niet gehoord\"", "perspective:parent regie>0.5", "wacht*"]
        .iter()
        .map(|q| {
            let r = search(engine, &SearchRequest { sort: Sort::Oldest, limit: 100, ..req(q) });
            (r.total, r.hits.into_iter().map(|h| h.id).collect())
        })
        .collect()
}

fn generation_dir(engine: &SearchHandle) -> std::path::PathBuf {
    engine.dir.join(&engine.live().unwrap().generation)
}

#[tokio::test]
async fn a_lost_corrupt_outdated_or_too_new_index_heals_from_the_database_with_identical_results() {
    let (store, engine, dir, _pg) = demo_engine(Backend::Sqlite, 300).await.unwrap();
    let before = fingerprint(&engine);
    assert!(before[1].0 > 0);
    let reopen = || async {
        let e = Engine::new(dir.path(), store.clone(), std::time::Duration::from_secs(300));
        e.open_or_rebuild().await.unwrap();
        e
    };

    // A normal restart just opens it.
    let e = reopen().await;
    assert_eq!(e.live().unwrap().generation, engine.live().unwrap().generation);

    // 1. The index directory is gone.
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let e = reopen().await;
    assert_eq!(fingerprint(&e), before, "rebuilt after deletion");

    // 2. A segment file is corrupted.
    let gen_dir = generation_dir(&e);
    let victim = std::fs::read_dir(&gen_dir)
        .unwrap()
        .flatten()
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx" || x == "pos" || x == "store"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .expect("a segment file");
    let mut bytes = std::fs::read(&victim).unwrap();
    let mid = bytes.len() / 2;
    let end = mid + 16.min(bytes.len() - mid);
    for b in &mut bytes[mid..end] {
        *b ^= 0xA5;
    }
    std::fs::write(&victim, bytes).unwrap();
    drop(e);
    let mut e = reopen().await;
    assert_ne!(generation_dir(&e), gen_dir, "a new generation replaced the corrupt one");
    assert_eq!(fingerprint(&e), before, "rebuilt after corruption");

    // 3. The index was written by another schema version; 4. it is ahead of the database.
    for payload in
        [serde_json::json!({ "schema": 999, "seq": 1 }), serde_json::json!({ "schema": 1, "seq": 1_000_000 })]
    {
        let live = e.live().unwrap();
        {
            let mut writer: tantivy::IndexWriter = live.index.writer(15_000_000).unwrap();
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload(&payload.to_string());
            prepared.commit().unwrap();
        }
        let old = generation_dir(&e);
        let e2 = reopen().await;
        assert_ne!(generation_dir(&e2), old, "{payload} forces a rebuild");
        assert_eq!(fingerprint(&e2), before);
        e = e2;
    }
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_each_find_the_others_stories_within_two_seconds() {
    let Some(a) = crate::helpers::spawn_app(Backend::Postgres).await else { return };
    let url = a.store_url();
    let b = crate::helpers::spawn_app_with(Backend::Sqlite, |c| c.database_url = Some(url.clone()))
        .await
        .unwrap();
    assert_ne!(a.dir.path(), b.dir.path(), "each instance has its own data dir");
    let post = |app: &crate::helpers::TestApp, word: &str| {
        let body = serde_json::json!({
            "text": format!("Het {word} van de buurt hielp meer dan de wachtlijst ooit deed, echt waar."),
            "perspective": "parent", "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "blij" }
        });
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send()
    };
    let r = post(&a, "buurthuiscentrum").await.unwrap();
    assert_eq!(r.status(), 201);
    let code = r.json::<serde_json::Value>().await.unwrap()["receipt_code"].as_str().unwrap().to_string();
    let took = wait_for(&b.search, "buurthuiscentrum", 1).await;
    assert!(took < Duration::from_secs(2), "instance B found A's story after {took:?}");
    assert_eq!(post(&b, "speeltuinvereniging").await.unwrap().status(), 201);
    let took = wait_for(&a.search, "speeltuinvereniging", 1).await;
    assert!(took < Duration::from_secs(2), "instance A found B's story after {took:?}");
    // Withdrawn through A: gone from B too.
    let resp = a.client.delete(a.url(&format!("/api/v1/receipts/{code}"))).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    let took = wait_for(&b.search, "buurthuiscentrum", 0).await;
    assert!(took < Duration::from_secs(2), "gone from B after {took:?}");
}

#[tokio::test]
async fn an_index_is_kept_not_rebuilt_while_its_postgresql_database_cannot_be_reached() {
    let Some((store, engine, dir, pg)) = demo_engine(Backend::Postgres, 40).await else { return };
    let name = pg.as_ref().map(|p| p.name.clone()).expect("a PostgreSQL database");
    let generation = engine.live().unwrap().generation.clone();
    let current = || std::fs::read_to_string(dir.path().join("index").join("current")).unwrap();
    let admin = sqlx::PgPool::connect(&crate::helpers::pg_base_url()).await.unwrap();
    let allow = |yes: bool| format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {yes}");
    sqlx::query(sqlx::AssertSqlSafe(allow(false))).execute(&admin).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&name)
        .execute(&admin)
        .await
        .unwrap();

    // A restart while the database is away: an error to retry, not a rebuild.
    let e = Engine::new(dir.path(), store.clone(), Duration::from_secs(300));
    let err = e.open_or_rebuild().await.expect_err("no database, no answer");
    assert!(err.to_string().contains("cannot be reached"), "{err}");
    assert_eq!(current().trim(), generation, "the index on disk is untouched");

    sqlx::query(sqlx::AssertSqlSafe(allow(true))).execute(&admin).await.unwrap();
    let e = Engine::new(dir.path(), store.clone(), Duration::from_secs(300));
    e.open_or_rebuild().await.expect("opens once the database is back");
    assert_eq!(e.live().unwrap().generation, generation, "the same generation, opened as it was");
}
