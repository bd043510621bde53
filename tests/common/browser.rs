//! Headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`), with the plain
//! HTTP client the project already has. Without them a test prints SKIPPED and why; with
//! `MOTCUA_REQUIRE_BROWSER=1` (CI) their absence is a failure.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn find(names: &[&str]) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

impl Browser {
    /// A fresh headless Chromium, or None (after saying SKIPPED) when this machine has none.
    pub fn start(test: &str) -> Option<Browser> {
        Browser::start_with(test, &[])
    }

    /// `start`, with more Chromium switches.
    pub fn start_with(test: &str, switches: &[String]) -> Option<Browser> {
        let required = std::env::var("MOTCUA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        let (Some(driver), Some(chromium)) =
            (find(&["chromedriver"]), find(&["chromium", "chromium-browser", "google-chrome"]))
        else {
            let why = "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)";
            assert!(!required, "{test}: MOTCUA_REQUIRE_BROWSER=1 but {why}");
            eprintln!("SKIPPED {test}: {why}");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().unwrap();
        // The chromium wrapper script is resolved to the binary it starts, which chromedriver needs.
        let binary = ["/usr/lib/chromium/chromium"]
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_file())
            .unwrap_or(chromium);
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1366,900",
            "--lang=vi-VN",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.extend(switches.iter().cloned());
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": binary, "args": args}}}});
        let deadline = Instant::now() + Duration::from_secs(20);
        let session = loop {
            if let Ok(mut r) = agent().post(&format!("{base}/session")).send_json(&caps) {
                let v: Value = r.body_mut().read_json().unwrap_or(Value::Null);
                if let Some(id) = v["value"]["sessionId"].as_str() {
                    break id.to_string();
                }
                panic!("{test}: chromedriver refused the session: {v}");
            }
            assert!(Instant::now() < deadline, "{test}: chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        };
        Some(Browser { driver: child, base, session, _profile: profile })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let r = match method {
            "GET" => agent().get(&url).call(),
            "DELETE" => agent().delete(&url).call(),
            _ => agent().post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let mut r = r.unwrap_or_else(|e| panic!("webdriver {path}: {e}"));
        let v: Value = r.body_mut().read_json().unwrap_or(Value::Null);
        if let Some(error) = v["value"]["error"].as_str() {
            panic!("webdriver {path}: {error}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs a script in the page; `return` its answer.
    pub fn js(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    fn element(&self, css: &str) -> String {
        let v = self.call("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_string()
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    /// Types into a field (clearing it first).
    pub fn fill(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/clear"), None);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    /// Presses one key on the page, as a person at the keyboard does.
    pub fn key(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.call("POST", "/actions", Some(actions));
    }

    /// The visible text of the first element matching `css` ("" when none).
    pub fn text(&self, css: &str) -> String {
        let script = format!("const e = document.querySelector({}); return e ? e.innerText : '';", json!(css));
        self.js(&script).as_str().unwrap_or("").to_string()
    }

    /// Waits (up to 10 s) until `check` holds of the text of `css`; panics with what was there.
    pub fn wait_text(&self, css: &str, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text(css);
            if check(&text) {
                return text;
            }
            assert!(Instant::now() < deadline, "{css} never showed {what}; it shows {text:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves the page as a PNG when `MOTCUA_SCREENSHOTS` names a folder (for looking at, not asserting).
    pub fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("MOTCUA_SCREENSHOTS") else { return };
        let data = self.call("GET", "/screenshot", None);
        let bytes = decode_base64(data.as_str().unwrap_or(""));
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }

    /// Prints the page as the browser's print dialog would, on A4 portrait, and returns the PDF's text as
    /// `pdftotext -layout` reads it back (Debian's poppler-utils), with the number of pages.
    pub fn print_a4(&self) -> (String, usize) {
        let data = self.call(
            "POST",
            "/print",
            Some(json!({"orientation": "portrait", "page": {"width": 21.0, "height": 29.7}, "background": true,
                        "margin": {"top": 0, "bottom": 0, "left": 0, "right": 0}})),
        );
        let pdf = decode_base64(data.as_str().unwrap_or(""));
        assert!(pdf.starts_with(b"%PDF"), "the browser printed no PDF");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.pdf");
        std::fs::write(&file, &pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext (Debian's poppler-utils) reads the printed page back");
        if let Some(dir) = std::env::var_os("MOTCUA_SCREENSHOTS") {
            let _ = std::fs::write(std::path::Path::new(&dir).join("printed.pdf"), &pdf);
        }
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let pages = text.matches('\u{c}').count().max(1);
        (text, pages)
    }

    /// Waits until a script returns true.
    pub fn wait_js(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.js(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "never true: {what} ({script})");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent().delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> =
        text.bytes().filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().enumerate().fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(c.len() - 1)
        })
        .collect()
}
