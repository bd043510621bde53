//! Dossiers as citizens follow them: import from the back office (all or nothing, idempotent by code),
//! the public answer to a code (nothing personal), the details behind a token or a code with the last
//! digits of the applicant's phone, and the purge of personal data after the result is handed over.

mod receive;

pub use receive::{held_card, receive, HeldCard, Receive, ReceiveRefusal, Received};

use crate::app::queue;
use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::catalog::{ChannelKind, Procedure, TimeLimit};
use crate::domain::clock::{instant, millis, Clock, VIETNAM};
use crate::domain::dossier::{mask_name, overdue, DossierCode, Status};
use crate::interchange::dossiers::DossierRecord;
use crate::store::dossier::{self as repo, DossierEvent, DossierRow};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no random source for dossier tokens: {0}")]
    Random(String),
    #[error("working-day calendar: {0}")]
    Calendar(String),
}

impl From<DossierError> for crate::app::queue::QueueError {
    fn from(e: DossierError) -> Self {
        match e {
            DossierError::Store(e) => crate::app::queue::QueueError::Store(e),
            other => crate::app::queue::QueueError::Stopped(other.to_string()),
        }
    }
}

/// The working-day calendar with the years staff entered on the admin page, which take the place of a
/// bundled year or a file of the same number (see `calendar`).
pub fn calendar_stored(config: &Config, store: &crate::store::Store) -> Result<Calendar, DossierError> {
    let mut years = calendar_years(config)?;
    for entered in crate::store::calendar::years(store.conn())? {
        let origin = format!("năm {} nhập trên trang quản trị", entered.year);
        let year = crate::interchange::calendar::parse_year(&entered.body, &origin).map_err(DossierError::Calendar)?;
        years.retain(|y| y.year != year.year);
        years.push(year);
    }
    Ok(Calendar::new(years, Default::default()))
}

/// The working-day calendar: the built-in years, then `[dossiers] calendar_dir`'s `YYYY.toml` files, which
/// replace a built-in year of the same number. The hub adds the years staff entered (`calendar_stored`).
pub fn calendar(config: &Config) -> Result<Calendar, DossierError> {
    Ok(Calendar::new(calendar_years(config)?, Default::default()))
}

fn calendar_years(config: &Config) -> Result<Vec<crate::domain::calendar::CalendarYear>, DossierError> {
    let mut years = crate::interchange::calendar::bundled();
    let dir = config.dossiers.calendar_dir.trim();
    if !dir.is_empty() {
        let entries = std::fs::read_dir(dir).map_err(|e| DossierError::Calendar(format!("{dir}: {e}")))?;
        let mut files: Vec<_> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| DossierError::Calendar(format!("{}: {e}", path.display())))?;
            let year = crate::interchange::calendar::parse_year(&text, &path.display().to_string())
                .map_err(DossierError::Calendar)?;
            years.retain(|y| y.year != year.year);
            years.push(year);
        }
    }
    Ok(years)
}

/// What anyone holding the code may see: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStatus {
    pub code: String,
    pub procedure: String,
    pub status: u8,
    pub status_vi: String,
    pub status_en: String,
    /// "09 giờ 30 phút, ngày 07/08/2026"
    pub appointment: Option<String>,
    /// The appointment rests on a calendar not yet announced ("dự kiến").
    pub provisional: bool,
    pub overdue: bool,
    pub collect_at: String,
}

/// What a dossier's code alone shows: the status and the appointment, nothing about the matter or the
/// person (codes count up each day, so anyone can try them). The procedure needs the receipt's QR or the
/// phone's last digits (`Details`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeStatus {
    pub code: String,
    pub status: u8,
    pub status_vi: String,
    pub status_en: String,
    pub appointment: Option<String>,
    pub provisional: bool,
    pub overdue: bool,
}

impl From<PublicStatus> for CodeStatus {
    fn from(p: PublicStatus) -> CodeStatus {
        CodeStatus {
            code: p.code,
            status: p.status,
            status_vi: p.status_vi,
            status_en: p.status_en,
            appointment: p.appointment,
            provisional: p.provisional,
            overdue: p.overdue,
        }
    }
}

/// One step of the timeline, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub at: String,
    pub status_vi: String,
    pub note: String,
}

/// What the holder of the token (or of the code and the phone's last digits) may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    #[serde(flatten)]
    pub public: PublicStatus,
    /// Masked: "Nguyễn V*** H***"; empty once purged.
    pub applicant: String,
    pub timeline: Vec<Step>,
    pub documents: Vec<String>,
    /// The dossier's token, for printing its QR slip; only ever given to whoever already proved to hold the
    /// dossier (its token, its ticket, or the phone's last digits).
    pub token: String,
}

/// "HH giờ mm phút, ngày dd/mm/yyyy", as receipts word it.
pub fn worded(at: PrimitiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, ngày {:02}/{:02}/{}",
        at.hour(),
        at.minute(),
        at.day(),
        u8::from(at.month()),
        at.year()
    )
}

pub(super) fn local(ms: i64) -> Option<PrimitiveDateTime> {
    instant(ms).map(|t| {
        let t = t.to_offset(VIETNAM);
        PrimitiveDateTime::new(t.date(), t.time())
    })
}

pub(super) fn local_ms(at: PrimitiveDateTime) -> i64 {
    millis(at.assume_offset(VIETNAM))
}

fn public(d: &DossierRow, now: OffsetDateTime) -> PublicStatus {
    let shown = Shown {
        code: &d.code,
        procedure: &d.procedure_name,
        status: d.status,
        appointment_ms: d.appointment_ms,
        provisional: d.appointment_provisional,
        collect_at: &d.collect_at,
    };
    shown.public(now)
}

/// What a dossier's public status is made of, wherever its row is kept (the hall, or the province's copy).
pub struct Shown<'a> {
    pub code: &'a str,
    pub procedure: &'a str,
    pub status: u8,
    pub appointment_ms: Option<i64>,
    pub provisional: bool,
    pub collect_at: &'a str,
}

impl Shown<'_> {
    pub fn public(&self, now: OffsetDateTime) -> PublicStatus {
        let status = Status::from_code(self.status).unwrap_or(Status::Registered);
        let now = now.to_offset(VIETNAM);
        let appointment = self.appointment_ms.and_then(local);
        PublicStatus {
            code: self.code.to_string(),
            procedure: self.procedure.to_string(),
            status: status.code(),
            status_vi: status.vi().into(),
            status_en: status.en().into(),
            appointment: appointment.map(worded),
            provisional: self.provisional,
            overdue: overdue(status, appointment, PrimitiveDateTime::new(now.date(), now.time())),
            collect_at: self.collect_at.to_string(),
        }
    }
}

/// A step of a timeline, as shown: when, and the status in words (notes stay with the hall's own page).
pub fn step(at_ms: i64, status: u8, note: String) -> Step {
    Step {
        at: local(at_ms).map(worded).unwrap_or_default(),
        status_vi: Status::from_code(status).map_or("", Status::vi).to_string(),
        note,
    }
}

fn details(store: &Store, d: &DossierRow, now: OffsetDateTime) -> Result<Details, DossierError> {
    let timeline = repo::events(store.conn(), d.id)?.into_iter().map(|e| step(e.at_ms, e.status, e.note)).collect();
    Ok(Details {
        public: public(d, now),
        applicant: d.applicant_name.as_deref().map(mask_name).unwrap_or_default(),
        timeline,
        documents: serde_json::from_str(&d.documents).unwrap_or_default(),
        token: d.token.clone(),
    })
}

/// The public answer for a code; None when no dossier has it.
pub fn by_code(store: &Store, code: &str, clock: &dyn Clock) -> Result<Option<CodeStatus>, DossierError> {
    let Some(code) = DossierCode::parse(code) else { return Ok(None) };
    Ok(repo::by_code(store.conn(), &code.to_string())?.map(|d| public(&d, clock.now()).into()))
}

/// The details behind a dossier's token.
pub fn by_token(store: &Store, token: &str, clock: &dyn Clock) -> Result<Option<Details>, DossierError> {
    match repo::by_token(store.conn(), token)? {
        Some(d) => Ok(Some(details(store, &d, clock.now())?)),
        None => Ok(None),
    }
}

/// The dossier received under a queue ticket, with its details (the ticket's token proves the holder).
pub fn by_ticket(store: &Store, ticket_token: &str, clock: &dyn Clock) -> Result<Option<Details>, DossierError> {
    match repo::by_ticket_token(store.conn(), ticket_token)? {
        Some(d) => Ok(Some(details(store, &d, clock.now())?)),
        None => Ok(None),
    }
}

/// The details for a code and the last four digits of the applicant's phone. A wrong code, wrong digits and
/// a dossier without a phone all answer None alike, so the answer tells nothing about which was wrong.
pub fn verify(store: &Store, code: &str, last4: &str, clock: &dyn Clock) -> Result<Option<Details>, DossierError> {
    let Some(code) = DossierCode::parse(code) else { return Ok(None) };
    let Some(d) = repo::by_code(store.conn(), &code.to_string())? else { return Ok(None) };
    let matches = d
        .applicant_phone
        .as_deref()
        .is_some_and(|p| last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit()) && p.ends_with(last4));
    if !matches {
        return Ok(None);
    }
    Ok(Some(details(store, &d, clock.now())?))
}

/// A new status (and its note) for a dossier; None when no dossier has the code.
pub fn set_status(
    store: &mut Store,
    code: &str,
    status: Status,
    note: &str,
    clock: &dyn Clock,
) -> Result<Option<PublicStatus>, DossierError> {
    let Some(code) = DossierCode::parse(code) else { return Ok(None) };
    let change = store.change()?;
    let Some(mut d) = repo::by_code(&change, &code.to_string())? else { return Ok(None) };
    let now_ms = millis(clock.now());
    if d.status != status.code() || !note.is_empty() {
        d.status = status.code();
        d.updated_ms = now_ms;
        if status == Status::Returned {
            d.returned_ms = d.returned_ms.or(Some(now_ms));
        }
        repo::update(&change, &d)?;
        repo::add_event(&change, d.id, &DossierEvent { at_ms: now_ms, status: status.code(), note: note.to_string() })?;
    }
    change.commit()?;
    Ok(Some(public(&d, clock.now())))
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Stores or updates one record (inside the caller's transaction): a new code gets a token and its first
/// timeline step; a changed status adds a step; an identical record changes nothing. Returns what it did.
fn upsert(
    conn: &rusqlite::Connection,
    r: &DossierRecord,
    appointment: Option<(PrimitiveDateTime, bool)>,
    collect_at: &str,
    source: &str,
    now_ms: i64,
) -> Result<Change, DossierError> {
    let code = r.code.to_string();
    let existing = repo::by_code(conn, &code)?;
    let returned_ms = match (r.status, existing.as_ref().and_then(|d| d.returned_ms)) {
        (Status::Returned, Some(kept)) => Some(kept),
        (Status::Returned, None) => Some(now_ms),
        _ => None,
    };
    let documents = serde_json::to_string(&r.documents).unwrap_or_else(|_| "[]".into());
    let mut row = DossierRow {
        id: 0,
        code,
        token: String::new(),
        procedure_code: r.procedure_code.clone(),
        procedure_name: r.procedure_name.clone(),
        procedure_version: None,
        channel: r.channel,
        applicant_name: r.applicant_name.clone(),
        applicant_phone: r.applicant_phone.clone(),
        received_ms: local_ms(r.received),
        appointment_ms: appointment.map(|(a, _)| local_ms(a)),
        appointment_provisional: appointment.is_some_and(|(_, p)| p),
        status: r.status.code(),
        collect_at: if r.collect_at.is_empty() { collect_at.to_string() } else { r.collect_at.clone() },
        documents,
        ticket_id: None,
        source: source.to_string(),
        returned_ms,
        updated_ms: now_ms,
    };
    let step = DossierEvent { at_ms: now_ms, status: r.status.code(), note: r.note.clone() };
    match existing {
        None => {
            row.token = queue::token().map_err(|e| DossierError::Random(e.to_string()))?;
            let id = repo::insert(conn, &row)?;
            let first = DossierEvent { at_ms: row.received_ms.min(now_ms), ..step };
            repo::add_event(conn, id, &first)?;
            Ok(Change::Added)
        }
        Some(old) => {
            row.id = old.id;
            row.token = old.token.clone();
            row.ticket_id = old.ticket_id;
            row.source = old.source.clone();
            row.procedure_version = old.procedure_version;
            // A purged dossier stays purged when the back office sends it again.
            if old.applicant_name.is_none() && old.returned_ms.is_some() {
                row.applicant_name = None;
                row.applicant_phone = None;
            }
            row.updated_ms = old.updated_ms;
            if row == old {
                return Ok(Change::Unchanged);
            }
            row.updated_ms = now_ms;
            repo::update(conn, &row)?;
            if old.status != row.status || !r.note.is_empty() && last_note(conn, old.id)? != r.note {
                repo::add_event(conn, old.id, &step)?;
            }
            Ok(Change::Changed)
        }
    }
}

fn last_note(conn: &rusqlite::Connection, id: i64) -> Result<String, DossierError> {
    Ok(repo::events(conn, id)?.pop().map(|e| e.note).unwrap_or_default())
}

enum Change {
    Added,
    Changed,
    Unchanged,
}

/// A procedure's time limit for a channel (1 counter, 2 online, 3 post), from its first case.
pub fn time_limit(catalog: &crate::app::catalog::Catalog, code: &str, channel: u8) -> Option<TimeLimit> {
    limit_of(&catalog.by_code(code)?.procedure, channel)
}

fn limit_of(procedure: &Procedure, channel: u8) -> Option<TimeLimit> {
    let kind = match channel {
        2 => ChannelKind::TrucTuyen,
        3 => ChannelKind::BuuChinh,
        _ => ChannelKind::TrucTiep,
    };
    let case = procedure.cases.first()?;
    let channel = case.channels.iter().find(|c| c.kind == kind).or_else(|| case.channels.first())?;
    channel.time_limit.clone()
}

/// The appointment a record states, or else the one its procedure's time limit gives on the calendar.
fn appointment_of(
    r: &DossierRecord,
    calendar: &Calendar,
    limit: Option<&TimeLimit>,
) -> Option<(PrimitiveDateTime, bool)> {
    match r.appointment {
        Some(a) => Some((a, false)),
        None => limit.and_then(|l| calendar.appointment(r.received, l)).map(|a| (a.at, a.provisional)),
    }
}

/// Imports checked records in one transaction: all or nothing; a code already there is updated only if the
/// record differs. `limits` gives a procedure's time limit by procedure code and channel, for records
/// without an appointment.
#[allow(clippy::too_many_arguments)]
pub fn import(
    store: &mut Store,
    config: &Config,
    records: &[DossierRecord],
    calendar: &Calendar,
    limits: &dyn Fn(&str, u8) -> Option<TimeLimit>,
    source: &str,
    clock: &dyn Clock,
) -> Result<ImportOutcome, DossierError> {
    let now_ms = millis(clock.now());
    let change = store.change()?;
    let mut outcome = ImportOutcome::default();
    for r in records {
        let limit = limits(&r.procedure_code, r.channel);
        let appointment = appointment_of(r, calendar, limit.as_ref());
        match upsert(&change, r, appointment, &config.dossiers.collect_at, source, now_ms)? {
            Change::Added => outcome.added += 1,
            Change::Changed => outcome.changed += 1,
            Change::Unchanged => outcome.unchanged += 1,
        }
    }
    change.commit()?;
    Ok(outcome)
}

/// Clears names and phones of dossiers handed over more than `[dossiers] purge_after_days` ago.
pub fn purge(store: &Store, config: &Config, clock: &dyn Clock) -> Result<usize, DossierError> {
    let days = i64::from(config.dossiers.purge_after_days);
    let before = millis(clock.now()) - days * 86_400_000;
    Ok(repo::purge(store.conn(), before)?)
}
