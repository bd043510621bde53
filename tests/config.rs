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
        ("[kiosk]\nread_aloud_speed = 20\n", "kiosk.read_aloud_speed: 20 is outside 80..=300 words a minute"),
        ("[kiosk]\nread_aloud_player = \"\"\n", "kiosk.read_aloud_player: must name a program while read_aloud is on"),
        // The board and the ticket are laid out for two letters and four digits at most.
        (
            concat!(
                "[[services]]\ncode = \"HT\"\nname_vi = \"Hộ tịch\"\nname_en = \"Civil status\"\nhours = []\n",
                "prefix = \"HTX\"\n"
            ),
            "services.prefix: \"HTX\" is not one or two capital letters A-Z",
        ),
        (
            concat!(
                "[[services]]\ncode = \"HT\"\nname_vi = \"Hộ tịch\"\nname_en = \"Civil status\"\nhours = []\n",
                "prefix = \"A\"\nwidth = 5\n"
            ),
            "services.width: 5 is outside 1..=4 digits",
        ),
        (
            concat!(
                "[[services]]\ncode = \"HT\"\nname_vi = \"Hộ tịch\"\nname_en = \"Civil status\"\nhours = []\n",
                "prefix = \"A\"\nlast = 10000\n"
            ),
            "services.last: 1..10000 is not a range within 0..=9999",
        ),
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
