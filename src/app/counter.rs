//! Who may act at a counter, and which devices may talk to the hub: PINs kept as Argon2id hashes, session
//! tokens and device tokens kept as SHA-256 hashes (they are random, so a fast hash is enough), a lock-out
//! after repeated wrong PINs.

use crate::app::queue::{millis, token, QueueError};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::counter::CounterRefusal;
use crate::store::counter::{self as repo, Session};
use crate::store::Store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// SHA-256 of a random token, as stored.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(r: CounterRefusal) -> QueueError {
    QueueError::Counter(r)
}

/// Sets (or replaces) a counter's PIN: 4 to 12 digits, stored as an Argon2id hash.
pub fn set_pin(store: &Store, config: &Config, counter: u32, pin: &str, clock: &dyn Clock) -> Result<(), QueueError> {
    if !config.counters.iter().any(|c| c.number == counter) {
        return Err(refused(CounterRefusal::UnknownCounter(counter)));
    }
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(CounterRefusal::PinFormat));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| QueueError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| QueueError::Random(e.to_string()))?;
    let hash = Argon2::default().hash_password(pin.as_bytes(), &salt).map_err(|e| QueueError::Random(e.to_string()))?;
    repo::set_pin(store.conn(), counter, &hash.to_string(), millis(clock.now()))?;
    Ok(())
}

/// Wrong PINs per counter; after too many the counter's login is refused for a while, so that a 4-digit
/// PIN cannot be walked through from the LAN.
#[derive(Debug, Default)]
pub struct LoginGuard {
    failures: Mutex<HashMap<u32, (u32, i64)>>,
}

const LOCK_MS: i64 = 60_000;

impl LoginGuard {
    fn check(&self, counter: u32, now_ms: i64) -> Result<(), QueueError> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match failures.get(&counter) {
            Some(&(_, until)) if until > now_ms => {
                Err(refused(CounterRefusal::LockedOut { seconds: ((until - now_ms) as u64).div_ceil(1000) }))
            }
            _ => Ok(()),
        }
    }

    fn failed(&self, counter: u32, max: u32, now_ms: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let entry = failures.entry(counter).or_insert((0, 0));
        entry.0 += 1;
        if entry.0 >= max {
            *entry = (0, now_ms + LOCK_MS);
        }
    }

    fn succeeded(&self, counter: u32) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&counter);
    }
}

/// A new counter session: the token goes in a cookie (or an Authorization header), the CSRF token in a
/// header on every change made through the cookie.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Login {
    pub counter: u32,
    pub session: String,
    pub csrf: String,
    pub expires_ms: i64,
}

/// A counter's stored PIN hash, if one was set.
pub fn pin_hash(store: &Store, counter: u32) -> Result<Option<String>, QueueError> {
    Ok(repo::pin_hash(store.conn(), counter)?)
}

/// Checks a PIN against its hash (Argon2 takes a few milliseconds on purpose: the hub runs this away from
/// its database writer), counting failures towards the lock-out.
pub fn check_pin(
    config: &Config,
    guard: &LoginGuard,
    counter: u32,
    pin: &str,
    hash: Option<&str>,
    clock: &dyn Clock,
) -> Result<(), QueueError> {
    let now_ms = millis(clock.now());
    if !config.counters.iter().any(|c| c.number == counter) {
        return Err(refused(CounterRefusal::WrongPin));
    }
    guard.check(counter, now_ms)?;
    let Some(hash) = hash else {
        return Err(refused(CounterRefusal::NoPin(counter)));
    };
    let ok = PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok());
    if !ok {
        guard.failed(counter, config.hub.max_login_failures.max(1), now_ms);
        return Err(refused(CounterRefusal::WrongPin));
    }
    guard.succeeded(counter);
    Ok(())
}

/// Opens a session for a counter whose PIN was checked.
pub fn open_session(store: &Store, config: &Config, counter: u32, clock: &dyn Clock) -> Result<Login, QueueError> {
    let now_ms = millis(clock.now());
    let session = token()?;
    let csrf = token()?;
    let expires_ms = now_ms + i64::from(config.hub.session_minutes) * 60_000;
    let stored = Session { counter, csrf: csrf.clone(), expires_ms };
    repo::insert_session(store.conn(), &hash_token(&session), &stored, now_ms)?;
    Ok(Login { counter, session, csrf, expires_ms })
}

/// The live session holding this token.
pub fn session(store: &Store, token: &str, clock: &dyn Clock) -> Result<Option<Session>, QueueError> {
    let now_ms = millis(clock.now());
    Ok(repo::session(store.conn(), &hash_token(token))?.filter(|s| s.expires_ms > now_ms))
}

pub fn logout(store: &Store, token: &str, clock: &dyn Clock) -> Result<(), QueueError> {
    repo::delete_session(store.conn(), &hash_token(token), millis(clock.now()))?;
    Ok(())
}

/// Registers a kiosk or display board and returns its token, shown once.
pub fn add_device(store: &Store, name: &str, role: &str, clock: &dyn Clock) -> Result<String, QueueError> {
    let token = token()?;
    repo::insert_device(store.conn(), name, role, &hash_token(&token), millis(clock.now()))?;
    Ok(token)
}

/// A token for a device on the hub's own machine (a display board started without one): the device is
/// added, or given a new token when it exists.
pub fn local_device(store: &Store, name: &str, role: &str, clock: &dyn Clock) -> Result<String, QueueError> {
    let token = token()?;
    let (hash, at) = (hash_token(&token), millis(clock.now()));
    if !repo::rotate_device(store.conn(), name, role, &hash, at)? {
        repo::insert_device(store.conn(), name, role, &hash, at)?;
    }
    Ok(token)
}

/// The device holding a token: (name, role).
pub fn device(store: &Store, token: &str) -> Result<Option<(String, String)>, QueueError> {
    Ok(repo::device(store.conn(), &hash_token(token))?)
}
