//! Dossier lookups and import. Status by code and details by token (one index probe each, the timeline
//! read with the details) in a database file holding 1,000,000 dossiers (a province's year), beside the
//! same lookups with 10,000 in the same run; and importing 100,000 dossiers from a JSON file into a fresh
//! database, beside 10,000. Run with `cargo bench --bench dossiers`; prints a Markdown report.

use motcua::app::dossier;
use motcua::config::Config;
use motcua::domain::clock::FixedClock;
use motcua::domain::dossier::DossierCode;
use motcua::store::dossier::{self as repo, DossierEvent, DossierRow};
use motcua::store::Store;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

const LOOKUPS: usize = 20_000;

fn code(i: usize) -> String {
    // 400 agencies, one sequence per agency and day over a year.
    let agency = format!("000.{:02}.{:02}.H47", i % 20, (i / 20) % 20);
    let day = date!(2026 - 01 - 01) + time::Duration::days(((i / 400) % 365) as i64);
    DossierCode::new(&agency, day, (i / (400 * 365)) as u32 + 1).to_string()
}

fn token(i: usize) -> String {
    // Distinct, evenly spread 32-hex-digit tokens (real ones are random).
    format!("{:016x}{:016x}", (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15), i as u64 ^ 0x5851_F42D_4C95_7F2D)
}

fn fill(path: &std::path::Path, n: usize) -> Store {
    let mut store = Store::open(path).unwrap();
    let change = store.change().unwrap();
    for i in 0..n {
        let row = DossierRow {
            id: 0,
            code: code(i),
            token: token(i),
            procedure_code: "1.001193".into(),
            procedure_name: "Đăng ký khai sinh".into(),
            procedure_version: Some(1),
            channel: 1,
            applicant_name: Some("Nguyễn Văn Hải".into()),
            applicant_phone: Some(format!("09{:08}", i % 100_000_000)),
            received_ms: 1_780_000_000_000 + i as i64,
            appointment_ms: Some(1_780_300_000_000 + i as i64),
            appointment_provisional: false,
            status: 4,
            collect_at: "Bộ phận Tiếp nhận và Trả kết quả".into(),
            documents: "[\"Giấy chứng sinh\"]".into(),
            ticket_id: None,
            source: "bench".into(),
            returned_ms: None,
            updated_ms: 1_780_000_000_000,
        };
        let id = repo::insert(&change, &row).unwrap();
        repo::add_event(&change, id, &DossierEvent { at_ms: row.received_ms, status: 2, note: String::new() }).unwrap();
    }
    change.commit().unwrap();
    store
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

/// p50 and p99 of `LOOKUPS` lookups of random existing dossiers.
fn lookups(store: &Store, n: usize, by_token: bool) -> (Duration, Duration) {
    let clock = FixedClock(datetime!(2026-08-05 10:00 +7));
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut samples = Vec::with_capacity(LOOKUPS);
    for _ in 0..LOOKUPS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let i = (seed % n as u64) as usize;
        let t = Instant::now();
        let found = if by_token {
            dossier::by_token(store, &token(i), &clock).unwrap().is_some()
        } else {
            dossier::by_code(store, &code(i), &clock).unwrap().is_some()
        };
        samples.push(t.elapsed());
        assert!(found, "dossier {i}");
    }
    samples.sort();
    (percentile(&samples, 0.5), percentile(&samples, 0.99))
}

fn import(dir: &std::path::Path, n: usize) -> Duration {
    let mut text = String::from("[\n");
    for i in 0..n {
        let sep = if i + 1 == n { "" } else { "," };
        text.push_str(&format!(
            "{{\"code\": \"{}\", \"procedure_code\": \"1.001193\", \"procedure_name\": \"Đăng ký khai sinh\", \
             \"applicant_name\": \"Nguyễn Văn Hải\", \"applicant_phone\": \"09{:08}\", \"received\": \"2026-08-04 09:30\", \
             \"appointment\": \"2026-08-07 09:30\", \"status\": 4, \"documents\": [\"Giấy chứng sinh\"]}}{sep}\n",
            code(i),
            i
        ));
    }
    text.push(']');
    let file = dir.join(format!("import-{n}.json"));
    std::fs::write(&file, &text).unwrap();
    let mut store = Store::open(&dir.join(format!("import-{n}.db"))).unwrap();
    let config = Config::default();
    let clock = FixedClock(datetime!(2026-08-05 10:00 +7));
    let t = Instant::now();
    let text = std::fs::read_to_string(&file).unwrap();
    let records = motcua::interchange::dossiers::read("import.json", &text).unwrap();
    let calendar = dossier::calendar(&config).unwrap();
    let none = |_: &str, _: u8| None;
    let outcome = dossier::import(&mut store, &config, &records, &calendar, &none, "bench", &clock).unwrap();
    let took = t.elapsed();
    assert_eq!(outcome.added, n);
    took
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("## Dossier lookups and import\n");
    println!("| dossiers in the file | fill (s) | by code p50 (µs) | by code p99 (µs) | by token, with timeline, p50 (µs) | by token p99 (µs) |");
    println!("|---|---|---|---|---|---|");
    for n in [10_000usize, 1_000_000] {
        let t = Instant::now();
        let store = fill(&dir.path().join(format!("lookup-{n}.db")), n);
        let filled = t.elapsed();
        assert_eq!(repo::count(store.conn()).unwrap(), n as i64);
        let (code50, code99) = lookups(&store, n, false);
        let (token50, token99) = lookups(&store, n, true);
        println!(
            "| {n} | {:.1} | {} | {} | {} | {} |",
            filled.as_secs_f64(),
            us(code50),
            us(code99),
            us(token50),
            us(token99)
        );
    }
    println!("\n| import from JSON into a fresh file | time (s) | per dossier (µs) |");
    println!("|---|---|---|");
    for n in [10_000usize, 100_000] {
        let took = import(dir.path(), n);
        println!("| {n} dossiers | {:.2} | {:.1} |", took.as_secs_f64(), took.as_secs_f64() * 1e6 / n as f64);
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("\n({LOOKUPS} lookups of random existing dossiers each; {cores} cores; WAL, synchronous=FULL)");
}
