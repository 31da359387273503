//! Finds person names, the hardest personal detail: no shape to match, so it combines name
//! lists with the shape of a name (titles, surname particles, initials, double names) and the
//! context it stands in (role words, naming verbs, a verb of speaking after it, an age in
//! brackets), and protects places, organisations and ordinary words. What the rules leave,
//! a small statistical tagger ([`super::tagger`]) may still pick up.

use super::PiiKind;
use super::lexicon::{Lexicon, Tok, WordInfo};
use super::patterns::{Claims, is_street_head, simple_gap};
use super::tagger::Tagger;

/// How a name is introduced by the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// "meneer", "mevrouw", "Mr": may be followed by a surname with particles.
    Title,
    /// "mijn zus", "heet", "mijn naam is": what follows is a name if it can be one.
    Strong,
    /// "ik ben", "this is": only a capitalised word that is not an ordinary word.
    Weak,
}

/// Surname particle sequences, longest first within each first word. "in", "op" and "uit"
/// only count before an article ("in 't Hout", "op den Akker", "Uit den Bogaard"), so that
/// "de wijkagent in Presikhaaf" stays a place.
const PARTICLE_RUNS: &[&[&str]] = &[
    &["van", "in", "'t"],
    &["van", "der"],
    &["van", "den"],
    &["van", "de"],
    &["van", "het"],
    &["van", "'t"],
    &["van", "t"],
    &["van", "ter"],
    &["van"],
    &["in", "'t"],
    &["in", "het"],
    &["in", "de"],
    &["in", "den"],
    &["op", "de"],
    &["op", "den"],
    &["op", "het"],
    &["op", "'t"],
    &["op", "ten"],
    &["uit", "de"],
    &["uit", "den"],
    &["uit", "het"],
    &["uit", "'t"],
    &["de", "la"],
    &["de", "le"],
    &["de", "los"],
    &["de", "las"],
    &["de"],
    &["der"],
    &["den"],
    &["ter"],
    &["ten"],
    &["te"],
    &["'t"],
    &["von", "der"],
    &["von", "dem"],
    &["von"],
    &["zu"],
    &["la"],
    &["le"],
    &["du"],
    &["da"],
    &["di"],
    &["do"],
    &["dos"],
    &["das"],
    &["del"],
    &["della"],
    &["el"],
    &["al"],
    &["ben"],
    &["bin"],
    &["ibn"],
    &["abu"],
    &["ait"],
    &["ould"],
    &["mc"],
    &["mac"],
    &["vd"],
];

/// Particle sequences that are almost only ever part of a surname, so they announce one even
/// without a first name or title: "vandaag weer vd Meulen", "Gisteren belde van der Horst".
const STRONG_RUNS: &[&[&str]] = &[
    &["van", "der"],
    &["van", "den"],
    &["van", "in", "'t"],
    &["op", "den"],
    &["uit", "den"],
    &["in", "'t"],
    &["ter"],
    &["ten"],
    &["vd"],
];

/// A run of surname particles: where it ends (the first token after it) and whether it is
/// one of the strong ones.
#[derive(Debug, Clone, Copy)]
struct Run {
    end: usize,
    strong: bool,
}

/// Where a name starts, and for a name of initials only ("jeugdige K.D.") where it ends.
#[derive(Debug, Clone, Copy)]
struct Seed {
    start: usize,
    end: Option<usize>,
}

impl Seed {
    fn at(start: usize) -> Option<Seed> {
        Some(Seed { start, end: None })
    }
}

pub(super) struct NameFinder<'l> {
    lex: &'l Lexicon,
    tagger: &'l Tagger,
}

/// Per-token facts the rules need, computed once.
pub(super) struct View<'a, 't> {
    pub text: &'a str,
    pub toks: &'t [Tok<'a>],
    pub info: Vec<WordInfo>,
    /// Inside an existing claim (e-mail, address, placeholder, ...).
    pub blocked: Vec<bool>,
    /// Part of a place, organisation or other non-person word or phrase.
    pub protected: Vec<bool>,
}

impl View<'_, '_> {
    pub fn usable(&self, i: usize) -> bool {
        !self.blocked[i] && !self.protected[i] && !self.toks[i].all_caps
    }
    pub fn gap_ok(&self, a: usize, b: usize) -> bool {
        simple_gap(self.text, &self.toks[a], &self.toks[b])
    }
    /// The text between token `a` and the next token.
    pub fn gap_after(&self, a: usize) -> &str {
        match self.toks.get(a + 1) {
            Some(next) => &self.text[self.toks[a].end..next.start],
            None => &self.text[self.toks[a].end..],
        }
    }
}

impl<'l> NameFinder<'l> {
    pub fn new(lex: &'l Lexicon, tagger: &'l Tagger) -> Self {
        NameFinder { lex, tagger }
    }

    pub fn find(&self, text: &str, toks: &[Tok], claims: &mut Claims) {
        let view = self.view(text, toks, claims);
        let mut found = self.rules(&view);
        // Words the rules left that the tagger takes for names are extended like a rule's
        // seed, and lists around them are followed.
        let mut tagged = false;
        for k in self.tagger.names(self.lex, &view) {
            if found.iter().any(|&(s, e)| s <= k && k <= e) {
                continue;
            }
            let end = self.extend_right(&view, k, k);
            let start = self.extend_left(&view, k, k);
            if !self.next_is_thing(&view, end) && !found.iter().any(|&(s, e)| s <= end && start <= e) {
                found.push((start, end));
                tagged = true;
            }
        }
        if tagged {
            found.sort_unstable();
            self.coordinated(&view, &mut found);
        }
        found.sort_unstable();
        self.propagate(&view, &mut found);
        for (start, end) in found {
            let start = self.titles_left(&view, start);
            // An initial's dot belongs to it: "jeugdige T. (15)", "K.D. geeft aan".
            let dot = usize::from(self.is_initial(&view, end));
            claims.claim(toks[start].start, toks[end].end + dot, PiiKind::Name);
        }
    }

    /// The names the hand-written rules find, as token ranges (inclusive), sorted.
    pub(super) fn rules(&self, view: &View) -> Vec<(usize, usize)> {
        let n = view.toks.len();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < n {
            if !view.usable(i) {
                i += 1;
                continue;
            }
            let Some(seed) = self.seed(view, i) else {
                i += 1;
                continue;
            };
            let (start, end) = match seed.end {
                Some(end) => (seed.start, end),
                None => {
                    // The seed may be a particle ("mevrouw de Vries") or initials ("J. de
                    // Vries"): extend from the first real name word after them.
                    let first_word = self.first_name_word(view, seed.start).unwrap_or(i).max(i);
                    let end = self.extend_right(view, seed.start, first_word);
                    (self.extend_left(view, seed.start, first_word), end)
                }
            };
            if !self.next_is_thing(view, end) {
                found.push((start, end));
            }
            i = end + 1;
        }
        self.coordinated(view, &mut found);
        found.sort_unstable();
        found
    }

    /// "Sophia Kinderziekenhuis", "Jan Steenstraat", "Koning Willem I College": a name
    /// followed (within two more capitalised words) by an institution or street word.
    fn next_is_thing(&self, v: &View, end: usize) -> bool {
        let n = v.toks.len();
        for k in end..end + 3 {
            if k + 1 >= n || !v.gap_ok(k, k + 1) || !v.toks[k + 1].cap {
                return false;
            }
            let key = &v.toks[k + 1].key;
            if self.lex.is_org_suffix(key) || is_street_like(key) {
                return true;
            }
        }
        false
    }

    /// "Mounia en Dilan", "Wessel en Thijmen": a word joined by "en", "and" or a comma to a
    /// name found above is a name too, if it can be one (capitalised and not an ordinary
    /// word, or a listed name in any case).
    fn coordinated(&self, v: &View, found: &mut Vec<(usize, usize)>) {
        let n = v.toks.len();
        let in_name = |found: &[(usize, usize)], k: usize| found.iter().any(|&(s, e)| s <= k && k <= e);
        let can_be_name = |k: usize| -> bool {
            let t = &v.toks[k];
            let info = v.info[k];
            // Lowercase only for listed first names: "met fleur en sem", not "en haar".
            v.usable(k)
                && !info.non_person
                && !self.lex.is_particle(&t.key)
                && !self.lex.is_title(&t.key)
                && !self.lex.is_role(&t.key)
                && if t.cap { info.known() || !info.common } else { info.first }
        };
        let joined = |a: usize, b: usize| -> bool {
            let gap = &v.text[v.toks[a].end..v.toks[b].start];
            gap == ", " || gap == " & "
        };
        let joined_by_word = |a: usize, b: usize| -> bool {
            b == a + 2
                && matches!(v.toks[a + 1].key.as_str(), "en" | "and" | "of" | "or")
                && v.gap_ok(a, a + 1)
                && v.gap_ok(a + 1, b)
        };
        // "Jochem, Sietske and I": a comma neighbour that is itself followed by "en"/"and"
        // or another comma continues a list of people.
        let list_goes_on = |k: usize| -> bool {
            k + 2 < n
                && (joined(k, k + 1)
                    || (matches!(v.toks[k + 1].key.as_str(), "en" | "and") && v.gap_ok(k, k + 1)))
        };
        loop {
            let mut added = Vec::new();
            for &(s, e) in found.iter() {
                let mut candidates = Vec::new();
                if e + 2 < n && joined_by_word(e, e + 2) {
                    candidates.push(e + 2);
                }
                if s >= 2 && joined_by_word(s - 2, s) {
                    candidates.push(s - 2);
                }
                if e + 1 < n && joined(e, e + 1) {
                    candidates.push(e + 1);
                }
                if s >= 1 && joined(s - 1, s) {
                    candidates.push(s - 1);
                }
                for k in candidates {
                    // A comma-separated neighbour must have a capital: "Daan, ik ..." is not a
                    // list. In a comma list only listed names count, unless the list goes on:
                    // "uit Oost-Europa, Paweł" is not a list of people.
                    let comma = k + 1 == s || k == e + 1;
                    let listed = v.toks[k].cap && v.info[k].known();
                    let listy = v.toks[k].cap && !v.toks[k].initial && !v.info[k].common && list_goes_on(k);
                    if comma && !(listed || listy) {
                        continue;
                    }
                    if can_be_name(k) && !in_name(found, k) && !added.contains(&k) {
                        added.push(k);
                    }
                }
            }
            if added.is_empty() {
                break;
            }
            for k in added {
                let end = self.extend_right(v, k, k);
                found.push((k, end));
            }
            found.sort_unstable();
        }
    }

    /// A name found once is a name everywhere in the same text: "Ze stelde zich voor als
    /// Annemiek Bosman-Terpstra, maar ik mocht gewoon Annemiek zeggen." Only exact spellings
    /// of words that are not particles, titles or initials; a short name counts too ("ik heet
    /// Bo … Bo zegt"), or the stored text would still hold it.
    fn propagate(&self, v: &View, found: &mut Vec<(usize, usize)>) {
        let mut words: Vec<&str> = Vec::new();
        for &(s, e) in found.iter() {
            for k in s..=e {
                let t = &v.toks[k];
                let plain = !self.is_initial(v, k)
                    && !self.lex.is_particle(&t.key)
                    && !self.lex.is_title(&t.key)
                    && !self.lex.is_mostly_word(&t.key);
                if plain && !words.contains(&t.text) {
                    words.push(t.text);
                }
            }
        }
        let mut extra = Vec::new();
        for k in 0..v.toks.len() {
            let taken = found.iter().any(|&(s, e)| s <= k && k <= e);
            if !taken && v.usable(k) && words.contains(&v.toks[k].text) {
                extra.push((k, k));
            }
        }
        if !extra.is_empty() {
            found.extend(extra);
            found.sort_unstable();
        }
    }

    pub(super) fn view<'a, 't>(&self, text: &'a str, toks: &'t [Tok<'a>], claims: &Claims) -> View<'a, 't> {
        let n = toks.len();
        let info: Vec<WordInfo> = toks.iter().map(|t| self.lex.info(&t.key)).collect();
        let blocked: Vec<bool> = toks.iter().map(|t| !claims.free(t.start, t.end)).collect();
        let mut protected = vec![false; n];
        let mut i = 0;
        while i < n {
            // "Van den Bosch" is a surname even though "Den Bosch" is a city.
            let after_particle = i > 0
                && toks[i - 1].key == "van"
                && self.lex.is_particle(&toks[i].key)
                && simple_gap(text, &toks[i - 1], &toks[i]);
            let phrases = self.lex.phrases_starting(&toks[i].key);
            if let Some(phrases) = phrases.filter(|_| !after_particle) {
                let hit = phrases.iter().find(|p| {
                    i + p.len() <= n
                        && p.iter().enumerate().all(|(k, w)| toks[i + k].key == *w)
                        && (1..p.len()).all(|k| phrase_gap(text, &toks[i + k - 1], &toks[i + k]))
                });
                if let Some(p) = hit {
                    protected[i..i + p.len()].iter_mut().for_each(|x| *x = true);
                    i += p.len();
                    continue;
                }
            }
            // "Stichting Jan Pieter Heije", "Gemeente Oss": the capitalised words after an
            // organisation word name the organisation.
            if toks[i].cap && self.lex.is_org_prefix(&toks[i].key) {
                let mut k = i + 1;
                while k < n && k - i <= 4 && simple_gap(text, &toks[k - 1], &toks[k]) {
                    let t = &toks[k];
                    let particle_inside =
                        !t.cap && self.lex.is_particle(&t.key) && k + 1 < n && toks[k + 1].cap;
                    if !(t.cap || particle_inside) {
                        break;
                    }
                    protected[k] = true;
                    k += 1;
                }
                protected[i] = true;
                i = k;
                continue;
            }
            // A non-person word is protected unless it is also a name (May, Frans, Saba):
            // then the rules below decide, with the non-person reading winning without a cue.
            if info[i].non_person && !info[i].known() {
                protected[i] = true;
            }
            i += 1;
        }
        View { text, toks, info, blocked, protected }
    }

    /// Decide whether a name starts at token `i`.
    fn seed(&self, v: &View, i: usize) -> Option<Seed> {
        let t = &v.toks[i];
        let info = v.info[i];
        let n = v.toks.len();
        if self.abbreviated_title_at(v, i) {
            return None;
        }
        // Initials come first: "J. de Vries", "jeugdige K.D.", "S. en haar moeder".
        if let Some(start) = self.initials_at(v, i) {
            return Seed::at(start);
        }
        if let Some(end) = self.lone_initials(v, i) {
            return Some(Seed { start: i, end: Some(end) });
        }
        // "v/d Meulen", "van der Horst", "ter Beek": a strong particle run before a surname.
        if let Some(run) = self.particle_run(v, i)
            && run.strong
            && (self.surname_like(v, run.end) || self.after_particle_surname(v, run.end))
            && !self.next_is_thing(v, run.end)
        {
            return Seed::at(i);
        }
        // The same with a first name before it: "Thijs v.d. Kamp", "Otto op den Akker".
        if i + 1 < n
            && v.gap_ok(i, i + 1)
            && self.plain_capital(v, i)
            && let Some(run) = self.particle_run(v, i + 1)
            && run.strong
            && self.surname_like(v, run.end)
            && !self.next_is_thing(v, run.end)
        {
            return Seed::at(i);
        }
        // Most words are lowercase and unlisted: they can only start a name as a particle,
        // after a naming verb, or at the start of a chat sentence before a verb of speaking.
        let lower_ok = info.known() || self.lex.is_particle(&t.key) || self.lower_name_context(v, i);
        if !t.cap && !lower_ok {
            return None;
        }
        // A title or role word is the cue itself, not the name ("my counsellor Mr Haddad").
        let is_cue_word = self.lex.is_title(&t.key) || self.lex.is_role(&t.key);
        if let Some(cue) = self.cue_before(v, i).filter(|_| !is_cue_word) {
            // After a role word "van" alone is the preposition: "de moeder van Bram".
            if let Some(run) = self.particle_run(v, i) {
                let lone_van = run.end == i + 1 && t.key == "van";
                if (cue == Cue::Title || !lone_van) && self.surname_like(v, run.end) {
                    return Seed::at(i);
                }
            }
            let plain = !info.common && !info.non_person && !self.lex.is_particle(&t.key);
            let fits = match cue {
                Cue::Title => {
                    (info.known() && (t.cap || !info.ambiguous(&t.key)))
                        || (t.cap && plain)
                        // "dhr bosma": an abbreviated title before a lowercase surname.
                        || (plain && t.key.chars().count() >= 3 && i > 0 && self.abbreviated_title_at(v, i - 1))
                }
                Cue::Strong => {
                    (info.known() && (t.cap || !info.ambiguous(&t.key)))
                        || (t.cap && plain)
                        // "ik heet wobbe", "mijn vader harm": a naming verb or a role before a
                        // lowercase word that can be a name.
                        || (!t.cap && plain && t.key.chars().count() >= 2 && self.naming_verb_before(v, i))
                        || (!t.cap && info.first && !self.lex.is_mostly_word(&t.key))
                }
                Cue::Weak => {
                    t.cap
                        && !t.initial
                        && !info.non_person
                        && (info.known() || !info.common)
                        && !self.lex.is_particle(&t.key)
                }
            };
            if fits {
                return Seed::at(i);
            }
        }
        let next = v.toks.get(i + 1).filter(|_| v.gap_ok(i, i + 1));
        // "Laan van Nieuw Oost-Indië": a street without a number, not Mr Laan.
        if t.cap && is_street_head(&t.key) && next.is_some_and(|n| self.lex.is_particle(&n.key)) {
            return None;
        }
        let plain_cap =
            t.cap && !info.common && !info.non_person && !is_cue_word && !self.lex.is_particle(&t.key);
        // "een vriendin die Bouchra heet": the name comes before the verb.
        let verb_follows = next.is_some_and(|n| self.lex.is_name_verb(&n.key));
        let relative_before = i > 0 && matches!(v.toks[i - 1].key.as_str(), "die" | "dat" | "wie");
        if verb_follows && relative_before && plain_cap {
            return Seed::at(i);
        }
        // "Bohdan Kovalenko (16)", "Jurelien Isenia en ...": an unlisted capitalised word
        // before a listed surname, or capitalised words before an age in brackets.
        if plain_cap
            && next.is_some_and(|_| {
                let (nt, ni) = (&v.toks[i + 1], v.info[i + 1]);
                nt.cap && ni.sur && !ni.common && v.usable(i + 1)
            })
        {
            return Seed::at(i);
        }
        if (plain_cap || (t.cap && info.known())) && self.age_follows(v, i) {
            return Seed::at(i);
        }
        // "Elif Yıldız", "Hodan Warsame": two unlisted capitalised words in a row that are
        // no ordinary words, places or organisations.
        // A sentence-opening unlisted word before a listed first name is no first name
        // itself ("Café Ömer"): names come first name first.
        let first_follows = next.is_some() && v.info[i + 1].first && !v.info[i + 1].sur;
        if plain_cap
            && t.key.chars().count() >= 2
            && next.is_some()
            && self.plain_capital(v, i + 1)
            && !(opening_word(t, i) && !info.known() && first_follows)
        {
            return Seed::at(i);
        }
        // "Pieter-Jan", "Eva-Lotte": a hyphenated word of capitalised parts.
        if plain_cap && self.double_name_shape(v, i) {
            return Seed::at(i);
        }
        // "Otto op den Akker", "Wijnand te Riele": capitalised word, particles, surname.
        if plain_cap
            && let Some(run) = self.particle_run(v, i + 1).filter(|_| next.is_some())
            && (self.surname_like(v, run.end) || self.after_particle_surname(v, run.end))
            && !(run.end == i + 2 && v.toks[i + 1].key == "van")
            && !self.next_is_thing(v, run.end)
        {
            return Seed::at(i);
        }
        // "Dekker zei", "Prins was de enige", "Daryna vertaalde": a sentence that opens with
        // a listed name before a finite verb, or with any plain word before a verb of speaking.
        if let Some(nt) = next {
            let nk = nt.key.as_str();
            let speech = self.lex.is_speech_verb(nk);
            let person_verb = self.lex.is_person_verb(nk) || (!nt.cap && past_tense_shape(nk, self.lex));
            let listed = info.known() && !info.non_person && !self.lex.is_mostly_word(&t.key) && !is_cue_word;
            let opening = t.initial || i == 0;
            if t.cap && listed && opening && person_verb && nk != "en" {
                return Seed::at(i);
            }
            // "Koster van de WSS wil ...": someone of an organisation.
            if t.cap && listed && opening && nk == "van" && self.organisation_after(v, i + 2) {
                return Seed::at(i);
            }
            if !t.cap && opening && info.first && !self.lex.is_mostly_word(&t.key) && person_verb {
                return Seed::at(i);
            }
            if plain_cap && speech {
                return Seed::at(i);
            }
            if !t.cap && opening && speech && (info.first || self.lower_name_context(v, i)) {
                return Seed::at(i);
            }
        }
        if !info.known() || info.non_person {
            return None;
        }
        if !info.ambiguous(&t.key) {
            // Lowercase only for first names: people write "ik ging met daan", but a
            // lowercase word that is only listed as a surname is far more often a word.
            if t.cap || (info.first && t.key.chars().count() >= 3) {
                return Seed::at(i);
            }
            return None;
        }
        // A capitalised word that is also an ordinary word, followed by another capitalised
        // word that is no name, is more likely a title or organisation ("Jong Leren").
        let next_cap_unknown = i + 1 < n && v.gap_ok(i, i + 1) && v.toks[i + 1].cap && !v.info[i + 1].known();
        if t.cap && !t.initial && !next_cap_unknown {
            return Seed::at(i);
        }
        // Sentence-initial "Roos" is a name only when a surname follows ("Roos Bakker").
        if t.cap && t.initial && i + 1 < n && v.gap_ok(i, i + 1) && v.usable(i + 1) {
            let next = &v.toks[i + 1];
            let ni = v.info[i + 1];
            let surname_follows = next.cap && ni.sur && !ni.common;
            let particle_follows =
                !next.cap && self.particle_run(v, i + 1).is_some_and(|r| self.surname_like(v, r.end));
            if surname_follows || particle_follows {
                return Seed::at(i);
            }
        }
        None
    }

    /// A capitalised word that no list knows as anything: not an ordinary word, place,
    /// organisation, role, street or particle.
    fn plain_capital(&self, v: &View, k: usize) -> bool {
        let t = &v.toks[k];
        let info = v.info[k];
        v.usable(k)
            && t.cap
            && !info.common
            && !info.non_person
            && !self.lex.is_particle(&t.key)
            && !self.lex.is_title(&t.key)
            && !self.lex.is_role(&t.key)
            && !self.lex.is_org_suffix(&t.key)
            && !is_street_like(&t.key)
            && t.key.chars().count() >= 2
    }

    /// "Pieter-Jan", "Bosman-Terpstra": capitalised parts of at least two letters joined by
    /// hyphens, none of them an ordinary word or place.
    fn double_name_shape(&self, v: &View, k: usize) -> bool {
        let t = &v.toks[k];
        let parts: Vec<&str> = t.text.split('-').collect();
        let keys: Vec<String> = parts.iter().map(|p| super::lexicon::fold(p)).collect();
        parts.len() >= 2
            && parts.iter().zip(&keys).all(|(p, key)| {
                p.chars().count() >= 2
                    && p.starts_with(char::is_uppercase)
                    && !p.chars().skip(1).all(char::is_uppercase)
                    && !self.lex.is_non_person(key)
            })
            // "Pieter-Jan", "Fenna-Rose": one part may be an ordinary word, not all.
            && keys.iter().any(|k| !self.lex.is_common(k))
    }

    /// An organisation at token `k`, after an optional article: "de WSS", "Pluryn".
    fn organisation_after(&self, v: &View, mut k: usize) -> bool {
        if k < v.toks.len() && matches!(v.toks[k].key.as_str(), "de" | "het" | "'t") {
            k += 1;
        }
        k < v.toks.len() && v.toks[k].cap && (v.toks[k].all_caps || (v.protected[k] && !v.info[k].known()))
    }

    /// A lowercase unlisted word that may still be a name: not an ordinary word, a particle,
    /// a title or role, and long enough.
    fn lower_name_context(&self, v: &View, i: usize) -> bool {
        let t = &v.toks[i];
        let info = v.info[i];
        !t.cap
            && !info.common
            && !info.non_person
            && !self.lex.is_particle(&t.key)
            && !self.lex.is_title(&t.key)
            && !self.lex.is_role(&t.key)
            && t.key.chars().count() >= 3
            && !t.key.contains(['\'', '’'])
            && !NOUN_ENDINGS.iter().any(|e| t.key.len() > e.len() + 2 && t.key.ends_with(e))
    }

    /// "heet", "genaamd", "mijn naam is", "noem me" right before token `i`.
    fn naming_verb_before(&self, v: &View, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let prev = &v.toks[i - 1].key;
        if self.lex.is_name_verb(prev) {
            return true;
        }
        i >= 2 && self.lex.name_pair(&v.toks[i - 2].key, prev) == Some(true)
    }

    /// "(16)", "(15 jaar)" right after token `i` or the capitalised word after it.
    fn age_follows(&self, v: &View, i: usize) -> bool {
        let mut k = i;
        if k + 1 < v.toks.len() && v.gap_ok(k, k + 1) && v.toks[k + 1].cap && v.usable(k + 1) {
            k += 1;
        }
        let after = &v.text[v.toks[k].end..];
        let after = after.strip_prefix(' ').unwrap_or(after);
        let Some(inner) = after.strip_prefix('(') else {
            return false;
        };
        // "Tamara (groepsleider)": a role in brackets after the name.
        let word: String = inner.chars().take_while(|c| c.is_alphabetic()).collect();
        if !word.is_empty()
            && inner[word.len()..].starts_with(')')
            && self.lex.is_role(&super::lexicon::fold(&word))
        {
            return true;
        }
        let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
        let rest = inner[digits.len()..].trim_start();
        let unit_ok = rest.starts_with(')')
            || rest.starts_with("jaar")
            || rest.starts_with("jr")
            || rest.starts_with("j)");
        (1..=2).contains(&digits.len()) && unit_ok
    }

    /// The words before token `i` that announce a name.
    fn cue_before(&self, v: &View, i: usize) -> Option<Cue> {
        if i == 0 {
            return None;
        }
        let j = i - 1;
        let prev = &v.toks[j];
        let gap = &v.text[prev.end..v.toks[i].start];
        let spaces = |g: &str| !g.is_empty() && g.len() <= 2 && g.chars().all(|c| c == ' ');
        let after_title = spaces(gap) || gap.strip_prefix('.').is_some_and(spaces);
        let after_role = spaces(gap)
            || gap.strip_prefix(',').is_some_and(spaces)
            || gap.strip_prefix(':').is_some_and(spaces);
        if self.lex.is_title(&prev.key) && after_title && !v.blocked[j] {
            return Some(Cue::Title);
        }
        if self.lex.is_role(&prev.key) && after_role && !v.blocked[j] {
            return Some(Cue::Strong);
        }
        if (self.lex.is_name_verb(&prev.key) || prev.key == "naam") && after_role {
            return Some(Cue::Strong);
        }
        if prev.key == "i'm" && spaces(gap) {
            return Some(Cue::Weak);
        }
        if j >= 1 && spaces(gap) && v.gap_ok(j - 1, j) {
            let pp = &v.toks[j - 1];
            if self.lex.is_name_verb(&pp.key) && self.lex.is_filler(&prev.key) {
                return Some(Cue::Strong);
            }
            if let Some(strong) = self.lex.name_pair(&pp.key, &prev.key) {
                return Some(if strong { Cue::Strong } else { Cue::Weak });
            }
        }
        None
    }

    /// "dhr.", "mw", "Dr.", "Prof." at token `i`, followed by a word.
    fn abbreviated_title_at(&self, v: &View, i: usize) -> bool {
        i + 1 < v.toks.len() && !v.blocked[i] && self.lex.is_abbreviated_title(&v.toks[i].key, v.gap_after(i))
    }

    /// Abbreviated titles directly before a name belong to it: "mw. Prof. Dr. A.B. de Vries".
    fn titles_left(&self, v: &View, mut start: usize) -> usize {
        while start > 0 && self.abbreviated_title_at(v, start - 1) {
            let p = &v.toks[start - 1];
            // "Dr" at the start of a sentence after a full stop is still a title; a title
            // needs the next word to follow on the same line.
            if v.gap_after(start - 1).contains('\n') || p.all_caps {
                break;
            }
            start -= 1;
        }
        start
    }

    /// A capital letter (or "Th", "Chr") directly followed by a dot.
    fn is_initial(&self, v: &View, k: usize) -> bool {
        let t = &v.toks[k];
        let short = t.text.chars().count() == 1 || (t.cap && self.lex.is_multi_initial(&t.key));
        t.cap && short && v.text[t.end..].starts_with('.') && !v.blocked[k]
    }

    /// The last token of a chain of initials starting at `i` ("J.", "A.B.", "G.J.Th.", "J. Th.").
    fn initial_chain(&self, v: &View, i: usize) -> Option<usize> {
        if !self.is_initial(v, i) {
            return None;
        }
        let mut k = i;
        while k + 1 < v.toks.len() && self.is_initial(v, k + 1) {
            let gap = &v.text[v.toks[k].end..v.toks[k + 1].start];
            if !(gap == "." || gap == ". ") {
                break;
            }
            k += 1;
        }
        Some(k)
    }

    /// "J. de Vries", "A.B. Jansen", "M. Yılmaz": initials, particles, then a surname-like word.
    fn initials_at(&self, v: &View, i: usize) -> Option<usize> {
        let k = self.initial_chain(v, i)?;
        let after = k + 1;
        if after >= v.toks.len() {
            return None;
        }
        let gap = &v.text[v.toks[k].end..v.toks[after].start];
        if !(gap == ". " || gap == ".") {
            return None;
        }
        let m = self.particle_run(v, after).map_or(after, |r| r.end);
        // After initials any capitalised word is a surname: "J.H. Brouwer", "H. de Kok".
        (m < v.toks.len() && (self.surname_like(v, m) || self.after_particle_surname(v, m))).then_some(i)
    }

    /// Initials that stand for a name on their own: "Jeugdige T. (15)", "jeugdige K.D. geeft
    /// aan", "S. en haar moeder", "alleen R. maar": one capital with a dot not followed by a
    /// capitalised word (that would be a surname or a new sentence), or a chain of two or
    /// more capitals that is not a known abbreviation. Returns the last token.
    fn lone_initials(&self, v: &View, i: usize) -> Option<usize> {
        let k = self.initial_chain(v, i)?;
        let t = &v.toks[i];
        if i > 0
            && (self.lex.blocks_initial(&v.toks[i - 1].key) || v.toks[i - 1].text.ends_with(char::is_numeric))
        {
            return None;
        }
        let before = v.text[..t.start].trim_end_matches(' ');
        if before.ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let chain: String = (i..=k).map(|j| v.toks[j].key.as_str()).collect();
        if self.lex.is_not_initials(&chain) {
            return None;
        }
        // What follows the dot.
        let after = &v.text[v.toks[k].end + 1..];
        let next_word = after.trim_start_matches([' ', ',']).chars().next();
        let next_cap = next_word.is_some_and(char::is_uppercase);
        let bracket = after.trim_start().starts_with('(');
        let cue = self.cue_before(v, i).is_some();
        let two_or_more = k > i;
        // One letter at the start of a sentence is an enumeration ("A. De eerste vraag")
        // unless a lowercase word or an age follows.
        let opening = t.initial && !cue;
        let followed_ok = bracket || after.starts_with(',') || next_word.is_some_and(char::is_lowercase);
        let ok = if next_cap {
            cue && after.starts_with(',')
        } else if two_or_more {
            !opening || followed_ok
        } else {
            followed_ok || cue || next_word.is_none()
        };
        (ok && (followed_ok || !opening)).then_some(k)
    }

    /// After a particle even an ordinary capitalised word is a surname: "Sanne 't Hart",
    /// "Bram van Os", "rens de Wolf".
    fn after_particle_surname(&self, v: &View, m: usize) -> bool {
        m < v.toks.len()
            && v.usable(m)
            && v.toks[m].cap
            && !v.info[m].non_person
            && !self.lex.is_role(&v.toks[m].key)
            && !self.lex.is_org_suffix(&v.toks[m].key)
            && !is_street_like(&v.toks[m].key)
            && !self.next_is_thing(v, m)
    }

    /// A capitalised word that can be (part of) a surname.
    fn surname_like(&self, v: &View, m: usize) -> bool {
        if m >= v.toks.len() {
            return false;
        }
        let t = &v.toks[m];
        let info = v.info[m];
        v.usable(m)
            && t.cap
            && (info.known() || !info.common)
            && !info.non_person
            && !self.lex.is_role(&t.key)
    }

    /// A run of surname particles starting at token `i`: "van der", "op den", "v/d", "v.d.",
    /// "vd", "d'" belongs to its word. The run must be followed (after one or two spaces) by
    /// another token.
    fn particle_run(&self, v: &View, i: usize) -> Option<Run> {
        let n = v.toks.len();
        if i >= n || !v.usable(i) {
            return None;
        }
        let t = &v.toks[i];
        // Shorthands: "v/d", "v.d.", "v. d.", "v/h", "v." before a capital.
        if t.key == "v" {
            let rest = &v.text[t.end..];
            let (len, tokens) = if rest.starts_with("/d ") || rest.starts_with("/h ") {
                (2, 2)
            } else if rest.starts_with(".d. ") {
                (3, 2)
            } else if rest.starts_with(". d. ") {
                (4, 2)
            } else if rest.starts_with(". ") {
                (1, 1)
            } else {
                (0, 0)
            };
            let end = i + tokens;
            if tokens > 0 && end < n && v.toks[end].start <= t.end + len + 3 && v.toks[end].cap {
                return Some(Run { end, strong: true });
            }
            return None;
        }
        let seq = PARTICLE_RUNS.iter().find(|seq| {
            i + seq.len() < n
                && seq.iter().enumerate().all(|(k, w)| v.toks[i + k].key == *w && v.usable(i + k))
                && (0..seq.len()).all(|k| v.gap_ok(i + k, i + k + 1) || v.gap_after(i + k) == ". ")
        })?;
        // "vd." may carry a dot; the others need a plain space.
        let last = i + seq.len() - 1;
        if v.gap_after(last) == ". " && seq != &["vd"] {
            return None;
        }
        // A capitalised particle inside a sentence ("met Van de Pol") is a surname's.
        let capital_inside = t.cap && !t.initial && i > 0;
        let strong = STRONG_RUNS.contains(seq) || capital_inside;
        Some(Run { end: i + seq.len(), strong })
    }

    /// The first token from `start` that is not an initial or particle.
    fn first_name_word(&self, v: &View, start: usize) -> Option<usize> {
        let mut k = start;
        while k < v.toks.len() {
            if let Some(last) = self.initial_chain(v, k) {
                k = last + 1;
                continue;
            }
            if let Some(run) = self.particle_run(v, k) {
                k = run.end;
                continue;
            }
            return Some(k);
        }
        None
    }

    /// Surname words after a name: "Sanne de Vries", "Fatima Zahra El Khatib",
    /// "Hoekstra-van Marle", "Thijs v.d. Kamp".
    fn extend_right(&self, v: &View, start: usize, mut end: usize) -> usize {
        let n = v.toks.len();
        let mut had_particle = (start..end).any(|k| self.lex.is_particle(&v.toks[k].key));
        while end + 1 < n {
            let k = end + 1;
            // "Hoekstra-van Marle", "Smit-van der Linden": the particle is glued on.
            if hyphen_particle(&v.toks[end].key) && v.gap_ok(end, k) {
                let m = self.particle_run(v, k).map_or(k, |r| r.end);
                if m < n && v.toks[m].cap && self.continues(v, m, true) {
                    end = m;
                    had_particle = true;
                    continue;
                }
                break;
            }
            if !v.usable(k) {
                break;
            }
            if let Some(run) =
                self.particle_run(v, k).filter(|_| v.gap_ok(end, k) || v.gap_after(end) == ". ")
            {
                // A second particle run after a complete surname is a preposition: "Wim-Jan
                // Hooijer van Altra", "Van Wijk van het Sociaal Wijkteam".
                let single = end == start || (start..end).all(|j| self.is_initial(v, j));
                let may_take = !had_particle && (single || v.info[end].first || self.is_initial(v, end));
                if may_take
                    && run.end < n
                    && self.continues(v, run.end, true)
                    && !self.next_is_thing(v, run.end)
                {
                    end = run.end;
                    had_particle = true;
                    continue;
                }
                return end;
            }
            if !v.gap_ok(end, k) {
                break;
            }
            if self.continues(v, k, false) {
                end = k;
                continue;
            }
            // "Pim Ruiter", "Sanne Bakker": inside a sentence, a capitalised ordinary word
            // right after a first name is its surname.
            let t = &v.toks[k];
            let after_first = end == start && (v.info[end].first || self.plain_capital(v, end));
            if after_first
                && t.cap
                && !t.initial
                && v.usable(k)
                && !self.lex.is_mostly_word(&t.key)
                && self.after_particle_surname(v, k)
            {
                end = k;
                continue;
            }
            break;
        }
        end
    }

    fn continues(&self, v: &View, k: usize, after_particle: bool) -> bool {
        let t = &v.toks[k];
        let info = v.info[k];
        // "W. Jacobs-van Houten", "Daan van Gool": after a particle a place is a surname.
        let place_surname =
            after_particle && t.cap && !t.all_caps && !v.blocked[k] && self.lex.is_place(&t.key);
        if place_surname {
            return true;
        }
        if !v.usable(k) {
            return false;
        }
        if info.non_person
            || self.lex.is_org_suffix(&t.key)
            || is_street_like(&t.key)
            || self.lex.is_role(&t.key)
        {
            return false;
        }
        // After a particle a capitalised word is a surname even if it is also a word
        // ("Willem van 't Hof", "Sanne de Boer").
        if t.cap {
            return after_particle || info.known() || !info.common;
        }
        // Lowercase after a particle in chat style: "lieke van gool".
        let chat_surname = after_particle && self.lower_name_context(v, k);
        (after_particle && info.sur) || chat_surname || (info.known() && !info.ambiguous(&t.key))
    }

    /// Particles and initials before a surname: "mevrouw van den Berg", "J. de Vries".
    fn extend_left(&self, v: &View, mut start: usize, word: usize) -> usize {
        if start < word {
            return start;
        }
        let info = v.info[word];
        if !info.sur {
            return start;
        }
        let mut particles = Vec::new();
        while start > 0 && v.gap_ok(start - 1, start) && v.usable(start - 1) {
            let p = &v.toks[start - 1];
            let ok = if p.cap { self.lex.is_particle(&p.key) } else { self.lex.is_left_particle(&p.key) };
            if !ok || particles.len() >= 3 {
                break;
            }
            particles.push(p.key.as_str());
            start -= 1;
        }
        // "het huis van Hassan": a lone "van" before a word that is also a first name is
        // more likely the preposition.
        if info.first && particles == ["van"] {
            start += 1;
        }
        // Initials before the particles.
        while start > 0 {
            let p = &v.toks[start - 1];
            let gap = &v.text[p.end..v.toks[start].start];
            let initial = self.is_initial(v, start - 1) && (gap == ". " || gap == ".");
            if !initial || !p.cap {
                break;
            }
            start -= 1;
        }
        start
    }
}

/// Endings of lowercase Dutch nouns that are never first names: "groepsleiding zei".
const NOUN_ENDINGS: &[&str] =
    &["ing", "heid", "schap", "team", "school", "zorg", "dienst", "leiding", "isme", "atie", "teit", "ling"];

/// The first word of a sentence.
fn opening_word(t: &Tok, i: usize) -> bool {
    t.initial || i == 0
}

/// "kookte", "vertaalde": a lowercase word shaped like a Dutch past tense.
fn past_tense_shape(key: &str, lex: &Lexicon) -> bool {
    key.chars().count() >= 5 && (key.ends_with("te") || key.ends_with("de")) && !lex.is_common(key)
}

/// "hoekstra-van", "jacobs-van", "smit-de": a double surname whose second part starts with a
/// particle written against the hyphen.
fn hyphen_particle(key: &str) -> bool {
    ["-van", "-de", "-den", "-der", "-ter", "-ten", "-te", "-in", "-op", "-uit"]
        .iter()
        .any(|p| key.ends_with(p))
        && key.len() > 5
}

/// Words of a phrase may be separated by spaces or by punctuation like "Ieder(in)".
fn phrase_gap(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 3 && !gap.contains('\n') && !gap.chars().any(char::is_alphanumeric)
}

pub(super) fn is_street_like(key: &str) -> bool {
    ["straat", "laan", "weg", "plein", "singel", "gracht", "kade", "dijk", "park"]
        .iter()
        .any(|s| key.len() > s.len() + 1 && key.ends_with(s))
}
