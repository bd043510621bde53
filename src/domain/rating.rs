//! How citizens say how they were served: four levels as Vietnamese halls word them, optional reasons at
//! the two lowest, a bounded complaint, one rating per ticket that its holder may change for a while.
//! Pure rules; the store keeps the ratings, the hub and the kiosk take them.

use std::fmt;

spelled! {
    /// A rating's level, best first.
    Level {
        VerySatisfied = "very_satisfied",
        Satisfied = "satisfied",
        Neutral = "neutral",
        Dissatisfied = "dissatisfied",
    }
}

impl Level {
    /// Vietnamese and English, as the faces are labelled.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Level::VerySatisfied => ("Rất hài lòng", "Very satisfied"),
            Level::Satisfied => ("Hài lòng", "Satisfied"),
            Level::Neutral => ("Bình thường", "Neutral"),
            Level::Dissatisfied => ("Không hài lòng", "Dissatisfied"),
        }
    }

    /// The two lowest levels ask why (reasons are optional).
    pub fn asks_why(self) -> bool {
        matches!(self, Level::Neutral | Level::Dissatisfied)
    }
}

spelled! {
    /// Where a rating was given.
    Source {
        /// The tablet standing on the counter, paired to it.
        Tablet = "tablet",
        /// The phone page of the ticket's QR.
        Phone = "phone",
        /// The kiosk, by scanning the ticket's QR.
        Kiosk = "kiosk",
    }
}

/// The longest complaint kept, in characters: a few paragraphs, not a document.
pub const COMPLAINT_MAX: usize = 1000;

/// What a citizen gave, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub level: Level,
    /// Configured reasons, each once, in the configured order; only at the two lowest levels.
    pub reasons: Vec<String>,
    pub complaint: Option<String>,
}

/// Checks a rating as sent. Reasons must be among the configured ones; they are kept only at the two
/// lowest levels (a form without scripts cannot hide the chips, so chips ticked with a good level are
/// dropped, not refused). A complaint is trimmed, at most `COMPLAINT_MAX` characters, and refused when it
/// carries markup (`<`, `>`) or starts like a spreadsheet formula (`=`, `+`, `-`, `@`): it is shown to staff
/// and leaders and exported, and is escaped and neutralised there too.
pub fn check(
    level: Level,
    reasons: &[String],
    complaint: Option<&str>,
    allowed: &[String],
) -> Result<Given, RatingRefusal> {
    for r in reasons {
        if !allowed.iter().any(|a| a == r.trim()) {
            return Err(RatingRefusal::UnknownReason(r.chars().take(40).collect()));
        }
    }
    let reasons = match level.asks_why() {
        true => allowed.iter().filter(|a| reasons.iter().any(|r| r.trim() == a.as_str())).cloned().collect(),
        false => Vec::new(),
    };
    let complaint = complaint.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = complaint {
        if c.chars().count() > COMPLAINT_MAX {
            return Err(RatingRefusal::ComplaintTooLong);
        }
        let control = c.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\r' && ch != '\t');
        if control || c.contains(['<', '>']) || c.starts_with(['=', '+', '-', '@']) {
            return Err(RatingRefusal::ComplaintMarkup);
        }
    }
    Ok(Given { level, reasons, complaint: complaint.map(str::to_string) })
}

/// Whether a ticket in this state may be rated: only once served.
pub fn may_rate(state: crate::domain::ticket::TicketState) -> Result<(), RatingRefusal> {
    use crate::domain::ticket::TicketState;
    match state {
        TicketState::Done => Ok(()),
        TicketState::Voided => Err(RatingRefusal::Voided),
        _ => Err(RatingRefusal::NotServed),
    }
}

/// Whether an existing rating may be changed: only by whoever gave it (the same ticket holder, or the
/// same counter tablet), and only within `change_minutes` of when it was first given.
pub fn may_change(first_ms: i64, now_ms: i64, change_minutes: u32, same_holder: bool) -> Result<(), RatingRefusal> {
    if !same_holder {
        return Err(RatingRefusal::AlreadyRated);
    }
    if now_ms - first_ms > i64::from(change_minutes) * 60_000 {
        return Err(RatingRefusal::WindowClosed { minutes: change_minutes });
    }
    Ok(())
}

/// Why a rating was refused; nothing is stored then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingRefusal {
    UnknownTicket,
    Voided,
    /// The ticket is not served yet (or the citizen did not come).
    NotServed,
    AlreadyRated,
    WindowClosed {
        minutes: u32,
    },
    UnknownReason(String),
    ComplaintTooLong,
    ComplaintMarkup,
    /// A ticket's number is public (printed large, called aloud): only the counter's own tablet rates by
    /// number.
    ByNumber,
}

impl RatingRefusal {
    pub fn message_vi(&self) -> String {
        match self {
            RatingRefusal::UnknownTicket => "Không tìm thấy phiếu này.".into(),
            RatingRefusal::Voided => "Phiếu này đã bị hủy nên không đánh giá được.".into(),
            RatingRefusal::NotServed => "Chỉ đánh giá được sau khi đã được phục vụ xong.".into(),
            RatingRefusal::AlreadyRated => "Phiếu này đã được đánh giá.".into(),
            RatingRefusal::WindowClosed { minutes } => {
                format!("Đánh giá chỉ sửa được trong {minutes} phút sau khi gửi.")
            }
            RatingRefusal::UnknownReason(r) => format!("Không có lý do \"{r}\" trong danh sách."),
            RatingRefusal::ComplaintTooLong => {
                format!("Nội dung phản ánh, kiến nghị dài tối đa {COMPLAINT_MAX} ký tự.")
            }
            RatingRefusal::ComplaintMarkup => "Nội dung phản ánh, kiến nghị không được chứa ký tự < > hoặc ký tự \
                điều khiển, và không được bắt đầu bằng = + - @."
                .into(),
            RatingRefusal::ByNumber => {
                "Chỉ đánh giá được bằng mã QR trên phiếu, hoặc tại máy tính bảng của quầy.".into()
            }
        }
    }
}

impl fmt::Display for RatingRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RatingRefusal::UnknownTicket => write!(f, "no such ticket"),
            RatingRefusal::Voided => write!(f, "the ticket was voided"),
            RatingRefusal::NotServed => write!(f, "a ticket can be rated once it was served"),
            RatingRefusal::AlreadyRated => write!(f, "the ticket was already rated"),
            RatingRefusal::WindowClosed { minutes } => write!(f, "a rating can be changed for {minutes} minutes only"),
            RatingRefusal::UnknownReason(r) => write!(f, "unknown reason \"{r}\""),
            RatingRefusal::ComplaintTooLong => write!(f, "a complaint is at most {COMPLAINT_MAX} characters"),
            RatingRefusal::ComplaintMarkup => {
                write!(f, "a complaint may not contain < > or control characters, nor start with = + - @")
            }
            RatingRefusal::ByNumber => write!(f, "rate with the ticket's QR token, or at the counter's tablet"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        ["thời gian chờ", "thái độ", "khác"].map(String::from).to_vec()
    }

    #[test]
    fn reasons_are_kept_at_the_two_lowest_levels_only_and_in_the_configured_order() {
        let sent = ["khác".to_string(), "thời gian chờ".to_string(), "khác".to_string()];
        let low = check(Level::Dissatisfied, &sent, None, &allowed()).unwrap();
        assert_eq!(low.reasons, ["thời gian chờ", "khác"]);
        assert!(check(Level::Satisfied, &sent, None, &allowed()).unwrap().reasons.is_empty());
        assert_eq!(
            check(Level::Neutral, &["ồn ào".into()], None, &allowed()),
            Err(RatingRefusal::UnknownReason("ồn ào".into()))
        );
    }

    #[test]
    fn complaints_are_bounded_and_carry_no_markup_or_formula() {
        let ok = check(Level::Dissatisfied, &[], Some("  Chờ lâu quá, 45 phút.\nMong cải thiện. "), &allowed());
        assert_eq!(ok.unwrap().complaint.as_deref(), Some("Chờ lâu quá, 45 phút.\nMong cải thiện."));
        assert_eq!(check(Level::Neutral, &[], Some("   "), &allowed()).unwrap().complaint, None);
        for bad in ["<script>alert(1)</script>", "=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "a\u{7}b"] {
            assert_eq!(check(Level::Neutral, &[], Some(bad), &allowed()), Err(RatingRefusal::ComplaintMarkup), "{bad}");
        }
        let long = "ạ".repeat(COMPLAINT_MAX + 1);
        assert_eq!(check(Level::Neutral, &[], Some(&long), &allowed()), Err(RatingRefusal::ComplaintTooLong));
    }

    #[test]
    fn only_the_holder_changes_a_rating_and_only_within_the_window() {
        assert_eq!(may_change(0, 10 * 60_000, 10, true), Ok(()));
        assert_eq!(may_change(0, 10 * 60_000 + 1, 10, true), Err(RatingRefusal::WindowClosed { minutes: 10 }));
        assert_eq!(may_change(0, 1, 10, false), Err(RatingRefusal::AlreadyRated));
        assert_eq!(Level::parse("dissatisfied"), Some(Level::Dissatisfied));
        assert!(Level::Neutral.asks_why() && !Level::Satisfied.asks_why());
    }
}
