//! The hall's read models, computed once per change: the snapshot and the service list are what boards,
//! consoles, kiosks and phones ask for most, and a flood of them must not cost a flood of queries. Each is
//! kept with what it depends on (the latest event id, the minute shown in waits, the logins), and computed
//! again only when one of those moves.

use super::Hub;
use crate::app::queue::{self, QueueError, ServiceView, Snapshot};
use crate::store::queue as repo;
use crate::store::Store;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What a read model depends on: the latest event, the minute (waits are shown in minutes, hours open
/// and close), and the generation of logins (a counter logging in opens it for the estimate).
type Key = (i64, i64, u64);

/// A read model with what it was computed from.
type Kept<T> = Option<(Key, Arc<T>)>;

#[derive(Default)]
pub(super) struct Views {
    snapshot: Kept<Snapshot>,
    services: Kept<Vec<ServiceView>>,
}

impl Hub {
    fn view_key(&self, store: &Store) -> Result<Key, QueueError> {
        let minute = queue::millis(self.clock.now()).div_euclid(60_000);
        Ok((repo::last_event_id(store.conn())?, minute, self.logins_changed.load(Ordering::SeqCst)))
    }

    /// Says that a login or logout changed who is at the counters.
    pub fn logins_changed(&self) {
        self.logins_changed.fetch_add(1, Ordering::SeqCst);
    }

    /// The whole hall now (blocking: call off the async threads).
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, QueueError> {
        self.kept(|v| &mut v.snapshot, queue::snapshot)
    }

    /// The services with their lines and waits now (blocking).
    pub fn services(&self) -> Result<Arc<Vec<ServiceView>>, QueueError> {
        self.kept(|v| &mut v.services, queue::services)
    }

    /// A read model as kept in `slot`, or computed on a reader and kept when what it depends on moved.
    fn kept<T: Send + Sync + 'static>(
        &self,
        slot: fn(&mut Views) -> &mut Kept<T>,
        compute: fn(&Store, &crate::config::Config, &dyn crate::domain::clock::Clock) -> Result<T, QueueError>,
    ) -> Result<Arc<T>, QueueError> {
        let Some(readers) = &self.readers else {
            // In memory (tests, tools) there is no reader to keep views for.
            return Ok(Arc::new(self.read(move |store, config, clock| compute(store, config, clock))?));
        };
        readers.read(|store| {
            let key = self.view_key(store)?;
            let views = || self.views.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, kept)) = slot(&mut views()).as_ref().filter(|(k, _)| *k == key) {
                return Ok(kept.clone());
            }
            let fresh = Arc::new(compute(store, &self.config, self.clock.as_ref())?);
            *slot(&mut views()) = Some((key, fresh.clone()));
            Ok(fresh)
        })
    }
}
