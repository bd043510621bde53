//! The hall's link to the province (docs/province.md): a thread that reads the outbox on a read-only
//! connection and posts it in order, in batches, over HTTPS to `[province] url`, trusting only the
//! province's CA. Delivery is at least once; the province stores each (hall, epoch, seq) once. The
//! acknowledgement is saved through the writer without waiting, so pushing never holds up issuing.

use super::Hub;
use crate::app::catalog::Published;
use crate::app::outbox;
use crate::config::Config;
use crate::domain::clock::millis;
use crate::domain::outbox::{Acked, Batch, Pulled, PushedRow};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The most a batch carries, half of what the province accepts.
const BATCH_MAX_BYTES: usize = crate::province::serve::PUSH_MAX_BYTES / 2;

/// How often an unreadable token or CA is read again.
const RELOAD: Duration = Duration::from_secs(30);

/// A hall with nothing new still calls this often, so the province can tell a quiet hall from a cut one.
const HEARTBEAT: Duration = Duration::from_secs(5 * 60);

/// How often the hall's row for phones' pages (its counters open, its typical service) is looked at, and
/// written again when it changed.
const HALL_EVERY: Duration = Duration::from_secs(30);

/// How often the hall asks for ratings given on the province's pages.
const PULL_EVERY: Duration = Duration::from_secs(5);

/// How often an idle link looks for new rows.
const POLL: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("[province]: {0}")]
    Config(String),
    #[error("cannot reach the province at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the province refused the push ({status}): {detail}")]
    Refused { status: u16, detail: String },
}

/// The link as the hub last saw it, for `/healthz`, `/metrics` and the console.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PushStatus {
    /// Whether the hall pushes at all (`[province] url` set).
    pub enabled: bool,
    /// The last sequence written, and the last the province acknowledged.
    pub newest: i64,
    pub acked: i64,
    /// When the oldest row not yet acknowledged was written (ms): the lag is now minus this.
    pub oldest_pending_ms: Option<i64>,
    /// When a push last succeeded (ms).
    pub last_success_ms: Option<i64>,
    /// The last failure, and since when pushes fail (ms); none once one succeeds.
    pub last_error: Option<String>,
    pub failing_since_ms: Option<i64>,
    pub failures: u64,
}

impl PushStatus {
    /// How long the oldest undelivered row has waited (ms), 0 when the province holds everything.
    pub fn lag_ms(&self, now_ms: i64) -> i64 {
        self.oldest_pending_ms.map_or(0, |at| (now_ms - at).max(0))
    }
}

/// One hall's way to the province.
pub struct Link {
    url: String,
    ratings_url: String,
    catalog_url: String,
    bookings_url: String,
    token: String,
    agent: ureq::Agent,
}

impl Link {
    /// From `[province]`: the token file (not readable by every user) and the province's CA.
    pub fn from_config(config: &Config, data_dir: &Path) -> Result<Link, PushError> {
        let p = &config.province;
        let token =
            crate::config::read_secret(&p.token_path(data_dir)).map_err(|e| PushError::Config(e.to_string()))?;
        let trust = crate::tls::Trust::load(&p.ca_path(data_dir))
            .map_err(|e| PushError::Config(format!("province.ca: {e}")))?;
        let base = p.url.trim().trim_end_matches('/');
        Ok(Link {
            url: format!("{base}/api/v1/push"),
            ratings_url: format!("{base}/api/v1/ratings"),
            catalog_url: format!("{base}/api/v1/catalog"),
            bookings_url: format!("{base}/api/v1/bookings"),
            token,
            agent: super::client::agent(Some(&trust)),
        })
    }

    /// Posts one batch; the province's acknowledgement.
    pub fn push(&self, batch: &Batch) -> Result<Acked, PushError> {
        let unreachable = |detail: String| PushError::Unreachable { url: self.url.clone(), detail };
        let mut response = self
            .agent
            .post(&self.url)
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(batch)
            .map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        match status {
            // 409: a gap, with the province's acknowledgement to push from.
            200 | 409 => response.body_mut().read_json().map_err(|e| unreachable(format!("unreadable answer: {e}"))),
            _ => {
                let detail = response.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
                Err(PushError::Refused { status, detail: detail.trim().to_string() })
            }
        }
    }

    /// The ratings given on the province's pages after `after`, telling it the hall holds those up to it.
    pub fn pull(&self, after: i64) -> Result<Pulled, PushError> {
        self.get_after(&self.ratings_url, after)
    }

    /// The bookings made or cancelled at the province after its change number `after`, oldest first.
    pub fn bookings(&self, after: i64) -> Result<Vec<crate::store::booking::Pulled>, PushError> {
        self.get_after(&self.bookings_url, after)
    }

    fn get_after<T: serde::de::DeserializeOwned>(&self, url: &str, after: i64) -> Result<T, PushError> {
        let unreachable = |detail: String| PushError::Unreachable { url: url.to_string(), detail };
        let mut response = self
            .agent
            .get(url)
            .query("after", after.to_string())
            .header("Authorization", &format!("Bearer {}", self.token))
            .call()
            .map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        if status != 200 {
            let detail = response.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
            return Err(PushError::Refused { status, detail: detail.trim().to_string() });
        }
        response
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_json()
            .map_err(|e| unreachable(format!("unreadable answer: {e}")))
    }

    /// The province's catalog, unless its stamp is still `known` (None then), read and checked as a kiosk
    /// checks its hub's: nothing is taken that an import would refuse.
    pub fn catalog(&self, known: Option<&str>) -> Result<Option<(String, Published)>, PushError> {
        let unreachable = |detail: String| PushError::Unreachable { url: self.catalog_url.clone(), detail };
        let mut req = self.agent.get(&self.catalog_url).header("Authorization", &format!("Bearer {}", self.token));
        if let Some(known) = known {
            req = req.header("If-None-Match", known);
        }
        let mut response = req.call().map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        match status {
            304 => Ok(None),
            200 => {
                let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(crate::province::serve::PUSH_MAX_BYTES as u64)
                    .read_to_vec()
                    .map_err(|e| unreachable(e.to_string()))?;
                let published = Published::read(&bytes).map_err(|e| PushError::Refused { status, detail: e })?;
                Ok(Some((etag, published)))
            }
            _ => {
                let detail = response.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
                Err(PushError::Refused { status, detail: detail.trim().to_string() })
            }
        }
    }
}

/// Starts pushing on a thread of its own when `[province] url` is set.
pub fn spawn(hub: Arc<Hub>) {
    if hub.config.province.url.trim().is_empty() {
        return;
    }
    if let Ok(mut status) = hub.push.lock() {
        status.enabled = true;
    }
    let started = std::thread::Builder::new().name("province-push".into()).spawn(move || run(&hub));
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start pushing to the province");
    }
}

fn run(hub: &Arc<Hub>) {
    // Without a readable token or CA nothing is pushed, but the lag is still kept for /healthz, and the
    // files are read again every half minute, so that a technician's fix needs no restart.
    let mut link: Option<Link> = None;
    let mut next_load = std::time::Instant::now();
    let mut rows_per_push = hub.config.province.batch_rows as usize;
    let retry_max = Duration::from_secs(u64::from(hub.config.province.retry_max_s));
    // What the province holds, as far as this thread knows: first what the database last recorded.
    let mut after: Option<i64> = None;
    let mut failures = 0u32;
    let mut last_contact: Option<std::time::Instant> = None;
    // Where a restored database's history branches: written by `motcua restore` while no hub runs, so read
    // once.
    let parent = loop {
        match hub.read(|store, _, _| Ok(outbox::branch(store)?)) {
            Ok(parent) => break parent,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the outbox");
                std::thread::sleep(Duration::from_secs(5));
            }
        }
    };
    let mut hall = Hall { written: None, next: std::time::Instant::now() };
    let mut ratings = Ratings { after: 0, next: std::time::Instant::now() };
    let mut catalog = ProvinceCatalog { stamp: None, next: std::time::Instant::now() };
    let mut bookings = Bookings { after: None, next: std::time::Instant::now() };
    loop {
        hall.note(hub);
        let known = after;
        let read = hub.read(move |store, _, _| {
            let delivery = outbox::delivery(store)?;
            let from = known.unwrap_or(delivery.acked);
            let rows = outbox::pending(store, from, rows_per_push)?;
            let oldest = rows.first().map(|r| r.at_ms);
            Ok((from, rows, delivery.newest, oldest))
        });
        let (from, rows, newest, oldest) = match read {
            Ok(read) => read,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the outbox");
                std::thread::sleep(retry_max.min(Duration::from_secs(5)));
                continue;
            }
        };
        hub.note_push(|s| {
            s.newest = newest;
            s.acked = from;
            s.oldest_pending_ms = oldest;
        });
        if link.is_none() && std::time::Instant::now() >= next_load {
            match Link::from_config(&hub.config, &hub.data_dir) {
                Ok(loaded) => link = Some(loaded),
                Err(e) => {
                    tracing::error!(error = %e, "the hall cannot push to the province");
                    let now = millis(hub.clock.now());
                    hub.note_push(|s| {
                        s.last_error = Some(e.to_string());
                        s.failing_since_ms.get_or_insert(now);
                    });
                    next_load = std::time::Instant::now() + RELOAD;
                }
            }
        }
        let Some(link) = &link else {
            std::thread::sleep(POLL * 5);
            continue;
        };
        ratings.pull(hub, link);
        catalog.pull(hub, link);
        if hub.config.booking.enabled {
            bookings.pull(hub, link);
        }
        let due = last_contact.is_none_or(|t| t.elapsed() >= HEARTBEAT);
        if rows.is_empty() && !due {
            after = Some(from);
            std::thread::sleep(POLL);
            continue;
        }
        // A batch stays well within what the province reads in one push, whatever its procedures weigh.
        let mut bytes = 0;
        let fit = rows.iter().position(|r| {
            bytes += r.body.len() + 64;
            bytes > BATCH_MAX_BYTES
        });
        let rows: Vec<PushedRow> = rows
            .into_iter()
            .take(fit.unwrap_or(usize::MAX).max(1))
            .map(|r| PushedRow {
                seq: r.seq,
                kind: r.kind,
                at_ms: r.at_ms,
                body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            })
            .collect();
        let batch = Batch { epoch: hub.epoch.clone(), after: from, parent: parent.clone(), rows };
        match link.push(&batch) {
            Ok(Acked { acked, gap: false }) => {
                failures = 0;
                last_contact = Some(std::time::Instant::now());
                after = Some(acked);
                let now = millis(hub.clock.now());
                hub.change_later("the province's acknowledgement", move |store| {
                    Ok(outbox::delivered(store, acked, now)?)
                });
                hub.note_push(|s| {
                    s.acked = acked;
                    s.last_success_ms = Some(now);
                    s.last_error = None;
                    s.failing_since_ms = None;
                });
            }
            Ok(Acked { acked, gap: true }) => {
                // The province holds less than the hall thought (its database was put back): push again
                // from what it holds, with whatever rows the hall still keeps.
                tracing::warn!(acked, from, "the province holds fewer rows than acknowledged; pushing them again");
                after = Some(acked);
            }
            Err(PushError::Refused { status: 413, .. }) if rows_per_push > 1 => {
                rows_per_push /= 2;
                tracing::warn!(rows_per_push, "the province takes fewer rows in a push; sending fewer");
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = Duration::from_secs(1u64 << failures.min(12).saturating_sub(1)).min(retry_max);
                if failures == 1 || failures.is_power_of_two() {
                    tracing::warn!(error = %e, failures, retry_in_s = wait.as_secs(), "cannot push to the province");
                }
                let now = millis(hub.clock.now());
                hub.note_push(|s| {
                    s.last_error = Some(e.to_string());
                    s.failing_since_ms.get_or_insert(now);
                    s.failures += 1;
                });
                std::thread::sleep(wait);
            }
        }
    }
}

/// The hall's row for the province's phone pages, written when it differs from the last one written.
struct Hall {
    written: Option<String>,
    next: std::time::Instant,
}

impl Hall {
    fn note(&mut self, hub: &Arc<Hub>) {
        if std::time::Instant::now() < self.next {
            return;
        }
        self.next = std::time::Instant::now() + HALL_EVERY;
        let now = millis(hub.clock.now());
        let body = match hub.read(move |store, config, _| outbox::hall(store, config, now)) {
            Ok(body) => body,
            Err(e) => return tracing::warn!(error = %e, "cannot read the hall's state for the province"),
        };
        if self.written.as_ref() != Some(&body) {
            self.written = Some(body.clone());
            hub.change_later("the hall's row for the province", move |store| Ok(outbox::note_hall(store, &body, now)?));
        }
    }
}

/// Ratings given on the province's pages of the hall's tickets, pulled every few seconds and rated here as
/// the hall's own phone page rates them. `after` starts at 0 with each start of the hub: the province hands
/// again what it was not told the hall holds, and rating the same again changes nothing.
struct Ratings {
    after: i64,
    next: std::time::Instant,
}

impl Ratings {
    fn pull(&mut self, hub: &Arc<Hub>, link: &Link) {
        if std::time::Instant::now() < self.next {
            return;
        }
        self.next = std::time::Instant::now() + PULL_EVERY;
        let pulled = match link.pull(self.after) {
            Ok(pulled) => pulled,
            Err(e) => return tracing::debug!(error = %e, "cannot pull ratings from the province"),
        };
        let any = !pulled.ratings.is_empty();
        for r in pulled.ratings {
            let Some(level) = crate::domain::rating::Level::parse(&r.level) else {
                tracing::warn!(level = %r.level, "a rating from the province has no known level; skipped");
                self.after = self.after.max(r.id);
                continue;
            };
            let sent = crate::app::rating::Sent { level, reasons: r.reasons, complaint: r.complaint };
            let token = r.token.clone();
            let rated = hub.change(move |store, config, clock| {
                Ok(crate::app::rating::rate_from_province(store, config, &token, sent, clock))
            });
            match rated {
                Ok(Ok(_)) => {}
                // Refused by the hall's rules (a change too late, a ticket restored away): said once, and
                // not asked for again.
                Ok(Err(e)) => tracing::warn!(error = %e, "a rating from the province was refused"),
                Err(e) => return tracing::error!(error = %e, "cannot record a rating from the province"),
            }
            self.after = self.after.max(r.id);
        }
        // The next pull, at once, tells the province the hall has these (and takes any more).
        if any {
            self.next = std::time::Instant::now();
        }
    }
}

/// The province's catalog, asked for every `[province] catalog_pull_s` and applied when its stamp moved
/// (`app::catalog::province`). The stamp is kept in memory: after a restart the catalog is applied once
/// more, which changes nothing that is already so.
struct ProvinceCatalog {
    stamp: Option<String>,
    next: std::time::Instant,
}

impl ProvinceCatalog {
    fn pull(&mut self, hub: &Arc<Hub>, link: &Link) {
        if std::time::Instant::now() < self.next {
            return;
        }
        self.next = std::time::Instant::now() + Duration::from_secs(u64::from(hub.config.province.catalog_pull_s));
        let (stamp, published) = match link.catalog(self.stamp.as_deref()) {
            Ok(Some(pulled)) => pulled,
            Ok(None) => return,
            Err(e) => return tracing::warn!(error = %e, "cannot pull the province's catalog"),
        };
        let applied =
            hub.change(move |store, _, clock| Ok(crate::app::catalog::province::apply(store, &published, clock)?));
        match applied {
            Ok(a) => {
                if !a.taken.is_empty() || !a.retired.is_empty() || !a.kept.is_empty() {
                    tracing::info!(
                        taken = a.taken.len(),
                        retired = a.retired.len(),
                        kept = a.kept.len(),
                        "the province's catalog applied"
                    );
                }
                self.stamp = Some(stamp).filter(|s| !s.is_empty());
            }
            Err(e) => tracing::error!(error = %e, "the province's catalog could not be applied; asked again later"),
        }
    }
}

/// Bookings made and cancelled at the province, pulled every few seconds into the hall's copy, which
/// check-in reads (and keeps reading while the WAN is down). Where a pull starts is kept in the database
/// with the bookings.
struct Bookings {
    after: Option<i64>,
    next: std::time::Instant,
}

impl Bookings {
    fn pull(&mut self, hub: &Arc<Hub>, link: &Link) {
        if std::time::Instant::now() < self.next {
            return;
        }
        self.next = std::time::Instant::now() + PULL_EVERY;
        let after = match self.after {
            Some(after) => after,
            None => match hub.read(|store, _, _| crate::app::booking::pulled_rev(store)) {
                Ok(after) => after,
                Err(e) => return tracing::error!(error = %e, "cannot read where the bookings' pull stopped"),
            },
        };
        let pulled = match link.bookings(after) {
            Ok(pulled) => pulled,
            Err(e) => return tracing::debug!(error = %e, "cannot pull bookings from the province"),
        };
        let Some(rev) = pulled.iter().map(|b| b.rev).max() else {
            self.after = Some(after);
            return;
        };
        let count = pulled.len();
        match hub.change(move |store, _, _| crate::app::booking::keep_pulled(store, &pulled)) {
            Ok(()) => {
                tracing::info!(count, rev, "bookings pulled from the province");
                self.after = Some(rev);
                // More may wait: asked again at once.
                self.next = std::time::Instant::now();
            }
            Err(e) => tracing::error!(error = %e, "cannot keep the bookings pulled; asked again later"),
        }
    }
}
