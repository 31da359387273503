//! Detectors for personal details that have a shape (e-mail, URL, IBAN, dates, postcodes,
//! street addresses, phone numbers and BSNs), kept apart from the name rules because they
//! are decided by form and checksums rather than by word lists.

use regex::Regex;

use super::PiiKind;
use super::lexicon::{Lexicon, Tok};

/// Which bytes of the input are already claimed, and by what.
pub(super) struct Claims {
    taken: Vec<bool>,
    pub spans: Vec<(usize, usize, PiiKind)>,
}

impl Claims {
    pub fn new(len: usize) -> Self {
        Claims { taken: vec![false; len], spans: Vec::new() }
    }
    pub fn free(&self, start: usize, end: usize) -> bool {
        !self.taken[start..end].iter().any(|&t| t)
    }
    /// Mark bytes as off-limits without replacing them (existing placeholders).
    pub fn block(&mut self, start: usize, end: usize) {
        self.taken[start..end].iter_mut().for_each(|t| *t = true);
    }
    pub fn claim(&mut self, start: usize, end: usize, kind: PiiKind) -> bool {
        if start >= end || !self.free(start, end) {
            return false;
        }
        self.block(start, end);
        self.spans.push((start, end, kind));
        true
    }
}

const MONTHS_NL: &str = "januari|jan|februari|feb|maart|mrt|april|apr|mei|juni|jun|juli|jul|augustus|aug|september|sept|sep|oktober|okt|november|nov|december|dec";
const MONTHS_EN: &str =
    "january|february|march|mar|april|may|june|july|august|september|october|oct|november|december";

/// Street name endings: "Kerkstraat", "Vinkenlaan", "Oudegracht", "Stratumseind".
const STREET_SUFFIXES: &[&str] = &[
    "straat",
    "straatje",
    "laan",
    "laantje",
    "weg",
    "plein",
    "pleintje",
    "singel",
    "gracht",
    "kade",
    "dijk",
    "hof",
    "hofje",
    "park",
    "dreef",
    "pad",
    "steeg",
    "steegje",
    "markt",
    "plantsoen",
    "baan",
    "boulevard",
    "haven",
    "wal",
    "vest",
    "erf",
    "ring",
    "allee",
    "poort",
    "brink",
    "vliet",
    "kanaal",
    "passage",
    "promenade",
    "dam",
    "veld",
    "wei",
    "weide",
    "eind",
    "oord",
    "hoeve",
    "kamp",
    "akker",
    "gaarde",
    "lei",
    "dwarsweg",
    "zijde",
    "burcht",
    "hoek",
];

/// Words ending like a street that are not one ("op de snelweg 2 uur vast").
const NOT_STREETS: &[&str] = &[
    "snelweg",
    "omweg",
    "uitweg",
    "zijweg",
    "thuisweg",
    "terugweg",
    "heenweg",
    "onderweg",
    "schoolplein",
    "speelplein",
    "arbeidsmarkt",
    "woningmarkt",
    "huizenmarkt",
    "jaarmarkt",
    "vrijmarkt",
    "rommelmarkt",
    "kerstmarkt",
    "pretpark",
    "attractiepark",
    "vakantiepark",
    "dierenpark",
    "speelpark",
    "fietspad",
    "voetpad",
    "wandelpad",
    "zebrapad",
    "levenspad",
    "tuinpad",
    "gerechtshof",
    "weekeind",
    "uiteind",
    "voetbalveld",
    "sportveld",
    "speelveld",
    "grasveld",
    "slagveld",
    "werkveld",
    "zomerkamp",
    "vakantiekamp",
    "vluchtelingenkamp",
    "trainingskamp",
    "jachthaven",
    "thuishaven",
    "boksring",
    "vakantieoord",
    "youtubekanaal",
    "tv-kanaal",
    "kanaal",
    "hoek",
    "straathoek",
    "weg",
    "hof",
    "park",
    "pad",
    "kamp",
    "veld",
    "eind",
    "oord",
    "ring",
    "erf",
    "wei",
    "lei",
    "zijde",
    "haven",
    "poort",
    "wal",
    "vest",
    "achterkant",
    "binnenring",
    "buitenring",
];

/// Street names that are a bare suffix word: "Markt 12", "Brink 3", "Dam 1".
const BARE_STREETS: &[&str] = &["markt", "brink", "dam", "plein", "vest", "wal", "haven"];

/// Words that can open a street name of the form "Laan van Meerdervoort".
const STREET_HEADS: &[&str] = &[
    "laan",
    "weg",
    "plein",
    "kade",
    "dijk",
    "singel",
    "gracht",
    "straat",
    "markt",
    "park",
    "pad",
    "boulevard",
    "dreef",
    "hof",
    "plantsoen",
    "steeg",
    "burgwal",
    "wal",
    "haven",
    "baan",
];

/// Ordinary words that still belong to a street name in front of it ("Nieuwe Binnenweg").
const STREET_PREFIXES: &[&str] = &[
    "nieuwe",
    "oude",
    "lange",
    "korte",
    "hoge",
    "lage",
    "grote",
    "kleine",
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "burgemeester",
    "dokter",
    "prins",
    "prinses",
    "koning",
    "koningin",
    "graaf",
    "gravin",
    "hertog",
    "sint",
    "heilige",
    "pater",
    "pastoor",
    "kardinaal",
    "generaal",
    "kapitein",
    "professor",
    "meester",
    "admiraal",
    "noorder",
    "zuider",
    "ooster",
    "wester",
    "binnen",
    "buiten",
    "achter",
    "voor",
    "boven",
    "beneden",
    "onze",
    "lieve",
    "vrouwe",
    "jonker",
    "mr",
    "dr",
    "van",
    "de",
    "der",
    "den",
];

/// Abbreviated titles that open a street name when followed by a dot: "dr. Schaepmanstraat 9",
/// "Mgr. Nolensplein 5", "Burg. Roelenweg 7".
const STREET_ABBREVIATIONS: &[&str] =
    &["dr", "mr", "mgr", "st", "prof", "burg", "ds", "pr", "ir", "gen", "kard", "past", "kon", "pres"];

/// Particles inside a street name.
const STREET_PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "op", "aan", "het", "'t", "t", "ter", "te", "naar", "bij", "in", "tot",
    "voor", "la", "le", "des",
];

/// Two-letter words and units that follow a number in ordinary text ("1500 km", "2010 en").
const LOWER_PAIRS_NOT_POSTCODE: &[&str] = &[
    "en", "of", "op", "in", "te", "is", "al", "ik", "je", "ze", "we", "nu", "ja", "na", "om", "af", "er",
    "uw", "km", "kg", "cm", "mm", "ml", "cl", "dl", "uu", "pm", "am", "at", "on", "to", "by", "or", "an",
    "as", "so", "no", "if", "it", "be", "do", "go", "he", "me", "my", "up", "us", "hé", "eu", "ok", "zo",
    "nl", "de", "da", "la", "le", "et", "el", "jr", "sr", "st", "mb", "gb", "kb", "tb", "ct", "pk", "kw",
    "dm", "xl", "xs", "pp", "bv", "nv", "vs", "tv", "pc", "cd", "ov", "cv", "hr", "mr", "dr", "ms", "yo",
    "wk", "mn", "ff", "ah", "eh", "oh", "uh", "ha", "hi", "ya", "ye", "wo", "za", "vd", "ie", "ge",
];

/// Lengths of IBANs per country, so that a match never runs into the next word.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("NL", 18),
    ("BE", 16),
    ("DE", 22),
    ("FR", 27),
    ("ES", 24),
    ("PL", 28),
    ("TR", 26),
    ("GB", 22),
    ("IT", 27),
    ("PT", 25),
    ("LU", 20),
    ("AT", 20),
    ("CH", 21),
    ("DK", 18),
    ("SE", 24),
    ("NO", 15),
    ("FI", 18),
    ("IE", 22),
    ("GR", 27),
    ("RO", 24),
    ("BG", 22),
    ("HU", 28),
    ("CZ", 24),
    ("SK", 24),
    ("LT", 20),
    ("LV", 21),
    ("EE", 20),
    ("HR", 21),
    ("SI", 19),
    ("MA", 28),
    ("TN", 24),
    ("UA", 29),
];

/// Whether `gap` holds the end of a sentence: `!`, `?`, a line break, or a dot that is not
/// followed by more of the same word.
fn ends_sentence(gap: &str) -> bool {
    gap.char_indices().any(|(i, c)| match c {
        '!' | '?' | '\n' => true,
        '.' => gap[i + 1..].chars().next().is_none_or(char::is_whitespace),
        _ => false,
    })
}

/// Compiled patterns for the shaped details.
pub(super) struct Patterns {
    email: Regex,
    email_written: Regex,
    handle_at: Regex,
    handle_tag: Regex,
    handle_cue: Regex,
    handle_plain: Regex,
    plate: Regex,
    url: Regex,
    domain: Regex,
    iban: Regex,
    date_numeric: Regex,
    date_iso: Regex,
    date_short: Regex,
    date_day_month: Regex,
    date_month_day: Regex,
    date_month_year: Regex,
    birth: Regex,
    postcode: Regex,
    house_number: Regex,
    unit_after: Regex,
    address_cue: Regex,
    postcode_city_before: Regex,
    ordinal_before: Regex,
    digit_group: Regex,
    digit_sep: Regex,
    this_year: i32,
}

impl Patterns {
    pub fn new() -> Self {
        let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("bad pattern {p}: {e}"));
        Patterns {
            email: re(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}"),
            email_written: re(&written_email_pattern()),
            // Not after a letter, digit, dot or slash: "x@y.nl" is an e-mail, "tiktok.com/@x" a URL.
            handle_at: re(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"),
            handle_tag: re(r"(?-u:\b)[A-Za-z0-9_.]{2,32}#\d{4}(?-u:\b)"),
            handle_cue: re(
                r"(?i)(?-u:\b)(?:insta(?:gram)?|snap(?:chat)?|tik ?tok|twitter|discord|telegram|threads|bereal|twitch|youtube|kik|fb|facebook|account|acc|username|user|gebruikersnaam|handle|profiel|profile|x)(?-u:\b)",
            ),
            handle_plain: re(
                r"(?-u:\b)[a-z0-9_]+(?:[._][a-z0-9_]+)+(?-u:\b)|(?-u:\b)[a-z_]+[0-9]+[a-z0-9_]*(?-u:\b)",
            ),
            plate: re(&plate_pattern()),
            url: re(r#"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>"'\[\]]+"#),
            domain: re(
                r#"(?i)(?-u:\b)[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:nl|com|org|net|be|eu|info|io|me|tv|app|ly|de|uk|co|fr|pl|tr|ma|sr|cw|aw|edu|gov|nu|online|blog|site|shop|social|link|gg)(?-u:\b)(?:/[^\s<>"'\[\]]*)?"#,
            ),
            // ASCII classes only: a case-insensitive [a-z] would also match the Kelvin sign.
            iban: re(r"(?-u:\b)[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,32}(?-u:\b)"),
            date_numeric: re(r"(?-u:\b)(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?-u:\b)"),
            date_iso: re(r"(?-u:\b)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?-u:\b)"),
            date_short: re(r"(?-u:\b)(\d{1,2})[-/](\d{1,2})(?-u:\b)"),
            date_day_month: re(&format!(
                r"(?i)(?-u:\b)(\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\s+(?:of\s+)?({MONTHS_NL}|{MONTHS_EN})(?-u:\b)(?:\.?,?\s+(\d{{4}})(?-u:\b))?"
            )),
            date_month_day: re(&format!(
                r"(?i)(?-u:\b)({MONTHS_EN}|{MONTHS_NL})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(\d{{4}})(?-u:\b))?"
            )),
            date_month_year: re(&format!(r"(?i)(?-u:\b)({MONTHS_NL}|{MONTHS_EN})\s+(\d{{4}})(?-u:\b)")),
            birth: re(
                r"(?i)(?-u:\b)(?:geboren|geb\.|geboortedatum|geboortedag|verjaardag|verjaard|jarig|born|birthday|birth|dob|(?:word|wordt|werd|turn|turns|turned)\s+(?:ik|hij|ze|zij|je|jij|i|he|she)?\s*\d{1,2}(?-u:\b))",
            ),
            postcode: re(r"(?-u:\b)([1-9]\d{3})(?:\s?([A-Z]{2})|(\s?[a-z]{2}))(?-u:\b)"),
            house_number: re(
                r"(?-u:\b)\d{1,4}(?:[a-zA-Z]{1,2}|\s?-\s?(?:[A-Za-z]{1,3}|\d{1,3})|\s(?:[A-Z]|I{1,3}|IV|hs|bis|bg))?(?-u:\b)",
            ),
            unit_after: re(
                r"(?i)^\s*(?:%|x(?-u:\b)|[.:,]\d|(?:jaar|jaren|keer|uur|min|minuten|minuut|seconden|dagen|dag|weken|week|maanden|maand|kinderen|kids|euro|procent|km|kilometer|meter|m|kg|stuks|mensen|jongeren|personen|gezinnen|ouders|years?|times|hours?|minutes?|days?|weeks?|months?|people|children|euros?|pounds?)(?-u:\b))",
            ),
            address_cue: re(
                r"(?i)(?:(?-u:\b)(?:woon|woont|woonde|woonden|wonen|wonend|zit|zat|zitten)(?-u:\b)(?:\s+[\p{L}']+){0,4}?\s+(?:op|aan)(?:\s+(?:de|het|'t))?|(?-u:\b)(?:op|aan)\s+(?:de|het|'t)|(?-u:\b)adres\s*(?:is|was|:)?|(?-u:\b)address\s*(?:is|was|:)?|(?-u:\b)(?:live[sd]?|living)\s+(?:at|on)|(?-u:\b)verhuisd[e]?\s+naar|(?-u:\b)ingeschreven\s+(?:op|aan))\s*$",
            ),
            postcode_city_before: re(r"[1-9]\d{3}\s?[A-Z]{2}\s+\p{Lu}[\p{L}'\- ]{0,30},\s*$"),
            ordinal_before: re(r"(?-u:\b)\d{1,2}(?:e|ste|de)\s+$"),
            digit_group: re(r"\(?\+?\d+\)?\d*"),
            digit_sep: re(r"^(?:[ \t]?[-./][ \t]?|[ \t])$"),
            this_year: current_year(),
        }
    }

    pub fn emails(&self, text: &str, claims: &mut Claims) {
        for m in self.email.find_iter(text) {
            let s = m.as_str();
            let end = m.start() + s.trim_end_matches(['.', '-']).len();
            claims.claim(m.start(), end, PiiKind::Email);
        }
    }

    /// E-mail addresses written out to fool spam bots: "marit punt kuipers at gmail punt com",
    /// "nynke_h (at) hotmail (dot) com", "annelot . pos @ outlook . com".
    pub fn written_emails(&self, text: &str, claims: &mut Claims) {
        for m in self.email_written.find_iter(text) {
            claims.claim(m.start(), m.end(), PiiKind::Email);
        }
    }

    /// Social-media handles: "@name" anywhere, Discord tags ("name#1234"), a word with an
    /// underscore ("kevin_4real"), and a dotted or digit-bearing username shortly after a
    /// platform word ("snap: siebe.gamez", "mijn tiktok is lil.floor09").
    pub fn handles(&self, text: &str, claims: &mut Claims) {
        for m in self.handle_at.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || "._/@".contains(c)) {
                continue;
            }
            let handle = m.as_str().trim_end_matches('.');
            if handle.len() > 1 {
                claims.claim(m.start(), m.start() + handle.len(), PiiKind::Handle);
            }
        }
        for m in self.handle_tag.find_iter(text) {
            claims.claim(m.start(), m.end(), PiiKind::Handle);
        }
        // A cue inside a placeholder ("[account]" holds the word "account") is the scrubber's
        // own output, not the teller's: counting it would let each replaced handle cue the next
        // one on a second pass, and scrubbing would not be idempotent.
        let cues: Vec<usize> = self
            .handle_cue
            .find_iter(text)
            .filter(|m| !(text[..m.start()].ends_with('[') && text[m.end()..].starts_with(']')))
            .map(|m| m.end())
            .collect();
        for m in self.handle_plain.find_iter(text) {
            let h = m.as_str();
            if h.len() < 4 || h.len() > 30 || text[..m.start()].ends_with(['@', '.', '/', '-']) {
                continue;
            }
            if text[m.end()..].starts_with(['@', '/']) || h.split(['.', '_']).any(str::is_empty) {
                continue;
            }
            // An underscore never occurs in an ordinary word; a dot or a digit inside a word
            // only counts shortly after a platform word in the same sentence.
            let underscore = h.contains('_');
            // A dot inside a word ("lil.floor09") does not end the sentence: counting it would
            // let a replacement that removes the dot change the verdict on the next pass.
            let after_cue = cues
                .iter()
                .any(|&c| c <= m.start() && m.start() - c <= 40 && !ends_sentence(&text[c..m.start()]));
            let shaped = h.contains('.') && h.split('.').all(|p| p.len() >= 2);
            let digits = h.chars().any(|c| c.is_ascii_digit()) && h.chars().any(|c| c.is_ascii_alphabetic());
            if underscore || (after_cue && (shaped || digits)) {
                claims.claim(m.start(), m.end(), PiiKind::Handle);
            }
        }
    }

    /// Dutch licence plates in every sidecode since 1951, with dashes or spaces.
    pub fn plates(&self, text: &str, claims: &mut Claims) {
        let mut from = 0;
        while let Some(m) = self.plate.find_at(text, from) {
            // A rejected candidate may hide a real plate that starts inside it.
            from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            let s = m.as_str();
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let joined = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '/');
            if joined(before) || joined(after) {
                continue;
            }
            let letters: Vec<char> = s.chars().filter(char::is_ascii_alphabetic).collect();
            let upper = letters.iter().all(char::is_ascii_uppercase);
            let lower = letters.iter().all(char::is_ascii_lowercase);
            // Spaces only with capitals ("ZK 581 D"), so "100 km 5" stays; one case throughout.
            if !(upper || (lower && !s.contains(' '))) {
                continue;
            }
            if claims.claim(m.start(), m.end(), PiiKind::Plate) {
                from = m.end();
            }
        }
    }

    pub fn urls(&self, text: &str, claims: &mut Claims) {
        for re in [&self.url, &self.domain] {
            for m in re.find_iter(text) {
                if text[..m.start()].ends_with(['@', '.', '/']) {
                    continue;
                }
                let s = m.as_str();
                let mut trimmed = s.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"']);
                if trimmed.ends_with(')') && !trimmed.contains('(') {
                    trimmed = trimmed.trim_end_matches(')');
                }
                claims.claim(m.start(), m.start() + trimmed.len(), PiiKind::Url);
            }
        }
    }

    pub fn ibans(&self, text: &str, claims: &mut Claims) {
        for m in self.iban.find_iter(text) {
            let s = m.as_str();
            let country = s[..2].to_ascii_uppercase();
            let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
                continue;
            };
            // Walk the match and stop after exactly `len` letters and digits.
            let mut compact = String::with_capacity(len);
            let mut end = None;
            for (i, c) in s.char_indices() {
                if c == ' ' {
                    continue;
                }
                compact.push(c.to_ascii_uppercase());
                if compact.len() == len {
                    end = Some(i + c.len_utf8());
                    break;
                }
            }
            let Some(end) = end else { continue };
            let next = s[end..].chars().next();
            if next.is_some_and(|c| c.is_alphanumeric()) || !iban_valid(&compact) {
                continue;
            }
            claims.claim(m.start(), m.start() + end, PiiKind::Iban);
        }
    }

    pub fn dates(&self, text: &str, claims: &mut Claims) {
        let plausible = |y: &str| -> bool {
            match y.len() {
                2 => true,
                4 => y.parse::<i32>().is_ok_and(|y| (1940..=self.this_year).contains(&y)),
                _ => false,
            }
        };
        for c in self.date_numeric.captures_iter(text) {
            let m = c.get(0).expect("match");
            if c[2] != c[4] || !valid_day_month(&c[1], &c[3]) {
                continue;
            }
            // Part of a longer number chain (a phone number written with dashes).
            if text[m.end()..].starts_with(|ch: char| "-/.".contains(ch))
                && text[m.end() + 1..].starts_with(|ch: char| ch.is_ascii_digit())
            {
                continue;
            }
            if plausible(&c[5]) || self.birth_context(text, m.start(), m.end()) {
                claims.claim(m.start(), m.end(), PiiKind::Date);
            }
        }
        for c in self.date_iso.captures_iter(text) {
            let m = c.get(0).expect("match");
            if valid_day_month(&c[3], &c[2]) && plausible(&c[1]) {
                claims.claim(m.start(), m.end(), PiiKind::Date);
            }
        }
        let textual = |c: &regex::Captures, day: usize, year: usize| -> Option<(usize, usize)> {
            let m = c.get(0)?;
            let day_ok = c[day].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
            if !day_ok {
                return None;
            }
            match c.get(year) {
                Some(y) if plausible(y.as_str()) => Some((m.start(), m.end())),
                Some(y) if self.birth_context(text, m.start(), m.end()) => Some((m.start(), y.end())),
                // A year that cannot be a birth year is not part of what we replace, but the
                // day and month still are in a birth context.
                _ if self.birth_context(text, m.start(), m.end()) => Some((m.start(), m.end())),
                _ => None,
            }
        };
        for c in self.date_day_month.captures_iter(text) {
            if let Some((s, e)) = textual(&c, 1, 3) {
                claims.claim(s, e, PiiKind::Date);
            }
        }
        for c in self.date_month_day.captures_iter(text) {
            if let Some((s, e)) = textual(&c, 2, 3) {
                claims.claim(s, e, PiiKind::Date);
            }
        }
        // "geboren in augustus 2010": month and year only count in a birth context.
        for m in self.date_month_year.find_iter(text) {
            if self.birth_context(text, m.start(), m.end()) {
                claims.claim(m.start(), m.end(), PiiKind::Date);
            }
        }
        for c in self.date_short.captures_iter(text) {
            let m = c.get(0).expect("match");
            let before_ok = !text[..m.start()].ends_with(|ch: char| "-/.".contains(ch));
            let after_ok = !text[m.end()..].starts_with(|ch: char| "-/.".contains(ch));
            if before_ok
                && after_ok
                && valid_day_month(&c[1], &c[2])
                && self.birth_context(text, m.start(), m.end())
            {
                claims.claim(m.start(), m.end(), PiiKind::Date);
            }
        }
    }

    /// A birth word shortly before or after the date, within the same sentence.
    fn birth_context(&self, text: &str, start: usize, end: usize) -> bool {
        let mut from = start.saturating_sub(60);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (end + 40).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let before = &text[from..start];
        let before = match before.rfind(['.', '!', '?', '\n']) {
            // "geb." ends in a dot but opens the date rather than closing a sentence.
            Some(i) if !before[..=i].to_lowercase().ends_with("geb.") => &before[i + 1..],
            _ => before,
        };
        let after = &text[end..to];
        let after = match after.find(['.', '!', '?', '\n']) {
            Some(i) => &after[..i],
            None => after,
        };
        self.birth.is_match(before) || self.birth.is_match(after)
    }

    pub fn postcodes(&self, text: &str, claims: &mut Claims) {
        for c in self.postcode.captures_iter(text) {
            let m = c.get(0).expect("match");
            let letters = c.get(2).or(c.get(3)).expect("letters").as_str();
            if ["SA", "SD", "SS", "sa", "sd", "ss"].contains(&letters.trim_start()) {
                continue;
            }
            // "7811 jb" in chat style, but not "2010 en 2011" or "1500 km": a lowercase pair
            // after a space must not be a word and the number must not look like a year.
            if let Some(lower) = letters.strip_prefix(char::is_whitespace) {
                let year = c[1].starts_with("19") || c[1].starts_with("20");
                if year || LOWER_PAIRS_NOT_POSTCODE.contains(&lower) {
                    continue;
                }
            }
            claims.claim(m.start(), m.end(), PiiKind::Postcode);
        }
    }

    /// Street name + house number. The street is recognised by its ending ("-straat"), by a
    /// leading street word ("Laan van ..."), or by a cue ("ik woon op", next to a postcode).
    pub fn addresses(&self, text: &str, toks: &[Tok], lex: &Lexicon, claims: &mut Claims) {
        for m in self.house_number.find_iter(text) {
            let (ns, ne) = (m.start(), m.end());
            if !claims.free(ns, ne) || self.unit_after.is_match(&text[ne..]) {
                continue;
            }
            if text[..ns].ends_with(|c: char| c.is_alphanumeric() || "-/.,+(".contains(c)) {
                continue;
            }
            // The word right before the number, separated by one or two spaces only.
            let Some(k) = toks.iter().rposition(|t| t.end <= ns) else {
                continue;
            };
            let gap = &text[toks[k].end..ns];
            if gap.is_empty() || gap.len() > 2 || !gap.chars().all(|c| c == ' ' || c == '\t') {
                continue;
            }
            if !claims.free(toks[k].start, toks[k].end) {
                continue;
            }
            let start_tok = if self.is_street_word(&toks[k], lex) {
                Some(self.extend_street_left(text, toks, k, lex, claims))
            } else if let Some(h) = self.street_head(text, toks, k, lex, claims) {
                Some(self.extend_street_left(text, toks, h, lex, claims))
            } else if self.address_context(text, toks, k, ne, lex, claims) {
                let t = &toks[k];
                let usable = t.cap && !lex.is_common(&t.key) && !lex.is_non_person(&t.key);
                usable.then(|| self.extend_street_left(text, toks, k, lex, claims))
            } else {
                None
            };
            if let Some(s) = start_tok {
                let mut start = toks[s].start;
                if let Some(o) = self.ordinal_before.find(&text[..start]) {
                    start = o.start();
                }
                claims.claim(start, ne, PiiKind::Address);
            }
        }
    }

    fn is_street_word(&self, t: &Tok, lex: &Lexicon) -> bool {
        let key = t.key.as_str();
        if NOT_STREETS.contains(&key) && !(t.cap && BARE_STREETS.contains(&key)) {
            return false;
        }
        if lex.is_non_person(key) {
            return false;
        }
        if t.cap && BARE_STREETS.contains(&key) {
            return true;
        }
        STREET_SUFFIXES.iter().any(|s| key.len() > s.len() + 1 && key.ends_with(s))
    }

    /// "Laan van Meerdervoort 12a": a capitalised street word, particles, then names.
    fn street_head(
        &self,
        text: &str,
        toks: &[Tok],
        k: usize,
        lex: &Lexicon,
        claims: &Claims,
    ) -> Option<usize> {
        if !toks[k].cap {
            return None;
        }
        let lowest = k.saturating_sub(5);
        let mut j = k;
        while j > lowest {
            if !simple_gap(text, &toks[j - 1], &toks[j]) || !claims.free(toks[j - 1].start, toks[k].end) {
                return None;
            }
            j -= 1;
            let t = &toks[j];
            if t.cap && STREET_HEADS.contains(&t.key.as_str()) {
                // At least one particle must follow the head, or "Laan Meerdervoort" would
                // also take "Weg" in "Weg Rotterdam 12".
                let next = &toks[j + 1];
                return STREET_PARTICLES.contains(&next.key.as_str()).then_some(j);
            }
            let is_particle = STREET_PARTICLES.contains(&t.key.as_str()) && !t.cap;
            if !(t.cap || is_particle) || (t.cap && lex.is_common(&t.key) && t.initial) {
                return None;
            }
        }
        None
    }

    fn extend_street_left(
        &self,
        text: &str,
        toks: &[Tok],
        mut s: usize,
        lex: &Lexicon,
        claims: &Claims,
    ) -> usize {
        let fits = |t: &Tok| -> bool {
            if !t.cap || !claims.free(t.start, t.end) || t.all_caps {
                return false;
            }
            let key = t.key.as_str();
            if STREET_PREFIXES.contains(&key) {
                // A capitalised "De" that opens the sentence is the article, not the street.
                return !(t.initial && lex.is_particle(key));
            }
            let info = lex.info(key);
            (info.known() || !info.common) && !info.non_person
        };
        let lower_particle = |t: &Tok| !t.cap && STREET_PARTICLES.contains(&t.key.as_str());
        for _ in 0..4 {
            if s == 0 {
                break;
            }
            // "dr. Schaepmanstraat", "Mgr. Nolensplein": an abbreviated title opens the name.
            let gap = &text[toks[s - 1].end..toks[s].start];
            let abbreviation = STREET_ABBREVIATIONS.contains(&toks[s - 1].key.as_str())
                && (gap == ". " || gap == ".")
                && claims.free(toks[s - 1].start, toks[s - 1].end);
            if abbreviation {
                s -= 1;
                continue;
            }
            if !simple_gap(text, &toks[s - 1], &toks[s]) {
                break;
            }
            let prev = &toks[s - 1];
            if fits(prev) {
                s -= 1;
                continue;
            }
            // "Oude Kijk in 't Jatstraat": one or two lowercase particles inside the name.
            if lower_particle(prev) && s >= 2 && simple_gap(text, &toks[s - 2], prev) {
                if fits(&toks[s - 2]) {
                    s -= 2;
                    continue;
                }
                let two = s >= 3
                    && lower_particle(&toks[s - 2])
                    && simple_gap(text, &toks[s - 3], &toks[s - 2])
                    && fits(&toks[s - 3]);
                if two {
                    s -= 3;
                    continue;
                }
                // An ordinary word after a street prefix: "Oude Kijk in 't Jatstraat".
                let prefixed = s >= 4
                    && lower_particle(&toks[s - 2])
                    && toks[s - 3].cap
                    && simple_gap(text, &toks[s - 3], &toks[s - 2])
                    && simple_gap(text, &toks[s - 4], &toks[s - 3])
                    && STREET_PREFIXES.contains(&toks[s - 4].key.as_str())
                    && fits(&toks[s - 4]);
                if prefixed {
                    s -= 4;
                    continue;
                }
            }
            break;
        }
        s
    }

    /// A cue that the words before the number are a street: "ik woon op", "adres:", or a
    /// postcode right after the number or before the street ("5611 AZ Eindhoven, ...").
    fn address_context(
        &self,
        text: &str,
        toks: &[Tok],
        k: usize,
        number_end: usize,
        lex: &Lexicon,
        claims: &Claims,
    ) -> bool {
        let after = text[number_end..].trim_start_matches([',', ' ']);
        let after_pos = text.len() - after.len();
        let postcode_after =
            claims.spans.iter().any(|&(s, _, kind)| kind == PiiKind::Postcode && s == after_pos);
        if postcode_after {
            return true;
        }
        // Find where the street would start: capitalised words before the number.
        let mut s = k;
        while s > 0
            && k - s < 3
            && simple_gap(text, &toks[s - 1], &toks[s])
            && toks[s - 1].cap
            && !lex.is_common(&toks[s - 1].key)
        {
            s -= 1;
        }
        let before = &text[..toks[s].start];
        let tail_start = before.char_indices().rev().nth(60).map_or(0, |(i, _)| i);
        let tail = &before[tail_start..];
        self.address_cue.is_match(tail) || self.postcode_city_before.is_match(tail)
    }

    /// Phone numbers and BSNs: runs of digit groups, split into the longest pieces that
    /// form a valid number. Help lines (0800, 0900, 112, 113) never match.
    pub fn numbers(&self, text: &str, claims: &mut Claims) {
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
        for m in self.digit_group.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let before_ok = !text[..s].ends_with(|c: char| c.is_alphanumeric());
            let after_ok = !text[e..].starts_with(|c: char| c.is_alphanumeric());
            if !before_ok || !after_ok || !claims.free(s, e) {
                if !groups.is_empty() {
                    runs.push(std::mem::take(&mut groups));
                }
                continue;
            }
            let separated = groups.last().is_some_and(|&(_, pe)| !self.digit_sep.is_match(&text[pe..s]));
            if separated {
                runs.push(std::mem::take(&mut groups));
            }
            groups.push((s, e));
        }
        if !groups.is_empty() {
            runs.push(groups);
        }
        for run in runs {
            let mut i = 0;
            while i < run.len() {
                let mut matched = None;
                for j in (i..run.len()).rev() {
                    if let Some(kind) = classify_number(text, &run[i..=j]) {
                        matched = Some((j, kind));
                        break;
                    }
                }
                match matched {
                    Some((j, kind)) => {
                        claims.claim(run[i].0, run[j].1, kind);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }
    }
}

/// A word that can open a street name ("Laan" in "Laan van Meerdervoort").
pub(super) fn is_street_head(key: &str) -> bool {
    STREET_HEADS.contains(&key)
}

/// Two tokens separated by one or two spaces and nothing else.
pub(super) fn simple_gap(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    !gap.is_empty() && gap.len() <= 2 && gap.chars().all(|c| c == ' ' || c == '\t')
}

/// The sidecodes of Dutch licence plates: L = letter, D = digit, groups joined by "-" or " ".
const SIDECODES: &[&str] = &[
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
];

fn plate_pattern() -> String {
    let codes: Vec<String> = SIDECODES
        .iter()
        .map(|code| {
            let groups: Vec<String> = code
                .split('-')
                .map(|g| {
                    let n = g.len();
                    if g.starts_with('L') { format!("[A-Za-z]{{{n}}}") } else { format!("[0-9]{{{n}}}") }
                })
                .collect();
            groups.join("[- ]")
        })
        .collect();
    format!("(?-u:\\b)(?:{})(?-u:\\b)", codes.join("|"))
}

/// "at" and "dot" spelled out or bracketed, with the local part and domain around them.
fn written_email_pattern() -> String {
    let at = r"(?:\s*(?:@|\(at\)|\{at\}|<at>|\[at\]|\(apenstaartje\))\s*|\s+(?:at|apenstaartje|apestaartje|apenstaart)\s+)";
    let dot = r"(?:\s*(?:\.|\(dot\)|\{dot\}|<dot>|\[dot\]|\(punt\)|\{punt\}|<punt>|\[punt\])\s*|\s+(?:dot|punt)\s+)";
    let word = r"[\p{L}\p{N}_%+\-]+";
    let tld = "(?:com|nl|be|net|org|eu|de|info|io|me|co|uk|fr|pl|tr|ma|sr|edu|online|live)";
    // "jaimy punt de boer at ...": a surname particle may follow a dot word with a space.
    let particles = r"(?:(?:van|de|der|den|ter|ten|te|het|el|al)\s+)*";
    format!(
        r"(?i)(?-u:\b){word}(?:{dot}{particles}{word}){{0,3}}{at}{word}(?:{dot}{word}){{0,2}}{dot}{tld}(?-u:\b)"
    )
}

fn classify_number(text: &str, groups: &[(usize, usize)]) -> Option<PiiKind> {
    let first = &text[groups[0].0..groups[0].1];
    let plus = first.trim_start_matches('(').starts_with('+');
    let mut digits = String::new();
    for &(s, e) in groups {
        let g = &text[s..e];
        // "+31 (0)6 ...": the trunk zero in brackets is not dialled.
        let g = g.strip_prefix("(0)").unwrap_or(g);
        digits.extend(g.chars().filter(char::is_ascii_digit));
    }
    let n = digits.len();
    if plus {
        return (9..=15).contains(&n).then_some(PiiKind::Phone);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return (9..=13).contains(&rest.len()).then_some(PiiKind::Phone);
    }
    if digits.starts_with('0') && n == 10 {
        let service = ["0800", "0900", "0906", "0909"].iter().any(|p| digits.starts_with(p));
        return (!service).then_some(PiiKind::Phone);
    }
    if n == 9 && elfproef(&digits) {
        return Some(PiiKind::Bsn);
    }
    None
}

/// The Dutch 11-proof for BSNs: weights 9..2 and -1 must sum to a multiple of 11.
pub(super) fn elfproef(digits: &str) -> bool {
    let d: Vec<i64> = digits.bytes().map(|b| i64::from(b - b'0')).collect();
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = d[..8].iter().enumerate().map(|(i, &x)| x * (9 - i as i64)).sum::<i64>() - d[8];
    sum % 11 == 0
}

/// ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97.
pub(super) fn iban_valid(compact: &str) -> bool {
    if compact.len() < 15 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut rem: u32 = 0;
    for c in rearranged {
        let v = c.to_digit(36).expect("alphanumeric");
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

fn valid_day_month(day: &str, month: &str) -> bool {
    let d = day.parse::<u32>().unwrap_or(0);
    let m = month.parse::<u32>().unwrap_or(0);
    (1..=31).contains(&d) && (1..=12).contains(&m)
}

/// The current calendar year from the system clock (days since 1970 to a civil date).
fn current_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(2026)
}
