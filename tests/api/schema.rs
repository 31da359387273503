//! The SQLite and PostgreSQL schemas after all migrations are the same: tables, columns (type
//! and nullability), indexes and constraints by name. The migration folders are numbered
//! differently, so only the result can be compared.

use crate::helpers::{PgDatabase, postgres_available};
use std::collections::BTreeSet;

/// Deliberate differences: SQLite has no JSON or timestamp column types, so the columns that
/// are JSONB and TIMESTAMPTZ on PostgreSQL are TEXT there (sqlx writes sortable UTC text).
const TEXT_IN_SQLITE: [&str; 2] = ["jsonb", "timestamp with time zone"];

/// PostgreSQL type names in SQLite's words (beyond `TEXT_IN_SQLITE`).
fn pg_type(t: &str) -> String {
    match t {
        t if TEXT_IN_SQLITE.contains(&t) => "text",
        "text" | "character varying" => "text",
        "bigint" | "integer" | "smallint" => "integer",
        "double precision" | "real" => "real",
        "boolean" => "boolean",
        other => other,
    }
    .to_string()
}

fn column(table: &str, name: &str, ty: &str, not_null: bool) -> String {
    format!("column {table}.{name} {ty}{}", if not_null { " not null" } else { "" })
}

/// The columns of an index definition, `CREATE INDEX x ON t USING btree (a, b) WHERE ...`.
fn pg_index_columns(def: &str) -> String {
    let open = def.find('(').unwrap();
    let close = open + def[open..].find(')').unwrap();
    def[open + 1..close].split(',').map(str::trim).collect::<Vec<_>>().join(", ")
}

async fn sqlite_schema(url: &str) -> BTreeSet<String> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let mut out = BTreeSet::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (t, sql) in &tables {
        out.insert(format!("table {t}"));
        let cols: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(t)
                .fetch_all(&pool)
                .await
                .unwrap();
        // A primary key column is NOT NULL on PostgreSQL whether or not the DDL says so.
        for (name, ty, not_null, pk) in &cols {
            out.insert(column(t, name, &ty.to_lowercase(), *not_null == 1 || *pk > 0));
        }
        if cols.iter().any(|c| c.3 > 0) {
            out.insert(format!("constraint {t}_pkey primary key"));
        }
        // Constraints SQLite does not name: the name PostgreSQL gives them by default, or the
        // name the DDL gives.
        let named: Vec<(String, String)> = sql
            .lines()
            .filter_map(|l| {
                let l = l.trim().strip_prefix("CONSTRAINT ")?;
                let (name, rest) = l.split_once(' ')?;
                let cols = rest.split_once('(')?.1.split_once(')')?.0.replace(' ', "");
                Some((name.to_string(), cols))
            })
            .collect();
        for line in sql.lines().map(str::trim) {
            if line.contains("CHECK (") && !line.starts_with("CONSTRAINT") {
                let col = line.split_whitespace().next().unwrap();
                out.insert(format!("constraint {t}_{col}_check check"));
            }
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(t)
                .fetch_all(&pool)
                .await
                .unwrap();
        for (name, unique, origin, partial) in indexes {
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            match origin.as_str() {
                "u" => {
                    let key = cols.join(",");
                    let name = named
                        .iter()
                        .find(|(_, c)| *c == key)
                        .map(|(n, _)| n.clone())
                        .unwrap_or_else(|| format!("{t}_{}_key", cols.join("_")));
                    out.insert(format!("constraint {name} unique"));
                }
                "pk" => {}
                _ => {
                    let kind = if unique == 1 { "unique index" } else { "index" };
                    let partial = if partial == 1 { " partial" } else { "" };
                    out.insert(format!("{kind} {name} on {t} ({}){partial}", cols.join(", ")));
                }
            }
        }
        let fks: Vec<(String,)> = sqlx::query_as("SELECT \"from\" FROM pragma_foreign_key_list($1)")
            .bind(t)
            .fetch_all(&pool)
            .await
            .unwrap();
        for (col,) in fks {
            out.insert(format!("constraint {t}_{col}_fkey foreign key"));
        }
    }
    pool.close().await;
    out
}

async fn postgres_schema(url: &str) -> BTreeSet<String> {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let mut out = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for t in &tables {
        out.insert(format!("table {t}"));
    }
    let cols: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (t, name, ty, nullable) in cols {
        out.insert(column(&t, &name, &pg_type(&ty), nullable == "NO"));
    }
    let constraints: Vec<(String, String)> = sqlx::query_as(
        "SELECT conname::text, contype::text FROM pg_constraint \
         WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f', 'c') \
         AND conrelid <> '_sqlx_migrations'::regclass",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (name, kind) in constraints {
        let kind = match kind.as_str() {
            "p" => "primary key",
            "u" => "unique",
            "f" => "foreign key",
            _ => "check",
        };
        out.insert(format!("constraint {name} {kind}"));
    }
    let indexes: Vec<(String, String, bool, bool, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
         pg_get_indexdef(ix.indexrelid) FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (t, name, unique, partial, def) in indexes {
        let kind = if unique { "unique index" } else { "index" };
        let partial = if partial { " partial" } else { "" };
        out.insert(format!("{kind} {name} on {t} ({}){partial}", pg_index_columns(&def)));
    }
    pool.close().await;
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_match_after_all_migrations() {
    if !postgres_available().await {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("schema.sqlite").display());
    let pg = PgDatabase::create().await;
    for url in [&sqlite_url, &pg.url] {
        luister::store::connect(url).await.unwrap().migrate().await.unwrap();
    }
    let sqlite = sqlite_schema(&sqlite_url).await;
    let postgres = postgres_schema(&pg.url).await;
    // The comparison sees every kind of item (named and default-named constraints, partial
    // unique indexes), so a difference in any of them shows.
    for item in [
        "constraint stories_external_id_key unique",
        "constraint stories_campaign_id_fkey foreign key",
        "constraint jobs_status_check check",
        "unique index jobs_one_running_per_campaign on jobs (campaign_id) partial",
        "column tags.confidence real",
        "column jobs.heartbeat_at text",
    ] {
        assert!(sqlite.contains(item), "{item} in {sqlite:#?}");
    }
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
