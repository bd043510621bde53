//! Adapter of the `TicketAdapter` global: taking a number. Choose a service, say whether a priority
//! applies, then the reservation and the print run in the background while the screen says so; the
//! result is the number, or what went wrong and what to do. One tap gives at most one ticket.

use super::Shared;
use crate::app::queue::{self, IssueError, Issued, ServiceView};
use crate::{AppWindow, PriorityRow, ServiceRow, TicketAdapter};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

/// What the take-a-number screen knows between taps.
#[derive(Default)]
pub struct TicketState {
    services: Vec<ServiceView>,
    chosen: Option<String>,
    /// A reservation and print are under way: further taps do nothing.
    busy: bool,
    result: Option<Shown>,
}

/// A result in both languages, so that switching language shows it again.
#[derive(Clone)]
struct Shown {
    step: &'static str,
    service_vi: String,
    service_en: String,
    number: String,
    ahead: u32,
    wait_vi: String,
    wait_en: String,
    message: (String, String),
    advice: (String, String),
}

impl TicketState {
    pub fn is_busy(&self) -> bool {
        self.busy
    }
}

pub fn connect(window: &AppWindow, shared: Rc<Shared>) {
    let adapter = window.global::<TicketAdapter>();
    let priorities: Vec<PriorityRow> = shared
        .config
        .queue
        .priority_categories
        .iter()
        .map(|p| PriorityRow { key: p.as_str().into(), name: p.as_str().into() })
        .collect();
    adapter.set_priorities(ModelRc::new(VecModel::from(priorities)));
    reset(window, &shared);

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_pick_service(move |i| {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        let service = {
            let state = s.ticket.borrow();
            if state.busy {
                return;
            }
            state.services.get(i as usize).cloned()
        };
        let Some(service) = service else { return };
        if !service.issuing {
            let next = service.next_opening.clone().unwrap_or_default();
            show(
                &window,
                &s,
                Shown {
                    step: "refused",
                    message: (
                        format!("{} hiện không cấp số. {next}", service.name_vi),
                        format!("{} is not issuing numbers now. {next}", service.name_en),
                    ),
                    advice: (
                        "Vui lòng quay lại trong giờ làm việc.".into(),
                        "Please come back during opening hours.".into(),
                    ),
                    ..Shown::of(&service)
                },
            );
            return;
        }
        s.ticket.borrow_mut().chosen = Some(service.code.clone());
        if s.config.queue.priority_categories.is_empty() {
            start(&window, &s, None);
        } else {
            let adapter = window.global::<TicketAdapter>();
            adapter.set_service_name(s.pick(&service.name_vi, &service.name_en).into());
            adapter.set_step("priority".into());
        }
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_pick_priority(move |i| {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        let priority = usize::try_from(i).ok().and_then(|i| s.config.queue.priority_categories.get(i).cloned());
        start(&window, &s, priority);
    });

    let weak = window.as_weak();
    let s = shared;
    adapter.on_again(move || {
        if let Some(window) = weak.upgrade() {
            open(&window, &s);
        }
    });
}

/// Back to the list of services, with fresh lines and estimates from the hub.
pub fn open(window: &AppWindow, shared: &Rc<Shared>) {
    {
        let mut state = shared.ticket.borrow_mut();
        if state.busy {
            return; // a ticket is printing: its result will show
        }
        state.result = None;
        state.chosen = None;
    }
    let adapter = window.global::<TicketAdapter>();
    adapter.set_step("choose".into());
    adapter.set_loading(true);
    let hub = shared.hub.clone();
    shared.spawn(
        window,
        move || hub.services(),
        move |window, s, result| {
            window.global::<TicketAdapter>().set_loading(false);
            match result {
                Ok(services) => {
                    s.ticket.borrow_mut().services = services;
                    window.global::<crate::KioskAdapter>().set_hub_ok(true);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot list services");
                    s.ticket.borrow_mut().services.clear();
                    window.global::<crate::KioskAdapter>().set_hub_ok(false);
                }
            }
            relabel(window, s);
        },
    );
    relabel(window, shared);
}

/// Takes the number: reserve, print, report, all off the UI thread.
fn start(window: &AppWindow, shared: &Rc<Shared>, priority: Option<String>) {
    let service = {
        let mut state = shared.ticket.borrow_mut();
        if state.busy {
            return;
        }
        let Some(code) = state.chosen.clone() else { return };
        state.busy = true;
        code
    };
    let adapter = window.global::<TicketAdapter>();
    adapter.set_step("printing".into());
    let (hub, printer, clock, config) =
        (shared.hub.clone(), shared.printer.clone(), shared.clock.clone(), shared.config.clone());
    shared.spawn(
        window,
        move || {
            let mut printer = printer.lock().unwrap_or_else(|e| e.into_inner());
            queue::issue_and_print(hub.as_ref(), &config, &service, priority.as_deref(), &mut printer, clock.as_ref())
        },
        move |window, s, result| {
            s.ticket.borrow_mut().busy = false;
            if let Err(IssueError::Unreachable { .. }) = &result {
                window.global::<crate::KioskAdapter>().set_hub_ok(false);
            }
            let shown = outcome(s, result);
            show(window, s, shown);
        },
    );
}

impl Shown {
    fn of(service: &ServiceView) -> Shown {
        Shown {
            step: "done",
            service_vi: service.name_vi.clone(),
            service_en: service.name_en.clone(),
            number: String::new(),
            ahead: 0,
            wait_vi: String::new(),
            wait_en: String::new(),
            message: Default::default(),
            advice: Default::default(),
        }
    }
}

/// The printer's reason in words a citizen reads.
fn printer_trouble(why: &str) -> (String, String) {
    let why_lower = why.to_lowercase();
    let (vi, en) = if why_lower.contains("paper out") {
        ("Máy in đã hết giấy.", "The printer is out of paper.")
    } else if why_lower.contains("cover open") {
        ("Nắp máy in đang mở.", "The printer's cover is open.")
    } else if why_lower.contains("no answer") || why_lower.contains("cannot") || why_lower.contains("not found") {
        ("Máy in không trả lời (mất điện hoặc lỏng cáp).", "The printer does not answer (no power or a loose cable).")
    } else {
        ("Máy in đang gặp lỗi.", "The printer has a fault.")
    };
    (vi.to_string(), format!("{en} ({why})"))
}

fn outcome(shared: &Shared, result: Result<Issued, IssueError>) -> Shown {
    let chosen = shared.ticket.borrow().chosen.clone().unwrap_or_default();
    let service = shared.ticket.borrow().services.iter().find(|s| s.code == chosen).cloned();
    let mut shown = match &service {
        Some(s) => Shown::of(s),
        None => Shown { service_vi: chosen.clone(), service_en: chosen.clone(), ..Shown::of(&ServiceView::default()) },
    };
    match result {
        Ok(issued) => {
            let ticket = &issued.reserved.ticket;
            shown.ahead = issued.reserved.ahead;
            shown.wait_vi = issued.reserved.wait.clone();
            shown.wait_en = service.as_ref().map(|s| s.wait_en.clone()).unwrap_or_else(|| issued.reserved.wait.clone());
            let why = issued.outcome_detail.clone().unwrap_or_default();
            match (issued.state.as_str(), issued.outcome.as_str()) {
                ("waiting", "printed") => shown.number = ticket.number.clone(),
                ("waiting", "sent-unconfirmed") => {
                    shown.number = ticket.number.clone();
                    shown.message = (
                        "Nếu không thấy phiếu, hãy báo cán bộ hướng dẫn và đọc số này.".into(),
                        "If no ticket came out, tell the staff this number.".into(),
                    );
                }
                ("waiting", _) => {
                    shown.step = "failed";
                    shown.number = ticket.number.clone();
                    shown.message = printer_trouble(&why);
                    shown.advice = (
                        "Hãy ghi nhớ số này và chờ gọi; báo cán bộ hướng dẫn để in lại phiếu.".into(),
                        "Remember this number and wait to be called; ask the staff to print the ticket again.".into(),
                    );
                }
                _ => {
                    shown.step = "failed";
                    shown.message = printer_trouble(&why);
                    shown.advice = (
                        "Chưa có số nào được cấp. Vui lòng báo cán bộ hướng dẫn tại sảnh.".into(),
                        "No number was given. Please tell the staff in the hall.".into(),
                    );
                }
            }
        }
        Err(e) => {
            if let Some((vi, en)) = e.refusal() {
                shown.step = "refused";
                shown.message = (vi, en);
                shown.advice = ("Vui lòng hỏi cán bộ hướng dẫn.".into(), "Please ask the staff.".into());
            } else {
                tracing::error!(error = %e, "taking a number failed");
                shown.step = "failed";
                shown.message = (
                    "Không kết nối được máy chủ xếp hàng.".into(),
                    format!("The queue server cannot be reached ({e})."),
                );
                shown.advice = (
                    "Chưa có số nào được cấp. Vui lòng thử lại sau ít phút hoặc báo cán bộ hướng dẫn.".into(),
                    "No number was given. Please try again in a few minutes or tell the staff.".into(),
                );
            }
        }
    }
    shown
}

fn show(window: &AppWindow, shared: &Shared, shown: Shown) {
    shared.ticket.borrow_mut().result = Some(shown);
    relabel(window, shared);
}

/// Shows the screen's state in the chosen language.
pub fn relabel(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<TicketAdapter>();
    let state = shared.ticket.borrow();
    let rows: Vec<ServiceRow> = state
        .services
        .iter()
        .map(|s| ServiceRow {
            code: s.code.as_str().into(),
            name: shared.pick(&s.name_vi, &s.name_en).into(),
            waiting: s.waiting as i32,
            wait: shared.pick(&s.wait_vi, &s.wait_en).into(),
            issuing: s.issuing,
            note: match &s.next_opening {
                Some(next) => shared.pick(&format!("Cấp số lại: {next}"), &format!("Numbers again: {next}")),
                None => String::new(),
            }
            .into(),
        })
        .collect();
    adapter.set_services(ModelRc::new(VecModel::from(rows)));
    if let Some(r) = &state.result {
        adapter.set_step(r.step.into());
        adapter.set_service_name(shared.pick(&r.service_vi, &r.service_en).into());
        adapter.set_number(r.number.as_str().into());
        adapter.set_ahead(r.ahead as i32);
        adapter.set_wait(shared.pick(&r.wait_vi, &r.wait_en).into());
        adapter.set_message(shared.pick(&r.message.0, &r.message.1).into());
        adapter.set_advice(shared.pick(&r.advice.0, &r.advice.1).into());
    }
}

/// Clears the last citizen's result (a ticket still printing shows its result when it ends).
pub fn reset(window: &AppWindow, shared: &Shared) {
    shared.ticket.borrow_mut().result = None;
    let adapter = window.global::<TicketAdapter>();
    adapter.set_step("choose".into());
    adapter.set_number("".into());
    adapter.set_message("".into());
    adapter.set_advice("".into());
}
