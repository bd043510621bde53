//! The province's catalog at the hall (docs/province.md, "The province's catalog"). The hub pulls it from
//! the province and keeps it as pulled; a procedure the hall follows is published from it (kiosks, phone
//! pages and posters follow as after any publish); a procedure the hall made its own (edited or added on
//! `/quan-tri`, or retired there) stays as the hall has it, with the province's version shown beside it,
//! until staff accept the province's version.

use super::{CatalogError, EditRefusal, Published};
use crate::domain::catalog::Procedure;
use crate::domain::clock::{millis, rfc3339, Clock};
use crate::store::catalog::{self as repo, ProvinceProcedure, StoredProcedure};
use crate::store::draft::{self, EditAction};
use crate::store::{Store, StoreError};

/// The source of a version taken from the province.
pub const SOURCE: &str = "province";

/// What a pull of the province's catalog did at the hall.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    /// Procedures published (new or changed) from the province's versions.
    pub taken: Vec<String>,
    /// Procedures the hall keeps as its own although the province's version differs.
    pub kept: Vec<String>,
    /// Procedures the hall followed that the province published when last pulled and publishes no more:
    /// retired here too.
    pub retired: Vec<String>,
}

/// Whether the hall made `code` its own: its published version is staff's (edited, or added, on
/// `/quan-tri`), or staff retired it. Versions from a file's import or from the province follow the
/// province.
pub fn own(conn: &rusqlite::Connection, code: &str) -> Result<bool, StoreError> {
    match repo::current_source(conn, code)? {
        Some(source) => Ok(source.starts_with("staff:")),
        None => Ok(draft::edits(conn, code)?.last().is_some_and(|e| e.action == EditAction::Retire)),
    }
}

/// Applies the province's catalog as pulled, in one transaction: kept as pulled; the procedures the hall
/// follows published from it, and retired when the province retired them; the hall's own left alone. A
/// publish is recorded (actor `province`) when anything changed, so that kiosks load the catalog again.
pub fn apply(store: &mut Store, published: &Published, clock: &dyn Clock) -> Result<Applied, CatalogError> {
    let now = clock.now();
    let stamp = rfc3339(now);
    let tx = store.change()?;
    let mut kept_as_pulled = Vec::new();
    for p in &published.procedures {
        let body = serde_json::to_string(&p.procedure).map_err(|e| StoreError::CorruptRow {
            code: p.procedure.code.clone(),
            version: p.version,
            detail: e.to_string(),
        })?;
        kept_as_pulled.push(ProvinceProcedure {
            code: p.procedure.code.clone(),
            version: p.version,
            published_at: p.published_at.clone(),
            body,
        });
    }
    let before: Vec<String> = repo::province(&tx)?.into_iter().map(|p| p.code).collect();
    repo::replace_province(&tx, &kept_as_pulled)?;
    let mut applied = Applied::default();
    for (p, pulled) in published.procedures.iter().zip(&kept_as_pulled) {
        let code = &p.procedure.code;
        if own(&tx, code)? {
            if repo::current_body(&tx, code)?.as_deref() != Some(pulled.body.as_str()) {
                applied.kept.push(code.clone());
            }
            continue;
        }
        let outcome = repo::upsert(&tx, std::slice::from_ref(&p.procedure), SOURCE, &stamp)?;
        if outcome.added + outcome.changed > 0 {
            applied.taken.push(code.clone());
        }
    }
    // What the province published when last pulled and publishes no more, it retired.
    for code in before {
        let gone = !published.procedures.iter().any(|p| p.procedure.code == code);
        if gone && !own(&tx, &code)? && repo::retire(&tx, &code, &stamp)? {
            applied.retired.push(code);
        }
    }
    if !applied.taken.is_empty() || !applied.retired.is_empty() {
        let detail = serde_json::json!({
            "added": 0, "changed": applied.taken.len(), "retired": applied.retired.len(), "from": SOURCE,
        });
        repo::record_published(&tx, millis(now), SOURCE, &detail.to_string())?;
    }
    tx.commit()?;
    Ok(applied)
}

/// The province's version of `code` as last pulled, if the province publishes it.
pub fn offered(store: &Store, code: &str) -> Result<Option<(i64, Procedure)>, StoreError> {
    let found = repo::province(store.conn())?.into_iter().find(|p| p.code == code);
    Ok(found.and_then(|p| serde_json::from_str(&p.body).ok().map(|procedure| (p.version, procedure))))
}

/// The codes the hall keeps as its own while the province publishes another text, for the admin list.
pub fn differing(store: &Store) -> Result<Vec<String>, StoreError> {
    let conn = store.conn();
    let mut out = Vec::new();
    for p in repo::province(conn)? {
        if own(conn, &p.code)? && repo::current_body(conn, &p.code)?.as_deref() != Some(p.body.as_str()) {
            out.push(p.code);
        }
    }
    Ok(out)
}

/// Staff accept the province's version of `code`: published as the hall's (or, when the texts are the
/// same, the published version marked as the province's), so that the procedure follows the province
/// again. Refused, changing nothing, when the page's version is not the one published now, or the province
/// does not publish the procedure.
pub fn accept(
    store: &mut Store,
    code: &str,
    base: i64,
    actor: &str,
    clock: &dyn Clock,
) -> Result<Result<i64, EditRefusal>, CatalogError> {
    let now = clock.now();
    let tx = store.change()?;
    let current = repo::current_version(&tx, code)?.unwrap_or(0);
    if current != base {
        return Ok(Err(EditRefusal::Conflict { base, current }));
    }
    let Some(offer) = repo::province(&tx)?.into_iter().find(|p| p.code == code) else {
        return Ok(Err(EditRefusal::Unreadable("tỉnh không công bố thủ tục này".into())));
    };
    let procedure: Procedure = serde_json::from_str(&offer.body).map_err(|e| StoreError::CorruptRow {
        code: code.to_string(),
        version: offer.version,
        detail: e.to_string(),
    })?;
    let outcome = repo::upsert(&tx, std::slice::from_ref(&procedure), SOURCE, &rfc3339(now))?;
    if outcome.unchanged > 0 {
        repo::set_source(&tx, code, SOURCE)?;
    }
    let version = repo::current_version(&tx, code)?.unwrap_or(0);
    let detail = serde_json::json!({
        "added": outcome.added, "changed": outcome.changed, "code": code, "version": version, "from": SOURCE,
    });
    repo::record_published(&tx, millis(now), actor, &detail.to_string())?;
    draft::log(&tx, code, &rfc3339(now), actor, EditAction::Publish, version)?;
    tx.commit()?;
    Ok(Ok(version))
}

/// Whether the published version of a stored procedure is the province's.
pub fn follows(stored: &StoredProcedure) -> bool {
    stored.source == SOURCE
}
