//! The real `motcua serve` in a child process, for tests that kill and restart the hub.
#![allow(dead_code)]

use super::write;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A configuration with services HT (A) and CT (B) open around the clock and `counters` counters
/// serving both, numbers `width` digits long; `extra` goes first (e.g. a `[queue]` table).
pub fn config_file(dir: &Path, counters: u32, width: u32, extra: &str) -> PathBuf {
    let mut text = format!("{extra}\n");
    for (code, prefix, vi) in [("HT", "A", "Hộ tịch"), ("CT", "B", "Chứng thực")] {
        text.push_str(&format!(
            "[[services]]\ncode = \"{code}\"\nprefix = \"{prefix}\"\nname_vi = \"{vi}\"\nname_en = \"{code}\"\n\
             last = 99999\nwidth = {width}\nhours = [\"00:00-24:00\"]\nsaturday_hours = [\"00:00-24:00\"]\n\
             sunday_hours = [\"00:00-24:00\"]\n\n"
        ));
    }
    for n in 1..=counters {
        text.push_str(&format!("[[counters]]\nnumber = {n}\nname = \"Quầy {n}\"\nservices = [\"HT\", \"CT\"]\n\n"));
    }
    write(dir, "motcua.toml", &text)
}

/// Runs one `motcua` command to completion with `stdin`; returns its standard output.
pub fn run(data: &Path, config: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("MOTCUA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Sets counter N's PIN to 1000 + N and registers a kiosk; returns the kiosk's token.
pub fn prepare(data: &Path, config: &Path, counters: u32) -> String {
    for n in 1..=counters {
        run(data, config, &["counter", "set-pin", &n.to_string()], &format!("{}\n", 1000 + n));
    }
    run(data, config, &["device", "add", "kiosk-1", "--role", "kiosk"], "")
}

/// Starts `motcua serve` on `listen` ("127.0.0.1:0" for a free port) and returns it with its base URL.
pub fn serve(data: &Path, config: &Path, listen: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .args(["serve", "--listen", listen])
        .env("MOTCUA_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url)
}
