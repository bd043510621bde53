//! Text messages to citizens who asked for them: phone numbers as typed, the two messages and their
//! wording, how they are encoded (GSM 7-bit without marks by default, UCS-2 with marks as an option) and
//! the caps that keep a stranger's number from being flooded.

use unicode_normalization::char::decompose_canonical;

/// A Vietnamese mobile number as typed ("0912 345 678", "+84 912 345 678", "84912345678") in its
/// national form "0912345678"; None for anything else (landlines and short codes take no SMS here).
pub fn phone(text: &str) -> Option<String> {
    let kept: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let digits = kept.strip_prefix('+').unwrap_or(&kept);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let national = match digits.strip_prefix("84") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits.to_string(),
    };
    let b = national.as_bytes();
    (b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9')).then_some(national)
}

/// "0912 345 678" as the kiosk shows it back: the last three digits only ("••• ••• 678").
pub fn masked(phone: &str) -> String {
    let tail: String = phone.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
    format!("••• ••• {tail}")
}

/// How a message travels: GSM 7-bit holds 160 characters but no Vietnamese marks; UCS-2 keeps the marks
/// in 70.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm,
    Ucs2,
}

impl Encoding {
    pub fn limit(self) -> usize {
        match self {
            Encoding::Gsm => 160,
            Encoding::Ucs2 => 70,
        }
    }
}

/// Characters sent in GSM 7-bit text mode: those whose code is the same in the GSM default alphabet and
/// ASCII, so that no modem's character set conversion can change them.
fn gsm_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || " .,:;!?()'\"/+-%&*=<>#".contains(c)
}

/// Vietnamese without marks, for GSM 7-bit: "Đã có kết quả" → "Da co ket qua". Anything still outside the
/// safe characters becomes a space.
pub fn unmarked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            c if c.is_ascii() => out.push(if gsm_safe(c) { c } else { ' ' }),
            c => decompose_canonical(c, |d| {
                if d.is_ascii() {
                    out.push(if gsm_safe(d) { d } else { ' ' });
                }
            }),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A message ready for the modem: its text in the encoding, cut to one SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub encoding: Encoding,
}

impl Message {
    /// Builds one message from Vietnamese text, without marks for GSM, cut at a word to the limit.
    pub fn new(vietnamese: &str, encoding: Encoding) -> Message {
        let text = match encoding {
            Encoding::Gsm => unmarked(vietnamese),
            Encoding::Ucs2 => vietnamese.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        let limit = encoding.limit();
        let units = |t: &str| match encoding {
            Encoding::Gsm => t.chars().count(),
            Encoding::Ucs2 => t.encode_utf16().count(),
        };
        let mut text = text;
        while units(&text) > limit {
            match text.rfind(' ') {
                Some(i) => text.truncate(i),
                None => text = text.chars().take(limit).collect(),
            }
        }
        Message { text, encoding }
    }

    /// What `AT+CMGS` is given: the text itself, or in UCS-2 its UTF-16 code units in hex.
    pub fn payload(&self) -> String {
        match self.encoding {
            Encoding::Gsm => self.text.clone(),
            Encoding::Ucs2 => hex16(&self.text),
        }
    }
}

/// UTF-16 code units as upper-case hex, as a modem in `AT+CSCS="UCS2"` takes text and numbers.
pub fn hex16(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// "Your turn is near": the ticket's number, how many are ahead, where to go.
pub fn near_text(sender: &str, number: &str, ahead: u32) -> String {
    let ahead = match ahead {
        0 => "bạn là người tiếp theo".to_string(),
        n => format!("còn {n} người trước bạn"),
    };
    format!("{sender}: Số {number} sắp đến lượt ({ahead}). Vui lòng quay lại khu vực chờ và theo dõi màn hình gọi số.")
}

/// "Your dossier's result is ready" ("Đã có kết quả").
pub fn ready_text(sender: &str, code: &str) -> String {
    format!("{sender}: Hồ sơ {code} đã có kết quả. Mời ông/bà mang giấy tiếp nhận đến nhận kết quả trong giờ làm việc.")
}

/// Why a message is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Capped {
    #[error("this number has had {0} messages today")]
    Number(u32),
    #[error("the hall has sent {0} messages today")]
    Day(u32),
}

/// Caps of one day: per number, and for the whole hall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub per_number: u32,
    pub per_day: u32,
}

impl Caps {
    /// Whether one more message may go, given what was already sent (or is queued) today.
    pub fn allow(&self, to_number: u32, in_day: u32) -> Result<(), Capped> {
        if to_number >= self.per_number {
            return Err(Capped::Number(self.per_number));
        }
        if in_day >= self.per_day {
            return Err(Capped::Day(self.per_day));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_read_as_typed_and_others_refused() {
        for typed in ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "091.234.5678", "0345678901"] {
            assert_eq!(
                phone(typed).as_deref(),
                Some(if typed.contains("345678901") { "0345678901" } else { "0912345678" })
            );
        }
        for bad in ["", "12345", "02838123456", "0212345678", "091234567", "09123456789", "0912abc678", "+", "113"] {
            assert_eq!(phone(bad), None, "{bad}");
        }
        assert_eq!(masked("0912345678"), "••• ••• 678");
    }

    #[test]
    fn without_marks_vietnamese_stays_readable_in_gsm() {
        assert_eq!(unmarked("Đã có kết quả"), "Da co ket qua");
        assert_eq!(unmarked("Ủy ban nhân dân xã Đắk Lắk"), "Uy ban nhan dan xa Dak Lak");
        assert_eq!(unmarked("Số A025 — «ưu tiên»"), "So A025 uu tien");
        assert!(unmarked("ỞỠỢỚỜ ặẳẵ ữựứừử").chars().all(gsm_safe));
    }

    #[test]
    fn both_messages_fit_one_sms_in_gsm_and_are_cut_at_a_word_in_ucs2() {
        let near = Message::new(&near_text("UBND xa Minh Hoa", "A025", 3), Encoding::Gsm);
        assert_eq!(
            near.text,
            "UBND xa Minh Hoa: So A025 sap den luot (con 3 nguoi truoc ban). Vui long quay lai khu vuc cho va theo doi man hinh goi so."
        );
        assert!(near.text.len() <= 160);
        let ready = Message::new(&ready_text("UBND xa Minh Hoa", "000.00.19.H47-260105-0001"), Encoding::Gsm);
        assert!(
            ready.text.starts_with("UBND xa Minh Hoa: Ho so 000.00.19.H47-260105-0001 da co ket qua."),
            "{}",
            ready.text
        );
        assert!(ready.text.chars().count() <= 160, "{}", ready.text.len());
        let ucs = Message::new(&near_text("UBND xã Minh Họa", "A025", 0), Encoding::Ucs2);
        assert!(
            ucs.text.encode_utf16().count() <= 70 && ucs.text.starts_with("UBND xã Minh Họa: Số A025 sắp đến lượt")
        );
        assert!(!ucs.text.ends_with(' '));
        assert_eq!(Message::new("Số", Encoding::Ucs2).payload(), "00531ED1");
    }

    #[test]
    fn caps_stop_a_number_and_the_day() {
        let caps = Caps { per_number: 3, per_day: 100 };
        assert_eq!(caps.allow(2, 50), Ok(()));
        assert_eq!(caps.allow(3, 50), Err(Capped::Number(3)));
        assert_eq!(caps.allow(0, 100), Err(Capped::Day(100)));
    }
}
