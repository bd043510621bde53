//! The hub's listener, bounded: connections are counted in total and per client (an IPv4 address or an
//! IPv6 /64) and refused past either cap with a short 503; a client opening them faster than its rate is
//! answered 429 before anything is read; a client must send its headers (and, between
//! requests, its next headers) within `header_timeout_s`; a connection whose writes stay blocked for
//! `send_timeout_s` (a live stream nobody reads) is dropped. The process's file limit is raised to its
//! hard limit at start, and a failing `accept` (out of files) waits instead of spinning. Connections are
//! accepted, and the surplus refused, on a thread of their own at a lower priority than the threads that
//! answer requests: a flood of new connections waits in the kernel's queue while a kiosk's request on an
//! open connection is answered.

use crate::config::Hub as HubConfig;
use crate::domain::client;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

/// Open connections, in total and per client.
pub struct Connections {
    total_max: usize,
    per_client_max: u32,
    open: Mutex<(usize, HashMap<String, u32>)>,
}

/// One counted connection; dropping it frees its place.
pub struct Slot {
    owner: Arc<Connections>,
    /// The client it counts against; None for shared addresses.
    key: Option<String>,
}

impl Connections {
    pub fn new(total_max: usize, per_client_max: u32) -> Arc<Connections> {
        Arc::new(Connections { total_max, per_client_max, open: Mutex::new((0, HashMap::new())) })
    }

    /// A place for a connection from `ip`, or `None` past either cap. `shared` addresses (the hub's own
    /// machine, a trusted proxy carrying many citizens) count only in the total.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, shared: bool) -> Option<Slot> {
        let key = (!shared).then(|| client::client_key(ip));
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *open;
        let mine = key.as_ref().and_then(|k| per.get(k).copied()).unwrap_or(0);
        if *total >= self.total_max || mine >= self.per_client_max {
            return None;
        }
        *total += 1;
        if let Some(k) = &key {
            per.insert(k.clone(), mine + 1);
        }
        Some(Slot { owner: self.clone(), key })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.owner.open.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(key) = &self.key {
            if let Some(n) = per.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    per.remove(key);
                }
            }
        }
    }
}

/// A stream whose writes may stay blocked for `limit` at most; past it the write fails and hyper closes
/// the connection.
struct SendDeadline<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> SendDeadline<S> {
    fn waited(&mut self, cx: &mut Context<'_>, blocked: bool) -> Option<io::Error> {
        if !blocked {
            self.stalled = None;
            return None;
        }
        let limit = self.limit;
        let sleep = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        sleep.as_mut().poll(cx).is_ready().then(|| io::Error::new(io::ErrorKind::TimedOut, "the client takes nothing"))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for SendDeadline<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for SendDeadline<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        match self.waited(cx, r.is_pending()) {
            Some(e) => Poll::Ready(Err(e)),
            None => r,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        match self.waited(cx, r.is_pending()) {
            Some(e) => Poll::Ready(Err(e)),
            None => r,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// What a client past a cap hears before the connection closes.
const BUSY: &str = "{\"error\":\"busy\",\"message_vi\":\"Máy chủ đang quá tải kết nối. Vui lòng thử lại sau.\",\
\"message_en\":\"too many connections; try again later\"}";

/// What a client opening connections too fast hears, all at once.
const TOO_FAST: &str = "{\"error\":\"too_many\",\"message_vi\":\"Quá nhiều kết nối mới. Vui lòng chờ giây lát.\",\
\"message_en\":\"too many new connections; wait a moment\"}";

async fn refuse(mut stream: TcpStream) {
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         retry-after: 5\r\nconnection: close\r\n\r\n",
        BUSY.len()
    );
    // One short try: a client that does not take even this is not waited for.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(BUSY.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

/// Raises the soft limit on open files to the hard one (systemd's LimitNOFILE sets both), so the
/// connection caps, not the file limit, are what a flood meets.
pub fn raise_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct given to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return Some(raised.rlim_cur);
            }
        }
    }
    Some(limit.rlim_cur)
}

/// The hub's own machine: 127.0.0.1 or ::1 exactly (other loopback addresses count as other machines).
pub fn own_machine(ip: IpAddr) -> bool {
    let ip = client::canonical(ip);
    ip == IpAddr::V4(std::net::Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
}

/// How much less CPU the accepting thread gets than the threads that answer requests, as a nice value:
/// under a connection flood the kernel's accept queue fills and the flood waits, while a kiosk's request
/// on a connection already open is answered first.
const ACCEPT_NICE: i32 = 10;

/// Lowers the calling thread's priority by `nice` (Linux keeps a nice value per thread; any user may
/// lower their own). Returns whether it took.
fn lower_priority(nice: i32) -> bool {
    // SAFETY: gettid and setpriority take plain integers and touch no memory of ours.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, nice) == 0
    }
}

/// Accepts connections for `app` on the calling thread until the listener fails for good, handing each
/// admitted one to `runtime`. Connections are accepted and refused here, on a thread of lower priority
/// than the runtime's, so a flood of connections costs the requests already being served little.
pub fn accept_loop(
    listener: std::net::TcpListener,
    runtime: tokio::runtime::Handle,
    app: axum::Router,
    config: &HubConfig,
    connections: Arc<Connections>,
    proxies: client::Proxies,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> io::Result<()> {
    listener.set_nonblocking(false)?;
    if !lower_priority(ACCEPT_NICE) {
        tracing::debug!("the accepting thread keeps its priority");
    }
    let header_timeout = Duration::from_secs(u64::from(config.header_timeout_s));
    let send_timeout = Duration::from_secs(u64::from(config.send_timeout_s));
    let mut last_warning: Option<std::time::Instant> = None;
    let mut opened = crate::domain::limit::Rate::new(config.connections_per_second, config.connection_burst);
    let started = std::time::Instant::now();
    let too_fast = format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         retry-after: 1\r\nconnection: close\r\n\r\n{TOO_FAST}",
        TOO_FAST.len()
    );
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of files or memory: wait a little for connections to close rather than spin.
                if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    last_warning = Some(std::time::Instant::now());
                }
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        // Nothing here may wait on the client: every write below is non-blocking.
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        let shared = own_machine(peer.ip()) || proxies.trusts(peer.ip());
        if !shared && !opened.allow(&client::client_key(peer.ip()), started.elapsed().as_millis() as i64) {
            // Too many new connections from this client: one non-blocking write, no task, no parsing.
            let _ = (&stream).write(too_fast.as_bytes());
            continue;
        }
        let Some(slot) = connections.admit(peer.ip(), shared) else {
            runtime.spawn(async move {
                if let Ok(stream) = TcpStream::from_std(stream) {
                    refuse(stream).await;
                }
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let tls = tls.clone();
        runtime.spawn(async move {
            let _slot = slot;
            let stream = match TcpStream::from_std(stream) {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::debug!(error = %e, %peer, "cannot register a connection");
                    return;
                }
            };
            let stream = SendDeadline { inner: stream, limit: send_timeout, stalled: None };
            let Some(tls) = tls else {
                return serve_http(stream, router, peer, header_timeout).await;
            };
            // The handshake has the headers' time limit: a client that opens and says nothing is closed.
            match tokio::time::timeout(header_timeout, tls.accept(stream)).await {
                Ok(Ok(stream)) => serve_http(stream, router, peer, header_timeout).await,
                Ok(Err(e)) => tracing::debug!(error = %e, %peer, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake too slow"),
            }
        });
    }
}

/// Serves HTTP/1.1 on one connection, plain or TLS, until it ends.
async fn serve_http<I>(io: I, router: axum::Router, peer: SocketAddr, header_timeout: Duration)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(axum::body::Body::new);
        req.extensions_mut().insert(ConnectInfo(peer));
        tower::ServiceExt::oneshot(router.clone(), req)
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(64 * 1024)
        .serve_connection(TokioIo::new(io), service);
    if let Err(e) = connection.await {
        tracing::debug!(error = %e, %peer, "connection ended");
    }
}

/// The client a request stands for, from its peer address (and a trusted proxy's X-Forwarded-For).
pub fn client_of(peer: Option<SocketAddr>, headers: &axum::http::HeaderMap, proxies: &client::Proxies) -> String {
    let peer = peer.map_or(client::NO_PEER, |p| p.ip());
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    client::client_key(client::client_of(peer, forwarded, proxies))
}
