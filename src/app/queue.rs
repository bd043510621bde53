//! Queue use cases: take a number (reserve, print, report the outcome), void reservations that never got
//! an outcome, and everything a counter does with a ticket. Each step is one immediate SQLite transaction,
//! and every change writes an event row, so a day can be replayed and live clients resume from an id.

use crate::config::{Config, Counter, NotPrintedRule, Service};
use crate::domain::clock::{local_stamp, rfc3339, Clock, VIETNAM};
use crate::domain::counter::CounterRefusal;
use crate::domain::estimate::{self, EstimatePolicy};
use crate::domain::queue::{call_next, CallPolicy, Reason, Waiting};
use crate::domain::ticket::{clock_text, format_number, Hours, Refusal};
use crate::print::layout::{ticket, TicketInfo};
use crate::print::{Outcome, Printer};
use crate::store::counter as counters_repo;
use crate::store::queue::{self as repo, Event, NewTicket, TicketRow};
use crate::store::{Store, StoreError};
use rusqlite::Connection;
use time::{OffsetDateTime, Weekday};

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Counter(CounterRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no random source for ticket tokens: {0}")]
    Random(String),
    #[error("ticket {0} does not exist")]
    UnknownTicket(i64),
    /// The hub's database writer is not there to answer (it stopped).
    #[error("{0}")]
    Stopped(String),
    /// The change was not saved and nothing of it stayed (its batch failed): the same request may be
    /// sent again.
    #[error("not saved, try again: {0}")]
    Retry(String),
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

/// The instant of a stored millisecond time, if it is one `time` can represent.
pub(crate) fn instant(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()
}

/// Local date of an instant, "YYYY-MM-DD".
pub fn local_day(now: OffsetDateTime) -> String {
    local(now).0
}

pub(crate) fn millis(now: OffsetDateTime) -> i64 {
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// 128 random bits as hex: the ticket's page cannot be guessed from its number; also session and device
/// tokens.
pub fn token() -> Result<String, QueueError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| QueueError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn hours_for(service: &Service, weekday: Weekday) -> Hours {
    let ranges = match weekday {
        Weekday::Saturday => &service.saturday_hours,
        Weekday::Sunday => &service.sunday_hours,
        _ => &service.hours,
    };
    // Checked when the configuration was loaded.
    Hours::parse(ranges).unwrap_or(Hours(Vec::new()))
}

/// A reserved ticket and what its paper says.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reserved {
    pub ticket: TicketRow,
    pub service_name: String,
    pub counters: Vec<u32>,
    pub ahead: u32,
    pub wait: String,
    pub url: String,
    pub token: String,
}

/// Takes the next number of a service (committed), refusing with a reason outside hours, past the cap or
/// when the clock went back. A request sent again with the same `request_key` (its answer was lost) gets
/// the ticket it reserved the first time.
pub fn reserve(
    store: &mut Store,
    config: &Config,
    service_code: &str,
    priority: Option<&str>,
    request_key: Option<&str>,
    clock: &dyn Clock,
) -> Result<Reserved, QueueError> {
    let service = config
        .service(service_code)
        .ok_or_else(|| QueueError::Refused(Refusal::UnknownService(service_code.into())))?;
    if let Some(id) = request_key.map(|k| repo::by_request_key(store.conn(), k)).transpose()?.flatten() {
        let ticket = fetch(store.conn(), id)?;
        let ahead = repo::ahead(store.conn(), &ticket)?;
        let range = estimate_range(store.conn(), config, &ticket.service, ahead, millis(clock.now()))?;
        return Ok(reserved(config, ticket, ahead, range));
    }
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
    let tx = store.change()?;
    if let Some(refusal) = clock_behind(&tx, now)? {
        return Err(QueueError::Refused(refusal));
    }
    if service.daily_cap > 0 && repo::taken_today(&tx, &day, &service.code)? >= service.daily_cap {
        return Err(QueueError::Refused(Refusal::DailyCapReached { cap: service.daily_cap }));
    }
    let seq = repo::last_seq_today(&tx, &day, &service.code)?.map_or(service.first, |s| s + 1);
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
        request_key,
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
    let ticket = fetch(&tx, id)?;
    let ahead = repo::ahead(&tx, &ticket)?;
    let range = estimate_range(&tx, config, &service.code, ahead, millis(now))?;
    tx.commit()?;
    Ok(reserved(config, ticket, ahead, range))
}

/// Whether the clock reads earlier than the event written last (it went back, or once ran ahead): numbers
/// are not given then, since their order and day would be wrong. `motcua clock accept` is the way out.
pub fn clock_behind(conn: &Connection, now: OffsetDateTime) -> Result<Option<Refusal>, QueueError> {
    let Some(last) = repo::last_event_ms(conn)? else { return Ok(None) };
    if millis(now) >= last {
        return Ok(None);
    }
    let text = |ms: i64| instant(ms).map(|t| crate::domain::clock::rfc3339(t.to_offset(VIETNAM))).unwrap_or_default();
    Ok(Some(Refusal::ClockWentBack { last: text(last), now: text(millis(now)) }))
}

/// A reserved ticket with what its paper says.
fn reserved(config: &Config, ticket: TicketRow, ahead: u32, range: (u32, u32)) -> Reserved {
    let service = config.service(&ticket.service);
    let counters: Vec<u32> =
        config.counters.iter().filter(|c| c.services.contains(&ticket.service)).map(|c| c.number).collect();
    let wait = estimate::wait_text(range);
    let url = format!("{}/t/{}", config.queue.public_base_url.trim_end_matches('/'), ticket.token);
    let token = ticket.token.clone();
    let service_name = service.map(|s| s.name_vi.clone()).unwrap_or_default();
    Reserved { ticket, service_name, counters, ahead, wait, url, token }
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
    let tx = store.change()?;
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
        let row = TicketRow { state: state.into(), print_outcome: Some(outcome.label().into()), ..current };
        repo::update(&tx, &row)?;
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
    let tx = store.change()?;
    let stale = repo::stale_reservations(&tx, cutoff)?;
    let detail = format!("no print outcome within {} s", config.queue.reservation_timeout_s);
    for &id in &stale {
        let row = TicketRow { state: "voided".into(), ..fetch(&tx, id)? };
        repo::update(&tx, &row)?;
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

/// Where a kiosk takes numbers from: the hub in this process, or a remote hub over HTTP.
pub trait Issuer {
    fn reserve(&self, service: &str, priority: Option<&str>) -> Result<Reserved, IssueError>;
    /// Reports the print outcome; returns the ticket's state after it ("waiting" or "voided").
    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<String, IssueError>;
    /// The services with their lines and estimates, as the kiosk lists them.
    fn services(&self) -> Result<Vec<ServiceView>, IssueError>;
    /// The numbers at the counters now.
    fn serving(&self) -> Result<Vec<Serving>, IssueError>;
    /// A ticket's status by its public token; `None` when no ticket has it.
    fn status(&self, token: &str) -> Result<Option<TicketStatus>, IssueError>;
    /// A dossier's public status by its code; `None` when no dossier has it.
    fn dossier(&self, code: &str) -> Result<Option<crate::app::dossier::CodeStatus>, IssueError>;
    /// A dossier's details by its code and the last four digits of the applicant's phone; `None` when they
    /// do not match (whether or not the code exists). Attempts are limited (docs/dossiers.md).
    fn dossier_verify(&self, code: &str, last4: &str) -> Result<Option<crate::app::dossier::Details>, IssueError>;
    /// A dossier's details by the token of its QR; `None` when no dossier has it.
    fn dossier_details(&self, token: &str) -> Result<Option<crate::app::dossier::Details>, IssueError>;
    /// What a status check of this kiosk's printer found between jobs (for the counter console).
    fn printer_checked(&self, state: &crate::print::status::PrinterState) -> Result<(), IssueError>;
}

/// A number at a counter, for the kiosk's home screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Serving {
    pub number: String,
    pub counter: u32,
}

impl Snapshot {
    /// The numbers called or being served, by counter.
    pub fn serving(&self) -> Vec<Serving> {
        self.counters
            .iter()
            .filter_map(|c| c.current.as_ref().map(|t| Serving { number: t.number.clone(), counter: c.number }))
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// The remote hub answered with an error.
    #[error("{message_en}")]
    Hub { status: u16, message_vi: String, message_en: String },
    #[error("the hub at {url} cannot be reached: {detail}")]
    Unreachable { url: String, detail: String },
}

impl IssueError {
    /// The refusal a citizen should read (Vietnamese / English), when the ticket was refused rather than
    /// failed.
    pub fn refusal(&self) -> Option<(String, String)> {
        match self {
            IssueError::Queue(QueueError::Refused(r)) => Some((r.message_vi(), r.to_string())),
            IssueError::Hub { status, message_vi, message_en } if (400..500).contains(status) => {
                Some((message_vi.clone(), message_en.clone()))
            }
            _ => None,
        }
    }
}

/// Reserve, print on `printer`, report the outcome: the whole take-a-number, against any hub.
pub fn issue_and_print(
    hub: &dyn Issuer,
    config: &Config,
    service: &str,
    priority: Option<&str>,
    printer: &mut Printer,
    clock: &dyn Clock,
) -> Result<Issued, IssueError> {
    let reserved = hub.reserve(service, priority)?;
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
    let state = hub.report(reserved.ticket.id, &outcome)?;
    let detail = match &outcome {
        Outcome::Printed { warning } => warning.clone(),
        Outcome::SentUnconfirmed { why } | Outcome::NotPrinted { why } => Some(why.clone()),
    };
    let ticket =
        TicketRow { state: state.clone(), print_outcome: Some(outcome.label().into()), ..reserved.ticket.clone() };
    Ok(Issued {
        reserved: Reserved { ticket, ..reserved },
        outcome: outcome.label().into(),
        outcome_detail: detail,
        state,
    })
}

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

fn log(
    conn: &Connection,
    at_ms: i64,
    ticket: Option<i64>,
    kind: &str,
    counter: Option<u32>,
    detail: Option<&str>,
) -> Result<i64, QueueError> {
    let actor = if counter.is_some() { "counter" } else { "hub" };
    Ok(repo::add_event(conn, &Event { at_ms, ticket, kind, counter, actor, detail })?)
}

/// Minutes since local midnight of a stored instant.
fn minute_of(ms: i64, fallback: OffsetDateTime) -> i64 {
    let at = instant(ms).unwrap_or(fallback).to_offset(VIETNAM);
    i64::from(at.hour()) * 60 + i64::from(at.minute())
}

/// Counters open for a service now: logged in and not paused. Before any is open (early morning), every
/// counter configured for it, as the hall will open them.
fn open_counters(conn: &Connection, config: &Config, service: &str, now_ms: i64) -> Result<u32, QueueError> {
    let logged_in = counters_repo::logged_in(conn, now_ms)?;
    let paused = counters_repo::paused(conn)?;
    let serving: Vec<&Counter> = config.counters.iter().filter(|c| c.services.iter().any(|s| s == service)).collect();
    let open = serving.iter().filter(|c| logged_in.contains(&c.number) && !paused.contains(&c.number)).count();
    Ok(if open == 0 { serving.len() } else { open } as u32)
}

fn policy(config: &Config) -> EstimatePolicy {
    EstimatePolicy { default_minutes: config.queue.typical_service_minutes, ..EstimatePolicy::default() }
}

fn typical(conn: &Connection, config: &Config, service: &str) -> Result<f64, QueueError> {
    let recent = repo::durations(conn, service, config.queue.estimate_window)?;
    Ok(estimate::typical_minutes(&recent, policy(config)))
}

fn estimate_range(
    conn: &Connection,
    config: &Config,
    service: &str,
    ahead: u32,
    now_ms: i64,
) -> Result<(u32, u32), QueueError> {
    let open = open_counters(conn, config, service, now_ms)?;
    Ok(estimate::wait_range(ahead, open, typical(conn, config, service)?))
}

/// Finishes whatever a counter still holds before it calls again: the citizen at the counter is done.
fn finish_held(conn: &Connection, day: &str, counter: u32, now_ms: i64) -> Result<(), QueueError> {
    for held in repo::at_counter(conn, day, counter)? {
        let row = TicketRow { state: "done".into(), finished_ms: Some(now_ms), ..held };
        repo::update(conn, &row)?;
        log(conn, now_ms, Some(row.id), "done", Some(counter), Some("next call"))?;
    }
    Ok(())
}

fn hand_to_counter(
    conn: &Connection,
    ticket: TicketRow,
    counter: u32,
    now_ms: i64,
    detail: &str,
) -> Result<TicketRow, QueueError> {
    let row = TicketRow {
        state: "called".into(),
        counter: Some(counter),
        called_ms: Some(now_ms),
        started_ms: None,
        finished_ms: None,
        recalls: 0,
        ..ticket
    };
    repo::update(conn, &row)?;
    log(conn, now_ms, Some(row.id), "called", Some(counter), Some(detail))?;
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
    counter: u32,
    clock: &dyn Clock,
) -> Result<Option<(TicketRow, Reason)>, QueueError> {
    let desk = desk(config, counter)?;
    let now = clock.now();
    let (day, minute, _) = local(now);
    let policy = CallPolicy {
        max_priority_in_row: config.queue.max_priority_in_row,
        fairness_minutes: i64::from(config.queue.fairness_minutes),
    };
    let tx = immediate(store)?;
    if counters_repo::paused(&tx)?.contains(&counter) {
        return refuse(CounterRefusal::Paused);
    }
    finish_held(&tx, &day, counter, millis(now))?;
    // The rule looks only at the first priority and the first other ticket of the counter's first line
    // that has anyone waiting.
    let mut heads = Vec::new();
    for service in &desk.services {
        for priority in [true, false] {
            heads.extend(repo::line_head(&tx, &day, service, priority)?);
        }
        if !heads.is_empty() {
            break;
        }
    }
    let waiting: Vec<Waiting> = heads
        .iter()
        .map(|t| Waiting {
            id: t.id as u64,
            service: t.service.clone(),
            priority: t.priority.is_some(),
            arrived_min: minute_of(t.arrived_ms, now),
        })
        .collect();
    let recent = repo::recent_calls_priority(&tx, counter, &day, config.queue.max_priority_in_row + 1)?;
    let streak = recent.iter().take_while(|p| **p).count() as u32;
    let Some(choice) = call_next(&waiting, &desk.services, streak, policy, i64::from(minute)) else {
        tx.commit()?;
        return Ok(None);
    };
    let Some(ticket) = heads.into_iter().find(|t| t.id == choice.id as i64) else {
        return Err(QueueError::UnknownTicket(choice.id as i64));
    };
    let row = hand_to_counter(&tx, ticket, counter, millis(now), &format!("{:?}", choice.reason))?;
    tx.commit()?;
    Ok(Some((row, choice.reason)))
}

/// Calls a waiting ticket out of order, with the reason written in the log.
pub fn call_specific(
    store: &mut Store,
    config: &Config,
    counter: u32,
    number: &str,
    reason: &str,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    desk(config, counter)?;
    let reason = reason.trim();
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
    if ticket.state != "waiting" {
        return refuse(CounterRefusal::NotWaiting { number, state: ticket.state });
    }
    finish_held(&tx, &day, counter, millis(now))?;
    let row = hand_to_counter(&tx, ticket, counter, millis(now), &format!("out of order: {reason}"))?;
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
    counter: u32,
    action: Action,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
    desk(config, counter)?;
    let now = clock.now();
    let now_ms = millis(now);
    let tx = immediate(store)?;
    let held = repo::at_counter(&tx, &local_day(now), counter)?.into_iter().last();
    let row = match (action, held) {
        (Action::Recall, Some(t)) if t.state == "called" => {
            let row = TicketRow { recalls: t.recalls + 1, ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), "recalled", Some(counter), Some(&row.recalls.to_string()))?;
            row
        }
        (Action::Start, Some(t)) if t.state == "called" => {
            let row = TicketRow { state: "serving".into(), started_ms: Some(now_ms), ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), "serving", Some(counter), None)?;
            row
        }
        (Action::Complete, Some(t)) => {
            let row = TicketRow { state: "done".into(), finished_ms: Some(now_ms), ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), "done", Some(counter), None)?;
            row
        }
        (Action::NoShow, Some(t)) if t.state == "called" => {
            let needed = config.queue.recalls_before_no_show;
            if t.recalls < needed {
                return refuse(CounterRefusal::RecallsNeeded { needed, done: t.recalls });
            }
            let row = TicketRow { state: "no_show".into(), ..t };
            repo::update(&tx, &row)?;
            log(&tx, now_ms, Some(row.id), "no_show", Some(counter), Some(&row.recalls.to_string()))?;
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
    counter: u32,
    to_service: &str,
    clock: &dyn Clock,
) -> Result<TicketRow, QueueError> {
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
        state: "waiting".into(),
        service: to_service.into(),
        counter: None,
        called_ms: None,
        started_ms: None,
        recalls: 0,
        ..t
    };
    repo::update(&tx, &row)?;
    log(&tx, now_ms, Some(row.id), "transferred", Some(counter), Some(&detail))?;
    tx.commit()?;
    Ok(row)
}

/// Pauses or resumes a counter: a paused counter is not called for and not counted as open.
pub fn set_paused(
    store: &mut Store,
    config: &Config,
    counter: u32,
    paused: bool,
    clock: &dyn Clock,
) -> Result<(), QueueError> {
    desk(config, counter)?;
    let tx = immediate(store)?;
    counters_repo::set_paused(&tx, counter, paused)?;
    log(&tx, millis(clock.now()), None, if paused { "paused" } else { "resumed" }, Some(counter), None)?;
    tx.commit()?;
    Ok(())
}

/// What a reprint puts on paper for a ticket of today, logged as an event.
pub fn reprint(
    store: &mut Store,
    config: &Config,
    counter: u32,
    number: &str,
    clock: &dyn Clock,
) -> Result<TicketInfo, QueueError> {
    desk(config, counter)?;
    let now = clock.now();
    let day = local_day(now);
    let tx = immediate(store)?;
    let number = number.trim().to_uppercase();
    let Some(t) = repo::by_number(&tx, &day, &number)? else {
        return refuse(CounterRefusal::UnknownNumber(number));
    };
    if matches!(t.state.as_str(), "voided" | "reserved") {
        return refuse(CounterRefusal::NotReprintable(number));
    }
    let ahead = if t.state == "waiting" { repo::ahead(&tx, &t)? } else { 0 };
    let range = estimate_range(&tx, config, &t.service, ahead, millis(now))?;
    log(&tx, millis(now), Some(t.id), "reprinted", Some(counter), None)?;
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

/// A service as the kiosk's "take a number" screen and the display board show it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceView {
    pub code: String,
    pub prefix: String,
    pub name_vi: String,
    pub name_en: String,
    pub waiting: u32,
    pub open_counters: u32,
    pub typical_minutes: f64,
    /// Estimate for a citizen taking a normal number now, in minutes.
    pub wait_min: u32,
    pub wait_max: u32,
    pub wait_vi: String,
    pub wait_en: String,
    /// Whether numbers are issued at this moment; if not, when next.
    pub issuing: bool,
    pub next_opening: Option<String>,
}

pub fn services(store: &Store, config: &Config, clock: &dyn Clock) -> Result<Vec<ServiceView>, QueueError> {
    let now = clock.now();
    let (day, minute, weekday) = local(now);
    let conn = store.conn();
    let waiting = repo::waiting_counts(conn, &day)?;
    config
        .services
        .iter()
        .map(|s| {
            let n = waiting.iter().find(|(code, _)| code == &s.code).map_or(0, |(_, n)| *n);
            let open = open_counters(conn, config, &s.code, millis(now))?;
            let typical = typical(conn, config, &s.code)?;
            let range = estimate::wait_range(n, open, typical);
            let hours = hours_for(s, weekday);
            Ok(ServiceView {
                code: s.code.clone(),
                prefix: s.prefix.clone(),
                name_vi: s.name_vi.clone(),
                name_en: s.name_en.clone(),
                waiting: n,
                open_counters: open,
                typical_minutes: (typical * 10.0).round() / 10.0,
                wait_min: range.0,
                wait_max: range.1,
                wait_vi: estimate::wait_text(range),
                wait_en: estimate::wait_text_en(range),
                issuing: hours.open_at(minute),
                next_opening: hours.next_opening(minute).map(clock_text),
            })
        })
        .collect()
}

/// What a phone opening a ticket's QR sees: no personal data, only the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TicketStatus {
    pub number: String,
    pub service: String,
    pub service_vi: String,
    pub service_en: String,
    pub state: String,
    pub taken_at: String,
    /// People before this ticket, while it waits.
    pub ahead: Option<u32>,
    pub wait_vi: Option<String>,
    pub wait_en: Option<String>,
    /// Numbers of its line at the counters now.
    pub serving_now: Vec<String>,
    /// Once called: where to go.
    pub counter: Option<u32>,
    pub counter_name: Option<String>,
}

pub fn status_by_token(
    store: &Store,
    config: &Config,
    token: &str,
    clock: &dyn Clock,
) -> Result<Option<TicketStatus>, QueueError> {
    let conn = store.conn();
    let Some(t) = repo::by_token(conn, token)? else { return Ok(None) };
    let now = clock.now();
    let mut serving_now = Vec::new();
    for state in ["called", "serving"] {
        serving_now.extend(
            repo::in_state(conn, &t.day, state)?.into_iter().filter(|x| x.service == t.service).map(|x| x.number),
        );
    }
    let (ahead, wait_vi, wait_en) = if t.state == "waiting" {
        let ahead = repo::ahead(conn, &t)?;
        let range = estimate_range(conn, config, &t.service, ahead, millis(now))?;
        (Some(ahead), Some(estimate::wait_text(range)), Some(estimate::wait_text_en(range)))
    } else {
        (None, None, None)
    };
    let service = config.service(&t.service);
    let taken = instant(t.arrived_ms).unwrap_or(now);
    let shows_counter = matches!(t.state.as_str(), "called" | "serving");
    Ok(Some(TicketStatus {
        service_vi: service.map_or_else(|| t.service.clone(), |s| s.name_vi.clone()),
        service_en: service.map_or_else(|| t.service.clone(), |s| s.name_en.clone()),
        number: t.number,
        service: t.service.clone(),
        state: t.state.clone(),
        taken_at: local_stamp(taken),
        ahead,
        wait_vi,
        wait_en,
        serving_now,
        counter: if shows_counter { t.counter } else { None },
        counter_name: if shows_counter {
            t.counter.and_then(|n| config.counters.iter().find(|c| c.number == n)).map(|c| c.name.clone())
        } else {
            None
        },
    }))
}

/// A ticket as staff screens show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TicketView {
    pub number: String,
    pub service: String,
    pub priority: Option<String>,
    pub state: String,
    pub arrived: String,
    pub waited_min: i64,
    pub counter: Option<u32>,
    pub recalls: u32,
}

impl TicketView {
    pub fn of(t: &TicketRow, now: OffsetDateTime) -> TicketView {
        let arrived = instant(t.arrived_ms).unwrap_or(now);
        let until = t.called_ms.unwrap_or(millis(now));
        TicketView {
            number: t.number.clone(),
            service: t.service.clone(),
            priority: t.priority.clone(),
            state: t.state.clone(),
            arrived: rfc3339(arrived.to_offset(VIETNAM)),
            waited_min: (until - t.arrived_ms).max(0) / 60_000,
            counter: t.counter,
            recalls: t.recalls,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CounterView {
    pub number: u32,
    pub name: String,
    pub services: Vec<String>,
    pub logged_in: bool,
    pub paused: bool,
    /// The ticket called or being served here.
    pub current: Option<TicketView>,
    pub done_today: u32,
    pub no_show_today: u32,
}

/// The whole hall at one event id: what a display board or console draws before following events.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub day: String,
    pub last_event_id: i64,
    pub services: Vec<ServiceView>,
    pub counters: Vec<CounterView>,
    /// Waiting tickets in arrival order.
    pub waiting: Vec<TicketView>,
    /// The database's epoch: a client that sees it change reloads everything (docs/api.md).
    #[serde(default)]
    pub epoch: String,
    /// Why no number can be taken now, for staff (the clock reads earlier than the last event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_stopped: Option<Stopped>,
}

/// Why issuing stopped, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stopped {
    pub message_vi: String,
    pub message_en: String,
}

pub fn snapshot(store: &Store, config: &Config, clock: &dyn Clock) -> Result<Snapshot, QueueError> {
    let now = clock.now();
    let day = local_day(now);
    let conn = store.conn();
    let last_event_id = repo::last_event_id(conn)?;
    let logged_in = counters_repo::logged_in(conn, millis(now))?;
    let paused = counters_repo::paused(conn)?;
    let mut counters = Vec::new();
    for c in &config.counters {
        let (done, no_show) = repo::counter_counts(conn, &day, c.number)?;
        counters.push(CounterView {
            number: c.number,
            name: c.name.clone(),
            services: c.services.clone(),
            logged_in: logged_in.contains(&c.number),
            paused: paused.contains(&c.number),
            current: repo::at_counter(conn, &day, c.number)?.last().map(|t| TicketView::of(t, now)),
            done_today: done,
            no_show_today: no_show,
        });
    }
    let waiting = repo::in_state(conn, &day, "waiting")?.iter().map(|t| TicketView::of(t, now)).collect();
    let issuing_stopped = clock_behind(conn, now)?.map(|r| {
        let last = match &r {
            Refusal::ClockWentBack { last, .. } => last.clone(),
            _ => String::new(),
        };
        Stopped {
            message_vi: format!(
                "Ki-ốt đang ngừng cấp số: giờ máy chủ sớm hơn sự kiện cuối ({last}). Hãy sửa giờ máy chủ; nếu giờ \
                 hiện tại đã đúng, chạy lệnh \"motcua clock accept\" trên máy chủ."
            ),
            message_en: r.to_string(),
        }
    });
    let epoch = crate::store::access::epoch(conn)?;
    Ok(Snapshot {
        day,
        last_event_id,
        services: services(store, config, clock)?,
        counters,
        waiting,
        epoch,
        issuing_stopped,
    })
}
