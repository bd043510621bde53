//! Dossiers (hồ sơ) as citizens follow them: the national code `<agency code>-<yyMMdd>-<NNNN>`, the
//! national status codes 1-10, the overdue flag, and the applicant's name as public pages may show it.

use std::fmt;
use time::{Date, Month, PrimitiveDateTime};

/// A dossier code, e.g. `H57.132-260804-0583` or `000.00.19.H47-260105-0001`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DossierCode {
    /// The receiving agency's electronic code (letters, digits and dots), upper case.
    pub agency: String,
    pub received: Date,
    pub seq: u32,
}

impl DossierCode {
    /// Reads a code as typed or scanned (any case, spaces around it); None when it is not one. The date
    /// part must be a real date and the sequence 1 to 6 digits.
    pub fn parse(text: &str) -> Option<DossierCode> {
        let text = text.trim().to_uppercase();
        let mut parts = text.rsplitn(3, '-');
        let (seq, date, agency) = (parts.next()?, parts.next()?, parts.next()?);
        let agency_ok = !agency.is_empty()
            && agency.len() <= 40
            && agency.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && !agency.starts_with('.')
            && !agency.ends_with('.');
        if !agency_ok || date.len() != 6 || !(1..=6).contains(&seq.len()) {
            return None;
        }
        if !date.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = |range: std::ops::Range<usize>| date[range].parse::<u8>().ok();
        let month = Month::try_from(n(2..4)?).ok()?;
        let received = Date::from_calendar_date(2000 + i32::from(n(0..2)?), month, n(4..6)?).ok()?;
        Some(DossierCode { agency: agency.to_string(), received, seq: seq.parse().ok()? })
    }

    /// The key attempts at a code are counted under: the code as printed, however it was typed ("h99-260804-1"
    /// and "H99-260804-0001" are one dossier), or the text itself when it is no code.
    pub fn attempt_key(text: &str) -> String {
        DossierCode::parse(text).map_or_else(|| text.trim().to_uppercase(), |c| c.to_string())
    }

    /// The code of the `seq`-th dossier received by `agency` on `received`.
    pub fn new(agency: &str, received: Date, seq: u32) -> DossierCode {
        DossierCode { agency: agency.trim().to_uppercase(), received, seq }
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.received;
        write!(f, "{}-{:02}{:02}{:02}-{:04}", self.agency, d.year() % 100, u8::from(d.month()), d.day(), self.seq)
    }
}

/// The national status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Registered = 1,
    Accepted = 2,
    Refused = 3,
    Processing = 4,
    Supplement = 5,
    Payment = 6,
    Withdrawn = 7,
    Stopped = 8,
    Done = 9,
    Returned = 10,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Registered,
        Status::Accepted,
        Status::Refused,
        Status::Processing,
        Status::Supplement,
        Status::Payment,
        Status::Withdrawn,
        Status::Stopped,
        Status::Done,
        Status::Returned,
    ];

    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.into_iter().find(|s| *s as u8 == code)
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn vi(self) -> &'static str {
        match self {
            Status::Registered => "Mới đăng ký",
            Status::Accepted => "Được tiếp nhận",
            Status::Refused => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::Supplement => "Yêu cầu bổ sung giấy tờ",
            Status::Payment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::Done => "Đã xử lý xong",
            Status::Returned => "Đã trả kết quả",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Accepted => "accepted",
            Status::Refused => "not accepted",
            Status::Processing => "being processed",
            Status::Supplement => "more documents needed",
            Status::Payment => "fees or taxes to pay",
            Status::Withdrawn => "withdrawn by the applicant",
            Status::Stopped => "processing stopped",
            Status::Done => "result ready",
            Status::Returned => "result handed over",
        }
    }

    /// The agency is working on it, so its deadline runs. While it waits for the applicant (documents to add,
    /// fees to pay) or once it has ended, it cannot be late.
    pub fn deadline_runs(self) -> bool {
        matches!(self, Status::Registered | Status::Accepted | Status::Processing)
    }
}

/// Overdue ("Quá hạn"): past its appointment while the agency still holds it.
pub fn overdue(status: Status, appointment: Option<PrimitiveDateTime>, now: PrimitiveDateTime) -> bool {
    status.deadline_runs() && appointment.is_some_and(|due| now > due)
}

/// A name as public pages show it: the family name whole, then each other word's first letter and "***"
/// ("Nguyễn Văn Hải" → "Nguyễn V*** H***"). A one-word name keeps its first letter only.
pub fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let initial = |w: &str| w.chars().next().map(|c| format!("{}***", c.to_uppercase())).unwrap_or_default();
    match words.as_slice() {
        [] => String::new(),
        [only] => initial(only),
        [family, rest @ ..] => {
            std::iter::once(family.to_string()).chain(rest.iter().map(|w| initial(w))).collect::<Vec<_>>().join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn codes_of_both_shapes_read_and_print_back() {
        for text in ["H57.132-260804-0583", "000.00.19.H47-260105-0001"] {
            let code = DossierCode::parse(&text.to_lowercase()).unwrap();
            assert_eq!(code.to_string(), text);
        }
        let c = DossierCode::parse(" h57.132-260804-0583 ").unwrap();
        assert_eq!((c.agency.as_str(), c.received, c.seq), ("H57.132", date!(2026 - 08 - 04), 583));
        assert_eq!(DossierCode::new("h57.132", date!(2026 - 01 - 05), 7).to_string(), "H57.132-260105-0007");
        assert_eq!(DossierCode::attempt_key("h57.132-260105-7"), DossierCode::attempt_key("H57.132-260105-000007"));
        assert_eq!(DossierCode::attempt_key(" nope "), "NOPE");
        for bad in [
            "",
            "A025",
            "H57.132-2608-0583",
            "H57.132-260804-",
            "-260804-0583",
            "H57 132-260804-0583",
            "H57.132-261304-0583", // month 13
            "H57.132-260230-0583", // 30 February
            "H57.132-260804-1234567",
            ".H57-260804-0001",
        ] {
            assert_eq!(DossierCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn statuses_have_their_national_codes_and_names() {
        assert_eq!(Status::from_code(5), Some(Status::Supplement));
        assert_eq!(Status::Supplement.vi(), "Yêu cầu bổ sung giấy tờ");
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
        assert!(Status::ALL.iter().enumerate().all(|(i, s)| s.code() as usize == i + 1));
    }

    #[test]
    fn overdue_only_while_the_agency_holds_it() {
        let due = Some(datetime!(2026-03-10 10:00));
        let later = datetime!(2026-03-10 10:01);
        assert!(overdue(Status::Processing, due, later));
        assert!(!overdue(Status::Processing, due, datetime!(2026-03-10 10:00)));
        assert!(!overdue(Status::Supplement, due, later), "waiting for the applicant");
        assert!(!overdue(Status::Returned, due, later));
        assert!(!overdue(Status::Processing, None, later));
    }

    #[test]
    fn names_are_masked_for_public_pages() {
        assert_eq!(mask_name("Nguyễn Văn Hải"), "Nguyễn V*** H***");
        assert_eq!(mask_name("  Đặng   thị  Ánh  Tuyết "), "Đặng T*** Á*** T***");
        assert_eq!(mask_name("Hải"), "H***");
        assert_eq!(mask_name(""), "");
    }
}
