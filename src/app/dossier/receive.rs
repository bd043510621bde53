//! "Tiếp nhận hồ sơ" at a counter: what the counter enters (with the chip ID card scanned at the kiosk
//! filling in the form), the new code and appointment, and why a receipt is refused.

use super::{limit_of, local_ms, worded, DossierError};
use crate::app::queue;
use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::clock::{local_day, millis, Clock, VIETNAM};
use crate::domain::dossier::{mask_name, DossierCode, Status};
use crate::store::dossier::{self as repo, DossierEvent, DossierRow};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

/// What the counter enters when it receives a dossier ("Tiếp nhận hồ sơ").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receive {
    pub procedure_code: String,
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_phone: String,
    #[serde(default)]
    pub documents: Vec<String>,
    /// The applicant's ID number (12 digits, or 9 of the old card), as the counter confirmed it from the
    /// scanned chip ID card or typed it; empty for none.
    #[serde(default)]
    pub applicant_id: String,
    /// The applicant's date of birth ("01/01/1950" or "1950-01-01"); empty for none.
    #[serde(default)]
    pub applicant_birth: String,
}

/// A dossier just received, for the receipt and the console.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Received {
    pub code: String,
    pub token: String,
    pub ticket: String,
    pub procedure: String,
    /// Masked, as the receipt prints it.
    pub applicant: String,
    pub documents: Vec<String>,
    /// The procedure's time limit as it words it.
    pub time_limit: String,
    pub received: String,
    pub appointment: Option<String>,
    pub provisional: bool,
    pub collect_at: String,
}

/// Why a counter cannot receive a dossier now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiveRefusal {
    NoTicket,
    UnknownProcedure(String),
    BadPhone,
    NoName,
    BadId,
    BadBirth,
}

impl ReceiveRefusal {
    pub fn vi(&self) -> String {
        match self {
            ReceiveRefusal::NoTicket => "Quầy chưa gọi số nào: gọi số của công dân trước khi tiếp nhận hồ sơ.".into(),
            ReceiveRefusal::UnknownProcedure(c) => format!("Không có thủ tục mã {c} trong danh mục."),
            ReceiveRefusal::BadPhone => "Số điện thoại không hợp lệ (8 đến 13 chữ số).".into(),
            ReceiveRefusal::NoName => "Cần nhập họ tên người nộp.".into(),
            ReceiveRefusal::BadId => "Số định danh cá nhân không hợp lệ (12 chữ số, hoặc 9 chữ số CMND).".into(),
            ReceiveRefusal::BadBirth => "Ngày sinh không hợp lệ (ngày/tháng/năm).".into(),
        }
    }

    pub fn en(&self) -> String {
        match self {
            ReceiveRefusal::NoTicket => "no ticket at this counter: call the citizen's number first".into(),
            ReceiveRefusal::UnknownProcedure(c) => format!("no procedure {c} in the catalog"),
            ReceiveRefusal::BadPhone => "not a phone number (8 to 13 digits)".into(),
            ReceiveRefusal::NoName => "the applicant's name is required".into(),
            ReceiveRefusal::BadId => "not a personal ID number (12 digits, or the old card's 9)".into(),
            ReceiveRefusal::BadBirth => "not a date of birth (day/month/year)".into(),
        }
    }
}

/// The next code for a dossier received now: the agency, today, and the sequence after the highest used
/// today (or this year, with `sequence_reset = "yearly"`).
fn next_code(conn: &rusqlite::Connection, config: &Config, today: time::Date) -> Result<DossierCode, DossierError> {
    let agency = match config.dossiers.agency_code.trim() {
        "" => config.center.agency_code.trim(),
        a => a,
    };
    let first = DossierCode::new(agency, today, 0);
    // "H99-26" for the year, "H99-260804-" for the day; "~" sorts after every digit.
    let from = match config.dossiers.sequence_reset.as_str() {
        "yearly" => format!("{}-{:02}", first.agency, today.year() % 100),
        _ => {
            let text = first.to_string();
            text[..text.len() - 4].to_string()
        }
    };
    let to = format!("{from}~");
    let highest = repo::codes_between(conn, &from, &to)?
        .iter()
        .filter_map(|c| DossierCode::parse(c))
        .filter(|c| c.agency == first.agency)
        .map(|c| c.seq)
        .max()
        .unwrap_or(0);
    Ok(DossierCode::new(agency, today, highest + 1))
}

/// A chip ID card held for the ticket a counter has called or is serving, for its receive form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCard {
    /// The ticket's number, so the counter sees whose card it is.
    pub ticket: String,
    pub id: String,
    /// "01/01/1950"
    pub birth: String,
    /// Only when the scanner delivered it intact.
    pub name: Option<String>,
}

/// The card scanned with the ticket at `counter` now, if any (it is erased once a dossier is received).
pub fn held_card(store: &Store, counter: u32, clock: &dyn Clock) -> Result<Option<HeldCard>, DossierError> {
    let found = crate::store::idcard::at_counter(store.conn(), &local_day(clock.now()), counter)?;
    Ok(found.map(|(ticket, card)| HeldCard {
        ticket,
        id: card.number,
        birth: crate::domain::idcard::birth_text(card.birth),
        name: card.name,
    }))
}

/// Receives a dossier at a counter for the ticket it is serving: a new code, the appointment from the
/// procedure's time limit on the working-day calendar, status 2 (Được tiếp nhận), linked to the ticket so
/// that the ticket's QR follows the dossier from now on.
pub fn receive(
    store: &mut Store,
    config: &Config,
    calendar: &Calendar,
    counter: u32,
    req: &Receive,
    clock: &dyn Clock,
) -> Result<Result<Received, ReceiveRefusal>, DossierError> {
    let now = clock.now().to_offset(VIETNAM);
    let received = PrimitiveDateTime::new(now.date(), now.time());
    let name = req.applicant_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Ok(Err(ReceiveRefusal::NoName));
    }
    let phone: String = req.applicant_phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if !phone.is_empty() && !(8..=13).contains(&phone.len()) {
        return Ok(Err(ReceiveRefusal::BadPhone));
    }
    let id_number = req.applicant_id.trim();
    if !id_number.is_empty() && !crate::domain::idcard::valid_number(id_number) {
        return Ok(Err(ReceiveRefusal::BadId));
    }
    let birth = match req.applicant_birth.trim() {
        "" => None,
        b => match crate::domain::idcard::parse_birth(b).filter(|d| *d <= now.date()) {
            Some(d) => Some(d),
            None => return Ok(Err(ReceiveRefusal::BadBirth)),
        },
    };
    let change = store.change()?;
    let Some(ticket) = crate::store::queue::at_counter(&change, &local_day(clock.now()), counter)?.pop() else {
        return Ok(Err(ReceiveRefusal::NoTicket));
    };
    let Some(procedure) = crate::store::catalog::versions(&change, req.procedure_code.trim())?.pop() else {
        return Ok(Err(ReceiveRefusal::UnknownProcedure(req.procedure_code.clone())));
    };
    let limit = limit_of(&procedure.procedure, 1);
    let appointment = limit.as_ref().and_then(|l| calendar.appointment(received, l));
    let code = next_code(&change, config, now.date())?;
    let now_ms = millis(clock.now());
    let row = DossierRow {
        id: 0,
        code: code.to_string(),
        token: queue::token().map_err(|e| DossierError::Random(e.to_string()))?,
        procedure_code: procedure.procedure.code.clone(),
        procedure_name: procedure.procedure.name.clone(),
        procedure_version: Some(procedure.version),
        channel: 1,
        applicant_name: Some(name),
        applicant_phone: (!phone.is_empty()).then_some(phone),
        received_ms: now_ms,
        appointment_ms: appointment.map(|a| local_ms(a.at)),
        appointment_provisional: appointment.is_some_and(|a| a.provisional),
        status: Status::Accepted.code(),
        collect_at: config.dossiers.collect_at.clone(),
        documents: serde_json::to_string(&req.documents).unwrap_or_else(|_| "[]".into()),
        ticket_id: Some(ticket.id),
        source: format!("counter {counter}"),
        returned_ms: None,
        updated_ms: now_ms,
    };
    let id = repo::insert(&change, &row)?;
    if !id_number.is_empty() || birth.is_some() {
        let birth = birth.map(crate::domain::idcard::iso_date).unwrap_or_default();
        repo::set_identity(&change, id, id_number, &birth)?;
    }
    repo::add_event(&change, id, &DossierEvent { at_ms: now_ms, status: row.status, note: String::new() })?;
    change.commit()?;
    Ok(Ok(Received {
        code: row.code,
        token: row.token,
        ticket: ticket.number,
        procedure: row.procedure_name,
        applicant: row.applicant_name.as_deref().map(mask_name).unwrap_or_default(),
        documents: req.documents.clone(),
        time_limit: limit.map(|l| l.text).unwrap_or_default(),
        received: worded(received),
        appointment: appointment.map(|a| worded(a.at)),
        provisional: appointment.is_some_and(|a| a.provisional),
        collect_at: row.collect_at,
    }))
}
