//! `[dossiers]`, `[ratings]`, `[reports]`: how the hall records its dossiers and how its work is judged.

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
