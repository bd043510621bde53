//! One guarded login check for every kind of principal (a counter today, staff accounts next): each
//! attempt is counted before its secret is checked, so parallel guesses cannot slip past the limit; slow
//! hash checks run a few at a time; after a few failures every further attempt waits a growing delay
//! instead of locking the owner out; failures are kept in the database across restarts. A browser that
//! once logged in as a principal carries a cookie and is counted apart from strangers, so their guessing
//! never delays its owner. docs/api.md gives the figures.

use crate::domain::backoff::{Backoff, Failures};
use crate::domain::clock::millis;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The cookie that marks a browser known to a principal.
pub const KNOWN_COOKIE: &str = "motcua_known";

/// Keys remembered at most; when full, old quiet ones go first, and a new key is refused if none can.
const MAX_KEYS: usize = 20_000;

/// How long a hash check waits for a free slot before the attempt is refused as busy.
const HASH_WAIT: Duration = Duration::from_secs(2);

/// Why an attempt was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Too many failures lately: the next attempt may come in this many seconds.
    Wait { seconds: u64 },
    /// Every hash slot stayed busy.
    Busy,
}

/// An attempt that passed the gate; its keys are counted as failed until it succeeds.
#[derive(Debug)]
pub struct Attempt {
    keys: Vec<String>,
    pub principal: String,
    pub client: String,
}

pub struct LoginGuard {
    backoff: Backoff,
    state: Mutex<HashMap<String, Failures>>,
    hashing: Semaphore,
    /// Argon2's working memory, one per hash slot, allocated once and reused.
    memory: Mutex<Vec<Vec<argon2::Block>>>,
}

impl LoginGuard {
    /// `hash_slots` hash checks may run at once (each Argon2 check holds about 19 MiB while it runs).
    pub fn new(backoff: Backoff, hash_slots: usize, remembered: Vec<(String, Failures)>) -> LoginGuard {
        LoginGuard {
            backoff,
            state: Mutex::new(remembered.into_iter().collect()),
            hashing: Semaphore::new(hash_slots.max(1)),
            memory: Mutex::new((0..hash_slots.max(1)).map(|_| Vec::new()).collect()),
        }
    }

    /// Counts an attempt at `principal` from `client` (`known` when the browser carries a cookie from
    /// an earlier good login as this principal), or says how long to wait. The keys and their new counts
    /// are returned for storing.
    pub fn begin(
        &self,
        principal: &str,
        known: Option<&str>,
        client: &str,
        now_ms: i64,
    ) -> Result<(Attempt, Vec<(String, Failures)>), Refused> {
        // A known browser has its own count and nothing else (a stranger behind the same address cannot
        // slow it down); strangers share the principal's count, and each client has one across every
        // principal it tries.
        let keys = match known {
            Some(browser) => vec![format!("{principal}#{browser}")],
            None => vec![principal.to_string(), format!("client:{client}")],
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| state.get(k).map(|f| self.backoff.current(f, now_ms)))
            .map(|f| f.next_ms - now_ms)
            .max()
            .unwrap_or(0);
        if wait > 0 {
            return Err(Refused::Wait { seconds: (wait as u64).div_ceil(1000) });
        }
        if state.len() + keys.len() > MAX_KEYS {
            let quiet = self.backoff.quiet_ms();
            state.retain(|_, f| now_ms - f.last_ms < quiet);
            if state.len() + keys.len() > MAX_KEYS {
                return Err(Refused::Wait { seconds: 60 });
            }
        }
        let mut counted = Vec::with_capacity(keys.len());
        for key in &keys {
            let previous = state.get(key).map(|f| self.backoff.current(f, now_ms)).unwrap_or_default();
            let next = self.backoff.failed(previous, now_ms);
            state.insert(key.clone(), next);
            counted.push((key.clone(), next));
        }
        Ok((Attempt { keys, principal: principal.to_string(), client: client.to_string() }, counted))
    }

    /// Runs a slow secret check (Argon2) with one of the few hash slots and its working memory, off the
    /// async threads.
    pub async fn verify(
        &self,
        check: impl FnOnce(&mut Vec<argon2::Block>) -> bool + Send + 'static,
    ) -> Result<bool, Refused> {
        let _slot = match tokio::time::timeout(HASH_WAIT, self.hashing.acquire()).await {
            Ok(Ok(slot)) => slot,
            _ => return Err(Refused::Busy),
        };
        // A slot held means a buffer is free.
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default();
        let checked = tokio::task::spawn_blocking(move || {
            let ok = check(&mut memory);
            (ok, memory)
        })
        .await;
        match checked {
            Ok((ok, memory)) => {
                self.memory.lock().unwrap_or_else(|e| e.into_inner()).push(memory);
                Ok(ok)
            }
            Err(_) => {
                self.memory.lock().unwrap_or_else(|e| e.into_inner()).push(Vec::new());
                Err(Refused::Busy)
            }
        }
    }

    /// The attempt's secret was right: its counts start again. Returns the keys to clear in storage.
    pub fn succeeded(&self, attempt: &Attempt) -> Vec<String> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        for key in &attempt.keys {
            state.remove(key);
        }
        attempt.keys.clone()
    }

    /// How long failures are remembered without another one.
    pub fn quiet_ms(&self) -> i64 {
        self.backoff.quiet_ms()
    }

    /// Failures remembered for a key now (for tests and the console's future account screens).
    pub fn failures(&self, key: &str, now_ms: i64) -> u32 {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.get(key).map_or(0, |f| self.backoff.current(f, now_ms).failures)
    }
}

/// A principal whose secret was right, and the browser cookie that marks the browser as known to it.
pub struct Passed {
    pub known_cookie: String,
}

/// The one guarded login, for any principal whose secret is kept as an Argon2 hash: the attempt is
/// counted (and stored) before the hash is checked, the check waits for a hash slot, failures are logged
/// with the client's address. `hash` is None when the principal has no secret set (refused as `no_secret`).
pub async fn login(
    hub: &std::sync::Arc<super::Hub>,
    principal: &str,
    client: &str,
    headers: &axum::http::HeaderMap,
    hash: Option<String>,
    secret: String,
) -> Result<Passed, LoginRefusal> {
    use crate::app::access;
    use crate::app::counter::hash_token;
    let now_ms = millis(hub.clock().now());
    // A cookie from an earlier good login as this very principal gives the browser its own count.
    let cookie = super::auth::cookie(headers, KNOWN_COOKIE).filter(|c| super::auth::plausible(c));
    let known = match cookie.clone() {
        Some(c) => {
            let hashed = hash_token(&c);
            let lookup = hashed.clone();
            let owner = hub.read_async(move |store, _, _| access::known_browser(store, &lookup)).await;
            owner.ok().flatten().filter(|p| p == principal).map(|_| hashed[..16].to_string())
        }
        None => None,
    };
    let (attempt, counted) = match hub.guard().begin(principal, known.as_deref(), client, now_ms) {
        Ok(begun) => begun,
        Err(refused) => {
            tracing::warn!(principal, client, "login refused: too many failed attempts lately");
            return Err(LoginRefusal::Refused(refused));
        }
    };
    hub.change_later("failed-login counts", move |store| access::count_failures(store, &counted));
    let Some(hash) = hash else {
        tracing::warn!(principal, client, "login failed: no secret is set");
        return Err(LoginRefusal::NoSecret);
    };
    let ok = hub
        .guard()
        .verify(move |memory| crate::app::counter::verify_secret(&hash, secret.as_bytes(), memory))
        .await
        .map_err(LoginRefusal::Refused)?;
    if !ok {
        hub.metrics().login_failed();
        tracing::warn!(principal = attempt.principal, client = attempt.client, "login failed: wrong secret");
        return Err(LoginRefusal::Wrong);
    }
    let cleared = hub.guard().succeeded(&attempt);
    let known_cookie = match (known, cookie) {
        (Some(_), Some(c)) => c,
        _ => crate::app::queue::token().map_err(|_| LoginRefusal::Refused(Refused::Busy))?,
    };
    let (remember, owner) = (hash_token(&known_cookie), principal.to_string());
    hub.change_later("a good login", move |store| access::passed(store, &cleared, &remember, &owner, now_ms));
    Ok(Passed { known_cookie })
}

/// Why a login did not pass.
#[derive(Debug)]
pub enum LoginRefusal {
    Refused(Refused),
    NoSecret,
    Wrong,
}

/// The answer to a login the guard refused before checking its secret.
pub(super) fn refusal(r: Refused) -> super::reply::ApiError {
    use axum::http::StatusCode;
    match r {
        Refused::Wait { seconds } => super::reply::ApiError::too_many(seconds),
        Refused::Busy => super::reply::ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "Máy chủ đang bận kiểm tra đăng nhập. Vui lòng thử lại sau giây lát.",
            "the hub is busy checking logins; try again in a moment",
        )
        .retry_after(2),
    }
}

/// The cookie a good login gives: its name, value and lifetime in seconds.
pub(super) struct Granted<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub max_age_s: i64,
}

impl<'a> Granted<'a> {
    /// A staff or counter session, for `[hub] session_minutes`.
    pub fn session(hub: &super::Hub, token: &'a str) -> Granted<'a> {
        let max_age_s = i64::from(hub.config().hub.session_minutes) * 60;
        Granted { name: super::auth::SESSION_COOKIE, value: token, max_age_s }
    }
}

/// The answer to a good login: `body`, the cookie it grants, and the cookie that makes the browser known
/// to the principal from now on, scoped to the login's own path (docs/api.md, logins).
pub(super) fn session_response(
    body: impl axum::response::IntoResponse,
    granted: Granted<'_>,
    passed: &Passed,
    login_path: &str,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let Granted { name, value, max_age_s } = granted;
    let cookies = [
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}"),
        format!(
            "{KNOWN_COOKIE}={}; Path={login_path}; HttpOnly; SameSite=Strict; Max-Age=31536000",
            passed.known_cookie
        ),
    ];
    let mut response = body.into_response();
    for cookie in cookies {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
