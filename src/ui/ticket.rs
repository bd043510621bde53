//! Adapter of the `TicketAdapter` global: taking a number. Choose a service, say whether a priority
//! applies, then the reservation and the print run in the background while the screen says so; the
//! result is the number, or what went wrong and what to do. One tap gives at most one ticket.

use super::Shared;
use crate::app::kiosk::{self, TicketResult};
use crate::app::queue::{self, IssueError, ServiceView};
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
    /// Seconds the current reservation and print have taken.
    waited_s: u32,
    result: Option<TicketResult>,
}

/// Seconds a reservation and print may take before the screen stops waiting for them (a printer's job
/// times out after a few seconds; this is for a link or hub that hangs).
pub const GIVE_UP_AFTER_S: u32 = 60;

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
            show(&window, &s, kiosk::closed(&service));
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
        state.waited_s = 0;
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
            if let Err(IssueError::Unreachable { .. }) = &result {
                window.global::<crate::KioskAdapter>().set_hub_ok(false);
            }
            let shown = outcome(s, result);
            {
                let mut state = s.ticket.borrow_mut();
                state.busy = false;
                state.chosen = None;
            }
            show(window, s, shown);
        },
    );
}

/// One more second of waiting for the printer; past `GIVE_UP_AFTER_S` the screen says so and frees the
/// kiosk (a result that still comes later is shown then).
pub fn waited(window: &AppWindow, shared: &Shared) {
    let gave_up = {
        let mut state = shared.ticket.borrow_mut();
        state.waited_s += 1;
        if state.waited_s < GIVE_UP_AFTER_S {
            return;
        }
        state.busy = false;
        let code = state.chosen.clone().unwrap_or_default();
        kiosk::no_answer(state.services.iter().find(|s| s.code == code), &code)
    };
    tracing::error!("taking a number got no answer within {GIVE_UP_AFTER_S} s");
    show(window, shared, gave_up);
}

fn outcome(shared: &Shared, result: Result<queue::Issued, IssueError>) -> TicketResult {
    let state = shared.ticket.borrow();
    let code = state.chosen.clone().unwrap_or_default();
    let service = state.services.iter().find(|s| s.code == code);
    kiosk::ticket_result(service, &code, result)
}

fn show(window: &AppWindow, shared: &Shared, shown: TicketResult) {
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
        adapter.set_step(r.step.key().into());
        adapter.set_service_name(shared.say(&r.service).into());
        adapter.set_number(r.number.as_str().into());
        adapter.set_ahead(r.ahead as i32);
        adapter.set_wait(shared.say(&r.wait).into());
        adapter.set_message(shared.say(&r.message).into());
        adapter.set_advice(shared.say(&r.advice).into());
        adapter.set_qr(if r.url.is_empty() { slint::Image::default() } else { super::catalog::qr_image(&r.url) });
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
    adapter.set_qr(slint::Image::default());
}
