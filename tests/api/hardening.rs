//! The holes a probe of the running service found (issue 8), each repeated here against the real
//! app: requests that once took the whole process down, the steering role reading small groups,
//! an open redirect, story sets that outlived membership, formula injection, withdrawn text left
//! on disk, and the smaller gaps.

use crate::helpers::{Backend, TestApp, good_form, receipt_code, spawn_app, spawn_app_with, system_audit};
use crate::on_both_backends;
use luister::domain::{CampaignDef, Role};
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Stories through the API; returns their ids.
async fn tell(app: &TestApp, slug: &str, texts: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for text in texts {
        let body = serde_json::json!({
            "text": text, "title": "Een verhaal", "perspective": "youth", "prompt": "zelf-geregeld",
            "consent": true, "answers": { "gevoel": "boos" }
        });
        let resp = app
            .client
            .post(app.url(&format!("/api/v1/campaigns/{slug}/stories")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED, "{}", resp.text().await.unwrap());
        ids.push(resp.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    ids
}

/// Waits until the index holds `n` stories.
async fn indexed(app: &TestApp, n: usize) {
    let started = Instant::now();
    loop {
        let total = app
            .search
            .live()
            .map(|l| luister::search::exec::run(&l, &Default::default()).map(|r| r.total).unwrap_or(0));
        if total == Some(n) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "index did not catch up: {total:?} of {n}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

async fn still_answers(app: &TestApp) {
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK, "the service must still answer");
}

async fn a_huge_page_number_gets_422_and_the_service_keeps_answering(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    tell(&app, "eigen-netwerk", &["Op school hielp mijn mentor me elke week met plannen."]).await;
    indexed(&app, 1).await;
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    for path in [
        "/api/v1/search?page=100000000",
        "/api/v1/search?q=school&page=100000000&per_page=100",
        "/api/v1/search?page=18446744073709551615",
        "/search?q=school&page=100000000",
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let body = resp.text().await.unwrap();
        assert!(
            body.contains("10000") || body.contains("10,000"),
            "{path}: says how far one can page: {body}"
        );
    }
    still_answers(&app).await;
    assert_eq!(
        app.get("/api/v1/search?q=school&page=2").await.status(),
        StatusCode::OK,
        "an empty page is fine"
    );
}
on_both_backends!(a_huge_page_number_gets_422_and_the_service_keeps_answering);

#[tokio::test]
async fn deeply_nested_long_and_costly_queries_get_422_and_the_service_keeps_answering() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    // 600 different words that start with "wxq": one prefix that stands for too many words.
    let words: Vec<String> = (0..600).map(|i| format!("wxq{i:03}zl")).collect();
    let texts: Vec<String> =
        words.chunks(60).map(|c| format!("Dit verhaal gaat over {} en meer.", c.join(" "))).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    tell(&app, "eigen-netwerk", &refs).await;
    indexed(&app, refs.len()).await;
    app.sign_in_as(Role::Admin, &[]).await;
    let nested = format!("{}school", "(".repeat(1_500));
    let cases = [
        format!("/api/v1/search?q={}", enc(&nested)),
        format!("/api/v1/search?f={}", enc(&nested)),
        format!("/search?q={}", enc(&nested)),
        format!("/api/v1/search?q={}", enc(&"a".repeat(5_000))),
        format!("/api/v1/search?q={}", enc(&vec!["woord"; 500].join(" "))),
        format!("/api/v1/search?q={}", enc(&vec!["wa*"; 5_000].join(" OR "))),
        format!("/api/v1/search?q={}", enc("wxq*")),
    ];
    for path in &cases {
        let started = Instant::now();
        let resp = app.get(path).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", &path[..80.min(path.len())]);
        assert!(started.elapsed() < Duration::from_secs(5), "refused quickly");
    }
    let body: serde_json::Value = app.get(&cases[6]).await.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("meer letters"), "{body}");
    still_answers(&app).await;
    let ok: serde_json::Value = app.get("/api/v1/search?q=wxq00*").await.json().await.unwrap();
    assert_eq!(ok["total"], 1, "a prefix that stands for a few words still works");
}

#[tokio::test]
async fn searching_too_often_gets_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.searches_per_account_per_minute = 3).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/search?q=school").await.status(), StatusCode::OK);
    }
    let resp = app.get("/api/v1/search?q=school").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let page = app.get("/search?q=school").await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS, "the page shares the budget");
}

/// The attacks of the probe, as the steering account: none of them returns a number.
async fn the_steering_role_has_no_free_search_and_subtraction_recovers_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let mut texts = Vec::new();
    for i in 0..12 {
        texts.push(format!("Ik stond {i} maanden op de wachtlijst voor jeugdzorg en niemand belde terug."));
    }
    texts.push("Op de wachtlijst zat ik alleen, zonder hulp, met een uniek woord: kwispeltaart.".to_string());
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    tell(&app, "eigen-netwerk", &refs).await;
    indexed(&app, refs.len()).await;
    app.sign_in_as(Role::Steering, &[]).await;
    let attacks = [
        "/api/v1/search?q=wachtlijst",
        "/api/v1/search?q=wachtlijst&f=age%3A18-22",
        "/api/v1/search?q=wachtlijst+-jeugdzorg&f=age%3A18-22",
        "/api/v1/search?q=wachtlijst+jeugdzorg",
        "/api/v1/search",
        "/api/v1/search?q=-kwispeltaart",
        "/api/v1/search?q=kwispeltaart",
        "/api/v1/search?f=perspective%3Aparent",
        "/search?q=wachtlijst",
        "/search?q=-kwispeltaart",
        "/search",
    ];
    for path in attacks {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        let body = resp.text().await.unwrap();
        assert!(!body.contains("13") && !body.contains("12"), "{path}: no count in the refusal");
        assert!(!body.contains("kwispeltaart"), "{path}");
    }
    let overview = app.get("/overview").await.text().await.unwrap();
    assert!(!overview.contains("href=\"/search\""), "no search link for steering");
    // 13 youth stories, no other perspective: the empty groups are not exact either, and the
    // total is not exact next to hidden cells.
    assert!(overview.contains(">13<"), "13 youths is shown: {overview}");
    assert!(!overview.contains(">0<"), "0 is not exact where 1 to 4 would be hidden");
    assert!(overview.contains("minder dan 5"));
    assert!(!overview.contains(">13</td>\n    </tr>"), "no exact total beside hidden cells");
}
on_both_backends!(the_steering_role_has_no_free_search_and_subtraction_recovers_nothing);

#[tokio::test]
async fn login_never_redirects_off_site() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let html = app.get("/login?next=%2F%09%2Fevil.example%2F").await.text().await.unwrap();
    assert!(!html.contains("evil.example"), "the tab trick is not carried into the form");
    let email = "stuur@example.nl";
    luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: email.into(),
            name: "S".into(),
            role: Role::Facilitator,
            password: "lange zin met wolken en trompetten".into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    for next in
        ["/\t/evil.example/", "/\\evil.example", "//evil.example", "/\n/evil.example", "https://evil.example"]
    {
        let second = TestApp::second_browser(&app);
        let resp = second
            .post_form(
                "/login",
                &[("email", email), ("password", "lange zin met wolken en trompetten"), ("next", next)],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let to = resp.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/manage", "{next:?} must not be followed");
    }
}

async fn a_story_set_closes_when_its_maker_leaves_the_campaign(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let ids =
        tell(&app, "eigen-netwerk", &["Mijn gezinsvoogd luisterde eindelijk naar wat ik zelf wilde."]).await;
    indexed(&app, 1).await;
    let user = app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app
        .post_form(
            "/search/save",
            &[
                ("name", "Gezinsvoogd"),
                ("query", &format!("f=campaign%3A{}", app.campaign.id)),
                ("freeze", "1"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set = resp.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&set).await.text().await.unwrap();
    assert!(html.contains("Een verhaal"), "the member sees the set");
    app.store.set_membership(&app.campaign.id, &user.id, false, &system_audit()).await.unwrap();
    let resp = app.get(&set).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let html = resp.text().await.unwrap();
    assert!(
        !html.contains("Een verhaal") && !html.contains("gezinsvoogd"),
        "no titles or text after leaving"
    );
    assert!(!html.contains(&ids[0]));
    for action in ["rename", "delete"] {
        let resp = app.post_form(&format!("{set}/{action}"), &[("name", "x")]).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{action}");
    }
}
on_both_backends!(a_story_set_closes_when_its_maker_leaves_the_campaign);

#[tokio::test]
async fn saving_a_set_with_a_campaign_slug_instead_of_its_id_is_a_422_not_a_500() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.sign_in_as(Role::Admin, &[]).await;
    let resp =
        app.post_form("/search/save", &[("name", "Proef"), ("query", "f=campaign%3Aeigen-netwerk")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("campaign:eigen-netwerk"));
}

async fn csv_exports_never_hand_a_spreadsheet_a_formula(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let body = serde_json::json!({
        "text": "=CONCAT(\"ht\",\"tp://x\") was wat ik typte, en daarna nog een heel verhaal over school.",
        "title": "=HYPERLINK(\"http://evil.example\",\"klik\")",
        "perspective": "youth", "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "boos" }
    });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let resp = app
        .post_form(
            "/manage/campaigns/eigen-netwerk/themes",
            &[("name", "+Formule"), ("rule", "-school wachtlijst"), ("colour", "#2e6b30")],
        )
        .await;
    assert!(resp.status().is_redirection() || resp.status().is_success(), "{}", resp.status());
    let csv = app.get("/manage/campaigns/eigen-netwerk/export?format=csv").await.text().await.unwrap();
    let codebook =
        app.get("/manage/campaigns/eigen-netwerk/themes/export?format=csv").await.text().await.unwrap();
    for text in [&csv, &codebook] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let t = cell.trim_start();
                assert!(
                    !t.starts_with(['=', '+', '-', '@']) && !cell.starts_with(['\t', '\r']),
                    "a cell a spreadsheet would run: {cell:?}"
                );
            }
        }
    }
    assert!(csv.contains("'=HYPERLINK"), "the title is kept, as text");
    assert!(codebook.contains("'+Formule") && codebook.contains("'-school wachtlijst"));
    // Reading our own export back gives the original cells.
    let entries = luister::tagging::codebook::parse_csv(&codebook).unwrap();
    let e = entries.iter().find(|e| e.name == "+Formule").expect("theme read back");
    assert_eq!(e.rule.as_deref(), Some("-school wachtlijst"));
}
on_both_backends!(csv_exports_never_hand_a_spreadsheet_a_formula);

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                found.push(p.display().to_string());
            }
        }
    }
    found
}

async fn a_withdrawn_story_is_gone_from_the_data_files_within_the_purge_time(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.purge_interval_seconds = 2).await else { return };
    let word = "zorgvlinderkwastje";
    let resp = app
        .post_form(
            "/c/eigen-netwerk/submit",
            &good_form()
                .into_iter()
                .map(|(k, v)| {
                    if k == "text" {
                        (k, "Ik wil dit vertellen over het zorgvlinderkwastje dat ik kreeg op de groep.")
                    } else {
                        (k, v)
                    }
                })
                .collect::<Vec<_>>(),
        )
        .await;
    let code = receipt_code(&resp.text().await.unwrap()).expect("receipt");
    indexed(&app, 1).await;
    // Wait a purge round so the positive check below is not about a WAL that is reset anyway.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = files_containing(app.dir.path(), word.as_bytes());
    assert!(!before.is_empty(), "the word must be on disk first, or this test proves nothing");
    let resp = app.post_form("/receipt/withdraw", &[("code", &code), ("lang", "nl")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let started = Instant::now();
    loop {
        let left = files_containing(app.dir.path(), word.as_bytes());
        if left.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2 + 3),
            "still on disk after the purge time: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
on_both_backends!(a_withdrawn_story_is_gone_from_the_data_files_within_the_purge_time);

#[tokio::test]
async fn guessing_receipt_codes_is_limited_and_codes_can_be_sent_in_a_body() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.post_form("/c/eigen-netwerk/submit", &good_form()).await;
    let code = receipt_code(&resp.text().await.unwrap()).unwrap();
    let resp = app
        .client
        .post(app.url("/api/v1/receipts/lookup"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(app.get("/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TUVW").await.status());
    }
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    let resp = app.client.delete(app.url("/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TUVW")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let resp = app.post_form("/receipt", &[("code", "ABCD-EFGH-JKMN-PQRS-TUVW")]).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "the form shares the budget");
    // Another client still gets through, and withdraws by body.
    let other = spawn_app_with(Backend::Sqlite, |c| c.trusted_proxy_header = Some("X-Forwarded-For".into()))
        .await
        .unwrap();
    let resp = other.post_form("/c/eigen-netwerk/submit", &good_form()).await;
    let code = receipt_code(&resp.text().await.unwrap()).unwrap();
    for i in 0..11 {
        other
            .client
            .get(other.url("/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TUVW"))
            .header("X-Forwarded-For", "192.0.2.9")
            .send()
            .await
            .unwrap();
        let _ = i;
    }
    let resp = other
        .client
        .post(other.url("/api/v1/receipts/withdraw"))
        .header("X-Forwarded-For", "198.51.100.4")
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn wrong_passwords_from_elsewhere_never_lock_the_owner_out() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.trusted_proxy_header = Some("X-Forwarded-For".into()))
        .await
        .unwrap();
    let email = "medewerker@example.nl";
    let password = "lange zin met wolken en trompetten";
    luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: email.into(),
            name: "M".into(),
            role: Role::Facilitator,
            password: password.into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    let token = app.csrf().await;
    let login = |from: &'static str, pw: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            app.client
                .post(app.url("/login"))
                .header("X-Forwarded-For", from)
                .form(&[("email", email), ("password", pw), ("_csrf", token.as_str())])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let mut attacker = Vec::new();
    for _ in 0..8 {
        attacker.push(login("203.0.113.66", "raden raden raden").await);
    }
    assert_eq!(*attacker.last().unwrap(), StatusCode::TOO_MANY_REQUESTS, "{attacker:?}");
    assert_eq!(
        login("203.0.113.66", "lange zin met wolken en trompetten").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the failing client waits, even with the right password"
    );
    assert_eq!(
        login("198.51.100.20", "lange zin met wolken en trompetten").await,
        StatusCode::SEE_OTHER,
        "the owner gets in"
    );
    let _ = password;
}

#[tokio::test]
async fn a_failed_login_never_stores_what_was_typed_as_the_email() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let typed = format!("MijnGeheimWachtwoord!{}", "x".repeat(300_000));
    let resp = app.post_form("/login", &[("email", &typed), ("password", "iets")]).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let entries = app.store.audit_entries(&Default::default()).await.unwrap();
    let failed: Vec<_> = entries.iter().filter(|e| e.action == "login_failed").collect();
    assert_eq!(failed.len(), 1);
    let stored = format!("{:?}", failed[0]);
    assert!(!stored.contains("MijnGeheim"), "{stored}");
    assert!(stored.len() < 1_000);
    assert_eq!(failed[0].target.as_deref(), Some("unknown account"));
}

#[tokio::test]
async fn the_current_password_check_is_rate_limited() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.sign_in_as(Role::Facilitator, &[]).await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let resp = app
            .post_form("/account/password", &[("current", "raden raden"), ("new", "x"), ("repeat", "x")])
            .await;
        statuses.push(resp.status());
    }
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
}

#[tokio::test]
async fn the_csrf_cookie_changes_at_login() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let before = app.csrf().await;
    app.sign_in_as(Role::Facilitator, &[]).await;
    let after = app.csrf().await;
    assert_ne!(before, after, "a token planted before login is worthless after it");
    let resp = app.post_form("/account/password", &[("_csrf", &before), ("current", "x")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "the old token no longer works");
}

#[tokio::test]
async fn trickling_clients_are_cut_off_and_cannot_hold_the_service() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.header_read_timeout_seconds = 1;
        c.max_connections = 20;
    })
    .await
    .unwrap();
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
        slow.push(s);
    }
    // All connections are taken; after the header deadline they are closed and others get in.
    let started = Instant::now();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(5));
    for mut s in slow {
        let mut buf = [0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
        match n {
            Ok(Ok(n)) => {
                assert!(n == 0 || String::from_utf8_lossy(&buf[..n]).contains("408"), "closed or timed out")
            }
            Ok(Err(_)) => {}
            Err(_) => panic!("a trickling connection was still open after the header deadline"),
        }
    }
}

#[tokio::test]
async fn a_draft_is_a_404_for_the_public_and_its_slug_is_not_confirmed() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut def = CampaignDef::from_toml(crate::helpers::DEMO_TOML).unwrap();
    def.slug = "geheim-concept".into();
    def.title.nl = "Een Geheime Conceptcampagne".into();
    def.status = luister::domain::CampaignStatus::Draft;
    app.store.save_campaign(&def, &system_audit()).await.unwrap();
    let resp = app.get("/c/geheim-concept").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(!resp.text().await.unwrap().contains("Geheime"));
    assert_eq!(app.get("/api/v1/campaigns/geheim-concept").await.status(), StatusCode::NOT_FOUND);
    app.sign_in_as(Role::Facilitator, &[]).await;
    let resp = app
        .post_form(
            "/manage/campaigns/new",
            &[
                ("slug", "geheim-concept"),
                ("title_nl", "Mijn campagne"),
                ("policy_question_nl", "Werkt het?"),
            ],
        )
        .await;
    let html = resp.text().await.unwrap();
    assert!(!html.contains("bestaat al") && !html.contains("Geheime"), "{html}");
}

#[tokio::test]
async fn a_foreign_host_name_is_refused_so_dns_rebinding_gets_nothing() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.client.get(app.url("/")).header("Host", "evil.example:8080").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::MISDIRECTED_REQUEST);
    let resp = app.client.get(app.url("/")).header("Host", "localhost").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let public = spawn_app_with(Backend::Sqlite, |c| c.public_url = Some("http://luister.example.nl".into()))
        .await
        .unwrap();
    let resp = public.client.get(public.url("/")).header("Host", "luister.example.nl").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = public.client.get(public.url("/")).header("Host", "other.example").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn floods_of_answers_and_oversized_bodies_get_short_clear_refusals() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let answers: serde_json::Map<String, serde_json::Value> =
        (0..20_000).map(|i| (format!("vraag{i}"), serde_json::json!(1))).collect();
    let body = serde_json::json!({ "text": "Een verhaal dat lang genoeg is om te bewaren.", "perspective": "youth",
        "prompt": "zelf-geregeld", "consent": true, "answers": answers });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = resp.text().await.unwrap();
    assert!(text.len() < 10_000, "{} bytes", text.len());
    assert!(text.contains("too_many_answers"));
    let answers: serde_json::Map<String, serde_json::Value> =
        (0..150).map(|i| (format!("vraag{i}"), serde_json::json!(1))).collect();
    let body = serde_json::json!({ "text": "kort", "perspective": "youth", "answers": answers });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    let errors: serde_json::Value = resp.json().await.unwrap();
    assert!(errors["errors"].as_array().unwrap().len() <= 25, "reported problems are capped");
    let huge = serde_json::json!({ "text": "x".repeat(600_000), "perspective": "youth" });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&huge).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let resp = app
        .client
        .post(app.url("/c/eigen-netwerk/preview"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("text={}", "x".repeat(600_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

async fn nul_and_direction_overrides_never_reach_a_stored_story(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let sneaky = "Mijn verhaal\u{0}: de hulp kwam \u{202E}nooit\u{202C} en \u{2067}nergens\u{2069}, echt waar, al maanden.";
    let body = serde_json::json!({ "text": sneaky, "title": "t\u{202E}itel\u{0}", "perspective": "youth",
        "prompt": "zelf-geregeld", "consent": true, "answers": { "gevoel": "boos" } });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let fields = good_form()
        .into_iter()
        .map(|(k, v)| if k == "text" { (k, sneaky) } else { (k, v) })
        .collect::<Vec<_>>();
    let resp = app.post_form("/c/eigen-netwerk/submit", &fields).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let line = format!(
        "{}\n",
        serde_json::json!({ "campaign": "eigen-netwerk", "external_id": "x\u{0}\u{202E}1", "text": sneaky,
            "perspective": "parent", "prompt": "zelf-geregeld", "answers": { "gevoel": "boos" } })
    );
    luister::transfer::import::import_jsonl(
        app.store.clone(),
        line.as_bytes(),
        luister::domain::story::StorySource::Import,
        |_, _| {},
    )
    .await
    .unwrap();
    let mut stories = Vec::new();
    let mut after = None;
    loop {
        let page = app.store.stories_page(&app.campaign.id, after.as_ref(), 100).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(luister::store::StoryCursor { created_at: last.created_at, id: last.id.clone() });
        stories.extend(page);
    }
    assert_eq!(stories.len(), 3);
    for s in stories {
        let all = format!("{}{}{}", s.text, s.title.unwrap_or_default(), s.external_id.unwrap_or_default());
        assert!(
            !all.chars().any(|c| c == '\u{0}'
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{all:?}"
        );
    }
}
on_both_backends!(nul_and_direction_overrides_never_reach_a_stored_story);

/// A form post with one mistake: no story text.
fn form_without_text() -> Vec<(&'static str, &'static str)> {
    good_form().into_iter().map(|(k, v)| if k == "text" { (k, "") } else { (k, v) }).collect()
}

async fn a_flood_of_bad_submissions_gets_429_with_retry_after_before_validation(backend: Backend) {
    // Three stories an hour, so the default budget (ten times that) is 30 refused posts.
    let Some(app) = spawn_app_with(backend, |c| c.stories_per_client_per_hour = 3).await else { return };
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(app.post_form("/c/eigen-netwerk/submit", &form_without_text()).await.status());
    }
    assert!(statuses.iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    for path in ["/c/eigen-netwerk/submit", "/c/eigen-netwerk/preview"] {
        let resp = app.post_form(path, &form_without_text()).await;
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert!(resp.text().await.unwrap().contains("Even wachten"));
    }
    // Even a good story waits now, and the API answers the same budget in JSON.
    let resp = app.post_form("/c/eigen-netwerk/preview", &good_form()).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = serde_json::json!({ "text": "kort", "perspective": "youth" });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap()["code"], "too_many_requests");
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 0);
}
on_both_backends!(a_flood_of_bad_submissions_gets_429_with_retry_after_before_validation);

async fn a_few_mistakes_and_previews_then_a_good_story_is_accepted(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.stories_per_client_per_hour = 3).await else { return };
    for _ in 0..5 {
        let resp = app.post_form("/c/eigen-netwerk/preview", &form_without_text()).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let bad = serde_json::json!({ "text": "kort", "perspective": "youth" });
    let resp =
        app.client.post(app.url("/api/v1/campaigns/eigen-netwerk/stories")).json(&bad).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let preview = app.post_form("/c/eigen-netwerk/preview", &good_form()).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let fields = crate::helpers::hidden_fields(&preview.text().await.unwrap());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = app.post_form("/c/eigen-netwerk/submit", &pairs).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(receipt_code(&resp.text().await.unwrap()).is_some(), "the story is stored with a receipt");
    assert_eq!(app.store.count_stories(&app.campaign.id).await.unwrap(), 1);
}
on_both_backends!(a_few_mistakes_and_previews_then_a_good_story_is_accepted);
