//! Printer profiles: what a model can do (paper width, Vietnamese code pages, native QR, cutter, status).
//! Built-in profiles cover the common classes; configuration overrides any field.

use super::encoding::{Tcvn3Capitals, TextMode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// Printable dots a line: 576 on 80 mm paper, 384 on 58 mm, at 203 dpi.
    pub width_dots: u32,
    pub text_mode: TextMode,
    /// `ESC t` numbers of the TCVN-3 lower-case and capitals pages.
    pub tcvn3_pages: [u8; 2],
    /// Which page has the unmarked capitals Ă Â Đ Ê Ô Ơ Ư (the calibration page prints both forms).
    #[serde(default)]
    pub tcvn3_capitals: Tcvn3Capitals,
    /// `ESC t` number of Windows-1258.
    pub cp1258_page: u8,
    /// Send `FS .` first: many clones start in a Chinese double-byte mode.
    pub cancel_chinese: bool,
    /// Print QR codes with `GS ( k`; otherwise as an image.
    pub native_qr: bool,
    pub cutter: bool,
    /// Answers `DLE EOT` status queries and `GS r`.
    pub status: bool,
    /// Serial speed, when the printer is on a serial link.
    pub baud: u32,
    /// Largest raster band in bytes: under the printer's input buffer.
    pub band_bytes: u32,
}

impl Profile {
    /// Characters a line in font A (12 dots wide).
    pub fn columns(&self) -> usize {
        (self.width_dots / 12) as usize
    }

    pub fn builtin(name: &str) -> Option<Profile> {
        let base = Profile {
            name: name.to_string(),
            width_dots: 576,
            text_mode: TextMode::Tcvn3,
            tcvn3_pages: [30, 31],
            tcvn3_capitals: Tcvn3Capitals::CapitalsPage,
            cp1258_page: 52,
            cancel_chinese: false,
            native_qr: true,
            cutter: true,
            status: true,
            baud: 38400,
            band_bytes: 4096,
        };
        match name {
            // Epson TM-T20 / TM-T82 class: TCVN-3 on pages 30/31, CP1258 on 52, native QR, status.
            "epson-tm-t20" => Some(base),
            // Xprinter-class 80 mm clone: Chinese mode off first, Vietnamese pages unreliable → raster.
            "xprinter-80" => Some(Profile {
                text_mode: TextMode::Raster,
                cancel_chinese: true,
                native_qr: false,
                status: false,
                baud: 9600,
                ..base
            }),
            // Generic 58 mm: 384 dots, raster text, no cutter, no status.
            "generic-58" => Some(Profile {
                width_dots: 384,
                text_mode: TextMode::Raster,
                cancel_chinese: true,
                native_qr: false,
                cutter: false,
                status: false,
                baud: 9600,
                band_bytes: 2048,
                ..base
            }),
            _ => None,
        }
    }

    pub const BUILTIN: &'static str = "epson-tm-t20, xprinter-80, generic-58";
}
