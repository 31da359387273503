//! Abuse protection: rate limits on login, story submission, receipt look-ups and search, keyed
//! by account or client address, and an attempt budget around the public submission routes.
//! Addresses live only in memory, in these limiters, and are never stored or logged.

use super::AppState;
use crate::config::Config;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimits {
    /// Failed logins, per client, per account and per account-and-client (see `LoginThrottle`).
    pub login: LoginThrottle,
    pub story_client: DefaultKeyedRateLimiter<IpAddr>,
    /// Receipt look-ups and withdrawals per client address, and for the whole service: a code
    /// has about 90 bits, but nobody should be able to try them at full speed.
    pub receipt_client: DefaultKeyedRateLimiter<IpAddr>,
    pub receipt_all: DefaultDirectRateLimiter,
    /// Searches per account (a search can cost a lot of CPU).
    pub search_account: DefaultKeyedRateLimiter<String>,
    /// Wrong current passwords when changing one's password, per account.
    pub password_check: FailureLog<String>,
    /// Refused story posts and all previews per client address (see `attempt_budget`).
    pub attempts_client: FailureLog<IpAddr>,
    /// Join-code look-ups and participant notes per client address (sessions without accounts).
    pub participant_client: DefaultKeyedRateLimiter<IpAddr>,
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
            login: LoginThrottle::new(c.login_per_account_per_minute, c.login_per_client_per_minute),
            story_client: RateLimiter::keyed(stories),
            receipt_client: RateLimiter::keyed(per_minute(c.receipt_lookups_per_client_per_minute)),
            receipt_all: RateLimiter::direct(per_minute(c.receipt_lookups_per_minute)),
            search_account: RateLimiter::keyed(per_minute(c.searches_per_account_per_minute)),
            password_check: FailureLog::new(c.login_per_account_per_minute, Duration::from_secs(60)),
            attempts_client: FailureLog::new(c.submission_attempts_per_hour(), Duration::from_secs(3600)),
            // A room of thirty phones behind one school router must get in within a minute.
            participant_client: RateLimiter::keyed(per_minute(120)),
        }
    }

    /// Forgets keys that are back to full capacity, so memory stays bounded.
    pub fn shrink(&self) {
        self.login.shrink();
        self.story_client.retain_recent();
        self.receipt_client.retain_recent();
        self.search_account.retain_recent();
        self.password_check.shrink();
        self.attempts_client.shrink();
        self.participant_client.retain_recent();
    }

    /// One receipt look-up or withdrawal: first the client's budget, then the service's.
    pub fn receipt(&self, client: &IpAddr) -> Result<(), u64> {
        check(&self.receipt_client, client)?;
        self.receipt_all
            .check()
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }
}

/// Recent failures per key within a sliding window. Hand-written because governor's limiters
/// can only be asked by taking from them: here only failures count, and a key is asked whether
/// it is blocked without using anything up.
pub struct FailureLog<K> {
    max: usize,
    window: Duration,
    seen: Mutex<HashMap<K, VecDeque<Instant>>>,
}

/// Most keys a failure log keeps; beyond it the oldest activity is forgotten first.
const MAX_KEYS: usize = 100_000;

impl<K: std::hash::Hash + Eq + Clone> FailureLog<K> {
    pub fn new(max: u32, window: Duration) -> FailureLog<K> {
        FailureLog { max: max.max(1) as usize, window, seen: Mutex::new(HashMap::new()) }
    }

    fn recent(&self, key: &K, now: Instant) -> usize {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(key).map_or(0, |q| q.iter().filter(|t| now.duration_since(**t) < self.window).count())
    }

    /// `Err(seconds)` while the key has had `max` failures within the window.
    pub fn blocked(&self, key: &K) -> Result<(), u64> {
        let now = Instant::now();
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let Some(q) = seen.get(key) else { return Ok(()) };
        let live: Vec<&Instant> = q.iter().filter(|t| now.duration_since(**t) < self.window).collect();
        if live.len() < self.max {
            return Ok(());
        }
        // Free again when the oldest failure that still counts leaves the window.
        let oldest = live[live.len() - self.max];
        Err((self.window.saturating_sub(now.duration_since(*oldest))).as_secs().max(1))
    }

    /// Whether the key failed at all within the window.
    pub fn failed_recently(&self, key: &K) -> bool {
        self.recent(key, Instant::now()) > 0
    }

    pub fn record(&self, key: K) {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_KEYS && !seen.contains_key(&key) {
            let window = self.window;
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
            if seen.len() >= MAX_KEYS {
                return;
            }
        }
        let q = seen.entry(key).or_default();
        q.push_back(now);
        while q.len() > self.max * 4 {
            q.pop_front();
        }
    }

    pub fn clear(&self, key: &K) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }

    fn shrink(&self) {
        let now = Instant::now();
        let window = self.window;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|_, q| {
            q.retain(|t| now.duration_since(*t) < window);
            !q.is_empty()
        });
    }
}

/// Login throttling that cannot be turned against the account owner. Only failed logins count:
/// a client that keeps failing is slowed down (per account, and over all accounts), and when an
/// account is under attack from many places, only clients that have been failing are held back.
/// A correct password from a client that has not been failing always gets in, so nobody can
/// keep staff locked out by typing wrong passwords for them.
pub struct LoginThrottle {
    client: FailureLog<IpAddr>,
    pair: FailureLog<(String, IpAddr)>,
    account: FailureLog<String>,
}

impl LoginThrottle {
    pub fn new(per_account: u32, per_client: u32) -> LoginThrottle {
        let minute = Duration::from_secs(60);
        LoginThrottle {
            client: FailureLog::new(per_client, minute),
            pair: FailureLog::new(per_account, minute),
            // Many failures on one account from anywhere: a distributed guess.
            account: FailureLog::new(per_account.saturating_mul(4), Duration::from_secs(15 * 60)),
        }
    }

    /// Whether this client may try this account now; `Err(seconds)` to wait.
    pub fn allow(&self, account: &str, client: IpAddr) -> Result<(), u64> {
        self.client.blocked(&client)?;
        self.pair.blocked(&(account.to_string(), client))?;
        if self.account.blocked(&account.to_string()).is_err() && self.client.failed_recently(&client) {
            return Err(60);
        }
        Ok(())
    }

    pub fn failed(&self, account: &str, client: IpAddr) {
        self.client.record(client);
        self.pair.record((account.to_string(), client));
        self.account.record(account.to_string());
    }

    pub fn succeeded(&self, account: &str, client: IpAddr) {
        self.pair.clear(&(account.to_string(), client));
    }

    fn shrink(&self) {
        self.client.shrink();
        self.pair.shrink();
        self.account.shrink();
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

/// The public routes that validate and scrub what anyone may post: the story form, its preview
/// and the API's story post.
const SUBMISSION_ROUTES: &[&str] =
    &["/c/{slug}/preview", "/c/{slug}/submit", "/api/v1/campaigns/{slug}/stories"];

/// A preview stores nothing and always runs the scrubber, so every one counts.
const PREVIEW_ROUTE: &str = "/c/{slug}/preview";

/// The attempt budget around the public submission routes, as a route layer: checked before
/// the handler validates or scrubs anything, charged when the answer is a refusal (a 4xx other
/// than 429) and for every preview. The budget is generous (ten times the story limit by
/// default), so a child who makes a few mistakes never notices while a flood of bad posts gets
/// 429 with `Retry-After` like a flood of good ones.
pub async fn attempt_budget(
    State(state): State<AppState>,
    client: ClientAddr,
    req: Request,
    next: Next,
) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let guarded =
        req.method() == Method::POST && route.as_deref().is_some_and(|r| SUBMISSION_ROUTES.contains(&r));
    if !guarded {
        return next.run(req).await;
    }
    let is_api = req.uri().path().starts_with("/api/");
    if let Err(wait) = state.limits.attempts_client.blocked(&client.0) {
        tracing::warn!(route = route.as_deref().unwrap_or(""), "submission attempt budget used up");
        return too_many_attempts(is_api, wait);
    }
    let resp = next.run(req).await;
    let status = resp.status();
    let refused = status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS;
    if refused || route.as_deref() == Some(PREVIEW_ROUTE) {
        state.limits.attempts_client.record(client.0);
    }
    resp
}

fn too_many_attempts(is_api: bool, wait: u64) -> Response {
    let mut resp = if is_api {
        (
            StatusCode::TOO_MANY_REQUESTS,
            Json(serde_json::json!({
                "code": "too_many_requests",
                "message": format!("Too many refused submissions from this address; try again in {wait} seconds."),
            })),
        )
            .into_response()
    } else {
        super::views::render(
            StatusCode::TOO_MANY_REQUESTS,
            false,
            &super::views::MessagePage {
                page: super::views::Page::new(crate::domain::Lang::Nl, "Even wachten"),
                heading: "Even wachten · Please wait".into(),
                text: format!(
                    "Vanaf dit adres is in korte tijd heel vaak iets verstuurd dat niet klopte. Probeer het over {} minuten opnieuw. · Too many attempts from this address; try again in {} minutes.",
                    wait.div_ceil(60),
                    wait.div_ceil(60)
                ),
                link: None,
            },
        )
    };
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_count_and_a_blocked_key_says_how_long_to_wait() {
        let log = FailureLog::new(3, Duration::from_secs(60));
        for _ in 0..2 {
            log.record("a");
        }
        assert!(log.blocked(&"a").is_ok());
        log.record("a");
        let wait = log.blocked(&"a").unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(log.blocked(&"b").is_ok());
        log.clear(&"a");
        assert!(log.blocked(&"a").is_ok());
    }

    #[test]
    fn an_attacked_account_still_lets_in_a_client_that_was_not_failing() {
        let t = LoginThrottle::new(5, 20);
        let owner: IpAddr = [10, 0, 0, 1].into();
        for i in 0..40u8 {
            let attacker: IpAddr = [192, 0, 2, i].into();
            t.failed("staf@example.nl", attacker);
        }
        assert!(t.allow("staf@example.nl", owner).is_ok(), "the owner's client never failed");
        assert!(t.allow("staf@example.nl", [192, 0, 2, 1].into()).is_err(), "a failing client waits");
        let repeat: IpAddr = [198, 51, 100, 1].into();
        for _ in 0..5 {
            t.failed("ander@example.nl", repeat);
        }
        assert!(t.allow("ander@example.nl", repeat).is_err(), "five failures on one account from one client");
    }
}
