//! Taking a number: reserve, print, report the outcome (`issue_and_print`, against any `Issuer`), and
//! voiding reservations that never got an outcome. Each step is one immediate SQLite transaction, and every
//! change writes an event row, so a day can be replayed and live clients resume from an id. What counters
//! do is in `desk`, the hall's read models in `views`, the errors in `errors`.

use crate::config::{Config, Counter, NotPrintedRule, Service};
use crate::domain::booking::{may_check_in, CheckInRefusal};
use crate::domain::clock::{instant, local, local_stamp, millis, Clock, VIETNAM};
use crate::domain::estimate::{self, EstimatePolicy};
use crate::domain::idcard::IdCard;
use crate::domain::ticket::{clock_text, format_number, Hours, Refusal};
use crate::domain::ticket::{EventKind, TicketState};
use crate::print::layout::{ticket, TicketInfo};
use crate::print::{Outcome, Printer};
use crate::store::counter as counters_repo;
use crate::store::queue::{self as repo, Event, NewTicket, TicketRow};
use crate::store::Store;
use rusqlite::Connection;
use time::{OffsetDateTime, Weekday};

fn fetch(conn: &rusqlite::Connection, id: i64) -> Result<TicketRow, QueueError> {
    repo::get(conn, id)?.ok_or(QueueError::UnknownTicket(id))
}

/// 128 random bits as hex: the ticket's page cannot be guessed from its number; also session and device
/// tokens.
pub fn token() -> Result<String, QueueError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| QueueError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub(super) fn hours_for(service: &Service, weekday: Weekday) -> Hours {
    let ranges = match weekday {
        Weekday::Saturday => &service.saturday_hours,
        Weekday::Sunday => &service.sunday_hours,
        _ => &service.hours,
    };
    // Checked when the configuration was loaded.
    Hours::parse(ranges).unwrap_or(Hours(Vec::new()))
}

/// A ticket as the take-a-number API gives it: the API's own fields, mapped from the stored row in
/// `From<&TicketRow>` alone, so that a change to the table never changes what kiosks receive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedTicket {
    pub id: i64,
    pub day: String,
    pub service: String,
    pub seq: u32,
    pub number: String,
    pub priority: Option<String>,
    pub token: String,
    pub state: TicketState,
    pub arrived_ms: i64,
    pub print_outcome: Option<String>,
}

impl From<&TicketRow> for IssuedTicket {
    fn from(t: &TicketRow) -> IssuedTicket {
        IssuedTicket {
            id: t.id,
            day: t.day.clone(),
            service: t.service.clone(),
            seq: t.seq,
            number: t.number.clone(),
            priority: t.priority.clone(),
            token: t.token.clone(),
            state: t.state,
            arrived_ms: t.arrived_ms,
            print_outcome: t.print_outcome.clone(),
        }
    }
}

/// A reserved ticket and what its paper says.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reserved {
    pub ticket: IssuedTicket,
    pub service_name: String,
    pub counters: Vec<u32>,
    pub ahead: u32,
    pub wait: String,
    pub url: String,
    pub token: String,
    /// The hall sends text messages: the kiosk offers "your turn is near" by SMS.
    #[serde(default)]
    pub sms: bool,
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
    reserve_holding(store, config, service_code, priority, request_key, None, clock)
}

/// `reserve`, holding the chip ID card the citizen scanned for the counter (`store::idcard`), in the same
/// transaction. The card goes into no event.
pub fn reserve_holding(
    store: &mut Store,
    config: &Config,
    service_code: &str,
    priority: Option<&str>,
    request_key: Option<&str>,
    card: Option<&IdCard>,
    clock: &dyn Clock,
) -> Result<Reserved, QueueError> {
    reserve_in(store, config, service_code, priority, request_key, card, None, clock)
}

/// `reserve_holding`, and with `booking` (a booking's id) its check-in, in the ticket's own transaction:
/// the booking is looked at again there, so that two kiosks scanning it at once print one ticket. A
/// booked ticket is not held to the daily cap: its place was given when it was booked.
#[allow(clippy::too_many_arguments)]
pub(super) fn reserve_in(
    store: &mut Store,
    config: &Config,
    service_code: &str,
    priority: Option<&str>,
    request_key: Option<&str>,
    card: Option<&IdCard>,
    booking: Option<i64>,
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
    // A booked ticket is called from its window's start: it waits at least until then.
    let mut until_window = 0;
    if let Some(id) = booking {
        let found = crate::store::booking::by_id(&tx, id)?
            .ok_or(QueueError::Refused(Refusal::Booking(CheckInRefusal::Unknown)))?;
        may_check_in(&found.held, &day, millis(now), None).map_err(|r| QueueError::Refused(Refusal::Booking(r)))?;
        until_window = u32::try_from((found.held.starts_ms - millis(now)).max(0) / 60_000).unwrap_or(u32::MAX);
    }
    if booking.is_none() && service.daily_cap > 0 && repo::taken_today(&tx, &day, &service.code)? >= service.daily_cap {
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
            kind: EventKind::Issued,
            counter: None,
            actor: "kiosk",
            detail: priority,
            staff: None,
        },
    )?;
    if let Some(card) = card {
        crate::store::idcard::hold(&tx, id, &day, card, millis(now))?;
    }
    if let Some(booking) = booking {
        // Looked at above, in this transaction: still booked.
        crate::store::booking::check_in(&tx, booking, id, millis(now))?;
    }
    let ticket = fetch(&tx, id)?;
    let ahead = repo::ahead(&tx, &ticket)?;
    let (low, high) = estimate_range(&tx, config, &service.code, ahead, millis(now))?;
    tx.commit()?;
    Ok(reserved(config, ticket, ahead, (low.max(until_window), high.max(until_window))))
}

/// Whether the clock reads earlier than the latest event since the clock was last accepted (it went back,
/// or once ran ahead): numbers are not given then, since their order and day would be wrong. `motcua clock
/// accept` is the way out.
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
    let sms = !config.sms.modem.is_empty();
    Reserved { ticket: IssuedTicket::from(&ticket), service_name, counters, ahead, wait, url, token, sms }
}

/// Records what the printer did. Printed or sent → the ticket joins the queue. Not printed because the
/// printer is out of paper, open, offline or in error → it joins too, and the kiosk shows the number on
/// screen ("phiếu điện tử"). Not printed otherwise → the rule in configuration (void, or keep it in the
/// queue and let the kiosk show the number). docs/queue-policy.md.
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
    if current.state == TicketState::Reserved {
        let (state, kind, detail) = match (outcome, config.queue.not_printed) {
            (Outcome::NotPrinted { printer, why }, _) if printer.shows_number_on_screen() => {
                (TicketState::Waiting, EventKind::Confirmed, format!("shown on screen, not printed: {why}"))
            }
            (Outcome::NotPrinted { why, .. }, NotPrintedRule::Void) => {
                (TicketState::Voided, EventKind::Voided, format!("not printed: {why}"))
            }
            (Outcome::NotPrinted { why, .. }, NotPrintedRule::Keep) => {
                (TicketState::Waiting, EventKind::Confirmed, format!("kept, not printed: {why}"))
            }
            (Outcome::SentUnconfirmed { why }, _) => {
                (TicketState::Waiting, EventKind::Confirmed, format!("sent, unconfirmed: {why}"))
            }
            (Outcome::Printed { .. }, _) => (TicketState::Waiting, EventKind::Confirmed, "printed".to_string()),
        };
        let row = TicketRow { state, print_outcome: Some(outcome.label().into()), ..current };
        repo::update(&tx, &row)?;
        repo::add_event(
            &tx,
            &Event {
                at_ms: now,
                ticket: Some(ticket_id),
                kind,
                counter: None,
                actor: "kiosk",
                detail: Some(&detail),
                staff: None,
            },
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
        let row = TicketRow { state: TicketState::Voided, ..fetch(&tx, id)? };
        repo::update(&tx, &row)?;
        repo::add_event(
            &tx,
            &Event {
                at_ms: now,
                ticket: Some(id),
                kind: EventKind::Voided,
                counter: None,
                actor: "hub",
                detail: Some(&detail),
                staff: None,
            },
        )?;
    }
    tx.commit()?;
    Ok(stale)
}

/// Closes the tickets nobody served: still waiting or called after `[queue] closing_time` today, or on
/// an earlier day (the hub was off at closing). Each is `closed` with an event; reports count them apart
/// from no-shows. Tickets being served are left to their counter. Bookings whose window ended are
/// expired. Chip ID cards of earlier days, and at
/// closing those of tickets not being served, are erased. Returns the numbers closed.
pub fn close_day(store: &mut Store, config: &Config, clock: &dyn Clock) -> Result<Vec<String>, QueueError> {
    let now = clock.now();
    let (day, minute, _) = local(now);
    // Checked when the configuration was loaded.
    let closing = Hours::parse(&[format!("00:00-{}", config.queue.closing_time)]).map_or(24 * 60, |h| h.0[0].1);
    let tx = store.change()?;
    let mut closed = Vec::new();
    for t in repo::to_close(&tx, &day, minute >= closing)? {
        let row = TicketRow { state: TicketState::Closed, ..t };
        repo::update(&tx, &row)?;
        repo::add_event(
            &tx,
            &Event {
                at_ms: millis(now),
                ticket: Some(row.id),
                kind: EventKind::Closed,
                counter: row.counter,
                actor: "hub",
                detail: Some("not served at closing"),
                staff: None,
            },
        )?;
        closed.push(row.number);
    }
    // Bookings whose window ended without a check-in: their places are past.
    crate::store::booking::expire(&tx, millis(now))?;
    // The chip ID cards scanned on earlier days, and at closing every card not of a ticket being served.
    crate::store::idcard::erase_before(&tx, &day)?;
    if minute >= closing {
        crate::store::idcard::erase_unserved(&tx)?;
    }
    tx.commit()?;
    Ok(closed)
}

/// What a take-a-number gave: the ticket, its paper, and what the printer did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Issued {
    #[serde(flatten)]
    pub reserved: Reserved,
    pub outcome: String,
    pub outcome_detail: Option<String>,
    /// The printer's state that stopped the job, when it was not printed: what the kiosk tells the citizen.
    #[serde(skip)]
    pub printer: Option<crate::print::status::PrinterState>,
    pub state: TicketState,
}

/// Where a kiosk takes numbers from: the hub in this process, or a remote hub over HTTP.
pub trait Issuer {
    /// Takes a number; `card` is the chip ID card the citizen scanned, held for the counter.
    fn reserve(&self, service: &str, priority: Option<&str>, card: Option<&IdCard>) -> Result<Reserved, IssueError>;
    /// Reports the print outcome; returns the ticket's state after it ("waiting" or "voided").
    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<TicketState, IssueError>;
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
    /// The citizen's consent to text messages for the ticket with `token`: the phone as typed. A refusal
    /// is a `Hub` error with its words.
    fn sms(&self, token: &str, phone: &str) -> Result<crate::app::sms::Consented, IssueError>;
    /// Rates a served ticket by its token (scanned at the kiosk), or changes the rating given here.
    fn rate(&self, token: &str, sent: &crate::app::rating::Sent) -> Result<crate::app::rating::RatingView, IssueError>;
    /// Checks a booking in: a ticket of its service, reserved as `reserve` does (report its print). A
    /// refusal is a `Hub` error (or a `Queue` refusal in this process) with its words.
    fn check_in(&self, booking: &crate::app::booking::BookingKey) -> Result<Reserved, IssueError>;
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

/// Reserve, print on `printer`, report the outcome: the whole take-a-number, against any hub.
pub fn issue_and_print(
    hub: &dyn Issuer,
    config: &Config,
    service: &str,
    priority: Option<&str>,
    card: Option<&IdCard>,
    printer: &mut Printer,
    clock: &dyn Clock,
) -> Result<Issued, IssueError> {
    // Nothing of the card is printed.
    let reserved = hub.reserve(service, priority, card)?;
    print_reserved(hub, config, reserved, printer, clock)
}

/// Checks a booking in and prints its ticket, as `issue_and_print` does a number taken at the kiosk.
pub fn check_in_and_print(
    hub: &dyn Issuer,
    config: &Config,
    booking: &crate::app::booking::BookingKey,
    printer: &mut Printer,
    clock: &dyn Clock,
) -> Result<Issued, IssueError> {
    let reserved = hub.check_in(booking)?;
    print_reserved(hub, config, reserved, printer, clock)
}

/// Prints a reserved ticket and reports what the printer did.
fn print_reserved(
    hub: &dyn Issuer,
    config: &Config,
    reserved: Reserved,
    printer: &mut Printer,
    clock: &dyn Clock,
) -> Result<Issued, IssueError> {
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
    let detail = outcome.detail();
    let ticket = IssuedTicket { state, print_outcome: Some(outcome.label().into()), ..reserved.ticket.clone() };
    Ok(Issued {
        reserved: Reserved { ticket, ..reserved },
        outcome: outcome.label().into(),
        outcome_detail: detail,
        printer: outcome.stopped_by().cloned(),
        state,
    })
}

/// Counters open for a service now: logged in and not paused. Before any is open (early morning), every
/// counter configured for it, as the hall will open them.
pub(super) fn open_counters(conn: &Connection, config: &Config, service: &str, now_ms: i64) -> Result<u32, QueueError> {
    let logged_in = counters_repo::logged_in(conn, now_ms)?;
    let paused = counters_repo::paused(conn)?;
    let serving: Vec<&Counter> = config.counters.iter().filter(|c| c.services.iter().any(|s| s == service)).collect();
    let open = serving.iter().filter(|c| logged_in.contains(&c.number) && !paused.contains(&c.number)).count();
    Ok(if open == 0 { serving.len() } else { open } as u32)
}

fn policy(config: &Config) -> EstimatePolicy {
    EstimatePolicy { default_minutes: config.queue.typical_service_minutes, ..EstimatePolicy::default() }
}

pub(super) fn typical(conn: &Connection, config: &Config, service: &str) -> Result<f64, QueueError> {
    let recent = repo::durations(conn, service, config.queue.estimate_window)?;
    Ok(estimate::typical_minutes(&recent, policy(config)))
}

pub(super) fn estimate_range(
    conn: &Connection,
    config: &Config,
    service: &str,
    ahead: u32,
    now_ms: i64,
) -> Result<(u32, u32), QueueError> {
    let open = open_counters(conn, config, service, now_ms)?;
    Ok(estimate::wait_range(ahead, open, typical(conn, config, service)?))
}

// The errors, what counters do and what the hall looks like live in their own files; their names stay
// reachable here.
pub use super::desk::{act, call_next_at, call_specific, reprint, set_paused, ticket_url, transfer, Action};
pub use super::errors::{IssueError, QueueError};
pub use super::views::{
    events_after, health, last_event_id, services, snapshot, status_by_token, waiting_counts, CounterView, HallEvent,
    ServiceView, Snapshot, Stopped, TicketStatus, TicketView,
};
