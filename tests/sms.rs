//! Text messages through a GSM modem, against the hub on loopback with a real SQLite file and a scripted
//! fake modem on a pseudo-terminal pair (reached through a symlink, as udev names a modem): consent at the
//! kiosk and at the counter, "your turn is near" once per ticket, "Đã có kết quả" for a dossier received
//! under it, and a modem that answers ERROR, has no SIM, no network, stops answering, or is unplugged and
//! plugged back. Taking numbers never waits for the modem.

mod common;
#[path = "common/fake_modem.rs"]
mod fake_modem;

use common::hub::{open_all_day, start_with, TestHub};
use fake_modem::{plug, Script};
use motcua::config::Config;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use time::macros::datetime;

fn hall(link: &std::path::Path, tweak: impl FnOnce(&mut Config)) -> TestHub {
    let mut config = open_all_day(Config::default());
    config.sms.modem = format!("serial:{}", link.display());
    config.sms.sender = "UBND xa Minh Hoa".into();
    config.sms.retry_after_s = 1;
    tweak(&mut config);
    start_with(config, datetime!(2026-08-05 10:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    })
}

fn link() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("ttyGSM0");
    (dir, link)
}

/// Waits (up to 20 s) until `check` holds.
fn until(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn sms_health(th: &TestHub) -> Value {
    th.get("/healthz", None).json["sms"].clone()
}

fn consent(th: &TestHub, ticket: &Value, phone: &str) -> common::hub::Answer {
    let token = ticket["token"].as_str().unwrap();
    th.post(&format!("/api/v1/t/{token}/sms"), Some(&th.kiosk_token), json!({ "phone": phone }))
}

#[test]
fn near_once_and_result_ready_reach_the_phone_that_asked_and_no_other() {
    let (_dir, link) = link();
    let modem = plug(&link, Script::Ok, Duration::ZERO);
    let th = hall(&link, |_| {});
    let tickets: Vec<Value> = (0..6).map(|_| th.take("HT", None)).collect();
    // Bad numbers are refused with the reason; the kiosk's answer shows the number masked.
    let bad = consent(&th, &tickets[5], "02838123456");
    assert_eq!(bad.status, 422, "{}", bad.messages());
    assert!(bad.messages().contains("Số điện thoại di động không hợp lệ"), "{}", bad.messages());
    let ok = consent(&th, &tickets[5], "0912 345 678");
    assert_eq!(ok.status, 200, "{}", ok.messages());
    assert_eq!(ok.json, json!({"phone": "••• ••• 678", "near_places": 3}));
    std::thread::sleep(Duration::from_millis(700));
    assert!(modem.sent.lock().unwrap().is_empty(), "five ahead: not near yet");

    // Counter 1 serves two: A006 has three ahead, and is told once.
    let session = th.login(1);
    for _ in 0..2 {
        for action in ["next", "start", "complete"] {
            let r = th.post(&format!("/api/v1/counter/{action}"), Some(&session), json!({}));
            assert_eq!(r.status, 200, "{action}: {}", r.messages());
        }
    }
    until("the near message", || modem.sent.lock().unwrap().len() == 1);
    let (to, text) = modem.sent.lock().unwrap()[0].clone();
    assert_eq!(to, "0912345678");
    assert_eq!(
        text,
        "UBND xa Minh Hoa: So A006 sap den luot (con 3 nguoi truoc ban). Vui long quay lai khu vuc cho va theo doi man hinh goi so."
    );
    // The line moves on: still one message for A006.
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(modem.sent.lock().unwrap().len(), 1, "once per ticket");
    until("the count", || sms_health(&th)["sent_today"] == 1);
    assert_eq!(sms_health(&th)["modem"]["state"], "ok");

    // A003, now at the counter, gives a phone there (no kiosk consent) for its dossier; A004 gives
    // none, and its verification phone is never texted.
    let integration = th
        .hub
        .change(|store, _, clock| motcua::app::counter::add_device(store, "backoffice", "integration", clock))
        .unwrap();
    let with = th.post("/api/v1/counter/sms", Some(&session), json!({"phone": "0987 654 321"}));
    assert_eq!(with.status, 200, "{}", with.messages());
    let receive = |name: &str, phone: &str| {
        let r = th.post(
            "/api/v1/counter/dossier",
            Some(&session),
            json!({"procedure_code": "1.001193", "applicant_name": name, "applicant_phone": phone}),
        );
        assert_eq!(r.status, 200, "{}", r.messages());
        r.json["code"].as_str().unwrap().to_string()
    };
    let consented = receive("Trần Thị Bích", "0987654321");
    th.post("/api/v1/counter/complete", Some(&session), json!({}));
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    let silent = receive("Lê Văn Cường", "0911111111");
    for code in [&consented, &silent] {
        let r =
            th.post(&format!("/api/v1/dossiers/{code}/status"), Some(&integration), json!({"status": 9, "note": ""}));
        assert_eq!(r.status, 200, "{}", r.messages());
    }
    until("the result message", || modem.sent.lock().unwrap().len() == 2);
    std::thread::sleep(Duration::from_millis(700));
    let sent = modem.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2, "the dossier without consent is not texted: {sent:?}");
    assert_eq!(sent[1].0, "0987654321");
    assert!(sent[1].1.starts_with(&format!("UBND xa Minh Hoa: Ho so {consented} da co ket qua.")), "{}", sent[1].1);
    // The modem was set up as a real one is: echo off, SIM, network, SMS centre, text mode, GSM.
    let commands = modem.commands.lock().unwrap().clone();
    assert_eq!(
        commands[..7],
        ["ATE0", "AT+CPIN?", "AT+CREG?", "AT+CSCA?", "AT+CMGF=1", "AT+CSCS=\"GSM\"", "AT+CMGS=\"0912345678\""]
    );
}

#[test]
fn an_error_is_retried_later_and_gives_up_after_its_tries() {
    let (_dir, link) = link();
    let modem = plug(&link, Script::CmsError, Duration::ZERO);
    let th = hall(&link, |c| c.sms.tries = 3);
    let ticket = th.take("HT", None);
    assert_eq!(consent(&th, &ticket, "0912345678").status, 200);
    until("the first refusal", || sms_health(&th)["modem"]["state"] == "refused");
    assert_eq!(sms_health(&th)["queued"], 1, "kept for a retry");
    // The retry waits a second (on the hub's clock), then two seconds: then it is given up.
    for _ in 0..2 {
        th.clock.advance(time::Duration::seconds(5));
        std::thread::sleep(Duration::from_millis(400));
    }
    until("giving up", || sms_health(&th)["failed_today"] == 1);
    assert_eq!(sms_health(&th)["queued"], 0);
    let tries = modem.commands.lock().unwrap().iter().filter(|c| c.starts_with("AT+CMGS")).count();
    assert_eq!(tries, 3);
    assert!(modem.sent.lock().unwrap().is_empty());
}

#[test]
fn no_sim_no_network_and_silence_are_shown_and_the_message_waits_for_the_modem() {
    let (_dir, link) = link();
    let modem = plug(&link, Script::NoSim, Duration::ZERO);
    let th = hall(&link, |_| {});
    let ticket = th.take("HT", None);
    assert_eq!(consent(&th, &ticket, "0912345678").status, 200);
    until("no SIM", || sms_health(&th)["modem"]["state"] == "no-sim");
    *modem.script.lock().unwrap() = Script::NoNetwork;
    until("no network", || sms_health(&th)["modem"]["state"] == "no-network");
    *modem.script.lock().unwrap() = Script::Silent;
    until("no answer", || sms_health(&th)["modem"]["state"] == "no-answer");
    // Meanwhile numbers are taken at once: the modem holds up nobody.
    let started = Instant::now();
    for _ in 0..5 {
        th.take("HT", None);
    }
    assert!(started.elapsed() < Duration::from_secs(2), "taking numbers waited for the modem: {:?}", started.elapsed());
    assert_eq!(sms_health(&th)["queued"], 1, "not given up while the modem was not reached");
    *modem.script.lock().unwrap() = Script::Ok;
    until("the message after the modem is back", || modem.sent.lock().unwrap().len() == 1);
    assert_eq!(sms_health(&th)["modem"]["state"], "ok");
}

#[test]
fn an_unplugged_modem_is_found_again_when_plugged_back_behind_its_link() {
    let (_dir, link) = link();
    let first = plug(&link, Script::Ok, Duration::ZERO);
    let th = hall(&link, |_| {});
    let a = th.take("HT", None);
    assert_eq!(consent(&th, &a, "0912345678").status, 200);
    until("the first message", || first.sent.lock().unwrap().len() == 1);
    first.unplug();
    let b = th.take("HT", None);
    assert_eq!(consent(&th, &b, "0987654321").status, 200);
    until("unplugged", || sms_health(&th)["modem"]["state"] == "unplugged");
    let second = plug(&link, Script::Ok, Duration::ZERO);
    until("the message on the new device", || second.sent.lock().unwrap().len() == 1);
    assert_eq!(second.sent.lock().unwrap()[0].0, "0987654321");
    assert_eq!(sms_health(&th)["sent_today"], 2);
}

#[test]
fn caps_keep_a_stranger_s_number_from_being_flooded() {
    let (_dir, link) = link();
    let modem = plug(&link, Script::Ok, Duration::ZERO);
    let th = hall(&link, |c| c.sms.per_number_per_day = 2);
    let tickets: Vec<Value> = (0..4).map(|_| th.take("HT", None)).collect();
    // Two tickets may give one number; a third is refused before anything is queued.
    assert_eq!(consent(&th, &tickets[0], "0912345678").status, 200);
    assert_eq!(consent(&th, &tickets[1], "0912345678").status, 200);
    let third = consent(&th, &tickets[2], "0912345678");
    assert_eq!(third.status, 409);
    assert!(third.messages().contains("quá nhiều phiếu"), "{}", third.messages());
    until("two messages", || modem.sent.lock().unwrap().len() == 2);
    // Without a modem configured the kiosk is told there is no service, and is not offered it.
    let plain = common::hub::start(open_all_day(Config::default()), datetime!(2026-08-05 10:00 +7));
    let t = plain.take("HT", None);
    assert_eq!(t["sms"], false);
    assert_eq!(tickets[3]["sms"], true);
    let off = consent(&plain, &t, "0912345678");
    assert_eq!(off.status, 409);
    assert!(off.messages().contains("chưa có dịch vụ nhắn tin"), "{}", off.messages());
}

#[test]
fn with_ucs2_the_marks_go_too_and_the_number_is_sent_in_hex() {
    let (_dir, link) = link();
    let modem = plug(&link, Script::Ok, Duration::ZERO);
    let th = hall(&link, |c| {
        c.sms.ucs2 = true;
        c.sms.sender = "UBND xã Minh Họa".into();
    });
    let ticket = th.take("HT", None);
    assert_eq!(consent(&th, &ticket, "0912345678").status, 200);
    until("the message", || modem.sent.lock().unwrap().len() == 1);
    let (to, hex) = modem.sent.lock().unwrap()[0].clone();
    assert_eq!(to, motcua::domain::sms::hex16("0912345678"));
    let units: Vec<u16> =
        (0..hex.len() / 4).map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).unwrap()).collect();
    let text = String::from_utf16(&units).unwrap();
    assert!(text.starts_with("UBND xã Minh Họa: Số A001 sắp đến lượt"), "{text}");
    assert!(units.len() <= 70, "one UCS-2 message: {}", units.len());
    let commands = modem.commands.lock().unwrap().clone();
    assert!(commands.contains(&"AT+CSCS=\"UCS2\"".to_string()) && commands.contains(&"AT+CSMP=17,167,0,8".to_string()));
}
