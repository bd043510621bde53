//! Vietnamese text to printer bytes. Printers differ in which code pages they really have, so each profile
//! picks one of four ways; a line the chosen way cannot show is printed as raster instead, never with "?".

use crate::domain::fold::fold;
use unicode_normalization::UnicodeNormalization;

/// How a profile prints text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextMode {
    /// TCVN-3 (ABC): lower case and unmarked capitals on one page, marked capitals on another.
    Tcvn3,
    /// Windows-1258: base letter plus a combining tone mark.
    Cp1258,
    /// Every line drawn with the bundled font and sent as an image.
    Raster,
    /// Marks removed ("Dang ky khai sinh"); only when an installer chose it.
    Ascii,
}

impl TextMode {
    pub const ALLOWED: &'static str = "tcvn3, cp1258, raster, ascii";
}

/// The TCVN-3 lower-case page: precomposed lower-case letters and the unmarked capitals Ă Â Ê Ô Ơ Ư Đ.
/// On the capitals page the same byte shows the capital of the lower-case letter it stands for here.
const TCVN3: &[(char, u8)] = &[
    ('Ă', 0xA1),
    ('Â', 0xA2),
    ('Ê', 0xA3),
    ('Ô', 0xA4),
    ('Ơ', 0xA5),
    ('Ư', 0xA6),
    ('Đ', 0xA7),
    ('ă', 0xA8),
    ('â', 0xA9),
    ('ê', 0xAA),
    ('ô', 0xAB),
    ('ơ', 0xAC),
    ('ư', 0xAD),
    ('đ', 0xAE),
    ('à', 0xB5),
    ('ả', 0xB6),
    ('ã', 0xB7),
    ('á', 0xB8),
    ('ạ', 0xB9),
    ('ằ', 0xBB),
    ('ẳ', 0xBC),
    ('ẵ', 0xBD),
    ('ắ', 0xBE),
    ('ặ', 0xC6),
    ('ầ', 0xC7),
    ('ẩ', 0xC8),
    ('ẫ', 0xC9),
    ('ấ', 0xCA),
    ('ậ', 0xCB),
    ('è', 0xCC),
    ('ẻ', 0xCE),
    ('ẽ', 0xCF),
    ('é', 0xD0),
    ('ẹ', 0xD1),
    ('ề', 0xD2),
    ('ể', 0xD3),
    ('ễ', 0xD4),
    ('ế', 0xD5),
    ('ệ', 0xD6),
    ('ì', 0xD7),
    ('ỉ', 0xD8),
    ('ĩ', 0xDC),
    ('í', 0xDD),
    ('ị', 0xDE),
    ('ò', 0xDF),
    ('ỏ', 0xE1),
    ('õ', 0xE2),
    ('ó', 0xE3),
    ('ọ', 0xE4),
    ('ồ', 0xE5),
    ('ổ', 0xE6),
    ('ỗ', 0xE7),
    ('ố', 0xE8),
    ('ộ', 0xE9),
    ('ờ', 0xEA),
    ('ở', 0xEB),
    ('ỡ', 0xEC),
    ('ớ', 0xED),
    ('ợ', 0xEE),
    ('ù', 0xEF),
    ('ủ', 0xF1),
    ('ũ', 0xF2),
    ('ú', 0xF3),
    ('ụ', 0xF4),
    ('ừ', 0xF5),
    ('ử', 0xF6),
    ('ữ', 0xF7),
    ('ứ', 0xF8),
    ('ự', 0xF9),
    ('ỳ', 0xFA),
    ('ỷ', 0xFB),
    ('ỹ', 0xFC),
    ('ý', 0xFD),
    ('ỵ', 0xFE),
];

/// Where a printer keeps the seven unmarked Vietnamese capitals Ă Â Đ Ê Ô Ơ Ư in TCVN-3.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tcvn3Capitals {
    /// On the capitals page: Ă Â Đ at A1, A2, A7 and Ê Ô Ơ Ư at AA–AD, as the TCVN-3 standard and Epson's
    /// page 31 have them (Epson's page 30 has nothing at A1–A7).
    #[default]
    CapitalsPage,
    /// At A1–A7 of the lower-case page, as some fonts and clones have them.
    LowerPage,
}

impl Tcvn3Capitals {
    pub const ALLOWED: &'static str = "capitals_page, lower_page";
}

/// The unmarked capitals on the capitals page (`Tcvn3Capitals::CapitalsPage`).
const TCVN3_PLAIN_CAPITALS: &[(char, u8)] =
    &[('Ă', 0xA1), ('Â', 0xA2), ('Đ', 0xA7), ('Ê', 0xAA), ('Ô', 0xAB), ('Ơ', 0xAC), ('Ư', 0xAD)];

/// What an Epson printer prints for 0x80–0xFF on its TCVN-3 pages (30: lower case, 31: capitals), a row of
/// sixteen bytes per line, a space where it prints nothing. The virtual printer prints with these, not with
/// the encoder's table, so that a byte the real printer lacks shows as missing.
const EPSON_TCVN3_30: [&str; 8] = [
    "                ",
    "                ",
    "        ăâêôơưđ ",
    "     àảãáạ ằẳẵắ ",
    "      ặầẩẫấậè ẻẽ",
    "éẹềểễếệìỉ   ĩíịò",
    " ỏõóọồổỗốộờởỡớợù",
    " ủũúụừửữứựỳỷỹýỵ ",
];
const EPSON_TCVN3_31: [&str; 8] = [
    "                ",
    "                ",
    " ĂÂ    Đ  ÊÔƠƯ  ",
    "     ÀẢÃÁẠ ẰẲẴẮ ",
    "      ẶẦẨẪẤẬÈ ẺẼ",
    "ÉẸỀỂỄẾỆÌỈ   ĨÍỊÒ",
    " ỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙ",
    " ỦŨÚỤỪỬỮỨỰỲỶỸÝỴ ",
];

/// Which TCVN-3 page a byte needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tcvn3Page {
    Lower,
    Upper,
}

/// One run of bytes on one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tcvn3Run {
    pub page: Tcvn3Page,
    pub bytes: Vec<u8>,
}

fn tcvn3_lower(c: char) -> Option<u8> {
    TCVN3.iter().find(|(k, _)| *k == c).map(|(_, b)| *b)
}

/// A character on the TCVN-3 pages: its byte and the page it needs (`None`: either page, e.g. digits).
fn tcvn3_char(c: char, capitals: Tcvn3Capitals) -> Option<(u8, Option<Tcvn3Page>)> {
    if capitals == Tcvn3Capitals::CapitalsPage {
        if let Some((_, b)) = TCVN3_PLAIN_CAPITALS.iter().find(|(k, _)| *k == c) {
            return Some((*b, Some(Tcvn3Page::Upper)));
        }
    }
    if c == ' ' || c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_ascii_uppercase() {
        return Some((c as u8, None));
    }
    if c.is_ascii_lowercase() {
        return Some((c as u8, Some(Tcvn3Page::Lower)));
    }
    if let Some(b) = tcvn3_lower(c) {
        return Some((b, Some(Tcvn3Page::Lower)));
    }
    // A marked capital: the byte of its lower case, on the capitals page.
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l != c && !l.is_ascii() => tcvn3_lower(l).map(|b| (b, Some(Tcvn3Page::Upper))),
        _ => None,
    }
}

/// Punctuation that ASCII-based pages lack, replaced by its plain equivalent (meaning unchanged).
fn plain_punctuation(c: char) -> char {
    match c {
        '—' | '–' | '‒' | '−' => '-',
        '·' | '•' => '-',
        '“' | '”' | '„' => '"',
        '‘' | '’' | '‚' => '\'',
        '…' => '.',
        '\u{a0}' => ' ',
        c => c,
    }
}

/// Encodes a line for TCVN-3, switching pages only where a character needs the other one.
/// `None` when a character has no place on either page.
pub fn encode_tcvn3(text: &str, capitals: Tcvn3Capitals) -> Option<Vec<Tcvn3Run>> {
    let mut runs: Vec<Tcvn3Run> = Vec::new();
    for c in text.nfc().map(plain_punctuation) {
        let (byte, need) = tcvn3_char(c, capitals)?;
        match (runs.last_mut(), need) {
            (Some(run), None) => run.bytes.push(byte),
            (Some(run), Some(page)) if run.page == page => run.bytes.push(byte),
            (_, need) => runs.push(Tcvn3Run { page: need.unwrap_or(Tcvn3Page::Lower), bytes: vec![byte] }),
        }
    }
    Some(runs)
}

/// Decodes TCVN-3 bytes printed on `page` as an Epson printer prints them: U+FFFD where it prints nothing.
pub fn decode_tcvn3(bytes: &[u8], page: Tcvn3Page) -> String {
    let table = if page == Tcvn3Page::Upper { &EPSON_TCVN3_31 } else { &EPSON_TCVN3_30 };
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                let c = b as char;
                return if page == Tcvn3Page::Upper { c.to_ascii_uppercase() } else { c };
            }
            let row = table[usize::from(b - 0x80) / 16];
            match row.chars().nth(usize::from(b % 16)) {
                Some(' ') | None => '\u{FFFD}',
                Some(c) => c,
            }
        })
        .collect()
}

/// Windows-1258 above 0x7F (0x80-0xBF as Latin-1 where the code page has the same characters).
const CP1258_HIGH: &[(char, u8)] = &[
    ('À', 0xC0),
    ('Á', 0xC1),
    ('Â', 0xC2),
    ('Ă', 0xC3),
    ('Ä', 0xC4),
    ('Å', 0xC5),
    ('Æ', 0xC6),
    ('Ç', 0xC7),
    ('È', 0xC8),
    ('É', 0xC9),
    ('Ê', 0xCA),
    ('Ë', 0xCB),
    ('\u{300}', 0xCC),
    ('Í', 0xCD),
    ('Î', 0xCE),
    ('Ï', 0xCF),
    ('Đ', 0xD0),
    ('Ñ', 0xD1),
    ('\u{309}', 0xD2),
    ('Ó', 0xD3),
    ('Ô', 0xD4),
    ('Ơ', 0xD5),
    ('Ö', 0xD6),
    ('×', 0xD7),
    ('Ø', 0xD8),
    ('Ù', 0xD9),
    ('Ú', 0xDA),
    ('Û', 0xDB),
    ('Ü', 0xDC),
    ('Ư', 0xDD),
    ('\u{303}', 0xDE),
    ('ß', 0xDF),
    ('à', 0xE0),
    ('á', 0xE1),
    ('â', 0xE2),
    ('ă', 0xE3),
    ('ä', 0xE4),
    ('å', 0xE5),
    ('æ', 0xE6),
    ('ç', 0xE7),
    ('è', 0xE8),
    ('é', 0xE9),
    ('ê', 0xEA),
    ('ë', 0xEB),
    ('\u{301}', 0xEC),
    ('í', 0xED),
    ('î', 0xEE),
    ('ï', 0xEF),
    ('đ', 0xF0),
    ('ñ', 0xF1),
    ('\u{323}', 0xF2),
    ('ó', 0xF3),
    ('ô', 0xF4),
    ('ơ', 0xF5),
    ('ö', 0xF6),
    ('÷', 0xF7),
    ('ø', 0xF8),
    ('ù', 0xF9),
    ('ú', 0xFA),
    ('û', 0xFB),
    ('ü', 0xFC),
    ('ư', 0xFD),
    ('₫', 0xFE),
    ('ÿ', 0xFF),
    ('€', 0x80),
    ('‚', 0x82),
    ('„', 0x84),
    ('…', 0x85),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('°', 0xB0),
    ('·', 0xB7),
];

const TONES: &[char] = &['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

fn cp1258_byte(c: char) -> Option<u8> {
    if c.is_ascii() && !c.is_ascii_control() {
        return Some(c as u8);
    }
    CP1258_HIGH.iter().find(|(k, _)| *k == c).map(|(_, b)| *b)
}

/// Encodes a line for Windows-1258: a precomposed letter where the code page has it, otherwise the
/// letter without its tone followed by the combining tone mark. `None` when a character cannot be shown.
pub fn encode_cp1258(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.nfc() {
        if let Some(b) = cp1258_byte(c) {
            out.push(b);
            continue;
        }
        // Split off the tone: "ấ" → "â" + U+0301.
        let decomposed: Vec<char> = c.nfd().collect();
        let tone: Vec<char> = decomposed.iter().copied().filter(|m| TONES.contains(m)).collect();
        let base: String =
            decomposed.iter().copied().filter(|m| !TONES.contains(m)).collect::<String>().nfc().collect();
        let mut base_chars = base.chars();
        let (Some(b), None, [t]) = (base_chars.next(), base_chars.next(), tone.as_slice()) else { return None };
        out.push(cp1258_byte(b)?);
        out.push(cp1258_byte(*t)?);
    }
    Some(out)
}

/// Decodes Windows-1258 bytes and composes the result, as a reader sees it.
pub fn decode_cp1258(bytes: &[u8]) -> String {
    let raw: String = bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                CP1258_HIGH.iter().find(|(_, v)| *v == b).map(|(k, _)| *k).unwrap_or('\u{FFFD}')
            }
        })
        .collect();
    raw.nfc().collect()
}

/// Marks removed, case kept: "Đăng ký" → "Dang ky". `None` when something is left that is not ASCII.
pub fn encode_ascii(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars().map(plain_punctuation) {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let folded = fold(&c.to_string());
        let mut f = folded.chars();
        let (Some(base), None) = (f.next(), f.next()) else { return None };
        // `fold` turns y into i for search; a printed y stays y.
        let base = if matches!(c.nfd().next(), Some('y' | 'Y')) { 'y' } else { base };
        if !base.is_ascii_alphabetic() {
            return None;
        }
        out.push(if c.is_uppercase() { base.to_ascii_uppercase() } else { base } as u8);
    }
    Some(out)
}

/// The 134 precomposed Vietnamese letters (67 lower case and their capitals): a, ă, â, e, ê, i, o, ô, ơ,
/// u, ư, y with each of the five tones, and ă â đ ê ô ơ ư themselves.
pub fn vietnamese_letters() -> Vec<char> {
    let mut lower: Vec<char> = Vec::new();
    for base in ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] {
        for tone in TONES {
            let s: String = [base, *tone].iter().collect::<String>().nfc().collect();
            lower.extend(s.chars());
        }
    }
    lower.extend(['ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư']);
    let upper: Vec<char> = lower.iter().filter_map(|c| c.to_uppercase().next()).collect();
    lower.into_iter().chain(upper).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_134_letters() {
        let letters = vietnamese_letters();
        assert_eq!(letters.len(), 134);
        let mut unique = letters.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 134);
    }

    #[test]
    fn tcvn3_bytes_and_page_switches() {
        let caps = Tcvn3Capitals::CapitalsPage;
        let runs = encode_tcvn3("Đăng ký", caps).expect("encodable");
        assert_eq!(
            runs,
            [
                Tcvn3Run { page: Tcvn3Page::Upper, bytes: vec![0xA7] },
                Tcvn3Run { page: Tcvn3Page::Lower, bytes: vec![0xA8, b'n', b'g', b' ', b'k', 0xFD] },
            ]
        );
        let lower_page = encode_tcvn3("Đăng ký", Tcvn3Capitals::LowerPage).expect("encodable");
        assert_eq!(
            lower_page,
            [Tcvn3Run { page: Tcvn3Page::Lower, bytes: vec![0xA7, 0xA8, b'n', b'g', b' ', b'k', 0xFD] }]
        );
        let runs = encode_tcvn3("SỐ THỨ TỰ", caps).expect("encodable");
        assert_eq!(
            runs,
            [
                Tcvn3Run { page: Tcvn3Page::Lower, bytes: vec![b'S'] },
                Tcvn3Run { page: Tcvn3Page::Upper, bytes: vec![0xE8, b' ', b'T', b'H', 0xF8, b' ', b'T', 0xF9] },
            ]
        );
        assert_eq!(encode_tcvn3("Ð", caps), None, "U+00D0 (Icelandic eth) is not Đ and has no place");
        let dash = encode_tcvn3("a — b · c", caps).expect("punctuation has plain equivalents");
        assert_eq!(dash[0].bytes, b"a - b - c");
    }

    #[test]
    fn unmarked_capitals_print_from_the_capitals_page_on_an_epson() {
        let header = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG ĐẮK LẮK: Ă Â Đ Ê Ô Ơ Ư";
        let printed = |capitals| -> String {
            let runs = encode_tcvn3(header, capitals).expect("encodable");
            runs.iter().map(|r| decode_tcvn3(&r.bytes, r.page)).collect()
        };
        assert_eq!(printed(Tcvn3Capitals::CapitalsPage), header);
        // The lower-case page's A1–A7 print nothing on an Epson: the form a profile must choose on purpose.
        let lost = printed(Tcvn3Capitals::LowerPage);
        assert_eq!(lost.matches('\u{FFFD}').count(), 3 + 7, "Â, Ô, Đ and the seven: {lost}");
    }

    #[test]
    fn cp1258_decomposes_tones_only() {
        assert_eq!(encode_cp1258("ấ"), Some(vec![0xE2, 0xEC]));
        assert_eq!(encode_cp1258("Đà"), Some(vec![0xD0, 0xE0]));
        assert_eq!(encode_cp1258("ỹ"), Some(vec![b'y', 0xDE]));
        assert_eq!(encode_cp1258("漢"), None);
    }

    #[test]
    fn every_letter_round_trips() {
        for c in vietnamese_letters() {
            let s = c.to_string();
            let runs = encode_tcvn3(&s, Tcvn3Capitals::CapitalsPage).unwrap_or_else(|| panic!("{c} in TCVN-3"));
            let back: String = runs.iter().map(|r| decode_tcvn3(&r.bytes, r.page)).collect();
            assert_eq!(back, s, "TCVN-3 {c}");
            let bytes = encode_cp1258(&s).unwrap_or_else(|| panic!("{c} in CP1258"));
            assert_eq!(decode_cp1258(&bytes), s, "CP1258 {c}");
        }
    }

    #[test]
    fn ascii_fold_keeps_case_and_y() {
        assert_eq!(encode_ascii("Đăng ký khai sinh ỦY BAN"), Some(b"Dang ky khai sinh UY BAN".to_vec()));
        assert_eq!(encode_ascii("漢"), None);
    }
}
