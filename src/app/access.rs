//! Who may reach the hub, as the hub asks for it: what it remembers when it starts, failed logins kept
//! across restarts, browsers known to a principal, and the revocations it watches for.

use super::queue::QueueError;
use crate::domain::backoff::Failures;
use crate::store::{access as repo, queue as events, Store};

/// What a starting hub reads once: the epoch clients resume under, the last event, the failures of the
/// quiet period before `since_ms` and the last revocation.
pub struct AtStart {
    pub epoch: String,
    pub last_event: i64,
    pub failures: Vec<(String, Failures)>,
    pub last_revocation: i64,
}

pub fn at_start(store: &Store, since_ms: i64) -> Result<AtStart, QueueError> {
    let conn = store.conn();
    Ok(AtStart {
        epoch: repo::epoch(conn)?,
        last_event: events::last_event_id(conn)?,
        failures: repo::recent_failures(conn, since_ms)?,
        last_revocation: repo::last_revocation(conn)?,
    })
}

/// When something was last revoked (a device, a session, an account); the hub forgets every holder it
/// remembers when this moves.
pub fn last_revocation(store: &Store) -> Result<i64, QueueError> {
    Ok(repo::last_revocation(store.conn())?)
}

/// The principal a browser's cookie was given to at a good login, if any.
pub fn known_browser(store: &Store, token_hash: &str) -> Result<Option<String>, QueueError> {
    Ok(repo::known_browser(store.conn(), token_hash)?)
}

/// Stores the failure counts of an attempt, before its secret is checked.
pub fn count_failures(store: &Store, counted: &[(String, Failures)]) -> Result<(), QueueError> {
    for (key, f) in counted {
        repo::set_failures(store.conn(), key, f)?;
    }
    Ok(())
}

/// A good login: its keys start again from nothing, and its browser is known to the principal.
pub fn passed(
    store: &Store,
    cleared: &[String],
    browser: &str,
    principal: &str,
    now_ms: i64,
) -> Result<(), QueueError> {
    for key in cleared {
        repo::clear_failures(store.conn(), key)?;
    }
    repo::set_known_browser(store.conn(), browser, principal, now_ms)?;
    Ok(())
}

/// Forgets browsers that have not logged in since `before_ms`: after a long absence a browser counts as
/// a stranger's again, and the table does not grow for ever.
pub fn forget_browsers(store: &Store, before_ms: i64) -> Result<usize, QueueError> {
    Ok(repo::forget_browsers(store.conn(), before_ms)?)
}

/// Forgets failures older than `before_ms`, so that the table stays small under attack.
pub fn forget_failures(store: &Store, before_ms: i64) -> Result<usize, QueueError> {
    Ok(repo::forget_failures(store.conn(), before_ms)?)
}
