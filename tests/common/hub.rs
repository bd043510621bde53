//! A hub on loopback for the HTTP tests: real sockets, a real SQLite file, a clock the test moves.
#![allow(dead_code)]

use motcua::config::Config;
use motcua::domain::clock::ManualClock;
use motcua::hub::Hub;
use motcua::store::Store;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub struct TestHub {
    pub hub: Arc<Hub>,
    pub clock: Arc<ManualClock>,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub kiosk_token: String,
}

/// Every service open around the clock, every day, so tests never depend on when they run.
pub fn open_all_day(mut config: Config) -> Config {
    for s in &mut config.services {
        let all = vec!["00:00-24:00".to_string()];
        s.hours = all.clone();
        s.saturday_hours = all.clone();
        s.sunday_hours = all;
        s.last = 9_999;
    }
    // Open all day: nothing closes at the end of the afternoon (closing is tested on its own).
    config.queue.closing_time = "24:00".into();
    config
}

pub fn start(config: Config, at: time::OffsetDateTime) -> TestHub {
    start_with(config, at, |_| {})
}

/// `start`, with `prepare` run on the database before the hub opens it.
pub fn start_with(config: Config, at: time::OffsetDateTime, prepare: impl FnOnce(&mut Store)) -> TestHub {
    start_in(tempfile::tempdir().unwrap(), config, at, prepare)
}

/// `start_with`, its database in `dir`.
pub fn start_in(
    dir: tempfile::TempDir,
    config: Config,
    at: time::OffsetDateTime,
    prepare: impl FnOnce(&mut Store),
) -> TestHub {
    let mut store = Store::open(&dir.path().join("motcua.db")).unwrap();
    prepare(&mut store);
    let clock = Arc::new(ManualClock::new(at));
    for c in &config.counters {
        motcua::app::counter::set_pin(&store, &config, c.number, &format!("{}", 100_000 + c.number), clock.as_ref())
            .unwrap();
    }
    let kiosk_token = motcua::app::counter::add_device(&store, "kiosk-1", "kiosk", clock.as_ref()).unwrap();
    let hub = Hub::new(store, config, clock.clone(), dir.path().to_path_buf()).unwrap();
    let addr = motcua::hub::spawn(hub.clone(), "127.0.0.1:0").unwrap();
    TestHub { hub, clock, addr, dir, kiosk_token }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// A response: status and JSON body (Null when the body is empty or not JSON).
pub struct Answer {
    pub status: u16,
    pub json: Value,
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Both messages of an error body, for assertions.
    pub fn messages(&self) -> String {
        format!(
            "{} / {}",
            self.json["message_vi"].as_str().unwrap_or("-"),
            self.json["message_en"].as_str().unwrap_or("-")
        )
    }
}

fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
    let status = r.status().as_u16();
    let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Answer { status, json: serde_json::from_str(&text).unwrap_or(Value::Null), headers }
}

impl TestHub {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, path: &str, auth: Option<&str>) -> Answer {
        let mut req = agent().get(&self.url(path));
        if let Some(t) = auth {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        answer(req.call().unwrap())
    }

    pub fn post(&self, path: &str, auth: Option<&str>, body: Value) -> Answer {
        let mut req = agent().post(&self.url(path));
        if let Some(t) = auth {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        answer(req.send_json(&body).unwrap())
    }

    /// Logs a counter in with its test PIN and returns the bearer session token.
    pub fn login(&self, counter: u32) -> String {
        let a = self.post(
            "/api/v1/counter/login",
            None,
            serde_json::json!({ "counter": counter, "pin": format!("{}", 100_000 + counter), "bearer": true }),
        );
        assert_eq!(a.status, 200, "login {counter}: {}", a.messages());
        a.json["session"].as_str().unwrap().to_string()
    }

    /// Takes a number as a kiosk does (reserve, then report "printed"); returns the reservation.
    pub fn take(&self, service: &str, priority: Option<&str>) -> Value {
        let r = self.post(
            "/api/v1/tickets",
            Some(&self.kiosk_token),
            serde_json::json!({ "service": service, "priority": priority }),
        );
        assert_eq!(r.status, 201, "issue: {}", r.messages());
        let id = r.json["ticket"]["id"].as_i64().unwrap();
        let o = self.post(
            &format!("/api/v1/tickets/{id}/outcome"),
            Some(&self.kiosk_token),
            serde_json::json!({ "outcome": "printed" }),
        );
        assert_eq!(o.status, 200, "outcome: {}", o.messages());
        r.json
    }

    pub fn put(&self, path: &str, auth: Option<&str>, body: Value) -> Answer {
        let mut req = agent().put(&self.url(path));
        if let Some(t) = auth {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        answer(req.send_json(&body).unwrap())
    }

    pub fn last_event_id(&self) -> i64 {
        self.get("/healthz", None).json["last_event_id"].as_i64().unwrap()
    }
}

/// One Server-Sent Event as read from the wire.
#[derive(Debug, Clone, Default)]
pub struct Sse {
    pub id: Option<i64>,
    pub event: String,
    pub data: Value,
}

/// A raw SSE connection (what a browser's EventSource does), read line by line.
pub struct SseClient {
    reader: BufReader<TcpStream>,
}

impl SseClient {
    pub fn connect(addr: SocketAddr, token: &str, last_event_id: Option<i64>) -> SseClient {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let last = last_event_id.map(|id| format!("Last-Event-ID: {id}\r\n")).unwrap_or_default();
        write!(
            stream,
            "GET /api/v1/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\
             Authorization: Bearer {token}\r\n{last}\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains(" 200 "), "events: {status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
        }
        SseClient { reader }
    }

    /// The next event (chunked transfer framing and heartbeats skipped), or None on timeout.
    pub fn next(&mut self) -> Option<Sse> {
        let mut event = Sse::default();
        let mut any = false;
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("id: ").or_else(|| line.strip_prefix("id:")) {
                event.id = v.trim().parse().ok();
                any = true;
            } else if let Some(v) = line.strip_prefix("event: ").or_else(|| line.strip_prefix("event:")) {
                event.event = v.trim().to_string();
                any = true;
            } else if let Some(v) = line.strip_prefix("data: ").or_else(|| line.strip_prefix("data:")) {
                event.data = serde_json::from_str(v.trim()).unwrap_or(Value::String(v.to_string()));
                any = true;
            } else if line.is_empty() && any {
                return Some(event);
            }
            // Anything else: chunk sizes, ":heartbeat" comments.
        }
    }

    /// The next event of this kind, skipping others.
    pub fn next_of(&mut self, kind: &str) -> Option<Sse> {
        loop {
            let e = self.next()?;
            if e.event == kind {
                return Some(e);
            }
        }
    }
}

/// A TCP connection to the hub from another loopback address, as another machine on the LAN.
pub fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let local: SocketAddr = format!("{from}:0").parse().unwrap();
    socket.bind(&local.into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// Whether the hub has closed this connection (what it sends before closing is returned).
pub fn closed(stream: &mut TcpStream) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(String::from_utf8_lossy(&got).into_owned())
            }
            Err(_) => return None,
        }
    }
}

/// `/quan-tri`'s login as a browser without a browser: the status, the session cookie, the page.
pub fn admin_login(h: &TestHub, username: &str, password: &str) -> (u16, Option<String>, String) {
    let body = serde_urlencoded::to_string([("username", username), ("password", password)]).unwrap();
    let mut r = agent()
        .post(&h.url("/quan-tri/dang-nhap"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .config()
        .max_redirects(0)
        .build()
        .send(body.as_bytes())
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("motcua_session="));
    (r.status().as_u16(), cookie, r.body_mut().read_to_string().unwrap_or_default())
}

/// The hidden value of `name` in a page's form.
pub fn hidden(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name} in {page}"));
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}
