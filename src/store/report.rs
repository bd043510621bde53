//! The rows a report is computed from, for a period, in the shape `domain::report` takes them. Read on a
//! read-only connection (the hub's readers, or `Readers::open_reader` for the command line), inside one
//! read transaction so that the three lists agree.

use super::StoreError;
use crate::domain::dossier::Status;
use crate::domain::report::{day_of, overdue, DeskFact, DeskKind, DossierFact, RatingFact, TicketFact};
use crate::domain::ticket::EventKind;
use rusqlite::{params, Connection};

pub fn tickets(conn: &Connection, from_ms: i64, to_ms: i64) -> Result<Vec<TicketFact>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/report_tickets.sql"))?;
    let rows = stmt.query_map(params![from_ms, to_ms], |r| {
        let arrived_ms: i64 = r.get(3)?;
        let (day, weekday, hour) = TicketFact::taken(arrived_ms);
        Ok(TicketFact {
            id: r.get(0)?,
            service: r.get(1)?,
            state: r.get(2)?,
            arrived_ms,
            called_ms: r.get(4)?,
            started_ms: r.get(5)?,
            finished_ms: r.get(6)?,
            transferred: r.get(7)?,
            counter: r.get(8)?,
            staff: r.get(9)?,
            day,
            weekday,
            hour,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `now_ms` decides which dossiers are overdue now.
pub fn dossiers(conn: &Connection, from_ms: i64, to_ms: i64, now_ms: i64) -> Result<Vec<DossierFact>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/report_dossiers.sql"))?;
    let rows = stmt.query_map(params![from_ms, to_ms], |r| {
        let first: Option<i64> = r.get(4)?;
        let current: Option<i64> = r.get(5)?;
        let status = Status::from_code(r.get(6)?).unwrap_or(Status::Registered);
        let resolved: Option<i64> = r.get(7)?;
        Ok(DossierFact {
            id: r.get(0)?,
            procedure: r.get(1)?,
            channel: r.get(2)?,
            received_ms: r.get(3)?,
            first_appointment_ms: first,
            appointment_day: first.and_then(day_of),
            resolved_ms: resolved,
            resolved_day: resolved.and_then(day_of),
            working_days: None,
            overdue_now: overdue(status, current, now_ms),
            apology_printed: r.get(8)?,
            service: r.get(9)?,
            counter: r.get(10)?,
            staff: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn ratings(conn: &Connection, from_ms: i64, to_ms: i64) -> Result<Vec<RatingFact>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/report_ratings.sql"))?;
    let rows = stmt.query_map(params![from_ms, to_ms], |r| {
        let reasons: String = r.get(2)?;
        Ok(RatingFact {
            level: r.get(0)?,
            in_period: r.get(1)?,
            reasons: serde_json::from_str(&reasons).unwrap_or_default(),
            complaint: r.get(3)?,
            dossier: r.get(4)?,
            service: r.get(5)?,
            counter: r.get(6)?,
            staff: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Logins, logouts, pauses and resumes at the counters in `[from_ms, to_ms)`.
pub fn desk(conn: &Connection, from_ms: i64, to_ms: i64) -> Result<Vec<DeskFact>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/report_desk.sql"))?;
    let rows = stmt.query_map(params![from_ms, to_ms], |r| {
        let kind = match r.get::<_, EventKind>(2)? {
            EventKind::LoggedIn => DeskKind::LoggedIn,
            EventKind::LoggedOut => DeskKind::LoggedOut,
            EventKind::Paused => DeskKind::Paused,
            _ => DeskKind::Resumed,
        };
        Ok(DeskFact { counter: r.get(0)?, staff: r.get(1)?, kind, at_ms: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
