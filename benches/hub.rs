//! Hub figures over real HTTP on loopback: acknowledged issuances per second from 8 clients, call-next
//! latency with 50 counters calling back to back while tickets keep arriving, and delivery time from a
//! call to an SSE client; each with the database on disk (WAL, synchronous=FULL) and in memory, beside the
//! disk's raw fsync latency, and on disk without the outbox's triggers (what the province's rows cost). Run
//! with `cargo bench --bench hub`; prints a Markdown report.

mod common;

use motcua::app::counter;
use motcua::app::queue;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::hub::Hub;
use motcua::print::Outcome;
use motcua::store::Store;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;
const COUNTERS: u32 = 50;
const RUN: Duration = Duration::from_secs(4);

fn config() -> Config {
    common::hall(COUNTERS, 999_999, 6)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into()
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: Value) -> Value {
    agent
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .expect("hub answers")
        .into_body()
        .read_json()
        .expect("JSON")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Rig {
    hub: Arc<Hub>,
    base: String,
    addr: SocketAddr,
    kiosk: String,
    sessions: Vec<String>,
}

fn rig(store: Store) -> Rig {
    let config = config();
    for n in 1..=COUNTERS {
        counter::set_pin(&store, &config, n, "246813", &SystemClock).unwrap();
    }
    let kiosk = counter::add_device(&store, "bench", "kiosk", &SystemClock).unwrap();
    let hub = Hub::new(store, config, Arc::new(SystemClock), std::env::temp_dir()).unwrap();
    let addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    let base = format!("http://{addr}");
    let a = agent();
    let sessions = (1..=COUNTERS)
        .map(|n| {
            let r = post(
                &a,
                &format!("{base}/api/v1/counter/login"),
                "",
                json!({"counter": n, "pin": "246813", "bearer": true}),
            );
            r["session"].as_str().unwrap().to_string()
        })
        .collect();
    Rig { hub, base, addr, kiosk, sessions }
}

/// Reserve + report "printed" over HTTP: one acknowledged issuance.
fn issue(a: &ureq::Agent, rig_base: &str, kiosk: &str, service: &str) {
    let r = post(a, &format!("{rig_base}/api/v1/tickets"), kiosk, json!({"service": service}));
    let id = r["ticket"]["id"].as_i64().unwrap();
    post(a, &format!("{rig_base}/api/v1/tickets/{id}/outcome"), kiosk, json!({"outcome": "printed"}));
}

/// Waiting tickets for the counters to call, added in one transaction.
fn preload(rig: &Rig, n: usize) {
    rig.hub
        .change(move |store, config, clock| {
            for i in 0..n {
                let r = queue::reserve(store, config, ["HT", "CT", "DD", "XH"][i % 4], None, None, clock)?;
                queue::record_outcome(store, config, r.ticket.id, &Outcome::Printed { warning: None }, clock)?;
            }
            Ok(())
        })
        .unwrap();
}

/// Issuances per second from `CLIENTS` clients, and their latency.
fn issuing(rig: &Rig) -> (f64, Duration, Duration) {
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (base, kiosk, barrier) = (rig.base.clone(), rig.kiosk.clone(), barrier.clone());
            std::thread::spawn(move || {
                let a = agent();
                let service = ["HT", "CT", "DD", "XH"][i % 4];
                barrier.wait();
                let start = Instant::now();
                let mut lat = Vec::new();
                while start.elapsed() < RUN {
                    let t = Instant::now();
                    issue(&a, &base, &kiosk, service);
                    lat.push(t.elapsed());
                }
                (lat, start.elapsed())
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut elapsed = Duration::ZERO;
    for t in threads {
        let (lat, e) = t.join().unwrap();
        all.extend(lat);
        elapsed = elapsed.max(e);
    }
    all.sort();
    (all.len() as f64 / elapsed.as_secs_f64(), percentile(&all, 0.5), percentile(&all, 0.99))
}

/// Call-next latency with every counter calling back to back while two kiosks keep issuing a ticket every
/// 100 ms each (72,000 an hour, far above any hall).
fn calling(rig: &Rig) -> (usize, Duration, Duration, Duration) {
    preload(rig, 16_000);
    let stop = Arc::new(AtomicBool::new(false));
    let feeders: Vec<_> = (0..2)
        .map(|i| {
            let (base, kiosk, stop) = (rig.base.clone(), rig.kiosk.clone(), stop.clone());
            std::thread::spawn(move || {
                let a = agent();
                while !stop.load(Ordering::Relaxed) {
                    issue(&a, &base, &kiosk, ["HT", "DD"][i]);
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();
    let barrier = Arc::new(Barrier::new(COUNTERS as usize));
    let threads: Vec<_> = rig
        .sessions
        .iter()
        .map(|s| {
            let (base, s, barrier) = (rig.base.clone(), s.clone(), barrier.clone());
            std::thread::spawn(move || {
                let a = agent();
                barrier.wait();
                let start = Instant::now();
                let mut lat = Vec::new();
                while start.elapsed() < RUN {
                    let t = Instant::now();
                    post(&a, &format!("{base}/api/v1/counter/next"), &s, json!({}));
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    for f in feeders {
        f.join().unwrap();
    }
    all.sort();
    (all.len(), percentile(&all, 0.5), percentile(&all, 0.99), *all.last().unwrap())
}

/// The same calls without HTTP: 50 threads calling through the hub in this process, to separate the
/// database's share of the latency from the HTTP stack's and the clients'.
fn calling_in_process(rig: &Rig) -> (Duration, Duration) {
    preload(rig, 16_000);
    let barrier = Arc::new(Barrier::new(COUNTERS as usize));
    let threads: Vec<_> = (1..=COUNTERS)
        .map(|n| {
            let (hub, barrier) = (rig.hub.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let start = Instant::now();
                let mut lat = Vec::new();
                while start.elapsed() < RUN {
                    let t = Instant::now();
                    hub.change(move |store, config, clock| queue::call_next_at(store, config, n, clock)).unwrap();
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    all.sort();
    (percentile(&all, 0.5), percentile(&all, 0.99))
}

/// Time from sending a call to the `called` event reaching an SSE client.
fn delivery(rig: &Rig) -> (Duration, Duration) {
    preload(rig, 400);
    let mut stream = TcpStream::connect(rig.addr).unwrap();
    write!(
        stream,
        "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer {}\r\n\r\n",
        rig.kiosk
    )
    .unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream);
    // The hub answers once it follows the events: calls made before would be missed.
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
    }
    let a = agent();
    let mut lat = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        let called = post(&a, &format!("{}/api/v1/counter/next", rig.base), &rig.sessions[0], json!({}));
        loop {
            let mut line = String::new();
            if let Err(e) = reader.read_line(&mut line) {
                panic!("no called event within 10 s ({e}) after {called}");
            }
            if line.starts_with("event: called") {
                break;
            }
        }
        lat.push(t.elapsed());
    }
    lat.sort();
    (percentile(&lat, 0.5), percentile(&lat, 0.99))
}

fn fsync_latency(dir: &std::path::Path) -> (Duration, Duration) {
    let mut f = std::fs::File::create(dir.join("fsync.bin")).unwrap();
    let block = vec![7u8; 4096];
    let mut lat: Vec<Duration> = (0..500)
        .map(|_| {
            f.write_all(&block).unwrap();
            let t = Instant::now();
            f.sync_all().unwrap();
            t.elapsed()
        })
        .collect();
    lat.sort();
    (percentile(&lat, 0.5), percentile(&lat, 0.99))
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (f50, f99) = fsync_latency(dir.path());
    println!("## Hub over HTTP on loopback\n");
    println!(
        "Raw disk: write 4 KiB + fsync, p50 {} · p99 {} (500 samples, same folder as the database).\n",
        ms(f50),
        ms(f99)
    );
    println!("| database | issuances/s ({CLIENTS} clients) | issuance p50 / p99 | call-next p50 / p99 / max ({COUNTERS} counters, calls) | call → SSE p50 / p99 |");
    println!("|---|---|---|---|---|");
    let mut in_process = Vec::new();
    // The same file without the outbox's triggers: what writing the province's rows costs each change.
    let without_outbox = Store::open(&dir.path().join("no-outbox.db")).unwrap();
    without_outbox
        .conn()
        .execute_batch(
            "DROP TRIGGER outbox_queue_event; DROP TRIGGER outbox_dossier_status; DROP TRIGGER outbox_rating_insert;
             DROP TRIGGER outbox_rating_update; DROP TRIGGER outbox_catalog_version; DROP TRIGGER outbox_catalog_superseded;",
        )
        .unwrap();
    for (name, store) in [
        ("file, WAL, synchronous=FULL", Store::open(&dir.path().join("motcua.db")).unwrap()),
        ("file, without the outbox's triggers (baseline)", without_outbox),
        ("in memory (baseline)", Store::open_in_memory().unwrap()),
    ] {
        let rig = rig(store);
        eprintln!("{name}: issuing");
        let (rate, i50, i99) = issuing(&rig);
        eprintln!("{name}: calling");
        let (calls, c50, c99, cmax) = calling(&rig);
        eprintln!("{name}: delivery");
        let (d50, d99) = delivery(&rig);
        let (p50, p99) = calling_in_process(&rig);
        in_process.push(format!("{name}: p50 {} · p99 {}", ms(p50), ms(p99)));
        println!(
            "| {name} | {rate:.0} | {} / {} | {} / {} / {} ({calls}) | {} / {} |",
            ms(i50),
            ms(i99),
            ms(c50),
            ms(c99),
            ms(cmax),
            ms(d50),
            ms(d99)
        );
    }
    println!("\nCall-next through the hub without HTTP ({COUNTERS} threads back to back):\n");
    for line in in_process {
        println!("- {line}");
    }
}
