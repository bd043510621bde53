//! Adapter of the `KioskAdapter` global: which screen shows, the clock, the numbers at the counters, the
//! language, the hub's health and the idle countdown that brings every screen back home.

use super::Shared;
use crate::app::queue::{IssueError, Serving};
use crate::{AppWindow, KioskAdapter, ServingRow};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};
use std::rc::Rc;
use std::time::Duration;

/// How often the kiosk asks the hub for the numbers at the counters (and so notices a lost hub).
const HUB_POLL: Duration = Duration::from_secs(5);
/// How often an idle kiosk checks its printer.
const PRINTER_CHECK: Duration = Duration::from_secs(30);

const WEEKDAYS_VI: [&str; 7] = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// "08:05" and "Thứ Bảy, 28/11/2026" in the hall's time zone.
pub fn clock_texts(now: time::OffsetDateTime, english: bool) -> (String, String) {
    let t = now.to_offset(crate::domain::clock::VIETNAM);
    let day = usize::from(t.weekday().number_days_from_monday());
    let name = if english { WEEKDAYS_EN[day] } else { WEEKDAYS_VI[day] };
    (
        format!("{:02}:{:02}", t.hour(), t.minute()),
        format!("{name}, {:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year()),
    )
}

pub fn connect(window: &AppWindow, shared: Rc<Shared>) -> Vec<Timer> {
    let adapter = window.global::<KioskAdapter>();
    let center = &shared.config.center;
    adapter.set_help_address(center.address.as_str().into());
    adapter.set_help_phone(center.phone.as_str().into());
    adapter.set_help_hours(center.hours.as_str().into());
    adapter.set_idle_left(idle_timeout(&shared));
    if !center.emblem.is_empty() {
        match slint::Image::load_from_path(std::path::Path::new(&center.emblem)) {
            Ok(image) => adapter.set_emblem(image),
            Err(e) => {
                tracing::warn!(file = %center.emblem, error = ?e, "cannot read the emblem; showing the bundled mark")
            }
        }
    }

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_go(move |screen| {
        if let Some(window) = weak.upgrade() {
            go(&window, &s, &screen);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_touched(move || {
        if let Some(window) = weak.upgrade() {
            touch(&window, &s);
        }
    });
    adapter.set_can_read_aloud(shared.reader.is_some());
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_read_aloud(move || {
        if let Some(window) = weak.upgrade() {
            read_aloud(&window, &s);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_set_language(move |language| {
        if let Some(window) = weak.upgrade() {
            set_language(&window, &s, language == "en");
            touch(&window, &s);
        }
    });

    // The idle countdown runs on Slint's timers, so tests drive it with mock time.
    let idle = Timer::default();
    let weak = window.as_weak();
    let s = shared.clone();
    idle.start(TimerMode::Repeated, Duration::from_secs(1), move || {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<KioskAdapter>();
        adapter.set_reading(s.reader.as_ref().is_some_and(crate::speech::ReadAloud::is_reading));
        // A ticket still printing keeps its screen: the citizen must see the number.
        if s.ticket.borrow().is_busy() {
            super::ticket::waited(&window, &s);
            return;
        }
        if adapter.get_screen() == "home" {
            return;
        }
        let left = adapter.get_idle_left() - 1;
        if left <= 0 {
            go(&window, &s, "home");
            end_visit(&window, &s);
        } else {
            adapter.set_idle_left(left);
        }
    });

    let clock = Timer::default();
    let weak = window.as_weak();
    let s = shared.clone();
    show_clock(window, &shared);
    clock.start(TimerMode::Repeated, Duration::from_secs(1), move || {
        // The UI thread beats for the systemd watchdog (crate::supervise).
        crate::supervise::ui_alive();
        if let Some(window) = weak.upgrade() {
            show_clock(&window, &s);
            super::catalog::take_published(&window, &s);
        }
    });

    let poll = Timer::default();
    let weak = window.as_weak();
    let s = shared.clone();
    refresh_serving(window, &shared);
    poll.start(TimerMode::Repeated, HUB_POLL, move || {
        if let Some(window) = weak.upgrade() {
            refresh_serving(&window, &s);
        }
    });
    // Between citizens the printer is asked how it is, so that staff hear of paper running out first.
    let check = Timer::default();
    let weak = window.as_weak();
    let s = shared.clone();
    check.start(TimerMode::Repeated, PRINTER_CHECK, move || {
        if let Some(window) = weak.upgrade() {
            check_printer(&window, &s);
        }
    });
    vec![idle, clock, poll, check]
}

/// Asks the printer for its state and tells the hub; skipped while a ticket is printing.
fn check_printer(window: &AppWindow, shared: &Rc<Shared>) {
    if shared.ticket.borrow().is_busy() {
        return;
    }
    let (printer, hub) = (shared.printer.clone(), shared.hub.clone());
    let job = move || {
        let state = {
            // A job printing holds the printer: this check waits for the next round.
            let Ok(mut printer) = printer.try_lock() else { return };
            if !printer.reports_status() {
                return;
            }
            match printer.status() {
                Ok(state) => state,
                Err(e) => {
                    tracing::debug!(error = %e, "printer status check failed");
                    crate::print::status::PrinterState::NoAnswer
                }
            }
        };
        if let Err(e) = hub.printer_checked(&state) {
            tracing::debug!(error = %e, "printer state not reported");
        }
    };
    shared.spawn(window, job, |_, _, ()| {});
}

fn idle_timeout(shared: &Shared) -> i32 {
    shared.config.kiosk.idle_timeout_s as i32
}

/// A citizen did something: the idle countdown starts again, and a touch stops what was being read.
pub fn touch(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<KioskAdapter>();
    adapter.set_idle_left(idle_timeout(shared));
    if let Some(reader) = shared.reader.as_ref().filter(|r| r.is_reading()) {
        reader.stop();
        adapter.set_reading(false);
    }
}

/// "Nghe": reads the screen, or stops reading; from then on in this visit the keyboard says each key.
fn read_aloud(window: &AppWindow, shared: &Shared) {
    let Some(reader) = &shared.reader else { return };
    let adapter = window.global::<KioskAdapter>();
    adapter.set_idle_left(idle_timeout(shared));
    if reader.is_reading() {
        reader.stop();
        adapter.set_reading(false);
        return;
    }
    shared.aloud.set(true);
    reader.say(&super::read::script(window, shared), shared.english.get());
    adapter.set_reading(true);
}

/// Says a key of the on-screen keyboard, once "Nghe" has been asked for in this visit.
pub fn say_key(window: &AppWindow, shared: &Shared, key: &str) {
    let Some(reader) = shared.reader.as_ref().filter(|_| shared.aloud.get()) else { return };
    reader.say(&super::read::key_name(key, shared.english.get()), shared.english.get());
    window.global::<KioskAdapter>().set_reading(true);
}

/// The kiosk went home by itself: the next citizen starts in the configured language, with plain text,
/// normal contrast and silence.
fn end_visit(window: &AppWindow, shared: &Rc<Shared>) {
    let english = shared.config.kiosk.language == "en";
    if shared.english.get() != english {
        set_language(window, shared, english);
    }
    let theme = window.global::<crate::Theme>();
    theme.set_large_text(false);
    theme.set_high_contrast(false);
    shared.aloud.set(false);
    if let Some(reader) = &shared.reader {
        reader.stop();
    }
    window.global::<KioskAdapter>().set_reading(false);
}

/// Shows a screen with everything it needs fresh; home also clears what the last citizen left behind.
pub fn go(window: &AppWindow, shared: &Rc<Shared>, screen: &str) {
    if shared.ticket.borrow().is_busy() {
        return;
    }
    touch(window, shared);
    match screen {
        "home" => {
            super::catalog::reset(window, shared);
            super::lookup::reset(window, shared);
            super::rating::reset(window, shared);
            super::ticket::reset(window, shared);
            refresh_serving(window, shared);
        }
        "ticket" => super::ticket::open(window, shared),
        "lookup" => super::lookup::reset(window, shared),
        "rating" => super::rating::reset(window, shared),
        "catalog" | "help" => {}
        other => {
            tracing::warn!(screen = other, "no such screen");
            return;
        }
    }
    window.global::<KioskAdapter>().set_screen(screen.into());
}

fn show_clock(window: &AppWindow, shared: &Shared) {
    let (time, date) = clock_texts(shared.clock.now(), shared.english.get());
    let adapter = window.global::<KioskAdapter>();
    adapter.set_clock(time.into());
    adapter.set_date(date.into());
}

/// Asks the hub for the numbers at the counters; a failure shows the lost-hub banner until an answer
/// comes back.
pub fn refresh_serving(window: &AppWindow, shared: &Rc<Shared>) {
    let hub = shared.hub.clone();
    shared.spawn(window, move || hub.serving(), |window, _, result| show_serving(window, result));
}

fn show_serving(window: &AppWindow, result: Result<Vec<Serving>, IssueError>) {
    let adapter = window.global::<KioskAdapter>();
    match result {
        Ok(serving) => {
            let rows: Vec<ServingRow> = serving
                .into_iter()
                .map(|s| ServingRow { number: s.number.into(), counter: s.counter as i32 })
                .collect();
            adapter.set_serving(ModelRc::new(VecModel::from(rows)));
            adapter.set_hub_ok(true);
        }
        Err(e) => {
            tracing::warn!(error = %e, "hub not answering");
            adapter.set_hub_ok(false);
        }
    }
}

/// Switches the language of every screen at once: Slint's strings through the bundled translation, the
/// strings made in Rust by showing them again.
pub fn set_language(window: &AppWindow, shared: &Rc<Shared>, english: bool) {
    // Vietnamese is the source language of the UI, which Slint names "".
    if let Err(e) = slint::select_bundled_translation(if english { "en" } else { "" }) {
        tracing::warn!(error = %e, "English is not bundled; staying in Vietnamese");
        return;
    }
    shared.english.set(english);
    window.global::<KioskAdapter>().set_language(SharedString::from(if english { "en" } else { "vi" }));
    show_clock(window, shared);
    super::catalog::relabel(window, shared);
    super::ticket::relabel(window, shared);
    super::lookup::relabel(window, shared);
    super::rating::relabel(window, shared);
}
