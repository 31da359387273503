//! The `luister` command line: serve the web app, and the admin jobs around it. Thin: every
//! command calls into the library.
#![forbid(unsafe_code)]

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use luister::config::{Config, ConfigArgs, ServeArgs};
use luister::domain::story::StorySource;
use luister::domain::{Actor, AuditAction, AuditEntry, CampaignDef};
use luister::store::{self, Saved};
use luister::transfer::export::{self, Format};
use luister::transfer::import::{self, ImportReport};
use luister::{Application, analysis, demo, telemetry};
use std::io::{BufReader, Read, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "luister", version, about = "Large-scale listening in Dutch youth care")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web service.
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Create, update, list or export campaigns.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Import stories from JSON Lines (or CSV as written by export).
    Import {
        /// File to read; `-` reads standard input.
        file: PathBuf,
    },
    /// Export a campaign's stories.
    Export {
        #[arg(long)]
        campaign: String,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Output file [default: standard output].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Replace personal details in text from standard input.
    Scrub {
        /// Print {"text", "spans"} as JSON instead of the scrubbed text.
        #[arg(long)]
        json: bool,
    },
    /// Demo data for trying things out, benchmarks and tests.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Measure performance (see BENCHMARKS.md; built with `--features bench`).
    #[cfg(feature = "bench")]
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Manage accounts of facilitators, the steering group and admins.
    #[command(subcommand)]
    User(UserCommand),
    /// Print the audit log (who did what, when; never story text).
    Audit {
        /// Only entries from this date (2026-01-31) or time (RFC 3339) on.
        #[arg(long)]
        since: Option<String>,
        /// Only this action, e.g. login_failed, story_deleted.
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: i64,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Delete stories past their campaign's retention period now (the server also does this hourly).
    Retention,
    /// Rebuild the search index from the database (a running server switches to it by itself).
    Reindex,
    /// Find common threads ("rode draden") in a campaign's stories.
    Discover {
        #[arg(long)]
        campaign: String,
        /// Number of threads.
        #[arg(long, conflicts_with = "auto", required_unless_present = "auto")]
        k: Option<usize>,
        /// Choose the number of threads between --min and --max (lowest Davies–Bouldin index; see docs/discovery.md).
        #[arg(long)]
        auto: bool,
        #[arg(long, default_value_t = 4)]
        min: usize,
        #[arg(long, default_value_t = 15)]
        max: usize,
        /// The same seed gives the same threads.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print JSON: {"threads": [{"id", "label_terms", "size", "members": [...]}], "unassigned": [...]}.
        #[arg(long)]
        json: bool,
    },
    /// Codebooks and the quality of suggestions.
    #[command(subcommand)]
    Themes(ThemesCommand),
    /// A perspective map: how each group experiences each theme and signifier (docs/maps.md).
    Map {
        #[arg(long)]
        campaign: String,
        /// Only the stories this search finds (the search language).
        #[arg(long)]
        query: Option<String>,
        /// Compare by perspective, age_band, region or a single-choice signifier id.
        #[arg(long, default_value = "perspective")]
        by: String,
        /// Apply the steering group's disclosure control (k = the disclosure threshold).
        #[arg(long)]
        disclosure: bool,
        /// Print the map model as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the SQLite database to FILE while the service runs (a consistent snapshot; see
    /// docs/reliability.md, which also gives the PostgreSQL steps).
    Backup {
        /// The backup file to write; it must not exist yet.
        file: PathBuf,
    },
    /// Restore a backup made by `luister backup` into an empty data dir, then rebuild the
    /// search index. Stop the service first.
    Restore { file: PathBuf },
}

#[derive(Subcommand)]
enum ThemesCommand {
    /// Precision, recall and F1 per theme of the suggestions, by k-fold cross-validation on
    /// people's coding (accepted and rejected tags, and rule tags).
    Evaluate {
        #[arg(long)]
        campaign: String,
        #[arg(long, default_value_t = 5)]
        folds: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Print a codebook (a campaign's, or the global one without --campaign).
    Export {
        #[arg(long)]
        campaign: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: CodebookFormat,
    },
    /// Add or update themes from a codebook file (.json or .csv) in a campaign's or the global codebook.
    Import {
        file: PathBuf,
        #[arg(long)]
        campaign: Option<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CodebookFormat {
    Json,
    Csv,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is asked for (twice), or read from stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, facilitator or steering
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the account's sessions).
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account (it cannot log in; its sessions end).
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// End every session of an account.
    EndSessions {
        #[arg(long)]
        email: String,
    },
    /// Make a facilitator a member of a campaign (or remove them with --remove).
    Member {
        #[arg(long)]
        email: String,
        #[arg(long)]
        campaign: String,
        #[arg(long)]
        remove: bool,
    },
    /// List accounts.
    List,
}

#[cfg(feature = "bench")]
#[derive(Subcommand)]
enum BenchCommand {
    /// Search latency and bulk indexing of tantivy next to SQLite FTS5 on the same corpus.
    Search {
        #[arg(long, default_value_t = 100_000)]
        stories: usize,
        #[arg(long, default_value_t = import::DEMO_SEED)]
        seed: u64,
        /// Timed runs per query variant (after 3 warm-up runs).
        #[arg(long, default_value_t = 500)]
        repeats: usize,
        /// Keep the built indexes in this directory instead of a temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// The tagging pipeline on demo stories: discovery, rule tags, suggestion training.
    Pipeline {
        #[arg(long, default_value_t = 100_000)]
        stories: usize,
        #[arg(long, default_value_t = import::DEMO_SEED)]
        seed: u64,
        /// Threads to discover.
        #[arg(long, default_value_t = 20)]
        k: usize,
        /// Themes with a rule.
        #[arg(long, default_value_t = 50)]
        themes: usize,
        /// Share of the stories people coded (the suggestion model learns from these).
        #[arg(long, default_value_t = 0.1)]
        coded: f64,
    },
    /// Discovery quality against a labelled JSON Lines corpus: AMI, ARI and time per seed, mean ± sd
    /// (bench/discovery/run.sh runs it beside scikit-learn; docs/discovery.md).
    Discovery {
        /// JSON Lines with {"id", "text", "label", "language"?} per line.
        #[arg(long)]
        corpus: PathBuf,
        /// Threads to look for (the number of labels, for a fair score).
        #[arg(long)]
        k: usize,
        /// Seeds 0..N.
        #[arg(long, default_value_t = 10)]
        seeds: usize,
        /// Print the report as JSON (per-seed figures included).
        #[arg(long)]
        json: bool,
    },
    /// A perspective map of a synthetic campaign: cold compute, warm (cached) and memory.
    Map {
        #[arg(long, default_value_t = 100_000)]
        stories: usize,
        /// Cold runs.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
    /// Internal: open an index as a server would, run the query mix, print the RSS in MB.
    #[command(hide = true)]
    SearchRss {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        rare: String,
    },
    /// SIGKILL a real server under 16-client mixed load at random points, restart it, and count
    /// lost stories, kept withdrawals and index disagreements (docs/reliability.md).
    Crash {
        #[arg(long, default_value_t = 1_000)]
        kills: usize,
        #[arg(long, value_enum, default_value = "sqlite")]
        database: CrashDatabase,
        /// PostgreSQL server to make the run's fresh database on (with --database postgres).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres_url: String,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// The kill comes at a random moment up to this long after the server is up.
        #[arg(long, default_value_t = 800)]
        max_run_ms: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Many more concurrent submissions than the service takes at once: accepted and shed
    /// counts, p99 of the accepted requests, memory (BENCHMARKS.md).
    Overload {
        #[arg(long, default_value_t = 1_000)]
        clients: usize,
        #[arg(long, default_value_t = 10_000)]
        requests: usize,
        /// Loopback addresses to send from (127.0.1.x). 1 lifts the per-address story limit;
        /// more keep it on, so each address can be made to send ten times its limit.
        #[arg(long, default_value_t = 1)]
        addresses: usize,
        /// Database to measure on [default: a fresh SQLite file in a temporary directory].
        #[arg(long)]
        bench_database_url: Option<String>,
    },
    /// Durable story submissions per second through HTTP (one story per request).
    Submit {
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 4_000)]
        stories: usize,
        /// Database to measure on [default: a fresh SQLite file in a temporary directory].
        #[arg(long)]
        bench_database_url: Option<String>,
    },
}

#[cfg(feature = "bench")]
#[derive(Clone, Copy, clap::ValueEnum)]
enum CrashDatabase {
    Sqlite,
    Postgres,
}

#[derive(Subcommand)]
enum CampaignCommand {
    /// Create or update a campaign from its TOML file.
    Import { file: PathBuf },
    /// Print a campaign's TOML definition.
    Export { slug: String },
    /// List campaigns with their story counts.
    List,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Write generated demo stories as JSON Lines (with their true themes).
    Generate {
        #[arg(long, default_value_t = 1_500)]
        stories: usize,
        #[arg(long, default_value_t = import::DEMO_SEED)]
        seed: u64,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The benchmarks: only in a build with `--features bench`, so the service binary carries
/// neither the FTS5 peer nor the HTTP benchmark client.
#[cfg(feature = "bench")]
async fn bench(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Search { stories, seed, repeats, keep } => {
            let report = tokio::task::spawn_blocking(move || {
                luister::bench::search::run(stories, seed, repeats, keep.as_deref())
            })
            .await??;
            println!("{report}");
            Ok(())
        }
        BenchCommand::Pipeline { stories, seed, k, themes, coded } => {
            let report = luister::bench::pipeline::run(stories, seed, k, themes, coded)?;
            println!("{report}");
            Ok(())
        }
        BenchCommand::Discovery { corpus, k, seeds, json } => {
            let report = tokio::task::spawn_blocking(move || {
                analysis::discovery::bench::evaluate_file(&corpus, k, seeds)
                    .with_context(|| format!("reading {}", corpus.display()))
            })
            .await??;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{report}");
            }
            Ok(())
        }
        BenchCommand::Map { stories, repeats } => {
            let report =
                tokio::task::spawn_blocking(move || luister::bench::map::run(stories, repeats)).await??;
            println!("{report}");
            Ok(())
        }
        BenchCommand::SearchRss { index, rare } => {
            let rss = luister::bench::search::serving_rss(&index, &rare)?;
            println!("{rss:.0}");
            Ok(())
        }
        BenchCommand::Crash { kills, database, postgres_url, clients, max_run_ms, seed, json } => {
            use luister::bench::crash;
            let fresh = match database {
                CrashDatabase::Sqlite => None,
                CrashDatabase::Postgres => Some(crash::fresh_postgres(&postgres_url).await?),
            };
            let db = match &fresh {
                None => crash::Database::Sqlite,
                Some((url, _)) => crash::Database::Postgres(url.clone()),
            };
            let mut opts = crash::Options::new(std::env::current_exe()?, db, kills);
            opts.clients = clients;
            opts.max_run = std::time::Duration::from_millis(max_run_ms);
            opts.seed = seed;
            let bar = progress(kills as u64, "kills");
            let report = crash::run(opts, |n| bar.set_position(n as u64)).await;
            bar.finish_and_clear();
            if let Some((_, name)) = &fresh {
                crash::drop_postgres(&postgres_url, name).await?;
            }
            let report = report?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{report}");
            }
            if !report.passed() {
                bail!("a promise was broken: see the figures above");
            }
            Ok(())
        }
        BenchCommand::Overload { clients, requests, addresses, bench_database_url } => {
            let report =
                luister::bench::overload::run(clients, requests, addresses, bench_database_url).await?;
            println!("{report}");
            if report.stored != report.accepted as i64 {
                bail!("stored stories differ from accepted ones");
            }
            if report.addresses > 1 && report.max_accepted_per_address > report.per_address_allowed {
                bail!("one address got more stories in than its limit allows");
            }
            Ok(())
        }
        BenchCommand::Submit { clients, stories, bench_database_url } => {
            let report = luister::bench::submit::run(clients, stories, bench_database_url).await?;
            println!("{report}");
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(&cli.config)?;
    match cli.command {
        Command::Serve(args) => {
            args.apply(&mut config);
            telemetry::init(&config.log_format);
            tracing::info!(?config, "starting");
            let app = Application::build(config.clone()).await?;
            tracing::info!(
                url = %format!("http://{}:{}/", config.addr.ip(), app.port()),
                "luister is listening"
            );
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let store = store::connect(&config.database_url()).await?;
            store.migrate().await?;
            println!("migrations applied ({})", store.backend());
            Ok(())
        }
        Command::Campaign(cmd) => campaign(cmd, &config).await,
        Command::Import { file } => import_file(&file, &config).await,
        Command::Export { campaign, format, output } => {
            let store = open(&config).await?;
            let c =
                store.campaign_by_slug(&campaign).await.with_context(|| format!("campaign '{campaign}'"))?;
            let total = store.count_stories(&c.id).await? as u64;
            let bar = progress(total, "exporting");
            let mut out: Box<dyn Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let n = export::export(&store, &c, format, &mut out, |n| bar.set_position(n)).await?;
            bar.finish_and_clear();
            let entry = AuditEntry::new(Actor::cli(), AuditAction::StoriesExported)
                .campaign(c.id.clone())
                .details(serde_json::json!({ "format": format!("{format:?}").to_lowercase(), "stories": n }));
            store.audit(&entry).await?;
            eprintln!("exported {n} stories from '{campaign}'");
            Ok(())
        }
        Command::Scrub { json } => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input)?;
            let scrubbed = analysis::scrub::scrub(&input);
            if json {
                println!("{}", serde_json::to_string(&scrubbed)?);
            } else {
                print!("{}", scrubbed.text);
            }
            Ok(())
        }
        #[cfg(feature = "bench")]
        Command::Bench(cmd) => bench(cmd).await,
        Command::User(cmd) => user(cmd, &config).await,
        Command::Audit { since, action, limit, json } => audit(&config, since, action, limit, json).await,
        Command::Reindex => {
            let store = open(&config).await?;
            let engine = luister::search::Engine::new(
                &config.data_dir,
                store,
                std::time::Duration::from_secs(config.purge_interval_seconds.max(1)),
            );
            let bar = progress(0, "indexing");
            let started = std::time::Instant::now();
            let (live, payload) = engine
                .rebuild(|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await?;
            bar.finish_and_clear();
            println!(
                "index rebuilt in {:.1} s: {} stories, up to event {} ({})",
                started.elapsed().as_secs_f64(),
                live.reader.searcher().num_docs(),
                payload.seq,
                engine.dir.join(&live.generation).display()
            );
            Ok(())
        }
        Command::Discover { campaign, k, auto, min, max, seed, json } => {
            debug_assert!(auto || k.is_some());
            discover(&config, &campaign, k, min, max, seed, json).await
        }
        Command::Themes(cmd) => themes(cmd, &config).await,
        Command::Map { campaign, query, by, disclosure, json } => {
            map(&config, &campaign, query, by, disclosure, json).await
        }
        Command::Backup { file } => {
            let store = store::connect(&config.database_url()).await?;
            let r = luister::backup::backup(&store, &file, Actor::cli()).await?;
            println!("backup written to {}: {} stories, {} bytes", r.path.display(), r.stories, r.bytes);
            Ok(())
        }
        Command::Restore { file } => {
            let purge = std::time::Duration::from_secs(config.purge_interval_seconds.max(1));
            let r = luister::backup::restore(
                &file,
                &config.data_dir,
                &config.database_url(),
                purge,
                Actor::cli(),
            )
            .await?;
            println!(
                "restored {} stories into {}; search index rebuilt ({} documents)",
                r.stories,
                r.database.display(),
                r.indexed
            );
            Ok(())
        }
        Command::Retention => {
            let store = open(&config).await?;
            let deleted = luister::retention::run_once(&store, time::OffsetDateTime::now_utc()).await?;
            if deleted.is_empty() {
                println!("no stories past their retention period");
            }
            for (slug, n) in deleted {
                println!("{slug}: {n} stories deleted");
            }
            Ok(())
        }
        Command::Demo(DemoCommand::Generate { stories, seed, output }) => {
            let mut out: Box<dyn Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let bar = progress(stories as u64, "generating");
            for (i, story) in demo::generate(stories, seed).enumerate() {
                serde_json::to_writer(&mut out, &story)?;
                out.write_all(b"\n")?;
                if i % 1000 == 0 {
                    bar.set_position(i as u64);
                }
            }
            out.flush()?;
            bar.finish_and_clear();
            Ok(())
        }
    }
}

async fn open(config: &Config) -> anyhow::Result<store::DynStore> {
    let store = store::connect(&config.database_url()).await?;
    store.migrate().await?;
    luister::tagging::codebook::ensure_default(&store).await?;
    Ok(store)
}

/// A progress bar on stderr; hidden when stderr is not a terminal.
fn progress(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

async fn campaign(cmd: CampaignCommand, config: &Config) -> anyhow::Result<()> {
    let store = open(config).await?;
    match cmd {
        CampaignCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let def = CampaignDef::from_toml(&text)?;
            let audit = AuditEntry::new(Actor::cli(), AuditAction::CampaignChanged);
            let (c, saved) = store.save_campaign(&def, &audit).await?;
            let verb = if saved == Saved::Created { "created" } else { "updated" };
            println!(
                "{verb} campaign '{}' (form version {}, status {})",
                c.slug(),
                c.form_version,
                c.def.status
            );
        }
        CampaignCommand::Export { slug } => {
            let c = store.campaign_by_slug(&slug).await.with_context(|| format!("campaign '{slug}'"))?;
            print!("{}", c.def.to_toml());
        }
        CampaignCommand::List => {
            for c in store.campaigns().await? {
                let n = store.count_stories(&c.id).await?;
                println!("{:<32} {:<7} {:>8} stories  {}", c.slug(), c.def.status, n, c.def.title.nl);
            }
        }
    }
    Ok(())
}

async fn discover(
    config: &Config,
    slug: &str,
    k: Option<usize>,
    min: usize,
    max: usize,
    seed: u64,
    json: bool,
) -> anyhow::Result<()> {
    use luister::tagging::threads;
    let store = open(config).await?;
    let c = store.campaign_by_slug(slug).await.with_context(|| format!("campaign '{slug}'"))?;
    let req = threads::Request { k, auto_min: min, auto_max: max, seed, set_id: None };
    let bar = progress(1000, "discovering");
    let progress = luister::jobs::Progress::watching(move |f, _| bar.set_position((f * 1000.0) as u64));
    let run = threads::discover(&store, None, &c.id, req, progress).await?;
    let stories = threads::stories_for(&store, None, &c.id, None).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&threads::cli_json(&run, &stories))?);
        return Ok(());
    }
    println!("{} stories, {} threads, {} fit none", run.stories, run.k, run.unassigned.len());
    for t in &run.threads {
        println!(
            "{:>3}  {:>6} stories  stability {:.2}  {}",
            t.id,
            t.size,
            t.stability,
            t.label_terms.join(", ")
        );
    }
    Ok(())
}

async fn themes(cmd: ThemesCommand, config: &Config) -> anyhow::Result<()> {
    use luister::tagging::{codebook, suggestions};
    let store = open(config).await?;
    let campaign_id = |slug: Option<String>| {
        let store = store.clone();
        async move {
            match slug {
                None => Ok::<_, anyhow::Error>(None),
                Some(s) => {
                    Ok(Some(store.campaign_by_slug(&s).await.with_context(|| format!("campaign '{s}'"))?.id))
                }
            }
        }
    };
    match cmd {
        ThemesCommand::Evaluate { campaign, folds, seed, json } => {
            let id = campaign_id(Some(campaign)).await?.unwrap_or_default();
            let e = suggestions::evaluate(&store, &id, folds.max(2), seed).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
                return Ok(());
            }
            if e.themes.is_empty() {
                bail!(
                    "nothing to evaluate: code some stories first (accept or reject tags; rule tags only train, they are never scored)"
                );
            }
            println!("{}-fold cross-validation, suggested at confidence >= {:.2}", e.folds, e.threshold);
            println!(
                "scored on people's decisions only; {} rule tags used as training data, never as labels",
                e.assist_labels
            );
            println!(
                "{:<48} {:>9} {:>7} {:>9} {:>7} {:>7}",
                "theme", "precision", "recall", "F1", "support", "labelled"
            );
            for t in &e.themes {
                println!(
                    "{:<48} {:>9.3} {:>7.3} {:>9.3} {:>7} {:>7}",
                    t.theme.chars().take(48).collect::<String>(),
                    t.precision,
                    t.recall,
                    t.f1,
                    t.support,
                    t.labelled
                );
            }
            println!(
                "{:<48} {:>9.3} {:>7.3} {:>9.3}   (micro F1 {:.3}; calibration error {:.3})",
                "macro average",
                e.macro_precision,
                e.macro_recall,
                e.macro_f1,
                e.micro_f1,
                e.calibration_error
            );
            if let Some(w) = &e.without_assist {
                println!(
                    "{:<48} {:>9.3} {:>7.3} {:>9.3}   (micro F1 {:.3}; trained without rule tags)",
                    "macro average without rule tags",
                    w.macro_precision,
                    w.macro_recall,
                    w.macro_f1,
                    w.micro_f1
                );
            }
            if !e.skipped.is_empty() {
                println!("too few coded stories to learn: {}", e.skipped.join(", "));
            }
        }
        ThemesCommand::Export { campaign, format } => {
            let id = campaign_id(campaign).await?;
            let themes = store.themes(id.as_deref()).await?;
            let themes: Vec<_> =
                themes.into_iter().filter(|t| t.campaign_id == id && t.merged_into.is_none()).collect();
            match format {
                CodebookFormat::Json => println!("{}", codebook::to_json(&themes)),
                CodebookFormat::Csv => print!("{}", codebook::to_csv(&themes)),
            }
        }
        ThemesCommand::Import { file, campaign } => {
            let id = campaign_id(campaign).await?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let entries = if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                codebook::parse_csv(&text)?
            } else {
                codebook::parse_json(&text)?
            };
            let (created, updated) = codebook::import(&store, id.as_deref(), &entries).await?;
            println!("{created} themes added, {updated} updated");
        }
    }
    Ok(())
}

async fn map(
    config: &Config,
    slug: &str,
    query: Option<String>,
    by: String,
    disclosure: bool,
    json: bool,
) -> anyhow::Result<()> {
    let store = open(config).await?;
    let c = store.campaign_by_slug(slug).await.with_context(|| format!("campaign '{slug}'"))?;
    // A query needs the search index: open the current one read-only, as the server left it.
    let live = match &query {
        Some(q) if !q.trim().is_empty() => {
            let engine = luister::search::Engine::new(
                &config.data_dir,
                store.clone(),
                std::time::Duration::from_secs(config.purge_interval_seconds.max(1)),
            );
            let (live, _) = engine.check().await.map_err(|e| {
                anyhow::anyhow!("the search index cannot be used ({e:?}); run `luister reindex`")
            })?;
            Some(live)
        }
        _ => None,
    };
    let req = luister::maps::Request {
        source: query.map_or(luister::maps::Source::Campaign, luister::maps::Source::Query),
        by,
        min_group: config.map_min_group,
        ..Default::default()
    };
    let mut built = luister::maps::build(&store, live.as_ref(), &c, &req).await?;
    if disclosure {
        built = luister::maps::disclose(&built, config.disclosure_threshold.max(1) as u64);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&built)?);
        return Ok(());
    }
    println!(
        "{} stories ({} without a group), compared by {}, codebook {}",
        built.map.stories.map_or("<k".into(), |n| n.to_string()),
        built.map.without_group.map_or("<k".into(), |n| n.to_string()),
        built.header.by,
        built.header.codebook_version
    );
    for t in &built.map.themes {
        let cells: Vec<String> = t.cells.iter().map(|c| format!("{} {}", c.group, c.shown)).collect();
        let q = t.test.as_ref().and_then(|t| t.q).map_or("-".into(), |q| format!("{q:.3}"));
        println!("{:<40} q {:>6}  {}", t.label.chars().take(40).collect::<String>(), q, cells.join("  "));
    }
    Ok(())
}

async fn import_file(file: &PathBuf, config: &Config) -> anyhow::Result<()> {
    let store = open(config).await?;
    let is_csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let report: ImportReport = if file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        import::import_jsonl(store, stdin.lock(), StorySource::Import, |_, _| {}).await?
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        let bar = progress(f.metadata()?.len(), "importing");
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let reader = bar.wrap_read(f);
        let r = if is_csv {
            import::import_csv(store, reader, StorySource::Import, |_, _| {}).await?
        } else {
            import::import_jsonl(store, BufReader::new(reader), StorySource::Import, |_, _| {}).await?
        };
        bar.finish_and_clear();
        r
    };
    // A wrong campaign makes every line fail the same way: the first few say enough.
    for e in report.errors.iter().take(20) {
        eprintln!("line {}: {}", e.line, e.message);
    }
    if report.errors.len() > 20 {
        eprintln!("… and {} more lines with problems", report.errors.len() - 20);
    }
    println!(
        "{} lines: {} stories added, {} updated, {} skipped",
        report.lines,
        report.counts.inserted,
        report.counts.updated,
        report.errors.len()
    );
    if !report.errors.is_empty() && report.counts.inserted + report.counts.updated == 0 {
        bail!("nothing was imported");
    }
    Ok(())
}

/// A password from stdin (first line) or typed twice at a prompt without echo.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let first = rpassword::prompt_password("Wachtwoord (minstens 12 tekens): ")?;
    let second = rpassword::prompt_password("Nog een keer: ")?;
    if first != second {
        bail!("the two passwords differ; nothing changed");
    }
    Ok(first)
}

async fn find_user(store: &store::DynStore, email: &str) -> anyhow::Result<luister::domain::User> {
    let email = email.trim().to_lowercase();
    match store.user_by_email(&email).await {
        Ok((u, _)) => Ok(u),
        Err(store::StoreError::NotFound) => bail!("no account with e-mail address {email}"),
        Err(e) => Err(e.into()),
    }
}

async fn user(cmd: UserCommand, config: &Config) -> anyhow::Result<()> {
    use luister::auth::accounts::{self, NewAccount};
    use luister::domain::Role;
    let store = open(config).await?;
    match cmd {
        UserCommand::Add { email, name, role, password_stdin } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, facilitator or steering"))?;
            let password = read_password(password_stdin)?;
            let u =
                accounts::create(&store, NewAccount { email, name, role, password }, Actor::cli()).await?;
            println!("created {} ({})", u.email, u.role);
        }
        UserCommand::Passwd { email, password_stdin } => {
            let u = find_user(&store, &email).await?;
            let password = read_password(password_stdin)?;
            accounts::set_password(&store, &u, password, Actor::cli()).await?;
            println!("password changed for {}; their sessions ended", u.email);
        }
        UserCommand::Disable { email } => {
            let u = find_user(&store, &email).await?;
            let change = luister::store::UserChange { disabled: Some(true), ..Default::default() };
            store
                .update_user(&u.id, &change, &AuditEntry::new(Actor::cli(), AuditAction::UserChanged))
                .await?;
            let n = store.delete_user_sessions(&u.id).await?;
            println!("disabled {} ({n} sessions ended)", u.email);
        }
        UserCommand::Enable { email } => {
            let u = find_user(&store, &email).await?;
            let change = luister::store::UserChange { disabled: Some(false), ..Default::default() };
            store
                .update_user(&u.id, &change, &AuditEntry::new(Actor::cli(), AuditAction::UserChanged))
                .await?;
            println!("enabled {}", u.email);
        }
        UserCommand::EndSessions { email } => {
            let u = find_user(&store, &email).await?;
            let n = store.delete_user_sessions(&u.id).await?;
            let entry = AuditEntry::new(Actor::cli(), AuditAction::SessionsEnded)
                .target(format!("user:{}", u.id))
                .details(serde_json::json!({ "sessions": n }));
            store.audit(&entry).await?;
            println!("{n} sessions of {} ended", u.email);
        }
        UserCommand::Member { email, campaign, remove } => {
            let u = find_user(&store, &email).await?;
            let c =
                store.campaign_by_slug(&campaign).await.with_context(|| format!("campaign '{campaign}'"))?;
            let entry = AuditEntry::new(Actor::cli(), AuditAction::MembershipChanged);
            store.set_membership(&c.id, &u.id, !remove, &entry).await?;
            let verb = if remove { "is no longer a member of" } else { "is a member of" };
            println!("{} {verb} '{campaign}'", u.email);
        }
        UserCommand::List => {
            for u in store.users().await? {
                let n = store.memberships(&u.id).await?.len();
                let state = if u.disabled { "disabled" } else { "active" };
                println!("{:<40} {:<12} {:<9} {n:>3} campaigns  {}", u.email, u.role.as_str(), state, u.name);
            }
        }
    }
    Ok(())
}

async fn audit(
    config: &Config,
    since: Option<String>,
    action: Option<String>,
    limit: i64,
    json: bool,
) -> anyhow::Result<()> {
    use luister::domain::audit::{AuditAction as A, AuditFilter};
    let store = open(config).await?;
    let since =
        since.map(|s| luister::http::admin::parse_since(&s).map_err(|e| anyhow::anyhow!(e))).transpose()?;
    let action = match action {
        None => None,
        Some(a) => Some(A::parse(&a).ok_or_else(|| {
            let all: Vec<&str> = A::ALL.iter().map(|a| a.as_str()).collect();
            anyhow::anyhow!("unknown action '{a}'; one of: {}", all.join(", "))
        })?),
    };
    let entries = store.audit_entries(&AuditFilter { since, action, limit, ..Default::default() }).await?;
    for e in entries.iter().rev() {
        let at = e.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        if json {
            let line = serde_json::json!({
                "id": e.id, "at": at, "actor": e.actor, "action": e.action,
                "target": e.target, "campaign_id": e.campaign_id, "details": e.details,
            });
            println!("{line}");
        } else {
            println!(
                "{at}  {:<28} {:<24} {:<44} {}",
                e.actor,
                e.action,
                e.target.as_deref().unwrap_or("-"),
                e.details
            );
        }
    }
    Ok(())
}
