//! The Slint kiosk: one adapter file per screen global. Adapters map domain values to Slint structs and
//! hold no SQL, no bytes and no blocking I/O: the hub and the printer are reached through `Work`.

pub mod catalog;
pub mod display;
pub mod kiosk;
pub mod lookup;
pub mod rating;
pub mod read;
pub mod ticket;
pub mod work;

use crate::app::catalog::Catalog;
use crate::app::queue::Issuer;
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::print::Printer;
use crate::{AppWindow, Theme};
use slint::ComponentHandle;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
pub use work::Work;

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(
        "cannot open the window ({0}); is a display attached? \
         (DISPLAY or WAYLAND_DISPLAY must be set, or build with the kms feature)"
    )]
    Platform(#[from] slint::PlatformError),
}

/// What the kiosk's screens work with.
pub struct Parts {
    pub config: Config,
    pub catalog: Rc<Catalog>,
    pub hub: Arc<dyn Issuer + Send + Sync>,
    pub printer: Arc<Mutex<Printer>>,
    pub clock: Arc<dyn Clock + Send + Sync>,
    pub work: Work,
    /// Where newly published catalogs come from (None: the catalog shown stays until a restart).
    pub follow: Option<crate::hub::follow::Following>,
}

/// Shared by the screen adapters.
pub struct Shared {
    id: u64,
    pub config: Config,
    pub hub: Arc<dyn Issuer + Send + Sync>,
    pub printer: Arc<Mutex<Printer>>,
    pub clock: Arc<dyn Clock + Send + Sync>,
    pub work: Work,
    pub english: Cell<bool>,
    /// "Nghe": the reader where a speech engine is installed, and whether this visit has asked for it
    /// (then the on-screen keyboard says each key).
    pub reader: Option<crate::speech::ReadAloud>,
    pub aloud: Cell<bool>,
    /// "Lấy số" offers the chip ID card's QR (`app::kiosk::offers_card`).
    pub card_offered: bool,
    pub ticket: RefCell<ticket::TicketState>,
    pub lookup: RefCell<lookup::LookupState>,
    pub rating: RefCell<rating::RatingState>,
    pub catalog: RefCell<Option<Rc<catalog::CatalogScreen>>>,
    /// A newly published catalog waiting for the UI thread (`Kiosk::catalog_sink`).
    pub published: Arc<Mutex<Option<Catalog>>>,
}

thread_local! {
    /// The kiosks of this (UI) thread by id: work finishing in the background finds its kiosk here, since
    /// what it sends back to the UI thread cannot carry an `Rc`.
    static KIOSKS: RefCell<Vec<(u64, std::rc::Weak<Shared>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

impl Shared {
    /// Runs `job` off the UI thread, then `done` on the UI thread with the window and this kiosk.
    pub fn spawn<T: Send + 'static>(
        &self,
        window: &AppWindow,
        job: impl FnOnce() -> T + Send + 'static,
        done: impl FnOnce(&AppWindow, &Rc<Shared>, T) + Send + 'static,
    ) {
        let id = self.id;
        self.work.spawn(window.as_weak(), job, move |window, result| {
            if let Some(shared) = find_shared(id) {
                done(window, &shared, result);
            }
        });
    }

    /// A text in the language the citizen chose.
    pub fn say(&self, words: &crate::app::kiosk::Words) -> String {
        self.pick(&words.vi, &words.en)
    }

    /// Vietnamese or English, as the citizen chose.
    pub fn pick(&self, vi: &str, en: &str) -> String {
        if self.english.get() { en } else { vi }.to_string()
    }
}

/// The kiosk window with the timers that keep its clock, its idle countdown and its hub status going;
/// dropping it stops them.
pub struct Kiosk {
    pub window: AppWindow,
    pub shared: Rc<Shared>,
    _timers: Vec<slint::Timer>,
}

/// Builds the kiosk window and connects every screen; the caller decides whether to run or to test it.
pub fn build(parts: Parts) -> Result<Kiosk, UiError> {
    let window = AppWindow::new()?;
    let config = &parts.config;
    // Sizes follow the window; the configured diagonal says how large its pixels are.
    window.global::<Theme>().set_diagonal_mm((config.kiosk.screen_diagonal_in * 25.4) as f32);
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let shared = Rc::new(Shared {
        id,
        config: parts.config.clone(),
        hub: parts.hub,
        printer: parts.printer,
        clock: parts.clock,
        work: parts.work,
        english: Cell::new(false),
        reader: start_reader(config),
        aloud: Cell::new(false),
        card_offered: offers_card(config),
        ticket: RefCell::default(),
        lookup: RefCell::default(),
        rating: RefCell::default(),
        catalog: RefCell::default(),
        published: Arc::default(),
    });
    KIOSKS.with(|k| {
        let mut k = k.borrow_mut();
        k.retain(|(_, s)| s.strong_count() > 0);
        k.push((id, Rc::downgrade(&shared)));
    });
    catalog::connect(&window, shared.clone(), parts.catalog);
    ticket::connect(&window, shared.clone());
    lookup::connect(&window, shared.clone());
    rating::connect(&window, shared.clone());
    let timers = kiosk::connect(&window, shared.clone());
    kiosk::set_language(&window, &shared, config.kiosk.language == "en");
    let kiosk = Kiosk { window, shared, _timers: timers };
    if let Some(following) = parts.follow {
        crate::hub::follow::start(following, kiosk.catalog_sink());
    }
    Ok(kiosk)
}

/// The reader behind "Nghe", or None (the button hidden) with the reason logged once.
fn start_reader(config: &Config) -> Option<crate::speech::ReadAloud> {
    match crate::speech::ReadAloud::start(crate::speech::Voice::from_config(&config.kiosk)) {
        Ok(reader) => Some(reader),
        Err(crate::speech::SpeechError::Off) => None,
        Err(e) => {
            tracing::warn!(error = %e, "\"Nghe\" (read aloud) is hidden");
            None
        }
    }
}

/// Whether "Lấy số" offers the chip ID card, saying once in the log why not when configured.
fn offers_card(config: &Config) -> bool {
    let offered = crate::app::kiosk::offers_card(config);
    if config.kiosk.id_card && !offered {
        tracing::warn!(
            hub = config.kiosk.hub,
            "the chip ID card is not offered: the hub is plain HTTP, and a card crosses the LAN only over HTTPS"
        );
    }
    offered
}

fn find_shared(id: u64) -> Option<Rc<Shared>> {
    KIOSKS.with(|k| k.borrow().iter().find(|(i, _)| *i == id).and_then(|(_, s)| s.upgrade()))
}

impl Kiosk {
    /// Where the catalog's follower sends each newly published catalog: it waits in `Shared::published`
    /// and is shown on the UI thread at once, or at the next second's tick where there is no event loop
    /// to post to (the testing backend).
    pub fn catalog_sink(&self) -> impl Fn(Catalog) + Send + 'static {
        let (weak, id, inbox) = (self.window.as_weak(), self.shared.id, self.shared.published.clone());
        move |catalog| {
            *inbox.lock().unwrap_or_else(|e| e.into_inner()) = Some(catalog);
            let weak = weak.clone();
            let _ = slint::invoke_from_event_loop(move || {
                if let (Some(window), Some(shared)) = (weak.upgrade(), find_shared(id)) {
                    catalog::take_published(&window, &shared);
                }
            });
        }
    }

    /// Where a scanner thread sends codes: each is looked up on the UI thread as if typed.
    pub fn scanner_sink(&self) -> impl Fn(String) + Send + 'static {
        let (weak, id) = (self.window.as_weak(), self.shared.id);
        move |code| {
            let weak = weak.clone();
            let posted = slint::invoke_from_event_loop(move || {
                if let (Some(window), Some(shared)) = (weak.upgrade(), find_shared(id)) {
                    if ticket::takes_card(&window, &shared) {
                        ticket::card_scanned(&window, &shared, &code);
                    } else {
                        lookup::scanned(&window, &shared, &code);
                    }
                }
            });
            if let Err(e) = posted {
                tracing::warn!(error = %e, "scanned code dropped: the kiosk is closing");
            }
        }
    }
}

/// Picks Slint's renderer from configuration unless `SLINT_BACKEND` already says; must run before the
/// first window.
pub fn choose_renderer(renderer: &str) {
    if std::env::var_os("SLINT_BACKEND").is_some() {
        return;
    }
    let mut selector = slint::BackendSelector::new().renderer_name(renderer.to_string());
    // Built for kiosk hardware and started without a desktop: draw straight to the display (DRM/KMS).
    let desktop = std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if cfg!(feature = "kms") && !desktop {
        selector = selector.backend_name("linuxkms".into());
    }
    let chosen = selector.select();
    if let Err(e) = chosen {
        tracing::warn!(renderer, error = %e, "renderer not available, using Slint's default");
    }
}

/// Opens the kiosk window (full screen unless configured otherwise) and runs until it closes. With
/// `measure_start`, prints one JSON line (when the first frame was drawn, as Unix nanoseconds, and the
/// resident and proportional memory two seconds later) and quits: what `benches/kiosk_start.sh` reads.
pub fn run_kiosk(parts: Parts, measure_start: bool) -> Result<(), UiError> {
    choose_renderer(&parts.config.kiosk.renderer);
    let (fullscreen, width, height) =
        (parts.config.kiosk.fullscreen, parts.config.kiosk.screen_width_px, parts.config.kiosk.screen_height_px);
    let scanner = parts.config.kiosk.scanner.clone();
    let kiosk = build(parts)?;
    if !scanner.is_empty() {
        if let Err(e) = crate::scanner::spawn(&scanner, kiosk.scanner_sink()) {
            tracing::error!(error = %e, "no serial scanner");
        }
    }
    kiosk.window.window().set_size(slint::PhysicalSize::new(width, height));
    if fullscreen {
        cover_screen(&kiosk.window);
    }
    let quit = slint::Timer::default();
    if measure_start {
        use std::sync::atomic::{AtomicU64, Ordering};
        // Unix nanoseconds of the first frame; 0 until it is drawn.
        let first_frame = Arc::new(AtomicU64::new(0));
        let mark = |seen: &AtomicU64| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            let _ = seen.compare_exchange(0, now.as_nanos() as u64, Ordering::SeqCst, Ordering::SeqCst);
        };
        let seen = first_frame.clone();
        let notified = kiosk.window.window().set_rendering_notifier(move |state, _| {
            if matches!(state, slint::RenderingState::AfterRendering) {
                mark(&seen);
            }
        });
        if notified.is_err() {
            // The software renderer reports no frames: draw the whole window once in the event loop's first
            // turn and count that as the first frame (it is at most one frame late).
            let (weak, seen) = (kiosk.window.as_weak(), first_frame.clone());
            let queued = slint::invoke_from_event_loop(move || {
                if let Some(window) = weak.upgrade() {
                    if window.window().take_snapshot().is_ok() {
                        mark(&seen);
                    }
                }
            });
            if let Err(e) = queued {
                tracing::warn!(error = %e, "cannot time the first frame");
            }
        }
        quit.start(slint::TimerMode::SingleShot, std::time::Duration::from_secs(2), move || {
            let (rss, pss) = memory_kb();
            let frame = match first_frame.load(Ordering::SeqCst) {
                0 => "null".to_string(),
                n => n.to_string(),
            };
            println!("{{\"first_frame_unix_ns\": {frame}, \"rss_kb\": {rss}, \"pss_kb\": {pss}}}");
            let _ = slint::quit_event_loop();
        });
    }
    kiosk.window.run()?;
    Ok(())
}

/// Full screen on the monitor the window is on, and a log line of the size the window got. A window
/// manager honours the full-screen request; a bare X server ignores it, so the window is also moved to
/// the monitor's corner and given its size. The layout follows whatever size results.
pub fn cover_screen<C: ComponentHandle + 'static>(component: &C) {
    component.window().set_fullscreen(true);
    cover_when_ready(component.as_weak(), COVER_TRIES);
}

/// How many times, 50 ms apart, the window is looked for before full screen is left to the platform.
const COVER_TRIES: u32 = 100;

// The winit window exists only once the event loop has started and created it: look again until it does.
fn cover_when_ready<C: ComponentHandle + 'static>(weak: slint::Weak<C>, tries: u32) {
    slint::Timer::single_shot(std::time::Duration::from_millis(50), move || {
        let Some(component) = weak.upgrade() else { return };
        let window = component.window();
        use slint::winit_030::{winit, WinitWindowAccessor};
        let monitor = window.with_winit_window(|w: &winit::window::Window| {
            let monitor = w.current_monitor().or_else(|| w.primary_monitor())?;
            w.set_fullscreen(Some(winit::window::Fullscreen::Borderless(Some(monitor.clone()))));
            w.set_outer_position(monitor.position());
            let _ = w.request_inner_size(monitor.size());
            Some((monitor.size(), monitor.position()))
        });
        match monitor {
            Some(Some((size, at))) => {
                window.set_size(slint::PhysicalSize::new(size.width, size.height));
                tracing::info!(
                    width = size.width,
                    height = size.height,
                    x = at.x,
                    y = at.y,
                    orientation = if size.height >= size.width { "portrait" } else { "landscape" },
                    "full screen on the monitor"
                );
            }
            Some(None) => tracing::warn!(size = ?window.size(), "full screen: no monitor known to cover"),
            None if tries > 0 && window.is_visible() => cover_when_ready(weak, tries - 1),
            // Not on winit: the KMS backend is full screen by nature.
            None => tracing::info!(size = ?window.size(), "full screen"),
        }
    });
}

/// This process's resident and proportional memory, in kB.
pub fn memory_kb() -> (u64, u64) {
    (proc_kb("/proc/self/status", "VmRSS:"), proc_kb("/proc/self/smaps_rollup", "Pss:"))
}

/// A "Key:   123 kB" line of a /proc file, in kB (0 when missing).
fn proc_kb(file: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let line = text.lines().find(|l| l.starts_with(key)).unwrap_or("");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}
