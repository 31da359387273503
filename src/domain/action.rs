//! Improvement actions and the parties responsible for them, as validated types: once a
//! `NewAction` exists its title is there, a dropped action has its reason, the progress is
//! 0–100. Overdue is decided here too, from a date the caller passes in (no clock in the domain).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Longest title, description, contact, reason and update text we keep.
pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4000;

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
            /// In Dutch, as the pages show it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// What kind of responsible party an organisation is.
    OrganisationKind {
        Municipality => "municipality", "gemeente";
        Provider => "provider", "aanbieder";
        Region => "region", "jeugdregio";
        Ministry => "ministry", "ministerie";
        Other => "other", "anders";
    }
);

named_enum!(
    Priority {
        High => "high", "hoog";
        Medium => "medium", "middel";
        Low => "low", "laag";
    }
);

named_enum!(
    ActionStatus {
        Open => "open", "open";
        InProgress => "in_progress", "bezig";
        Done => "done", "klaar";
        Dropped => "dropped", "vervallen";
    }
);

named_enum!(
    /// What an action came from. Sessions, notes and story cards live in the sessions part; the
    /// link keeps their id as text.
    LinkKind {
        Note => "note", "notitie";
        Session => "session", "sessie";
        MapElement => "map_element", "kaartelement";
        Theme => "theme", "thema";
        StoryCard => "story_card", "verhaalkaart";
        FrozenMap => "frozen_map", "bevroren kaart";
        Assumption => "assumption", "aanname";
    }
);

impl ActionStatus {
    /// Done and dropped actions are finished: never overdue.
    pub fn is_finished(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }
}

/// A responsible party of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub campaign_id: String,
    pub kind: OrganisationKind,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A link from an action to what it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActionLink {
    pub kind: LinkKind,
    pub ref_id: String,
}

/// The fields of an action a person sets (the form), validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionFields {
    pub title: String,
    pub description: String,
    pub organisation_id: Option<String>,
    pub contact: String,
    pub priority: Priority,
    pub status: ActionStatus,
    /// Why it was dropped; `Some` exactly when the status is dropped.
    pub drop_reason: Option<String>,
    pub due_on: Option<Date>,
    pub progress: u8,
    pub handed_over_on: Option<Date>,
    pub links: Vec<ActionLink>,
}

/// A stored action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub campaign_id: String,
    pub fields: ActionFields,
    pub published: bool,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Action {
    /// Overdue: the due date is before `today` and the action is not done or dropped.
    pub fn is_overdue(&self, today: Date) -> bool {
        is_overdue(&self.fields, today)
    }
}

pub fn is_overdue(f: &ActionFields, today: Date) -> bool {
    !f.status.is_finished() && f.due_on.is_some_and(|d| d < today)
}

/// A day as pages show it: 31-01-2026.
pub fn day(d: Date) -> String {
    d.format(time::macros::format_description!("[day]-[month]-[year]")).unwrap_or_default()
}

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Changed,
    /// A dated progress update (text, perhaps a new status or progress).
    Update,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Changed => "changed",
            ChangeKind::Update => "update",
        }
    }
    pub fn parse(s: &str) -> Option<ChangeKind> {
        [ChangeKind::Created, ChangeKind::Changed, ChangeKind::Update].into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of an action's history: the state after the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub action_id: String,
    pub version: i64,
    pub kind: ChangeKind,
    pub at: OffsetDateTime,
    /// The day an update speaks of (the day of the change otherwise).
    pub on_date: Date,
    pub actor: String,
    /// The update's text ("" for other changes).
    pub note: String,
    pub state: ActionFields,
}

/// What changed between two states, in words ("status: open → bezig").
pub fn differences(
    before: &ActionFields,
    after: &ActionFields,
    party: impl Fn(Option<&str>) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!(
                "{name}: {} → {}",
                if a.is_empty() { "—" } else { &a },
                if b.is_empty() { "—" } else { &b }
            ));
        }
    };
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    diff("titel", before.title.clone(), after.title.clone());
    diff("beschrijving", before.description.clone(), after.description.clone());
    diff(
        "verantwoordelijke",
        party(before.organisation_id.as_deref()),
        party(after.organisation_id.as_deref()),
    );
    diff("contact", before.contact.clone(), after.contact.clone());
    diff("prioriteit", before.priority.label().into(), after.priority.label().into());
    diff("status", before.status.label().into(), after.status.label().into());
    diff(
        "reden",
        before.drop_reason.clone().unwrap_or_default(),
        after.drop_reason.clone().unwrap_or_default(),
    );
    diff("deadline", date(before.due_on), date(after.due_on));
    diff("voortgang", format!("{}%", before.progress), format!("{}%", after.progress));
    diff("overgedragen op", date(before.handed_over_on), date(after.handed_over_on));
    let links = |f: &ActionFields| {
        f.links.iter().map(|l| format!("{} {}", l.kind.label(), l.ref_id)).collect::<Vec<_>>().join(", ")
    };
    diff("herkomst", links(before), links(after));
    out
}

/// A problem with a form field: (field name, message in Dutch).
pub type FieldProblem = (&'static str, String);

/// The raw form of an action, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionForm {
    pub title: String,
    pub description: String,
    pub organisation_id: String,
    pub contact: String,
    pub priority: String,
    pub status: String,
    pub drop_reason: String,
    pub due_on: String,
    pub progress: String,
    pub handed_over_on: String,
    /// `kind:ref` lines.
    pub links: String,
}

fn clean(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// A date as typed in a date field (`2026-12-31`, or `31-12-2026`); empty is none.
pub fn parse_date(s: &str) -> Result<Option<Date>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let nl = time::macros::format_description!("[day]-[month]-[year]");
    Date::parse(s, &iso)
        .or_else(|_| Date::parse(s, &nl))
        .map(Some)
        .map_err(|_| "Vul een datum in als 2026-12-31.".to_string())
}

/// A progress percentage, 0–100 (empty is 0).
pub fn parse_progress(s: &str) -> Result<u8, String> {
    let s = s.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<u8>() {
        Ok(n) if n <= 100 => Ok(n),
        _ => Err("Vul een percentage van 0 tot en met 100 in.".into()),
    }
}

/// Links as typed, one `kind:id` per line or comma.
pub fn parse_links(s: &str) -> Result<Vec<ActionLink>, String> {
    let mut out = Vec::new();
    for part in s.split(['\n', ',']).map(str::trim).filter(|p| !p.is_empty()) {
        let Some((kind, id)) = part.split_once(':') else {
            return Err(format!("‘{part}’: schrijf een herkomst als soort:id, bijvoorbeeld theme:1234."));
        };
        let Some(kind) = LinkKind::parse(kind.trim()) else {
            return Err(format!(
                "‘{kind}’ is geen soort herkomst; kies uit {}.",
                LinkKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ));
        };
        let id = id.trim();
        if id.is_empty() || id.len() > 200 {
            return Err(format!("‘{part}’: het id ontbreekt of is te lang."));
        }
        let link = ActionLink { kind, ref_id: id.to_string() };
        if !out.contains(&link) {
            out.push(link);
        }
    }
    out.sort();
    Ok(out)
}

impl ActionFields {
    /// Validates a typed form; every problem, by field, in the form's order.
    pub fn parse(f: &ActionForm) -> Result<ActionFields, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let title = clean(&f.title, MAX_TITLE);
        if title.is_empty() {
            problems.push(("title", "Geef de actie een titel.".to_string()));
        }
        let priority = if f.priority.trim().is_empty() {
            Some(Priority::Medium)
        } else {
            Priority::parse(f.priority.trim())
        };
        if priority.is_none() {
            problems.push(("priority", "Kies een prioriteit: hoog, middel of laag.".into()));
        }
        let status = if f.status.trim().is_empty() {
            Some(ActionStatus::Open)
        } else {
            ActionStatus::parse(f.status.trim())
        };
        if status.is_none() {
            problems.push(("status", "Kies een status: open, bezig, klaar of vervallen.".into()));
        }
        let reason = clean(&f.drop_reason, MAX_TEXT);
        if status == Some(ActionStatus::Dropped) && reason.is_empty() {
            problems.push(("drop_reason", "Schrijf op waarom de actie vervalt.".into()));
        }
        let due_on = parse_date(&f.due_on).map_err(|e| problems.push(("due_on", e))).ok().flatten();
        let handed_over_on =
            parse_date(&f.handed_over_on).map_err(|e| problems.push(("handed_over_on", e))).ok().flatten();
        let progress = parse_progress(&f.progress).map_err(|e| problems.push(("progress", e))).unwrap_or(0);
        let links = parse_links(&f.links).map_err(|e| problems.push(("links", e))).unwrap_or_default();
        if !problems.is_empty() {
            return Err(problems);
        }
        let status = status.unwrap_or(ActionStatus::Open);
        Ok(ActionFields {
            title,
            description: clean(&f.description, MAX_TEXT),
            organisation_id: Some(f.organisation_id.trim().to_string()).filter(|s| !s.is_empty()),
            contact: clean(&f.contact, MAX_TITLE),
            priority: priority.unwrap_or(Priority::Medium),
            status,
            drop_reason: (status == ActionStatus::Dropped).then_some(reason),
            due_on,
            // A done action is done: 100%.
            progress: if status == ActionStatus::Done { 100 } else { progress },
            handed_over_on,
            links,
        })
    }

    /// The form showing these fields again (for editing).
    pub fn to_form(&self) -> ActionForm {
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        ActionForm {
            title: self.title.clone(),
            description: self.description.clone(),
            organisation_id: self.organisation_id.clone().unwrap_or_default(),
            contact: self.contact.clone(),
            priority: self.priority.as_str().into(),
            status: self.status.as_str().into(),
            drop_reason: self.drop_reason.clone().unwrap_or_default(),
            due_on: date(self.due_on),
            progress: self.progress.to_string(),
            handed_over_on: date(self.handed_over_on),
            links: self
                .links
                .iter()
                .map(|l| format!("{}:{}", l.kind.as_str(), l.ref_id))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A dated update as typed: text, optionally a new status (with reason) and progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionUpdate {
    pub note: String,
    pub on_date: Option<Date>,
    pub status: Option<ActionStatus>,
    pub drop_reason: Option<String>,
    pub progress: Option<u8>,
}

impl ActionUpdate {
    pub fn parse(
        note: &str,
        on_date: &str,
        status: &str,
        reason: &str,
        progress: &str,
    ) -> Result<ActionUpdate, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let note = clean(note, MAX_TEXT);
        if note.is_empty() {
            problems.push(("note", "Schrijf op wat er is gebeurd.".to_string()));
        }
        let on_date = parse_date(on_date).map_err(|e| problems.push(("on_date", e))).ok().flatten();
        let status = match status.trim() {
            "" => None,
            s => {
                let parsed = ActionStatus::parse(s);
                if parsed.is_none() {
                    problems.push(("status", "Kies een status: open, bezig, klaar of vervallen.".into()));
                }
                parsed
            }
        };
        let reason = clean(reason, MAX_TEXT);
        if status == Some(ActionStatus::Dropped) && reason.is_empty() {
            problems.push(("drop_reason", "Schrijf op waarom de actie vervalt.".into()));
        }
        let progress = if progress.trim().is_empty() {
            None
        } else {
            parse_progress(progress).map_err(|e| problems.push(("progress", e))).ok()
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ActionUpdate {
            note,
            on_date,
            status,
            drop_reason: Some(reason).filter(|r| !r.is_empty()),
            progress,
        })
    }

    /// The fields after this update.
    pub fn apply(&self, before: &ActionFields) -> ActionFields {
        let mut f = before.clone();
        if let Some(s) = self.status {
            f.status = s;
            f.drop_reason =
                (s == ActionStatus::Dropped).then(|| self.drop_reason.clone().unwrap_or_default());
            if s == ActionStatus::Done {
                f.progress = 100;
            }
        }
        if let Some(p) = self.progress
            && f.status != ActionStatus::Done
        {
            f.progress = p;
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form(title: &str, status: &str) -> ActionForm {
        ActionForm { title: title.into(), status: status.into(), ..ActionForm::default() }
    }

    #[test]
    fn an_action_needs_a_title_and_a_dropped_one_a_reason() {
        let e = ActionFields::parse(&form("  ", "")).unwrap_err();
        assert_eq!(e[0].0, "title");
        let e = ActionFields::parse(&form("Wachtlijst korter", "dropped")).unwrap_err();
        assert_eq!(e[0].0, "drop_reason");
        let mut f = form("Wachtlijst korter", "dropped");
        f.drop_reason = "Budget is weg".into();
        let ok = ActionFields::parse(&f).unwrap();
        assert_eq!(ok.drop_reason.as_deref(), Some("Budget is weg"));
        assert_eq!(ok.priority, Priority::Medium);
    }

    #[test]
    fn progress_dates_and_links_are_checked() {
        let mut f = form("X", "in_progress");
        f.progress = "101".into();
        f.due_on = "morgen".into();
        f.links = "theme:abc, snoep:1".into();
        let fields: Vec<&str> = ActionFields::parse(&f).unwrap_err().into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["due_on", "progress", "links"]);
        f.progress = "40%".into();
        f.due_on = "31-12-2026".into();
        f.links = "theme:abc\nfrozen_map:m1, theme:abc".into();
        let ok = ActionFields::parse(&f).unwrap();
        assert_eq!((ok.progress, ok.due_on), (40, Some(date!(2026 - 12 - 31))));
        assert_eq!(ok.links.len(), 2, "duplicates kept once");
        assert_eq!(ActionFields::parse(&ok.to_form()).unwrap(), ok, "the form round-trips");
    }

    #[test]
    fn overdue_means_past_due_and_not_finished() {
        let mut f = form("X", "open");
        f.due_on = "2026-03-01".into();
        let mut a = ActionFields::parse(&f).unwrap();
        assert!(!is_overdue(&a, date!(2026 - 03 - 01)), "due today is not overdue yet");
        assert!(is_overdue(&a, date!(2026 - 03 - 02)));
        a.status = ActionStatus::Done;
        assert!(!is_overdue(&a, date!(2027 - 01 - 01)));
        a.status = ActionStatus::Dropped;
        assert!(!is_overdue(&a, date!(2027 - 01 - 01)));
        a.due_on = None;
        a.status = ActionStatus::Open;
        assert!(!is_overdue(&a, date!(2027 - 01 - 01)));
    }

    #[test]
    fn an_update_can_move_status_and_progress_and_dropping_needs_a_reason() {
        let base = ActionFields::parse(&form("X", "open")).unwrap();
        assert!(ActionUpdate::parse("", "", "", "", "").is_err());
        assert_eq!(ActionUpdate::parse("Gesprek", "", "dropped", "", "").unwrap_err()[0].0, "drop_reason");
        let u = ActionUpdate::parse("Eerste gesprek", "2026-02-01", "in_progress", "", "30").unwrap();
        let after = u.apply(&base);
        assert_eq!((after.status, after.progress), (ActionStatus::InProgress, 30));
        let done = ActionUpdate::parse("Klaar", "", "done", "", "").unwrap().apply(&after);
        assert_eq!(done.progress, 100);
        let changes = differences(&base, &after, |o| o.unwrap_or("").to_string());
        assert_eq!(changes, ["status: open → bezig", "voortgang: 0% → 30%"]);
    }
}
