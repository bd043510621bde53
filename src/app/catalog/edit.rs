//! Staff's edits of the catalog on `/quan-tri`: drafts kept in the store until they are published or thrown
//! away, publishing a draft as a new version, retiring a procedure. Each is logged with who and when, and a
//! publish or retirement is an event on the stream.

use super::CatalogError;
use crate::domain::catalog::Procedure;
use crate::domain::clock::{rfc3339, Clock};
use crate::store::catalog as repo;
use crate::store::draft::{self, Draft, Edit, EditAction};
use crate::store::{Store, StoreError};

/// Who edits which page, from which version: what every step of an edit carries.
#[derive(Debug, Clone, Copy)]
pub struct Editing<'a> {
    /// The code in the page's address (`moi` for a new procedure).
    pub page: &'a str,
    /// The version the edit began from; 0 for none.
    pub base: i64,
    /// `staff:<username>`.
    pub actor: &'a str,
}

/// The page a new procedure is written on.
pub const NEW_PAGE: &str = "moi";

/// Why staff's edit was not published; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditRefusal {
    /// The text is not a procedure: where and why.
    Unreadable(String),
    /// The procedure breaks the catalog's rules: each problem names its field.
    Problems(Vec<crate::domain::catalog::Problem>),
    /// The edit began from version `base` (0: a new procedure), but `current` is published now: someone
    /// else published meanwhile. Their version stays.
    Conflict { base: i64, current: i64 },
    /// The code in the text is not the code being edited.
    OtherCode { editing: String, found: String },
}

impl EditRefusal {
    /// What the admin page says, Vietnamese first.
    pub fn words(&self) -> (String, String) {
        match self {
            EditRefusal::Unreadable(why) => {
                (format!("Nội dung không đọc được: {why}"), format!("the text is not a procedure: {why}"))
            }
            EditRefusal::Problems(problems) => {
                let list = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
                (format!("Chưa công bố được, cần sửa: {list}"), format!("not published; fix: {list}"))
            }
            EditRefusal::Conflict { base, current } if *base == 0 => (
                format!("Mã thủ tục này đã có trong danh mục (phiên bản {current}): hãy mở thủ tục đó để sửa."),
                format!("this code is already published (version {current}); open that procedure to edit it"),
            ),
            EditRefusal::Conflict { base, current } => (
                format!(
                    "Người khác đã công bố phiên bản {current} sau khi bạn mở phiên bản {base}. Thay đổi của bạn \
                     chưa được công bố: hãy xem phiên bản mới rồi sửa lại."
                ),
                format!(
                    "someone else published version {current} after you opened version {base}; yours was not published"
                ),
            ),
            EditRefusal::OtherCode { editing, found } => (
                format!("Mã thủ tục trong nội dung ({found}) khác mã đang sửa ({editing})."),
                format!("the code in the text ({found}) is not the one being edited ({editing})"),
            ),
        }
    }
}

/// Reads a procedure as staff wrote it (its JSON form) and checks it as an import does.
pub fn read_edit(code: &str, text: &str) -> Result<Procedure, EditRefusal> {
    let mut de = serde_json::Deserializer::from_str(text);
    let procedure: Procedure = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        EditRefusal::Unreadable(if path == "." { inner } else { format!("{path}: {inner}") })
    })?;
    if procedure.code != code {
        return Err(EditRefusal::OtherCode { editing: code.to_string(), found: procedure.code });
    }
    let problems = procedure.problems();
    if !problems.is_empty() {
        return Err(EditRefusal::Problems(problems));
    }
    Ok(procedure)
}

/// Publishes staff's edit of one procedure as its new version (a new procedure when `base` is 0), in one
/// transaction: refused if another version was published since `base`, so that no one's update is lost.
/// The publish is an event (`actor` names the staff member), as an import is.
pub fn publish(
    store: &mut Store,
    procedure: &Procedure,
    editing: &Editing<'_>,
    clock: &dyn Clock,
) -> Result<Result<i64, EditRefusal>, CatalogError> {
    let now = clock.now();
    let tx = store.change()?;
    let current = repo::current_version(&tx, &procedure.code)?.unwrap_or(0);
    if current != editing.base {
        return Ok(Err(EditRefusal::Conflict { base: editing.base, current }));
    }
    let outcome = repo::upsert(&tx, std::slice::from_ref(procedure), editing.actor, &rfc3339(now))?;
    let version = repo::current_version(&tx, &procedure.code)?.unwrap_or(0);
    if outcome.added + outcome.changed > 0 {
        let detail = serde_json::json!({ "added": outcome.added, "changed": outcome.changed, "code": procedure.code, "version": version });
        repo::record_published(&tx, crate::domain::clock::millis(now), editing.actor, &detail.to_string())?;
        draft::log(&tx, &procedure.code, &rfc3339(now), editing.actor, EditAction::Publish, version)?;
    }
    // The draft is the version now (or was no change at all): either way it is done with.
    draft::delete(&tx, editing.page, editing.actor)?;
    tx.commit()?;
    Ok(Ok(version))
}

/// Retires the procedure of `editing.page`: it leaves the kiosks and public pages; its versions stay.
pub fn retire(
    store: &mut Store,
    editing: &Editing<'_>,
    clock: &dyn Clock,
) -> Result<Result<(), EditRefusal>, CatalogError> {
    let now = clock.now();
    let tx = store.change()?;
    let current = repo::current_version(&tx, editing.page)?.unwrap_or(0);
    if current != editing.base || editing.base == 0 {
        return Ok(Err(EditRefusal::Conflict { base: editing.base, current }));
    }
    repo::retire(&tx, editing.page, &rfc3339(now))?;
    let detail = serde_json::json!({ "retired": 1, "code": editing.page, "version": editing.base });
    repo::record_published(&tx, crate::domain::clock::millis(now), editing.actor, &detail.to_string())?;
    draft::log(&tx, editing.page, &rfc3339(now), editing.actor, EditAction::Retire, editing.base)?;
    draft::delete(&tx, editing.page, editing.actor)?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Keeps `body` as the staff member's draft of the page, in place of their earlier one, and logs it.
pub fn save_draft(store: &mut Store, editing: &Editing<'_>, body: &str, clock: &dyn Clock) -> Result<(), CatalogError> {
    let tx = store.change()?;
    let kept = Draft {
        page: editing.page.to_string(),
        actor: editing.actor.to_string(),
        base: editing.base,
        body: body.to_string(),
        saved_at: rfc3339(clock.now()),
    };
    draft::save(&tx, &kept)?;
    tx.commit()?;
    Ok(())
}

/// Throws the staff member's draft of the page away; false if there was none.
pub fn discard_draft(store: &mut Store, editing: &Editing<'_>, clock: &dyn Clock) -> Result<bool, CatalogError> {
    let tx = store.change()?;
    let had = draft::delete(&tx, editing.page, editing.actor)?;
    if had {
        draft::log(&tx, editing.page, &rfc3339(clock.now()), editing.actor, EditAction::Discard, editing.base)?;
    }
    tx.commit()?;
    Ok(had)
}

/// Every staff member's draft of a page, the newest first.
pub fn drafts(store: &Store, page: &str) -> Result<Vec<Draft>, StoreError> {
    draft::drafts(store.conn(), page)
}

/// How many drafts each page has, for the admin list.
pub fn draft_pages(store: &Store) -> Result<std::collections::HashMap<String, usize>, StoreError> {
    draft::pages(store.conn())
}

/// A page's edit log, oldest first.
pub fn edits(store: &Store, page: &str) -> Result<Vec<Edit>, StoreError> {
    draft::edits(store.conn(), page)
}

/// The version of `code` published now, if any (none: never published, or retired).
pub fn current_version(store: &Store, code: &str) -> Result<Option<i64>, StoreError> {
    repo::current_version(store.conn(), code)
}
