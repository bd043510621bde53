//! Who is asking the hub, and whether they may: the bearer token or session cookie of a request, the
//! principal it belongs to (a device or a counter session, remembered by the hub between requests), the
//! role guards of the handlers, and the CSRF check of changes made through a cookie.

use super::reply::{same_secret, ApiError};
use super::{Holder, Hub};
use crate::app::queue::QueueError;
use axum::http::{header, HeaderMap, StatusCode};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "motcua_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Runs blocking database work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(&Hub) -> Result<T, QueueError> + Send + 'static,
) -> Result<T, ApiError> {
    let hub = hub.clone();
    match tokio::task::spawn_blocking(move || f(&hub)).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            Err(ApiError::from(QueueError::Stopped("request task failed".into())))
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Principal {
    Device { name: String, role: String },
    Counter { counter: u32, csrf: String, token: String, by_cookie: bool },
}

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Whether a text has the shape of a token (32 hex digits): anything else is refused before the database
/// is asked.
pub(super) fn plausible(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn principal(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let (token, by_cookie) = match (bearer(headers), cookie(headers, SESSION_COOKIE)) {
        (Some(t), _) => (t, false),
        (None, Some(t)) => (t, true),
        (None, None) => return Err(ApiError::unauthorized()),
    };
    if !plausible(&token) {
        return Err(ApiError::unauthorized());
    }
    let lookup = token.clone();
    let holder = hub.holder(&lookup).await?;
    let found = match holder {
        Some(Holder::Device { name, role }) if !by_cookie => Some(Principal::Device { name, role }),
        Some(Holder::Counter(s)) => Some(Principal::Counter { counter: s.counter, csrf: s.csrf, token, by_cookie }),
        _ => None,
    };
    found.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Phiên đăng nhập đã hết hạn hoặc mã thiết bị không đúng. Vui lòng đăng nhập lại.",
            "the session expired or the device token is unknown: log in again",
        )
    })
}

pub(super) async fn kiosk(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<String, ApiError> {
    match principal(hub, headers).await? {
        Principal::Device { name, role } if role == "kiosk" => Ok(name),
        _ => Err(ApiError::forbidden("Chỉ ki-ốt được cấp số.", "only a kiosk may issue tickets")),
    }
}

/// A counter's session; changes made through the cookie must carry the CSRF token.
pub(super) async fn counter_session(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    change: bool,
) -> Result<(u32, String), ApiError> {
    match principal(hub, headers).await? {
        Principal::Counter { counter, csrf, token, by_cookie } => {
            let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if change && by_cookie && !same_secret(sent, &csrf) {
                return Err(ApiError::forbidden(
                    "Thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang.",
                    "missing or wrong CSRF token; reload the page",
                ));
            }
            Ok((counter, token))
        }
        Principal::Device { .. } => Err(ApiError::forbidden("Cần đăng nhập quầy.", "a counter login is required")),
    }
}
