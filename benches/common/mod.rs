//! What the benchmarks share: the machine they ran on, a hall whose services issue numbers around the clock,
//! the province's service. Each bench uses some of it.
#![allow(dead_code)]

use motcua::config::{Config, Counter};

/// The machine, as the reports name it: "2 cores, <the CPU's model name>".
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| l.strip_prefix("model name")?.split(':').nth(1).map(|v| v.trim().to_string()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {cpu}")
}

/// The default configuration with every service open all day, numbers up to `last` in `width` digits, and
/// `counters` counters serving every service.
pub fn hall(counters: u32, last: u32, width: u8) -> Config {
    let mut c = Config::default();
    for s in &mut c.services {
        let all = vec!["00:00-24:00".to_string()];
        (s.hours, s.saturday_hours, s.sunday_hours) = (all.clone(), all.clone(), all);
        (s.last, s.width) = (last, width);
    }
    let services: Vec<String> = c.services.iter().map(|s| s.code.clone()).collect();
    c.counters = (1..=counters)
        .map(|n| Counter { number: n, name: format!("Quầy {n}"), services: services.clone(), printer: String::new() })
        .collect();
    c
}

/// The `[province]` settings of a hall that pushes to `url`, trusting `ca`, with `token` (kept in
/// `dir/token`, readable by its owner only), retrying within a second.
pub fn pushing_to(url: &str, ca: &std::path::Path, token: &str, dir: &std::path::Path) -> motcua::config::Province {
    use std::os::unix::fs::PermissionsExt;
    let token_file = dir.join("token");
    std::fs::write(&token_file, token).unwrap();
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    motcua::config::Province {
        url: url.to_string(),
        token_file: token_file.display().to_string(),
        ca: ca.display().to_string(),
        retry_max_s: 1,
        ..Default::default()
    }
}

/// `motcua province serve` in this process on the database `conninfo`, with a fresh test CA in `dir`, its
/// configuration tuned by `tune`; waits until it listens. Its address and CA.
pub fn province_service(
    conninfo: &str,
    dir: &std::path::Path,
    tune: impl FnOnce(&mut Config),
) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    let files = motcua::tls::Files::in_dir(&dir.join("tls"));
    motcua::tls::init(&files, &["127.0.0.1".to_string()], time::OffsetDateTime::now_utc()).unwrap();
    let secret = dir.join("db.conf");
    std::fs::write(&secret, conninfo).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = Config::default();
    config.province.database_file = secret.display().to_string();
    config.tls.dir = dir.join("tls").display().to_string();
    tune(&mut config);
    let data = dir.to_path_buf();
    std::thread::spawn(move || motcua::province::serve::serve(config, &data, &format!("127.0.0.1:{port}")).unwrap());
    let url = format!("https://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the province service did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (url, files.ca)
}
