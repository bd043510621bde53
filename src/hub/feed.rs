//! Following a hub from another process, as a display board does: the snapshot first, then the live
//! event stream; when the link breaks (or stays silent past three heartbeats) it says so and reconnects
//! by itself, asking for what it missed. Plain HTTP/1.1 over TCP: the hall's LAN has no TLS.

use super::client::RemoteHub;
use crate::app::queue::HallEvent;
use crate::app::queue::Snapshot;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Events read again on a first start, to list the calls made before it.
const HISTORY: i64 = 500;

/// What the hub said, in order.
#[derive(Debug, Clone)]
pub enum Update {
    Snapshot(Box<Snapshot>),
    Event(HallEvent),
    Counts(BTreeMap<String, u32>),
    /// The link is down; why, in English for the log. Reconnecting goes on.
    Offline(String),
}

/// Where and how to follow.
#[derive(Debug, Clone)]
pub struct Feed {
    pub base: String,
    pub token: String,
    /// No byte for this long (three of the hub's heartbeats) means the link is dead.
    pub silence: Duration,
    /// Wait between attempts while the hub is away.
    pub retry: Duration,
    /// The hall CA, for an `https://` hub.
    pub trust: Option<crate::tls::Trust>,
}

impl Feed {
    pub fn new(base: &str, token: &str, heartbeat_s: u32) -> Feed {
        Feed {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            silence: Duration::from_secs(u64::from(heartbeat_s.max(1)) * 3),
            retry: Duration::from_secs(2),
            trust: None,
        }
    }

    /// The same, trusting only the hall CA for an `https://` hub (`tls::trust_for`).
    pub fn trusting(self, trust: Option<crate::tls::Trust>) -> Feed {
        Feed { trust, ..self }
    }

    /// Follows the hub until `deliver` returns false (the board closed). Never returns otherwise.
    pub fn run(&self, mut deliver: impl FnMut(Update) -> bool) {
        let hub = RemoteHub::new(&self.base, &self.token).trusting(self.trust.as_ref());
        let mut place = Place::default();
        loop {
            let why = match hub.snapshot() {
                Ok(snapshot) => {
                    // A database with another epoch (restored): ids from before mean nothing.
                    if place.epoch.as_deref().is_some_and(|e| !snapshot.epoch.is_empty() && e != snapshot.epoch) {
                        place.last = None;
                    }
                    place.epoch = Some(snapshot.epoch.clone()).filter(|e| !e.is_empty());
                    // Events since the last one seen come again; a first start asks for the latest few
                    // hundred, for the list of calls made before it.
                    let first = (snapshot.last_event_id - HISTORY).max(0);
                    let after = place.last.unwrap_or(first).min(snapshot.last_event_id);
                    if !deliver(Update::Snapshot(Box::new(snapshot))) {
                        return;
                    }
                    match self.stream(after, &mut place, &mut deliver) {
                        Ok(End::Closed) => return,
                        // The hub says the board is too far behind or the database changed: the snapshot
                        // again, at once, without saying "offline".
                        Ok(End::Resync) => continue,
                        Ok(End::Ended) => "the hub closed the event stream".to_string(),
                        Err(e) => e,
                    }
                }
                Err(e) => e.to_string(),
            };
            if !deliver(Update::Offline(why)) {
                return;
            }
            std::thread::sleep(self.retry);
        }
    }

    /// Reads events until the link fails (Err), ends, the hub asks for a resync, or the board closes.
    fn stream(&self, after: i64, place: &mut Place, deliver: &mut impl FnMut(Update) -> bool) -> Result<End, String> {
        let (secure, authority) = match (self.base.strip_prefix("https://"), self.base.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            _ => return Err("the hub's address must start with http:// or https://".into()),
        };
        let authority = authority.split('/').next().unwrap_or(authority);
        let tcp = TcpStream::connect(authority).map_err(|e| format!("cannot connect to {authority}: {e}"))?;
        tcp.set_read_timeout(Some(self.silence)).map_err(|e| e.to_string())?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        let mut link: Box<dyn Link> = if secure {
            let trust = self.trust.as_ref().ok_or("an https:// hub needs the hall CA: set [tls] ca")?;
            let host = crate::domain::client::host_of(authority);
            let name = rustls::pki_types::ServerName::try_from(host.to_string())
                .map_err(|e| format!("the hub's name {host} is not usable for TLS: {e}"))?;
            let session = rustls::ClientConnection::new(trust.client_config(), name).map_err(|e| e.to_string())?;
            Box::new(rustls::StreamOwned::new(session, tcp))
        } else {
            Box::new(tcp)
        };
        let epoch = place.epoch.as_ref().map(|e| format!("&epoch={e}")).unwrap_or_default();
        write!(
            link,
            "GET /api/v1/events?after={after}{epoch} HTTP/1.1\r\nHost: {authority}\r\nAccept: text/event-stream\r\n\
             Authorization: Bearer {}\r\n\r\n",
            self.token
        )
        .map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(link);
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if !line.starts_with("HTTP/1.1 200") {
            return Err(format!("the hub refused the event stream: {}", line.trim()));
        }
        let mut chunked = false;
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            let header = line.trim().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            chunked |= header.starts_with("transfer-encoding:") && header.contains("chunked");
        }
        let mut body: Box<dyn BufRead> =
            if chunked { Box::new(BufReader::new(Chunked::new(reader))) } else { Box::new(reader) };
        let mut parser = Parser::default();
        let mut buf = Vec::new();
        while let Some(line) = bounded_line(&mut body, &mut buf).map_err(|e| format!("the event stream broke: {e}"))? {
            let update = match parser.line(&line) {
                None => continue,
                Some(Parsed::Update(u)) => u,
                Some(Parsed::Hello { epoch }) => {
                    if place.epoch.as_deref().is_some_and(|e| e != epoch) {
                        place.last = None;
                        return Ok(End::Resync);
                    }
                    continue;
                }
                Some(Parsed::Resync { last }) => {
                    place.last = Some(last);
                    return Ok(End::Resync);
                }
            };
            if let Update::Event(e) = &update {
                place.last = Some(e.id);
            }
            if !deliver(update) {
                return Ok(End::Closed);
            }
        }
        Ok(End::Ended)
    }
}

/// The connection to the hub, plain or TLS.
trait Link: Read + Write + Send {}
impl<T: Read + Write + Send> Link for T {}

/// Where the board is in the hub's history.
#[derive(Default)]
struct Place {
    epoch: Option<String>,
    last: Option<i64>,
}

/// How a stream ended.
enum End {
    /// The board closed.
    Closed,
    /// The hub closed the stream.
    Ended,
    /// Reload the snapshot and follow again.
    Resync,
}

/// What one event of the stream says.
enum Parsed {
    Update(Update),
    Hello { epoch: String },
    Resync { last: i64 },
}

#[derive(serde::Deserialize)]
struct Marker {
    epoch: String,
    last_event_id: i64,
}

/// The longest line, and the most data one event may carry: a hall event is a few hundred bytes, a
/// counts message a few per service. Past them the line or event is dropped, so that whatever answers at
/// the hub's address cannot fill the board's memory.
const MAX_LINE: usize = 64 * 1024;

/// The next line without its ending (LF or CR LF), read at most `MAX_LINE` bytes at a time: a longer line
/// comes back as a garbage line, so the event it was part of is dropped. Bytes that are not UTF-8 are
/// replaced. `None` at the end of the stream.
fn bounded_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<String>> {
    buf.clear();
    let mut long = false;
    loop {
        let n = Read::take(&mut *r, MAX_LINE as u64 + 1).read_until(b'\n', buf)?;
        if n == 0 && buf.is_empty() {
            return Ok(long.then(|| "\u{FFFD}".to_string()));
        }
        if buf.last() == Some(&b'\n') || n == 0 {
            break;
        }
        // The line goes on past the limit: keep reading to its end, keeping none of it.
        long = true;
        buf.clear();
    }
    if long {
        return Ok(Some("\u{FFFD}".into()));
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(buf).into_owned()))
}

/// Server-Sent Events, one line at a time: `event:` and `data:` lines, a blank line ends an event.
#[derive(Default)]
struct Parser {
    kind: String,
    data: String,
    /// The event's data ran past `MAX_LINE`: it is dropped at its blank line.
    overflow: bool,
}

impl Parser {
    fn line(&mut self, line: &str) -> Option<Parsed> {
        if let Some(v) = line.strip_prefix("event:") {
            self.kind = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:") {
            let v = v.strip_prefix(' ').unwrap_or(v);
            if self.data.len() + v.len() > MAX_LINE {
                self.overflow = true;
                self.data.clear();
            } else if !self.overflow {
                self.data.push_str(v);
            }
        } else if line.is_empty() {
            let (kind, data) = (std::mem::take(&mut self.kind), std::mem::take(&mut self.data));
            if std::mem::replace(&mut self.overflow, false) {
                tracing::warn!(kind, "an event from the hub was too long; skipped");
                return None;
            }
            return match kind.as_str() {
                "" | "health" => None,
                "counts" => serde_json::from_str(&data).ok().map(|c| Parsed::Update(Update::Counts(c))),
                "hello" => serde_json::from_str::<Marker>(&data).ok().map(|m| Parsed::Hello { epoch: m.epoch }),
                "resync" => {
                    serde_json::from_str::<Marker>(&data).ok().map(|m| Parsed::Resync { last: m.last_event_id })
                }
                _ => match serde_json::from_str::<HallEvent>(&data) {
                    Ok(e) => Some(Parsed::Update(Update::Event(e))),
                    Err(e) => {
                        tracing::warn!(kind, error = %e, "unreadable event from the hub; skipped");
                        None
                    }
                },
            };
        }
        // `id:` (the event carries its id) and `:` comments (heartbeats) need nothing.
        None
    }
}

/// HTTP/1.1 chunked transfer decoding.
struct Chunked<R> {
    inner: R,
    left: usize,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn new(inner: R) -> Self {
        Chunked { inner, left: 0, done: false }
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            let mut size = String::new();
            if self.inner.read_line(&mut size)? == 0 {
                return Err(bad("the stream ended inside a chunk header"));
            }
            let size = size.trim();
            if size.is_empty() {
                continue; // the CRLF after a chunk's data
            }
            let hex = size.split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(hex, 16).map_err(|_| bad("bad chunk size"))?;
            if self.left == 0 {
                self.done = true;
            }
        }
        let room = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..room])?;
        if n == 0 {
            return Err(bad("the stream ended inside a chunk"));
        }
        self.left -= n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` sent in chunks of the given sizes, as a server may cut it anywhere.
    fn chunked(text: &str, sizes: &[usize]) -> Vec<u8> {
        let mut wire = Vec::new();
        let mut rest = text.as_bytes();
        for size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (chunk, tail) = rest.split_at((*size).min(rest.len()));
            wire.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
            wire.extend_from_slice(chunk);
            wire.extend_from_slice(b"\r\n");
            rest = tail;
        }
        wire.extend_from_slice(b"0\r\n\r\n");
        wire
    }

    #[test]
    fn chunks_are_joined_and_events_parsed_across_them() {
        let text =
            ": heartbeat\n\nid: 7\nevent: called\ndata: {\"id\":7,\"at_ms\":1,\"kind\":\"called\",\"counter\":3,\
                    \"actor\":\"counter\",\"detail\":null,\"number\":\"A025\",\"service\":\"HT\"}\n\n";
        for sizes in [&[1usize][..], &[7, 3, 40], &[1000]] {
            let wire = chunked(text, sizes);
            let body = BufReader::new(Chunked::new(&wire[..]));
            let mut parser = Parser::default();
            let updates: Vec<_> = body.lines().filter_map(|l| parser.line(&l.unwrap())).collect();
            assert_eq!(updates.len(), 1, "chunks of {sizes:?}");
            let Parsed::Update(Update::Event(e)) = &updates[0] else { panic!("not an event") };
            assert_eq!((e.id, e.counter, e.number.as_deref()), (7, Some(3), Some("A025")));
        }
    }

    #[test]
    fn a_stream_cut_inside_a_chunk_or_with_a_bad_size_is_an_error_not_a_hang() {
        let wire = chunked("event: called\ndata: {}\n\n", &[10]);
        let cut = &wire[..wire.len() - 12];
        let mut body = BufReader::new(Chunked::new(cut));
        let mut all = String::new();
        assert!(body.read_to_string(&mut all).is_err());
        let mut bad = BufReader::new(Chunked::new(&b"zz\r\nhello"[..]));
        assert_eq!(bad.read_to_string(&mut all).unwrap_err().kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn hello_and_resync_are_read_with_their_epoch_and_place() {
        let mut parser = Parser::default();
        let lines = [
            "event: hello",
            "data: {\"epoch\":\"ab12\",\"last_event_id\":40}",
            "",
            "id: 90",
            "event: resync",
            "data: {\"epoch\":\"ab12\",\"last_event_id\":90,\"reason\":\"too far behind\"}",
            "",
        ];
        let parsed: Vec<_> = lines.iter().filter_map(|l| parser.line(l)).collect();
        assert!(matches!(&parsed[0], Parsed::Hello { epoch } if epoch == "ab12"));
        assert!(matches!(parsed[1], Parsed::Resync { last: 90 }));
    }

    /// Lines a hostile or broken hub might send, good ones among them.
    fn sse_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just(String::new()),
            Just(": heartbeat".to_string()),
            Just("event: called".to_string()),
            Just("event: counts".to_string()),
            Just("event: hello".to_string()),
            Just("event: resync".to_string()),
            Just("data: {\"HT\":4}".to_string()),
            Just("data: {\"epoch\":\"ab\",\"last_event_id\":-1}".to_string()),
            Just("data: {\"id\":7,\"at_ms\":1,\"kind\":\"called\",\"counter\":3}".to_string()),
            "data: .{0,40}",
            "[^\r\n]{0,80}",
        ]
    }

    const GOOD: &str = "event: called\ndata: {\"id\":9,\"at_ms\":1,\"kind\":\"called\",\"counter\":2,\
                        \"actor\":\"counter\",\"detail\":null,\"number\":\"B007\",\"service\":\"CT\"}\n\n";

    #[test]
    fn any_garbage_before_a_good_event_is_dropped_and_the_event_still_read() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let lines = proptest::collection::vec(sse_line(), 0..30);
        let sizes = proptest::collection::vec(1usize..300, 1..5);
        let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
        runner
            .run(&(lines, sizes), |(lines, sizes)| {
                // Whatever came before, a blank line ends it; then the good event must come through.
                let text = format!("{}\n\n{GOOD}", lines.join("\n"));
                let wire = chunked(&text, &sizes);
                let mut body: Box<dyn BufRead> = Box::new(BufReader::new(Chunked::new(&wire[..])));
                let (mut parser, mut buf, mut last) = (Parser::default(), Vec::new(), None);
                while let Some(line) = bounded_line(&mut body, &mut buf).unwrap() {
                    if let Some(Parsed::Update(Update::Event(e))) = parser.line(&line) {
                        last = Some((e.id, e.number));
                    }
                }
                prop_assert_eq!(last, Some((9, Some("B007".to_string()))));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn an_endless_line_or_event_is_dropped_without_filling_memory() {
        let mut wire = b"event: called\ndata: ".to_vec();
        wire.extend(std::iter::repeat_n(b'x', 5 * MAX_LINE));
        wire.extend_from_slice(b"\n\n");
        for _ in 0..3 {
            wire.extend_from_slice(b"data: ");
            wire.extend(std::iter::repeat_n(b'y', MAX_LINE / 2));
            wire.push(b'\n');
        }
        wire.extend_from_slice(b"\n");
        wire.extend_from_slice(GOOD.as_bytes());
        let mut body: Box<dyn BufRead> = Box::new(&wire[..]);
        let (mut parser, mut buf, mut parsed) = (Parser::default(), Vec::new(), Vec::new());
        while let Some(line) = bounded_line(&mut body, &mut buf).unwrap() {
            assert!(line.len() <= MAX_LINE);
            assert!(parser.data.len() <= MAX_LINE);
            parsed.extend(parser.line(&line));
        }
        assert_eq!(parsed.len(), 1, "only the good event");
        assert!(matches!(&parsed[0], Parsed::Update(Update::Event(e)) if e.id == 9));
    }

    #[test]
    fn heartbeats_and_garbage_are_skipped_and_counts_read() {
        let mut parser = Parser::default();
        let lines = [": heartbeat", "", "event: called", "data: not json", "", "event: counts", "data: {\"HT\":4}", ""];
        let updates: Vec<_> = lines.iter().filter_map(|l| parser.line(l)).collect();
        assert_eq!(updates.len(), 1);
        let Parsed::Update(Update::Counts(c)) = &updates[0] else { panic!("not counts") };
        assert_eq!(c.get("HT"), Some(&4));
    }
}
