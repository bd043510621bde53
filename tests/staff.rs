//! Staff accounts for real: `motcua staff` on a database file, logins at counters over HTTP on loopback,
//! every counter event signed by who made it, one person per counter, a disabled account thrown out of a
//! running hub, and a staff member's own PIN change.

mod common;

use common::hub::*;
use common::{stderr, stdout};
use motcua::config::Config;
use motcua::store::Store;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use time::macros::datetime;

/// Runs `motcua` with `input` on standard input (where secrets are read from).
fn motcua_with_input(data_dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("MOTCUA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the motcua binary runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Adds an account as `motcua staff add` does, on the hub's own database file.
fn add(h: &TestHub, username: &str, name: &str, roles: &str, secret: &str) {
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    motcua::app::staff::add(&store, h.hub.config(), username, name, roles, secret, h.clock.as_ref()).unwrap();
}

fn staff_login(h: &TestHub, counter: u32, username: &str, pin: &str) -> Answer {
    h.post(
        "/api/v1/counter/login",
        None,
        json!({ "counter": counter, "username": username, "pin": pin, "bearer": true }),
    )
}

/// The events of the hub's database: (kind, counter, staff username or None).
fn signed_events(h: &TestHub) -> Vec<(String, Option<u32>, Option<String>)> {
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT e.kind, e.counter, s.username FROM queue_event e LEFT JOIN staff s ON s.id = e.staff_id
             ORDER BY e.id",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<Vec<_>, _>>().unwrap()
}

#[test]
fn the_staff_command_adds_lists_disables_and_refuses_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let added =
        motcua_with_input(d, &["staff", "add", "Lan.NT", "--name", "Nguyễn Thị Lan", "--roles", "counter"], "246813\n");
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("lan.nt"), "the username is kept in lower case: {}", stdout(&added));
    let leader = motcua_with_input(
        d,
        &["staff", "add", "hung.pv", "--name", "Phạm Văn Hùng", "--roles", "leader,counter"],
        "mùa thu Hà Nội\n",
    );
    assert!(leader.status.success(), "{}", stderr(&leader));

    let again = motcua_with_input(d, &["staff", "add", "lan.nt", "--name", "Lan khác"], "135790\n");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("đã có người dùng") && stderr(&again).contains("taken"), "{}", stderr(&again));
    let short = motcua_with_input(d, &["staff", "add", "mai.tt", "--name", "Trần Thị Mai"], "1234\n");
    assert_eq!(short.status.code(), Some(2));
    assert!(stderr(&short).contains("Mã PIN gồm 6 đến 12 chữ số"), "{}", stderr(&short));
    let role =
        motcua_with_input(d, &["staff", "add", "mai.tt", "--name", "Trần Thị Mai", "--roles", "boss"], "135790\n");
    assert!(stderr(&role).contains("Không có vai trò \"boss\""), "{}", stderr(&role));

    let disabled = common::motcua(d, &["staff", "disable", "LAN.NT"]);
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    let list = stdout(&common::motcua(d, &["staff", "list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("hung.pv") && lines[0].contains("counter,leader") && lines[0].ends_with("active"));
    assert!(lines[1].starts_with("lan.nt") && lines[1].contains("Nguyễn Thị Lan") && lines[1].ends_with("disabled"));
    let unknown = common::motcua(d, &["staff", "disable", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("Không có tài khoản \"nobody\""), "{}", stderr(&unknown));
    // Nothing was added by the refusals.
    assert!(!list.contains("mai.tt"));
}

#[test]
fn every_counter_event_names_who_made_it_and_logins_and_pauses_are_events() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter", "246813");
    h.take("HT", None);
    h.take("HT", None);

    let login = staff_login(&h, 1, "Lan.NT", "246813");
    assert_eq!(login.status, 200, "{}", login.messages());
    assert_eq!(login.json["staff"]["name"], "Nguyễn Thị Lan");
    let lan = login.json["session"].as_str().unwrap().to_string();
    let me = h.get("/api/v1/counter", Some(&lan));
    assert_eq!(
        (me.json["counter"]["number"].as_u64(), me.json["staff"]["username"].as_str()),
        (Some(1), Some("lan.nt"))
    );
    assert_eq!(h.post("/api/v1/counter/next", Some(&lan), json!({})).json["ticket"]["state_vi"], "Đã gọi");
    assert_eq!(h.post("/api/v1/counter/start", Some(&lan), json!({})).status, 200);
    assert_eq!(h.post("/api/v1/counter/complete", Some(&lan), json!({})).status, 200);
    assert_eq!(h.post("/api/v1/counter/pause", Some(&lan), json!({})).status, 204);
    assert_eq!(h.post("/api/v1/counter/resume", Some(&lan), json!({})).status, 204);
    assert_eq!(h.post("/api/v1/counter/logout", Some(&lan), json!({})).status, 204);

    // The counter's own PIN still works, and is recorded as no name.
    let nameless = h.login(2);
    assert_eq!(h.post("/api/v1/counter/next", Some(&nameless), json!({})).json["ticket"]["number"], "A002");
    assert!(h.get("/api/v1/counter", Some(&nameless)).json["staff"].is_null());

    let events: Vec<_> = signed_events(&h).into_iter().filter(|(_, counter, _)| counter.is_some()).collect();
    let lan_s = Some("lan.nt".to_string());
    let expected = vec![
        ("logged_in".to_string(), Some(1), lan_s.clone()),
        ("called".into(), Some(1), lan_s.clone()),
        ("serving".into(), Some(1), lan_s.clone()),
        ("done".into(), Some(1), lan_s.clone()),
        ("paused".into(), Some(1), lan_s.clone()),
        ("resumed".into(), Some(1), lan_s.clone()),
        ("logged_out".into(), Some(1), lan_s),
        ("logged_in".into(), Some(2), None),
        ("called".into(), Some(2), None),
    ];
    assert_eq!(events, expected);
}

#[test]
fn wrong_secrets_disabled_accounts_and_missing_roles_are_refused_alike_or_clearly() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter", "246813");
    add(&h, "hung.pv", "Phạm Văn Hùng", "leader", "mùa thu Hà Nội");
    let wrong = staff_login(&h, 1, "lan.nt", "111111");
    let unknown = staff_login(&h, 1, "nobody", "111111");
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.json["message_vi"], unknown.json["message_vi"], "a guesser cannot tell which accounts exist");
    assert!(wrong.messages().contains("Tên đăng nhập hoặc mã PIN/mật khẩu không đúng"), "{}", wrong.messages());

    let leader = staff_login(&h, 1, "hung.pv", "mùa thu Hà Nội");
    assert_eq!(leader.status, 403);
    assert!(leader.messages().contains("không được làm việc tại quầy"), "{}", leader.messages());
    // A leader logs in without a counter; the session is not a counter's.
    let alone = h.post(
        "/api/v1/staff/login",
        None,
        json!({ "username": "hung.pv", "password": "mùa thu Hà Nội", "bearer": true }),
    );
    assert_eq!(alone.status, 200, "{}", alone.messages());
    let token = alone.json["session"].as_str().unwrap();
    assert_eq!(h.get("/api/v1/staff/me", Some(token)).json["staff"]["roles"], json!(["leader"]));
    assert_eq!(h.post("/api/v1/counter/next", Some(token), json!({})).status, 403);

    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    motcua::app::staff::set_active(&store, "lan.nt", false, h.clock.as_ref()).unwrap();
    let disabled = staff_login(&h, 1, "lan.nt", "246813");
    assert_eq!(disabled.status, 401);
    assert_eq!(disabled.json["message_vi"], wrong.json["message_vi"]);
    // None of the refusals logged anyone in.
    assert!(signed_events(&h).iter().all(|(kind, _, _)| kind != "logged_in"));
}

#[test]
fn disabling_an_account_ends_its_sessions_on_a_running_hub_within_seconds() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter", "246813");
    let lan = staff_login(&h, 1, "lan.nt", "246813").json["session"].as_str().unwrap().to_string();
    assert_eq!(h.get("/api/v1/counter", Some(&lan)).status, 200, "the hub remembers the session now");

    // Another process (the `motcua staff disable` command) writes to the same database.
    let disabled = common::motcua(h.dir.path(), &["staff", "disable", "lan.nt"]);
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    let since = Instant::now();
    let refused = loop {
        let a = h.get("/api/v1/counter", Some(&lan));
        if a.status == 401 || since.elapsed() > Duration::from_secs(10) {
            break a;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(refused.status, 401, "the disabled account's session still worked after 10 s");
    assert!(since.elapsed() < Duration::from_secs(5), "ended after {:?}", since.elapsed());
    assert_eq!(h.post("/api/v1/counter/next", Some(&lan), json!({})).status, 401);
}

#[test]
fn one_person_works_a_counter_at_a_time_and_a_new_login_replaces_another_s() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter", "246813");
    add(&h, "mai.tt", "Trần Thị Mai", "counter", "135790");
    let lan = staff_login(&h, 1, "lan.nt", "246813").json["session"].as_str().unwrap().to_string();
    let lan_tab = staff_login(&h, 1, "lan.nt", "246813").json["session"].as_str().unwrap().to_string();
    assert_eq!(h.get("/api/v1/counter", Some(&lan)).status, 200, "a second tab of the same person keeps the first");
    let mai = staff_login(&h, 1, "mai.tt", "135790").json["session"].as_str().unwrap().to_string();
    for replaced in [&lan, &lan_tab] {
        assert_eq!(h.get("/api/v1/counter", Some(replaced)).status, 401, "Lan's session ended when Mai took counter 1");
    }
    assert_eq!(h.get("/api/v1/counter", Some(&mai)).json["staff"]["username"], "mai.tt");
    let outs: Vec<_> = signed_events(&h).into_iter().filter(|(k, _, _)| k == "logged_out").collect();
    assert_eq!(outs, vec![("logged_out".to_string(), Some(1), Some("lan.nt".to_string())); 2]);
}

#[test]
fn a_staff_member_changes_their_own_pin_and_other_sessions_end() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter,leader", "246813");
    let here = staff_login(&h, 1, "lan.nt", "246813").json["session"].as_str().unwrap().to_string();
    let elsewhere = h
        .post("/api/v1/staff/login", None, json!({ "username": "lan.nt", "password": "246813", "bearer": true }))
        .json["session"]
        .as_str()
        .unwrap()
        .to_string();

    let wrong = h.post("/api/v1/staff/secret", Some(&here), json!({ "current": "000000", "new": "975310" }));
    assert_eq!(wrong.status, 401);
    assert!(wrong.messages().contains("Mã PIN hiện tại không đúng"), "{}", wrong.messages());
    let weak = h.post("/api/v1/staff/secret", Some(&here), json!({ "current": "246813", "new": "12" }));
    assert_eq!(weak.status, 422, "{}", weak.messages());
    let nameless = h.login(2);
    let no_pin = h.post("/api/v1/staff/secret", Some(&nameless), json!({ "current": "100002", "new": "975310" }));
    assert_eq!(no_pin.status, 403, "{}", no_pin.messages());

    let changed = h.post("/api/v1/staff/secret", Some(&here), json!({ "current": "246813", "new": "975310" }));
    assert_eq!(changed.status, 204, "{}", changed.messages());
    assert_eq!(h.get("/api/v1/counter", Some(&here)).status, 200, "the session that changed it stays");
    assert_eq!(h.get("/api/v1/staff/me", Some(&elsewhere)).status, 401, "every other session ended");
    assert_eq!(staff_login(&h, 3, "lan.nt", "246813").status, 401);
    assert_eq!(staff_login(&h, 3, "lan.nt", "975310").status, 200);
}

#[test]
fn only_a_leader_reads_the_hall_s_report_over_http() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7));
    add(&h, "hung.pv", "Phạm Văn Hùng", "leader", "mùa thu Hà Nội");
    add(&h, "lan.nt", "Nguyễn Thị Lan", "counter", "246813");
    h.take("HT", None);
    let login = |u: &str, p: &str| {
        h.post("/api/v1/staff/login", None, json!({ "username": u, "password": p, "bearer": true })).json["session"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let path = "/api/v1/reports?from=2026-12-01&to=2026-12-31&by=service";
    assert_eq!(h.get(path, None).status, 401);
    let counter_only = h.get(path, Some(&login("lan.nt", "246813")));
    assert_eq!(counter_only.status, 403);
    assert!(counter_only.messages().contains("không được xem báo cáo"), "{}", counter_only.messages());
    let leader = login("hung.pv", "mùa thu Hà Nội");
    let r = h.get(path, Some(&leader));
    assert_eq!(r.status, 200, "{}", r.messages());
    assert_eq!((r.json["tickets"]["issued"].as_u64(), r.json["by"][0]["key"].as_str()), (Some(1), Some("HT")));
    let bad = h.get("/api/v1/reports?from=2026-12-31&to=2026-12-01", Some(&leader));
    assert_eq!(bad.status, 422);
    assert!(bad.messages().contains("ends before it starts"), "{}", bad.messages());
}
