//! Staff accounts as stored: the account, its hashed secret, and its sessions. Hashing happens in the
//! application layer; this module only stores what it is given.

use super::StoreError;
use crate::domain::staff::Roles;
use rusqlite::{params, Connection, OptionalExtension};

/// An account, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub roles: Roles,
    pub active: bool,
}

/// Roles are stored as their spelling ("counter,leader"); a value that does not read is an account with
/// no role, which nothing lets in.
pub(super) fn roles(text: &str) -> Roles {
    Roles::parse(text).unwrap_or_default()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Staff, String)> {
    let roles_text: String = r.get(3)?;
    Ok((
        Staff { id: r.get(0)?, username: r.get(1)?, name: r.get(2)?, roles: roles(&roles_text), active: r.get(4)? },
        r.get(5)?,
    ))
}

/// Adds an account; `None` when the username is taken.
pub fn insert(
    conn: &Connection,
    username: &str,
    name: &str,
    roles: &Roles,
    secret_hash: &str,
    at_ms: i64,
) -> Result<Option<i64>, StoreError> {
    let added = conn.prepare_cached(include_str!("sql/staff_insert.sql"))?.execute(params![
        username,
        name,
        roles.to_string(),
        secret_hash,
        at_ms
    ]);
    match added {
        Ok(_) => Ok(Some(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// An account and its secret's hash.
pub fn by_username(conn: &Connection, username: &str) -> Result<Option<(Staff, String)>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/staff_by_username.sql"))?.query_row([username], row).optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<(Staff, String)>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/staff_by_id.sql"))?.query_row([id], row).optional()?)
}

/// Every account, by username.
pub fn list(conn: &Connection) -> Result<Vec<Staff>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/staff_list.sql"))?;
    let rows = stmt.query_map([], row)?.map(|r| r.map(|(s, _)| s)).collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_active(conn: &Connection, id: i64, active: bool, at_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/staff_set_active.sql"))?.execute(params![id, active, at_ms])?;
    Ok(())
}

pub fn set_secret(conn: &Connection, id: i64, secret_hash: &str, at_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/staff_set_secret.sql"))?.execute(params![id, secret_hash, at_ms])?;
    Ok(())
}

/// Ends every session of an account; how many there were.
pub fn end_sessions(conn: &Connection, id: i64) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/session_end_staff.sql"))?.execute([id])?)
}

/// Ends every session of an account but one (the one that changed its secret); how many ended.
pub fn keep_only_session(conn: &Connection, id: i64, token_hash: &str) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/session_end_staff_others.sql"))?.execute(params![id, token_hash])?)
}
