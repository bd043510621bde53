//! `motcua report`: the hall's report for a period as JSON or CSV (docs/reports.md), read on a read-only
//! connection so that it never holds up a running hub's writer.

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
    #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
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
    let text = match args.format.as_str() {
        "csv" => motcua::interchange::report::csv(&made),
        _ => serde_json::to_string_pretty(&made)? + "\n",
    };
    match args.output {
        Some(path) => std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
