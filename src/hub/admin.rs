//! `/quan-tri`: staff with the `admin` role keep the catalog right. No scripts: a login form, the list
//! searched as the kiosk searches, what is due for review, and one procedure's page where an edit is a
//! draft in the form until it is published: "Xem trước" shows it in the kiosk's words with the changes
//! field by field; "Công bố" publishes it as a new version (refused, with why, when it breaks a rule or
//! when someone else published since it was opened). Publishing is an event: kiosks load the catalog again.

use super::auth::staff_with;
use super::console::page_response;
use super::reply::{same_secret, ApiError, FormBody, PathArg, QueryArg};
use super::reports::{field, login_as};
use super::Hub;
use crate::app::catalog::{self, EditRefusal};
use crate::domain::catalog::{describe, Procedure};
use crate::domain::diff::{changes, Change};
use crate::domain::staff::Role;
use crate::interchange::escape;
use crate::store::catalog::StoredProcedure;
use crate::store::staff::Staff;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

/// The largest edit a form may post (a procedure's JSON with long texts); the API's limit stays as it is.
pub const FORM_MAX_BYTES: usize = 256 * 1024;

pub const STYLE: &str = "td,th{text-align:left}textarea{width:100%;box-sizing:border-box;font:13px/1.45 ui-monospace,monospace;min-height:28rem}\
.ok{background:#e5f5e9;padding:.6rem;border-radius:.4rem}.err{background:#ffe0e0;padding:.6rem;border-radius:.4rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.3rem;text-align:left;vertical-align:top}\
.diff del{background:#ffe0e0}.diff ins{background:#e5f5e9;text-decoration:none}.preview h4{margin:.6rem 0 .2rem}\
.preview p{white-space:pre-line;margin:0}.due{color:#a00}";

pub(super) fn shell(center: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/bao-cao/bao-cao.css\"><link rel=\"stylesheet\" href=\"/quan-tri/quan-tri.css\">\
         </head><body><main>\
         <h1>{} <span class=\"en\">· Quản trị danh mục thủ tục / catalog</span></h1>{body}</main></body></html>",
        escape(title),
        escape(center),
    )
}

fn problem(e: Option<&ApiError>) -> String {
    e.map_or(String::new(), |e| {
        format!("<p class=\"err\" role=\"alert\">{} <span class=\"en\">{}</span></p>", escape(&e.vi), escape(&e.en))
    })
}

pub(super) fn login_page(hub: &Hub, status: StatusCode, e: Option<&ApiError>) -> Response {
    let body = format!(
        "<form class=\"login\" method=\"post\" action=\"/quan-tri/dang-nhap\">\
         <h2>Đăng nhập quản trị <span class=\"en\">Admin login</span></h2>{}\
         <label>Tên đăng nhập <span class=\"en\">username</span>\
         <input name=\"username\" autocomplete=\"username\" required maxlength=\"64\" autofocus></label>\
         <label>Mã PIN hoặc mật khẩu <span class=\"en\">PIN or password</span>\
         <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"128\"></label>\
         <button type=\"submit\">Đăng nhập <span class=\"en\">Log in</span></button></form>",
        problem(e)
    );
    page_response(status, shell(&hub.config().center.name, "Quản trị · đăng nhập", &body))
}

pub async fn style() -> Response {
    super::console::asset(STYLE, "text/css; charset=utf-8")
}

pub async fn logout(State(hub): Hubs, headers: HeaderMap, form: Result<FormBody, ApiError>) -> Response {
    super::reports::logout_as(&hub, &headers, form, Role::Admin, "/quan-tri").await
}

pub async fn login(
    State(hub): Hubs,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<FormBody, ApiError>,
) -> Response {
    login_as(&hub, peer, &headers, form, Role::Admin, "/quan-tri", login_page).await
}

/// Who is logged in, or the login form (with why, for an account without the role).
pub(super) async fn admin(hub: &Arc<Hub>, headers: &HeaderMap) -> Result<(Staff, String), Response> {
    match staff_with(hub, headers, Role::Admin, false).await {
        Ok((staff, session)) => Ok((staff, session.csrf)),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => Err(login_page(hub, StatusCode::OK, None)),
        Err(e) => Err(login_page(hub, e.status, Some(&e))),
    }
}

fn bar(name: &str, csrf: &str, q: &str) -> String {
    format!(
        "<form class=\"bar\" method=\"get\" action=\"/quan-tri\"><label>Tìm thủ tục <span class=\"en\">search</span>\
         <input name=\"q\" value=\"{}\" maxlength=\"100\"></label><button type=\"submit\">Tìm</button>\
         <span class=\"who\">{} <button type=\"submit\" form=\"dang-xuat\">Đăng xuất</button></span></form>\
         <form id=\"dang-xuat\" method=\"post\" action=\"/quan-tri/dang-xuat\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"></form>",
        escape(q),
        escape(name),
        escape(csrf)
    )
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

/// Months since a stored RFC 3339 instant, by calendar month.
fn months_since(stamp: &str, now: time::OffsetDateTime) -> i32 {
    match time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339) {
        Ok(at) => (now.year() - at.year()) * 12 + (i32::from(u8::from(now.month())) - i32::from(u8::from(at.month()))),
        Err(_) => i32::MAX,
    }
}

/// How many of a procedure's values have no verified source.
fn unsourced(p: &Procedure) -> usize {
    p.marks().iter().filter(|(_, m)| m.needs_review()).count()
}

fn row(s: &StoredProcedure, review_months: u32, now: time::OffsetDateTime) -> String {
    let p = &s.procedure;
    let unchecked = unsourced(p);
    let months = months_since(&s.imported_at, now);
    let due = if months >= review_months as i32 {
        format!(" <span class=\"due\">· chưa rà soát {months} tháng</span>")
    } else {
        String::new()
    };
    let marks = if unchecked > 0 {
        format!(" <span class=\"due\">· {unchecked} giá trị chưa có nguồn xác minh</span>")
    } else {
        String::new()
    };
    format!(
        "<tr><td><a href=\"/quan-tri/thu-tuc/{code}\">{code}</a></td><td>{name}{due}{marks}</td><td>{field}</td>\
         <td>v{v} · {at}</td></tr>",
        code = escape(&p.code),
        name = escape(&p.name),
        field = escape(p.field_name()),
        v = s.version,
        at = escape(&crate::domain::clock::local_date_of(&s.imported_at)),
    )
}

/// The list: a search, or everything due for review first.
pub async fn page(State(hub): Hubs, headers: HeaderMap, query: Result<QueryArg<ListQuery>, ApiError>) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let q = query.map(|QueryArg(q)| q.q).unwrap_or_default();
    let loaded = match super::catalog::current(&hub).await {
        Ok(c) => c,
        Err(e) => return login_page(&hub, e.status, Some(&e)),
    };
    let (now, review) = (hub.clock().now(), hub.config().catalog.review_months);
    let mut body = bar(&staff.name, &csrf, &q);
    body.push_str(
        "<p><a href=\"/quan-tri/thu-tuc/moi\">+ Thêm thủ tục <span class=\"en\">add a procedure</span></a></p>",
    );
    let shown: Vec<&StoredProcedure> = if q.trim().is_empty() {
        // Due for review first: the oldest publish, then the most values without a source.
        let mut all: Vec<&StoredProcedure> = loaded.procedures().iter().collect();
        all.sort_by_cached_key(|s| {
            (std::cmp::Reverse(months_since(&s.imported_at, now)), std::cmp::Reverse(unsourced(&s.procedure)))
        });
        all
    } else {
        loaded.search(q.trim(), 200).into_iter().map(|f| &loaded.procedures()[f.index]).collect()
    };
    let _ = write!(
        body,
        "<h2>{} thủ tục <span class=\"en\">procedures</span> · rà soát mỗi {review} tháng</h2><table>\
         <tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Công bố</th></tr>",
        shown.len()
    );
    for s in shown {
        body.push_str(&row(s, review, now));
    }
    body.push_str("</table>");
    page_response(StatusCode::OK, shell(&hub.config().center.name, "Quản trị danh mục", &body))
}

#[derive(Deserialize, Default)]
pub struct PosterQuery {
    #[serde(default, rename = "linh-vuc")]
    field: Option<String>,
    #[serde(default, rename = "ma")]
    code: Option<String>,
}

/// The notice-board sheets as a PDF to download: a field's (`?linh-vuc=`), one procedure's (`?ma=`), or all.
pub async fn posters(State(hub): Hubs, headers: HeaderMap, query: Result<QueryArg<PosterQuery>, ApiError>) -> Response {
    if let Err(page) = admin(&hub, &headers).await {
        return page;
    }
    let q = query.map(|QueryArg(q)| q).unwrap_or_default();
    let loaded = match super::catalog::current(&hub).await {
        Ok(c) => c,
        Err(e) => return login_page(&hub, e.status, Some(&e)),
    };
    let config = hub.config().clone();
    let now = hub.clock().now();
    // Laying out and subsetting the font takes a moment for a large field: off the async workers.
    let made = tokio::task::spawn_blocking(move || {
        let which = match (&q.code, &q.field) {
            (Some(code), _) => catalog::Posters::Code(code),
            (None, Some(field)) => catalog::Posters::Field(field),
            (None, None) => catalog::Posters::All,
        };
        catalog::posters(&loaded, &config, &which, now)
    })
    .await;
    match made {
        Ok(Ok(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"niem-yet.pdf\""),
            ],
            pdf,
        )
            .into_response(),
        Ok(Err(why)) => {
            let e =
                ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("Không làm được tờ niêm yết: {why}"), why);
            login_page(&hub, StatusCode::NOT_FOUND, Some(&e))
        }
        Err(e) => login_page(
            &hub,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(&ApiError::from(crate::app::queue::QueueError::Stopped(e.to_string()))),
        ),
    }
}

/// One procedure's edit page: the form (the draft), and after "Xem trước" the preview and the changes.
struct Editor<'a> {
    code: &'a str,
    base: i64,
    text: &'a str,
    current: Option<&'a StoredProcedure>,
    versions: &'a [StoredProcedure],
    message: Option<(bool, String, String)>,
    preview: Option<&'a Procedure>,
}

fn editor(center: &str, csrf: &str, e: &Editor<'_>) -> String {
    let mut body =
        String::from("<p><a href=\"/quan-tri\">← Danh sách <span class=\"en\">all procedures</span></a></p>");
    let title = e.current.map_or("Thủ tục mới".to_string(), |c| c.procedure.name.clone());
    let _ = write!(body, "<h2>{} <span class=\"en\">{}</span></h2>", escape(&title), escape(e.code));
    if e.current.is_some() {
        let _ = write!(body, "<p><a href=\"/quan-tri/niem-yet?ma={}\">Tờ niêm yết (PDF)</a></p>", escape(e.code));
    }
    if let Some((ok, vi, en)) = &e.message {
        let class = if *ok { "ok" } else { "err" };
        let _ = write!(
            body,
            "<p class=\"{class}\" role=\"status\">{} <span class=\"en\">{}</span></p>",
            escape(vi),
            escape(en)
        );
    }
    if let Some(p) = e.preview {
        let before = e.current.map(|c| serde_json::to_value(&c.procedure).unwrap_or_default()).unwrap_or_default();
        let after = serde_json::to_value(p).unwrap_or_default();
        let changed = changes(&before, &after);
        body.push_str(
            "<section class=\"diff\"><h3>Thay đổi so với bản đang công bố <span class=\"en\">changes</span></h3>",
        );
        if changed.is_empty() {
            body.push_str("<p>Không có thay đổi. <span class=\"en\">Nothing changes.</span></p>");
        } else {
            body.push_str("<table>");
            for c in &changed {
                body.push_str(&diff_row(c));
            }
            body.push_str("</table>");
        }
        body.push_str("</section><section class=\"preview\"><h3>Xem trước như trên ki-ốt <span class=\"en\">as the kiosk shows it</span></h3>");
        let _ = write!(body, "<h4>{}</h4>", escape(&p.name));
        for section in describe(p) {
            let (vi, _) = section.kind.heading(&section.subject);
            let _ = write!(body, "<h4>{}</h4><p>{}</p>", escape(&vi), escape(&section.text));
        }
        body.push_str("</section>");
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/quan-tri/thu-tuc/{code}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label>Nội dung thủ tục (dạng JSON của docs/catalog-format.md) <span class=\"en\">the procedure</span>\
         <textarea name=\"text\" id=\"text\" spellcheck=\"false\">{text}</textarea></label>\
         <button type=\"submit\" name=\"action\" value=\"xem\">Xem trước <span class=\"en\">Preview</span></button> \
         <button type=\"submit\" name=\"action\" value=\"cong-bo\">Công bố <span class=\"en\">Publish</span></button>{retire}</form>",
        retire = if e.current.is_some() {
            " <button type=\"submit\" name=\"action\" value=\"bai-bo\">Bãi bỏ thủ tục <span class=\"en\">Retire</span></button>"
        } else {
            ""
        },
        code = escape(e.code),
        csrf = escape(csrf),
        base = e.base,
        text = escape(e.text),
    );
    body.push_str("<h3>Lịch sử <span class=\"en\">history</span></h3><table><tr><th>Phiên bản</th><th>Công bố lúc</th><th>Bởi</th></tr>");
    for v in e.versions.iter().rev() {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            v.version,
            escape(&v.imported_at),
            escape(&v.source)
        );
    }
    body.push_str("</table>");
    shell(center, &title, &body)
}

fn diff_row(c: &Change) -> String {
    // A field that was not there, or is no more, shows as a dash.
    let shown = |v: &str| if v == "null" { "—".to_string() } else { escape(v) };
    format!(
        "<tr><td>{}</td><td><del>{}</del></td><td><ins>{}</ins></td></tr>",
        escape(&c.field),
        shown(&c.before),
        shown(&c.after)
    )
}

/// A new procedure's starting text: the least a procedure needs, to fill in.
fn template() -> String {
    "{\n  \"code\": \"\",\n  \"name\": \"\",\n  \"field\": \"\",\n  \"levels\": [\"xa\"],\n  \"cases\": [{ \"channels\": [{ \"kind\": \"truc_tiep\" }] }],\n  \"verified\": false\n}\n".to_string()
}

#[derive(Deserialize, Default)]
pub struct Done {
    /// The version just published (after the redirect).
    #[serde(default, rename = "cong-bo")]
    published: Option<i64>,
}

/// The edit page of `code` ("moi": a new procedure).
pub async fn procedure(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(code): PathArg<String>,
    done: Result<QueryArg<Done>, ApiError>,
) -> Response {
    let (_, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let message = done.ok().and_then(|QueryArg(d)| d.published).map(|v| {
        (
            true,
            format!("Đã công bố phiên bản {v}. Ki-ốt, trang điện thoại và bảng niêm yết theo bản mới."),
            format!("version {v} published; kiosks and phone pages follow it"),
        )
    });
    render(&hub, &csrf, &code, None, message, None).await
}

/// Renders the page of `code` with the draft `text` (None: the current version's), a message, a preview.
async fn render(
    hub: &Arc<Hub>,
    csrf: &str,
    code: &str,
    draft: Option<(i64, String)>,
    message: Option<(bool, String, String)>,
    preview: Option<Procedure>,
) -> Response {
    let wanted = code.to_string();
    let found = hub
        .read_async(move |store, _, _| {
            Ok((catalog::versions(store, &wanted)?, catalog::current_version(store, &wanted)?))
        })
        .await;
    let (versions, published) = match found {
        Ok(v) => v,
        Err(e) => return login_page(hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    };
    let current = versions.iter().find(|v| Some(v.version) == published);
    // A retired procedure shows its last text, to publish again as a new version.
    let last = versions.last();
    if last.is_none() && code != "moi" && draft.is_none() {
        let e = ApiError::new(StatusCode::NOT_FOUND, "not_found", "Không có thủ tục này.", "no such procedure");
        return login_page(hub, StatusCode::NOT_FOUND, Some(&e));
    }
    let draft_given = draft.is_some();
    let (base, text) = match draft {
        Some(d) => d,
        None => match (current, last) {
            (Some(c), _) => (c.version, serde_json::to_string_pretty(&c.procedure).unwrap_or_default()),
            (None, Some(l)) => (0, serde_json::to_string_pretty(&l.procedure).unwrap_or_default()),
            (None, None) => (0, template()),
        },
    };
    let message = message.or_else(|| {
        (current.is_none() && last.is_some()).then(|| {
            (
                false,
                "Thủ tục này đã bãi bỏ, không còn niêm yết. Công bố lại nếu cần.".to_string(),
                "this procedure is retired; publish it again if needed".to_string(),
            )
        })
    });
    let status = match &message {
        Some((false, _, _)) if published.is_some() || draft_given => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let shown = Editor { code, base, text: &text, current, versions: &versions, message, preview: preview.as_ref() };
    page_response(status, editor(&hub.config().center.name, csrf, &shown))
}

/// The form's post: "xem" previews the draft, "cong-bo" publishes it.
pub async fn post(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(code): PathArg<String>,
    form: Result<FormBody, ApiError>,
) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let pairs = match form {
        Ok(FormBody(pairs)) => pairs,
        Err(e) => return login_page(&hub, e.status, Some(&e)),
    };
    if !same_secret(&field(&pairs, "csrf"), &csrf) {
        let e =
            ApiError::forbidden("Phiên làm việc không hợp lệ, hãy tải lại trang.", "bad CSRF token; reload the page");
        return login_page(&hub, e.status, Some(&e));
    }
    let text = field(&pairs, "text");
    let base: i64 = field(&pairs, "base").parse().unwrap_or(-1);
    if field(&pairs, "action") == "bai-bo" {
        let (actor, retiring) = (format!("staff:{}", staff.username), code.clone());
        let retired =
            hub.change_async(move |store, _, clock| Ok(catalog::retire(store, &retiring, base, &actor, clock)?)).await;
        return match retired {
            Ok(Ok(())) => {
                (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/quan-tri/thu-tuc/{code}"))]).into_response()
            }
            Ok(Err(e)) => {
                let (vi, en) = e.words();
                let mut page = render(&hub, &csrf, &code, Some((base, text)), Some((false, vi, en)), None).await;
                *page.status_mut() = StatusCode::CONFLICT;
                page
            }
            Err(e) => login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
        };
    }
    // A new procedure is edited under the code it is given.
    let editing = if code == "moi" {
        serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_string))
            .unwrap_or_default()
    } else {
        code.clone()
    };
    let refused = |e: &EditRefusal| {
        let (vi, en) = e.words();
        Some((false, vi, en))
    };
    let procedure = match catalog::read_edit(&editing, &text) {
        Ok(p) => p,
        Err(e) => return render(&hub, &csrf, &code, Some((base, text)), refused(&e), None).await,
    };
    if field(&pairs, "action") != "cong-bo" {
        let message =
            Some((true, "Bản nháp hợp lệ, chưa công bố.".into(), "the draft is valid; not published yet".into()));
        return render(&hub, &csrf, &code, Some((base, text)), message, Some(procedure)).await;
    }
    let actor = format!("staff:{}", staff.username);
    let p = procedure.clone();
    let published =
        hub.change_async(move |store, _, clock| Ok(catalog::publish(store, &p, base, &actor, clock)?)).await;
    match published {
        Ok(Ok(version)) => {
            let to = format!("/quan-tri/thu-tuc/{}?cong-bo={version}", procedure.code);
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Ok(Err(e)) => {
            let status = if matches!(e, EditRefusal::Conflict { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut page = render(&hub, &csrf, &code, Some((base, text)), refused(&e), Some(procedure)).await;
            *page.status_mut() = status;
            page
        }
        Err(e) => login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    }
}
