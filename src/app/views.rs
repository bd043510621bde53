//! What the hall looks like to kiosks, phones, display boards and consoles: read models of the queue
//! (services with their lines and waits, a ticket's status, the whole-hall snapshot), computed from a read
//! transaction and never changing anything.

use super::queue::{clock_behind, estimate_range, hours_for, open_counters, typical, QueueError};
use crate::config::Config;
use crate::domain::clock::{instant, local, local_day, local_stamp, millis, rfc3339, Clock, VIETNAM};
use crate::domain::estimate;
use crate::domain::ticket::clock_text;
use crate::domain::ticket::{EventKind, TicketState};
use crate::store::counter as counters_repo;
use crate::store::queue::{self as repo, StoredEvent, TicketRow};
use crate::store::Store;
use time::OffsetDateTime;

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

/// The people waiting per configured service today, in configuration order (zero for a service with
/// nobody waiting): what the live stream's `counts` events carry.
pub fn waiting_counts(store: &Store, config: &Config, clock: &dyn Clock) -> Result<Vec<(String, u32)>, QueueError> {
    let waiting = repo::waiting_counts(store.conn(), &local_day(clock.now()))?;
    Ok(config
        .services
        .iter()
        .map(|s| (s.code.clone(), waiting.iter().find(|(c, _)| c == &s.code).map_or(0, |(_, n)| *n)))
        .collect())
}

/// What a phone opening a ticket's QR sees: no personal data, only the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TicketStatus {
    pub number: String,
    pub service: String,
    pub service_vi: String,
    pub service_en: String,
    pub state: TicketState,
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
    for state in [TicketState::Called, TicketState::Serving] {
        serving_now.extend(
            repo::in_state(conn, &t.day, state)?.into_iter().filter(|x| x.service == t.service).map(|x| x.number),
        );
    }
    let (ahead, wait_vi, wait_en) = if t.state == TicketState::Waiting {
        let ahead = repo::ahead(conn, &t)?;
        let range = estimate_range(conn, config, &t.service, ahead, millis(now))?;
        (Some(ahead), Some(estimate::wait_text(range)), Some(estimate::wait_text_en(range)))
    } else {
        (None, None, None)
    };
    let service = config.service(&t.service);
    let taken = instant(t.arrived_ms).unwrap_or(now);
    let shows_counter = t.state.at_counter();
    Ok(Some(TicketStatus {
        service_vi: service.map_or_else(|| t.service.clone(), |s| s.name_vi.clone()),
        service_en: service.map_or_else(|| t.service.clone(), |s| s.name_en.clone()),
        number: t.number,
        service: t.service.clone(),
        state: t.state,
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

/// One event as the live stream (`/api/v1/events`) sends it and boards and consoles apply it: the
/// stream's own fields, mapped from the stored row in `From<StoredEvent>` alone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HallEvent {
    pub id: i64,
    pub at_ms: i64,
    pub kind: EventKind,
    pub counter: Option<u32>,
    pub actor: String,
    pub detail: Option<String>,
    /// The ticket's number and service, for events about a ticket.
    pub number: Option<String>,
    pub service: Option<String>,
}

impl From<StoredEvent> for HallEvent {
    fn from(e: StoredEvent) -> HallEvent {
        HallEvent {
            id: e.id,
            at_ms: e.at_ms,
            kind: e.kind,
            counter: e.counter,
            actor: e.actor,
            detail: e.detail,
            number: e.number,
            service: e.service,
        }
    }
}

/// A ticket as staff screens show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TicketView {
    pub number: String,
    pub service: String,
    pub priority: Option<String>,
    pub state: TicketState,
    /// The state in staff's words (`TicketState::staff_words`), so that the console words nothing itself.
    pub state_vi: String,
    pub state_en: String,
    pub arrived: String,
    pub waited_min: i64,
    pub counter: Option<u32>,
    pub recalls: u32,
    /// Checked in from a booking: the console marks it (the board does not).
    #[serde(default)]
    pub booked: bool,
}

impl TicketView {
    pub fn of(t: &TicketRow, now: OffsetDateTime) -> TicketView {
        let arrived = instant(t.arrived_ms).unwrap_or(now);
        let until = t.called_ms.unwrap_or(millis(now));
        let (state_vi, state_en) = t.state.staff_words();
        TicketView {
            number: t.number.clone(),
            service: t.service.clone(),
            priority: t.priority.clone(),
            state: t.state,
            state_vi: state_vi.into(),
            state_en: state_en.into(),
            arrived: rfc3339(arrived.to_offset(VIETNAM)),
            waited_min: (until - t.arrived_ms).max(0) / 60_000,
            counter: t.counter,
            recalls: t.recalls,
            booked: false,
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
    // Two queries for every counter at once: boards and consoles read this after every change.
    let counts = repo::all_counter_counts(conn, &day)?;
    let held = repo::at_counters(conn, &day)?;
    let booked = crate::store::booking::booked_tickets(conn, &day)?;
    let marked = |t: &TicketRow| TicketView { booked: booked.contains(&t.id), ..TicketView::of(t, now) };
    let mut counters = Vec::new();
    for c in &config.counters {
        let (done, no_show) = counts.get(&c.number).copied().unwrap_or_default();
        counters.push(CounterView {
            number: c.number,
            name: c.name.clone(),
            services: c.services.clone(),
            logged_in: logged_in.contains(&c.number),
            paused: paused.contains(&c.number),
            current: held.iter().rfind(|t| t.counter == Some(c.number)).map(marked),
            done_today: done,
            no_show_today: no_show,
        });
    }
    let waiting = repo::in_state(conn, &day, TicketState::Waiting)?.iter().map(marked).collect();
    let issuing_stopped = match clock_behind(conn, now)? {
        Some(r) => {
            // The last event's time as staff read times: "15:55 04/12/2026".
            let last = repo::last_event_ms(conn)?.and_then(instant).map(local_stamp).unwrap_or_default();
            Some(Stopped {
                message_vi: format!(
                    "Ki-ốt đang ngừng cấp số: giờ máy chủ ({}) sớm hơn sự kiện cuối ({last}). Hãy sửa giờ máy chủ; \
                     nếu giờ hiện tại đã đúng, chạy lệnh \"motcua clock accept\" trên máy chủ.",
                    local_stamp(now)
                ),
                message_en: r.to_string(),
            })
        }
        None => None,
    };
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

/// The latest event written: where a client that reads the hall now resumes the stream.
pub fn last_event_id(store: &Store) -> Result<i64, QueueError> {
    Ok(repo::last_event_id(store.conn())?)
}

/// Events after `after`, oldest first, at most `limit`, with the latest event id.
pub fn events_after(store: &Store, after: i64, limit: u32) -> Result<(Vec<HallEvent>, i64), QueueError> {
    let events = repo::events_after(store.conn(), after, limit)?;
    Ok((events.into_iter().map(HallEvent::from).collect(), repo::last_event_id(store.conn())?))
}

/// What `/healthz` reports of the database: the latest event and the schema version.
pub fn health(store: &Store) -> Result<(i64, i64), QueueError> {
    Ok((repo::last_event_id(store.conn())?, store.schema_version()?))
}
