//! The province's pages over real HTTPS (a test CA) on a scratch PostgreSQL, with halls pushing to it:
//! accounts and what each may see, the guarded login, the report of one hall or all beside each hall's,
//! the halls' health (a printer out of paper, a backup taken, a hall gone quiet), logout and a disabled
//! account; and the same pages in headless Chromium, which trusts only the province's CA.

mod common;
#[path = "common/postgres.rs"]
mod postgres;
#[path = "common/province.rs"]
mod province;

use common::browser::Browser;
use common::hub::*;
use motcua::config::Config;
use postgres::Postgres;
use province::*;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};
use time::macros::datetime;

fn hall(p: &ProvinceService, id: &str) -> TestHub {
    let dir = tempfile::tempdir().unwrap();
    let token = p.add_hall(id, dir.path());
    let mut config = open_all_day(Config::default());
    config.province = p.hall_config(&token);
    config.queue.public_base_url = p.url();
    start_in(dir, config, datetime!(2026-12-01 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    })
}

/// `motcua province account add …` with the password on standard input.
fn add_account(p: &ProvinceService, args: &[&str], password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(p.dir.path())
        .arg("--config")
        .arg(&p.config)
        .args(["province", "account", "add"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

struct Page {
    status: u16,
    text: String,
    cookie: Option<String>,
}

fn get(agent: &ureq::Agent, url: &str, cookie: Option<&str>) -> Page {
    let mut req = agent.get(url);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    answer(req.call().unwrap())
}

fn post(agent: &ureq::Agent, url: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Page {
    let mut req = agent.post(url).header("Content-Type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    answer(req.send(serde_urlencoded::to_string(form).unwrap()).unwrap())
}

fn answer(mut r: ureq::http::Response<ureq::Body>) -> Page {
    let cookie = r.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_string());
    Page { status: r.status().as_u16(), text: r.body_mut().read_to_string().unwrap_or_default(), cookie }
}

fn log_in(agent: &ureq::Agent, p: &ProvinceService, user: &str, password: &str) -> String {
    let done = post(agent, &format!("{}/dang-nhap", p.url()), None, &[("username", user), ("password", password)]);
    assert_eq!(done.status, 303, "{}", done.text);
    let cookie = done.cookie.expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), "{cookie}");
    cookie.split(';').next().unwrap().to_string()
}

#[test]
fn accounts_see_their_halls_reports_and_health_and_nothing_else() {
    let Some(pg) = Postgres::start("accounts_see_their_halls_reports_and_health") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "[hub]\nmax_login_failures = 3\n");
    p.start();
    let (a, b) = (hall(&p, "xa-a"), hall(&p, "xa-b"));
    for _ in 0..3 {
        a.take("HT", None);
    }
    b.take("CT", None);
    // Hall A's printer runs out of paper; hall B takes its evening backup.
    assert_eq!(a.post("/api/v1/printers", Some(&a.kiosk_token), json!({"state": "paper-out"})).status, 200);
    b.clock.set(datetime!(2026-12-01 18:05 +7));
    b.hub.daily_backup();
    for (h, id) in [(&a, "xa-a"), (&b, "xa-b")] {
        let db = h.dir.path().join("motcua.db");
        assert!(wait_for(30, || without_epoch(&p.rows(id)) == outbox_of(&db)), "{id} delivered");
    }

    // Accounts: one for hall A, one for every hall; a short password and an unknown hall refused.
    assert_eq!(add_account(&p, &["lan", "--name", "Trần Thị Lan", "--hall", "xa-a"], "ngắn").status.code(), Some(2));
    let unknown = add_account(&p, &["lan", "--name", "Lan", "--hall", "xa-z"], "mat-khau-dai-du");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no hall \"xa-z\"; halls: xa-a, xa-b"));
    assert!(add_account(&p, &["lan", "--name", "Trần Thị Lan", "--hall", "xa-a"], "mat-khau-cua-lan").status.success());
    assert!(add_account(&p, &["so-noi-vu", "--name", "Sở Nội vụ", "--all"], "mat-khau-cua-so").status.success());
    let listed = String::from_utf8_lossy(&p.run(&["province", "account", "list"]).stdout).into_owned();
    assert!(
        listed.contains("lan\tTrần Thị Lan\txa-a") && listed.contains("so-noi-vu\tSở Nội vụ\tevery hall"),
        "{listed}"
    );

    let agent = p.agent();
    let url = |path: &str| format!("{}{path}", p.url());
    // No session: the login form.
    let first = get(&agent, &url("/bao-cao"), None);
    assert_eq!(first.status, 200);
    assert!(first.text.contains("action=\"/dang-nhap\"") && !first.text.contains("<script"), "{}", first.text);
    // Wrong passwords: refused, then made to wait; the account's owner from another browser waits too
    // (a stranger's count), but the right password still works once the wait is over.
    for _ in 0..3 {
        let wrong = post(&agent, &url("/dang-nhap"), None, &[("username", "lan"), ("password", "sai-mat-khau")]);
        assert_eq!(wrong.status, 401);
        assert!(wrong.text.contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    }
    let waiting = post(&agent, &url("/dang-nhap"), None, &[("username", "lan"), ("password", "mat-khau-cua-lan")]);
    assert_eq!(waiting.status, 429, "{}", waiting.text);
    assert!(waiting.text.contains("Đăng nhập sai nhiều lần; xin thử lại sau"), "{}", waiting.text);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let lan = log_in(&agent, &p, "lan", "mat-khau-cua-lan");

    // Lan sees hall A, and only hall A.
    let report = get(&agent, &url("/bao-cao?from=2026-12-01&to=2026-12-01"), Some(&lan));
    assert_eq!(report.status, 200);
    assert!(report.text.contains("Số liệu của Xã xa-a") && !report.text.contains("Xã xa-b"), "{}", report.text);
    assert!(report.text.contains("Trần Thị Lan (1 điểm)"), "{}", report.text);
    let other = get(&agent, &url("/bao-cao?from=2026-12-01&to=2026-12-01&hall=xa-b"), Some(&lan));
    assert_eq!(other.status, 403);
    assert!(other.text.contains("Tài khoản này không được xem điểm &quot;xa-b&quot;."), "{}", other.text);
    let health = get(&agent, &url("/tinh-trang"), Some(&lan));
    assert!(health.text.contains("xa-a") && !health.text.contains("xa-b"), "{}", health.text);
    assert!(health.text.contains("Kiosk: hết giấy") || health.text.contains("hết giấy"), "{}", health.text);

    // The province's office sees both: the whole, each hall's line, and each hall's health.
    let so = log_in(&agent, &p, "so-noi-vu", "mat-khau-cua-so");
    let report = get(&agent, &url("/bao-cao?from=2026-12-01&to=2026-12-01"), Some(&so));
    assert!(report.text.contains("Số liệu của 2 điểm: Xã xa-a, Xã xa-b"), "{}", report.text);
    assert!(report.text.contains("Từng điểm"), "{}", report.text);
    assert!(report.text.contains("hall=xa-a\">Xã xa-a</a></td><td>3</td>"), "{}", report.text);
    assert!(report.text.contains("hall=xa-b\">Xã xa-b</a></td><td>1</td>"), "{}", report.text);
    let health = get(&agent, &url("/tinh-trang"), Some(&so));
    assert!(health.text.contains("2 điểm; 0 điểm quá 15 phút chưa liên lạc."), "{}", health.text);
    assert!(health.text.contains("bản mới nhất 18:05 01/12/2026"), "{}", health.text);

    // Logging out needs the page's CSRF token; disabling an account ends its sessions at once.
    let csrf = |page: &str| page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let forged = post(&agent, &url("/dang-xuat"), Some(&so), &[("csrf", "forged")]);
    assert_eq!(forged.status, 303);
    assert!(get(&agent, &url("/tinh-trang"), Some(&so)).text.contains("Tình trạng các điểm"), "still in");
    let token = csrf(&health.text);
    post(&agent, &url("/dang-xuat"), Some(&so), &[("csrf", token.as_str())]);
    assert!(get(&agent, &url("/tinh-trang"), Some(&so)).text.contains("action=\"/dang-nhap\""), "logged out");
    assert!(p.run(&["province", "account", "disable", "lan"]).status.success());
    assert!(get(&agent, &url("/bao-cao"), Some(&lan)).text.contains("action=\"/dang-nhap\""), "disabled");
    let gone = post(&agent, &url("/dang-nhap"), None, &[("username", "lan"), ("password", "mat-khau-cua-lan")]);
    assert_eq!(gone.status, 401);
}

#[test]
fn the_province_s_pages_in_a_real_browser() {
    let Some(pg) = Postgres::start("the_province_s_pages_in_a_real_browser") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    let pin =
        format!("--ignore-certificate-errors-spki-list={}", common::spki_pin(&p.dir.path().join("tls/ca-key.pem")));
    let Some(browser) = Browser::start_with("the_province_s_pages_in_a_real_browser", &[pin]) else { return };
    p.start();
    let a = hall(&p, "xa-ea-tu");
    let session = a.login(1);
    for _ in 0..4 {
        a.take("HT", None);
        a.clock.advance(time::Duration::minutes(7));
        assert_eq!(a.post("/api/v1/counter/next", Some(&session), json!({})).status, 200);
        assert_eq!(a.post("/api/v1/counter/complete", Some(&session), json!({})).status, 200);
    }
    // A citizen waiting behind another, and one whose dossier was received.
    let waiting = [a.take("HT", None), a.take("HT", None)];
    assert_eq!(a.post("/api/v1/counter/next", Some(&session), json!({})).status, 200);
    let dossier = json!({"procedure_code": "1.001193", "applicant_name": "Bùi Thị Ánh Tuyết", "documents": []});
    let received = a.post("/api/v1/counter/dossier", Some(&session), dossier);
    assert_eq!(received.status, 200, "{}", received.messages());
    let db = a.dir.path().join("motcua.db");
    assert!(wait_for(30, || without_epoch(&p.rows("xa-ea-tu")) == outbox_of(&db)));
    assert!(add_account(&p, &["ong.ba", "--name", "Ông Bùi Văn Ấn", "--all"], "mat-khau-dai-du").status.success());

    // The public pages a phone opens, as the browser draws them under their policy: the inline style
    // applies (the number drawn large), and nothing runs.
    browser.open(waiting[1]["url"].as_str().unwrap());
    let text = browser.wait_text("main", "the ticket's page", |t| t.contains("Số người trước bạn"));
    assert!(text.contains("Đang chờ đến lượt") && text.contains("cập nhật lúc"), "{text}");
    assert_eq!(browser.js("return getComputedStyle(document.querySelector('.num')).fontSize"), json!("64px"));
    assert_eq!(browser.js("return document.scripts.length"), json!(0));
    browser.screenshot("province-ticket.png");
    browser.open(&format!("{}/d/{}", p.url(), received.json["token"].as_str().unwrap()));
    let text = browser.wait_text("main", "the dossier's page", |t| t.contains("Được tiếp nhận"));
    assert!(text.contains("Bùi T*** Á*** T***") && text.contains("Thủ tục đăng ký khai sinh"), "{text}");
    browser.screenshot("province-dossier.png");
    browser.open(&format!("{}/diem/xa-ea-tu/thu-tuc/1.001193", p.url()));
    let text = browser.wait_text("main", "a procedure's page", |t| t.contains("Nộp trực tiếp tại"));
    assert!(text.contains("Xã xa-ea-tu"), "{text}");
    browser.screenshot("province-procedure.png");

    browser.open(&format!("{}/bao-cao?from=2026-12-01&to=2026-12-01", p.url()));
    browser.wait_js("the login form", "return !!document.querySelector('form.login')");
    assert_eq!(browser.js("return location.protocol"), json!("https:"));
    browser.fill("input[name=username]", "ong.ba");
    browser.fill("input[name=password]", "mat-khau-dai-du");
    browser.click("form.login button");
    browser.wait_js("the report", "return !!document.querySelector('nav.quick a[href=\"/tinh-trang\"]')");
    browser.open(&format!("{}/bao-cao?from=2026-12-01&to=2026-12-01", p.url()));
    let text = browser.wait_text("main", "the report's figures", |t| t.contains("Từ 01/12/2026 đến 01/12/2026"));
    assert!(text.contains("Ông Bùi Văn Ấn"), "{text}");
    assert_eq!(browser.js("return document.scripts.length"), json!(0));
    browser.screenshot("province-report.png");
    browser.open(&format!("{}/tinh-trang", p.url()));
    let text = browser.wait_text("main", "the halls' health", |t| t.contains("Tình trạng các điểm"));
    assert!(text.contains("Xã xa-ea-tu") && text.contains("vừa xong"), "{text}");
    browser.screenshot("province-health.png");
}

/// The text of a page at the province, as a phone on mobile data reads it (it reaches nothing else).
fn read(phone: &ureq::Agent, url: &str) -> Page {
    get(phone, url, None)
}

#[test]
fn a_phone_on_mobile_data_follows_its_ticket_and_dossier_at_the_province() {
    let Some(pg) = Postgres::start("a_phone_on_mobile_data_follows_its_ticket") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let dir = tempfile::tempdir().unwrap();
    let token_file = p.add_hall("xa-ea-tu", dir.path());
    let mut config = open_all_day(Config::default());
    config.province = p.hall_config(&token_file);
    // The hall's tickets and posters send phones to the province's public address.
    config.queue.public_base_url = p.url();
    config.catalog.public_base_url = format!("{}/diem/xa-ea-tu", p.url());
    config.center.address = "Thôn 3, xã Ea Tu".into();
    config.dossiers.collect_at = "Quầy 5, Bộ phận một cửa xã Ea Tu".into();
    let h = start_in(dir, config, datetime!(2026-12-01 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    });
    let db = h.dir.path().join("motcua.db");
    let delivered = || assert!(wait_for(30, || without_epoch(&p.rows("xa-ea-tu")) == outbox_of(&db)), "delivered");
    let phone = p.agent();

    // Two tickets: the second is the phone's; its QR goes to the province.
    let first = h.take("HT", None);
    let mine = h.take("HT", None);
    let url = mine["url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("{}/t/{}", p.url(), mine["token"].as_str().unwrap()));
    delivered();
    let page = read(&phone, &url);
    assert_eq!(page.status, 200, "{}", page.text);
    let number = mine["ticket"]["number"].as_str().unwrap();
    assert!(page.text.contains(&format!("<div class=\"num\">{number}</div>")), "{}", page.text);
    assert!(page.text.contains("Đang chờ đến lượt"), "{}", page.text);
    assert!(page.text.contains("Số người trước bạn<br><span class=\"en\">People ahead</span></dt><dd>1</dd>"));
    // The hall's own estimate for one person ahead, from the hall's counters and typical minutes.
    let own = common::hub::agent().get(&h.url(&format!("/t/{}", mine["token"].as_str().unwrap()))).call();
    let own = own.unwrap().body_mut().read_to_string().unwrap();
    let wait =
        |t: &str| t.split("Estimated wait</span></dt><dd>").nth(1).map(|s| s.split("<br>").next().unwrap().to_string());
    assert_eq!(wait(&page.text), wait(&own), "the same estimate as the hall's page");
    assert!(wait(&page.text).is_some(), "{}", page.text);
    assert!(page.text.contains("Số liệu của Xã xa-ea-tu, cập nhật lúc"), "{}", page.text);
    assert!(!page.text.contains("<script"), "{}", page.text);

    // Called: the first, then the phone's, to counter 1.
    let desk = h.login(1);
    let called = h.post("/api/v1/counter/next", Some(&desk), json!({}));
    assert_eq!(called.json["ticket"]["number"], first["ticket"]["number"]);
    delivered();
    let page = read(&phone, &url);
    assert!(page.text.contains("People ahead</span></dt><dd>0</dd>"), "{}", page.text);
    let first_number = first["ticket"]["number"].as_str().unwrap();
    assert!(page.text.contains(&format!("Now serving</span></dt><dd>{first_number}</dd>")), "{}", page.text);
    assert_eq!(h.post("/api/v1/counter/complete", Some(&desk), json!({})).status, 200);
    assert_eq!(h.post("/api/v1/counter/next", Some(&desk), json!({})).json["ticket"]["number"], number);
    delivered();
    let page = read(&phone, &url);
    assert!(page.text.contains("Mời đến quầy") || page.text.contains("card go"), "{}", page.text);
    assert!(page.text.contains("<div class=\"num\">Quầy 1</div>"), "{}", page.text);

    // A dossier received under it: the ticket's page shows it, and so does the receipt's QR.
    let dossier = json!({"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn Hải",
                         "applicant_phone": "0912 345 678", "documents": ["Giấy chứng sinh"]});
    let got = h.post("/api/v1/counter/dossier", Some(&desk), dossier);
    assert_eq!(got.status, 200, "{}", got.messages());
    let code = got.json["code"].as_str().unwrap().to_string();
    let receipt = format!("{}/d/{}", p.url(), got.json["token"].as_str().unwrap());
    delivered();
    let page = read(&phone, &url);
    assert!(page.text.contains("Hồ sơ của bạn đã được tiếp nhận"), "{}", page.text);
    assert!(page.text.contains(&code) && page.text.contains("Nguyễn V*** H***"), "{}", page.text);
    assert!(page.text.contains("Thủ tục đăng ký khai sinh"), "the procedure's name: {}", page.text);
    assert!(!page.text.contains("0912") && !page.text.contains("Văn Hải"), "nothing personal: {}", page.text);
    let d = read(&phone, &receipt);
    assert_eq!(d.status, 200, "{}", d.text);
    assert!(d.text.contains("Được tiếp nhận") && d.text.contains("Quầy 5, Bộ phận một cửa xã Ea Tu"), "{}", d.text);
    assert!(d.text.contains("Hẹn trả kết quả"), "{}", d.text);
    // Processed, then handed over: the timeline grows at the province as at the hall.
    for status in [motcua::domain::dossier::Status::Done, motcua::domain::dossier::Status::Returned] {
        let code = code.clone();
        let set = h.hub.change(move |store, _, clock| {
            Ok(motcua::app::dossier::set_status(store, &code, status, "", clock).map(|s| s.is_some()))
        });
        assert!(matches!(set, Ok(Ok(true))), "{status:?}");
    }
    delivered();
    let d = read(&phone, &receipt);
    assert!(d.text.contains("<div class=\"big\">Đã trả kết quả</div>"), "{}", d.text);
    let steps = d.text.split("<ol>").nth(1).unwrap().split("</ol>").next().unwrap();
    assert_eq!(steps.matches("<li>").count(), 3, "received, done, returned: {steps}");
    let own = common::hub::agent().get(&h.url(&format!("/d/{}", got.json["token"].as_str().unwrap()))).call();
    let own = own.unwrap().body_mut().read_to_string().unwrap();
    let own_steps = own.split("<ol>").nth(1).unwrap().split("</ol>").next().unwrap();
    assert_eq!(steps, own_steps, "the same timeline as the hall's page");

    // The hall's catalog, where its posters point.
    let list = read(&phone, &format!("{}/diem/xa-ea-tu/thu-tuc?q=dang+ky+khai+sinh", p.url()));
    assert_eq!(list.status, 200);
    assert!(list.text.contains("href=\"/diem/xa-ea-tu/thu-tuc/1.001193\""), "{}", list.text);
    let one = read(&phone, &format!("{}/diem/xa-ea-tu/thu-tuc/1.001193", p.url()));
    assert_eq!(one.status, 200, "{}", one.text);
    assert!(one.text.contains("Thủ tục đăng ký khai sinh") && one.text.contains("Thôn 3, xã Ea Tu"), "{}", one.text);
    let halls = read(&phone, &format!("{}/thu-tuc", p.url()));
    assert!(halls.text.contains("href=\"/diem/xa-ea-tu/thu-tuc\"") && halls.text.contains("Xã xa-ea-tu"));
    assert_eq!(read(&phone, &format!("{}/diem/xa-khac/thu-tuc", p.url())).status, 404);
    assert_eq!(read(&phone, &format!("{}/diem/xa-ea-tu/thu-tuc/9.999999", p.url())).status, 404);

    // Served: the page asks how. A rating given there is checked by the hall's rules, kept until the hall
    // pulls it, rated at the hall as its own phone page rates, and comes back as the hall's.
    assert_eq!(h.post("/api/v1/counter/complete", Some(&desk), json!({})).status, 200);
    delivered();
    let page = read(&phone, &url);
    let action = format!("action=\"/t/{}/danh-gia\"", mine["token"].as_str().unwrap());
    assert!(page.text.contains(&action) && page.text.contains("Bạn có hài lòng với cách phục vụ?"), "{}", page.text);
    assert_eq!(read(&phone, &format!("{}/mat/dissatisfied.svg", p.url())).status, 200);
    let rate = |form: &[(&str, &str)]| post(&phone, &format!("{url}/danh-gia"), None, form);
    let unknown = rate(&[("level", "dissatisfied"), ("reason", "Ồn ào")]);
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    assert!(unknown.text.contains("Không có lý do &quot;Ồn ào&quot; trong danh sách."), "{}", unknown.text);
    let given = rate(&[("level", "dissatisfied"), ("reason", "Thời gian chờ"), ("complaint", "Chờ quá lâu ở quầy.")]);
    assert_eq!(given.status, 303, "{}", given.text);
    let page = read(&phone, &url);
    assert!(
        page.text.contains("Cảm ơn bạn đã đánh giá!") && page.text.contains("Chờ quá lâu ở quầy."),
        "{}",
        page.text
    );
    let at_hall = || h.get(&format!("/api/v1/t/{}/rating", mine["token"].as_str().unwrap()), None).json;
    assert!(wait_for(30, || at_hall()["level"] == "dissatisfied"), "the hall pulled it: {}", at_hall());
    let rated = at_hall();
    assert_eq!((rated["complaint"].as_str(), rated["source"].as_str()), (Some("Chờ quá lâu ở quầy."), Some("phone")));
    assert_eq!(rated["reasons"], json!(["Thời gian chờ"]));
    // Back through the outbox, the page is the hall's: the complaint's words are no longer at the province.
    assert!(wait_for(30, || {
        let page = read(&phone, &url).text;
        !page.contains("Chờ quá lâu ở quầy.") && page.contains("Đã ghi nhận ý kiến của bạn.")
    }));
    // Changed on second thoughts, saying nothing more: the hall keeps the complaint.
    assert_eq!(rate(&[("level", "neutral")]).status, 303);
    assert!(wait_for(30, || at_hall()["level"] == "neutral"));
    assert_eq!(at_hall()["complaint"], "Chờ quá lâu ở quầy.");
    // A ticket not served yet cannot be rated; nothing is kept of it.
    let waiting = h.take("HT", None);
    delivered();
    let early =
        post(&phone, &format!("{}/danh-gia", waiting["url"].as_str().unwrap()), None, &[("level", "satisfied")]);
    assert_eq!(early.status, 409, "{}", early.text);
    assert!(early.text.contains("Chỉ đánh giá được sau khi đã được phục vụ xong."), "{}", early.text);

    // A hall gone quiet: the page says its figures may be old.
    p.run_sql("UPDATE hall_epoch SET last_push = now() - interval '1 hour'");
    let page = read(&phone, &url);
    assert!(page.text.contains("Xã xa-ea-tu chưa gửi số liệu mới từ"), "{}", page.text);
    assert!(page.text.contains("card late\" id=\"cap-nhat\""), "{}", page.text);

    // Guessing tokens: lookups that find nothing are counted per client before the database is asked,
    // from many connections at once; a found ticket is not counted.
    for _ in 0..40 {
        assert_eq!(read(&phone, &url).status, 200);
    }
    let answers: Vec<u16> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let phone = p.agent();
                let base = p.url();
                s.spawn(move || {
                    (0..8).map(|i| read(&phone, &format!("{base}/t/{:032x}", t * 100 + i)).status).collect::<Vec<_>>()
                })
            })
            .collect();
        threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
    });
    let missing = answers.iter().filter(|s| **s == 404).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert_eq!((missing, refused), (30, 34), "{answers:?}");
    let refused = read(&phone, &format!("{}/t/{:032x}", p.url(), 999));
    assert!(refused.text.contains("Tra cứu quá nhiều lần; xin chờ một phút."), "{}", refused.text);
    // Not a token at all: answered without a lookup, and not counted.
    assert_eq!(read(&phone, &format!("{}/t/{}", p.url(), "x".repeat(4000))).status, 404);
}
