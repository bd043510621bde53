//! The outbox (migration 0020): what leaves the hall for the province, in the hall's order. Triggers write
//! it in the transaction of each change; the printers' health, which lives in memory, is written here.

use super::StoreError;
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

/// The `meta` key of the last sequence the province acknowledged.
const ACKED: &str = "outbox_acked";

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

/// The last sequence the province acknowledged, 0 before the first.
pub fn acked(conn: &Connection) -> Result<i64, StoreError> {
    let value: Option<String> =
        conn.prepare_cached(include_str!("sql/meta_get.sql"))?.query_row([ACKED], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub fn set_acked(tx: &Connection, seq: i64) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/meta_set.sql"), params![ACKED, seq.to_string()])?;
    Ok(())
}

/// Deletes acknowledged rows older than `acked_before_ms`, and every row older than `any_before_ms`.
pub fn prune(tx: &Connection, acked_before_ms: i64, any_before_ms: i64) -> Result<usize, StoreError> {
    let acked = acked(tx)?;
    Ok(tx.execute(include_str!("sql/outbox_prune.sql"), params![acked, acked_before_ms, any_before_ms])?)
}
