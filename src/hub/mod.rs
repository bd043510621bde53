//! The hall's LAN service: the one authority over the queue that kiosks, counter consoles, display boards
//! and phones talk to. `Hub` holds the database and publishes every committed event; `api` puts it on
//! HTTP (JSON under /api/v1, Server-Sent Events, the ticket page for phones); `client` is how a kiosk
//! reaches a hub on another machine.

mod admin;
mod admin_calendar;
mod admin_edit;
mod admin_form;
pub mod admin_upload;
pub mod api;
mod attempts;
mod backup;
pub(crate) mod catalog;
pub use backup::BackupStatus;
mod auth;
pub(crate) use auth::{bearer, cookie, plausible};
pub mod client;
mod console;
pub(crate) use console::headed;
mod counters;
mod dossiers;
mod events;
pub mod feed;
pub mod follow;
pub mod guard;
mod local;
pub mod metrics;
pub mod net;
pub(crate) mod page;
pub(crate) mod procedure_page;
pub mod push;
mod ratings;
mod reply;
mod reports;
mod serve;
pub mod sms;
mod staff;
pub mod views;
mod writer;

use crate::app::access;
use crate::app::counter;
use crate::app::health::{self, PrinterHealth};
use crate::app::queue::{self, QueueError, Reserved};
use crate::config::Config;
use crate::domain::backoff::Backoff;
use crate::domain::client::Proxies;
use crate::domain::clock::{instant, local_day, millis, Clock};
use crate::store::counter::Session;
use crate::store::readers::Readers;
use crate::store::Store;
use attempts::Attempts;
use guard::LoginGuard;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tokio::sync::broadcast;
use writer::{Job, Writer};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("the hub stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot start the hub's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot serve HTTPS ([hub] tls): {0}")]
    Tls(#[from] crate::tls::TlsError),
}

/// What live clients receive: each committed event, and the waiting counts after changes.
#[derive(Debug, Clone)]
pub enum Message {
    Event(crate::app::queue::HallEvent),
    Counts(Vec<(String, u32)>),
    /// Every printer's health after one of them changed.
    Health(Vec<PrinterHealth>),
}

/// The queue's single authority. One writer thread owns the database and commits changes in batches
/// (see `writer`); reads run on read-only connections beside it, so a slow read never delays a ticket.
pub struct Hub {
    jobs: std::sync::mpsc::Sender<Job>,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    sender: broadcast::Sender<Message>,
    /// None for an in-memory database (tests, tools): reads then go through the writer.
    readers: Option<Readers>,
    guard: LoginGuard,
    proxies: Proxies,
    /// The database's epoch (docs/api.md): a restored database has a new one.
    epoch: String,
    holders: std::sync::Mutex<HashMap<String, Holder>>,
    /// The latest revocation this hub has acted on.
    revocations: AtomicI64,
    /// `store::idcard::erased` when the log was last emptied of erased cards.
    cards_erased: AtomicI64,
    /// The GSM modem as the text message sender last found it.
    modem: std::sync::Mutex<sms::ModemStatus>,
    /// Printers' health by device, kept in memory: after a restart it fills again with the next jobs
    /// and status reports.
    health: std::sync::Mutex<std::collections::BTreeMap<String, PrinterHealth>>,
    /// Dossier lookups and digit checks per client and code (docs/dossiers.md).
    attempts: std::sync::Mutex<Attempts>,
    /// Working days, for appointments.
    calendar: std::sync::RwLock<Arc<crate::domain::calendar::Calendar>>,
    connections: Arc<net::Connections>,
    /// Requests and replays per client, on the monotonic clock since `started`.
    requests: std::sync::Mutex<crate::domain::limit::Rate>,
    replays: std::sync::Mutex<crate::domain::limit::Limiter>,
    started: std::time::Instant,
    /// The snapshot and service list, kept until what they depend on moves (views.rs).
    views: std::sync::Mutex<views::Views>,
    /// Held by the one reader computing a view while the others wait for it.
    computing: std::sync::Mutex<()>,
    views_computed: std::sync::atomic::AtomicU64,
    logins_changed: std::sync::atomic::AtomicU64,
    /// The latest event the writer has published.
    published: Arc<AtomicI64>,
    /// The daily backup: the last taken and the last failure, shown on /healthz.
    backup: std::sync::Mutex<BackupStatus>,
    /// Held while the daily backup is taken.
    backing_up: std::sync::Mutex<()>,
    /// When changes began to fail for want of disk space (ms); 0 while they are saved.
    full_since: Arc<AtomicI64>,
    /// What the hub has done since it started (`/metrics`).
    metrics: Arc<metrics::Metrics>,
    /// The published catalog, for the public pages.
    catalog: catalog::Kept,
    /// The link to the province as the pushing thread last saw it.
    push: std::sync::Mutex<push::PushStatus>,
}

/// What checking a dossier's phone digits gave.
pub enum Verified {
    Found(Box<crate::app::dossier::Details>),
    /// Wrong code, wrong digits or no phone on file: one answer for all three.
    NoMatch,
    /// The client or the code has used up its attempts for now.
    TooMany,
}

/// Who holds a token, as the hub remembers it between requests (so that a request costs no database
/// round trip to authenticate): a device, or a session (at a counter, or a staff member's) until it
/// expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Device { name: String, role: String },
    Session(Session),
    Tablet { counter: u32, csrf: String },
}

impl Hub {
    pub fn new(store: Store, config: Config, clock: Arc<dyn Clock>, data_dir: PathBuf) -> Result<Arc<Hub>, QueueError> {
        let now_ms = millis(clock.now());
        let backoff = Backoff {
            free: config.hub.max_login_failures.max(1),
            first_ms: 1000,
            max_ms: i64::from(config.hub.login_backoff_max_s) * 1000,
        };
        let start = access::at_start(&store, now_ms - backoff.quiet_ms())?;
        let published = Arc::new(AtomicI64::new(start.last_event));
        // The log is emptied only after erasures from now on.
        let cards_erased = crate::store::idcard::erased(store.conn())?;
        // Checked when the configuration was loaded.
        let proxies = Proxies::parse(&config.hub.trusted_proxies).unwrap_or_default();
        let readers = match store.path().to_str() {
            Some(":memory:") => None,
            _ => Some(Readers::open(store.path(), config.hub.readers as usize)?),
        };
        // Read once: a calendar file that does not read stops the start with its name and problem.
        let calendar = std::sync::RwLock::new(Arc::new(crate::app::dossier::calendar_stored(&config, &store)?));
        let synonyms = crate::app::catalog::load_synonyms(&config.catalog.synonyms_file)?;
        let (sender, _) = broadcast::channel(4096);
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let config = Arc::new(config);
        let metrics = Arc::new(metrics::Metrics::default());
        if config.hub.database_max_mib > 0 {
            store.limit_size(u64::from(config.hub.database_max_mib) * 1024 * 1024)?;
        }
        let full_since = Arc::new(AtomicI64::new(0));
        let writer = Writer {
            full_since: full_since.clone(),
            metrics: metrics.clone(),
            store,
            config: config.clone(),
            clock: clock.clone(),
            sender: sender.clone(),
            published: published.clone(),
            counts_due: false,
            counts_sent: std::time::Instant::now(),
        };
        std::thread::Builder::new()
            .name("hub-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| QueueError::Stopped(e.to_string()))?;
        let connections =
            net::Connections::new(config.hub.max_connections as usize, config.hub.max_connections_per_client);
        Ok(Arc::new(Hub {
            jobs,
            guard: LoginGuard::new(backoff, config.hub.max_hash_checks as usize, start.failures),
            clock,
            data_dir,
            backup: std::sync::Mutex::new(BackupStatus::default()),
            full_since,
            metrics,
            sender,
            readers,
            proxies,
            epoch: start.epoch,
            holders: std::sync::Mutex::new(HashMap::new()),
            revocations: AtomicI64::new(start.last_revocation),
            cards_erased: AtomicI64::new(cards_erased),
            modem: std::sync::Mutex::default(),
            health: std::sync::Mutex::new(std::collections::BTreeMap::new()),
            attempts: std::sync::Mutex::new(Attempts::default()),
            calendar,
            connections,
            requests: std::sync::Mutex::new(crate::domain::limit::Rate::new(
                config.hub.requests_per_second,
                config.hub.request_burst,
            )),
            replays: std::sync::Mutex::new(crate::domain::limit::Limiter::new(config.hub.replays_per_minute, 60_000)),
            started: std::time::Instant::now(),
            views: std::sync::Mutex::new(views::Views::default()),
            computing: std::sync::Mutex::new(()),
            views_computed: std::sync::atomic::AtomicU64::new(0),
            logins_changed: std::sync::atomic::AtomicU64::new(0),
            published,
            catalog: catalog::Kept::new(synonyms),
            push: std::sync::Mutex::new(push::PushStatus::default()),
            backing_up: std::sync::Mutex::new(()),
            config,
        }))
    }

    /// Since when changes have failed for want of disk space (ms), while they do.
    pub fn disk_full_since(&self) -> Option<i64> {
        Some(self.full_since.load(std::sync::atomic::Ordering::SeqCst)).filter(|&ms| ms != 0)
    }

    /// The latest event published (the line moved when it changes).
    pub fn published_event(&self) -> i64 {
        self.published.load(Ordering::SeqCst)
    }

    pub fn modem(&self) -> sms::ModemStatus {
        self.modem.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_modem(&self, status: sms::ModemStatus) {
        *self.modem.lock().unwrap_or_else(|e| e.into_inner()) = status;
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The database's epoch.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// Queues a change for the writer thread; `reply` receives its result once committed.
    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
        reply: impl FnOnce(Result<T, QueueError>) + Send + 'static,
    ) -> Result<(), QueueError> {
        self.jobs.send(writer::job(f, reply)).map_err(|_| stopped())
    }

    /// Runs a change on the writer thread and returns its result once committed; live clients receive
    /// its events in the order the database holds them.
    pub fn change<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    ) -> Result<T, QueueError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.submit(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.recv().map_err(|_| stopped())?
    }

    /// `change` for async callers: waits without holding a thread.
    pub async fn change_async<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    ) -> Result<T, QueueError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// Queues a change nobody waits for (bookkeeping such as failed logins); a failure is logged.
    pub fn change_later(
        &self,
        what: &'static str,
        f: impl FnOnce(&mut Store) -> Result<(), QueueError> + Send + 'static,
    ) {
        let sent = self.submit(
            move |store, _, _| f(store),
            move |r| {
                if let Err(e) = r {
                    tracing::error!(error = %e, what, "cannot save");
                }
            },
        );
        if sent.is_err() {
            tracing::error!(what, "cannot save: the writer stopped");
        }
    }

    /// Reads on a read-only connection (blocking): every change acknowledged before it is seen.
    pub fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    ) -> Result<T, QueueError> {
        match &self.readers {
            Some(readers) => readers.read(|store| f(store, &self.config, self.clock.as_ref())),
            None => self.change(move |store, config, clock| f(store, config, clock)),
        }
    }

    /// `read` for async callers, on a blocking thread.
    pub async fn read_async<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    ) -> Result<T, QueueError> {
        let hub = self.clone();
        tokio::task::spawn_blocking(move || hub.read(f))
            .await
            .map_err(|e| QueueError::Stopped(format!("a read failed: {e}")))?
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.sender.subscribe()
    }

    /// What the hub has done since it started (`/metrics`).
    pub fn metrics(&self) -> &Arc<metrics::Metrics> {
        &self.metrics
    }

    /// The link to the province, as the pushing thread last saw it.
    pub fn push_status(&self) -> push::PushStatus {
        self.push.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn note_push(&self, f: impl FnOnce(&mut push::PushStatus)) {
        if let Ok(mut status) = self.push.lock() {
            f(&mut status);
        }
    }

    /// Closes the day's unserved tickets at closing time and erases chip ID cards no longer needed
    /// (`queue::close_day`). When any card was erased since the last round (here or by a trigger), the
    /// write-ahead log is emptied so that its bytes leave the log as well as the file.
    pub fn close_day(&self) -> Result<Vec<String>, QueueError> {
        let (closed, erased, path) = self.change(move |store, config, clock| {
            let closed = queue::close_day(store, config, clock)?;
            Ok((closed, crate::store::idcard::erased(store.conn())?, store.path().to_path_buf()))
        })?;
        if erased != self.cards_erased.load(Ordering::Relaxed) && path.as_os_str() != ":memory:" {
            match crate::store::Store::empty_log(&path) {
                Ok(true) => self.cards_erased.store(erased, Ordering::Relaxed),
                Ok(false) => tracing::debug!("the log was busy; emptied on a later round"),
                Err(e) => tracing::warn!(error = %e, "cannot empty the database's log of erased cards"),
            }
        }
        Ok(closed)
    }

    /// Voids reservations that never got a print outcome (run on start and every few seconds).
    pub fn void_stale(&self) -> Result<Vec<i64>, QueueError> {
        self.change(|store, config, clock| queue::void_stale(store, config, clock))
    }

    /// The holder of a token: remembered, or looked up in the database and remembered. Expired sessions
    /// are forgotten, and a revocation (`check_revocations`) forgets them all.
    pub async fn holder(self: &Arc<Self>, token: &str) -> Result<Option<Holder>, QueueError> {
        let now_ms = millis(self.clock.now());
        let live = |h: &Holder| !matches!(h, Holder::Session(s) if s.expires_ms <= now_ms);
        let key = counter::hash_token(token);
        {
            let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
            match holders.get(&key) {
                Some(h) if live(h) => return Ok(Some(h.clone())),
                Some(_) => {
                    holders.remove(&key);
                    return Ok(None);
                }
                None => {}
            }
        }
        let seen = self.revocations.load(Ordering::SeqCst);
        let token = token.to_string();
        let found = self
            .read_async(move |store, _, clock| {
                if let Some((name, role)) = counter::device(store, &token)? {
                    return Ok(Some(Holder::Device { name, role }));
                }
                if let Some(s) = counter::session(store, &token, clock)? {
                    return Ok(Some(Holder::Session(s)));
                }
                Ok(crate::app::rating::tablet(store, &token)?.map(|(counter, csrf)| Holder::Tablet { counter, csrf }))
            })
            .await?;
        if let Some(h) = &found {
            let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
            // A revocation noticed while this was read may concern it: not remembered then.
            if self.revocations.load(Ordering::SeqCst) == seen {
                holders.retain(|_, h| live(h));
                holders.insert(key, h.clone());
            }
        }
        Ok(found)
    }

    /// Forgets a token (logout).
    pub fn forget(&self, token: &str) {
        self.holders.lock().unwrap_or_else(|e| e.into_inner()).remove(&counter::hash_token(token));
    }

    /// Looks for revocations written since the last look (by this hub or by another process, such as
    /// `motcua device revoke`) and forgets every remembered holder when there are; the next request of
    /// each is checked against the database again. The hub looks every second.
    pub fn check_revocations(&self) -> Result<bool, QueueError> {
        let last = self.read(|store, _, _| access::last_revocation(store))?;
        if last <= self.revocations.load(Ordering::SeqCst) {
            return Ok(false);
        }
        let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
        self.revocations.store(last, Ordering::SeqCst);
        holders.clear();
        // Sessions may have ended with it.
        self.logins_changed();
        Ok(true)
    }

    /// Records what a device's printer did (a job's outcome or a status check) and tells live clients
    /// when that changes what staff see.
    pub fn note_printer(&self, device: &str, seen: (&str, String, String)) {
        let now = self.clock.now();
        let at_ms = millis(now);
        let list = {
            let mut all = self.health.lock().unwrap_or_else(|e| e.into_inner());
            let previous = all.get(device);
            let same_day =
                previous.and_then(|p| instant(p.at_ms)).is_some_and(|then| local_day(then) == local_day(now));
            let next = health::next(previous, device, seen, at_ms, same_day);
            let changed = previous.is_none_or(|p| {
                (&p.state, &p.message_en, p.unconfirmed) != (&next.state, &next.message_en, next.unconfirmed)
            });
            all.insert(device.to_string(), next);
            if !changed {
                return;
            }
            all.values().cloned().collect::<Vec<_>>()
        };
        // The province sees each change too (docs/province.md).
        let kept = list.clone();
        self.change_later("printer health for the province", move |store| {
            Ok(crate::app::outbox::note_printers(store, &kept, at_ms)?)
        });
        let _ = self.sender.send(Message::Health(list));
    }

    pub fn calendar(&self) -> Arc<crate::domain::calendar::Calendar> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The calendar from now on (a year entered on the admin page).
    pub fn set_calendar(&self, calendar: crate::domain::calendar::Calendar) {
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(calendar);
    }

    /// A dossier's details for its code and the phone's last four digits, as `client` asks (a kiosk has an
    /// allowance of its own): the attempt is counted before anything is read (attempts.rs).
    pub fn verify_dossier(&self, client: &str, kiosk: bool, code: &str, last4: &str) -> Result<Verified, QueueError> {
        let key = crate::domain::dossier::DossierCode::attempt_key(code);
        let now_ms = millis(self.clock.now());
        if !self.attempts.lock().unwrap_or_else(|e| e.into_inner()).check(client, kiosk, &key, now_ms) {
            return Ok(Verified::TooMany);
        }
        let (code, last4) = (code.to_string(), last4.trim().to_string());
        let found = self.read(move |store, _, clock| Ok(crate::app::dossier::verify(store, &code, &last4, clock)?))?;
        match found {
            Some(details) => Ok(Verified::Found(Box::new(details))),
            None => {
                self.attempts.lock().unwrap_or_else(|e| e.into_inner()).wrong(&key, now_ms);
                Ok(Verified::NoMatch)
            }
        }
    }

    /// Checks a booking in for `client` (a kiosk): a code with the phone's last digits is counted as a
    /// dossier's digits are, before anything is read, and wrong digits count against the code
    /// (attempts.rs); a token is unguessable and needs no count.
    pub fn check_in_booking(
        &self,
        client: &str,
        booking: &crate::app::booking::BookingKey,
        request_key: Option<&str>,
    ) -> Result<Reserved, QueueError> {
        let now_ms = millis(self.clock.now());
        let key = booking.attempt_key();
        if let Some(key) = &key {
            if !self.attempts.lock().unwrap_or_else(|e| e.into_inner()).check(client, true, key, now_ms) {
                return Err(QueueError::Refused(crate::domain::ticket::Refusal::Booking(
                    crate::domain::booking::CheckInRefusal::TooMany,
                )));
            }
        }
        let (booking, request_key) = (booking.clone(), request_key.map(str::to_string));
        let checked = self.change(move |store, config, clock| {
            crate::app::booking::check_in(store, config, &booking, request_key.as_deref(), clock)
        });
        if let (Err(QueueError::Refused(crate::domain::ticket::Refusal::Booking(r))), Some(key)) = (&checked, &key) {
            if *r == crate::domain::booking::CheckInRefusal::Unknown {
                self.attempts.lock().unwrap_or_else(|e| e.into_inner()).wrong(key, now_ms);
            }
        }
        checked
    }

    /// Counts a dossier lookup by code; false when the client has used its lookups for now.
    pub fn dossier_lookup_allowed(&self, client: &str, kiosk: bool) -> bool {
        let now_ms = millis(self.clock.now());
        self.attempts.lock().unwrap_or_else(|e| e.into_inner()).lookup(client, kiosk, now_ms)
    }

    /// Every printer's health, by device name.
    pub fn printers(&self) -> Vec<PrinterHealth> {
        self.health.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    pub fn guard(&self) -> &LoginGuard {
        &self.guard
    }

    /// The client a request stands for (its address, or what a trusted proxy forwarded).
    pub fn client_of(&self, peer: Option<std::net::SocketAddr>, headers: &axum::http::HeaderMap) -> String {
        net::client_of(peer, headers, &self.proxies)
    }

    /// Counts a request against its client's rate; false when the client is over it. The hub's own
    /// machine is not counted (its kiosk and board), unless it forwards for others as a trusted proxy.
    pub fn request_allowed(&self, peer: Option<std::net::SocketAddr>, headers: &axum::http::HeaderMap) -> bool {
        if peer.is_some_and(|p| net::own_machine(p.ip())) && !headers.contains_key("x-forwarded-for") {
            return true;
        }
        let key = self.client_of(peer, headers);
        let now_ms = self.started.elapsed().as_millis() as i64;
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).allow(&key, now_ms)
    }

    /// Counts a replay of missed events for a client; false when it has asked for too many lately.
    pub fn replay_allowed(&self, client: &str) -> bool {
        let now_ms = self.started.elapsed().as_millis() as i64;
        self.replays.lock().unwrap_or_else(|e| e.into_inner()).allow(client, now_ms)
    }

    /// Connections open now.
    pub fn connections(&self) -> usize {
        self.connections.open()
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

fn stopped() -> QueueError {
    QueueError::Stopped("the hub's database writer stopped; see the log".into())
}

pub use local::LOCAL_KIOSK;
pub use serve::{bind, serve, spawn};
