//! A year's working-day schedule (`assets/calendar/YYYY.toml`): its days off, the weekend days worked
//! instead, whether it is the official announcement, and where it comes from. The bundled years are built
//! into the binary; a deployment enters a newly announced year as a file of the same form.

use crate::domain::calendar::{CalendarYear, DayOff};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

const BUNDLED: [(&str, &str); 2] = [
    ("assets/calendar/2026.toml", include_str!("../../assets/calendar/2026.toml")),
    ("assets/calendar/2027.toml", include_str!("../../assets/calendar/2027.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    status: String,
    source: String,
    #[serde(default)]
    off: Vec<OffEntry>,
    #[serde(default)]
    worked: Vec<WorkedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OffEntry {
    date: Option<String>,
    from: Option<String>,
    to: Option<String>,
    name: String,
    #[serde(default)]
    provisional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkedEntry {
    date: String,
    #[serde(default)]
    #[allow(dead_code)]
    name: String,
}

fn day(text: &str, year: i32, what: &str) -> Result<Date, String> {
    let date = Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{what} \"{text}\" is not a date (YYYY-MM-DD)"))?;
    if date.year() != year {
        return Err(format!("{what} {text} is not in {year}"));
    }
    Ok(date)
}

/// Reads one year's file; `origin` names it in messages.
pub fn parse_year(text: &str, origin: &str) -> Result<CalendarYear, String> {
    let file: YearFile = toml::from_str(text).map_err(|e| format!("{origin}: {}", e.message()))?;
    let at = |m: String| format!("{origin}: {m}");
    let provisional = match file.status.as_str() {
        "official" => false,
        "provisional" => true,
        other => return Err(at(format!("status \"{other}\" is not \"official\" or \"provisional\""))),
    };
    if file.source.trim().is_empty() {
        return Err(at("source is empty: say where the days come from".into()));
    }
    let mut off = BTreeMap::new();
    for entry in file.off {
        let (first, last) = match (&entry.date, &entry.from, &entry.to) {
            (Some(d), None, None) => (day(d, file.year, "date").map_err(at)?, day(d, file.year, "date").map_err(at)?),
            (None, Some(f), Some(t)) => (day(f, file.year, "from").map_err(at)?, day(t, file.year, "to").map_err(at)?),
            _ => return Err(at(format!("\"{}\": give either date, or from and to", entry.name))),
        };
        if last < first || (last - first).whole_days() > 31 {
            return Err(at(format!("\"{}\": from {first} to {last} is not a holiday", entry.name)));
        }
        let mut d = first;
        while d <= last {
            off.insert(d, DayOff { name: entry.name.clone(), provisional: entry.provisional });
            d = d.next_day().ok_or_else(|| at("date out of range".into()))?;
        }
    }
    let worked: BTreeSet<Date> =
        file.worked.iter().map(|w| day(&w.date, file.year, "worked date")).collect::<Result<_, _>>().map_err(at)?;
    if let Some(both) = worked.iter().find(|d| off.contains_key(d)) {
        return Err(at(format!("{both} is both a day off and a day worked")));
    }
    Ok(CalendarYear { year: file.year, provisional, source: file.source, off, worked })
}

/// The text of a bundled year's file, if that year is bundled.
pub fn bundled_text(year: i32) -> Option<&'static str> {
    BUNDLED.iter().find(|(origin, _)| origin.ends_with(&format!("/{year}.toml"))).map(|(_, text)| *text)
}

/// A year's file to fill in: the Labour Code's fixed holidays, Tết and the make-up days left to enter.
pub fn template(year: i32) -> String {
    format!(
        "# Lịch làm việc năm {year}: ngày nghỉ lễ, Tết và ngày làm bù theo thông báo của Chính phủ.\n\
         year = {year}\nstatus = \"official\"\nsource = \"Thông báo số …/TB-BNV (ghi rõ văn bản)\"\n\n\
         [[off]]\ndate = \"{year}-01-01\"\nname = \"Tết Dương lịch\"\n\n\
         # Tết Nguyên đán: từ ngày … đến ngày …\n[[off]]\nfrom = \"{year}-02-01\"\nto = \"{year}-02-05\"\nname = \"Tết Nguyên đán\"\n\n\
         [[off]]\nfrom = \"{year}-04-30\"\nto = \"{year}-05-01\"\nname = \"Ngày Chiến thắng, Quốc tế Lao động\"\n\n\
         [[off]]\nfrom = \"{year}-09-01\"\nto = \"{year}-09-02\"\nname = \"Quốc khánh\"\n\n\
         # Ngày thứ Bảy đi làm bù, nếu có:\n# [[worked]]\n# date = \"{year}-…\"\n# name = \"Làm bù\"\n"
    )
}

/// The years built into the binary.
pub fn bundled() -> Vec<CalendarYear> {
    BUNDLED
        .iter()
        .filter_map(|(origin, text)| match parse_year(text, origin) {
            Ok(year) => Some(year),
            Err(e) => {
                tracing::error!(error = %e, "a bundled calendar year does not read");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_bundled_years_read_and_hold_tet() {
        let years = bundled();
        assert_eq!(years.len(), BUNDLED.len(), "every bundled file reads");
        let y2026 = years.iter().find(|y| y.year == 2026).unwrap();
        assert!(!y2026.provisional);
        for d in [date!(2026 - 02 - 16), date!(2026 - 02 - 20), date!(2026 - 04 - 27), date!(2026 - 05 - 01)] {
            assert!(y2026.off.contains_key(&d), "{d}");
        }
        assert!(y2026.off[&date!(2026 - 09 - 01)].provisional);
        let y2027 = years.iter().find(|y| y.year == 2027).unwrap();
        assert!(y2027.provisional);
        assert!(y2027.off.contains_key(&date!(2027 - 02 - 08)));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let bad = |text: &str| parse_year(text, "x.toml").unwrap_err();
        assert!(bad("year = 2026\nstatus = \"maybe\"\nsource = \"s\"").contains("status \"maybe\""));
        assert!(bad("year = 2026\nstatus = \"official\"\nsource = \" \"").contains("source is empty"));
        let other_year =
            "year = 2026\nstatus = \"official\"\nsource = \"s\"\n[[off]]\ndate = \"2025-01-01\"\nname = \"n\"";
        assert!(bad(other_year).contains("not in 2026"));
        let both = "year = 2026\nstatus = \"official\"\nsource = \"s\"\n[[off]]\ndate = \"2026-01-01\"\nfrom = \"2026-01-01\"\nname = \"n\"";
        assert!(bad(both).contains("either date, or from and to"));
        let backwards = "year = 2026\nstatus = \"official\"\nsource = \"s\"\n[[off]]\nfrom = \"2026-02-20\"\nto = \"2026-02-16\"\nname = \"Tết\"";
        assert!(bad(backwards).contains("is not a holiday"));
        assert!(bad("year = 2026\nstatus = \"official\"\nsource = \"s\"\nextra = 1").starts_with("x.toml:"));
    }
}
