//! Helpers shared by the integration tests: temporary data folders, the real binary, fixed clocks.
#![allow(dead_code)]

use motcua::domain::clock::FixedClock;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use time::macros::datetime;

pub fn clock() -> FixedClock {
    FixedClock(datetime!(2026-11-28 09:15 +7))
}

pub fn later_clock() -> FixedClock {
    FixedClock(datetime!(2026-12-01 14:00 +7))
}

/// The repository's top folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_catalog() -> PathBuf {
    root().join("assets/catalog/demo.json")
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs the real `motcua` binary with a data folder of its own and no configuration from the caller's
/// environment.
pub fn motcua(data_dir: &Path, args: &[&str]) -> Output {
    motcua_os(data_dir, &args.iter().map(std::ffi::OsString::from).collect::<Vec<_>>())
}

pub fn motcua_os(data_dir: &Path, args: &[std::ffi::OsString]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MOTCUA_") {
            cmd.env_remove(k);
        }
    }
    cmd.arg("--data-dir").arg(data_dir).args(args).env("MOTCUA_LOG", "warn");
    cmd.output().expect("the motcua binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `text` to a file in `dir` and returns its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("test file written");
    path
}

pub mod browser;
pub mod hub;
pub mod served;

/// Standard base64 of SHA-256 over the CA key's SubjectPublicKeyInfo: what Chromium pins by.
pub fn spki_pin(ca_key: &Path) -> String {
    use rcgen::PublicKeyData;
    use sha2::Digest;
    let key = rcgen::KeyPair::from_pem(&std::fs::read_to_string(ca_key).unwrap()).unwrap();
    let digest = sha2::Sha256::digest(key.subject_public_key_info());
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
