//! The hub in this process, as the kiosk on the same machine takes numbers from it: the `Issuer` calls
//! without a network in between, with the same retries, limits and read models as over HTTP.

use super::{dossiers, Hub, Verified};
use crate::app::queue::{self, IssueError, Issuer, QueueError, Reserved};
use crate::app::{health, rating};
use crate::domain::idcard::IdCard;
use crate::domain::rating::Source;
use crate::domain::ticket::TicketState;
use crate::print::Outcome;

/// The hub in this process is an issuer without a network in between.
impl Issuer for Hub {
    fn reserve(&self, service: &str, priority: Option<&str>, card: Option<&IdCard>) -> Result<Reserved, IssueError> {
        // A batch that failed as a whole is tried again under the same key: never a second number.
        let key = format!("{LOCAL_KIOSK}:{}", queue::token()?);
        let mut tries = 0;
        loop {
            let (service, priority, key) = (service.to_string(), priority.map(str::to_string), key.clone());
            let card = card.cloned();
            let reserved = self.change(move |store, config, clock| {
                queue::reserve_holding(store, config, &service, priority.as_deref(), Some(&key), card.as_ref(), clock)
            });
            match reserved {
                Err(QueueError::Retry(why)) if tries < RETRIES => {
                    tries += 1;
                    tracing::warn!(why, tries, "reservation not saved; trying again");
                    std::thread::sleep(std::time::Duration::from_millis(200 * tries));
                }
                other => return Ok(other?),
            }
        }
    }

    fn check_in(&self, booking: &crate::app::booking::BookingKey) -> Result<Reserved, IssueError> {
        let key = format!("{LOCAL_KIOSK}:{}", queue::token()?);
        let mut tries = 0;
        loop {
            match self.check_in_booking(&format!("kiosk:{LOCAL_KIOSK}"), booking, Some(&key)) {
                Err(QueueError::Retry(why)) if tries < RETRIES => {
                    tries += 1;
                    tracing::warn!(why, tries, "check-in not saved; trying again");
                    std::thread::sleep(std::time::Duration::from_millis(200 * tries));
                }
                other => return Ok(other?),
            }
        }
    }

    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<TicketState, IssueError> {
        let outcome = outcome.clone();
        let seen = health::of_outcome(&outcome);
        let row =
            self.change(move |store, config, clock| queue::record_outcome(store, config, ticket_id, &outcome, clock))?;
        self.note_printer(LOCAL_KIOSK, seen);
        Ok(row.state)
    }

    fn services(&self) -> Result<Vec<queue::ServiceView>, IssueError> {
        let services = self.services()?;
        Ok(Vec::clone(&services))
    }

    fn serving(&self) -> Result<Vec<queue::Serving>, IssueError> {
        Ok(self.snapshot()?.serving())
    }

    fn status(&self, token: &str) -> Result<Option<queue::TicketStatus>, IssueError> {
        let token = token.to_string();
        Ok(self.read(move |store, config, clock| queue::status_by_token(store, config, &token, clock))?)
    }

    fn printer_checked(&self, state: &crate::print::status::PrinterState) -> Result<(), IssueError> {
        self.note_printer(LOCAL_KIOSK, health::of_state(state));
        Ok(())
    }

    fn sms(&self, token: &str, phone: &str) -> Result<crate::app::sms::Consented, IssueError> {
        use crate::app::sms::{consent, TicketRef};
        let (token, phone) = (token.to_string(), phone.to_string());
        let given = self.change(move |store, config, clock| {
            consent(store, config, TicketRef::Token(&token), &phone, "kiosk", clock)
        })?;
        given.map_err(|r| IssueError::Hub { status: 409, message_vi: r.vi().into(), message_en: r.en().into() })
    }

    fn rate(&self, token: &str, sent: &rating::Sent) -> Result<rating::RatingView, IssueError> {
        let (which, sent) = (rating::Which::Token(token.to_string()), sent.clone());
        Ok(self.change(move |store, config, clock| rating::rate(store, config, &which, &sent, Source::Kiosk, clock))?)
    }

    fn dossier(&self, code: &str) -> Result<Option<crate::app::dossier::CodeStatus>, IssueError> {
        if !self.dossier_lookup_allowed(&format!("kiosk:{LOCAL_KIOSK}"), true) {
            let (vi, en) = dossiers::TOO_MANY;
            return Err(IssueError::Hub { status: 429, message_vi: vi.into(), message_en: en.into() });
        }
        let code = code.to_string();
        Ok(self.read(move |store, _, clock| Ok(crate::app::dossier::by_code(store, &code, clock)?))?)
    }

    fn dossier_verify(&self, code: &str, last4: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        // The kiosk on this machine counts as one trusted client, like a kiosk over HTTP.
        match self.verify_dossier(&format!("kiosk:{LOCAL_KIOSK}"), true, code, last4)? {
            Verified::Found(details) => Ok(Some(*details)),
            Verified::NoMatch => Ok(None),
            Verified::TooMany => {
                let (vi, en) = dossiers::TOO_MANY;
                Err(IssueError::Hub { status: 429, message_vi: vi.into(), message_en: en.into() })
            }
        }
    }

    fn dossier_details(&self, token: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        let token = token.to_string();
        Ok(self.read(move |store, _, clock| Ok(crate::app::dossier::by_token(store, &token, clock)?))?)
    }
}

/// Times a kiosk sends a reservation again after its batch failed.
const RETRIES: u64 = 3;

/// The name under which a kiosk running the hub in its own process reports its printer.
pub const LOCAL_KIOSK: &str = "kiosk";
