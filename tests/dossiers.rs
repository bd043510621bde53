//! Dossiers: import from a file with the real binary (all or nothing, idempotent by code), and over HTTP on
//! loopback: the public answer to a code shows nothing personal, details need the token or the phone's
//! last four digits, wrong digits answer like an unknown code, guessing is rate-limited per code and per
//! client (a kiosk has its own allowance), and the back office's live updates need an integration token.

mod common;
#[path = "common/escpos.rs"]
mod escpos;

use common::hub::{open_all_day, start_with, TestHub};
use common::*;
use motcua::config::Config;
use serde_json::{json, Value};
use time::macros::datetime;

const FILE: &str = r#"[
  {"code": "H99-260804-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
   "channel": 1, "applicant_name": "Nguyễn Văn Hải", "applicant_phone": "0912 345 678",
   "received": "2026-08-04 09:30", "appointment": "2026-08-07 09:30", "status": 4,
   "documents": ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"]},
  {"code": "H99-260804-0002", "procedure_code": "2.000908", "procedure_name": "Chứng thực bản sao từ bản chính",
   "received": "2026-08-04 10:00", "status": 5, "note": "Bổ sung bản chính căn cước"}
]"#;

#[test]
fn import_is_all_or_nothing_and_idempotent_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dossiers.json", FILE);
    let file = file.to_str().unwrap();
    let dry = motcua(dir.path(), &["dossier", "import", "--dry-run", file]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("2 dossier(s), no problems found"));
    let shown = motcua(dir.path(), &["dossier", "show", "H99-260804-0001"]);
    assert_eq!(shown.status.code(), Some(2), "a dry run imports nothing");

    let first = motcua(dir.path(), &["dossier", "import", file]);
    assert!(stdout(&first).contains("2 added, 0 changed, 0 unchanged"), "{}{}", stdout(&first), stderr(&first));
    let again = motcua(dir.path(), &["dossier", "import", file]);
    assert!(stdout(&again).contains("0 added, 0 changed, 2 unchanged"), "{}", stdout(&again));
    let changed = write(dir.path(), "changed.json", &FILE.replace("\"status\": 4", "\"status\": 9"));
    let out = motcua(dir.path(), &["dossier", "import", changed.to_str().unwrap()]);
    assert!(stdout(&out).contains("0 added, 1 changed, 1 unchanged"), "{}", stdout(&out));

    // What the kiosk and phones see for the code alone: status and appointment; not the procedure,
    // nothing personal.
    let shown = motcua(dir.path(), &["dossier", "show", "h99-260804-0001"]);
    let status: Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(status["status"], 9);
    assert_eq!(status["status_vi"], "Đã xử lý xong");
    assert_eq!(status["appointment"], "09 giờ 30 phút, ngày 07/08/2026");
    let text = stdout(&shown);
    assert!(!text.contains("Nguyễn") && !text.contains("345") && !text.contains("khai sinh"), "{text}");

    // A file with one bad record imports nothing, and says where.
    let bad = FILE.replace("\"H99-260804-0002\"", "\"H99-260804-0003\"").replace("\"status\": 5", "\"status\": 12");
    let bad = write(dir.path(), "bad.json", &bad);
    let out = motcua(dir.path(), &["dossier", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.json:6: status: 12 is not a national status code"), "{}", stderr(&out));
    assert_eq!(motcua(dir.path(), &["dossier", "show", "H99-260804-0003"]).status.code(), Some(2));
}

#[test]
fn an_appointment_missing_from_the_file_comes_from_the_procedure_and_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    // Khai sinh (1.001193) in the demo catalog: the same day, or the next working day when received after
    // 15:00. Received on the Friday before Tết 2026 at 15:30: due when the offices reopen on 23 February.
    let record = r#"[{"code": "H99-260213-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
        "received": "2026-02-13 15:30", "status": 2}]"#;
    let file = write(dir.path(), "tet.json", record);
    let out = motcua(dir.path(), &["dossier", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: Value =
        serde_json::from_str(&stdout(&motcua(dir.path(), &["dossier", "show", "H99-260213-0001"]))).unwrap();
    assert_eq!(shown["appointment"], "17 giờ 00 phút, ngày 23/02/2026");
    assert_eq!(shown["provisional"], false);
}

fn hub() -> (TestHub, String) {
    let config = open_all_day(Config::default());
    let th = start_with(config, datetime!(2026-08-05 10:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &clock()).unwrap();
    });
    let token = th
        .hub
        .change(|store, _, clock| motcua::app::counter::add_device(store, "backoffice", "integration", clock))
        .unwrap();
    (th, token)
}

fn record(name: &str, phone: &str, status: u8) -> Value {
    json!({"procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh", "applicant_name": name,
           "applicant_phone": phone, "received": "2026-08-04 09:30", "appointment": "2026-08-07 09:30",
           "status": status, "documents": ["Giấy chứng sinh"]})
}

#[test]
fn the_back_office_sends_dossiers_and_statuses_with_its_token_only() {
    let (th, backoffice) = hub();
    let path = "/api/v1/dossiers/H99-260804-0001";
    let refused = th.put(path, Some(&th.kiosk_token), record("Nguyễn Văn Hải", "0912345678", 2));
    assert_eq!(refused.status, 403, "{}", refused.messages());
    assert_eq!(th.get(path, None).status, 404, "nothing was written");
    let added = th.put(path, Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 2));
    assert_eq!((added.status, added.json["added"].as_u64()), (200, Some(1)), "{}", added.messages());
    let same = th.put(path, Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 2));
    assert_eq!(same.json["unchanged"], 1);
    let invalid = th.put(
        path,
        Some(&backoffice),
        json!({"procedure_code": "x", "procedure_name": "y",
        "received": "soon", "status": 2}),
    );
    assert_eq!(invalid.status, 422);
    assert!(invalid.messages().contains("received"), "{}", invalid.messages());
    let bad_code = th.put("/api/v1/dossiers/not-a-code", Some(&backoffice), record("A", "0912345678", 2));
    assert_eq!(bad_code.status, 422);

    let note = "Bổ sung bản chính giấy chứng sinh";
    let st = th.post(&format!("{path}/status"), Some(&backoffice), json!({"status": 5, "note": note}));
    assert_eq!((st.status, st.json["status_vi"].as_str()), (200, Some("Yêu cầu bổ sung giấy tờ")), "{}", st.messages());
    let by_kiosk = th.post(&format!("{path}/status"), Some(&th.kiosk_token), json!({"status": 9}));
    assert_eq!(by_kiosk.status, 403);
    let out_of_range = th.post(&format!("{path}/status"), Some(&backoffice), json!({"status": 11}));
    assert_eq!(out_of_range.status, 422);

    // The details (with the phone's last digits) carry the timeline and its note, the name masked.
    let d = th.post(&format!("{path}/verify"), None, json!({"phone_last4": "5678"}));
    assert_eq!(d.status, 200, "{}", d.messages());
    assert_eq!(d.json["applicant"], "Nguyễn V*** H***");
    let steps: Vec<&str> =
        d.json["timeline"].as_array().unwrap().iter().map(|s| s["status_vi"].as_str().unwrap()).collect();
    assert_eq!(steps, ["Được tiếp nhận", "Yêu cầu bổ sung giấy tờ"]);
    assert_eq!(d.json["timeline"][1]["note"], note);
    assert!(!d.json.to_string().contains("0912"), "the phone never leaves the hub");
}

#[test]
fn a_code_alone_shows_nothing_personal_and_wrong_digits_look_like_an_unknown_code() {
    let (th, backoffice) = hub();
    th.put("/api/v1/dossiers/H99-260804-0001", Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 4));
    th.put("/api/v1/dossiers/H99-260804-0002", Some(&backoffice), record("Trần Thị Bích", "", 4));
    let public = th.get("/api/v1/dossiers/h99-260804-0001", None);
    assert_eq!(public.status, 200);
    assert_eq!(public.json["status_vi"], "Đang xử lý");
    let text = public.json.to_string();
    for private in ["Nguyễn", "Hải", "0912", "5678", "timeline", "token", "Giấy chứng sinh", "procedure", "khai sinh"]
    {
        assert!(!text.contains(private), "{private} in {text}");
    }
    let wrong = th.post("/api/v1/dossiers/H99-260804-0001/verify", None, json!({"phone_last4": "1111"}));
    let unknown = th.post("/api/v1/dossiers/H99-260804-0999/verify", None, json!({"phone_last4": "1111"}));
    let no_phone = th.post("/api/v1/dossiers/H99-260804-0002/verify", None, json!({"phone_last4": "1111"}));
    assert_eq!((wrong.status, unknown.status, no_phone.status), (404, 404, 404));
    assert_eq!(wrong.json, unknown.json, "the same answer whether the code exists or not");
    assert_eq!(wrong.json, no_phone.json);
    // The token (the dossier's own QR) shows the details; the page is small and has no scripts.
    let d = th.post("/api/v1/dossiers/H99-260804-0001/verify", None, json!({"phone_last4": "5678"}));
    let token = th
        .hub
        .change(|store, _, _| Ok(motcua::store::dossier::by_code(store.conn(), "H99-260804-0001")?.unwrap().token))
        .unwrap();
    let by_token = th.get(&format!("/api/v1/d/{token}"), None);
    assert_eq!(by_token.json, d.json);
    let page =
        common::hub::agent().get(&th.url(&format!("/d/{token}"))).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(
        page.contains("Đang xử lý")
            && page.contains("Nguyễn V*** H***")
            && page.contains("09 giờ 30 phút, ngày 07/08/2026")
    );
    assert!(!page.contains("<script") && !page.contains("0912") && page.len() < 8_000, "{} bytes", page.len());
    assert_eq!(th.get("/api/v1/d/0123456789abcdef0123456789abcdef", None).status, 404);
}

#[test]
fn guessing_digits_or_walking_codes_is_rate_limited_without_locking_out_the_kiosk() {
    let (th, backoffice) = hub();
    th.put("/api/v1/dossiers/H99-260804-0001", Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 4));
    let verify = |code: &str, digits: &str, auth: Option<&str>| {
        th.post(&format!("/api/v1/dossiers/{code}/verify"), auth, json!({"phone_last4": digits})).status
    };
    // Five tries at a code from one client, however the code is written; then that client is done with
    // the code, but the owner (here at the kiosk) still gets in with the right digits.
    for (code, guess) in [
        ("H99-260804-0001", "0000"),
        ("h99-260804-1", "1111"),
        ("H99-260804-01", "2222"),
        ("H99-260804-000001", "3333"),
        ("h99-260804-0001", "4444"),
    ] {
        assert_eq!(verify(code, guess, None), 404);
    }
    assert_eq!(verify("H99-260804-001", "5678", None), 429, "the guesser is done with this code");
    assert_eq!(verify("H99-260804-0001", "5678", Some(&th.kiosk_token)), 200, "the owner is not locked out");
    // Walking through codes from one address: 20 checks in all (5 made above), then refused.
    let mut statuses = Vec::new();
    for n in 2..=30 {
        statuses.push(verify(&format!("H99-260804-{n:04}"), "1234", None));
    }
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(statuses.iter().filter(|s| **s == 404).count(), 15, "{statuses:?}");
    assert_eq!(refused, 14, "{statuses:?}");
    assert!(statuses[..15].iter().all(|s| *s == 404), "refusals come after the allowance: {statuses:?}");
    // The kiosk has its own allowance: the refused address does not stop it.
    assert_eq!(verify("H99-260804-0031", "1234", Some(&th.kiosk_token)), 404);
}

#[test]
fn parallel_guesses_are_counted_before_reading_and_a_day_cannot_be_listed() {
    let (th, backoffice) = hub();
    th.put("/api/v1/dossiers/H99-260804-0001", Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 4));
    // 20 guesses at once from one address: five are checked, the rest refused before any read.
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let th = &th;
        let all: Vec<_> = (0..20)
            .map(|i| {
                s.spawn(move || {
                    let body = json!({"phone_last4": format!("{:04}", 1000 + i)});
                    th.post("/api/v1/dossiers/H99-260804-0001/verify", None, body).status
                })
            })
            .collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|s| **s == 404).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15, "{statuses:?}");
    // The owner, from the kiosk, is not locked out by them.
    let owner =
        th.post("/api/v1/dossiers/H99-260804-0001/verify", Some(&th.kiosk_token), json!({"phone_last4": "5678"}));
    assert_eq!(owner.status, 200);

    // Walking a day's codes: 60 lookups per address in 15 minutes, counted however many arrive at once.
    // The one dossier that exists is looked up first, so which lookups are refused does not matter.
    assert_eq!(th.get("/api/v1/dossiers/H99-260804-0001", None).status, 200, "the one dossier that exists");
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let th = &th;
        let all: Vec<_> = (2..=70)
            .map(|n| s.spawn(move || th.get(&format!("/api/v1/dossiers/H99-260804-{n:04}"), None).status))
            .collect();
        all.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 404).count(), 59, "{statuses:?}");
    let refused = th.get("/api/v1/dossiers/H99-260804-0001", None);
    assert_eq!(refused.status, 429);
    assert!(refused.messages().contains("15 phút"), "{}", refused.messages());
    // The kiosk has its own, larger allowance.
    assert_eq!(th.get("/api/v1/dossiers/H99-260804-0001", Some(&th.kiosk_token)).status, 200);
    th.clock.advance(time::Duration::minutes(15));
    assert_eq!(th.get("/api/v1/dossiers/H99-260804-0001", None).status, 200, "a new window");
}

#[test]
fn a_dossier_received_at_the_counter_follows_the_ticket_qr() {
    let (th, _) = hub();
    let ticket = th.take("HT", None);
    let token = ticket["token"].as_str().unwrap().to_string();
    let page = |th: &TestHub| {
        common::hub::agent().get(&th.url(&format!("/t/{token}"))).call().unwrap().body_mut().read_to_string().unwrap()
    };
    assert!(page(&th).contains("Đang chờ đến lượt"));
    let session = th.login(1);
    let receive = |body: Value| th.post("/api/v1/counter/dossier", Some(&session), body);
    let birth = json!({"procedure_code": "1.001193", "applicant_name": "  Nguyễn  Văn Hải ",
                       "applicant_phone": "0912 345 678", "documents": ["Giấy chứng sinh"]});
    let early = receive(birth.clone());
    assert_eq!(early.status, 409, "nobody called yet");
    assert!(early.messages().starts_with("Quầy chưa gọi số nào"), "{}", early.messages());

    let called = th.post("/api/v1/counter/next", Some(&session), json!({}));
    assert_eq!(called.json["ticket"]["number"], ticket["ticket"]["number"]);
    let got = receive(birth.clone());
    assert_eq!(got.status, 200, "{}", got.messages());
    assert_eq!(got.json["code"], "000.00.00.H99-260805-0001");
    // Khai sinh: the same day when received before 15:00.
    assert_eq!(got.json["appointment"], "17 giờ 00 phút, ngày 05/08/2026");
    assert_eq!(got.json["received"], "10 giờ 00 phút, ngày 05/08/2026");
    // The receipt came out of the counter's printer (here the virtual printer): code, barcode, QR.
    assert_eq!(got.json["outcome"], "printed", "{}", got.json);
    let bins: Vec<_> = std::fs::read_dir(th.dir.path().join("prints"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    assert_eq!(bins.len(), 2, "two copies: {bins:?}");
    let mut bins = bins;
    bins.sort();
    let paper = escpos::decode(&std::fs::read(&bins[1]).unwrap());
    // Long lines wrap at spaces: joined with spaces, the sentences read whole again.
    let text = paper.lines.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join(" ");
    assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ") && text.contains("Mã hồ sơ: 000.00.00.H99-260805-0001"), "{text}");
    assert!(text.contains("Ông/Bà Nguyễn V*** H***") && text.contains("1. Giấy chứng sinh"), "{text}");
    assert!(text.contains("Thời gian trả kết quả: 17 giờ 00 phút, ngày 05/08/2026"), "{text}");
    assert!(text.contains("Liên 2: Giao người nộp hồ sơ") && text.contains("Ngày 05 tháng 08 năm 2026"), "{text}");
    let token = got.json["token"].as_str().unwrap();
    assert_eq!(paper.qr, [format!("http://127.0.0.1:8080/d/{token}")]);
    let second = receive(json!({"procedure_code": "2.000908", "applicant_name": "Trần Thị Bích"}));
    assert_eq!(second.json["code"], "000.00.00.H99-260805-0002", "{}", second.messages());
    let unknown = receive(json!({"procedure_code": "9.999999", "applicant_name": "A"}));
    assert_eq!(unknown.status, 409);
    let no_name = receive(json!({"procedure_code": "1.001193", "applicant_name": " "}));
    assert_eq!(no_name.status, 409);

    // The ticket's QR now follows the latest dossier received under it.
    let html = page(&th);
    assert!(html.contains("Hồ sơ của bạn đã được tiếp nhận"), "{html}");
    assert!(html.contains("000.00.00.H99-260805-0002") && html.contains("Được tiếp nhận"), "{html}");
    assert!(!html.contains("Trần Thị") && !html.contains("<script"), "{html}");
    // The first dossier keeps its own token, whose page has the masked name.
    let own = th.get(&format!("/api/v1/d/{}", got.json["token"].as_str().unwrap()), None);
    assert_eq!(own.json["applicant"], "Nguyễn V*** H***");
    assert_eq!(own.json["documents"], json!(["Giấy chứng sinh"]));
}

#[test]
fn names_and_phones_are_cleared_after_the_result_is_handed_over_and_stay_cleared() {
    use motcua::app::dossier;
    use motcua::domain::clock::FixedClock;
    let mut store = motcua::store::Store::open_in_memory().unwrap();
    let config = Config::default();
    let calendar = dossier::calendar(&config).unwrap();
    let none = |_: &str, _: u8| None;
    let records = motcua::interchange::dossiers::read("d.json", FILE).unwrap();
    let at = |d: time::OffsetDateTime| FixedClock(d);
    dossier::import(&mut store, &config, &records, &calendar, &none, "import", &at(datetime!(2026-08-05 10:00 +7)))
        .unwrap();
    // Handed over on 6 August.
    let handed = at(datetime!(2026-08-06 09:00 +7));
    dossier::set_status(&mut store, "H99-260804-0001", motcua::domain::dossier::Status::Returned, "", &handed).unwrap();
    assert_eq!(dossier::purge(&store, &config, &at(datetime!(2026-09-04 10:00 +7))).unwrap(), 0, "29 days later");
    assert!(dossier::verify(&store, "H99-260804-0001", "5678", &handed).unwrap().is_some());
    assert_eq!(dossier::purge(&store, &config, &at(datetime!(2026-09-06 10:00 +7))).unwrap(), 1, "31 days later");
    assert!(dossier::verify(&store, "H99-260804-0001", "5678", &handed).unwrap().is_none(), "no phone any more");
    let row = motcua::store::dossier::by_code(store.conn(), "H99-260804-0001").unwrap().unwrap();
    assert_eq!((row.applicant_name, row.applicant_phone), (None, None));
    let d = dossier::by_token(&store, &row.token, &handed).unwrap().unwrap();
    assert_eq!(d.applicant, "");
    assert_eq!(d.public.status_vi, "Đã trả kết quả");
    // The back office sending it again does not bring the name back.
    dossier::import(&mut store, &config, &records, &calendar, &none, "import", &at(datetime!(2026-09-07 10:00 +7)))
        .unwrap();
    let row = motcua::store::dossier::by_code(store.conn(), "H99-260804-0001").unwrap().unwrap();
    assert_eq!(row.applicant_name, None);
}

#[test]
fn a_receipt_that_cannot_print_leaves_the_dossier_and_tells_the_counter_and_the_console() {
    let mut config = open_all_day(Config::default());
    let mut printer = config.printers["kiosk"].clone();
    printer.target = "virtual?state=paper_out".into();
    config.printers.insert("quay1".into(), printer);
    config.counters[0].printer = "quay1".into();
    let th = start_with(config, datetime!(2026-08-05 14:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &clock()).unwrap();
    });
    th.take("HT", None);
    let session = th.login(1);
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    let got = th.post(
        "/api/v1/counter/dossier",
        Some(&session),
        json!({"procedure_code": "1.001193", "applicant_name": "Lê Văn Tám", "applicant_phone": "0987654321"}),
    );
    assert_eq!(got.status, 200, "{}", got.messages());
    assert_eq!((got.json["outcome"].as_str(), got.json["printer"].as_str()), (Some("not-printed"), Some("quay1")));
    assert!(got.json["detail"].as_str().unwrap().contains("paper out"), "{}", got.json);
    let code = got.json["code"].as_str().unwrap();
    assert_eq!(th.get(&format!("/api/v1/dossiers/{code}"), None).json["status_vi"], "Được tiếp nhận");
    // The console's printer list shows the counter's printer out of paper.
    let printers = th.get("/api/v1/printers", Some(&session)).json;
    let quay1 = printers.as_array().unwrap().iter().find(|p| p["device"] == "Quầy 1").unwrap();
    assert_eq!(quay1["state"], "paper-out");
}

#[test]
fn dossier_codes_count_per_day_or_per_year_as_configured() {
    for (reset, next_day_code) in [("daily", "H99.01-260806-0001"), ("yearly", "H99.01-260806-0002")] {
        let mut config = open_all_day(Config::default());
        config.dossiers.sequence_reset = reset.into();
        config.dossiers.agency_code = "h99.01".into();
        let th = start_with(config, datetime!(2026-08-05 09:00 +7), |store| {
            motcua::app::catalog::seed_demo(store, &clock()).unwrap();
        });
        let receive = || {
            // A new login each time: sessions end overnight.
            let session = th.login(1);
            th.take("HT", None);
            th.post("/api/v1/counter/next", Some(&session), json!({}));
            let r = th.post(
                "/api/v1/counter/dossier",
                Some(&session),
                json!({"procedure_code": "1.001193", "applicant_name": "Phạm Thị Ngọc"}),
            );
            assert_eq!(r.status, 200, "{}", r.messages());
            r.json["code"].as_str().unwrap().to_string()
        };
        assert_eq!(receive(), "H99.01-260805-0001");
        th.clock.advance(time::Duration::days(1));
        assert_eq!(receive(), next_day_code, "{reset}");
    }
}

#[test]
fn an_announced_year_replaces_the_provisional_one_and_a_broken_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let calendars = dir.path().join("calendar");
    std::fs::create_dir(&calendars).unwrap();
    let config = write(dir.path(), "motcua.toml", &format!("[dossiers]\ncalendar_dir = \"{}\"\n", calendars.display()));
    let config = config.to_str().unwrap();
    // Received on Friday 5 February 2027 after 15:00: the built-in 2027 (provisional) has Tết from that
    // day; the announced one here has Tết from Monday 8 February only.
    let record = r#"[{"code": "H99-270205-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
        "received": "2027-02-04 15:30", "status": 2}]"#;
    let file = write(dir.path(), "d.json", record);
    let import =
        |data: &str| motcua(&dir.path().join(data), &["--config", config, "dossier", "import", file.to_str().unwrap()]);
    let show = |data: &str| -> Value {
        let out = motcua(&dir.path().join(data), &["--config", config, "dossier", "show", "H99-270205-0001"]);
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let out = import("a");
    assert!(out.status.success(), "{}", stderr(&out));
    let built_in = show("a");
    assert_eq!(built_in["provisional"], true);
    assert_eq!(built_in["appointment"], "17 giờ 00 phút, ngày 12/02/2027");

    write(
        &calendars,
        "2027.toml",
        "year = 2027\nstatus = \"official\"\nsource = \"the announcement\"\n\
        [[off]]\nfrom = \"2027-02-08\"\nto = \"2027-02-12\"\nname = \"Tết Nguyên đán\"\n",
    );
    assert!(import("b").status.success());
    let announced = show("b");
    assert_eq!(announced["provisional"], false);
    assert_eq!(announced["appointment"], "17 giờ 00 phút, ngày 05/02/2027");

    write(&calendars, "2027.toml", "year = 2027\nstatus = \"maybe\"\nsource = \"s\"\n");
    let broken = import("c");
    assert!(!broken.status.success());
    let err = stderr(&broken);
    assert!(err.contains("2027.toml") && err.contains("status \"maybe\""), "{err}");
}

#[test]
fn a_kiosk_on_another_machine_looks_dossiers_up_through_the_hub() {
    use motcua::app::queue::Issuer;
    let (th, backoffice) = hub();
    th.put("/api/v1/dossiers/H99-260804-0001", Some(&backoffice), record("Nguyễn Văn Hải", "0912345678", 4));
    let remote = motcua::hub::client::RemoteHub::new(&th.url(""), &th.kiosk_token);
    let public = remote.dossier("h99-260804-0001").unwrap().unwrap();
    assert_eq!(public.status_vi, "Đang xử lý");
    assert_eq!(remote.dossier("H99-260804-0009").unwrap(), None);
    assert_eq!(remote.dossier("not a code").unwrap(), None, "nothing malformed goes into the path");
    assert_eq!(remote.dossier_verify("H99-260804-0001", "0000").unwrap(), None);
    let details = remote.dossier_verify("H99-260804-0001", "5678").unwrap().unwrap();
    assert_eq!(details.applicant, "Nguyễn V*** H***");
    assert_eq!(remote.dossier_details(&details.token).unwrap().unwrap().public.code, "H99-260804-0001");
    assert_eq!(remote.dossier_details("../../etc").unwrap(), None);
}

/// The newest virtual print's text, lines joined.
fn last_print(th: &TestHub) -> String {
    let mut bins: Vec<_> = std::fs::read_dir(th.dir.path().join("prints"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    bins.sort();
    let paper = escpos::decode(&std::fs::read(bins.last().unwrap()).unwrap());
    paper.lines.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join(" ")
}

#[test]
fn forms_02_03_04_print_at_the_counter_are_recorded_and_keep_the_first_appointment() {
    let (th, _) = hub();
    th.take("HT", None);
    let session = th.login(1);
    th.post("/api/v1/counter/next", Some(&session), json!({}));
    let got = th.post(
        "/api/v1/counter/dossier",
        Some(&session),
        json!({"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn Hải", "documents": ["Giấy chứng sinh"]}),
    );
    let code = got.json["code"].as_str().unwrap().to_string();
    let form_as = |session: &str, body: Value| th.post("/api/v1/counter/dossier/form", Some(session), body);
    let form = |body: Value| form_as(&session, body);

    // Refusals change nothing.
    let none = form(json!({"code": code, "form": "02", "documents": ["  "]}));
    assert_eq!(none.status, 422);
    assert!(none.messages().contains("Ghi rõ từng giấy tờ"), "{}", none.messages());
    let early = form(json!({"code": code, "form": "04", "reason": "Chờ xác minh", "appointment": "2026-08-05 09:00"}));
    assert_eq!(early.status, 422, "a new appointment must be later: {}", early.messages());
    let unknown = form(json!({"code": "H99-260805-0999", "form": "03", "reason": "x"}));
    assert_eq!(unknown.status, 404);

    let supplement =
        form(json!({"code": code, "form": "02", "documents": ["Bản chính giấy chứng sinh", "CCCD của mẹ"]}));
    assert_eq!(
        (supplement.status, supplement.json["outcome"].as_str()),
        (200, Some("printed")),
        "{}",
        supplement.messages()
    );
    let text = last_print(&th);
    assert!(text.contains("Mẫu số 02") && text.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"), "{text}");
    assert!(text.contains("1. Bản chính giấy chứng sinh") && text.contains("2. CCCD của mẹ"), "{text}");
    assert_eq!(th.get(&format!("/api/v1/dossiers/{code}"), None).json["status_vi"], "Yêu cầu bổ sung giấy tờ");

    // Late: the appointment (17:00 today) passed; the apology gives a new one and the first stays.
    th.clock.advance(time::Duration::days(1));
    let session = th.login(1);
    let form = |body: Value| form_as(&session, body);
    let apology = form(json!({"code": code, "form": "04", "reason": "Chờ xác minh nơi sinh",
                              "appointment": "2026-08-10 16:00"}));
    assert_eq!(apology.status, 200, "{}", apology.messages());
    let text = last_print(&th);
    assert!(text.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"), "{text}");
    assert!(text.contains("hẹn trả kết quả 17 giờ 00 phút, ngày 05/08/2026"), "{text}");
    assert!(text.contains("Hẹn lại thời gian trả kết quả: 16 giờ 00 phút, ngày 10/08/2026"), "{text}");
    let public = th.get(&format!("/api/v1/dossiers/{code}"), None).json;
    assert_eq!(public["appointment"], "16 giờ 00 phút, ngày 10/08/2026");

    let refusal = form(json!({"code": code, "form": "03", "reason": "Không thuộc thẩm quyền"}));
    assert_eq!(refusal.status, 200);
    assert!(last_print(&th).contains("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"));
    let closed = form(json!({"code": code, "form": "02", "documents": ["x"]}));
    assert_eq!(closed.status, 409, "a refused dossier takes no more forms");

    let store = motcua::store::Store::open(&th.dir.path().join("motcua.db")).unwrap();
    let (first, now): (i64, i64) = store
        .conn()
        .query_row("SELECT first_appointment_ms, appointment_ms FROM dossier WHERE code = ?1", [&code], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(first < now, "the first appointment stays: {first} < {now}");
    let forms: Vec<(String, Option<u32>)> = store
        .conn()
        .prepare("SELECT form, counter FROM dossier_form ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected: Vec<(String, Option<u32>)> = ["02", "04", "03"].iter().map(|f| (f.to_string(), Some(1))).collect();
    assert_eq!(forms, expected, "each print is recorded, refusals are not");
}
