//! Copies of the database: taken with SQLite's online backup API (consistent while the hub writes, one read
//! transaction), checked, written owner-only (they hold personal data) and renamed into place only when
//! whole; a copy put back over the database the same way; and the lock that keeps one writer per file.

use super::{StoreError, SCHEMA_VERSION};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A copy written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
}

fn failed(path: &Path, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backup { path: path.to_owned(), detail: detail.to_string() }
}

/// Copies everything from `src` into `dst` in one step: one read transaction on the source, so the copy is
/// the database as it was at one moment whatever the writer does meanwhile.
fn copy_all(src: &Connection, dst: &mut Connection) -> Result<(), rusqlite::Error> {
    let backup = Backup::new(src, dst)?;
    for _ in 0..200 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // Another connection holds a lock for a moment: try again.
            _ => std::thread::sleep(Duration::from_millis(25)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None))
}

/// Writes a copy of the database open on `src` to `dest`: into `dest.partial` (mode 0600), checked with
/// `quick_check`, synced, then renamed. A copy that cannot be written whole leaves no file behind.
pub fn copy(src: &Connection, dest: &Path) -> Result<Copied, StoreError> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| failed(dest, e))?;
    }
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let written = (|| -> Result<(), StoreError> {
        OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial).map_err(|e| failed(dest, e))?;
        let mut out = Connection::open(&partial).map_err(|e| failed(dest, e))?;
        copy_all(src, &mut out).map_err(|e| failed(dest, e))?;
        let check: String = out.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| failed(dest, e))?;
        if check != "ok" {
            return Err(failed(dest, format!("the copy does not check: {check}")));
        }
        drop(out);
        File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| failed(dest, e))?;
        std::fs::rename(&partial, dest).map_err(|e| failed(dest, e))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(Copied { path: dest.to_owned(), bytes })
}

/// Checks a copy before it is put back: it opens, passes the full `integrity_check`, and its schema is not
/// newer than this version's. Returns its schema version.
pub fn check(path: &Path) -> Result<i64, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
    let damaged = |detail: String| StoreError::Damaged { path: path.to_owned(), detail };
    let check: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| damaged(e.to_string()))?;
    if check != "ok" {
        return Err(damaged(check));
    }
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| damaged(e.to_string()))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_owned(), found, supported: SCHEMA_VERSION });
    }
    Ok(found)
}

/// Puts the copy at `from` back as the database at `into` (through SQLite, so that its journal and WAL
/// stay right). The caller holds the writer lock and has checked the copy.
pub fn put_back(from: &Path, into: &Path) -> Result<(), StoreError> {
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|source| StoreError::Open { path: from.to_owned(), source })?;
    let mut dst = Connection::open(into).map_err(|source| StoreError::Open { path: into.to_owned(), source })?;
    copy_all(&src, &mut dst).map_err(|e| failed(into, e))
}

/// The one writer of a database file: an exclusive lock on `<file>.lock`, held while the value lives. A
/// second hub, kiosk with its own hub, or a restore on the same file is refused while it is held.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    pub fn take(db: &Path) -> Result<WriterLock, StoreError> {
        let path = db.with_extension("lock");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| failed(&path, e))?;
        // SAFETY: flock on a descriptor this function owns; it only reads the descriptor.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
        if !locked {
            return Err(StoreError::Locked { path: db.to_owned() });
        }
        Ok(WriterLock { _file: file })
    }

    /// Whether another process holds the lock on `db` now (a lock file that cannot be opened: no).
    pub fn held_elsewhere(db: &Path) -> bool {
        let Ok(file) = File::open(db.with_extension("lock")) else { return false };
        // SAFETY: flock on a descriptor this function owns; a lock taken is let go when the file closes.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) != 0 }
    }

    /// Keeps the lock for the rest of the process (a kiosk whose hub lives as long as it does).
    pub fn hold_until_exit(self) {
        std::mem::forget(self);
    }
}
