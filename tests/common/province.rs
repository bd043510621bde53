//! The real `motcua province serve` in a child process, over HTTPS with a test CA made by `motcua tls
//! init`, on a scratch PostgreSQL; and what the province holds, read straight from the database.
#![allow(dead_code)]

use crate::common::write;
use crate::postgres::Postgres;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct ProvinceService {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub conninfo: String,
    /// The province's CA, which halls pin.
    pub ca: PathBuf,
    pub port: u16,
    pub child: Option<Child>,
}

/// A free loopback port (free when asked; nothing holds it after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn motcua(data: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    let config = config.to_str().unwrap();
    crate::common::motcua(data, &[&["--config", config], args].concat())
}

impl ProvinceService {
    /// The province's machine made ready (database, certificate), not yet serving.
    pub fn prepare(pg: &Postgres, db: &str, extra: &str) -> ProvinceService {
        pg.create_db(db);
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let conninfo = pg.conninfo(db);
        let secret = write(dir.path(), "db.conf", &format!("{conninfo}\n"));
        std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        let text = format!(
            "[province]\nlisten = \"127.0.0.1:{port}\"\ndatabase_file = \"{}\"\n{extra}\n[tls]\ndir = \"{}\"\n",
            secret.display(),
            dir.path().join("tls").display()
        );
        let config = write(dir.path(), "province.toml", &text);
        let made = motcua(dir.path(), &config, &["tls", "init", "--name", "127.0.0.1"]);
        assert!(made.status.success(), "tls init: {}", String::from_utf8_lossy(&made.stderr));
        let ca = dir.path().join("tls/ca.pem");
        ProvinceService { dir, config, conninfo, ca, port, child: None }
    }

    /// Runs `motcua ARGS` on the province's machine.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        motcua(self.dir.path(), &self.config, args)
    }

    /// Adds a hall; writes its token to a file of mode 0600 in `into` and returns the file.
    pub fn add_hall(&self, id: &str, into: &Path) -> PathBuf {
        let out =
            motcua(self.dir.path(), &self.config, &["province", "hall", "add", id, "--name", &format!("Xã {id}")]);
        assert!(out.status.success(), "hall add: {}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert_eq!(token.len(), 32, "{token}");
        let file = write(into, "province-token", &format!("{token}\n"));
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        file
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// An HTTPS client that trusts only the province's CA and follows no redirect.
    pub fn agent(&self) -> ureq::Agent {
        let trust = motcua::tls::Trust::load(&self.ca).unwrap();
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .tls_config(trust.ureq())
            .build()
            .into()
    }

    /// The `[province]` table of a hall pushing here.
    pub fn hall_config(&self, token_file: &Path) -> motcua::config::Province {
        motcua::config::Province {
            url: self.url(),
            token_file: token_file.display().to_string(),
            ca: self.ca.display().to_string(),
            retry_max_s: 1,
            ..Default::default()
        }
    }

    /// Starts serving, waiting until it listens.
    pub fn start(&mut self) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--config")
            .arg(&self.config)
            .args(["province", "serve"])
            .env("MOTCUA_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(self.dir.path().join("stderr.log")).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        if !line.contains(&format!("https://127.0.0.1:{}", self.port)) {
            let _ = child.wait();
            let stderr = std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default();
            panic!("the province service did not start: {line:?} {stderr}");
        }
        self.child = Some(child);
    }

    /// Kills the service (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// What the province holds of a hall: (epoch, seq, kind, body) of every history, in order.
    pub fn rows(&self, hall: &str) -> Vec<(String, i64, String, serde_json::Value)> {
        self.query(
            "SELECT epoch, seq, kind, body FROM hall_row WHERE hall = $1 ORDER BY first_seen_of(hall, epoch), seq",
            hall,
        )
    }

    /// The hall's line as reports count it (the view `hall_line`): (epoch, seq, kind, body) in order.
    pub fn line(&self, hall: &str) -> Vec<(String, i64, String, serde_json::Value)> {
        self.query("SELECT epoch, seq, kind, body FROM hall_line WHERE hall = $1 ORDER BY seq", hall)
    }

    /// Runs statements on the province's database as its owner would (a test's way to age a hall).
    pub fn run_sql(&self, sql: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.conninfo, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            client.batch_execute(sql).await.unwrap();
        })
    }

    /// One number from the province's database.
    pub fn scalar(&self, sql: &str) -> i64 {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.conninfo, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            client.query_one(sql, &[]).await.unwrap().get(0)
        })
    }

    fn query(&self, sql: &str, hall: &str) -> Vec<(String, i64, String, serde_json::Value)> {
        let sql = sql.replace(
            "first_seen_of(hall, epoch)",
            "(SELECT first_seen FROM hall_epoch e WHERE e.hall = hall_row.hall AND e.epoch = hall_row.epoch)",
        );
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.conninfo, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            client
                .query(&sql, &[&hall])
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect()
        })
    }
}

impl Drop for ProvinceService {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A hall's own outbox, read from its database file: (seq, kind, body) in order.
pub fn outbox_of(db: &Path) -> Vec<(i64, String, serde_json::Value)> {
    let store = motcua::store::Store::open(db).unwrap();
    motcua::app::outbox::pending(&store, 0, 1_000_000)
        .unwrap()
        .into_iter()
        .map(|r| (r.seq, r.kind, serde_json::from_str(&r.body).unwrap()))
        .collect()
}

/// (seq, kind, body) of the province's rows.
pub fn without_epoch(rows: &[(String, i64, String, serde_json::Value)]) -> Vec<(i64, String, serde_json::Value)> {
    rows.iter().map(|(_, seq, kind, body)| (*seq, kind.clone(), body.clone())).collect()
}

/// Waits up to `secs` for `done`, polling; false if it never came.
pub fn wait_for(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    done()
}

/// A TCP relay between halls and the province that the test can break: it cuts every connection after
/// the first `budget` bytes towards the province (a request cut mid-body), or drops every answer (the
/// province stored a batch the hall never hears about), or refuses to connect at all.
pub struct Relay {
    pub addr: SocketAddr,
    /// Bytes towards the province each connection may still carry; negative: no limit.
    pub budget: Arc<AtomicI64>,
    pub drop_answers: Arc<AtomicBool>,
    pub down: Arc<AtomicBool>,
    /// Milliseconds each piece of an answer is held back (a slow link).
    pub delay_ms: Arc<AtomicI64>,
}

impl Relay {
    pub fn start(to: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let budget = Arc::new(AtomicI64::new(-1));
        let drop_answers = Arc::new(AtomicBool::new(false));
        let down = Arc::new(AtomicBool::new(false));
        let delay_ms = Arc::new(AtomicI64::new(0));
        let (b, d, dn, dl) = (budget.clone(), drop_answers.clone(), down.clone(), delay_ms.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if dn.load(Ordering::SeqCst) {
                    continue;
                }
                let Ok(upstream) = TcpStream::connect(("127.0.0.1", to)) else { continue };
                let budget = b.load(Ordering::SeqCst);
                let drop_answers = d.clone();
                let (c2, u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let up = Arc::new(AtomicI64::new(0));
                let up2 = up.clone();
                let delay = dl.clone();
                std::thread::spawn(move || pump(client, upstream, budget, &up, None, None));
                std::thread::spawn(move || {
                    pump(u2, c2, -1, &AtomicI64::new(0), Some((drop_answers, up2)), Some(delay));
                });
            }
        });
        Relay { addr, budget, drop_answers, down, delay_ms }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }
}

/// Copies `from` to `to`, counting into `carried`. Towards the province at most `budget` bytes; towards
/// the hall, with `drop` on, nothing once the request has carried more than a handshake (4 KB).
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    mut budget: i64,
    carried: &AtomicI64,
    drop: Option<(Arc<AtomicBool>, Arc<AtomicI64>)>,
    delay: Option<Arc<AtomicI64>>,
) {
    let mut buf = [0u8; 4096];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if drop.as_ref().is_some_and(|(on, up)| on.load(Ordering::SeqCst) && up.load(Ordering::SeqCst) > 4096) {
            break;
        }
        carried.fetch_add(n as i64, Ordering::SeqCst);
        if let Some(ms) = delay.as_ref().map(|d| d.load(Ordering::SeqCst)).filter(|ms| *ms > 0) {
            std::thread::sleep(Duration::from_millis(ms as u64));
        }
        let n = if budget >= 0 { n.min(budget as usize) } else { n };
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
        if budget >= 0 {
            budget -= n as i64;
            if budget == 0 {
                break;
            }
        }
    }
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = to.shutdown(std::net::Shutdown::Both);
}
