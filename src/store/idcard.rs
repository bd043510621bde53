//! Chip ID cards scanned at the kiosk, held for the counter in a table of their own (migration 0016).
//! Triggers erase a row when its ticket is over or a dossier is received under it.

use super::StoreError;
use crate::domain::idcard::IdCard;
use rusqlite::{params, Connection, OptionalExtension};

/// Holds the card with its ticket (in the reservation's transaction).
pub fn hold(conn: &Connection, ticket_id: i64, day: &str, card: &IdCard, now_ms: i64) -> Result<(), StoreError> {
    let birth = crate::domain::idcard::iso_date(card.birth);
    conn.prepare_cached(include_str!("sql/id_card_insert.sql"))?.execute(params![
        ticket_id,
        day,
        card.number,
        birth,
        card.name,
        now_ms
    ])?;
    Ok(())
}

/// The card held for the ticket called or served at a counter: (ticket number, card).
pub fn at_counter(conn: &Connection, day: &str, counter: u32) -> Result<Option<(String, IdCard)>, StoreError> {
    let row = conn
        .prepare_cached(include_str!("sql/id_card_at_counter.sql"))?
        .query_row(params![day, counter], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })
        .optional()?;
    Ok(row.and_then(|(number, id, birth, name)| {
        // Written by `hold` only; a row that does not read back is left for the day's erasure.
        let birth = crate::domain::idcard::parse_birth(&birth)?;
        Some((number, IdCard { number: id, birth, name }))
    }))
}

/// Erases the cards of days before `day`; returns how many.
pub fn erase_before(conn: &Connection, day: &str) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/id_card_erase_before.sql"))?.execute([day])?)
}

/// Erases every card not of a ticket being served (the end-of-day close); returns how many.
pub fn erase_unserved(conn: &Connection) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/id_card_erase_unserved.sql"))?.execute([])?)
}

/// How many cards were ever erased: the hub checkpoints the log when it grows.
pub fn erased(conn: &Connection) -> Result<i64, StoreError> {
    let value: Option<String> =
        conn.prepare_cached(include_str!("sql/meta_get.sql"))?.query_row(["cards_erased"], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Cards held now (for tests and `doctor`).
pub fn held(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached(include_str!("sql/id_card_count.sql"))?.query_row([], |r| r.get(0))?)
}
