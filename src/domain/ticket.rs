//! Queue tickets: numbers ("A025"), issuing hours, refusals with their reasons, the ticket's page token.
//! Pure rules; the store keeps the numbers and the events.

use std::fmt;

/// A service's issuing hours on one day, as minute ranges since local midnight ("07:30-11:30").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours(pub Vec<(u32, u32)>);

fn minute(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
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
                 (check the RTC battery and time synchronisation)"
            ),
        }
    }
}

/// A wait estimate shown as a range, from the people ahead, the counters open for the service and the
/// typical minutes a citizen takes at the counter.
pub fn wait_range(ahead: u32, open_counters: u32, typical_minutes: f64) -> (u32, u32) {
    if ahead == 0 {
        return (0, 5);
    }
    let expected = f64::from(ahead) * typical_minutes / f64::from(open_counters.max(1));
    let round5 = |m: f64| ((m / 5.0).round() * 5.0) as u32;
    let lo = round5(expected * 0.75);
    let hi = round5(expected * 1.3).max(lo + 5);
    (lo, hi)
}

pub fn wait_text(range: (u32, u32)) -> String {
    match range {
        (0, hi) => format!("dưới {hi} phút"),
        (lo, hi) => format!("khoảng {lo}–{hi} phút"),
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
        assert!(Hours::parse(&["11:30-07:30".into()]).unwrap_err().contains("ends before"));
        assert_eq!(format_number("A", 25, 3), "A025");
        assert_eq!(format_number("HT", 1234, 3), "HT1234");
    }

    #[test]
    fn wait_ranges() {
        assert_eq!(wait_text(wait_range(0, 2, 8.0)), "dưới 5 phút");
        assert_eq!(wait_range(6, 2, 8.0), (20, 30));
        assert_eq!(wait_text(wait_range(6, 2, 8.0)), "khoảng 20–30 phút");
        assert_eq!(wait_range(6, 0, 8.0), wait_range(6, 1, 8.0), "no counter open counts as one");
    }
}
