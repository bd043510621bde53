//! What "Nghe" reads on each screen: the screen's instruction, then what it shows (a procedure's name,
//! documents, time limit, fee and where to submit; a ticket's number and wait; a lookup's answer), in the
//! language the citizen chose. The words come from the adapters, so what is read is what is shown.

use super::Shared;
use crate::{AppWindow, CatalogAdapter, KioskAdapter, LookupAdapter, RatingAdapter, TicketAdapter};
use slint::{ComponentHandle, Model};

/// How many procedures of a list are read before "and more".
const LIST_READ: usize = 5;

/// The text read aloud for the screen now showing.
pub fn script(window: &AppWindow, shared: &Shared) -> String {
    let t = |vi: &str, en: &str| shared.pick(vi, en);
    let mut parts: Vec<String> = Vec::new();
    match window.global::<KioskAdapter>().get_screen().as_str() {
        "catalog" => {
            let c = window.global::<CatalogAdapter>();
            if c.get_has_detail() {
                let detail = c.get_detail();
                parts.push(detail.name.to_string());
                for section in detail.sections.iter() {
                    let heading = c.invoke_heading(section.clone());
                    parts.push(format!("{heading}. {}", section.text));
                }
            } else {
                parts.push(t(
                    "Gõ tên thủ tục trên bàn phím, có dấu hoặc không dấu, hoặc chọn một lĩnh vực. Chạm vào một thủ tục để xem giấy tờ cần mang, thời hạn, lệ phí và nơi nộp.",
                    "Type a procedure's name on the keyboard, or choose a field. Touch a procedure to see the documents to bring, the time limit, the fee and where to submit.",
                ));
                parts.push(c.get_list_title().to_string());
                let rows = c.get_procedures();
                parts.extend(rows.iter().take(LIST_READ).map(|r| r.name.to_string()));
                if rows.row_count() > LIST_READ {
                    parts.push(t("và các thủ tục khác.", "and more."));
                }
            }
        }
        "ticket" => {
            let a = window.global::<TicketAdapter>();
            match a.get_step().as_str() {
                "choose" => {
                    parts.push(t("Chọn lĩnh vực bạn cần làm thủ tục.", "Choose what your business is about."));
                    parts.extend(a.get_services().iter().map(|s| {
                        let waiting = t(&format!("{} người đang chờ", s.waiting), &format!("{} waiting", s.waiting));
                        format!("{}: {waiting}", s.name)
                    }));
                }
                "priority" => {
                    parts.push(t("Bạn có thuộc đối tượng ưu tiên không?", "Are you entitled to priority?"));
                    if a.get_card_offered() && !a.get_card_read() {
                        parts.push(t(
                            "Nếu có thẻ căn cước gắn chip, bạn có thể quét mã QR trên thẻ. Không bắt buộc.",
                            "If you have a chip ID card, you may scan its QR code. This is optional.",
                        ));
                    }
                    if !a.get_card_note().is_empty() {
                        parts.push(a.get_card_note().to_string());
                    }
                    parts.extend(a.get_priorities().iter().map(|p| p.name.to_string()));
                    parts.push(t("Hoặc: không, lấy số thường.", "Or: no, a regular number."));
                }
                "printing" => parts.push(t("Đang in phiếu, vui lòng chờ.", "Printing your ticket, please wait.")),
                "sms" => parts.push(t(
                    "Nhập số điện thoại di động để nhận tin nhắn khi sắp đến lượt, rồi chạm Đăng ký.",
                    "Type your mobile number to get a text when your turn is near, then tap Sign up.",
                )),
                "done" | "on-screen" => {
                    parts.push(a.get_service_name().to_string());
                    parts.push(t(
                        &format!("Số thứ tự của bạn là {}.", a.get_number()),
                        &format!("Your number is {}.", a.get_number()),
                    ));
                    parts.push(t(
                        &format!("Có {} người trước bạn. Thời gian chờ {}.", a.get_ahead(), a.get_wait()),
                        &format!("{} people ahead of you. Waiting time {}.", a.get_ahead(), a.get_wait()),
                    ));
                }
                _ => {}
            }
            parts.push(a.get_message().to_string());
            parts.push(a.get_advice().to_string());
        }
        "lookup" => {
            let a = window.global::<LookupAdapter>();
            parts.push(t(
                "Nhập mã hồ sơ trên giấy hẹn, hoặc đưa mã QR trên phiếu vào máy quét.",
                "Type the dossier code from your appointment slip, or hold the QR code on your ticket to the scanner.",
            ));
            parts.push(a.get_title().to_string());
            parts.extend(a.get_lines().iter().map(|l| l.to_string()));
            parts.push(a.get_message().to_string());
        }
        "rating" => {
            let a = window.global::<RatingAdapter>();
            match a.get_step().as_str() {
                "faces" => parts.push(t(
                    &format!("Số {}: bạn có hài lòng với cách phục vụ? Chạm vào một khuôn mặt.", a.get_number()),
                    &format!("Number {}: were you satisfied with the service? Touch a face.", a.get_number()),
                )),
                "why" => parts.push(t("Vì sao bạn chưa hài lòng? Không bắt buộc.", "Why were you not satisfied? Optional.")),
                _ => parts.push(t(
                    "Đưa mã QR trên phiếu số thứ tự của bạn vào máy quét. Bạn đánh giá được sau khi đã được phục vụ xong.",
                    "Hold the QR code on your ticket to the scanner. You can rate once you have been served.",
                )),
            }
            parts.push(a.get_message().to_string());
        }
        "help" => {
            let k = window.global::<KioskAdapter>();
            parts.push(t(
                "Một. Xem thủ tục để biết cần mang giấy tờ gì. Hai. Lấy số thứ tự và chờ gọi số trên màn hình. Ba. Đến đúng quầy khi nghe gọi số của bạn. Bốn. Giữ giấy hẹn để tra cứu và nhận kết quả.",
                "One. Look up the procedure to know which documents to bring. Two. Take a number and wait for it on the screen. Three. Go to the counter when your number is called. Four. Keep your appointment slip to follow the dossier and collect the result.",
            ));
            parts.push(t(&format!("Địa chỉ: {}", k.get_help_address()), &format!("Address: {}", k.get_help_address())));
            if !k.get_help_phone().is_empty() {
                parts.push(t(&format!("Điện thoại: {}", k.get_help_phone()), &format!("Phone: {}", k.get_help_phone())));
            }
            parts.push(t(
                &format!("Giờ làm việc: {}", k.get_help_hours()),
                &format!("Opening hours: {}", k.get_help_hours()),
            ));
        }
        _ => parts.push(t(
            "Xin chào! Bạn cần làm gì hôm nay? Chạm vào một ô: Thủ tục hành chính, xem giấy tờ cần mang, thời hạn, lệ phí. Lấy số thứ tự. Tra cứu hồ sơ. Đánh giá hài lòng. Hướng dẫn và liên hệ.",
            "Hello! What do you need today? Touch a tile: Administrative procedures, to see the documents, time limits and fees. Take a number. Follow a dossier. Rate the service. Help and contact.",
        )),
    }
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n")
}

/// The backspace key, as `say_key` is told of it.
pub const BACKSPACE: &str = "\u{232b}";

/// How a key of the on-screen keyboard is said.
pub fn key_name(key: &str, english: bool) -> String {
    match (key, english) {
        (BACKSPACE, false) => "xóa lùi".into(),
        (BACKSPACE, true) => "delete".into(),
        (" ", false) => "dấu cách".into(),
        (" ", true) => "space".into(),
        ("-", false) => "gạch ngang".into(),
        ("-", true) => "dash".into(),
        (".", false) => "chấm".into(),
        (".", true) => "dot".into(),
        ("/", false) => "gạch chéo".into(),
        ("/", true) => "slash".into(),
        ("_", false) => "gạch dưới".into(),
        ("_", true) => "underscore".into(),
        (k, _) => k.to_string(),
    }
}
