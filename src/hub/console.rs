//! `/quay`: the counter console, and `/danh-gia`, the page of the tablet standing on a counter; a page the hub serves to the staff PCs' browsers. Its three files are
//! built into the binary (nothing to install, nothing fetched from outside the LAN); the page speaks only
//! to the API under `/api/v1` with the counter's session cookie and CSRF token.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

const PAGE: &str = include_str!("../../assets/console/quay.html");
const SCRIPT: &str = include_str!("../../assets/console/quay.js");
const STYLE: &str = include_str!("../../assets/console/quay.css");
const TABLET_PAGE: &str = include_str!("../../assets/console/danh-gia.html");
const TABLET_SCRIPT: &str = include_str!("../../assets/console/danh-gia.js");

/// Only this origin's own files run; the page cannot be framed by another site.
const POLICY: &str = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

pub(super) fn asset(body: &'static str, content_type: &'static str) -> Response {
    // Revalidated on each load, so that a hub upgraded overnight serves its new console in the morning.
    headed(body.into_response(), content_type, "no-cache", POLICY)
}

/// A page the hub builds (the leader's report), under the same policy as the console's files.
pub(super) fn page_response(status: axum::http::StatusCode, body: String) -> Response {
    headed((status, body).into_response(), "text/html; charset=utf-8", "no-store", POLICY)
}

/// Every page and file served to a browser: its type, how it may be cached, the content policy, and no
/// guessing of types (the province's pages use it too, with a policy of their own).
pub(crate) fn headed(
    mut response: Response,
    content_type: &'static str,
    cache: &'static str,
    policy: &'static str,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

pub async fn page() -> Response {
    asset(PAGE, "text/html; charset=utf-8")
}

pub async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

pub async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

/// `/danh-gia`: the page of the tablet on a counter, where citizens rate what the counter just finished.
pub async fn tablet_page() -> Response {
    asset(TABLET_PAGE, "text/html; charset=utf-8")
}

pub async fn tablet_script() -> Response {
    asset(TABLET_SCRIPT, "text/javascript; charset=utf-8")
}
