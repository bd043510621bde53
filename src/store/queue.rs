//! Tickets and their events. Every change is one row in `queue_event`, so a day can be replayed; callers
//! compose these in one immediate transaction, which is what keeps numbers unique under load.

use super::StoreError;
use crate::domain::ticket::{EventKind, TicketState};
use rusqlite::{params, Connection, OptionalExtension};

stored_as_spelling!(TicketState, EventKind);

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub day: String,
    /// Where the ticket waits or is served now (the issuing service unless transferred).
    pub service: String,
    /// The service that issued the number (numbers are unique per issuing service and day).
    pub issued_service: String,
    pub seq: u32,
    pub number: String,
    pub priority: Option<String>,
    pub token: String,
    pub state: TicketState,
    pub arrived_ms: i64,
    pub counter: Option<u32>,
    pub print_outcome: Option<String>,
    pub called_ms: Option<i64>,
    pub started_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    pub recalls: u32,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        id: r.get(0)?,
        day: r.get(1)?,
        service: r.get(2)?,
        issued_service: r.get(3)?,
        seq: r.get(4)?,
        number: r.get(5)?,
        priority: r.get(6)?,
        token: r.get(7)?,
        state: r.get(8)?,
        arrived_ms: r.get(9)?,
        counter: r.get(10)?,
        print_outcome: r.get(11)?,
        called_ms: r.get(12)?,
        started_ms: r.get(13)?,
        finished_ms: r.get(14)?,
        recalls: r.get(15)?,
    })
}

/// The latest time stamped on an event since staff last accepted the clock, to catch a clock that went
/// back. The latest in time, so that an event written while the clock reads early (a login, a pause) does
/// not hide it; only since the last acceptance, so that after `motcua clock accept` the events stamped in
/// the future no longer stop issuing.
pub fn last_event_ms(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_last_event.sql"))?.query_row([], |r| r.get(0)).optional()?)
}

/// Highest sequence used today for a service.
pub fn last_seq_today(conn: &Connection, day: &str, service: &str) -> Result<Option<u32>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_next_seq.sql"))?.query_row(params![day, service], |r| r.get(0))?)
}

/// How many numbers a service gave out today (counting reads every one, so only capped services ask).
pub fn taken_today(conn: &Connection, day: &str, service: &str) -> Result<u32, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/ticket_taken_today.sql"))?
        .query_row(params![day, service], |r| r.get(0))?)
}

pub struct NewTicket<'a> {
    pub day: &'a str,
    pub service: &'a str,
    pub seq: u32,
    pub number: &'a str,
    pub priority: Option<&'a str>,
    pub token: &'a str,
    pub arrived_ms: i64,
    /// The kiosk's key for this request, so that a retry gets this ticket again.
    pub request_key: Option<&'a str>,
}

pub fn insert(conn: &Connection, t: &NewTicket<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(include_str!("sql/ticket_insert.sql"))?.execute(params![
        t.day,
        t.service,
        t.seq,
        t.number,
        t.priority,
        t.token,
        t.arrived_ms,
        t.request_key
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The ticket reserved under a kiosk's request key.
pub fn by_request_key(conn: &Connection, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_by_request_key.sql"))?.query_row([key], |r| r.get(0)).optional()?)
}

pub struct Event<'a> {
    pub at_ms: i64,
    pub ticket: Option<i64>,
    pub kind: EventKind,
    pub counter: Option<u32>,
    pub actor: &'a str,
    pub detail: Option<&'a str>,
    /// The staff member who did it, at a counter.
    pub staff: Option<i64>,
}

pub fn add_event(conn: &Connection, e: &Event<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(include_str!("sql/ticket_event_insert.sql"))?
        .execute(params![e.at_ms, e.ticket, e.kind, e.counter, e.actor, e.detail, e.staff])?;
    Ok(conn.last_insert_rowid())
}

/// Writes a ticket's changing fields (state, counter, service after a transfer, times, recalls).
pub fn update(conn: &Connection, t: &TicketRow) -> Result<(), StoreError> {
    let service = (t.service != t.issued_service).then_some(&t.service);
    conn.prepare_cached(include_str!("sql/ticket_update.sql"))?.execute(params![
        t.id,
        t.state,
        t.counter,
        service,
        t.called_ms,
        t.started_ms,
        t.finished_ms,
        t.recalls,
        t.print_outcome
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_get.sql"))?.query_row([id], row).optional()?)
}

/// Tickets of a day in one state, in arrival order.
pub fn in_state(conn: &Connection, day: &str, state: TicketState) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_by_day_state.sql"))?;
    let rows = stmt.query_map(params![day, state], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Open tickets dated after `day` (taken while the clock ran ahead).
pub fn after_day(conn: &Connection, day: &str) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_after_day.sql"))?;
    let rows = stmt.query_map([day], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Reservations taken before `cutoff_ms` that never got a print outcome.
pub fn stale_reservations(conn: &Connection, cutoff_ms: i64) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_stale_reservations.sql"))?;
    let ids = stmt.query_map([cutoff_ms], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Whether each of a counter's last `n` calls today was a priority ticket, and a booked one, newest
/// first.
pub fn recent_calls(conn: &Connection, counter: u32, day: &str, n: u32) -> Result<Vec<(bool, bool)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_counter_calls.sql"))?;
    let rows =
        stmt.query_map(params![counter, day, n], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Tickets still waiting or called before `day`, and on `day` when `today_too` (it is past closing).
pub fn to_close(conn: &Connection, day: &str, today_too: bool) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_to_close.sql"))?;
    let rows = stmt.query_map(params![day, today_too], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The ticket a counter finished last on `day`.
pub fn last_done_at(conn: &Connection, day: &str, counter: u32) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/ticket_last_done_at.sql"))?
        .query_row(params![day, counter], row)
        .optional()?)
}

pub fn by_token(conn: &Connection, token: &str) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_by_token.sql"))?.query_row([token], row).optional()?)
}

/// Today's ticket with this number (the latest, should a transfer ever make two share it).
pub fn by_number(conn: &Connection, day: &str, number: &str) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/ticket_by_number.sql"))?.query_row([day, number], row).optional()?)
}

/// Tickets a counter holds today (called or being served).
pub fn at_counter(conn: &Connection, day: &str, counter: u32) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_at_counter.sql"))?;
    let rows = stmt.query_map(params![day, counter], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Tickets called or being served today at any counter, oldest first (the snapshot's current tickets).
pub fn at_counters(conn: &Connection, day: &str) -> Result<Vec<TicketRow>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_at_counters.sql"))?;
    let rows = stmt.query_map([day], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Tickets each counter finished today: counter → (done, no-show).
pub fn all_counter_counts(
    conn: &Connection,
    day: &str,
) -> Result<std::collections::HashMap<u32, (u32, u32)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/counter_day_counts_all.sql"))?;
    let mut counts = std::collections::HashMap::new();
    for r in stmt.query_map([day], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))? {
        let (counter, state, n) = r?;
        let entry: &mut (u32, u32) = counts.entry(counter).or_default();
        if state == "done" {
            entry.0 = n;
        } else {
            entry.1 = n;
        }
    }
    Ok(counts)
}

/// Service durations in milliseconds of a service's latest `n` finished tickets, newest first.
pub fn durations(conn: &Connection, service: &str, n: u32) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_durations.sql"))?;
    let rows = stmt.query_map(params![service, n], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

/// A stored event with the ticket it concerns, as live clients receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub at_ms: i64,
    pub kind: EventKind,
    pub counter: Option<u32>,
    pub actor: String,
    pub detail: Option<String>,
    pub number: Option<String>,
    pub service: Option<String>,
}

/// Events after `id`, oldest first, at most `limit`.
pub fn events_after(conn: &Connection, id: i64, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/queue_events_after.sql"))?;
    let rows = stmt
        .query_map(params![id, limit], |r| {
            Ok(StoredEvent {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                kind: r.get(2)?,
                counter: r.get(3)?,
                actor: r.get(4)?,
                detail: r.get(5)?,
                number: r.get(6)?,
                service: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn last_event_id(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/queue_last_event_id.sql"))?.query_row([], |r| r.get(0))?)
}

/// The first waiting ticket of a service's line, among priority tickets or among the others.
pub fn line_head(conn: &Connection, day: &str, service: &str, priority: bool) -> Result<Option<TicketRow>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/ticket_line_head.sql"))?
        .query_row(params![day, service, priority], row)
        .optional()?)
}

/// The first booked ticket of a service's line whose window began by `now_ms`, with its window's start.
pub fn booked_head(
    conn: &Connection,
    day: &str,
    service: &str,
    now_ms: i64,
) -> Result<Option<(TicketRow, i64)>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/ticket_line_head_booked.sql"))?
        .query_row(params![day, service, now_ms], |r| Ok((row(r)?, r.get(16)?)))
        .optional()?)
}

/// People waiting per service today.
pub fn waiting_counts(conn: &Connection, day: &str) -> Result<Vec<(String, u32)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/ticket_waiting_counts.sql"))?;
    let rows = stmt.query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many waiting tickets of its line are called before this one (see ticket_ahead.sql).
pub fn ahead(conn: &Connection, t: &TicketRow) -> Result<u32, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/ticket_ahead.sql"))?
        .query_row(params![t.day, t.service, t.id, t.priority.is_some(), t.arrived_ms], |r| r.get(0))?)
}
