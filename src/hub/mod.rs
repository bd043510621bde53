//! The hall's LAN service: the one authority over the queue that kiosks, counter consoles, display boards
//! and phones talk to. `Hub` holds the database and publishes every committed event; `api` puts it on
//! HTTP (JSON under /api/v1, Server-Sent Events, the ticket page for phones); `client` is how a kiosk
//! reaches a hub on another machine.

pub mod api;
pub mod client;
mod events;
mod page;

use crate::app::counter::LoginGuard;
use crate::app::queue::{self, IssueError, Issuer, QueueError, Reserved};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::print::Outcome;
use crate::store::queue::{self as repo, StoredEvent};
use crate::store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
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

/// What live clients receive: each committed event, then the waiting counts after it.
#[derive(Debug, Clone)]
pub enum Message {
    Event(StoredEvent),
    Counts(Vec<(String, u32)>),
}

/// The queue's single authority. All changes go through `change`, which publishes what they committed.
pub struct Hub {
    store: Mutex<Store>,
    config: Config,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    sender: broadcast::Sender<Message>,
    published: Mutex<i64>,
    logins: LoginGuard,
}

impl Hub {
    pub fn new(store: Store, config: Config, clock: Arc<dyn Clock>, data_dir: PathBuf) -> Result<Arc<Hub>, QueueError> {
        let published = repo::last_event_id(store.conn())?;
        let (sender, _) = broadcast::channel(4096);
        Ok(Arc::new(Hub {
            store: Mutex::new(store),
            config,
            clock,
            data_dir,
            sender,
            published: Mutex::new(published),
            logins: LoginGuard::default(),
        }))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-done change: each change is one transaction.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads under the lock (no events).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Store, &Config, &dyn Clock) -> Result<T, QueueError>,
    ) -> Result<T, QueueError> {
        f(&self.lock(), &self.config, self.clock.as_ref())
    }

    /// Runs a change and publishes the events it committed, in id order, before anyone else can change
    /// anything: live clients see events in the order the database holds them.
    pub fn change<T>(
        &self,
        f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError>,
    ) -> Result<T, QueueError> {
        let mut store = self.lock();
        let result = f(&mut store, &self.config, self.clock.as_ref());
        if let Err(e) = self.publish(&store) {
            tracing::error!(error = %e, "cannot read events to publish");
        }
        result
    }

    fn publish(&self, store: &Store) -> Result<(), QueueError> {
        let mut published = self.published.lock().unwrap_or_else(|e| e.into_inner());
        let mut any = false;
        loop {
            let batch = repo::events_after(store.conn(), *published, 500)?;
            let Some(last) = batch.last() else { break };
            *published = last.id;
            any = true;
            for event in batch {
                // No receivers is fine: nobody is listening.
                let _ = self.sender.send(Message::Event(event));
            }
        }
        if any {
            let day = queue::local_day(self.clock.now());
            let waiting = repo::in_state(store.conn(), &day, "waiting")?;
            let counts = self
                .config
                .services
                .iter()
                .map(|s| (s.code.clone(), waiting.iter().filter(|t| t.service == s.code).count() as u32))
                .collect();
            let _ = self.sender.send(Message::Counts(counts));
        }
        Ok(())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.sender.subscribe()
    }

    /// Voids reservations that never got a print outcome (run on start and every few seconds).
    pub fn void_stale(&self) -> Result<Vec<i64>, QueueError> {
        self.change(|store, config, clock| queue::void_stale(store, config, clock))
    }

    pub fn logins(&self) -> &LoginGuard {
        &self.logins
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

/// The hub in this process is an issuer without a network in between.
impl Issuer for Hub {
    fn reserve(&self, service: &str, priority: Option<&str>) -> Result<Reserved, IssueError> {
        Ok(self.change(|store, config, clock| queue::reserve(store, config, service, priority, clock))?)
    }

    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<String, IssueError> {
        let row =
            self.change(|store, config, clock| queue::record_outcome(store, config, ticket_id, outcome, clock))?;
        Ok(row.state)
    }
}

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
            loop {
                tick.tick().await;
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
        axum::serve(listener, api::router(hub)).await.map_err(HubError::Serve)
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
