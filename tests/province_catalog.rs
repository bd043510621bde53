//! The province's catalog, over real HTTPS (a test CA) on a scratch PostgreSQL: the province publishes it
//! (`motcua province catalog import`, `retire`), a hall's hub pulls it, and each procedure the hall never
//! made its own follows it (the hall's kiosk and phone pages with it); a procedure staff edited on
//! `/quan-tri` stays the hall's, shown beside the province's, until staff take the province's version.

mod common;
#[path = "common/postgres.rs"]
mod postgres;
#[path = "common/province.rs"]
mod province;

use common::browser::Browser;
use common::hub::*;
use motcua::app::catalog;
use motcua::config::Config;
use motcua::store::Store;
use postgres::Postgres;
use province::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use time::macros::datetime;

/// The demo catalog as the province publishes it, each procedure's name changed by `rename`.
fn province_file(dir: &Path, name: &str, rename: &[(&str, &str)]) -> PathBuf {
    let mut file: Value = serde_json::from_str(catalog::DEMO_CATALOG).unwrap();
    file["demo"] = Value::Bool(false);
    for p in file["procedures"].as_array_mut().unwrap() {
        if let Some((_, to)) = rename.iter().find(|(code, _)| p["code"] == *code) {
            p["name"] = Value::String(to.to_string());
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    path
}

/// The published version of `code` at the hall: (name, source).
fn at_hall(h: &TestHub, code: &str) -> Option<(String, String)> {
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    let version = catalog::current_version(&store, code).unwrap()?;
    let stored = catalog::versions(&store, code).unwrap().into_iter().find(|v| v.version == version)?;
    Some((stored.procedure.name, stored.source))
}

fn page(h: &TestHub, cookie: &str, path: &str) -> String {
    agent().get(&h.url(path)).header("Cookie", cookie).call().unwrap().body_mut().read_to_string().unwrap()
}

#[test]
fn a_hall_follows_the_province_s_catalog_except_what_its_staff_made_their_own() {
    let Some(pg) = Postgres::start("a_hall_follows_the_province_s_catalog") else { return };
    let mut p = ProvinceService::prepare(&pg, "province", "");
    p.start();
    let files = tempfile::tempdir().unwrap();
    let birth = "Thủ tục đăng ký khai sinh (bản của tỉnh)";
    let first = province_file(
        files.path(),
        "tinh-1.json",
        &[("1.001193", birth), ("1.000419", "Thủ tục đăng ký khai tử lưu động (bản của tỉnh)")],
    );
    let done = p.run(&["province", "catalog", "import", first.to_str().unwrap()]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(String::from_utf8_lossy(&done.stdout).contains("56 thủ tục mới, 0 thay đổi"), "{:?}", done);

    // A hall on the demo catalog, whose staff edited one procedure before the province's arrived.
    let dir = tempfile::tempdir().unwrap();
    let token = p.add_hall("xa-ea-tu", dir.path());
    let mut config = open_all_day(Config::default());
    config.province = motcua::config::Province { catalog_pull_s: 1, ..p.hall_config(&token) };
    let staff_config = config.clone();
    let h = start_in(dir, config, datetime!(2026-12-01 08:00 +7), move |store| {
        let c = common::clock();
        catalog::seed_demo(store, &c).unwrap();
        motcua::app::staff::add(store, &staff_config, "tuan.admin", "Lê Anh Tuấn", "admin", "mật khẩu quản trị 1", &c)
            .unwrap();
        let mut own = catalog::versions(store, "1.000419").unwrap().pop().unwrap().procedure;
        own.name = "Thủ tục đăng ký khai tử lưu động (bản của xã)".into();
        let editing = catalog::Editing { page: "1.000419", base: 1, actor: "staff:tuan.admin" };
        assert_eq!(catalog::publish(store, &own, &editing, &c).unwrap(), Ok(2));
    });

    // The procedure the hall never edited follows the province; the edited one stays the hall's.
    assert!(
        wait_for(30, || at_hall(&h, "1.001193").is_some_and(|(name, _)| name == birth)),
        "{:?}",
        at_hall(&h, "1.001193")
    );
    assert_eq!(at_hall(&h, "1.001193").unwrap().1, "province");
    assert_eq!(
        at_hall(&h, "1.000419").unwrap(),
        ("Thủ tục đăng ký khai tử lưu động (bản của xã)".to_string(), "staff:tuan.admin".to_string())
    );
    // The hall's phone page (and its kiosk) follow the publish.
    let public = agent().get(&h.url("/thu-tuc/1.001193")).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(public.contains(birth), "{public}");

    // Both versions on /quan-tri: the list marks the edited one, its page shows what differs, and a button.
    let cookie = admin_login(&h, "tuan.admin", "mật khẩu quản trị 1").1.expect("logged in");
    let list = page(&h, &cookie, "/quan-tri");
    let marked = list.split("<tr>").filter(|row| row.contains("tỉnh có bản khác")).collect::<Vec<_>>();
    assert_eq!(marked.len(), 1, "{list}");
    assert!(marked[0].contains("1.000419"), "{}", marked[0]);
    let edited = page(&h, &cookie, "/quan-tri/thu-tuc/1.000419");
    assert!(edited.contains("Tỉnh công bố phiên bản 1 khác bản của xã"), "{edited}");
    assert!(
        edited.contains("<del>&quot;Thủ tục đăng ký khai tử lưu động (bản của xã)&quot;</del>")
            && edited.contains("<ins>&quot;Thủ tục đăng ký khai tử lưu động (bản của tỉnh)&quot;</ins>"),
        "{edited}"
    );
    let followed = page(&h, &cookie, "/quan-tri/thu-tuc/1.001193");
    assert!(followed.contains("Theo danh mục của tỉnh"), "{followed}");
    // Taken: published as the hall's next version, and it follows the province from now on. In a real
    // browser where there is one.
    match Browser::start("a_hall_follows_the_province_s_catalog") {
        Some(browser) => {
            browser.open(&h.url("/quan-tri"));
            browser.fill("input[name=username]", "tuan.admin");
            browser.fill("input[name=password]", "mật khẩu quản trị 1");
            browser.click(".login button");
            browser.wait_text("main", "the list", |t| t.contains("tỉnh có bản khác"));
            browser.open(&h.url("/quan-tri/thu-tuc/1.000419"));
            let text = browser.wait_text("main", "both versions", |t| t.contains("Tỉnh công bố phiên bản 1"));
            assert!(text.contains("Thủ tục đăng ký khai tử lưu động (bản của tỉnh)"), "{text}");
            browser.screenshot("admin-province-version.png");
            browser.click("button[value=nhan-ban-tinh]");
            let text = browser.wait_text("main", "taken", |t| t.contains("Đã công bố phiên bản 3"));
            assert!(text.contains("Theo danh mục của tỉnh"), "{text}");
        }
        None => {
            let form =
                [("csrf", hidden(&edited, "csrf")), ("base", "2".to_string()), ("action", "nhan-ban-tinh".into())];
            let r = agent()
                .post(&h.url("/quan-tri/thu-tuc/1.000419"))
                .header("Cookie", &cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .config()
                .max_redirects(0)
                .build()
                .send(serde_urlencoded::to_string(form).unwrap().as_bytes())
                .unwrap();
            assert_eq!(r.status(), 303);
            assert_eq!(r.headers().get("location").unwrap(), "/quan-tri/thu-tuc/1.000419?cong-bo=3");
        }
    }
    assert_eq!(at_hall(&h, "1.000419").unwrap().1, "province");
    assert!(!page(&h, &cookie, "/quan-tri").contains("tỉnh có bản khác"));

    // The province changes both and retires a third: the hall follows all three.
    let second = province_file(
        files.path(),
        "tinh-2.json",
        &[
            ("1.001193", "Thủ tục đăng ký khai sinh (tỉnh, lần 2)"),
            ("1.000419", "Thủ tục khai tử lưu động (tỉnh, lần 2)"),
        ],
    );
    let done = p.run(&["province", "catalog", "import", second.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&done.stdout).contains("0 thủ tục mới, 2 thay đổi, 54 giữ nguyên"), "{done:?}");
    assert!(p.run(&["province", "catalog", "retire", "1.000593"]).status.success());
    assert!(wait_for(30, || {
        at_hall(&h, "1.001193").is_some_and(|(n, _)| n == "Thủ tục đăng ký khai sinh (tỉnh, lần 2)")
            && at_hall(&h, "1.000419").is_some_and(|(n, _)| n == "Thủ tục khai tử lưu động (tỉnh, lần 2)")
            && at_hall(&h, "1.000593").is_none()
    }));

    // A file with a problem changes nothing at the province; an unknown code cannot be retired.
    let bad = files.path().join("hong.json");
    std::fs::write(&bad, r#"{"format": "motcua-catalog", "format_version": 1, "procedures": [{"code": "x"}]}"#)
        .unwrap();
    let refused = p.run(&["province", "catalog", "import", bad.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(!String::from_utf8_lossy(&refused.stderr).is_empty());
    let unknown = p.run(&["province", "catalog", "retire", "9.999999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the province publishes no procedure 9.999999"));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(at_hall(&h, "1.001193").unwrap().0, "Thủ tục đăng ký khai sinh (tỉnh, lần 2)");
}
