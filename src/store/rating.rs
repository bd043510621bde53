//! Ratings as stored: one row per ticket, with what it is attributed to.

use super::StoreError;
use crate::domain::counter::Desk;
use crate::domain::rating::{Level, Source};
use rusqlite::{params, Connection, OptionalExtension};

stored_as_spelling!(Level, Source);

/// A rating and what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub ticket_id: i64,
    pub level: Level,
    pub reasons: Vec<String>,
    pub complaint: Option<String>,
    pub source: Source,
    pub holder: String,
    pub counter: Option<u32>,
    pub staff_id: Option<i64>,
    pub service: String,
    pub dossier_id: Option<i64>,
    pub rated_ms: i64,
    pub changed_ms: i64,
}

pub fn by_ticket(conn: &Connection, ticket_id: i64) -> Result<Option<RatingRow>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/rating_by_ticket.sql"))?
        .query_row([ticket_id], |r| {
            let reasons: String = r.get(2)?;
            Ok(RatingRow {
                ticket_id: r.get(0)?,
                level: r.get(1)?,
                // Written by `save` only; anything else reads as no reasons.
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                complaint: r.get(3)?,
                source: r.get(4)?,
                holder: r.get(5)?,
                counter: r.get(6)?,
                staff_id: r.get(7)?,
                service: r.get(8)?,
                dossier_id: r.get(9)?,
                rated_ms: r.get(10)?,
                changed_ms: r.get(11)?,
            })
        })
        .optional()?)
}

/// Stores a new rating, or the holder's change to it (level, reasons, complaint; the first time stays).
pub fn save(conn: &Connection, r: &RatingRow) -> Result<(), StoreError> {
    let reasons = serde_json::to_string(&r.reasons).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(include_str!("sql/rating_upsert.sql"))?.execute(params![
        r.ticket_id,
        r.level,
        reasons,
        r.complaint,
        r.source,
        r.holder,
        r.counter,
        r.staff_id,
        r.service,
        r.dossier_id,
        r.changed_ms
    ])?;
    Ok(())
}

/// The counter and staff member of a ticket's last `done` event.
pub fn finisher(conn: &Connection, ticket_id: i64) -> Result<Option<Desk>, StoreError> {
    let found = conn
        .prepare_cached(include_str!("sql/ticket_finisher.sql"))?
        .query_row([ticket_id], |r| Ok((r.get::<_, Option<u32>>(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.and_then(|(counter, staff)| counter.map(|counter| Desk { counter, staff })))
}

/// The dossier received under a ticket, if any.
pub fn dossier_of(conn: &Connection, ticket_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/dossier_id_by_ticket.sql"))?
        .query_row([ticket_id], |r| r.get(0))
        .optional()?)
}
