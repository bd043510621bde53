//! The hub against a hostile laptop on the hall's LAN: every bound under parallel load, each with a clear
//! answer and nothing lost. Logins counted before the PIN is checked, slow and idle connections closed and
//! capped, replays bounded with an explicit resync, revocations heard by a running hub, a failed batch
//! failing as one with retries that never give a second number, reads that never hold the writer, and a
//! clock that once ran ahead; the leader's login and the tablet pairing guarded like the counter's; floods of
//! ratings, year reports, /metrics and the leader's report page held to their bounds.

mod common;

use common::hub::*;
use motcua::config::Config;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;
use time::macros::datetime;

fn config() -> Config {
    open_all_day(Config::default())
}

/// A login as a browser sends it, from `from` (a trusted proxy forwards the address): status and the
/// known-browser cookie it set, if any.
fn browser_login(h: &TestHub, counter: u32, pin: &str, from: &str, known: Option<&str>) -> (u16, Option<String>) {
    let mut req = agent().post(&h.url("/api/v1/counter/login")).header("X-Forwarded-For", from);
    if let Some(k) = known {
        req = req.header("Cookie", &format!("motcua_known={k}"));
    }
    let r = req.send_json(json!({ "counter": counter, "pin": pin })).unwrap();
    let known = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("motcua_known=").map(|v| v.split(';').next().unwrap_or("").to_string()));
    (r.status().as_u16(), known)
}

#[test]
fn parallel_wrong_pins_are_counted_before_checking_and_the_owner_still_gets_in() {
    let mut c = config();
    c.hub.trusted_proxies = vec!["127.0.0.1".into()];
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    // The counter's own browser logged in once this morning: it carries the known-browser cookie.
    let (status, known) = browser_login(&h, 1, "100001", "10.0.0.21", None);
    assert_eq!(status, 200);
    let known = known.expect("a good login marks the browser");

    // 32 wrong PINs at once from a stranger: 5 are checked, the rest wait without costing a hash.
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let h = &h;
        let all: Vec<_> =
            (0..32).map(|i| s.spawn(move || browser_login(h, 1, &format!("{:06}", i), "10.6.6.6", None).0)).collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let waited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, waited), (5, 27), "{statuses:?}");
    let now_ms = datetime!(2026-11-30 08:00 +7).unix_timestamp() * 1000;
    assert_eq!(h.hub.guard().failures("counter:1", now_ms), 5, "only the checked attempts were counted");

    // Even the right PIN from an unknown browser waits now; the owner's browser gets in at once.
    assert_eq!(browser_login(&h, 1, "100001", "10.0.0.99", None).0, 429);
    assert_eq!(browser_login(&h, 1, "100001", "10.0.0.21", Some(&known)).0, 200, "the owner is never locked out");
    // A stolen or made-up cookie is just a stranger.
    assert_eq!(browser_login(&h, 1, "100001", "10.0.0.21", Some("0123456789abcdef0123456789abcdef")).0, 429);
    // The delays grow: after the wait, one more wrong PIN doubles it.
    h.clock.advance(time::Duration::seconds(2));
    assert_eq!(browser_login(&h, 1, "999999", "10.6.6.7", None).0, 401);
    assert_eq!(browser_login(&h, 1, "100001", "10.0.0.99", None).0, 429);

    // The counts are stored: a hub started on this database after a power cut still makes strangers wait.
    let stored = || {
        h.hub
            .read(|store, _, _| Ok(motcua::store::access::recent_failures(store.conn(), 0)?))
            .unwrap()
            .into_iter()
            .find(|(k, _)| k == "counter:1")
            .map(|(_, f)| f.failures)
    };
    for _ in 0..100 {
        if stored() == Some(6) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(stored(), Some(6));
}

#[test]
fn a_flood_of_logins_waits_for_a_few_hash_slots_instead_of_taking_memory() {
    // Different counters and addresses, so no count stops them: only the hash slots bound the work.
    let mut c = config();
    c.hub.trusted_proxies = vec!["127.0.0.1".into()];
    c.hub.max_hash_checks = 1;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let h = &h;
        let all: Vec<_> = (0..40)
            .map(|i| s.spawn(move || browser_login(h, 1 + i % 3, "000000", &format!("10.1.{i}.1"), None).0))
            .collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    // Every answer is a clear refusal: wrong PIN, or wait (the count per counter, or no hash slot free).
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 401).count() <= 15, "at most 5 per counter: {statuses:?}");
}

#[test]
fn idle_slow_and_surplus_connections_are_closed_while_issuing_goes_on() {
    let mut c = config();
    c.hub.header_timeout_s = 2;
    c.hub.max_connections_per_client = 40;
    c.hub.max_connections = 500;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    // 300 idle connections from ten machines.
    let mut idle: Vec<TcpStream> = (0..300).map(|i| connect_from(&format!("127.0.1.{}", 1 + i % 10), h.addr)).collect();
    // 20 that send a header byte every 300 ms, never finishing.
    let slow: Vec<_> = (0..20)
        .map(|_| {
            let addr = h.addr;
            std::thread::spawn(move || {
                let mut s = connect_from("127.0.2.1", addr);
                for b in b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
                    if s.write_all(&[*b]).is_err() {
                        return true;
                    }
                    std::thread::sleep(Duration::from_millis(300));
                }
                false
            })
        })
        .collect();
    // Meanwhile the kiosk issues as usual.
    for _ in 0..10 {
        h.take("HT", None);
    }
    // One machine opening more than its share: the surplus hears a clear 503 and is closed.
    let mut crowd: Vec<TcpStream> = (0..45).map(|_| connect_from("127.0.3.1", h.addr)).collect();
    let surplus = crowd.split_off(40);
    for mut s in surplus {
        let said = closed(&mut s).expect("closed at once");
        assert!(said.starts_with("HTTP/1.1 503") && said.contains("quá tải"), "{said}");
    }
    // Past the header timeout every idle and slow connection is gone; the hub still answers.
    assert!(slow.into_iter().all(|t| t.join().unwrap()), "a slow sender was cut off before it finished");
    for s in idle.iter_mut().chain(crowd.iter_mut()) {
        assert!(closed(s).is_some(), "an idle connection was left open");
    }
    assert_eq!(h.get("/healthz", None).status, 200);
    h.take("HT", None);
}

#[test]
fn a_client_far_behind_is_told_to_resync_and_bad_ids_are_refused() {
    let mut c = config();
    c.hub.replay_max = 50;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    for _ in 0..40 {
        h.take("HT", None); // two events each
    }
    let latest = h.last_event_id();
    let epoch = h.get("/healthz", None).json["epoch"].as_str().unwrap().to_string();
    assert_eq!(epoch.len(), 16);

    // From the start: more than 50 missed, so a resync, then live events.
    let mut behind = SseClient::connect(h.addr, &h.kiosk_token, Some(0));
    let hello = behind.next().unwrap();
    assert_eq!((hello.event.as_str(), hello.data["epoch"].as_str()), ("hello", Some(epoch.as_str())));
    let resync = behind.next().unwrap();
    assert_eq!(resync.event, "resync");
    assert_eq!((resync.id, resync.data["last_event_id"].as_i64()), (Some(latest), Some(latest)));
    h.take("HT", None);
    assert_eq!(behind.next_of("issued").unwrap().id, Some(latest + 1), "then live, nothing replayed");

    // Within the cap: the missed events, in order.
    let mut near = SseClient::connect(h.addr, &h.kiosk_token, Some(latest - 10));
    near.next_of("hello").unwrap();
    let ids: Vec<i64> = (0..12).map(|_| near.next().unwrap().id.unwrap()).collect();
    assert_eq!(ids, ((latest - 9)..=(latest + 2)).collect::<Vec<_>>());

    // Another epoch (a restored database), or an id the hub never gave: resync.
    for query in [format!("after={}&epoch=00000000deadbeef", latest - 3), format!("after={}", latest + 100)] {
        let a = raw_events(&h, &query);
        assert!(a.contains("event: resync"), "{query}: {a}");
    }
    // Negative or malformed ids are refused, in both languages.
    for (query, header) in [("after=-5", None), ("", Some("-5")), ("after=abc", None), ("", Some("x"))] {
        let mut req = agent()
            .get(&h.url(&format!("/api/v1/events?{query}")))
            .header("Authorization", &format!("Bearer {}", h.kiosk_token));
        if let Some(v) = header {
            req = req.header("Last-Event-ID", v);
        }
        let mut r = req.call().unwrap();
        assert_eq!(r.status().as_u16(), 400, "{query} {header:?}");
        let body: serde_json::Value = r.body_mut().read_json().unwrap();
        assert!(body["message_vi"].as_str().unwrap().len() > 10 && body["message_en"].is_string(), "{body}");
    }
}

/// The first bytes of an event stream for this query.
fn raw_events(h: &TestHub, query: &str) -> String {
    events_from(TcpStream::connect(h.addr).unwrap(), h, query)
}

/// What an event stream sends in its first half second on this connection.
fn events_from(mut s: TcpStream, h: &TestHub, query: &str) -> String {
    s.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    write!(s, "GET /api/v1/events?{query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", h.kiosk_token)
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_batch_the_disk_cannot_take_fails_whole_and_retries_never_give_a_second_number() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    h.take("HT", None);
    // The disk is (nearly) full: the writer's file may grow by two pages at most.
    h.hub
        .change(|store, _, _| {
            let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0))?;
            store.conn().pragma_update(None, "max_page_count", pages + 2)?;
            Ok(())
        })
        .unwrap();
    let issue = |key: &str| h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT", "key": key }));
    let keys: Vec<String> = (0..150).map(|i| format!("k{i:04}")).collect();
    let first: Vec<Answer> = std::thread::scope(|s| {
        let issue = &issue;
        let all: Vec<_> = keys.iter().map(|k| s.spawn(move || issue(k))).collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    // A full disk is said as such (507), not as "try again at once" (503): nothing will be saved until
    // space is freed.
    let retry: Vec<usize> = (0..keys.len()).filter(|&i| first[i].status == 507).collect();
    assert!(!retry.is_empty(), "the disk filled up during the burst");
    for &i in &retry {
        assert_eq!(first[i].json["error"], "disk_full", "{}", first[i].messages());
    }
    assert!(first.iter().all(|a| a.status == 201 || a.status == 507), "only saved or refused for the disk");
    // Nothing of a failed batch stayed: every ticket in the database belongs to a 201.
    let stored = |h: &TestHub| -> i64 {
        h.hub.read(|store, _, _| Ok(store.conn().query_row("SELECT count(*) FROM ticket", [], |r| r.get(0))?)).unwrap()
    };
    assert_eq!(stored(&h), 1 + (keys.len() - retry.len()) as i64);

    // Space again: the kiosks send the same requests again and get their tickets, once.
    h.hub.change(|store, _, _| Ok(store.conn().pragma_update(None, "max_page_count", 1_000_000_000)?)).unwrap();
    let again: Vec<Answer> = keys.iter().map(|k| issue(k)).collect();
    assert!(again.iter().all(|a| a.status == 201));
    for i in 0..keys.len() {
        if first[i].status == 201 {
            assert_eq!(again[i].json["ticket"]["id"], first[i].json["ticket"]["id"], "a retry gets the same ticket");
        }
    }
    let mut numbers: Vec<&str> = again.iter().map(|a| a.json["ticket"]["number"].as_str().unwrap()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), keys.len(), "no number given twice");
    assert_eq!(stored(&h), 1 + keys.len() as i64);

    // An outcome sent twice changes the ticket once.
    let id = again[0].json["ticket"]["id"].as_i64().unwrap();
    let before = h.last_event_id();
    for _ in 0..2 {
        let o = h.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&h.kiosk_token), json!({ "outcome": "printed" }));
        assert_eq!((o.status, o.json["state"].as_str()), (200, Some("waiting")));
    }
    assert_eq!(h.last_event_id(), before + 1);
    // A key from another shape is refused before anything is written.
    assert_eq!(issue("no spaces allowed").status, 422);
}

#[test]
fn a_read_held_open_does_not_hold_the_writer() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (started, reading) = std::sync::mpsc::channel::<()>();
    let hub = h.hub.clone();
    let reader = std::thread::spawn(move || {
        hub.read(move |store, _, _| {
            let n: i64 = store.conn().query_row("SELECT count(*) FROM ticket", [], |r| r.get(0))?;
            started.send(()).unwrap();
            wait.recv().unwrap();
            Ok(n)
        })
    });
    reading.recv().unwrap();
    // While that read is open (as a slow report would be), numbers are taken and called.
    let t = h.take("HT", None);
    let s = h.login(1);
    let called = h.post("/api/v1/counter/next", Some(&s), json!({}));
    assert_eq!(called.json["ticket"]["number"], t["ticket"]["number"], "{}", called.json);
    release.send(()).unwrap();
    assert_eq!(reader.join().unwrap().unwrap(), 0, "the read saw the database as it was when it began");
}

#[test]
fn a_read_flood_costs_one_computation_per_change_and_every_reader_sees_what_it_heard_of() {
    let mut c = config();
    c.hub.views_max_age_ms = 60_000;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    let session = h.login(1);
    h.take("HT", None);
    let first = h.get("/api/v1/snapshot", Some(&h.kiosk_token));
    // Nothing changes: 24 reads at once cost no computation and all get the kept snapshot.
    let computed = h.hub.views_computed();
    let bodies: Vec<String> = std::thread::scope(|s| {
        let h = &h;
        let all: Vec<_> = (0..24)
            .map(|_| {
                s.spawn(move || {
                    let r = h.get("/api/v1/snapshot", Some(&h.kiosk_token));
                    assert_eq!(r.status, 200);
                    r.json.to_string()
                })
            })
            .collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let kept = first.json.to_string();
    assert!(bodies.iter().all(|b| *b == kept), "one kept snapshot for every read");
    assert_eq!(h.hub.views_computed(), computed, "no computation while nothing changed");
    // The hall moves on while 16 readers ask in a loop: every ticket taken is in the next snapshot its
    // kiosk reads (a console redraws from the snapshot after each event it hears), and the readers cost
    // about one computation per change, not one per read.
    let (computed, before) = (h.hub.views_computed(), h.last_event_id());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let reads = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        let (h, stop, reads) = (&h, &stop, &reads);
        for _ in 0..16 {
            s.spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    assert_eq!(h.get("/api/v1/snapshot", Some(&h.kiosk_token)).status, 200);
                    reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
        let takers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(move || {
                    for _ in 0..5 {
                        let number = h.take("HT", None)["ticket"]["number"].clone();
                        let snap = h.get("/api/v1/snapshot", Some(&h.kiosk_token)).json;
                        let waiting = snap["waiting"].as_array().unwrap();
                        assert!(waiting.iter().any(|w| w["number"] == number), "{number} missing from {snap}");
                    }
                })
            })
            .collect();
        // The readers stop whatever the takers found, so that a failure is reported, not waited on.
        let found: Vec<_> = takers.into_iter().map(|t| t.join()).collect();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for f in found {
            if let Err(e) = f {
                std::panic::resume_unwind(e);
            }
        }
    });
    let (computations, reads, events) =
        (h.hub.views_computed() - computed, reads.into_inner(), h.last_event_id() - before);
    assert!(computations <= events as u64, "{computations} computations for {events} events and {reads} reads");
    assert!(reads > 2 * computations, "{computations} computations for {reads} reads");
    // A login or logout shows at once.
    assert_eq!(h.post("/api/v1/counter/logout", Some(&session), json!({})).status, 204);
    let after = h.get("/api/v1/snapshot", Some(&h.kiosk_token));
    let one = after.json["counters"].as_array().unwrap().iter().find(|c| c["number"] == 1).cloned().unwrap();
    assert_eq!(one["logged_in"], false, "{one}");
}

#[test]
fn a_kiosk_s_long_outcome_detail_is_cut_and_bad_paths_answer_in_json() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let long = "giấy kẹt ".repeat(1000);
    let o = h.post(
        &format!("/api/v1/tickets/{id}/outcome"),
        Some(&h.kiosk_token),
        json!({ "outcome": "sent-unconfirmed", "detail": long }),
    );
    assert_eq!(o.status, 200);
    let detail: String = h
        .hub
        .read(move |store, _, _| {
            Ok(store.conn().query_row(
                "SELECT detail FROM queue_event WHERE ticket_id = ?1 ORDER BY id DESC",
                [id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(detail.chars().count() <= 250, "{} characters stored", detail.chars().count());
    for path in ["/api/v1/tickets/abc/outcome", "/api/v1/tickets/99999999999999999999999/outcome"] {
        let a = h.post(path, Some(&h.kiosk_token), json!({ "outcome": "printed" }));
        assert_eq!(a.status, 400, "{path}");
        assert!(a.json["message_vi"].as_str().unwrap().starts_with("Đường dẫn không hợp lệ"), "{}", a.json);
    }
}

#[test]
fn a_revoked_device_is_refused_by_the_running_hub_within_seconds() {
    use common::served::{run, Hall};
    let hall = Hall::open("");
    let issue = |token: &str| {
        agent()
            .post(&format!("{}/api/v1/tickets", hall.url))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(json!({ "service": "HT" }))
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(issue(&hall.kiosk), 201);
    // Another process (the staff's command) writes the revocation; the running hub hears of it.
    let said = run(&hall.data, &hall.config, &["device", "revoke", "kiosk-1"], "");
    assert!(said.contains("kiosk-1"), "{said}");
    let refused = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        issue(&hall.kiosk) == 401
    });
    assert!(refused, "the revoked token still worked after 5 s");
    let list = run(&hall.data, &hall.config, &["device", "list"], "");
    assert!(list.lines().any(|l| l.starts_with("kiosk-1") && l.contains("revoked")), "{list}");
    // A new token for the device works, and the old one stays refused.
    let token = run(&hall.data, &hall.config, &["device", "rotate", "kiosk-1"], "");
    assert_eq!(token.len(), 32);
    let works = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        issue(&token) == 201
    });
    assert!(works);
    assert_eq!(issue(&hall.kiosk), 401);
    // A counter's session ends when its PIN changes.
    let session = hall.counter(1);
    let me = |s: &str| {
        agent()
            .get(&format!("{}/api/v1/counter", hall.url))
            .header("Authorization", &format!("Bearer {s}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(me(&session), 200);
    run(&hall.data, &hall.config, &["counter", "set-pin", "1"], "135790\n");
    let ended = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        me(&session) == 401
    });
    assert!(ended, "the old session still worked after the PIN changed");
}

#[test]
fn a_clock_that_ran_ahead_stops_issuing_says_why_and_staff_accept_the_time() {
    use common::served::{run, Hall};
    let mut hall = Hall::open("");
    hall.take("HT", None);
    hall.kill();
    // The clock once ran ten days ahead: a ticket and its events were stamped then.
    {
        let store = motcua::store::Store::open(&hall.data.join("motcua.db")).unwrap();
        let ahead = 10 * 24 * 3600 * 1000i64;
        store.conn().execute("UPDATE queue_event SET at_ms = at_ms + ?1", [ahead]).unwrap();
        store.conn().execute("UPDATE ticket SET day = '2099-01-01'", []).unwrap();
    }
    hall.restart();
    let refused = agent()
        .post(&format!("{}/api/v1/tickets", hall.url))
        .header("Authorization", &format!("Bearer {}", hall.kiosk))
        .send_json(json!({ "service": "HT" }))
        .unwrap();
    assert_eq!(refused.status().as_u16(), 503);
    let session = hall.counter(1);
    let snapshot: serde_json::Value = agent()
        .get(&format!("{}/api/v1/snapshot", hall.url))
        .header("Authorization", &format!("Bearer {session}"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let why = snapshot["issuing_stopped"]["message_vi"].as_str().unwrap_or("");
    assert!(why.contains("motcua clock accept"), "the console says why and what to do: {snapshot}");

    let said = run(&hall.data, &hall.config, &["clock", "accept"], "");
    assert!(said.contains("Đã chấp nhận giờ hiện tại") && said.contains("A001"), "{said}");
    assert_eq!(hall.take("HT", None), "A001", "a new day's numbering; the future-dated A001 was voided");
}

#[test]
fn a_stream_nobody_reads_is_dropped_after_the_send_timeout() {
    let mut c = config();
    c.hub.send_timeout_s = 1;
    c.hub.replay_max = 100_000;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    // A long log to replay: 20,000 events of a kilobyte, more than the socket buffers hold.
    h.hub
        .change(|store, _, clock| {
            let at = clock.now().unix_timestamp() * 1000;
            let detail = "x".repeat(1000);
            for _ in 0..20_000 {
                store.conn().execute(
                    "INSERT INTO queue_event (at_ms, kind, actor, detail) VALUES (?1, 'reprinted', 'hub', ?2)",
                    rusqlite::params![at, detail],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&h.addr.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    write!(stream, "GET /api/v1/events?after=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", h.kiosk_token)
        .unwrap();
    // The client never reads; the hub's writes block, and after the send timeout it lets go.
    let open = |h: &TestHub| h.hub.connections();
    assert!((0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        open(&h) == 1
    }));
    let dropped = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        open(&h) == 0
    });
    assert!(dropped, "a client that reads nothing still held its connection after 10 s");
    drop(stream);
    assert_eq!(h.get("/healthz", None).status, 200);
}

/// One request from another machine on the LAN (a bound loopback address): status line and body.
fn request_from(from: &str, h: &TestHub, head: &str) -> (u16, String) {
    let mut s = connect_from(from, h.addr);
    write!(s, "{head}Host: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut got = String::new();
    let _ = s.read_to_string(&mut got);
    let status = got.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, got)
}

#[test]
fn each_client_has_a_request_rate_and_a_replay_budget() {
    let mut c = config();
    c.hub.requests_per_second = 5;
    c.hub.request_burst = 20;
    c.hub.replays_per_minute = 3;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    // A burst of 40 from one machine: 20 answered at once, then told to slow down, in both languages.
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let h = &h;
        let all: Vec<_> =
            (0..40).map(|_| s.spawn(move || request_from("127.0.4.1", h, "GET /healthz HTTP/1.1\r\n").0)).collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert!(statuses.iter().filter(|s| **s == 200).count() <= 21, "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 19, "{statuses:?}");
    let (status, said) = request_from("127.0.4.1", &h, "GET /api/v1/services HTTP/1.1\r\n");
    assert_eq!(status, 429);
    assert!(said.contains("Quá nhiều yêu cầu") && said.contains("retry-after: 1"), "{said}");
    assert_eq!(request_from("127.0.4.2", &h, "GET /healthz HTTP/1.1\r\n").0, 200, "another machine is not slowed");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(request_from("127.0.4.1", &h, "GET /healthz HTTP/1.1\r\n").0, 200, "the rate refills");

    // New connections: fifty at once from one machine, then each further one is answered 429 and closed
    // before anything is read from it.
    let mut fast: Vec<TcpStream> = (0..60).map(|_| connect_from("127.0.4.9", h.addr)).collect();
    let refused: Vec<String> = fast
        .iter_mut()
        .rev()
        .take(10)
        .filter_map(|s| {
            s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
            closed(s)
        })
        .collect();
    // Ten over the burst; a slow machine may have earned one or two back while it opened them.
    assert!(refused.len() >= 8, "the last ones were closed at once: {refused:?}");
    assert!(
        refused.iter().all(|r| r.starts_with("HTTP/1.1 429") && r.contains("Quá nhiều kết nối mới")),
        "{refused:?}"
    );
    drop(fast);

    // Replays: three a minute from one machine, then a resync instead (which costs the hub nothing).
    for _ in 0..3 {
        h.take("HT", None);
    }
    let latest = h.last_event_id();
    let query = format!("after={}", latest - 2);
    for n in 0..4 {
        let got = events_from(connect_from("127.0.4.3", h.addr), &h, &query);
        if n < 3 {
            assert!(got.contains("event: confirmed") && !got.contains("event: resync"), "replay {n}: {got}");
        } else {
            assert!(got.contains("event: resync") && got.contains("too many replays"), "{got}");
        }
    }
}

/// A request with a body from another machine of the LAN: status and the whole answer.
fn send_from(from: &str, h: &TestHub, method_path: &str, headers: &str, body: &str) -> (u16, String) {
    let head = format!("{method_path} HTTP/1.1\r\n{headers}Content-Length: {}\r\n", body.len());
    let mut s = connect_from(from, h.addr);
    write!(s, "{head}Host: x\r\nConnection: close\r\n\r\n{body}").unwrap();
    let mut got = String::new();
    let _ = s.read_to_string(&mut got);
    let status = got.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, got)
}

/// Adds the leader hung.pv (password "mùa thu Hà Nội") on the hub's database file, and returns it open.
fn with_leader(h: &TestHub) -> motcua::store::Store {
    let store = motcua::store::Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let (name, secret) = ("Phạm Văn Hùng", "mùa thu Hà Nội");
    motcua::app::staff::add(&store, h.hub.config(), "hung.pv", name, "leader", secret, h.clock.as_ref()).unwrap();
    store
}

fn parallel<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    std::thread::scope(|s| {
        let f = &f;
        let all: Vec<_> = (0..n).map(|i| s.spawn(move || f(i))).collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

/// 24 requests at once from one machine, while a kiosk takes a number (which must be given); the answers.
fn flood_while_taking(h: &TestHub, from: &str, head: &str) -> Vec<(u16, String)> {
    let (answers, taken) = std::thread::scope(|s| {
        let flood = s.spawn(|| parallel(24, |_| request_from(from, h, head)));
        let taken = h.take("HT", None);
        (flood.join().unwrap(), taken)
    });
    assert!(taken["ticket"]["number"].is_string(), "a number is taken during the flood: {taken}");
    answers
}

#[test]
fn the_leaders_form_and_the_tablet_pairing_count_parallel_guesses_before_checking() {
    let mut c = config();
    c.hub.trusted_proxies = vec!["127.0.0.1".into()];
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    let store = with_leader(&h);
    let form = |password: &str, from: &str| {
        let r = agent()
            .post(&h.url("/bao-cao/dang-nhap"))
            .header("X-Forwarded-For", from)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(format!("username=hung.pv&password={password}").as_bytes())
            .unwrap();
        r.status().as_u16()
    };
    // 32 wrong passwords at once from one stranger: 5 are checked, the rest are told to wait unhashed.
    let statuses = parallel(32, |i| form(&format!("sai{i}"), "10.6.6.6"));
    let counts = |s: &[u16], code: u16| s.iter().filter(|x| **x == code).count();
    assert_eq!((counts(&statuses, 401), counts(&statuses, 429)), (5, 27), "{statuses:?}");
    let now_ms = datetime!(2026-11-30 08:00 +7).unix_timestamp() * 1000;
    assert_eq!(h.hub.guard().failures("staff:hung.pv", now_ms), 5);
    // Unknown usernames share one count, so guessing them neither tells which exist nor grows the hub.
    let unknown = parallel(16, |i| {
        agent()
            .post(&h.url("/bao-cao/dang-nhap"))
            .header("X-Forwarded-For", "10.6.6.8")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(format!("username=khong.co.{i}&password=x").as_bytes())
            .unwrap()
            .status()
            .as_u16()
    });
    assert!(unknown.iter().all(|s| *s == 401 || *s == 429), "{unknown:?}");
    assert_eq!(h.hub.guard().failures("staff:?", now_ms), counts(&unknown, 401) as u32);

    // Pairing codes: six digits living minutes, guarded the same way per counter.
    let lan = h.login(1);
    let code = h.post("/api/v1/counter/tablet-code", Some(&lan), json!({})).json["code"].as_str().unwrap().to_string();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let pairs = parallel(32, |_| {
        agent()
            .post(&h.url("/api/v1/tablet/pair"))
            .header("X-Forwarded-For", "10.7.7.7")
            .send_json(json!({"counter": 1, "code": wrong}))
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!((counts(&pairs, 401), counts(&pairs, 429)), (5, 27), "{pairs:?}");
    assert_eq!(h.hub.guard().failures("tablet:1", now_ms), 5);
    // The right code from the stranger waits too; nothing was paired.
    let right = agent()
        .post(&h.url("/api/v1/tablet/pair"))
        .header("X-Forwarded-For", "10.7.7.7")
        .send_json(json!({"counter": 1, "code": code}))
        .unwrap();
    assert_eq!(right.status().as_u16(), 429);
    let paired: i64 = store.conn().query_row("SELECT count(*) FROM tablet", [], |r| r.get(0)).unwrap();
    assert_eq!(paired, 0);
}

#[test]
fn a_flood_of_ratings_and_reports_is_bounded_and_issuing_goes_on() {
    let mut c = config();
    c.hub.requests_per_second = 5;
    c.hub.request_burst = 10;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    let store = with_leader(&h);
    let token = h.take("HT", None)["token"].as_str().unwrap().to_string();
    let lan = h.login(1);
    for step in ["next", "start", "complete"] {
        assert!(h.post(&format!("/api/v1/counter/{step}"), Some(&lan), json!({})).status < 300);
    }
    let form = "application/x-www-form-urlencoded";
    let path = format!("POST /t/{token}/danh-gia");
    let ratings = || -> Vec<(String, Option<String>)> {
        let mut stmt = store.conn().prepare("SELECT level, complaint FROM rating").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect()
    };

    // Over-long complaints at once from one phone: each refused with the limit named, or told to wait.
    let long = format!("level=neutral&complaint={}", "a".repeat(1200));
    let refused = parallel(20, |_| send_from("127.0.6.1", &h, &path, &format!("Content-Type: {form}\r\n"), &long));
    for (status, body) in &refused {
        assert!(*status == 422 || *status == 429, "{status}");
        if *status == 422 {
            assert!(body.contains("dài tối đa 1000 ký tự"), "{body}");
        }
    }
    assert!(refused.iter().filter(|(s, _)| *s == 429).count() >= 9, "the request budget held");
    // A body over the hub's limit is refused before it is read whole.
    let huge = format!("level=neutral&complaint={}", "a".repeat(20 * 1024));
    let (status, _) = send_from("127.0.6.2", &h, &path, &format!("Content-Type: {form}\r\n"), &huge);
    assert_eq!(status, 413);
    assert!(ratings().is_empty(), "nothing refused was stored");

    // Many ratings of the same ticket at once: one row; the same holder's later sends change it.
    let levels = ["very_satisfied", "satisfied", "neutral", "dissatisfied"];
    let sent = parallel(12, |i| {
        send_from("127.0.6.3", &h, &path, &format!("Content-Type: {form}\r\n"), &format!("level={}", levels[i % 4])).0
    });
    assert!(sent.iter().all(|s| *s == 303 || *s == 429), "{sent:?}");
    let stored = ratings();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(levels.contains(&stored[0].0.as_str()));

    // Reports: a flood without a session is refused before anything is read; a leader's flood of
    // five-year reports is held to the request budget, and numbers are still taken meanwhile.
    let anonymous = parallel(20, |_| {
        request_from("127.0.7.1", &h, "GET /api/v1/reports?from=2022-01-01&to=2026-12-31 HTTP/1.1\r\n").0
    });
    assert!(anonymous.iter().all(|s| *s == 401 || *s == 429), "{anonymous:?}");
    let leader = h.post(
        "/api/v1/staff/login",
        None,
        json!({"username": "hung.pv", "password": "mùa thu Hà Nội", "bearer": true}),
    );
    let leader = leader.json["session"].as_str().unwrap().to_string();
    let head =
        format!("GET /api/v1/reports?from=2021-12-31&to=2026-12-30 HTTP/1.1\r\nAuthorization: Bearer {leader}\r\n");
    let reports: Vec<u16> = flood_while_taking(&h, "127.0.7.2", &head).into_iter().map(|r| r.0).collect();
    assert!(reports.iter().all(|s| *s == 200 || *s == 429), "{reports:?}");
    assert!(reports.iter().filter(|s| **s == 200).count() <= 11, "{reports:?}");
    let (status, body) = request_from(
        "127.0.7.3",
        &h,
        &format!("GET /api/v1/reports?from=2020-01-01&to=2026-12-31 HTTP/1.1\r\nAuthorization: Bearer {leader}\r\n"),
    );
    assert_eq!(status, 422);
    assert!(body.contains("at most 5 years"), "{body}");
}

#[test]
fn a_flood_of_metrics_and_report_pages_is_bounded_and_issuing_goes_on() {
    let mut c = config();
    c.hub.requests_per_second = 5;
    c.hub.request_burst = 10;
    let h = start(c, datetime!(2026-11-30 08:00 +7));
    let store = with_leader(&h);
    let metrics = motcua::app::counter::add_device(&store, "prometheus", "metrics", h.clock.as_ref()).unwrap();
    let budget_held = |answers: &[u16], allowed: &[u16]| {
        assert!(answers.iter().all(|s| allowed.contains(s) || *s == 429), "{answers:?}");
        assert!(answers.iter().filter(|s| **s != 429).count() <= 11, "the request budget held: {answers:?}");
    };

    // /metrics: without a token, or with a kiosk's, refused; every refusal counts against the budget.
    let anonymous = parallel(20, |_| request_from("127.0.8.1", &h, "GET /metrics HTTP/1.1\r\n").0);
    budget_held(&anonymous, &[401]);
    let kiosk = format!("GET /metrics HTTP/1.1\r\nAuthorization: Bearer {}\r\n", h.kiosk_token);
    budget_held(&parallel(20, |_| request_from("127.0.8.2", &h, &kiosk).0), &[403]);
    // The monitoring device's own flood is held to the budget too, and numbers are taken meanwhile.
    let head = format!("GET /metrics HTTP/1.1\r\nAuthorization: Bearer {metrics}\r\n");
    let read = flood_while_taking(&h, "127.0.8.3", &head);
    budget_held(&read.iter().map(|r| r.0).collect::<Vec<_>>(), &[200]);
    assert!(read.iter().any(|(s, body)| *s == 200 && body.contains("motcua_events_total")));

    // /bao-cao: a flood without a session gets the login page, within the budget; a leader's flood of
    // year-long reports is held to it as well, while numbers are still taken.
    budget_held(&parallel(20, |_| request_from("127.0.9.1", &h, "GET /bao-cao HTTP/1.1\r\n").0), &[200]);
    let leader = h.post(
        "/api/v1/staff/login",
        None,
        json!({"username": "hung.pv", "password": "mùa thu Hà Nội", "bearer": true}),
    );
    let leader = leader.json["session"].as_str().unwrap().to_string();
    let head = format!("GET /bao-cao?from=2025-12-01&to=2026-11-30 HTTP/1.1\r\nAuthorization: Bearer {leader}\r\n");
    let pages = flood_while_taking(&h, "127.0.9.2", &head);
    budget_held(&pages.iter().map(|r| r.0).collect::<Vec<_>>(), &[200]);
    assert!(pages.iter().any(|(s, body)| *s == 200 && body.contains("Phạm Văn Hùng")), "a report was made");
}

#[test]
fn a_flood_of_catalog_pages_searches_and_catalog_downloads_is_bounded_and_issuing_goes_on() {
    let mut c = config();
    c.hub.requests_per_second = 5;
    c.hub.request_burst = 10;
    let h = start_with(c, datetime!(2026-11-30 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    });
    let held = |answers: &[(u16, String)], ok: u16| {
        let statuses: Vec<u16> = answers.iter().map(|r| r.0).collect();
        assert!(statuses.iter().all(|s| *s == ok || *s == 429), "{statuses:?}");
        assert!(statuses.iter().filter(|s| **s == ok).count() <= 11, "the request budget held: {statuses:?}");
        assert!(statuses.contains(&ok), "some were answered: {statuses:?}");
    };
    // Searches (the costliest public read), pages, and a search past its length: each within the budget,
    // while a number is taken.
    let search = flood_while_taking(&h, "127.0.10.1", "GET /thu-tuc?q=dang+ky+khai+sinh HTTP/1.1\r\n");
    held(&search, 200);
    assert!(search.iter().any(|(s, body)| *s == 200 && body.contains("/thu-tuc/1.001193")));
    held(&flood_while_taking(&h, "127.0.10.2", "GET /thu-tuc/1.000894 HTTP/1.1\r\n"), 200);
    let long = format!("GET /thu-tuc?q={} HTTP/1.1\r\n", "a".repeat(400));
    held(&flood_while_taking(&h, "127.0.10.3", &long), 400);
    // The whole catalog for a device: a stranger is refused, a kiosk's flood is held to the budget.
    held(&flood_while_taking(&h, "127.0.10.4", "GET /api/v1/catalog HTTP/1.1\r\n"), 401);
    let kiosk = format!("GET /api/v1/catalog HTTP/1.1\r\nAuthorization: Bearer {}\r\n", h.kiosk_token);
    held(&flood_while_taking(&h, "127.0.10.5", &kiosk), 200);
    // The admin page without a session: its login form, within the budget.
    held(&flood_while_taking(&h, "127.0.10.6", "GET /quan-tri/niem-yet HTTP/1.1\r\n"), 200);
}
