//! A look at a database file without changing it (`motcua doctor`): opened read-only, never migrated, with
//! SQLite's quick check, its schema, size and latest event, and whether a hub holds it.

use super::{StoreError, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// What a look at the database found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The file is missing: a fresh start creates it.
    pub missing: bool,
    /// SQLite's `quick_check`: "ok", or what is wrong.
    pub check: String,
    pub schema: i64,
    pub supported: i64,
    /// The file and its WAL, in bytes.
    pub bytes: u64,
    /// The latest time stamped on an event since the clock was last accepted (see `queue::last_event_ms`).
    pub last_event_ms: Option<i64>,
    /// A hub (or a kiosk running its own) holds the writer lock.
    pub in_use: bool,
    /// What the province has of the outbox (none before schema 20).
    pub outbox: Option<super::outbox::Delivery>,
}

pub fn inspect(path: &Path) -> Result<Inspection, StoreError> {
    let in_use = super::backup::WriterLock::held_elsewhere(path);
    if !path.exists() {
        let empty = Inspection {
            missing: true,
            check: "ok".into(),
            schema: 0,
            supported: SCHEMA_VERSION,
            bytes: 0,
            last_event_ms: None,
            in_use,
            outbox: None,
        };
        return Ok(empty);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let check = conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)).unwrap_or_else(|e| e.to_string());
    let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_events: bool = conn
        .query_row("SELECT 1 FROM sqlite_schema WHERE name = 'queue_event'", [], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    let last_event_ms =
        if has_events && check == "ok" { super::queue::last_event_ms(&conn).ok().flatten() } else { None };
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let bytes = size(path) + size(Path::new(&wal));
    let has_outbox: bool = conn
        .query_row("SELECT 1 FROM sqlite_schema WHERE name = 'outbox'", [], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    let outbox = if has_outbox && check == "ok" { super::outbox::delivery(&conn).ok() } else { None };
    Ok(Inspection { missing: false, check, schema, supported: SCHEMA_VERSION, bytes, last_event_ms, in_use, outbox })
}

/// Free and total bytes of the filesystem holding `path`.
pub fn space(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut s = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: statvfs writes into the buffer given; the path is a valid C string.
    if unsafe { libc::statvfs(c.as_ptr(), s.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled the structure.
    let s = unsafe { s.assume_init() };
    // The fields are 32 bits wide on some kiosk boards (32-bit ARM): widen them before multiplying.
    #[allow(clippy::unnecessary_cast)]
    let (unit, avail, blocks) = (s.f_frsize as u64, s.f_bavail as u64, s.f_blocks as u64);
    Some((avail * unit, blocks * unit))
}
