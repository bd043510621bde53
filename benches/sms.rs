//! Text messages through the hub's sender and a scripted fake GSM modem on a pseudo-terminal pair
//! (`tests/common/fake_modem.rs`), with a real SQLite file: the queue's throughput with the modem at a real
//! modem's pace (3 s a message), beside the same queue with a modem that answers at once (the hub's own
//! cost per message); and the backlog when 200 tickets opt in within an hour, at a steady pace and in one
//! burst, time-compressed 20× (the modem takes 150 ms, an hour passes in 3 minutes). Run with
//! `cargo bench --bench sms`; prints a Markdown report.

#[path = "../tests/common/fake_modem.rs"]
mod fake_modem;

use motcua::app::queue::Issuer;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::hub::Hub;
use motcua::print::Outcome;
use motcua::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A hub with the fake modem behind a symlink, every service open, consents of any number.
fn hall(dir: &std::path::Path, pace: Duration) -> (Arc<Hub>, fake_modem::FakeModem) {
    let link = dir.join("ttyGSM0");
    let modem = fake_modem::plug(&link, fake_modem::Script::Ok, pace);
    let mut config = Config::default();
    for s in &mut config.services {
        s.hours = vec!["00:00-24:00".into()];
        s.saturday_hours = s.hours.clone();
        s.sunday_hours = s.hours.clone();
        s.last = 9999;
    }
    config.queue.closing_time = "24:00".into();
    config.sms.modem = format!("serial:{}", link.display());
    config.sms.sender = "UBND xa Minh Hoa".into();
    // Every ticket is near at once, however long the line (the configuration caps this at 20 when read
    // from a file; here every consent must become a message).
    config.sms.near_places = 10_000;
    config.sms.per_day = 10_000;
    let store = Store::open(&dir.join("motcua.db")).unwrap();
    let hub = Hub::new(store, config, Arc::new(SystemClock), dir.to_path_buf()).unwrap();
    motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    (hub, modem)
}

/// Takes a printed number and gives a phone for it (every ticket is near).
fn opt_in(hub: &Hub, i: usize) -> Instant {
    let r = hub.reserve("HT", None, None).unwrap();
    hub.report(r.ticket.id, &Outcome::Printed { warning: None }).unwrap();
    let phone = format!("09{:08}", 10_000_000 + i);
    let given = Instant::now();
    hub.sms(&r.token, &phone).unwrap();
    given
}

/// Seconds from each consent to its message at the modem.
fn delays(given: &[Instant], modem: &fake_modem::FakeModem) -> Vec<f64> {
    let at = modem.at.lock().unwrap().clone();
    given.iter().zip(at).map(|(g, a)| a.duration_since(*g).as_secs_f64()).collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn wait_for(modem: &fake_modem::FakeModem, n: usize, within: Duration) {
    let deadline = Instant::now() + within;
    while modem.sent.lock().unwrap().len() < n {
        assert!(Instant::now() < deadline, "only {} of {n} sent", modem.sent.lock().unwrap().len());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `n` messages queued at once, through a modem taking `pace` each: messages a minute.
fn throughput(pace: Duration, n: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let (hub, modem) = hall(dir.path(), pace);
    let started = Instant::now();
    for i in 0..n {
        opt_in(&hub, i);
    }
    wait_for(&modem, n, pace * n as u32 * 3 + Duration::from_secs(30));
    let took = started.elapsed().as_secs_f64();
    (n as f64 / took * 60.0, took / n as f64)
}

/// 200 consents spread over `spread` (or all at once), through a 150 ms modem: the worst delay and the
/// most messages waiting, in real (uncompressed ×20) terms.
fn backlog(spread: Duration) -> (f64, f64, f64, usize) {
    const N: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let (hub, modem) = hall(dir.path(), Duration::from_millis(150));
    let mut given = Vec::with_capacity(N);
    let mut deepest = 0;
    let started = Instant::now();
    for i in 0..N {
        let due = started + spread.mul_f64(i as f64 / N as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        given.push(opt_in(&hub, i));
        deepest = deepest.max(given.len() - modem.sent.lock().unwrap().len());
    }
    wait_for(&modem, N, Duration::from_secs(120));
    let mut d = delays(&given, &modem);
    d.sort_by(f64::total_cmp);
    let scale = 20.0;
    (percentile(&d, 0.5) * scale, percentile(&d, 0.99) * scale, d[d.len() - 1] * scale, deepest)
}

fn main() {
    let machine = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name\t: ").map(str::to_string))
        .unwrap_or_default();
    println!("## Text messages (`cargo bench --bench sms`)\n");
    println!("Machine: {machine}, {} cores.\n", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let (real, per) = throughput(Duration::from_secs(3), 10);
    let (instant, per_instant) = throughput(Duration::ZERO, 200);
    println!("| queue throughput | messages a minute | seconds a message |");
    println!("|---|---|---|");
    println!("| modem at a real modem's pace (3 s a message), 10 messages | {real:.1} | {per:.2} |");
    println!("| baseline: a modem that answers at once, 200 messages | {instant:.0} | {per_instant:.3} |");
    println!();
    println!("Backlog of 200 tickets opting in within an hour (run 20× faster, figures scaled back):\n");
    println!("| arrivals | delay p50 (s) | delay p99 (s) | worst (s) | most waiting |");
    println!("|---|---|---|---|---|");
    let (p50, p99, worst, deepest) = backlog(Duration::from_secs(180));
    println!("| spread evenly over the hour (one every 18 s) | {p50:.1} | {p99:.1} | {worst:.1} | {deepest} |");
    let (p50, p99, worst, deepest) = backlog(Duration::ZERO);
    println!("| all 200 at once (worst case) | {p50:.0} | {p99:.0} | {worst:.0} | {deepest} |");
}
