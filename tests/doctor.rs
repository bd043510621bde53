//! `motcua doctor` against the real binary: a fresh folder with the defaults (the QR address phones cannot
//! reach fails, the missing database is only a warning and is not created), a prepared hall with a backup,
//! a LAN address and a printer unplugged, and a running hub asked for its own view. Every line fits a
//! phone's 40 columns.

mod common;

use common::served::{config_file, prepare, serve};
use common::{motcua, stdout};
use serde_json::Value;

fn doctor(data: &std::path::Path, config: Option<&std::path::Path>) -> (i32, String) {
    let mut args = Vec::new();
    if let Some(c) = config {
        args.extend(["--config", c.to_str().unwrap()]);
    }
    args.push("doctor");
    let out = motcua(data, &args);
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.chars().count() <= 40), "wider than a phone:\n{text}");
    (out.status.code().unwrap(), text)
}

/// The finding on `topic`: its line with the mark, and the indented lines under it.
fn finding(text: &str, topic: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for line in text.lines().skip(1) {
        if line.starts_with(['✓', '!', '✗']) {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
        .into_iter()
        .find(|b| b.lines().next().and_then(|l| l.split_once(' ')).is_some_and(|(_, t)| t == topic))
        .unwrap_or_else(|| panic!("no {topic} in\n{text}"))
}

#[test]
fn a_fresh_folder_fails_on_the_qr_address_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, text) = doctor(dir.path(), None);
    assert_eq!(code, 1, "{text}");
    assert!(finding(&text, "Địa chỉ trên QR").starts_with("✗"), "{text}");
    assert!(finding(&text, "Địa chỉ trên QR").contains("127.0.0.1:8080: điện thoại\n  không mở được"), "{text}");
    assert!(finding(&text, "Cơ sở dữ liệu").starts_with("! Cơ sở dữ liệu\n  chưa có"), "{text}");
    assert!(finding(&text, "Phiên bản").contains(env!("CARGO_PKG_VERSION")), "{text}");
    assert!(finding(&text, "Kết nối hub").starts_with("✓"), "{text}");
    assert!(text.ends_with("cảnh báo.\n"), "{text}");
    assert!(!dir.path().join("motcua.db").exists(), "doctor changes nothing");
}

#[test]
fn a_prepared_hall_shows_its_backup_its_lan_address_and_an_unplugged_printer() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(
        dir.path(),
        1,
        3,
        "[queue]\npublic_base_url = \"http://192.168.1.10:8080\"\n\
         [kiosk]\nprinter = \"quay\"\n[printers.quay]\ntarget = \"serial:/dev/motcua-no-such-port\"\nprofile = \"epson-tm-t20\"\n",
    );
    let data = dir.path().join("data");
    prepare(&data, &config, 1);
    let backup = motcua(&data, &["--config", config.to_str().unwrap(), "backup"]);
    assert!(backup.status.success(), "{}", common::stderr(&backup));
    let (code, text) = doctor(&data, Some(&config));
    assert_eq!(code, 1, "{text}");
    assert!(finding(&text, "Cơ sở dữ liệu").starts_with("✓ Cơ sở dữ liệu\n  nguyên vẹn"), "{text}");
    assert!(finding(&text, "Cơ sở dữ liệu").contains("không có hub nào"), "{text}");
    assert!(finding(&text, "Sao lưu").starts_with("✓ Sao lưu\n  bản mới nhất 0 giờ trước"), "{text}");
    assert!(finding(&text, "Địa chỉ trên QR").starts_with("! "), "{text}");
    assert!(finding(&text, "Địa chỉ trên QR").contains("Wi-Fi"), "{text}");
    // The catalog's pages follow the hub's address: a slip read at home cannot open it.
    let catalog = finding(&text, "QR thủ tục");
    assert!(catalog.starts_with("! QR thủ tục\n  http://192.168.1.10:8080: chỉ mở được"), "{text}");
    assert!(catalog.contains("[catalog] public_base_url"), "{text}");
    let printer = finding(&text, "Máy in quay");
    assert!(printer.starts_with("✗ Máy in quay\n  không trả lời: serial"), "{text}");
    assert!(printer.contains("/dev/motcua-no-such-port") && printer.contains("→ Kiểm tra cáp"), "{text}");
    assert!(finding(&text, "Ổ đĩa dữ liệu").contains("trống"), "{text}");

    // The same as JSON, for monitoring.
    let out = motcua(&data, &["--config", config.to_str().unwrap(), "doctor", "--json"]);
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["topic"].as_str().unwrap(), f["level"].as_str().unwrap()))
        .collect();
    assert!(levels.contains(&("Máy in quay", "fail")) && levels.contains(&("Sao lưu", "ok")), "{levels:?}");
}

#[test]
fn a_running_hub_is_asked_for_its_own_view() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let config = config_file(dir.path(), 1, 3, &format!("[hub]\nlisten = \"{listen}\"\n"));
    let data = dir.path().join("data");
    prepare(&data, &config, 1);
    let (mut hub, _) = serve(&data, &config, &listen);
    let (_, text) = doctor(&data, Some(&config));
    hub.kill().unwrap();
    hub.wait().unwrap();
    assert!(finding(&text, "Cơ sở dữ liệu").contains("hub đang chạy"), "{text}");
    let running = finding(&text, "Hub đang chạy");
    assert!(running.starts_with(&format!("✓ Hub đang chạy\n  trả lời tại {listen}")), "{text}");
}

#[test]
fn the_link_to_the_province_shows_what_waits_and_a_token_every_user_may_read_fails() {
    let dir = tempfile::tempdir().unwrap();
    let ca_dir = dir.path().join("province");
    assert!(motcua(&ca_dir, &["tls", "init", "--name", "127.0.0.1"]).status.success());
    let token = common::write(dir.path(), "province-token", "0123456789abcdef0123456789abcdef\n");
    let config = config_file(
        dir.path(),
        1,
        3,
        &format!(
            "[province]\nurl = \"https://127.0.0.1:9\"\ntoken_file = \"{}\"\nca = \"{}\"\n",
            token.display(),
            ca_dir.join("tls/ca.pem").display()
        ),
    );
    let data = dir.path().join("data");
    prepare(&data, &config, 1);
    let issued = motcua(&data, &["--config", config.to_str().unwrap(), "ticket", "issue", "--service", "HT"]);
    assert!(issued.status.success(), "{}", common::stderr(&issued));
    let mode = |m: u32| std::fs::set_permissions(&token, std::os::unix::fs::PermissionsExt::from_mode(m)).unwrap();
    mode(0o644);
    let (code, text) = doctor(&data, Some(&config));
    assert_eq!(code, 1, "{text}");
    let link = finding(&text, "Gửi lên tỉnh").replace("\n  ", " ");
    assert!(link.starts_with("✗ Gửi lên tỉnh mã gửi: "), "{text}");
    assert!(link.contains("must not be readable by every user (mode 644); chmod 0640 it"), "{text}");
    mode(0o640);
    let (_, text) = doctor(&data, Some(&config));
    let link = finding(&text, "Gửi lên tỉnh");
    assert!(link.starts_with("✓ Gửi lên tỉnh\n"), "{text}");
    assert!(link.replace("\n  ", " ").contains("dòng chờ, chậm 0 phút; lần cuối chưa lần nào"), "{text}");
}
