//! A key on the kiosk's on-screen keyboard to the frame on the panel, as a kiosk without a GPU draws it:
//! Slint's software renderer into a reused frame buffer (`MinimalSoftwareWindow`), redrawing only what
//! changed, at 1080x1920 portrait with the demo catalog. Baseline in the same run: the same keys with the
//! whole window drawn into a new buffer each frame.
//!
//! Also, unless `--keys-only`: "Nghe" to the first sound (espeak-ng's first bytes at the player) beside
//! espeak-ng writing the whole reading; a printer out of paper to the number on screen (phiếu điện tử)
//! beside a ticket printed; and the kiosk's memory with the aids on beside the plain kiosk.
//! `benches/kiosk_keys_slow.sh` runs the keys again on a quarter of one core.

use motcua::app::catalog::{self as catalog, Catalog};
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::store::Store;
use motcua::ui::{Kiosk, Parts, Work};
use motcua::{CatalogAdapter, KioskAdapter, Theme, TicketAdapter};
use slint::platform::software_renderer::{
    MinimalSoftwareWindow, PremultipliedRgbaColor, RepaintBufferType, SoftwareRenderer,
};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, PlatformError};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const QUERIES: [&str; 6] =
    ["dang ky khai sinh", "chung thuc ban sao", "giay phep xay dung", "ket hon", "tro cap xa hoi", "xac nhan cu tru"];
const WIDTH: u32 = 1080;
const HEIGHT: u32 = 1920;

/// Hands out the window the next kiosk is drawn in.
struct Panel {
    next: RefCell<Option<Rc<MinimalSoftwareWindow>>>,
}

impl Platform for Panel {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        let window = self.next.borrow_mut().take().ok_or(PlatformError::NoPlatform)?;
        Ok(window)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn row(name: &str, mut lat: Vec<Duration>, extra: &str) {
    lat.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {extra} |",
        lat.len(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );
}

/// A kiosk on the demo catalog in a window of the given kind, on its catalog screen, drawn once.
fn kiosk(panel: &Panel, kind: RepaintBufferType, dir: &std::path::Path) -> (Kiosk, Rc<MinimalSoftwareWindow>) {
    let (kiosk, window, _) = kiosk_printing(panel, kind, dir, "virtual");
    (kiosk, window)
}

/// `kiosk`, printing on `target`, with every service open around the clock; also its held work.
fn kiosk_printing(
    panel: &Panel,
    kind: RepaintBufferType,
    dir: &std::path::Path,
    target: &str,
) -> (Kiosk, Rc<MinimalSoftwareWindow>, Work) {
    let window = MinimalSoftwareWindow::new(kind);
    *panel.next.borrow_mut() = Some(window.clone());
    let name = format!("motcua-{}.db", std::fs::read_dir(dir).map_or(0, |d| d.count()));
    let mut store = Store::open(&dir.join(name)).unwrap();
    catalog::seed_demo(&mut store, &SystemClock).unwrap();
    let index = Rc::new(Catalog::load(&store, &catalog::load_synonyms("").unwrap()).unwrap());
    let mut config = Config::default();
    config.kiosk.read_aloud = String::new();
    config.printers.get_mut("kiosk").unwrap().target = target.into();
    config.queue.closing_time = "24:00".into();
    for s in &mut config.services {
        (s.hours, s.saturday_hours, s.sunday_hours) =
            (vec!["00:00-24:00".into()], vec!["00:00-24:00".into()], vec!["00:00-24:00".into()]);
    }
    let printer = motcua::app::printing::open(&config, dir, "kiosk").unwrap();
    let hub = motcua::hub::Hub::new(store, config.clone(), Arc::new(SystemClock), dir.to_path_buf()).unwrap();
    let work = Work::held();
    let kiosk = motcua::ui::build(Parts {
        config,
        catalog: index,
        hub,
        printer: Arc::new(Mutex::new(printer)),
        clock: Arc::new(SystemClock),
        work: work.clone(),
        follow: None,
    })
    .unwrap();
    window.set_size(PhysicalSize::new(WIDTH, HEIGHT));
    kiosk.window.show().unwrap();
    work.run_pending();
    kiosk.window.global::<KioskAdapter>().invoke_go("catalog".into());
    (kiosk, window, work)
}

/// Takes numbers on a printer at `target`: each from the tap on "no priority" to the frame that shows the
/// result, whose step must be `expected`.
fn take_numbers(panel: &Panel, dir: &std::path::Path, target: &str, expected: &str) -> Vec<Duration> {
    let (kiosk, window, work) = kiosk_printing(panel, RepaintBufferType::ReusedBuffer, dir, target);
    let (k, t) = (kiosk.window.global::<KioskAdapter>(), kiosk.window.global::<TicketAdapter>());
    let mut buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
    let mut lat = Vec::new();
    for _ in 0..50 {
        k.invoke_go("ticket".into());
        work.run_pending();
        t.invoke_pick_service(0);
        frame(&window, &mut buffer);
        let start = Instant::now();
        t.invoke_pick_priority(-1);
        work.run_pending();
        frame(&window, &mut buffer);
        lat.push(start.elapsed());
        assert_eq!(t.get_step(), expected, "{}", t.get_message());
        k.invoke_go("home".into());
        work.run_pending();
    }
    lat
}

/// Draws what changed into the frame buffer; returns the pixels redrawn.
fn frame(window: &MinimalSoftwareWindow, buffer: &mut [PremultipliedRgbaColor]) -> u64 {
    slint::platform::update_timers_and_animations();
    let mut area = 0;
    window.draw_if_needed(|renderer: &SoftwareRenderer| {
        let region = renderer.render(buffer, WIDTH as usize);
        let size = region.bounding_box_size();
        area = u64::from(size.width) * u64::from(size.height);
    });
    area
}

/// Every key of the queries, ten times over: (key to frame, pixels redrawn).
fn keys(panel: &Panel, kind: RepaintBufferType, dir: &std::path::Path) -> (Vec<Duration>, u64) {
    let (kiosk, window) = kiosk(panel, kind, dir);
    let adapter = kiosk.window.global::<CatalogAdapter>();
    let mut buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
    frame(&window, &mut buffer);
    let (mut lat, mut pixels) = (Vec::new(), 0);
    for _ in 0..10 {
        for query in QUERIES {
            adapter.invoke_search("".into());
            adapter.set_query("".into());
            // A fresh buffer each frame where the whole window is drawn, as today's figure did.
            if matches!(kind, RepaintBufferType::NewBuffer) {
                buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
            }
            frame(&window, &mut buffer);
            for c in query.chars() {
                let t = Instant::now();
                adapter.invoke_type_key(c.to_string().into());
                if matches!(kind, RepaintBufferType::NewBuffer) {
                    buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
                }
                pixels += frame(&window, &mut buffer);
                lat.push(t.elapsed());
            }
        }
    }
    let n = lat.len() as u64;
    (lat, pixels / n)
}

/// This process's resident and proportional memory, in MB.
fn memory() -> (f64, f64) {
    let (rss, pss) = motcua::ui::memory_kb();
    (rss as f64 / 1024.0, pss as f64 / 1024.0)
}

fn first_sound(dir: &std::path::Path) {
    use motcua::speech::{ReadAloud, Voice};
    use std::io::Read;
    let fifo = dir.join("player.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("(mkfifo failed: no figure for the first sound)");
        return;
    }
    let player = dir.join("player");
    std::fs::write(&player, format!("#!/bin/sh\nexec cat > {}\n", fifo.display())).unwrap();
    std::process::Command::new("chmod").arg("755").arg(&player).status().unwrap();
    let voice =
        Voice { engine: "espeak-ng".into(), player: vec![player.display().to_string()], speed: 150, volume: 100 };
    let reader = match ReadAloud::start(voice) {
        Ok(r) => r,
        Err(e) => {
            println!("(no figure for the first sound: {e})");
            return;
        }
    };
    let text = "Xin chào! Bạn cần làm gì hôm nay? Chạm vào một ô: Thủ tục hành chính, xem giấy tờ cần mang, thời \
                hạn, lệ phí. Lấy số thứ tự. Tra cứu hồ sơ. Đánh giá hài lòng. Hướng dẫn và liên hệ.";
    let (mut first, mut whole, mut bytes) = (Vec::new(), Vec::new(), 0);
    for _ in 0..20 {
        let t = Instant::now();
        reader.say(text, false);
        let mut pipe = std::fs::File::open(&fifo).unwrap();
        let mut byte = [0u8; 1];
        pipe.read_exact(&mut byte).unwrap();
        first.push(t.elapsed());
        let mut rest = Vec::new();
        pipe.read_to_end(&mut rest).unwrap();
        whole.push(t.elapsed());
        bytes = rest.len() + 1;
        while reader.is_reading() {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    row("\"Nghe\" on the home screen → first byte of sound at the player (espeak-ng, vi)", first, "");
    // espeak-ng's WAV: 22,050 samples a second of 16 bits, after a 44-byte header.
    let seconds = bytes.saturating_sub(44) as f64 / 44_100.0;
    row(&format!("baseline: espeak-ng → the whole reading ({seconds:.1} s of speech) at the player"), whole, "");
}

fn main() {
    let keys_only = std::env::args().any(|a| a == "--keys-only");
    let panel: &'static Panel = Box::leak(Box::new(Panel { next: RefCell::new(None) }));
    slint::platform::set_platform(Box::new(PanelRef(panel))).unwrap();
    let dir = tempfile::tempdir().unwrap();

    println!("| measured | samples | p50 (ms) | p99 (ms) | max (ms) | pixels redrawn per key (mean) |");
    println!("|---|---|---|---|---|---|");
    let (partial, pixels) = keys(panel, RepaintBufferType::ReusedBuffer, dir.path());
    row(
        "key on the on-screen keyboard → frame, only what changed redrawn (1080x1920, software, reused buffer)",
        partial,
        &pixels.to_string(),
    );
    let (full, pixels) = keys(panel, RepaintBufferType::NewBuffer, dir.path());
    row("baseline: the same keys, the whole window drawn into a new buffer", full, &pixels.to_string());
    if keys_only {
        return;
    }
    first_sound(dir.path());
    let on_screen = take_numbers(panel, dir.path(), "virtual?state=paper_out", "on-screen");
    row("printer out of paper: tap → the number on screen with its QR (virtual printer, status asked)", on_screen, "");
    let printed = take_numbers(panel, dir.path(), "virtual", "done");
    row("baseline: tap → ticket printed (virtual printer: PNG and .bin written) and its number shown", printed, "");

    // Memory: the plain kiosk on its catalog, then the same with large text and high contrast, its detail
    // screen drawn in both (the reading itself runs in espeak-ng's own process).
    let (plain, window) = kiosk(panel, RepaintBufferType::ReusedBuffer, dir.path());
    let mut buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
    frame(&window, &mut buffer);
    let before = memory();
    let theme = plain.window.global::<Theme>();
    theme.set_large_text(true);
    theme.set_high_contrast(true);
    window.request_redraw();
    frame(&window, &mut buffer);
    let after = memory();
    println!();
    println!("| kiosk process | RSS (MB) | PSS (MB) |");
    println!("|---|---|---|");
    println!("| plain, catalog drawn at 1080x1920 | {:.1} | {:.1} |", before.0, before.1);
    println!("| then large text and high contrast on, drawn again | {:.1} | {:.1} |", after.0, after.1);
}

/// The platform Slint is given: the leaked panel.
struct PanelRef(&'static Panel);

impl Platform for PanelRef {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        self.0.create_window_adapter()
    }
}
