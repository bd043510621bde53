//! Procedure versions. An unchanged procedure is left alone; a changed one becomes a new version and the
//! old one stays, superseded, because dossiers keep the version they were received under.

use super::StoreError;
use crate::domain::catalog::Procedure;
use crate::domain::fold::fold;
use rusqlite::{params, Connection, OptionalExtension};

/// A procedure version as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProcedure {
    pub id: i64,
    pub version: i64,
    pub imported_at: String,
    /// Where this version came from: the file imported, or `staff:<username>` for a publish by staff.
    pub source: String,
    pub procedure: Procedure,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

type Row = (i64, String, i64, String, String, String);

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
}

fn decode((id, code, version, body, imported_at, source): Row) -> Result<StoredProcedure, StoreError> {
    let procedure =
        serde_json::from_str(&body).map_err(|e| StoreError::CorruptRow { code, version, detail: e.to_string() })?;
    Ok(StoredProcedure { id, version, imported_at, source, procedure })
}

/// The current version of every procedure, ordered by field and name.
pub fn current(conn: &Connection) -> Result<Vec<StoredProcedure>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/procedure_current.sql"))?;
    let rows = stmt.query_map([], read_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode).collect()
}

/// Every version of one procedure, oldest first.
pub fn versions(conn: &Connection, code: &str) -> Result<Vec<StoredProcedure>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/procedure_versions.sql"))?;
    let rows = stmt.query_map([code], read_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode).collect()
}

/// Records a publish on the hall's event log, inside the caller's transaction: who (`actor`) and what
/// changed (`detail`, JSON).
pub fn record_published(tx: &Connection, at_ms: i64, actor: &str, detail: &str) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/catalog_published_insert.sql"), params![at_ms, actor, detail])?;
    Ok(())
}

/// Retires the current version of `code` (it stays, superseded, for the dossiers received under it); no
/// new version is made. Inside the caller's transaction. False when nothing was published under the code.
pub fn retire(tx: &Connection, code: &str, now: &str) -> Result<bool, StoreError> {
    let Some((id, _)) = tx
        .prepare_cached(include_str!("sql/procedure_find_current.sql"))?
        .query_row([code], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .optional()?
    else {
        return Ok(false);
    };
    tx.execute(include_str!("sql/procedure_supersede.sql"), params![id, now])?;
    Ok(true)
}

/// The current version of one procedure, if it is published.
pub fn current_version(conn: &Connection, code: &str) -> Result<Option<i64>, StoreError> {
    let mut find = conn.prepare_cached(include_str!("sql/procedure_find_current.sql"))?;
    Ok(find.query_row([code], |r| r.get(1)).optional()?)
}

/// A stamp of the published catalog: equal stamps, the same current procedures.
pub fn stamp(conn: &Connection) -> Result<(i64, i64), StoreError> {
    Ok(conn.query_row(include_str!("sql/procedure_stamp.sql"), [], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub fn count_current(conn: &Connection) -> Result<usize, StoreError> {
    let n: i64 = conn.query_row(include_str!("sql/procedure_count.sql"), [], |r| r.get(0))?;
    Ok(n as usize)
}

/// The text a plain lookup folds: code, name, field, keywords and documents.
pub fn folded_text(p: &Procedure) -> String {
    let mut parts = vec![p.code.as_str(), p.name.as_str(), p.field.as_str()];
    parts.extend(p.keywords.iter().map(String::as_str));
    parts.extend(p.documents.iter().map(|d| d.name.as_str()));
    fold(&parts.join(" \u{1f} "))
}

/// Writes procedures inside the caller's transaction, so that an import is all or nothing.
pub fn upsert(tx: &Connection, procedures: &[Procedure], source: &str, now: &str) -> Result<ImportOutcome, StoreError> {
    let mut outcome = ImportOutcome::default();
    let mut find = tx.prepare_cached(include_str!("sql/procedure_find_current.sql"))?;
    let mut supersede = tx.prepare_cached(include_str!("sql/procedure_supersede.sql"))?;
    let mut insert = tx.prepare_cached(include_str!("sql/procedure_insert.sql"))?;
    let mut last = tx.prepare_cached(include_str!("sql/procedure_last_version.sql"))?;
    for p in procedures {
        let body = serde_json::to_string(p).map_err(|e| StoreError::CorruptRow {
            code: p.code.clone(),
            version: 0,
            detail: e.to_string(),
        })?;
        let existing: Option<(i64, i64, String)> =
            find.query_row([&p.code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        let version = match existing {
            Some((_, _, old)) if old == body => {
                outcome.unchanged += 1;
                continue;
            }
            Some((id, version, _)) => {
                supersede.execute(params![id, now])?;
                outcome.changed += 1;
                version + 1
            }
            None => {
                outcome.added += 1;
                last.query_row([&p.code], |r| r.get::<_, i64>(0))? + 1
            }
        };
        insert.execute(params![
            p.code,
            version,
            p.name,
            p.field_name(),
            p.verified.is_verified(),
            p.effective_date,
            body,
            folded_text(p),
            now,
            source
        ])?;
    }
    tx.execute(
        include_str!("sql/catalog_import_insert.sql"),
        params![now, source, outcome.added as i64, outcome.changed as i64, outcome.unchanged as i64],
    )?;
    Ok(outcome)
}

/// A procedure as the province publishes it, as the hall last pulled it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceProcedure {
    pub code: String,
    pub version: i64,
    pub published_at: String,
    /// The procedure's text (docs/catalog-format.md), as the hall stores its own.
    pub body: String,
}

/// Replaces the province's catalog as last pulled, inside the caller's transaction.
pub fn replace_province(tx: &Connection, procedures: &[ProvinceProcedure]) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/province_procedure_clear.sql"), [])?;
    let mut insert = tx.prepare_cached(include_str!("sql/province_procedure_insert.sql"))?;
    for p in procedures {
        insert.execute(params![p.code, p.version, p.published_at, p.body])?;
    }
    Ok(())
}

/// The province's catalog as last pulled.
pub fn province(conn: &Connection) -> Result<Vec<ProvinceProcedure>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/province_procedure_all.sql"))?;
    let rows = stmt.query_map([], |r| {
        Ok(ProvinceProcedure { code: r.get(0)?, version: r.get(1)?, published_at: r.get(2)?, body: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where the published version of `code` came from; None when none is published.
pub fn current_source(conn: &Connection, code: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(include_str!("sql/procedure_current_source.sql"))?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// Says the published version of `code` came from `source`.
pub fn set_source(tx: &Connection, code: &str, source: &str) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/procedure_set_source.sql"), params![code, source])?;
    Ok(())
}

/// The text of the published version of `code`, as stored.
pub fn current_body(conn: &Connection, code: &str) -> Result<Option<String>, StoreError> {
    let mut find = conn.prepare_cached(include_str!("sql/procedure_find_current.sql"))?;
    Ok(find.query_row([code], |r| r.get(2)).optional()?)
}
