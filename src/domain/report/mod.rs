//! The hall's report, computed from plain rows: what the provincial inspection and the index of service to
//! citizens (Decision 766/QĐ-TTg) ask for. Pure: no database, no clock; the same code can run on the
//! province's rows. Every figure is defined here once (docs/reports.md).

mod desk;
mod series;

pub use desk::{hours, stints, DeskFact, DeskKind, Stint};
pub use series::{DayRow, ProcedureRow};

use super::clock::{dmy, instant, local, VIETNAM};
use super::dossier::Status;
use super::rating::Level;
use super::ticket::TicketState;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A ticket as the report needs it. Times are milliseconds; local times come with them where needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFact {
    pub id: i64,
    /// Where it was served (after a transfer, the last service).
    pub service: String,
    pub state: TicketState,
    pub arrived_ms: i64,
    pub called_ms: Option<i64>,
    pub started_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    pub transferred: bool,
    /// The counter and staff member that finished it (or hold it).
    pub counter: Option<u32>,
    pub staff: Option<String>,
    /// Local day ("2026-08-07"), weekday (0 = Monday) and hour it was taken, for the busiest hours and the
    /// charts.
    pub day: String,
    pub weekday: u8,
    pub hour: u8,
}

impl TicketFact {
    /// The local day ("2026-08-07"), weekday (0 = Monday) and hour of a ticket taken at `arrived_ms`.
    pub fn taken(arrived_ms: i64) -> (String, u8, u8) {
        instant(arrived_ms)
            .map(|t| t.to_offset(VIETNAM))
            .map_or((String::new(), 0, 0), |t| (t.date().to_string(), t.weekday().number_days_from_monday(), t.hour()))
    }
}

/// The local day of a moment ("2026-08-07").
pub fn day_of(ms: i64) -> Option<String> {
    instant(ms).map(|t| local(t).0)
}

/// A dossier the agency still holds (`status`) past its current appointment at `now_ms`.
pub fn overdue(status: Status, appointment_ms: Option<i64>, now_ms: i64) -> bool {
    status.deadline_runs() && appointment_ms.is_some_and(|due| now_ms > due)
}

/// A dossier as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierFact {
    pub id: i64,
    pub procedure: String,
    /// 1 at the counter, 2 online, 3 by post.
    pub channel: u8,
    pub received_ms: i64,
    /// The first appointment: on time is measured against it, whatever was promised later.
    pub first_appointment_ms: Option<i64>,
    /// Local day of the first appointment ("2026-08-07"), for "early" (resolved before that day).
    pub appointment_day: Option<String>,
    /// When it was first resolved (status 9 or 10), and that local day.
    pub resolved_ms: Option<i64>,
    pub resolved_day: Option<String>,
    /// Working days from receipt to resolution (the day received not counted), from the hall's calendar.
    pub working_days: Option<u32>,
    /// Still held by the agency and past its current appointment now.
    pub overdue_now: bool,
    pub apology_printed: bool,
    /// Received under a ticket: its service, counter and staff member.
    pub service: Option<String>,
    pub counter: Option<u32>,
    pub staff: Option<String>,
}

/// A rating as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingFact {
    pub level: Level,
    /// Given in the period (counted in the levels); a rating given earlier still counts for the 766 rate of
    /// a dossier resolved in the period.
    pub in_period: bool,
    pub reasons: Vec<String>,
    pub complaint: bool,
    pub dossier: Option<i64>,
    pub service: String,
    pub counter: Option<u32>,
    pub staff: Option<String>,
}

/// The rows of one period, read in one read transaction.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub tickets: Vec<TicketFact>,
    /// Dossiers received in the period, or resolved in it.
    pub dossiers: Vec<DossierFact>,
    /// Ratings of the period's tickets.
    pub ratings: Vec<RatingFact>,
    /// Logins, logouts, pauses and resumes from one session's length before the period to its end.
    pub desk: Vec<DeskFact>,
    /// How long a session lives without a logout, and now: they end counter-hours left open.
    pub session_ms: i64,
    pub now_ms: i64,
    /// The period, inclusive, as local days, and as milliseconds [from, to).
    pub from_day: String,
    pub to_day: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tickets {
    pub issued: u64,
    pub served: u64,
    pub no_show: u64,
    pub voided: u64,
    pub transferred: u64,
    pub closed_unserved: u64,
}

/// Minutes, rounded to one decimal; all zero when there is nothing to measure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Minutes {
    pub count: u64,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dossiers {
    pub received: u64,
    pub received_at_counter: u64,
    pub received_online: u64,
    pub received_by_post: u64,
    pub resolved: u64,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    /// (early + on time) ÷ resolved, in percent; null when nothing was resolved.
    pub on_time_pct: Option<f64>,
    pub overdue_now: u64,
    /// Mean working days from receipt to resolution of the dossiers resolved in the period.
    pub avg_working_days: Option<f64>,
    /// Late resolved dossiers with a form 04, and all late resolved dossiers.
    pub apologies_printed: u64,
    pub apologies_needed: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub ratings: u64,
    pub very_satisfied: u64,
    pub satisfied: u64,
    pub neutral: u64,
    pub dissatisfied: u64,
    pub complaints: u64,
    /// How often each reason was ticked.
    pub reasons: BTreeMap<String, u64>,
    /// Decision 766: (resolved − dissatisfied ∪ complained ∪ late) ÷ resolved, in percent.
    pub rate_766_pct: Option<f64>,
    pub rate_766_formula: String,
}

/// The figures of one group (the whole hall, or one service, counter or staff member).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub tickets: Tickets,
    pub wait_minutes: Minutes,
    /// Share of the called tickets called within the target wait, in percent.
    pub within_target_pct: Option<f64>,
    pub service_minutes: Minutes,
    /// Hours the counters were open (logged in, not paused), and tickets served per such hour; null for a
    /// service's row, which counters share.
    pub counter_hours: Option<f64>,
    pub served_per_counter_hour: Option<f64>,
    pub dossiers: Dossiers,
    pub satisfaction: Satisfaction,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The report: the JSON contract of docs/reports.md (fields may be added, never renamed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    #[serde(flatten)]
    pub figures: Figures,
    /// Tickets taken per local weekday (0 = Monday) and hour.
    pub busiest: Vec<Vec<u64>>,
    /// Mean wait in minutes of the tickets taken in each hour of the day (0–23), null where none was called.
    pub wait_by_hour: Vec<Option<f64>>,
    /// Each day of the period that saw a ticket or a dossier.
    pub daily: Vec<DayRow>,
    /// Each procedure with a dossier received or resolved in the period.
    pub procedures: Vec<ProcedureRow>,
    /// The inspection sentence.
    pub sentence: String,
    /// What `by` breaks down by, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<By>,
    /// Rows per service, counter or staff member, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Vec<Row>>,
    /// Bookings, at a hall that takes them (docs/booking.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookings: Option<crate::domain::booking::Figures>,
}

/// The facts of one row of a breakdown.
#[derive(Default)]
struct Group<'a> {
    tickets: Vec<&'a TicketFact>,
    dossiers: Vec<&'a DossierFact>,
    ratings: Vec<&'a RatingFact>,
}

/// How a report breaks down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Service,
    Counter,
    Staff,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The mean to one decimal, or `None` of nothing.
fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| round1(sum / n as f64))
}

fn pct(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

/// Mean, median, 90th percentile (nearest rank) and maximum of durations in milliseconds, in minutes.
pub fn minutes(mut ms: Vec<i64>) -> Minutes {
    if ms.is_empty() {
        return Minutes::default();
    }
    ms.sort_unstable();
    let n = ms.len();
    let at = |q: f64| ms[((q * n as f64).ceil() as usize).clamp(1, n) - 1] as f64 / 60_000.0;
    let median = if n % 2 == 1 { ms[n / 2] as f64 } else { (ms[n / 2 - 1] + ms[n / 2]) as f64 / 2.0 } / 60_000.0;
    Minutes {
        count: n as u64,
        mean: round1(ms.iter().sum::<i64>() as f64 / n as f64 / 60_000.0),
        median: round1(median),
        p90: round1(at(0.9)),
        max: round1(ms[n - 1] as f64 / 60_000.0),
    }
}

/// Early (resolved before the first appointment's day), on time (by the first appointment) or late.
pub fn timeliness(d: &DossierFact) -> Option<Timeliness> {
    let resolved = d.resolved_ms?;
    Some(match (d.first_appointment_ms, &d.appointment_day, &d.resolved_day) {
        (None, _, _) => Timeliness::OnTime,
        (Some(a), _, _) if resolved > a => Timeliness::Late,
        (Some(_), Some(day), Some(done)) if done < day => Timeliness::Early,
        _ => Timeliness::OnTime,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

/// The figures of a set of rows.
pub fn figures(
    tickets: &[&TicketFact],
    dossiers: &[&DossierFact],
    ratings: &[&RatingFact],
    stints: Option<&[&Stint]>,
    period: (i64, i64),
    target_wait_minutes: u32,
) -> Figures {
    let in_period = |ms: i64| ms >= period.0 && ms < period.1;
    let count = |s: TicketState| tickets.iter().filter(|t| t.state == s).count() as u64;
    let waits: Vec<i64> = tickets.iter().filter_map(|t| t.called_ms.map(|c| (c - t.arrived_ms).max(0))).collect();
    let within = waits.iter().filter(|w| **w <= i64::from(target_wait_minutes) * 60_000).count() as u64;
    let services: Vec<i64> = tickets
        .iter()
        .filter(|t| t.state == TicketState::Done)
        .filter_map(|t| Some((t.finished_ms? - t.started_ms?).max(0)))
        .collect();
    let received: Vec<&&DossierFact> = dossiers.iter().filter(|d| in_period(d.received_ms)).collect();
    let resolved: Vec<(&&DossierFact, Timeliness)> = dossiers
        .iter()
        .filter(|d| d.resolved_ms.is_some_and(in_period))
        .filter_map(|d| timeliness(d).map(|t| (d, t)))
        .collect();
    let late: BTreeSet<i64> = resolved.iter().filter(|(_, t)| *t == Timeliness::Late).map(|(d, _)| d.id).collect();
    let of = |t: Timeliness| resolved.iter().filter(|(_, x)| *x == t).count() as u64;
    let dossiers_figures = Dossiers {
        received: received.len() as u64,
        received_at_counter: received.iter().filter(|d| d.channel == 1).count() as u64,
        received_online: received.iter().filter(|d| d.channel == 2).count() as u64,
        received_by_post: received.iter().filter(|d| d.channel == 3).count() as u64,
        resolved: resolved.len() as u64,
        early: of(Timeliness::Early),
        on_time: of(Timeliness::OnTime),
        late: late.len() as u64,
        on_time_pct: pct(resolved.len() as u64 - late.len() as u64, resolved.len() as u64),
        overdue_now: dossiers.iter().filter(|d| d.overdue_now).count() as u64,
        apologies_printed: resolved.iter().filter(|(d, t)| *t == Timeliness::Late && d.apology_printed).count() as u64,
        apologies_needed: late.len() as u64,
        avg_working_days: mean(resolved.iter().filter_map(|(d, _)| d.working_days.map(f64::from))),
    };
    let given: Vec<&&RatingFact> = ratings.iter().filter(|r| r.in_period).collect();
    let level = |l: Level| given.iter().filter(|r| r.level == l).count() as u64;
    let mut reasons = BTreeMap::new();
    for r in &given {
        for reason in &r.reasons {
            *reasons.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    // Decision 766: each resolved dossier once, dissatisfied if rated "Không hài lòng", complained about, or late.
    let resolved_ids: BTreeSet<i64> = resolved.iter().map(|(d, _)| d.id).collect();
    let mut unhappy: BTreeSet<i64> = late.clone();
    for r in ratings {
        if let Some(id) = r.dossier.filter(|id| resolved_ids.contains(id)) {
            if r.level == Level::Dissatisfied || r.complaint {
                unhappy.insert(id);
            }
        }
    }
    let n = resolved_ids.len() as u64;
    let rate = pct(n - unhappy.len() as u64, n);
    let formula = format!(
        "({n} hồ sơ đã giải quyết − {} hồ sơ không hài lòng, có phản ánh hoặc trễ hạn) ÷ {n} × 100",
        unhappy.len()
    );
    let served = count(TicketState::Done);
    let counter_hours = stints.map(hours);
    Figures {
        counter_hours,
        served_per_counter_hour: counter_hours.filter(|h| *h > 0.0).map(|h| round1(served as f64 / h)),
        tickets: Tickets {
            issued: tickets.len() as u64,
            served,
            no_show: count(TicketState::NoShow),
            voided: count(TicketState::Voided),
            transferred: tickets.iter().filter(|t| t.transferred).count() as u64,
            closed_unserved: count(TicketState::Closed),
        },
        within_target_pct: pct(within, waits.len() as u64),
        wait_minutes: minutes(waits),
        service_minutes: minutes(services),
        dossiers: dossiers_figures,
        satisfaction: Satisfaction {
            ratings: given.len() as u64,
            very_satisfied: level(Level::VerySatisfied),
            satisfied: level(Level::Satisfied),
            neutral: level(Level::Neutral),
            dissatisfied: level(Level::Dissatisfied),
            complaints: given.iter().filter(|r| r.complaint).count() as u64,
            reasons,
            rate_766_pct: rate,
            rate_766_formula: formula,
        },
    }
}

/// "12.345": Vietnamese thousands.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The report of a period, with a breakdown when asked.
pub fn report(facts: &Facts, by: Option<By>, target_wait_minutes: u32) -> Report {
    let period = (facts.from_ms, facts.to_ms);
    let all_t: Vec<&TicketFact> = facts.tickets.iter().collect();
    let all_d: Vec<&DossierFact> = facts.dossiers.iter().collect();
    let all_r: Vec<&RatingFact> = facts.ratings.iter().collect();
    let stints = desk::stints(&facts.desk, period, facts.session_ms, facts.now_ms);
    let all_s: Vec<&Stint> = stints.iter().collect();
    let figures = figures(&all_t, &all_d, &all_r, Some(&all_s), period, target_wait_minutes);
    let mut busiest = vec![vec![0u64; 24]; 7];
    for t in &facts.tickets {
        busiest[usize::from(t.weekday.min(6))][usize::from(t.hour.min(23))] += 1;
    }
    let on_time =
        figures.dossiers.on_time_pct.map_or("—".to_string(), |p| format!("{}%", p.to_string().replace('.', ",")));
    let sentence = format!(
        "Từ {} đến {} đã tiếp nhận {} hồ sơ, đã giải quyết {}, đúng hạn {on_time}",
        dmy(&facts.from_day),
        dmy(&facts.to_day),
        thousands(figures.dossiers.received),
        thousands(figures.dossiers.resolved),
    );
    let rows = by.map(|by| {
        let key_t = |t: &TicketFact| match by {
            By::Service => Some(t.service.clone()),
            By::Counter => t.counter.map(|c| c.to_string()),
            By::Staff => t.staff.clone(),
        };
        let key_d = |d: &DossierFact| match by {
            By::Service => d.service.clone(),
            By::Counter => d.counter.map(|c| c.to_string()),
            By::Staff => d.staff.clone(),
        };
        let key_r = |r: &RatingFact| match by {
            By::Service => Some(r.service.clone()),
            By::Counter => r.counter.map(|c| c.to_string()),
            By::Staff => r.staff.clone(),
        };
        // Each fact's key computed once, the facts grouped under it.
        let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
        for t in &facts.tickets {
            if let Some(k) = key_t(t) {
                groups.entry(k).or_default().tickets.push(t);
            }
        }
        for d in &facts.dossiers {
            if let Some(k) = key_d(d) {
                groups.entry(k).or_default().dossiers.push(d);
            }
        }
        for r in &facts.ratings {
            if let Some(k) = key_r(r) {
                groups.entry(k).or_default().ratings.push(r);
            }
        }
        groups
            .into_iter()
            .map(|(key, g)| {
                let s: Option<Vec<&Stint>> = match by {
                    By::Service => None,
                    By::Counter => Some(stints.iter().filter(|s| s.counter.to_string() == key).collect()),
                    By::Staff => Some(stints.iter().filter(|s| s.staff.as_ref() == Some(&key)).collect()),
                };
                let figures =
                    self::figures(&g.tickets, &g.dossiers, &g.ratings, s.as_deref(), period, target_wait_minutes);
                Row { key, figures }
            })
            .collect()
    });
    Report {
        period: Period { from: facts.from_day.clone(), to: facts.to_day.clone() },
        figures,
        busiest,
        wait_by_hour: series::wait_by_hour(&facts.tickets),
        daily: series::daily(facts),
        procedures: series::procedures(&facts.dossiers, period),
        sentence,
        breakdown: by,
        by: rows,
        bookings: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier(id: i64, appointment: Option<(i64, &str)>, resolved: Option<(i64, &str)>) -> DossierFact {
        DossierFact {
            id,
            procedure: "1.001193".into(),
            channel: 1,
            received_ms: 0,
            first_appointment_ms: appointment.map(|a| a.0),
            appointment_day: appointment.map(|a| a.1.to_string()),
            resolved_ms: resolved.map(|r| r.0),
            resolved_day: resolved.map(|r| r.1.to_string()),
            working_days: None,
            overdue_now: false,
            apology_printed: false,
            service: None,
            counter: None,
            staff: None,
        }
    }

    fn rating(level: Level, complaint: bool, dossier: Option<i64>) -> RatingFact {
        RatingFact {
            level,
            in_period: true,
            reasons: vec![],
            complaint,
            dossier,
            service: "HT".into(),
            counter: None,
            staff: None,
        }
    }

    /// docs/reports.md, "The 766 rate, worked": ten dossiers resolved; one late, two rated dissatisfied (one of
    /// them the late one), one with a complaint, one neutral, the rest unrated → (10 − 3) ÷ 10 = 70%.
    #[test]
    fn the_766_rate_counts_each_unhappy_dossier_once() {
        let day = 86_400_000;
        let mut dossiers: Vec<DossierFact> =
            (1..=10).map(|id| dossier(id, Some((5 * day, "1970-01-06")), Some((5 * day, "1970-01-06")))).collect();
        dossiers[0].resolved_ms = Some(6 * day); // late
        dossiers[0].resolved_day = Some("1970-01-07".into());
        dossiers[1].resolved_ms = Some(2 * day); // early
        dossiers[1].resolved_day = Some("1970-01-03".into());
        let ratings = [
            rating(Level::Dissatisfied, false, Some(1)),
            rating(Level::Dissatisfied, false, Some(2)),
            rating(Level::Satisfied, true, Some(3)),
            rating(Level::Neutral, false, Some(4)),
            rating(Level::Dissatisfied, false, None),
        ];
        let d: Vec<&DossierFact> = dossiers.iter().collect();
        let r: Vec<&RatingFact> = ratings.iter().collect();
        let f = figures(&[], &d, &r, None, (0, 30 * day), 15);
        assert_eq!((f.dossiers.resolved, f.dossiers.early, f.dossiers.on_time, f.dossiers.late), (10, 1, 8, 1));
        assert_eq!(f.dossiers.on_time_pct, Some(90.0));
        assert_eq!(f.satisfaction.rate_766_pct, Some(70.0));
        assert_eq!(
            f.satisfaction.rate_766_formula,
            "(10 hồ sơ đã giải quyết − 3 hồ sơ không hài lòng, có phản ánh hoặc trễ hạn) ÷ 10 × 100"
        );
        assert_eq!((f.satisfaction.ratings, f.satisfaction.dissatisfied, f.satisfaction.complaints), (5, 3, 1));
        assert_eq!(f.dossiers.apologies_needed, 1);
    }

    #[test]
    fn minutes_and_numbers() {
        let m = minutes(vec![60_000, 120_000, 180_000, 240_000, 30 * 60_000]);
        assert_eq!((m.count, m.mean, m.median, m.p90, m.max), (5, 8.0, 3.0, 30.0, 30.0));
        assert_eq!(minutes(vec![]), Minutes::default());
        assert_eq!(thousands(97_677), "97.677");
        assert_eq!(thousands(12), "12");
        assert_eq!(thousands(1_234_567), "1.234.567");
    }
}
