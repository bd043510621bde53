//! Tickets and their events. Every change is one row in `queue_event`, so a day can be replayed; callers
//! compose these in one immediate transaction, which is what keeps numbers unique under load.

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketRow {
    pub id: i64,
    pub day: String,
    pub service: String,
    pub seq: u32,
    pub number: String,
    pub priority: Option<String>,
    pub token: String,
    pub state: String,
    pub arrived_ms: i64,
    pub counter: Option<u32>,
    pub print_outcome: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        id: r.get(0)?,
        day: r.get(1)?,
        service: r.get(2)?,
        seq: r.get(3)?,
        number: r.get(4)?,
        priority: r.get(5)?,
        token: r.get(6)?,
        state: r.get(7)?,
        arrived_ms: r.get(8)?,
        counter: r.get(9)?,
        print_outcome: r.get(10)?,
    })
}

/// Time of the latest event, to catch a clock that went back.
pub fn last_event_ms(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row(include_str!("sql/ticket_last_event.sql"), [], |r| r.get(0))?)
}

/// Highest sequence used today for a service, and how many numbers were taken.
pub fn used_today(conn: &Connection, day: &str, service: &str) -> Result<(Option<u32>, u32), StoreError> {
    Ok(conn.query_row(include_str!("sql/ticket_next_seq.sql"), params![day, service], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub struct NewTicket<'a> {
    pub day: &'a str,
    pub service: &'a str,
    pub seq: u32,
    pub number: &'a str,
    pub priority: Option<&'a str>,
    pub token: &'a str,
    pub arrived_ms: i64,
}

pub fn insert(conn: &Connection, t: &NewTicket<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(include_str!("sql/ticket_insert.sql"))?.execute(params![
        t.day,
        t.service,
        t.seq,
        t.number,
        t.priority,
        t.token,
        t.arrived_ms
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct Event<'a> {
    pub at_ms: i64,
    pub ticket: Option<i64>,
    pub kind: &'a str,
    pub counter: Option<u32>,
    pub actor: &'a str,
    pub detail: Option<&'a str>,
}

pub fn add_event(conn: &Connection, e: &Event<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(include_str!("sql/ticket_event_insert.sql"))?
        .execute(params![e.at_ms, e.ticket, e.kind, e.counter, e.actor, e.detail])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_state(
    conn: &Connection,
    id: i64,
    state: &str,
    outcome: Option<&str>,
    counter: Option<u32>,
) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/ticket_set_state.sql"))?.execute(params![id, state, outcome, counter])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_get.sql"))?.query_row([id], row).optional()?)
}

/// Tickets of a day in one state, in arrival order.
pub fn in_state(conn: &Connection, day: &str, state: &str) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_by_day_state.sql"))?;
    let rows = stmt.query_map(params![day, state], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Reservations taken before `cutoff_ms` that never got a print outcome.
pub fn stale_reservations(conn: &Connection, cutoff_ms: i64) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_stale_reservations.sql"))?;
    let ids = stmt.query_map([cutoff_ms], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Whether each of a counter's last `n` calls today was a priority ticket, newest first.
pub fn recent_calls_priority(conn: &Connection, counter: u32, day: &str, n: u32) -> Result<Vec<bool>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_counter_calls.sql"))?;
    let rows =
        stmt.query_map(params![counter, day, n], |r| r.get::<_, bool>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
