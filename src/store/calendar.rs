//! Calendar years staff entered on the admin page (migration 0018), as the text of a year's file.

use super::StoreError;
use rusqlite::{params, Connection};

/// One entered year: its number, its file's text, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredYear {
    pub year: i32,
    pub body: String,
    pub saved_at: String,
    pub actor: String,
}

pub fn years(conn: &Connection) -> Result<Vec<StoredYear>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/calendar_years.sql"))?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredYear { year: r.get(0)?, body: r.get(1)?, saved_at: r.get(2)?, actor: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn save(conn: &Connection, year: i32, body: &str, saved_at: &str, actor: &str) -> Result<(), StoreError> {
    conn.execute(include_str!("sql/calendar_year_set.sql"), params![year, body, saved_at, actor])?;
    Ok(())
}
