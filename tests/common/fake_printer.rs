//! A scripted ESC/POS printer on the master side of a pseudo-terminal pair: it answers real-time status
//! queries (DLE EOT) and job confirmations (GS r) as a printer in its state would, and records every byte.
#![allow(dead_code)]

use motcua::print::status::{answers_for, PrinterState};
use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the fake printer behaves.
#[derive(Clone, Copy, PartialEq)]
pub enum Script {
    Normal,
    PaperOut,
    /// Ready at first; the cover opens once the job starts arriving.
    CoverOpensMidJob,
    Silent,
    Garbage,
    /// The adapter is pulled out after this many job bytes.
    VanishAfter(usize),
}

pub struct Fake {
    pub received: Arc<Mutex<Vec<u8>>>,
    pub thread: std::thread::JoinHandle<()>,
    /// The printer's state now: a test changes it (paper put back) while the fake runs.
    pub state: Arc<Mutex<PrinterState>>,
}

/// Runs the fake printer on the master side until the test is done (or the script pulls the plug).
pub fn fake_printer(mut master: TTYPort, script: Script, stop: Arc<Mutex<bool>>) -> Fake {
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let first = if script == Script::PaperOut { PrinterState::PaperOut } else { PrinterState::Ready };
    let state = Arc::new(Mutex::new(first));
    let now = state.clone();
    let thread = std::thread::spawn(move || {
        master.set_timeout(Duration::from_millis(20)).expect("timeout set");
        let mut seen = 0usize;
        let mut buf = [0u8; 4096];
        loop {
            if *stop.lock().expect("lock") {
                return;
            }
            let n = match master.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => 0,
                Err(_) => return,
            };
            let mut all = log.lock().expect("lock");
            all.extend_from_slice(&buf[..n]);
            if let Script::VanishAfter(limit) = script {
                if all.len() > limit && all.windows(2).any(|w| w == [0x1B, b'@']) {
                    return; // dropping the master: the device is gone
                }
            }
            if script == Script::CoverOpensMidJob && all.windows(2).any(|w| w == [0x1B, b'@']) {
                *now.lock().expect("lock") = PrinterState::CoverOpen;
            }
            let state = now.lock().expect("lock").clone();
            while seen + 3 <= all.len() {
                let q = [all[seen], all[seen + 1], all[seen + 2]];
                let answer: Option<u8> = match (script, q) {
                    (Script::Silent, _) => None,
                    (Script::Garbage, [0x10, 0x04, _]) => Some(0xFF),
                    (_, [0x10, 0x04, n @ (1 | 2 | 4)]) => Some(
                        answers_for(&state)[match n {
                            1 => 0,
                            2 => 1,
                            _ => 2,
                        }],
                    ),
                    (_, [0x1D, b'r', 1]) if state.can_print() => Some(0x00),
                    _ => None,
                };
                if let Some(a) = answer {
                    let _ = master.write_all(&[a]);
                    seen += 3;
                } else {
                    seen += 1;
                }
            }
        }
    });
    Fake { received, thread, state }
}
