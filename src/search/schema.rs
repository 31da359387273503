//! The index schema and the tokenizers registered in tantivy by name. The text is analysed by
//! the shared pipeline in `analysis::text`, per story language, and handed to tantivy
//! pre-tokenized, so one `text` field serves Dutch, English and other stories alike.

use crate::analysis::text::{self, Analyzer};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, JsonObjectOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Bumped whenever fields or analysis change; an index of another version is rebuilt on start.
pub const SCHEMA_VERSION: u32 = 4;

/// Names of the analysers in tantivy's tokenizer registry.
pub const EXACT: &str = "luister_exact";
pub const FOLDED: &str = "luister_folded";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Story id: `STRING | STORED`, the key for deletes and updates.
    pub id: Field,
    pub campaign: Field,
    /// Every filterable label as a facet: `/perspective/youth`, `/age/16-17`, `/region/JZ01`,
    /// `/language/nl`, `/flag/safeguarding`, `/theme/<theme>/<state>` (tags).
    pub facets: Field,
    /// Choice answers as facets, `/choice/<signifier>/<option>`: a field of their own because
    /// they are many per story and only worth counting within one campaign's form.
    pub choices: Field,
    pub created: Field,
    /// Signifier answers as numbers, for range filters: `{"regie": 0.7, "wat_hielp": {"0": 0.2, …}}`.
    pub sig: Field,
    /// Stemmed, folded, stop words out, each story by its own language: what plain words match.
    /// The text goes in with a language tag in front (`tagged_text`) that the registered
    /// `luister_stemmed` tokenizer reads to pick the analyser; a query word is looked up under
    /// every analyser's stem — mostly one and the same term.
    pub text: Field,
    /// Folded, not stemmed, stop words kept: phrases, and "één" meeting "een".
    pub folded: Field,
    /// Lower case with diacritics, not stemmed: exact words and exact phrases.
    pub exact: Field,
    /// Stored for results and snippets (the index never needs the database to show a hit).
    pub title: Field,
    pub body: Field,
    pub perspective: Field,
    pub language: Field,
}

fn indexed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

/// Name of the tokenizer that stems each story by the language tag in front of its text.
pub const STEMMED: &str = "luister_stemmed";

/// Marks the start and end of the language tag (a control character no story text contains:
/// the form and the importer strip control characters).
const TAG: char = '\u{1}';

/// The story text with its language in front, as the `text` field expects it.
pub fn tagged_text(language: &str, text: &str) -> String {
    format!("{TAG}{language}{TAG}{text}")
}

/// Splits a tagged text into its analyser and the text (untagged text: Dutch).
fn untag(text: &str) -> (Analyzer, &str, usize) {
    if let Some(rest) = text.strip_prefix(TAG)
        && let Some(end) = rest.find(TAG)
    {
        let offset = TAG.len_utf8() * 2 + end;
        return (Analyzer::for_language(&rest[..end]), &rest[end + TAG.len_utf8()..], offset);
    }
    (Analyzer::Dutch, text, 0)
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let campaign = b.add_text_field("campaign", STRING | STORED | FAST);
    let facets = b.add_facet_field("facets", INDEXED);
    let choices = b.add_facet_field("choices", INDEXED);
    let created = b.add_date_field("created", INDEXED | FAST | STORED);
    let sig = b.add_json_field(
        "sig",
        JsonObjectOptions::default().set_fast("raw").set_indexing_options(
            TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
        ),
    );
    // Words are scored on the stemmed fields (frequencies, no positions); phrases run on the
    // folded and exact fields, which keep positions. Every field runs a registered pipeline
    // tokenizer over plain text (pre-tokenized text would travel through tantivy as JSON).
    let text = b.add_text_field("text", indexed(STEMMED, IndexRecordOption::WithFreqs));
    let folded = b.add_text_field("folded", indexed(FOLDED, IndexRecordOption::WithFreqsAndPositions));
    let exact = b.add_text_field("exact", indexed(EXACT, IndexRecordOption::WithFreqsAndPositions));
    let title = b.add_text_field("title", STORED);
    let body = b.add_text_field("body", STORED);
    let perspective = b.add_text_field("perspective", STRING | STORED);
    let language = b.add_text_field("language", STRING | STORED);
    let fields = Fields {
        id,
        campaign,
        facets,
        choices,
        created,
        sig,
        text,
        folded,
        exact,
        title,
        body,
        perspective,
        language,
    };
    (b.build(), fields)
}

/// Which variant of the shared pipeline a registered tokenizer runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Stemmed(Analyzer),
    /// Stemmed by the language tag in front of the text.
    Tagged,
    Folded,
    Exact,
}

/// The shared text pipeline as a tantivy `Tokenizer`, registered under its name.
#[derive(Clone)]
pub struct PipelineTokenizer {
    variant: Variant,
}

impl PipelineTokenizer {
    pub fn new(variant: Variant) -> PipelineTokenizer {
        PipelineTokenizer { variant }
    }

    /// The tokens of `text`, in tantivy's form.
    pub fn tokens(variant: Variant, text: &str) -> Vec<Token> {
        let ours = match variant {
            Variant::Tagged => {
                let (a, rest, offset) = untag(text);
                // One pass over the words gives all three fields' tokens; the folded and exact
                // ones wait here for the next two fields of the same document (tantivy indexes
                // a document's fields in schema order on one thread). Word segmentation was the
                // largest single cost of bulk indexing.
                let (mut tokens, folded, exact) = text::analyze_all(rest, a);
                LAST.with(|last| *last.borrow_mut() = Some((rest.to_string(), Some(folded), Some(exact))));
                for t in &mut tokens {
                    t.start += offset;
                    t.end += offset;
                }
                tokens
            }
            Variant::Stemmed(a) => text::analyze(text, a),
            Variant::Folded => take_last(text, |l| l.1.take()).unwrap_or_else(|| text::analyze_folded(text)),
            Variant::Exact => take_last(text, |l| l.2.take()).unwrap_or_else(|| text::analyze_exact(text)),
        };
        ours.into_iter()
            .map(|t| Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect()
    }
}

type Analysed = (String, Option<Vec<text::Token>>, Option<Vec<text::Token>>);

thread_local! {
    /// The plain text last analysed for the stemmed field, with its folded and exact tokens.
    static LAST: std::cell::RefCell<Option<Analysed>> = const { std::cell::RefCell::new(None) };
}

/// The cached tokens of `text` for one field, if `text` is the one last analysed.
fn take_last(
    text: &str,
    pick: impl FnOnce(&mut Analysed) -> Option<Vec<text::Token>>,
) -> Option<Vec<text::Token>> {
    LAST.with(|last| match last.borrow_mut().as_mut() {
        Some(l) if l.0 == text => pick(l),
        _ => None,
    })
}

pub struct PipelineStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for PipelineStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for PipelineTokenizer {
    type TokenStream<'a> = PipelineStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PipelineStream {
        PipelineStream { tokens: PipelineTokenizer::tokens(self.variant, text), next: 0 }
    }
}

/// Registers every pipeline variant by name on an index.
pub fn register(index: &tantivy::Index) {
    let t = index.tokenizers();
    for a in [Analyzer::Dutch, Analyzer::English, Analyzer::Plain] {
        t.register(a.name(), PipelineTokenizer::new(Variant::Stemmed(a)));
    }
    t.register(STEMMED, PipelineTokenizer::new(Variant::Tagged));
    t.register(FOLDED, PipelineTokenizer::new(Variant::Folded));
    t.register(EXACT, PipelineTokenizer::new(Variant::Exact));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_and_exact_tokens_from_the_shared_pass_match_their_own_analysis() {
        let plain = "Één keer op de Wachtlijst";
        let tagged = tagged_text("nl", plain);
        let words =
            |v: Vec<Token>| v.into_iter().map(|t| (t.text, t.offset_from, t.position)).collect::<Vec<_>>();
        let own_folded = words(PipelineTokenizer::tokens(Variant::Folded, plain));
        let own_exact = words(PipelineTokenizer::tokens(Variant::Exact, plain));
        PipelineTokenizer::tokens(Variant::Tagged, &tagged);
        assert_eq!(words(PipelineTokenizer::tokens(Variant::Folded, plain)), own_folded);
        assert_eq!(words(PipelineTokenizer::tokens(Variant::Exact, plain)), own_exact);
        // A different text never gets the cached tokens.
        PipelineTokenizer::tokens(Variant::Tagged, &tagged);
        assert_eq!(words(PipelineTokenizer::tokens(Variant::Exact, "iets anders")).len(), 2);
        assert_eq!(own_exact[0].0, "één");
        assert_eq!(own_folded[0].0, "een");
    }

    #[test]
    fn registered_tokenizers_run_the_shared_pipeline() {
        let (schema, _) = build();
        let index = tantivy::Index::create_in_ram(schema);
        register(&index);
        let mut tok = index.tokenizers().get("luister_nl").unwrap();
        let mut stream = tok.token_stream("De wachtlijsten waren lang");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert_eq!(seen, ["wachtlijst", "lang"], "\"de\" and \"waren\" are stop words");
        let mut tagged = index.tokenizers().get(STEMMED).unwrap();
        let english = tagged_text("en", "The waiting lists");
        let mut stream = tagged.token_stream(&english);
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert_eq!(seen, ["wait", "list"], "English stories are stemmed in English");
        let mut exact = index.tokenizers().get(EXACT).unwrap();
        let mut stream = exact.token_stream("Één");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "één");
    }
}
