//! Booking a time before coming (đặt lịch hẹn): the windows a day offers, booking codes, who may check in
//! and why not. Pure; the province keeps the bookings, the hall a pulled copy (docs/booking.md).

use super::ticket::{clock_text, Hours};

spelled! {
    /// Where a booking is. Made at the province; cancelled there by the citizen; checked in at the hall's
    /// kiosk (a ticket printed); expired when its window ended without a check-in.
    BookingState {
        Booked = "booked",
        Cancelled = "cancelled",
        CheckedIn = "checked_in",
        Expired = "expired",
    }
}

impl BookingState {
    /// The state as a citizen reads it, Vietnamese and English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            BookingState::Booked => ("Đã đặt lịch", "Booked"),
            BookingState::Cancelled => ("Đã hủy", "Cancelled"),
            BookingState::CheckedIn => ("Đã lấy số tại điểm một cửa", "Checked in at the hall"),
            BookingState::Expired => ("Đã quá giờ hẹn, lịch không còn hiệu lực", "Expired: the window has passed"),
        }
    }
}

/// The windows of a day for one service: back to back from each opening, each wholly within the hours
/// (minutes since midnight, start and end).
pub fn windows(hours: &Hours, length_min: u32) -> Vec<(u32, u32)> {
    let length = length_min.max(5);
    let mut out = Vec::new();
    for &(open, close) in &hours.0 {
        let mut start = open;
        while start + length <= close {
            out.push((start, start + length));
            start += length;
        }
    }
    out
}

/// "08:00–08:30".
pub fn window_text(start_min: u32, end_min: u32) -> String {
    format!("{}–{}", clock_text(start_min), clock_text(end_min))
}

/// The booking code citizens read and type: "H-" and the booking's number for its hall and day, four
/// digits ("H-0312").
pub fn code(seq: u32) -> String {
    format!("H-{seq:04}")
}

/// A booking code as typed at the kiosk ("h0312", "H-0312", "H 312"), in its printed form; None for
/// anything else.
pub fn parse_code(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t.strip_prefix(['H', 'h'])?;
    let digits = rest.trim_start_matches(['-', ' ']);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seq: u32 = digits.parse().ok()?;
    (seq > 0).then(|| code(seq))
}

/// The last three digits of a phone number: all the hall is told of it, with its hash.
pub fn last3(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(3)..].iter().collect()
}

/// What the reports say of bookings: made (for the period's days), checked in, expired, cancelled and still
/// to come, and the waits of booked tickets beside walk-ins' (a booked ticket waits from its window's start
/// or its check-in, whichever is later).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub made: u32,
    pub checked_in: u32,
    pub expired: u32,
    pub cancelled: u32,
    pub booked: u32,
    pub booked_called: u32,
    pub booked_wait_avg_min: Option<f64>,
    pub walk_in_called: u32,
    pub walk_in_wait_avg_min: Option<f64>,
}

/// How many waits there are and their mean in minutes to the tenth (None for none), from waits in ms.
pub fn mean_wait(waits_ms: &[i64]) -> (u32, Option<f64>) {
    if waits_ms.is_empty() {
        return (0, None);
    }
    let total: f64 = waits_ms.iter().map(|w| (*w).max(0) as f64 / 60_000.0).sum();
    (waits_ms.len() as u32, Some((total / waits_ms.len() as f64 * 10.0).round() / 10.0))
}

impl Figures {
    /// The figures of several halls together: counts added, means weighted by their tickets.
    pub fn add(&mut self, other: &Figures) {
        let mean = |a: Option<f64>, n: u32, b: Option<f64>, m: u32| match (a, b) {
            (Some(a), Some(b)) => {
                Some(((a * f64::from(n) + b * f64::from(m)) / f64::from(n + m) * 10.0).round() / 10.0)
            }
            (a, b) => a.or(b),
        };
        self.booked_wait_avg_min =
            mean(self.booked_wait_avg_min, self.booked_called, other.booked_wait_avg_min, other.booked_called);
        self.walk_in_wait_avg_min =
            mean(self.walk_in_wait_avg_min, self.walk_in_called, other.walk_in_wait_avg_min, other.walk_in_called);
        self.made += other.made;
        self.checked_in += other.checked_in;
        self.expired += other.expired;
        self.cancelled += other.cancelled;
        self.booked += other.booked;
        self.booked_called += other.booked_called;
        self.walk_in_called += other.walk_in_called;
    }
}

/// Why a booking was not made at the province. Each has words for the citizen in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookRefusal {
    /// The hall does not take bookings, or not for this service.
    NotBooking,
    /// The day is not a working day of the hall (a holiday, a weekend not made up).
    Holiday { day: String },
    /// The day is past, or further ahead than the hall allows.
    OutOfRange { days_ahead: u32 },
    /// The window is not one the day offers, or it has begun.
    NoSuchWindow,
    /// Every place of the window is taken.
    Full,
    /// Not a Vietnamese mobile number.
    BadPhone,
    /// This phone already has its bookings for the day, or one in this window.
    PhoneCap { per_day: u32 },
    /// Too many bookings from one address within the hour.
    AddressCap,
}

impl BookRefusal {
    pub fn words(&self) -> (String, String) {
        match self {
            BookRefusal::NotBooking => (
                "Điểm một cửa này chưa nhận đặt lịch cho dịch vụ này.".into(),
                "This hall does not take bookings for this service.".into(),
            ),
            BookRefusal::Holiday { day } => (
                format!("Ngày {day} là ngày nghỉ của điểm một cửa: không nhận đặt lịch."),
                format!("{day} is a day off at this hall: no bookings."),
            ),
            BookRefusal::OutOfRange { days_ahead } => (
                format!("Chỉ đặt lịch từ hôm nay đến {days_ahead} ngày tới."),
                format!("Bookings are taken from today up to {days_ahead} days ahead."),
            ),
            BookRefusal::NoSuchWindow => (
                "Khung giờ này không còn nhận đặt lịch. Mời chọn khung giờ khác.".into(),
                "This window no longer takes bookings. Please choose another.".into(),
            ),
            BookRefusal::Full => (
                "Khung giờ này vừa hết chỗ. Mời chọn khung giờ khác.".into(),
                "This window has just filled up. Please choose another.".into(),
            ),
            BookRefusal::BadPhone => (
                "Số điện thoại di động chưa đúng (10 chữ số, ví dụ 0912 345 678).".into(),
                "That is not a mobile number (10 digits, e.g. 0912 345 678).".into(),
            ),
            BookRefusal::PhoneCap { per_day } => (
                format!("Số điện thoại này đã đặt đủ {per_day} lịch trong ngày, hoặc đã có lịch trong khung giờ này."),
                format!("This phone already has {per_day} bookings that day, or one in this window."),
            ),
            BookRefusal::AddressCap => (
                "Quá nhiều lượt đặt lịch từ cùng một mạng trong một giờ. Xin thử lại sau.".into(),
                "Too many bookings from one network within the hour. Please try later.".into(),
            ),
        }
    }
}

/// A booking as the hall holds it, for check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub code: String,
    pub day: String,
    pub state: BookingState,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub last3: String,
    /// The number of the ticket it was checked in for.
    pub ticket: Option<String>,
}

/// Why a check-in at the kiosk printed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInRefusal {
    /// No booking has this code today (or its digits do not match: the same answer, so that the code
    /// alone tells nothing).
    Unknown,
    /// The booking is for another day.
    OtherDay {
        day: String,
    },
    Cancelled,
    /// Its window ended without a check-in.
    Expired {
        window: String,
    },
    /// A ticket was already printed for it.
    Used {
        number: String,
    },
    /// Too many codes with wrong digits from this kiosk, or at this code, for now.
    TooMany,
}

impl CheckInRefusal {
    pub fn words(&self) -> (String, String) {
        match self {
            CheckInRefusal::Unknown => (
                "Không tìm thấy lịch hẹn với mã và số điện thoại này hôm nay. Hãy kiểm tra lại mã (dạng H-0312) \
                 và 3 số cuối điện thoại."
                    .into(),
                "No booking today with this code and phone. Check the code (like H-0312) and the phone's last \
                 3 digits."
                    .into(),
            ),
            CheckInRefusal::OtherDay { day } => (
                format!("Lịch hẹn này là của ngày {day}. Mời quay lại đúng ngày, hoặc lấy số thường."),
                format!("This booking is for {day}. Please come on that day, or take a normal number."),
            ),
            CheckInRefusal::Cancelled => (
                "Lịch hẹn này đã bị hủy. Mời lấy số thường.".into(),
                "This booking was cancelled. Please take a normal number.".into(),
            ),
            CheckInRefusal::Expired { window } => (
                format!("Đã quá khung giờ hẹn {window}: lịch hẹn hết hiệu lực. Mời lấy số thường."),
                format!("The booked window {window} has passed. Please take a normal number."),
            ),
            CheckInRefusal::TooMany => (
                "Nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc hỏi cán bộ tại quầy.".into(),
                "Too many wrong tries. Please try again in 15 minutes or ask at a counter.".into(),
            ),
            CheckInRefusal::Used { number } => (
                format!("Lịch hẹn này đã được lấy số {number}. Mỗi lịch hẹn chỉ lấy số một lần."),
                format!("This booking already got number {number}. A booking gives one number only."),
            ),
        }
    }
}

/// Whether a held booking may be checked in now (`digits`: the phone's last three as typed, or None when
/// its QR was scanned, whose token is proof enough).
pub fn may_check_in(b: &Held, today: &str, now_ms: i64, digits: Option<&str>) -> Result<(), CheckInRefusal> {
    if digits.is_some_and(|d| d.trim() != b.last3) {
        return Err(CheckInRefusal::Unknown);
    }
    match b.state {
        BookingState::Cancelled => return Err(CheckInRefusal::Cancelled),
        BookingState::CheckedIn => {
            return Err(CheckInRefusal::Used { number: b.ticket.clone().unwrap_or_default() });
        }
        BookingState::Expired => return Err(CheckInRefusal::Expired { window: window_of(b) }),
        BookingState::Booked => {}
    }
    if b.day != today {
        return Err(CheckInRefusal::OtherDay { day: b.day.clone() });
    }
    if now_ms >= b.ends_ms {
        return Err(CheckInRefusal::Expired { window: window_of(b) });
    }
    Ok(())
}

fn window_of(b: &Held) -> String {
    let minute = |ms: i64| (((ms / 60_000) + 7 * 60).rem_euclid(24 * 60)) as u32;
    window_text(minute(b.starts_ms), minute(b.ends_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_fit_within_the_hours() {
        let hours = Hours::parse(&["07:30-11:30".into(), "13:30-17:00".into()]).expect("hours");
        let w = windows(&hours, 30);
        assert_eq!(w.first(), Some(&(450, 480)));
        assert_eq!(w.len(), 8 + 7);
        assert!(w.iter().all(|&(a, b)| hours.open_at(a) && hours.open_at(b - 1)));
        let odd = windows(&Hours::parse(&["07:30-08:40".into()]).expect("hours"), 30);
        assert_eq!(odd, vec![(450, 480), (480, 510)], "a window that would pass closing is not offered");
        assert_eq!(window_text(480, 510), "08:00–08:30");
    }

    #[test]
    fn codes_as_typed() {
        assert_eq!(code(312), "H-0312");
        for typed in ["H-0312", "h0312", " H 312 ", "h-312"] {
            assert_eq!(parse_code(typed), Some("H-0312".into()), "{typed:?}");
        }
        for bad in ["", "H-", "H-0000", "A025", "H-12345", "H-03a2"] {
            assert_eq!(parse_code(bad), None, "{bad:?}");
        }
        assert_eq!(last3("0912345678"), "678");
    }

    fn held(state: BookingState) -> Held {
        // 2026-12-07, 08:00–08:30 in Vietnam.
        let start = time::macros::datetime!(2026-12-07 08:00 +7).unix_timestamp() * 1000;
        Held {
            code: "H-0001".into(),
            day: "2026-12-07".into(),
            state,
            starts_ms: start,
            ends_ms: start + 30 * 60_000,
            last3: "678".into(),
            ticket: Some("A012".into()),
        }
    }

    #[test]
    fn who_may_check_in() {
        let b = held(BookingState::Booked);
        let early = b.starts_ms - 45 * 60_000;
        assert_eq!(may_check_in(&b, "2026-12-07", early, Some("678")), Ok(()), "early arrivals check in and wait");
        assert_eq!(may_check_in(&b, "2026-12-07", early, None), Ok(()));
        assert_eq!(may_check_in(&b, "2026-12-07", early, Some("679")), Err(CheckInRefusal::Unknown));
        assert_eq!(
            may_check_in(&b, "2026-12-07", b.ends_ms, None),
            Err(CheckInRefusal::Expired { window: "08:00–08:30".into() })
        );
        assert_eq!(
            may_check_in(&b, "2026-12-06", early, None),
            Err(CheckInRefusal::OtherDay { day: "2026-12-07".into() })
        );
        assert_eq!(
            may_check_in(&held(BookingState::CheckedIn), "2026-12-07", early, None),
            Err(CheckInRefusal::Used { number: "A012".into() })
        );
        assert_eq!(
            may_check_in(&held(BookingState::Cancelled), "2026-12-07", early, None),
            Err(CheckInRefusal::Cancelled)
        );
        for r in [CheckInRefusal::Unknown, CheckInRefusal::Cancelled] {
            let (vi, en) = r.words();
            assert!(!vi.is_empty() && !en.is_empty());
        }
    }
}
