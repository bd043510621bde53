//! The catalog's public pages for phones, for real: `/thu-tuc` and `/thu-tuc/{code}` over HTTP on loopback
//! from a hub on a real SQLite file, in the kiosk's words, following an import without a restart, refusing
//! what it cannot answer with a page that says why; and in headless Chromium, searched without diacritics.

mod common;

use common::browser::Browser;
use common::hub::*;
use motcua::app::catalog;
use motcua::config::Config;
use motcua::domain::catalog::{describe, Procedure};
use motcua::store::Store;
use time::macros::datetime;

fn hall() -> TestHub {
    let config = open_all_day(Config::default());
    start_with(config, datetime!(2026-12-01 08:00 +7), |store| {
        catalog::seed_demo(store, &common::clock()).unwrap();
    })
}

/// A page: status, body and headers.
fn page(h: &TestHub, path: &str) -> (u16, String, String) {
    let mut r = agent().get(&h.url(path)).call().unwrap();
    let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap(), kind)
}

/// The links to procedures a listing shows, in order.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"/thu-tuc/").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn demo(code: &str) -> Procedure {
    let file = motcua::interchange::read_catalog(&common::demo_catalog()).unwrap();
    file.procedures.into_iter().find(|p| p.code == code).unwrap()
}

#[test]
fn fields_search_without_diacritics_and_a_field_list_are_small_pages_without_scripts() {
    let h = hall();
    let (status, html, kind) = page(&h, "/thu-tuc");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(!html.contains("<script"), "no scripts");
    // Every field of the demo catalog with its count, busiest first: Hộ tịch has the most.
    assert!(html.contains("56 thủ tục"), "the whole count");
    let first_field = html.split("linh-vuc=").nth(1).unwrap();
    assert!(first_field.starts_with("H%E1%BB%99+t%E1%BB%8Bch"), "Hộ tịch first: {}", &first_field[..40]);

    // Typed without diacritics, as on the kiosk.
    let (status, found, _) = page(&h, "/thu-tuc?q=dang+ky+khai+sinh");
    assert_eq!(status, 200);
    assert_eq!(links(&found).first().map(String::as_str), Some("1.001193"), "the birth registration first");
    assert!(found.contains("Kết quả cho “dang ky khai sinh”"));
    assert!(found.contains("value=\"dang ky khai sinh\""), "the search stays in its box");

    let (_, nothing, _) = page(&h, "/thu-tuc?q=xyzzy+plugh");
    assert!(links(&nothing).is_empty() && nothing.contains("Không tìm thấy thủ tục phù hợp"));

    let (status, field, _) = page(&h, "/thu-tuc?linh-vuc=H%E1%BB%99+t%E1%BB%8Bch");
    assert_eq!(status, 200);
    let listed = links(&field);
    let stored = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let all = motcua::store::catalog::current(stored.conn()).unwrap();
    let expected = all.iter().filter(|s| s.procedure.field_name() == "Hộ tịch").count();
    assert_eq!(listed.len(), expected, "every procedure of the field (fewer than a page)");
    assert!(listed.contains(&"1.000894".to_string()));
    // The marriage registration can be submitted online: the list says so.
    let marriage = field.split("href=\"/thu-tuc/1.000894\"").nth(1).unwrap();
    assert!(marriage[..marriage.find("</li>").unwrap()].contains("Nộp trực tuyến được"));
    for html in [&html, &found, &field] {
        assert!(html.len() < 20_000, "a listing is {} bytes", html.len());
    }
}

#[test]
fn a_procedure_page_says_what_the_kiosk_says_and_links_to_online_submission_only_where_the_catalog_does() {
    let h = hall();
    let (status, html, _) = page(&h, "/thu-tuc/1.000894");
    assert_eq!(status, 200);
    assert!(html.len() < 20_000, "{} bytes", html.len());
    let p = demo("1.000894");
    assert!(html.contains(&format!("<h2>{}</h2>", p.name)));
    // Every section of the kiosk's detail screen, heading and text, in the same words.
    for section in describe(&p) {
        let (vi, en) = section.kind.heading(&section.subject);
        let text = format!("<p class=\"text\">{}</p>", motcua_escape(&section.text));
        assert!(html.contains(&motcua_escape(&vi)) && html.contains(&motcua_escape(&en)), "heading {vi}");
        assert!(html.contains(&text), "section {vi}: {}", section.text);
    }
    // Full online service with its portal page: one link, to that page.
    let apply: Vec<&str> = html.split("class=\"apply\" href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(apply, [p.online_url.as_deref().unwrap()]);
    assert!(html.contains("Nộp trực tiếp tại") && html.contains("Địa chỉ mẫu, xã Minh Họa"));

    // An address but no online level (1.004194): the catalog does not say it can be submitted online.
    let (_, residence, _) = page(&h, "/thu-tuc/1.004194");
    assert!(demo("1.004194").online_url.is_some());
    assert!(!residence.contains("class=\"apply\""), "no online link the catalog does not give");
    // Nor with none at all.
    let (_, birth, _) = page(&h, "/thu-tuc/1.001193");
    assert!(!birth.contains("class=\"apply\"") && birth.contains("Thủ tục đăng ký khai sinh"));
}

fn motcua_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn refusals_are_pages_that_say_why() {
    let h = hall();
    for (path, status, words) in [
        ("/thu-tuc/9.999999", 404, "Không có thủ tục này"),
        ("/thu-tuc/%3Cscript%3E", 404, "Không có thủ tục này"),
        ("/thu-tuc?trang=-1", 400, "không hợp lệ"),
    ] {
        let (got, html, kind) = page(&h, path);
        assert_eq!((got, kind.starts_with("text/html")), (status, true), "{path}");
        assert!(html.contains(words) && html.contains("href=\"/thu-tuc\""), "{path}: {html}");
        assert!(!html.contains("<script"), "{path}");
    }
    let long = "a".repeat(101);
    let (got, html, _) = page(&h, &format!("/thu-tuc?q={long}"));
    assert_eq!(got, 400);
    assert!(html.contains("dài quá 100 ký tự"));
    // What a citizen typed comes back escaped.
    let (_, html, _) = page(&h, "/thu-tuc?q=%3Cb%3Ekhai+sinh%22");
    assert!(html.contains("value=\"&lt;b&gt;khai sinh&quot;\"") && !html.contains("<b>khai"));
}

#[test]
fn an_import_shows_on_the_public_pages_without_a_restart() {
    let h = hall();
    let (_, before, _) = page(&h, "/thu-tuc/1.001193");
    assert!(before.contains("Phiên bản 1"));
    let mut changed = demo("1.001193");
    changed.name = "Thủ tục đăng ký khai sinh (sửa đổi)".into();
    changed.keywords.push("giấy khai sinh mới".into());
    let mut store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    catalog::import(&mut store, &[changed], "test", &common::later_clock()).unwrap();
    let (_, after, _) = page(&h, "/thu-tuc/1.001193");
    assert!(after.contains("<h2>Thủ tục đăng ký khai sinh (sửa đổi)</h2>") && after.contains("Phiên bản 2"));
    // The import was stamped by a clock ahead of the hub's (another machine's): numbers are still given,
    // since a catalog publish does not order the queue.
    h.take("HT", None);
    let (_, found, _) = page(&h, "/thu-tuc?q=sua+doi");
    assert_eq!(links(&found).first().map(String::as_str), Some("1.001193"), "the search index follows too");
    assert!(unescape(&found).contains("(sửa đổi)"));
}

#[test]
fn a_phone_browser_searches_and_opens_a_procedure() {
    // As narrow as headless Chromium goes (500 px), about a phone held upright.
    let phone = ["--window-size=390,844".to_string()];
    let Some(browser) = Browser::start_with("a_phone_browser_searches_and_opens_a_procedure", &phone) else {
        return;
    };
    let h = hall();
    browser.open(&h.url("/thu-tuc"));
    browser.screenshot("public-fields.png");
    browser.fill("#q", "dang ky ket hon");
    browser.click(".search button");
    browser.wait_text("h2", "the results", |t| t.starts_with("Kết quả cho “dang ky ket hon”"));
    browser.screenshot("public-search.png");
    browser.click(".list a[href='/thu-tuc/1.000894']");
    browser.wait_text("h2", "the procedure", |t| t == "Thủ tục đăng ký kết hôn");
    browser.screenshot("public-procedure.png");
    let apply = browser.js("return document.querySelector('a.apply').href");
    assert_eq!(apply.as_str(), Some("https://dichvucong.gov.vn/"));
    let headings = browser.js("return [...document.querySelectorAll('h3')].map(e => e.innerText).join('|')");
    assert!(headings.as_str().unwrap().contains("Thành phần hồ sơ cần nộp"), "{headings}");
    // The page fits the phone: nothing wider than its screen.
    let fits = browser.js("return [window.innerWidth, document.documentElement.scrollWidth]");
    assert!(fits[0].as_i64().unwrap() <= 520 && fits[1].as_i64() <= fits[0].as_i64(), "{fits}");
}

#[test]
fn a_kiosk_loads_the_published_catalog_by_its_stamp_and_hears_each_publish_on_the_stream() {
    let h = hall();
    assert_eq!(h.get("/api/v1/catalog", None).status, 401, "for the hall's devices only");
    let first = h.get("/api/v1/catalog", Some(&h.kiosk_token));
    assert_eq!(first.status, 200);
    let stamp = first.header("etag").unwrap().to_string();
    assert_eq!(first.json["stamp"].as_str(), Some(stamp.as_str()));
    assert_eq!(first.json["procedures"].as_array().unwrap().len(), 56);
    // Unchanged: nothing to load.
    let mut again = agent().get(&h.url("/api/v1/catalog"));
    again = again.header("Authorization", &format!("Bearer {}", h.kiosk_token)).header("If-None-Match", &stamp);
    assert_eq!(again.call().unwrap().status().as_u16(), 304);

    let mut events = SseClient::connect(h.addr, &h.kiosk_token, None);
    let mut store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let mut changed = demo("1.000894");
    changed.name = "Thủ tục đăng ký kết hôn (mới)".into();
    catalog::import(&mut store, &[changed], "staff.json", &common::later_clock()).unwrap();
    // Written by another process: the hub publishes it on the stream by itself.
    let published = events.next_of("catalog_published").expect("the publish on the stream");
    assert_eq!(published.data["actor"], "import:staff.json");
    let detail: serde_json::Value = serde_json::from_str(published.data["detail"].as_str().unwrap()).unwrap();
    assert_eq!((detail["added"].as_u64(), detail["changed"].as_u64()), (Some(0), Some(1)));
    let after = h.get("/api/v1/catalog", Some(&h.kiosk_token));
    assert_ne!(after.header("etag"), Some(stamp.as_str()));
    let p = after.json["procedures"].as_array().unwrap().iter().find(|p| p["procedure"]["code"] == "1.000894").cloned();
    assert_eq!(
        p.map(|p| (p["version"].clone(), p["procedure"]["name"].clone())),
        Some((2.into(), "Thủ tục đăng ký kết hôn (mới)".into()))
    );
    // An import that changes nothing publishes nothing.
    catalog::import(&mut store, &[demo("1.001193")], "same.json", &common::later_clock()).unwrap();
    let ids = motcua::store::queue::events_after(store.conn(), 0, 10_000).unwrap();
    let publishes = ids.iter().filter(|e| e.kind == motcua::domain::ticket::EventKind::CatalogPublished).count();
    assert_eq!(publishes, 2, "the demo seed and the one change");
}
