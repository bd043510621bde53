//! The hall's report on a busy hall's year: about 250,000 tickets, 1.5 million events, 60,000 dossiers and
//! 80,000 ratings in one database file (2026, working days only). Measured, all in the same run:
//! - a month's report and the whole year's, through `app::report` on a read-only connection (as `motcua
//!   report` and the leader's page compute it), beside a naive baseline that reads every row of every table
//!   and keeps the period's in memory before computing the same figures;
//! - issuing latency at the real `motcua serve` (release, on loopback, through the kiosk's own client) while
//!   nothing else runs, and while a leader's browser asks for the year's report again and again.
//!
//! - `motcua backup` of that year, again and again while numbers are taken (issuing p99 meanwhile), its size,
//!   and `motcua restore` of it into an empty folder.
//!
//! Run with `cargo bench --bench reports`; prints a Markdown report.

use motcua::app::queue::Issuer;
use motcua::app::report;
use motcua::config::Config;
use motcua::domain::clock::FixedClock;
use motcua::domain::report::{By, Facts};
use motcua::hub::client::RemoteHub;
use motcua::print::Outcome;
use motcua::store::{report as repo, Store};
use rusqlite::params;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

const TICKETS: usize = 250_000;
const COUNTERS: u32 = 10;
/// 2026-01-01 00:00 at +07:00, in milliseconds.
const YEAR_MS: i64 = 1_767_200_400_000;
const DAY_MS: i64 = 86_400_000;
const MINUTE: i64 = 60_000;
const PROCEDURES: [&str; 8] =
    ["1.001193", "1.004194", "2.000908", "1.000894", "1.001022", "1.004873", "2.000815", "1.004884"];
const LEVELS: [&str; 10] = [
    "very_satisfied",
    "very_satisfied",
    "very_satisfied",
    "very_satisfied",
    "satisfied",
    "satisfied",
    "satisfied",
    "neutral",
    "neutral",
    "dissatisfied",
];

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The working days of 2026 (Monday to Friday), as day numbers from 1 January.
fn working_days() -> Vec<i64> {
    (0..365).filter(|d| (d + 3) % 7 < 5).collect() // 2026-01-01 is a Thursday
}

/// Fills a year: per working day, ~960 tickets between 07:30 and 16:30 over ten counters (each with its
/// staff member logged in 07:25–17:05, paused 11:30–13:00), six events each; a dossier for about one ticket
/// in four (resolved early, on time or late), a rating for about one in three.
fn fill(path: &Path) -> (usize, usize, usize, usize) {
    let store = Store::open(path).unwrap();
    let conn = store.conn();
    conn.execute_batch("BEGIN").unwrap();
    let now = YEAR_MS;
    for s in 1..=COUNTERS {
        conn.execute(
            "INSERT INTO staff (id, username, name, roles, secret_hash, active, created_ms, changed_ms)
             VALUES (?1, ?2, ?3, 'counter', 'x', 1, ?4, ?4)",
            params![s, format!("cb{s:02}"), format!("Cán bộ {s}"), now],
        )
        .unwrap();
    }
    let days = working_days();
    let per_day = TICKETS / days.len() + 1;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut tickets, mut events, mut dossiers, mut ratings) = (0, 0, 0, 0);
    let mut ticket = conn
        .prepare(
            "INSERT INTO ticket (id, day, service, seq, number, token, state, arrived_ms, counter, print_outcome,
                                 called_ms, started_ms, finished_ms)
             VALUES (?1, ?2, 'HT', ?3, ?4, ?5, ?6, ?7, ?8, 'printed', ?9, ?10, ?11)",
        )
        .unwrap();
    let mut event = conn
        .prepare(
            "INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, staff_id)
             VALUES (?1, ?2, ?3, ?4, 'bench', ?5)",
        )
        .unwrap();
    let mut dossier = conn
        .prepare(
            "INSERT INTO dossier (id, code, token, procedure_code, procedure_name, channel, received_ms,
                                  appointment_ms, first_appointment_ms, status, ticket_id, source, updated_ms)
             VALUES (?1, ?2, ?3, ?4, 'Thủ tục', 1, ?5, ?6, ?6, 10, ?7, 'counter', ?5)",
        )
        .unwrap();
    let mut step = conn.prepare("INSERT INTO dossier_event (dossier_id, at_ms, status) VALUES (?1, ?2, ?3)").unwrap();
    let mut form =
        conn.prepare("INSERT INTO dossier_form (dossier_id, form, at_ms, counter) VALUES (?1, '04', ?2, ?3)").unwrap();
    let mut rating = conn
        .prepare(
            "INSERT INTO rating (ticket_id, level, reasons, source, holder, counter, staff_id, service, dossier_id,
                                 rated_ms, changed_ms)
             VALUES (?1, ?2, ?3, 'tablet', 'bench', ?4, ?4, 'HT', ?5, ?6, ?6)",
        )
        .unwrap();
    for d in &days {
        let start = YEAR_MS + d * DAY_MS;
        let day = (date!(2026 - 01 - 01) + time::Duration::days(*d)).to_string();
        for c in 1..=COUNTERS {
            for (minutes, kind) in [(445, "logged_in"), (690, "paused"), (780, "resumed"), (1025, "logged_out")] {
                event.execute(params![start + minutes * MINUTE, None::<i64>, kind, c, c]).unwrap();
                events += 1;
            }
        }
        for i in 0..per_day {
            if tickets == TICKETS {
                break;
            }
            tickets += 1;
            let id = tickets as i64;
            let counter = 1 + (i as u32 % COUNTERS);
            let arrived = start + 450 * MINUTE + (i as i64 * 540 * MINUTE) / per_day as i64;
            let called = arrived + rng.below(40) as i64 * MINUTE;
            let (started, finished) = (called + MINUTE, called + 9 * MINUTE);
            let state = match rng.below(100) {
                0..=4 => "no_show",
                5..=6 => "voided",
                7..=8 => "closed",
                _ => "done",
            };
            let served = state == "done";
            ticket
                .execute(params![
                    id,
                    day,
                    i as i64 + 1,
                    format!("A{:03}", i + 1),
                    format!("t{id:031}"),
                    state,
                    arrived,
                    counter,
                    (state != "voided" && state != "closed").then_some(called),
                    served.then_some(started),
                    served.then_some(finished),
                ])
                .unwrap();
            let kinds: &[(&str, i64)] = match state {
                "done" => &[
                    ("issued", arrived),
                    ("confirmed", arrived),
                    ("called", called),
                    ("recalled", called),
                    ("serving", started),
                    ("done", finished),
                ],
                "no_show" => &[
                    ("issued", arrived),
                    ("confirmed", arrived),
                    ("called", called),
                    ("recalled", called),
                    ("recalled", called),
                    ("no_show", called + 3 * MINUTE),
                ],
                "voided" => &[("issued", arrived), ("voided", arrived)],
                _ => &[("issued", arrived), ("confirmed", arrived), ("closed", start + 1050 * MINUTE)],
            };
            for (kind, at) in kinds {
                let staff = matches!(*kind, "called" | "recalled" | "serving" | "done" | "no_show").then_some(counter);
                event.execute(params![at, id, kind, staff, staff]).unwrap();
                events += 1;
            }
            let mut dossier_id = None;
            if served && rng.below(100) < 27 {
                dossiers += 1;
                let did = dossiers as i64;
                let due = started + 3 * DAY_MS;
                let resolved = match rng.below(100) {
                    0..=9 => due + 2 * DAY_MS,
                    10..=29 => due - 2 * 3_600_000,
                    _ => due - DAY_MS - 3_600_000,
                };
                let procedure = PROCEDURES[(did as usize) % PROCEDURES.len()];
                dossier
                    .execute(params![did, format!("H99-{did:08}"), format!("d{did:031}"), procedure, started, due, id])
                    .unwrap();
                step.execute(params![did, started, 2]).unwrap();
                step.execute(params![did, resolved, 9]).unwrap();
                step.execute(params![did, resolved + DAY_MS, 10]).unwrap();
                if resolved > due && did % 2 == 0 {
                    form.execute(params![did, due - 3_600_000, counter]).unwrap();
                }
                dossier_id = Some(did);
            }
            if served && rng.below(1000) < 355 {
                ratings += 1;
                let level = LEVELS[rng.below(10) as usize];
                let reasons = if level == "dissatisfied" { "[\"Thời gian chờ\"]" } else { "[]" };
                rating.execute(params![id, level, reasons, counter, dossier_id, finished + MINUTE]).unwrap();
            }
        }
    }
    drop((ticket, event, dossier, step, form, rating));
    conn.execute_batch("COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    (tickets, events, dossiers, ratings)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut d: Vec<Duration>) -> (f64, f64, f64) {
    d.sort();
    let at = |p: f64| ms(d[((d.len() as f64 - 1.0) * p).round() as usize]);
    (at(0.5), at(0.99), at(1.0))
}

/// The baseline: every row of every table read (the same queries over all time), the period's kept in
/// memory, then the same figures computed.
fn naive(reader: &Store, config: &Config, from: time::Date, to: time::Date) -> motcua::domain::report::Report {
    let start = |d: time::Date| (d - date!(2026 - 01 - 01)).whole_days() * DAY_MS + YEAR_MS;
    let (from_ms, to_ms) = (start(from), start(to) + DAY_MS);
    let within = |ms: i64| ms >= from_ms && ms < to_ms;
    let conn = reader.conn();
    let all = (i64::MIN / 2, i64::MAX / 2);
    let mut tickets = repo::tickets(conn, all.0, all.1).unwrap();
    tickets.retain(|t| within(t.arrived_ms));
    let mut dossiers = repo::dossiers(conn, all.0, all.1, to_ms).unwrap();
    dossiers.retain(|d| within(d.received_ms) || d.resolved_ms.is_some_and(within));
    report::working_days(config, reader, &mut dossiers);
    let ids: std::collections::BTreeSet<i64> =
        dossiers.iter().filter(|d| d.resolved_ms.is_some_and(within)).map(|d| d.id).collect();
    let mut ratings = repo::ratings(conn, all.0, all.1).unwrap();
    ratings.retain(|r| r.in_period || r.dossier.is_some_and(|d| ids.contains(&d)));
    let mut desk = repo::desk(conn, all.0, all.1).unwrap();
    let session_ms = i64::from(config.hub.session_minutes) * MINUTE;
    desk.retain(|f| f.at_ms >= from_ms - session_ms && f.at_ms < to_ms);
    let facts = Facts {
        tickets,
        dossiers,
        ratings,
        desk,
        session_ms,
        now_ms: to_ms,
        from_day: from.to_string(),
        to_day: to.to_string(),
        from_ms,
        to_ms,
    };
    motcua::domain::report::report(&facts, Some(By::Staff), config.reports.target_wait_minutes)
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut last = None;
    let times = (0..runs)
        .map(|_| {
            let t = Instant::now();
            last = Some(f());
            t.elapsed()
        })
        .collect();
    (times, last.unwrap())
}

fn motcua(data: &Path, config: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .env("MOTCUA_LOG", "error")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// `n` numbers taken through the kiosk's client, each timed; a counter calls one after each (not timed).
fn issuing(url: &str, kiosk: &RemoteHub, counter: &str, n: usize) -> (f64, f64, f64) {
    let a = agent();
    let times = (0..n)
        .map(|_| {
            let started = Instant::now();
            let reserved = kiosk.reserve("HT", None, None).expect("a ticket");
            kiosk.report(reserved.ticket.id, &Outcome::Printed { warning: None }).expect("its outcome");
            let took = started.elapsed();
            let _ = a
                .post(&format!("{url}/api/v1/counter/next"))
                .header("Authorization", &format!("Bearer {counter}"))
                .send_json(json!({}))
                .map(|mut r| r.body_mut().read_to_string());
            took
        })
        .collect();
    percentiles(times)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("motcua.db");
    let filled = Instant::now();
    let (tickets, events, dossiers, ratings) = fill(&db);
    let fill_s = filled.elapsed().as_secs_f64();
    let size_mb = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1_048_576.0;
    let config = Config::default();
    let clock = FixedClock(datetime!(2026-12-31 18:00 +7));
    let reader = Store::open_reader(&db).unwrap();

    println!("# Reports on a year's data\n");
    println!(
        "Generated {tickets} tickets, {events} events, {dossiers} dossiers, {ratings} ratings in {fill_s:.1} s \
         ({size_mb:.0} MiB file).\n"
    );
    let month = (date!(2026 - 06 - 01), date!(2026 - 06 - 30));
    let year = (date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    let run = |p: (time::Date, time::Date)| {
        report::report(&reader, &config, p.0, p.1, Some(By::Staff), &clock).unwrap().unwrap()
    };
    // Warm the page cache for both, as a hub that has been running would be.
    let _ = run(year);
    let (month_t, month_r) = timed(30, || run(month));
    let (month_n, month_nr) = timed(5, || naive(&reader, &config, month.0, month.1));
    let (year_t, year_r) = timed(5, || run(year));
    let (year_n, year_nr) = timed(3, || naive(&reader, &config, year.0, year.1));
    assert_eq!(month_r.figures.tickets, month_nr.figures.tickets, "the baseline computes the same figures");
    assert_eq!(month_r.figures.dossiers, month_nr.figures.dossiers);
    assert_eq!(year_r.figures.satisfaction, year_nr.figures.satisfaction);
    println!("| report (by staff) | runs | p50 | p99 | max | naive baseline p50 | naive max |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, t, n) in [("June 2026", month_t, month_n), ("the year 2026", year_t, year_n)] {
        let runs = t.len();
        let (p50, p99, max) = percentiles(t);
        let (n50, _, nmax) = percentiles(n);
        println!("| {name} | {runs} | {p50:.0} ms | {p99:.0} ms | {max:.0} ms | {n50:.0} ms | {nmax:.0} ms |");
    }
    println!(
        "\nJune: {} tickets, {} dossiers resolved, {} ratings; the year: {} tickets, {} resolved, on time {:?}%, \
         766 rate {:?}%.\n",
        month_r.figures.tickets.issued,
        month_r.figures.dossiers.resolved,
        month_r.figures.satisfaction.ratings,
        year_r.figures.tickets.issued,
        year_r.figures.dossiers.resolved,
        year_r.figures.dossiers.on_time_pct,
        year_r.figures.satisfaction.rate_766_pct,
    );
    drop(reader);

    // Issuing at the real hub while a leader asks for the year, again and again.
    let toml = dir.path().join("motcua.toml");
    let mut text = String::from("[queue]\nclosing_time = \"24:00\"\n\n");
    text.push_str(
        "[[services]]\ncode = \"HT\"\nprefix = \"A\"\nname_vi = \"Hộ tịch\"\nname_en = \"HT\"\nlast = 9999\n\
         width = 6\nhours = [\"00:00-24:00\"]\nsaturday_hours = [\"00:00-24:00\"]\nsunday_hours = [\"00:00-24:00\"]\n\n",
    );
    for n in 1..=COUNTERS {
        text.push_str(&format!("[[counters]]\nnumber = {n}\nname = \"Quầy {n}\"\nservices = [\"HT\"]\n\n"));
    }
    std::fs::write(&toml, text).unwrap();
    motcua(&data, &toml, &["counter", "set-pin", "1"], "100001\n");
    // The generated year runs to 31 December: staff accept today's clock, as after a clock that ran ahead.
    motcua(&data, &toml, &["clock", "accept"], "");
    let kiosk_token = motcua(&data, &toml, &["device", "add", "kiosk-1", "--role", "kiosk"], "");
    motcua(
        &data,
        &toml,
        &["staff", "add", "truong", "--name", "Trưởng bộ phận", "--roles", "leader"],
        "mùa thu Hà Nội\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--config")
        .arg(&toml)
        .env("MOTCUA_LOG", "error")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let a = agent();
    let login = |path: &str, body: Value| -> String {
        let v: Value = a.post(&format!("{url}{path}")).send_json(body).unwrap().into_body().read_json().unwrap();
        v["session"].as_str().unwrap_or("").to_string()
    };
    let counter = login("/api/v1/counter/login", json!({"counter": 1, "pin": "100001", "bearer": true}));
    let leader =
        login("/api/v1/staff/login", json!({"username": "truong", "password": "mùa thu Hà Nội", "bearer": true}));
    let kiosk = RemoteHub::new(&url, &kiosk_token);
    for _ in 0..50 {
        kiosk.reserve("HT", None, None).map(|r| kiosk.report(r.ticket.id, &Outcome::Printed { warning: None })).ok();
    }
    let idle = issuing(&url, &kiosk, &counter, 1000);
    let stop = Arc::new(AtomicBool::new(false));
    let reports = Arc::new(AtomicU64::new(0));
    let busy = {
        let (stop, reports, url, leader) = (stop.clone(), reports.clone(), url.clone(), leader.clone());
        std::thread::spawn(move || {
            let a = agent();
            while !stop.load(Ordering::Relaxed) {
                let r = a
                    .get(&format!("{url}/api/v1/reports?from=2026-01-01&to=2026-12-31&by=staff"))
                    .header("Authorization", &format!("Bearer {leader}"))
                    .call()
                    .map(|mut r| (r.status().as_u16(), r.body_mut().read_to_string().map(|b| b.len()).unwrap_or(0)));
                assert!(matches!(r, Ok((200, n)) if n > 1000), "the year's report: {r:?}");
                reports.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let started = Instant::now();
    let during = issuing(&url, &kiosk, &counter, 1000);
    let took = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    busy.join().unwrap();
    let done = reports.load(Ordering::Relaxed);

    // `motcua backup` of the year while numbers are taken, again and again until 400 have been timed.
    let copies = dir.path().join("copies");
    let backups = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let backing = {
        let (stop, backups, data, toml, copies) =
            (stop.clone(), backups.clone(), data.clone(), toml.clone(), copies.clone());
        std::thread::spawn(move || {
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let n = backups.fetch_add(1, Ordering::Relaxed);
                let file = copies.join(format!("year-{n}.db"));
                let t = Instant::now();
                motcua(&data, &toml, &["backup", "-o", file.to_str().unwrap()], "");
                times.push(t.elapsed());
                let _ = std::fs::remove_file(&file);
            }
            times
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let while_backing = issuing(&url, &kiosk, &counter, 400);
    stop.store(true, Ordering::Relaxed);
    let backup_times = backing.join().unwrap();
    let kept = copies.join("year.db");
    motcua(&data, &toml, &["backup", "-o", kept.to_str().unwrap()], "");
    let backup_mb = std::fs::metadata(&kept).map(|m| m.len()).unwrap_or(0) as f64 / 1_048_576.0;
    let _ = child.kill();
    let _ = child.wait();
    let fresh = dir.path().join("restored");
    let t = Instant::now();
    motcua(&fresh, &toml, &["restore", kept.to_str().unwrap()], "");
    let restore_s = t.elapsed().as_secs_f64();
    println!("Issuing at `motcua serve` (1,000 numbers each, a counter calling one after each):\n");
    println!("| while | p50 | p99 | max | p99 ÷ idle p99 |");
    println!("|---|---:|---:|---:|---:|");
    println!("| nothing else | {:.2} ms | {:.2} ms | {:.2} ms | 1.0× |", idle.0, idle.1, idle.2);
    println!(
        "| the year's report asked for again and again ({done} reports in {took:.1} s) | {:.2} ms | {:.2} ms | \
         {:.2} ms | {:.1}× |",
        during.0,
        during.1,
        during.2,
        during.1 / idle.1
    );
    let (b50, _, bmax) = percentiles(backup_times.clone());
    println!(
        "| `motcua backup` of the year again and again ({} copies) | {:.2} ms | {:.2} ms | {:.2} ms | {:.1}× |",
        backup_times.len(),
        while_backing.0,
        while_backing.1,
        while_backing.2,
        while_backing.1 / idle.1
    );
    println!(
        "\nBackup of the year ({backup_mb:.0} MiB copy): p50 {:.1} s, max {:.1} s, while numbers were taken. \
         Restore of it into an empty folder (check, put back, new epoch, purge): {restore_s:.1} s.",
        b50 / 1000.0,
        bmax / 1000.0
    );
}
