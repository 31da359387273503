//! People with an account: facilitators, the steering group and admins. Storytellers never
//! have one.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Facilitator,
    Steering,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Facilitator, Role::Steering];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Facilitator => "facilitator",
            Role::Steering => "steering",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "beheerder",
            Role::Facilitator => "facilitator",
            Role::Steering => "stuurgroep",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
}

/// An e-mail address as a login name: trimmed, lower case, one `@` with text on both sides.
pub fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split('@').count() == 2
        && email.split('@').all(|p| !p.is_empty())
        && email
            .split('@')
            .nth(1)
            .is_some_and(|d| d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(format!("'{}' is geen e-mailadres zoals naam@organisatie.nl", raw.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(parse_email("  Anna@Example.NL ").unwrap(), "anna@example.nl");
        for bad in ["anna", "anna@", "@x.nl", "a@b", "a b@c.nl", "a@b@c.nl", "a@.nl"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!(Role::parse("Facilitator"), Some(Role::Facilitator));
        assert_eq!(Role::parse("boss"), None);
    }
}
