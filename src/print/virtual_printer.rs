//! The virtual printer: a real ESC/POS interpreter for the commands motcua sends. Each job becomes a PNG of
//! the paper plus the raw `.bin`, under `<data-dir>/prints/`, so a newcomer sees the ticket without hardware.
//! It answers status queries like a printer in the state it is given, failures included.

use super::encoding::{decode_cp1258, decode_tcvn3, Tcvn3Page};
use super::raster::{qr_image, text_line, Bitmap, LINE_DOTS};
use super::status::{answers_for, PrinterState, CONFIRM, QUERY_OFFLINE, QUERY_PAPER, QUERY_PRINTER};
use super::transport::Transport;
use super::{document::Align, PrintError};
use std::path::PathBuf;
use std::time::Duration;

/// What the interpreter understood of a job: text lines with their style, QR payloads, barcodes, cuts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<PrintedLine>,
    pub qr_codes: Vec<String>,
    pub barcodes: Vec<String>,
    pub images: usize,
    pub cuts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLine {
    pub text: String,
    pub bold: bool,
    pub width: u8,
    pub height: u8,
}

/// The tallest raster image (`GS v 0`) the printers we model take, in dots (Epson's limit: 2303).
const RASTER_ROWS: u32 = 2303;

/// Which code pages the interpreted printer has, by `ESC t` number.
#[derive(Debug, Clone, Copy)]
pub struct CodePages {
    pub tcvn3: [u8; 2],
    pub cp1258: u8,
}

impl Default for CodePages {
    fn default() -> Self {
        CodePages { tcvn3: [30, 31], cp1258: 52 }
    }
}

struct Paper {
    width: u32,
    canvas: Bitmap,
    y: u32,
}

impl Paper {
    fn grow(&mut self, height: u32) {
        let needed = self.y + height;
        if needed > self.canvas.height {
            let mut bigger = Bitmap::new(self.width, needed.max(self.canvas.height * 2));
            bigger.blit(&self.canvas, 0, 0);
            self.canvas = bigger;
        }
    }
    fn place(&mut self, bitmap: &Bitmap, align: Align) {
        self.grow(bitmap.height);
        let x = match align {
            Align::Left => 0,
            Align::Center => self.width.saturating_sub(bitmap.width) / 2,
            Align::Right => self.width.saturating_sub(bitmap.width),
        };
        self.canvas.blit(bitmap, x, self.y);
        self.y += bitmap.height;
    }
}

/// Interprets a job: the transcript and the paper as a bitmap.
pub fn interpret(bytes: &[u8], width: u32, pages: CodePages) -> (Transcript, Bitmap) {
    let mut t = Transcript::default();
    let mut paper = Paper { width, canvas: Bitmap::new(width, 64), y: 8 };
    let (mut bold, mut w, mut h, mut align, mut page) = (false, 1u8, 1u8, Align::Left, 0u8);
    let mut qr_data: Option<String> = None;
    let mut qr_module = 3u32;
    let mut line: Vec<(u8, u8)> = Vec::new(); // (byte, page)
    let flush_line = |line: &mut Vec<(u8, u8)>, t: &mut Transcript, paper: &mut Paper, bold, w: u8, h: u8, align| {
        let mut text = String::new();
        for chunk in line.chunk_by(|a, b| a.1 == b.1) {
            let bytes: Vec<u8> = chunk.iter().map(|c| c.0).collect();
            let p = chunk[0].1;
            text.push_str(&if p == pages.tcvn3[0] {
                decode_tcvn3(&bytes, Tcvn3Page::Lower)
            } else if p == pages.tcvn3[1] {
                decode_tcvn3(&bytes, Tcvn3Page::Upper)
            } else if p == pages.cp1258 {
                decode_cp1258(&bytes)
            } else {
                bytes.iter().map(|&b| if b < 0x80 { b as char } else { '\u{FFFD}' }).collect()
            });
        }
        line.clear();
        let px = LINE_DOTS as f32 * f32::from(h);
        if !text.is_empty() && text.chars().all(|c| c == '-') {
            // Font A is 12 dots a character: a row of dashes is a rule that long.
            let length = (text.len() as u32 * 12 * u32::from(w)).min(width);
            let mut rule = Bitmap::new(width, LINE_DOTS);
            for x in (0..length).filter(|x| x % 12 < 8) {
                rule.set(x, LINE_DOTS / 2);
                rule.set(x, LINE_DOTS / 2 + 1);
            }
            paper.place(&rule, Align::Left);
        } else if !text.is_empty() {
            // Wider characters are drawn as a larger font, which is how the printer's scaling reads.
            let px_w = LINE_DOTS as f32 * f32::from(w.max(h));
            let bitmap = text_line(&text, width, px_w.max(px), bold);
            paper.place(&bitmap, align);
        } else {
            paper.y += px as u32 + 6;
        }
        t.lines.push(PrintedLine { text, bold, width: w, height: h });
    };
    let mut i = 0;
    let arg = |i: usize| bytes.get(i).copied().unwrap_or(0);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x1B => {
                let cmd = arg(i + 1);
                match cmd {
                    b'@' => {
                        (bold, w, h, align, page) = (false, 1, 1, Align::Left, 0);
                        i += 2;
                    }
                    b'E' => {
                        bold = arg(i + 2) & 1 == 1;
                        i += 3;
                    }
                    b'a' => {
                        align = match arg(i + 2) {
                            1 | b'1' => Align::Center,
                            2 | b'2' => Align::Right,
                            _ => Align::Left,
                        };
                        i += 3;
                    }
                    b't' => {
                        page = arg(i + 2);
                        i += 3;
                    }
                    b'd' => {
                        if !line.is_empty() {
                            flush_line(&mut line, &mut t, &mut paper, bold, w, h, align);
                        }
                        paper.y += u32::from(arg(i + 2)) * (LINE_DOTS + 6);
                        i += 3;
                    }
                    b'-' | b'G' | b'M' | b'{' | b'2' | b'3' | b'J' | b'!' => i += if cmd == b'2' { 2 } else { 3 },
                    _ => i += 2,
                }
            }
            0x1D => {
                let cmd = arg(i + 1);
                match cmd {
                    b'!' => {
                        let n = arg(i + 2);
                        (w, h) = ((n >> 4) + 1, (n & 0x0F) + 1);
                        i += 3;
                    }
                    b'V' => {
                        t.cuts += 1;
                        paper.grow(16);
                        for x in (0..width).step_by(8) {
                            for dx in 0..4 {
                                paper.canvas.set(x + dx, paper.y + 8);
                            }
                        }
                        paper.y += 16;
                        i += if matches!(arg(i + 2), 65 | 66) { 4 } else { 3 };
                    }
                    b'v' => {
                        let xb = u32::from(arg(i + 4)) | u32::from(arg(i + 5)) << 8;
                        let rows = u32::from(arg(i + 6)) | u32::from(arg(i + 7)) << 8;
                        let start = i + 8;
                        let len = xb as usize * rows as usize;
                        let data = bytes.get(start..(start + len).min(bytes.len())).unwrap_or(&[]);
                        // As the printer does: dots past the paper's width are not printed, an image is at
                        // most RASTER_ROWS high, and a job that ends early prints what came.
                        let came = data.len().div_ceil(xb.max(1) as usize) as u32;
                        let mut bitmap = Bitmap::new((xb * 8).min(width), rows.min(RASTER_ROWS).min(came));
                        for (k, byte) in data.iter().enumerate() {
                            for bit in 0..8 {
                                if byte & (0x80 >> bit) != 0 {
                                    bitmap.set((k as u32 % xb) * 8 + bit, k as u32 / xb);
                                }
                            }
                        }
                        paper.place(&bitmap, align);
                        t.images += 1;
                        i = start + len;
                    }
                    b'(' if arg(i + 2) == b'k' => {
                        let len = usize::from(arg(i + 3)) | usize::from(arg(i + 4)) << 8;
                        let (cn, fun) = (arg(i + 5), arg(i + 6));
                        let body = bytes.get(i + 5..(i + 5 + len).min(bytes.len())).unwrap_or(&[]);
                        if cn == 49 {
                            match fun {
                                67 => qr_module = u32::from(arg(i + 7)).clamp(1, 16),
                                80 => {
                                    qr_data = Some(String::from_utf8_lossy(body.get(3..).unwrap_or(&[])).into_owned())
                                }
                                81 => {
                                    if let Some(data) = qr_data.take() {
                                        if let Some(img) = qr_image_with_module(&data, qr_module) {
                                            paper.place(&img, align);
                                        }
                                        t.qr_codes.push(data);
                                    }
                                }
                                _ => {}
                            }
                        }
                        i += 5 + len;
                    }
                    b'k' => {
                        let m = arg(i + 2);
                        if m >= 65 {
                            let n = usize::from(arg(i + 3));
                            let data = bytes.get(i + 4..(i + 4 + n).min(bytes.len())).unwrap_or(&[]);
                            let text = String::from_utf8_lossy(data.strip_prefix(b"{B").unwrap_or(data)).into_owned();
                            let bitmap = text_line(&format!("||| {text} |||"), width, LINE_DOTS as f32, false);
                            paper.place(&bitmap, Align::Center);
                            t.barcodes.push(text);
                            i += 4 + n;
                        } else {
                            let end =
                                bytes[i + 3..].iter().position(|&c| c == 0).map_or(bytes.len(), |p| i + 3 + p + 1);
                            i = end;
                        }
                    }
                    b'h' | b'w' | b'H' | b'f' | b'B' | b'L' => i += 3,
                    b'r' => i += 3,
                    _ => i += 2,
                }
            }
            0x1C => i += 2, // FS . / FS & (Chinese mode off / on)
            0x10 if arg(i + 1) == 0x04 => i += 3,
            b'\n' => {
                flush_line(&mut line, &mut t, &mut paper, bold, w, h, align);
                i += 1;
            }
            b'\r' => i += 1,
            _ => {
                line.push((b, page));
                i += 1;
            }
        }
    }
    if !line.is_empty() {
        flush_line(&mut line, &mut t, &mut paper, bold, w, h, align);
    }
    let mut canvas = Bitmap::new(width, paper.y + 16);
    canvas.blit(&paper.canvas, 0, 0);
    (t, canvas)
}

/// A QR image with the module size a printer was told (`GS ( k` function 167).
fn qr_image_with_module(payload: &str, module: u32) -> Option<Bitmap> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let total = code.width() as u32 + 8;
    qr_image(payload, total * module)
}

/// Writes a bitmap as an 8-bit grey PNG (black on white).
pub fn write_png(bitmap: &Bitmap, path: &std::path::Path) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), bitmap.width, bitmap.height.max(1));
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    let data: Vec<u8> = bitmap.pixels.iter().map(|&black| if black { 0 } else { 255 }).collect();
    let data = if data.is_empty() { vec![255; bitmap.width as usize] } else { data };
    writer.write_image_data(&data).map_err(std::io::Error::other)
}

/// Jobs kept in a prints folder; older ones are deleted as new ones come.
pub const KEEP_JOBS: usize = 500;

/// A job's file name, unique and in job order: local time to the millisecond, the process and a counter
/// ("20260805-100000-123-4711-000042").
fn job_name() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = time::OffsetDateTime::now_utc().to_offset(crate::domain::clock::VIETNAM);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}-{}-{n:06}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond(),
        std::process::id()
    )
}

/// Remembers a new job and deletes the oldest past `KEEP_JOBS`. The folder is listed once per process,
/// not at every job.
fn keep_latest(folder: &std::path::Path, stem: PathBuf) {
    use std::collections::{HashMap, VecDeque};
    static JOBS: std::sync::Mutex<Option<HashMap<PathBuf, VecDeque<PathBuf>>>> = std::sync::Mutex::new(None);
    let mut all = JOBS.lock().unwrap_or_else(|e| e.into_inner());
    let jobs = all.get_or_insert_with(HashMap::new).entry(folder.to_path_buf()).or_insert_with(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "bin")).collect())
            .unwrap_or_default();
        found.sort();
        found.into_iter().map(|p| p.with_extension("")).collect()
    });
    if jobs.back() != Some(&stem) {
        jobs.push_back(stem);
    }
    while jobs.len() > KEEP_JOBS {
        if let Some(old) = jobs.pop_front() {
            let _ = std::fs::remove_file(old.with_extension("bin"));
            let _ = std::fs::remove_file(old.with_extension("png"));
        }
    }
}

/// The virtual printer as a transport: every job becomes `prints/<time>-<process>-<n>.png` and `.bin`;
/// the latest `KEEP_JOBS` are kept.
pub struct VirtualPrinter {
    folder: PathBuf,
    width: u32,
    pub state: PrinterState,
    pub last_png: Option<PathBuf>,
}

impl VirtualPrinter {
    pub fn new(folder: PathBuf, width: u32) -> VirtualPrinter {
        VirtualPrinter { folder, width, state: PrinterState::Ready, last_png: None }
    }
}

impl Transport for VirtualPrinter {
    fn describe(&self) -> String {
        format!("virtual printer ({})", self.folder.display())
    }
    fn two_way(&self) -> bool {
        true
    }
    fn send(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), PrintError> {
        let io = |e: std::io::Error| PrintError::Io {
            target: format!("virtual printer ({})", self.folder.display()),
            source: e,
        };
        if !self.state.can_print() {
            // A real printer in this state takes the bytes and prints nothing.
            return Ok(());
        }
        std::fs::create_dir_all(&self.folder).map_err(io)?;
        let stem = self.folder.join(job_name());
        // A new file every time: a name already there is never overwritten.
        let mut bin =
            std::fs::OpenOptions::new().write(true).create_new(true).open(stem.with_extension("bin")).map_err(io)?;
        std::io::Write::write_all(&mut bin, bytes).map_err(io)?;
        let (_, paper) = interpret(bytes, self.width, CodePages::default());
        let png = stem.with_extension("png");
        write_png(&paper, &png).map_err(io)?;
        keep_latest(&self.folder, stem);
        self.last_png = Some(png);
        Ok(())
    }
    fn ask(&mut self, query: &[u8], _timeout: Duration) -> Result<Option<u8>, PrintError> {
        if self.state == PrinterState::NoAnswer {
            return Ok(None);
        }
        // Something that is not a printer (the wrong device, the wrong speed): the same wrong byte to
        // every status query, and never a confirmation.
        if let PrinterState::Garbled(bytes) = &self.state {
            return Ok((query != CONFIRM).then(|| bytes.first().copied().unwrap_or(0xFF)));
        }
        let answers = answers_for(&self.state);
        Ok(Some(match query {
            q if q == QUERY_PRINTER => answers[0],
            q if q == QUERY_OFFLINE => answers[1],
            q if q == QUERY_PAPER => answers[2],
            // GS r is answered once the job is processed: never while the printer is stopped.
            q if q == CONFIRM && self.state.can_print() => 0x00,
            _ => return Ok(None),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::encoding::TextMode;
    use crate::print::layout::{ticket, TicketInfo};
    use crate::print::profile::Profile;
    use crate::print::render::render;

    fn sample() -> TicketInfo {
        TicketInfo::example()
    }

    #[test]
    fn a_ticket_reads_back_in_every_text_mode() {
        for (profile, mode) in [("epson-tm-t20", TextMode::Tcvn3), ("epson-tm-t20", TextMode::Cp1258)] {
            let profile = Profile { text_mode: mode, ..Profile::builtin(profile).unwrap() };
            let (bytes, _) = render(&ticket(&sample()), &profile);
            let (t, paper) = interpret(&bytes, profile.width_dots, CodePages::default());
            let texts: Vec<&str> = t.lines.iter().map(|l| l.text.as_str()).collect();
            assert!(texts.contains(&"SỐ THỨ TỰ"), "{mode:?}: {texts:?}");
            assert!(texts.contains(&"ỦY BAN NHÂN DÂN XÃ EA KAR"), "{mode:?}: {texts:?}");
            assert!(texts.contains(&"Thời gian chờ dự kiến: khoảng 20 phút"), "{mode:?}: {texts:?}");
            let number = t.lines.iter().find(|l| l.text == "A025").expect("big number");
            assert!(number.bold && number.width >= 4, "{number:?}");
            assert_eq!(t.qr_codes, [sample().url]);
            assert_eq!(t.cuts, 1);
            assert!(paper.height > 400);
            if let Ok(dir) = std::env::var("MOTCUA_SAVE_TICKETS") {
                write_png(&paper, &std::path::Path::new(&dir).join(format!("ticket-{mode:?}.png"))).unwrap();
            }
        }
    }
}
