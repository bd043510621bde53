//! The outbox as the hall's hub keeps it (docs/province.md): rows to push in order, the printers' health
//! written when it changes, and the sweep that keeps the table small once rows are delivered.

use crate::app::health::PrinterHealth;
use crate::app::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{millis, Clock};
use crate::domain::outbox::Branch;
pub use crate::store::outbox::Delivery;
use crate::store::outbox::{self as repo, OutboxRow};
use crate::store::{Store, StoreError};

/// Delivered rows are kept this long (for a look at what left the hall), then deleted.
pub const KEEP_DELIVERED_DAYS: i64 = 7;
/// Rows never delivered are kept this long: a hall cut off from the province for longer than this loses
/// its oldest undelivered rows to the sweep, which logs how many.
pub const KEEP_UNDELIVERED_DAYS: i64 = 90;

/// The printers' health for the province: each device's state, unconfirmed jobs and when; the messages
/// (words the program writes) stay in the hall.
pub fn note_printers(store: &mut Store, printers: &[PrinterHealth], at_ms: i64) -> Result<(), StoreError> {
    let list: Vec<serde_json::Value> = printers
        .iter()
        .map(|p| {
            serde_json::json!({ "device": p.device, "state": p.state, "unconfirmed": p.unconfirmed, "at_ms": p.at_ms })
        })
        .collect();
    let body = serde_json::json!({ "printers": list }).to_string();
    let tx = store.change()?;
    repo::insert(&tx, "printer_health", at_ms, &body)?;
    tx.commit()?;
    Ok(())
}

/// The daily backup's state for the province: when the last copy was taken, and since when copies fail
/// (the message, with its paths, stays in the hall).
pub fn note_backup(
    store: &mut Store,
    last_ms: Option<i64>,
    failed_ms: Option<i64>,
    at_ms: i64,
) -> Result<(), StoreError> {
    let body = serde_json::json!({ "last_ms": last_ms, "failed_ms": failed_ms }).to_string();
    let tx = store.change()?;
    repo::insert(&tx, "backup", at_ms, &body)?;
    tx.commit()?;
    Ok(())
}

/// What a phone's page at the province says about the hall (the row `hall`): its name and address, each
/// service's names, the counters open for it and the minutes a service typically takes (as the hall's own
/// estimate has them, to the half minute), its counters' names, and its rating's reason chips and the
/// minutes a rating may be changed (the province's page asks for a rating as the hall's does). The push
/// thread writes it when it changed (`note_hall`).
pub fn hall(store: &Store, config: &Config, now_ms: i64) -> Result<String, QueueError> {
    let conn = store.conn();
    let mut services = Vec::new();
    for s in &config.services {
        let open = super::queue::open_counters(conn, config, &s.code, now_ms)?;
        let typical = (super::queue::typical(conn, config, &s.code)? * 2.0).round() / 2.0;
        services.push(serde_json::json!({
            "code": s.code, "name_vi": s.name_vi, "name_en": s.name_en, "open": open, "typical_min": typical,
        }));
    }
    let counters: Vec<serde_json::Value> =
        config.counters.iter().map(|c| serde_json::json!({ "number": c.number, "name": c.name })).collect();
    let c = &config.center;
    let booking = match config.booking.enabled {
        true => {
            // A calendar that cannot be read was refused at start (and on the admin page); the built-in
            // years stand in.
            let calendar = crate::app::dossier::calendar_stored(config, store)
                .or_else(|_| crate::app::dossier::calendar(config))
                .unwrap_or_default();
            let now = crate::domain::clock::instant(now_ms).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            super::booking::offer(config, &calendar, now)
        }
        false => serde_json::json!({ "enabled": false }),
    };
    Ok(serde_json::json!({
        "name": c.name, "address": c.address, "hours": c.hours, "phone": c.phone,
        "services": services, "counters": counters,
        "rating_reasons": config.ratings.reasons, "rating_change_minutes": config.ratings.change_minutes,
        "booking": booking,
    })
    .to_string())
}

/// Writes the hall's row (`hall`) for the province.
pub fn note_hall(store: &mut Store, body: &str, at_ms: i64) -> Result<(), StoreError> {
    let tx = store.change()?;
    repo::insert(&tx, "hall", at_ms, body)?;
    tx.commit()?;
    Ok(())
}

/// Up to `limit` rows after `after`, in the hall's order.
pub fn pending(store: &Store, after: i64, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
    repo::after(store.conn(), after, limit)
}

/// How far delivery is behind: the last sequence given and the last the province acknowledged.
pub fn lag(store: &Store) -> Result<(i64, i64), StoreError> {
    Ok((repo::newest(store.conn())?, repo::acked(store.conn())?))
}

/// Delivery as the database records it.
pub fn delivery(store: &Store) -> Result<Delivery, StoreError> {
    repo::delivery(store.conn())
}

/// Where this database's history branches from (after a restore), for the province.
pub fn branch(store: &Store) -> Result<Option<Branch>, StoreError> {
    repo::branch(store.conn())
}

/// Records the province's acknowledgement of every row up to `seq`, at `at_ms`.
pub fn delivered(store: &mut Store, seq: i64, at_ms: i64) -> Result<(), StoreError> {
    let tx = store.change()?;
    if seq >= repo::acked(&tx)? {
        repo::set_acked(&tx, seq, at_ms)?;
    }
    tx.commit()?;
    Ok(())
}

/// Notes, in a database just put back from a backup taken under `parent_epoch`, where its history
/// branches: at its last row. Called before the database gets its new epoch.
pub fn note_branch(store: &Store, parent_epoch: &str) -> Result<(), StoreError> {
    let seq = repo::newest(store.conn())?;
    repo::set_branch(store.conn(), &Branch { epoch: parent_epoch.to_string(), seq })
}

/// The hourly sweep: deletes delivered rows after `KEEP_DELIVERED_DAYS` and any row after
/// `KEEP_UNDELIVERED_DAYS`; how many rows went.
pub fn sweep(store: &mut Store, clock: &dyn Clock) -> Result<usize, StoreError> {
    let now = millis(clock.now());
    let tx = store.change()?;
    let gone = repo::prune(&tx, now - KEEP_DELIVERED_DAYS * 86_400_000, now - KEEP_UNDELIVERED_DAYS * 86_400_000)?;
    tx.commit()?;
    Ok(gone)
}
