//! Supervision by systemd (`Type=notify`, `WatchdogSec=`): the hub says when it is ready, and proves its
//! writer alive to the watchdog by putting a no-op change through it every half period. A writer that
//! hangs stops the pings, and systemd restarts the service. Without systemd (`NOTIFY_SOCKET` unset) every
//! call here does nothing.

use super::Hub;
use sd_notify::NotifyState;
use std::sync::Arc;

/// Tells systemd the hub serves (after its listener is bound).
pub fn ready() {
    if let Err(e) = sd_notify::notify(&[NotifyState::Ready]) {
        tracing::warn!(error = %e, "cannot tell systemd the hub is ready");
    }
}

/// Starts pinging the watchdog, if systemd asked for one: each ping follows a change the writer ran.
pub fn watchdog(hub: Arc<Hub>) {
    let Some(period) = sd_notify::watchdog_enabled() else { return };
    let every = period / 2;
    tracing::info!(every_ms = every.as_millis() as u64, "systemd watchdog: the writer proves itself alive");
    let spawned = std::thread::Builder::new().name("watchdog".into()).spawn(move || loop {
        std::thread::sleep(every);
        // Blocks while the writer is stuck: then no ping goes out, which is the point.
        if hub.change(|_, _, _| Ok(())).is_ok() {
            let _ = sd_notify::notify(&[NotifyState::Watchdog]);
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the watchdog thread");
    }
}
