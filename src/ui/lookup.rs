//! Adapter of the `LookupAdapter` global: a code typed on the screen or scanned (a keyboard-wedge scanner
//! types into the focused field and presses Enter). A ticket's QR shows the ticket's place in the queue;
//! a dossier code is recognised and answered with where to ask until dossiers are kept here.

use super::Shared;
use crate::app::queue::{IssueError, TicketStatus};
use crate::domain::lookup::{self, Lookup};
use crate::{AppWindow, LookupAdapter};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::rc::Rc;

/// The last answer in both languages, so that switching language shows it again.
#[derive(Default)]
pub struct LookupState {
    state: &'static str,
    title: (String, String),
    lines: Vec<(String, String)>,
    message: (String, String),
}

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
    adapter.on_type_key(move |key| {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<LookupAdapter>();
        let mut code = adapter.get_code().to_string();
        if code.chars().count() < MAX_INPUT {
            code.push_str(&key);
        }
        adapter.set_code(code.into());
        super::kiosk::touch(&window, &s);
    });
    let weak = window.as_weak();
    let s = shared;
    adapter.on_backspace(move || {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<LookupAdapter>();
        let mut code = adapter.get_code().to_string();
        code.pop();
        adapter.set_code(code.into());
        super::kiosk::touch(&window, &s);
    });
}

fn run(window: &AppWindow, shared: &Rc<Shared>, input: &str) {
    super::kiosk::touch(window, shared);
    let input: String = input.chars().take(MAX_INPUT).collect();
    match lookup::parse(&input) {
        Lookup::Ticket(token) => {
            show(window, shared, LookupState { state: "searching", ..Default::default() });
            let hub = shared.hub.clone();
            shared.spawn(
                window,
                move || hub.status(&token),
                |window, s, result| {
                    let answer = ticket_answer(result);
                    show(window, s, answer);
                },
            );
        }
        Lookup::Dossier(code) => show(
            window,
            shared,
            LookupState {
                state: "dossier",
                title: (format!("Hồ sơ {code}"), format!("Dossier {code}")),
                lines: Vec::new(),
                message: (
                    "Ki-ốt này chưa tra cứu được tiến độ hồ sơ. Vui lòng hỏi cán bộ tại quầy tiếp nhận, mang theo giấy hẹn.".into(),
                    "This kiosk cannot look up dossiers yet. Please ask at the reception counter with your receipt.".into(),
                ),
            },
        ),
        Lookup::Unknown => show(
            window,
            shared,
            LookupState {
                state: "not-found",
                title: ("Mã không đúng".into(), "Not a valid code".into()),
                lines: Vec::new(),
                message: (
                    "Mã hồ sơ có dạng H57.132-260804-0583 (in trên giấy hẹn). Hãy kiểm tra lại hoặc quét mã QR."
                        .into(),
                    "A dossier code looks like H57.132-260804-0583 (printed on the receipt). Check it or scan the QR."
                        .into(),
                ),
            },
        ),
    }
}

fn ticket_answer(result: Result<Option<TicketStatus>, IssueError>) -> LookupState {
    match result {
        Ok(Some(t)) => {
            let state_vi = match t.state.as_str() {
                "waiting" => "Đang chờ gọi số",
                "called" => "Đã được gọi, mời đến quầy",
                "serving" => "Đang được phục vụ",
                "done" => "Đã phục vụ xong",
                "no_show" => "Đã gọi nhưng vắng mặt",
                _ => "Phiếu không còn hiệu lực",
            };
            let state_en = match t.state.as_str() {
                "waiting" => "Waiting to be called",
                "called" => "Called: please go to the counter",
                "serving" => "Being served",
                "done" => "Served",
                "no_show" => "Called but absent",
                _ => "No longer valid",
            };
            let mut lines = vec![
                (format!("Trạng thái: {state_vi}"), format!("Status: {state_en}")),
                (format!("Lĩnh vực: {}", t.service_vi), format!("Service: {}", t.service_en)),
            ];
            if let (Some(ahead), Some(wait_vi), Some(wait_en)) = (t.ahead, &t.wait_vi, &t.wait_en) {
                lines.push(if ahead == 0 {
                    ("Bạn là người tiếp theo.".to_string(), "You are next.".to_string())
                } else {
                    (
                        format!("Có {ahead} người trước bạn · chờ {wait_vi}"),
                        format!("{ahead} people ahead of you · wait {wait_en}"),
                    )
                });
            }
            if let Some(counter) = t.counter {
                lines.push((format!("Quầy số {counter}"), format!("Counter {counter}")));
            }
            LookupState {
                state: "ticket",
                title: (format!("Phiếu số {}", t.number), format!("Ticket {}", t.number)),
                lines,
                message: Default::default(),
            }
        }
        Ok(None) => LookupState {
            state: "not-found",
            title: ("Không tìm thấy phiếu".into(), "Ticket not found".into()),
            lines: Vec::new(),
            message: ("Phiếu này không có trong hệ thống hôm nay.".into(), "This ticket is not in the system.".into()),
        },
        Err(e) => {
            tracing::warn!(error = %e, "ticket lookup failed");
            LookupState {
                state: "error",
                title: ("Chưa tra cứu được".into(), "Lookup failed".into()),
                lines: Vec::new(),
                message: (
                    "Không kết nối được máy chủ. Vui lòng thử lại sau ít phút.".into(),
                    "The server cannot be reached. Please try again in a few minutes.".into(),
                ),
            }
        }
    }
}

fn show(window: &AppWindow, shared: &Shared, state: LookupState) {
    *shared.lookup.borrow_mut() = state;
    relabel(window, shared);
}

pub fn relabel(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<LookupAdapter>();
    let state = shared.lookup.borrow();
    adapter.set_state(if state.state.is_empty() { "idle" } else { state.state }.into());
    adapter.set_title(shared.pick(&state.title.0, &state.title.1).into());
    let lines: Vec<SharedString> = state.lines.iter().map(|(vi, en)| shared.pick(vi, en).into()).collect();
    adapter.set_lines(ModelRc::new(VecModel::from(lines)));
    adapter.set_message(shared.pick(&state.message.0, &state.message.1).into());
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
}
