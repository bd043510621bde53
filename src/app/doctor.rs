//! `motcua doctor`: what a technician checks first, read without changing anything: the version, the
//! database, the disk, the backups, the printers, the clock, the addresses phones are given, and the running
//! hub's own view. Each check gives a finding in Vietnamese with what to do; the command prints them on one
//! narrow screen (docs/deploy.md).

use crate::config::Config;
use crate::domain::clock::{instant, millis, VIETNAM};
use crate::store::inspect::{inspect, space, Inspection};
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One thing checked: what it is, what was found, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub level: Level,
    pub topic: String,
    pub detail: String,
    pub fix: Option<String>,
}

fn found(level: Level, topic: impl Into<String>, detail: impl Into<String>, fix: Option<&str>) -> Finding {
    Finding { level, topic: topic.into(), detail: detail.into(), fix: fix.map(str::to_string) }
}

/// Every check, in the order they are printed.
pub fn run(config: &Config, data_dir: &Path, now: OffsetDateTime) -> Vec<Finding> {
    let db = data_dir.join("motcua.db");
    let mut findings = vec![found(
        Level::Ok,
        "Phiên bản",
        format!("motcua {} (CSDL bước {})", env!("CARGO_PKG_VERSION"), crate::store::SCHEMA_VERSION),
        None,
    )];
    let inspection = inspect(&db);
    findings.push(database(&inspection));
    let db_bytes = inspection.as_ref().map_or(0, |i| i.bytes);
    findings.push(disk("Ổ đĩa dữ liệu", space(data_dir), db_bytes, config.hub.database_max_mib));
    findings.push(backups(config, data_dir, db_bytes, now));
    findings.extend(printers(config, data_dir));
    findings.push(clock(inspection.as_ref().ok().and_then(|i| i.last_event_ms), now));
    findings.push(public_address(&config.queue.public_base_url));
    findings.push(catalog_address(&config.catalog.page_url(&config.queue, "")));
    if config.hub.tls {
        findings.push(certificates(&crate::tls::Files::in_dir(&crate::tls::folder(config, data_dir)), now));
    } else {
        findings.push(plain_http(&config.hub.listen));
    }
    if !config.province.url.trim().is_empty() {
        findings.push(province(config, data_dir, inspection.as_ref().ok().and_then(|i| i.outbox), now));
    }
    if inspection.as_ref().is_ok_and(|i| i.in_use) {
        let trust = crate::tls::Trust::load(&crate::tls::ca_file(config, data_dir)).ok();
        findings.push(running_hub(&config.hub, trust.as_ref()));
    }
    findings
}

/// The worst level found.
pub fn worst(findings: &[Finding]) -> Level {
    findings.iter().map(|f| f.level).max().unwrap_or(Level::Ok)
}

fn mib(bytes: u64) -> String {
    if bytes >= 10 << 30 {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    }
}

pub fn database(inspection: &Result<Inspection, crate::store::StoreError>) -> Finding {
    let topic = "Cơ sở dữ liệu";
    match inspection {
        Err(e) => found(Level::Fail, topic, format!("không mở được: {e}"), Some("Xem docs/deploy.md, mục Khôi phục.")),
        Ok(i) if i.missing => {
            found(Level::Warn, topic, "chưa có: lần chạy đầu sẽ tạo.", Some("Chạy `motcua serve` hoặc ki-ốt."))
        }
        Ok(i) if i.check != "ok" => found(
            Level::Fail,
            topic,
            format!("bị hỏng ({})", i.check),
            Some("Giữ nguyên tệp, khôi phục bản sao lưu gần nhất: `motcua restore TỆP`."),
        ),
        Ok(i) if i.schema > i.supported => found(
            Level::Fail,
            topic,
            format!("do phiên bản mới hơn ghi (bước {} > {})", i.schema, i.supported),
            Some("Cài lại phiên bản mới hơn, hoặc khôi phục bản sao lưu trước khi nâng cấp."),
        ),
        Ok(i) => {
            let holder = if i.in_use { "hub đang chạy" } else { "không có hub nào chạy" };
            let step = if i.schema < i.supported {
                format!(", bước {} (sẽ nâng lên {} khi chạy)", i.schema, i.supported)
            } else {
                String::new()
            };
            found(Level::Ok, topic, format!("nguyên vẹn, {}{step}; {holder}", mib(i.bytes)), None)
        }
    }
}

/// Room left for the database: the disk's free space, and `[hub] database_max_mib` when set.
pub fn disk(topic: &str, space: Option<(u64, u64)>, db_bytes: u64, cap_mib: u32) -> Finding {
    let Some((free, total)) = space else {
        return found(Level::Warn, topic, "không đọc được dung lượng trống.", None);
    };
    let percent = (free * 100).checked_div(total).unwrap_or(0);
    let detail = format!("trống {} / {} ({percent}%)", mib(free), mib(total));
    let cap = u64::from(cap_mib) << 20;
    if free < 64 << 20 || (cap > 0 && db_bytes + (1 << 20) >= cap) {
        let why = if free < 64 << 20 {
            detail
        } else {
            format!("CSDL {} đã tới giới hạn {cap_mib} MiB", mib(db_bytes))
        };
        return found(
            Level::Fail,
            topic,
            format!("{why}: không cấp được số"),
            Some("Xoá bớt tệp cũ (bản in ảo trong prints/, bản sao lưu cũ) hoặc nâng [hub] database_max_mib."),
        );
    }
    if free < 1 << 30 || percent < 10 || (cap > 0 && db_bytes * 10 >= cap * 9) {
        return found(Level::Warn, topic, format!("{detail}: sắp đầy"), Some("Dọn ổ đĩa trước khi hết chỗ."));
    }
    found(Level::Ok, topic, detail, None)
}

/// The backup folder: there, writable, with room for a copy, and a copy from the last day and a half.
pub fn backups(config: &Config, data_dir: &Path, db_bytes: u64, now: OffsetDateTime) -> Finding {
    let topic = "Sao lưu";
    let dir = crate::app::backup::folder(config, data_dir);
    let shown = dir.display();
    if !dir.is_dir() {
        let missing = if dir == data_dir.join("backups") { Level::Warn } else { Level::Fail };
        return found(
            missing,
            topic,
            format!("không có thư mục {shown}"),
            Some("Cắm lại USB hoặc ổ mạng, kiểm tra [backup] dir."),
        );
    }
    let probe = dir.join(".motcua-doctor");
    let writable = std::fs::write(&probe, b"").and_then(|()| std::fs::remove_file(&probe)).is_ok();
    if !writable {
        return found(
            Level::Fail,
            topic,
            format!("không ghi được vào {shown}"),
            Some("Cấp quyền ghi cho người dùng motcua."),
        );
    }
    if let Some((free, _)) = space(&dir) {
        if free < db_bytes {
            return found(
                Level::Fail,
                topic,
                format!("{shown}: trống {} < CSDL {}", mib(free), mib(db_bytes)),
                Some("Giải phóng chỗ trên nơi sao lưu."),
            );
        }
    }
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("motcua-"))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max();
    let age_h = newest
        .and_then(|t| now.unix_timestamp().checked_sub(OffsetDateTime::from(t).unix_timestamp()))
        .map(|s| s / 3600);
    match age_h {
        None => found(Level::Warn, topic, format!("{shown}: chưa có bản nào"), Some("Chạy `motcua backup` ngay.")),
        Some(h) if h > 36 => found(
            Level::Warn,
            topic,
            format!("bản mới nhất đã {} ngày", (h + 12) / 24),
            Some("Xem hub có chạy lúc [backup] time không; chạy `motcua backup`."),
        ),
        Some(h) => found(Level::Ok, topic, format!("bản mới nhất {h} giờ trước, trong {shown}"), None),
    }
}

/// Each configured printer: opened and, where it can answer, asked its state. A serial printer the kiosk
/// holds open is said to be busy rather than disturbed.
pub fn printers(config: &Config, data_dir: &Path) -> Vec<Finding> {
    config
        .printers
        .keys()
        .map(|name| {
            let topic = format!("Máy in {name}");
            let mut printer = match crate::app::printing::open(config, data_dir, name) {
                Ok(p) => p,
                Err(e) => {
                    return found(
                        Level::Fail,
                        topic,
                        format!("không mở được: {e}"),
                        Some("Kiểm tra cáp, nguồn và [printers]."),
                    )
                }
            };
            if !printer.reports_status() {
                return found(Level::Ok, topic, format!("{} (không báo trạng thái)", printer.describe()), None);
            }
            match printer.status() {
                Ok(state) if state.can_print() => found(Level::Ok, topic, state.message_vi(), None),
                Ok(state) => found(Level::Fail, topic, state.message_vi(), Some("Xem máy in: giấy, nắp, nguồn.")),
                Err(e) => found(Level::Fail, topic, format!("không trả lời: {e}"), Some("Kiểm tra cáp và nguồn.")),
            }
        })
        .collect()
}

/// The clock: a year that cannot be (a flat clock battery), or behind the latest event (issuing stops).
pub fn clock(last_event_ms: Option<i64>, now: OffsetDateTime) -> Finding {
    let topic = "Đồng hồ";
    let shown = format!("{} (giờ Việt Nam)", local(now));
    if now.year() < 2025 {
        return found(Level::Fail, topic, format!("{shown}: sai năm"), Some("Đặt lại giờ máy; thay pin đồng hồ."));
    }
    match last_event_ms {
        Some(last) if last > millis(now) + 60_000 => {
            let was = instant(last).map(local).unwrap_or_default();
            found(
                Level::Fail,
                topic,
                format!("{shown} sớm hơn sự kiện cuối ({was}): không cấp được số"),
                Some("Sửa giờ máy, rồi chạy `motcua clock accept`."),
            )
        }
        _ => found(Level::Ok, topic, shown, None),
    }
}

/// The link to the province: its token and CA readable, and how far behind it is.
pub fn province(
    config: &Config,
    data_dir: &Path,
    outbox: Option<crate::store::outbox::Delivery>,
    now: OffsetDateTime,
) -> Finding {
    let topic = "Gửi lên tỉnh";
    let p = &config.province;
    if let Err(e) = crate::config::read_secret(&p.token_path(data_dir)) {
        return found(
            Level::Fail,
            topic,
            format!("mã gửi: {e}"),
            Some("Chép mã của điểm vào [province] token_file, chmod 0640."),
        );
    }
    if let Err(e) = crate::tls::Trust::load(&p.ca_path(data_dir)) {
        return found(Level::Fail, topic, format!("CA của tỉnh: {e}"), Some("Chép ca.pem của tỉnh vào [province] ca."));
    }
    let Some(d) = outbox else {
        return found(Level::Ok, topic, "chưa có gì để gửi", None);
    };
    let last = d.pushed_at_ms.and_then(instant).map_or("chưa lần nào".to_string(), local);
    let Some(oldest) = d.oldest_pending_ms else {
        return found(Level::Ok, topic, format!("đã gửi hết; lần cuối {last}"), None);
    };
    let waiting = d.newest - d.acked;
    let minutes = (millis(now) - oldest).max(0) / 60_000;
    let behind = if minutes >= 120 { format!("{} giờ", minutes / 60) } else { format!("{minutes} phút") };
    let detail = format!("{waiting} dòng chờ, chậm {behind}; lần cuối {last}");
    if minutes >= 60 {
        found(Level::Warn, topic, detail, Some("Xem mạng tới tỉnh và /healthz của máy chủ (province.last_error)."))
    } else {
        found(Level::Ok, topic, detail, None)
    }
}

/// "04/12/2026 09:00:05", Vietnam's time.
fn local(t: OffsetDateTime) -> String {
    let t = t.to_offset(VIETNAM);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Who can open an address: only this machine, the hall's LAN, or anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    ThisMachine,
    Lan,
    Anyone,
    Invalid,
}

pub fn reach(url: &str) -> Reach {
    let Some(rest) = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")) else {
        return Reach::Invalid;
    };
    let host = crate::domain::client::host_of(rest);
    if host.is_empty() {
        return Reach::Invalid;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() || ip.is_unspecified() => Reach::ThisMachine,
        Ok(IpAddr::V4(v4)) if v4.is_private() || v4.is_link_local() => Reach::Lan,
        Ok(IpAddr::V6(v6)) if (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80 => {
            Reach::Lan
        }
        Ok(_) => Reach::Anyone,
        Err(_) if host == "localhost" || host.ends_with(".localhost") => Reach::ThisMachine,
        Err(_) if host.ends_with(".local") || host.ends_with(".lan") || !host.contains('.') => Reach::Lan,
        Err(_) => Reach::Anyone,
    }
}

/// `[queue] public_base_url`, the address every ticket's QR code sends phones to.
pub fn public_address(url: &str) -> Finding {
    let topic = "Địa chỉ trên QR";
    match reach(url) {
        Reach::Invalid => {
            found(Level::Fail, topic, format!("{url}: không phải địa chỉ web"), Some("Sửa [queue] public_base_url."))
        }
        Reach::ThisMachine => found(
            Level::Fail,
            topic,
            format!("{url}: điện thoại không mở được"),
            Some("Đặt [queue] public_base_url là địa chỉ LAN của máy chủ, vd http://192.168.1.10:8080."),
        ),
        Reach::Lan => found(
            Level::Warn,
            topic,
            format!("{url}: chỉ mở được qua Wi-Fi của bộ phận một cửa"),
            Some("Nói công dân nối Wi-Fi của phòng, hoặc dùng địa chỉ công khai của tỉnh."),
        ),
        Reach::Anyone if url.starts_with("http://") => {
            found(Level::Warn, topic, format!("{url}: công khai nhưng không mã hoá"), Some("Dùng https://."))
        }
        Reach::Anyone => found(Level::Ok, topic, url, None),
    }
}

/// The catalog's public pages (`[catalog] public_base_url`, else the queue's): a procedure slip is read
/// at home, so its QR should open from anywhere, not only on the hall's Wi-Fi.
pub fn catalog_address(page: &str) -> Finding {
    let topic = "QR thủ tục";
    let base = page.trim_end_matches('/').trim_end_matches("/thu-tuc").to_string();
    let hint = Some("Đặt [catalog] public_base_url là trang công khai của tỉnh (https://…).");
    match reach(&base) {
        Reach::Invalid => found(Level::Fail, topic, format!("{base}: không phải địa chỉ web"), hint),
        Reach::ThisMachine => found(Level::Fail, topic, format!("{base}: điện thoại không mở được"), hint),
        Reach::Lan => found(
            Level::Warn,
            topic,
            format!("{base}: chỉ mở được trong mạng của bộ phận một cửa, không mở được khi về nhà"),
            hint,
        ),
        Reach::Anyone => found(Level::Ok, topic, base, None),
    }
}

/// The hub's own address: listening beyond this machine over plain HTTP sends PINs in clear.
pub fn plain_http(listen: &str) -> Finding {
    let topic = "Kết nối hub";
    if reach(&format!("http://{listen}")) == Reach::ThisMachine
        && !listen.starts_with("0.0.0.0")
        && !listen.starts_with("[::]:")
    {
        return found(Level::Ok, topic, format!("{listen}, chỉ trong máy này"), None);
    }
    found(
        Level::Warn,
        topic,
        format!("HTTP thường trên {listen}: mã PIN và dữ liệu đi không mã hoá trong mạng LAN"),
        Some("Chỉ dùng trong mạng riêng của phòng; xem docs/deploy.md."),
    )
}

/// `[hub] tls`: the hub's certificate and key are there, and not close to their end (counted from when
/// `motcua tls init` wrote them).
pub fn certificates(files: &crate::tls::Files, now: OffsetDateTime) -> Finding {
    let topic = "HTTPS";
    if let Err(e) = crate::tls::server_config(files) {
        return found(Level::Fail, topic, e.to_string(), Some("Chạy `motcua tls init`."));
    }
    let made = std::fs::metadata(&files.cert).and_then(|m| m.modified()).map(OffsetDateTime::from);
    let left = made.map(|t| crate::tls::CERT_DAYS - (now - t).whole_days()).unwrap_or(crate::tls::CERT_DAYS);
    if left < 30 {
        return found(
            Level::Warn,
            topic,
            format!("chứng chỉ của hub còn {left} ngày"),
            Some("Chạy lại `motcua tls init`, khởi động lại hub."),
        );
    }
    found(Level::Ok, topic, format!("bật, chứng chỉ còn {left} ngày"), None)
}

/// The running hub's own view (its /healthz on this machine): a full disk or a failed backup it saw.
pub fn running_hub(hub: &crate::config::Hub, trust: Option<&crate::tls::Trust>) -> Finding {
    let topic = "Hub đang chạy";
    let local = hub.listen.replacen("0.0.0.0:", "127.0.0.1:", 1).replacen("[::]:", "[::1]:", 1);
    let tls = trust.map_or_else(crate::tls::Trust::nothing, crate::tls::Trust::ureq);
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(3))).tls_config(tls).build().into();
    let health = agent
        .get(&format!("{}://{local}/healthz", hub.scheme()))
        .call()
        .map_err(|e| e.to_string())
        .and_then(|mut r| r.body_mut().read_json::<serde_json::Value>().map_err(|e| e.to_string()));
    let h = match health {
        Ok(h) => h,
        Err(e) => {
            return found(
                Level::Fail,
                topic,
                format!("giữ CSDL nhưng không trả lời tại {local} ({e})"),
                Some("Khởi động lại: `systemctl restart motcua-hub`."),
            )
        }
    };
    if h["disk_full_since_ms"].is_i64() {
        return found(
            Level::Fail,
            topic,
            "báo ổ đĩa đầy: không lưu được gì",
            Some("Giải phóng dung lượng; hub tự chạy lại."),
        );
    }
    if let Some(e) = h["backup"]["error"].as_str() {
        return found(Level::Fail, topic, format!("sao lưu hằng ngày lỗi: {e}"), Some("Kiểm tra nơi sao lưu."));
    }
    if let Some(modem) = sms_trouble(&h) {
        return modem;
    }
    found(Level::Ok, topic, format!("trả lời tại {local}, sự kiện cuối #{}", h["last_event_id"]), None)
}

/// The GSM modem as the hub's /healthz tells it, when something is wrong with it (docs/sms.md).
fn sms_trouble(h: &serde_json::Value) -> Option<Finding> {
    let state = h["sms"]["modem"]["state"].as_str().unwrap_or("off");
    if matches!(state, "off" | "ok" | "") {
        return None;
    }
    let detail = h["sms"]["modem"]["detail"].as_str().unwrap_or("");
    let queued = h["sms"]["queued"].as_u64().unwrap_or(0);
    Some(found(
        Level::Warn,
        "Modem nhắn tin",
        format!("{state}: {detail}; {queued} tin nhắn đang chờ gửi"),
        Some("Kiểm tra cáp, thẻ SIM và sóng của modem; tin nhắn tự gửi khi modem trở lại."),
    ))
}

/// The findings as one narrow screen (`width` columns, for a phone's terminal): a mark, the topic, then
/// what was found and what to do, wrapped and indented.
pub fn render(findings: &[Finding], now: OffsetDateTime, width: usize) -> String {
    let mut out = format!("motcua doctor · {}\n", &local(now)[..16]);
    for f in findings {
        let mark = match f.level {
            Level::Ok => "✓",
            Level::Warn => "!",
            Level::Fail => "✗",
        };
        out.push_str(&format!("{mark} {}\n", f.topic));
        for line in wrap(&f.detail, width - 2) {
            out.push_str(&format!("  {line}\n"));
        }
        if let Some(fix) = &f.fix {
            for (i, line) in wrap(fix, width - 4).into_iter().enumerate() {
                out.push_str(&format!("{}{line}\n", if i == 0 { "  → " } else { "    " }));
            }
        }
    }
    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    out.push_str(&match (count(Level::Fail), count(Level::Warn)) {
        (0, 0) => "Tất cả đều ổn.\n".to_string(),
        (fail, warn) => format!("{fail} lỗi, {warn} cảnh báo.\n"),
    });
    out
}

/// Words into lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modem_in_trouble_is_a_warning_and_a_quiet_one_is_not() {
        let h = serde_json::json!({"sms": {"modem": {"state": "no-sim", "detail": "no SIM card in the modem"},
                                           "queued": 3}});
        let f = sms_trouble(&h).unwrap();
        assert_eq!(f.level, Level::Warn);
        assert_eq!(f.detail, "no-sim: no SIM card in the modem; 3 tin nhắn đang chờ gửi");
        for state in ["ok", "off"] {
            assert!(sms_trouble(&serde_json::json!({"sms": {"modem": {"state": state}}})).is_none());
        }
        assert!(sms_trouble(&serde_json::json!({})).is_none(), "an older hub without sms");
    }
    use time::macros::datetime;

    #[test]
    fn addresses_phones_cannot_reach_are_told_apart() {
        for (url, want) in [
            ("http://127.0.0.1:8080", Reach::ThisMachine),
            ("http://localhost:8080/t", Reach::ThisMachine),
            ("http://[::1]:8080", Reach::ThisMachine),
            ("http://0.0.0.0:8080", Reach::ThisMachine),
            ("http://192.168.1.10:8080", Reach::Lan),
            ("http://10.2.3.4", Reach::Lan),
            ("http://172.20.0.5:80", Reach::Lan),
            ("http://motcua.local:8080", Reach::Lan),
            ("http://hub:8080", Reach::Lan),
            ("http://[fd00::5]:8080", Reach::Lan),
            ("https://motcua.tinh.gov.vn", Reach::Anyone),
            ("http://203.113.1.2", Reach::Anyone),
            ("ftp://x", Reach::Invalid),
            ("http://", Reach::Invalid),
            ("", Reach::Invalid),
        ] {
            assert_eq!(reach(url), want, "{url}");
        }
        assert_eq!(public_address("http://127.0.0.1:8080").level, Level::Fail);
        assert_eq!(public_address("http://192.168.1.10:8080").level, Level::Warn);
        assert_eq!(public_address("https://motcua.tinh.gov.vn").level, Level::Ok);
        assert_eq!(catalog_address("http://127.0.0.1:8080/thu-tuc/").level, Level::Fail);
        assert_eq!(catalog_address("http://192.168.1.10:8080/thu-tuc/").level, Level::Warn);
        let public = catalog_address("https://dichvucong.daklak.gov.vn/thu-tuc/");
        assert_eq!((public.level, public.detail.as_str()), (Level::Ok, "https://dichvucong.daklak.gov.vn"));
        assert_eq!(plain_http("127.0.0.1:8080").level, Level::Ok);
        assert_eq!(plain_http("0.0.0.0:8080").level, Level::Warn);
    }

    #[test]
    fn the_disk_warns_before_it_is_full_and_fails_when_no_number_fits() {
        let g = 1u64 << 30;
        assert_eq!(disk("d", Some((50 * g, 100 * g)), 0, 0).level, Level::Ok);
        assert_eq!(disk("d", Some((5 * g, 100 * g)), 0, 0).level, Level::Warn);
        assert_eq!(disk("d", Some((10 << 20, 100 * g)), 0, 0).level, Level::Fail);
        assert_eq!(disk("d", Some((50 * g, 100 * g)), 95 << 20, 100).level, Level::Warn);
        assert_eq!(disk("d", Some((50 * g, 100 * g)), 100 << 20, 100).level, Level::Fail);
        assert_eq!(disk("d", None, 0, 0).level, Level::Warn);
    }

    #[test]
    fn a_clock_behind_the_last_event_or_in_a_wrong_year_fails() {
        let now = datetime!(2026-12-04 09:00 +7);
        assert_eq!(clock(Some(millis(now) - 1000), now).level, Level::Ok);
        assert_eq!(clock(Some(millis(now) + 3_600_000), now).level, Level::Fail);
        assert_eq!(clock(None, datetime!(2000-01-01 00:00 UTC)).level, Level::Fail);
    }

    #[test]
    fn the_screen_fits_a_phone() {
        let now = datetime!(2026-12-04 09:00 +7);
        let findings =
            vec![public_address("http://127.0.0.1:8080"), found(Level::Ok, "Phiên bản", "motcua 0.1.0", None)];
        let text = render(&findings, now, 40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.starts_with("motcua doctor · 04/12/2026 09:00\n✗ Địa chỉ trên QR\n"), "{text}");
        assert!(text.contains("  http://127.0.0.1:8080: điện thoại\n  không mở được\n  → Đặt [queue]"), "{text}");
        assert!(text.ends_with("1 lỗi, 0 cảnh báo.\n"), "{text}");
        assert_eq!(worst(&findings), Level::Fail);
    }
}
