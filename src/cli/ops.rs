//! The technician's commands: `motcua doctor` (what to check first, on one phone-wide screen) and
//! `motcua tls init` (the hall CA and the hub's certificate). Both run before the database is opened.

use anyhow::Result;
use clap::Subcommand;
use motcua::config::Config;
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum TlsCommand {
    /// Make the hall CA (kept if already there) and a new certificate for the hub in [tls] dir; then set
    /// [hub] tls = true and give ca.pem to kiosks, boards and counter PCs (docs/deploy.md, "HTTPS").
    Init {
        /// An address or host name devices use to reach the hub (repeat for more); default: the hosts in
        /// [queue] public_base_url and [hub] listen, this machine's name, localhost and loopback.
        #[arg(long = "name")]
        names: Vec<String>,
    },
}

/// `motcua tls init`: the CA kept or made, a new certificate for the hub, and what to do next.
pub fn tls_init(config: &Config, data_dir: &Path, names: &[String]) -> Result<ExitCode> {
    let names = if names.is_empty() { motcua::tls::default_names(config) } else { names.to_vec() };
    let dir = motcua::tls::folder(config, data_dir);
    let files = motcua::tls::Files::in_dir(&dir);
    let made = motcua::tls::init(&files, &names, time::OffsetDateTime::now_utc())?;
    let ca = if made.new_ca { "new hall CA" } else { "the hall CA kept" };
    println!("{ca}: {}", files.ca.display());
    println!("SHA-256: {}", made.ca_fingerprint);
    println!("hub certificate for {}: {}", made.names.join(", "), files.cert.display());
    println!(
        "next: [hub] tls = true, restart the hub; copy ca.pem to kiosks and boards ([tls] ca) and import it in \
         the counter PCs' browsers (docs/deploy.md, \"HTTPS\")"
    );
    Ok(ExitCode::SUCCESS)
}

/// `motcua doctor`: the findings as one 40-column screen, or as JSON; exit status 1 on any failure.
pub fn doctor(config: &Config, data_dir: &Path, json: bool) -> Result<ExitCode> {
    use motcua::app::doctor;
    let now = time::OffsetDateTime::now_utc();
    let findings = doctor::run(config, data_dir, now);
    if json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        print!("{}", doctor::render(&findings, now, 40));
    }
    Ok(if doctor::worst(&findings) == doctor::Level::Fail { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
