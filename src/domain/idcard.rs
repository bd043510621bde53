//! The QR code printed on the chip ID card (CCCD): seven fields separated by `|`, in this order: ID number
//! (12 digits), old ID number (9 digits or empty), full name, date of birth (ddMMyyyy), sex, permanent
//! address, issue date (ddMMyyyy).
//!
//! Only the ID number and the date of birth are relied on. A scanner's line limit can cut the end of the
//! line, and a keyboard-wedge scanner often cannot type Vietnamese letters, so the name is kept only when
//! it looks intact and the address is never kept. Anything else (a ticket's QR, a label, other separators)
//! is not a card. Nothing here panics, whatever the text.

use time::{Date, Month};

/// What the kiosk takes from a card, and what goes to the counter.
#[derive(Clone, PartialEq, Eq)]
pub struct IdCard {
    /// The 12-digit personal ID number.
    pub number: String,
    pub birth: Date,
    /// The full name, when the scanner delivered it intact.
    pub name: Option<String>,
}

/// The card's contents stay out of logs: `{:?}` shows only that a card was read.
impl std::fmt::Debug for IdCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdCard(…)")
    }
}

/// Why a scanned text is not read as a card. The reasons never quote the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotACard {
    #[error("not the seven `|`-separated fields of an ID card")]
    Shape,
    #[error("the ID number is not 12 digits")]
    Number,
    #[error("the old ID number is not 9 digits")]
    OldNumber,
    #[error("the date of birth is not a date (ddMMyyyy)")]
    Birth,
    #[error("the issue date is not a date (ddMMyyyy)")]
    Issued,
}

/// Longest text read as a card: the seven fields with a long address fit well within it.
pub const MAX_CARD: usize = 600;
/// Longest name kept.
const MAX_NAME: usize = 80;

/// Reads a scanned text as a card's QR.
///
/// A line cut short by the scanner (fewer than seven fields, the first four whole) is still a card: the ID
/// number and date of birth come first. Six or fewer fields where the fourth is not a date are not.
pub fn read(text: &str) -> Result<IdCard, NotACard> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_CARD || text.chars().any(char::is_control) {
        return Err(NotACard::Shape);
    }
    let fields: Vec<&str> = text.split('|').collect();
    if !(4..=7).contains(&fields.len()) {
        return Err(NotACard::Shape);
    }
    let number = fields[0].trim();
    if !chip_number(number) {
        return Err(NotACard::Number);
    }
    let old = fields[1].trim();
    if !old.is_empty() && (old.len() != 9 || !old.bytes().all(|b| b.is_ascii_digit())) {
        return Err(NotACard::OldNumber);
    }
    let birth = date(fields[3]).ok_or(NotACard::Birth)?;
    let whole = fields.len() == 7;
    if whole && date(fields[6]).is_none() {
        return Err(NotACard::Issued);
    }
    // Vietnamese letters survived the scanner where the sex reads "Nữ" or the address has a mark: then a
    // name of letters only was typed as it is printed.
    let sex = fields.get(4).map_or("", |s| s.trim());
    let address = fields.get(5).copied().unwrap_or("");
    let marks_survive = sex == "Nữ" || !address.is_ascii() || !fields[2].is_ascii();
    let name = fields[2].split_whitespace().collect::<Vec<_>>().join(" ");
    let name_intact = marks_survive && plausible_name(&name);
    Ok(IdCard { number: number.to_string(), birth, name: name_intact.then_some(name) })
}

/// A chip card's ID number: 12 digits.
pub fn chip_number(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A name as a card prints it: letters and spaces, not empty, at most `MAX_NAME` characters.
pub fn plausible_name(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= MAX_NAME && name.chars().all(|c| c == ' ' || c.is_alphabetic())
}

/// A date as the database and the API keep it: "1950-01-01".
pub fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

/// "01011950" → 1 January 1950.
fn date(text: &str) -> Option<Date> {
    let t = text.trim();
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u8 = t[0..2].parse().ok()?;
    let month: u8 = t[2..4].parse().ok()?;
    let year: i32 = t[4..8].parse().ok()?;
    if year < 1900 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Whole years of age on `today` (0 for a birth date in the future).
pub fn age_on(birth: Date, today: Date) -> u32 {
    let mut years = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A date of birth as the counter's form shows it: "01/01/1950".
pub fn birth_text(birth: Date) -> String {
    format!("{:02}/{:02}/{:04}", birth.day(), birth.month() as u8, birth.year())
}

/// "01/01/1950" or "1950-01-01" back to a date (the counter may correct it).
pub fn parse_birth(text: &str) -> Option<Date> {
    let t = text.trim();
    if let [d, m, y] = t.split('/').collect::<Vec<_>>().as_slice() {
        return date(&format!("{d:0>2}{m:0>2}{y}"));
    }
    if let [y, m, d] = t.split('-').collect::<Vec<_>>().as_slice() {
        return date(&format!("{d:0>2}{m:0>2}{y}"));
    }
    None
}

/// An ID number as the counter may type it: 12 digits (a chip card) or 9 (the old card).
pub fn valid_number(text: &str) -> bool {
    chip_number(text) || (text.len() == 9 && text.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// The made-up card of docs/id-card.md.
    const CARD: &str = "001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa, tỉnh Đắk Lắk|15042021";

    #[test]
    fn a_whole_card_gives_its_number_birth_and_name() {
        let card = read(CARD).unwrap();
        assert_eq!(card.number, "001090123456");
        assert_eq!(card.birth, date!(1950 - 01 - 01));
        assert_eq!(card.name.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(format!("{card:?}"), "IdCard(…)", "nothing of the card in a log");
    }

    #[test]
    fn an_old_number_is_nine_digits_or_nothing() {
        assert!(read("001090123456|123456789|Lê Thị Bình|29021952|Nữ|Hà Nội|01012022").is_ok());
        assert_eq!(read("001090123456|12345|Lê Thị Bình|29021952|Nữ|Hà Nội|01012022"), Err(NotACard::OldNumber));
    }

    #[test]
    fn a_name_typed_without_its_marks_is_not_kept() {
        // A keyboard-wedge scanner that drops Vietnamese letters: "Nguyn Vn An", "Nam", "X Minh Ha…".
        let card = read("001090123456||Nguyn Vn An|01011950|Nam|X Minh Ha, tnh k Lk|15042021").unwrap();
        assert_eq!(card.number, "001090123456");
        assert_eq!(card.birth, date!(1950 - 01 - 01));
        assert_eq!(card.name, None);
        // Or types a replacement for each.
        let card = read("001090123456||Nguy?n V?n An|01011950|N?|X? Minh H?a|15042021").unwrap();
        assert_eq!(card.name, None);
        // A woman's card whose "Nữ" survived vouches for an ASCII name.
        let card = read("001090123456||Lo Thi May|01011950|Nữ|Ban Lai|15042021").unwrap();
        assert_eq!(card.name.as_deref(), Some("Lo Thi May"));
    }

    #[test]
    fn a_line_cut_by_the_scanner_keeps_number_and_birth() {
        let cut = &CARD[..CARD.find("|Nam").unwrap()];
        let card = read(cut).unwrap();
        assert_eq!((card.number.as_str(), card.birth), ("001090123456", date!(1950 - 01 - 01)));
        let cut = "001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họ";
        assert_eq!(read(cut).unwrap().name.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(read("001090123456||Nguyễn Văn An|0101"), Err(NotACard::Birth));
    }

    #[test]
    fn other_codes_are_not_cards_and_nothing_panics() {
        for text in [
            "",
            "http://10.0.0.5:8080/t/0123456789abcdef0123456789abcdef",
            "H57.132-260804-0583",
            "001090123456",
            "001090123456;;Nguyễn Văn An;01011950;Nam;Hà Nội;15042021",
            "ID:001090123456|Name:Nguyễn Văn An|DOB:01011950",
            "00109012345X||A|01011950|Nam|B|15042021",
            "001090123456||A|31021950|Nam|B|15042021",
            "001090123456||A|01011950|Nam|B|99999999",
            "001090123456||A|01011950|Nam|B|15042021|extra",
            "001090123456||A|01011950|Nam|B\u{0}|15042021",
            "||||||",
            "|||",
            "ữ|ữ|ữ|ữ|ữ|ữ|ữ",
            "0010901234561||A|01011950|Nam|B|15042021",
        ] {
            assert!(read(text).is_err(), "{text:?} read as a card");
        }
        assert_eq!(read(&"1".repeat(MAX_CARD + 1)), Err(NotACard::Shape));
        // Arbitrary bytes as text, cut anywhere on a character boundary.
        for cut in 0..CARD.len() {
            if CARD.is_char_boundary(cut) {
                let _ = read(&CARD[..cut]);
                let _ = read(&CARD[cut..]);
            }
        }
    }

    #[test]
    fn age_counts_whole_years_to_the_birthday() {
        let birth = date!(1966 - 12 - 05);
        assert_eq!(age_on(birth, date!(2026 - 12 - 04)), 59);
        assert_eq!(age_on(birth, date!(2026 - 12 - 05)), 60);
        assert_eq!(age_on(date!(2030 - 01 - 01), date!(2026 - 12 - 04)), 0);
        assert_eq!(age_on(date!(1952 - 02 - 29), date!(2026 - 02 - 28)), 73);
        assert_eq!(age_on(date!(1952 - 02 - 29), date!(2026 - 03 - 01)), 74);
    }

    #[test]
    fn the_counter_reads_a_birth_date_both_ways() {
        assert_eq!(parse_birth("01/01/1950"), Some(date!(1950 - 01 - 01)));
        assert_eq!(parse_birth("1/2/1950"), Some(date!(1950 - 02 - 01)));
        assert_eq!(parse_birth("1950-02-01"), Some(date!(1950 - 02 - 01)));
        assert_eq!(parse_birth("31/02/1950"), None);
        assert_eq!(parse_birth("hôm qua"), None);
        assert_eq!(birth_text(date!(1950 - 02 - 01)), "01/02/1950");
        assert!(valid_number("001090123456") && valid_number("123456789") && !valid_number("12345678901"));
    }
}
