//! Staff sessions: the check of a staff member's username and secret (through the one guarded login), a
//! login without a counter (a leader reading the reports), logout of any session, who is logged in, and a
//! staff member's change of their own PIN.

use super::auth::{any_session, blocking, SESSION_COOKIE};
use super::counters::StaffView;
use super::guard::{self, LoginRefusal, Passed};
use super::reply::{ApiError, Body};
use super::Hub;
use crate::app::counter;
use crate::app::queue::QueueError;
use crate::app::staff;
use crate::domain::staff::StaffRefusal;
use crate::store::staff::Staff;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

fn wrong() -> ApiError {
    ApiError::from(QueueError::Staff(StaffRefusal::WrongLogin))
}

/// Checks a staff member's username and secret through the guarded login check. An unknown or disabled
/// account is checked like a wrong secret, and all of them share one count ("staff:?"), so that guessing
/// usernames neither tells which exist nor grows the hub's memory.
pub(super) async fn check(
    hub: &Arc<Hub>,
    client: &str,
    headers: &HeaderMap,
    username: &str,
    secret: String,
) -> Result<(Staff, Passed), ApiError> {
    let name = username.to_string();
    let found = hub.read_async(move |store, _, _| staff::for_login(store, &name)).await?;
    let (principal, hash) = match &found {
        Some((account, hash)) => (format!("staff:{}", account.username), Some(hash.clone())),
        None => ("staff:?".to_string(), None),
    };
    match guard::login(hub, &principal, client, headers, hash, secret).await {
        Ok(passed) => found.map(|(account, _)| (account, passed)).ok_or_else(wrong),
        Err(LoginRefusal::Refused(r)) => Err(guard::refusal(r)),
        Err(_) => Err(wrong()),
    }
}

/// Ends a session (logout): at a counter it is an event. The hub forgets the token after the database
/// does, so that a request in between cannot remember the session again.
pub(super) async fn end_session(hub: &Arc<Hub>, token: String) -> Result<Response, ApiError> {
    let ended = token.clone();
    hub.change_async(move |store, _, clock| counter::logout(store, &ended, clock)).await?;
    hub.forget(&token);
    hub.logins_changed();
    let mut response = StatusCode::NO_CONTENT.into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffLogin {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub bearer: bool,
}

/// Logs a staff member in without a counter (a leader opening the reports).
pub(super) async fn login(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<StaffLogin>,
) -> Result<Response, ApiError> {
    let client = hub.client_of(peer.map(|Extension(c)| c.0), &headers);
    let (account, passed) = check(&hub, &client, &headers, &req.username, req.password).await?;
    let login = hub
        .change_async(move |store, config, clock| counter::open_session(store, config, None, Some(account), clock))
        .await?;
    let body = super::counters::LoginResponse {
        counter: None,
        staff: login.staff.as_ref().map(StaffView::from),
        csrf: login.csrf.clone(),
        expires_ms: login.expires_ms,
        session: req.bearer.then(|| login.session.clone()),
    };
    let granted = guard::Granted::session(&hub, &login.session);
    Ok(guard::session_response(Json(body), granted, &passed, "/api/v1/staff/login"))
}

pub(super) async fn logout(State(hub): Hubs, headers: HeaderMap) -> Result<Response, ApiError> {
    let session = any_session(&hub, &headers, true).await?;
    end_session(&hub, session.token).await
}

/// Who a session belongs to.
#[derive(Serialize, Deserialize)]
pub struct Whoami {
    pub counter: Option<u32>,
    pub staff: Option<StaffView>,
    pub csrf: String,
}

pub(super) async fn me(State(hub): Hubs, headers: HeaderMap) -> Result<Json<Whoami>, ApiError> {
    let s = any_session(&hub, &headers, false).await?;
    Ok(Json(Whoami { counter: s.counter, staff: s.staff.as_ref().map(StaffView::from), csrf: s.csrf }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretChange {
    pub current: String,
    pub new: String,
}

/// A staff member changes their own PIN or password: the current one is checked through the guarded login
/// check (an unattended console does not let a passer-by guess it), then the account's other sessions end.
pub(super) async fn change_secret(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(req): Body<SecretChange>,
) -> Result<StatusCode, ApiError> {
    let session = any_session(&hub, &headers, true).await?;
    let Some(account) = session.staff.clone() else {
        return Err(ApiError::forbidden(
            "Đăng nhập bằng mã PIN của quầy không có mã PIN riêng để đổi.",
            "a login with the counter's PIN has no PIN of its own to change",
        ));
    };
    let client = hub.client_of(peer.map(|Extension(c)| c.0), &headers);
    let checked = check(&hub, &client, &headers, &account.username, req.current).await;
    match checked {
        Ok((found, _)) if found.id == account.id => {}
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => return Err(e),
        _ => return Err(ApiError::from(QueueError::Staff(StaffRefusal::WrongCurrent))),
    }
    let (id, token, new) = (account.id, session.token.clone(), req.new);
    hub.change_async(move |store, config, clock| staff::change_own_secret(store, config, id, &token, &new, clock))
        .await?;
    let _ = blocking(&hub, |hub| hub.check_revocations()).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub by: Option<crate::domain::report::By>,
}

/// The hall's report for a period, for a leader (docs/reports.md): computed on a read-only connection, so a
/// year's report never holds up a ticket.
pub(super) async fn report(
    State(hub): Hubs,
    headers: HeaderMap,
    super::reply::QueryArg(q): super::reply::QueryArg<ReportQuery>,
) -> Result<Json<crate::domain::report::Report>, ApiError> {
    super::auth::staff_with(&hub, &headers, crate::domain::staff::Role::Leader, false).await?;
    let bad = |e: crate::app::report::PeriodError| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
            format!("Khoảng thời gian không hợp lệ: {e}"),
            e.to_string(),
        )
    };
    let (from, to) = (crate::app::report::date(&q.from).map_err(bad)?, crate::app::report::date(&q.to).map_err(bad)?);
    let by = q.by;
    let made = hub
        .read_async(move |store, config, clock| crate::app::report::report(store, config, from, to, by, clock))
        .await?;
    Ok(Json(made.map_err(bad)?))
}
