//! Dossiers from the back office's dossier management system, as a JSON array or a CSV sheet with the
//! same columns (docs/dossiers.md). Every record is checked; problems come back as `file:line: field:
//! message` and nothing is imported unless the whole file is clean.

use super::FileProblem;
use crate::domain::dossier::{DossierCode, Status};
use serde::Deserialize;
use time::PrimitiveDateTime;

/// One dossier as a file gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRecord {
    pub code: DossierCode,
    pub procedure_code: String,
    pub procedure_name: String,
    /// 1 at the counter, 2 online, 3 by post.
    pub channel: u8,
    pub applicant_name: Option<String>,
    /// Digits only.
    pub applicant_phone: Option<String>,
    /// Local time.
    pub received: PrimitiveDateTime,
    pub appointment: Option<PrimitiveDateTime>,
    pub status: Status,
    /// What the status asks of the applicant, e.g. which document to add.
    pub note: String,
    pub collect_at: String,
    pub documents: Vec<String>,
}

/// A record as written, before checking (JSON and CSV alike).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    /// Absent when the code comes from elsewhere (the API's path).
    #[serde(default)]
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    #[serde(default)]
    pub channel: Option<u8>,
    #[serde(default)]
    pub applicant_name: Option<String>,
    #[serde(default)]
    pub applicant_phone: Option<String>,
    pub received: String,
    #[serde(default)]
    pub appointment: Option<String>,
    pub status: u8,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub collect_at: Option<String>,
    /// JSON: a list; CSV: names separated by ";".
    #[serde(default)]
    pub documents: Option<Documents>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Documents {
    List(Vec<String>),
    Joined(String),
}

/// "2026-08-04 09:30" or "2026-08-04T09:30" (local time).
pub fn parse_local(text: &str) -> Option<PrimitiveDateTime> {
    let text = text.trim().replacen('T', " ", 1);
    let (date, clock) = text.split_once(' ')?;
    let date = time::Date::parse(date, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let clock = crate::domain::calendar::parse_time(clock.get(..5).unwrap_or(clock))?;
    Some(PrimitiveDateTime::new(date, clock))
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks one record; `problem(field, message)` collects what is wrong.
pub fn check(raw: RawRecord, mut problem: impl FnMut(&str, String)) -> Option<DossierRecord> {
    let code = DossierCode::parse(&raw.code);
    if code.is_none() {
        problem("code", format!("\"{}\" is not a dossier code (<agency code>-<yyMMdd>-<NNNN>)", raw.code));
    }
    let (procedure_code, procedure_name) =
        (raw.procedure_code.trim().to_string(), raw.procedure_name.trim().to_string());
    if procedure_code.is_empty() {
        problem("procedure_code", "is empty".into());
    }
    if procedure_name.is_empty() {
        problem("procedure_name", "is empty".into());
    }
    let channel = raw.channel.unwrap_or(1);
    if !(1..=3).contains(&channel) {
        problem("channel", format!("{channel} is not 1 (counter), 2 (online) or 3 (post)"));
    }
    let phone =
        text(raw.applicant_phone).map(|p| p.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect::<String>());
    if let Some(p) = &phone {
        let digits = p.strip_prefix('+').unwrap_or(p);
        if !(8..=13).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            problem("applicant_phone", format!("\"{p}\" is not a phone number"));
        }
    }
    let received = parse_local(&raw.received);
    if received.is_none() {
        problem("received", format!("\"{}\" is not a local time (YYYY-MM-DD HH:MM)", raw.received));
    }
    let appointment = match text(raw.appointment) {
        None => None,
        Some(a) => match parse_local(&a) {
            Some(t) => Some(t),
            None => {
                problem("appointment", format!("\"{a}\" is not a local time (YYYY-MM-DD HH:MM)"));
                None
            }
        },
    };
    if let (Some(r), Some(a)) = (received, appointment) {
        if a < r {
            problem("appointment", format!("{a} is before the dossier was received ({r})"));
        }
    }
    let status = Status::from_code(raw.status);
    if status.is_none() {
        problem("status", format!("{} is not a national status code (1 to 10)", raw.status));
    }
    let documents = match raw.documents {
        None => Vec::new(),
        Some(Documents::List(l)) => l,
        Some(Documents::Joined(s)) => s.split(';').map(str::to_string).collect(),
    };
    let documents: Vec<String> =
        documents.into_iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
    Some(DossierRecord {
        code: code?,
        procedure_code,
        procedure_name,
        channel,
        applicant_name: text(raw.applicant_name),
        applicant_phone: phone,
        received: received?,
        appointment,
        status: status?,
        note: text(raw.note).unwrap_or_default(),
        collect_at: text(raw.collect_at).unwrap_or_default(),
        documents,
    })
}

/// Reads a JSON array of records or a CSV sheet (by the file's name); all problems, or all records.
pub fn read(name: &str, text: &str) -> Result<Vec<DossierRecord>, Vec<FileProblem>> {
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let mut at = |line: usize, field: &str, message: String| {
        problems.push(FileProblem { file: name.to_string(), line, field: field.to_string(), message })
    };
    if name.to_ascii_lowercase().ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return Err(vec![FileProblem { file: name.into(), line: 1, field: "-".into(), message: e.to_string() }])
            }
        };
        for result in reader.records() {
            let line = result.as_ref().map_or(0, |r| r.position().map_or(0, |p| p.line() as usize));
            let raw = result.map_err(|e| e.to_string()).and_then(|r| {
                let mut r = r.deserialize::<RawRecord>(Some(&headers)).map_err(|e| e.to_string())?;
                r.documents = r.documents.filter(|d| !matches!(d, Documents::Joined(s) if s.is_empty()));
                Ok(r)
            });
            match raw {
                Ok(raw) => records.extend(check(raw, |f, m| at(line, f, m))),
                Err(e) => at(line, "-", e),
            }
        }
    } else {
        let items: Vec<&serde_json::value::RawValue> = match serde_json::from_str(text) {
            Ok(items) => items,
            Err(e) => {
                return Err(vec![FileProblem {
                    file: name.into(),
                    line: e.line(),
                    field: "-".into(),
                    message: format!("not a JSON array of dossiers: {e}"),
                }])
            }
        };
        // Lines are counted from one record to the next, not from the top each time.
        let (mut counted, mut line) = (0, 1);
        for item in items {
            let offset = item.get().as_ptr() as usize - text.as_ptr() as usize;
            line += text[counted..offset].matches('\n').count();
            counted = offset;
            match serde_json::from_str::<RawRecord>(item.get()) {
                Ok(raw) => records.extend(check(raw, |f, m| at(line, f, m))),
                Err(e) => at(line + e.line() - 1, "-", e.to_string()),
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for r in &records {
        if !seen.insert(r.code.to_string()) {
            problems.push(FileProblem {
                file: name.into(),
                line: 0,
                field: "code".into(),
                message: format!("{} appears more than once", r.code),
            });
        }
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"[
  {"code": "H99-260804-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
   "channel": 1, "applicant_name": "Nguyễn Văn Hải", "applicant_phone": "0912 345 678",
   "received": "2026-08-04 09:30", "appointment": "2026-08-07 09:30", "status": 4,
   "documents": ["Giấy chứng sinh", "Tờ khai"]},
  {"code": "H99-260804-0002", "procedure_code": "2.000908", "procedure_name": "Chứng thực bản sao",
   "received": "2026-08-04T10:00", "status": 5, "note": "Bổ sung bản chính CCCD"}
]"#;

    #[test]
    fn json_and_csv_give_the_same_records() {
        let from_json = read("d.json", JSON).unwrap();
        assert_eq!(from_json.len(), 2);
        assert_eq!(from_json[0].applicant_phone.as_deref(), Some("0912345678"));
        assert_eq!(from_json[0].documents, ["Giấy chứng sinh", "Tờ khai"]);
        assert_eq!(from_json[1].status, Status::Supplement);
        assert_eq!(from_json[1].channel, 1);
        let csv = "code,procedure_code,procedure_name,channel,applicant_name,applicant_phone,received,appointment,status,note,collect_at,documents\n\
                   H99-260804-0001,1.001193,Đăng ký khai sinh,1,Nguyễn Văn Hải,0912 345 678,2026-08-04 09:30,2026-08-07 09:30,4,,,Giấy chứng sinh; Tờ khai\n\
                   H99-260804-0002,2.000908,Chứng thực bản sao,,,,2026-08-04T10:00,,5,Bổ sung bản chính CCCD,,\n";
        assert_eq!(read("d.csv", csv).unwrap(), from_json);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = r#"[
  {"code": "H99-260804-0001", "procedure_code": "1", "procedure_name": "A", "received": "2026-08-04 09:30", "status": 4},
  {"code": "H99-261304-0002", "procedure_code": "", "procedure_name": "B", "channel": 7,
   "applicant_phone": "12ab", "received": "yesterday", "status": 11},
  {"code": "H99-260804-0001", "procedure_code": "1", "procedure_name": "A", "received": "2026-08-04 09:30",
   "appointment": "2026-08-01 08:00", "status": 2},
  {"code": "H99-260804-0003", "procedure_code": "1", "procedure_name": "A", "received": "2026-08-04 09:30", "status": 2, "ssn": "1"}
]"#;
        let problems = read("d.json", bad).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        for want in [
            "d.json:3: code:",
            "d.json:3: procedure_code: is empty",
            "d.json:3: channel: 7 is not",
            "d.json:3: applicant_phone:",
            "d.json:3: received:",
            "d.json:3: status: 11",
            "d.json:5: appointment: 2026-08-01 8:00:00.0 is before",
            "d.json:7: -: unknown field `ssn`",
        ] {
            assert!(text.iter().any(|t| t.starts_with(want)), "no {want:?} in {text:#?}");
        }
        assert!(text.iter().any(|t| t.contains("H99-260804-0001 appears more than once")), "{text:#?}");
        assert!(read("d.json", "{\"not\": \"a list\"}").is_err());
        assert!(read("d.csv", "code,ssn\nH99-260804-0001,1\n").is_err());
    }
}
