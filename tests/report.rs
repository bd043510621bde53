//! The hall's report on a scripted day with hand-computed answers, through the real `motcua report` on a
//! database file: tickets served, no-shows and closed at closing, waits, ratings with reasons and a
//! complaint, dossiers early, on time and late (one re-appointed with form 04, still late), the 766 rate
//! and the inspection sentence; JSON and CSV agree.

mod common;

use common::*;
use motcua::app::forms::{self, Form, FormRequest};
use motcua::app::queue::{self, Action};
use motcua::app::rating::{self, Sent, Which};
use motcua::config::Config;
use motcua::domain::clock::ManualClock;
use motcua::domain::counter::Desk;
use motcua::domain::dossier::Status;
use motcua::domain::rating::{Level, Source};
use motcua::print::Outcome;
use motcua::store::Store;
use serde_json::{json, Value};
use time::macros::datetime;

/// The scripted day (Wednesday 2026-08-05) in a data folder:
/// - four tickets at 08:00; Lan (staff) at counter 1 calls A001 at 08:10 and serves it to 08:20, calls A002 at
///   08:25 (recalled twice, no-show at 08:30), calls A003 at 08:30 and serves it to 08:40; A004 is still
///   waiting at closing (17:30) and is closed. Waits 10, 25 and 30 minutes; service 10 and 10.
/// - A001 rated "Rất hài lòng"; A003 "Không hài lòng" for "Thời gian chờ" with a complaint.
/// - three dossiers received 2026-08-04, due 2026-08-07 17:00: resolved 08-06 (early), 08-07 16:00 (on time),
///   and one re-appointed with form 04 on 08-07 to 08-12 and resolved 08-10 (late against the first).
fn scripted_day() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let mut config = Config::default();
    for s in &mut config.services {
        s.hours = vec!["07:00-17:00".into()];
    }
    let clock = ManualClock::new(datetime!(2026-08-05 08:00 +7));
    let lan =
        motcua::app::staff::add(&store, &config, "lan.nt", "Nguyễn Thị Lan", "counter", "246813", &clock).unwrap();
    let desk = Desk { counter: 1, staff: Some(lan.id) };
    let mut tokens = Vec::new();
    for _ in 0..4 {
        let r = queue::reserve(&mut store, &config, "HT", None, None, &clock).unwrap();
        queue::record_outcome(&mut store, &config, r.ticket.id, &Outcome::Printed { warning: None }, &clock).unwrap();
        tokens.push(r.token);
    }
    let at = |h: u8, m: u8| {
        clock.set(datetime!(2026-08-05 00:00 +7) + time::Duration::minutes(i64::from(h) * 60 + i64::from(m)))
    };
    at(8, 10);
    queue::call_next_at(&mut store, &config, desk, &clock).unwrap();
    queue::act(&mut store, &config, desk, Action::Start, &clock).unwrap();
    at(8, 20);
    queue::act(&mut store, &config, desk, Action::Complete, &clock).unwrap();
    at(8, 25);
    queue::call_next_at(&mut store, &config, desk, &clock).unwrap();
    queue::act(&mut store, &config, desk, Action::Recall, &clock).unwrap();
    queue::act(&mut store, &config, desk, Action::Recall, &clock).unwrap();
    at(8, 30);
    queue::act(&mut store, &config, desk, Action::NoShow, &clock).unwrap();
    queue::call_next_at(&mut store, &config, desk, &clock).unwrap();
    queue::act(&mut store, &config, desk, Action::Start, &clock).unwrap();
    at(8, 40);
    queue::act(&mut store, &config, desk, Action::Complete, &clock).unwrap();
    let rate = |store: &mut Store, token: &str, level, reasons: &[&str], complaint: Option<&str>| {
        let sent = Sent {
            level,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            complaint: complaint.map(String::from),
        };
        rating::rate(store, &config, &Which::Token(token.to_string()), &sent, Source::Phone, &clock).unwrap();
    };
    rate(&mut store, &tokens[0], Level::VerySatisfied, &[], None);
    rate(&mut store, &tokens[2], Level::Dissatisfied, &["Thời gian chờ"], Some("Chờ 30 phút, quá lâu."));
    at(17, 30);
    assert_eq!(queue::close_day(&mut store, &config, &clock).unwrap(), ["A004"]);

    let file = r#"[
      {"code": "H99-260804-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh", "applicant_name": "Nguyễn Văn A", "received": "2026-08-04 09:30", "appointment": "2026-08-07 17:00", "status": 2},
      {"code": "H99-260804-0002", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh", "applicant_name": "Trần Thị B", "received": "2026-08-04 09:40", "appointment": "2026-08-07 17:00", "status": 2},
      {"code": "H99-260804-0003", "procedure_code": "2.000908", "procedure_name": "Chứng thực bản sao", "applicant_name": "Lê Văn C", "received": "2026-08-04 09:50", "appointment": "2026-08-07 17:00", "status": 2}
    ]"#;
    let records = motcua::interchange::dossiers::read("d.json", file).unwrap();
    let calendar = motcua::app::dossier::calendar(&config).unwrap();
    let none = |_: &str, _: u8| None;
    motcua::app::dossier::import(&mut store, &config, &records, &calendar, &none, "import", &clock).unwrap();
    let resolve = |store: &mut Store, code: &str, at: time::OffsetDateTime| {
        clock.set(at);
        motcua::app::dossier::set_status(store, code, Status::Done, "", &clock).unwrap().unwrap();
    };
    resolve(&mut store, "H99-260804-0001", datetime!(2026-08-06 10:00 +7));
    resolve(&mut store, "H99-260804-0002", datetime!(2026-08-07 16:00 +7));
    clock.set(datetime!(2026-08-07 15:00 +7));
    let apology = FormRequest {
        code: "H99-260804-0003".into(),
        form: Form::Apology,
        documents: vec![],
        reason: "Chờ xác minh".into(),
        appointment: Some("2026-08-12 16:00".into()),
    };
    forms::record(&mut store, desk, &apology, &clock).unwrap().unwrap();
    resolve(&mut store, "H99-260804-0003", datetime!(2026-08-10 09:00 +7));
    dir
}

fn report(dir: &tempfile::TempDir, args: &[&str]) -> String {
    let mut all = vec!["report", "--from", "2026-08-01", "--to", "2026-08-31"];
    all.extend_from_slice(args);
    let out = motcua(dir.path(), &all);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_scripted_day_reports_the_hand_computed_figures() {
    let dir = scripted_day();
    let r: Value = serde_json::from_str(&report(&dir, &["--by", "staff"])).unwrap();
    assert_eq!(r["period"], json!({"from": "2026-08-01", "to": "2026-08-31"}));
    assert_eq!(
        r["tickets"],
        json!({"issued": 4, "served": 2, "no_show": 1, "voided": 0, "transferred": 0, "closed_unserved": 1})
    );
    // Waits of the three called tickets: 10, 25, 30 minutes.
    assert_eq!(r["wait_minutes"], json!({"count": 3, "mean": 21.7, "median": 25.0, "p90": 30.0, "max": 30.0}));
    assert_eq!(r["within_target_pct"], 33.3, "one of three within 15 minutes");
    assert_eq!(r["service_minutes"]["mean"], 10.0);
    let d = &r["dossiers"];
    assert_eq!((d["received"].as_u64(), d["resolved"].as_u64()), (Some(3), Some(3)));
    assert_eq!((d["early"].as_u64(), d["on_time"].as_u64(), d["late"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(d["on_time_pct"], 66.7);
    assert_eq!((d["apologies_printed"].as_u64(), d["apologies_needed"].as_u64()), (Some(1), Some(1)));
    let s = &r["satisfaction"];
    assert_eq!(
        (s["ratings"].as_u64(), s["very_satisfied"].as_u64(), s["dissatisfied"].as_u64(), s["complaints"].as_u64()),
        (Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(s["reasons"], json!({"Thời gian chờ": 1}));
    // The dossiers were not received under the rated tickets: only the late one is unhappy, (3 − 1) ÷ 3.
    assert_eq!(s["rate_766_pct"], 66.7);
    assert_eq!(r["sentence"], "Từ 01/08/2026 đến 31/08/2026 đã tiếp nhận 3 hồ sơ, đã giải quyết 3, đúng hạn 66,7%");
    assert_eq!(r["busiest"][2][8], 4, "four tickets on Wednesday at 8");
    let by = r["by"].as_array().unwrap();
    assert_eq!(by.len(), 1);
    assert_eq!((by[0]["key"].as_str(), by[0]["tickets"]["served"].as_u64()), (Some("lan.nt"), Some(2)));
    assert_eq!(by[0]["satisfaction"]["ratings"], 2, "both ratings are Lan's");

    // The CSV says the same: the hall's row, then Lan's.
    let csv = report(&dir, &["--by", "staff", "--format", "csv"]);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    let cell = |row: usize, name: &str| rows[row][header.iter().position(|h| *h == name).unwrap()].to_string();
    assert_eq!(rows.len(), 3, "{csv}");
    assert_eq!(
        (cell(1, "group"), cell(1, "tickets_served"), cell(1, "wait_mean")),
        ("all".into(), "2".into(), "21.7".into())
    );
    assert_eq!((cell(1, "rate_766_pct"), cell(2, "group")), ("66.7".into(), "lan.nt".into()));

    // A period with nothing in it, and bad periods.
    let empty: Value = serde_json::from_str(&{
        let out = motcua(dir.path(), &["report", "--from", "2026-09-01", "--to", "2026-09-30"]);
        stdout(&out)
    })
    .unwrap();
    assert_eq!((empty["tickets"]["issued"].as_u64(), empty["dossiers"]["on_time_pct"].is_null()), (Some(0), true));
    let backwards = motcua(dir.path(), &["report", "--from", "2026-09-30", "--to", "2026-09-01"]);
    assert_eq!(backwards.status.code(), Some(2));
    assert!(stderr(&backwards).contains("ends before it starts"), "{}", stderr(&backwards));
    let junk = motcua(dir.path(), &["report", "--from", "30/09/2026", "--to", "2026-09-01"]);
    assert!(stderr(&junk).contains("is not a date like 2026-06-30"), "{}", stderr(&junk));
}
