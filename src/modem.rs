//! A GSM modem on a serial port (USB or RS-232), spoken to in Hayes AT commands: checked (SIM, network,
//! SMS centre), set to text mode, and asked to send one SMS at a time with `AT+CMGS`. Every answer is
//! waited for with a deadline, so a modem that stops answering or is unplugged is an error, never a hang.

use crate::domain::sms::{hex16, Encoding, Message};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Why the modem could not send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModemError {
    #[error("modem \"{0}\" is not a serial port; use serial:PATH[?baud=115200]")]
    Target(String),
    #[error("cannot open the modem at {path}: {detail}")]
    Open { path: String, detail: String },
    #[error("the modem does not answer ({0})")]
    NoAnswer(String),
    #[error("the modem's port failed: {0}")]
    Io(String),
    #[error("no SIM card in the modem")]
    NoSim,
    #[error("the SIM card asks for its PIN ({0}); enter it once in a phone and turn the PIN off")]
    SimLocked(String),
    #[error("the modem is not registered on a network ({0})")]
    NoNetwork(String),
    #[error("the SIM has no SMS centre number (AT+CSCA)")]
    NoSmsc,
    #[error("the modem refused {command}: ERROR")]
    Refused { command: String },
    #[error("the modem could not send: +CMS ERROR: {0}")]
    Cms(u16),
    #[error("the modem answered garbage: {0}")]
    Garbled(String),
}

impl ModemError {
    /// Errors after which the port is opened and checked again before the next message.
    pub fn needs_reopen(&self) -> bool {
        !matches!(self, ModemError::Cms(_) | ModemError::Refused { .. })
    }

    /// A message that can never go (a bad number, a barred destination): no retry.
    pub fn permanent(&self) -> bool {
        // 3GPP TS 27.005: 1 unassigned number, 21 rejected, 28 unidentified subscriber, 29 facility
        // rejected, 304 invalid PDU mode parameter, 305 invalid text mode parameter, 325 invalid
        // destination.
        matches!(self, ModemError::Cms(1 | 21 | 28 | 29 | 304 | 305 | 325))
    }

    /// A short label for the console and /healthz.
    pub fn label(&self) -> &'static str {
        match self {
            ModemError::Target(_) | ModemError::Open { .. } | ModemError::Io(_) => "unplugged",
            ModemError::NoAnswer(_) => "no-answer",
            ModemError::NoSim => "no-sim",
            ModemError::SimLocked(_) => "sim-locked",
            ModemError::NoNetwork(_) => "no-network",
            ModemError::NoSmsc => "no-smsc",
            ModemError::Refused { .. } | ModemError::Cms(_) => "refused",
            ModemError::Garbled(_) => "garbled",
        }
    }
}

/// How long a command may take: `AT+CMGS` waits for the network, the rest for the modem alone.
const COMMAND: Duration = Duration::from_secs(3);
const SEND: Duration = Duration::from_secs(60);
/// Longest answer kept: a modem printing without end is garbage.
const MAX_ANSWER: usize = 4096;

/// An open, checked modem.
pub struct Modem {
    port: Box<dyn serialport::SerialPort>,
    encoding: Encoding,
}

/// "serial:/dev/ttyUSB2?baud=115200" → (path, baud).
pub fn parse_target(target: &str) -> Result<(String, u32), ModemError> {
    use crate::print::transport::{Flow, Target};
    match Target::parse(target) {
        Ok(Target::Serial { path, baud, flow: Flow::None, data_bits: 8, parity: 'n' }) if !path.is_empty() => {
            Ok((path, baud.unwrap_or(115_200)))
        }
        _ => Err(ModemError::Target(target.to_string())),
    }
}

impl Modem {
    /// Opens the port (the path is resolved again on each open, so a re-plugged modem behind a stable
    /// symlink is found) and checks the modem: it answers, its SIM is ready, it is registered, it has an
    /// SMS centre; then sets text mode and the character set.
    pub fn open(target: &str, encoding: Encoding) -> Result<Modem, ModemError> {
        let (path, baud) = parse_target(target)?;
        let port = serialport::new(&path, baud)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(|e| ModemError::Open { path: path.clone(), detail: e.to_string() })?;
        let mut modem = Modem { port, encoding };
        modem.check()?;
        Ok(modem)
    }

    fn check(&mut self) -> Result<(), ModemError> {
        // Echo off first: the answers are then only answers.
        self.command("ATE0")?;
        let pin = self.command("AT+CPIN?")?;
        match pin.iter().find_map(|l| l.strip_prefix("+CPIN:")).map(str::trim) {
            Some("READY") => {}
            Some(other) => return Err(ModemError::SimLocked(other.to_string())),
            None => return Err(ModemError::Garbled(pin.join(" | "))),
        }
        let reg = self.command("AT+CREG?")?;
        // "+CREG: 0,1" home, "+CREG: 0,5" roaming.
        let stat = reg.iter().find_map(|l| l.strip_prefix("+CREG:")).and_then(|v| v.split(',').nth(1)).map(str::trim);
        match stat {
            Some("1" | "5") => {}
            Some(s) => return Err(ModemError::NoNetwork(format!("+CREG stat {s}"))),
            None => return Err(ModemError::Garbled(reg.join(" | "))),
        }
        let csca = self.command("AT+CSCA?")?;
        let centre = csca.iter().find_map(|l| l.strip_prefix("+CSCA:")).map(|v| v.trim().trim_start_matches('"'));
        if centre.is_none_or(|c| c.starts_with('"') || c.is_empty()) {
            return Err(ModemError::NoSmsc);
        }
        self.command("AT+CMGF=1")?;
        match self.encoding {
            Encoding::Gsm => self.command("AT+CSCS=\"GSM\"")?,
            Encoding::Ucs2 => {
                self.command("AT+CSCS=\"UCS2\"")?;
                // Data coding scheme 8: UCS-2.
                self.command("AT+CSMP=17,167,0,8")?
            }
        };
        Ok(())
    }

    /// Sends one message; returns the network's reference for it.
    pub fn send(&mut self, phone: &str, message: &Message) -> Result<u32, ModemError> {
        let to = match self.encoding {
            Encoding::Gsm => phone.to_string(),
            Encoding::Ucs2 => hex16(phone),
        };
        let command = format!("AT+CMGS=\"{to}\"");
        self.write(format!("{command}\r").as_bytes())?;
        // The prompt "> " comes before any line end.
        let prompt =
            self.read_until(COMMAND, |seen| seen.windows(2).any(|w| w == b"> ") || final_line(seen).is_some())?;
        if !prompt.windows(2).any(|w| w == b"> ") {
            let answer = lines(&prompt);
            return Err(error_of(&command, &answer));
        }
        let mut body = message.payload().into_bytes();
        body.push(0x1A); // Ctrl-Z sends
        self.write(&body)?;
        let answer = lines(&self.read_until(SEND, |seen| final_line(seen).is_some())?);
        if answer.last().map(String::as_str) != Some("OK") {
            return Err(error_of("AT+CMGS", &answer));
        }
        answer
            .iter()
            .find_map(|l| l.strip_prefix("+CMGS:"))
            .and_then(|r| r.trim().parse().ok())
            .ok_or_else(|| ModemError::Garbled(answer.join(" | ")))
    }

    /// Sends a command and returns its answer lines up to the final "OK".
    fn command(&mut self, command: &str) -> Result<Vec<String>, ModemError> {
        self.write(format!("{command}\r").as_bytes())?;
        let answer = lines(&self.read_until(COMMAND, |seen| final_line(seen).is_some())?);
        match answer.last().map(String::as_str) {
            Some("OK") => Ok(answer),
            _ => Err(error_of(command, &answer)),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ModemError> {
        self.port.write_all(bytes).and_then(|()| self.port.flush()).map_err(|e| ModemError::Io(e.to_string()))
    }

    /// Reads until `done` says the answer is complete, or the deadline passes.
    fn read_until(&mut self, within: Duration, done: impl Fn(&[u8]) -> bool) -> Result<Vec<u8>, ModemError> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        while Instant::now() < deadline {
            match self.port.read(&mut buf) {
                Ok(0) => return Err(ModemError::Io("the port closed".into())),
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if done(&seen) {
                        return Ok(seen);
                    }
                    if seen.len() > MAX_ANSWER {
                        return Err(ModemError::Garbled(format!("more than {MAX_ANSWER} bytes without an end")));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) => return Err(ModemError::Io(e.to_string())),
            }
        }
        let what = String::from_utf8_lossy(&seen).trim().to_string();
        Err(ModemError::NoAnswer(if what.is_empty() { format!("nothing within {within:?}") } else { what }))
    }
}

/// The lines of an answer, without blanks and echo noise.
fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != ">")
        .map(str::to_string)
        .collect()
}

/// The final result line of an answer, once it has arrived.
fn final_line(bytes: &[u8]) -> Option<String> {
    if !bytes.ends_with(b"\n") && !bytes.ends_with(b"\r") {
        return None;
    }
    lines(bytes)
        .into_iter()
        .rev()
        .find(|l| l == "OK" || l == "ERROR" || l.starts_with("+CMS ERROR:") || l.starts_with("+CME ERROR:"))
}

/// The error an answer ends with.
fn error_of(command: &str, answer: &[String]) -> ModemError {
    for line in answer.iter().rev() {
        if let Some(code) = line.strip_prefix("+CMS ERROR:") {
            return code.trim().parse().map_or_else(|_| ModemError::Garbled(line.clone()), ModemError::Cms);
        }
        if let Some(code) = line.strip_prefix("+CME ERROR:") {
            // 10 SIM not inserted, 11 SIM PIN required, 12 SIM PUK required, 13 SIM failure.
            return match code.trim() {
                "10" | "13" | "SIM not inserted" | "SIM failure" => ModemError::NoSim,
                other => ModemError::SimLocked(other.to_string()),
            };
        }
        if line == "ERROR" {
            return ModemError::Refused { command: command.to_string() };
        }
    }
    ModemError::Garbled(answer.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_end_at_their_final_line() {
        assert_eq!(final_line(b"\r\n+CPIN: READY\r\n\r\nOK\r\n").as_deref(), Some("OK"));
        assert_eq!(final_line(b"\r\n+CPIN: READY\r\n"), None);
        assert_eq!(final_line(b"\r\n+CMS ERROR: 38\r\n").as_deref(), Some("+CMS ERROR: 38"));
        assert_eq!(final_line(b"\r\nOK"), None, "not before its line ends");
    }

    #[test]
    fn errors_say_what_the_modem_meant() {
        let l = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(error_of("AT+CMGS", &l(&["+CMS ERROR: 38"])), ModemError::Cms(38));
        assert!(!ModemError::Cms(38).permanent() && ModemError::Cms(1).permanent());
        assert_eq!(error_of("AT+CPIN?", &l(&["+CME ERROR: 10"])), ModemError::NoSim);
        assert_eq!(error_of("AT+CPIN?", &l(&["+CME ERROR: 11"])), ModemError::SimLocked("11".into()));
        assert_eq!(error_of("ATE0", &l(&["ERROR"])), ModemError::Refused { command: "ATE0".into() });
        assert!(matches!(error_of("AT", &l(&["\u{fffd}\u{fffd}"])), ModemError::Garbled(_)));
        assert!(parse_target("tcp:1.2.3.4:9100").is_err());
        assert_eq!(parse_target("serial:/dev/ttyUSB2").unwrap(), ("/dev/ttyUSB2".into(), 115_200));
    }
}
