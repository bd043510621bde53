//! What may leave the hall for the province: the allowlist of fields of each kind of outbox row
//! (docs/province.md lists the same, and a test holds the two together). The hall's triggers build rows
//! from it; the province refuses a row that carries anything else.

use serde_json::Value;
use std::collections::BTreeSet;

/// Each kind of row and every field it may carry, as paths (`ticket.number`, `reasons[]`). A procedure's
/// text (`procedure`) is public and goes whole.
pub const ALLOWLIST: &[(&str, &[&str])] = &[
    (
        "queue_event",
        &[
            "id",
            "at_ms",
            "kind",
            "counter",
            "staff_id",
            "ticket.id",
            "ticket.day",
            "ticket.service",
            "ticket.number",
            "ticket.priority",
            "ticket.state",
            "ticket.arrived_ms",
            "ticket.token",
        ],
    ),
    (
        "dossier_status",
        &[
            "id",
            "at_ms",
            "status",
            "dossier.id",
            "dossier.code",
            "dossier.token",
            "dossier.procedure_code",
            "dossier.procedure_version",
            "dossier.channel",
            "dossier.received_ms",
            "dossier.appointment_ms",
            "dossier.appointment_provisional",
            "dossier.ticket_id",
            "dossier.returned_ms",
            "dossier.applicant",
        ],
    ),
    (
        "rating",
        &[
            "ticket_id",
            "level",
            "reasons[]",
            "complained",
            "source",
            "counter",
            "staff_id",
            "service",
            "dossier_id",
            "rated_ms",
            "changed_ms",
        ],
    ),
    ("catalog_version", &["code", "version", "published_at", "superseded_at", "procedure"]),
    ("printer_health", &["printers[].device", "printers[].state", "printers[].unconfirmed", "printers[].at_ms"]),
    (
        "ticket",
        &[
            "id",
            "day",
            "service",
            "now_service",
            "number",
            "priority",
            "state",
            "arrived_ms",
            "counter",
            "called_ms",
            "started_ms",
            "finished_ms",
            "token",
        ],
    ),
    (
        "dossier",
        &[
            "id",
            "code",
            "token",
            "procedure_code",
            "procedure_version",
            "channel",
            "status",
            "received_ms",
            "appointment_ms",
            "first_appointment_ms",
            "appointment_provisional",
            "ticket_id",
            "returned_ms",
            "applicant",
            "collect_at",
        ],
    ),
    ("dossier_form", &["id", "dossier_id", "form", "at_ms"]),
    ("backup", &["last_ms", "failed_ms"]),
    (
        "hall",
        &[
            "name",
            "address",
            "hours",
            "phone",
            "services[].code",
            "services[].name_vi",
            "services[].name_en",
            "services[].open",
            "services[].typical_min",
            "counters[].number",
            "counters[].name",
            "rating_reasons[]",
            "rating_change_minutes",
            "booking.enabled",
            "booking.days_ahead",
            "booking.window_minutes",
            "booking.share_percent",
            "booking.services[].code",
            "booking.services[].prefix",
            "booking.services[].slots",
            "booking.services[].days[].day",
            "booking.services[].days[].hours[]",
        ],
    ),
    ("booking", &["id", "code", "day", "service", "state", "ticket"]),
];

/// Every path of fields a body carries, arrays' elements as `[]`. Nulls and empty lists carry nothing and
/// are left out; a procedure's text is one path.
pub fn paths(body: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let at = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    if at == "procedure" && !child.is_null() {
                        out.insert(at);
                    } else {
                        walk(child, &at, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, &format!("{prefix}[]"), out)),
            Value::Null => {}
            _ => {
                out.insert(prefix.to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(body, "", &mut out);
    out
}

/// Whether a row of `kind` carries only listed fields: why not, if not.
pub fn check(kind: &str, body: &Value) -> Result<(), String> {
    let Some((_, fields)) = ALLOWLIST.iter().find(|(k, _)| *k == kind) else {
        return Err(format!("unknown kind of row \"{kind}\""));
    };
    if !body.is_object() {
        return Err(format!("a {kind} row must be a JSON object"));
    }
    let extra: Vec<String> = paths(body).into_iter().filter(|p| !fields.contains(&p.as_str())).collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(format!("a {kind} row carries fields that may not leave the hall: {}", extra.join(", ")))
    }
}

/// One row of a hall's outbox as pushed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PushedRow {
    pub seq: i64,
    pub kind: String,
    pub at_ms: i64,
    pub body: Value,
}

/// Where a restored hall's history leaves its parent's: the epoch the backup was taken under, and the
/// last sequence the restored database holds. Rows of the parent after it happened in a history the
/// restore replaced.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Branch {
    pub epoch: String,
    pub seq: i64,
}

/// `POST /api/v1/push`: the rows of one history of a hall after `after`, in order. The hall is known by
/// its token.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Batch {
    pub epoch: String,
    pub after: i64,
    /// Sent with every batch of a restored hall; the province reads it when it first meets the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Branch>,
    pub rows: Vec<PushedRow>,
}

/// The province's answer to a batch: every row of the history up to `acked` is stored. With `gap`, the
/// batch began after rows the province does not hold, nothing was stored, and the hall pushes again
/// from `acked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Acked {
    pub acked: i64,
    #[serde(default)]
    pub gap: bool,
}

/// A rating given on the province's page of a hall's ticket, as the hall pulls it
/// (`GET /api/v1/ratings?after=N`, which also tells the province the hall has every rating up to N).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PulledRating {
    pub id: i64,
    /// The ticket's public token.
    pub token: String,
    pub level: String,
    pub reasons: Vec<String>,
    pub complaint: Option<String>,
}

/// What a pull answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Pulled {
    pub ratings: Vec<PulledRating>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_listed_fields_pass() {
        let ok = json!({"id": 1, "kind": "called", "ticket": {"number": "A001", "token": "x"}, "counter": null});
        assert_eq!(check("queue_event", &ok), Ok(()));
        let phone = json!({"dossier": {"code": "H-1", "applicant_phone": "0912345678"}, "status": 2});
        assert_eq!(
            check("dossier_status", &phone),
            Err("a dossier_status row carries fields that may not leave the hall: dossier.applicant_phone".into())
        );
        let complaint = json!({"level": "neutral", "complaint": "…", "reasons": ["Thời gian chờ"]});
        assert!(check("rating", &complaint).unwrap_err().ends_with(": complaint"));
        assert!(check("id_card", &json!({})).is_err());
        assert!(check("rating", &json!([1])).is_err());
    }
}
