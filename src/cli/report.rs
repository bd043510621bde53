//! `motcua report`: the hall's report for a period as JSON, CSV, a spreadsheet or a printable page
//! (docs/reports.md), read on a read-only connection so that it never holds up a running hub's writer.

use anyhow::{Context, Result};
use clap::Args;
use motcua::app::report;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::domain::report::By;
use motcua::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    /// First day, YYYY-MM-DD (local time).
    #[arg(long)]
    from: String,
    /// Last day, YYYY-MM-DD, included.
    #[arg(long)]
    to: String,
    /// A row per service, counter or staff member as well.
    #[arg(long, value_parser = ["service", "counter", "staff"])]
    by: Option<String>,
    #[arg(long, value_parser = ["json", "csv", "xlsx", "html"], default_value = "json")]
    format: String,
    /// Write here instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

pub fn run(args: ReportArgs, store: &Store, config: &Config, clock: &SystemClock) -> Result<ExitCode> {
    let by = match args.by.as_deref() {
        Some("service") => Some(By::Service),
        Some("counter") => Some(By::Counter),
        Some("staff") => Some(By::Staff),
        _ => None,
    };
    let (from, to) = match (report::date(&args.from), report::date(&args.to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("Ngày không hợp lệ / {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let reader = Store::open_reader(store.path())?;
    let made = match report::report(&reader, config, from, to, by, clock)? {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Khoảng thời gian không hợp lệ / {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let bytes = match args.format.as_str() {
        "csv" => motcua::interchange::report::csv(&made).into_bytes(),
        "xlsx" => motcua::interchange::report::xlsx(&made).context("cannot write the spreadsheet")?,
        "html" => {
            let names = report::names(&reader, config)?;
            motcua::interchange::report_page::document(&made, &names).into_bytes()
        }
        _ => (serde_json::to_string_pretty(&made)? + "\n").into_bytes(),
    };
    match args.output {
        Some(path) => std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?,
        None if args.format == "xlsx" => {
            eprintln!("Bảng tính cần -o TỆP / a spreadsheet needs -o FILE");
            return Ok(ExitCode::from(2));
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
