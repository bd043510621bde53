//! `motcua backup` and `motcua restore`: a copy of the database taken while the hub runs, and one put back
//! (docs/deploy.md, "Backups").

use anyhow::Result;
use motcua::app::backup;
use motcua::config::Config;
use motcua::domain::clock::Clock;
use motcua::domain::clock::SystemClock;
use motcua::store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `motcua backup [-o FILE]`: into FILE, or a file named for now in the backup folder.
pub fn take(output: Option<PathBuf>, store: &Store, config: &Config, data_dir: &Path) -> Result<ExitCode> {
    let dest = output.unwrap_or_else(|| backup::folder(config, data_dir).join(backup::file_name(SystemClock.now())));
    let started = Instant::now();
    // A read-only connection: the copy is one read transaction, which never holds up a running hub.
    let reader = Store::open_reader(store.path())?;
    match backup::take(&reader, &dest) {
        Ok(copied) => {
            println!(
                "Đã sao lưu / backed up: {} ({:.1} MiB, {:.1} s). Tệp chứa dữ liệu cá nhân: giữ ở nơi an toàn.",
                copied.path.display(),
                copied.bytes as f64 / 1_048_576.0,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("Không sao lưu được / backup failed: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `motcua restore FILE`: runs before the database is opened, so that a damaged database can be replaced.
pub fn restore(from: &Path, data_dir: &Path, config: &Config) -> Result<ExitCode> {
    let db = data_dir.join("motcua.db");
    match backup::restore(from, &db, config, &SystemClock) {
        Ok(r) => {
            if let Some(kept) = &r.replaced {
                println!("Cơ sở dữ liệu cũ được giữ tại / the replaced database is kept at {}", kept.display());
            }
            println!(
                "Đã khôi phục từ / restored from {} (schema {} → current); new epoch {}: kiosks, boards and \
                 consoles reload; personal data cleared again for {} dossiers.",
                from.display(),
                r.schema,
                r.epoch,
                r.purged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("Không khôi phục được / restore refused: {e}");
            Ok(ExitCode::from(2))
        }
    }
}
