//! Turns a persona, tone and theme list into story text: renders phrase templates with slot
//! fillers and assembles them into intro → what happened → who helped → ending.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;

use super::meta::{OtherRole, Persp, REGIONS};
use super::phrases::*;
use super::{phrases_en as en, phrases_nl1 as nl1, phrases_nl2 as nl2};

/// Positive, negative or ambivalent ending; steers template choice and the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Pos,
    Neg,
    Mix,
}

impl Tone {
    fn mask(self) -> u8 {
        match self {
            Tone::Pos => POS,
            Tone::Neg => NEG,
            Tone::Mix => MIX,
        }
    }
}

/// Everything about the storyteller that sentences must agree on.
#[derive(Debug, Clone)]
pub(crate) struct Persona {
    pub persp: Persp,
    pub theme: usize,
    pub age: u8,
    /// The child a parent talks about, or the client of a professional.
    pub child_age: u8,
    pub child_female: bool,
    pub self_female: bool,
    pub other_role: OtherRole,
    pub region: Option<usize>,
    pub english: bool,
}

// Actor bits, in the order of the `wie_hielp` options.
pub(crate) const ACTOR_IDS: [&str; 9] =
    ["familie", "vrienden", "school", "buurt", "huisarts", "wijkteam", "jeugdhulp", "online", "niemand"];

fn actor_bit(name: &str) -> u16 {
    ACTOR_IDS.iter().position(|a| *a == name).map_or(0, |i| 1 << i)
}

// Slots whose value must stay the same within one story (one wait, one profession, one town).
const STICKY: [&str; 22] = [
    "wachtduur",
    "beroep",
    "klacht_kind",
    "opleiding",
    "klas",
    "stageplek",
    "sport",
    "caseload",
    "plaats",
    "jaren",
    "organisatie",
    "aantal_kinderen",
    "reisafstand",
    "klacht",
    "voornaam",
    "achternaam",
    "wachtduur_en",
    "aantal_kinderen_en",
    "partner",
    "toeslag",
    "ouderrol",
    "de_jongere",
];

/// Renders templates for one story, remembering sticky choices and mentioned actors.
pub(crate) struct Renderer<'a> {
    pub rng: &'a mut ChaCha8Rng,
    pub persona: &'a Persona,
    sticky: [u8; STICKY.len()],
    pub actors: u16,
    /// What the sentence being rendered mentions (`MENTIONS_CHILD`, `USES_PRONOUN`).
    pub flags: u8,
    /// Slots the renderer did not recognise (a phrase-table bug; checked by a unit test).
    pub unknown: u32,
}

const MOMENT_EN: &[&str] =
    &["last year", "two years ago", "last winter", "after the summer holidays", "a few months ago"];
const DUUR_EN: &[&str] =
    &["a few weeks", "two months", "half a year", "almost a year", "three months", "more than a year"];
const WACHTDUUR_EN: &[&str] =
    &["four months", "half a year", "eight months", "almost a year", "ten weeks", "more than a year"];
const AANTAL_EN: &[&str] = &["two", "three", "four"];

fn beroep_list(theme: usize) -> &'static [&'static str] {
    match theme {
        0 => &[
            "jeugdconsulent",
            "POH-jeugd",
            "wijkteammedewerker",
            "schoolmaatschappelijk werker",
            "jeugdverpleegkundige",
        ],
        1 => &["gezinsvoogd", "jeugdbeschermer", "gedragswetenschapper", "jeugdconsulent"],
        2 => &[
            "zorgcoördinator",
            "mentor",
            "schoolmaatschappelijk werker",
            "leerplichtambtenaar",
            "intern begeleider",
        ],
        3 => &[
            "woonbegeleider",
            "jongerencoach",
            "ambulant begeleider",
            "trajectbegeleider",
            "pleegzorgbegeleider",
        ],
        4 => &[
            "groepsleider",
            "pedagogisch medewerker",
            "gedragswetenschapper",
            "teamleider",
            "sociotherapeut",
        ],
        5 => &["jongerenwerker", "wijkteammedewerker", "netwerkcoach", "ervaringsdeskundige", "gezinscoach"],
        6 => &[
            "jeugdconsulent",
            "gezinsvoogd",
            "ambulant hulpverlener",
            "gedragswetenschapper",
            "wijkteammedewerker",
            "jeugd-ggz-behandelaar",
        ],
        _ => &["wijkteammedewerker", "maatschappelijk werker", "gezinscoach", "schuldhulpverlener"],
    }
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(rng: &'a mut ChaCha8Rng, persona: &'a Persona) -> Self {
        Renderer { rng, persona, sticky: [u8::MAX; STICKY.len()], actors: 0, flags: 0, unknown: 0 }
    }

    /// Renders `tpl` (see `phrases` for the syntax) and appends it to `out`.
    pub(crate) fn render(&mut self, tpl: &'static str, out: &mut String) {
        let b = tpl.as_bytes();
        let mut i = 0;
        let mut start = 0;
        while i < b.len() {
            match b[i] {
                b'[' => {
                    out.push_str(&tpl[start..i]);
                    let end = matching_bracket(b, i);
                    if b.get(i + 1) == Some(&b'+') {
                        self.render_list(&tpl[i + 2..end], out);
                    } else {
                        let alt = self.pick_alternative(&tpl[i + 1..end]);
                        self.render(alt, out);
                    }
                    i = end + 1;
                    start = i;
                }
                b'{' => {
                    out.push_str(&tpl[start..i]);
                    let end = i + b[i..].iter().position(|&c| c == b'}').unwrap_or(b.len() - i);
                    self.slot(&tpl[i + 1..end.min(tpl.len())], out);
                    i = end + 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        if start < tpl.len() {
            out.push_str(&tpl[start..]);
        }
    }

    /// `[+a|b|c]`: one item, or two different ones joined by "en" (people list what they
    /// need in ones and twos).
    fn render_list(&mut self, inner: &'static str, out: &mut String) {
        let first = self.pick_alternative(inner);
        self.render(first, out);
        if self.rng.random_bool(0.4) {
            for _ in 0..4 {
                let second = self.pick_alternative(inner);
                if second != first {
                    out.push_str(if self.persona.english { " and " } else { " en " });
                    self.render(second, out);
                    break;
                }
            }
        }
    }

    fn pick_alternative(&mut self, inner: &'static str) -> &'static str {
        let b = inner.as_bytes();
        let mut depth = 0;
        let mut count = 1;
        for &c in b {
            match c {
                b'[' => depth += 1,
                b']' => depth -= 1,
                b'|' if depth == 0 => count += 1,
                _ => {}
            }
        }
        let want = self.rng.random_range(0..count);
        let (mut seg, mut seg_start) = (0, 0);
        depth = 0;
        for (j, &c) in b.iter().enumerate() {
            match c {
                b'[' => depth += 1,
                b']' => depth -= 1,
                b'|' if depth == 0 => {
                    if seg == want {
                        return &inner[seg_start..j];
                    }
                    seg += 1;
                    seg_start = j + 1;
                }
                _ => {}
            }
        }
        &inner[seg_start..]
    }

    fn pick_from(&mut self, name: &str, list: &'static [&'static str], out: &mut String) {
        let idx = match STICKY.iter().position(|s| *s == name) {
            Some(k) => {
                if self.sticky[k] == u8::MAX || usize::from(self.sticky[k]) >= list.len() {
                    self.sticky[k] = self.rng.random_range(0..list.len()) as u8;
                }
                usize::from(self.sticky[k])
            }
            None => self.rng.random_range(0..list.len()),
        };
        self.render(list[idx], out);
    }

    fn actor_list(&mut self, actor: &str, list: &'static [&'static str], out: &mut String) {
        self.actors |= actor_bit(actor);
        self.pick_from("", list, out);
    }

    fn slot(&mut self, name: &str, out: &mut String) {
        let p = self.persona;
        let f = p.child_female;
        if let Some(actor) = name.strip_prefix('@') {
            let bit = actor_bit(actor);
            if bit == 0 {
                self.unknown += 1;
            }
            self.actors |= bit;
            return;
        }
        match name {
            "kind" | "kind_en" | "jongere" | "jongere_en" | "de_jongere" | "kindleeftijd"
            | "clientleeftijd" => self.flags |= MENTIONS_CHILD,
            "hij" | "zijn" | "hem" | "hij_en" | "hem_en" => self.flags |= USES_PRONOUN,
            _ => {}
        }
        match name {
            // Eligibility markers, checked when a template is chosen.
            "?adult" | "?minor" | "?16" | "?u16" => {}
            "familielid" => self.actor_list("familie", FAMILIELID, out),
            "ouder_familie" => self.actor_list("familie", OUDER_FAMILIE, out),
            "vriend" => self.actor_list("vrienden", VRIEND, out),
            "ouder_vriend" => self.actor_list("vrienden", OUDER_VRIEND, out),
            "buurt" => self.actor_list("buurt", BUURT, out),
            "school_persoon" => self.actor_list("school", SCHOOL_PERSOON, out),
            "hulpverlener" => self.actor_list("jeugdhulp", HULPVERLENER, out),
            "vertrouwenspersoon" => self.actor_list("jeugdhulp", VERTROUWENSPERSOON, out),
            "begeleider" => self.actor_list("jeugdhulp", BEGELEIDER, out),
            "wijkteam" => self.actor_list("wijkteam", WIJKTEAM, out),
            "huisarts" => self.actor_list("huisarts", HUISARTS, out),
            "online" => self.actor_list("online", ONLINE, out),
            "duur" => self.pick_from(name, DUUR, out),
            "wachtduur" => self.pick_from(name, WACHTDUUR, out),
            "moment" => self.pick_from(name, MOMENT, out),
            "tijdstip" => self.pick_from(name, TIJDSTIP, out),
            "gevoel_neg" => self.pick_from(name, GEVOEL_NEG, out),
            "gevoel_pos" => self.pick_from(name, GEVOEL_POS, out),
            "klacht" => self.pick_from(name, KLACHT, out),
            "klacht_kind" => self.pick_from(name, KLACHT_KIND, out),
            "opleiding" => self.pick_from(name, OPLEIDING, out),
            "klas" => self.pick_from(name, klas_list(self.subject_age()), out),
            "stageplek" => self.pick_from(name, STAGEPLEK, out),
            "sport" => self.pick_from(name, SPORT, out),
            "aantal_kinderen" => self.pick_from(name, AANTAL_KINDEREN, out),
            "broerzus" => self.pick_from(name, BROERZUS, out),
            "jaren" => self.pick_from(name, JAREN, out),
            "caseload" => self.pick_from(name, CASELOAD, out),
            "organisatie" => self.pick_from(name, ORGANISATIE, out),
            "reisafstand" => self.pick_from(name, REISAFSTAND, out),
            "bedrag" => self.pick_from(name, BEDRAG, out),
            "schuld" => self.pick_from(name, SCHULD, out),
            "toeslag" => self.pick_from(name, TOESLAG, out),
            "voornaam" => self.pick_from(name, VOORNAAM, out),
            "achternaam" => self.pick_from(name, ACHTERNAAM, out),
            "beroep" => self.pick_from(name, beroep_list(p.theme), out),
            "onderwerp" => self.pick_from(name, ONDERWERP[p.theme], out),
            "onderwerp_en" => self.pick_from(name, ONDERWERP_EN[p.theme], out),
            "moment_en" => self.pick_from(name, MOMENT_EN, out),
            "duur_en" => self.pick_from(name, DUUR_EN, out),
            "wachtduur_en" => self.pick_from(name, WACHTDUUR_EN, out),
            "aantal_kinderen_en" => self.pick_from(name, AANTAL_EN, out),
            "leeftijd" => {
                let _ = write!(out, "{}", p.age);
            }
            "kindleeftijd" | "clientleeftijd" => {
                let _ = write!(out, "{}", p.child_age);
            }
            "hij" => out.push_str(if f { "ze" } else { "hij" }),
            "zijn" => out.push_str(if f { "haar" } else { "zijn" }),
            "hem" => out.push_str(if f { "haar" } else { "hem" }),
            "jongere" => out.push_str(if f { "meisje" } else { "jongen" }),
            // Professionals say "de jongere" a lot; varying it keeps one word from marking
            // every professional's story.
            "de_jongere" => {
                let list: &'static [&'static str] = if f {
                    &["de jongere", "het meisje", "de cliënt", "de tiener"]
                } else {
                    &["de jongere", "de jongen", "de cliënt", "de tiener"]
                };
                self.pick_from(name, list, out);
            }
            "jongere_en" => out.push_str(if f { "girl" } else { "boy" }),
            "hij_en" => out.push_str(if f { "she" } else { "he" }),
            "hem_en" => out.push_str(if f { "her" } else { "him" }),
            "kind" => out.push_str(self.kind_word()),
            "kind_en" => out.push_str(self.kind_word_en()),
            "ouderrol" => match (p.persp, p.self_female) {
                (Persp::Parent, true) => self.pick_from(name, &["moeder", "moeder", "ouder", "mama"], out),
                (Persp::Parent, false) => self.pick_from(name, &["vader", "vader", "ouder", "papa"], out),
                _ => out.push_str(self.role_word()),
            },
            "partner" => {
                let list: &'static [&'static str] = if p.self_female {
                    &["mijn man", "mijn partner", "mijn ex", "de vader van de kinderen"]
                } else {
                    &["mijn vrouw", "mijn partner", "mijn ex", "de moeder van de kinderen"]
                };
                self.pick_from(name, list, out);
            }
            "plaats" => {
                let towns = match p.region {
                    Some(r) => REGIONS[r].2,
                    None => REGIONS[self.rng.random_range(0..REGIONS.len())].2,
                };
                self.pick_from(name, towns, out);
            }
            "telefoon" => self.phone(out),
            "email" => self.email(out),
            _ => {
                // Keep the text readable; the unit test that renders every template fails.
                self.unknown += 1;
            }
        }
    }

    /// Age of the young person the story is about: the teller, or their child or client.
    pub(crate) fn subject_age(&self) -> u8 {
        match self.persona.persp {
            Persp::Youth => self.persona.age,
            _ => self.persona.child_age,
        }
    }

    fn kind_word(&self) -> &'static str {
        let f = self.persona.child_female;
        match (self.persona.persp, self.persona.other_role) {
            (Persp::Other, OtherRole::Grandparent) => {
                if f {
                    "kleindochter"
                } else {
                    "kleinzoon"
                }
            }
            (Persp::Other, OtherRole::Foster) => {
                if f {
                    "pleegdochter"
                } else {
                    "pleegzoon"
                }
            }
            (Persp::Other, OtherRole::AuntUncle) => {
                if f {
                    "nicht"
                } else {
                    "neef"
                }
            }
            // Parents say "onze zoon" as often as "onze jongen"; varying it per story keeps
            // one word from marking every parent's story.
            _ => match (f, self.persona.child_age % 3) {
                (true, 0) => "meid",
                (true, _) => "dochter",
                (false, 0) => "jongen",
                (false, _) => "zoon",
            },
        }
    }

    fn kind_word_en(&self) -> &'static str {
        let f = self.persona.child_female;
        match (self.persona.persp, self.persona.other_role) {
            (Persp::Other, OtherRole::Grandparent) => {
                if f {
                    "granddaughter"
                } else {
                    "grandson"
                }
            }
            (Persp::Other, OtherRole::Foster) => {
                if f {
                    "foster daughter"
                } else {
                    "foster son"
                }
            }
            (Persp::Other, OtherRole::AuntUncle) => {
                if f {
                    "niece"
                } else {
                    "nephew"
                }
            }
            _ => {
                if f {
                    "daughter"
                } else {
                    "son"
                }
            }
        }
    }

    fn role_word(&self) -> &'static str {
        let f = self.persona.self_female;
        match (self.persona.persp, self.persona.other_role) {
            (Persp::Other, OtherRole::Grandparent) => {
                if f {
                    "oma"
                } else {
                    "opa"
                }
            }
            (Persp::Other, OtherRole::Foster) => {
                if f {
                    "pleegmoeder"
                } else {
                    "pleegvader"
                }
            }
            (Persp::Other, OtherRole::AuntUncle) => {
                if f {
                    "tante"
                } else {
                    "oom"
                }
            }
            _ => {
                if f {
                    "moeder"
                } else {
                    "vader"
                }
            }
        }
    }

    fn phone(&mut self, out: &mut String) {
        let n: u32 = self.rng.random_range(10_000_000..100_000_000);
        match self.rng.random_range(0..3) {
            0 => {
                let _ = write!(out, "06-{n}");
            }
            1 => {
                let _ = write!(out, "06 {} {}", n / 10_000, n % 10_000);
            }
            _ => {
                let _ = write!(out, "06{n}");
            }
        }
    }

    fn email(&mut self, out: &mut String) {
        // Only ASCII names make believable addresses.
        let first = loop {
            let v = VOORNAAM[self.rng.random_range(0..VOORNAAM.len())];
            if v.is_ascii() {
                break v;
            }
        };
        let last = loop {
            let v = ACHTERNAAM[self.rng.random_range(0..ACHTERNAAM.len())];
            if v.is_ascii() {
                break v;
            }
        };
        let domain = MAILDOMEIN[self.rng.random_range(0..MAILDOMEIN.len())];
        for c in first.chars() {
            out.push(c.to_ascii_lowercase());
        }
        out.push(if self.rng.random_bool(0.5) { '.' } else { '_' });
        for c in last.chars().filter(|c| *c != ' ') {
            out.push(c.to_ascii_lowercase());
        }
        if self.rng.random_bool(0.4) {
            let _ = write!(out, "{}", self.rng.random_range(70..99));
        }
        out.push('@');
        out.push_str(domain);
    }
}

pub(crate) const MENTIONS_CHILD: u8 = 1;
pub(crate) const USES_PRONOUN: u8 = 2;

/// School years that fit an age (for older tellers: the years they look back on).
fn klas_list(age: u8) -> &'static [&'static str] {
    match age {
        0..=11 => &["groep 7", "groep 8"],
        12 => &["groep 8", "de brugklas"],
        13 => &["de brugklas", "de tweede", "vmbo 2"],
        14 => &["de tweede", "de derde", "havo 3", "vmbo 2"],
        15 => &["de derde", "havo 3", "vwo 3", "vmbo 3"],
        16 => &["vmbo 4", "havo 4", "de vierde"],
        17 => &["havo 5", "vwo 5", "havo 4", "de vijfde"],
        _ => &["de derde", "vmbo 4", "havo 4", "de tweede"],
    }
}

fn matching_bracket(b: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (j, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    b.len() - 1
}

/// The theme bank for `theme` in the story's language.
pub(crate) fn bank(theme: usize, english: bool) -> &'static [Tpl] {
    match (theme, english) {
        (0, false) => nl1::WACHTLIJST,
        (1, false) => nl1::NIET_GEHOORD,
        (2, false) => nl1::SCHOOL,
        (3, false) => nl1::WONEN_NA_18,
        (4, false) => nl2::GESLOTEN,
        (5, false) => nl2::INFORMEEL,
        (6, false) => nl2::WERKDRUK,
        (_, false) => nl2::GELDZORGEN,
        (0, true) => en::WACHTLIJST_EN,
        (1, true) => en::NIET_GEHOORD_EN,
        (2, true) => en::SCHOOL_EN,
        (3, true) => en::WONEN_EN,
        (4, true) => en::GESLOTEN_EN,
        (5, true) => en::INFORMEEL_EN,
        (6, true) => en::WERKDRUK_EN,
        (_, true) => en::GELDZORGEN_EN,
    }
}

/// Collapses doubled spaces and spaces before punctuation that empty alternatives leave behind.
pub(crate) fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if matches!(c, ',' | '.' | '?' | '!' | ':' | ';' | ')') && out.ends_with(' ') {
            out.pop();
        }
        if c == ',' && out.ends_with(',') {
            continue;
        }
        out.push(c);
    }
    out
}

/// Upper-cases the first letter (leaving a leading "'s" alone).
pub(crate) fn capitalize(s: &mut String) {
    if let Some(c) = s.chars().next()
        && c.is_lowercase()
    {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
}
/// One rendered sentence and what it mentions.
pub(crate) struct Sent {
    pub text: String,
    pub flags: u8,
    /// Word count, kept so length checks while composing stay cheap.
    pub words: u16,
}

/// Sentences of one story, kept apart so length limits and youth styling can work per
/// sentence; only the middle is trimmed when a story runs long.
pub(crate) struct Draft {
    pub intro: Vec<Sent>,
    pub middle: Vec<Sent>,
    pub ending: Vec<Sent>,
}

impl Draft {
    pub(crate) fn words(&self) -> usize {
        self.intro.iter().chain(&self.middle).chain(&self.ending).map(|s| usize::from(s.words)).sum()
    }
}

/// What to write about and how.
pub(crate) struct Plan<'p> {
    pub themes: &'p [usize],
    pub tone: Tone,
    pub target_words: usize,
    pub wants_need: bool,
    pub pii: bool,
    pub safeguarding: bool,
}

struct Picker {
    used: Vec<usize>,
}

impl Picker {
    /// Picks an unused template for `part` from `primary` (with probability `p_primary`) or
    /// from `fallback`, falling back to the other source when the first has none left.
    fn pick(
        &mut self,
        r: &mut Renderer,
        part: Part,
        tone: Tone,
        primary: &'static [Tpl],
        fallback: &'static [Tpl],
        p_primary: f64,
    ) -> Option<Sent> {
        let first_primary = r.rng.random_bool(p_primary);
        let order = if first_primary { [primary, fallback] } else { [fallback, primary] };
        for src in order {
            if let Some(tpl) = self.choose(r, part, tone, src) {
                self.used.push(tpl.text.as_ptr() as usize);
                return Some(render_sentence(r, tpl.text));
            }
        }
        None
    }

    fn choose(&self, r: &mut Renderer, part: Part, tone: Tone, src: &'static [Tpl]) -> Option<&'static Tpl> {
        let who = r.persona.persp.mask();
        let tm = tone.mask();
        let age = r.subject_age();
        let ok = |t: &Tpl| {
            t.part == part
                && t.who & who != 0
                && t.tone & tm != 0
                && !self.used.contains(&(t.text.as_ptr() as usize))
                && fits_age(t.text, age)
        };
        let n = src.iter().filter(|t| ok(t)).count();
        if n == 0 {
            return None;
        }
        let k = r.rng.random_range(0..n);
        src.iter().filter(|t| ok(t)).nth(k)
    }
}

/// Some templates only fit some ages; they start with markers: `{?adult}` (18 or older),
/// `{?minor}` (under 18), `{?16}` (16 or older: mbo, internships), `{?u16}` (under 16).
/// Keeping markers at the start makes this check a cheap prefix test.
fn fits_age(text: &str, age: u8) -> bool {
    let mut rest = text;
    while let Some(r) = rest.strip_prefix("{?") {
        let Some(end) = r.find('}') else {
            return true;
        };
        let ok = match &r[..end] {
            "adult" => age >= 18,
            "minor" => age < 18,
            "16" => age >= 16,
            "u16" => age < 16,
            _ => true,
        };
        if !ok {
            return false;
        }
        rest = &r[end + 1..];
    }
    true
}

fn render_sentence(r: &mut Renderer, tpl: &'static str) -> Sent {
    r.flags = 0;
    let mut s = String::with_capacity(tpl.len() + 32);
    r.render(tpl, &mut s);
    let text = tidy(&s);
    let words = text.split_whitespace().count() as u16;
    Sent { text, flags: r.flags, words }
}

// Sentences that introduce the child or client when a story would otherwise say "hij" or
// "haar" about someone it never mentioned.
#[rustfmt::skip]
const CHILD_INTRO: &[Tpl] = &[
    t(I, PO, ANY, "[Het gaat over|Dit gaat over|Ik schrijf over] onze {kind} van {kindleeftijd}[, een [lieve|gevoelige|eigenwijze|slimme] [jongen|meid|puber]|]."),
    t(I, P, ANY, "Onze {kind} is [nu|inmiddels] {kindleeftijd}[, de oudste van {aantal_kinderen}|, de jongste van {aantal_kinderen}|, ons enige kind|]."),
    t(I, PO, ANY, "[Even wat achtergrond|Ter achtergrond|Om te beginnen]: onze {kind} is {kindleeftijd}[ en [zit op het vmbo|zit op de basisschool|zit in de puberteit|is altijd een vrolijk kind geweest]|]."),
    t(I, O, ANY, "Het gaat over mijn {kind} van {kindleeftijd}[, die ik heel na aan mijn hart heb|, bij wie ik vaak ben|]."),
    t(I, R, ANY, "Het gaat om een {jongere} van {clientleeftijd}[ die ik een tijd begeleidde| uit een gezin met veel problemen| uit {plaats}|], [laat ik {hem} hier gewoon 'de jongere' noemen|geanonimiseerd natuurlijk|]."),
    t(I, R, ANY, "Ik denk aan een {jongere} van {clientleeftijd} [die ik begeleidde|die ik een tijd begeleidde|die vorig jaar bij ons werd aangemeld][, en dat verhaal laat me niet los|]."),
    t(I, Y, ANY, "[Het gaat over|Dit gaat over] mijn [broertje|zusje|neefje]."),
];

#[rustfmt::skip]
const CHILD_INTRO_EN: &[Tpl] = &[
    t(I, PO, ANY, "This is about our {kind_en}, who is {kindleeftijd}."),
    t(I, R, ANY, "This is about a {jongere_en} of {clientleeftijd} I worked with."),
    t(I, Y, ANY, "This is about my little [brother|sister]."),
];

/// Makes sure a pronoun never comes before the child or client it refers to.
fn introduce_child(r: &mut Renderer, d: &mut Draft) {
    let all = || d.intro.iter().chain(&d.middle).chain(&d.ending);
    let first = |flag: u8| all().position(|s| s.flags & flag != 0);
    let Some(pron) = first(USES_PRONOUN) else {
        return;
    };
    if first(MENTIONS_CHILD).is_some_and(|c| c <= pron) {
        return;
    }
    let src = if r.persona.english { CHILD_INTRO_EN } else { CHILD_INTRO };
    let mut pk = Picker { used: Vec::new() };
    if let Some(s) = pk.pick(r, I, Tone::Mix, src, src, 1.0) {
        if pron < d.intro.len() {
            d.intro.insert(0, s);
        } else {
            d.intro.push(s);
        }
    }
}

/// Writes the sentences of one story.
pub(crate) fn compose(r: &mut Renderer, plan: &Plan) -> Draft {
    let english = r.persona.english;
    let main = bank(plan.themes[0], english);
    let generic: &'static [Tpl] = if english { en::GENERIC_EN } else { GENERIC };
    let tone = plan.tone;
    // Adults' generic sentences carry a lot of role vocabulary ("het gezin", "onze zoon");
    // leaning harder on the theme banks keeps stories grouped by theme rather than by role.
    let boost = if r.persona.persp == Persp::Youth { 0.0 } else { 0.06 };
    let pm = |p: f64| (p + boost).min(0.97);
    let mut pk = Picker { used: Vec::with_capacity(24) };
    let mut d =
        Draft { intro: Vec::with_capacity(2), middle: Vec::with_capacity(12), ending: Vec::with_capacity(3) };

    if let Some(s) = pk.pick(r, I, tone, main, generic, pm(0.85)) {
        d.intro.push(s);
    }
    // A long story sometimes opens with a second, scene-setting sentence.
    if plan.target_words > 180
        && r.rng.random_bool(0.4)
        && let Some(s) = pk.pick(r, I, tone, generic, main, 0.7)
    {
        d.intro.push(s);
    }

    // Ending first, so the middle can be filled up to the length target.
    if let Some(s) = pk.pick(r, U, tone, main, generic, pm(0.9)) {
        d.ending.push(s);
    }
    let mut tail: Vec<Sent> = Vec::with_capacity(2);
    if (plan.target_words >= 70 || r.rng.random_bool(0.3))
        && r.rng.random_bool(0.75)
        && let Some(s) = pk.pick(r, G, tone, main, generic, pm(0.6))
    {
        tail.push(s);
    }
    if plan.wants_need
        && let Some(s) = pk.pick(r, N, tone, main, generic, pm(0.8))
    {
        tail.push(s);
    }
    if tail.len() == 2 && r.rng.random_bool(0.3) {
        tail.swap(0, 1);
    }
    d.ending.extend(tail);

    // Middle: what happened, then who helped, then more of either until long enough.
    if let Some(s) = pk.pick(r, E, tone, main, generic, pm(0.92)) {
        d.middle.push(s);
    }
    let mut helped = false;
    let mut budget = 30;
    while d.words() < plan.target_words && budget > 0 {
        budget -= 1;
        let (part, p_main) = if !helped && d.middle.len() >= 2 {
            helped = true;
            (H, 0.75)
        } else if r.rng.random_bool(0.7) {
            (E, 0.88)
        } else {
            (H, 0.75)
        };
        let s = pk
            .pick(r, part, tone, main, generic, pm(p_main))
            .or_else(|| pk.pick(r, E, tone, main, generic, pm(0.9)));
        match s {
            Some(s) if part == H => d.middle.push(s),
            // Events go before the help sentences already written, as stories usually run.
            Some(s) => {
                let pos = if helped && r.rng.random_bool(0.6) {
                    d.middle.len().saturating_sub(1)
                } else {
                    d.middle.len()
                };
                d.middle.insert(pos, s);
            }
            None => break,
        }
    }
    if !helped
        && plan.target_words >= 60
        && let Some(s) = pk.pick(r, H, tone, main, generic, pm(0.75))
    {
        d.middle.push(s);
    }

    // Secondary themes: a sentence or two, placed somewhere in the middle.
    for (k, &th) in plan.themes.iter().enumerate().skip(1) {
        let n = if k == 1 && r.rng.random_bool(0.4) { 2 } else { 1 };
        let sec = bank(th, english);
        for _ in 0..n {
            let part = if r.rng.random_bool(0.7) { E } else { N };
            let s = pk.pick(r, part, tone, sec, sec, 1.0).or_else(|| pk.pick(r, E, tone, sec, sec, 1.0));
            if let Some(s) = s {
                if part == N && r.rng.random_bool(0.5) {
                    d.ending.push(s);
                } else {
                    let pos = r.rng.random_range(0..=d.middle.len());
                    d.middle.insert(pos, s);
                }
            }
        }
    }

    if plan.pii {
        let src = if english { PII_EN } else { PII_NL };
        if let Some(s) = pk.pick(r, H, tone, src, src, 1.0) {
            let pos = r.rng.random_range(0..=d.middle.len());
            d.middle.insert(pos, s);
        }
    }
    if plan.safeguarding {
        let src = if english { SAFEGUARDING_EN } else { SAFEGUARDING_NL };
        if let Some(s) = pk.pick(r, E, tone, src, src, 1.0) {
            let pos = r.rng.random_range(0..=d.middle.len());
            d.middle.insert(pos, s);
        }
    }

    // Hard limits: trim the middle from the back (keep one sentence), then the ending.
    while d.words() > MAX_WORDS && d.middle.len() > 1 {
        d.middle.pop();
    }
    while d.words() > MAX_WORDS && d.ending.len() > 1 {
        d.ending.pop();
    }
    let mut guard = 0;
    while d.words() < MIN_WORDS && guard < 12 {
        guard += 1;
        let part = [E, H, N, G][guard % 4];
        if let Some(s) = pk.pick(r, part, tone, generic, main, 0.5) {
            d.middle.push(s);
        }
    }
    introduce_child(r, &mut d);
    d
}

// The styling pass may merge or shorten a few words, so compose within a small margin.
pub(crate) const MIN_WORDS: usize = 46;
pub(crate) const MAX_WORDS: usize = 385;

/// A short title in the story's language, or `None` (about 60% of stories have none).
pub(crate) fn title(r: &mut Renderer, theme: usize) -> Option<String> {
    if !r.rng.random_bool(0.4) {
        return None;
    }
    const GENERIC_TITLES: &[&str] = &[
        "Mijn verhaal",
        "Hoe het [ging|gaat]",
        "[Eindelijk|Toch nog]",
        "Niet alleen",
        "Wat ik nodig had",
        "[Zelf|Zelf gedaan]",
        "Een lang jaar",
    ];
    let list: &'static [&'static str] = if r.persona.english {
        en::TITLES_EN[theme]
    } else if r.rng.random_bool(0.15) {
        GENERIC_TITLES
    } else if theme < 4 {
        nl1::TITLES_1[theme]
    } else {
        nl2::TITLES_2[theme - 4]
    };
    let tpl = list[r.rng.random_range(0..list.len())];
    let mut s = String::new();
    r.render(tpl, &mut s);
    let mut s = tidy(&s);
    if r.persona.persp == Persp::Youth && r.rng.random_bool(0.3) {
        s = s.to_lowercase();
    }
    Some(s)
}
