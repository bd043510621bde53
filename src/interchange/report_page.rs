//! The hall's report as a page: the inspection sentence, tables of every figure, and the charts (waits by
//! hour, daily volumes, the satisfaction mix, on time by procedure). The leader's page `/bao-cao` shows it
//! inside its period picker; `motcua report --format html` writes it as one file with its style inside.
//! Laid out for a screen and for A4 paper (assets/report/bao-cao.css).

use super::charts::{self, Bars};
use super::escape;
use crate::domain::clock::dmy;
use crate::domain::rating::Level;
use crate::domain::report::{By, Figures, Report, Row};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The page's style, for screen and A4 print.
pub const STYLE: &str = include_str!("../../assets/report/bao-cao.css");

/// Names to show instead of codes.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub center: String,
    /// Service code → name.
    pub services: BTreeMap<String, String>,
    /// Procedure code → name.
    pub procedures: BTreeMap<String, String>,
    /// Staff username → name.
    pub staff: BTreeMap<String, String>,
}

/// "21,7": a Vietnamese decimal.
fn dec(x: f64) -> String {
    let text = if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") };
    text.replace('.', ",")
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |p| format!("{}%", dec(p)))
}

fn opt(x: Option<f64>) -> String {
    x.map_or("—".into(), dec)
}

fn n(x: u64) -> String {
    crate::domain::report::thousands(x)
}

/// A table of (Vietnamese, English, value) lines.
fn table(caption_vi: &str, caption_en: &str, lines: &[(&str, &str, String)]) -> String {
    let mut out = format!(
        "<table class=\"figures\"><caption>{} <span class=\"en\">{}</span></caption><tbody>",
        escape(caption_vi),
        escape(caption_en)
    );
    for (vi, en, value) in lines {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{} <span class=\"en\">{}</span></th><td>{}</td></tr>",
            escape(vi),
            escape(en),
            escape(value)
        );
    }
    out + "</tbody></table>"
}

fn queue(f: &Figures) -> String {
    let t = &f.tickets;
    let w = &f.wait_minutes;
    table(
        "Hàng đợi",
        "Queue",
        &[
            ("Số phiếu đã cấp", "tickets issued", n(t.issued)),
            ("Đã phục vụ", "served", n(t.served)),
            ("Vắng mặt khi gọi", "no-show", n(t.no_show)),
            ("Đã hủy", "voided", n(t.voided)),
            ("Đã chuyển dịch vụ", "transferred", n(t.transferred)),
            ("Chưa phục vụ khi hết giờ", "not served at closing", n(t.closed_unserved)),
            ("Thời gian chờ trung bình (phút)", "mean wait, min", dec(w.mean)),
            (
                "Trung vị · 90% · lâu nhất (phút)",
                "median · p90 · max",
                format!("{} · {} · {}", dec(w.median), dec(w.p90), dec(w.max)),
            ),
            ("Được gọi trong thời gian chờ mục tiêu", "called within the target wait", pct(f.within_target_pct)),
            ("Thời gian phục vụ trung bình (phút)", "mean service time, min", dec(f.service_minutes.mean)),
            ("Giờ làm việc tại quầy", "counter-hours", opt(f.counter_hours)),
            ("Số lượt phục vụ mỗi giờ quầy", "served per counter-hour", opt(f.served_per_counter_hour)),
        ],
    )
}

fn dossiers(f: &Figures) -> String {
    let d = &f.dossiers;
    table(
        "Hồ sơ",
        "Dossiers",
        &[
            ("Đã tiếp nhận", "received", n(d.received)),
            ("· tại quầy", "at the counter", n(d.received_at_counter)),
            ("· trực tuyến", "online", n(d.received_online)),
            ("· qua bưu chính", "by post", n(d.received_by_post)),
            ("Đã giải quyết", "resolved", n(d.resolved)),
            ("· trước hạn", "early", n(d.early)),
            ("· đúng hạn", "on time", n(d.on_time)),
            ("· trễ hạn", "late", n(d.late)),
            ("Tỷ lệ đúng hạn", "on time", pct(d.on_time_pct)),
            ("Đang quá hạn", "overdue now", n(d.overdue_now)),
            ("Số ngày làm việc trung bình", "mean working days", opt(d.avg_working_days)),
            (
                "Thư xin lỗi đã in / cần in",
                "apology letters printed / needed",
                format!("{} / {}", n(d.apologies_printed), n(d.apologies_needed)),
            ),
        ],
    )
}

fn satisfaction(f: &Figures) -> String {
    let s = &f.satisfaction;
    let mut lines = vec![
        ("Số lượt đánh giá", "ratings", n(s.ratings)),
        (Level::VerySatisfied.words().0, Level::VerySatisfied.words().1, n(s.very_satisfied)),
        (Level::Satisfied.words().0, Level::Satisfied.words().1, n(s.satisfied)),
        (Level::Neutral.words().0, Level::Neutral.words().1, n(s.neutral)),
        (Level::Dissatisfied.words().0, Level::Dissatisfied.words().1, n(s.dissatisfied)),
        ("Phản ánh, kiến nghị", "complaints", n(s.complaints)),
    ];
    for (reason, count) in &s.reasons {
        lines.push(("· lý do", reason.as_str(), n(*count)));
    }
    lines.push(("Tỷ lệ hài lòng (Quyết định 766)", "satisfaction rate, Decision 766", pct(s.rate_766_pct)));
    format!(
        "<div>{}<p class=\"formula\">{}</p></div>",
        table("Mức độ hài lòng", "Satisfaction", &lines),
        escape(&s.rate_766_formula)
    )
}

/// Bookings made for the period's days, what became of them, and booked tickets' waits beside walk-ins'.
fn bookings(b: &crate::domain::booking::Figures) -> String {
    let wait = |m: Option<f64>| m.map_or_else(|| "–".to_string(), |m| format!("{m:.1} phút"));
    let lines = vec![
        ("Lịch hẹn đã đặt", "bookings made", n(u64::from(b.made))),
        ("Đã đến lấy số", "checked in", n(u64::from(b.checked_in))),
        ("Quá giờ, không đến", "expired", n(u64::from(b.expired))),
        ("Đã hủy", "cancelled", n(u64::from(b.cancelled))),
        ("Chưa đến ngày, giờ hẹn", "still to come", n(u64::from(b.booked))),
        ("Chờ trung bình, có hẹn", "mean wait, booked", wait(b.booked_wait_avg_min)),
        ("Chờ trung bình, không hẹn", "mean wait, walk-in", wait(b.walk_in_wait_avg_min)),
    ];
    format!("<div class=\"grid\"><div>{}</div></div>", table("Đặt lịch hẹn", "Bookings", &lines))
}

fn charts_of(r: &Report, names: &Names) -> String {
    let hours: Vec<usize> = {
        let used: Vec<usize> = (0..24).filter(|h| r.wait_by_hour[*h].is_some()).collect();
        let (lo, hi) = (used.first().copied().unwrap_or(7).min(7), used.last().copied().unwrap_or(17).max(17));
        (lo..=hi).collect()
    };
    let waits = charts::columns(
        &Bars {
            title: "Thời gian chờ trung bình theo giờ lấy số (phút)",
            labels: hours.iter().map(|h| format!("{h}h")).collect(),
            back: hours.iter().map(|h| r.wait_by_hour[*h].unwrap_or(0.0)).collect(),
            front: None,
            colours: (charts::DARK_BLUE, charts::DARK_BLUE),
            max: None,
            label_count: hours.len(),
        },
        (640, 280),
    );
    // Every day of the period, the quiet ones too, so that gaps show as gaps.
    let by_day: BTreeMap<&str, &crate::domain::report::DayRow> = r.daily.iter().map(|d| (d.day.as_str(), d)).collect();
    let all_days = days_between(&r.period.from, &r.period.to);
    let of = |f: fn(&crate::domain::report::DayRow) -> u64| -> Vec<f64> {
        all_days.iter().map(|d| by_day.get(d.as_str()).map_or(0.0, |row| f(row) as f64)).collect()
    };
    let days = charts::columns(
        &Bars {
            title: "Số phiếu mỗi ngày: đã cấp (nhạt), đã phục vụ (đậm)",
            labels: all_days.iter().map(|d| dmy(d).chars().take(5).collect()).collect(),
            back: of(|d| d.issued),
            front: Some(of(|d| d.served)),
            colours: (charts::BLUE, charts::DARK_BLUE),
            max: None,
            label_count: all_days.len().min(8),
        },
        (640, 280),
    );
    let s = &r.figures.satisfaction;
    let levels = [Level::VerySatisfied, Level::Satisfied, Level::Neutral, Level::Dissatisfied];
    let mix = charts::rows(
        &Bars {
            title: "Mức độ hài lòng (số lượt)",
            labels: levels.iter().rev().map(|l| l.words().0.to_string()).collect(),
            // Lying bars are drawn from the bottom up: "Rất hài lòng" on top.
            back: [s.dissatisfied, s.neutral, s.satisfied, s.very_satisfied].iter().map(|x| *x as f64).collect(),
            front: None,
            colours: (charts::GREEN, charts::GREEN),
            max: None,
            label_count: 4,
        },
        640,
    );
    let mut resolved: Vec<_> = r.procedures.iter().filter(|p| p.resolved > 0).collect();
    resolved.sort_by(|a, b| b.resolved.cmp(&a.resolved).then(a.code.cmp(&b.code)));
    resolved.truncate(15);
    resolved.reverse();
    let on_time = charts::rows(
        &Bars {
            title: "Tỷ lệ đúng hạn theo thủ tục (%)",
            labels: resolved.iter().map(|p| short(names.procedures.get(&p.code).unwrap_or(&p.code))).collect(),
            back: resolved.iter().map(|p| p.on_time_pct.unwrap_or(0.0)).collect(),
            front: None,
            colours: (charts::DARK_BLUE, charts::DARK_BLUE),
            max: Some(100.0),
            label_count: resolved.len(),
        },
        640,
    );
    format!(
        "<section class=\"charts\"><h2>Biểu đồ <span class=\"en\">Charts</span></h2>\
         <figure>{waits}</figure><figure>{days}</figure><figure>{mix}</figure><figure>{on_time}</figure></section>"
    )
}

/// Each day from `from` to `to` ("2026-08-01"), at most about five years of them.
fn days_between(from: &str, to: &str) -> Vec<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let (Ok(mut day), Ok(last)) = (time::Date::parse(from, format), time::Date::parse(to, format)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while day <= last && out.len() < 2000 {
        out.push(day.to_string());
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// A name cut to fit a chart's label column.
fn short(name: &str) -> String {
    if name.chars().count() > 34 {
        name.chars().take(33).collect::<String>() + "…"
    } else {
        name.to_string()
    }
}

fn procedures(r: &Report, names: &Names) -> String {
    if r.procedures.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<table class=\"rows\"><caption>Theo thủ tục <span class=\"en\">By procedure</span></caption>\
         <thead><tr><th>Thủ tục</th><th>Tiếp nhận</th><th>Giải quyết</th><th>Trễ hạn</th><th>Đúng hạn</th>\
         <th>Ngày làm việc TB</th></tr></thead><tbody>",
    );
    for p in &r.procedures {
        let name = names.procedures.get(&p.code).map_or(p.code.clone(), |name| format!("{name} ({})", p.code));
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            n(p.received),
            n(p.resolved),
            n(p.late),
            pct(p.on_time_pct),
            opt(p.avg_working_days)
        );
    }
    out + "</tbody></table>"
}

fn breakdown(rows: &[Row], by: Option<By>, names: &Names) -> String {
    let mut out = String::from(
        "<table class=\"rows\"><caption>Chi tiết <span class=\"en\">Breakdown</span></caption><thead><tr>\
         <th></th><th>Phiếu</th><th>Phục vụ</th><th>Chờ TB</th><th>Giờ quầy</th><th>Mỗi giờ quầy</th>\
         <th>Hồ sơ nhận</th><th>Đúng hạn</th><th>Đánh giá</th><th>Hài lòng 766</th></tr></thead><tbody>",
    );
    for row in rows {
        let f = &row.figures;
        let key = match by {
            Some(By::Service) => names.services.get(&row.key).cloned(),
            Some(By::Staff) => names.staff.get(&row.key).map(|name| format!("{name} ({})", row.key)),
            Some(By::Counter) => Some(format!("Quầy {}", row.key)),
            None => None,
        }
        .unwrap_or_else(|| row.key.clone());
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&key),
            n(f.tickets.issued),
            n(f.tickets.served),
            dec(f.wait_minutes.mean),
            opt(f.counter_hours),
            opt(f.served_per_counter_hour),
            n(f.dossiers.received),
            pct(f.dossiers.on_time_pct),
            n(f.satisfaction.ratings),
            pct(f.satisfaction.rate_766_pct)
        );
    }
    out + "</tbody></table>"
}

fn busiest(r: &Report) -> String {
    const DAYS: [&str; 7] = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
    let hours: Vec<usize> = (0..24).filter(|h| (7..=17).contains(h) || r.busiest.iter().any(|d| d[*h] > 0)).collect();
    let most = r.busiest.iter().flatten().copied().max().unwrap_or(0).max(1);
    let mut out = String::from(
        "<table class=\"heat\"><caption>Giờ cao điểm (số phiếu theo thứ và giờ) <span class=\"en\">Busiest hours</span></caption><thead><tr><th></th>",
    );
    for h in &hours {
        let _ = write!(out, "<th>{h}h</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (day, row) in DAYS.iter().zip(&r.busiest) {
        let _ = write!(out, "<tr><th>{day}</th>");
        for h in &hours {
            let level = (row[*h] * 4).div_ceil(most);
            let _ = write!(out, "<td class=\"h{level}\">{}</td>", if row[*h] > 0 { n(row[*h]) } else { String::new() });
        }
        out.push_str("</tr>");
    }
    out + "</tbody></table>"
}

/// The report's content: the sentence, the figures, the charts and the tables.
pub fn body(r: &Report, names: &Names) -> String {
    let mut out = format!(
        "<section class=\"report\"><p class=\"period\">Từ ngày {} đến ngày {} <span class=\"en\">{} to {}</span></p>\
         <p class=\"sentence\">{}</p><div class=\"grid\">{}{}{}</div>",
        dmy(&r.period.from),
        dmy(&r.period.to),
        escape(&r.period.from),
        escape(&r.period.to),
        escape(&r.sentence),
        queue(&r.figures),
        dossiers(&r.figures),
        satisfaction(&r.figures),
    );
    if let Some(b) = &r.bookings {
        out.push_str(&bookings(b));
    }
    out.push_str(&charts_of(r, names));
    out.push_str(&procedures(r, names));
    if let Some(rows) = &r.by {
        out.push_str(&breakdown(rows, r.breakdown, names));
    }
    out.push_str(&busiest(r));
    out + "</section>"
}

/// The title line of the report.
pub fn heading(names: &Names) -> String {
    format!(
        "<header class=\"title\"><p class=\"center\">{}</p><h1>Báo cáo kết quả giải quyết thủ tục hành chính \
         <span class=\"en\">Hall report</span></h1></header>",
        escape(&names.center)
    )
}

/// The report as one file, its style inside: opens in any browser, prints on A4.
pub fn document(r: &Report, names: &Names) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Báo cáo {} – {}</title><style>{STYLE}</style></head><body><main>{}{}</main></body></html>",
        escape(&r.period.from),
        escape(&r.period.to),
        heading(names),
        body(r, names)
    )
}
