//! The configuration's checks: every problem named by its key, with what is allowed.

use super::Config;

impl Config {
    pub(super) fn check(&self) -> Result<(), (&'static str, String)> {
        let k = &self.kiosk;
        if self.center.name.trim().is_empty() {
            return Err(("center.name", "must not be empty".into()));
        }
        if !matches!(k.language.as_str(), "vi" | "en") {
            return Err(("kiosk.language", format!("\"{}\" is not allowed; use \"vi\" or \"en\"", k.language)));
        }
        for (key, v) in [("kiosk.screen_width_px", k.screen_width_px), ("kiosk.screen_height_px", k.screen_height_px)] {
            if !(320..=8192).contains(&v) {
                return Err((key, format!("{v} is outside 320..=8192 pixels")));
            }
        }
        if !(80..=300).contains(&k.read_aloud_speed) {
            return Err((
                "kiosk.read_aloud_speed",
                format!("{} is outside 80..=300 words a minute", k.read_aloud_speed),
            ));
        }
        if k.read_aloud_volume > 200 {
            return Err(("kiosk.read_aloud_volume", format!("{} is outside 0..=200", k.read_aloud_volume)));
        }
        if !k.read_aloud.is_empty() && k.read_aloud_player.split_whitespace().next().is_none() {
            return Err(("kiosk.read_aloud_player", "must name a program while read_aloud is on".into()));
        }
        // The board, the ticket and the announcement are laid out for numbers of at most six characters.
        for service in &self.services {
            if !(1..=2).contains(&service.prefix.len()) || !service.prefix.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err((
                    "services.prefix",
                    format!("\"{}\" is not one or two capital letters A-Z", service.prefix),
                ));
            }
            if !(1..=4).contains(&service.width) {
                return Err(("services.width", format!("{} is outside 1..=4 digits", service.width)));
            }
            if service.first > service.last || service.last > 9999 {
                return Err((
                    "services.last",
                    format!("{}..{} is not a range within 0..=9999", service.first, service.last),
                ));
            }
        }
        if !self.voice.template.contains("{number}") {
            return Err(("voice.template", "must contain {number}".into()));
        }
        if !(1..=5).contains(&self.voice.repeats) {
            return Err(("voice.repeats", format!("{} is outside 1..=5", self.voice.repeats)));
        }
        if !(5..=600).contains(&self.voice.max_age_s) {
            return Err(("voice.max_age_s", format!("{} is outside 5..=600 seconds", self.voice.max_age_s)));
        }
        let sms = &self.sms;
        if !sms.modem.is_empty() {
            if let Err(e) = crate::modem::parse_target(&sms.modem) {
                return Err(("sms.modem", e.to_string()));
            }
        }
        if !(1..=20).contains(&sms.near_places) {
            return Err(("sms.near_places", format!("{} is not from 1 to 20", sms.near_places)));
        }
        if sms.per_number_per_day == 0 || sms.per_day == 0 || !(1..=20).contains(&sms.tries) {
            return Err(("sms", "per_number_per_day and per_day must be above 0, tries from 1 to 20".into()));
        }
        let q = &self.queue;
        if !q.elderly_priority.is_empty() && !q.priority_categories.contains(&q.elderly_priority) {
            return Err((
                "queue.elderly_priority",
                format!("\"{}\" is not one of queue.priority_categories", q.elderly_priority),
            ));
        }
        if !(40..=100).contains(&q.elderly_age) {
            return Err(("queue.elderly_age", format!("{} is not an age from 40 to 100", q.elderly_age)));
        }
        if crate::domain::ticket::Hours::parse(&[format!("00:00-{}", self.queue.closing_time)]).is_err()
            || self.queue.closing_time == "00:00"
        {
            return Err(("queue.closing_time", format!("\"{}\" is not a time like 17:30", self.queue.closing_time)));
        }
        let at = &self.backup.time;
        if !at.is_empty() && (crate::domain::ticket::Hours::parse(&[format!("00:00-{at}")]).is_err() || at == "00:00") {
            return Err(("backup.time", format!("\"{at}\" is not a time like 18:00 (or \"\" for no daily backup)")));
        }
        if !(1..=3650).contains(&self.backup.keep_days) {
            return Err(("backup.keep_days", format!("{} is outside 1..=3650", self.backup.keep_days)));
        }
        if !(1..=240).contains(&self.reports.target_wait_minutes) {
            return Err((
                "reports.target_wait_minutes",
                format!("{} is outside 1..=240", self.reports.target_wait_minutes),
            ));
        }
        if !(1..=1440).contains(&self.ratings.change_minutes) {
            return Err(("ratings.change_minutes", format!("{} is outside 1..=1440", self.ratings.change_minutes)));
        }
        let reasons = &self.ratings.reasons;
        if reasons.len() > 12 || reasons.iter().any(|r| r.trim().is_empty() || r.chars().count() > 40) {
            return Err(("ratings.reasons", "at most 12 reasons of 1 to 40 characters each".into()));
        }
        if !matches!(self.dossiers.sequence_reset.as_str(), "daily" | "yearly") {
            return Err((
                "dossiers.sequence_reset",
                format!("\"{}\" is not \"daily\" or \"yearly\"", self.dossiers.sequence_reset),
            ));
        }
        if !(1..=3650).contains(&self.dossiers.purge_after_days) {
            return Err((
                "dossiers.purge_after_days",
                format!("{} is outside 1..=3650 days", self.dossiers.purge_after_days),
            ));
        }
        let d = &self.display;
        if !matches!(d.renderer.as_str(), "software" | "femtovg") {
            return Err((
                "display.renderer",
                format!("\"{}\" is not allowed; use \"software\" or \"femtovg\"", d.renderer),
            ));
        }
        if !(320..=7680).contains(&d.width_px) || !(240..=4320).contains(&d.height_px) {
            return Err(("display.width_px", format!("{}x{} is not a screen size", d.width_px, d.height_px)));
        }
        if !d.hub.is_empty() && !d.hub.starts_with("http://") {
            return Err(("display.hub", format!("\"{}\" must start with http:// (the hall's LAN)", d.hub)));
        }
        if !(15..=600).contains(&k.idle_timeout_s) {
            return Err(("kiosk.idle_timeout_s", format!("{} is outside 15..=600 seconds", k.idle_timeout_s)));
        }
        if !matches!(k.renderer.as_str(), "software" | "femtovg") {
            return Err((
                "kiosk.renderer",
                format!("\"{}\" is not allowed; use \"software\" or \"femtovg\"", k.renderer),
            ));
        }
        if !k.scanner.is_empty() {
            if let Err(e) = crate::scanner::parse_target(&k.scanner) {
                return Err(("kiosk.scanner", e.to_string()));
            }
        }
        if !(5.0..=120.0).contains(&k.screen_diagonal_in) {
            return Err(("kiosk.screen_diagonal_in", format!("{} is outside 5..=120 inches", k.screen_diagonal_in)));
        }
        if !(1..=200).contains(&self.catalog.search_limit) {
            return Err(("catalog.search_limit", format!("{} is outside 1..=200", self.catalog.search_limit)));
        }
        if !(1..=60).contains(&self.catalog.review_months) {
            return Err(("catalog.review_months", format!("{} is outside 1..=60", self.catalog.review_months)));
        }
        let catalog_url = self.catalog.public_base_url.trim();
        let web = catalog_url.starts_with("http://") || catalog_url.starts_with("https://");
        if !catalog_url.is_empty() && !web {
            return Err(("catalog.public_base_url", format!("\"{catalog_url}\" is not an http(s) address")));
        }
        for (name, printer) in &self.printers {
            if let Err(m) = printer.profile() {
                return Err(("printers.*.profile", format!("[printers.{name}] {m}")));
            }
            if let Err(m) = printer.target() {
                return Err(("printers.*.target", format!("[printers.{name}] {m}")));
            }
        }
        for (i, service) in self.services.iter().enumerate() {
            let hours = crate::domain::ticket::Hours::parse(&service.hours)
                .and_then(|_| crate::domain::ticket::Hours::parse(&service.saturday_hours))
                .and_then(|_| crate::domain::ticket::Hours::parse(&service.sunday_hours));
            if let Err(m) = hours {
                return Err(("services[].hours", format!("service {} ({i}): {m}", service.code)));
            }
            if service.code.is_empty() || self.services[..i].iter().any(|s| s.code == service.code) {
                return Err(("services[].code", format!("\"{}\" is empty or used twice", service.code)));
            }
            if service.first == 0 || service.first > service.last {
                return Err((
                    "services[].first",
                    format!("service {}: range {}..={} is empty", service.code, service.first, service.last),
                ));
            }
        }
        if self.hub.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err((
                "hub.listen",
                format!("\"{}\" is not an address and port like 127.0.0.1:8080", self.hub.listen),
            ));
        }
        if !k.hub.is_empty() && !k.hub.starts_with("http://") {
            return Err(("kiosk.hub", format!("\"{}\" is not a hub address like http://192.168.1.10:8080", k.hub)));
        }
        if !(1..=4 * 1024 * 1024).contains(&self.hub.max_body_bytes) {
            return Err(("hub.max_body_bytes", format!("{} is outside 1..=4194304", self.hub.max_body_bytes)));
        }
        if self.hub.session_minutes == 0 || self.hub.heartbeat_s == 0 {
            return Err(("hub.session_minutes", "session_minutes and heartbeat_s must be at least 1".into()));
        }
        crate::domain::client::Proxies::parse(&self.hub.trusted_proxies).map_err(|e| ("hub.trusted_proxies", e))?;
        if !(4..=12).contains(&self.hub.pin_min_length) {
            return Err(("hub.pin_min_length", format!("{} is outside 4..=12", self.hub.pin_min_length)));
        }
        let h = &self.hub;
        for (key, value) in [
            ("hub.max_hash_checks", h.max_hash_checks),
            ("hub.max_connections", h.max_connections),
            ("hub.max_connections_per_client", h.max_connections_per_client),
            ("hub.header_timeout_s", h.header_timeout_s),
            ("hub.body_timeout_s", h.body_timeout_s),
            ("hub.send_timeout_s", h.send_timeout_s),
            ("hub.replay_max", h.replay_max),
            ("hub.replays_per_minute", h.replays_per_minute),
            ("hub.requests_per_second", h.requests_per_second),
            ("hub.request_burst", h.request_burst),
            ("hub.connections_per_second", h.connections_per_second),
            ("hub.connection_burst", h.connection_burst),
            ("hub.readers", h.readers),
            ("hub.login_backoff_max_s", h.login_backoff_max_s),
        ] {
            if value == 0 {
                return Err((key, "must be at least 1".into()));
            }
        }
        for (i, counter) in self.counters.iter().enumerate() {
            if self.counters[..i].iter().any(|c| c.number == counter.number) {
                return Err(("counters[].number", format!("counter {} is configured twice", counter.number)));
            }
            if !counter.printer.is_empty() && !self.printers.contains_key(&counter.printer) {
                return Err((
                    "counters[].printer",
                    format!("counter {} names unknown printer \"{}\"", counter.number, counter.printer),
                ));
            }
            if let Some(unknown) = counter.services.iter().find(|s| !self.services.iter().any(|x| &&x.code == s)) {
                return Err((
                    "counters[].services",
                    format!("counter {} names unknown service \"{unknown}\"", counter.number),
                ));
            }
        }
        if !self.printers.contains_key(&k.printer) {
            let known: Vec<&str> = self.printers.keys().map(String::as_str).collect();
            return Err((
                "kiosk.printer",
                format!("\"{}\" is not a configured printer; configured: {}", k.printer, known.join(", ")),
            ));
        }
        self.booking.check(&self.services)?;
        self.province.check()
    }
}
