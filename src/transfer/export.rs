//! `luister export`: a campaign's stories as JSON Lines, CSV or XLSX, paged through the database
//! so a large campaign never sits in memory. JSON Lines and CSV import again without duplicates;
//! XLSX (`xlsx.rs`) is for reading in a spreadsheet.

use super::StoryLine;
use crate::domain::{Answer, Campaign, SignifierKind, Story};
use crate::store::{DynStore, StoryCursor};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

const PAGE: i64 = 1_000;

/// Marks "not applicable" in CSV cells (an empty cell means "not answered").
pub(super) const SKIPPED: &str = "n/a";

/// Names of a campaign's themes and e-mail addresses of users, for writing tags.
#[derive(Default)]
pub struct TagNames {
    pub themes: std::collections::HashMap<String, String>,
    pub users: std::collections::HashMap<String, String>,
}

impl TagNames {
    pub async fn load(store: &DynStore, campaign: &Campaign) -> anyhow::Result<TagNames> {
        Ok(TagNames {
            themes: store.themes(Some(&campaign.id)).await?.into_iter().map(|t| (t.id, t.name)).collect(),
            users: store.users().await?.into_iter().map(|u| (u.id, u.email)).collect(),
        })
    }
}

pub(super) fn line_tags_for(tags: &[crate::domain::theme::Tag], names: &TagNames) -> Vec<super::LineTag> {
    let mut out: Vec<super::LineTag> = tags
        .iter()
        .map(|t| super::LineTag {
            theme: names.themes.get(&t.theme_id).cloned().unwrap_or_else(|| t.theme_id.clone()),
            state: t.state.as_str().to_string(),
            source: Some(t.source.as_str().to_string()),
            confidence: t.confidence,
            by: t.by_user.as_ref().and_then(|u| names.users.get(u)).cloned(),
            at: Some(t.at),
        })
        .collect();
    out.sort_by(|a, b| (&a.theme, &a.source).cmp(&(&b.theme, &b.source)));
    out
}

pub fn story_line(campaign: &Campaign, story: Story) -> StoryLine {
    story_line_with_tags(campaign, story, &[], &TagNames::default())
}

pub fn story_line_with_tags(
    campaign: &Campaign,
    story: Story,
    tags: &[crate::domain::theme::Tag],
    names: &TagNames,
) -> StoryLine {
    let tags = line_tags_for(tags, names);
    StoryLine {
        id: Some(story.id),
        campaign: campaign.def.slug.clone(),
        external_id: story.external_id,
        title: story.title,
        text: story.text,
        language: Some(story.language),
        perspective: story.perspective.as_str().to_string(),
        age_band: story.age_band.map(|a| a.code().to_string()),
        region: story.region.or(story.municipality),
        prompt: story.prompt_id,
        created_at: Some(story.created_at),
        answers: story
            .answers
            .into_iter()
            .map(|(k, v)| (k, serde_json::to_value(v).unwrap_or(Value::Null)))
            .collect(),
        tags,
    }
}

const FIXED: [&str; 12] = [
    "id",
    "campaign",
    "external_id",
    "created_at",
    "language",
    "perspective",
    "age_band",
    "region",
    "prompt",
    "title",
    "text",
    "tags",
];

fn csv_headers(campaign: &Campaign) -> Vec<String> {
    let mut h: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    for s in &campaign.def.signifiers {
        match s.kind {
            SignifierKind::Triad { .. } => (0..3).for_each(|i| h.push(format!("{}.{i}", s.id))),
            _ => h.push(s.id.clone()),
        }
    }
    h
}

fn csv_row(campaign: &Campaign, line: &StoryLine, answers: &BTreeMap<String, Answer>) -> Vec<String> {
    let created = line
        .created_at
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut row = vec![
        opt(&line.id),
        line.campaign.clone(),
        opt(&line.external_id),
        created,
        opt(&line.language),
        line.perspective.clone(),
        opt(&line.age_band),
        opt(&line.region),
        opt(&line.prompt),
        opt(&line.title),
        line.text.clone(),
        line.tags
            .iter()
            .map(|t| format!("{}:{}:{}", t.state, t.source.as_deref().unwrap_or("manual"), t.theme))
            .collect::<Vec<_>>()
            .join(" | "),
    ];
    for s in &campaign.def.signifiers {
        let a = answers.get(&s.id);
        match (&s.kind, a) {
            (SignifierKind::Triad { .. }, Some(Answer::Triad(w))) => {
                w.iter().for_each(|x| row.push(x.to_string()))
            }
            (SignifierKind::Triad { .. }, Some(Answer::Skipped)) => {
                (0..3).for_each(|_| row.push(SKIPPED.into()))
            }
            (SignifierKind::Triad { .. }, _) => (0..3).for_each(|_| row.push(String::new())),
            (_, None) => row.push(String::new()),
            (_, Some(Answer::Skipped)) => row.push(SKIPPED.into()),
            (_, Some(Answer::Dyad(x))) => row.push(x.to_string()),
            (_, Some(Answer::Single(v))) => row.push(v.clone()),
            (_, Some(Answer::Multi(v))) => row.push(v.join(";")),
            (_, Some(Answer::Triad(w))) => row.push(w.map(|x| x.to_string()).join(";")),
        }
    }
    row
}

/// Reads one CSV record written by `csv_row` back into a story line.
pub fn line_from_csv(headers: &csv::StringRecord, record: &csv::StringRecord) -> Result<StoryLine, String> {
    // Undo the formula protection of our own export (see `csv_cell`).
    let record = &super::csv_cell::unprotected(record);
    let get = |name: &str| -> Option<String> {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .map(str::to_string)
            .filter(|v| !v.is_empty())
    };
    let created_at = match get("created_at") {
        None => None,
        Some(t) => Some(
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339)
                .map_err(|_| format!("created_at '{t}' is not an RFC 3339 time like 2025-03-01T12:00:00Z"))?,
        ),
    };
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    let mut triads: BTreeMap<String, [Option<String>; 3]> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        if FIXED.contains(&h) {
            continue;
        }
        let cell = record.get(i).unwrap_or("").trim();
        if let Some((id, corner)) = h.rsplit_once('.')
            && let Ok(k) = corner.parse::<usize>()
            && k < 3
        {
            triads.entry(id.to_string()).or_default()[k] = (!cell.is_empty()).then(|| cell.to_string());
            continue;
        }
        if cell.is_empty() {
            continue;
        }
        let value = if cell == SKIPPED {
            Value::Null
        } else if let Ok(x) = cell.parse::<f64>() {
            Value::from(x)
        } else if cell.contains(';') {
            Value::from(cell.split(';').map(|s| Value::from(s.trim())).collect::<Vec<_>>())
        } else {
            Value::from(cell)
        };
        answers.insert(h.to_string(), value);
    }
    for (id, parts) in triads {
        if parts.iter().all(Option::is_none) {
            continue;
        }
        if parts.iter().any(|p| p.as_deref() == Some(SKIPPED)) {
            answers.insert(id, Value::Null);
            continue;
        }
        let nums: Result<Vec<Value>, String> = parts
            .iter()
            .map(|p| {
                let p = p.as_deref().unwrap_or("0");
                p.parse::<f64>().map(Value::from).map_err(|_| format!("{id}: '{p}' is not a number"))
            })
            .collect();
        answers.insert(id, Value::from(nums?));
    }
    Ok(StoryLine {
        id: get("id"),
        campaign: get("campaign").ok_or("campaign is empty: give the campaign slug")?,
        external_id: get("external_id"),
        title: get("title"),
        text: get("text").unwrap_or_default(),
        language: get("language"),
        perspective: get("perspective").unwrap_or_default(),
        age_band: get("age_band"),
        region: get("region"),
        prompt: get("prompt"),
        created_at,
        answers,
        tags: get("tags")
            .map(|cell| {
                cell.split(" | ")
                    .filter_map(|t| {
                        let mut parts = t.splitn(3, ':');
                        let (state, source, theme) = (parts.next()?, parts.next()?, parts.next()?);
                        Some(super::LineTag {
                            theme: theme.to_string(),
                            state: state.to_string(),
                            source: Some(source.to_string()),
                            confidence: None,
                            by: None,
                            at: None,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

pub(super) async fn tags_by_story(
    store: &DynStore,
    page: &[Story],
) -> anyhow::Result<std::collections::HashMap<String, Vec<crate::domain::theme::Tag>>> {
    let ids: Vec<String> = page.iter().map(|s| s.id.clone()).collect();
    let mut map: std::collections::HashMap<String, Vec<crate::domain::theme::Tag>> = Default::default();
    for t in store.tags_for_stories(&ids).await? {
        map.entry(t.story_id.clone()).or_default().push(t);
    }
    Ok(map)
}

/// Walks a campaign's stories page by page in (created_at, id) order.
pub(super) struct Pager<'a> {
    store: &'a DynStore,
    campaign_id: &'a str,
    cursor: Option<StoryCursor>,
}

impl<'a> Pager<'a> {
    pub(super) fn new(store: &'a DynStore, campaign_id: &'a str) -> Pager<'a> {
        Pager { store, campaign_id, cursor: None }
    }

    pub(super) async fn next(&mut self) -> anyhow::Result<Vec<Story>> {
        let page = self.store.stories_page(self.campaign_id, self.cursor.as_ref(), PAGE).await?;
        if let Some(last) = page.last() {
            self.cursor = Some(StoryCursor { created_at: last.created_at, id: last.id.clone() });
        }
        Ok(page)
    }
}

/// One page of a campaign's stories as export lines, for the API.
pub struct LinesPage {
    pub lines: Vec<StoryLine>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<StoryCursor>,
}

/// A page of at most `limit` stories after `cursor`, with their tags, read by `actor`. Story
/// text read in bulk is audited like an export, page by page (a script can start at any
/// cursor), before any of it is handed out: if the audit entry cannot be written, nothing is.
pub async fn lines_page(
    store: &DynStore,
    actor: crate::domain::Actor,
    campaign: &Campaign,
    cursor: Option<&StoryCursor>,
    limit: usize,
) -> anyhow::Result<LinesPage> {
    let page = store.stories_page(&campaign.id, cursor, limit as i64).await?;
    let entry = crate::domain::AuditEntry::new(actor, crate::domain::AuditAction::StoriesExported)
        .campaign(campaign.id.clone())
        .details(
            serde_json::json!({ "format": "api", "stories": page.len(), "first_page": cursor.is_none() }),
        );
    store.audit(&entry).await?;
    // A full page may have more after it; a short one is the last.
    let next = page
        .last()
        .filter(|_| page.len() == limit)
        .map(|s| StoryCursor { created_at: s.created_at, id: s.id.clone() });
    let mut tags = tags_by_story(store, &page).await?;
    let names = TagNames::load(store, campaign).await?;
    let lines = page
        .into_iter()
        .map(|s| {
            let t = tags.remove(&s.id).unwrap_or_default();
            story_line_with_tags(campaign, s, &t, &names)
        })
        .collect();
    Ok(LinesPage { lines, next })
}

/// Writes every story of the campaign; returns how many.
pub async fn export(
    store: &DynStore,
    campaign: &Campaign,
    format: Format,
    out: &mut impl Write,
    mut on_story: impl FnMut(u64),
) -> anyhow::Result<u64> {
    let mut pager = Pager { store, campaign_id: &campaign.id, cursor: None };
    let names = TagNames::load(store, campaign).await?;
    let mut count = 0u64;
    match format {
        Format::Xlsx => {
            // A zip needs to seek: assemble it in a temporary file, then copy it out.
            let mut file = tempfile::tempfile()?;
            count = super::xlsx::export_stories(store, campaign, &mut file, on_story).await?;
            std::io::Seek::rewind(&mut file)?;
            std::io::copy(&mut file, out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(super::csv_cell::protected(csv_headers(campaign)))?;
            loop {
                let page = pager.next().await?;
                if page.is_empty() {
                    break;
                }
                let tags = tags_by_story(store, &page).await?;
                for story in page {
                    let answers = story.answers.clone();
                    let t = tags.get(&story.id).cloned().unwrap_or_default();
                    w.write_record(super::csv_cell::protected(csv_row(
                        campaign,
                        &story_line_with_tags(campaign, story, &t, &names),
                        &answers,
                    )))?;
                    count += 1;
                    on_story(count);
                }
            }
            w.flush()?;
        }
        Format::Jsonl => loop {
            let page = pager.next().await?;
            if page.is_empty() {
                break;
            }
            let tags = tags_by_story(store, &page).await?;
            for story in page {
                let t = tags.get(&story.id).cloned().unwrap_or_default();
                serde_json::to_writer(&mut *out, &story_line_with_tags(campaign, story, &t, &names))?;
                out.write_all(b"\n")?;
                count += 1;
                on_story(count);
            }
        },
    }
    out.flush()?;
    Ok(count)
}
