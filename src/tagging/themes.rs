//! Codebook changes as use cases: create, edit and merge themes, save a rule (and re-tag with
//! it), copy from the global codebook and import. Each takes checked input and the acting
//! person, and writes the change, its tag history and story events, and its audit entry
//! together; callers only parse before and render after.

use super::error::{Result, TaggingError};
use super::rules;
use crate::domain::theme::Theme;
use crate::domain::{Actor, AuditAction, AuditEntry};
use crate::search::SearchHandle;
use crate::store::DynStore;
use serde_json::{Value, json};
use std::collections::HashSet;
use time::OffsetDateTime;

/// Which codebook a change is in: a campaign's (`Some(id)`), or the global one.
pub type Scope<'a> = Option<&'a str>;

/// An audit entry for a codebook change, with the campaign when there is one.
pub fn audit_entry(by: &Actor, scope: Scope<'_>, details: Value) -> AuditEntry {
    let entry = AuditEntry::new(by.clone(), AuditAction::CampaignChanged);
    match scope {
        Some(c) => entry.campaign(c.to_string()).target(format!("campaign:{c}")).details(details),
        None => {
            let mut details = details;
            if let Some(map) = details.as_object_mut() {
                map.insert("scope".into(), "global_codebook".into());
            }
            entry.details(details)
        }
    }
}

/// A theme's fields as the form checked them.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFields {
    pub name: String,
    pub description: String,
    pub colour: String,
    pub parent: Option<String>,
}

/// A theme made by `create`, and how many stories its rule tagged.
#[derive(Debug, Clone)]
pub struct Created {
    pub theme: Theme,
    pub added: u64,
    /// The rule could not be applied yet (the index is being rebuilt); the theme is saved.
    pub retag_pending: bool,
}

/// The stories a rule matches now, or `None` while the index is being rebuilt.
async fn matches_or_pending(search: &SearchHandle, theme: &Theme) -> Result<Option<Vec<String>>> {
    let (Some(campaign), Some(rule)) =
        (theme.campaign_id.as_deref(), theme.rule.as_deref().filter(|r| !r.trim().is_empty()))
    else {
        return Ok(Some(Vec::new()));
    };
    match rules::matching(search, campaign, rule, None).await {
        Ok(ids) => Ok(Some(ids)),
        Err(crate::search::exec::SearchError::Rebuilding) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Creates a theme in `scope`, tags the campaign's stories its rule matches, and audits it.
pub async fn create(
    store: &DynStore,
    search: &SearchHandle,
    by: &Actor,
    scope: Scope<'_>,
    fields: ThemeFields,
    rule: Option<String>,
    now: OffsetDateTime,
) -> Result<Created> {
    let theme = Theme {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: scope.map(str::to_string),
        name: fields.name,
        description: fields.description,
        colour: fields.colour,
        parent_id: fields.parent,
        rule,
        merged_into: None,
        created_at: now,
        updated_at: now,
    };
    // A new theme has no tags yet: its rule's matches are exactly what it gains.
    let matched = matches_or_pending(search, &theme).await?;
    let mut tx = store.begin().await?;
    tx.create_theme(&theme).await?;
    let added = match (&matched, scope) {
        (Some(ids), Some(_)) if !ids.is_empty() => tx.replace_rule_tags(&theme.id, ids).await?.0,
        _ => 0,
    };
    tx.audit(&audit_entry(
        by,
        scope,
        json!({ "change": "theme_created", "theme": theme.id, "added": added }),
    ))
    .await?;
    tx.commit().await?;
    Ok(Created { theme, added, retag_pending: matched.is_none() })
}

/// Saves new name, description, colour and parent of a live theme.
pub async fn edit(
    store: &DynStore,
    by: &Actor,
    theme: Theme,
    fields: ThemeFields,
    now: OffsetDateTime,
) -> Result<Theme> {
    if theme.merged_into.is_some() {
        return Err(merged());
    }
    let mut t = theme;
    t.name = fields.name;
    t.description = fields.description;
    t.colour = fields.colour;
    t.parent_id = fields.parent;
    t.updated_at = now;
    let mut tx = store.begin().await?;
    tx.update_theme(&t).await?;
    tx.audit(&audit_entry(by, t.campaign_id.as_deref(), json!({ "change": "theme_changed", "theme": t.id })))
        .await?;
    tx.commit().await?;
    Ok(t)
}

fn merged() -> TaggingError {
    TaggingError::Invalid(
        "Dit thema is samengevoegd met een ander thema en kan niet meer worden gewijzigd.".into(),
    )
}

/// What saving a rule changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSaved {
    pub added: u64,
    pub removed: u64,
}

/// Saves a theme's rule (`None`: no rule) and makes its rule tags exactly the stories the rule
/// matches now. Global themes have no stories: only the rule is saved.
pub async fn save_rule(
    store: &DynStore,
    search: &SearchHandle,
    by: &Actor,
    theme: Theme,
    rule: Option<String>,
    now: OffsetDateTime,
) -> Result<RuleSaved> {
    if theme.merged_into.is_some() {
        return Err(merged());
    }
    let mut t = theme;
    t.rule = rule;
    t.updated_at = now;
    let matched = match t.campaign_id {
        Some(_) => Some(matches_or_pending(search, &t).await?.ok_or(TaggingError::Rebuilding)?),
        None => None,
    };
    let mut tx = store.begin().await?;
    tx.update_theme(&t).await?;
    let (added, removed) = match &matched {
        Some(ids) => tx.replace_rule_tags(&t.id, ids).await?,
        None => (0, 0),
    };
    let details = json!({ "change": "theme_rule", "theme": t.id, "added": added, "removed": removed });
    tx.audit(&audit_entry(by, t.campaign_id.as_deref(), details)).await?;
    tx.commit().await?;
    Ok(RuleSaved { added, removed })
}

/// What a merge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub moved: u64,
    pub retag_pending: bool,
}

/// Why two themes cannot be merged, for the field next to the merge form.
pub fn merge_problem(themes: &[Theme], from: &str, into: &str) -> Option<&'static str> {
    let live = |id: &str| themes.iter().any(|t| t.id == id && t.merged_into.is_none());
    if from.is_empty() || into.is_empty() {
        Some("Kies welk thema opgaat in welk ander thema.")
    } else if from == into {
        Some("Kies twee verschillende thema's.")
    } else if !live(from) || !live(into) {
        Some("Dat thema bestaat niet (meer) in dit codeboek. Kies een ander.")
    } else {
        None
    }
}

/// The ids of a theme and of everything below it.
fn self_and_descendants(themes: &[Theme], id: &str) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::from([id.to_string()]);
    loop {
        let before = out.len();
        for t in themes {
            if t.parent_id.as_deref().is_some_and(|p| out.contains(p)) {
                out.insert(t.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// The theme updates a merge makes besides moving tags: the rule of `from` joins that of
/// `into` (so the next re-tag keeps the moved rule tags), and the children of `from` hang under
/// `into` (or one level up when `into` is itself below `from`, so the tree never loops).
/// Pure; returns every changed theme, `into` first.
pub fn merge_plan(themes: &[Theme], from: &Theme, into: &Theme, now: OffsetDateTime) -> Vec<Theme> {
    let mut into_t = into.clone();
    if let Some(fr) = from.rule.clone() {
        into_t.rule = Some(match into_t.rule.take() {
            Some(r) => format!("({r}) OR ({fr})"),
            None => fr,
        });
    }
    let below = self_and_descendants(themes, &from.id);
    let new_parent = if below.contains(&into.id) { from.parent_id.clone() } else { Some(into.id.clone()) };
    let mut changed = Vec::new();
    for child in themes.iter().filter(|t| t.parent_id.as_deref() == Some(from.id.as_str())) {
        if child.id == into_t.id {
            into_t.parent_id = new_parent.clone().filter(|p| *p != into_t.id);
        } else {
            let mut c = child.clone();
            c.parent_id = new_parent.clone().filter(|p| *p != c.id);
            c.updated_at = now;
            changed.push(c);
        }
    }
    into_t.updated_at = now;
    changed.insert(0, into_t);
    changed
}

/// Merges theme `from` into `into` in `scope`: tags move (with history), the merged theme is
/// kept for its history, rules and children are rearranged, the rule tags follow the joined
/// rule, and the audit entry is written, all in one transaction.
pub async fn merge(
    store: &DynStore,
    search: &SearchHandle,
    by: &Actor,
    scope: Scope<'_>,
    from: &str,
    into: &str,
    now: OffsetDateTime,
) -> Result<Merged> {
    let themes = store.themes(scope).await?;
    if let Some(problem) = merge_problem(&themes, from, into) {
        return Err(TaggingError::Invalid(problem.into()));
    }
    let find = |id: &str| themes.iter().find(|t| t.id == id).cloned().ok_or(TaggingError::NotFound);
    let (from_t, into_t) = (find(from)?, find(into)?);
    let changed = merge_plan(&themes, &from_t, &into_t, now);
    let joined = changed[0].clone();
    // The search runs before the transaction: it reads the index, not the database.
    let matched = match (scope, &joined.rule) {
        (Some(_), Some(_)) => matches_or_pending(search, &joined).await?,
        _ => Some(Vec::new()),
    };
    let mut tx = store.begin().await?;
    for t in &changed {
        tx.update_theme(t).await?;
    }
    let user = by.user_id.as_deref();
    let moved = tx.merge_themes(&from_t.id, &into_t.id, user).await?;
    if let (Some(_), Some(_), Some(ids)) = (scope, &joined.rule, &matched) {
        tx.replace_rule_tags(&joined.id, ids).await?;
    }
    let details = json!({ "change": "themes_merged", "from": from_t.id, "into": into_t.id, "moved": moved });
    tx.audit(&audit_entry(by, scope, details)).await?;
    tx.commit().await?;
    Ok(Merged { moved, retag_pending: matched.is_none() })
}

/// Themes that arrived in bulk (a copy or an import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrived {
    pub created: usize,
    pub updated: usize,
    /// The campaign's rules could not be applied yet (the index is being rebuilt).
    pub retag_pending: bool,
}

/// Copies global themes (all, or the chosen ones with their parents) into a campaign's codebook,
/// audits it, then applies the campaign's rules.
pub async fn copy_global(
    store: &DynStore,
    search: &SearchHandle,
    by: &Actor,
    campaign_id: &str,
    only: Option<&[String]>,
) -> Result<Arrived> {
    let all = only.is_none();
    let mut tx = store.begin().await?;
    let (created, updated) = super::codebook::copy_global(&mut tx, campaign_id, only).await?;
    let details = json!({ "change": "codebook_copied", "created": created, "updated": updated, "all": all });
    tx.audit(&audit_entry(by, Some(campaign_id), details)).await?;
    tx.commit().await?;
    let retag_pending = !retag(store, search, Some(campaign_id)).await;
    Ok(Arrived { created, updated, retag_pending })
}

/// Adds a parsed codebook file to `scope`, audits it, then applies the campaign's rules.
pub async fn import(
    store: &DynStore,
    search: &SearchHandle,
    by: &Actor,
    scope: Scope<'_>,
    entries: &[super::codebook::Entry],
) -> Result<Arrived> {
    let mut tx = store.begin().await?;
    let (created, updated) = super::codebook::import_in(&mut tx, scope, entries).await?;
    let details = json!({ "change": "codebook_imported", "created": created, "updated": updated });
    tx.audit(&audit_entry(by, scope, details)).await?;
    tx.commit().await?;
    let retag_pending = !retag(store, search, scope).await;
    Ok(Arrived { created, updated, retag_pending })
}

/// Brings the campaign's rule tags in line with its rules after themes arrived in bulk; `false`
/// when that has to wait. Each rule is its own step: the re-tag job does the same later.
async fn retag(store: &DynStore, search: &SearchHandle, scope: Scope<'_>) -> bool {
    let Some(c) = scope else { return true };
    match rules::apply_all(store, search, c, |_, _| true).await {
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(error = %e, campaign = %c, "rules not applied after a codebook change");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::theme::PALETTE;

    fn theme(id: &str, parent: Option<&str>, rule: Option<&str>) -> Theme {
        let now = OffsetDateTime::UNIX_EPOCH;
        Theme {
            id: id.into(),
            campaign_id: Some("c".into()),
            name: id.to_uppercase(),
            description: String::new(),
            colour: PALETTE[0].into(),
            parent_id: parent.map(str::to_string),
            rule: rule.map(str::to_string),
            merged_into: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_merge_joins_the_rules_and_rehangs_the_children_without_a_loop() {
        // a ─ b ─ c, and d under a: merging a into its own child b.
        let themes = vec![
            theme("a", None, Some("wacht*")),
            theme("b", Some("a"), Some("lijst")),
            theme("c", Some("b"), None),
            theme("d", Some("a"), None),
        ];
        let plan = merge_plan(&themes, &themes[0], &themes[1], OffsetDateTime::UNIX_EPOCH);
        assert_eq!(plan[0].id, "b");
        assert_eq!(plan[0].rule.as_deref(), Some("(lijst) OR (wacht*)"));
        assert_eq!(plan[0].parent_id, None, "b goes one level up, to where a was");
        let d = plan.iter().find(|t| t.id == "d").unwrap();
        assert_eq!(d.parent_id, None);
        // Merging d into c: d's children (none) stay, c keeps its rule-less state plus none.
        let plan = merge_plan(&themes, &themes[3], &themes[2], OffsetDateTime::UNIX_EPOCH);
        assert_eq!((plan.len(), plan[0].rule.as_deref()), (1, None));
        assert_eq!(merge_problem(&themes, "a", "a"), Some("Kies twee verschillende thema's."));
        assert!(merge_problem(&themes, "a", "x").is_some() && merge_problem(&themes, "a", "c").is_none());
    }
}
