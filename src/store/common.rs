//! The `Store` methods whose SQL and logic are the same on SQLite and PostgreSQL, written once.
//!
//! Why a macro: sqlx types differ per backend (`SqlitePool` vs `PgPool`) and making this code
//! generic over `sqlx::Database` runs into trait-bound dead ends (sqlx #1220, #3150); two
//! hand-kept copies drift apart. `impl_store!` expands the shared methods inside each backend's
//! `impl Store`, next to the few that really differ (migrations, durability checks), which the
//! backend passes in. Each backend provides `self.reader()`, `self.begin()` and a free
//! `append_event(tx, story_id, campaign_id, kind)`.

macro_rules! impl_store {
    ($store:ty, $db:ty, { $($specific:tt)* }) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            $($specific)*

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await.map_err(map_err)?;
                Ok(())
            }

            async fn save_campaign(&self, def: &CampaignDef, audit: &AuditEntry) -> Result<(Campaign, Saved)> {
                let mut tx = self.begin().await?;
                let existing: Option<CampaignRow> = sqlx::query_as(sql::CAMPAIGN_BY_SLUG)
                    .bind(&def.slug)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let now = OffsetDateTime::now_utc();
                let (id, saved) = match existing {
                    Some(row) => {
                        let merged =
                            row.definition.0.merged_update(def.clone()).map_err(|e| StoreError::Invalid(e.0))?;
                        sqlx::query(sql::UPDATE_CAMPAIGN)
                            .bind(&row.id)
                            .bind(merged.status.as_str())
                            .bind(Json(&merged))
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        (row.id, Saved::Updated)
                    }
                    None => {
                        def.validate().map_err(|e| StoreError::Invalid(e.0))?;
                        let id = uuid::Uuid::new_v4().to_string();
                        sqlx::query(sql::INSERT_CAMPAIGN)
                            .bind(&id)
                            .bind(&def.slug)
                            .bind(def.status.as_str())
                            .bind(Json(def))
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        (id, Saved::Created)
                    }
                };
                let row: CampaignRow =
                    sqlx::query_as(sql::CAMPAIGN_BY_ID).bind(&id).fetch_one(&mut *tx).await.map_err(map_err)?;
                let mut entry = audit.clone().target(format!("campaign:{id}")).campaign(id.clone());
                if saved == Saved::Created {
                    entry.action = AuditAction::CampaignCreated;
                }
                write_audit(&mut tx, &entry).await?;
                tx.commit().await.map_err(map_err)?;
                Ok((row.into(), saved))
            }

            async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign> {
                let row: CampaignRow =
                    sqlx::query_as(sql::CAMPAIGN_BY_SLUG).bind(slug).fetch_one(self.reader()).await.map_err(map_err)?;
                Ok(row.into())
            }

            async fn campaign(&self, id: &str) -> Result<Campaign> {
                let row: CampaignRow =
                    sqlx::query_as(sql::CAMPAIGN_BY_ID).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                Ok(row.into())
            }

            async fn campaigns(&self) -> Result<Vec<Campaign>> {
                let rows: Vec<CampaignRow> =
                    sqlx::query_as(sql::CAMPAIGNS).fetch_all(self.reader()).await.map_err(map_err)?;
                Ok(rows.into_iter().map(Campaign::from).collect())
            }

            async fn insert_story(&self, story: &NewStory) -> Result<()> {
                let mut tx = self.begin().await?;
                bind_story(sqlx::query(sql::INSERT_STORY), story).execute(&mut *tx).await.map_err(map_err)?;
                append_event(&mut tx, &story.id, &story.campaign_id, StoryEventKind::Upsert).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn import_stories(&self, stories: &[NewStory]) -> Result<ImportCounts> {
                let mut tx = self.begin().await?;
                let mut counts = ImportCounts::default();
                for s in stories {
                    let existing: Option<String> = match &s.external_id {
                        Some(ext) => sqlx::query_scalar(sql::FIND_EXTERNAL)
                            .bind(&s.campaign_id)
                            .bind(ext)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(map_err)?,
                        None => sqlx::query_scalar(sql::FIND_ID)
                            .bind(&s.campaign_id)
                            .bind(&s.id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(map_err)?,
                    };
                    let id = match existing {
                        Some(id) => {
                            sqlx::query(sql::UPDATE_IMPORTED)
                                .bind(&id)
                                .bind(&s.title)
                                .bind(&s.text)
                                .bind(&s.language)
                                .bind(s.perspective.as_str())
                                .bind(s.age_band.map(|a| a.code()))
                                .bind(&s.region)
                                .bind(&s.municipality)
                                .bind(&s.prompt_id)
                                .bind(Json(&s.answers))
                                .bind(s.form_version)
                                .bind(utc(s.created_at))
                                .bind(signals_json(&s.safeguarding))
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                            counts.updated += 1;
                            id
                        }
                        None => {
                            bind_story(sqlx::query(sql::INSERT_STORY), s).execute(&mut *tx).await.map_err(map_err)?;
                            counts.inserted += 1;
                            s.id.clone()
                        }
                    };
                    append_event(&mut tx, &id, &s.campaign_id, StoryEventKind::Upsert).await?;
                    counts.ids.push(id);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(counts)
            }

            async fn story(&self, id: &str) -> Result<Story> {
                let row: StoryRow =
                    sqlx::query_as(sql::STORY_BY_ID).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                row.try_into()
            }

            async fn story_by_receipt(&self, receipt_hash: &str) -> Result<Story> {
                let row: StoryRow = sqlx::query_as(sql::STORY_BY_RECEIPT)
                    .bind(receipt_hash)
                    .fetch_one(self.reader())
                    .await
                    .map_err(map_err)?;
                row.try_into()
            }

            async fn delete_story(&self, id: &str, audit: &AuditEntry) -> Result<()> {
                let mut tx = self.begin().await?;
                let campaign_id: String =
                    sqlx::query_scalar(sql::DELETE_STORY).bind(id).fetch_one(&mut *tx).await.map_err(map_err)?;
                append_event(&mut tx, id, &campaign_id, StoryEventKind::Delete).await?;
                write_audit(&mut tx, &audit.clone().target(format!("story:{id}")).campaign(campaign_id)).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn count_stories(&self, campaign_id: &str) -> Result<i64> {
                sqlx::query_scalar(sql::COUNT_STORIES).bind(campaign_id).fetch_one(self.reader()).await.map_err(map_err)
            }

            async fn stories_page(
                &self,
                campaign_id: &str,
                after: Option<&StoryCursor>,
                limit: i64,
            ) -> Result<Vec<Story>> {
                let rows: Vec<StoryRow> = match after {
                    None => sqlx::query_as(sql::STORIES_FIRST_PAGE)
                        .bind(campaign_id)
                        .bind(limit)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?,
                    Some(c) => sqlx::query_as(sql::STORIES_PAGE_AFTER)
                        .bind(campaign_id)
                        .bind(utc(c.created_at))
                        .bind(&c.id)
                        .bind(limit)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?,
                };
                rows::stories(rows)
            }

            async fn stories_newest(&self, campaign_id: &str, f: &StoryFilter) -> Result<(Vec<Story>, i64)> {
                let perspective = f.perspective.map(|p| p.as_str());
                let rows: Vec<StoryRow> = sqlx::query_as(sql::STORIES_NEWEST)
                    .bind(campaign_id)
                    .bind(perspective)
                    .bind(f.flagged)
                    .bind(f.limit)
                    .bind(f.offset)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                let total: i64 = sqlx::query_scalar(sql::COUNT_NEWEST)
                    .bind(campaign_id)
                    .bind(perspective)
                    .bind(f.flagged)
                    .fetch_one(self.reader())
                    .await
                    .map_err(map_err)?;
                Ok((rows::stories(rows)?, total))
            }

            async fn count_by_perspective(&self, campaign_id: &str) -> Result<Vec<(Perspective, i64)>> {
                let rows: Vec<(String, i64)> = sqlx::query_as(sql::COUNT_BY_PERSPECTIVE)
                    .bind(campaign_id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                Ok(rows.into_iter().filter_map(|(p, n)| Perspective::parse(&p).map(|p| (p, n))).collect())
            }

            async fn delete_stories_before(
                &self,
                campaign_id: &str,
                cutoff: OffsetDateTime,
                audit: &AuditEntry,
            ) -> Result<Vec<String>> {
                let mut tx = self.begin().await?;
                let ids: Vec<String> = sqlx::query_scalar(sql::DELETE_BEFORE)
                    .bind(campaign_id)
                    .bind(utc(cutoff))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if ids.is_empty() {
                    return Ok(ids);
                }
                for id in &ids {
                    append_event(&mut tx, id, campaign_id, StoryEventKind::Delete).await?;
                }
                let mut entry = audit.clone().target(format!("campaign:{campaign_id}")).campaign(campaign_id);
                if let serde_json::Value::Object(map) = &mut entry.details {
                    map.insert("deleted".into(), serde_json::json!(ids.len()));
                }
                write_audit(&mut tx, &entry).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(ids)
            }

            async fn story_events(&self, story_id: &str) -> Result<Vec<StoryEvent>> {
                let rows: Vec<EventRow> = sqlx::query_as(sql::STORY_EVENTS)
                    .bind(story_id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                rows.into_iter().map(StoryEvent::try_from).collect()
            }

            async fn count_users(&self) -> Result<i64> {
                sqlx::query_scalar(sql::COUNT_USERS).fetch_one(self.reader()).await.map_err(map_err)
            }

            async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User> {
                let mut tx = self.begin().await?;
                let id = uuid::Uuid::new_v4().to_string();
                let now = OffsetDateTime::now_utc();
                sqlx::query(sql::INSERT_USER)
                    .bind(&id)
                    .bind(&user.email)
                    .bind(&user.name)
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let entry = audit
                    .clone()
                    .target(format!("user:{id}"))
                    .details(serde_json::json!({ "email": user.email, "role": user.role.as_str() }));
                write_audit(&mut tx, &entry).await?;
                let row: UserRow =
                    sqlx::query_as(sql::USER_BY_ID).bind(&id).fetch_one(&mut *tx).await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                row.try_into()
            }

            async fn user(&self, id: &str) -> Result<User> {
                let row: UserRow =
                    sqlx::query_as(sql::USER_BY_ID).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                row.try_into()
            }

            async fn user_by_email(&self, email: &str) -> Result<(User, String)> {
                let row: UserWithHashRow =
                    sqlx::query_as(sql::USER_BY_EMAIL).bind(email).fetch_one(self.reader()).await.map_err(map_err)?;
                row.try_into()
            }

            async fn users(&self) -> Result<Vec<User>> {
                let rows: Vec<UserRow> = sqlx::query_as(sql::USERS).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(User::try_from).collect()
            }

            async fn update_user(&self, id: &str, change: &UserChange, audit: &AuditEntry) -> Result<User> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::UPDATE_USER)
                    .bind(id)
                    .bind(&change.name)
                    .bind(change.role.map(|r| r.as_str()))
                    .bind(change.disabled)
                    .bind(&change.password_hash)
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                // Never the hash in the log: only which fields changed.
                let entry = audit.clone().target(format!("user:{id}")).details(serde_json::json!({
                    "name": change.name.is_some(),
                    "role": change.role.map(|r| r.as_str()),
                    "disabled": change.disabled,
                    "password": change.password_hash.is_some(),
                }));
                write_audit(&mut tx, &entry).await?;
                let row: UserRow =
                    sqlx::query_as(sql::USER_BY_ID).bind(id).fetch_one(&mut *tx).await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                row.try_into()
            }

            async fn memberships(&self, user_id: &str) -> Result<Vec<String>> {
                sqlx::query_scalar(sql::MEMBERSHIPS).bind(user_id).fetch_all(self.reader()).await.map_err(map_err)
            }

            async fn campaign_members(&self, campaign_id: &str) -> Result<Vec<User>> {
                let rows: Vec<UserRow> =
                    sqlx::query_as(sql::CAMPAIGN_MEMBERS).bind(campaign_id).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(User::try_from).collect()
            }

            async fn set_membership(&self, campaign_id: &str, user_id: &str, member: bool, audit: &AuditEntry) -> Result<()> {
                let mut tx = self.begin().await?;
                let q = if member { sql::ADD_MEMBER } else { sql::REMOVE_MEMBER };
                sqlx::query(q).bind(campaign_id).bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
                let entry = audit
                    .clone()
                    .target(format!("user:{user_id}"))
                    .campaign(campaign_id)
                    .details(serde_json::json!({ "member": member }));
                write_audit(&mut tx, &entry).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn create_session(&self, id_hash: &str, user_id: &str, now: OffsetDateTime) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::INSERT_SESSION)
                    .bind(id_hash)
                    .bind(user_id)
                    .bind(utc(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn session(&self, id_hash: &str) -> Result<SessionRecord> {
                let row: SessionRow =
                    sqlx::query_as(sql::SESSION).bind(id_hash).fetch_one(self.reader()).await.map_err(map_err)?;
                row.try_into()
            }

            async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::TOUCH_SESSION).bind(id_hash).bind(utc(now)).execute(&mut *tx).await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn delete_session(&self, id_hash: &str) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::DELETE_SESSION).bind(id_hash).execute(&mut *tx).await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn delete_user_sessions(&self, user_id: &str) -> Result<u64> {
                let mut tx = self.begin().await?;
                let done =
                    sqlx::query(sql::DELETE_USER_SESSIONS).bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(done.rows_affected())
            }

            async fn purge_sessions(&self, idle_before: OffsetDateTime, created_before: OffsetDateTime) -> Result<u64> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::PURGE_SESSIONS)
                    .bind(utc(idle_before))
                    .bind(utc(created_before))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(done.rows_affected())
            }

            async fn audit(&self, entry: &AuditEntry) -> Result<()> {
                let mut tx = self.begin().await?;
                write_audit(&mut tx, entry).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditRecord>> {
                let rows: Vec<AuditRow> = sqlx::query_as(sql::AUDIT_ENTRIES)
                    .bind(f.since.map(utc))
                    .bind(f.action.map(|a| a.as_str()))
                    .bind(&f.actor)
                    .bind(&f.campaign_id)
                    .bind(if f.limit > 0 { f.limit } else { 500 })
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                Ok(rows.into_iter().map(AuditRecord::from).collect())
            }

            async fn add_follow_up(&self, fu: &FollowUp, audit: &AuditEntry) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::INSERT_FOLLOW_UP)
                    .bind(&fu.id)
                    .bind(&fu.story_id)
                    .bind(&fu.campaign_id)
                    .bind(&fu.user_id)
                    .bind(&fu.user_email)
                    .bind(fu.action.as_str())
                    .bind(&fu.note)
                    .bind(utc(fu.at))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let entry = audit
                    .clone()
                    .target(format!("story:{}", fu.story_id))
                    .campaign(fu.campaign_id.clone())
                    .details(serde_json::json!({ "action": fu.action.as_str() }));
                write_audit(&mut tx, &entry).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn follow_ups(&self, story_id: &str) -> Result<Vec<FollowUp>> {
                let rows: Vec<FollowUpRow> =
                    sqlx::query_as(sql::FOLLOW_UPS).bind(story_id).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(FollowUp::try_from).collect()
            }

            async fn flagged_stories(&self, campaign_id: &str, all: bool) -> Result<Vec<Story>> {
                let rows: Vec<StoryRow> = sqlx::query_as(sql::FLAGGED_STORIES)
                    .bind(campaign_id)
                    .bind(all)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                rows::stories(rows)
            }

            async fn create_story_set(&self, set: &crate::domain::story_set::StorySet) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::INSERT_STORY_SET)
                    .bind(&set.id)
                    .bind(&set.name)
                    .bind(&set.query)
                    .bind(&set.campaign_id)
                    .bind(set.story_ids.as_ref().map(Json))
                    .bind(&set.created_by)
                    .bind(utc(set.created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn story_set(&self, id: &str) -> Result<crate::domain::story_set::StorySet> {
                let row: rows::StorySetRow =
                    sqlx::query_as(sql::STORY_SET).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                Ok(row.into())
            }

            async fn story_sets(
                &self,
                user_id: &str,
                campaign_ids: &[String],
                all: bool,
            ) -> Result<Vec<crate::domain::story_set::StorySet>> {
                let rows: Vec<rows::StorySetRow> = if all {
                    sqlx::query_as(sql::STORY_SETS_ALL).fetch_all(self.reader()).await
                } else {
                    // Own sets plus the sets of the viewer's campaigns; few enough to filter here.
                    sqlx::query_as(sql::STORY_SETS_ALL).fetch_all(self.reader()).await.map(|rows: Vec<rows::StorySetRow>| {
                        rows.into_iter()
                            .filter(|r| {
                                r.created_by.as_deref() == Some(user_id)
                                    || r.campaign_id.as_ref().is_some_and(|c| campaign_ids.contains(c))
                            })
                            .collect()
                    })
                }
                .map_err(map_err)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn rename_story_set(&self, id: &str, name: &str) -> Result<()> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::RENAME_STORY_SET)
                    .bind(id)
                    .bind(name)
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn delete_story_set(&self, id: &str) -> Result<()> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::DELETE_STORY_SET).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn create_theme(&self, t: &crate::domain::theme::Theme) -> Result<()> {
                let mut tx = self.begin().await?;
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
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn update_theme(&self, t: &crate::domain::theme::Theme) -> Result<()> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::UPDATE_THEME)
                    .bind(&t.id)
                    .bind(&t.name)
                    .bind(&t.description)
                    .bind(&t.colour)
                    .bind(&t.parent_id)
                    .bind(&t.rule)
                    .bind(&t.merged_into)
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn theme(&self, id: &str) -> Result<crate::domain::theme::Theme> {
                let row: rows::ThemeRow =
                    sqlx::query_as(sql::THEME).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                Ok(row.into())
            }

            async fn themes(&self, campaign_id: Option<&str>) -> Result<Vec<crate::domain::theme::Theme>> {
                let rows: Vec<rows::ThemeRow> = match campaign_id {
                    Some(c) => sqlx::query_as(sql::THEMES_OF).bind(c).fetch_all(self.reader()).await,
                    None => sqlx::query_as(sql::THEMES_GLOBAL).fetch_all(self.reader()).await,
                }
                .map_err(map_err)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn merge_themes(&self, from: &str, into: &str, by_user: Option<&str>) -> Result<u64> {
                let mut tx = self.begin().await?;
                let tags: Vec<rows::TagRow> =
                    sqlx::query_as(sql::TAGS_OF_THEME).bind(from).fetch_all(&mut *tx).await.map_err(map_err)?;
                let now = OffsetDateTime::now_utc();
                let mut stories = std::collections::BTreeSet::new();
                let mut moved = 0u64;
                for t in &tags {
                    let exists: i64 = sqlx::query_scalar(sql::TAG_EXISTS)
                        .bind(&t.story_id)
                        .bind(into)
                        .bind(&t.source)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if exists == 0 {
                        sqlx::query(sql::MOVE_TAG)
                            .bind(&t.story_id)
                            .bind(from)
                            .bind(into)
                            .bind(&t.source)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        moved += 1;
                    } else {
                        sqlx::query(sql::DELETE_TAG).bind(&t.story_id).bind(from).bind(&t.source).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    for (theme, state, action) in [(from, None, "moved"), (into, Some(t.state.as_str()), "set")] {
                        sqlx::query(sql::INSERT_TAG_HISTORY)
                            .bind(&t.story_id)
                            .bind(theme)
                            .bind(&t.source)
                            .bind(state)
                            .bind(t.confidence)
                            .bind(by_user)
                            .bind(action)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    stories.insert(t.story_id.clone());
                }
                sqlx::query("UPDATE themes SET merged_into = $2, updated_at = $3 WHERE id = $1")
                    .bind(from)
                    .bind(into)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                for s in &stories {
                    let campaign: String =
                        sqlx::query_scalar(sql::STORY_CAMPAIGN).bind(s).fetch_one(&mut *tx).await.map_err(map_err)?;
                    append_event(&mut tx, s, &campaign, StoryEventKind::Upsert).await?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(moved)
            }

            async fn tags_for_story(&self, story_id: &str) -> Result<Vec<crate::domain::theme::Tag>> {
                let rows: Vec<rows::TagRow> =
                    sqlx::query_as(sql::TAGS_OF_STORY).bind(story_id).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn tags_for_stories(&self, story_ids: &[String]) -> Result<Vec<crate::domain::theme::Tag>> {
                let mut out = Vec::new();
                for chunk in story_ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
                    let mut q = sqlx::query_as::<_, rows::TagRow>(sql::TAGS_BY_STORIES);
                    for i in 0..sql::STORIES_BY_IDS_CHUNK {
                        q = q.bind(chunk.get(i).cloned());
                    }
                    for r in q.fetch_all(self.reader()).await.map_err(map_err)? {
                        out.push(r.try_into()?);
                    }
                }
                Ok(out)
            }

            async fn tags_for_campaign(&self, campaign_id: &str) -> Result<Vec<crate::domain::theme::Tag>> {
                let rows: Vec<rows::TagRow> = sqlx::query_as(sql::TAGS_OF_CAMPAIGN)
                    .bind(campaign_id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn set_tags(&self, tags: &[crate::domain::theme::Tag]) -> Result<()> {
                let mut tx = self.begin().await?;
                let mut stories = std::collections::BTreeMap::new();
                for t in tags {
                    write_tag(&mut tx, t).await?;
                    stories.insert(t.story_id.clone(), ());
                }
                for s in stories.keys() {
                    let campaign: String =
                        sqlx::query_scalar(sql::STORY_CAMPAIGN).bind(s).fetch_one(&mut *tx).await.map_err(map_err)?;
                    append_event(&mut tx, s, &campaign, StoryEventKind::Upsert).await?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn remove_tag(
                &self,
                story_id: &str,
                theme_id: &str,
                source: crate::domain::theme::TagSource,
                by_user: Option<&str>,
            ) -> Result<()> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::DELETE_TAG)
                    .bind(story_id)
                    .bind(theme_id)
                    .bind(source.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query(sql::INSERT_TAG_HISTORY)
                    .bind(story_id)
                    .bind(theme_id)
                    .bind(source.as_str())
                    .bind(Option::<String>::None)
                    .bind(Option::<f64>::None)
                    .bind(by_user)
                    .bind("removed")
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let campaign: String =
                    sqlx::query_scalar(sql::STORY_CAMPAIGN).bind(story_id).fetch_one(&mut *tx).await.map_err(map_err)?;
                append_event(&mut tx, story_id, &campaign, StoryEventKind::Upsert).await?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn replace_rule_tags(&self, theme_id: &str, story_ids: &[String]) -> Result<(u64, u64)> {
                let mut tx = self.begin().await?;
                let current: Vec<rows::TagRow> = sqlx::query_as(sql::TAGS_OF_THEME_SOURCE)
                    .bind(theme_id)
                    .bind("rule")
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let have: std::collections::BTreeSet<&str> = current.iter().map(|t| t.story_id.as_str()).collect();
                let want: std::collections::BTreeSet<&str> = story_ids.iter().map(String::as_str).collect();
                let now = OffsetDateTime::now_utc();
                let mut touched = Vec::new();
                let mut removed = 0u64;
                for gone in have.difference(&want) {
                    sqlx::query(sql::DELETE_TAG).bind(*gone).bind(theme_id).bind("rule").execute(&mut *tx).await.map_err(map_err)?;
                    sqlx::query(sql::INSERT_TAG_HISTORY)
                        .bind(*gone)
                        .bind(theme_id)
                        .bind("rule")
                        .bind(Option::<String>::None)
                        .bind(Option::<f64>::None)
                        .bind(Option::<String>::None)
                        .bind("removed")
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    touched.push(gone.to_string());
                    removed += 1;
                }
                let mut added = 0u64;
                for new in want.difference(&have) {
                    let tag = crate::domain::theme::Tag {
                        story_id: new.to_string(),
                        theme_id: theme_id.to_string(),
                        source: crate::domain::theme::TagSource::Rule,
                        state: crate::domain::theme::TagState::Accepted,
                        confidence: None,
                        explanation: None,
                        by_user: None,
                        at: now,
                    };
                    write_tag(&mut tx, &tag).await?;
                    touched.push(new.to_string());
                    added += 1;
                }
                for s in &touched {
                    if let Some(campaign) = sqlx::query_scalar::<_, String>(sql::STORY_CAMPAIGN)
                        .bind(s)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                    {
                        append_event(&mut tx, s, &campaign, StoryEventKind::Upsert).await?;
                    }
                }
                tx.commit().await.map_err(map_err)?;
                Ok((added, removed))
            }

            async fn replace_suggestions(&self, theme_ids: &[String], suggestions: &[crate::domain::theme::Tag]) -> Result<u64> {
                let mut tx = self.begin().await?;
                let mut touched = std::collections::BTreeSet::new();
                for theme in theme_ids {
                    let gone: Vec<String> =
                        sqlx::query_scalar(sql::DELETE_SUGGESTIONS).bind(theme).fetch_all(&mut *tx).await.map_err(map_err)?;
                    touched.extend(gone);
                }
                let mut written = 0u64;
                for t in suggestions {
                    // A person's decision on this story and theme stands: no new suggestion over it.
                    let decided: i64 = sqlx::query_scalar(sql::TAG_EXISTS)
                        .bind(&t.story_id)
                        .bind(&t.theme_id)
                        .bind("model")
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if decided > 0 {
                        continue;
                    }
                    sqlx::query(sql::UPSERT_TAG)
                        .bind(&t.story_id)
                        .bind(&t.theme_id)
                        .bind(t.source.as_str())
                        .bind(t.state.as_str())
                        .bind(t.confidence)
                        .bind(t.explanation.as_ref().map(Json))
                        .bind(&t.by_user)
                        .bind(utc(t.at))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    touched.insert(t.story_id.clone());
                    written += 1;
                }
                for s in &touched {
                    if let Some(campaign) = sqlx::query_scalar::<_, String>(sql::STORY_CAMPAIGN)
                        .bind(s)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                    {
                        append_event(&mut tx, s, &campaign, StoryEventKind::Upsert).await?;
                    }
                }
                tx.commit().await.map_err(map_err)?;
                Ok(written)
            }

            async fn tag_history(&self, story_id: &str) -> Result<Vec<crate::domain::theme::TagChange>> {
                let rows: Vec<rows::TagHistoryRow> =
                    sqlx::query_as(sql::TAG_HISTORY).bind(story_id).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn last_manual_coding(&self, campaign_id: &str) -> Result<Option<OffsetDateTime>> {
                sqlx::query_scalar(sql::LAST_MANUAL_CODING)
                    .bind(campaign_id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(map_err)
            }

            async fn create_sample(&self, s: &crate::domain::job::CodingSample) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::INSERT_SAMPLE)
                    .bind(&s.id)
                    .bind(&s.campaign_id)
                    .bind(&s.name)
                    .bind(Json(&s.story_ids))
                    .bind(Json(&s.theme_ids))
                    .bind(&s.created_by)
                    .bind(utc(s.created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn sample(&self, id: &str) -> Result<crate::domain::job::CodingSample> {
                let row: rows::SampleRow =
                    sqlx::query_as(sql::SAMPLE).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                Ok(row.into())
            }

            async fn samples(&self, campaign_id: &str) -> Result<Vec<crate::domain::job::CodingSample>> {
                let rows: Vec<rows::SampleRow> =
                    sqlx::query_as(sql::SAMPLES).bind(campaign_id).fetch_all(self.reader()).await.map_err(map_err)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn record_codings(&self, sample_id: &str, codings: &[crate::domain::job::SampleCoding]) -> Result<()> {
                let mut tx = self.begin().await?;
                let now = OffsetDateTime::now_utc();
                for c in codings {
                    sqlx::query(sql::UPSERT_CODING)
                        .bind(sample_id)
                        .bind(&c.coder_id)
                        .bind(&c.story_id)
                        .bind(&c.theme_id)
                        .bind(c.applied)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn sample_codings(&self, sample_id: &str) -> Result<Vec<crate::domain::job::SampleCoding>> {
                let rows: Vec<rows::CodingRow> =
                    sqlx::query_as(sql::SAMPLE_CODINGS).bind(sample_id).fetch_all(self.reader()).await.map_err(map_err)?;
                Ok(rows
                    .into_iter()
                    .map(|r| crate::domain::job::SampleCoding {
                        coder_id: r.coder_id,
                        story_id: r.story_id,
                        theme_id: r.theme_id,
                        applied: r.applied,
                    })
                    .collect())
            }

            async fn create_job(&self, j: &crate::domain::job::Job) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::INSERT_JOB)
                    .bind(&j.id)
                    .bind(&j.campaign_id)
                    .bind(&j.kind)
                    .bind(j.status.as_str())
                    .bind(j.progress)
                    .bind(&j.message)
                    .bind(Json(&j.params))
                    .bind(j.result.as_ref().map(Json))
                    .bind(&j.created_by)
                    .bind(utc(j.created_at))
                    .bind(j.started_at.map(utc))
                    .bind(j.finished_at.map(utc))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn job(&self, id: &str) -> Result<crate::domain::job::Job> {
                let row: rows::JobRow = sqlx::query_as(sql::JOB).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                row.try_into()
            }

            async fn jobs(&self, campaign_id: &str, limit: i64) -> Result<Vec<crate::domain::job::Job>> {
                let rows: Vec<rows::JobRow> =
                    sqlx::query_as(sql::JOBS).bind(campaign_id).bind(limit).fetch_all(self.reader()).await.map_err(map_err)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn update_job(
                &self,
                id: &str,
                status: crate::domain::job::JobStatus,
                progress: f64,
                message: &str,
            ) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::UPDATE_JOB)
                    .bind(id)
                    .bind(status.as_str())
                    .bind(progress)
                    .bind(message)
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn save_job_result(
                &self,
                id: &str,
                expected: &serde_json::Value,
                result: &serde_json::Value,
            ) -> Result<bool> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::SAVE_JOB_RESULT)
                    .bind(id)
                    .bind(Json(result))
                    .bind(Json(expected))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if done.rows_affected() == 1 {
                    tx.commit().await.map_err(map_err)?;
                    return Ok(true);
                }
                let status: Option<String> = sqlx::query_scalar(sql::JOB_STATUS)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                match status.as_deref() {
                    Some("done") => Ok(false),
                    _ => Err(StoreError::NotFound),
                }
            }

            async fn finish_job(
                &self,
                id: &str,
                status: crate::domain::job::JobStatus,
                message: &str,
                result: Option<&serde_json::Value>,
            ) -> Result<()> {
                let mut tx = self.begin().await?;
                sqlx::query(sql::FINISH_JOB)
                    .bind(id)
                    .bind(status.as_str())
                    .bind(message)
                    .bind(result.map(Json))
                    .bind(OffsetDateTime::now_utc())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn fail_interrupted_jobs(&self, silent_since: OffsetDateTime) -> Result<u64> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(sql::FAIL_INTERRUPTED)
                    .bind(OffsetDateTime::now_utc())
                    .bind(silent_since)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(done.rows_affected())
            }

            async fn stories_by_ids(&self, ids: &[String]) -> Result<Vec<Story>> {
                let mut out = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
                    let mut q = sqlx::query_as::<_, StoryRow>(sql::STORIES_BY_IDS);
                    for i in 0..sql::STORIES_BY_IDS_CHUNK {
                        q = q.bind(chunk.get(i).cloned());
                    }
                    out.extend(rows::stories(q.fetch_all(self.reader()).await.map_err(map_err)?)?);
                }
                Ok(out)
            }

            async fn campaigns_of_stories(&self, ids: &[String]) -> Result<Vec<String>> {
                let mut out = std::collections::BTreeSet::new();
                for chunk in ids.chunks(sql::STORIES_BY_IDS_CHUNK) {
                    let mut q = sqlx::query_scalar::<_, String>(sql::CAMPAIGNS_OF_STORIES);
                    for i in 0..sql::STORIES_BY_IDS_CHUNK {
                        q = q.bind(chunk.get(i).cloned());
                    }
                    out.extend(q.fetch_all(self.reader()).await.map_err(map_err)?);
                }
                Ok(out.into_iter().collect())
            }

            async fn all_stories_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Story>> {
                let rows: Vec<StoryRow> = match after {
                    None => sqlx::query_as(sql::ALL_STORIES_FIRST).bind(limit).fetch_all(self.reader()).await,
                    Some(a) => sqlx::query_as(sql::ALL_STORIES_AFTER).bind(a).bind(limit).fetch_all(self.reader()).await,
                }
                .map_err(map_err)?;
                rows::stories(rows)
            }

            async fn count_all_stories(&self) -> Result<i64> {
                sqlx::query_scalar(sql::COUNT_ALL_STORIES).fetch_one(self.reader()).await.map_err(map_err)
            }

            async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoryEvent>> {
                let rows: Vec<EventRow> = sqlx::query_as(sql::EVENTS_AFTER)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                rows.into_iter().map(StoryEvent::try_from).collect()
            }

            async fn last_event_seq(&self) -> Result<i64> {
                sqlx::query_scalar(sql::LAST_EVENT_SEQ).fetch_one(self.reader()).await.map_err(map_err)
            }
        }

        fn utc(t: OffsetDateTime) -> OffsetDateTime {
            t.to_offset(time::UtcOffset::UTC)
        }

        fn signals_json(signals: &[$crate::analysis::safeguarding::Signal]) -> Option<Json<Vec<$crate::analysis::safeguarding::Signal>>> {
            (!signals.is_empty()).then(|| Json(signals.to_vec()))
        }

        fn bind_story<'a>(
            q: sqlx::query::Query<'a, $db, <$db as sqlx::Database>::Arguments>,
            s: &NewStory,
        ) -> sqlx::query::Query<'a, $db, <$db as sqlx::Database>::Arguments> {
            q.bind(s.id.clone())
                .bind(s.campaign_id.clone())
                .bind(s.external_id.clone())
                .bind(s.title.clone())
                .bind(s.text.clone())
                .bind(s.language.clone())
                .bind(s.perspective.as_str())
                .bind(s.age_band.map(|a| a.code()))
                .bind(s.region.clone())
                .bind(s.municipality.clone())
                .bind(s.prompt_id.clone())
                .bind(Json(s.answers.clone()))
                .bind(s.source.as_str())
                .bind(s.form_version)
                .bind(utc(s.created_at))
                .bind(signals_json(&s.safeguarding))
                .bind(s.receipt_hash.clone())
                .bind(s.submission_key.clone())
        }

        /// Inserts or replaces a tag and writes its history line.
        async fn write_tag(tx: &mut sqlx::Transaction<'static, $db>, t: &crate::domain::theme::Tag) -> Result<()> {
            sqlx::query(sql::UPSERT_TAG)
                .bind(&t.story_id)
                .bind(&t.theme_id)
                .bind(t.source.as_str())
                .bind(t.state.as_str())
                .bind(t.confidence)
                .bind(t.explanation.as_ref().map(Json))
                .bind(&t.by_user)
                .bind(utc(t.at))
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
            sqlx::query(sql::INSERT_TAG_HISTORY)
                .bind(&t.story_id)
                .bind(&t.theme_id)
                .bind(t.source.as_str())
                .bind(t.state.as_str())
                .bind(t.confidence)
                .bind(&t.by_user)
                .bind("set")
                .bind(utc(t.at))
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
            Ok(())
        }

        async fn write_audit(tx: &mut sqlx::Transaction<'static, $db>, e: &AuditEntry) -> Result<()> {
            sqlx::query(sql::INSERT_AUDIT)
                .bind(OffsetDateTime::now_utc())
                .bind(&e.actor.user_id)
                .bind(&e.actor.label)
                .bind(e.action.as_str())
                .bind(&e.target)
                .bind(&e.campaign_id)
                .bind(Json(&e.details))
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
            Ok(())
        }
    };
}

pub(crate) use impl_store;
