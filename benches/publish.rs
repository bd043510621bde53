//! From a publish to every kiosk holding the new catalog: kiosks on other machines follow a hub over HTTP
//! on loopback (its event stream, then `GET /api/v1/catalog`, the check of every procedure, the copy kept
//! and the search index built), as `motcua kiosk --hub` does. Each round changes one procedure of the demo
//! catalog and times until the slowest kiosk has it: published by staff in the hub's writer (what
//! `/quan-tri`'s "Công bố" runs), or by an import on another connection (as `motcua catalog import` does,
//! which the hub notices within its idle wait). 5 kiosks following, beside 1 kiosk in the same run. Run
//! with `cargo bench --bench publish`.

use motcua::app::catalog::{self, Catalog, Editing};
use motcua::app::counter;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::hub::client::RemoteHub;
use motcua::hub::feed::Feed;
use motcua::hub::follow::{self, Follow, Following, Remote};
use motcua::hub::Hub;
use motcua::store::Store;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 60;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// How a round publishes.
#[derive(Clone, Copy, PartialEq)]
enum Via {
    /// Staff's publish in the hub's writer, as `/quan-tri` does.
    Staff,
    /// An import on another connection, as the command line does.
    Import,
}

/// Times from each publish until all `kiosks` have the new name.
fn rounds(dir: &Path, kiosks: usize, via: Via) -> Vec<Duration> {
    let db = dir.join(format!("publish-{kiosks}-{}.db", via == Via::Staff));
    let mut store = Store::open(&db).expect("store");
    catalog::seed_demo(&mut store, &SystemClock).expect("demo");
    let token = counter::add_device(&store, "kiosk", "kiosk", &SystemClock).expect("token");
    let hub = Hub::new(store, Config::default(), Arc::new(SystemClock), dir.to_path_buf()).expect("hub");
    let url = format!("http://{}", motcua::hub::spawn(hub.clone(), "127.0.0.1:0").expect("listens"));
    let synonyms = catalog::load_synonyms("").expect("synonyms");
    let (tx, rx) = mpsc::channel::<(usize, Catalog)>();
    for k in 0..kiosks {
        let remote = Remote {
            feed: Feed::new(&url, &token, 5),
            hub: RemoteHub::new(&url, &token),
            copy: dir.join(format!("copy-{kiosks}-{k}.json")),
        };
        let loaded = remote.load(&synonyms).expect("first load");
        let tx = tx.clone();
        let following =
            Following { follow: Follow::Remote(Box::new(remote)), synonyms: synonyms.clone(), stamp: loaded.stamp };
        follow::start(following, move |c| {
            let _ = tx.send((k, c));
        });
    }
    // The followers connect to the stream.
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}
    let mut writer = Store::open(&db).expect("a second connection, as the command line");
    let demo = motcua::interchange::parse_catalog("demo", catalog::DEMO_CATALOG.as_bytes()).expect("demo").procedures;
    let mut times = Vec::new();
    for round in 0..ROUNDS {
        let mut p = demo[round % demo.len()].clone();
        p.name = format!("{} (lần {round})", p.name);
        let code = p.code.clone();
        let name = p.name.clone();
        let start = Instant::now();
        match via {
            Via::Import => {
                catalog::import(&mut writer, &[p], "bench", &SystemClock).expect("import");
            }
            Via::Staff => {
                let base = catalog::current_version(&writer, &code).expect("read").unwrap_or(0);
                let published = hub.change(move |store, _, clock| {
                    let page = p.code.clone();
                    let editing = Editing { page: &page, base, actor: "staff:bench" };
                    Ok(catalog::publish(store, &p, &editing, clock)?)
                });
                assert!(matches!(published, Ok(Ok(_))), "published");
            }
        }
        let mut have = vec![false; kiosks];
        while have.iter().any(|h| !h) {
            let (k, c) = rx.recv_timeout(Duration::from_secs(10)).expect("every kiosk hears of it");
            if c.by_code(&code).is_some_and(|s| s.procedure.name == name) {
                have[k] = true;
            }
        }
        times.push(start.elapsed());
        // Irregular gaps, as publishes come, so that no round lines up with the hub's idle wait.
        std::thread::sleep(Duration::from_millis(37 + (round as u64 * 53) % 250));
    }
    times.sort();
    times
}

fn main() {
    let dir = std::env::temp_dir().join(format!("motcua-bench-publish-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let runs = [
        ("staff's publish (/quan-tri)", 1, rounds(&dir, 1, Via::Staff)),
        ("staff's publish (/quan-tri)", 5, rounds(&dir, 5, Via::Staff)),
        ("import on another connection", 1, rounds(&dir, 1, Via::Import)),
        ("import on another connection", 5, rounds(&dir, 5, Via::Import)),
    ];
    println!("## Publish to kiosks\n");
    println!(
        "Machine: {} cores; `cargo bench --bench publish`; {ROUNDS} publishes of one changed procedure of the demo \
         catalog (56 procedures), by staff in the hub's writer or by an import on another connection.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| published by | kiosks following | p50 | p99 | max |");
    println!("|---|---:|---:|---:|---:|");
    for (by, n, t) in &runs {
        println!(
            "| {by} | {n}{} | {} | {} | {} |",
            if *n == 1 { " (baseline)" } else { "" },
            ms(percentile(t, 0.5)),
            ms(percentile(t, 0.99)),
            ms(t[t.len() - 1])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
