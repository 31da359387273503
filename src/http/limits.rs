//! Abuse protection: rate limits on login and story submission, keyed by account or client
//! address. Addresses live only in memory, in these limiters, and are never stored or logged.

use super::AppState;
use crate::config::Config;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

pub struct RateLimits {
    pub login_account: DefaultKeyedRateLimiter<String>,
    pub login_client: DefaultKeyedRateLimiter<IpAddr>,
    pub story_client: DefaultKeyedRateLimiter<IpAddr>,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    pub fn new(c: &Config) -> RateLimits {
        let per_minute = |n: u32| Quota::per_minute(nz(n));
        let stories = Quota::with_period(Duration::from_secs(3600) / c.stories_per_client_per_hour.max(1))
            .unwrap_or_else(|| Quota::per_hour(nz(c.stories_per_client_per_hour)))
            .allow_burst(nz(c.story_burst));
        RateLimits {
            login_account: RateLimiter::keyed(per_minute(c.login_per_account_per_minute)),
            login_client: RateLimiter::keyed(per_minute(c.login_per_client_per_minute)),
            story_client: RateLimiter::keyed(stories),
        }
    }

    /// Forgets keys that are back to full capacity, so memory stays bounded.
    pub fn shrink(&self) {
        self.login_account.retain_recent();
        self.login_client.retain_recent();
        self.story_client.retain_recent();
    }
}

/// Takes one from the limiter; `Err(seconds)` says how long to wait.
pub fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), u64> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        wait.as_secs().max(1)
    })
}

/// The client's address: from the trusted proxy header when one is configured (its last
/// address, the one our proxy added), otherwise the connection's peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(header) = &state.config.trusted_proxy_header
            && let Some(value) = parts.headers.get(header.as_str()).and_then(|v| v.to_str().ok())
            && let Some(ip) =
                value.rsplit(',').map(str::trim).find(|s| !s.is_empty()).and_then(|s| s.parse().ok())
        {
            return Ok(ClientAddr(ip));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        Ok(ClientAddr(peer))
    }
}
