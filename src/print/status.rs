//! Printer status from `DLE EOT` answers (one byte each, pattern `0xx1xx10`), classified into what the
//! kiosk and staff must know. The bit meanings come from the `escpos` crate's parser.

use escpos::utils::{RealTimeStatusRequest, RealTimeStatusResponse};
use std::fmt;

/// `DLE EOT n` for printer status (1), offline cause (2) and roll paper sensor (4).
pub const QUERY_PRINTER: [u8; 3] = [0x10, 0x04, 1];
pub const QUERY_OFFLINE: [u8; 3] = [0x10, 0x04, 2];
pub const QUERY_PAPER: [u8; 3] = [0x10, 0x04, 4];
/// `GS r 1`: paper sensor status, answered only after everything sent before it was processed.
pub const CONFIRM: [u8; 3] = [0x1D, b'r', 1];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterState {
    Ready,
    /// Printing works, but the roll is nearly used up: staff should change it soon.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Offline or in error for another reason (cutter jam, overheating, unrecoverable error).
    Error(String),
    /// Nothing answered: unplugged, switched off, or the wrong port.
    NoAnswer,
    /// Something answered, but not a status byte: wrong speed, wrong device, or line noise.
    Garbled(Vec<u8>),
}

impl PrinterState {
    /// Whether a job may be sent.
    pub fn can_print(&self) -> bool {
        matches!(self, PrinterState::Ready | PrinterState::PaperNearEnd)
    }

    /// Whether the printer stopped for a reason it can tell (paper out, cover open, offline or in error),
    /// rather than answering something that is not a printer's status: the kiosk then shows the number on
    /// screen ("phiếu điện tử") and the ticket joins the line whatever `[queue] not_printed` says.
    pub fn shows_number_on_screen(&self) -> bool {
        matches!(
            self,
            PrinterState::PaperOut | PrinterState::CoverOpen | PrinterState::NoAnswer | PrinterState::Error(_)
        )
    }

    /// The state's one spelling on the wire and on the console: `ok`, `paper-low`, `paper-out`,
    /// `cover-open`, `offline`, `error` or `garbled` (an answer that is not a printer's status).
    pub fn label(&self) -> &'static str {
        match self {
            PrinterState::Ready => "ok",
            PrinterState::PaperNearEnd => "paper-low",
            PrinterState::PaperOut => "paper-out",
            PrinterState::CoverOpen => "cover-open",
            PrinterState::NoAnswer => "offline",
            PrinterState::Error(_) => "error",
            PrinterState::Garbled(_) => "garbled",
        }
    }

    /// The state a label names; `error` carries `detail`.
    pub fn from_label(label: &str, detail: &str) -> Option<PrinterState> {
        Some(match label {
            "ok" => PrinterState::Ready,
            "paper-low" => PrinterState::PaperNearEnd,
            "paper-out" => PrinterState::PaperOut,
            "cover-open" => PrinterState::CoverOpen,
            "offline" => PrinterState::NoAnswer,
            "error" => PrinterState::Error(detail.to_string()),
            "garbled" => PrinterState::Garbled(Vec::new()),
            _ => return None,
        })
    }

    /// What staff read, in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            PrinterState::Ready => "Máy in sẵn sàng".into(),
            PrinterState::PaperNearEnd => "Sắp hết giấy: cần thay cuộn giấy mới".into(),
            PrinterState::PaperOut => "Máy in hết giấy".into(),
            PrinterState::CoverOpen => "Nắp máy in đang mở".into(),
            PrinterState::Error(why) => format!("Máy in báo lỗi ({why})"),
            PrinterState::NoAnswer => "Máy in không trả lời: kiểm tra nguồn điện và dây cáp".into(),
            PrinterState::Garbled(_) => "Máy in trả lời không hợp lệ: kiểm tra tốc độ cổng và dây cáp".into(),
        }
    }
}

impl fmt::Display for PrinterState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterState::Ready => write!(f, "ready"),
            PrinterState::PaperNearEnd => write!(f, "paper near end"),
            PrinterState::PaperOut => write!(f, "paper out"),
            PrinterState::CoverOpen => write!(f, "cover open"),
            PrinterState::Error(why) => write!(f, "error: {why}"),
            PrinterState::NoAnswer => write!(f, "no answer (disconnected or switched off)"),
            PrinterState::Garbled(bytes) => write!(f, "garbled answer {bytes:02X?}"),
        }
    }
}

fn flags(request: RealTimeStatusRequest, byte: u8) -> Option<std::collections::HashMap<RealTimeStatusResponse, bool>> {
    RealTimeStatusResponse::parse(request, byte).ok().map(|m| m.into_iter().collect())
}

/// Classifies the answers to the three queries (each `None` when nothing came back in time).
pub fn classify(printer: Option<u8>, offline: Option<u8>, paper: Option<u8>) -> PrinterState {
    use RealTimeStatusResponse as R;
    let (Some(p), Some(o), Some(r)) = (printer, offline, paper) else {
        return match (printer, offline, paper) {
            (None, None, None) => PrinterState::NoAnswer,
            _ => PrinterState::Garbled([printer, offline, paper].into_iter().flatten().collect()),
        };
    };
    let (Some(pf), Some(of), Some(rf)) = (
        flags(RealTimeStatusRequest::Printer, p),
        flags(RealTimeStatusRequest::OfflineCause, o),
        flags(RealTimeStatusRequest::RollPaperSensor, r),
    ) else {
        return PrinterState::Garbled(vec![p, o, r]);
    };
    let on = |m: &std::collections::HashMap<R, bool>, k: R| m.get(&k).copied().unwrap_or(false);
    if on(&of, R::PrintingStopsDueToPaperEnd) || !on(&rf, R::RollPaperEndSensorPaperPresent) {
        return PrinterState::PaperOut;
    }
    if !on(&of, R::CoverClosed) {
        return PrinterState::CoverOpen;
    }
    if on(&of, R::ErrorOccurred) {
        return PrinterState::Error("error reported".into());
    }
    if !on(&pf, R::Online) {
        return PrinterState::Error("offline".into());
    }
    if !on(&rf, R::RollPaperNearEndSensorPaperAdequate) {
        return PrinterState::PaperNearEnd;
    }
    PrinterState::Ready
}

/// Answers a printer in a given state gives to the three queries, for simulators and tests.
pub fn answers_for(state: &PrinterState) -> [u8; 3] {
    match state {
        PrinterState::PaperNearEnd => [0x16, 0x12, 0x1E],
        PrinterState::PaperOut => [0x1E, 0x32, 0x7E],
        PrinterState::CoverOpen => [0x1E, 0x16, 0x12],
        PrinterState::Error(_) => [0x1E, 0x52, 0x12],
        _ => [0x16, 0x12, 0x12],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let answer = |s: &PrinterState| {
            let [a, b, c] = answers_for(s);
            classify(Some(a), Some(b), Some(c))
        };
        for state in [
            PrinterState::Ready,
            PrinterState::PaperNearEnd,
            PrinterState::PaperOut,
            PrinterState::CoverOpen,
            PrinterState::Error("error reported".into()),
        ] {
            assert_eq!(answer(&state), state);
        }
        assert_eq!(classify(None, None, None), PrinterState::NoAnswer);
        assert_eq!(classify(Some(0xFF), Some(0x12), Some(0x12)), PrinterState::Garbled(vec![0xFF, 0x12, 0x12]));
        assert_eq!(classify(Some(0x16), None, None), PrinterState::Garbled(vec![0x16]));
        assert!(!PrinterState::PaperOut.can_print() && PrinterState::PaperNearEnd.can_print());
    }
}
