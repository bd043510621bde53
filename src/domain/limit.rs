//! Attempts counted per key in fixed windows: what keeps someone from guessing a phone's last digits for
//! a dossier code, or walking through codes. Memory is bounded: expired keys are swept at most a few
//! times a window (never on every check), and when the table is full of live keys a new key is refused.

use std::collections::HashMap;

#[derive(Debug)]
pub struct Limiter {
    window_ms: i64,
    max: u32,
    /// key → (window start, attempts in it)
    seen: HashMap<String, (i64, u32)>,
    capacity: usize,
    swept_ms: i64,
}

/// Keys a limiter keeps at most.
const CAPACITY: usize = 50_000;

impl Limiter {
    pub fn new(max: u32, window_ms: i64) -> Limiter {
        Limiter::with_capacity(max, window_ms, CAPACITY)
    }

    pub fn with_capacity(max: u32, window_ms: i64, capacity: usize) -> Limiter {
        Limiter { window_ms, max, seen: HashMap::new(), capacity, swept_ms: i64::MIN }
    }

    /// Attempts `key` made in its current window.
    pub fn used(&self, key: &str, now_ms: i64) -> u32 {
        self.seen.get(key).map_or(0, |&(start, n)| if now_ms - start >= self.window_ms { 0 } else { n })
    }

    /// Whether `key` may try again now (with `max` attempts a window); the attempt is counted when it may.
    pub fn allow_up_to(&mut self, key: &str, max: u32, now_ms: i64) -> bool {
        if !self.seen.contains_key(key) && self.seen.len() >= self.capacity {
            // Swept at most four times a window: a full table of live keys costs one scan, not one a check.
            if now_ms.saturating_sub(self.swept_ms) >= self.window_ms / 4 {
                let window = self.window_ms;
                self.seen.retain(|_, (start, _)| now_ms - *start < window);
                self.swept_ms = now_ms;
            }
            if self.seen.len() >= self.capacity {
                return false;
            }
        }
        let entry = self.seen.entry(key.to_string()).or_insert((now_ms, 0));
        if now_ms - entry.0 >= self.window_ms {
            *entry = (now_ms, 0);
        }
        if entry.1 >= max {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// `allow_up_to` with the limiter's own maximum.
    pub fn allow(&mut self, key: &str, now_ms: i64) -> bool {
        self.allow_up_to(key, self.max, now_ms)
    }

    /// Takes back an attempt counted in the current window (it turned out not to be one: a lookup that
    /// found what it looked for).
    pub fn refund(&mut self, key: &str, now_ms: i64) {
        if let Some(entry) = self.seen.get_mut(key) {
            if now_ms - entry.0 < self.window_ms {
                entry.1 = entry.1.saturating_sub(1);
            }
        }
    }

    /// Counts an attempt that was not checked first (a failure noticed afterwards).
    pub fn count(&mut self, key: &str, now_ms: i64) {
        let _ = self.allow_up_to(key, u32::MAX, now_ms);
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
        assert_eq!(l.used("a", 999), 3, "still the same window");
        assert!(l.allow("b", 10), "other keys are not affected");
        assert_eq!(l.used("a", 1000), 0, "a new window");
        assert!(l.allow("a", 1000));
    }

    #[test]
    fn a_refunded_attempt_leaves_room_for_another() {
        let mut l = Limiter::new(2, 1000);
        assert!(l.allow("a", 0) && l.allow("a", 1));
        assert!(!l.allow("a", 2));
        l.refund("a", 3);
        assert!(l.allow("a", 4), "one taken back");
        assert!(!l.allow("a", 5));
        l.refund("a", 1000);
        assert_eq!(l.used("a", 1000), 0, "nothing to take back in a new window");
    }

    #[test]
    fn a_full_table_sweeps_rarely_and_refuses_new_keys_while_all_are_live() {
        let mut l = Limiter::with_capacity(5, 1000, 3);
        assert!((0..3).all(|i| l.allow(&format!("k{i}"), 0)));
        assert!(!l.allow("new", 100), "full of live keys");
        assert!(l.allow("k0", 100), "a known key still counts");
        assert!(!l.allow("new", 200), "no sweep again within a quarter window");
        assert!(l.allow("new", 1000), "after the window the old keys are swept");
        assert_eq!(l.used("new", 1000), 1);
    }
}

/// Requests per client as a token bucket: `burst` at once, then `per_second`. Memory is bounded like
/// `Limiter`'s: full keys are swept at most once a second, and a new key is refused while the table is
/// full of busy ones.
#[derive(Debug)]
pub struct Rate {
    per_second: f64,
    burst: f64,
    buckets: HashMap<String, (f64, i64)>,
    capacity: usize,
    swept_ms: i64,
}

impl Rate {
    pub fn new(per_second: u32, burst: u32) -> Rate {
        Rate {
            per_second: f64::from(per_second.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: HashMap::new(),
            capacity: CAPACITY,
            swept_ms: i64::MIN,
        }
    }

    /// Whether `key` may make a request at `now_ms` (a monotonic time); the request is counted if so.
    pub fn allow(&mut self, key: &str, now_ms: i64) -> bool {
        let (per_ms, burst) = (self.per_second / 1000.0, self.burst);
        if !self.buckets.contains_key(key) && self.buckets.len() >= self.capacity {
            if now_ms.saturating_sub(self.swept_ms) >= 1000 {
                // A bucket that would be full again is as good as new.
                self.buckets.retain(|_, (tokens, at)| *tokens + (now_ms - *at) as f64 * per_ms < burst);
                self.swept_ms = now_ms;
            }
            if self.buckets.len() >= self.capacity {
                return false;
            }
        }
        let (tokens, at) = self.buckets.entry(key.to_string()).or_insert((burst, now_ms));
        *tokens = (*tokens + (now_ms - *at).max(0) as f64 * per_ms).min(burst);
        *at = now_ms;
        if *tokens < 1.0 {
            return false;
        }
        *tokens -= 1.0;
        true
    }
}

#[cfg(test)]
mod rate_tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate_per_key() {
        let mut r = Rate::new(10, 5);
        assert!((0..5).all(|_| r.allow("a", 0)));
        assert!(!r.allow("a", 0), "the burst is spent");
        assert!(r.allow("b", 0), "another client is not affected");
        assert!(!r.allow("a", 50));
        assert!(r.allow("a", 100), "one request every 100 ms at 10 a second");
        assert!(!r.allow("a", 150));
        assert!((0..5).all(|_| r.allow("a", 10_000)), "a quiet spell refills the burst, no more");
        assert!(!r.allow("a", 10_000));
    }
}
