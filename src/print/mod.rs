//! Printing: document model → ESC/POS bytes for a printer profile → transport (serial, USB, network, file,
//! virtual) → an outcome callers act on. Layouts never see bytes; transports never see layouts.
//!
//! A job is checked before it is sent (status queries, where the printer answers them) and confirmed after
//! (`GS r`, answered only once everything before it was processed). The outcome says which of printed,
//! sent-but-unconfirmed or not printed happened, and why.

pub mod document;
pub mod encoding;
pub mod layout;
pub mod profile;
pub mod raster;
pub mod render;
pub mod status;
pub mod transport;
pub mod virtual_printer;

use document::Document;
use profile::Profile;
use status::{classify, PrinterState, CONFIRM, QUERY_OFFLINE, QUERY_PAPER, QUERY_PRINTER};
use std::time::Duration;
use transport::Transport;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("{target}: {source}")]
    Io { target: String, source: std::io::Error },
    #[error("{target}: cannot reach the printer: {why}")]
    Unreachable { target: String, why: String },
    #[error("{target}: the printer stopped taking data after {sent} of {total} bytes")]
    Stalled { target: String, sent: usize, total: usize },
    /// The whole job was handed to the link, which then failed while passing it on: the printer may
    /// have printed it.
    #[error("{target}: the link failed after the whole job was handed to it: {source}")]
    Drain { target: String, source: std::io::Error },
    #[error("unknown printer \"{name}\"; configured printers: {known}")]
    UnknownPrinter { name: String, known: String },
    #[error("{0}")]
    Config(String),
}

/// What became of a job. Callers act on it: a ticket joins the queue only when it was printed or at least
/// sent; "not printed" always says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The printer confirmed it processed the job. `warning` is for staff (e.g. paper near end).
    Printed { warning: Option<String> },
    /// Sent in full, but the printer cannot or did not confirm it.
    SentUnconfirmed { why: String },
    /// Not printed: `printer` is the state that stopped it (`NoAnswer` when the link did not open or
    /// broke), `why` the whole explanation for staff and logs.
    NotPrinted { printer: PrinterState, why: String },
}

impl Outcome {
    /// The outcome's one spelling, in the database, on the wire and in the command line's JSON.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Printed { .. } => "printed",
            Outcome::SentUnconfirmed { .. } => "sent-unconfirmed",
            Outcome::NotPrinted { .. } => "not-printed",
        }
    }

    /// A job that never reached the printer: the link did not open or broke.
    pub fn not_reached(e: &dyn std::fmt::Display) -> Outcome {
        Outcome::NotPrinted { printer: PrinterState::NoAnswer, why: e.to_string() }
    }

    /// The printer's state that stopped the job, when it was not printed.
    pub fn stopped_by(&self) -> Option<&PrinterState> {
        match self {
            Outcome::NotPrinted { printer, .. } => Some(printer),
            _ => None,
        }
    }

    /// What staff should read with it: the warning of a printed job, or why it is not known to be printed.
    pub fn detail(&self) -> Option<String> {
        match self {
            Outcome::Printed { warning } => warning.clone(),
            Outcome::SentUnconfirmed { why } | Outcome::NotPrinted { why, .. } => Some(why.clone()),
        }
    }
}

/// Time to push `bytes` through a serial link at `baud` (10 bits a byte).
pub fn transfer_time(bytes: usize, baud: u32) -> Duration {
    Duration::from_secs_f64(bytes as f64 * 10.0 / f64::from(baud.max(300)))
}

/// A named printer: its profile and its link.
pub struct Printer {
    pub name: String,
    pub profile: Profile,
    transport: Box<dyn Transport>,
    /// How long a status query may take before the printer counts as not answering.
    pub query_timeout: Duration,
    /// Set once staff were told this printer cannot confirm jobs.
    warned_unconfirmed: bool,
}

impl Printer {
    pub fn new(name: &str, profile: Profile, transport: Box<dyn Transport>) -> Printer {
        Printer {
            name: name.to_string(),
            profile,
            transport,
            query_timeout: Duration::from_millis(500),
            warned_unconfirmed: false,
        }
    }

    pub fn describe(&self) -> String {
        format!("{} ({}, profile {})", self.name, self.transport.describe(), self.profile.name)
    }

    /// Whether this printer's answers can be asked for at all.
    pub fn reports_status(&self) -> bool {
        self.profile.status && self.transport.two_way()
    }

    /// Asks the three status questions and classifies the answers.
    pub fn status(&mut self) -> Result<PrinterState, PrintError> {
        if !self.reports_status() {
            return Ok(PrinterState::NoAnswer);
        }
        let t = self.query_timeout;
        let printer = self.transport.ask(&QUERY_PRINTER, t)?;
        if printer.is_none() {
            return Ok(PrinterState::NoAnswer);
        }
        let offline = self.transport.ask(&QUERY_OFFLINE, t)?;
        let paper = self.transport.ask(&QUERY_PAPER, t)?;
        Ok(classify(printer, offline, paper))
    }

    pub fn print(&mut self, document: &Document) -> Outcome {
        let (bytes, _notes) = render::render(document, &self.profile);
        self.send_job(&bytes)
    }

    /// Sends a whole job: status first, then the bytes, then the confirmation.
    pub fn send_job(&mut self, bytes: &[u8]) -> Outcome {
        let two_way = self.reports_status();
        let mut warning = None;
        if two_way {
            match self.status() {
                Err(e) => return Outcome::not_reached(&e),
                Ok(state) if !state.can_print() => {
                    return Outcome::NotPrinted { why: state.to_string(), printer: state }
                }
                Ok(PrinterState::PaperNearEnd) => warning = Some(PrinterState::PaperNearEnd.to_string()),
                Ok(_) => {}
            }
        }
        // Allow twice the time the link needs, plus two seconds for the printer to start.
        let transfer = transfer_time(bytes.len(), self.profile.baud);
        let timeout = transfer * 2 + Duration::from_secs(2);
        match self.transport.send(bytes, timeout) {
            Ok(()) => {}
            Err(e @ PrintError::Drain { .. }) => return Outcome::SentUnconfirmed { why: e.to_string() },
            Err(e) => return Outcome::not_reached(&e),
        }
        if !two_way {
            if !self.warned_unconfirmed {
                self.warned_unconfirmed = true;
                tracing::warn!(printer = %self.describe(), "this printer cannot confirm jobs: check its paper by eye");
            }
            return Outcome::SentUnconfirmed { why: format!("{} cannot report status", self.describe()) };
        }
        // The answer to GS r comes once the job is processed: printing takes about as long again.
        let wait = timeout + self.query_timeout;
        match self.transport.ask(&CONFIRM, wait) {
            Ok(Some(_)) => Outcome::Printed { warning },
            // Real-time status is answered even while the printer is stopped: it says why.
            Ok(None) => match self.status() {
                Ok(state) if !state.can_print() && state != PrinterState::NoAnswer => {
                    let why = format!("{state} during printing; the paper may hold part of the job");
                    Outcome::NotPrinted { printer: state, why }
                }
                _ => Outcome::SentUnconfirmed { why: format!("no confirmation within {:.1} s", wait.as_secs_f64()) },
            },
            Err(e) => Outcome::SentUnconfirmed { why: e.to_string() },
        }
    }
}
