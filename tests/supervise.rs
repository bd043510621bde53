//! Supervision by systemd, with a fake `NOTIFY_SOCKET` (the machines that run the tests have no systemd as
//! PID 1): `motcua serve` says READY=1 once it listens, then WATCHDOG=1 every half period while its writer
//! answers; and the watchdog goes silent while the writer or the kiosk's screen hangs.

mod common;

use common::served::{config_file, prepare};
use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_hub_tells_systemd_it_is_ready_and_pings_the_watchdog() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let config = config_file(dir.path(), 1, 3, "");
    prepare(&data, &config, 1);
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut hub = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("MOTCUA_LOG", "warn")
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "400000")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(hub.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains("listening on http://"), "{line}");
    let mut buf = [0u8; 256];
    let mut said = Vec::new();
    let started = Instant::now();
    while said.iter().filter(|m: &&String| m.as_str() == "WATCHDOG=1\n").count() < 3 {
        let n = socket.recv(&mut buf).expect("the hub keeps telling systemd");
        said.push(String::from_utf8_lossy(&buf[..n]).to_string());
    }
    let took = started.elapsed();
    let _ = hub.kill();
    let _ = hub.wait();
    assert_eq!(said[0], "READY=1\n", "{said:?}");
    assert!(said[1..].iter().all(|m| m == "WATCHDOG=1\n"), "{said:?}");
    // Every half period (0.2 s): three pings come well within the 10 s the test allows.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

/// Messages that reach `socket` within `wait`.
fn heard(socket: &UnixDatagram, wait: Duration) -> Vec<String> {
    let mut buf = [0u8; 256];
    let mut said = Vec::new();
    let until = Instant::now() + wait;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        socket.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        match socket.recv(&mut buf) {
            Ok(n) => said.push(String::from_utf8_lossy(&buf[..n]).to_string()),
            Err(_) => break,
        }
    }
    said
}

#[test]
fn the_watchdog_goes_silent_while_the_writer_or_the_screen_hangs() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    // This process plays the service: systemd's variables, a 0.2 s watchdog (a ping every 0.1 s).
    std::env::set_var("NOTIFY_SOCKET", &socket_path);
    std::env::set_var("WATCHDOG_USEC", "200000");
    std::env::remove_var("WATCHDOG_PID");

    // The writer: alive, then hung (the check never returns), then alive again.
    let hung = Arc::new(AtomicBool::new(false));
    let retired = Arc::new(AtomicBool::new(false));
    let (h, r) = (hung.clone(), retired.clone());
    motcua::supervise::watchdog(
        move || {
            while h.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
            !r.load(Ordering::SeqCst)
        },
        false,
    );
    assert!(heard(&socket, Duration::from_secs(2)).iter().any(|m| m == "WATCHDOG=1\n"), "pings while alive");
    hung.store(true, Ordering::SeqCst);
    heard(&socket, Duration::from_millis(300)); // a ping already on its way
    assert_eq!(heard(&socket, Duration::from_secs(1)), Vec::<String>::new(), "silent while the writer hangs");
    hung.store(false, Ordering::SeqCst);
    assert!(heard(&socket, Duration::from_secs(2)).iter().any(|m| m == "WATCHDOG=1\n"), "pings again");
    retired.store(true, Ordering::SeqCst);
    heard(&socket, Duration::from_millis(300));
    assert_eq!(heard(&socket, Duration::from_secs(1)), Vec::<String>::new(), "a writer that fails is not alive");

    // The kiosk's screen: pings only while the UI thread beats.
    let beating = Arc::new(AtomicBool::new(true));
    let b = beating.clone();
    std::thread::spawn(move || loop {
        if b.load(Ordering::SeqCst) {
            motcua::supervise::ui_alive();
        }
        std::thread::sleep(Duration::from_millis(20));
    });
    motcua::supervise::watchdog(|| true, true);
    assert!(heard(&socket, Duration::from_secs(2)).iter().any(|m| m == "WATCHDOG=1\n"), "pings while the UI beats");
    beating.store(false, Ordering::SeqCst);
    heard(&socket, Duration::from_millis(500)); // the last beat is fresh for one period
    assert_eq!(heard(&socket, Duration::from_secs(1)), Vec::<String>::new(), "silent once the screen hangs");
}
