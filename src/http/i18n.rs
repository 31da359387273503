//! Interface text in plain Dutch (B1) and English. A struct instead of a key lookup, so a string
//! missing in one language is a compile error, not a blank on a storyteller's screen.

use crate::domain::Lang;

pub struct Ui {
    pub lang: &'static str,
    pub skip_link: &'static str,
    /// The signed-in menu: its label, its links and the log-out button.
    pub nav_label: &'static str,
    pub nav_campaigns: &'static str,
    pub nav_overview: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_actions: &'static str,
    pub nav_search: &'static str,
    pub nav_sets: &'static str,
    pub nav_accounts: &'static str,
    pub nav_audit: &'static str,
    pub nav_logout: &'static str,
    pub switch_to: &'static str,
    pub footer: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_none_open: &'static str,
    pub home_receipt_link: &'static str,
    pub tell_your_story: &'static str,

    pub step1: &'static str,
    pub step2: &'static str,
    pub step3: &'static str,
    pub errors_title: &'static str,
    pub required_mark: &'static str,
    pub optional_mark: &'static str,
    pub prompt_choose: &'static str,
    pub text_label: &'static str,
    pub text_hint_privacy: &'static str,
    pub chars_word: &'static str,
    pub title_label: &'static str,
    pub about_you: &'static str,
    pub perspective_label: &'static str,
    pub age_label: &'static str,
    pub rather_not_say: &'static str,
    pub region_label: &'static str,
    pub municipality_label: &'static str,
    pub questions_title: &'static str,
    pub questions_intro: &'static str,
    pub skip_label: &'static str,
    pub triad_numbers: &'static str,
    pub triad_js_hint: &'static str,
    pub dyad_hint: &'static str,
    pub dyad_js_hint: &'static str,
    pub dyad_towards: &'static str,
    pub dyad_middle: &'static str,
    pub dyad_and: &'static str,
    pub dyad_unanswered: &'static str,
    pub about_title: &'static str,
    pub about_contact: &'static str,
    pub about_privacy_link: &'static str,
    pub guardian_check: &'static str,
    pub guardian_default: &'static str,
    pub consent_title: &'static str,
    pub consent_default: &'static str,
    pub consent_check: &'static str,
    pub next_button: &'static str,

    pub preview_intro: &'static str,
    pub preview_nothing_replaced: &'static str,
    pub preview_replaced_intro: &'static str,
    pub preview_answers: &'static str,
    pub preview_no_answer: &'static str,
    pub preview_skipped: &'static str,
    pub edit_button: &'static str,
    pub confirm_button: &'static str,
    pub not_given: &'static str,

    pub thanks: &'static str,
    pub code_label: &'static str,
    pub code_advice: &'static str,
    pub code_once: &'static str,
    pub copy_button: &'static str,
    pub copied: &'static str,
    pub receipt_link: &'static str,
    pub already_saved: &'static str,

    pub receipt_title: &'static str,
    pub receipt_intro: &'static str,
    pub code_input_label: &'static str,
    pub code_hint: &'static str,
    pub show_button: &'static str,
    pub code_empty: &'static str,
    pub code_unknown: &'static str,
    pub your_story: &'static str,
    pub withdraw_title: &'static str,
    pub withdraw_text: &'static str,
    pub withdraw_button: &'static str,
    pub withdraw_confirm_title: &'static str,
    pub withdraw_confirm_text: &'static str,
    pub withdraw_confirm_button: &'static str,
    pub withdraw_cancel_button: &'static str,
    pub withdrawn_title: &'static str,
    pub withdrawn_text: &'static str,
    pub told_on: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub closed_title: &'static str,
    pub closed_text: &'static str,
    pub not_yet_title: &'static str,
    pub not_yet_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub too_large_title: &'static str,
    pub too_large_text: &'static str,
    pub wait_title: &'static str,
    pub back_home: &'static str,
}

pub static NL: Ui = Ui {
    lang: "nl",
    skip_link: "Naar de inhoud",
    nav_label: "Hoofdmenu",
    nav_campaigns: "Campagnes",
    nav_overview: "Overzicht",
    nav_dashboard: "Dashboard",
    nav_actions: "Acties",
    nav_search: "Zoeken",
    nav_sets: "Verzamelingen",
    nav_accounts: "Accounts",
    nav_audit: "Auditlog",
    nav_logout: "Uitloggen",
    switch_to: "English",
    footer: "luister bewaart je verhaal zonder naam. Je IP-adres bewaren we niet.",
    home_title: "Vertel je verhaal",
    home_intro: "Hier kun je een verhaal vertellen over jeugdhulp: wat hielp, wat niet, en wat je nodig had. Je verhalen helpen om beleid beter te maken.",
    home_none_open: "Er staat nu geen vragenlijst open.",
    home_receipt_link: "Heb je al een verhaal gestuurd? Lees of verwijder het met je bewijscode.",
    tell_your_story: "Vertel je verhaal",

    step1: "Stap 1 van 3: vertel je verhaal",
    step2: "Stap 2 van 3: kijk wat we bewaren",
    step3: "Stap 3 van 3: je bewijscode",
    errors_title: "Er klopt nog iets niet. Verbeter dit:",
    required_mark: "(verplicht)",
    optional_mark: "(mag je overslaan)",
    prompt_choose: "Over welke vraag gaat je verhaal?",
    text_label: "Jouw verhaal",
    text_hint_privacy: "Schrijf liever geen namen, adressen of telefoonnummers. Staan ze er toch in? Dan halen wij ze eruit. Je ziet dat in de volgende stap.",
    chars_word: "tekens",
    title_label: "Titel van je verhaal",
    about_you: "Over jou",
    perspective_label: "Wie ben jij?",
    age_label: "Hoe oud ben je?",
    rather_not_say: "Zeg ik liever niet",
    region_label: "In welke regio woon je?",
    municipality_label: "In welke gemeente woon je?",
    questions_title: "Vragen over je verhaal",
    questions_intro: "Jij weet het beste wat je verhaal betekent. Beantwoord daarom een paar vragen over je eigen verhaal.",
    skip_label: "Past niet bij mijn verhaal",
    triad_numbers: "Hoeveel telde elk? Vul een getal van 0 tot 100 in. Wij rekenen het om.",
    triad_js_hint: "Klik of tik in de driehoek. Met het toetsenbord vul je de getallen hieronder in.",
    dyad_hint: "Kies wat het beste past. Weet je het niet, of past het niet? Laat dan \"geen antwoord\" staan.",
    dyad_js_hint: "Schuif naar de kant die het beste past, met de muis, je vinger of de pijltjestoetsen. Zolang je de schuif niet beweegt, telt het als geen antwoord.",
    dyad_towards: "richting",
    dyad_middle: "precies in het midden tussen",
    dyad_and: "en",
    dyad_unanswered: "Nog geen antwoord",
    about_title: "Wie bewaart je verhaal?",
    about_contact: "Vragen of een klacht? Neem contact op:",
    about_privacy_link: "Lees de privacyverklaring",
    guardian_check: "Mijn ouder of verzorger weet dat ik mijn verhaal stuur en vindt het goed.",
    guardian_default: "Ben je jonger dan 16? Dan moet ook je ouder of verzorger het goed vinden dat we je verhaal bewaren. Vraag het eerst aan hen.",
    consent_title: "Toestemming",
    consent_default: "Wij bewaren je verhaal zonder naam en gebruiken het om de jeugdhulp beter te maken. Medewerkers van het project lezen het. In verslagen staan alleen stukjes tekst waaraan niemand jou kan herkennen. Met je bewijscode kun je je verhaal later lezen of laten verwijderen.",
    consent_check: "Ik vind het goed dat jullie mijn verhaal zo bewaren en gebruiken.",
    next_button: "Verder: bekijk wat we bewaren",

    preview_intro: "Zo bewaren we je verhaal. Kijk of het klopt.",
    preview_nothing_replaced: "We hebben geen namen, adressen of nummers gevonden. Staat er toch iets in waaraan iemand jou of een ander kan herkennen? Ga dan terug en pas het aan.",
    preview_replaced_intro: "Je ziet ze gemarkeerd, bijvoorbeeld [naam]. Mist er iets? Ga dan terug en pas het aan.",
    preview_answers: "Jouw antwoorden",
    preview_no_answer: "geen antwoord",
    preview_skipped: "past niet bij mijn verhaal",
    edit_button: "Terug om aan te passen",
    confirm_button: "Klopt, bewaar mijn verhaal",
    not_given: "niet ingevuld",

    thanks: "Dank je wel! Je verhaal is bewaard.",
    code_label: "Jouw bewijscode",
    code_advice: "Schrijf deze code op, of maak een foto of screenshot. Met deze code kun je je verhaal later lezen of laten verwijderen.",
    code_once: "Je ziet de code maar één keer. Wij weten niet wie je bent, dus zonder code kunnen we je verhaal niet voor je terugvinden.",
    copy_button: "Kopieer de code",
    copied: "Gekopieerd",
    receipt_link: "Je verhaal lezen of verwijderen",
    already_saved: "Dit verhaal was al bewaard. Je bewijscode kreeg je de eerste keer te zien. Ben je die kwijt? Dan kun je het verhaal niet meer zelf verwijderen, maar het blijft zonder naam.",

    receipt_title: "Je verhaal lezen of verwijderen",
    receipt_intro: "Vul je bewijscode in. Die kreeg je toen je je verhaal stuurde.",
    code_input_label: "Bewijscode",
    code_hint: "20 letters, bijvoorbeeld ABCD-EFGH-JKMN-PQRS-TUVW. Streepjes en spaties mogen.",
    show_button: "Laat mijn verhaal zien",
    code_empty: "Vul je bewijscode in.",
    code_unknown: "We vinden geen verhaal met deze code. Kijk of je de code goed hebt overgenomen. Een verhaal dat al verwijderd is, vind je niet meer.",
    your_story: "Jouw verhaal",
    withdraw_title: "Verhaal verwijderen",
    withdraw_text: "Wil je niet meer dat we je verhaal gebruiken? Dan verwijderen we het helemaal. Dat kan niet ongedaan worden gemaakt.",
    withdraw_button: "Verwijder mijn verhaal",
    withdraw_confirm_title: "Wil je je verhaal echt verwijderen?",
    withdraw_confirm_text: "Als je verwijderen kiest, halen we je verhaal helemaal weg. Dat kan niet ongedaan worden gemaakt, en je bewijscode werkt daarna niet meer.",
    withdraw_confirm_button: "Ja, verwijder mijn verhaal",
    withdraw_cancel_button: "Nee, houd mijn verhaal",
    withdrawn_title: "Je verhaal is verwijderd",
    withdrawn_text: "We hebben je verhaal uit onze opslag gehaald. Het komt ook niet meer in zoekresultaten. Je bewijscode werkt niet meer.",
    told_on: "Verteld op",

    not_found_title: "Deze pagina bestaat niet",
    not_found_text: "Misschien is de link niet goed overgenomen. Kijk of het adres klopt.",
    closed_title: "Deze vragenlijst is gesloten",
    closed_text: "Je kunt hier geen verhalen meer sturen. Dank je wel dat je wilde meedoen!",
    not_yet_title: "Deze vragenlijst is nog niet open",
    not_yet_text: "Je kunt je verhaal sturen vanaf",
    error_title: "Er ging iets mis aan onze kant",
    error_text: "Het lag niet aan jou. Probeer het over een paar minuten nog eens. Kreeg je al een bewijscode? Dan is je verhaal veilig bewaard.",
    too_large_title: "Dat was te veel tekst in één keer",
    too_large_text: "Ga terug, maak je verhaal korter en probeer het nog eens.",
    wait_title: "Even wachten",
    back_home: "Naar de startpagina",
};

pub static EN: Ui = Ui {
    lang: "en",
    skip_link: "Skip to content",
    nav_label: "Main menu",
    nav_campaigns: "Campaigns",
    nav_overview: "Overview",
    nav_dashboard: "Dashboard",
    nav_actions: "Actions",
    nav_search: "Search",
    nav_sets: "Story sets",
    nav_accounts: "Accounts",
    nav_audit: "Audit log",
    nav_logout: "Log out",
    switch_to: "Nederlands",
    footer: "luister keeps your story without your name. We do not keep your IP address.",
    home_title: "Tell your story",
    home_intro: "Here you can tell a story about youth care: what helped, what did not, and what you needed. Your stories help to make policy better.",
    home_none_open: "No questionnaire is open right now.",
    home_receipt_link: "Did you already send a story? Read or withdraw it with your receipt code.",
    tell_your_story: "Tell your story",

    step1: "Step 1 of 3: tell your story",
    step2: "Step 2 of 3: see what we will keep",
    step3: "Step 3 of 3: your receipt code",
    errors_title: "Something is not right yet. Please fix this:",
    required_mark: "(required)",
    optional_mark: "(you may skip this)",
    prompt_choose: "Which question is your story about?",
    text_label: "Your story",
    text_hint_privacy: "Please do not write names, addresses or phone numbers. If they are in there, we take them out. You will see that in the next step.",
    chars_word: "characters",
    title_label: "Title of your story",
    about_you: "About you",
    perspective_label: "Who are you?",
    age_label: "How old are you?",
    rather_not_say: "I'd rather not say",
    region_label: "Which region do you live in?",
    municipality_label: "Which municipality do you live in?",
    questions_title: "Questions about your story",
    questions_intro: "You know best what your story means. So please answer a few questions about your own story.",
    skip_label: "Does not fit my story",
    triad_numbers: "How much did each count? Fill in a number from 0 to 100. We do the maths.",
    triad_js_hint: "Click or tap in the triangle. With a keyboard, fill in the numbers below.",
    dyad_hint: "Choose what fits best. Not sure, or does it not fit? Then leave \"no answer\" selected.",
    dyad_js_hint: "Slide to the side that fits best, with the mouse, your finger or the arrow keys. As long as you do not move the slider, it counts as no answer.",
    dyad_towards: "towards",
    dyad_middle: "exactly in the middle between",
    dyad_and: "and",
    dyad_unanswered: "No answer yet",
    about_title: "Who keeps your story?",
    about_contact: "Questions or a complaint? Get in touch:",
    about_privacy_link: "Read the privacy statement",
    guardian_check: "My parent or guardian knows that I am sending my story and agrees.",
    guardian_default: "Are you under 16? Then your parent or guardian must agree too that we keep your story. Ask them first.",
    consent_title: "Consent",
    consent_default: "We keep your story without your name and use it to make youth care better. People working on the project read it. Reports only contain bits of text that nobody can recognise you by. With your receipt code you can read your story later or have it removed.",
    consent_check: "I agree that you keep and use my story like this.",
    next_button: "Next: see what we will keep",

    preview_intro: "This is how we will keep your story. Check that it is right.",
    preview_nothing_replaced: "We found no names, addresses or numbers. Is there still something by which someone could recognise you or another person? Then go back and change it.",
    preview_replaced_intro: "You can see them marked, for example [naam] (name). Did we miss something? Then go back and change it.",
    preview_answers: "Your answers",
    preview_no_answer: "no answer",
    preview_skipped: "does not fit my story",
    edit_button: "Go back and change it",
    confirm_button: "That's right, keep my story",
    not_given: "not filled in",

    thanks: "Thank you! Your story has been saved.",
    code_label: "Your receipt code",
    code_advice: "Write this code down, or take a photo or screenshot. With this code you can read your story later or have it removed.",
    code_once: "You see the code only once. We do not know who you are, so without the code we cannot find your story for you.",
    copy_button: "Copy the code",
    copied: "Copied",
    receipt_link: "Read or withdraw your story",
    already_saved: "This story had already been saved. You saw your receipt code the first time. Lost it? Then you cannot remove the story yourself, but it stays without your name.",

    receipt_title: "Read or withdraw your story",
    receipt_intro: "Fill in your receipt code. You got it when you sent your story.",
    code_input_label: "Receipt code",
    code_hint: "20 letters, for example ABCD-EFGH-JKMN-PQRS-TUVW. Dashes and spaces are fine.",
    show_button: "Show my story",
    code_empty: "Fill in your receipt code.",
    code_unknown: "We cannot find a story with this code. Check that you copied the code correctly. A story that was already removed cannot be found.",
    your_story: "Your story",
    withdraw_title: "Withdraw your story",
    withdraw_text: "Do you no longer want us to use your story? Then we remove it completely. This cannot be undone.",
    withdraw_button: "Remove my story",
    withdraw_confirm_title: "Do you really want to remove your story?",
    withdraw_confirm_text: "If you choose remove, we take your story away completely. This cannot be undone, and your receipt code will no longer work.",
    withdraw_confirm_button: "Yes, remove my story",
    withdraw_cancel_button: "No, keep my story",
    withdrawn_title: "Your story has been removed",
    withdrawn_text: "We took your story out of our storage. It will no longer appear in search results. Your receipt code no longer works.",
    told_on: "Told on",

    not_found_title: "This page does not exist",
    not_found_text: "Maybe the link was not copied correctly. Check the address.",
    closed_title: "This questionnaire is closed",
    closed_text: "You can no longer send stories here. Thank you for wanting to take part!",
    not_yet_title: "This questionnaire is not open yet",
    not_yet_text: "You can send your story from",
    error_title: "Something went wrong on our side",
    error_text: "It was not your fault. Please try again in a few minutes. Did you already get a receipt code? Then your story is safely stored.",
    too_large_title: "That was too much text at once",
    too_large_text: "Go back, make your story shorter and try again.",
    wait_title: "Please wait a moment",
    back_home: "To the home page",
};

/// The language a request asks for: `?lang=`, then a `lang` cookie, then Accept-Language
/// (English only when the browser puts it first); Dutch otherwise.
pub fn request_lang(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Lang {
    if let Some(l) = query_lang(uri) {
        return Lang::from_param(Some(l));
    }
    if let Some(l) = super::cookies::get(headers, "lang") {
        return Lang::from_param(Some(&l));
    }
    match accept_language(headers) {
        Some(a) if a.starts_with("en") => Lang::En,
        _ => Lang::Nl,
    }
}

/// The language of API messages: as asked with `?lang=`, English unless the client prefers Dutch.
pub fn api_lang(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Lang {
    if let Some(l) = query_lang(uri) {
        return Lang::from_param(Some(l));
    }
    match accept_language(headers) {
        Some(a) if a.starts_with("nl") => Lang::Nl,
        _ => Lang::En,
    }
}

fn query_lang(uri: &axum::http::Uri) -> Option<&str> {
    uri.query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("lang="))
}

fn accept_language(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start().to_ascii_lowercase())
}

pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

impl Ui {
    pub fn limits(&self, min: usize, max: usize) -> String {
        match self.lang {
            "nl" => format!("Minstens {min} en hooguit {max} tekens."),
            _ => format!("At least {min} and at most {max} characters."),
        }
    }

    pub fn replaced_count(&self, n: usize) -> String {
        match (self.lang, n) {
            ("nl", 1) => "We hebben 1 persoonlijk gegeven vervangen.".into(),
            ("nl", n) => format!("We hebben {n} persoonlijke gegevens vervangen."),
            (_, 1) => "We replaced 1 personal detail.".into(),
            (_, n) => format!("We replaced {n} personal details."),
        }
    }

    /// Who collects the stories, as one sentence.
    pub fn about_organisation(&self, organisation: &str) -> String {
        match self.lang {
            "nl" => {
                format!("{organisation} verzamelt de verhalen en is verantwoordelijk voor wat ermee gebeurt.")
            }
            _ => format!("{organisation} collects the stories and is responsible for what happens to them."),
        }
    }

    /// How long a story is kept, in years when it is a whole number of years.
    pub fn retention(&self, days: u32) -> String {
        let span = match (self.lang, days.is_multiple_of(365), days / 365) {
            ("nl", true, 1) => "1 jaar".to_string(),
            ("nl", true, n) => format!("{n} jaar"),
            ("nl", false, _) => format!("{days} dagen"),
            (_, true, 1) => "1 year".to_string(),
            (_, true, n) => format!("{n} years"),
            (_, false, _) => format!("{days} days"),
        };
        match self.lang {
            "nl" => format!(
                "We bewaren je verhaal {span}. Daarna verwijderen we het. Met je bewijscode kun je het eerder laten verwijderen."
            ),
            _ => format!(
                "We keep your story for {span}. Then we delete it. With your receipt code you can have it removed sooner."
            ),
        }
    }

    /// The heading of a consent block for some age bands.
    pub fn consent_for_bands(&self, bands: &str) -> String {
        match self.lang {
            "nl" => format!("Als je leeftijd {bands} is"),
            _ => format!("If your age is {bands}"),
        }
    }

    pub fn wait_text(&self, seconds: u64) -> String {
        match self.lang {
            "nl" => format!(
                "Er kwamen in korte tijd te veel verzoeken van jouw kant. Probeer het over {seconds} seconden opnieuw."
            ),
            _ => format!(
                "Too many requests came from you in a short time. Please try again in {seconds} seconds."
            ),
        }
    }

    pub fn code_length(&self, n: usize) -> String {
        match self.lang {
            "nl" => format!(
                "Je code heeft {n} letters. Een bewijscode heeft er 20. Kijk of je er een bent vergeten."
            ),
            _ => format!("Your code has {n} letters. A receipt code has 20. Check whether you missed one."),
        }
    }

    pub fn code_char(&self, c: char) -> String {
        match (self.lang, c) {
            ("nl", '0' | 'O' | 'I' | 'L' | '1') => format!(
                "'{c}' komt niet voor in bewijscodes. We gebruiken geen O, I, L, 0 of 1, omdat die op elkaar lijken. Kijk nog eens goed."
            ),
            ("nl", c) => format!("'{c}' komt niet voor in bewijscodes. Een bewijscode heeft alleen letters."),
            (_, '0' | 'O' | 'I' | 'L' | '1') => format!(
                "'{c}' is never part of a receipt code. We do not use O, I, L, 0 or 1 because they look alike. Please check again."
            ),
            (_, c) => format!("'{c}' is never part of a receipt code. A receipt code has letters only."),
        }
    }
}
