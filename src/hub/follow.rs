//! A kiosk follows the published catalog, so that what staff publish shows without a restart. A kiosk
//! with its own hub hears each publish on the hub's broadcast and reads the catalog again from the
//! database; a kiosk on another machine follows the hub's event stream, loads the catalog from
//! `GET /api/v1/catalog` (only when its stamp moved), and keeps a copy for the days the hub is away. The
//! search index is built on the follower's thread, never on the UI thread.

use super::client::RemoteHub;
use super::feed::{Feed, Update};
use super::{Hub, Message};
use crate::app::catalog::{Catalog, Published};
use crate::domain::search::Synonyms;
use crate::domain::ticket::EventKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a kiosk's catalog comes from.
pub enum Follow {
    /// The hub runs in this process.
    Local(Arc<Hub>),
    /// A hub on another machine.
    Remote(Box<Remote>),
}

pub struct Remote {
    pub feed: Feed,
    pub hub: RemoteHub,
    /// The copy kept of the last catalog loaded from the hub.
    pub copy: PathBuf,
}

/// A catalog as loaded, and the stamp it was loaded at (empty for one read from a database).
pub struct Loaded {
    pub stamp: String,
    pub catalog: Catalog,
}

impl Remote {
    /// What a remote kiosk starts with: the hub's catalog (and a fresh copy of it), else the copy kept the
    /// last time. None when there is neither; the log says why.
    pub fn load(&self, synonyms: &Synonyms) -> Option<Loaded> {
        match self.fetch(None, synonyms) {
            Ok(Some(loaded)) => return Some(loaded),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "the hub's catalog could not be loaded; using the copy kept"),
        }
        match read_copy(&self.copy) {
            Ok(published) => Some(Loaded { stamp: published.stamp.clone(), catalog: published.into_catalog(synonyms) }),
            Err(e) => {
                tracing::warn!(error = %e, copy = %self.copy.display(), "no copy of the hub's catalog");
                None
            }
        }
    }

    /// The hub's catalog when its stamp is not `known`; kept as the copy before it is used.
    fn fetch(&self, known: Option<&str>, synonyms: &Synonyms) -> Result<Option<Loaded>, String> {
        let Some((stamp, bytes)) = self.hub.catalog(known).map_err(|e| e.to_string())? else { return Ok(None) };
        let published = Published::read(&bytes)?;
        if let Err(e) = keep(&self.copy, &bytes) {
            tracing::warn!(error = %e, copy = %self.copy.display(), "the copy of the hub's catalog was not kept");
        }
        let stamp = if stamp.is_empty() { published.stamp.clone() } else { stamp };
        Ok(Some(Loaded { stamp, catalog: published.into_catalog(synonyms) }))
    }
}

fn read_copy(path: &Path) -> Result<Published, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Published::read(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the copy whole or not at all: a power cut leaves the previous copy.
fn keep(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, path)
}

/// What a kiosk follows, with the synonyms its search uses and the stamp of the catalog it started with
/// (a remote kiosk's, so that an unchanged catalog is not loaded again).
pub struct Following {
    pub follow: Follow,
    pub synonyms: Synonyms,
    pub stamp: String,
}

/// Follows on a thread of its own until the process ends; `deliver` gets every newly published catalog.
pub fn start(following: Following, deliver: impl Fn(Catalog) + Send + 'static) {
    let Following { follow, synonyms, stamp } = following;
    let deliver = move |loaded: Loaded| deliver(loaded.catalog);
    let run = move || match follow {
        Follow::Local(hub) => local(&hub, &synonyms, &deliver),
        Follow::Remote(remote) => remote_loop(&remote, &synonyms, stamp, &deliver),
    };
    if let Err(e) = std::thread::Builder::new().name("catalog-follow".into()).spawn(run) {
        tracing::error!(error = %e, "cannot follow the catalog; a publish shows after a restart");
    }
}

fn local(hub: &Arc<Hub>, synonyms: &Synonyms, deliver: &impl Fn(Loaded)) {
    use tokio::sync::broadcast::error::RecvError;
    let mut events = hub.subscribe();
    loop {
        let published = match events.blocking_recv() {
            Ok(Message::Event(e)) => e.kind == EventKind::CatalogPublished,
            Ok(_) => false,
            // Events were missed while busy: one of them may have been a publish.
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => return,
        };
        if !published {
            continue;
        }
        let syn = synonyms.clone();
        match hub.read(move |store, _, _| Ok(Catalog::load(store, &syn)?)) {
            Ok(catalog) => deliver(Loaded { stamp: String::new(), catalog }),
            Err(e) => {
                tracing::error!(error = %e, "the published catalog could not be read; the kiosk keeps the one it has")
            }
        }
    }
}

fn remote_loop(remote: &Remote, synonyms: &Synonyms, mut stamp: String, deliver: &impl Fn(Loaded)) {
    remote.feed.run(|update| {
        // On every (re)connection too: a publish made while the link was down is not missed.
        let look = match &update {
            Update::Snapshot(_) => true,
            Update::Event(e) => e.kind == EventKind::CatalogPublished,
            _ => false,
        };
        if look {
            let known = Some(stamp.as_str()).filter(|s| !s.is_empty());
            match remote.fetch(known, synonyms) {
                Ok(Some(loaded)) => {
                    stamp = loaded.stamp.clone();
                    deliver(loaded);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "the published catalog could not be loaded; the kiosk keeps the one it has"),
            }
        }
        true
    });
}
