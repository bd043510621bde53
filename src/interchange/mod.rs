//! Files exchanged with the outside: the catalog in its canonical JSON form and as a flat CSV sheet, and
//! the hall's report as JSON, CSV, a spreadsheet or a printable page.
//! Readers turn text into domain values and report every problem as `file:line: field: message`;
//! nothing here touches the database.

pub mod calendar;
pub mod catalog_csv;
pub mod catalog_json;
pub mod charts;
pub mod dossiers;
pub mod poster;
pub mod report;
pub mod report_page;

/// Text as HTML or SVG text and attribute content.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

use crate::domain::catalog::Procedure;
use std::fmt;
use std::path::Path;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is larger than {limit} bytes; split it or check that it is a catalog file")]
    TooLarge { path: String, limit: u64 },
    #[error("{} problem(s) found, nothing was imported:\n{}", .0.len(), render(.0))]
    Problems(Vec<FileProblem>),
}

fn render(problems: &[FileProblem]) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
}

/// A catalog file that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogFile {
    pub demo: bool,
    pub procedures: Vec<Procedure>,
}

/// Largest catalog file accepted: far above a province's catalog (a few MB), far below the machine's memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a catalog file, JSON or CSV by its content (a JSON file starts with `{`).
pub fn read_catalog(path: &Path) -> Result<CatalogFile, ImportError> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path).map_err(|source| ImportError::Read { path: name.clone(), source })?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { path: name, limit: MAX_FILE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read { path: name.clone(), source })?;
    parse_catalog(&name, &bytes)
}

/// Parses catalog bytes; `name` is used in problem reports.
pub fn parse_catalog(name: &str, bytes: &[u8]) -> Result<CatalogFile, ImportError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(ImportError::Problems(vec![FileProblem {
                file: name.to_string(),
                line,
                field: "file".into(),
                message: "not UTF-8 text; save the file as UTF-8".into(),
            }]));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        catalog_json::parse(name, text)
    } else {
        catalog_csv::parse(name, text)
    }
}

/// A procedure read from a file, with the line it starts on and a way to find the line of any of its fields.
struct Parsed<'a> {
    procedure: Procedure,
    line: usize,
    locate: Box<dyn Fn(&str) -> usize + 'a>,
}

/// Adds the rule problems of each procedure and one problem per repeated code, then decides.
fn finish(
    name: &str,
    parsed: Vec<Parsed<'_>>,
    mut problems: Vec<FileProblem>,
    demo: bool,
) -> Result<CatalogFile, ImportError> {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for Parsed { procedure: p, line, locate } in &parsed {
        for problem in p.problems() {
            problems.push(FileProblem {
                file: name.to_string(),
                line: locate(&problem.path),
                field: problem.path,
                message: problem.message,
            });
        }
        if let Some(first) = seen.insert(p.code.clone(), *line) {
            problems.push(FileProblem {
                file: name.to_string(),
                line: *line,
                field: "code".into(),
                message: format!("{} is already defined at line {first}", p.code),
            });
        }
    }
    if problems.is_empty() {
        Ok(CatalogFile { demo, procedures: parsed.into_iter().map(|p| p.procedure).collect() })
    } else {
        problems.sort_by_key(|p| p.line);
        Err(ImportError::Problems(problems))
    }
}
