//! Who may act at a counter, and which devices may talk to the hub: PINs kept as Argon2id hashes, session
//! tokens and device tokens kept as SHA-256 hashes (they are random, so a fast hash is enough). Logins are
//! checked by the hub's one guarded login (hub::guard).

use super::desk::log;
use crate::app::queue::{token, QueueError};
use crate::config::Config;
use crate::domain::clock::{millis, Clock};
use crate::domain::counter::CounterRefusal;
use crate::domain::counter::Desk;
use crate::domain::ticket::EventKind;
use crate::store::access;
use crate::store::counter::{self as repo, Session};
use crate::store::staff::Staff;
use crate::store::Store;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// SHA-256 of a random token, as stored.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(r: CounterRefusal) -> QueueError {
    QueueError::Counter(r)
}

/// Sets (or replaces) a counter's PIN: `hub.pin_min_length` to 12 digits, stored as an Argon2id hash. The
/// counter's open sessions end (a running hub hears of it within a second).
pub fn set_pin(store: &Store, config: &Config, counter: u32, pin: &str, clock: &dyn Clock) -> Result<(), QueueError> {
    if !config.counters.iter().any(|c| c.number == counter) {
        return Err(refused(CounterRefusal::UnknownCounter(counter)));
    }
    let min = config.hub.pin_min_length as usize;
    if !(min..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(CounterRefusal::PinFormat { min: config.hub.pin_min_length }));
    }
    let now_ms = millis(clock.now());
    repo::set_pin(store.conn(), counter, &hash_secret(pin)?, now_ms)?;
    if access::end_counter_sessions(store.conn(), counter)? > 0 {
        access::revoked(store.conn(), &format!("counter:{counter} sessions (new PIN)"), now_ms)?;
    }
    Ok(())
}

/// A secret (a PIN or a password) as stored: an Argon2id PHC string with a random salt.
pub fn hash_secret(secret: &str) -> Result<String, QueueError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| QueueError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| QueueError::Random(e.to_string()))?;
    let hash =
        Argon2::default().hash_password(secret.as_bytes(), &salt).map_err(|e| QueueError::Random(e.to_string()))?;
    Ok(hash.to_string())
}

/// Checks a secret (a PIN or a password) against its stored Argon2 hash. `memory` is Argon2's working
/// memory (19 MiB with the default parameters), kept by the caller and reused: allocating it for every
/// check left the memory with the allocator's per-thread arenas, and a flood of logins grew the hub by
/// gigabytes. Anything unreadable in the stored hash is a mismatch.
pub fn verify_secret(stored: &str, secret: &[u8], memory: &mut Vec<argon2::Block>) -> bool {
    use argon2::password_hash::PasswordHash;
    use argon2::{Algorithm, Argon2, Params, Version};
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let Some(expected) = hash.hash else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(hash.algorithm), Params::try_from(&hash)) else {
        return false;
    };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else { return false };
    let mut salt_bytes = [0u8; 64];
    let Some(salt) = hash.salt.and_then(|s| s.decode_b64(&mut salt_bytes).ok()) else { return false };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    if argon.hash_password_into_with_memory(secret, salt, &mut out, &mut memory[..blocks]).is_err() {
        return false;
    }
    same_bytes(&out, expected.as_bytes())
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new session: the token goes in a cookie (or an Authorization header), the CSRF token in a header on
/// every change made through the cookie.
#[derive(Debug, Clone)]
pub struct Login {
    pub counter: Option<u32>,
    pub staff: Option<Staff>,
    pub session: String,
    pub csrf: String,
    pub expires_ms: i64,
}

/// A counter's stored PIN hash, if one was set.
pub fn pin_hash(store: &Store, counter: u32) -> Result<Option<String>, QueueError> {
    Ok(repo::pin_hash(store.conn(), counter)?)
}

/// Opens a session whose secret was checked: at a counter (with its staff member, or none for the
/// counter's own PIN), or of a staff member alone. A login at a counter is an event, and ends the
/// sessions another person holds there (each with its own event): one person works a counter at a
/// time, so that every call is signed by whoever made it.
pub fn open_session(
    store: &mut Store,
    config: &Config,
    counter: Option<u32>,
    staff: Option<Staff>,
    clock: &dyn Clock,
) -> Result<Login, QueueError> {
    let now_ms = millis(clock.now());
    let session = token()?;
    let csrf = token()?;
    let expires_ms = now_ms + i64::from(config.hub.session_minutes) * 60_000;
    let staff_id = staff.as_ref().map(|s| s.id);
    let tx = store.change()?;
    if let Some(counter) = counter {
        let mut replaced = 0;
        for (token_hash, holder) in repo::sessions_at(&tx, counter, now_ms)? {
            if holder != staff_id {
                repo::delete_session(&tx, &token_hash, now_ms)?;
                let at = Desk { counter, staff: holder };
                log(&tx, now_ms, None, EventKind::LoggedOut, Some(at), Some("replaced by another login"))?;
                replaced += 1;
            }
        }
        if replaced > 0 {
            access::revoked(&tx, &format!("counter:{counter} sessions (another login)"), now_ms)?;
        }
        log(&tx, now_ms, None, EventKind::LoggedIn, Some(Desk { counter, staff: staff_id }), Some("login"))?;
    }
    let stored = Session { counter, staff: staff.clone(), csrf: csrf.clone(), expires_ms };
    repo::insert_session(&tx, &hash_token(&session), &stored, now_ms)?;
    tx.commit()?;
    Ok(Login { counter, staff, session, csrf, expires_ms })
}

/// The live session holding this token.
pub fn session(store: &Store, token: &str, clock: &dyn Clock) -> Result<Option<Session>, QueueError> {
    let now_ms = millis(clock.now());
    Ok(repo::session(store.conn(), &hash_token(token))?.filter(|s| s.expires_ms > now_ms))
}

/// Ends a session; at a counter, with an event.
pub fn logout(store: &mut Store, token: &str, clock: &dyn Clock) -> Result<(), QueueError> {
    let now_ms = millis(clock.now());
    let tx = store.change()?;
    let hash = hash_token(token);
    if let Some(Session { counter: Some(counter), staff, .. }) = repo::session(&tx, &hash)? {
        let at = Desk { counter, staff: staff.map(|s| s.id) };
        log(&tx, now_ms, None, EventKind::LoggedOut, Some(at), Some("logout"))?;
    }
    repo::delete_session(&tx, &hash, now_ms)?;
    tx.commit()?;
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
    if repo::rotate_device(store.conn(), name, role, &hash, at)? {
        // A running hub forgets the old token.
        access::revoked(store.conn(), &format!("device {name} given a new token"), at)?;
    } else {
        repo::insert_device(store.conn(), name, role, &hash, at)?;
    }
    Ok(token)
}

/// The device holding a token: (name, role).
pub fn device(store: &Store, token: &str) -> Result<Option<(String, String)>, QueueError> {
    Ok(repo::device(store.conn(), &hash_token(token))?)
}

/// Revokes a device's token; a running hub refuses it within a second. False when no live device has
/// that name.
pub fn revoke_device(store: &Store, name: &str, clock: &dyn Clock) -> Result<bool, QueueError> {
    let now_ms = millis(clock.now());
    let done = access::revoke_device(store.conn(), name, now_ms)?;
    if done {
        access::revoked(store.conn(), &format!("device {name} revoked"), now_ms)?;
    }
    Ok(done)
}

/// Gives a device a new token (returned, shown once); the old one stops working within a second on a
/// running hub. None when no device has that name.
pub fn rotate_device(store: &Store, name: &str, clock: &dyn Clock) -> Result<Option<String>, QueueError> {
    let Some(device) = access::devices(store.conn())?.into_iter().find(|d| d.name == name) else { return Ok(None) };
    let token = token()?;
    let now_ms = millis(clock.now());
    repo::rotate_device(store.conn(), name, &device.role, &hash_token(&token), now_ms)?;
    access::revoked(store.conn(), &format!("device {name} given a new token"), now_ms)?;
    Ok(Some(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, SaltString};

    #[test]
    fn a_secret_is_checked_against_its_hash_with_memory_that_is_reused() {
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let stored = Argon2::default().hash_password(b"246813", &salt).unwrap().to_string();
        let mut memory = Vec::new();
        assert!(verify_secret(&stored, b"246813", &mut memory));
        let allocated = memory.len();
        assert_eq!(allocated, 19 * 1024, "19 MiB of 1 KiB blocks");
        assert!(!verify_secret(&stored, b"246814", &mut memory));
        assert_eq!(memory.len(), allocated, "the same memory again");
        for garbage in ["", "$argon2id$v=19$m=19456,t=2,p=1$AAAA", "plain text", &stored[..stored.len() - 3]] {
            assert!(!verify_secret(garbage, b"246813", &mut memory), "{garbage}");
        }
    }
}
