//! The Circular 03/2025 forms a counter prints for the dossier it is handling: 02 request for more
//! documents (the dossier waits for them, status 5), 03 refusal (status 3), 04 apology with a new
//! appointment for a dossier that will be late. Each print is a `dossier_form` row, and a step in the
//! dossier's timeline; a new appointment never erases the first, against which on time is measured.

use super::dossier::{local, local_ms, worded, DossierError};
use crate::domain::clock::{millis, Clock};
use crate::domain::counter::Desk;
use crate::domain::dossier::{mask_name, DossierCode, Status};
use crate::store::dossier::{self as repo, DossierEvent, FormPrint};
use crate::store::Store;
use serde::{Deserialize, Serialize};

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Form {
    #[serde(rename = "02")]
    Supplement,
    #[serde(rename = "03")]
    Refusal,
    #[serde(rename = "04")]
    Apology,
}

impl Form {
    pub fn number(self) -> &'static str {
        match self {
            Form::Supplement => "02",
            Form::Refusal => "03",
            Form::Apology => "04",
        }
    }

    /// The form's title as printed.
    pub fn title(self) -> &'static str {
        match self {
            Form::Supplement => "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            Form::Refusal => "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
            Form::Apology => "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        }
    }
}

/// What staff enter for a form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormRequest {
    pub code: String,
    pub form: Form,
    /// Form 02: the documents to add or complete, one each.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Form 03: why it is refused; form 04: why it is late.
    #[serde(default)]
    pub reason: String,
    /// Form 04: the new appointment, "YYYY-MM-DD HH:MM" local time.
    #[serde(default)]
    pub appointment: Option<String>,
}

/// A form to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSlip {
    pub form: Form,
    pub code: String,
    /// Masked, as receipts print it.
    pub applicant: String,
    pub procedure: String,
    pub received: String,
    /// The body, line by line.
    pub lines: Vec<String>,
}

/// Why a form was not printed; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRefusal {
    UnknownDossier(String),
    NoDocuments,
    NoReason,
    /// Form 04 needs a new appointment later than the one the dossier has, and in the future.
    BadAppointment,
    /// The dossier's result was handed over, refused or withdrawn: no form applies.
    Closed(Status),
}

impl FormRefusal {
    pub fn vi(&self) -> String {
        match self {
            FormRefusal::UnknownDossier(c) => format!("Không có hồ sơ mã {c}."),
            FormRefusal::NoDocuments => "Ghi rõ từng giấy tờ cần bổ sung, hoàn thiện.".into(),
            FormRefusal::NoReason => "Ghi rõ lý do.".into(),
            FormRefusal::BadAppointment => {
                "Ngày hẹn mới (YYYY-MM-DD HH:MM) phải sau ngày hẹn hiện tại và sau thời điểm này.".into()
            }
            FormRefusal::Closed(s) => format!("Hồ sơ đang ở trạng thái \"{}\": không in phiếu này được.", s.vi()),
        }
    }

    pub fn en(&self) -> String {
        match self {
            FormRefusal::UnknownDossier(c) => format!("no dossier {c}"),
            FormRefusal::NoDocuments => "list each document to add or complete".into(),
            FormRefusal::NoReason => "give the reason".into(),
            FormRefusal::BadAppointment => {
                "the new appointment (YYYY-MM-DD HH:MM) must be after the current one and in the future".into()
            }
            FormRefusal::Closed(s) => format!("the dossier is {}: this form does not apply", s.en()),
        }
    }
}

/// Records a form for a dossier and gives what to print, or why not (nothing changed then).
pub fn record(
    store: &mut Store,
    at: Desk,
    req: &FormRequest,
    clock: &dyn Clock,
) -> Result<Result<FormSlip, FormRefusal>, DossierError> {
    let code_text = req.code.trim().to_uppercase();
    let Some(code) = DossierCode::parse(&code_text) else { return Ok(Err(FormRefusal::UnknownDossier(code_text))) };
    let now = clock.now();
    let now_ms = millis(now);
    let change = store.change()?;
    let Some(mut d) = repo::by_code(&change, &code.to_string())? else {
        return Ok(Err(FormRefusal::UnknownDossier(code.to_string())));
    };
    let status = Status::from_code(d.status).unwrap_or(Status::Registered);
    if matches!(status, Status::Returned | Status::Refused | Status::Withdrawn) {
        return Ok(Err(FormRefusal::Closed(status)));
    }
    let reason: String = req.reason.trim().chars().take(500).collect();
    let documents: Vec<String> = req
        .documents
        .iter()
        .map(|d| d.trim().chars().take(200).collect::<String>())
        .filter(|d| !d.is_empty())
        .collect();
    let (lines, new_status, note, appointment_ms) = match req.form {
        Form::Supplement => {
            if documents.is_empty() || documents.len() > 30 {
                return Ok(Err(FormRefusal::NoDocuments));
            }
            let mut lines = vec!["Đề nghị Ông/Bà bổ sung, hoàn thiện các giấy tờ sau:".to_string()];
            lines.extend(documents.iter().enumerate().map(|(i, doc)| format!("{}. {doc}", i + 1)));
            if !reason.is_empty() {
                lines.push(format!("Lý do: {reason}"));
            }
            lines.push("Sau khi bổ sung đủ, nộp lại tại bộ phận tiếp nhận và trả kết quả.".into());
            (lines, Status::Supplement, format!("Cần bổ sung: {}", documents.join("; ")), None)
        }
        Form::Refusal => {
            if reason.is_empty() {
                return Ok(Err(FormRefusal::NoReason));
            }
            let lines = vec![
                "Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận, giải quyết hồ sơ của Ông/Bà.".to_string(),
                format!("Lý do: {reason}"),
            ];
            (lines, Status::Refused, format!("Từ chối: {reason}"), None)
        }
        Form::Apology => {
            if reason.is_empty() {
                return Ok(Err(FormRefusal::NoReason));
            }
            let new = req.appointment.as_deref().and_then(crate::interchange::dossiers::parse_local);
            let current = d.appointment_ms;
            let Some(new) = new.filter(|n| {
                let ms = local_ms(*n);
                ms > now_ms && current.is_none_or(|c| ms > c)
            }) else {
                return Ok(Err(FormRefusal::BadAppointment));
            };
            let first = repo::first_appointment(&change, d.id)?.or(current).and_then(local);
            let lines = vec![
                format!(
                    "Hồ sơ của Ông/Bà hẹn trả kết quả {}, nhưng đến nay chưa giải quyết xong.",
                    first.map(worded).unwrap_or_else(|| "theo giấy hẹn".into())
                ),
                format!("Lý do: {reason}"),
                "Cơ quan chúng tôi thành thật xin lỗi Ông/Bà vì sự chậm trễ này.".into(),
                format!("Hẹn lại thời gian trả kết quả: {}", worded(new)),
            ];
            (lines, status, format!("Xin lỗi, hẹn lại {}: {reason}", worded(new)), Some(local_ms(new)))
        }
    };
    d.status = new_status.code();
    d.updated_ms = now_ms;
    if let Some(ms) = appointment_ms {
        d.appointment_ms = Some(ms);
        d.appointment_provisional = false;
    }
    repo::update(&change, &d)?;
    repo::add_event(&change, d.id, &DossierEvent { at_ms: now_ms, status: new_status.code(), note: note.clone() })?;
    let print = FormPrint {
        dossier_id: d.id,
        form: req.form.number(),
        at_ms: now_ms,
        counter: Some(at.counter),
        staff_id: at.staff,
        detail: &note,
        appointment_ms,
    };
    repo::add_form(&change, &print)?;
    change.commit()?;
    let received = local(d.received_ms).map(worded).unwrap_or_default();
    Ok(Ok(FormSlip {
        form: req.form,
        code: d.code.clone(),
        applicant: d.applicant_name.as_deref().map(mask_name).unwrap_or_default(),
        procedure: d.procedure_name.clone(),
        received,
        lines,
    }))
}
