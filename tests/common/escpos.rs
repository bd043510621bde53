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

/// TCVN-3 lower-case page from 0xA1: each byte's letter, "" where unused. Written out independently
/// of the encoder's table.
const TCVN3_A1: &str = "ĂÂÊÔƠƯĐăâêôơưđ";
const TCVN3_B5: [&str; 74] = [
    "à", "ả", "ã", "á", "ạ", "", "ằ", "ẳ", "ẵ", "ắ", "", "", "", "", "", "", "", "ặ", "ầ", "ẩ", "ẫ", "ấ", "ậ", "è", "",
    "ẻ", "ẽ", "é", "ẹ", "ề", "ể", "ễ", "ế", "ệ", "ì", "ỉ", "", "", "", "ĩ", "í", "ị", "ò", "", "ỏ", "õ", "ó", "ọ", "ồ",
    "ổ", "ỗ", "ố", "ộ", "ờ", "ở", "ỡ", "ớ", "ợ", "ù", "", "ủ", "ũ", "ú", "ụ", "ừ", "ử", "ữ", "ứ", "ự", "ỳ", "ỷ", "ỹ",
    "ý", "ỵ",
];

fn tcvn3(b: u8, upper: bool) -> String {
    let s = match b {
        0x00..=0x7F => (b as char).to_string(),
        0xA1..=0xAE => TCVN3_A1.chars().nth((b - 0xA1) as usize).map(String::from).unwrap_or_default(),
        0xB5..=0xFE => TCVN3_B5[(b - 0xB5) as usize].to_string(),
        _ => "\u{FFFD}".into(),
    };
    if upper {
        s.to_uppercase()
    } else {
        s
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
