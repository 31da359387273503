//! A stored story as an index document: its text through the shared pipeline (by language), its
//! labels as facets, its signifier answers as numbers for range filters, and what a result page
//! shows, stored.

use super::schema::{self, Fields};
use crate::domain::{Answer, Campaign, Story};
use serde_json::{Map, Value};
use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};

/// The searchable text of a story: its title and its text, as one.
pub fn searchable_text(story: &Story) -> String {
    match &story.title {
        Some(t) => format!("{t}\n\n{}", story.text),
        None => story.text.clone(),
    }
}

/// Facet paths must not contain `/`; option and region ids never do, but be safe.
fn part(s: &str) -> String {
    s.replace('/', "_")
}

/// A theme tag of a story, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFacet {
    pub theme: String,
    pub state: String,
}

pub fn build(fields: &Fields, campaign: &Campaign, story: &Story, tags: &[TagFacet]) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &story.id);
    doc.add_text(fields.campaign, &story.campaign_id);
    let text = searchable_text(story);
    doc.add_text(fields.text, schema::tagged_text(&story.language, &text));
    doc.add_text(fields.folded, &text);
    doc.add_text(fields.exact, &text);
    if let Some(t) = &story.title {
        doc.add_text(fields.title, t);
    }
    doc.add_text(fields.body, &story.text);
    doc.add_text(fields.perspective, story.perspective.as_str());
    doc.add_text(fields.language, &story.language);
    doc.add_date(
        fields.created,
        DateTime::from_timestamp_micros(story.created_at.unix_timestamp_nanos() as i64 / 1000),
    );

    let mut facets = vec![
        format!("/campaign/{}", part(&story.campaign_id)),
        format!("/perspective/{}", story.perspective.as_str()),
        format!("/language/{}", part(&story.language)),
    ];
    if let Some(a) = story.age_band {
        facets.push(format!("/age/{}", part(a.code())));
    }
    if let Some(r) = &story.region {
        facets.push(format!("/region/{}", part(r)));
    }
    if let Some(m) = &story.municipality {
        facets.push(format!("/municipality/{}", part(m)));
    }
    if !story.safeguarding.is_empty() {
        facets.push("/flag/safeguarding".into());
    }
    for t in tags {
        facets.push(format!("/theme/{}/{}", part(&t.theme), part(&t.state)));
    }
    let mut sig = Map::new();
    let mut choices: Vec<String> = Vec::new();
    for (id, answer) in &story.answers {
        match answer {
            Answer::Dyad(x) => {
                sig.insert(id.clone(), Value::from(*x));
            }
            Answer::Triad(w) => {
                let corners: Map<String, Value> =
                    w.iter().enumerate().map(|(i, x)| (i.to_string(), Value::from(*x))).collect();
                sig.insert(id.clone(), Value::Object(corners));
            }
            Answer::Single(o) => choices.push(format!("/choice/{}/{}", part(id), part(o))),
            Answer::Multi(os) => {
                choices.extend(os.iter().map(|o| format!("/choice/{}/{}", part(id), part(o))))
            }
            Answer::Skipped => choices.push(format!("/choice/{}/n.v.t.", part(id))),
        }
    }
    for f in facets {
        if let Ok(facet) = Facet::from_text(&f) {
            doc.add_facet(fields.facets, facet);
        }
    }
    for f in choices {
        if let Ok(facet) = Facet::from_text(&f) {
            doc.add_facet(fields.choices, facet);
        }
    }
    if !sig.is_empty() {
        doc.add_object(fields.sig, sig.into_iter().map(|(k, v)| (k, json_value(v))).collect());
    }
    let _ = campaign;
    doc
}

/// serde_json values into tantivy's owned values, numbers always as f64 so range filters on
/// 0 and 0.5 compare alike.
fn json_value(v: Value) -> tantivy::schema::OwnedValue {
    use tantivy::schema::OwnedValue;
    match v {
        Value::Number(n) => OwnedValue::F64(n.as_f64().unwrap_or_default()),
        Value::Object(m) => OwnedValue::Object(m.into_iter().map(|(k, v)| (k, json_value(v))).collect()),
        Value::String(s) => OwnedValue::Str(s),
        Value::Bool(b) => OwnedValue::Bool(b),
        Value::Array(a) => OwnedValue::Array(a.into_iter().map(json_value).collect()),
        Value::Null => OwnedValue::Null,
    }
}
