//! The page a phone opens from a ticket's QR: a few kilobytes of HTML, no scripts from elsewhere, readable
//! on a weak phone; Vietnamese first, English below. It refreshes itself every 20 seconds.

use super::api::ApiError;
use crate::app::dossier::Details;
use crate::app::queue::TicketStatus;
use crate::app::rating::RatingView;
use crate::domain::rating::{Level, COMPLAINT_MAX};

use crate::interchange::escape;

const STYLE: &str = "body{font-family:system-ui,'Noto Sans',sans-serif;margin:0;background:#f4f6f8;color:#111}\
main{max-width:28rem;margin:auto;padding:1rem}h1{font-size:1.1rem;margin:.2rem 0 1rem}\
.card{background:#fff;border-radius:.8rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}\
.num{font-size:4rem;font-weight:700;text-align:center;line-height:1.3;margin:.3rem 0}\
.big{font-size:1.6rem;font-weight:700}.en{color:#555;font-size:.9rem}.go{background:#fff3c4}\
.late{background:#ffe0e0}.err{color:#a00;font-weight:600}\
.faces{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin-top:.8rem}\
.faces button,.send{font:inherit;font-size:1.1rem;padding:.8rem .4rem;border:2px solid #ccd;border-radius:.8rem;background:#fff;min-height:4.5rem}\
.faces .on{border-color:#1e7b34;background:#e5f5e9}.face{display:block;width:3rem;height:3rem;margin:0 auto .3rem}\
.chip{display:inline-block;margin:.3rem .4rem .3rem 0;padding:.4rem .6rem;border:1px solid #ccd;border-radius:2rem}\
textarea{width:100%;box-sizing:border-box;font:inherit;margin:.3rem 0}label{display:block;margin-top:.6rem}\
fieldset{border:0;padding:0;margin:.6rem 0}.send{width:100%;margin:.4rem 0;background:#b3261e;color:#fff;border-color:#b3261e}.send .en{color:#fff}ol{padding-left:1.2rem;margin:.3rem 0}li{margin:.3rem 0}footer{margin:1.5rem 0 .5rem;font-size:.8rem;line-height:1.4}\
dl.stack{display:block}dl.stack dt{margin-top:.6rem}dl.stack dt:first-child{margin-top:0}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0}dt{color:#555}dd{margin:0;font-weight:600}";

fn shell(center: &str, title: &str, body: &str) -> String {
    page(center, title, body, true)
}

/// The privacy notice under every phone page (docs/privacy.md), Vietnamese first.
const PRIVACY: &str = "Dữ liệu cá nhân: phiếu số không ghi tên, trang này chỉ hiện họ tên đã che. Họ tên, số điện \
     thoại trong hồ sơ chỉ cán bộ xem được và được xoá sau khi trả kết quả (Nghị định 13/2023/NĐ-CP).<br>\
     Personal data: tickets carry no name and this page shows names masked. The name and phone number on a \
     dossier are seen only by staff and erased after the result is handed over (Decree 13/2023/ND-CP).";

/// A page; `refresh` reloads it every 20 seconds (not while a citizen may be typing in a form).
fn page(center: &str, title: &str, body: &str, refresh: bool) -> String {
    let refresh = if refresh { "<meta http-equiv=\"refresh\" content=\"20\">" } else { "" };
    let footer = format!("<footer class=\"en\" id=\"rieng-tu\">{PRIVACY}</footer>");
    document(center, title, body, refresh, "", &footer)
}

/// The whole document around a page's body: `head` goes into the head (a refresh), `style` after the
/// shared style, `footer` under the body.
pub(super) fn document(center: &str, title: &str, body: &str, head: &str, style: &str, footer: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         {head}<title>{title}</title><style>{STYLE}{style}</style></head>\
         <body><main><h1>{center}</h1>{body}{footer}</main></body></html>",
        center = escape(center),
        title = escape(title),
    )
}

/// The rating part of a served ticket's page.
pub struct RatingForm<'a> {
    pub token: &'a str,
    pub rating: Option<&'a RatingView>,
    /// The configured reason chips.
    pub reasons: &'a [String],
    pub now_ms: i64,
    /// Why the last rating sent was refused.
    pub error: Option<&'a ApiError>,
}

/// A level's face as a small SVG (served at `/mat/{level}.svg`; the kiosk shows the same files), drawn
/// rather than an emoji so that it looks the same on every phone and tablet, whatever fonts it has.
pub fn face_svg(level: Level) -> &'static str {
    match level {
        Level::VerySatisfied => include_str!("../../assets/faces/very_satisfied.svg"),
        Level::Satisfied => include_str!("../../assets/faces/satisfied.svg"),
        Level::Neutral => include_str!("../../assets/faces/neutral.svg"),
        Level::Dissatisfied => include_str!("../../assets/faces/dissatisfied.svg"),
    }
}

/// Four large buttons, best first; the current level is marked. Each submits the form it is in.
fn faces(current: Option<Level>) -> String {
    let mut out = String::from("<div class=\"faces\">");
    for level in Level::ALL {
        let (vi, en) = level.words();
        let on = if Some(*level) == current { " class=\"on\" aria-pressed=\"true\"" } else { "" };
        out.push_str(&format!(
            "<button name=\"level\" value=\"{l}\"{on}><img class=\"face\" src=\"/mat/{l}.svg\" alt=\"\">{vi}<br>\
             <span class=\"en\">{en}</span></button>",
            l = level.as_str()
        ));
    }
    out.push_str("</div>");
    out
}

/// Asks a served citizen how they were served (no scripts: each face is a submit button), thanks them
/// once rated, and lets them add reasons and a complaint or change their mind within the window.
fn rating_card(f: &RatingForm<'_>) -> String {
    let action = format!("/t/{}/danh-gia", escape(f.token));
    let mut body = String::from("<div class=\"card\" id=\"danh-gia\">");
    if let Some(e) = f.error {
        body.push_str(&format!(
            "<p class=\"err\" role=\"alert\">{}<br><span class=\"en\">{}</span></p>",
            escape(&e.vi),
            escape(&e.en)
        ));
    }
    let Some(r) = f.rating else {
        body.push_str(&format!(
            "<div class=\"big\">Bạn có hài lòng với cách phục vụ?</div><div class=\"en\">How were you served?</div>\
             <form method=\"post\" action=\"{action}\">{}</form></div>",
            faces(None)
        ));
        return body;
    };
    body.push_str(&format!(
        "<div class=\"big\">Cảm ơn bạn đã đánh giá!</div><div class=\"en\">Thank you for your rating.</div>\
         <p>{} <span class=\"en\">· {}</span></p>",
        escape(&r.level_vi),
        escape(&r.level_en)
    ));
    if r.complaint.is_some() || !r.reasons.is_empty() {
        body.push_str("<p>Đã ghi nhận ý kiến của bạn. <span class=\"en\">· Your comments were received.</span></p>");
    }
    if f.now_ms > r.changeable_until_ms {
        body.push_str("</div>");
        return body;
    }
    body.push_str(&format!("<form method=\"post\" action=\"{action}\">"));
    body.push_str(&format!("<input type=\"hidden\" name=\"level\" value=\"{}\">", r.level.as_str()));
    if r.level.asks_why() {
        body.push_str("<fieldset><legend>Vì sao? <span class=\"en\">Why? (optional)</span></legend>");
        for reason in f.reasons {
            let checked = if r.reasons.contains(reason) { " checked" } else { "" };
            body.push_str(&format!(
                "<label class=\"chip\"><input type=\"checkbox\" name=\"reason\" value=\"{v}\"{checked}> {v}</label>",
                v = escape(reason)
            ));
        }
        body.push_str("</fieldset>");
    }
    body.push_str(&format!(
        "<label>Phản ánh, kiến nghị <span class=\"en\">Complaint or suggestion (optional)</span>\
         <textarea name=\"complaint\" rows=\"4\" maxlength=\"{COMPLAINT_MAX}\">{}</textarea></label>\
         <button class=\"send\">Gửi ý kiến <span class=\"en\">Send</span></button></form>\
         <form method=\"post\" action=\"{action}\"><p class=\"en\">Đổi đánh giá · Change your rating</p>{}</form></div>",
        escape(r.complaint.as_deref().unwrap_or("")),
        faces(Some(r.level))
    ));
    body
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

/// Where a page's facts come from when they are not the hall's own: the province's copy, and how fresh it
/// is. `late` when the hall has not been heard from for a while.
pub struct AsOf {
    pub vi: String,
    pub en: String,
    pub late: bool,
}

fn as_of(a: Option<&AsOf>) -> String {
    a.map_or(String::new(), |a| {
        let late = if a.late { " late" } else { "" };
        format!(
            "<div class=\"card{late}\" id=\"cap-nhat\">{}<br><span class=\"en\">{}</span></div>",
            escape(&a.vi),
            escape(&a.en)
        )
    })
}

/// The page of a dossier's own QR (`/d/{token}`).
pub fn dossier(center: &str, d: &Details, fresh: Option<&AsOf>) -> String {
    let body = format!(
        "{}{}<p class=\"en\">Trang tự cập nhật mỗi 20 giây. · This page refreshes every 20 seconds.</p>",
        dossier_cards(d),
        as_of(fresh)
    );
    shell(center, &format!("Hồ sơ {}", d.public.code), &body)
}

/// The ticket's page: its place in line, then, once a counter has received a dossier under it, the dossier.
pub fn ticket(
    center: &str,
    s: &TicketStatus,
    dossier: Option<&Details>,
    rate: Option<&RatingForm<'_>>,
    fresh: Option<&AsOf>,
) -> String {
    // A served citizen is asked to rate: the page then stops refreshing, so as not to lose what they type.
    let served = s.state == crate::domain::ticket::TicketState::Done;
    // A rating sent for a ticket not served has no card to say why it was refused: it says so in its own.
    let refused = rate.and_then(|r| r.error).filter(|_| !served).map(|e| {
        format!(
            "<div class=\"card\"><p class=\"err\" role=\"alert\">{}<br><span class=\"en\">{}</span></p></div>",
            escape(&e.vi),
            escape(&e.en)
        )
    });
    let rating = rate.filter(|_| served).map(rating_card).or(refused);
    let refreshes = if rating.is_some() {
        ""
    } else {
        "<p class=\"en\">Trang tự cập nhật mỗi 20 giây. · This page refreshes every 20 seconds.</p>"
    };
    if let Some(d) = dossier {
        let body = format!(
            "<div class=\"card\"><div class=\"en\">Số thứ tự · Ticket</div><div class=\"big\">{number}</div>\
             <div class=\"en\">Hồ sơ của bạn đã được tiếp nhận · Your dossier was received</div></div>{cards}\
             {rating}{fresh}{refreshes}",
            number = escape(&s.number),
            cards = dossier_cards(d),
            fresh = as_of(fresh),
            rating = rating.as_deref().unwrap_or(""),
        );
        return page(center, &format!("Hồ sơ {}", d.public.code), &body, rating.is_none());
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
         <dt>Lấy số lúc<br><span class=\"en\">Taken at</span></dt><dd>{}</dd></dl></div>{}{}{refreshes}",
        escape(&s.taken_at),
        rating.as_deref().unwrap_or(""),
        as_of(fresh),
    ));
    page(center, &format!("Số {}", s.number), &body, rating.is_none())
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
