//! Wiring only: arguments → configuration → logging → store → catalog → the chosen command (`cli`).

mod cli;

use anyhow::{Context as _, Result};
use clap::Parser;
use cli::{CatalogCommand, Cli, Command, KioskArgs};
use motcua::app::catalog;
use motcua::config::Config;
use motcua::domain::clock::SystemClock;
use motcua::store::Store;
use std::path::Path;
use std::process::ExitCode;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("motcua: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard error and to `logs/motcua.log`, which rotates by size (`motcua::logs`); under systemd,
/// to the journal only. A log file that cannot be opened never stops the kiosk.
fn init_logging(data_dir: &Path) {
    let filter = || EnvFilter::try_from_env("MOTCUA_LOG").unwrap_or_else(|_| EnvFilter::new("warn,motcua=info"));
    let (file, file_error) = if motcua::logs::under_journal() {
        (None, None)
    } else {
        match motcua::logs::Rotating::open(&data_dir.join("logs").join("motcua.log")) {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e)),
        }
    };
    let file_layer =
        file.map(|f| fmt::layer().with_ansi(false).with_writer(std::sync::Mutex::new(f)).with_filter(filter()));
    let stderr_layer = fmt::layer().with_writer(std::io::stderr).with_filter(filter());
    tracing_subscriber::registry().with(stderr_layer).with(file_layer).init();
    if let Some(e) = file_error {
        tracing::warn!(error = %e, "cannot open the log file; logging to standard error only");
    }
}

fn prepare_data_dir(dir: &Path) -> Result<()> {
    for sub in ["", "prints", "logs"] {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create the data folder {}", path.display()))?;
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    let config = Config::load(cli.config.as_deref(), std::env::vars())?;
    prepare_data_dir(&cli.data_dir)?;
    init_logging(&cli.data_dir);
    if let Some(restored) = cli::before_store(&cli.command, &config, &cli.data_dir) {
        return restored;
    }
    let mut store = Store::open(&cli.data_dir.join("motcua.db"))?;
    let command = cli.command.unwrap_or(Command::Kiosk(KioskArgs::default()));
    // An installer importing the real catalog into a fresh database must not get the demo mixed in.
    let importing = matches!(command, Command::Catalog(CatalogCommand::Import { .. }));
    if config.catalog.load_demo && !importing {
        if let Some(outcome) = catalog::seed_demo(&mut store, &SystemClock)? {
            tracing::info!(added = outcome.added, "demo catalog loaded into the empty database");
        }
    }
    let synonyms = catalog::load_synonyms(&config.catalog.synonyms_file)?;
    cli::execute(command, cli::Wiring { config, data_dir: cli.data_dir, store, synonyms })
}
