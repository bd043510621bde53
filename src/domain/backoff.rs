//! Growing delays after failed logins: the first few failures cost nothing, then each further one makes
//! the next attempt wait twice as long, up to a ceiling; a long quiet spell forgets them.

/// Failed logins of one key: how many in a row, the last one, and when the next may be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub failures: u32,
    pub last_ms: i64,
    pub next_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures in a row that cost nothing.
    pub free: u32,
    /// The first delay after them.
    pub first_ms: i64,
    /// The longest delay.
    pub max_ms: i64,
}

/// Failures older than this are forgotten.
const QUIET_MS: i64 = 24 * 3600 * 1000;

impl Backoff {
    /// The delay after `failures` failures in a row.
    pub fn delay_ms(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(30);
        self.first_ms.saturating_mul(1i64 << doublings).min(self.max_ms)
    }

    /// The count as it stands at `now_ms` (forgotten after a quiet day).
    pub fn current(&self, f: &Failures, now_ms: i64) -> Failures {
        if now_ms - f.last_ms >= QUIET_MS {
            Failures::default()
        } else {
            *f
        }
    }

    /// The count after one more failure at `now_ms`.
    pub fn failed(&self, previous: Failures, now_ms: i64) -> Failures {
        let failures = previous.failures.saturating_add(1);
        Failures { failures, last_ms: now_ms, next_ms: now_ms + self.delay_ms(failures) }
    }

    pub fn quiet_ms(&self) -> i64 {
        QUIET_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_failures_double_and_stop_at_the_ceiling() {
        let b = Backoff { free: 5, first_ms: 1000, max_ms: 600_000 };
        let delays: Vec<i64> = (0..16).map(|n| b.delay_ms(n)).collect();
        assert_eq!(&delays[..5], &[0, 0, 0, 0, 0]);
        assert_eq!(&delays[5..11], &[1000, 2000, 4000, 8000, 16_000, 32_000]);
        assert_eq!(delays[15], 600_000);
        assert_eq!(b.delay_ms(u32::MAX), 600_000, "no overflow");
    }

    #[test]
    fn a_quiet_day_forgets_and_each_failure_sets_the_next_time() {
        let b = Backoff { free: 1, first_ms: 1000, max_ms: 8000 };
        let f = b.failed(Failures::default(), 10);
        assert_eq!(f, Failures { failures: 1, last_ms: 10, next_ms: 1010 });
        let g = b.failed(f, 2000);
        assert_eq!(g.next_ms, 4000);
        assert_eq!(b.current(&g, 2000 + QUIET_MS), Failures::default());
        assert_eq!(b.current(&g, 2000 + QUIET_MS - 1), g);
    }
}
