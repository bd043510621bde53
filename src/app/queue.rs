//! Queue use cases: take a number (reserve, print, report the outcome), void reservations that never got
//! an outcome, call the next ticket at a counter. Each step is one immediate SQLite transaction.

use crate::config::{Config, NotPrintedRule, Service};
use crate::domain::clock::{local_stamp, Clock, VIETNAM};
use crate::domain::queue::{call_next, CallPolicy, Reason, Waiting};
use crate::domain::ticket::{clock_text, format_number, wait_range, wait_text, Hours, Refusal};
use crate::print::layout::{ticket, TicketInfo};
use crate::print::{Outcome, Printer};
use crate::store::queue::{self as repo, Event, NewTicket, TicketRow};
use crate::store::{Store, StoreError};
use rusqlite::TransactionBehavior;
use time::{OffsetDateTime, Weekday};

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no random source for ticket tokens: {0}")]
    Random(String),
    #[error("counter {0} is not configured")]
    UnknownCounter(u32),
    #[error("ticket {0} does not exist")]
    UnknownTicket(i64),
}

fn fetch(conn: &rusqlite::Connection, id: i64) -> Result<TicketRow, QueueError> {
    repo::get(conn, id)?.ok_or(QueueError::UnknownTicket(id))
}

impl From<rusqlite::Error> for QueueError {
    fn from(e: rusqlite::Error) -> Self {
        QueueError::Store(StoreError::Sqlite(e))
    }
}

/// Local date and minute of an instant.
fn local(now: OffsetDateTime) -> (String, u32, Weekday) {
    let t = now.to_offset(VIETNAM);
    let day = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    (day, u32::from(t.hour()) * 60 + u32::from(t.minute()), t.weekday())
}

fn millis(now: OffsetDateTime) -> i64 {
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// 128 random bits as hex: the ticket's page cannot be guessed from its number.
fn token() -> Result<String, QueueError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| QueueError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn hours_for(service: &Service, weekday: Weekday) -> Hours {
    let ranges = match weekday {
        Weekday::Saturday => &service.saturday_hours,
        Weekday::Sunday => return Hours(Vec::new()),
        _ => &service.hours,
    };
    // Checked when the configuration was loaded.
    Hours::parse(ranges).unwrap_or(Hours(Vec::new()))
}

/// A reserved ticket and what its paper says.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reserved {
    pub ticket: TicketRow,
    pub service_name: String,
    pub counters: Vec<u32>,
    pub ahead: u32,
    pub wait: String,
    pub url: String,
}

/// Takes the next number of a service (committed), refusing with a reason outside hours, past the cap or
/// when the clock went back.
pub fn reserve(
    store: &mut Store,
    config: &Config,
    service_code: &str,
    priority: Option<&str>,
    clock: &dyn Clock,
) -> Result<Reserved, QueueError> {
    let service = config
        .service(service_code)
        .ok_or_else(|| QueueError::Refused(Refusal::UnknownService(service_code.into())))?;
    if let Some(p) = priority {
        if !config.queue.priority_categories.iter().any(|c| c == p) {
            return Err(QueueError::Refused(Refusal::UnknownPriority(p.into())));
        }
    }
    let now = clock.now();
    let (day, minute, weekday) = local(now);
    let hours = hours_for(service, weekday);
    if !hours.open_at(minute) {
        return Err(QueueError::Refused(Refusal::OutsideHours {
            next_opening: hours.next_opening(minute).map(clock_text),
        }));
    }
    let token = token()?;
    let tx = store.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(last) = repo::last_event_ms(&tx)? {
        if millis(now) < last {
            let text = |ms: i64| {
                OffsetDateTime::from_unix_timestamp(ms / 1000)
                    .map(|t| crate::domain::clock::rfc3339(t.to_offset(VIETNAM)))
                    .unwrap_or_default()
            };
            return Err(QueueError::Refused(Refusal::ClockWentBack { last: text(last), now: text(millis(now)) }));
        }
    }
    let (max_seq, taken) = repo::used_today(&tx, &day, &service.code)?;
    if service.daily_cap > 0 && taken >= service.daily_cap {
        return Err(QueueError::Refused(Refusal::DailyCapReached { cap: service.daily_cap }));
    }
    let seq = max_seq.map_or(service.first, |s| s + 1);
    if seq > service.last {
        return Err(QueueError::Refused(Refusal::NumbersExhausted { last: service.last }));
    }
    let number = format_number(&service.prefix, seq, service.width);
    let new = NewTicket {
        day: &day,
        service: &service.code,
        seq,
        number: &number,
        priority,
        token: &token,
        arrived_ms: millis(now),
    };
    let id = repo::insert(&tx, &new)?;
    repo::add_event(
        &tx,
        &Event {
            at_ms: millis(now),
            ticket: Some(id),
            kind: "issued",
            counter: None,
            actor: "kiosk",
            detail: priority,
        },
    )?;
    let ahead = repo::in_state(&tx, &day, "waiting")?.iter().filter(|t| t.service == service.code).count() as u32;
    tx.commit()?;
    let counters: Vec<u32> =
        config.counters.iter().filter(|c| c.services.contains(&service.code)).map(|c| c.number).collect();
    let wait = wait_text(wait_range(ahead, counters.len() as u32, config.queue.typical_service_minutes));
    let ticket = fetch(store.conn(), id)?;
    let url = format!("{}/t/{}", config.queue.public_base_url.trim_end_matches('/'), ticket.token);
    Ok(Reserved { ticket, service_name: service.name_vi.clone(), counters, ahead, wait, url })
}

/// Records what the printer did. Printed or sent → the ticket joins the queue; not printed → the rule in
/// configuration (void, or keep it in the queue and let the kiosk show the number).
pub fn record_outcome(
    store: &mut Store,
    config: &Config,
    ticket_id: i64,
    outcome: &Outcome,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    let now = millis(clock.now());
    let tx = store.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = fetch(&tx, ticket_id)?;
    if current.state == "reserved" {
        let (state, kind, detail) = match (outcome, config.queue.not_printed) {
            (Outcome::NotPrinted { why }, NotPrintedRule::Void) => ("voided", "voided", format!("not printed: {why}")),
            (Outcome::NotPrinted { why }, NotPrintedRule::Keep) => {
                ("waiting", "confirmed", format!("kept, not printed: {why}"))
            }
            (Outcome::SentUnconfirmed { why }, _) => ("waiting", "confirmed", format!("sent, unconfirmed: {why}")),
            (Outcome::Printed { .. }, _) => ("waiting", "confirmed", "printed".to_string()),
        };
        repo::set_state(&tx, ticket_id, state, Some(outcome.label()), None)?;
        repo::add_event(
            &tx,
            &Event { at_ms: now, ticket: Some(ticket_id), kind, counter: None, actor: "kiosk", detail: Some(&detail) },
        )?;
    }
    tx.commit()?;
    fetch(store.conn(), ticket_id)
}

/// Voids reservations older than the timeout (the kiosk crashed or lost the network before reporting),
/// so that no phantom number ever reaches a counter. Returns the voided ticket ids.
pub fn void_stale(store: &mut Store, config: &Config, clock: &dyn Clock) -> Result<Vec<i64>, QueueError> {
    let now = millis(clock.now());
    let cutoff = now - i64::from(config.queue.reservation_timeout_s) * 1000;
    let tx = store.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stale = repo::stale_reservations(&tx, cutoff)?;
    let detail = format!("no print outcome within {} s", config.queue.reservation_timeout_s);
    for &id in &stale {
        repo::set_state(&tx, id, "voided", None, None)?;
        repo::add_event(
            &tx,
            &Event { at_ms: now, ticket: Some(id), kind: "voided", counter: None, actor: "hub", detail: Some(&detail) },
        )?;
    }
    tx.commit()?;
    Ok(stale)
}

/// What a take-a-number gave: the ticket, its paper, and what the printer did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Issued {
    #[serde(flatten)]
    pub reserved: Reserved,
    pub outcome: String,
    pub outcome_detail: Option<String>,
    pub state: String,
}

/// Reserve, print on `printer`, record the outcome: the whole take-a-number.
pub fn issue_and_print(
    store: &mut Store,
    config: &Config,
    service: &str,
    priority: Option<&str>,
    printer: &mut Printer,
    clock: &dyn Clock,
) -> Result<Issued, QueueError> {
    let reserved = reserve(store, config, service, priority, clock)?;
    let counters: Vec<String> = reserved.counters.iter().map(u32::to_string).collect();
    let info = TicketInfo {
        agency: config.center.name.clone(),
        number: reserved.ticket.number.clone(),
        service: reserved.service_name.clone(),
        counters: counters.join(", "),
        taken_at: local_stamp(clock.now()),
        ahead: reserved.ahead,
        wait: reserved.wait.clone(),
        url: reserved.url.clone(),
    };
    let outcome = printer.print(&ticket(&info));
    let row = record_outcome(store, config, reserved.ticket.id, &outcome, clock)?;
    let detail = match &outcome {
        Outcome::Printed { warning } => warning.clone(),
        Outcome::SentUnconfirmed { why } | Outcome::NotPrinted { why } => Some(why.clone()),
    };
    Ok(Issued {
        reserved: Reserved { ticket: row.clone(), ..reserved },
        outcome: outcome.label().into(),
        outcome_detail: detail,
        state: row.state,
    })
}

/// Calls the next ticket for a counter under the policy, in one transaction: two counters calling at the
/// same instant never get the same ticket.
pub fn call_next_at(
    store: &mut Store,
    config: &Config,
    counter: u32,
    clock: &dyn Clock,
) -> Result<Option<(TicketRow, Reason)>, QueueError> {
    let desk = config.counters.iter().find(|c| c.number == counter).ok_or(QueueError::UnknownCounter(counter))?;
    let now = clock.now();
    let (day, minute, _) = local(now);
    let policy = CallPolicy {
        max_priority_in_row: config.queue.max_priority_in_row,
        fairness_minutes: i64::from(config.queue.fairness_minutes),
    };
    let tx = store.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
    let waiting_rows = repo::in_state(&tx, &day, "waiting")?;
    let waiting: Vec<Waiting> = waiting_rows
        .iter()
        .map(|t| Waiting {
            id: t.id as u64,
            service: t.service.clone(),
            priority: t.priority.is_some(),
            arrived_min: {
                let at = OffsetDateTime::from_unix_timestamp(t.arrived_ms / 1000).unwrap_or(now).to_offset(VIETNAM);
                i64::from(at.hour()) * 60 + i64::from(at.minute())
            },
        })
        .collect();
    let recent = repo::recent_calls_priority(&tx, counter, &day, config.queue.max_priority_in_row + 1)?;
    let streak = recent.iter().take_while(|p| **p).count() as u32;
    let Some(choice) = call_next(&waiting, &desk.services, streak, policy, i64::from(minute)) else {
        return Ok(None);
    };
    let id = choice.id as i64;
    repo::set_state(&tx, id, "called", None, Some(counter))?;
    let reason = format!("{:?}", choice.reason);
    repo::add_event(
        &tx,
        &Event {
            at_ms: millis(now),
            ticket: Some(id),
            kind: "called",
            counter: Some(counter),
            actor: "counter",
            detail: Some(&reason),
        },
    )?;
    tx.commit()?;
    let row = fetch(store.conn(), id)?;
    Ok(Some((row, choice.reason)))
}
