//! The hub under a hostile laptop, measured against the real `motcua serve` (release) on loopback, each
//! figure beside the idle one from the same run: resident memory after a PIN flood and after a replay
//! flood; issuing latency with 300 idle connections, 40 replaying clients and a read flood attached; the
//! time from `motcua device revoke` (another process) to the hub's 401; and the logins an attacker with
//! any number of addresses gets at the allowed rate. Run with `cargo bench --bench hostile`; prints a
//! Markdown report.

mod common;

use motcua::app::queue::Issuer;
use motcua::domain::backoff::Backoff;
use motcua::hub::client::RemoteHub;
use motcua::hub::guard::LoginGuard;
use motcua::print::Outcome;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const COUNTERS: u32 = 30;
/// The counter that keeps the line moving while issuing is timed.
const CALLER: u32 = 29;
/// Numbers waiting while issuing is timed: a busy hall's line.
const LINE: usize = 200;

fn motcua(data: &Path, config: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_motcua"));
    c.arg("--data-dir").arg(data).arg("--config").arg(config).env("MOTCUA_LOG", "error");
    c
}

fn run(data: &Path, config: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = motcua(data, config).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

struct Served {
    child: Child,
    addr: SocketAddr,
    url: String,
    kiosk: String,
    data: PathBuf,
    config: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let mut text = String::from("[hub]\ntrusted_proxies = [\"127.0.0.1\"]\nmax_connections_per_client = 400\n\n");
    text.push_str(
        "[[services]]\ncode = \"HT\"\nprefix = \"A\"\nname_vi = \"Hộ tịch\"\nname_en = \"HT\"\nlast = 9999\n\
         width = 6\nhours = [\"00:00-24:00\"]\nsaturday_hours = [\"00:00-24:00\"]\nsunday_hours = [\"00:00-24:00\"]\n\n",
    );
    for n in 1..=COUNTERS {
        text.push_str(&format!("[[counters]]\nnumber = {n}\nname = \"Quầy {n}\"\nservices = [\"HT\"]\n\n"));
    }
    let config = dir.path().join("motcua.toml");
    std::fs::write(&config, text).unwrap();
    for n in 1..=COUNTERS {
        run(&data, &config, &["counter", "set-pin", &n.to_string()], &format!("{}\n", 100_000 + n));
    }
    let kiosk = run(&data, &config, &["device", "add", "kiosk-1", "--role", "kiosk"], "");
    // The hub on the first core, as on its own small machine; the attacking "laptop" (load threads) is
    // pinned to the other core, so the figures are the hub's and not the load generator's.
    let mut serve = Command::new("taskset");
    serve.args(["-c", "0", env!("CARGO_BIN_EXE_motcua")]);
    serve.arg("--data-dir").arg(&data).arg("--config").arg(&config).env("MOTCUA_LOG", "error");
    let mut child = serve.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    Served { child, addr, url, kiosk, data, config, _dir: dir }
}

/// Pins the calling thread to one core.
fn pin(core: usize) {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; the call only reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(core, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn status_of(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> u16 {
    r.map(|r| r.status().as_u16()).unwrap_or(0)
}

fn login(s: &Served, counter: u32, pin: &str, from: &str) -> u16 {
    status_of(
        agent()
            .post(&format!("{}/api/v1/counter/login", s.url))
            .header("X-Forwarded-For", from)
            .send_json(json!({ "counter": counter, "pin": pin })),
    )
}

/// Takes a number as a kiosk on another machine does, through the kiosk's own client (which keeps its
/// connection open); returns how long the reservation and its outcome took.
fn take(kiosk: &RemoteHub) -> Duration {
    let started = Instant::now();
    let reserved = kiosk.reserve("HT", None, None).expect("a ticket");
    kiosk.report(reserved.ticket.id, &Outcome::Printed { warning: None }).expect("its outcome");
    started.elapsed()
}

fn percentiles(mut d: Vec<Duration>) -> (f64, f64, f64) {
    d.sort();
    let at = |p: f64| d[((d.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.99), at(1.0))
}

/// `n` numbers taken, each timed; after each, a counter calls the next number (not timed), so the line
/// stays as long as it was, as in a hall where counters keep up.
fn issuing(s: &Served, n: usize) -> (f64, f64, f64) {
    let kiosk = RemoteHub::new(&s.url, &s.kiosk);
    let a = agent();
    let session = counter_session(&a, s, CALLER);
    let times = (0..n)
        .map(|_| {
            let took = take(&kiosk);
            let _ = a
                .post(&format!("{}/api/v1/counter/next", s.url))
                .header("Authorization", &format!("Bearer {session}"))
                .send_json(json!({}))
                .map(|mut r| r.body_mut().read_to_string());
            took
        })
        .collect();
    percentiles(times)
}

/// The `i`th of ten machines in a group of the LAN (a loopback address of its own).
fn machine(group: u32, i: u32) -> String {
    format!("127.0.{group}.{}", 1 + i % 10)
}

fn counter_session(a: &ureq::Agent, s: &Served, counter: u32) -> String {
    let v: Value = a
        .post(&format!("{}/api/v1/counter/login", s.url))
        .send_json(json!({ "counter": counter, "pin": format!("{}", 100_000 + counter), "bearer": true }))
        .unwrap()
        .into_body()
        .read_json()
        .unwrap();
    v["session"].as_str().unwrap_or("").to_string()
}

/// An event stream asked for from `after` by a machine of the LAN, never read.
fn unread_stream(addr: SocketAddr, token: &str, after: i64, from: &str) -> Option<TcpStream> {
    let mut s = connect_from(from, addr)?;
    write!(s, "GET /api/v1/events?after={after} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n").ok()?;
    Some(s)
}

fn connect_from(from: &str, to: SocketAddr) -> Option<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).ok()?;
    let local: SocketAddr = format!("{from}:0").parse().ok()?;
    socket.bind(&local.into()).ok()?;
    socket.connect(&to.into()).ok()?;
    Some(socket.into())
}

fn last_event_id(s: &Served) -> i64 {
    let v: Value = agent().get(&format!("{}/healthz", s.url)).call().unwrap().into_body().read_json().unwrap();
    v["last_event_id"].as_i64().unwrap()
}

/// Which loads to attach.
#[derive(Clone, Copy)]
struct Parts {
    idle: bool,
    replay: bool,
    reads: bool,
}

/// Issuing latency with the given loads attached, printed as a table row beside the idle p99.
fn attached(s: &Served, pid: u32, events: i64, rounds: usize, idle_p99: f64, parts: Parts) {
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let replays = Arc::new(AtomicU64::new(0));
    let mut load = Vec::new();
    // 300 idle connections from ten machines, opened again as the hub closes them.
    for i in 0..if parts.idle { 300u32 } else { 0 } {
        let (stop, addr) = (stop.clone(), s.addr);
        load.push(std::thread::spawn(move || {
            pin(1);
            let mut buf = [0u8; 64];
            while !stop.load(Ordering::Relaxed) {
                let Some(mut c) = connect_from(&format!("127.0.1.{}", 1 + i % 10), addr) else {
                    std::thread::sleep(Duration::from_millis(200));
                    continue;
                };
                let _ = c.set_read_timeout(Some(Duration::from_millis(500)));
                while !stop.load(Ordering::Relaxed) {
                    match c.read(&mut buf) {
                        Ok(0) => break,
                        Err(e)
                            if e.kind() == std::io::ErrorKind::WouldBlock
                                || e.kind() == std::io::ErrorKind::TimedOut => {}
                        _ => break,
                    }
                }
            }
        }));
    }
    // 40 clients on ten machines replaying 1,500 events again and again.
    for i in 0..if parts.replay { 40u32 } else { 0 } {
        let (stop, addr, token, replays) = (stop.clone(), s.addr, s.kiosk.clone(), replays.clone());
        load.push(std::thread::spawn(move || {
            pin(1);
            let mut buf = vec![0u8; 64 * 1024];
            while !stop.load(Ordering::Relaxed) {
                if let Some(mut c) = unread_stream(addr, &token, events - 1500, &machine(4, i)) {
                    let _ = c.set_read_timeout(Some(Duration::from_millis(300)));
                    let _ = c.read(&mut buf);
                    replays.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(300));
                }
            }
        }));
    }
    // A read flood: snapshots and service lists as fast as ten machines can ask (each one is held to its
    // request rate; what it asks beyond is answered 429 at once).
    let session = counter_session(&agent(), s, COUNTERS);
    let answered = Arc::new(AtomicU64::new(0));
    for i in 0..if parts.reads { 10u32 } else { 0 } {
        let (stop, addr, session, reads, answered) =
            (stop.clone(), s.addr, session.clone(), reads.clone(), answered.clone());
        load.push(std::thread::spawn(move || {
            pin(1);
            let mut got = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let path = if i % 2 == 0 { "/api/v1/snapshot" } else { "/api/v1/services" };
                let Some(mut c) = connect_from(&machine(5, i), addr) else { continue };
                let _ = write!(
                    c,
                    "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {session}\r\nConnection: close\r\n\r\n"
                );
                got.clear();
                let _ = c.read_to_end(&mut got);
                reads.fetch_add(1, Ordering::Relaxed);
                if got.starts_with(b"HTTP/1.1 200") {
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_secs(2));
    let (reads0, replays0, answered0, t0) = (
        reads.load(Ordering::Relaxed),
        replays.load(Ordering::Relaxed),
        answered.load(Ordering::Relaxed),
        Instant::now(),
    );
    let (q50, q99, qmax) = issuing(s, rounds);
    let secs = t0.elapsed().as_secs_f64();
    let read_rate = (reads.load(Ordering::Relaxed) - reads0) as f64 / secs;
    let answered_rate = (answered.load(Ordering::Relaxed) - answered0) as f64 / secs;
    let replay_rate = (replays.load(Ordering::Relaxed) - replays0) as f64 / secs;
    let under = rss_mb(pid);
    stop.store(true, Ordering::Relaxed);
    for t in load {
        let _ = t.join();
    }
    let mut what = Vec::new();
    if parts.idle {
        what.push("300 idle connections".to_string());
    }
    if parts.replay {
        what.push(format!("40 replaying clients ({replay_rate:.0} replays/s of 1,500 events asked)"));
    }
    if parts.reads {
        what.push(format!("read flood from 10 machines ({read_rate:.0}/s asked, {answered_rate:.0}/s answered)"));
    }
    println!(
        "| {} | {q50:.2} ms | {q99:.2} ms | {qmax:.2} ms | {:.1}× | {under:.1} MB |",
        what.join(" + "),
        q99 / idle_p99
    );
}

fn main() {
    println!("# Hostile-LAN figures ({})\n", common::machine());
    let s = serve();
    let pid = s.child.id();
    std::thread::sleep(Duration::from_millis(500));
    let idle = rss_mb(pid);
    println!("## Memory (RSS of `motcua serve`)\n\n| moment | RSS |\n|---|---|\n| idle, after start | {idle:.1} MB |");

    // 1. The issue's reproduction: 32 wrong PINs for counter 1 at once; then 320 more across every counter
    //    from 320 addresses (through the trusted proxy), 32 at a time.
    let flood = |counter: Box<dyn Fn(u32) -> u32 + Sync>, rounds: u32| -> (usize, usize) {
        let mut checked = 0;
        let mut waited = 0;
        for round in 0..rounds {
            let statuses: Vec<u16> = std::thread::scope(|sc| {
                let all: Vec<_> = (0..32u32)
                    .map(|i| {
                        let (s, counter) = (&s, &counter);
                        sc.spawn(move || login(s, counter(round * 32 + i), "000000", &format!("10.{round}.{i}.7")))
                    })
                    .collect();
                all.into_iter().map(|t| t.join().unwrap()).collect()
            });
            checked += statuses.iter().filter(|s| **s == 401).count();
            waited += statuses.iter().filter(|s| **s == 429).count();
        }
        (checked, waited)
    };
    let (c1, w1) = flood(Box::new(|_| 1), 1);
    std::thread::sleep(Duration::from_millis(300));
    let after_one = rss_mb(pid);
    let (c2, w2) = flood(Box::new(|i| 1 + i % 25), 10);
    std::thread::sleep(Duration::from_millis(300));
    let after_pins = rss_mb(pid);
    println!("| after 32 wrong PINs at once for one counter ({c1} checked, {w1} told to wait) | {after_one:.1} MB |");
    println!("| after 320 more across 25 counters from 320 addresses ({c2} checked, {w2} told to wait) | {after_pins:.1} MB |");

    // 2. 12,000 events (numbers taken and called, as in a busy hall), then 40 streams from id 0 that never
    //    read, and 40 more within the replay cap, from ten machines.
    let made = Instant::now();
    std::thread::scope(|sc| {
        for counter in [26u32, 27, 29, 30] {
            let s = &s;
            sc.spawn(move || {
                let a = agent();
                let kiosk = RemoteHub::new(&s.url, &s.kiosk);
                let session = counter_session(&a, s, counter);
                for _ in 0..1500 {
                    take(&kiosk);
                    let _ = a
                        .post(&format!("{}/api/v1/counter/next", s.url))
                        .header("Authorization", &format!("Bearer {session}"))
                        .send_json(json!({}));
                }
            });
        }
    });
    let events = last_event_id(&s);
    let before_replay = rss_mb(pid);
    println!("| {events} events written ({:.1} s) | {before_replay:.1} MB |", made.elapsed().as_secs_f64());
    let far: Vec<_> = (0..40).filter_map(|i| unread_stream(s.addr, &s.kiosk, 0, &machine(2, i))).collect();
    std::thread::sleep(Duration::from_secs(2));
    let after_far = rss_mb(pid);
    println!("| 40 streams from id 0 that never read (told to resync) | {after_far:.1} MB |");
    let near: Vec<_> = (0..40).filter_map(|i| unread_stream(s.addr, &s.kiosk, events - 1999, &machine(3, i))).collect();
    std::thread::sleep(Duration::from_secs(2));
    let after_near = rss_mb(pid);
    println!("| 40 more replaying 1,999 events each, never read | {after_near:.1} MB |");
    drop((far, near));
    std::thread::sleep(Duration::from_secs(1));
    println!("| those 80 closed | {:.1} MB |\n", rss_mb(pid));

    // 3. Issuing latency, idle and with everything attached; the kiosk asking is on the hub's core.
    pin(0);
    let kiosk = RemoteHub::new(&s.url, &s.kiosk);
    for _ in 0..LINE {
        take(&kiosk);
    }
    let rounds = 2000;
    let (p50, p99, max) = issuing(&s, rounds);
    println!(
        "## Issuing (reserve + outcome over HTTP, {rounds} in a row, {LINE} numbers waiting, one called after each)\n"
    );
    println!("| load | p50 | p99 | max | p99 / idle | RSS |\n|---|---|---|---|---|---|");
    println!("| idle | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | 1.0× | {:.1} MB |", rss_mb(pid));
    for parts in [
        Parts { idle: true, replay: false, reads: false },
        Parts { idle: false, replay: true, reads: false },
        Parts { idle: false, replay: false, reads: true },
        Parts { idle: true, replay: true, reads: true },
    ] {
        attached(&s, pid, events, rounds, p99, parts);
    }
    println!();

    // 4. Revocation from another process.
    println!("## `motcua device revoke` → 401\n\n| round | revoke command ran | until the hub's 401 |\n|---|---|---|");
    for round in 1..=5 {
        let name = format!("kiosk-r{round}");
        let token = run(&s.data, &s.config, &["device", "add", &name, "--role", "kiosk"], "");
        let a = agent();
        let issue = || {
            status_of(
                a.post(&format!("{}/api/v1/tickets", s.url))
                    .header("Authorization", &format!("Bearer {token}"))
                    .send_json(json!({ "service": "HT" })),
            )
        };
        assert_eq!(issue(), 201);
        let started = Instant::now();
        run(&s.data, &s.config, &["device", "revoke", &name], "");
        let ran = started.elapsed();
        while issue() != 401 {
            std::thread::sleep(Duration::from_millis(5));
        }
        println!(
            "| {round} | {:.0} ms | {:.0} ms |",
            ran.as_secs_f64() * 1000.0,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }

    // 5. Logins at the allowed rate: the real hub for 20 s from a new address every attempt, and the same
    //    guard over a simulated day.
    println!("\n## Logins an attacker gets\n");
    let until = Instant::now() + Duration::from_secs(20);
    let (mut checked, mut asked) = (0u32, 0u32);
    while Instant::now() < until {
        asked += 1;
        if login(&s, 28, "999999", &format!("10.200.{}.{}", asked / 250, asked % 250)) == 401 {
            checked += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "- real hub, 20 s, {asked} attempts at counter 28 from {asked} addresses: {checked} checked ({:.2}/s)",
        f64::from(checked) / 20.0
    );
    let backoff = Backoff { free: 5, first_ms: 1000, max_ms: 600_000 };
    let guard = LoginGuard::new(backoff, 2, Vec::new());
    let mut day = 0;
    for second in 0..86_400i64 {
        if guard
            .begin("counter:1", None, &format!("ip:10.0.{}.{}", second / 250 % 250, second % 250), second * 1000)
            .is_ok()
        {
            day += 1;
        }
    }
    let per_second = f64::from(day) / 86_400.0;
    println!("- the same rules over a simulated day, one attempt a second from a new address each time: {day} checked ({per_second:.4}/s)");
    println!(
        "- a 6-digit PIN (1,000,000) at that rate: {:.1} years to try all, {:.1} expected; 4 digits: {:.0} days, {:.0} expected",
        1e6 / f64::from(day) / 365.0,
        0.5e6 / f64::from(day) / 365.0,
        1e4 / f64::from(day),
        0.5e4 / f64::from(day)
    );
}
