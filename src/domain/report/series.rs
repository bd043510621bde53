//! The report's series for tables and charts: the mean wait by hour of the day, each day's volumes, and
//! each procedure's dossiers.

use super::{mean, pct, timeliness, DossierFact, Facts, TicketFact, Timeliness};
use crate::domain::clock::{instant, local};
use crate::domain::ticket::TicketState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One day of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayRow {
    pub day: String,
    pub issued: u64,
    pub served: u64,
    pub received: u64,
    pub resolved: u64,
}

/// One procedure's dossiers in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcedureRow {
    pub code: String,
    pub received: u64,
    pub resolved: u64,
    pub late: u64,
    pub on_time_pct: Option<f64>,
    /// Mean working days from receipt to resolution.
    pub avg_working_days: Option<f64>,
}

/// Mean wait (minutes) of the tickets taken in each hour of the day.
pub fn wait_by_hour(tickets: &[TicketFact]) -> Vec<Option<f64>> {
    let mut waits: Vec<Vec<f64>> = vec![Vec::new(); 24];
    for t in tickets {
        if let Some(called) = t.called_ms {
            waits[usize::from(t.hour.min(23))].push((called - t.arrived_ms).max(0) as f64 / 60_000.0);
        }
    }
    waits.into_iter().map(|w| mean(w.into_iter())).collect()
}

/// Each day that saw a ticket taken, a dossier received or one resolved.
pub fn daily(facts: &Facts) -> Vec<DayRow> {
    let mut days: BTreeMap<String, DayRow> = BTreeMap::new();
    for t in &facts.tickets {
        let d = days.entry(t.day.clone()).or_default();
        d.issued += 1;
        d.served += u64::from(t.state == TicketState::Done);
    }
    let in_period = |ms: i64| ms >= facts.from_ms && ms < facts.to_ms;
    for d in &facts.dossiers {
        if in_period(d.received_ms) {
            if let Some(day) = instant(d.received_ms).map(|t| local(t).0) {
                days.entry(day).or_default().received += 1;
            }
        }
        if let (Some(ms), Some(day)) = (d.resolved_ms, &d.resolved_day) {
            if in_period(ms) {
                days.entry(day.clone()).or_default().resolved += 1;
            }
        }
    }
    days.into_iter().map(|(day, r)| DayRow { day, ..r }).collect()
}

/// Each procedure's received and resolved dossiers, its share on time and its mean working days.
pub fn procedures(dossiers: &[DossierFact], period: (i64, i64)) -> Vec<ProcedureRow> {
    let in_period = |ms: i64| ms >= period.0 && ms < period.1;
    let mut rows: BTreeMap<&str, (ProcedureRow, Vec<f64>)> = BTreeMap::new();
    for d in dossiers {
        let (row, days) = rows.entry(&d.procedure).or_default();
        row.received += u64::from(in_period(d.received_ms));
        if d.resolved_ms.is_some_and(in_period) {
            row.resolved += 1;
            row.late += u64::from(timeliness(d) == Some(Timeliness::Late));
            days.extend(d.working_days.map(f64::from));
        }
    }
    rows.into_iter()
        .map(|(code, (row, days))| ProcedureRow {
            code: code.to_string(),
            on_time_pct: pct(row.resolved - row.late, row.resolved),
            avg_working_days: mean(days.into_iter()),
            ..row
        })
        .collect()
}
