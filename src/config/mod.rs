//! Configuration: a TOML file, then `MOTCUA_<SECTION>_<KEY>` environment variables over it, then checks
//! that name the key, the bad value and what is allowed. Every key has a default, so the demo needs no file;
//! `config.example.toml` documents each one.

mod booking;
mod check;
mod hub;
mod province;
mod queue;
mod record;

use crate::domain::catalog::Level;
use crate::print::encoding::TextMode;
use crate::print::profile::Profile;
use crate::print::transport::Target;
pub use booking::Booking;
pub use hub::Hub;
pub use province::Province;
use queue::{demo_counters, demo_services};
pub use queue::{Counter, NotPrintedRule, Queue, Service};
pub use record::{Backup, Dossiers, Ratings, Reports, Tls};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{origin}: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}: {key}: {message}")]
    Invalid { origin: String, key: String, message: String },
    #[error("{path}: a secret must not be readable by every user (mode {mode:o}); chmod 0640 it")]
    Exposed { path: PathBuf, mode: u32 },
    #[error("{path}: empty; it should hold the secret on one line")]
    EmptySecret { path: PathBuf },
}

/// A secret kept in a file of its own (a token, a database's connection string): its first line, refused
/// if every user of the machine may read it.
pub fn read_secret(path: &Path) -> Result<String, ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let read = |source| ConfigError::Read { path: path.to_owned(), source };
    let mode = std::fs::metadata(path).map_err(read)?.permissions().mode() & 0o777;
    if mode & 0o007 != 0 {
        return Err(ConfigError::Exposed { path: path.to_owned(), mode });
    }
    let text = std::fs::read_to_string(path).map_err(read)?;
    match text.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => Ok(line.to_string()),
        None => Err(ConfigError::EmptySecret { path: path.to_owned() }),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub center: Center,
    pub kiosk: Kiosk,
    pub catalog: Catalog,
    /// Printers by name: the kiosk's, each counter's.
    pub printers: BTreeMap<String, PrinterConfig>,
    pub queue: Queue,
    pub hub: Hub,
    pub voice: Voice,
    pub display: Display,
    pub dossiers: Dossiers,
    pub ratings: Ratings,
    pub reports: Reports,
    pub backup: Backup,
    pub tls: Tls,
    pub province: Province,
    pub sms: Sms,
    pub booking: Booking,
    pub services: Vec<Service>,
    pub counters: Vec<Counter>,
}

/// Text messages to citizens who ask for them, through a GSM modem on the hub's machine (docs/sms.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sms {
    /// The modem's serial port ("serial:/dev/ttyUSB2?baud=115200"); empty: no messages, and the kiosk
    /// does not offer them.
    pub modem: String,
    /// Who the message is from, at its start; empty for the center's name (keep it short).
    pub sender: String,
    /// "Your turn is near" goes when this many people or fewer are ahead.
    pub near_places: u32,
    /// Messages one phone number may receive in a day, and tickets it may be given for.
    pub per_number_per_day: u32,
    /// Messages the hall sends in a day at most.
    pub per_day: u32,
    /// Send with Vietnamese marks in UCS-2 (70 characters) instead of without marks in GSM 7-bit (160).
    pub ucs2: bool,
    /// Tries of one message before it is given up.
    pub tries: u32,
    /// Seconds before the first retry; each further one waits twice as long (up to 30 minutes).
    pub retry_after_s: u32,
}

impl Default for Sms {
    fn default() -> Self {
        Sms {
            modem: String::new(),
            sender: String::new(),
            near_places: 3,
            per_number_per_day: 4,
            per_day: 500,
            ucs2: false,
            tries: 5,
            retry_after_s: 30,
        }
    }
}

/// The hall's display board (`motcua display`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Display {
    /// The hub ("http://192.168.1.10:8080"); empty for the hub on this machine, at `hub.listen`.
    pub hub: String,
    /// This board's device token (`motcua device add NAME --role display`); empty with a hub on this
    /// machine, where the board registers itself.
    pub hub_token: String,
    pub fullscreen: bool,
    /// Window size when not full screen (and the size the layout is designed around).
    pub width_px: u32,
    pub height_px: u32,
    /// A line that scrolls along the bottom; empty for none.
    pub notice: String,
    /// Speak the calls (`aplay` and a sound card); false, or --no-audio, keeps the board silent.
    pub audio: bool,
    /// Slint renderer: "software" or "femtovg".
    pub renderer: String,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            hub: String::new(),
            hub_token: String::new(),
            fullscreen: true,
            width_px: 1920,
            height_px: 1080,
            notice: String::new(),
            audio: true,
            renderer: "software".into(),
        }
    }
}

/// Announcements of calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Voice {
    /// The sentence, with {number} (read letter, then digits) and {counter} (read as a number).
    pub template: String,
    /// Times each call is said while nobody else waits to be announced.
    pub repeats: u32,
    /// Seconds after which a call not yet announced is dropped (the board still shows it).
    pub max_age_s: u32,
    /// A folder of WAV clips replacing built-in ones of the same name; empty for the built-in ones only.
    pub clips_dir: String,
}

impl Default for Voice {
    fn default() -> Self {
        Voice {
            template: crate::domain::announce::DEFAULT_TEMPLATE.into(),
            repeats: 2,
            max_age_s: 60,
            clips_dir: String::new(),
        }
    }
}

/// One printer: where it is, which profile it follows, and any profile field changed for this unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    /// virtual, file:PATH, serial:PATH?baud=9600&flow=rtscts, usb:/dev/usb/lp0, tcp:HOST:9100
    pub target: String,
    pub profile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width_dots: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_mode: Option<TextMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcvn3_pages: Option<[u8; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcvn3_capitals: Option<crate::print::encoding::Tcvn3Capitals>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cp1258_page: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_chinese: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_qr: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutter: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baud: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_bytes: Option<u32>,
}

impl PrinterConfig {
    pub fn virtual_epson() -> PrinterConfig {
        PrinterConfig {
            target: "virtual".into(),
            profile: "epson-tm-t20".into(),
            width_dots: None,
            text_mode: None,
            tcvn3_pages: None,
            tcvn3_capitals: None,
            cp1258_page: None,
            cancel_chinese: None,
            native_qr: None,
            cutter: None,
            status: None,
            baud: None,
            band_bytes: None,
        }
    }

    /// The built-in profile with this printer's changes.
    pub fn profile(&self) -> Result<Profile, String> {
        let mut p = Profile::builtin(&self.profile)
            .ok_or_else(|| format!("\"{}\" is not a profile; use one of: {}", self.profile, Profile::BUILTIN))?;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(v) = self.$field { p.$field = v; })* };
        }
        apply!(
            width_dots,
            text_mode,
            tcvn3_pages,
            tcvn3_capitals,
            cp1258_page,
            cancel_chinese,
            native_qr,
            cutter,
            status,
            baud,
            band_bytes
        );
        Ok(p)
    }

    pub fn target(&self) -> Result<Target, String> {
        Target::parse(&self.target)
    }
}

/// The hall this installation serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Center {
    pub name: String,
    /// The province (or city) above the center, shown above its name.
    pub province: String,
    pub level: Level,
    /// The agency's electronic code, the first part of dossier codes.
    pub agency_code: String,
    pub address: String,
    /// Telephone for citizens, shown on the help screen (may be empty).
    pub phone: String,
    /// Opening hours as citizens read them on the help screen.
    pub hours: String,
    /// An image file (PNG or SVG) shown beside the name, such as the official emblem; empty for the bundled mark.
    pub emblem: String,
    /// Whether the installation runs on demonstration data; shown on every screen.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Kiosk {
    /// Cover the whole screen; the layout follows the window's real size and orientation.
    pub fullscreen: bool,
    /// The window's size when not full screen (set-up and development).
    pub screen_width_px: u32,
    pub screen_height_px: u32,
    /// Diagonal of the panel in inches, to size touch targets in millimetres.
    pub screen_diagonal_in: f64,
    /// Language shown when nobody has chosen: "vi" or "en".
    pub language: String,
    /// Name of the printer (in [printers]) that prints tickets and slips at this kiosk.
    pub printer: String,
    /// A remote hub ("http://192.168.1.10:8080"); empty runs the hub inside the kiosk.
    pub hub: String,
    /// This kiosk's device token on the remote hub (`motcua device add`).
    pub hub_token: String,
    /// Seconds without a touch before any screen returns home (the last 15 are counted down).
    pub idle_timeout_s: u32,
    /// Slint renderer: "software" (small, no GPU needed) or "femtovg" (OpenGL).
    pub renderer: String,
    /// A serial barcode/QR scanner ("serial:/dev/ttyACM0?baud=9600"); empty for none or a keyboard-wedge one.
    pub scanner: String,
    /// Offer "Lấy số" with the chip ID card's QR (docs/id-card.md). Never offered by a kiosk whose remote
    /// hub is plain HTTP.
    pub id_card: bool,
    /// The speech engine behind "Nghe" (espeak-ng, run as a program); empty turns reading aloud off.
    pub read_aloud: String,
    /// The program that plays what the engine says, with its arguments (a WAV on its standard input).
    pub read_aloud_player: String,
    /// Words a minute (80 to 300); elderly listeners follow a slower voice.
    pub read_aloud_speed: u32,
    /// The engine's loudness, 0 to 200 (100 is its normal); the sound card's own volume applies on top.
    pub read_aloud_volume: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Catalog {
    /// Load the bundled demo catalog into a database that has no procedures yet.
    pub load_demo: bool,
    /// The hall's own synonym file, added to the bundled ones; empty for none.
    pub synonyms_file: String,
    /// Most results a search shows.
    pub search_limit: u32,
    /// Address phones reach the catalog's public pages at: the kiosk's detail and the printed slip carry a
    /// QR of `{public_base_url}/thu-tuc/{code}`. Empty: `[queue] public_base_url`, the hub's.
    pub public_base_url: String,
    /// A procedure not published again for this many months is listed for review on /quan-tri.
    pub review_months: u32,
}

impl Catalog {
    /// The public page of a procedure, as the QR codes of the kiosk's detail and slip give it.
    pub fn page_url(&self, queue: &Queue, code: &str) -> String {
        let base = if self.public_base_url.trim().is_empty() { &queue.public_base_url } else { &self.public_base_url };
        format!("{}/thu-tuc/{code}", base.trim().trim_end_matches('/'))
    }
}

impl Default for Center {
    fn default() -> Self {
        Center {
            name: "Trung tâm Phục vụ hành chính công xã Minh Họa".into(),
            province: "Tỉnh Đắk Lắk".into(),
            level: Level::Xa,
            agency_code: "000.00.00.H99".into(),
            address: "Địa chỉ mẫu, xã Minh Họa, tỉnh Đắk Lắk".into(),
            phone: String::new(),
            hours: "Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00; Thứ Bảy 7:30–11:30".into(),
            emblem: String::new(),
            demo: true,
        }
    }
}

impl Default for Kiosk {
    fn default() -> Self {
        Kiosk {
            fullscreen: true,
            screen_width_px: 1080,
            screen_height_px: 1920,
            screen_diagonal_in: 21.5,
            language: "vi".into(),
            printer: "kiosk".into(),
            hub: String::new(),
            hub_token: String::new(),
            idle_timeout_s: 60,
            renderer: "software".into(),
            scanner: String::new(),
            id_card: true,
            read_aloud: "espeak-ng".into(),
            read_aloud_player: "aplay -q".into(),
            read_aloud_speed: 150,
            read_aloud_volume: 100,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            center: Center::default(),
            kiosk: Kiosk::default(),
            catalog: Catalog::default(),
            printers: BTreeMap::from([("kiosk".to_string(), PrinterConfig::virtual_epson())]),
            queue: Queue::default(),
            hub: Hub::default(),
            voice: Voice::default(),
            display: Display::default(),
            dossiers: Dossiers::default(),
            ratings: Ratings::default(),
            reports: Reports::default(),
            backup: Backup::default(),
            tls: Tls::default(),
            province: Province::default(),
            sms: Sms::default(),
            booking: Booking::default(),
            services: demo_services(),
            counters: demo_counters(),
        }
    }
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            load_demo: true,
            synonyms_file: String::new(),
            search_limit: 30,
            public_base_url: String::new(),
            review_months: 6,
        }
    }
}

/// Environment variables with this prefix that are not configuration keys.
const NOT_KEYS: &[&str] = &["MOTCUA_LOG", "MOTCUA_CONFIG", "MOTCUA_DATA_DIR"];

impl Config {
    /// Reads `path` (or only defaults when `None`), applies the environment and checks the result.
    pub fn load(path: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let (origin, mut table) = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
                let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Syntax {
                    origin: path.display().to_string(),
                    message: e.to_string().trim_end().to_string(),
                })?;
                (path.display().to_string(), table)
            }
            None => ("defaults".to_string(), toml::Table::new()),
        };
        apply_env(&mut table, env)?;
        let config: Config = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            ConfigError::Invalid { origin: origin.clone(), key: e.path().to_string(), message: e.inner().to_string() }
        })?;
        config.check().map_err(|(key, message)| ConfigError::Invalid { origin, key: key.into(), message })?;
        Ok(config)
    }

    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }
}

/// Applies `MOTCUA_<SECTION>_<KEY>=value`. The value is read as the type the key has by default, so
/// `MOTCUA_KIOSK_FULLSCREEN=false` is a boolean and `MOTCUA_CENTER_NAME=123` a string.
fn apply_env(table: &mut toml::Table, env: impl IntoIterator<Item = (String, String)>) -> Result<(), ConfigError> {
    let defaults = toml::Table::try_from(Config::default()).unwrap_or_default();
    for (name, value) in env {
        let Some(rest) = name.strip_prefix("MOTCUA_") else { continue };
        if NOT_KEYS.contains(&name.as_str()) {
            continue;
        }
        let rest = rest.to_ascii_lowercase();
        let Some((section, key)) = rest.split_once('_') else { continue };
        let Some(toml::Value::Table(section_defaults)) = defaults.get(section) else { continue };
        let invalid = |message: String| ConfigError::Invalid {
            origin: format!("environment {name}"),
            key: format!("{section}.{key}"),
            message,
        };
        let typed = match section_defaults.get(key) {
            None => return Err(invalid("unknown key".into())),
            Some(toml::Value::Table(_) | toml::Value::Array(_)) => {
                return Err(invalid("a whole table cannot come from the environment; set it in the file".into()))
            }
            Some(toml::Value::Boolean(_)) => match value.as_str() {
                "true" | "1" | "yes" => toml::Value::Boolean(true),
                "false" | "0" | "no" => toml::Value::Boolean(false),
                _ => return Err(invalid(format!("\"{value}\" is not a boolean; use true or false"))),
            },
            Some(toml::Value::Integer(_)) => value
                .parse()
                .map(toml::Value::Integer)
                .map_err(|_| invalid(format!("\"{value}\" is not a whole number")))?,
            Some(toml::Value::Float(_)) => {
                value.parse().map(toml::Value::Float).map_err(|_| invalid(format!("\"{value}\" is not a number")))?
            }
            Some(_) => toml::Value::String(value.clone()),
        };
        let entry = table.entry(section.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry {
            toml::Value::Table(t) => {
                t.insert(key.to_string(), typed);
            }
            _ => return Err(invalid(format!("[{section}] in the file is not a table"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_need_no_file() {
        let c = Config::load(None, env(&[])).expect("defaults load");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn environment_overrides_with_types() {
        let c = Config::load(
            None,
            env(&[
                ("MOTCUA_CENTER_NAME", "UBND phường 1"),
                ("MOTCUA_KIOSK_FULLSCREEN", "false"),
                ("MOTCUA_KIOSK_SCREEN_WIDTH_PX", "1920"),
                ("MOTCUA_LOG", "debug"),
                ("MOTCUA_REQUIRE_SOMETHING", "1"),
            ]),
        )
        .expect("overrides apply");
        assert_eq!(c.center.name, "UBND phường 1");
        assert!(!c.kiosk.fullscreen);
        assert_eq!(c.kiosk.screen_width_px, 1920);
    }

    #[test]
    fn bad_environment_names_key_and_value() {
        let e = Config::load(None, env(&[("MOTCUA_KIOSK_FULLSCREEN", "maybe")])).unwrap_err().to_string();
        assert_eq!(
            e,
            "environment MOTCUA_KIOSK_FULLSCREEN: kiosk.fullscreen: \"maybe\" is not a boolean; use true or false"
        );
        let e = Config::load(None, env(&[("MOTCUA_CENTER_NAMEE", "x")])).unwrap_err().to_string();
        assert!(e.contains("center.namee: unknown key"), "{e}");
    }
}
