//! Backups of the embedded SQLite database, made while the service runs, and restoring one into
//! an empty data dir. PostgreSQL deployments use `pg_dump` / `pg_restore` (docs/reliability.md);
//! both use cases say so instead of half-working there.

use crate::domain::{Actor, AuditAction, AuditEntry};
use crate::store::{self, DynStore, SqliteStore, StoreError};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; choose a new file name (a backup never overwrites)")]
    Exists(PathBuf),
    #[error(
        "this deployment runs on PostgreSQL: back it up with `pg_dump -Fc -f FILE DATABASE_URL` and \
         restore with `pg_restore -d DATABASE_URL FILE` (docs/reliability.md)"
    )]
    Postgres,
    #[error(
        "the data dir {0} is not empty; restore into an empty (or new) data dir, after moving the old one away"
    )]
    NotEmpty(PathBuf),
    #[error("{path} cannot be restored: {reason}")]
    NotLuister { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("rebuilding the search index: {0:#}")]
    Index(anyhow::Error),
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub stories: i64,
}

/// Copies the running database to `path`: a consistent snapshot (every story committed before
/// the copy started is in it), checked after writing, fsynced, and only then given its name,
/// so a file with the name is always a whole backup. Audited on the live database.
pub async fn backup(store: &DynStore, path: &Path, actor: Actor) -> Result<BackupReport, BackupError> {
    if store.backend() != SqliteStore::NAME {
        return Err(BackupError::Postgres);
    }
    if path.exists() {
        return Err(BackupError::Exists(path.to_path_buf()));
    }
    let partial = partial_name(path);
    let _ = std::fs::remove_file(&partial); // left by an interrupted earlier attempt
    if let Err(e) = store.backup_to(&partial).await {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    let check = match SqliteStore::inspect_file(&partial).await {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(BackupError::NotLuister { path: partial, reason: e.to_string() });
        }
    };
    // VACUUM INTO does not sync its output: do it before the file may call itself a backup.
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, path)?;
    sync_parent(path)?;
    let bytes = std::fs::metadata(path)?.len();
    let entry = AuditEntry::new(actor, AuditAction::BackupMade)
        .details(serde_json::json!({ "bytes": bytes, "stories": check.stories }));
    store.audit(&entry).await?;
    Ok(BackupReport { path: path.to_path_buf(), bytes, stories: check.stories })
}

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub database: PathBuf,
    pub stories: i64,
    pub indexed: u64,
}

/// Restores a backup file into `data_dir` for the SQLite `database_url` (the configured one),
/// refusing a data dir that holds anything and a file that is not a whole luister database;
/// applies any newer migrations, audits the restore, and rebuilds the search index from it.
pub async fn restore(
    file: &Path,
    data_dir: &Path,
    database_url: &str,
    purge_within: Duration,
    actor: Actor,
) -> Result<RestoreReport, BackupError> {
    let Some(target) =
        database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))
    else {
        return Err(BackupError::Postgres);
    };
    let target = PathBuf::from(target.split('?').next().unwrap_or(target));
    if data_dir.exists() && std::fs::read_dir(data_dir)?.next().is_some() {
        return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
    }
    if target.exists() {
        return Err(BackupError::NotEmpty(target));
    }
    let check = SqliteStore::inspect_file(file)
        .await
        .map_err(|e| BackupError::NotLuister { path: file.to_path_buf(), reason: reason(e) })?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::create_dir_all(data_dir)?;
    let partial = partial_name(&target);
    std::fs::copy(file, &partial)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    sync_parent(&target)?;

    let store = store::connect(database_url).await.map_err(StoreError::Other)?;
    store.migrate().await?;
    let entry = AuditEntry::new(actor, AuditAction::BackupRestored)
        .details(serde_json::json!({ "stories": check.stories, "migrations": check.migrations }));
    store.audit(&entry).await?;
    let engine = crate::search::Engine::new(data_dir, store, purge_within);
    let (live, _) = engine.rebuild(|_, _| {}).await.map_err(BackupError::Index)?;
    Ok(RestoreReport { database: target, stories: check.stories, indexed: live.reader.searcher().num_docs() })
}

fn reason(e: StoreError) -> String {
    match e {
        StoreError::Invalid(r) => r,
        other => other.to_string(),
    }
}

/// `<file>.partial` beside the target, so the rename that finishes the write is atomic.
fn partial_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// Makes a rename durable: the directory entry is on disk too.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_sit_beside_the_target() {
        assert_eq!(
            partial_name(Path::new("/b/luister-1.sqlite")),
            PathBuf::from("/b/luister-1.sqlite.partial")
        );
        assert_eq!(partial_name(Path::new("x.db")), PathBuf::from("x.db.partial"));
    }
}
