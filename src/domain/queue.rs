//! Who is called next at a counter: one rule for every counter, explainable on the notice board
//! (docs/queue-policy.md). Pure: waiting tickets, the counter's services and its recent calls in; a choice
//! and its reason out.
//!
//! Precedence, first rule that applies wins:
//! 1. **Service preference**: the counter calls from its first service that has anyone waiting; it helps with
//!    its next service only when that one is empty.
//! 2. **Fairness bound**: within that service, a normal ticket that has waited more than `fairness_minutes`
//!    longer than the oldest waiting priority ticket goes first.
//! 3. **Priority**: otherwise a priority ticket goes ahead of normal ones, but after `max_priority_in_row`
//!    priority calls in a row at this counter, a waiting normal ticket is called.
//! 4. **Arrival**: within the chosen class, the earliest arrival; a transferred ticket keeps its original
//!    arrival time; equal times go to the lower ticket id (issued first). A booked ticket's arrival is its
//!    window's start (it waits for it: the caller lists it only from then), so it goes before walk-ins that
//!    came after its window began.
//! 5. **Booked share**: a booked ticket is called ahead of a waiting walk-in only while booked tickets made
//!    fewer than `booked_share_percent` of this counter's last `SHARE_WINDOW` calls; otherwise the walk-in
//!    goes first, so walk-ins are never starved by bookings.

/// A ticket waiting to be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: u64,
    pub service: String,
    pub priority: bool,
    /// Minutes since local midnight when the citizen first took a number (kept across transfers); for a
    /// booked ticket, its window's start.
    pub arrived_min: i64,
    /// Checked in from a booking (never a priority ticket).
    pub booked: bool,
}

/// The calls the booked share is counted over, at one counter.
pub const SHARE_WINDOW: u32 = 10;

/// What the counter did just before: its priority calls in a row, and its booked calls among its last
/// `SHARE_WINDOW - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recent {
    pub priority_streak: u32,
    pub booked: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    /// Most priority calls in a row at one counter while normal tickets wait.
    pub max_priority_in_row: u32,
    /// A normal ticket waiting this many minutes longer than the oldest priority ticket goes first.
    pub fairness_minutes: i64,
    /// Booked tickets take at most this share of a counter's calls while walk-ins wait (percent).
    pub booked_share_percent: u32,
}

impl CallPolicy {
    /// Booked calls allowed among `SHARE_WINDOW` while a walk-in waits.
    pub fn booked_cap(self) -> u32 {
        SHARE_WINDOW * self.booked_share_percent.min(100) / 100
    }
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy { max_priority_in_row: 2, fairness_minutes: 20, booked_share_percent: 50 }
    }
}

/// Why a ticket was chosen: shown to staff, written in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Priority ticket, earliest arrival.
    Priority,
    /// Normal ticket, earliest arrival, no priority ticket waiting.
    Arrival,
    /// Normal ticket called because the priority streak reached its limit.
    StreakLimit,
    /// Normal ticket called because it waited too long beyond the oldest priority ticket.
    FairnessBound,
    /// Walk-in called before an earlier booked ticket because booked tickets had their share of calls.
    BookedShare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub id: u64,
    pub reason: Reason,
}

fn earliest<'a>(tickets: impl Iterator<Item = &'a Waiting>) -> Option<&'a Waiting> {
    tickets.min_by_key(|t| (t.arrived_min, t.id))
}

/// The next ticket for a counter serving `services` (in order of preference), given what it called just
/// before (`recent`). `None` when nobody waits for its services. Booked tickets are listed only once their
/// window has begun.
pub fn call_next(
    waiting: &[Waiting],
    services: &[String],
    recent: Recent,
    policy: CallPolicy,
    now_min: i64,
) -> Option<Choice> {
    let priority_streak = recent.priority_streak;
    let service = services.iter().find(|s| waiting.iter().any(|t| &t.service == *s))?;
    let line = || waiting.iter().filter(move |t| &t.service == service);
    let oldest_priority = earliest(line().filter(|t| t.priority));
    let mut oldest_normal = earliest(line().filter(|t| !t.priority));
    let mut shared_out = false;
    if oldest_normal.is_some_and(|n| n.booked) && recent.booked >= policy.booked_cap() {
        if let Some(walk_in) = earliest(line().filter(|t| !t.priority && !t.booked)) {
            oldest_normal = Some(walk_in);
            shared_out = true;
        }
    }
    let choice = match (oldest_priority, oldest_normal) {
        (None, Some(n)) => Choice { id: n.id, reason: Reason::Arrival },
        (Some(p), None) => Choice { id: p.id, reason: Reason::Priority },
        (Some(p), Some(n)) => {
            let normal_wait = now_min - n.arrived_min;
            let priority_wait = now_min - p.arrived_min;
            if normal_wait > priority_wait + policy.fairness_minutes {
                Choice { id: n.id, reason: Reason::FairnessBound }
            } else if priority_streak >= policy.max_priority_in_row {
                Choice { id: n.id, reason: Reason::StreakLimit }
            } else {
                Choice { id: p.id, reason: Reason::Priority }
            }
        }
        (None, None) => return None,
    };
    // A walk-in that stands in for an earlier booked ticket is there because of the share.
    match shared_out && choice.reason != Reason::Priority {
        true => Some(Choice { reason: Reason::BookedShare, ..choice }),
        false => Some(choice),
    }
}

/// The counter's priority streak after a call with this reason.
pub fn streak_after(streak: u32, reason: Reason) -> u32 {
    // A booked or walk-in call alike ends a priority streak.
    if reason == Reason::Priority {
        streak + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: u64, service: &str, priority: bool, arrived_min: i64) -> Waiting {
        Waiting { id, service: service.into(), priority, arrived_min, booked: false }
    }

    fn streak(priority_streak: u32) -> Recent {
        Recent { priority_streak, booked: 0 }
    }

    fn services(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    /// Worked examples from docs/queue-policy.md.
    #[test]
    fn worked_examples() {
        let policy = CallPolicy { max_priority_in_row: 2, fairness_minutes: 20, booked_share_percent: 50 };
        // 08:00 A001 normal, 08:05 A002 priority (người cao tuổi): A002 first.
        let line = [t(1, "A", false, 480), t(2, "A", true, 485)];
        assert_eq!(
            call_next(&line, &services(&["A"]), streak(0), policy, 490),
            Some(Choice { id: 2, reason: Reason::Priority })
        );
        // Two priority calls in a row already: the waiting normal ticket comes next.
        let line = [t(1, "A", false, 480), t(5, "A", true, 488)];
        assert_eq!(
            call_next(&line, &services(&["A"]), streak(2), policy, 490),
            Some(Choice { id: 1, reason: Reason::StreakLimit })
        );
        // A001 has waited 45 min, the oldest priority ticket 10 min: A001 first (45 > 10 + 20).
        let line = [t(1, "A", false, 480), t(7, "A", true, 515)];
        assert_eq!(
            call_next(&line, &services(&["A"]), streak(0), policy, 525),
            Some(Choice { id: 1, reason: Reason::FairnessBound })
        );
        // A counter serving B then A: B's line first, even with a priority ticket in A.
        let line = [t(1, "A", true, 480), t(2, "B", false, 490)];
        assert_eq!(
            call_next(&line, &services(&["B", "A"]), streak(0), policy, 495),
            Some(Choice { id: 2, reason: Reason::Arrival })
        );
        // A ticket transferred to B at 09:00 keeps its 08:00 arrival: it is ahead of one that came at 08:30.
        let line = [t(9, "B", false, 510), t(3, "B", false, 480)];
        assert_eq!(
            call_next(&line, &services(&["B"]), streak(0), policy, 540),
            Some(Choice { id: 3, reason: Reason::Arrival })
        );
        assert_eq!(call_next(&line, &services(&["C"]), streak(0), policy, 540), None);
        // Booked for 08:30: at 08:40 it goes before the walk-in who came at 08:35, not before the one of
        // 08:20.
        let booked = Waiting { booked: true, ..t(4, "A", false, 510) };
        let line = [t(1, "A", false, 500), booked.clone(), t(2, "A", false, 515)];
        assert_eq!(call_next(&line, &services(&["A"]), streak(0), policy, 520).map(|c| c.id), Some(1));
        let line = [booked.clone(), t(2, "A", false, 515)];
        assert_eq!(call_next(&line, &services(&["A"]), streak(0), policy, 520).map(|c| c.id), Some(4));
        // Booked tickets already took 5 of the last 9 calls (the share is 50%): the walk-in goes first.
        let full = Recent { priority_streak: 0, booked: 5 };
        assert_eq!(
            call_next(&line, &services(&["A"]), full, policy, 520),
            Some(Choice { id: 2, reason: Reason::BookedShare })
        );
        // With no walk-in waiting, the share does not hold a booked ticket back.
        assert_eq!(call_next(&[booked], &services(&["A"]), full, policy, 520).map(|c| c.id), Some(4));
    }

    /// A deterministic generator for the property tests.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n.max(1)
        }
    }

    /// One call of a simulated day: minute, ticket, reason, counter.
    type Call = (i64, u64, Reason, usize);

    /// A simulated day's tickets, and for the booked ones the minute they checked in (early or late in
    /// their window; `arrived_min` is the window's start).
    struct Day {
        tickets: Vec<Waiting>,
        checked_in: std::collections::HashMap<u64, i64>,
    }

    impl Day {
        /// When the ticket may be called.
        fn callable_from(&self, t: &Waiting) -> i64 {
            self.checked_in.get(&t.id).map_or(t.arrived_min, |&c| c.max(t.arrived_min))
        }
    }

    /// Simulates a day: tickets arrive, counters call whenever free. With `booked_share`, one ticket in
    /// three is booked for a 30-minute window and checks in up to 40 minutes early or 20 late. Returns the
    /// day and the calls in order.
    fn simulate(seed: u64, policy: CallPolicy, bookings: bool) -> (Day, Vec<Call>) {
        let mut rng = Lcg(seed);
        let all_services = ["A", "B", "C"];
        let mut checked_in = std::collections::HashMap::new();
        let tickets: Vec<Waiting> = (0..200)
            .map(|id| {
                let service = all_services[rng.below(3) as usize];
                if bookings && rng.below(3) == 0 {
                    let window = 450 + 30 * rng.below(10) as i64;
                    checked_in.insert(id, window - 40 + rng.below(60) as i64);
                    return Waiting { booked: true, ..t(id, service, false, window) };
                }
                t(id, service, rng.below(4) == 0, 450 + rng.below(300) as i64)
            })
            .collect();
        let day = Day { tickets, checked_in };
        let counters: Vec<Vec<String>> =
            vec![services(&["A", "B"]), services(&["B", "C"]), services(&["C", "A"]), services(&["A", "C", "B"])];
        // Each counter's calls, newest last: (priority, booked).
        let mut history: Vec<Vec<(bool, bool)>> = vec![Vec::new(); counters.len()];
        let mut free_at = vec![450i64; counters.len()];
        let mut waiting: Vec<Waiting> = Vec::new();
        let mut pending: Vec<Waiting> = day.tickets.clone();
        pending.sort_by_key(|t| (day.callable_from(t), t.id));
        let mut calls = Vec::new();
        let mut now = 450;
        while now < 2000 && (calls.len() < day.tickets.len()) {
            waiting.extend(pending.iter().filter(|t| day.callable_from(t) <= now).cloned());
            pending.retain(|t| day.callable_from(t) > now);
            for c in 0..counters.len() {
                if free_at[c] > now {
                    continue;
                }
                let h = &history[c];
                let recent = Recent {
                    priority_streak: h.iter().rev().take_while(|k| k.0).count() as u32,
                    booked: h.iter().rev().take(SHARE_WINDOW as usize - 1).filter(|k| k.1).count() as u32,
                };
                if let Some(choice) = call_next(&waiting, &counters[c], recent, policy, now) {
                    let called = waiting.iter().find(|t| t.id == choice.id).expect("listed");
                    history[c].push((called.priority, called.booked));
                    waiting.retain(|t| t.id != choice.id);
                    free_at[c] = now + 3 + rng.below(8) as i64;
                    calls.push((now, choice.id, choice.reason, c));
                }
            }
            now += 1;
        }
        (day, calls)
    }

    fn called_once_each(seed: u64, day: &Day, calls: &[Call]) {
        let mut ids: Vec<u64> = calls.iter().map(|c| c.1).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "no ticket called twice (seed {seed})");
        assert_eq!(ids.len(), day.tickets.len(), "no ticket starves: everyone is called (seed {seed})");
    }

    #[test]
    fn property_every_ticket_called_exactly_once_and_order_is_deterministic() {
        let policy = CallPolicy::default();
        for seed in 1..40 {
            for bookings in [false, true] {
                let (day, calls) = simulate(seed, policy, bookings);
                assert_eq!(calls, simulate(seed, policy, bookings).1, "same history, same order (seed {seed})");
                called_once_each(seed, &day, &calls);
            }
        }
    }

    #[test]
    fn property_priority_streaks_and_fairness_bound_hold() {
        let policy = CallPolicy { max_priority_in_row: 2, fairness_minutes: 15, booked_share_percent: 50 };
        for seed in 1..40 {
            let (day, calls) = simulate(seed, policy, false);
            let tickets = &day.tickets;
            let by_id = |id: u64| tickets.iter().find(|t| t.id == id).expect("ticket");
            // When a priority ticket is called, no normal ticket of that service may have been waiting more
            // than the bound beyond it (checked against the tickets still waiting at that minute).
            for (i, &(at, id, reason, _)) in calls.iter().enumerate() {
                let called = by_id(id);
                if reason != Reason::Priority {
                    continue;
                }
                let still_waiting =
                    |t: &&Waiting| t.arrived_min <= at && !calls[..i].iter().any(|c| c.1 == t.id) && t.id != id;
                for n in tickets.iter().filter(still_waiting).filter(|t| !t.priority && t.service == called.service) {
                    assert!(
                        (at - n.arrived_min) <= (at - called.arrived_min) + policy.fairness_minutes,
                        "seed {seed}: normal {} waited too long beyond priority {}",
                        n.id,
                        id
                    );
                }
            }
            // No counter makes more than N priority calls in a row while a normal ticket of that service waits.
            let call_index = |ticket: u64| calls.iter().position(|c| c.1 == ticket).unwrap_or(usize::MAX);
            for counter in 0..4 {
                let mut run = 0;
                for (i, &(at, id, reason, c)) in calls.iter().enumerate() {
                    if c != counter {
                        continue;
                    }
                    run = if reason == Reason::Priority { run + 1 } else { 0 };
                    if run > policy.max_priority_in_row {
                        let service = &by_id(id).service;
                        let normal_waiting = tickets.iter().any(|t| {
                            !t.priority && &t.service == service && t.arrived_min <= at && call_index(t.id) > i
                        });
                        assert!(!normal_waiting, "seed {seed}: counter {counter} made {run} priority calls in a row");
                    }
                }
            }
        }
    }

    /// With one ticket in three booked: booked tickets take at most their share of any `SHARE_WINDOW`
    /// calls at a counter while a walk-in of that service waits; a walk-in goes before a booked ticket
    /// whose window had begun before it came only when the share says so; everyone is called once.
    #[test]
    fn property_booked_tickets_keep_to_their_share_and_their_window() {
        for share in [20, 50, 80] {
            let policy = CallPolicy { booked_share_percent: share, ..CallPolicy::default() };
            for seed in 1..40 {
                let (day, calls) = simulate(seed, policy, true);
                called_once_each(seed, &day, &calls);
                let by_id = |id: u64| day.tickets.iter().find(|t| t.id == id).expect("ticket");
                let called_at = |id: u64| calls.iter().position(|c| c.1 == id).unwrap_or(usize::MAX);
                // Walk-ins of `service` callable and not yet called at call `i`.
                let walk_ins_waiting = |i: usize, service: &str| {
                    let at = calls[i].0;
                    day.tickets.iter().any(|t| {
                        !t.booked && !t.priority && t.service == service && t.arrived_min <= at && called_at(t.id) > i
                    })
                };
                for counter in 0..4 {
                    let mine: Vec<usize> = (0..calls.len()).filter(|&i| calls[i].3 == counter).collect();
                    // Marks each of the counter's calls: booked while a walk-in of its service waited.
                    let pressed: Vec<bool> = mine
                        .iter()
                        .map(|&i| {
                            let t = by_id(calls[i].1);
                            t.booked && walk_ins_waiting(i, &t.service)
                        })
                        .collect();
                    let booked: Vec<bool> = mine.iter().map(|&i| by_id(calls[i].1).booked).collect();
                    for end in 0..mine.len() {
                        if !pressed[end] {
                            continue;
                        }
                        let from = (end + 1).saturating_sub(SHARE_WINDOW as usize);
                        let n = booked[from..=end].iter().filter(|b| **b).count() as u32;
                        assert!(
                            n <= policy.booked_cap(),
                            "seed {seed}, share {share}%: counter {counter} made {n} booked calls in {} while a \
                             walk-in waited",
                            SHARE_WINDOW
                        );
                    }
                }
                for (i, &(at, id, reason, _)) in calls.iter().enumerate() {
                    let t = by_id(id);
                    if t.booked || t.priority || reason == Reason::BookedShare {
                        continue;
                    }
                    let passed = day.tickets.iter().find(|b| {
                        b.booked
                            && b.service == t.service
                            && day.callable_from(b) <= at
                            && b.arrived_min < t.arrived_min
                            && called_at(b.id) > i
                    });
                    assert!(passed.is_none(), "seed {seed}: walk-in {id} passed booked {:?} ({reason:?})", passed);
                }
            }
        }
    }
}
