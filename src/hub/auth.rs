//! Who is asking the hub, and whether they may: the bearer token or session cookie of a request, the
//! principal it belongs to (a device or a counter session, remembered by the hub between requests), the
//! role guards of the handlers, and the CSRF check of changes made through a cookie.

use super::reply::{same_secret, ApiError};
use super::{Holder, Hub};
use crate::app::queue::QueueError;
use crate::domain::counter::Desk;
use crate::store::staff::Staff;
use axum::http::{header, HeaderMap, StatusCode};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "motcua_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie of a tablet paired to a counter.
pub const TABLET_COOKIE: &str = "motcua_tablet";

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

/// Who is asking: a device by its bearer token, or a session (by cookie or bearer) at a counter, with the
/// staff member logged in there or none (the counter's own PIN), or of a staff member alone.
#[derive(Debug, Clone)]
pub enum Principal {
    Device {
        name: String,
        role: String,
    },
    Session(SessionPrincipal),
    /// A tablet paired to a counter (by its cookie only).
    Tablet(TabletPrincipal),
}

#[derive(Debug, Clone)]
pub struct TabletPrincipal {
    pub counter: u32,
    pub csrf: String,
}

impl TabletPrincipal {
    /// A tablet's change must carry its CSRF token; the counter it is paired to.
    pub(super) fn check(&self, headers: &HeaderMap) -> Result<u32, ApiError> {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !same_secret(sent, &self.csrf) {
            return Err(ApiError::forbidden(
                "Thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang.",
                "missing or wrong CSRF token; reload the page",
            ));
        }
        Ok(self.counter)
    }
}

#[derive(Debug, Clone)]
pub struct SessionPrincipal {
    pub counter: Option<u32>,
    pub staff: Option<Staff>,
    pub csrf: String,
    pub token: String,
    pub by_cookie: bool,
}

impl SessionPrincipal {
    /// Changes made through the cookie must carry the CSRF token (a header another site cannot set).
    fn check_csrf(&self, headers: &HeaderMap, change: bool) -> Result<(), ApiError> {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if change && self.by_cookie && !same_secret(sent, &self.csrf) {
            return Err(ApiError::forbidden(
                "Thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang.",
                "missing or wrong CSRF token; reload the page",
            ));
        }
        Ok(())
    }
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Whether a text has the shape of a token (32 hex digits): anything else is refused before the database
/// is asked.
pub(crate) fn plausible(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn principal(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let cookies = cookie(headers, SESSION_COOKIE).or_else(|| cookie(headers, TABLET_COOKIE));
    let (token, by_cookie) = match (bearer(headers), cookies) {
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
        Some(Holder::Tablet { counter, csrf }) if by_cookie => {
            Some(Principal::Tablet(TabletPrincipal { counter, csrf }))
        }
        Some(Holder::Session(s)) => Some(Principal::Session(SessionPrincipal {
            counter: s.counter,
            staff: s.staff,
            csrf: s.csrf,
            token,
            by_cookie,
        })),
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

/// A counter's session: who acts there (the counter and its staff member) and the session's token.
/// Changes made through the cookie must carry the CSRF token.
pub(super) async fn counter_session(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    change: bool,
) -> Result<(Desk, SessionPrincipal), ApiError> {
    match principal(hub, headers).await? {
        Principal::Session(s) if s.counter.is_some() => {
            s.check_csrf(headers, change)?;
            let desk = Desk { counter: s.counter.unwrap_or_default(), staff: s.staff.as_ref().map(|st| st.id) };
            Ok((desk, s))
        }
        _ => Err(ApiError::forbidden("Cần đăng nhập quầy.", "a counter login is required")),
    }
}

/// Any session (at a counter or not); changes made through the cookie must carry the CSRF token.
pub(super) async fn any_session(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    change: bool,
) -> Result<SessionPrincipal, ApiError> {
    match principal(hub, headers).await? {
        Principal::Session(s) => {
            s.check_csrf(headers, change)?;
            Ok(s)
        }
        _ => Err(ApiError::forbidden("Cần đăng nhập.", "a staff login is required")),
    }
}

/// A staff member's session with a role (a leader for the reports).
pub(super) async fn staff_with(
    hub: &Arc<Hub>,
    headers: &HeaderMap,
    role: crate::domain::staff::Role,
    change: bool,
) -> Result<(Staff, SessionPrincipal), ApiError> {
    let session = any_session(hub, headers, change).await?;
    match session.staff.clone() {
        Some(staff) if staff.roles.has(role) => Ok((staff, session)),
        _ => Err(ApiError::from(QueueError::Staff(crate::domain::staff::StaffRefusal::NotAllowed(role)))),
    }
}
