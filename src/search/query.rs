//! The search language facilitators type, parsed into a small syntax tree with positions, so a
//! malformed query gets a message that points at where it went wrong.
//!
//! ```text
//! wachtlijst school              both words (AND)
//! wachtlijst OR wachttijd        either
//! "niet gehoord"                 a phrase
//! -school                        without
//! wacht*                         prefix
//! exact:wachtlijsten             exact word (no stemming, diacritics count)
//! perspective:youth  age:16-17  region:JZ01  lang:nl  flag:safeguarding  theme:wachtlijst
//! perspectief:jongere  regio:Utrecht  thema:"Informeel netwerk"   the names the UI shows
//! choice:gevoel=boos             a choice answer
//! regie>0.7  wat_telde.0>=0.5    signifier ranges (triad corner by number, 0 = first)
//! date>=2025-01-01  date<2026-01-01
//! (a OR b) -c                    grouping
//! ```
//!
//! Hand-written: tantivy's own query parser knows neither our per-language analysis nor our
//! facets and signifier fields, and its errors do not say where the query went wrong.

use crate::analysis::text;
use crate::domain::{AgeBand, Perspective, region};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, matched stemmed (and as a prefix when `prefix`).
    Word {
        text: String,
        prefix: bool,
    },
    /// Words in order, matched folded.
    Phrase(Vec<String>),
    /// An exact word or phrase: no stemming, no folding.
    Exact(Vec<String>),
    /// A label filter: facet path such as `/perspective/youth`.
    Facet(String),
    /// A signifier value range: path (`regie`, `wat_telde.0`) and bounds.
    Range {
        path: String,
        op: Op,
        value: f64,
    },
    /// Created date range.
    Date {
        op: Op,
        date: time::Date,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "=",
        })
    }
}

/// What is wrong with a query, and where (a character offset into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (bij teken {})", self.message, self.at + 1)
    }
}

impl QueryError {
    /// The query with a marker under the place it went wrong, for a monospaced display.
    pub fn pointer(&self, query: &str) -> String {
        let width = query.chars().count().max(self.at + 1);
        let mut line: String = " ".repeat(self.at.min(width));
        line.push('^');
        line
    }
}

/// Label filters and the facet they use.
const FACET_FIELDS: &[(&str, &str)] = &[
    ("perspective", "perspective"),
    ("perspectief", "perspective"),
    ("age", "age"),
    ("leeftijd", "age"),
    ("region", "region"),
    ("regio", "region"),
    ("municipality", "municipality"),
    ("gemeente", "municipality"),
    ("lang", "language"),
    ("language", "language"),
    ("taal", "language"),
    ("flag", "flag"),
    ("signaal", "flag"),
    ("theme", "theme"),
    ("thema", "theme"),
    ("campaign", "campaign"),
    ("campagne", "campaign"),
];

/// What filters may name that only the database knows: the themes and campaigns in view.
/// `None` means not known to the caller (a rule, a benchmark): the value is taken as an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    /// Themes as (id, name).
    pub themes: Option<Vec<(String, String)>>,
    /// Campaigns as (id, slug, title).
    pub campaigns: Option<Vec<(String, String, String)>>,
}

/// Whether `name` holds `value` as a whole word or run of words ("Utrecht" in "Utrecht Stad").
fn has_words(name: &str, value: &str) -> bool {
    let words: Vec<String> = text::words(name).map(|(_, w)| text::fold(w)).collect();
    let wanted: Vec<String> = text::words(value).map(|(_, w)| text::fold(w)).collect();
    !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// The places a filter value names: a code, a name, or every place with those words in its name.
fn places<'a>(all: &'a [region::Place], value: &str) -> Vec<&'a region::Place> {
    let code = value.trim().to_uppercase();
    let key = text::fold(value.trim());
    if let Some(p) = all.iter().find(|p| p.code == code) {
        return vec![p];
    }
    if let Some(p) = all.iter().find(|p| text::fold(&p.name) == key) {
        return vec![p];
    }
    all.iter().filter(|p| has_words(&p.name, value)).collect()
}

/// A list of names for a message, shortened when it is long.
fn listing(mut names: Vec<String>, max: usize) -> String {
    names.sort_by_key(|n| text::fold(n));
    names.dedup();
    let more = names.len().saturating_sub(max);
    names.truncate(max);
    let mut out = names.join(", ");
    if more > 0 {
        out.push_str(&format!(" en nog {more}"));
    }
    out
}

fn perspective(key: &str) -> Option<Perspective> {
    let aliases: &[(&str, Perspective)] = &[
        ("jongeren", Perspective::Youth),
        ("jeugd", Perspective::Youth),
        ("kind", Perspective::Youth),
        ("ouders", Perspective::Parent),
        ("verzorger", Perspective::Parent),
        ("professionals", Perspective::Professional),
        ("prof", Perspective::Professional),
        ("overig", Perspective::Other),
    ];
    Perspective::ALL
        .into_iter()
        .find(|p| {
            [p.as_str(), p.noun(crate::domain::Lang::Nl), p.noun(crate::domain::Lang::En)].contains(&key)
        })
        .or_else(|| aliases.iter().find(|(a, _)| *a == key).map(|(_, p)| *p))
}

fn age_band(key: &str) -> Option<AgeBand> {
    let squash =
        |s: &str| s.replace(['–', '—'], "-").chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let key = squash(key);
    if let Some(a) = AgeBand::ALL.into_iter().find(|a| {
        key == a.code()
            || key == text::fold(&squash(a.label(crate::domain::Lang::Nl)))
            || key == text::fold(&squash(a.label(crate::domain::Lang::En)))
    }) {
        return Some(a);
    }
    // An age in years: the band it falls in.
    let years: u32 = key.parse().ok()?;
    Some(match years {
        0..=11 => AgeBand::Under12,
        12..=15 => AgeBand::From12To15,
        16..=17 => AgeBand::From16To17,
        18..=22 => AgeBand::From18To22,
        23..=29 => AgeBand::From23To29,
        30..=49 => AgeBand::From30To49,
        _ => AgeBand::From50,
    })
}

/// A theme filter value: a theme (id or name) with an optional `/state` behind it.
fn theme_paths(value: &str, names: &Names) -> Result<Vec<String>, String> {
    let states = [
        ("accepted", "accepted"),
        ("geaccepteerd", "accepted"),
        ("suggested", "suggested"),
        ("voorgesteld", "suggested"),
        ("rejected", "rejected"),
        ("afgewezen", "rejected"),
    ];
    let (theme, state) = match value.rsplit_once('/') {
        Some((t, s)) => match states.iter().find(|(n, _)| *n == text::fold(s)) {
            Some((_, state)) => (t, *state),
            None => {
                return Err(format!(
                    "'{s}' is geen stand van een tag. Gebruik geaccepteerd, voorgesteld of afgewezen (accepted, suggested, rejected)."
                ));
            }
        },
        None => (value, "accepted"),
    };
    let Some(themes) = &names.themes else { return Ok(vec![format!("/theme/{theme}/{state}")]) };
    let key = text::fold(theme.trim());
    let mut ids: Vec<&str> = themes.iter().filter(|(id, _)| id == theme).map(|(id, _)| id.as_str()).collect();
    if ids.is_empty() {
        // One name can stand for a theme in several campaigns (copied from the global codebook).
        ids = themes.iter().filter(|(_, n)| text::fold(n) == key).map(|(id, _)| id.as_str()).collect();
    }
    if ids.is_empty() {
        return Err(if themes.is_empty() {
            format!("Er is geen thema '{theme}': de campagnes die je ziet hebben nog geen thema's.")
        } else {
            format!(
                "Er is geen thema '{theme}'. Thema's die je kunt kiezen: {}.",
                listing(themes.iter().map(|(_, n)| n.clone()).collect(), 40)
            )
        });
    }
    Ok(ids.into_iter().map(|id| format!("/theme/{id}/{state}")).collect())
}

/// The facet paths a `field:value` filter stands for, or what to type instead.
fn facet_paths(facet: &str, value: &str, names: &Names) -> Result<Vec<String>, String> {
    let key = text::fold(value.trim());
    let paths = match facet {
        "perspective" => perspective(&key).map(|p| vec![format!("/perspective/{}", p.as_str())]).ok_or_else(
            || format!("Perspectief '{value}' bestaat niet. Gebruik jongere, ouder, professional of anders (youth, parent, professional, other)."),
        )?,
        "age" => age_band(&key).map(|a| vec![format!("/age/{}", a.code())]).ok_or_else(|| {
            format!(
                "Leeftijd '{value}' kennen we niet. Gebruik een leeftijd in jaren of een van: {}.",
                AgeBand::ALL.map(|a| a.code()).join(", ")
            )
        })?,
        "region" => {
            let found = places(region::regions(), value);
            if found.is_empty() {
                return Err(format!(
                    "Er is geen jeugdregio '{value}'. Gebruik de code (zoals JZ22) of de naam van een regio: {}.",
                    listing(region::regions().iter().map(|p| p.name.clone()).collect(), 50)
                ));
            }
            found.into_iter().map(|p| format!("/region/{}", p.code)).collect()
        }
        "municipality" => {
            let found = places(region::municipalities(), value);
            if found.is_empty() {
                return Err(format!(
                    "Er is geen gemeente '{value}'. Gebruik de CBS-code (zoals GM0344) of de naam, zoals Utrecht of 's-Gravenhage."
                ));
            }
            found.into_iter().map(|p| format!("/municipality/{}", p.code)).collect()
        }
        "language" => {
            let code = match key.as_str() {
                "nederlands" | "dutch" | "nl" => "nl".to_string(),
                "engels" | "english" | "en" => "en".to_string(),
                other if (2..=3).contains(&other.len()) && other.chars().all(|c| c.is_ascii_lowercase()) => {
                    other.to_string()
                }
                _ => {
                    return Err(format!(
                        "Taal '{value}' kennen we niet. Gebruik nl (Nederlands), en (Engels) of een andere taalcode van twee letters."
                    ));
                }
            };
            vec![format!("/language/{code}")]
        }
        "flag" => match key.as_str() {
            "safeguarding" | "veiligheid" | "zorgsignaal" | "signaal" | "aandacht" => {
                vec!["/flag/safeguarding".to_string()]
            }
            _ => {
                return Err(format!(
                    "Signaal '{value}' bestaat niet. Gebruik signaal:veiligheid (flag:safeguarding): verhalen die aandacht vragen."
                ));
            }
        },
        "theme" => theme_paths(value, names)?,
        "campaign" => match &names.campaigns {
            None => vec![format!("/campaign/{value}")],
            Some(campaigns) => {
                let ids: Vec<&str> = campaigns
                    .iter()
                    .filter(|(id, slug, title)| id == value || text::fold(slug) == key || text::fold(title) == key)
                    .map(|(id, _, _)| id.as_str())
                    .collect();
                if ids.is_empty() {
                    return Err(format!(
                        "Er is geen campagne '{value}' die je kunt doorzoeken. Gebruik de code of de titel: {}.",
                        listing(campaigns.iter().map(|(_, slug, _)| slug.clone()).collect(), 40)
                    ));
                }
                ids.into_iter().map(|id| format!("/campaign/{id}")).collect()
            }
        },
        other => vec![format!("/{other}/{value}")],
    };
    Ok(paths)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Minus,
    Open,
    Close,
    Or,
}

fn lex(q: &str) -> Result<Vec<(usize, Tok)>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            let start = i;
            i += 1;
            let mut s = String::new();
            while i < chars.len() && !matches!(chars[i], '"' | '“' | '”') {
                s.push(chars[i]);
                i += 1;
            }
            if i == chars.len() {
                return Err(QueryError {
                    at: start,
                    message: "Hier begint een zin tussen aanhalingstekens die niet wordt afgesloten. Zet er een \" achter.".into(),
                });
            }
            i += 1;
            out.push((start, Tok::Quoted(s)));
        } else if c == '(' {
            out.push((i, Tok::Open));
            i += 1;
        } else if c == ')' {
            out.push((i, Tok::Close));
            i += 1;
        } else if c == '-'
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
            && i + 1 < chars.len()
            && !chars[i + 1].is_whitespace()
        {
            out.push((i, Tok::Minus));
            i += 1;
        } else {
            let start = i;
            let mut s = String::new();
            while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')') {
                // A quote inside a filter value ("theme:\"x y\"") starts a quoted value.
                if matches!(chars[i], '"' | '“' | '”') {
                    let qs = i;
                    i += 1;
                    while i < chars.len() && !matches!(chars[i], '"' | '“' | '”') {
                        s.push(chars[i]);
                        i += 1;
                    }
                    if i == chars.len() {
                        return Err(QueryError {
                            at: qs,
                            message: "Dit aanhalingsteken wordt niet afgesloten.".into(),
                        });
                    }
                    i += 1;
                    continue;
                }
                s.push(chars[i]);
                i += 1;
            }
            if s == "OR" || s == "OF" {
                out.push((start, Tok::Or));
            } else {
                out.push((start, Tok::Word(s)));
            }
        }
    }
    Ok(out)
}

/// Longest query text, in characters. A rule or a search is a few words; this is generous.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most words, phrases and filters in one query.
pub const MAX_TERMS: usize = 100;
/// Deepest nesting of `(`…`)` and `-`: the parser is recursive, and its stack must not be the
/// limit (a few thousand `(` overflowed it and took the whole process down).
pub const MAX_DEPTH: usize = 32;
/// Most `wacht*` prefix words in one query: each one can expand to many words.
pub const MAX_PREFIXES: usize = 10;

struct Parser<'n> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    len: usize,
    depth: usize,
    names: &'n Names,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(a, _)| *a).unwrap_or(self.len)
    }

    /// and := or+
    fn and(&mut self, nested: bool) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(Tok::Close) if nested => break,
                Some(Tok::Close) => {
                    return Err(QueryError {
                        at: self.at(),
                        message: "Hier staat een ) zonder ( ervoor. Haal hem weg.".into(),
                    });
                }
                _ => items.push(self.or()?),
            }
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::And(items) })
    }

    /// or := unary (OR unary)*
    fn or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                return Err(QueryError { at, message: "Na OR moet nog een woord komen.".into() });
            }
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::Or(items) })
    }

    /// Enters one level of `(` or `-`; refuses to go deeper than `MAX_DEPTH`.
    fn descend(&mut self, at: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError {
                at,
                message: format!(
                    "De zoekopdracht is te diep genest: gebruik hooguit {MAX_DEPTH} haakjes of mintekens in elkaar."
                ),
            });
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        let at = self.at();
        match self.toks.get(self.pos).cloned() {
            None => Err(QueryError { at, message: "Hier verwachtten we nog een woord.".into() }),
            Some((_, Tok::Minus)) => {
                self.pos += 1;
                if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                    return Err(QueryError {
                        at,
                        message: "Na het minteken moet staan wat je wilt uitsluiten.".into(),
                    });
                }
                self.descend(at)?;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Node::Not(Box::new(inner)))
            }
            Some((_, Tok::Open)) => {
                self.pos += 1;
                self.descend(at)?;
                let inner = self.and(true)?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError {
                        at,
                        message: "Deze ( wordt niet gesloten. Zet er een ) achter.".into(),
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            Some((_, Tok::Close)) => {
                Err(QueryError { at, message: "Hier staat een ) zonder ( ervoor. Haal hem weg.".into() })
            }
            Some((_, Tok::Or)) => {
                Err(QueryError { at, message: "OR moet tussen twee woorden staan.".into() })
            }
            Some((_, Tok::Quoted(s))) => {
                self.pos += 1;
                let words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
                if words.is_empty() {
                    return Err(QueryError { at, message: "Tussen de aanhalingstekens staat niets.".into() });
                }
                Ok(Node::Phrase(words))
            }
            Some((_, Tok::Word(w))) => {
                self.pos += 1;
                word(&w, at, self.names)
            }
        }
    }
}

fn parse_number(s: &str, at: usize) -> Result<f64, QueryError> {
    s.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| QueryError {
        at,
        message: format!("'{s}' is geen getal. Gebruik een getal tussen 0 en 1, zoals 0.7."),
    })
}

fn split_op(w: &str) -> Option<(&str, Op, &str)> {
    for (token, op) in
        [(">=", Op::Ge), ("<=", Op::Le), ("≥", Op::Ge), ("≤", Op::Le), (">", Op::Gt), ("<", Op::Lt)]
    {
        if let Some(i) = w.find(token) {
            return Some((&w[..i], op, &w[i + token.len()..]));
        }
    }
    None
}

fn is_path(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn word(w: &str, at: usize, names: &Names) -> Result<Node, QueryError> {
    if let Some((name, op, value)) = split_op(w) {
        if name.is_empty() || value.is_empty() {
            return Err(QueryError {
                at,
                message: format!("'{w}' is onvolledig: schrijf bijvoorbeeld regie>0.7 of date>=2025-01-01."),
            });
        }
        if name == "date" || name == "datum" {
            let date = time::Date::parse(value, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| QueryError {
                    at,
                    message: format!("'{value}' is geen datum. Schrijf een datum als 2025-01-31."),
                })?;
            return Ok(Node::Date { op, date });
        }
        if !is_path(name) {
            return Err(QueryError {
                at,
                message: format!(
                    "'{name}' is geen vraag-id. Gebruik de id van de vraag, zoals regie of wat_telde.0."
                ),
            });
        }
        return Ok(Node::Range { path: name.to_string(), op, value: parse_number(value, at)? });
    }
    if let Some((field, value)) = w.split_once(':') {
        let field_lc = field.to_lowercase();
        if value.is_empty() {
            return Err(QueryError {
                at,
                message: format!("Na '{field}:' moet een waarde komen, bijvoorbeeld {field}:…"),
            });
        }
        if field_lc == "exact" {
            return Ok(Node::Exact(value.split_whitespace().map(str::to_string).collect()));
        }
        if field_lc == "choice" || field_lc == "keuze" {
            let Some((sig, opt)) = value.split_once('=') else {
                return Err(QueryError {
                    at,
                    message: "Schrijf een keuze als choice:vraag=antwoord, bijvoorbeeld choice:gevoel=boos."
                        .into(),
                });
            };
            return Ok(Node::Facet(format!("/choice/{sig}/{opt}")));
        }
        if let Some((_, facet)) = FACET_FIELDS.iter().find(|(name, _)| *name == field_lc) {
            // A filter that names nothing would silently find nothing: say what exists instead.
            let mut paths = facet_paths(facet, value, names).map_err(|message| QueryError { at, message })?;
            return Ok(if paths.len() == 1 {
                Node::Facet(paths.remove(0))
            } else {
                Node::Or(paths.into_iter().map(Node::Facet).collect())
            });
        }
        // Not one of ours: "jeugdzorg:" in a sentence is just a word with a colon.
        if field.chars().all(char::is_alphabetic) && value.chars().all(|c| c.is_alphanumeric()) {
            let known: Vec<&str> = FACET_FIELDS.iter().map(|(n, _)| *n).collect();
            return Err(QueryError {
                at,
                message: format!(
                    "Het filter '{field}:' bestaat niet. Gebruik een van: {}, keuze: (choice:), exact:.",
                    known.iter().map(|n| format!("{n}:")).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    let (text, prefix) = match w.strip_suffix('*') {
        Some(stem) if stem.chars().count() >= 2 => (stem, true),
        Some(_) => {
            return Err(QueryError {
                at,
                message: "Zet voor de * minstens twee letters, bijvoorbeeld wacht*.".into(),
            });
        }
        None => (w, false),
    };
    if text.contains('*') {
        return Err(QueryError { at, message: "Een * mag alleen aan het eind van een woord staan.".into() });
    }
    Ok(Node::Word { text: text.to_string(), prefix })
}

/// Parses a query; an empty query is `None` (everything, filtered by facets only). Theme and
/// campaign values are taken as ids (see `parse_with` for names).
///
/// Every caller is safe from hostile input here: the text, the number of terms, the nesting
/// depth and the number of prefix words are capped before anything recursive or costly runs.
pub fn parse(q: &str) -> Result<Option<Node>, QueryError> {
    parse_with(q, &Names::default())
}

/// Parses a query whose theme and campaign filters may use the names in `names`.
pub fn parse_with(q: &str, names: &Names) -> Result<Option<Node>, QueryError> {
    let len = q.chars().count();
    if len > MAX_QUERY_CHARS {
        return Err(QueryError {
            at: MAX_QUERY_CHARS,
            message: format!(
                "De zoekopdracht is te lang ({len} tekens): gebruik hooguit {MAX_QUERY_CHARS} tekens."
            ),
        });
    }
    let toks = lex(q)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut terms = toks.iter().filter(|(_, t)| matches!(t, Tok::Word(_) | Tok::Quoted(_)));
    if let Some((at, _)) = terms.nth(MAX_TERMS) {
        return Err(QueryError {
            at: *at,
            message: format!("De zoekopdracht heeft te veel woorden: gebruik er hooguit {MAX_TERMS}."),
        });
    }
    let mut prefixes =
        toks.iter().filter(|(_, t)| matches!(t, Tok::Word(w) if w.ends_with('*') && !w.contains(':')));
    if let Some((at, _)) = prefixes.nth(MAX_PREFIXES) {
        return Err(QueryError {
            at: *at,
            message: format!(
                "Gebruik hooguit {MAX_PREFIXES} woorden met een * in één zoekopdracht; schrijf de andere voluit."
            ),
        });
    }
    let mut p = Parser { toks, pos: 0, len, depth: 0, names };
    let node = p.and(false)?;
    if let Node::Not(_) = &node {
        // A query of only exclusions is fine: everything except.
    }
    Ok(Some(node))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word { text: s.into(), prefix: false }
    }

    #[test]
    fn words_phrases_or_and_exclusion() {
        assert_eq!(parse("wachtlijst").unwrap(), Some(w("wachtlijst")));
        assert_eq!(parse("wachtlijst school").unwrap(), Some(Node::And(vec![w("wachtlijst"), w("school")])));
        assert_eq!(
            parse("wachtlijst OR wachttijd -school").unwrap(),
            Some(Node::And(vec![
                Node::Or(vec![w("wachtlijst"), w("wachttijd")]),
                Node::Not(Box::new(w("school")))
            ]))
        );
        assert_eq!(
            parse("\"niet gehoord\"").unwrap(),
            Some(Node::Phrase(vec!["niet".into(), "gehoord".into()]))
        );
        assert_eq!(parse("wacht*").unwrap(), Some(Node::Word { text: "wacht".into(), prefix: true }));
        assert_eq!(
            parse("(a OR b) c").unwrap(),
            Some(Node::And(vec![Node::Or(vec![w("a"), w("b")]), w("c")]))
        );
    }

    #[test]
    fn filters_and_ranges() {
        assert_eq!(parse("perspective:youth").unwrap(), Some(Node::Facet("/perspective/youth".into())));
        assert_eq!(parse("regio:jz01").unwrap(), Some(Node::Facet("/region/JZ01".into())));
        assert_eq!(parse("choice:gevoel=boos").unwrap(), Some(Node::Facet("/choice/gevoel/boos".into())));
        assert_eq!(
            parse("theme:wachtlijst").unwrap(),
            Some(Node::Facet("/theme/wachtlijst/accepted".into()))
        );
        assert_eq!(
            parse("regie>0.7").unwrap(),
            Some(Node::Range { path: "regie".into(), op: Op::Gt, value: 0.7 })
        );
        assert_eq!(
            parse("wat_telde.0>=0,5").unwrap(),
            Some(Node::Range { path: "wat_telde.0".into(), op: Op::Ge, value: 0.5 })
        );
        assert!(matches!(parse("date>=2025-01-01").unwrap(), Some(Node::Date { op: Op::Ge, .. })));
        assert_eq!(parse("exact:wachtlijsten").unwrap(), Some(Node::Exact(vec!["wachtlijsten".into()])));
        assert_eq!(parse("  ").unwrap(), None);
    }

    #[test]
    fn dutch_field_and_value_names_mean_what_the_ui_shows() {
        let facet = |s: &str| Some(Node::Facet(s.into()));
        assert_eq!(parse("perspectief:jongere").unwrap(), facet("/perspective/youth"));
        assert_eq!(parse("perspectief:Ouder").unwrap(), facet("/perspective/parent"));
        assert_eq!(parse("leeftijd:16").unwrap(), facet("/age/16-17"));
        assert_eq!(parse("leeftijd:\"50 of ouder\"").unwrap(), facet("/age/50+"));
        assert_eq!(parse("taal:nederlands").unwrap(), facet("/language/nl"));
        assert_eq!(parse("signaal:veiligheid").unwrap(), facet("/flag/safeguarding"));
        assert_eq!(parse("regio:\"utrecht stad\"").unwrap(), facet("/region/JZ22"));
        assert_eq!(parse("gemeente:Utrecht").unwrap(), facet("/municipality/GM0344"));
        // A name in several regions stands for all of them.
        let Some(Node::Or(utrecht)) = parse("region:Utrecht").unwrap() else { panic!("an OR of regions") };
        assert!(utrecht.contains(&Node::Facet("/region/JZ22".into())), "{utrecht:?}");
        assert_eq!(utrecht.len(), 3, "Utrecht West, Utrecht Stad, Zuidoost Utrecht: {utrecht:?}");
    }

    #[test]
    fn themes_and_campaigns_by_name_when_the_names_are_known() {
        let names = Names {
            themes: Some(vec![
                ("t1".into(), "Informeel netwerk".into()),
                ("t2".into(), "Informeel netwerk".into()),
                ("t3".into(), "Wachtlijst".into()),
            ]),
            campaigns: Some(vec![("c1".into(), "jeugd-2025".into(), "Jeugd in beeld".into())]),
        };
        assert_eq!(
            parse_with("theme:\"informeel netwerk\"", &names).unwrap(),
            Some(Node::Or(vec![
                Node::Facet("/theme/t1/accepted".into()),
                Node::Facet("/theme/t2/accepted".into())
            ]))
        );
        assert_eq!(parse_with("thema:t3", &names).unwrap(), Some(Node::Facet("/theme/t3/accepted".into())));
        assert_eq!(
            parse_with("thema:Wachtlijst/voorgesteld", &names).unwrap(),
            Some(Node::Facet("/theme/t3/suggested".into()))
        );
        assert_eq!(
            parse_with("campagne:jeugd-2025", &names).unwrap(),
            Some(Node::Facet("/campaign/c1".into()))
        );
        let e = parse_with("school thema:Pesten", &names).unwrap_err();
        assert_eq!(e.at, 7);
        assert!(e.message.contains("Informeel netwerk, Wachtlijst"), "{}", e.message);
        assert!(parse_with("campaign:x", &names).unwrap_err().message.contains("jeugd-2025"));
    }

    #[test]
    fn an_unknown_filter_value_says_which_names_exist() {
        let e = parse("perspectief:tiener").unwrap_err();
        assert!(e.message.contains("jongere, ouder, professional"), "{}", e.message);
        assert!(parse("perspective:alien").unwrap_err().message.contains("jongere"));
        assert!(parse("region:Atlantis").unwrap_err().message.contains("Utrecht Stad"));
        assert!(parse("leeftijd:oud").unwrap_err().message.contains("16-17"));
        assert!(parse("signaal:rood").unwrap_err().message.contains("veiligheid"));
        assert!(parse("kleur:rood").unwrap_err().message.contains("perspectief:"));
    }

    #[test]
    fn malformed_queries_say_where_and_what_to_do() {
        let e = parse("wachtlijst \"niet gehoord").unwrap_err();
        assert_eq!(e.at, 11);
        assert!(e.message.contains("niet wordt afgesloten"));
        assert_eq!(e.pointer("wachtlijst \"niet gehoord"), "           ^");
        assert!(parse("a OR").unwrap_err().message.contains("Na OR"));
        assert!(parse("(a b").unwrap_err().message.contains("niet gesloten"));
        assert_eq!(parse("a b)").unwrap_err().at, 3);
        assert!(parse("regie>veel").unwrap_err().message.contains("geen getal"));
        assert!(parse("date>gisteren").unwrap_err().message.contains("geen datum"));
        assert!(parse("kleur:rood").unwrap_err().message.contains("bestaat niet"));
        assert!(parse("*").unwrap_err().message.contains("twee letters"));
        assert!(parse("-").unwrap().is_some(), "a lone minus is a word");
    }

    #[test]
    fn deep_nesting_is_refused_before_it_can_overflow_the_stack() {
        let deep = format!("{}school{}", "(".repeat(5_000), ")".repeat(5_000));
        let e = parse(&deep[..MAX_QUERY_CHARS.min(deep.len())]).unwrap_err();
        assert!(e.message.contains("genest"), "{}", e.message);
        // Run the deepest allowed query on a small stack, as a worker thread would.
        let ok = format!("{}school{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        let handle = std::thread::Builder::new().stack_size(256 * 1024).spawn(move || parse(&ok)).unwrap();
        assert_eq!(handle.join().unwrap().unwrap(), Some(w("school")));
        let too_deep = format!("{}school{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(parse(&too_deep).unwrap_err().message.contains("genest"));
        let minus = format!("{}school", "-(".repeat(MAX_DEPTH));
        assert!(parse(&minus).is_err());
    }

    #[test]
    fn long_queries_many_terms_and_many_prefixes_are_refused_with_a_message() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(parse(&long).unwrap_err().message.contains("te lang"));
        let many = vec!["woord"; MAX_TERMS + 1].join(" ");
        assert!(parse(&many).unwrap_err().message.contains("te veel woorden"));
        assert!(parse(&vec!["woord"; MAX_TERMS].join(" ")).is_ok());
        let prefixes = ["wa*"; MAX_PREFIXES + 1].join(" OR ");
        assert!(parse(&prefixes).unwrap_err().message.contains("hooguit"));
        assert!(parse(&["wa*"; MAX_PREFIXES].join(" OR ")).is_ok());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// Query syntax pieces in any order, so the parser meets unbalanced brackets, dangling
    /// operators, empty filters and stray quotes, not only random bytes.
    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "AND",
                "OR",
                "NOT",
                "(",
                ")",
                "\"",
                "*",
                "-",
                "perspectief:",
                "perspective:",
                "thema:",
                "theme:",
                "exact:",
                "keuze:",
                "choice:",
                "regio:",
                "leeftijd:",
                "wacht*",
                "w*",
                "jeugdzorg:",
                "youth",
                "\"wachtlijst te lang\"",
                "((",
                "))",
                ":",
                "::",
            ])
            .prop_map(str::to_string),
            "[a-zé]{1,10}\\*?",
            "\\PC{0,8}",
        ]
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

        /// Hostile or broken queries get an answer, never a panic, and an error points inside
        /// the query.
        #[test]
        fn the_query_parser_never_panics(tokens in prop::collection::vec(token(), 0..40), raw in "\\PC{0,200}") {
            for q in [tokens.join(" "), tokens.concat(), raw] {
                if let Err(e) = parse(&q) {
                    prop_assert!(e.at <= q.chars().count(), "error at {} in a query of {} chars", e.at, q.chars().count());
                }
            }
        }
    }
}
