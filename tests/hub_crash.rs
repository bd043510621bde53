//! The hub killed with SIGKILL in the middle of a burst of issuing and calling from many clients, then
//! restarted on the same database: every acknowledged ticket is there, no number repeats, no ticket is
//! held by two counters, and a kiosk killed between reserving and reporting leaves no phantom.
//! `MOTCUA_CRASH_ROUNDS` sets the number of rounds (3 here; `benches/soak.sh` runs 50).

mod common;

use common::served::{config_file, prepare, serve};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COUNTERS: u32 = 6;
const KIOSKS: usize = 6;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(5))).build().into()
}

/// POST returning the JSON body, or None when the hub did not answer (it was killed).
fn post(url: &str, token: &str, body: Value) -> Option<Value> {
    let r = agent().post(url).header("Authorization", &format!("Bearer {token}")).send_json(body).ok()?;
    r.into_body().read_json().ok()
}

#[derive(Default)]
struct Acknowledged {
    reserved: Vec<(String, String)>,   // (token, number)
    confirmed: Vec<String>,            // token
    abandoned: Vec<String>,            // token reserved by a kiosk that "crashed" before reporting
    calls: Vec<(u32, String, String)>, // (counter, day, number)
}

fn round(data: &Path, config: &Path, kiosk: &str, seed: u64) {
    let (mut hub, url) = serve(data, config, "127.0.0.1:0");
    let sessions: Vec<(u32, String)> = (1..=COUNTERS)
        .map(|n| {
            let login = post(
                &format!("{url}/api/v1/counter/login"),
                "",
                json!({ "counter": n, "pin": format!("{}", 100_000 + n), "bearer": true }),
            )
            .unwrap();
            (n, login["session"].as_str().unwrap().to_string())
        })
        .collect();
    let acks = Arc::new(Mutex::new(Acknowledged::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for k in 0..=KIOSKS {
        let (url, kiosk, acks, stop) = (url.clone(), kiosk.to_string(), acks.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            let service = if k % 2 == 0 { "HT" } else { "CT" };
            while !stop.load(Ordering::Relaxed) {
                let Some(r) = post(&format!("{url}/api/v1/tickets"), &kiosk, json!({ "service": service })) else {
                    return;
                };
                let token = r["token"].as_str().unwrap().to_string();
                let number = r["ticket"]["number"].as_str().unwrap().to_string();
                let id = r["ticket"]["id"].as_i64().unwrap();
                acks.lock().unwrap().reserved.push((token.clone(), number));
                if k == KIOSKS {
                    // This kiosk dies after reserving: it never reports.
                    acks.lock().unwrap().abandoned.push(token);
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                let outcome = json!({ "outcome": "printed" });
                if post(&format!("{url}/api/v1/tickets/{id}/outcome"), &kiosk, outcome).is_none() {
                    return;
                }
                acks.lock().unwrap().confirmed.push(token);
            }
        }));
    }
    for (counter, session) in sessions {
        let (url, acks, stop) = (url.clone(), acks.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let Some(r) = post(&format!("{url}/api/v1/counter/next"), &session, json!({})) else { return };
                if let Some(number) = r["ticket"]["number"].as_str() {
                    let day = r["ticket"]["arrived"].as_str().unwrap_or("")[..10].to_string();
                    acks.lock().unwrap().calls.push((counter, day, number.to_string()));
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(700 + seed % 700));
    hub.kill().unwrap(); // SIGKILL
    hub.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    // Past the reservation timeout, the restarted hub voids what was never reported as it starts.
    std::thread::sleep(Duration::from_millis(2100));
    let (mut hub, url) = serve(data, config, "127.0.0.1:0");
    let acks = acks.lock().unwrap();
    assert!(
        acks.confirmed.len() > 20 && !acks.calls.is_empty(),
        "the burst did work: {} confirmed",
        acks.confirmed.len()
    );
    let status = |token: &str| -> Value {
        agent().get(&format!("{url}/api/v1/t/{token}")).call().unwrap().into_body().read_json().unwrap()
    };
    for (token, number) in &acks.reserved {
        assert_eq!(status(token)["number"], number.as_str(), "acknowledged reservation {number} survived");
    }
    for token in &acks.confirmed {
        let state = status(token)["state"].as_str().unwrap().to_string();
        assert!(matches!(state.as_str(), "waiting" | "called" | "done"), "confirmed ticket is {state}");
    }
    for token in &acks.abandoned {
        assert_eq!(status(token)["state"], "voided", "no phantom from the kiosk that never reported");
    }
    let db = rusqlite::Connection::open_with_flags(data.join("motcua.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let repeats: i64 = db
        .query_row("SELECT count(*) FROM (SELECT 1 FROM ticket GROUP BY day, number HAVING count(*) > 1)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(repeats, 0, "no number repeats within a day");
    let mut seen = std::collections::HashSet::new();
    for (counter, day, number) in &acks.calls {
        assert!(seen.insert((day, number)), "{number} was handed to two counters");
        let (state, held_by): (String, Option<u32>) = db
            .query_row("SELECT state, counter FROM ticket WHERE day = ?1 AND number = ?2", [day, number], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(held_by, Some(*counter), "{number} belongs to the counter that called it");
        assert!(matches!(state.as_str(), "called" | "done"), "{number} called then {state}");
    }
    let phantoms: i64 = db
        .query_row(
            "SELECT count(*) FROM queue_event e JOIN ticket t ON t.id = e.ticket_id \
             WHERE e.kind = 'called' AND t.print_outcome IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(phantoms, 0, "no ticket without a print outcome was ever called");
    hub.kill().unwrap();
    hub.wait().unwrap();
}

#[test]
fn sigkill_mid_burst_loses_no_acknowledged_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let config = config_file(dir.path(), COUNTERS, 4, "[queue]\nreservation_timeout_s = 2\n");
    let kiosk = prepare(&data, &config, COUNTERS);
    let rounds: u64 = std::env::var("MOTCUA_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let started = Instant::now();
    for r in 0..rounds {
        round(&data, &config, &kiosk, r * 7919);
        eprintln!("crash round {} of {rounds} passed ({:.1} s so far)", r + 1, started.elapsed().as_secs_f64());
    }
}
