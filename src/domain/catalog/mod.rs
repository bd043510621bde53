//! The administrative procedure (thủ tục hành chính) as the national database describes it: cases, channels
//! with their own time limits and fees, required documents, online service level. Pure data and the rules
//! that check it; reading files lives in `interchange`, storing versions in `store`.

use serde::{Deserialize, Serialize};
use std::fmt;

pub use super::verified::Mark;
pub use wording::{describe, fee_text, time_limit_text, Section, SectionKind, NO_INFORMATION};

mod wording;

/// Government level that performs a procedure. Since July 2025 there are only two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Tinh,
    Xa,
}

impl Level {
    pub const ALLOWED: &'static str = "tinh, xa";

    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Tinh => "Cấp tỉnh",
            Level::Xa => "Cấp xã",
        }
    }
}

/// How much of the procedure can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// "Dịch vụ công trực tuyến toàn trình": everything online.
    ToanTrinh,
    /// "Dịch vụ công trực tuyến một phần": submit online, some steps in person.
    MotPhan,
    /// Information only: the procedure is published online but submitted in person.
    ChiThongTin,
}

impl OnlineLevel {
    pub const ALLOWED: &'static str = "toan_trinh, mot_phan, chi_thong_tin";

    pub fn label_vi(self) -> &'static str {
        match self {
            OnlineLevel::ToanTrinh => "Dịch vụ công trực tuyến toàn trình",
            OnlineLevel::MotPhan => "Dịch vụ công trực tuyến một phần",
            OnlineLevel::ChiThongTin => "Chỉ cung cấp thông tin (nộp trực tiếp)",
        }
    }
}

/// Where a dossier can be submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    TrucTiep,
    TrucTuyen,
    BuuChinh,
}

impl ChannelKind {
    pub const ALLOWED: &'static str = "truc_tiep, truc_tuyen, buu_chinh";

    pub fn label_vi(self) -> &'static str {
        match self {
            ChannelKind::TrucTiep => "Trực tiếp",
            ChannelKind::TrucTuyen => "Trực tuyến",
            ChannelKind::BuuChinh => "Qua bưu chính công ích",
        }
    }
}

/// The unit a time limit counts in. Working days skip weekends and public holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    WorkingDays,
    Days,
    Hours,
    SameDay,
}

impl TimeUnit {
    pub const ALLOWED: &'static str = "working_days, days, hours, same_day";
}

/// A time limit: the structured value for computing appointments and the text as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    /// Number of units; 0 with `same_day`.
    #[serde(default)]
    pub value: u32,
    pub unit: TimeUnit,
    /// The limit as the procedure text words it, with its conditions.
    pub text: String,
    /// Received after this local time ("15:00"), counting starts on the next working day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_day_after: Option<String>,
    #[serde(default, skip_serializing_if = "Mark::is_unrecorded")]
    pub verified: Mark,
}

/// A fee or charge (phí, lệ phí) with the groups exempted from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// Amount in đồng when one fixed amount applies; absent when the text alone describes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    #[serde(default, skip_serializing_if = "Mark::is_unrecorded")]
    pub verified: Mark,
}

/// One channel of one case: its own time limit and fee. `None` means the catalog has no information,
/// which the kiosk shows as "chưa có thông tin" rather than guessing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: ChannelKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<TimeLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Fee>,
}

/// A case (trường hợp) of a procedure, e.g. "birth registered on time" vs "late".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Absent for a procedure with a single case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub channels: Vec<Channel>,
}

/// A document the citizen must bring (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredDocument {
    pub name: String,
    #[serde(default)]
    pub originals: u32,
    #[serde(default)]
    pub copies: u32,
    /// The form template (mẫu đơn, tờ khai) to fill in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(default, skip_serializing_if = "Mark::is_unrecorded")]
    pub verified: Mark,
}

/// One version of a procedure as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// National code (`1.001193`), optionally with a provincial suffix (`1.001193.000.00.00.H56`).
    pub code: String,
    pub name: String,
    /// Lĩnh vực, e.g. "Hộ tịch".
    pub field: String,
    pub levels: Vec<Level>,
    /// Cơ quan thực hiện.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub agency: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    pub cases: Vec<Case>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<RequiredDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// Absent when the catalog does not know; never assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_level: Option<OnlineLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Whether the code and name were checked against an official source, and which.
    #[serde(default, skip_serializing_if = "Mark::is_unrecorded")]
    pub verified: Mark,
    /// The date this version takes effect (YYYY-MM-DD), from the publishing decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<String>,
    /// The publishing decision (quyết định công bố).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// A problem found while checking a procedure: where (a dotted path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks a procedure code: a national code `d.dddddd` with optional `.suffix` parts, or a demo `DEMO-nnn`.
pub fn check_code(code: &str) -> Result<(), String> {
    let national = |c: &str| {
        let mut parts = c.split('.');
        let head = parts.next().unwrap_or_default();
        let number = parts.next().unwrap_or_default();
        head.len() == 1
            && head.bytes().all(|b| b.is_ascii_digit())
            && number.len() == 6
            && number.bytes().all(|b| b.is_ascii_digit())
            && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    let demo = |c: &str| c.strip_prefix("DEMO-").is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()));
    if national(code) || demo(code) {
        Ok(())
    } else {
        Err(format!(
            "\"{code}\" is not a procedure code: expected a national code like 1.001193 \
             (optionally with a provincial suffix such as 1.001193.000.00.00.H56) or DEMO-nnn"
        ))
    }
}

fn check_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&date[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&date[8..10].parse::<u32>().unwrap_or(0))
}

fn check_clock(hhmm: &str) -> bool {
    let mut parts = hhmm.split(':');
    let (Some(h), Some(m), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    h.len() == 2 && m.len() == 2 && h.parse::<u32>().is_ok_and(|h| h < 24) && m.parse::<u32>().is_ok_and(|m| m < 60)
}

impl Procedure {
    /// Every rule a procedure must meet beyond its JSON shape. Paths are relative to the procedure.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut add = |path: String, message: String| out.push(Problem { path, message });
        if let Err(m) = check_code(&self.code) {
            add("code".into(), m);
        }
        for (path, value) in [("name", &self.name), ("field", &self.field)] {
            if value.trim().is_empty() {
                add(path.into(), "must not be empty".into());
            }
        }
        if self.levels.is_empty() {
            add("levels".into(), format!("name at least one level ({})", Level::ALLOWED));
        }
        if self.cases.is_empty() {
            add("cases".into(), "a procedure needs at least one case with at least one channel".into());
        }
        for (i, case) in self.cases.iter().enumerate() {
            if case.channels.is_empty() {
                add(format!("cases[{i}].channels"), "a case needs at least one channel".into());
            }
            if self.cases.len() > 1 && case.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                add(format!("cases[{i}].name"), "each of several cases needs a name".into());
            }
            for (j, channel) in case.channels.iter().enumerate() {
                let at = format!("cases[{i}].channels[{j}]");
                if case.channels[..j].iter().any(|c| c.kind == channel.kind) {
                    add(format!("{at}.kind"), "the same channel is listed twice in this case".into());
                }
                if let Some(t) = &channel.time_limit {
                    if t.text.trim().is_empty() {
                        add(format!("{at}.time_limit.text"), "must not be empty".into());
                    }
                    if t.unit == TimeUnit::SameDay && t.value != 0 {
                        add(format!("{at}.time_limit.value"), "must be 0 with unit same_day".into());
                    }
                    if t.unit != TimeUnit::SameDay && t.value == 0 {
                        add(format!("{at}.time_limit.value"), "must be at least 1 (or use unit same_day)".into());
                    }
                    if let Some(h) = &t.next_day_after {
                        if !check_clock(h) {
                            add(format!("{at}.time_limit.next_day_after"), format!("\"{h}\" is not a time like 15:00"));
                        }
                    }
                }
                if let Some(f) = &channel.fee {
                    if f.text.trim().is_empty() {
                        add(format!("{at}.fee.text"), "must not be empty".into());
                    }
                }
            }
        }
        for (i, d) in self.documents.iter().enumerate() {
            if d.name.trim().is_empty() {
                add(format!("documents[{i}].name"), "must not be empty".into());
            }
        }
        if let Some(url) = &self.online_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(char::is_whitespace) {
                add("online_url".into(), format!("\"{url}\" is not an http(s) address"));
            }
        }
        if matches!(self.online_level, Some(OnlineLevel::ToanTrinh | OnlineLevel::MotPhan)) && self.online_url.is_none()
        {
            add("online_url".into(), "an online service level needs the address of the online service".into());
        }
        if let Some(d) = &self.effective_date {
            if !check_date(d) {
                add("effective_date".into(), format!("\"{d}\" is not a date like 2025-07-01"));
            }
        }
        for (path, mark) in self.marks() {
            if let Some(m) = mark.problem() {
                add(path, m);
            }
        }
        out
    }

    /// Every verified mark with its path: the code and name, then each time limit, fee and document.
    pub fn marks(&self) -> Vec<(String, &Mark)> {
        let mut out = vec![("verified".to_string(), &self.verified)];
        for (i, case) in self.cases.iter().enumerate() {
            for (j, channel) in case.channels.iter().enumerate() {
                if let Some(t) = &channel.time_limit {
                    out.push((format!("cases[{i}].channels[{j}].time_limit.verified"), &t.verified));
                }
                if let Some(f) = &channel.fee {
                    out.push((format!("cases[{i}].channels[{j}].fee.verified"), &f.verified));
                }
            }
        }
        for (i, d) in self.documents.iter().enumerate() {
            out.push((format!("documents[{i}].verified"), &d.verified));
        }
        out
    }

    /// Where a citizen submits this procedure online: its page on the public-service portal, when the
    /// catalog gives one and the procedure is (fully or partly) an online service. Never made up.
    pub fn submit_online(&self) -> Option<&str> {
        let online = matches!(self.online_level, Some(OnlineLevel::ToanTrinh | OnlineLevel::MotPhan));
        self.online_url.as_deref().map(str::trim).filter(|url| online && !url.is_empty())
    }

    /// The fields (lĩnh vực) text used for grouping, trimmed.
    pub fn field_name(&self) -> &str {
        self.field.trim()
    }
}

/// The English name of a field (lĩnh vực) of commune-level procedures, where one is known: the kiosk's
/// English screens show it beside the Vietnamese. Names as the national portal's English pages give them.
pub fn field_en(field: &str) -> Option<&'static str> {
    const KNOWN: &[(&str, &str)] = &[
        ("Hộ tịch", "Civil status"),
        ("Chứng thực", "Certification"),
        ("Đất đai", "Land"),
        ("Hoạt động xây dựng", "Construction"),
        ("Thành lập và hoạt động của hộ kinh doanh", "Household business"),
        ("Bảo trợ xã hội", "Social protection"),
        ("Đăng ký, quản lý cư trú", "Residence"),
        ("Người có công", "People with meritorious services"),
        ("Giáo dục", "Education"),
        ("Giảm nghèo", "Poverty reduction"),
        ("Phổ biến giáo dục pháp luật / Hòa giải cơ sở", "Legal education / grassroots mediation"),
    ];
    let folded = crate::domain::fold::fold(field.trim());
    KNOWN.iter().find(|(vi, _)| crate::domain::fold::fold(vi) == folded).map(|(_, en)| *en)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The least a procedure needs; the wording's tests start from it too.
    pub(super) fn minimal() -> Procedure {
        serde_json::from_value(serde_json::json!({
            "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "levels": ["xa"],
            "cases": [{ "channels": [{ "kind": "truc_tiep" }] }]
        }))
        .expect("minimal procedure parses")
    }

    #[test]
    fn codes() {
        for ok in ["1.001193", "2.000635", "1.001193.000.00.00.H56", "DEMO-001"] {
            assert!(check_code(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1.00119", "11.001193", "1.001193.", "DEMO-1", "demo-001", "1,001193", "1.001193 "] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn minimal_procedure_has_no_problems_and_defaults_to_verified() {
        let p = minimal();
        assert_eq!(p.problems(), vec![]);
        assert!(p.verified.is_verified() && p.verified.is_unrecorded());
        assert_eq!(p.online_level, None);
    }

    #[test]
    fn problems_name_their_paths() {
        let mut p = minimal();
        p.code = "ABC".into();
        let first = p.cases[0].channels[0].clone();
        p.cases[0].channels.push(first);
        p.cases[0].channels[0].time_limit = Some(TimeLimit {
            value: 3,
            unit: TimeUnit::SameDay,
            text: "Trong ngày".into(),
            next_day_after: Some("25:00".into()),
            verified: Mark::sourced(" "),
        });
        p.online_level = Some(OnlineLevel::ToanTrinh);
        p.effective_date = Some("2025-13-01".into());
        let paths: Vec<String> = p.problems().into_iter().map(|x| x.path).collect();
        assert_eq!(
            paths,
            [
                "code",
                "cases[0].channels[0].time_limit.value",
                "cases[0].channels[0].time_limit.next_day_after",
                "cases[0].channels[1].kind",
                "online_url",
                "effective_date",
                "cases[0].channels[0].time_limit.verified"
            ]
        );
    }
}
