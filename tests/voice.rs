//! `motcua announce` through the real binary: the sentence and its clips, the WAV it writes, a studio
//! recording replacing one clip, and clear refusals for a broken clip or a phrase nobody recorded.

mod common;

use common::*;
use motcua::voice::{self, Clips, RATE};

fn samples(path: &std::path::Path) -> Vec<i16> {
    voice::decode("out", &std::fs::read(path).unwrap()).expect("a WAV in the clips' format")
}

#[test]
fn an_announcement_is_its_clips_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("a025.wav");
    let out = motcua(dir.path(), &["announce", "--number", "a025", "--counter", "21", "--wav", wav.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines[0], "Mời công dân có số thứ tự A, không, hai, năm đến quầy số hai mươi mốt");
    assert_eq!(lines[1], "chime moi-cong-dan-co-so-thu-tu letter-a khong hai nam den-quay-so hai muoi-ngang mot-sac");
    let sound = samples(&wav);
    let seconds = sound.len() as f64 / f64::from(RATE);
    assert!((3.0..12.0).contains(&seconds), "{seconds} s");
    assert!(lines[2].contains(&format!("({seconds:.2} s)")), "{}", lines[2]);
    // The chime opens it: its first samples are the chime's.
    let chime = Clips::new("").load("chime").unwrap();
    assert_eq!(&sound[..chime.len()], chime.as_slice());
}

#[test]
fn a_recording_replaces_its_clip_and_only_that() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir_all(&clips).unwrap();
    // One second of tone with no silence to trim.
    let tone: Vec<i16> = (0..RATE).map(|i| if i % 50 < 25 { 8000 } else { -8000 }).collect();
    std::fs::write(clips.join("den-quay-so.wav"), voice::encode(&tone)).unwrap();
    let config = write(dir.path(), "config.toml", &format!("[voice]\nclips_dir = {:?}\n", clips.to_str().unwrap()));
    let (plain, recorded) = (dir.path().join("plain.wav"), dir.path().join("recorded.wav"));
    let base = ["announce", "--number", "B7", "--counter", "15", "--wav"];
    let out = motcua(dir.path(), &[&base[..], &[plain.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let config = config.to_str().unwrap();
    let out = motcua(dir.path(), &[&["--config", config], &base[..], &[recorded.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let built_in = Clips::new("").load("den-quay-so").unwrap().len();
    assert_eq!(samples(&recorded).len() as i64 - samples(&plain).len() as i64, RATE as i64 - built_in as i64);
}

/// `motcua --config CONFIG announce --number A1 --counter 1 EXTRA…`
fn announce_a1(dir: &std::path::Path, config: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let args = ["--config", config.to_str().unwrap(), "announce", "--number", "A1", "--counter", "1"];
    motcua(dir, &[&args[..], extra].concat())
}

#[test]
fn a_broken_clip_or_an_unrecorded_phrase_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir_all(&clips).unwrap();
    std::fs::write(clips.join("chime.wav"), b"RIFF\x00\x00\x00\x00WAVEjunk").unwrap();
    let wav = dir.path().join("out.wav");
    let config = write(dir.path(), "broken.toml", &format!("[voice]\nclips_dir = {:?}\n", clips.to_str().unwrap()));
    let out = announce_a1(dir.path(), &config, &["--wav", wav.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("clip \"chime\" is not a 22,050 Hz mono 16-bit PCM WAV"), "{}", stderr(&out));
    assert!(!wav.exists(), "nothing written");

    let config = write(dir.path(), "phrase.toml", "[voice]\ntemplate = \"Kính mời {number} đến quầy {counter}\"\n");
    let out = announce_a1(dir.path(), &config, &["--wav", wav.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no clip \"kinh-moi.wav\""), "{}", stderr(&out));
    // The text alone needs no clips.
    let out = announce_a1(dir.path(), &config, &["--no-audio"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("Kính mời A, một đến quầy một"), "{}", stdout(&out));
}
