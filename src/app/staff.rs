//! Staff accounts: added, listed, disabled and given a new secret by `motcua staff`, a staff member's own
//! PIN change on the console, and the account a login names. Secrets are kept as Argon2id hashes; a
//! disabled account or a new secret ends the account's sessions, and a running hub hears of it within a
//! second (a revocation).

use super::counter::hash_secret;
use super::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{millis, Clock};
use crate::domain::staff::{self, Roles, StaffRefusal};
use crate::store::staff::{self as repo, Staff};
use crate::store::{access, Store};

fn refused<T>(r: StaffRefusal) -> Result<T, QueueError> {
    Err(QueueError::Staff(r))
}

/// The account a username names, with its secret's hash; `Unknown` when there is none.
fn named(store: &Store, username: &str) -> Result<(Staff, String), QueueError> {
    let name = staff::username(username)?;
    repo::by_username(store.conn(), &name)?.ok_or(QueueError::Staff(StaffRefusal::Unknown(name)))
}

impl From<StaffRefusal> for QueueError {
    fn from(r: StaffRefusal) -> QueueError {
        QueueError::Staff(r)
    }
}

/// Adds an account. The secret is a PIN (`hub.pin_min_length` to 12 digits) or a password.
pub fn add(
    store: &Store,
    config: &Config,
    username: &str,
    name: &str,
    roles: &str,
    secret: &str,
    clock: &dyn Clock,
) -> Result<Staff, QueueError> {
    let username = staff::username(username)?;
    let name = staff::display_name(name)?;
    let roles = Roles::parse(roles)?;
    staff::check_secret(secret, config.hub.pin_min_length)?;
    let hash = hash_secret(secret)?;
    let Some(id) = repo::insert(store.conn(), &username, &name, &roles, &hash, millis(clock.now()))? else {
        return refused(StaffRefusal::Taken(username));
    };
    Ok(Staff { id, username, name, roles, active: true })
}

pub fn list(store: &Store) -> Result<Vec<Staff>, QueueError> {
    Ok(repo::list(store.conn())?)
}

/// Ends an account's sessions and tells a running hub; false when it had none.
fn end_sessions(store: &Store, account: &Staff, why: &str, now_ms: i64) -> Result<bool, QueueError> {
    let ended = repo::end_sessions(store.conn(), account.id)? > 0;
    if ended {
        access::revoked(store.conn(), &format!("staff:{} sessions ({why})", account.username), now_ms)?;
    }
    Ok(ended)
}

/// Disables an account (or enables it again): a disabled account cannot log in, and its sessions end.
/// The account stays, so that what it signed still names it.
pub fn set_active(store: &Store, username: &str, active: bool, clock: &dyn Clock) -> Result<Staff, QueueError> {
    let (account, _) = named(store, username)?;
    let now_ms = millis(clock.now());
    repo::set_active(store.conn(), account.id, active, now_ms)?;
    if !active {
        end_sessions(store, &account, "disabled", now_ms)?;
    }
    Ok(Staff { active, ..account })
}

/// Gives an account a new secret (staff forgot theirs): its sessions end.
pub fn reset_secret(
    store: &Store,
    config: &Config,
    username: &str,
    secret: &str,
    clock: &dyn Clock,
) -> Result<Staff, QueueError> {
    let (account, _) = named(store, username)?;
    staff::check_secret(secret, config.hub.pin_min_length)?;
    let now_ms = millis(clock.now());
    repo::set_secret(store.conn(), account.id, &hash_secret(secret)?, now_ms)?;
    end_sessions(store, &account, "new secret", now_ms)?;
    Ok(account)
}

/// A staff member's own change of secret, once the current one was checked (through the hub's guarded
/// login check): the session that asked stays, every other session of the account ends.
pub fn change_own_secret(
    store: &Store,
    config: &Config,
    id: i64,
    keep_token: &str,
    secret: &str,
    clock: &dyn Clock,
) -> Result<(), QueueError> {
    staff::check_secret(secret, config.hub.pin_min_length)?;
    let Some((account, _)) = repo::by_id(store.conn(), id)? else { return refused(StaffRefusal::WrongLogin) };
    let now_ms = millis(clock.now());
    repo::set_secret(store.conn(), id, &hash_secret(secret)?, now_ms)?;
    let kept = repo::keep_only_session(store.conn(), id, &super::counter::hash_token(keep_token))?;
    if kept > 0 {
        access::revoked(store.conn(), &format!("staff:{} other sessions (new secret)", account.username), now_ms)?;
    }
    Ok(())
}

/// What a login by username checks: the account and its secret's hash, when the account exists and is
/// active. A username that is not even well formed is no account.
pub fn for_login(store: &Store, username: &str) -> Result<Option<(Staff, String)>, QueueError> {
    let Ok(name) = staff::username(username) else { return Ok(None) };
    Ok(repo::by_username(store.conn(), &name)?.filter(|(s, _)| s.active))
}
