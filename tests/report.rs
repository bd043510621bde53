//! The hall's report on a scripted day with hand-computed answers, through the real `motcua report` on a
//! database file: tickets served, no-shows and closed at closing, waits, counter-hours, ratings with
//! reasons and a complaint, dossiers early, on time and late (one re-appointed with form 04, still late), the
//! 766 rate and the inspection sentence; JSON, CSV, the spreadsheet and the page agree. Then a day across
//! the September holiday through a running hub: dossiers received at the counter, a rating from the
//! counter's tablet, and the leader's page in headless Chromium, printed on A4 and read back.

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
    // Lan works counter 1 from 08:00 to 11:00 with a pause 09:00–09:30: 2.5 counter-hours.
    let session = motcua::app::counter::open_session(&mut store, &config, Some(1), Some(lan), &clock).unwrap();
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
    at(9, 0);
    queue::set_paused(&mut store, &config, desk, true, &clock).unwrap();
    at(9, 30);
    queue::set_paused(&mut store, &config, desk, false, &clock).unwrap();
    at(11, 0);
    motcua::app::counter::logout(&mut store, &session.session, &clock).unwrap();
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
    assert_eq!((r["counter_hours"].as_f64(), r["served_per_counter_hour"].as_f64()), (Some(2.5), Some(0.8)));
    let d = &r["dossiers"];
    assert_eq!((d["received"].as_u64(), d["resolved"].as_u64()), (Some(3), Some(3)));
    assert_eq!((d["early"].as_u64(), d["on_time"].as_u64(), d["late"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(d["on_time_pct"], 66.7);
    assert_eq!((d["apologies_printed"].as_u64(), d["apologies_needed"].as_u64()), (Some(1), Some(1)));
    // Received Tuesday 08-04: resolved Thursday (2 working days), Friday (3), and Monday 08-10 (4).
    assert_eq!(d["avg_working_days"], 3.0);
    assert_eq!(
        r["procedures"][0],
        json!({"code": "1.001193", "received": 2, "resolved": 2, "late": 0,
                                          "on_time_pct": 100.0, "avg_working_days": 2.5})
    );
    assert_eq!(r["wait_by_hour"][8], 21.7);
    assert_eq!(r["daily"][0], json!({"day": "2026-08-04", "issued": 0, "served": 0, "received": 3, "resolved": 0}));
    assert_eq!(r["daily"][1], json!({"day": "2026-08-05", "issued": 4, "served": 2, "received": 0, "resolved": 0}));
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
    assert_eq!((cell(2, "counter_hours"), cell(2, "served_per_counter_hour")), ("2.5".into(), "0.8".into()));

    // Every CSV cell is the JSON's figure, for the hall and for Lan.
    let pointer = |column: &str| -> String {
        let (group, field) = match column.split_once('_') {
            Some(("tickets", f)) => ("tickets", f.to_string()),
            Some(("wait", f)) => ("wait_minutes", f.to_string()),
            Some(("dossiers", f)) => ("dossiers", f.to_string()),
            _ if [
                "ratings",
                "very_satisfied",
                "satisfied",
                "neutral",
                "dissatisfied",
                "complaints",
                "rate_766_pct",
            ]
            .contains(&column) =>
            {
                ("satisfaction", column.to_string())
            }
            _ => ("", column.to_string()),
        };
        if group.is_empty() {
            format!("/{field}")
        } else {
            format!("/{group}/{field}")
        }
    };
    for (row, json_row) in [(1, &r), (2, &by[0])] {
        for name in header.iter().skip(1) {
            let want = json_row.pointer(&pointer(name)).unwrap_or_else(|| panic!("{name} in the JSON"));
            let want = if want.is_null() { String::new() } else { want.to_string() };
            let want = want.strip_suffix(".0").map(String::from).unwrap_or(want);
            assert_eq!(cell(row, name), want, "row {row}, {name}");
        }
    }

    // The spreadsheet, read back, holds the CSV's figures as numbers, cell for cell.
    let xlsx = dir.path().join("thang-8.xlsx");
    let wrote = motcua(
        dir.path(),
        &["report", "--from", "2026-08-01", "--to", "2026-08-31", "--by", "staff", "--format", "xlsx", "-o"],
    );
    assert_eq!(wrote.status.code(), Some(2), "a spreadsheet needs a file: {}", stderr(&wrote));
    report(&dir, &["--by", "staff", "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("Báo cáo").unwrap();
    for (r, csv_row) in rows.iter().enumerate().skip(1) {
        for (c, csv_cell) in csv_row.iter().enumerate() {
            let read = match sheet.get((r, c)) {
                Some(Data::Float(x)) => x.to_string(),
                Some(Data::String(s)) => s.clone(),
                Some(Data::Int(x)) => x.to_string(),
                Some(Data::Empty) | None => String::new(),
                Some(other) => format!("{other:?}"),
            };
            assert_eq!(read, *csv_cell, "row {r}, column {}", header[c]);
        }
    }
    let procedures = book.worksheet_range("Thủ tục").unwrap();
    assert_eq!(procedures.get((1, 0)), Some(&Data::String("1.001193".into())));
    assert_eq!(procedures.get((1, 5)), Some(&Data::Float(2.5)));

    // The page: one file with its style, the sentence, the four charts, names instead of codes.
    let html = report(&dir, &["--format", "html"]);
    assert!(html.starts_with("<!doctype html>") && html.contains("<style>"), "{}", &html[..200]);
    assert!(html.contains("đã tiếp nhận 3 hồ sơ, đã giải quyết 3, đúng hạn 66,7%"));
    assert_eq!(html.matches("<svg").count(), 4, "four charts");
    assert!(html.contains("<td>2,5</td>"), "counter-hours, Vietnamese decimals");
    assert!(!html.contains("<script"), "no script");

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

/// Posts a form as a browser does, without following the redirect: (status, Set-Cookie values, body).
fn post_form(url: &str, body: &str) -> (u16, Vec<String>, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let mut r =
        agent.post(url).header("Content-Type", "application/x-www-form-urlencoded").send(body.as_bytes()).unwrap();
    let cookies = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    (r.status().as_u16(), cookies, r.body_mut().read_to_string().unwrap())
}

/// Monday 2026-08-31, before the September holiday (1 and 2 September off): Lan receives two dossiers for
/// "Đăng ký tạm trú" (3 working days) at counter 1, so both are due Monday 09-07, not Thursday 09-03. One
/// is resolved Friday 09-04 (early, 2 working days), one Tuesday 09-08 (late, 4 working days). The citizen
/// of the first rates it "Hài lòng" on the counter's tablet. The leader reads it all on `/bao-cao`.
#[test]
fn a_day_across_the_september_holiday_through_the_hub_and_the_leaders_page() {
    use common::hub::{agent, open_all_day, start_with};
    let config = open_all_day(Config::default());
    let th = start_with(config.clone(), datetime!(2026-08-31 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &clock()).unwrap();
        let c = ManualClock::new(datetime!(2026-08-31 07:00 +7));
        motcua::app::staff::add(store, &config, "lan.nt", "Nguyễn Thị Lan", "counter", "246813", &c).unwrap();
        motcua::app::staff::add(store, &config, "hung.pv", "Phạm Văn Hùng", "leader", "mùa thu Hà Nội", &c).unwrap();
    });
    let at = |h: i64, m: i64| th.clock.set(datetime!(2026-08-31 00:00 +7) + time::Duration::minutes(h * 60 + m));
    let lan = th.post(
        "/api/v1/counter/login",
        None,
        json!({"counter": 1, "username": "lan.nt", "pin": "246813", "bearer": true}),
    );
    assert_eq!(lan.status, 200, "{}", lan.messages());
    let lan = lan.json["session"].as_str().unwrap().to_string();
    let press = |what: &str| {
        let a = th.post(&format!("/api/v1/counter/{what}"), Some(&lan), json!({}));
        assert!(a.status < 300, "{what}: {}", a.messages());
        a
    };
    let first = th.take("HT", None)["ticket"]["number"].as_str().unwrap().to_string();
    th.take("HT", None);
    let receive = || {
        let a = th.post(
            "/api/v1/counter/dossier",
            Some(&lan),
            json!({"procedure_code": "1.004194", "applicant_name": "Đỗ Thị Ánh", "documents": ["Tờ khai"]}),
        );
        assert_eq!(a.status, 200, "{}", a.messages());
        (a.json["code"].as_str().unwrap().to_string(), a.json["appointment"].as_str().unwrap().to_string())
    };
    at(8, 10);
    press("next");
    press("start");
    let (early, due) = receive();
    assert_eq!(due, "08 giờ 10 phút, ngày 07/09/2026", "3 working days, 1 and 2 September off");
    at(8, 20);
    press("complete");

    // The counter's tablet: paired with a code from the console, it rates what counter 1 just finished.
    let code = press("tablet-code").json["code"].as_str().unwrap().to_string();
    let paired = th.post("/api/v1/tablet/pair", None, json!({"counter": 1, "code": code}));
    assert_eq!(paired.status, 200, "{}", paired.messages());
    let cookie = paired.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    let csrf = paired.json["csrf"].as_str().unwrap().to_string();
    let rated = agent()
        .post(&th.url("/api/v1/ratings"))
        .header("Cookie", &cookie)
        .header("X-CSRF-Token", &csrf)
        .send_json(json!({"number": first, "level": "satisfied"}))
        .unwrap();
    assert!(rated.status().is_success(), "{}", rated.status());

    at(9, 30);
    press("pause");
    at(10, 0);
    press("resume");
    at(10, 5);
    press("next");
    press("start");
    let (late, _) = receive();
    at(10, 15);
    press("complete");
    at(11, 0);
    press("logout");
    let resolve = |code: &str, at: time::OffsetDateTime| {
        th.clock.set(at);
        let code = code.to_string();
        th.hub
            .change(move |store, _, clock| {
                Ok(motcua::app::dossier::set_status(store, &code, Status::Done, "", clock).unwrap().unwrap())
            })
            .unwrap();
    };
    resolve(&early, datetime!(2026-09-04 10:00 +7));
    resolve(&late, datetime!(2026-09-08 10:00 +7));

    // The leader's API: the same figures the page shows.
    let hung = th.post(
        "/api/v1/staff/login",
        None,
        json!({"username": "hung.pv", "password": "mùa thu Hà Nội", "bearer": true}),
    );
    let hung = hung.json["session"].as_str().unwrap().to_string();
    let r = th.get("/api/v1/reports?from=2026-08-31&to=2026-09-30", Some(&hung));
    assert_eq!(r.status, 200, "{}", r.messages());
    let r = r.json;
    assert_eq!((r["tickets"]["issued"].as_u64(), r["tickets"]["served"].as_u64()), (Some(2), Some(2)));
    assert_eq!((r["counter_hours"].as_f64(), r["served_per_counter_hour"].as_f64()), (Some(2.5), Some(0.8)));
    assert_eq!(r["wait_by_hour"][8], 67.5, "waits of 10 and 125 minutes, both taken at 8");
    let d = &r["dossiers"];
    assert_eq!(
        (d["received_at_counter"].as_u64(), d["early"].as_u64(), d["on_time"].as_u64(), d["late"].as_u64()),
        (Some(2), Some(1), Some(0), Some(1))
    );
    assert_eq!((d["on_time_pct"].as_f64(), d["avg_working_days"].as_f64()), (Some(50.0), Some(3.0)));
    assert_eq!(
        r["procedures"],
        json!([{"code": "1.004194", "received": 2, "resolved": 2, "late": 1,
                                         "on_time_pct": 50.0, "avg_working_days": 3.0}])
    );
    let s = &r["satisfaction"];
    assert_eq!((s["ratings"].as_u64(), s["satisfied"].as_u64()), (Some(1), Some(1)), "the tablet's rating counts");
    assert_eq!(s["rate_766_pct"], 50.0, "the late dossier is the unhappy one");
    assert_eq!(r["sentence"], "Từ 31/08/2026 đến 30/09/2026 đã tiếp nhận 2 hồ sơ, đã giải quyết 2, đúng hạn 50%");

    // The page asks a counter account to log in as a leader, and refuses it with a clear message.
    let (status, cookies, body) = post_form(&th.url("/bao-cao/dang-nhap"), "username=lan.nt&password=246813");
    assert_eq!(status, 403);
    assert!(body.contains("Tài khoản này không được xem báo cáo.") && cookies.is_empty(), "{body}");
    let (status, _, body) = post_form(&th.url("/bao-cao/dang-nhap"), "username=hung.pv&password=sai");
    assert_eq!(status, 401);
    assert!(body.contains("class=\"login\""), "the form again: {body}");

    let Some(browser) = common::browser::Browser::start("the_leaders_page") else { return };
    browser.open(&th.url("/bao-cao"));
    browser.fill("input[name=username]", "hung.pv");
    browser.fill("input[name=password]", "mùa thu Hà Nội");
    browser.click(".login button");
    // Without a period: this month so far (the hub's clock says 8 September).
    browser.wait_text(".sentence", "this month's sentence", |t| t.starts_with("Từ 01/09/2026 đến 08/09/2026"));
    browser.js("document.querySelector('input[name=from]').value = '2026-08-31'; \
         document.querySelector('input[name=to]').value = '2026-09-30'; \
         document.querySelector('select[name=by]').value = 'staff'; \
         document.querySelector('form.bar').submit(); return true");
    browser.wait_text(".sentence", "the chosen period", |t| {
        t == "Từ 31/08/2026 đến 30/09/2026 đã tiếp nhận 2 hồ sơ, đã giải quyết 2, đúng hạn 50%"
    });
    assert_eq!(browser.js("return document.querySelectorAll('figure svg').length"), json!(4), "four charts");
    let text = browser.text("main");
    assert!(text.contains("Đăng ký tạm trú (1.004194)") && text.contains("Nguyễn Thị Lan (lan.nt)"), "{text}");
    browser.screenshot("bao-cao.png");
    let (printed, pages) = browser.print_a4();
    let printed = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(printed.contains("đã tiếp nhận 2 hồ sơ, đã giải quyết 2, đúng hạn 50%"), "{printed}");
    assert!(printed.contains("Tỷ lệ hài lòng (Quyết định 766)"), "{printed}");
    assert!(!printed.contains("Xem báo cáo"), "the period picker is not printed");
    assert!(pages <= 4, "{pages} A4 pages");
    browser.click(".who button");
    browser.wait_js("the login form again", "return !!document.querySelector('.login')");
    let after = agent().get(&th.url("/api/v1/reports?from=2026-08-31&to=2026-09-30")).call().unwrap();
    assert_eq!(after.status(), 401);
}
