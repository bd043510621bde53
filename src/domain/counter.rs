//! What a counter may not do, and why: each refusal has the Vietnamese text staff see and an English one.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterRefusal {
    UnknownCounter(u32),
    /// The counter is paused: resume before calling.
    Paused,
    /// The action needs a called ticket at the counter and there is none.
    NothingCalled,
    /// The action needs a ticket being served and there is none.
    NothingServing,
    /// No-show is allowed only after this many recalls.
    RecallsNeeded {
        needed: u32,
        done: u32,
    },
    UnknownNumber(String),
    /// Only a waiting ticket can be called out of order.
    NotWaiting {
        number: String,
        state: super::ticket::TicketState,
    },
    /// Calling out of order needs a reason for the log.
    ReasonRequired,
    UnknownService(String),
    SameService(String),
    /// A ticket that was voided was never handed out: there is nothing to reprint.
    NotReprintable(String),
    NoPin(u32),
    /// A PIN is 4 to 12 digits.
    PinFormat {
        min: u32,
    },
    WrongPin,
}

impl CounterRefusal {
    pub fn message_vi(&self) -> String {
        match self {
            CounterRefusal::UnknownCounter(n) => format!("Không có quầy số {n}."),
            CounterRefusal::Paused => "Quầy đang tạm dừng. Bấm \"Tiếp tục\" để gọi số.".into(),
            CounterRefusal::NothingCalled => "Quầy chưa gọi số nào.".into(),
            CounterRefusal::NothingServing => "Quầy chưa có số nào đang được phục vụ.".into(),
            CounterRefusal::RecallsNeeded { needed, done } => {
                format!("Cần gọi lại {needed} lần trước khi đánh dấu vắng mặt (đã gọi lại {done} lần).")
            }
            CounterRefusal::UnknownNumber(n) => format!("Hôm nay không có số {n}."),
            CounterRefusal::NotWaiting { number, .. } => format!("Số {number} không còn chờ."),
            CounterRefusal::ReasonRequired => "Hãy ghi lý do gọi số không theo thứ tự.".into(),
            CounterRefusal::UnknownService(s) => format!("Không có dịch vụ \"{s}\"."),
            CounterRefusal::SameService(s) => format!("Số này đang ở dịch vụ \"{s}\"."),
            CounterRefusal::NotReprintable(n) => format!("Số {n} đã bị hủy, không in lại được."),
            CounterRefusal::NoPin(n) => format!("Quầy {n} chưa được đặt mã PIN. Liên hệ quản trị."),
            CounterRefusal::PinFormat { min } => format!("Mã PIN gồm {min} đến 12 chữ số."),
            CounterRefusal::WrongPin => "Số quầy hoặc mã PIN không đúng.".into(),
        }
    }
}

impl fmt::Display for CounterRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CounterRefusal::UnknownCounter(n) => write!(f, "counter {n} is not configured"),
            CounterRefusal::Paused => write!(f, "the counter is paused; resume it to call"),
            CounterRefusal::NothingCalled => write!(f, "the counter has not called a ticket"),
            CounterRefusal::NothingServing => write!(f, "the counter is not serving a ticket"),
            CounterRefusal::RecallsNeeded { needed, done } => {
                write!(f, "recall {needed} times before marking a no-show ({done} so far)")
            }
            CounterRefusal::UnknownNumber(n) => write!(f, "no ticket {n} today"),
            CounterRefusal::NotWaiting { number, state } => write!(f, "ticket {number} is {state}, not waiting"),
            CounterRefusal::ReasonRequired => write!(f, "calling out of order needs a reason"),
            CounterRefusal::UnknownService(s) => write!(f, "unknown service \"{s}\""),
            CounterRefusal::SameService(s) => write!(f, "the ticket is already in service \"{s}\""),
            CounterRefusal::NotReprintable(n) => write!(f, "ticket {n} was voided; there is nothing to reprint"),
            CounterRefusal::NoPin(n) => write!(f, "counter {n} has no PIN set"),
            CounterRefusal::PinFormat { min } => write!(f, "a PIN is {min} to 12 digits"),
            CounterRefusal::WrongPin => write!(f, "wrong counter number or PIN"),
        }
    }
}

/// Who acts at a counter: its number, and the staff member logged in there (none for a login with the
/// counter's own PIN, recorded as "no name").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desk {
    pub counter: u32,
    pub staff: Option<i64>,
}

impl From<u32> for Desk {
    fn from(counter: u32) -> Desk {
        Desk { counter, staff: None }
    }
}
