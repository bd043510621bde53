//! Search as you type on the kiosk: from a key on the on-screen keyboard to the catalog list drawn again
//! (the whole 1920x1080 window rendered by Slint's software renderer, as on a kiosk without a GPU), with
//! the demo catalog. Baselines in the same run: the catalog index answering the same prefixes alone, and
//! drawing the window with nothing changed.

use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use motcua::app::catalog::{self as catalog, Catalog};
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::store::Store;
use motcua::ui::{Parts, Work};
use motcua::{CatalogAdapter, KioskAdapter};
use slint::{ComponentHandle, Model, PhysicalSize};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const QUERIES: [&str; 6] =
    ["dang ky khai sinh", "chung thuc ban sao", "giay phep xay dung", "ket hon", "tro cap xa hoi", "xac nhan cu tru"];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut lat: Vec<Duration>) {
    lat.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} |",
        lat.len(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );
}

fn main() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("motcua.db")).unwrap();
    catalog::seed_demo(&mut store, &SystemClock).unwrap();
    let index = Rc::new(Catalog::load(&store, &catalog::load_synonyms("").unwrap()).unwrap());
    let mut config = Config::default();
    config.kiosk.screen_width_px = 1920;
    config.kiosk.screen_height_px = 1080;
    let printer = motcua::app::printing::open(&config, dir.path(), "kiosk").unwrap();
    let hub = motcua::hub::Hub::new(store, config.clone(), Arc::new(SystemClock), dir.path().to_path_buf()).unwrap();
    let work = Work::held();
    let kiosk = motcua::ui::build(Parts {
        config,
        catalog: index.clone(),
        hub,
        printer: Arc::new(Mutex::new(printer)),
        clock: Arc::new(SystemClock),
        work: work.clone(),
        follow: None,
    })
    .unwrap();
    let window = &kiosk.window;
    window.window().set_size(PhysicalSize::new(1920, 1080));
    window.show().unwrap();
    work.run_pending();
    window.global::<KioskAdapter>().invoke_go("catalog".into());
    let adapter = window.global::<CatalogAdapter>();
    window.window().take_snapshot().unwrap();

    let (mut keyed, mut searched, mut redrawn) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..10 {
        for query in QUERIES {
            adapter.invoke_search("".into());
            adapter.set_query("".into());
            let mut typed = String::new();
            for c in query.chars() {
                typed.push(c);
                let t = Instant::now();
                adapter.invoke_type_key(c.to_string().into());
                window.window().take_snapshot().unwrap();
                keyed.push(t.elapsed());
                assert_eq!(adapter.get_query().as_str(), typed);

                let t = Instant::now();
                let found = index.search(&typed, 30);
                searched.push(t.elapsed());
                std::hint::black_box(found);

                let t = Instant::now();
                window.window().take_snapshot().unwrap();
                redrawn.push(t.elapsed());
            }
            assert!(adapter.get_procedures().row_count() > 0, "{query} finds something");
        }
    }
    println!("## Kiosk search as you type\n");
    println!("| measured | key presses | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---|---|---|---|");
    report("key on the on-screen keyboard → list searched and window drawn (1920x1080, software)", keyed);
    report("baseline: the catalog index alone, same prefixes", searched);
    report("baseline: drawing the same window again with nothing changed", redrawn);
}
