//! Deployment-wide coordination: leases (one instance does a background task) and the
//! persisted positions of event-log followers.

use super::{Conn, utc};
use crate::store::{Result, sql};
use time::OffsetDateTime;

pub async fn follower_position(c: &mut Conn, name: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(sql::FOLLOWER_POSITION).bind(name).fetch_optional(&mut *c).await?)
}

pub async fn set_follower_position(c: &mut Conn, name: &str, seq: i64) -> Result<()> {
    sqlx::query(sql::SET_FOLLOWER_POSITION)
        .bind(name)
        .bind(seq)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn acquire_lease(c: &mut Conn, name: &str, holder: &str, until: OffsetDateTime) -> Result<bool> {
    let done = sqlx::query(sql::ACQUIRE_LEASE)
        .bind(name)
        .bind(holder)
        .bind(utc(until))
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_lease(c: &mut Conn, name: &str, holder: &str) -> Result<()> {
    sqlx::query(sql::RELEASE_LEASE).bind(name).bind(holder).execute(&mut *c).await?;
    Ok(())
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::CoordinationStore for super::Backend {
    async fn follower_position(&self, name: &str) -> Result<Option<i64>> {
        follower_position(&mut *self.reader().await?, name).await
    }
    async fn set_follower_position(&self, name: &str, seq: i64) -> Result<()> {
        let mut tx = self.begin_sqlx().await?;
        set_follower_position(&mut tx, name, seq).await?;
        Ok(tx.commit().await?)
    }
    async fn acquire_lease(&self, name: &str, holder: &str, until: OffsetDateTime) -> Result<bool> {
        let mut tx = self.begin_sqlx().await?;
        let held = acquire_lease(&mut tx, name, holder, until).await?;
        tx.commit().await?;
        Ok(held)
    }
    async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        let mut tx = self.begin_sqlx().await?;
        release_lease(&mut tx, name, holder).await?;
        Ok(tx.commit().await?)
    }
}
