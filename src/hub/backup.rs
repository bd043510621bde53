//! The hub's daily backup (`[backup]`, docs/deploy.md): taken on a read-only connection when due, its
//! outcome kept for `/healthz`, `/metrics` and the console.

use super::Hub;
use crate::domain::clock::millis;

/// How the daily backup went (`[backup]`, docs/deploy.md).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct BackupStatus {
    /// The local day of the last copy taken by this hub.
    pub last_day: Option<String>,
    pub last_path: Option<String>,
    pub last_bytes: Option<u64>,
    pub last_ms: Option<i64>,
    /// The last failure (a missing or full target), until a copy succeeds.
    pub error: Option<String>,
    pub error_ms: Option<i64>,
}

impl Hub {
    /// How the daily backup went.
    pub fn backup_status(&self) -> BackupStatus {
        self.backup.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// Takes the daily backup when it is due (`[backup] time`), on a read-only connection, and removes old
    /// daily copies; a failure is logged, kept for /healthz and tried again an hour later.
    pub fn daily_backup(&self) {
        // One at a time: a second caller (the sweep and a command at once) waits, then finds it taken.
        let _one = self.backing_up.lock().unwrap_or_else(|e| e.into_inner());
        let now = self.clock.now();
        let (last_day, error_ms) = match self.backup.lock() {
            Ok(b) => (b.last_day.clone(), b.error_ms),
            Err(_) => return,
        };
        if !crate::app::backup::due(&self.config, now, last_day.as_deref(), error_ms) {
            return;
        }
        let dir = self.data_dir.clone();
        let taken = self
            .read(move |store, config, clock| Ok(crate::app::backup::daily(store, config, &dir, clock)))
            .map_err(|e| e.to_string())
            .and_then(|copied| copied.map_err(|e| e.to_string()));
        let now_ms = millis(now);
        let Ok(mut status) = self.backup.lock() else { return };
        let was_failing = status.error_ms.is_some();
        match taken {
            Ok(copied) => {
                tracing::info!(path = %copied.path.display(), bytes = copied.bytes, "daily backup taken");
                status.last_day = Some(crate::domain::clock::local_day(now));
                status.last_path = Some(copied.path.display().to_string());
                status.last_bytes = Some(copied.bytes);
                status.last_ms = Some(now_ms);
                status.error = None;
                status.error_ms = None;
            }
            Err(e) => {
                tracing::error!(error = %e, "the daily backup failed; trying again in an hour");
                status.error = Some(e);
                status.error_ms = Some(now_ms);
            }
        }
        // The province sees each copy taken and the first failure after a good one (docs/province.md).
        if status.error_ms.is_none() || !was_failing {
            let (last_ms, failed_ms) = (status.last_ms, status.error_ms);
            self.change_later("the backup's state for the province", move |store| {
                Ok(crate::app::outbox::note_backup(store, last_ms, failed_ms, now_ms)?)
            });
        }
    }
}
