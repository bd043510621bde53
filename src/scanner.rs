//! A barcode/QR scanner on a serial port (USB CDC or RS-232). It sends each code as a line ending in CR,
//! LF or both. Lines that are not printable text, or longer than any code, are reported and dropped; a port
//! that vanishes is opened again every few seconds. (A keyboard-wedge scanner needs none of this: it types
//! into the focused field of the lookup screen.)

use std::io::Read;
use std::time::Duration;

/// Longest line taken as a code: a ticket address or a dossier code is far shorter.
pub const MAX_CODE: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    Code(String),
    /// What arrived instead of a code, described for the log.
    Garbage(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ScannerError {
    #[error("scanner \"{0}\" is not a serial port; use serial:PATH[?baud=9600]")]
    Target(String),
}

/// Collects bytes into lines; each finished line becomes a code or garbage.
#[derive(Default)]
pub struct LineReader {
    line: Vec<u8>,
    overflow: bool,
}

impl LineReader {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Scan> {
        let mut scans = Vec::new();
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                if let Some(scan) = self.finish() {
                    scans.push(scan);
                }
            } else if self.line.len() < MAX_CODE {
                self.line.push(b);
            } else {
                self.overflow = true;
            }
        }
        scans
    }

    fn finish(&mut self) -> Option<Scan> {
        let line = std::mem::take(&mut self.line);
        let overflow = std::mem::replace(&mut self.overflow, false);
        if line.is_empty() && !overflow {
            return None; // the LF of a CR LF
        }
        if overflow {
            return Some(Scan::Garbage(format!("a line longer than {MAX_CODE} bytes")));
        }
        match String::from_utf8(line) {
            Ok(text) if !text.trim().is_empty() && text.chars().all(|c| !c.is_control()) => {
                Some(Scan::Code(text.trim().to_string()))
            }
            Ok(text) => Some(Scan::Garbage(format!("control characters {:02X?}", text.as_bytes()))),
            Err(e) => Some(Scan::Garbage(format!("bytes that are not text {:02X?}", e.as_bytes()))),
        }
    }
}

/// "serial:/dev/ttyACM0?baud=9600" → (path, baud), in the printers' target syntax; a scanner takes no
/// other serial option.
pub fn parse_target(target: &str) -> Result<(String, u32), ScannerError> {
    use crate::print::transport::{Flow, Target};
    match Target::parse(target) {
        Ok(Target::Serial { path, baud, flow: Flow::None, data_bits: 8, parity: 'n' }) if !path.is_empty() => {
            Ok((path, baud.unwrap_or(9600)))
        }
        _ => Err(ScannerError::Target(target.to_string())),
    }
}

/// Reads the scanner on its own thread until the process ends, handing every code to `on_code`.
pub fn spawn(target: &str, on_code: impl Fn(String) + Send + 'static) -> Result<(), ScannerError> {
    let (path, baud) = parse_target(target)?;
    let started = std::thread::Builder::new().name("scanner".into()).spawn(move || {
        let mut reader = LineReader::default();
        let mut warned = false;
        loop {
            let port = serialport::new(&path, baud).timeout(Duration::from_millis(200)).open();
            let mut port = match port {
                Ok(p) => {
                    tracing::info!(%path, "scanner connected");
                    warned = false;
                    p
                }
                Err(e) => {
                    if !warned {
                        tracing::warn!(%path, error = %e, "scanner not available; trying again every 3 s");
                        warned = true;
                    }
                    std::thread::sleep(Duration::from_secs(3));
                    continue;
                }
            };
            let mut buf = [0u8; 512];
            loop {
                match port.read(&mut buf) {
                    Ok(0) => continue,
                    Ok(n) => {
                        for scan in reader.push(&buf[..n]) {
                            match scan {
                                Scan::Code(code) => on_code(code),
                                Scan::Garbage(what) => {
                                    tracing::warn!(%path, what, "scanner sent something that is not a code")
                                }
                            }
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(e) => {
                        tracing::warn!(%path, error = %e, "scanner disconnected");
                        reader = LineReader::default();
                        break;
                    }
                }
            }
        }
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the scanner thread");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_in_pieces_and_any_line_ending() {
        let mut r = LineReader::default();
        assert!(r.push(b"H57.132-2608").is_empty());
        assert_eq!(r.push(b"04-0583\r\nA0"), vec![Scan::Code("H57.132-260804-0583".into())]);
        assert_eq!(r.push(b"25\n\n"), vec![Scan::Code("A025".into())]);
    }

    #[test]
    fn garbage_is_reported_and_the_next_code_still_reads() {
        let mut r = LineReader::default();
        let scans = r.push(b"\xFF\xFE\x01\r\x1b[A\rOK\r");
        assert!(matches!(&scans[0], Scan::Garbage(w) if w.contains("not text")), "{scans:?}");
        assert!(matches!(&scans[1], Scan::Garbage(w) if w.contains("control")), "{scans:?}");
        assert_eq!(scans[2], Scan::Code("OK".into()));
        let long = vec![b'x'; MAX_CODE * 4];
        assert!(r.push(&long).is_empty());
        assert_eq!(
            r.push(b"\rA001\r"),
            vec![Scan::Garbage(format!("a line longer than {MAX_CODE} bytes")), Scan::Code("A001".into())]
        );
    }

    #[test]
    fn targets() {
        assert_eq!(parse_target("serial:/dev/ttyACM0").unwrap(), ("/dev/ttyACM0".into(), 9600));
        assert_eq!(parse_target("serial:/dev/ttyUSB1?baud=115200").unwrap(), ("/dev/ttyUSB1".into(), 115_200));
        for bad in ["/dev/ttyACM0", "serial:", "serial:/dev/x?baud=fast", "serial:/dev/x?speed=1", "tcp:1.2.3.4:9"] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }
}
