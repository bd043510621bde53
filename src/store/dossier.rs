//! Dossiers and their timelines. The code and the token are unique keys; lookups by either are one index
//! probe, whatever the size of the table.

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

/// A dossier as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DossierRow {
    pub id: i64,
    pub code: String,
    pub token: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// The catalog version it was received under, when known.
    pub procedure_version: Option<i64>,
    pub channel: u8,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub received_ms: i64,
    pub appointment_ms: Option<i64>,
    pub appointment_provisional: bool,
    pub status: u8,
    pub collect_at: String,
    /// JSON list of the documents received.
    pub documents: String,
    pub ticket_id: Option<i64>,
    pub source: String,
    pub returned_ms: Option<i64>,
    pub updated_ms: i64,
}

/// One step of a dossier's timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DossierEvent {
    pub at_ms: i64,
    pub status: u8,
    pub note: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DossierRow> {
    Ok(DossierRow {
        id: r.get(0)?,
        code: r.get(1)?,
        token: r.get(2)?,
        procedure_code: r.get(3)?,
        procedure_name: r.get(4)?,
        procedure_version: r.get(5)?,
        channel: r.get(6)?,
        applicant_name: r.get(7)?,
        applicant_phone: r.get(8)?,
        received_ms: r.get(9)?,
        appointment_ms: r.get(10)?,
        appointment_provisional: r.get(11)?,
        status: r.get(12)?,
        collect_at: r.get(13)?,
        documents: r.get(14)?,
        ticket_id: r.get(15)?,
        source: r.get(16)?,
        returned_ms: r.get(17)?,
        updated_ms: r.get(18)?,
    })
}

fn one(conn: &Connection, sql: &str, key: impl rusqlite::ToSql) -> Result<Option<DossierRow>, StoreError> {
    Ok(conn.prepare_cached(sql)?.query_row([key], row).optional()?)
}

pub fn by_code(conn: &Connection, code: &str) -> Result<Option<DossierRow>, StoreError> {
    one(conn, include_str!("sql/dossier_by_code.sql"), code)
}

pub fn by_token(conn: &Connection, token: &str) -> Result<Option<DossierRow>, StoreError> {
    one(conn, include_str!("sql/dossier_by_token.sql"), token)
}

/// The dossier received under the queue ticket with this token (the latest, if several).
pub fn by_ticket_token(conn: &Connection, ticket_token: &str) -> Result<Option<DossierRow>, StoreError> {
    one(conn, include_str!("sql/dossier_by_ticket_token.sql"), ticket_token)
}

pub fn events(conn: &Connection, dossier_id: i64) -> Result<Vec<DossierEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/dossier_events.sql"))?;
    let rows =
        stmt.query_map([dossier_id], |r| Ok(DossierEvent { at_ms: r.get(0)?, status: r.get(1)?, note: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a new dossier (its `id` is ignored) and returns its id.
pub fn insert(conn: &Connection, d: &DossierRow) -> Result<i64, StoreError> {
    conn.prepare_cached(include_str!("sql/dossier_insert.sql"))?.execute(params![
        d.code,
        d.token,
        d.procedure_code,
        d.procedure_name,
        d.channel,
        d.applicant_name,
        d.applicant_phone,
        d.received_ms,
        d.appointment_ms,
        d.appointment_provisional,
        d.status,
        d.collect_at,
        d.documents,
        d.ticket_id,
        d.source,
        d.returned_ms,
        d.updated_ms,
        d.procedure_version,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The applicant's ID number and date of birth (yyyy-mm-dd) the counter confirmed when receiving.
pub fn set_identity(conn: &Connection, id: i64, number: &str, birth: &str) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/dossier_identity_set.sql"))?.execute(params![id, number, birth])?;
    Ok(())
}

/// Writes every field but the code, token, ticket and source of the dossier with `d.id`.
pub fn update(conn: &Connection, d: &DossierRow) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/dossier_update.sql"))?.execute(params![
        d.id,
        d.procedure_code,
        d.procedure_name,
        d.channel,
        d.applicant_name,
        d.applicant_phone,
        d.received_ms,
        d.appointment_ms,
        d.appointment_provisional,
        d.status,
        d.collect_at,
        d.documents,
        d.returned_ms,
        d.updated_ms,
    ])?;
    Ok(())
}

pub fn add_event(conn: &Connection, dossier_id: i64, e: &DossierEvent) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/dossier_event_insert.sql"))?
        .execute(params![dossier_id, e.at_ms, e.status, e.note])?;
    Ok(())
}

/// Codes in `[from, to)`, for the next sequence number.
pub fn codes_between(conn: &Connection, from: &str, to: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/dossier_codes_from.sql"))?;
    let rows = stmt.query_map(params![from, to], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Clears the applicant's name and phone of dossiers handed over before `before_ms`; returns how many.
pub fn purge(conn: &Connection, before_ms: i64) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/dossier_purge.sql"))?.execute([before_ms])?)
}

pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/dossier_count.sql"))?.query_row([], |r| r.get(0))?)
}

/// A form printed for a dossier at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPrint<'a> {
    pub dossier_id: i64,
    /// "02", "03" or "04".
    pub form: &'a str,
    pub at_ms: i64,
    pub counter: Option<u32>,
    pub staff_id: Option<i64>,
    pub detail: &'a str,
    pub appointment_ms: Option<i64>,
}

pub fn add_form(conn: &Connection, f: &FormPrint<'_>) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/dossier_form_insert.sql"))?.execute(params![
        f.dossier_id,
        f.form,
        f.at_ms,
        f.counter,
        f.staff_id,
        f.detail,
        f.appointment_ms
    ])?;
    Ok(())
}

/// The first appointment a dossier was given (a later one never replaces it).
pub fn first_appointment(conn: &Connection, dossier_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/dossier_first_appointment.sql"))?.query_row([dossier_id], |r| r.get(0))?)
}
