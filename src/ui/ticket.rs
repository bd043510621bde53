//! Adapter of the `TicketAdapter` global: taking a number. Choose a service, say whether a priority
//! applies, then the reservation and the print run in the background while the screen says so; the
//! result is the number, or what went wrong and what to do. One tap gives at most one ticket.

use super::Shared;
use crate::app::kiosk::{self, CardRead, TicketResult, Words};
use crate::app::queue::{self, IssueError, ServiceView};
use crate::domain::idcard::IdCard;
use crate::{AppWindow, PriorityRow, ServiceRow, TicketAdapter};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

/// What the take-a-number screen knows between taps.
#[derive(Default)]
pub struct TicketState {
    services: Vec<ServiceView>,
    chosen: Option<String>,
    /// A reservation and print are under way: further taps do nothing.
    pub(super) busy: bool,
    /// Seconds the current reservation and print have taken.
    waited_s: u32,
    result: Option<TicketResult>,
    /// The chip ID card scanned at the priority step, sent with the number; dropped with the visit.
    card: Option<IdCard>,
    /// What the screen says of the last scan, in both languages.
    card_read: Option<CardRead>,
    /// The SMS step over the result: open, the digits typed, what the hub answered, and whether the
    /// consent was taken.
    sms: SmsState,
}

#[derive(Default)]
struct SmsState {
    open: bool,
    phone: String,
    note: Option<Words>,
    done: bool,
    sending: bool,
}

/// Digits of a phone number kept: "+84 912 345 678" has 11, a national one 10.
const MAX_PHONE: usize = 12;

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
        if s.config.queue.priority_categories.is_empty() && !s.card_offered {
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
    let s = shared.clone();
    adapter.on_card_scanned(move |text| {
        if let Some(window) = weak.upgrade() {
            card_scanned(&window, &s, &text);
        }
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_card_forget(move || {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        forget_card(&s);
        relabel(&window, &s);
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_sms_open(move || {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        s.ticket.borrow_mut().sms.open = true;
        relabel(&window, &s);
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_sms_back(move || {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        let mut state = s.ticket.borrow_mut();
        state.sms.open = false;
        state.sms.note = None;
        drop(state);
        relabel(&window, &s);
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_sms_key(move |key| {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        {
            let mut state = s.ticket.borrow_mut();
            state.sms.note = None; // a refusal is about the number as it was
            if key.is_empty() {
                state.sms.phone.pop();
            } else if state.sms.phone.len() < MAX_PHONE && key.chars().all(|c| c.is_ascii_digit()) {
                state.sms.phone.push_str(&key);
            }
        }
        let spoken = if key.is_empty() { super::read::BACKSPACE.to_string() } else { key.to_string() };
        super::kiosk::say_key(&window, &s, &spoken);
        relabel(&window, &s);
    });

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_sms_submit(move || {
        if let Some(window) = weak.upgrade() {
            sms_submit(&window, &s);
        }
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
        state.card = None;
        state.card_read = None;
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

/// Sends the typed phone as the citizen's consent, off the UI thread; the answer shows under the number.
fn sms_submit(window: &AppWindow, shared: &Rc<Shared>) {
    super::kiosk::touch(window, shared);
    let (token, phone) = {
        let mut state = shared.ticket.borrow_mut();
        let token = state.result.as_ref().map(|r| r.token.clone()).unwrap_or_default();
        if state.sms.sending || token.is_empty() {
            return;
        }
        if crate::domain::sms::phone(&state.sms.phone).is_none() {
            let r = crate::app::sms::ConsentRefusal::BadPhone;
            state.sms.note = Some(Words::new(r.vi(), r.en()));
            drop(state);
            relabel(window, shared);
            return;
        }
        state.sms.sending = true;
        (token, state.sms.phone.clone())
    };
    let hub = shared.hub.clone();
    shared.spawn(
        window,
        move || hub.sms(&token, &phone),
        move |window, s, answer| {
            {
                let mut state = s.ticket.borrow_mut();
                state.sms.sending = false;
                match answer {
                    Ok(given) => {
                        state.sms.done = true;
                        state.sms.open = false;
                        state.sms.phone.clear();
                        state.sms.note = Some(Words::new(
                            format!("Sẽ nhắn tin đến {} khi còn {} người trước bạn.", given.phone, given.near_places),
                            format!(
                                "A text will go to {} when {} people are ahead of you.",
                                given.phone, given.near_places
                            ),
                        ));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the SMS consent was not taken");
                        state.sms.note = Some(match e {
                            IssueError::Hub { message_vi, message_en, .. } => Words::new(message_vi, message_en),
                            _ => Words::new(
                                "Không kết nối được máy chủ. Vui lòng thử lại.",
                                "The queue server cannot be reached. Please try again.",
                            ),
                        });
                    }
                }
            }
            relabel(window, s);
        },
    );
}

/// Whether a scan now is the chip ID card of the citizen choosing a priority (else it is a lookup).
pub fn takes_card(window: &AppWindow, shared: &Shared) -> bool {
    shared.card_offered
        && window.global::<crate::KioskAdapter>().get_screen() == "ticket"
        && window.global::<TicketAdapter>().get_step() == "priority"
}

/// A code scanned at the priority step: the chip ID card, kept for this number only, or a message why not.
pub fn card_scanned(window: &AppWindow, shared: &Rc<Shared>, text: &str) {
    super::kiosk::touch(window, shared);
    if !takes_card(window, shared) {
        return;
    }
    let today = shared.clock.now().to_offset(crate::domain::clock::VIETNAM).date();
    let read = kiosk::card_read(text, today, &shared.config);
    {
        let mut state = shared.ticket.borrow_mut();
        // A second scan that is not a card keeps the card already read.
        if read.card.is_some() {
            state.card = read.card.clone();
        }
        state.card_read = Some(read);
    }
    relabel(window, shared);
}

/// "Không dùng thẻ": the card is dropped before the number is taken.
fn forget_card(shared: &Shared) {
    let mut state = shared.ticket.borrow_mut();
    state.card = None;
    state.card_read = None;
}

/// Takes the number: reserve, print, report, all off the UI thread.
fn start(window: &AppWindow, shared: &Rc<Shared>, priority: Option<String>) {
    let (service, card) = {
        let mut state = shared.ticket.borrow_mut();
        if state.busy {
            return;
        }
        let Some(code) = state.chosen.clone() else { return };
        state.busy = true;
        state.waited_s = 0;
        state.card_read = None;
        (code, state.card.take())
    };
    let adapter = window.global::<TicketAdapter>();
    adapter.set_step("printing".into());
    let (hub, printer, clock, config) =
        (shared.hub.clone(), shared.printer.clone(), shared.clock.clone(), shared.config.clone());
    shared.spawn(
        window,
        move || {
            let mut printer = printer.lock().unwrap_or_else(|e| e.into_inner());
            let card = card.as_ref();
            queue::issue_and_print(
                hub.as_ref(),
                &config,
                &service,
                priority.as_deref(),
                card,
                &mut printer,
                clock.as_ref(),
            )
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

/// The ticket of a booking checked in on the lookup screen, shown as a number taken here is.
pub fn show_checked_in(window: &AppWindow, shared: &Shared, issued: queue::Issued) {
    let code = issued.reserved.ticket.service.clone();
    let name = issued.reserved.service_name.clone();
    let mut shown = {
        let state = shared.ticket.borrow();
        kiosk::ticket_result(state.services.iter().find(|s| s.code == code), &code, Ok(issued))
    };
    if shown.service.vi == code && !name.is_empty() {
        shown.service = crate::app::kiosk::Words::new(&name, &name);
    }
    show(window, shared, shown);
    window.global::<crate::KioskAdapter>().set_screen("ticket".into());
}

fn show(window: &AppWindow, shared: &Shared, shown: TicketResult) {
    let mut state = shared.ticket.borrow_mut();
    state.result = Some(shown);
    state.sms = SmsState::default();
    drop(state);
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
    adapter.set_card_offered(shared.card_offered);
    let read = state.card_read.as_ref();
    adapter.set_card_read(state.card.is_some());
    adapter.set_card_name(read.map_or("", |r| r.shown.as_str()).into());
    adapter.set_card_note(read.map(|r| shared.say(&r.note)).unwrap_or_default().into());
    let proposed = state.card.as_ref().and(read.and_then(|r| r.proposed));
    adapter.set_proposed(proposed.map_or(-1, |i| i as i32));
    adapter.set_sms_offered(state.result.as_ref().is_some_and(|r| r.sms && !r.token.is_empty()));
    adapter.set_sms_done(state.sms.done);
    adapter.set_phone(grouped(&state.sms.phone).into());
    adapter.set_sms_note(state.sms.note.as_ref().map(|n| shared.say(n)).unwrap_or_default().into());
    adapter.set_near_places(shared.config.sms.near_places as i32);
    if let Some(r) = &state.result {
        adapter.set_step(if state.sms.open { "sms" } else { r.step.key() }.into());
        adapter.set_service_name(shared.say(&r.service).into());
        adapter.set_number(r.number.as_str().into());
        adapter.set_ahead(r.ahead as i32);
        adapter.set_wait(shared.say(&r.wait).into());
        adapter.set_message(shared.say(&r.message).into());
        adapter.set_advice(shared.say(&r.advice).into());
        adapter.set_qr(if r.url.is_empty() { slint::Image::default() } else { super::catalog::qr_image(&r.url) });
    }
}

/// "0912345678" as "0912 345 678" on screen.
fn grouped(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i == 4 || i == 7 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Clears the last citizen's result (a ticket still printing shows its result when it ends).
pub fn reset(window: &AppWindow, shared: &Shared) {
    shared.ticket.borrow_mut().result = None;
    shared.ticket.borrow_mut().sms = SmsState::default();
    forget_card(shared);
    relabel(window, shared);
    let adapter = window.global::<TicketAdapter>();
    adapter.set_step("choose".into());
    adapter.set_number("".into());
    adapter.set_message("".into());
    adapter.set_advice("".into());
    adapter.set_qr(slint::Image::default());
}
