//! From a counter's click to the hall's display board showing the call: 30 counters calling over HTTP on
//! loopback while 5 boards follow the hub. One board is the real Slint board (testing backend, software
//! renderer, 1920×1080): its time runs until the frame showing the call is drawn. The other four are the
//! boards' feeds alone (event stream + parsing + the board's state), the baseline in the same run. Run with
//! `cargo bench --bench board`; prints a Markdown report.

mod common;

use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use motcua::app::counter;
use motcua::app::queue::Issuer;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::hub::feed::{Feed, Update};
use motcua::hub::Hub;
use motcua::print::Outcome;
use motcua::store::Store;
use motcua::ui::display::{updates, DisplayBoard};
use motcua::voice::Speaker;
use serde_json::{json, Value};
use slint::ComponentHandle;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COUNTERS: u32 = 30;
const FEEDS: usize = 4;
const CALLS_EACH: usize = 15;

fn config() -> Config {
    common::hall(COUNTERS, 9_999, 4)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!(
        "| {what} | {} | {} | {} | {} | {} |",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().unwrap())
    );
}

/// A tiny random generator: counters pause 0.3-1.5 s between calls, out of step with each other.
fn pause(seed: &mut u64) -> Duration {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    Duration::from_millis(300 + *seed % 1200)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = config();
    let store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let clock = SystemClock;
    for n in 1..=COUNTERS {
        counter::set_pin(&store, &config, n, &format!("{}", 100_000 + n), &clock).unwrap();
    }
    let boards: Vec<String> =
        (0..=FEEDS).map(|i| counter::add_device(&store, &format!("board-{i}"), "display", &clock).unwrap()).collect();
    let hub = Hub::new(store, config.clone(), Arc::new(clock), dir.path().to_path_buf()).unwrap();
    let services: Vec<String> = config.services.iter().map(|s| s.code.clone()).collect();
    for i in 0..(COUNTERS as usize * CALLS_EACH + 50) {
        let r = hub.reserve(&services[i % services.len()], None, None).unwrap();
        hub.report(r.ticket.id, &Outcome::Printed { warning: None }).unwrap();
    }
    let addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    let base = format!("http://{addr}");

    // When each counter last clicked "Gọi số tiếp theo".
    let clicks: Arc<Mutex<HashMap<u32, Instant>>> = Arc::default();
    let since_click =
        |clicks: &Mutex<HashMap<u32, Instant>>, counter: u32| clicks.lock().unwrap().get(&counter).map(|t| t.elapsed());

    // The feed-only boards.
    let feed_samples: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    for token in &boards[1..] {
        let (feed, clicks, samples, stop) =
            (Feed::new(&base, token, 15), clicks.clone(), feed_samples.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut board = motcua::app::board::Board::default();
            feed.run(|update| {
                match update {
                    Update::Snapshot(s) => board.load(&s),
                    Update::Event(e) => {
                        if let Some(call) = board.apply(&e) {
                            if let Some(d) = since_click(&clicks, call.counter) {
                                samples.lock().unwrap().push(d);
                            }
                        }
                    }
                    _ => {}
                }
                !stop.load(Ordering::Relaxed)
            });
        });
    }

    // The Slint board, on this thread.
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: false,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .unwrap();
    let (sender, receiver) = updates();
    let speaker = Speaker::new(&config.voice);
    let board = DisplayBoard::new(&config, speaker, receiver, Arc::new(SystemClock)).unwrap();
    board.window.window().set_size(slint::PhysicalSize::new(1920, 1080));
    let shown: Rc<RefCell<Vec<u32>>> = Rc::default();
    let s = shown.clone();
    board.on_shown(move |call| s.borrow_mut().push(call.counter));
    let feed = Feed::new(&base, &boards[0], 15);
    std::thread::spawn(move || feed.run(|u| sender.send(u).is_ok()));
    while board.pump_wait(Duration::from_secs(5)) == 0 {}
    std::thread::sleep(Duration::from_millis(500));

    // The counters.
    let done = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for n in 1..=COUNTERS {
        let (base, clicks) = (base.clone(), clicks.clone());
        threads.push(std::thread::spawn(move || {
            let agent: ureq::Agent =
                ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
            let login: Value = agent
                .post(&format!("{base}/api/v1/counter/login"))
                .send_json(json!({ "counter": n, "pin": format!("{}", 100_000 + n), "bearer": true }))
                .unwrap()
                .into_body()
                .read_json()
                .unwrap();
            let session = login["session"].as_str().unwrap().to_string();
            let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (u64::from(n) * 7919);
            for _ in 0..CALLS_EACH {
                std::thread::sleep(pause(&mut seed));
                clicks.lock().unwrap().insert(n, Instant::now());
                let r = agent
                    .post(&format!("{base}/api/v1/counter/next"))
                    .header("Authorization", &format!("Bearer {session}"))
                    .send_json(json!({}));
                assert!(r.is_ok(), "counter {n}: {:?}", r.err());
            }
        }));
    }
    let waiter = {
        let done = done.clone();
        std::thread::spawn(move || {
            threads.into_iter().for_each(|t| t.join().unwrap());
            std::thread::sleep(Duration::from_millis(500));
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut board_samples = Vec::new();
    let mut frame_times = Vec::new();
    while !done.load(Ordering::SeqCst) {
        if board.pump_wait(Duration::from_millis(100)) == 0 {
            continue;
        }
        let counters: Vec<u32> = shown.borrow_mut().drain(..).collect();
        if counters.is_empty() {
            continue;
        }
        let t = Instant::now();
        let frame = board.window.window().take_snapshot().unwrap();
        assert_eq!(frame.width(), 1920);
        frame_times.push(t.elapsed());
        for c in counters {
            if let Some(d) = since_click(&clicks, c) {
                board_samples.push(d);
            }
        }
    }
    waiter.join().unwrap();
    stop.store(true, Ordering::SeqCst);

    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("## Click → display board ({COUNTERS} counters, {} boards, {} calls each)\n", FEEDS + 1, CALLS_EACH);
    println!("| what | calls | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---|---|---|---|---|");
    row("Slint board: click → frame drawn (1920×1080, software renderer)", board_samples);
    row(&format!("baseline: {FEEDS} feeds alone, click → event applied"), feed_samples.lock().unwrap().clone());
    row("drawing one full frame (part of the first row)", frame_times);
    println!("\n({cores} cores; the hub, the 5 boards and the 30 counters share them, as on a one-machine hall)");
}
