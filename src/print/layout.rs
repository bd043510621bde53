//! Every printed layout, built in one place from the document model: the queue ticket, the procedure
//! slip, the QR slip and the printer calibration page. Citizen-facing text is Vietnamese.

use super::document::{Align, Block, Document, Style};
use super::encoding::{vietnamese_letters, Tcvn3Capitals, TextMode};
use super::profile::Profile;
use super::render::render;
use crate::domain::catalog::{describe, Procedure};

/// What a queue ticket shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketInfo {
    pub agency: String,
    pub number: String,
    pub service: String,
    pub counters: String,
    /// "08:15 28/11/2026"
    pub taken_at: String,
    pub ahead: u32,
    /// "khoảng 20 phút", or what the estimate honestly is.
    pub wait: String,
    /// The ticket's page for phones (`{public_base_url}/t/{token}`).
    pub url: String,
}

impl TicketInfo {
    /// A typical ticket, with a 60-character URL as a hall's public address makes it: what tests,
    /// benchmarks and the documentation print.
    pub fn example() -> TicketInfo {
        TicketInfo {
            agency: "Ủy ban nhân dân xã Ea Kar".into(),
            number: "A025".into(),
            service: "Đăng ký khai sinh".into(),
            counters: "1, 2".into(),
            taken_at: "08:15 28/11/2026".into(),
            ahead: 7,
            wait: "khoảng 20 phút".into(),
            url: "https://hcc.eakar.daklak.gov.vn/t/6f1d2a9c0b7e4d3f5a8b91c0de".into(),
        }
    }
}

pub fn ticket(t: &TicketInfo) -> Document {
    Document::new()
        .text(t.agency.to_uppercase(), Style::center().bold())
        .push(Block::Separator)
        .text("SỐ THỨ TỰ", Style::center().bold().size(2, 2))
        .push(Block::BigNumber(t.number.clone()))
        .text(t.service.clone(), Style::center().bold())
        .text(format!("Quầy: {}", t.counters), Style::center())
        .text(format!("Số người chờ trước bạn: {}", t.ahead), Style::center())
        .text(format!("Thời gian chờ dự kiến: {}", t.wait), Style::center())
        .text(format!("Lấy số lúc {}", t.taken_at), Style::center())
        .push(Block::Qr(t.url.clone()))
        .text("Quét mã để theo dõi lượt của bạn", Style::center())
        .push(Block::Cut)
}

/// The procedure slip a citizen takes home: what to bring, time limit, fee, where to submit; a QR of the
/// procedure's public page (`page_url`), and one to submit it online where the catalog gives the portal's page.
pub fn procedure_slip(center: &str, p: &Procedure, page_url: &str, printed_at: &str, demo: bool) -> Document {
    let mut doc = Document::new()
        .text(center.to_uppercase(), Style::center().bold())
        .text("THÔNG TIN THỦ TỤC HÀNH CHÍNH", Style::center().bold())
        .push(Block::Separator)
        .text(p.name.clone(), Style::default().bold())
        .text(format!("Mã thủ tục: {} · {}", p.code, p.field_name()), Style::default());
    for section in describe(p) {
        doc = doc.text(section.kind.heading(&section.subject).0, Style::default().bold());
        for line in section.text.lines() {
            doc = doc.text(line, Style::default());
        }
    }
    doc = doc.push(Block::Qr(page_url.to_string())).text("Quét mã để xem thủ tục trên điện thoại", Style::center());
    if let Some(url) = p.submit_online() {
        doc = doc.push(Block::Qr(url.to_string())).text("Quét mã để nộp hồ sơ trực tuyến", Style::center());
    }
    if demo || !p.verified.is_verified() {
        doc = doc.text("Thông tin mẫu / chưa xác minh: hỏi cán bộ tiếp nhận", Style::center());
    }
    doc.push(Block::Separator).text(format!("In lúc {printed_at}"), Style::center()).push(Block::Cut)
}

/// A slip that carries a dossier's code as barcode and QR, for following it later.
pub fn qr_slip(center: &str, dossier_code: &str, url: &str) -> Document {
    Document::new()
        .text(center.to_uppercase(), Style::center().bold())
        .text("MÃ HỒ SƠ", Style::center().bold())
        .text(dossier_code, Style::center().bold().size(1, 2))
        .push(Block::Barcode(dossier_code.to_string()))
        .push(Block::Qr(url.to_string()))
        .text("Dùng để tra cứu tiến độ giải quyết hồ sơ", Style::center())
        .push(Block::Cut)
}

/// What the dossier receipt shows: the essentials of form Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptInfo {
    pub agency: String,
    /// "Ea Kar, ngày 28 tháng 11 năm 2026"
    pub place_date: String,
    pub dossier_code: String,
    /// Already masked for print ("Nguyễn V*** H***").
    pub applicant: String,
    pub procedure: String,
    /// (document, as received: "Bản chính", "Bản sao chứng thực", "Bản photocopy")
    pub documents: Vec<(String, String)>,
    pub sets: u32,
    pub time_limit: String,
    /// "09 giờ 15 phút, ngày 28/11/2026"
    pub received_at: String,
    pub appointment: String,
    pub collect_at: String,
    pub url: String,
    pub receiver: String,
}

/// Which of the two copies: the one the office keeps, or the one the citizen takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptCopy {
    Office,
    Citizen,
}

/// The dossier receipt. Printed twice at the counter: Liên 1 for the office, Liên 2 for the citizen.
pub fn receipt(r: &ReceiptInfo, copy: ReceiptCopy) -> Document {
    let mut doc = Document::new()
        .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Style::center().bold())
        .text("Độc lập - Tự do - Hạnh phúc", Style::center())
        .text(r.agency.to_uppercase(), Style::center().bold())
        .push(Block::Separator)
        .text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Style::center().bold())
        .text(format!("Mã hồ sơ: {}", r.dossier_code), Style::center().bold())
        .push(Block::Barcode(r.dossier_code.clone()))
        .text(r.place_date.clone(), Style::center())
        .text(format!("Tiếp nhận hồ sơ của: Ông/Bà {}", r.applicant), Style::default())
        .text(format!("Nội dung yêu cầu giải quyết: {}", r.procedure), Style::default())
        .text("Thành phần hồ sơ:", Style::default().bold());
    for (i, (name, form)) in r.documents.iter().enumerate() {
        doc = doc.text(format!("{}. {name} ({form})", i + 1), Style::default());
    }
    doc.text(format!("Số lượng hồ sơ: {:02} bộ", r.sets), Style::default())
        .text(format!("Thời gian giải quyết theo quy định: {}", r.time_limit), Style::default())
        .text(format!("Thời gian nhận hồ sơ: {}", r.received_at), Style::default())
        .text(format!("Thời gian trả kết quả: {}", r.appointment), Style::default().bold())
        .text(format!("Nhận kết quả tại: {}", r.collect_at), Style::default())
        .push(Block::Qr(r.url.clone()))
        .text("Dùng để tra cứu tiến độ giải quyết hồ sơ", Style::center())
        .push(Block::Separator)
        .text("NGƯỜI NỘP HỒ SƠ          NGƯỜI TIẾP NHẬN", Style::center().bold())
        .push(Block::Feed(3))
        .text(r.receiver.clone(), Style { align: Align::Right, ..Style::default() })
        .text(
            match copy {
                ReceiptCopy::Office => "Liên 1: Lưu tại bộ phận tiếp nhận",
                ReceiptCopy::Citizen => "Liên 2: Giao người nộp hồ sơ",
            },
            Style::center(),
        )
        .push(Block::Cut)
}

/// A Circular 03/2025 form for a dossier (02, 03 or 04), on the counter's thermal printer: the national
/// heading, the agency, the form's number and title, the dossier, its body and who issued it.
pub fn dossier_form(agency: &str, place_date: &str, slip: &crate::app::forms::FormSlip, issuer: &str) -> Document {
    let mut doc = Document::new()
        .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Style::center().bold())
        .text("Độc lập - Tự do - Hạnh phúc", Style::center())
        .text(agency.to_uppercase(), Style::center().bold())
        .text(format!("Mẫu số {}", slip.form.number()), Style { align: Align::Right, ..Style::default() })
        .push(Block::Separator)
        .text(slip.form.title(), Style::center().bold())
        .text(format!("Mã hồ sơ: {}", slip.code), Style::center().bold())
        .push(Block::Barcode(slip.code.clone()))
        .text(place_date.to_string(), Style::center())
        .text(format!("Kính gửi: Ông/Bà {}", slip.applicant), Style::default())
        .text(format!("Hồ sơ: {}", slip.procedure), Style::default())
        .text(format!("Tiếp nhận lúc: {}", slip.received), Style::default());
    for line in &slip.lines {
        doc = doc.text(line.clone(), Style::default());
    }
    doc.push(Block::Separator)
        .text("NGƯỜI LẬP PHIẾU", Style { align: Align::Right, ..Style::default().bold() })
        .push(Block::Feed(3))
        .text(issuer.to_string(), Style { align: Align::Right, ..Style::default() })
        .push(Block::Cut)
}

/// The sentence every calibration section prints.
pub const CALIBRATION_SENTENCE: &str =
    "Ủy ban nhân dân xã Ea Kar, tỉnh Đắk Lắk — ĐĂNG KÝ KHAI SINH — Chứng thực bản sao — Số thứ tự";

/// The calibration page: the same sentence and all 134 letters in each of the four ways, each labelled,
/// then a QR code. The installer keeps the profile whose section reads right on paper.
pub fn selftest(profile: &Profile) -> Vec<u8> {
    let letters: String = vietnamese_letters().into_iter().collect();
    let mut job = Vec::new();
    let header = Document::new()
        .text("KIỂM TRA MÁY IN / PRINTER SELF-TEST", Style::center().bold())
        .text(format!("Profile: {}", profile.name), Style::default())
        .text(
            format!("Width: {} dots, QR: {}", profile.width_dots, if profile.native_qr { "native" } else { "image" }),
            Style::default(),
        )
        .text(
            format!(
                "Pages: TCVN-3 {}/{}, CP1258 {}",
                profile.tcvn3_pages[0], profile.tcvn3_pages[1], profile.cp1258_page
            ),
            Style::default(),
        );
    job.extend(render(&header, &Profile { text_mode: TextMode::Raster, ..profile.clone() }).0);
    for (mode, label) in [
        (TextMode::Tcvn3, "1. TCVN-3 (ESC t 30/31)"),
        (TextMode::Cp1258, "2. Windows-1258 (ESC t 52)"),
        (TextMode::Raster, "3. Raster (image)"),
        (TextMode::Ascii, "4. ASCII (no marks)"),
    ] {
        let section = Document::new()
            .push(Block::Separator)
            .text(label, Style::default().bold())
            .text(CALIBRATION_SENTENCE, Style::default())
            .text(letters.clone(), Style { align: Align::Left, ..Style::default() });
        let mode_profile = Profile { text_mode: mode, ..profile.clone() };
        job.extend(render(&section, &mode_profile).0);
        if mode == TextMode::Tcvn3 {
            // The seven unmarked capitals in both places printers keep them: the line that reads whole
            // names the profile's `tcvn3_capitals`.
            for (capitals, name) in [
                (Tcvn3Capitals::CapitalsPage, "tcvn3_capitals = \"capitals_page\""),
                (Tcvn3Capitals::LowerPage, "tcvn3_capitals = \"lower_page\""),
            ] {
                let line =
                    Document::new().text(format!("{name}: ĂÂĐÊÔƠƯ"), Style { align: Align::Left, ..Style::default() });
                job.extend(render(&line, &Profile { tcvn3_capitals: capitals, ..mode_profile.clone() }).0);
            }
        }
    }
    let end = Document::new().push(Block::Separator).push(Block::Qr("motcua selftest: QR OK".into())).push(Block::Cut);
    job.extend(render(&end, profile).0);
    job
}
