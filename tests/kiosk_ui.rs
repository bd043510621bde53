//! The kiosk window rendered for real with the software renderer and the bundled fonts: the home screen
//! shows the center and the catalog, typing searches, a tap opens the detail. Screens are written to
//! `target/screenshots/` for people to look at.

mod common;

use common::*;
use i_slint_backend_testing::{ElementHandle, TestingBackend, TestingBackendOptions};
use motcua::app::catalog::{self as catalog, Catalog};
use motcua::config::Config;
use motcua::store::Store;
use motcua::{AppWindow, CatalogAdapter};
use slint::{ComponentHandle, Model, PhysicalSize};
use std::rc::Rc;

fn init_renderer() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("platform set once per test thread");
}

fn kiosk(width: u32, height: u32) -> AppWindow {
    let mut store = Store::open_in_memory().unwrap();
    catalog::seed_demo(&mut store, &clock()).unwrap();
    let synonyms = catalog::load_synonyms("").unwrap();
    let catalog = Rc::new(Catalog::load(&store, &synonyms).unwrap());
    let mut config = Config::default();
    config.kiosk.screen_width_px = width;
    config.kiosk.screen_height_px = height;
    let window = motcua::ui::build(&config, catalog).expect("window builds");
    window.window().set_size(PhysicalSize::new(width, height));
    window.show().expect("window shows");
    window
}

fn snapshot(window: &AppWindow, name: &str) -> (u32, u32, Vec<u8>) {
    let buffer = window.window().take_snapshot().expect("software snapshot");
    let (w, h) = (buffer.width(), buffer.height());
    let bytes: Vec<u8> = buffer.as_slice().iter().flat_map(|p| [p.r, p.g, p.b, p.a]).collect();
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let file = std::fs::File::create(dir.join(format!("{name}.png"))).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(&bytes).unwrap();
    (w, h, bytes)
}

fn find(window: &AppWindow, label: &str) -> ElementHandle {
    ElementHandle::find_by_accessible_label(window, label)
        .next()
        .unwrap_or_else(|| panic!("an element labelled {label:?}"))
}

fn listed(window: &AppWindow) -> Vec<String> {
    let rows = window.global::<CatalogAdapter>().get_procedures();
    rows.iter().map(|r| r.code.to_string()).collect()
}

#[test]
fn portrait_home_search_and_detail() {
    init_renderer();
    let window = kiosk(1080, 1920);
    // The center name in capitals, with stacked marks (Ụ, Ọ), is on screen.
    find(&window, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ MINH HỌA");
    assert_eq!(listed(&window).len(), 56, "the whole demo catalog is listed at first");
    let (w, h, pixels) = snapshot(&window, "kiosk-home-portrait");
    assert_eq!((w, h), (1080, 1920));
    let at = |x: u32, y: u32| &pixels[((y * w + x) * 4) as usize..((y * w + x) * 4 + 3) as usize];
    assert_eq!(at(5, 5), [0xb7, 0x1c, 0x1c], "the header band is drawn in the brand red");

    // Typing without marks narrows the list on every key.
    let search = find(&window, "Tìm thủ tục");
    search.set_accessible_value("dang ky ket h");
    assert_eq!(listed(&window)[0], "1.000894");
    search.set_accessible_value("gpxd");
    assert!(listed(&window).iter().all(|c| c.starts_with("1.01322")), "{:?}", listed(&window));
    search.set_accessible_value("zzzz qqqq");
    assert!(listed(&window).is_empty());
    let (w, _, _) = snapshot(&window, "kiosk-no-result");
    // The clear button stays a button beside a wide field: its left edge is in the last fifth of the row.
    let clear = find(&window, "Xóa");
    let x = clear.absolute_position().x;
    assert!(x > w as f32 * 0.8, "clear button starts at {x}");
    clear.invoke_accessible_default_action();
    assert_eq!(listed(&window).len(), 56, "clearing shows the whole catalog again");

    // A tap on a result opens its detail; the back button returns to the list.
    search.set_accessible_value("khai sinh");
    find(&window, "Thủ tục đăng ký khai sinh").invoke_accessible_default_action();
    let adapter = window.global::<CatalogAdapter>();
    assert!(adapter.get_has_detail());
    assert_eq!(adapter.get_detail().name, "Thủ tục đăng ký khai sinh");
    let sections: Vec<String> = adapter.get_detail().sections.iter().map(|s| s.text.to_string()).collect();
    assert!(sections[0].contains("Miễn lệ phí"), "{sections:?}");
    snapshot(&window, "kiosk-detail-portrait");
    find(&window, "← Quay lại danh sách").invoke_accessible_default_action();
    assert!(!adapter.get_has_detail());
}

#[test]
fn landscape_fields_and_unverified_detail() {
    init_renderer();
    let window = kiosk(1920, 1080);
    find(&window, "Hộ tịch").invoke_accessible_default_action();
    let codes = listed(&window);
    assert!(codes.len() >= 18 && codes.contains(&"1.001193".to_string()), "{codes:?}");
    snapshot(&window, "kiosk-field-landscape");
    // Only rows on screen exist as elements: search brings the wanted one to the top.
    find(&window, "Tìm thủ tục").set_accessible_value("dang ky lai khai sinh");
    find(&window, "Thủ tục đăng ký lại khai sinh").invoke_accessible_default_action();
    let detail = window.global::<CatalogAdapter>().get_detail();
    assert_eq!(detail.code, "1.004884");
    assert!(detail.verified, "code and name of 1.004884 are verified");
    let text: Vec<String> = detail.sections.iter().map(|s| s.text.to_string()).collect();
    assert!(text[0].contains("05 ngày làm việc (chưa xác minh)"), "{text:?}");
    snapshot(&window, "kiosk-detail-landscape");
}
