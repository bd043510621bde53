//! Backups and restore against the real binary: `motcua backup` while the hub takes numbers under load, the
//! copy owner-only and whole, `motcua restore` into a fresh folder finding every ticket acknowledged before
//! the backup began, with a new epoch; a restore refused while a hub runs and for a damaged copy; a second
//! hub on one file refused; the hub's daily backup with its rotation, and a missing target reported.

mod common;

use common::hub::{open_all_day, start};
use common::served::{config_file, prepare, serve};
use common::{motcua, stderr, stdout};
use motcua::config::Config;
use serde_json::json;
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use time::macros::datetime;

fn ticket_ids(db: &std::path::Path) -> BTreeSet<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM ticket").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn a_backup_under_load_restores_every_ticket_acknowledged_before_it_began() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-04 09:00 +7));
    let acknowledged = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    let copy = h.dir.path().join("copies").join("hall.db");
    let (before, out) = std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let t = h.take("HT", None);
                    acknowledged.lock().unwrap().push(t["ticket"]["id"].as_i64().unwrap());
                }
            });
        }
        while acknowledged.lock().unwrap().len() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let before: Vec<i64> = acknowledged.lock().unwrap().clone();
        let out = motcua(h.dir.path(), &["backup", "-o", copy.to_str().unwrap()]);
        stop.store(true, Ordering::Relaxed);
        (before, out)
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Đã sao lưu") && stdout(&out).contains("dữ liệu cá nhân"), "{}", stdout(&out));
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(!copy.with_extension("partial").exists());
    let in_copy = ticket_ids(&copy);
    assert!(before.iter().all(|id| in_copy.contains(id)), "every acknowledged ticket is in the copy");
    assert!(acknowledged.lock().unwrap().len() > before.len(), "numbers were taken while it ran");

    // Restored into a fresh folder: the tickets are there, the epoch is new.
    let old_epoch = h.get("/healthz", None).json["epoch"].as_str().unwrap().to_string();
    let fresh = tempfile::tempdir().unwrap();
    let restored = motcua(fresh.path(), &["restore", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let ids = ticket_ids(&fresh.path().join("motcua.db"));
    assert!(before.iter().all(|id| ids.contains(id)));
    let conn = rusqlite::Connection::open(fresh.path().join("motcua.db")).unwrap();
    let epoch: String = conn.query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| r.get(0)).unwrap();
    assert_ne!(epoch, old_epoch, "clients resync after a restore");
    assert!(stdout(&restored).contains(&epoch), "{}", stdout(&restored));
}

#[test]
fn a_restore_is_refused_while_a_hub_runs_and_for_a_damaged_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let config = config_file(dir.path(), 1, 3, "");
    let kiosk = prepare(&data, &config, 1);
    let (mut hub, url) = serve(&data, &config, "127.0.0.1:0");
    let run = |args: &[&str]| {
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        motcua(&data, &all)
    };
    let copy = dir.path().join("copy.db");
    assert!(run(&["backup", "-o", copy.to_str().unwrap()]).status.success());

    let refused = run(&["restore", copy.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("in use by another motcua hub"), "{}", stderr(&refused));
    // A second hub on the same file is refused the same way.
    let second = run(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!second.status.success());
    assert!(stderr(&second).contains("one writer per database"), "{}", stderr(&second));
    // The running hub was not disturbed.
    let r = common::hub::agent()
        .post(&format!("{url}/api/v1/tickets"))
        .header("Authorization", &format!("Bearer {kiosk}"))
        .send_json(json!({"service": "HT"}))
        .unwrap();
    assert_eq!(r.status(), 201);
    let _ = hub.kill();
    let _ = hub.wait();

    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&copy).unwrap();
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5a;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let before = ticket_ids(&data.join("motcua.db"));
    let refused = run(&["restore", damaged.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("damaged"), "{}", stderr(&refused));
    assert_eq!(ticket_ids(&data.join("motcua.db")), before, "a refused restore changes nothing");

    // With the hub stopped, the good copy goes back; the database it replaced is kept.
    let restored = run(&["restore", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(stdout(&restored).contains("the replaced database is kept at"), "{}", stdout(&restored));
    assert_eq!(ticket_ids(&data.join("motcua.db")).len(), before.len() - 1, "the ticket taken after the copy is gone");
}

#[test]
fn the_hub_takes_the_daily_backup_removes_old_ones_and_reports_a_missing_target() {
    let h = start(open_all_day(Config::default()), datetime!(2026-12-04 17:00 +7));
    h.take("HT", None);
    let dir = h.dir.path().join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["motcua-2026-11-01-1800.db", "motcua-2026-11-25-1800.db", "motcua-before-restore-2026-10-01-1200.db"] {
        std::fs::write(dir.join(old), b"old").unwrap();
    }
    h.hub.daily_backup();
    assert!(h.hub.backup_status().last_day.is_none(), "not before 18:00");
    h.clock.set(datetime!(2026-12-04 18:01 +7));
    h.hub.daily_backup();
    let status = h.get("/healthz", None).json["backup"].clone();
    assert_eq!(status["last_day"], "2026-12-04", "{status}");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        ["motcua-2026-11-25-1800.db", "motcua-2026-12-04-1801.db", "motcua-before-restore-2026-10-01-1200.db"],
        "daily copies older than 14 days removed, others kept"
    );
    assert_eq!(ticket_ids(&dir.join("motcua-2026-12-04-1801.db")).len(), 1);

    // A target that is not there (an unplugged USB stick): reported, tried again an hour later.
    let mut config = open_all_day(Config::default());
    config.backup.dir = "/proc/motcua-no-such-stick".into();
    let h = start(config, datetime!(2026-12-04 18:30 +7));
    h.hub.daily_backup();
    let status = h.get("/healthz", None).json["backup"].clone();
    assert!(status["error"].as_str().unwrap_or("").contains("/proc/motcua-no-such-stick"), "{status}");
    assert!(status["last_day"].is_null());
}
