//! A booking's own page at the province, `/lich-hen/{token}` (its code, state, window, the QR for the
//! kiosk's scanner, and the cancel button), and cancelling: from that page, or on `/dat-lich/{hall}` by the
//! code and the phone it was made with (docs/booking.md).
//!
//! Bounds: the page and cancelling by code count as lookups (`public::LOOKUPS_PER_MINUTE`), before the
//! database is read; a token that could not be one is refused unread.

use super::booking::{client_of, message, not_found, now, page, phone_hash, unavailable, Shared};
use super::booking_store::Shown;
use super::serve::Service;
use crate::domain::booking::{self, BookingState};
use crate::domain::clock::{dmy, local, millis};
use crate::interchange::escape;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::net::SocketAddr;

fn too_many_lookups() -> Response {
    message(
        StatusCode::TOO_MANY_REQUESTS,
        "Tra cứu quá nhiều lần; xin chờ một phút.",
        "Too many lookups; wait a minute.",
    )
}

fn no_booking_with_code() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Không có lịch hẹn với mã và số điện thoại này.",
        "No booking with this code and phone.",
    )
}

/// The booking's QR: its page's address, which the kiosk's scanner reads. Drawn as an SVG path.
fn qr_svg(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + quiet, i / width + quiet));
        }
    }
    format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" \
         aria-label=\"QR\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

fn booking_body(b: &Shown, service_name: (&str, &str), base: &str) -> String {
    let (state_vi, state_en) = b.state.words();
    let window = booking::window_text(b.starts_min.max(0) as u32, b.ends_min.max(0) as u32);
    let url = format!("{base}/lich-hen/{}", b.token);
    let mut body = format!(
        "<h2>Lịch hẹn của bạn <span class=\"en\">· Your booking</span></h2>\
         <div class=\"card\"><div class=\"code\" id=\"code\">{code}</div>\
         <p class=\"note\"><b>{state_vi}</b> <span class=\"en\">· {state_en}</span></p>\
         <p class=\"note\">{hall}<br>{svc_vi} <span class=\"en\">· {svc_en}</span><br>\
         Ngày {day}, khung giờ <b>{window}</b> <span class=\"en\">· window {window}</span></p>",
        code = escape(&b.code),
        hall = escape(&b.hall_name),
        svc_vi = escape(service_name.0),
        svc_en = escape(service_name.1),
        day = escape(&dmy(&b.day)),
    );
    if let Some(number) = &b.ticket {
        body.push_str(&format!(
            "<p class=\"note\">Số thứ tự đã lấy: <b>{0}</b> <span class=\"en\">· Your number: {0}</span></p>",
            escape(number)
        ));
    }
    if b.state == BookingState::Booked {
        body.push_str(&format!(
            "{qr}<p class=\"note\">Đến trong khung giờ đã hẹn và đưa mã QR này vào máy quét của ki-ốt (hoặc nhập mã \
             {code} và 3 số cuối điện thoại) để lấy số. Đến sớm vẫn lấy số được và được gọi từ đầu khung giờ. \
             <span class=\"en\">Come during your window and hold this QR to the kiosk's scanner (or type {code} \
             and your phone's last 3 digits) to get your number. Early arrivals get it too and are called from \
             the window's start.</span></p></div>\
             <form class=\"form\" method=\"post\" action=\"/lich-hen/{token}/huy\">\
             <button class=\"cancel\" type=\"submit\">Hủy lịch hẹn này <span class=\"en\">· Cancel this booking</span>\
             </button></form>",
            qr = qr_svg(&url),
            code = escape(&b.code),
            token = escape(&b.token),
        ));
    } else {
        body.push_str("</div>");
    }
    body.push_str("<p><a href=\"/dat-lich\">← Đặt lịch khác <span class=\"en\">· Book another</span></a></p>");
    body
}

/// `/lich-hen/{token}`: the booking, its QR and the cancel button. Counted as a lookup.
pub(super) async fn booking_page(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let client = client_of(&service, peer, &headers);
    // The QR holds the page's own address, as the phone reached it (the province serves only HTTPS).
    let base = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if host.len() <= 255 && !host.contains(['"', '<', '>', '/', ' ', '&']) => format!("https://{host}"),
        _ => String::new(),
    };
    show_booking(&service, &client, &token, &base).await
}

async fn show_booking(service: &Service, client: &str, token: &str, base: &str) -> Response {
    if !crate::hub::plausible(token) {
        return not_found();
    }
    if !service.lookup_allowed(client) {
        return too_many_lookups();
    }
    let Ok(province) = service.database().await else { return unavailable() };
    let b = match province.booking(token).await {
        Ok(Some(b)) => b,
        Ok(None) => return not_found(),
        Err(_) => return unavailable(),
    };
    service.lookup_found(client);
    let names = match province.public_hall(&b.hall).await {
        Ok(Some(h)) => h.body.unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let named = names.get("services").and_then(Value::as_array).and_then(|all| {
        all.iter().find(|s| s.get("code").and_then(Value::as_str) == Some(b.service.as_str())).cloned()
    });
    let text =
        |key: &str| named.as_ref().and_then(|s| s.get(key)).and_then(Value::as_str).unwrap_or(&b.service).to_string();
    page(StatusCode::OK, &b.hall_name, &booking_body(&b, (&text("name_vi"), &text("name_en")), base))
}

/// `POST /lich-hen/{token}/huy`: cancels the booking (its place goes back), then its page.
pub(super) async fn cancel(State(service): Shared, Path(token): Path<String>) -> Response {
    if !crate::hub::plausible(&token) {
        return not_found();
    }
    let Ok(mut province) = service.database().await else { return unavailable() };
    if let Err(e) = province.cancel_booking(&token, millis(now())).await {
        tracing::warn!(error = %e, "a booking could not be cancelled");
        return unavailable();
    }
    drop(province);
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/lich-hen/{token}"))]).into_response()
}

/// `POST /dat-lich/{hall}/huy` (`code`, `phone`): cancels a booking by its code and the phone it was made
/// with. Counted as a lookup, taken back when found.
pub(super) async fn cancel_by_code(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(hall): Path<String>,
    req: Request,
) -> Response {
    let client = client_of(&service, peer, req.headers());
    if !service.lookup_allowed(&client) {
        return too_many_lookups();
    }
    let Some(pairs) = super::web::form(&service, req).await else {
        return message(StatusCode::BAD_REQUEST, "Biểu mẫu không hợp lệ.", "Invalid form.");
    };
    let (code, phone) = (super::web::field(&pairs, "code"), super::web::field(&pairs, "phone"));
    let (Some(code), Some(phone)) = (booking::parse_code(&code), crate::domain::sms::phone(&phone)) else {
        return no_booking_with_code();
    };
    if !super::store::valid_hall_id(&hall) {
        return not_found();
    }
    let hash = phone_hash(service.phone_key(), &phone);
    let Ok(mut province) = service.database().await else { return unavailable() };
    let (today, _, _) = local(now());
    let token = match province.booking_by_code(&hall, &code, &hash, &today).await {
        Ok(Some(t)) => t,
        Ok(None) => return no_booking_with_code(),
        Err(_) => return unavailable(),
    };
    service.lookup_found(&client);
    if province.cancel_booking(&token, millis(now())).await.is_err() {
        return unavailable();
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/lich-hen/{token}"))]).into_response()
}
