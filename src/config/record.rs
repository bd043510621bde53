//! `[dossiers]`, `[ratings]`, `[reports]`, `[backup]`: how the hall records its dossiers, how its work is
//! judged, and where copies of all of it go.

use serde::{Deserialize, Serialize};

/// Dossiers citizens follow (docs/dossiers.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dossiers {
    /// Agency code in the dossier codes this hall gives; empty uses `center.agency_code`.
    pub agency_code: String,
    /// When the sequence in a dossier code starts again at 1: "daily" or "yearly".
    pub sequence_reset: String,
    /// Days after the result is handed over when the applicant's name and phone are cleared.
    pub purge_after_days: u32,
    /// Where results are handed over, shown with every dossier that does not say.
    pub collect_at: String,
    /// A folder of `YYYY.toml` working-day calendars replacing or adding to the built-in years.
    pub calendar_dir: String,
}

impl Default for Dossiers {
    fn default() -> Self {
        Dossiers {
            agency_code: String::new(),
            sequence_reset: "daily".into(),
            purge_after_days: 30,
            collect_at: "Bộ phận Tiếp nhận và Trả kết quả".into(),
            calendar_dir: String::new(),
        }
    }
}

/// The hall's reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Reports {
    /// The wait a citizen should not exceed: reports give the share called within it.
    pub target_wait_minutes: u32,
}

impl Default for Reports {
    fn default() -> Self {
        Reports { target_wait_minutes: 15 }
    }
}

/// The daily backup (docs/deploy.md): a copy of the database taken while the hub runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Backup {
    /// Where copies go (a USB stick or a mounted share); empty: `backups/` in the data folder.
    pub dir: String,
    /// Days a daily copy is kept; older `motcua-*.db` copies in `dir` are deleted after each new one.
    pub keep_days: u32,
    /// Local time of the daily copy ("18:00"); "" for none.
    pub time: String,
}

impl Default for Backup {
    fn default() -> Self {
        Backup { dir: String::new(), keep_days: 14, time: "18:00".into() }
    }
}

/// HTTPS on the hall's LAN (docs/deploy.md, "HTTPS"): where `motcua tls init` writes and the hub reads,
/// and the CA that kiosks and boards trust for an `https://` hub.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tls {
    /// The folder of `ca.pem`, `ca-key.pem`, `hub.pem`, `hub-key.pem`; empty: `tls/` in the data folder.
    pub dir: String,
    /// The hall CA a remote kiosk or board trusts (a copy of the hub's `ca.pem`); empty: `ca.pem` in `dir`.
    pub ca: String,
}

/// Citizens' ratings of how they were served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ratings {
    /// Minutes during which whoever gave a rating may change it.
    pub change_minutes: u32,
    /// The reason chips offered at the two lowest levels, in order.
    pub reasons: Vec<String>,
}

impl Default for Ratings {
    fn default() -> Self {
        Ratings {
            change_minutes: 10,
            reasons: ["Thời gian chờ", "Thái độ", "Hướng dẫn chưa rõ", "Giải quyết chậm", "Khác"]
                .map(String::from)
                .to_vec(),
        }
    }
}
