//! A scripted GSM modem on the master side of a pseudo-terminal pair: it answers AT commands as a modem
//! in its state would (SIM, network, SMS centre, text mode), takes `AT+CMGS` with its "> " prompt and
//! Ctrl-Z, and records every message it "sends", after `pace` (a real modem takes about 3 s).
#![allow(dead_code)]

use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the modem behaves now; a test changes it while the modem runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Script {
    Ok,
    /// `AT+CMGS` ends in `+CMS ERROR: 38` (network out of order).
    CmsError,
    /// `AT+CPIN?` answers `+CME ERROR: 10`.
    NoSim,
    /// `AT+CREG?` answers "not registered, searching".
    NoNetwork,
    /// Nothing is answered at all.
    Silent,
}

/// What was sent: (number, text) in the order sent.
pub type Sent = Arc<Mutex<Vec<(String, String)>>>;

pub struct FakeModem {
    pub sent: Sent,
    /// When each message was taken (after its pace), in the order of `sent`.
    pub at: Arc<Mutex<Vec<std::time::Instant>>>,
    pub script: Arc<Mutex<Script>>,
    pub commands: Arc<Mutex<Vec<String>>>,
    stop: Arc<Mutex<bool>>,
}

impl FakeModem {
    /// Stops answering and closes the master: the device is unplugged.
    pub fn unplug(&self) {
        *self.stop.lock().unwrap() = true;
    }
}

/// A pseudo-terminal pair whose slave is reachable at `link` (a symlink, as udev gives a modem a stable
/// name), with the fake modem on the master.
pub fn plug(link: &std::path::Path, script: Script, pace: Duration) -> FakeModem {
    let (master, slave) = TTYPort::pair().expect("a pseudo-terminal pair");
    let name = slave.name().expect("the slave's name");
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(&name, link).expect("symlink to the slave");
    // The slave stays open on our side until the modem is unplugged, so its name stays valid.
    let sent: Sent = Arc::default();
    let script = Arc::new(Mutex::new(script));
    let commands: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(Mutex::new(false));
    let at: Arc<Mutex<Vec<std::time::Instant>>> = Arc::default();
    let modem = FakeModem {
        sent: sent.clone(),
        at: at.clone(),
        script: script.clone(),
        commands: commands.clone(),
        stop: stop.clone(),
    };
    std::thread::spawn(move || run(master, slave, &script, (&sent, &at), &commands, &stop, pace));
    modem
}

fn run(
    mut master: TTYPort,
    slave: TTYPort,
    script: &Mutex<Script>,
    (sent, at): (&Sent, &Mutex<Vec<std::time::Instant>>),
    commands: &Mutex<Vec<String>>,
    stop: &Mutex<bool>,
    pace: Duration,
) {
    master.set_timeout(Duration::from_millis(20)).expect("timeout set");
    let mut line = Vec::new();
    let mut body: Option<(String, Vec<u8>)> = None;
    let mut reference = 0u32;
    let mut buf = [0u8; 1024];
    loop {
        if *stop.lock().unwrap() {
            drop(slave);
            return; // dropping the master: the device is gone
        }
        let n = match master.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(_) => return,
        };
        let now = *script.lock().unwrap();
        for &b in &buf[..n] {
            if let Some((to, text)) = body.as_mut() {
                if b == 0x1A {
                    let (to, text) = (to.clone(), String::from_utf8_lossy(text).into_owned());
                    body = None;
                    std::thread::sleep(pace);
                    let answer = if now == Script::CmsError {
                        "\r\n+CMS ERROR: 38\r\n".to_string()
                    } else {
                        reference += 1;
                        sent.lock().unwrap().push((to, text));
                        at.lock().unwrap().push(std::time::Instant::now());
                        format!("\r\n+CMGS: {reference}\r\n\r\nOK\r\n")
                    };
                    let _ = master.write_all(answer.as_bytes());
                } else {
                    text.push(b);
                }
                continue;
            }
            if b != b'\r' {
                line.push(b);
                continue;
            }
            let command = String::from_utf8_lossy(&line).trim().to_string();
            line.clear();
            if command.is_empty() {
                continue;
            }
            commands.lock().unwrap().push(command.clone());
            if now == Script::Silent {
                continue;
            }
            let answer = match command.as_str() {
                "AT+CPIN?" if now == Script::NoSim => "\r\n+CME ERROR: 10\r\n".to_string(),
                "AT+CPIN?" => "\r\n+CPIN: READY\r\n\r\nOK\r\n".to_string(),
                "AT+CREG?" if now == Script::NoNetwork => "\r\n+CREG: 0,2\r\n\r\nOK\r\n".to_string(),
                "AT+CREG?" => "\r\n+CREG: 0,1\r\n\r\nOK\r\n".to_string(),
                "AT+CSCA?" => "\r\n+CSCA: \"+84980200030\",145\r\n\r\nOK\r\n".to_string(),
                c if c.starts_with("AT+CMGS=\"") => {
                    let to = c.trim_start_matches("AT+CMGS=\"").trim_end_matches('"').to_string();
                    body = Some((to, Vec::new()));
                    "\r\n> ".to_string()
                }
                "AT" | "ATE0" | "AT+CMGF=1" | "AT+CSCS=\"GSM\"" | "AT+CSCS=\"UCS2\"" | "AT+CSMP=17,167,0,8" => {
                    "\r\nOK\r\n".to_string()
                }
                _ => "\r\nERROR\r\n".to_string(),
            };
            let _ = master.write_all(answer.as_bytes());
        }
    }
}
