//! Reaching a hub on another machine over plain HTTP on the hall's LAN: what a kiosk with `--hub URL`
//! uses to take numbers. Errors keep the hub's bilingual message.

use super::api::{CardBody, ErrorBody, IssueRequest, OutcomeRequest, PrinterReport, StateBody};
use crate::app::queue::{IssueError, Issuer, Reserved, ServiceView, Serving, Snapshot, TicketStatus};
use crate::domain::idcard::IdCard;
use crate::print::status::PrinterState;
use crate::print::Outcome;
use std::time::Duration;

/// A 404 from the hub means "no such thing", not a failure.
fn absent_on_404<T>(answer: Result<T, IssueError>) -> Result<Option<T>, IssueError> {
    match answer {
        Ok(found) => Ok(Some(found)),
        Err(IssueError::Hub { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The largest catalog a kiosk takes from its hub (a province's 10,000 procedures are about 15 MiB).
const CATALOG_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Times a reservation is sent again after no answer or a 503.
const RETRIES: u64 = 1;

pub struct RemoteHub {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl RemoteHub {
    pub fn new(base: &str, token: &str) -> RemoteHub {
        RemoteHub { base: base.trim_end_matches('/').to_string(), token: token.to_string(), agent: agent(None) }
    }

    /// The same, trusting only the hall CA for an `https://` hub (`tls::trust_for`).
    pub fn trusting(self, trust: Option<&crate::tls::Trust>) -> RemoteHub {
        RemoteHub { agent: agent(trust), ..self }
    }

    /// Whether what is sent is encrypted on the way: an `https://` hub.
    pub fn private(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The whole hall, as a board or console draws it before following events.
    pub fn snapshot(&self) -> Result<Snapshot, IssueError> {
        self.get("/api/v1/snapshot")
    }

    /// The published catalog's bytes and stamp (`GET /api/v1/catalog`); None when it is still `known`.
    pub fn catalog(&self, known: Option<&str>) -> Result<Option<(String, Vec<u8>)>, IssueError> {
        let mut request = self
            .agent
            .get(&format!("{}/api/v1/catalog", self.base))
            .header("Authorization", &format!("Bearer {}", self.token));
        if let Some(stamp) = known {
            request = request.header("If-None-Match", stamp);
        }
        let unreachable = |detail: String| IssueError::Unreachable { url: self.base.clone(), detail };
        let mut response = request.call().map_err(|e| unreachable(e.to_string()))?;
        match response.status().as_u16() {
            304 => Ok(None),
            200 => {
                let stamp = response.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(CATALOG_MAX_BYTES)
                    .read_to_vec()
                    .map_err(|e| unreachable(format!("the catalog did not come whole: {e}")))?;
                Ok(Some((stamp, body)))
            }
            status => Err(IssueError::Hub {
                status,
                message_vi: format!("Máy chủ không gửi danh mục thủ tục (lỗi {status})."),
                message_en: format!("the hub did not send the catalog ({status})"),
            }),
        }
    }

    fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: &impl serde::Serialize) -> Result<T, IssueError> {
        let sent = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(body);
        self.answer(sent)
    }

    /// `post`, sent again (the same body, so the same key) while the hub cannot be reached or asks to retry.
    fn post_again<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, IssueError> {
        let mut tries = 0;
        loop {
            match self.post(path, body) {
                Err(IssueError::Unreachable { .. } | IssueError::Hub { status: 503, .. }) if tries < RETRIES => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(300 * tries));
                }
                other => return other,
            }
        }
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, IssueError> {
        let sent = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call();
        self.answer(sent)
    }

    fn answer<T: serde::de::DeserializeOwned>(
        &self,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, IssueError> {
        let unreachable = |detail: String| IssueError::Unreachable { url: self.base.clone(), detail };
        let mut response = sent.map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return response.body_mut().read_json().map_err(|e| unreachable(format!("unreadable answer: {e}")));
        }
        match response.body_mut().read_json::<ErrorBody>() {
            Ok(e) => Err(IssueError::Hub { status, message_vi: e.message_vi, message_en: e.message_en }),
            Err(_) => Err(IssueError::Hub {
                status,
                message_vi: format!("Máy chủ trả lời lỗi {status}."),
                message_en: format!("the hub answered {status}"),
            }),
        }
    }
}

impl Issuer for RemoteHub {
    fn reserve(&self, service: &str, priority: Option<&str>, card: Option<&IdCard>) -> Result<Reserved, IssueError> {
        // The same key on every try: an answer lost on the way (or a batch the hub could not save) is
        // asked for again and gives the same ticket, never a second number.
        let key = crate::app::queue::token()?;
        // A card travels only over HTTPS: over plain HTTP it stays here (the kiosk does not offer the scan).
        let card = card.filter(|_| self.private()).map(CardBody::from);
        let body =
            IssueRequest { service: service.into(), priority: priority.map(str::to_string), key: Some(key), card };
        self.post_again("/api/v1/tickets", &body)
    }

    fn check_in(&self, booking: &crate::app::booking::BookingKey) -> Result<Reserved, IssueError> {
        // As a ticket: the same key on every try, so a lost answer never gives a second number.
        let body = super::api::CheckInRequest { booking: booking.clone(), key: Some(crate::app::queue::token()?) };
        self.post_again("/api/v1/bookings/check-in", &body)
    }

    fn report(&self, ticket_id: i64, outcome: &Outcome) -> Result<crate::domain::ticket::TicketState, IssueError> {
        let body: StateBody =
            self.post(&format!("/api/v1/tickets/{ticket_id}/outcome"), &OutcomeRequest::of(outcome))?;
        Ok(body.state)
    }

    fn services(&self) -> Result<Vec<ServiceView>, IssueError> {
        self.get("/api/v1/services")
    }

    fn serving(&self) -> Result<Vec<Serving>, IssueError> {
        Ok(self.get::<Snapshot>("/api/v1/snapshot")?.serving())
    }

    fn status(&self, token: &str) -> Result<Option<TicketStatus>, IssueError> {
        // The hub's own check: anything else is no ticket, and never goes into the path.
        if !super::auth::plausible(token) {
            return Ok(None);
        }
        absent_on_404(self.get(&format!("/api/v1/t/{token}")))
    }

    fn dossier(&self, code: &str) -> Result<Option<crate::app::dossier::CodeStatus>, IssueError> {
        // Only a well-formed code goes into the path.
        let Some(code) = crate::domain::dossier::DossierCode::parse(code) else { return Ok(None) };
        absent_on_404(self.get(&format!("/api/v1/dossiers/{code}")))
    }

    fn dossier_verify(&self, code: &str, last4: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        let Some(code) = crate::domain::dossier::DossierCode::parse(code) else { return Ok(None) };
        let body = super::dossiers::VerifyRequest { phone_last4: last4.to_string() };
        absent_on_404(self.post(&format!("/api/v1/dossiers/{code}/verify"), &body))
    }

    fn dossier_details(&self, token: &str) -> Result<Option<crate::app::dossier::Details>, IssueError> {
        if !super::auth::plausible(token) {
            return Ok(None);
        }
        absent_on_404(self.get(&format!("/api/v1/d/{token}")))
    }

    fn rate(&self, token: &str, sent: &crate::app::rating::Sent) -> Result<crate::app::rating::RatingView, IssueError> {
        // The hub's own check: anything else is no ticket, and never goes into the path.
        if !super::auth::plausible(token) {
            let r = crate::domain::rating::RatingRefusal::UnknownTicket;
            return Err(IssueError::Hub { status: 404, message_vi: r.message_vi(), message_en: r.to_string() });
        }
        self.post(&format!("/api/v1/t/{token}/rating"), sent)
    }

    fn sms(&self, token: &str, phone: &str) -> Result<crate::app::sms::Consented, IssueError> {
        if !super::auth::plausible(token) {
            let r = crate::app::sms::ConsentRefusal::NoTicket;
            return Err(IssueError::Hub { status: 404, message_vi: r.vi().into(), message_en: r.en().into() });
        }
        self.post(&format!("/api/v1/t/{token}/sms"), &super::sms::ConsentRequest { phone: phone.to_string() })
    }

    fn printer_checked(&self, state: &PrinterState) -> Result<(), IssueError> {
        let (label, _, detail) = crate::app::health::of_state(state);
        let body = PrinterReport { state: label.to_string(), detail: Some(detail) };
        self.post::<crate::app::health::PrinterHealth>("/api/v1/printers", &body).map(|_| ())
    }
}

/// The HTTP client of a kiosk or board: answers of every status read, ten seconds at most, and for HTTPS
/// the hall CA alone.
pub(crate) fn agent(trust: Option<&crate::tls::Trust>) -> ureq::Agent {
    let tls = trust.map_or_else(crate::tls::Trust::nothing, crate::tls::Trust::ureq);
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .tls_config(tls)
        .build()
        .into()
}
