//! Codebooks: the global one that ships with luister (built from the programme documents) and
//! that campaigns copy from, and import/export as JSON or CSV. Themes refer to their parent by
//! name in files, by id in the database.

use super::Tx;
use crate::domain::theme::{PALETTE, Theme, validate};
use crate::store::{DynStore, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The default global codebook: the six action lines and the ten themes of the development
/// agenda (Actieprogramma Zorg voor de Jeugd, 2019) and the four Hervormingsagenda themes (OZJ,
/// 2024), each with a starting rule.
pub const DEFAULT: &str = include_str!("../../codebooks/programma.json");

/// A theme as it appears in a codebook file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub colour: Option<String>,
    /// The parent theme's name.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub rule: Option<String>,
}

/// A problem in a codebook file, with the line (CSV) or entry (JSON) it is on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct CodebookError(pub String);

pub fn parse_json(text: &str) -> Result<Vec<Entry>, CodebookError> {
    let entries: Vec<Entry> = serde_json::from_str(text)
        .map_err(|e| CodebookError(format!("codebook (JSON) is niet te lezen: {e}. Verwacht: een lijst van {{\"name\", \"description\", \"colour\", \"parent\", \"rule\"}}")))?;
    check(&entries)?;
    Ok(entries)
}

pub fn parse_csv(text: &str) -> Result<Vec<Entry>, CodebookError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| CodebookError(format!("codebook (CSV) is niet te lezen: {e}")))?.clone();
    if !headers.iter().any(|h| h == "name") {
        return Err(CodebookError(
            "codebook (CSV): de eerste rij moet de kolommen noemen: name,description,colour,parent,rule"
                .into(),
        ));
    }
    let col = |r: &csv::StringRecord, name: &str| -> Option<String> {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| r.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut entries = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| CodebookError(format!("codebook (CSV), rij {}: {e}", i + 2)))?;
        let rec = crate::transfer::csv_cell::unprotected(&rec);
        let Some(name) = col(&rec, "name") else {
            return Err(CodebookError(format!(
                "codebook (CSV), rij {}: de naam (kolom name) is leeg",
                i + 2
            )));
        };
        entries.push(Entry {
            name,
            description: col(&rec, "description").unwrap_or_default(),
            colour: col(&rec, "colour"),
            parent: col(&rec, "parent"),
            rule: col(&rec, "rule"),
        });
    }
    check(&entries)?;
    Ok(entries)
}

/// Names unique, parents present, rules parse, colours valid.
fn check(entries: &[Entry]) -> Result<(), CodebookError> {
    let mut seen = std::collections::HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        let at = format!("thema {} ('{}')", i + 1, e.name);
        validate(&e.name, e.colour.as_deref().unwrap_or(PALETTE[0]))
            .map_err(|m| CodebookError(format!("{at}: {m}")))?;
        if !seen.insert(e.name.trim().to_lowercase()) {
            return Err(CodebookError(format!(
                "{at}: deze naam staat er twee keer in; geef elk thema een eigen naam"
            )));
        }
        if let Some(rule) = &e.rule
            && let Err(err) = crate::search::query::parse(rule)
        {
            return Err(CodebookError(format!("{at}: de regel (rule) klopt niet: {}", err.message)));
        }
    }
    for e in entries {
        if let Some(p) = &e.parent
            && !entries.iter().any(|x| x.name.trim().eq_ignore_ascii_case(p.trim()))
        {
            return Err(CodebookError(format!(
                "thema '{}': het bovenliggende thema (parent) '{p}' staat niet in het codebook",
                e.name
            )));
        }
    }
    Ok(())
}

pub fn to_json(themes: &[Theme]) -> String {
    serde_json::to_string_pretty(&entries_of(themes)).unwrap_or_else(|_| "[]".into())
}

pub fn to_csv(themes: &[Theme]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["name", "description", "colour", "parent", "rule"]);
    for e in entries_of(themes) {
        let _ = w.write_record(crate::transfer::csv_cell::protected([
            e.name.as_str(),
            e.description.as_str(),
            e.colour.as_deref().unwrap_or(""),
            e.parent.as_deref().unwrap_or(""),
            e.rule.as_deref().unwrap_or(""),
        ]));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn entries_of(themes: &[Theme]) -> Vec<Entry> {
    let names: HashMap<&str, &str> = themes.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    themes
        .iter()
        .filter(|t| t.merged_into.is_none())
        .map(|t| Entry {
            name: t.name.clone(),
            description: t.description.clone(),
            colour: Some(t.colour.clone()),
            parent: t.parent_id.as_deref().and_then(|p| names.get(p)).map(|n| n.to_string()),
            rule: t.rule.clone(),
        })
        .collect()
}

/// Adds the entries to a codebook (`campaign_id` `None`: the global one), in one transaction.
/// Entries whose name is already there update that theme; returns (created, updated).
pub async fn import(
    store: &DynStore,
    campaign_id: Option<&str>,
    entries: &[Entry],
) -> Result<(usize, usize), StoreError> {
    let mut tx = store.begin().await?;
    let counts = import_in(&mut tx, campaign_id, entries).await?;
    tx.commit().await?;
    Ok(counts)
}

/// `import` inside a caller's transaction (which adds its audit entry).
pub async fn import_in(
    store: &mut Tx,
    campaign_id: Option<&str>,
    entries: &[Entry],
) -> Result<(usize, usize), StoreError> {
    let existing = store.themes(campaign_id).await?;
    let mut by_name: HashMap<String, Theme> = existing
        .into_iter()
        .filter(|t| t.merged_into.is_none())
        .map(|t| (t.name.to_lowercase(), t))
        .collect();
    let now = OffsetDateTime::now_utc();
    let (mut created, mut updated) = (0, 0);
    // Parents first, so children can point at them.
    let mut ordered: Vec<&Entry> = entries.iter().filter(|e| e.parent.is_none()).collect();
    ordered.extend(entries.iter().filter(|e| e.parent.is_some()));
    for (i, e) in ordered.into_iter().enumerate() {
        let parent_id = e.parent.as_ref().and_then(|p| by_name.get(&p.to_lowercase())).map(|t| t.id.clone());
        let colour = e.colour.clone().unwrap_or_else(|| PALETTE[i % PALETTE.len()].to_string());
        match by_name.get(&e.name.to_lowercase()).cloned() {
            Some(mut t) => {
                t.description = e.description.clone();
                t.colour = colour;
                t.parent_id = parent_id;
                t.rule = e.rule.clone().filter(|r| !r.trim().is_empty());
                store.update_theme(&t).await?;
                by_name.insert(t.name.to_lowercase(), t);
                updated += 1;
            }
            None => {
                let t = Theme {
                    id: uuid::Uuid::new_v4().to_string(),
                    campaign_id: campaign_id.map(str::to_string),
                    name: e.name.trim().to_string(),
                    description: e.description.clone(),
                    colour,
                    parent_id,
                    rule: e.rule.clone().filter(|r| !r.trim().is_empty()),
                    merged_into: None,
                    created_at: now,
                    updated_at: now,
                };
                store.create_theme(&t).await?;
                by_name.insert(t.name.to_lowercase(), t);
                created += 1;
            }
        }
    }
    Ok((created, updated))
}

/// Installs the default global codebook when there is none yet.
pub async fn ensure_default(store: &DynStore) -> anyhow::Result<usize> {
    if !store.themes(None).await?.is_empty() {
        return Ok(0);
    }
    let entries = parse_json(DEFAULT)?;
    let (created, _) = import(store, None, &entries).await?;
    Ok(created)
}

/// Copies global themes (all, or the named ones with their parents) into a campaign's codebook,
/// inside the caller's transaction.
pub async fn copy_global(
    store: &mut Tx,
    campaign_id: &str,
    only: Option<&[String]>,
) -> Result<(usize, usize), StoreError> {
    let global = store.themes(None).await?;
    let mut wanted: Vec<&Theme> = match only {
        None => global.iter().filter(|t| t.merged_into.is_none()).collect(),
        Some(ids) => global.iter().filter(|t| ids.contains(&t.id)).collect(),
    };
    // Bring each chosen theme's parent along, so the tree stays readable.
    let parents: Vec<&Theme> = wanted
        .iter()
        .filter_map(|t| t.parent_id.as_ref())
        .filter_map(|p| global.iter().find(|g| &g.id == p))
        .filter(|p| !wanted.iter().any(|w| w.id == p.id))
        .collect();
    wanted.extend(parents);
    let chosen: Vec<Theme> = wanted.into_iter().cloned().collect();
    import_in(store, Some(campaign_id), &entries_of(&chosen)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_codebook_has_the_programme_themes_and_valid_rules() {
        let entries = parse_json(DEFAULT).unwrap();
        let tops: Vec<&str> =
            entries.iter().filter(|e| e.parent.is_none()).map(|e| e.name.as_str()).collect();
        assert_eq!(tops.len(), 3);
        let children = |top: &str| entries.iter().filter(|e| e.parent.as_deref() == Some(top)).count();
        assert_eq!(children("Actieprogramma Zorg voor de Jeugd: actielijnen"), 6);
        assert_eq!(children("Ontwikkelagenda: tien thema's"), 10);
        assert_eq!(children("Hervormingsagenda Jeugd"), 4);
    }

    #[test]
    fn csv_and_json_say_what_is_wrong() {
        assert!(parse_csv("naam\nx\n").unwrap_err().0.contains("name"));
        assert!(parse_csv("name,parent\nA,B\n").unwrap_err().0.contains("(parent) 'B'"));
        assert!(parse_csv("name,rule\nA,\"(wachtlijst\"\n").unwrap_err().0.contains("rule"));
        assert!(parse_json("[{\"name\": \"A\", \"rule\": \"(x\"}]").unwrap_err().0.contains("rule"));
        assert!(parse_json("[{\"name\": \"A\"}, {\"name\": \"a\"}]").unwrap_err().0.contains("twee keer"));
        let ok =
            parse_csv("name,description,colour,parent,rule\nTop,,,,\nKind,Een kind,#112233,Top,wachtlijst\n")
                .unwrap();
        assert_eq!(ok[1].parent.as_deref(), Some("Top"));
    }
}
