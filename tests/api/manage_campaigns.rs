//! Campaign management in the browser, as a facilitator and an admin use it.

use crate::helpers::{Backend, TestApp, hidden_fields, spawn_app, unescape};
use crate::on_both_backends;
use luister::domain::audit::AuditFilter;
use luister::domain::{Answer, AuditAction, CampaignDef, CampaignStatus, Localized, Role, SignifierKind};
use reqwest::StatusCode;

/// Posts a form that must succeed: 303 back to a page. Returns where it goes.
async fn post_ok(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    let resp = app.post_form(path, fields).await;
    let status = resp.status();
    let location = resp.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    let body = resp.text().await.unwrap();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "POST {path} should redirect; page was:\n{}",
        error_lines(&body)
    );
    location.expect("redirect has a location")
}

/// Posts a form that must be refused with 422; returns the page.
async fn post_422(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    let resp = app.post_form(path, fields).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "POST {path}");
    resp.text().await.unwrap()
}

async fn page(app: &TestApp, path: &str) -> String {
    let resp = app.get(path).await;
    assert_eq!(resp.status(), StatusCode::OK, "GET {path}");
    resp.text().await.unwrap()
}

/// The error messages of a page, for assertion messages.
fn error_lines(html: &str) -> String {
    html.lines().filter(|l| l.contains("error")).collect::<Vec<_>>().join("\n")
}

fn new_campaign_fields<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", "jeugd-utrecht"),
        ("title_nl", "Jeugdhulp in Utrecht"),
        ("title_en", "Youth care in Utrecht"),
        ("policy_question_nl", "Werkt de wijkaanpak zoals bedoeld?"),
        ("intro_nl", "Vertel ons over jouw ervaring."),
        ("intro_en", "Tell us about your experience."),
        ("languages", "nl"),
        ("languages", "en"),
        ("opens", ""),
        ("closes", ""),
        ("retention_days", "730"),
        ("min_chars", "20"),
        ("max_chars", "20000"),
        ("ask_age_band", "1"),
        ("region", "none"),
        ("prompt_id", "verhaal"),
        ("prompt_nl", "Vertel over een moment waarop je hulp kreeg, of juist niet."),
        ("prompt_en", "Tell us about a time you got help, or did not."),
    ]
}

async fn create_campaign(app: &TestApp) -> String {
    let to = post_ok(app, "/manage/campaigns/new", &new_campaign_fields()).await;
    assert_eq!(to, "/manage/campaigns/jeugd-utrecht?done=created");
    "/manage/campaigns/jeugd-utrecht".to_string()
}

async fn add_signifiers(app: &TestApp, base: &str) {
    let add = format!("{base}/signifiers");
    post_ok(
        app,
        &add,
        &[
            ("sig_id", "wat_telde"),
            ("sig_kind", "triad"),
            ("sig_question_nl", "Wat telde het meest?"),
            ("sig_question_en", "What counted most?"),
            (
                "sig_labels",
                "Gehoord worden | Being heard\nSnel hulp | Quick help\nZelf kiezen | Choosing myself",
            ),
        ],
    )
    .await;
    post_ok(
        app,
        &add,
        &[
            ("sig_id", "regie"),
            ("sig_kind", "dyad"),
            ("sig_question_nl", "Wie had de regie?"),
            ("sig_question_en", "Who was in charge?"),
            ("sig_labels", "Anderen | Others\nIk zelf | Me"),
        ],
    )
    .await;
    post_ok(
        app,
        &add,
        &[
            ("sig_id", "wie"),
            ("sig_kind", "choice"),
            ("sig_multiple", "1"),
            ("sig_question_nl", "Wie hielp?"),
            ("sig_question_en", "Who helped?"),
            (
                "sig_labels",
                "ouders | Ouders | Parents\nschool | School | School\nvrienden | Vrienden | Friends",
            ),
        ],
    )
    .await;
}

async fn facilitator_builds_previews_and_opens_a_campaign(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let me = app.sign_in_as(Role::Facilitator, &[]).await;
    let home = page(&app, "/manage").await;
    assert!(home.contains("href=\"/manage/campaigns/new\""), "new campaign button");
    assert!(!home.contains("eigen-netwerk"), "not a member of the demo campaign");

    let base = create_campaign(&app).await;
    let stored = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap();
    assert_eq!(stored.def.status, CampaignStatus::Draft);
    assert!(app.store.memberships(&me.id).await.unwrap().contains(&stored.id), "creator is a member");
    let home = page(&app, "/manage").await;
    assert!(home.contains("Jeugdhulp in Utrecht") && home.contains("concept"), "listed with its status");

    add_signifiers(&app, &base).await;
    let def = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap().def;
    let kinds: Vec<&str> = def.signifiers.iter().map(|s| s.kind.name()).collect();
    assert_eq!(kinds, ["triad", "dyad", "choice"]);

    // Labels in both languages, on the signifier's own page.
    let edit = page(&app, &format!("{base}/signifiers/wat_telde")).await;
    assert!(edit.contains("value=\"Snel hulp\""), "the form shows the stored corners");
    post_ok(
        &app,
        &format!("{base}/signifiers/wat_telde"),
        &[
            ("question_nl", "Wat telde in dit verhaal het meest?"),
            ("question_en", "What counted most in this story?"),
            ("help_nl", "Zet de stip dichter bij wat meer telde."),
            ("help_en", "Put the dot closer to what counted more."),
            ("required", "1"),
            ("corner0_nl", "Gehoord worden"),
            ("corner0_en", "Being listened to"),
            ("corner1_nl", "Snel geholpen worden"),
            ("corner1_en", "Getting help quickly"),
            ("corner2_nl", "Zelf kiezen"),
            ("corner2_en", "Choosing myself"),
        ],
    )
    .await;
    post_ok(
        &app,
        &format!("{base}/signifiers/wie"),
        &[
            ("question_nl", "Wie hielp?"),
            ("question_en", "Who helped you?"),
            ("multiple", "1"),
            ("options", "vrienden | Vrienden | Friends\nouders | Ouders of verzorgers | Parents or carers"),
        ],
    )
    .await;
    let def = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap().def;
    let triad = def.signifier("wat_telde").unwrap();
    assert!(triad.required);
    assert_eq!(triad.help.as_ref().unwrap().en, "Put the dot closer to what counted more.");
    let SignifierKind::Triad { corners } = &triad.kind else { panic!("still a triad") };
    assert_eq!(corners[1], Localized::new("Snel geholpen worden", "Getting help quickly"));
    let wie = def.signifier("wie").unwrap();
    let SignifierKind::Choice { options, multiple: true } = &wie.kind else { panic!("multiple choice") };
    let view: Vec<(&str, bool)> = options.iter().map(|o| (o.id.as_str(), o.retired)).collect();
    assert_eq!(view, [("vrienden", false), ("ouders", false), ("school", true)], "left-out option retired");

    // Reorder: the choice moves above the dyad.
    post_ok(&app, &format!("{base}/signifiers/wie/move"), &[("direction", "up")]).await;
    let def = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap().def;
    let order: Vec<&str> = def.signifiers.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["wat_telde", "wie", "regie"]);

    // The preview is the storyteller's form, framed on the campaign page, sending nothing.
    let campaign_page = page(&app, &base).await;
    assert!(
        campaign_page.contains(
            "<iframe class=\"form-preview\" src=\"/manage/campaigns/jeugd-utrecht/preview?lang=nl\""
        )
    );
    assert!(
        campaign_page.contains("href=\"/manage/campaigns/jeugd-utrecht/preview?lang=en\""),
        "plain link too"
    );
    assert!(campaign_page.contains("verwijderd, oude antwoorden blijven leesbaar"), "retired option shown");
    let resp = app.get(&format!("{base}/preview?lang=nl")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(resp.headers()["x-frame-options"], "SAMEORIGIN");
    let preview = resp.text().await.unwrap();
    assert!(preview.contains("Voorbeeld: dit formulier verstuurt niets"));
    for needle in [
        "Wat telde in dit verhaal het meest?",
        "name=\"a.wat_telde.0\"",
        "type=\"range\"",
        "Ouders of verzorgers",
        "type=\"checkbox\" name=\"a.wie\"",
        "Vertel over een moment waarop je hulp kreeg",
    ] {
        assert!(preview.contains(needle), "preview lacks {needle}");
    }
    assert!(!preview.contains("value=\"school\""), "retired option not offered");
    assert!(preview.contains("class=\"button primary\" disabled"), "the preview sends nothing");
    assert!(!preview.contains("class=\"site-nav\""), "no workspace navigation: as a storyteller sees it");
    let en = page(&app, &format!("{base}/preview?lang=en")).await;
    assert!(en.contains("What counted most in this story?") && en.contains("<html lang=\"en\">"));

    // Draft: the public form does not exist yet (not even its title). Open it, and a storyteller can use it.
    let resp = app.get("/c/jeugd-utrecht").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "a draft takes no stories");
    assert!(!resp.text().await.unwrap().contains("name=\"a.wat_telde.0\""));
    post_ok(&app, &format!("{base}/status"), &[("status", "open")]).await;
    let public = page(&app, "/c/jeugd-utrecht").await;
    assert!(public.contains("Wat telde in dit verhaal het meest?"), "open campaign shows its form");
    assert!(!public.contains("verstuurt niets"));

    let story = [
        ("lang", "nl"),
        ("text", "Mijn oom hielp me toen ik uit huis moest, dat ging beter dan via de wijk."),
        ("perspective", "youth"),
        ("a.wat_telde.0", "20"),
        ("a.wat_telde.1", "30"),
        ("a.wat_telde.2", "50"),
        ("a.wie", "ouders"),
        ("a.regie", "80"),
        ("consent", "yes"),
    ];
    let resp = app.post_form("/c/jeugd-utrecht/preview", &story).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let fields = hidden_fields(&resp.text().await.unwrap());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.post_form("/c/jeugd-utrecht/submit", &pairs).await.status(), StatusCode::OK);
    let campaign = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap();
    assert_eq!(app.store.count_stories(&campaign.id).await.unwrap(), 1);

    // Removing the dyad retires it: old answers keep their question and poles.
    post_ok(&app, &format!("{base}/signifiers/regie/remove"), &[]).await;
    let campaign = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap();
    let regie = campaign.def.signifier("regie").expect("kept in the definition");
    assert!(regie.retired);
    assert_eq!(regie.question.nl, "Wie had de regie?");
    let (stories, _) = app
        .store
        .stories_newest(&campaign.id, &luister::store::StoryFilter { limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(stories[0].answers["regie"], Answer::Dyad(0.8));
    let public = page(&app, "/c/jeugd-utrecht").await;
    assert!(!public.contains("Wie had de regie?"), "removed question is off the form");
    let campaign_page = page(&app, &format!("{base}?done=signifier_removed")).await;
    assert!(campaign_page.contains("De vraag is verwijderd"));
    let regie_item = campaign_page.split("id=\"sig-regie\"").nth(1).unwrap();
    let regie_item: String = regie_item.chars().take(800).collect();
    assert!(regie_item.contains("verwijderd, oude antwoorden blijven leesbaar"));
    assert_eq!(app.get(&format!("{base}/signifiers/regie")).await.status(), StatusCode::NOT_FOUND);

    // Closed (after a confirm step), and open again; never back to draft.
    let ask = app.post_form(&format!("{base}/status"), &[("status", "closed")]).await;
    assert_eq!(ask.status(), StatusCode::OK, "closing asks first");
    assert!(ask.text().await.unwrap().contains("Campagne sluiten?"));
    let still = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap();
    assert_eq!(still.def.status, luister::domain::CampaignStatus::Open, "not closed without the confirm");
    post_ok(&app, &format!("{base}/status"), &[("status", "closed"), ("confirm", "1")]).await;
    post_422(&app, &format!("{base}/status"), &[("status", "draft")]).await;
    post_ok(&app, &format!("{base}/status"), &[("status", "open")]).await;

    // Every change raised the form version and was audited with ids, by the facilitator.
    let campaign = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap();
    assert!(campaign.form_version >= 10, "version {}", campaign.form_version);
    let filter = AuditFilter { campaign_id: Some(campaign.id.clone()), limit: 100, ..Default::default() };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    let changes: Vec<String> = entries
        .iter()
        .filter(|e| e.action == AuditAction::CampaignChanged.as_str())
        .map(|e| e.details["change"].as_str().unwrap_or("").to_string())
        .collect();
    for change in ["signifier_added", "signifier_changed", "signifier_moved", "signifier_removed", "status"] {
        assert!(changes.iter().any(|c| c == change), "{change} not audited in {changes:?}");
    }
    assert!(entries.iter().any(|e| e.action == "campaign_created" && e.actor_id.as_deref() == Some(&me.id)));
    assert!(
        entries
            .iter()
            .filter(|e| e.action == "campaign_changed")
            .all(|e| e.actor_id.as_deref() == Some(&me.id))
    );
    let added = entries.iter().find(|e| e.details["change"] == "signifier_added").unwrap();
    assert!(["wat_telde", "regie", "wie"].contains(&added.details["signifier"].as_str().unwrap()));
    assert!(entries.iter().all(|e| !e.details.to_string().contains("oom hielp")), "no story text");
}
on_both_backends!(facilitator_builds_previews_and_opens_a_campaign);

async fn prompts_are_added_edited_moved_and_removed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[]).await;
    let base = create_campaign(&app).await;
    post_ok(
        &app,
        &format!("{base}/prompts"),
        &[("prompt_id", "wat-nodig"), ("prompt_nl", "Wat had je nodig?"), ("prompt_en", "")],
    )
    .await;
    post_ok(
        &app,
        &format!("{base}/prompts/wat-nodig"),
        &[("nl", "Wat had je echt nodig?"), ("en", "What did you really need?")],
    )
    .await;
    post_ok(&app, &format!("{base}/prompts/wat-nodig/move"), &[("direction", "up")]).await;
    let def = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap().def;
    let ids: Vec<&str> = def.prompts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["wat-nodig", "verhaal"]);
    assert_eq!(def.prompts[0].text.en, "What did you really need?");
    // The storyteller now picks one of two prompts.
    let preview = page(&app, &format!("{base}/preview")).await;
    assert!(preview.contains("name=\"prompt\" value=\"wat-nodig\""));

    post_ok(&app, &format!("{base}/prompts/verhaal/remove"), &[]).await;
    let html = post_422(&app, &format!("{base}/prompts/wat-nodig/remove"), &[]).await;
    assert!(html.contains("enige uitnodiging"), "the last prompt stays");
    let def = app.store.campaign_by_slug("jeugd-utrecht").await.unwrap().def;
    assert!(def.prompts.iter().any(|p| p.id == "verhaal" && p.retired));
    let html =
        post_422(&app, &format!("{base}/prompts"), &[("prompt_id", "verhaal"), ("prompt_nl", "Opnieuw")])
            .await;
    assert!(html.contains("al gebruikt"), "a removed prompt's id stays taken");
    assert!(html.contains(">Opnieuw</textarea>"), "typed text kept");
}
on_both_backends!(prompts_are_added_edited_moved_and_removed);

async fn kind_change_is_refused_with_a_message(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk";
    let before = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();

    // Through the add form: the dyad's id for a triad.
    let html = post_422(
        &app,
        &format!("{base}/signifiers"),
        &[
            ("sig_id", "regie"),
            ("sig_kind", "triad"),
            ("sig_question_nl", "Nieuwe vraag"),
            ("sig_labels", "a\nb\nc"),
        ],
    )
    .await;
    assert!(html.contains("kan niet veranderen"), "{}", error_lines(&html));
    assert!(html.contains("value=\"Nieuwe vraag\""), "typed question kept");

    // Through a campaign file: the store's merge refuses it, and the page says why.
    let mut def = before.def.clone();
    def.signifiers.iter_mut().find(|s| s.id == "regie").unwrap().kind = SignifierKind::Triad {
        corners: [Localized::new("a", ""), Localized::new("b", ""), Localized::new("c", "")],
    };
    let toml = def.to_toml();
    let html = post_422(&app, &format!("{base}/import"), &[("toml", toml.as_str())]).await;
    assert!(html.contains("Niet opgeslagen"), "{}", error_lines(&html));
    assert!(html.contains("would no longer fit"), "{}", error_lines(&html));
    assert!(html.contains("class=\"error-summary\""));
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.form_version, before.form_version, "nothing saved");
}
on_both_backends!(kind_change_is_refused_with_a_message);

async fn toml_export_then_import_round_trips(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk";
    let resp = app.get(&format!("{base}/campaign.toml")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-disposition"], "attachment; filename=\"eigen-netwerk.toml\"");
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("application/toml"));
    let toml = resp.text().await.unwrap();
    assert_eq!(CampaignDef::from_toml(&toml).unwrap(), app.campaign.def);

    let to = post_ok(&app, &format!("{base}/import"), &[("toml", toml.as_str())]).await;
    assert!(to.starts_with("/manage/campaigns/eigen-netwerk?done=imported"));
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.def, app.campaign.def, "importing the export changes nothing");
    assert_eq!(after.form_version, app.campaign.form_version, "not even the form version");

    // An edited file: a label changes, a signifier is left out and becomes retired.
    let mut edited = app.campaign.def.clone();
    edited.title.en = "Arranging life with your own network".into();
    edited.signifiers.retain(|s| s.id != "steun");
    post_ok(&app, &format!("{base}/import"), &[("toml", edited.to_toml().as_str())]).await;
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.def.title.en, "Arranging life with your own network");
    assert!(after.def.signifier("steun").unwrap().retired);
    assert_eq!(after.form_version, app.campaign.form_version + 1);

    // Parser errors are shown with the parser's message, and the text stays in the box.
    let broken = "slug = \"eigen-netwerk\"\ntitle = [oops";
    let html = post_422(&app, &format!("{base}/import"), &[("toml", broken)]).await;
    assert!(html.contains("campaign file:"), "{}", error_lines(&html));
    assert!(unescape(&html).contains("title = [oops</textarea>"));
    // Another slug is refused.
    let other = toml.replace("slug = \"eigen-netwerk\"", "slug = \"ander\"");
    let html = post_422(&app, &format!("{base}/import"), &[("toml", other.as_str())]).await;
    assert!(html.contains("niet voor &#39;eigen-netwerk&#39;") || html.contains("niet voor 'eigen-netwerk'"));

    // A new campaign from a file: a copy under another slug, as a draft, with its creator.
    let html = page(&app, "/manage/campaigns/new").await;
    assert!(html.contains("action=\"/manage/campaigns/new/toml\""));
    let to = post_ok(&app, "/manage/campaigns/new/toml", &[("toml", other.as_str())]).await;
    assert_eq!(to, "/manage/campaigns/ander?done=created");
    let copy = app.store.campaign_by_slug("ander").await.unwrap();
    assert_eq!(copy.def.status, CampaignStatus::Draft, "starts as a draft whatever the file says");
    assert_eq!(copy.def.signifiers, app.campaign.def.signifiers);
    let html = post_422(&app, "/manage/campaigns/new/toml", &[("toml", other.as_str())]).await;
    assert!(html.contains("niet beschikbaar"), "a slug cannot be created twice");
}
on_both_backends!(toml_export_then_import_round_trips);

/// Every campaign-scoped route of this module, with a harmless body for the posts.
fn campaign_routes(slug: &str) -> Vec<(bool, String)> {
    let b = format!("/manage/campaigns/{slug}");
    let mut routes: Vec<(bool, String)> =
        ["", "/preview", "/preview?lang=en", "/campaign.toml", "/signifiers/regie"]
            .iter()
            .map(|p| (false, format!("{b}{p}")))
            .collect();
    for p in [
        "/settings",
        "/status",
        "/prompts",
        "/prompts/zelf-geregeld",
        "/prompts/zelf-geregeld/move",
        "/prompts/zelf-geregeld/remove",
        "/signifiers",
        "/signifiers/regie",
        "/signifiers/regie/move",
        "/signifiers/regie/remove",
        "/import",
        "/members",
    ] {
        routes.push((true, format!("{b}{p}")));
    }
    routes
}

async fn facilitator_who_is_not_a_member_gets_404_on_every_campaign_route(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[]).await;
    let before = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    for (post, path) in campaign_routes("eigen-netwerk").into_iter().chain(campaign_routes("bestaat-niet")) {
        let resp = if post {
            app.post_form(&path, &[("status", "closed"), ("direction", "up"), ("toml", "")]).await
        } else {
            app.get(&path).await
        };
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        let html = resp.text().await.unwrap();
        assert!(!html.contains("Leefwereldtoets"), "{path} shows nothing of the campaign");
    }
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.form_version, before.form_version);
    assert!(!page(&app, "/manage").await.contains("eigen-netwerk"));
}
on_both_backends!(facilitator_who_is_not_a_member_gets_404_on_every_campaign_route);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steering_gets_403_on_the_workspace_and_every_campaign_route() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    app.sign_in_as(Role::Steering, &[&app.campaign.id]).await;
    for path in ["/manage", "/manage/campaigns/new"] {
        assert_eq!(app.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in ["/manage/campaigns/new", "/manage/campaigns/new/toml"] {
        let resp = app.post_form(path, &new_campaign_fields()).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for (post, path) in campaign_routes("eigen-netwerk").into_iter().chain(campaign_routes("bestaat-niet")) {
        let resp =
            if post { app.post_form(&path, &[("status", "closed")]).await } else { app.get(&path).await };
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert!(app.store.campaign_by_slug("jeugd-utrecht").await.is_err());
}

async fn admin_manages_the_facilitators_of_a_campaign(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let anna = luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: "anna@example.nl".into(),
            name: "Anna de Vries".into(),
            role: Role::Facilitator,
            password: "lange zin met wolken en trompetten".into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap();
    let admin = app.sign_in_as(Role::Admin, &[]).await;
    let base = "/manage/campaigns/eigen-netwerk";
    let html = page(&app, base).await;
    assert!(html.contains("id=\"facilitators\""));
    assert!(html.contains(&format!("<option value=\"{}\">Anna de Vries", anna.id)), "a candidate");
    post_ok(&app, &format!("{base}/members"), &[("user", anna.id.as_str()), ("member", "1")]).await;
    let members = app.store.campaign_members(&app.campaign.id).await.unwrap();
    assert_eq!(members.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [anna.id.as_str()]);
    let filter = AuditFilter {
        action: Some(AuditAction::MembershipChanged),
        campaign_id: Some(app.campaign.id.clone()),
        limit: 10,
        ..Default::default()
    };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    assert!(entries.iter().any(|e| e.actor_id.as_deref() == Some(&admin.id) && e.details["member"] == true));
    // Admins see every campaign in the workspace.
    assert!(page(&app, "/manage").await.contains("/manage/campaigns/eigen-netwerk"));
    // Only facilitators become members.
    let html =
        post_422(&app, &format!("{base}/members"), &[("user", admin.id.as_str()), ("member", "1")]).await;
    assert!(html.contains("alleen facilitators"), "{}", error_lines(&html));
    post_ok(&app, &format!("{base}/members"), &[("user", anna.id.as_str()), ("member", "0")]).await;
    assert!(app.store.campaign_members(&app.campaign.id).await.unwrap().is_empty());

    // A facilitator who manages the campaign does not manage its members.
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let html = page(&app, base).await;
    assert!(!html.contains("id=\"facilitators\""));
    let resp =
        app.post_form(&format!("{base}/members"), &[("user", anna.id.as_str()), ("member", "1")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(app.store.campaign_members(&app.campaign.id).await.unwrap().len() == 1, "only the signed-in one");
}
on_both_backends!(admin_manages_the_facilitators_of_a_campaign);

async fn validation_errors_keep_what_was_typed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let fields = vec![
        ("slug", "Jeugd Utrecht"),
        ("title_nl", "Mijn <campagne>"),
        ("title_en", ""),
        ("languages", "nl"),
        ("languages", "en"),
        ("opens", "2026-05-01"),
        ("closes", "2026-04-01"),
        ("retention_days", "twee jaar"),
        ("min_chars", "500"),
        ("max_chars", "100"),
        ("region", "municipality"),
        ("prompt_id", "verhaal"),
        ("prompt_nl", "Vertel het maar"),
    ];
    let html = post_422(&app, "/manage/campaigns/new", &fields).await;
    assert!(html.contains("class=\"error-summary\""));
    for (target, typed) in [
        ("f-slug", "value=\"Jeugd Utrecht\""),
        ("f-title_en", "value=\"Mijn &#60;campagne&#62;\""),
        ("f-closes", "value=\"2026-04-01\""),
        ("f-retention_days", "value=\"twee jaar\""),
        ("f-min_chars", "value=\"500\""),
    ] {
        assert!(html.contains(&format!("href=\"#{target}\"")), "summary links to {target}");
        assert!(html.contains(typed), "kept {typed}");
    }
    assert!(html.contains("has-error"));
    assert!(html.contains("id=\"f-region-municipality\" checked"), "radio choice kept");
    assert!(html.contains(">Vertel het maar</textarea>"));
    assert!(html.contains("Engelse titel"), "says how to fix it");
    assert!(app.store.campaign_by_slug("jeugd-utrecht").await.is_err());

    let base = "/manage/campaigns/eigen-netwerk";
    let html = post_422(
        &app,
        &format!("{base}/signifiers"),
        &[
            ("sig_id", "hoe voelde"),
            ("sig_kind", "choice"),
            ("sig_question_nl", "Hoe voelde het?"),
            ("sig_labels", "blij | Blij\nboos"),
        ],
    )
    .await;
    assert!(html.contains("href=\"#f-sig_id\"") && html.contains("href=\"#f-sig_labels\""));
    assert!(html.contains("Regel 2"), "option line errors name the line");
    assert!(html.contains("value=\"Hoe voelde het?\"") && html.contains("blij | Blij\nboos</textarea>"));

    let html = post_422(
        &app,
        &format!("{base}/signifiers/gevoel"),
        &[("question_nl", ""), ("question_en", ""), ("options", "blij | Blij\nblij | Ook blij")],
    )
    .await;
    assert!(html.contains("href=\"#f-question_nl\"") && html.contains("twee keer"));
    assert!(html.contains("blij | Ook blij</textarea>"));

    let mut settings: Vec<(&str, &str)> = vec![("title_nl", "Nieuwe titel"), ("languages", "nl")];
    settings.extend([
        ("retention_days", "0"),
        ("min_chars", "20"),
        ("max_chars", "20000"),
        ("region", "region"),
    ]);
    let html = post_422(&app, &format!("{base}/settings"), &settings).await;
    assert!(html.contains("href=\"#f-retention_days\"") && html.contains("value=\"Nieuwe titel\""));
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.form_version, app.campaign.form_version, "nothing was saved");

    // Fixed, it saves.
    settings[2] = ("retention_days", "365");
    post_ok(&app, &format!("{base}/settings"), &settings).await;
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.def.retention_days, 365);
    assert_eq!(after.def.title.nl, "Nieuwe titel");
    assert_eq!(after.def.signifiers, app.campaign.def.signifiers, "settings leave the form alone");
    let filter = AuditFilter { campaign_id: Some(app.campaign.id.clone()), limit: 10, ..Default::default() };
    let entries = app.store.audit_entries(&filter).await.unwrap();
    let settings = entries.iter().find(|e| e.details["change"] == "settings").expect("audited");
    let fields = settings.details["fields"].as_array().unwrap();
    assert!(fields.contains(&"retention_days".into()) && fields.contains(&"title".into()), "{fields:?}");
}
on_both_backends!(validation_errors_keep_what_was_typed);

// ---------------------------------------------------------------------------------------------
// Two facilitators on one campaign: no lost updates.

/// The form version a page's forms carry.
fn loaded_version(html: &str) -> String {
    hidden_fields(html)
        .into_iter()
        .find(|(k, _)| k == "form_version")
        .expect("forms carry the form version")
        .1
}

async fn a_save_on_a_stale_form_version_gets_409_with_what_changed_and_keeps_what_was_typed(
    backend: Backend,
) {
    let Some(anna) = spawn_app(backend).await else { return };
    anna.sign_in_as(Role::Facilitator, &[&anna.campaign.id]).await;
    let bas = TestApp::second_browser(&anna);
    bas.sign_in_as(Role::Facilitator, &[&anna.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk";
    let anna_loaded = loaded_version(&page(&anna, base).await);
    let bas_page = page(&bas, base).await;
    let bas_loaded = loaded_version(&bas_page);
    let old_toml = bas.get(&format!("{base}/campaign.toml")).await.text().await.unwrap();
    assert_eq!(anna_loaded, bas_loaded);

    // Anna adds a question.
    post_ok(
        &anna,
        &format!("{base}/signifiers"),
        &[
            ("form_version", anna_loaded.as_str()),
            ("sig_id", "steun_van"),
            ("sig_kind", "dyad"),
            ("sig_question_nl", "Wie hielp het meest?"),
            ("sig_labels", "Niemand | Nobody\nIedereen | Everyone"),
        ],
    )
    .await;
    let after_anna = anna.store.campaign_by_slug("eigen-netwerk").await.unwrap();

    // Bas, on the page he loaded before, imports the old file and edits a prompt: both refused.
    let resp =
        bas.post_form(&format!("{base}/import"), &[("form_version", &bas_loaded), ("toml", &old_toml)]).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT, "a stale import is refused");
    let html = unescape(&resp.text().await.unwrap());
    assert!(html.contains("iemand anders heeft deze campagne intussen gewijzigd"), "says why");
    assert!(html.contains("vraag 'steun_van' toegevoegd"), "says what changed");
    assert!(html.contains(&old_toml.lines().next().unwrap().to_string()), "keeps the file he pasted");
    let typed = "Vertel over hulp die je zelf regelde (versie van Bas).";
    let resp = bas
        .post_form(
            &format!("{base}/prompts/zelf-geregeld"),
            &[("form_version", &bas_loaded), ("nl", typed), ("en", "")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let html = unescape(&resp.text().await.unwrap());
    assert!(html.contains(typed), "keeps what he typed");
    let now = loaded_version(&html);
    assert_eq!(now, after_anna.form_version.to_string(), "the page is the campaign as it is now");

    // Nothing of Anna's was overwritten or retired.
    let stored = anna.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(stored.form_version, after_anna.form_version);
    let question = stored.def.signifiers.iter().find(|s| s.id == "steun_van").expect("Anna's question");
    assert!(!question.retired, "Anna's new question is not retired");

    // Saving again on the version he now sees works.
    post_ok(
        &bas,
        &format!("{base}/prompts/zelf-geregeld"),
        &[("form_version", &now), ("nl", typed), ("en", "")],
    )
    .await;
    let stored = anna.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert!(stored.def.signifiers.iter().any(|s| s.id == "steun_van" && !s.retired));
    assert_eq!(stored.def.prompts.iter().find(|p| p.id == "zelf-geregeld").unwrap().text.nl, typed);
}
on_both_backends!(a_save_on_a_stale_form_version_gets_409_with_what_changed_and_keeps_what_was_typed);

async fn closing_a_campaign_asks_first_and_closes_only_when_confirmed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.sign_in_as(Role::Facilitator, &[&app.campaign.id]).await;
    let base = "/manage/campaigns/eigen-netwerk";
    let resp = app.post_form(&format!("{base}/status"), &[("status", "closed")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Campagne sluiten?") && html.contains("name=\"confirm\" value=\"1\""),
        "a confirm form"
    );
    assert_eq!(app.store.campaign_by_slug("eigen-netwerk").await.unwrap().def.status, CampaignStatus::Open);
    let confirm: Vec<(String, String)> =
        hidden_fields(&html).into_iter().filter(|(k, _)| k != "_csrf").collect();
    let mut fields: Vec<(&str, &str)> = confirm.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("status", "closed"));
    post_ok(&app, &format!("{base}/status"), &fields).await;
    assert_eq!(app.store.campaign_by_slug("eigen-netwerk").await.unwrap().def.status, CampaignStatus::Closed);
}
on_both_backends!(closing_a_campaign_asks_first_and_closes_only_when_confirmed);

// ---------------------------------------------------------------------------------------------
// Campaign use cases are atomic with their audit entries.

async fn facilitator(app: &TestApp) -> luister::domain::User {
    luister::auth::accounts::create(
        &app.store,
        luister::auth::accounts::NewAccount {
            email: format!("f-{}@example.nl", uuid::Uuid::new_v4().simple()),
            name: "Fien".into(),
            role: Role::Facilitator,
            password: "lange zin met wolken en trompetten".into(),
        },
        luister::domain::Actor::system(),
    )
    .await
    .unwrap()
}

fn actor(u: &luister::domain::User) -> luister::domain::Actor {
    luister::domain::Actor::user(&u.id, &u.email)
}

async fn creating_a_campaign_whose_last_audit_fails_leaves_no_campaign(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let fien = facilitator(&app).await;
    // The last step is the creator's membership with its audit entry.
    crate::auth::refuse_audit(&app, &["membership_changed"]).await;
    let toml = crate::helpers::DEMO_TOML.replace("slug = \"eigen-netwerk\"", "slug = \"nieuw-netwerk\"");
    assert!(toml.contains("nieuw-netwerk"));
    let new = luister::campaigns::NewCampaign::Toml(toml);
    let err = luister::campaigns::create(&app.store, &actor(&fien), &new).await.unwrap_err();
    assert!(matches!(err, luister::campaigns::CampaignError::Store(_)), "{err:?}");
    assert!(app.store.campaign_by_slug("nieuw-netwerk").await.is_err(), "no campaign without its audit");
    assert!(app.store.memberships(&fien.id).await.unwrap().is_empty());
}
on_both_backends!(creating_a_campaign_whose_last_audit_fails_leaves_no_campaign);

async fn a_form_change_whose_audit_fails_leaves_the_form_and_its_version(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let fien = facilitator(&app).await;
    crate::auth::refuse_audit(&app, &["campaign_changed"]).await;
    let before = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    let change = luister::campaigns::FormChange::AddPrompt {
        id: "extra".into(),
        text: Localized::new("Vertel nog iets.", ""),
    };
    let err = luister::campaigns::change_form(
        &app.store,
        &actor(&fien),
        &before,
        &change,
        Some(before.form_version),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, luister::campaigns::CampaignError::Store(_)), "{err:?}");
    let after = app.store.campaign_by_slug("eigen-netwerk").await.unwrap();
    assert_eq!(after.form_version, before.form_version);
    assert_eq!(after.def, before.def);
}
on_both_backends!(a_form_change_whose_audit_fails_leaves_the_form_and_its_version);

async fn a_membership_change_whose_audit_fails_leaves_the_members(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let fien = facilitator(&app).await;
    crate::auth::refuse_audit(&app, &["membership_changed"]).await;
    let err = luister::campaigns::set_membership(
        &app.store,
        &luister::domain::Actor::system(),
        &app.campaign,
        &fien.id,
        true,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, luister::campaigns::CampaignError::Store(_)), "{err:?}");
    assert!(app.store.campaign_members(&app.campaign.id).await.unwrap().is_empty());
}
on_both_backends!(a_membership_change_whose_audit_fails_leaves_the_members);
