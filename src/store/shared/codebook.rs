//! The codebook: themes, tags on stories (by people, rules and the model) and their history.
//! Every tag change appends an upsert event for its story, so the search index follows.

use super::stories::story_campaign;
use super::{Conn, append_event, utc};
use crate::domain::StoryEventKind;
use crate::domain::theme::{Tag, TagChange, TagSource, TagState, Theme};
use crate::store::rows::{TagHistoryRow, TagRow, ThemeRow};
use crate::store::{Result, StoreError, sql};
use sqlx::types::Json;
use std::collections::BTreeSet;
use time::OffsetDateTime;

pub async fn create_theme(c: &mut Conn, t: &Theme) -> Result<()> {
    sqlx::query(sql::INSERT_THEME)
        .bind(&t.id)
        .bind(&t.campaign_id)
        .bind(&t.name)
        .bind(&t.description)
        .bind(&t.colour)
        .bind(&t.parent_id)
        .bind(&t.rule)
        .bind(&t.merged_into)
        .bind(utc(t.created_at))
        .bind(utc(t.updated_at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn update_theme(c: &mut Conn, t: &Theme) -> Result<()> {
    let done = sqlx::query(sql::UPDATE_THEME)
        .bind(&t.id)
        .bind(&t.name)
        .bind(&t.description)
        .bind(&t.colour)
        .bind(&t.parent_id)
        .bind(&t.rule)
        .bind(&t.merged_into)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn theme(c: &mut Conn, id: &str) -> Result<Theme> {
    let row: ThemeRow = sqlx::query_as(sql::THEME).bind(id).fetch_one(&mut *c).await?;
    Ok(row.into())
}

pub async fn themes(c: &mut Conn, campaign_id: Option<&str>) -> Result<Vec<Theme>> {
    let rows: Vec<ThemeRow> = match campaign_id {
        Some(id) => sqlx::query_as(sql::THEMES_OF).bind(id).fetch_all(&mut *c).await?,
        None => sqlx::query_as(sql::THEMES_GLOBAL).fetch_all(&mut *c).await?,
    };
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Appends an upsert event for each story that still exists.
async fn reindex(c: &mut Conn, stories: impl IntoIterator<Item = &String>) -> Result<()> {
    for s in stories {
        if let Some(campaign) = story_campaign(c, s).await? {
            append_event(c, s, &campaign, StoryEventKind::Upsert).await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn history(
    c: &mut Conn,
    story_id: &str,
    theme_id: &str,
    source: &str,
    state: Option<&str>,
    confidence: Option<f64>,
    by_user: Option<&str>,
    action: &str,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(sql::INSERT_TAG_HISTORY)
        .bind(story_id)
        .bind(theme_id)
        .bind(source)
        .bind(state)
        .bind(confidence)
        .bind(by_user)
        .bind(action)
        .bind(utc(at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

async fn upsert_tag(c: &mut Conn, t: &Tag) -> Result<()> {
    sqlx::query(sql::UPSERT_TAG)
        .bind(&t.story_id)
        .bind(&t.theme_id)
        .bind(t.source.as_str())
        .bind(t.state.as_str())
        .bind(t.confidence)
        .bind(t.explanation.as_ref().map(Json))
        .bind(&t.by_user)
        .bind(utc(t.at))
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Inserts or replaces a tag and writes its history line.
async fn write_tag(c: &mut Conn, t: &Tag) -> Result<()> {
    upsert_tag(c, t).await?;
    let (source, state) = (t.source.as_str(), Some(t.state.as_str()));
    history(c, &t.story_id, &t.theme_id, source, state, t.confidence, t.by_user.as_deref(), "set", t.at).await
}

pub async fn merge_themes(c: &mut Conn, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
    let tags: Vec<TagRow> = sqlx::query_as(sql::TAGS_OF_THEME).bind(from).fetch_all(&mut *c).await?;
    let now = OffsetDateTime::now_utc();
    let mut stories = BTreeSet::new();
    let mut moved = 0u64;
    for t in &tags {
        let exists: i64 = sqlx::query_scalar(sql::TAG_EXISTS)
            .bind(&t.story_id)
            .bind(into)
            .bind(&t.source)
            .fetch_one(&mut *c)
            .await?;
        if exists == 0 {
            sqlx::query(sql::MOVE_TAG)
                .bind(&t.story_id)
                .bind(from)
                .bind(into)
                .bind(&t.source)
                .execute(&mut *c)
                .await?;
            moved += 1;
        } else {
            sqlx::query(sql::DELETE_TAG)
                .bind(&t.story_id)
                .bind(from)
                .bind(&t.source)
                .execute(&mut *c)
                .await?;
        }
        history(c, &t.story_id, from, &t.source, None, t.confidence, by_user, "moved", now).await?;
        history(c, &t.story_id, into, &t.source, Some(t.state.as_str()), t.confidence, by_user, "set", now)
            .await?;
        stories.insert(t.story_id.clone());
    }
    sqlx::query(sql::MARK_THEME_MERGED).bind(from).bind(into).bind(now).execute(&mut *c).await?;
    reindex(c, &stories).await?;
    Ok(moved)
}

pub async fn tags_for_story(c: &mut Conn, story_id: &str) -> Result<Vec<Tag>> {
    let rows: Vec<TagRow> = sqlx::query_as(sql::TAGS_OF_STORY).bind(story_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn tags_for_stories(c: &mut Conn, story_ids: &[String]) -> Result<Vec<Tag>> {
    let mut out = Vec::new();
    for chunk in story_ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
        let mut q = sqlx::query_as::<_, TagRow>(sql::TAGS_BY_STORIES);
        for i in 0..sql::STORIES_BY_IDS_CHUNK {
            q = q.bind(chunk.get(i).cloned());
        }
        for r in q.fetch_all(&mut *c).await? {
            out.push(r.try_into()?);
        }
    }
    Ok(out)
}

pub async fn tags_for_campaign(c: &mut Conn, campaign_id: &str) -> Result<Vec<Tag>> {
    let rows: Vec<TagRow> =
        sqlx::query_as(sql::TAGS_OF_CAMPAIGN).bind(campaign_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn set_tags(c: &mut Conn, tags: &[Tag]) -> Result<()> {
    let mut stories = BTreeSet::new();
    for t in tags {
        write_tag(c, t).await?;
        stories.insert(t.story_id.clone());
    }
    for s in &stories {
        // A tag on a story that does not exist is an error, not a silent skip.
        let campaign = story_campaign(c, s).await?.ok_or(StoreError::NotFound)?;
        append_event(c, s, &campaign, StoryEventKind::Upsert).await?;
    }
    Ok(())
}

pub async fn remove_tag(
    c: &mut Conn,
    story_id: &str,
    theme_id: &str,
    source: TagSource,
    by_user: Option<&str>,
) -> Result<()> {
    let done = sqlx::query(sql::DELETE_TAG)
        .bind(story_id)
        .bind(theme_id)
        .bind(source.as_str())
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    history(
        c,
        story_id,
        theme_id,
        source.as_str(),
        None,
        None,
        by_user,
        "removed",
        OffsetDateTime::now_utc(),
    )
    .await?;
    let campaign = story_campaign(c, story_id).await?.ok_or(StoreError::NotFound)?;
    append_event(c, story_id, &campaign, StoryEventKind::Upsert).await
}

pub async fn replace_rule_tags(c: &mut Conn, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
    let current: Vec<TagRow> =
        sqlx::query_as(sql::TAGS_OF_THEME_SOURCE).bind(theme_id).bind("rule").fetch_all(&mut *c).await?;
    let have: BTreeSet<&str> = current.iter().map(|t| t.story_id.as_str()).collect();
    let want: BTreeSet<&str> = story_ids.iter().map(String::as_str).collect();
    let now = OffsetDateTime::now_utc();
    let mut touched = Vec::new();
    let mut removed = 0u64;
    for gone in have.difference(&want) {
        sqlx::query(sql::DELETE_TAG).bind(*gone).bind(theme_id).bind("rule").execute(&mut *c).await?;
        history(c, gone, theme_id, "rule", None, None, None, "removed", now).await?;
        touched.push(gone.to_string());
        removed += 1;
    }
    let mut added = 0u64;
    for new in want.difference(&have) {
        let tag = Tag {
            story_id: new.to_string(),
            theme_id: theme_id.to_string(),
            source: TagSource::Rule,
            state: TagState::Accepted,
            confidence: None,
            explanation: None,
            by_user: None,
            at: now,
        };
        write_tag(c, &tag).await?;
        touched.push(new.to_string());
        added += 1;
    }
    reindex(c, &touched).await?;
    Ok((added, removed))
}

pub async fn replace_suggestions(c: &mut Conn, theme_ids: &[String], suggestions: &[Tag]) -> Result<u64> {
    let mut touched = BTreeSet::new();
    for theme in theme_ids {
        let gone: Vec<String> =
            sqlx::query_scalar(sql::DELETE_SUGGESTIONS).bind(theme).fetch_all(&mut *c).await?;
        touched.extend(gone);
    }
    let mut written = 0u64;
    for t in suggestions {
        // A person's decision on this story and theme stands: no new suggestion over it.
        let decided: i64 = sqlx::query_scalar(sql::TAG_EXISTS)
            .bind(&t.story_id)
            .bind(&t.theme_id)
            .bind("model")
            .fetch_one(&mut *c)
            .await?;
        if decided > 0 {
            continue;
        }
        upsert_tag(c, t).await?;
        touched.insert(t.story_id.clone());
        written += 1;
    }
    reindex(c, &touched).await?;
    Ok(written)
}

pub async fn tag_history(c: &mut Conn, story_id: &str) -> Result<Vec<TagChange>> {
    let rows: Vec<TagHistoryRow> = sqlx::query_as(sql::TAG_HISTORY).bind(story_id).fetch_all(&mut *c).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn last_manual_coding(c: &mut Conn, campaign_id: &str) -> Result<Option<OffsetDateTime>> {
    Ok(sqlx::query_scalar(sql::LAST_MANUAL_CODING).bind(campaign_id).fetch_optional(&mut *c).await?)
}

/// Reads on a pooled connection; the writes are the trait's default methods (a transaction).
#[async_trait::async_trait]
impl crate::store::CodebookStore for super::Backend {
    async fn theme(&self, id: &str) -> Result<Theme> {
        theme(&mut *self.reader().await?, id).await
    }
    async fn themes(&self, campaign_id: Option<&str>) -> Result<Vec<Theme>> {
        themes(&mut *self.reader().await?, campaign_id).await
    }
    async fn tags_for_story(&self, story_id: &str) -> Result<Vec<Tag>> {
        tags_for_story(&mut *self.reader().await?, story_id).await
    }
    async fn tags_for_stories(&self, story_ids: &[String]) -> Result<Vec<Tag>> {
        tags_for_stories(&mut *self.reader().await?, story_ids).await
    }
    async fn tags_for_campaign(&self, campaign_id: &str) -> Result<Vec<Tag>> {
        tags_for_campaign(&mut *self.reader().await?, campaign_id).await
    }
    async fn tag_history(&self, story_id: &str) -> Result<Vec<TagChange>> {
        tag_history(&mut *self.reader().await?, story_id).await
    }
    async fn last_manual_coding(&self, campaign_id: &str) -> Result<Option<OffsetDateTime>> {
        last_manual_coding(&mut *self.reader().await?, campaign_id).await
    }
}
