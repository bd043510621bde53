//! Real serial I/O over a pseudo-terminal pair, with a scripted fake printer on the other end: a normal
//! job, paper out, cover opened mid-job, silence, garbage, and the port vanishing mid-job.

mod common;
#[path = "common/fake_printer.rs"]
mod fake_printer;

use fake_printer::{fake_printer, Fake, Script};
use motcua::print::layout::{ticket, TicketInfo};
use motcua::print::profile::Profile;
use motcua::print::status::PrinterState;
use motcua::print::transport::{self, Flow, Target};
use motcua::print::{Outcome, Printer};
use serialport::{SerialPort, TTYPort};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn sample_ticket() -> motcua::print::document::Document {
    ticket(&TicketInfo::example())
}

/// A printer on the slave side of a fresh pair, with its fake on the master side.
fn rig(script: Script) -> (Printer, Fake, Arc<Mutex<bool>>, TTYPort) {
    let (master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    let path = slave.name().expect("slave has a path");
    rig_at(path, master, slave, script)
}

fn rig_at(path: String, master: TTYPort, slave: TTYPort, script: Script) -> (Printer, Fake, Arc<Mutex<bool>>, TTYPort) {
    let stop = Arc::new(Mutex::new(false));
    let fake = fake_printer(master, script, stop.clone());
    let target = Target::Serial { path, baud: Some(115_200), flow: Flow::None, data_bits: 8, parity: 'n' };
    let profile = Profile::builtin("epson-tm-t20").expect("profile");
    let link = transport::open(&target, profile.baud, std::env::temp_dir(), profile.width_dots).expect("transport");
    let mut printer = Printer::new("test", profile, link);
    printer.query_timeout = Duration::from_millis(200);
    (printer, fake, stop, slave)
}

fn finish(fake: Fake, stop: Arc<Mutex<bool>>) -> Vec<u8> {
    *stop.lock().expect("lock") = true;
    let _ = fake.thread.join();
    let bytes = fake.received.lock().expect("lock").clone();
    bytes
}

#[test]
fn a_normal_job_is_printed_and_confirmed() {
    let (mut printer, fake, stop, _slave) = rig(Script::Normal);
    assert_eq!(printer.status().expect("status"), PrinterState::Ready);
    let started = Instant::now();
    let outcome = printer.print(&sample_ticket());
    assert_eq!(outcome, Outcome::Printed { warning: None });
    assert!(started.elapsed() < Duration::from_secs(3));
    let received = finish(fake, stop);
    let (job, _) = motcua::print::render::render(&sample_ticket(), &printer.profile);
    assert!(received.windows(job.len()).any(|w| w == job.as_slice()), "the whole job arrived, in order");
}

#[test]
fn paper_out_prints_nothing_and_says_so() {
    let (mut printer, fake, stop, _slave) = rig(Script::PaperOut);
    let outcome = printer.print(&sample_ticket());
    assert_eq!(outcome, Outcome::NotPrinted { printer: PrinterState::PaperOut, why: "paper out".into() });
    let received = finish(fake, stop);
    assert!(!received.windows(2).any(|w| w == [0x1B, b'@']), "no job bytes were sent");
}

#[test]
fn a_cover_opened_mid_job_is_reported() {
    let (mut printer, fake, stop, _slave) = rig(Script::CoverOpensMidJob);
    let outcome = printer.print(&sample_ticket());
    finish(fake, stop);
    match outcome {
        Outcome::NotPrinted { printer, why } => {
            assert_eq!(printer, PrinterState::CoverOpen);
            assert!(why.starts_with("cover open during printing"), "{why}");
        }
        other => panic!("expected not printed, got {other:?}"),
    }
}

#[test]
fn silence_is_no_answer_within_the_timeout() {
    let (mut printer, fake, stop, _slave) = rig(Script::Silent);
    let started = Instant::now();
    let outcome = printer.print(&sample_ticket());
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    finish(fake, stop);
    let why = "no answer (disconnected or switched off)".to_string();
    assert_eq!(outcome, Outcome::NotPrinted { printer: PrinterState::NoAnswer, why });
}

#[test]
fn garbage_is_a_garbled_answer() {
    let (mut printer, fake, stop, _slave) = rig(Script::Garbage);
    let state = printer.status().expect("status");
    assert!(matches!(state, PrinterState::Garbled(_)), "{state:?}");
    let outcome = printer.print(&sample_ticket());
    finish(fake, stop);
    match outcome {
        Outcome::NotPrinted { printer, why } => {
            assert!(matches!(printer, PrinterState::Garbled(_)), "{printer:?}");
            assert!(why.starts_with("garbled answer"), "{why}");
        }
        other => panic!("expected not printed, got {other:?}"),
    }
}

#[test]
fn a_port_that_vanishes_mid_job_fails_clearly_and_recovers_when_back() {
    // The device path is a link, as udev gives a USB-serial adapter a stable name: re-plugging the adapter
    // is the link pointing at a new device.
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("ttyUSB-printer");
    let (master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    std::os::unix::fs::symlink(slave.name().expect("path"), &link).expect("link");
    let (mut printer, fake, stop, slave) =
        rig_at(link.to_string_lossy().into_owned(), master, slave, Script::VanishAfter(100));
    let started = Instant::now();
    let outcome = printer.print(&sample_ticket());
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    finish(fake, stop);
    drop(slave);
    // The job went into the link before the plug was pulled: whether paper came out is unknown, and the
    // outcome says so with the link's error.
    match outcome {
        Outcome::SentUnconfirmed { why } => assert!(why.starts_with("serial "), "{why}"),
        other => panic!("a vanished port cannot have confirmed: {other:?}"),
    }
    // The next job fails at once with a clear message instead of hanging.
    let started = Instant::now();
    let again = printer.print(&sample_ticket());
    assert!(started.elapsed() < Duration::from_secs(1));
    match again {
        Outcome::NotPrinted { printer, why } => {
            assert_eq!(printer, PrinterState::NoAnswer, "a link that does not open");
            assert!(why.contains("cannot reach the printer"), "{why}");
        }
        other => panic!("{other:?}"),
    }

    // Plugged back in: the next ticket prints, with no restart.
    let (master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    std::fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(slave.name().expect("path"), &link).expect("relink");
    let stop = Arc::new(Mutex::new(false));
    let fake = fake_printer(master, Script::Normal, stop.clone());
    assert_eq!(printer.print(&sample_ticket()), Outcome::Printed { warning: None });
    finish(fake, stop);
    drop(slave);
}
