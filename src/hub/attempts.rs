//! How often clients may look dossiers up and guess a phone's last digits (docs/dossiers.md). Every
//! attempt is counted, under one lock, before anything is read: parallel requests cannot slip past a
//! limit. Guessers are limited, not the owner: wrong digits count against the client that sent them and
//! that client's tries at that code, so the right digits from anyone who has not guessed wrong still
//! work; a code that many clients guessed at gives each further client one try.

use crate::domain::limit::Limiter;

/// The window every limit counts in.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Lookups by code per client, and per kiosk (a kiosk serves the whole hall).
const LOOKUPS: u32 = 60;
const KIOSK_LOOKUPS: u32 = 600;
/// Digit checks per client, and per kiosk.
const CHECKS: u32 = 20;
const KIOSK_CHECKS: u32 = 300;
/// Tries one client has at one code.
const TRIES_PER_CODE: u32 = 5;
/// Wrong guesses at a code after which each client has a single try at it.
const WRONG_BEFORE_ONE_TRY: u32 = 10;

pub struct Attempts {
    lookups: Limiter,
    checks: Limiter,
    tries: Limiter,
    wrong: Limiter,
}

impl Default for Attempts {
    fn default() -> Attempts {
        Attempts {
            lookups: Limiter::new(LOOKUPS, WINDOW_MS),
            checks: Limiter::new(CHECKS, WINDOW_MS),
            tries: Limiter::new(TRIES_PER_CODE, WINDOW_MS),
            wrong: Limiter::new(u32::MAX, WINDOW_MS),
        }
    }
}

impl Attempts {
    /// Counts a lookup by code; false when the client has used its lookups.
    pub fn lookup(&mut self, client: &str, kiosk: bool, now_ms: i64) -> bool {
        let max = if kiosk { KIOSK_LOOKUPS } else { LOOKUPS };
        self.lookups.allow_up_to(client, max, now_ms)
    }

    /// Counts a digit check at `code` (its attempt key); false when the client or its tries at the code
    /// are used up.
    pub fn check(&mut self, client: &str, kiosk: bool, code: &str, now_ms: i64) -> bool {
        let pair = format!("{code}|{client}");
        let tries = if self.wrong.used(code, now_ms) >= WRONG_BEFORE_ONE_TRY { 1 } else { TRIES_PER_CODE };
        if self.tries.used(&pair, now_ms) >= tries {
            return false;
        }
        let max = if kiosk { KIOSK_CHECKS } else { CHECKS };
        self.checks.allow_up_to(client, max, now_ms) && self.tries.allow_up_to(&pair, tries, now_ms)
    }

    /// Records wrong digits at `code`.
    pub fn wrong(&mut self, code: &str, now_ms: i64) {
        self.wrong.count(code, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guesser_runs_out_at_a_code_while_the_owner_still_gets_in() {
        let mut a = Attempts::default();
        for _ in 0..TRIES_PER_CODE {
            assert!(a.check("ip:attacker", false, "C", 0));
            a.wrong("C", 0);
        }
        assert!(!a.check("ip:attacker", false, "C", 1), "the guesser is done with this code");
        assert!(a.check("ip:owner", false, "C", 2), "the owner's first try is checked");
    }

    #[test]
    fn a_code_many_clients_guessed_at_gives_each_new_client_one_try() {
        let mut a = Attempts::default();
        for i in 0..WRONG_BEFORE_ONE_TRY {
            assert!(a.check(&format!("ip:{i}"), false, "C", 0));
            a.wrong("C", 0);
        }
        assert!(a.check("ip:new", false, "C", 1));
        assert!(!a.check("ip:new", false, "C", 1), "one try only");
        assert!(a.check("ip:new", false, "D", 1), "other codes are untouched");
    }

    #[test]
    fn clients_have_their_own_allowances_and_a_kiosk_a_larger_one() {
        let mut a = Attempts::default();
        assert!((0..LOOKUPS).all(|_| a.lookup("ip:x", false, 0)));
        assert!(!a.lookup("ip:x", false, 0));
        assert!(a.lookup("ip:y", false, 0));
        assert!((0..KIOSK_LOOKUPS).all(|_| a.lookup("kiosk:k", true, 0)));
        assert!(a.lookup("ip:x", false, WINDOW_MS), "a new window");
    }
}
