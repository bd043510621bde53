//! The bookings the hub pulled from the province (`sql/booking_*.sql`, migration 0024).

use super::StoreError;
use crate::domain::booking::{BookingState, Held};
use rusqlite::{params, Connection, OptionalExtension};

/// A booking as the province hands it to its hall: of the phone, only a hash and the last three digits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pulled {
    pub id: i64,
    pub code: String,
    pub day: String,
    pub service: String,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub token: String,
    pub phone_hash: String,
    pub last3: String,
    pub state: BookingState,
    pub made_ms: i64,
    /// The province's change number, which the next pull starts after.
    pub rev: i64,
}

/// A booking held here: its id, service, and what check-in looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: i64,
    pub service: String,
    pub held: Held,
}

fn found(r: &rusqlite::Row<'_>) -> rusqlite::Result<Found> {
    let state: String = r.get(7)?;
    Ok(Found {
        id: r.get(0)?,
        service: r.get(3)?,
        held: Held {
            code: r.get(1)?,
            day: r.get(2)?,
            starts_ms: r.get(4)?,
            ends_ms: r.get(5)?,
            last3: r.get(6)?,
            // Written only by this program, through the CHECK.
            state: BookingState::parse(&state).unwrap_or(BookingState::Cancelled),
            ticket: r.get(8)?,
        },
    })
}

pub fn upsert(conn: &Connection, b: &Pulled) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/booking_upsert.sql"))?.execute(params![
        b.id,
        b.code,
        b.day,
        b.service,
        b.starts_ms,
        b.ends_ms,
        b.token,
        b.phone_hash,
        b.last3,
        b.made_ms,
        b.state.as_str()
    ])?;
    Ok(())
}

pub fn by_token(conn: &Connection, token: &str) -> Result<Option<Found>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/booking_by_token.sql"))?.query_row([token], found).optional()?)
}

pub fn by_code(conn: &Connection, day: &str, code: &str) -> Result<Option<Found>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/booking_by_code.sql"))?.query_row([day, code], found).optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Found>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/booking_by_id.sql"))?.query_row([id], found).optional()?)
}

/// Ties a booked booking to its ticket; false when it was no longer booked.
pub fn check_in(conn: &Connection, id: i64, ticket_id: i64, at_ms: i64) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/booking_check_in.sql"))?.execute(params![id, ticket_id, at_ms])? == 1)
}

/// Expires the bookings whose window ended by `now_ms`; how many.
pub fn expire(conn: &Connection, now_ms: i64) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/booking_expire.sql"))?.execute([now_ms])?)
}

/// Bookings of days `from` to `to` by state.
pub fn counts(conn: &Connection, from: &str, to: &str) -> Result<Vec<(String, u32)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/booking_counts.sql"))?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Called tickets' waits in ms over days `from` to `to`: (booked, wait).
pub fn waits(conn: &Connection, from: &str, to: &str) -> Result<Vec<(bool, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/booking_waits.sql"))?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The province's change number the last pull ended at (0 before the first).
pub fn pulled_rev(conn: &Connection) -> Result<i64, StoreError> {
    let text: Option<String> =
        conn.prepare_cached(include_str!("sql/meta_get.sql"))?.query_row(["booking_rev"], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| t.parse().ok()).unwrap_or(0))
}

pub fn set_pulled_rev(conn: &Connection, rev: i64) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/meta_set.sql"))?.execute(params!["booking_rev", rev.to_string()])?;
    Ok(())
}

/// The ids of day `day`'s tickets checked in from a booking.
pub fn booked_tickets(conn: &Connection, day: &str) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/booking_tickets.sql"))?;
    let ids = stmt.query_map([day], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
