//! What the benchmarks share: a hall whose services issue numbers around the clock.

use motcua::config::{Config, Counter};

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
