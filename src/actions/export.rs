//! Actions as CSV for a spreadsheet: one row per action, every cell through
//! [`crate::transfer::csv_cell`] so a title like `=HYPERLINK(…)` stays text.

use std::collections::HashMap;

use time::Date;

use crate::domain::action::{Action, HistoryEntry, Organisation};
use crate::transfer::csv_cell::protected;

pub const HEADER: [&str; 16] = [
    "campagne",
    "titel",
    "beschrijving",
    "verantwoordelijke",
    "soort",
    "contact",
    "prioriteit",
    "status",
    "reden vervallen",
    "deadline",
    "te laat",
    "voortgang",
    "overgedragen op",
    "gepubliceerd",
    "laatste update",
    "herkomst",
];

/// The CSV of `actions` (campaign slugs by campaign id, organisations, last updates by action).
pub fn to_csv(
    actions: &[Action],
    slugs: &HashMap<String, String>,
    organisations: &[Organisation],
    last: &[HistoryEntry],
    today: Date,
) -> String {
    let orgs: HashMap<&str, &Organisation> = organisations.iter().map(|o| (o.id.as_str(), o)).collect();
    let last: HashMap<&str, &HistoryEntry> = last.iter().map(|e| (e.action_id.as_str(), e)).collect();
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a failure would be a bug in csv, shown as an empty file.
    let _ = w.write_record(HEADER);
    for a in actions {
        let f = &a.fields;
        let org = f.organisation_id.as_deref().and_then(|id| orgs.get(id));
        let update =
            last.get(a.id.as_str()).map(|e| format!("{}: {}", e.on_date, e.note)).unwrap_or_default();
        let links = f.links.iter().map(|l| format!("{}:{}", l.kind.as_str(), l.ref_id)).collect::<Vec<_>>();
        let row = [
            slugs.get(&a.campaign_id).cloned().unwrap_or_default(),
            f.title.clone(),
            f.description.clone(),
            org.map(|o| o.name.clone()).unwrap_or_default(),
            org.map(|o| o.kind.label().to_string()).unwrap_or_default(),
            f.contact.clone(),
            f.priority.label().into(),
            f.status.label().into(),
            f.drop_reason.clone().unwrap_or_default(),
            date(f.due_on),
            if a.is_overdue(today) { "ja".into() } else { "nee".into() },
            format!("{}%", f.progress),
            date(f.handed_over_on),
            if a.published { "ja".into() } else { "nee".into() },
            update,
            links.join(" "),
        ];
        let _ = w.write_record(protected(row.iter()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::action::{ActionFields, ActionForm};
    use time::OffsetDateTime;
    use time::macros::date;

    #[test]
    fn cells_a_spreadsheet_would_run_are_quoted_as_text_and_overdue_is_marked() {
        let form = ActionForm {
            title: "=HYPERLINK(\"http://x\")".into(),
            contact: "+31 6 123".into(),
            due_on: "2026-01-01".into(),
            ..ActionForm::default()
        };
        let a = Action {
            id: "a".into(),
            campaign_id: "c".into(),
            fields: ActionFields::parse(&form).unwrap(),
            published: false,
            version: 1,
            created_by: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        };
        let slugs = [("c".to_string(), "demo".to_string())].into_iter().collect();
        let csv = to_csv(&[a], &slugs, &[], &[], date!(2026 - 02 - 01));
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&row[5], "'+31 6 123");
        assert_eq!(&row[10], "ja", "due 1 January, today 1 February: overdue");
    }
}
