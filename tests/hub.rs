//! The hub over real HTTP on loopback: kiosks issuing, counters acting, phones reading, live events with
//! replay; concurrency, local midnight, transfers, no-shows, expired sessions, and bad requests that
//! change nothing.

mod common;

use common::hub::*;
use motcua::app::queue::{self, Issuer};
use motcua::config::{Config, Counter, NotPrintedRule};
use motcua::hub::client::RemoteHub;
use serde_json::json;
use time::macros::datetime;

fn config() -> Config {
    open_all_day(Config::default())
}

#[test]
fn a_kiosk_issues_and_a_phone_follows_the_ticket() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let refused = h.post("/api/v1/tickets", None, json!({ "service": "HT" }));
    assert_eq!(refused.status, 401);
    assert!(refused.messages().contains("Cần đăng nhập") && refused.messages().contains("device token"));
    let first = h.take("HT", None);
    let second = h.take("HT", None);
    assert_eq!(first["ticket"]["number"], "A001");
    assert_eq!(second["ahead"], 1, "one person ahead of the second ticket");
    let token = second["token"].as_str().unwrap();
    assert_eq!(second["url"], format!("http://127.0.0.1:8080/t/{token}"));

    let status = h.get(&format!("/api/v1/t/{token}"), None);
    assert_eq!((status.status, status.json["state"].as_str()), (200, Some("waiting")));
    assert_eq!(status.json["ahead"], 1);
    assert!(status.json["wait_vi"].as_str().unwrap().contains("phút"));

    let counter = h.login(1);
    let called = h.post("/api/v1/counter/next", Some(&counter), json!({}));
    assert_eq!(called.json["ticket"]["number"], "A001");
    let called = h.post("/api/v1/counter/next", Some(&counter), json!({}));
    assert_eq!(called.json["ticket"]["number"], "A002");
    let status = h.get(&format!("/api/v1/t/{token}"), None);
    assert_eq!((status.json["state"].as_str(), status.json["counter"].as_u64()), (Some("called"), Some(1)));

    let page = agent().get(&h.url(&format!("/t/{token}"))).call().unwrap().into_body().read_to_string().unwrap();
    assert!(page.contains("A002") && page.contains("Đã đến lượt") && page.contains("Quầy 1"), "{page}");
    assert!(page.len() < 8 * 1024, "the phone page stays small: {} bytes", page.len());
    let missing = h.get("/t/00000000000000000000000000000000", None);
    assert_eq!(missing.status, 404);
    let junk = h.get("/api/v1/t/..%2F..%2Fetc", None);
    assert_eq!(junk.status, 404);
}

#[test]
fn twenty_counters_calling_at_once_never_share_a_ticket() {
    let mut c = config();
    c.counters = (1..=20)
        .map(|n| Counter {
            number: n, name: format!("Quầy {n}"), services: vec!["HT".into()], printer: String::new()
        })
        .collect();
    let h = start(c, datetime!(2026-11-30 09:00 +7));
    for _ in 0..200 {
        h.hub
            .reserve("HT", None, None)
            .and_then(|r| h.hub.report(r.ticket.id, &motcua::print::Outcome::Printed { warning: None }))
            .unwrap();
    }
    let sessions: Vec<String> = (1..=20).map(|n| h.login(n)).collect();
    let h = std::sync::Arc::new(h);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let threads: Vec<_> = sessions
        .into_iter()
        .map(|s| {
            let (h, barrier) = (h.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut got = Vec::new();
                loop {
                    let a = h.post("/api/v1/counter/next", Some(&s), json!({}));
                    assert_eq!(a.status, 200, "{}", a.messages());
                    match a.json["ticket"]["number"].as_str() {
                        Some(n) => got.push(n.to_string()),
                        None => break got,
                    }
                }
            })
        })
        .collect();
    let mut all: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    assert_eq!(all.len(), 200, "every ticket called");
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 200, "no ticket called by two counters");
}

#[test]
fn numbers_restart_at_local_midnight_and_yesterday_is_not_called() {
    let h = start(config(), datetime!(2026-11-30 23:59:00 +7));
    assert_eq!(h.take("HT", None)["ticket"]["number"], "A001");
    assert_eq!(h.take("HT", None)["ticket"]["number"], "A002");
    h.clock.set(datetime!(2026-12-01 00:00:30 +7));
    let today = h.take("HT", None);
    assert_eq!(today["ticket"]["number"], "A001");
    assert_eq!(today["ticket"]["day"], "2026-12-01");
    assert_eq!(today["ahead"], 0, "yesterday's line does not count");
    let s = h.login(1);
    let called = h.post("/api/v1/counter/next", Some(&s), json!({}));
    assert_eq!(
        (called.json["ticket"]["number"].as_str(), called.json["ticket"]["arrived"].as_str().map(|a| &a[..10])),
        (Some("A001"), Some("2026-12-01"))
    );
    let none = h.post("/api/v1/counter/next", Some(&s), json!({}));
    assert!(none.json["ticket"].is_null(), "yesterday's A002 is never called today");
    assert_eq!(none.json["message_vi"], "Không có ai đang chờ.");
}

#[test]
fn a_transferred_ticket_keeps_its_place_by_arrival() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    h.take("HT", None); // A001 at 08:00
    h.clock.set(datetime!(2026-11-30 08:05 +7));
    h.take("CT", None); // B001 at 08:05
    h.take("CT", None); // B002
    let c1 = h.login(1); // HT first
    assert_eq!(h.post("/api/v1/counter/next", Some(&c1), json!({})).json["ticket"]["number"], "A001");
    let wrong = h.post("/api/v1/counter/transfer", Some(&c1), json!({ "service": "NOPE" }));
    assert_eq!(wrong.status, 422, "{}", wrong.messages());
    let moved = h.post("/api/v1/counter/transfer", Some(&c1), json!({ "service": "CT" }));
    assert_eq!(moved.status, 200, "{}", moved.messages());
    assert_eq!(
        (moved.json["ticket"]["service"].as_str(), moved.json["ticket"]["state"].as_str()),
        (Some("CT"), Some("waiting"))
    );
    let c3 = h.login(3); // CT first
    let next = h.post("/api/v1/counter/next", Some(&c3), json!({}));
    assert_eq!(next.json["ticket"]["number"], "A001", "arrived at 08:00, before B001");
    assert_eq!(h.post("/api/v1/counter/next", Some(&c3), json!({})).json["ticket"]["number"], "B001");
    // Its own service's numbering is untouched by the transfer.
    assert_eq!(h.take("CT", None)["ticket"]["number"], "B003");
}

#[test]
fn no_show_only_after_the_recalls() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    h.take("HT", None);
    let s = h.login(1);
    let nothing = h.post("/api/v1/counter/recall", Some(&s), json!({}));
    assert_eq!(nothing.status, 409);
    assert_eq!(nothing.json["message_vi"], "Quầy chưa gọi số nào.");
    h.post("/api/v1/counter/next", Some(&s), json!({}));
    let early = h.post("/api/v1/counter/no-show", Some(&s), json!({}));
    assert_eq!(early.status, 409);
    assert!(early.messages().contains("Cần gọi lại 2 lần"), "{}", early.messages());
    assert_eq!(h.post("/api/v1/counter/recall", Some(&s), json!({})).json["ticket"]["recalls"], 1);
    assert_eq!(h.post("/api/v1/counter/recall", Some(&s), json!({})).json["ticket"]["recalls"], 2);
    let gone = h.post("/api/v1/counter/no-show", Some(&s), json!({}));
    assert_eq!((gone.status, gone.json["ticket"]["state"].as_str()), (200, Some("no_show")));
    let snap = h.get("/api/v1/snapshot", Some(&s));
    let c1 = &snap.json["counters"][0];
    assert_eq!((c1["no_show_today"].as_u64(), c1["current"].is_null()), (Some(1), true));
}

#[test]
fn start_complete_and_the_estimate_learns_from_real_durations() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let s = h.login(1);
    for _ in 0..6 {
        h.take("HT", None);
        h.post("/api/v1/counter/next", Some(&s), json!({}));
        assert_eq!(h.post("/api/v1/counter/start", Some(&s), json!({})).json["ticket"]["state"], "serving");
        h.clock.advance(time::Duration::minutes(3));
        assert_eq!(h.post("/api/v1/counter/complete", Some(&s), json!({})).json["ticket"]["state"], "done");
    }
    let services = h.get("/api/v1/services", None);
    let ht = services.json.as_array().unwrap().iter().find(|s| s["code"] == "HT").unwrap().clone();
    assert_eq!(ht["typical_minutes"], 3.0, "the median of six 3-minute services, not the 8-minute default");
    assert_eq!(ht["open_counters"], 1, "only counter 1 is logged in");
    let snap = h.get("/api/v1/snapshot", Some(&s));
    assert_eq!(snap.json["counters"][0]["done_today"], 6);
}

#[test]
fn calling_out_of_order_needs_a_reason_and_a_paused_counter_calls_nobody() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    for _ in 0..3 {
        h.take("HT", None);
    }
    let s = h.login(1);
    let no_reason = h.post("/api/v1/counter/call", Some(&s), json!({ "number": "A003", "reason": " " }));
    assert_eq!(no_reason.status, 422);
    let called =
        h.post("/api/v1/counter/call", Some(&s), json!({ "number": "a003", "reason": "người khuyết tật đi xe lăn" }));
    assert_eq!(called.json["ticket"]["number"], "A003");
    let again = h.post("/api/v1/counter/call", Some(&s), json!({ "number": "A003", "reason": "x" }));
    assert_eq!(again.status, 409, "A003 is no longer waiting");
    assert_eq!(h.post("/api/v1/counter/pause", Some(&s), json!({})).status, 204);
    let paused = h.post("/api/v1/counter/next", Some(&s), json!({}));
    assert_eq!(paused.status, 409);
    assert!(paused.messages().contains("tạm dừng"));
    assert_eq!(h.get("/api/v1/snapshot", Some(&s)).json["counters"][0]["paused"], true);
    assert_eq!(h.post("/api/v1/counter/resume", Some(&s), json!({})).status, 204);
    assert_eq!(h.post("/api/v1/counter/next", Some(&s), json!({})).json["ticket"]["number"], "A001");
    let reprint = h.post("/api/v1/counter/reprint", Some(&s), json!({ "number": "A002" }));
    assert_eq!((reprint.status, reprint.json["outcome"].as_str()), (200, Some("printed")), "{:?}", reprint.json);
}

#[test]
fn sessions_expire_wrong_pins_slow_down_and_cookies_need_the_csrf_token() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    for _ in 0..5 {
        let wrong = h.post("/api/v1/counter/login", None, json!({ "counter": 2, "pin": "000000" }));
        assert_eq!(wrong.status, 401);
    }
    let waiting = h.post("/api/v1/counter/login", None, json!({ "counter": 2, "pin": "100002" }));
    assert_eq!(waiting.status, 429, "the next attempt waits, even with the right PIN: {}", waiting.messages());
    assert_eq!(waiting.header("retry-after"), Some("1"));
    assert!(waiting.messages().contains("1 giây"), "{}", waiting.messages());
    h.clock.advance(time::Duration::seconds(2));
    h.login(2);

    // A browser: cookie session; changes need the CSRF header.
    let login =
        agent().post(&h.url("/api/v1/counter/login")).send_json(json!({ "counter": 1, "pin": "100001" })).unwrap();
    let cookie = login.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let body: serde_json::Value = login.into_body().read_json().unwrap();
    assert!(body.get("session").is_none(), "a browser never sees the session token");
    let csrf = body["csrf"].as_str().unwrap().to_string();
    let pair = cookie.split(';').next().unwrap().to_string();
    let post = |with_csrf: bool| {
        let mut r = agent().post(&h.url("/api/v1/counter/pause")).header("Cookie", &pair);
        if with_csrf {
            r = r.header("X-CSRF-Token", &csrf);
        }
        r.send_json(json!({})).unwrap().status().as_u16()
    };
    assert_eq!(post(false), 403, "a forged cross-site post has no CSRF token");
    assert_eq!(post(true), 204);
    let me = agent().get(&h.url("/api/v1/counter")).header("Cookie", &pair).call().unwrap();
    assert_eq!(me.into_body().read_json::<serde_json::Value>().unwrap()["csrf"], csrf.as_str());

    let s = h.login(3);
    h.clock.advance(time::Duration::minutes(601));
    let expired = h.post("/api/v1/counter/next", Some(&s), json!({}));
    assert_eq!(expired.status, 401);
    assert!(expired.messages().contains("đăng nhập lại"), "{}", expired.messages());
    let kiosk_as_counter = h.post("/api/v1/counter/next", Some(&h.kiosk_token), json!({}));
    assert_eq!(kiosk_as_counter.status, 403);
}

#[test]
fn bad_requests_get_both_languages_and_change_nothing() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    h.take("HT", None);
    let before = h.last_event_id();
    let raw = |body: &[u8], content_type: &str| {
        let r = agent()
            .post(&h.url("/api/v1/tickets"))
            .header("Authorization", &format!("Bearer {}", h.kiosk_token))
            .header("Content-Type", content_type)
            .send(body)
            .unwrap();
        let status = r.status().as_u16();
        (status, r.into_body().read_json::<serde_json::Value>().unwrap())
    };
    let (status, body) = raw(b"{\"service\": \"HT\"", "application/json");
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    assert!(body["message_vi"].as_str().unwrap().starts_with("Dữ liệu không hợp lệ"));
    assert!(body["message_en"].as_str().unwrap().starts_with("invalid request body"));
    let (status, _) = raw(b"{\"service\": 12}", "application/json");
    assert_eq!(status, 422);
    let (status, _) = raw(b"{\"service\": \"HT\", \"extra\": 1}", "application/json");
    assert_eq!(status, 422, "unknown fields are refused, not ignored");
    let (status, body) = raw(b"service=HT", "application/x-www-form-urlencoded");
    assert_eq!((status, body["error"].as_str()), (415, Some("not_json")));
    let big = format!("{{\"service\": \"HT\", \"priority\": \"{}\"}}", "x".repeat(64 * 1024));
    let (status, body) = raw(big.as_bytes(), "application/json");
    assert_eq!((status, body["message_vi"].as_str()), (413, Some("Dữ liệu gửi lên quá lớn.")));
    let (status, body) = raw(b"{\"service\": \"NOPE\"}", "application/json");
    assert_eq!(status, 422);
    assert_eq!(body["message_vi"], "Không có dịch vụ \"NOPE\"");
    let (status, _) = raw(&[0xff, 0xfe, 0x00, 0x7b], "application/json");
    assert_eq!(status, 400);
    let bad_outcome = h.post("/api/v1/tickets/1/outcome", Some(&h.kiosk_token), json!({ "outcome": "maybe" }));
    assert_eq!(bad_outcome.status, 422);
    let unknown = h.post("/api/v1/tickets/999/outcome", Some(&h.kiosk_token), json!({ "outcome": "printed" }));
    assert_eq!(unknown.status, 404);
    let wrong_token = h.post("/api/v1/tickets", Some("not-a-token"), json!({ "service": "HT" }));
    assert_eq!(wrong_token.status, 401);
    let nowhere = h.get("/api/v1/nowhere", None);
    assert_eq!((nowhere.status, nowhere.json["message_en"].as_str()), (404, Some("not found")));
    assert_eq!(h.get("/api/v1/tickets", None).status, 405);
    assert_eq!(h.last_event_id(), before, "no refused request wrote anything");
}

#[test]
fn live_events_carry_ids_and_replay_what_a_client_missed() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let s = h.login(1);
    assert_eq!(h.get("/api/v1/events", None).status, 401, "events need a login or a device token");
    let mut live = SseClient::connect(h.addr, &s, None);
    h.take("HT", None);
    let issued = live.next_of("issued").unwrap();
    let confirmed = live.next_of("confirmed").unwrap();
    assert!(confirmed.id > issued.id);
    assert_eq!(issued.data["number"], "A001");
    let counts = live.next_of("counts").unwrap();
    assert_eq!(counts.data["HT"], 1);
    h.post("/api/v1/counter/next", Some(&s), json!({}));
    let called = live.next_of("called").unwrap();
    assert_eq!((called.data["number"].as_str(), called.data["counter"].as_u64()), (Some("A001"), Some(1)));

    // A client that dropped after `issued` gets everything since, in order, then live events.
    let mut again = SseClient::connect(h.addr, &h.kiosk_token, issued.id);
    let hello = again.next().unwrap();
    assert_eq!((hello.event.as_str(), hello.id), ("hello", None), "a stream opens with the hub's epoch");
    assert_eq!(hello.data["epoch"].as_str().map(str::len), Some(16));
    let replayed: Vec<(i64, String)> =
        (0..2).map(|_| again.next().unwrap()).map(|e| (e.id.unwrap(), e.event)).collect();
    assert_eq!(replayed, vec![(confirmed.id.unwrap(), "confirmed".into()), (called.id.unwrap(), "called".into())]);
    h.post("/api/v1/counter/pause", Some(&s), json!({}));
    let paused = again.next_of("paused").unwrap();
    assert_eq!((paused.id, paused.data["counter"].as_u64()), (Some(called.id.unwrap() + 1), Some(1)));
}

#[test]
fn a_remote_kiosk_takes_numbers_and_a_failed_print_follows_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    for rule in [NotPrintedRule::Void, NotPrintedRule::Keep] {
        let mut c = config();
        c.queue.not_printed = rule;
        let h = start(c.clone(), datetime!(2026-11-30 08:00 +7));
        let remote = RemoteHub::new(&h.url(""), &h.kiosk_token);
        let open = |target: &str| {
            let mut c = c.clone();
            c.printers.get_mut("kiosk").unwrap().target = target.into();
            motcua::app::printing::open(&c, dir.path(), "kiosk").unwrap()
        };
        let clock = motcua::domain::clock::FixedClock(datetime!(2026-11-30 08:00 +7));
        let ok = queue::issue_and_print(&remote, &c, "HT", None, None, &mut open("virtual"), &clock).unwrap();
        assert_eq!((ok.outcome.as_str(), ok.state.as_str()), ("printed", "waiting"));
        // Out of paper, over the wire too: in the line whatever the rule, the number shown on screen.
        let on_screen =
            queue::issue_and_print(&remote, &c, "HT", None, None, &mut open("virtual?state=paper_out"), &clock)
                .unwrap();
        assert_eq!((on_screen.outcome.as_str(), on_screen.state.as_str()), ("not-printed", "waiting"));
        let failed =
            queue::issue_and_print(&remote, &c, "HT", None, None, &mut open("virtual?state=garbled"), &clock).unwrap();
        assert_eq!(failed.outcome, "not-printed");
        let expected = if rule == NotPrintedRule::Void { "voided" } else { "waiting" };
        assert_eq!(failed.state.as_str(), expected, "rule {rule:?}");
        let status = h.get(&format!("/api/v1/t/{}", failed.reserved.token), None);
        assert_eq!(status.json["state"], expected);
        let refused =
            queue::issue_and_print(&remote, &c, "NOPE", None, None, &mut open("virtual"), &clock).unwrap_err();
        assert_eq!(refused.refusal().unwrap().0, "Không có dịch vụ \"NOPE\"");
        let unauthorized = RemoteHub::new(&h.url(""), "0123456789abcdef0123456789abcdef");
        assert!(unauthorized.reserve("HT", None, None).unwrap_err().to_string().contains("device token"));
    }
    let nobody = RemoteHub::new("http://127.0.0.1:9", "x");
    assert!(matches!(nobody.reserve("HT", None, None), Err(queue::IssueError::Unreachable { .. })));
}

#[test]
fn a_kiosk_that_never_reports_leaves_no_phantom() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
    let token = r.json["token"].as_str().unwrap().to_string();
    assert_eq!(h.get(&format!("/api/v1/t/{token}"), None).json["state"], "reserved");
    let s = h.login(1);
    assert!(h.post("/api/v1/counter/next", Some(&s), json!({})).json["ticket"].is_null(), "not in the queue yet");
    h.clock.advance(time::Duration::seconds(61));
    assert_eq!(h.hub.void_stale().unwrap().len(), 1);
    assert_eq!(h.get(&format!("/api/v1/t/{token}"), None).json["state"], "voided");
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let late = h.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&h.kiosk_token), json!({ "outcome": "printed" }));
    assert_eq!(late.json["state"], "voided", "a late report does not revive it");
    assert!(h.post("/api/v1/counter/next", Some(&s), json!({})).json["ticket"].is_null());
}

#[test]
fn a_not_printed_outcome_carries_the_printer_state_and_an_older_kiosk_s_spelling_is_understood() {
    let h = start(config(), datetime!(2026-11-30 08:00 +7));
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let old = json!({ "outcome": "not printed", "detail": "paper out" });
    let answer = h.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&h.kiosk_token), old);
    // Guessed as paper out: in the line, shown on the kiosk's screen.
    assert_eq!((answer.status, answer.json["state"].as_str()), (200, Some("waiting")), "{}", answer.json);
    let stored: String = h
        .hub
        .read(move |store, _, _| {
            Ok(store.conn().query_row("SELECT print_outcome FROM ticket WHERE id = ?1", [id], |r| r.get(0))?)
        })
        .unwrap();
    assert_eq!(stored, "not-printed", "stored in the one spelling");
    let printers = h.get("/api/v1/printers", Some(&h.kiosk_token));
    assert_eq!(printers.json[0]["state"], "paper-out", "guessed from an old kiosk's text: {}", printers.json);
    // Today's kiosks send the printer's state beside the text, and the state is what counts.
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
    let path = format!("/api/v1/tickets/{}/outcome", r.json["ticket"]["id"]);
    let bad = json!({ "outcome": "not-printed", "detail": "x", "printer": "on-fire" });
    let refused = h.post(&path, Some(&h.kiosk_token), bad);
    assert_eq!(refused.status, 422, "{}", refused.json);
    let ready = json!({ "outcome": "not-printed", "detail": "x", "printer": "ok" });
    let refused = h.post(&path, Some(&h.kiosk_token), ready);
    assert_eq!(refused.status, 422, "a ready printer cannot have stopped a job");
    assert!(refused.messages().contains("cannot have stopped a job"), "{}", refused.messages());
    let new = json!({ "outcome": "not-printed", "detail": "nắp mở", "printer": "cover-open" });
    assert_eq!(h.post(&path, Some(&h.kiosk_token), new).json["state"], "waiting", "shown on the kiosk's screen");
    let printers = h.get("/api/v1/printers", Some(&h.kiosk_token));
    assert_eq!(printers.json[0]["state"], "cover-open", "{}", printers.json);
    // An answer that is not a printer's: the rule of the configuration (void by default).
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
    let path = format!("/api/v1/tickets/{}/outcome", r.json["ticket"]["id"]);
    let garbled = json!({ "outcome": "not-printed", "detail": "garbled answer", "printer": "garbled" });
    assert_eq!(h.post(&path, Some(&h.kiosk_token), garbled).json["state"], "voided");
}

#[test]
fn metrics_count_what_the_hub_did_for_a_metrics_token_only() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-04 09:00 +7));
    let store = motcua::store::Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let token = motcua::app::counter::add_device(&store, "prometheus", "metrics", h.clock.as_ref()).unwrap();
    h.take("HT", None);
    h.take("HT", None);
    let counter = h.login(1);
    assert_eq!(h.post("/api/v1/counter/next", Some(&counter), json!({})).status, 200);
    let wrong = h.post("/api/v1/counter/login", None, json!({"counter": 2, "pin": "000000"}));
    assert_eq!(wrong.status, 401);
    // An event stream held open while the figures are read.
    let mut stream = std::net::TcpStream::connect(h.addr).unwrap();
    std::io::Write::write_all(
        &mut stream,
        format!("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", h.kiosk_token).as_bytes(),
    )
    .unwrap();
    let mut first = [0u8; 64];
    let _ = std::io::Read::read(&mut stream, &mut first);

    let read = |auth: Option<&str>| {
        let mut req = agent().get(&h.url("/metrics"));
        if let Some(t) = auth {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut r = req.call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    let (status, text) = read(Some(&token));
    assert_eq!(status, 200, "{text}");
    for line in [
        "motcua_events_total{kind=\"issued\"} 2",
        "motcua_events_total{kind=\"confirmed\"} 2",
        "motcua_events_total{kind=\"called\"} 1",
        "motcua_print_outcomes_total{outcome=\"printed\"} 2",
        "motcua_login_failures_total 1",
        "motcua_sse_clients 1",
        "# TYPE motcua_writer_batches_total counter",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
    drop(stream);
    assert_eq!(read(Some(&h.kiosk_token)).0, 403, "a kiosk's token is not a monitor's");
    assert_eq!(read(None).0, 401);
}
