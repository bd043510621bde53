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
    /// Province accounts: who may read which halls' reports and health on the province's pages.
    #[command(subcommand)]
    Account(AccountCommand),
    /// The province's catalog, which the halls pull: a procedure a hall never edited follows it.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// The report of one hall, several or all for a period, with the same figures as each hall's own
    /// (docs/reports.md), and each hall's alone; JSON, or CSV of the whole.
    Report {
        /// A hall's id (repeat for several); none: every hall.
        #[arg(long = "hall")]
        halls: Vec<String>,
        /// First day, YYYY-MM-DD (local time).
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD, included.
        #[arg(long)]
        to: String,
        /// A row per service as well (per counter or staff member: one hall only).
        #[arg(long, value_parser = ["service", "counter", "staff"])]
        by: Option<String>,
        #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
        format: String,
    },
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

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Publish a catalog file (docs/catalog-format.md) as the province's: a new version of each
    /// procedure whose text changed, the rest kept. A file with any problem changes nothing.
    Import { file: std::path::PathBuf },
    /// Retire a procedure from the province's catalog; the halls that follow it retire it too.
    Retire { code: String },
}

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Add an account, or give it a new password, name and halls; the password is read from standard
    /// input (at least 10 characters).
    Add {
        username: String,
        /// The name shown on the pages.
        #[arg(long)]
        name: String,
        /// A hall it may see (repeat for several).
        #[arg(long = "hall", required_unless_present = "all")]
        halls: Vec<String>,
        /// Every hall, now and later.
        #[arg(long, conflicts_with = "halls")]
        all: bool,
    },
    /// Every account, with its halls; disabled ones marked.
    List,
    /// It cannot log in any more, and its sessions end at once.
    Disable { username: String },
}

/// The shortest password a province account may have.
const PASSWORD_MIN: usize = 10;

pub fn run(command: &ProvinceCommand, config: &Config, data_dir: &Path) -> Result<ExitCode> {
    match command {
        ProvinceCommand::Serve { listen } => {
            let listen = listen.clone().unwrap_or_else(|| config.province.listen.clone());
            serve::serve(config.clone(), data_dir, &listen)?;
        }
        ProvinceCommand::Hall(HallCommand::Add { id, name }) => {
            if !motcua::province::store::valid_hall_id(id) {
                eprintln!("\"{id}\": a hall's id is 1 to 64 of a-z, 0-9 and -");
                return Ok(ExitCode::from(2));
            }
            let token = motcua::app::queue::token()?;
            let (runtime, province) = connect(config, data_dir)?;
            runtime.block_on(province.add_hall(id, name, &token))?;
            println!("{token}");
        }
        ProvinceCommand::Account(command) => return account(command, config, data_dir),
        ProvinceCommand::Catalog(command) => return catalog(command, config, data_dir),
        ProvinceCommand::Report { halls, from, to, by, format } => {
            return report(config, data_dir, halls, (from, to), by.as_deref(), format);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A runtime for one command, and a connection to the province's database with its schema up to date.
fn catalog(command: &CatalogCommand, config: &Config, data_dir: &Path) -> Result<ExitCode> {
    let now = motcua::domain::clock::rfc3339(time::OffsetDateTime::now_utc());
    match command {
        CatalogCommand::Import { file } => {
            // Read and checked before the database is touched: a file with a problem changes nothing.
            let read = match motcua::interchange::read_catalog(file) {
                Ok(read) => read,
                Err(e) => {
                    eprintln!("{}: {e}", file.display());
                    return Ok(ExitCode::from(2));
                }
            };
            let (runtime, mut province) = connect(config, data_dir)?;
            let done = runtime.block_on(province.publish_catalog(&read.procedures, &now))?;
            println!(
                "Tỉnh công bố: {} thủ tục mới, {} thay đổi, {} giữ nguyên / the province publishes: {} added, {} \
                 changed, {} unchanged",
                done.added, done.changed, done.unchanged, done.added, done.changed, done.unchanged
            );
        }
        CatalogCommand::Retire { code } => {
            let (runtime, province) = connect(config, data_dir)?;
            if !runtime.block_on(province.retire_procedure(code, &now))? {
                eprintln!("Tỉnh không công bố thủ tục {code} / the province publishes no procedure {code}");
                return Ok(ExitCode::from(2));
            }
            println!("Đã bãi bỏ {code} / {code} retired");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn connect(config: &Config, data_dir: &Path) -> Result<(tokio::runtime::Runtime, Province)> {
    let conninfo = serve::conninfo(config, data_dir)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let province = runtime.block_on(Province::connect(&conninfo))?;
    Ok((runtime, province))
}

/// Every hall the province knows, or None (with the first unknown one named) when `asked` names another.
async fn known_halls(province: &Province, asked: &[String]) -> Result<Option<Vec<String>>> {
    let known: Vec<String> = province.halls().await?.into_iter().map(|(id, _)| id).collect();
    if let Some(unknown) = asked.iter().find(|h| !known.contains(h)) {
        eprintln!("Không có điểm \"{unknown}\" / no hall \"{unknown}\"; halls: {}", known.join(", "));
        return Ok(None);
    }
    Ok(Some(known))
}

/// `motcua province report`.
fn report(
    config: &Config,
    data_dir: &Path,
    halls: &[String],
    (from, to): (&str, &str),
    by: Option<&str>,
    format: &str,
) -> Result<ExitCode> {
    use motcua::app::report::{bounds, date};
    use motcua::domain::report::By;
    let by = match by {
        Some("service") => Some(By::Service),
        Some("counter") => Some(By::Counter),
        Some("staff") => Some(By::Staff),
        _ => None,
    };
    let period = match (date(from), date(to)) {
        (Ok(f), Ok(t)) => bounds(f, t).map(|b| (f, t, b)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let (from, to, (from_ms, to_ms)) = match period {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Khoảng thời gian không hợp lệ / {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let calendar = motcua::app::dossier::calendar(config)?;
    let (runtime, province) = connect(config, data_dir)?;
    runtime.block_on(async {
        let Some(known) = known_halls(&province, halls).await? else { return Ok(ExitCode::from(2)) };
        let halls = if halls.is_empty() { known } else { halls.to_vec() };
        if halls.len() > 1 && matches!(by, Some(By::Counter | By::Staff)) {
            eprintln!("Theo quầy hoặc cán bộ: chỉ một điểm / --by counter or staff: one hall only");
            return Ok(ExitCode::from(2));
        }
        let asked = motcua::province::report::Asked {
            halls,
            from_ms,
            to_ms,
            from_day: from.to_string(),
            to_day: to.to_string(),
            now_ms: motcua::domain::clock::millis(time::OffsetDateTime::now_utc()),
            session_ms: i64::from(config.hub.session_minutes) * 60_000,
            target_wait_minutes: config.reports.target_wait_minutes,
        };
        let made = province.report(&asked, &calendar, by).await?;
        let text = match format {
            "csv" => motcua::interchange::report::csv(&made.total),
            _ => serde_json::to_string_pretty(&made)? + "\n",
        };
        std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
        Ok(ExitCode::SUCCESS)
    })
}

/// `motcua province account …`.
fn account(command: &AccountCommand, config: &Config, data_dir: &Path) -> Result<ExitCode> {
    use motcua::province::store::Scope;
    let (runtime, province) = connect(config, data_dir)?;
    runtime.block_on(async {
        match command {
            AccountCommand::Add { username, name, halls, all } => {
                let valid = !username.is_empty()
                    && username.len() <= 64
                    && username.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
                if !valid {
                    eprintln!("\"{username}\": a username is 1 to 64 of a-z, 0-9, '.', '-' and '_'");
                    return Ok(ExitCode::from(2));
                }
                if known_halls(&province, halls).await?.is_none() {
                    return Ok(ExitCode::from(2));
                }
                let mut password = String::new();
                std::io::stdin().read_line(&mut password)?;
                let password = password.trim_end_matches(['\r', '\n']);
                if password.chars().count() < PASSWORD_MIN {
                    eprintln!("Mật khẩu quá ngắn / the password needs at least {PASSWORD_MIN} characters");
                    return Ok(ExitCode::from(2));
                }
                let hash = motcua::app::counter::hash_secret(password)?;
                let scope = if *all { Scope::All } else { Scope::Halls(halls.clone()) };
                province.put_account(username, name, &hash, &scope).await?;
                println!("{username}: {}", describe(&scope));
            }
            AccountCommand::List => {
                for a in province.accounts().await? {
                    let off = if a.disabled { " (disabled)" } else { "" };
                    println!("{}\t{}\t{}{off}", a.username, a.name, describe(&a.scope));
                }
            }
            AccountCommand::Disable { username } => {
                if !province.disable_account(username).await? {
                    eprintln!("Không có tài khoản \"{username}\" / no account \"{username}\"");
                    return Ok(ExitCode::from(2));
                }
                println!("{username}: disabled, sessions ended");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn describe(scope: &motcua::province::store::Scope) -> String {
    match scope {
        motcua::province::store::Scope::All => "every hall".to_string(),
        motcua::province::store::Scope::Halls(h) => h.join(", "),
    }
}
