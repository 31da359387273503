//! Moving stories in and out: JSON Lines and CSV import/export, XLSX export (round-trip safe), and loading the
//! demo corpus. Imported text goes through the same validation and scrubbing as the web form.

pub mod csv_cell;
pub mod export;
pub mod import;
pub mod xlsx;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// One story as a line of JSON (import and export). Documented in README.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryLine {
    /// The story's id. On export always set; on import optional: kept for new stories (so a
    /// move between databases keeps ids) and used to find the story when there is no
    /// `external_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Campaign slug.
    pub campaign: String,
    /// Your own key, unique per campaign: importing the same key again updates the story.
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
    #[serde(default)]
    pub language: Option<String>,
    pub perspective: String,
    #[serde(default)]
    pub age_band: Option<String>,
    /// Youth-care region code (`JZ01`) or, for forms that ask it, municipality code (`GM0518`).
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// Themes coded elsewhere (import) or the story's tags with their provenance (export).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<LineTag>,
}

/// A tag in a story line. On import `theme` and `state` (`accepted` or `rejected`) are enough:
/// missing themes are created in the campaign's codebook and the tags count as manual coding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineTag {
    /// The theme's name in the campaign's codebook.
    pub theme: String,
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Who decided (e-mail address), for exported manual tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
}
