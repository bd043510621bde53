//! `/quan-tri` for real, over HTTP on loopback from a hub on a real SQLite file: an admin edits a procedure
//! (in the structured form or as JSON), previews it in the kiosk's words with the changes field by field,
//! and publishes it; the public page and the stream follow. Drafts are kept on the hub until published or
//! thrown away. A non-admin is refused; a draft that breaks a rule is refused naming the field; the second
//! of two editors who opened the same version is refused and loses nothing of the first's. And the same in
//! headless Chromium.

mod common;
#[path = "common/form.rs"]
mod form;

use common::browser::Browser;
use common::hub::*;
use motcua::app::catalog;
use motcua::config::Config;
use motcua::store::Store;
use time::macros::datetime;

fn hall() -> TestHub {
    let config = open_all_day(Config::default());
    start_with(config.clone(), datetime!(2026-12-01 08:00 +7), move |store| {
        catalog::seed_demo(store, &common::clock()).unwrap();
        let c = common::clock();
        motcua::app::staff::add(store, &config, "tuan.admin", "Lê Anh Tuấn", "admin", "mật khẩu quản trị 1", &c)
            .unwrap();
        motcua::app::staff::add(store, &config, "mai.admin", "Trần Thị Mai", "admin", "mật khẩu quản trị 2", &c)
            .unwrap();
        motcua::app::staff::add(store, &config, "hung.pv", "Phạm Văn Hùng", "leader", "mùa thu Hà Nội", &c).unwrap();
    })
}

fn get(h: &TestHub, cookie: &str, path: &str) -> (u16, String) {
    let mut r = agent().get(&h.url(path)).header("Cookie", cookie).call().unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn post(h: &TestHub, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let body = serde_urlencoded::to_string(form).unwrap();
    let mut r = agent()
        .post(&h.url(path))
        .header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .config()
        .max_redirects(0)
        .build()
        .send(body.as_bytes())
        .unwrap();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default(), location)
}

/// The text of the page's draft, unescaped.
fn draft(page: &str) -> String {
    let marker = "<textarea name=\"text\" id=\"text\" spellcheck=\"false\">";
    let start = page.find(marker).unwrap() + marker.len();
    let text = &page[start..start + page[start..].find("</textarea>").unwrap()];
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[test]
fn an_admin_previews_the_change_field_by_field_then_publishes_it_everywhere() {
    let h = hall();
    let (status, cookie, _) = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1");
    assert_eq!(status, 303);
    let cookie = cookie.expect("a session cookie");
    let (status, list) = get(&h, &cookie, "/quan-tri?q=dang+ky+ket+hon");
    assert_eq!(status, 200);
    assert!(list.contains("href=\"/quan-tri/thu-tuc/1.000894\""), "search as the kiosk does");
    let (_, page) = get(&h, &cookie, "/quan-tri/thu-tuc/1.000894?dang=json");
    let (csrf, base) = (hidden(&page, "csrf"), hidden(&page, "base"));
    assert_eq!(base, "1");
    let edited = draft(&page)
        .replace("\"Thủ tục đăng ký kết hôn\"", "\"Thủ tục đăng ký kết hôn (sửa đổi)\"")
        .replace("Không quá 05 ngày làm việc", "Không quá 03 ngày làm việc");
    assert_ne!(edited, draft(&page));

    let mut events = SseClient::connect(h.addr, &h.kiosk_token, None);
    let path = "/quan-tri/thu-tuc/1.000894";
    let form =
        |action| [("csrf", csrf.as_str()), ("base", &base), ("dang", "json"), ("text", &edited), ("action", action)];
    let (status, preview, _) = post(&h, &cookie, path, &form("xem"));
    assert_eq!(status, 200, "{preview}");
    // The changes, exactly the two fields, each before and after.
    let diff = &preview[preview.find("<section class=\"diff\">").unwrap()..preview.find("</section>").unwrap()];
    assert_eq!(diff.matches("<tr>").count(), 2, "{diff}");
    let quoted = |s: &str| format!("&quot;{s}&quot;");
    let name = format!(
        "<td>name</td><td><del>{}</del></td><td><ins>{}</ins></td>",
        quoted("Thủ tục đăng ký kết hôn"),
        quoted("Thủ tục đăng ký kết hôn (sửa đổi)")
    );
    assert!(diff.contains(&name), "{diff}");
    let time =
        format!("<td>cases[1].channels[0].time_limit.text</td><td><del>{}</del>", quoted("Không quá 05 ngày làm việc"));
    assert!(diff.contains(&time) && diff.contains(&quoted("Không quá 03 ngày làm việc")), "{diff}");
    // In the kiosk's words, and still unpublished.
    assert!(
        preview.contains("<h4>Thành phần hồ sơ cần nộp</h4>")
            && preview.contains("• Thời hạn: Không quá 03 ngày làm việc")
    );
    assert_eq!(
        Store::open(&h.dir.path().join("motcua.db")).map(|s| catalog::versions(&s, "1.000894").unwrap().len()).unwrap(),
        1
    );

    let (status, _, location) = post(&h, &cookie, path, &form("cong-bo"));
    assert_eq!((status, location.as_deref()), (303, Some("/quan-tri/thu-tuc/1.000894?cong-bo=2")));
    let (_, after) = get(&h, &cookie, "/quan-tri/thu-tuc/1.000894?cong-bo=2");
    assert!(
        after.contains("Đã công bố phiên bản 2") && after.contains("<td>Công bố phiên bản 2</td><td>tuan.admin</td>"),
        "history says who"
    );
    let published = events.next_of("catalog_published").expect("the publish on the stream");
    assert_eq!(published.data["actor"], "staff:tuan.admin");
    let mut r = agent().get(&h.url("/thu-tuc/1.000894")).call().unwrap();
    let public = r.body_mut().read_to_string().unwrap();
    assert!(public.contains("<h2>Thủ tục đăng ký kết hôn (sửa đổi)</h2>") && public.contains("Phiên bản 2"));
}

#[test]
fn refusals_name_why_and_lose_nothing() {
    let h = hall();
    // A leader is not an admin.
    let (status, cookie, page) = admin_login(&h, "hung.pv", "mùa thu Hà Nội");
    assert_eq!((status, cookie.is_none()), (403, true), "{page}");
    assert!(page.contains("quyền"), "{page}");
    assert!(get(&h, "motcua_session=none", "/quan-tri").1.contains("Đăng nhập quản trị"), "no session: the form");

    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let path = "/quan-tri/thu-tuc/1.001193";
    let (_, page) = get(&h, &cookie, "/quan-tri/thu-tuc/1.001193?dang=json");
    let (csrf, base, text) = (hidden(&page, "csrf"), hidden(&page, "base"), draft(&page));
    let send = |text: &str, base: &str, action: &str| {
        let form = [("csrf", csrf.as_str()), ("base", base), ("dang", "json"), ("text", text), ("action", action)];
        post(&h, &cookie, path, &form)
    };
    // A rule broken: the field is named, nothing published, the draft kept in the form.
    let empty = text.replace("\"Thủ tục đăng ký khai sinh\"", "\"  \"");
    let (status, refused, _) = send(&empty, &base, "cong-bo");
    assert_eq!(status, 422);
    assert!(refused.contains("Chưa công bố được, cần sửa: name: must not be empty"), "{refused}");
    assert!(draft(&refused).contains("\"name\": \"  \""), "the draft stays");
    let (status, unreadable, _) = send("{\"code\": \"1.001193\", \"name\": 5}", &base, "xem");
    assert_eq!(status, 422);
    assert!(unreadable.contains("Nội dung không đọc được: name: invalid type"), "{unreadable}");
    // Kept as the draft even so: the page opens it in the JSON editor, saying why not in the form.
    let (_, shown) = get(&h, &cookie, path);
    assert!(shown.contains("Bản nháp chưa đọc được thành thủ tục"), "{shown}");
    assert_eq!(draft(&shown), "{\"code\": \"1.001193\", \"name\": 5}");
    // Two editors opened version 1: the first publishes, the second is refused and the first's stays.
    let first = text.replace("\"Thủ tục đăng ký khai sinh\"", "\"Khai sinh (bản của người thứ nhất)\"");
    let second = text.replace("\"Thủ tục đăng ký khai sinh\"", "\"Khai sinh (bản của người thứ hai)\"");
    assert_eq!(send(&first, &base, "cong-bo").0, 303);
    let (status, conflict, _) = send(&second, &base, "cong-bo");
    assert_eq!(status, 409);
    assert!(conflict.contains("Người khác đã công bố phiên bản 2 sau khi bạn mở phiên bản 1"), "{conflict}");
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let versions = catalog::versions(&store, "1.001193").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].procedure.name, "Khai sinh (bản của người thứ nhất)");
    // A forged form without the session's token changes nothing.
    let (status, _, _) =
        post(&h, &cookie, path, &[("csrf", "x"), ("base", "2"), ("text", &second), ("action", "cong-bo")]);
    assert_eq!(status, 403);
    assert_eq!(catalog::versions(&store, "1.001193").unwrap().len(), 2);
}

/// Posts a page's form as it stands, with the button `action`.
fn send(
    h: &TestHub,
    cookie: &str,
    path: &str,
    fields: &[(String, String)],
    action: &str,
) -> (u16, String, Option<String>) {
    let mut all: Vec<(&str, &str)> =
        fields.iter().filter(|(k, _)| k != "action").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("action", action));
    post(h, cookie, path, &all)
}

#[test]
fn a_draft_is_kept_on_the_hub_until_it_is_published_or_thrown_away() {
    let h = hall();
    let tuan = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let mai = admin_login(&h, "mai.admin", "mật khẩu quản trị 2").1.unwrap();
    let path = "/quan-tri/thu-tuc/1.001193";
    let mut fields = form::pairs(&get(&h, &tuan, path).1);
    assert_eq!(form::get(&fields, "name"), "Thủ tục đăng ký khai sinh");
    form::set(&mut fields, "name", "Thủ tục đăng ký khai sinh (dự thảo)");
    let (status, saved, _) = send(&h, &tuan, path, &fields, "luu");
    assert_eq!(status, 200, "{saved}");
    assert!(saved.contains("Đã lưu bản nháp, chưa công bố."), "{saved}");

    // The tab closed and opened again (or another computer): the draft is there, and only there.
    let (_, again) = get(&h, &tuan, path);
    assert!(again.contains("Bản nháp của bạn, lưu lúc 08:00 01/12/2026, chưa công bố."), "{again}");
    assert_eq!(form::get(&form::pairs(&again), "name"), "Thủ tục đăng ký khai sinh (dự thảo)");
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    assert_eq!(catalog::versions(&store, "1.001193").unwrap().len(), 1, "nothing published");
    let public = agent().get(&h.url("/thu-tuc/1.001193")).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(!public.contains("dự thảo"), "citizens never see a draft");
    // Another admin sees the published text, and that a draft exists; the list marks it.
    let (_, theirs) = get(&h, &mai, path);
    assert_eq!(form::get(&form::pairs(&theirs), "name"), "Thủ tục đăng ký khai sinh");
    assert!(theirs.contains("tuan.admin cũng có bản nháp chưa công bố, lưu lúc 08:00 01/12/2026."), "{theirs}");
    let (_, list) = get(&h, &mai, "/quan-tri?q=khai+sinh");
    let marked = list.split("<tr>").filter(|row| row.contains("bản nháp chưa công bố")).collect::<Vec<_>>();
    assert_eq!(marked.len(), 1, "{list}");
    assert!(marked[0].contains("1.001193") && marked[0].contains("· 1 bản nháp chưa công bố"), "{list}");

    // Mai keeps a draft of her own and throws it away; the published text is back in her form.
    let mut hers = form::pairs(&theirs);
    form::set(&mut hers, "agency", "Ủy ban nhân dân cấp xã (bản của Mai)");
    assert_eq!(send(&h, &mai, path, &hers, "luu").0, 200);
    let (status, _, location) = send(&h, &mai, path, &hers, "bo-nhap");
    assert_eq!((status, location.as_deref()), (303, Some(path)));
    let (_, gone) = get(&h, &mai, path);
    assert!(!gone.contains("bản của Mai") && !gone.contains("Bản nháp của bạn"), "{gone}");

    // Tuấn publishes his draft: a new version, the draft done with, the history saying who did what.
    let (status, _, location) = send(&h, &tuan, path, &form::pairs(&again), "cong-bo");
    assert_eq!((status, location.as_deref()), (303, Some("/quan-tri/thu-tuc/1.001193?cong-bo=2")));
    assert!(catalog::drafts(&store, "1.001193").unwrap().is_empty());
    let (_, after) = get(&h, &tuan, path);
    assert!(!after.contains("Bản nháp của bạn"), "{after}");
    let history = &after[after.find("<table class=\"history\">").unwrap()..];
    let rows: Vec<&str> = history.split("<tr>").skip(2).collect();
    let expected = [
        "<td>08:00 01/12/2026</td><td>Công bố phiên bản 2</td><td>tuan.admin</td>",
        // "Công bố" keeps the form as the draft first: a publish refused loses nothing.
        "<td>08:00 01/12/2026</td><td>Lưu bản nháp từ phiên bản 1</td><td>tuan.admin</td>",
        "<td>08:00 01/12/2026</td><td>Bỏ bản nháp</td><td>mai.admin</td>",
        "<td>08:00 01/12/2026</td><td>Lưu bản nháp từ phiên bản 1</td><td>mai.admin</td>",
        "<td>08:00 01/12/2026</td><td>Lưu bản nháp từ phiên bản 1</td><td>tuan.admin</td>",
    ];
    assert_eq!(rows.len(), expected.len() + 1, "{history}");
    for (row, want) in rows.iter().zip(expected) {
        assert!(row.starts_with(want), "{row} / {want}");
    }
    assert!(rows.last().unwrap().contains("Công bố phiên bản 1</td><td>demo</td>"), "{history}");

    // Mai's draft from version 2 goes stale when Tuấn publishes version 3: she is told before she publishes,
    // her publish is refused, and her draft is still there.
    let mut hers = form::pairs(&get(&h, &mai, path).1);
    form::set(&mut hers, "result", "Giấy khai sinh (bản chính)");
    assert_eq!(send(&h, &mai, path, &hers, "luu").0, 200);
    let mut his = form::pairs(&get(&h, &tuan, path).1);
    form::set(&mut his, "decision", "Quyết định 12/QĐ-UBND");
    assert_eq!(send(&h, &tuan, path, &his, "cong-bo").0, 303);
    let (_, stale) = get(&h, &mai, path);
    assert!(stale.contains("Bản nháp bắt đầu từ phiên bản 2, nay phiên bản 3 đang công bố."), "{stale}");
    let (status, refused, _) = send(&h, &mai, path, &form::pairs(&stale), "cong-bo");
    assert_eq!(status, 409, "{refused}");
    let kept = catalog::drafts(&store, "1.001193").unwrap();
    assert!(kept.len() == 1 && kept[0].actor == "staff:mai.admin" && kept[0].body.contains("(bản chính)"));
}

#[test]
fn the_form_adds_rows_names_the_input_a_rule_breaks_and_keeps_what_it_cannot_read() {
    let h = hall();
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let path = "/quan-tri/thu-tuc/1.000894";
    let fields = form::pairs(&get(&h, &cookie, path).1);
    let documents: usize = form::get(&fields, "documents").parse().unwrap();
    let (status, added, _) = send(&h, &cookie, path, &fields, "them-giay-to");
    assert_eq!(status, 200);
    let mut fields = form::pairs(&added);
    assert_eq!(form::get(&fields, "documents"), (documents + 1).to_string());
    let new = format!("d{documents}");
    assert_eq!(form::get(&fields, &format!("{new}.name")), "");
    // Publishing with the new row empty: refused, the row's name input marked with why.
    let (status, refused, _) = send(&h, &cookie, path, &fields, "cong-bo");
    assert_eq!(status, 422);
    assert!(refused.contains(&format!("documents[{documents}].name: must not be empty")), "{refused}");
    let at = refused.find(&format!("name=\"{new}.name\"")).unwrap();
    assert!(refused[at..at + 200].contains("aria-invalid=\"true\"><span class=\"bad\">must not be empty</span>"));
    // A word where a number goes: not even a draft; said, and the draft kept as it was.
    form::set(&mut fields, &format!("{new}.name"), "Giấy ủy quyền");
    form::set(&mut fields, &format!("{new}.copies"), "hai");
    let (status, unread, _) = send(&h, &cookie, path, &fields, "luu");
    assert_eq!(status, 422);
    assert!(
        unread.contains(&format!("Chưa lưu được bản nháp: documents[{documents}].copies: &quot;hai&quot;")),
        "{unread}"
    );
    let kept = form::pairs(&unread);
    assert_eq!(form::get(&kept, &format!("{new}.name")), "", "the draft as last kept");
    // Fixed, a fee typed the Vietnamese way, a channel removed, and published.
    form::set(&mut fields, &format!("{new}.copies"), "2");
    form::set(&mut fields, "c0.k0.fee.amount", "15.000");
    form::set(&mut fields, "c0.k0.fee.text", "15.000 đồng (miễn cho người có công)");
    let (status, _, location) = send(&h, &cookie, path, &fields, "cong-bo");
    assert_eq!((status, location.as_deref()), (303, Some("/quan-tri/thu-tuc/1.000894?cong-bo=2")));
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let p = &catalog::versions(&store, "1.000894").unwrap()[1].procedure;
    assert_eq!((p.documents[documents].name.as_str(), p.documents[documents].copies), ("Giấy ủy quyền", 2));
    let fee = p.cases[0].channels[0].fee.as_ref().unwrap();
    assert_eq!((fee.amount, fee.text.as_str()), (Some(15_000), "15.000 đồng (miễn cho người có công)"));
    // A new procedure in the form: its code typed, published under it.
    let mut new = form::pairs(&get(&h, &cookie, "/quan-tri/thu-tuc/moi").1);
    assert_eq!(form::get(&new, "code"), "");
    form::set(&mut new, "code", "1.999001.000.00.00.H56");
    form::set(&mut new, "name", "Thủ tục thử nghiệm của xã");
    form::set(&mut new, "field", "Thử nghiệm");
    form::set(&mut new, "c0.k0.tl.unit", "working_days");
    form::set(&mut new, "c0.k0.tl.value", "3");
    form::set(&mut new, "c0.k0.tl.text", "03 ngày làm việc");
    let (status, _, location) = send(&h, &cookie, "/quan-tri/thu-tuc/moi", &new, "cong-bo");
    assert_eq!((status, location.as_deref()), (303, Some("/quan-tri/thu-tuc/1.999001.000.00.00.H56?cong-bo=1")));
    let made = &catalog::versions(&store, "1.999001.000.00.00.H56").unwrap()[0].procedure;
    let limit = made.cases[0].channels[0].time_limit.as_ref().unwrap();
    assert_eq!(
        (made.name.as_str(), limit.value, limit.text.as_str()),
        ("Thủ tục thử nghiệm của xã", 3, "03 ngày làm việc")
    );
    assert!(catalog::drafts(&store, "moi").unwrap().is_empty());
    // A page for a code that does not exist keeps no draft.
    let (status, _, _) = send(&h, &cookie, "/quan-tri/thu-tuc/9.999999", &fields, "luu");
    assert_eq!(status, 404);
}

#[test]
fn every_procedure_reads_back_from_its_own_form_unchanged() {
    let h = hall();
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let codes: Vec<String> = catalog::names(&store).unwrap().into_iter().map(|(code, _)| code).collect();
    assert_eq!(codes.len(), 56);
    for code in codes {
        let path = format!("/quan-tri/thu-tuc/{code}");
        let fields = form::pairs(&get(&h, &cookie, &path).1);
        let (status, preview, _) = send(&h, &cookie, &path, &fields, "xem");
        assert_eq!(status, 200, "{code}: {preview}");
        assert!(preview.contains("Không có thay đổi."), "{code}: the form changed something: {preview}");
    }
}

#[test]
fn an_admin_edits_and_publishes_in_a_real_browser() {
    let Some(browser) = Browser::start("an_admin_edits_and_publishes_in_a_real_browser") else { return };
    let h = hall();
    browser.open(&h.url("/quan-tri"));
    browser.fill("input[name=username]", "tuan.admin");
    browser.fill("input[name=password]", "mật khẩu quản trị 1");
    browser.click(".login button");
    browser.wait_text(".who", "the admin's name", |t| t.starts_with("Lê Anh Tuấn"));
    browser.fill("input[name=q]", "chung thuc ban sao");
    browser.click(".bar button[type=submit]");
    browser.wait_js("the search", "return location.search.includes('q=chung')");
    browser.click("a[href='/quan-tri/thu-tuc/2.000815']");
    browser.wait_js("the form", "return !!document.querySelector('textarea[name=keywords]')");
    browser.screenshot("admin-form.png");
    browser.js("const t = document.querySelector('textarea[name=keywords]'); \
         t.value = 'sao y giấy tờ\\n' + t.value; return true");
    // A row added by its button, typed into, and the draft kept by the same post.
    browser.click("button[value=them-giay-to]");
    browser.wait_text("p.ok", "the draft saved", |t| t.starts_with("Đã lưu bản nháp"));
    let rows = browser.js("return document.querySelector('input[name=documents]').value");
    let n = rows.as_str().unwrap().parse::<usize>().unwrap() - 1;
    browser.fill(&format!("input[name='d{n}.name']"), "Giấy ủy quyền (nếu nhờ người khác nộp)");
    browser.fill(&format!("input[name='d{n}.copies']"), "1");
    browser.js(&format!("document.querySelector(\"input[name='d{n}.name']\").scrollIntoView(); return true"));
    browser.screenshot("admin-form-rows.png");
    browser.click("button[value=xem]");
    browser.wait_text(".diff", "the changes", |t| t.contains("sao y giấy tờ") && t.contains("Giấy ủy quyền"));
    browser.screenshot("admin-preview.png");
    browser.click("button[value=cong-bo]");
    browser.wait_text("p.ok", "the publish", |t| t.starts_with("Đã công bố phiên bản 2"));
    browser.screenshot("admin-published.png");
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let versions = catalog::versions(&store, "2.000815").unwrap();
    let p = &versions[1].procedure;
    assert_eq!(p.keywords[0], "sao y giấy tờ");
    let added = p.documents.last().unwrap();
    assert_eq!((added.name.as_str(), added.originals, added.copies), ("Giấy ủy quyền (nếu nhờ người khác nộp)", 1, 1));
    assert!(!added.verified.is_verified(), "a new row is unverified until staff say otherwise");
    assert!(catalog::drafts(&store, "2.000815").unwrap().is_empty(), "the draft is the version now");
}

#[test]
fn a_retired_procedure_leaves_the_public_pages_and_can_be_published_again_and_sheets_download() {
    let h = hall();
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let path = "/quan-tri/thu-tuc/1.004194";
    let (_, page) = get(&h, &cookie, "/quan-tri/thu-tuc/1.004194?dang=json");
    let (csrf, text) = (hidden(&page, "csrf"), draft(&page));
    let status = |p: &str| agent().get(&h.url(p)).call().unwrap().status().as_u16();
    assert_eq!(status("/thu-tuc/1.004194"), 200);
    let mut events = SseClient::connect(h.addr, &h.kiosk_token, None);
    let (code, _, _) =
        post(&h, &cookie, path, &[("csrf", &csrf), ("base", "1"), ("text", &text), ("action", "bai-bo")]);
    assert_eq!(code, 303);
    let retired = events.next_of("catalog_published").expect("the retirement on the stream");
    assert!(retired.data["detail"].as_str().unwrap().contains("\"retired\":1"));
    assert_eq!(status("/thu-tuc/1.004194"), 404, "no longer published");
    // Its page says so and offers its last text, to publish again as a new version.
    let (shown, page) = get(&h, &cookie, "/quan-tri/thu-tuc/1.004194?dang=json");
    assert_eq!(shown, 200);
    assert!(
        page.contains("Thủ tục này đã bãi bỏ") && hidden(&page, "base") == "0" && !page.contains("value=\"bai-bo\"")
    );
    let (code, _, location) = post(
        &h,
        &cookie,
        path,
        &[("csrf", &csrf), ("base", "0"), ("dang", "json"), ("text", &draft(&page)), ("action", "cong-bo")],
    );
    assert_eq!((code, location.as_deref()), (303, Some("/quan-tri/thu-tuc/1.004194?cong-bo=2")));
    assert_eq!(status("/thu-tuc/1.004194"), 200);

    // The notice-board sheets, for an admin only.
    let mut r = agent().get(&h.url("/quan-tri/niem-yet?ma=1.000894")).header("Cookie", &cookie).call().unwrap();
    assert_eq!(r.headers().get("content-type").unwrap(), "application/pdf");
    assert!(r.body_mut().read_to_vec().unwrap().starts_with(b"%PDF"));
    let mut r = agent().get(&h.url("/quan-tri/niem-yet?ma=1.000894")).call().unwrap();
    assert!(r.body_mut().read_to_string().unwrap().contains("Đăng nhập quản trị"), "the login form, not the sheets");
}

/// Posts a file as a browser's file field does (multipart/form-data).
fn upload(h: &TestHub, cookie: &str, csrf: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let boundary = "----motcua-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut r = agent()
        .post(&h.url("/quan-tri/nhap"))
        .header("Cookie", cookie)
        .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
}

#[test]
fn an_uploaded_file_shows_its_changes_before_it_is_published_and_has_its_own_limit() {
    let h = hall();
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let (_, page) = get(&h, &cookie, "/quan-tri/nhap");
    let csrf = hidden(&page, "csrf");
    let file = motcua::interchange::read_catalog(&common::demo_catalog()).unwrap();
    let mut changed = file.procedures.iter().find(|p| p.code == "1.000894").unwrap().clone();
    changed.name = "Thủ tục đăng ký kết hôn (từ tệp)".into();
    let json = motcua::interchange::catalog_json::write(&[changed], false);
    let (status, preview) = upload(&h, &cookie, &csrf, "sua-doi.json", json.as_bytes());
    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("0 thêm mới, 1 thay đổi, 0 không đổi, 55 không có trong tệp (giữ nguyên)"), "{preview}");
    assert!(preview.contains("<td>name</td>") && preview.contains("Thủ tục đăng ký kết hôn (từ tệp)"));
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    assert_eq!(catalog::versions(&store, "1.000894").unwrap().len(), 1, "a preview writes nothing");
    let (tep, stamp) = (hidden(&preview, "tep"), hidden(&preview, "stamp"));
    let form = [("csrf", csrf.as_str()), ("tep", tep.as_str()), ("stamp", stamp.as_str())];
    let (status, done, _) = post(&h, &cookie, "/quan-tri/nhap/cong-bo", &form);
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Đã công bố: 0 thêm mới, 1 thay đổi"));
    let versions = catalog::versions(&store, "1.000894").unwrap();
    assert_eq!((versions.len(), versions[1].source.as_str()), (2, "staff:tuan.admin (sua-doi.json)"));
    // The same preview cannot be published twice, and a preview made before a change is refused.
    assert_eq!(post(&h, &cookie, "/quan-tri/nhap/cong-bo", &form).0, 404);
    let (_, again) = upload(&h, &cookie, &csrf, "sua-doi.json", json.as_bytes());
    // Someone else publishes meanwhile.
    let mut moved = file.procedures[0].clone();
    moved.name.push_str(" (khác)");
    catalog::import(
        &mut Store::open(&h.dir.path().join("motcua.db")).unwrap(),
        &[moved],
        "other",
        &common::later_clock(),
    )
    .unwrap();
    let late = [("csrf", csrf.as_str()), ("tep", &hidden(&again, "tep")), ("stamp", &hidden(&again, "stamp"))];
    let (status, conflict, _) = post(&h, &cookie, "/quan-tri/nhap/cong-bo", &late);
    assert_eq!(status, 409);
    assert!(conflict.contains("Danh mục đã thay đổi sau khi bạn xem trước"), "{conflict}");

    // A broken file: every problem, nothing kept.
    let (status, broken) = upload(
        &h,
        &cookie,
        &csrf,
        "hong.json",
        b"{\"format\": \"motcua-catalog\", \"format_version\": 2, \"procedures\": [{\"code\": \"1\"}]}",
    );
    assert_eq!(status, 422);
    assert!(broken.contains("Tệp có lỗi, không nhập gì") && broken.contains("hong.json:1"), "{broken}");
    // The upload's own limit, well above the API's 16 KiB, and refused past it.
    let big = json.repeat(1 + (17 * 1024) / json.len());
    let (status, _) = upload(&h, &cookie, &csrf, "lon.json", big.as_bytes());
    assert_eq!(status, 422, "past 16 KiB the upload is read (and refused only for what it holds)");
    let (status, refused) = upload(&h, &cookie, &csrf, "qua-lon.json", &vec![b' '; 33 * 1024 * 1024]);
    assert_eq!(status, 413);
    assert!(refused.contains("Tệp quá lớn (tối đa 32 MiB)"), "{refused}");
}

#[test]
fn uploads_nobody_published_are_deleted_after_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let uploads = dir.path().join("uploads");
    std::fs::create_dir_all(&uploads).unwrap();
    for name in ["old.catalog", "fresh.catalog", "other.txt"] {
        std::fs::write(uploads.join(name), b"[]").unwrap();
    }
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    std::fs::File::options().write(true).open(uploads.join("old.catalog")).unwrap().set_modified(two_days_ago).unwrap();
    std::fs::File::options().write(true).open(uploads.join("other.txt")).unwrap().set_modified(two_days_ago).unwrap();
    assert_eq!(motcua::hub::admin_upload::forget_stale(dir.path(), std::time::SystemTime::now()), 1);
    assert!(!uploads.join("old.catalog").exists());
    assert!(
        uploads.join("fresh.catalog").exists() && uploads.join("other.txt").exists(),
        "only waiting uploads, only old ones"
    );
}

#[test]
fn a_years_calendar_is_previewed_with_the_appointments_it_moves_then_counts_at_once() {
    let h = hall();
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.unwrap();
    let (status, page) = get(&h, &cookie, "/quan-tri/lich");
    assert_eq!(status, 200);
    // The first year not yet announced officially, with its bundled file to correct.
    assert!(page.contains("<h2>Năm 2027</h2>") && page.contains("dự kiến (chưa công bố)"), "{page}");
    let (csrf, text) = (hidden(&page, "csrf"), draft(&page));
    // The announcement: Tết a day longer, and the year official.
    let announced = text
        .replace("to = \"2027-02-11\"", "to = \"2027-02-12\"")
        .replace("status = \"provisional\"", "status = \"official\"");
    assert_ne!(announced, text);
    let friday = time::macros::date!(2027 - 02 - 12);
    assert!(h.hub.calendar().day(friday).working);
    let (status, preview, _) =
        post(&h, &cookie, "/quan-tri/lich", &[("csrf", &csrf), ("text", &announced), ("action", "xem")]);
    assert_eq!(status, 200, "{preview}");
    let rows = preview.split("id=\"hen\"").nth(1).unwrap();
    // Received on 22 January with 10 working days: due the Friday Tết now takes, so the Monday after.
    assert!(rows.contains("(21)</h3>"), "{rows}");
    let first =
        "<td>22/01/2027</td><td>10 ngày làm việc</td><td><del>12/02/2027</del></td><td><ins>15/02/2027</ins></td>";
    assert!(rows.contains(first), "{rows}");
    assert!(h.hub.calendar().day(friday).working, "a preview changes nothing");
    let (status, _, location) =
        post(&h, &cookie, "/quan-tri/lich", &[("csrf", &csrf), ("text", &announced), ("action", "luu")]);
    assert_eq!((status, location.as_deref()), (303, Some("/quan-tri/lich?nam=2027&luu=1")));
    assert!(!h.hub.calendar().day(friday).working, "the hub counts with it at once");
    let (_, after) = get(&h, &cookie, "/quan-tri/lich?nam=2027&luu=1");
    assert!(after.contains("Đã lưu lịch năm 2027") && after.contains("to = &quot;2027-02-12&quot;"));
    // A restarted hub reads it from the database.
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let calendar = motcua::app::dossier::calendar_stored(&Config::default(), &store).unwrap();
    assert!(!calendar.day(friday).working && !calendar.years().find(|y| y.year == 2027).unwrap().provisional);
    // A broken year says what is wrong and saves nothing.
    let broken = announced.replace("to = \"2027-02-12\"", "to = \"2026-02-12\"");
    let (status, refused, _) =
        post(&h, &cookie, "/quan-tri/lich", &[("csrf", &csrf), ("text", &broken), ("action", "luu")]);
    assert_eq!(status, 422);
    assert!(refused.contains("Chưa lưu, cần sửa: lịch nhập: to 2026-02-12 is not in 2027"), "{refused}");
    assert!(!h.hub.calendar().day(friday).working);
}
