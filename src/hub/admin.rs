//! `/quan-tri`: staff with the `admin` role keep the catalog right. No scripts: a login form, the list
//! searched as the kiosk searches with what is due for review and what has drafts, and the notice-board
//! sheets. One procedure's page (its drafts, preview and publishing) is `admin_edit`.

use super::auth::staff_with;
use super::console::page_response;
use super::reply::{ApiError, FormBody, QueryArg};
use super::reports::login_as;
use super::Hub;
use crate::app::catalog;
use crate::domain::catalog::Procedure;
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
.preview p{white-space:pre-line;margin:0}.due{color:#a00}.draft{color:#845000}\
.editor fieldset{border:1px solid #ccd;border-radius:.4rem;margin:.6rem 0;padding:.5rem .8rem}\
.editor label{display:block;margin:.3rem 0}.editor label.inline{display:inline-block;margin-right:1rem}\
.editor input:not([type=checkbox]),.editor select{width:100%;box-sizing:border-box;font:inherit;padding:.25rem}\
.editor fieldset textarea{min-height:3rem;font:inherit}.editor .mark{display:grid;grid-template-columns:12rem 1fr;gap:.6rem}\
.editor .bad{display:block;color:#a00}.editor [aria-invalid]{border:2px solid #a00}button.row{margin:.2rem .4rem .2rem 0}\
.actions{padding:.5rem 0;border-top:1px solid #dde}\
.editor .channel,.editor .doc{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:0 1rem;align-items:end}\
.editor .channel .mark,.editor .doc .mark{grid-column:span 2}";

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

/// What the list says of a procedure besides its name.
struct Marks {
    drafts: usize,
    /// The province publishes another text of a procedure the hall keeps as its own.
    province_differs: bool,
}

fn row(s: &StoredProcedure, marks_of: Marks, review_months: u32, now: time::OffsetDateTime) -> String {
    let Marks { drafts, province_differs } = marks_of;
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
    let drafts = if drafts > 0 {
        format!(" <span class=\"draft\">· {drafts} bản nháp chưa công bố</span>")
    } else {
        String::new()
    };
    let province = if province_differs {
        " <span class=\"draft\">· tỉnh có bản khác <span class=\"en\">the province's differs</span></span>"
    } else {
        ""
    };
    format!(
        "<tr><td><a href=\"/quan-tri/thu-tuc/{code}\">{code}</a></td><td>{name}{due}{marks}{drafts}{province}</td>\
         <td>{field}</td><td>v{v} · {at} · {by}</td></tr>",
        code = escape(&p.code),
        name = escape(&p.name),
        field = escape(p.field_name()),
        v = s.version,
        at = escape(&crate::domain::clock::local_date_of(&s.imported_at)),
        by = escape(super::admin_edit::who(&s.source)),
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
    let read = hub.read_async(|store, _, _| Ok((catalog::draft_pages(store)?, catalog::province::differing(store)?)));
    let (drafts, differing) = match read.await {
        Ok(d) => d,
        Err(e) => return login_page(&hub, StatusCode::SERVICE_UNAVAILABLE, Some(&ApiError::from(e))),
    };
    let (now, review) = (hub.clock().now(), hub.config().catalog.review_months);
    let mut body = bar(&staff.name, &csrf, &q);
    let new_drafts = drafts.get(catalog::NEW_PAGE).map_or(String::new(), |n| format!(" · {n} bản nháp"));
    let _ = write!(
        body,
        "<p><a href=\"/quan-tri/thu-tuc/moi\">+ Thêm thủ tục <span class=\"en\">add a procedure</span></a>{new_drafts}</p>"
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
         <tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Công bố, rà soát</th></tr>",
        shown.len()
    );
    for s in shown {
        let marks = Marks {
            drafts: drafts.get(&s.procedure.code).copied().unwrap_or(0),
            province_differs: differing.contains(&s.procedure.code),
        };
        body.push_str(&row(s, marks, review, now));
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
