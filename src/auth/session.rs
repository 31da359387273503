//! Session tokens and their timeouts. The browser holds a random token; the database holds its
//! SHA-256, so neither a database copy nor a log line can be replayed as a login.

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// A new random session token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Ends a session nobody used for this long (default 30 minutes).
    pub idle: Duration,
    /// Ends every session this long after login, used or not (default 12 hours).
    pub absolute: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { idle: Duration::minutes(30), absolute: Duration::hours(12) }
    }
}

impl Timeouts {
    pub fn is_alive(&self, created: OffsetDateTime, last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
        now - last_seen < self.idle && now - created < self.absolute
    }

    /// Whether to write a new last-seen time: at most once a minute, so reading pages does not
    /// turn into a database write per request.
    pub fn should_touch(&self, last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
        now - last_seen >= Duration::minutes(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_after_idle_or_absolute_timeout() {
        let t = Timeouts::default();
        let t0 = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        assert!(t.is_alive(t0, t0, t0 + Duration::minutes(29)));
        assert!(!t.is_alive(t0, t0, t0 + Duration::minutes(30)));
        // Kept busy, it still ends after 12 hours.
        let now = t0 + Duration::hours(12);
        assert!(!t.is_alive(t0, now - Duration::minutes(1), now));
        assert!(t.is_alive(t0, now - Duration::minutes(1), now - Duration::seconds(1)));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
