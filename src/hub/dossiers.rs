//! Dossiers on HTTP (docs/dossiers.md): the public answer to a code, details behind a token or a code with
//! the phone's last four digits (rate-limited per code and per client), the dossier page, and the
//! back office's live connection (`PUT` a dossier, `POST` a status) with an integration token.

use super::api::{ApiError, Body, PathArg};
use super::auth::{blocking, counter_session, principal, Principal};
use super::{page, Hub, Verified};
use crate::app::dossier::{self, CodeStatus, Details, HeldCard, ImportOutcome, PublicStatus, Receive, Received};
use crate::interchange::dossiers::{check, RawRecord};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

fn no_dossier() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Không tìm thấy hồ sơ với mã này. Kiểm tra lại mã trên giấy tiếp nhận.",
        "no dossier has this code; check the code on the receipt",
    )
}

/// What a client that tried too often hears.
pub const TOO_MANY: (&str, &str) = (
    "Quá nhiều lần thử. Vui lòng thử lại sau 15 phút hoặc hỏi cán bộ tại quầy.",
    "too many attempts; try again in 15 minutes or ask at a counter",
);

fn too_many() -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "refused", TOO_MANY.0, TOO_MANY.1)
}

fn failed(e: dossier::DossierError) -> ApiError {
    tracing::error!(error = %e, "dossier request failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Lỗi hệ thống. Vui lòng báo cán bộ.",
        "internal error; see the hub's log",
    )
}

/// Runs dossier changes on the hub's writer thread.
async fn run<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(
            &mut crate::store::Store,
            &crate::config::Config,
            &dyn crate::domain::clock::Clock,
        ) -> Result<T, dossier::DossierError>
        + Send
        + 'static,
) -> Result<T, ApiError> {
    hub.change_async(move |store, config, clock| Ok(f(store, config, clock))).await?.map_err(failed)
}

/// Reads dossiers on a read-only connection.
async fn look<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(
            &crate::store::Store,
            &crate::config::Config,
            &dyn crate::domain::clock::Clock,
        ) -> Result<T, dossier::DossierError>
        + Send
        + 'static,
) -> Result<T, ApiError> {
    hub.read_async(move |store, config, clock| Ok(f(store, config, clock))).await?.map_err(failed)
}

/// A dossier's status by its code: the status and the appointment only, and counted per client (codes
/// count up each day, so a day's dossiers could otherwise be listed).
pub async fn by_code(
    State(hub): Hubs,
    PathArg(code): PathArg<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Result<Json<CodeStatus>, ApiError> {
    let who = principal(&hub, &headers).await.ok();
    let (client, kiosk) = client(&hub, who.as_ref(), peer.map(|Extension(c)| c.0), &headers);
    if !hub.dossier_lookup_allowed(&client, kiosk) {
        return Err(too_many());
    }
    let found = look(&hub, move |store, _, clock| dossier::by_code(store, &code, clock)).await?;
    found.map(Json).ok_or_else(no_dossier)
}

pub async fn by_token(State(hub): Hubs, PathArg(token): PathArg<String>) -> Result<Json<Details>, ApiError> {
    if !super::auth::plausible(&token) {
        return Err(no_dossier());
    }
    let found = look(&hub, move |store, _, clock| dossier::by_token(store, &token, clock)).await?;
    found.map(Json).ok_or_else(no_dossier)
}

pub async fn page(State(hub): Hubs, PathArg(token): PathArg<String>) -> Response {
    let center = hub.config().center.name.clone();
    match by_token(State(hub), PathArg(token)).await {
        Ok(Json(d)) => Html(page::dossier(&center, &d, None)).into_response(),
        Err(e) => (e.status, Html(page::not_found(&center, &e))).into_response(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub phone_last4: String,
}

/// Who is trying, for the per-client limits: a kiosk by its device name (its own, larger limit, so one
/// person at the kiosk cannot lock it for everyone), otherwise the address (an IPv6 /64) — the forwarded
/// one when the request comes through a proxy named in `[hub] trusted_proxies`.
fn client(hub: &Hub, who: Option<&Principal>, peer: Option<SocketAddr>, headers: &HeaderMap) -> (String, bool) {
    if let Some(Principal::Device { name, role }) = who {
        if role == "kiosk" {
            return (format!("kiosk:{name}"), true);
        }
    }
    (hub.client_of(peer, headers), false)
}

pub async fn verify(
    State(hub): Hubs,
    PathArg(code): PathArg<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<VerifyRequest>,
) -> Result<Json<Details>, ApiError> {
    let who = principal(&hub, &headers).await.ok();
    let (client, trusted) = client(&hub, who.as_ref(), peer.map(|Extension(c)| c.0), &headers);
    let checked = blocking(&hub, move |hub| hub.verify_dossier(&client, trusted, &code, &req.phone_last4)).await?;
    match checked {
        Verified::Found(d) => Ok(Json(*d)),
        Verified::TooMany => Err(too_many()),
        Verified::NoMatch => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Mã hồ sơ hoặc 4 số cuối điện thoại không đúng.",
            "wrong dossier code or last four digits of the phone",
        )),
    }
}

async fn integration(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<String, ApiError> {
    match principal(hub, headers).await? {
        Principal::Device { name, role } if role == "integration" => Ok(name),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Chỉ hệ thống một cửa điện tử (mã tích hợp) được cập nhật hồ sơ.",
            "only the back office (integration token) may change dossiers",
        )),
    }
}

/// A dossier as the back office sends it: the import record's fields, the code in the path.
pub async fn put(
    State(hub): Hubs,
    PathArg(code): PathArg<String>,
    headers: HeaderMap,
    Body(body): Body<serde_json::Value>,
) -> Result<Json<ImportOutcome>, ApiError> {
    let source = integration(&hub, &headers).await?;
    let mut raw: RawRecord = serde_json::from_value(body).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request",
            format!("Hồ sơ không hợp lệ: {e}"),
            format!("invalid dossier: {e}"),
        )
    })?;
    raw.code = code;
    let mut problems = Vec::new();
    let record = check(raw, |field, message| problems.push(format!("{field}: {message}")));
    let Some(record) = record.filter(|_| problems.is_empty()) else {
        let text = problems.join("; ");
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request",
            format!("Hồ sơ không hợp lệ: {text}"),
            format!("invalid dossier: {text}"),
        ));
    };
    let calendar = hub.calendar();
    let outcome = run(&hub, move |store, config, clock| {
        let none = |_: &str, _: u8| None;
        dossier::import(store, config, &[record], &calendar, &none, &format!("api {source}"), clock)
    })
    .await?;
    Ok(Json(outcome))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub status: u8,
    #[serde(default)]
    pub note: String,
}

/// A new status from the back office, with its note (e.g. what to supplement).
pub async fn status(
    State(hub): Hubs,
    PathArg(code): PathArg<String>,
    headers: HeaderMap,
    Body(req): Body<StatusRequest>,
) -> Result<Json<PublicStatus>, ApiError> {
    integration(&hub, &headers).await?;
    let Some(status) = crate::domain::dossier::Status::from_code(req.status) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request",
            format!("Trạng thái {} không phải mã trạng thái quốc gia (1 đến 10).", req.status),
            format!("status {} is not a national status code (1 to 10)", req.status),
        ));
    };
    let note = req.note.chars().take(500).collect::<String>();
    let updated = run(&hub, move |store, _, clock| dossier::set_status(store, &code, status, &note, clock)).await?;
    updated.map(Json).ok_or_else(no_dossier)
}

/// What the counter hears back: the dossier, and what its printer did with the receipt.
#[derive(Serialize, Deserialize)]
pub struct ReceiveResponse {
    #[serde(flatten)]
    pub dossier: Received,
    pub printer: String,
    pub outcome: String,
    pub detail: Option<String>,
}

/// "Tiếp nhận hồ sơ" at a counter: a dossier for the ticket the counter is serving, linked to it, and its
/// receipt printed on the counter's printer. The dossier stands even if the receipt does not print (the
/// answer says so, and a QR slip can be printed later).
pub async fn receive(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<Receive>,
) -> Result<Json<ReceiveResponse>, ApiError> {
    let (desk, session) = counter_session(&hub, &headers, true).await?;
    let counter = desk.counter;
    // The receipt names who received the dossier: the staff member, or the counter for a login by its PIN.
    let receiver = session.staff.map_or_else(|| format!("Quầy {counter}"), |s| s.name);
    let calendar = hub.calendar();
    let received =
        run(&hub, move |store, config, clock| dossier::receive(store, config, &calendar, counter, &req, clock)).await?;
    let received =
        received.map_err(|refusal| ApiError::new(StatusCode::CONFLICT, "refused", refusal.vi(), refusal.en()))?;
    let printing = hub.clone();
    let dossier = received.clone();
    let printed = tokio::task::spawn_blocking(move || {
        let config = printing.config();
        // "10 giờ 00 phút, ngày 05/08/2026" → "Ngày 05 tháng 08 năm 2026"
        let day = dossier.received.rsplit("ngày ").next().unwrap_or("");
        let place_date = match day.split('/').collect::<Vec<_>>().as_slice() {
            [d, m, y] => format!("Ngày {d} tháng {m} năm {y}"),
            _ => format!("Ngày {day}"),
        };
        let appointment = match (&dossier.appointment, dossier.provisional) {
            (Some(a), true) => format!("{a} (dự kiến)"),
            (Some(a), false) => a.clone(),
            (None, _) => "Theo quy định".into(),
        };
        let info = crate::print::layout::ReceiptInfo {
            agency: config.center.name.clone(),
            place_date,
            dossier_code: dossier.code.clone(),
            applicant: dossier.applicant.clone(),
            procedure: dossier.procedure.clone(),
            documents: dossier.documents.iter().map(|d| (d.clone(), "đã nhận".to_string())).collect(),
            sets: 1,
            time_limit: dossier.time_limit.clone(),
            received_at: dossier.received.clone(),
            appointment,
            collect_at: dossier.collect_at.clone(),
            url: format!("{}/d/{}", config.queue.public_base_url.trim_end_matches('/'), dossier.token),
            receiver,
        };
        // Liên 1 for the office, then Liên 2 for the citizen; the answer tells of the citizen's copy.
        use crate::print::layout::{receipt, ReceiptCopy};
        let (_, office) = super::counters::print_at_counter(&printing, counter, &receipt(&info, ReceiptCopy::Office));
        if let crate::print::Outcome::NotPrinted { why, .. } = &office {
            tracing::warn!(why, "the office copy of a receipt did not print");
        }
        super::counters::print_at_counter(&printing, counter, &receipt(&info, ReceiptCopy::Citizen))
    })
    .await;
    let (printer, outcome) = printed.unwrap_or_else(|e| {
        let why = format!("printing stopped: {e}");
        (
            String::new(),
            crate::print::Outcome::NotPrinted { printer: crate::print::status::PrinterState::Error(why.clone()), why },
        )
    });
    let req = super::api::OutcomeRequest::of(&outcome);
    Ok(Json(ReceiveResponse { dossier: received, printer, outcome: req.outcome, detail: req.detail }))
}

/// The chip ID card scanned at the kiosk with the ticket this counter has called or is serving, to fill
/// in the receive form; 404 when there is none. Read by the counter's own session only, and never written
/// to the console's history or the log.
pub async fn held_card(State(hub): Hubs, headers: HeaderMap) -> Result<Json<HeldCard>, ApiError> {
    let (desk, _) = counter_session(&hub, &headers, false).await?;
    let counter = desk.counter;
    let held = look(&hub, move |store, _, clock| dossier::held_card(store, counter, clock)).await?;
    held.map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Công dân không quét thẻ căn cước khi lấy số.",
            "no ID card was scanned with this ticket",
        )
    })
}

/// A procedure as the receive dialog lists it.
#[derive(Serialize, Deserialize)]
pub struct ProcedureItem {
    pub code: String,
    pub name: String,
}

/// The catalog's current procedures, for a counter receiving a dossier.
pub async fn procedures(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Vec<ProcedureItem>>, ApiError> {
    counter_session(&hub, &headers, false).await?;
    let list = hub
        .read_async(|store, _, _| {
            let names = crate::app::catalog::names(store)?;
            Ok(names.into_iter().map(|(code, name)| ProcedureItem { code, name }).collect())
        })
        .await?;
    Ok(Json(list))
}

/// What printing a form answered: the form, the dossier, and what the counter's printer did.
#[derive(Serialize, Deserialize)]
pub struct FormResponse {
    pub form: crate::app::forms::Form,
    pub code: String,
    pub printer: String,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Prints form 02, 03 or 04 for a dossier on the counter's printer. The form is recorded (and the dossier's
/// status or appointment changed) before printing, so a printer failure loses nothing: the answer says so
/// and the form can be printed again.
pub async fn form(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<crate::app::forms::FormRequest>,
) -> Result<Json<FormResponse>, ApiError> {
    let (desk, session) = counter_session(&hub, &headers, true).await?;
    let issuer = session.staff.map_or_else(|| format!("Quầy {}", desk.counter), |s| s.name);
    let slip = run(&hub, move |store, _, clock| crate::app::forms::record(store, desk, &req, clock)).await?;
    let slip = slip.map_err(|refusal| {
        let status = match refusal {
            crate::app::forms::FormRefusal::UnknownDossier(_) => StatusCode::NOT_FOUND,
            crate::app::forms::FormRefusal::Closed(_) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, "refused", refusal.vi(), refusal.en())
    })?;
    let printing = hub.clone();
    let printed = tokio::task::spawn_blocking(move || {
        let config = printing.config();
        let today = printing.clock().now().to_offset(crate::domain::clock::VIETNAM);
        let place_date = format!("Ngày {:02} tháng {:02} năm {}", today.day(), u8::from(today.month()), today.year());
        let document = crate::print::layout::dossier_form(&config.center.name, &place_date, &slip, &issuer);
        let (printer, outcome) = super::counters::print_at_counter(&printing, desk.counter, &document);
        (slip, printer, outcome)
    })
    .await
    .map_err(|e| ApiError::from(crate::app::queue::QueueError::Stopped(format!("printing stopped: {e}"))))?;
    let (slip, printer, outcome) = printed;
    let req = super::api::OutcomeRequest::of(&outcome);
    Ok(Json(FormResponse { form: slip.form, code: slip.code, printer, outcome: req.outcome, detail: req.detail }))
}
