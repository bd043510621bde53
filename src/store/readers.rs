//! Read-only connections to the database, so that reads (snapshots, pages, lookups, reports) never wait
//! behind the hub's writer and never delay it: in WAL mode readers and the writer do not block each
//! other, and a read started after a commit sees it.

use super::{Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A fixed number of read-only connections; a read waits for a free one.
pub struct Readers {
    idle: Mutex<Vec<Store>>,
    freed: Condvar,
}

impl Readers {
    /// Opens `count` read-only connections to the database file at `path` (already created and migrated
    /// by the writer).
    pub fn open(path: &Path, count: usize) -> Result<Readers, StoreError> {
        let idle = (0..count.max(1)).map(|_| Store::open_reader(path)).collect::<Result<Vec<_>, _>>()?;
        Ok(Readers { idle: Mutex::new(idle), freed: Condvar::new() })
    }

    /// Runs `f` on a free reader, in one read transaction (one consistent view of the database).
    pub fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&Store) -> Result<T, E>) -> Result<T, E> {
        let store = {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(s) = idle.pop() {
                    break s;
                }
                idle = self.freed.wait(idle).unwrap_or_else(|e| e.into_inner());
            }
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.conn().execute_batch("BEGIN").map_err(StoreError::from)?;
            let result = f(&store);
            let _ = store.conn().execute_batch("COMMIT");
            result
        }));
        // Handed back even when `f` panicked, so the pool never shrinks.
        if !store.conn().is_autocommit() {
            let _ = store.conn().execute_batch("ROLLBACK");
        }
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(store);
        self.freed.notify_one();
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl Store {
    /// A read-only connection to an existing database (see `Readers`).
    pub fn open_reader(path: &Path) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(128);
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Store { conn, path: path.to_owned() })
    }
}
