//! `[province]`: the hall's link to the province service, and the province service itself
//! (docs/province.md).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Both ends of the link. A hub reads the first keys (where to push, as whom, trusting what); the
/// province's machine (`motcua province serve`) reads the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Province {
    /// The province service the hub pushes its outbox to ("https://motcua.tinh.gov.vn"); empty: nothing
    /// leaves the hall.
    pub url: String,
    /// The file holding this hall's push token (`motcua province hall add` at the province gives it);
    /// readable by the hub's user only (mode 0600 or 0640).
    pub token_file: String,
    /// The province's CA certificate (PEM): the only one trusted for `url`.
    pub ca: String,
    /// Rows sent in one push (halved while the province answers that a push is too large).
    pub batch_rows: u32,
    /// The longest wait between tries while the province cannot be reached, in seconds (the first waits
    /// one second, each next twice as long).
    pub retry_max_s: u32,
    /// How often the hub asks for the province's catalog, in seconds (an unchanged catalog costs one
    /// short answer).
    pub catalog_pull_s: u32,
    /// `motcua province serve`: address and port (HTTPS with the certificate in `[tls] dir`).
    pub listen: String,
    /// A file holding the PostgreSQL connection string ("host=/run/postgresql dbname=motcua user=motcua"
    /// or "postgresql://…"), mode 0600 or 0640. Empty: the systemd credential `motcua-province-db`.
    pub database_file: String,
    /// Connections to PostgreSQL the service holds; a push waits for one at most `database_wait_ms`.
    pub database_connections: u32,
    pub database_wait_ms: u32,
    /// Rows one push may carry at most; a larger push is refused (413) and nothing of it stored.
    pub max_batch_rows: u32,
    /// Bookings one phone number may hold for one day, across the province's halls.
    pub booking_per_phone_per_day: u32,
    /// Bookings asked for from one address in an hour (a mobile operator's shared address counts as one).
    pub booking_per_address_per_hour: u32,
}

impl Default for Province {
    fn default() -> Self {
        Province {
            url: String::new(),
            token_file: String::new(),
            ca: String::new(),
            batch_rows: 500,
            retry_max_s: 60,
            catalog_pull_s: 300,
            listen: "127.0.0.1:8443".into(),
            database_file: String::new(),
            database_connections: 8,
            database_wait_ms: 2000,
            max_batch_rows: 1000,
            booking_per_phone_per_day: 2,
            booking_per_address_per_hour: 20,
        }
    }
}

impl Province {
    /// `token_file`, a relative name taken in the data folder.
    pub fn token_path(&self, data_dir: &Path) -> PathBuf {
        data_dir.join(self.token_file.trim())
    }

    /// `ca`, a relative name taken in the data folder.
    pub fn ca_path(&self, data_dir: &Path) -> PathBuf {
        data_dir.join(self.ca.trim())
    }

    pub(super) fn check(&self) -> Result<(), (&'static str, String)> {
        let url = self.url.trim();
        if !url.is_empty() {
            if !url.starts_with("https://") {
                return Err(("province.url", format!("\"{url}\" must start with https://")));
            }
            if self.token_file.trim().is_empty() {
                return Err(("province.token_file", "must name the hall's push token file while url is set".into()));
            }
            if self.ca.trim().is_empty() {
                return Err(("province.ca", "must name the province's CA certificate while url is set".into()));
            }
        }
        for (key, rows) in [("province.batch_rows", self.batch_rows), ("province.max_batch_rows", self.max_batch_rows)]
        {
            if !(1..=10_000).contains(&rows) {
                return Err((key, format!("{rows} is outside 1..=10000")));
            }
        }
        if !(1..=3600).contains(&self.retry_max_s) {
            return Err(("province.retry_max_s", format!("{} is outside 1..=3600 seconds", self.retry_max_s)));
        }
        if !(1..=86_400).contains(&self.catalog_pull_s) {
            return Err(("province.catalog_pull_s", format!("{} is outside 1..=86400 seconds", self.catalog_pull_s)));
        }
        if !(1..=20).contains(&self.booking_per_phone_per_day) {
            return Err((
                "province.booking_per_phone_per_day",
                format!("{} is outside 1..=20", self.booking_per_phone_per_day),
            ));
        }
        if !(1..=10_000).contains(&self.booking_per_address_per_hour) {
            return Err((
                "province.booking_per_address_per_hour",
                format!("{} is outside 1..=10000", self.booking_per_address_per_hour),
            ));
        }
        if !(1..=64).contains(&self.database_connections) {
            return Err(("province.database_connections", format!("{} is outside 1..=64", self.database_connections)));
        }
        Ok(())
    }
}
