//! The start page: the campaigns that are open, and the way to a receipt.

use super::AppState;
use super::error::ResultExt;
use super::form::LangQuery;
use super::routes::Routes;
use super::views::{CampaignLink, HomePage, Page, render};
use crate::domain::Lang;
use crate::domain::campaign::Availability;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use time::OffsetDateTime;

pub fn routes() -> Routes {
    Routes::new().get("/", home)
}

async fn home(State(state): State<AppState>, Query(q): Query<LangQuery>) -> super::error::Result<Response> {
    let lang = Lang::from_param(q.lang.as_deref());
    let today = OffsetDateTime::now_utc().date();
    let campaigns = state.store.campaigns().await.html(lang)?;
    let links = campaigns
        .iter()
        .filter(|c| c.availability(today) == Availability::Open)
        .map(|c| {
            let l = c.def.pick_lang(lang);
            CampaignLink {
                href: format!("/c/{}?lang={}", c.def.slug, l.code()),
                title: c.def.title.get(l).into(),
                question: c.def.policy_question.get(l).into(),
            }
        })
        .collect();
    let t = super::i18n::ui(lang);
    let other = if lang == Lang::Nl { "en" } else { "nl" };
    let page = Page::new(lang, t.home_title).switch(format!("/?lang={other}"));
    Ok(render(StatusCode::OK, false, &HomePage { page, campaigns: links }))
}
