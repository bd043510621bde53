//! A full disk: the database capped by `max_page_count` (`[hub] database_max_mib`), and a real
//! size-capped tmpfs that the test mounts as root. Issuing and the counter's changes are refused with a
//! clear Vietnamese message, reads go on, nothing acknowledged is lost, `integrity_check` stays ok, and
//! on the tmpfs the hub saves again by itself once space is freed, numbering on without a gap.

mod common;

use common::hub::{agent, open_all_day, start_in, start_with, TestHub};
use motcua::app::queue::Issuer;
use motcua::config::Config;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use time::macros::datetime;

/// Takes numbers until the hub refuses one; returns the tickets it acknowledged and the refusal.
fn take_until_refused(h: &TestHub, most: usize) -> (Vec<(i64, String)>, common::hub::Answer) {
    let mut acknowledged = Vec::new();
    for _ in 0..most {
        let r = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" }));
        if r.status != 201 {
            return (acknowledged, r);
        }
        let id = r.json["ticket"]["id"].as_i64().unwrap();
        acknowledged.push((id, r.json["ticket"]["number"].as_str().unwrap().to_string()));
        let o = h.post(&format!("/api/v1/tickets/{id}/outcome"), Some(&h.kiosk_token), json!({ "outcome": "printed" }));
        if o.status != 200 {
            return (acknowledged, o);
        }
    }
    panic!("{most} numbers taken and the disk never filled");
}

fn assert_disk_full_refusal(refused: &common::hub::Answer) {
    assert_eq!(refused.status, 507, "{}", refused.messages());
    assert_eq!(refused.json["error"], json!("disk_full"), "{}", refused.json);
    let vi = refused.json["message_vi"].as_str().unwrap();
    assert!(vi.contains("hết chỗ lưu dữ liệu") && vi.contains("cán bộ kỹ thuật"), "{vi}");
}

/// Every ticket the hub acknowledged is in the file, and SQLite finds the file whole.
fn assert_whole(db: &Path, acknowledged: &[(i64, String)]) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    for (id, number) in acknowledged {
        let stored: String = conn.query_row("SELECT number FROM ticket WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(&stored, number, "ticket {id}");
    }
}

fn health(h: &TestHub) -> Value {
    h.get("/healthz", None).json
}

#[test]
fn a_full_database_refuses_changes_in_vietnamese_and_keeps_what_it_acknowledged() {
    let h = start_with(open_all_day(Config::default()), datetime!(2026-12-04 09:00 +7), |store| {
        let size = store.size_bytes().unwrap();
        store.limit_size(size + 160 * 1024).unwrap();
    });
    let token = h.post("/api/v1/tickets", Some(&h.kiosk_token), json!({ "service": "HT" })).json["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(health(&h)["status"], json!("ok"));
    let session = h.login(1);
    let (acknowledged, refused) = take_until_refused(&h, 20_000);
    assert!(acknowledged.len() > 20, "the cap left room for {} numbers only", acknowledged.len());
    assert_disk_full_refusal(&refused);

    // Everyone hears it: the counter's console, the kiosk on the same machine (in Vietnamese on its
    // screen), /healthz for the console's alarm and `doctor`. A small change may still fit in a page with
    // room left, so the counter calls and completes until its first refusal.
    let refused = (0..acknowledged.len())
        .flat_map(|_| ["/api/v1/counter/next", "/api/v1/counter/complete"])
        .map(|action| h.post(action, Some(&session), json!({})))
        .find(|a| a.status != 200)
        .expect("the counter's changes were all saved on a full database");
    assert_disk_full_refusal(&refused);
    // Likewise a reservation, smaller than some counter changes, may still find room in a page.
    let local = (0..200)
        .find_map(|_| Issuer::reserve(h.hub.as_ref(), "HT", None, None).err())
        .expect("the kiosk's reservations were all saved on a full database");
    assert!(local.disk_full(), "{local}");
    let shown = motcua::app::kiosk::ticket_result(None, "HT", Err(local));
    assert!(shown.number.is_empty());
    assert_eq!(shown.message.vi, "Máy chủ xếp hàng đã hết chỗ lưu dữ liệu nên chưa cấp được số.");
    let status = health(&h);
    assert_eq!(status["status"], json!("disk-full"));
    assert!(status["disk_full_since_ms"].as_i64().is_some(), "{status}");

    // Reads go on: the phone's ticket page and the hall's snapshot.
    let ticket = agent().get(&h.url(&format!("/api/v1/t/{token}"))).call().unwrap();
    assert_eq!(ticket.status(), 200);
    assert_eq!(h.get("/api/v1/snapshot", Some(&h.kiosk_token)).status, 200);
    assert_whole(&h.dir.path().join("motcua.db"), &acknowledged);
}

/// A tmpfs of `mib` MiB mounted on a fresh folder, unmounted (lazily: the hub's threads still hold its
/// files) when dropped.
struct Tmpfs {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Tmpfs {
    /// `None` when this process may not mount (not root, or a container without the capability); the
    /// CI runs as root and sets MOTCUA_REQUIRE_MOUNT so the test cannot be skipped there.
    fn mount(mib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m,mode=0700"), "tmpfs"])
            .arg(&path)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir: Some(dir), path }),
            other => {
                let why = format!("cannot mount a tmpfs: {other:?}");
                assert!(std::env::var_os("MOTCUA_REQUIRE_MOUNT").is_none(), "{why}");
                eprintln!("skipped: {why}");
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.path).status();
        drop(self.dir.take());
    }
}

/// Writes until the filesystem has no more room.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![0x55u8; 16 * 1024];
    while f.write_all(&block).and_then(|()| f.sync_all()).is_ok() {}
}

#[test]
fn on_a_full_tmpfs_issuing_is_refused_then_saves_again_by_itself_when_space_is_freed() {
    let Some(fs) = Tmpfs::mount(6) else { return };
    let data = tempfile::Builder::new().tempdir_in(&fs.path).unwrap();
    let h = start_in(data, open_all_day(Config::default()), datetime!(2026-12-04 09:00 +7), |_| {});
    let before: Vec<_> = (0..5).map(|_| h.take("HT", None)).collect();
    let filler = fs.path.join("filler");
    fill(&filler);

    let (mut acknowledged, refused) = take_until_refused(&h, 50_000);
    acknowledged.extend(
        before
            .iter()
            .map(|t| (t["ticket"]["id"].as_i64().unwrap(), t["ticket"]["number"].as_str().unwrap().to_string())),
    );
    assert_disk_full_refusal(&refused);
    assert_eq!(health(&h)["status"], json!("disk-full"));
    let db = h.dir.path().join("motcua.db");
    assert_whole(&db, &acknowledged);

    // Space comes back: no restart, the next number is simply saved, one after the last acknowledged.
    std::fs::remove_file(&filler).unwrap();
    let next = h.take("HT", None);
    let last = acknowledged.iter().max_by_key(|(id, _)| *id).unwrap();
    let serial = |n: &str| n.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().unwrap();
    let number = next["ticket"]["number"].as_str().unwrap();
    // A number reserved but refused its "printed" report keeps its number; none is skipped.
    assert_eq!(serial(number), serial(&last.1) + 1, "{number} after {}", last.1);
    let status = health(&h);
    assert_eq!(status["status"], json!("ok"), "{status}");
    assert_eq!(status["disk_full_since_ms"], Value::Null);
    acknowledged.push((next["ticket"]["id"].as_i64().unwrap(), number.to_string()));
    assert_whole(&db, &acknowledged);
}
