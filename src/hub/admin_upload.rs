//! `/quan-tri/nhap`: an admin uploads a catalog file (JSON or CSV, as `motcua catalog import` takes), sees
//! what it would add and change field by field (the same as `import --diff`), and publishes it. The upload
//! has its own body limit; the file waits in the data folder between the preview and "Công bố", and is
//! imported only if the catalog did not change in between.

use super::admin::{admin, login_page, shell};
use super::console::page_response;
use super::reply::{same_secret, ApiError, FormBody};
use super::reports::field;
use super::Hub;
use crate::app::catalog::{self, ImportPreview};
use crate::domain::catalog::Procedure;
use crate::interchange::escape;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

/// The largest catalog file the page takes (a province's 10,000 procedures are about 15 MiB).
pub const UPLOAD_MAX_BYTES: usize = 32 * 1024 * 1024;

fn form(csrf: &str, problem: &str) -> String {
    format!(
        "<p><a href=\"/quan-tri\">← Danh sách <span class=\"en\">all procedures</span></a></p>\
         <h2>Nhập danh mục từ tệp <span class=\"en\">import a catalog file</span></h2>{problem}\
         <form method=\"post\" action=\"/quan-tri/nhap\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>Tệp JSON hoặc CSV (docs/catalog-format.md) <input type=\"file\" name=\"file\" accept=\".json,.csv\" required></label>\
         <button type=\"submit\">Xem trước <span class=\"en\">Preview</span></button></form>",
        escape(csrf)
    )
}

fn error_text(vi: &str, en: &str) -> String {
    format!("<p class=\"err\" role=\"alert\">{} <span class=\"en\">{}</span></p>", escape(vi), escape(en))
}

pub async fn page(State(hub): Hubs, headers: HeaderMap) -> Response {
    match admin(&hub, &headers).await {
        Ok((_, csrf)) => {
            page_response(StatusCode::OK, shell(&hub.config().center.name, "Nhập danh mục", &form(&csrf, "")))
        }
        Err(page) => page,
    }
}

/// How long an uploaded file waits for "Công bố" before the hourly sweep deletes it.
const WAIT_HOURS: u64 = 24;

/// Deletes uploaded files nobody published within `WAIT_HOURS` (the hub's hourly sweep); how many.
pub fn forget_stale(data_dir: &std::path::Path, now: std::time::SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(data_dir.join("uploads")) else { return 0 };
    let limit = std::time::Duration::from_secs(WAIT_HOURS * 3600);
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "catalog"))
        .filter(|e| {
            let modified = e.metadata().and_then(|m| m.modified());
            modified.is_ok_and(|m| now.duration_since(m).is_ok_and(|age| age > limit))
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Where an uploaded file waits for "Công bố".
fn waiting(hub: &Hub, token: &str) -> PathBuf {
    hub.data_dir().join("uploads").join(format!("{token}.catalog"))
}

fn preview_html(preview: &ImportPreview) -> String {
    let mut out = format!(
        "<p>{} thêm mới, {} thay đổi, {} không đổi, {} không có trong tệp (giữ nguyên) \
         <span class=\"en\">added, changed, unchanged, not in the file (kept)</span></p><table>",
        preview.added.len(),
        preview.changed.len(),
        preview.unchanged,
        preview.not_in_file.len()
    );
    for (code, name) in &preview.added {
        let _ = write!(out, "<tr><td>+ {}</td><td colspan=\"3\">{}</td></tr>", escape(code), escape(name));
    }
    for (code, name, changes) in &preview.changed {
        let _ = write!(out, "<tr><td>~ {}</td><td colspan=\"3\">{}</td></tr>", escape(code), escape(name));
        for c in changes {
            let _ = write!(
                out,
                "<tr><td></td><td>{}</td><td><del>{}</del></td><td><ins>{}</ins></td></tr>",
                escape(&c.field),
                escape(&c.before),
                escape(&c.after)
            );
        }
    }
    for (code, name) in &preview.not_in_file {
        let _ = write!(out, "<tr><td>= {}</td><td colspan=\"3\">{} (giữ nguyên)</td></tr>", escape(code), escape(name));
    }
    out.push_str("</table>");
    out
}

/// The upload: checked whole, then its preview with a "Công bố" form naming the waiting file.
pub async fn upload(
    State(hub): Hubs,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let (_, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let center = hub.config().center.name.clone();
    let refuse = |status: StatusCode, vi: &str, en: &str| {
        page_response(status, shell(&center, "Nhập danh mục", &form(&csrf, &error_text(vi, en))))
    };
    // Past the route's limit (or cut short), a part stops reading: one answer for both.
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("Tệp quá lớn (tối đa {} MiB) hoặc gửi không trọn.", UPLOAD_MAX_BYTES >> 20),
            "the file is too large or did not arrive whole",
        )
    };
    let Ok(mut multipart) = multipart else {
        return refuse(StatusCode::BAD_REQUEST, "Không đọc được tệp gửi lên.", "the upload could not be read");
    };
    let (mut sent_csrf, mut file) = (String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => match part.name() {
                Some("csrf") => sent_csrf = part.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = part.file_name().unwrap_or("catalog").to_string();
                    match part.bytes().await {
                        Ok(bytes) => file = Some((name, bytes)),
                        Err(_) => return too_large(),
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return too_large(),
        }
    }
    if !same_secret(&sent_csrf, &csrf) {
        return refuse(StatusCode::FORBIDDEN, "Phiên làm việc không hợp lệ, hãy tải lại trang.", "bad CSRF token");
    }
    let Some((name, bytes)) = file else {
        return refuse(StatusCode::BAD_REQUEST, "Chưa chọn tệp.", "no file was chosen");
    };
    let parsed = match crate::interchange::parse_catalog(&name, &bytes) {
        Ok(f) => f,
        Err(e) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Tệp có lỗi, không nhập gì: {e}"),
                "the file has problems; nothing imported",
            )
        }
    };
    let procedures = parsed.procedures;
    let counted = procedures.clone();
    let found =
        hub.read_async(move |store, _, _| Ok((catalog::preview(store, &counted)?, catalog::stamp(store)?))).await;
    let (preview, (id, count)) = match found {
        Ok(f) => f,
        Err(e) => return login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    };
    let token = match crate::app::queue::token() {
        Ok(t) => t,
        Err(e) => return login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    };
    let path = waiting(&hub, &token);
    let kept = std::fs::create_dir_all(path.parent().unwrap_or(&path))
        .and_then(|_| std::fs::write(&path, serde_json::to_vec(&(name.clone(), procedures)).unwrap_or_default()));
    if let Err(e) = kept {
        return refuse(
            StatusCode::INSUFFICIENT_STORAGE,
            &format!("Không lưu được tệp chờ công bố: {e}"),
            "the file could not be kept",
        );
    }
    let mut body = format!(
        "<p><a href=\"/quan-tri/nhap\">← Chọn tệp khác</a></p><h2>{} <span class=\"en\">preview</span></h2>",
        escape(&name)
    );
    body.push_str(&preview_html(&preview));
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/quan-tri/nhap/cong-bo\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"tep\" value=\"{token}\"><input type=\"hidden\" name=\"stamp\" value=\"{id}-{count}\">\
         <button type=\"submit\">Công bố <span class=\"en\">Publish</span></button></form>",
        escape(&csrf)
    );
    page_response(StatusCode::OK, shell(&center, "Nhập danh mục · xem trước", &body))
}

/// "Công bố" after a preview: the waiting file is imported, unless the catalog changed since.
pub async fn publish(State(hub): Hubs, headers: HeaderMap, form_body: Result<FormBody, ApiError>) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let center = hub.config().center.name.clone();
    let refuse = |status: StatusCode, vi: &str, en: &str| {
        page_response(status, shell(&center, "Nhập danh mục", &form(&csrf, &error_text(vi, en))))
    };
    let Ok(FormBody(pairs)) = form_body else {
        return refuse(StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ.", "bad request");
    };
    if !same_secret(&field(&pairs, "csrf"), &csrf) {
        return refuse(StatusCode::FORBIDDEN, "Phiên làm việc không hợp lệ, hãy tải lại trang.", "bad CSRF token");
    }
    let token = field(&pairs, "tep");
    if !super::auth::plausible(&token) {
        return refuse(
            StatusCode::NOT_FOUND,
            "Không thấy tệp chờ công bố; hãy gửi lại tệp.",
            "no such upload; send the file again",
        );
    }
    let path = waiting(&hub, &token);
    let Some((name, procedures)) =
        std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<(String, Vec<Procedure>)>(&b).ok())
    else {
        return refuse(
            StatusCode::NOT_FOUND,
            "Không thấy tệp chờ công bố; hãy gửi lại tệp.",
            "no such upload; send the file again",
        );
    };
    let stamp = field(&pairs, "stamp");
    let source = format!("staff:{} ({name})", staff.username);
    let imported = hub
        .change_async(move |store, _, clock| {
            let (id, count) = catalog::stamp(store)?;
            if format!("{id}-{count}") != stamp {
                return Ok(None);
            }
            Ok(Some(catalog::import(store, &procedures, &source, clock)?))
        })
        .await;
    match imported {
        Ok(Some(outcome)) => {
            let _ = std::fs::remove_file(&path);
            let body = format!(
                "<p class=\"ok\" role=\"status\">Đã công bố: {} thêm mới, {} thay đổi, {} không đổi. \
                 <span class=\"en\">published</span></p><p><a href=\"/quan-tri\">← Danh sách</a></p>",
                outcome.added, outcome.changed, outcome.unchanged
            );
            page_response(StatusCode::OK, shell(&center, "Nhập danh mục", &body))
        }
        Ok(None) => refuse(
            StatusCode::CONFLICT,
            "Danh mục đã thay đổi sau khi bạn xem trước (người khác vừa công bố). Hãy gửi lại tệp để xem trước lần nữa.",
            "the catalog changed since the preview; send the file again",
        ),
        Err(e) => login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    }
}
