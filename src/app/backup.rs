//! Backups of the hall's database (docs/deploy.md): taken while the hub runs, daily at `[backup] time` with
//! old daily copies removed after `keep_days`, and put back with `motcua restore`: refused while a hub
//! writes the file, checked first, the database it replaces kept aside, a new epoch so that every client
//! resyncs, and the purges that came due since the copy run again.

use crate::config::Config;
use crate::domain::clock::{local, millis, Clock, VIETNAM};
use crate::store::backup::{self, Copied, WriterLock};
use crate::store::{access, Store, StoreError};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the backup folder {dir}: {detail}")]
    Folder { dir: PathBuf, detail: String },
    #[error("the restored database could not be finished: {0}")]
    Finish(String),
}

/// Where backups go: `[backup] dir`, or `backups/` in the data folder.
pub fn folder(config: &Config, data_dir: &Path) -> PathBuf {
    match config.backup.dir.trim() {
        "" => data_dir.join("backups"),
        dir => PathBuf::from(dir),
    }
}

/// "motcua-2026-12-04-1800.db": a backup's file name, from the local time it was taken.
pub fn file_name(now: OffsetDateTime) -> String {
    let t = now.to_offset(VIETNAM);
    format!("motcua-{}-{:02}{:02}.db", local(now).0, t.hour(), t.minute())
}

/// Takes a copy of the database open on `store` (a read-only connection is enough) into `dest`.
pub fn take(store: &Store, dest: &Path) -> Result<Copied, BackupError> {
    Ok(backup::copy(store.conn(), dest)?)
}

/// Deletes the daily copies (`motcua-YYYY-MM-DD-HHMM.db`) in `dir` older than `keep_days` by their name's
/// date; other files, and copies made before a migration or a restore, stay. Returns what was deleted.
pub fn prune(dir: &Path, keep_days: u32, now: OffsetDateTime) -> Result<Vec<PathBuf>, BackupError> {
    let oldest = (now.to_offset(VIETNAM).date() - time::Duration::days(i64::from(keep_days))).to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| BackupError::Folder { dir: dir.to_owned(), detail: e.to_string() })?;
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(day) = name.strip_prefix("motcua-").and_then(|rest| rest.get(..10)) else { continue };
        let daily = name.len() == "motcua-2026-12-04-1800.db".len() && name.ends_with(".db");
        let old = daily && day.chars().all(|c| c.is_ascii_digit() || c == '-') && day < oldest.as_str();
        if old && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    Ok(removed)
}

/// Whether the daily backup is due now: the configured time has passed today and today's has not been
/// taken. After a failure it is tried again an hour later.
pub fn due(config: &Config, now: OffsetDateTime, last_taken_day: Option<&str>, last_failed_ms: Option<i64>) -> bool {
    let at = config.backup.time.trim();
    let Some((h, m)) = at.split_once(':').and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
    else {
        return false;
    };
    let (today, minute, _) = local(now);
    let retry = last_failed_ms.is_none_or(|failed| millis(now) - failed >= 3_600_000);
    minute >= h * 60 + m && last_taken_day != Some(today.as_str()) && retry
}

/// The daily backup: a copy named for now in the backup folder, then old daily copies removed.
pub fn daily(store: &Store, config: &Config, data_dir: &Path, clock: &dyn Clock) -> Result<Copied, BackupError> {
    let now = clock.now();
    let dir = folder(config, data_dir);
    let copied = take(store, &dir.join(file_name(now)))?;
    prune(&dir, config.backup.keep_days, now)?;
    Ok(copied)
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The schema step of the copy, before it was migrated to this version's.
    pub schema: i64,
    pub epoch: String,
    /// Where the database it replaced was kept.
    pub replaced: Option<PathBuf>,
    /// Dossiers whose personal data came due for clearing since the copy, cleared again.
    pub purged: usize,
}

/// Puts the copy `from` back as the database `db`. Refused while a hub writes `db`, and when the copy does
/// not pass the integrity check or is newer than this version; the database it replaces is kept in the
/// backup folder first.
pub fn restore(from: &Path, db: &Path, config: &Config, clock: &dyn Clock) -> Result<Restored, BackupError> {
    let _lock = WriterLock::take(db)?;
    let schema = backup::check(from)?;
    let replaced = if db.exists() {
        let dir = folder(config, db.parent().unwrap_or(Path::new(".")));
        let dest = dir.join(format!("motcua-before-restore-{}", file_name(clock.now()).trim_start_matches("motcua-")));
        // A database that still opens is copied through SQLite; a damaged one is kept as its bytes.
        let copied = match rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) {
            Ok(conn) => backup::copy(&conn, &dest).map(|_| ()),
            Err(e) => Err(StoreError::Open { path: db.to_owned(), source: e }),
        };
        if copied.is_err() {
            std::fs::create_dir_all(&dir)
                .map_err(|e| BackupError::Folder { dir: dir.clone(), detail: e.to_string() })?;
            std::fs::copy(db, &dest).map_err(|e| BackupError::Folder { dir: dir.clone(), detail: e.to_string() })?;
        }
        Some(dest)
    } else {
        None
    };
    backup::put_back(from, db)?;
    let store = Store::open(db)?;
    let epoch = super::queue::token().map_err(|e| BackupError::Finish(e.to_string()))?;
    // The province keeps the history the backup was taken under apart from the one that starts now.
    super::outbox::note_branch(&store, &access::epoch(store.conn())?)?;
    access::renew_epoch(store.conn(), &epoch)?;
    let purged = super::dossier::purge(&store, config, clock).map_err(|e| BackupError::Finish(e.to_string()))?;
    Ok(Restored { schema, epoch, replaced, purged })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_daily_backup_is_due_once_a_day_after_its_time_and_retried_an_hour_after_a_failure() {
        let config = Config::default();
        let evening = datetime!(2026-12-04 18:05 +7);
        assert!(!due(&config, datetime!(2026-12-04 17:59 +7), None, None));
        assert!(due(&config, evening, Some("2026-12-03"), None));
        assert!(!due(&config, evening, Some("2026-12-04"), None), "taken today");
        let failed = millis(datetime!(2026-12-04 18:00 +7));
        assert!(!due(&config, evening, None, Some(failed)));
        assert!(due(&config, datetime!(2026-12-04 19:00 +7), None, Some(failed)));
        let off = Config { backup: crate::config::Backup { time: String::new(), ..Default::default() }, ..config };
        assert!(!due(&off, evening, None, None));
        assert_eq!(file_name(evening), "motcua-2026-12-04-1805.db");
    }
}
