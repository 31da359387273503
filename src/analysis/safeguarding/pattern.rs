//! Parses the lexicon files' small pattern language into flat token sequences, so that the
//! lexicon can stay a readable data file while matching stays a simple loop.
//!
//! The language itself is documented at the top of `lexicon_nl.txt`.

use std::collections::HashMap;
use std::fmt;

use super::DangerKind;
use super::text::normalize_word;

/// Shortest literal (in chars) that tolerates one typo; shorter Dutch words have too many
/// harmless neighbours ("geslagen"/"geslapen", "doodgaan"/"doorgaan").
pub(crate) const FUZZY_MIN_LITERAL: usize = 9;
/// Shortest prefix (in chars) that tolerates one typo.
pub(crate) const FUZZY_MIN_PREFIX: usize = 8;
/// Upper bound on the sequences one line may expand to; guards against accidental blow-up.
const MAX_EXPANSIONS: usize = 4096;

/// How one pattern word matches one text token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TokSpec {
    /// Normalised like text tokens (see `text::normalize_word`).
    pub text: String,
    /// `word*`: the token starts with `text`.
    pub prefix: bool,
    /// One edit (OSA distance) is tolerated; off for short words and for `=word`.
    pub fuzzy: bool,
    /// `=word`: no typo tolerance and no spelling variants.
    pub exact: bool,
}

/// One element of a flattened pattern; atom ids index the lexicon's atom table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FlatEl {
    /// The next token matches one of these atoms.
    Atoms(Vec<u32>),
    /// Skip 0..=n tokens (never a negation word, never across a sentence end).
    Gap(u8),
    /// Zero-width: the next token (if any, same sentence) matches none of these atoms.
    Not(Vec<u32>),
    /// Zero-width: the last matched token ends its clause.
    End,
}

/// A flattened pattern ready for matching.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub kind: DangerKind,
    /// Atoms the token just before the match must not match (leading `!x`).
    pub behind: Vec<u32>,
    /// Starts with `FlatEl::Atoms`.
    pub seq: Vec<FlatEl>,
    /// `file:line`, for debugging which pattern fired.
    pub origin: String,
}

/// A problem in a lexicon file, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// `file:line` of the offending entry.
    pub origin: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for LexiconError {}

/// Interns token specs so that every distinct word is checked once per text token.
#[derive(Debug, Default)]
pub(crate) struct AtomTable {
    pub specs: Vec<TokSpec>,
    ids: HashMap<TokSpec, u32>,
}

impl AtomTable {
    fn intern(&mut self, spec: TokSpec) -> u32 {
        if let Some(&id) = self.ids.get(&spec) {
            return id;
        }
        let id = self.specs.len() as u32;
        self.ids.insert(spec.clone(), id);
        self.specs.push(spec);
        id
    }
}

/// Everything read from the lexicon files.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub atoms: AtomTable,
    pub patterns: Vec<Compiled>,
    pub negations: Vec<u32>,
    pub ignores: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Open,
    Close,
    Bar,
    Bang,
    Word(String),
}

#[derive(Debug, Clone)]
enum Node {
    Word(TokSpec),
    Group(Vec<Vec<Node>>),
    Gap(u8),
    Not(Vec<TokSpec>),
    End,
}

fn lex(src: &str) -> Vec<Lex> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Lex>| {
        if !word.is_empty() {
            out.push(Lex::Word(std::mem::take(word)));
        }
    };
    for c in src.chars() {
        match c {
            '(' | ')' | '|' => {
                flush(&mut word, &mut out);
                out.push(match c {
                    '(' => Lex::Open,
                    ')' => Lex::Close,
                    _ => Lex::Bar,
                });
            }
            '!' if word.is_empty() => out.push(Lex::Bang),
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

fn word_spec(raw: &str) -> Result<TokSpec, String> {
    let exact = raw.starts_with('=');
    let body = raw.trim_start_matches('=');
    let prefix = body.ends_with('*');
    let body = body.trim_end_matches('*');
    if body.contains('*') || body.contains('=') {
        return Err(format!("`{raw}`: `*` only at the end, `=` only at the start"));
    }
    let (text, _) = normalize_word(body);
    if text.is_empty() {
        return Err(format!("`{raw}` has no letters or digits"));
    }
    let len = text.chars().count();
    let fuzzy = !exact && if prefix { len >= FUZZY_MIN_PREFIX } else { len >= FUZZY_MIN_LITERAL };
    Ok(TokSpec { text, prefix, fuzzy, exact })
}

struct Parser {
    toks: Vec<Lex>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lex> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Lex> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// seq := item*   (stops before `|`, `)` or the end)
    fn seq(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t, Lex::Bar | Lex::Close) {
                break;
            }
            nodes.push(self.item()?);
        }
        Ok(nodes)
    }

    fn group(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut branches = vec![self.seq()?];
        loop {
            match self.next() {
                Some(Lex::Bar) => branches.push(self.seq()?),
                Some(Lex::Close) => return Ok(branches),
                _ => return Err("unclosed `(`".into()),
            }
        }
    }

    fn item(&mut self) -> Result<Node, String> {
        match self.next() {
            Some(Lex::Open) => Ok(Node::Group(self.group()?)),
            Some(Lex::Bang) => match self.next() {
                Some(Lex::Word(w)) => Ok(Node::Not(vec![word_spec(&w)?])),
                Some(Lex::Open) => {
                    let mut specs = Vec::new();
                    collect_single_words(&self.group()?, &mut specs)?;
                    Ok(Node::Not(specs))
                }
                _ => Err("`!` must be followed by a word or a group".into()),
            },
            Some(Lex::Word(w)) => {
                if let Some(n) = w.strip_prefix('~') {
                    let n: u8 = n.parse().map_err(|_| format!("bad gap `{w}`"))?;
                    Ok(Node::Gap(n))
                } else if w == "$" {
                    Ok(Node::End)
                } else if w.starts_with('@') {
                    Err(format!("unknown macro `{w}`"))
                } else {
                    Ok(Node::Word(word_spec(&w)?))
                }
            }
            Some(Lex::Close) => Err("unexpected `)`".into()),
            Some(Lex::Bar) => Err("`|` outside a group".into()),
            None => Err("unexpected end of pattern".into()),
        }
    }
}

/// Flattens `(a|(b|c))` into words for a `!` guard, which only looks at one token.
fn collect_single_words(branches: &[Vec<Node>], out: &mut Vec<TokSpec>) -> Result<(), String> {
    for branch in branches {
        match branch.as_slice() {
            [Node::Word(s)] => out.push(s.clone()),
            [Node::Group(inner)] => collect_single_words(inner, out)?,
            _ => return Err("`!( … )` takes single words only".into()),
        }
    }
    Ok(())
}

fn parse_pattern(src: &str) -> Result<Vec<Node>, String> {
    let mut p = Parser { toks: lex(src), pos: 0 };
    let nodes = p.seq()?;
    if p.pos < p.toks.len() {
        return Err("unbalanced `)` or stray `|`".into());
    }
    Ok(nodes)
}

/// Expands groups into alternative flat sequences. Single-word branches of a group are merged
/// into one atom set, so `(vader|moeder|pa)` costs no expansion at all.
fn expand(nodes: &[Node], atoms: &mut AtomTable) -> Result<Vec<Vec<FlatEl>>, String> {
    let mut out: Vec<Vec<FlatEl>> = vec![Vec::new()];
    for node in nodes {
        let alts: Vec<Vec<FlatEl>> = match node {
            Node::Word(s) => vec![vec![FlatEl::Atoms(vec![atoms.intern(s.clone())])]],
            Node::Gap(n) => vec![vec![FlatEl::Gap(*n)]],
            Node::End => vec![vec![FlatEl::End]],
            Node::Not(specs) => {
                let ids = specs.iter().map(|s| atoms.intern(s.clone())).collect();
                vec![vec![FlatEl::Not(ids)]]
            }
            Node::Group(branches) => {
                let mut singles: Vec<u32> = Vec::new();
                let mut others: Vec<Vec<FlatEl>> = Vec::new();
                for b in branches {
                    for seq in expand(b, atoms)? {
                        match seq.as_slice() {
                            [FlatEl::Atoms(ids)] => singles.extend(ids),
                            _ => others.push(seq),
                        }
                    }
                }
                singles.sort_unstable();
                singles.dedup();
                if !singles.is_empty() {
                    others.insert(0, vec![FlatEl::Atoms(singles)]);
                }
                others
            }
        };
        if out.len() * alts.len() > MAX_EXPANSIONS {
            return Err(format!("pattern expands to more than {MAX_EXPANSIONS} sequences"));
        }
        let mut next = Vec::with_capacity(out.len() * alts.len());
        for prefix in &out {
            for alt in &alts {
                let mut s = prefix.clone();
                s.extend(alt.iter().cloned());
                next.push(s);
            }
        }
        out = next;
    }
    Ok(out)
}

/// Merges adjacent gaps, drops gaps at either end (they cannot change whether a text matches)
/// and splits off leading `!x` as a look-behind.
fn finish(seq: Vec<FlatEl>) -> Result<(Vec<u32>, Vec<FlatEl>), String> {
    let mut merged: Vec<FlatEl> = Vec::with_capacity(seq.len());
    for el in seq {
        match (merged.last_mut(), el) {
            (Some(FlatEl::Gap(a)), FlatEl::Gap(b)) => *a = a.saturating_add(b),
            (_, el) => merged.push(el),
        }
    }
    while matches!(merged.last(), Some(FlatEl::Gap(_))) {
        merged.pop();
    }
    let mut behind = Vec::new();
    let mut start = 0;
    while start < merged.len() {
        match &merged[start] {
            FlatEl::Gap(_) => {}
            FlatEl::Not(ids) => behind.extend(ids),
            FlatEl::Atoms(_) => break,
            FlatEl::End => return Err("`$` before the first word".into()),
        }
        start += 1;
    }
    if start == merged.len() {
        return Err("pattern has no word to match".into());
    }
    Ok((behind, merged.split_off(start)))
}

fn expand_macros(src: &str, macros: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(src.len());
    let mut chars = src.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '@' {
            out.push(c);
            continue;
        }
        let mut name = String::new();
        while let Some(&(_, n)) = chars.peek() {
            if n.is_ascii_alphanumeric() || n == '_' {
                name.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let body = macros.get(&name).ok_or_else(|| format!("unknown macro `@{name}`"))?;
        out.push('(');
        out.push_str(body);
        out.push(')');
    }
    Ok(out)
}

impl Parsed {
    /// Reads one lexicon file. Macros are per file, so each language file stands on its own.
    pub(crate) fn add_source(&mut self, file: &str, src: &str) -> Result<(), LexiconError> {
        let mut macros: HashMap<String, String> = HashMap::new();
        for (i, raw) in src.lines().enumerate() {
            let origin = format!("{file}:{}", i + 1);
            let err = |message: String| LexiconError { origin: origin.clone(), message };
            let line = raw.split_once('#').map_or(raw, |(l, _)| l).trim();
            if line.is_empty() {
                continue;
            }
            if let Some(def) = line.strip_prefix('@') {
                let (name, body) =
                    def.split_once('=').ok_or_else(|| err("macro needs `@name = body`".into()))?;
                let name = name.trim().to_string();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(err(format!("bad macro name `{name}`")));
                }
                let body = expand_macros(body.trim(), &macros).map_err(err)?;
                parse_pattern(&body).map_err(err)?;
                macros.insert(name, body);
                continue;
            }
            let (head, body) = line.split_once(':').ok_or_else(|| err("expected `kind: pattern`".into()))?;
            let body = expand_macros(body.trim(), &macros).map_err(err)?;
            match head.trim() {
                "negation" | "ignore" => {
                    let mut ids = Vec::new();
                    for w in body.split_whitespace() {
                        ids.push(self.atoms.intern(word_spec(w).map_err(err)?));
                    }
                    if head.trim() == "negation" {
                        self.negations.extend(ids);
                    } else {
                        self.ignores.extend(ids);
                    }
                }
                kind => {
                    let kind: DangerKind = kind.parse().map_err(err)?;
                    let nodes = parse_pattern(&body).map_err(err)?;
                    for seq in expand(&nodes, &mut self.atoms).map_err(err)? {
                        let (behind, seq) = finish(seq).map_err(err)?;
                        self.patterns.push(Compiled { kind, behind, seq, origin: origin.clone() });
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(src: &str) -> Parsed {
        let mut p = Parsed::default();
        p.add_source("test", src).unwrap();
        p
    }

    #[test]
    fn groups_of_single_words_do_not_expand() {
        let p = compile("@ouder = (vader|moeder)\nsuicide: @ouder ~2 (slaat|sloeg) (me|mn moeder)");
        // Two sequences: the `me` branch and the two-word `mn moeder` branch.
        assert_eq!(p.patterns.len(), 2);
        assert_eq!(p.patterns[0].seq.len(), 4);
        assert_eq!(p.patterns[1].seq.len(), 5);
    }

    #[test]
    fn optional_branch_and_lookbehind() {
        let p = compile("sexual_abuse: !(over|tegen) loverboy* (|zegt)");
        assert_eq!(p.patterns.len(), 2);
        assert_eq!(p.patterns[0].behind.len(), 2);
        assert!(p.atoms.specs.iter().any(|s| s.text == "loverboĳ" && s.prefix && s.fuzzy));
    }

    #[test]
    fn errors_name_the_line() {
        let mut p = Parsed::default();
        let e = p.add_source("x.txt", "\n\nsuicide: (ik wil").unwrap_err();
        assert_eq!(e.origin, "x.txt:3");
        let e = p.add_source("y.txt", "nonsense: ik").unwrap_err();
        assert!(e.message.contains("nonsense"));
        assert!(p.add_source("z.txt", "suicide: @nope").is_err());
    }
}
