//! Page templates (askama, auto-escaping) and the small view models they read. Handlers build a
//! view; templates only loop and print.

use super::i18n::Ui;
use crate::analysis::scrub::{Scrubbed, Segment};
use crate::domain::{Answer, Lang, Signifier, SignifierKind};
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// What every page needs: its language and a way to the other language.
pub struct Page {
    pub lang: Lang,
    pub t: &'static Ui,
    pub title: String,
    /// Link to the same page in the other language (GET pages only; forms switch with a button
    /// so typed text is kept).
    pub switch_href: Option<String>,
    /// Pages that show story text or a receipt must never be cached or stored by a browser.
    pub private: bool,
    /// The visitor's CSRF token, for every form on the page.
    pub csrf: String,
    /// Navigation for signed-in people.
    pub nav: Option<Nav>,
}

/// The signed-in person and the places their role may go.
pub struct Nav {
    pub name: String,
    pub role: &'static str,
    pub workspace: bool,
    pub overview: bool,
    pub search: bool,
    pub admin: bool,
}

impl Nav {
    pub fn for_viewer(v: &crate::auth::policy::Viewer) -> Nav {
        use crate::auth::policy::Permission;
        Nav {
            name: v.user.name.clone(),
            role: v.user.role.label(),
            workspace: v.may(Permission::UseWorkspace),
            overview: v.may(Permission::ViewOverview),
            search: v.may(Permission::SearchStories),
            admin: v.may(Permission::ManageUsers),
        }
    }
}

impl Page {
    pub fn new(lang: Lang, title: impl Into<String>) -> Page {
        Page {
            lang,
            t: super::i18n::ui(lang),
            title: title.into(),
            switch_href: None,
            private: false,
            csrf: String::new(),
            nav: None,
        }
    }

    pub fn with_csrf(mut self, token: &super::csrf::CsrfToken) -> Page {
        self.csrf = token.0.clone();
        self
    }

    /// A page for a signed-in person: navigation, CSRF token, and never cached (these pages
    /// can show story text).
    pub fn signed_in(mut self, viewer: &crate::auth::policy::Viewer, token: &super::csrf::CsrfToken) -> Page {
        self.nav = Some(Nav::for_viewer(viewer));
        self.csrf = token.0.clone();
        self.private = true;
        self
    }

    pub fn private(mut self) -> Page {
        self.private = true;
        self
    }

    pub fn switch(mut self, href: impl Into<String>) -> Page {
        self.switch_href = Some(href.into());
        self
    }
}

/// Renders a template with a status; pages with story text get `Cache-Control: no-store`.
pub fn render<T: Template>(status: StatusCode, private: bool, tpl: &T) -> Response {
    match tpl.render() {
        Ok(html) => {
            let mut resp = (status, Html(html)).into_response();
            if private {
                resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            resp
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// An error in the summary at the top of a form, linking to its field.
pub struct ErrorView {
    pub target: String,
    pub label: String,
    pub message: String,
}

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct PromptView {
    pub id: String,
    pub text: String,
    pub checked: bool,
}

pub struct CornerView {
    pub label: String,
    pub value: String,
}

pub struct SignifierView {
    pub id: String,
    pub kind: &'static str,
    pub question: String,
    pub help: Option<String>,
    pub required: bool,
    pub error: Option<String>,
    pub skipped: bool,
    pub corners: Vec<CornerView>,
    pub poles: Vec<String>,
    /// The posted slider value; empty means no answer (the slider was never moved).
    pub dyad_value: String,
    /// Without JavaScript a dyad is a scale of radio buttons that starts at "no answer".
    pub dyad_steps: Vec<OptionView>,
    pub options: Vec<OptionView>,
    pub multiple: bool,
}

/// Who collects the story, how long it is kept, and how to reach them.
pub struct AboutView {
    pub organisation: Option<String>,
    pub contact: Option<String>,
    pub contact_href: Option<String>,
    pub retention: String,
    pub privacy_text: Option<String>,
    pub privacy_url: Option<String>,
}

/// The consent asked for some age bands; without JavaScript every block shows with its bands.
pub struct ConsentRuleView {
    /// Age band codes, space-separated, for the script that shows only the chosen band's block.
    pub bands: String,
    pub heading: String,
    pub text: String,
    pub basis: &'static str,
    pub guardian: bool,
    pub first_guardian: bool,
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub intro: String,
    pub policy_question: String,
    pub other_lang: Option<Lang>,
    pub errors: Vec<ErrorView>,
    pub field_errors: std::collections::HashMap<String, String>,
    pub prompts: Vec<PromptView>,
    pub single_prompt: Option<String>,
    pub text: String,
    pub title_value: String,
    pub min_chars: usize,
    pub max_chars: usize,
    pub perspectives: Vec<OptionView>,
    pub age_bands: Vec<OptionView>,
    pub region_label: Option<String>,
    pub regions: Vec<OptionView>,
    pub signifiers: Vec<SignifierView>,
    pub consent_text: String,
    pub consent_checked: bool,
    pub consent_rules: Vec<ConsentRuleView>,
    pub guardian_checked: bool,
    pub about: AboutView,
    /// Shown in the workspace as a preview: says so, and sends nothing.
    pub preview: bool,
    /// Heading and text when the story could not be saved because the database was away.
    pub unavailable: Option<Notice>,
    /// The submission token of an earlier attempt, carried so that a retry that reaches the
    /// database twice stores the story once.
    pub token: String,
}

/// A heading and a text shown above a form.
pub struct Notice {
    pub heading: String,
    pub text: String,
}

/// When even the campaign could not be read (the database is away): everything typed, kept in
/// hidden fields of a form that posts it again to where it was going.
#[derive(Template)]
#[template(path = "form_retry.html")]
pub struct FormRetryPage {
    pub page: Page,
    pub heading: String,
    pub text: String,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    /// The story as typed, shown so the teller sees it is not lost.
    pub story_text: String,
    pub button: String,
}

impl FormPage {
    pub fn error_for(&self, field: &str) -> Option<&String> {
        self.field_errors.get(field)
    }
}

pub struct SegmentView {
    pub text: String,
    pub marked: bool,
}

impl SegmentView {
    pub fn from_scrubbed(s: &Scrubbed) -> Vec<SegmentView> {
        s.segments()
            .into_iter()
            .map(|seg| match seg {
                Segment::Text(text) => SegmentView { text, marked: false },
                Segment::Replaced(kind) => SegmentView { text: kind.placeholder().to_string(), marked: true },
            })
            .collect()
    }
}

/// One line of "your answers": the question and the answer in words.
pub struct AnswerView {
    pub question: String,
    pub answer: String,
}

#[derive(Template)]
#[template(path = "preview.html")]
pub struct PreviewPage {
    pub page: Page,
    pub slug: String,
    pub campaign_title: String,
    pub segments: Vec<SegmentView>,
    pub replaced: usize,
    pub title_value: Option<String>,
    pub facts: Vec<AnswerView>,
    pub answers: Vec<AnswerView>,
    pub hidden: Vec<(String, String)>,
    pub token: String,
    pub help: Option<HelpView>,
}

#[derive(Template)]
#[template(path = "receipt_code.html")]
pub struct ReceiptCodePage {
    pub page: Page,
    pub campaign_title: String,
    /// The campaign's public results page.
    pub results_href: String,
    pub code: Option<String>,
    pub help: Option<HelpView>,
    pub about: AboutView,
}

/// Help lines for a storyteller whose story signals danger: calm, plain, always the same.
pub struct HelpView {
    pub heading: &'static str,
    pub intro: &'static str,
    pub lines: Vec<(&'static str, &'static str, &'static str)>,
    pub outro: &'static str,
}

impl HelpView {
    pub fn new(lang: Lang) -> HelpView {
        match lang {
            Lang::Nl => HelpView {
                heading: "Praat erover, je hoeft het niet alleen te doen",
                intro: "In je verhaal lezen we dat het misschien niet goed met je gaat, of dat je niet veilig bent. Wij lezen verhalen niet meteen en we weten niet wie je bent. Daarom kunnen wij je niet zelf helpen. Deze mensen kunnen dat wel, gratis en je hoeft je naam niet te zeggen:",
                lines: vec![
                    (
                        "Kindertelefoon",
                        "0800-0432",
                        "voor kinderen en jongeren tot 18, elke dag van 11.00 tot 21.00 uur, ook chat op kindertelefoon.nl",
                    ),
                    (
                        "113 Zelfmoordpreventie",
                        "0800-0113",
                        "als je denkt aan zelfdoding, dag en nacht, ook chat op 113.nl",
                    ),
                    (
                        "Veilig Thuis",
                        "0800-2000",
                        "bij geweld of misbruik thuis, dag en nacht, ook voor advies",
                    ),
                    ("Alarmnummer", "112", "als het nu gevaarlijk is"),
                ],
                outro: "Je mag ook met iemand praten die je vertrouwt, zoals een mentor, je huisarts of iemand uit je familie.",
            },
            Lang::En => HelpView {
                heading: "Talk about it, you do not have to do this alone",
                intro: "Your story tells us that you may not be doing well, or that you may not be safe. We do not read stories straight away and we do not know who you are, so we cannot help you ourselves. These people can, for free, and you do not have to give your name:",
                lines: vec![
                    (
                        "Kindertelefoon",
                        "0800-0432",
                        "for children and young people up to 18, every day 11:00 to 21:00, also chat at kindertelefoon.nl",
                    ),
                    (
                        "113 Suicide Prevention",
                        "0800-0113",
                        "if you think about suicide, day and night, also chat at 113.nl",
                    ),
                    (
                        "Veilig Thuis",
                        "0800-2000",
                        "for violence or abuse at home, day and night, also for advice",
                    ),
                    ("Emergency number", "112", "if it is dangerous right now"),
                ],
                outro: "You can also talk to someone you trust, like a mentor, your family doctor or someone in your family.",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "receipt.html")]
pub struct ReceiptPage {
    pub page: Page,
    pub code_value: String,
    pub error: Option<String>,
    pub story: Option<StoryView>,
    pub withdrawn: bool,
    /// The story is shown with the question whether to remove it, and a way back.
    pub confirm_withdraw: bool,
    /// What the story's campaign has published since ("you said, we did").
    pub results: Option<crate::actions::results::Results>,
    pub results_href: String,
}

/// A story as its teller sees it again with the receipt code.
pub struct StoryView {
    pub campaign_title: String,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub told_on: String,
    pub facts: Vec<AnswerView>,
    pub answers: Vec<AnswerView>,
    pub about: AboutView,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

pub struct CampaignLink {
    pub href: String,
    pub title: String,
    pub question: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub page: Page,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: Page,
    pub campaigns: Vec<CampaignLink>,
}

/// An answer in words, as a person would read it back.
pub fn describe_answer(sig: &Signifier, answer: &Answer, lang: Lang, t: &Ui) -> String {
    match (answer, &sig.kind) {
        (Answer::Skipped, _) => t.preview_skipped.to_string(),
        (Answer::Triad(w), SignifierKind::Triad { corners }) => corners
            .iter()
            .zip(w)
            .map(|(c, w)| format!("{} {}%", c.get(lang), (w * 100.0).round()))
            .collect::<Vec<_>>()
            .join(" · "),
        (Answer::Dyad(x), SignifierKind::Dyad { poles }) => {
            dyad_words(*x, poles[0].get(lang), poles[1].get(lang), t)
        }
        (Answer::Single(id), _) => {
            sig.option_label(id).map(|l| l.get(lang).to_string()).unwrap_or_else(|| id.clone())
        }
        (Answer::Multi(ids), _) => ids
            .iter()
            .map(|id| sig.option_label(id).map(|l| l.get(lang).to_string()).unwrap_or_else(|| id.clone()))
            .collect::<Vec<_>>()
            .join(", "),
        // An answer that does not fit its signifier can only come from data edited by hand;
        // show it raw rather than hide it.
        (other, _) => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A slider position in words, naming the pole it leans to: "80% richting ik besliste zelf".
pub fn dyad_words(x: f64, left: &str, right: &str, t: &Ui) -> String {
    let pct = (x * 100.0).round();
    if pct == 50.0 {
        format!("{} {left} {} {right}", t.dyad_middle, t.dyad_and)
    } else if pct > 50.0 {
        format!("{pct}% {} {right}", t.dyad_towards)
    } else {
        format!("{}% {} {left}", 100.0 - pct, t.dyad_towards)
    }
}

/// Splits stored text into paragraphs for display (templates escape each one).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}
