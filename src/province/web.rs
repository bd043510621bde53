//! The province's pages for its own staff, with no script (forms reload the page) under a strict CSP:
//! `/dang-nhap` (a province account: `motcua province account add`), `/bao-cao` (the report of the halls
//! the account may see, one, several or all, with each hall's own beside the whole), `/tinh-trang` (each
//! hall's last contact, newest row, printers and backup). A login is counted before its password is checked
//! (`hub::guard::LoginGuard`), a few hash checks at a time.

use super::report::{Asked, ProvinceReport};
use super::serve::Service;
use super::store::{Account, HallHealth, Scope};
use crate::app::counter::{hash_token, same_bytes, verify_secret};
use crate::app::report::{bounds, date, quick_periods};
use crate::domain::clock::{instant, local_day, millis, VIETNAM};
use crate::domain::report::By;
use crate::interchange::escape;
use crate::interchange::report_page::{self, Names};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

/// The session cookie of the province's pages.
pub const COOKIE: &str = "motcua_tinh";
/// How long a login lasts.
const SESSION_MINUTES: i32 = 8 * 60;
/// The largest form a page takes.
pub const FORM_MAX_BYTES: usize = 8 * 1024;
/// Only this origin's own files; no script at all; never framed.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                      frame-ancestors 'none'; base-uri 'none'";
/// A hall that has not called for this long is shown late (a hub calls at least every five minutes).
const LATE_MS: i64 = 15 * 60_000;

type Shared = State<Arc<Service>>;

/// Each page's title, Vietnamese then English.
fn title_of(title: &str) -> (&str, &str) {
    match title {
        "Tình trạng các điểm" => ("Tình trạng các điểm một cửa", "Halls' health"),
        "Đăng nhập" => ("Số liệu các điểm một cửa", "Province login"),
        _ => ("Báo cáo kết quả giải quyết thủ tục hành chính", "Province report"),
    }
}

fn page(status: StatusCode, title: &str, center: &str, body: &str) -> Response {
    let (vi, en) = title_of(title);
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/bao-cao/bao-cao.css\"></head><body><main>\
         <header class=\"title\"><p class=\"center\">{}</p><h1>{vi} <span class=\"en\">{en}</span></h1></header>\
         {body}</main></body></html>",
        escape(title),
        escape(center),
    );
    crate::hub::headed((status, html).into_response(), "text/html; charset=utf-8", "no-store", POLICY)
}

/// The hall's report style, and what the province's pages add: hall checkboxes and the halls' table.
const EXTRA_STYLE: &str = "\n.hall { display: inline-flex; align-items: center; gap: .3em; margin-right: 1em; }\n\
                           .hall input { width: auto; height: auto; }\n\
                           table.halls td { text-align: left; vertical-align: top; }\n\
                           table.halls tr.late td:first-child, td.trouble { color: #a00000; font-weight: 600; }\n";

/// Joined once.
static STYLE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!("{}{EXTRA_STYLE}", report_page::STYLE));

pub async fn style() -> Response {
    crate::hub::headed(STYLE.as_str().into_response(), "text/css; charset=utf-8", "no-cache", POLICY)
}

fn see_other(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

fn center(service: &Service) -> String {
    format!("{} · Bộ phận một cửa các xã", service.config().center.province)
}

fn problem(vi: &str, en: &str) -> String {
    format!("<p class=\"err\" role=\"alert\">{} <span class=\"en\">{}</span></p>", escape(vi), escape(en))
}

fn login_page(service: &Service, status: StatusCode, why: Option<(&str, &str)>) -> Response {
    let why = why.map_or(String::new(), |(vi, en)| problem(vi, en));
    let body = format!(
        "<form class=\"login\" method=\"post\" action=\"/dang-nhap\">\
         <h2>Đăng nhập <span class=\"en\">Province login</span></h2>{why}\
         <label>Tên đăng nhập <span class=\"en\">username</span>\
         <input name=\"username\" autocomplete=\"username\" required maxlength=\"64\" autofocus></label>\
         <label>Mật khẩu <span class=\"en\">password</span>\
         <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"128\"></label>\
         <button type=\"submit\">Đăng nhập <span class=\"en\">Log in</span></button></form>"
    );
    page(status, "Đăng nhập", &center(service), &body)
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    crate::hub::cookie(headers, COOKIE).filter(|c| crate::hub::plausible(c))
}

/// The signed-in account, its CSRF token and its cookie's hash; None without a live session.
async fn signed_in(service: &Service, headers: &HeaderMap) -> Result<Option<(Account, String, String)>, Response> {
    let Some(token) = cookie_of(headers) else { return Ok(None) };
    let hash = hash_token(&token);
    let province = service.database().await?;
    match province.session(&hash).await {
        Ok(found) => Ok(found.map(|(account, csrf)| (account, csrf, hash))),
        Err(_) => Err(login_page(
            service,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(("Cơ sở dữ liệu của tỉnh chưa sẵn sàng.", "the province's database cannot be reached")),
        )),
    }
}

/// A form post's pairs, within the size and time limits.
pub(super) async fn form(service: &Service, req: Request) -> Option<Vec<(String, String)>> {
    let limit = std::time::Duration::from_secs(u64::from(service.config().hub.body_timeout_s));
    let bytes = tokio::time::timeout(limit, Bytes::from_request(req, &())).await.ok()?.ok()?;
    serde_urlencoded::from_bytes(&bytes).ok()
}

pub(super) fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

pub async fn login_form(State(service): Shared) -> Response {
    login_page(&service, StatusCode::OK, None)
}

/// The login form's post: counted before the password is checked, a few checks at a time.
pub async fn login(State(service): Shared, ConnectInfo(peer): ConnectInfo<SocketAddr>, req: Request) -> Response {
    let client = crate::hub::net::client_of(Some(peer), req.headers(), service.proxies());
    let Some(pairs) = form(&service, req).await else {
        return login_page(&service, StatusCode::BAD_REQUEST, Some(("Biểu mẫu không đọc được.", "unreadable form")));
    };
    let (username, password) = (field(&pairs, "username"), field(&pairs, "password"));
    if username.is_empty() || username.len() > 64 || password.len() > 128 {
        return login_page(&service, StatusCode::UNAUTHORIZED, Some(WRONG));
    }
    let guard = service.guard();
    let attempt = match guard.begin(&username, None, &client, service.now_ms()) {
        Ok((attempt, _)) => attempt,
        Err(crate::hub::guard::Refused::Wait { seconds }) => {
            tracing::warn!(username, client, "province login refused: too many failed attempts lately");
            let vi = format!("Đăng nhập sai nhiều lần; xin thử lại sau {seconds} giây.");
            let en = format!("too many failed logins; try again in {seconds} s");
            return login_page(&service, StatusCode::TOO_MANY_REQUESTS, Some((&vi, &en)));
        }
        Err(crate::hub::guard::Refused::Busy) => {
            return login_page(&service, StatusCode::SERVICE_UNAVAILABLE, Some(BUSY));
        }
    };
    let province = match service.database().await {
        Ok(p) => p,
        Err(busy) => return busy,
    };
    let account = province.account(&username).await.ok().flatten().filter(|a| !a.disabled);
    // An unknown name costs the same hash check as a known one.
    let stored = account.as_ref().map_or(service.dummy_hash().to_string(), |a| a.password_hash.clone());
    let right = match guard.verify(move |memory| verify_secret(&stored, password.as_bytes(), memory)).await {
        Ok(right) => right && account.is_some(),
        Err(_) => return login_page(&service, StatusCode::SERVICE_UNAVAILABLE, Some(BUSY)),
    };
    if !right {
        tracing::warn!(username, client, "province login failed");
        return login_page(&service, StatusCode::UNAUTHORIZED, Some(WRONG));
    }
    guard.succeeded(&attempt);
    let (Ok(token), Ok(csrf)) = (crate::app::queue::token(), crate::app::queue::token()) else {
        return login_page(&service, StatusCode::SERVICE_UNAVAILABLE, Some(BUSY));
    };
    if province.open_session(&hash_token(&token), &username, &csrf, SESSION_MINUTES).await.is_err() {
        return login_page(&service, StatusCode::SERVICE_UNAVAILABLE, Some(BUSY));
    }
    tracing::info!(username, client, "province login");
    let mut response = see_other("/bao-cao");
    let cookie =
        format!("{COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}", SESSION_MINUTES * 60);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

const WRONG: (&str, &str) = ("Tên đăng nhập hoặc mật khẩu không đúng.", "wrong username or password");
const BUSY: (&str, &str) = ("Máy chủ đang bận; xin thử lại.", "the server is busy; try again");

/// The logout button's post, with the session's CSRF token.
pub async fn logout(State(service): Shared, req: Request) -> Response {
    let headers = req.headers().clone();
    let Some(pairs) = form(&service, req).await else { return see_other("/dang-nhap") };
    if let Ok(Some((_, csrf, hash))) = signed_in(&service, &headers).await {
        if same_bytes(field(&pairs, "csrf").as_bytes(), csrf.as_bytes()) {
            if let Ok(province) = service.database().await {
                let _ = province.end_session(&hash).await;
            }
        }
    }
    let mut response = see_other("/dang-nhap");
    let gone = format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&gone) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The halls an account may see, with their names.
async fn visible(service: &Service, account: &Account) -> Result<Vec<(String, String)>, Response> {
    let province = service.database().await?;
    let halls = province.halls().await.map_err(|_| {
        login_page(service, StatusCode::SERVICE_UNAVAILABLE, Some(("Cơ sở dữ liệu chưa sẵn sàng.", "database down")))
    })?;
    Ok(halls.into_iter().filter(|(id, _)| account.scope.allows(id)).collect())
}

fn nav(account: &Account, csrf: &str) -> String {
    let scope = match &account.scope {
        Scope::All => "mọi điểm".to_string(),
        Scope::Halls(h) => format!("{} điểm", h.len()),
    };
    format!(
        "<nav class=\"quick\"><a href=\"/bao-cao\">Báo cáo</a><a href=\"/tinh-trang\">Tình trạng các điểm</a>\
         <span class=\"who\">{} ({scope}) <button type=\"submit\" form=\"dang-xuat\">Đăng xuất</button></span></nav>\
         <form id=\"dang-xuat\" method=\"post\" action=\"/dang-xuat\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"></form>",
        escape(&account.name),
        escape(csrf)
    )
}

/// `/bao-cao`: the period, the breakdown and the halls picked in a form; the whole's report, then a line
/// per hall.
pub async fn report(State(service): Shared, headers: HeaderMap, req: Request) -> Response {
    let (account, csrf) = match signed_in(&service, &headers).await {
        Ok(Some((account, csrf, _))) => (account, csrf),
        Ok(None) => return login_page(&service, StatusCode::OK, None),
        Err(e) => return e,
    };
    let query: Vec<(String, String)> = serde_urlencoded::from_str(req.uri().query().unwrap_or("")).unwrap_or_default();
    let visible = match visible(&service, &account).await {
        Ok(v) => v,
        Err(e) => return e,
    };
    let asked_halls: Vec<String> = query.iter().filter(|(k, _)| k == "hall").map(|(_, v)| v.clone()).collect();
    if let Some(other) = asked_halls.iter().find(|h| !visible.iter().any(|(id, _)| id == *h)) {
        let mut body = nav(&account, &csrf);
        body.push_str(&problem(
            &format!("Tài khoản này không được xem điểm \"{other}\"."),
            "this account may not see that hall",
        ));
        return page(StatusCode::FORBIDDEN, "Báo cáo", &center(&service), &body);
    }
    let halls: Vec<String> = if asked_halls.is_empty() {
        visible.iter().map(|(id, _)| id.clone()).collect()
    } else {
        visible.iter().filter(|(id, _)| asked_halls.contains(id)).map(|(id, _)| id.clone()).collect()
    };
    let today = local_day(time::OffsetDateTime::now_utc());
    let month_start = format!("{}-01", today.get(..7).unwrap_or_default());
    let from_text = query.iter().find(|(k, _)| k == "from").map_or(month_start, |(_, v)| v.clone());
    let to_text = query.iter().find(|(k, _)| k == "to").map_or(today.clone(), |(_, v)| v.clone());
    let by = match query.iter().find(|(k, _)| k == "by").map(|(_, v)| v.as_str()) {
        Some("service") => Some(By::Service),
        Some("counter") if halls.len() == 1 => Some(By::Counter),
        Some("staff") if halls.len() == 1 => Some(By::Staff),
        _ => None,
    };
    let mut body = nav(&account, &csrf);
    body.push_str(&picker(&visible, &halls, &from_text, &to_text, by));
    body.push_str("<nav class=\"quick\" aria-label=\"Kỳ báo cáo\">");
    let hall_args: String = halls.iter().map(|h| format!("&amp;hall={}", escape(h))).collect();
    for (_, from, to, label) in quick_periods(&today) {
        let _ = write!(body, "<a href=\"/bao-cao?from={from}&amp;to={to}{hall_args}\">{label}</a>");
    }
    body.push_str("</nav>");
    if halls.is_empty() {
        body.push_str(&problem("Tài khoản chưa được giao điểm nào.", "this account may see no hall"));
        return page(StatusCode::OK, "Báo cáo", &center(&service), &body);
    }
    let period = match (date(&from_text), date(&to_text)) {
        (Ok(f), Ok(t)) => bounds(f, t).map(|b| (f, t, b)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let (from, to, (from_ms, to_ms)) = match period {
        Ok(p) => p,
        Err(e) => {
            body.push_str(&problem(&format!("Khoảng thời gian không hợp lệ: {e}"), "invalid period"));
            return page(StatusCode::UNPROCESSABLE_ENTITY, "Báo cáo", &center(&service), &body);
        }
    };
    let config = service.config();
    let asked = Asked {
        halls: halls.clone(),
        from_ms,
        to_ms,
        from_day: from.to_string(),
        to_day: to.to_string(),
        now_ms: millis(time::OffsetDateTime::now_utc()),
        session_ms: i64::from(config.hub.session_minutes) * 60_000,
        target_wait_minutes: config.reports.target_wait_minutes,
    };
    let province = match service.database().await {
        Ok(p) => p,
        Err(busy) => return busy,
    };
    let made = match province.report(&asked, service.calendar(), by).await {
        Ok(made) => made,
        Err(e) => {
            tracing::warn!(error = %e, "cannot make a province report");
            body.push_str(&problem("Chưa lập được báo cáo; xin thử lại.", "the report could not be made"));
            return page(StatusCode::SERVICE_UNAVAILABLE, "Báo cáo", &center(&service), &body);
        }
    };
    let named: Vec<&str> =
        halls.iter().map(|h| visible.iter().find(|(id, _)| id == h).map_or(h.as_str(), |(_, n)| n.as_str())).collect();
    let covered = match named.as_slice() {
        [one] => format!("Số liệu của {one}"),
        many => format!("Số liệu của {} điểm: {}", many.len(), many.join(", ")),
    };
    let _ = write!(body, "<p class=\"scope\">{}</p>", escape(&covered));
    let names = Names { center: named.join(", "), ..Names::default() };
    body.push_str(&report_page::body(&made.total, &names));
    if made.each.len() > 1 {
        body.push_str(&each_hall(&made, &visible, &from_text, &to_text));
    }
    page(StatusCode::OK, "Báo cáo", &center(&service), &body)
}

fn picker(visible: &[(String, String)], chosen: &[String], from: &str, to: &str, by: Option<By>) -> String {
    let option = |value: &str, label: &str, on: bool| {
        format!("<option value=\"{value}\"{}>{label}</option>", if on { " selected" } else { "" })
    };
    let mut halls = String::new();
    for (id, name) in visible {
        let on = if chosen.contains(id) { " checked" } else { "" };
        let _ = write!(
            halls,
            "<label class=\"hall\"><input type=\"checkbox\" name=\"hall\" value=\"{}\"{on}> {}</label>",
            escape(id),
            escape(name)
        );
    }
    format!(
        "<form class=\"bar\" method=\"get\" action=\"/bao-cao\">\
         <label>Từ ngày <span class=\"en\">from</span><input type=\"date\" name=\"from\" value=\"{}\" required></label>\
         <label>Đến ngày <span class=\"en\">to</span><input type=\"date\" name=\"to\" value=\"{}\" required></label>\
         <label>Chi tiết theo <span class=\"en\">breakdown</span><select name=\"by\">{}{}{}{}</select></label>\
         <fieldset><legend>Điểm một cửa <span class=\"en\">halls</span></legend>{halls}</fieldset>\
         <button type=\"submit\">Xem báo cáo <span class=\"en\">Show</span></button></form>",
        escape(from),
        escape(to),
        option("", "Không", by.is_none()),
        option("service", "Dịch vụ", by == Some(By::Service)),
        option("counter", "Quầy (một điểm)", by == Some(By::Counter)),
        option("staff", "Cán bộ (một điểm)", by == Some(By::Staff)),
    )
}

fn dec(x: Option<f64>) -> String {
    x.map_or("—".to_string(), |x| format!("{x:.1}").replace('.', ","))
}

/// A line per hall: its figures beside each other, each linking to the hall's own report.
fn each_hall(made: &ProvinceReport, visible: &[(String, String)], from: &str, to: &str) -> String {
    let mut out = String::from(
        "<h2>Từng điểm <span class=\"en\">each hall</span></h2><table class=\"halls\"><thead><tr>\
         <th>Điểm</th><th>Số đã cấp</th><th>Đã phục vụ</th><th>Chờ TB (phút)</th><th>Hồ sơ nhận</th>\
         <th>Đã giải quyết</th><th>Đúng hạn (%)</th><th>Tỷ lệ 766 (%)</th></tr></thead><tbody>",
    );
    for each in &made.each {
        let f = &each.report.figures;
        let name = visible.iter().find(|(id, _)| *id == each.hall).map_or(each.hall.as_str(), |(_, n)| n.as_str());
        let _ = write!(
            out,
            "<tr><td><a href=\"/bao-cao?from={}&amp;to={}&amp;hall={}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(from),
            escape(to),
            escape(&each.hall),
            escape(name),
            f.tickets.issued,
            f.tickets.served,
            dec((f.wait_minutes.count > 0).then_some(f.wait_minutes.mean)),
            f.dossiers.received,
            f.dossiers.resolved,
            dec(f.dossiers.on_time_pct),
            dec(f.satisfaction.rate_766_pct),
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn when(ms: Option<i64>) -> String {
    ms.and_then(instant).map_or("chưa có".to_string(), |t| {
        let t = t.to_offset(VIETNAM);
        format!("{:02}:{:02} {:02}/{:02}/{}", t.hour(), t.minute(), t.day(), u8::from(t.month()), t.year())
    })
}

fn ago(ms: Option<i64>, now_ms: i64) -> String {
    let Some(ms) = ms else { return String::new() };
    let minutes = (now_ms - ms).max(0) / 60_000;
    match minutes {
        0 => " (vừa xong)".to_string(),
        m if m < 120 => format!(" ({m} phút trước)"),
        m if m < 48 * 60 => format!(" ({} giờ trước)", m / 60),
        m => format!(" ({} ngày trước)", m / 1440),
    }
}

fn printers(h: &HallHealth) -> (String, bool) {
    let list = h.printers.as_ref().and_then(|p| p["printers"].as_array().cloned()).unwrap_or_default();
    if list.is_empty() {
        return ("chưa có tin".to_string(), false);
    }
    let mut trouble = false;
    let text: Vec<String> = list
        .iter()
        .map(|p| {
            let state = p["state"].as_str().unwrap_or("?");
            let words = match state {
                "ok" => "bình thường",
                "paper-low" => "sắp hết giấy",
                "paper-out" => "hết giấy",
                "cover-open" => "mở nắp",
                "offline" | "unreachable" => "không kết nối",
                other => other,
            };
            trouble |= state != "ok";
            let unconfirmed = p["unconfirmed"].as_u64().unwrap_or(0);
            let extra =
                if unconfirmed > 0 { format!(", {unconfirmed} phiếu chưa xác nhận") } else { String::new() };
            format!("{}: {words}{extra}", p["device"].as_str().unwrap_or("?"))
        })
        .collect();
    (escape(&text.join("; ")), trouble)
}

/// `/tinh-trang`: each visible hall's last contact, newest row, printers and backup, the late ones marked.
pub async fn health(State(service): Shared, headers: HeaderMap) -> Response {
    let (account, csrf) = match signed_in(&service, &headers).await {
        Ok(Some((account, csrf, _))) => (account, csrf),
        Ok(None) => return login_page(&service, StatusCode::OK, None),
        Err(e) => return e,
    };
    let visible = match visible(&service, &account).await {
        Ok(v) => v,
        Err(e) => return e,
    };
    let ids: Vec<String> = visible.iter().map(|(id, _)| id.clone()).collect();
    let province = match service.database().await {
        Ok(p) => p,
        Err(busy) => return busy,
    };
    let halls = match province.hall_health(&ids).await {
        Ok(h) => h,
        Err(_) => return login_page(&service, StatusCode::SERVICE_UNAVAILABLE, Some(BUSY)),
    };
    let now_ms = millis(time::OffsetDateTime::now_utc());
    let mut body = nav(&account, &csrf);
    let late_count = halls.iter().filter(|h| h.last_push_ms.is_none_or(|t| now_ms - t > LATE_MS)).count();
    let _ = write!(
        body,
        "<p class=\"summary\">{} điểm; {late_count} điểm quá 15 phút chưa liên lạc.</p>\
         <table class=\"halls\"><thead><tr><th>Điểm</th><th>Liên lạc lần cuối</th><th>Dòng mới nhất</th>\
         <th>Máy in</th><th>Sao lưu</th></tr></thead><tbody>",
        halls.len()
    );
    for h in &halls {
        let late = h.last_push_ms.is_none_or(|t| now_ms - t > LATE_MS);
        let (printers, trouble) = printers(h);
        let backup = match &h.backup {
            None => "chưa có tin".to_string(),
            Some(b) => match (b["last_ms"].as_i64(), b["failed_ms"].as_i64()) {
                (_, Some(failed)) => format!("<strong>không sao lưu được</strong> từ {}", when(Some(failed))),
                (Some(last), None) => format!("bản mới nhất {}", when(Some(last))),
                (None, None) => "chưa có bản nào".to_string(),
            },
        };
        let restored = if h.histories > 1 { " · đã khôi phục từ bản sao lưu" } else { "" };
        let _ = write!(
            body,
            "<tr class=\"{}\"><td>{}<br><small>{}{restored}</small></td><td>{}{}</td><td>{}</td>\
             <td class=\"{}\">{printers}</td><td>{backup}</td></tr>",
            if late { "late" } else { "ok" },
            escape(&h.name),
            escape(&h.id),
            when(h.last_push_ms),
            ago(h.last_push_ms, now_ms),
            when(h.newest_ms),
            if trouble { "trouble" } else { "" },
        );
    }
    body.push_str("</tbody></table>");
    page(StatusCode::OK, "Tình trạng các điểm", &center(&service), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_says_minutes_hours_and_days() {
        let now = 10 * 86_400_000;
        assert_eq!(ago(Some(now - 30_000), now), " (vừa xong)");
        assert_eq!(ago(Some(now - 5 * 60_000), now), " (5 phút trước)");
        assert_eq!(ago(Some(now - 3 * 3_600_000), now), " (3 giờ trước)");
        assert_eq!(ago(Some(now - 3 * 86_400_000), now), " (3 ngày trước)");
        assert_eq!(ago(None, now), "");
    }

    #[test]
    fn the_session_cookie_is_taken_only_when_it_looks_like_one() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=b; motcua_tinh=0123456789abcdef0123456789abcdef"));
        assert_eq!(cookie_of(&headers).as_deref(), Some("0123456789abcdef0123456789abcdef"));
        headers.insert(header::COOKIE, HeaderValue::from_static("motcua_tinh=<script>"));
        assert_eq!(cookie_of(&headers), None);
    }
}
