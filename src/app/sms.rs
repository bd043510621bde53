//! Text messages as the hall decides them (docs/sms.md): a consent given at the kiosk or the counter,
//! "your turn is near" queued once when a ticket comes within `[sms] near_places`, the next message due
//! for the modem (past the caps), and what a try gave. The modem itself is driven by `hub::sms`.

use super::queue::QueueError;
use crate::config::Config;
use crate::domain::clock::{local_day, millis, Clock};
use crate::domain::sms::{self, Caps, Encoding, Message};
use crate::store::queue as tickets;
use crate::store::sms as repo;
use crate::store::Store;

/// Why a consent is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentRefusal {
    /// The hall has no modem.
    Off,
    BadPhone,
    /// No ticket of today has this token, or it is already over.
    NoTicket,
    /// The number was given for too many tickets today.
    TooMany,
}

impl ConsentRefusal {
    pub fn vi(self) -> &'static str {
        match self {
            ConsentRefusal::Off => "Trung tâm chưa có dịch vụ nhắn tin.",
            ConsentRefusal::BadPhone => {
                "Số điện thoại di động không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09)."
            }
            ConsentRefusal::NoTicket => "Không tìm thấy phiếu còn chờ trong ngày.",
            ConsentRefusal::TooMany => "Số điện thoại này đã đăng ký cho quá nhiều phiếu hôm nay.",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ConsentRefusal::Off => "this hall sends no text messages",
            ConsentRefusal::BadPhone => "not a Vietnamese mobile number (10 digits starting 03, 05, 07, 08 or 09)",
            ConsentRefusal::NoTicket => "no ticket of today still waiting has this token",
            ConsentRefusal::TooMany => "this number was given for too many tickets today",
        }
    }
}

/// A consent taken: what the citizen is told.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Consented {
    /// "••• ••• 678"
    pub phone: String,
    pub near_places: u32,
}

/// Takes a consent for the ticket with `token` (the kiosk, right after taking the number) or at a counter
/// (the ticket it serves), then queues "near" at once if the ticket is already near.
pub fn consent(
    store: &mut Store,
    config: &Config,
    ticket: TicketRef<'_>,
    typed: &str,
    source: &str,
    clock: &dyn Clock,
) -> Result<Result<Consented, ConsentRefusal>, QueueError> {
    if config.sms.modem.is_empty() {
        return Ok(Err(ConsentRefusal::Off));
    }
    let Some(phone) = sms::phone(typed) else { return Ok(Err(ConsentRefusal::BadPhone)) };
    let today = local_day(clock.now());
    let tx = store.change()?;
    let found = match ticket {
        TicketRef::Token(token) => repo::ticket_by_token(&tx, token)?,
        TicketRef::Counter(counter) => tickets::at_counter(&tx, &today, counter)?
            .pop()
            .map(|t| (t.id, t.day.clone(), t.state.as_str().to_string())),
    };
    let Some((id, day, state)) = found else { return Ok(Err(ConsentRefusal::NoTicket)) };
    if day != today || !matches!(state.as_str(), "reserved" | "waiting" | "called" | "serving") {
        return Ok(Err(ConsentRefusal::NoTicket));
    }
    if repo::consents_of(&tx, &today, &phone, id)? >= config.sms.per_number_per_day {
        return Ok(Err(ConsentRefusal::TooMany));
    }
    repo::consent(&tx, id, &today, &phone, source, millis(clock.now()))?;
    tx.commit()?;
    queue_near(store, config, clock)?;
    Ok(Ok(Consented { phone: sms::masked(&phone), near_places: config.sms.near_places }))
}

/// Which ticket a consent is for.
#[derive(Debug, Clone, Copy)]
pub enum TicketRef<'a> {
    /// The ticket's public token (the kiosk).
    Token(&'a str),
    /// The ticket a counter has called or serves.
    Counter(u32),
}

/// Queues "your turn is near" for every waiting ticket with consent that has come within
/// `near_places`; each ticket once. Returns how many were queued.
pub fn queue_near(store: &mut Store, config: &Config, clock: &dyn Clock) -> Result<usize, QueueError> {
    if config.sms.modem.is_empty() {
        return Ok(0);
    }
    let today = local_day(clock.now());
    let now_ms = millis(clock.now());
    let tx = store.change()?;
    let mut queued = 0;
    for (id, phone) in repo::near_candidates(&tx, &today)? {
        let Some(ticket) = tickets::get(&tx, id)? else { continue };
        let ahead = tickets::ahead(&tx, &ticket)?;
        if ahead <= config.sms.near_places {
            repo::queue_near(&tx, &today, &phone, id, ahead, now_ms)?;
            queued += 1;
        }
    }
    tx.commit()?;
    Ok(queued)
}

/// A message for the modem now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub phone: String,
    pub message: Message,
    pub tries: u32,
}

/// How messages go: `[sms] ucs2` keeps the marks.
pub fn encoding(config: &Config) -> Encoding {
    if config.sms.ucs2 {
        Encoding::Ucs2
    } else {
        Encoding::Gsm
    }
}

/// The next message due, its text written; messages past a cap are marked `capped` on the way and never
/// sent.
pub fn next(store: &mut Store, config: &Config, clock: &dyn Clock) -> Result<Option<Outgoing>, QueueError> {
    let now_ms = millis(clock.now());
    let caps = Caps { per_number: config.sms.per_number_per_day, per_day: config.sms.per_day };
    let sender = match config.sms.sender.trim() {
        "" => config.center.name.as_str(),
        s => s,
    };
    loop {
        let tx = store.change()?;
        let Some(due) = repo::due(&tx, now_ms)? else { return Ok(None) };
        let (to_number, in_day) = repo::sent_on(&tx, &due.day, &due.phone)?;
        let text = match (due.kind.as_str(), &due.number, &due.code) {
            ("near", Some(number), _) => Some(sms::near_text(sender, number, due.ahead.unwrap_or(0))),
            ("ready", _, Some(code)) => Some(sms::ready_text(sender, code)),
            _ => None,
        };
        let refusal = match (&text, caps.allow(to_number, in_day)) {
            _ if due.phone.is_empty() => Some("no phone".to_string()),
            (None, _) => Some("its ticket or dossier is gone".to_string()),
            (_, Err(capped)) => Some(capped.to_string()),
            (Some(_), Ok(())) => None,
        };
        if let Some(why) = refusal {
            tracing::warn!(message = due.id, why, "a text message is not sent");
            repo::finish(&tx, due.id, "capped", due.tries, now_ms, &why)?;
            tx.commit()?;
            continue;
        }
        tx.commit()?;
        let message = Message::new(&text.unwrap_or_default(), encoding(config));
        return Ok(Some(Outgoing { id: due.id, phone: due.phone, message, tries: due.tries }));
    }
}

/// A try's result: sent, tried again later with a growing delay, or given up after `[sms] tries` (or at
/// once for an error that cannot pass).
pub fn tried(
    store: &mut Store,
    config: &Config,
    out: &Outgoing,
    result: Result<u32, (String, bool)>,
    clock: &dyn Clock,
) -> Result<(), QueueError> {
    let now_ms = millis(clock.now());
    let tries = out.tries + 1;
    let tx = store.change()?;
    match result {
        Ok(reference) => repo::finish(&tx, out.id, "sent", tries, now_ms, &format!("+CMGS: {reference}"))?,
        Err((why, permanent)) if permanent || tries >= config.sms.tries => {
            tracing::error!(message = out.id, why, tries, "a text message was given up");
            repo::finish(&tx, out.id, "failed", tries, now_ms, &why)?
        }
        Err((why, _)) => {
            let delay_s = i64::from(config.sms.retry_after_s) << (tries - 1).min(10);
            repo::retry(&tx, out.id, tries, now_ms + delay_s.min(1800) * 1000, &why)?
        }
    }
    tx.commit()?;
    Ok(())
}

/// Forgets consents and phones of earlier days (the hub's sweep).
pub fn forget(store: &mut Store, clock: &dyn Clock) -> Result<(), QueueError> {
    let tx = store.change()?;
    repo::forget_before(&tx, &local_day(clock.now()), millis(clock.now()))?;
    tx.commit()?;
    Ok(())
}

/// Messages queued, sent today and failed today, for /healthz and `doctor`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub queued: u32,
    pub sent_today: u32,
    pub failed_today: u32,
}

pub fn counts(store: &Store, clock: &dyn Clock) -> Result<Counts, QueueError> {
    let (queued, sent_today, failed_today) = repo::counts(store.conn(), &local_day(clock.now()))?;
    Ok(Counts { queued, sent_today, failed_today })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::FixedClock;
    use time::macros::datetime;

    fn setup() -> (Store, Config, FixedClock) {
        let mut config = Config::default();
        config.sms.modem = "serial:/dev/null".into();
        config.sms.sender = "UBND xa Minh Hoa".into();
        for s in &mut config.services {
            s.hours = vec!["00:00-24:00".into()];
            s.saturday_hours = s.hours.clone();
        }
        (Store::open(std::path::Path::new(":memory:")).unwrap(), config, FixedClock(datetime!(2026-12-04 09:00 +7)))
    }

    /// A number taken and printed: waiting.
    fn take(store: &mut Store, config: &Config, clock: &FixedClock) -> (i64, String) {
        let r = crate::app::queue::reserve(store, config, "HT", None, None, clock).unwrap();
        let printed = crate::print::Outcome::Printed { warning: None };
        crate::app::queue::record_outcome(store, config, r.ticket.id, &printed, clock).unwrap();
        (r.ticket.id, r.token)
    }

    #[test]
    fn near_is_queued_once_when_the_ticket_comes_within_the_places() {
        let (mut store, config, clock) = setup();
        let tickets: Vec<_> = (0..6).map(|_| take(&mut store, &config, &clock)).collect();
        let last = &tickets[5];
        let ok = consent(&mut store, &config, TicketRef::Token(&last.1), "0912 345 678", "kiosk", &clock).unwrap();
        assert_eq!(ok, Ok(Consented { phone: "••• ••• 678".into(), near_places: 3 }));
        assert!(next(&mut store, &config, &clock).unwrap().is_none(), "5 ahead: not near yet");
        for (id, _) in &tickets[..2] {
            store.conn().execute("UPDATE ticket SET state = 'done' WHERE id = ?1", [id]).unwrap();
        }
        assert_eq!(queue_near(&mut store, &config, &clock).unwrap(), 1);
        assert_eq!(queue_near(&mut store, &config, &clock).unwrap(), 0, "once per ticket");
        let out = next(&mut store, &config, &clock).unwrap().unwrap();
        assert_eq!(out.phone, "0912345678");
        assert!(out.message.text.starts_with("UBND xa Minh Hoa: So A006 sap den luot (con 3 nguoi truoc ban)."));
        tried(&mut store, &config, &out, Ok(17), &clock).unwrap();
        assert!(next(&mut store, &config, &clock).unwrap().is_none());
    }

    #[test]
    fn consent_is_refused_without_a_modem_a_mobile_number_or_a_live_ticket() {
        let (mut store, mut config, clock) = setup();
        let (_, token) = take(&mut store, &config, &clock);
        let mut give = |config: &Config, token: &str, phone: &str| {
            consent(&mut store, config, TicketRef::Token(token), phone, "kiosk", &clock).unwrap()
        };
        assert_eq!(give(&config, &token, "02838123456"), Err(ConsentRefusal::BadPhone));
        assert_eq!(give(&config, "nope", "0912345678"), Err(ConsentRefusal::NoTicket));
        config.sms.modem.clear();
        assert_eq!(give(&config, &token, "0912345678"), Err(ConsentRefusal::Off));
    }

    #[test]
    fn retries_back_off_and_give_up_and_caps_stop_a_number() {
        let (mut store, mut config, clock) = setup();
        config.sms.tries = 2;
        config.sms.per_number_per_day = 1;
        let (_, token) = take(&mut store, &config, &clock);
        consent(&mut store, &config, TicketRef::Token(&token), "0912345678", "kiosk", &clock).unwrap().unwrap();
        let out = next(&mut store, &config, &clock).unwrap().unwrap();
        tried(&mut store, &config, &out, Err(("no answer".into(), false)), &clock).unwrap();
        assert!(next(&mut store, &config, &clock).unwrap().is_none(), "not before its retry time");
        let later = FixedClock(clock.0 + time::Duration::seconds(31));
        let out = next(&mut store, &config, &later).unwrap().unwrap();
        assert_eq!(out.tries, 1);
        tried(&mut store, &config, &out, Err(("no answer".into(), false)), &later).unwrap();
        let much_later = FixedClock(clock.0 + time::Duration::hours(1));
        assert!(next(&mut store, &config, &much_later).unwrap().is_none(), "given up after 2 tries");
        assert_eq!(counts(&store, &clock).unwrap(), Counts { queued: 0, sent_today: 0, failed_today: 1 });
        // One message per number per day: the second ticket's is capped, not sent.
        let (_, token) = take(&mut store, &config, &clock);
        let (_, other) = take(&mut store, &config, &clock);
        config.sms.per_number_per_day = 3;
        consent(&mut store, &config, TicketRef::Token(&token), "0987654321", "kiosk", &clock).unwrap().unwrap();
        consent(&mut store, &config, TicketRef::Token(&other), "0987654321", "kiosk", &clock).unwrap().unwrap();
        config.sms.per_number_per_day = 1;
        let out = next(&mut store, &config, &much_later).unwrap().unwrap();
        tried(&mut store, &config, &out, Ok(1), &much_later).unwrap();
        assert!(next(&mut store, &config, &much_later).unwrap().is_none(), "the second is capped");
        assert_eq!(counts(&store, &clock).unwrap(), Counts { queued: 0, sent_today: 1, failed_today: 2 });
    }
}
