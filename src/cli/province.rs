//! `motcua province …`: the province's machine. It has no hall database; these commands reach its
//! PostgreSQL with the connection string from `[province] database_file` (or the systemd credential).

use anyhow::Result;
use clap::Subcommand;
use motcua::config::Config;
use motcua::province::{serve, Province};
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ProvinceCommand {
    /// Serve the province over HTTPS (the certificate `motcua tls init` made in [tls] dir): halls push
    /// their outbox to it (docs/province.md).
    Serve {
        /// Address and port; default from [province] listen.
        #[arg(long)]
        listen: Option<String>,
    },
    /// The halls that push to the province.
    #[command(subcommand)]
    Hall(HallCommand),
}

#[derive(Subcommand)]
pub enum HallCommand {
    /// Add a hall, or give it a new push token (the old one stops working within a minute); prints the
    /// token once, for the hall's [province] token_file.
    Add {
        /// The hall's id, short and stable ("xa-ea-tu").
        id: String,
        /// The hall's name as leaders read it.
        #[arg(long)]
        name: String,
    },
}

pub fn run(command: &ProvinceCommand, config: &Config, data_dir: &Path) -> Result<ExitCode> {
    match command {
        ProvinceCommand::Serve { listen } => {
            let listen = listen.clone().unwrap_or_else(|| config.province.listen.clone());
            serve::serve(config.clone(), data_dir, &listen)?;
        }
        ProvinceCommand::Hall(HallCommand::Add { id, name }) => {
            let valid = !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                eprintln!("\"{id}\": a hall's id is 1 to 64 of a-z, 0-9 and -");
                return Ok(ExitCode::from(2));
            }
            let conninfo = serve::conninfo(config, data_dir)?;
            let token = motcua::app::queue::token()?;
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let province = Province::connect(&conninfo).await?;
                province.add_hall(id, name, &token).await
            })?;
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
