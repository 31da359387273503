//! Test-only fault injection (cargo feature `faults`, never in a release build): the fault tests
//! make a SQLite database full or read-only where the machine cannot mount a small or read-only
//! file system. A fault is set per database file, so tests running side by side in one process
//! do not see each other's faults, and nothing in the configuration can switch it on.
//!
//! - `Fault::ReadOnly` turns on `PRAGMA query_only` on the writer connection: SQLite itself then
//!   refuses the write with `SQLITE_READONLY`, as for a read-only file.
//! - `Fault::DiskFull` fails the write transaction with the I/O error a full disk gives
//!   (`ENOSPC`) before anything is written.
//!
//! Clearing the fault takes effect on the next write, without a restart.

use super::{Result, StoreError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    DiskFull,
    ReadOnly,
}

/// By database file: `Some(fault)` while it is on, `None` once cleared (the writer connection
/// still has to be switched back).
static FAULTS: Mutex<Option<HashMap<PathBuf, Option<Fault>>>> = Mutex::new(None);

fn key(file: &Path) -> PathBuf {
    std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf())
}

/// Turns `fault` on for the SQLite database at `file` (the path in its `sqlite://` URL).
pub fn inject(file: &Path, fault: Fault) {
    FAULTS.lock().unwrap().get_or_insert_with(HashMap::new).insert(key(file), Some(fault));
}

/// Turns the fault off again.
pub fn clear(file: &Path) {
    FAULTS.lock().unwrap().get_or_insert_with(HashMap::new).insert(key(file), None);
}

fn current(file: &Path) -> Option<Option<Fault>> {
    FAULTS.lock().unwrap().as_ref().and_then(|m| m.get(file).copied())
}

/// Applies the fault set for `file` to a write transaction that was just begun.
pub(super) async fn apply_sqlite(
    file: &Path,
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
) -> Result<()> {
    let Some(fault) = current(file) else {
        return Ok(());
    };
    let query_only =
        if fault == Some(Fault::ReadOnly) { "PRAGMA query_only = ON" } else { "PRAGMA query_only = OFF" };
    sqlx::query(query_only).execute(&mut **tx).await?;
    if fault == Some(Fault::DiskFull) {
        const ENOSPC: i32 = 28;
        return Err(StoreError::from(sqlx::Error::Io(std::io::Error::from_raw_os_error(ENOSPC))));
    }
    Ok(())
}
