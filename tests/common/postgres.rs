//! A real PostgreSQL for a test: Debian's server binaries, a scratch cluster made by `initdb` in a temporary
//! folder and started on a free loopback port, stopped when dropped. `initdb` refuses to run as root, so
//! as root the cluster belongs to a system user made for it (`motcua-pg`) and every command runs through
//! `runuser`. Without the server installed the test prints SKIPPED and why, unless
//! `MOTCUA_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes it fail instead.

use std::path::PathBuf;
use std::process::{Command, Stdio};

const USER: &str = "motcua-pg";

pub struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    as_root: bool,
    pub port: u16,
    _dir: tempfile::TempDir,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("postgres").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Postgres {
    /// A running server, or None (with SKIPPED printed) where PostgreSQL is not installed.
    pub fn start(test: &str) -> Option<Postgres> {
        let Some(bin) = bin_dir() else {
            assert!(
                std::env::var_os("MOTCUA_REQUIRE_POSTGRES").is_none(),
                "MOTCUA_REQUIRE_POSTGRES is set but no PostgreSQL server binaries were found"
            );
            eprintln!("SKIPPED {test}: PostgreSQL is not installed (Debian: apt install postgresql)");
            return None;
        };
        let as_root = is_root();
        if as_root && !Command::new("id").arg(USER).stdout(Stdio::null()).status().is_ok_and(|s| s.success()) {
            let made = Command::new("useradd")
                .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER])
                .status()
                .expect("useradd runs");
            // Another test may have made it meanwhile.
            assert!(
                made.success() || Command::new("id").arg(USER).status().is_ok_and(|s| s.success()),
                "cannot make the user {USER}"
            );
        }
        let dir = tempfile::tempdir().expect("a scratch folder");
        let data = dir.path().join("data");
        if as_root {
            let ok = Command::new("chown").arg(USER).arg(dir.path()).status().expect("chown runs").success();
            assert!(ok, "chown of the scratch folder");
            // The user must be able to reach the folder through its parents.
            let _ = Command::new("chmod").arg("o+x").arg(dir.path().parent().unwrap()).status();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let pg = Postgres { bin, data, as_root, port, _dir: dir };
        let init = pg
            .command("initdb")
            .arg("-D")
            .arg(&pg.data)
            .args(["-U", "motcua", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"])
            .stdout(Stdio::null())
            .output()
            .expect("initdb runs");
        assert!(init.status.success(), "initdb: {}", String::from_utf8_lossy(&init.stderr));
        pg.server_start();
        Some(pg)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", USER, "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// What the server logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.join("server.log")).unwrap_or_default()
    }

    /// The connection string of a database on it.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!("host=127.0.0.1 port={} user=motcua dbname={dbname} connect_timeout=10", self.port)
    }

    /// Makes a database, empty.
    pub fn create_db(&self, name: &str) {
        let out = self
            .command("createdb")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "motcua", name])
            .output()
            .expect("createdb runs");
        assert!(out.status.success(), "createdb: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Stops the server at once, as a crash would.
    pub fn kill(&self) {
        let _ = self.command("pg_ctl").arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]).output();
    }

    /// Starts the server (again, after `kill`) on its port, waiting until it takes connections.
    pub fn server_start(&self) {
        let started = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.data.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=200",
                self.port,
                self.data.display()
            ))
            .args(["-w", "-t", "30", "start"])
            .stdout(Stdio::null())
            .output()
            .expect("pg_ctl runs");
        assert!(started.status.success(), "pg_ctl start: {}{}", String::from_utf8_lossy(&started.stderr), self.log());
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.kill();
    }
}
