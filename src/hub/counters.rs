//! The counter's endpoints: the one guarded login, logout, who am I, and every action at a counter.

use super::api::{Body, OutcomeRequest};
use super::auth::{blocking, counter_session, principal, Principal, SESSION_COOKIE};
use super::guard::{self, LoginRefusal};
use super::reply::ApiError;
use super::Hub;
use crate::app::counter::{self, Login};
use crate::app::queue::{self, Action, QueueError, TicketView};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::counter::CounterRefusal;
use crate::print::Outcome;
use crate::store::queue::TicketRow;
use crate::store::Store;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub counter: u32,
    pub pin: String,
    /// Return the session token in the body for a client that sends it as a bearer token (not a browser).
    #[serde(default)]
    pub bearer: bool,
}

#[derive(Serialize, Deserialize)]
pub struct LoginResponse {
    pub counter: u32,
    pub csrf: String,
    pub expires_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

pub(super) async fn login(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> Result<Response, ApiError> {
    let (counter, pin, bearer) = (req.counter, req.pin, req.bearer);
    let client = hub.client_of(peer.map(|Extension(c)| c.0), &headers);
    // Only configured counters have a count of their own; guesses at others share one.
    let known_counter = hub.config().counters.iter().any(|c| c.number == counter);
    let principal = if known_counter { format!("counter:{counter}") } else { "counter:?".to_string() };
    let hash = match known_counter {
        true => hub.read_async(move |store, _, _| counter::pin_hash(store, counter)).await?,
        false => None,
    };
    let refused = |r: CounterRefusal| ApiError::from(QueueError::Counter(r));
    let passed = match guard::login(&hub, &principal, &client, &headers, hash, pin).await {
        Ok(passed) => passed,
        Err(LoginRefusal::Refused(guard::Refused::Wait { seconds })) => return Err(ApiError::too_many(seconds)),
        Err(LoginRefusal::Refused(guard::Refused::Busy)) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "busy",
                "Máy chủ đang bận kiểm tra đăng nhập. Vui lòng thử lại sau giây lát.",
                "the hub is busy checking logins; try again in a moment",
            )
            .retry_after(2))
        }
        Err(LoginRefusal::NoSecret) if known_counter => return Err(refused(CounterRefusal::NoPin(counter))),
        Err(_) => return Err(refused(CounterRefusal::WrongPin)),
    };
    let Login { counter, session, csrf, expires_ms } =
        hub.change_async(move |store, config, clock| counter::open_session(store, config, counter, clock)).await?;
    hub.logins_changed();
    let max_age = i64::from(hub.config().hub.session_minutes) * 60;
    let cookies = [
        format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"),
        // The browser is known to this counter from now on (docs/api.md, logins).
        format!(
            "{}={}; Path=/api/v1/counter/login; HttpOnly; SameSite=Strict; Max-Age=31536000",
            guard::KNOWN_COOKIE,
            passed.known_cookie
        ),
    ];
    let body = LoginResponse { counter, csrf, expires_ms, session: bearer.then_some(session) };
    let mut response = Json(body).into_response();
    for cookie in cookies {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

pub(super) async fn logout(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, token) = counter_session(&hub, &headers, true).await?;
    let ended = token.clone();
    hub.change_async(move |store, _, clock| counter::logout(store, &ended, clock)).await?;
    // After the database: a request in between could otherwise remember the session again.
    hub.forget(&token);
    hub.logins_changed();
    let mut response = StatusCode::NO_CONTENT.into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Serialize, Deserialize)]
pub struct Me {
    pub counter: queue::CounterView,
    pub csrf: String,
}

pub(super) async fn counter_me(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Me>, ApiError> {
    let Principal::Counter { counter, csrf, .. } = principal(&hub, &headers).await? else {
        return Err(ApiError::forbidden("Cần đăng nhập quầy.", "a counter login is required"));
    };
    let snapshot = blocking(&hub, |hub| hub.snapshot()).await?;
    let view = snapshot.counters.iter().find(|c| c.number == counter).cloned().ok_or_else(ApiError::not_found)?;
    Ok(Json(Me { counter: view, csrf }))
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
    f: impl FnOnce(&mut Store, &Config, &dyn Clock, u32) -> Result<TicketRow, QueueError> + Send + 'static,
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
        let (name, outcome) = print_at_counter(hub, counter, &crate::print::layout::ticket(&info));
        let req = OutcomeRequest::of(&outcome);
        Ok(ReprintResponse { number: info.number, printer: name, outcome: req.outcome, detail: req.detail })
    })
    .await?;
    Ok(Json(r))
}
