//! The hall's report for a period: its rows read in one read transaction on a read-only connection, then
//! computed by `domain::report`. Used by `motcua report` and the leader's page.

use super::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{instant, millis, Clock, VIETNAM};
use crate::domain::report::{self, By, Facts, Report};
use crate::store::{report as repo, Store};
use time::{Date, PrimitiveDateTime, Time};

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("\"{0}\" is not a date like 2026-06-30")]
    NotADate(String),
    #[error("the period ends before it starts")]
    Backwards,
    #[error("a report covers at most 5 years")]
    TooLong,
}

/// Reads "YYYY-MM-DD".
pub fn date(text: &str) -> Result<Date, PeriodError> {
    Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| PeriodError::NotADate(text.chars().take(20).collect()))
}

/// The days `from` to `to`, inclusive, local time, as milliseconds [from, to).
pub fn bounds(from: Date, to: Date) -> Result<(i64, i64), PeriodError> {
    if to < from {
        return Err(PeriodError::Backwards);
    }
    if (to - from).whole_days() > 5 * 366 {
        return Err(PeriodError::TooLong);
    }
    let start = |d: Date| millis(PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(VIETNAM));
    Ok((start(from), start(to.next_day().unwrap_or(to))))
}

/// The report of the days `from` to `to`, inclusive, local time.
pub fn report(
    store: &Store,
    config: &Config,
    from: Date,
    to: Date,
    by: Option<By>,
    clock: &dyn Clock,
) -> Result<Result<Report, PeriodError>, QueueError> {
    let (from_ms, to_ms) = match bounds(from, to) {
        Ok(bounds) => bounds,
        Err(e) => return Ok(Err(e)),
    };
    let now_ms = millis(clock.now());
    let session_ms = i64::from(config.hub.session_minutes) * 60_000;
    // One read transaction: the lists see the same database.
    let mut facts = store.consistent(|conn| -> Result<Facts, QueueError> {
        Ok(Facts {
            tickets: repo::tickets(conn, from_ms, to_ms)?,
            dossiers: repo::dossiers(conn, from_ms, to_ms, now_ms)?,
            ratings: repo::ratings(conn, from_ms, to_ms)?,
            desk: repo::desk(conn, from_ms - session_ms, to_ms)?,
            session_ms,
            now_ms,
            from_day: from.to_string(),
            to_day: to.to_string(),
            from_ms,
            to_ms,
        })
    })?;
    working_days(config, store, &mut facts.dossiers);
    let mut made = report::report(&facts, by, config.reports.target_wait_minutes);
    if config.booking.enabled {
        made.bookings = Some(crate::app::booking::figures(store, &facts.from_day, &facts.to_day)?);
    }
    Ok(Ok(made))
}

/// Counts each resolved dossier's working days from receipt to resolution on the hall's calendar (holidays
/// and swapped Saturdays). A calendar that cannot be read leaves them out rather than failing the report.
pub fn working_days(config: &Config, store: &Store, dossiers: &mut [report::DossierFact]) {
    if let Ok(calendar) = super::dossier::calendar_stored(config, store) {
        count_working_days(&calendar, dossiers);
    }
}

/// Each resolved dossier's working days from receipt to resolution on `calendar`.
pub fn count_working_days(calendar: &crate::domain::calendar::Calendar, dossiers: &mut [report::DossierFact]) {
    for d in dossiers {
        let (Some(received), Some(resolved)) = (instant(d.received_ms), d.resolved_ms.and_then(instant)) else {
            continue;
        };
        let (received, resolved) = (received.to_offset(VIETNAM).date(), resolved.to_offset(VIETNAM).date());
        d.working_days = Some(calendar.working_days_between(received, resolved));
    }
}

/// The names a report page shows instead of codes: the center, the services, the current procedures.
pub fn names(store: &Store, config: &Config) -> Result<crate::interchange::report_page::Names, QueueError> {
    let procedures = crate::store::catalog::current(store.conn())?
        .into_iter()
        .map(|p| (p.procedure.code, p.procedure.name))
        .collect();
    Ok(crate::interchange::report_page::Names {
        center: config.center.name.clone(),
        services: config.services.iter().map(|s| (s.code.clone(), s.name_vi.clone())).collect(),
        procedures,
        staff: super::staff::list(store)?.into_iter().map(|s| (s.username, s.name)).collect(),
    })
}

/// The periods the leader's page offers with one tap, from today ("2026-08-07"): key, first day, last day,
/// label. Today, the last 7 days, this month, last month, this quarter, this year.
pub fn quick_periods(today: &str) -> Vec<(&'static str, String, String, &'static str)> {
    let Ok(day) = date(today) else { return Vec::new() };
    let first_of =
        |y: i32, m: u8| Date::from_calendar_date(y, time::Month::try_from(m).unwrap_or(time::Month::January), 1);
    let (y, m) = (day.year(), u8::from(day.month()));
    let month = first_of(y, m).unwrap_or(day);
    let last_month_end = month.previous_day().unwrap_or(month);
    let last_month = first_of(last_month_end.year(), u8::from(last_month_end.month())).unwrap_or(last_month_end);
    let quarter = first_of(y, (m - 1) / 3 * 3 + 1).unwrap_or(day);
    let year = first_of(y, 1).unwrap_or(day);
    let week = day.checked_sub(time::Duration::days(6)).unwrap_or(day);
    let s = |d: Date| d.to_string();
    vec![
        ("hom-nay", s(day), s(day), "Hôm nay"),
        ("7-ngay", s(week), s(day), "7 ngày qua"),
        ("thang", s(month), s(day), "Tháng này"),
        ("thang-truoc", s(last_month), s(last_month_end), "Tháng trước"),
        ("quy", s(quarter), s(day), "Quý này"),
        ("nam", s(year), s(day), "Năm nay"),
    ]
}
