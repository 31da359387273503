//! `luister import`: JSON Lines (or CSV as written by export) into the database, in batches of
//! one transaction each. Bad lines are reported with their line number and skipped; a line is
//! stored whole or not at all.

use super::StoryLine;
use crate::collect::{self, Consent, Submission};
use crate::domain::story::StorySource;
use crate::domain::{Actor, AuditAction, AuditEntry, Campaign, FieldError, Lang, NewStory};
use crate::store::{DynStore, ImportCounts, StoreError};
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufRead;
use time::OffsetDateTime;

/// Lines per transaction: large enough to be fast, small enough that a crash loses little work.
pub const BATCH: usize = 500;

/// A line that could not be imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub counts: ImportCounts,
    pub errors: Vec<LineError>,
    pub lines: usize,
}

/// Keeps campaigns looked up once per import.
pub struct Importer {
    store: DynStore,
    source: StorySource,
    campaigns: HashMap<String, Option<Campaign>>,
    batch: Vec<(usize, NewStory, Vec<super::LineTag>)>,
    report: ImportReport,
    /// Theme ids by (campaign id, lower-case name), created as tags need them.
    themes: HashMap<(String, String), String>,
}

fn describe(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message(Lang::En))).collect::<Vec<_>>().join("; ")
}

impl Importer {
    pub fn new(store: DynStore, source: StorySource) -> Importer {
        Importer {
            store,
            source,
            campaigns: HashMap::new(),
            batch: Vec::new(),
            report: ImportReport::default(),
            themes: HashMap::new(),
        }
    }

    async fn campaign(&mut self, slug: &str) -> Result<Option<Campaign>, StoreError> {
        if let Some(c) = self.campaigns.get(slug) {
            return Ok(c.clone());
        }
        let c = match self.store.campaign_by_slug(slug).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        self.campaigns.insert(slug.to_string(), c.clone());
        Ok(c)
    }

    fn fail(&mut self, line: usize, message: String) {
        self.report.errors.push(LineError { line, message });
    }

    /// Validates one parsed line and queues it; flushes a full batch.
    pub async fn add(&mut self, line_no: usize, line: StoryLine) -> Result<(), StoreError> {
        self.report.lines += 1;
        let Some(campaign) = self.campaign(&line.campaign).await? else {
            self.fail(
                line_no,
                format!("unknown campaign '{}': import its campaign file first", line.campaign),
            );
            return Ok(());
        };
        match prepare_line(&campaign, line, self.source) {
            Ok((story, tags)) => self.batch.push((line_no, story, tags)),
            Err(message) => {
                self.fail(line_no, message);
                return Ok(());
            }
        }
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Stores the queued lines in one transaction. If the batch fails on a rule (a duplicate
    /// external id inside the file), it is retried line by line so only the bad line is skipped.
    pub async fn flush(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let stories: Vec<NewStory> = batch.iter().map(|(_, s, _)| s.clone()).collect();
        match self.store.import_stories(&stories).await {
            Ok(c) => {
                self.report.counts.inserted += c.inserted;
                self.report.counts.updated += c.updated;
                let tagged: Vec<(String, String, Vec<super::LineTag>)> = batch
                    .into_iter()
                    .zip(c.ids)
                    .map(|((_, s, tags), id)| (id, s.campaign_id, tags))
                    .collect();
                self.store_tags(tagged).await?;
            }
            Err(StoreError::Conflict(_) | StoreError::Invalid(_)) => {
                for (line_no, story, tags) in batch {
                    match self.store.import_stories(std::slice::from_ref(&story)).await {
                        Ok(c) => {
                            self.report.counts.inserted += c.inserted;
                            self.report.counts.updated += c.updated;
                            let id = c.ids.into_iter().next().unwrap_or_default();
                            self.store_tags(vec![(id, story.campaign_id.clone(), tags)]).await?;
                        }
                        Err(StoreError::Conflict(rule)) => {
                            self.fail(line_no, format!("conflicts with a stored story ({rule})"))
                        }
                        Err(StoreError::Invalid(m)) => self.fail(line_no, m),
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// The theme of this name in the campaign's codebook, created when missing.
    async fn theme_id(&mut self, campaign_id: &str, name: &str) -> Result<String, StoreError> {
        let key = (campaign_id.to_string(), name.trim().to_lowercase());
        if let Some(id) = self.themes.get(&key) {
            return Ok(id.clone());
        }
        let existing = self.store.themes(Some(campaign_id)).await?;
        for t in existing.iter().filter(|t| t.merged_into.is_none()) {
            self.themes.insert((campaign_id.to_string(), t.name.to_lowercase()), t.id.clone());
        }
        if let Some(id) = self.themes.get(&key) {
            return Ok(id.clone());
        }
        let now = OffsetDateTime::now_utc();
        let colour = crate::domain::theme::PALETTE[existing.len() % crate::domain::theme::PALETTE.len()];
        let theme = crate::domain::theme::Theme {
            id: uuid::Uuid::new_v4().to_string(),
            campaign_id: Some(campaign_id.to_string()),
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            description: "Aangemaakt bij het importeren van gecodeerde verhalen.".into(),
            colour: colour.to_string(),
            parent_id: None,
            rule: None,
            merged_into: None,
            created_at: now,
            updated_at: now,
        };
        self.store.create_theme(&theme).await?;
        self.themes.insert(key, theme.id.clone());
        Ok(theme.id)
    }

    /// Stores the tags of imported lines (people's coding from elsewhere: `source = manual`
    /// unless the line says otherwise).
    async fn store_tags(
        &mut self,
        lines: Vec<(String, String, Vec<super::LineTag>)>,
    ) -> Result<(), StoreError> {
        use crate::domain::theme::{Tag, TagSource, TagState};
        let mut tags = Vec::new();
        for (story_id, campaign_id, line_tags) in lines {
            for t in line_tags {
                let theme_id = self.theme_id(&campaign_id, &t.theme).await?;
                tags.push(Tag {
                    story_id: story_id.clone(),
                    theme_id,
                    source: t.source.as_deref().and_then(TagSource::parse).unwrap_or(TagSource::Manual),
                    state: TagState::parse(&t.state).unwrap_or(TagState::Accepted),
                    confidence: t.confidence,
                    explanation: None,
                    by_user: None,
                    at: t.at.unwrap_or_else(OffsetDateTime::now_utc),
                });
            }
        }
        if !tags.is_empty() {
            self.store.set_tags(&tags).await?;
        }
        Ok(())
    }

    pub async fn finish(mut self) -> Result<ImportReport, StoreError> {
        self.flush().await?;
        self.report.errors.sort_by_key(|e| e.line);
        Ok(self.report)
    }

    pub fn progress(&self) -> &ImportReport {
        &self.report
    }
}

/// Checks one parsed line against its campaign and turns it into a story to store (with its
/// tags), or says what is wrong with it. No store: `Importer::add` looks the campaign up first
/// (public for the import fuzz targets).
#[doc(hidden)]
pub fn prepare_line(
    campaign: &Campaign,
    line: StoryLine,
    source: StorySource,
) -> Result<(NewStory, Vec<super::LineTag>), String> {
    if let Some(id) = &line.id
        && uuid::Uuid::parse_str(id).is_err()
    {
        return Err(format!("id '{id}' is not a UUID; leave it out to get a new one"));
    }
    for t in &line.tags {
        if !matches!(t.state.as_str(), "accepted" | "rejected" | "suggested") {
            return Err(format!("tag '{}': state must be accepted or rejected, not '{}'", t.theme, t.state));
        }
        if t.theme.trim().is_empty() {
            return Err("a tag has no theme name".into());
        }
        if t.source.as_deref().is_some_and(|s| crate::domain::theme::TagSource::parse(s).is_none()) {
            return Err(format!("tag '{}': source must be rule, model or manual", t.theme));
        }
    }
    let tags = line.tags;
    // Your key is shown and exported again: no control or direction characters in it.
    let external_id = line
        .external_id
        .map(|e| crate::domain::story::clean_text(&e).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|e| !e.is_empty());
    let sub = Submission {
        text: line.text,
        title: line.title,
        language: line.language,
        perspective: Some(line.perspective),
        age_band: line.age_band,
        region: line.region,
        prompt: line.prompt,
        consent: true,
        guardian_consent: true,
        answers: line.answers,
    };
    let prepared = collect::prepare(campaign, &sub, campaign.def.languages[0], Consent::GivenElsewhere)
        .map_err(|errors| describe(&errors))?;
    let created_at = line.created_at.unwrap_or_else(OffsetDateTime::now_utc);
    let mut story = prepared.into_new_story(campaign, source, None, None, external_id, created_at);
    if let Some(id) = line.id {
        story.id = id;
    }
    Ok((story, tags))
}

/// Imports JSON Lines from a reader. `on_line` is called after each line (for progress bars).
pub async fn import_jsonl(
    store: DynStore,
    reader: impl BufRead,
    source: StorySource,
    mut on_line: impl FnMut(usize, &ImportReport),
) -> anyhow::Result<ImportReport> {
    let mut importer = Importer::new(store, source);
    for (i, line) in reader.lines().enumerate() {
        let line_no = i + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<StoryLine>(&line) {
            Ok(parsed) => importer.add(line_no, parsed).await?,
            Err(e) => {
                importer.report.lines += 1;
                importer.fail(line_no, format!("not a valid story line: {e}"));
            }
        }
        on_line(line_no, importer.progress());
    }
    Ok(importer.finish().await?)
}

/// Imports CSV as written by `luister export --format csv`.
pub async fn import_csv(
    store: DynStore,
    reader: impl std::io::Read,
    source: StorySource,
    mut on_line: impl FnMut(usize, &ImportReport),
) -> anyhow::Result<ImportReport> {
    let mut importer = Importer::new(store, source);
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv.headers()?.clone();
    for (i, record) in csv.records().enumerate() {
        // Line 1 is the header.
        let line_no = i + 2;
        let parsed =
            record.map_err(|e| e.to_string()).and_then(|r| super::export::line_from_csv(&headers, &r));
        match parsed {
            Ok(line) => importer.add(line_no, line).await?,
            Err(e) => {
                importer.report.lines += 1;
                importer.fail(line_no, e);
            }
        }
        on_line(line_no, importer.progress());
    }
    Ok(importer.finish().await?)
}

/// Seed of the demo corpus: the same stories on every machine.
pub const DEMO_SEED: u64 = 20_261_123;

/// Loads the demo campaign, and `n` generated demo stories if it has none yet.
pub async fn load_demo(store: DynStore, n: usize) -> anyhow::Result<(Campaign, ImportReport)> {
    let def = crate::domain::CampaignDef::from_toml(DEMO_CAMPAIGN)?;
    let campaign = match store.campaign_by_slug(&def.slug).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => {
            store
                .save_campaign(&def, &AuditEntry::new(Actor::system(), AuditAction::CampaignChanged))
                .await?
                .0
        }
        Err(e) => return Err(e.into()),
    };
    if store.count_stories(&campaign.id).await? > 0 {
        return Ok((campaign, ImportReport::default()));
    }
    let mut importer = Importer::new(store, StorySource::Demo);
    for (i, story) in crate::demo::generate(n, DEMO_SEED).enumerate() {
        // One story in ten comes coded with its true themes, as if a facilitator had started:
        // the demo then shows a codebook, coded stories and suggestions learned from them.
        let coded: Vec<super::LineTag> = if i % 10 == 0 {
            story
                .true_themes
                .iter()
                .map(|t| super::LineTag {
                    theme: crate::demo::theme_name(t).to_string(),
                    state: "accepted".into(),
                    source: None,
                    confidence: None,
                    by: None,
                    at: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut line: StoryLine = demo_line(story)?;
        line.tags = coded;
        importer.add(i + 1, line).await?;
    }
    let report = importer.finish().await?;
    Ok((campaign, report))
}

/// The demo campaign definition shipped in the binary.
pub const DEMO_CAMPAIGN: &str = include_str!("../../campaigns/eigen-netwerk.toml");

/// A generated demo story as an import line (the generator writes the same fields).
pub fn demo_line(story: crate::demo::DemoStory) -> anyhow::Result<StoryLine> {
    let value: Value = serde_json::to_value(story)?;
    Ok(serde_json::from_value(value)?)
}
