//! The database file: migration of a stored old schema, refusal of damaged and newer files without
//! touching them, and the pragmas a kiosk depends on.

mod common;

use common::*;
use motcua::app::catalog;
use motcua::store::{catalog as repo, Store, StoreError, SCHEMA_VERSION};

#[test]
fn migrates_a_stored_first_version_database_forward() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&std::fs::read_to_string(fixture("schema-v1.sql")).unwrap()).unwrap();
    }
    let store = Store::open(&path).expect("old database opens");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let current = repo::current(store.conn()).unwrap();
    let names: Vec<&str> = current.iter().map(|s| s.procedure.name.as_str()).collect();
    assert_eq!(names, ["Thủ tục đăng ký khai sinh", "Thủ tục đăng ký khai tử"]);
    assert_eq!(repo::versions(store.conn(), "1.001193").unwrap().len(), 2, "old versions kept");
    let imports: i64 = store.conn().query_row("SELECT count(*) FROM catalog_import", [], |r| r.get(0)).unwrap();
    assert_eq!(imports, 0, "the table added by step 2 exists and starts empty");
}

/// A database file as a release whose schema stopped at `step` left it: the migration files up to it.
fn database_at_step(path: &std::path::Path, step: usize) -> rusqlite::Connection {
    let dir = root().join("src/store/sql/migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let conn = rusqlite::Connection::open(path).unwrap();
    for file in &files[..step] {
        conn.execute_batch(&std::fs::read_to_string(file).unwrap()).unwrap();
    }
    conn.pragma_update(None, "user_version", step as i64).unwrap();
    conn
}

#[test]
fn step_8_gives_stored_print_outcomes_the_wire_s_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    database_at_step(&path, 7)
        .execute_batch(
            "INSERT INTO ticket (day, service, seq, number, token, state, arrived_ms, print_outcome) \
             VALUES ('2026-11-30', 'HT', 1, 'A001', 't1', 'voided', 0, 'not printed'), \
                    ('2026-11-30', 'HT', 2, 'A002', 't2', 'waiting', 0, 'sent-unconfirmed');",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let outcomes: Vec<String> = store
        .conn()
        .prepare("SELECT print_outcome FROM ticket ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(outcomes, ["not-printed", "sent-unconfirmed"]);
}

#[test]
fn step_9_keeps_the_counters_live_sessions_as_nameless_and_old_events_unsigned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    database_at_step(&path, 8)
        .execute_batch(
            "INSERT INTO counter_session (token_hash, counter, csrf, created_ms, expires_ms) \
             VALUES ('h1', 3, 'c1', 1, 9999999999999); \
             INSERT INTO queue_event (at_ms, kind, counter, actor) VALUES (5, 'paused', 3, 'counter');",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let session = motcua::store::counter::session(store.conn(), "h1").unwrap().expect("the session survived");
    assert_eq!((session.counter, session.staff, session.csrf.as_str()), (Some(3), None, "c1"));
    let signed: Option<i64> =
        store.conn().query_row("SELECT staff_id FROM queue_event WHERE kind = 'paused'", [], |r| r.get(0)).unwrap();
    assert_eq!(signed, None);
}

#[test]
fn step_11_rebuilds_the_ticket_table_keeping_every_row_and_what_refers_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    database_at_step(&path, 10)
        .execute_batch(
            "INSERT INTO ticket (id, day, service, seq, number, token, state, arrived_ms, request_key, now_service) \
             VALUES (7, '2026-11-30', 'HT', 1, 'A001', 't1', 'done', 5, 'k1', 'CT'), \
                    (8, '2026-11-30', 'HT', 2, 'A002', 't2', 'cancelled', 6, NULL, NULL); \
             INSERT INTO queue_event (at_ms, ticket_id, kind, actor) VALUES (5, 7, 'issued', 'kiosk'); \
             INSERT INTO rating (ticket_id, level, source, holder, service, rated_ms, changed_ms) \
             VALUES (7, 'satisfied', 'phone', 'token', 'CT', 9, 9);",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = store
        .conn()
        .prepare("SELECT id, state, request_key, now_service FROM ticket ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [(7, "done".into(), Some("k1".into()), Some("CT".into())), (8, "closed".into(), None, None)],
        "ids, states (the unused 'cancelled' became 'closed') and columns kept"
    );
    let broken: i64 =
        store.conn().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0, "events and ratings still refer to their tickets");
    let on: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(on, 1, "foreign keys are on again after the step");
    let refused = store.conn().execute("UPDATE ticket SET state = 'cancelled' WHERE id = 8", []);
    assert!(refused.is_err(), "the state list is the domain's");
}

#[test]
fn pragmas_are_set_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let get = |p: &str| -> String {
        store
            .conn()
            .query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert_eq!(get("journal_mode"), "Text(\"wal\")");
    assert_eq!(get("synchronous"), "Integer(2)", "FULL");
    assert_eq!(get("foreign_keys"), "Integer(1)");
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("written by a newer version of motcua (schema 99"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "file bytes unchanged");
    assert!(!dir.path().join("newer.db-wal").exists(), "not switched to WAL");
}

#[test]
fn damaged_files_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"this is not a database, it is a shopping list\n".repeat(100)).unwrap();
    let err = Store::open(&garbage).err().expect("refused");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("is damaged"), "{err}");

    // A real database cut short, as by a disk that failed mid-write.
    let real = dir.path().join("cut.db");
    {
        let mut store = Store::open(&real).unwrap();
        catalog::seed_demo(&mut store, &clock()).unwrap();
        store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let bytes = std::fs::read(&real).unwrap();
    std::fs::write(&real, &bytes[..bytes.len() / 2]).unwrap();
    let _ = std::fs::remove_file(dir.path().join("cut.db-wal"));
    let err = Store::open(&real).err().expect("refused");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");

    // The binary says the same and stops, instead of starting on a broken file.
    let data = dir.path().join("var");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(&garbage, data.join("motcua.db")).unwrap();
    let out = motcua(&data, &["catalog", "search", "khai sinh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
}

#[test]
fn a_migration_is_preceded_by_a_backup_and_refused_without_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    drop(database_at_step(&path, 12));
    // The backup folder cannot be made (a file is in its way): the migration is refused, nothing changed.
    std::fs::write(dir.path().join("backups"), b"not a folder").unwrap();
    let refused = Store::open(&path).err().expect("no backup, no migration");
    assert!(matches!(refused, StoreError::NoBackupBeforeMigration { to, .. } if to == SCHEMA_VERSION), "{refused}");
    assert!(refused.to_string().contains("nothing was changed"), "{refused}");
    let step: i64 =
        rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(step, 12);

    std::fs::remove_file(dir.path().join("backups")).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = copies[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("motcua-schema-12-") && name.ends_with(".db"), "{name}");
    assert_eq!(std::fs::metadata(&copies[0]).unwrap().permissions().mode() & 0o777, 0o600, "personal data");
    let kept: i64 =
        rusqlite::Connection::open(&copies[0]).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 12, "the copy is the database as it was before the migration");
}

#[test]
fn step_21_makes_the_outbox_again_keeping_its_rows_and_its_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    database_at_step(&path, 20)
        .execute_batch(
            "INSERT INTO outbox (kind, at_ms, body) VALUES ('printer_health', 1, '{\"printers\":[]}'), \
             ('printer_health', 2, '{\"printers\":[]}'), ('printer_health', 3, '{\"printers\":[]}'), \
             ('printer_health', 4, '{\"printers\":[]}'), ('printer_health', 5, '{\"printers\":[]}'); \
             DELETE FROM outbox WHERE seq > 3;",
        )
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let pending = motcua::app::outbox::pending(&store, 0, 100).unwrap();
    assert_eq!(pending.iter().map(|r| (r.seq, r.at_ms)).collect::<Vec<_>>(), [(1, 1), (2, 2), (3, 3)]);
    assert_eq!(motcua::app::outbox::lag(&store).unwrap().0, 5, "the sequence carried over");
    motcua::app::outbox::note_printers(&mut store, &[], 6).unwrap();
    let newest = motcua::app::outbox::pending(&store, 3, 100).unwrap();
    assert_eq!(newest.iter().map(|r| r.seq).collect::<Vec<_>>(), [6], "never given twice");
}

#[test]
fn step_22_lets_the_outbox_take_a_kind_more_and_sends_the_published_catalog_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    let procedure = |code: &str, version: i64, superseded: &str| {
        format!(
            "INSERT INTO procedure_version (code, version, name, field, verified, body, folded, imported_at, source, \
             superseded_at) VALUES ('{code}', {version}, 'Tên', 'Hộ tịch', 1, '{{\"code\":\"{code}\"}}', '', \
             '2026-01-01T00:00:00Z', 'x', {superseded});"
        )
    };
    let old = database_at_step(&path, 21);
    old.execute_batch(&format!(
        "{}{}{} DELETE FROM outbox;",
        procedure("1.000001", 1, "'2026-02-01T00:00:00Z'"),
        procedure("1.000001", 2, "NULL"),
        procedure("1.000002", 1, "NULL"),
    ))
    .unwrap();
    drop(old);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let rows = motcua::app::outbox::pending(&store, 0, 100).unwrap();
    let sent: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            (r.kind.clone(), format!("{} v{}", body["code"].as_str().unwrap(), body["version"]))
        })
        .collect();
    let expected = [("catalog_version", "1.000001 v2"), ("catalog_version", "1.000002 v1")];
    assert_eq!(sent, expected.map(|(k, c)| (k.to_string(), c.to_string())), "the published versions, once");
    assert!(rows[0].seq > 3, "the sequence went on from the rows written before");
    // The triggers that write to the remade table still do; a kind not on the allowlist is refused.
    let conn = store.conn();
    conn.execute(
        "INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, detail) VALUES (1, NULL, 'paused', 1, 'x', NULL)",
        [],
    )
    .unwrap();
    assert_eq!(motcua::app::outbox::pending(&store, 0, 100).unwrap().last().unwrap().kind, "queue_event");
    let refused = conn.execute("INSERT INTO outbox (kind, at_ms, body) VALUES ('phone', 1, '{}')", []).unwrap_err();
    assert!(refused.to_string().contains("a kind of row not on the allowlist"), "{refused}");
}
