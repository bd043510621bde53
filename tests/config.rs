//! Configuration as an installer meets it: defaults, a commented example that loads as is, and bad
//! values that stop start-up with the key, the value and what is allowed.

mod common;

use common::*;
use motcua::config::Config;

#[test]
fn the_example_file_loads_and_matches_the_defaults() {
    let example = Config::load(Some(&root().join("config.example.toml")), Vec::new()).expect("example loads");
    assert_eq!(example, Config::default(), "config.example.toml documents the defaults");
}

#[test]
fn bad_files_name_key_value_and_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[center]\nlevel = \"huyen\"\n", "center.level: unknown variant `huyen`, expected `tinh` or `xa`"),
        ("[kiosk]\nlanguage = \"fr\"\n", "kiosk.language: \"fr\" is not allowed; use \"vi\" or \"en\""),
        ("[kiosk]\nscreen_width_px = \"wide\"\n", "kiosk.screen_width_px: invalid type: string \"wide\", expected u32"),
        ("[kiosk]\ncolour = \"red\"\n", "kiosk.colour: unknown field `colour`"),
        ("[center\nname = 1\n", "TOML parse error at line 1"),
    ];
    for (text, expected) in cases {
        let path = write(dir.path(), "bad.toml", text);
        let err = Config::load(Some(&path), Vec::new()).unwrap_err().to_string();
        assert!(err.contains(expected), "{err} should contain {expected}");
        let data = dir.path().join("var");
        let out = motcua(&data, &["--config", path.to_str().unwrap(), "catalog", "search", "x"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert!(!data.join("motcua.db").exists(), "nothing is created on a bad configuration");
    }
}
