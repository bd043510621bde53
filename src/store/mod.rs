//! The embedded SQLite database: opening it safely, migrating it, and one repository per aggregate.
//! This is the only module that speaks SQL; the statements live in `src/store/sql/`.

// The one mapping between the domain's vocabularies and the database: each value is stored as its spelling,
// and a spelling the domain does not know is an error naming it, never a silent default.
macro_rules! stored_as_spelling {
    ($($t:ty),+) => {$(
        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }

        impl rusqlite::types::FromSql for $t {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                <$t>::parse(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("unknown {} \"{text}\"", stringify!($t)).into())
                })
            }
        }
    )+};
}

pub mod access;
pub mod backup;
pub mod booking;
pub mod calendar;
pub mod catalog;
pub mod counter;
pub mod dossier;
pub mod draft;
pub mod idcard;
pub mod inspect;
pub mod outbox;
pub mod queue;
pub mod rating;
pub mod readers;
pub mod report;
pub mod sms;
pub mod staff;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema steps, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/migrations/0001_catalog.sql"),
    include_str!("sql/migrations/0002_catalog_imports.sql"),
    include_str!("sql/migrations/0003_queue.sql"),
    include_str!("sql/migrations/0004_counters.sql"),
    include_str!("sql/migrations/0005_queue_indexes.sql"),
    include_str!("sql/migrations/0006_dossiers.sql"),
    include_str!("sql/migrations/0007_guards.sql"),
    include_str!("sql/migrations/0008_outcome_spelling.sql"),
    include_str!("sql/migrations/0009_staff.sql"),
    include_str!("sql/migrations/0010_ratings.sql"),
    include_str!("sql/migrations/0011_closing.sql"),
    include_str!("sql/migrations/0012_dossier_forms.sql"),
    include_str!("sql/migrations/0013_report_indexes.sql"),
    include_str!("sql/migrations/0014_desk_index.sql"),
    include_str!("sql/migrations/0015_metrics_device.sql"),
    include_str!("sql/migrations/0016_id_card.sql"),
    include_str!("sql/migrations/0017_sms.sql"),
    include_str!("sql/migrations/0018_calendar_years.sql"),
    include_str!("sql/migrations/0019_catalog_drafts.sql"),
    include_str!("sql/migrations/0020_outbox.sql"),
    include_str!("sql/migrations/0021_outbox_state.sql"),
    include_str!("sql/migrations/0022_outbox_hall.sql"),
    include_str!("sql/migrations/0023_province_catalog.sql"),
    include_str!("sql/migrations/0024_booking.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error(
        "the database {path} is damaged ({detail}); keep the file for inspection, \
         restore the latest backup or move the file away to start empty"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "the database {path} was written by a newer version of motcua (schema {found}, this version knows \
         up to {supported}); it was left untouched: run the newer version or restore a backup"
    )]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("schema migration to step {step} failed: {source}")]
    Migration { step: i64, source: rusqlite::Error },
    #[error("stored procedure {code} version {version} is unreadable: {detail}")]
    CorruptRow { code: String, version: i64, detail: String },
    #[error("cannot write the backup {path}: {detail}")]
    Backup { path: PathBuf, detail: String },
    #[error(
        "the database {path} is in use by another motcua hub (a `motcua serve`, or a kiosk running its own hub); \
         stop it first: one writer per database"
    )]
    Locked { path: PathBuf },
    #[error(
        "the database {path} needs schema step {to} but the backup before it could not be written ({detail}); \
         nothing was changed: free space or fix the folder's permissions, then start again"
    )]
    NoBackupBeforeMigration { path: PathBuf, to: i64, detail: String },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// The disk (or the size set by `limit_size`) has no room for the change: nothing of it was written,
    /// and the same change can succeed once space is freed.
    pub fn is_full(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull))
    }
}

/// Before a migration changes a database, a copy of it goes to `backups/` beside it
/// (`motcua-schema-<step>-<unix seconds>.db`): the way back if the new version has to be rolled back. No copy,
/// no migration.
fn backup_before_migration(conn: &Connection, path: &Path, found: i64) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new(".")).join("backups");
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let dest = dir.join(format!("motcua-schema-{found}-{stamp}.db"));
    backup::copy(conn, &dest).map(|_| ()).map_err(|e| StoreError::NoBackupBeforeMigration {
        path: path.to_owned(),
        to: SCHEMA_VERSION,
        detail: match e {
            StoreError::Backup { detail, .. } => detail,
            other => other.to_string(),
        },
    })
}

/// An open, checked and migrated database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the database file, refusing a damaged file or one from a newer version before
    /// anything is written to it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
        Store::prepare(conn, path.to_owned())
    }

    /// A private in-memory database, for tests and tools.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::prepare(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        let damaged = |detail: String| StoreError::Damaged { path: path.clone(), detail };
        conn.busy_timeout(Duration::from_secs(5))?;
        // Every statement the hub runs per request stays prepared (the default keeps 16, fewer than the
        // queue uses, and re-preparing costs more than running them).
        conn.set_prepared_statement_cache_capacity(128);
        // Plans never depend on bound values: without this, SQLite peeks at some parameters while planning
        // and prepares the statement again whenever they change, which cost the hub more than running it.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // Read-only checks first: a refused file must not be modified, not even by a pragma.
        let check: String =
            conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| damaged(e.to_string()))?;
        if check != "ok" {
            return Err(damaged(check));
        }
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| damaged(e.to_string()))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path, found, supported: SCHEMA_VERSION });
        }
        if found > 0 && found < SCHEMA_VERSION && path.as_os_str() != ":memory:" {
            backup_before_migration(&conn, &path, found)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted rows are overwritten with zeros, not left in free pages: ID cards, names and phones that
        // are erased are gone from the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // The outbox's triggers mask names as the public pages do (migration 0020).
        conn.create_scalar_function(
            "motcua_mask",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|name| crate::domain::dossier::mask_name(&name))),
        )?;
        migrate(&mut conn, found)?;
        Ok(Store { conn, path })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Copies the write-ahead log of the database at `path` into the file and empties it, on a connection
    /// of its own so that neither the hub's writer nor its readers wait for it: erased data, overwritten
    /// in the file by `secure_delete`, is then gone from the log too. False when a reader kept it from
    /// finishing (try again later).
    pub fn empty_log(path: &Path) -> Result<bool, StoreError> {
        let open = |source| StoreError::Open { path: path.to_path_buf(), source };
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(open)?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let busy: i64 = conn.query_row(include_str!("sql/wal_truncate.sql"), [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts one change: an immediate transaction, or a savepoint when the caller already holds a
    /// transaction (the hub's writer commits many changes at once, with one fsync). Dropped without
    /// `commit`, it undoes itself.
    pub fn change(&mut self) -> Result<Change<'_>, StoreError> {
        Ok(if self.conn.is_autocommit() {
            Change::Transaction(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
        } else {
            Change::Savepoint(self.conn.savepoint()?)
        })
    }

    /// Runs `f` inside one read transaction, so that everything it reads sees the same database (a report's
    /// tickets, dossiers and ratings). Inside a transaction already, it joins it.
    pub fn consistent<T, E: From<StoreError>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        if !self.conn.is_autocommit() {
            return f(&self.conn);
        }
        self.conn.execute_batch("BEGIN").map_err(StoreError::from)?;
        let result = f(&self.conn);
        // Nothing was written: ending the read cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        result
    }

    /// Opens a batch: one immediate transaction that every `change` made until `commit_batch` joins as a
    /// savepoint, so that many changes are committed with one fsync.
    pub fn begin_batch(&mut self) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    /// The database's size in bytes (pages in use or free, the WAL not counted).
    pub fn size_bytes(&self) -> Result<u64, StoreError> {
        let (pages, page): (i64, i64) = self.conn.query_row(
            "SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((pages * page) as u64)
    }

    /// Whether the database has room to grow again after a full disk: a few pages under its cap
    /// (`limit_size`), and a megabyte free on its filesystem. A small change can still fit into a page
    /// with room while the disk is full, so a change saved is not enough to say the disk has room.
    pub fn has_room(&self) -> bool {
        let pages: Result<(i64, i64), _> = self.conn.query_row(
            "SELECT page_count, max_page_count FROM pragma_page_count(), pragma_max_page_count()",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        if pages.is_ok_and(|(used, most)| used + 16 >= most) {
            return false;
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        inspect::space(dir).is_none_or(|(free, _)| free >= 1 << 20)
    }

    /// Stops the database file growing past `max_bytes` (SQLite's `max_page_count`): past it every
    /// change fails as on a full disk (`is_full`), while reads go on. The file never shrinks below its
    /// current size, so a cap under it holds it where it is.
    pub fn limit_size(&self, max_bytes: u64) -> Result<(), StoreError> {
        let page: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages = (max_bytes / page.max(1) as u64).max(1);
        self.conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether a batch is still open: after some errors (disk full, I/O) SQLite rolls the whole
    /// transaction back by itself, and what follows would commit on its own.
    pub fn in_batch(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Commits the open batch; if that fails, it is rolled back and nothing of it stays.
    pub fn commit_batch(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| {
            self.rollback_batch();
            e.into()
        })
    }

    /// Undoes the open batch, if SQLite has not already.
    pub fn rollback_batch(&mut self) {
        if self.in_batch() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "cannot roll a batch back");
            }
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// One change in progress; see `Store::change`.
pub enum Change<'a> {
    Transaction(rusqlite::Transaction<'a>),
    Savepoint(rusqlite::Savepoint<'a>),
}

impl Change<'_> {
    pub fn commit(self) -> Result<(), StoreError> {
        match self {
            Change::Transaction(t) => t.commit()?,
            Change::Savepoint(s) => s.commit()?,
        }
        Ok(())
    }
}

impl std::ops::Deref for Change<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Change::Transaction(t) => t,
            Change::Savepoint(s) => s,
        }
    }
}

/// Steps that rebuild a table others refer to: SQLite's way is to turn foreign keys off for the step (it
/// cannot be done inside a transaction) and check them all before committing.
const REBUILDS: &[i64] = &[11];

fn migrate(conn: &mut Connection, from: i64) -> Result<(), StoreError> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        let step = i as i64 + 1;
        let rebuild = REBUILDS.contains(&step);
        let run = |conn: &mut Connection| -> rusqlite::Result<()> {
            if rebuild {
                conn.pragma_update(None, "foreign_keys", "OFF")?;
            }
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            if rebuild {
                let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
                if broken > 0 {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                        Some(format!("{broken} rows refer to rows that are gone")),
                    ));
                }
            }
            tx.pragma_update(None, "user_version", step)?;
            tx.commit()
        };
        let done = run(conn);
        if rebuild {
            conn.pragma_update(None, "foreign_keys", "ON").map_err(|source| StoreError::Migration { step, source })?;
        }
        done.map_err(|source| StoreError::Migration { step, source })?;
        tracing::info!(step, "database schema migrated");
    }
    Ok(())
}
