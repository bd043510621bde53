//! The page a phone opens from a ticket's QR: a few kilobytes of HTML, no scripts from elsewhere, readable
//! on a weak phone; Vietnamese first, English below. It refreshes itself every 20 seconds.

use super::api::ApiError;
use crate::app::dossier::Details;
use crate::app::queue::TicketStatus;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans',sans-serif;margin:0;background:#f4f6f8;color:#111}\
main{max-width:28rem;margin:auto;padding:1rem}h1{font-size:1.1rem;margin:.2rem 0 1rem}\
.card{background:#fff;border-radius:.8rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}\
.num{font-size:4rem;font-weight:700;text-align:center;line-height:1.3;margin:.3rem 0}\
.big{font-size:1.6rem;font-weight:700}.en{color:#555;font-size:.9rem}.go{background:#fff3c4}\
.late{background:#ffe0e0}ol{padding-left:1.2rem;margin:.3rem 0}li{margin:.3rem 0}\
dl.stack{display:block}dl.stack dt{margin-top:.6rem}dl.stack dt:first-child{margin-top:0}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0}dt{color:#555}dd{margin:0;font-weight:600}";

fn shell(center: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"20\"><title>{title}</title><style>{STYLE}</style></head>\
         <body><main><h1>{center}</h1>{body}</main></body></html>",
        center = escape(center),
        title = escape(title),
    )
}

/// A dossier's status, appointment, timeline and where to collect the result.
fn dossier_cards(d: &Details) -> String {
    let p = &d.public;
    let late = if p.overdue { " late" } else { "" };
    let mut body = format!(
        "<div class=\"card{late}\"><div class=\"en\">Hồ sơ · Dossier {code}</div><div>{procedure}</div>\
         <div class=\"big\">{status_vi}</div><div class=\"en\">{status_en}</div>",
        code = escape(&p.code),
        procedure = escape(&p.procedure),
        status_vi = escape(&p.status_vi),
        status_en = escape(&p.status_en),
    );
    if p.overdue {
        body.push_str("<p><b>Quá hạn</b> <span class=\"en\">· overdue: please ask at the counter</span></p>");
    }
    body.push_str("</div><div class=\"card\"><dl class=\"stack\">");
    if !d.applicant.is_empty() {
        body.push_str(&format!(
            "<dt>Người nộp<br><span class=\"en\">Applicant</span></dt><dd>{}</dd>",
            escape(&d.applicant)
        ));
    }
    if let Some(a) = &p.appointment {
        let estimate = if p.provisional { " (dự kiến · estimated)" } else { "" };
        body.push_str(&format!(
            "<dt>Hẹn trả kết quả<br><span class=\"en\">Result due</span></dt><dd>{}{estimate}</dd>",
            escape(a)
        ));
    }
    if !p.collect_at.is_empty() {
        body.push_str(&format!(
            "<dt>Nhận kết quả tại<br><span class=\"en\">Collect at</span></dt><dd>{}</dd>",
            escape(&p.collect_at)
        ));
    }
    body.push_str(
        "<dt>Khi nhận kết quả mang theo<br><span class=\"en\">Bring when collecting</span></dt>\
         <dd>Giấy tiếp nhận hồ sơ và giấy tờ tùy thân<br><span class=\"en\">The receipt and an identity document</span></dd>",
    );
    body.push_str("</dl></div>");
    if !d.timeline.is_empty() {
        body.push_str("<div class=\"card\"><div class=\"en\">Tiến độ · Progress</div><ol>");
        for step in &d.timeline {
            let note = if step.note.is_empty() { String::new() } else { format!("<br><b>{}</b>", escape(&step.note)) };
            body.push_str(&format!(
                "<li>{} <span class=\"en\">{}</span>{note}</li>",
                escape(&step.status_vi),
                escape(&step.at)
            ));
        }
        body.push_str("</ol></div>");
    }
    body
}

/// The page of a dossier's own QR (`/d/{token}`).
pub fn dossier(center: &str, d: &Details) -> String {
    let body = format!(
        "{}<p class=\"en\">Trang tự cập nhật mỗi 20 giây. · This page refreshes every 20 seconds.</p>",
        dossier_cards(d)
    );
    shell(center, &format!("Hồ sơ {}", d.public.code), &body)
}

/// The ticket's page: its place in line, then, once a counter has received a dossier under it, the dossier.
pub fn ticket(center: &str, s: &TicketStatus, dossier: Option<&Details>) -> String {
    if let Some(d) = dossier {
        let body = format!(
            "<div class=\"card\"><div class=\"en\">Số thứ tự · Ticket</div><div class=\"big\">{number}</div>\
             <div class=\"en\">Hồ sơ của bạn đã được tiếp nhận · Your dossier was received</div></div>{cards}\
             <p class=\"en\">Trang tự cập nhật mỗi 20 giây. · This page refreshes every 20 seconds.</p>",
            number = escape(&s.number),
            cards = dossier_cards(d),
        );
        return shell(center, &format!("Hồ sơ {}", d.public.code), &body);
    }
    let (vi, en) = s.state.words();
    let mut body = format!(
        "<div class=\"card\"><div class=\"en\">Số thứ tự · Ticket</div><div class=\"num\">{number}</div>\
         <div>{service_vi} <span class=\"en\">· {service_en}</span></div></div>",
        number = escape(&s.number),
        service_vi = escape(&s.service_vi),
        service_en = escape(&s.service_en),
    );
    let go = if s.counter.is_some() { " go" } else { "" };
    body.push_str(&format!("<div class=\"card{go}\"><div class=\"big\">{vi}</div><div class=\"en\">{en}</div>"));
    if let (Some(n), Some(name)) = (s.counter, &s.counter_name) {
        body.push_str(&format!("<div class=\"num\">{}</div><div class=\"en\">Counter {n}</div>", escape(name)));
    }
    body.push_str("</div><div class=\"card\"><dl>");
    if let Some(ahead) = s.ahead {
        body.push_str(&format!(
            "<dt>Số người trước bạn<br><span class=\"en\">People ahead</span></dt><dd>{ahead}</dd>"
        ));
    }
    if let (Some(vi), Some(en)) = (&s.wait_vi, &s.wait_en) {
        body.push_str(&format!(
            "<dt>Thời gian chờ<br><span class=\"en\">Estimated wait</span></dt><dd>{}<br><span class=\"en\">{}</span></dd>",
            escape(vi),
            escape(en)
        ));
    }
    let serving = if s.serving_now.is_empty() { "—".to_string() } else { escape(&s.serving_now.join(", ")) };
    body.push_str(&format!(
        "<dt>Đang phục vụ<br><span class=\"en\">Now serving</span></dt><dd>{serving}</dd>\
         <dt>Lấy số lúc<br><span class=\"en\">Taken at</span></dt><dd>{}</dd></dl></div>\
         <p class=\"en\">Trang tự cập nhật mỗi 20 giây. · This page refreshes every 20 seconds.</p>",
        escape(&s.taken_at)
    ));
    shell(center, &format!("Số {}", s.number), &body)
}

pub fn not_found(center: &str, e: &ApiError) -> String {
    let body = format!(
        "<div class=\"card\"><div class=\"big\">Không tìm thấy phiếu</div><div class=\"en\">Ticket not found</div>\
         <p>{}</p><p class=\"en\">{}</p></div>",
        escape(&e.vi),
        escape(&e.en)
    );
    shell(center, "Không tìm thấy", &body)
}
