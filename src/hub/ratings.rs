//! Ratings over HTTP: the served ticket's phone page asks for one (a form, no scripts), JSON by the
//! ticket's token for the kiosk and scripts, and by number for the counter's paired tablet only: a
//! number is printed large and called aloud, so knowing it is never enough anywhere else.

use super::api::{ApiError, Body, FormBody, PathArg};
use super::auth::{blocking, counter_session, plausible, principal, Principal, TABLET_COOKIE};
use super::guard::{self, LoginRefusal};
use super::page::{self, RatingForm};
use super::Hub;
use crate::app::queue::{self, QueueError};
use crate::app::rating::{self, RatingView, Sent, Which};
use crate::domain::clock::millis;
use crate::domain::rating::{Level, RatingRefusal, Source};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

/// The ticket's page (`/t/{token}`): its place in line, the dossier received under it, and once served,
/// the rating; `error` says why the rating just sent was refused.
async fn render(hub: &Arc<Hub>, token: String, error: Option<ApiError>) -> Response {
    let center = hub.config().center.name.clone();
    // The ticket, its dossier and its rating, in one trip to the database.
    let found = match plausible(&token) {
        false => Ok(None),
        true => {
            let token = token.clone();
            hub.read_async(move |store, config, clock| {
                let Some(status) = queue::status_by_token(store, config, &token, clock)? else { return Ok(None) };
                // A dossier that cannot be read leaves the ticket's page as it was, and says so in the log.
                let linked = crate::app::dossier::by_ticket(store, &token, clock)
                    .inspect_err(|e| tracing::error!(error = %e, "the ticket's dossier cannot be read"))
                    .ok()
                    .flatten();
                let rated = rating::of_ticket(store, config, &token)?;
                Ok(Some((status, linked, rated)))
            })
            .await
        }
    };
    match found.map_err(ApiError::from).and_then(|f| f.ok_or_else(ApiError::not_found)) {
        Ok((status, linked, rated)) => {
            let form = RatingForm {
                token: &token,
                rating: rated.as_ref(),
                reasons: &hub.config().ratings.reasons,
                now_ms: millis(hub.clock().now()),
                error: error.as_ref(),
            };
            let html = page::ticket(&center, &status, linked.as_ref(), Some(&form), None);
            (error.map_or(StatusCode::OK, |e| e.status), Html(html)).into_response()
        }
        Err(e) => (e.status, Html(page::not_found(&center, &e))).into_response(),
    }
}

pub(super) async fn ticket_page(State(hub): Hubs, PathArg(token): PathArg<String>) -> Response {
    render(&hub, token, None).await
}

async fn rate(hub: &Arc<Hub>, which: Which, sent: Sent, source: Source) -> Result<RatingView, ApiError> {
    Ok(hub.change_async(move |store, config, clock| rating::rate(store, config, &which, &sent, source, clock)).await?)
}

/// The phone page's form: `level` (the face pressed), `reason` (each ticked chip), `complaint`. A good
/// rating goes back to the page (303), which thanks; a refused one shows the page with why.
pub(super) async fn rate_form(
    State(hub): Hubs,
    PathArg(token): PathArg<String>,
    FormBody(pairs): FormBody,
) -> Response {
    if !plausible(&token) {
        return render(&hub, token, None).await;
    }
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let Some(level) = field("level").as_deref().and_then(Level::parse) else {
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
            "Hãy chọn một mức đánh giá.",
            "choose one of the four levels",
        );
        return render(&hub, token, Some(e)).await;
    };
    let reasons = pairs.iter().filter(|(k, _)| k == "reason").map(|(_, v)| v.clone()).collect();
    let sent = Sent { level, reasons, complaint: field("complaint") };
    match rate(&hub, Which::Token(token.clone()), sent, Source::Phone).await {
        Ok(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/t/{token}#danh-gia"))]).into_response(),
        Err(e) => render(&hub, token, Some(e)).await,
    }
}

/// A ticket's rating, if any (the kiosk shows it before asking again).
pub(super) async fn of_ticket(
    State(hub): Hubs,
    PathArg(token): PathArg<String>,
) -> Result<Json<Option<RatingView>>, ApiError> {
    if !plausible(&token) {
        return Err(ApiError::not_found());
    }
    let found = hub.read_async(move |store, config, _| rating::of_ticket(store, config, &token)).await?;
    Ok(Json(found))
}

/// A rating by the ticket's token, as JSON: from a kiosk (its bearer token) or a script on a phone.
pub(super) async fn rate_by_token(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(token): PathArg<String>,
    Body(sent): Body<Sent>,
) -> Result<Json<RatingView>, ApiError> {
    if !plausible(&token) {
        return Err(ApiError::from(QueueError::Rating(RatingRefusal::UnknownTicket)));
    }
    let source = match principal(&hub, &headers).await {
        Ok(Principal::Device { role, .. }) if role == "kiosk" => Source::Kiosk,
        _ => Source::Phone,
    };
    Ok(Json(rate(&hub, Which::Token(token), sent, source).await?))
}

/// A rating by number: only the counter's paired tablet may (it rates what its counter just finished).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByNumber {
    pub number: String,
    pub level: Level,
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub complaint: Option<String>,
}

pub(super) async fn rate_by_number(
    State(hub): Hubs,
    headers: HeaderMap,
    Body(req): Body<ByNumber>,
) -> Result<Json<RatingView>, ApiError> {
    let counter = match principal(&hub, &headers).await {
        Ok(Principal::Tablet(t)) => t.check(&headers)?,
        _ => return Err(ApiError::from(QueueError::Rating(RatingRefusal::ByNumber))),
    };
    let sent = Sent { level: req.level, reasons: req.reasons, complaint: req.complaint };
    let which = Which::AtCounter { number: req.number, counter };
    Ok(Json(rate(&hub, which, sent, Source::Tablet).await?))
}

/// A one-time code staff read from the console to pair the counter's tablet.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct TabletCode {
    pub code: String,
    pub expires_ms: i64,
}

pub(super) async fn tablet_code(State(hub): Hubs, headers: HeaderMap) -> Result<Json<TabletCode>, ApiError> {
    let (desk, _) = counter_session(&hub, &headers, true).await?;
    let (code, expires_ms) =
        hub.change_async(move |store, _, clock| rating::tablet_code(store, desk.counter, clock)).await?;
    Ok(Json(TabletCode { code, expires_ms }))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub counter: u32,
    pub code: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Paired {
    pub counter: u32,
    pub csrf: String,
}

/// Pairs a tablet with the code staff read from the console. The code is checked through the guarded
/// login (`tablet:3`), so that it cannot be guessed in the minutes it lives; the tablet gets an HttpOnly
/// cookie bound to the counter (a browser's event stream cannot send a bearer token) and a CSRF token.
pub(super) async fn pair(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<Pair>,
) -> Result<Response, ApiError> {
    let counter = req.counter;
    let client = hub.client_of(peer.map(|Extension(c)| c.0), &headers);
    let known = hub.config().counters.iter().any(|c| c.number == counter);
    let principal = if known { format!("tablet:{counter}") } else { "tablet:?".to_string() };
    let hash = match known {
        true => hub.read_async(move |store, _, clock| rating::tablet_code_hash(store, counter, clock)).await?,
        false => None,
    };
    let passed = match guard::login(&hub, &principal, &client, &headers, hash, req.code.trim().to_string()).await {
        Ok(passed) => passed,
        Err(LoginRefusal::Refused(r)) => return Err(guard::refusal(r)),
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "refused",
                "Số quầy hoặc mã ghép không đúng, hoặc mã đã hết hạn. Lấy mã mới trên máy tính của quầy.",
                "wrong counter or pairing code, or the code expired: get a new one on the counter's console",
            ))
        }
    };
    let (token, csrf) = hub.change_async(move |store, _, clock| rating::pair_tablet(store, counter, clock)).await?;
    // The tablet it replaced is forgotten now, not at the hub's next look.
    let _ = blocking(&hub, |hub| hub.check_revocations()).await;
    // A year: the tablet stays paired until another is paired to the counter.
    let granted = guard::Granted { name: TABLET_COOKIE, value: &token, max_age_s: 31_536_000 };
    let response = guard::session_response(Json(Paired { counter, csrf }), granted, &passed, "/api/v1/tablet/pair");
    Ok(response)
}

/// What the tablet shows, and its CSRF token.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct TabletState {
    #[serde(flatten)]
    pub view: rating::TabletView,
    pub csrf: String,
}

pub(super) async fn tablet(State(hub): Hubs, headers: HeaderMap) -> Result<Json<TabletState>, ApiError> {
    let Ok(Principal::Tablet(t)) = principal(&hub, &headers).await else {
        return Err(ApiError::unauthorized());
    };
    let counter = t.counter;
    let view = hub.read_async(move |store, config, clock| rating::tablet_view(store, config, counter, clock)).await?;
    Ok(Json(TabletState { view, csrf: t.csrf }))
}

/// A level's face (`/mat/neutral.svg`), for the phone page and the tablet.
pub(super) async fn face(PathArg(file): PathArg<String>) -> Response {
    let Some(level) = file.strip_suffix(".svg").and_then(Level::parse) else {
        return ApiError::not_found().into_response();
    };
    let headers = [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "max-age=86400")];
    (headers, page::face_svg(level)).into_response()
}
