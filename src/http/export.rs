//! Download routes for spreadsheets: a campaign's stories as XLSX (the CSV and JSON Lines
//! downloads stream from `manage/stories.rs`), and the tables of a frozen map as CSV or XLSX —
//! for its campaign's facilitators the full tables, for the steering group only the published,
//! disclosure-controlled ones. Every download is audited before the first byte.

use crate::auth::policy::{Denied, Permission};
use crate::domain::{AuditAction, AuditEntry, Campaign};
use crate::http::AppState;
use crate::http::auth::{SignedIn, denied};
use crate::http::error::{Error, ErrorKind};
use crate::http::page::{OrPage, Reply, campaign_for};
use crate::http::respond::attachment;
use crate::http::routes::Routes;
use crate::maps::view::{MapView, table};
use crate::store::StoreError;
use crate::transfer::csv_cell;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::io::Seek;
use time::macros::format_description;
use tokio::io::AsyncReadExt;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn routes() -> Routes {
    Routes::new()
        .get("/manage/campaigns/{slug}/export/xlsx", stories_xlsx)
        .get("/manage/campaigns/{slug}/maps/{map_id}/export", frozen_map_export)
        .get("/published/{map_id}/export", published_map_export)
}

#[derive(Debug, Default, Deserialize)]
pub struct TableQuery {
    #[serde(default)]
    pub format: String,
    /// For CSV: which table (`themes`, `groups` or a chart id); XLSX holds all of them.
    #[serde(default)]
    pub table: Option<String>,
}

fn bad_request(message: &str) -> Response {
    Error::new(ErrorKind::BadRequest(message.into())).into_response()
}

/// A finished temporary file as a body read in 64 KiB chunks, so a large export never sits in
/// memory. The file has no name: it disappears when the body is dropped.
fn file_body(file: std::fs::File) -> Body {
    let file = tokio::fs::File::from_std(file);
    let stream = futures::stream::unfold(file, |mut f| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    Body::from_stream(stream)
}

fn today(state: &AppState) -> String {
    state.clock.now().date().format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// `GET /manage/campaigns/{slug}/export/xlsx`: every story with its signifier answers (sheet
/// `stories`) and its tags with provenance (sheet `tags`).
async fn stories_xlsx(signed: SignedIn, State(state): State<AppState>, Path(slug): Path<String>) -> Reply {
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::ExportStories(id)).await?;
    let count = state.store.count_stories(&campaign.id).await.or_page()?;
    // Audited before the file is made: a download that is started counts, finished or not.
    let entry = AuditEntry::new(signed.actor(), AuditAction::StoriesExported)
        .campaign(campaign.id.clone())
        .details(json!({ "format": "xlsx", "stories": count }));
    state.store.audit(&entry).await.or_page()?;
    let mut file = tempfile::tempfile().map_err(|e| Error::from(anyhow::Error::from(e)).into_response())?;
    let written = crate::transfer::xlsx::export_stories(&state.store, &campaign, &mut file, |_| {}).await;
    let file = written
        .and_then(|n| {
            file.rewind()?;
            Ok((n, file))
        })
        .map_err(|e| Error::from(e).into_response());
    let (n, file) = file?;
    tracing::info!(campaign = %campaign.slug(), format = "xlsx", stories = n, "stories exported");
    Ok(attachment(XLSX, &format!("{}-{}.xlsx", campaign.slug(), today(&state)), file_body(file)))
}

/// Every table of a map view, by id, in page order.
fn tables(v: &MapView) -> Vec<crate::transfer::xlsx::NamedTable> {
    crate::maps::view::table_ids(v)
        .into_iter()
        .filter_map(|id| table(v, &id).map(|t| (id, t.header, t.rows)))
        .collect()
}

async fn map_download(
    state: &AppState,
    signed: &SignedIn,
    campaign: Option<&Campaign>,
    map_id: &str,
    view: &MapView,
    q: &TableQuery,
) -> Reply {
    let all = tables(view);
    let (body, mime, ext, which) = match q.format.as_str() {
        "csv" => {
            let id = q.table.as_deref().unwrap_or("themes");
            let Some((_, head, rows)) = all.iter().find(|(n, _, _)| n == id) else {
                return Err(denied(Denied::NotFound));
            };
            // Labels can be theme names and quotes: every cell is protected against formulas.
            let mut w = csv::Writer::from_writer(Vec::new());
            let written: Result<(), csv::Error> = std::iter::once(head)
                .chain(rows.iter())
                .try_for_each(|r| w.write_record(csv_cell::protected(r)));
            let bytes = written
                .map_err(anyhow::Error::from)
                .and_then(|()| w.into_inner().map_err(|e| anyhow::anyhow!("{e}")))
                .map_err(|e| Error::from(e).into_response())?;
            (Body::from(bytes), "text/csv; charset=utf-8", "csv", id.to_string())
        }
        "xlsx" => {
            let mut file =
                tempfile::tempfile().map_err(|e| Error::from(anyhow::Error::from(e)).into_response())?;
            crate::transfer::xlsx::write_tables(&all, &mut file)
                .and_then(|()| Ok(file.rewind()?))
                .map_err(|e| Error::from(e).into_response())?;
            (file_body(file), XLSX, "xlsx", "all".to_string())
        }
        _ => return Err(bad_request("Kies een formaat voor de download: csv of xlsx.")),
    };
    let mut entry = AuditEntry::new(signed.actor(), AuditAction::MapExported)
        .target(format!("map:{map_id}"))
        .details(json!({ "format": ext, "table": which, "disclosed": view.disclosed }));
    if let Some(c) = campaign {
        entry = entry.campaign(c.id.clone());
    }
    state.store.audit(&entry).await.or_page()?;
    let name = format!(
        "kaart-{}-{which}.{ext}",
        map_id.chars().filter(char::is_ascii_alphanumeric).take(12).collect::<String>()
    );
    Ok(attachment(mime, &name, body))
}

/// `GET /manage/campaigns/{slug}/maps/{map_id}/export?format=csv|xlsx[&table=…]`: a frozen map's
/// tables as its facilitators see them.
async fn frozen_map_export(
    signed: SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<TableQuery>,
) -> Reply {
    signed.require(Permission::UseWorkspace)?;
    let campaign = campaign_for(&state, &signed, &slug, |id| Permission::MakeMaps(id)).await?;
    let map = match state.store.frozen_map(&id).await {
        Ok(m) if m.campaign_id == campaign.id => m,
        Ok(_) | Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).into_response()),
    };
    let shown = crate::maps::frozen::show(&state.store, map, false)
        .await
        .map_err(|e| Error::from(anyhow::anyhow!(e)).into_response())?;
    map_download(&state, &signed, Some(&campaign), &id, &shown.view, &q).await
}

/// `GET /published/{map_id}/export?format=csv|xlsx[&table=…]`: a published map's disclosed
/// tables (small cells hidden), for the steering group and everyone who may see published maps.
async fn published_map_export(
    signed: SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TableQuery>,
) -> Reply {
    signed.require(Permission::ViewPublishedMaps)?;
    let map = match state.store.frozen_map(&id).await {
        Ok(m) if m.published_at.is_some() => m,
        Ok(_) | Err(StoreError::NotFound) => return Err(denied(Denied::NotFound)),
        Err(e) => return Err(Error::from(e).into_response()),
    };
    let shown = crate::maps::frozen::show(&state.store, map, true)
        .await
        .map_err(|e| Error::from(anyhow::anyhow!(e)).into_response())?;
    map_download(&state, &signed, None, &id, &shown.view, &q).await
}
