//! Working days and appointment times. Civil servants work Monday to Friday, minus public holidays and plus
//! the Saturdays a year's schedule swaps in; each year's days come from its announcement
//! (`assets/calendar/YYYY.toml`). A year without one is built from the Labour Code's fixed solar holidays
//! and marked provisional, and so is every appointment that counts over a provisional day: the slip and the
//! phone page then say "dự kiến".

use crate::domain::catalog::{TimeLimit, TimeUnit};
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration, Month, PrimitiveDateTime, Time, Weekday};

/// A day off in a year's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    pub name: String,
    /// Not yet announced: assumed from the law.
    pub provisional: bool,
}

/// One year's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    pub year: i32,
    /// No official announcement: built from the law, so appointments over it are estimates.
    pub provisional: bool,
    pub source: String,
    pub off: BTreeMap<Date, DayOff>,
    /// Weekend days worked to join a holiday to a weekend.
    pub worked: BTreeSet<Date>,
}

impl CalendarYear {
    /// What the Labour Code (2019, Art. 112) alone says of a year: 1 January, 30 April, 1 May, 2 September
    /// and the day before it, each falling on a weekend made up on the next weekday. The lunar holidays (Tết,
    /// Hùng Kings' day) need the year's announcement; without it the whole year is provisional.
    pub fn from_labour_code(year: i32) -> CalendarYear {
        let mut off = BTreeMap::new();
        let fixed = [
            (Month::January, 1, "Tết Dương lịch"),
            (Month::April, 30, "Ngày Chiến thắng"),
            (Month::May, 1, "Quốc tế Lao động"),
            (Month::September, 1, "Quốc khánh (ngày liền kề)"),
            (Month::September, 2, "Quốc khánh"),
        ];
        for (month, day, name) in fixed {
            let Ok(mut date) = Date::from_calendar_date(year, month, day) else { continue };
            while is_weekend(date) || off.contains_key(&date) {
                date = date.next_day().unwrap_or(date);
            }
            off.insert(date, DayOff { name: name.to_string(), provisional: true });
        }
        CalendarYear {
            year,
            provisional: true,
            source: "Labour Code 2019 Art. 112, fixed solar holidays only".into(),
            off,
            worked: BTreeSet::new(),
        }
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Whether a day is worked, and whether that is certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub working: bool,
    pub provisional: bool,
}

/// The hall's working hours, for same-day and hourly limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeHours {
    pub opens: Time,
    pub closes: Time,
}

impl Default for OfficeHours {
    fn default() -> Self {
        OfficeHours {
            opens: Time::from_hms(7, 30, 0).unwrap_or(Time::MIDNIGHT),
            closes: Time::from_hms(17, 0, 0).unwrap_or(Time::MIDNIGHT),
        }
    }
}

/// When the result is due, and whether that rests on a provisional schedule ("dự kiến").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appointment {
    pub at: PrimitiveDateTime,
    pub provisional: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, CalendarYear>,
    hours: OfficeHours,
}

/// Longest a count may run before the calendar gives up (a limit of years is a data error).
const MAX_DAYS: u32 = 3 * 366;

impl Calendar {
    pub fn new(years: impl IntoIterator<Item = CalendarYear>, hours: OfficeHours) -> Calendar {
        Calendar { years: years.into_iter().map(|y| (y.year, y)).collect(), hours }
    }

    /// The years with a schedule of their own, and whether each is provisional.
    pub fn years(&self) -> impl Iterator<Item = &CalendarYear> {
        self.years.values()
    }

    pub fn day(&self, date: Date) -> Day {
        let fallback;
        let year = match self.years.get(&date.year()) {
            Some(y) => y,
            None => {
                fallback = CalendarYear::from_labour_code(date.year());
                &fallback
            }
        };
        if year.worked.contains(&date) {
            return Day { working: true, provisional: year.provisional };
        }
        if is_weekend(date) {
            return Day { working: false, provisional: false };
        }
        match year.off.get(&date) {
            Some(off) => Day { working: false, provisional: year.provisional || off.provisional },
            None => Day { working: true, provisional: year.provisional },
        }
    }

    /// The first working day on or after `date`, and whether any day looked at was provisional.
    fn working_from(&self, date: Date, provisional: &mut bool) -> Option<Date> {
        let mut d = date;
        for _ in 0..MAX_DAYS {
            let day = self.day(d);
            *provisional |= day.provisional;
            if day.working {
                return Some(d);
            }
            d = d.next_day()?;
        }
        None
    }

    /// Working days after `from` up to and including `to`: a dossier resolved the day it came took 0, one
    /// received on Friday and resolved on Monday took 1.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        for _ in 0..MAX_DAYS {
            match d.next_day() {
                Some(next) if next <= to => d = next,
                _ => break,
            }
            n += u32::from(self.day(d).working);
        }
        n
    }

    /// The `n`-th working day after `date` (`date` itself not counted).
    fn working_days_after(&self, date: Date, n: u32, provisional: &mut bool) -> Option<Date> {
        let mut d = date;
        for _ in 0..n.min(MAX_DAYS) {
            d = self.working_from(d.next_day()?, provisional)?;
        }
        Some(d)
    }

    /// When a dossier received at `received` (local time) is due under `limit`. A receipt outside working
    /// time, or after the procedure's cut-off ("received after 15:00 counts from the next working day"), is
    /// taken as received when the next working day opens. Working-day limits end on the n-th working day
    /// after that, at the same time of day; calendar-day limits end n days later, moved to the next working
    /// day when that is a day off; hours count office time only; same-day limits end at closing time.
    pub fn appointment(&self, received: PrimitiveDateTime, limit: &TimeLimit) -> Option<Appointment> {
        let mut provisional = false;
        let cutoff = limit.next_day_after.as_deref().and_then(parse_time);
        let late = cutoff.is_some_and(|c| received.time() > c) || received.time() >= self.hours.closes;
        let today = self.day(received.date());
        provisional |= today.provisional;
        let start = if today.working && !late {
            received.max(PrimitiveDateTime::new(received.date(), self.hours.opens))
        } else {
            let next = self.working_from(received.date().next_day()?, &mut provisional)?;
            PrimitiveDateTime::new(next, self.hours.opens)
        };
        let at = match limit.unit {
            TimeUnit::SameDay => PrimitiveDateTime::new(start.date(), self.hours.closes),
            TimeUnit::WorkingDays => PrimitiveDateTime::new(
                self.working_days_after(start.date(), limit.value, &mut provisional)?,
                start.time(),
            ),
            TimeUnit::Days => {
                let due = start.date().checked_add(Duration::days(i64::from(limit.value.min(MAX_DAYS))))?;
                PrimitiveDateTime::new(self.working_from(due, &mut provisional)?, start.time())
            }
            TimeUnit::Hours => self.office_hours_after(start, limit.value, &mut provisional)?,
        };
        Some(Appointment { at, provisional })
    }

    /// `hours` of office time after `start` (itself within office time on a working day).
    fn office_hours_after(
        &self,
        start: PrimitiveDateTime,
        hours: u32,
        provisional: &mut bool,
    ) -> Option<PrimitiveDateTime> {
        let mut left = Duration::hours(i64::from(hours.min(MAX_DAYS)));
        let mut at = start;
        loop {
            let close = PrimitiveDateTime::new(at.date(), self.hours.closes);
            let room = close - at;
            if left <= room {
                return Some(at + left);
            }
            left -= room;
            let next = self.working_from(at.date().next_day()?, provisional)?;
            at = PrimitiveDateTime::new(next, self.hours.opens);
        }
    }
}

/// How appointments move when `next` takes the place of `current`: for a dossier received at 09:00 on each
/// day of `year` (working in either), under each working-day limit in `limits`, the due dates that differ,
/// in date order, at most `max` of them.
pub fn moved(current: &Calendar, next: &Calendar, year: i32, limits: &[u32], max: usize) -> Vec<Moved> {
    let mut out = Vec::new();
    let Ok(mut date) = Date::from_calendar_date(year, Month::January, 1) else { return out };
    let nine = Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT);
    while date.year() == year && out.len() < max {
        if current.day(date).working || next.day(date).working {
            for &value in limits {
                let limit = TimeLimit {
                    value,
                    unit: TimeUnit::WorkingDays,
                    text: String::new(),
                    next_day_after: None,
                    verified: Default::default(),
                };
                let received = PrimitiveDateTime::new(date, nine);
                let (before, after) = (current.appointment(received, &limit), next.appointment(received, &limit));
                if let (Some(b), Some(a)) = (before, after) {
                    if b.at.date() != a.at.date() && out.len() < max {
                        out.push(Moved {
                            received: date,
                            working_days: value,
                            before: b.at.date(),
                            after: a.at.date(),
                        });
                    }
                }
            }
        }
        let Some(next_day) = date.next_day() else { break };
        date = next_day;
    }
    out
}

/// One appointment that moves (`moved`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub received: Date,
    pub working_days: u32,
    pub before: Date,
    pub after: Date,
}

/// "15:00" → 15:00.
pub fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// The bundled 2026 schedule, as `assets/calendar/2026.toml` gives it.
    fn year_2026() -> CalendarYear {
        let mut off = BTreeMap::new();
        let mut add = |d: Date, name: &str, provisional: bool| {
            off.insert(d, DayOff { name: name.into(), provisional });
        };
        add(date!(2026 - 01 - 01), "Tết Dương lịch", false);
        for day in 16..=20 {
            add(Date::from_calendar_date(2026, Month::February, day).unwrap(), "Tết Nguyên đán", false);
        }
        add(date!(2026 - 04 - 27), "Giỗ Tổ Hùng Vương (nghỉ bù)", false);
        add(date!(2026 - 04 - 30), "Ngày Chiến thắng", false);
        add(date!(2026 - 05 - 01), "Quốc tế Lao động", false);
        add(date!(2026 - 09 - 01), "Quốc khánh (ngày liền kề)", true);
        add(date!(2026 - 09 - 02), "Quốc khánh", false);
        CalendarYear { year: 2026, provisional: false, source: "test".into(), off, worked: BTreeSet::new() }
    }

    fn calendar() -> Calendar {
        Calendar::new([year_2026()], OfficeHours::default())
    }

    fn limit(value: u32, unit: TimeUnit, next_day_after: Option<&str>) -> TimeLimit {
        TimeLimit {
            value,
            unit,
            text: String::new(),
            next_day_after: next_day_after.map(str::to_string),
            verified: Default::default(),
        }
    }

    #[test]
    fn appointments_skip_weekends_tet_and_the_may_holidays() {
        let cal = calendar();
        let cases = [
            // received, limit, due, provisional
            (datetime!(2026-02-13 10:00), limit(3, TimeUnit::WorkingDays, None), datetime!(2026-02-25 10:00), false),
            (datetime!(2026-02-12 09:15), limit(1, TimeUnit::WorkingDays, None), datetime!(2026-02-13 09:15), false),
            (datetime!(2026-02-12 09:15), limit(2, TimeUnit::WorkingDays, None), datetime!(2026-02-23 09:15), false),
            (datetime!(2026-04-29 09:00), limit(2, TimeUnit::WorkingDays, None), datetime!(2026-05-05 09:00), false),
            (datetime!(2026-04-24 14:00), limit(1, TimeUnit::WorkingDays, None), datetime!(2026-04-28 14:00), false),
            (datetime!(2026-03-02 08:00), limit(5, TimeUnit::WorkingDays, None), datetime!(2026-03-09 08:00), false),
            // Received on a Saturday (online): counted from Monday's opening.
            (datetime!(2026-03-07 21:40), limit(1, TimeUnit::WorkingDays, None), datetime!(2026-03-10 07:30), false),
            // Calendar days: 15 days later, moved off the weekend or holiday.
            (datetime!(2026-03-02 10:00), limit(15, TimeUnit::Days, None), datetime!(2026-03-17 10:00), false),
            (datetime!(2026-04-15 10:00), limit(15, TimeUnit::Days, None), datetime!(2026-05-04 10:00), false),
            // Same day; after the cut-off, the next working day.
            (
                datetime!(2026-07-30 14:59),
                limit(0, TimeUnit::SameDay, Some("15:00")),
                datetime!(2026-07-30 17:00),
                false,
            ),
            (
                datetime!(2026-07-30 15:30),
                limit(0, TimeUnit::SameDay, Some("15:00")),
                datetime!(2026-07-31 17:00),
                false,
            ),
            (
                datetime!(2026-02-13 15:30),
                limit(0, TimeUnit::SameDay, Some("15:00")),
                datetime!(2026-02-23 17:00),
                false,
            ),
            (
                datetime!(2026-07-31 15:30),
                limit(2, TimeUnit::WorkingDays, Some("15:00")),
                datetime!(2026-08-05 07:30),
                false,
            ),
            // Hours count office time only.
            (datetime!(2026-07-30 15:00), limit(4, TimeUnit::Hours, None), datetime!(2026-07-31 09:30), false),
            (datetime!(2026-04-29 16:00), limit(8, TimeUnit::Hours, None), datetime!(2026-05-04 14:30), false),
            // Over the provisional day next to National Day: "dự kiến".
            (datetime!(2026-08-31 10:00), limit(2, TimeUnit::WorkingDays, None), datetime!(2026-09-04 10:00), true),
            // Into 2027, which has no schedule here: provisional, fixed holidays still skipped.
            (datetime!(2026-12-31 10:00), limit(1, TimeUnit::WorkingDays, None), datetime!(2027-01-04 10:00), true),
        ];
        for (received, limit, due, provisional) in cases {
            let a = cal.appointment(received, &limit).unwrap();
            assert_eq!((a.at, a.provisional), (due, provisional), "{received} + {} {:?}", limit.value, limit.unit);
        }
    }

    #[test]
    fn a_year_without_an_announcement_is_provisional_and_keeps_the_fixed_holidays() {
        let cal = calendar();
        let y = CalendarYear::from_labour_code(2028);
        assert!(y.provisional);
        // 1 January 2028 is a Saturday: made up on Monday 3 January.
        assert!(y.off.contains_key(&date!(2028 - 01 - 03)));
        assert_eq!(cal.day(date!(2028 - 01 - 03)), Day { working: false, provisional: true });
        assert_eq!(cal.day(date!(2028 - 01 - 04)), Day { working: true, provisional: true });
        assert_eq!(cal.day(date!(2026 - 02 - 18)), Day { working: false, provisional: false });
        assert_eq!(cal.day(date!(2026 - 02 - 23)), Day { working: true, provisional: false });
    }

    #[test]
    fn a_swapped_saturday_is_worked() {
        let mut year = year_2026();
        year.worked.insert(date!(2026 - 02 - 07));
        let cal = Calendar::new([year], OfficeHours::default());
        assert!(cal.day(date!(2026 - 02 - 07)).working);
        let a = cal.appointment(datetime!(2026-02-06 10:00), &limit(1, TimeUnit::WorkingDays, None)).unwrap();
        assert_eq!(a.at, datetime!(2026-02-07 10:00));
    }
}
