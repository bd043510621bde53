//! `/bao-cao`: the leader's report page. Served by the hub as HTML with the charts drawn in it, with no
//! script: a login form for a `leader` account, a period picker (a form that reloads the page), the
//! report, and a logout. It prints on A4 from the browser. The report is computed on the hub's read-only
//! connections, so a year's report never holds up a ticket.

use super::auth::staff_with;
use super::console::page_response;
use super::reply::{same_secret, ApiError, FormBody, QueryArg};
use super::{guard, staff as accounts, Hub};
use crate::app::report::{self, quick_periods};
use crate::domain::clock::local_day;
use crate::domain::report::By;
use crate::domain::staff::Role;
use crate::interchange::escape;
use crate::interchange::report_page::{self, Names};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

pub const STYLE: &str = report_page::STYLE;

pub async fn style() -> Response {
    super::console::asset(STYLE, "text/css; charset=utf-8")
}

fn shell(center: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/bao-cao/bao-cao.css\"></head><body><main>\
         {}{body}</main></body></html>",
        escape(title),
        report_page::heading(&Names { center: center.to_string(), ..Names::default() }),
    )
}

/// The login form, with what went wrong if anything did.
fn login_page(hub: &Hub, status: StatusCode, problem: Option<&ApiError>) -> Response {
    let problem = problem.map_or(String::new(), |e| {
        format!("<p class=\"err\" role=\"alert\">{} <span class=\"en\">{}</span></p>", escape(&e.vi), escape(&e.en))
    });
    let body = format!(
        "<form class=\"login\" method=\"post\" action=\"/bao-cao/dang-nhap\">\
         <h2>Đăng nhập để xem báo cáo <span class=\"en\">Leader login</span></h2>{problem}\
         <label>Tên đăng nhập <span class=\"en\">username</span>\
         <input name=\"username\" autocomplete=\"username\" required maxlength=\"64\" autofocus></label>\
         <label>Mã PIN hoặc mật khẩu <span class=\"en\">PIN or password</span>\
         <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"128\"></label>\
         <button type=\"submit\">Đăng nhập <span class=\"en\">Log in</span></button></form>"
    );
    page_response(status, shell(&hub.config().center.name, "Báo cáo · đăng nhập", &body))
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
}

fn by_of(text: Option<&str>) -> Option<By> {
    match text {
        Some("service") => Some(By::Service),
        Some("counter") => Some(By::Counter),
        Some("staff") => Some(By::Staff),
        _ => None,
    }
}

/// The page: the login form, or the period picker and the report.
pub async fn page(State(hub): Hubs, headers: HeaderMap, QueryArg(q): QueryArg<PageQuery>) -> Response {
    let (account, session) = match staff_with(&hub, &headers, Role::Leader, false).await {
        Ok(found) => found,
        Err(e) if e.status == StatusCode::UNAUTHORIZED => return login_page(&hub, StatusCode::OK, None),
        Err(e) => return login_page(&hub, e.status, Some(&e)),
    };
    let by = by_of(q.by.as_deref());
    let (from_text, to_text) = (q.from.clone(), q.to.clone());
    let made = hub
        .read_async(move |store, config, clock| {
            let today = local_day(clock.now());
            // Without a period: this month so far.
            let month_start = format!("{}-01", today.get(..7).unwrap_or_default());
            let from =
                report::date(from_text.as_deref().unwrap_or(if to_text.is_none() { &month_start } else { &today }));
            let to = report::date(to_text.as_deref().unwrap_or(&today));
            let names = report::names(store, config)?;
            let made = match (from, to) {
                (Ok(from), Ok(to)) => report::report(store, config, from, to, by, clock)?,
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            Ok((today, names, made))
        })
        .await;
    let (today, names, made) = match made {
        Ok(found) => found,
        Err(e) => return login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    };
    let shown_from = q.from.clone().unwrap_or_else(|| made.as_ref().map_or(today.clone(), |r| r.period.from.clone()));
    let shown_to = q.to.clone().unwrap_or_else(|| made.as_ref().map_or(today.clone(), |r| r.period.to.clone()));
    let mut body = picker(&shown_from, &shown_to, by, &account.name, &session.csrf);
    body.push_str("<nav class=\"quick\" aria-label=\"Kỳ báo cáo\">");
    for (_, label, from, to) in quick_periods(&today).iter().map(|(k, f, t, l)| (k, l, f, t)) {
        let by = q.by.as_deref().filter(|b| by_of(Some(b)).is_some()).map_or(String::new(), |b| format!("&amp;by={b}"));
        let _ = write!(body, "<a href=\"/bao-cao?from={from}&amp;to={to}{by}\">{label}</a>");
    }
    body.push_str("</nav><p class=\"print-hint\">In báo cáo trên khổ A4: Ctrl+P · Print on A4 with Ctrl+P</p>");
    let status = match &made {
        Ok(r) => {
            body.push_str(&report_page::body(r, &names));
            StatusCode::OK
        }
        Err(e) => {
            let _ = write!(
                body,
                "<p class=\"err\" role=\"alert\">Khoảng thời gian không hợp lệ: {} <span class=\"en\">invalid period</span></p>",
                escape(&e.to_string())
            );
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page_response(status, shell(&names.center, "Báo cáo", &body))
}

fn picker(from: &str, to: &str, by: Option<By>, name: &str, csrf: &str) -> String {
    let option = |value: &str, label: &str, on: bool| {
        format!("<option value=\"{value}\"{}>{label}</option>", if on { " selected" } else { "" })
    };
    format!(
        "<form class=\"bar\" method=\"get\" action=\"/bao-cao\">\
         <label>Từ ngày <span class=\"en\">from</span><input type=\"date\" name=\"from\" value=\"{}\" required></label>\
         <label>Đến ngày <span class=\"en\">to</span><input type=\"date\" name=\"to\" value=\"{}\" required></label>\
         <label>Chi tiết theo <span class=\"en\">breakdown</span><select name=\"by\">{}{}{}{}</select></label>\
         <button type=\"submit\">Xem báo cáo <span class=\"en\">Show</span></button>\
         <span class=\"who\">{} <button type=\"submit\" form=\"dang-xuat\">Đăng xuất</button></span></form>\
         <form id=\"dang-xuat\" method=\"post\" action=\"/bao-cao/dang-xuat\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"></form>",
        escape(from),
        escape(to),
        option("", "Không", by.is_none()),
        option("service", "Dịch vụ", by == Some(By::Service)),
        option("counter", "Quầy", by == Some(By::Counter)),
        option("staff", "Cán bộ", by == Some(By::Staff)),
        escape(name),
        escape(csrf),
    )
}

pub(super) fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// The login form's post: a `leader` account's username and secret, through the guarded login check.
pub async fn login(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<FormBody, ApiError>,
) -> Response {
    login_as(&hub, peer, &headers, form, Role::Leader, "/bao-cao", login_page).await
}

/// A staff page's login form post (`/bao-cao`, `/quan-tri`): the account must have `role`; a good login goes
/// to `home` with the session's cookie, a refused one back to the form (`form_page`) with why.
pub(super) async fn login_as(
    hub: &Arc<Hub>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
    form: Result<FormBody, ApiError>,
    role: Role,
    home: &'static str,
    form_page: impl Fn(&Hub, StatusCode, Option<&ApiError>) -> Response,
) -> Response {
    let pairs = match form {
        Ok(FormBody(pairs)) => pairs,
        Err(e) => return form_page(hub, e.status, Some(&e)),
    };
    let client = hub.client_of(peer.map(|Extension(c)| c.0), headers);
    let (username, secret) = (field(&pairs, "username"), field(&pairs, "password"));
    let (account, passed) = match accounts::check(hub, &client, headers, &username, secret).await {
        Ok(found) => found,
        Err(e) => return form_page(hub, e.status, Some(&e)),
    };
    if !account.roles.has(role) {
        let e =
            ApiError::from(crate::app::queue::QueueError::Staff(crate::domain::staff::StaffRefusal::NotAllowed(role)));
        return form_page(hub, e.status, Some(&e));
    }
    let opened = hub
        .change_async(move |store, config, clock| {
            crate::app::counter::open_session(store, config, None, Some(account), clock)
        })
        .await;
    match opened {
        Ok(login) => {
            let granted = guard::Granted::session(hub, &login.session);
            let home_page = (StatusCode::SEE_OTHER, [(header::LOCATION, home)]).into_response();
            guard::session_response(home_page, granted, &passed, &format!("{home}/dang-nhap"))
        }
        Err(e) => form_page(hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    }
}

/// The logout button's post, with the session's CSRF token as a hidden field.
pub async fn logout(State(hub): Hubs, headers: HeaderMap, form: Result<FormBody, ApiError>) -> Response {
    logout_as(&hub, &headers, form, Role::Leader, "/bao-cao").await
}

/// A staff page's logout (`/bao-cao`, `/quan-tri`): ends the session of an account with `role` when the
/// form carries its CSRF token, then back to `home`.
pub(super) async fn logout_as(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    form: Result<FormBody, ApiError>,
    role: Role,
    home: &'static str,
) -> Response {
    let back = || (StatusCode::SEE_OTHER, [(header::LOCATION, home)]).into_response();
    let Ok(FormBody(pairs)) = form else { return back() };
    if let Ok((_, session)) = staff_with(hub, headers, role, false).await {
        if session.by_cookie && same_secret(&field(&pairs, "csrf"), &session.csrf) {
            if let Ok(mut response) = accounts::end_session(hub, session.token).await {
                *response.status_mut() = StatusCode::SEE_OTHER;
                response.headers_mut().insert(header::LOCATION, header::HeaderValue::from_static(home));
                return response;
            }
        }
    }
    back()
}
