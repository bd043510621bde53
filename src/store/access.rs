//! Who may reach the hub and how often they failed: the database's epoch, failed logins kept across
//! restarts, browsers known to a principal, devices and the revocations a running hub watches for.

use super::StoreError;
pub use crate::domain::backoff::Failures;
use rusqlite::{params, Connection, OptionalExtension};

/// The database's epoch: made when it is created, made again when it is restored.
pub fn epoch(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/meta_get.sql"))?
        .query_row(["epoch"], |r| r.get::<_, String>(0))
        .optional()?
        .unwrap_or_default())
}

/// Gives the database a new epoch (after a restore), so that every client resumes from a snapshot.
pub fn renew_epoch(conn: &Connection, epoch: &str) -> Result<(), StoreError> {
    conn.execute(include_str!("sql/meta_set.sql"), params!["epoch", epoch])?;
    Ok(())
}

/// Failures recorded after `since_ms`, to fill the hub's memory when it starts.
pub fn recent_failures(conn: &Connection, since_ms: i64) -> Result<Vec<(String, Failures)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/login_failure_recent.sql"))?;
    let rows = stmt.query_map([since_ms], |r| {
        Ok((r.get(0)?, Failures { failures: r.get(1)?, last_ms: r.get(2)?, next_ms: r.get(3)? }))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn set_failures(conn: &Connection, key: &str, f: &Failures) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/login_failure_set.sql"))?
        .execute(params![key, f.failures, f.last_ms, f.next_ms])?;
    Ok(())
}

pub fn clear_failures(conn: &Connection, key: &str) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/login_failure_clear.sql"))?.execute([key])?;
    Ok(())
}

/// Forgets failures older than `before_ms` (the back-off forgets them after a quiet day anyway).
pub fn forget_failures(conn: &Connection, before_ms: i64) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/login_failure_forget.sql"))?.execute([before_ms])?)
}

/// Forgets browsers that have not logged in since `before_ms`.
pub fn forget_browsers(conn: &Connection, before_ms: i64) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/known_browser_forget.sql"))?.execute([before_ms])?)
}

/// Remembers (or refreshes) a browser that logged in as `principal`.
pub fn set_known_browser(conn: &Connection, token_hash: &str, principal: &str, at_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/known_browser_set.sql"))?.execute(params![token_hash, principal, at_ms])?;
    Ok(())
}

/// The principal a known browser once logged in as.
pub fn known_browser(conn: &Connection, token_hash: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/known_browser_get.sql"))?
        .query_row([token_hash], |r| r.get(0))
        .optional()?)
}

/// Records a revocation; running hubs forget what they remembered when they see it.
pub fn revoked(conn: &Connection, what: &str, at_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/revocation_insert.sql"))?.execute(params![at_ms, what])?;
    Ok(())
}

/// The latest revocation's id (0 when there was none).
pub fn last_revocation(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/revocation_last.sql"))?.query_row([], |r| r.get(0))?)
}

/// A registered device as `motcua device list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Device {
    pub name: String,
    pub role: String,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

pub fn devices(conn: &Connection) -> Result<Vec<Device>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/device_list.sql"))?;
    let rows = stmt.query_map([], |r| {
        Ok(Device { name: r.get(0)?, role: r.get(1)?, created_ms: r.get(2)?, revoked_ms: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Revokes a device's token; false when no live device has that name.
pub fn revoke_device(conn: &Connection, name: &str, at_ms: i64) -> Result<bool, StoreError> {
    Ok(conn.execute(include_str!("sql/device_revoke.sql"), params![name, at_ms])? == 1)
}

/// Ends every session of a counter (its PIN changed, or staff ended them).
pub fn end_counter_sessions(conn: &Connection, counter: u32) -> Result<usize, StoreError> {
    Ok(conn.execute(include_str!("sql/session_end_counter.sql"), [counter])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const DAY: i64 = 86_400_000;

    #[test]
    fn old_failures_and_browsers_unused_for_long_are_forgotten_and_recent_ones_kept() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let failed = |last_ms| Failures { failures: 3, last_ms, next_ms: last_ms + 1000 };
        set_failures(conn, "counter:1", &failed(0)).unwrap();
        set_failures(conn, "counter:2", &failed(2 * DAY)).unwrap();
        assert_eq!(forget_failures(conn, DAY).unwrap(), 1);
        let kept: Vec<String> = recent_failures(conn, -1).unwrap().into_iter().map(|(key, _)| key).collect();
        assert_eq!(kept, ["counter:2"]);

        set_known_browser(conn, "old", "counter:1", 0).unwrap();
        set_known_browser(conn, "used", "counter:1", 0).unwrap();
        // Logging in again refreshes a browser.
        set_known_browser(conn, "used", "counter:1", 100 * DAY).unwrap();
        assert_eq!(forget_browsers(conn, 90 * DAY).unwrap(), 1);
        assert_eq!(known_browser(conn, "old").unwrap(), None);
        assert_eq!(known_browser(conn, "used").unwrap().as_deref(), Some("counter:1"));
    }
}
