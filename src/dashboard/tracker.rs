//! The action tracker of the steering dashboard: per responsible party, how many improvement
//! actions are open, in progress, overdue, done and dropped, and how long the unfinished ones
//! have been open. Pure: the actions and today's date in, rows out. Actions are about
//! organisations, not storytellers, so these counts need no disclosure control.

use serde::Serialize;
use time::Date;

use crate::domain::action::{Action, ActionStatus, Organisation};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyRow {
    /// The organisation's name, or "Nog niet toegewezen".
    pub party: String,
    pub open: usize,
    pub in_progress: usize,
    /// Unfinished and past their due date (also counted under open or in progress).
    pub overdue: usize,
    pub done: usize,
    pub dropped: usize,
    /// Days the unfinished actions have been open: median and longest (`None` without any).
    pub median_days_open: Option<i64>,
    pub longest_days_open: Option<i64>,
}

/// One row per party with actions, sorted by overdue, then unfinished, then name; a last row
/// with the totals.
pub fn track(actions: &[Action], organisations: &[Organisation], today: Date) -> Vec<PartyRow> {
    let name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| organisations.iter().find(|o| &o.id == id))
            .map_or_else(|| "Nog niet toegewezen".to_string(), |o| o.name.clone())
    };
    let mut parties: Vec<String> = actions.iter().map(|a| name(&a.fields.organisation_id)).collect();
    parties.sort();
    parties.dedup();
    let row = |label: String, of: &[&Action]| {
        let count = |s: ActionStatus| of.iter().filter(|a| a.fields.status == s).count();
        let mut days: Vec<i64> = of
            .iter()
            .filter(|a| !a.fields.status.is_finished())
            .map(|a| (today - a.created_at.date()).whole_days().max(0))
            .collect();
        days.sort_unstable();
        PartyRow {
            party: label,
            open: count(ActionStatus::Open),
            in_progress: count(ActionStatus::InProgress),
            overdue: of.iter().filter(|a| a.is_overdue(today)).count(),
            done: count(ActionStatus::Done),
            dropped: count(ActionStatus::Dropped),
            median_days_open: (!days.is_empty()).then(|| days[(days.len() - 1) / 2]),
            longest_days_open: days.last().copied(),
        }
    };
    let mut rows: Vec<PartyRow> = parties
        .iter()
        .map(|p| {
            let of: Vec<&Action> = actions.iter().filter(|a| &name(&a.fields.organisation_id) == p).collect();
            row(p.clone(), &of)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then((b.open + b.in_progress).cmp(&(a.open + a.in_progress)))
            .then(a.party.cmp(&b.party))
    });
    if !actions.is_empty() {
        rows.push(row("Totaal".into(), &actions.iter().collect::<Vec<_>>()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::action::{ActionFields, OrganisationKind, Priority};
    use time::macros::{date, datetime};

    fn action(
        org: Option<&str>,
        status: ActionStatus,
        due: Option<Date>,
        created: time::OffsetDateTime,
    ) -> Action {
        Action {
            id: uuid::Uuid::new_v4().to_string(),
            campaign_id: "c".into(),
            fields: ActionFields {
                title: "t".into(),
                description: String::new(),
                organisation_id: org.map(String::from),
                contact: String::new(),
                priority: Priority::Medium,
                status,
                drop_reason: (status == ActionStatus::Dropped).then(|| "geen geld".into()),
                due_on: due,
                progress: 0,
                handed_over_on: None,
                links: Vec::new(),
            },
            published: true,
            version: 1,
            created_by: None,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn parties_show_open_overdue_done_and_how_long_actions_have_been_open() {
        let org = Organisation {
            id: "g".into(),
            campaign_id: "c".into(),
            kind: OrganisationKind::Municipality,
            name: "Gemeente Utrecht".into(),
            created_at: datetime!(2026-01-01 0:00 UTC),
            updated_at: datetime!(2026-01-01 0:00 UTC),
        };
        let today = date!(2026 - 12 - 01);
        let actions = vec![
            action(
                Some("g"),
                ActionStatus::Open,
                Some(date!(2026 - 11 - 01)),
                datetime!(2026-10-02 9:00 UTC),
            ),
            action(
                Some("g"),
                ActionStatus::InProgress,
                Some(date!(2027 - 01 - 01)),
                datetime!(2026-11-21 9:00 UTC),
            ),
            action(
                Some("g"),
                ActionStatus::Done,
                Some(date!(2026 - 06 - 01)),
                datetime!(2026-05-01 9:00 UTC),
            ),
            action(None, ActionStatus::Dropped, None, datetime!(2026-05-01 9:00 UTC)),
        ];
        let rows = track(&actions, &[org], today);
        assert_eq!(rows.len(), 3);
        let g = &rows[0];
        assert_eq!(g.party, "Gemeente Utrecht");
        assert_eq!((g.open, g.in_progress, g.overdue, g.done, g.dropped), (1, 1, 1, 1, 0));
        // Open since 2 October (60 days) and 21 November (10 days): median 10, longest 60.
        assert_eq!((g.median_days_open, g.longest_days_open), (Some(10), Some(60)));
        assert_eq!(rows[1].party, "Nog niet toegewezen");
        assert_eq!((rows[1].dropped, rows[1].median_days_open), (1, None));
        assert_eq!(rows[2].party, "Totaal");
        assert_eq!(rows[2].done + rows[2].dropped + rows[2].open + rows[2].in_progress, 4);
    }
}
