//! Booking's figures on a real PostgreSQL (a scratch cluster, as the tests make it), over HTTPS on
//! loopback: the booking form's page and the booking itself at the province with 50 halls and a month of
//! bookings, beside the same 50 halls with none; and the time from a booking at the province to its
//! presence in a hall's database (the hub pulls every 5 s), beside the pull's own request. Run with
//! `cargo bench --bench booking`; prints a Markdown report. The waits of booked and walk-in tickets are
//! in `cargo bench --bench wait_estimate`. Needs Debian's `postgresql`.

mod common;
#[path = "../tests/common/postgres.rs"]
mod postgres;

use motcua::domain::clock::SystemClock;
use motcua::hub::Hub;
use motcua::province::Province;
use motcua::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

const HALLS: i32 = 50;
const PAGE_RUN: Duration = Duration::from_secs(20);
/// Phones at once.
const CLIENTS: usize = 8;
/// Bookings timed from the province to the hall.
const TIMED: usize = 20;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The province's service on a fresh database, its caps lifted for the bench's one address.
fn service(pg: &postgres::Postgres, db: &str, dir: &std::path::Path) -> (String, std::path::PathBuf) {
    pg.create_db(db);
    common::province_service(&pg.conninfo(db), dir, |config| {
        config.province.booking_per_address_per_hour = 10_000;
    })
}

/// A client of the province that trusts its CA and follows no redirect.
fn agent(trust: &motcua::tls::Trust) -> ureq::Agent {
    ureq::Agent::config_builder().tls_config(trust.ureq()).http_status_as_error(false).max_redirects(0).build().into()
}

/// Books `slot` ("YYYY-MM-DD/minute") of `hall`'s service HT for `phone` as the form does: when the request
/// went, and the answer's status (303 for a booking made).
fn book(agent: &ureq::Agent, url: &str, hall: &str, slot: &str, phone: &str) -> (Instant, u16) {
    let form = serde_urlencoded::to_string([("slot", slot), ("phone", phone)]).unwrap();
    let sent = Instant::now();
    let answer = agent
        .post(&format!("{url}/dat-lich/{hall}/HT"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    (sent, answer.status().as_u16())
}

/// The working days a booking may be made for from tomorrow, as the halls offer them.
fn days() -> Vec<String> {
    let today = time::OffsetDateTime::now_utc().to_offset(motcua::domain::clock::VIETNAM).date();
    (1..=7)
        .map(|n| today + time::Duration::days(n))
        .filter(|d| d.weekday().number_days_from_monday() < 5)
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .collect()
}

/// Timings of one kind of request: p50 and p99 in ms, how many, and how many made a booking.
struct Timed {
    p50: f64,
    p99: f64,
    n: usize,
    made: usize,
}

impl Timed {
    fn of(mut micros: Vec<i64>, made: usize) -> Timed {
        micros.sort_unstable();
        let ms = |us: i64| us as f64 / 1000.0;
        Timed { p50: ms(percentile(&micros, 0.5)), p99: ms(percentile(&micros, 0.99)), n: micros.len(), made }
    }
}

/// Form pages (GET) and bookings (POST) for `PAGE_RUN` from `CLIENTS` phones.
fn load(url: &str, ca: &std::path::Path) -> (Timed, Timed) {
    let trust = motcua::tls::Trust::load(ca).unwrap();
    let days = days();
    let stop = Instant::now() + PAGE_RUN;
    let all: Vec<(Vec<i64>, Vec<i64>, usize)> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (url, trust, days) = (url, &trust, &days);
                s.spawn(move || {
                    let agent = agent(trust);
                    let (mut gets, mut posts, mut made) = (Vec::new(), Vec::new(), 0);
                    let mut i = c * 7919;
                    while Instant::now() < stop {
                        i += 104_729;
                        let hall = 1 + i % HALLS as usize;
                        let start = Instant::now();
                        let mut page = agent.get(&format!("{url}/dat-lich/xa-{hall}/HT")).call().unwrap();
                        let body = page.body_mut().read_to_string().unwrap();
                        gets.push(start.elapsed().as_micros() as i64);
                        assert!(body.contains("Đặt lịch"), "{body}");
                        // Every other round, a booking in a window of those days (one may be full).
                        if i % 2 == 0 {
                            let day = &days[i / 7 % days.len()];
                            let window = [450, 480, 510, 540, 570, 600, 630, 660, 810, 840, 870, 900][i / 3 % 12];
                            let phone = format!("09{:08}", (i * 31 + c) % 100_000_000);
                            let (sent, status) =
                                book(&agent, url, &format!("xa-{hall}"), &format!("{day}/{window}"), &phone);
                            posts.push(sent.elapsed().as_micros() as i64);
                            made += usize::from(status == 303);
                        }
                    }
                    (gets, posts, made)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let gets: Vec<i64> = all.iter().flat_map(|a| a.0.clone()).collect();
    let posts: Vec<i64> = all.iter().flat_map(|a| a.1.clone()).collect();
    let made = all.iter().map(|a| a.2).sum();
    (Timed::of(gets, 0), Timed::of(posts, made))
}

/// The booking pages with `HALLS` halls, and `month` days of bookings behind them (0: none).
fn pages(pg: &postgres::Postgres, db: &str, month: i32) -> (i64, Timed, Timed) {
    let dir = tempfile::tempdir().unwrap();
    let (url, ca) = service(pg, db, dir.path());
    let rt = runtime();
    let stored = rt.block_on(async {
        let p = Province::connect(&pg.conninfo(db)).await.unwrap();
        let fill =
            include_str!("booking.sql").replace("$HALLS", &HALLS.to_string()).replace("$MONTH", &month.to_string());
        p.client().batch_execute(&fill).await.unwrap();
        p.client().query_one("SELECT count(*) FROM booking", &[]).await.unwrap().get::<_, i64>(0)
    });
    let (get, post) = load(&url, &ca);
    (stored, get, post)
}

/// A hall whose hub pulls from the province; the time from each of `TIMED` bookings (made at random
/// moments) to its row in the hall's database, and the pull's own request: (p50, p99, max) each, in µs.
fn to_the_hall(pg: &postgres::Postgres, db: &str) -> ((i64, i64, i64), (i64, i64, i64)) {
    let dir = tempfile::tempdir().unwrap();
    let (url, ca) = service(pg, db, dir.path());
    let rt = runtime();
    let p = rt.block_on(Province::connect(&pg.conninfo(db))).unwrap();
    let token = "token-of-the-bench-hall";
    rt.block_on(p.add_hall("xa-1", "Xã 1", token)).unwrap();
    let hall_dir = tempfile::tempdir().unwrap();
    let mut config = common::hall(1, 999_999, 6);
    config.booking.enabled = true;
    config.booking.slots_per_window = 50;
    config.province = common::pushing_to(&url, &ca, token, hall_dir.path());
    let db_file = hall_dir.path().join("motcua.db");
    let hub =
        Hub::new(Store::open(&db_file).unwrap(), config, Arc::new(SystemClock), hall_dir.path().to_path_buf()).unwrap();
    let _addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    let trust = motcua::tls::Trust::load(&ca).unwrap();
    let agent = agent(&trust);
    // The hall's offer reaches the province with its first row.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !agent.get(&format!("{url}/dat-lich")).call().unwrap().body_mut().read_to_string().unwrap().contains("Xã 1")
    {
        assert!(Instant::now() < deadline, "the hall's offer did not arrive");
        std::thread::sleep(Duration::from_millis(200));
    }
    let reader = rusqlite::Connection::open(&db_file).unwrap();
    let held = || reader.query_row("SELECT count(*) FROM booking", [], |r| r.get::<_, i64>(0)).unwrap();
    let day = &days()[0];
    let mut lags = Vec::new();
    let mut seed = 0x5EED_u64;
    for n in 0..TIMED {
        // A moment anywhere in the pull's period.
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        std::thread::sleep(Duration::from_millis((seed >> 33) % 5000));
        let slot = format!("{day}/{}", 450 + 30 * (n % 8));
        let (start, status) = book(&agent, &url, "xa-1", &slot, &format!("09120000{n:02}"));
        assert_eq!(status, 303);
        while held() < n as i64 + 1 {
            assert!(start.elapsed() < Duration::from_secs(30), "the booking did not reach the hall");
            std::thread::sleep(Duration::from_millis(10));
        }
        lags.push(start.elapsed().as_micros() as i64);
    }
    // The pull's own request, as the hub makes it.
    let mut requests = Vec::new();
    for _ in 0..TIMED {
        let start = Instant::now();
        let mut r = agent
            .get(&format!("{url}/api/v1/bookings?after=0"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        let _ = r.body_mut().read_to_string().unwrap();
        requests.push(start.elapsed().as_micros() as i64);
    }
    lags.sort_unstable();
    requests.sort_unstable();
    let three = |v: &[i64]| (percentile(v, 0.5), percentile(v, 0.99), *v.last().unwrap());
    (three(&lags), three(&requests))
}

fn main() {
    let Some(pg) = postgres::Postgres::start("benches/booking") else { return };
    println!("## Booking (`cargo bench --bench booking`)\n");
    println!("Machine: {}; PostgreSQL from Debian, scratch cluster (fsync off).\n", common::machine());
    println!(
        "### The booking form's page and a booking at the province ({HALLS} halls, HTTPS, {CLIENTS} phones at once)\n"
    );
    println!("| bookings stored | form pages | p50 | p99 | bookings asked | made | p50 | p99 |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (db, month, what) in [("none", 0, " (baseline)"), ("month", 30, "")] {
        let (stored, get, post) = pages(&pg, db, month);
        println!(
            "| {stored}{what} | {} | {:.1} ms | {:.1} ms | {} | {} | {:.1} ms | {:.1} ms |",
            get.n, get.p50, get.p99, post.n, post.made, post.p50, post.p99
        );
    }
    println!();
    let ((l50, l99, lmax), (r50, r99, rmax)) = to_the_hall(&pg, "pull");
    println!("### A booking at the province → in the hall's database (HTTPS, loopback; the hub pulls every 5 s)\n");
    println!("| what | p50 | p99 | max |\n|---|---:|---:|---:|");
    let ms = |us: i64| us as f64 / 1000.0;
    println!("| the pull's own request (baseline) | {:.1} ms | {:.1} ms | {:.1} ms |", ms(r50), ms(r99), ms(rmax));
    println!(
        "| a booking made at a random moment, until the hall holds it ({TIMED}) | {:.0} ms | {:.0} ms | {:.0} ms |",
        ms(l50),
        ms(l99),
        ms(lmax)
    );
}
