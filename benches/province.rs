//! The province's figures on a real PostgreSQL (a scratch cluster, as the tests make it): rows stored per
//! second through `Province::ingest` (one hall, and 20 at once) beside a plain binary `COPY` of the same
//! rows; the push lag from a call at a hall to its row at the province, with 20 hubs pushing over HTTPS at
//! once beside one alone; the public ticket page with a million tickets stored beside ten thousand; and a
//! province-wide month's report beside one hall's. Run with
//! `cargo bench --bench province`; prints a Markdown report. Needs Debian's `postgresql`.

mod common;
#[path = "../tests/common/postgres.rs"]
mod postgres;

use motcua::app::{counter, outbox, queue};
use motcua::domain::clock::SystemClock;
use motcua::domain::outbox::PushedRow;
use motcua::hub::Hub;
use motcua::print::Outcome;
use motcua::province::report::Asked;
use motcua::province::{Ingest, Province};
use motcua::store::Store;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_postgres::types::Type;

const HALLS: usize = 20;
const PUSH_RUN: Duration = Duration::from_secs(30);
const PAGE_RUN: Duration = Duration::from_secs(20);
/// Phones asking for their ticket's page at once.
const CLIENTS: usize = 8;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A hall's outbox after `tickets` tickets taken, called and served, in process.
fn hall_rows(tickets: usize) -> Vec<PushedRow> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let config = common::hall(1, 999_999, 6);
    counter::set_pin(&store, &config, 1, "246813", &SystemClock).unwrap();
    let hub = Hub::new(store, config, Arc::new(SystemClock), dir.path().to_path_buf()).unwrap();
    let addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    login(&addr.to_string());
    hub.change(move |store, config, clock| {
        for i in 0..tickets {
            let r = queue::reserve(store, config, ["HT", "CT"][i % 2], None, None, clock)?;
            queue::record_outcome(store, config, r.ticket.id, &Outcome::Printed { warning: None }, clock)?;
        }
        Ok(())
    })
    .unwrap();
    for _ in 0..tickets {
        hub.change(|store, config, clock| {
            queue::call_next_at(store, config, 1, clock)?;
            queue::act(store, config, 1, queue::Action::Start, clock)?;
            queue::act(store, config, 1, queue::Action::Complete, clock).map(|_| ())
        })
        .unwrap();
    }
    let store = Store::open(&dir.path().join("motcua.db")).unwrap();
    outbox::pending(&store, 0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|r| PushedRow { seq: r.seq, kind: r.kind, at_ms: r.at_ms, body: serde_json::from_str(&r.body).unwrap() })
        .collect()
}

fn login(addr: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
    agent
        .post(&format!("http://{addr}/api/v1/counter/login"))
        .send_json(json!({"counter": 1, "pin": "246813", "bearer": true}))
        .unwrap();
}

/// Rows per second: one hall's rows pushed in batches of 500; the same from 20 halls at once; a COPY.
async fn ingest(pg: &postgres::Postgres, rows: &[PushedRow]) -> (f64, f64, f64) {
    pg.create_db("ingest");
    let conninfo = pg.conninfo("ingest");
    let mut p = Province::connect(&conninfo).await.unwrap();
    for n in 0..=HALLS {
        p.add_hall(&format!("xa-{n:02}"), "Xã", &format!("token-{n}")).await.unwrap();
    }
    let start = Instant::now();
    let mut after = 0;
    for batch in rows.chunks(500) {
        match p.ingest("xa-00", "e1", None, after, batch).await.unwrap() {
            Ingest::Stored { acked, .. } => after = acked,
            gap => panic!("{gap:?}"),
        }
    }
    let one = rows.len() as f64 / start.elapsed().as_secs_f64();

    let start = Instant::now();
    let pushes: Vec<_> = (1..=HALLS)
        .map(|n| {
            let (conninfo, rows) = (conninfo.clone(), rows.to_vec());
            tokio::spawn(async move {
                let mut p = Province::open(&conninfo).await.unwrap();
                let mut after = 0;
                for batch in rows.chunks(500) {
                    if let Ingest::Stored { acked, .. } =
                        p.ingest(&format!("xa-{n:02}"), "e1", None, after, batch).await.unwrap()
                    {
                        after = acked;
                    }
                }
            })
        })
        .collect();
    for push in pushes {
        push.await.unwrap();
    }
    let many = (rows.len() * HALLS) as f64 / start.elapsed().as_secs_f64();

    p.client().batch_execute("CREATE TABLE copied (LIKE hall_row INCLUDING ALL)").await.unwrap();
    let start = Instant::now();
    let sink = p.client().copy_in("COPY copied (hall, epoch, seq, kind, at_ms, body) FROM STDIN BINARY").await.unwrap();
    let types = [Type::TEXT, Type::TEXT, Type::INT8, Type::TEXT, Type::INT8, Type::JSONB];
    let writer = tokio_postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
    futures_util::pin_mut!(writer);
    for r in rows {
        writer.as_mut().write(&[&"xa-00", &"e1", &r.seq, &r.kind, &r.at_ms, &r.body]).await.unwrap();
    }
    writer.finish().await.unwrap();
    let copy = rows.len() as f64 / start.elapsed().as_secs_f64();
    (one, many, copy)
}

/// The province service on its own thread over HTTPS; its URL and CA.
fn service(pg: &postgres::Postgres, db: &str, dir: &std::path::Path) -> (String, std::path::PathBuf) {
    pg.create_db(db);
    common::province_service(&pg.conninfo(db), dir, |_| {})
}

/// Push lag (ms, from the call at the hall to its row's arrival at the province): `halls` hubs calling a
/// ticket every `every` each, for `PUSH_RUN`. p50, p99, max, and the calls measured.
fn push_lag(pg: &postgres::Postgres, db: &str, halls: usize, every: Duration) -> (i64, i64, i64, usize) {
    let dir = tempfile::tempdir().unwrap();
    let (url, ca) = service(pg, db, dir.path());
    let rt = runtime();
    let p = rt.block_on(Province::connect(&pg.conninfo(db))).unwrap();
    let hubs: Vec<(Arc<Hub>, tempfile::TempDir)> = (0..halls)
        .map(|n| {
            let hall_dir = tempfile::tempdir().unwrap();
            let token = format!("token-{n}-{db}");
            rt.block_on(p.add_hall(&format!("xa-{n:02}"), "Xã", &token)).unwrap();
            let mut config = common::hall(1, 999_999, 6);
            config.province = common::pushing_to(&url, &ca, &token, hall_dir.path());
            let store = Store::open(&hall_dir.path().join("motcua.db")).unwrap();
            counter::set_pin(&store, &config, 1, "246813", &SystemClock).unwrap();
            let hub = Hub::new(store, config, Arc::new(SystemClock), hall_dir.path().to_path_buf()).unwrap();
            let addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
            login(&addr.to_string());
            (hub, hall_dir)
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = hubs
        .iter()
        .map(|(hub, _)| {
            let (hub, stop) = (hub.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    hub.change(|store, config, clock| {
                        let r = queue::reserve(store, config, "HT", None, None, clock)?;
                        queue::record_outcome(store, config, r.ticket.id, &Outcome::Printed { warning: None }, clock)?;
                        queue::call_next_at(store, config, 1, clock)?;
                        queue::act(store, config, 1, queue::Action::Start, clock)?;
                        queue::act(store, config, 1, queue::Action::Complete, clock).map(|_| ())
                    })
                    .unwrap();
                    std::thread::sleep(every);
                }
            })
        })
        .collect();
    std::thread::sleep(PUSH_RUN);
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    // Everything delivered, then read back when each call's row arrived.
    for (hub, _) in &hubs {
        let deadline = Instant::now() + Duration::from_secs(60);
        while hub.push_status().acked < hub.push_status().newest || hub.push_status().newest == 0 {
            assert!(Instant::now() < deadline, "not delivered: {:?}", hub.push_status());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let mut lags: Vec<i64> = rt
        .block_on(p.client().query(
            "SELECT (extract(epoch FROM received_at) * 1000)::BIGINT - at_ms FROM hall_row \
             WHERE kind = 'queue_event' AND body->>'kind' = 'called'",
            &[],
        ))
        .unwrap()
        .iter()
        .map(|r| r.get::<_, i64>(0))
        .collect();
    lags.sort_unstable();
    (percentile(&lags, 0.5), percentile(&lags, 0.99), *lags.last().unwrap(), lags.len())
}

/// A province's month, written straight into PostgreSQL: `halls` halls, 22 working days of `per_day`
/// tickets each (taken, printed, called, served), two in five with a dossier received and resolved, one in
/// five rated.
async fn month(p: &Province, halls: usize, per_day: usize) -> usize {
    let day0 = time::macros::datetime!(2026-11-02 08:00 +7);
    let mut written = 0;
    for h in 0..halls {
        let hall = format!("xa-{h:02}");
        p.add_hall(&hall, "Xã", &format!("month-{h}")).await.unwrap();
        p.client().execute("INSERT INTO hall_epoch (hall, epoch) VALUES ($1, 'e1')", &[&hall]).await.unwrap();
        let sink =
            p.client().copy_in("COPY hall_row (hall, epoch, seq, kind, at_ms, body) FROM STDIN BINARY").await.unwrap();
        let types = [Type::TEXT, Type::TEXT, Type::INT8, Type::TEXT, Type::INT8, Type::JSONB];
        let writer = tokio_postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
        futures_util::pin_mut!(writer);
        let mut seq = 0i64;
        let mut event = 0i64;
        let mut dossier = 0i64;
        for d in 0..31 {
            let date = day0 + time::Duration::days(d);
            if matches!(date.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
                continue;
            }
            for t in 0..per_day {
                let id = d * 10_000 + t as i64;
                let arrived = motcua::domain::clock::millis(date) + t as i64 * 60_000;
                let (called, done) = (arrived + 600_000, arrived + 1_200_000);
                let ticket = |state: &str, called: Option<i64>, done: Option<i64>| {
                    json!({"id": id, "day": date.date().to_string(), "service": "HT", "now_service": null,
                           "number": format!("A{t:03}"), "priority": null, "state": state, "arrived_ms": arrived,
                           "counter": called.map(|_| 1), "called_ms": called, "started_ms": called,
                           "finished_ms": done, "token": format!("t{h}-{id}")})
                };
                let mut rows = vec![
                    ("ticket", arrived, ticket("reserved", None, None)),
                    ("ticket", arrived, ticket("waiting", None, None)),
                    ("ticket", called, ticket("serving", Some(called), None)),
                    ("ticket", done, ticket("done", Some(called), Some(done))),
                ];
                for (kind, at) in [("issued", arrived), ("confirmed", arrived), ("called", called), ("done", done)] {
                    event += 1;
                    rows.push((
                        "queue_event",
                        at,
                        json!({"id": event, "at_ms": at, "kind": kind, "counter": 1,
                        "staff_id": 1, "ticket": {"id": id, "state": "done", "arrived_ms": arrived}}),
                    ));
                }
                if t % 5 < 2 {
                    dossier += 1;
                    let body = |status: u8| {
                        json!({"id": dossier, "code": format!("H{h}-{dossier}"), "token": format!("d{h}-{dossier}"),
                               "procedure_code": "1.001193", "procedure_version": 1, "channel": 1, "status": status,
                               "received_ms": called, "appointment_ms": called + 3 * 86_400_000,
                               "first_appointment_ms": called + 3 * 86_400_000, "appointment_provisional": false,
                               "ticket_id": id, "returned_ms": null, "applicant": "N*** V*** A***"})
                    };
                    let resolved = called + 2 * 86_400_000;
                    rows.push(("dossier", called, body(2)));
                    rows.push((
                        "dossier_status",
                        called,
                        json!({"id": dossier * 2, "at_ms": called, "status": 2,
                        "dossier": {"code": format!("H{h}-{dossier}")}}),
                    ));
                    rows.push(("dossier", resolved, body(9)));
                    rows.push((
                        "dossier_status",
                        resolved,
                        json!({"id": dossier * 2 + 1, "at_ms": resolved,
                        "status": 9, "dossier": {"code": format!("H{h}-{dossier}")}}),
                    ));
                }
                if t % 5 == 0 {
                    rows.push((
                        "rating",
                        done,
                        json!({"ticket_id": id, "level": "satisfied", "reasons": [],
                        "complained": false, "source": "tablet", "counter": 1, "staff_id": 1, "service": "HT",
                        "dossier_id": null, "rated_ms": done, "changed_ms": done}),
                    ));
                }
                for (kind, at, body) in rows {
                    seq += 1;
                    writer.as_mut().write(&[&hall, &"e1", &seq, &kind, &at, &body]).await.unwrap();
                    written += 1;
                }
            }
        }
        writer.finish().await.unwrap();
        p.client().execute("UPDATE hall_epoch SET acked = $2 WHERE hall = $1", &[&hall, &seq]).await.unwrap();
    }
    p.client().batch_execute("ANALYZE hall_row").await.unwrap();
    written
}

/// The province's public ticket page (`/t/{token}`) over HTTPS with `halls × days × 200` tickets stored:
/// `CLIENTS` phones asking at once for waiting tickets' pages (each answer counts the people ahead and
/// the numbers at the counters) for `PAGE_RUN`. p50, p99 (ms, to the tenth), pages answered, tickets stored.
fn public_page(pg: &postgres::Postgres, db: &str, halls: i32, days: i32) -> (f64, f64, usize, i64) {
    let dir = tempfile::tempdir().unwrap();
    let (url, ca) = service(pg, db, dir.path());
    let rt = runtime();
    let stored = rt.block_on(async {
        let p = Province::connect(&pg.conninfo(db)).await.unwrap();
        let fill = include_str!("province_public.sql")
            .replace("$HALLS", &halls.to_string())
            .replace("$DAYS", &days.to_string());
        p.client().batch_execute(&fill).await.unwrap();
        p.client().query_one("SELECT count(*) FROM ticket_now", &[]).await.unwrap().get::<_, i64>(0)
    });
    // The last day's waiting tickets of every hall.
    let tokens: Vec<String> = rt.block_on(async {
        let p = Province::open(&pg.conninfo(db)).await.unwrap();
        let rows = p.client().query("SELECT token FROM ticket_now WHERE state = 'waiting' ORDER BY token", &[]).await;
        rows.unwrap().iter().map(|r| r.get(0)).collect()
    });
    assert!(!tokens.is_empty());
    let trust = motcua::tls::Trust::load(&ca).unwrap();
    let stop = Instant::now() + PAGE_RUN;
    let mut times: Vec<i64> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (url, tokens, trust) = (&url, &tokens, &trust);
                s.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(trust.ureq()).build().into();
                    let mut times = Vec::new();
                    let mut i = c * 7919;
                    while Instant::now() < stop {
                        i = (i + 104_729) % tokens.len();
                        let start = Instant::now();
                        let mut answer = agent.get(&format!("{url}/t/{}", tokens[i])).call().unwrap();
                        let page = answer.body_mut().read_to_string().unwrap();
                        times.push(start.elapsed().as_micros() as i64);
                        assert!(page.contains("Số người trước bạn"), "{page}");
                    }
                    times
                })
            })
            .collect();
        threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
    });
    times.sort_unstable();
    let ms = |us: i64| us as f64 / 1000.0;
    (ms(percentile(&times, 0.5)), ms(percentile(&times, 0.99)), times.len(), stored)
}

fn main() {
    let Some(pg) = postgres::Postgres::start("benches/province") else { return };
    println!("## Province (`cargo bench --bench province`)\n");
    println!("Machine: {}; PostgreSQL from Debian, scratch cluster (fsync off).\n", common::machine());

    let rows = hall_rows(5_000);
    let rt = runtime();
    let (one, many, copy) = rt.block_on(ingest(&pg, &rows));
    println!("### Ingest ({} rows of a hall's real outbox)\n", rows.len());
    println!("| how | rows/s |\n|---|---:|");
    println!("| plain binary COPY of the same rows (baseline) | {copy:.0} |");
    println!("| `Province::ingest`, one hall, batches of 500 | {one:.0} |");
    println!("| `Province::ingest`, {HALLS} halls at once | {many:.0} |\n");

    println!("### Push lag: a call at the hall → its row at the province (HTTPS, loopback)\n");
    println!("| halls pushing | calls | p50 | p99 | max |\n|---:|---:|---:|---:|---:|");
    // A busy hall calls about once a minute; these call every second (and, to find where it gives way,
    // every 250 ms), each call with its ticket taken, printed, started and finished: 10 rows.
    for (db, halls, every) in [("lag1", 1, 1000), ("lag20", HALLS, 1000), ("lag20fast", HALLS, 250)] {
        let (p50, p99, max, n) = push_lag(&pg, db, halls, Duration::from_millis(every));
        let baseline = if halls == 1 { " (baseline)" } else { "" };
        println!("| {halls}{baseline}, a call every {every} ms each | {n} | {p50} ms | {p99} ms | {max} ms |");
    }
    println!();

    println!("### The public ticket page at the province (`/t/{{token}}`, HTTPS, {CLIENTS} phones at once)\n");
    println!("| tickets stored | pages answered | p50 | p99 |\n|---:|---:|---:|---:|");
    for (db, halls, days, what) in [("page10k", 1, 50, " (baseline)"), ("page1m", 50, 100, "")] {
        let (p50, p99, n, stored) = public_page(&pg, db, halls, days);
        println!("| {stored}{what} | {n} | {p50:.1} ms | {p99:.1} ms |");
    }
    println!();

    pg.create_db("month");
    let (written, one_hall, all) = rt.block_on(async {
        let p = Province::connect(&pg.conninfo("month")).await.unwrap();
        let written = month(&p, HALLS, 250).await;
        let calendar = motcua::app::dossier::calendar(&motcua::config::Config::default()).unwrap();
        let day = |d| time::Date::from_calendar_date(2026, time::Month::November, d).unwrap();
        let (from_ms, to_ms) = motcua::app::report::bounds(day(1), day(30)).unwrap();
        let asked = |halls: Vec<String>| Asked {
            halls,
            from_ms,
            to_ms,
            from_day: "2026-11-01".into(),
            to_day: "2026-11-30".into(),
            now_ms: motcua::domain::clock::millis(time::OffsetDateTime::now_utc()),
            session_ms: 8 * 3_600_000,
            target_wait_minutes: 30,
        };
        let start = Instant::now();
        let one = p.report(&asked(vec!["xa-00".into()]), &calendar, None).await.unwrap();
        let one_hall = start.elapsed();
        assert!(one.total.figures.tickets.issued > 0);
        let start = Instant::now();
        let every =
            p.report(&asked((0..HALLS).map(|h| format!("xa-{h:02}")).collect()), &calendar, None).await.unwrap();
        let all = start.elapsed();
        assert_eq!(every.total.figures.tickets.issued, one.total.figures.tickets.issued * HALLS as u64);
        (written, one_hall, all)
    });
    println!("### A month's report at the province ({written} rows: {HALLS} halls × 21 working days × 250 tickets)\n");
    println!("| report | time |\n|---|---:|");
    println!("| one hall's month (baseline) | {:.2} s |", one_hall.as_secs_f64());
    println!("| the whole province's month ({HALLS} halls, and each hall's own) | {:.2} s |", all.as_secs_f64());
}
