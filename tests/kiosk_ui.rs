//! The kiosk window rendered for real with the software renderer and the bundled fonts, over a real hub
//! (SQLite file) and the virtual printer: home, catalog search and detail with a printed slip, taking a
//! number (printed, out of paper, tapped twice, hub lost), lookup, the idle countdown and the language
//! switch. Screens are written to `target/screenshots/` (or `$MOTCUA_SCREENSHOTS`) for people to look at.

mod common;
#[path = "common/escpos.rs"]
mod escpos;
#[path = "common/fake_printer.rs"]
mod fake_printer;
#[path = "common/layout.rs"]
mod layout;

use common::*;
use i_slint_backend_testing::{mock_elapsed_time, ElementHandle, TestingBackend, TestingBackendOptions};
use motcua::app::catalog::{self as catalog, Catalog};
use motcua::app::queue::Issuer;
use motcua::config::Config;
use motcua::hub::client::RemoteHub;
use motcua::hub::feed::Feed;
use motcua::hub::follow::{Follow, Following, Remote};
use motcua::store::Store;
use motcua::ui::{Kiosk, Parts, Work};
use motcua::{AppWindow, CatalogAdapter, KioskAdapter, LookupAdapter, RatingAdapter, Theme, TicketAdapter};
use slint::{ComponentHandle, Model, PhysicalSize};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn init_renderer() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("platform set once per test thread");
}

struct Rig {
    kiosk: Kiosk,
    hub: Arc<dyn Issuer + Send + Sync>,
    /// The hub in this process (None with a remote one).
    local: Option<Arc<motcua::hub::Hub>>,
    work: Work,
    dir: tempfile::TempDir,
}

impl Rig {
    fn window(&self) -> &AppWindow {
        &self.kiosk.window
    }
    /// Tickets and slips the virtual printer made.
    fn prints(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("prints"))
            .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "bin")).collect())
            .unwrap_or_default();
        found.sort();
        found
    }
    fn waiting(&self, service: &str) -> u32 {
        self.hub.services().unwrap().iter().find(|s| s.code == service).map_or(0, |s| s.waiting)
    }
}

fn config(width: u32, height: u32) -> Config {
    let mut config = hub::open_all_day(Config::default());
    config.kiosk.screen_width_px = width;
    config.kiosk.screen_height_px = height;
    // Capitals with stacked marks in the header, to check nothing is clipped.
    config.center.name = "Ủy ban nhân dân xã Đắk Lắk".into();
    config
}

/// A kiosk on the demo catalog; `remote` is a hub's address and this kiosk's token there (None: a hub in
/// this process).
fn rig_with(config: Config, remote: Option<(&str, &str)>) -> Rig {
    rig_following(config, remote, false)
}

/// `rig_with`; with `follow`, the kiosk follows what its hub publishes, as the real one does: the hub in
/// this process, or a remote one's event stream and catalog (kept in the rig's folder).
fn rig_following(config: Config, remote: Option<(&str, &str)>, follow: bool) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("motcua.db")).unwrap();
    catalog::seed_demo(&mut store, &clock()).unwrap();
    let synonyms = catalog::load_synonyms("").unwrap();
    let mut catalog = Rc::new(Catalog::load(&store, &synonyms).unwrap());
    let clock = Arc::new(clock());
    let local = match remote {
        Some(_) => None,
        None => Some(motcua::hub::Hub::new(store, config.clone(), clock.clone(), dir.path().to_path_buf()).unwrap()),
    };
    let following = match (follow, &local, remote) {
        (false, _, _) => None,
        (true, Some(hub), _) => Some(Following { follow: Follow::Local(hub.clone()), synonyms, stamp: String::new() }),
        (true, None, Some((url, token))) => {
            let remote = Remote {
                feed: Feed::new(url, token, 1),
                hub: RemoteHub::new(url, token),
                copy: dir.path().join("catalog-from-hub.json"),
            };
            let loaded = remote.load(&synonyms).expect("the hub's catalog loads");
            catalog = Rc::new(loaded.catalog);
            Some(Following { follow: Follow::Remote(Box::new(remote)), synonyms, stamp: loaded.stamp })
        }
        (true, None, None) => unreachable!("a hub in this process when none is remote"),
    };
    let hub: Arc<dyn Issuer + Send + Sync> = match (&local, remote) {
        (Some(hub), _) => hub.clone(),
        (None, Some((url, token))) => Arc::new(RemoteHub::new(url, token)),
        (None, None) => unreachable!("a hub in this process when none is remote"),
    };
    let printer = motcua::app::printing::open(&config, dir.path(), &config.kiosk.printer).unwrap();
    let work = Work::held();
    let (width, height) = (config.kiosk.screen_width_px, config.kiosk.screen_height_px);
    let kiosk = motcua::ui::build(Parts {
        config,
        catalog,
        hub: hub.clone(),
        printer: Arc::new(Mutex::new(printer)),
        clock,
        work: work.clone(),
        follow: following,
    })
    .expect("window builds");
    kiosk.window.window().set_size(PhysicalSize::new(width, height));
    kiosk.window.show().expect("window shows");
    let rig = Rig { kiosk, hub, local, work, dir };
    rig.work.run_pending();
    rig
}

fn rig(width: u32, height: u32) -> Rig {
    rig_with(config(width, height), None)
}

fn snapshot(window: &AppWindow, name: &str) -> (u32, u32, Vec<u8>) {
    let dir =
        std::env::var_os("MOTCUA_SCREENSHOTS").map(PathBuf::from).unwrap_or_else(|| root().join("target/screenshots"));
    snapshot_in(window, &dir, name)
}

fn snapshot_in(window: &AppWindow, dir: &std::path::Path, name: &str) -> (u32, u32, Vec<u8>) {
    // Let conditional elements appear and timers settle before drawing.
    mock_elapsed_time(Duration::from_millis(10));
    let buffer = window.window().take_snapshot().expect("software snapshot");
    let (w, h) = (buffer.width(), buffer.height());
    let bytes: Vec<u8> = buffer.as_slice().iter().flat_map(|p| [p.r, p.g, p.b, p.a]).collect();
    let path = dir.join(format!("{name}.png"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(&bytes).unwrap();
    (w, h, bytes)
}

fn find(window: &AppWindow, label: &str) -> ElementHandle {
    mock_elapsed_time(Duration::from_millis(1));
    ElementHandle::find_by_accessible_label(window, label)
        .next()
        .unwrap_or_else(|| panic!("an element labelled {label:?}"))
}

fn tap(window: &AppWindow, label: &str) {
    find(window, label).invoke_accessible_default_action();
    mock_elapsed_time(Duration::from_millis(1));
}

fn listed(window: &AppWindow) -> Vec<String> {
    let rows = window.global::<CatalogAdapter>().get_procedures();
    rows.iter().map(|r| r.code.to_string()).collect()
}

fn screen(window: &AppWindow) -> String {
    window.global::<KioskAdapter>().get_screen().to_string()
}

/// Takes a number for Hộ tịch without priority, running the background work only when asked.
fn take_number(rig: &Rig) {
    to_priority(rig);
    tap(rig.window(), "Không, lấy số thường");
}

#[test]
fn portrait_home_search_and_detail() {
    init_renderer();
    let rig = rig(1080, 1920);
    let window = rig.window();
    assert_eq!(screen(window), "home");
    find(window, "emblem");
    let (w, h, pixels) = snapshot(window, "kiosk-home-portrait");
    assert_eq!((w, h), (1080, 1920));
    let at = |x: u32, y: u32| &pixels[((y * w + x) * 4) as usize..((y * w + x) * 4 + 3) as usize];
    assert_eq!(at(5, 5), [0xb7, 0x1c, 0x1c], "the header band is drawn in the brand red");
    tap(window, "Thủ tục hành chính");
    assert_eq!(screen(window), "catalog");
    assert_eq!(listed(window).len(), 56, "the whole demo catalog is listed at first");
    snapshot(window, "kiosk-catalog-portrait");

    // Typing without marks narrows the list on every key.
    let search = find(window, "Tìm thủ tục");
    search.set_accessible_value("dang ky ket h");
    assert_eq!(listed(window)[0], "1.000894");
    search.set_accessible_value("gpxd");
    assert!(listed(window).iter().all(|c| c.starts_with("1.01322")), "{:?}", listed(window));
    search.set_accessible_value("zzzz qqqq");
    assert!(listed(window).is_empty());
    let (w, _, _) = snapshot(window, "kiosk-no-result");
    // The clear button stays a button beside a wide field: its left edge is in the last fifth of the row.
    let clear = find(window, "Xóa");
    let x = clear.absolute_position().x;
    assert!(x > w as f32 * 0.8, "clear button starts at {x}");
    clear.invoke_accessible_default_action();
    assert_eq!(listed(window).len(), 56, "clearing shows the whole catalog again");

    // A tap on a result opens its detail; the back button returns to the list.
    search.set_accessible_value("khai sinh");
    find(window, "Thủ tục đăng ký khai sinh").invoke_accessible_default_action();
    let adapter = window.global::<CatalogAdapter>();
    assert!(adapter.get_has_detail());
    assert_eq!(adapter.get_detail().name, "Thủ tục đăng ký khai sinh");
    let sections: Vec<String> = adapter.get_detail().sections.iter().map(|s| s.text.to_string()).collect();
    assert!(sections[0].contains("Miễn lệ phí"), "{sections:?}");
    snapshot(window, "kiosk-detail-portrait");
    find(window, "← Quay lại danh sách").invoke_accessible_default_action();
    assert!(!adapter.get_has_detail());
}

#[test]
fn landscape_fields_and_unverified_detail() {
    init_renderer();
    let rig = rig(1920, 1080);
    let window = rig.window();
    snapshot(window, "kiosk-home-landscape");
    tap(window, "Thủ tục hành chính");
    snapshot(window, "kiosk-catalog-landscape");
    find(window, "Hộ tịch").invoke_accessible_default_action();
    let codes = listed(window);
    assert!(codes.len() >= 18 && codes.contains(&"1.001193".to_string()), "{codes:?}");
    snapshot(window, "kiosk-field-landscape");
    // Only rows on screen exist as elements: search brings the wanted one to the top.
    find(window, "Tìm thủ tục").set_accessible_value("dang ky lai khai sinh");
    find(window, "Thủ tục đăng ký lại khai sinh").invoke_accessible_default_action();
    let detail = window.global::<CatalogAdapter>().get_detail();
    assert_eq!(detail.code, "1.004884");
    assert!(detail.verified, "code and name of 1.004884 are verified");
    let text: Vec<String> = detail.sections.iter().map(|s| s.text.to_string()).collect();
    assert!(text[0].contains("05 ngày làm việc (chưa xác minh)"), "{text:?}");
    snapshot(window, "kiosk-detail-landscape");
}

#[test]
fn taking_a_number_prints_the_ticket_and_shows_its_number() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    tap(w, "Lấy số thứ tự");
    snapshot(w, "kiosk-ticket-loading-portrait");
    rig.work.run_pending();
    let services: Vec<String> = w.global::<TicketAdapter>().get_services().iter().map(|s| s.name.to_string()).collect();
    assert_eq!(services.len(), 4, "{services:?}");
    snapshot(w, "kiosk-ticket-services-portrait");
    tap(w, "Hộ tịch");
    snapshot(w, "kiosk-ticket-priority-portrait");
    tap(w, "Không, lấy số thường");
    let t = w.global::<TicketAdapter>();
    assert_eq!(t.get_step(), "printing");
    assert!(rig.prints().is_empty(), "nothing printed before the work runs");
    snapshot(w, "kiosk-ticket-printing-portrait");
    rig.work.run_pending();
    assert_eq!(t.get_step(), "done");
    assert_eq!(t.get_number(), "A001");
    assert_eq!(t.get_ahead(), 0);
    assert_eq!(rig.prints().len(), 1, "one ticket on the virtual printer");
    assert_eq!(rig.waiting("HT"), 1, "the printed ticket joined the line");
    let (_, _, _) = snapshot(w, "kiosk-ticket-done-portrait");
    // The big number and "SỐ THỨ TỰ CỦA BẠN" are on screen, not clipped at the top.
    assert_not_clipped(w, "SỐ THỨ TỰ CỦA BẠN");
    // A second citizen is told one person is ahead.
    tap(w, "⌂ Về trang chủ");
    take_number(&rig);
    rig.work.run_pending();
    assert_eq!((t.get_number().as_str(), t.get_ahead()), ("A002", 1));
}

#[test]
fn a_double_tap_takes_one_number() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    take_number(&rig);
    // The second tap arrives while the first is still printing: the same button, invoked again.
    w.global::<TicketAdapter>().invoke_pick_priority(-1);
    w.global::<TicketAdapter>().invoke_pick_service(0);
    assert_eq!(rig.work.pending(), 1, "one reservation under way");
    rig.work.run_pending();
    assert_eq!(rig.prints().len(), 1);
    assert_eq!(rig.waiting("HT"), 1);
    assert_eq!(w.global::<TicketAdapter>().get_number(), "A001");
}

#[test]
fn a_print_that_never_ends_does_not_lock_the_kiosk() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    take_number(&rig);
    // The work is never run: the printer link hangs.
    let t = w.global::<TicketAdapter>();
    for _ in 0..motcua::ui::ticket::GIVE_UP_AFTER_S - 1 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert_eq!(t.get_step(), "printing", "waits while a print may still finish");
    tap(w, "⌂ Về trang chủ");
    assert_eq!(screen(w), "ticket", "the home button waits too");
    mock_elapsed_time(Duration::from_secs(1));
    assert_eq!(t.get_step(), "failed");
    assert!(t.get_message().contains("không trả lời"), "{}", t.get_message());
    tap(w, "⌂ Về trang chủ");
    assert_eq!(screen(w), "home", "the kiosk is free again");
}

#[test]
fn a_printer_out_of_paper_shows_the_number_on_screen_with_its_qr_and_the_ticket_joins_the_line() {
    init_renderer();
    let mut config = config(1080, 1920);
    config.printers.get_mut("kiosk").unwrap().target = "virtual?state=paper_out".into();
    let rig = rig_with(config, None);
    let w = rig.window();
    take_number(&rig);
    rig.work.run_pending();
    let t = w.global::<TicketAdapter>();
    assert_eq!(t.get_step(), "on-screen");
    assert_eq!(t.get_number(), "A001");
    assert!(t.get_message().contains("hết giấy"), "{}", t.get_message());
    assert!(t.get_advice().contains("chụp ảnh màn hình"), "{}", t.get_advice());
    assert_eq!(rig.waiting("HT"), 1, "the ticket is in the line although the default rule voids unprinted ones");
    let text = screen_qr(w, "kiosk-ticket-on-screen-portrait");
    assert!(
        text.starts_with("http://127.0.0.1:8080/t/") && text.len() == "http://127.0.0.1:8080/t/".len() + 32,
        "{text}"
    );
    let token = text.rsplit('/').next().unwrap();
    let status = rig.hub.status(token).unwrap().expect("the QR's ticket exists");
    assert_eq!((status.number.as_str(), status.state.as_str()), ("A001", "waiting"));
}

/// The QR code on screen, read from the picture as a phone's camera would (rqrr); the screen is saved as
/// `name`.
fn screen_qr(w: &AppWindow, name: &str) -> String {
    qr_labelled(w, name, "ticket-qr")
}

/// The QR code of the image labelled `label`, read from the screen's picture.
fn qr_labelled(w: &AppWindow, name: &str, label: &str) -> String {
    let (width, _, pixels) = snapshot(w, name);
    let qr = find(w, label);
    let (p, s) = (qr.absolute_position(), qr.size());
    // With the white margin around the code.
    let (x0, y0) = ((p.x as usize).saturating_sub(20), (p.y as usize).saturating_sub(20));
    let (w0, h0) = (s.width as usize + 40, s.height as usize + 40);
    let mut grids =
        rqrr::PreparedImage::prepare_from_greyscale(w0, h0, |x, y| pixels[((y0 + y) * width as usize + x0 + x) * 4]);
    let grid = grids.detect_grids().into_iter().next().expect("a QR code on screen");
    grid.decode().expect("it decodes").1
}

#[test]
fn a_printer_answering_garbage_follows_the_not_printed_rule_and_leaves_no_ticket() {
    init_renderer();
    let mut config = config(1080, 1920);
    config.printers.get_mut("kiosk").unwrap().target = "virtual?state=garbled".into();
    let rig = rig_with(config, None);
    let w = rig.window();
    take_number(&rig);
    rig.work.run_pending();
    let t = w.global::<TicketAdapter>();
    assert_eq!(t.get_step(), "failed");
    assert_eq!(t.get_number(), "", "no number is shown for a voided ticket");
    assert!(t.get_message().contains("không trả lời"), "{}", t.get_message());
    assert!(t.get_advice().contains("Chưa có số nào được cấp"), "{}", t.get_advice());
    assert_eq!(rig.waiting("HT"), 0, "no phantom ticket in the line");
    snapshot(w, "kiosk-ticket-failed-portrait");
    tap(w, "Thử lại");
    rig.work.run_pending();
    assert_eq!(t.get_step(), "choose");
}

#[test]
fn a_lost_hub_is_shown_and_taking_a_number_says_so() {
    init_renderer();
    // Nothing listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut config = config(1080, 1920);
    // An emblem file that cannot be read: the bundled mark shows instead.
    config.center.emblem = "/nonexistent/emblem.png".into();
    let rig = rig_with(config, Some((&format!("http://{closed}"), "no-token")));
    find(rig.window(), "emblem");
    let w = rig.window();
    assert!(!w.global::<KioskAdapter>().get_hub_ok(), "the home screen noticed");
    find(w, "hub-lost");
    snapshot(w, "kiosk-hub-lost-portrait");
    tap(w, "Lấy số thứ tự");
    rig.work.run_pending();
    assert_eq!(w.global::<TicketAdapter>().get_services().row_count(), 0);
    // The catalog still works without the hub.
    tap(w, "⌂ Về trang chủ");
    tap(w, "Thủ tục hành chính");
    assert_eq!(listed(w).len(), 56);
}

#[test]
fn lookup_finds_a_scanned_ticket_and_a_dossier_by_code_or_by_its_qr() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    take_number(&rig);
    rig.work.run_pending();
    tap(w, "⌂ Về trang chủ");
    let url = escpos::decode(&std::fs::read(&rig.prints()[0]).unwrap()).qr[0].clone();
    let token = url.rsplit("/t/").next().expect("the ticket's QR holds its address").to_string();
    tap(w, "Tra cứu hồ sơ");
    assert_eq!(screen(w), "lookup");
    // A keyboard-wedge scanner types the QR's address into the focused field and presses Enter.
    let field = find(w, "Mã hồ sơ");
    field.set_accessible_value(format!("http://127.0.0.1:8080/t/{token}"));
    let l = w.global::<LookupAdapter>();
    l.invoke_lookup(l.get_code());
    assert_eq!(l.get_state(), "searching");
    rig.work.run_pending();
    assert_eq!(l.get_state(), "ticket");
    assert_eq!(l.get_title(), "Phiếu số A001");
    let lines: Vec<String> = l.get_lines().iter().map(|s| s.to_string()).collect();
    assert!(lines.iter().any(|x| x.contains("Đang chờ đến lượt")), "{lines:?}");
    snapshot(w, "kiosk-lookup-ticket-portrait");

    // Typed on the screen's keyboard: a dossier code shows its public status, nothing personal.
    let file = r#"[{"code": "H57.132-260804-0583", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Nguyễn Văn Hải", "applicant_phone": "0912345678", "received": "2026-08-04 09:30",
        "appointment": "2026-08-07 09:30", "status": 5, "note": "Bổ sung bản chính giấy chứng sinh"}]"#;
    let records = motcua::interchange::dossiers::read("d.json", file).unwrap();
    let dossier_token = rig
        .local
        .as_ref()
        .unwrap()
        .change(move |store, config, clock| {
            let calendar = motcua::app::dossier::calendar(config)?;
            let none = |_: &str, _: u8| None;
            motcua::app::dossier::import(store, config, &records, &calendar, &none, "test", clock)?;
            Ok(motcua::store::dossier::by_code(store.conn(), "H57.132-260804-0583")?.unwrap().token)
        })
        .unwrap();
    tap(w, "Xóa mã");
    for key in "H57.132-260804-0583".chars() {
        tap(w, &key.to_string());
    }
    assert_eq!(l.get_code(), "H57.132-260804-0583");
    tap(w, "⌫ Xóa lùi");
    tap(w, "3");
    tap(w, "Tra cứu");
    assert_eq!(l.get_state(), "searching");
    rig.work.run_pending();
    assert_eq!(l.get_state(), "dossier");
    assert_eq!(l.get_title(), "Hồ sơ H57.132-260804-0583");
    let lines: Vec<String> = l.get_lines().iter().map(|s| s.to_string()).collect();
    assert_eq!(lines[0], "Trạng thái: Yêu cầu bổ sung giấy tờ");
    assert!(lines.iter().any(|x| x == "Hẹn trả kết quả: 09 giờ 30 phút, ngày 07/08/2026"), "{lines:?}");
    assert!(!lines.iter().any(|x| x.contains("Nguyễn") || x.contains("Bổ sung bản chính")), "{lines:?}");
    snapshot(w, "kiosk-lookup-dossier-portrait");
    // The details by the phone's last four digits, typed on the screen's keyboard: wrong, then right.
    let lines_now = |l: &LookupAdapter| l.get_lines().iter().map(|s| s.to_string()).collect::<Vec<_>>();
    tap(w, "Xem chi tiết: nhập 4 số cuối điện thoại");
    for key in ["1", "1", "1", "1", "1"] {
        tap(w, key);
    }
    assert_eq!(l.get_digits(), "1111", "four digits at most");
    tap(w, "Tra cứu");
    rig.work.run_pending();
    assert_eq!(l.get_title(), "Chưa xem được chi tiết");
    assert!(!l.get_can_print_slip());
    l.invoke_lookup("H57.132-260804-0583".into());
    rig.work.run_pending();
    tap(w, "Xem chi tiết: nhập 4 số cuối điện thoại");
    for key in ["5", "6", "7", "8"] {
        tap(w, key);
    }
    tap(w, "Xem chi tiết");
    rig.work.run_pending();
    let lines = lines_now(&l);
    assert!(lines.contains(&"Người nộp: Nguyễn V*** H***".to_string()), "{lines:?}");
    assert!(lines.contains(&"Ghi chú: Bổ sung bản chính giấy chứng sinh".to_string()), "{lines:?}");
    snapshot(w, "kiosk-lookup-dossier-details-portrait");
    // A QR slip to follow it on a phone, from the kiosk's printer.
    let before = rig.prints().len();
    tap(w, "In mã QR theo dõi hồ sơ");
    rig.work.run_pending();
    assert!(l.get_slip_status().starts_with("Đã in."), "{}", l.get_slip_status());
    let prints = rig.prints();
    assert_eq!(prints.len(), before + 1);
    let slip = escpos::decode(&std::fs::read(prints.last().unwrap()).unwrap());
    assert_eq!(slip.qr, [format!("http://127.0.0.1:8080/d/{dossier_token}")]);
    // The dossier's own QR shows the details: the masked name and what to add.
    l.invoke_lookup(format!("http://127.0.0.1:8080/d/{dossier_token}").into());
    rig.work.run_pending();
    let lines: Vec<String> = l.get_lines().iter().map(|s| s.to_string()).collect();
    assert!(lines.contains(&"Người nộp: Nguyễn V*** H***".to_string()), "{lines:?}");
    assert!(lines.contains(&"Ghi chú: Bổ sung bản chính giấy chứng sinh".to_string()), "{lines:?}");
    // An unknown code says so.
    l.invoke_lookup("H57.132-260804-0584".into());
    rig.work.run_pending();
    assert_eq!(l.get_state(), "not-found");
    assert_eq!(l.get_title(), "Không tìm thấy hồ sơ");
    l.invoke_lookup("not a code".into());
    assert_eq!(l.get_state(), "not-found");

    // A serial scanner's code opens the lookup from any screen and is answered at once.
    tap(w, "⌂ Về trang chủ");
    tap(w, "Thủ tục hành chính");
    motcua::ui::lookup::scanned(w, &rig.kiosk.shared, &url);
    assert_eq!(screen(w), "lookup");
    assert_eq!(l.get_code().as_str(), url);
    rig.work.run_pending();
    assert_eq!(l.get_title(), "Phiếu số A001");
}

/// Bookings for today as the hub pulled them: H-0001 and H-0002, 09:30–10:00, phone ending 678.
fn pull_bookings(rig: &Rig) -> (String, String) {
    use motcua::domain::booking::BookingState;
    use motcua::store::booking::Pulled;
    let tokens = ("ab".repeat(16), "cd".repeat(16));
    let start = time::macros::datetime!(2026-11-28 09:30 +7).unix_timestamp() * 1000;
    let made = |id: i64, token: &str| Pulled {
        id,
        code: format!("H-000{id}"),
        day: "2026-11-28".into(),
        service: "HT".into(),
        starts_ms: start,
        ends_ms: start + 30 * 60_000,
        token: token.into(),
        phone_hash: "0".repeat(64),
        last3: "678".into(),
        state: BookingState::Booked,
        made_ms: 0,
        rev: id,
    };
    let pulled = vec![made(1, &tokens.0), made(2, &tokens.1)];
    rig.local.as_ref().unwrap().change(move |store, _, _| motcua::app::booking::keep_pulled(store, &pulled)).unwrap();
    tokens
}

#[test]
fn a_booking_checks_in_at_the_kiosk_by_its_code_and_digits_or_by_its_qr() {
    init_renderer();
    let mut config = config(1080, 1920);
    config.booking.enabled = true;
    let rig = rig_with(config, None);
    let w = rig.window();
    let (_, second) = pull_bookings(&rig);
    tap(w, "Tra cứu hồ sơ");
    let l = w.global::<LookupAdapter>();
    // The code typed: the screen asks for the phone's last three digits at once.
    find(w, "Mã hồ sơ").set_accessible_value("h-0001");
    l.invoke_lookup(l.get_code());
    assert_eq!(l.get_state(), "booking");
    assert_eq!(l.get_title(), "Lịch hẹn H-0001");
    assert!(l.get_asking_digits());
    for key in ["6", "7", "8", "9"] {
        tap(w, key);
    }
    assert_eq!(l.get_digits(), "678", "three digits at most");
    snapshot(w, "kiosk-lookup-booking-portrait");
    l.invoke_verify(l.get_digits());
    rig.work.run_pending();
    // Early (09:15 for 09:30): the number is printed and waits for the window.
    let t = w.global::<TicketAdapter>();
    assert_eq!(screen(w), "ticket");
    assert_eq!((t.get_step().as_str(), t.get_number().as_str()), ("done", "A001"));
    assert_eq!(rig.prints().len(), 1, "one ticket on the virtual printer");
    assert_eq!(rig.waiting("HT"), 1);
    assert!(t.get_wait().contains("15 phút"), "called from 09:30, not before: {}", t.get_wait());
    snapshot(w, "kiosk-booking-ticket-portrait");
    assert_not_clipped(w, "SỐ THỨ TỰ CỦA BẠN");
    // The other booking's QR, from the scanner, from any screen.
    tap(w, "⌂ Về trang chủ");
    let qr = format!("https://dichvucong.tinh.gov.vn/lich-hen/{second}");
    motcua::ui::lookup::scanned(w, &rig.kiosk.shared, &qr);
    rig.work.run_pending();
    assert_eq!((screen(w).as_str(), t.get_number().as_str()), ("ticket", "A002"));
    // Scanned again: refused, and nothing printed.
    tap(w, "⌂ Về trang chủ");
    motcua::ui::lookup::scanned(w, &rig.kiosk.shared, &qr);
    rig.work.run_pending();
    assert_eq!(screen(w), "lookup");
    assert_eq!(l.get_title(), "Chưa lấy được số theo lịch hẹn");
    assert!(l.get_message().contains("đã được lấy số A002"), "{}", l.get_message());
    assert_eq!(rig.prints().len(), 2);
    snapshot(w, "kiosk-lookup-booking-used-portrait");
    // Wrong digits for a code: one answer that tells nothing of the booking.
    l.invoke_lookup("H-0001".into());
    l.invoke_verify("111".into());
    rig.work.run_pending();
    assert!(l.get_message().contains("Không tìm thấy lịch hẹn"), "{}", l.get_message());
}

#[test]
fn the_procedure_slip_prints_on_the_kiosk_printer() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    // Typed on the screen's keyboard, without marks: the list follows every key.
    for key in ["K", "H", "A", "I", " ", "S", "I", "N", "H"] {
        tap(w, if key == " " { "Dấu cách" } else { key });
    }
    assert_eq!(w.global::<CatalogAdapter>().get_query(), "khai sinh");
    assert_eq!(listed(w)[0], "1.001193");
    tap(w, "Thủ tục đăng ký khai sinh");
    // A phone keeps the procedure from its public page; no online QR where the catalog gives no portal.
    let page = "http://127.0.0.1:8080/thu-tuc/1.001193";
    assert_eq!(qr_labelled(w, "kiosk-detail-qr-portrait", "page-qr"), page);
    assert!(ElementHandle::find_by_accessible_label(w, "online-qr").next().is_none());
    tap(w, "In thông tin");
    let c = w.global::<CatalogAdapter>();
    assert!(c.get_slip_printing());
    rig.work.run_pending();
    assert!(!c.get_slip_printing());
    assert!(c.get_slip_status().starts_with("Đã in"), "{}", c.get_slip_status());
    let prints = rig.prints();
    assert_eq!(prints.len(), 1);
    let slip = escpos::decode(&std::fs::read(&prints[0]).unwrap());
    let text: Vec<&str> = slip.lines.iter().map(|l| l.0.as_str()).collect();
    assert!(text.contains(&"THÔNG TIN THỦ TỤC HÀNH CHÍNH"), "{text:?}");
    assert_eq!(slip.qr, [page], "the slip carries the page alone");
}

#[test]
fn a_procedure_submitted_online_shows_the_portal_beside_its_page() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky ket hon");
    tap(w, "Thủ tục đăng ký kết hôn");
    assert_eq!(qr_labelled(w, "kiosk-detail-two-qr-portrait", "page-qr"), "http://127.0.0.1:8080/thu-tuc/1.000894");
    assert_eq!(qr_labelled(w, "kiosk-detail-two-qr-portrait", "online-qr"), "https://dichvucong.gov.vn/");
    tap(w, "In thông tin");
    rig.work.run_pending();
    let slip = escpos::decode(&std::fs::read(&rig.prints()[0]).unwrap());
    assert_eq!(slip.qr, ["http://127.0.0.1:8080/thu-tuc/1.000894", "https://dichvucong.gov.vn/"]);
    let text: Vec<&str> = slip.lines.iter().map(|l| l.0.as_str()).collect();
    assert!(text.contains(&"Quét mã để nộp hồ sơ trực tuyến"), "{text:?}");
}

#[test]
fn an_idle_kiosk_counts_down_and_goes_home() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("khai sinh");
    let k = w.global::<KioskAdapter>();
    let seconds = |n: u32| (0..n).for_each(|_| mock_elapsed_time(Duration::from_secs(1)));
    seconds(44);
    assert_eq!(k.get_idle_left(), 16);
    assert!(ElementHandle::find_by_accessible_label(w, "idle-countdown").next().is_none(), "no countdown yet");
    seconds(2);
    find(w, "idle-countdown");
    snapshot(w, "kiosk-idle-countdown-portrait");
    tap(w, "Tiếp tục");
    assert_eq!(k.get_idle_left(), 60);
    seconds(59);
    assert_eq!(screen(w), "catalog", "still there one second before the timeout");
    seconds(1);
    assert_eq!(screen(w), "home");
    assert_eq!(w.global::<CatalogAdapter>().get_query(), "", "the next citizen starts afresh");
}

#[test]
fn the_language_switches_without_a_restart() {
    init_renderer();
    let rig = rig(1920, 1080);
    let w = rig.window();
    tap(w, "language");
    assert_eq!(w.global::<KioskAdapter>().get_language(), "en");
    find(w, "Take a number");
    snapshot(w, "kiosk-home-english-landscape");
    tap(w, "Procedures");
    assert_eq!(w.global::<CatalogAdapter>().get_list_title(), "All procedures (56)");
    // Searched in English, the Vietnamese procedures come, by their Vietnamese names, with the field in both.
    find(w, "Find a procedure").set_accessible_value("birth registration");
    assert_eq!(listed(w)[0], "1.001193");
    let first = w.global::<CatalogAdapter>().get_procedures().row_data(0).unwrap();
    assert_eq!((first.name.as_str(), first.field.as_str()), ("Thủ tục đăng ký khai sinh", "Hộ tịch · Civil status"));
    snapshot(w, "kiosk-search-english");
    tap(w, "language");
    let first = w.global::<CatalogAdapter>().get_procedures().row_data(0).unwrap();
    assert_eq!(first.field.as_str(), "Hộ tịch", "the Vietnamese screens show the Vietnamese field only");
    find(w, "Tìm thủ tục").set_accessible_value("");
    assert_eq!(w.global::<CatalogAdapter>().get_list_title(), "Tất cả thủ tục (56)");
    find(w, "⌂ Về trang chủ");
}

/// Every string the screens show through `@tr` has an English translation.
#[test]
fn every_ui_string_has_an_english_translation() {
    let po = std::fs::read_to_string(root().join("assets/lang/en/LC_MESSAGES/motcua.po")).unwrap();
    let mut missing = Vec::new();
    let mut files = vec![root().join("ui")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Slint looks a text up under the name of the component it is in (its msgctxt).
        let mut at = 0;
        for part in text.split("@tr(\"").skip(1) {
            at = text[at..].find("@tr(\"").map_or(at, |i| at + i + 1);
            let context = text[..at]
                .lines()
                .rev()
                .find_map(|l| {
                    let l = l.trim_start().trim_start_matches("export ");
                    l.strip_prefix("component ").or_else(|| l.strip_prefix("global "))
                })
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("")
                .to_string();
            let mut msgid = String::new();
            let mut chars = part.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        msgid.push(c);
                        msgid.extend(chars.next());
                    }
                    '"' => break,
                    _ => msgid.push(c),
                }
            }
            if !po.contains(&format!("msgctxt \"{context}\"\nmsgid \"{msgid}\"")) {
                missing.push(format!("{} ({context}): {msgid}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "no English for:\n{}", missing.join("\n"));
}

#[test]
fn every_screen_in_both_orientations() {
    init_renderer();
    for (w, h, name) in [(1080, 1920, "portrait"), (1920, 1080, "landscape")] {
        let rig = rig(w, h);
        let win = rig.window();
        for (tile, shot) in [("Lấy số thứ tự", "ticket"), ("Tra cứu hồ sơ", "lookup"), ("Hướng dẫn / Liên hệ", "help")]
        {
            tap(win, tile);
            rig.work.run_pending();
            snapshot(win, &format!("kiosk-{shot}-{name}"));
            tap(win, "⌂ Về trang chủ");
            rig.work.run_pending();
        }
        assert_not_clipped(win, "ỦY BAN NHÂN DÂN XÃ ĐẮK LẮK");
    }
}

/// Capitals with stacked marks keep their marks: the software renderer clips glyphs at the Text element's
/// box, so ink in the element's first pixel row means the marks were cut.
fn assert_not_clipped(window: &AppWindow, label: &str) {
    let element = find(window, label);
    let (pos, size) = (element.absolute_position(), element.size());
    let buffer = window.window().take_snapshot().expect("snapshot");
    let width = buffer.width() as usize;
    let pixels = buffer.as_slice();
    let background = pixels[pos.y.max(0.0) as usize * width + pos.x.max(0.0) as usize];
    let ink_in_row = |y: usize| {
        (pos.x as usize..(pos.x + size.width) as usize).any(|x| {
            let p = pixels[y * width + x];
            let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs();
            d(p.r, background.r) + d(p.g, background.g) + d(p.b, background.b) > 120
        })
    };
    let top = pos.y.ceil() as usize;
    let bottom = (pos.y + size.height) as usize;
    let first_ink = (top..bottom).find(|&y| ink_in_row(y)).unwrap_or_else(|| panic!("{label:?} is not drawn"));
    assert!(first_ink > top, "{label:?}: ink touches the top of its box at row {first_ink}: marks are clipped");
}

#[test]
fn an_idle_kiosk_tells_the_hub_its_printer_is_out_of_paper_before_anyone_asks_for_a_number() {
    init_renderer();
    let mut config = config(1080, 1920);
    config.printers.get_mut("kiosk").unwrap().target = "virtual?state=paper_out".into();
    let rig = rig_with(config, None);
    let hub = rig.local.clone().unwrap();
    assert!(hub.printers().is_empty(), "nothing known before the first check");
    (0..30).for_each(|_| mock_elapsed_time(Duration::from_secs(1)));
    rig.work.run_pending();
    let printers = hub.printers();
    assert_eq!(printers.len(), 1, "{printers:?}");
    assert_eq!((printers[0].device.as_str(), printers[0].state.as_str()), ("kiosk", "paper-out"));
    assert_eq!(printers[0].message_vi, "Máy in hết giấy");
}

/// The kiosk's "Đánh giá hài lòng": a scanned QR of a served ticket, a face, reasons; refused with why for
/// a ticket not served yet and for anything that is not a ticket's QR.
#[test]
fn a_served_citizen_rates_at_the_kiosk_by_scanning_the_ticket() {
    init_renderer();
    let rig = rig(1080, 1920);
    let w = rig.window();
    take_number(&rig);
    rig.work.run_pending();
    tap(w, "⌂ Về trang chủ");
    let url = escpos::decode(&std::fs::read(&rig.prints()[0]).unwrap()).qr[0].clone();
    let r = w.global::<RatingAdapter>();
    let scan = |text: &str| {
        find(w, "Mã QR trên phiếu").set_accessible_value(text.to_string());
        r.invoke_scanned(r.get_code());
        rig.work.run_pending();
    };

    tap(w, "Đánh giá hài lòng");
    assert_eq!((screen(w).as_str(), r.get_step().as_str()), ("rating", "scan"));
    scan("A001");
    assert_eq!(r.get_step(), "refused", "a number alone is never enough");
    assert!(r.get_message().contains("Hãy quét mã QR trên phiếu"), "{}", r.get_message());
    scan(&url);
    assert_eq!(r.get_step(), "refused");
    assert_eq!(r.get_message(), "Chỉ đánh giá được sau khi đã được phục vụ xong.");

    let hub = rig.local.as_ref().unwrap();
    hub.change(|store, config, clock| {
        motcua::app::queue::call_next_at(store, config, 1, clock)?;
        motcua::app::queue::act(store, config, 1, motcua::app::queue::Action::Complete, clock)
    })
    .unwrap();
    tap(w, "Đánh giá phiếu khác");
    scan(&url);
    assert_eq!(r.get_step(), "faces");
    snapshot(w, "kiosk-rating-faces-portrait");
    tap(w, "Không hài lòng");
    assert_eq!(r.get_step(), "why");
    r.invoke_toggle(0);
    r.invoke_toggle(3);
    assert_eq!(r.get_reasons().iter().filter(|c| c.on).count(), 2);
    snapshot(w, "kiosk-rating-why-portrait");
    tap(w, "Gửi đánh giá");
    rig.work.run_pending();
    assert_eq!(r.get_step(), "thanks");
    assert_eq!(r.get_message(), "Bạn đã đánh giá số A001: Không hài lòng.");
    let token = url.rsplit("/t/").next().unwrap().to_string();
    let stored = hub
        .read(move |store, config, _| motcua::app::rating::of_ticket(store, config, &token))
        .unwrap()
        .expect("the rating is stored");
    assert_eq!(stored.reasons, ["Thời gian chờ", "Giải quyết chậm"]);
    assert_eq!(stored.source, motcua::domain::rating::Source::Kiosk);
    // In English the faces and the thanks follow the language.
    tap(w, "language");
    assert_eq!(r.get_message(), "You rated ticket A001: Dissatisfied.");
    assert_eq!(r.get_levels().iter().map(|l| l.label.to_string()).collect::<Vec<_>>()[3], "Dissatisfied");
}

/// Panels from a 10" tablet to a 4K screen, in both orientations; the first five are photographed.
const SIZES: [(u32, u32); 8] =
    [(800, 1280), (1024, 768), (1366, 768), (1920, 1080), (3840, 2160), (1080, 1920), (1280, 800), (2160, 3840)];

/// Checks the screen now showing at every size, plain, with large text, with high contrast and with both:
/// no text outside the window or outside what holds it. Plain screens at the first five sizes, and the
/// aids at 1366x768, go to target/screenshots/sizes/.
fn fits_everywhere(rig: &Rig, name: &str) -> Vec<String> {
    let window = rig.window();
    let theme = window.global::<Theme>();
    let mut problems = Vec::new();
    for (i, &(w, h)) in SIZES.iter().enumerate() {
        window.window().set_size(PhysicalSize::new(w, h));
        for (large, contrast) in [(false, false), (true, false), (false, true), (true, true)] {
            theme.set_large_text(large);
            theme.set_high_contrast(contrast);
            mock_elapsed_time(Duration::from_millis(5));
            let (texts, out) = layout::texts_out_of_place(window, w as f32, h as f32);
            assert!(texts > 5, "{name}: only {texts} texts seen at {w}x{h}");
            let aids = match (large, contrast) {
                (false, false) => "",
                (true, false) => "-large",
                (false, true) => "-contrast",
                (true, true) => "-large-contrast",
            };
            problems.extend(out.into_iter().map(|p| format!("{name} {w}x{h}{aids}: {p}")));
            if (i < 5 && aids.is_empty()) || (w, h) == (1366, 768) {
                snapshot_in(window, &root().join("target/screenshots/sizes"), &format!("{name}-{w}x{h}{aids}"));
            }
        }
    }
    theme.set_large_text(false);
    theme.set_high_contrast(false);
    window.window().set_size(PhysicalSize::new(1080, 1920));
    problems
}

#[test]
fn every_screen_fits_every_size_with_large_text_and_high_contrast() {
    init_renderer();
    let mut config = config(1080, 1920);
    // Other tests on other threads move the mocked clock: a long idle time keeps each screen up.
    config.kiosk.idle_timeout_s = 600;
    // A modem: "Nhắn tin cho tôi" is offered under the number (nothing is sent: no sender runs here).
    config.sms.modem = "serial:/dev/null".into();
    let rig = rig_with(config, None);
    let w = rig.window();
    let mut problems = fits_everywhere(&rig, "home");
    tap(w, "Thủ tục hành chính");
    problems.extend(fits_everywhere(&rig, "catalog"));
    // The idle countdown adds a row to the bar under the screen.
    w.global::<KioskAdapter>().set_idle_left(9);
    problems.extend(fits_everywhere(&rig, "catalog-countdown"));
    tap(w, "Tiếp tục");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky khai sinh".to_string());
    find(w, "Thủ tục đăng ký khai sinh").invoke_accessible_default_action();
    problems.extend(fits_everywhere(&rig, "detail"));
    tap(w, "⌂ Về trang chủ");
    tap(w, "Lấy số thứ tự");
    rig.work.run_pending();
    problems.extend(fits_everywhere(&rig, "ticket-choose"));
    tap(w, "Hộ tịch");
    problems.extend(fits_everywhere(&rig, "ticket-priority"));
    // A chip ID card read: the masked name, the proposal and "Không dùng thẻ" take room.
    w.global::<TicketAdapter>()
        .invoke_card_scanned("001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa, tỉnh Đắk Lắk|15042021".into());
    problems.extend(fits_everywhere(&rig, "ticket-priority-card"));
    tap(w, "Không, lấy số thường");
    rig.work.run_pending();
    assert_eq!(w.global::<TicketAdapter>().get_step(), "done");
    problems.extend(fits_everywhere(&rig, "ticket-done"));
    tap(w, "Nhắn tin cho tôi khi sắp đến lượt (SMS)");
    for key in ["0", "9", "1"] {
        w.global::<TicketAdapter>().invoke_sms_key(key.into());
    }
    tap(w, "Đăng ký");
    assert_eq!(w.global::<TicketAdapter>().get_step(), "sms");
    problems.extend(fits_everywhere(&rig, "ticket-sms"));
    tap(w, "Không, quay lại số của tôi");
    // The printer runs out of paper: the number on screen with its QR.
    let mut out = rig.kiosk.shared.config.clone();
    out.printers.get_mut("kiosk").unwrap().target = "virtual?state=paper_out".into();
    let paper_out = motcua::app::printing::open(&out, rig.dir.path(), "kiosk").unwrap();
    let printed = std::mem::replace(&mut *rig.kiosk.shared.printer.lock().unwrap(), paper_out);
    tap(w, "⌂ Về trang chủ");
    take_number(&rig);
    rig.work.run_pending();
    assert_eq!(w.global::<TicketAdapter>().get_step(), "on-screen");
    problems.extend(fits_everywhere(&rig, "ticket-on-screen"));
    *rig.kiosk.shared.printer.lock().unwrap() = printed;
    tap(w, "⌂ Về trang chủ");
    tap(w, "Tra cứu hồ sơ");
    problems.extend(fits_everywhere(&rig, "lookup"));
    let url = escpos::decode(&std::fs::read(&rig.prints()[0]).unwrap()).qr[0].clone();
    find(w, "Mã hồ sơ").set_accessible_value(url);
    let l = w.global::<LookupAdapter>();
    l.invoke_lookup(l.get_code());
    rig.work.run_pending();
    assert_eq!(l.get_state(), "ticket");
    problems.extend(fits_everywhere(&rig, "lookup-ticket"));
    tap(w, "⌂ Về trang chủ");
    tap(w, "Đánh giá hài lòng");
    problems.extend(fits_everywhere(&rig, "rating"));
    tap(w, "⌂ Về trang chủ");
    tap(w, "Hướng dẫn / Liên hệ");
    problems.extend(fits_everywhere(&rig, "help"));
    assert!(problems.is_empty(), "{} texts out of place:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_reading_aids_are_one_tap_away_and_reset_when_the_kiosk_goes_home_by_itself() {
    init_renderer();
    let mut config = config(1366, 768);
    // Other tests on other threads move the mocked clock: a long idle time keeps this visit going.
    config.kiosk.idle_timeout_s = 600;
    let rig = rig_with(config, None);
    let w = rig.window();
    let theme = w.global::<Theme>();
    assert!(!theme.get_portrait(), "a landscape window lays out in landscape whatever the config says");
    let body = theme.get_body();
    tap(w, "large-text");
    assert!((theme.get_body() / body - 1.4).abs() < 0.01, "large text is 1.4 times the body text");
    tap(w, "Thủ tục hành chính");
    tap(w, "high-contrast");
    assert!(theme.get_large_text() && theme.get_high_contrast(), "both stay on from screen to screen");
    let (width, _, pixels) = snapshot(w, "kiosk-catalog-contrast");
    // Black behind the text, white text: the background at the window's edge is black.
    let at = |x: u32, y: u32| &pixels[((y * width + x) * 4) as usize..((y * width + x) * 4 + 3) as usize];
    assert_eq!(at(2, 700), [0, 0, 0]);
    // The citizen goes home by the button: the aids stay for the rest of the visit.
    tap(w, "⌂ Về trang chủ");
    assert!(theme.get_large_text() && theme.get_high_contrast());
    // The kiosk goes home by itself after the idle time: the next citizen starts plain.
    tap(w, "Thủ tục hành chính");
    w.global::<KioskAdapter>().set_idle_left(1);
    mock_elapsed_time(Duration::from_secs(1));
    assert_eq!(screen(w), "home");
    assert!(!theme.get_large_text() && !theme.get_high_contrast());
    // A portrait window lays out in portrait, from the same configuration.
    w.window().set_size(PhysicalSize::new(800, 1280));
    mock_elapsed_time(Duration::from_millis(5));
    assert!(theme.get_portrait());
}

/// A stand-in for espeak-ng and aplay in `dir`: the engine lists a Vietnamese voice, notes its pid and
/// arguments in engine.log (one write per line, so that a run killed at once leaves a whole line), writes
/// the start of a WAV and speaks for 30 s; the player notes its pid and plays until the engine's output ends.
fn fake_speech(dir: &std::path::Path) -> (String, String) {
    use std::os::unix::fs::PermissionsExt;
    let engine = dir.join("engine");
    let player = dir.join("player");
    std::fs::write(
        &engine,
        format!(
            "#!/bin/sh\ncase \"$1\" in --voices=*) echo 'Pty Language Age/Gender VoiceName File Other Languages'; \
             echo ' 5  vi  --/M  Vietnamese_Northern  sit/vi'; exit 0;; esac\n\
             line=$(printf '%s ' \"$@\" | tr '\\n' ' ')\nprintf '%s %s\\n' \"$$\" \"$line\" >> {log}\n\
             printf 'RIFF'\nexec sleep 30\n",
            log = dir.join("engine.log").display()
        ),
    )
    .unwrap();
    std::fs::write(
        &player,
        format!("#!/bin/sh\necho $$ >> {}\nexec cat > /dev/null\n", dir.join("player.log").display()),
    )
    .unwrap();
    for f in [&engine, &player] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (engine.display().to_string(), player.display().to_string())
}

/// The engine's runs so far: (pid, arguments and text).
fn spoken(dir: &std::path::Path, at_least: usize) -> Vec<(u32, String)> {
    // Generous: the other tests of this file draw 4K frames on the same two cores meanwhile.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(dir.join("engine.log")).unwrap_or_default();
        let runs: Vec<(u32, String)> = log
            .lines()
            .filter_map(|l| {
                l.split_once(' ').map(|(pid, rest)| (pid.parse().unwrap_or(0), rest.trim_end().to_string()))
            })
            .collect();
        if runs.len() >= at_least {
            return runs;
        }
        assert!(std::time::Instant::now() < deadline, "the engine ran {} times, not {at_least}:\n{log}", runs.len());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a process has gone (killed and reaped).
fn gone(pid: u32) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[test]
fn nghe_reads_the_procedure_aloud_a_touch_stops_it_and_keys_are_spoken() {
    init_renderer();
    let voices = tempfile::tempdir().unwrap();
    let (engine, player) = fake_speech(voices.path());
    let mut config = config(1080, 1920);
    config.kiosk.read_aloud = engine;
    config.kiosk.read_aloud_player = player;
    config.kiosk.read_aloud_speed = 130;
    // Other tests on other threads move the mocked clock: a long idle time keeps this visit going.
    config.kiosk.idle_timeout_s = 600;
    let rig = rig_with(config, None);
    let w = rig.window();
    let k = w.global::<KioskAdapter>();
    assert!(k.get_can_read_aloud(), "an engine with a Vietnamese voice shows the button");

    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky khai sinh".to_string());
    find(w, "Thủ tục đăng ký khai sinh").invoke_accessible_default_action();
    tap(w, "read-aloud");
    assert!(k.get_reading());
    let runs = spoken(voices.path(), 1);
    let (pid, said) = &runs[0];
    assert!(said.starts_with("-v vi -s 130 -a 100 --stdout -- Thủ tục đăng ký khai sinh"), "{said}");
    for part in ["Thành phần hồ sơ", "Tờ khai đăng ký khai sinh", "Miễn lệ phí", "Cơ quan thực hiện"]
    {
        assert!(said.contains(part), "{part:?} is read: {said}");
    }
    // "Nghe" again stops it.
    tap(w, "read-aloud");
    assert!(!k.get_reading());
    assert!(gone(*pid), "the engine is stopped");

    // A touch stops the reading; once asked for, the keyboard says each key.
    tap(w, "← Quay lại danh sách");
    tap(w, "read-aloud");
    let runs = spoken(voices.path(), 2);
    assert!(runs[1].1.contains("Gõ tên thủ tục trên bàn phím"), "{}", runs[1].1);
    assert!(rig.kiosk.shared.aloud.get(), "the visit asked for reading aloud");
    w.global::<CatalogAdapter>().invoke_type_key("K".into());
    let runs = spoken(voices.path(), 3);
    assert!(gone(runs[1].0), "a key press interrupts the reading");
    assert_eq!(runs[2].1, "-v vi -s 130 -a 100 --stdout -- K");
    w.global::<CatalogAdapter>().invoke_backspace();
    assert!(spoken(voices.path(), 4)[3].1.ends_with("-- xóa lùi"));

    // In English, the English voice and words.
    tap(w, "language");
    tap(w, "read-aloud");
    let runs = spoken(voices.path(), 5);
    assert!(runs[4].1.starts_with("-v en ") && runs[4].1.contains("Type a procedure's name"), "{}", runs[4].1);

    // Going home by itself ends the visit: silence, and keys no longer spoken.
    k.set_idle_left(1);
    mock_elapsed_time(Duration::from_secs(1));
    assert_eq!(screen(w), "home");
    assert!(gone(runs[4].0));
    assert!(!k.get_reading());
    tap(w, "Thủ tục hành chính");
    w.global::<CatalogAdapter>().invoke_type_key("A".into());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(spoken(voices.path(), 5).len(), 5, "no key is spoken in the next visit until Nghe is tapped");
}

#[test]
fn without_a_speech_engine_the_button_is_hidden() {
    init_renderer();
    let mut config = config(1080, 1920);
    config.kiosk.read_aloud = "/nonexistent/espeak-ng".into();
    let rig = rig_with(config, None);
    assert!(!rig.window().global::<KioskAdapter>().get_can_read_aloud());
    assert!(ElementHandle::find_by_accessible_label(rig.window(), "read-aloud").next().is_none());
    let mut off = self::config(1080, 1920);
    off.kiosk.read_aloud = String::new();
    let rig = rig_with(off, None);
    assert!(!rig.window().global::<KioskAdapter>().get_can_read_aloud());
}

/// The whole visit on a real serial printer that runs out of paper: over a pseudo-terminal the fake printer
/// reports paper out, the kiosk shows the number on screen, a counter calls it on the real hub, and the
/// phone page of the screen's QR follows it; with paper back the next ticket prints by itself.
#[test]
fn paper_out_on_a_serial_printer_the_number_on_screen_is_called_and_its_phone_page_follows() {
    use serialport::SerialPort;
    init_renderer();
    let hall = common::served::Hall::open("");
    let (master, slave) = serialport::TTYPort::pair().expect("pseudo-terminal pair");
    let stop = Arc::new(Mutex::new(false));
    let fake = fake_printer::fake_printer(master, fake_printer::Script::PaperOut, stop.clone());
    let mut config = config(1080, 1920);
    let path = slave.name().unwrap();
    config.printers.get_mut("kiosk").unwrap().target = format!("serial:{path}?baud=115200");
    config.kiosk.idle_timeout_s = 600;
    let rig = rig_with(config, Some((&hall.url, &hall.kiosk)));
    let w = rig.window();
    take_number(&rig);
    rig.work.run_pending();
    let t = w.global::<TicketAdapter>();
    assert_eq!((t.get_step().as_str(), t.get_number().as_str()), ("on-screen", "A001"), "{}", t.get_message());
    assert!(t.get_message().contains("hết giấy"), "{}", t.get_message());
    // The console sees the kiosk's printer out of paper.
    let printers = common::hub::agent()
        .get(&format!("{}/api/v1/printers", hall.url))
        .header("Authorization", &format!("Bearer {}", hall.counter(1)))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(printers.contains("paper-out"), "{printers}");
    // Called at counter 1; the phone page of the on-screen QR says so.
    let called = hall.press(&hall.console(1), "next");
    assert_eq!(called["ticket"]["number"], "A001", "{called}");
    let text = screen_qr(w, "kiosk-ticket-on-screen-serial");
    let token = text.rsplit('/').next().unwrap();
    let page = common::hub::agent()
        .get(&format!("{}/t/{token}", hall.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("A001") && page.contains("Quầy 1"), "{page}");
    // Paper back: the next ticket prints, with nothing to do at the kiosk.
    *fake.state.lock().unwrap() = motcua::print::status::PrinterState::Ready;
    tap(w, "⌂ Về trang chủ");
    take_number(&rig);
    rig.work.run_pending();
    assert_eq!((t.get_step().as_str(), t.get_number().as_str()), ("done", "A002"), "{}", t.get_message());
    *stop.lock().unwrap() = true;
    let _ = fake.thread.join();
    let sent = fake.received.lock().unwrap().clone();
    assert!(sent.windows(4).any(|w| w == b"A002"), "the second ticket went to the printer");
}

/// A portrait kiosk whose screens stay up however other tests on other threads move the mocked clock.
fn quiet_rig(tweak: impl FnOnce(&mut Config)) -> Rig {
    init_renderer();
    let mut config = config(1080, 1920);
    config.kiosk.idle_timeout_s = 600;
    tweak(&mut config);
    rig_with(config, None)
}

/// From home to the priority step of Hộ tịch.
fn to_priority(rig: &Rig) {
    let w = rig.window();
    tap(w, "Lấy số thứ tự");
    rig.work.run_pending();
    tap(w, "Hộ tịch");
    assert_eq!(w.global::<TicketAdapter>().get_step(), "priority");
}

/// Types `text` and Enter as a keyboard-wedge scanner does: one key press per character.
fn wedge(window: &AppWindow, text: &str) {
    use slint::platform::WindowEvent;
    for c in text.chars().map(String::from).chain(std::iter::once("\n".to_string())) {
        window.window().dispatch_event(WindowEvent::KeyPressed { text: c.clone().into() });
        window.window().dispatch_event(WindowEvent::KeyReleased { text: c.into() });
    }
    mock_elapsed_time(Duration::from_millis(1));
}

#[test]
fn a_scanned_chip_id_card_proposes_the_elderly_priority_and_reaches_the_counter_but_not_the_paper() {
    let rig = quiet_rig(|_| {});
    let w = rig.window();
    let t = w.global::<TicketAdapter>();
    to_priority(&rig);
    assert_eq!(t.get_step(), "priority");
    assert!(t.get_card_offered());
    // The consent is on screen before anything is scanned.
    find(w, "card-consent");
    assert!(!t.get_card_read());
    snapshot(w, "kiosk-ticket-card-offered-portrait");
    // A ticket's QR is not a card: the screen says so, nothing is kept.
    wedge(w, "http://127.0.0.1:8080/t/0123456789abcdef0123456789abcdef");
    assert!(!t.get_card_read());
    assert!(t.get_card_note().contains("không phải mã QR của thẻ căn cước"), "{}", t.get_card_note());
    // The card, typed by a keyboard-wedge scanner into the invisible field that holds the focus.
    wedge(w, "001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa, tỉnh Đắk Lắk|15042021");
    assert!(t.get_card_read(), "{}", t.get_card_note());
    assert_eq!(t.get_card_name(), "Nguyễn V*** A***", "only a masked name is shown");
    assert_eq!(t.get_proposed(), 0, "76 years old: «Người cao tuổi» is proposed");
    assert!(t.get_card_note().contains("«Người cao tuổi»"), "{}", t.get_card_note());
    snapshot(w, "kiosk-ticket-card-read-portrait");
    assert_not_clipped(w, "card-note");
    // A serial scanner's code at this step is the card too (and not a lookup).
    assert!(motcua::ui::ticket::takes_card(w, &rig.kiosk.shared));
    // The citizen takes the proposal.
    tap(w, "Người cao tuổi");
    rig.work.run_pending();
    assert_eq!(t.get_step(), "done");
    assert_eq!(t.get_number(), "A001");
    let hub = rig.local.as_ref().unwrap();
    let held: (String, String, Option<String>, Option<String>) = hub
        .read(|store, _, _| {
            let sql =
                "SELECT c.id_number, c.birth, c.name, t.priority FROM id_card c JOIN ticket t ON t.id = c.ticket_id";
            Ok(store
                .conn()
                .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(motcua::store::StoreError::from)?)
        })
        .unwrap();
    assert_eq!(
        held,
        ("001090123456".into(), "1950-01-01".into(), Some("Nguyễn Văn An".into()), Some("Người cao tuổi".into()))
    );
    // Nothing of the card is on the paper.
    let bytes = std::fs::read(&rig.prints()[0]).unwrap();
    let paper = escpos::decode(&bytes);
    let text = paper.lines.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join(" ");
    assert!(text.contains("A001") && !text.contains("Nguyễn") && !text.contains("1950"), "{text}");
    assert!(!bytes.windows(12).any(|b| b == b"001090123456"));
    // The next citizen starts without it.
    tap(w, "⌂ Về trang chủ");
    to_priority(&rig);
    assert!(!t.get_card_read() && t.get_card_note().is_empty() && t.get_proposed() == -1);
    tap(w, "Không, lấy số thường");
    rig.work.run_pending();
    assert_eq!(t.get_number(), "A002");
    let cards = hub.read(|store, _, _| Ok(motcua::store::idcard::held(store.conn())?)).unwrap();
    assert_eq!(cards, 1, "A002 went without a card");
}

#[test]
fn a_card_can_be_dropped_before_the_number_and_a_plain_http_hub_is_never_offered_one() {
    let rig = quiet_rig(|_| {});
    let w = rig.window();
    let t = w.global::<TicketAdapter>();
    to_priority(&rig);
    // 59 years old on the kiosk's day (28/11/2026): read, nothing proposed.
    t.invoke_card_scanned("001090123456||Lê Thị Bình|29111966|Nữ|Hà Nội|01012022".into());
    assert!(t.get_card_read());
    assert_eq!(t.get_proposed(), -1);
    tap(w, "Không dùng thẻ");
    assert!(!t.get_card_read() && t.get_card_name().is_empty());
    tap(w, "Không, lấy số thường");
    rig.work.run_pending();
    let hub = rig.local.as_ref().unwrap();
    assert_eq!(hub.read(|store, _, _| Ok(motcua::store::idcard::held(store.conn())?)).unwrap(), 0);

    // A kiosk whose remote hub is plain HTTP goes straight from the service to its priorities, no card.
    let th = hub::start(hub::open_all_day(Config::default()), clock().0);
    let mut remote = rig.kiosk.shared.config.clone();
    remote.kiosk.hub = th.url("");
    remote.queue.priority_categories.clear();
    remote.queue.elderly_priority.clear();
    let rig = rig_with(remote, Some((&th.url(""), &th.kiosk_token)));
    let w = rig.window();
    let t = w.global::<TicketAdapter>();
    assert!(!t.get_card_offered());
    tap(w, "Lấy số thứ tự");
    rig.work.run_pending();
    tap(w, "Hộ tịch");
    assert_eq!(t.get_step(), "printing", "no priorities and no card: the number is taken at once");
}

#[test]
fn after_the_number_a_citizen_asks_for_a_text_on_the_keypad_and_sees_where_it_will_go() {
    let rig = quiet_rig(|c| c.sms.modem = "serial:/dev/null".into());
    let w = rig.window();
    let t = w.global::<TicketAdapter>();
    take_number(&rig);
    rig.work.run_pending();
    assert_eq!(t.get_step(), "done");
    assert!(t.get_sms_offered());
    tap(w, "Nhắn tin cho tôi khi sắp đến lượt (SMS)");
    assert_eq!(t.get_step(), "sms");
    find(w, "sms-consent");
    // A landline is refused on the spot, with the reason; nothing reaches the hub.
    for key in "0283812345".chars() {
        tap(w, &key.to_string());
    }
    assert_eq!(t.get_phone(), "0283 812 345");
    tap(w, "Đăng ký");
    assert!(t.get_sms_note().contains("không hợp lệ"), "{}", t.get_sms_note());
    for _ in 0..10 {
        tap(w, "⌫ Xóa lùi");
    }
    assert_eq!(t.get_phone(), "");
    for key in "0912345678".chars() {
        tap(w, &key.to_string());
    }
    snapshot(w, "kiosk-ticket-sms-portrait");
    tap(w, "Đăng ký");
    rig.work.run_pending();
    assert_eq!(t.get_step(), "done", "back to the number");
    assert!(t.get_sms_done());
    assert_eq!(t.get_sms_note(), "Sẽ nhắn tin đến ••• ••• 678 khi còn 3 người trước bạn.");
    snapshot(w, "kiosk-ticket-sms-done-portrait");
    // Nobody is ahead: "near" is queued for the modem at once.
    let queued: (String, String) = rig
        .local
        .as_ref()
        .unwrap()
        .read(|store, _, _| {
            let sql = "SELECT phone, kind FROM sms_outbox WHERE state = 'queued'";
            Ok(store
                .conn()
                .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(motcua::store::StoreError::from)?)
        })
        .unwrap();
    assert_eq!(queued, ("0912345678".into(), "near".into()));
    // The next citizen's number starts without it.
    tap(w, "⌂ Về trang chủ");
    take_number(&rig);
    rig.work.run_pending();
    assert!(!t.get_sms_done() && t.get_phone().is_empty() && t.get_sms_offered());
}

/// The demo catalog's procedure `code`, with its name and a document changed as staff would publish it.
fn republished(code: &str) -> motcua::domain::catalog::Procedure {
    let file = motcua::interchange::read_catalog(&demo_catalog()).unwrap();
    let mut p = file.procedures.into_iter().find(|p| p.code == code).unwrap();
    p.name = format!("{} (sửa đổi năm 2026)", p.name);
    p.documents.push(motcua::domain::catalog::RequiredDocument {
        name: "Ảnh chụp Căn cước điện tử".into(),
        originals: 0,
        copies: 1,
        form: None,
        verified: motcua::domain::catalog::Mark::sourced("Quyết định 1872/QĐ-BTP"),
    });
    p
}

/// Waits (up to 15 s) for the detail on screen to be `name`, letting the kiosk's second tick run.
fn wait_for_detail(w: &AppWindow, name: &str) -> motcua::ProcedureDetail {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let detail = w.global::<CatalogAdapter>().get_detail();
        if detail.name == name {
            return detail;
        }
        assert!(std::time::Instant::now() < deadline, "the kiosk still shows {:?}", detail.name);
        std::thread::sleep(Duration::from_millis(20));
        mock_elapsed_time(Duration::from_millis(100));
    }
}

#[test]
fn a_catalog_published_on_the_hub_shows_on_its_kiosk_without_a_restart() {
    init_renderer();
    let rig = rig_following(config(1080, 1920), None, true);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky khai sinh");
    tap(w, "Thủ tục đăng ký khai sinh");
    // Staff import the new version from the command line: another connection to the hub's database.
    let mut store = Store::open(&rig.dir.path().join("motcua.db")).unwrap();
    catalog::import(&mut store, &[republished("1.001193")], "staff.json", &later_clock()).unwrap();
    // The citizen reading it sees the new words in place, the list and its search follow.
    let detail = wait_for_detail(w, "Thủ tục đăng ký khai sinh (sửa đổi năm 2026)");
    let documents = detail.sections.iter().find(|s| s.key == "documents").unwrap().text.to_string();
    assert!(documents.ends_with("4. Ảnh chụp Căn cước điện tử (1 bản sao)"), "{documents}");
    snapshot(w, "kiosk-detail-republished-portrait");
    tap(w, "← Quay lại danh sách");
    assert_eq!(w.global::<CatalogAdapter>().get_query(), "dang ky khai sinh", "the citizen's search stays");
    assert_eq!(listed(w)[0], "1.001193");
    find(w, "Tìm thủ tục").set_accessible_value("can cuoc dien tu");
    assert!(listed(w).contains(&"1.001193".to_string()), "the search index has the new document");
}

#[test]
fn a_kiosk_on_another_machine_follows_the_hubs_catalog_and_keeps_a_copy() {
    init_renderer();
    let mut hall = common::served::Hall::open("");
    let rig = rig_following(config(1080, 1920), Some((&hall.url, &hall.kiosk)), true);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky ket hon");
    tap(w, "Thủ tục đăng ký kết hôn");
    let file = write(
        rig.dir.path(),
        "published.json",
        &motcua::interchange::catalog_json::write(&[republished("1.000894")], false),
    );
    common::served::run(&hall.data, &hall.config, &["catalog", "import", file.to_str().unwrap()], "");
    wait_for_detail(w, "Thủ tục đăng ký kết hôn (sửa đổi năm 2026)");
    // The hub away, a kiosk starting now has the copy it kept.
    hall.kill();
    let synonyms = catalog::load_synonyms("").unwrap();
    let away = Remote {
        feed: Feed::new(&hall.url, &hall.kiosk, 1),
        hub: RemoteHub::new(&hall.url, &hall.kiosk),
        copy: rig.dir.path().join("catalog-from-hub.json"),
    };
    let kept = away.load(&synonyms).expect("the copy kept");
    let p = kept.catalog.by_code("1.000894").expect("in the copy");
    assert_eq!(p.procedure.name, "Thủ tục đăng ký kết hôn (sửa đổi năm 2026)");
    assert_eq!(p.version, 2);
    // A copy that is not whole is refused, never shown.
    std::fs::write(rig.dir.path().join("catalog-from-hub.json"), b"{\"stamp\": \"1-1\", \"procedures\": [").unwrap();
    assert!(away.load(&synonyms).is_none());
}

#[test]
fn a_procedure_staff_publish_on_the_hub_shows_on_its_kiosk_at_once() {
    init_renderer();
    let rig = rig_following(config(1080, 1920), None, true);
    let w = rig.window();
    tap(w, "Thủ tục hành chính");
    find(w, "Tìm thủ tục").set_accessible_value("dang ky ket hon");
    tap(w, "Thủ tục đăng ký kết hôn");
    // What /quan-tri's "Công bố" does: staff's edit published in the hub's writer, from the version opened.
    let edited = republished("1.000894");
    let hub = rig.local.clone().unwrap();
    let editing = catalog::Editing { page: "1.000894", base: 1, actor: "staff:tuan.admin" };
    let version = hub.change(move |store, _, clock| Ok(catalog::publish(store, &edited, &editing, clock)?)).unwrap();
    assert_eq!(version, Ok(2));
    let detail = wait_for_detail(w, "Thủ tục đăng ký kết hôn (sửa đổi năm 2026)");
    let documents = detail.sections.iter().find(|s| s.key == "documents").unwrap().text.to_string();
    assert!(documents.contains("Ảnh chụp Căn cước điện tử (1 bản sao)"), "{documents}");
}
