//! Background jobs: discovery, retraining suggestions, re-tagging with rules. One at a time per
//! campaign (the database refuses a second queued or running job, across instances), progress written to the database so any page (and any instance) can show it,
//! cancellable, and marked failed — not lost — if the service stops while one runs.

use crate::domain::AuditEntry;
use crate::domain::job::{Job, JobStatus};
use crate::store::DynStore;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

pub struct Jobs {
    store: DynStore,
    cancel_flags: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

pub type JobHandle = Arc<Jobs>;

/// A running job writes its progress (its heartbeat) at least this often.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// A job whose heartbeat is older than this was interrupted (its instance stopped).
const SILENT_AFTER: Duration = Duration::from_secs(60);

/// Why a job could not start.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("er loopt al een taak voor deze campagne; wacht tot die klaar is of breek hem af")]
    Busy,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Told of every progress report: (fraction, message).
type Watcher = Arc<dyn Fn(f64, &str) + Send + Sync>;

/// Handed to the work: report progress, and learn whether to stop.
#[derive(Clone)]
pub struct Progress {
    cancel: Arc<AtomicBool>,
    state: Arc<Mutex<(f64, String)>>,
    /// Told of every report (the command line's progress bar).
    watch: Option<Watcher>,
}

impl Progress {
    /// Records progress (0.0–1.0) and a short message; returns false when the job was cancelled
    /// and the work should stop.
    pub fn report(&self, fraction: f64, message: &str) -> bool {
        if let Ok(mut s) = self.state.lock() {
            *s = (fraction.clamp(0.0, 1.0), message.to_string());
        }
        if let Some(w) = &self.watch {
            w(fraction.clamp(0.0, 1.0), message);
        }
        !self.cancelled()
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// A progress for work that runs outside a job (the command line, tests).
    pub fn detached() -> Progress {
        Progress {
            cancel: Arc::new(AtomicBool::new(false)),
            state: Arc::new(Mutex::new((0.0, String::new()))),
            watch: None,
        }
    }

    /// A detached progress that tells `watch` of every report.
    pub fn watching(watch: impl Fn(f64, &str) + Send + Sync + 'static) -> Progress {
        Progress { watch: Some(Arc::new(watch)), ..Progress::detached() }
    }
}

/// Work ended because it was cancelled.
#[derive(Debug, thiserror::Error)]
#[error("afgebroken")]
pub struct Cancelled;

impl Jobs {
    pub fn new(store: DynStore) -> JobHandle {
        Arc::new(Jobs { store, cancel_flags: Mutex::default() })
    }

    /// Marks jobs interrupted by a stop as failed (called once on start). With SQLite this
    /// process is the only one using the database, so every job still running was interrupted.
    /// On PostgreSQL other live instances may be running jobs: only jobs whose heartbeat has
    /// stopped count, and `watch` keeps checking while the service runs.
    pub async fn recover(&self) -> anyhow::Result<u64> {
        let now = OffsetDateTime::now_utc();
        let silent_since = if self.shares_database() { now - SILENT_AFTER } else { now };
        Ok(self.store.fail_interrupted_jobs(silent_since).await?)
    }

    /// Every so often marks jobs of stopped instances as failed (PostgreSQL: several instances
    /// share the jobs table, and the one that started a job may have gone away since).
    pub async fn watch(self: Arc<Self>) {
        if !self.shares_database() {
            return;
        }
        let mut tick = tokio::time::interval(SILENT_AFTER / 2);
        loop {
            tick.tick().await;
            match self.store.fail_interrupted_jobs(OffsetDateTime::now_utc() - SILENT_AFTER).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(jobs = n, "jobs whose instance stopped were marked failed"),
                Err(e) => tracing::warn!(error = %e, "could not check for interrupted jobs"),
            }
        }
    }

    /// Whether other instances may run jobs in the same database (PostgreSQL); a SQLite file
    /// belongs to one process.
    fn shares_database(&self) -> bool {
        self.store.backend() != "sqlite"
    }

    /// Starts a job for a campaign unless one is running there already.
    pub async fn start<F, Fut>(
        self: &Arc<Self>,
        campaign_id: &str,
        kind: &str,
        params: serde_json::Value,
        created_by: Option<String>,
        work: F,
    ) -> Result<Job, JobError>
    where
        F: FnOnce(Progress) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<serde_json::Value>> + Send + 'static,
    {
        self.start_audited(campaign_id, kind, params, created_by, None, work).await
    }

    /// As `start`, and the job row commits together with `audit` (its target becomes the job):
    /// a change a person asked for that runs as a job is audited when it is asked for.
    pub async fn start_audited<F, Fut>(
        self: &Arc<Self>,
        campaign_id: &str,
        kind: &str,
        params: serde_json::Value,
        created_by: Option<String>,
        audit: Option<AuditEntry>,
        work: F,
    ) -> Result<Job, JobError>
    where
        F: FnOnce(Progress) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<serde_json::Value>> + Send + 'static,
    {
        let now = OffsetDateTime::now_utc();
        let job = Job {
            id: uuid::Uuid::new_v4().to_string(),
            campaign_id: Some(campaign_id.to_string()),
            kind: kind.to_string(),
            status: JobStatus::Running,
            progress: 0.0,
            message: "begonnen".into(),
            params,
            result: None,
            created_by,
            created_at: now,
            started_at: Some(now),
            finished_at: None,
        };
        let created = match audit {
            None => self.store.create_job(&job).await,
            Some(entry) => {
                let entry = entry.target(format!("job:{}", job.id));
                async {
                    let mut tx = self.store.begin().await?;
                    tx.create_job(&job).await?;
                    tx.audit(&entry).await?;
                    tx.commit().await
                }
                .await
            }
        };
        match created {
            Ok(()) => {}
            Err(crate::store::StoreError::Conflict(what)) if what == "running_job" => {
                return Err(JobError::Busy);
            }
            Err(e) => return Err(e.into()),
        }
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel_flags.lock().unwrap_or_else(|e| e.into_inner()).insert(job.id.clone(), cancel.clone());
        let progress =
            Progress { cancel, state: Arc::new(Mutex::new((0.0, "begonnen".into()))), watch: None };
        let me = self.clone();
        let id = job.id.clone();
        let kind = job.kind.clone();
        crate::metrics::job_started(&kind);
        tokio::spawn(async move {
            let reporter = {
                let (store, id, state, p) =
                    (me.store.clone(), id.clone(), progress.state.clone(), progress.clone());
                tokio::spawn(async move {
                    let mut last = (-1.0, String::new());
                    let mut written = Instant::now();
                    let mut tick = tokio::time::interval(Duration::from_millis(500));
                    loop {
                        tick.tick().await;
                        let now = state.lock().map(|s| s.clone()).unwrap_or_default();
                        // Written when it changed, and as a heartbeat when it did not.
                        if (now != last || written.elapsed() >= HEARTBEAT) && !p.cancelled() {
                            let _ = store.update_job(&id, JobStatus::Running, now.0, &now.1).await;
                            last = now;
                            written = Instant::now();
                        }
                    }
                })
            };
            let started = Instant::now();
            let outcome = work(progress.clone()).await;
            reporter.abort();
            let (status, message, result) = match outcome {
                _ if progress.cancelled() => (JobStatus::Cancelled, "afgebroken".to_string(), None),
                Ok(v) => {
                    (JobStatus::Done, format!("klaar in {:.1} s", started.elapsed().as_secs_f64()), Some(v))
                }
                Err(e) if e.is::<Cancelled>() => (JobStatus::Cancelled, "afgebroken".to_string(), None),
                Err(e) => {
                    tracing::error!(job = %id, error = ?e, "job failed");
                    (JobStatus::Failed, format!("mislukt: {e}"), None)
                }
            };
            crate::metrics::job_finished(&kind, status.as_str(), started.elapsed().as_secs_f64());
            if let Err(e) = me.store.finish_job(&id, status, &message, result.as_ref()).await {
                tracing::error!(job = %id, error = %e, "could not record the end of a job");
            }
            me.cancel_flags.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        });
        Ok(job)
    }

    /// Asks a running job to stop; true if it was running here.
    pub fn cancel(&self, job_id: &str) -> bool {
        match self.cancel_flags.lock().unwrap_or_else(|e| e.into_inner()).get(job_id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Waits until a job has ended (tests and the command line).
    pub async fn wait(&self, job_id: &str, timeout: Duration) -> anyhow::Result<Job> {
        let deadline = Instant::now() + timeout;
        loop {
            let job = self.store.job(job_id).await?;
            if !job.status.is_active() {
                return Ok(job);
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "job {job_id} still {} after {timeout:?}",
                job.status.as_str()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// How long a lease lasts without renewal: after a holder is killed, another instance takes
/// over within this time.
const LEASE_FOR: Duration = Duration::from_secs(20);

/// A deployment-wide lease on a background task, so that with several instances on one
/// database one of them does it (the rule follower, the retrain scheduler) and the others stand
/// by. Renewed while in use; another instance takes over when the holder stops renewing.
pub struct Lease {
    store: DynStore,
    name: &'static str,
    holder: String,
    /// Until when this instance counts the lease as its own without asking the database again
    /// (a third of its term), or when it may next try to take it.
    next_check: Instant,
    held: bool,
}

impl Lease {
    pub fn new(store: DynStore, name: &'static str) -> Lease {
        Lease {
            store,
            name,
            holder: uuid::Uuid::new_v4().to_string(),
            next_check: Instant::now(),
            held: false,
        }
    }

    /// Whether this instance holds the lease now; takes or renews it when due. A SQLite file
    /// belongs to one process, which therefore always holds it (a killed predecessor's lease
    /// must not hold up the restarted service).
    pub async fn held(&mut self) -> bool {
        if self.store.backend() == "sqlite" {
            return true;
        }
        if Instant::now() < self.next_check {
            return self.held;
        }
        let until = OffsetDateTime::now_utc() + LEASE_FOR;
        let held = match self.store.acquire_lease(self.name, &self.holder, until).await {
            Ok(held) => held,
            Err(e) => {
                tracing::warn!(lease = self.name, error = %e, "could not renew a lease");
                false
            }
        };
        if held && !self.held {
            tracing::info!(lease = self.name, "this instance now runs this background task");
        }
        self.held = held;
        // Renew well before expiry; when another instance holds it, look again a little later.
        self.next_check = Instant::now() + if held { LEASE_FOR / 3 } else { LEASE_FOR / 6 };
        held
    }
}
