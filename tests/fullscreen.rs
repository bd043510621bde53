//! The kiosk and the board cover the whole screen under X with no window manager (Xvfb alone, as on a
//! kiosk that starts X by itself): the window is moved to the monitor's corner and given its size, and the
//! layout takes its orientation from that, whatever `screen_width_px`/`screen_height_px` say. Needs Xvfb
//! and xwininfo (Debian: xvfb, x11-utils); without them the test says SKIPPED, and with
//! `MOTCUA_REQUIRE_X=1` (CI) it fails instead.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn installed(program: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {program}")]).output().is_ok_and(|o| o.status.success())
}

/// A bare X server of the given size on a free display number, or None (SKIPPED) without Xvfb.
fn xvfb(test: &str, width: u32, height: u32) -> Option<(Killed, String)> {
    if !installed("Xvfb") || !installed("xwininfo") {
        let why = "Xvfb and xwininfo are not installed (Debian: apt-get install xvfb x11-utils)";
        let required = std::env::var("MOTCUA_REQUIRE_X").is_ok_and(|v| v == "1");
        assert!(!required, "{test}: MOTCUA_REQUIRE_X=1 but {why}");
        eprintln!("SKIPPED {test}: {why}");
        return None;
    }
    // Xvfb picks a free display number itself and writes it on the descriptor given (its stdout).
    let mut server = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", &format!("{width}x{height}x24"), "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let n: u32 = line.trim().parse().unwrap_or_else(|_| panic!("Xvfb gave no display number: {line:?}"));
    let display = format!(":{n}");
    Some((Killed(server), display))
}

/// Runs `motcua ARGS` on the display until it logs that it covered the monitor; returns that log line and
/// the geometry X gives its window ("1920x1080+0+0").
fn covered(display: &str, config: &str, args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, config).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--config")
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(args)
        .env("DISPLAY", display)
        .env("MOTCUA_LOG", "info")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("SLINT_BACKEND")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("motcua starts");
    let stderr = child.stderr.take().unwrap();
    let _running = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("full screen") {
                let _ = tx.send(line);
            }
        }
    });
    let logged = rx.recv_timeout(Duration::from_secs(60)).expect("the window says it covered the screen");
    // X applies the move and resize a moment later.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let tree = Command::new("xwininfo").args(["-root", "-tree", "-display", display]).output().unwrap();
        let tree = String::from_utf8_lossy(&tree.stdout).to_string();
        let geometry = tree
            .lines()
            .filter(|l| l.contains("\"motcua"))
            .filter_map(|l| l.split_whitespace().find(|w| w.contains('x') && w.contains('+')).map(str::to_string))
            .next();
        if let Some(g) = geometry.filter(|g| g.ends_with("+0+0") || Instant::now() > deadline) {
            return (logged, g);
        }
        assert!(Instant::now() < deadline, "no motcua window on {display}:\n{tree}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_kiosk_covers_a_landscape_screen_configured_as_portrait_without_a_window_manager() {
    let Some((_x, display)) = xvfb("kiosk full screen", 1920, 1080) else { return };
    let config = "[kiosk]\nscreen_width_px = 1080\nscreen_height_px = 1920\n[hub]\nlisten = \"127.0.0.1:0\"\n";
    let (logged, geometry) = covered(&display, config, &["kiosk"]);
    assert_eq!(geometry, "1920x1080+0+0", "{logged}");
    assert!(logged.contains("landscape"), "{logged}");
}

#[test]
fn the_board_covers_a_4k_screen_configured_as_1080p() {
    let Some((_x, display)) = xvfb("board full screen", 3840, 2160) else { return };
    let config = "[display]\nwidth_px = 1920\nheight_px = 1080\n[hub]\nlisten = \"127.0.0.1:0\"\n";
    let (logged, geometry) = covered(&display, config, &["display"]);
    assert_eq!(geometry, "3840x2160+0+0", "{logged}");
}
