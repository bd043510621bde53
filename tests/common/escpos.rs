//! The test suite's own ESC/POS decoder, written apart from the virtual printer so that each checks the
//! other: text (by code page), bold and size, QR payloads, and whether raster was used.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Decoded {
    /// (text, bold, width, height) per line.
    pub lines: Vec<(String, bool, u8, u8)>,
    pub qr: Vec<String>,
    pub raster_bands: usize,
}

/// A byte on an Epson TCVN-3 page (30 lower case, 31 capitals) as the printer prints it, from the published
/// tables in tests/fixtures/tcvn3-epson.txt (not the encoder's): U+FFFD where the printer prints nothing.
fn tcvn3(b: u8, upper: bool) -> String {
    if b < 0x80 {
        let c = b as char;
        return if upper { c.to_ascii_uppercase() } else { c }.to_string();
    }
    let fixture = include_str!("../fixtures/tcvn3-epson.txt");
    let page = if upper { "[31]" } else { "[30]" };
    let rows: Vec<&str> = fixture.lines().skip_while(|l| *l != page).skip(1).take(8).collect();
    match rows[usize::from(b - 0x80) / 16].chars().nth(usize::from(b % 16)) {
        // The published table writes Đ's place with the Icelandic eth.
        Some('Ð') => "Đ".into(),
        Some(' ') | None => "\u{FFFD}".into(),
        Some(c) => c.to_string(),
    }
}

fn cp1258(b: u8) -> char {
    const HIGH: &str = "ÀÁÂĂÄÅÆÇÈÉÊË\u{300}ÍÎÏĐÑ\u{309}ÓÔƠÖ×ØÙÚÛÜƯ\u{303}ßàáâăäåæçèéêë\u{301}íîïđñ\u{323}óôơö÷øùúûüư₫ÿ";
    match b {
        0x00..=0x7F => b as char,
        0xC0..=0xFF => HIGH.chars().nth((b - 0xC0) as usize).unwrap_or('\u{FFFD}'),
        0x95 => '•',
        0x96 => '–',
        0x97 => '—',
        0xB7 => '·',
        _ => '\u{FFFD}',
    }
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoded::default();
    let (mut page, mut bold, mut w, mut h) = (0u8, false, 1u8, 1u8);
    let mut line = String::new();
    let mut qr = None;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], at(i + 1)) {
            (0x1B, b'@') => {
                (page, bold, w, h) = (0, false, 1, 1);
                i += 2;
            }
            (0x1B, b't') => {
                page = at(i + 2);
                i += 3;
            }
            (0x1B, b'E') => {
                bold = at(i + 2) == 1;
                i += 3;
            }
            (0x1B, b'a') | (0x1B, b'd') => i += 3,
            (0x1D, b'!') => {
                (w, h) = ((at(i + 2) >> 4) + 1, (at(i + 2) & 0xF) + 1);
                i += 3;
            }
            (0x1D, b'v') => {
                let len = (usize::from(at(i + 4)) | usize::from(at(i + 5)) << 8)
                    * (usize::from(at(i + 6)) | usize::from(at(i + 7)) << 8);
                d.raster_bands += 1;
                i += 8 + len;
            }
            (0x1D, b'(') => {
                let len = usize::from(at(i + 3)) | usize::from(at(i + 4)) << 8;
                if at(i + 5) == 49 && at(i + 6) == 80 {
                    qr = Some(String::from_utf8_lossy(&bytes[i + 8..i + 5 + len]).into_owned());
                }
                if at(i + 5) == 49 && at(i + 6) == 81 {
                    d.qr.extend(qr.take());
                }
                i += 5 + len;
            }
            (0x1D, b'V') => i += if matches!(at(i + 2), 65 | 66) { 4 } else { 3 },
            (0x1D, b'k') => i += 4 + usize::from(at(i + 3)),
            (0x1D, _) => i += 3,
            (0x1C, _) => i += 2,
            (b'\n', _) => {
                d.lines.push((line.nfc().collect(), bold, w, h));
                line.clear();
                i += 1;
            }
            (b, _) => {
                match page {
                    30 => line.push_str(&tcvn3(b, false)),
                    31 => line.push_str(&tcvn3(b, true)),
                    52 => line.push(cp1258(b)),
                    _ => line.push(if b < 0x80 { b as char } else { '\u{FFFD}' }),
                }
                i += 1;
            }
        }
    }
    d
}
