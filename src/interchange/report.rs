//! A report as files for scripts and the province's monthly forms: JSON (the contract of docs/reports.md),
//! CSV and a spreadsheet (one row for the hall, then one per service, counter or staff member; the
//! spreadsheet adds sheets per procedure and per day). Text cells that a spreadsheet would read as a formula
//! (starting with = + - @) are neutralised with a leading apostrophe.

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
    "counter_hours",
    "served_per_counter_hour",
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
        number(f.counter_hours),
        number(f.served_per_counter_hour),
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

/// The report as an .xlsx workbook: "Báo cáo" with the `COLUMNS` rows (numbers as numbers, an empty cell
/// where CSV has an empty field), "Thủ tục" per procedure and "Theo ngày" per day.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("Báo cáo")?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    let groups =
        std::iter::once(("all", &r.figures)).chain(r.by.iter().flatten().map(|b| (b.key.as_str(), &b.figures)));
    for (i, (group, f)) in groups.enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, neutral(group))?;
        for (c, cell) in cells(f).iter().enumerate() {
            if let Ok(x) = cell.parse::<f64>() {
                sheet.write_number(row, c as u16 + 1, x)?;
            }
        }
    }
    sheet.write_string(r.by.as_ref().map_or(0, Vec::len) as u32 + 3, 0, neutral(&r.sentence))?;
    let sheet = book.add_worksheet().set_name("Thủ tục")?;
    for (c, name) in ["procedure", "received", "resolved", "late", "on_time_pct", "avg_working_days"].iter().enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (i, p) in r.procedures.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, neutral(&p.code))?;
        sheet.write_number(row, 1, p.received as f64)?;
        sheet.write_number(row, 2, p.resolved as f64)?;
        sheet.write_number(row, 3, p.late as f64)?;
        if let Some(x) = p.on_time_pct {
            sheet.write_number(row, 4, x)?;
        }
        if let Some(x) = p.avg_working_days {
            sheet.write_number(row, 5, x)?;
        }
    }
    let sheet = book.add_worksheet().set_name("Theo ngày")?;
    for (c, name) in ["day", "issued", "served", "received", "resolved"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (i, d) in r.daily.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &d.day)?;
        for (c, x) in [d.issued, d.served, d.received, d.resolved].iter().enumerate() {
            sheet.write_number(row, c as u16 + 1, *x as f64)?;
        }
    }
    book.save_to_buffer()
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
