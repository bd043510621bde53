//! Citizens' ratings for real: by the ticket's token over HTTP on loopback, on the phone page without
//! scripts (a form post), and at the counter's paired tablet in headless Chromium; attributed to who
//! finished the ticket; every refusal (unknown, voided, unserved, already rated, too late, by number,
//! injection) says why and changes nothing.

mod common;

use common::browser::Browser;
use common::hub::*;
use common::served::Hall;
use motcua::config::Config;
use motcua::store::Store;
use serde_json::{json, Value};
use std::time::Duration;
use time::macros::datetime;

fn hall() -> TestHub {
    start(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7))
}

/// Takes a ticket and serves it to the end at `counter` (logged in as `session`); its token.
fn served(h: &TestHub, session: &str) -> String {
    let token = h.take("HT", None)["token"].as_str().unwrap().to_string();
    assert_eq!(h.post("/api/v1/counter/next", Some(session), json!({})).status, 200);
    assert_eq!(h.post("/api/v1/counter/complete", Some(session), json!({})).status, 200);
    token
}

/// Every stored rating: (ticket number, level, reasons, complaint, source, counter, staff username).
fn ratings(h: &TestHub) -> Vec<Value> {
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT t.number, r.level, r.reasons, r.complaint, r.source, r.counter, s.username, r.service
             FROM rating r JOIN ticket t ON t.id = r.ticket_id LEFT JOIN staff s ON s.id = r.staff_id ORDER BY r.id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(json!([
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                serde_json::from_str::<Value>(&r.get::<_, String>(2)?).unwrap(),
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<u32>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
            ]))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn rate(h: &TestHub, token: &str, body: Value) -> Answer {
    h.post(&format!("/api/v1/t/{token}/rating"), None, body)
}

#[test]
fn a_served_ticket_is_rated_once_and_attributed_to_who_finished_it() {
    let h = hall();
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    motcua::app::staff::add(&store, h.hub.config(), "lan.nt", "Nguyễn Thị Lan", "counter", "246813", h.clock.as_ref())
        .unwrap();
    let lan = h.post(
        "/api/v1/counter/login",
        None,
        json!({"counter": 1, "username": "lan.nt", "pin": "246813", "bearer": true}),
    );
    let lan = lan.json["session"].as_str().unwrap().to_string();
    let token = served(&h, &lan);

    let given =
        rate(&h, &token, json!({"level": "dissatisfied", "reasons": ["Thời gian chờ"], "complaint": "Chờ 40 phút."}));
    assert_eq!(given.status, 200, "{}", given.messages());
    assert_eq!(
        (given.json["level_vi"].as_str(), given.json["number"].as_str()),
        (Some("Không hài lòng"), Some("A001"))
    );
    // The same holder changes it within the window; the kiosk's token is the same holder as the phone's.
    h.clock.advance(time::Duration::minutes(9));
    let changed = h.post(
        &format!("/api/v1/t/{token}/rating"),
        Some(&h.kiosk_token),
        json!({"level": "neutral", "reasons": ["Thái độ", "Thời gian chờ"]}),
    );
    assert_eq!(changed.status, 200, "{}", changed.messages());
    assert_eq!(
        ratings(&h),
        vec![json!(["A001", "neutral", ["Thời gian chờ", "Thái độ"], null, "phone", 1, "lan.nt", "HT"])],
        "one rating, changed; attributed to counter 1 and Lan, the source it was first given at"
    );
    assert_eq!(h.get(&format!("/api/v1/t/{token}/rating"), None).json["level"], "neutral");

    h.clock.advance(time::Duration::minutes(2));
    let late = rate(&h, &token, json!({"level": "very_satisfied"}));
    assert_eq!(late.status, 409);
    assert!(late.messages().contains("chỉ sửa được trong 10 phút"), "{}", late.messages());
    assert_eq!(ratings(&h)[0][1], "neutral", "the late change changed nothing");
}

#[test]
fn refusals_say_why_and_change_nothing() {
    let h = hall();
    let counter = h.login(1);
    let done = served(&h, &counter);
    let waiting = h.take("HT", None)["token"].as_str().unwrap().to_string();
    let unknown = rate(&h, "0123456789abcdef0123456789abcdef", json!({"level": "satisfied"}));
    assert_eq!(unknown.status, 404);
    assert!(unknown.messages().contains("Không tìm thấy phiếu"), "{}", unknown.messages());
    let early = rate(&h, &waiting, json!({"level": "satisfied"}));
    assert_eq!(early.status, 409);
    assert!(early.messages().contains("sau khi đã được phục vụ xong"), "{}", early.messages());

    // A voided ticket: reserved, then its print failed on a printer answering garbage (the rule voids it).
    let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({"service": "HT"}));
    let id = r.json["ticket"]["id"].as_i64().unwrap();
    let voided_token = r.json["token"].as_str().unwrap().to_string();
    let o = h.post(
        &format!("/api/v1/tickets/{id}/outcome"),
        Some(&h.kiosk_token),
        json!({"outcome": "not-printed", "detail": "garbled answer", "printer": "garbled"}),
    );
    assert_eq!(o.json["state"], "voided", "{}", o.messages());
    let voided = rate(&h, &voided_token, json!({"level": "satisfied"}));
    assert_eq!(voided.status, 409);
    assert!(voided.messages().contains("đã bị hủy"), "{}", voided.messages());

    for (complaint, why) in [
        ("<img src=x onerror=alert(1)>", "markup"),
        ("=HYPERLINK(\"http://x\",\"bấm\")", "a formula"),
        ("@SUM(1+1)", "a formula"),
    ] {
        let a = rate(&h, &done, json!({"level": "dissatisfied", "complaint": complaint}));
        assert_eq!(a.status, 422, "{why}: {}", a.messages());
        assert!(a.messages().contains("không được chứa ký tự < >"), "{}", a.messages());
    }
    let reason = rate(&h, &done, json!({"level": "neutral", "reasons": ["ồn ào"]}));
    assert_eq!(reason.status, 422);
    // Knowing the number is not enough: only the counter's tablet rates by number.
    let by_number = h.post("/api/v1/ratings", Some(&counter), json!({"number": "A001", "level": "dissatisfied"}));
    assert_eq!(by_number.status, 403);
    assert!(by_number.messages().contains("mã QR trên phiếu"), "{}", by_number.messages());
    let anonymous = h.post("/api/v1/ratings", None, json!({"number": "A001", "level": "dissatisfied"}));
    assert_eq!(anonymous.status, 403);
    assert!(ratings(&h).is_empty(), "no refusal stored anything");

    assert_eq!(rate(&h, &done, json!({"level": "satisfied"})).status, 200);
    assert_eq!(ratings(&h).len(), 1);
}

/// Posts a form as a phone's browser does (no scripts); the answer's status, location and body.
fn post_form(h: &TestHub, path: &str, form: &str) -> (u16, Option<String>, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let mut r =
        agent.post(&h.url(path)).header("Content-Type", "application/x-www-form-urlencoded").send(form).unwrap();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    (r.status().as_u16(), location, r.body_mut().read_to_string().unwrap_or_default())
}

fn page(h: &TestHub, token: &str) -> String {
    agent().get(&h.url(&format!("/t/{token}"))).call().unwrap().into_body().read_to_string().unwrap()
}

#[test]
fn the_phone_page_asks_once_served_and_takes_reasons_and_a_complaint_without_scripts() {
    let h = hall();
    let counter = h.login(1);
    let token = h.take("HT", None)["token"].as_str().unwrap().to_string();
    let waiting = page(&h, &token);
    assert!(
        !waiting.contains("danh-gia") && waiting.contains("http-equiv=\"refresh\""),
        "not asked before being served"
    );
    assert_eq!(h.post("/api/v1/counter/next", Some(&counter), json!({})).status, 200);
    assert_eq!(h.post("/api/v1/counter/complete", Some(&counter), json!({})).status, 200);

    let asked = page(&h, &token);
    assert!(asked.contains("Bạn có hài lòng với cách phục vụ?") && asked.contains("Không hài lòng"), "{asked}");
    assert!(
        !asked.contains("<script") && !asked.contains("http-equiv=\"refresh\""),
        "no scripts, no reload mid-answer"
    );
    assert!(asked.len() < 8 * 1024, "{} bytes", asked.len());

    let (status, location, _) = post_form(&h, &format!("/t/{token}/danh-gia"), "level=dissatisfied");
    assert_eq!((status, location.as_deref()), (303, Some(format!("/t/{token}#danh-gia").as_str())));
    let thanked = page(&h, &token);
    assert!(thanked.contains("Cảm ơn bạn đã đánh giá!") && thanked.contains("Vì sao?"), "{thanked}");
    assert!(thanked.contains("Thời gian chờ") && thanked.contains("Phản ánh, kiến nghị"));

    let form = "level=dissatisfied&reason=Th%E1%BB%9Di+gian+ch%E1%BB%9D&reason=Kh%C3%A1c&complaint=Ch%E1%BB%9D+l%C3%A2u+%26+n%C3%B3ng";
    let (status, _, _) = post_form(&h, &format!("/t/{token}/danh-gia"), form);
    assert_eq!(status, 303);
    assert_eq!(
        ratings(&h),
        vec![json!(["A001", "dissatisfied", ["Thời gian chờ", "Khác"], "Chờ lâu & nóng", "phone", 1, null, "HT"])]
    );
    let shown = page(&h, &token);
    assert!(shown.contains("Chờ lâu &amp; nóng"), "the complaint is escaped where it is shown");
    assert!(shown.contains("Đã ghi nhận ý kiến của bạn."));

    let (status, _, body) =
        post_form(&h, &format!("/t/{token}/danh-gia"), "level=neutral&complaint=%3Cb%3Ex%3C%2Fb%3E");
    assert_eq!(status, 422);
    assert!(body.contains("không được chứa ký tự &lt; &gt;") && body.contains("Cảm ơn bạn đã đánh giá!"), "{body}");
    assert_eq!(ratings(&h)[0][1], "dissatisfied", "the refused change changed nothing");
    let (status, _, body) = post_form(&h, &format!("/t/{token}/danh-gia"), "nothing=here");
    assert_eq!(status, 422);
    assert!(body.contains("Hãy chọn một mức đánh giá."));
}

#[test]
fn a_tablet_paired_to_a_counter_shows_the_ticket_and_rates_what_the_counter_finished() {
    let Some(browser) = Browser::start("a_tablet_paired_to_a_counter_shows_the_ticket_and_rates") else { return };
    let hall = Hall::open("");
    let console = hall.console(1);
    let headers = [("Cookie", console.0.as_str()), ("X-CSRF-Token", console.1.as_str())];
    let code = hall.post_with("/api/v1/counter/tablet-code", &headers, json!({}));
    let code = code["code"].as_str().expect("a pairing code").to_string();
    assert_eq!(code.len(), 6);

    browser.open(&format!("{}/danh-gia", hall.url));
    browser.wait_js("the pairing form", "return !document.getElementById('pair').hidden");
    browser.fill("#pair-counter", "1");
    browser.fill("#pair-code", "000000");
    browser.click("#pair-form button");
    let refused = browser.wait_text("#pair-error", "the wrong code refused", |t| !t.is_empty());
    assert!(refused.contains("mã ghép không đúng"), "{refused}");
    browser.fill("#pair-code", &code);
    browser.click("#pair-form button");
    browser.wait_js("the tablet's screen", "return !document.getElementById('tablet').hidden");
    assert_eq!(browser.text("#counter-name"), "Quầy 1");
    assert_eq!(browser.js("return document.cookie"), json!(""), "the tablet's cookie is HttpOnly");
    // The code was used up: a second tablet cannot pair with it.
    let again = hall.post_with("/api/v1/tablet/pair", &[], json!({"counter": 1, "code": code}));
    assert!(again["message_vi"].as_str().unwrap_or("").contains("mã ghép không đúng"), "{again}");

    let number = hall.take("HT", None);
    hall.press(&console, "next");
    browser.wait_text("#serving-text", "the ticket at the counter", |t| t == format!("Quầy 1 — {number}"));
    browser.screenshot("tablet-serving.png");
    hall.press(&console, "start");
    hall.press(&console, "complete");
    browser.wait_js("the faces", "return !document.getElementById('rate').hidden");
    assert_eq!(browser.text("#rate-number"), number);
    browser.screenshot("tablet-faces.png");
    browser.click("#faces button[data-level=dissatisfied]");
    browser.wait_js("the reasons", "return !document.getElementById('why').hidden");
    browser.js(
        "[...document.querySelectorAll('#chips button')].find(b => b.textContent === 'Thái độ').click(); return true",
    );
    browser.fill("#complaint", "Cán bộ trả lời cộc lốc.");
    browser.screenshot("tablet-why.png");
    browser.click("#why-send");
    browser.wait_text("#thanks .giant", "the thanks", |t| t == "Cảm ơn bạn!");

    // Counted: the rating is stored for the counter's ticket, with its reason and complaint.
    let store = Store::open(&hall.data.join("motcua.db")).unwrap();
    let stored: (String, String, String, String, u32) = store
        .conn()
        .query_row(
            "SELECT r.level, r.reasons, r.complaint, r.source, r.counter FROM rating r JOIN ticket t ON t.id = r.ticket_id
             WHERE t.number = ?1",
            [&number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        stored,
        ("dissatisfied".into(), "[\"Thái độ\"]".into(), "Cán bộ trả lời cộc lốc.".into(), "tablet".into(), 1)
    );
    // The tablet may not rate a ticket another counter finished, even by its number.
    let other = hall.take("HT", None);
    let two = hall.console(2);
    hall.press(&two, "next");
    hall.press(&two, "complete");
    let foreign = browser.js(&format!(
        "return fetch('/api/v1/tablet').then(r => r.json()).then(s => fetch('/api/v1/ratings', {{method: 'POST', \
         headers: {{'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf}}, \
         body: JSON.stringify({{number: '{other}', level: 'satisfied'}})}})).then(r => r.status)"
    ));
    assert_eq!(foreign, json!(404), "counter 2's ticket is not counter 1's tablet's to rate");
}

#[test]
fn the_phone_page_rating_works_in_a_real_browser() {
    let Some(browser) = Browser::start("the_phone_page_rating_works_in_a_real_browser") else { return };
    let hall = Hall::open("");
    let r = hall.post("/api/v1/tickets", &hall.kiosk, json!({"service": "HT"}));
    let (id, token) = (r["ticket"]["id"].as_i64().unwrap(), r["token"].as_str().unwrap().to_string());
    hall.post(&format!("/api/v1/tickets/{id}/outcome"), &hall.kiosk, json!({"outcome": "printed"}));
    let console = hall.console(1);
    hall.press(&console, "next");
    hall.press(&console, "complete");

    browser.open(&format!("{}/t/{token}", hall.url));
    browser.wait_text("#danh-gia .big", "the question", |t| t == "Bạn có hài lòng với cách phục vụ?");
    browser.screenshot("phone-rating.png");
    browser.click("#danh-gia button[value=neutral]");
    browser.wait_text("#danh-gia .big", "the thanks", |t| t == "Cảm ơn bạn đã đánh giá!");
    browser.js("document.querySelector('input[name=reason][value=\"Giải quyết chậm\"]').click(); return true");
    browser.fill("textarea[name=complaint]", "Nên có thêm quầy buổi sáng.");
    browser.click("#danh-gia .send");
    // The form posts and the page comes back saying so: wait for that page, not for the field
    // typed into, which holds the text before the post has even left.
    browser.wait_js(
        "the complaint received",
        "return document.body.innerText.includes('Đã ghi nhận ý kiến của bạn.') && \
         document.querySelector('textarea[name=complaint]').value === 'Nên có thêm quầy buổi sáng.'",
    );
    browser.screenshot("phone-rated.png");
    let rated: Value =
        agent().get(&format!("{}/api/v1/t/{token}/rating", hall.url)).call().unwrap().body_mut().read_json().unwrap();
    assert_eq!(
        (&rated["level"], &rated["reasons"], &rated["complaint"], &rated["source"]),
        (&json!("neutral"), &json!(["Giải quyết chậm"]), &json!("Nên có thêm quầy buổi sáng."), &json!("phone"))
    );
}
