//! Replaces personal details in story text with placeholders before anything is stored,
//! because the stories come from minors and their families and the raw text is never kept.
//!
//! Shaped details (e-mail, also written out, URL, social-media handle, IBAN, licence plate,
//! dates, postcodes, addresses, phone numbers, BSNs) are found first by pattern and checksum;
//! person names last, from name lists, the shape and context of a name, and a small tagger
//! for names no list knows (see `names.rs` and `tagger.rs`; figures in docs/privacy.md).
//! Text outside the replaced spans is left byte-for-byte as it was, placeholders already in
//! the text are left alone, and scrubbing twice gives the same text as scrubbing once.

use std::sync::LazyLock;

pub mod eval;
mod lexicon;
mod names;
mod patterns;
mod tagger;

use lexicon::Lexicon;
use patterns::{Claims, Patterns};

/// The kinds of personal detail the scrubber replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiKind {
    /// A person's first name, surname or both.
    Name,
    /// A personal phone number (help lines such as 0800-0432 and 113 are kept).
    Phone,
    /// An e-mail address.
    Email,
    /// A street name with house number.
    Address,
    /// A Dutch postcode such as 1234 AB.
    Postcode,
    /// A burgerservicenummer (9 digits passing the 11-proof).
    Bsn,
    /// A bank account number (IBAN, checked with mod 97).
    Iban,
    /// A date that can be a birth date.
    Date,
    /// A web address.
    Url,
    /// A social-media handle ("@mila_zegt_het", "snap: lisa.x", a Discord tag "naam#1234").
    Handle,
    /// A Dutch licence plate in any current sidecode ("45-KTR-7", "GZ-417-N").
    Plate,
}

impl PiiKind {
    /// The text that replaces a detail of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Name => "[naam]",
            PiiKind::Phone => "[telefoon]",
            PiiKind::Email => "[e-mail]",
            PiiKind::Address => "[adres]",
            PiiKind::Postcode => "[postcode]",
            PiiKind::Bsn => "[bsn]",
            PiiKind::Iban => "[iban]",
            PiiKind::Date => "[datum]",
            PiiKind::Url => "[url]",
            PiiKind::Handle => "[account]",
            PiiKind::Plate => "[kenteken]",
        }
    }

    /// Every kind, in a fixed order.
    pub fn all() -> &'static [PiiKind] {
        &[
            PiiKind::Name,
            PiiKind::Phone,
            PiiKind::Email,
            PiiKind::Address,
            PiiKind::Postcode,
            PiiKind::Bsn,
            PiiKind::Iban,
            PiiKind::Date,
            PiiKind::Url,
            PiiKind::Handle,
            PiiKind::Plate,
        ]
    }

    /// The kind whose placeholder is exactly `s`.
    fn from_placeholder(s: &str) -> Option<PiiKind> {
        PiiKind::all().iter().copied().find(|k| k.placeholder() == s)
    }
}

/// One replaced detail. `start` and `end` count characters (Unicode scalar values) of the
/// input, `end` exclusive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Span {
    /// First character of the detail in the input.
    pub start: usize,
    /// One past the last character of the detail in the input.
    pub end: usize,
    /// What kind of detail it is.
    pub kind: PiiKind,
    /// The text that was replaced.
    pub original: String,
}

/// The result of scrubbing: the text with placeholders, and what was replaced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scrubbed {
    /// The input with every detail replaced by its placeholder.
    pub text: String,
    /// The replaced details, sorted by position and non-overlapping.
    pub spans: Vec<Span>,
}

/// A piece of scrubbed text for display.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Text shown as written.
    Text(String),
    /// A placeholder of this kind.
    Replaced(PiiKind),
}

impl Scrubbed {
    /// The output text cut into pieces: plain text, or a placeholder with its kind — used to
    /// render the privacy preview with the replacements visibly marked.
    ///
    /// Every placeholder in the text is marked, including ones that were already in the
    /// input (a storyteller editing the scrubbed text keeps seeing them as replacements).
    /// Joining the pieces gives `text` back.
    pub fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut plain_from = 0;
        for m in PLACEHOLDER.find_iter(&self.text) {
            let Some(kind) = PiiKind::from_placeholder(m.as_str()) else {
                continue;
            };
            if m.start() > plain_from {
                out.push(Segment::Text(self.text[plain_from..m.start()].to_string()));
            }
            out.push(Segment::Replaced(kind));
            plain_from = m.end();
        }
        if plain_from < self.text.len() {
            out.push(Segment::Text(self.text[plain_from..].to_string()));
        }
        out
    }
}

static PLACEHOLDER: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\[(?:naam|telefoon|e-mail|adres|postcode|bsn|iban|datum|url|account|kenteken)\]")
        .expect("placeholder pattern")
});

/// The scrubber: compiled patterns and word lists, built once and shared between threads.
pub struct Scrubber {
    lexicon: Lexicon,
    patterns: Patterns,
    tagger: tagger::Tagger,
}

impl Default for Scrubber {
    fn default() -> Self {
        Self::new()
    }
}

impl Scrubber {
    /// Compile all patterns and load the word lists (some tens of milliseconds: build it once,
    /// or use [`scrubber`]).
    pub fn new() -> Self {
        Scrubber { lexicon: Lexicon::new(), patterns: Patterns::new(), tagger: tagger::Tagger::new() }
    }

    /// A scrubber whose name lists do not know `words`: for measuring unseen names.
    #[cfg(test)]
    pub(crate) fn forgetting_names<'w>(words: impl IntoIterator<Item = &'w str>) -> Self {
        let mut s = Scrubber::new();
        s.lexicon.forget_names(words);
        s
    }

    /// Replace the personal details in `input`.
    pub fn scrub(&self, input: &str) -> Scrubbed {
        let mut found = self.detect(input);
        // Replacing a detail changes what its neighbours look like ("0612345678Vries" only
        // reads as a phone number once "Vries" is "[naam]"). Looking again at the output
        // until nothing new turns up makes scrubbing idempotent: the result has nothing
        // left to find. Whatever the output shows outside placeholders is input text, so
        // new finds map straight back to input offsets.
        // Each pass adds at least one detail or stops; the cap only bounds hostile input.
        for _ in 0..16 {
            if found.is_empty() {
                break;
            }
            found.sort_unstable_by_key(|&(s, _, _)| s);
            let text = replace(input, &found);
            let again = self.detect(&text);
            if again.is_empty() {
                return build(input, found);
            }
            let back: Vec<_> = again
                .into_iter()
                .map(|(s, e, kind)| (to_input(&found, s), to_input(&found, e), kind))
                .collect();
            found.extend(back);
        }
        build(input, found)
    }

    /// One pass of all detectors: byte ranges of the details found in `text`.
    fn detect(&self, text: &str) -> Vec<(usize, usize, PiiKind)> {
        let (mut claims, toks) = self.shaped(text);
        names::NameFinder::new(&self.lexicon, &self.tagger).find(text, &toks, &mut claims);
        claims.spans
    }

    /// Every detector but the names: what they claimed, and the words of `text`.
    fn shaped<'a>(&self, text: &'a str) -> (Claims, Vec<lexicon::Tok<'a>>) {
        let mut claims = Claims::new(text.len());
        for m in PLACEHOLDER.find_iter(text) {
            claims.block(m.start(), m.end());
        }
        // Order matters: each detector only sees text no earlier one claimed, so an e-mail
        // is never read as a URL, a date never as a phone number, a house number never as
        // part of a BSN, and names are looked for in what is left.
        let p = &self.patterns;
        p.emails(text, &mut claims);
        p.written_emails(text, &mut claims);
        p.urls(text, &mut claims);
        p.handles(text, &mut claims);
        p.ibans(text, &mut claims);
        p.plates(text, &mut claims);
        p.dates(text, &mut claims);
        p.postcodes(text, &mut claims);
        let toks = self.lexicon.tokenize(text);
        p.addresses(text, &toks, &self.lexicon, &mut claims);
        p.numbers(text, &mut claims);
        (claims, toks)
    }

    #[cfg(test)]
    /// Training examples for the name tagger from one sentence: the features of every word
    /// it would judge, and whether that word lies inside one of the `names` (byte ranges).
    pub(crate) fn tagger_examples(&self, text: &str, names: &[(usize, usize)]) -> Vec<(Vec<String>, bool)> {
        let (claims, toks) = self.shaped(text);
        let finder = names::NameFinder::new(&self.lexicon, &self.tagger);
        let view = finder.view(text, &toks, &claims);
        let mut out = Vec::new();
        for (k, tok) in toks.iter().enumerate() {
            if !tagger::candidate(&self.lexicon, &view, k) {
                continue;
            }
            let inside = names.iter().any(|&(s, e)| tok.start < e && s < tok.end);
            out.push((tagger::features(&self.lexicon, &view, k), inside));
        }
        out
    }

    /// The same scrubber with another tagger (for cross-validating the tagger).
    #[cfg(test)]
    pub(crate) fn with_tagger(mut self, weights: &str) -> Self {
        self.tagger = tagger::Tagger::from_weights(weights);
        self
    }
}

/// The input with the (sorted, non-overlapping) byte ranges replaced by placeholders.
fn replace(input: &str, found: &[(usize, usize, PiiKind)]) -> String {
    let mut text = String::with_capacity(input.len());
    let mut pos = 0;
    for &(s, e, kind) in found {
        text.push_str(&input[pos..s]);
        text.push_str(kind.placeholder());
        pos = e;
    }
    text.push_str(&input[pos..]);
    text
}

/// Map a byte offset in the output of [`replace`] (outside any placeholder) to the input.
fn to_input(found: &[(usize, usize, PiiKind)], out_pos: usize) -> usize {
    let mut shift: isize = 0;
    for &(s, e, kind) in found {
        let out_start = s as isize + shift;
        if out_pos as isize <= out_start {
            break;
        }
        shift += kind.placeholder().len() as isize - (e - s) as isize;
    }
    (out_pos as isize - shift) as usize
}

/// Assemble the output text and character-offset spans from byte-offset claims.
fn build(input: &str, mut found: Vec<(usize, usize, PiiKind)>) -> Scrubbed {
    found.sort_unstable_by_key(|&(s, _, _)| s);
    let mut text = String::with_capacity(input.len());
    let mut spans = Vec::with_capacity(found.len());
    let (mut byte_pos, mut char_pos) = (0, 0);
    for (s, e, kind) in found {
        let between = &input[byte_pos..s];
        text.push_str(between);
        char_pos += between.chars().count();
        let original = &input[s..e];
        let len = original.chars().count();
        spans.push(Span { start: char_pos, end: char_pos + len, kind, original: original.to_string() });
        text.push_str(kind.placeholder());
        char_pos += len;
        byte_pos = e;
    }
    text.push_str(&input[byte_pos..]);
    Scrubbed { text, spans }
}

static SCRUBBER: LazyLock<Scrubber> = LazyLock::new(Scrubber::new);

/// Process-wide instance (std::sync::LazyLock), built once.
pub fn scrubber() -> &'static Scrubber {
    &SCRUBBER
}

/// Scrub `input` with the process-wide [`Scrubber`].
pub fn scrub(input: &str) -> Scrubbed {
    scrubber().scrub(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<(String, PiiKind)> {
        scrub(input).spans.into_iter().map(|s| (s.original, s.kind)).collect()
    }

    fn has(input: &str, original: &str, kind: PiiKind) {
        let found = kinds(input);
        assert!(
            found.iter().any(|(o, k)| o == original && *k == kind),
            "expected {original:?} as {kind:?} in {input:?}, got {found:?}"
        );
    }

    fn untouched(input: &str) {
        let out = scrub(input);
        assert_eq!(out.text, input, "expected no change, got spans {:?}", out.spans);
    }

    #[test]
    fn placeholders_and_kinds() {
        assert_eq!(PiiKind::all().len(), 11);
        assert_eq!(PiiKind::Email.placeholder(), "[e-mail]");
        let json = serde_json::to_string(&PiiKind::Postcode).expect("serialise");
        assert_eq!(json, "\"postcode\"");
        for k in PiiKind::all() {
            assert_eq!(PiiKind::from_placeholder(k.placeholder()), Some(*k));
        }
    }

    #[test]
    fn emails_and_urls() {
        has("mail me op jaylinn2008@hotmail.com.", "jaylinn2008@hotmail.com", PiiKind::Email);
        has("Mail: r.bouzid@ziggo.nl of bel", "r.bouzid@ziggo.nl", PiiKind::Email);
        has(
            "kijk op https://www.tiktok.com/@mila_zegt_het, daar",
            "https://www.tiktok.com/@mila_zegt_het",
            PiiKind::Url,
        );
        has("zie www.ouderraad-de-brug.nl.", "www.ouderraad-de-brug.nl", PiiKind::Url);
        has("Insta: instagram.com/lisa.sterk_08!", "instagram.com/lisa.sterk_08", PiiKind::Url);
    }

    #[test]
    fn phones_dutch_and_international() {
        for p in [
            "06-12345678",
            "06 1234 5678",
            "0612345678",
            "010-1234567",
            "020 123 4567",
            "+31 6 12345678",
            "0031 6 12345678",
            "(010) 123 45 67",
            "+31 (0)6 24681357",
            "+32 470 12 34 56",
            "+48 601 234 567",
            "+90 532 123 45 67",
            "+212 661 234567",
        ] {
            has(&format!("Bel me op {p}, graag na vijf uur."), p, PiiKind::Phone);
        }
    }

    #[test]
    fn helplines_stay() {
        untouched("Bel de Kindertelefoon op 0800-0432 of Veilig Thuis op 0800-2000.");
        untouched("Bij gevaar bel je 112, bij zelfmoordgedachten 113 of 0800-0113.");
        untouched("Geen spoed? Bel de politie op 0900-8844.");
        untouched("Bel 0900-1234567 voor informatie.");
    }

    #[test]
    fn bsn_needs_the_eleven_proof() {
        has("Mijn BSN is 725763863.", "725763863", PiiKind::Bsn);
        has("BSN 192.285.142 staat erop", "192.285.142", PiiKind::Bsn);
        has("BSN 162 275 869 staat erop", "162 275 869", PiiKind::Bsn);
        untouched("Mijn leerlingnummer is 298277534, geen BSN.");
        untouched("Het dossiernummer 123456789 stond op elke brief.");
    }

    #[test]
    fn ibans_are_checked() {
        has("Rekening NL91 ABNA 0417 1643 00 graag.", "NL91 ABNA 0417 1643 00", PiiKind::Iban);
        has("naar NL91ABNA0417164300.", "NL91ABNA0417164300", PiiKind::Iban);
        has("Belgisch: BE70 1313 7353 7990 en", "BE70 1313 7353 7990", PiiKind::Iban);
        let wrong = scrub("naar NL92ABNA0417164300 overmaken");
        assert!(wrong.spans.iter().all(|s| s.kind != PiiKind::Iban));
    }

    #[test]
    fn postcodes() {
        has("Ons adres is 3015 BH Rotterdam.", "3015 BH", PiiKind::Postcode);
        has("postcode 1103AB, Amsterdam", "1103AB", PiiKind::Postcode);
        untouched("Het nummer 1234 SS is geen postcode en 0123 AB ook niet.");
    }

    #[test]
    fn addresses() {
        has("Ik woon op de Kerkstraat 12 in Gouda.", "Kerkstraat 12", PiiKind::Address);
        has("aan de Laan van Meerdervoort 12a wonen", "Laan van Meerdervoort 12a", PiiKind::Address);
        has("adres was Nieuwe Binnenweg 130-B, 3015 BH", "Nieuwe Binnenweg 130-B", PiiKind::Address);
        has("in de 2e Jan Steenstraat 4 gewoond", "2e Jan Steenstraat 4", PiiKind::Address);
        has("ik woon op de kerkstraat 12 hoor", "kerkstraat 12", PiiKind::Address);
        untouched("Ik woon in de Jan Steenstraat, het nummer zeg ik niet.");
        untouched("We stonden op de snelweg 2 uur in de file.");
    }

    #[test]
    fn dates() {
        has("Ik ben geboren op 12-03-2009 in Utrecht.", "12-03-2009", PiiKind::Date);
        has("Datum 12/3/2009 stond erop.", "12/3/2009", PiiKind::Date);
        has("Het was 3 maart 2009.", "3 maart 2009", PiiKind::Date);
        has("Ik ben geboren op 12 maart.", "12 maart", PiiKind::Date);
        has("I was born on 4 May 2010.", "4 May 2010", PiiKind::Date);
        has("Her birthday is May 4th, 2013.", "May 4th, 2013", PiiKind::Date);
        untouched("In 2019 kwam ik om 15:00 aan, op vrijdag 14 februari.");
        untouched("De evaluatie is op 1 januari 2031.");
    }

    #[test]
    fn names() {
        has("Mijn mentor meneer Bakker belde.", "Bakker", PiiKind::Name);
        has("ik ging met daan naar de stad", "daan", PiiKind::Name);
        has("Mijn gezinsvoogd Agnieszka Kowalska kwam", "Agnieszka Kowalska", PiiKind::Name);
        has("Ik heet Mohammed El Amrani en ik", "Mohammed El Amrani", PiiKind::Name);
        has("De mail kwam van J. de Vries zelf.", "J. de Vries", PiiKind::Name);
        has("mevrouw van den Berg zei", "van den Berg", PiiKind::Name);
        has("Mijn stiefvader Mehmet Yılmaz zegt", "Mehmet Yılmaz", PiiKind::Name);
        has("oma Tjon-A-Fong paste op", "Tjon-A-Fong", PiiKind::Name);
        has("Toen belde Emre, mijn vriend.", "Emre", PiiKind::Name);
        has("My sister May came along.", "May", PiiKind::Name);
        has("I think Will was right.", "Will", PiiKind::Name);
        has("Ms Kaya believed me.", "Ms Kaya", PiiKind::Name);
    }

    #[test]
    fn handles_plates_and_written_emails() {
        has("volg me op @zwanhilde_x, echt", "@zwanhilde_x", PiiKind::Handle);
        has("insta: zwan.hilde09 als je wil", "zwan.hilde09", PiiKind::Handle);
        has("praatte via Discord met ene berend#4412.", "berend#4412", PiiKind::Handle);
        has(
            "mail me op zwanhilde punt de boer at gmail punt com",
            "zwanhilde punt de boer at gmail punt com",
            PiiKind::Email,
        );
        has(
            "mail naar nynke_h (at) hotmail (dot) com graag",
            "nynke_h (at) hotmail (dot) com",
            PiiKind::Email,
        );
        has(
            "mail: annelot . pos @ outlook . com (met spaties)",
            "annelot . pos @ outlook . com",
            PiiKind::Email,
        );
        for plate in
            ["12-AB-34", "1-ABC-23", "AB-123-C", "123-AB-4", "XX-99-XX", "ZK 581 D", "jr-906-t", "45-KTR-7"]
        {
            has(&format!("De auto met kenteken {plate} stond er weer."), plate, PiiKind::Plate);
        }
        untouched("We reden 100 km in 2 uur en ik zat in groep 8.");
    }

    #[test]
    fn names_from_shape_and_context() {
        has("Ik had een gesprek met mevrouw Visser en toen", "Visser", PiiKind::Name);
        has("daarna met dhr. Bakker over school", "dhr. Bakker", PiiKind::Name);
        has("Het rapport is van Prof. Dr. A.B. de Vries.", "Prof. Dr. A.B. de Vries", PiiKind::Name);
        has("en van mw. Prof. Dr. Zwanenburg-Kloek.", "mw. Prof. Dr. Zwanenburg-Kloek", PiiKind::Name);
        has("Gisteren belde v/d Berg weer.", "v/d Berg", PiiKind::Name);
        has("ik zit bij Thijs v.d. Kamp in de klas", "Thijs v.d. Kamp", PiiKind::Name);
        has("en toen Sven d'Ancona, die", "Sven d'Ancona", PiiKind::Name);
        has("Mevrouw Visser-de Jong kwam ook.", "Visser-de Jong", PiiKind::Name);
        has("samen met J. Th. Bakker en", "J. Th. Bakker", PiiKind::Name);
        has("Jan-Willem is mijn broer.", "Jan-Willem", PiiKind::Name);
        has("Jansen zei dat het niet kon.", "Jansen", PiiKind::Name);
        has("Op de groep zaten Tjitse, Remke, Olof en ik.", "Remke", PiiKind::Name);
        has("Mijn vriendin Nguyen Thi Lan komt uit Vietnam.", "Nguyen Thi Lan", PiiKind::Name);
        has("ik heet zwanhilde en ik woon in tilburg", "zwanhilde", PiiKind::Name);
        has("Jeugdige K.D. geeft aan dat", "K.D.", PiiKind::Name);
        has("Jeugdige T. (15) verblijft daar.", "T.", PiiKind::Name);
        has("Bohdan Kovalenko (16) zegt dat hij", "Bohdan Kovalenko", PiiKind::Name);
        // A name found once is replaced everywhere in the text.
        let out = scrub("Ze heette Annemiek Bosman-Terpstra, maar ik mocht Annemiek zeggen.");
        assert!(!out.text.contains("Annemiek"), "{}", out.text);
    }

    #[test]
    fn places_and_organisations_stay() {
        untouched("Ik belde Veilig Thuis en Jeugdbescherming Gelderland in Tilburg.");
        untouched("Stichting Jan Pieter Heije regelde een pleeggezin in Gelderland.");
        untouched("Op het Koning Willem I College in Den Bosch snappen ze het.");
        untouched("De wijkagent in Presikhaaf weet meer dan mijn voogd.");
        untouched("Mijn vriendin komt uit Vietnam en woont nu in Ede-Zuid.");
        has("Wim-Jan Hooijer van Altra hielp me.", "Wim-Jan Hooijer", PiiKind::Name);
    }

    #[test]
    fn non_names_stay() {
        untouched("Ik werk bij de Albert Heijn in Den Haag en bel soms Veilig Thuis.");
        untouched("Hoop is alles wat ik heb. Ben je er ooit geweest? Mark my words.");
        untouched("Op Kerst, met Pasen en tijdens de Ramadan was ik bij de GGD in Rotterdam.");
        untouched("Het Sophia Kinderziekenhuis en de Raad voor de Kinderbescherming.");
        untouched("In May we went to Utrecht, and I thank God for Instagram and TikTok.");
        untouched("De hoop dat de roos bloeit, zei de juf.");
        // Compounds of ordinary words are in no word list, and a title may be one word.
        untouched("Oudersverhaal 33");
        untouched("Jongerenverhaal 09: de wachtlijst");
    }

    #[test]
    fn offsets_count_characters() {
        let input = "Café Ömer belde 06-12345678";
        let out = scrub(input);
        let chars: Vec<char> = input.chars().collect();
        for span in &out.spans {
            let cut: String = chars[span.start..span.end].iter().collect();
            assert_eq!(cut, span.original);
        }
        let phone = out.spans.iter().find(|s| s.kind == PiiKind::Phone).expect("phone");
        assert_eq!((phone.start, phone.end), (16, 27));
        let name = out.spans.iter().find(|s| s.kind == PiiKind::Name).expect("name");
        assert_eq!((name.start, name.end), (5, 9));
        assert_eq!(out.text, "Café [naam] belde [telefoon]");
    }

    #[test]
    fn text_outside_spans_is_unchanged() {
        let input = "Lieve mensen,\n\nmijn zus Fatima (16!) woont op de Kerkstraat 12a —\t«echt» waar.\r\n";
        let out = scrub(input);
        let mut rebuilt = String::new();
        let chars: Vec<char> = input.chars().collect();
        let mut pos = 0;
        for s in &out.spans {
            rebuilt.extend(&chars[pos..s.start]);
            rebuilt.push_str(s.kind.placeholder());
            pos = s.end;
        }
        rebuilt.extend(&chars[pos..]);
        assert_eq!(rebuilt, out.text);
        assert_eq!(out.spans.len(), 2);
        assert!(out.text.contains("\n\nmijn zus [naam] (16!) woont op de [adres] —\t«echt» waar.\r\n"));
    }

    #[test]
    fn idempotent() {
        let input = "Ik heet Sanne de Vries, geboren 3 maart 2009, woon op Dorpsstraat 4, 1234 AB \
                     Ede. Bel 06-12345678 of mail sanne@example.nl. BSN 725763863, rekening \
                     NL55 ABNA 9528 9078 66. Al een [naam] in de tekst blijft staan.";
        let once = scrub(input);
        let twice = scrub(&once.text);
        assert_eq!(once.text, twice.text);
        assert!(twice.spans.is_empty(), "second pass found {:?}", twice.spans);
        assert!(once.text.contains("Al een [naam] in de tekst"));
    }

    #[test]
    fn a_replaced_handle_does_not_cue_the_next_one() {
        // Found by the scrubber fuzz target: "[account]" read as a platform word on the
        // second pass brought "tik4" within reach of a cue.
        let input = include_str!("../../../fuzz/regressions/scrubber/idempotence-tiktok-handles");
        let once = scrub(input);
        assert_eq!(scrub(&once.text).text, once.text);
        let out = scrub("mijn tiktok is lil.floor09 en daarna lil.floor10 en daarna lil.floor11");
        assert!(
            out.text.starts_with("mijn tiktok is [account] en daarna [account] en daarna "),
            "{}",
            out.text
        );
        assert_eq!(scrub(&out.text).text, out.text);
    }

    #[test]
    fn segments_mark_placeholders() {
        let out = scrub("Mijn broer Jerrel belde 06-12345678.");
        let segs = out.segments();
        assert_eq!(
            segs,
            vec![
                Segment::Text("Mijn broer ".into()),
                Segment::Replaced(PiiKind::Name),
                Segment::Text(" belde ".into()),
                Segment::Replaced(PiiKind::Phone),
                Segment::Text(".".into()),
            ]
        );
        let joined: String = segs
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.as_str(),
                Segment::Replaced(k) => k.placeholder(),
            })
            .collect();
        assert_eq!(joined, out.text);
    }

    #[test]
    fn shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Scrubber>();
        let handles: Vec<_> =
            (0..4).map(|_| std::thread::spawn(|| scrub("Bel Daan op 06-12345678").spans.len())).collect();
        for h in handles {
            assert_eq!(h.join().expect("thread"), 2);
        }
    }

    #[test]
    fn fast_enough() {
        let story = "Mijn mentor meneer Bakker belde 06-12345678 naar mijn moeder. Ik woon op de \
                     Kerkstraat 12 in Gouda en ben geboren op 12 maart 2009. Bij Veilig Thuis \
                     (0800-2000) kreeg ik Sanne de Vries aan de lijn. Eén grote chaos. ";
        let text = story.repeat(2000 / story.len() + 1);
        let s = scrubber();
        s.scrub(&text);
        // The best of several batches, so that a busy machine does not fail the test.
        let per_call = (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                for _ in 0..20 {
                    std::hint::black_box(s.scrub(std::hint::black_box(&text)));
                }
                t.elapsed() / 20
            })
            .min()
            .expect("batches");
        println!("scrub of {} chars: {per_call:?} per call", text.chars().count());
        // Generous bound so unoptimised builds pass; release is far below a millisecond.
        let limit_ms = if cfg!(debug_assertions) { 50 } else { 1 };
        assert!(per_call < std::time::Duration::from_millis(limit_ms));
    }

    /// Random text from fragments that stress offsets and patterns: multi-byte letters,
    /// characters whose case folds to ASCII (Kelvin sign, long s), digits, placeholders.
    #[test]
    fn random_text_keeps_invariants() {
        const PIECES: &[&str] = &[
            "Daan",
            "de",
            "Vries",
            "06",
            "-",
            "12345678",
            " ",
            " ",
            "\n",
            ".",
            ",",
            "Ömer",
            "é",
            "\u{212A}",
            "\u{17F}",
            "NL",
            "91",
            "ABNA",
            "0417",
            "1643",
            "00",
            "Kerkstraat",
            "12a",
            "3011",
            "AB",
            "maart",
            "2009",
            "12",
            "[naam]",
            "[",
            "]",
            "@",
            "x.nl",
            "www.",
            "'t",
            "’s",
            "van",
            "😀",
            "113",
            "0800",
            "Jan",
            "Steenstraat",
            "heet",
            "geboren",
            "Mr",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2000 {
            let len = (next() % 30) as usize;
            let input: String = (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
            let out = scrub(&input);
            let chars: Vec<char> = input.chars().collect();
            let mut pos = 0;
            let mut rebuilt = String::new();
            for s in &out.spans {
                assert!(pos <= s.start && s.start < s.end && s.end <= chars.len(), "{input:?}");
                assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.original);
                rebuilt.extend(&chars[pos..s.start]);
                rebuilt.push_str(s.kind.placeholder());
                pos = s.end;
            }
            rebuilt.extend(&chars[pos..]);
            assert_eq!(rebuilt, out.text, "{input:?}");
            assert_eq!(scrub(&out.text).text, out.text, "not idempotent: {input:?}");
        }
    }
}

#[cfg(test)]
mod proptests {
    //! Properties over generated stories: sentences built from Dutch words, names (known and
    //! never seen), phone numbers, e-mail addresses, postcodes, plates, handles and noise.
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "ik",
                "heet",
                "mijn",
                "moeder",
                "mevrouw",
                "dhr.",
                "van",
                "der",
                "de",
                "Jong",
                "Visser",
                "Bakker",
                "bel",
                "mail",
                "op",
                "woon",
                "in",
                "Tilburg",
                "Veilig",
                "Thuis",
                "school",
                "hielp",
                "me",
                "met",
                "huiswerk",
                "toen",
                "het",
                "thuis",
                "niet",
                "ging",
                ".",
                ",",
                "!",
                "\n",
                "Jan-Willem",
                "Fatima",
                "zwanhilde",
                "@mila_zegt",
                "Kerkstraat",
                "12",
                "[naam]",
            ])
            .prop_map(str::to_string),
            "[A-Z][a-z]{2,9}",
            "06-[0-9]{8}",
            "[a-z]{3,8}@[a-z]{3,6}\\.(nl|com)",
            "[1-9][0-9]{3} ?[A-Z]{2}",
            "[0-9]{2}-[A-Z]{3}-[0-9]",
            "\\PC{0,6}",
        ]
    }

    fn story() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..24).prop_map(|p| p.join(" "))
    }

    /// Found by the property below (another seed, 2026-12-03): a name after "heet" is
    /// replaced, but its second occurrence survived. Not the case folding (Ⱥ → ⱥ grows from 2
    /// to 3 bytes, but "once a name, everywhere" matches exact spellings on the original text
    /// and "heet É: É" failed alike): names shorter than three letters were not carried over.
    #[test]
    fn a_name_whose_lower_case_is_longer_is_replaced_everywhere() {
        let out = scrub("heet Ⱥ: Ⱥ");
        assert!(!out.text.contains('Ⱥ'), "{}", out.text);
        assert_eq!(out.text, "heet [naam]: [naam]");
    }

    /// Letters whose lower case has another length in UTF-8 (İ → "i̇" and Ⱥ → ⱥ grow, ẞ → ß,
    /// the Kelvin sign → k and the Ångström sign → å shrink) and short names: the second
    /// occurrence goes too, and the text around it stays byte for byte.
    #[test]
    fn a_name_is_replaced_everywhere_whatever_its_lower_case_or_length() {
        for name in ["İlayda", "Ⱥnouk", "ẞerin", "\u{212A}aan", "\u{212B}sa", "Ⱥ", "Ⱥb", "Bo", "Éo"] {
            let input = format!("Ik heet {name}, en {name} is veertien.");
            let out = scrub(&input);
            assert_eq!(out.text, "Ik heet [naam], en [naam] is veertien.", "{input}");
            let n = name.chars().count();
            let spans: Vec<_> = out.spans.iter().map(|s| (s.start, s.end, s.original.as_str())).collect();
            assert_eq!(spans, [(8, 8 + n, name), (13 + n, 13 + 2 * n, name)], "{input}");
        }
    }

    /// An initial is not a name of its own: "J." of "J. de Vries" does not take every "J" along.
    #[test]
    fn an_initial_is_not_replaced_everywhere() {
        let out = scrub("Het rapport van J. de Vries kwam in blok J van de school.");
        assert_eq!(out.text, "Het rapport van [naam] kwam in blok J van de school.");
    }

    proptest! {
        // A fixed seed: the suite must give the same answer on every run (a found case is
        // added as its own test, not left to chance).
        #![proptest_config(ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_203),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// A name found once ("ik heet …") is gone everywhere, also when its first letter
        /// changes length in UTF-8 when lower-cased, and when it is only two letters long.
        #[test]
        fn a_name_found_once_is_gone_everywhere(
            first in prop::sample::select(vec!['Ⱥ', 'Ⱦ', 'İ', 'ẞ', '\u{212A}', '\u{212B}', '\u{2126}', 'É']),
            rest in "[a-z]{1,6}",
            before in prop::sample::select(vec!["Toen kwam", "Gisteren belde", "Ook", "Daarna zag ik"]),
            after in prop::sample::select(vec!["niks.", "dat het kon.", "weer.", "van school."]),
        ) {
            let name = format!("{first}{rest}");
            let input = format!("Ik heet {name}, echt waar. {before} {name} {after}");
            let out = scrub(&input);
            // "İn" folds to the word "in": what is no name to begin with is not the point here.
            prop_assume!(out.spans.iter().any(|s| s.original == name));
            prop_assert!(!out.text.contains(name.as_str()), "{:?} survives in {:?}", name, out.text);
            prop_assert_eq!(out.spans.iter().filter(|s| s.original == name).count(), 2);
        }

        /// The stored text has nothing left to find: scrubbing it again changes nothing.
        #[test]
        fn scrubbing_twice_changes_nothing(input in story()) {
            let once = scrub(&input);
            let twice = scrub(&once.text);
            prop_assert_eq!(&twice.text, &once.text);
            prop_assert!(twice.spans.is_empty(), "found again: {:?}", twice.spans);
        }

        /// Every detected detail is gone from the stored text: it reads nowhere in it, and its
        /// place holds the kind's placeholder.
        #[test]
        fn a_detected_span_never_survives_in_the_stored_text(input in story()) {
            let out = scrub(&input);
            let chars: Vec<char> = input.chars().collect();
            let mut rebuilt = String::new();
            let mut at = 0;
            for span in &out.spans {
                prop_assert!(span.start >= at && span.end > span.start && span.end <= chars.len());
                prop_assert_eq!(chars[span.start..span.end].iter().collect::<String>(), span.original.clone());
                rebuilt.extend(&chars[at..span.start]);
                rebuilt.push_str(span.kind.placeholder());
                at = span.end;
            }
            rebuilt.extend(&chars[at..]);
            prop_assert_eq!(&rebuilt, &out.text);
            for span in &out.spans {
                prop_assert!(
                    !out.text.contains(span.original.as_str()),
                    "{:?} ({:?}) survives in {:?}", span.original, span.kind, out.text
                );
            }
        }
    }
}
