//! The hall's LAN service: the one authority over the queue that kiosks, counter consoles, display boards
//! and phones talk to. `Hub` holds the database and publishes every committed event; `api` puts it on
//! HTTP (JSON under /api/v1, Server-Sent Events, the ticket page for phones); `client` is how a kiosk
//! reaches a hub on another machine.

pub mod api;
pub mod client;
mod console;
mod dossiers;
mod events;
pub mod feed;
mod page;

use crate::app::counter::{self, LoginGuard};
use crate::app::health::{self, PrinterHealth};
use crate::app::queue::{self, IssueError, Issuer, QueueError, Reserved};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::limit::Limiter;
use crate::print::Outcome;
use crate::store::counter::Session;
use crate::store::queue::{self as repo, StoredEvent};
use crate::store::Store;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("the hub stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot start the hub's runtime: {0}")]
    Runtime(std::io::Error),
}

/// What live clients receive: each committed event, and the waiting counts after changes.
#[derive(Debug, Clone)]
pub enum Message {
    Event(StoredEvent),
    Counts(Vec<(String, u32)>),
    /// Every printer's health after one of them changed.
    Health(Vec<PrinterHealth>),
}

/// Delivers a job's result once its batch is committed (or says why the commit failed).
type Deliver = Box<dyn FnOnce(Option<String>) + Send>;
type Job = Box<dyn FnOnce(&mut Store, &Config, &dyn Clock) -> Deliver + Send>;

/// Most requests committed together with one fsync.
const BATCH: usize = 256;

/// The queue's single authority. One writer thread owns the database: requests queue up, and whatever
/// has queued while the disk was busy is run in one transaction (each request in its own savepoint, so a
/// refused one undoes only itself) and committed with one fsync, then answered. Answers are sent only
/// after the commit, so an acknowledged ticket survives a power cut.
pub struct Hub {
    jobs: std::sync::mpsc::Sender<Job>,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    sender: broadcast::Sender<Message>,
    logins: Arc<LoginGuard>,
    holders: std::sync::Mutex<HashMap<String, Holder>>,
    /// Printers' health by device, kept in memory: after a restart it fills again with the next jobs
    /// and status reports.
    health: std::sync::Mutex<std::collections::BTreeMap<String, PrinterHealth>>,
    /// Attempts at a dossier's details by code and phone digits (docs/dossiers.md).
    attempts: std::sync::Mutex<Attempts>,
    /// Working days, for appointments.
    calendar: Arc<crate::domain::calendar::Calendar>,
}

/// Per client (an address, or a kiosk with its own larger allowance) every attempt counts; per dossier
/// code, the failed ones.
struct Attempts {
    by_client: Limiter,
    by_kiosk: Limiter,
    by_code: Limiter,
}

/// What checking a dossier's phone digits gave.
pub enum Verified {
    Found(Box<crate::app::dossier::Details>),
    /// Wrong code, wrong digits or no phone on file: one answer for all three.
    NoMatch,
    /// The client or the code has used up its attempts for now.
    TooMany,
}

/// The window the attempt limits count in.
const ATTEMPT_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Who holds a token, as the hub remembers it between requests (so that a request costs no database
/// round trip to authenticate): a device, or a counter session until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Device { name: String, role: String },
    Counter(Session),
}

impl Hub {
    pub fn new(store: Store, config: Config, clock: Arc<dyn Clock>, data_dir: PathBuf) -> Result<Arc<Hub>, QueueError> {
        let published = repo::last_event_id(store.conn())?;
        // Read once: a calendar file that does not read stops the start with its name and problem.
        let calendar = Arc::new(crate::app::dossier::calendar(&config)?);
        let (sender, _) = broadcast::channel(4096);
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let config = Arc::new(config);
        let writer = Writer {
            store,
            config: config.clone(),
            clock: clock.clone(),
            sender: sender.clone(),
            published,
            counts_due: false,
            counts_sent: std::time::Instant::now(),
        };
        std::thread::Builder::new()
            .name("hub-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| QueueError::Stopped(e.to_string()))?;
        Ok(Arc::new(Hub {
            jobs,
            config,
            clock,
            data_dir,
            sender,
            logins: Arc::new(LoginGuard::default()),
            holders: std::sync::Mutex::new(HashMap::new()),
            health: std::sync::Mutex::new(std::collections::BTreeMap::new()),
            attempts: std::sync::Mutex::new(Attempts {
                by_client: Limiter::new(20, ATTEMPT_WINDOW_MS),
                by_kiosk: Limiter::new(300, ATTEMPT_WINDOW_MS),
                by_code: Limiter::new(5, ATTEMPT_WINDOW_MS),
            }),
            calendar,
        }))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Queues a change for the writer thread; `reply` receives its result once committed.
    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
        reply: impl FnOnce(Result<T, QueueError>) + Send + 'static,
    ) -> Result<(), QueueError> {
        let job: Job = Box::new(move |store, config, clock| {
            let result = f(store, config, clock);
            Box::new(move |commit_error| {
                reply(match commit_error {
                    Some(e) => Err(QueueError::Stopped(format!("the change was not saved: {e}"))),
                    None => result,
                })
            })
        });
        self.jobs.send(job).map_err(|_| stopped())
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

    /// Reads (through the writer too, so that reads see every acknowledged change).
    pub fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    ) -> Result<T, QueueError> {
        self.change(move |store, config, clock| f(store, config, clock))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.sender.subscribe()
    }

    /// Voids reservations that never got a print outcome (run on start and every few seconds).
    pub fn void_stale(&self) -> Result<Vec<i64>, QueueError> {
        self.change(|store, config, clock| queue::void_stale(store, config, clock))
    }

    /// The holder of a token: remembered, or looked up in the database and remembered. Expired sessions
    /// are forgotten.
    pub async fn holder(&self, token: &str) -> Result<Option<Holder>, QueueError> {
        let now_ms = queue::millis(self.clock.now());
        let live = |h: &Holder| !matches!(h, Holder::Counter(s) if s.expires_ms <= now_ms);
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
        let token = token.to_string();
        let found = self
            .change_async(move |store, _, clock| {
                if let Some((name, role)) = counter::device(store, &token)? {
                    return Ok(Some(Holder::Device { name, role }));
                }
                Ok(counter::session(store, &token, clock)?.map(Holder::Counter))
            })
            .await?;
        if let Some(h) = &found {
            let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
            holders.retain(|_, h| live(h));
            holders.insert(key, h.clone());
        }
        Ok(found)
    }

    /// Forgets a token (logout).
    pub fn forget(&self, token: &str) {
        self.holders.lock().unwrap_or_else(|e| e.into_inner()).remove(&counter::hash_token(token));
    }

    /// Records what a device's printer did (a job's outcome or a status check) and tells live clients
    /// when that changes what staff see.
    pub fn note_printer(&self, device: &str, seen: (&str, String, String)) {
        let now = self.clock.now();
        let at_ms = queue::millis(now);
        let list = {
            let mut all = self.health.lock().unwrap_or_else(|e| e.into_inner());
            let previous = all.get(device);
            let same_day = previous
                .and_then(|p| queue::instant(p.at_ms))
                .is_some_and(|then| queue::local_day(then) == queue::local_day(now));
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
        let _ = self.sender.send(Message::Health(list));
    }

    pub fn calendar(&self) -> Arc<crate::domain::calendar::Calendar> {
        self.calendar.clone()
    }

    /// A dossier's details for its code and the phone's last four digits, as `client` asks (a kiosk has an
    /// allowance of its own): every attempt counts against the client, a wrong one against the code too.
    pub fn verify_dossier(&self, client: &str, kiosk: bool, code: &str, last4: &str) -> Result<Verified, QueueError> {
        let key = crate::domain::dossier::DossierCode::attempt_key(code);
        let now_ms = queue::millis(self.clock.now());
        {
            let mut a = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
            let limiter = if kiosk { &mut a.by_kiosk } else { &mut a.by_client };
            if !(limiter.allow(client, now_ms) && a.by_code.open(&key, now_ms)) {
                return Ok(Verified::TooMany);
            }
        }
        let (code, last4) = (code.to_string(), last4.trim().to_string());
        let found = self.read(move |store, _, clock| Ok(crate::app::dossier::verify(store, &code, &last4, clock)?))?;
        match found {
            Some(details) => Ok(Verified::Found(Box::new(details))),
            None => {
                self.attempts.lock().unwrap_or_else(|e| e.into_inner()).by_code.count(&key, now_ms);
                Ok(Verified::NoMatch)
            }
        }
    }

    /// Every printer's health, by device name.
    pub fn printers(&self) -> Vec<PrinterHealth> {
        self.health.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    pub fn logins(&self) -> Arc<LoginGuard> {
        self.logins.clone()
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

fn stopped() -> QueueError {
    QueueError::Stopped("the hub's database writer stopped; see the log".into())
}

struct Writer {
    store: Store,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    sender: broadcast::Sender<Message>,
    published: i64,
    counts_due: bool,
    counts_sent: std::time::Instant,
}

/// How often waiting counts go out while changes keep coming.
const COUNTS_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

impl Writer {
    fn run(mut self, rx: std::sync::mpsc::Receiver<Job>) {
        use std::sync::mpsc::RecvTimeoutError;
        loop {
            let first = match rx.recv_timeout(COUNTS_EVERY) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    self.send_counts_if_due(true);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let mut batch = vec![first];
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            // Without an outer transaction (BEGIN failed) each change still commits on its own.
            let grouped = self.store.conn().execute_batch("BEGIN IMMEDIATE").is_ok();
            let mut deliveries = Vec::with_capacity(batch.len());
            for job in batch {
                let (store, config, clock) = (&mut self.store, self.config.as_ref(), self.clock.as_ref());
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || job(store, config, clock))) {
                    Ok(deliver) => deliveries.push(deliver),
                    // Its savepoint was rolled back while unwinding; its caller hears that the writer failed.
                    Err(_) => tracing::error!("a hub request failed unexpectedly; its change was undone"),
                }
            }
            let commit_error = if grouped {
                self.store.conn().execute_batch("COMMIT").err().map(|e| {
                    tracing::error!(error = %e, "commit failed; the batch was rolled back");
                    let _ = self.store.conn().execute_batch("ROLLBACK");
                    e.to_string()
                })
            } else {
                None
            };
            if let Err(e) = self.publish() {
                tracing::error!(error = %e, "cannot read events to publish");
            }
            self.send_counts_if_due(false);
            for deliver in deliveries {
                deliver(commit_error.clone());
            }
        }
    }

    /// Sends the committed events not yet sent, in id order.
    fn publish(&mut self) -> Result<(), QueueError> {
        loop {
            let batch = repo::events_after(self.store.conn(), self.published, 500)?;
            let Some(last) = batch.last() else { break };
            self.published = last.id;
            self.counts_due = true;
            for event in batch {
                // No receivers is fine: nobody is listening.
                let _ = self.sender.send(Message::Event(event));
            }
        }
        Ok(())
    }

    /// Sends the people waiting per service after changes: at most every `COUNTS_EVERY` while changes
    /// keep coming (counting a long line costs more than a call), and as soon as they pause.
    fn send_counts_if_due(&mut self, idle: bool) {
        if !self.counts_due || (!idle && self.counts_sent.elapsed() < COUNTS_EVERY) {
            return;
        }
        let day = queue::local_day(self.clock.now());
        match repo::waiting_counts(self.store.conn(), &day) {
            Ok(waiting) => {
                let counts = self
                    .config
                    .services
                    .iter()
                    .map(|s| (s.code.clone(), waiting.iter().find(|(c, _)| c == &s.code).map_or(0, |(_, n)| *n)))
                    .collect();
                let _ = self.sender.send(Message::Counts(counts));
            }
            Err(e) => tracing::error!(error = %e, "cannot count waiting tickets"),
        }
        self.counts_due = false;
        self.counts_sent = std::time::Instant::now();
    }
}

/// The hub in this process is an issuer without a network in between.
impl Issuer for Hub {
    fn reserve(&self, service: &str, priority: Option<&str>) -> Result<Reserved, IssueError> {
        let (service, priority) = (service.to_string(), priority.map(str::to_string));
        Ok(self
            .change(move |store, config, clock| queue::reserve(store, config, &service, priority.as_deref(), clock))?)
    }

    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<String, IssueError> {
        let outcome = outcome.clone();
        let seen = health::of_outcome(&outcome);
        let row =
            self.change(move |store, config, clock| queue::record_outcome(store, config, ticket_id, &outcome, clock))?;
        self.note_printer(LOCAL_KIOSK, seen);
        Ok(row.state)
    }

    fn services(&self) -> Result<Vec<queue::ServiceView>, IssueError> {
        Ok(self.read(|store, config, clock| queue::services(store, config, clock))?)
    }

    fn serving(&self) -> Result<Vec<queue::Serving>, IssueError> {
        Ok(self.read(|store, config, clock| queue::snapshot(store, config, clock))?.serving())
    }

    fn status(&self, token: &str) -> Result<Option<queue::TicketStatus>, IssueError> {
        let token = token.to_string();
        Ok(self.read(move |store, config, clock| queue::status_by_token(store, config, &token, clock))?)
    }

    fn printer_checked(&self, state: &crate::print::status::PrinterState) -> Result<(), IssueError> {
        self.note_printer(LOCAL_KIOSK, health::of_state(state));
        Ok(())
    }

    fn dossier(&self, code: &str) -> Result<Option<crate::app::dossier::PublicStatus>, IssueError> {
        let code = code.to_string();
        Ok(self.read(move |store, _, clock| Ok(crate::app::dossier::by_code(store, &code, clock)?))?)
    }

    fn dossier_verify(&self, code: &str, last4: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        // The kiosk on this machine counts as one trusted client, like a kiosk over HTTP.
        match self.verify_dossier(&format!("kiosk:{LOCAL_KIOSK}"), true, code, last4)? {
            Verified::Found(details) => Ok(Some(*details)),
            Verified::NoMatch => Ok(None),
            Verified::TooMany => {
                let (vi, en) = dossiers::TOO_MANY;
                Err(IssueError::Hub { status: 429, message_vi: vi.into(), message_en: en.into() })
            }
        }
    }

    fn dossier_details(&self, token: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        let token = token.to_string();
        Ok(self.read(move |store, _, clock| Ok(crate::app::dossier::by_token(store, &token, clock)?))?)
    }
}

/// The name under which a kiosk running the hub in its own process reports its printer.
pub const LOCAL_KIOSK: &str = "kiosk";

/// Binds the hub's address (port 0 picks a free one).
pub fn bind(addr: &str) -> Result<std::net::TcpListener, HubError> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| HubError::Listen { addr: addr.to_string(), source })?;
    listener.set_nonblocking(true).map_err(HubError::Serve)?;
    Ok(listener)
}

/// Serves the hub on a bound listener until the process ends, voiding stale reservations every few
/// seconds.
pub fn serve(hub: Arc<Hub>, listener: std::net::TcpListener) -> Result<(), HubError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("hub")
        .build()
        .map_err(HubError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(HubError::Serve)?;
        if let Ok(local) = listener.local_addr() {
            tracing::info!(%local, "hub listening");
        }
        let sweeper = hub.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
            for round in 0u64.. {
                tick.tick().await;
                // Once an hour, personal data of dossiers handed over long ago is cleared.
                if round % 720 == 0 {
                    let hub = sweeper.clone();
                    let purged = tokio::task::spawn_blocking(move || {
                        hub.change(|store, config, clock| {
                            Ok(crate::app::dossier::purge(store, config, clock).map_err(|e| e.to_string()))
                        })
                    })
                    .await;
                    match purged {
                        Ok(Ok(Ok(n))) if n > 0 => {
                            tracing::info!(dossiers = n, "cleared names and phones after hand-over")
                        }
                        Ok(Ok(Err(e))) => tracing::error!(error = %e, "cannot clear old personal data"),
                        _ => {}
                    }
                }
                let hub = sweeper.clone();
                match tokio::task::spawn_blocking(move || hub.void_stale()).await {
                    Ok(Ok(voided)) if !voided.is_empty() => {
                        tracing::warn!(count = voided.len(), "voided reservations that never got a print outcome")
                    }
                    Ok(Err(e)) => tracing::error!(error = %e, "cannot void stale reservations"),
                    _ => {}
                }
            }
        });
        let app = api::router(hub).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).await.map_err(HubError::Serve)
    })
}

/// Starts the hub on a background thread; returns the address it listens on.
pub fn spawn(hub: Arc<Hub>, addr: &str) -> Result<SocketAddr, HubError> {
    let listener = bind(addr)?;
    let local = listener.local_addr().map_err(HubError::Serve)?;
    std::thread::Builder::new()
        .name("hub".into())
        .spawn(move || {
            if let Err(e) = serve(hub, listener) {
                tracing::error!(error = %e, "hub stopped");
            }
        })
        .map_err(HubError::Runtime)?;
    Ok(local)
}
