//! The hall's report for a period: its rows read in one read transaction on a read-only connection, then
//! computed by `domain::report`. Used by `motcua report` and the leader's page.

use super::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{millis, Clock, VIETNAM};
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

/// The report of the days `from` to `to`, inclusive, local time.
pub fn report(
    store: &Store,
    config: &Config,
    from: Date,
    to: Date,
    by: Option<By>,
    clock: &dyn Clock,
) -> Result<Result<Report, PeriodError>, QueueError> {
    if to < from {
        return Ok(Err(PeriodError::Backwards));
    }
    if (to - from).whole_days() > 5 * 366 {
        return Ok(Err(PeriodError::TooLong));
    }
    let start = |d: Date| millis(PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(VIETNAM));
    let (from_ms, to_ms) = (start(from), start(to.next_day().unwrap_or(to)));
    let now_ms = millis(clock.now());
    // One read transaction: the three lists see the same database.
    let facts = store.consistent(|conn| -> Result<Facts, QueueError> {
        Ok(Facts {
            tickets: repo::tickets(conn, from_ms, to_ms)?,
            dossiers: repo::dossiers(conn, from_ms, to_ms, now_ms)?,
            ratings: repo::ratings(conn, from_ms, to_ms)?,
            from_day: from.to_string(),
            to_day: to.to_string(),
            from_ms,
            to_ms,
        })
    })?;
    Ok(Ok(report::report(&facts, by, config.reports.target_wait_minutes)))
}
