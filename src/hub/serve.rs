//! Running the hub: its address bound, its connections accepted (plain or HTTPS), and the sweeps that
//! keep a day in order (stale reservations, closing time, purges, the daily backup, revocations).

use super::{api, net, Hub, HubError};
use crate::app::access;
use crate::domain::clock::millis;
use std::sync::Arc;

/// Days after which a browser that has not logged in again is counted as a stranger's (and forgotten).
const KNOWN_BROWSER_DAYS: i64 = 90;

/// Binds the hub's address (port 0 picks a free one).
pub fn bind(addr: &str) -> Result<std::net::TcpListener, HubError> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| HubError::Listen { addr: addr.to_string(), source })?;
    listener.set_nonblocking(true).map_err(HubError::Serve)?;
    Ok(listener)
}

/// Serves the hub on a bound listener until the process ends, voiding stale reservations every few
/// seconds.
pub fn serve(hub: Arc<Hub>, listener: std::net::TcpListener) -> Result<(), HubError> {
    let tls = acceptor(&hub)?;
    serve_with(hub, listener, tls)
}

/// HTTPS only, when `[hub] tls` asks: a missing or unreadable certificate stops the start with its file's
/// name.
fn acceptor(hub: &Hub) -> Result<Option<tokio_rustls::TlsAcceptor>, HubError> {
    if !hub.config.hub.tls {
        return Ok(None);
    }
    let files = crate::tls::Files::in_dir(&crate::tls::folder(&hub.config, &hub.data_dir));
    Ok(Some(tokio_rustls::TlsAcceptor::from(crate::tls::server_config(&files)?)))
}

fn serve_with(
    hub: Arc<Hub>,
    listener: std::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> Result<(), HubError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("hub")
        .build()
        .map_err(HubError::Runtime)?;
    if let Ok(local) = listener.local_addr() {
        tracing::info!(%local, "hub listening");
    }
    super::sms::spawn(hub.clone());
    super::push::spawn(hub.clone());
    let accepting = hub.clone();
    let handle = runtime.handle().clone();
    let accepter = std::thread::Builder::new()
        .name("hub-accept".into())
        .spawn(move || {
            if let Some(files) = net::raise_file_limit() {
                tracing::info!(files, "open files allowed");
            }
            let (connections, proxies) = (accepting.connections.clone(), accepting.proxies.clone());
            let config = accepting.config.hub.clone();
            net::accept_loop(listener, handle, api::router(accepting), &config, connections, proxies, tls)
        })
        .map_err(HubError::Runtime)?;
    runtime.block_on(async move {
        let sweeper = hub.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
            for round in 0u64.. {
                tick.tick().await;
                // Once an hour, personal data of dossiers handed over long ago is cleared.
                if round % 720 == 0 {
                    let hub = sweeper.clone();
                    let purged = tokio::task::spawn_blocking(move || {
                        hub.change(|store, config, clock| {
                            Ok(crate::app::dossier::purge(store, config, clock).map_err(|e| e.to_string()))
                        })
                    })
                    .await;
                    match purged {
                        Ok(Ok(Ok(n))) if n > 0 => {
                            tracing::info!(dossiers = n, "cleared names and phones after hand-over")
                        }
                        Ok(Ok(Err(e))) => tracing::error!(error = %e, "cannot clear old personal data"),
                        _ => {}
                    }
                    // Failed logins a quiet day ago count no more (the table stays small under attack), and
                    // browsers that have not logged in for KNOWN_BROWSER_DAYS are strangers again.
                    let now = millis(sweeper.clock.now());
                    let before = now - sweeper.guard.quiet_ms();
                    let unused = now - KNOWN_BROWSER_DAYS * 86_400_000;
                    let forgetting = sweeper.clone();
                    let _ = tokio::task::spawn_blocking(move || {
                        forgetting.change(|store, _, clock| crate::app::sms::forget(store, clock))
                    })
                    .await;
                    // Catalog files uploaded on /quan-tri and never published.
                    let stale = super::admin_upload::forget_stale(sweeper.data_dir(), std::time::SystemTime::now());
                    if stale > 0 {
                        tracing::info!(files = stale, "deleted uploaded catalog files never published");
                    }
                    let clock = sweeper.clock.clone();
                    sweeper.change_later("the outbox's delivered rows", move |store| {
                        let gone = crate::app::outbox::sweep(store, clock.as_ref())?;
                        if gone > 0 {
                            tracing::info!(rows = gone, "deleted outbox rows delivered or too old to deliver");
                        }
                        Ok(())
                    });
                    sweeper.change_later("old failed logins and browsers", move |store| {
                        access::forget_failures(store, before)?;
                        access::forget_browsers(store, unused).map(|_| ())
                    });
                }
                let hub = sweeper.clone();
                match tokio::task::spawn_blocking(move || hub.void_stale()).await {
                    Ok(Ok(voided)) if !voided.is_empty() => {
                        tracing::warn!(count = voided.len(), "voided reservations that never got a print outcome")
                    }
                    Ok(Err(e)) => tracing::error!(error = %e, "cannot void stale reservations"),
                    _ => {}
                }
                let hub = sweeper.clone();
                let _ = tokio::task::spawn_blocking(move || hub.daily_backup()).await;
                let hub = sweeper.clone();
                match tokio::task::spawn_blocking(move || hub.close_day()).await {
                    Ok(Ok(closed)) if !closed.is_empty() => {
                        tracing::info!(count = closed.len(), "tickets not served at closing were closed")
                    }
                    Ok(Err(e)) => tracing::error!(error = %e, "cannot close the day's unserved tickets"),
                    _ => {}
                }
            }
        });
        // Revocations written by another process reach this hub within a second.
        let watcher = hub.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                tick.tick().await;
                let hub = watcher.clone();
                match tokio::task::spawn_blocking(move || hub.check_revocations()).await {
                    Ok(Ok(true)) => tracing::info!("credentials were revoked; remembered holders forgotten"),
                    Ok(Err(e)) => tracing::error!(error = %e, "cannot read revocations"),
                    _ => {}
                }
            }
        });
        // The runtime serves what the accepting thread hands it for as long as that thread runs.
        tokio::task::spawn_blocking(move || accepter.join())
            .await
            .map_err(|e| HubError::Serve(std::io::Error::other(e)))?
            .map_err(|_| HubError::Serve(std::io::Error::other("the accepting thread panicked")))?
            .map_err(HubError::Serve)
    })
}

/// Starts the hub on a background thread; returns the address it listens on.
pub fn spawn(hub: Arc<Hub>, addr: &str) -> Result<std::net::SocketAddr, HubError> {
    let listener = bind(addr)?;
    let local = listener.local_addr().map_err(HubError::Serve)?;
    let tls = acceptor(&hub)?;
    std::thread::Builder::new()
        .name("hub".into())
        .spawn(move || {
            if let Err(e) = serve_with(hub, listener, tls) {
                tracing::error!(error = %e, "hub stopped");
            }
        })
        .map_err(HubError::Runtime)?;
    Ok(local)
}
