//! The page a phone opens from a ticket's QR: a few kilobytes of HTML, no scripts from elsewhere, readable
//! on a weak phone; Vietnamese first, English below. It refreshes itself every 20 seconds.

use super::api::ApiError;
use crate::app::queue::TicketStatus;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans',sans-serif;margin:0;background:#f4f6f8;color:#111}\
main{max-width:28rem;margin:auto;padding:1rem}h1{font-size:1.1rem;margin:.2rem 0 1rem}\
.card{background:#fff;border-radius:.8rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}\
.num{font-size:4rem;font-weight:700;text-align:center;line-height:1.3;margin:.3rem 0}\
.big{font-size:1.6rem;font-weight:700}.en{color:#555;font-size:.9rem}.go{background:#fff3c4}\
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

fn state_text(state: &str) -> (&'static str, &'static str) {
    match state {
        "reserved" => ("Đang in phiếu", "Printing the ticket"),
        "waiting" => ("Đang chờ đến lượt", "Waiting for your turn"),
        "called" => ("Đã đến lượt — mời đến quầy", "Your turn — please go to the counter"),
        "serving" => ("Đang được phục vụ", "Being served"),
        "done" => ("Đã phục vụ xong", "Served"),
        "no_show" => ("Đã gọi nhưng vắng mặt — hỏi cán bộ", "Called but absent — ask staff"),
        "cancelled" => ("Đã hủy", "Cancelled"),
        "voided" => ("Số này đã bị hủy (phiếu không in được)", "This number was voided (ticket not printed)"),
        _ => ("Không rõ", "Unknown"),
    }
}

pub fn ticket(center: &str, s: &TicketStatus) -> String {
    let (vi, en) = state_text(&s.state);
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
