//! The log file, bounded: `logs/motcua.log` is renamed to `motcua.log.1` (and so on, up to `KEEP`) when it
//! reaches `MAX_BYTES`, so that logs never fill the disk however long the hall runs or however loud a
//! flood makes them: at most `MAX_BYTES × (KEEP + 1)` in all. Under systemd the journal keeps the logs
//! and no file is written.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Largest size of one log file.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Older files kept beside the current one.
pub const KEEP: usize = 5;

/// A log file that rotates itself by size.
pub struct Rotating {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: File,
    written: u64,
}

impl Rotating {
    pub fn open(path: &Path) -> io::Result<Rotating> {
        Rotating::with_limits(path, MAX_BYTES, KEEP)
    }

    pub fn with_limits(path: &Path, max_bytes: u64, keep: usize) -> io::Result<Rotating> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let written = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Rotating { path: path.to_owned(), max_bytes, keep, file, written })
    }

    fn numbered(&self, n: usize) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        let _ = std::fs::remove_file(self.numbered(self.keep));
        for n in (1..self.keep).rev() {
            let _ = std::fs::rename(self.numbered(n), self.numbered(n + 1));
        }
        if self.keep > 0 {
            std::fs::rename(&self.path, self.numbered(1))?;
        } else {
            std::fs::remove_file(&self.path)?;
        }
        self.file = OpenOptions::new().create(true).append(true).open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for Rotating {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max_bytes {
            // A log that cannot rotate (a read-only folder) keeps writing where it is rather than failing.
            let _ = self.rotate();
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether standard error goes to the systemd journal (the service then needs no file of its own).
pub fn under_journal() -> bool {
    std::env::var_os("JOURNAL_STREAM").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_by_size_and_keeps_a_bounded_number_of_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motcua.log");
        let mut log = Rotating::with_limits(&path, 1000, 2).unwrap();
        let line = [b'x'; 99];
        for _ in 0..100 {
            log.write_all(&line).unwrap();
            log.write_all(b"\n").unwrap();
        }
        log.flush().unwrap();
        let mut names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
        names.sort();
        assert_eq!(names, ["motcua.log", "motcua.log.1", "motcua.log.2"]);
        for name in &names {
            let size = std::fs::metadata(dir.path().join(name)).unwrap().len();
            assert!(size <= 1000, "{name}: {size} bytes");
        }
        // Reopened, it goes on from the size already there.
        let again = Rotating::with_limits(&path, 1000, 2).unwrap();
        assert_eq!(again.written, std::fs::metadata(&path).unwrap().len());
    }
}
