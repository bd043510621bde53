//! motcua: the software of a one-stop reception hall (bộ phận một cửa).
//! See `docs/architecture.md` for the map of the modules below.

pub mod app;
pub mod config;
pub mod domain;
pub mod hub;
pub mod interchange;
pub mod logs;
pub mod modem;
pub mod print;
pub mod province;
pub mod scanner;
pub mod speech;
pub mod store;
pub mod supervise;
pub mod tls;
pub mod ui;
pub mod voice;

slint::include_modules!();
