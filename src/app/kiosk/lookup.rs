//! The lookup and rating screens' answers: a ticket, a dossier by its code or its QR, or why not.

use super::Words;
use crate::app::dossier::{CodeStatus, Details, PublicStatus};
use crate::app::queue::{IssueError, TicketStatus};
use crate::domain::lookup::Lookup;

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
    /// A booking code typed: checked in with the phone's last three digits.
    pub check_in_code: Option<String>,
}

/// The answer to a code that needs no hub: a dossier code or nothing recognisable. `None` for a ticket,
/// which the hub answers (`ticket_answer`).
pub fn answer_without_hub(lookup: &Lookup) -> Option<LookupAnswer> {
    match lookup {
        Lookup::Ticket(_) | Lookup::Dossier(_) | Lookup::DossierToken(_) | Lookup::Booking(_) => None,
        Lookup::BookingCode(code) => Some(LookupAnswer {
            state: "booking",
            title: Words::new(format!("Lịch hẹn {code}"), format!("Booking {code}")),
            message: Words::new(
                "Nhập 3 số cuối của số điện thoại đã dùng khi đặt lịch, rồi bấm \"Lấy số\".",
                "Enter the last 3 digits of the phone you booked with, then press \"Take a number\".",
            ),
            check_in_code: Some(code.clone()),
            ..Default::default()
        }),
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
            ..Default::default()
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
                slip: Some((d.public.code.clone(), d.token.clone())),
                ..Default::default()
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

/// A check-in the hub refused (cancelled, expired, used, not found…), or a lost hub.
pub fn check_in_refused(e: &IssueError) -> LookupAnswer {
    let (vi, en) = match e.refusal() {
        Some(words) => words,
        None => match e {
            IssueError::Hub { message_vi, message_en, .. } => (message_vi.clone(), message_en.clone()),
            _ => return lookup_failed(),
        },
    };
    LookupAnswer {
        state: "not-found",
        title: Words::new("Chưa lấy được số theo lịch hẹn", "No number from this booking"),
        message: Words::new(vi, en),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ticket::TicketState;

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
