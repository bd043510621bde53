//! Taking a number as the citizen reads it: the number, its wait, or what went wrong and what to do.

use super::Words;
use crate::app::queue::{IssueError, Issued, ServiceView};
use crate::domain::ticket::TicketState;
use crate::print::status::PrinterState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketStep {
    /// The ticket is printed (or sent) and in the line.
    Done,
    /// The printer or the hub failed; a number may still be kept.
    Failed,
    /// The hub refused (outside hours, cap reached…): nothing was taken.
    Refused,
    /// The printer is out of paper, open or offline: the number is in the line and shown on screen
    /// ("phiếu điện tử") with its QR code, to photograph or scan.
    OnScreen,
}

impl TicketStep {
    /// The name the screen switches on.
    pub fn key(self) -> &'static str {
        match self {
            TicketStep::Done => "done",
            TicketStep::Failed => "failed",
            TicketStep::Refused => "refused",
            TicketStep::OnScreen => "on-screen",
        }
    }
}

/// The end of taking a number, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketResult {
    pub step: TicketStep,
    pub service: Words,
    /// Empty when no number was given.
    pub number: String,
    pub ahead: u32,
    pub wait: Words,
    pub message: Words,
    pub advice: Words,
    /// The ticket's page for phones (its QR code), when the number is shown on screen.
    pub url: String,
    /// The ticket's public token, for the SMS consent; empty when no number was given.
    pub token: String,
    /// The hall sends text messages: "Nhắn tin cho tôi" is offered under the number.
    pub sms: bool,
}

impl TicketResult {
    fn of(service: Option<&ServiceView>, code: &str) -> TicketResult {
        let service = match service {
            Some(s) => Words::new(&s.name_vi, &s.name_en),
            None => Words::new(code, code),
        };
        TicketResult {
            step: TicketStep::Done,
            service,
            number: String::new(),
            ahead: 0,
            wait: Words::default(),
            message: Words::default(),
            advice: Words::default(),
            url: String::new(),
            token: String::new(),
            sms: false,
        }
    }
}

/// A service that is not issuing numbers now.
pub fn closed(service: &ServiceView) -> TicketResult {
    let next = service.next_opening.clone().unwrap_or_default();
    TicketResult {
        step: TicketStep::Refused,
        message: Words::new(
            format!("{} hiện không cấp số. {next}", service.name_vi),
            format!("{} is not issuing numbers now. {next}", service.name_en),
        ),
        advice: Words::new("Vui lòng quay lại trong giờ làm việc.", "Please come back during opening hours."),
        ..TicketResult::of(Some(service), &service.code)
    }
}

/// A reservation and print that never finished (a hung printer link or hub): the screen stops waiting.
pub fn no_answer(service: Option<&ServiceView>, code: &str) -> TicketResult {
    TicketResult {
        step: TicketStep::Failed,
        message: Words::new("Máy in hoặc máy chủ không trả lời.", "The printer or the queue server does not answer."),
        advice: Words::new(
            "Nếu không có phiếu in ra, vui lòng báo cán bộ hướng dẫn tại sảnh.",
            "If no ticket came out, please tell the staff in the hall.",
        ),
        ..TicketResult::of(service, code)
    }
}

/// The printer's reason in words a citizen reads (the technical reason stays in the English text).
pub fn printer_trouble(state: Option<&PrinterState>, why: &str) -> Words {
    let (vi, en) = match state {
        Some(PrinterState::PaperOut) => ("Máy in đã hết giấy.", "The printer is out of paper."),
        Some(PrinterState::CoverOpen) => ("Nắp máy in đang mở.", "The printer's cover is open."),
        Some(PrinterState::NoAnswer | PrinterState::Garbled(_)) => (
            "Máy in không trả lời (mất điện hoặc lỏng cáp).",
            "The printer does not answer (no power or a loose cable).",
        ),
        _ => ("Máy in đang gặp lỗi.", "The printer has a fault."),
    };
    Words::new(vi, format!("{en} ({why})"))
}

/// How taking a number ended, for the citizen in front of the kiosk.
pub fn ticket_result(service: Option<&ServiceView>, code: &str, result: Result<Issued, IssueError>) -> TicketResult {
    let mut shown = TicketResult::of(service, code);
    let issued = match result {
        Ok(issued) => issued,
        Err(e) => {
            if e.disk_full() {
                shown.step = TicketStep::Failed;
                shown.message = Words::new(
                    "Máy chủ xếp hàng đã hết chỗ lưu dữ liệu nên chưa cấp được số.",
                    "The queue server's disk is full, so no number could be given.",
                );
                shown.advice = Words::new(
                    "Chưa có số nào được cấp. Vui lòng báo cán bộ hướng dẫn.",
                    "No number was given. Please tell the staff.",
                );
            } else if let Some((vi, en)) = e.refusal() {
                shown.step = TicketStep::Refused;
                shown.message = Words::new(vi, en);
                shown.advice = Words::new("Vui lòng hỏi cán bộ hướng dẫn.", "Please ask the staff.");
            } else {
                shown.step = TicketStep::Failed;
                shown.message = Words::new(
                    "Không kết nối được máy chủ xếp hàng.",
                    format!("The queue server cannot be reached ({e})."),
                );
                shown.advice = Words::new(
                    "Chưa có số nào được cấp. Vui lòng thử lại sau ít phút hoặc báo cán bộ hướng dẫn.",
                    "No number was given. Please try again in a few minutes or tell the staff.",
                );
            }
            return shown;
        }
    };
    shown.ahead = issued.reserved.ahead;
    if issued.state == TicketState::Waiting {
        shown.token = issued.reserved.token.clone();
        shown.sms = issued.reserved.sms;
    }
    let wait_en = service.map_or_else(|| issued.reserved.wait.clone(), |s| s.wait_en.clone());
    shown.wait = Words::new(issued.reserved.wait.clone(), wait_en);
    let number = issued.reserved.ticket.number.clone();
    let why = issued.outcome_detail.clone().unwrap_or_default();
    match (issued.state, issued.outcome.as_str()) {
        (TicketState::Waiting, "printed") => shown.number = number,
        (TicketState::Waiting, "sent-unconfirmed") => {
            shown.number = number;
            shown.message = Words::new(
                "Nếu không thấy phiếu, hãy báo cán bộ hướng dẫn và đọc số này.",
                "If no ticket came out, tell the staff this number.",
            );
        }
        (TicketState::Waiting, _) if issued.printer.as_ref().is_some_and(PrinterState::shows_number_on_screen) => {
            shown.step = TicketStep::OnScreen;
            shown.number = number;
            shown.url = issued.reserved.url.clone();
            shown.message = printer_trouble(issued.printer.as_ref(), &why);
            shown.advice = Words::new(
                "Số của bạn đã được ghi nhận. Hãy chụp ảnh màn hình này hoặc quét mã QR bằng điện thoại để theo dõi lượt gọi.",
                "Your number is in the line. Take a photo of this screen or scan the QR code with your phone to follow it.",
            );
        }
        (TicketState::Waiting, _) => {
            shown.step = TicketStep::Failed;
            shown.number = number;
            shown.message = printer_trouble(issued.printer.as_ref(), &why);
            shown.advice = Words::new(
                "Hãy ghi nhớ số này và chờ gọi; báo cán bộ hướng dẫn để in lại phiếu.",
                "Remember this number and wait to be called; ask the staff to print the ticket again.",
            );
        }
        _ => {
            shown.step = TicketStep::Failed;
            shown.message = printer_trouble(issued.printer.as_ref(), &why);
            shown.advice = Words::new(
                "Chưa có số nào được cấp. Vui lòng báo cán bộ hướng dẫn tại sảnh.",
                "No number was given. Please tell the staff in the hall.",
            );
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::queue::IssuedTicket;
    use crate::app::queue::{QueueError, Reserved};
    use crate::domain::ticket::Refusal;

    fn service() -> ServiceView {
        ServiceView {
            code: "HT".into(),
            name_vi: "Hộ tịch".into(),
            name_en: "Civil status".into(),
            wait_en: "about 10-20 minutes".into(),
            ..ServiceView::default()
        }
    }

    fn issued(state: TicketState, outcome: &str, detail: Option<&str>) -> Issued {
        let ticket = IssuedTicket {
            id: 1,
            day: "2026-11-28".into(),
            service: "HT".into(),
            seq: 25,
            number: "A025".into(),
            priority: None,
            token: "0".repeat(32),
            state,
            arrived_ms: 0,
            print_outcome: Some(outcome.into()),
        };
        Issued {
            reserved: Reserved {
                ticket,
                service_name: "Hộ tịch".into(),
                counters: vec![1],
                ahead: 3,
                wait: "khoảng 10–20 phút".into(),
                url: "http://192.168.1.10:8080/t/0123".into(),
                token: "0".repeat(32),
                sms: false,
            },
            outcome: outcome.into(),
            outcome_detail: detail.map(str::to_string),
            printer: None,
            state,
        }
    }

    #[test]
    fn a_printed_ticket_shows_its_number_and_wait_in_both_languages() {
        let r = ticket_result(Some(&service()), "HT", Ok(issued(TicketState::Waiting, "printed", None)));
        assert_eq!((r.step, r.number.as_str(), r.ahead), (TicketStep::Done, "A025", 3));
        assert_eq!(r.wait, Words::new("khoảng 10–20 phút", "about 10-20 minutes"));
        assert_eq!(r.service.en, "Civil status");
        assert!(r.message.vi.is_empty());
    }

    #[test]
    fn an_unconfirmed_print_keeps_the_number_and_says_to_tell_the_staff() {
        let r = ticket_result(
            Some(&service()),
            "HT",
            Ok(issued(TicketState::Waiting, "sent-unconfirmed", Some("one-way"))),
        );
        assert_eq!((r.step, r.number.as_str()), (TicketStep::Done, "A025"));
        assert!(r.message.vi.contains("báo cán bộ"));
    }

    #[test]
    fn a_voided_ticket_shows_no_number_and_the_printer_trouble() {
        let issued = Issued {
            printer: Some(PrinterState::Garbled(vec![0xFF])),
            ..issued(TicketState::Voided, "not-printed", Some("paper out"))
        };
        let r = ticket_result(Some(&service()), "HT", Ok(issued));
        assert_eq!((r.step, r.number.as_str()), (TicketStep::Failed, ""));
        assert_eq!(r.message.vi, "Máy in không trả lời (mất điện hoặc lỏng cáp).");
        assert!(r.message.en.contains("(paper out)"));
        assert!(r.advice.vi.starts_with("Chưa có số nào được cấp"));
    }

    #[test]
    fn a_kept_unprinted_ticket_shows_its_number_to_remember() {
        let issued = Issued {
            printer: Some(PrinterState::Garbled(vec![0xFF])),
            ..issued(TicketState::Waiting, "not-printed", Some("garbled"))
        };
        let r = ticket_result(Some(&service()), "HT", Ok(issued));
        assert_eq!((r.step, r.number.as_str()), (TicketStep::Failed, "A025"));
        assert!(r.advice.vi.contains("ghi nhớ số này"));
    }

    #[test]
    fn a_printer_out_of_paper_or_open_shows_the_number_on_screen_with_its_qr() {
        for (state, words) in
            [(PrinterState::PaperOut, "Máy in đã hết giấy."), (PrinterState::CoverOpen, "Nắp máy in đang mở.")]
        {
            let issued = Issued { printer: Some(state), ..issued(TicketState::Waiting, "not-printed", Some("x")) };
            let url = issued.reserved.url.clone();
            let r = ticket_result(Some(&service()), "HT", Ok(issued));
            assert_eq!((r.step, r.number.as_str(), r.url.as_str()), (TicketStep::OnScreen, "A025", url.as_str()));
            assert_eq!(r.message.vi, words);
            assert!(r.advice.vi.contains("chụp ảnh màn hình"));
        }
    }

    #[test]
    fn refusals_and_a_lost_hub_are_told_apart() {
        let refused = Err(IssueError::Queue(QueueError::Refused(Refusal::DailyCapReached { cap: 2 })));
        let r = ticket_result(Some(&service()), "HT", refused);
        assert_eq!(r.step, TicketStep::Refused);
        assert!(!r.message.vi.is_empty() && r.number.is_empty());
        let lost = Err(IssueError::Unreachable { url: "http://10.0.0.2:8080".into(), detail: "refused".into() });
        let r = ticket_result(None, "HT", lost);
        assert_eq!((r.step, r.service.vi.as_str()), (TicketStep::Failed, "HT"));
        assert_eq!(r.message.vi, "Không kết nối được máy chủ xếp hàng.");
        // A remote hub's full disk (507) is neither a refusal nor a lost hub.
        let full = Err(IssueError::Hub { status: 507, message_vi: "…".into(), message_en: "…".into() });
        let r = ticket_result(None, "HT", full);
        assert_eq!(r.step, TicketStep::Failed);
        assert_eq!(r.message.vi, "Máy chủ xếp hàng đã hết chỗ lưu dữ liệu nên chưa cấp được số.");
    }

    #[test]
    fn a_closed_service_says_when_it_opens() {
        let s = ServiceView { next_opening: Some("Thứ Hai 07:30".into()), ..service() };
        let r = closed(&s);
        assert_eq!(r.step, TicketStep::Refused);
        assert!(r.message.vi.contains("Thứ Hai 07:30"), "{}", r.message.vi);
    }
}
