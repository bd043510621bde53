//! Booking a time on the province's public site (docs/booking.md), for a phone on mobile data and with
//! no script: `/dat-lich` (the halls that take bookings), `/dat-lich/{hall}` (its services, and cancelling
//! by code), `/dat-lich/{hall}/{service}` (days and windows with their free places, and the form),
//! `/lich-hen/{token}` (the booking: its code, its QR for the kiosk, cancelling). What a hall offers comes
//! from its `hall` row: its services' hours on its working days and its `[booking]` settings. A booking's
//! own page, and cancelling, are in `booking_page`; the pages' frame and messages, here, for both.
//!
//! Bounds: bookings asked for from one address are counted per hour before the database is touched; a
//! phone's bookings are counted under a lock of its own; a window's places are taken under its row's
//! lock.

use super::booking_store::{Asked, BookError};
use super::serve::Service;
use crate::domain::booking::{self, BookRefusal};
use crate::domain::clock::{dmy, local, millis};
use crate::domain::ticket::Hours;
use crate::hub::procedure_page;
use crate::interchange::escape;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;

pub(super) type Shared = State<Arc<Service>>;

const TITLE: &str = "Đặt lịch hẹn";
/// The pages' own style, beside the catalog pages'.
const STYLE: &str = "<style>.day{background:#fff;border-radius:.6rem;padding:.6rem .9rem;margin:.6rem 0;\
box-shadow:0 1px 2px #0002}.day h3{margin:.1rem 0 .4rem}.slots{display:flex;flex-wrap:wrap;gap:.4rem}\
.slots label{border:1px solid #99a;border-radius:.5rem;padding:.45rem .6rem;min-width:7.5rem;line-height:1.35}\
.slots label.full{color:#888;border-style:dashed}.slots small{display:block;color:#555}\
.form input[type=tel],.form input[type=text]{font:inherit;font-size:1.1rem;padding:.6rem;border:1px solid #99a;\
border-radius:.5rem;width:100%;box-sizing:border-box;margin:.3rem 0 .6rem}\
.form button{font:inherit;font-size:1.1rem;padding:.7rem 1.2rem;border:0;border-radius:.5rem;background:#1e7b34;\
color:#fff;width:100%}.form button.cancel{background:#a33}.err{background:#fde8e8;border-radius:.6rem;\
padding:.6rem .9rem;margin:.6rem 0;line-height:1.45}.code{font-size:3rem;font-weight:700;letter-spacing:.05em;\
margin:.2rem 0}.qr{width:14rem;height:14rem;display:block;margin:.6rem auto;background:#fff;padding:.6rem}\
.en{color:#555}.note{line-height:1.45}</style>";

fn html(status: StatusCode, body: String) -> Response {
    crate::hub::headed((status, body).into_response(), "text/html; charset=utf-8", "no-store", super::public::POLICY)
}

pub(super) fn page(status: StatusCode, center: &str, body: &str) -> Response {
    html(status, procedure_page::page(center, TITLE, &format!("{STYLE}{body}")))
}

pub(super) fn message(status: StatusCode, vi: &str, en: &str) -> Response {
    let body = format!(
        "<div class=\"err\">{}<br><span class=\"en\">{}</span></div><p><a href=\"/dat-lich\">← Đặt lịch hẹn \
         <span class=\"en\">· Book a time</span></a></p>",
        escape(vi),
        escape(en)
    );
    page(status, TITLE, &body)
}

pub(super) fn unavailable() -> Response {
    message(
        StatusCode::SERVICE_UNAVAILABLE,
        "Trang tạm thời chưa xem được; xin thử lại sau ít phút.",
        "This page cannot be shown just now; try again in a few minutes.",
    )
}

pub(super) fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Không có lịch hẹn hoặc điểm này.", "No such booking or hall.")
}

pub(super) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

pub(super) fn client_of(service: &Service, peer: SocketAddr, headers: &axum::http::HeaderMap) -> String {
    crate::hub::net::client_of(Some(peer), headers, service.proxies())
}

/// A hall's offer, read from its row.
struct Offer {
    name: String,
    days_ahead: i64,
    window_minutes: u32,
    services: Vec<OfferedService>,
}

struct OfferedService {
    code: String,
    name_vi: String,
    name_en: String,
    slots: i32,
    /// Working days and their hours.
    days: Vec<(String, Hours)>,
}

impl Offer {
    fn of(name: String, body: &Value) -> Option<Offer> {
        let b = body.get("booking")?;
        if !b.get("enabled").and_then(Value::as_bool).unwrap_or(false) {
            return None;
        }
        let names = body.get("services").and_then(Value::as_array).cloned().unwrap_or_default();
        let name_of = |code: &str, key: &str| {
            names
                .iter()
                .find(|s| s.get("code").and_then(Value::as_str) == Some(code))
                .and_then(|s| s.get(key).and_then(Value::as_str))
                .unwrap_or(code)
                .to_string()
        };
        let services = b
            .get("services")
            .and_then(Value::as_array)?
            .iter()
            .filter_map(|s| {
                let code = s.get("code")?.as_str()?.to_string();
                let days = s
                    .get("days")?
                    .as_array()?
                    .iter()
                    .filter_map(|d| {
                        let ranges: Vec<String> =
                            d.get("hours")?.as_array()?.iter().filter_map(|h| h.as_str().map(str::to_string)).collect();
                        Some((d.get("day")?.as_str()?.to_string(), Hours::parse(&ranges).ok()?))
                    })
                    .collect();
                Some(OfferedService {
                    name_vi: name_of(&code, "name_vi"),
                    name_en: name_of(&code, "name_en"),
                    slots: s.get("slots")?.as_i64()?.clamp(0, 500) as i32,
                    code,
                    days,
                })
            })
            .collect();
        Some(Offer {
            name,
            days_ahead: b.get("days_ahead").and_then(Value::as_i64).unwrap_or(7).clamp(0, 60),
            window_minutes: b.get("window_minutes").and_then(Value::as_u64).unwrap_or(30).clamp(5, 240) as u32,
            services,
        })
    }

    fn service(&self, code: &str) -> Option<&OfferedService> {
        self.services.iter().find(|s| s.code == code && s.slots > 0)
    }
}

/// Today and the days a booking may be for, in the hall's time zone.
fn days(days_ahead: i64) -> Vec<(String, time::Date)> {
    let today = now().to_offset(crate::domain::clock::VIETNAM).date();
    (0..=days_ahead)
        .filter_map(|n| today.checked_add(time::Duration::days(n)))
        .map(|d| (format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()), d))
        .collect()
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("Thứ Hai", "Mon"),
    ("Thứ Ba", "Tue"),
    ("Thứ Tư", "Wed"),
    ("Thứ Năm", "Thu"),
    ("Thứ Sáu", "Fri"),
    ("Thứ Bảy", "Sat"),
    ("Chủ Nhật", "Sun"),
];

fn day_title(d: time::Date) -> String {
    let (vi, en) = WEEKDAYS[usize::from(d.weekday().number_days_from_monday())];
    format!("{vi}, {:02}/{:02}/{} <span class=\"en\">· {en}</span>", d.day(), u8::from(d.month()), d.year())
}

/// The windows of a day a citizen may still book: those not yet begun.
fn open_windows(s: &OfferedService, offer: &Offer, day: &str) -> Option<Vec<(u32, u32)>> {
    let hours = &s.days.iter().find(|(d, _)| d == day)?.1;
    let (today, minute, _) = local(now());
    let windows = booking::windows(hours, offer.window_minutes);
    Some(windows.into_iter().filter(|&(start, _)| day != today || start > minute).collect())
}

async fn offer_of(service: &Service, hall: &str) -> Result<Offer, Response> {
    if !super::store::valid_hall_id(hall) {
        return Err(not_found());
    }
    let province = service.database().await.map_err(|_| unavailable())?;
    let found = province.public_hall(hall).await.map_err(|_| unavailable())?;
    let Some(h) = found else { return Err(not_found()) };
    match h.body.as_ref().and_then(|b| Offer::of(h.name.clone(), b)) {
        Some(offer) => Ok(offer),
        None => Err(refused(StatusCode::NOT_FOUND, &BookRefusal::NotBooking)),
    }
}

fn refused(status: StatusCode, r: &BookRefusal) -> Response {
    let (vi, en) = r.words();
    message(status, &vi, &en)
}

/// `/dat-lich`: the halls that take bookings.
pub(super) async fn halls(State(service): Shared) -> Response {
    let Ok(province) = service.database().await else { return unavailable() };
    let Ok(halls) = province.booking_halls().await else { return unavailable() };
    let mut body = String::from(
        "<h2>Đặt lịch hẹn trước khi đến <span class=\"en\">· Book a time before you come</span></h2>\
         <p class=\"note\">Chọn nơi bạn sẽ đến nộp hồ sơ. <span class=\"en\">Choose the hall you will visit.</span></p>\
         <ul class=\"list\">",
    );
    for (id, name, _) in &halls {
        body.push_str(&format!(
            "<li><a href=\"/dat-lich/{}\"><b>{}</b><span class=\"en\">Đặt lịch · Book</span></a></li>",
            escape(id),
            escape(name)
        ));
    }
    if halls.is_empty() {
        body.push_str("<li>Chưa có điểm nào nhận đặt lịch. <span class=\"en\">No hall takes bookings yet.</span></li>");
    }
    body.push_str("</ul>");
    page(StatusCode::OK, TITLE, &body)
}

fn cancel_by_code_form(hall: &str) -> String {
    format!(
        "<h3>Hủy lịch đã đặt <span class=\"en\">· Cancel a booking</span></h3>\
         <form class=\"form\" method=\"post\" action=\"/dat-lich/{}/huy\">\
         <label for=\"code\">Mã lịch hẹn <span class=\"en\">· Booking code</span></label>\
         <input type=\"text\" id=\"code\" name=\"code\" placeholder=\"H-0312\" maxlength=\"10\" required>\
         <label for=\"phone\">Số điện thoại đã đặt <span class=\"en\">· The phone you booked with</span></label>\
         <input type=\"tel\" id=\"phone\" name=\"phone\" maxlength=\"20\" inputmode=\"tel\" required>\
         <button class=\"cancel\" type=\"submit\">Hủy lịch <span class=\"en\">· Cancel</span></button></form>",
        escape(hall)
    )
}

/// `/dat-lich/{hall}`: the hall's bookable services.
pub(super) async fn services(State(service): Shared, Path(hall): Path<String>) -> Response {
    let offer = match offer_of(&service, &hall).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut body =
        String::from("<h2>Chọn dịch vụ <span class=\"en\">· Choose a service</span></h2><ul class=\"list\">");
    for s in offer.services.iter().filter(|s| s.slots > 0) {
        body.push_str(&format!(
            "<li><a href=\"/dat-lich/{}/{}\"><b>{}</b><span class=\"en\">{}</span></a></li>",
            escape(&hall),
            escape(&s.code),
            escape(&s.name_vi),
            escape(&s.name_en)
        ));
    }
    body.push_str("</ul>");
    body.push_str(&cancel_by_code_form(&hall));
    page(StatusCode::OK, &offer.name, &body)
}

/// The form of a service: each day from today to the last one offered, its windows with free places (a
/// full one shown but not chosen), and the phone. `error` says why the last try was refused.
async fn form_page(
    service: &Service,
    hall: &str,
    code: &str,
    error: Option<(StatusCode, &BookRefusal)>,
    phone: &str,
) -> Response {
    let offer = match offer_of(service, hall).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(s) = offer.service(code) else { return refused(StatusCode::NOT_FOUND, &BookRefusal::NotBooking) };
    let days = days(offer.days_ahead);
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return unavailable() };
    let taken = {
        let Ok(province) = service.database().await else { return unavailable() };
        match province.booking_taken(hall, code, &first.0, &last.0).await {
            Ok(t) => t,
            Err(_) => return unavailable(),
        }
    };
    let mut body = format!(
        "<h2>{} <span class=\"en\">· {}</span></h2>\
         <p class=\"note\">Chọn ngày và khung giờ còn chỗ, rồi nhập số điện thoại. Đến điểm một cửa trong khung giờ \
         đã chọn và quét mã QR (hoặc nhập mã lịch hẹn) tại ki-ốt để lấy số. <span class=\"en\">Choose a day and a \
         window with free places, then give your phone number. Come during your window and scan the QR (or type \
         the booking code) at the kiosk to get your number.</span></p>",
        escape(&s.name_vi),
        escape(&s.name_en)
    );
    if let Some((_, r)) = &error {
        let (vi, en) = r.words();
        body.push_str(&format!(
            "<div class=\"err\">{}<br><span class=\"en\">{}</span></div>",
            escape(&vi),
            escape(&en)
        ));
    }
    body.push_str(&format!(
        "<form class=\"form\" method=\"post\" action=\"/dat-lich/{}/{}\">",
        escape(hall),
        escape(code)
    ));
    for (day, date) in &days {
        body.push_str(&format!("<div class=\"day\"><h3>{}</h3>", day_title(*date)));
        match open_windows(s, &offer, day) {
            None => {
                body.push_str("<p>Ngày nghỉ, không nhận đặt lịch. <span class=\"en\">Day off: no bookings.</span></p>")
            }
            Some(windows) if windows.is_empty() => {
                body.push_str("<p>Không còn khung giờ. <span class=\"en\">No windows left.</span></p>")
            }
            Some(windows) => {
                body.push_str("<div class=\"slots\">");
                for (start, end) in windows {
                    let used = taken.iter().find(|t| &t.0 == day && t.1 == start as i32).map_or(0, |t| t.2);
                    let free = (s.slots - used).max(0);
                    let text = booking::window_text(start, end);
                    if free == 0 {
                        body.push_str(&format!("<label class=\"full\">{text}<small>Hết chỗ · Full</small></label>"));
                    } else {
                        body.push_str(&format!(
                            "<label><input type=\"radio\" name=\"slot\" value=\"{day}/{start}\" required> {text}\
                             <small>Còn {free} chỗ · {free} left</small></label>"
                        ));
                    }
                }
                body.push_str("</div>");
            }
        }
        body.push_str("</div>");
    }
    body.push_str(&format!(
        "<label for=\"phone\">Số điện thoại di động <span class=\"en\">· Mobile phone number</span></label>\
         <input type=\"tel\" id=\"phone\" name=\"phone\" value=\"{}\" maxlength=\"20\" inputmode=\"tel\" \
         autocomplete=\"tel\" required>\
         <p class=\"note\">Số điện thoại chỉ dùng để liên hệ và được xóa sau ngày hẹn; điểm một cửa chỉ nhận 3 số cuối. \
         <span class=\"en\">The number is only a contact, erased after the day; the hall sees its last 3 digits.\
         </span></p>\
         <button type=\"submit\">Đặt lịch <span class=\"en\">· Book</span></button></form>",
        escape(phone)
    ));
    let status = error.map_or(StatusCode::OK, |(s, _)| s);
    page(status, &offer.name, &body)
}

/// `/dat-lich/{hall}/{service}`.
pub(super) async fn form(State(service): Shared, Path((hall, code)): Path<(String, String)>) -> Response {
    form_page(&service, &hall, &code, None, "").await
}

/// `POST /dat-lich/{hall}/{service}` (`slot` = "YYYY-MM-DD/minute", `phone`): the booking's page (303),
/// or the form again with why not. Counted per address before anything is read.
pub(super) async fn book(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((hall, code)): Path<(String, String)>,
    req: Request,
) -> Response {
    let client = client_of(&service, peer, req.headers());
    if !service.booking_allowed(&client) {
        return form_page(&service, &hall, &code, Some((StatusCode::TOO_MANY_REQUESTS, &BookRefusal::AddressCap)), "")
            .await;
    }
    let Some(pairs) = super::web::form(&service, req).await else {
        return message(StatusCode::BAD_REQUEST, "Biểu mẫu không hợp lệ.", "Invalid form.");
    };
    let typed = super::web::field(&pairs, "phone");
    let typed: String = typed.chars().take(20).collect();
    let again = |status, r: BookRefusal| {
        let (service, hall, code, typed) = (service.clone(), hall.clone(), code.clone(), typed.clone());
        async move { form_page(&service, &hall, &code, Some((status, &r)), &typed).await }
    };
    let Some(phone) = crate::domain::sms::phone(&typed) else {
        return again(StatusCode::UNPROCESSABLE_ENTITY, BookRefusal::BadPhone).await;
    };
    let offer = match offer_of(&service, &hall).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(s) = offer.service(&code) else { return refused(StatusCode::NOT_FOUND, &BookRefusal::NotBooking) };
    let slot = super::web::field(&pairs, "slot");
    let Some((day, start)) = slot.split_once('/').and_then(|(d, m)| Some((d.to_string(), m.parse::<u32>().ok()?)))
    else {
        return again(StatusCode::UNPROCESSABLE_ENTITY, BookRefusal::NoSuchWindow).await;
    };
    let days = days(offer.days_ahead);
    if !days.iter().any(|(d, _)| d == &day) {
        let r = BookRefusal::OutOfRange { days_ahead: offer.days_ahead as u32 };
        return again(StatusCode::UNPROCESSABLE_ENTITY, r).await;
    }
    let Some(windows) = open_windows(s, &offer, &day) else {
        return again(StatusCode::UNPROCESSABLE_ENTITY, BookRefusal::Holiday { day: dmy(&day) }).await;
    };
    let Some(&(start, end)) = windows.iter().find(|w| w.0 == start) else {
        return again(StatusCode::UNPROCESSABLE_ENTITY, BookRefusal::NoSuchWindow).await;
    };
    let asked = Asked {
        hall: &hall,
        day: &day,
        service: &code,
        starts_min: start as i32,
        ends_min: end as i32,
        slots: s.slots,
        phone: &phone,
        now_ms: millis(now()),
    };
    let hash = phone_hash(service.phone_key(), &phone);
    let per_day = service.config().province.booking_per_phone_per_day;
    let made = match service.database().await {
        Ok(mut province) => province.book(&asked, &hash, per_day).await,
        Err(_) => return unavailable(),
    };
    match made {
        Ok(token) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/lich-hen/{token}"))]).into_response(),
        Err(BookError::Refused(r)) => again(StatusCode::CONFLICT, r).await,
        Err(BookError::Province(e)) => {
            tracing::warn!(error = %e, "a booking could not be stored");
            unavailable()
        }
    }
}

/// The hash of a phone the hall is told: keyed by the province's own secret, so the hall (or anyone who
/// reads its database) cannot try every number against it.
pub fn phone_hash(key: &str, phone: &str) -> String {
    crate::app::counter::hash_token(&format!("{key}:{phone}"))
}
