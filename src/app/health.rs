//! Printer health as staff see it on the counter console: what each kiosk's and counter's printer did
//! last, learnt from the outcome of every job and from status checks between jobs, so that staff hear
//! of a paper roll running out before a citizen does.

use crate::print::status::PrinterState;
use crate::print::Outcome;
use serde::{Deserialize, Serialize};

/// One printer's latest state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrinterHealth {
    /// The device it belongs to: a kiosk's device name, or "Quầy N".
    pub device: String,
    /// `ok`, `paper-low`, `paper-out`, `cover-open`, `offline`, `error`, `garbled` or `unconfirmed`.
    pub state: String,
    pub message_vi: String,
    pub message_en: String,
    /// Jobs sent today that the printer could not confirm (check them by eye).
    pub unconfirmed: u32,
    pub at_ms: i64,
}

/// The state a status check found, in the console's words.
pub fn of_state(state: &PrinterState) -> (&'static str, String, String) {
    (state.label(), state.message_vi(), state.to_string())
}

/// The printer state an outcome's text names, for kiosks of the previous release, which send the text
/// without the state: its words begin with the state's English words when a status answer stopped the
/// job; anything else is a link that did not open or broke. Goes with the old spelling of not-printed.
pub fn guessed_from_text(why: &str) -> PrinterState {
    if why.starts_with("paper out") {
        PrinterState::PaperOut
    } else if why.starts_with("cover open") {
        PrinterState::CoverOpen
    } else if why.starts_with("error") || why.starts_with("garbled") {
        PrinterState::Error(why.to_string())
    } else {
        PrinterState::NoAnswer
    }
}

/// What a job's outcome says of its printer.
pub fn of_outcome(outcome: &Outcome) -> (&'static str, String, String) {
    match outcome {
        Outcome::Printed { warning: None } => of_state(&PrinterState::Ready),
        Outcome::Printed { warning: Some(_) } => of_state(&PrinterState::PaperNearEnd),
        Outcome::SentUnconfirmed { why } => (
            "unconfirmed",
            "Đã gửi nhưng máy in không xác nhận: kiểm tra phiếu vừa in".into(),
            format!("sent, unconfirmed: {why}"),
        ),
        Outcome::NotPrinted { printer, why } => {
            let (label, vi, _) = of_state(printer);
            (label, vi, format!("not printed: {why}"))
        }
    }
}

/// The next health of a device's printer after `label` was seen; unconfirmed jobs add up through the day.
pub fn next(
    previous: Option<&PrinterHealth>,
    device: &str,
    (label, vi, en): (&str, String, String),
    at_ms: i64,
    same_day: bool,
) -> PrinterHealth {
    let carried = previous.filter(|_| same_day).map_or(0, |p| p.unconfirmed);
    let unconfirmed = carried + u32::from(label == "unconfirmed");
    PrinterHealth {
        device: device.to_string(),
        state: label.to_string(),
        message_vi: vi,
        message_en: en,
        unconfirmed,
        at_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_name_the_printer_problem() {
        let not = |printer: PrinterState| of_outcome(&Outcome::NotPrinted { printer, why: "x".into() }).0;
        assert_eq!(not(PrinterState::PaperOut), "paper-out");
        assert_eq!(not(PrinterState::CoverOpen), "cover-open");
        assert_eq!(not(PrinterState::Error("cutter jam".into())), "error");
        assert_eq!(not(PrinterState::NoAnswer), "offline");
        // A kiosk of the previous release sends only the text.
        let guessed = |why: &str| of_state(&guessed_from_text(why)).0;
        assert_eq!(guessed("paper out"), "paper-out");
        assert_eq!(guessed("cover open during printing; the paper may hold part of the job"), "cover-open");
        assert_eq!(guessed("error: cutter jam"), "error");
        assert_eq!(guessed("cannot open /dev/ttyUSB0: No such file or directory"), "offline");
        assert_eq!(guessed("no answer (disconnected or switched off)"), "offline");
        assert_eq!(of_outcome(&Outcome::Printed { warning: None }).0, "ok");
        assert_eq!(of_outcome(&Outcome::Printed { warning: Some("paper near end".into()) }).0, "paper-low");
        let (label, vi, _) = of_outcome(&Outcome::SentUnconfirmed { why: "no confirmation".into() });
        assert_eq!(label, "unconfirmed");
        assert!(vi.contains("không xác nhận"), "{vi}");
    }

    #[test]
    fn unconfirmed_jobs_add_up_until_the_day_changes() {
        let unconfirmed = || of_outcome(&Outcome::SentUnconfirmed { why: "x".into() });
        let a = next(None, "kiosk-1", unconfirmed(), 1, true);
        let b = next(Some(&a), "kiosk-1", unconfirmed(), 2, true);
        let c = next(Some(&b), "kiosk-1", of_outcome(&Outcome::Printed { warning: None }), 3, true);
        assert_eq!((a.unconfirmed, b.unconfirmed, c.unconfirmed), (1, 2, 2));
        assert_eq!(c.state, "ok");
        let d = next(Some(&c), "kiosk-1", unconfirmed(), 4, false);
        assert_eq!(d.unconfirmed, 1);
    }
}
