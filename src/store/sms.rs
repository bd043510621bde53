//! Text messages as stored (migration 0017): consents by ticket, and the outbox the sender works through.
//! Triggers queue "result ready" messages and carry a ticket's consent to its dossier.

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

/// A message due for the modem, with what its text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: i64,
    pub day: String,
    pub phone: String,
    /// "near" or "ready"
    pub kind: String,
    pub ahead: Option<u32>,
    pub tries: u32,
    pub number: Option<String>,
    pub code: Option<String>,
}

pub fn consent(
    conn: &Connection,
    ticket_id: i64,
    day: &str,
    phone: &str,
    source: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/sms_consent_set.sql"))?
        .execute(params![ticket_id, day, phone, source, now_ms])?;
    Ok(())
}

/// Other tickets of the day whose consent gave this phone.
pub fn consents_of(conn: &Connection, day: &str, phone: &str, ticket_id: i64) -> Result<u32, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/sms_consent_count.sql"))?
        .query_row(params![day, phone, ticket_id], |r| r.get(0))?)
}

/// Waiting tickets of the day with consent whose "near" message is not queued yet: (ticket, phone).
pub fn near_candidates(conn: &Connection, day: &str) -> Result<Vec<(i64, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/sms_near_candidates.sql"))?;
    let rows = stmt.query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Queues "your turn is near" for a ticket, once.
pub fn queue_near(
    conn: &Connection,
    day: &str,
    phone: &str,
    ticket_id: i64,
    ahead: u32,
    now_ms: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/sms_near_queue.sql"))?
        .execute(params![day, phone, ticket_id, ahead, now_ms])?;
    conn.prepare_cached(include_str!("sql/sms_near_done.sql"))?.execute([ticket_id])?;
    Ok(())
}

/// The oldest message due now.
pub fn due(conn: &Connection, now_ms: i64) -> Result<Option<Due>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/sms_due.sql"))?
        .query_row([now_ms], |r| {
            Ok(Due {
                id: r.get(0)?,
                day: r.get(1)?,
                phone: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                kind: r.get(3)?,
                ahead: r.get(4)?,
                tries: r.get(5)?,
                number: r.get(6)?,
                code: r.get(7)?,
            })
        })
        .optional()?)
}

/// Messages sent on `day`: to `phone`, and in all.
pub fn sent_on(conn: &Connection, day: &str, phone: &str) -> Result<(u32, u32), StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/sms_sent_count.sql"))?
        .query_row(params![day, phone], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A message's end: "sent", "failed" or "capped".
pub fn finish(
    conn: &Connection,
    id: i64,
    state: &str,
    tries: u32,
    now_ms: i64,
    detail: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/sms_finish.sql"))?.execute(params![id, state, tries, now_ms, detail])?;
    Ok(())
}

/// Tried and failed; tried again from `next_ms`.
pub fn retry(conn: &Connection, id: i64, tries: u32, next_ms: i64, detail: &str) -> Result<(), StoreError> {
    conn.prepare_cached(include_str!("sql/sms_retry.sql"))?.execute(params![id, tries, next_ms, detail])?;
    Ok(())
}

/// Forgets consents of earlier days, gives up "near" messages of earlier days, and clears the phone of
/// messages that are over.
pub fn forget_before(conn: &Connection, day: &str, now_ms: i64) -> Result<(), StoreError> {
    let sql = include_str!("sql/sms_forget.sql");
    let mut statements = sql.split(';').map(str::trim).filter(|s| !s.is_empty());
    conn.prepare_cached(statements.next().unwrap_or_default())?.execute([day])?;
    conn.prepare_cached(statements.next().unwrap_or_default())?.execute(params![day, now_ms])?;
    conn.prepare_cached(statements.next().unwrap_or_default())?.execute([day])?;
    Ok(())
}

/// (queued, sent today, failed or capped today).
pub fn counts(conn: &Connection, day: &str) -> Result<(u32, u32, u32), StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/sms_counts.sql"))?
        .query_row([day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// A ticket by its public token: (id, day, state).
pub fn ticket_by_token(conn: &Connection, token: &str) -> Result<Option<(i64, String, String)>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/sms_ticket_by_token.sql"))?
        .query_row([token], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}
