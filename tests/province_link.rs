//! The link from halls to the province over real HTTPS on loopback (a test CA made by `motcua tls init`,
//! the real `motcua province serve` on a scratch PostgreSQL). After each fault every row of the hall is
//! at the province exactly once, in order, with nothing beyond the allowlist: the province down for a day
//! of work, the link cut mid-batch, answers lost, the service killed mid-ingest, PostgreSQL refusing
//! connections, the hub killed mid-push, the hall restored from a backup. And the service's bounds under
//! parallel load.

mod common;
#[path = "common/postgres.rs"]
mod postgres;
#[path = "common/province.rs"]
mod province;

use common::hub::*;
use motcua::config::Config;
use postgres::Postgres;
use province::*;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use time::macros::datetime;

/// A hall pushing to `url` (the province, or a relay before it) with its token in its data folder.
fn hall(p: &ProvinceService, id: &str, url: Option<String>, batch_rows: u32) -> TestHub {
    let dir = tempfile::tempdir().unwrap();
    let token = p.add_hall(id, dir.path());
    let mut config = open_all_day(Config::default());
    config.province = motcua::config::Province { batch_rows, ..p.hall_config(&token) };
    if let Some(url) = url {
        config.province.url = url;
    }
    start_in(dir, config, datetime!(2026-12-01 07:30 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    })
}

/// A stretch of a working day: `tickets` taken through the morning, most called and served, a few
/// rated, the clock moving a few minutes each time.
fn work(h: &TestHub, tickets: usize) {
    let session = h.login(1);
    for i in 0..tickets {
        h.take(if i % 3 == 0 { "CT" } else { "HT" }, None);
        h.clock.advance(time::Duration::minutes(3));
        if i % 4 != 3 {
            assert_eq!(h.post("/api/v1/counter/next", Some(&session), json!({})).status, 200);
            assert_eq!(h.post("/api/v1/counter/complete", Some(&session), json!({})).status, 200);
        }
    }
}

fn healthz(h: &TestHub) -> Value {
    h.get("/healthz", None).json["province"].clone()
}

/// Every row of the hall at the province once, in order, and each row within the allowlist.
fn all_delivered(h: &TestHub, p: &ProvinceService, id: &str) {
    let db = h.dir.path().join("motcua.db");
    let newest = || outbox_of(&db).last().map(|r| r.0).unwrap_or(0);
    let arrived = wait_for(60, || p.rows(id).last().map(|r| r.1) == Some(newest()));
    let held = p.rows(id);
    assert!(
        arrived,
        "the province holds {} rows up to {:?}; the hall wrote up to {}",
        held.len(),
        held.last().map(|r| r.1),
        newest()
    );
    assert_eq!(without_epoch(&held), outbox_of(&db), "every row once, in order, as the hall wrote it");
    for (_, seq, kind, body) in &held {
        motcua::domain::outbox::check(kind, body).unwrap_or_else(|e| panic!("row {seq}: {e}"));
    }
    assert!(wait_for(10, || healthz(h)["acked"] == json!(newest())), "{}", healthz(h));
}

#[test]
fn a_hall_works_a_day_without_the_province_and_catches_up_when_it_returns() {
    let Some(pg) = Postgres::start("a_hall_works_a_day_without_the_province") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    let h = hall(&p, "xa-a", None, 100);
    // The province is down all day: the hall works on, and says so.
    work(&h, 80);
    let status = healthz(&h);
    assert!(status["last_error"].as_str().unwrap().contains("cannot reach the province"), "{status}");
    assert!(status["failing_since_ms"].is_i64(), "{status}");
    assert!(status["lag_ms"].as_i64().unwrap() > 3 * 3_600_000, "a day's rows wait: {status}");
    // The next morning it returns: everything goes, in order, once.
    p.start();
    all_delivered(&h, &p, "xa-a");
    let status = healthz(&h);
    assert_eq!(status["lag_ms"], 0, "{status}");
    assert_eq!(status["last_error"], Value::Null, "{status}");
    assert!(status["last_success_ms"].is_i64(), "{status}");
    // /metrics says the same to the hall's monitoring.
    let store = motcua::store::Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let watcher = motcua::app::counter::add_device(&store, "monitor", "metrics", &common::clock()).unwrap();
    let metrics = agent()
        .get(&h.url("/metrics"))
        .header("Authorization", &format!("Bearer {watcher}"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(metrics.contains("\nmotcua_province_rows_pending 0\n"), "{metrics}");
    assert!(metrics.contains("\nmotcua_province_lag_seconds 0.000\n"), "{metrics}");
    assert!(metrics.contains("motcua_province_last_success_timestamp_seconds "), "{metrics}");
    // What happens now reaches it within moments.
    h.take("HT", None);
    all_delivered(&h, &p, "xa-a");
    // The hall's acknowledgement is saved: what the province holds is never pushed again after a restart.
    assert!(wait_for(5, || motcua::app::outbox::delivery(&store).unwrap().acked
        == outbox_of(&h.dir.path().join("motcua.db")).last().unwrap().0));
}

#[test]
fn the_link_cut_mid_batch_answers_lost_and_the_service_killed_mid_ingest_double_and_lose_nothing() {
    let Some(pg) = Postgres::start("the_link_cut_mid_batch") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let relay = Relay::start(p.port);
    let h = hall(&p, "xa-b", Some(relay.url()), 40);
    // Requests cut after 3 KB: the handshake passes, each batch is cut in its body, nothing is stored.
    relay.budget.store(3000, Ordering::SeqCst);
    work(&h, 30);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(p.rows("xa-b").is_empty(), "a batch cut mid-body stores nothing");
    assert!(healthz(&h)["last_error"].is_string(), "{}", healthz(&h));
    // Answers lost: the province stores batches the hall never hears acknowledged, and the hall sends
    // them again.
    relay.budget.store(-1, Ordering::SeqCst);
    relay.drop_answers.store(true, Ordering::SeqCst);
    assert!(wait_for(20, || !p.rows("xa-b").is_empty()), "batches arrive though no answer comes back");
    assert_eq!(healthz(&h)["acked"], 0, "and the hall has heard of none: it sends them again");
    std::thread::sleep(std::time::Duration::from_secs(2));
    relay.drop_answers.store(false, Ordering::SeqCst);
    all_delivered(&h, &p, "xa-b");
    // The service killed while a long backlog is being stored, and started again.
    let before = p.rows("xa-b").len();
    work(&h, 120);
    assert!(wait_for(20, || p.rows("xa-b").len() > before), "pushing resumed");
    p.kill();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.start();
    all_delivered(&h, &p, "xa-b");
}

#[test]
fn postgres_refusing_connections_is_waited_out() {
    let Some(pg) = Postgres::start("postgres_refusing_connections_is_waited_out") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let h = hall(&p, "xa-c", None, 50);
    work(&h, 10);
    all_delivered(&h, &p, "xa-c");
    pg.kill();
    work(&h, 20);
    assert!(
        wait_for(15, || healthz(&h)["last_error"].as_str().is_some_and(|e| e.contains("503"))),
        "the service answers that it cannot store: {}",
        healthz(&h)
    );
    pg.server_start();
    all_delivered(&h, &p, "xa-c");
}

/// A hall as the real `motcua serve` in a child process, pushing to `url` with `token`, 10 rows a push.
fn served_hall(p: &ProvinceService, url: &str, token: &std::path::Path) -> common::served::Hall {
    common::served::Hall::open(&format!(
        "[province]\nurl = \"{url}\"\ntoken_file = \"{}\"\nca = \"{}\"\nretry_max_s = 1\nbatch_rows = 10\n",
        token.display(),
        p.ca.display()
    ))
}

/// Waits until the province's line of `id` is the hall's outbox, row for row.
fn line_is_outbox(p: &ProvinceService, id: &str, db: &std::path::Path) {
    let same = wait_for(60, || without_epoch(&p.line(id)) == outbox_of(db));
    assert!(
        same,
        "the province's line: {} rows up to {:?}; the hall's outbox: {} rows",
        p.line(id).len(),
        p.line(id).last().map(|r| r.1),
        outbox_of(db).len()
    );
}

#[test]
fn a_hub_killed_mid_push_resumes_where_the_province_acknowledged() {
    let Some(pg) = Postgres::start("a_hub_killed_mid_push") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    let keys = tempfile::tempdir().unwrap();
    let token = p.add_hall("xa-d", keys.path());
    let relay = Relay::start(p.port);
    relay.delay_ms.store(100, Ordering::SeqCst);
    let mut hall = served_hall(&p, &relay.url(), &token);
    for _ in 0..60 {
        hall.take("HT", None);
    }
    let db = hall.data.join("motcua.db");
    let total = outbox_of(&db).len();
    assert!(total > 100, "{total} rows");
    p.start();
    assert!(wait_for(30, || !p.rows("xa-d").is_empty()), "pushing began");
    hall.kill();
    let held = p.rows("xa-d").len();
    assert!(held < total, "killed mid-push: {held} of {total} rows at the province");
    relay.delay_ms.store(0, Ordering::SeqCst);
    hall.restart();
    hall.take("CT", None);
    line_is_outbox(&p, "xa-d", &db);
    assert_eq!(p.rows("xa-d").len(), outbox_of(&db).len(), "one history, each row once");
}

#[test]
fn a_hall_restored_from_a_backup_pushes_a_history_of_its_own_beside_the_first() {
    let Some(pg) = Postgres::start("a_hall_restored_from_a_backup") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let keys = tempfile::tempdir().unwrap();
    let token = p.add_hall("xa-e", keys.path());
    let mut hall = served_hall(&p, &p.url(), &token);
    let db = hall.data.join("motcua.db");
    for _ in 0..8 {
        hall.take("HT", None);
    }
    line_is_outbox(&p, "xa-e", &db);
    let backup = keys.path().join("backup.db");
    common::served::run(&hall.data, &hall.config, &["backup", "-o", backup.to_str().unwrap()], "");
    let at_backup = outbox_of(&db).len();
    // Work after the backup, delivered, then lost to a restore.
    for _ in 0..5 {
        hall.take("CT", None);
    }
    line_is_outbox(&p, "xa-e", &db);
    let first: Vec<_> = p.rows("xa-e");
    hall.kill();
    common::served::run(&hall.data, &hall.config, &["restore", backup.to_str().unwrap()], "");
    hall.restart();
    for _ in 0..4 {
        hall.take("HT", None);
    }
    // The province's line is the restored hall's outbox: the first history up to the backup, then the
    // new one; the five tickets the restore lost are kept in the first history and not counted.
    line_is_outbox(&p, "xa-e", &db);
    let all = p.rows("xa-e");
    let epochs: std::collections::BTreeSet<&str> = all.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(epochs.len(), 2, "two histories");
    assert_eq!(&all[..first.len()], &first[..], "the first history kept whole");
    let line = p.line("xa-e");
    assert!(line[..at_backup].iter().all(|r| r.0 == first[0].0), "the line begins in the first history");
    assert!(line[at_backup..].iter().all(|r| r.0 != first[0].0), "and goes on in the new one");
    assert_eq!(all.len(), first.len() + line.len() - at_backup, "nothing of the first history pushed again");

    // The public pages follow the line too: a ticket the restore lost is gone from them, one from before
    // the backup and one taken since are there.
    let tokens = |rows: &[(String, i64, String, Value)], service: &str| -> Vec<String> {
        let mut found: Vec<String> = rows
            .iter()
            .filter(|r| r.2 == "ticket" && r.3["service"] == service)
            .map(|r| r.3["token"].as_str().unwrap().to_string())
            .collect();
        found.dedup();
        found
    };
    let phone = motcua::tls::Trust::load(&p.ca).unwrap();
    let phone: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).tls_config(phone.ureq()).build().into();
    let status = |token: &str| phone.get(&format!("{}/t/{token}", p.url())).call().unwrap().status().as_u16();
    let lost = tokens(&first, "CT");
    assert_eq!(lost.len(), 5);
    assert!(lost.iter().all(|t| status(t) == 404), "the work the restore lost");
    let kept = tokens(&first, "HT");
    let since: Vec<String> = tokens(&line[at_backup..], "HT");
    assert_eq!((kept.len(), since.len()), (8, 4));
    assert!(kept.iter().chain(&since).all(|t| status(t) == 200), "the restored hall's tickets");
}

/// An HTTPS request to the province from `from` (a loopback address standing for a machine), written by
/// hand so that a test can send what no honest client would.
struct Raw(rustls::StreamOwned<rustls::ClientConnection, std::net::TcpStream>);

impl Raw {
    fn open(p: &ProvinceService, from: &str) -> Raw {
        let tcp = connect_from(from, format!("127.0.0.1:{}", p.port).parse().unwrap());
        let trust = motcua::tls::Trust::load(&p.ca).unwrap();
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
        let conn = rustls::ClientConnection::new(trust.client_config(), name).unwrap();
        Raw(rustls::StreamOwned::new(conn, tcp))
    }

    fn send(&mut self, token: &str, length: usize, body: &[u8]) {
        use std::io::Write;
        let head = format!(
            "POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        );
        self.0.write_all(head.as_bytes()).unwrap();
        self.0.write_all(body).unwrap();
        self.0.flush().unwrap();
    }

    /// The answer's status line and body.
    fn answer(&mut self) -> (u16, String) {
        use std::io::Read;
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match self.0.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
            let text = String::from_utf8_lossy(&got);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(str::to_string))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|n| body.len() >= n) {
                    break;
                }
            }
        }
        let text = String::from_utf8_lossy(&got).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
    }

    fn push(p: &ProvinceService, from: &str, token: &str, body: &[u8]) -> (u16, String) {
        let mut raw = Raw::open(p, from);
        raw.send(token, body.len(), body);
        raw.answer()
    }
}

#[test]
fn the_service_bounds_bodies_rows_unknown_tokens_and_pushes_per_hall_under_parallel_load() {
    let Some(pg) = Postgres::start("the_service_bounds") else { return };
    let extra = "max_batch_rows = 100\n\n[hub]\nbody_timeout_s = 2\nmax_connections_per_client = 12\n\
                 requests_per_second = 1000\nrequest_burst = 1000\nconnections_per_second = 1000\n\
                 connection_burst = 1000\n";
    let mut p = ProvinceService::prepare(&pg, "province", extra);
    p.start();
    let keys = tempfile::tempdir().unwrap();
    let token = std::fs::read_to_string(p.add_hall("xa-f", keys.path())).unwrap().trim().to_string();
    let row = |seq: i64| json!({ "seq": seq, "kind": "printer_health", "at_ms": seq, "body": { "printers": [] } });
    let batch = |after: i64, n: i64| {
        serde_json::to_vec(
            &json!({ "epoch": "e1", "after": after, "rows": (after + 1..=after + n).map(row).collect::<Vec<_>>() }),
        )
        .unwrap()
    };

    // A body larger than a push may be is refused from its length, before it is read.
    let mut raw = Raw::open(&p, "127.0.1.2");
    raw.send(&token, 17 * 1024 * 1024, b"{");
    assert_eq!(raw.answer().0, 413);
    // More rows than a push may carry.
    let (status, body) = Raw::push(&p, "127.0.1.2", &token, &batch(0, 101));
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("101 rows; at most 100"), "{body}");
    // Garbage, and a row with a field that may not leave a hall.
    assert_eq!(Raw::push(&p, "127.0.1.2", &token, b"\x00\xffnot json").0, 400);
    let leaking = json!({ "epoch": "e1", "after": 0, "rows": [{ "seq": 1, "kind": "rating", "at_ms": 1,
        "body": { "score": 5, "phone": "0912345678" } }] });
    let (status, body) = Raw::push(&p, "127.0.1.2", &token, leaking.to_string().as_bytes());
    assert_eq!(status, 422, "{body}");
    assert!(p.rows("xa-f").is_empty());

    // Twenty guesses from one machine, five at a time: ten are looked up, the rest refused unread.
    let answers: Vec<u16> = std::thread::scope(|s| {
        let tries: Vec<_> = (0..5)
            .map(|t| {
                let p = &p;
                let one = batch(0, 1);
                s.spawn(move || {
                    (0..4).map(|i| Raw::push(p, "127.0.1.3", &format!("guess-{t}-{i}"), &one).0).collect::<Vec<_>>()
                })
            })
            .collect();
        tries.into_iter().flat_map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(answers.iter().filter(|s| **s == 401).count(), 10, "{answers:?}");
    assert_eq!(answers.iter().filter(|s| **s == 429).count(), 10, "{answers:?}");
    // Another machine is not held up by them.
    assert_eq!(Raw::push(&p, "127.0.1.4", "guess-x", &batch(0, 1)).0, 401);

    // One push per hall at a time: while one sends its body slowly, the hall's others are refused at
    // once; the slow one is cut off after body_timeout_s, and the hall's next push goes through.
    let mut slow = Raw::open(&p, "127.0.1.5");
    slow.send(&token, 5000, b"{\"epoch\":");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let refused: Vec<(u16, String)> = std::thread::scope(|s| {
        let pushes: Vec<_> = (0..4).map(|_| s.spawn(|| Raw::push(&p, "127.0.1.6", &token, &batch(0, 5)))).collect();
        pushes.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for (status, body) in &refused {
        assert_eq!(*status, 503, "{body}");
        assert!(body.contains("one push at a time"), "{body}");
    }
    assert_eq!(slow.answer().0, 408, "the slow body is cut off");
    let (status, body) = Raw::push(&p, "127.0.1.6", &token, &batch(0, 5));
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "acked": 5, "gap": false }));
    assert_eq!(p.rows("xa-f").len(), 5);

    // Connections: twelve from one machine, the thirteenth and after closed before any of them is read.
    let mut held: Vec<std::net::TcpStream> =
        (0..16).map(|_| connect_from("127.0.1.8", format!("127.0.0.1:{}", p.port).parse().unwrap())).collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut shut = 0;
    for stream in &mut held {
        stream.set_read_timeout(Some(std::time::Duration::from_millis(300))).unwrap();
        if closed(stream).is_some() {
            shut += 1;
        }
    }
    assert_eq!(shut, 4, "twelve kept, four closed");
}

#[test]
fn secrets_readable_by_everyone_and_a_province_of_another_ca_are_refused_with_what_to_do() {
    let Some(pg) = Postgres::start("secrets_readable_by_everyone") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    let db_conf = p.dir.path().join("db.conf");
    let mode = |f: &std::path::Path, m: u32| {
        std::fs::set_permissions(f, std::os::unix::fs::PermissionsExt::from_mode(m)).unwrap()
    };
    mode(&db_conf, 0o644);
    let refused = p.run(&["province", "serve"]);
    assert!(!refused.status.success());
    let why = common::stderr(&refused);
    assert!(why.contains("db.conf: a secret must not be readable by every user (mode 644); chmod 0640 it"), "{why}");
    mode(&db_conf, 0o640);
    p.start();

    // A hall whose token file every user may read does not push, and says why (a second hub on the
    // first one's token, its file opened to all).
    let h = hall(&p, "xa-g", None, 50);
    let token = h.dir.path().join("province-token");
    h.take("HT", None);
    mode(&token, 0o644);
    let mut config = h.hub.config().clone();
    config.province.token_file = token.display().to_string();
    let exposed = start(config.clone(), datetime!(2026-12-01 07:30 +7));
    assert!(
        wait_for(5, || healthz(&exposed)["last_error"].as_str().is_some_and(|e| e.contains("readable by every user"))),
        "{}",
        healthz(&exposed)
    );

    // A hall pinned to another CA does not trust the province's certificate.
    mode(&token, 0o600);
    let other = tempfile::tempdir().unwrap();
    let made = common::motcua(other.path(), &["tls", "init", "--name", "127.0.0.1"]);
    assert!(made.status.success());
    config.province.ca = other.path().join("tls/ca.pem").display().to_string();
    let stranger = start(config, datetime!(2026-12-01 07:30 +7));
    stranger.take("HT", None);
    assert!(
        wait_for(10, || healthz(&stranger)["last_error"].as_str().is_some_and(|e| e.contains("UnknownIssuer"))),
        "{}",
        healthz(&stranger)
    );
    all_delivered(&h, &p, "xa-g");
    assert!(p.rows("xa-g").iter().all(|r| r.0 == h.hub.epoch()), "nothing came from the two refused");
}

/// A busy day at hall number `n`: two counters, tickets through the morning (some priority, some
/// transferred, some absent), dossiers received (an apology printed for one), several resolved, ratings
/// with and without complaints, a pause, logouts. Each hall's day differs by its number.
fn busy_day(h: &TestHub, n: usize) {
    let desks = [h.login(1), h.login(2)];
    let mut tokens = Vec::new();
    let mut codes = Vec::new();
    for k in 0..(16 + n) {
        let service = if (k + n).is_multiple_of(3) { "CT" } else { "HT" };
        let priority = (k % 7 == 3).then_some("Người cao tuổi");
        tokens.push(h.take(service, priority)["token"].as_str().unwrap().to_string());
        h.clock.advance(time::Duration::minutes(4 + (n % 3) as i64));
        if k % 5 == 4 {
            continue; // the line grows a little
        }
        let desk = &desks[k % 2];
        let called = h.post("/api/v1/counter/next", Some(desk), json!({}));
        if called.status != 200 || called.json["ticket"].is_null() {
            continue; // nobody waiting for this counter's services
        }
        h.clock.advance(time::Duration::minutes(1));
        let act = |action: &str, body: Value| {
            let done = h.post(&format!("/api/v1/counter/{action}"), Some(desk), body);
            assert_eq!(done.status, 200, "{action}: {}", done.messages());
        };
        match (k + n) % 9 {
            0 => {
                // Absent: called three times, then marked so.
                act("recall", json!({}));
                act("recall", json!({}));
                act("no-show", json!({}));
            }
            1 => act("transfer", json!({ "service": if service == "HT" { "CT" } else { "HT" } })),
            _ => {
                act("start", json!({}));
                if k % 3 == 0 {
                    let dossier = json!({"procedure_code": "1.001193", "applicant_name": format!("Nguyễn Văn {k}"),
                                         "documents": ["Giấy chứng sinh"]});
                    let got = h.post("/api/v1/counter/dossier", Some(desk), dossier);
                    assert_eq!(got.status, 200, "{}", got.messages());
                    codes.push(got.json["code"].as_str().unwrap().to_string());
                }
                h.clock.advance(time::Duration::minutes(6 + (k % 4) as i64));
                act("complete", json!({}));
            }
        }
        if k == 8 {
            assert_eq!(h.post("/api/v1/counter/pause", Some(&desks[1]), json!({})).status, 204);
            h.clock.advance(time::Duration::minutes(20));
            assert_eq!(h.post("/api/v1/counter/resume", Some(&desks[1]), json!({})).status, 204);
        }
    }
    for (k, token) in tokens.iter().enumerate().filter(|(k, _)| k % 4 == 0) {
        let (level, complaint) =
            if k % 8 == 0 { ("very_satisfied", None) } else { ("dissatisfied", Some("Chờ lâu.")) };
        let body = json!({ "level": level, "reasons": [], "complaint": complaint });
        let _ = h.post(&format!("/api/v1/t/{token}/rating"), None, body);
    }
    if let Some(code) = codes.first().cloned() {
        let apology = json!({"code": code, "form": "04", "reason": "Chờ xác minh", "appointment": "2026-12-09 16:00"});
        assert_eq!(h.post("/api/v1/counter/dossier/form", Some(&desks[0]), apology).status, 200);
    }
    h.clock.advance(time::Duration::hours(2));
    for code in codes.iter().skip(1).step_by(2) {
        let code = code.clone();
        let resolved = h.hub.change(move |store, _, clock| {
            Ok(motcua::app::dossier::set_status(store, &code, motcua::domain::dossier::Status::Done, "", clock)
                .map(|s| s.is_some()))
        });
        assert!(matches!(resolved, Ok(Ok(true))), "resolved");
    }
    for desk in &desks {
        assert_eq!(h.post("/api/v1/counter/logout", Some(desk), json!({})).status, 204);
    }
}

#[test]
fn twenty_halls_push_a_busy_day_at_once_and_the_province_reports_what_each_hall_reports() {
    let Some(pg) = Postgres::start("twenty_halls_push_a_busy_day_at_once") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let ids: Vec<String> = (0..20).map(|n| format!("xa-{n:02}")).collect();
    let halls: Vec<TestHub> = ids.iter().map(|id| hall(&p, id, None, 500)).collect();
    std::thread::scope(|s| {
        for (n, h) in halls.iter().enumerate() {
            s.spawn(move || busy_day(h, n));
        }
    });
    for (id, h) in ids.iter().zip(&halls) {
        all_delivered(h, &p, id);
    }

    // The province's report of each hall is the hall's own, figure for figure, on the same day and at the
    // same moment (what is overdue depends on now).
    let config = open_all_day(Config::default());
    let day = time::macros::date!(2026 - 12 - 01);
    let now = datetime!(2026-12-04 12:00 +7);
    let (from_ms, to_ms) = motcua::app::report::bounds(day, day).unwrap();
    let asked = motcua::province::report::Asked {
        halls: ids.clone(),
        from_ms,
        to_ms,
        from_day: day.to_string(),
        to_day: day.to_string(),
        now_ms: motcua::domain::clock::millis(now),
        session_ms: i64::from(config.hub.session_minutes) * 60_000,
        target_wait_minutes: config.reports.target_wait_minutes,
    };
    let calendar = motcua::app::dossier::calendar(&config).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let made = runtime.block_on(async {
        let province = motcua::province::Province::connect(&p.conninfo).await.unwrap();
        province.report(&asked, &calendar, Some(motcua::domain::report::By::Service)).await.unwrap()
    });
    let clock = motcua::domain::clock::FixedClock(now);
    let (mut issued, mut absent, mut moved, mut resolved) = (0, 0, 0, 0);
    for (n, h) in halls.iter().enumerate() {
        let store = motcua::store::Store::open(&h.dir.path().join("motcua.db")).unwrap();
        let own =
            motcua::app::report::report(&store, &config, day, day, Some(motcua::domain::report::By::Service), &clock)
                .unwrap()
                .unwrap();
        assert_eq!(made.each[n].hall, ids[n]);
        assert_eq!(
            serde_json::to_value(&made.each[n].report).unwrap(),
            serde_json::to_value(&own).unwrap(),
            "hall {}",
            ids[n]
        );
        assert!(own.figures.tickets.issued >= 16 + n as u64, "a busy day: {:?}", own.figures.tickets);
        assert!(own.figures.dossiers.received > 0 && own.figures.satisfaction.dissatisfied > 0);
        issued += own.figures.tickets.issued;
        absent += own.figures.tickets.no_show;
        moved += own.figures.tickets.transferred;
        resolved += own.figures.dossiers.resolved;
    }
    assert!(absent > 0 && moved > 0 && resolved > 0, "{absent} absent, {moved} transferred, {resolved} resolved");
    assert_eq!(made.total.figures.tickets.issued, issued, "the province's whole is the sum of its halls");
    assert_eq!(made.total.figures.dossiers.resolved, resolved);

    // The same from the command line, for one hall; an unknown hall is named with those that exist.
    let one = p.run(&["province", "report", "--hall", "xa-03", "--from", "2026-12-01", "--to", "2026-12-01"]);
    assert!(one.status.success(), "{}", common::stderr(&one));
    let one: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(one["halls"], json!(["xa-03"]));
    assert_eq!(one["tickets"], serde_json::to_value(&made.each[3].report.figures.tickets).unwrap());
    let unknown = p.run(&["province", "report", "--hall", "xa-99", "--from", "2026-12-01", "--to", "2026-12-01"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        common::stderr(&unknown).contains("no hall \"xa-99\"; halls: xa-00, xa-01"),
        "{}",
        common::stderr(&unknown)
    );
}
