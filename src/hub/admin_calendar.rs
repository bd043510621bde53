//! `/quan-tri/lich`: each year's working-day calendar (holidays, Tết, make-up Saturdays), entered by an
//! admin as the year's file (the form of `assets/calendar/YYYY.toml`) when the government announces it. A
//! preview shows the days and how appointments move; saving keeps the year in the database, where it takes
//! the place of a bundled year or a `calendar_dir` file, and the hub counts with it at once.

use super::admin::{admin, login_page, shell};
use super::console::page_response;
use super::reply::{same_secret, ApiError, FormBody, QueryArg};
use super::reports::field;
use super::Hub;
use crate::domain::calendar::{moved, Calendar, CalendarYear};
use crate::interchange::calendar::{bundled_text, parse_year, template};
use crate::interchange::escape;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

/// Working-day limits the preview counts appointments for.
const LIMITS: [u32; 3] = [3, 5, 10];
/// Rows of moved appointments the preview shows.
const MOVED_MAX: usize = 40;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default, rename = "nam")]
    year: Option<i32>,
    #[serde(default, rename = "luu")]
    saved: Option<u8>,
}

fn dmy(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

fn year_table(calendar: &Calendar) -> String {
    let mut out =
        String::from("<table><tr><th>Năm</th><th>Trạng thái</th><th>Ngày nghỉ</th><th>Làm bù</th><th>Nguồn</th></tr>");
    for y in calendar.years() {
        let status = if y.provisional { "dự kiến (chưa công bố)" } else { "chính thức" };
        let _ = write!(
            out,
            "<tr><td><a href=\"/quan-tri/lich?nam={n}\">{n}</a></td><td>{status}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            y.off.len(),
            y.worked.len(),
            escape(&y.source),
            n = y.year,
        );
    }
    out.push_str("</table>");
    out
}

fn days(year: &CalendarYear) -> String {
    let mut out = String::from("<table><tr><th>Ngày</th><th></th></tr>");
    for (d, off) in &year.off {
        let guess = if off.provisional { " (dự kiến)" } else { "" };
        let _ = write!(out, "<tr><td>{}</td><td>Nghỉ: {}{guess}</td></tr>", dmy(*d), escape(&off.name));
    }
    for d in &year.worked {
        let _ = write!(out, "<tr><td>{}</td><td>Làm bù</td></tr>", dmy(*d));
    }
    out.push_str("</table>");
    out
}

/// The page of `year`: the years, its days, and the form with `text` (the stored, bundled or a template).
#[allow(clippy::too_many_arguments)]
fn year_page(
    hub: &Hub,
    csrf: &str,
    calendar: &Calendar,
    year: i32,
    text: &str,
    message: Option<(bool, String, String)>,
    preview: Option<(&CalendarYear, &Calendar)>,
) -> String {
    let mut body = String::from("<p><a href=\"/quan-tri\">← Danh sách thủ tục</a></p><h2>Lịch làm việc <span class=\"en\">working calendar</span></h2>");
    body.push_str(&year_table(calendar));
    let _ = write!(body, "<h2>Năm {year}</h2>");
    if let Some((ok, vi, en)) = message {
        let class = if ok { "ok" } else { "err" };
        let _ = write!(
            body,
            "<p class=\"{class}\" role=\"status\">{} <span class=\"en\">{}</span></p>",
            escape(&vi),
            escape(&en)
        );
    }
    match preview {
        Some((entered, next)) => {
            body.push_str("<section class=\"preview\"><h3>Xem trước <span class=\"en\">preview</span></h3>");
            body.push_str(&days(entered));
            let moves = moved(calendar, next, year, &LIMITS, MOVED_MAX);
            let _ = write!(
                body,
                "<h3 id=\"hen\">Ngày hẹn thay đổi <span class=\"en\">appointments that move</span> ({})</h3>",
                moves.len()
            );
            if moves.is_empty() {
                body.push_str("<p>Không ngày hẹn nào thay đổi.</p>");
            } else {
                body.push_str("<table class=\"diff\"><tr><th>Nhận hồ sơ (9 giờ)</th><th>Thời hạn</th><th>Hẹn trả trước đây</th><th>Hẹn trả theo lịch mới</th></tr>");
                for m in &moves {
                    let _ = write!(
                        body,
                        "<tr><td>{}</td><td>{} ngày làm việc</td><td><del>{}</del></td><td><ins>{}</ins></td></tr>",
                        dmy(m.received),
                        m.working_days,
                        dmy(m.before),
                        dmy(m.after)
                    );
                }
                body.push_str("</table>");
            }
            body.push_str("</section>");
        }
        None => {
            if let Some(current) = calendar.years().find(|y| y.year == year) {
                body.push_str(&days(current));
            }
        }
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/quan-tri/lich\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>Lịch năm (dạng tệp assets/calendar/YYYY.toml) <span class=\"en\">the year's schedule</span>\
         <textarea name=\"text\" id=\"text\" spellcheck=\"false\">{}</textarea></label>\
         <button type=\"submit\" name=\"action\" value=\"xem\">Xem trước <span class=\"en\">Preview</span></button> \
         <button type=\"submit\" name=\"action\" value=\"luu\">Lưu và áp dụng <span class=\"en\">Save</span></button></form>",
        escape(csrf),
        escape(text)
    );
    shell(&hub.config().center.name, &format!("Lịch làm việc {year}"), &body)
}

/// The text shown for `year`: what staff entered, else the bundled file, else a template.
async fn text_of(hub: &Arc<Hub>, year: i32) -> Result<String, ApiError> {
    let entered = hub.read_async(|store, _, _| Ok(crate::store::calendar::years(store.conn())?)).await?;
    Ok(match entered.into_iter().find(|y| y.year == year) {
        Some(y) => y.body,
        None => bundled_text(year).map_or_else(|| template(year), str::to_string),
    })
}

pub async fn page(State(hub): Hubs, headers: HeaderMap, query: Result<QueryArg<YearQuery>, ApiError>) -> Response {
    let (_, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let q = query.map(|QueryArg(q)| q).unwrap_or_default();
    let calendar = hub.calendar();
    // Without a year: the first one not yet announced officially, else the year after the last.
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| {
        calendar
            .years()
            .find(|y| y.provisional)
            .map(|y| y.year)
            .unwrap_or_else(|| calendar.years().map(|y| y.year + 1).max().unwrap_or(2027))
    });
    let text = match text_of(&hub, year).await {
        Ok(t) => t,
        Err(e) => return login_page(&hub, e.status, Some(&e)),
    };
    let message = q.saved.map(|_| {
        (
            true,
            format!("Đã lưu lịch năm {year}; ngày hẹn tính theo lịch mới."),
            "saved; appointments count with it now".to_string(),
        )
    });
    page_response(StatusCode::OK, year_page(&hub, &csrf, &calendar, year, &text, message, None))
}

/// The form's post: "xem" previews the year, "luu" saves it and the hub counts with it from now on.
pub async fn post(State(hub): Hubs, headers: HeaderMap, form: Result<FormBody, ApiError>) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let Ok(FormBody(pairs)) = form else {
        let e = ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "Yêu cầu không hợp lệ.", "bad request");
        return login_page(&hub, e.status, Some(&e));
    };
    if !same_secret(&field(&pairs, "csrf"), &csrf) {
        let e =
            ApiError::forbidden("Phiên làm việc không hợp lệ, hãy tải lại trang.", "bad CSRF token; reload the page");
        return login_page(&hub, e.status, Some(&e));
    }
    let text = field(&pairs, "text");
    let calendar = hub.calendar();
    let entered = match parse_year(&text, "lịch nhập") {
        Ok(y) => y,
        Err(why) => {
            let year = calendar.years().map(|y| y.year).max().unwrap_or(2027);
            let message = Some((false, format!("Chưa lưu, cần sửa: {why}"), format!("not saved; fix: {why}")));
            let page = year_page(&hub, &csrf, &calendar, year, &text, message, None);
            return page_response(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    };
    let year = entered.year;
    if field(&pairs, "action") != "luu" {
        let mut years: Vec<CalendarYear> = calendar.years().filter(|y| y.year != year).cloned().collect();
        years.push(entered.clone());
        let next = Calendar::new(years, Default::default());
        let message = Some((true, "Lịch hợp lệ, chưa lưu.".to_string(), "valid; not saved yet".to_string()));
        return page_response(
            StatusCode::OK,
            year_page(&hub, &csrf, &calendar, year, &text, message, Some((&entered, &next))),
        );
    }
    let actor = format!("staff:{}", staff.username);
    let saved = hub
        .change_async(move |store, config, clock| {
            let at = crate::domain::clock::rfc3339(clock.now());
            crate::store::calendar::save(store.conn(), year, &text, &at, &actor)?;
            Ok(crate::app::dossier::calendar_stored(config, store)?)
        })
        .await;
    match saved {
        Ok(next) => {
            hub.set_calendar(next);
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/quan-tri/lich?nam={year}&luu=1"))]).into_response()
        }
        Err(e) => login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    }
}
