//! Opening the printers named in configuration, or a target given on the command line.

use crate::config::{Config, PrinterConfig};
use crate::print::transport;
use crate::print::{PrintError, Printer};
use std::path::Path;

/// The printer called `name` in the configuration; or, for a target written out (`virtual`,
/// `serial:/dev/ttyUSB0`, `tcp:…`), that target with the kiosk printer's profile.
pub fn open(config: &Config, data_dir: &Path, name: &str) -> Result<Printer, PrintError> {
    let (label, printer) = match config.printers.get(name) {
        Some(p) => (name.to_string(), p.clone()),
        None if name.contains(':') || name.starts_with("virtual") => {
            let mut base =
                config.printers.get(&config.kiosk.printer).cloned().unwrap_or_else(PrinterConfig::virtual_epson);
            base.target = name.to_string();
            (name.to_string(), base)
        }
        None => {
            let known = config.printers.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(PrintError::UnknownPrinter { name: name.to_string(), known });
        }
    };
    let profile = printer.profile().map_err(PrintError::Config)?;
    let target = printer.target().map_err(PrintError::Config)?;
    let transport = transport::open(&target, profile.baud, data_dir.join("prints"), profile.width_dots)?;
    Ok(Printer::new(&label, profile, transport))
}
