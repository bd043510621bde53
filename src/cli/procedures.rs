//! The catalog's commands: import a file (all or nothing), export the canonical JSON, notice-board sheets,
//! search as the kiosk does.

use anyhow::{Context, Result};
use clap::Subcommand;
use motcua::app::catalog::{self, Catalog, CatalogError};
use motcua::config::Config;
use motcua::domain::clock::Clock;
use motcua::domain::search::Synonyms;
use motcua::store::Store;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Check a catalog file (JSON or CSV) and import it, all or nothing.
    Import {
        file: PathBuf,
        /// Check only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Show what would be added and what would change, field by field, and what the file lacks
        /// (kept); change nothing.
        #[arg(long, conflicts_with = "dry_run")]
        diff: bool,
    },
    /// Write the current catalog in the canonical JSON form.
    Export {
        /// Output file; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Notice-board sheets (niêm yết) as an A4 PDF: each procedure's essentials in large type with the QR
    /// codes of its public page and its online submission; a field's index page first.
    Poster {
        /// One field's index and sheets.
        #[arg(long, conflicts_with = "code")]
        field: Option<String>,
        /// One procedure's sheet.
        #[arg(long)]
        code: Option<String>,
        /// The PDF file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Search the catalog as the kiosk does: `motcua catalog search dang ky khai sinh --json`.
    Search {
        /// Print JSON: results best first with code, name, field, score.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Words to search for; marks are optional. No words find nothing.
        /// Options may come anywhere on the line; `--` goes before words that start with a dash.
        #[arg(num_args = 0..)]
        query: Vec<OsString>,
    },
}

/// Runs one catalog command.
pub fn run(
    command: CatalogCommand,
    store: &mut Store,
    config: &Config,
    synonyms: &Synonyms,
    clock: &dyn Clock,
) -> Result<ExitCode> {
    match command {
        CatalogCommand::Import { file, diff: true, .. } => match catalog::preview_file(store, &file) {
            Ok(preview) => print!("{}", diff_text(&file, &preview)),
            Err(e) => {
                eprintln!("{e}");
                return Ok(ExitCode::from(2));
            }
        },
        CatalogCommand::Import { file, dry_run, .. } => {
            let result = if dry_run {
                motcua::interchange::read_catalog(&file)
                    .map(|f| {
                        println!(
                            "{}: {} procedure(s), no problems found (nothing imported: --dry-run)",
                            file.display(),
                            f.procedures.len()
                        );
                    })
                    .map_err(CatalogError::from)
            } else {
                catalog::import_file(store, &file, clock).map(|o| {
                    println!(
                        "{}: {} added, {} changed (new version), {} unchanged",
                        file.display(),
                        o.added,
                        o.changed,
                        o.unchanged
                    );
                })
            };
            if let Err(e) = result {
                eprintln!("{e}");
                return Ok(ExitCode::from(2));
            }
        }
        CatalogCommand::Export { output } => {
            let text = catalog::export(store, config.center.demo)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?
                }
                None => std::io::stdout().write_all(text.as_bytes()).context("cannot write to standard output")?,
            }
        }
        CatalogCommand::Poster { field, code, output } => {
            let catalog = Catalog::load(store, synonyms)?;
            let which = match (&code, &field) {
                (Some(code), _) => catalog::Posters::Code(code),
                (None, Some(field)) => catalog::Posters::Field(field),
                (None, None) => catalog::Posters::All,
            };
            match catalog::posters(&catalog, config, &which, clock.now()) {
                Ok(pdf) => {
                    std::fs::write(&output, &pdf).with_context(|| format!("cannot write {}", output.display()))?;
                    println!("{}: {} KB", output.display(), pdf.len().div_ceil(1024));
                }
                Err(e) => {
                    eprintln!("{e}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
        CatalogCommand::Search { json, limit, query } => {
            let query: Vec<String> = query.iter().map(|q| q.to_string_lossy().into_owned()).collect();
            let query = query.join(" ");
            let catalog = Catalog::load(store, synonyms)?;
            let found = catalog.search(&query, limit);
            let mut out = std::io::stdout().lock();
            if json {
                let rows: Vec<serde_json::Value> = found
                    .iter()
                    .map(|f| {
                        let p = &catalog.procedures()[f.index].procedure;
                        serde_json::json!({
                            "code": p.code, "name": p.name, "field": p.field_name(),
                            "score": (f.score * 1000.0).round() / 1000.0,
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else if found.is_empty() {
                writeln!(out, "Không tìm thấy thủ tục phù hợp / no matching procedure")?;
            } else {
                for f in &found {
                    let p = &catalog.procedures()[f.index].procedure;
                    writeln!(out, "{:<24} {}  [{}]", p.code, p.name, p.field_name())?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An import's preview as a person reads it: a summary line, then `+` added, `~` changed with each field
/// "before → after", and what the file lacks.
fn diff_text(file: &std::path::Path, p: &catalog::ImportPreview) -> String {
    let mut out = format!(
        "{}: {} to add, {} to change (new version), {} unchanged, {} not in the file (kept); nothing written (--diff)\n",
        file.display(),
        p.added.len(),
        p.changed.len(),
        p.unchanged,
        p.not_in_file.len()
    );
    for (code, name) in &p.added {
        out.push_str(&format!("+ {code} {name}\n"));
    }
    for (code, name, changes) in &p.changed {
        out.push_str(&format!("~ {code} {name}\n"));
        for c in changes {
            out.push_str(&format!("    {}: {} → {}\n", c.field, c.before, c.after));
        }
    }
    for (code, name) in &p.not_in_file {
        out.push_str(&format!("= {code} {name}: not in the file (kept)\n"));
    }
    out
}
