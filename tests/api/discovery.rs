//! Discovery of common threads, suggestions and jobs, as facilitators use them: a run started
//! in the browser, its threads inspected, renamed, promoted, split and merged; retraining and
//! measuring suggestions; job pages that refresh themselves, cancel, one job at a time per
//! campaign, and jobs interrupted by a restart marked failed.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use luister::domain::Role;
use luister::domain::job::{Job, JobStatus};
use luister::domain::theme::{TagSource, TagState};
use luister::tagging::threads;
use luister::transfer::import::load_demo;
use reqwest::StatusCode;
use std::time::Duration;

const BASE: &str = "/manage/campaigns/eigen-netwerk";
const WAIT: Duration = Duration::from_secs(120);

/// The job id a "job started" redirect points at.
fn job_of(resp: &reqwest::Response) -> String {
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "a job was started");
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let id = location.rsplit('/').next().unwrap().to_string();
    assert!(location.contains("/jobs/"), "{location}");
    id
}

async fn done(app: &TestApp, id: &str) -> Job {
    let job = app.jobs.wait(id, WAIT).await.unwrap();
    assert_eq!(job.status, JobStatus::Done, "{}: {}", job.kind, job.message);
    job
}

async fn page(app: &TestApp, path: &str) -> String {
    let resp = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "GET {path}");
    resp.text().await.unwrap()
}

async fn facilitator_runs_discovery_inspects_renames_promotes_splits_and_merges_threads(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    load_demo(app.store.clone(), 400).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;

    // A bad number comes back with a message next to the field and what was typed kept.
    let resp =
        app.post_form(&format!("{BASE}/discovery"), &[("mode", "fixed"), ("k", "1"), ("seed", "7")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Vul een aantal tussen 2 en 60 in"), "{html}");
    assert!(html.contains("value=\"7\""), "the seed typed is kept");

    let resp =
        app.post_form(&format!("{BASE}/discovery"), &[("mode", "fixed"), ("k", "6"), ("seed", "3")]).await;
    let id = job_of(&resp);
    let job = done(&app, &id).await;
    let run = threads::run_of_job(&job).expect("the job holds a run");
    assert!(run.threads.len() >= 5, "about six threads: {}", run.threads.len());
    let assigned: usize = run.threads.iter().map(|t| t.size).sum();
    assert_eq!(
        assigned + run.unassigned.len(),
        400,
        "every story is in a thread or reported as fitting none"
    );

    // The job page links to the threads; the threads page shows what makes each thread.
    let html = page(&app, &format!("{BASE}/jobs/{id}")).await;
    assert!(html.contains(&format!("{BASE}/discovery/{id}")), "job page links to its result");
    assert!(!html.contains("http-equiv=\"refresh\""), "a finished job's page does not refresh");
    let html = page(&app, &format!("{BASE}/discovery/{id}")).await;
    let first = &run.threads[0];
    assert!(html.contains(&first.label_terms[0]), "label terms shown");
    assert!(html.contains("Wie vertelt deze draad") && html.contains("<meter"), "shares per perspective");
    assert!(html.contains("Stabiliteit"));
    let rep = &first.representatives[0];
    assert!(html.contains(&format!("{BASE}/stories/{rep}")), "representative stories link to the story");

    // Rename.
    let thread_url = |t: usize| format!("{BASE}/discovery/{id}/threads/{t}");
    let resp = app.post_form(&thread_url(first.id), &[("action", "rename"), ("name", "Lang wachten")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &format!("{BASE}/discovery/{id}?done=renamed")).await;
    assert!(html.contains("Lang wachten") && html.contains("De naam is bewaard"));

    // Two facilitators change the same run at the same moment: neither change is lost.
    let second = &run.threads[1];
    let (second_url, first_url) = (thread_url(second.id), thread_url(first.id));
    let (a, b) = tokio::join!(
        app.post_form(&second_url, &[("action", "rename"), ("name", "Geld en zorgen")]),
        app.post_form(&first_url, &[("action", "promote")]),
    );
    assert_eq!((a.status(), b.status()), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    let html = page(&app, &format!("{BASE}/discovery/{id}")).await;
    assert!(html.contains("Geld en zorgen"), "the rename survived the promotion");
    // Promoting it again is refused: it is a theme already.
    let resp = app.post_form(&thread_url(first.id), &[("action", "promote")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("al een thema"));

    // The promotion made a theme in the campaign's codebook, and a model suggestion on each
    // member story.
    let theme = app
        .store
        .themes(Some(&app.campaign.id))
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Lang wachten")
        .expect("promoted thread became a theme");
    let tags = app.store.tags_for_campaign(&app.campaign.id).await.unwrap();
    let suggested: Vec<_> = tags
        .iter()
        .filter(|t| t.theme_id == theme.id && t.source == TagSource::Model && t.state == TagState::Suggested)
        .collect();
    assert_eq!(suggested.len(), first.size, "every story of the thread gets a suggestion");
    assert!(
        suggested.iter().all(|t| t.explanation.as_ref().is_some_and(|w| !w.is_empty())),
        "with the words why"
    );
    let resp = app.post_form(&thread_url(first.id), &[("action", "promote")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "a thread is promoted once");

    // Split: a new run (the old one stays) with the thread in parts; names and promotions kept.
    let second = run.threads[1].id;
    let resp = app.post_form(&thread_url(second), &[("action", "split"), ("k", "2")]).await;
    let split_id = job_of(&resp);
    let split = threads::run_of_job(&done(&app, &split_id).await).unwrap();
    assert!(!split.threads.iter().any(|t| t.id == second), "the split thread is gone");
    assert_eq!(split.threads.len(), run.threads.len() + 1);
    let kept = split.threads.iter().find(|t| t.id == first.id).unwrap();
    assert_eq!(kept.name.as_deref(), Some("Lang wachten"));
    assert_eq!(kept.theme_id.as_deref(), Some(theme.id.as_str()));
    assert!(
        threads::run_of_job(&app.store.job(&id).await.unwrap())
            .unwrap()
            .threads
            .iter()
            .any(|t| t.id == second)
    );

    // Merge two threads of the split run into one.
    let (a, b) = (split.threads[1].id, split.threads[2].id);
    let resp = app
        .post_form(
            &format!("{BASE}/discovery/{split_id}/threads/{a}"),
            &[("action", "merge"), ("other", &b.to_string())],
        )
        .await;
    let merged = threads::run_of_job(&done(&app, &job_of(&resp)).await).unwrap();
    assert_eq!(merged.threads.len(), split.threads.len() - 1);
    let size_ab = split.threads[1].size + split.threads[2].size;
    let new =
        merged.threads.iter().find(|t| !split.threads.iter().any(|s| s.id == t.id)).expect("a merged thread");
    assert!(
        new.size <= size_ab && new.size + 10 >= size_ab,
        "the merged thread holds both: {} of {size_ab}",
        new.size
    );

    // Asking for a split or a merge is audited with the job it started.
    let filter = luister::domain::audit::AuditFilter {
        campaign_id: Some(app.campaign.id.clone()),
        limit: 100,
        ..Default::default()
    };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    for (change, job) in [("threads_split", &split_id), ("threads_merge", &job_of(&resp))] {
        let entry = entries
            .iter()
            .find(|e| e.details["change"] == change)
            .unwrap_or_else(|| panic!("{change} audited"));
        assert_eq!(entry.target.as_deref(), Some(format!("job:{job}").as_str()));
    }

    // The start page lists the runs.
    let html = page(&app, &format!("{BASE}/discovery")).await;
    assert!(html.contains("Draad splitsen") && html.contains("Draden samenvoegen"));
}
on_both_backends!(facilitator_runs_discovery_inspects_renames_promotes_splits_and_merges_threads);

/// A job that runs until it is cancelled, reporting progress.
async fn endless(app: &TestApp) -> Job {
    app.jobs
        .start(&app.campaign.id, "retag", serde_json::json!({}), None, |p| async move {
            let mut i = 0.0;
            while p.report(i / 1000.0, "bezig") {
                i += 1.0;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(luister::jobs::Cancelled.into())
        })
        .await
        .unwrap()
}

async fn running_job_refreshes_blocks_a_second_job_and_can_be_cancelled(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let job = endless(&app).await;

    let html = page(&app, &format!("{BASE}/jobs/{}", job.id)).await;
    assert!(html.contains("<meta http-equiv=\"refresh\" content=\"2\">"), "works without JavaScript");
    assert!(html.contains("<progress") && html.contains("Taak afbreken"));

    // One job at a time per campaign: the second is refused with a way to the first.
    let resp = app.post_form(&format!("{BASE}/suggestions/retrain"), &[]).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("{BASE}/jobs/{}", job.id)), "{html}");

    let resp = app.post_form(&format!("{BASE}/jobs/{}/cancel", job.id), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let ended = app.jobs.wait(&job.id, WAIT).await.unwrap();
    assert_eq!(ended.status, JobStatus::Cancelled);
    let html = page(&app, &format!("{BASE}/jobs")).await;
    assert!(html.contains("afgebroken"));

    // Free again.
    let resp = app.post_form(&format!("{BASE}/suggestions/retrain"), &[]).await;
    done(&app, &job_of(&resp)).await;
}
on_both_backends!(running_job_refreshes_blocks_a_second_job_and_can_be_cancelled);

async fn job_running_when_the_service_stops_is_marked_failed_on_restart(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    // Its last heartbeat was two minutes ago: its instance stopped.
    let now = time::OffsetDateTime::now_utc() - time::Duration::minutes(2);
    let job = Job {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: Some(app.campaign.id.clone()),
        kind: "discover".into(),
        status: JobStatus::Running,
        progress: 0.4,
        message: "draden zoeken".into(),
        params: serde_json::json!({}),
        result: None,
        created_by: None,
        created_at: now,
        started_at: Some(now),
        finished_at: None,
    };
    app.store.create_job(&job).await.unwrap();
    // A job another instance is running right now (on PostgreSQL several instances share the
    // database; with SQLite only one process uses it, so that job too was interrupted).
    let live = Job {
        id: uuid::Uuid::new_v4().to_string(),
        // Not this campaign's: the database allows one running job per campaign.
        campaign_id: None,
        started_at: Some(time::OffsetDateTime::now_utc()),
        ..job.clone()
    };
    app.store.create_job(&live).await.unwrap();
    app.store.update_job(&live.id, JobStatus::Running, 0.5, "draden zoeken").await.unwrap();
    // A second start of the service on the same database.
    let config = luister::config::Config {
        data_dir: tempfile::tempdir().unwrap().keep(),
        database_url: Some(app.store_url()),
        addr: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    };
    let restarted = luister::Application::build(config).await.unwrap();
    let after = restarted.store.job(&job.id).await.unwrap();
    assert_eq!(after.status, JobStatus::Failed);
    assert!(after.message.contains("gestopt"), "{}", after.message);
    assert!(after.finished_at.is_some());
    let other = restarted.store.job(&live.id).await.unwrap().status;
    match backend {
        Backend::Postgres => {
            assert_eq!(other, JobStatus::Running, "another live instance's job is left alone")
        }
        Backend::Sqlite => assert_eq!(other, JobStatus::Failed),
    }
}
on_both_backends!(job_running_when_the_service_stops_is_marked_failed_on_restart);

async fn suggestions_are_retrained_and_measured_from_the_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    // The demo comes with one story in ten coded with its true themes.
    load_demo(app.store.clone(), 800).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let html = page(&app, &format!("{BASE}/suggestions")).await;
    assert!(html.contains("Nog niet getraind"));

    let resp = app.post_form(&format!("{BASE}/suggestions/retrain"), &[]).await;
    let job = done(&app, &job_of(&resp)).await;
    let report: luister::tagging::suggestions::Report = serde_json::from_value(job.result.unwrap()).unwrap();
    assert_eq!(report.labelled, 80);
    assert!(!report.themes_trained.is_empty() && report.suggestions > 0, "{report:?}");
    let tags = app.store.tags_for_campaign(&app.campaign.id).await.unwrap();
    let model: Vec<_> = tags.iter().filter(|t| t.source == TagSource::Model).collect();
    assert_eq!(model.len() as u64, report.suggestions);
    assert!(model.iter().all(|t| t.state == TagState::Suggested
        && t.confidence.is_some_and(|c| (0.0..=1.0).contains(&c))
        && t.explanation.as_ref().is_some_and(|w| !w.is_empty())));
    let html = page(&app, &format!("{BASE}/suggestions")).await;
    assert!(
        html.contains("Laatste training") && html.contains("geleerd van 80 van de 800 verhalen"),
        "{html}"
    );

    let resp = app.post_form(&format!("{BASE}/suggestions/evaluate"), &[("folds", "3")]).await;
    done(&app, &job_of(&resp)).await;
    let html = page(&app, &format!("{BASE}/suggestions")).await;
    assert!(html.contains("met 3 delen") && html.contains("Gemiddeld over thema"), "{html}");

    // Re-applying the rules is a job too.
    let resp = app.post_form(&format!("{BASE}/rules/apply"), &[]).await;
    done(&app, &job_of(&resp)).await;
}
on_both_backends!(suggestions_are_retrained_and_measured_from_the_page);

#[test]
fn discover_command_prints_the_same_threads_for_the_same_seed_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let luister = || std::process::Command::new(env!("CARGO_BIN_EXE_luister"));
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns/eigen-netwerk.toml");
    assert!(luister().args(["--data-dir", data, "campaign", "import", campaign]).status().unwrap().success());
    let demo = dir.path().join("demo.jsonl");
    let out = luister()
        .args(["demo", "generate", "--stories", "300", "--output", demo.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        luister().args(["--data-dir", data, "import", demo.to_str().unwrap()]).status().unwrap().success()
    );
    let discover = |seed: &str| {
        let out = luister()
            .args([
                "--data-dir",
                data,
                "discover",
                "--campaign",
                "eigen-netwerk",
                "--k",
                "6",
                "--seed",
                seed,
                "--json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let a = discover("5");
    assert_eq!(a, discover("5"), "deterministic for a seed");
    let threads = a["threads"].as_array().unwrap();
    assert!(threads.len() >= 5);
    let mut seen = 0;
    for t in threads {
        assert!(t["id"].is_u64() && t["size"].is_u64());
        assert!(!t["label_terms"].as_array().unwrap().is_empty());
        let members = t["members"].as_array().unwrap();
        assert_eq!(members.len() as u64, t["size"].as_u64().unwrap());
        let m = &members[0];
        assert!(m["story_id"].is_string() && m["score"].is_f64());
        assert!(m["external_id"].as_str().unwrap().starts_with("demo-"));
        seen += members.len();
    }
    seen += a["unassigned"].as_array().unwrap().len();
    assert_eq!(seen, 300);

    let out =
        luister().args(["--data-dir", data, "discover", "--campaign", "eigen-netwerk"]).output().unwrap();
    assert!(!out.status.success(), "--k or --auto is required");
    let out =
        luister().args(["--data-dir", data, "discover", "--campaign", "nope", "--auto"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("campaign 'nope'"));
}

#[test]
fn themes_evaluate_reports_precision_recall_and_f1_per_theme() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let luister = || std::process::Command::new(env!("CARGO_BIN_EXE_luister"));
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns/eigen-netwerk.toml");
    assert!(luister().args(["--data-dir", data, "campaign", "import", campaign]).status().unwrap().success());
    // Demo stories imported with their true themes as people's coding.
    let demo = dir.path().join("demo.jsonl");
    let lines: Vec<String> = luister::demo::generate(600, 11)
        .map(|d| {
            let mut v = serde_json::to_value(&d).unwrap();
            v["tags"] =
                d.true_themes.iter().map(|t| serde_json::json!({"theme": t, "state": "accepted"})).collect();
            v.to_string()
        })
        .collect();
    std::fs::write(&demo, lines.join("\n")).unwrap();
    assert!(
        luister().args(["--data-dir", data, "import", demo.to_str().unwrap()]).status().unwrap().success()
    );
    let out = luister()
        .args(["--data-dir", data, "themes", "evaluate", "--campaign", "eigen-netwerk", "--folds", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("3-fold cross-validation") && text.contains("precision") && text.contains("wachtlijst")
    );
    let macro_f1: f64 = text
        .lines()
        .find(|l| l.starts_with("macro average"))
        .and_then(|l| l.split_whitespace().nth(4))
        .and_then(|x| x.parse().ok())
        .expect("a macro average line");
    assert!(macro_f1 >= 0.8, "macro F1 {macro_f1}\n{text}");
}

async fn two_coders_code_a_sample_blind_and_see_kappa_alpha_and_disagreements(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    load_demo(app.store.clone(), 60).await.unwrap();
    let ana = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let themes = app.store.themes(Some(&app.campaign.id)).await.unwrap();
    let wachten = themes.iter().find(|t| t.name == "Wachtlijsten").unwrap();
    let school = themes.iter().find(|t| t.name == "School en onderwijs").unwrap();

    // No theme chosen: a message, and the name typed is kept.
    let resp = app
        .post_form(&format!("{BASE}/agreement"), &[("name", "Eerste ronde"), ("size", "6"), ("seed", "4")])
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Kies minstens één thema") && html.contains("value=\"Eerste ronde\""));

    let resp = app
        .post_form(
            &format!("{BASE}/agreement"),
            &[
                ("name", "Eerste ronde"),
                ("size", "6"),
                ("seed", "4"),
                ("theme", &wachten.id),
                ("theme", &school.id),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let sample_url = resp.headers()["location"].to_str().unwrap().to_string();
    let sample = app.store.samples(&app.campaign.id).await.unwrap().pop().unwrap();
    assert_eq!(sample.story_ids.len(), 6);
    let redrawn = luister::analysis::agreement::sample(
        &app.store
            .stories_page(&app.campaign.id, None, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        6,
        4,
    );
    assert_eq!(sample.story_ids, redrawn, "the same seed draws the same stories");

    // The coder page shows the story and the themes, not the tags or suggestions it has.
    let first = &sample.story_ids[0];
    app.store
        .set_tags(&[luister::domain::theme::Tag {
            story_id: first.clone(),
            theme_id: wachten.id.clone(),
            source: TagSource::Model,
            state: TagState::Suggested,
            confidence: Some(0.97),
            explanation: Some(vec![("geheimwoord".into(), 1.0)]),
            by_user: None,
            at: time::OffsetDateTime::now_utc(),
        }])
        .await
        .unwrap();
    let html = page(&app, &format!("{sample_url}/code")).await;
    assert!(
        html.contains("Verhaal 1 van 6")
            && html.contains("Wachtlijsten")
            && html.contains("School en onderwijs")
    );
    assert!(
        !html.contains("geheimwoord") && !html.contains("97%"),
        "blind: no model suggestion on the coder page"
    );

    // Ana codes half: results stay hidden from her.
    for (i, s) in sample.story_ids.iter().enumerate().take(3) {
        let t = if i == 0 { vec![wachten.id.clone()] } else { vec![] };
        code(&app, &sample_url, s, t).await;
    }
    let bob = crate::helpers::TestApp::second_browser(&app);
    bob.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    for (i, s) in sample.story_ids.iter().enumerate() {
        // Bob agrees on the first story, adds school to the second.
        let t = match i {
            0 => vec![wachten.id.clone()],
            1 => vec![school.id.clone()],
            _ => vec![],
        };
        code(&bob, &sample_url, s, t).await;
    }
    let html = page(&app, &sample_url).await;
    assert!(html.contains("De uitkomst zie je als je alle 6 verhalen hebt gedaan"), "Ana is still coding");
    assert!(!html.contains("Verhalen om te bespreken"));

    for s in sample.story_ids.iter().skip(3) {
        code(&app, &sample_url, s, vec![]).await;
    }
    // Done: the coder page sends her to the results, with kappa and alpha per theme.
    let resp = app.client.get(app.url(&format!("{sample_url}/code"))).send().await.unwrap();
    assert_eq!(resp.headers()["location"].to_str().unwrap(), sample_url);
    let html = page(&app, &sample_url).await;
    assert!(html.contains("Kappa") && html.contains("Alfa"), "{html}");
    assert!(html.contains("Verhalen om te bespreken (1)"), "school on the second story: {html}");
    assert!(html.contains(&format!("wel {}", "Test facilitator")), "who said what");
    // Wachtlijsten: both applied it to the first story only: perfect agreement.
    let codings = app.store.sample_codings(&sample.id).await.unwrap();
    let input: Vec<_> = codings
        .iter()
        .map(|c| luister::analysis::agreement::Coding {
            coder: c.coder_id.clone(),
            unit: c.story_id.clone(),
            theme: c.theme_id.clone(),
            applied: c.applied,
        })
        .collect();
    let coders =
        vec![ana.id.clone(), codings.iter().find(|c| c.coder_id != ana.id).unwrap().coder_id.clone()];
    let result = luister::analysis::agreement::agreement(
        &input,
        &coders,
        &sample.story_ids,
        &[wachten.id.clone(), school.id.clone()],
    );
    assert_eq!(result[0].kappa, Some(1.0));
    assert_eq!(result[1].disagreements.len(), 1);
    assert!(html.contains("1.00"), "kappa 1 for Wachtlijsten shown");
}
on_both_backends!(two_coders_code_a_sample_blind_and_see_kappa_alpha_and_disagreements);

/// One coder's decision on one story of a sample: the ticked themes apply, the others not.
async fn code(app: &TestApp, sample_url: &str, story: &str, themes: Vec<String>) {
    let mut fields: Vec<(&str, &str)> = vec![("story", story), ("then", "next")];
    fields.extend(themes.iter().map(|t| ("theme", t.as_str())));
    let resp = app.post_form(&format!("{sample_url}/code"), &fields).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------------------------------------
// Thread changes commit whole, with their audit entry, or not at all

async fn two_stories(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for text in ["Mijn buurvrouw hielp me met huiswerk.", "De buurvrouw las mijn huiswerk na."] {
        ids.push(crate::tagging::post_story(app, "eigen-netwerk", text).await);
    }
    ids
}

async fn renaming_a_thread_is_audited_in_the_same_transaction(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let stories = two_stories(&app).await;
    let job = crate::helpers::finished_run(&app, &app.campaign.id, &stories).await;
    let url = format!("{BASE}/discovery/{job}/threads/0");
    let fields = [("action", "rename"), ("name", "Buren helpen")];
    crate::tagging::a_failed_audit_changes_nothing(&app, &url, &fields, &stories, Some(&job)).await;
    let run = threads::run_of_job(&app.store.job(&job).await.unwrap()).unwrap();
    assert_eq!(run.threads[0].name.as_deref(), Some("Buren helpen"));
}
on_both_backends!(renaming_a_thread_is_audited_in_the_same_transaction);

async fn promoting_a_thread_is_one_transaction_with_its_audit_entry(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let stories = two_stories(&app).await;
    let job = crate::helpers::finished_run(&app, &app.campaign.id, &stories).await;
    let url = format!("{BASE}/discovery/{job}/threads/0");
    crate::tagging::a_failed_audit_changes_nothing(
        &app,
        &url,
        &[("action", "promote")],
        &stories,
        Some(&job),
    )
    .await;
    // Promoted once: a theme, the thread pointing at it, a suggestion per story.
    let run = threads::run_of_job(&app.store.job(&job).await.unwrap()).unwrap();
    let theme = run.threads[0].theme_id.clone().expect("the thread is a theme");
    let themes = app.store.themes(Some(&app.campaign.id)).await.unwrap();
    assert_eq!(themes.iter().filter(|t| t.id == theme).count(), 1);
    assert_eq!(themes.len(), 1);
    for s in &stories {
        let tags = app.store.tags_for_story(s).await.unwrap();
        assert!(tags.iter().any(|t| t.theme_id == theme && t.state == TagState::Suggested));
    }
    // Again: the thread already is a theme, said on the page; nothing new.
    let resp = app.post_form(&url, &[("action", "promote")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("al een thema"));
    assert_eq!(app.store.themes(Some(&app.campaign.id)).await.unwrap().len(), 1);
}
on_both_backends!(promoting_a_thread_is_one_transaction_with_its_audit_entry);

async fn a_finished_job_says_klaar_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let stories = two_stories(&app).await;
    let job = crate::helpers::finished_run(&app, &app.campaign.id, &stories).await;
    let html = app.get(&format!("{BASE}/jobs/{job}")).await.text().await.unwrap();
    let status = html.split("class=\"job-status\"").nth(1).unwrap().split("</div>").next().unwrap();
    assert_eq!(status.matches("klaar").count(), 1, "{status}");
    let list = app.get(&format!("{BASE}/jobs")).await.text().await.unwrap();
    assert!(!list.contains("klaar klaar") && !list.contains("klaar</span> klaar"), "{list}");
}
on_both_backends!(a_finished_job_says_klaar_once);
