//! The province's reports: the rows the halls pushed, read as `domain::report` takes them, and the same
//! report engine as the hall's `/bao-cao` run on them, for one hall, several or all. Each hall is read along
//! its line (its newest history, then what it branched from up to the branch: docs/province.md), so a
//! restored hall counts what its own report counts.

use super::store::{Province, ProvinceError};
use crate::domain::calendar::Calendar;
use crate::domain::dossier::Status;
use crate::domain::rating::Level;
use crate::domain::report::{
    self, day_of, overdue, By, DeskFact, DeskKind, DossierFact, Facts, RatingFact, Report, TicketFact,
};
use crate::domain::ticket::{EventKind, TicketState};
use std::collections::BTreeMap;

/// What a report covers: its halls, its days, and how it is worked out.
#[derive(Debug, Clone)]
pub struct Asked {
    pub halls: Vec<String>,
    pub from_ms: i64,
    pub to_ms: i64,
    pub from_day: String,
    pub to_day: String,
    pub now_ms: i64,
    /// How long a counter session lives without a logout (the halls' `[hub] session_minutes`).
    pub session_ms: i64,
    pub target_wait_minutes: u32,
}

/// The report of every hall asked together, and of each hall alone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProvinceReport {
    pub halls: Vec<String>,
    #[serde(flatten)]
    pub total: Report,
    /// Each hall's own report, in the order asked.
    pub each: Vec<HallReport>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HallReport {
    pub hall: String,
    pub report: Report,
}

/// The line's histories as query arguments: halls, epochs, and the last sequence counted of each.
type LineArgs<'a> = (&'a Vec<String>, &'a Vec<String>, &'a Vec<i64>);

/// The service, counter and staff member of tickets, by hall and id.
type Desks = std::collections::HashMap<(String, i64), (Option<String>, Option<u32>, Option<String>)>;

/// One hall's facts, as its own report reads them.
pub type HallFacts = BTreeMap<String, Facts>;

impl Province {
    /// Each asked hall's facts of the period, read along its line, with working days on `calendar`.
    pub async fn facts(&self, asked: &Asked, calendar: &Calendar) -> Result<HallFacts, ProvinceError> {
        let client = self.client();
        let line = client.query(include_str!("sql/line_histories.sql"), &[&asked.halls]).await?;
        let halls: Vec<String> = line.iter().map(|r| r.get(0)).collect();
        let epochs: Vec<String> = line.iter().map(|r| r.get(1)).collect();
        let upto: Vec<i64> = line.iter().map(|r| r.get(2)).collect();
        let (from, to) = (asked.from_ms, asked.to_ms);
        let args: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [&halls, &epochs, &upto, &from, &to];
        let mut out: HallFacts = asked
            .halls
            .iter()
            .map(|h| {
                let facts = Facts {
                    session_ms: asked.session_ms,
                    now_ms: asked.now_ms,
                    from_day: asked.from_day.clone(),
                    to_day: asked.to_day.clone(),
                    from_ms: from,
                    to_ms: to,
                    ..Facts::default()
                };
                (h.clone(), facts)
            })
            .collect();
        for r in client.query(include_str!("sql/report/tickets.sql"), &args).await? {
            let arrived_ms: i64 = r.get(4);
            let (day, weekday, hour) = TicketFact::taken(arrived_ms);
            let fact = TicketFact {
                id: r.get(1),
                service: r.get(2),
                state: TicketState::parse(r.get(3)).unwrap_or(TicketState::Waiting),
                arrived_ms,
                called_ms: r.get(5),
                started_ms: r.get(6),
                finished_ms: r.get(7),
                transferred: r.get(8),
                counter: r.get::<_, Option<i32>>(9).map(|c| c as u32),
                staff: r.get(10),
                day,
                weekday,
                hour,
            };
            if let Some(f) = out.get_mut(r.get::<_, &str>(0)) {
                f.tickets.push(fact);
            }
        }
        // Dossiers received in the period came under tickets of the period: their desks are known already.
        let desks: Desks = out
            .iter()
            .flat_map(|(hall, f)| {
                f.tickets
                    .iter()
                    .map(move |t| ((hall.clone(), t.id), (Some(t.service.clone()), t.counter, t.staff.clone())))
            })
            .collect();
        for (hall, fact) in self.dossiers(&(&halls, &epochs, &upto), asked, calendar, desks).await? {
            if let Some(f) = out.get_mut(&hall) {
                f.dossiers.push(fact);
            }
        }
        for r in client.query(include_str!("sql/report/ratings.sql"), &args).await? {
            let reasons: String = r.get(3);
            let Some(level) = Level::parse(r.get(1)) else { continue };
            let fact = RatingFact {
                level,
                in_period: r.get(2),
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                complaint: r.get(4),
                dossier: r.get(5),
                service: r.get(6),
                counter: r.get::<_, Option<i32>>(7).map(|c| c as u32),
                staff: r.get(8),
            };
            if let Some(f) = out.get_mut(r.get::<_, &str>(0)) {
                f.ratings.push(fact);
            }
        }
        let desk_from = from - asked.session_ms;
        let desk_args: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [&halls, &epochs, &upto, &desk_from, &to];
        for r in client.query(include_str!("sql/report/desk.sql"), &desk_args).await? {
            let kind = match EventKind::parse(r.get(3)) {
                Some(EventKind::LoggedIn) => DeskKind::LoggedIn,
                Some(EventKind::LoggedOut) => DeskKind::LoggedOut,
                Some(EventKind::Paused) => DeskKind::Paused,
                _ => DeskKind::Resumed,
            };
            let fact = DeskFact { counter: r.get::<_, i32>(1) as u32, staff: r.get(2), kind, at_ms: r.get(4) };
            if let Some(f) = out.get_mut(r.get::<_, &str>(0)) {
                f.desk.push(fact);
            }
        }
        Ok(out)
    }

    /// The dossiers received in the period or with a status 9 or 10 in it, by hall: their latest rows,
    /// first resolutions and apologies read whole, joined here (the planner misjudges these joins on JSON
    /// fields), then the tickets they were received under.
    async fn dossiers(
        &self,
        line: &LineArgs<'_>,
        asked: &Asked,
        calendar: &Calendar,
        mut desks: Desks,
    ) -> Result<Vec<(String, DossierFact)>, ProvinceError> {
        let client = self.client();
        let (from, to) = (asked.from_ms, asked.to_ms);
        let args: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [line.0, line.1, line.2, &from, &to];
        let mut resolved: std::collections::HashMap<(String, i64), (i64, bool)> = std::collections::HashMap::new();
        for r in client.query(include_str!("sql/report/dossier_resolved.sql"), &args).await? {
            if let Some(id) = r.get::<_, Option<i64>>(1) {
                resolved.insert((r.get(0), id), (r.get(2), r.get::<_, Option<bool>>(3).unwrap_or(false)));
            }
        }
        let apology: std::collections::HashSet<(String, i64)> = client
            .query(include_str!("sql/report/dossier_apology.sql"), &args[..3])
            .await?
            .iter()
            .filter_map(|r| r.get::<_, Option<i64>>(1).map(|id| (r.get(0), id)))
            .collect();
        let mut chosen = Vec::new();
        for r in client.query(include_str!("sql/report/dossier_latest.sql"), &args[..3]).await? {
            let (hall, id): (String, i64) = (r.get(0), r.get(1));
            let received_ms: i64 = r.get(4);
            let resolution = resolved.get(&(hall.clone(), id)).copied();
            if !((from..to).contains(&received_ms) || resolution.is_some_and(|(_, in_period)| in_period)) {
                continue;
            }
            let first: Option<i64> = r.get(5);
            let current: Option<i64> = r.get(6);
            let status = Status::from_code(r.get::<_, i32>(7) as u8).unwrap_or(Status::Registered);
            let resolved_ms = resolution.map(|(at, _)| at);
            let mut fact = DossierFact {
                id,
                procedure: r.get(2),
                channel: r.get::<_, i32>(3) as u8,
                received_ms,
                first_appointment_ms: first,
                appointment_day: first.and_then(day_of),
                resolved_ms,
                resolved_day: resolved_ms.and_then(day_of),
                working_days: None,
                overdue_now: overdue(status, current, asked.now_ms),
                apology_printed: apology.contains(&(hall.clone(), id)),
                service: None,
                counter: None,
                staff: None,
            };
            crate::app::report::count_working_days(calendar, std::slice::from_mut(&mut fact));
            chosen.push((hall, r.get::<_, Option<i64>>(8), fact));
        }
        // The tickets they came under, for those received before the period: rows of the day each was
        // received.
        let wanted: Vec<(String, i64, i64)> = chosen
            .iter()
            .filter_map(|(h, t, f)| t.map(|t| (h.clone(), t, f.received_ms)))
            .filter(|(h, t, _)| !desks.contains_key(&(h.clone(), *t)))
            .collect();
        if let Some(earliest) = wanted.iter().map(|w| w.2).min() {
            let latest = wanted.iter().map(|w| w.2).max().unwrap_or(earliest);
            let (since, until) = (earliest - 86_400_000, latest + 86_400_000);
            let halls: Vec<&str> = wanted.iter().map(|w| w.0.as_str()).collect();
            let ids: Vec<i64> = wanted.iter().map(|w| w.1).collect();
            let args: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
                [line.0, line.1, line.2, &since, &until, &halls, &ids];
            for r in client.query(include_str!("sql/report/ticket_desks.sql"), &args).await? {
                let desk: (Option<String>, Option<u32>, Option<String>) =
                    (r.get(2), r.get::<_, Option<i32>>(3).map(|c| c as u32), r.get(4));
                desks.insert((r.get::<_, String>(0), r.get::<_, i64>(1)), desk);
            }
        }
        for (hall, ticket, fact) in &mut chosen {
            if let Some((service, counter, staff)) = ticket.and_then(|t| desks.get(&(hall.clone(), t))) {
                (fact.service, fact.counter, fact.staff) = (service.clone(), *counter, staff.clone());
            }
        }
        Ok(chosen.into_iter().map(|(hall, _, fact)| (hall, fact)).collect())
    }

    /// The report of the asked halls together, and of each alone.
    pub async fn report(
        &self,
        asked: &Asked,
        calendar: &Calendar,
        by: Option<By>,
    ) -> Result<ProvinceReport, ProvinceError> {
        let facts = self.facts(asked, calendar).await?;
        let today =
            crate::domain::clock::instant(asked.now_ms).map(crate::domain::clock::local_day).unwrap_or_default();
        let bookings = self.booking_figures(&asked.halls, &asked.from_day, &asked.to_day, &today).await?;
        let mut made = combine(asked, facts, by);
        with_bookings(&mut made, &bookings);
        Ok(made)
    }
}

/// Each hall that takes bookings gets its booking figures (docs/booking.md), as its own report has them;
/// the whole, their sum.
fn with_bookings(
    made: &mut ProvinceReport,
    bookings: &std::collections::BTreeMap<String, crate::domain::booking::Figures>,
) {
    for each in &mut made.each {
        each.report.bookings = bookings.get(&each.hall).cloned();
    }
    if bookings.is_empty() {
        return;
    }
    let mut total = crate::domain::booking::Figures::default();
    for f in bookings.values() {
        total.add(f);
    }
    made.total.bookings = Some(total);
}

/// Each hall's report, and the report of all together. Together, counters and staff are told apart by
/// their hall (hall number × 1000 + counter, "hall/staff"), ids likewise, so that one hall's counter 1
/// is not another's.
pub fn combine(asked: &Asked, mut facts: HallFacts, by: Option<By>) -> ProvinceReport {
    let each: Vec<HallReport> = asked
        .halls
        .iter()
        .filter_map(|h| facts.get(h).map(|f| (h, f)))
        .map(|(h, f)| HallReport { hall: h.clone(), report: report::report(f, by, asked.target_wait_minutes) })
        .collect();
    let total = if asked.halls.len() == 1 { each.first().map(|e| e.report.clone()) } else { None };
    let total = total.unwrap_or_else(|| {
        let mut all = Facts {
            session_ms: asked.session_ms,
            now_ms: asked.now_ms,
            from_day: asked.from_day.clone(),
            to_day: asked.to_day.clone(),
            from_ms: asked.from_ms,
            to_ms: asked.to_ms,
            ..Facts::default()
        };
        for (n, hall) in asked.halls.iter().enumerate() {
            let Some(f) = facts.remove(hall) else { continue };
            let n = n as i64 + 1;
            let counter = |c: u32| (n as u32) * 1000 + c;
            let staff = |s: Option<String>| s.map(|s| format!("{hall}/{s}"));
            let id = |i: i64| n * 1_000_000_000_000 + i;
            all.tickets.extend(f.tickets.into_iter().map(|t| TicketFact {
                id: id(t.id),
                counter: t.counter.map(counter),
                staff: staff(t.staff),
                ..t
            }));
            all.dossiers.extend(f.dossiers.into_iter().map(|d| DossierFact {
                id: id(d.id),
                counter: d.counter.map(counter),
                staff: staff(d.staff),
                ..d
            }));
            all.ratings.extend(f.ratings.into_iter().map(|r| RatingFact {
                dossier: r.dossier.map(id),
                counter: r.counter.map(counter),
                staff: staff(r.staff),
                ..r
            }));
            all.desk.extend(f.desk.into_iter().map(|d| DeskFact {
                counter: counter(d.counter),
                staff: staff(d.staff),
                ..d
            }));
        }
        all.desk.sort_by_key(|d| d.at_ms);
        report::report(&all, by, asked.target_wait_minutes)
    });
    ProvinceReport { halls: asked.halls.clone(), total, each }
}
