//! The catalog on the hub: public pages for phones (`/thu-tuc`, `/thu-tuc/{code}`), answered from a
//! `Catalog` kept in memory and loaded again when the published catalog's stamp moves (an import, or a
//! publish from the admin page). The stamp is one small read; a stale catalog is loaded by one request
//! while the others wait for it, so a flood costs one load per change.

use super::api::{ApiError, PathArg, QueryArg};
use super::auth::principal;
use super::procedure_page;
use super::Hub;
use crate::app::catalog::{self, Catalog};
use crate::config::Center;
use crate::domain::search::Synonyms;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

/// A catalog as loaded, with the stamp it was loaded at.
type Loaded = ((i64, i64), Arc<Catalog>);

/// The catalog the public pages answer from.
pub(super) struct Kept {
    synonyms: Synonyms,
    loaded: tokio::sync::Mutex<Option<Loaded>>,
}

impl Kept {
    pub(super) fn new(synonyms: Synonyms) -> Kept {
        Kept { synonyms, loaded: tokio::sync::Mutex::new(None) }
    }
}

/// The published catalog, loaded again if it changed since it was last kept.
pub(super) async fn current(hub: &Arc<Hub>) -> Result<Arc<Catalog>, ApiError> {
    Ok(stamped(hub).await?.1)
}

/// The published catalog with its stamp.
async fn stamped(hub: &Arc<Hub>) -> Result<Loaded, ApiError> {
    let stamp = hub.read_async(|store, _, _| Ok(catalog::stamp(store)?)).await?;
    let mut loaded = hub.catalog.loaded.lock().await;
    if let Some((kept, catalog)) = loaded.as_ref() {
        if *kept == stamp {
            return Ok((stamp, catalog.clone()));
        }
    }
    let synonyms = hub.catalog.synonyms.clone();
    let (stamp, fresh) = hub
        .read_async(move |store, _, _| {
            // The stamp first: a change landing between the two reads only makes the next request load again.
            let stamp = catalog::stamp(store)?;
            Ok((stamp, Catalog::load(store, &synonyms)?))
        })
        .await?;
    let fresh = Arc::new(fresh);
    *loaded = Some((stamp, fresh.clone()));
    Ok((stamp, fresh))
}

/// `GET /api/v1/catalog`: the published catalog for a kiosk or board on another machine, which keeps a
/// copy for when the hub is away. The `ETag` is the catalog's stamp; a client that has it gets a 304.
pub(super) async fn published(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Result<Response, ApiError> {
    principal(&hub, &headers).await?;
    let ((id, count), catalog) = stamped(&hub).await?;
    let etag = format!("\"{id}-{count}\"");
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let body = serde_json::to_vec(&catalog::Published::of(&catalog, &etag))
        .map_err(|e| ApiError::from(crate::app::queue::QueueError::Stopped(e.to_string())))?;
    Ok(([(header::CONTENT_TYPE, "application/json".to_string()), (header::ETAG, etag)], body).into_response())
}

/// `/thu-tuc`'s query: a search, or a field's list and its page.
#[derive(Deserialize, Default)]
pub(crate) struct Listing {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "linh-vuc")]
    field: String,
    #[serde(default, rename = "trang")]
    page: u32,
}

/// The longest search a page takes; the kiosk's search box holds less.
const QUERY_MAX: usize = 100;
/// Procedures one page of a field lists.
pub(super) const PAGE_SIZE: usize = 50;

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    // Phones may keep a page a minute: a published change reaches them within that.
    (status, [(header::CACHE_CONTROL, "public, max-age=60")], Html(body)).into_response()
}

/// The catalog for citizens: the fields, a field's procedures, or what a search found.
pub(super) async fn list(State(hub): State<Arc<Hub>>, query: Result<QueryArg<Listing>, ApiError>) -> Response {
    let center = hub.config().center.name.clone();
    let listing = match query.map_err(|_| bad_query()).and_then(|QueryArg(l)| l.checked()) {
        Ok(listing) => listing,
        Err(e) => return html(e.status, procedure_page::error(&center, "", &e)),
    };
    match current(&hub).await {
        Ok(catalog) => html(StatusCode::OK, listing.page(&center, "", &catalog, hub.config().catalog.search_limit)),
        Err(e) => html(e.status, procedure_page::error(&center, "", &e)),
    }
}

impl Listing {
    /// The listing, or why it is refused (checked before the catalog is loaded).
    pub(crate) fn checked(self) -> Result<Listing, ApiError> {
        if self.q.chars().count() > QUERY_MAX || self.field.chars().count() > QUERY_MAX {
            return Err(bad_query());
        }
        Ok(self)
    }

    /// `/thu-tuc`'s page for this listing, its links under `base`.
    pub(crate) fn page(&self, center: &str, base: &str, catalog: &Catalog, search_limit: u32) -> String {
        let q = self.q.trim();
        let shown = if !q.is_empty() {
            procedure_page::Shown::Found(
                q,
                catalog.search(q, search_limit as usize).into_iter().map(|f| f.index).collect(),
            )
        } else if !self.field.trim().is_empty() {
            let all = catalog.in_field(self.field.trim());
            procedure_page::Shown::Field { name: self.field.trim(), all, page: self.page as usize }
        } else {
            procedure_page::Shown::Fields
        };
        procedure_page::list(center, base, catalog, &shown)
    }
}

/// One procedure, whole, for a phone.
pub(super) async fn one(State(hub): State<Arc<Hub>>, PathArg(code): PathArg<String>) -> Response {
    let config = hub.config();
    if crate::domain::catalog::check_code(&code).is_err() {
        return html(StatusCode::NOT_FOUND, procedure_page::error(&config.center.name, "", &no_procedure()));
    }
    match current(&hub).await {
        Ok(catalog) => {
            let (status, page) = procedure_of(&config.center, "", &catalog, &code);
            html(status, page)
        }
        Err(e) => html(e.status, procedure_page::error(&config.center.name, "", &e)),
    }
}

/// `/thu-tuc/{code}`'s page, its links under `base`: the procedure, or that the catalog has none.
pub(crate) fn procedure_of(center: &Center, base: &str, catalog: &Catalog, code: &str) -> (StatusCode, String) {
    match catalog.by_code(code) {
        Some(p) => (StatusCode::OK, procedure_page::procedure(center, base, p)),
        None => (StatusCode::NOT_FOUND, procedure_page::error(&center.name, base, &no_procedure())),
    }
}

pub(crate) fn bad_query() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("Từ khoá tìm kiếm dài quá {QUERY_MAX} ký tự hoặc không hợp lệ."),
        format!("the search is longer than {QUERY_MAX} characters or not valid"),
    )
}

pub(crate) fn no_procedure() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Không có thủ tục này trong danh mục đang công bố.",
        "no such procedure in the published catalog",
    )
}
