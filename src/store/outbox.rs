//! The outbox (migration 0020): what leaves the hall for the province, in the hall's order. Triggers write
//! it in the transaction of each change; the printers' health, which lives in memory, is written here.

use super::StoreError;
use crate::domain::outbox::Branch;
use rusqlite::{params, Connection, OptionalExtension};

/// One row to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub seq: i64,
    pub kind: String,
    pub at_ms: i64,
    /// JSON, with only the fields docs/province.md lists.
    pub body: String,
}

/// The `meta` keys of the last sequence the province acknowledged, of when it did (ms), and of where a
/// restored database's history branches from the one its backup was taken under ("epoch seq").
const ACKED: &str = "outbox_acked";
const PUSHED_AT: &str = "outbox_pushed_at_ms";
const BRANCH: &str = "outbox_branch";

/// Up to `limit` rows after `after`, in order.
pub fn after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/outbox_batch.sql"))?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok(OutboxRow { seq: r.get(0)?, kind: r.get(1)?, at_ms: r.get(2)?, body: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(tx: &Connection, kind: &str, at_ms: i64, body: &str) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/outbox_insert.sql"), params![kind, at_ms, body])?;
    Ok(())
}

/// The last sequence given, 0 before the first.
pub fn newest(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(include_str!("sql/outbox_newest.sql"), [], |r| r.get(0))?)
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/meta_get.sql"))?.query_row([key], |r| r.get(0)).optional()?)
}

fn set_meta(tx: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/meta_set.sql"), params![key, value])?;
    Ok(())
}

/// The last sequence the province acknowledged, 0 before the first.
pub fn acked(conn: &Connection) -> Result<i64, StoreError> {
    Ok(meta(conn, ACKED)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Records an acknowledgement and when it came.
pub fn set_acked(tx: &Connection, seq: i64, at_ms: i64) -> Result<(), StoreError> {
    set_meta(tx, ACKED, &seq.to_string())?;
    set_meta(tx, PUSHED_AT, &at_ms.to_string())
}

/// When the province last acknowledged rows (ms).
pub fn pushed_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(meta(conn, PUSHED_AT)?.and_then(|v| v.parse().ok()))
}

/// Delivery as the database records it, for `motcua doctor` and the hub's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Delivery {
    /// The last sequence given, and the last the province acknowledged.
    pub newest: i64,
    pub acked: i64,
    /// When the oldest row the province has not acknowledged was written (ms).
    pub oldest_pending_ms: Option<i64>,
    /// When the province last acknowledged rows (ms).
    pub pushed_at_ms: Option<i64>,
}

pub fn delivery(conn: &Connection) -> Result<Delivery, StoreError> {
    let acked = acked(conn)?;
    Ok(Delivery {
        newest: newest(conn)?,
        acked,
        oldest_pending_ms: oldest_after(conn, acked)?,
        pushed_at_ms: pushed_at(conn)?,
    })
}

/// When the oldest row after `after` was written.
pub fn oldest_after(conn: &Connection, after: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/outbox_oldest_after.sql"))?.query_row([after], |r| r.get(0)).optional()?)
}

/// Where this database's history branches from, if it was restored from a backup.
pub fn branch(conn: &Connection) -> Result<Option<Branch>, StoreError> {
    Ok(meta(conn, BRANCH)?.and_then(|v| {
        let (epoch, seq) = v.split_once(' ')?;
        Some(Branch { epoch: epoch.to_string(), seq: seq.parse().ok()? })
    }))
}

pub fn set_branch(tx: &Connection, branch: &Branch) -> Result<(), StoreError> {
    set_meta(tx, BRANCH, &format!("{} {}", branch.epoch, branch.seq))
}

/// Deletes acknowledged rows older than `acked_before_ms`, and every row older than `any_before_ms`.
pub fn prune(tx: &Connection, acked_before_ms: i64, any_before_ms: i64) -> Result<usize, StoreError> {
    let acked = acked(tx)?;
    Ok(tx.execute(include_str!("sql/outbox_prune.sql"), params![acked, acked_before_ms, any_before_ms])?)
}
