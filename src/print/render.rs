//! A document rendered for one printer profile: the whole job as bytes, built in memory before anything is
//! sent. Standard commands come from the `escpos` crate; Vietnamese text, raster bands and Code 128 are ours.

use super::document::{Align, Block, Document, Style};
use super::encoding::{encode_ascii, encode_cp1258, encode_tcvn3, Tcvn3Page, TextMode};
use super::profile::Profile;
use super::raster::{qr_image, raster_bands, text_line, wrap, Bitmap, LINE_DOTS};
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};
use std::cell::RefCell;
use std::rc::Rc;

/// Collects what the `escpos` printer writes.
#[derive(Clone, Default)]
struct Memory(Rc<RefCell<Vec<u8>>>);

impl Driver for Memory {
    fn name(&self) -> String {
        "memory".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Anything a render reports besides the bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderNotes {
    /// Lines that the profile's code page could not show and that went as raster instead.
    pub raster_fallbacks: Vec<String>,
    /// Barcodes left out because they do not fit the paper at 2 dots a module.
    pub skipped_barcodes: Vec<String>,
}

struct Job {
    printer: Printer<Memory>,
    out: Memory,
    profile: Profile,
    notes: RenderNotes,
}

/// Size in dots of the text font at a height multiplier, for raster lines.
fn raster_px(height: u8) -> f32 {
    LINE_DOTS as f32 * f32::from(height)
}

impl Job {
    /// Moves what the escpos printer has queued into the output, so that our own bytes keep their order.
    fn flush(&mut self) {
        // The memory driver cannot fail.
        let _ = self.printer.print();
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.flush();
        self.out.0.borrow_mut().extend_from_slice(bytes);
    }

    fn style(&mut self, style: Style) {
        let justify = match style.align {
            Align::Left => JustifyMode::LEFT,
            Align::Center => JustifyMode::CENTER,
            Align::Right => JustifyMode::RIGHT,
        };
        let _ = self.printer.justify(justify);
        let _ = self.printer.bold(style.bold);
        let _ = self.printer.size(style.width, style.height);
    }

    fn reset_style(&mut self) {
        self.style(Style::default());
    }

    fn image(&mut self, bitmap: &Bitmap, align: Align) {
        let _ = self.printer.justify(match align {
            Align::Left => JustifyMode::LEFT,
            Align::Center => JustifyMode::CENTER,
            Align::Right => JustifyMode::RIGHT,
        });
        let bands = raster_bands(bitmap, self.profile.band_bytes);
        self.raw(&bands);
    }

    /// One line as raster, wrapped to the paper.
    fn raster_text(&mut self, text: &str, style: Style) {
        let px = raster_px(style.height);
        for line in wrap(text, px, style.bold, self.profile.width_dots as f32) {
            let bitmap = text_line(&line, self.profile.width_dots, px, style.bold);
            self.image(&bitmap, style.align);
        }
    }

    /// Text in the profile's encoding, wrapped at spaces to the paper's columns.
    fn text(&mut self, text: &str, style: Style) {
        let columns = (self.profile.columns() / usize::from(style.width.max(1))).max(1);
        for line in wrap_columns(text, columns) {
            self.text_line(&line, style);
        }
    }

    /// One line in the profile's encoding, or raster when the encoding cannot show every character.
    fn text_line(&mut self, text: &str, style: Style) {
        let pages = self.profile.tcvn3_pages;
        let encoded: Option<Vec<u8>> = if text.is_ascii() {
            Some(text.as_bytes().to_vec())
        } else {
            match self.profile.text_mode {
                TextMode::Tcvn3 => encode_tcvn3(text, self.profile.tcvn3_capitals).map(|runs| {
                    let mut bytes = Vec::new();
                    for run in runs {
                        let page = if run.page == Tcvn3Page::Lower { pages[0] } else { pages[1] };
                        bytes.extend_from_slice(&[0x1B, b't', page]);
                        bytes.extend(run.bytes);
                    }
                    bytes
                }),
                TextMode::Cp1258 => encode_cp1258(text).map(|b| {
                    let mut bytes = vec![0x1B, b't', self.profile.cp1258_page];
                    bytes.extend(b);
                    bytes
                }),
                TextMode::Ascii => encode_ascii(text),
                TextMode::Raster => None,
            }
        };
        match encoded {
            Some(bytes) => {
                self.style(style);
                self.raw(&bytes);
                self.raw(b"\n");
                self.reset_style();
            }
            None => {
                if self.profile.text_mode != TextMode::Raster {
                    tracing::warn!(profile = %self.profile.name, line = text, "line not encodable, printed as raster");
                    self.notes.raster_fallbacks.push(text.to_string());
                }
                self.raster_text(text, style);
            }
        }
    }

    fn qr(&mut self, payload: &str) {
        if self.profile.native_qr {
            let option = QRCodeOption::new(QRCodeModel::Model2, 6, QRCodeCorrectionLevel::M);
            let _ = self.printer.justify(JustifyMode::CENTER);
            let _ = self.printer.qrcode_option(payload, option);
            let _ = self.printer.feed();
            let _ = self.printer.justify(JustifyMode::LEFT);
        } else if let Some(bitmap) = qr_image(payload, self.profile.width_dots / 2) {
            self.image(&bitmap, Align::Center);
            let _ = self.printer.justify(JustifyMode::LEFT);
        }
    }

    /// Code 128 set B (`GS k 73`), when the whole symbol fits at 2 dots a module.
    fn barcode(&mut self, data: &str) {
        let modules = 11 * (data.len() as u32 + 3) + 2 + 20;
        let module_dots = (self.profile.width_dots / modules).min(3);
        if !data.is_ascii() || data.len() > 80 || module_dots < 2 {
            self.notes.skipped_barcodes.push(data.to_string());
            return;
        }
        let mut bytes = vec![0x1D, b'h', 80, 0x1D, b'w', module_dots as u8, 0x1D, b'H', 2, 0x1B, b'a', 1];
        bytes.extend_from_slice(&[0x1D, b'k', 73, data.len() as u8 + 2, b'{', b'B']);
        bytes.extend_from_slice(data.as_bytes());
        bytes.extend_from_slice(&[b'\n', 0x1B, b'a', 0]);
        self.raw(&bytes);
    }
}

/// Splits text into lines of at most `columns` characters, at spaces where possible.
fn wrap_columns(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        // A word longer than a line is cut.
        while word.chars().count() > columns {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let cut: String = word.chars().take(columns).collect();
            word = word.chars().skip(columns).collect();
            lines.push(cut);
        }
        let len = line.chars().count();
        if line.is_empty() {
            line = word;
        } else if len + 1 + word.chars().count() <= columns {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    lines.push(line);
    lines
}

/// Renders a document for a profile: the whole job, starting with `ESC @`.
pub fn render(document: &Document, profile: &Profile) -> (Vec<u8>, RenderNotes) {
    let out = Memory::default();
    let printer = Printer::new(out.clone(), Protocol::default(), None);
    let mut job = Job { printer, out, profile: profile.clone(), notes: RenderNotes::default() };
    let _ = job.printer.init();
    if profile.cancel_chinese {
        job.raw(&[0x1C, b'.']);
    }
    for block in &document.blocks {
        match block {
            Block::Text { text, style } => job.text(text, *style),
            Block::BigNumber(number) => {
                // As wide as the paper allows, up to 5×5, so the number reads from a step away.
                let columns = profile.columns() as u32;
                let factor = (columns / (number.chars().count() as u32).max(1)).clamp(1, 5) as u8;
                let style = Style::center().bold().size(factor, factor);
                job.text(number, style);
            }
            Block::Qr(payload) => job.qr(payload),
            Block::Barcode(data) => job.barcode(data),
            Block::Separator => {
                let rule = "-".repeat(profile.columns());
                job.text(&rule, Style::default());
            }
            Block::Feed(n) => {
                let _ = job.printer.feeds(*n);
            }
            Block::Cut => {
                let _ = job.printer.feeds(4);
                if profile.cutter {
                    let _ = job.printer.partial_cut();
                }
            }
        }
    }
    job.flush();
    let bytes = job.out.0.take();
    (bytes, job.notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epson() -> Profile {
        Profile::builtin("epson-tm-t20").expect("built-in")
    }

    #[test]
    fn job_starts_with_init_and_text_is_byte_exact() {
        let doc = Document::new().text("Số", Style::default());
        let (bytes, notes) = render(&doc, &epson());
        assert_eq!(&bytes[..2], &[0x1B, b'@']);
        // "S" then "ố" on the lower-case page (30).
        let needle = [0x1B, b't', 30, b'S', 0xE8, b'\n'];
        assert!(bytes.windows(needle.len()).any(|w| w == needle), "{bytes:02X?}");
        assert!(notes.raster_fallbacks.is_empty());
    }

    #[test]
    fn clones_get_fs_dot_and_unencodable_lines_go_raster() {
        let clone = Profile::builtin("xprinter-80").expect("built-in");
        let (bytes, _) = render(&Document::new(), &clone);
        assert_eq!(&bytes[..4], &[0x1B, b'@', 0x1C, b'.']);
        let (bytes, notes) = render(&Document::new().text("Hán 漢", Style::default()), &epson());
        assert_eq!(notes.raster_fallbacks, ["Hán 漢"]);
        // The whole line is an image: no code-page text was sent for it (so no "?" either).
        assert!(bytes.windows(3).any(|w| w == [0x1D, b'v', b'0']));
        assert!(!bytes.windows(2).any(|w| w == [0x1B, b't']), "{:02X?}", &bytes[..40]);
    }

    #[test]
    fn long_barcodes_are_left_to_the_qr() {
        let narrow = Profile::builtin("generic-58").expect("built-in");
        let (_, notes) = render(&Document::new().push(Block::Barcode("H57.132-260804-0583".into())), &narrow);
        assert_eq!(notes.skipped_barcodes, ["H57.132-260804-0583"]);
        let (bytes, notes) = render(&Document::new().push(Block::Barcode("H57.132-260804-0583".into())), &epson());
        assert!(notes.skipped_barcodes.is_empty());
        assert!(bytes.windows(3).any(|w| w == [0x1D, b'k', 73]));
    }
}
