//! The province's public pages, for a citizen's phone on mobile data: a ticket's page (`/t/{token}`), a
//! dossier's (`/d/{token}`) and each hall's catalog (`/diem/{hall}/thu-tuc`, `/diem/{hall}/thu-tuc/{code}`;
//! `/thu-tuc` lists the halls), and a served ticket's rating (`POST /t/{token}/danh-gia`), which the hall
//! pulls (`GET /api/v1/ratings`, `serve::pull_ratings`). They are the hall's own pages (`hub::page`,
//! `hub::procedure_page`), made from what the hall pushed, and say how fresh that is. What never leaves
//! the hall does not show: a dossier's notes and documents.
//!
//! Bounds, besides the service's requests per client: a token is looked up in the database only when it
//! could be one, and lookups are counted per client before they are made (`LOOKUPS_PER_MINUTE`); a
//! lookup that finds its ticket or dossier is taken back, so that many phones behind one mobile
//! operator's address are never held up by each other.

use super::public_store::{PublicHall, PublicTicket};
use super::serve::{Pooled, Service};
use super::store::{Province, ProvinceError};
use crate::app::catalog::{Catalog, PublishedProcedure};
use crate::app::dossier::{step, Details, Shown};
use crate::app::queue::QueueError;
use crate::app::queue::TicketStatus;
use crate::app::rating::RatingView;
use crate::config::Center;
use crate::domain::catalog::Procedure;
use crate::domain::clock::millis;
use crate::domain::clock::{instant, local_stamp};
use crate::domain::estimate;
use crate::domain::rating::{self, Level, RatingRefusal, Source};
use crate::domain::ticket::TicketState;
use crate::hub::api::{ApiError, QueryArg};
use crate::hub::catalog::{no_procedure, Listing};
use crate::hub::page::RatingForm;
use crate::hub::page::{self, AsOf};
use crate::hub::procedure_page;
use crate::interchange::escape;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;

/// Lookups that find nothing, per client per minute.
pub const LOOKUPS_PER_MINUTE: u32 = 30;
/// No script at all; the pages' own style; faces and forms from this origin only.
pub(super) const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; \
                      frame-ancestors 'none'; base-uri 'none'";
/// A hall not heard from for this long is said to be late (a hub calls at least every five minutes).
pub const LATE_MS: i64 = 15 * 60_000;
/// Where a dossier's result is collected when its row does not say.
const COLLECT_AT: &str = "Bộ phận Tiếp nhận và Trả kết quả";

type Shared = State<Arc<Service>>;

/// Each hall's catalog as loaded for the public pages, with the stamp it was loaded at.
pub(super) type Catalogs = tokio::sync::Mutex<std::collections::HashMap<String, ((i64, i64), Arc<Catalog>)>>;

fn html(status: StatusCode, body: String, cache: &'static str) -> Response {
    crate::hub::headed((status, body).into_response(), "text/html; charset=utf-8", cache, POLICY)
}

/// Why a page could not be made.
enum Refusal {
    /// Nothing with this token (or hall, or code).
    NotFound,
    /// Too many lookups that found nothing from this client.
    TooMany,
    /// The database is busy or down.
    Unavailable,
}

impl From<ProvinceError> for Refusal {
    fn from(e: ProvinceError) -> Refusal {
        tracing::warn!(error = %e, "a public page could not be read");
        Refusal::Unavailable
    }
}

impl Refusal {
    fn error(&self) -> ApiError {
        match self {
            Refusal::NotFound => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "Không có phiếu hoặc hồ sơ này. Phiếu vừa lấy có trên trang này sau ít phút; nếu vẫn không có, \
                 hãy hỏi tại quầy.",
                "No such ticket or dossier. A ticket just taken shows here within a few minutes; if it still \
                 does not, ask at the counter.",
            ),
            Refusal::TooMany => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many",
                "Tra cứu quá nhiều lần; xin chờ một phút.",
                "Too many lookups; wait a minute.",
            ),
            Refusal::Unavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Trang tạm thời chưa xem được; xin thử lại sau ít phút.",
                "This page cannot be shown just now; try again in a few minutes.",
            ),
        }
    }

    fn page(&self) -> Response {
        let e = self.error();
        html(e.status, page::not_found("Dịch vụ công", &e), "no-store")
    }
}

/// Counts a lookup before it is made; `found` takes it back.
fn count_lookup(service: &Service, client: &str) -> Result<(), Refusal> {
    if service.lookups().lock().unwrap_or_else(|e| e.into_inner()).allow(client, service.now_ms()) {
        Ok(())
    } else {
        Err(Refusal::TooMany)
    }
}

/// The start of a lookup by a public token: refused without a trip to the database when it cannot be a
/// token, counted before the trip, and a connection to make it on.
async fn looking_up<'a>(service: &'a Service, client: &str, token: &str) -> Result<Pooled<'a>, Refusal> {
    if !crate::hub::plausible(token) {
        return Err(Refusal::NotFound);
    }
    count_lookup(service, client)?;
    service.database().await.map_err(|_| Refusal::Unavailable)
}

fn found(service: &Service, client: &str) {
    service.lookups().lock().unwrap_or_else(|e| e.into_inner()).refund(client, service.now_ms());
}

fn client_of(service: &Service, peer: SocketAddr, headers: &HeaderMap) -> String {
    crate::hub::net::client_of(Some(peer), headers, service.proxies())
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// How fresh a hall's figures are, as the page says it.
fn as_of(hall: &PublicHall, now_ms: i64) -> AsOf {
    let when = hall.last_push_ms.and_then(instant).map(local_stamp);
    match (when, hall.last_push_ms) {
        (Some(when), Some(at)) if now_ms - at <= LATE_MS => AsOf {
            vi: format!("Số liệu của {}, cập nhật lúc {when}.", hall.name),
            en: format!("Figures from {}, as of {when}.", hall.name),
            late: false,
        },
        (Some(when), _) => AsOf {
            vi: format!("{} chưa gửi số liệu mới từ {when}: thông tin trên có thể đã cũ. Hãy hỏi tại quầy.", hall.name),
            en: format!(
                "{} has sent nothing new since {when}: this may be out of date. Ask at the counter.",
                hall.name
            ),
            late: true,
        },
        _ => AsOf {
            vi: format!("{} chưa gửi số liệu.", hall.name),
            en: format!("{} has not sent its figures yet.", hall.name),
            late: true,
        },
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A service's entry in the hall's row.
fn service_of<'a>(hall: &'a PublicHall, code: &str) -> Option<&'a Value> {
    hall.body.as_ref()?.get("services")?.as_array()?.iter().find(|s| text(s, "code") == code)
}

/// The ticket's status as the hall's page words it, from the province's copy.
async fn ticket_status(province: &Province, t: &PublicTicket, hall: &PublicHall) -> Result<TicketStatus, Refusal> {
    let state = TicketState::parse(&t.state).ok_or(Refusal::NotFound)?;
    let service = service_of(hall, &t.service);
    let name = |key: &str| service.map(|s| text(s, key)).filter(|n| !n.is_empty()).unwrap_or(&t.service).to_string();
    let (ahead, wait_vi, wait_en) = if state == TicketState::Waiting {
        let ahead = u32::try_from(province.ahead(t).await?).unwrap_or(u32::MAX);
        // The hall's own figures for the estimate: its counters open for the service, its typical minutes.
        let figures = service.and_then(|s| Some((s.get("open")?.as_u64()?, s.get("typical_min")?.as_f64()?)));
        match figures {
            Some((open, typical)) => {
                let range = estimate::wait_range(ahead, u32::try_from(open).unwrap_or(1), typical);
                (Some(ahead), Some(estimate::wait_text(range)), Some(estimate::wait_text_en(range)))
            }
            None => (Some(ahead), None, None),
        }
    } else {
        (None, None, None)
    };
    let counter = if state.at_counter() { t.body.get("counter").and_then(Value::as_u64) } else { None };
    let counter = counter.and_then(|n| u32::try_from(n).ok());
    let counter_name = counter.map(|n| {
        let named = hall.body.as_ref().and_then(|b| {
            b.get("counters")?
                .as_array()?
                .iter()
                .find(|c| c.get("number").and_then(Value::as_u64) == Some(u64::from(n)))
        });
        named.map(|c| text(c, "name").to_string()).unwrap_or_else(|| format!("Quầy {n}"))
    });
    Ok(TicketStatus {
        number: text(&t.body, "number").to_string(),
        service: t.service.clone(),
        service_vi: name("name_vi"),
        service_en: name("name_en"),
        state,
        taken_at: instant(t.arrived_ms).map(local_stamp).unwrap_or_default(),
        ahead,
        wait_vi,
        wait_en,
        serving_now: province.serving(&t.hall, &t.day, &t.service).await?,
        counter,
        counter_name,
    })
}

/// A dossier's details as the hall's page shows them, from the province's copy: no notes, no documents.
async fn details(province: &Province, hall: &str, body: &Value) -> Result<Details, Refusal> {
    let id = body.get("id").and_then(Value::as_i64).ok_or(Refusal::NotFound)?;
    let code = text(body, "procedure_code");
    let version = body.get("procedure_version").and_then(Value::as_i64).unwrap_or(0);
    let procedure = province.procedure_name(hall, code, version).await?.unwrap_or_else(|| code.to_string());
    let collect_at = Some(text(body, "collect_at")).filter(|c| !c.is_empty()).unwrap_or(COLLECT_AT);
    let shown = Shown {
        code: text(body, "code"),
        procedure: &procedure,
        status: body.get("status").and_then(Value::as_u64).and_then(|s| u8::try_from(s).ok()).unwrap_or(0),
        appointment_ms: body.get("appointment_ms").and_then(Value::as_i64),
        // SQLite writes a yes/no as 1 or 0.
        provisional: body.get("appointment_provisional").is_some_and(|p| p.as_i64() == Some(1) || p == true),
        collect_at,
    };
    let steps = province.dossier_steps(hall, id).await?;
    Ok(Details {
        public: shown.public(now()),
        applicant: text(body, "applicant").to_string(),
        timeline: steps
            .into_iter()
            .map(|(at, status)| step(at, u8::try_from(status).unwrap_or(0), String::new()))
            .collect(),
        documents: Vec::new(),
        token: String::new(),
    })
}

async fn hall_of(province: &Province, hall: &str) -> Result<PublicHall, Refusal> {
    province.public_hall(hall).await?.ok_or(Refusal::NotFound)
}

/// The hall's rating settings from its row: the reason chips, and the minutes a rating may be changed.
fn rating_settings(hall: &PublicHall) -> (Vec<String>, u32) {
    let body = hall.body.as_ref();
    let reasons = body
        .and_then(|b| b.get("rating_reasons")?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    let minutes = body.and_then(|b| b.get("rating_change_minutes")?.as_u64()).unwrap_or(10);
    (reasons, u32::try_from(minutes).unwrap_or(10))
}

/// A ticket's rating as its page shows it: one given here and not yet pulled by the hall, else the hall's
/// as pushed (which holds the one given here once pulled), else the one given here. Whether the page's
/// holder gave it (a rating from the counter's tablet cannot be changed from a phone). The time it may be
/// changed until is counted from when it was first given here, on the province's clock, if it was.
async fn rating_of(
    province: &Province,
    t: &PublicTicket,
    token: &str,
    change_minutes: u32,
) -> Result<Option<(RatingView, bool)>, Refusal> {
    let sent = province.sent_rating(&t.hall, token).await?;
    let pushed = province.pushed_rating(&t.hall, t.id).await?;
    let first_here = sent.as_ref().map(|s| s.rated_ms);
    let (level, reasons, complaint, rated_ms, source) = match (sent, pushed) {
        (Some(s), _) if !s.delivered => (s.level, s.reasons, s.complaint, s.rated_ms, Source::Phone),
        (_, Some(p)) => {
            let reasons = p.get("reasons").and_then(Value::as_array).cloned().unwrap_or_default();
            let reasons = reasons.iter().filter_map(|r| r.as_str().map(str::to_string)).collect();
            // Its words stay in the hall: the page says only that it was received.
            let complaint = (p.get("complained") == Some(&Value::Bool(true))).then(String::new);
            let rated_ms = p.get("rated_ms").and_then(Value::as_i64).unwrap_or(0);
            let source = Source::parse(text(&p, "source")).unwrap_or(Source::Phone);
            (text(&p, "level").to_string(), reasons, complaint, rated_ms, source)
        }
        (Some(s), None) => (s.level, s.reasons, None, s.rated_ms, Source::Phone),
        (None, None) => return Ok(None),
    };
    let Some(level) = Level::parse(&level) else { return Ok(None) };
    let (level_vi, level_en) = level.words();
    let view = RatingView {
        number: text(&t.body, "number").to_string(),
        level,
        level_vi: level_vi.into(),
        level_en: level_en.into(),
        reasons,
        complaint,
        source,
        changeable_until_ms: first_here.unwrap_or(rated_ms) + i64::from(change_minutes) * 60_000,
    };
    Ok(Some((view, source != Source::Tablet)))
}

/// The ticket's page; `error` says why the rating just sent was refused.
async fn ticket_page(service: &Service, client: &str, token: &str, error: Option<ApiError>) -> Response {
    let made = async {
        let province = looking_up(service, client, token).await?;
        let t = province.public_ticket(token).await?.ok_or(Refusal::NotFound)?;
        found(service, client);
        let hall = hall_of(&province, &t.hall).await?;
        let status = ticket_status(&province, &t, &hall).await?;
        let dossier = match province.dossier_of_ticket(&t.hall, t.id).await? {
            Some(body) => Some(details(&province, &t.hall, &body).await?),
            None => None,
        };
        let (reasons, change_minutes) = rating_settings(&hall);
        let rated = rating_of(&province, &t, token, change_minutes).await?;
        let now_ms = millis(now());
        let form = RatingForm {
            token,
            rating: rated.as_ref().map(|(view, _)| view),
            reasons: &reasons,
            now_ms,
            error: error.as_ref(),
        };
        let fresh = as_of(&hall, now_ms);
        Ok::<_, Refusal>(page::ticket(&hall.name, &status, dossier.as_ref(), Some(&form), Some(&fresh)))
    };
    match made.await {
        Ok(body) => html(error.as_ref().map_or(StatusCode::OK, |e| e.status), body, "no-store"),
        Err(refusal) => refusal.page(),
    }
}

/// `/t/{token}`: the ticket's place in line, then the dossier received under it, and once served, the
/// rating.
pub(super) async fn ticket(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let client = client_of(&service, peer, &headers);
    ticket_page(&service, &client, &token, None).await
}

/// `POST /t/{token}/danh-gia`: a rating from the ticket's page (`level`, each ticked `reason`,
/// `complaint`), checked by the hall's own rules and kept until the hall pulls it; the page again (303),
/// or with why it was refused. Nothing is kept of a refused one.
pub(super) async fn rate(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    req: Request,
) -> Response {
    let client = client_of(&service, peer, req.headers());
    let Some(pairs) = super::web::form(&service, req).await else {
        let e = ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "Biểu mẫu không hợp lệ.", "invalid form");
        return ticket_page(&service, &client, &token, Some(e)).await;
    };
    let kept = async {
        let province = looking_up(&service, &client, &token).await?;
        let t = province.public_ticket(&token).await?.ok_or(Refusal::NotFound)?;
        found(&service, &client);
        let hall = hall_of(&province, &t.hall).await?;
        let (allowed, change_minutes) = rating_settings(&hall);
        let refused = |r: RatingRefusal| Ok(Err(ApiError::from(QueueError::Rating(r))));
        let Some(level) = Level::parse(&super::web::field(&pairs, "level")) else {
            return Ok(Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "refused",
                "Hãy chọn một mức đánh giá.",
                "choose one of the four levels",
            )));
        };
        let reasons: Vec<String> = pairs.iter().filter(|(k, _)| k == "reason").map(|(_, v)| v.clone()).collect();
        let complaint = super::web::field(&pairs, "complaint");
        let given = match rating::check(level, &reasons, Some(&complaint), &allowed) {
            Ok(given) => given,
            Err(r) => return refused(r),
        };
        if let Err(r) = rating::may_rate(TicketState::parse(&t.state).unwrap_or(TicketState::Waiting)) {
            return refused(r);
        }
        let now_ms = millis(now());
        if let Some((old, ours)) = rating_of(&province, &t, &token, change_minutes).await? {
            let first_ms = old.changeable_until_ms - i64::from(change_minutes) * 60_000;
            if let Err(r) = rating::may_change(first_ms, now_ms, change_minutes, ours) {
                return refused(r);
            }
        }
        let sent = (level.as_str(), given.reasons.as_slice(), given.complaint.as_deref());
        province.put_rating(&t.hall, &token, sent, now_ms).await?;
        Ok::<_, Refusal>(Ok(()))
    };
    match kept.await {
        Ok(Ok(())) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/t/{token}#danh-gia"))]).into_response(),
        Ok(Err(e)) => ticket_page(&service, &client, &token, Some(e)).await,
        Err(refusal) => refusal.page(),
    }
}

/// `/mat/{level}.svg`: the faces the rating's buttons show, as the hall serves them.
pub(super) async fn face(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").and_then(Level::parse) {
        Some(level) => {
            crate::hub::headed(page::face_svg(level).into_response(), "image/svg+xml", "max-age=86400", POLICY)
        }
        None => Refusal::NotFound.page(),
    }
}

/// `/d/{token}`: a dossier's status, appointment and timeline.
pub(super) async fn dossier(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let client = client_of(&service, peer, &headers);
    let made = async {
        let province = looking_up(&service, &client, &token).await?;
        let (hall, body) = province.public_dossier(&token).await?.ok_or(Refusal::NotFound)?;
        found(&service, &client);
        let public = hall_of(&province, &hall).await?;
        let d = details(&province, &hall, &body).await?;
        Ok::<_, Refusal>(page::dossier(&public.name, &d, Some(&as_of(&public, millis(now())))))
    };
    match made.await {
        Ok(body) => html(StatusCode::OK, body, "no-store"),
        Err(refusal) => refusal.page(),
    }
}

/// A hall's published catalog, loaded again when its stamp moved.
async fn catalog_of(service: &Service, province: &Province, hall: &str) -> Result<Arc<Catalog>, Refusal> {
    let stamp = province.catalog_stamp(hall).await?;
    let mut kept = service.catalogs().lock().await;
    if let Some((at, catalog)) = kept.get(hall) {
        if *at == stamp {
            return Ok(catalog.clone());
        }
    }
    let mut procedures = Vec::new();
    for (version, published_at, procedure) in province.catalog(hall).await? {
        // Checked as an import checks: the page shows nothing the hall would refuse.
        match serde_json::from_value::<Procedure>(procedure) {
            Ok(p) if p.problems().is_empty() => {
                procedures.push(PublishedProcedure { version, published_at, procedure: p })
            }
            Ok(p) => tracing::warn!(%hall, code = %p.code, "a pushed procedure is not shown: it has problems"),
            Err(e) => tracing::warn!(%hall, error = %e, "a pushed procedure cannot be read"),
        }
    }
    let published = crate::app::catalog::Published { stamp: String::new(), procedures };
    let catalog = Arc::new(published.into_catalog(service.synonyms()));
    kept.insert(hall.to_string(), (stamp, catalog.clone()));
    Ok(catalog)
}

/// The hall as a procedure's page names the place to submit it.
fn center_of(hall: &PublicHall) -> Center {
    let body = hall.body.clone().unwrap_or(Value::Null);
    Center {
        name: hall.name.clone(),
        address: text(&body, "address").to_string(),
        hours: text(&body, "hours").to_string(),
        phone: text(&body, "phone").to_string(),
        ..Center::default()
    }
}

/// `/thu-tuc`: the halls, each linking to its catalog.
pub(super) async fn halls(State(service): Shared) -> Response {
    let province = match service.database().await {
        Ok(p) => p,
        Err(_) => return Refusal::Unavailable.page(),
    };
    let halls = match province.halls().await {
        Ok(h) => h,
        Err(e) => return Refusal::from(e).page(),
    };
    let mut body = String::from(
        "<h2>Chọn nơi nộp hồ sơ <span class=\"en\">· Choose where you submit</span></h2><ul class=\"list\">",
    );
    for (id, name) in &halls {
        body.push_str(&format!(
            "<li><a href=\"/diem/{}/thu-tuc\"><b>{}</b><span class=\"en\">Thủ tục hành chính · Procedures</span></a></li>",
            escape(id),
            escape(name)
        ));
    }
    body.push_str("</ul>");
    let title = "Thủ tục hành chính";
    html(StatusCode::OK, procedure_page::page(title, title, &body), "public, max-age=60")
}

/// `/diem/{hall}/thu-tuc`: a hall's catalog, as on the hall's own `/thu-tuc`.
pub(super) async fn catalog(
    State(service): Shared,
    Path(hall): Path<String>,
    query: Result<QueryArg<Listing>, ApiError>,
) -> Response {
    let base = format!("/diem/{hall}");
    let made = async {
        if !super::store::valid_hall_id(&hall) {
            return Err(Refusal::NotFound);
        }
        let province = service.database().await.map_err(|_| Refusal::Unavailable)?;
        let public = hall_of(&province, &hall).await?;
        let listing = match query.map_err(|_| crate::hub::catalog::bad_query()).and_then(|QueryArg(l)| l.checked()) {
            Ok(l) => l,
            Err(e) => return Ok((e.status, procedure_page::error(&public.name, &base, &e))),
        };
        let catalog = catalog_of(&service, &province, &hall).await?;
        let limit = service.config().catalog.search_limit;
        Ok((StatusCode::OK, listing.page(&public.name, &base, &catalog, limit)))
    };
    match made.await {
        Ok((status, body)) => html(status, body, "public, max-age=60"),
        Err(refusal) => refusal.page(),
    }
}

/// `/diem/{hall}/thu-tuc/{code}`: one procedure of a hall's catalog, and where to submit it there.
pub(super) async fn procedure(State(service): Shared, Path((hall, code)): Path<(String, String)>) -> Response {
    let base = format!("/diem/{hall}");
    let made = async {
        if !super::store::valid_hall_id(&hall) {
            return Err(Refusal::NotFound);
        }
        let province = service.database().await.map_err(|_| Refusal::Unavailable)?;
        let public = hall_of(&province, &hall).await?;
        if crate::domain::catalog::check_code(&code).is_err() {
            return Ok((StatusCode::NOT_FOUND, procedure_page::error(&public.name, &base, &no_procedure())));
        }
        let catalog = catalog_of(&service, &province, &hall).await?;
        Ok(crate::hub::catalog::procedure_of(&center_of(&public), &base, &catalog, &code))
    };
    match made.await {
        Ok((status, body)) => html(status, body, "public, max-age=60"),
        Err(refusal) => refusal.page(),
    }
}
