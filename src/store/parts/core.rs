//! Opening, checking and maintaining the database, and transactions.

use crate::store::{Result, StoreTx};
use async_trait::async_trait;
use std::path::Path;

#[async_trait]
pub trait StoreCore: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// Applies the backend's migrations.
    async fn migrate(&self) -> Result<()>;
    async fn ping(&self) -> Result<()>;
    /// Whether a write would be taken now: `Unavailable` when the disk is full, the file or
    /// server is read-only, or the database is away. SQLite writes one durable header change
    /// (the value already there); PostgreSQL asks whether it is in recovery or read-only.
    async fn check_writable(&self) -> Result<()>;
    /// Opens a transaction for a change of several steps (see the module docs). On SQLite it
    /// holds the only writer until it commits or drops: keep it short, and call no `Store` write
    /// method while it is open (that would wait for it forever).
    async fn begin(&self) -> Result<Box<dyn StoreTx>>;
    /// Settings that put accepted stories at risk on a crash, in words an operator can act on.
    async fn durability_warnings(&self) -> Result<Vec<String>>;
    /// Makes deleted stories unreadable in the database files (SQLite: checkpoint and reset the
    /// WAL, deleted pages are already zeroed). Called every half purge interval.
    async fn purge_deleted(&self) -> Result<()>;
    /// Writes a consistent copy of the whole database to `path` (which must not exist) while
    /// the service keeps serving: SQLite copies one read snapshot with `VACUUM INTO`, so writers
    /// are not blocked and withdrawn stories are not carried over. PostgreSQL answers `Invalid`
    /// pointing to `pg_dump` (docs/reliability.md): its backups belong to its own tools.
    async fn backup_to(&self, path: &Path) -> Result<()>;
    /// How full each connection pool is, for `/metrics` (SQLite: `write` and `read`;
    /// PostgreSQL: `main`).
    fn pool_use(&self) -> Vec<PoolUse>;
}

/// One connection pool's use at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolUse {
    pub name: &'static str,
    /// Connections open now (idle or in use).
    pub size: u32,
    pub idle: usize,
    /// Most connections the pool opens.
    pub max: u32,
}
