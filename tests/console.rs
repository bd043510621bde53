//! The counter console (`/quay`) in headless Chromium against the real `motcua serve`: login with a wrong
//! and a right PIN, calling by button and by keyboard, recall, no-show, transfer, another counter's
//! calls appearing live, the page reconnecting by itself after the hub restarts, with what it missed, and a
//! staff member changing their PIN and printing a dossier form. SKIPPED without Chromium unless
//! MOTCUA_REQUIRE_BROWSER=1.

mod common;

use common::browser::Browser;
use common::served::Hall;
use serde_json::json;
use std::time::Duration;

fn log_in(browser: &Browser, hall: &Hall, counter: u32, pin: &str) {
    browser.open(&format!("{}/quay", hall.url));
    browser.wait_js("the login form", "return !document.getElementById('login').hidden");
    browser.fill("#login-counter", &counter.to_string());
    browser.fill("#login-pin", pin);
    browser.click("#login-submit");
}

fn logged_in(browser: &Browser) {
    log_in_wait(browser);
    browser.wait_text("#link", "the live link", |t| t == "Đã kết nối");
}

fn log_in_wait(browser: &Browser) {
    browser.wait_js("the console", "return !document.getElementById('console').hidden");
    let login_shown = "return getComputedStyle(document.getElementById('login')).display !== 'none'";
    assert_eq!(browser.js(login_shown), json!(false), "the login form is out of sight");
}

#[test]
fn a_wrong_pin_is_refused_and_the_right_one_opens_the_console() {
    let Some(browser) = Browser::start("a_wrong_pin_is_refused_and_the_right_one_opens_the_console") else { return };
    let hall = Hall::open("");
    log_in(&browser, &hall, 1, "9999");
    let error = browser.wait_text("#login-error", "the refusal", |t| !t.is_empty());
    assert_eq!(error, "Số quầy hoặc mã PIN không đúng.");
    assert_eq!(browser.js("return document.getElementById('console').hidden"), json!(true));
    assert_eq!(browser.js("return document.getElementById('login-pin').value"), json!(""), "the PIN is cleared");

    browser.fill("#login-pin", "100001");
    browser.click("#login-submit");
    logged_in(&browser);
    assert_eq!(browser.text("#counter-name"), "Quầy 1");
    assert_eq!(browser.text("#current-number"), "—");
    // The session lives in an HttpOnly cookie: the page's scripts cannot read it.
    assert_eq!(browser.js("return document.cookie"), json!(""));
    // Reloading keeps the counter logged in.
    browser.open(&format!("{}/quay", hall.url));
    logged_in(&browser);
    assert_eq!(browser.text("#counter-name"), "Quầy 1");
}

#[test]
fn calling_recalling_no_show_and_transfer_by_button_and_keyboard() {
    let Some(browser) = Browser::start("calling_recalling_no_show_and_transfer_by_button_and_keyboard") else {
        return;
    };
    let hall = Hall::open("");
    let first = hall.take("HT", None);
    let second = hall.take("HT", Some("Người cao tuổi"));
    let third = hall.take("CT", None);
    assert_eq!((first.as_str(), second.as_str(), third.as_str()), ("A001", "A002", "B001"));
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    browser.wait_text("#waiting-count", "three waiting", |t| t == "(3)");
    let priority_rows = browser.js(
        "return [...document.querySelectorAll('#waiting-list tr.priority td:first-child')].map(td => td.innerText)",
    );
    assert_eq!(priority_rows, json!(["A002"]), "the priority ticket is marked");
    assert_eq!(browser.text("#done-today"), "0");

    // By button: priority first (docs/queue-policy.md).
    browser.click("#actions button[data-action=next]");
    browser.wait_text("#current-number", "the called number", |t| t == "A002");
    browser.screenshot("console.png");
    assert!(browser.text("#message").contains("Đã gọi A002"), "{}", browser.text("#message"));
    assert!(browser.text("#current-service").contains("Ưu tiên: Người cao tuổi"));

    // Recall twice by keyboard, then no-show.
    browser.key("l");
    browser.wait_text("#current-detail", "one recall", |t| t.contains("gọi lại 1 lần"));
    browser.key("L");
    browser.wait_text("#current-detail", "two recalls", |t| t.contains("gọi lại 2 lần"));
    browser.key("v");
    browser.wait_text("#message", "the no-show", |t| t == "Đã ghi vắng mặt: A002");
    browser.wait_text("#no-show-today", "the count", |t| t == "1");
    browser.wait_text("#current-number", "an empty counter", |t| t == "—");

    // Another counter calls the next one: this console's list follows without a reload.
    let other = hall.counter(2);
    let called = hall.post("/api/v1/counter/next", &other, json!({}));
    assert_eq!(called["ticket"]["number"], "A001");
    browser.wait_text("#waiting-count", "one waiting", |t| t == "(1)");
    browser.wait_text("#event-log", "the other counter's call", |t| t.contains("A001 được mời đến Quầy 2"));

    // Call B001, start and complete it by keyboard.
    browser.key("n");
    browser.wait_text("#current-number", "B001", |t| t == "B001");
    browser.key("b");
    browser.wait_text("#current-detail", "serving", |t| t.starts_with("Đang phục vụ"));
    assert!(browser.text("#start-complete").starts_with("Hoàn thành"));
    browser.key("b");
    browser.wait_text("#done-today", "one done", |t| t == "1");

    // Transfer: a new number called, moved to Chứng thực by the dialog.
    let fourth = hall.take("HT", None);
    browser.key("n");
    browser.wait_text("#current-number", "the new number", |t| t == fourth);
    browser.key("c");
    browser.wait_js("the transfer dialog", "return document.getElementById('dlg-transfer').open");
    let options = browser.js("return [...document.querySelectorAll('#transfer-service option')].map(o => o.value)");
    assert_eq!(options, json!(["CT"]), "the ticket's own service is not offered");
    browser.click("#dlg-transfer button[value=ok]");
    browser.wait_text("#message", "the transfer", |t| t == format!("Đã chuyển {fourth} sang Chứng thực"));
    browser.wait_text("#current-number", "an empty counter", |t| t == "—");
    let row = browser.js("return [...document.querySelectorAll('#waiting-list tr')].map(tr => tr.innerText)");
    assert!(row.to_string().contains(&fourth) && row.to_string().contains("Chứng thực"), "{row}");

    // A refusal is shown, not swallowed: nobody is called to a paused counter.
    browser.key("t");
    browser.wait_js("the paused badge", "return !document.getElementById('paused').hidden");
    assert_eq!(browser.js("return document.querySelector('#actions button[data-action=next]').disabled"), json!(true));
    browser.key("t");
    browser.wait_js("resumed", "return document.getElementById('paused').hidden");

    // Printer health reaches the console live: a status check finds the roll nearly used up, then a
    // ticket fails for want of paper.
    browser.wait_text("#printer-list", "the kiosk's printer", |t| t.contains("kiosk-1 Máy in sẵn sàng"));
    hall.post("/api/v1/printers", &hall.kiosk, json!({ "state": "paper-low" }));
    browser.wait_text("#printer-list", "paper low", |t| t.contains("kiosk-1 Sắp hết giấy"));
    let r = hall.post("/api/v1/tickets", &hall.kiosk, json!({ "service": "HT" }));
    let id = r["ticket"]["id"].as_i64().unwrap();
    let outcome = json!({ "outcome": "not-printed", "detail": "paper out" });
    hall.post(&format!("/api/v1/tickets/{id}/outcome"), &hall.kiosk, outcome);
    browser.wait_text("#printer-list", "paper out", |t| t.contains("kiosk-1 Máy in hết giấy"));
    let shown = browser.js("return document.querySelector('#printer-list li').dataset.state");
    assert_eq!(shown, json!("paper-out"));
}

#[test]
fn the_console_reconnects_after_the_hub_restarts_and_shows_what_it_missed() {
    let Some(browser) = Browser::start("the_console_reconnects_after_the_hub_restarts_and_shows_what_it_missed") else {
        return;
    };
    let mut hall = Hall::open("");
    hall.take("HT", None);
    hall.take("HT", None);
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    browser.wait_text("#waiting-count", "two waiting", |t| t == "(2)");

    hall.kill();
    browser.wait_text("#link", "the lost link", |t| t.starts_with("Mất kết nối"));
    // Actions fail with a message, and nothing pretends to have happened.
    browser.key("n");
    browser.wait_text("#message", "the failure", |t| t.starts_with("Không kết nối được"));
    assert_eq!(browser.text("#current-number"), "—");

    hall.restart();
    // Right after the restart, before the page is back, another counter calls A001.
    let other = hall.counter(2);
    let called = hall.post("/api/v1/counter/next", &other, json!({}));
    assert_eq!(called["ticket"]["number"], "A001");
    browser.wait_text("#link", "the link again", |t| t == "Đã kết nối");
    browser.wait_text("#event-log", "the missed call", |t| t.contains("A001 được mời đến Quầy 2"));
    browser.wait_text("#waiting-count", "one waiting", |t| t == "(1)");
    // The session survived the restart: the console can call at once.
    browser.key("n");
    browser.wait_text("#current-number", "A002", |t| t == "A002");
    std::thread::sleep(Duration::from_millis(200));
    let log = browser.text("#event-log");
    assert_eq!(log.matches("A001 được mời đến").count(), 1, "each event appears once: {log}");
}

#[test]
fn two_tabs_of_one_counter_show_the_same_hub_and_neither_undoes_the_other() {
    let Some(first) = Browser::start("two_tabs_of_one_counter_show_the_same_hub_and_neither_undoes_the_other") else {
        return;
    };
    let Some(second) = Browser::start("two_tabs_of_one_counter (second tab)") else { return };
    let hall = Hall::open("");
    hall.take("HT", None);
    hall.take("HT", None);
    for tab in [&first, &second] {
        log_in(tab, &hall, 1, "100001");
        logged_in(tab);
    }
    first.key("n");
    first.wait_text("#current-number", "A001", |t| t == "A001");
    second.wait_text("#current-number", "A001 in the other tab", |t| t == "A001");
    second.wait_text("#waiting-count", "one left", |t| t == "(1)");
    // The second tab recalls: the first sees it; then the first completes and the second follows.
    second.key("l");
    first.wait_text("#current-detail", "the recall from the other tab", |t| t.contains("gọi lại 1 lần"));
    first.key("b");
    second.wait_text("#current-detail", "serving", |t| t.starts_with("Đang phục vụ"));
    second.key("b");
    first.wait_text("#done-today", "one done", |t| t == "1");
    first.wait_text("#current-number", "an empty counter", |t| t == "—");
    // What the hub refuses is shown as an error, and changes nothing in either tab.
    first.key("g");
    first.wait_js("the call dialog", "return document.getElementById('dlg-call').open");
    first.fill("#call-number", "a999");
    first.fill("#call-reason", "Công dân quay lại");
    first.click("#dlg-call button[value=ok]");
    first.wait_js("the refusal", "return document.getElementById('message').className === 'error'");
    let refusal = first.text("#message");
    assert!(refusal.contains("A999") || refusal.contains("Không"), "{refusal}");
    second.wait_text("#done-today", "one done", |t| t == "1");
}

#[test]
fn a_counter_receives_a_dossier_for_the_citizen_it_serves_and_prints_the_receipt() {
    let Some(browser) = Browser::start("a_counter_receives_a_dossier_for_the_citizen_it_serves_and_prints_the_receipt")
    else {
        return;
    };
    let hall = Hall::open("");
    hall.take("HT", None);
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    let receive_disabled = "return document.querySelector('#actions button[data-action=receive]').disabled";
    assert_eq!(browser.js(receive_disabled), json!(true), "nobody to receive from yet");
    browser.key("n");
    browser.wait_text("#current-number", "A001", |t| t == "A001");
    browser.key("h");
    browser.wait_js("the receive dialog", "return document.getElementById('dlg-receive').open");
    // The procedure list comes from the hub's catalog.
    browser.wait_js("the procedures", "return document.querySelectorAll('#procedures option').length > 10");
    browser.fill("#receive-procedure", "1.001193 — Thủ tục đăng ký khai sinh");
    browser.fill("#receive-name", "Nguyễn Văn Hải");
    browser.fill("#receive-phone", "0912 345 678");
    browser.fill("#receive-documents", "Giấy chứng sinh\nTờ khai đăng ký khai sinh");
    browser.click("#dlg-receive button[value=ok]");
    let said = browser.wait_text("#message", "the receipt", |t| t.starts_with("Đã tiếp nhận hồ sơ"));
    assert!(said.contains("000.00.00.H99-") && said.ends_with("đã in giấy hẹn"), "{said}");
    let code = said.split_whitespace().nth(5).unwrap().to_string();
    let status: serde_json::Value = common::hub::agent()
        .get(&format!("{}/api/v1/dossiers/{code}", hall.url))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(status["status_vi"], "Được tiếp nhận", "{code}: {status}");
    assert!(status.get("procedure").is_none(), "the code alone does not tell the procedure: {status}");
}

#[test]
fn the_receive_form_is_filled_in_from_the_chip_id_card_scanned_at_the_kiosk() {
    let Some(browser) = Browser::start("the_receive_form_is_filled_in_from_the_chip_id_card_scanned_at_the_kiosk")
    else {
        return;
    };
    let hall = Hall::open("");
    // The kiosk on the hub's machine sends the card with the number (docs/id-card.md).
    let card = json!({"id": "001090123456", "birth": "1950-01-01", "name": "Nguyễn Văn An"});
    let r = hall.post("/api/v1/tickets", &hall.kiosk, json!({"service": "HT", "card": card}));
    let id = r["ticket"]["id"].as_i64().unwrap();
    hall.post(&format!("/api/v1/tickets/{id}/outcome"), &hall.kiosk, json!({"outcome": "printed"}));
    hall.take("HT", None);
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    browser.key("n");
    browser.wait_text("#current-number", "A001", |t| t == "A001");
    browser.key("h");
    browser.wait_js("the receive dialog", "return document.getElementById('dlg-receive').open");
    assert_eq!(browser.js("return document.getElementById('receive-card').hidden"), json!(false));
    assert_eq!(browser.text("#receive-card-ticket"), "A001");
    assert_eq!(browser.js("return document.getElementById('receive-id').value"), json!("001090123456"));
    assert_eq!(browser.js("return document.getElementById('receive-birth').value"), json!("01/01/1950"));
    assert_eq!(browser.js("return document.getElementById('receive-name').value"), json!("Nguyễn Văn An"));
    // The counter checks the card and corrects the date of birth before confirming.
    browser.fill("#receive-birth", "02/01/1950");
    browser.fill("#receive-procedure", "1.001193 — Thủ tục đăng ký khai sinh");
    browser.click("#dlg-receive button[value=ok]");
    let said = browser.wait_text("#message", "the receipt", |t| t.starts_with("Đã tiếp nhận hồ sơ"));
    assert!(!said.contains("001090123456"), "the console's history does not show it: {said}");
    let history = browser.text("body");
    assert!(!history.contains("001090123456"), "nothing of the card stays on the page");
    // The next citizen took a number without a card: the form starts empty.
    browser.key("b");
    browser.wait_text("#current-detail", "serving", |t| t.starts_with("Đang phục vụ"));
    browser.key("b");
    browser.wait_text("#current-number", "an empty counter", |t| t == "—");
    browser.key("n");
    browser.wait_text("#current-number", "A002", |t| t == "A002");
    browser.key("h");
    browser.wait_js("the receive dialog", "return document.getElementById('dlg-receive').open");
    assert_eq!(browser.js("return document.getElementById('receive-card').hidden"), json!(true));
    assert_eq!(browser.js("return document.getElementById('receive-id').value"), json!(""));
    assert_eq!(browser.js("return document.getElementById('receive-name').value"), json!(""));
    drop(browser);
    let mut hall = hall;
    hall.kill();
    let store = motcua::store::Store::open(&hall.data.join("motcua.db")).unwrap();
    let stored: (String, String, i64) = store
        .conn()
        .query_row("SELECT applicant_id, applicant_birth, (SELECT count(*) FROM id_card) FROM dossier", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(stored, ("001090123456".into(), "1950-01-02".into(), 0), "received: the card erased");
}

#[test]
fn the_console_says_why_kiosks_stopped_issuing_and_clears_it_once_the_clock_is_accepted() {
    let Some(browser) = Browser::start("the_console_says_why_kiosks_stopped_issuing") else { return };
    let mut hall = Hall::open("");
    hall.take("HT", None);
    hall.kill();
    // The clock once ran a day ahead: the last event is stamped tomorrow.
    {
        let store = motcua::store::Store::open(&hall.data.join("motcua.db")).unwrap();
        store.conn().execute("UPDATE queue_event SET at_ms = at_ms + 86400000", []).unwrap();
    }
    hall.restart();
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    let said = browser.wait_text("#issuing-stopped", "the red line", |t| t.contains("motcua clock accept"));
    assert!(said.starts_with("Ki-ốt đang ngừng cấp số"), "{said}");
    browser.screenshot("console-issuing-stopped.png");
    common::served::run(&hall.data, &hall.config, &["clock", "accept"], "");
    hall.take("HT", None);
    browser.wait_js("the red line gone", "return document.getElementById('issuing-stopped').hidden");
}

#[test]
fn a_staff_member_changes_their_pin_and_prints_a_dossier_form_from_the_console() {
    let Some(browser) = Browser::start("a_staff_member_changes_their_pin_and_prints_a_dossier_form") else { return };
    let hall = Hall::open("");
    common::served::run(
        &hall.data,
        &hall.config,
        &["staff", "add", "lan.nt", "--name", "Nguyễn Thị Lan", "--roles", "counter"],
        "246813\n",
    );
    browser.open(&format!("{}/quay", hall.url));
    browser.wait_js("the login form", "return !document.getElementById('login').hidden");
    browser.fill("#login-counter", "1");
    browser.fill("#login-username", "lan.nt");
    browser.fill("#login-pin", "246813");
    browser.click("#login-submit");
    logged_in(&browser);
    assert_eq!(browser.text("#staff-name"), "Nguyễn Thị Lan");

    // "Đổi mã PIN": a mistyped repeat changes nothing; then the new PIN is the one that works.
    let change = |current: &str, new: &str, again: &str| {
        browser.js("document.getElementById('change-pin').click(); return true");
        browser.wait_js("the PIN dialog", "return document.getElementById('dlg-pin').open");
        browser.fill("#pin-current", current);
        browser.fill("#pin-new", new);
        browser.fill("#pin-again", again);
        browser.click("#dlg-pin button[value=ok]");
    };
    change("246813", "975310", "975311");
    browser.wait_text("#message", "the refusal", |t| t.starts_with("Hai lần nhập mã mới không giống nhau"));
    change("111111", "975310", "975310");
    browser.wait_text("#message", "the wrong current PIN", |t| t == "Mã PIN hiện tại không đúng.");
    change("246813", "975310", "975310");
    browser.wait_text("#message", "the change", |t| t == "Đã đổi mã PIN.");
    let login = |pin: &str| {
        hall.post_with("/api/v1/counter/login", &[], json!({"counter": 2, "username": "lan.nt", "pin": pin}))
    };
    assert!(login("246813")["message_vi"].is_string(), "the old PIN no longer opens a counter");
    assert!(login("975310")["csrf"].is_string(), "the new one does");

    // The console's own session lives on. Receive a dossier for the called number, then print form 02 for
    // it with the P key.
    browser.open(&format!("{}/quay", hall.url));
    logged_in(&browser);
    let number = hall.take("HT", None);
    browser.key("n");
    browser.wait_text("#current-number", "the call", |t| t == number);
    browser.key("h");
    browser.wait_js("the receive dialog", "return document.getElementById('dlg-receive').open");
    browser.fill("#receive-procedure", "1.001193");
    browser.fill("#receive-name", "Nguyễn Văn Hải");
    browser.click("#dlg-receive button[value=ok]");
    let received = browser.wait_text("#message", "the receipt", |t| t.starts_with("Đã tiếp nhận hồ sơ "));
    let code = received.trim_start_matches("Đã tiếp nhận hồ sơ ").split(' ').next().unwrap().to_string();
    browser.key("p");
    browser.wait_js("the form dialog", "return document.getElementById('dlg-form').open");
    assert_eq!(
        browser.js("return document.getElementById('form-code').value"),
        json!(code),
        "the dossier just received"
    );
    browser.js("document.getElementById('form-kind').value = '02'; return true");
    browser.fill("#form-documents", "Bản sao giấy chứng nhận kết hôn");
    browser.click("#dlg-form button[value=ok]");
    let said = browser.wait_text("#message", "the form", |t| t.starts_with("Mẫu 02 cho hồ sơ"));
    assert!(said.starts_with(&format!("Mẫu 02 cho hồ sơ {code}: ")), "{said}");
    browser.screenshot("console-form.png");
    let store = motcua::store::Store::open(&hall.data.join("motcua.db")).unwrap();
    let (form, detail): (String, String) = store
        .conn()
        .query_row(
            "SELECT f.form, f.detail FROM dossier_form f JOIN dossier d ON d.id = f.dossier_id WHERE d.code = ?1",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(form, "02");
    assert!(detail.contains("Bản sao giấy chứng nhận kết hôn"), "{detail}");
}

#[test]
fn a_daily_backup_that_cannot_be_written_is_shown_on_the_console() {
    let Some(browser) = Browser::start("a_daily_backup_that_cannot_be_written_is_shown_on_the_console") else {
        return;
    };
    // An unplugged USB stick: the folder cannot be made. Due from one minute past midnight, so at once.
    let hall = Hall::open("[backup]\ndir = \"/proc/motcua-usb\"\ntime = \"00:01\"\n\n");
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    let said = browser.wait_text("#backup-failed", "the backup's failure", |t| !t.is_empty());
    assert!(said.starts_with("Sao lưu hằng ngày không thực hiện được, báo cán bộ kỹ thuật: "), "{said}");
    assert!(said.contains("/proc/motcua-usb"), "{said}");
}

#[test]
fn a_full_disk_raises_the_alarm_and_the_console_says_why_an_action_was_refused() {
    let Some(browser) = Browser::start("a_full_disk_raises_the_alarm_and_the_console_says_why_an_action_was_refused")
    else {
        return;
    };
    let mut hall = Hall::open("");
    let first = hall.take("HT", None);
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    assert_eq!(browser.js("return document.getElementById('disk-full').hidden"), json!(true));

    // The database may grow no further: a cap under its size holds it where it is.
    let text = std::fs::read_to_string(&hall.config).unwrap();
    std::fs::write(&hall.config, format!("[hub]\ndatabase_max_mib = 1\n{text}")).unwrap();
    hall.restart();
    let refused = (0..5000)
        .map(|_| hall.post("/api/v1/tickets", &hall.kiosk, json!({ "service": "HT" })))
        .find(|r| r["error"] == json!("disk_full"))
        .expect("the capped database refuses a number");
    assert!(refused["message_vi"].as_str().unwrap().contains("hết chỗ lưu dữ liệu"), "{refused}");

    // The console sees it on its next health check, and an action refused for it says so.
    browser.wait_js("the alarm", "return !document.getElementById('disk-full').hidden");
    let alarm = browser.text("#disk-full");
    assert!(alarm.starts_with("Máy chủ đã hết chỗ lưu dữ liệu"), "{alarm}");
    browser.screenshot("console-disk-full.png");
    browser.wait_text("#link", "the live link again", |t| t == "Đã kết nối");
    // Pausing and resuming writes an event each time: within a page or two of events, one finds no room.
    let refused = (0..400).find_map(|_| {
        browser.click("#pause");
        std::thread::sleep(Duration::from_millis(100));
        let message = browser.text("#message");
        message.contains("hết chỗ lưu dữ liệu").then_some(message)
    });
    let message = refused.expect("pausing was never refused for the disk");
    assert!(message.contains("cán bộ kỹ thuật"), "{message}");
    assert_eq!(browser.text("#waiting-count"), "(1)", "{first} still waits, nothing lost");
}

#[test]
fn figures_the_province_has_not_had_for_hours_are_shown_on_the_console() {
    let Some(browser) = Browser::start("figures_the_province_has_not_had_for_hours_are_shown_on_the_console") else {
        return;
    };
    // A province nobody answers at; what the hall wrote before was delivered, and a row written three
    // hours ago never left.
    let keys = tempfile::tempdir().unwrap();
    let token = common::write(keys.path(), "token", "0123456789abcdef\n");
    std::fs::set_permissions(&token, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    assert!(common::motcua(keys.path(), &["tls", "init", "--name", "127.0.0.1"]).status.success());
    let mut hall = Hall::open(&format!(
        "[province]\nurl = \"https://127.0.0.1:9\"\ntoken_file = \"{}\"\nca = \"{}\"\n\n",
        token.display(),
        keys.path().join("tls/ca.pem").display()
    ));
    hall.kill();
    let mut store = motcua::store::Store::open(&hall.data.join("motcua.db")).unwrap();
    let three_hours_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(3);
    let (newest, _) = motcua::app::outbox::lag(&store).unwrap();
    motcua::app::outbox::delivered(&mut store, newest, 0).unwrap();
    motcua::app::outbox::note_printers(&mut store, &[], motcua::domain::clock::millis(three_hours_ago)).unwrap();
    drop(store);
    hall.restart();
    hall.take("HT", None);
    log_in(&browser, &hall, 1, "100001");
    logged_in(&browser);
    let said = browser.wait_text("#province-late", "the province's lag", |t| !t.is_empty());
    assert!(said.starts_with("Chưa gửi được số liệu lên tỉnh trong 3 giờ qua ("), "{said}");
    assert!(said.contains("dòng chờ gửi). Quầy vẫn làm việc bình thường"), "{said}");
}
