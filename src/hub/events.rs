//! `GET /api/v1/events`: Server-Sent Events. Each stream opens with a `hello` event (the database's epoch
//! and its latest event id). Each stored event goes out with its database id as the SSE id; a client that
//! reconnects sends `Last-Event-ID` (browsers do it by themselves) or `?after=ID` (with `&epoch=E`) and
//! first receives what it missed, from the database, then the live events. A client too far behind (more
//! than `hub.replay_max` events), or whose ids belong to another epoch, receives `resync` instead: it
//! reloads the snapshot and follows from there. A `counts` event (no id) follows changes with the people
//! waiting per service; a comment line every `heartbeat_s` keeps proxies open and lets clients notice a
//! dead link. Nothing per client grows without bound: the replay is capped, the live events come from
//! one shared channel, and a client that stops reading is dropped by the listener (hub.send_timeout_s).

use super::api::{ApiError, QueryArg};
use super::auth::principal;
use super::{Hub, Message};
use crate::app::queue;
use crate::app::queue::HallEvent;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct After {
    after: Option<i64>,
    epoch: Option<String>,
}

fn sse_event(e: &HallEvent) -> Event {
    Event::default().id(e.id.to_string()).event(e.kind.as_str()).json_data(e).unwrap_or_default()
}

fn counts_event(counts: &[(String, u32)]) -> Event {
    let map: serde_json::Map<String, serde_json::Value> =
        counts.iter().map(|(s, n)| (s.clone(), (*n).into())).collect();
    Event::default().event("counts").json_data(map).unwrap_or_default()
}

/// `hello` and `resync` carry the epoch and the id to follow from.
fn marker(kind: &str, epoch: &str, last: i64, reason: Option<&str>) -> Event {
    let mut data = serde_json::json!({ "epoch": epoch, "last_event_id": last });
    if let Some(reason) = reason {
        data["reason"] = reason.into();
    }
    let event = Event::default().event(kind).json_data(data).unwrap_or_default();
    // After a resync the browser's own reconnect resumes from here; a hello leaves its place alone.
    if kind == "resync" {
        event.id(last.to_string())
    } else {
        event
    }
}

/// What a resuming client gets: the events it missed, or a resync when there are too many.
enum Catchup {
    Events(VecDeque<HallEvent>),
    Resync { last: i64, reason: &'static str },
}

/// Events after `after` from a reader, at most `max`; more than that is a resync.
async fn missed(hub: &Arc<Hub>, after: i64, max: u32) -> Catchup {
    let read = hub.read_async(move |store, _, _| queue::events_after(store, after, max.saturating_add(1))).await;
    match read {
        Ok((events, last)) if events.len() as u64 > u64::from(max) => {
            Catchup::Resync { last, reason: "too far behind" }
        }
        Ok((events, _)) => Catchup::Events(events.into()),
        Err(e) => {
            tracing::error!(error = %e, "cannot read missed events");
            let last = hub.read_async(|store, _, _| queue::last_event_id(store)).await.unwrap_or(after);
            Catchup::Resync { last, reason: "missed events could not be read" }
        }
    }
}

struct Follow {
    hub: Arc<Hub>,
    rx: Receiver<Message>,
    last: i64,
    /// Markers to send first (hello, resync), then missed events.
    markers: VecDeque<Event>,
    pending: VecDeque<HallEvent>,
    /// Counted as an open stream while it lives (`/metrics`).
    _counted: super::metrics::StreamClient,
}

impl Follow {
    fn take(&mut self, catchup: Catchup) {
        match catchup {
            Catchup::Events(events) => self.pending = events,
            Catchup::Resync { last, reason } => {
                self.markers.push_back(marker("resync", self.hub.epoch(), last, Some(reason)));
                self.pending.clear();
                self.last = last;
            }
        }
    }
}

fn bad_id() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        "Mã sự kiện phải là số nguyên không âm.",
        "an event id is a whole number, 0 or more",
    )
}

pub async fn stream(
    State(hub): State<Arc<Hub>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    QueryArg(query): QueryArg<After>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    principal(&hub, &headers).await?;
    let from_header = match headers.get("last-event-id") {
        Some(v) => Some(v.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).ok_or_else(bad_id)?),
        None => None,
    };
    let asked = from_header.or(query.after);
    if asked.is_some_and(|id| id < 0) {
        return Err(bad_id());
    }
    // Subscribe before reading the database, so that nothing falls between the two.
    let rx = hub.subscribe();
    let latest = hub.read_async(|store, _, _| queue::last_event_id(store)).await?;
    let epoch = hub.epoch().to_string();
    let mut follow = Follow {
        hub: hub.clone(),
        rx,
        last: latest,
        markers: VecDeque::new(),
        pending: VecDeque::new(),
        _counted: hub.metrics().stream(),
    };
    follow.markers.push_back(marker("hello", &epoch, latest, None));
    match asked {
        None => {}
        // Ids from another database (restored, or replaced): the client must start again.
        Some(_) if query.epoch.as_deref().is_some_and(|e| e != epoch) => {
            follow.take(Catchup::Resync { last: latest, reason: "the database changed (new epoch)" })
        }
        Some(id) if id > latest => {
            follow.take(Catchup::Resync { last: latest, reason: "the id is ahead of the database" })
        }
        Some(id) if id == latest => {}
        // Replaying costs a read and the sending of each event: counted per client before it is done.
        Some(_) if !hub.replay_allowed(&hub.client_of(peer.map(|Extension(c)| c.0), &headers)) => {
            follow.take(Catchup::Resync { last: latest, reason: "too many replays lately" })
        }
        Some(id) => {
            follow.last = id;
            let catchup = missed(&hub, id, hub.config().hub.replay_max).await;
            follow.take(catchup);
        }
    }
    let heartbeat = Duration::from_secs(u64::from(hub.config().hub.heartbeat_s));
    let events = stream::unfold(follow, |mut f| async move {
        loop {
            if let Some(m) = f.markers.pop_front() {
                return Some((Ok(m), f));
            }
            if let Some(e) = f.pending.pop_front() {
                if e.id > f.last {
                    f.last = e.id;
                    return Some((Ok(sse_event(&e)), f));
                }
                continue;
            }
            match f.rx.recv().await {
                Ok(Message::Event(e)) if e.id > f.last => {
                    f.last = e.id;
                    return Some((Ok(sse_event(&e)), f));
                }
                Ok(Message::Event(_)) => continue,
                Ok(Message::Counts(counts)) => return Some((Ok(counts_event(&counts)), f)),
                Ok(Message::Health(list)) => {
                    return Some((Ok(Event::default().event("health").json_data(list).unwrap_or_default()), f))
                }
                Err(RecvError::Lagged(_)) => {
                    let catchup = missed(&f.hub, f.last, f.hub.config().hub.replay_max).await;
                    f.take(catchup);
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(heartbeat).text("heartbeat")))
}
