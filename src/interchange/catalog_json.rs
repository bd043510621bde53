//! The canonical catalog form: `{"format": "motcua-catalog", "format_version": 2, "procedures": [...]}`.
//! See `docs/catalog-format.md`. Lines are found from where each value starts in the source text.

use super::{finish, CatalogFile, FileProblem, ImportError, Parsed};
use crate::domain::catalog::Procedure;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

pub const FORMAT: &str = "motcua-catalog";
/// Version 2 gave verified marks their source (`{"source": "…"}`); version 1 files, whose marks are bare
/// `true`/`false`, read unchanged.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    format: String,
    format_version: u32,
    #[serde(default)]
    demo: bool,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(borrow)]
    procedures: Vec<&'a RawValue>,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'static str,
    format_version: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    demo: bool,
    procedures: &'a [Procedure],
}

/// Finds the line of any slice of the source text: the newline offsets, counted once.
struct Lines<'a> {
    src: &'a str,
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(src: &'a str) -> Self {
        Lines { src, newlines: src.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect() }
    }

    /// Line (1-based) where `part`, a slice of the source, starts.
    fn of(&self, part: &str) -> usize {
        let offset = (part.as_ptr() as usize).saturating_sub(self.src.as_ptr() as usize).min(self.src.len());
        self.newlines.partition_point(|&n| n < offset) + 1
    }
}

/// Drops serde_json's " at line L column C" suffix; the line is reported separately.
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Finds the deepest value named by a path like `cases[1].channels[0].fee.text`.
fn locate<'a>(mut raw: &'a RawValue, path: &str) -> &'a RawValue {
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            match serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) {
                Ok(map) => match map.get(key) {
                    Some(v) => raw = v,
                    None => return raw,
                },
                Err(_) => return raw,
            }
        }
        for index in indices.split('[').filter_map(|s| s.strip_suffix(']')) {
            let Ok(i) = index.parse::<usize>() else { return raw };
            match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
                Ok(items) if i < items.len() => raw = items[i],
                _ => return raw,
            }
        }
    }
    raw
}

pub fn parse(name: &str, src: &str) -> Result<CatalogFile, ImportError> {
    let problem = |line: usize, field: &str, message: String| FileProblem {
        file: name.to_string(),
        line,
        field: field.to_string(),
        message,
    };
    let mut de = serde_json::Deserializer::from_str(src);
    let envelope: Envelope = match serde_path_to_error::deserialize(&mut de) {
        Ok(e) => e,
        Err(e) => {
            let field = match e.path().to_string() {
                p if p == "." => "file".to_string(),
                p => p,
            };
            let inner = e.into_inner();
            return Err(ImportError::Problems(vec![problem(inner.line().max(1), &field, bare_message(&inner))]));
        }
    };
    if let Err(e) = de.end() {
        return Err(ImportError::Problems(vec![problem(e.line(), "file", bare_message(&e))]));
    }
    let mut problems = Vec::new();
    if envelope.format != FORMAT {
        problems.push(problem(1, "format", format!("\"{}\" is not \"{FORMAT}\"", envelope.format)));
    }
    if !(1..=FORMAT_VERSION).contains(&envelope.format_version) {
        problems.push(problem(
            1,
            "format_version",
            format!(
                "version {} is not supported; this program reads versions 1 to {FORMAT_VERSION}",
                envelope.format_version
            ),
        ));
    }
    let lines = Lines::new(src);
    let lines = &lines;
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    for (i, raw) in envelope.procedures.iter().copied().enumerate() {
        let start = lines.of(raw.get());
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, Procedure>(&mut de) {
            Ok(p) => {
                let locate_line = move |path: &str| lines.of(locate(raw, path).get());
                parsed.push(Parsed { procedure: p, line: start, locate: Box::new(locate_line) });
            }
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let field = if path == "." { format!("procedures[{i}]") } else { path };
                problems.push(problem(start + inner.line().max(1) - 1, &field, bare_message(&inner)));
            }
        }
    }
    finish(name, parsed, problems, envelope.demo)
}

/// Writes procedures in the canonical form, sorted by code so that exports compare line by line.
pub fn write(procedures: &[Procedure], demo: bool) -> String {
    let mut sorted = procedures.to_vec();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let out = EnvelopeOut { format: FORMAT, format_version: FORMAT_VERSION, demo, procedures: &sorted };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
