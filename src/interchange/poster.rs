//! Notice-board sheets (niêm yết): A4 pages in PDF, one procedure a page (continued when it runs long) with
//! its essentials in large type, the QR codes of its public page and of its online submission, the hall's
//! name and the version's date; and for a field, an index page first. The bundled Noto Sans is embedded and
//! krilla writes its ToUnicode map, so the Vietnamese text can be searched and read back.
//!
//! Pages are laid out first (text measured with the same font through ab_glyph), then drawn.

use crate::domain::catalog::{describe, SectionKind};
use crate::store::catalog::StoredProcedure;
use ab_glyph::{Font as _, FontRef};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 42.0;
/// Room kept at the bottom of every page for its footer line.
const FOOTER: f32 = 30.0;
const QR_SIZE: f32 = 120.0;
const LINE: f32 = 1.38;
const INK: (u8, u8, u8) = (17, 17, 17);
const ACCENT: (u8, u8, u8) = (11, 79, 138);
const MUTED: (u8, u8, u8) = (85, 85, 85);

/// What the sheets say about the hall and when they were made.
pub struct Hall<'a> {
    pub name: &'a str,
    pub province: &'a str,
    /// "04/12/2026": the day the sheets are printed.
    pub printed: &'a str,
}

/// One group of sheets: a field's index page (when `field` is given) and its procedures' pages.
pub struct Group<'a> {
    pub field: Option<&'a str>,
    pub procedures: Vec<&'a StoredProcedure>,
}

#[derive(Debug, Clone)]
enum Mark {
    Text { x: f32, y: f32, size: f32, bold: bool, color: (u8, u8, u8), text: String },
    Rule { y: f32 },
    Qr { x: f32, y: f32, text: String },
}

/// Text measured with the bundled fonts.
struct Measure {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Measure {
    fn new() -> Result<Measure, String> {
        let font = |bytes| FontRef::try_from_slice(bytes).map_err(|e| format!("the bundled font does not read: {e}"));
        Ok(Measure { regular: font(REGULAR)?, bold: font(BOLD)? })
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let em = font.units_per_em().unwrap_or(1000.0);
        text.chars().map(|c| font.h_advance_unscaled(font.glyph_id(c))).sum::<f32>() * size / em
    }

    /// Lines of at most `width`, broken between words (a word longer than a line stands alone).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if !line.is_empty() && self.width(&candidate, size, bold) > width {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                } else {
                    line = candidate;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// Pages being laid out, top to bottom.
struct Layout<'m> {
    measure: &'m Measure,
    pages: Vec<Vec<Mark>>,
    y: f32,
    /// What a page that continues the current procedure is headed with.
    continued: String,
}

impl Layout<'_> {
    fn page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn bottom(&self) -> f32 {
        HEIGHT - MARGIN - FOOTER
    }

    /// Room for `height` more on this page, else a new page headed by what it continues.
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom() {
            self.page();
            if !self.continued.is_empty() {
                let heading = format!("{} (tiếp theo)", self.continued);
                self.text(&heading, 11.0, true, MUTED, false);
            }
        }
    }

    /// Wrapped text from the left margin (or centred), each line on the page it fits.
    fn text(&mut self, text: &str, size: f32, bold: bool, color: (u8, u8, u8), centred: bool) {
        let width = WIDTH - 2.0 * MARGIN;
        for line in self.measure.wrap(text, size, bold, width) {
            self.room(size * LINE);
            let x = if centred { (WIDTH - self.measure.width(&line, size, bold)) / 2.0 } else { MARGIN };
            // The baseline sits below the top of the line by the font's ascent (about 1.07 em for Noto Sans).
            let y = self.y + size * 1.07;
            self.pages.last_mut().expect("a page").push(Mark::Text { x, y, size, bold, color, text: line });
            self.y += size * LINE;
        }
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    fn rule(&mut self) {
        self.room(8.0);
        self.pages.last_mut().expect("a page").push(Mark::Rule { y: self.y + 3.0 });
        self.y += 8.0;
    }

    fn header(&mut self, hall: &Hall<'_>) {
        self.text(&hall.province.to_uppercase(), 11.0, false, MUTED, true);
        self.text(&hall.name.to_uppercase(), 14.0, true, INK, true);
        self.gap(2.0);
        self.rule();
    }
}

/// The essentials a citizen reads on the notice board: time limits and fees, documents, where, online.
fn essential(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Case
            | SectionKind::Documents
            | SectionKind::Agency
            | SectionKind::Conditions
            | SectionKind::Online
    )
}

/// Type sizes tried in turn so that a procedure fits its one sheet; past the last, it continues overleaf.
const SIZES: [f32; 4] = [15.0, 14.0, 13.0, 12.0];

/// A procedure's sheet in the largest type that keeps it to one page.
fn procedure_sheet(l: &mut Layout<'_>, hall: &Hall<'_>, stored: &StoredProcedure, page_url: &str) {
    let start = l.pages.len();
    for size in SIZES {
        l.pages.truncate(start);
        procedure_pages(l, hall, stored, page_url, size);
        if l.pages.len() == start + 1 {
            return;
        }
    }
}

fn procedure_pages(l: &mut Layout<'_>, hall: &Hall<'_>, stored: &StoredProcedure, page_url: &str, size: f32) {
    let p = &stored.procedure;
    l.continued = String::new();
    l.page();
    l.header(hall);
    l.text("NIÊM YẾT THỦ TỤC HÀNH CHÍNH", 12.0, true, ACCENT, true);
    l.gap(6.0);
    l.text(&p.name, 22.0, true, INK, false);
    l.text(&format!("Mã thủ tục: {} · Lĩnh vực: {}", p.code, p.field_name()), 12.0, false, MUTED, false);
    l.gap(6.0);
    l.continued = p.name.clone();
    for section in describe(p).into_iter().filter(|s| essential(s.kind)) {
        let (heading, _) = section.kind.heading(&section.subject);
        // A heading never ends a page alone.
        l.room(2.0 * size * LINE);
        l.gap(4.0);
        l.text(&heading, size, true, ACCENT, false);
        l.text(&section.text, size, false, INK, false);
    }
    // The codes and their captions, kept together at the end.
    l.room(QR_SIZE + 60.0);
    l.gap(10.0);
    let top = l.y;
    let mut codes = vec![(page_url.to_string(), "Xem thủ tục trên điện thoại")];
    if let Some(url) = p.submit_online() {
        codes.push((url.to_string(), "Nộp hồ sơ trực tuyến"));
    }
    let measure = l.measure;
    let page = l.pages.last_mut().expect("a page");
    for (i, (url, caption)) in codes.into_iter().enumerate() {
        let x = MARGIN + i as f32 * (QR_SIZE + 110.0);
        page.push(Mark::Qr { x, y: top, text: url });
        // The caption centred under its code.
        let cx = (x + (QR_SIZE - measure.width(caption, 12.0, true)) / 2.0).max(MARGIN);
        page.push(Mark::Text {
            x: cx,
            y: top + QR_SIZE + 16.0,
            size: 12.0,
            bold: true,
            color: INK,
            text: caption.into(),
        });
    }
    l.y = top + QR_SIZE + 26.0;
    let version = format!(
        "Phiên bản {} của thủ tục, công bố ngày {}; niêm yết ngày {}.",
        stored.version,
        crate::domain::clock::local_date_of(&stored.imported_at),
        hall.printed
    );
    l.text(&version, 11.0, false, MUTED, false);
}

fn index_page(l: &mut Layout<'_>, hall: &Hall<'_>, field: &str, procedures: &[&StoredProcedure], first_page: usize) {
    l.continued = String::new();
    l.page();
    l.header(hall);
    l.text("DANH MỤC THỦ TỤC HÀNH CHÍNH", 16.0, true, ACCENT, true);
    l.text(&format!("Lĩnh vực: {field} ({} thủ tục)", procedures.len()), 14.0, true, INK, true);
    l.gap(8.0);
    l.continued = format!("Danh mục thủ tục lĩnh vực {field}");
    for (i, stored) in procedures.iter().enumerate() {
        let p = &stored.procedure;
        let online = if p.submit_online().is_some() { " · nộp trực tuyến được" } else { "" };
        l.text(&format!("{}. {}", i + 1, p.name), 13.0, false, INK, false);
        l.text(&format!("    Mã {}{online} · tờ {}", p.code, first_page + i), 11.0, false, MUTED, false);
    }
}

/// The sheets of `groups` as one PDF; `page_url` gives a procedure's public page.
pub fn posters(hall: &Hall<'_>, groups: &[Group<'_>], page_url: &dyn Fn(&str) -> String) -> Result<Vec<u8>, String> {
    let measure = Measure::new()?;
    let mut l = Layout { measure: &measure, pages: Vec::new(), y: MARGIN, continued: String::new() };
    for group in groups {
        // The index names each procedure's sheet by its number in the file; laid out once to count them.
        let first = l.pages.len() + 2;
        if let Some(field) = group.field {
            index_page(&mut l, hall, field, &group.procedures, first);
            let index_pages = l.pages.len() - (first - 2);
            if index_pages > 1 {
                // A long index moves the sheets on: lay it out again with the right numbers.
                l.pages.truncate(first - 2);
                index_page(&mut l, hall, field, &group.procedures, first + index_pages - 1);
            }
        }
        for stored in &group.procedures {
            procedure_sheet(&mut l, hall, stored, &page_url(&stored.procedure.code));
        }
    }
    draw(&l.pages, hall)
}

/// A QR code as filled squares, each row's dark runs as one rectangle.
fn qr(surface: &mut krilla::surface::Surface<'_>, x: f32, y: f32, text: &str) -> Result<(), String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| format!("no QR code for {text}: {e}"))?;
    let width = code.width();
    let module = QR_SIZE / (width + 8) as f32;
    let (x0, y0) = (x + 4.0 * module, y + 4.0 * module);
    let colors = code.to_colors();
    let mut path = PathBuilder::new();
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < width && colors[row * width + col] == qrcode::Color::Dark {
                col += 1;
            }
            let rect = Rect::from_xywh(
                x0 + start as f32 * module,
                y0 + row as f32 * module,
                (col - start) as f32 * module,
                module,
            );
            if let Some(rect) = rect {
                path.push_rect(rect);
            }
        }
    }
    surface.set_fill(Some(Fill { paint: rgb::Color::new(0, 0, 0).into(), ..Default::default() }));
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
    Ok(())
}

fn draw(pages: &[Vec<Mark>], hall: &Hall<'_>) -> Result<Vec<u8>, String> {
    let font = |bytes: &'static [u8]| Font::new(bytes.into(), 0).ok_or("the bundled font does not load");
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("A4 is a page size")?;
    let total = pages.len();
    for (n, marks) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text { x, y, size, bold: b, color, text } => {
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(color.0, color.1, color.2).into(),
                        ..Default::default()
                    }));
                    let face = if *b { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(*x, *y), face, *size, text, false, TextDirection::Auto);
                }
                Mark::Rule { y } => {
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(ACCENT.0, ACCENT.1, ACCENT.2).into(),
                        ..Default::default()
                    }));
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(MARGIN, *y, WIDTH - 2.0 * MARGIN, 1.2) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
                Mark::Qr { x, y, text } => qr(&mut surface, *x, *y, text)?,
            }
        }
        let footer = format!("{} · niêm yết ngày {} · tờ {}/{total}", hall.name, hall.printed, n + 1);
        surface.set_fill(Some(Fill { paint: rgb::Color::new(MUTED.0, MUTED.1, MUTED.2).into(), ..Default::default() }));
        surface.draw_text(
            Point::from_xy(MARGIN, HEIGHT - MARGIN),
            regular.clone(),
            9.0,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    let metadata = krilla::metadata::Metadata::new()
        .title(format!("Niêm yết thủ tục hành chính — {}", hall.name))
        .language("vi".into())
        .creator("motcua".into());
    document.set_metadata(metadata);
    document.finish().map_err(|e| format!("the PDF could not be written: {e:?}"))
}
