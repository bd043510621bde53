//! `/metrics`: what the hub has done since it started, in Prometheus' text format, for the hall's
//! monitoring. Served only to a device token with the `metrics` role (`motcua device add NAME --role
//! metrics`): the figures say how busy the hall is and how often logins fail.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The hub's counters, shared by the writer, the event streams, the login check and the API.
#[derive(Default)]
pub struct Metrics {
    /// Events published, by kind ("issued", "called", "done", …).
    events: Mutex<BTreeMap<&'static str, u64>>,
    /// Print outcomes kiosks reported, by outcome ("printed", "sent-unconfirmed", "not-printed").
    outcomes: Mutex<BTreeMap<&'static str, u64>>,
    batches: AtomicU64,
    failed_batches: AtomicU64,
    batch_us_total: AtomicU64,
    batch_us_max: AtomicU64,
    sse_clients: AtomicI64,
    login_failures: AtomicU64,
}

impl Metrics {
    pub fn event(&self, kind: &'static str) {
        if let Ok(mut m) = self.events.lock() {
            *m.entry(kind).or_default() += 1;
        }
    }

    pub fn outcome(&self, outcome: &'static str) {
        if let Ok(mut m) = self.outcomes.lock() {
            *m.entry(outcome).or_default() += 1;
        }
    }

    /// One batch of the writer: how long it took to run and commit, and whether it failed.
    pub fn batch(&self, took: std::time::Duration, failed: bool) {
        let us = took.as_micros().min(u128::from(u64::MAX)) as u64;
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.batch_us_total.fetch_add(us, Ordering::Relaxed);
        self.batch_us_max.fetch_max(us, Ordering::Relaxed);
        if failed {
            self.failed_batches.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn login_failed(&self) {
        self.login_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts an open event stream for as long as the value lives.
    pub fn stream(self: &Arc<Self>) -> StreamClient {
        self.sse_clients.fetch_add(1, Ordering::Relaxed);
        StreamClient(self.clone())
    }

    /// The text format: counters end in `_total`; every figure has its HELP and TYPE lines.
    pub fn render(
        &self,
        connections: usize,
        backup_ok_ms: Option<i64>,
        push: &super::push::PushStatus,
        now_ms: i64,
    ) -> String {
        let mut out = String::new();
        let mut one = |name: &str, kind: &str, help: &str, value: String| {
            let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n");
        };
        one(
            "motcua_writer_batches_total",
            "counter",
            "Batches the writer committed or rolled back.",
            self.batches.load(Ordering::Relaxed).to_string(),
        );
        one(
            "motcua_writer_failed_batches_total",
            "counter",
            "Batches rolled back whole.",
            self.failed_batches.load(Ordering::Relaxed).to_string(),
        );
        one(
            "motcua_writer_batch_seconds_sum",
            "counter",
            "Time the writer spent running and committing batches.",
            format!("{:.6}", self.batch_us_total.load(Ordering::Relaxed) as f64 / 1e6),
        );
        one(
            "motcua_writer_batch_seconds_max",
            "gauge",
            "The longest batch since the hub started.",
            format!("{:.6}", self.batch_us_max.load(Ordering::Relaxed) as f64 / 1e6),
        );
        one(
            "motcua_sse_clients",
            "gauge",
            "Event streams open now (consoles, boards, kiosks, tablets).",
            self.sse_clients.load(Ordering::Relaxed).max(0).to_string(),
        );
        one("motcua_connections", "gauge", "HTTP connections open now.", connections.to_string());
        one(
            "motcua_login_failures_total",
            "counter",
            "Logins refused for a wrong PIN, password or code.",
            self.login_failures.load(Ordering::Relaxed).to_string(),
        );
        if let Some(ms) = backup_ok_ms {
            one(
                "motcua_backup_last_success_timestamp_seconds",
                "gauge",
                "When the last daily backup was taken.",
                (ms / 1000).to_string(),
            );
        }
        if push.enabled {
            one(
                "motcua_province_rows_pending",
                "gauge",
                "Outbox rows the province has not acknowledged yet.",
                (push.newest - push.acked).max(0).to_string(),
            );
            one(
                "motcua_province_lag_seconds",
                "gauge",
                "How long the oldest row the province has not acknowledged has waited.",
                format!("{:.3}", push.lag_ms(now_ms) as f64 / 1000.0),
            );
            one(
                "motcua_province_push_failures_total",
                "counter",
                "Pushes to the province that failed.",
                push.failures.to_string(),
            );
            if let Some(ms) = push.last_success_ms {
                one(
                    "motcua_province_last_success_timestamp_seconds",
                    "gauge",
                    "When a push to the province last succeeded.",
                    (ms / 1000).to_string(),
                );
            }
        }
        let mut labelled = |name: &str, help: &str, label: &str, values: &BTreeMap<&'static str, u64>| {
            let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} counter\n");
            for (key, value) in values {
                let _ = writeln!(out, "{name}{{{label}=\"{key}\"}} {value}");
            }
        };
        if let Ok(events) = self.events.lock() {
            labelled(
                "motcua_events_total",
                "Queue events published, by kind (issued, called, done, …).",
                "kind",
                &events,
            );
        }
        if let Ok(outcomes) = self.outcomes.lock() {
            labelled("motcua_print_outcomes_total", "Print outcomes the kiosks reported.", "outcome", &outcomes);
        }
        out
    }
}

/// An open event stream, counted until it is dropped.
pub struct StreamClient(Arc<Metrics>);

impl Drop for StreamClient {
    fn drop(&mut self) {
        self.0.sse_clients.fetch_sub(1, Ordering::Relaxed);
    }
}
