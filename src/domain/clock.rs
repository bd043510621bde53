//! Time as the domain sees it: a `Clock` passed in, so that rules and tests never read the system clock.

use time::{OffsetDateTime, UtcOffset, Weekday};

/// Vietnam keeps UTC+7 all year (no daylight saving).
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Local date and minute of an instant.
pub fn local(now: OffsetDateTime) -> (String, u32, Weekday) {
    let t = now.to_offset(VIETNAM);
    let day = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    (day, u32::from(t.hour()) * 60 + u32::from(t.minute()), t.weekday())
}

/// The instant of a stored millisecond time, if it is one `time` can represent.
pub fn instant(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()
}

/// Local date of an instant, "YYYY-MM-DD".
pub fn local_day(now: OffsetDateTime) -> String {
    local(now).0
}

/// Milliseconds since the Unix epoch, as the database stores instants.
pub fn millis(now: OffsetDateTime) -> i64 {
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The machine's clock, expressed in Vietnam time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc().to_offset(VIETNAM)
    }
}

/// A clock that always reads the same instant, for tests and replays.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// A clock that tests move by hand (sessions expiring, the day rolling at midnight).
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn new(at: OffsetDateTime) -> ManualClock {
        ManualClock(std::sync::Mutex::new(at))
    }

    pub fn set(&self, at: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: time::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A stored day as it is written here: "2026-06-30" → "30/06/2026"; text that is not one, as it is.
pub fn dmy(day: &str) -> String {
    match day.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

/// RFC 3339 text of an instant, as stored.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| at.to_string())
}

/// A stored RFC 3339 instant (`rfc3339`) as its local date, `dd/mm/yyyy`; text that is not one, as it is.
pub fn local_date_of(stamp: &str) -> String {
    match OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339) {
        Ok(at) => {
            let t = at.to_offset(VIETNAM);
            format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
        }
        Err(_) => stamp.to_string(),
    }
}

/// A stored RFC 3339 instant as local time, `08:15 28/11/2026`; text that is not one, as it is.
pub fn local_stamp_of(stamp: &str) -> String {
    match OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339) {
        Ok(at) => local_stamp(at),
        Err(_) => stamp.to_string(),
    }
}

/// Local time as printed on tickets and slips: "08:15 28/11/2026".
pub fn local_stamp(at: OffsetDateTime) -> String {
    let t = at.to_offset(VIETNAM);
    format!("{:02}:{:02} {:02}/{:02}/{}", t.hour(), t.minute(), t.day(), u8::from(t.month()), t.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_local_time() {
        let utc = time::macros::datetime!(2026-11-28 17:05 UTC);
        assert_eq!(local_stamp(utc), "00:05 29/11/2026");
        assert_eq!(local_date_of("2026-11-28T17:05:00Z"), "29/11/2026");
        assert_eq!(local_date_of("not a time"), "not a time");
        assert_eq!(dmy("2026-06-30"), "30/06/2026");
        assert_eq!(dmy("30/06"), "30/06");
    }
}
