//! One-bit images for thermal paper: text drawn with the bundled font (for printers whose Vietnamese pages
//! are missing or broken), QR codes with a proper quiet zone, and the `GS v 0` bands that carry them.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Height in dots of one line of text at size 1: the 24-dot font A of ESC/POS printers.
pub const LINE_DOTS: u32 = 24;

/// A one-bit image, one byte a pixel while it is built (true = black).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<bool>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        Bitmap { width, height, pixels: vec![false; width as usize * height as usize] }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.pixels[y as usize * self.width as usize + x as usize]
    }

    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            self.pixels[y as usize * self.width as usize + x as usize] = true;
        }
    }

    /// Copies `other` with its top-left corner at (`x`, `y`).
    pub fn blit(&mut self, other: &Bitmap, x: u32, y: u32) {
        for oy in 0..other.height {
            for ox in 0..other.width {
                if other.get(ox, oy) {
                    self.set(x + ox, y + oy);
                }
            }
        }
    }

    /// Rows packed eight dots a byte, most significant bit first, as `GS v 0` wants them.
    pub fn packed_rows(&self, from: u32, to: u32) -> Vec<u8> {
        let bytes_per_row = self.width.div_ceil(8);
        let mut out = vec![0u8; (bytes_per_row * (to - from)) as usize];
        for y in from..to {
            for x in 0..self.width {
                if self.get(x, y) {
                    out[((y - from) * bytes_per_row + x / 8) as usize] |= 0x80 >> (x % 8);
                }
            }
        }
        out
    }
}

/// The bundled fonts, parsed once. They are part of the binary: a failure here is a build defect that
/// every raster test catches.
static FONTS: std::sync::LazyLock<[FontRef<'static>; 2]> = std::sync::LazyLock::new(|| {
    [
        FontRef::try_from_slice(REGULAR).expect("bundled regular font parses"),
        FontRef::try_from_slice(BOLD).expect("bundled bold font parses"),
    ]
});

fn font(bold: bool) -> FontRef<'static> {
    FONTS[usize::from(bold)].clone()
}

/// Width in dots of `text` at `px`.
pub fn text_width(text: &str, px: f32, bold: bool) -> f32 {
    let font = font(bold);
    let scaled = font.as_scaled(PxScale::from(px));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Splits `text` into lines no wider than `max` dots, at spaces where possible. Each word is measured
/// once.
pub fn wrap(text: &str, px: f32, bold: bool, max: f32) -> Vec<String> {
    let space = text_width(" ", px, bold);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for word in text.split(' ') {
        let w = text_width(word, px, bold);
        if line.is_empty() {
            line.push_str(word);
            used = w;
        } else if used + space + w <= max {
            line.push(' ');
            line.push_str(word);
            used += space + w;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
            used = w;
        }
    }
    lines.push(line);
    lines
}

/// Draws one line of text, cropped to its width (rounded up to whole bytes, at most `max_width` dots):
/// the printer aligns the image with `ESC a`, so blank margins are never sent. The height leaves room for
/// stacked marks above capitals ("Ắ", "Ỗ") and for descenders, so nothing is clipped.
pub fn text_line(text: &str, max_width: u32, px: f32, bold: bool) -> Bitmap {
    let font = font(bold);
    let scaled = font.as_scaled(PxScale::from(px));
    let ascent = scaled.ascent().ceil();
    let height = (ascent - scaled.descent()).ceil() as u32 + 2;
    let used = text_width(text, px, bold).ceil() as u32 + 2;
    let width = used.div_ceil(8).saturating_mul(8).clamp(8, max_width.max(8));
    let mut bitmap = Bitmap::new(width, height);
    let mut x = 1.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(x, ascent + 1.0));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                if coverage >= 0.5 {
                    let px_x = bounds.min.x as i32 + gx as i32;
                    let px_y = bounds.min.y as i32 + gy as i32;
                    if px_x >= 0 && px_y >= 0 {
                        bitmap.set(px_x as u32, px_y as u32);
                    }
                }
            });
        }
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    bitmap
}

/// The QR code of `payload` as an image: a whole number of dots a module (at most `max_width` wide and at
/// most 5 dots a module, which phones read easily) and a four-module quiet zone. `None` if the payload is
/// too long.
pub fn qr_image(payload: &str, max_width: u32) -> Option<Bitmap> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width() as u32;
    let total = modules + 8;
    let dots = (max_width / total).clamp(1, 5);
    let mut bitmap = Bitmap::new(total * dots, total * dots);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % modules + 4, i as u32 / modules + 4);
            for dy in 0..dots {
                for dx in 0..dots {
                    bitmap.set(mx * dots + dx, my * dots + dy);
                }
            }
        }
    }
    Some(bitmap)
}

/// `GS v 0` commands for a bitmap, in bands of at most `band_bytes` so that a small printer buffer never
/// overflows.
pub fn raster_bands(bitmap: &Bitmap, band_bytes: u32) -> Vec<u8> {
    let bytes_per_row = bitmap.width.div_ceil(8);
    let rows_per_band = (band_bytes / bytes_per_row.max(1)).max(1);
    let mut out = Vec::new();
    let mut y = 0;
    while y < bitmap.height {
        let to = (y + rows_per_band).min(bitmap.height);
        let rows = to - y;
        out.extend_from_slice(&[0x1D, b'v', b'0', 0]);
        out.extend_from_slice(&[(bytes_per_row & 0xFF) as u8, (bytes_per_row >> 8) as u8]);
        out.extend_from_slice(&[(rows & 0xFF) as u8, (rows >> 8) as u8]);
        out.extend(bitmap.packed_rows(y, to));
        y = to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_marks_are_inside_the_line() {
        let line = text_line("ỐẮỂỠẬ", 576, 48.0, true);
        let top_row_used = (0..line.width).any(|x| line.get(x, 0));
        let bottom_row_used = (0..line.width).any(|x| line.get(x, line.height - 1));
        assert!(!top_row_used && !bottom_row_used, "marks and descenders fit the line box");
        assert!(line.pixels.iter().filter(|p| **p).count() > 500, "something was drawn");
    }

    #[test]
    fn bands_fit_the_buffer() {
        let bitmap = Bitmap::new(576, 200);
        let bytes = raster_bands(&bitmap, 4096);
        // 72 bytes a row, 56 rows a band: 4 bands of header + data.
        assert_eq!(bytes.len(), 4 * 8 + 72 * 200);
        assert_eq!(&bytes[..8], &[0x1D, b'v', b'0', 0, 72, 0, 56, 0]);
    }

    #[test]
    fn qr_has_whole_modules_and_quiet_zone() {
        let qr = qr_image("https://hcc.example.vn/t/abc", 300).expect("qr");
        let code =
            qrcode::QrCode::with_error_correction_level(b"https://hcc.example.vn/t/abc", qrcode::EcLevel::M).unwrap();
        let dots = qr.width / (code.width() as u32 + 8);
        assert_eq!(qr.width, (code.width() as u32 + 8) * dots);
        assert!((0..qr.width).all(|x| !qr.get(x, 3 * dots)), "quiet zone is white");
    }
}
