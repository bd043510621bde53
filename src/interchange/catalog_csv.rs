//! The flat catalog sheet: one row per channel of a case of a procedure, so it can be kept in a spreadsheet.
//! Rows with the same `code` build one procedure; procedure columns may be left empty after its first row.
//! Lists inside a cell are separated by `|`. See `docs/catalog-format.md`.

use super::{finish, CatalogFile, FileProblem, ImportError, Parsed};
use crate::domain::catalog::{
    Case, Channel, ChannelKind, Fee, Level, Mark, OnlineLevel, Procedure, RequiredDocument, TimeLimit, TimeUnit,
};
use std::collections::HashMap;

/// Every column the sheet may have. `code`, `name`, `field`, `levels` and `channel` are required.
pub const COLUMNS: &[&str] = &[
    "code",
    "name",
    "field",
    "levels",
    "agency",
    "case",
    "channel",
    "time_value",
    "time_unit",
    "time_text",
    "next_day_after",
    "time_verified",
    "fee_amount",
    "fee_text",
    "fee_exemptions",
    "fee_verified",
    "documents",
    "steps",
    "result",
    "legal_basis",
    "conditions",
    "online_level",
    "online_url",
    "keywords",
    "verified",
    "effective_date",
    "decision",
];
const REQUIRED: &[&str] = &["code", "name", "field", "levels", "channel"];
/// Columns that describe the procedure rather than one channel: they must agree across its rows.
const PROCEDURE_COLUMNS: &[&str] = &[
    "name",
    "field",
    "levels",
    "agency",
    "documents",
    "steps",
    "result",
    "legal_basis",
    "conditions",
    "online_level",
    "online_url",
    "keywords",
    "verified",
    "effective_date",
    "decision",
];

struct Row<'r> {
    line: usize,
    cells: HashMap<&'static str, &'r str>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(|s| s.trim()).unwrap_or("")
    }
}

fn list(cell: &str) -> Vec<String> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn optional(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

/// Reads a value spelled as its JSON name ("truc_tiep"), reporting the allowed names otherwise.
fn word<T: serde::de::DeserializeOwned>(cell: &str, allowed: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(cell.to_string()))
        .map_err(|_| format!("\"{cell}\" is not allowed; use one of: {allowed}"))
}

/// A verified mark: `true`/empty (checked, no source recorded), `false`, or `source: …` (`nguồn: …`).
fn mark(cell: &str) -> Result<Mark, String> {
    let trimmed = cell.trim();
    let lower = trimmed.to_lowercase();
    for prefix in ["source:", "nguồn:"] {
        if lower.starts_with(prefix) {
            // The prefixes keep their length in lower case.
            return Ok(Mark::sourced(trimmed[prefix.len()..].trim()));
        }
    }
    match lower.as_str() {
        "" | "true" | "yes" | "1" | "x" => Ok(Mark::default()),
        "false" | "no" | "0" => Ok(Mark::Unverified),
        _ => Err(format!("\"{cell}\" is not a verified mark; use true, false or \"source: <where it was checked>\"")),
    }
}

/// `Tờ khai CT01 [originals=1; copies=0; form=Mẫu CT01; unverified]` (or `source=QĐ 1234/QĐ-UBND`)
fn document(item: &str) -> Result<RequiredDocument, String> {
    let (name, options) = match item.rfind('[') {
        Some(i) if item.ends_with(']') => (item[..i].trim(), &item[i + 1..item.len() - 1]),
        _ => (item.trim(), ""),
    };
    let mut doc =
        RequiredDocument { name: name.to_string(), originals: 0, copies: 0, form: None, verified: Mark::default() };
    for option in options.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (key, value) = option.split_once('=').map(|(k, v)| (k.trim(), v.trim())).unwrap_or((option, ""));
        let count = || value.parse::<u32>().map_err(|_| format!("{key}={value}: not a whole number in \"{item}\""));
        match key {
            "originals" => doc.originals = count()?,
            "copies" => doc.copies = count()?,
            "form" => doc.form = optional(value),
            "unverified" => doc.verified = Mark::Unverified,
            "source" => doc.verified = Mark::sourced(value),
            _ => {
                return Err(format!(
                    "unknown option \"{key}\" in \"{item}\"; use originals, copies, form, unverified, source"
                ))
            }
        }
    }
    Ok(doc)
}

pub fn parse(name: &str, text: &str) -> Result<CatalogFile, ImportError> {
    let problem = |line: usize, field: &str, message: String| FileProblem {
        file: name.to_string(),
        line,
        field: field.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(ImportError::Problems(vec![problem(1, "header", e.to_string())])),
    };
    let mut problems = Vec::new();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        match COLUMNS.iter().find(|c| **c == h) {
            Some(c) if index.contains(&Some(*c)) => {
                problems.push(problem(1, h, "this column appears twice".into()));
                index.push(None);
            }
            Some(c) => index.push(Some(*c)),
            None => {
                problems.push(problem(
                    1,
                    &format!("column {}", i + 1),
                    format!("unknown column \"{h}\"; columns are: {}", COLUMNS.join(", ")),
                ));
                index.push(None);
            }
        }
    }
    for required in REQUIRED {
        if !index.contains(&Some(*required)) {
            problems.push(problem(1, required, "required column is missing".into()));
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems(problems));
    }

    let records: Vec<(usize, csv::StringRecord)> = {
        let mut out = Vec::new();
        for result in reader.records() {
            match result {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    if r.iter().any(|c| !c.trim().is_empty()) {
                        out.push((line, r));
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(problem(line, "row", e.to_string()));
                }
            }
        }
        out
    };
    let rows: Vec<Row<'_>> = records
        .iter()
        .map(|(line, r)| {
            if r.len() > index.len() {
                problems.push(problem(
                    *line,
                    "row",
                    format!("{} cells but the header has {} columns", r.len(), index.len()),
                ));
            }
            let cells = index.iter().zip(r.iter()).filter_map(|(c, v)| c.map(|c| (c, v))).collect();
            Row { line: *line, cells }
        })
        .collect();

    // Group rows by code, keeping the order of first appearance.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Row<'_>>> = HashMap::new();
    for row in &rows {
        let code = row.get("code").to_string();
        if code.is_empty() {
            problems.push(problem(row.line, "code", "must not be empty".into()));
            continue;
        }
        if !groups.contains_key(&code) {
            order.push(code.clone());
        }
        groups.entry(code).or_default().push(row);
    }

    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    for code in order {
        let group = &groups[&code];
        let first = group[0];
        let mut bad = |line: usize, field: &str, message: String| problems.push(problem(line, field, message));
        for row in &group[1..] {
            for column in PROCEDURE_COLUMNS {
                let (a, b) = (first.get(column), row.get(column));
                if !b.is_empty() && a != b {
                    bad(row.line, column, format!("differs from line {} of the same procedure", first.line));
                }
            }
        }
        let levels: Vec<Level> = list(first.get("levels"))
            .iter()
            .filter_map(|l| word(l, Level::ALLOWED).map_err(|m| bad(first.line, "levels", m)).ok())
            .collect();
        let online_level: Option<OnlineLevel> = match first.get("online_level") {
            "" => None,
            v => word(v, OnlineLevel::ALLOWED).map_err(|m| bad(first.line, "online_level", m)).ok(),
        };
        let verified = mark(first.get("verified")).unwrap_or_else(|m| {
            bad(first.line, "verified", m);
            Mark::default()
        });
        let documents = list(first.get("documents"))
            .iter()
            .filter_map(|d| document(d).map_err(|m| bad(first.line, "documents", m)).ok())
            .collect();

        let mut cases: Vec<Case> = Vec::new();
        let mut channel_lines: Vec<Vec<usize>> = Vec::new();
        for row in group {
            let case_name = optional(row.get("case"));
            let kind: Option<ChannelKind> =
                word(row.get("channel"), ChannelKind::ALLOWED).map_err(|m| bad(row.line, "channel", m)).ok();
            let time_limit = match row.get("time_unit") {
                "" => {
                    if !row.get("time_text").is_empty() || !row.get("time_value").is_empty() {
                        bad(
                            row.line,
                            "time_unit",
                            format!("needed when a time limit is given; use one of: {}", TimeUnit::ALLOWED),
                        );
                    }
                    None
                }
                unit => {
                    let unit = word(unit, TimeUnit::ALLOWED).map_err(|m| bad(row.line, "time_unit", m)).ok();
                    let value = match row.get("time_value") {
                        "" => Some(0),
                        v => v
                            .parse::<u32>()
                            .map_err(|_| bad(row.line, "time_value", format!("\"{v}\" is not a whole number")))
                            .ok(),
                    };
                    let verified = mark(row.get("time_verified")).map_err(|m| bad(row.line, "time_verified", m)).ok();
                    match (unit, value, verified) {
                        (Some(unit), Some(value), Some(verified)) => Some(TimeLimit {
                            value,
                            unit,
                            text: row.get("time_text").to_string(),
                            next_day_after: optional(row.get("next_day_after")),
                            verified,
                        }),
                        _ => None,
                    }
                }
            };
            let fee = match row.get("fee_text") {
                "" => {
                    if !row.get("fee_amount").is_empty() {
                        bad(row.line, "fee_text", "needed when fee_amount is given".into());
                    }
                    None
                }
                text => {
                    let amount = match row.get("fee_amount") {
                        "" => Some(None),
                        v => v
                            .replace(['.', ' '], "")
                            .parse::<u64>()
                            .map(Some)
                            .map_err(|_| bad(row.line, "fee_amount", format!("\"{v}\" is not an amount in đồng")))
                            .ok(),
                    };
                    let verified = mark(row.get("fee_verified")).map_err(|m| bad(row.line, "fee_verified", m)).ok();
                    match (amount, verified) {
                        (Some(amount), Some(verified)) => Some(Fee {
                            amount,
                            text: text.to_string(),
                            exemptions: list(row.get("fee_exemptions")),
                            verified,
                        }),
                        _ => None,
                    }
                }
            };
            let Some(kind) = kind else { continue };
            let channel = Channel { kind, time_limit, fee };
            match cases.iter().position(|c| c.name == case_name) {
                Some(i) => {
                    cases[i].channels.push(channel);
                    channel_lines[i].push(row.line);
                }
                None => {
                    cases.push(Case { name: case_name, channels: vec![channel] });
                    channel_lines.push(vec![row.line]);
                }
            }
        }
        let procedure = Procedure {
            code: code.clone(),
            name: first.get("name").to_string(),
            field: first.get("field").to_string(),
            levels,
            agency: first.get("agency").to_string(),
            steps: list(first.get("steps")),
            cases,
            documents,
            result: optional(first.get("result")),
            legal_basis: list(first.get("legal_basis")),
            conditions: optional(first.get("conditions")),
            online_level,
            online_url: optional(first.get("online_url")),
            keywords: list(first.get("keywords")),
            verified,
            effective_date: optional(first.get("effective_date")),
            decision: optional(first.get("decision")),
        };
        let first_line = first.line;
        // A rule problem in cases[i].channels[j] points at the row that gave that channel.
        let locate = move |path: &str| -> usize {
            let index_after = |key: &str, s: &str| -> Option<usize> {
                let rest = &s[s.find(key)? + key.len()..];
                rest[..rest.find(']')?].parse().ok()
            };
            match (index_after("cases[", path), index_after("channels[", path)) {
                (Some(i), j) => {
                    channel_lines.get(i).and_then(|lines| lines.get(j.unwrap_or(0))).copied().unwrap_or(first_line)
                }
                _ => first_line,
            }
        };
        parsed.push(Parsed { procedure, line: first_line, locate: Box::new(locate) });
    }
    finish(name, parsed, problems, false)
}
