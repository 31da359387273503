//! `/receipt`: a storyteller enters their receipt code to read their story again or withdraw
//! it. The code travels only in POST bodies, never in a URL, so it stays out of history and logs.

use super::AppState;
use super::csrf::CsrfToken;
use super::error::{Error, ErrorKind, ResultExt};
use super::form::{LangQuery, about_view, answer_views, fact_views};
use super::limits::ClientAddr;
use super::routes::Routes;
use super::views::{Page, ReceiptPage, StoryView, paragraphs, render};
use crate::domain::receipt::ReceiptCodeError;
use crate::domain::{Actor, AuditAction, AuditEntry, Lang, ReceiptCode, Story};
use crate::store::StoreError;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::macros::format_description;

pub fn routes() -> Routes {
    Routes::new().get("/receipt", show).post("/receipt", read).post("/receipt/withdraw", withdraw)
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    lang: Option<String>,
    /// `withdraw`: show the story with the question whether to remove it (the confirm step).
    #[serde(default)]
    step: String,
}

async fn show(csrf: CsrfToken, Query(q): Query<LangQuery>) -> Response {
    let lang = Lang::from_param(q.lang.as_deref());
    page(&csrf, lang, String::new(), None, None, false, StatusCode::OK)
}

#[allow(clippy::too_many_arguments)]
fn page(
    csrf: &CsrfToken,
    lang: Lang,
    code_value: String,
    error: Option<String>,
    story: Option<StoryView>,
    withdrawn: bool,
    status: StatusCode,
) -> Response {
    ask_page(csrf, lang, code_value, error, story, withdrawn, false, None, status)
}

#[allow(clippy::too_many_arguments)]
fn ask_page(
    csrf: &CsrfToken,
    lang: Lang,
    code_value: String,
    error: Option<String>,
    story: Option<StoryView>,
    withdrawn: bool,
    confirm_withdraw: bool,
    results: Option<(crate::actions::results::Results, String)>,
    status: StatusCode,
) -> Response {
    let t = super::i18n::ui(lang);
    let other = if lang == Lang::Nl { "en" } else { "nl" };
    let mut p = Page::new(lang, t.receipt_title).private().with_csrf(csrf);
    if story.is_none() && !withdrawn {
        p = p.switch(format!("/receipt?lang={other}"));
    }
    let (results, results_href) = match results {
        Some((r, href)) => (Some(r), href),
        None => (None, String::new()),
    };
    render(
        status,
        true,
        &ReceiptPage {
            page: p,
            code_value,
            error,
            story,
            withdrawn,
            confirm_withdraw,
            results,
            results_href,
        },
    )
}

/// Parses the typed code; on a problem, the page to show instead.
fn parse_code(csrf: &CsrfToken, lang: Lang, typed: &str) -> Result<ReceiptCode, Response> {
    let t = super::i18n::ui(lang);
    ReceiptCode::parse(typed).map_err(|e| {
        let message = match e {
            ReceiptCodeError::Empty => t.code_empty.to_string(),
            ReceiptCodeError::WrongLength(n) => t.code_length(n),
            ReceiptCodeError::WrongCharacter(c) => t.code_char(c),
        };
        page(csrf, lang, typed.to_string(), Some(message), None, false, StatusCode::UNPROCESSABLE_ENTITY)
    })
}

async fn find(
    state: &AppState,
    csrf: &CsrfToken,
    ip: std::net::IpAddr,
    lang: Lang,
    typed: &str,
) -> Result<(ReceiptCode, Story), Response> {
    if let Err(wait) = state.limits.receipt(&ip) {
        return Err(Error::new(ErrorKind::TooManyRequests(wait)).html(lang).into_response());
    }
    let code = parse_code(csrf, lang, typed)?;
    match state.store.story_by_receipt(&code.hash()).await {
        Ok(story) => Ok((code, story)),
        Err(StoreError::NotFound) => {
            let t = super::i18n::ui(lang);
            Err(page(
                csrf,
                lang,
                typed.to_string(),
                Some(t.code_unknown.into()),
                None,
                false,
                StatusCode::NOT_FOUND,
            ))
        }
        Err(e) => Err(Error::from(e).html(lang).into_response()),
    }
}

async fn read(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientAddr(ip): ClientAddr,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = Lang::from_param(form.lang.as_deref());
    let (code, story) = match find(&state, &csrf, ip, lang, &form.code).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    // Withdrawing asks first; the question page posts to /receipt/withdraw, works without
    // JavaScript, and offers a way back to the story.
    let confirm = form.step == "withdraw";
    let results = match state.store.campaign(&story.campaign_id).await {
        Ok(c) => match crate::actions::results::published(&state.store, &c).await {
            Ok(r) => Some((r, format!("/c/{}/results", c.slug()))),
            Err(e) => return crate::http::actions::fail(e),
        },
        Err(e) => return Error::from(e).html(lang).into_response(),
    };
    match story_view(&state, &story, lang).await {
        Ok(view) => {
            ask_page(&csrf, lang, code.display(), None, Some(view), false, confirm, results, StatusCode::OK)
        }
        Err(e) => e.into_response(),
    }
}

async fn withdraw(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientAddr(ip): ClientAddr,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = Lang::from_param(form.lang.as_deref());
    let (_, story) = match find(&state, &csrf, ip, lang, &form.code).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let audit = AuditEntry::new(Actor::anonymous(), AuditAction::StoryWithdrawn);
    match state.store.delete_story(&story.id, &audit).await {
        Ok(()) | Err(StoreError::NotFound) => {
            tracing::info!(story_id = %story.id, "story withdrawn by its teller");
            page(&csrf, lang, String::new(), None, None, true, StatusCode::OK)
        }
        Err(e) => Error::from(e).html(lang).into_response(),
    }
}

async fn story_view(state: &AppState, story: &Story, lang: Lang) -> super::error::Result<StoryView> {
    let campaign = state.store.campaign(&story.campaign_id).await.html(lang)?;
    let lang = campaign.def.pick_lang(lang);
    let told_on =
        story.created_at.date().format(format_description!("[day]-[month]-[year]")).unwrap_or_default();
    Ok(StoryView {
        campaign_title: campaign.def.title.get(lang).into(),
        title: story.title.clone(),
        paragraphs: paragraphs(&story.text),
        told_on,
        facts: fact_views(
            &campaign,
            lang,
            story.perspective,
            story.age_band,
            story.region.as_deref(),
            story.municipality.as_deref(),
        ),
        answers: answer_views(&campaign, &story.answers, lang),
        about: about_view(&campaign, lang),
    })
}
