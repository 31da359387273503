//! One test story for the storage layer, run against SQLite and PostgreSQL so the two
//! implementations cannot drift apart.

use crate::helpers::{Backend, DEMO_TOML, fresh_store};
use crate::on_both_backends;
use luister::domain::audit::AuditFilter;
use luister::domain::safeguarding::{FollowUp, FollowUpAction};
use luister::domain::story::StorySource;
use luister::domain::{Actor, AuditAction, AuditEntry, Role};
use luister::domain::{AgeBand, Answer, CampaignDef, NewStory, Perspective, SignifierKind, StoryEventKind};
use luister::store::{DynStore, NewUser, Saved, StoreError, StoryCursor, StoryFilter, UserChange};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

fn story(campaign_id: &str, n: i64, external: Option<&str>) -> NewStory {
    let mut answers = BTreeMap::new();
    answers.insert("wat_hielp".to_string(), Answer::Triad([0.2, 0.3, 0.5]));
    answers.insert("gevoel".to_string(), Answer::Single("blij".into()));
    NewStory {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: campaign_id.to_string(),
        external_id: external.map(str::to_string),
        title: None,
        text: format!("Verhaal nummer {n} over de buurvrouw die hielp."),
        language: "nl".into(),
        perspective: Perspective::Parent,
        age_band: Some(AgeBand::From30To49),
        region: Some("JZ02".into()),
        municipality: None,
        prompt_id: Some("zelf-geregeld".into()),
        answers,
        receipt_hash: Some(format!("hash-{}", uuid::Uuid::new_v4())),
        submission_key: None,
        source: StorySource::Import,
        form_version: 1,
        created_at: OffsetDateTime::from_unix_timestamp(1_750_000_000 + n).unwrap(),
        safeguarding: Vec::new(),
    }
}

async fn store_keeps_campaigns_stories_and_events_consistent(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let store: DynStore = store;

    // Campaigns: create, then an edit that removes a signifier keeps it retired.
    let def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    let (c, saved) = store.save_campaign(&def, &crate::helpers::system_audit()).await.unwrap();
    assert_eq!(saved, Saved::Created);
    assert_eq!(c.form_version, 1);
    let mut edited = def.clone();
    edited.signifiers.retain(|s| s.id != "hoe_vaak");
    let (c2, saved) = store.save_campaign(&edited, &crate::helpers::system_audit()).await.unwrap();
    assert_eq!((saved, c2.id.as_str(), c2.form_version), (Saved::Updated, c.id.as_str(), 2));
    assert!(c2.def.signifier("hoe_vaak").unwrap().retired);
    let mut broken = def.clone();
    broken.signifiers[0].kind = SignifierKind::Dyad { poles: [Default::default(), Default::default()] };
    assert!(matches!(
        store.save_campaign(&broken, &crate::helpers::system_audit()).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.campaign_by_slug("eigen-netwerk").await.unwrap().form_version, 2);
    assert!(matches!(store.campaign_by_slug("nope").await, Err(StoreError::NotFound)));

    // Stories: insert, read back by id and receipt.
    let s1 = story(&c.id, 1, None);
    store.insert_story(&s1).await.unwrap();
    let back = store.story(&s1.id).await.unwrap();
    assert_eq!(back.text, s1.text);
    assert_eq!(back.answers, s1.answers);
    assert_eq!(back.age_band, Some(AgeBand::From30To49));
    assert_eq!(back.created_at, s1.created_at);
    assert_eq!(store.story_by_receipt(s1.receipt_hash.as_deref().unwrap()).await.unwrap().id, s1.id);

    // The same submission key twice is a conflict, not a second story.
    let mut a = story(&c.id, 2, None);
    a.submission_key = Some("token-hash".into());
    store.insert_story(&a).await.unwrap();
    let mut b = story(&c.id, 3, None);
    b.submission_key = Some("token-hash".into());
    assert!(matches!(store.insert_story(&b).await, Err(StoreError::Conflict(r)) if r == "submission_key"));

    // Import: new external ids insert, known ones update in place.
    let batch: Vec<NewStory> = (10..15).map(|n| story(&c.id, n, Some(&format!("ext-{n}")))).collect();
    let counts = store.import_stories(&batch).await.unwrap();
    assert_eq!((counts.inserted, counts.updated), (5, 0));
    let mut again = story(&c.id, 10, Some("ext-10"));
    again.text = "Bijgewerkte tekst van het verhaal.".into();
    let counts = store.import_stories(&[again]).await.unwrap();
    assert_eq!((counts.inserted, counts.updated), (0, 1));
    let updated = store.story(&batch[0].id).await.unwrap();
    assert_eq!(updated.text, "Bijgewerkte tekst van het verhaal.");
    assert_eq!(store.count_stories(&c.id).await.unwrap(), 7);

    // Paging in (created_at, id) order sees every story exactly once.
    let mut seen = Vec::new();
    let mut cursor: Option<StoryCursor> = None;
    loop {
        let page = store.stories_page(&c.id, cursor.as_ref(), 3).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(StoryCursor { created_at: last.created_at, id: last.id.clone() });
        seen.extend(page.into_iter().map(|s| s.created_at));
    }
    assert_eq!(seen.len(), 7);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));

    // Delete: gone, with a delete event after the upserts.
    let audit = AuditEntry::new(Actor::user("u1", "f@x.nl"), AuditAction::StoryDeleted)
        .details(serde_json::json!({ "reason": "test" }));
    store.delete_story(&s1.id, &audit).await.unwrap();
    assert!(matches!(store.story(&s1.id).await, Err(StoreError::NotFound)));
    assert!(matches!(store.delete_story(&s1.id, &audit).await, Err(StoreError::NotFound)));
    let deleted = store
        .audit_entries(&AuditFilter { action: Some(AuditAction::StoryDeleted), ..AuditFilter::default() })
        .await
        .unwrap();
    assert_eq!(deleted.len(), 1, "a failed delete writes no audit entry");
    assert_eq!(deleted[0].target.as_deref(), Some(format!("story:{}", s1.id).as_str()));
    assert_eq!(deleted[0].campaign_id.as_deref(), Some(c.id.as_str()));
    let events = store.events_after(0, 100).await.unwrap();
    assert_eq!(events.len(), 2 + 5 + 1 + 1);
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
    let last = events.last().unwrap();
    assert_eq!((last.kind, last.story_id.as_str()), (StoryEventKind::Delete, s1.id.as_str()));
    assert_eq!(store.last_event_seq().await.unwrap(), last.seq);
    assert_eq!(store.events_after(last.seq, 10).await.unwrap().len(), 0);
    let _ = Duration::ZERO;
}
on_both_backends!(store_keeps_campaigns_stories_and_events_consistent);

async fn concurrent_writers_get_event_seqs_in_commit_order(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    let (c, _) = store.save_campaign(&def, &crate::helpers::system_audit()).await.unwrap();
    // Writers whose transactions overlap and commit in another order than they started: each
    // appends its event, then holds the transaction open for a while before committing.
    let writers = 30;
    let mut tasks = Vec::new();
    for n in 0..writers {
        let store = store.clone();
        let s = story(&c.id, n, None);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(n as u64 * 7)).await;
            let mut tx = store.begin().await?;
            tx.insert_story(&s).await?;
            tokio::time::sleep(std::time::Duration::from_millis((n as u64 * 37) % 90)).await;
            tx.commit().await
        }));
    }
    // A follower like the indexer's: reads "seq > the last one it saw", again and again.
    let follower = {
        let store = store.clone();
        tokio::spawn(async move {
            let (mut seen, mut last) = (Vec::new(), 0);
            while seen.len() < writers as usize {
                for e in store.events_after(last, 1000).await.unwrap() {
                    seen.push(e.seq);
                    last = e.seq;
                }
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            seen
        })
    };
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), follower).await;
    let all: Vec<i64> = store.events_after(0, 1000).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(all.len(), writers as usize);
    // A seq that committed after a higher one was visible would be skipped by every follower.
    let seen = seen.unwrap_or_else(|_| panic!("the follower skipped events; all seqs: {all:?}")).unwrap();
    assert_eq!(seen, all, "the follower saw every event, in seq order");
}
on_both_backends!(concurrent_writers_get_event_seqs_in_commit_order);

async fn database_is_configured_for_durability(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    assert_eq!(store.durability_warnings().await.unwrap(), Vec::<String>::new());
}
on_both_backends!(database_is_configured_for_durability);

async fn store_keeps_users_sessions_audit_and_safeguarding(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let (c, _) = store
        .save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &crate::helpers::system_audit())
        .await
        .unwrap();
    let created = store
        .audit_entries(&AuditFilter { action: Some(AuditAction::CampaignCreated), ..AuditFilter::default() })
        .await
        .unwrap();
    assert_eq!(created[0].campaign_id.as_deref(), Some(c.id.as_str()));

    // Users: e-mail unique, changes audited, memberships.
    let audit = AuditEntry::new(Actor::system(), AuditAction::UserCreated);
    let new = NewUser {
        email: "anna@example.nl".into(),
        name: "Anna".into(),
        role: Role::Facilitator,
        password_hash: "h1".into(),
    };
    let anna = store.create_user(&new, &audit).await.unwrap();
    assert!(matches!(store.create_user(&new, &audit).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.count_users().await.unwrap(), 1);
    let (found, hash) = store.user_by_email("anna@example.nl").await.unwrap();
    assert_eq!((found.id.as_str(), hash.as_str()), (anna.id.as_str(), "h1"));
    let change = UserChange { role: Some(Role::Steering), disabled: Some(true), ..UserChange::default() };
    let changed = store
        .update_user(&anna.id, &change, &AuditEntry::new(Actor::system(), AuditAction::UserChanged))
        .await
        .unwrap();
    assert_eq!((changed.role, changed.disabled, changed.name.as_str()), (Role::Steering, true, "Anna"));
    assert_eq!(store.user_by_email("anna@example.nl").await.unwrap().1, "h1", "hash untouched");
    store
        .set_membership(
            &c.id,
            &anna.id,
            true,
            &AuditEntry::new(Actor::system(), AuditAction::MembershipChanged),
        )
        .await
        .unwrap();
    store
        .set_membership(
            &c.id,
            &anna.id,
            true,
            &AuditEntry::new(Actor::system(), AuditAction::MembershipChanged),
        )
        .await
        .unwrap();
    assert_eq!(store.memberships(&anna.id).await.unwrap(), vec![c.id.clone()]);
    assert_eq!(store.campaign_members(&c.id).await.unwrap()[0].email, "anna@example.nl");
    store
        .set_membership(
            &c.id,
            &anna.id,
            false,
            &AuditEntry::new(Actor::system(), AuditAction::MembershipChanged),
        )
        .await
        .unwrap();
    assert!(store.memberships(&anna.id).await.unwrap().is_empty());

    // Sessions: created, read with their user, ended one by one or all at once, purged.
    let t0 = OffsetDateTime::now_utc();
    store.create_session("s1", &anna.id, t0).await.unwrap();
    store.create_session("s2", &anna.id, t0).await.unwrap();
    assert_eq!(store.session("s1").await.unwrap().user.email, "anna@example.nl");
    store.touch_session("s1", t0 + Duration::minutes(5)).await.unwrap();
    assert_eq!(
        store.session("s1").await.unwrap().last_seen_at.unix_timestamp(),
        (t0 + Duration::minutes(5)).unix_timestamp()
    );
    store.delete_session("s1").await.unwrap();
    assert!(matches!(store.session("s1").await, Err(StoreError::NotFound)));
    store.create_session("s3", &anna.id, t0).await.unwrap();
    assert_eq!(store.delete_user_sessions(&anna.id).await.unwrap(), 2);
    store.create_session("old", &anna.id, t0 - Duration::hours(13)).await.unwrap();
    store.create_session("new", &anna.id, t0).await.unwrap();
    assert_eq!(store.purge_sessions(t0 - Duration::minutes(30), t0 - Duration::hours(12)).await.unwrap(), 1);
    assert!(store.session("new").await.is_ok());

    // Safeguarding: flagged stories wait on the list until someone records a follow-up.
    let mut flagged = story(&c.id, 1, None);
    flagged.text = "Soms wil ik gewoon niet meer leven.".into();
    flagged.safeguarding = luister::analysis::safeguarding::assess(&flagged.text).signals;
    assert!(!flagged.safeguarding.is_empty());
    store.insert_story(&flagged).await.unwrap();
    store.insert_story(&story(&c.id, 2, None)).await.unwrap();
    let back = store.story(&flagged.id).await.unwrap();
    assert_eq!(back.safeguarding, flagged.safeguarding);
    assert_eq!(store.flagged_stories(&c.id, false).await.unwrap().len(), 1);
    let (only_flagged, total) = store
        .stories_newest(&c.id, &StoryFilter { flagged: true, limit: 10, ..StoryFilter::default() })
        .await
        .unwrap();
    assert_eq!((only_flagged.len(), total), (1, 1));
    let fu = FollowUp {
        id: uuid::Uuid::new_v4().to_string(),
        story_id: flagged.id.clone(),
        campaign_id: c.id.clone(),
        user_id: Some(anna.id.clone()),
        user_email: anna.email.clone(),
        action: FollowUpAction::DiscussedWithSafeguardingOfficer,
        note: "Besproken in het team.".into(),
        at: t0,
    };
    store
        .add_follow_up(
            &fu,
            &AuditEntry::new(Actor::user(&anna.id, &anna.email), AuditAction::SafeguardingFollowUp),
        )
        .await
        .unwrap();
    assert_eq!(
        store.follow_ups(&flagged.id).await.unwrap()[0].action,
        FollowUpAction::DiscussedWithSafeguardingOfficer
    );
    assert!(store.flagged_stories(&c.id, false).await.unwrap().is_empty());
    assert_eq!(store.flagged_stories(&c.id, true).await.unwrap().len(), 1);

    // Newest first, filtered by perspective, with counts per perspective.
    let mut youth = story(&c.id, 3, None);
    youth.perspective = Perspective::Youth;
    store.insert_story(&youth).await.unwrap();
    let (page, total) =
        store.stories_newest(&c.id, &StoryFilter { limit: 2, ..StoryFilter::default() }).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(page[0].id, youth.id);
    let (page, total) = store
        .stories_newest(
            &c.id,
            &StoryFilter { perspective: Some(Perspective::Youth), limit: 10, ..StoryFilter::default() },
        )
        .await
        .unwrap();
    assert_eq!((page.len(), total), (1, 1));
    let counts = store.count_by_perspective(&c.id).await.unwrap();
    assert!(counts.contains(&(Perspective::Parent, 2)) && counts.contains(&(Perspective::Youth, 1)));

    // Retention: stories older than the cutoff go, with delete events and one audit entry.
    let cutoff = OffsetDateTime::from_unix_timestamp(1_750_000_000 + 3).unwrap();
    let gone = store
        .delete_stories_before(
            &c.id,
            cutoff,
            &AuditEntry::new(Actor::system(), AuditAction::RetentionDeleted),
        )
        .await
        .unwrap();
    assert_eq!(gone.len(), 2);
    assert_eq!(store.count_stories(&c.id).await.unwrap(), 1);
    let events = store.story_events(&flagged.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [StoryEventKind::Upsert, StoryEventKind::Delete]
    );
    let retention = store
        .audit_entries(&AuditFilter { action: Some(AuditAction::RetentionDeleted), ..AuditFilter::default() })
        .await
        .unwrap();
    assert_eq!(retention[0].details["deleted"], 2);
    let recent = store
        .audit_entries(&AuditFilter {
            since: Some(t0 - Duration::minutes(1)),
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(recent.len() >= 6);
    assert!(recent.windows(2).all(|w| w[0].id > w[1].id), "newest first");
}
on_both_backends!(store_keeps_users_sessions_audit_and_safeguarding);

async fn store_keeps_themes_tags_samples_and_jobs(backend: Backend) {
    use luister::domain::job::{CodingSample, Job, JobStatus, SampleCoding};
    use luister::domain::theme::{Tag, TagSource, TagState, Theme};
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let (c, _) = store.save_campaign(&def, &audit).await.unwrap();
    let s = story(&c.id, 1, None);
    store.insert_story(&s).await.unwrap();
    // Whole seconds: PostgreSQL keeps microseconds only.
    let now = OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let theme = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(c.id.clone()),
        name: "Buren".into(),
        description: "Hulp van buren".into(),
        colour: "#0b5a7a".into(),
        parent_id: None,
        rule: Some("buurvrouw".into()),
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    store.create_theme(&theme).await.unwrap();
    assert_eq!(store.themes(Some(&c.id)).await.unwrap(), vec![theme.clone()]);

    // A suggestion with a confidence and words, then a person's decision: both kept, with history.
    let suggestion = Tag {
        story_id: s.id.clone(),
        theme_id: theme.id.clone(),
        source: TagSource::Model,
        state: TagState::Suggested,
        confidence: Some(0.8125),
        explanation: Some(vec![("buurvrouw".into(), 1.25)]),
        by_user: None,
        at: now,
    };
    store.set_tags(std::slice::from_ref(&suggestion)).await.unwrap();
    let decision = Tag {
        source: TagSource::Manual,
        state: TagState::Accepted,
        confidence: None,
        explanation: None,
        by_user: Some("u1".into()),
        ..suggestion.clone()
    };
    store.set_tags(std::slice::from_ref(&decision)).await.unwrap();
    let mut tags = store.tags_for_story(&s.id).await.unwrap();
    tags.sort_by_key(|t| t.source.as_str());
    assert_eq!(tags.len(), 2);
    let model = tags.iter().find(|t| t.source == TagSource::Model).unwrap();
    assert_eq!(model.confidence, Some(0.8125));
    assert_eq!(model.explanation, suggestion.explanation);
    let history = store.tag_history(&s.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().any(|h| h.confidence == Some(0.8125)));
    assert!(store.last_manual_coding(&c.id).await.unwrap().is_some());

    // Samples and blind codings.
    let sample = CodingSample {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: c.id.clone(),
        name: "Steekproef".into(),
        story_ids: vec![s.id.clone()],
        theme_ids: vec![theme.id.clone()],
        created_by: None,
        created_at: OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap(),
    };
    store.create_sample(&sample).await.unwrap();
    assert_eq!(store.sample(&sample.id).await.unwrap(), sample);
    let coding = SampleCoding {
        coder_id: "u1".into(),
        story_id: s.id.clone(),
        theme_id: theme.id.clone(),
        applied: true,
    };
    store.record_codings(&sample.id, std::slice::from_ref(&coding)).await.unwrap();
    assert_eq!(store.sample_codings(&sample.id).await.unwrap(), vec![coding]);

    // Jobs: progress as f64, a result, and a restart marks running jobs failed.
    let job = Job {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(c.id.clone()),
        kind: "discover".into(),
        status: JobStatus::Running,
        progress: 0.0,
        message: "begonnen".into(),
        params: serde_json::json!({"k": 5}),
        result: None,
        created_by: None,
        created_at: now,
        started_at: Some(now),
        finished_at: None,
    };
    store.create_job(&job).await.unwrap();
    store.update_job(&job.id, JobStatus::Running, 0.123456789, "draden zoeken").await.unwrap();
    let read = store.job(&job.id).await.unwrap();
    assert_eq!((read.progress, read.message.as_str()), (0.123456789, "draden zoeken"));
    // Its heartbeat (just written) is not older than a minute ago: still alive.
    let minute_ago = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
    assert_eq!(store.fail_interrupted_jobs(minute_ago).await.unwrap(), 0);
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    assert_eq!(store.fail_interrupted_jobs(later).await.unwrap(), 1);
    assert_eq!(store.job(&job.id).await.unwrap().status, JobStatus::Failed);
    assert!(matches!(
        store.save_job_result(&job.id, &serde_json::json!({}), &serde_json::json!({})).await,
        Err(StoreError::NotFound)
    ));
    let done = Job { id: uuid::Uuid::new_v4().to_string(), ..job.clone() };
    store.create_job(&done).await.unwrap();
    // Scores as discovery writes them: floats that only read back exactly with serde_json's
    // exact float parsing (the compare-and-swap below compares the stored JSON).
    let scores: Vec<f64> = (1..2000).map(|i| (i as f64 * 0.7311).sin() / 3.0_f64.sqrt()).collect();
    let first = serde_json::json!({"threads": [], "scores": scores});
    store.finish_job(&done.id, JobStatus::Done, "klaar", Some(&first)).await.unwrap();
    // The result as read back is what a change is compared against.
    let read = store.job(&done.id).await.unwrap().result.unwrap();
    let one = serde_json::json!({"threads": [1]});
    assert!(store.save_job_result(&done.id, &read, &one).await.unwrap(), "saved over what was read");
    // A second facilitator who read the old result loses the race and must read again.
    let two = serde_json::json!({"threads": [2]});
    assert!(!store.save_job_result(&done.id, &read, &two).await.unwrap(), "a stale change is refused");
    let read = store.job(&done.id).await.unwrap();
    assert_eq!(read.result, Some(one));
    assert_eq!(read.progress, 1.0);
    assert_eq!(store.jobs(&c.id, 10).await.unwrap().len(), 2);
}
on_both_backends!(store_keeps_themes_tags_samples_and_jobs);

/// A raw connection to the store's database, beside the store (for breaking it on purpose).
async fn raw_sql(
    backend: Backend,
    dir: &tempfile::TempDir,
    pg: &Option<crate::helpers::PgDatabase>,
    q: &str,
) {
    let q = sqlx::AssertSqlSafe(q.to_string());
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(q).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&pg.as_ref().unwrap().url).await.unwrap();
            sqlx::query(q).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn a_transaction_that_fails_in_its_last_step_leaves_the_database_as_it_was(backend: Backend) {
    use luister::domain::theme::{Tag, TagSource, TagState, Theme};
    let Some((store, dir, pg)) = fresh_store(backend).await else { return };
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let (c, _) = store.save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &audit).await.unwrap();
    let s = story(&c.id, 1, None);
    store.insert_story(&s).await.unwrap();
    let now = OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let theme = |name: &str| Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(c.id.clone()),
        name: name.into(),
        description: String::new(),
        colour: "#0b5a7a".into(),
        parent_id: None,
        rule: None,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    let (from, into) = (theme("Buren"), theme("Netwerk"));
    store.create_theme(&from).await.unwrap();
    store.create_theme(&into).await.unwrap();
    let tag = Tag {
        story_id: s.id.clone(),
        theme_id: from.id.clone(),
        source: TagSource::Manual,
        state: TagState::Accepted,
        confidence: None,
        explanation: None,
        by_user: Some("u1".into()),
        at: now,
    };
    store.set_tags(std::slice::from_ref(&tag)).await.unwrap();
    let events_before = store.events_after(0, 1000).await.unwrap();
    let history_before = store.tag_history(&s.id).await.unwrap();
    let audit_before = store.audit_entries(&AuditFilter::default()).await.unwrap().len();

    // A committed transaction: its writes and its audit entry are there together, and its reads
    // saw its own writes before the commit.
    let extra = theme("Sport");
    let mut tx = store.begin().await.unwrap();
    tx.create_theme(&extra).await.unwrap();
    assert_eq!(tx.theme(&extra.id).await.unwrap().name, "Sport");
    tx.audit(&audit).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.theme(&extra.id).await.unwrap().name, "Sport");
    assert_eq!(store.audit_entries(&AuditFilter::default()).await.unwrap().len(), audit_before + 1);

    // A merge of several steps whose audit entry, the last step, cannot be written.
    raw_sql(backend, &dir, &pg, "ALTER TABLE audit_log RENAME TO audit_log_away").await;
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.merge_themes(&from.id, &into.id, Some("u1")).await.unwrap(), 1);
    let mut renamed = into.clone();
    renamed.name = "Netwerk en buren".into();
    tx.update_theme(&renamed).await.unwrap();
    tx.create_theme(&theme("Half")).await.unwrap();
    assert!(tx.audit(&audit).await.is_err(), "the audit table is gone");
    drop(tx);
    // A single-call write whose audit entry fails is undone as well.
    assert!(store.delete_story(&s.id, &audit).await.is_err());
    raw_sql(backend, &dir, &pg, "ALTER TABLE audit_log_away RENAME TO audit_log").await;

    let tags = store.tags_for_story(&s.id).await.unwrap();
    assert_eq!(tags, vec![tag], "the tag was not moved");
    assert_eq!(store.theme(&from.id).await.unwrap().merged_into, None);
    assert_eq!(store.theme(&into.id).await.unwrap().name, "Netwerk");
    assert_eq!(store.themes(Some(&c.id)).await.unwrap().len(), 3, "no theme 'Half'");
    assert_eq!(store.tag_history(&s.id).await.unwrap(), history_before);
    assert_eq!(store.events_after(0, 1000).await.unwrap(), events_before, "no story events either");
    assert_eq!(store.story(&s.id).await.unwrap().id, s.id, "the story was not deleted");
    assert_eq!(store.audit_entries(&AuditFilter::default()).await.unwrap().len(), audit_before + 1);

    // And the same merge commits whole once the audit log is back.
    let mut tx = store.begin().await.unwrap();
    tx.merge_themes(&from.id, &into.id, Some("u1")).await.unwrap();
    tx.audit(&audit).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.tags_for_story(&s.id).await.unwrap()[0].theme_id, into.id);
}
on_both_backends!(a_transaction_that_fails_in_its_last_step_leaves_the_database_as_it_was);

async fn a_campaign_save_on_a_stale_form_version_is_a_conflict(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let def = CampaignDef::from_toml(DEMO_TOML).unwrap();
    let (c, _) = store.save_campaign(&def, &audit).await.unwrap();
    assert_eq!(c.form_version, 1);
    // Facilitator A saves on version 1: fine, the campaign is now at version 2.
    let mut tx = store.begin().await.unwrap();
    let (saved, _) = tx.save_campaign(&def, &audit, Some(1)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(saved.form_version, 2);
    // Facilitator B, who also opened version 1, must not overwrite A's change.
    let mut edited = def.clone();
    edited.signifiers.retain(|s| s.id != "hoe_vaak");
    let mut tx = store.begin().await.unwrap();
    let stale = tx.save_campaign(&edited, &audit, Some(1)).await;
    assert!(matches!(stale, Err(StoreError::Conflict(ref what)) if what == "form_version"), "{stale:?}");
    drop(tx);
    let now = store.campaign(&c.id).await.unwrap();
    assert_eq!(now.form_version, 2);
    assert!(!now.def.signifier("hoe_vaak").unwrap().retired);
}
on_both_backends!(a_campaign_save_on_a_stale_form_version_is_a_conflict);

fn running_job(campaign_id: &str) -> luister::domain::job::Job {
    let now = OffsetDateTime::now_utc();
    luister::domain::job::Job {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(campaign_id.to_string()),
        kind: "discover".into(),
        status: luister::domain::job::JobStatus::Running,
        progress: 0.0,
        message: "begonnen".into(),
        params: serde_json::json!({}),
        result: None,
        created_by: None,
        created_at: now,
        started_at: Some(now),
        finished_at: None,
    }
}

async fn the_database_refuses_a_second_running_job_for_a_campaign(backend: Backend) {
    use luister::domain::job::JobStatus;
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let (c, _) = store.save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &audit).await.unwrap();
    let first = running_job(&c.id);
    store.create_job(&first).await.unwrap();
    let second = store.create_job(&running_job(&c.id)).await;
    assert!(matches!(second, Err(StoreError::Conflict(ref what)) if what == "running_job"), "{second:?}");
    // Finished jobs do not count; once the first has ended a new one may start.
    let done = luister::domain::job::Job { status: JobStatus::Done, ..running_job(&c.id) };
    store.create_job(&done).await.unwrap();
    store.finish_job(&first.id, JobStatus::Done, "klaar", None).await.unwrap();
    store.create_job(&running_job(&c.id)).await.unwrap();
}
on_both_backends!(the_database_refuses_a_second_running_job_for_a_campaign);

async fn two_job_runners_on_one_database_start_one_job_per_campaign(backend: Backend) {
    let Some((store, _dir, _pg)) = fresh_store(backend).await else { return };
    let audit = AuditEntry::new(Actor::system(), AuditAction::CampaignChanged);
    let (c, _) = store.save_campaign(&CampaignDef::from_toml(DEMO_TOML).unwrap(), &audit).await.unwrap();
    // Two instances' runners, each asked several times at once.
    let runners = [luister::jobs::Jobs::new(store.clone()), luister::jobs::Jobs::new(store.clone())];
    let release = std::sync::Arc::new(tokio::sync::Notify::new());
    let mut starts = Vec::new();
    for n in 0..8 {
        let (jobs, campaign, release) = (runners[n % 2].clone(), c.id.clone(), release.clone());
        starts.push(tokio::spawn(async move {
            jobs.start(&campaign, "discover", serde_json::json!({}), None, move |_| async move {
                release.notified().await;
                Ok(serde_json::json!({}))
            })
            .await
        }));
    }
    let mut started = Vec::new();
    for s in starts {
        match s.await.unwrap() {
            Ok(job) => started.push(job),
            Err(luister::jobs::JobError::Busy) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(started.len(), 1, "exactly one start wins");
    release.notify_one();
    runners[0].wait(&started[0].id, std::time::Duration::from_secs(10)).await.unwrap();
}
on_both_backends!(two_job_runners_on_one_database_start_one_job_per_campaign);
