//! A full disk, timed: how long from the moment the disk fills until the hub refuses a number (and how many
//! it still saved in the room SQLite had left), how fast a refusal is answered, and how long from freeing
//! space until the next number is saved, with a kiosk asking again every 10 ms. On a size-capped tmpfs
//! (needs root to mount) and with the database capped by `max_page_count` (`[hub] database_max_mib`),
//! beside the same hub's ordinary issuance on the same tmpfs. Run with `cargo bench --bench disk_full`;
//! prints a Markdown report.

mod common;

use motcua::app::counter;
use motcua::domain::clock::SystemClock;
use motcua::hub::Hub;
use motcua::store::Store;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

struct Kiosk {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Kiosk {
    fn start(dir: &Path, cap: Option<u64>) -> Kiosk {
        let store = Store::open(&dir.join("motcua.db")).unwrap();
        let token = counter::add_device(&store, "bench", "kiosk", &SystemClock).unwrap();
        if let Some(extra) = cap {
            store.limit_size(store.size_bytes().unwrap() + extra).unwrap();
        }
        let hub = Hub::new(store, common::hall(4, 999_999, 6), Arc::new(SystemClock), dir.to_path_buf()).unwrap();
        let addr = motcua::hub::spawn(hub, "127.0.0.1:0").unwrap();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Kiosk { agent, base: format!("http://{addr}"), token }
    }

    /// One issuance (reserve, then "printed"); the status of the first answer that was not a success.
    fn issue(&self) -> Result<(), u16> {
        let post = |path: &str, body: serde_json::Value| {
            self.agent
                .post(&format!("{}{path}", self.base))
                .header("Authorization", &format!("Bearer {}", self.token))
                .send_json(body)
                .unwrap()
        };
        let mut r = post("/api/v1/tickets", json!({"service": "HT"}));
        if r.status() != 201 {
            return Err(r.status().as_u16());
        }
        let id = r.body_mut().read_json::<serde_json::Value>().unwrap()["ticket"]["id"].as_i64().unwrap();
        let o = post(&format!("/api/v1/tickets/{id}/outcome"), json!({"outcome": "printed"}));
        if o.status() != 200 {
            return Err(o.status().as_u16());
        }
        Ok(())
    }
}

struct Run {
    /// Ordinary issuances before the disk filled.
    normal: Vec<Duration>,
    /// Numbers still saved after the disk filled, and the time until the first refusal.
    saved_after: usize,
    to_refusal: Duration,
    /// The answer time of refused issuances.
    refusals: Vec<Duration>,
    /// From freeing space to the next number saved (None for the cap: nothing frees it).
    to_recovery: Option<Duration>,
}

fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![0x55u8; 16 * 1024];
    while f.write_all(&block).and_then(|()| f.sync_all()).is_ok() {}
}

/// Ordinary issuances, then the disk fills (`fill` returns when it is full), then numbers until refused.
fn run(dir: &Path, cap: Option<u64>, filler: Option<&Path>) -> Run {
    let kiosk = Kiosk::start(dir, cap);
    let normal = (0..200)
        .map(|_| {
            let t = Instant::now();
            kiosk.issue().expect("room before filling");
            t.elapsed()
        })
        .collect();
    if let Some(f) = filler {
        fill(f);
    }
    let full = Instant::now();
    let mut saved_after = 0;
    while kiosk.issue().is_ok() {
        saved_after += 1;
    }
    let to_refusal = full.elapsed();
    // Under a page cap a smaller change may still fit in a page with room (a reservation after its
    // "printed" report was refused): only refused attempts are timed.
    let refusals: Vec<Duration> = (0..100)
        .filter_map(|_| {
            let t = Instant::now();
            let answer = kiosk.issue();
            assert!(matches!(answer, Ok(()) | Err(507)), "{answer:?}");
            answer.is_err().then(|| t.elapsed())
        })
        .collect();
    assert!(!refusals.is_empty());
    let to_recovery = filler.map(|f| {
        std::fs::remove_file(f).unwrap();
        let freed = Instant::now();
        while kiosk.issue().is_err() {
            std::thread::sleep(Duration::from_millis(10));
        }
        freed.elapsed()
    });
    Run { normal, saved_after, to_refusal, refusals, to_recovery }
}

fn percentile(d: &mut [Duration], p: f64) -> Duration {
    d.sort();
    d[((d.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn report(name: &str, runs: Vec<Run>) {
    let mut normal: Vec<Duration> = runs.iter().flat_map(|r| r.normal.clone()).collect();
    let mut refusals: Vec<Duration> = runs.iter().flat_map(|r| r.refusals.clone()).collect();
    let mut to_refusal: Vec<Duration> = runs.iter().map(|r| r.to_refusal).collect();
    let saved: Vec<String> = runs.iter().map(|r| r.saved_after.to_string()).collect();
    let mut recovery: Vec<Duration> = runs.iter().filter_map(|r| r.to_recovery).collect();
    let recovered = if recovery.is_empty() {
        "—".to_string()
    } else {
        format!("{} / {}", ms(percentile(&mut recovery, 0.5)), ms(percentile(&mut recovery, 1.0)))
    };
    println!(
        "| {name} | {} / {} | {} / {} | {} | {} / {} | {recovered} |",
        ms(percentile(&mut normal, 0.5)),
        ms(percentile(&mut normal, 0.99)),
        ms(percentile(&mut to_refusal, 0.5)),
        ms(percentile(&mut to_refusal, 1.0)),
        saved.join(", "),
        ms(percentile(&mut refusals, 0.5)),
        ms(percentile(&mut refusals, 0.99)),
    );
}

fn main() {
    println!("## A full disk ({RUNS} runs each)\n");
    println!("| database | issuance p50 / p99 (baseline) | full → first refusal p50 / max | numbers saved after it filled | refusal answered p50 / p99 | space freed → number saved p50 / max |");
    println!("|---|---|---|---|---|---|");
    let mounted: Vec<Run> = (0..RUNS)
        .map_while(|_| {
            let dir = tempfile::tempdir().unwrap();
            let ok = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs"])
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("cannot mount a tmpfs (not root?): the tmpfs row is left out");
                return None;
            }
            let data = dir.path().join("data");
            std::fs::create_dir(&data).unwrap();
            let r = run(&data, None, Some(&dir.path().join("filler")));
            let _ = std::process::Command::new("umount").arg("-l").arg(dir.path()).status();
            Some(r)
        })
        .collect();
    if !mounted.is_empty() {
        report("tmpfs of 8 MiB, filled by another file", mounted);
    }
    let capped = (0..RUNS)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            run(dir.path(), Some(1024 * 1024), None)
        })
        .collect();
    report("on disk, capped at its size + 1 MiB (no moment of filling: the first two columns are the time and numbers the room held)", capped);
}
