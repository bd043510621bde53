//! Adapter of the `CatalogAdapter` global: fields, search as the citizen types (on the screen's keyboard
//! or a real one), procedure detail with a QR of the online service, and the procedure slip printed on the
//! kiosk's printer. Search runs on the UI thread on purpose: it is an in-memory index answering in well
//! under a millisecond for a commune catalog and a few milliseconds for 10,000 procedures
//! (docs/benchmarks.md).

use super::Shared;
use crate::app::catalog::Catalog;
use crate::domain::catalog::describe;
use crate::domain::catalog::Procedure;
use crate::print::{layout, Outcome};
use crate::{AppWindow, CatalogAdapter, DetailSection, FieldRow, ProcedureDetail, ProcedureRow};
use slint::{ComponentHandle, Image, ModelRc, Rgb8Pixel, SharedPixelBuffer, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;

/// What the list shows, and why (to title it again in the other language).
struct Listing {
    shown: Vec<usize>,
    title: Title,
    detail: Option<usize>,
}

enum Title {
    All,
    Query(String),
    Field(String),
}

/// A procedure in the list: its Vietnamese name always; on the English screens its field's English name
/// beside the Vietnamese, where one is known.
fn row(p: &Procedure, s: &Shared) -> ProcedureRow {
    let field = p.field_name();
    let field = match crate::domain::catalog::field_en(field) {
        Some(en) => s.pick(field, &format!("{field} · {en}")),
        None => field.to_string(),
    };
    ProcedureRow {
        code: p.code.as_str().into(),
        name: p.name.as_str().into(),
        field: field.into(),
        verified: p.verified.is_verified(),
    }
}

/// The detail structure shown for one procedure; `page` is its public page (for the first QR).
pub fn detail(p: &Procedure, page: &str) -> ProcedureDetail {
    let sections: Vec<DetailSection> = describe(p)
        .into_iter()
        .map(|x| DetailSection { key: x.kind.key().into(), subject: x.subject.into(), text: x.text.into() })
        .collect();
    ProcedureDetail {
        code: p.code.as_str().into(),
        name: p.name.as_str().into(),
        field: p.field_name().into(),
        online: p.submit_online().unwrap_or_default().into(),
        page: page.into(),
        verified: p.verified.is_verified(),
        sections: ModelRc::new(VecModel::from(sections)),
    }
}

/// A QR code as an image, one pixel a module with a quiet zone of two; the screen scales it up sharply.
pub fn qr_image(text: &str) -> Image {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else { return Image::default() };
    let (width, quiet) = (code.width(), 2);
    let size = width + 2 * quiet;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(size as u32, size as u32);
    let pixels = buffer.make_mut_slice();
    pixels.fill(Rgb8Pixel { r: 255, g: 255, b: 255 });
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            pixels[y * size + x] = Rgb8Pixel { r: 0, g: 0, b: 0 };
        }
    }
    Image::from_rgb8(buffer)
}

/// The catalog screen's state: the catalog and what its list shows.
pub struct CatalogScreen {
    /// Replaced whole when a new version is published (`replace`).
    catalog: RefCell<Rc<Catalog>>,
    listing: RefCell<Listing>,
}

fn screen_of(shared: &Shared) -> Option<Rc<CatalogScreen>> {
    shared.catalog.borrow().clone()
}

impl CatalogScreen {
    fn catalog(&self) -> Rc<Catalog> {
        self.catalog.borrow().clone()
    }

    fn title(&self, s: &Shared) -> SharedString {
        let n = self.listing.borrow().shown.len();
        match &self.listing.borrow().title {
            Title::All => s.pick(&format!("Tất cả thủ tục ({n})"), &format!("All procedures ({n})")),
            Title::Query(q) => s.pick(&format!("Kết quả cho “{q}” ({n})"), &format!("Results for “{q}” ({n})")),
            Title::Field(f) => format!("{f} ({n})"),
        }
        .into()
    }

    fn show(&self, s: &Shared, adapter: &CatalogAdapter<'_>, title: Title, shown: Vec<usize>) {
        let catalog = self.catalog();
        let rows: Vec<ProcedureRow> = shown.iter().map(|&i| row(&catalog.procedures()[i].procedure, s)).collect();
        adapter.set_procedures(ModelRc::new(VecModel::from(rows)));
        {
            let mut listing = self.listing.borrow_mut();
            listing.shown = shown;
            listing.title = title;
        }
        adapter.set_list_title(self.title(s));
    }

    fn search(&self, s: &Shared, adapter: &CatalogAdapter<'_>, query: &str) {
        if query.trim().is_empty() {
            self.show(s, adapter, Title::All, (0..self.catalog().len()).collect());
            return;
        }
        let limit = s.config.catalog.search_limit as usize;
        let found: Vec<usize> = self.catalog().search(query, limit).into_iter().map(|f| f.index).collect();
        self.show(s, adapter, Title::Query(query.trim().to_string()), found);
    }
}

pub fn connect(window: &AppWindow, shared: Rc<Shared>, catalog: Rc<Catalog>) {
    let config = &shared.config;
    let adapter = window.global::<CatalogAdapter>();
    adapter.set_center_name(config.center.name.to_uppercase().into());
    adapter.set_center_address(format!("{} · {}", config.center.province, config.center.address).into());
    adapter.set_demo_data(config.center.demo);
    set_fields(&adapter, &catalog);
    let screen = Rc::new(CatalogScreen {
        catalog: RefCell::new(catalog),
        listing: RefCell::new(Listing { shown: Vec::new(), title: Title::All, detail: None }),
    });
    *shared.catalog.borrow_mut() = Some(screen.clone());
    reset(window, &shared);

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_search(move |query| {
        let Some(window) = weak.upgrade() else { return };
        sc.search(&sh, &window.global::<CatalogAdapter>(), &query);
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_type_key(move |key| {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<CatalogAdapter>();
        let mut query = adapter.get_query().to_string();
        if query.chars().count() < 100 {
            query.push_str(&key.to_lowercase());
        }
        adapter.set_query(query.as_str().into());
        sc.search(&sh, &adapter, &query);
        super::kiosk::touch(&window, &sh);
        super::kiosk::say_key(&window, &sh, &key);
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_backspace(move || {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<CatalogAdapter>();
        let mut query = adapter.get_query().to_string();
        query.pop();
        adapter.set_query(query.as_str().into());
        sc.search(&sh, &adapter, &query);
        super::kiosk::touch(&window, &sh);
        super::kiosk::say_key(&window, &sh, super::read::BACKSPACE);
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_pick_field(move |i| {
        let Some(window) = weak.upgrade() else { return };
        let catalog = sc.catalog();
        let Some((field, _)) = catalog.fields().get(i as usize) else { return };
        let adapter = window.global::<CatalogAdapter>();
        adapter.set_query(SharedString::new());
        let shown = catalog.in_field(field);
        sc.show(&sh, &adapter, Title::Field(field.clone()), shown);
        super::kiosk::touch(&window, &sh);
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_pick_procedure(move |i| {
        let Some(window) = weak.upgrade() else { return };
        let Some(index) = sc.listing.borrow().shown.get(i as usize).copied() else { return };
        let adapter = window.global::<CatalogAdapter>();
        show_detail(&adapter, &sh, &sc.catalog().procedures()[index].procedure);
        adapter.set_slip_status(SharedString::new());
        adapter.set_has_detail(true);
        sc.listing.borrow_mut().detail = Some(index);
        super::kiosk::touch(&window, &sh);
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen.clone(), shared.clone());
    adapter.on_close_detail(move || {
        if let Some(window) = weak.upgrade() {
            window.global::<CatalogAdapter>().set_has_detail(false);
            sc.listing.borrow_mut().detail = None;
            super::kiosk::touch(&window, &sh);
        }
    });

    let weak = window.as_weak();
    let (sc, sh) = (screen, shared);
    adapter.on_print_slip(move || {
        let Some(window) = weak.upgrade() else { return };
        print_slip(&window, &sc, &sh);
    });
}

/// Prints the shown procedure's slip on the kiosk printer, off the UI thread; the button waits meanwhile.
fn print_slip(window: &AppWindow, screen: &CatalogScreen, s: &Rc<Shared>) {
    let adapter = window.global::<CatalogAdapter>();
    let Some(index) = screen.listing.borrow().detail else { return };
    if adapter.get_slip_printing() {
        return;
    }
    super::kiosk::touch(window, s);
    adapter.set_slip_printing(true);
    adapter.set_slip_status(s.pick("Đang in…", "Printing…").into());
    let procedure = screen.catalog().procedures()[index].procedure.clone();
    let (printer, config, clock) = (s.printer.clone(), s.config.clone(), s.clock.clone());
    s.spawn(
        window,
        move || {
            let printed_at = crate::domain::clock::local_stamp(clock.now());
            let page = config.catalog.page_url(&config.queue, &procedure.code);
            let slip = layout::procedure_slip(&config.center.name, &procedure, &page, &printed_at, config.center.demo);
            printer.lock().unwrap_or_else(|e| e.into_inner()).print(&slip)
        },
        |window, s, outcome| {
            let adapter = window.global::<CatalogAdapter>();
            adapter.set_slip_printing(false);
            let text = match &outcome {
                Outcome::Printed { .. } => {
                    s.pick("Đã in. Vui lòng nhận phiếu thông tin.", "Printed. Please take the slip.")
                }
                Outcome::SentUnconfirmed { .. } => s.pick(
                    "Đã gửi lệnh in. Nếu không thấy phiếu, hãy hỏi cán bộ.",
                    "Sent to the printer. If no slip came out, ask the staff.",
                ),
                Outcome::NotPrinted { why, .. } => {
                    tracing::warn!(why, "procedure slip not printed");
                    s.pick(
                        "Chưa in được (máy in gặp sự cố). Bạn có thể quét mã QR hoặc hỏi cán bộ.",
                        "Could not print (printer trouble). Scan the QR code or ask the staff.",
                    )
                }
            };
            adapter.set_slip_status(text.into());
        },
    );
}

/// Titles the list, and its rows' fields, again in the chosen language.
pub fn relabel(window: &AppWindow, shared: &Shared) {
    if let Some(screen) = screen_of(shared) {
        let adapter = window.global::<CatalogAdapter>();
        let catalog = screen.catalog();
        let shown = screen.listing.borrow().shown.clone();
        let rows: Vec<ProcedureRow> = shown.iter().map(|&i| row(&catalog.procedures()[i].procedure, shared)).collect();
        adapter.set_procedures(ModelRc::new(VecModel::from(rows)));
        adapter.set_list_title(screen.title(shared));
    }
}

/// The whole catalog, no query, no detail: how the next citizen finds it.
pub fn reset(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<CatalogAdapter>();
    adapter.set_query(SharedString::new());
    adapter.set_has_detail(false);
    adapter.set_slip_status(SharedString::new());
    if let Some(screen) = screen_of(shared) {
        screen.listing.borrow_mut().detail = None;
        screen.show(shared, &adapter, Title::All, (0..screen.catalog().len()).collect());
    }
}

fn set_fields(adapter: &CatalogAdapter<'_>, catalog: &Catalog) {
    let fields: Vec<FieldRow> =
        catalog.fields().iter().map(|(name, n)| FieldRow { name: name.as_str().into(), count: *n as i32 }).collect();
    adapter.set_fields(ModelRc::new(VecModel::from(fields)));
}

/// One procedure's detail with its two QR codes.
fn show_detail(adapter: &CatalogAdapter<'_>, s: &Shared, procedure: &Procedure) {
    let page = s.config.catalog.page_url(&s.config.queue, &procedure.code);
    adapter.set_detail(detail(procedure, &page));
    adapter.set_page_qr(qr_image(&page));
    adapter.set_qr(procedure.submit_online().map(qr_image).unwrap_or_default());
}

/// Shows the newly published catalog waiting in `Shared::published`, if one is.
pub fn take_published(window: &AppWindow, shared: &Shared) {
    let arrived = shared.published.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(catalog) = arrived {
        replace(window, shared, catalog);
    }
}

/// A newly published catalog takes the place of the one shown: the fields, the list as the citizen had it
/// (all, a field, or their search run again) and the procedure they were reading, in its new words. A
/// procedure no longer published closes its detail.
pub fn replace(window: &AppWindow, shared: &Shared, catalog: Catalog) {
    let Some(screen) = screen_of(shared) else { return };
    let adapter = window.global::<CatalogAdapter>();
    let reading = screen.listing.borrow().detail.map(|i| screen.catalog().procedures()[i].procedure.code.clone());
    let catalog = Rc::new(catalog);
    set_fields(&adapter, &catalog);
    *screen.catalog.borrow_mut() = catalog.clone();
    let title = std::mem::replace(&mut screen.listing.borrow_mut().title, Title::All);
    match title {
        Title::All => screen.show(shared, &adapter, Title::All, (0..catalog.len()).collect()),
        Title::Query(q) => screen.search(shared, &adapter, &q),
        Title::Field(f) => {
            let shown = catalog.in_field(&f);
            screen.show(shared, &adapter, Title::Field(f), shown);
        }
    }
    let found = reading.and_then(|code| catalog.procedures().iter().position(|p| p.procedure.code == code));
    screen.listing.borrow_mut().detail = found;
    match found {
        Some(i) => show_detail(&adapter, shared, &catalog.procedures()[i].procedure),
        None => adapter.set_has_detail(false),
    }
    tracing::info!(procedures = catalog.len(), "kiosk shows the newly published catalog");
}
