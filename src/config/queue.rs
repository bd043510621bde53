//! The queue's settings: how tickets are issued, estimated, prioritised and closed; the services numbers are
//! taken for, and the counters that call them (with the demo hall's).

use serde::{Deserialize, Serialize};

/// How the queue behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Queue {
    /// Address phones use for a ticket's page: the QR encodes `{public_base_url}/t/{token}`.
    pub public_base_url: String,
    /// Seconds a reserved ticket may wait for its print outcome before it is voided.
    pub reservation_timeout_s: u32,
    /// What happens to a ticket not printed for a reason the printer could not tell: "void" (the number is
    /// cancelled and the citizen asked to try again) or "keep" (the ticket joins the queue; the kiosk shows
    /// the number). Paper out, cover open and offline always keep it and show it on screen.
    pub not_printed: NotPrintedRule,
    pub priority_categories: Vec<String>,
    /// The priority category the kiosk proposes when a scanned chip ID card shows this age or more; empty
    /// proposes none.
    pub elderly_priority: String,
    /// Age from which `elderly_priority` is proposed (Law on the Elderly: 60).
    pub elderly_age: u32,
    pub max_priority_in_row: u32,
    pub fairness_minutes: u32,
    /// Typical minutes a citizen spends at a counter, for estimates before there is data.
    pub typical_service_minutes: f64,
    /// Recent service durations per service behind the estimate (their median is used).
    pub estimate_window: u32,
    /// Recalls before a counter may mark a ticket no-show.
    pub recalls_before_no_show: u32,
    /// Local time ("17:30") after which tickets still waiting or called are closed as not served at
    /// closing; tickets of an earlier day are closed whenever the hub finds them.
    pub closing_time: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotPrintedRule {
    Void,
    Keep,
}

/// A service a ticket is taken for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub code: String,
    /// Letter(s) before the number on the ticket.
    pub prefix: String,
    pub name_vi: String,
    pub name_en: String,
    /// Catalog fields (lĩnh vực) this service covers.
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default = "one")]
    pub first: u32,
    #[serde(default = "last")]
    pub last: u32,
    #[serde(default = "three")]
    pub width: u8,
    /// Most tickets a day; 0 for no cap.
    #[serde(default)]
    pub daily_cap: u32,
    /// Issuing hours Monday to Friday, e.g. ["07:30-11:30", "13:30-17:00"].
    pub hours: Vec<String>,
    /// Issuing hours on Saturday; empty when closed.
    #[serde(default)]
    pub saturday_hours: Vec<String>,
    /// Issuing hours on Sunday; empty (the default) when closed.
    #[serde(default)]
    pub sunday_hours: Vec<String>,
}

fn one() -> u32 {
    1
}
fn last() -> u32 {
    999
}
fn three() -> u8 {
    3
}

/// A counter (quầy) and the services it serves, in order of preference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counter {
    pub number: u32,
    pub name: String,
    pub services: Vec<String>,
    /// Printer (in [printers]) for reprints at this counter; empty for the kiosk's printer.
    #[serde(default)]
    pub printer: String,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            public_base_url: "http://127.0.0.1:8080".into(),
            reservation_timeout_s: 60,
            not_printed: NotPrintedRule::Void,
            priority_categories: [
                "Người cao tuổi",
                "Người khuyết tật",
                "Phụ nữ mang thai",
                "Người có công với cách mạng",
                "Người đi cùng trẻ em dưới 6 tuổi",
            ]
            .map(String::from)
            .to_vec(),
            elderly_priority: "Người cao tuổi".into(),
            elderly_age: 60,
            max_priority_in_row: 2,
            fairness_minutes: 20,
            typical_service_minutes: 8.0,
            estimate_window: 20,
            recalls_before_no_show: 2,
            closing_time: "17:30".into(),
        }
    }
}

fn demo_service(code: &str, prefix: &str, vi: &str, en: &str, fields: &[&str]) -> Service {
    Service {
        code: code.into(),
        prefix: prefix.into(),
        name_vi: vi.into(),
        name_en: en.into(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        first: 1,
        last: 999,
        width: 3,
        daily_cap: 0,
        hours: vec!["07:30-11:30".into(), "13:30-17:00".into()],
        saturday_hours: vec!["07:30-11:30".into()],
        sunday_hours: Vec::new(),
    }
}

pub(super) fn demo_services() -> Vec<Service> {
    vec![
        demo_service("HT", "A", "Hộ tịch", "Civil status", &["Hộ tịch"]),
        demo_service("CT", "B", "Chứng thực", "Certification", &["Chứng thực"]),
        demo_service("DD", "C", "Đất đai, xây dựng", "Land and construction", &["Đất đai", "Hoạt động xây dựng"]),
        demo_service(
            "XH",
            "D",
            "Lao động, xã hội, kinh doanh",
            "Social affairs and business",
            &["Bảo trợ xã hội", "Người có công", "Giảm nghèo", "Thành lập và hoạt động của hộ kinh doanh"],
        ),
    ]
}

pub(super) fn demo_counters() -> Vec<Counter> {
    let c = |number: u32, services: &[&str]| Counter {
        number,
        name: format!("Quầy {number}"),
        services: services.iter().map(|s| s.to_string()).collect(),
        printer: String::new(),
    };
    vec![c(1, &["HT", "CT"]), c(2, &["HT", "XH"]), c(3, &["CT", "HT"]), c(4, &["DD", "XH"]), c(5, &["XH", "DD"])]
}
