//! `motcua staff …`, `motcua device list|revoke|rotate` and `motcua clock accept`: accounts, and what
//! staff do when a device is lost or the clock ran ahead. They write to the database beside a running hub,
//! which hears of a revocation within a second.

use anyhow::{Context, Result};
use clap::Subcommand;
use motcua::app::queue::QueueError;
use motcua::app::{clock, counter, staff};
use motcua::config::Config;
use motcua::domain::clock::{rfc3339, SystemClock, VIETNAM};
use motcua::store::{access, Store};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ClockCommand {
    /// Accept the time now as right after the clock ran ahead: issuing starts again, and tickets dated on
    /// a later day are voided. Logged, and kept as an event.
    Accept,
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Add an account. The PIN (hub.pin_min_length to 12 digits) or password (10 characters or more) is
    /// read from standard input: `printf 246813 | motcua staff add lan.nt --name "Nguyễn Thị Lan" --roles
    /// counter`.
    Add {
        username: String,
        /// The name shown on the console, on receipts and in reports.
        #[arg(long)]
        name: String,
        /// One or more of counter, leader, admin, separated by commas.
        #[arg(long, default_value = "counter")]
        roles: String,
    },
    /// List the accounts, disabled ones included.
    List,
    /// Disable an account: it cannot log in, and its sessions end (a running hub within a second).
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
    /// Give an account a new PIN or password, read from standard input; its sessions end.
    ResetPin { username: String },
}

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Register a kiosk, display board or back-office connection (integration) and print its token (shown
    /// once; put it in that device's configuration, e.g. kiosk.hub_token).
    Add {
        name: String,
        #[arg(long, value_parser = ["kiosk", "display", "integration", "metrics"])]
        role: String,
    },
    /// List the registered devices, revoked ones included.
    List,
    /// Revoke a device's token: a running hub refuses it within a second.
    Revoke { name: String },
    /// Give a device a new token (printed once); the old one stops working within a second.
    Rotate { name: String },
}

fn when(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| rfc3339(t.to_offset(VIETNAM)))
        .unwrap_or_default()
}

/// A secret from standard input (first line, without its end of line), never from the command line, where
/// other users could read it.
fn secret_from_stdin() -> Result<String> {
    let mut secret = String::new();
    std::io::stdin().read_line(&mut secret).context("cannot read the PIN or password from standard input")?;
    Ok(secret.trim_end_matches(['\r', '\n']).to_string())
}

pub fn staff(command: StaffCommand, store: &Store, config: &Config, clock: &SystemClock) -> Result<ExitCode> {
    let done = match command {
        StaffCommand::Add { username, name, roles } => {
            let secret = secret_from_stdin()?;
            staff::add(store, config, &username, &name, &roles, &secret, clock).map(|s| {
                println!("Đã thêm tài khoản \"{}\" ({}) / account added, roles {}", s.username, s.name, s.roles)
            })
        }
        StaffCommand::List => staff::list(store).map(|accounts| {
            for s in accounts {
                let state = if s.active { "active" } else { "disabled" };
                println!("{:<20} {:<32} {:<22} {state}", s.username, s.name, s.roles.to_string());
            }
        }),
        StaffCommand::Disable { username } => staff::set_active(store, &username, false, clock)
            .map(|s| println!("Đã khóa tài khoản \"{}\" / disabled (its sessions end within a second)", s.username)),
        StaffCommand::Enable { username } => staff::set_active(store, &username, true, clock)
            .map(|s| println!("Đã mở lại tài khoản \"{}\" / enabled", s.username)),
        StaffCommand::ResetPin { username } => {
            let secret = secret_from_stdin()?;
            staff::reset_secret(store, config, &username, &secret, clock)
                .map(|s| println!("Đã đặt mã mới cho \"{}\" / new secret set (its sessions end)", s.username))
        }
    };
    match done {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(QueueError::Staff(r)) => {
            eprintln!("{} / {r}", r.message_vi());
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn device(command: DeviceCommand, store: &Store, clock: &SystemClock) -> Result<ExitCode> {
    let unknown = |name: &str| {
        eprintln!("Không có thiết bị \"{name}\" đang hoạt động / no live device is named \"{name}\"");
        Ok(ExitCode::from(2))
    };
    match command {
        DeviceCommand::List => {
            for d in access::devices(store.conn())? {
                let state = match d.revoked_ms {
                    Some(ms) => format!("revoked {}", when(ms)),
                    None => "active".to_string(),
                };
                println!("{:<24} {:<12} since {}  {state}", d.name, d.role, when(d.created_ms));
            }
        }
        DeviceCommand::Revoke { name } => {
            if !counter::revoke_device(store, &name, clock)? {
                return unknown(&name);
            }
            println!("Đã thu hồi mã của \"{name}\" / \"{name}\" revoked (a running hub refuses it within a second)");
        }
        DeviceCommand::Rotate { name } => match counter::rotate_device(store, &name, clock)? {
            Some(token) => println!("{token}"),
            None => return unknown(&name),
        },
        DeviceCommand::Add { name, role } => {
            let token = counter::add_device(store, &name, &role, clock)
                .with_context(|| format!("cannot add device \"{name}\" (is the name already used?)"))?;
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn accept_clock(store: &mut Store, clock: &SystemClock) -> Result<ExitCode> {
    let accepted = clock::accept(store, clock)?;
    match &accepted.was_ahead_until {
        Some(last) => println!(
            "Đã chấp nhận giờ hiện tại ({}); sự kiện cuối trước đó ghi lúc {last}. / The time now ({}) is \
             accepted; the last event was stamped {last}.",
            accepted.now, accepted.now
        ),
        None => {
            println!("Giờ máy không chậm hơn sự kiện nào; đã ghi nhận. / The clock was not behind any event; noted.")
        }
    }
    if !accepted.voided.is_empty() {
        println!(
            "Đã hủy các số ghi ngày sau hôm nay / voided tickets dated after today: {}",
            accepted.voided.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
