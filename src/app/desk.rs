//! What a counter does with a ticket: call the next one under the policy, call one out of order with a
//! reason, recall, start, complete, mark a no-show, transfer, pause, reprint. Each is one transaction that
//! writes its event.

use super::queue::{estimate_range, QueueError};
use crate::config::{Config, Counter};
use crate::domain::clock::{instant, local, local_day, local_stamp, millis, Clock, VIETNAM};
use crate::domain::counter::{CounterRefusal, Desk};
use crate::domain::estimate;
use crate::domain::queue::{call_next, CallPolicy, Reason, Recent, Waiting, SHARE_WINDOW};
use crate::domain::ticket::{EventKind, TicketState};
use crate::print::layout::TicketInfo;
use crate::store::counter as counters_repo;
use crate::store::queue::{self as repo, Event, TicketRow};
use crate::store::Store;
use rusqlite::Connection;
use time::OffsetDateTime;

fn desk(config: &Config, counter: u32) -> Result<&Counter, QueueError> {
    config
        .counters
        .iter()
        .find(|c| c.number == counter)
        .ok_or(QueueError::Counter(CounterRefusal::UnknownCounter(counter)))
}

fn refuse<T>(r: CounterRefusal) -> Result<T, QueueError> {
    Err(QueueError::Counter(r))
}

/// Writes an event; with a desk, as the counter's (and its staff member's), else as the hub's.
pub(super) fn log(
    conn: &Connection,
    at_ms: i64,
    ticket: Option<i64>,
    kind: EventKind,
    at: Option<Desk>,
    detail: Option<&str>,
) -> Result<i64, QueueError> {
    let actor = if at.is_some() { "counter" } else { "hub" };
    let (counter, staff) = (at.map(|d| d.counter), at.and_then(|d| d.staff));
    Ok(repo::add_event(conn, &Event { at_ms, ticket, kind, counter, actor, detail, staff })?)
}

/// Minutes since local midnight of a stored instant.
fn minute_of(ms: i64, fallback: OffsetDateTime) -> i64 {
    let at = instant(ms).unwrap_or(fallback).to_offset(VIETNAM);
    i64::from(at.hour()) * 60 + i64::from(at.minute())
}

/// Finishes whatever a counter still holds before it calls again: the citizen at the counter is done.
fn finish_held(conn: &Connection, day: &str, at: Desk, now_ms: i64) -> Result<(), QueueError> {
    for held in repo::at_counter(conn, day, at.counter)? {
        let row = TicketRow { state: TicketState::Done, finished_ms: Some(now_ms), ..held };
        repo::update(conn, &row)?;
        log(conn, now_ms, Some(row.id), EventKind::Done, Some(at), Some("next call"))?;
    }
    Ok(())
}

fn hand_to_counter(
    conn: &Connection,
    ticket: TicketRow,
    at: Desk,
    now_ms: i64,
    detail: &str,
) -> Result<TicketRow, QueueError> {
    let row = TicketRow {
        state: TicketState::Called,
        counter: Some(at.counter),
        called_ms: Some(now_ms),
        started_ms: None,
        finished_ms: None,
        recalls: 0,
        ..ticket
    };
    repo::update(conn, &row)?;
    log(conn, now_ms, Some(row.id), EventKind::Called, Some(at), Some(detail))?;
    Ok(row)
}

fn immediate(store: &mut Store) -> Result<crate::store::Change<'_>, QueueError> {
    Ok(store.change()?)
}

/// Calls the next ticket for a counter under the policy, in one transaction: two counters calling at the
/// same instant never get the same ticket. A ticket the counter still holds is finished first.
pub fn call_next_at(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    clock: &dyn Clock,
) -> Result<Option<(TicketRow, Reason)>, QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    let desk = desk(config, counter)?;
    let now = clock.now();
    let (day, minute, _) = local(now);
    let policy = CallPolicy {
        max_priority_in_row: config.queue.max_priority_in_row,
        fairness_minutes: i64::from(config.queue.fairness_minutes),
        booked_share_percent: config.booking.share_percent,
    };
    let tx = immediate(store)?;
    if counters_repo::paused(&tx)?.contains(&counter) {
        return refuse(CounterRefusal::Paused);
    }
    finish_held(&tx, &day, at, millis(now))?;
    // The rule looks only at the first priority ticket, the first other walk-in and the first booked
    // ticket whose window has begun (its place in line being the window's start), of the counter's first
    // line that has anyone waiting.
    let mut heads: Vec<(TicketRow, Option<i64>)> = Vec::new();
    for service in &desk.services {
        for priority in [true, false] {
            heads.extend(repo::line_head(&tx, &day, service, priority)?.map(|t| (t, None)));
        }
        heads.extend(repo::booked_head(&tx, &day, service, millis(now))?.map(|(t, starts)| (t, Some(starts))));
        if !heads.is_empty() {
            break;
        }
    }
    let waiting: Vec<Waiting> = heads
        .iter()
        .map(|(t, starts)| Waiting {
            id: t.id as u64,
            service: t.service.clone(),
            priority: t.priority.is_some(),
            arrived_min: minute_of(starts.unwrap_or(t.arrived_ms), now),
            booked: starts.is_some(),
        })
        .collect();
    let window = (config.queue.max_priority_in_row + 1).max(SHARE_WINDOW - 1);
    let calls = repo::recent_calls(&tx, counter, &day, window)?;
    let recent = Recent {
        priority_streak: calls.iter().take_while(|(priority, _)| *priority).count() as u32,
        booked: calls.iter().take(SHARE_WINDOW as usize - 1).filter(|(_, booked)| *booked).count() as u32,
    };
    let Some(choice) = call_next(&waiting, &desk.services, recent, policy, i64::from(minute)) else {
        tx.commit()?;
        return Ok(None);
    };
    let Some((ticket, _)) = heads.into_iter().find(|(t, _)| t.id == choice.id as i64) else {
        return Err(QueueError::UnknownTicket(choice.id as i64));
    };
    let row = hand_to_counter(&tx, ticket, at, millis(now), &format!("{:?}", choice.reason))?;
    tx.commit()?;
    Ok(Some((row, choice.reason)))
}

/// Calls a waiting ticket out of order, with the reason written in the log.
pub fn call_specific(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    number: &str,
    reason: &str,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    desk(config, counter)?;
    // Written in the log and sent to every console: a line, not a page.
    let reason: String = reason.trim().chars().take(200).collect();
    if reason.is_empty() {
        return refuse(CounterRefusal::ReasonRequired);
    }
    let now = clock.now();
    let day = local_day(now);
    let tx = immediate(store)?;
    if counters_repo::paused(&tx)?.contains(&counter) {
        return refuse(CounterRefusal::Paused);
    }
    let number = number.trim().to_uppercase();
    let Some(ticket) = repo::by_number(&tx, &day, &number)? else {
        return refuse(CounterRefusal::UnknownNumber(number));
    };
    if ticket.state != TicketState::Waiting {
        return refuse(CounterRefusal::NotWaiting { number, state: ticket.state });
    }
    finish_held(&tx, &day, at, millis(now))?;
    let row = hand_to_counter(&tx, ticket, at, millis(now), &format!("out of order: {reason}"))?;
    tx.commit()?;
    Ok(row)
}

/// A counter's action on the ticket it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Announce the called number again (counted).
    Recall,
    /// The citizen came: serving starts.
    Start,
    /// Serving finished.
    Complete,
    /// The citizen did not come after the recalls.
    NoShow,
}

/// Applies an action to the ticket the counter holds.
pub fn act(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    action: Action,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    desk(config, counter)?;
    let now = clock.now();
    let now_ms = millis(now);
    let tx = immediate(store)?;
    let held = repo::at_counter(&tx, &local_day(now), counter)?.into_iter().last();
    let row = match (action, held) {
        (Action::Recall, Some(t)) if t.state == TicketState::Called => {
            let row = TicketRow { recalls: t.recalls + 1, ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), EventKind::Recalled, Some(at), Some(&row.recalls.to_string()))?;
            row
        }
        (Action::Start, Some(t)) if t.state == TicketState::Called => {
            let row = TicketRow { state: TicketState::Serving, started_ms: Some(now_ms), ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), EventKind::Serving, Some(at), None)?;
            row
        }
        (Action::Complete, Some(t)) => {
            let row = TicketRow { state: TicketState::Done, finished_ms: Some(now_ms), ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), EventKind::Done, Some(at), None)?;
            row
        }
        (Action::NoShow, Some(t)) if t.state == TicketState::Called => {
            let needed = config.queue.recalls_before_no_show;
            if t.recalls < needed {
                return refuse(CounterRefusal::RecallsNeeded { needed, done: t.recalls });
            }
            let row = TicketRow { state: TicketState::NoShow, ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), EventKind::NoShow, Some(at), Some(&row.recalls.to_string()))?;
            row
        }
        (Action::Complete, None) => return refuse(CounterRefusal::NothingServing),
        _ => return refuse(CounterRefusal::NothingCalled),
    };
    tx.commit()?;
    Ok(row)
}

/// Sends the ticket a counter holds to another service's line. It keeps its number and its original
/// arrival time, so it is not put behind everyone who came later.
pub fn transfer(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    to_service: &str,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    desk(config, counter)?;
    if config.service(to_service).is_none() {
        return refuse(CounterRefusal::UnknownService(to_service.into()));
    }
    let now = clock.now();
    let now_ms = millis(now);
    let tx = immediate(store)?;
    let Some(t) = repo::at_counter(&tx, &local_day(now), counter)?.into_iter().last() else {
        return refuse(CounterRefusal::NothingCalled);
    };
    if t.service == to_service {
        return refuse(CounterRefusal::SameService(to_service.into()));
    }
    let detail = format!("{} -> {to_service}", t.service);
    let row = TicketRow {
        state: TicketState::Waiting,
        service: to_service.into(),
        counter: None,
        called_ms: None,
        started_ms: None,
        recalls: 0,
        ..t
    };
    repo::update(&tx, &row)?;
    log(&tx, now_ms, Some(row.id), EventKind::Transferred, Some(at), Some(&detail))?;
    tx.commit()?;
    Ok(row)
}

/// Pauses or resumes a counter: a paused counter is not called for and not counted as open.
pub fn set_paused(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    paused: bool,
    clock: &dyn Clock,
) -> Result<(), QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    desk(config, counter)?;
    let tx = immediate(store)?;
    counters_repo::set_paused(&tx, counter, paused)?;
    log(&tx, millis(clock.now()), None, if paused { EventKind::Paused } else { EventKind::Resumed }, Some(at), None)?;
    tx.commit()?;
    Ok(())
}

/// What a reprint puts on paper for a ticket of today, logged as an event.
pub fn reprint(
    store: &mut Store,
    config: &Config,
    at: impl Into<Desk>,
    number: &str,
    clock: &dyn Clock,
) -> Result<TicketInfo, QueueError> {
    let at: Desk = at.into();
    let counter = at.counter;
    desk(config, counter)?;
    let now = clock.now();
    let day = local_day(now);
    let tx = immediate(store)?;
    let number = number.trim().to_uppercase();
    let Some(t) = repo::by_number(&tx, &day, &number)? else {
        return refuse(CounterRefusal::UnknownNumber(number));
    };
    if matches!(t.state, TicketState::Voided | TicketState::Reserved) {
        return refuse(CounterRefusal::NotReprintable(number));
    }
    let ahead = if t.state == TicketState::Waiting { repo::ahead(&tx, &t)? } else { 0 };
    let range = estimate_range(&tx, config, &t.service, ahead, millis(now))?;
    log(&tx, millis(now), Some(t.id), EventKind::Reprinted, Some(at), None)?;
    tx.commit()?;
    Ok(ticket_info(config, &t, ahead, &estimate::wait_text(range), t.arrived_ms))
}

fn ticket_info(config: &Config, t: &TicketRow, ahead: u32, wait: &str, taken_ms: i64) -> TicketInfo {
    let counters: Vec<String> =
        config.counters.iter().filter(|c| c.services.contains(&t.service)).map(|c| c.number.to_string()).collect();
    let taken = instant(taken_ms).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    TicketInfo {
        agency: config.center.name.clone(),
        number: t.number.clone(),
        service: config.service(&t.service).map_or_else(|| t.service.clone(), |s| s.name_vi.clone()),
        counters: counters.join(", "),
        taken_at: local_stamp(taken),
        ahead,
        wait: wait.into(),
        url: ticket_url(config, &t.token),
    }
}

pub fn ticket_url(config: &Config, token: &str) -> String {
    format!("{}/t/{}", config.queue.public_base_url.trim_end_matches('/'), token)
}
