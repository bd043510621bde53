//! Supervision by systemd, with a fake `NOTIFY_SOCKET` (the machines that run the tests have no systemd as
//! PID 1): `motcua serve` says READY=1 once it listens, then WATCHDOG=1 every half period while its writer
//! answers.

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
