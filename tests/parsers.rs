//! Every parser under hostile input: random bytes, and real samples mutated (bytes changed, inserted,
//! deleted, slices repeated). Each parser must answer with a value or a clear error and never panic; an
//! import that fails leaves the database exactly as it was. Cases per property: `PROPTEST_CASES` (256
//! by default, the short pass CI runs); `benches/parsers.sh` runs the long pass.

mod common;

use motcua::config::Config;
use motcua::print::virtual_printer::interpret;
use motcua::scanner::{LineReader, Scan, MAX_CODE};
use motcua::store::Store;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as Cases, TestRunner};
use std::path::Path;

/// `sample` with a few random edits: a byte changed, one inserted, a range deleted, a range repeated.
fn mutated(sample: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<Index>(), 0u8..4, any::<u8>(), any::<Index>()), 1..10).prop_map(move |edits| {
        let mut b = sample.clone();
        for (at, op, byte, other) in edits {
            if b.is_empty() {
                b.push(byte);
                continue;
            }
            let (i, j) = (at.index(b.len()), other.index(b.len()));
            let (lo, hi) = (i.min(j), i.max(j));
            match op {
                0 => b[i] = byte,
                1 => b.insert(i, byte),
                2 => {
                    b.drain(lo..hi);
                }
                _ => {
                    let copy = b[lo..hi.min(lo + 4096)].to_vec();
                    b.splice(i..i, copy);
                }
            }
        }
        b
    })
}

/// Mutated samples most of the time, plain random bytes otherwise.
fn hostile(sample: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![4 => mutated(sample), 1 => prop::collection::vec(any::<u8>(), 0..2048)]
}

fn runner() -> TestRunner {
    // PROPTEST_CASES from the environment, 256 otherwise; failures are not saved to files in the tree.
    TestRunner::new(Cases { failure_persistence: None, ..Cases::default() })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every row of every table, in order: equal fingerprints, equal databases.
fn fingerprint(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap();
        out.push_str(&t);
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

const CATALOG_CSV: &str = "\
code,name,field,levels,agency,case,channel,time_value,time_unit,time_text,next_day_after,fee_amount,fee_text,fee_exemptions,documents,online_level,online_url,keywords,verified
9.000001,Thủ tục thử nghiệm khai sinh,Hộ tịch,xa,UBND cấp xã,Đúng hạn,truc_tiep,,same_day,Ngay trong ngày,15:00,0,Miễn lệ phí,,Tờ khai [originals=1; form=Tờ khai] | Giấy chứng sinh [originals=1],,,làm giấy khai sinh,
9.000001,,,,,Đúng hạn,truc_tuyen,,same_day,Ngay trong ngày,,0,Miễn lệ phí,,,,,,
9.000002,\"Chứng thực bản sao, giấy tờ\",Chứng thực,tinh|xa,,,truc_tiep,2,working_days,Trong ngày,,,\"2.000 đồng/trang\",,Bản chính [originals=1],mot_phan,https://dichvucong.gov.vn/,,false
";

#[test]
fn catalog_imports_of_hostile_files_change_nothing_or_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("motcua.db");
    let store = std::cell::RefCell::new(Store::open(&db).unwrap());
    let clock = common::clock();
    motcua::app::catalog::seed_demo(&mut store.borrow_mut(), &clock).unwrap();
    let json = std::fs::read(common::demo_catalog()).unwrap();
    for (name, sample) in [("hostile.csv", CATALOG_CSV.as_bytes().to_vec()), ("hostile.json", json)] {
        let file = dir.path().join(name);
        runner()
            .run(&hostile(sample), |bytes| {
                std::fs::write(&file, &bytes).unwrap();
                let before = fingerprint(&db);
                match motcua::app::catalog::import_file(&mut store.borrow_mut(), &file, &clock) {
                    Ok(_) => {}
                    Err(e) => {
                        let message = e.to_string();
                        prop_assert!(message.contains(name), "{}", message);
                        prop_assert_eq!(fingerprint(&db), before, "a failed import changed the database: {}", message);
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}

const DOSSIERS_JSON: &str = r#"[
  {"code": "H99-260804-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
   "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678",
   "received": "2026-08-04 09:30", "appointment": "2026-08-07 09:30", "status": 4, "documents": ["Tờ khai"]},
  {"code": "H99-260804-0002", "procedure_code": "2.000908", "procedure_name": "Chứng thực bản sao từ bản chính",
   "received": "2026-08-04 10:00", "status": 5, "note": "Bổ sung bản chính căn cước"}
]"#;

const DOSSIERS_CSV: &str = "\
code,procedure_code,procedure_name,channel,applicant_name,applicant_phone,received,appointment,status,note,collect_at,documents
H99-260804-0003,1.001193,Đăng ký khai sinh,1,Trần Thị Bình,0987654321,2026-08-04 09:30,2026-08-07 09:30,4,,Quầy 1,Tờ khai;Giấy chứng sinh
H99-260804-0004,2.000908,Chứng thực,,,,2026-08-04 10:00,,5,\"Bổ sung, bản chính\",,
";

#[test]
fn dossier_imports_of_hostile_files_change_nothing_or_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("motcua.db");
    let store = std::cell::RefCell::new(Store::open(&db).unwrap());
    let config = Config::default();
    let calendar = motcua::app::dossier::calendar(&config).unwrap();
    let clock = common::clock();
    let none = |_: &str, _: u8| None;
    for (name, sample) in [("hostile.json", DOSSIERS_JSON), ("hostile.csv", DOSSIERS_CSV)] {
        runner()
            .run(&hostile(sample.as_bytes().to_vec()), |bytes| {
                let records = match motcua::interchange::dossiers::read(name, &text(&bytes)) {
                    Ok(records) => records,
                    Err(problems) => {
                        prop_assert!(!problems.is_empty());
                        for p in &problems {
                            prop_assert!(p.file == name && !p.message.is_empty(), "{:?}", p);
                        }
                        return Ok(());
                    }
                };
                let before = fingerprint(&db);
                if let Err(e) = motcua::app::dossier::import(
                    &mut store.borrow_mut(),
                    &config,
                    &records,
                    &calendar,
                    &none,
                    "t",
                    &clock,
                ) {
                    prop_assert_eq!(fingerprint(&db), before, "a failed import changed the database: {}", e);
                }
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn calendar_files_parse_or_say_where_they_are_wrong() {
    let sample = std::fs::read(common::root().join("assets/calendar/2026.toml")).unwrap();
    runner()
        .run(&hostile(sample), |bytes| {
            if let Err(e) = motcua::interchange::calendar::parse_year(&text(&bytes), "2026.toml") {
                prop_assert!(e.contains("2026.toml"), "{}", e);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn wav_clips_decode_or_are_refused_by_name() {
    let sample = std::fs::read(common::root().join("assets/audio/vi/ba.wav")).unwrap();
    runner()
        .run(&hostile(sample), |bytes| {
            match motcua::voice::decode("ba.wav", &bytes) {
                Ok(pcm) => prop_assert!(pcm.len() * 2 <= bytes.len()),
                Err(e) => prop_assert!(e.to_string().contains("ba.wav"), "{}", e),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_virtual_printer_prints_any_bytes_on_its_paper_width() {
    let profile = motcua::print::profile::Profile::builtin("epson-tm-t20").unwrap();
    let sample = motcua::print::layout::selftest(&profile);
    runner()
        .run(&hostile(sample), |bytes| {
            let (_, paper) = interpret(&bytes, 576, Default::default());
            prop_assert_eq!(paper.width, 576);
            Ok(())
        })
        .unwrap();
}

#[test]
fn scanner_lines_give_clean_codes_however_the_bytes_are_split() {
    let sample = b"https://hall.example/t/abc123\r\nH99-260804-0001\n\x00\x1b[Agarbage\r\n".to_vec();
    let splits = prop::collection::vec(any::<Index>(), 0..6);
    runner()
        .run(&(hostile(sample), splits), |(bytes, cuts)| {
            let whole = LineReader::default().push(&bytes);
            for scan in &whole {
                if let Scan::Code(code) = scan {
                    prop_assert!(!code.is_empty() && code.len() <= MAX_CODE, "{:?}", code);
                    prop_assert!(code.chars().all(|c| !c.is_control()) && code.trim() == code, "{:?}", code);
                }
            }
            let mut at: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
            at.sort_unstable();
            let mut reader = LineReader::default();
            let (mut pieces, mut from) = (Vec::new(), 0);
            for to in at.into_iter().chain([bytes.len()]) {
                pieces.extend(reader.push(&bytes[from..to]));
                from = to;
            }
            prop_assert_eq!(pieces, whole);
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_printer_status_answer_is_classified() {
    use motcua::print::status::{answers_for, classify, PrinterState};
    for a in [None].into_iter().chain((0..=255u8).map(Some)) {
        for b in [None, Some(0x12), Some(0x00), Some(0xFF)].into_iter().chain((0..=255u8).step_by(7).map(Some)) {
            for c in [None].into_iter().chain((0..=255u8).map(Some)) {
                let state = classify(a, b, c);
                if a.is_none() || b.is_none() || c.is_none() {
                    assert!(matches!(state, PrinterState::NoAnswer | PrinterState::Garbled(_)), "{a:?} {b:?} {c:?}");
                }
            }
        }
    }
    for state in [PrinterState::Ready, PrinterState::PaperOut, PrinterState::CoverOpen, PrinterState::PaperNearEnd] {
        let [a, b, c] = answers_for(&state);
        assert_eq!(classify(Some(a), Some(b), Some(c)), state);
    }
}

#[test]
fn the_config_loader_names_the_file_and_key_of_every_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let sample = std::fs::read(common::root().join("config.example.toml")).unwrap();
    let env = prop::collection::vec(
        (
            prop::sample::select(vec!["MOTCUA_HUB_READERS", "MOTCUA_KIOSK_FULLSCREEN", "MOTCUA_QUEUE_X", "MOTCUA_"]),
            ".{0,12}",
        ),
        0..3,
    );
    runner()
        .run(&(hostile(sample), env), |(bytes, env)| {
            std::fs::write(&path, &bytes).unwrap();
            let env = env.into_iter().map(|(k, v)| (k.to_string(), v));
            if let Err(e) = Config::load(Some(&path), env) {
                let message = e.to_string();
                prop_assert!(message.contains("config.toml") || message.contains("MOTCUA_"), "{}", message);
            }
            Ok(())
        })
        .unwrap();
}
