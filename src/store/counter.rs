//! Counters and devices: hashed PINs, sessions, the paused flag, device tokens. Hashing happens in the
//! application layer; this module only stores what it is given.

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

pub fn set_pin(conn: &Connection, counter: u32, hash: &str, at_ms: i64) -> Result<(), StoreError> {
    conn.execute(include_str!("sql/counter_pin_set.sql"), params![counter, hash, at_ms])?;
    Ok(())
}

pub fn pin_hash(conn: &Connection, counter: u32) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row(include_str!("sql/counter_pin_get.sql"), [counter], |r| r.get(0)).optional()?)
}

/// A live session: at a counter (with the staff member logged in there, or none for the counter's own
/// PIN), or of a staff member alone (a leader reading the reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub counter: Option<u32>,
    pub staff: Option<super::staff::Staff>,
    pub csrf: String,
    pub expires_ms: i64,
}

pub fn insert_session(
    conn: &Connection,
    token_hash: &str,
    session: &Session,
    created_ms: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/session_insert.sql"))?.execute(params![
        token_hash,
        session.counter,
        session.staff.as_ref().map(|s| s.id),
        session.csrf,
        created_ms,
        session.expires_ms
    ])?;
    Ok(())
}

/// The session holding a token; none when its account was disabled.
pub fn session(conn: &Connection, token_hash: &str) -> Result<Option<Session>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/session_get.sql"))?
        .query_row([token_hash], |r| {
            let staff = match r.get::<_, Option<i64>>(3)? {
                Some(id) => Some(super::staff::Staff {
                    id,
                    username: r.get(4)?,
                    name: r.get(5)?,
                    roles: super::staff::roles(&r.get::<_, String>(6)?),
                    active: true,
                }),
                None => None,
            };
            Ok(Session { counter: r.get(0)?, staff, csrf: r.get(1)?, expires_ms: r.get(2)? })
        })
        .optional()?)
}

/// Ends a session, and sweeps the expired ones.
pub fn delete_session(conn: &Connection, token_hash: &str, now_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/session_delete.sql"))?.execute(params![token_hash, now_ms])?;
    Ok(())
}

/// The live sessions at a counter: each token's hash and its staff member, if any.
pub fn sessions_at(conn: &Connection, counter: u32, now_ms: i64) -> Result<Vec<(String, Option<i64>)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/session_at_counter.sql"))?;
    let rows = stmt.query_map(params![counter, now_ms], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Counters with a live session.
pub fn logged_in(conn: &Connection, now_ms: i64) -> Result<Vec<u32>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/session_counters_open.sql"))?;
    let rows = stmt.query_map([now_ms], |r| r.get(0))?.collect::<rusqlite::Result<Vec<u32>>>()?;
    Ok(rows)
}

pub fn set_paused(conn: &Connection, counter: u32, paused: bool) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/counter_paused_set.sql"))?.execute(params![counter, paused])?;
    Ok(())
}

pub fn paused(conn: &Connection) -> Result<Vec<u32>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/counter_paused.sql"))?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<u32>>>()?;
    Ok(rows)
}

pub fn insert_device(
    conn: &Connection,
    name: &str,
    role: &str,
    token_hash: &str,
    at_ms: i64,
) -> Result<(), StoreError> {
    conn.execute(include_str!("sql/device_insert.sql"), params![name, role, token_hash, at_ms])?;
    Ok(())
}

/// Gives a device a new token (the old one stops working); false when no device has that name.
pub fn rotate_device(
    conn: &Connection,
    name: &str,
    role: &str,
    token_hash: &str,
    at_ms: i64,
) -> Result<bool, StoreError> {
    Ok(conn.execute(include_str!("sql/device_rotate.sql"), params![name, role, token_hash, at_ms])? == 1)
}

/// The device holding a token: (name, role).
pub fn device(conn: &Connection, token_hash: &str) -> Result<Option<(String, String)>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/device_by_token.sql"))?
        .query_row([token_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A counter's one-time pairing code for its tablet (hashed), replacing any before it.
pub fn set_tablet_code(conn: &Connection, counter: u32, code_hash: &str, expires_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/tablet_code_set.sql"))?.execute(params![counter, code_hash, expires_ms])?;
    Ok(())
}

/// The live pairing code of a counter, hashed.
pub fn tablet_code(conn: &Connection, counter: u32, now_ms: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/tablet_code_get.sql"))?
        .query_row(params![counter, now_ms], |r| r.get(0))
        .optional()?)
}

/// Pairs a tablet to a counter: the code is used up, the counter's tablet before is revoked (how many).
pub fn pair_tablet(
    conn: &Connection,
    counter: u32,
    token_hash: &str,
    csrf: &str,
    at_ms: i64,
) -> Result<usize, StoreError> {
    conn.prepare_cached(include_str!("sql/tablet_code_used.sql"))?.execute([counter])?;
    let revoked =
        conn.prepare_cached(include_str!("sql/tablet_revoke_counter.sql"))?.execute(params![counter, at_ms])?;
    conn.prepare_cached(include_str!("sql/tablet_insert.sql"))?.execute(params![token_hash, counter, csrf, at_ms])?;
    Ok(revoked)
}

/// The counter and CSRF token of a live tablet.
pub fn tablet(conn: &Connection, token_hash: &str) -> Result<Option<(u32, String)>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/tablet_by_token.sql"))?
        .query_row([token_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}
