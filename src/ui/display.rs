//! Adapter of the `DisplayAdapter` global: the hall's display board. `hub::feed` brings the hub's news
//! on its own thread into a channel; `pump` applies it on the UI thread to the `Board` and draws, and
//! each new call flashes and goes to the speaker.

use super::UiError;
use crate::app::board::{Board, Call};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::hub::feed::{Feed, Update};
use crate::voice::Speaker;
use crate::{BoardCall, BoardCounter, BoardService, DisplayAdapter, DisplayWindow};
use slint::{ComponentHandle, ModelRc, Timer, TimerMode, VecModel};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

type OnShown = Box<dyn Fn(&Call)>;

pub struct DisplayBoard {
    pub window: DisplayWindow,
    board: RefCell<Board>,
    updates: Receiver<Update>,
    speaker: Speaker,
    clock: Arc<dyn Clock + Send + Sync>,
    online: Cell<bool>,
    offline_why: RefCell<String>,
    flashes: Cell<i32>,
    shown: RefCell<Option<OnShown>>,
    timers: RefCell<Vec<Timer>>,
}

thread_local! {
    static BOARDS: RefCell<Vec<Rc<DisplayBoard>>> = const { RefCell::new(Vec::new()) };
}

impl DisplayBoard {
    /// A board drawing what arrives on `updates`; nothing arrives until a feed sends it (`follow`).
    pub fn new(
        config: &Config,
        speaker: Speaker,
        updates: Receiver<Update>,
        clock: Arc<dyn Clock + Send + Sync>,
    ) -> Result<Rc<DisplayBoard>, UiError> {
        let window = DisplayWindow::new()?;
        let adapter = window.global::<DisplayAdapter>();
        adapter.set_center(config.center.name.clone().into());
        adapter.set_notice(config.display.notice.clone().into());
        adapter.set_online(false);
        adapter.set_status("Đang kết nối với máy chủ… / connecting to the hub…".into());
        let board = Rc::new(DisplayBoard {
            window,
            board: RefCell::new(Board::default()),
            updates,
            speaker,
            clock,
            online: Cell::new(false),
            offline_why: RefCell::new(String::new()),
            flashes: Cell::new(0),
            shown: RefCell::new(None),
            timers: RefCell::new(Vec::new()),
        });
        board.tick();
        let weak = Rc::downgrade(&board);
        let clock = Timer::default();
        clock.start(TimerMode::Repeated, Duration::from_secs(1), move || {
            if let Some(b) = weak.upgrade() {
                b.tick();
            }
            // The watchdog (motcua-display.service) hears of this beat: a hung screen stops its pings.
            crate::supervise::ui_alive();
        });
        board.timers.borrow_mut().push(clock);
        BOARDS.with(|b| b.borrow_mut().push(board.clone()));
        Ok(board)
    }

    /// Called with each call as it is drawn (benchmarks measure from the click to here).
    pub fn on_shown(&self, f: impl Fn(&Call) + 'static) {
        *self.shown.borrow_mut() = Some(Box::new(f));
    }

    /// Applies everything that has arrived, then draws once. Returns how many updates it applied.
    pub fn pump(&self) -> usize {
        self.apply(None)
    }

    /// `pump`, waiting up to `timeout` for something to arrive first.
    pub fn pump_wait(&self, timeout: Duration) -> usize {
        match self.updates.recv_timeout(timeout) {
            Ok(first) => self.apply(Some(first)),
            Err(_) => 0,
        }
    }

    fn apply(&self, mut first: Option<Update>) -> usize {
        let mut applied = 0;
        let mut calls = Vec::new();
        while let Some(update) = first.take().or_else(|| self.updates.try_recv().ok()) {
            applied += 1;
            let mut board = self.board.borrow_mut();
            match update {
                Update::Snapshot(snapshot) => {
                    board.load(&snapshot);
                    self.online.set(true);
                    self.offline_why.borrow_mut().clear();
                }
                Update::Event(e) => {
                    // A call made while the link was down is shown; the speaker drops it if it is
                    // too old to be useful.
                    if let Some(call) = board.apply(&e) {
                        calls.push(call);
                    }
                }
                Update::Counts(counts) => board.counts(&counts),
                Update::Offline(why) => {
                    self.online.set(false);
                    // Said once per reason, not on every attempt.
                    if *self.offline_why.borrow() != why {
                        tracing::warn!(why, "the board cannot follow the hub; trying again every few seconds");
                        *self.offline_why.borrow_mut() = why;
                    }
                }
            }
        }
        if applied == 0 {
            return 0;
        }
        for call in &calls {
            self.speaker.announce(&call.number, call.counter, call.at_ms);
        }
        if !calls.is_empty() {
            self.flashes.set(self.flashes.get() + 1);
        }
        self.draw();
        if let Some(shown) = self.shown.borrow().as_ref() {
            calls.iter().for_each(shown);
        }
        applied
    }

    fn counter_name(board: &Board, counter: u32) -> String {
        board
            .counters
            .iter()
            .find(|c| c.number == counter)
            .map_or_else(|| format!("Quầy {counter}"), |c| c.name.clone())
    }

    fn draw(&self) {
        let board = self.board.borrow();
        let adapter = self.window.global::<DisplayAdapter>();
        match board.latest() {
            Some(call) => {
                adapter.set_latest_number(call.number.clone().into());
                adapter.set_latest_counter(Self::counter_name(&board, call.counter).into());
                adapter.set_latest_recall(call.recall);
            }
            None => adapter.set_latest_number("".into()),
        }
        adapter.set_flash_serial(self.flashes.get());
        let counters: Vec<BoardCounter> = board
            .counters
            .iter()
            .map(|c| BoardCounter {
                name: c.name.clone().into(),
                number: c.current.clone().unwrap_or_default().into(),
                paused: c.paused,
            })
            .collect();
        adapter.set_counters(ModelRc::new(VecModel::from(counters)));
        let recent: Vec<BoardCall> = board
            .recent
            .iter()
            .skip(1)
            .map(|c| BoardCall {
                number: c.number.clone().into(),
                counter: Self::counter_name(&board, c.counter).into(),
            })
            .collect();
        adapter.set_recent(ModelRc::new(VecModel::from(recent)));
        let services: Vec<BoardService> = board
            .services
            .iter()
            .map(|s| BoardService { name: s.name_vi.clone().into(), waiting: s.waiting as i32 })
            .collect();
        adapter.set_services(ModelRc::new(VecModel::from(services)));
        self.show_status();
    }

    /// The bottom line: offline first, then a silent speaker; empty when all is well.
    fn show_status(&self) {
        let adapter = self.window.global::<DisplayAdapter>();
        adapter.set_online(self.online.get());
        let status = if !self.online.get() {
            "Mất kết nối với máy chủ · đang kết nối lại… / offline, reconnecting".to_string()
        } else {
            self.speaker.silent().unwrap_or_default()
        };
        adapter.set_status(status.into());
    }

    fn tick(&self) {
        let (time, date) = super::kiosk::clock_texts(self.clock.now(), false);
        let adapter = self.window.global::<DisplayAdapter>();
        adapter.set_clock(time.into());
        adapter.set_date(date.into());
        self.show_status();
    }

    /// Follows the hub on a thread of its own; each update wakes the UI thread to draw it.
    pub fn follow(feed: Feed, sender: Sender<Update>) {
        let spawned = std::thread::Builder::new().name("board-feed".into()).spawn(move || {
            feed.run(|update| {
                if sender.send(update).is_err() {
                    return false;
                }
                let woke = slint::invoke_from_event_loop(|| {
                    BOARDS.with(|boards| {
                        boards.borrow().iter().for_each(|b| {
                            b.pump();
                        })
                    });
                });
                woke.is_ok()
            })
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start following the hub");
        }
    }
}

/// The latest call as the board shows it: ("A001", "Quầy 1"), or None before the first call.
pub fn latest(window: &DisplayWindow) -> Option<(String, String)> {
    let adapter = window.global::<DisplayAdapter>();
    let number = adapter.get_latest_number().to_string();
    (!number.is_empty()).then(|| (number, adapter.get_latest_counter().to_string()))
}

/// A channel for a board's updates.
pub fn updates() -> (Sender<Update>, Receiver<Update>) {
    channel()
}

/// Opens the board (full screen unless configured otherwise), follows the hub and runs until closed.
/// With `measure_start`, prints the memory after the first snapshot is drawn and quits (for
/// `benches/display_memory.sh`).
pub fn run_display(
    config: &Config,
    feed: Feed,
    speaker: Speaker,
    clock: Arc<dyn Clock + Send + Sync>,
    measure_start: bool,
) -> Result<(), UiError> {
    let (fullscreen, width, height) = (config.display.fullscreen, config.display.width_px, config.display.height_px);
    super::choose_renderer(&config.display.renderer);
    let (sender, receiver) = updates();
    let board = DisplayBoard::new(config, speaker, receiver, clock)?;
    board.window.window().set_size(slint::PhysicalSize::new(width, height));
    if fullscreen {
        super::cover_screen(&board.window);
    }
    DisplayBoard::follow(feed, sender);
    crate::supervise::ready();
    crate::supervise::watchdog(|| true, true);
    if measure_start {
        let measure = Timer::default();
        measure.start(TimerMode::SingleShot, Duration::from_secs(3), || {
            let (rss, pss) = super::memory_kb();
            println!("{{\"rss_kb\":{rss},\"pss_kb\":{pss}}}");
            let _ = slint::quit_event_loop();
        });
        board.timers.borrow_mut().push(measure);
    }
    board.window.run()?;
    Ok(())
}
