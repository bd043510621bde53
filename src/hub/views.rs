//! The hall's read models, computed once and shared: the snapshot and the service list are what boards,
//! consoles, kiosks and phones ask for most, and a flood of them must not cost a flood of queries or of
//! serialisations. Each is kept with what it depends on (the latest event id, the minute shown in waits,
//! the logins), with its JSON made once, and computed again by one reader, the others waiting for it,
//! when one of those moves:
//! - every change made through this hub shows at once: a view older than the latest event the writer has
//!   published is never served, so a console that hears of an event and then reads the snapshot finds
//!   the event in it (it redraws from the snapshot);
//! - a change written by another process (`motcua clock accept`, a command on the same file) shows within
//!   `hub.views_max_age_ms`, after which the database is asked again.
//!
//! A flood of reads thus costs one computation per change, however many clients ask.

use super::Hub;
use crate::app::queue::{self, QueueError, ServiceView, Snapshot};
use crate::domain::clock::millis;
use crate::store::Store;
use axum::body::Bytes;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// What a read model depends on: the latest event, the minute (waits are shown in minutes, hours open
/// and close), and the generation of logins (a counter logging in opens it for the estimate).
type Key = (i64, i64, u64);

/// A read model, computed once, with its JSON made on first use.
pub struct View<T> {
    value: T,
    json: OnceLock<Option<Bytes>>,
}

impl<T: serde::Serialize> View<T> {
    fn new(value: T) -> View<T> {
        View { value, json: OnceLock::new() }
    }

    /// The model as JSON, serialised once however many clients ask (`None` if it cannot be).
    pub fn json(&self) -> Option<Bytes> {
        self.json.get_or_init(|| serde_json::to_vec(&self.value).ok().map(Bytes::from)).clone()
    }
}

impl<T> std::ops::Deref for View<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A read model with what it was computed from and when.
struct Kept<T> {
    key: Key,
    at: Instant,
    view: Arc<View<T>>,
}

#[derive(Default)]
pub(super) struct Views {
    snapshot: Option<Kept<Snapshot>>,
    services: Option<Kept<Vec<ServiceView>>>,
}

impl Hub {
    fn view_key(&self, store: &Store) -> Result<Key, QueueError> {
        let minute = millis(self.clock.now()).div_euclid(60_000);
        Ok((queue::last_event_id(store)?, minute, self.logins_changed.load(Ordering::SeqCst)))
    }

    /// Says that a login or logout changed who is at the counters.
    pub fn logins_changed(&self) {
        self.logins_changed.fetch_add(1, Ordering::SeqCst);
    }

    /// The whole hall now, or a moment ago (blocking: call off the async threads).
    pub fn snapshot(&self) -> Result<Arc<View<Snapshot>>, QueueError> {
        self.kept(|v| &mut v.snapshot, queue::snapshot)
    }

    /// The services with their lines and waits now, or a moment ago (blocking).
    pub fn services(&self) -> Result<Arc<View<Vec<ServiceView>>>, QueueError> {
        self.kept(|v| &mut v.services, queue::services)
    }

    /// How many times a view was computed (not served from the kept one).
    pub fn views_computed(&self) -> u64 {
        self.views_computed.load(Ordering::SeqCst)
    }

    /// A read model as kept in `slot`, or computed on a reader and kept when what it depends on moved.
    fn kept<T: serde::Serialize + Send + Sync + 'static>(
        &self,
        slot: fn(&mut Views) -> &mut Option<Kept<T>>,
        compute: fn(&Store, &crate::config::Config, &dyn crate::domain::clock::Clock) -> Result<T, QueueError>,
    ) -> Result<Arc<View<T>>, QueueError> {
        let Some(readers) = &self.readers else {
            // In memory (tests, tools) there is no reader to keep views for.
            return Ok(Arc::new(View::new(self.read(move |store, config, clock| compute(store, config, clock))?)));
        };
        let views = || self.views.lock().unwrap_or_else(|e| e.into_inner());
        let max_age = Duration::from_millis(u64::from(self.config.hub.views_max_age_ms));
        let fresh = || {
            let minute = millis(self.clock.now()).div_euclid(60_000);
            let (published, logins) =
                (self.published.load(Ordering::SeqCst), self.logins_changed.load(Ordering::SeqCst));
            slot(&mut views())
                .as_ref()
                .filter(|k| k.key.0 >= published && k.key.1 == minute && k.key.2 == logins && k.at.elapsed() < max_age)
                .map(|k| k.view.clone())
        };
        if let Some(view) = fresh() {
            return Ok(view);
        }
        // One reader computes; the others wait for it and take what it kept.
        let _computing = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(view) = fresh() {
            return Ok(view);
        }
        readers.read(|store| {
            let key = self.view_key(store)?;
            if let Some(kept) = slot(&mut views()).as_mut().filter(|k| k.key == key) {
                kept.at = Instant::now();
                return Ok(kept.view.clone());
            }
            self.views_computed.fetch_add(1, Ordering::SeqCst);
            let view = Arc::new(View::new(compute(store, &self.config, self.clock.as_ref())?));
            *slot(&mut views()) = Some(Kept { key, at: Instant::now(), view: view.clone() });
            Ok(view)
        })
    }
}
