//! The participant's side of a session, without an account: type or scan the join code, get a
//! cookie that names that code (and so that one session), see the session's chosen patterns,
//! story cards and approved notes, and add notes that wait for the facilitator. Nothing here
//! links to or serves anything else; a revoked or expired code shuts the view at once.

use crate::auth::policy::Denied;
use crate::config::Config;
use crate::domain::session::{JoinCode, NoteKind, Session};
use crate::domain::{Campaign, Lang};
use crate::http::AppState;
use crate::http::auth::denied;
use crate::http::cookies;
use crate::http::csrf::CsrfToken;
use crate::http::error::{Error, ErrorKind};
use crate::http::limits::{ClientAddr, check};
use crate::http::page::{Reply, form};
use crate::http::routes::Routes;
use crate::http::sessions::{Choice, fail, note_input};
use crate::http::views::{Page, render};
use crate::sessions::view::{CardView, PatternView};
use crate::sessions::{self, Author, Loaded};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub fn routes() -> Routes {
    Routes::new()
        .get("/j", join_page)
        .post("/j", join_typed)
        .get("/j/{code}", join)
        .get("/session", view)
        .post("/session/notes", add_note)
}

pub fn cookie_name(c: &Config) -> String {
    if c.is_https() { "__Host-luister_participant".into() } else { "luister_participant".into() }
}

fn limited(state: &AppState, client: &ClientAddr) -> Result<(), Response> {
    check(&state.limits.participant_client, &client.0)
        .map_err(|wait| Error::new(ErrorKind::TooManyRequests(wait)).into_response())
}

#[derive(Template)]
#[template(path = "sessions/join.html")]
pub struct JoinPage {
    pub page: Page,
    pub error: String,
}

fn join_form(csrf: &CsrfToken, status: StatusCode, error: &str) -> Response {
    let tpl =
        JoinPage { page: Page::new(Lang::Nl, "Meedoen aan een sessie").with_csrf(csrf), error: error.into() };
    render(status, true, &tpl)
}

/// `GET /j`: where a participant types the code from the screen.
pub async fn join_page(csrf: CsrfToken) -> Response {
    join_form(&csrf, StatusCode::OK, "")
}

/// `POST /j` (`code`): the typed code.
pub async fn join_typed(
    State(state): State<AppState>,
    client: ClientAddr,
    csrf: CsrfToken,
    body: Bytes,
) -> Reply {
    limited(&state, &client)?;
    let v = form(&body);
    match JoinCode::normalise(v.get("code")) {
        Some(code) => Ok(Redirect::to(&format!("/j/{code}")).into_response()),
        None => {
            Err(join_form(&csrf, StatusCode::BAD_REQUEST, "Deze code klopt niet. Een code heeft zes tekens."))
        }
    }
}

/// `GET /j/{code}`: the short link of the QR code; sets the participant cookie.
pub async fn join(
    State(state): State<AppState>,
    client: ClientAddr,
    csrf: CsrfToken,
    Path(code): Path<String>,
) -> Reply {
    limited(&state, &client)?;
    match sessions::join(&state.store, &code, state.clock.now()).await {
        Ok((j, _)) => {
            let mut resp = Redirect::to("/session").into_response();
            cookies::set(&mut resp, &state.config, &cookie_name(&state.config), &j.code, "Lax");
            Ok(resp)
        }
        Err(sessions::SessionsError::Store(crate::store::StoreError::NotFound)) => Err(join_form(
            &csrf,
            StatusCode::NOT_FOUND,
            "Deze code is niet (meer) geldig. Vraag de begeleider om de code op het scherm.",
        )),
        Err(e) => Err(fail(e)),
    }
}

/// The participant's session, from the cookie; refused (403) without a code that is open now.
async fn participant(state: &AppState, headers: &HeaderMap) -> Result<(Session, Campaign), Response> {
    let Some(code) = cookies::get(headers, &cookie_name(&state.config)) else {
        return Err(denied(Denied::Forbidden));
    };
    let (_, s) = match sessions::join(&state.store, &code, state.clock.now()).await {
        Ok(x) => x,
        Err(sessions::SessionsError::Store(crate::store::StoreError::NotFound)) => {
            return Err(denied(Denied::Forbidden));
        }
        Err(e) => return Err(fail(e)),
    };
    let c = state.store.campaign(&s.campaign_id).await.map_err(|e| fail(e.into()))?;
    Ok((s, c))
}

pub struct RoomNote {
    pub kind: String,
    pub strength: String,
    pub body: String,
    pub links: String,
    pub withdrawn: bool,
}

#[derive(Template)]
#[template(path = "sessions/participant.html")]
pub struct ParticipantPage {
    pub page: Page,
    pub title: String,
    pub patterns: Vec<PatternView>,
    pub cards: Vec<CardView>,
    pub notes: Vec<RoomNote>,
    pub pattern_choices: Vec<Choice>,
    pub card_choices: Vec<Choice>,
    pub observations: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub sent: bool,
    pub error: String,
}

fn page(csrf: &CsrfToken, l: Loaded, sent: bool, error: String) -> ParticipantPage {
    // A participant sees the disclosure-controlled numbers, never the facilitators' full ones.
    let patterns = l.participant_patterns();
    let approved: Vec<_> = l.notes.iter().filter(|n| n.approved_at.is_some()).collect();
    ParticipantPage {
        page: Page::new(Lang::Nl, l.session.details.title.clone()).with_csrf(csrf).private(),
        title: l.session.details.title.clone(),
        notes: approved
            .iter()
            .map(|n| RoomNote {
                kind: n.input.kind.label().into(),
                strength: n.input.strength.map(|s| s.label().to_string()).unwrap_or_default(),
                body: n.input.body.clone(),
                links: l.link_labels(n).join(", "),
                withdrawn: l.note_lost_story(n),
            })
            .collect(),
        observations: approved
            .iter()
            .filter(|n| n.input.kind == NoteKind::Observation)
            .map(|n| Choice {
                value: n.id.clone(),
                label: n.input.body.chars().take(60).collect(),
                checked: false,
            })
            .collect(),
        pattern_choices: l
            .patterns
            .iter()
            .map(|p| Choice {
                value: p.pattern.element.clone(),
                label: p.element.label.clone(),
                checked: false,
            })
            .collect(),
        card_choices: l
            .cards
            .iter()
            .map(|c| Choice {
                value: c.card.id.clone(),
                label: format!("Kaart {}", c.card.number),
                checked: false,
            })
            .collect(),
        kinds: NoteKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: k.label().into(),
                checked: *k == NoteKind::Observation,
            })
            .collect(),
        patterns,
        cards: l.cards,
        sent,
        error,
    }
}

/// `GET /session`: the participant's view of their session.
pub async fn view(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf: CsrfToken,
    uri: axum::http::Uri,
) -> Reply {
    let (s, c) = participant(&state, &headers).await?;
    let l = sessions::load(&state.store, &c, &s.id).await.map_err(fail)?;
    let sent = uri.query().is_some_and(|q| q.split('&').any(|kv| kv == "sent=1"));
    Ok(render(StatusCode::OK, true, &page(&csrf, l, sent, String::new())))
}

/// `POST /session/notes`: a participant's note, waiting for approval.
pub async fn add_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
    csrf: CsrfToken,
    body: Bytes,
) -> Reply {
    let (s, c) = participant(&state, &headers).await?;
    limited(&state, &client)?;
    let input = note_input(&form(&body));
    let result = match input {
        Ok(input) => {
            sessions::add_note(&state.store, &c, &s.id, input, Author::Participant, state.clock.now()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/session?sent=1").into_response()),
        Err(sessions::SessionsError::BadRequest(m)) => {
            let l = sessions::load(&state.store, &c, &s.id).await.map_err(fail)?;
            Err(render(StatusCode::BAD_REQUEST, true, &page(&csrf, l, false, m)))
        }
        Err(e) => Err(fail(e)),
    }
}
