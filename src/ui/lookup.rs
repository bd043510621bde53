//! Adapter of the `LookupAdapter` global: a code typed on the screen or scanned (a keyboard-wedge scanner
//! types into the focused field and presses Enter). A ticket's QR shows the ticket's place in the queue;
//! a dossier code shows the dossier's public status, and a dossier's own QR its details.

use super::Shared;
use crate::app::booking::BookingKey;
use crate::app::kiosk::{self, LookupAnswer};
use crate::domain::lookup::{self, Lookup};
use crate::{AppWindow, LookupAdapter};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::rc::Rc;

/// The last answer, kept in both languages so that switching language shows it again.
pub type LookupState = LookupAnswer;

/// Longest input kept: a scanner that never sends Enter cannot grow the field without end.
const MAX_INPUT: usize = 200;

pub fn connect(window: &AppWindow, shared: Rc<Shared>) {
    let adapter = window.global::<LookupAdapter>();
    reset(window, &shared);

    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_lookup(move |code| {
        if let Some(window) = weak.upgrade() {
            run(&window, &s, &code);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_clear(move || {
        if let Some(window) = weak.upgrade() {
            reset(&window, &s);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_ask_digits(move || {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        let adapter = window.global::<LookupAdapter>();
        adapter.set_digits(SharedString::new());
        adapter.set_digits_wanted(4);
        adapter.set_asking_digits(true);
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_verify(move |digits| {
        if let Some(window) = weak.upgrade() {
            verify(&window, &s, &digits);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_print_slip(move || {
        if let Some(window) = weak.upgrade() {
            print_slip(&window, &s);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_type_key(move |key| {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<LookupAdapter>();
        super::kiosk::touch(&window, &s);
        super::kiosk::say_key(&window, &s, &key);
        if adapter.get_asking_digits() {
            // Only digits, as many as asked for (four of a dossier's phone, three of a booking's).
            let mut digits = adapter.get_digits().to_string();
            digits.extend(key.chars().filter(char::is_ascii_digit));
            let wanted = adapter.get_digits_wanted().max(0) as usize;
            adapter.set_digits(digits.chars().take(wanted).collect::<String>().into());
            return;
        }
        let mut code = adapter.get_code().to_string();
        if code.chars().count() < MAX_INPUT {
            code.push_str(&key);
        }
        adapter.set_code(code.into());
    });
    let weak = window.as_weak();
    let s = shared;
    adapter.on_backspace(move || {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<LookupAdapter>();
        super::kiosk::touch(&window, &s);
        super::kiosk::say_key(&window, &s, super::read::BACKSPACE);
        if adapter.get_asking_digits() {
            let mut digits = adapter.get_digits().to_string();
            digits.pop();
            adapter.set_digits(digits.into());
            return;
        }
        let mut code = adapter.get_code().to_string();
        code.pop();
        adapter.set_code(code.into());
    });
}

/// A code from the serial scanner: whatever screen shows, the lookup answers it (unless a ticket is
/// printing, whose result must stay on screen).
pub fn scanned(window: &AppWindow, shared: &Rc<Shared>, code: &str) {
    if shared.ticket.borrow().is_busy() {
        return;
    }
    super::kiosk::go(window, shared, "lookup");
    let input = run(window, shared, code);
    window.global::<LookupAdapter>().set_code(input.into());
}

/// Looks up a code (cut to `MAX_INPUT`); returns the code as looked up.
fn run(window: &AppWindow, shared: &Rc<Shared>, input: &str) -> String {
    super::kiosk::touch(window, shared);
    let input: String = input.chars().take(MAX_INPUT).collect();
    let parsed = lookup::parse(&input);
    if let Some(answer) = kiosk::answer_without_hub(&parsed) {
        show(window, shared, answer);
        return input;
    }
    show(window, shared, LookupAnswer { state: "searching", ..Default::default() });
    let hub = shared.hub.clone();
    let warn = |e: &crate::app::queue::IssueError| tracing::warn!(error = %e, "lookup failed");
    match parsed {
        Lookup::Ticket(token) => shared.spawn(
            window,
            move || hub.status(&token),
            move |window, s, result| {
                result.as_ref().err().inspect(|e| warn(e));
                show(window, s, kiosk::ticket_answer(result));
            },
        ),
        Lookup::Dossier(code) => shared.spawn(
            window,
            move || (hub.dossier(&code), code),
            move |window, s, (result, code)| {
                result.as_ref().err().inspect(|e| warn(e));
                show(window, s, kiosk::dossier_answer(&code, result));
            },
        ),
        Lookup::DossierToken(token) => shared.spawn(
            window,
            move || hub.dossier_details(&token),
            move |window, s, result| {
                result.as_ref().err().inspect(|e| warn(e));
                show(window, s, kiosk::dossier_details_answer(result));
            },
        ),
        Lookup::Booking(token) => check_in(window, shared, BookingKey::Token(token)),
        Lookup::BookingCode(_) | Lookup::Unknown => {}
    }
    input
}

/// Checks a booking in and prints its ticket, as taking a number does; the number shows on the ticket
/// screen, a refusal (cancelled, expired, used…) here.
fn check_in(window: &AppWindow, shared: &Rc<Shared>, booking: BookingKey) {
    {
        let mut ticket = shared.ticket.borrow_mut();
        if ticket.busy {
            return;
        }
        ticket.busy = true;
    }
    show(window, shared, LookupAnswer { state: "searching", ..Default::default() });
    let (hub, printer, clock, config) =
        (shared.hub.clone(), shared.printer.clone(), shared.clock.clone(), shared.config.clone());
    shared.spawn(
        window,
        move || {
            let mut printer = printer.lock().unwrap_or_else(|e| e.into_inner());
            crate::app::queue::check_in_and_print(hub.as_ref(), &config, &booking, &mut printer, clock.as_ref())
        },
        |window, s, result| {
            s.ticket.borrow_mut().busy = false;
            match result {
                Ok(issued) => super::ticket::show_checked_in(window, s, issued),
                Err(e) => {
                    tracing::warn!(error = %e, "check-in refused or failed");
                    show(window, s, kiosk::check_in_refused(&e));
                }
            }
        },
    );
}

fn show(window: &AppWindow, shared: &Shared, state: LookupState) {
    let booking = state.check_in_code.is_some();
    *shared.lookup.borrow_mut() = state;
    let adapter = window.global::<LookupAdapter>();
    // A booking's code asks for its phone's last three digits at once.
    adapter.set_asking_digits(booking);
    adapter.set_digits_wanted(if booking { 3 } else { 4 });
    adapter.set_digits(SharedString::new());
    adapter.set_slip_status(SharedString::new());
    relabel(window, shared);
}

/// The code shown and the phone's last digits: a booking's check-in, or a dossier's details (one answer
/// for any mismatch).
fn verify(window: &AppWindow, shared: &Rc<Shared>, digits: &str) {
    super::kiosk::touch(window, shared);
    let booking = shared.lookup.borrow().check_in_code.clone();
    if let Some(code) = booking {
        let digits: String = digits.chars().filter(char::is_ascii_digit).take(3).collect();
        return check_in(window, shared, BookingKey::Code { code, digits });
    }
    let Some(code) = shared.lookup.borrow().verify_code.clone() else { return };
    let digits: String = digits.chars().filter(char::is_ascii_digit).take(4).collect();
    show(window, shared, LookupAnswer { state: "searching", ..Default::default() });
    let hub = shared.hub.clone();
    shared.spawn(
        window,
        move || hub.dossier_verify(&code, &digits),
        |window, s, result| {
            if let Err(e) = &result {
                tracing::warn!(error = %e, "dossier verification failed");
            }
            show(window, s, kiosk::verified_answer(result));
        },
    );
}

/// Prints the QR slip of the dossier whose details are shown, to follow it on a phone.
fn print_slip(window: &AppWindow, shared: &Rc<Shared>) {
    let Some((code, token)) = shared.lookup.borrow().slip.clone() else { return };
    super::kiosk::touch(window, shared);
    let adapter = window.global::<LookupAdapter>();
    adapter.set_slip_status(shared.pick("Đang in…", "Printing…").into());
    let (printer, config) = (shared.printer.clone(), shared.config.clone());
    shared.spawn(
        window,
        move || {
            let url = format!("{}/d/{token}", config.queue.public_base_url.trim_end_matches('/'));
            let slip = crate::print::layout::qr_slip(&config.center.name, &code, &url);
            printer.lock().unwrap_or_else(|e| e.into_inner()).print(&slip)
        },
        |window, s, outcome| {
            let text = match &outcome {
                crate::print::Outcome::Printed { .. } => s.pick(
                    "Đã in. Quét mã QR trên phiếu bằng điện thoại để theo dõi hồ sơ.",
                    "Printed. Scan its QR with your phone to follow the dossier.",
                ),
                crate::print::Outcome::SentUnconfirmed { .. } => s.pick(
                    "Đã gửi lệnh in. Nếu không thấy phiếu, hãy hỏi cán bộ.",
                    "Sent to the printer. If no slip came out, ask the staff.",
                ),
                crate::print::Outcome::NotPrinted { why, printer } => {
                    tracing::warn!(why, "dossier QR slip not printed");
                    s.say(&kiosk::printer_trouble(Some(printer), why))
                }
            };
            window.global::<LookupAdapter>().set_slip_status(text.into());
        },
    );
}

pub fn relabel(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<LookupAdapter>();
    let state = shared.lookup.borrow();
    adapter.set_state(if state.state.is_empty() { "idle" } else { state.state }.into());
    adapter.set_title(shared.say(&state.title).into());
    let lines: Vec<SharedString> = state.lines.iter().map(|w| shared.say(w).into()).collect();
    adapter.set_lines(ModelRc::new(VecModel::from(lines)));
    adapter.set_message(shared.say(&state.message).into());
    adapter.set_can_verify(state.verify_code.is_some());
    adapter.set_can_print_slip(state.slip.is_some());
}

/// Forgets the last citizen's code and answer.
pub fn reset(window: &AppWindow, shared: &Shared) {
    *shared.lookup.borrow_mut() = LookupState::default();
    let adapter = window.global::<LookupAdapter>();
    adapter.set_code(SharedString::new());
    adapter.set_state("idle".into());
    adapter.set_title(SharedString::new());
    adapter.set_lines(ModelRc::default());
    adapter.set_message(SharedString::new());
    adapter.set_can_verify(false);
    adapter.set_can_print_slip(false);
    adapter.set_asking_digits(false);
    adapter.set_digits(SharedString::new());
    adapter.set_slip_status(SharedString::new());
}
