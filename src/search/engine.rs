//! The index on disk and the one task that writes it. The database is the source of truth; the
//! index is derived: it follows `story_events` by `seq`, commits tantivy first and records the
//! last applied `seq` in the commit payload (a crash re-applies events, never skips them), and is
//! rebuilt from the database when it is missing, unreadable, of another schema version, or
//! ahead of the database (a restored backup).
//!
//! A deleted (withdrawn) story leaves the index files within the purge time: the segments that
//! still hold deleted documents are merged (rewritten without them) and the old files removed.
//! Tantivy otherwise keeps a deleted document's text on disk until some later merge.
//!
//! On disk: `<data_dir>/index/current` names the live generation directory
//! (`<data_dir>/index/gen-…`). A rebuild writes a fresh generation and then switches `current`
//! with an atomic rename, so a crash mid-rebuild leaves the old index in place.

use super::document::{self, TagFacet};
use super::schema::{self, Fields, SCHEMA_VERSION};
use crate::domain::{Campaign, StoryEventKind};
use crate::store::DynStore;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

/// What the commit payload records.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    pub schema: u32,
    pub seq: i64,
}

/// An open generation of the index.
pub struct Live {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub generation: String,
}

/// Whether search can answer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Starting,
    Ready,
    /// Being rebuilt from the database; `done` of `total` stories so far.
    Rebuilding {
        done: u64,
        total: u64,
    },
    Failed(String),
}

/// Why the index on disk cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    Missing,
    Unreadable(String),
    OtherSchema(u32),
    Corrupt(usize),
    AheadOfDatabase {
        index: i64,
        database: i64,
    },
    /// The database could not be asked how far it is: says nothing about the index, so it is
    /// no reason to rebuild (a rebuild would need the database too).
    DatabaseUnavailable(String),
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Missing => write!(f, "no index yet"),
            Unusable::Unreadable(e) => write!(f, "index unreadable: {e}"),
            Unusable::OtherSchema(v) => {
                write!(f, "index has schema version {v}, this build uses {SCHEMA_VERSION}")
            }
            Unusable::Corrupt(n) => write!(f, "{n} index files fail their checksum"),
            Unusable::AheadOfDatabase { index, database } => {
                write!(f, "index is at event {index} but the database only at {database} (restored backup?)")
            }
            Unusable::DatabaseUnavailable(e) => write!(f, "the database cannot be reached: {e}"),
        }
    }
}

/// Heap for the single writer: big enough to batch, small enough for a 1 GB service.
const WRITER_HEAP: usize = 64 * 1024 * 1024;
/// Heap for bulk rebuilds.
const REBUILD_HEAP: usize = 256 * 1024 * 1024;
/// Events read per round.
const EVENT_BATCH: i64 = 2_000;
/// How long the follower sleeps when there is nothing to do (other instances' writes arrive
/// within this; local writes wake it at once).
const IDLE_POLL: Duration = Duration::from_millis(250);

pub struct Engine {
    pub dir: PathBuf,
    /// The last event this instance's index has applied (for followers that need the index
    /// to have seen a story, such as rule tagging).
    applied: std::sync::atomic::AtomicI64,
    store: DynStore,
    live: RwLock<Option<Arc<Live>>>,
    status: RwLock<Status>,
    wake: tokio::sync::Notify,
    /// A deleted story's text is gone from the index files within this time.
    purge_within: Duration,
}

pub type SearchHandle = Arc<Engine>;

fn now_generation() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!("gen-{}-{:04x}", t.unix_timestamp_nanos() / 1_000_000, rand::random::<u16>())
}

impl Engine {
    pub fn new(data_dir: &Path, store: DynStore, purge_within: Duration) -> SearchHandle {
        Arc::new(Engine {
            purge_within,
            dir: data_dir.join("index"),
            applied: std::sync::atomic::AtomicI64::new(0),
            store,
            live: RwLock::new(None),
            status: RwLock::new(Status::Starting),
            wake: tokio::sync::Notify::new(),
        })
    }

    pub fn applied_seq(&self) -> i64 {
        self.applied.load(std::sync::atomic::Ordering::Acquire)
    }

    fn set_applied(&self, seq: i64) {
        self.applied.store(seq, std::sync::atomic::Ordering::Release);
    }

    pub fn status(&self) -> Status {
        self.status.read().map(|s| s.clone()).unwrap_or(Status::Starting)
    }

    fn set_status(&self, s: Status) {
        if let Ok(mut g) = self.status.write() {
            *g = s;
        }
    }

    /// The live index, if there is one to search.
    pub fn live(&self) -> Option<Arc<Live>> {
        self.live.read().ok().and_then(|g| g.clone())
    }

    /// Tells the follower that a local write just committed, so it does not wait for its poll.
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    fn current_generation(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("current"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn open_generation(&self, generation: &str) -> Result<Live, Unusable> {
        let path = self.dir.join(generation);
        if !path.join("meta.json").exists() {
            return Err(Unusable::Missing);
        }
        let index = Index::open_in_dir(&path).map_err(|e| Unusable::Unreadable(e.to_string()))?;
        schema::register(&index);
        let (_, fields) = schema::build();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| Unusable::Unreadable(e.to_string()))?;
        Ok(Live { index, reader, fields, generation: generation.to_string() })
    }

    pub fn payload(index: &Index) -> Option<Payload> {
        index.load_metas().ok()?.payload.and_then(|p| serde_json::from_str(&p).ok())
    }

    /// Opens the current generation and checks it can be trusted.
    pub async fn check(&self) -> Result<(Live, Payload), Unusable> {
        let generation = self.current_generation().ok_or(Unusable::Missing)?;
        let live = self.open_generation(&generation)?;
        let payload = Engine::payload(&live.index).ok_or(Unusable::OtherSchema(0))?;
        if payload.schema != SCHEMA_VERSION {
            return Err(Unusable::OtherSchema(payload.schema));
        }
        let index = live.index.clone();
        let corrupt = tokio::task::spawn_blocking(move || index.validate_checksum())
            .await
            .map_err(|e| Unusable::Unreadable(e.to_string()))?
            .map_err(|e| Unusable::Unreadable(e.to_string()))?;
        if !corrupt.is_empty() {
            return Err(Unusable::Corrupt(corrupt.len()));
        }
        let database =
            self.store.last_event_seq().await.map_err(|e| Unusable::DatabaseUnavailable(e.to_string()))?;
        if payload.seq > database {
            return Err(Unusable::AheadOfDatabase { index: payload.seq, database });
        }
        // Reading every segment's metadata catches unreadable segment files early.
        live.reader.reload().map_err(|e| Unusable::Unreadable(e.to_string()))?;
        Ok((live, payload))
    }

    fn publish(&self, live: Live) {
        if let Ok(mut g) = self.live.write() {
            *g = Some(Arc::new(live));
        }
    }

    /// Builds a fresh generation from the database, switches `current` to it, and removes the
    /// other generations. `progress(done, total)` is called as stories are added.
    pub async fn rebuild(
        &self,
        mut progress: impl FnMut(u64, u64) + Send,
    ) -> anyhow::Result<(Live, Payload)> {
        std::fs::create_dir_all(&self.dir).with_context(|| format!("creating {}", self.dir.display()))?;
        let generation = now_generation();
        let path = self.dir.join(&generation);
        std::fs::create_dir_all(&path)?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&path, schema)?;
        schema::register(&index);
        let mut writer: IndexWriter = index.writer(REBUILD_HEAP)?;
        // Everything up to this event is in what we read below; later events are applied by
        // the follower (re-applying an event is harmless: delete, then add).
        let seq = self.store.last_event_seq().await?;
        let total = self.store.count_all_stories().await? as u64;
        let campaigns: HashMap<String, Campaign> =
            self.store.campaigns().await?.into_iter().map(|c| (c.id.clone(), c)).collect();
        let mut after: Option<String> = None;
        let mut done = 0u64;
        progress(0, total);
        loop {
            let page = self.store.all_stories_after(after.as_deref(), 2_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            let tags = self.tags_of(&page).await?;
            for story in &page {
                if let Some(c) = campaigns.get(&story.campaign_id) {
                    let t = tags.get(&story.id).map(Vec::as_slice).unwrap_or(&[]);
                    writer.add_document(document::build(&fields, c, story, t))?;
                }
            }
            done += page.len() as u64;
            progress(done, total);
            self.set_status(Status::Rebuilding { done, total });
        }
        let payload = Payload { schema: SCHEMA_VERSION, seq };
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&payload)?);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.switch_current(&generation)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok((Live { index, reader, fields, generation }, payload))
    }

    /// Points `current` at a generation (atomic rename) and removes all others.
    fn switch_current(&self, generation: &str) -> anyhow::Result<()> {
        let tmp = self.dir.join("current.tmp");
        std::fs::write(&tmp, generation)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, self.dir.join("current"))?;
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with("gen-") && name != generation {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(())
    }

    /// Opens the index, or rebuilds it while the service answers "being rebuilt".
    pub async fn open_or_rebuild(&self) -> anyhow::Result<Payload> {
        match self.check().await {
            Ok((live, payload)) => {
                tracing::info!(generation = %live.generation, seq = payload.seq, "search index opened");
                self.publish(live);
                self.set_status(Status::Ready);
                Ok(payload)
            }
            Err(Unusable::DatabaseUnavailable(e)) => {
                Err(anyhow::anyhow!("the database cannot be reached to open the search index: {e}"))
            }
            Err(why) => {
                tracing::warn!(reason = %why, "search index unusable: rebuilding from the database");
                // Nothing trustworthy to serve meanwhile: searches say the index is being rebuilt.
                if let Ok(mut g) = self.live.write() {
                    *g = None;
                }
                self.set_status(Status::Rebuilding { done: 0, total: 0 });
                let started = Instant::now();
                let (live, payload) = self.rebuild(|_, _| {}).await?;
                tracing::info!(generation = %live.generation, seq = payload.seq, secs = started.elapsed().as_secs_f64(), "search index rebuilt");
                self.publish(live);
                self.set_status(Status::Ready);
                Ok(payload)
            }
        }
    }

    /// Applies one round of events; returns how many were applied, and whether a story was
    /// deleted (so its text must be purged from the files).
    async fn follow_once(
        &self,
        live: &Live,
        writer: &mut IndexWriter,
        applied: &mut i64,
    ) -> anyhow::Result<(usize, bool)> {
        let events = self.store.events_after(*applied, EVENT_BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok((0, false)) };
        // Only the newest event of a story matters.
        let mut newest: BTreeMap<String, StoryEventKind> = BTreeMap::new();
        for e in &events {
            newest.insert(e.story_id.clone(), e.kind);
        }
        let upserts: Vec<String> =
            newest.iter().filter(|(_, k)| **k == StoryEventKind::Upsert).map(|(id, _)| id.clone()).collect();
        let stories = self.store.stories_by_ids(&upserts).await?;
        let mut campaigns: HashMap<String, Campaign> = HashMap::new();
        for s in &stories {
            if !campaigns.contains_key(&s.campaign_id) {
                campaigns.insert(s.campaign_id.clone(), self.store.campaign(&s.campaign_id).await?);
            }
        }
        for id in newest.keys() {
            writer.delete_term(Term::from_field_text(live.fields.id, id));
        }
        let tags = self.tags_of(&stories).await?;
        for s in &stories {
            if let Some(c) = campaigns.get(&s.campaign_id) {
                let t = tags.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
                writer.add_document(document::build(&live.fields, c, s, t))?;
            }
        }
        // Tantivy first; only then is the batch applied (a crash here re-applies it).
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&Payload { schema: SCHEMA_VERSION, seq: last })?);
        prepared.commit()?;
        live.reader.reload()?;
        *applied = last;
        self.set_applied(last);
        let deleted = newest.values().any(|k| *k == StoryEventKind::Delete);
        Ok((events.len(), deleted))
    }

    /// Rewrites the segments that still hold deleted documents and removes the old files, so a
    /// withdrawn story's words are no longer anywhere in the index directory.
    async fn purge(&self, live: &Live, writer: &mut IndexWriter) -> anyhow::Result<usize> {
        let with_deletes: Vec<tantivy::index::SegmentId> = live
            .index
            .searchable_segment_metas()?
            .into_iter()
            .filter(|m| m.has_deletes())
            .map(|m| m.id())
            .collect();
        if with_deletes.is_empty() {
            return Ok(0);
        }
        writer.merge(&with_deletes).await?;
        live.reader.reload()?;
        writer.garbage_collect_files().await?;
        Ok(with_deletes.len())
    }

    /// The indexer: the single writer of the index. Opens or rebuilds, then follows the events
    /// for as long as the process runs. Picks up a generation switched by `luister reindex`.
    pub async fn run(self: Arc<Self>) {
        loop {
            let payload = match self.open_or_rebuild().await {
                Ok(p) => p,
                Err(e) => {
                    // Usually the database is away (restarting); it is asked again soon.
                    tracing::error!(error = ?e, "search index could not be opened or built; retrying in 2 s");
                    self.set_status(Status::Failed(e.to_string()));
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            let Some(live) = self.live() else { continue };
            let mut writer: IndexWriter = match live.index.writer_with_num_threads(1, WRITER_HEAP) {
                Ok(w) => w,
                Err(e) => {
                    tracing::error!(error = %e, "cannot open the index writer; retrying in 10 s");
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    continue;
                }
            };
            let mut applied = payload.seq;
            self.set_applied(applied);
            // When the next purge is due: half the promised time after the first deletion, so
            // that a slow merge still finishes within it.
            let mut purge_at: Option<Instant> = None;
            loop {
                if purge_at.is_some_and(|at| Instant::now() >= at) {
                    match self.purge(&live, &mut writer).await {
                        Ok(n) => {
                            tracing::info!(
                                segments = n,
                                "deleted stories purged from the search index files"
                            );
                            purge_at = None;
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "purging deleted stories from the index failed; retrying");
                            purge_at = Some(Instant::now() + Duration::from_secs(5));
                        }
                    }
                }
                if self.current_generation().as_deref() != Some(live.generation.as_str()) {
                    tracing::info!("search index generation switched by another process; reopening");
                    break;
                }
                match self.follow_once(&live, &mut writer, &mut applied).await {
                    Ok((0, _)) => {
                        let _ = tokio::time::timeout(IDLE_POLL, self.wake.notified()).await;
                    }
                    Ok((n, deleted)) => {
                        if deleted && purge_at.is_none() {
                            purge_at = Some(Instant::now() + self.purge_within / 2);
                        }
                        tracing::debug!(events = n, seq = applied, "search index updated");
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "applying story events failed; retrying");
                        let _ = writer.rollback();
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
            drop(writer);
        }
    }
}

impl Engine {
    /// The theme tags of stories for their index documents: per theme, the state the story's
    /// tags add up to (a person's rejection overrides a rule; see `domain::theme`).
    async fn tags_of(
        &self,
        stories: &[crate::domain::Story],
    ) -> anyhow::Result<HashMap<String, Vec<TagFacet>>> {
        let ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
        let tags = self.store.tags_for_stories(&ids).await?;
        let mut by_story: HashMap<String, BTreeMap<String, Vec<crate::domain::theme::Tag>>> = HashMap::new();
        for t in tags {
            by_story.entry(t.story_id.clone()).or_default().entry(t.theme_id.clone()).or_default().push(t);
        }
        Ok(by_story
            .into_iter()
            .map(|(story, themes)| {
                let facets = themes
                    .into_iter()
                    .filter_map(|(theme, tags)| {
                        let refs: Vec<&crate::domain::theme::Tag> = tags.iter().collect();
                        crate::domain::theme::effective_state(&refs)
                            .map(|state| TagFacet { theme, state: state.as_str().to_string() })
                    })
                    .collect();
                (story, facets)
            })
            .collect())
    }
}
