//! `/quan-tri/thu-tuc/{code}`: one procedure's page on the admin site. Staff edit it in the structured form
//! (`admin_form`) or as JSON (`?dang=json`). Every post keeps the form as the staff member's draft in the
//! store, so a closed tab, another computer or a power cut loses nothing; "Xem trước" shows the draft in the
//! kiosk's words with the changes field by field; "Công bố" publishes it as a new version (refused, with
//! why, when it breaks a rule or when someone else published since the draft began); "Bỏ bản nháp" throws
//! it away. The page lists who else has a draft, and the procedure's history: versions, drafts, retirement.

use super::admin::{admin, login_page, shell};
use super::admin_form::{self, RowChange};
use super::console::page_response;
use super::reply::{same_secret, ApiError, FormBody, PathArg, QueryArg};
use super::reports::field;
use super::Hub;
use crate::app::catalog::{self, CatalogError, EditRefusal, Editing, NEW_PAGE};
use crate::domain::catalog::{describe, Problem, Procedure};
use crate::domain::clock::{local_stamp_of, Clock};
use crate::domain::diff::{changes, Change};
use crate::interchange::escape;
use crate::store::catalog::StoredProcedure;
use crate::store::draft::{Draft, Edit, EditAction};
use crate::store::Store;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

type Hubs = State<Arc<Hub>>;

/// How the draft is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Form,
    Json,
}

/// What the store holds for one page.
struct Stored {
    versions: Vec<StoredProcedure>,
    published: Option<i64>,
    drafts: Vec<Draft>,
    edits: Vec<Edit>,
    /// The province's version of the procedure as last pulled, and whether the hall keeps its own.
    province: Option<(i64, Procedure)>,
    own: bool,
}

impl Stored {
    fn current(&self) -> Option<&StoredProcedure> {
        self.versions.iter().find(|v| Some(v.version) == self.published)
    }

    fn mine(&self, actor: &str) -> Option<&Draft> {
        self.drafts.iter().find(|d| d.actor == actor)
    }
}

async fn stored(hub: &Arc<Hub>, page: &str) -> Result<Stored, ApiError> {
    let page = page.to_string();
    hub.read_async(move |store, _, _| {
        Ok(Stored {
            versions: catalog::versions(store, &page)?,
            published: catalog::current_version(store, &page)?,
            drafts: catalog::drafts(store, &page)?,
            edits: catalog::edits(store, &page)?,
            province: catalog::province::offered(store, &page)?,
            own: catalog::province::own(store.conn(), &page)?,
        })
    })
    .await
    .map_err(ApiError::from)
}

/// A message above the form: (fine, Vietnamese, English).
type Message = (bool, String, String);

/// What one render of the page shows.
struct View<'a> {
    page: &'a str,
    actor: &'a str,
    mode: Mode,
    /// The draft shown in the form: its base and text.
    base: i64,
    text: &'a str,
    message: Option<Message>,
    problems: &'a [Problem],
    preview: Option<&'a Procedure>,
}

fn notice(class: &str, vi: &str, en: &str) -> String {
    format!("<p class=\"{class}\" role=\"status\">{} <span class=\"en\">{}</span></p>", escape(vi), escape(en))
}

/// A staff member's username from a stored actor (`staff:<username>`); another source as it is.
pub(super) fn who(actor: &str) -> &str {
    actor.strip_prefix("staff:").unwrap_or(actor)
}

fn body(csrf: &str, s: &Stored, v: &View<'_>) -> (String, String) {
    let current = s.current();
    let title = current.or(s.versions.last()).map_or("Thủ tục mới".to_string(), |c| c.procedure.name.clone());
    let mut out = String::from("<p><a href=\"/quan-tri\">← Danh sách <span class=\"en\">all procedures</span></a></p>");
    let _ = write!(out, "<h2>{} <span class=\"en\">{}</span></h2>", escape(&title), escape(v.page));
    if current.is_some() {
        let _ = write!(out, "<p><a href=\"/quan-tri/niem-yet?ma={}\">Tờ niêm yết (PDF)</a></p>", escape(v.page));
    }
    if let Some((ok, vi, en)) = &v.message {
        out.push_str(&notice(if *ok { "ok" } else { "err" }, vi, en));
    }
    if let Some(d) = s.mine(v.actor) {
        let _ = write!(
            out,
            "<p class=\"draft\">Bản nháp của bạn, lưu lúc {}, chưa công bố. <span class=\"en\">your draft, not published</span></p>",
            escape(&local_stamp_of(&d.saved_at))
        );
    }
    // A draft begun from an older version than the one published now (a retirement says so itself).
    let published = s.published.unwrap_or(0);
    if published != 0 && v.base != published {
        out.push_str(&notice(
            "err",
            &format!(
                "Bản nháp bắt đầu từ phiên bản {}, nay phiên bản {} đang công bố. Công bố sẽ bị từ chối: xem thay đổi, \
                 bỏ bản nháp rồi sửa lại trên bản mới.",
                v.base, published
            ),
            "the draft began from an older version; publishing it will be refused",
        ));
    }
    for d in s.drafts.iter().filter(|d| d.actor != v.actor) {
        let _ = write!(
            out,
            "<p class=\"draft\">{} cũng có bản nháp chưa công bố, lưu lúc {}. <span class=\"en\">another draft</span></p>",
            escape(who(&d.actor)),
            escape(&local_stamp_of(&d.saved_at))
        );
    }
    out.push_str(&province(csrf, s));
    if let Some(p) = v.preview {
        out.push_str(&preview(current.map(|c| &c.procedure), p));
    }
    out.push_str(&form(csrf, current.is_some(), v));
    out.push_str(&history(s));
    (title, out)
}

/// The province's version beside the hall's: whether the procedure follows the province, or, when the hall
/// keeps its own and the province publishes another text, what differs and a button to take the
/// province's.
fn province(csrf: &str, s: &Stored) -> String {
    let Some((version, offered)) = &s.province else { return String::new() };
    let current = s.current().map(|c| &c.procedure);
    if !s.own {
        return format!(
            "<p class=\"ok\">Theo danh mục của tỉnh (phiên bản {version} của tỉnh). <span class=\"en\">follows the \
             province's catalog</span></p>"
        );
    }
    let before = current.map(|c| serde_json::to_value(c).unwrap_or_default()).unwrap_or_default();
    let changed = changes(&before, &serde_json::to_value(offered).unwrap_or_default());
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section class=\"diff\" id=\"ban-tinh\"><h3>Tỉnh công bố phiên bản {version} khác bản của xã \
         <span class=\"en\">the province publishes another text</span></h3>\
         <p>Thủ tục này là bản riêng của xã (đã sửa, thêm hoặc bãi bỏ tại đây), nên không theo bản của tỉnh cho đến \
         khi nhận. <span class=\"en\">The hall's own until it takes the province's.</span></p>\
         <table><tr><th>Mục</th><th>Bản của xã</th><th>Bản của tỉnh</th></tr>"
    );
    for c in &changed {
        out.push_str(&diff_row(c));
    }
    let _ = write!(
        out,
        "</table><form method=\"post\" action=\"/quan-tri/thu-tuc/{page}\"><input type=\"hidden\" name=\"csrf\" \
         value=\"{csrf}\"><input type=\"hidden\" name=\"base\" value=\"{base}\"><button type=\"submit\" \
         name=\"action\" value=\"nhan-ban-tinh\">Nhận bản của tỉnh <span class=\"en\">Take the province's \
         version</span></button></form></section>",
        page = escape(&offered.code),
        csrf = escape(csrf),
        base = s.published.unwrap_or(0),
    );
    out
}

fn preview(current: Option<&Procedure>, p: &Procedure) -> String {
    let before = current.map(|c| serde_json::to_value(c).unwrap_or_default()).unwrap_or_default();
    let after = serde_json::to_value(p).unwrap_or_default();
    let changed = changes(&before, &after);
    let mut out = String::from(
        "<section class=\"diff\"><h3>Thay đổi so với bản đang công bố <span class=\"en\">changes</span></h3>",
    );
    if changed.is_empty() {
        out.push_str("<p>Không có thay đổi. <span class=\"en\">Nothing changes.</span></p>");
    } else {
        out.push_str("<table>");
        for c in &changed {
            out.push_str(&diff_row(c));
        }
        out.push_str("</table>");
    }
    out.push_str(
        "</section><section class=\"preview\"><h3>Xem trước như trên ki-ốt <span class=\"en\">as the kiosk shows it</span></h3>",
    );
    let _ = write!(out, "<h4>{}</h4>", escape(&p.name));
    for section in describe(p) {
        let (vi, _) = section.kind.heading(&section.subject);
        let _ = write!(out, "<h4>{}</h4><p>{}</p>", escape(&vi), escape(&section.text));
    }
    out.push_str("</section>");
    out
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

fn form(csrf: &str, published: bool, v: &View<'_>) -> String {
    let page = escape(v.page);
    // The form needs a procedure; a JSON draft that does not read as one stays in the JSON editor.
    let readable = if v.mode == Mode::Form { serde_json::from_str::<Procedure>(v.text).ok() } else { None };
    let switch = match readable {
        Some(_) => format!(
            "<a href=\"/quan-tri/thu-tuc/{page}?dang=json\">Sửa dạng JSON <span class=\"en\">edit as JSON</span></a>"
        ),
        None if v.mode == Mode::Form => "Bản nháp chưa đọc được thành thủ tục: sửa dạng JSON cho đến khi đọc được. \
             <span class=\"en\">the draft is not a procedure yet</span>"
            .to_string(),
        None => format!(
            "<a href=\"/quan-tri/thu-tuc/{page}\">Sửa bằng biểu mẫu <span class=\"en\">edit in the form</span></a>"
        ),
    };
    let mut out = format!(
        "<p class=\"switch\">{switch}</p><form method=\"post\" action=\"/quan-tri/thu-tuc/{page}\" class=\"editor\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"base\" value=\"{}\">",
        escape(csrf),
        v.base
    );
    match readable {
        Some(p) => {
            out.push_str("<input type=\"hidden\" name=\"dang\" value=\"bieu-mau\">");
            out.push_str(&admin_form::render(&p, v.page == NEW_PAGE, v.problems));
        }
        None => {
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"dang\" value=\"json\">\
                 <label>Nội dung thủ tục (dạng JSON của docs/catalog-format.md) <span class=\"en\">the procedure</span>\
                 <textarea name=\"text\" id=\"text\" spellcheck=\"false\">{}</textarea></label>",
                escape(v.text)
            );
        }
    }
    out.push_str(
        "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"luu\" formnovalidate>Lưu nháp <span class=\"en\">Save draft</span></button> \
         <button type=\"submit\" name=\"action\" value=\"xem\">Xem trước <span class=\"en\">Preview</span></button> \
         <button type=\"submit\" name=\"action\" value=\"cong-bo\">Công bố <span class=\"en\">Publish</span></button> \
         <button type=\"submit\" name=\"action\" value=\"bo-nhap\" formnovalidate>Bỏ bản nháp <span class=\"en\">Discard draft</span></button>",
    );
    if published {
        out.push_str(
            " <button type=\"submit\" name=\"action\" value=\"bai-bo\" formnovalidate>Bãi bỏ thủ tục <span class=\"en\">Retire</span></button>",
        );
    }
    out.push_str("</p></form>");
    out
}

/// The page's history, newest first: staff's edits in the order they happened (a run of draft saves by
/// one person is one line), and versions that came from an import placed among them by their time.
fn history(s: &Stored) -> String {
    type Line = (String, String, String);
    let mut lines: Vec<Line> = Vec::new();
    let mut run: Option<(Edit, usize)> = None;
    let flush = |run: &mut Option<(Edit, usize)>, lines: &mut Vec<Line>| {
        if let Some((e, n)) = run.take() {
            let times = if n > 1 { format!(" ({n} lần)") } else { String::new() };
            lines.push((e.at, format!("Lưu bản nháp từ phiên bản {}{times}", e.version), e.actor));
        }
    };
    for e in &s.edits {
        if e.action == EditAction::Draft {
            match &mut run {
                Some((last, n)) if last.actor == e.actor => {
                    *last = e.clone();
                    *n += 1;
                }
                _ => {
                    flush(&mut run, &mut lines);
                    run = Some((e.clone(), 1));
                }
            }
            continue;
        }
        flush(&mut run, &mut lines);
        let what = match e.action {
            EditAction::Discard => "Bỏ bản nháp".to_string(),
            EditAction::Retire => format!("Bãi bỏ (phiên bản {})", e.version),
            _ => format!("Công bố phiên bản {}", e.version),
        };
        lines.push((e.at.clone(), what, e.actor.clone()));
    }
    flush(&mut run, &mut lines);
    let instant = |at: &str| time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok();
    let by_staff: Vec<i64> = s.edits.iter().filter(|e| e.action == EditAction::Publish).map(|e| e.version).collect();
    for v in s.versions.iter().filter(|v| !by_staff.contains(&v.version)) {
        let at = lines.iter().position(|(t, _, _)| instant(t) > instant(&v.imported_at)).unwrap_or(lines.len());
        lines.insert(at, (v.imported_at.clone(), format!("Công bố phiên bản {}", v.version), v.source.clone()));
    }
    let mut out = String::from(
        "<h3>Lịch sử <span class=\"en\">history</span></h3><table class=\"history\"><tr><th>Lúc</th><th>Việc</th><th>Bởi</th></tr>",
    );
    for (at, what, by) in lines.iter().rev() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&local_stamp_of(at)),
            escape(what),
            escape(who(by))
        );
    }
    out.push_str("</table>");
    out
}

/// A new procedure's starting text: the least a procedure needs, to fill in.
fn template() -> String {
    "{\n  \"code\": \"\",\n  \"name\": \"\",\n  \"field\": \"\",\n  \"levels\": [\"xa\"],\n  \"cases\": [{ \"channels\": [{ \"kind\": \"truc_tiep\" }] }],\n  \"verified\": false\n}\n".to_string()
}

/// The page, with the draft of `v` (or, with no text given, the staff member's stored draft, else the
/// current version, else the last retired one, else the template).
async fn render(hub: &Arc<Hub>, csrf: &str, v: View<'_>, status: StatusCode) -> Response {
    let s = match stored(hub, v.page).await {
        Ok(s) => s,
        Err(e) => return login_page(hub, e.status, Some(&e)),
    };
    if s.versions.is_empty() && v.page != NEW_PAGE {
        return no_such_procedure(hub);
    }
    let pretty = |p: &Procedure| serde_json::to_string_pretty(p).unwrap_or_default();
    let (base, text) = if !v.text.is_empty() {
        (v.base, v.text.to_string())
    } else if let Some(d) = s.mine(v.actor) {
        (d.base, d.body.clone())
    } else if let Some(c) = s.current() {
        (c.version, pretty(&c.procedure))
    } else if let Some(last) = s.versions.last() {
        (0, pretty(&last.procedure))
    } else {
        (0, template())
    };
    let mut message = v.message.clone();
    if message.is_none() && s.current().is_none() && !s.versions.is_empty() {
        message = Some((
            false,
            "Thủ tục này đã bãi bỏ, không còn niêm yết. Công bố lại nếu cần.".into(),
            "this procedure is retired; publish it again if needed".into(),
        ));
    }
    let shown = View { base, text: &text, message, ..v };
    let (title, html) = body(csrf, &s, &shown);
    page_response(status, shell(&hub.config().center.name, &title, &html))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// The version just published (after the redirect).
    #[serde(default, rename = "cong-bo")]
    published: Option<i64>,
    #[serde(default)]
    dang: Option<String>,
}

/// The page of `code` ("moi": a new procedure).
pub async fn procedure(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(code): PathArg<String>,
    query: Result<QueryArg<PageQuery>, ApiError>,
) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let q = query.map(|QueryArg(q)| q).unwrap_or_default();
    let message = q.published.map(|v| {
        (
            true,
            format!("Đã công bố phiên bản {v}. Ki-ốt, trang điện thoại và bảng niêm yết theo bản mới."),
            format!("version {v} published; kiosks and phone pages follow it"),
        )
    });
    let mode = if q.dang.as_deref() == Some("json") { Mode::Json } else { Mode::Form };
    let actor = format!("staff:{}", staff.username);
    let view = View { page: &code, actor: &actor, mode, base: 0, text: "", message, problems: &[], preview: None };
    render(&hub, &csrf, view, StatusCode::OK).await
}

fn see(page: &str, query: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/quan-tri/thu-tuc/{page}{query}"))]).into_response()
}

/// Runs one step of an edit in the hub's writer.
async fn in_writer<T: Send + 'static>(
    hub: &Arc<Hub>,
    page: &str,
    base: i64,
    actor: &str,
    f: impl FnOnce(&mut Store, &Editing<'_>, &dyn Clock) -> Result<T, CatalogError> + Send + 'static,
) -> Result<T, ApiError> {
    let (page, actor) = (page.to_string(), actor.to_string());
    hub.change_async(move |store, _, clock| Ok(f(store, &Editing { page: &page, base, actor: &actor }, clock)?))
        .await
        .map_err(ApiError::from)
}

fn no_such_procedure(hub: &Hub) -> Response {
    let e = ApiError::new(StatusCode::NOT_FOUND, "not_found", "Không có thủ tục này.", "no such procedure");
    login_page(hub, StatusCode::NOT_FOUND, Some(&e))
}

fn unavailable(hub: &Hub, e: &ApiError) -> Response {
    login_page(hub, e.status, Some(e))
}

/// A refusal's words, and the problems to show beside their inputs.
fn refused(e: &EditRefusal) -> (Message, Vec<Problem>) {
    let (vi, en) = e.words();
    let problems = match e {
        EditRefusal::Problems(p) => p.clone(),
        _ => Vec::new(),
    };
    ((false, vi, en), problems)
}

/// The form's post. Every action but "bỏ bản nháp" and "bãi bỏ" first keeps the form as the draft.
pub async fn post(
    State(hub): Hubs,
    headers: HeaderMap,
    PathArg(page): PathArg<String>,
    form: Result<FormBody, ApiError>,
) -> Response {
    let (staff, csrf) = match admin(&hub, &headers).await {
        Ok(found) => found,
        Err(shown) => return shown,
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
    let actor = format!("staff:{}", staff.username);
    let base: i64 = field(&pairs, "base").parse().unwrap_or(-1);
    let action = field(&pairs, "action");
    let mode = if field(&pairs, "dang") == "json" { Mode::Json } else { Mode::Form };
    let view = View { page: &page, actor: &actor, mode, base, text: "", message: None, problems: &[], preview: None };
    match action.as_str() {
        "bo-nhap" => {
            return match in_writer(&hub, &page, base, &actor, catalog::discard_draft).await {
                Ok(_) => see(&page, ""),
                Err(e) => unavailable(&hub, &e),
            }
        }
        "nhan-ban-tinh" => {
            let accepted = in_writer(&hub, &page, base, &actor, move |store, editing, clock| {
                catalog::province::accept(store, editing.page, editing.base, editing.actor, clock)
            });
            return match accepted.await {
                Ok(Ok(version)) => see(&page, &format!("?cong-bo={version}")),
                Ok(Err(e)) => {
                    let (message, _) = refused(&e);
                    render(&hub, &csrf, View { message: Some(message), ..view }, StatusCode::CONFLICT).await
                }
                Err(e) => unavailable(&hub, &e),
            };
        }
        "bai-bo" => {
            return match in_writer(&hub, &page, base, &actor, catalog::retire).await {
                Ok(Ok(())) => see(&page, ""),
                Ok(Err(e)) => {
                    let (message, _) = refused(&e);
                    render(&hub, &csrf, View { message: Some(message), ..view }, StatusCode::CONFLICT).await
                }
                Err(e) => unavailable(&hub, &e),
            }
        }
        _ => {}
    }
    // Only a procedure that exists (published or retired), or the new-procedure page, keeps drafts.
    if page != NEW_PAGE {
        let code = page.clone();
        match hub.read_async(move |store, _, _| Ok(catalog::versions(store, &code)?.is_empty())).await {
            Ok(false) => {}
            Ok(true) => return no_such_procedure(&hub),
            Err(e) => return unavailable(&hub, &ApiError::from(e)),
        }
    }
    // The draft's text: as typed (JSON), or the procedure the form describes, with a row added or removed.
    let row = RowChange::parse(&action);
    let text = match mode {
        Mode::Json => field(&pairs, "text"),
        Mode::Form => match admin_form::read(&pairs) {
            Ok(mut p) => {
                if let Some(change) = row {
                    change.apply(&mut p);
                }
                serde_json::to_string_pretty(&p).unwrap_or_default()
            }
            Err(problem) => {
                // Not even a draft: say where, and show the draft as last kept.
                let message =
                    (false, format!("Chưa lưu được bản nháp: {problem}"), format!("draft not saved: {problem}"));
                let problems = [problem];
                let shown = View { message: Some(message), problems: &problems, ..view };
                return render(&hub, &csrf, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let draft = text.clone();
    let kept = in_writer(&hub, &page, base, &actor, move |store, editing, clock| {
        catalog::save_draft(store, editing, &draft, clock)
    });
    if let Err(e) = kept.await {
        return unavailable(&hub, &e);
    }
    let view = View { text: &text, ..view };
    if action == "luu" || row.is_some() {
        let message = (true, "Đã lưu bản nháp, chưa công bố.".into(), "draft saved; not published yet".into());
        return render(&hub, &csrf, View { message: Some(message), ..view }, StatusCode::OK).await;
    }
    // A new procedure is published under the code it is given.
    let code = if page == NEW_PAGE {
        serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_string))
            .unwrap_or_default()
    } else {
        page.clone()
    };
    let procedure = match catalog::read_edit(&code, &text) {
        Ok(p) => p,
        Err(e) => {
            let (message, problems) = refused(&e);
            let shown = View { message: Some(message), problems: &problems, ..view };
            return render(&hub, &csrf, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if action != "cong-bo" {
        let message = (
            true,
            "Bản nháp hợp lệ, đã lưu, chưa công bố.".into(),
            "the draft is valid and saved; not published yet".into(),
        );
        return render(&hub, &csrf, View { message: Some(message), preview: Some(&procedure), ..view }, StatusCode::OK)
            .await;
    }
    let p = procedure.clone();
    let published =
        in_writer(&hub, &page, base, &actor, move |store, editing, clock| catalog::publish(store, &p, editing, clock));
    match published.await {
        Ok(Ok(version)) => see(&procedure.code, &format!("?cong-bo={version}")),
        Ok(Err(e)) => {
            let status = if matches!(e, EditRefusal::Conflict { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let (message, problems) = refused(&e);
            let shown = View { message: Some(message), problems: &problems, preview: Some(&procedure), ..view };
            render(&hub, &csrf, shown, status).await
        }
        Err(e) => unavailable(&hub, &e),
    }
}
