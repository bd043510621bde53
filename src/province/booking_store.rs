//! The province's bookings in PostgreSQL (`sql/booking/`, migration 0007): a window's places taken under
//! the row's lock, so the last place goes to one citizen; a phone's caps counted under a lock of its own;
//! each change numbered for the hall's pull.

use super::store::{Province, ProvinceError};
use crate::domain::booking::{self, BookRefusal, BookingState, Figures};
use crate::store::booking::Pulled;
use std::collections::BTreeMap;

/// A booking asked for on the public page, checked against the hall's offer before it gets here.
#[derive(Debug, Clone)]
pub struct Asked<'a> {
    pub hall: &'a str,
    pub day: &'a str,
    pub service: &'a str,
    pub starts_min: i32,
    pub ends_min: i32,
    /// The window's places.
    pub slots: i32,
    pub phone: &'a str,
    pub now_ms: i64,
}

/// A booking as its page shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub hall: String,
    pub hall_name: String,
    pub day: String,
    pub service: String,
    pub starts_min: i32,
    pub ends_min: i32,
    pub code: String,
    pub token: String,
    pub state: BookingState,
    pub ticket: Option<String>,
}

/// Why a booking was not made: the citizen's refusal, or the database.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("refused")]
    Refused(BookRefusal),
    #[error(transparent)]
    Province(#[from] ProvinceError),
}

impl From<tokio_postgres::Error> for BookError {
    fn from(e: tokio_postgres::Error) -> BookError {
        BookError::Province(ProvinceError::Database(e))
    }
}

/// The ms of a day's minute in Vietnam (UTC+7).
pub fn instant_ms(day: &str, minute: i32) -> Option<i64> {
    let date = time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let midnight = date.midnight().assume_offset(crate::domain::clock::VIETNAM).unix_timestamp() * 1000;
    Some(midnight + i64::from(minute) * 60_000)
}

impl Province {
    /// The key phone numbers are hashed with, made at the first call.
    pub async fn booking_key(&self) -> Result<String, ProvinceError> {
        let made = crate::app::queue::token().unwrap_or_else(|_| format!("{:?}", std::time::SystemTime::now()));
        Ok(self.client().query_one(include_str!("sql/booking/key.sql"), &[&made]).await?.get(0))
    }

    /// Places taken per window of a hall's service from `from` to `to`: (day, start minute, taken).
    pub async fn booking_taken(
        &self,
        hall: &str,
        service: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, i32, i32)>, ProvinceError> {
        let rows = self.client().query(include_str!("sql/booking/taken.sql"), &[&hall, &service, &from, &to]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    /// Makes a booking in one transaction: the phone's caps, then a place of the window, then the day's
    /// next number. The token of its page.
    pub async fn book(&mut self, asked: &Asked<'_>, phone_hash: &str, per_day: u32) -> Result<String, BookError> {
        let token = crate::app::queue::token().map_err(|_| BookError::Refused(BookRefusal::NoSuchWindow))?;
        let tx = self.client_mut().transaction().await?;
        tx.execute(include_str!("sql/booking/lock_phone.sql"), &[&phone_hash]).await?;
        let counts = tx
            .query_one(
                include_str!("sql/booking/phone_count.sql"),
                &[&phone_hash, &asked.day, &asked.hall, &asked.starts_min],
            )
            .await?;
        let (that_day, that_window): (i64, i64) = (counts.get(0), counts.get(1));
        if that_day >= i64::from(per_day) || that_window > 0 {
            return Err(BookError::Refused(BookRefusal::PhoneCap { per_day }));
        }
        let key = (&asked.hall, &asked.day, &asked.service, &asked.starts_min);
        tx.execute(include_str!("sql/booking/window_make.sql"), &[key.0, key.1, key.2, key.3]).await?;
        let taken = tx
            .query_opt(include_str!("sql/booking/take_place.sql"), &[key.0, key.1, key.2, key.3, &asked.slots])
            .await?;
        if taken.is_none() {
            return Err(BookError::Refused(BookRefusal::Full));
        }
        let seq: i32 = tx.query_one(include_str!("sql/booking/next_seq.sql"), &[&asked.hall, &asked.day]).await?.get(0);
        let code = booking::code(seq as u32);
        let last3 = booking::last3(asked.phone);
        tx.execute(
            include_str!("sql/booking/insert.sql"),
            &[
                &asked.hall,
                &asked.day,
                &asked.service,
                &asked.starts_min,
                &asked.ends_min,
                &seq,
                &code,
                &token,
                &asked.phone,
                &phone_hash,
                &last3,
                &asked.now_ms,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn booking(&self, token: &str) -> Result<Option<Shown>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/booking/by_token.sql"), &[&token]).await?;
        Ok(row.map(|r| Shown {
            hall: r.get(1),
            hall_name: r.get(2),
            day: r.get(3),
            service: r.get(4),
            starts_min: r.get(5),
            ends_min: r.get(6),
            code: r.get(7),
            token: r.get(8),
            state: BookingState::parse(r.get(9)).unwrap_or(BookingState::Cancelled),
            ticket: r.get(10),
        }))
    }

    /// The token of a hall's booking by its code and phone, from `today` on.
    pub async fn booking_by_code(
        &self,
        hall: &str,
        code: &str,
        phone_hash: &str,
        today: &str,
    ) -> Result<Option<String>, ProvinceError> {
        let row = self
            .client()
            .query_opt(include_str!("sql/booking/by_code.sql"), &[&hall, &code, &phone_hash, &today])
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Cancels a booking still booked and gives its place back; false when it was not booked.
    pub async fn cancel_booking(&mut self, token: &str, now_ms: i64) -> Result<bool, ProvinceError> {
        let tx = self.client_mut().transaction().await?;
        let cancelled = tx.query_opt(include_str!("sql/booking/cancel.sql"), &[&token, &now_ms]).await?.is_some();
        tx.commit().await?;
        Ok(cancelled)
    }

    /// A hall's bookings changed after `after`, for its pull; phones of past days are erased first.
    pub async fn pull_bookings(
        &self,
        hall: &str,
        after: i64,
        limit: i64,
        today: &str,
    ) -> Result<Vec<Pulled>, ProvinceError> {
        self.purge_phones(today).await?;
        let rows = self.client().query(include_str!("sql/booking/pull.sql"), &[&hall, &after, &limit]).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let day: String = r.get(2);
                let (starts, ends): (i32, i32) = (r.get(4), r.get(5));
                Pulled {
                    id: r.get(0),
                    code: r.get(1),
                    starts_ms: instant_ms(&day, starts).unwrap_or(0),
                    ends_ms: instant_ms(&day, ends).unwrap_or(0),
                    day,
                    service: r.get(3),
                    token: r.get(6),
                    phone_hash: r.get(7),
                    last3: r.get(8),
                    state: BookingState::parse(r.get(9)).unwrap_or(BookingState::Cancelled),
                    made_ms: r.get(10),
                    rev: r.get(11),
                }
            })
            .collect())
    }

    /// Erases the phone numbers of bookings before `today`.
    pub async fn purge_phones(&self, today: &str) -> Result<u64, ProvinceError> {
        Ok(self.client().execute(include_str!("sql/booking/purge.sql"), &[&today]).await?)
    }

    /// The reports' booking figures of each of `halls` that takes bookings, for days `from` to `to`
    /// (`today`: the province's, for bookings still booked on past days, counted expired).
    pub async fn booking_figures(
        &self,
        halls: &[String],
        from: &str,
        to: &str,
        today: &str,
    ) -> Result<BTreeMap<String, Figures>, ProvinceError> {
        let mut out: BTreeMap<String, Figures> = BTreeMap::new();
        let counts = self.client().query(include_str!("sql/booking/report.sql"), &[&halls, &from, &to, &today]).await?;
        for r in &counts {
            let (hall, enabled, state, n): (String, bool, Option<String>, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            if !enabled && n == 0 {
                continue;
            }
            let f = out.entry(hall).or_default();
            let n = n as u32;
            match state.as_deref() {
                None => continue,
                Some("checked_in") => f.checked_in += n,
                Some("expired") => f.expired += n,
                Some("cancelled") => f.cancelled += n,
                Some(_) => f.booked += n,
            }
            f.made += n;
        }
        let waits = self.client().query(include_str!("sql/booking/waits.sql"), &[&halls, &from, &to]).await?;
        let mut minutes: BTreeMap<(String, bool), Vec<i64>> = BTreeMap::new();
        for r in &waits {
            minutes.entry((r.get(0), r.get(1))).or_default().push(r.get(2));
        }
        for (hall, f) in out.iter_mut() {
            let mut of = |booked: bool| minutes.remove(&(hall.clone(), booked)).unwrap_or_default();
            (f.booked_called, f.booked_wait_avg_min) = booking::mean_wait(&of(true));
            (f.walk_in_called, f.walk_in_wait_avg_min) = booking::mean_wait(&of(false));
        }
        Ok(out)
    }

    /// The halls that take bookings: (id, name, their row).
    pub async fn booking_halls(&self) -> Result<Vec<(String, String, serde_json::Value)>, ProvinceError> {
        let rows = self.client().query(include_str!("sql/booking/halls.sql"), &[]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}
