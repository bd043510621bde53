//! Bookings at the hall (docs/booking.md): what the hall offers the province to book (`offer`, pushed in
//! the hall's row), the bookings it pulls back (`keep_pulled`), check-in at the kiosk (`check_in`) and the
//! figures of the reports (`figures`).

use super::queue::{hours_for, reserve_in, QueueError, Reserved};
use crate::config::Config;
use crate::domain::booking::{may_check_in, parse_code, CheckInRefusal, Figures};
use crate::domain::calendar::Calendar;
use crate::domain::clock::{local, millis, Clock};
use crate::domain::ticket::{clock_text, Refusal};
use crate::store::booking::{self as repo, Pulled};
use crate::store::Store;
use serde_json::{json, Value};

/// How a citizen shows a booking at the kiosk: its QR (the booking page's address, whose last part is
/// the token), or its code with the phone's last three digits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingKey {
    Token(String),
    Code { code: String, digits: String },
}

impl BookingKey {
    /// What its attempts are counted against: the code (any day), or nothing for an unguessable token.
    pub fn attempt_key(&self) -> Option<String> {
        match self {
            BookingKey::Token(_) => None,
            BookingKey::Code { code, .. } => Some(format!("booking:{}", parse_code(code).unwrap_or_default())),
        }
    }
}

fn refused(r: CheckInRefusal) -> QueueError {
    QueueError::Refused(Refusal::Booking(r))
}

/// Checks a booking in: a ticket of its service, in line from its window's start (`domain::queue`). Sent
/// again with the same `request_key` (its answer was lost), it gives the same ticket.
pub fn check_in(
    store: &mut Store,
    config: &Config,
    key: &BookingKey,
    request_key: Option<&str>,
    clock: &dyn Clock,
) -> Result<Reserved, QueueError> {
    let now = clock.now();
    let (today, _, _) = local(now);
    let (found, digits) = match key {
        BookingKey::Token(token) => (repo::by_token(store.conn(), token)?, None),
        BookingKey::Code { code, digits } => {
            let code = parse_code(code).ok_or_else(|| refused(CheckInRefusal::Unknown))?;
            (repo::by_code(store.conn(), &today, &code)?, Some(digits.as_str()))
        }
    };
    let found = found.ok_or_else(|| refused(CheckInRefusal::Unknown))?;
    // The same request again gets its ticket (`reserve_in` looks for it first), whatever the booking says
    // now; a new one is checked here, and again in the ticket's transaction.
    let again = request_key.map(|k| crate::store::queue::by_request_key(store.conn(), k)).transpose()?.flatten();
    if again.is_none() {
        may_check_in(&found.held, &today, millis(now), digits).map_err(refused)?;
    }
    reserve_in(store, config, &found.service, None, request_key, None, Some(found.id), clock)
}

/// Keeps the bookings pulled from the province, with the change number the next pull starts after, in
/// one transaction.
pub fn keep_pulled(store: &mut Store, pulled: &[Pulled]) -> Result<(), QueueError> {
    let Some(rev) = pulled.iter().map(|b| b.rev).max() else { return Ok(()) };
    let tx = store.change()?;
    for b in pulled {
        repo::upsert(&tx, b)?;
    }
    if rev > repo::pulled_rev(&tx)? {
        repo::set_pulled_rev(&tx, rev)?;
    }
    tx.commit()?;
    Ok(())
}

/// Where the next pull starts.
pub fn pulled_rev(store: &Store) -> Result<i64, QueueError> {
    Ok(repo::pulled_rev(store.conn())?)
}

/// What the hall offers to book, for its row at the province: the settings, and for each bookable
/// service its issuing hours on each working day from today to `days_ahead` (a day off is left out).
pub fn offer(config: &Config, calendar: &Calendar, now: time::OffsetDateTime) -> Value {
    let b = &config.booking;
    if !b.enabled {
        return json!({ "enabled": false });
    }
    let today = now.to_offset(crate::domain::clock::VIETNAM).date();
    let days: Vec<time::Date> =
        (0..=i64::from(b.days_ahead)).filter_map(|n| today.checked_add(time::Duration::days(n))).collect();
    let services: Vec<Value> = config
        .services
        .iter()
        .filter(|s| b.slots_of(&s.code) > 0)
        .map(|s| {
            let open: Vec<Value> = days
                .iter()
                .filter(|d| calendar.day(**d).working)
                .filter_map(|d| {
                    // A weekend day made a working day (làm bù) keeps the weekday hours.
                    let weekday =
                        if d.weekday().number_days_from_monday() >= 5 { time::Weekday::Monday } else { d.weekday() };
                    let ranges: Vec<String> = hours_for(s, weekday)
                        .0
                        .iter()
                        .map(|&(a, z)| format!("{}-{}", clock_text(a), clock_text(z)))
                        .collect();
                    (!ranges.is_empty()).then(|| json!({ "day": day_text(*d), "hours": ranges }))
                })
                .collect();
            json!({ "code": s.code, "prefix": s.prefix, "slots": b.slots_of(&s.code), "days": open })
        })
        .collect();
    json!({
        "enabled": true,
        "days_ahead": b.days_ahead,
        "window_minutes": b.window_minutes,
        "share_percent": b.share_percent,
        "services": services,
    })
}

fn day_text(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The reports' figures of bookings over days `from` to `to` (`domain::booking::Figures`).
pub fn figures(store: &Store, from: &str, to: &str) -> Result<Figures, QueueError> {
    let mut f = Figures::default();
    for (state, n) in repo::counts(store.conn(), from, to)? {
        f.made += n;
        match state.as_str() {
            "checked_in" => f.checked_in = n,
            "expired" => f.expired = n,
            "cancelled" => f.cancelled = n,
            _ => f.booked = n,
        }
    }
    let waits = repo::waits(store.conn(), from, to)?;
    let of = |booked: bool| waits.iter().filter(|w| w.0 == booked).map(|w| w.1).collect::<Vec<i64>>();
    (f.booked_called, f.booked_wait_avg_min) = crate::domain::booking::mean_wait(&of(true));
    (f.walk_in_called, f.walk_in_wait_avg_min) = crate::domain::booking::mean_wait(&of(false));
    Ok(f)
}
