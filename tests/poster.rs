//! Notice-board sheets for real: `motcua catalog poster` writes an A4 PDF, read back as text with
//! `pdftotext` and as pictures with `pdftoppm` (Debian's poppler-utils), whose QR codes are decoded as a
//! phone would (rqrr). Without poppler-utils the tests say SKIPPED, and fail under
//! `MOTCUA_REQUIRE_BROWSER=1` (CI installs it with the browser).

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

fn poppler(test: &str) -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    let required = std::env::var("MOTCUA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(found || !required, "{test}: MOTCUA_REQUIRE_BROWSER=1 but pdftotext (poppler-utils) is missing");
    if !found {
        eprintln!("SKIPPED {test}: poppler-utils is not installed");
    }
    found
}

/// The configuration of a hall whose name has capitals with stacked marks.
fn hall(dir: &Path) -> std::path::PathBuf {
    write(
        dir,
        "motcua.toml",
        "[center]\nname = \"Ủy ban nhân dân xã Ẳng Cưởng\"\nprovince = \"Tỉnh Đắk Lắk\"\n\
         [catalog]\npublic_base_url = \"https://dichvucong.daklak.gov.vn\"\n",
    )
}

fn poster(dir: &Path, args: &[&str]) -> std::process::Output {
    let config = hall(dir);
    let mut all = vec!["--config", config.to_str().unwrap(), "catalog", "poster"];
    all.extend_from_slice(args);
    motcua(&dir.join("data"), &all)
}

/// The text of pages `first..=last`, as `pdftotext` reads it back, in NFC.
fn text(pdf: &Path, first: u32, last: u32) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &first.to_string(), "-l", &last.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().nfc().collect()
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("a page count");
    line["Pages:".len()..].trim().parse().unwrap()
}

/// Every QR code on page `page`, decoded from a 150 dpi picture of it.
fn codes(pdf: &Path, page: u32) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png", "-f", &page.to_string(), "-l", &page.to_string(), "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let file = std::fs::File::open(prefix.with_extension("png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // pdftoppm may write grey as RGB: take one channel of each pixel, whatever their width.
    let (w, h) = (info.width as usize, info.height as usize);
    let (line, channels) = (info.line_size, info.line_size / w);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * line + x * channels]);
    let mut found: Vec<String> = img.detect_grids().iter().filter_map(|g| g.decode().ok().map(|(_, t)| t)).collect();
    found.sort();
    found
}

#[test]
fn a_procedure_sheet_reads_back_as_its_fields_with_both_codes() {
    if !poppler("a_procedure_sheet_reads_back_as_its_fields_with_both_codes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("ket-hon.pdf");
    let out = poster(dir.path(), &["--code", "1.000894", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pages(&pdf), 1, "one procedure, one sheet");
    let read = text(&pdf, 1, 1);
    let file = motcua::interchange::read_catalog(&demo_catalog()).unwrap();
    let p = file.procedures.iter().find(|p| p.code == "1.000894").unwrap();
    // The hall's name in capitals with stacked marks, searchable as typed.
    assert!(read.contains("ỦY BAN NHÂN DÂN XÃ ẲNG CƯỞNG") && read.contains("TỈNH ĐẮK LẮK"), "{read}");
    assert!(read.contains(&p.name) && read.contains("Mã thủ tục: 1.000894 · Lĩnh vực: Hộ tịch"), "{read}");
    // Every document, time limit and fee as the catalog words them (lines joined as a reader would).
    let joined = read.split_whitespace().collect::<Vec<_>>().join(" ");
    for d in &p.documents {
        assert!(joined.contains(&d.name), "document {}: {joined}", d.name);
    }
    for channel in p.cases.iter().flat_map(|c| &c.channels) {
        let time = &channel.time_limit.as_ref().unwrap().text;
        assert!(joined.contains(time.as_str()), "time limit {time}: {joined}");
        assert!(joined.contains(&channel.fee.as_ref().unwrap().text), "fee: {joined}");
    }
    assert!(read.contains("Xem thủ tục trên điện thoại") && read.contains("Nộp hồ sơ trực tuyến"), "{read}");
    assert!(read.contains("Phiên bản 1 của thủ tục"), "{read}");
    assert_eq!(
        codes(&pdf, 1),
        ["https://dichvucong.daklak.gov.vn/thu-tuc/1.000894", "https://dichvucong.gov.vn/"],
        "the public page and the portal"
    );
    // Without an online service: the page's code alone.
    let birth = dir.path().join("khai-sinh.pdf");
    assert!(poster(dir.path(), &["--code", "1.001193", "-o", birth.to_str().unwrap()]).status.success());
    assert_eq!(codes(&birth, 1), ["https://dichvucong.daklak.gov.vn/thu-tuc/1.001193"]);
    assert!(!text(&birth, 1, 1).contains("Nộp hồ sơ trực tuyến"));
}

#[test]
fn a_field_has_an_index_page_then_one_sheet_per_procedure() {
    if !poppler("a_field_has_an_index_page_then_one_sheet_per_procedure") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("ho-tich.pdf");
    let out = poster(dir.path(), &["--field", "Hộ tịch", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = motcua::interchange::read_catalog(&demo_catalog()).unwrap();
    let field: Vec<_> = file.procedures.iter().filter(|p| p.field == "Hộ tịch").collect();
    assert_eq!(pages(&pdf), 1 + field.len());
    let index = text(&pdf, 1, 1).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(index.contains(&format!("Lĩnh vực: Hộ tịch ({} thủ tục)", field.len())), "{index}");
    for p in &field {
        assert!(index.contains(&p.name) && index.contains(&p.code), "{} on the index", p.code);
    }
    // The index says on which sheet each one is, and that sheet is it.
    let marriage = index.split("Mã 1.000894").nth(1).unwrap();
    let sheet: u32 = marriage.split("tờ ").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(text(&pdf, sheet, sheet).contains("Thủ tục đăng ký kết hôn\nMã thủ tục: 1.000894"));
}

#[test]
fn an_unknown_code_or_field_is_refused_with_what_there_is() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("x.pdf");
    let out = poster(dir.path(), &["--code", "9.999999", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no procedure with code 9.999999"), "{}", stderr(&out));
    let out = poster(dir.path(), &["--field", "Hộ tich", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no field \"Hộ tich\"; the fields are: ") && stderr(&out).contains("Hộ tịch"));
    assert!(!pdf.exists(), "nothing written");
}
