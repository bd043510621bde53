//! The way out when the hub's clock once ran ahead: staff accept the time now as right. Numbers are
//! refused while the clock reads earlier than the latest event since the last acceptance
//! (app::queue::clock_behind); accepting writes a `clock_accepted` event, after which only later events
//! count, and voids the tickets dated on a day after
//! today (taken while the clock was ahead: nobody will come for them on that day).

use crate::app::queue::QueueError;
use crate::domain::clock::{instant, local_day, millis, rfc3339, Clock, VIETNAM};
use crate::domain::ticket::{EventKind, TicketState};
use crate::store::queue::{self as repo, Event, TicketRow};
use crate::store::Store;

/// What accepting the clock did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Accepted {
    /// The time of the event written last before, when the clock read earlier than it.
    pub was_ahead_until: Option<String>,
    pub now: String,
    /// Numbers of the tickets dated after today that were voided.
    pub voided: Vec<String>,
}

pub fn accept(store: &mut Store, clock: &dyn Clock) -> Result<Accepted, QueueError> {
    let now = clock.now();
    let now_ms = millis(now);
    let today = local_day(now);
    let text = |ms: i64| instant(ms).map(|t| rfc3339(t.to_offset(VIETNAM))).unwrap_or_default();
    let tx = store.change()?;
    let last = repo::last_event_ms(&tx)?.filter(|&last| last > now_ms);
    let mut voided = Vec::new();
    for ticket in repo::after_day(&tx, &today)? {
        let number = ticket.number.clone();
        let id = ticket.id;
        repo::update(&tx, &TicketRow { state: TicketState::Voided, ..ticket })?;
        let detail = "dated after today by a clock that ran ahead";
        let event = Event {
            at_ms: now_ms,
            ticket: Some(id),
            kind: EventKind::Voided,
            counter: None,
            actor: "staff",
            detail: Some(detail),
            staff: None,
        };
        repo::add_event(&tx, &event)?;
        voided.push(number);
    }
    let detail = match last {
        Some(last) => format!("clock accepted; the last event was at {}", text(last)),
        None => "clock accepted".to_string(),
    };
    let event = Event {
        at_ms: now_ms,
        ticket: None,
        kind: EventKind::ClockAccepted,
        counter: None,
        actor: "staff",
        detail: Some(&detail),
        staff: None,
    };
    repo::add_event(&tx, &event)?;
    tx.commit()?;
    tracing::warn!(detail, voided = voided.len(), "staff accepted the clock");
    Ok(Accepted { was_ahead_until: last.map(text), now: text(now_ms), voided })
}
