//! Attempts counted per key in fixed windows: what keeps someone from guessing a phone's last digits for
//! a dossier code, or walking through codes.

use std::collections::HashMap;

#[derive(Debug)]
pub struct Limiter {
    window_ms: i64,
    max: u32,
    /// key → (window start, attempts in it)
    seen: HashMap<String, (i64, u32)>,
}

impl Limiter {
    pub fn new(max: u32, window_ms: i64) -> Limiter {
        Limiter { window_ms, max, seen: HashMap::new() }
    }

    /// Whether `key` may try again now; the attempt is counted when it may.
    pub fn allow(&mut self, key: &str, now_ms: i64) -> bool {
        if self.seen.len() > 10_000 {
            let window = self.window_ms;
            self.seen.retain(|_, (start, _)| now_ms - *start < window);
        }
        let entry = self.seen.entry(key.to_string()).or_insert((now_ms, 0));
        if now_ms - entry.0 >= self.window_ms {
            *entry = (now_ms, 0);
        }
        if entry.1 >= self.max {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Whether `key` has attempts left, without counting one.
    pub fn open(&self, key: &str, now_ms: i64) -> bool {
        self.seen.get(key).is_none_or(|(start, n)| now_ms - start >= self.window_ms || *n < self.max)
    }

    /// Counts an attempt that was not checked first (a failure noticed afterwards).
    pub fn count(&mut self, key: &str, now_ms: i64) {
        let _ = self.allow(key, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_attempts_then_waits_for_the_next_window() {
        let mut l = Limiter::new(3, 1000);
        assert!((0..3).all(|i| l.allow("a", i)));
        assert!(!l.allow("a", 10));
        assert!(!l.open("a", 999));
        assert!(l.allow("b", 10), "other keys are not affected");
        assert!(l.open("a", 1000));
        assert!(l.allow("a", 1000));
    }
}
