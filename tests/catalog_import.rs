//! The catalog's way in and out: JSON and CSV import, all-or-nothing, versions, export round trip,
//! through the library and through the real binary on a real SQLite file.

mod common;

use common::*;
use motcua::app::catalog::{self as catalog, CatalogError};
use motcua::domain::catalog::Mark;
use motcua::interchange::{self, ImportError};
use motcua::store::catalog as repo;
use motcua::store::Store;

fn problems(err: CatalogError) -> Vec<String> {
    match err {
        CatalogError::Import(ImportError::Problems(p)) => p.iter().map(|p| p.to_string()).collect(),
        other => panic!("expected problems, got {other}"),
    }
}

fn fresh_store(dir: &std::path::Path) -> Store {
    Store::open(&dir.join("motcua.db")).expect("store opens")
}

#[test]
fn demo_catalog_has_every_row_and_keeps_unknowns_unknown() {
    let file = interchange::read_catalog(&demo_catalog()).expect("the bundled demo catalog is valid");
    assert!(file.demo);
    // 54 rows; row 51 lists three codes, so 56 procedures.
    assert_eq!(file.procedures.len(), 56);
    let demo_codes: Vec<&str> =
        file.procedures.iter().map(|p| p.code.as_str()).filter(|c| c.starts_with("DEMO-")).collect();
    assert_eq!(demo_codes, ["DEMO-015", "DEMO-024", "DEMO-044", "DEMO-045"]);
    for code in ["1.011606", "1.011607", "1.011608"] {
        assert!(file.procedures.iter().any(|p| p.code == code), "{code} from the row with three codes");
    }
    let by_code = |c: &str| file.procedures.iter().find(|p| p.code == c).expect("procedure present");
    // Row 31 (Tách hộ) gives neither time limit nor fee: both stay unknown, never invented.
    let split = &by_code("1.010038").cases[0].channels[0];
    assert!(split.time_limit.is_none() && split.fee.is_none());
    // [ƯT] values come in as unverified.
    let t = by_code("1.004222").cases[0].channels[0].time_limit.as_ref().expect("time limit");
    assert_eq!((t.value, &t.verified), (7, &Mark::Unverified));
    // Birth registration: two cases, the late one with its exemptions.
    let birth = by_code("1.001193");
    assert_eq!(birth.cases.len(), 2);
    assert_eq!(birth.cases[1].channels[0].fee.as_ref().map(|f| f.exemptions.len()), Some(3));
}

#[test]
fn export_then_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.db")).unwrap();
    let outcome = catalog::import_file(&mut a, &demo_catalog(), &clock()).expect("demo imports");
    assert_eq!((outcome.added, outcome.changed, outcome.unchanged), (56, 0, 0));
    let exported = catalog::export(&a, true).unwrap();
    let path = write(dir.path(), "exported.json", &exported);
    let mut b = Store::open(&dir.path().join("b.db")).unwrap();
    catalog::import_file(&mut b, &path, &clock()).expect("export imports");
    assert_eq!(catalog::export(&b, true).unwrap(), exported);
    let again = catalog::import_file(&mut a, &path, &later_clock()).unwrap();
    assert_eq!((again.added, again.changed, again.unchanged), (0, 0, 56), "re-import of the same changes nothing");
    assert!(repo::versions(a.conn(), "1.001193").unwrap().len() == 1);
}

#[test]
fn a_changed_procedure_becomes_a_new_version_and_the_old_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh_store(dir.path());
    catalog::import_file(&mut store, &demo_catalog(), &clock()).unwrap();
    let text = std::fs::read_to_string(demo_catalog())
        .unwrap()
        .replace("\"Thủ tục đăng ký khai sinh\"", "\"Thủ tục đăng ký khai sinh (sửa đổi)\"");
    let path = write(dir.path(), "changed.json", &text);
    let outcome = catalog::import_file(&mut store, &path, &later_clock()).unwrap();
    assert_eq!((outcome.added, outcome.changed, outcome.unchanged), (0, 1, 55));
    let versions = repo::versions(store.conn(), "1.001193").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].procedure.name, "Thủ tục đăng ký khai sinh");
    assert_eq!(versions[1].procedure.name, "Thủ tục đăng ký khai sinh (sửa đổi)");
    assert_eq!(versions[1].version, 2);
    let current = repo::current(store.conn()).unwrap();
    assert_eq!(current.len(), 56);
    assert!(current.iter().any(|s| s.procedure.name == "Thủ tục đăng ký khai sinh (sửa đổi)"));
}

const BAD_JSON: &str = r#"{
  "format": "motcua-catalog",
  "format_version": 1,
  "procedures": [
    {
      "code": "1.0011",
      "name": "Thủ tục A",
      "field": "Hộ tịch",
      "levels": ["xa"],
      "cases": [{ "channels": [{ "kind": "truc_tiep" }] }]
    },
    {
      "code": "1.000656",
      "name": "Thủ tục B",
      "field": "Hộ tịch",
      "levels": ["huyen"],
      "cases": [{ "channels": [{ "kind": "truc_tiep" }] }]
    },
    {
      "code": "1.000894",
      "name": "  ",
      "field": "Hộ tịch",
      "levels": ["xa"],
      "cases": [{ "channels": [
        { "kind": "truc_tiep" },
        { "kind": "truc_tuyen",
          "time_limit": { "value": 0, "unit": "working_days", "text": "03 ngày" } }
      ] }]
    },
    {
      "code": "1.000894",
      "name": "Trùng mã",
      "field": "Hộ tịch",
      "levels": ["xa"],
      "cases": [{ "channels": [{ "kind": "truc_tiep" }] }]
    }
  ]
}
"#;

#[test]
fn every_problem_is_reported_with_file_line_and_field_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh_store(dir.path());
    catalog::import_file(&mut store, &demo_catalog(), &clock()).unwrap();
    let before = catalog::export(&store, true).unwrap();
    let path = write(dir.path(), "bad.json", BAD_JSON);
    let found = problems(catalog::import_file(&mut store, &path, &later_clock()).unwrap_err());
    let name = path.display().to_string();
    assert_eq!(
        found,
        [
            format!("{name}:6: code: \"1.0011\" is not a procedure code: expected a national code like 1.001193 (optionally with a provincial suffix such as 1.001193.000.00.00.H56) or DEMO-nnn"),
            format!("{name}:16: levels[0]: unknown variant `huyen`, expected `tinh` or `xa`"),
            format!("{name}:21: name: must not be empty"),
            format!("{name}:27: cases[0].channels[1].time_limit.value: must be at least 1 (or use unit same_day)"),
            format!("{name}:30: code: 1.000894 is already defined at line 19"),
        ]
    );
    assert_eq!(catalog::export(&store, true).unwrap(), before, "the database is untouched");
}

#[test]
fn broken_files_get_one_clear_message_each() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "truncated.json",
            b"{\"format\": \"motcua-catalog\", \"format_version\": 1,\n\"procedures\": [\n{\"code\": ",
            ":3: ",
        ),
        (
            "wrong-type.json",
            b"{\"format\": \"motcua-catalog\", \"format_version\": 1, \"procedures\": {}}",
            ":1: procedures: invalid type: map, expected a sequence",
        ),
        (
            "wrong-format.json",
            b"{\"format\": \"other\", \"format_version\": 2, \"procedures\": []}",
            ":1: format: \"other\" is not \"motcua-catalog\"",
        ),
        (
            "trailing.json",
            b"{\"format\": \"motcua-catalog\", \"format_version\": 1, \"procedures\": []}\n{}",
            ":2: file: trailing characters",
        ),
        ("latin1.csv", b"code,name\n1.001193,\xd0\xe3ng k\xfd\n", ":2: file: not UTF-8 text; save the file as UTF-8"),
        ("empty.csv", b"", ":1: code: required column is missing"),
        ("binary.bin", &[0u8, 159, 146, 150, 0xff, 0xfe], ":1: file: not UTF-8 text"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh_store(dir.path());
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let found = problems(catalog::import_file(&mut store, &path, &clock()).unwrap_err());
        assert!(found[0].starts_with(&path.display().to_string()), "{found:?}");
        assert!(found[0].contains(expected), "{name}: {found:?} should contain {expected}");
    }
    assert_eq!(repo::count_current(store.conn()).unwrap(), 0);
}

const GOOD_CSV: &str = "\
code,name,field,levels,agency,case,channel,time_value,time_unit,time_text,next_day_after,fee_amount,fee_text,fee_exemptions,documents,online_level,online_url,keywords,verified
1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,xa,UBND cấp xã,Đúng hạn,truc_tiep,,same_day,Ngay trong ngày,15:00,0,Miễn lệ phí,,Tờ khai đăng ký khai sinh [originals=1; form=Tờ khai khai sinh] | Giấy chứng sinh [originals=1; source=Luật Hộ tịch 2014] | Giấy tờ tùy thân [unverified],,,làm giấy khai sinh,Nguồn: Quyết định 1872/QĐ-BTP
1.001193,,,,,Đúng hạn,truc_tuyen,,same_day,Ngay trong ngày,,0,Miễn lệ phí,,,,,,
1.001193,,,,,Không đúng hạn,truc_tiep,,same_day,Ngay trong ngày,,,Theo mức thu do HĐND tỉnh quy định,Hộ nghèo | Người khuyết tật,,,,,
\"2.000815\",\"Chứng thực bản sao từ bản chính, giấy tờ\",Chứng thực,tinh|xa,,,truc_tiep,2,working_days,\"Trong ngày; nhiều bản thì không quá 02 ngày làm việc\",,,\"2.000 đồng/trang\",,Bản chính [originals=1] | Bản sao [copies=1],mot_phan,https://dichvucong.gov.vn/,,false
";

#[test]
fn csv_rows_build_cases_and_channels() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "catalog.csv", GOOD_CSV);
    let file = interchange::read_catalog(&path).expect("sample CSV is valid");
    assert_eq!(file.procedures.len(), 2);
    let birth = &file.procedures[0];
    assert_eq!(birth.cases.len(), 2);
    assert_eq!(birth.cases[0].name.as_deref(), Some("Đúng hạn"));
    assert_eq!(birth.cases[0].channels.len(), 2);
    assert_eq!(birth.cases[1].channels[0].fee.as_ref().unwrap().exemptions, ["Hộ nghèo", "Người khuyết tật"]);
    assert_eq!(birth.documents.len(), 3);
    assert_eq!(birth.documents[0].originals, 1);
    assert_eq!(birth.documents[0].form.as_deref(), Some("Tờ khai khai sinh"));
    assert_eq!(birth.documents[1].verified.source(), Some("Luật Hộ tịch 2014"));
    assert_eq!(birth.documents[2].verified, Mark::Unverified);
    assert_eq!(birth.verified.source(), Some("Quyết định 1872/QĐ-BTP"));
    let copy = &file.procedures[1];
    assert_eq!(copy.levels.len(), 2);
    assert_eq!(copy.verified, Mark::Unverified);
    assert_eq!(copy.cases[0].channels[0].time_limit.as_ref().unwrap().value, 2);
}

#[test]
fn csv_problems_point_at_their_rows() {
    let bad = GOOD_CSV
        .replace("1.001193,,,,,Đúng hạn,truc_tuyen", "1.001193,Tên khác,,,,Đúng hạn,qua_mang")
        .replace("2,working_days", "hai,working_days");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.csv", &bad);
    let mut store = fresh_store(dir.path());
    let found = problems(catalog::import_file(&mut store, &path, &clock()).unwrap_err());
    let name = path.display();
    assert_eq!(
        found,
        [
            format!("{name}:3: name: differs from line 2 of the same procedure"),
            format!("{name}:3: channel: \"qua_mang\" is not allowed; use one of: truc_tiep, truc_tuyen, buu_chinh"),
            format!("{name}:5: time_value: \"hai\" is not a whole number"),
        ]
    );
    let unknown = write(dir.path(), "unknown.csv", "code,name,field,levels,channel,colour\n");
    let found = problems(catalog::import_file(&mut store, &unknown, &clock()).unwrap_err());
    assert_eq!(found.len(), 1);
    assert!(found[0].contains(":1: column 6: unknown column \"colour\""), "{found:?}");
    assert_eq!(repo::count_current(store.conn()).unwrap(), 0);
}

#[test]
fn cli_imports_exports_and_refuses_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    // First run creates the data folder and loads the demo catalog into the fresh database.
    let out = motcua(&data, &["catalog", "export", "--output", dir.path().join("export.json").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for sub in ["motcua.db", "prints", "logs"] {
        assert!(data.join(sub).exists(), "{sub} created");
    }
    let exported = std::fs::read_to_string(dir.path().join("export.json")).unwrap();
    assert_eq!(exported.matches("\"code\"").count(), 56);

    let csv = write(dir.path(), "extra.csv", GOOD_CSV);
    let out = motcua(&data, &["catalog", "import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), format!("{}: 0 added, 2 changed (new version), 0 unchanged", csv.display()));

    let bad = write(dir.path(), "bad.json", BAD_JSON);
    let out = motcua(&data, &["catalog", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("5 problem(s) found, nothing was imported:"), "{err}");
    assert!(err.contains(&format!("{}:16: levels[0]: unknown variant `huyen`", bad.display())), "{err}");

    // Importing into a fresh database brings in the file alone, never the demo catalog.
    let fresh = dir.path().join("fresh");
    let out = motcua(&fresh, &["catalog", "import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), format!("{}: 2 added, 0 changed (new version), 0 unchanged", csv.display()));
    let out = motcua(&fresh, &["catalog", "export"]);
    assert_eq!(stdout(&out).matches("\"code\"").count(), 2);

    let out = motcua(&data, &["catalog", "import", dir.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
}

#[test]
fn import_diff_lists_exactly_the_changed_fields_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let export = dir.path().join("export.json");
    let out = motcua(&data, &["catalog", "export", "--output", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read_to_string(&export).unwrap();
    let mut file: serde_json::Value = serde_json::from_str(&before).unwrap();
    let procedures = file["procedures"].as_array_mut().unwrap();
    // One procedure changes two fields, one leaves the file, one is new.
    let changed = procedures.iter_mut().find(|p| p["code"] == "1.000419").unwrap();
    changed["agency"] = "Ủy ban nhân dân xã".into();
    changed["cases"][0]["channels"][0]["fee"]["text"] = "Miễn lệ phí".into();
    let gone = procedures.iter().position(|p| p["code"] == "2.000908").unwrap();
    let gone_name = procedures.remove(gone)["name"].as_str().unwrap().to_string();
    let mut added = procedures[0].clone();
    added["code"] = "9.999999".into();
    added["name"] = "Thủ tục mới để thử".into();
    procedures.push(added);
    let count = procedures.len();
    let edited = write(dir.path(), "edited.json", &file.to_string());

    let out = motcua(&data, &["catalog", "import", "--diff", edited.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let unchanged = count - 2;
    assert_eq!(
        text,
        format!(
            "{}: 1 to add, 1 to change (new version), {unchanged} unchanged, 1 not in the file (kept); nothing written (--diff)\n\
             + 9.999999 Thủ tục mới để thử\n\
             ~ 1.000419 Thủ tục đăng ký khai tử lưu động\n    \
             agency: \"Ủy ban nhân dân cấp xã\" → \"Ủy ban nhân dân xã\"\n    \
             cases[0].channels[0].fee.text: \"Miễn phí, lệ phí\" → \"Miễn lệ phí\"\n\
             = 2.000908 {gone_name}: not in the file (kept)\n",
            edited.display()
        )
    );
    // Nothing was written: the catalog exports as before.
    let again = dir.path().join("again.json");
    motcua(&data, &["catalog", "export", "--output", again.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), before);
    // A file with problems is refused as an import would be.
    let bad = write(dir.path(), "bad.json", BAD_JSON);
    let out = motcua(&data, &["catalog", "import", "--diff", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("5 problem(s) found"), "{}", stderr(&out));
}

#[test]
fn verified_marks_keep_their_source_and_a_bad_one_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"format": "motcua-catalog", "format_version": 2, "procedures": [
  {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "levels": ["xa"],
   "verified": {"source": "Quyết định 1872/QĐ-BTP"},
   "cases": [{"channels": [{"kind": "truc_tiep",
      "time_limit": {"unit": "same_day", "text": "Ngay trong ngày", "verified": {"source": "Luật Hộ tịch 2014, Điều 16"}},
      "fee": {"amount": 0, "text": "Miễn lệ phí", "verified": false}}]}],
   "documents": [{"name": "Tờ khai", "originals": 1}]}
]}"#;
    let mut store = fresh_store(dir.path());
    catalog::import_file(&mut store, &write(dir.path(), "v2.json", good), &clock()).unwrap();
    let p = &repo::current(store.conn()).unwrap()[0].procedure;
    assert_eq!(p.verified.source(), Some("Quyết định 1872/QĐ-BTP"));
    let channel = &p.cases[0].channels[0];
    assert_eq!(channel.time_limit.as_ref().unwrap().verified.source(), Some("Luật Hộ tịch 2014, Điều 16"));
    assert_eq!(channel.fee.as_ref().unwrap().verified, Mark::Unverified);
    // Checked before sources were kept: still read, and listed for staff to give a source.
    assert!(p.documents[0].verified.is_unrecorded());
    let review: Vec<String> = p.marks().into_iter().filter(|(_, m)| m.needs_review()).map(|(path, _)| path).collect();
    assert_eq!(review, ["cases[0].channels[0].fee.verified", "documents[0].verified"]);
    // The export writes the sources back, as version 2.
    let exported = catalog::export(&store, false).unwrap();
    assert!(exported.contains("\"format_version\": 2"), "{exported}");
    assert!(exported.contains("\"verified\": {\n        \"source\": \"Quyết định 1872/QĐ-BTP\""), "{exported}");

    for (bad, expected) in [
        (r#""verified": "yes""#, "verified: invalid type: string \"yes\", expected false, true or {\"source\": \"…\"}"),
        (r#""verified": {"source": "  "}"#, "verified: a verified mark's source must not be empty"),
        (r#""verified": {"sauce": "x"}"#, "verified: unknown field `sauce`, expected `source`"),
    ] {
        let text = good.replace(r#""verified": {"source": "Quyết định 1872/QĐ-BTP"}"#, bad);
        let err = catalog::import_file(&mut store, &write(dir.path(), "bad.json", &text), &clock()).unwrap_err();
        let found = problems(err);
        assert!(found.iter().any(|p| p.contains(expected)), "{bad}: {found:?}");
    }
    assert_eq!(repo::versions(store.conn(), "1.001193").unwrap().len(), 1, "nothing of a refused file is kept");
}
