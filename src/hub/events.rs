//! `GET /api/v1/events`: Server-Sent Events. Each stored event goes out with its database id as the SSE
//! id; a client that reconnects sends `Last-Event-ID` (browsers do it by themselves) or `?after=ID` and
//! first receives what it missed, from the database, then the live events. A `counts` event (no id)
//! follows each change with the people waiting per service; a comment line every `heartbeat_s` keeps
//! proxies open and lets clients notice a dead link.

use super::api::{principal, ApiError};
use super::{Hub, Message};
use crate::store::queue::{self as repo, StoredEvent};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};

#[derive(serde::Deserialize)]
pub struct After {
    after: Option<i64>,
}

fn sse_event(e: &StoredEvent) -> Event {
    Event::default().id(e.id.to_string()).event(e.kind.as_str()).json_data(e).unwrap_or_default()
}

fn counts_event(counts: &[(String, u32)]) -> Event {
    let map: serde_json::Map<String, serde_json::Value> =
        counts.iter().map(|(s, n)| (s.clone(), (*n).into())).collect();
    Event::default().event("counts").json_data(map).unwrap_or_default()
}

/// Events after `id` from the database (catching up after a reconnect or a lagging client).
async fn missed(hub: &Arc<Hub>, after: i64) -> Vec<StoredEvent> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        let mut last = after;
        loop {
            let batch =
                hub.read(move |store, _, _| Ok(repo::events_after(store.conn(), last, 1000)?)).unwrap_or_default();
            let Some(end) = batch.last() else { break };
            last = end.id;
            all.extend(batch);
        }
        all
    })
    .await
    .unwrap_or_default()
}

struct Follow {
    hub: Arc<Hub>,
    rx: Receiver<Message>,
    last: i64,
    pending: VecDeque<StoredEvent>,
}

pub async fn stream(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(query): Query<After>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    principal(&hub, &headers).await?;
    let from_header = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    // Subscribe before reading the database, so that nothing falls between the two.
    let rx = hub.subscribe();
    let last = match from_header.or(query.after) {
        Some(id) => id,
        None => {
            let h = hub.clone();
            tokio::task::spawn_blocking(move || h.read(|store, _, _| Ok(repo::last_event_id(store.conn())?)))
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or(0)
        }
    };
    let pending = missed(&hub, last).await.into();
    let heartbeat = Duration::from_secs(u64::from(hub.config().hub.heartbeat_s));
    let follow = Follow { hub, rx, last, pending };
    let events = stream::unfold(follow, |mut f| async move {
        loop {
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
                Err(RecvError::Lagged(_)) => f.pending = missed(&f.hub, f.last).await.into(),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(heartbeat).text("heartbeat")))
}
