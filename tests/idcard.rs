//! The chip ID card at "Lấy số" through the hub on loopback, with a real SQLite file: the card is held
//! with its ticket and nowhere else (not in events, the stream or the ticket's answer), the counter that
//! calls the ticket gets it for its receive form, the dossier takes only what the counter confirms, and
//! the card is erased (overwritten, and gone from the write-ahead log) when the dossier is received, the
//! ticket is not shown, voided or closed, or the day ends. A remote kiosk sends it only over HTTPS.

mod common;

use common::hub::{open_all_day, start_with, SseClient, TestHub};
use motcua::app::queue::Issuer;
use motcua::config::Config;
use motcua::domain::idcard;
use motcua::hub::client::RemoteHub;
use serde_json::{json, Value};
use std::path::Path;
use time::macros::datetime;

/// The made-up card of docs/id-card.md.
const CARD: &str = "001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa, tỉnh Đắk Lắk|15042021";
const ID: &str = "001090123456";

fn hub() -> TestHub {
    let config = open_all_day(Config::default());
    start_with(config, datetime!(2026-08-05 10:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    })
}

/// What the kiosk sends for `CARD`.
fn card_body() -> Value {
    json!({"id": ID, "birth": "1950-01-01", "name": "Nguyễn Văn An"})
}

/// Takes a number with the card, as the kiosk on the hub's machine (loopback) does.
fn take_with_card(th: &TestHub) -> Value {
    let r = th.post("/api/v1/tickets", Some(&th.kiosk_token), json!({"service": "HT", "card": card_body()}));
    assert_eq!(r.status, 201, "{}", r.messages());
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let o = th.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&th.kiosk_token), json!({"outcome": "printed"}));
    assert_eq!(o.status, 200, "{}", o.messages());
    r.json
}

fn held(th: &TestHub) -> i64 {
    th.hub.read(|store, _, _| Ok(motcua::store::idcard::held(store.conn())?)).unwrap()
}

/// Whether the ID number's digits are anywhere in the database file or its write-ahead log.
fn in_files(dir: &Path) -> Vec<String> {
    ["motcua.db", "motcua.db-wal"]
        .iter()
        .filter(|f| std::fs::read(dir.join(f)).is_ok_and(|b| b.windows(ID.len()).any(|w| w == ID.as_bytes())))
        .map(|f| f.to_string())
        .collect()
}

/// Runs the hub's 5-second round (closing, erasing, the log's checkpoint) now.
fn sweep(th: &TestHub) {
    th.hub.close_day().unwrap();
}

#[test]
fn the_counter_gets_the_card_for_its_form_and_it_is_erased_once_the_dossier_is_received() {
    let th = hub();
    let mut stream = SseClient::connect(th.addr, &th.kiosk_token, None);
    let ticket = take_with_card(&th);
    assert_eq!(held(&th), 1);
    // The ticket's answer, its events and the stream carry nothing of the card.
    let answered = ticket.to_string();
    assert!(!answered.contains(ID) && !answered.contains("1950") && !answered.contains("An\""), "{answered}");
    let issued = stream.next_of("issued").expect("the issued event").data.to_string();
    assert!(!issued.contains(ID) && !issued.contains("Nguyễn"), "{issued}");
    let events: String = th
        .hub
        .read(|store, _, _| {
            let rows = motcua::store::queue::events_after(store.conn(), 0, 1000)?;
            Ok(rows.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join("\n"))
        })
        .unwrap();
    assert!(!events.contains(ID) && !events.contains("1950"), "{events}");

    let session = th.login(1);
    let card = th.get("/api/v1/counter/card", Some(&session));
    assert_eq!(card.status, 404, "nobody called yet: {}", card.messages());
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    let card = th.get("/api/v1/counter/card", Some(&session));
    assert_eq!(card.status, 200, "{}", card.messages());
    assert_eq!(card.json, json!({"ticket": "A001", "id": ID, "birth": "01/01/1950", "name": "Nguyễn Văn An"}));
    // Another counter does not see it; nor does a kiosk.
    assert_eq!(th.get("/api/v1/counter/card", Some(&th.login(2))).status, 404);
    assert_eq!(th.get("/api/v1/counter/card", Some(&th.kiosk_token)).status, 403);

    // The counter confirms (and corrects) what goes into the dossier.
    let bad = th.post(
        "/api/v1/counter/dossier",
        Some(&session),
        json!({"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn An", "applicant_id": "00109012345",
               "applicant_birth": "01/01/1950"}),
    );
    assert_eq!(bad.status, 409);
    assert!(bad.messages().starts_with("Số định danh cá nhân không hợp lệ"), "{}", bad.messages());
    assert_eq!(held(&th), 1, "a refused receipt erases nothing");
    let got = th.post(
        "/api/v1/counter/dossier",
        Some(&session),
        json!({"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn An", "applicant_id": ID,
               "applicant_birth": "01/01/1950"}),
    );
    assert_eq!(got.status, 200, "{}", got.messages());
    assert!(!got.json.to_string().contains(ID), "the answer does not echo it");
    assert_eq!(held(&th), 0, "erased when the dossier is received");
    let code = got.json["code"].as_str().unwrap().to_string();
    let stored: (Option<String>, Option<String>) = th
        .hub
        .read(move |store, _, _| {
            let sql = "SELECT applicant_id, applicant_birth FROM dossier WHERE code = ?1";
            Ok(store
                .conn()
                .query_row(sql, [&code], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(motcua::store::StoreError::from)?)
        })
        .unwrap();
    assert_eq!(stored, (Some(ID.into()), Some("1950-01-01".into())));
    assert_eq!(th.get("/api/v1/counter/card", Some(&session)).status, 404);
}

#[test]
fn no_show_void_and_the_end_of_the_day_erase_the_card_from_the_file_and_the_log() {
    let th = hub();
    let session = th.login(1);
    // A no-show.
    take_with_card(&th);
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    for _ in 0..2 {
        th.post("/api/v1/counter/recall", Some(&session), json!({}));
    }
    let gone = th.post("/api/v1/counter/no-show", Some(&session), json!({}));
    assert_eq!(gone.status, 200, "{}", gone.messages());
    assert_eq!(held(&th), 0, "erased on no-show");
    // A reservation voided (the printer failed and the rule voids it).
    let r = th.post("/api/v1/tickets", Some(&th.kiosk_token), json!({"service": "HT", "card": card_body()}));
    assert_eq!(held(&th), 1);
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let o = th.post(
        &format!("/api/v1/tickets/{id}/outcome"),
        Some(&th.kiosk_token),
        json!({"outcome": "not-printed", "detail": "garbage", "printer": "garbled"}),
    );
    assert_eq!(o.json["state"], "voided", "{}", o.json);
    assert_eq!(held(&th), 0, "erased on void");
    // A card left from yesterday is erased by the hub's round today.
    take_with_card(&th);
    th.clock.advance(time::Duration::days(1));
    sweep(&th);
    assert_eq!(held(&th), 0, "erased the next day");

    // Overwritten in the file, and the log emptied: the digits are nowhere on disk.
    assert_eq!(in_files(th.dir.path()), Vec::<String>::new());
}

#[test]
fn at_closing_time_only_the_card_of_a_citizen_being_served_stays() {
    let mut config = open_all_day(Config::default());
    config.queue.closing_time = "17:30".into();
    let th = start_with(config, datetime!(2026-08-05 17:00 +7), |_| {});
    let session = th.login(1);
    take_with_card(&th);
    take_with_card(&th);
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    th.post("/api/v1/counter/start", Some(&session), json!({}));
    assert_eq!(held(&th), 2);
    sweep(&th);
    assert_eq!(held(&th), 2, "before closing nothing is erased");
    th.clock.advance(time::Duration::minutes(31));
    sweep(&th);
    assert_eq!(held(&th), 1, "the waiting one is closed and its card erased; the one being served stays");
    assert_eq!(th.get("/api/v1/counter/card", Some(&session)).json["ticket"], "A001");
    th.post("/api/v1/counter/complete", Some(&session), json!({}));
    assert_eq!(held(&th), 0, "erased when its ticket is done");
}

#[test]
fn a_malformed_card_is_refused_without_echoing_it_and_no_number_is_taken() {
    let th = hub();
    for card in [
        json!({"id": "12345", "birth": "1950-01-01"}),
        json!({"id": ID, "birth": "1950-02-31"}),
        json!({"id": ID, "birth": "1950-01-01", "name": "<script>"}),
        json!({"id": ID, "birth": "1950-01-01", "address": "Hà Nội"}),
    ] {
        let r = th.post("/api/v1/tickets", Some(&th.kiosk_token), json!({"service": "HT", "card": card}));
        assert_eq!(r.status / 100, 4, "{card}: {}", r.messages());
        assert!(!r.messages().contains("12345") && !r.messages().contains("script"), "{}", r.messages());
    }
    assert_eq!(held(&th), 0);
    assert_eq!(th.take("HT", None)["ticket"]["number"], "A001", "no number was used up");
}

#[test]
fn a_remote_kiosk_sends_the_card_only_over_https() {
    let th = hub();
    let card = idcard::read(CARD).unwrap();
    // Plain HTTP: the number is taken, the card stays at the kiosk.
    let plain = RemoteHub::new(&th.url(""), &th.kiosk_token);
    assert!(!plain.private());
    let reserved = plain.reserve("HT", None, Some(&card)).unwrap();
    assert_eq!(reserved.ticket.number, "A001");
    assert_eq!(held(&th), 0, "nothing of the card crossed in the clear");
    // The kiosk does not even offer the scan then.
    let mut config = Config::default();
    config.kiosk.hub = th.url("");
    assert!(!motcua::app::kiosk::offers_card(&config));
    config.kiosk.hub = th.url("").replace("http://", "https://");
    assert!(motcua::app::kiosk::offers_card(&config));
    // The hub in the kiosk's own process holds it.
    th.hub.reserve("HT", None, Some(&card)).unwrap();
    assert_eq!(held(&th), 1);
    // No log line of the hub or the kiosk quotes it (`IdCard` prints as "IdCard(…)").
    assert_eq!(format!("{card:?}"), "IdCard(…)");
}
