//! The catalog's public pages as HTML: a few kilobytes, no scripts, the same words as the kiosk's detail
//! screen (`domain::catalog::describe`), Vietnamese first and English second.

use super::api::ApiError;
use super::page::document;
use crate::app::catalog::Catalog;
use crate::config::Center;
use crate::domain::catalog::{describe, Procedure};
use crate::interchange::escape;
use crate::store::catalog::StoredProcedure;

const STYLE: &str = "a{color:#0b4f8a}.list{list-style:none;padding:0;margin:0}.list li{margin:.45rem 0}\
.list a{display:block;background:#fff;border-radius:.6rem;padding:.7rem .9rem;color:#111;text-decoration:none;\
box-shadow:0 1px 2px #0002;line-height:1.4}.list b{display:block;font-weight:600}\
.search{margin-bottom:1rem}.search .row{display:flex;gap:.4rem;margin-top:.3rem}\
.search input{flex:1;min-width:0;font:inherit;font-size:1.1rem;padding:.6rem;border:1px solid #99a;border-radius:.5rem}\
.search button{font:inherit;padding:.6rem 1rem;border:0;border-radius:.5rem;background:#0b4f8a;color:#fff}\
.search button .en{color:#dde6f0}\
h2{font-size:1.3rem;margin:.2rem 0 .6rem;line-height:1.4}h3{font-size:1rem;margin:0 0 .4rem;line-height:1.4}\
.text{margin:0;white-space:pre-line;line-height:1.45}.tag{font-size:.8rem;color:#1e7b34;font-weight:600}\
.apply{display:block;text-align:center;background:#1e7b34;color:#fff;border-radius:.6rem;padding:.8rem;\
font-weight:700;text-decoration:none;margin-top:.8rem}.apply .en{color:#fff;display:block;font-weight:400}\
.pager{display:flex;justify-content:space-between;margin:1rem 0}";

/// What `/thu-tuc` lists.
pub(crate) enum Shown<'a> {
    /// The fields, busiest first.
    Fields,
    /// One field's procedures, a page of them.
    Field { name: &'a str, all: Vec<usize>, page: usize },
    /// What a search found, best first.
    Found(&'a str, Vec<usize>),
}

fn footer(center: &str) -> String {
    format!(
        "<footer class=\"en\">Thông tin từ danh mục thủ tục hành chính đang công bố tại {c}.<br>\
         From the procedure catalog published by {c}.</footer>",
        c = escape(center)
    )
}

fn search_form(base: &str, q: &str) -> String {
    format!(
        "<form class=\"search\" action=\"{}/thu-tuc\" method=\"get\" role=\"search\"><label for=\"q\">\
         Tìm thủ tục (gõ có dấu hoặc không dấu) <span class=\"en\">· Search procedures</span></label>\
         <div class=\"row\"><input id=\"q\" name=\"q\" value=\"{}\" maxlength=\"100\" autocomplete=\"off\" \
         placeholder=\"vd: dang ky khai sinh\"><button>Tìm <span class=\"en\">Search</span></button></div></form>",
        escape(base),
        escape(q)
    )
}

fn field_link(base: &str, field: &str, page: usize) -> String {
    let mut pairs = vec![("linh-vuc", field.to_string())];
    if page > 0 {
        pairs.push(("trang", page.to_string()));
    }
    format!("{base}/thu-tuc?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

fn item(base: &str, p: &Procedure) -> String {
    let online =
        if p.submit_online().is_some() { " · <span class=\"tag\">Nộp trực tuyến được</span>" } else { "" };
    // The field in English too where it is known: the page is read in both languages.
    let field = match crate::domain::catalog::field_en(p.field_name()) {
        Some(en) => format!("{} · {en}", p.field_name()),
        None => p.field_name().to_string(),
    };
    format!(
        "<li><a href=\"{base}/thu-tuc/{code}\"><b>{name}</b><span class=\"en\">{code} · {field}</span>{online}</a></li>",
        base = escape(base),
        code = escape(&p.code),
        name = escape(&p.name),
        field = escape(&field),
    )
}

fn items<'a>(base: &str, catalog: &Catalog, shown: impl Iterator<Item = &'a usize>) -> String {
    let mut out = String::from("<ul class=\"list\">");
    for &i in shown {
        out.push_str(&item(base, &catalog.procedures()[i].procedure));
    }
    out.push_str("</ul>");
    out
}

/// `/thu-tuc`: the search form, then the fields, a field's procedures or what a search found. `base` goes
/// before every link (empty on the hub; a hall's own path at the province).
pub(crate) fn list(center: &str, base: &str, catalog: &Catalog, shown: &Shown<'_>) -> String {
    let q = if let Shown::Found(q, _) = shown { q } else { "" };
    let mut body = search_form(base, q);
    let title;
    match shown {
        Shown::Fields => {
            title = "Thủ tục hành chính".to_string();
            body.push_str(&format!(
                "<h2>Lĩnh vực <span class=\"en\">· Fields ({} thủ tục · procedures)</span></h2><ul class=\"list\">",
                catalog.len()
            ));
            for (field, n) in catalog.fields() {
                body.push_str(&format!(
                    "<li><a href=\"{}\"><b>{}</b><span class=\"en\">{n} thủ tục · procedures</span></a></li>",
                    escape(&field_link(base, field, 0)),
                    escape(field)
                ));
            }
            body.push_str("</ul>");
        }
        Shown::Field { name, all, page } => {
            title = name.to_string();
            let pages = all.len().div_ceil(super::catalog::PAGE_SIZE).max(1);
            let page = (*page).min(pages - 1);
            body.push_str(&format!("<h2>{} <span class=\"en\">({})</span></h2>", escape(name), all.len()));
            if all.is_empty() {
                body.push_str(&nothing());
            }
            let start = page * super::catalog::PAGE_SIZE;
            body.push_str(&items(base, catalog, all.iter().skip(start).take(super::catalog::PAGE_SIZE)));
            if pages > 1 {
                let link = |p: usize, vi: &str, en: &str| {
                    format!(
                        "<a href=\"{}\">{vi} <span class=\"en\">{en}</span></a>",
                        escape(&field_link(base, name, p))
                    )
                };
                let back =
                    if page > 0 { link(page - 1, "← Trang trước", "Previous") } else { "<span></span>".into() };
                let next =
                    if page + 1 < pages { link(page + 1, "Trang sau →", "Next") } else { "<span></span>".into() };
                body.push_str(&format!("<nav class=\"pager\">{back}<span>{} / {pages}</span>{next}</nav>", page + 1));
            }
        }
        Shown::Found(q, found) => {
            title = format!("Tìm: {q}");
            body.push_str(&format!(
                "<h2>Kết quả cho “{}” <span class=\"en\">· Results ({})</span></h2>",
                escape(q),
                found.len()
            ));
            if found.is_empty() {
                body.push_str(&nothing());
            }
            body.push_str(&items(base, catalog, found.iter()));
        }
    }
    if !matches!(shown, Shown::Fields) {
        body.push_str(&format!(
            "<p><a href=\"{}/thu-tuc\">← Tất cả lĩnh vực <span class=\"en\">· All fields</span></a></p>",
            escape(base)
        ));
    }
    document(center, &title, &body, "", STYLE, &footer(center))
}

fn nothing() -> String {
    "<div class=\"card\">Không tìm thấy thủ tục phù hợp. Hãy thử từ khác, hoặc chọn lĩnh vực.\
     <div class=\"en\">Nothing found. Try other words, or choose a field.</div></div>"
        .to_string()
}

/// `/thu-tuc/{code}`: the whole procedure in the kiosk's words, where to submit it in person, and the
/// link to submit it online when the catalog gives one.
pub(crate) fn procedure(center: &Center, base: &str, stored: &StoredProcedure) -> String {
    let p = &stored.procedure;
    let mut body = format!(
        "<p class=\"en\"><a href=\"{base}/thu-tuc\">← Danh mục thủ tục · All procedures</a></p>\
         <div class=\"card\"><div class=\"en\">{field} · {code}</div><h2>{name}</h2>",
        base = escape(base),
        field = escape(p.field_name()),
        code = escape(&p.code),
        name = escape(&p.name),
    );
    if let Some(url) = p.submit_online() {
        body.push_str(&format!(
            "<a class=\"apply\" href=\"{}\" rel=\"noopener\">Nộp trực tuyến<span class=\"en\">Apply online on the \
             public-service portal</span></a>",
            escape(url)
        ));
    }
    body.push_str("</div>");
    for section in describe(p) {
        let (vi, en) = section.kind.heading(&section.subject);
        body.push_str(&format!(
            "<div class=\"card\"><h3>{} <span class=\"en\">· {}</span></h3><p class=\"text\">{}</p></div>",
            escape(&vi),
            escape(&en),
            escape(&section.text)
        ));
    }
    let mut place = format!("{}\n{}", center.name, center.address);
    if !center.hours.is_empty() {
        place.push_str(&format!("\nGiờ làm việc: {}", center.hours));
    }
    if !center.phone.is_empty() {
        place.push_str(&format!("\nĐiện thoại: {}", center.phone));
    }
    body.push_str(&format!(
        "<div class=\"card\"><h3>Nộp trực tiếp tại <span class=\"en\">· Submit in person at</span></h3>\
         <p class=\"text\">{}</p></div><p class=\"en\">Phiên bản {v}, cập nhật {d} · Version {v}, updated {d}</p>",
        escape(&place),
        v = stored.version,
        d = crate::domain::clock::local_date_of(&stored.imported_at),
    ));
    document(&center.name, &p.name, &body, "", STYLE, &footer(&center.name))
}

/// A page of the catalog's look with a body of the caller's.
pub(crate) fn page(center: &str, title: &str, body: &str) -> String {
    document(center, title, body, "", STYLE, &footer(center))
}

/// A page saying why there is nothing to show.
pub(crate) fn error(center: &str, base: &str, e: &ApiError) -> String {
    let body = format!(
        "<div class=\"card\"><div class=\"big\">{}</div><div class=\"en\">{}</div></div>\
         <p><a href=\"{}/thu-tuc\">← Danh mục thủ tục <span class=\"en\">· All procedures</span></a></p>",
        escape(&e.vi),
        escape(&e.en),
        escape(base)
    );
    document(center, "Thủ tục hành chính", &body, "", STYLE, &footer(center))
}
