//! Queue tickets: numbers ("A025"), issuing hours, refusals with their reasons, the ticket's page token.
//! Pure rules; the store keeps the numbers and the events.

use std::fmt;

/// A service's issuing hours on one day, as minute ranges since local midnight ("07:30-11:30").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours(pub Vec<(u32, u32)>);

fn minute(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    // "24:00" ends a range at midnight.
    ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
}

impl Hours {
    /// Reads ranges like "07:30-11:30"; the message names the range that is wrong.
    pub fn parse(ranges: &[String]) -> Result<Hours, String> {
        let mut out = Vec::new();
        for r in ranges {
            let (a, b) = r.split_once('-').ok_or_else(|| format!("\"{r}\" is not a range like 07:30-11:30"))?;
            let (Some(a), Some(b)) = (minute(a), minute(b)) else {
                return Err(format!("\"{r}\" is not a range like 07:30-11:30"));
            };
            if a >= b {
                return Err(format!("\"{r}\" ends before it starts"));
            }
            out.push((a, b));
        }
        out.sort_unstable();
        Ok(Hours(out))
    }

    pub fn open_at(&self, minute: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= minute && minute < b)
    }

    /// The next opening after `minute` the same day, if any.
    pub fn next_opening(&self, minute: u32) -> Option<u32> {
        self.0.iter().map(|r| r.0).find(|&a| a > minute)
    }
}

pub fn clock_text(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The printed number: prefix and zero-padded sequence ("A" + 25 → "A025").
pub fn format_number(prefix: &str, seq: u32, width: u8) -> String {
    format!("{prefix}{seq:0width$}", width = usize::from(width))
}

/// Why a ticket was not issued. Each has a Vietnamese text for the citizen and an English one for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownService(String),
    UnknownPriority(String),
    OutsideHours {
        next_opening: Option<String>,
    },
    DailyCapReached {
        cap: u32,
    },
    NumbersExhausted {
        last: u32,
    },
    /// The clock reads earlier than the last recorded event: issuing stops rather than reuse numbers.
    ClockWentBack {
        last: String,
        now: String,
    },
    /// A booking that cannot be checked in (unknown, cancelled, expired, used, another day).
    Booking(super::booking::CheckInRefusal),
}

impl Refusal {
    pub fn message_vi(&self) -> String {
        match self {
            Refusal::UnknownService(s) => format!("Không có dịch vụ \"{s}\""),
            Refusal::UnknownPriority(p) => format!("Không có diện ưu tiên \"{p}\""),
            Refusal::OutsideHours { next_opening: Some(t) } => {
                format!("Ngoài giờ cấp số. Mời quay lại lúc {t}.")
            }
            Refusal::OutsideHours { next_opening: None } => "Đã hết giờ cấp số hôm nay.".into(),
            Refusal::DailyCapReached { cap } => format!("Đã cấp đủ {cap} số cho dịch vụ này hôm nay."),
            Refusal::NumbersExhausted { .. } => "Đã hết số thứ tự cho dịch vụ này hôm nay.".into(),
            Refusal::ClockWentBack { .. } => "Tạm dừng cấp số: đồng hồ máy bị lùi. Vui lòng báo cán bộ.".into(),
            Refusal::Booking(r) => r.words().0,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownService(s) => write!(f, "unknown service \"{s}\""),
            Refusal::UnknownPriority(p) => write!(f, "unknown priority category \"{p}\""),
            Refusal::OutsideHours { next_opening: Some(t) } => write!(f, "outside issuing hours; next opening {t}"),
            Refusal::OutsideHours { next_opening: None } => write!(f, "outside issuing hours; closed for today"),
            Refusal::DailyCapReached { cap } => write!(f, "daily cap of {cap} tickets reached"),
            Refusal::NumbersExhausted { last } => write!(f, "number range exhausted at {last}"),
            Refusal::ClockWentBack { last, now } => write!(
                f,
                "the clock reads {now}, earlier than the last recorded event at {last}: issuing stopped \
                 (check the RTC battery and time synchronisation; if the time now is right, run \
                 `motcua clock accept`)"
            ),
            Refusal::Booking(r) => f.write_str(&r.words().1),
        }
    }
}

spelled! {
    /// Where a ticket is in its day. A ticket is reserved while its kiosk prints, waits once printed (or
    /// kept without paper), is called to a counter, served there, and ends done, absent or voided.
    TicketState {
        Reserved = "reserved",
        Waiting = "waiting",
        Called = "called",
        Serving = "serving",
        Done = "done",
        NoShow = "no_show",
        Voided = "voided",
        /// Still waiting or called when the hall closed: not served at closing (not a no-show).
        Closed = "closed",
    }
}

impl TicketState {
    /// A counter holds the ticket now.
    pub fn at_counter(self) -> bool {
        matches!(self, TicketState::Called | TicketState::Serving)
    }

    /// The state as a citizen reads it, Vietnamese and English: one wording for the phone page, the kiosk's
    /// lookup and every other place that names a ticket's state to a citizen.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            TicketState::Reserved => ("Đang in phiếu", "Printing the ticket"),
            TicketState::Waiting => ("Đang chờ đến lượt", "Waiting for your turn"),
            TicketState::Called => ("Đã đến lượt — mời đến quầy", "Your turn — please go to the counter"),
            TicketState::Serving => ("Đang được phục vụ", "Being served"),
            TicketState::Done => ("Đã phục vụ xong", "Served"),
            TicketState::NoShow => ("Đã gọi nhưng vắng mặt — hỏi cán bộ", "Called but absent — ask staff"),
            TicketState::Voided => ("Số này đã bị hủy", "This number was voided"),
            TicketState::Closed => (
                "Hết giờ làm việc, số này chưa được phục vụ — mời bạn quay lại hôm sau",
                "Not served before closing — please come back another day",
            ),
        }
    }

    /// The state as staff read it on the console, Vietnamese and English: shorter, and about the counter
    /// rather than the citizen. Kept beside `words` so that the two tables change together.
    pub fn staff_words(self) -> (&'static str, &'static str) {
        match self {
            TicketState::Reserved => ("Đang in phiếu", "Printing"),
            TicketState::Waiting => ("Đang chờ", "Waiting"),
            TicketState::Called => ("Đã gọi", "Called"),
            TicketState::Serving => ("Đang phục vụ", "Serving"),
            TicketState::Done => ("Đã xong", "Done"),
            TicketState::NoShow => ("Vắng mặt", "No-show"),
            TicketState::Voided => ("Đã hủy", "Voided"),
            TicketState::Closed => ("Chưa phục vụ (hết giờ)", "Closed unserved"),
        }
    }

    /// Nobody will serve the ticket any more.
    pub fn finished(self) -> bool {
        matches!(self, TicketState::Done | TicketState::NoShow | TicketState::Voided | TicketState::Closed)
    }
}

spelled! {
    /// What an event in the hall's log records. The live stream names each event by this spelling.
    EventKind {
        Issued = "issued",
        /// The kiosk reported the print: the ticket joins the line.
        Confirmed = "confirmed",
        Voided = "voided",
        Called = "called",
        Recalled = "recalled",
        Serving = "serving",
        Done = "done",
        NoShow = "no_show",
        Transferred = "transferred",
        Reprinted = "reprinted",
        Paused = "paused",
        Resumed = "resumed",
        /// Someone logged in at a counter (its staff member, or no name for the counter's own PIN).
        LoggedIn = "logged_in",
        /// A counter's session ended: logout, or replaced by another person's login, or the account was
        /// disabled.
        LoggedOut = "logged_out",
        /// The hall closed with the ticket still waiting or called.
        Closed = "closed",
        ClockAccepted = "clock_accepted",
        /// A new version of the catalog was published (an import, or staff publishing on the admin page):
        /// kiosks load it again. Its detail says what changed.
        CatalogPublished = "catalog_published",
    }
}

impl EventKind {
    /// A counter calls a citizen: shown large on the board and said aloud.
    pub fn is_call(self) -> bool {
        matches!(self, EventKind::Called | EventKind::Recalled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_numbers() {
        let h = Hours::parse(&["13:30-17:00".into(), "07:30-11:30".into()]).expect("hours");
        assert!(h.open_at(7 * 60 + 30) && !h.open_at(11 * 60 + 30) && h.open_at(16 * 60 + 59));
        assert_eq!(h.next_opening(12 * 60).map(clock_text), Some("13:30".into()));
        assert_eq!(h.next_opening(17 * 60), None);
        assert!(Hours::parse(&["7h30-11h".into()]).unwrap_err().contains("7h30-11h"));
        assert!(Hours::parse(&["00:00-24:00".into()]).expect("whole day").open_at(23 * 60 + 59));
        assert!(Hours::parse(&["24:00-24:30".into()]).is_err());
        assert!(Hours::parse(&["11:30-07:30".into()]).unwrap_err().contains("ends before"));
        assert_eq!(format_number("A", 25, 3), "A025");
        assert_eq!(format_number("HT", 1234, 3), "HT1234");
    }

    #[test]
    fn each_state_and_kind_reads_back_from_its_one_spelling() {
        for s in TicketState::ALL {
            assert_eq!(TicketState::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
            assert_eq!(serde_json::from_value::<EventKind>(serde_json::json!(k.as_str())).unwrap(), *k);
        }
        assert_eq!(TicketState::parse("no-show"), None);
        assert_eq!(EventKind::parse("Called"), None);
        assert!(TicketState::Called.at_counter() && !TicketState::Waiting.at_counter());
        assert!(TicketState::NoShow.finished() && !TicketState::Serving.finished());
    }
}
