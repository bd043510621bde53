//! A report as files for scripts and the province's monthly forms: JSON (the contract of docs/reports.md)
//! and CSV (one row for the hall, then one per service, counter or staff member). Text cells that a
//! spreadsheet would read as a formula (starting with = + - @) are neutralised with a leading apostrophe.

use crate::domain::report::{Figures, Report};

/// The CSV's columns, in order.
pub const COLUMNS: &[&str] = &[
    "group",
    "tickets_issued",
    "tickets_served",
    "tickets_no_show",
    "tickets_voided",
    "tickets_transferred",
    "tickets_closed_unserved",
    "wait_mean",
    "wait_median",
    "wait_p90",
    "wait_max",
    "within_target_pct",
    "dossiers_received",
    "dossiers_resolved",
    "dossiers_early",
    "dossiers_on_time",
    "dossiers_late",
    "dossiers_on_time_pct",
    "ratings",
    "very_satisfied",
    "satisfied",
    "neutral",
    "dissatisfied",
    "complaints",
    "rate_766_pct",
];

/// A text cell a spreadsheet will not run: a leading = + - @ (or tab, carriage return) gets an apostrophe.
pub fn neutral(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn quoted(cell: &str) -> String {
    let cell = neutral(cell);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn number(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// The cells of one group, in `COLUMNS` order after the group's name.
pub fn cells(f: &Figures) -> Vec<String> {
    let t = &f.tickets;
    let d = &f.dossiers;
    let s = &f.satisfaction;
    let w = &f.wait_minutes;
    let n = |x: u64| x.to_string();
    vec![
        n(t.issued),
        n(t.served),
        n(t.no_show),
        n(t.voided),
        n(t.transferred),
        n(t.closed_unserved),
        w.mean.to_string(),
        w.median.to_string(),
        w.p90.to_string(),
        w.max.to_string(),
        number(f.within_target_pct),
        n(d.received),
        n(d.resolved),
        n(d.early),
        n(d.on_time),
        n(d.late),
        number(d.on_time_pct),
        n(s.ratings),
        n(s.very_satisfied),
        n(s.satisfied),
        n(s.neutral),
        n(s.dissatisfied),
        n(s.complaints),
        number(s.rate_766_pct),
    ]
}

/// The report as CSV: a header, the hall ("all"), then the breakdown's rows.
pub fn csv(r: &Report) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    let mut row = |group: &str, f: &Figures| {
        let mut line = vec![quoted(group)];
        line.extend(cells(f));
        out.push_str(&line.join(","));
        out.push('\n');
    };
    row("all", &r.figures);
    for by in r.by.iter().flatten() {
        row(&by.key, &by.figures);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_quotes_doubled() {
        assert_eq!(neutral("=1+1"), "'=1+1");
        assert_eq!(neutral("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutral("-2"), "'-2");
        assert_eq!(neutral("Hộ tịch"), "Hộ tịch");
        assert_eq!(quoted("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(cells(&Figures::default()).len() + 1, COLUMNS.len());
    }
}
