//! `[hub]`: where the hub listens and every bound it keeps against a hostile LAN (docs/api.md, "Limits").

use serde::{Deserialize, Serialize};

/// The hub: the LAN service kiosks, counters and display boards talk to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hub {
    /// Address and port to listen on. Loopback by default; "0.0.0.0:8080" opens it to the hall's LAN.
    pub listen: String,
    /// Minutes a counter login lasts.
    pub session_minutes: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: u32,
    /// Seconds between heartbeats on the live event stream.
    pub heartbeat_s: u32,
    /// Wrong PINs in a row that cost nothing; after them each attempt waits twice as long as the last.
    pub max_login_failures: u32,
    /// The longest wait between login attempts, in seconds, once the delays have grown.
    pub login_backoff_max_s: u32,
    /// Fewest digits a counter PIN may have.
    pub pin_min_length: u32,
    /// PIN checks that may run at once (each holds about 19 MiB for a few milliseconds).
    pub max_hash_checks: u32,
    /// Addresses or ranges ("10.0.0.0/8") of reverse proxies whose X-Forwarded-For is believed: attempts
    /// are then limited per citizen, not per proxy.
    pub trusted_proxies: Vec<String>,
    /// Open connections at most, and from one client (an IPv4 address or an IPv6 /64).
    pub max_connections: u32,
    pub max_connections_per_client: u32,
    /// Seconds a client has to send a request's headers (also the longest idle wait between requests).
    pub header_timeout_s: u32,
    /// Seconds a client has to send a request's body.
    pub body_timeout_s: u32,
    /// Seconds the hub waits for a client to take what it sends before it drops the connection.
    pub send_timeout_s: u32,
    /// Most events replayed to a client that resumes; further behind, it is told to reload (`resync`).
    pub replay_max: u32,
    /// Replays one client may ask for in a minute; past them it is told to reload (`resync`), which costs
    /// the hub nothing.
    pub replays_per_minute: u32,
    /// Requests per second one client may make, after a burst of `request_burst` (the hub's own machine,
    /// 127.0.0.1 and ::1, is not counted).
    pub requests_per_second: u32,
    pub request_burst: u32,
    /// New connections per second one client may open, after a burst of `connection_burst`; past them a
    /// connection is answered 429 and closed before any of it is read.
    pub connections_per_second: u32,
    pub connection_burst: u32,
    /// Read-only database connections for reads, beside the one writer.
    pub readers: u32,
    /// Milliseconds a snapshot or service list may be kept before the database is asked again. Changes
    /// made through the hub always show at once (a flood of reads costs one computation per change);
    /// this bounds how late a change written by another process (a command on the same file) shows.
    pub views_max_age_ms: u32,
    /// The database stops growing at this size (MiB; 0 = only the disk limits it): past it, changes are
    /// refused as on a full disk, so the database cannot fill a disk it shares with logs and backups.
    pub database_max_mib: u32,
    /// Serve HTTPS only, with the certificate `motcua tls init` made in `[tls] dir`.
    pub tls: bool,
}

impl Hub {
    /// The scheme the hub answers on: "https" with `tls`, "http" otherwise.
    pub fn scheme(&self) -> &'static str {
        if self.tls {
            "https"
        } else {
            "http"
        }
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            listen: "127.0.0.1:8080".into(),
            session_minutes: 600,
            max_body_bytes: 16 * 1024,
            heartbeat_s: 15,
            max_login_failures: 5,
            login_backoff_max_s: 600,
            pin_min_length: 6,
            max_hash_checks: 2,
            trusted_proxies: Vec::new(),
            max_connections: 768,
            max_connections_per_client: 64,
            header_timeout_s: 10,
            body_timeout_s: 10,
            send_timeout_s: 30,
            replay_max: 2000,
            replays_per_minute: 30,
            requests_per_second: 20,
            request_burst: 100,
            connections_per_second: 10,
            connection_burst: 50,
            readers: 4,
            views_max_age_ms: 250,
            database_max_mib: 0,
            tls: false,
        }
    }
}
