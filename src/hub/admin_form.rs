//! The structured editor of `/quan-tri/thu-tuc/{code}`: every field of a procedure as form rows (cases and
//! their channels with time limit and fee, documents with copies, marks with their sources), for staff who do
//! not read JSON. No scripts: "+ Thêm" and "Xóa" buttons post the form, which is saved as the draft and
//! shown again with the row added or removed. A rule the draft breaks is shown beside its input.

use crate::domain::catalog::{
    Case, Channel, ChannelKind, Fee, Level, Mark, OnlineLevel, Problem, Procedure, RequiredDocument, TimeLimit,
    TimeUnit,
};
use crate::interchange::escape;
use std::fmt::Write;

/// At most this many rows of each kind are read from a post: far above any real procedure, and a bound on
/// what a forged form can ask the hub to build.
const MAX_CASES: usize = 40;
const MAX_DOCUMENTS: usize = 150;
/// A case has at most one channel of each kind.
const KINDS: [ChannelKind; 3] = [ChannelKind::TrucTiep, ChannelKind::TrucTuyen, ChannelKind::BuuChinh];

/// A change to the form's rows asked by one of its buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    AddCase,
    RemoveCase(usize),
    AddChannel(usize),
    RemoveChannel(usize, usize),
    AddDocument,
    RemoveDocument(usize),
}

impl RowChange {
    /// The button's `action` value, e.g. `xoa-kenh:0:1`.
    pub fn parse(action: &str) -> Option<RowChange> {
        let mut parts = action.split(':');
        let name = parts.next()?;
        let mut index = || parts.next().and_then(|s| s.parse::<usize>().ok());
        Some(match name {
            "them-truong-hop" => RowChange::AddCase,
            "xoa-truong-hop" => RowChange::RemoveCase(index()?),
            "them-kenh" => RowChange::AddChannel(index()?),
            "xoa-kenh" => {
                let case = index()?;
                RowChange::RemoveChannel(case, index()?)
            }
            "them-giay-to" => RowChange::AddDocument,
            "xoa-giay-to" => RowChange::RemoveDocument(index()?),
            _ => return None,
        })
    }

    /// Applies the change; one that points at no row changes nothing.
    pub fn apply(self, p: &mut Procedure) {
        match self {
            RowChange::AddCase if p.cases.len() < MAX_CASES => {
                p.cases.push(Case { name: None, channels: vec![empty_channel(ChannelKind::TrucTiep)] })
            }
            RowChange::RemoveCase(i) if i < p.cases.len() => {
                p.cases.remove(i);
            }
            RowChange::AddChannel(i) => {
                if let Some(case) = p.cases.get_mut(i) {
                    if let Some(kind) = KINDS.into_iter().find(|k| case.channels.iter().all(|c| c.kind != *k)) {
                        case.channels.push(empty_channel(kind));
                    }
                }
            }
            RowChange::RemoveChannel(i, j) => {
                if let Some(case) = p.cases.get_mut(i).filter(|c| j < c.channels.len()) {
                    case.channels.remove(j);
                }
            }
            RowChange::AddDocument if p.documents.len() < MAX_DOCUMENTS => p.documents.push(RequiredDocument {
                name: String::new(),
                originals: 1,
                copies: 0,
                form: None,
                verified: Mark::Unverified,
            }),
            RowChange::RemoveDocument(i) if i < p.documents.len() => {
                p.documents.remove(i);
            }
            _ => {}
        }
    }
}

fn empty_channel(kind: ChannelKind) -> Channel {
    Channel { kind, time_limit: None, fee: None }
}

/// The form field a problem's path names: `cases[0].channels[1].fee.text` is `c0.k1.fee.text`.
pub fn input_name(path: &str) -> String {
    path.replace("cases[", "c")
        .replace("channels[", "k")
        .replace("documents[", "d")
        .replace("time_limit", "tl")
        .replace(']', "")
}

/// A posted form, read by field name.
struct Posted<'a>(&'a [(String, String)]);

impl Posted<'_> {
    fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
    }

    /// A text, absent when empty; a textarea's line breaks (posted as CR LF) as LF.
    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty()).map(|v| v.replace("\r\n", "\n"))
    }

    fn all<'b>(&'b self, name: &'b str) -> impl Iterator<Item = &'b str> {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// One item a line, blank lines dropped.
    fn lines(&self, name: &str) -> Vec<String> {
        self.get(name).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    fn count(&self, name: &str, max: usize) -> usize {
        self.get(name).parse::<usize>().unwrap_or(0).min(max)
    }

    fn number<T: std::str::FromStr>(&self, name: &str, path: String) -> Result<Option<T>, Problem> {
        let raw = self.get(name);
        if raw.is_empty() {
            return Ok(None);
        }
        raw.replace(['.', ' '], "")
            .parse::<T>()
            .map(Some)
            .map_err(|_| Problem {
                path, message: format!("\"{raw}\" is not a whole number (không phải số nguyên)")
            })
    }

    fn mark(&self, prefix: &str) -> Mark {
        if self.get(&format!("{prefix}verified")) != "co" {
            return Mark::Unverified;
        }
        Mark::Verified { source: self.opt(&format!("{prefix}source")) }
    }
}

fn one_of<T: serde::de::DeserializeOwned>(value: &str, path: &str) -> Result<Option<T>, Problem> {
    if value.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map(Some)
        .map_err(|_| Problem { path: path.to_string(), message: format!("\"{value}\" is not one of the choices") })
}

/// The procedure the form describes. The rules are not checked here (a draft may break them); a value that
/// is not even of its kind (a word where a number goes) is refused with its path.
pub fn read(pairs: &[(String, String)]) -> Result<Procedure, Problem> {
    let f = Posted(pairs);
    let mut levels = Vec::new();
    for level in f.all("levels") {
        if let Some(l) = one_of::<Level>(level, "levels")? {
            if !levels.contains(&l) {
                levels.push(l);
            }
        }
    }
    let mut cases = Vec::new();
    for i in 0..f.count("cases", MAX_CASES) {
        let mut channels = Vec::new();
        for j in 0..f.count(&format!("c{i}.channels"), KINDS.len()) {
            let at = format!("c{i}.k{j}.");
            let path = format!("cases[{i}].channels[{j}]");
            let Some(kind) = one_of::<ChannelKind>(f.get(&format!("{at}kind")), &format!("{path}.kind"))? else {
                continue;
            };
            let unit = one_of::<TimeUnit>(f.get(&format!("{at}tl.unit")), &format!("{path}.time_limit.unit"))?;
            let time_limit = match unit {
                None => None,
                Some(unit) => Some(TimeLimit {
                    value: f.number(&format!("{at}tl.value"), format!("{path}.time_limit.value"))?.unwrap_or(0),
                    unit,
                    text: f.get(&format!("{at}tl.text")).to_string(),
                    next_day_after: f.opt(&format!("{at}tl.next_day_after")),
                    verified: f.mark(&format!("{at}tl.")),
                }),
            };
            let amount = f.number(&format!("{at}fee.amount"), format!("{path}.fee.amount"))?;
            let fee_text = f.get(&format!("{at}fee.text"));
            let fee = (amount.is_some() || !fee_text.is_empty()).then(|| Fee {
                amount,
                text: fee_text.to_string(),
                exemptions: f.lines(&format!("{at}fee.exemptions")),
                verified: f.mark(&format!("{at}fee.")),
            });
            channels.push(Channel { kind, time_limit, fee });
        }
        cases.push(Case { name: f.opt(&format!("c{i}.name")), channels });
    }
    let mut documents = Vec::new();
    for i in 0..f.count("documents", MAX_DOCUMENTS) {
        let at = format!("d{i}.");
        let path = format!("documents[{i}]");
        documents.push(RequiredDocument {
            name: f.get(&format!("{at}name")).to_string(),
            originals: f.number(&format!("{at}originals"), format!("{path}.originals"))?.unwrap_or(0),
            copies: f.number(&format!("{at}copies"), format!("{path}.copies"))?.unwrap_or(0),
            form: f.opt(&format!("{at}form")),
            verified: f.mark(&at),
        });
    }
    Ok(Procedure {
        code: f.get("code").to_string(),
        name: f.get("name").to_string(),
        field: f.get("field").to_string(),
        levels,
        agency: f.get("agency").to_string(),
        steps: f.lines("steps"),
        cases,
        documents,
        result: f.opt("result"),
        legal_basis: f.lines("legal_basis"),
        conditions: f.opt("conditions"),
        online_level: one_of(f.get("online_level"), "online_level")?,
        online_url: f.opt("online_url"),
        keywords: f.lines("keywords"),
        verified: f.mark(""),
        effective_date: f.opt("effective_date"),
        decision: f.opt("decision"),
    })
}

/// Writes the inputs; `problems` are shown beside the inputs they name.
struct Out<'a> {
    html: String,
    problems: &'a [Problem],
}

impl Out<'_> {
    fn said(&self, name: &str) -> String {
        let mut out = String::new();
        for p in self.problems.iter().filter(|p| input_name(&p.path) == name) {
            let _ = write!(out, "<span class=\"bad\">{}</span>", escape(&p.message));
        }
        out
    }

    fn label(&mut self, vi: &str, en: &str) {
        let _ = write!(self.html, "<label>{} <span class=\"en\">{}</span>", escape(vi), escape(en));
    }

    fn input(&mut self, name: &str, vi: &str, en: &str, value: &str, extra: &str) {
        self.label(vi, en);
        let invalid = self.said(name);
        let aria = if invalid.is_empty() { "" } else { " aria-invalid=\"true\"" };
        let _ = write!(
            self.html,
            "<input name=\"{}\" value=\"{}\"{extra}{aria}>{invalid}</label>",
            escape(name),
            escape(value)
        );
    }

    fn number(&mut self, name: &str, vi: &str, en: &str, value: Option<u64>) {
        let shown = value.map(|v| v.to_string()).unwrap_or_default();
        self.input(name, vi, en, &shown, " type=\"number\" min=\"0\" step=\"1\" inputmode=\"numeric\"");
    }

    fn area(&mut self, name: &str, vi: &str, en: &str, lines: &[String]) {
        self.label(vi, en);
        let invalid = self.said(name);
        let _ = write!(
            self.html,
            "<textarea name=\"{}\" rows=\"{}\">{}</textarea>{invalid}</label>",
            escape(name),
            lines.len().clamp(2, 12),
            escape(&lines.join("\n"))
        );
    }

    fn select(&mut self, name: &str, vi: &str, en: &str, options: &[(&str, &str)], chosen: &str) {
        self.label(vi, en);
        let invalid = self.said(name);
        let _ = write!(self.html, "<select name=\"{}\">", escape(name));
        for (value, words) in options {
            let selected = if *value == chosen { " selected" } else { "" };
            let _ = write!(self.html, "<option value=\"{value}\"{selected}>{}</option>", escape(words));
        }
        let _ = write!(self.html, "</select>{invalid}</label>");
    }

    fn mark(&mut self, prefix: &str, mark: &Mark) {
        let chosen = if mark.is_verified() { "co" } else { "chua" };
        self.html.push_str("<div class=\"mark\">");
        self.select(
            &format!("{prefix}verified"),
            "Xác minh",
            "verified",
            &[("chua", "Chưa xác minh"), ("co", "Đã xác minh")],
            chosen,
        );
        self.input(
            &format!("{prefix}source"),
            "Nguồn đã đối chiếu",
            "source checked against",
            mark.source().unwrap_or(""),
            " maxlength=\"300\"",
        );
        self.html.push_str("</div>");
    }

    fn button(&mut self, action: &str, vi: &str, en: &str) {
        let _ = write!(
            self.html,
            "<button type=\"submit\" class=\"row\" name=\"action\" value=\"{action}\" formnovalidate>{} <span class=\"en\">{}</span></button>",
            escape(vi),
            escape(en)
        );
    }

    fn hidden(&mut self, name: &str, value: usize) {
        let _ = write!(self.html, "<input type=\"hidden\" name=\"{name}\" value=\"{value}\">");
    }
}

fn as_value<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The form's fields for `p`. `new`: the code can be typed (an existing procedure's code is its address).
pub fn render(p: &Procedure, new: bool, problems: &[Problem]) -> String {
    let mut o = Out { html: String::new(), problems };
    o.html.push_str("<fieldset class=\"grid\"><legend>Thông tin chung <span class=\"en\">general</span></legend>");
    let code_extra = if new { " maxlength=\"60\" required" } else { " readonly" };
    o.input("code", "Mã thủ tục", "code", &p.code, code_extra);
    o.input("name", "Tên thủ tục", "name", &p.name, " maxlength=\"500\"");
    o.input("field", "Lĩnh vực", "field", &p.field, " maxlength=\"200\"");
    o.input("agency", "Cơ quan thực hiện", "agency", &p.agency, " maxlength=\"300\"");
    o.html.push_str("<div class=\"levels\">Cấp thực hiện <span class=\"en\">levels</span>");
    for level in [Level::Tinh, Level::Xa] {
        let checked = if p.levels.contains(&level) { " checked" } else { "" };
        let _ = write!(
            o.html,
            "<label class=\"inline\"><input type=\"checkbox\" name=\"levels\" value=\"{}\"{checked}> {}</label>",
            as_value(&level),
            level.label_vi()
        );
    }
    let levels_said = o.said("levels");
    o.html.push_str(&levels_said);
    o.html.push_str("</div>");
    o.mark("", &p.verified);
    o.html.push_str("</fieldset>");

    o.hidden("cases", p.cases.len());
    for (i, case) in p.cases.iter().enumerate() {
        let _ = write!(
            o.html,
            "<fieldset class=\"case\"><legend>Trường hợp {} <span class=\"en\">case</span></legend>",
            i + 1
        );
        o.input(
            &format!("c{i}.name"),
            "Tên trường hợp (để trống nếu chỉ có một)",
            "case name",
            case.name.as_deref().unwrap_or(""),
            "",
        );
        o.hidden(&format!("c{i}.channels"), case.channels.len());
        let said = o.said(&format!("c{i}.channels"));
        o.html.push_str(&said);
        for (j, channel) in case.channels.iter().enumerate() {
            channel_rows(&mut o, i, j, channel);
        }
        if case.channels.len() < KINDS.len() {
            o.button(&format!("them-kenh:{i}"), "+ Thêm cách nộp", "add a channel");
        }
        o.button(&format!("xoa-truong-hop:{i}"), "Xóa trường hợp này", "remove this case");
        o.html.push_str("</fieldset>");
    }
    let said = o.said("cases");
    o.html.push_str(&said);
    o.button("them-truong-hop", "+ Thêm trường hợp", "add a case");

    o.html.push_str("<fieldset><legend>Thành phần hồ sơ <span class=\"en\">documents</span></legend>");
    o.hidden("documents", p.documents.len());
    for (i, d) in p.documents.iter().enumerate() {
        let _ = write!(o.html, "<fieldset class=\"doc\"><legend>Giấy tờ {}</legend>", i + 1);
        o.input(&format!("d{i}.name"), "Tên giấy tờ", "document", &d.name, " maxlength=\"500\"");
        o.number(&format!("d{i}.originals"), "Bản chính", "originals", Some(u64::from(d.originals)));
        o.number(&format!("d{i}.copies"), "Bản sao", "copies", Some(u64::from(d.copies)));
        o.input(&format!("d{i}.form"), "Mẫu đơn, tờ khai", "form", d.form.as_deref().unwrap_or(""), "");
        o.mark(&format!("d{i}."), &d.verified);
        o.button(&format!("xoa-giay-to:{i}"), "Xóa giấy tờ", "remove");
        o.html.push_str("</fieldset>");
    }
    o.button("them-giay-to", "+ Thêm giấy tờ", "add a document");
    o.html.push_str("</fieldset>");

    o.html.push_str(
        "<fieldset class=\"grid\"><legend>Nơi nộp, trực tuyến <span class=\"en\">where, online</span></legend>",
    );
    let online = p.online_level.map(|l| as_value(&l)).unwrap_or_default();
    o.select(
        "online_level",
        "Mức dịch vụ công trực tuyến",
        "online service level",
        &[
            ("", "Chưa rõ"),
            ("toan_trinh", OnlineLevel::ToanTrinh.label_vi()),
            ("mot_phan", OnlineLevel::MotPhan.label_vi()),
            ("chi_thong_tin", OnlineLevel::ChiThongTin.label_vi()),
        ],
        &online,
    );
    o.input(
        "online_url",
        "Địa chỉ nộp trực tuyến (trang của thủ tục trên Cổng dịch vụ công)",
        "online service address",
        p.online_url.as_deref().unwrap_or(""),
        " type=\"url\" maxlength=\"500\"",
    );
    o.area("steps", "Trình tự thực hiện (mỗi bước một dòng)", "steps, one a line", &p.steps);
    o.area("result", "Kết quả", "result", &p.result.iter().cloned().collect::<Vec<_>>());
    o.area("conditions", "Điều kiện", "conditions", &p.conditions.iter().cloned().collect::<Vec<_>>());
    o.area("legal_basis", "Căn cứ pháp lý (mỗi văn bản một dòng)", "legal basis, one a line", &p.legal_basis);
    o.area("keywords", "Từ khóa tìm kiếm (mỗi từ một dòng)", "keywords, one a line", &p.keywords);
    o.input(
        "effective_date",
        "Ngày có hiệu lực (năm-tháng-ngày)",
        "effective date",
        p.effective_date.as_deref().unwrap_or(""),
        " placeholder=\"2025-07-01\" maxlength=\"10\"",
    );
    o.input("decision", "Quyết định công bố", "decision", p.decision.as_deref().unwrap_or(""), " maxlength=\"300\"");
    o.html.push_str("</fieldset>");
    o.html
}

fn channel_rows(o: &mut Out<'_>, i: usize, j: usize, channel: &Channel) {
    let at = format!("c{i}.k{j}.");
    o.html.push_str("<fieldset class=\"channel\">");
    let kinds: Vec<(String, &str)> = KINDS.iter().map(|k| (as_value(k), k.label_vi())).collect();
    let options: Vec<(&str, &str)> = kinds.iter().map(|(v, w)| (v.as_str(), *w)).collect();
    o.select(&format!("{at}kind"), "Cách nộp", "channel", &options, &as_value(&channel.kind));
    let t = channel.time_limit.as_ref();
    o.select(
        &format!("{at}tl.unit"),
        "Thời hạn giải quyết",
        "time limit",
        &[
            ("", "Chưa có thông tin"),
            ("working_days", "ngày làm việc"),
            ("days", "ngày"),
            ("hours", "giờ"),
            ("same_day", "trong ngày"),
        ],
        &t.map(|t| as_value(&t.unit)).unwrap_or_default(),
    );
    o.number(&format!("{at}tl.value"), "Số", "how many", t.map(|t| u64::from(t.value)));
    o.input(
        &format!("{at}tl.text"),
        "Thời hạn như văn bản ghi",
        "as published",
        t.map_or("", |t| t.text.as_str()),
        " maxlength=\"500\"",
    );
    o.input(
        &format!("{at}tl.next_day_after"),
        "Nhận sau giờ này thì tính từ ngày làm việc tiếp theo",
        "after this time, counts from the next day",
        t.and_then(|t| t.next_day_after.as_deref()).unwrap_or(""),
        " placeholder=\"15:00\" maxlength=\"5\"",
    );
    o.mark(&format!("{at}tl."), t.map_or(&Mark::Unverified, |t| &t.verified));
    let fee = channel.fee.as_ref();
    o.number(&format!("{at}fee.amount"), "Phí, lệ phí (đồng)", "fee, đồng", fee.and_then(|f| f.amount));
    o.input(
        &format!("{at}fee.text"),
        "Phí, lệ phí như văn bản ghi (để trống nếu chưa có thông tin)",
        "fee as published",
        fee.map_or("", |f| f.text.as_str()),
        " maxlength=\"500\"",
    );
    o.area(
        &format!("{at}fee.exemptions"),
        "Đối tượng miễn (mỗi nhóm một dòng)",
        "exempted, one a line",
        fee.map_or(&[][..], |f| &f.exemptions),
    );
    o.mark(&format!("{at}fee."), fee.map_or(&Mark::Unverified, |f| &f.verified));
    o.button(&format!("xoa-kenh:{i}:{j}"), "Xóa cách nộp này", "remove this channel");
    o.html.push_str("</fieldset>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Vec<Procedure> {
        crate::interchange::catalog_json::parse("demo.json", crate::app::catalog::DEMO_CATALOG).unwrap().procedures
    }

    #[test]
    fn buttons_add_and_remove_rows_and_a_stray_index_changes_nothing() {
        let mut p = demo().remove(0);
        let (cases, docs) = (p.cases.len(), p.documents.len());
        RowChange::parse("them-truong-hop").unwrap().apply(&mut p);
        assert_eq!(p.cases.len(), cases + 1);
        RowChange::parse(&format!("them-kenh:{cases}")).unwrap().apply(&mut p);
        RowChange::parse(&format!("them-kenh:{cases}")).unwrap().apply(&mut p);
        RowChange::parse(&format!("them-kenh:{cases}")).unwrap().apply(&mut p);
        let kinds: Vec<ChannelKind> = p.cases[cases].channels.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, KINDS, "one channel of each kind, then no more");
        RowChange::parse(&format!("xoa-kenh:{cases}:1")).unwrap().apply(&mut p);
        assert_eq!(p.cases[cases].channels.len(), 2);
        RowChange::parse("them-giay-to").unwrap().apply(&mut p);
        assert_eq!(p.documents.len(), docs + 1);
        RowChange::parse(&format!("xoa-giay-to:{docs}")).unwrap().apply(&mut p);
        RowChange::parse(&format!("xoa-truong-hop:{cases}")).unwrap().apply(&mut p);
        let before = p.clone();
        for stray in ["xoa-giay-to:999", "xoa-kenh:0:9", "xoa-kenh:99:0", "them-kenh:99", "xoa-truong-hop:50"] {
            RowChange::parse(stray).unwrap().apply(&mut p);
        }
        assert_eq!(p, before);
        for junk in ["", "xoa-kenh:0", "xoa-kenh:a:b", "luu", "them-giay-to-x"] {
            assert_eq!(RowChange::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_word_where_a_number_goes_is_refused_by_its_path_and_problems_sit_beside_their_inputs() {
        let p = demo().remove(0);
        let posted = |copies: &str| [("documents".to_string(), "1".to_string()), ("d0.copies".into(), copies.into())];
        assert_eq!(read(&posted("50.000")).unwrap().documents[0].copies, 50_000, "written as Vietnamese numbers are");
        let refused = read(&posted("hai")).unwrap_err();
        assert_eq!(refused.path, "documents[0].copies");
        assert!(refused.message.contains("\"hai\""), "{}", refused.message);

        let problem = Problem { path: "cases[0].channels[0].fee.text".into(), message: "must not be empty".into() };
        assert_eq!(input_name(&problem.path), "c0.k0.fee.text");
        let html = render(&p, false, std::slice::from_ref(&problem));
        let at = html.find("name=\"c0.k0.fee.text\"").unwrap();
        assert!(
            html[at..].starts_with("name=\"c0.k0.fee.text\" value=\"") && html[at..at + 400].contains("aria-invalid")
        );
        assert!(html[at..at + 600].contains("<span class=\"bad\">must not be empty</span>"));
    }

    #[test]
    fn counts_beyond_the_bounds_are_cut_and_unknown_choices_named() {
        let posted: Vec<(String, String)> =
            vec![("cases".into(), "1000000".into()), ("documents".into(), "99999999999".into())];
        let p = read(&posted).unwrap();
        assert_eq!((p.cases.len(), p.documents.len()), (MAX_CASES, MAX_DOCUMENTS));
        let refused = read(&[("online_level".into(), "mot-nua".into())]).unwrap_err();
        assert_eq!(refused.path, "online_level");
    }
}
