//! The outbox for the province (docs/province.md), from a real hub on a real SQLite file: a morning at the
//! hall (a ticket taken, called, served, a dossier received under it with a name and a phone, a rating with
//! a complaint, a printer running low, a procedure published) leaves one row per change, in order, holding
//! only the fields docs/province.md lists; a change undone leaves no row; sequences are never reused.

mod common;

use common::hub::*;
use motcua::app::outbox;
use motcua::config::Config;
use motcua::domain::outbox::{check, ALLOWLIST};
use motcua::store::Store;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use time::macros::datetime;

fn rows(store: &Store) -> Vec<(i64, String, Value)> {
    outbox::pending(store, 0, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| (r.seq, r.kind, serde_json::from_str(&r.body).unwrap()))
        .collect()
}

/// The allowlist as docs/province.md writes it: the lines `- kind: field, field, …`.
fn allowlist() -> Vec<(String, BTreeSet<String>)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/province.md")).unwrap();
    let start = doc.find("<!-- allowlist -->").expect("the allowlist's marker");
    let end = doc.find("<!-- /allowlist -->").expect("the allowlist's end");
    doc[start..end]
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .map(|l| {
            let (kind, fields) = l.split_once("`: ").unwrap();
            let fields = fields.split(", ").map(|f| f.trim_matches(|c| c == '`' || c == '.').to_string()).collect();
            (kind.to_string(), fields)
        })
        .collect()
}

#[test]
fn a_morning_leaves_one_row_per_change_in_order_with_only_the_listed_fields() {
    let mut config = open_all_day(Config::default());
    config.booking.enabled = true;
    let h = start_with(config, datetime!(2026-12-01 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    });
    let db = h.dir.path().join("motcua.db");
    let before = outbox::lag(&Store::open(&db).unwrap()).unwrap().0;
    assert!(before > 0, "the demo catalog's versions are in it");

    let taken = h.take("HT", Some("Người cao tuổi"));
    let token = taken["token"].as_str().unwrap().to_string();
    let session = h.login(1);
    assert_eq!(h.post("/api/v1/counter/next", Some(&session), json!({})).status, 200);
    let dossier = json!({"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn Hải",
                         "applicant_phone": "0912 345 678", "documents": ["Giấy chứng sinh"]});
    let received = h.post("/api/v1/counter/dossier", Some(&session), dossier);
    assert_eq!(received.status, 200, "{}", received.messages());
    let code = received.json["code"].as_str().unwrap().to_string();
    let more = json!({"code": code, "form": "02", "documents": ["Bản chính giấy chứng sinh của bé Hải"]});
    assert_eq!(h.post("/api/v1/counter/dossier/form", Some(&session), more).status, 200);
    assert_eq!(h.post("/api/v1/counter/complete", Some(&session), json!({})).status, 200);
    let rated = h.post(
        &format!("/api/v1/t/{token}/rating"),
        None,
        json!({"level": "dissatisfied", "reasons": ["Thời gian chờ"], "complaint": "Cán bộ Trần Văn B gọi 0988 777 666."}),
    );
    assert_eq!(rated.status, 200, "{}", rated.messages());
    // Changed on second thoughts: the change is a row of its own.
    let changed = h.post(&format!("/api/v1/t/{token}/rating"), None, json!({"level": "neutral"}));
    assert_eq!(changed.status, 200, "{}", changed.messages());
    // A booking pulled from the province, checked in at the kiosk: what became of it goes back, not its
    // phone's hash or digits.
    let pulled = vec![motcua::store::booking::Pulled {
        id: 41,
        code: "H-0007".into(),
        day: "2026-12-01".into(),
        service: "HT".into(),
        starts_ms: datetime!(2026-12-01 09:00 +7).unix_timestamp() * 1000,
        ends_ms: datetime!(2026-12-01 09:30 +7).unix_timestamp() * 1000,
        token: "ef".repeat(16),
        phone_hash: "a1b2".repeat(16),
        last3: "678".into(),
        state: motcua::domain::booking::BookingState::Booked,
        made_ms: 0,
        rev: 3,
    }];
    h.hub.change(move |store, _, _| motcua::app::booking::keep_pulled(store, &pulled)).unwrap();
    let checked =
        h.post("/api/v1/bookings/check-in", Some(&h.kiosk_token), json!({"booking": {"token": "ef".repeat(16)}}));
    assert_eq!(checked.status, 201, "{}", checked.messages());
    let id = checked.json["ticket"]["id"].as_i64().unwrap();
    let printed = h.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&h.kiosk_token), json!({"outcome": "printed"}));
    assert_eq!(printed.status, 200);
    // The evening's backup: its state goes too (not its message).
    h.clock.set(datetime!(2026-12-01 18:05 +7));
    h.hub.daily_backup();
    assert!(h.hub.backup_status().last_ms.is_some());
    assert_eq!(h.post("/api/v1/printers", Some(&h.kiosk_token), json!({"state": "paper-low"})).status, 200);
    // The printer's row is written after the answer, by the writer.
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The hall's row for phones' pages (the push thread writes it when the hall pushes): the service's
    // names, its counters open and typical minutes, as the hall's own estimate has them.
    let hall =
        h.hub.read(|store, config, clock| outbox::hall(store, config, motcua::domain::clock::millis(clock.now())));
    let hall = hall.unwrap();
    let written = hall.clone();
    let noted = h.hub.change(move |store, _, _| Ok(outbox::note_hall(store, &written, 0)));
    assert!(matches!(noted, Ok(Ok(()))));
    let hall: Value = serde_json::from_str(&hall).unwrap();
    let ht = hall["services"].as_array().unwrap().iter().find(|s| s["code"] == "HT").unwrap();
    assert!(ht["open"].as_u64().is_some_and(|n| n >= 1) && ht["name_vi"] == "Hộ tịch", "{hall}");
    assert!(ht["typical_min"].as_f64().is_some_and(|m| m > 0.0 && (m * 2.0).fract() == 0.0), "{hall}");

    let store = Store::open(&db).unwrap();
    let all = rows(&store);
    let today: Vec<&(i64, String, Value)> = all.iter().filter(|(seq, _, _)| *seq > before).collect();
    let kinds: Vec<String> = today
        .iter()
        .map(|(_, kind, body)| match kind.as_str() {
            "queue_event" => format!("queue_event:{}", body["kind"].as_str().unwrap()),
            "dossier_status" => format!("dossier_status:{}", body["status"]),
            other => other.to_string(),
        })
        .collect();
    // The printers' rows follow their jobs (the ticket, the counter's receipt) a moment later, from the
    // hub's memory; the login may come before or after the ticket.
    let changes: Vec<&String> =
        kinds.iter().filter(|k| !["printer_health", "queue_event:logged_in", "hall"].contains(&k.as_str())).collect();
    assert_eq!(
        changes,
        [
            "ticket",
            "queue_event:issued",
            "ticket",
            "queue_event:confirmed",
            "ticket",
            "queue_event:called",
            "dossier",
            "dossier",
            "dossier_status:2",
            "dossier",
            "dossier_status:5",
            "dossier_form",
            "ticket",
            "queue_event:done",
            "rating",
            "rating",
            "ticket",
            "queue_event:issued",
            "booking",
            "ticket",
            "queue_event:confirmed",
            "backup"
        ],
        "{kinds:?}"
    );
    assert_eq!(kinds.iter().filter(|k| *k == "queue_event:logged_in").count(), 1);
    assert_eq!(kinds.iter().rev().nth(1).map(String::as_str), Some("printer_health"), "{kinds:?}");
    assert_eq!(kinds.last().map(String::as_str), Some("hall"), "{kinds:?}");
    // In order, and each sequence once.
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));

    // Only the listed fields leave the hall, and the list in the docs is the one the code keeps.
    let listed = allowlist();
    let in_code: Vec<(String, BTreeSet<String>)> = ALLOWLIST
        .iter()
        .map(|(kind, fields)| (kind.to_string(), fields.iter().map(|f| f.to_string()).collect()))
        .collect();
    assert_eq!(listed, in_code, "docs/province.md and domain::outbox::ALLOWLIST list the same fields");
    let mut seen_kinds = BTreeSet::new();
    for (_, kind, body) in &all {
        assert_eq!(check(kind, body), Ok(()));
        seen_kinds.insert(kind.clone());
    }
    assert_eq!(seen_kinds.len(), listed.len(), "every listed kind was written: {seen_kinds:?}");
    // No phone, no complaint, the name masked; the ticket's public token and priority category go.
    let text = serde_json::to_string(&all.iter().map(|r| &r.2).collect::<Vec<_>>()).unwrap();
    for secret in ["0912", "345 678", "912345678", "Trần Văn B", "0988", "Hải", "giấy chứng sinh", "a1b2a1b2"]
    {
        assert!(!text.contains(secret), "{secret} left the hall");
    }
    let dossier = today.iter().find(|r| r.1 == "dossier_status").unwrap();
    assert_eq!(dossier.2["dossier"]["applicant"], "Nguyễn V*** H***");
    let issued = today.iter().find(|r| r.2["kind"] == "issued").unwrap();
    assert_eq!(issued.2["ticket"]["token"], token.as_str());
    assert_eq!(issued.2["ticket"]["priority"], "Người cao tuổi");
    let ratings: Vec<&Value> = today.iter().filter(|r| r.1 == "rating").map(|r| &r.2).collect();
    assert_eq!(
        (ratings[0]["level"].as_str(), ratings[0]["reasons"][0].as_str()),
        (Some("dissatisfied"), Some("Thời gian chờ"))
    );
    assert_eq!(ratings[1]["level"], "neutral", "the changed rating as it stands after the change");
    let printers = &today.iter().rev().find(|r| r.1 == "printer_health").unwrap().2["printers"];
    let kiosk = printers.as_array().unwrap().iter().find(|p| p["device"] == "kiosk-1").expect("the kiosk's printer");
    assert_eq!(kiosk["state"], "paper-low", "{printers}");
}

#[test]
fn a_change_undone_leaves_no_row_and_sequences_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let clock = motcua::domain::clock::ManualClock::new(datetime!(2026-11-28 09:15 +7));
    motcua::app::catalog::seed_demo(&mut store, &clock).unwrap();
    let (newest, acked) = outbox::lag(&store).unwrap();
    assert_eq!((newest, acked), (56, 0), "one row per procedure of the demo");
    let tx = store.change().unwrap();
    tx.execute(
        "INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, detail) VALUES (1, NULL, 'paused', 1, 'x', NULL)",
        [],
    )
    .unwrap();
    drop(tx); // rolled back, as a failed batch of the writer is
    assert_eq!(outbox::lag(&store).unwrap().0, 56);

    // Delivered rows go after a week, the others after 90 days; the numbers go on from the last given.
    outbox::delivered(&mut store, 50, 1).unwrap();
    outbox::delivered(&mut store, 40, 2).unwrap();
    assert_eq!(outbox::lag(&store).unwrap(), (56, 50), "an older acknowledgement does not go back");
    clock.advance(time::Duration::days(8));
    assert_eq!(outbox::sweep(&mut store, &clock).unwrap(), 50);
    assert_eq!(outbox::pending(&store, 0, 100).unwrap().first().map(|r| r.seq), Some(51));
    clock.advance(time::Duration::days(90));
    assert_eq!(outbox::sweep(&mut store, &clock).unwrap(), 6);
    motcua::app::outbox::note_printers(&mut store, &[], 0).unwrap();
    assert_eq!(outbox::pending(&store, 0, 100).unwrap().iter().map(|r| r.seq).collect::<Vec<_>>(), [57]);
}
