//! Text messages on the hub (docs/sms.md): the sender thread that drives the GSM modem one message at a
//! time, and the endpoints where a kiosk or a counter gives a citizen's consent. The thread only reads
//! and writes through the hub's writer like any request, so a slow, silent or unplugged modem never holds
//! up a kiosk or a counter.

use super::api::{ApiError, Body, PathArg};
use super::auth::{counter_session, kiosk};
use super::Hub;
use crate::app::sms::{self, ConsentRefusal, Consented, Outgoing, TicketRef};
use crate::modem::{Modem, ModemError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

type Hubs = State<Arc<Hub>>;

/// The modem as the hub last found it, for /healthz and the console.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModemStatus {
    /// "off" (no modem configured), "ok", or what is wrong: "unplugged", "no-answer", "no-sim",
    /// "sim-locked", "no-network", "no-smsc", "refused", "garbled".
    pub state: String,
    pub detail: String,
    pub last_sent_ms: Option<i64>,
}

/// How often the thread looks for work when there is none, and waits after a modem that failed.
const IDLE: Duration = Duration::from_millis(250);
const REOPEN: Duration = Duration::from_secs(5);

/// Starts the sender when `[sms] modem` names one.
pub fn spawn(hub: Arc<Hub>) {
    if hub.config().sms.modem.is_empty() {
        hub.set_modem(ModemStatus { state: "off".into(), ..ModemStatus::default() });
        return;
    }
    // The thread holds the hub weakly: it ends when the hub is dropped.
    let weak = Arc::downgrade(&hub);
    let spawned = std::thread::Builder::new().name("sms".into()).spawn(move || run(&weak));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the text message sender");
    }
}

fn run(weak: &std::sync::Weak<Hub>) {
    let mut modem: Option<Modem> = None;
    let mut seen_event = -1;
    loop {
        let Some(hub) = weak.upgrade() else { return };
        let hub = &hub;
        let config = hub.config();
        // The line moved: tickets with consent may have come near.
        let last = hub.published_event();
        if last != seen_event {
            seen_event = last;
            if let Err(e) = hub.change(|store, config, clock| sms::queue_near(store, config, clock)) {
                tracing::warn!(error = %e, "cannot check which tickets are near");
            }
        }
        let next = match due(hub) {
            Ok(Some(next)) => next,
            Ok(None) => {
                std::thread::sleep(IDLE);
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the text message queue");
                std::thread::sleep(REOPEN);
                continue;
            }
        };
        let open = match modem.take() {
            Some(m) => Ok(m),
            None => Modem::open(&config.sms.modem, sms::encoding(config)),
        };
        let mut m = match open {
            Ok(m) => m,
            Err(e) => {
                // The message stays due; the modem is looked for again shortly.
                fail(hub, &next, &e, false);
                std::thread::sleep(REOPEN);
                continue;
            }
        };
        match m.send(&next.phone, &next.message) {
            Ok(reference) => {
                tracing::info!(message = next.id, "a text message was sent");
                let now = crate::domain::clock::millis(hub.clock().now());
                hub.set_modem(ModemStatus { state: "ok".into(), detail: String::new(), last_sent_ms: Some(now) });
                record(hub, &next, Ok(reference));
                modem = Some(m);
            }
            Err(e) => {
                // A modem that went silent or away says nothing of the message: it waits for the modem
                // without a try counted. What the modem answered about the message counts.
                let reopen = e.needs_reopen();
                fail(hub, &next, &e, !reopen);
                if !reopen {
                    modem = Some(m);
                } else {
                    std::thread::sleep(REOPEN);
                }
            }
        }
    }
}

/// The next message due, looked for on a reader first so that an idle sender does not take the writer
/// four times a second; the writer then writes its text (or caps it).
fn due(hub: &Hub) -> Result<Option<Outgoing>, crate::app::queue::QueueError> {
    let now_ms = crate::domain::clock::millis(hub.clock().now());
    if !hub.read(move |store, _, _| Ok(crate::store::sms::due(store.conn(), now_ms)?.is_some()))? {
        return Ok(None);
    }
    hub.change(|store, config, clock| sms::next(store, config, clock))
}

/// A try that failed: counted against the message when the modem answered about it (a message is not
/// given up because the modem is unplugged for an hour), and the modem's state shown.
fn fail(hub: &Arc<Hub>, out: &Outgoing, e: &ModemError, answered: bool) {
    let previous = hub.modem();
    if previous.state != e.label() {
        tracing::error!(error = %e, "the GSM modem cannot send");
    }
    hub.set_modem(ModemStatus { state: e.label().into(), detail: e.to_string(), last_sent_ms: previous.last_sent_ms });
    if answered {
        record(hub, out, Err((e.to_string(), e.permanent())));
    }
}

fn record(hub: &Arc<Hub>, out: &Outgoing, result: Result<u32, (String, bool)>) {
    let out = out.clone();
    if let Err(e) = hub.change(move |store, config, clock| sms::tried(store, config, &out, result, clock)) {
        tracing::error!(error = %e, "cannot record a text message's try");
    }
}

/// What a kiosk or counter sends: the phone number as the citizen typed it.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    pub phone: String,
}

fn refused(r: ConsentRefusal) -> ApiError {
    let status = match r {
        ConsentRefusal::NoTicket => StatusCode::NOT_FOUND,
        ConsentRefusal::BadPhone => StatusCode::UNPROCESSABLE_ENTITY,
        ConsentRefusal::Off | ConsentRefusal::TooMany => StatusCode::CONFLICT,
    };
    ApiError::new(status, "refused", r.vi(), r.en())
}

/// `POST /api/v1/t/{token}/sms` from a kiosk, right after the number was taken.
pub async fn by_kiosk(
    State(hub): Hubs,
    PathArg(token): PathArg<String>,
    headers: HeaderMap,
    Body(req): Body<ConsentRequest>,
) -> Result<Json<Consented>, ApiError> {
    kiosk(&hub, &headers).await?;
    let given = hub
        .change_async(move |store, config, clock| {
            sms::consent(store, config, TicketRef::Token(&token), &req.phone, "kiosk", clock)
        })
        .await?;
    given.map(Json).map_err(refused)
}

/// `POST /api/v1/counter/sms`: consent for the ticket this counter has called or serves.
pub async fn by_counter(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<ConsentRequest>,
) -> Result<Json<Consented>, ApiError> {
    let (desk, _) = counter_session(&hub, &headers, true).await?;
    let counter = desk.counter;
    let given = hub
        .change_async(move |store, config, clock| {
            sms::consent(store, config, TicketRef::Counter(counter), &req.phone, "counter", clock)
        })
        .await?;
    given.map(Json).map_err(refused)
}
