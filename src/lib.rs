//! luister: large-scale listening in Dutch youth care. Young people, parents and professionals
//! tell experience stories; the stories are stored scrubbed of personal details, and
//! facilitators turn them into themes, perspective maps and improvement actions.
//!
//! `main.rs` is only the command line; everything runs through [`Application`], which tests use
//! too.
#![forbid(unsafe_code)]
// Handlers return a ready `Response` as the early-exit value of small helpers; boxing it would
// only add noise.
#![allow(clippy::result_large_err)]

pub mod accounts;
pub mod actions;
pub mod analysis;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod campaigns;
pub mod charts;
pub mod clock;
pub mod collect;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod domain;
pub mod http;
pub mod jobs;
pub mod maps;
pub mod metrics;
pub mod retention;
pub mod search;
pub mod sessions;
pub mod store;
pub mod tagging;
pub mod telemetry;
pub mod toets;
pub mod transfer;

use anyhow::Context;
use config::Config;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The running service: a bound listener and the app behind it.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    port: u16,
    connections: ConnectionLimits,
    pub store: store::DynStore,
    pub search: search::SearchHandle,
    pub jobs: jobs::JobHandle,
    background: Vec<tokio::task::JoinHandle<()>>,
    /// The separate `/metrics` listener, when it is on.
    metrics: Option<(TcpListener, u16)>,
}

impl Application {
    /// Opens the database, applies migrations, creates the first admin or the demo if asked,
    /// starts the background jobs and binds the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        Application::build_with_clock(config, Arc::new(clock::SystemClock)).await
    }

    /// As `build`, with a clock of the caller's choosing (tests move time to check timeouts).
    pub async fn build_with_clock(config: Config, clock: clock::DynClock) -> anyhow::Result<Application> {
        let url = config.database_url();
        let store = store::connect(&url).await?;
        store.migrate().await.context("migrating the database")?;
        for warning in store.durability_warnings().await? {
            tracing::warn!(backend = store.backend(), "DURABILITY AT RISK: {warning}");
        }
        if let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password)
            && let Some(admin) = auth::accounts::ensure_first_admin(&store, email, password)
                .await
                .map_err(|e| anyhow::anyhow!("creating the first admin from LUISTER_ADMIN_EMAIL: {e}"))?
        {
            tracing::info!(email = %admin.email, "first admin created");
        }
        let mut demo_loaded = None;
        if config.demo {
            let (campaign, report) = transfer::import::load_demo(store.clone(), config.demo_stories).await?;
            if report.counts.inserted > 0 {
                demo_loaded = Some(campaign.id.clone());
            }
            tracing::info!(
                campaign = %campaign.slug(),
                stored = report.counts.inserted,
                skipped = report.errors.len(),
                "demo campaign ready"
            );
            let users = auth::accounts::create_demo_users(&store, &campaign.id).await?;
            for (email, role, password) in users {
                // Printed once, on the start that creates them; only hashes are kept.
                tracing::info!(%email, %role, %password, "demo account created: log in at /login");
            }
            // One published map, so the steering account has something to see at once.
            let k = config.disclosure_threshold.max(1) as u64;
            // Then the whole cycle on it: a finished session, actions, a toets conclusion and
            // published results, so a newcomer sees where the maps lead.
            let session =
                match maps::demo::demo(&store, &campaign, config.map_min_group, k, clock.now()).await {
                    Ok(Some(map)) => {
                        tracing::info!(map_id = %map.id, "demo perspective map published");
                        match sessions::demo(&store, &campaign, &map.id).await {
                            Ok(s) => Some(s.id),
                            Err(e) => {
                                tracing::warn!(error = %e, "could not make the demo session");
                                None
                            }
                        }
                    }
                    Ok(None) => {
                        tracing::warn!("the demo has no accepted themes yet: no map published");
                        None
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "could not publish the demo perspective map");
                        None
                    }
                };
            if let Err(e) = actions::demo(&store, &campaign, session.as_deref()).await {
                tracing::warn!(error = %e, "could not make the demo actions");
            }
        }
        let listener =
            TcpListener::bind(config.addr).await.with_context(|| format!("binding {}", config.addr))?;
        let port = listener.local_addr()?.port();
        let metrics = match config.metrics_addr.0 {
            None => None,
            Some(addr) => match TcpListener::bind(addr).await {
                Ok(l) => {
                    let port = l.local_addr()?.port();
                    tracing::info!(addr = %addr, port, "metrics at /metrics on the metrics address");
                    Some((l, port))
                }
                // The story form matters more than its metrics: a second instance on the host
                // (or a test run) that finds the port taken still serves, and says so loudly.
                Err(e) => {
                    tracing::error!(addr = %addr, error = %e, "metrics address unavailable: serving without /metrics");
                    None
                }
            },
        };
        let limits = Arc::new(http::limits::RateLimits::new(&config));
        let interval = std::time::Duration::from_secs(config.retention_interval_minutes.max(1) * 60);
        let timeouts = config.session_timeouts();
        let purge_within = std::time::Duration::from_secs(config.purge_interval_seconds.max(1));
        let search = search::Engine::new(&config.data_dir, store.clone(), purge_within);
        let jobs = jobs::Jobs::new(store.clone());
        let interrupted = jobs.recover().await?;
        if interrupted > 0 {
            tracing::warn!(jobs = interrupted, "jobs interrupted by the last stop were marked failed");
        }
        let themes = tagging::codebook::ensure_default(&store).await?;
        if themes > 0 {
            tracing::info!(themes, "default global codebook installed");
        }
        if let Some(campaign) = &demo_loaded {
            // The demo comes with coded stories: learn suggestions from them straight away.
            if let Err(e) = tagging::suggestions::start(&jobs, &store, campaign, None).await {
                tracing::warn!(error = %e, "could not start training suggestions for the demo");
            }
        }
        let retrain_after = std::time::Duration::from_secs(config.retrain_after_seconds);
        let state = http::AppState {
            store: store.clone(),
            config: Arc::new(config),
            clock: clock.clone(),
            limits: limits.clone(),
            search: search.clone(),
            jobs: jobs.clone(),
            maps: Arc::new(maps::ViewCache::default()),
        };
        let connections = ConnectionLimits {
            max: state.config.max_connections.max(1),
            header_read: std::time::Duration::from_secs(state.config.header_read_timeout_seconds.max(1)),
        };
        let router = http::app(state);
        let mut background = vec![
            tokio::spawn(retention::run_forever(store.clone(), clock.clone(), interval)),
            tokio::spawn(search.clone().run()),
            tokio::spawn(tagging::rules::follow(store.clone(), search.clone())),
            tokio::spawn(tagging::suggestions::schedule(store.clone(), jobs.clone(), retrain_after)),
            tokio::spawn(jobs.clone().watch()),
        ];
        let purger = store.clone();
        background.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(purge_within / 2);
            loop {
                tick.tick().await;
                if let Err(e) = purger.purge_deleted().await {
                    tracing::warn!(error = %e, "purging deleted stories from the database files failed");
                }
            }
        }));
        let (s, c) = (store.clone(), clock.clone());
        background.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tick.tick().await;
                limits.shrink();
                let now = c.now();
                if let Err(e) = s.purge_sessions(now - timeouts.idle, now - timeouts.absolute).await {
                    tracing::warn!(error = %e, "purging expired sessions failed");
                }
            }
        }));
        Ok(Application { listener, router, port, connections, store, search, jobs, background, metrics })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, when the metrics listener is on.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, p)| p).copied()
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests before returning.
    ///
    /// A hand-made accept loop over hyper rather than `axum::serve`, which has neither a limit on
    /// open connections nor a deadline for a request's headers: 200 clients trickling a byte now
    /// and then could hold the service. Here at most `max_connections` are open (the next one
    /// waits in the kernel's backlog), and a connection that has not sent its headers within the
    /// deadline, or sits idle between requests that long, is closed.
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
        use tower::ServiceExt;
        if let Some((listener, _)) = self.metrics.take() {
            // Scrapers are few and trusted (the address is private): axum's plain server is enough.
            let router = http::metrics::router(self.store.clone(), self.search.clone());
            self.background.push(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, router).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            }));
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(self.connections.max));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        builder.http1().timer(TokioTimer::new()).header_read_timeout(self.connections.header_read);
        builder
            .http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(self.connections.header_read)
            .keep_alive_timeout(self.connections.header_read);
        let shutdown = shutdown_signal();
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                p = limit.clone().acquire_owned() => p?,
                _ = &mut shutdown => break,
            };
            let (stream, remote) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut shutdown => break,
            };
            let router = self.router.clone();
            let service =
                hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(axum::extract::ConnectInfo(remote));
                    router.clone().oneshot(req.map(axum::body::Body::new))
                });
            let (builder, watcher, first_byte) =
                (builder.clone(), graceful.watcher(), self.connections.header_read);
            tokio::spawn(async move {
                // A client that connects and says nothing never reaches hyper's header deadline
                // (the HTTP version sniffing waits for a first byte without one): hold it to the
                // same deadline here, so silent connections cannot sit on the cap.
                let mut one = [0u8; 1];
                if !matches!(tokio::time::timeout(first_byte, stream.peek(&mut one)).await, Ok(Ok(1..))) {
                    drop(permit);
                    return;
                }
                let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
                let _ = watcher.watch(conn).await;
                drop(permit);
            });
        }
        drop(self.listener);
        // In-flight requests get the same 30 s the request timeout gives them.
        if tokio::time::timeout(std::time::Duration::from_secs(35), graceful.shutdown()).await.is_err() {
            tracing::warn!("connections still open after 35 s; stopping anyway");
        }
        for job in self.background {
            job.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// How many connections may be open, and how long a client has to send its headers.
struct ConnectionLimits {
    max: usize,
    header_read: std::time::Duration,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
