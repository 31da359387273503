//! Saved story sets: a search kept under a name, optionally frozen to the stories it found that
//! day, so a perspective map or a session works on a story set that does not change under it.

use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq)]
pub struct StorySet {
    pub id: String,
    pub name: String,
    /// The search as URL query parameters (`q=…&f=…&sort=…`), so it can be opened again.
    pub query: String,
    /// Set when the search was for one campaign: its members see the set too.
    pub campaign_id: Option<String>,
    /// The story ids found when the set was saved, if it was frozen.
    pub story_ids: Option<Vec<String>>,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A set name people can read: trimmed, one line, 1 to 120 characters.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("Geef de verzameling een naam, bijvoorbeeld \"Wachtlijsten ouders 2026\".".into()),
        n if n > 120 => Err(format!("De naam is te lang ({n} tekens). Gebruik hooguit 120 tekens.")),
        _ => Ok(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_trimmed_line() {
        assert_eq!(parse_name("  Wachtlijsten \n ouders ").unwrap(), "Wachtlijsten ouders");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"x".repeat(121)).is_err());
    }
}
