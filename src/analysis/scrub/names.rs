//! Finds person names, the hardest personal detail: no shape to match, so it combines name
//! lists with the context a name stands in (titles, role words, naming verbs, surname
//! particles, initials) and protects places, organisations and ordinary words.

use super::PiiKind;
use super::lexicon::{Lexicon, Tok, WordInfo};
use super::patterns::{Claims, is_street_head, simple_gap};

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

pub(super) struct NameFinder<'l> {
    lex: &'l Lexicon,
}

/// Per-token facts the rules need, computed once.
struct View<'a, 't> {
    text: &'a str,
    toks: &'t [Tok<'a>],
    info: Vec<WordInfo>,
    /// Inside an existing claim (e-mail, address, placeholder, ...).
    blocked: Vec<bool>,
    /// Part of a place, organisation or other non-person word or phrase.
    protected: Vec<bool>,
}

impl View<'_, '_> {
    fn usable(&self, i: usize) -> bool {
        !self.blocked[i] && !self.protected[i] && !self.toks[i].all_caps
    }
    fn gap_ok(&self, a: usize, b: usize) -> bool {
        simple_gap(self.text, &self.toks[a], &self.toks[b])
    }
}

impl<'l> NameFinder<'l> {
    pub fn new(lex: &'l Lexicon) -> Self {
        NameFinder { lex }
    }

    pub fn find(&self, text: &str, toks: &[Tok], claims: &mut Claims) {
        let view = self.view(text, toks, claims);
        let n = toks.len();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < n {
            if !view.usable(i) {
                i += 1;
                continue;
            }
            let Some(start) = self.seed(&view, i) else {
                i += 1;
                continue;
            };
            // The seed may be a particle ("mevrouw de Vries") or initials ("J. de Vries"):
            // extend from the first real name word after them.
            let first_word = self.first_name_word(&view, start).unwrap_or(i).max(i);
            let end = self.extend_right(&view, first_word);
            let start = self.extend_left(&view, start, first_word);
            // "Sophia Kinderziekenhuis", "Jan Steenstraat": an institution or a street.
            let next_is_thing = end + 1 < n
                && view.gap_ok(end, end + 1)
                && toks[end + 1].cap
                && (self.lex.is_org_suffix(&toks[end + 1].key) || is_street_like(&toks[end + 1].key));
            if !next_is_thing {
                found.push((start, end));
            }
            i = end + 1;
        }
        self.coordinated(&view, &mut found);
        for (start, end) in found {
            claims.claim(toks[start].start, toks[end].end, PiiKind::Name);
        }
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
                    // A comma-separated neighbour must have a capital: "Daan, ik ..." is not a list.
                    // In a comma list only listed names count: "uit Oost-Europa, Paweł"
                    // is not a list of people.
                    let comma = k + 1 == s || k == e + 1;
                    if comma && !(v.toks[k].cap && v.info[k].known()) {
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
                let end = self.extend_right(v, k);
                found.push((k, end));
            }
            found.sort_unstable();
        }
    }

    fn view<'a, 't>(&self, text: &'a str, toks: &'t [Tok<'a>], claims: &Claims) -> View<'a, 't> {
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
            // A non-person word is protected unless it is also a name (May, Frans, Saba):
            // then the rules below decide, with the non-person reading winning without a cue.
            if info[i].non_person && !info[i].known() {
                protected[i] = true;
            }
            i += 1;
        }
        View { text, toks, info, blocked, protected }
    }

    /// Decide whether a name starts at token `i`; returns the first token of the name
    /// (a particle or initial before it may belong to it).
    fn seed(&self, v: &View, i: usize) -> Option<usize> {
        let t = &v.toks[i];
        let info = v.info[i];
        // Most words are lowercase and unlisted: they can only start a name as a particle.
        if !t.cap && !info.known() && !self.lex.is_particle(&t.key) {
            return None;
        }
        // A title or role word is the cue itself, not the name ("my counsellor Mr Haddad").
        let is_cue_word = self.lex.is_title(&t.key) || self.lex.is_role(&t.key);
        if let Some(cue) = self.cue_before(v, i).filter(|_| !is_cue_word) {
            // After a role word "van" is the preposition: "de moeder van Bram".
            let particle_ok = cue == Cue::Title || t.key != "van";
            if particle_ok && self.lex.is_particle(&t.key) && self.particle_leads_to_name(v, i) {
                return Some(i);
            }
            let fits = match cue {
                Cue::Title | Cue::Strong => {
                    (info.known() && (t.cap || !info.ambiguous(&t.key)))
                        || (t.cap && !info.common && !info.non_person)
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
                return Some(i);
            }
        }
        if let Some(start) = self.initials_at(v, i) {
            return Some(start);
        }
        let next = v.toks.get(i + 1).filter(|_| v.gap_ok(i, i + 1));
        // "Laan van Nieuw Oost-Indië": a street without a number, not Mr Laan.
        if t.cap && is_street_head(&t.key) && next.is_some_and(|n| self.lex.is_particle(&n.key)) {
            return None;
        }
        // "een vriendin die Bouchra heet": the name comes before the verb.
        let verb_follows = next.is_some_and(|n| self.lex.is_name_verb(&n.key));
        let relative_before = i > 0 && matches!(v.toks[i - 1].key.as_str(), "die" | "dat" | "wie");
        if verb_follows && relative_before && t.cap && !info.common && !info.non_person {
            return Some(i);
        }
        if !info.known() || info.non_person {
            return None;
        }
        if !info.ambiguous(&t.key) {
            // Lowercase only for first names: people write "ik ging met daan", but a
            // lowercase word that is only listed as a surname is far more often a word.
            if t.cap || (info.first && t.key.chars().count() >= 3) {
                return Some(i);
            }
            return None;
        }
        // A capitalised word that is also an ordinary word, followed by another capitalised
        // word that is no name, is more likely a title or organisation ("Jong Leren").
        let next_cap_unknown =
            i + 1 < v.toks.len() && v.gap_ok(i, i + 1) && v.toks[i + 1].cap && !v.info[i + 1].known();
        if t.cap && !t.initial && !next_cap_unknown {
            return Some(i);
        }
        // Sentence-initial "Roos" is a name only when a surname follows ("Roos Bakker").
        if t.cap && t.initial && i + 1 < v.toks.len() && v.gap_ok(i, i + 1) && v.usable(i + 1) {
            let next = &v.toks[i + 1];
            let ni = v.info[i + 1];
            let surname_follows = next.cap && ni.sur && !ni.common;
            let particle_follows =
                self.lex.is_particle(&next.key) && !next.cap && self.particle_leads_to_name(v, i + 1);
            if surname_follows || particle_follows {
                return Some(i);
            }
        }
        None
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
        if self.lex.is_title(&prev.key) && after_title {
            return Some(Cue::Title);
        }
        if self.lex.is_role(&prev.key) && after_role {
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

    /// "J. de Vries", "A.B. Jansen", "M. Yılmaz": initials, particles, then a surname-like word.
    fn initials_at(&self, v: &View, i: usize) -> Option<usize> {
        let is_initial = |k: usize| -> bool {
            let t = &v.toks[k];
            t.cap && t.text.chars().count() == 1 && v.text[t.end..].starts_with('.') && !v.blocked[k]
        };
        if !is_initial(i) {
            return None;
        }
        let mut k = i;
        while k + 1 < v.toks.len() && is_initial(k + 1) && v.toks[k + 1].start <= v.toks[k].end + 2 {
            k += 1;
        }
        let after = k + 1;
        if after >= v.toks.len() {
            return None;
        }
        let gap = &v.text[v.toks[k].end..v.toks[after].start];
        if !(gap == ". " || gap == ".") {
            return None;
        }
        let mut m = after;
        while m < v.toks.len() && self.lex.is_particle(&v.toks[m].key) && m - after < 3 {
            if m + 1 >= v.toks.len() || !v.gap_ok(m, m + 1) {
                return None;
            }
            m += 1;
        }
        (m < v.toks.len() && self.surname_like(v, m)).then_some(i)
    }

    /// A capitalised word that can be (part of) a surname.
    fn surname_like(&self, v: &View, m: usize) -> bool {
        let t = &v.toks[m];
        let info = v.info[m];
        v.usable(m) && t.cap && (info.known() || !info.common) && !info.non_person
    }

    /// Particles from `i` on ("de", "van der") followed by a surname-like word.
    fn particle_leads_to_name(&self, v: &View, i: usize) -> bool {
        let mut m = i;
        while m < v.toks.len() && self.lex.is_particle(&v.toks[m].key) {
            if m - i >= 3 || m + 1 >= v.toks.len() || !v.gap_ok(m, m + 1) || !v.usable(m) {
                return false;
            }
            m += 1;
        }
        m < v.toks.len() && self.surname_like(v, m)
    }

    /// The first token from `start` that is not an initial or particle.
    fn first_name_word(&self, v: &View, start: usize) -> Option<usize> {
        (start..v.toks.len()).find(|&k| {
            let t = &v.toks[k];
            let initial = t.cap && t.text.chars().count() == 1 && v.text[t.end..].starts_with('.');
            !initial && !self.lex.is_particle(&t.key)
        })
    }

    /// Surname words after a name: "Sanne de Vries", "Fatima Zahra El Khatib".
    fn extend_right(&self, v: &View, mut end: usize) -> usize {
        let n = v.toks.len();
        while end + 1 < n && v.gap_ok(end, end + 1) && v.usable(end + 1) {
            let k = end + 1;
            if self.lex.is_particle(&v.toks[k].key) {
                let mut m = k;
                while m < n && self.lex.is_particle(&v.toks[m].key) && m - k < 3 {
                    if m + 1 >= n || !v.gap_ok(m, m + 1) || !v.usable(m) {
                        return end;
                    }
                    m += 1;
                }
                if m < n && self.continues(v, m, true) {
                    end = m;
                    continue;
                }
                return end;
            }
            if self.continues(v, k, false) {
                end = k;
                continue;
            }
            break;
        }
        end
    }

    fn continues(&self, v: &View, k: usize, after_particle: bool) -> bool {
        if !v.usable(k) {
            return false;
        }
        let t = &v.toks[k];
        let info = v.info[k];
        if info.non_person || self.lex.is_org_suffix(&t.key) || is_street_like(&t.key) {
            return false;
        }
        // After a particle a capitalised word is a surname even if it is also a word
        // ("Willem van 't Hof", "Sanne de Boer").
        if t.cap {
            return after_particle || info.known() || !info.common;
        }
        (after_particle && info.sur) || (info.known() && !info.ambiguous(&t.key))
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
            let initial = p.cap && p.text.chars().count() == 1 && (gap == ". " || gap == ".");
            if !initial || v.blocked[start - 1] {
                break;
            }
            start -= 1;
        }
        start
    }
}

/// Words of a phrase may be separated by spaces or by punctuation like "Ieder(in)".
fn phrase_gap(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 3 && !gap.contains('\n') && !gap.chars().any(char::is_alphanumeric)
}

fn is_street_like(key: &str) -> bool {
    ["straat", "laan", "weg", "plein", "singel", "gracht", "kade", "dijk", "park"]
        .iter()
        .any(|s| key.len() > s.len() + 1 && key.ends_with(s))
}
