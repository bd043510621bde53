//! Printing checked from outside: our bytes decoded back by the test suite's own ESC/POS decoder, every
//! Vietnamese letter through both code pages, the virtual printer's PNG with a QR that decodes, and the
//! printer commands of the real binary.

mod common;
#[path = "common/escpos.rs"]
mod escpos;

use common::*;
use motcua::print::document::{Document, Style};
use motcua::print::encoding::{vietnamese_letters, TextMode};
use motcua::print::layout::{ticket, TicketInfo};
use motcua::print::profile::Profile;
use motcua::print::render::render;

fn sample() -> TicketInfo {
    TicketInfo::example()
}

fn profile(mode: TextMode) -> Profile {
    Profile { text_mode: mode, ..Profile::builtin("epson-tm-t20").expect("built-in") }
}

#[test]
fn every_letter_in_both_cases_round_trips_through_tcvn3_and_cp1258() {
    let letters: String = vietnamese_letters().into_iter().collect();
    assert_eq!(letters.chars().count(), 134);
    for mode in [TextMode::Tcvn3, TextMode::Cp1258] {
        // One letter a line, so that wrapping cannot hide a wrong byte.
        let mut doc = Document::new();
        for c in letters.chars() {
            doc = doc.text(c.to_string(), Style::default());
        }
        let (bytes, notes) = render(&doc, &profile(mode));
        assert!(notes.raster_fallbacks.is_empty(), "{mode:?}: {:?}", notes.raster_fallbacks);
        let decoded = escpos::decode(&bytes);
        let back: String = decoded.lines.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(back, letters, "{mode:?}");
    }
}

#[test]
fn a_ticket_decodes_to_its_text_styles_and_qr() {
    for mode in [TextMode::Tcvn3, TextMode::Cp1258] {
        let (bytes, _) = render(&ticket(&sample()), &profile(mode));
        let d = escpos::decode(&bytes);
        let find =
            |t: &str| d.lines.iter().find(|l| l.0 == t).unwrap_or_else(|| panic!("{mode:?}: {t:?} in {:?}", d.lines));
        assert!(find("ỦY BAN NHÂN DÂN XÃ EA KAR").1, "agency in bold");
        assert_eq!(find("SỐ THỨ TỰ").2, 2);
        let number = find("A025");
        assert!(number.1 && number.2 >= 4 && number.3 >= 4, "{number:?}");
        find("Đăng ký khai sinh");
        find("Số người chờ trước bạn: 7");
        assert_eq!(d.qr, [sample().url]);
        assert_eq!(d.raster_bands, 0, "{mode:?}: nothing fell back to raster");
    }
}

#[test]
fn raster_profiles_send_images_in_small_bands() {
    let clone = Profile::builtin("generic-58").expect("built-in");
    let (bytes, _) = render(&ticket(&sample()), &clone);
    let d = escpos::decode(&bytes);
    assert!(d.raster_bands > 5);
    assert!(d.qr.is_empty(), "QR as an image on this profile");
    // Every band fits the profile's buffer.
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(3).position(|w| w == [0x1D, b'v', b'0']) {
        let at = i + p;
        let len = (usize::from(bytes[at + 4]) | usize::from(bytes[at + 5]) << 8)
            * (usize::from(bytes[at + 6]) | usize::from(bytes[at + 7]) << 8);
        assert!(len <= clone.band_bytes as usize, "band of {len} bytes");
        i = at + 8 + len;
    }
}

fn decode_png_qr(path: &std::path::Path) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    img.detect_grids().iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

#[test]
fn the_virtual_printer_png_carries_a_qr_that_decodes_to_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    for profile_name in ["epson-tm-t20", "generic-58"] {
        let out = dir.path().join(profile_name);
        let profile = Profile::builtin(profile_name).unwrap();
        let link = motcua::print::transport::open(
            &motcua::print::transport::Target::parse("virtual").unwrap(),
            profile.baud,
            out.clone(),
            profile.width_dots,
        )
        .unwrap();
        let mut printer = motcua::print::Printer::new("kiosk", profile, link);
        let outcome = printer.print(&ticket(&sample()));
        assert_eq!(outcome.label(), if profile_name == "generic-58" { "sent-unconfirmed" } else { "printed" });
        let pngs: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        assert_eq!(pngs.len(), 1);
        assert!(pngs[0].with_extension("bin").exists(), "raw job kept beside the picture");
        assert_eq!(decode_png_qr(&pngs[0]), [sample().url], "{profile_name}");
        std::fs::copy(&pngs[0], root().join(format!("target/screenshots/ticket-{profile_name}.png"))).ok();
    }
}

#[test]
fn printer_commands_of_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var");
    let out = motcua(&data, &["printer", "status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ready — Máy in sẵn sàng"), "{}", stdout(&out));

    let out = motcua(&data, &["printer", "status", "--printer", "virtual?state=paper_near_end"]);
    assert!(stdout(&out).contains("paper near end — Sắp hết giấy"), "{}", stdout(&out));
    let out = motcua(&data, &["printer", "slip", "1.001193", "--printer", "virtual?state=paper_out"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("not printed: paper out"), "{}", stderr(&out));

    let out = motcua(&data, &["printer", "selftest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bins: Vec<_> = std::fs::read_dir(data.join("prints"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(bins.len(), 1, "the paper-out slip left nothing");
    let d = escpos::decode(&std::fs::read(&bins[0]).unwrap());
    // Each section's sentence spans two 48-column lines, right after its label.
    let after = |label: &str| {
        let i = d.lines.iter().position(|l| l.0 == label).unwrap_or_else(|| panic!("{label} in {:?}", d.lines));
        format!("{} {}", d.lines[i + 1].0, d.lines[i + 2].0)
    };
    let sentence = motcua::print::layout::CALIBRATION_SENTENCE;
    assert_eq!(after("1. TCVN-3 (ESC t 30/31)"), sentence.replace('—', "-"), "TCVN-3 has no dash: a hyphen");
    assert_eq!(after("2. Windows-1258 (ESC t 52)"), sentence);
    // Both places of the unmarked capitals, read as an Epson prints them: whole from the capitals page,
    // missing from A1-A7 of the lower-case page.
    let line = |start: &str| d.lines.iter().find(|l| l.0.starts_with(start)).map(|l| l.0.clone());
    assert_eq!(line("tcvn3_capitals = \"capitals_page\"").unwrap(), "tcvn3_capitals = \"capitals_page\": ĂÂĐÊÔƠƯ");
    let lower = line("tcvn3_capitals = \"lower_page\"").unwrap();
    assert!(lower.ends_with(": \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"), "{lower}");
    assert_eq!(
        after("4. ASCII (no marks)"),
        "Uy ban nhan dan xa Ea Kar, tinh Dak Lak - DANG KY KHAI SINH - Chung thuc ban sao - So thu tu"
    );

    let preview = dir.path().join("preview.png");
    let out = motcua(&data, &["printer", "preview", bins[0].to_str().unwrap(), "-o", preview.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 QR code(s), 1 cut(s)"), "{}", stdout(&out));
    assert_eq!(decode_png_qr(&preview), ["motcua selftest: QR OK"]);

    let out = motcua(&data, &["printer", "status", "--printer", "serial:/dev/nonexistent-motcua"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot reach the printer"), "{}", stderr(&out));
}

#[test]
fn a_network_printer_on_loopback() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("address").to_string();
    let fake = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("kiosk connects");
        stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).expect("timeout");
        let mut all = Vec::new();
        let mut seen = 0;
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap_or(0);
            if n == 0 {
                return all;
            }
            all.extend_from_slice(&buf[..n]);
            while seen + 3 <= all.len() {
                let answer = match &all[seen..seen + 3] {
                    [0x10, 0x04, _] => Some(0x12),
                    [0x1D, b'r', 1] => Some(0x00),
                    _ => None,
                };
                if let Some(a) = answer {
                    stream.write_all(&[a]).expect("answer");
                    if all[seen] == 0x1D {
                        return all;
                    }
                    seen += 3;
                } else {
                    seen += 1;
                }
            }
        }
    });
    let profile = Profile::builtin("epson-tm-t20").unwrap();
    let target = motcua::print::transport::Target::parse(&format!("tcp:{address}")).expect("target");
    let link = motcua::print::transport::open(&target, profile.baud, std::env::temp_dir(), 576).unwrap();
    let mut printer = motcua::print::Printer::new("counter-1", profile.clone(), link);
    assert_eq!(printer.print(&ticket(&sample())), motcua::print::Outcome::Printed { warning: None });
    let received = fake.join().expect("fake printer");
    let (job, _) = render(&ticket(&sample()), &profile);
    assert!(received.windows(job.len()).any(|w| w == job.as_slice()));

    // Nothing listening: a clear failure, at once.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let target = motcua::print::transport::Target::parse(&format!("tcp:{free}")).unwrap();
    let link = motcua::print::transport::open(&target, profile.baud, std::env::temp_dir(), 576).unwrap();
    let mut printer = motcua::print::Printer::new("counter-2", profile, link);
    match printer.print(&ticket(&sample())) {
        motcua::print::Outcome::NotPrinted { why, .. } => assert!(why.contains("cannot reach the printer"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn targets_are_parsed_with_clear_messages() {
    use motcua::print::transport::{Flow, Target};
    assert_eq!(
        Target::parse("serial:/dev/ttyUSB0?baud=9600&flow=rtscts").unwrap(),
        Target::Serial { path: "/dev/ttyUSB0".into(), baud: Some(9600), flow: Flow::RtsCts, data_bits: 8, parity: 'n' }
    );
    assert_eq!(Target::parse("usb:/dev/usb/lp0").unwrap(), Target::Usb("/dev/usb/lp0".into()));
    for bad in ["lpt1", "tcp:printer", "serial:/dev/ttyS0?flow=magic", "serial:", "virtual?state=on_fire"] {
        let e = Target::parse(bad).unwrap_err();
        assert!(e.starts_with(&format!("\"{bad}\"")) && e.contains("use one of: virtual"), "{e}");
    }
}

#[test]
fn the_dossier_receipt_carries_code_barcode_qr_and_both_copies() {
    use motcua::print::layout::{receipt, ReceiptCopy, ReceiptInfo};
    let info = ReceiptInfo {
        agency: "Ủy ban nhân dân xã Ea Kar".into(),
        place_date: "Ea Kar, ngày 28 tháng 11 năm 2026".into(),
        dossier_code: "H57.132-261128-0007".into(),
        applicant: "Nguyễn V*** H***".into(),
        procedure: "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân".into(),
        documents: vec![("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân".into(), "Bản chính".into())],
        sets: 1,
        time_limit: "03 ngày làm việc".into(),
        received_at: "09 giờ 15 phút, ngày 28/11/2026".into(),
        appointment: "14 giờ 00 phút, ngày 03/12/2026".into(),
        collect_at: "Quầy trả kết quả, Trung tâm Phục vụ hành chính công xã".into(),
        url: "https://hcc.eakar.daklak.gov.vn/t/0f3a9e61b2c47d58".into(),
        receiver: "Trần Thị B".into(),
    };
    let profile = Profile::builtin("epson-tm-t20").unwrap();
    for (copy, footer) in [
        (ReceiptCopy::Office, "Liên 1: Lưu tại bộ phận tiếp nhận"),
        (ReceiptCopy::Citizen, "Liên 2: Giao người nộp hồ sơ"),
    ] {
        let (bytes, notes) = render(&receipt(&info, copy), &profile);
        assert!(notes.skipped_barcodes.is_empty(), "the code fits as a barcode on 80 mm");
        assert!(bytes.windows(3).any(|w| w == [0x1D, b'k', 73]), "Code 128 present");
        let d = escpos::decode(&bytes);
        let text: Vec<&str> = d.lines.iter().map(|l| l.0.as_str()).collect();
        for expected in ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: H57.132-261128-0007", footer]
        {
            assert!(text.contains(&expected), "{expected:?} in {text:?}");
        }
        assert!(text.iter().any(|l| l.starts_with("Tiếp nhận hồ sơ của: Ông/Bà Nguyễn V*** H***")), "{text:?}");
        assert_eq!(d.qr, std::slice::from_ref(&info.url));
        let (_, paper) = motcua::print::virtual_printer::interpret(&bytes, 576, Default::default());
        let shots = root().join("target/screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        motcua::print::virtual_printer::write_png(&paper, &shots.join(format!("receipt-{copy:?}.png"))).unwrap();
    }
    // On 58 mm paper the code does not fit at 2 dots a module: the QR carries it alone.
    let narrow = Profile::builtin("generic-58").unwrap();
    let (_, notes) = render(&receipt(&info, ReceiptCopy::Citizen), &narrow);
    assert_eq!(notes.skipped_barcodes, std::slice::from_ref(&info.dossier_code));
}

#[test]
fn file_and_usb_targets_are_one_way() {
    use motcua::print::transport::{open, Target};
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::builtin("epson-tm-t20").unwrap();
    let (job, _) = render(&ticket(&sample()), &profile);
    // A spool file grows by one job a print.
    let spool = dir.path().join("spool.bin");
    let link =
        open(&Target::parse(&format!("file:{}", spool.display())).unwrap(), 9600, dir.path().into(), 576).unwrap();
    let mut printer = motcua::print::Printer::new("spool", profile.clone(), link);
    for n in 1..=2 {
        match printer.print(&ticket(&sample())) {
            motcua::print::Outcome::SentUnconfirmed { why } => assert!(why.contains("cannot report status"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&spool).unwrap().len(), n * job.len());
    }
    // A USB printer device that is not there (unplugged): not printed, and why.
    let gone = dir.path().join("lp9");
    let link = open(&Target::parse(&format!("usb:{}", gone.display())).unwrap(), 9600, dir.path().into(), 576).unwrap();
    let mut printer = motcua::print::Printer::new("usb", profile, link);
    match printer.print(&ticket(&sample())) {
        motcua::print::Outcome::NotPrinted { why, .. } => assert!(why.starts_with("usb "), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(!gone.exists(), "a device is never created as a file");
}
