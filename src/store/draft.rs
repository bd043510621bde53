//! Staff's drafts of procedures and the log of their edits (migration 0019).

use super::StoreError;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// One staff member's draft of one procedure page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The code in the page's address; `moi` for a new procedure.
    pub page: String,
    /// `staff:<username>`.
    pub actor: String,
    /// The version the draft began from; 0 for none.
    pub base: i64,
    /// The procedure's JSON as last saved, readable or not.
    pub body: String,
    pub saved_at: String,
}

/// What staff did, as the log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditAction {
    Draft,
    Discard,
    Publish,
    Retire,
}

impl EditAction {
    fn as_str(self) -> &'static str {
        match self {
            EditAction::Draft => "draft",
            EditAction::Discard => "discard",
            EditAction::Publish => "publish",
            EditAction::Retire => "retire",
        }
    }

    fn parse(s: &str) -> EditAction {
        match s {
            "discard" => EditAction::Discard,
            "publish" => EditAction::Publish,
            "retire" => EditAction::Retire,
            _ => EditAction::Draft,
        }
    }
}

/// One line of a page's edit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub at: String,
    pub actor: String,
    pub action: EditAction,
    /// The version published or retired; for a draft, the version it began from.
    pub version: i64,
}

/// Every draft of a page, the newest first.
pub fn drafts(conn: &Connection, page: &str) -> Result<Vec<Draft>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/catalog_draft_get.sql"))?;
    let rows = stmt.query_map([page], |r| {
        Ok(Draft { page: r.get(0)?, actor: r.get(1)?, base: r.get(2)?, body: r.get(3)?, saved_at: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps `draft` in place of the same staff member's earlier one, and logs the save.
pub fn save(tx: &Connection, draft: &Draft) -> Result<(), StoreError> {
    tx.execute(
        include_str!("sql/catalog_draft_set.sql"),
        params![draft.page, draft.actor, draft.base, draft.body, draft.saved_at],
    )?;
    log(tx, &draft.page, &draft.saved_at, &draft.actor, EditAction::Draft, draft.base)
}

/// Deletes a staff member's draft of a page; true if there was one.
pub fn delete(tx: &Connection, page: &str, actor: &str) -> Result<bool, StoreError> {
    Ok(tx.execute(include_str!("sql/catalog_draft_delete.sql"), params![page, actor])? > 0)
}

/// How many drafts each page has.
pub fn pages(conn: &Connection) -> Result<HashMap<String, usize>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/catalog_draft_pages.sql"))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn log(
    tx: &Connection,
    page: &str,
    at: &str,
    actor: &str,
    action: EditAction,
    version: i64,
) -> Result<(), StoreError> {
    tx.execute(include_str!("sql/catalog_edit_insert.sql"), params![page, at, actor, action.as_str(), version])?;
    Ok(())
}

/// A page's edit log, oldest first.
pub fn edits(conn: &Connection, page: &str) -> Result<Vec<Edit>, StoreError> {
    let mut stmt = conn.prepare_cached(include_str!("sql/catalog_edits.sql"))?;
    let rows = stmt.query_map([page], |r| {
        Ok(Edit {
            at: r.get(0)?,
            actor: r.get(1)?,
            action: EditAction::parse(&r.get::<_, String>(2)?),
            version: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
