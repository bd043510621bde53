//! Counter-hours: how long each counter was open, from its logins, logouts, pauses and resumes. A session
//! that ran out without a logout ends at its expiry; one still open ends now.

use std::collections::BTreeMap;

/// What happened at a counter, as counter-hours see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeskKind {
    LoggedIn,
    LoggedOut,
    Paused,
    Resumed,
}

/// One login, logout, pause or resume at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskFact {
    pub counter: u32,
    /// Who logged in (for a login); `None` is the counter's own PIN, "no name".
    pub staff: Option<String>,
    pub kind: DeskKind,
    pub at_ms: i64,
}

/// A stretch of time a counter was open (logged in and not paused), and who worked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stint {
    pub counter: u32,
    pub staff: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
}

struct Open {
    login_ms: i64,
    staff: Option<String>,
    /// Since when it has been open, or `None` while paused.
    since: Option<i64>,
}

/// The stretches each counter was open, within `[from_ms, to_ms)`. `facts` may start before the period
/// (a login of the evening before); `session_ms` is how long a session lives without a logout; `now_ms`
/// ends what is still open.
pub fn stints(facts: &[DeskFact], period: (i64, i64), session_ms: i64, now_ms: i64) -> Vec<Stint> {
    let mut by_counter: BTreeMap<u32, Vec<&DeskFact>> = BTreeMap::new();
    for f in facts {
        by_counter.entry(f.counter).or_default().push(f);
    }
    let mut out = Vec::new();
    for (counter, mut list) in by_counter {
        list.sort_by_key(|f| f.at_ms);
        let mut open: Option<Open> = None;
        let close = |o: &Open, since: i64, at: i64, out: &mut Vec<Stint>| {
            let end = at.min(o.login_ms + session_ms).min(period.1);
            let start = since.max(period.0);
            if end > start {
                out.push(Stint { counter, staff: o.staff.clone(), from_ms: start, to_ms: end });
            }
        };
        for f in list {
            match f.kind {
                DeskKind::LoggedIn => {
                    if let Some(o) = &open {
                        if let Some(since) = o.since {
                            close(o, since, f.at_ms, &mut out);
                        }
                    }
                    open = Some(Open { login_ms: f.at_ms, staff: f.staff.clone(), since: Some(f.at_ms) });
                }
                DeskKind::LoggedOut => {
                    if let Some(o) = open.take() {
                        if let Some(since) = o.since {
                            close(&o, since, f.at_ms, &mut out);
                        }
                    }
                }
                DeskKind::Paused => {
                    if let Some(o) = &mut open {
                        if let Some(since) = o.since.take() {
                            let o = &*o;
                            close(o, since, f.at_ms, &mut out);
                        }
                    }
                }
                DeskKind::Resumed => {
                    if let Some(o) = &mut open {
                        if o.since.is_none() {
                            o.since = Some(f.at_ms);
                        }
                    }
                }
            }
        }
        if let Some(o) = &open {
            if let Some(since) = o.since {
                close(o, since, now_ms, &mut out);
            }
        }
    }
    out
}

/// Hours of the stints, to one decimal.
pub fn hours(stints: &[&Stint]) -> f64 {
    let ms: i64 = stints.iter().map(|s| s.to_ms - s.from_ms).sum();
    (ms as f64 / 3_600_000.0 * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn at(counter: u32, kind: DeskKind, hour: f64) -> DeskFact {
        DeskFact { counter, staff: Some("lan".into()), kind, at_ms: (hour * H as f64) as i64 }
    }

    #[test]
    fn pauses_are_not_counted_and_a_forgotten_session_ends_at_its_expiry() {
        use DeskKind::*;
        let facts = [
            // Counter 1: 8:00–12:00 with a 30-minute pause, then 13:00 until the session runs out (10 h).
            at(1, LoggedIn, 8.0),
            at(1, Paused, 10.0),
            at(1, Resumed, 10.5),
            at(1, LoggedOut, 12.0),
            at(1, LoggedIn, 13.0),
            // Counter 2: logged in the evening before the period; the period starts at 24:00.
            at(2, LoggedIn, 20.0),
            at(2, LoggedOut, 25.0),
            // A resume without a pause, a logout without a login: nothing.
            at(3, Resumed, 9.0),
            at(3, LoggedOut, 10.0),
        ];
        let all = stints(&facts, (0, 48 * H), 10 * H, 100 * H);
        let of = |c: u32| all.iter().filter(|s| s.counter == c).collect::<Vec<_>>();
        assert_eq!(hours(&of(1)), 2.0 + 1.5 + 10.0);
        assert_eq!(hours(&of(3)), 0.0);
        let day2 = stints(&facts, (24 * H, 48 * H), 10 * H, 100 * H);
        assert_eq!(day2, vec![Stint { counter: 2, staff: Some("lan".into()), from_ms: 24 * H, to_ms: 25 * H }]);
        // Still open: ends now.
        let now = stints(&facts[..1], (0, 48 * H), 10 * H, 9 * H);
        assert_eq!(hours(&now.iter().collect::<Vec<_>>()), 1.0);
    }
}
