//! Perspective maps as facilitators use them: the map input built from the store (stories,
//! accepted tags, the codebook, the form's signifiers) and, for a search filter, the search
//! index; the map computed by the pure core in [`crate::analysis::maps`]; disclosure control for
//! the steering group. The numbers come from the core; this module only gathers and labels.

pub mod cache;
pub mod demo;
pub mod frozen;
pub mod view;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analysis::maps::{
    self as core, Answer as MapAnswer, GroupInput, Language, Lexicon, MapInput, PerspectiveMap, Settings,
    SignifierInput, SignifierKind as MapKind, StoryInput, ThemeInput,
};
use crate::domain::signifier::{Answer, SignifierKind};
use crate::domain::theme::{Tag, TagState, effective_state};
use crate::domain::{AgeBand, Campaign, Lang, Perspective, Story};
use crate::search::engine::Live;
use crate::search::exec::{self, SearchRequest, Sort};
use crate::store::DynStore;

/// Errors of the map use cases, in words a facilitator can act on.
#[derive(Debug, thiserror::Error)]
pub enum MapsError {
    #[error("{0}")]
    BadRequest(String),
    /// The filter does not parse in the search language.
    #[error("het filter is niet te lezen: {0}")]
    BadFilter(crate::search::query::QueryError),
    /// "Compare by" names no field of the campaign.
    #[error(
        "'{0}' is geen keuzeveld van deze campagne; vergelijk op perspective, age_band, region of een keuzevraag"
    )]
    UnknownAxis(String),
    /// "Compare by" names a question that does not split stories into groups.
    #[error(
        "op '{0}' kan niet vergeleken worden: alleen een vraag met één keuze verdeelt de verhalen in groepen"
    )]
    NotAnAxis(String),
    #[error("de zoekindex wordt opnieuw opgebouwd; probeer het zo weer")]
    IndexUnavailable,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Which stories a map is of.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Source {
    /// Every story of the campaign.
    #[default]
    Campaign,
    /// A saved story set (its frozen ids, or its search run now).
    Set(String),
    /// A search in the search language, within the campaign.
    Query(String),
    /// These stories of the campaign (the demo's coded stories; no index needed).
    Stories(Vec<String>),
}

/// What to map, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub source: Source,
    /// The comparison axis: `perspective`, `age_band`, `region` or a single-choice signifier id.
    pub by: String,
    pub language: Lang,
    pub min_group: u64,
}

impl MapsError {
    /// Whether the request itself is wrong (the page says so and keeps what was typed).
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            MapsError::BadRequest(_)
                | MapsError::BadFilter(_)
                | MapsError::UnknownAxis(_)
                | MapsError::NotAnAxis(_)
        )
    }

    /// The message in `lang` (the search language's own explanations are in Dutch).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Nl) => self.to_string(),
            (MapsError::BadFilter(e), Lang::En) => {
                format!("The filter cannot be read: {} (at character {})", e.message, e.at + 1)
            }
            (MapsError::UnknownAxis(id), Lang::En) => format!(
                "'{id}' is not a choice field of this campaign; compare by perspective, age_band, region or a single-choice question"
            ),
            (MapsError::NotAnAxis(id), Lang::En) => format!(
                "Cannot compare by '{id}': only a single-choice question splits the stories into groups"
            ),
            (MapsError::IndexUnavailable, Lang::En) => {
                "The search index is being rebuilt; try again in a moment".into()
            }
            (MapsError::BadRequest(m), Lang::En) if m.contains("andere campagne") => {
                "This story set belongs to another campaign".into()
            }
            (_, Lang::En) => self.to_string(),
        }
    }
}

impl Default for Request {
    fn default() -> Self {
        Request { source: Source::Campaign, by: "perspective".into(), language: Lang::Nl, min_group: 20 }
    }
}

/// What the header of a map says besides the numbers: which stories, which codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub campaign: String,
    /// The filter in the search language ("" for the whole campaign), or the story set.
    pub filter: String,
    pub by: String,
    /// A short hash of the campaign's codebook (theme ids, names and last changes).
    pub codebook_version: String,
}

/// A map with what it was made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Built {
    pub header: Header,
    pub map: PerspectiveMap,
    /// The stories on the map, in id order.
    #[serde(skip)]
    pub story_ids: Vec<String>,
    /// (story, theme) pairs with an accepted tag: the tag states the map used.
    #[serde(skip)]
    pub accepted: Vec<(String, String)>,
    /// Each story's group key on the axis (stories without a value are left out).
    #[serde(skip)]
    pub group_of: HashMap<String, String>,
}

/// The choice fields a map can compare by: (key, label).
pub fn axes(campaign: &Campaign, lang: Lang) -> Vec<(String, String)> {
    let (p, a, r) = match lang {
        Lang::Nl => ("Perspectief", "Leeftijd", "Regio"),
        Lang::En => ("Perspective", "Age band", "Region"),
    };
    let mut out =
        vec![("perspective".into(), p.into()), ("age_band".into(), a.into()), ("region".into(), r.into())];
    for s in &campaign.def.signifiers {
        if let SignifierKind::Choice { multiple: false, .. } = &s.kind {
            out.push((s.id.clone(), s.question.get(lang).to_string()));
        }
    }
    out
}

/// The campaign's own themes that are not merged into another.
async fn campaign_themes(
    store: &DynStore,
    campaign: &Campaign,
) -> Result<Vec<crate::domain::theme::Theme>, MapsError> {
    Ok(store
        .themes(Some(&campaign.id))
        .await?
        .into_iter()
        .filter(|t| t.campaign_id.as_deref() == Some(campaign.id.as_str()) && t.merged_into.is_none())
        .collect())
}

/// A short hash of the themes, their names and their last changes.
fn codebook_version(themes: &[crate::domain::theme::Theme]) -> String {
    let mut hasher = Sha256::new();
    for t in themes {
        hasher.update(format!("{}\t{}\t{}\n", t.id, t.name, t.updated_at.unix_timestamp_nanos()));
    }
    hex::encode(&hasher.finalize()[..6])
}

/// The cache of live map pages (see [`cache`]).
pub type ViewCache = cache::MapCache<view::MapView>;

/// The live map page of `req` (counts below `k` formatted as "<k"), from `cache` when nothing
/// it depends on changed since it was made (then the flag is true). A map of a saved story set is not cached: the set
/// can change without a story event.
pub async fn cached_view(
    store: &DynStore,
    search: &crate::search::SearchHandle,
    cache: &ViewCache,
    campaign: &Campaign,
    req: &Request,
    k: u64,
) -> Result<(std::sync::Arc<view::MapView>, bool), MapsError> {
    let query = match &req.source {
        Source::Query(q) => q.clone(),
        _ => String::new(),
    };
    let key = match &req.source {
        Source::Set(_) | Source::Stories(_) => None,
        Source::Campaign | Source::Query(_) => Some(cache::Key {
            campaign_id: campaign.id.clone(),
            form_version: campaign.form_version,
            filter: query.clone(),
            by: req.by.clone(),
            language: req.language.code().to_string(),
            min_group: req.min_group,
            k,
            disclosed: false,
            // Read before the map is built: a change while it is built gives a newer key, so
            // what is kept under this key is never older than the key says.
            events_seq: store.last_event_seq().await?,
            codebook_version: codebook_version(&campaign_themes(store, campaign).await?),
            index_seq: if query.trim().is_empty() { 0 } else { search.applied_seq() },
        }),
    };
    if let Some(hit) = key.as_ref().and_then(|k| cache.get(k)) {
        return Ok((hit, true));
    }
    let live = search.live();
    let built = build(store, live.as_deref(), campaign, req).await?;
    let mut v = view::view(&built, &campaign.id, &query, k);
    // The live page links each cell to the search page; the story lists are for frozen maps.
    for t in &mut v.themes {
        for c in &mut t.cells {
            c.stories = Vec::new();
        }
    }
    let v = std::sync::Arc::new(v);
    if let Some(key) = key {
        cache.insert(key, v.clone());
    }
    Ok((v, false))
}

/// Builds and computes the map of `campaign` (see [`Request`]). `live` is the search index,
/// needed for a query or a saved search.
pub async fn build(
    store: &DynStore,
    live: Option<&Live>,
    campaign: &Campaign,
    req: &Request,
) -> Result<Built, MapsError> {
    let stories = stories(store, live, campaign, &req.source).await?;
    let themes = campaign_themes(store, campaign).await?;
    let ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
    let tags = if ids.is_empty() { Vec::new() } else { store.tags_for_stories(&ids).await? };
    let accepted = accepted_pairs(&tags);
    let codebook_version = codebook_version(&themes);
    let input = input(campaign, &stories, &themes, &accepted, &req.by, req.language)?;
    let settings = Settings {
        min_group: req.min_group,
        language: match req.language {
            Lang::Nl => Language::Nl,
            Lang::En => Language::En,
        },
        ..Settings::default()
    };
    let group_of = input
        .stories
        .iter()
        .filter_map(|s| s.group.map(|g| (s.id.clone(), input.groups[g].key.clone())))
        .collect();
    let map = core::compute(&input, &settings).map_err(|e| MapsError::Other(anyhow::anyhow!(e)))?;
    let filter = match &req.source {
        Source::Campaign => String::new(),
        Source::Set(id) => format!("set:{id}"),
        Source::Query(q) => q.clone(),
        Source::Stories(_) => "coded".into(),
    };
    Ok(Built {
        header: Header {
            campaign: campaign.slug().to_string(),
            filter,
            by: req.by.clone(),
            codebook_version,
        },
        map,
        story_ids: ids,
        accepted,
        group_of,
    })
}

/// The map as the steering group may see it: cells below `k` hidden, with secondary
/// suppression, and nothing (share, quote, word, dot) from a hidden cell.
pub fn disclose(built: &Built, k: u64) -> Built {
    Built { map: core::disclosure::disclose(&built.map, k), ..built.clone() }
}

async fn stories(
    store: &DynStore,
    live: Option<&Live>,
    campaign: &Campaign,
    source: &Source,
) -> Result<Vec<Story>, MapsError> {
    let ids = match source {
        Source::Campaign => None,
        Source::Set(id) => {
            let set = store.story_set(id).await?;
            if set.campaign_id.as_deref().is_some_and(|c| c != campaign.id) {
                return Err(MapsError::BadRequest("deze verhalenset hoort bij een andere campagne".into()));
            }
            match set.story_ids {
                Some(ids) => Some(ids),
                None => {
                    let pairs: Vec<(String, String)> =
                        serde_urlencoded::from_str(&set.query).unwrap_or_default();
                    let q = pairs
                        .iter()
                        .filter(|(k, v)| (k == "q" || k == "f") && !v.trim().is_empty())
                        .map(|(_, v)| format!("({v})"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    Some(search_ids(live, campaign, &q)?)
                }
            }
        }
        Source::Stories(ids) => Some(ids.clone()),
        Source::Query(q) if q.trim().is_empty() => None,
        Source::Query(q) => Some(search_ids(live, campaign, q)?),
    };
    let mut stories = match ids {
        Some(ids) if ids.is_empty() => Vec::new(),
        Some(ids) => store.stories_by_ids(&ids).await?,
        None => crate::tagging::threads::stories_for(store, None, &campaign.id, None).await?,
    };
    stories.retain(|s| s.campaign_id == campaign.id);
    stories.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(stories)
}

fn search_ids(live: Option<&Live>, campaign: &Campaign, q: &str) -> Result<Vec<String>, MapsError> {
    let live = live.ok_or(MapsError::IndexUnavailable)?;
    let req = SearchRequest {
        q: q.to_string(),
        filters: Vec::new(),
        sort: Sort::Oldest,
        offset: 0,
        limit: 100,
        scope: Some(vec![campaign.id.clone()]),
        snippets: false,
        choice_facets: false,
        ids: None,
    };
    exec::all_ids(live, &req, usize::MAX).map_err(|e| match e {
        exec::SearchError::Query { error, .. } => MapsError::BadFilter(error),
        exec::SearchError::Rebuilding => MapsError::IndexUnavailable,
        e => MapsError::Other(e.into()),
    })
}

/// The (story, theme) pairs whose tags add up to accepted (a person's rejection wins; a rule
/// or a person accepting counts; a model suggestion alone does not).
pub fn accepted_pairs(tags: &[Tag]) -> Vec<(String, String)> {
    let mut by: BTreeMap<(&str, &str), Vec<&Tag>> = BTreeMap::new();
    for t in tags {
        by.entry((t.story_id.as_str(), t.theme_id.as_str())).or_default().push(t);
    }
    by.into_iter()
        .filter(|(_, tags)| effective_state(tags) == Some(TagState::Accepted))
        .map(|((s, t), _)| (s.to_string(), t.to_string()))
        .collect()
}

pub fn perspective_plural(p: Perspective, lang: Lang) -> &'static str {
    match (lang, p) {
        (Lang::Nl, Perspective::Youth) => "Jongeren",
        (Lang::Nl, Perspective::Parent) => "Ouders",
        (Lang::Nl, Perspective::Professional) => "Professionals",
        (Lang::Nl, Perspective::Other) => "Anderen",
        (Lang::En, Perspective::Youth) => "Young people",
        (Lang::En, Perspective::Parent) => "Parents",
        (Lang::En, Perspective::Professional) => "Professionals",
        (Lang::En, Perspective::Other) => "Others",
    }
}

/// The groups of an axis and each story's group.
fn groups(
    campaign: &Campaign,
    stories: &[Story],
    by: &str,
    lang: Lang,
) -> Result<(Vec<GroupInput>, Vec<Option<usize>>), MapsError> {
    let group = |key: &str, label: String| GroupInput { key: key.to_string(), label };
    match by {
        "perspective" => {
            let groups =
                Perspective::ALL.iter().map(|p| group(p.as_str(), perspective_plural(*p, lang).into()));
            let of =
                stories.iter().map(|s| Perspective::ALL.iter().position(|p| *p == s.perspective)).collect();
            Ok((groups.collect(), of))
        }
        "age_band" | "age" | "leeftijd" => {
            let label = |a: AgeBand| match lang {
                Lang::Nl => format!("Vertellers van {}", a.label(lang)),
                Lang::En => format!("Tellers aged {}", a.label(lang)),
            };
            let groups = AgeBand::ALL.iter().map(|a| group(a.code(), label(*a)));
            let of = stories
                .iter()
                .map(|s| s.age_band.and_then(|b| AgeBand::ALL.iter().position(|a| *a == b)))
                .collect();
            Ok((groups.collect(), of))
        }
        "region" | "regio" => {
            let mut regions: Vec<String> = stories.iter().filter_map(|s| s.region.clone()).collect();
            regions.sort();
            regions.dedup();
            let index: HashMap<&str, usize> =
                regions.iter().enumerate().map(|(i, r)| (r.as_str(), i)).collect();
            let of =
                stories.iter().map(|s| s.region.as_deref().and_then(|r| index.get(r).copied())).collect();
            let prefix = match lang {
                Lang::Nl => "Vertellers uit",
                Lang::En => "Tellers from",
            };
            Ok((regions.iter().map(|r| group(r, format!("{prefix} {r}"))).collect(), of))
        }
        id => {
            let sig = campaign
                .def
                .signifiers
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| MapsError::UnknownAxis(id.to_string()))?;
            let SignifierKind::Choice { multiple: false, options } = &sig.kind else {
                return Err(MapsError::NotAnAxis(id.to_string()));
            };
            let groups = options.iter().map(|o| group(&o.id, o.label.get(lang).to_string())).collect();
            let of = stories
                .iter()
                .map(|s| match s.answers.get(id) {
                    Some(Answer::Single(o)) => options.iter().position(|x| &x.id == o),
                    _ => None,
                })
                .collect();
            Ok((groups, of))
        }
    }
}

/// The pure map input of these stories.
fn input(
    campaign: &Campaign,
    stories: &[Story],
    themes: &[crate::domain::theme::Theme],
    accepted: &[(String, String)],
    by: &str,
    lang: Lang,
) -> Result<MapInput, MapsError> {
    let (groups, group_of) = groups(campaign, stories, by, lang)?;
    let theme_index: HashMap<&str, usize> =
        themes.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut themes_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (s, t) in accepted {
        if let Some(&i) = theme_index.get(t.as_str()) {
            themes_of.entry(s.as_str()).or_default().push(i);
        }
    }
    // The axis itself is not compared against itself; retired questions have no chart.
    let signifiers: Vec<&crate::domain::Signifier> =
        campaign.def.signifiers.iter().filter(|s| !s.retired && s.id != by).collect();
    let sig_inputs = signifiers
        .iter()
        .map(|s| SignifierInput {
            id: s.id.clone(),
            label: s.question.get(lang).to_string(),
            kind: match &s.kind {
                SignifierKind::Triad { corners } => MapKind::Triad {
                    corners: [
                        corners[0].get(lang).into(),
                        corners[1].get(lang).into(),
                        corners[2].get(lang).into(),
                    ],
                },
                SignifierKind::Dyad { poles } => {
                    MapKind::Dyad { left: poles[0].get(lang).into(), right: poles[1].get(lang).into() }
                }
                SignifierKind::Choice { multiple, options } => MapKind::Choice {
                    options: options.iter().map(|o| o.label.get(lang).to_string()).collect(),
                    multiple: *multiple,
                },
            },
        })
        .collect();
    let mut lexicon = Lexicon::new();
    let mut inputs = Vec::with_capacity(stories.len());
    for (s, group) in stories.iter().zip(group_of) {
        let text = match &s.title {
            Some(t) => format!("{t}\n\n{}", s.text),
            None => s.text.clone(),
        };
        let words = lexicon.add(&text, &s.language);
        let mut themes = themes_of.remove(s.id.as_str()).unwrap_or_default();
        themes.sort_unstable();
        themes.dedup();
        let answers = signifiers.iter().map(|sig| answer(sig, s.answers.get(&sig.id))).collect();
        inputs.push(StoryInput {
            id: s.id.clone(),
            group,
            themes,
            answers,
            words,
            text: s.text.clone(),
            language: s.language.clone(),
        });
    }
    Ok(MapInput {
        axis: by.to_string(),
        groups,
        themes: themes.iter().map(|t| ThemeInput { id: t.id.clone(), label: t.name.clone() }).collect(),
        signifiers: sig_inputs,
        terms: lexicon.terms(),
        stories: inputs,
    })
}

fn answer(sig: &crate::domain::Signifier, a: Option<&Answer>) -> MapAnswer {
    match (a, &sig.kind) {
        (None, _) => MapAnswer::NoAnswer,
        (Some(Answer::Skipped), _) => MapAnswer::NotApplicable,
        (Some(Answer::Triad(w)), SignifierKind::Triad { .. })
            if w.iter().all(|x| x.is_finite() && *x >= 0.0) && w.iter().sum::<f64>() > 0.0 =>
        {
            MapAnswer::Triad(*w)
        }
        (Some(Answer::Dyad(x)), SignifierKind::Dyad { .. }) if (0.0..=1.0).contains(x) => MapAnswer::Dyad(*x),
        (Some(Answer::Single(o)), SignifierKind::Choice { options, .. }) => {
            match options.iter().position(|x| &x.id == o) {
                Some(i) => MapAnswer::Choice(vec![i]),
                None => MapAnswer::NoAnswer,
            }
        }
        (Some(Answer::Multi(os)), SignifierKind::Choice { options, multiple: true }) => {
            let mut chosen: Vec<usize> =
                os.iter().filter_map(|o| options.iter().position(|x| &x.id == o)).collect();
            chosen.sort_unstable();
            chosen.dedup();
            MapAnswer::Choice(chosen)
        }
        // An answer that does not fit the question (the form changed): nothing to count.
        _ => MapAnswer::NoAnswer,
    }
}
