//! Word lists and tokens shared by the scrubber's detectors, so that every rule looks words up
//! the same way (lowercased, diacritics folded) and the lists are parsed only once.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

const FIRST_NAMES: &str = include_str!("first_names.txt");
const SURNAMES: &str = include_str!("surnames.txt");
const COMMON_WORDS: &str = include_str!("common_words.txt");
const NON_PERSON: &str = include_str!("non_person.txt");

/// Particles that belong to a surname when they stand between a first name (or a title) and
/// a capitalised word: "van den Berg", "El Amrani", "Ben Ali", "van 't Hof".
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "ter", "ten", "te", "'t", "t", "het", "in", "op", "el", "al", "ben", "bin",
    "ibn", "abu", "ait", "ould", "da", "di", "do", "dos", "das", "du", "la", "le", "von", "zu", "mc", "mac",
    "o'", "uit", "vd", "del", "della", "los", "las", "dem",
];

/// Particles that may be pulled in *before* a surname that stands on its own. Lowercase
/// "ben" and "al" are left out: "ik ben Ali" and "al Daan" are verbs and adverbs, not names.
const LEFT_PARTICLES: &[&str] = &["van", "de", "der", "den", "ter", "ten", "te", "'t", "t"];

/// Words directly before a name that make it a name whatever the word is: forms of address.
const TITLES: &[&str] = &[
    "meneer",
    "mevrouw",
    "mevr",
    "mw",
    "mvr",
    "mej",
    "dhr",
    "heer",
    "juf",
    "juffrouw",
    "meester",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mister",
    "dr",
    "dokter",
    "prof",
    "zuster",
    "broeder",
    "oom",
    "ome",
    "tante",
    "opa",
    "oma",
    "imam",
    "dominee",
    "pastoor",
    "uncle",
    "aunt",
    "auntie",
    "grandma",
    "grandpa",
    "sir",
    "madam",
    "coach",
    "drs",
    "ir",
    "ing",
    "ds",
    "jhr",
    "mx",
    "zr",
    "br",
    "mevrouwtje",
];

/// Abbreviated forms of address and academic titles. Unlike "meneer" or "juf", these belong to
/// the name they stand before ("dhr. Bakker", "mw. Prof. Dr. A.B. de Vries") and are replaced
/// with it; they stack. The second field says whether the word also counts without a dot.
const ABBREVIATED_TITLES: &[(&str, bool)] = &[
    ("dhr", true),
    ("mw", true),
    ("mevr", true),
    ("mvr", true),
    ("mej", true),
    ("dr", true),
    ("drs", true),
    ("prof", true),
    ("mr", true),
    ("mrs", true),
    ("ms", true),
    ("mx", true),
    ("jhr", true),
    ("ir", false),
    ("ing", false),
    ("ds", false),
    ("zr", false),
    ("br", false),
];

/// Endings of compound role nouns: "pleegzorgbegeleider", "gedragswetenschapper",
/// "kinderarts", "zorgcoördinator" all introduce a name like "mentor" does.
const ROLE_SUFFIXES: &[&str] = &[
    "begeleider",
    "begeleidster",
    "voogd",
    "coach",
    "werker",
    "werkster",
    "consulent",
    "consulente",
    "behandelaar",
    "beschermer",
    "therapeut",
    "pedagoog",
    "psycholoog",
    "psychiater",
    "kundige",
    "wetenschapper",
    "rechter",
    "manager",
    "coordinator",
    "coördinator",
    "medewerker",
    "medewerkster",
    "leider",
    "leidster",
    "verpleger",
    "verpleegster",
    "agent",
    "docent",
    "docente",
    "moeder",
    "vader",
    "broer",
    "broertje",
    "zus",
    "zusje",
    "ouder",
    "regisseur",
    "adviseur",
    "onderzoeker",
    "vriend",
    "vriendin",
    "genoot",
    "assistent",
    "assistente",
];

/// Finite verbs that mostly take a person as subject. A listed name at the start of a
/// sentence followed by one of these is a person ("Dekker zei", "Prins was de enige"), and so
/// is an unlisted capitalised word followed by a verb of speaking ([`SPEECH_VERBS`]).
const PERSON_VERBS: &[&str] = &[
    "zei",
    "zegt",
    "vertelde",
    "vertelt",
    "vroeg",
    "vraagt",
    "belde",
    "belt",
    "appte",
    "appt",
    "mailde",
    "schreef",
    "schrijft",
    "kwam",
    "komt",
    "ging",
    "gaat",
    "heeft",
    "had",
    "is",
    "was",
    "wil",
    "wilde",
    "wou",
    "kan",
    "kon",
    "moet",
    "moest",
    "mag",
    "mocht",
    "zou",
    "zal",
    "deed",
    "doet",
    "gaf",
    "geeft",
    "stuurde",
    "stuurt",
    "huilde",
    "huilt",
    "lachte",
    "lacht",
    "riep",
    "roept",
    "schreeuwde",
    "keek",
    "kijkt",
    "hielp",
    "helpt",
    "bleef",
    "blijft",
    "werd",
    "wordt",
    "weet",
    "wist",
    "vond",
    "vindt",
    "denkt",
    "dacht",
    "zag",
    "ziet",
    "woont",
    "woonde",
    "werkt",
    "werkte",
    "pakte",
    "haalde",
    "bracht",
    "brengt",
    "nam",
    "neemt",
    "liet",
    "laat",
    "snapt",
    "snapte",
    "begreep",
    "begrijpt",
    "speelt",
    "speelde",
    "zit",
    "zat",
    "ligt",
    "lag",
    "staat",
    "stond",
    "loopt",
    "liep",
    "rende",
    "gebruikte",
    "gebruikt",
    "praat",
    "praatte",
    "luistert",
    "luisterde",
    "geloofde",
    "gelooft",
    "heette",
    "heet",
    "en",
    "told",
    "said",
    "says",
    "asked",
    "asks",
    "called",
    "calls",
    "texted",
    "has",
    "came",
    "comes",
    "went",
    "goes",
    "kept",
    "wrote",
    "writes",
    "gave",
    "gives",
    "helped",
    "helps",
    "knew",
    "knows",
    "thinks",
    "thought",
    "lives",
    "lived",
    "works",
    "worked",
    "made",
    "makes",
    "took",
    "takes",
    "saw",
    "sees",
    "got",
    "gets",
    "did",
    "does",
    "would",
    "will",
    "could",
    "can",
    "never",
    "always",
    "cried",
    "laughed",
    "ran",
    "stayed",
    "tried",
    "wanted",
    "wants",
    "left",
    "moved",
    "looked",
    "showed",
    "picked",
    "brought",
    "believed",
    "listened",
    "sent",
    "sends",
    "says",
];

/// Verbs of speaking and messaging: only a person (or an organisation, which the lists know)
/// is their subject, so even an unlisted word before them is taken as a name.
const SPEECH_VERBS: &[&str] = &[
    "zei",
    "zegt",
    "vertelde",
    "vertelt",
    "vroeg",
    "vraagt",
    "belde",
    "appte",
    "appt",
    "mailde",
    "huilde",
    "lachte",
    "riep",
    "schreeuwde",
    "fluisterde",
    "vertaalde",
    "snauwde",
    "zuchtte",
    "told",
    "said",
    "says",
    "asked",
    "texted",
    "cried",
    "laughed",
    "whispered",
    "shouted",
    "yelled",
];

/// Names that are far more often ordinary words at the start of a sentence ("Hoop is alles
/// wat ik heb", "Storm in mijn hoofd"): never taken as names from the verb after them.
const MOSTLY_WORDS: &[&str] = &[
    "hoop", "roos", "rust", "storm", "liefde", "vrede", "zomer", "winter", "lente", "herfst", "zon", "regen",
    "sneeuw", "mei", "juni", "juli", "april", "augustus", "dag", "nacht", "berg", "bos", "dijk", "hoek",
    "huis", "post", "school", "werk", "kerk", "markt", "park", "plein", "hof", "laan", "veld", "weg",
    "water", "vis", "vogel", "hond", "geld", "tijd", "leven", "job", "lot", "mark", "will", "may", "can",
    "said", "hope", "faith", "grace", "joy", "summer", "art", "rich", "bill", "free", "ben", "roman", "ward",
    "sky", "dawn", "eve", "ray", "guy", "jack", "ton", "sultan", "lama", "nada", "tuba", "berk", "ion",
    "lief", "moed", "kracht", "geluk", "trots", "angst", "pijn", "zorg", "hulp", "jeugd", "ouders",
];

/// Words after which a capital letter with a dot is not an initial: "plan B.", "groep 8 A.".
const NOT_BEFORE_INITIAL: &[&str] = &[
    "plan",
    "vitamine",
    "groep",
    "klas",
    "type",
    "bijlage",
    "optie",
    "fase",
    "niveau",
    "categorie",
    "blok",
    "route",
    "lijn",
    "bus",
    "tram",
    "sector",
    "afdeling",
    "deel",
    "hoofdstuk",
    "paragraaf",
    "versie",
    "model",
    "maat",
    "cup",
    "size",
    "vak",
    "punt",
    "vraag",
    "stap",
    "zone",
    "gebouw",
    "vleugel",
    "kamer",
    "unit",
    "afdeling",
    "vitamin",
    "grade",
    "class",
    "option",
    "part",
    "step",
    "room",
    "wing",
    "ward",
    "hepatitis",
    "hiv",
    "letter",
    "de",
    "het",
    "een",
    "the",
    "a",
    "an",
    "dr",
    "mr",
    "drs",
    "prof",
    "ir",
    "ing",
    "jr",
    "sr",
];

/// Two- and three-letter initials used in Dutch names: "G.J.Th. Hendriks", "J. Chr. de Wit".
const MULTI_INITIALS: &[&str] =
    &["th", "chr", "ph", "tj", "joh", "jac", "wm", "fr", "ij", "ch", "gerh", "hk"];

/// Word chains of capital letters with dots that are abbreviations, not initials.
const NOT_INITIALS: &[&str] = &[
    "vs", "us", "uk", "ps", "nb", "bv", "nv", "eu", "am", "pm", "ok", "tv", "aub", "vd", "ad", "bc", "ce",
    "cv", "wc", "ov", "id", "rip", "dj", "mc",
];

/// Role nouns: "mijn mentor Daan", "de gezinsvoogd, Hanna, ...", "my sister May".
const ROLES: &[&str] = &[
    "mentor",
    "mentrix",
    "jeugdige",
    "betrokkene",
    "minderjarige",
    "pupil",
    "cliënte",
    "begeleider",
    "begeleidster",
    "broer",
    "broertje",
    "zus",
    "zusje",
    "vriend",
    "vriendin",
    "vriendje",
    "vriendinnetje",
    "neef",
    "neefje",
    "nicht",
    "nichtje",
    "vader",
    "moeder",
    "papa",
    "mama",
    "stiefvader",
    "stiefmoeder",
    "stiefbroer",
    "stiefzus",
    "pleegvader",
    "pleegmoeder",
    "pleegbroer",
    "pleegzus",
    "pleegdochter",
    "pleegzoon",
    "pleegkind",
    "tweelingbroer",
    "tweelingzus",
    "halfbroer",
    "halfzus",
    "zoon",
    "zoontje",
    "dochter",
    "dochtertje",
    "kind",
    "baby",
    "man",
    "vrouw",
    "ex",
    "partner",
    "collega",
    "buurman",
    "buurvrouw",
    "buurjongen",
    "buurmeisje",
    "leraar",
    "lerares",
    "docent",
    "docente",
    "jongerencoach",
    "jongerenwerker",
    "hulpverlener",
    "gezinsvoogd",
    "voogd",
    "jeugdbeschermer",
    "casemanager",
    "gezinscoach",
    "jeugdconsulent",
    "consulent",
    "therapeut",
    "psycholoog",
    "psychiater",
    "orthopedagoog",
    "huisarts",
    "jeugdarts",
    "arts",
    "verpleegkundige",
    "advocaat",
    "teamleider",
    "manager",
    "directeur",
    "groepsleider",
    "groepsleidster",
    "wijkagent",
    "leerplichtambtenaar",
    "schoonmoeder",
    "schoonvader",
    "schoonzus",
    "schoonbroer",
    "zwager",
    "groepsgenoot",
    "klasgenoot",
    "teamgenoot",
    "jongen",
    "meisje",
    "cliënt",
    "client",
    "jongere",
    "familie",
    "gezin",
    "pleegouder",
    "stagiair",
    "stagiaire",
    "brother",
    "sister",
    "mum",
    "mom",
    "dad",
    "father",
    "mother",
    "son",
    "daughter",
    "friend",
    "boyfriend",
    "girlfriend",
    "teacher",
    "counsellor",
    "counselor",
    "therapist",
    "caseworker",
    "worker",
    "guardian",
    "cousin",
    "grandmother",
    "grandfather",
    "nephew",
    "niece",
    "neighbour",
    "neighbor",
    "husband",
    "wife",
    "doctor",
    "lawyer",
    "officer",
    "stepfather",
    "stepmother",
    "stepbrother",
    "stepsister",
    "colleague",
    "family",
    "burgemeester",
    "wethouder",
    "minister",
    "staatssecretaris",
    "rechter",
    "kinderrechter",
    "officier",
    "raadsonderzoeker",
    "ambtenaar",
    "professor",
    "judge",
    "mayor",
    "kamerlid",
];

/// Verbs that introduce a name: "ze heet Sanne", "een jongen genaamd Piotr".
const NAME_VERBS: &[&str] =
    &["heet", "heette", "heten", "genaamd", "named", "called", "alias", "noemde", "noemden"];

/// Words allowed between a naming verb and the name: "heet eigenlijk Sevdin", "heet ik Lisa".
const VERB_FILLERS: &[&str] = &[
    "eigenlijk",
    "gewoon",
    "echt",
    "officieel",
    "nu",
    "toch",
    "ook",
    "voortaan",
    "ik",
    "hij",
    "ze",
    "zij",
    "me",
    "mij",
    "hem",
    "haar",
];

/// Pairs of words that introduce a name; `true` marks the strong ones (a lowercase known name
/// may follow), `false` the weak ones ("ik ben" is also "ik ben blij").
const NAME_PAIRS: &[(&str, &str, bool)] = &[
    ("naam", "is", true),
    ("name", "is", true),
    ("name", "was", true),
    ("noemen", "me", true),
    ("noemt", "me", true),
    ("noem", "me", true),
    ("noemen", "hem", true),
    ("noemen", "haar", true),
    ("noemden", "hem", true),
    ("noemden", "haar", true),
    ("noemt", "hem", true),
    ("noemt", "haar", true),
    ("call", "him", true),
    ("call", "her", true),
    ("call", "me", true),
    ("ik", "ben", false),
    ("i", "am", false),
    ("dit", "is", false),
    ("this", "is", false),
    ("it", "is", false),
];

/// Capitalised words that turn a preceding "name" into the name of an institution:
/// "Sophia Kinderziekenhuis", "Juliana Stichting".
const ORG_SUFFIXES: &[&str] = &[
    "stichting",
    "kinderziekenhuis",
    "ziekenhuis",
    "school",
    "college",
    "lyceum",
    "huis",
    "centrum",
    "fonds",
    "groep",
    "mc",
    "umc",
    "kliniek",
    "academie",
    "instituut",
    "foundation",
    "hospital",
    "gasthuis",
    "kerk",
    "moskee",
    "hogeschool",
    "universiteit",
    "university",
];

/// Parts of a hyphenated word that make it a place rather than a double name.
const PLACE_PARTS: &[&str] = &[
    "noord",
    "zuid",
    "oost",
    "west",
    "nieuw",
    "oud",
    "centrum",
    "midden",
    "binnenstad",
    "sint",
    "st",
    "noordoost",
    "noordwest",
    "zuidoost",
    "zuidwest",
    "noorden",
    "zuiden",
    "oosten",
    "westen",
    "north",
    "south",
    "east",
];

/// Capitalised words that open the name of an organisation, so the capitalised words after
/// them are that name, not a person: "Stichting Jan Pieter Heije", "Gemeente Oss",
/// "Basisschool De Regenboog", "Wijkteam Ede-Zuid".
const ORG_PREFIXES: &[&str] = &[
    "afdeling",
    "stichting",
    "vereniging",
    "gemeente",
    "basisschool",
    "obs",
    "cbs",
    "rkbs",
    "pcbs",
    "jeugdbescherming",
    "wijkteam",
    "buurtteam",
    "jeugdteam",
    "sociaal",
    "stedelijk",
    "christelijk",
    "openbare",
    "openbaar",
    "katholieke",
    "gereformeerde",
    "ziekenhuis",
    "kliniek",
    "zorggroep",
    "jeugdhulp",
    "jeugdzorg",
    "ggz",
    "ggd",
    "cjg",
    "rechtbank",
    "gerechtshof",
    "hogeschool",
    "universiteit",
    "fonds",
    "huize",
    "kindcentrum",
    "scholengemeenschap",
    "lyceum",
    "gymnasium",
    "atheneum",
    "college",
    "praktijk",
    "kinderopvang",
    "foundation",
    "centre",
    "center",
    "university",
    "hospital",
];

/// FNV-1a: word lookups are the scrubber's inner loop, and the keys are short strings from
/// our own lists, so a fast non-keyed hash is the right trade-off here.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordSet = HashSet<String, BuildHasherDefault<Fnv>>;

/// Fold to the form every list is stored in: lowercase, diacritics removed, curly apostrophes
/// straightened. Turkish and Polish letters without a decomposition are mapped by hand.
pub(super) fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            'ı' => out.push('i'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            '’' | '‘' | '`' => out.push('\''),
            _ => {
                for lower in c.to_lowercase() {
                    decompose_canonical(lower, |d| {
                        if !is_combining_mark(d) {
                            out.push(d);
                        }
                    });
                }
            }
        }
    }
    out
}

fn words(list: &str) -> impl Iterator<Item = String> + '_ {
    list.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace).map(fold)
}

fn set(items: &[&str]) -> WordSet {
    items.iter().map(|w| fold(w)).collect()
}

/// What the lists say about one word.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WordInfo {
    pub first: bool,
    pub sur: bool,
    pub common: bool,
    pub non_person: bool,
}

impl WordInfo {
    pub fn known(self) -> bool {
        self.first || self.sur
    }
    /// A name that is also an ordinary word (or too short to trust) needs a capital in
    /// mid-sentence or a name context before it counts.
    pub fn ambiguous(self, key: &str) -> bool {
        self.common || key.chars().count() <= 2
    }
}

/// All word lists, folded and hashed once.
pub(super) struct Lexicon {
    first: WordSet,
    sur: WordSet,
    common: WordSet,
    non_person: WordSet,
    /// Single-word places from the non-person list.
    places: WordSet,
    /// Multi-word non-person phrases by their first word, longest first.
    phrases: HashMap<String, Vec<Vec<String>>, BuildHasherDefault<Fnv>>,
    particles: WordSet,
    left_particles: WordSet,
    titles: WordSet,
    abbreviated_titles: HashMap<String, bool, BuildHasherDefault<Fnv>>,
    roles: WordSet,
    person_verbs: WordSet,
    speech_verbs: WordSet,
    mostly_words: WordSet,
    not_before_initial: WordSet,
    multi_initials: WordSet,
    not_initials: WordSet,
    verbs: WordSet,
    fillers: WordSet,
    org_suffixes: WordSet,
    org_prefixes: WordSet,
}

impl Lexicon {
    pub fn new() -> Self {
        let first: WordSet = words(FIRST_NAMES).collect();
        let mut sur = WordSet::default();
        for w in words(SURNAMES) {
            // Polish surnames change their ending for women: Kowalski / Kowalska.
            if let Some(stem) = w.strip_suffix("ki") {
                sur.insert(format!("{stem}ka"));
            }
            sur.insert(w);
        }
        let common: WordSet = words(COMMON_WORDS).collect();
        let mut non_person = WordSet::default();
        let mut places = WordSet::default();
        let mut in_places = false;
        let mut phrases: HashMap<String, Vec<Vec<String>>, BuildHasherDefault<Fnv>> = HashMap::default();
        for line in NON_PERSON.lines() {
            let line = line.trim();
            if let Some(header) = line.strip_prefix("# ---") {
                // Sections about places (provinces, cities, countries) hold words that can
                // also be a surname after a particle: "van Houten", "van Gool".
                in_places = ["provinces", "cities", "countries", "places", "neighbourhoods"]
                    .iter()
                    .any(|w| header.contains(w));
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let keys: Vec<String> = scan_words(line).into_iter().map(|(s, e, _)| fold(&line[s..e])).collect();
            match keys.len() {
                0 => {}
                1 => {
                    if in_places {
                        places.insert(keys[0].clone());
                    }
                    non_person.insert(keys[0].clone());
                }
                _ => phrases.entry(keys[0].clone()).or_default().push(keys),
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        Lexicon {
            first,
            sur,
            common,
            non_person,
            places,
            phrases,
            particles: set(PARTICLES),
            left_particles: set(LEFT_PARTICLES),
            titles: set(TITLES),
            abbreviated_titles: ABBREVIATED_TITLES.iter().map(|&(w, bare)| (fold(w), bare)).collect(),
            roles: set(ROLES),
            person_verbs: set(PERSON_VERBS),
            speech_verbs: set(SPEECH_VERBS),
            mostly_words: set(MOSTLY_WORDS),
            not_before_initial: set(NOT_BEFORE_INITIAL),
            multi_initials: set(MULTI_INITIALS),
            not_initials: set(NOT_INITIALS),
            verbs: set(NAME_VERBS),
            fillers: set(VERB_FILLERS),
            org_suffixes: set(ORG_SUFFIXES),
            org_prefixes: set(ORG_PREFIXES),
        }
    }

    /// Forget the listed first names and surnames among `words` (folded), so that an
    /// evaluation can measure how names the lists do not know are found.
    #[cfg(test)]
    pub fn forget_names<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) {
        for w in words {
            let key = fold(w);
            self.first.remove(&key);
            self.sur.remove(&key);
        }
    }

    /// Look a folded word up; hyphenated double names count when every part is a name
    /// (Jan-Willem, Pinas-Sedney), and a Dutch possessive "Daans" counts as "Daan".
    pub fn info(&self, key: &str) -> WordInfo {
        let mut info = WordInfo {
            first: self.first.contains(key),
            sur: self.sur.contains(key),
            common: self.common.contains(key),
            non_person: self.non_person.contains(key),
        };
        if !info.known() && key.contains('-') {
            self.hyphenated(key, &mut info);
        }
        if !info.known() && !info.common && !info.non_person && self.is_compound_word(key) {
            info.common = true;
        }
        let possessive_of_first = key
            .strip_suffix('s')
            .is_some_and(|base| base.len() > 2 && self.first.contains(base) && !self.common.contains(base));
        if !info.known() && !info.common && !info.non_person && possessive_of_first {
            info.first = true;
        }
        info
    }

    /// Double names: "Jan-Willem", "Lotte-Mae" (a first name with any short part), "Bosman-
    /// Terpstra", "Hoekstra-van" (a surname with names, particles or unlisted words). A
    /// compound with a place or direction in it is a place: "Oost-Europa", "Ede-Zuid".
    fn hyphenated(&self, key: &str, info: &mut WordInfo) {
        let parts: Vec<&str> = key.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() < 2 {
            return;
        }
        if parts.iter().any(|p| self.non_person.contains(*p) || PLACE_PARTS.contains(p)) {
            info.non_person = true;
            return;
        }
        let first = |p: &&str| self.first.contains(*p);
        let sur = |p: &&str| self.sur.contains(*p);
        let particle = |p: &&str| self.particles.contains(*p);
        let unlisted = |p: &&str| !self.common.contains(*p) && p.chars().count() >= 2;
        if parts.iter().all(first)
            || (first(&parts[0]) && parts[1..].iter().all(|p| first(p) || p.len() <= 5))
        {
            info.first = true;
            info.common = false;
        } else if parts.iter().any(sur)
            && parts.iter().all(|p| first(p) || sur(p) || particle(p) || unlisted(p))
        {
            info.sur = true;
            info.common = false;
        }
    }

    /// Dutch glues ordinary words together ("oudersverhaal", "jongerenraad"), so most
    /// compounds are in no word list: an unlisted word that is two ordinary words, with an
    /// optional linking s, is an ordinary word too. Listed names never get here.
    fn is_compound_word(&self, key: &str) -> bool {
        key.len() >= 8 && key.chars().all(char::is_alphabetic) && self.compound_of(key, 3)
    }

    /// `key` is an ordinary word followed by an ordinary word or (up to `parts` words) a
    /// compound of them.
    fn compound_of(&self, key: &str, parts: usize) -> bool {
        if parts < 2 {
            return false;
        }
        key.char_indices().skip(3).any(|(i, _)| {
            let (left, right) = key.split_at(i);
            let left_ok = self.common.contains(left)
                || left.strip_suffix('s').is_some_and(|l| l.chars().count() >= 3 && self.common.contains(l));
            left_ok
                && right.chars().count() >= 4
                && (self.common.contains(right) || self.compound_of(right, parts - 1))
        })
    }

    pub fn is_common(&self, key: &str) -> bool {
        self.common.contains(key)
    }
    pub fn is_non_person(&self, key: &str) -> bool {
        self.non_person.contains(key)
    }
    pub fn is_particle(&self, key: &str) -> bool {
        self.particles.contains(key)
    }
    pub fn is_left_particle(&self, key: &str) -> bool {
        self.left_particles.contains(key)
    }
    pub fn is_title(&self, key: &str) -> bool {
        self.titles.contains(key)
    }
    /// A role noun, listed or a compound ending in one ("pleegzorgbegeleider").
    pub fn is_role(&self, key: &str) -> bool {
        self.roles.contains(key)
            || ROLE_SUFFIXES.iter().any(|s| {
                key.len() >= s.len() + 3
                    && key.ends_with(s)
                    && !self.first.contains(key)
                    && !self.sur.contains(key)
            })
    }
    /// An abbreviated title ("dhr", "mw", "Dr", "Prof") followed by the gap `gap`: a dot, or
    /// for some only a space.
    pub fn is_abbreviated_title(&self, key: &str, gap: &str) -> bool {
        let spaces = |g: &str| !g.is_empty() && g.len() <= 2 && g.chars().all(|c| c == ' ');
        match self.abbreviated_titles.get(key) {
            Some(&bare) => {
                gap.strip_prefix('.').is_some_and(|g| g.is_empty() || spaces(g)) || (bare && spaces(gap))
            }
            None => false,
        }
    }
    pub fn is_person_verb(&self, key: &str) -> bool {
        self.person_verbs.contains(key)
    }
    pub fn is_speech_verb(&self, key: &str) -> bool {
        self.speech_verbs.contains(key)
    }
    pub fn is_mostly_word(&self, key: &str) -> bool {
        self.mostly_words.contains(key)
    }
    pub fn blocks_initial(&self, key: &str) -> bool {
        self.not_before_initial.contains(key)
    }
    pub fn is_multi_initial(&self, key: &str) -> bool {
        self.multi_initials.contains(key)
    }
    pub fn is_not_initials(&self, key: &str) -> bool {
        self.not_initials.contains(key)
    }
    pub fn is_place(&self, key: &str) -> bool {
        self.places.contains(key)
    }
    pub fn is_name_verb(&self, key: &str) -> bool {
        self.verbs.contains(key)
    }
    pub fn is_filler(&self, key: &str) -> bool {
        self.fillers.contains(key)
    }
    pub fn is_org_suffix(&self, key: &str) -> bool {
        self.org_suffixes.contains(key)
    }
    pub fn is_org_prefix(&self, key: &str) -> bool {
        self.org_prefixes.contains(key)
    }
    pub fn name_pair(&self, a: &str, b: &str) -> Option<bool> {
        NAME_PAIRS.iter().find(|(x, y, _)| *x == a && *y == b).map(|(_, _, strong)| *strong)
    }
    pub fn phrases_starting(&self, key: &str) -> Option<&[Vec<String>]> {
        self.phrases.get(key).map(Vec::as_slice)
    }

    /// Cut text into word tokens with their folded keys and capitalisation.
    pub fn tokenize<'a>(&self, text: &'a str) -> Vec<Tok<'a>> {
        let mut toks = Vec::new();
        for (start, mut end, initial) in scan_words(text) {
            let raw = &text[start..end];
            // English possessive: "Sarah's mum" names Sarah; the 's stays as plain text.
            for suffix in ["'s", "’s"] {
                if raw.len() > suffix.len() + 1 && raw.ends_with(suffix) {
                    end -= suffix.len();
                }
            }
            let text_piece = &text[start..end];
            let (mut cap, mut first, mut letters, mut upper) = (false, true, 0, 0);
            // "d'Hondt", "O'Brien": the capital after the apostrophe is what counts.
            let elided = text_piece.char_indices().nth(1).is_some_and(|(_, c)| c == '\'' || c == '’')
                && text_piece.chars().nth(2).is_some_and(char::is_uppercase)
                && text_piece.chars().next().is_some_and(|c| matches!(c, 'd' | 'D' | 'o' | 'O' | 'l' | 'L'));
            for c in text_piece.chars().filter(|c| c.is_alphabetic()) {
                let is_upper = c.is_uppercase();
                if first {
                    cap = is_upper;
                    first = false;
                }
                letters += 1;
                upper += usize::from(is_upper);
            }
            toks.push(Tok {
                start,
                end,
                text: text_piece,
                key: fold(text_piece),
                cap: cap || elided,
                all_caps: letters >= 2 && upper == letters,
                initial,
            });
        }
        toks
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Words as (start, end, sentence-initial), in one pass over the text. A word starts with a
/// letter; hyphens and apostrophes inside it keep it whole (Tjon-A-Fong, O'Brien,
/// Noord-Brabant); the clitics 't and 's are words of their own. A word is sentence-initial
/// when only spaces and opening punctuation separate it from the start of the text, a line
/// break or a sentence end, so that its capital says nothing about being a name.
fn scan_words(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut initial = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphabetic() || is_combining_mark(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joiner = matches!(d, '\'' | '’' | '-')
                    && text[j + d.len_utf8()..].chars().next().is_some_and(word_char);
                if !(word_char(d) || joiner) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push((i, end, initial));
            initial = false;
            continue;
        }
        if matches!(c, '\'' | '’') {
            let mut after = text[i + c.len_utf8()..].chars();
            let clitic = matches!(after.next(), Some('t' | 's'))
                && !after.next().is_some_and(|a| a.is_ascii_alphanumeric() || a == '_');
            if clitic {
                out.push((i, i + c.len_utf8() + 1, initial));
                initial = false;
                chars.next();
                continue;
            }
        }
        match c {
            '\n' | '\r' | '.' | '!' | '?' | ':' | ';' | '…' => initial = true,
            ' ' | '\t' | '"' | '“' | '„' | '‘' | '\'' | '(' | '[' | '«' | '-' | '–' | '—' | '*' | '•' =>
                {}
            _ => initial = false,
        }
    }
    out
}

/// One word of the input.
#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub key: String,
    pub cap: bool,
    pub all_caps: bool,
    /// First word of a sentence, where a capital says nothing about being a name.
    pub initial: bool,
}
