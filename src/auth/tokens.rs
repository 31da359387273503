//! Personal API tokens: the secret a script sends as `Authorization: Bearer lst_…`, what is kept
//! of it (its SHA-256 and a short prefix to recognise it by) and the rules for when a stored
//! token may be used. No IO here; the use cases are in `crate::accounts::tokens`.

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
pub const PREFIX: &str = "lst_";
/// Random bytes per token (256 bits, from the operating system's CSPRNG via `rand`).
const SECRET_BYTES: usize = 32;
/// How much of a token the account page shows to tell tokens apart: the `lst_` and 8 hex
/// characters (32 of the 256 bits; not enough to guess the rest).
const SHOWN_CHARS: usize = PREFIX.len() + 8;

/// What a token may do within its campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: search, stories, the dashboard.
    Read,
    /// Reads, and the writes a facilitator of the campaign may do through the API (tagging).
    Write,
}

impl Access {
    pub fn parse(s: &str) -> Option<Access> {
        match s {
            "read" => Some(Access::Read),
            "write" => Some(Access::Write),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
    /// As the account page says it.
    pub fn label(self) -> &'static str {
        match self {
            Access::Read => "alleen lezen",
            Access::Write => "lezen en schrijven",
        }
    }
}

/// A stored token (never its secret).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub campaign_id: String,
    pub name: String,
    /// The first characters of the secret, e.g. `lst_3f9a0c12`.
    pub prefix: String,
    /// SHA-256 of the whole secret, hex.
    pub token_hash: String,
    pub access: Access,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    /// Whether the token itself still holds at `now` (the user and the campaign are checked at
    /// use time as well, by the extractor).
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }

    /// Whether to write a new "last used" time: at most once a minute, so a busy script does
    /// not turn every request into a database write.
    pub fn should_touch(&self, now: OffsetDateTime) -> bool {
        self.last_used_at.is_none_or(|t| now - t >= time::Duration::minutes(1))
    }
}

/// A new secret: `lst_` and 64 hex characters.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// What is stored to find a token again: its SHA-256, hex. A fast hash is right here (unlike
/// passwords): the secret has 256 random bits, so there is nothing to guess.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The part of a secret the list shows.
pub fn shown_prefix(secret: &str) -> String {
    secret.chars().take(SHOWN_CHARS).collect()
}

/// Whether a string is shaped like one of our secrets (checked before any database look-up).
pub fn looks_like_secret(s: &str) -> bool {
    s.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.len() == SECRET_BYTES * 2 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The token of an `Authorization` header value: `Bearer <token>` (scheme case-insensitive, as
/// RFC 7235 says). `None` for another scheme or an empty token.
pub fn parse_bearer(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn token(now: OffsetDateTime) -> ApiToken {
        ApiToken {
            id: "t".into(),
            user_id: "u".into(),
            campaign_id: "c".into(),
            name: "script".into(),
            prefix: "lst_00000000".into(),
            token_hash: "h".into(),
            access: Access::Read,
            created_at: now,
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn secrets_are_random_prefixed_and_only_their_hash_and_prefix_are_kept() {
        let a = new_secret();
        assert!(a.starts_with("lst_") && a.len() == 4 + 64, "{a}");
        assert!(looks_like_secret(&a));
        assert_ne!(a, new_secret());
        let h = hash(&a);
        assert_eq!(h.len(), 64);
        assert!(!h.contains(&a[4..]));
        assert_eq!(h, hash(&a));
        let p = shown_prefix(&a);
        assert_eq!(p.len(), 12);
        assert!(a.starts_with(&p));
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        // Reference value: `printf abc | sha256sum`.
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn only_well_formed_secrets_look_like_ours() {
        assert!(!looks_like_secret("lst_abc"));
        assert!(!looks_like_secret(&format!("xyz_{}", "a".repeat(64))));
        assert!(!looks_like_secret(&format!("lst_{}", "g".repeat(64))));
        assert!(looks_like_secret(&format!("lst_{}", "A0".repeat(32))));
    }

    #[test]
    fn bearer_headers_are_parsed_and_other_schemes_ignored() {
        assert_eq!(parse_bearer("Bearer lst_x"), Some("lst_x"));
        assert_eq!(parse_bearer("bearer   lst_x "), Some("lst_x"));
        assert_eq!(parse_bearer("Basic dXNlcjpwdw=="), None);
        assert_eq!(parse_bearer("Bearer "), None);
        assert_eq!(parse_bearer("Bearer"), None);
    }

    #[test]
    fn expired_and_revoked_tokens_are_not_usable() {
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let t = token(now);
        assert!(t.is_usable(now));
        let expiring = ApiToken { expires_at: Some(now + Duration::hours(1)), ..t.clone() };
        assert!(expiring.is_usable(now + Duration::minutes(59)));
        assert!(!expiring.is_usable(now + Duration::hours(1)));
        assert!(!ApiToken { revoked_at: Some(now), ..t }.is_usable(now));
    }

    #[test]
    fn last_used_is_written_at_most_once_a_minute() {
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let mut t = token(now);
        assert!(t.should_touch(now), "never used yet");
        t.last_used_at = Some(now);
        assert!(!t.should_touch(now + Duration::seconds(59)));
        assert!(t.should_touch(now + Duration::minutes(1)));
    }

    #[test]
    fn access_round_trips_through_its_name() {
        for a in [Access::Read, Access::Write] {
            assert_eq!(Access::parse(a.as_str()), Some(a));
        }
        assert_eq!(Access::parse("admin"), None);
    }
}
