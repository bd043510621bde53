//! Citizens rate how they were served: by the ticket's token (phone page, kiosk) or, at the counter's own
//! tablet, by the number just finished there. A rating is attributed to the counter and staff member that
//! finished the ticket (the last one, after a transfer), its service and any dossier received under it.

use super::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{local_day, millis, Clock};
use crate::domain::rating::{self, Level, RatingRefusal, Source};
use crate::store::queue as tickets;
use crate::store::rating::{self as repo, RatingRow};
use crate::store::{access, counter as counters, Store};

/// Which ticket a rating is for.
#[derive(Debug, Clone)]
pub enum Which {
    /// Whoever holds the ticket's QR: the phone page, the kiosk.
    Token(String),
    /// The counter's paired tablet: a number of today finished at that counter.
    AtCounter { number: String, counter: u32 },
}

impl Which {
    fn holder(&self) -> String {
        match self {
            Which::Token(_) => "token".into(),
            Which::AtCounter { counter, .. } => format!("tablet:{counter}"),
        }
    }
}

/// A rating as sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    pub level: Level,
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub complaint: Option<String>,
}

/// A rating as the citizen's screens show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RatingView {
    pub number: String,
    pub level: Level,
    pub level_vi: String,
    pub level_en: String,
    pub reasons: Vec<String>,
    pub complaint: Option<String>,
    pub source: Source,
    /// Until when (ms) the holder may still change it.
    pub changeable_until_ms: i64,
}

fn refused<T>(r: RatingRefusal) -> Result<T, QueueError> {
    Err(QueueError::Rating(r))
}

fn view(config: &Config, number: &str, r: &RatingRow) -> RatingView {
    let (vi, en) = r.level.words();
    RatingView {
        number: number.to_string(),
        level: r.level,
        level_vi: vi.into(),
        level_en: en.into(),
        reasons: r.reasons.clone(),
        complaint: r.complaint.clone(),
        source: r.source,
        changeable_until_ms: r.rated_ms + i64::from(config.ratings.change_minutes) * 60_000,
    }
}

/// Rates a served ticket, or changes its rating (same holder, within `[ratings] change_minutes`). Refused,
/// changing nothing, for an unknown, voided or unserved ticket, another holder's or an old rating, and a
/// rating that does not pass `domain::rating::check`.
pub fn rate(
    store: &mut Store,
    config: &Config,
    which: &Which,
    sent: &Sent,
    source: Source,
    clock: &dyn Clock,
) -> Result<RatingView, QueueError> {
    let given = rating::check(sent.level, &sent.reasons, sent.complaint.as_deref(), &config.ratings.reasons)
        .map_err(QueueError::Rating)?;
    let now = clock.now();
    let now_ms = millis(now);
    let tx = store.change()?;
    let ticket = match which {
        Which::Token(token) => tickets::by_token(&tx, token)?,
        Which::AtCounter { number, counter } => {
            let number = number.trim().to_uppercase();
            tickets::by_number(&tx, &local_day(now), &number)?.filter(|t| t.counter == Some(*counter))
        }
    };
    let Some(ticket) = ticket else { return refused(RatingRefusal::UnknownTicket) };
    rating::may_rate(ticket.state).map_err(QueueError::Rating)?;
    let holder = which.holder();
    let existing = repo::by_ticket(&tx, ticket.id)?;
    if let Some(old) = &existing {
        rating::may_change(old.rated_ms, now_ms, config.ratings.change_minutes, old.holder == holder)
            .map_err(QueueError::Rating)?;
    }
    let finisher = repo::finisher(&tx, ticket.id)?;
    let (counter, staff_id) = finisher.map_or((ticket.counter, None), |d| (Some(d.counter), d.staff));
    let row = RatingRow {
        ticket_id: ticket.id,
        level: given.level,
        reasons: given.reasons,
        complaint: given.complaint,
        source: existing.as_ref().map_or(source, |o| o.source),
        holder,
        counter,
        staff_id,
        service: ticket.service.clone(),
        dossier_id: repo::dossier_of(&tx, ticket.id)?,
        rated_ms: existing.as_ref().map_or(now_ms, |o| o.rated_ms),
        changed_ms: now_ms,
    };
    repo::save(&tx, &row)?;
    tx.commit()?;
    Ok(view(config, &ticket.number, &row))
}

/// A rating given on the province's page of this hall's ticket (pulled by the push thread), rated as the
/// hall's own phone page rates: by the ticket's token, under the same rules. A change that carries no
/// complaint keeps the one already given, since the province's page cannot show its words back (they
/// stay in the hall).
pub fn rate_from_province(
    store: &mut Store,
    config: &Config,
    token: &str,
    mut sent: Sent,
    clock: &dyn Clock,
) -> Result<RatingView, QueueError> {
    if sent.complaint.as_deref().is_none_or(|c| c.trim().is_empty()) {
        sent.complaint = of_ticket(store, config, token)?.and_then(|old| old.complaint);
    }
    rate(store, config, &Which::Token(token.to_string()), &sent, Source::Phone, clock)
}

/// A ticket's rating, if it has one, by the ticket's token.
pub fn of_ticket(store: &Store, config: &Config, token: &str) -> Result<Option<RatingView>, QueueError> {
    let Some(ticket) = tickets::by_token(store.conn(), token)? else { return Ok(None) };
    Ok(repo::by_ticket(store.conn(), ticket.id)?.map(|r| view(config, &ticket.number, &r)))
}

/// How long a tablet pairing code lives.
pub const PAIRING_MINUTES: i64 = 5;

/// A new one-time code for pairing a tablet to a counter (six digits, `PAIRING_MINUTES`), replacing the
/// counter's code before. Kept as an Argon2 hash and checked through the hub's guarded login, so that it
/// cannot be guessed in the minutes it lives.
pub fn tablet_code(store: &Store, counter: u32, clock: &dyn Clock) -> Result<(String, i64), QueueError> {
    let code = loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).map_err(|e| QueueError::Random(e.to_string()))?;
        let n = u32::from_le_bytes(bytes);
        // Below the largest multiple of a million, so that every code is as likely.
        if n < 4_294_000_000 {
            break format!("{:06}", n % 1_000_000);
        }
    };
    let expires_ms = millis(clock.now()) + PAIRING_MINUTES * 60_000;
    counters::set_tablet_code(store.conn(), counter, &super::counter::hash_secret(&code)?, expires_ms)?;
    Ok((code, expires_ms))
}

/// The live pairing code of a counter, hashed, for the guarded check.
pub fn tablet_code_hash(store: &Store, counter: u32, clock: &dyn Clock) -> Result<Option<String>, QueueError> {
    Ok(counters::tablet_code(store.conn(), counter, millis(clock.now()))?)
}

/// Pairs a tablet whose code was checked: a cookie token and a CSRF token. The counter's tablet before
/// is revoked (a running hub forgets it within a second).
pub fn pair_tablet(store: &Store, counter: u32, clock: &dyn Clock) -> Result<(String, String), QueueError> {
    let (token, csrf) = (super::queue::token()?, super::queue::token()?);
    let now_ms = millis(clock.now());
    let replaced = counters::pair_tablet(store.conn(), counter, &super::counter::hash_token(&token), &csrf, now_ms)?;
    if replaced > 0 {
        access::revoked(store.conn(), &format!("tablet of counter {counter} (another paired)"), now_ms)?;
    }
    Ok((token, csrf))
}

/// The counter and CSRF token of a paired tablet's cookie.
pub fn tablet(store: &Store, token: &str) -> Result<Option<(u32, String)>, QueueError> {
    Ok(counters::tablet(store.conn(), &super::counter::hash_token(token))?)
}

/// The ticket a counter finished last, as its tablet asks for a rating of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finished {
    pub number: String,
    pub finished_ms: i64,
    pub rating: Option<RatingView>,
}

/// What a counter's tablet shows: the ticket being served there ("Quầy 3 — A025"), or the one it
/// finished last (while it may still be rated), and the reason chips.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TabletView {
    pub counter: u32,
    pub counter_name: String,
    pub serving: Option<String>,
    pub finished: Option<Finished>,
    pub reasons: Vec<String>,
    pub levels: Vec<LevelWords>,
    pub now_ms: i64,
}

/// A level with its words, best first, so that the tablet words nothing itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LevelWords {
    pub level: Level,
    pub vi: String,
    pub en: String,
    pub asks_why: bool,
}

pub fn tablet_view(store: &Store, config: &Config, counter: u32, clock: &dyn Clock) -> Result<TabletView, QueueError> {
    let now = clock.now();
    let now_ms = millis(now);
    let day = local_day(now);
    let serving = tickets::at_counter(store.conn(), &day, counter)?.into_iter().last().map(|t| t.number);
    let window = i64::from(config.ratings.change_minutes) * 60_000;
    let finished = match tickets::last_done_at(store.conn(), &day, counter)? {
        Some(t) if t.finished_ms.is_some_and(|f| now_ms - f <= window) => Some(Finished {
            number: t.number.clone(),
            finished_ms: t.finished_ms.unwrap_or(now_ms),
            rating: repo::by_ticket(store.conn(), t.id)?.map(|r| view(config, &t.number, &r)),
        }),
        _ => None,
    };
    Ok(TabletView {
        counter,
        counter_name: config
            .counters
            .iter()
            .find(|c| c.number == counter)
            .map_or_else(|| format!("Quầy {counter}"), |c| c.name.clone()),
        serving,
        finished,
        reasons: config.ratings.reasons.clone(),
        levels: Level::ALL
            .iter()
            .map(|l| LevelWords { level: *l, vi: l.words().0.into(), en: l.words().1.into(), asks_why: l.asks_why() })
            .collect(),
        now_ms,
    })
}
