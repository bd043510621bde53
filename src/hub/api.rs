//! The hub on HTTP: JSON under `/api/v1` (docs/api.md), the live event stream, the ticket page for
//! phones, `/healthz`. Every refusal is a 4xx with a Vietnamese and an English message and changes
//! nothing; request bodies are limited in size.

use super::{console, dossiers, events, page, Holder, Hub};
use crate::app::counter::{self, Login};
use crate::app::health::PrinterHealth;
use crate::app::queue::{self, Action, QueueError, TicketView};
use crate::domain::counter::CounterRefusal;
use crate::domain::ticket::Refusal;
use crate::print::status::PrinterState;
use crate::print::Outcome;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "motcua_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A refusal as the client receives it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

#[derive(Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message_vi: String,
    pub message_en: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError { status, code, vi: vi.into(), en: en.into() }
    }

    fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Cần đăng nhập hoặc mã thiết bị hợp lệ.",
            "a valid login or device token is required",
        )
    }

    fn forbidden(vi: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", vi, en)
    }

    fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy.", "not found")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.code.into(), message_vi: self.vi, message_en: self.en };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> ApiError {
        match e {
            QueueError::Refused(r) => {
                let status = match r {
                    Refusal::UnknownService(_) | Refusal::UnknownPriority(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    Refusal::ClockWentBack { .. } => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::CONFLICT,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::Counter(r) => {
                let status = match r {
                    CounterRefusal::UnknownCounter(_) | CounterRefusal::UnknownNumber(_) => StatusCode::NOT_FOUND,
                    CounterRefusal::WrongPin => StatusCode::UNAUTHORIZED,
                    CounterRefusal::NoPin(_) => StatusCode::FORBIDDEN,
                    CounterRefusal::LockedOut { .. } => StatusCode::TOO_MANY_REQUESTS,
                    CounterRefusal::PinFormat | CounterRefusal::ReasonRequired | CounterRefusal::UnknownService(_) => {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    _ => StatusCode::CONFLICT,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::UnknownTicket(id) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Không có phiếu {id}."),
                format!("ticket {id} does not exist"),
            ),
            e => {
                tracing::error!(error = %e, "request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Lỗi hệ thống. Vui lòng báo cán bộ.",
                    "internal error; see the hub's log",
                )
            }
        }
    }
}

/// JSON bodies whose rejections (malformed, wrong type, too large, not JSON) speak both languages.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(r: &JsonRejection) -> ApiError {
    let detail = r.body_text();
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Dữ liệu gửi lên quá lớn.",
            "request body too large",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "Dữ liệu phải ở dạng JSON (Content-Type: application/json).",
            "the body must be JSON (Content-Type: application/json)",
        ),
        status => ApiError::new(
            if status.is_client_error() { status } else { StatusCode::BAD_REQUEST },
            "bad_request",
            format!("Dữ liệu không hợp lệ: {detail}"),
            format!("invalid request body: {detail}"),
        ),
    }
}

/// Runs blocking database work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(&Hub) -> Result<T, QueueError> + Send + 'static,
) -> Result<T, ApiError> {
    let hub = hub.clone();
    match tokio::task::spawn_blocking(move || f(&hub)).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            Err(ApiError::from(QueueError::Stopped("request task failed".into())))
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Principal {
    Device { name: String, role: String },
    Counter { counter: u32, csrf: String, token: String, by_cookie: bool },
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Is a well-formed token: 32 hex digits. Anything else is refused before touching the database.
/// Whether a text has the shape of a ticket token (32 hex digits).
pub(super) fn plausible(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn principal(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let (token, by_cookie) = match (bearer(headers), cookie(headers, SESSION_COOKIE)) {
        (Some(t), _) => (t, false),
        (None, Some(t)) => (t, true),
        (None, None) => return Err(ApiError::unauthorized()),
    };
    if !plausible(&token) {
        return Err(ApiError::unauthorized());
    }
    let lookup = token.clone();
    let holder = hub.holder(&lookup).await?;
    let found = match holder {
        Some(Holder::Device { name, role }) if !by_cookie => Some(Principal::Device { name, role }),
        Some(Holder::Counter(s)) => Some(Principal::Counter { counter: s.counter, csrf: s.csrf, token, by_cookie }),
        _ => None,
    };
    found.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Phiên đăng nhập đã hết hạn hoặc mã thiết bị không đúng. Vui lòng đăng nhập lại.",
            "the session expired or the device token is unknown: log in again",
        )
    })
}

async fn kiosk(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<String, ApiError> {
    match principal(hub, headers).await? {
        Principal::Device { name, role } if role == "kiosk" => Ok(name),
        _ => Err(ApiError::forbidden("Chỉ ki-ốt được cấp số.", "only a kiosk may issue tickets")),
    }
}

/// A counter's session; changes made through the cookie must carry the CSRF token.
pub(super) async fn counter_session(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    change: bool,
) -> Result<(u32, String), ApiError> {
    match principal(hub, headers).await? {
        Principal::Counter { counter, csrf, token, by_cookie } => {
            let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if change && by_cookie && sent != csrf {
                return Err(ApiError::forbidden(
                    "Thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang.",
                    "missing or wrong CSRF token; reload the page",
                ));
            }
            Ok((counter, token))
        }
        Principal::Device { .. } => Err(ApiError::forbidden("Cần đăng nhập quầy.", "a counter login is required")),
    }
}

pub fn router(hub: Arc<Hub>) -> Router {
    let limit = hub.config().hub.max_body_bytes as usize;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/t/{token}", get(ticket_page))
        .route("/api/v1/services", get(services))
        .route("/api/v1/tickets", post(issue))
        .route("/api/v1/tickets/{id}/outcome", post(outcome))
        .route("/api/v1/t/{token}", get(ticket_status))
        .route("/api/v1/snapshot", get(snapshot))
        .route("/api/v1/events", get(events::stream))
        .route("/api/v1/printers", get(printers).post(printer_report))
        .route("/d/{token}", get(dossiers::page))
        .route("/api/v1/d/{token}", get(dossiers::by_token))
        .route("/api/v1/dossiers/{code}", get(dossiers::by_code).put(dossiers::put))
        .route("/api/v1/dossiers/{code}/verify", post(dossiers::verify))
        .route("/api/v1/dossiers/{code}/status", post(dossiers::status))
        .route("/quay", get(console::page))
        .route("/quay/quay.js", get(console::script))
        .route("/quay/quay.css", get(console::style))
        .route("/api/v1/counter", get(counter_me))
        .route("/api/v1/counter/login", post(login))
        .route("/api/v1/counter/logout", post(logout))
        .route("/api/v1/counter/next", post(call_next))
        .route("/api/v1/counter/call", post(call_specific))
        .route("/api/v1/counter/recall", post(|s, h| act(s, h, Action::Recall)))
        .route("/api/v1/counter/start", post(|s, h| act(s, h, Action::Start)))
        .route("/api/v1/counter/complete", post(|s, h| act(s, h, Action::Complete)))
        .route("/api/v1/counter/no-show", post(|s, h| act(s, h, Action::NoShow)))
        .route("/api/v1/counter/transfer", post(transfer))
        .route("/api/v1/counter/pause", post(|s, h| pause(s, h, true)))
        .route("/api/v1/counter/resume", post(|s, h| pause(s, h, false)))
        .route("/api/v1/counter/reprint", post(reprint))
        .route("/api/v1/counter/dossier", post(dossiers::receive))
        .route("/api/v1/procedures", get(dossiers::procedures))
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Phương thức không được hỗ trợ.",
                "method not allowed",
            )
        })
        .layer(DefaultBodyLimit::max(limit))
        .with_state(hub)
}

type Hubs = State<Arc<Hub>>;

async fn healthz(State(hub): Hubs) -> Result<Json<serde_json::Value>, ApiError> {
    let (last, schema) = hub
        .change_async(|store, _, _| Ok((crate::store::queue::last_event_id(store.conn())?, store.schema_version()?)))
        .await?;
    Ok(Json(serde_json::json!({ "status": "ok", "last_event_id": last, "schema": schema })))
}

async fn services(State(hub): Hubs) -> Result<Json<Vec<queue::ServiceView>>, ApiError> {
    Ok(Json(hub.change_async(|store, config, clock| queue::services(store, config, clock)).await?))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    pub service: String,
    #[serde(default)]
    pub priority: Option<String>,
}

async fn issue(State(hub): Hubs, headers: HeaderMap, Body(req): Body<IssueRequest>) -> Result<Response, ApiError> {
    kiosk(&hub, &headers).await?;
    let reserved = hub
        .change_async(move |store, config, clock| {
            queue::reserve(store, config, &req.service, req.priority.as_deref(), clock)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(reserved)).into_response())
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// "printed", "sent-unconfirmed" or "not-printed".
    pub outcome: String,
    #[serde(default)]
    pub detail: Option<String>,
}

impl OutcomeRequest {
    pub fn of(outcome: &Outcome) -> OutcomeRequest {
        let (label, detail) = match outcome {
            Outcome::Printed { warning } => ("printed", warning.clone()),
            Outcome::SentUnconfirmed { why } => ("sent-unconfirmed", Some(why.clone())),
            Outcome::NotPrinted { why } => ("not-printed", Some(why.clone())),
        };
        OutcomeRequest { outcome: label.into(), detail }
    }

    fn outcome(self) -> Result<Outcome, ApiError> {
        let why = self.detail.unwrap_or_default();
        match self.outcome.as_str() {
            "printed" => Ok(Outcome::Printed { warning: (!why.is_empty()).then_some(why) }),
            "sent-unconfirmed" => Ok(Outcome::SentUnconfirmed { why }),
            "not-printed" => Ok(Outcome::NotPrinted { why }),
            other => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                format!("Kết quả in \"{other}\" không hợp lệ; dùng printed, sent-unconfirmed hoặc not-printed."),
                format!("outcome \"{other}\" is not one of printed, sent-unconfirmed, not-printed"),
            )),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct StateBody {
    pub state: String,
}

async fn outcome(
    State(hub): Hubs,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Body(req): Body<OutcomeRequest>,
) -> Result<Json<StateBody>, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    let outcome = req.outcome()?;
    let seen = crate::app::health::of_outcome(&outcome);
    let row =
        hub.change_async(move |store, config, clock| queue::record_outcome(store, config, id, &outcome, clock)).await?;
    hub.note_printer(&device, seen);
    Ok(Json(StateBody { state: row.state }))
}

async fn printers(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Vec<PrinterHealth>>, ApiError> {
    principal(&hub, &headers).await?;
    Ok(Json(hub.printers()))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterReport {
    /// `ok`, `paper-low`, `paper-out`, `cover-open`, `offline` or `error`.
    pub state: String,
    #[serde(default)]
    pub detail: Option<String>,
}

/// A kiosk's status check between jobs; answers the printer's health as the console shows it.
async fn printer_report(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(report): Body<PrinterReport>,
) -> Result<Json<PrinterHealth>, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    let state = match report.state.as_str() {
        "ok" => PrinterState::Ready,
        "paper-low" => PrinterState::PaperNearEnd,
        "paper-out" => PrinterState::PaperOut,
        "cover-open" => PrinterState::CoverOpen,
        "offline" => PrinterState::NoAnswer,
        "error" => PrinterState::Error(report.detail.unwrap_or_default().chars().take(200).collect()),
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                format!("Trạng thái máy in \"{other}\" không hợp lệ."),
                format!("printer state \"{other}\" is not one of ok, paper-low, paper-out, cover-open, offline, error"),
            ))
        }
    };
    hub.note_printer(&device, crate::app::health::of_state(&state));
    let health = hub.printers().into_iter().find(|p| p.device == device).ok_or_else(ApiError::not_found)?;
    Ok(Json(health))
}

async fn status_of(hub: &Arc<Hub>, token: String) -> Result<queue::TicketStatus, ApiError> {
    if !plausible(&token) {
        return Err(ApiError::not_found());
    }
    hub.change_async(move |store, config, clock| queue::status_by_token(store, config, &token, clock))
        .await?
        .ok_or_else(ApiError::not_found)
}

async fn ticket_status(State(hub): Hubs, Path(token): Path<String>) -> Result<Json<queue::TicketStatus>, ApiError> {
    Ok(Json(status_of(&hub, token).await?))
}

async fn ticket_page(State(hub): Hubs, Path(token): Path<String>) -> Response {
    let center = hub.config().center.name.clone();
    // The ticket and the dossier received under it, in one trip to the database.
    let found = match plausible(&token) {
        false => Ok(None),
        true => {
            hub.change_async(move |store, config, clock| {
                let Some(status) = queue::status_by_token(store, config, &token, clock)? else { return Ok(None) };
                // A dossier that cannot be read leaves the ticket's page as it was, and says so in the log.
                let linked = crate::app::dossier::by_ticket(store, &token, clock)
                    .inspect_err(|e| tracing::error!(error = %e, "the ticket's dossier cannot be read"))
                    .ok()
                    .flatten();
                Ok(Some((status, linked)))
            })
            .await
        }
    };
    match found.map_err(ApiError::from).and_then(|f| f.ok_or_else(ApiError::not_found)) {
        Ok((status, linked)) => Html(page::ticket(&center, &status, linked.as_ref())).into_response(),
        Err(e) => (e.status, Html(page::not_found(&center, &e))).into_response(),
    }
}

async fn snapshot(State(hub): Hubs, headers: HeaderMap) -> Result<Json<queue::Snapshot>, ApiError> {
    principal(&hub, &headers).await?;
    Ok(Json(hub.change_async(|store, config, clock| queue::snapshot(store, config, clock)).await?))
}

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

async fn login(State(hub): Hubs, Body(req): Body<LoginRequest>) -> Result<Response, ApiError> {
    let (counter, pin, bearer) = (req.counter, req.pin, req.bearer);
    let hash = hub.change_async(move |store, _, _| counter::pin_hash(store, counter)).await?;
    blocking(&hub, move |hub| {
        counter::check_pin(hub.config(), &hub.logins(), counter, &pin, hash.as_deref(), hub.clock())
    })
    .await?;
    let Login { counter, session, csrf, expires_ms } =
        hub.change_async(move |store, config, clock| counter::open_session(store, config, counter, clock)).await?;
    let max_age = i64::from(hub.config().hub.session_minutes) * 60;
    let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    let body = LoginResponse { counter, csrf, expires_ms, session: bearer.then_some(session) };
    let mut response = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn logout(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, token) = counter_session(&hub, &headers, true).await?;
    let ended = token.clone();
    hub.change_async(move |store, _, clock| counter::logout(store, &ended, clock)).await?;
    // After the database: a request in between could otherwise remember the session again.
    hub.forget(&token);
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

async fn counter_me(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Me>, ApiError> {
    let Principal::Counter { counter, csrf, .. } = principal(&hub, &headers).await? else {
        return Err(ApiError::forbidden("Cần đăng nhập quầy.", "a counter login is required"));
    };
    let snapshot = hub.change_async(|store, config, clock| queue::snapshot(store, config, clock)).await?;
    let view = snapshot.counters.into_iter().find(|c| c.number == counter).ok_or_else(ApiError::not_found)?;
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
    fn ticket(t: &crate::store::queue::TicketRow, hub: &Hub) -> ActionResponse {
        ActionResponse {
            ticket: Some(TicketView::of(t, hub.clock().now())),
            reason: None,
            message_vi: None,
            message_en: None,
        }
    }
}

async fn call_next(State(hub): Hubs, headers: HeaderMap) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let called =
        hub.change_async(move |store, config, clock| queue::call_next_at(store, config, counter, clock)).await?;
    let called = match called {
        Some((t, reason)) => ActionResponse { reason: Some(format!("{reason:?}")), ..ActionResponse::ticket(&t, &hub) },
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

async fn call_specific(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<CallRequest>,
) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let r = ActionResponse::ticket(
        &hub.change_async(move |store, config, clock| {
            queue::call_specific(store, config, counter, &req.number, &req.reason, clock)
        })
        .await?,
        &hub,
    );
    Ok(Json(r))
}

async fn act(State(hub): Hubs, headers: HeaderMap, action: Action) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let r = ActionResponse::ticket(
        &hub.change_async(move |store, config, clock| queue::act(store, config, counter, action, clock)).await?,
        &hub,
    );
    Ok(Json(r))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub service: String,
}

async fn transfer(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<TransferRequest>,
) -> Result<Json<ActionResponse>, ApiError> {
    let (counter, _) = counter_session(&hub, &headers, true).await?;
    let r = ActionResponse::ticket(
        &hub.change_async(move |store, config, clock| queue::transfer(store, config, counter, &req.service, clock))
            .await?,
        &hub,
    );
    Ok(Json(r))
}

async fn pause(State(hub): Hubs, headers: HeaderMap, paused: bool) -> Result<StatusCode, ApiError> {
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
        Err(e) => Outcome::NotPrinted { why: e.to_string() },
    };
    hub.note_printer(&device, crate::app::health::of_outcome(&outcome));
    (name, outcome)
}

/// Reprints a ticket on the counter's printer (or the kiosk's when the counter has none).
async fn reprint(
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
