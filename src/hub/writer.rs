//! The hub's single writer: requests queue up, and whatever queued while the disk was busy runs in one
//! transaction (each request in its own savepoint, so a refused one undoes only itself), is committed
//! with one fsync, and only then answered; the new events are then published in id order. A batch that
//! SQLite cannot finish (disk full, I/O error) fails as one: nothing of it stays, and every request in it
//! hears a retryable error.

use super::Message;
use crate::app::queue::{self, QueueError};
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Delivers a job's result once its batch is committed, or the reason the batch failed.
pub(super) type Deliver = Box<dyn FnOnce(Option<Failed>) + Send>;

/// Why a batch failed as a whole (nothing of it stayed).
#[derive(Debug, Clone)]
pub(super) enum Failed {
    /// The disk (or `[hub] database_max_mib`) is full: every change is refused until space is freed.
    Full,
    /// Anything else SQLite could not finish; the same request may simply be sent again.
    Broken(String),
}

/// A job runs on the store and says whether it broke the batch; given `None` it is told its batch
/// failed before it ran.
pub(super) type Job = Box<dyn for<'a> FnOnce(Option<(&'a mut Store, &'a Config, &'a dyn Clock)>) -> Ran + Send>;

pub(super) struct Ran {
    pub deliver: Deliver,
    /// SQLite failed in a way that may have undone the whole transaction.
    pub broke: Option<Failed>,
}

/// Most requests committed together with one fsync.
const BATCH: usize = 256;

/// How often waiting counts go out while changes keep coming.
const COUNTS_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Wraps a change and its reply into a job.
pub(super) fn job<T: Send + 'static>(
    f: impl FnOnce(&mut Store, &Config, &dyn Clock) -> Result<T, QueueError> + Send + 'static,
    reply: impl FnOnce(Result<T, QueueError>) + Send + 'static,
) -> Job {
    Box::new(move |on| {
        let Some((store, config, clock)) = on else {
            return Ran { deliver: Box::new(move |why| reply(Err(refused(why)))), broke: None };
        };
        let result = f(store, config, clock).map_err(|e| match e {
            QueueError::Store(e) if e.is_full() => QueueError::Full,
            e => e,
        });
        let broke = match &result {
            Err(QueueError::Full) => Some(Failed::Full),
            Err(QueueError::Store(e)) if breaks_transaction(e) => {
                Some(Failed::Broken("the database could not save this batch of changes".into()))
            }
            _ => None,
        };
        Ran {
            deliver: Box::new(move |failed| {
                reply(match failed {
                    Some(why) => Err(refused(Some(why))),
                    None => result,
                })
            }),
            broke,
        }
    })
}

fn refused(why: Option<Failed>) -> QueueError {
    match why {
        Some(Failed::Full) => QueueError::Full,
        Some(Failed::Broken(why)) => QueueError::Retry(why),
        None => QueueError::Retry("the batch this change was in failed".into()),
    }
}

/// SQLite errors after which the transaction may already be rolled back (SQLite's own list).
fn breaks_transaction(e: &StoreError) -> bool {
    use rusqlite::ErrorCode::*;
    let StoreError::Sqlite(e) = e else { return false };
    matches!(
        e.sqlite_error_code(),
        Some(DiskFull | SystemIoFailure | DatabaseBusy | OutOfMemory | DatabaseCorrupt | ReadOnly | CannotOpen)
    )
}

pub(super) struct Writer {
    pub store: Store,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub sender: broadcast::Sender<Message>,
    /// The latest event sent, shared with readers: set before the events are sent, so a client that has
    /// heard of an event and then reads a view gets one that holds it (views.rs).
    pub published: Arc<std::sync::atomic::AtomicI64>,
    pub counts_due: bool,
    pub counts_sent: std::time::Instant,
    pub metrics: Arc<super::metrics::Metrics>,
    /// When changes began to fail for want of space (ms), 0 while they are saved.
    pub full_since: Arc<std::sync::atomic::AtomicI64>,
}

impl Writer {
    pub fn run(mut self, rx: std::sync::mpsc::Receiver<Job>) {
        use std::sync::mpsc::RecvTimeoutError;
        loop {
            let first = match rx.recv_timeout(COUNTS_EVERY) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    // Another process may have written events (a catalog import, `motcua clock accept`):
                    // live clients hear of them within this wait.
                    if let Err(e) = self.publish_foreign() {
                        tracing::error!(error = %e, "cannot read events to publish");
                    }
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
            let started = std::time::Instant::now();
            let failed = self.run_batch(batch);
            self.metrics.batch(started.elapsed(), failed.first().is_some_and(|(_, why)| why.is_some()));
            if let Err(e) = self.publish() {
                tracing::error!(error = %e, "cannot read events to publish");
            }
            self.send_counts_if_due(false);
            for (deliver, why) in failed {
                deliver(why);
            }
        }
    }

    /// Runs one batch; returns each request's delivery with the batch's failure, if any.
    fn run_batch(&mut self, batch: Vec<Job>) -> Vec<(Deliver, Option<Failed>)> {
        // Without an outer transaction (BEGIN failed) each change still commits on its own.
        let grouped = self.store.begin_batch().is_ok();
        let mut deliveries = Vec::with_capacity(batch.len());
        let mut broken: Option<Failed> = None;
        for job in batch {
            if broken.is_some() {
                deliveries.push(job(None).deliver);
                continue;
            }
            let (store, config, clock) = (&mut self.store, self.config.as_ref(), self.clock.as_ref());
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || job(Some((store, config, clock))))) {
                Ok(ran) => {
                    // SQLite may have rolled the whole transaction back: what follows would commit on its
                    // own, and what came before is gone.
                    if grouped && (ran.broke.is_some() || !self.store.in_batch()) {
                        broken = Some(ran.broke.unwrap_or_else(|| {
                            Failed::Broken("the database could not save this batch of changes".into())
                        }));
                    }
                    deliveries.push(ran.deliver);
                }
                // Its savepoint was rolled back while unwinding; its caller hears that the writer failed.
                Err(_) => tracing::error!("a hub request failed unexpectedly; its change was undone"),
            }
        }
        let failure = match (grouped, broken) {
            (false, _) => None,
            (true, Some(why)) => {
                tracing::error!(requests = deliveries.len(), "a batch failed; every change in it was undone");
                self.store.rollback_batch();
                Some(why)
            }
            (true, None) => self.store.commit_batch().err().map(|e| {
                tracing::error!(error = %e, "commit failed; the batch was rolled back");
                if e.is_full() {
                    Failed::Full
                } else {
                    Failed::Broken(format!("the change was not saved: {e}"))
                }
            }),
        };
        self.note_full(&failure);
        deliveries.into_iter().map(|d| (d, failure.clone())).collect()
    }

    /// Keeps when the disk filled, for /healthz, `doctor` and the console; a batch that commits while the
    /// database has room again clears it (nothing else is needed to recover: each batch tries the disk
    /// again).
    fn note_full(&self, failure: &Option<Failed>) {
        use std::sync::atomic::Ordering::SeqCst;
        match failure {
            Some(Failed::Full) if self.full_since.load(SeqCst) == 0 => {
                tracing::error!("the disk is full: changes are refused until space is freed");
                self.full_since.store(crate::domain::clock::millis(self.clock.now()).max(1), SeqCst);
            }
            None if self.full_since.load(SeqCst) != 0 && self.store.has_room() => {
                tracing::info!("space was freed: changes are saved again");
                self.full_since.store(0, SeqCst);
            }
            _ => {}
        }
    }

    /// Sends the committed events not yet sent, in id order.
    fn publish(&mut self) -> Result<(), QueueError> {
        loop {
            let after = self.published.load(std::sync::atomic::Ordering::SeqCst);
            let (batch, _) = queue::events_after(&self.store, after, 500)?;
            let Some(last) = batch.last() else { break };
            self.published.store(last.id, std::sync::atomic::Ordering::SeqCst);
            self.counts_due = true;
            for event in batch {
                self.metrics.event(event.kind.as_str());
                // No receivers is fine: nobody is listening.
                let _ = self.sender.send(Message::Event(event));
            }
        }
        Ok(())
    }

    /// Publishes what other processes wrote since the last publish; one small read when there is none.
    fn publish_foreign(&mut self) -> Result<(), QueueError> {
        let last = crate::app::views::last_event_id(&self.store)?;
        if last > self.published.load(std::sync::atomic::Ordering::SeqCst) {
            self.publish()?;
        }
        Ok(())
    }

    /// Sends the people waiting per service after changes: at most every `COUNTS_EVERY` while changes
    /// keep coming (counting a long line costs more than a call), and as soon as they pause.
    fn send_counts_if_due(&mut self, idle: bool) {
        if !self.counts_due || (!idle && self.counts_sent.elapsed() < COUNTS_EVERY) {
            return;
        }
        match queue::waiting_counts(&self.store, &self.config, self.clock.as_ref()) {
            Ok(counts) => {
                let _ = self.sender.send(Message::Counts(counts));
            }
            Err(e) => tracing::error!(error = %e, "cannot count waiting tickets"),
        }
        self.counts_due = false;
        self.counts_sent = std::time::Instant::now();
    }
}
