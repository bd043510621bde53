//! Supervision by systemd (`Type=notify`, `WatchdogSec=`): a service says when it is ready, and proves
//! itself alive to the watchdog every half period. `motcua serve` proves its writer alive by putting a
//! no-op change through it; a kiosk proves its UI thread alive (a timer on it beats every second) and, with
//! its own hub, that hub's writer too. Whatever hangs stops the pings, and systemd restarts the service.
//! Without systemd (`NOTIFY_SOCKET` unset) every call here does nothing.

use sd_notify::NotifyState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static STARTED: OnceLock<Instant> = OnceLock::new();
/// Milliseconds since `STARTED` of the UI thread's last beat; 0 before the first.
static UI_BEAT_MS: AtomicU64 = AtomicU64::new(0);

fn since_start() -> u64 {
    STARTED.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// Tells systemd the service is ready.
pub fn ready() {
    if let Err(e) = sd_notify::notify(&[NotifyState::Ready]) {
        tracing::warn!(error = %e, "cannot tell systemd the service is ready");
    }
}

/// Called on the UI thread (every second, by the kiosk's clock timer): the UI thread is alive.
pub fn ui_alive() {
    UI_BEAT_MS.store(since_start().max(1), Ordering::Relaxed);
}

/// Whether a beat at `beat_ms` is recent enough at `now_ms` for a watchdog of `period`.
pub fn fresh(beat_ms: u64, now_ms: u64, period: Duration) -> bool {
    beat_ms > 0 && now_ms.saturating_sub(beat_ms) < period.as_millis() as u64
}

/// Starts pinging the watchdog, if systemd asked for one. Each ping needs `alive()` to return (a writer
/// that hangs blocks it) and, with `ui`, a UI beat within the period.
pub fn watchdog(alive: impl Fn() -> bool + Send + 'static, ui: bool) {
    let Some(period) = sd_notify::watchdog_enabled() else { return };
    let every = period / 2;
    since_start();
    tracing::info!(every_ms = every.as_millis() as u64, ui, "systemd watchdog: pinging while alive");
    let spawned = std::thread::Builder::new().name("watchdog".into()).spawn(move || loop {
        std::thread::sleep(every);
        let ui_ok = !ui || fresh(UI_BEAT_MS.load(Ordering::Relaxed), since_start(), period);
        if ui_ok && alive() {
            let _ = sd_notify::notify(&[NotifyState::Watchdog]);
        } else if !ui_ok {
            tracing::error!("the kiosk's screen stopped answering; not pinging the watchdog");
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the watchdog thread");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ui_beat_counts_within_the_period_only() {
        let period = Duration::from_secs(30);
        assert!(!fresh(0, 5_000, period), "no beat yet");
        assert!(fresh(1_000, 20_000, period));
        assert!(!fresh(1_000, 31_000, period), "the UI thread has not beaten for the whole period");
    }
}
