//! The words a procedure is read in: the detail sections the kiosk shows, the slip prints, the public page
//! and the notice-board sheet carry, with their headings; and what is said where the catalog has no value.

use super::{Fee, Procedure, RequiredDocument, TimeLimit};

/// Human text for a time limit, with the unknown case spelled out.
pub fn time_limit_text(limit: Option<&TimeLimit>) -> String {
    match limit {
        Some(t) => t.text.clone(),
        None => NO_INFORMATION.to_string(),
    }
}

/// Human text for a fee, exemptions always included.
pub fn fee_text(fee: Option<&Fee>) -> String {
    match fee {
        None => NO_INFORMATION.to_string(),
        Some(f) if f.exemptions.is_empty() => f.text.clone(),
        Some(f) => format!("{} (Miễn cho: {})", f.text, f.exemptions.join("; ")),
    }
}

/// What the kiosk says where the catalog has no value: never a guess.
pub const NO_INFORMATION: &str = "Chưa có thông tin";

/// Which part of a procedure a detail section shows; the UI turns it into a translated heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Agency,
    Levels,
    Case,
    Documents,
    Steps,
    Conditions,
    Result,
    LegalBasis,
    Online,
    Version,
}

impl SectionKind {
    pub fn key(self) -> &'static str {
        match self {
            SectionKind::Agency => "agency",
            SectionKind::Levels => "levels",
            SectionKind::Case => "case",
            SectionKind::Documents => "documents",
            SectionKind::Steps => "steps",
            SectionKind::Conditions => "conditions",
            SectionKind::Result => "result",
            SectionKind::LegalBasis => "legal_basis",
            SectionKind::Online => "online",
            SectionKind::Version => "version",
        }
    }
}

impl SectionKind {
    /// The section's heading, Vietnamese and English, as the public pages and posters print it. The kiosk
    /// words the same headings in ui/catalog/catalog.slint (translated there with the screen's language).
    pub fn heading(self, subject: &str) -> (String, String) {
        let fixed = |vi: &str, en: &str| (vi.to_string(), en.to_string());
        match self {
            SectionKind::Case if subject.is_empty() => {
                fixed("Thời hạn giải quyết, phí và lệ phí", "Time limit and fees")
            }
            // The case's name is the catalog's Vietnamese: the English heading does not repeat it.
            SectionKind::Case => (format!("Trường hợp: {subject}"), "Case".to_string()),
            SectionKind::Documents => fixed("Thành phần hồ sơ cần nộp", "Documents to submit"),
            SectionKind::Agency => fixed("Cơ quan thực hiện", "Performing agency"),
            SectionKind::Levels => fixed("Cấp thực hiện", "Level"),
            SectionKind::Steps => fixed("Trình tự thực hiện", "Steps"),
            SectionKind::Conditions => fixed("Yêu cầu, điều kiện", "Conditions"),
            SectionKind::Result => fixed("Kết quả", "Result"),
            SectionKind::LegalBasis => fixed("Căn cứ pháp lý", "Legal basis"),
            SectionKind::Online => fixed("Dịch vụ công trực tuyến", "Online public service"),
            SectionKind::Version => fixed("Văn bản công bố", "Publishing decision"),
        }
    }
}

/// One block of the detail of a procedure, as shown on screen and printed on a slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// What the heading names beyond its kind, e.g. the case name.
    pub subject: String,
    pub text: String,
}

fn document_line(n: usize, d: &RequiredDocument) -> String {
    let mut counts = Vec::new();
    if d.originals > 0 {
        counts.push(format!("{} bản chính", d.originals));
    }
    if d.copies > 0 {
        counts.push(format!("{} bản sao", d.copies));
    }
    if let Some(form) = &d.form {
        counts.push(format!("mẫu {form}"));
    }
    let counts = if counts.is_empty() { String::new() } else { format!(" ({})", counts.join(", ")) };
    format!("{n}. {}{counts}{}", d.name, d.verified.suffix())
}

/// The detail of a procedure in reading order. Unknown values say so; unverified ones are marked.
pub fn describe(p: &Procedure) -> Vec<Section> {
    let mut out = Vec::new();
    let mut push = |kind, subject: &str, text: String| out.push(Section { kind, subject: subject.to_string(), text });
    for case in &p.cases {
        let lines: Vec<String> = case
            .channels
            .iter()
            .map(|c| {
                let time = match &c.time_limit {
                    Some(t) => format!("{}{}", t.text, t.verified.suffix()),
                    None => NO_INFORMATION.to_string(),
                };
                let fee = match &c.fee {
                    Some(f) => format!("{}{}", fee_text(Some(f)), f.verified.suffix()),
                    None => NO_INFORMATION.to_string(),
                };
                format!("{}:\n• Thời hạn: {time}\n• Phí, lệ phí: {fee}", c.kind.label_vi())
            })
            .collect();
        push(SectionKind::Case, case.name.as_deref().unwrap_or_default(), lines.join("\n"));
    }
    let documents = if p.documents.is_empty() {
        NO_INFORMATION.to_string()
    } else {
        p.documents.iter().enumerate().map(|(i, d)| document_line(i + 1, d)).collect::<Vec<_>>().join("\n")
    };
    push(SectionKind::Documents, "", documents);
    if !p.agency.is_empty() {
        push(SectionKind::Agency, "", p.agency.clone());
    }
    let levels: Vec<&str> = p.levels.iter().map(|l| l.label_vi()).collect();
    push(SectionKind::Levels, "", levels.join(", "));
    if !p.steps.is_empty() {
        let steps: Vec<String> = p.steps.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect();
        push(SectionKind::Steps, "", steps.join("\n"));
    }
    if let Some(c) = &p.conditions {
        push(SectionKind::Conditions, "", c.clone());
    }
    if let Some(r) = &p.result {
        push(SectionKind::Result, "", r.clone());
    }
    if !p.legal_basis.is_empty() {
        push(SectionKind::LegalBasis, "", p.legal_basis.join("\n"));
    }
    let online = match (p.online_level, &p.online_url) {
        (Some(level), Some(url)) => format!("{}\n{url}", level.label_vi()),
        (Some(level), None) => level.label_vi().to_string(),
        (None, Some(url)) => format!("Mức độ: {}\n{url}", NO_INFORMATION.to_lowercase()),
        (None, None) => NO_INFORMATION.to_string(),
    };
    push(SectionKind::Online, "", online);
    let mut version = Vec::new();
    if let Some(d) = &p.decision {
        version.push(d.clone());
    }
    if let Some(d) = &p.effective_date {
        version.push(format!("Áp dụng từ {d}"));
    }
    if !version.is_empty() {
        push(SectionKind::Version, "", version.join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::minimal;
    use super::super::*;
    use super::*;

    #[test]
    fn description_says_unknown_and_marks_unverified() {
        let mut p = minimal();
        p.documents.push(RequiredDocument {
            name: "Tờ khai".into(),
            originals: 1,
            copies: 0,
            form: Some("CT01".into()),
            verified: Mark::Unverified,
        });
        let sections = describe(&p);
        assert_eq!(sections[0].kind, SectionKind::Case);
        assert_eq!(sections[0].text, "Trực tiếp:\n• Thời hạn: Chưa có thông tin\n• Phí, lệ phí: Chưa có thông tin");
        assert_eq!(sections[1].text, "1. Tờ khai (1 bản chính, mẫu CT01) (chưa xác minh)");
        let online = sections.iter().find(|s| s.kind == SectionKind::Online).map(|s| s.text.as_str());
        assert_eq!(online, Some("Chưa có thông tin"));
    }

    #[test]
    fn unknown_values_are_said_never_guessed() {
        assert_eq!(time_limit_text(None), "Chưa có thông tin");
        let fee = Fee {
            amount: Some(8000),
            text: "8.000 đồng/bản".into(),
            exemptions: vec!["hộ nghèo".into()],
            verified: Mark::sourced("Thông tư 281/2016/TT-BTC"),
        };
        assert_eq!(fee_text(Some(&fee)), "8.000 đồng/bản (Miễn cho: hộ nghèo)");
    }
}
