//! The hub on HTTP: JSON under `/api/v1` (docs/api.md), the live event stream, the ticket page for
//! phones, `/healthz`. Every refusal is a 4xx with a Vietnamese and an English message and changes
//! nothing; request bodies are limited in size.

use super::auth::{blocking, kiosk, plausible, principal};
use super::counters as desk;
pub use super::reply::{ApiError, Body, ErrorBody, FormBody, PathArg, QueryArg};
use super::{console, dossiers, events, ratings, reports, staff, Hub};
use crate::app::health::PrinterHealth;
use crate::app::queue::{self, Action, QueueError};
use crate::domain::idcard::{self, IdCard};
use crate::print::status::PrinterState;
use crate::print::Outcome;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Extension;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

pub fn router(hub: Arc<Hub>) -> Router {
    let limit = hub.config().hub.max_body_bytes as usize;
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/t/{token}", get(ratings::ticket_page))
        .route("/t/{token}/danh-gia", post(ratings::rate_form))
        .route("/api/v1/t/{token}/rating", get(ratings::of_ticket).post(ratings::rate_by_token))
        .route("/api/v1/ratings", post(ratings::rate_by_number))
        .route("/danh-gia", get(console::tablet_page))
        .route("/mat/{file}", get(ratings::face))
        .route("/danh-gia/danh-gia.js", get(console::tablet_script))
        .route("/api/v1/counter/tablet-code", post(ratings::tablet_code))
        .route("/api/v1/tablet/pair", post(ratings::pair))
        .route("/api/v1/tablet", get(ratings::tablet))
        .route("/api/v1/services", get(services))
        .route("/api/v1/tickets", post(issue))
        .route("/api/v1/bookings/check-in", post(check_in))
        .route("/api/v1/tickets/{id}/outcome", post(outcome))
        .route("/api/v1/t/{token}", get(ticket_status))
        .route("/api/v1/snapshot", get(snapshot))
        .route("/api/v1/events", get(events::stream))
        .route("/api/v1/printers", get(printers).post(printer_report))
        .route("/thu-tuc", get(super::catalog::list))
        .route("/thu-tuc/{code}", get(super::catalog::one))
        .route("/d/{token}", get(dossiers::page))
        .route("/api/v1/d/{token}", get(dossiers::by_token))
        .route("/api/v1/dossiers/{code}", get(dossiers::by_code).put(dossiers::put))
        .route("/api/v1/dossiers/{code}/verify", post(dossiers::verify))
        .route("/api/v1/dossiers/{code}/status", post(dossiers::status))
        .route("/quay", get(console::page))
        .route("/quay/quay.js", get(console::script))
        .route("/quay/quay.css", get(console::style))
        .route("/api/v1/counter", get(desk::counter_me))
        .route("/api/v1/counter/login", post(desk::login))
        .route("/api/v1/staff/login", post(staff::login))
        .route("/api/v1/staff/logout", post(staff::logout))
        .route("/api/v1/staff/me", get(staff::me))
        .route("/api/v1/staff/secret", post(staff::change_secret))
        .route("/api/v1/reports", get(staff::report))
        .route("/bao-cao", get(reports::page))
        .route("/bao-cao/bao-cao.css", get(reports::style))
        .route("/bao-cao/dang-nhap", post(reports::login))
        .route("/bao-cao/dang-xuat", post(reports::logout))
        .route("/quan-tri", get(super::admin::page))
        .route("/quan-tri/dang-nhap", post(super::admin::login))
        .route("/quan-tri/quan-tri.css", get(super::admin::style))
        .route("/quan-tri/niem-yet", get(super::admin::posters))
        .route(
            "/quan-tri/lich",
            get(super::admin_calendar::page)
                .post(super::admin_calendar::post)
                .layer(DefaultBodyLimit::max(super::admin::FORM_MAX_BYTES)),
        )
        .route(
            "/quan-tri/nhap",
            get(super::admin_upload::page)
                .post(super::admin_upload::upload)
                .layer(DefaultBodyLimit::max(super::admin_upload::UPLOAD_MAX_BYTES)),
        )
        .route("/quan-tri/nhap/cong-bo", post(super::admin_upload::publish))
        .route("/quan-tri/dang-xuat", post(super::admin::logout))
        .route(
            "/quan-tri/thu-tuc/{code}",
            get(super::admin_edit::procedure)
                .post(super::admin_edit::post)
                .layer(DefaultBodyLimit::max(super::admin::FORM_MAX_BYTES)),
        )
        .route("/api/v1/counter/logout", post(desk::logout))
        .route("/api/v1/counter/next", post(desk::call_next))
        .route("/api/v1/counter/call", post(desk::call_specific))
        .route("/api/v1/counter/recall", post(|s, h| desk::act(s, h, Action::Recall)))
        .route("/api/v1/counter/start", post(|s, h| desk::act(s, h, Action::Start)))
        .route("/api/v1/counter/complete", post(|s, h| desk::act(s, h, Action::Complete)))
        .route("/api/v1/counter/no-show", post(|s, h| desk::act(s, h, Action::NoShow)))
        .route("/api/v1/counter/transfer", post(desk::transfer))
        .route("/api/v1/counter/pause", post(|s, h| desk::pause(s, h, true)))
        .route("/api/v1/counter/resume", post(|s, h| desk::pause(s, h, false)))
        .route("/api/v1/counter/reprint", post(desk::reprint))
        .route("/api/v1/counter/dossier", post(dossiers::receive))
        .route("/api/v1/counter/card", get(dossiers::held_card))
        .route("/api/v1/counter/sms", post(super::sms::by_counter))
        .route("/api/v1/t/{token}/sms", post(super::sms::by_kiosk))
        .route("/api/v1/counter/dossier/form", post(dossiers::form))
        .route("/api/v1/procedures", get(dossiers::procedures))
        .route("/api/v1/catalog", get(super::catalog::published))
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
        .layer(axum::middleware::from_fn_with_state(hub.clone(), count_request));
    // Only a hub serving HTTPS rewrites its cookies: a plain one pays nothing per response.
    let router =
        if hub.config().hub.tls { router.layer(axum::middleware::map_response(secure_cookies)) } else { router };
    router.with_state(hub)
}

/// Over HTTPS every cookie is marked `Secure`, so a browser never sends a session over plain HTTP.
async fn secure_cookies(mut response: Response) -> Response {
    let cookies: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    if cookies.is_empty() {
        return response;
    }
    response.headers_mut().remove(header::SET_COOKIE);
    for cookie in cookies {
        if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{cookie}; Secure")) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

type Hubs = State<Arc<Hub>>;

/// Every request counts against its client's rate before anything else is done with it.
async fn count_request(
    State(hub): Hubs,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !hub.request_allowed(peer.map(|axum::Extension(c)| c.0), req.headers()) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many",
            "Quá nhiều yêu cầu. Vui lòng chờ giây lát rồi thử lại.",
            "too many requests; wait a moment and try again",
        )
        .retry_after(1)
        .into_response();
    }
    next.run(req).await
}

async fn healthz(State(hub): Hubs) -> Result<Json<serde_json::Value>, ApiError> {
    let ((last, schema), counts) =
        hub.read_async(|store, _, clock| Ok((queue::health(store)?, crate::app::sms::counts(store, clock)?))).await?;
    Ok(Json(serde_json::json!({
        "status": if hub.disk_full_since().is_some() { "disk-full" } else { "ok" },
        "last_event_id": last, "schema": schema, "epoch": hub.epoch(), "backup": hub.backup_status(),
        "disk_full_since_ms": hub.disk_full_since(),
        "province": province(&hub.push_status(), crate::domain::clock::millis(hub.clock().now())),
        "sms": { "modem": hub.modem(), "queued": counts.queued, "sent_today": counts.sent_today,
                 "failed_today": counts.failed_today },
    })))
}

/// The link to the province on `/healthz`: null when the hall does not push.
fn province(push: &super::push::PushStatus, now_ms: i64) -> serde_json::Value {
    if !push.enabled {
        return serde_json::Value::Null;
    }
    serde_json::json!({
        "acked": push.acked, "newest": push.newest, "lag_ms": push.lag_ms(now_ms),
        "last_success_ms": push.last_success_ms, "failing_since_ms": push.failing_since_ms,
        "last_error": push.last_error,
    })
}

/// `/metrics` (Prometheus text), for a device token with the `metrics` role only.
async fn metrics(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    match principal(&hub, &headers).await? {
        super::auth::Principal::Device { role, .. } if role == "metrics" => {}
        _ => {
            return Err(ApiError::forbidden(
                "Chỉ thiết bị giám sát được xem số liệu vận hành.",
                "only a device with the metrics role may read /metrics",
            ))
        }
    }
    let now_ms = crate::domain::clock::millis(hub.clock().now());
    let body = hub.metrics().render(hub.connections(), hub.backup_status().last_ms, &hub.push_status(), now_ms);
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response())
}

async fn services(State(hub): Hubs) -> Result<Response, ApiError> {
    json_view(&*blocking(&hub, |hub| hub.services()).await?)
}

/// A kept read model as a JSON answer, serialised once for every client that asks.
fn json_view<T: Serialize>(view: &super::views::View<T>) -> Result<Response, ApiError> {
    let body =
        view.json().ok_or_else(|| ApiError::from(QueueError::Stopped("a view could not be serialised".into())))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    pub service: String,
    #[serde(default)]
    pub priority: Option<String>,
    /// The kiosk's key for this request (up to 64 letters, digits, '-' or '_'): sent again after a lost
    /// answer, it gets the same ticket.
    #[serde(default)]
    pub key: Option<String>,
    /// The chip ID card the citizen scanned, held for the counter (docs/id-card.md). Sent only over HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardBody>,
}

/// What a kiosk sends of a chip ID card: the ID number, the date of birth, and the name only when the
/// scanner delivered it intact.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardBody {
    pub id: String,
    /// yyyy-mm-dd
    pub birth: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl From<&IdCard> for CardBody {
    fn from(card: &IdCard) -> CardBody {
        CardBody { id: card.number.clone(), birth: idcard::iso_date(card.birth), name: card.name.clone() }
    }
}

impl CardBody {
    /// The card as the domain reads it, or why not (never quoting it).
    pub fn card(&self) -> Result<IdCard, ApiError> {
        let bad = |what: &str| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                "Dữ liệu thẻ căn cước không hợp lệ.",
                format!("invalid ID card: {what}"),
            )
        };
        if !idcard::chip_number(&self.id) {
            return Err(bad("the ID number is not 12 digits"));
        }
        let birth = idcard::parse_birth(&self.birth).ok_or_else(|| bad("the birth date"))?;
        if self.name.as_deref().is_some_and(|n| !idcard::plausible_name(n)) {
            return Err(bad("the name"));
        }
        let name = self.name.clone();
        Ok(IdCard { number: self.id.clone(), birth, name })
    }
}

async fn issue(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<IssueRequest>,
) -> Result<Response, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    // A card crosses the LAN only over HTTPS: one sent in the clear from another machine is not kept (the
    // kiosk does not offer the scan then; this is for one that was set up wrong).
    let in_clear = !hub.config().hub.tls && !peer.is_some_and(|Extension(ConnectInfo(a))| a.ip().is_loopback());
    let card = match req.card {
        Some(_) if in_clear => {
            tracing::warn!(device, "an ID card sent over plain HTTP was not kept; give the hub HTTPS ([hub] tls)");
            None
        }
        Some(c) => Some(c.card()?),
        None => None,
    };
    let key = request_key(&device, req.key)?;
    let reserved = hub
        .change_async(move |store, config, clock| {
            queue::reserve_holding(
                store,
                config,
                &req.service,
                req.priority.as_deref(),
                key.as_deref(),
                card.as_ref(),
                clock,
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(reserved)).into_response())
}

/// A check-in from a kiosk: the booking's QR token, or its code and the phone's last three digits.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    pub booking: crate::app::booking::BookingKey,
    /// As with a ticket: sent again after a lost answer, it gets the same ticket.
    #[serde(default)]
    pub key: Option<String>,
}

/// `POST /api/v1/bookings/check-in` (kiosks only): a ticket for a booking, from the hall's pulled copy
/// of the bookings, so it works while the WAN is down. A refusal says why (409: cancelled, expired, used,
/// another day; 404: no such booking with these digits; 429: too many wrong tries).
async fn check_in(State(hub): Hubs, headers: HeaderMap, Body(req): Body<CheckInRequest>) -> Result<Response, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    let too_long = match &req.booking {
        crate::app::booking::BookingKey::Token(t) => t.len() > 64,
        crate::app::booking::BookingKey::Code { code, digits } => code.len() > 16 || digits.len() > 8,
    };
    let key = request_key(&device, req.key)?;
    if too_long {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request",
            "Mã lịch hẹn không hợp lệ.",
            "not a booking code",
        ));
    }
    let client = format!("kiosk:{device}");
    let reserved = blocking(&hub, move |hub| hub.check_in_booking(&client, &req.booking, key.as_deref())).await?;
    Ok((StatusCode::CREATED, Json(reserved)).into_response())
}

/// A kiosk's request key, per kiosk: one kiosk cannot fetch another's ticket by guessing its key.
fn request_key(device: &str, key: Option<String>) -> Result<Option<String>, ApiError> {
    match key {
        Some(k)
            if k.is_empty()
                || k.len() > 64
                || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                "Khóa yêu cầu không hợp lệ (tối đa 64 chữ, số, '-' hoặc '_').",
                "invalid request key (up to 64 letters, digits, '-' or '_')",
            ))
        }
        Some(k) => Ok(Some(format!("{device}:{k}"))),
        None => Ok(None),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// "printed", "sent-unconfirmed" or "not-printed".
    pub outcome: String,
    #[serde(default)]
    pub detail: Option<String>,
    /// With not-printed: the printer's state that stopped the job, as `/api/v1/printers` spells it
    /// (`paper-out`, `cover-open`, `offline`, `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<String>,
}

impl OutcomeRequest {
    pub fn of(outcome: &Outcome) -> OutcomeRequest {
        let printer = outcome.stopped_by().map(|s| s.label().to_string());
        OutcomeRequest { outcome: outcome.label().into(), detail: outcome.detail(), printer }
    }

    fn outcome(self) -> Result<Outcome, ApiError> {
        // Stored with the ticket and sent to every console: a kiosk's explanation is cut to a line.
        let why: String = self.detail.unwrap_or_default().chars().take(MAX_DETAIL).collect();
        match self.outcome.as_str() {
            "printed" => Ok(Outcome::Printed { warning: (!why.is_empty()).then_some(why) }),
            "sent-unconfirmed" => Ok(Outcome::SentUnconfirmed { why }),
            "not-printed" | "not printed" => {
                let printer = match self.printer.as_deref() {
                    Some(label) => match PrinterState::from_label(label, &why) {
                        Some(state) if !state.can_print() => state,
                        Some(_) => return Err(ready_printer_stopped(label)),
                        None => return Err(bad_printer_state(label)),
                    },
                    // Kiosks of the previous release send neither the state nor this spelling; both are
                    // accepted for one release.
                    None => crate::app::health::guessed_from_text(&why),
                };
                Ok(Outcome::NotPrinted { printer, why })
            }
            other => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                format!("Kết quả in \"{other}\" không hợp lệ; dùng printed, sent-unconfirmed hoặc not-printed."),
                format!("outcome \"{other}\" is not one of printed, sent-unconfirmed, not-printed"),
            )),
        }
    }
}

/// Characters kept of a kiosk's print outcome detail.
pub const MAX_DETAIL: usize = 200;

#[derive(Serialize, Deserialize)]
pub struct StateBody {
    pub state: crate::domain::ticket::TicketState,
}

async fn outcome(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(id): PathArg<i64>,
    Body(req): Body<OutcomeRequest>,
) -> Result<Json<StateBody>, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    let outcome = req.outcome()?;
    let seen = crate::app::health::of_outcome(&outcome);
    hub.metrics().outcome(outcome.label());
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

fn bad_printer_state(label: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_request",
        format!("Trạng thái máy in \"{label}\" không hợp lệ."),
        format!(
            "printer state \"{label}\" is not one of ok, paper-low, paper-out, cover-open, offline, error, garbled"
        ),
    )
}

fn ready_printer_stopped(label: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_request",
        format!("Máy in ở trạng thái \"{label}\" không thể là lý do không in được."),
        format!("a printer that is \"{label}\" cannot have stopped a job: use paper-out, cover-open, offline, error or garbled"),
    )
}

/// A kiosk's status check between jobs; answers the printer's health as the console shows it.
async fn printer_report(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(report): Body<PrinterReport>,
) -> Result<Json<PrinterHealth>, ApiError> {
    let device = kiosk(&hub, &headers).await?;
    let detail: String = report.detail.unwrap_or_default().chars().take(MAX_DETAIL).collect();
    let state = PrinterState::from_label(&report.state, &detail).ok_or_else(|| bad_printer_state(&report.state))?;
    hub.note_printer(&device, crate::app::health::of_state(&state));
    let health = hub.printers().into_iter().find(|p| p.device == device).ok_or_else(ApiError::not_found)?;
    Ok(Json(health))
}

async fn status_of(hub: &Arc<Hub>, token: String) -> Result<queue::TicketStatus, ApiError> {
    if !plausible(&token) {
        return Err(ApiError::not_found());
    }
    hub.read_async(move |store, config, clock| queue::status_by_token(store, config, &token, clock))
        .await?
        .ok_or_else(ApiError::not_found)
}

async fn ticket_status(
    State(hub): Hubs,
    PathArg(token): PathArg<String>,
) -> Result<Json<queue::TicketStatus>, ApiError> {
    Ok(Json(status_of(&hub, token).await?))
}

async fn snapshot(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    principal(&hub, &headers).await?;
    json_view(&*blocking(&hub, |hub| hub.snapshot()).await?)
}
