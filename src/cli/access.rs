//! `motcua device list|revoke|rotate` and `motcua clock accept`: what staff do when a device is lost or
//! the clock ran ahead. They write to the database beside a running hub, which hears of a revocation
//! within a second.

use super::DeviceCommand;
use anyhow::{Context, Result};
use motcua::app::{clock, counter};
use motcua::domain::clock::{rfc3339, SystemClock, VIETNAM};
use motcua::store::{access, Store};
use std::process::ExitCode;

fn when(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| rfc3339(t.to_offset(VIETNAM)))
        .unwrap_or_default()
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
