//! The counter's endpoints: the one guarded login, logout, who am I, and every action at a counter.

use super::api::{Body, OutcomeRequest};
use super::auth::{blocking, counter_session};
use super::guard::{self, LoginRefusal};
use super::reply::ApiError;
use super::Hub;
use crate::app::counter;
use crate::app::queue::{self, Action, QueueError, TicketView};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::counter::{CounterRefusal, Desk};
use crate::domain::staff::{Role, StaffRefusal};
use crate::print::Outcome;
use crate::store::queue::TicketRow;
use crate::store::Store;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub counter: u32,
    /// A staff member's username; without it, `pin` is the counter's own PIN and the login has no name.
    #[serde(default)]
    pub username: Option<String>,
    /// The counter's PIN, or the staff member's PIN or password.
    pub pin: String,
    /// Return the session token in the body for a client that sends it as a bearer token (not a browser).
    #[serde(default)]
    pub bearer: bool,
}

#[derive(Serialize, Deserialize)]
pub struct LoginResponse {
    pub counter: Option<u32>,
    /// The staff member logged in, if the login named one.
    pub staff: Option<StaffView>,
    pub csrf: String,
    pub expires_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// A staff member as the console and the report page show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub username: String,
    pub name: String,
    pub roles: Vec<String>,
}

impl From<&crate::store::staff::Staff> for StaffView {
    fn from(s: &crate::store::staff::Staff) -> StaffView {
        StaffView {
            username: s.username.clone(),
            name: s.name.clone(),
            roles: s.roles.iter().map(|r| r.as_str().to_string()).collect(),
        }
    }
}

/// Logs in at a counter: as a staff member with the `counter` role (username and PIN or password), or with
/// the counter's own PIN ("no name"). Both pass the one guarded login check.
pub(super) async fn login(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> Result<Response, ApiError> {
    let (counter, pin, bearer) = (req.counter, req.pin, req.bearer);
    let client = hub.client_of(peer.map(|Extension(c)| c.0), &headers);
    let known_counter = hub.config().counters.iter().any(|c| c.number == counter);
    let refused = |r: CounterRefusal| ApiError::from(QueueError::Counter(r));
    let (staff, passed) = match req.username {
        Some(username) => {
            let (account, passed) = super::staff::check(&hub, &client, &headers, &username, pin).await?;
            if !known_counter {
                return Err(refused(CounterRefusal::UnknownCounter(counter)));
            }
            if !account.roles.has(Role::Counter) {
                return Err(ApiError::from(QueueError::Staff(StaffRefusal::NotAllowed(Role::Counter))));
            }
            (Some(account), passed)
        }
        None => {
            // Only configured counters have a count of their own; guesses at others share one.
            let principal = if known_counter { format!("counter:{counter}") } else { "counter:?".to_string() };
            let hash = match known_counter {
                true => hub.read_async(move |store, _, _| counter::pin_hash(store, counter)).await?,
                false => None,
            };
            match guard::login(&hub, &principal, &client, &headers, hash, pin).await {
                Ok(passed) => (None, passed),
                Err(LoginRefusal::Refused(r)) => return Err(guard::refusal(r)),
                Err(LoginRefusal::NoSecret) if known_counter => return Err(refused(CounterRefusal::NoPin(counter))),
                Err(_) => return Err(refused(CounterRefusal::WrongPin)),
            }
        }
    };
    let login = hub
        .change_async(move |store, config, clock| counter::open_session(store, config, Some(counter), staff, clock))
        .await?;
    // The sessions this login replaced are forgotten now, not at the hub's next look.
    let _ = blocking(&hub, |hub| hub.check_revocations()).await;
    hub.logins_changed();
    let body = LoginResponse {
        counter: login.counter,
        staff: login.staff.as_ref().map(StaffView::from),
        csrf: login.csrf.clone(),
        expires_ms: login.expires_ms,
        session: bearer.then(|| login.session.clone()),
    };
    let granted = guard::Granted::session(&hub, &login.session);
    Ok(guard::session_response(Json(body), granted, &passed, "/api/v1/counter/login"))
}

pub(super) async fn logout(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, session) = counter_session(&hub, &headers, true).await?;
    super::staff::end_session(&hub, session.token).await
}

#[derive(Serialize, Deserialize)]
pub struct Me {
    pub counter: queue::CounterView,
    /// Who is logged in at the counter; none for a login with the counter's own PIN.
    pub staff: Option<StaffView>,
    pub csrf: String,
}

pub(super) async fn counter_me(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Me>, ApiError> {
    let (desk, session) = counter_session(&hub, &headers, false).await?;
    let snapshot = blocking(&hub, |hub| hub.snapshot()).await?;
    let view = snapshot.counters.iter().find(|c| c.number == desk.counter).cloned().ok_or_else(ApiError::not_found)?;
    Ok(Json(Me { counter: view, staff: session.staff.as_ref().map(StaffView::from), csrf: session.csrf }))
}

/// What a counter action returns: the ticket it concerns (none when nobody waits).
#[derive(Serialize, Deserialize)]
pub struct ActionResponse {
    pub ticket: Option<TicketView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_vi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

impl ActionResponse {
    fn ticket(t: TicketView) -> ActionResponse {
        ActionResponse { ticket: Some(t), reason: None, message_vi: None, message_en: None }
    }
}

pub(super) async fn call_next(State(hub): Hubs, headers: HeaderMap) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let called = hub
        .change_async(move |store, config, clock| {
            let called = queue::call_next_at(store, config, counter, clock)?;
            Ok(called.map(|(t, reason)| (TicketView::of(&t, clock.now()), reason)))
        })
        .await?;
    let called = match called {
        Some((t, reason)) => ActionResponse { reason: Some(format!("{reason:?}")), ..ActionResponse::ticket(t) },
        None => ActionResponse {
            ticket: None,
            reason: None,
            message_vi: Some("Không có ai đang chờ.".into()),
            message_en: Some("nobody is waiting".into()),
        },
    };
    Ok(Json(called))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    pub number: String,
    pub reason: String,
}

/// A counter's change to a ticket, answered with that ticket: every action but calling the next one.
async fn ticket_change(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    f: impl FnOnce(&mut Store, &Config, &dyn Clock, Desk) -> Result<TicketRow, QueueError> + Send + 'static,
) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(hub, headers, true).await?;
    let ticket = hub
        .change_async(move |store, config, clock| Ok(TicketView::of(&f(store, config, clock, counter)?, clock.now())))
        .await?;
    Ok(Json(ActionResponse::ticket(ticket)))
}

pub(super) async fn call_specific(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<CallRequest>,
) -> Result<Json<ActionResponse>, ApiError> {
    ticket_change(&hub, &headers, move |store, config, clock, counter| {
        queue::call_specific(store, config, counter, &req.number, &req.reason, clock)
    })
    .await
}

pub(super) async fn act(
    State(hub): Hubs,
    headers: HeaderMap,
    action: Action,
) -> Result<Json<ActionResponse>, ApiError> {
    ticket_change(&hub, &headers, move |store, config, clock, counter| {
        queue::act(store, config, counter, action, clock)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub service: String,
}

pub(super) async fn transfer(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<TransferRequest>,
) -> Result<Json<ActionResponse>, ApiError> {
    ticket_change(&hub, &headers, move |store, config, clock, counter| {
        queue::transfer(store, config, counter, &req.service, clock)
    })
    .await
}

pub(super) async fn pause(State(hub): Hubs, headers: HeaderMap, paused: bool) -> Result<StatusCode, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    hub.change_async(move |store, config, clock| queue::set_paused(store, config, counter, paused, clock)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReprintRequest {
    pub number: String,
}

#[derive(Serialize, Deserialize)]
pub struct ReprintResponse {
    pub number: String,
    pub printer: String,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Prints on a counter's printer (or the kiosk's when the counter has none), noting the printer's health
/// for its owner; returns the printer's name and what it did.
pub(super) fn print_at_counter(
    hub: &Hub,
    counter: u32,
    document: &crate::print::document::Document,
) -> (String, Outcome) {
    let config = hub.config();
    let own = config.counters.iter().find(|c| c.number == counter).map(|c| c.printer.clone());
    let own = own.filter(|p| !p.is_empty());
    let device = if own.is_some() { format!("Quầy {counter}") } else { super::LOCAL_KIOSK.to_string() };
    let name = own.unwrap_or_else(|| config.kiosk.printer.clone());
    let outcome = match crate::app::printing::open(config, hub.data_dir(), &name) {
        Ok(mut printer) => printer.print(document),
        Err(e) => Outcome::not_reached(&e),
    };
    hub.note_printer(&device, crate::app::health::of_outcome(&outcome));
    (name, outcome)
}

/// Reprints a ticket on the counter's printer (or the kiosk's when the counter has none).
pub(super) async fn reprint(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<ReprintRequest>,
) -> Result<Json<ReprintResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let r = blocking(&hub, move |hub| {
        let info =
            hub.change(move |store, config, clock| queue::reprint(store, config, counter, &req.number, clock))?;
        let (name, outcome) = print_at_counter(hub, counter.counter, &crate::print::layout::ticket(&info));
        let req = OutcomeRequest::of(&outcome);
        Ok(ReprintResponse { number: info.number, printer: name, outcome: req.outcome, detail: req.detail })
    })
    .await?;
    Ok(Json(r))
}
