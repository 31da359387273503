//! The session report: what the room discussed and concluded, citing the frozen maps by
//! snapshot hash; as a page, Markdown and a CSV of the notes. Only approved notes count; a note
//! linked to a withdrawn story stays, marked "verhaal ingetrokken". The report carries no story
//! text and takes the numbers from the disclosure-controlled snapshot, so the steering group
//! may read it once published.

use super::view::Loaded;
use crate::domain::Lang;
use crate::domain::session::{Element, Note};
use crate::transfer::csv_cell::protected;

/// The mark on a note whose story card was withdrawn.
pub const WITHDRAWN: &str = "verhaal ingetrokken";

#[derive(Debug, Clone, PartialEq)]
pub struct MapLine {
    pub title: String,
    pub hash: String,
    pub withdrawn: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteLine {
    pub kind: String,
    pub strength: String,
    pub body: String,
    pub links: Vec<String>,
    pub withdrawn: bool,
    pub cluster: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterLines {
    pub name: String,
    pub notes: Vec<NoteLine>,
}

/// A section another part of luister adds to the report (improvement actions, Leefwereldtoets
/// conclusions).
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub date: String,
    pub place: String,
    pub groups: Vec<String>,
    pub maps: Vec<MapLine>,
    pub patterns: Vec<(String, String)>,
    pub cards: usize,
    pub clusters: Vec<ClusterLines>,
    pub follow_up: Vec<FollowUp>,
}

/// The improvement actions and Leefwereldtoets conclusions that came out of this session, one
/// section each: actions linked to the session, to one of its notes or to one of its cards,
/// and conclusions recorded in it. Reads only; the report itself stays a pure function of
/// what is loaded (see [`report`], which leaves this empty).
pub async fn follow_up(
    store: &crate::store::DynStore,
    loaded: &Loaded,
) -> crate::store::Result<Vec<FollowUp>> {
    use crate::domain::action::LinkKind;
    let session = &loaded.session;
    let notes: std::collections::HashSet<&str> = loaded.notes.iter().map(|n| n.id.as_str()).collect();
    let cards: std::collections::HashSet<&str> = loaded.cards.iter().map(|c| c.card.id.as_str()).collect();
    let filter = crate::store::ActionFilter {
        campaign_ids: Some(vec![session.campaign_id.clone()]),
        ..Default::default()
    };
    let orgs = store.organisations(&session.campaign_id).await?;
    let org_name = |id: &Option<String>| {
        id.as_ref().and_then(|id| orgs.iter().find(|o| &o.id == id)).map_or(String::new(), |o| o.name.clone())
    };
    let actions: Vec<String> = store
        .actions(&filter)
        .await?
        .into_iter()
        .filter(|a| {
            a.fields.links.iter().any(|l| match l.kind {
                LinkKind::Session => l.ref_id == session.id,
                LinkKind::Note => notes.contains(l.ref_id.as_str()),
                LinkKind::StoryCard => cards.contains(l.ref_id.as_str()),
                _ => false,
            })
        })
        .map(|a| {
            let party = org_name(&a.fields.organisation_id);
            let due = a
                .fields
                .due_on
                .map(|d| format!(", uiterlijk {}", crate::domain::action::day(d)))
                .unwrap_or_default();
            format!(
                "{} — {}{}; {} ({}%){}",
                a.fields.title,
                if party.is_empty() { "nog geen verantwoordelijke".to_string() } else { party },
                if a.fields.contact.is_empty() { String::new() } else { format!(" ({})", a.fields.contact) },
                a.fields.status.label(),
                a.fields.progress,
                due
            )
        })
        .collect();
    let assumptions = store.assumptions(&session.campaign_id).await?;
    let conclusions: Vec<String> = store
        .conclusions(&session.campaign_id)
        .await?
        .into_iter()
        .filter(|c| c.session_id.as_deref() == Some(session.id.as_str()))
        .map(|c| {
            let statement = assumptions
                .iter()
                .find(|a| a.id == c.assumption_id)
                .map_or_else(|| c.assumption_id.clone(), |a| a.statement.clone());
            format!("\u{201c}{statement}\u{201d}: {} — {}", c.verdict.label(), c.reasoning)
        })
        .collect();
    let mut out = Vec::new();
    if !actions.is_empty() {
        out.push(FollowUp { heading: "Verbeteracties".into(), lines: actions });
    }
    if !conclusions.is_empty() {
        out.push(FollowUp { heading: "Conclusies van de Leefwereldtoets".into(), lines: conclusions });
    }
    Ok(out)
}

fn note_line(loaded: &Loaded, n: &Note) -> NoteLine {
    NoteLine {
        kind: n.input.kind.label().to_string(),
        strength: n.input.strength.map(|s| s.label().to_string()).unwrap_or_default(),
        body: n.input.body.clone(),
        links: loaded.link_labels(n),
        withdrawn: loaded.note_lost_story(n),
        cluster: n
            .cluster_id
            .as_ref()
            .and_then(|c| loaded.clusters.iter().find(|k| &k.id == c))
            .map(|k| k.name.clone())
            .unwrap_or_default(),
    }
}

/// A pattern's numbers from the disclosed snapshot (cells under the threshold shown as such).
fn disclosed(loaded: &Loaded, map_id: &str, key: &str) -> Option<(String, String)> {
    let m = loaded.maps.iter().find(|m| m.map.id == map_id)?;
    match Element::parse(key)? {
        Element::Cell { theme, group } => {
            let t = m.snapshot.disclosed.themes.iter().find(|t| t.id == theme)?;
            let c = t.cells.get(group)?;
            let detail = if c.share.is_empty() {
                format!("{} verhalen", c.shown)
            } else {
                format!("{} verhalen, {}", c.shown, c.share)
            };
            Some((format!("{} × {}", t.label, c.group), detail))
        }
        Element::Chart(id) => {
            let c = m.snapshot.disclosed.charts.iter().find(|c| c.id == id)?;
            Some((c.title.clone(), c.sentence.clone()))
        }
    }
}

pub fn report(loaded: &Loaded) -> Report {
    let s = &loaded.session;
    let approved: Vec<&Note> = loaded.notes.iter().filter(|n| n.approved_at.is_some()).collect();
    let mut clusters: Vec<ClusterLines> = loaded
        .clusters
        .iter()
        .map(|k| ClusterLines {
            name: k.name.clone(),
            notes: approved
                .iter()
                .filter(|n| n.cluster_id.as_deref() == Some(k.id.as_str()))
                .map(|n| note_line(loaded, n))
                .collect(),
        })
        .collect();
    let loose: Vec<NoteLine> = approved
        .iter()
        .filter(|n| n.cluster_id.as_ref().is_none_or(|c| !loaded.clusters.iter().any(|k| &k.id == c)))
        .map(|n| note_line(loaded, n))
        .collect();
    if !loose.is_empty() {
        clusters.push(ClusterLines { name: "Niet gegroepeerd".into(), notes: loose });
    }
    Report {
        title: s.details.title.clone(),
        date: s
            .details
            .held_on
            .format(time::macros::format_description!("[day]-[month]-[year]"))
            .unwrap_or_default(),
        place: s.details.place.clone(),
        groups: s.details.groups.iter().map(|g| g.label(Lang::Nl).to_string()).collect(),
        maps: loaded
            .maps
            .iter()
            .map(|m| MapLine {
                title: m.map.title.clone(),
                hash: m.map.content_hash.clone(),
                withdrawn: m.withdrawn,
            })
            .collect(),
        patterns: loaded
            .patterns
            .iter()
            .filter_map(|p| disclosed(loaded, &p.pattern.map_id, &p.pattern.element))
            .collect(),
        cards: loaded.cards.len(),
        clusters,
        // Filled from the actions and the toets by [`follow_up`] (it needs the store).
        follow_up: Vec::new(),
    }
}

/// Markdown of the report, with the notes as list items.
pub fn markdown(r: &Report) -> String {
    // Notes are free text: keep them from starting headings or lists of their own.
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = format!("# {}\n\n", flat(&r.title));
    out.push_str(&format!("- Datum: {}\n", r.date));
    if !r.place.is_empty() {
        out.push_str(&format!("- Plaats: {}\n", flat(&r.place)));
    }
    out.push_str(&format!("- Deelnemers: {}\n", r.groups.join(", ")));
    out.push_str(&format!("- Verhaalkaarten: {}\n\n## Kaarten\n\n", r.cards));
    for m in &r.maps {
        out.push_str(&format!("- {} — snapshot sha256 `{}`", flat(&m.title), m.hash));
        if m.withdrawn > 0 {
            out.push_str(&format!(" ({} verhalen sindsdien ingetrokken)", m.withdrawn));
        }
        out.push('\n');
    }
    out.push_str("\n## Besproken patronen\n\n");
    for (label, detail) in &r.patterns {
        out.push_str(&format!("- {}: {}\n", flat(label), flat(detail)));
    }
    out.push_str("\n## Notities\n");
    for c in &r.clusters {
        out.push_str(&format!("\n### {}\n\n", flat(&c.name)));
        for n in &c.notes {
            let mut head = n.kind.clone();
            if !n.strength.is_empty() {
                head.push_str(&format!(", {}", n.strength));
            }
            out.push_str(&format!("- **{head}**: {}", flat(&n.body)));
            if !n.links.is_empty() {
                out.push_str(&format!(" ({})", n.links.join(", ")));
            }
            if n.withdrawn {
                out.push_str(&format!(" — _{WITHDRAWN}_"));
            }
            out.push('\n');
        }
    }
    out.push_str("\n## Acties en conclusies\n\n");
    if r.follow_up.is_empty() {
        out.push_str("Nog geen acties of conclusies vastgelegd.\n");
    }
    for f in &r.follow_up {
        out.push_str(&format!("### {}\n\n", flat(&f.heading)));
        for l in &f.lines {
            out.push_str(&format!("- {}\n", flat(l)));
        }
        out.push('\n');
    }
    out
}

/// The approved notes as CSV, one row each.
pub fn notes_csv(r: &Report) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["cluster", "soort", "sterkte", "notitie", "gekoppeld_aan", "verhaal_ingetrokken"])?;
    for c in &r.clusters {
        for n in &c.notes {
            let links = n.links.join("; ");
            w.write_record(protected([
                n.cluster.as_str(),
                n.kind.as_str(),
                n.strength.as_str(),
                n.body.as_str(),
                links.as_str(),
                if n.withdrawn { "ja" } else { "nee" },
            ]))?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
