//! What the kiosk's screens decide, apart from drawing them: how the result of taking a number reads to a
//! citizen (the number, or what went wrong and what to do), and how a looked-up ticket or code is
//! answered. Everything in both languages, so that switching language shows it again unchanged.

use crate::app::dossier::{CodeStatus, Details, PublicStatus};
use crate::app::queue::{IssueError, Issued, ServiceView, TicketStatus};
use crate::domain::lookup::Lookup;
use crate::domain::ticket::TicketState;
use crate::print::status::PrinterState;

/// Vietnamese and English of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub vi: String,
    pub en: String,
}

impl Words {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Words {
        Words { vi: vi.into(), en: en.into() }
    }
}

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

/// The answer of the lookup screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupAnswer {
    /// searching, ticket, dossier, not-found, error
    pub state: &'static str,
    pub title: Words,
    pub lines: Vec<Words>,
    pub message: Words,
    /// A dossier found by its code alone: its details need the phone's last four digits.
    pub verify_code: Option<String>,
    /// A dossier whose details are shown: (code, token), for printing its QR slip.
    pub slip: Option<(String, String)>,
}

/// The answer to a code that needs no hub: a dossier code or nothing recognisable. `None` for a ticket,
/// which the hub answers (`ticket_answer`).
pub fn answer_without_hub(lookup: &Lookup) -> Option<LookupAnswer> {
    match lookup {
        Lookup::Ticket(_) | Lookup::Dossier(_) | Lookup::DossierToken(_) => None,
        Lookup::Unknown => Some(LookupAnswer {
            state: "not-found",
            title: Words::new("Mã không đúng", "Not a valid code"),
            lines: Vec::new(),
            message: Words::new(
                "Mã hồ sơ có dạng H57.132-260804-0583 (in trên giấy hẹn). Hãy kiểm tra lại hoặc quét mã QR.",
                "A dossier code looks like H57.132-260804-0583 (printed on the receipt). Check it or scan the QR.",
            ),
            ..Default::default()
        }),
    }
}

fn lookup_failed() -> LookupAnswer {
    LookupAnswer {
        state: "error",
        title: Words::new("Chưa tra cứu được", "Lookup failed"),
        message: Words::new(
            "Không kết nối được máy chủ. Vui lòng thử lại sau ít phút.",
            "The server cannot be reached. Please try again in a few minutes.",
        ),
        ..Default::default()
    }
}

/// A refusal the hub worded (too many attempts), or a lost hub.
fn refused_or_failed(e: &IssueError) -> LookupAnswer {
    match e {
        IssueError::Hub { status: 429, message_vi, message_en } => LookupAnswer {
            state: "error",
            title: Words::new("Tạm dừng tra cứu", "Lookup paused"),
            message: Words::new(message_vi.clone(), message_en.clone()),
            ..Default::default()
        },
        _ => lookup_failed(),
    }
}

fn dossier_lines(p: &PublicStatus) -> Vec<Words> {
    let mut lines = code_lines(&p.clone().into());
    lines.insert(1, Words::new(format!("Thủ tục: {}", p.procedure), format!("Procedure: {}", p.procedure)));
    if !p.collect_at.is_empty() {
        lines.push(Words::new(format!("Nhận kết quả tại: {}", p.collect_at), format!("Collect at: {}", p.collect_at)));
    }
    lines
}

/// The status and appointment lines a code alone shows.
fn code_lines(p: &CodeStatus) -> Vec<Words> {
    let mut lines = vec![Words::new(format!("Trạng thái: {}", p.status_vi), format!("Status: {}", p.status_en))];
    if let Some(a) = &p.appointment {
        let (vi, en) = if p.provisional { (" (dự kiến)", " (estimated)") } else { ("", "") };
        lines.push(Words::new(format!("Hẹn trả kết quả: {a}{vi}"), format!("Result due: {a}{en}")));
    }
    if p.overdue {
        lines.push(Words::new("Hồ sơ đã quá hạn: vui lòng hỏi cán bộ tại quầy.", "Overdue: please ask at a counter."));
    }
    lines
}

/// A dossier's status (from its code), as the lookup screen shows it: the status and the appointment only.
pub fn dossier_answer(code: &str, result: Result<Option<CodeStatus>, IssueError>) -> LookupAnswer {
    match result {
        Ok(Some(p)) => LookupAnswer {
            state: "dossier",
            title: Words::new(format!("Hồ sơ {}", p.code), format!("Dossier {}", p.code)),
            lines: code_lines(&p),
            message: Words::new(
                "Để xem chi tiết và các yêu cầu bổ sung: quét mã QR trên giấy tiếp nhận, hoặc nhập 4 số cuối số điện thoại đã đăng ký.",
                "For details and what to add: scan the QR on your receipt, or enter the last 4 digits of the phone on file.",
            ),
            verify_code: Some(p.code.clone()),
            slip: None,
        },
        Ok(None) => LookupAnswer {
            state: "not-found",
            title: Words::new("Không tìm thấy hồ sơ", "Dossier not found"),
            lines: Vec::new(),
            message: Words::new(
                format!("Không có hồ sơ mã {code}. Kiểm tra lại mã trên giấy tiếp nhận hoặc hỏi cán bộ tại quầy."),
                format!("No dossier has the code {code}. Check the code on the receipt or ask at a counter."),
            ),
            ..Default::default()
        },
        Err(_) => lookup_failed(),
    }
}

/// The details after the phone's last digits: as by the token, or one answer for any mismatch.
pub fn verified_answer(result: Result<Option<Details>, IssueError>) -> LookupAnswer {
    match result {
        Ok(None) => LookupAnswer {
            state: "not-found",
            title: Words::new("Chưa xem được chi tiết", "Details not shown"),
            message: Words::new(
                "Mã hồ sơ hoặc 4 số cuối điện thoại không đúng. Quét mã QR trên giấy tiếp nhận hoặc hỏi cán bộ tại quầy.",
                "Wrong dossier code or last 4 digits of the phone. Scan the QR on the receipt or ask at a counter.",
            ),
            ..Default::default()
        },
        Err(e) => refused_or_failed(&e),
        found => dossier_details_answer(found),
    }
}

/// A dossier's details (from the token of its QR): the masked name and the timeline's notes too.
pub fn dossier_details_answer(result: Result<Option<Details>, IssueError>) -> LookupAnswer {
    match result {
        Ok(Some(d)) => {
            let mut lines = dossier_lines(&d.public);
            if !d.applicant.is_empty() {
                lines.insert(
                    1,
                    Words::new(format!("Người nộp: {}", d.applicant), format!("Applicant: {}", d.applicant)),
                );
            }
            if let Some(step) = d.timeline.iter().rev().find(|s| !s.note.is_empty()) {
                lines.push(Words::new(format!("Ghi chú: {}", step.note), format!("Note: {}", step.note)));
            }
            LookupAnswer {
                state: "dossier",
                title: Words::new(format!("Hồ sơ {}", d.public.code), format!("Dossier {}", d.public.code)),
                lines,
                message: Words::default(),
                verify_code: None,
                slip: Some((d.public.code.clone(), d.token.clone())),
            }
        }
        Ok(None) => LookupAnswer {
            state: "not-found",
            title: Words::new("Không tìm thấy hồ sơ", "Dossier not found"),
            message: Words::new("Mã QR này không thuộc hồ sơ nào.", "This QR belongs to no dossier."),
            ..Default::default()
        },
        Err(e) => refused_or_failed(&e),
    }
}

/// A ticket's status from the hub, as the lookup screen shows it.
pub fn ticket_answer(result: Result<Option<TicketStatus>, IssueError>) -> LookupAnswer {
    let t = match result {
        Ok(Some(t)) => t,
        Ok(None) => {
            return LookupAnswer {
                state: "not-found",
                title: Words::new("Không tìm thấy phiếu", "Ticket not found"),
                lines: Vec::new(),
                message: Words::new("Phiếu này không có trong hệ thống.", "This ticket is not in the system."),
                ..Default::default()
            }
        }
        Err(_) => return lookup_failed(),
    };
    let (vi, en) = t.state.words();
    let state = Words::new(vi, en);
    let mut lines = vec![
        Words::new(format!("Trạng thái: {}", state.vi), format!("Status: {}", state.en)),
        Words::new(format!("Lĩnh vực: {}", t.service_vi), format!("Service: {}", t.service_en)),
    ];
    if let (Some(ahead), Some(wait_vi), Some(wait_en)) = (t.ahead, &t.wait_vi, &t.wait_en) {
        lines.push(if ahead == 0 {
            Words::new("Bạn là người tiếp theo.", "You are next.")
        } else {
            Words::new(
                format!("Có {ahead} người trước bạn · chờ {wait_vi}"),
                format!("{ahead} people ahead of you · wait {wait_en}"),
            )
        });
    }
    if let Some(counter) = t.counter {
        lines.push(Words::new(format!("Quầy số {counter}"), format!("Counter {counter}")));
    }
    LookupAnswer {
        state: "ticket",
        title: Words::new(format!("Phiếu số {}", t.number), format!("Ticket {}", t.number)),
        lines,
        ..Default::default()
    }
}

/// What the kiosk's rating screen says after a scan: the ticket to rate, or why not.
pub fn rating_scan(result: Result<Option<TicketStatus>, IssueError>) -> Result<String, Words> {
    use crate::domain::rating::RatingRefusal;
    let refusal = |r: RatingRefusal| Words::new(r.message_vi(), r.to_string());
    match result {
        Ok(Some(t)) => crate::domain::rating::may_rate(t.state).map(|()| t.number).map_err(refusal),
        Ok(None) => Err(refusal(RatingRefusal::UnknownTicket)),
        Err(_) => Err(lookup_failed().message),
    }
}

/// What the kiosk says after sending a rating: thanks, or why it was refused.
pub fn rating_sent(result: Result<crate::app::rating::RatingView, IssueError>) -> Result<Words, Words> {
    match result {
        Ok(r) => Ok(Words::new(
            format!("Bạn đã đánh giá số {}: {}.", r.number, r.level_vi),
            format!("You rated ticket {}: {}.", r.number, r.level_en),
        )),
        Err(e) => Err(match e.refusal() {
            Some((vi, en)) => Words::new(vi, en),
            None => lookup_failed().message,
        }),
    }
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

    #[test]
    fn lookup_answers() {
        let status = TicketStatus {
            number: "A025".into(),
            service: "HT".into(),
            service_vi: "Hộ tịch".into(),
            service_en: "Civil status".into(),
            state: TicketState::Waiting,
            taken_at: String::new(),
            ahead: Some(0),
            wait_vi: Some("dưới 5 phút".into()),
            wait_en: Some("under 5 minutes".into()),
            serving_now: Vec::new(),
            counter: None,
            counter_name: None,
        };
        let a = ticket_answer(Ok(Some(status.clone())));
        assert_eq!((a.state, a.title.vi.as_str()), ("ticket", "Phiếu số A025"));
        assert_eq!(a.lines[2], Words::new("Bạn là người tiếp theo.", "You are next."));
        let called = TicketStatus { state: TicketState::Called, ahead: None, counter: Some(3), ..status };
        let a = ticket_answer(Ok(Some(called)));
        assert_eq!(a.lines.last().unwrap().vi, "Quầy số 3");
        assert_eq!(ticket_answer(Ok(None)).state, "not-found");
        let lost = IssueError::Unreachable { url: String::new(), detail: String::new() };
        assert_eq!(ticket_answer(Err(lost)).state, "error");
        assert!(answer_without_hub(&Lookup::Dossier("H57.132-260804-0583".into())).is_none());
        let p = PublicStatus {
            code: "H57.132-260804-0583".into(),
            procedure: "Đăng ký khai sinh".into(),
            status: 5,
            status_vi: "Yêu cầu bổ sung giấy tờ".into(),
            status_en: "more documents needed".into(),
            appointment: Some("09 giờ 30 phút, ngày 07/08/2027".into()),
            provisional: true,
            overdue: false,
            collect_at: "Quầy số 2".into(),
        };
        let a = dossier_answer("H57.132-260804-0583", Ok(Some(p.clone().into())));
        assert_eq!(a.lines[0].vi, "Trạng thái: Yêu cầu bổ sung giấy tờ");
        assert_eq!(a.lines[1].vi, "Hẹn trả kết quả: 09 giờ 30 phút, ngày 07/08/2027 (dự kiến)");
        assert!(!a.lines.iter().any(|l| l.vi.contains("Đăng ký khai sinh")), "a code alone shows no procedure");
        assert_eq!(dossier_answer("X", Ok(None)).state, "not-found");
        let step =
            crate::app::dossier::Step { at: String::new(), status_vi: String::new(), note: "Bổ sung CCCD".into() };
        let d = Details {
            public: p,
            applicant: "Nguyễn V*** H***".into(),
            timeline: vec![step],
            documents: Vec::new(),
            token: "t".into(),
        };
        let a = dossier_details_answer(Ok(Some(d)));
        assert_eq!(a.lines[1].vi, "Người nộp: Nguyễn V*** H***");
        assert_eq!(a.lines.last().unwrap().vi, "Ghi chú: Bổ sung CCCD");
        assert_eq!(answer_without_hub(&Lookup::Unknown).unwrap().state, "not-found");
        assert!(answer_without_hub(&Lookup::Ticket("ab".into())).is_none());
    }
}
