//! Whether a value of the catalog was checked against an official source, and which one: the procedure's
//! code and name, each time limit, each fee, each document. Staff record the source (the province's
//! publishing decision, the national database's page) when they check a value; inspections ask for it.
//!
//! In a catalog file a mark is `false` (not checked yet), `{"source": "…"}` (checked against that source),
//! or absent or `true`: checked with no source recorded, as catalog files said before sources were kept.
//! Those older files read unchanged; staff are reminded of the marks that have no source.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The longest source a mark keeps (a decision's number and title, or an address).
pub const SOURCE_MAX: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Not checked yet: the kiosk says "(chưa xác minh)" beside it.
    Unverified,
    /// Checked; `source` says against what (None: checked before sources were recorded).
    Verified { source: Option<String> },
}

impl Default for Mark {
    /// What an absent mark means in a file: checked, no source recorded.
    fn default() -> Self {
        Mark::Verified { source: None }
    }
}

impl Mark {
    /// Checked against `source`.
    pub fn sourced(source: impl Into<String>) -> Mark {
        Mark::Verified { source: Some(source.into()) }
    }

    pub fn is_verified(&self) -> bool {
        matches!(self, Mark::Verified { .. })
    }

    /// The source it was checked against, if recorded.
    pub fn source(&self) -> Option<&str> {
        match self {
            Mark::Verified { source: Some(s) } => Some(s),
            _ => None,
        }
    }

    /// Checked with no source recorded: what an absent mark reads as, so a file leaves it out.
    pub fn is_unrecorded(&self) -> bool {
        *self == Mark::Verified { source: None }
    }

    /// What staff should look at again: not checked, or checked with no source.
    pub fn needs_review(&self) -> bool {
        self.source().is_none()
    }

    /// Why a source cannot be kept, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let source = self.source()?;
        if source.trim().is_empty() {
            return Some("a verified mark's source must not be empty".into());
        }
        if source.chars().count() > SOURCE_MAX {
            return Some(format!("a source is at most {SOURCE_MAX} characters"));
        }
        if source.chars().any(char::is_control) {
            return Some("a source is one line of text".into());
        }
        None
    }

    /// The words a citizen reads beside the value: nothing when checked.
    pub fn suffix(&self) -> &'static str {
        if self.is_verified() {
            ""
        } else {
            " (chưa xác minh)"
        }
    }
}

impl Serialize for Mark {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Mark::Unverified => s.serialize_bool(false),
            Mark::Verified { source: None } => s.serialize_bool(true),
            Mark::Verified { source: Some(source) } => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("source", source)?;
                map.end()
            }
        }
    }
}

struct MarkVisitor;

impl<'de> Visitor<'de> for MarkVisitor {
    type Value = Mark;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("false, true or {\"source\": \"…\"}")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Mark, E> {
        Ok(if v { Mark::default() } else { Mark::Unverified })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Mark, A::Error> {
        let mut source: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "source" if source.is_none() => source = Some(map.next_value()?),
                "source" => return Err(de::Error::duplicate_field("source")),
                other => return Err(de::Error::unknown_field(other, &["source"])),
            }
        }
        source.map(Mark::sourced).ok_or_else(|| de::Error::missing_field("source"))
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Mark, D::Error> {
        d.deserialize_any(MarkVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_flags_read_and_sources_round_trip() {
        let read = |json: &str| serde_json::from_str::<Mark>(json).map_err(|e| e.to_string());
        assert_eq!(read("true"), Ok(Mark::default()));
        assert_eq!(read("false"), Ok(Mark::Unverified));
        let sourced = Mark::sourced("Quyết định 163/QĐ-BTP");
        assert_eq!(read(r#"{"source": "Quyết định 163/QĐ-BTP"}"#), Ok(sourced.clone()));
        assert_eq!(serde_json::to_string(&sourced).unwrap(), r#"{"source":"Quyết định 163/QĐ-BTP"}"#);
        assert_eq!(serde_json::to_string(&Mark::Unverified).unwrap(), "false");
        assert!(read(r#"{"sauce": "x"}"#).unwrap_err().contains("unknown field `sauce`, expected `source`"));
        assert!(read("{}").unwrap_err().contains("missing field `source`"));
        assert!(read("\"yes\"").unwrap_err().contains("expected false, true or {\"source\": \"…\"}"));
    }

    #[test]
    fn what_staff_review_and_what_a_source_may_hold() {
        assert!(Mark::Unverified.needs_review() && Mark::default().needs_review());
        assert!(!Mark::sourced("QĐ 1/QĐ-UBND").needs_review());
        assert_eq!(Mark::sourced(" ").problem().as_deref(), Some("a verified mark's source must not be empty"));
        assert!(Mark::sourced("a\nb").problem().is_some());
        assert!(Mark::sourced("x".repeat(SOURCE_MAX + 1)).problem().is_some());
        assert_eq!(Mark::sourced("x".repeat(SOURCE_MAX)).problem(), None);
        assert_eq!((Mark::Unverified.suffix(), Mark::default().suffix()), (" (chưa xác minh)", ""));
    }
}
