//! The catalog's public pages on the hub: size and latency of `/thu-tuc/{code}` and of a search on
//! `/thu-tuc` with the generated 10,000-procedure catalog, beside the same pages with the 56 procedures of
//! the demo catalog, over HTTP on loopback in the same run; and how long the first request after a change
//! takes (the hub loads the catalog again). Then the notice-board sheets: a 60-procedure field's PDF beside
//! one procedure's sheet. Run with `cargo bench --bench public_pages`.

mod generated;

use motcua::app::catalog;
use motcua::config::Config;
use motcua::domain::catalog::Procedure;
use motcua::domain::clock::SystemClock;
use motcua::hub::Hub;
use motcua::store::Store;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REQUESTS: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// GETs `path` and returns how long it took and how many bytes came.
fn get(agent: &ureq::Agent, url: &str) -> (Duration, usize) {
    let start = Instant::now();
    let mut r = agent.get(url).call().expect("the page answers");
    assert_eq!(r.status().as_u16(), 200, "{url}");
    let body = r.body_mut().read_to_string().expect("a page");
    (start.elapsed(), body.len())
}

struct Figures {
    procedures: usize,
    first: Duration,
    page: (Duration, Duration, usize),
    search: (Duration, Duration, usize),
}

/// A hub on its own database holding `procedures`, asked for pages of random procedures and searches.
fn measure(dir: &Path, procedures: &[Procedure]) -> Figures {
    let mut store = Store::open(&dir.join(format!("pages-{}.db", procedures.len()))).expect("store");
    catalog::import(&mut store, procedures, "bench", &SystemClock).expect("import");
    // Asked from loopback, which the request budget does not count.
    let hub = Hub::new(store, Config::default(), Arc::new(SystemClock), dir.to_path_buf()).expect("hub");
    let addr = motcua::hub::spawn(hub, "127.0.0.1:0").expect("hub listens");
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let base = format!("http://{addr}");
    let (first, _) = get(&agent, &format!("{base}/thu-tuc/{}", procedures[0].code));
    let words = ["dang ky khai sinh", "cap giay phep", "xac nhan tinh trang hon nhan", "chung thuc ban sao"];
    let mut pages = Vec::with_capacity(REQUESTS);
    let mut searches = Vec::with_capacity(REQUESTS);
    let (mut page_max, mut search_max) = (0, 0);
    for i in 0..REQUESTS {
        let code = &procedures[(i * 7919) % procedures.len()].code;
        let (took, bytes) = get(&agent, &format!("{base}/thu-tuc/{code}"));
        pages.push(took);
        page_max = page_max.max(bytes);
        let q = words[i % words.len()].replace(' ', "+");
        let (took, bytes) = get(&agent, &format!("{base}/thu-tuc?q={q}"));
        searches.push(took);
        search_max = search_max.max(bytes);
    }
    pages.sort();
    searches.sort();
    Figures {
        procedures: procedures.len(),
        first,
        page: (percentile(&pages, 0.5), percentile(&pages, 0.99), page_max),
        search: (percentile(&searches, 0.5), percentile(&searches, 0.99), search_max),
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("motcua-bench-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let demo = motcua::interchange::parse_catalog("demo", catalog::DEMO_CATALOG.as_bytes()).expect("demo").procedures;
    let baseline = measure(&dir, &demo);
    let province = measure(&dir, &generated::catalog(10_000));
    println!("## Public catalog pages\n");
    println!(
        "Machine: {} cores; `cargo bench --bench public_pages`; {REQUESTS} requests of each kind, one client on \
         loopback.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| catalog | first request (loads the catalog) | `/thu-tuc/{{code}}` p50 | p99 | largest | search p50 | p99 | largest |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (label, f) in [("demo (baseline)", &baseline), ("generated", &province)] {
        println!(
            "| {label}, {} procedures | {} | {} | {} | {:.1} KB | {} | {} | {:.1} KB |",
            f.procedures,
            ms(f.first),
            ms(f.page.0),
            ms(f.page.1),
            f.page.2 as f64 / 1000.0,
            ms(f.search.0),
            ms(f.search.1),
            f.search.2 as f64 / 1000.0
        );
    }
    posters();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Median of five makings of the sheets.
fn median_of_five(mut make: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        bytes = make();
        times.push(start.elapsed());
    }
    times.sort();
    (times[2], bytes)
}

fn posters() {
    let synonyms = catalog::load_synonyms("").expect("synonyms");
    let now = time::OffsetDateTime::now_utc();
    let procedures = generated::catalog(60)
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            p.field = "Lĩnh vực thử".into();
            motcua::store::catalog::StoredProcedure {
                id: i as i64,
                version: 1,
                imported_at: "2026-12-04T01:00:00Z".into(),
                source: "bench".into(),
                procedure: p,
            }
        })
        .collect();
    let field = catalog::Catalog::new(procedures, &synonyms);
    let config = Config::default();
    let code = field.procedures()[0].procedure.code.clone();
    let one = median_of_five(|| {
        catalog::posters(&field, &config, &catalog::Posters::Code(&code), now).expect("one sheet").len()
    });
    let all = median_of_five(|| {
        catalog::posters(&field, &config, &catalog::Posters::Field("Lĩnh vực thử"), now).expect("the field").len()
    });
    println!("\n## Notice-board sheets\n");
    println!("`app::catalog::posters`, median of 5 (A4 PDF, Noto Sans embedded and subset):\n");
    println!("| sheets | time | size |");
    println!("|---|---:|---:|");
    println!("| one procedure (baseline) | {} | {:.0} KB |", ms(one.0), one.1 as f64 / 1024.0);
    println!("| a 60-procedure field: index + 60 sheets | {} | {:.0} KB |", ms(all.0), all.1 as f64 / 1024.0);
}
