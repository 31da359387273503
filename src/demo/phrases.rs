//! Template types, slot fillers and the theme-neutral Dutch sentences that every story shares.
//!
//! Template syntax (rendered by `generator::render`):
//! - `[a|b|c]` picks one alternative (may nest, `[a|]` makes text optional),
//! - `[+a|b|c]` picks one item or two different ones joined by "en" (for lists of needs),
//! - `{slot}` inserts a filler from a list or a value from the story's persona,
//! - `{@actor}` renders nothing but records who played a part, so the `wie_hielp`
//!   answer can agree with the text.

/// Where in a story a sentence belongs; stories are assembled in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Intro,
    Event,
    Help,
    Outcome,
    Feeling,
    Need,
}

pub(crate) const I: Part = Part::Intro;
pub(crate) const E: Part = Part::Event;
pub(crate) const H: Part = Part::Help;
pub(crate) const U: Part = Part::Outcome;
pub(crate) const G: Part = Part::Feeling;
pub(crate) const N: Part = Part::Need;

// Perspective masks: who can plausibly say a sentence.
pub(crate) const Y: u8 = 1;
pub(crate) const P: u8 = 2;
pub(crate) const R: u8 = 4;
pub(crate) const O: u8 = 8;
pub(crate) const PO: u8 = P | O;
pub(crate) const YPO: u8 = Y | P | O;
pub(crate) const ALL: u8 = Y | P | R | O;

// Tone masks: which story endings a sentence fits.
pub(crate) const POS: u8 = 1;
pub(crate) const NEG: u8 = 2;
pub(crate) const MIX: u8 = 4;
pub(crate) const PM: u8 = POS | MIX;
pub(crate) const NM: u8 = NEG | MIX;
pub(crate) const ANY: u8 = POS | NEG | MIX;

/// One sentence template with the story part, perspectives and tones it fits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tpl {
    pub part: Part,
    pub who: u8,
    pub tone: u8,
    pub text: &'static str,
}

/// Short constructor so the phrase tables stay readable.
pub(crate) const fn t(part: Part, who: u8, tone: u8, text: &'static str) -> Tpl {
    Tpl { part, who, tone, text }
}

// ---------------------------------------------------------------------------------------------
// Slot fillers. Actor-bearing lists are tagged in `generator::slot`.

pub(crate) const FAMILIELID: &[&str] = &[
    "mijn achternicht",
    "de zus van mijn moeder",
    "mijn oudste broer",
    "mijn oma",
    "mijn opa",
    "mijn tante",
    "mijn oom",
    "mijn zus",
    "mijn grote zus",
    "mijn grote broer",
    "mijn broer",
    "mijn neef",
    "mijn nicht",
    "mijn moeder",
    "mijn vader",
    "mijn stiefmoeder",
    "mijn stiefvader",
    "mijn oma van moeders kant",
    "mijn peettante",
];

pub(crate) const OUDER_FAMILIE: &[&str] = &[
    "mijn moeder",
    "mijn schoonmoeder",
    "mijn zus",
    "mijn broer",
    "mijn schoonzus",
    "mijn vader",
    "mijn oudste dochter",
    "mijn zwager",
    "een nicht van mij",
];

pub(crate) const VRIEND: &[&str] = &[
    "een jongen uit mijn team",
    "mijn vriendin van de dansschool",
    "een klasgenoot",
    "een meisje uit de buurt",
    "mijn beste vriendin",
    "mijn beste vriend",
    "een vriendin uit mijn klas",
    "een vriend van vroeger",
    "mijn vriendin",
    "mijn vriend",
    "een jongen uit mijn straat",
    "een meisje van mijn stage",
    "een vriendin die ik al ken sinds groep 3",
];

pub(crate) const OUDER_VRIEND: &[&str] = &[
    "een goede vriendin",
    "een vriend van mijn man",
    "mijn beste vriendin",
    "een vriendin van het werk",
    "een oud-collega",
];

pub(crate) const BUURT: &[&str] = &[
    "de buurvrouw van drie hoog",
    "een vrijwilliger van het buurthuis",
    "de coach van de basketbalclub",
    "de buurvrouw",
    "de buurman",
    "mijn trainer",
    "de trainer van de voetbalclub",
    "de coach van mijn hockeyteam",
    "de jongerenwerker",
    "iemand van de moskee",
    "de vrouw van het buurthuis",
    "iemand van de kerk",
    "de eigenaar van de snackbar waar ik werk",
    "mijn baas van mijn bijbaan",
    "de trainer van kickboksen",
    "mijn dansdocent",
];

pub(crate) const SCHOOL_PERSOON: &[&str] = &[
    "mijn mentor",
    "mijn mentor",
    "de zorgcoördinator",
    "de vertrouwenspersoon op school",
    "mijn slb'er",
    "een docent",
    "mijn docent Nederlands",
    "de gymleraar",
    "de conciërge",
    "mijn stagebegeleider",
    "de schoolmaatschappelijk werker",
    "mijn juf",
];

pub(crate) const HULPVERLENER: &[&str] = &[
    "mijn hulpverlener",
    "mijn jeugdhulpverlener",
    "de ambulant hulpverlener",
    "mijn begeleider",
    "de gezinsvoogd",
    "de psycholoog",
    "mijn behandelaar",
    "de gezinscoach",
    "mijn ambulant begeleider",
];

pub(crate) const WIJKTEAM: &[&str] = &[
    "het wijkteam",
    "de jeugdconsulent",
    "iemand van de gemeente",
    "het sociaal wijkteam",
    "het CJG",
    "de toegang van de gemeente",
    "de consulent van het wijkteam",
    "het buurtteam",
];

pub(crate) const HUISARTS: &[&str] = &[
    "de huisarts",
    "de POH-jeugd bij de huisarts",
    "onze huisarts",
    "de praktijkondersteuner van de huisarts",
    "een invalhuisarts",
];

pub(crate) const ONLINE: &[&str] = &[
    "iemand op een forum",
    "de chat van de Kindertelefoon",
    "iemand op discord",
    "een meisje dat ik via insta kende",
    "mensen in een groepsapp van lotgenoten",
    "iemand die ik via een game ken",
];

pub(crate) const VERTROUWENSPERSOON: &[&str] = &[
    "de vertrouwenspersoon van het AKJ",
    "een vertrouwenspersoon",
    "mijn advocaat",
    "een ervaringsdeskundige",
    "de vertrouwenspersoon van de instelling",
];

pub(crate) const BEGELEIDER: &[&str] = &[
    "mijn oude begeleider van de groep",
    "mijn begeleider",
    "mijn mentor van de woongroep",
    "mijn ambulant begeleider",
    "mijn jongerencoach",
    "mijn oude pleegzorgwerker",
];

pub(crate) const DUUR: &[&str] = &[
    "vijf maanden",
    "bijna twee jaar",
    "een week of acht",
    "een heel schooljaar",
    "een paar weken",
    "twee maanden",
    "drie maanden",
    "een half jaar",
    "bijna een jaar",
    "drie weken",
    "een maand of vier",
    "ruim een jaar",
    "zes weken",
    "een paar maanden",
    "anderhalf jaar",
    "twee jaar",
];

pub(crate) const WACHTDUUR: &[&str] = &[
    "drie maanden",
    "vier maanden",
    "een half jaar",
    "acht maanden",
    "bijna een jaar",
    "anderhalf jaar",
    "tien weken",
    "ruim vijf maanden",
    "meer dan een jaar",
    "zeven maanden",
    "veertien weken",
    "negen maanden",
    "vijftien maanden",
];

pub(crate) const MOMENT: &[&str] = &[
    "in de brugklas",
    "vlak na mijn verjaardag",
    "een jaar of twee terug",
    "in de winter van vorig jaar",
    "na de zomervakantie",
    "vorig jaar",
    "afgelopen winter",
    "in de zomervakantie",
    "na de kerstvakantie",
    "twee jaar geleden",
    "vlak voor de zomer",
    "in de herfstvakantie",
    "begin dit jaar",
    "een paar maanden geleden",
    "vorig schooljaar",
    "rond de meivakantie",
    "in het voorjaar",
    "afgelopen najaar",
    "na de coronatijd",
];

pub(crate) const TIJDSTIP: &[&str] = &[
    "op een woensdagmiddag",
    "vlak voor een toets",
    "op een zaterdagnacht",
    "op weg naar school",
    "na een ruzie aan tafel",
    "midden in de nacht",
    "op een zondagavond",
    "na school",
    "op een dinsdagochtend",
    "in de pauze",
    "om elf uur 's avonds",
    "op een vrijdagmiddag",
    "vlak voor het eten",
    "op een maandagochtend",
    "in de kerstvakantie",
];

pub(crate) const GEVOEL_NEG: &[&str] = &[
    "verloren",
    "uitgeput",
    "klein",
    "in de steek gelaten",
    "boos",
    "moe",
    "machteloos",
    "wanhopig",
    "verdrietig",
    "alleen",
    "bang",
    "kapot",
    "onzeker",
    "leeg",
    "gefrustreerd",
    "onbegrepen",
];

pub(crate) const GEVOEL_POS: &[&str] = &[
    "serieus genomen",
    "licht",
    "weer mezelf",
    "opgelucht",
    "blij",
    "trots",
    "rustiger",
    "gesteund",
    "gezien",
    "sterker",
    "dankbaar",
];

pub(crate) const KLACHT: &[&str] = &[
    "paniekaanvallen",
    "somberheid",
    "nachtmerries",
    "een eetprobleem",
    "slaapproblemen",
    "angsten",
    "woedeaanvallen",
    "concentratieproblemen",
    "een depressie",
    "heel veel stress",
];

pub(crate) const KLACHT_KIND: &[&str] = &[
    "een vermoeden van autisme",
    "ADHD",
    "angstklachten",
    "een eetstoornis",
    "al jaren problemen met slapen",
    "hevige driftbuien",
    "een hechtingsprobleem",
    "somberheidsklachten",
    "dwangklachten",
    "een ontwikkelingsachterstand",
    "trauma na een verkeersongeluk",
];

pub(crate) const OPLEIDING: &[&str] = &[
    "zorg en welzijn",
    "de kappersopleiding",
    "ICT",
    "autotechniek",
    "pedagogisch medewerker",
    "logistiek",
    "bouw",
    "mediavormgeving",
    "retail",
    "de koksopleiding",
    "sport en bewegen",
    "juridisch medewerker",
    "verpleegkunde",
    "entree",
];

pub(crate) const STAGEPLEK: &[&str] = &[
    "een kinderopvang",
    "een garage",
    "een supermarkt",
    "een verzorgingshuis",
    "een kapsalon",
    "een restaurant",
    "een magazijn",
    "een basisschool",
    "een bouwbedrijf",
    "een ziekenhuis",
];

pub(crate) const SPORT: &[&str] = &[
    "voetbal",
    "kickboksen",
    "hockey",
    "atletiek",
    "dansen",
    "basketbal",
    "zwemmen",
    "judo",
    "turnen",
    "de sportschool",
];

pub(crate) const AANTAL_KINDEREN: &[&str] = &["twee", "drie", "vier", "twee", "drie", "vijf"];

pub(crate) const BROERZUS: &[&str] = &[
    "mijn broertje",
    "mijn zusje",
    "mijn twee broertjes",
    "mijn zus",
    "mijn halfbroer",
    "drie broers en zussen",
];

pub(crate) const JAREN: &[&str] =
    &["twee", "drie", "vier", "vijf", "zes", "acht", "tien", "twaalf", "vijftien", "ruim twintig"];

pub(crate) const CASELOAD: &[&str] = &["28", "32", "35", "bijna 40", "30", "26", "ruim 30", "38"];

pub(crate) const ORGANISATIE: &[&str] = &[
    "het wijkteam",
    "een grote jeugdzorgaanbieder",
    "een gecertificeerde instelling",
    "een kleine zorgaanbieder",
    "een ggz-instelling voor jeugd",
    "de gemeente",
    "een instelling voor jeugd- en opvoedhulp",
    "een jeugdzorgplus-instelling",
];

pub(crate) const REISAFSTAND: &[&str] = &[
    "twee uur rijden",
    "anderhalf uur met de trein",
    "ruim honderd kilometer",
    "aan de andere kant van het land",
    "drie kwartier met de auto",
];

pub(crate) const BEDRAG: &[&str] = &["zestig", "tachtig", "honderd", "vijftig", "negentig", "zeventig"];

pub(crate) const SCHULD: &[&str] = &[
    "bij de zorgverzekeraar",
    "bij de energiemaatschappij",
    "door een terugvordering van de toeslagen",
    "bij de woningcorporatie",
    "bij het CJIB",
    "bij DUO",
    "door een telefoonabonnement",
    "bij een webwinkel",
];

pub(crate) const TOESLAG: &[&str] =
    &["de huurtoeslag", "de zorgtoeslag", "de kinderopvangtoeslag", "het kindgebonden budget"];

// Names, phone numbers and e-mail domains only appear in the ~5% of stories that mention
// someone in passing, so the import scrubber has something real to remove.
pub(crate) const VOORNAAM: &[&str] = &[
    "Fatima", "Sanne", "Mohamed", "Daan", "Lotte", "Kevin", "Priya", "Yusuf", "Emma", "Jasper", "Noor",
    "Anouk", "Sem", "Ilse", "Bram", "Ayşe", "Dewi", "Thijs", "Mila", "Rachid", "Esther", "Ruben", "Sophie",
    "Mehmet", "Kim", "Marieke", "Joost", "Naima", "Wendy", "Patrick", "Iris", "Sergio", "Lisa", "Hanneke",
    "Youssef", "Chantal", "Gerda", "Ricardo", "Nadia", "Tim",
];

pub(crate) const ACHTERNAAM: &[&str] = &[
    "Bakker",
    "de Jong",
    "Jansen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Pinas",
    "van der Linden",
    "Kuipers",
    "Dekker",
    "Brouwer",
    "Martens",
    "Öztürk",
    "Tahiri",
];

pub(crate) const MAILDOMEIN: &[&str] =
    &["gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl"];

/// What the story is about, as a noun phrase, per theme (THEMES order). Generic sentences use
/// it ("Ik heb talloze mails gestuurd over {onderwerp}"), the way people keep naming their topic.
pub(crate) const ONDERWERP: [&[&str]; 8] = [
    &["de wachtlijst", "het wachten", "de wachttijd", "de intake", "de verwijzing", "de wachtlijsten"],
    &[
        "het perspectiefplan",
        "het verslag",
        "de besluiten die genomen werden",
        "het overleg",
        "inspraak",
        "niet gehoord worden",
    ],
    &["school", "het verzuim", "het onderwijs", "passend onderwijs", "thuiszitten", "de schoolkeuze"],
    &[
        "een kamer vinden",
        "de overgang naar 18+",
        "verlengde jeugdhulp",
        "zelfstandig wonen",
        "woonruimte",
        "achttien worden",
    ],
    &[
        "de maatregelen op de groep",
        "het separeren",
        "de gesloten plaatsing",
        "het kamerprogramma",
        "de gesloten jeugdzorg",
        "de vrijheidsbeperkingen",
    ],
    &[
        "de familie",
        "het netwerkberaad",
        "de mensen om ons heen",
        "de buren",
        "opa en oma",
        "de steun uit de omgeving",
    ],
    &[
        "de werkdruk",
        "de caseload",
        "de administratie",
        "het verloop",
        "alle wisselingen van hulpverleners",
        "het personeelstekort",
    ],
    &["geld", "de schulden", "de rekeningen", "de toeslagen", "de eigen bijdrage", "de kosten"],
];

/// English counterpart of `ONDERWERP`.
pub(crate) const ONDERWERP_EN: [&[&str]; 8] = [
    &["the waiting list", "the wait", "the intake"],
    &["the care plan", "the report", "the decisions"],
    &["school", "missing school", "the mentor"],
    &["finding a room", "turning 18", "extended youth care"],
    &["the restrictive measures", "seclusion", "the secure unit"],
    &["the family", "the neighbours", "the network meeting"],
    &["the workload", "the caseload", "the paperwork"],
    &["money", "the debts", "the bills"],
];

// ---------------------------------------------------------------------------------------------
// Theme-neutral sentences: they glue stories together and give every theme shared vocabulary,
// which keeps theme discovery honest (themes must be found despite common ground).

#[rustfmt::skip]
pub(crate) const GENERIC: &[Tpl] = &[
    // Intro, youth
    t(I, Y, ANY, "ik wil [ff|even|gewoon] mijn verhaal [kwijt|vertellen|delen] want [ik denk dat meer jongeren dit hebben|misschien heeft iemand er wat aan|niemand vraagt dit ooit echt|ik loop er al een tijd mee rond]."),
    t(I, Y, ANY, "Ik ben {leeftijd} en [woon|woonde toen] [met mijn moeder en {broerzus}|bij mijn vader|met mn moeder|bij mijn oma|met mijn ouders en {broerzus}|om de week bij mn vader en mn moeder] [in {plaats}|vlakbij {plaats}|in een dorp bij {plaats}]."),
    t(I, Y, ANY, "Dit gaat over {onderwerp} en het [gebeurde|speelde] {moment}[ en ik denk er nog steeds vaak aan|, maar het zit nog steeds in mijn hoofd|, en het is nog niet helemaal klaar|]."),
    t(I, Y, ANY, "ok dus [dit is mijn verhaal|ik weet niet echt waar ik moet beginnen|ik probeer het kort te houden|ik ga gewoon beginnen][ haha| lol|]."),
    t(I, Y, ANY, "Ik was [toen|] {leeftijd} [en zat best wel in de knoop met mezelf|en alles liep een beetje door elkaar|en had het [echt|heel|best] zwaar|en wist echt niet meer wat ik moest] [, vooral thuis|, op school en thuis|]."),
    t(I, Y, ANY, "[Mijn juf|Mijn mentor|Iemand van school|Een jongerenwerker] zei dat ik [dit kon invullen|hier mijn verhaal kwijt kon|hier iets mee kon], dus [bij deze|hier is het|ok|daar gaat ie]."),
    t(I, Y, ANY, "[Het is best moeilijk om dit op te schrijven|Ik vind het lastig om hierover te schrijven|Ik schrijf dit op mijn telefoon], [maar ik doe het toch|dus sorry als het rommelig is|maar het moet er een keer uit]."),
    // Intro, parent / other
    t(I, PO, ANY, "Ik schrijf dit als {ouderrol} van [een {kind} van {kindleeftijd}|onze {kind} ({kindleeftijd})|{aantal_kinderen} kinderen; dit gaat over onze {kind} van {kindleeftijd}] [, in de hoop dat het ergens toe leidt|, omdat ik denk dat het belangrijk is|]."),
    t(I, P, ANY, "Wij zijn [een gewoon gezin|een druk gezin|een samengesteld gezin|een eenoudergezin|een gezin met veel liefde maar weinig rust] [uit|in] {plaats}[, met {aantal_kinderen} kinderen|, waar onze {kind} van {kindleeftijd} de oudste is|]."),
    t(I, PO, ANY, "[Ik wil graag|Graag wil ik|Hierbij wil ik] [iets delen|mijn ervaring delen|ons verhaal vertellen] over [de afgelopen {duur}|{onderwerp}, want dat heeft ons flink geraakt|wat we {moment} meemaakten rond {onderwerp}|een periode die ik niet snel vergeet]."),
    t(I, PO, ANY, "Het [begon|is begonnen] {moment}, [toen|nadat] onze {kind} [steeds stiller werd|steeds vaker boos thuiskwam|niet meer wilde eten|steeds minder sliep|zich terugtrok op {zijn} kamer|niet meer naar school wilde]."),
    t(I, O, ANY, "Dit gaat over mijn {kind} van {kindleeftijd}; ik ben {zijn} {ouderrol} en [zie {hem} bijna elke dag|sta er vlak naast|heb {hem} zien opgroeien|pas vaak op]."),
    t(I, O, ANY, "Ik ben [geen ouder maar|niet de moeder, maar|zelf geen ouder, ik ben] {ouderrol}, en [toch|juist daarom] [wil ik dit vertellen|heb ik veel meegekregen|vind ik dat mijn kant ook telt]."),
    t(I, PO, ANY, "[Ik twijfelde of ik dit moest opschrijven|Het kost me moeite om dit op te schrijven|Ik heb dit al vaak aan anderen verteld], [maar misschien helpt het iemand|maar hier is ons verhaal|dus hier komt het]."),
    // Intro, professional
    t(I, R, ANY, "Ik ben [nu|al|sinds] {jaren} jaar {beroep}[ in {plaats}| in de regio rond {plaats}| bij {organisatie}|]."),
    t(I, R, ANY, "Een [casus|situatie|voorbeeld] over {onderwerp} uit [mijn praktijk|de afgelopen tijd|mijn eigen ervaring] van [vorig jaar|de afgelopen maanden|{moment}], [geanonimiseerd|zonder herleidbare details|iets aangepast|in het kort]."),
    t(I, R, ANY, "Ik [wil|wil graag] [een verhaal|iets] [delen|vertellen] over [een {jongere} van {clientleeftijd} die|een gezin met {aantal_kinderen} kinderen dat] ik [een tijd|ruim een jaar|een paar maanden] [begeleidde|bijstond] bij {onderwerp}."),
    t(I, R, ANY, "[Vanuit mijn rol als|Als] {beroep} [wil ik iets laten zien van|deel ik graag] [hoe het in de praktijk gaat|wat ik dagelijks tegenkom|de andere kant van het verhaal]."),
    // Event asides, youth
    t(E, Y, ANY, "ik weet nog [precies|goed|heel goed] dat het {tijdstip} was[, toen het weer over {onderwerp} ging|] [en ik gewoon op mn bed lag te huilen|en ik niet kon slapen|en ik echt niet wist wat ik moest doen|en ik alleen thuis was]."),
    t(E, Y, ANY, "[Op school|Thuis|Bij mijn vrienden] [had niemand door|merkte niemand|zag niemand] [hoeveel {onderwerp} met me deed|hoe slecht het ging|wat er speelde|dat het niet goed ging], [ik kon het ook goed verbergen|ik deed gewoon alsof alles oké was|ik lachte het gewoon weg]."),
    t(E, Y, ANY, "[Het ging|Alles rond {onderwerp} ging] [een tijd|een paar weken|maanden] [op en neer|heen en weer], [de ene week beter dan de andere|soms goed soms heel slecht|zonder dat iemand het echt zag]."),
    t(E, Y, ANY, "ik [had|heb] [eigenlijk|toen|] met niemand over {onderwerp} gepraat want [ik schaamde me|ik wilde niemand lastigvallen|ik dacht dat het normaal was|ik wist niet hoe ik het moest zeggen]."),
    t(E, Y, ANY, "[Mijn ouders wisten het wel, maar ze hadden het zelf ook zwaar|Mn moeder wist het ergens wel, maar ze had zelf genoeg aan haar hoofd|Mijn vader wist het wel, alleen had hij geen idee hoe hij moest helpen|Mijn ouders wisten het, maar hadden geen idee hoe ze moesten helpen|Mijn moeder zag het wel, maar ze werkte de hele dag]{@familie}[, dus ik hield het maar voor mezelf|, dus ik deed het zelf maar|]."),
    t(E, Y, ANY, "[In die tijd|Die periode|Die maanden] [zat ik veel op mijn kamer|gamede ik de hele nacht|sliep ik bijna niet|at ik slecht|zat ik alleen maar op mijn telefoon], [gewoon om niet aan {onderwerp} te hoeven denken|om alles ff uit te zetten|omdat ik nergens zin in had]."),
    t(E, Y, ANY, "[Ik had|Er waren] [steeds|ook|vaak] [ruzies|discussies] [thuis|met mn moeder|met mijn stiefvader]{@familie} over [school|mn telefoon|hoe laat ik thuis moest zijn|alles eigenlijk|geld]."),
    t(E, Y, ANY, "[Ik was|Ik werd] [steeds|ook nog|heel] [moe|prikkelbaar|stil] [door {onderwerp}|], [en|maar] [dat viel niemand op|iedereen dacht dat het puberteit was|ik snapte zelf ook niet waarom]."),
    // Event asides, parent / other
    t(E, PO, ANY, "We hebben [alles|van alles] geprobeerd: [gesprekken op school|een cursus|zelf lezen over opvoeden|strakke afspraken thuis|een beloningssysteem], [maar niets hielp echt|het hielp steeds maar even|en soms werkte het een week]."),
    t(E, P, ANY, "[Intussen|Ondertussen] [moest het gewone leven ook doorgaan|ging mijn werk gewoon door|waren er ook nog de andere kinderen|moest er ook gewoon gekookt en gewerkt worden] en [dat viel niet mee|ik liep op mijn tandvlees|ik hield het maar net vol]."),
    t(E, PO, ANY, "Ik heb [ontelbare|talloze|heel veel] [mails gestuurd|telefoontjes gepleegd|formulieren ingevuld] over {onderwerp} [en bij elk loket opnieuw ons verhaal verteld|in die periode|, soms drie per dag|zonder dat er iets gebeurde]."),
    t(E, P, ANY, "{partner} en ik [kregen|hadden] [daardoor|in die tijd|steeds vaker] [ook ruzie|weinig tijd voor elkaar|allebei een kort lontje|geen avond meer rust]."),
    t(E, PO, ANY, "[Thuis|Bij ons thuis] [draaide|draait] [alles|uiteindelijk alles|op den duur alles] om [{hem}|{onderwerp}], [ook voor de andere kinderen|en dat is voor niemand goed|en de rest van het gezin schoot erbij in]."),
    t(E, PO, ANY, "[Ik sliep|We sliepen] [slecht|nauwelijks|onrustig] [door {onderwerp}|van alle zorgen over {onderwerp}] en [op mijn werk|op het werk] [merkten ze het ook|ging het ook minder|moest ik steeds vrij vragen]."),
    t(E, PO, ANY, "[Iedereen|Elke instantie|Iedere hulpverlener] [had|gaf] [een mening|advies|een ander advies] over {onderwerp}, [maar niemand deed echt iets|maar niemand pakte het op|en wij moesten het maar uitvoeren]."),
    // Event asides, professional
    t(E, R, ANY, "[Het gezin|{de_jongere}] had [al eerder|eerder ook al] hulp gehad rond {onderwerp}, [maar steeds kort|maar nooit lang genoeg|steeds van een andere aanbieder|zonder dat iemand het geheel overzag]."),
    t(E, R, ANY, "In het [eerste gesprek|kennismakingsgesprek|intakegesprek] [merkte ik al|bleek al snel|zag ik meteen] dat [er meer speelde dan de aanmelding zei|de vraag veel breder was|de ouders zelf ook vastliepen]."),
    t(E, R, ANY, "We hadden [een overleg|een MDO|een ronde-tafelgesprek|een casusoverleg] over {onderwerp} met [school, de huisarts en het gezin{@school}{@huisarts}|alle betrokkenen|ouders en {de_jongere}|de gemeente en de aanbieder{@wijkteam}], [maar dat leverde weinig op|en dat was een keerpunt|en daar kwam eindelijk een plan uit]."),
    t(E, R, ANY, "[Formeel|Op papier] lag de regie [bij de gemeente|bij ons|bij de gecertificeerde instelling], [in de praktijk|maar eigenlijk] [wist niemand wie aan zet was|deed iedereen een stukje|keek iedereen naar elkaar]."),
    t(E, R, ANY, "[De ouders waren|Moeder was|Vader was] [wantrouwig|moe|boos] [over {onderwerp}|] na [eerdere ervaringen|alle eerdere hulp|jaren van wisselende hulpverleners], [en dat snap ik|wat ik heel goed begrijp|en dat kostte tijd]."),
    t(E, R, ANY, "[Ik heb|We hebben] [veel|eindeloos] [gebeld|gemaild|overlegd] [met aanbieders|met de gemeente|met school] om [iets passends|een plek|een oplossing voor {onderwerp}] te vinden[, vaak tussen de andere gezinnen door|]."),
    // Help
    t(H, Y, PM, "{vriend} [was er gewoon|bleef gewoon appen over {onderwerp}|zei niet zoveel maar was er wel|kwam gewoon langs], [dat betekende echt veel|meer had ik eigenlijk niet nodig|dat vergeet ik nooit]."),
    t(H, Y, NM, "Eigenlijk hielp [niemand|er niemand] echt{@niemand}, [ik moest het zelf uitzoeken|ik heb het uiteindelijk zelf gedaan|iedereen had het te druk|niemand wist wat hij met me aan moest]."),
    t(H, Y, PM, "{familielid} [heeft me toen echt geholpen|was degene die me erdoorheen sleepte|liet me gewoon praten zonder oordeel|stond altijd klaar] [, ook midden in de nacht|, zonder dat ik iets hoefde uit te leggen|]."),
    t(H, Y, ANY, "ik ben [via|op] [tiktok|insta|een forum|discord] [mensen tegengekomen die hetzelfde hadden meegemaakt|iemand tegengekomen die precies snapte wat ik bedoelde]{@online}[, dat hielp meer dan je zou denken|]."),
    t(H, Y, NM, "{hulpverlener} was [oké|wel aardig|best lief] [maar|alleen] [ik zag haar maar eens in de twee weken|het klikte niet echt|ze snapte niet hoe het bij ons thuis is|ze praatte vooral over formulieren]."),
    t(H, Y, ANY, "[Mijn mentor|Een docent]{@school} [merkte het|vroeg een keer hoe het ging] en [dat was al genoeg om te beginnen|toen kwam het er ineens allemaal uit|daarna ging het balletje rollen]."),
    t(H, PO, PM, "{ouder_familie} [was|is] [onze steun en toeverlaat|de rots in de branding|er altijd|ons vangnet] [bij {onderwerp}|] [in die tijd|toen het zwaar was|, dag en nacht]."),
    t(H, PO, ANY, "{huisarts} [nam ons serieus|luisterde goed|nam de tijd] en [verwees ons meteen door|dacht echt mee|belde zelf nog na|regelde een spoedverwijzing]."),
    t(H, PO, NM, "[Eerlijk gezegd|Eigenlijk] [hadden we|kregen we] [weinig|nauwelijks] steun{@niemand}, [het kwam allemaal op ons neer|we deden het grotendeels zelf|we stonden er alleen voor]."),
    t(H, PO, ANY, "[Andere ouders in een Facebookgroep gaven{@online}|Een andere moeder van het schoolplein gaf{@buurt}|{ouder_vriend} gaf{@vrienden}] me [de beste tips|meer adviezen dan alle professionals bij elkaar|een luisterend oor|het gevoel dat ik niet gek was]."),
    t(H, PO, ANY, "[De juf|De mentor|De intern begeleider]{@school} [was|bleek] [een lichtpuntje|een steun|onze bondgenoot] en [dacht mee|hield contact|belde elke week even]."),
    t(H, R, ANY, "[De ouders dachten|{de_jongere} dacht|De huisarts{@huisarts} dacht|De mentor{@school} dacht] mee over {onderwerp}, en [samen|zo] [vonden we|kwamen we op] [een oplossing|een andere aanpak|een opening|iets wat wel werkte]."),
    t(H, R, ANY, "[De mentor{@school}|De huisarts{@huisarts}|De wijkagent{@buurt}|Een buurvrouw{@buurt}|Een tante van {de_jongere}{@familie}] bleek [een belangrijke bondgenoot|onmisbaar|een verrassende bondgenoot], [juist omdat|omdat] [die er elke dag was|die het gezin al jaren kende|die buiten de hulpverlening stond]."),
    // Outcome
    t(U, Y, POS, "nu gaat het [een stuk|echt|veel|zoveel] beter met me[ en met {onderwerp}|][ eerlijk|, al heb ik nog wel slechte dagen|, ik had dat echt niet verwacht|]."),
    t(U, Y, NM, "het is [nog steeds|eigenlijk nog steeds|nog altijd] niet [opgelost|goed|echt goed] [en ik weet niet of dat ooit gaat gebeuren|, maar ik leer ermee leven|, maar ik sta er nu iets sterker in]."),
    t(U, Y, MIX, "[Het is|Het werd] [niet perfect|niet helemaal opgelost|geen sprookje] [met {onderwerp}|] maar [ik kan er nu wel mee omgaan|het is beter dan toen|ik heb er wel van geleerd]."),
    t(U, Y, POS, "[Ik ben nu|Inmiddels ben ik] [weer meer mezelf|veel rustiger|weer bezig met dingen die ik leuk vind], [en ik kijk weer vooruit|en daar ben ik blij om|en dat voelt goed]."),
    t(U, PO, POS, "[Inmiddels|Nu] [gaat het|is het] [veel beter|rustiger|een stuk beter] [met {hem}|thuis] en [kunnen we weer ademhalen|lachen we weer samen|hebben we weer ruimte voor andere dingen]."),
    t(U, PO, NEG, "[De situatie|Het gedoe rond {onderwerp}] is [nog steeds|nog altijd] [niet opgelost|zwaar|onveranderd] en [ik zie eerlijk gezegd geen einde|ik weet niet hoe lang we dit volhouden|we zijn op]."),
    t(U, PO, MIX, "[Het gaat nu|Op dit moment gaat het] [iets beter|met ups en downs|redelijk], maar [het heeft veel gekost|we zijn er nog lang niet|ik blijf alert]."),
    t(U, R, POS, "[Na een paar maanden|Uiteindelijk|Na een lange aanloop] [stond er een plan|kwam er rust] [waar het gezin zelf achter stond|dat het gezin zelf kon dragen|dat echt van {de_jongere} was]."),
    t(U, R, NEG, "Ik heb het dossier [uiteindelijk|met pijn in mijn hart] [overgedragen|afgesloten] zonder dat [het echt beter ging|er iets structureel veranderd was|{de_jongere} verder geholpen was]."),
    t(U, R, MIX, "[Het|De situatie] is [stabieler|iets rustiger] dan toen, maar [ik weet niet of dat blijft|de onderliggende problemen zijn er nog|het kan zo weer omslaan]."),
    // Feeling
    t(G, Y, NM, "[ik voelde me|je voelt je dan|ik voel me nog steeds] [echt|super|heel erg|zo] {gevoel_neg}[, echt waar| tbh|]."),
    t(G, Y, NM, "ik was er [gwn|gewoon|echt] klaar mee[, met alles|, met iedereen|, met {onderwerp}|]."),
    t(G, Y, PM, "achteraf ben ik [wel|echt|best] trots op mezelf dat ik [het heb volgehouden|hulp heb gevraagd|toch ben doorgegaan|mijn mond heb opengedaan]."),
    t(G, Y, POS, "ik voelde me [voor het eerst in lange tijd|eindelijk|gewoon weer] {gevoel_pos}[ over {onderwerp}|]."),
    t(G, Y, MIX, "ik weet [eigenlijk|nog steeds|ook] niet [goed|precies] wat ik [ervan moet vinden|erbij voelde], [een beetje opgelucht en een beetje boos|blij en verdrietig tegelijk]."),
    t(G, PO, NM, "Als {ouderrol} voel je je dan [zo|ontzettend|echt] {gevoel_neg}[, en dat gevoel gaat niet meer weg|, en niemand die dat ziet|]."),
    t(G, PO, PM, "Ik was [vooral|zo] {gevoel_pos} [toen het eindelijk lukte|dat er iemand was die meedacht|dat we het samen gered hebben]."),
    t(G, R, PM, "Het [gaf|geeft] me [een goed gevoel|voldoening|energie] dat [het toch lukte|we dit samen konden doen|{de_jongere} het zelf heeft gedaan]."),
    t(G, R, NM, "[Dit soort situaties|Situaties rond {onderwerp}] [frustreren me|houden me wakker|blijven me bij], [ook na al die jaren|al doe ik dit werk al lang|omdat ik weet dat het anders kan]."),
    // More feelings, needs, help and outcomes, so that no generic sentence dominates.
    t(G, Y, NM, "[Het voelde|Ik voelde me] [alsof niemand me zag|alsof ik er alleen voor stond|alsof ik iets fout had gedaan], [en dat gevoel is nog niet helemaal weg|ook al weet ik nu wel beter|echt heel lang]."),
    t(G, Y, NM, "[Ik was|Ik werd] zo [boos|verdrietig|moe] [dat ik op een gegeven moment niks meer zei|dat ik alleen nog maar op mijn kamer zat|dat ik overal tegenaan schopte]."),
    t(G, Y, PM, "[Het was|Het voelde] [fijn|echt fijn|bijzonder] dat [er iemand was die gewoon bleef|iemand me eindelijk snapte|ik het zelf kon doen], [dat had ik lang niet gehad|daar word ik nog steeds blij van]."),
    t(G, PO, NM, "[Ik heb|We hebben] [heel wat|veel|ontelbare] [tranen gelaten|nachten wakker gelegen|keren op het punt gestaan om op te geven] [in die periode|die maanden|dat jaar]."),
    t(G, PO, NM, "[Het|Dat] [voelde|voelt] [als falen|alsof wij tekortschoten|alsof niemand ons zag], [terwijl we alles deden wat we konden|ook al weet ik dat het niet zo is|en dat doet nog steeds pijn]."),
    t(G, PO, PM, "[Wat een opluchting|Wat een verschil|Wat een rust] [toen|nadat] [er eindelijk iemand meedacht|het kwartje viel|we weer een beetje lucht kregen], [dat kan ik niet beschrijven|dat gun ik iedere ouder]."),
    t(G, R, NM, "[Ik merk|Ik voel] [dat het me|hoe het me] [steeds meer|langzaam|elk jaar meer] [raakt|uitput|moeite kost], [al probeer ik het niet mee naar huis te nemen|ook al laat ik dat niet zien aan de gezinnen]."),
    t(G, R, PM, "[Dit soort trajecten zijn|Zo'n traject is|Zulke momenten zijn] [de reden dat ik dit werk doe|waar ik het voor doe|wat me energie geeft], [ook als de rest tegenzit|ondanks alle papierwerk]."),
    t(G, R, NM, "[Ik ben|Ik was] [er|achteraf] [boos over|verdrietig over|niet trots op] dat [het zo moest lopen|we het niet beter konden doen|het systeem zo werkt]."),
    t(N, Y, ANY, "[Het zou al helpen als|Ik zou willen dat|Het zou echt schelen als] [volwassenen gewoon eerlijk zijn|iemand vraagt hoe het écht gaat|je niet alles tien keer hoeft te vertellen], [meer niet|dat is alles|echt waar]."),
    t(N, PO, ANY, "[Gemeenten en hulpverleners|Instanties|Professionals] [zouden|moeten] [eerder|beter|meer] [luisteren naar ouders|samenwerken in plaats van doorverwijzen|kijken naar wat een gezin zelf kan], [dat zou al zoveel schelen|en minder in protocollen denken]."),
    t(N, R, ANY, "[Als ik één ding mocht veranderen|Als ik iets mocht kiezen|Mijn wens], [dan zou het zijn|zou het zijn|is]: [minder schotten|meer vertrouwen in professionals|tijd per gezin in plaats van productie|één plan per gezin]."),
    t(H, Y, ANY, "[Mijn huisdier|Mijn hond|Muziek|Sporten] hielp [eigenlijk|ook|misschien wel] het meest, [klinkt raar maar het is zo|dat kon ik tenminste zelf doen|daar kon ik alles in kwijt]{@niemand}."),
    t(H, PO, ANY, "[Op mijn werk|Mijn leidinggevende|Mijn collega's] [gaven|gaf] [me ruimte|me vrij als het nodig was|veel begrip], [wat ik niet vanzelfsprekend vind|en dat scheelde enorm|zonder dat ik alles hoefde uit te leggen]."),
    t(H, R, ANY, "[Het gezin zelf|De moeder|{de_jongere} zelf] [had|kwam met] [de beste ideeën|het idee dat uiteindelijk werkte|de oplossing waar wij niet op kwamen], [ik hoefde alleen maar te ondersteunen|wij moesten vooral niet in de weg zitten]."),
    t(H, R, ANY, "[Met|Via] [een kort lijntje met de huisarts{@huisarts}|goede afspraken met school{@school}|de wijkcoach{@wijkteam}] [lukte het om snel te schakelen|konden we de juiste hulp inzetten|lukte het om het gezin niet kwijt te raken]."),
    t(U, Y, ANY, "[Nu|Inmiddels] [is het|gaat het] [anders|wisselend|oké], [ik weet niet hoe het verder gaat|sommige dagen goed en sommige niet|maar ik ben er nog]."),
    t(U, PO, ANY, "[We zijn|Ik ben] [nu|inmiddels] {duur} verder, en [we leren ermee leven|het is een nieuw normaal|we nemen het per dag]."),
    t(U, R, ANY, "[Het traject|De begeleiding] [is|werd] [na {duur}|uiteindelijk] [afgerond|overgedragen], [en ik hoor af en toe hoe het gaat|en het gezin heeft mijn nummer nog|zonder dat ik weet hoe het nu gaat]."),
    // Need
    t(N, Y, ANY, "Wat ik [nodig had|eigenlijk nodig had] was [gewoon|] iemand die [luisterde|naast me kwam zitten|vroeg hoe het echt ging] [zonder meteen een oplossing te hebben|zonder oordeel|en niet meteen alles opschreef|en die iets wist van {onderwerp}]."),
    t(N, Y, ANY, "Ik zou [andere jongeren|iedereen] [willen zeggen|aanraden]: [+praat erover|zoek iemand die je vertrouwt|wacht niet te lang met hulp vragen|je bent niet de enige]."),
    t(N, PO, ANY, "Wat ik [had gewild|nodig had]: [+één vast aanspreekpunt|duidelijkheid over {onderwerp}|iemand die het overzicht hield|dat er echt naar ons geluisterd werd|minder formulieren en meer mensen|hulp aan huis]."),
    t(N, PO, ANY, "Mijn advies aan [andere ouders|ouders in dezelfde situatie|iedereen die dit leest]: [+blijf aan de bel trekken|zoek steun bij elkaar|laat je niet wegsturen|vertrouw op je gevoel]."),
    t(N, R, ANY, "[Wat zou helpen|Wat echt zou helpen|Wat ik mis]: [+ruimte om te doen wat nodig is|een andere aanpak van {onderwerp}|vertrouwen in onze professionele blik|minder schotten tussen domeinen|gewoon tijd|minder verantwoording en meer contact]."),
];

// ---------------------------------------------------------------------------------------------
// Passing mentions of a person or a contact detail (about 5% of stories).

#[rustfmt::skip]
pub(crate) const PII_NL: &[Tpl] = &[
    t(H, Y, ANY, "mijn mentor meneer {achternaam}{@school} was [echt chill|de enige die het snapte] [trouwens|eerlijk]."),
    t(H, Y, ANY, "{voornaam} van het wijkteam{@wijkteam} was [de enige die terugbelde|echt oké|best aardig eigenlijk]."),
    t(H, Y, ANY, "als iemand hetzelfde heeft mag je me [appen|een appje sturen] op {telefoon}."),
    t(H, Y, ANY, "[mijn begeleider|mn hulpverlener] {voornaam}{@jeugdhulp} [heeft echt veel voor me gedaan|was top|nam altijd de tijd]."),
    t(H, Y, ANY, "mevrouw {achternaam}{@school}, [mijn mentor|mijn juf van toen], [geloofde als enige in mij|zei altijd dat ik het kon]."),
    t(H, PO, ANY, "Bel me gerust als u meer wilt weten: {telefoon}."),
    t(H, PO, ANY, "Mijn e-mailadres is {email} als jullie vragen hebben."),
    t(H, PO, ANY, "Onze jeugdconsulent, {voornaam} {achternaam}{@wijkteam}, [dacht echt mee|deed wat er kon|was goud waard]."),
    t(H, PO, ANY, "[De juf|De mentor] van onze {kind}, mevrouw {achternaam}{@school}, [was de eerste die het zag|heeft ons enorm geholpen]."),
    t(H, R, ANY, "Voor vragen over dit verhaal ben ik bereikbaar via {email}."),
    t(H, R, ANY, "[Ik deed dit samen met|Samen met] {voornaam} {achternaam} [van school{@school}|van de huisartsenpraktijk{@huisarts}] [hebben we dit opgepakt|, en dat werkte goed]."),
    t(H, R, ANY, "De moeder, mevrouw {achternaam}, gaf toestemming om dit te delen; ze is bereikbaar op {telefoon}."),
];

// ---------------------------------------------------------------------------------------------
// Safeguarding signals (about 0.5% of stories): rare but present, so that detection has
// something to find. Woven into the middle of a story, never the whole story.

#[rustfmt::skip]
pub(crate) const SAFEGUARDING_NL: &[Tpl] = &[
    t(E, Y, ANY, "soms wil ik gewoon niet meer leven, dat heb ik nog nooit tegen iemand gezegd."),
    t(E, Y, ANY, "mijn stiefvader slaat mijn moeder en soms ook mij, [daar praat niemand over|niemand weet het]."),
    t(E, Y, ANY, "ik doe mezelf pijn als het te veel wordt, [dat doe ik nog steeds|niemand weet dat]."),
    t(E, Y, ANY, "er is iemand die me dingen laat doen die ik niet wil en ik durf het [niemand|aan niemand] te vertellen."),
    t(E, Y, ANY, "ik denk er soms aan om er een eind aan te maken, [vooral 's nachts|als ik alleen ben]."),
    t(E, PO, ANY, "Mijn ex [bedreigt ons nog steeds|heeft me vorige maand weer geslagen] en ik durf niet naar de politie."),
    t(E, PO, ANY, "Onze {kind} zei laatst dat {hij} niet meer wil leven, en we staan nog steeds op een wachtlijst."),
    t(E, R, ANY, "Een {jongere} vertelde me dat {hij} thuis geslagen wordt, en ik kan pas over twee weken weer langs."),
    t(E, R, ANY, "{hij} zei in het gesprek letterlijk dat {hij} niet meer wil leven, en de crisisdienst had geen plek."),
];

/// English safeguarding signals for English stories.
#[rustfmt::skip]
pub(crate) const SAFEGUARDING_EN: &[Tpl] = &[
    t(E, Y, ANY, "sometimes i just don't want to live anymore, i never told anyone that."),
    t(E, Y, ANY, "my stepdad hits my mum and sometimes me too, nobody knows."),
    t(E, PO, ANY, "My ex is still threatening us and I am afraid to go to the police."),
    t(E, R, ANY, "A young person told me they are being hit at home, and I can only visit again in two weeks."),
];

/// English passing mentions of names and contact details.
#[rustfmt::skip]
pub(crate) const PII_EN: &[Tpl] = &[
    t(H, Y, ANY, "my mentor mr {achternaam}{@school} was honestly the only one who got it."),
    t(H, Y, ANY, "if anyone has the same thing you can text me on {telefoon}."),
    t(H, PO, ANY, "You can reach me at {email} if you have questions."),
    t(H, PO, ANY, "Our case worker, {voornaam} {achternaam}{@wijkteam}, really did her best."),
    t(H, R, ANY, "My colleague {voornaam} {achternaam} and I worked on this together."),
];
