//! The real `motcua serve` in a child process, for tests that kill and restart the hub.
#![allow(dead_code)]

use super::write;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A configuration with services HT (A) and CT (B) open around the clock and `counters` counters
/// serving both, numbers `width` digits long; `extra` goes first (e.g. a `[queue]` table).
pub fn config_file(dir: &Path, counters: u32, width: u32, extra: &str) -> PathBuf {
    // Open all day: these halls run on the machine's clock, and nothing may close at 17:30 in the middle
    // of a test (closing is tested on its own).
    let extra = match extra.find("[queue]\n") {
        _ if extra.contains("closing_time") => extra.to_string(),
        Some(i) => format!("{}[queue]\nclosing_time = \"24:00\"\n{}", &extra[..i], &extra[i + "[queue]\n".len()..]),
        None => format!("{extra}\n[queue]\nclosing_time = \"24:00\"\n"),
    };
    let mut text = format!("{extra}\n");
    for (code, prefix, vi) in [("HT", "A", "Hộ tịch"), ("CT", "B", "Chứng thực")] {
        text.push_str(&format!(
            "[[services]]\ncode = \"{code}\"\nprefix = \"{prefix}\"\nname_vi = \"{vi}\"\nname_en = \"{code}\"\n\
             last = 9999\nwidth = {width}\nhours = [\"00:00-24:00\"]\nsaturday_hours = [\"00:00-24:00\"]\n\
             sunday_hours = [\"00:00-24:00\"]\n\n"
        ));
    }
    for n in 1..=counters {
        text.push_str(&format!("[[counters]]\nnumber = {n}\nname = \"Quầy {n}\"\nservices = [\"HT\", \"CT\"]\n\n"));
    }
    write(dir, "motcua.toml", &text)
}

/// Runs one `motcua` command to completion with `stdin`; returns its standard output.
pub fn run(data: &Path, config: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("MOTCUA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Sets counter N's PIN to 100000 + N and registers a kiosk; returns the kiosk's token.
pub fn prepare(data: &Path, config: &Path, counters: u32) -> String {
    for n in 1..=counters {
        run(data, config, &["counter", "set-pin", &n.to_string()], &format!("{}\n", 100_000 + n));
    }
    run(data, config, &["device", "add", "kiosk-1", "--role", "kiosk"], "")
}

/// Starts `motcua serve` on `listen` ("127.0.0.1:0" for a free port) and returns it with its base URL.
pub fn serve(data: &Path, config: &Path, listen: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(["serve", "--listen", listen])
        .env("MOTCUA_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:") || url.starts_with("https://127.0.0.1:"), "{line}");
    (child, url)
}

/// A hall for end-to-end tests: `motcua serve` on a free port with two counters (PINs 1001 and 1002), a
/// kiosk token and a display board token, on a database the hub keeps between restarts.
pub struct Hall {
    _dir: tempfile::TempDir,
    pub data: PathBuf,
    pub config: PathBuf,
    pub hub: Child,
    pub url: String,
    pub kiosk: String,
    pub display: String,
}

impl Hall {
    /// `extra` goes at the top of the configuration (e.g. a `[display]` table).
    pub fn open(extra: &str) -> Hall {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("var");
        let config = config_file(dir.path(), 2, 3, extra);
        let kiosk = prepare(&data, &config, 2);
        let display = run(&data, &config, &["device", "add", "board-1", "--role", "display"], "");
        let (hub, url) = serve(&data, &config, "127.0.0.1:0");
        Hall { _dir: dir, data, config, hub, url, kiosk, display }
    }

    /// POSTs JSON with these headers; the answer's JSON (Null when there is none).
    pub fn post_with(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Value {
        let mut req = super::hub::agent().post(&format!("{}{path}", self.url));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send_json(body).unwrap().body_mut().read_json().unwrap_or(Value::Null)
    }

    /// POSTs JSON with a bearer token.
    pub fn post(&self, path: &str, token: &str, body: Value) -> Value {
        self.post_with(path, &[("Authorization", &format!("Bearer {token}"))], body)
    }

    /// A number taken at the kiosk and printed.
    pub fn take(&self, service: &str, priority: Option<&str>) -> String {
        let r = self.post("/api/v1/tickets", &self.kiosk, json!({ "service": service, "priority": priority }));
        let id = r["ticket"]["id"].as_i64().unwrap();
        self.post(&format!("/api/v1/tickets/{id}/outcome"), &self.kiosk, json!({ "outcome": "printed" }));
        r["ticket"]["number"].as_str().unwrap().to_string()
    }

    /// A counter's session for a program (bearer token).
    pub fn counter(&self, counter: u32) -> String {
        let body = json!({ "counter": counter, "pin": format!("{}", 100_000 + counter), "bearer": true });
        self.post_with("/api/v1/counter/login", &[], body)["session"].as_str().unwrap().to_string()
    }

    /// A counter logged in as the console's browser is: the session cookie and the CSRF token.
    pub fn console(&self, counter: u32) -> (String, String) {
        let body = json!({ "counter": counter, "pin": format!("{}", 100_000 + counter) });
        let mut r = super::hub::agent().post(&format!("{}/api/v1/counter/login", self.url)).send_json(body).unwrap();
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
        let answer: Value = r.body_mut().read_json().unwrap();
        (cookie, answer["csrf"].as_str().unwrap().to_string())
    }

    /// The console's "Gọi số tiếp theo", "Gọi lại"… (`action` as in /api/v1/counter/ACTION).
    pub fn press(&self, console: &(String, String), action: &str) -> Value {
        let headers = [("Cookie", console.0.as_str()), ("X-CSRF-Token", console.1.as_str())];
        self.post_with(&format!("/api/v1/counter/{action}"), &headers, json!({}))
    }

    /// Kills the hub (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.hub.kill();
        let _ = self.hub.wait();
    }

    /// Starts the hub again on the same address and database.
    pub fn restart(&mut self) {
        self.kill();
        let listen = self.url.trim_start_matches("http://").to_string();
        let (hub, _) = serve(&self.data, &self.config, &listen);
        self.hub = hub;
    }
}

impl Drop for Hall {
    fn drop(&mut self) {
        self.kill();
    }
}
