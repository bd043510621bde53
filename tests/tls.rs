//! HTTPS on the hall's LAN against the real binary: `motcua tls init` (keys owner-only, the CA kept when
//! run again), `motcua serve` with `[hub] tls = true`, a remote kiosk and a display board's event stream
//! trusting the hall CA alone (another CA, no CA and plain HTTP refused), session cookies marked Secure,
//! `motcua doctor` over HTTPS, the counter console in headless Chromium trusting the hall CA's key, and
//! handshakes that never finish, one at a time and in a flood.

mod common;

use common::browser::Browser;
use common::served::{config_file, prepare, run, serve};
use common::{motcua, stdout};
use motcua::app::queue::Issuer;
use motcua::hub::client::RemoteHub;
use motcua::hub::feed::{Feed, Update};
use motcua::tls::Trust;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

struct Hall {
    _dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
    url: String,
    kiosk: String,
    hub: Child,
}

impl Drop for Hall {
    fn drop(&mut self) {
        let _ = self.hub.kill();
        let _ = self.hub.wait();
    }
}

fn tls_init(data: &Path, config: &Path, names: &[&str]) -> String {
    let mut args = vec!["--config", config.to_str().unwrap(), "tls", "init"];
    for n in names {
        args.extend(["--name", n]);
    }
    let out = motcua(data, &args);
    assert!(out.status.success(), "{}", common::stderr(&out));
    stdout(&out)
}

/// A hub serving HTTPS with a fresh hall CA, one counter (PIN 100001) and a kiosk token.
fn hall() -> Hall {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let config = config_file(
        dir.path(),
        1,
        3,
        &format!(
            "[hub]\nlisten = \"{listen}\"\ntls = true\nheader_timeout_s = 2\n\
             [queue]\npublic_base_url = \"https://{listen}\"\n"
        ),
    );
    let data = dir.path().join("data");
    let kiosk = prepare(&data, &config, 1);
    tls_init(&data, &config, &[]);
    let (hub, url) = serve(&data, &config, &listen);
    assert_eq!(url, format!("https://{listen}"));
    Hall { _dir: dir, data, config, url, kiosk, hub }
}

fn ca(h: &Hall) -> PathBuf {
    h.data.join("tls/ca.pem")
}

#[test]
fn tls_init_writes_keys_owner_only_and_keeps_the_ca_when_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), 1, 3, "[queue]\npublic_base_url = \"http://192.168.1.10:8080\"\n");
    let data = dir.path().join("data");
    let first = tls_init(&data, &config, &[]);
    assert!(first.starts_with("new hall CA: "), "{first}");
    assert!(first.contains("192.168.1.10") && first.contains("localhost") && first.contains("127.0.0.1"), "{first}");
    for (file, mode) in [("ca.pem", 0o644), ("ca-key.pem", 0o600), ("hub.pem", 0o644), ("hub-key.pem", 0o600)] {
        let meta = std::fs::metadata(data.join("tls").join(file)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode, "{file}");
    }
    let ca_before = std::fs::read(data.join("tls/ca.pem")).unwrap();
    let cert_before = std::fs::read(data.join("tls/hub.pem")).unwrap();
    let again = tls_init(&data, &config, &["hub.example.lan"]);
    assert!(again.starts_with("the hall CA kept: "), "{again}");
    let fingerprint = |text: &str| text.lines().find(|l| l.starts_with("SHA-256: ")).unwrap().to_string();
    assert_eq!(fingerprint(&first), fingerprint(&again), "the same CA");
    assert_eq!(std::fs::read(data.join("tls/ca.pem")).unwrap(), ca_before);
    assert_ne!(std::fs::read(data.join("tls/hub.pem")).unwrap(), cert_before, "a new certificate");
}

#[test]
fn a_remote_kiosk_sends_the_chip_id_card_over_https_and_the_counter_reads_it_back() {
    let h = hall();
    let trust = Trust::load(&ca(&h)).unwrap();
    let kiosk = RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&trust));
    assert!(kiosk.private());
    let card = motcua::domain::idcard::read("001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa|15042021").unwrap();
    let reserved = kiosk.reserve("HT", None, Some(&card)).unwrap();
    kiosk.report(reserved.ticket.id, &motcua::print::Outcome::Printed { warning: None }).unwrap();
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).tls_config(trust.ureq()).build().into();
    let login: serde_json::Value = agent
        .post(&format!("{}/api/v1/counter/login", h.url))
        .send_json(json!({"counter": 1, "pin": "100001", "bearer": true}))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let session = format!("Bearer {}", login["session"].as_str().unwrap());
    let post =
        |path: &str| agent.post(&format!("{}{path}", h.url)).header("Authorization", &session).send_json(json!({}));
    post("/api/v1/counter/next").unwrap();
    let card: serde_json::Value = agent
        .get(&format!("{}/api/v1/counter/card", h.url))
        .header("Authorization", &session)
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(card, json!({"ticket": "A001", "id": "001090123456", "birth": "01/01/1950", "name": "Nguyễn Văn An"}));
}

#[test]
fn kiosks_and_boards_reach_an_https_hub_trusting_the_hall_ca_alone() {
    let h = hall();
    let trust = Trust::load(&ca(&h)).unwrap();
    // A remote kiosk takes a number over HTTPS.
    let kiosk = RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&trust));
    let reserved = kiosk.reserve("HT", None, None).unwrap();
    assert_eq!(reserved.ticket.number, "A001");

    // Without the CA, with another hall's CA, or over plain HTTP: refused.
    let other = tempfile::tempdir().unwrap();
    let other_config = config_file(other.path(), 1, 3, "");
    tls_init(other.path(), &other_config, &[]);
    let stranger = Trust::load(&other.path().join("tls/ca.pem")).unwrap();
    for (what, hub) in [
        ("no CA", RemoteHub::new(&h.url, &h.kiosk)),
        ("another CA", RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&stranger))),
        ("plain HTTP", RemoteHub::new(&h.url.replace("https://", "http://"), &h.kiosk)),
    ] {
        assert!(hub.services().is_err(), "{what} must not reach the hub");
    }

    // A display board follows the event stream over TLS.
    let board = run(&h.data, &h.config, &["device", "add", "board-1", "--role", "display"], "");
    let (tx, rx) = std::sync::mpsc::channel();
    let feed = Feed::new(&h.url, &board, 15).trusting(Some(trust.clone()));
    std::thread::spawn(move || feed.run(|u| tx.send(u).is_ok()));
    let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(matches!(first, Update::Snapshot(_)), "the snapshot first");
    kiosk.reserve("CT", None, None).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left).expect("the board hears the new ticket over TLS") {
            Update::Event(e) if e.number.as_deref() == Some("B001") => break,
            Update::Offline(why) => panic!("the board went offline: {why}"),
            _ => {}
        }
    }
}

#[test]
fn over_https_sessions_are_secure_cookies_and_doctor_asks_the_hub_over_tls() {
    let h = hall();
    let trust = Trust::load(&ca(&h)).unwrap();
    let agent: ureq::Agent =
        ureq::Agent::config_builder().tls_config(trust.ureq()).http_status_as_error(false).build().into();
    let r = agent
        .post(&format!("{}/api/v1/counter/login", h.url))
        .send_json(json!({"counter": 1, "pin": "100001"}))
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookies: Vec<&str> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(!cookies.is_empty() && cookies.iter().all(|c| c.ends_with("; Secure")), "{cookies:?}");

    let out = motcua(&h.data, &["--config", h.config.to_str().unwrap(), "doctor"]);
    let text = stdout(&out);
    assert!(text.contains("✓ HTTPS\n  bật, chứng chỉ còn 825 ngày"), "{text}");
    assert!(text.contains("✓ Hub đang chạy\n  trả lời tại 127.0.0.1:"), "{text}");
    assert!(!text.contains("Kết nối hub"), "no plain-HTTP warning: {text}");
}

#[test]
fn the_counter_console_works_over_https_in_a_real_browser() {
    let h = hall();
    // The browser trusts the hall CA's key (as a counter PC that imported ca.pem), and nothing else.
    let pin = format!("--ignore-certificate-errors-spki-list={}", common::spki_pin(&h.data.join("tls/ca-key.pem")));
    let Some(browser) = Browser::start_with("the_counter_console_works_over_https_in_a_real_browser", &[pin]) else {
        return;
    };
    let kiosk = RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&Trust::load(&ca(&h)).unwrap()));
    let reserved = kiosk.reserve("HT", None, None).unwrap();
    kiosk.report(reserved.ticket.id, &motcua::print::Outcome::Printed { warning: None }).unwrap();
    browser.open(&format!("{}/quay", h.url));
    browser.wait_js("the login form", "return !document.getElementById('login').hidden");
    assert_eq!(browser.js("return location.protocol"), json!("https:"));
    browser.fill("#login-counter", "1");
    browser.fill("#login-pin", "100001");
    browser.click("#login-submit");
    browser.wait_js("the console", "return !document.getElementById('console').hidden");
    browser.wait_text("#link", "the live link over TLS", |t| t == "Đã kết nối");
    browser.wait_text("#waiting-count", "one waiting", |t| t == "(1)");
    browser.screenshot("console-https.png");
}

/// Eighty connections at once from one machine that never finish a handshake (half say nothing, half stop
/// in the middle of one): past the new-connection burst (50) they are answered 429 and closed at once, the
/// rest within the header time limit (2 s here); meanwhile a kiosk on another machine takes a number over
/// HTTPS.
#[test]
fn a_flood_of_stalled_handshakes_is_cut_short_while_a_kiosk_takes_a_number() {
    use common::hub::{closed, connect_from};
    use std::io::Write;
    let h = hall();
    let addr: std::net::SocketAddr = h.url.trim_start_matches("https://").parse().unwrap();
    let mut flood: Vec<std::net::TcpStream> = (0..80)
        .map(|i| {
            let mut s = connect_from("127.0.11.1", addr);
            if i % 2 == 1 {
                let _ = s.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);
            }
            s
        })
        .collect();
    let trust = Trust::load(&ca(&h)).unwrap();
    let kiosk = RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&trust));
    assert_eq!(kiosk.reserve("HT", None, None).unwrap().ticket.number, "A001");
    let mut at_once = 0;
    for s in flood.iter_mut().rev() {
        s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
        let said = closed(s).expect("closed, not left open");
        at_once += usize::from(said.starts_with("HTTP/1.1 429"));
    }
    // Thirty over the burst; a slow machine may have earned a few back while it opened them.
    assert!(at_once >= 25, "{at_once} answered 429 at once");
    assert!(kiosk.services().is_ok(), "the hub goes on answering");
}

#[test]
fn a_client_that_never_finishes_the_handshake_is_closed() {
    use std::io::{Read, Write};
    let h = hall();
    let addr = h.url.trim_start_matches("https://").to_string();
    // One says nothing at all, one starts a handshake and stops: both are closed within the header time
    // limit (2 s here), and the hub goes on answering.
    let mut silent = std::net::TcpStream::connect(&addr).unwrap();
    let mut halfway = std::net::TcpStream::connect(&addr).unwrap();
    halfway.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).unwrap();
    for s in [&mut silent, &mut halfway] {
        s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
        let mut buf = [0u8; 64];
        let read = s.read(&mut buf);
        assert!(
            matches!(read, Ok(0))
                || read.as_ref().is_err_and(
                    |e| e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut
                ),
            "closed, not left open: {read:?}"
        );
    }
    let trust = Trust::load(&ca(&h)).unwrap();
    assert!(RemoteHub::new(&h.url, &h.kiosk).trusting(Some(&trust)).services().is_ok());
}
