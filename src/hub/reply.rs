//! What the hub answers when it says no: a refusal in both languages as JSON (`ApiError`), and the
//! extractors whose own rejections (a malformed body, path or query, a body too slow) answer the same way.

use super::Hub;
use crate::app::queue::QueueError;
use crate::domain::booking::CheckInRefusal;
use crate::domain::counter::CounterRefusal;
use crate::domain::rating::RatingRefusal;
use crate::domain::staff::StaffRefusal;
use crate::domain::ticket::Refusal;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A refusal as the client receives it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub vi: String,
    pub en: String,
    /// Seconds after which the same request may be sent again (Retry-After).
    pub retry_after: Option<u64>,
}

#[derive(Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message_vi: String,
    pub message_en: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError { status, code, vi: vi.into(), en: en.into(), retry_after: None }
    }

    pub fn retry_after(self, seconds: u64) -> ApiError {
        ApiError { retry_after: Some(seconds.max(1)), ..self }
    }

    /// Too many attempts: try again in `seconds`.
    pub fn too_many(seconds: u64) -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many",
            format!("Quá nhiều lần thử. Vui lòng thử lại sau {seconds} giây."),
            format!("too many attempts; try again in {seconds} s"),
        )
        .retry_after(seconds)
    }

    pub(super) fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Cần đăng nhập hoặc mã thiết bị hợp lệ.",
            "a valid login or device token is required",
        )
    }

    pub(super) fn forbidden(vi: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", vi, en)
    }

    pub(super) fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy.", "not found")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.code.into(), message_vi: self.vi, message_en: self.en };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> ApiError {
        match e {
            QueueError::Refused(r) => {
                let status = match r {
                    Refusal::UnknownService(_) | Refusal::UnknownPriority(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    Refusal::ClockWentBack { .. } => StatusCode::SERVICE_UNAVAILABLE,
                    Refusal::Booking(CheckInRefusal::Unknown) => StatusCode::NOT_FOUND,
                    Refusal::Booking(CheckInRefusal::TooMany) => StatusCode::TOO_MANY_REQUESTS,
                    _ => StatusCode::CONFLICT,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::Rating(r) => {
                let status = match r {
                    RatingRefusal::UnknownTicket => StatusCode::NOT_FOUND,
                    RatingRefusal::ByNumber => StatusCode::FORBIDDEN,
                    RatingRefusal::UnknownReason(_)
                    | RatingRefusal::ComplaintTooLong
                    | RatingRefusal::ComplaintMarkup => StatusCode::UNPROCESSABLE_ENTITY,
                    _ => StatusCode::CONFLICT,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::Staff(r) => {
                let status = match r {
                    StaffRefusal::WrongLogin | StaffRefusal::WrongCurrent => StatusCode::UNAUTHORIZED,
                    StaffRefusal::NotAllowed(_) => StatusCode::FORBIDDEN,
                    StaffRefusal::Unknown(_) => StatusCode::NOT_FOUND,
                    StaffRefusal::Taken(_) => StatusCode::CONFLICT,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::Counter(r) => {
                let status = match r {
                    CounterRefusal::UnknownCounter(_) | CounterRefusal::UnknownNumber(_) => StatusCode::NOT_FOUND,
                    CounterRefusal::WrongPin => StatusCode::UNAUTHORIZED,
                    CounterRefusal::NoPin(_) => StatusCode::FORBIDDEN,
                    CounterRefusal::PinFormat { .. }
                    | CounterRefusal::ReasonRequired
                    | CounterRefusal::UnknownService(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    _ => StatusCode::CONFLICT,
                };
                ApiError::new(status, "refused", r.message_vi(), r.to_string())
            }
            QueueError::Retry(why) => {
                tracing::warn!(why, "a change was not saved; the client may send it again");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "retry",
                    "Chưa lưu được, vui lòng thử lại.",
                    "not saved; send the same request again",
                )
                .retry_after(1)
            }
            QueueError::Full => ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "disk_full",
                "Máy chủ đã hết chỗ lưu dữ liệu nên chưa lưu được. Vui lòng báo cán bộ kỹ thuật giải phóng dung lượng.",
                "the hub's disk is full: nothing was saved; free space on it and try again",
            ),
            QueueError::UnknownTicket(id) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Không có phiếu {id}."),
                format!("ticket {id} does not exist"),
            ),
            e => {
                tracing::error!(error = %e, "request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Lỗi hệ thống. Vui lòng báo cán bộ.",
                    "internal error; see the hub's log",
                )
            }
        }
    }
}

/// JSON bodies whose rejections (malformed, wrong type, too large, not JSON) speak both languages.
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<Arc<Hub>> for Body<T> {
    type Rejection = ApiError;

    /// The body must arrive within `hub.body_timeout_s`: a client that sends it a byte at a time is cut off.
    async fn from_request(req: Request, hub: &Arc<Hub>) -> Result<Self, Self::Rejection> {
        let limit = std::time::Duration::from_secs(u64::from(hub.config().hub.body_timeout_s));
        match tokio::time::timeout(limit, axum::Json::<T>::from_request(req, hub)).await {
            Ok(Ok(axum::Json(v))) => Ok(Body(v)),
            Ok(Err(rejection)) => Err(json_rejection(&rejection)),
            Err(_) => Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "Dữ liệu gửi lên quá chậm.",
                "the request body did not arrive in time",
            )),
        }
    }
}

/// A form post (`application/x-www-form-urlencoded`) as its pairs in order, so that a repeated field
/// (ticked checkboxes) keeps every value. The same size and time limits as JSON bodies.
pub struct FormBody(pub Vec<(String, String)>);

impl FromRequest<Arc<Hub>> for FormBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, hub: &Arc<Hub>) -> Result<Self, Self::Rejection> {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_form",
                "Dữ liệu phải được gửi từ biểu mẫu.",
                "the body must be a form (application/x-www-form-urlencoded)",
            ));
        }
        let limit = std::time::Duration::from_secs(u64::from(hub.config().hub.body_timeout_s));
        let bytes = match tokio::time::timeout(limit, axum::body::Bytes::from_request(req, hub)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "Dữ liệu gửi lên quá lớn.",
                    "request body too large",
                ))
            }
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    "Dữ liệu gửi lên quá chậm.",
                    "the request body did not arrive in time",
                ))
            }
        };
        serde_urlencoded::from_bytes(&bytes).map(FormBody).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("Dữ liệu không hợp lệ: {e}"),
                format!("invalid form: {e}"),
            )
        })
    }
}

/// A path value whose rejection speaks both languages as JSON.
pub struct PathArg<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S> for PathArg<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(PathArg(v)),
            Err(r) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("Đường dẫn không hợp lệ: {}", r.body_text()),
                format!("invalid path: {}", r.body_text()),
            )),
        }
    }
}

/// A query string whose rejection speaks both languages as JSON.
pub struct QueryArg<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for QueryArg<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryArg(v)),
            Err(r) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("Tham số không hợp lệ: {}", r.body_text()),
                format!("invalid query: {}", r.body_text()),
            )),
        }
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    crate::app::counter::same_bytes(a.as_bytes(), b.as_bytes())
}

fn json_rejection(r: &JsonRejection) -> ApiError {
    let detail = r.body_text();
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Dữ liệu gửi lên quá lớn.",
            "request body too large",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "Dữ liệu phải ở dạng JSON (Content-Type: application/json).",
            "the body must be JSON (Content-Type: application/json)",
        ),
        status => ApiError::new(
            if status.is_client_error() { status } else { StatusCode::BAD_REQUEST },
            "bad_request",
            format!("Dữ liệu không hợp lệ: {detail}"),
            format!("invalid request body: {detail}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole_and_refusals_carry_retry_after() {
        assert!(same_secret("a81f00", "a81f00"));
        assert!(!same_secret("a81f00", "a81f01"));
        assert!(!same_secret("a81f00", "a81f0"));
        assert!(!same_secret("", "x"));
        let r = ApiError::too_many(42).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("42"));
    }
}
