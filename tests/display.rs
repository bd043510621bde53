//! The hall's display board against the real `motcua serve` over loopback: a number taken at the kiosk
//! and called from the console reaches the board ("A001 → Quầy 1") and the announcement queue; the board
//! says it is offline while the hub restarts and catches up by itself; the latest number is at least 15%
//! of the screen's height at 1920×1080 and 3840×2160. Drawn by Slint's software renderer (testing backend).

mod common;
#[path = "common/layout.rs"]
mod layout;

use common::served::Hall;
use i_slint_backend_testing::{mock_elapsed_time, TestingBackend, TestingBackendOptions};
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::hub::feed::Feed;
use motcua::ui::display::{latest, updates, DisplayBoard};
use motcua::voice::{Clips, Speaker};
use motcua::{BoardCall, BoardCounter, BoardService, DisplayAdapter};
use slint::{ComponentHandle, Model};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn init_renderer() {
    // Once per thread: a second board in the same test keeps the first one's platform.
    let _ = slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })));
}

const NOTICE: &str = "[display]\nnotice = \"Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00\"\n";

fn config(hall: &Hall) -> Config {
    Config::load(Some(&hall.config), std::iter::empty()).unwrap()
}

/// A board following the hall's hub on a feed thread; the test pumps it on this thread.
fn board(hall: &Hall, width: u32, height: u32) -> (Rc<DisplayBoard>, Speaker) {
    board_with(hall, width, height, Speaker::new(&config(hall).voice))
}

fn board_with(hall: &Hall, width: u32, height: u32, speaker: Speaker) -> (Rc<DisplayBoard>, Speaker) {
    init_renderer();
    let config = config(hall);
    let (sender, receiver) = updates();
    let board = DisplayBoard::new(&config, speaker.clone(), receiver, Arc::new(SystemClock)).unwrap();
    board.window.window().set_size(slint::PhysicalSize::new(width, height));
    let mut feed = Feed::new(&hall.url, &hall.display, 15);
    feed.retry = Duration::from_millis(200);
    std::thread::spawn(move || feed.run(|u| sender.send(u).is_ok()));
    (board, speaker)
}

/// Pumps the board until `check` holds (10 s at most).
fn until(board: &DisplayBoard, what: &str, check: impl Fn(&DisplayBoard) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        board.pump();
        if check(board) {
            return;
        }
        assert!(Instant::now() < deadline, "the board never showed {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn status(board: &DisplayBoard) -> String {
    board.window.global::<DisplayAdapter>().get_status().to_string()
}

#[test]
fn a_number_called_at_the_console_reaches_the_board_and_the_announcement_queue() {
    let hall = Hall::open(NOTICE);
    let (board, speaker) = board(&hall, 1920, 1080);
    until(&board, "the hall", |b| b.window.global::<DisplayAdapter>().get_counters().row_count() == 2);
    assert_eq!(status(&board), "", "online, nothing wrong");
    assert_eq!(latest(&board.window), None);

    assert_eq!(hall.take("HT", None), "A001");
    hall.take("HT", None);
    let console = hall.console(1);
    let clicked = Instant::now();
    let called = hall.press(&console, "next");
    assert_eq!(called["ticket"]["number"], "A001");
    until(&board, "A001 → Quầy 1", |b| latest(&b.window).is_some());
    let shown_after = clicked.elapsed();
    assert_eq!(latest(&board.window), Some(("A001".into(), "Quầy 1".into())));
    eprintln!("console click → board: {:.1} ms", shown_after.as_secs_f64() * 1000.0);
    assert_eq!(speaker.pending(), ["Mời công dân có số thứ tự A, không, không, một đến quầy số một"]);
    let adapter = board.window.global::<DisplayAdapter>();
    assert_eq!(adapter.get_flash_serial(), 1, "a new call flashes");
    let counters: Vec<_> = (0..2).map(|i| adapter.get_counters().row_data(i).unwrap()).collect();
    assert_eq!((counters[0].number.as_str(), counters[1].number.as_str()), ("A001", ""));
    until(&board, "one waiting for Hộ tịch", |b| {
        let services = b.window.global::<DisplayAdapter>().get_services();
        services.row_data(0).is_some_and(|s| s.name == "Hộ tịch" && s.waiting == 1)
    });

    // A recall is announced again; the next call lists the earlier one below.
    hall.press(&console, "recall");
    until(&board, "the recall", |b| b.window.global::<DisplayAdapter>().get_latest_recall());
    assert_eq!(speaker.pending().len(), 1, "the same call waiting is not queued twice");
    let second = hall.console(2);
    hall.press(&second, "next");
    until(&board, "A002 → Quầy 2", |b| latest(&b.window) == Some(("A002".into(), "Quầy 2".into())));
    let recent = adapter.get_recent();
    assert_eq!(recent.row_count(), 1);
    assert_eq!(recent.row_data(0).unwrap().number, "A001");
    assert_eq!(
        speaker.pending(),
        [
            "Mời công dân có số thứ tự A, không, không, một đến quầy số một",
            "Mời công dân có số thứ tự A, không, không, hai đến quầy số hai"
        ]
    );
}

#[test]
fn the_board_says_it_is_offline_while_the_hub_restarts_and_catches_up() {
    let mut hall = Hall::open(NOTICE);
    let (board, _speaker) = board(&hall, 1920, 1080);
    until(&board, "online", |b| b.window.global::<DisplayAdapter>().get_online());
    hall.take("HT", None);

    hall.kill();
    until(&board, "the offline state", |b| !b.window.global::<DisplayAdapter>().get_online());
    assert!(status(&board).starts_with("Mất kết nối với máy chủ"), "{}", status(&board));

    hall.restart();
    // Called while the board may still be away: it arrives with the catch-up.
    let console = hall.console(1);
    hall.press(&console, "next");
    until(&board, "A001 after the restart", |b| latest(&b.window) == Some(("A001".into(), "Quầy 1".into())));
    assert!(board.window.global::<DisplayAdapter>().get_online());
    assert_eq!(status(&board), "");
}

#[test]
fn a_board_without_sound_keeps_showing_calls_and_says_it_is_silent() {
    let hall = Hall::open(NOTICE);
    let speaker = Speaker::new(&config(&hall).voice);
    let no_player = "cannot start aplay (alsa-utils): No such file or directory (os error 2)";
    speaker.start(Clips::new(""), Some(Box::new(move |_| Err(no_player.to_string()))));
    let (board, _) = board_with(&hall, 1920, 1080, speaker);
    until(&board, "online", |b| b.window.global::<DisplayAdapter>().get_online());
    hall.take("HT", None);
    hall.press(&hall.console(1), "next");
    until(&board, "the call", |b| latest(&b.window).is_some());
    until(&board, "the silent status", |b| {
        mock_elapsed_time(Duration::from_secs(1));
        status(b).starts_with("Không phát được âm thanh")
    });
    assert!(status(&board).contains("aplay"), "{}", status(&board));
    assert!(board.window.global::<DisplayAdapter>().get_online());
    // Calls keep coming on screen.
    hall.take("HT", None);
    hall.press(&hall.console(2), "next");
    until(&board, "the next call", |b| latest(&b.window) == Some(("A002".into(), "Quầy 2".into())));
}

/// Rows of the latest-call panel holding the number's ink (white once the flash is over).
fn number_height(pixels: &[u8], width: u32, height: u32) -> u32 {
    let (x0, x1) = ((width as f32 * 0.02) as u32, (width as f32 * 0.56) as u32);
    let (y0, y1) = (
        (height as f32 * 0.115 + height as f32 * 0.56 * 0.14) as u32,
        (height as f32 * 0.115 + height as f32 * 0.56 * 0.66) as u32,
    );
    let inked = |y: u32| {
        (x0..x1).any(|x| {
            let i = ((y * width + x) * 4) as usize;
            pixels[i] > 230 && pixels[i + 1] > 230 && pixels[i + 2] > 230
        })
    };
    let rows: Vec<u32> = (y0..y1).filter(|y| inked(*y)).collect();
    rows.last().map_or(0, |last| last - rows[0] + 1)
}

#[test]
fn the_latest_number_is_readable_from_across_the_hall_at_full_hd_and_4k() {
    let hall = Hall::open(NOTICE);
    for service in ["HT", "CT", "HT", "CT", "HT", "HT", "CT", "HT", "HT", "CT"] {
        hall.take(service, None);
    }
    let consoles = [hall.console(2), hall.console(1)];
    for _ in 0..3 {
        for console in &consoles {
            hall.press(console, "next");
        }
    }
    for (width, height) in [(1920u32, 1080u32), (3840, 2160)] {
        let (board, _speaker) = board(&hall, width, height);
        until(&board, "the hall", |b| b.window.global::<DisplayAdapter>().get_counters().row_count() == 2);
        // The call was made before the board started: it is shown, not flashed.
        // The calls arrive one by one from the stream's history: all five listed, the latest shown.
        until(&board, "the five calls", |b| b.window.global::<DisplayAdapter>().get_recent().row_count() == 5);
        assert!(latest(&board.window).is_some());
        assert_eq!(board.window.global::<DisplayAdapter>().get_flash_serial(), 0);
        mock_elapsed_time(Duration::from_secs(3));
        let buffer = board.window.window().take_snapshot().unwrap();
        assert_eq!((buffer.width(), buffer.height()), (width, height));
        let pixels: Vec<u8> = buffer.as_slice().iter().flat_map(|p| [p.r, p.g, p.b, p.a]).collect();
        let glyphs = number_height(&pixels, width, height);
        assert!(
            glyphs as f32 >= height as f32 * 0.15,
            "at {width}x{height} the number is {glyphs} px high, under 15% of {height}"
        );
        if let Some(dir) = std::env::var_os("MOTCUA_SCREENSHOTS") {
            let path = PathBuf::from(dir).join(format!("board-{width}x{height}.png"));
            let mut encoder =
                png::Encoder::new(std::io::BufWriter::new(std::fs::File::create(path).unwrap()), width, height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
        }
    }
}

#[test]
fn a_board_pointed_at_another_hub_without_a_token_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::motcua(dir.path(), &["display", "--hub", "http://192.0.2.10:8080", "--no-audio"]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("display.hub_token is empty") && err.contains("motcua device add board-1 --role display"),
        "{err}"
    );
}

/// Writes a board's frame to target/screenshots/ (or $MOTCUA_SCREENSHOTS).
fn save(pixels: &[u8], width: u32, height: u32, name: &str) {
    let dir = std::env::var_os("MOTCUA_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = std::fs::File::create(dir.join(format!("{name}.png"))).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(pixels).unwrap();
}

/// The longest numbers the configuration allows (two letters, four digits) on a full board, at the three
/// sizes of hall screens: every text inside the screen and its tile, and every counter's number drawn
/// whole: no gold ink in the first or last pixel column of its box, which is where a clipped glyph shows.
#[test]
fn the_longest_numbers_fit_their_tiles_at_every_board_size() {
    init_renderer();
    let mut config = Config::default();
    config.center.name = "Trung tâm Phục vụ hành chính công xã Ea Kiết, huyện Cư M'gar".into();
    for n in [6usize, 16] {
        let (_sender, receiver) = updates();
        let board = DisplayBoard::new(&config, Speaker::new(&config.voice), receiver, Arc::new(SystemClock)).unwrap();
        let a = board.window.global::<DisplayAdapter>();
        let counters: Vec<BoardCounter> = (1..=n)
            .map(|i| BoardCounter { name: format!("Quầy {i}").into(), number: "HT9999".into(), paused: i == 2 })
            .collect();
        a.set_counters(Rc::new(slint::VecModel::from(counters)).into());
        a.set_latest_number("HT9999".into());
        a.set_latest_counter("Quầy 16".into());
        let recent: Vec<BoardCall> =
            (0..8).map(|i| BoardCall { number: "HT9999".into(), counter: format!("Quầy {}", 10 + i).into() }).collect();
        a.set_recent(Rc::new(slint::VecModel::from(recent)).into());
        let services: Vec<BoardService> = ["Hộ tịch", "Chứng thực", "Đất đai – Xây dựng", "Lao động – Thương binh"]
            .iter()
            .map(|s| BoardService { name: (*s).into(), waiting: 9999 })
            .collect();
        a.set_services(Rc::new(slint::VecModel::from(services)).into());
        a.set_online(true);
        a.set_status("".into());
        for (width, height) in [(1280u32, 720u32), (1920, 1080), (3840, 2160)] {
            board.window.window().set_size(slint::PhysicalSize::new(width, height));
            board.window.show().unwrap();
            mock_elapsed_time(Duration::from_millis(20));
            let (texts, out) = layout::texts_out_of_place(&board.window, width as f32, height as f32);
            assert!(texts > n, "only {texts} texts seen");
            assert!(out.is_empty(), "{n} counters at {width}x{height}:\n{}", out.join("\n"));
            let buffer = board.window.window().take_snapshot().unwrap();
            let pixels: Vec<u8> = buffer.as_slice().iter().flat_map(|p| [p.r, p.g, p.b, p.a]).collect();
            let gold = |x: f32, y: f32| {
                let i = ((y as u32 * width + x as u32) * 4) as usize;
                pixels[i] > 200 && pixels[i + 1] > 160 && pixels[i + 2] < 140
            };
            let numbers =
                i_slint_backend_testing::ElementHandle::find_by_accessible_label(&board.window, "counter-number")
                    .collect::<Vec<_>>();
            assert_eq!(numbers.len(), n);
            for number in &numbers {
                let r = layout::Rect::of(number);
                let column = |x: f32| (r.y as u32..(r.y + r.h) as u32).filter(|&y| gold(x, y as f32)).count();
                let inked: usize = (r.x as u32..(r.x + r.w) as u32).map(|x| column(x as f32)).sum();
                if inked == 0 {
                    continue; // the paused counter, in grey
                }
                assert_eq!(
                    column(r.x.ceil()),
                    0,
                    "{n} counters at {width}x{height}: a number cut at the left of {r:?}"
                );
                assert_eq!(
                    column((r.x + r.w).floor() - 1.0),
                    0,
                    "{n} counters at {width}x{height}: a number cut at the right of {r:?}"
                );
            }
            save(&pixels, width, height, &format!("board-{n}-counters-{width}x{height}"));
        }
    }
}
