//! What the hall's display board shows, kept from the hub's snapshot and the events that follow it: the
//! latest call, the number at each counter, the last calls, the people waiting per service. No drawing
//! and no I/O here; `ui::display` draws it and `hub::feed` brings the hub's news.

use crate::app::queue::HallEvent;
use crate::app::queue::Snapshot;
use crate::domain::clock::{instant, local_day};
use crate::domain::ticket::EventKind;
use std::collections::{BTreeMap, VecDeque};

/// Calls listed under the latest one.
pub const RECENT: usize = 8;

/// A number called to a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub number: String,
    pub counter: u32,
    pub at_ms: i64,
    pub recall: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterLine {
    pub number: u32,
    pub name: String,
    /// The number called or being served here.
    pub current: Option<String>,
    pub paused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    pub code: String,
    pub name_vi: String,
    pub waiting: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    pub counters: Vec<CounterLine>,
    pub services: Vec<ServiceLine>,
    /// Newest first.
    pub recent: VecDeque<Call>,
    /// The last event applied to the counters (the snapshot's, then each event's).
    pub last_id: i64,
    /// The last event looked at for the list of calls, which also takes calls from before the
    /// snapshot (a board that starts in the middle of the day lists the calls before it).
    pub listed_id: i64,
    /// The day the snapshot is of: earlier calls are not listed.
    pub day: String,
}

impl Board {
    /// The hall as a snapshot shows it; calls already listed are kept (the snapshot has none).
    pub fn load(&mut self, snapshot: &Snapshot) {
        self.counters = snapshot
            .counters
            .iter()
            .map(|c| CounterLine {
                number: c.number,
                name: c.name.clone(),
                current: c.current.as_ref().map(|t| t.number.clone()),
                paused: c.paused,
            })
            .collect();
        self.services = snapshot
            .services
            .iter()
            .map(|s| ServiceLine { code: s.code.clone(), name_vi: s.name_vi.clone(), waiting: s.waiting })
            .collect();
        self.last_id = self.last_id.max(snapshot.last_event_id);
        if snapshot.day != self.day {
            self.recent.clear();
            self.day = snapshot.day.clone();
        }
    }

    /// The latest call, shown large.
    pub fn latest(&self) -> Option<&Call> {
        self.recent.front()
    }

    /// Applies one event (in order; one already applied is ignored). Returns the call to show and speak
    /// when it is a new call or recall; a call from before the snapshot is only listed.
    pub fn apply(&mut self, e: &HallEvent) -> Option<Call> {
        let call = match (e.kind.is_call(), e.counter, &e.number) {
            (true, Some(counter), Some(number)) => {
                Some(Call { number: number.clone(), counter, at_ms: e.at_ms, recall: e.kind == EventKind::Recalled })
            }
            _ => None,
        };
        if e.id > self.listed_id {
            self.listed_id = e.id;
            let today = instant(e.at_ms).map(local_day);
            if let Some(call) = call.as_ref().filter(|_| today.as_deref() == Some(self.day.as_str())) {
                self.recent.retain(|c| !(c.number == call.number && c.counter == call.counter));
                self.recent.push_front(call.clone());
                self.recent.truncate(RECENT);
            }
        }
        if e.id <= self.last_id {
            return None;
        }
        self.last_id = e.id;
        let counter = e.counter?;
        let line = self.counters.iter_mut().find(|c| c.number == counter)?;
        let number = e.number.clone();
        match e.kind {
            EventKind::Called | EventKind::Recalled => {
                line.current = number;
                call
            }
            EventKind::Done | EventKind::NoShow | EventKind::Transferred => {
                if line.current == number {
                    line.current = None;
                }
                None
            }
            EventKind::Paused | EventKind::Resumed => {
                line.paused = e.kind == EventKind::Paused;
                None
            }
            _ => None,
        }
    }

    /// People waiting per service, from a `counts` event.
    pub fn counts(&mut self, counts: &BTreeMap<String, u32>) {
        for s in &mut self.services {
            if let Some(n) = counts.get(&s.code) {
                s.waiting = *n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, kind: &str, counter: u32, number: &str) -> HallEvent {
        HallEvent {
            id,
            at_ms: id * 1000,
            kind: EventKind::parse(kind).expect("a known kind"),
            counter: Some(counter),
            actor: "counter".into(),
            detail: None,
            number: Some(number.into()),
            service: Some("HT".into()),
        }
    }

    fn board() -> Board {
        let line = |n: u32| CounterLine { number: n, name: format!("Quầy {n}"), current: None, paused: false };
        Board { counters: vec![line(1), line(2)], day: "1970-01-01".into(), ..Board::default() }
    }

    #[test]
    fn calls_fill_the_counters_and_the_recent_list_newest_first() {
        let mut b = board();
        let call = b.apply(&event(1, "called", 1, "A001")).unwrap();
        assert_eq!((call.number.as_str(), call.counter, call.recall), ("A001", 1, false));
        b.apply(&event(2, "called", 2, "B001"));
        assert_eq!(b.counters[0].current.as_deref(), Some("A001"));
        assert_eq!(b.latest().unwrap().number, "B001");
        // A recall comes back to the top once, marked as a recall.
        let again = b.apply(&event(3, "recalled", 1, "A001")).unwrap();
        assert!(again.recall);
        let order: Vec<_> = b.recent.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(order, ["A001", "B001"]);
        // Done empties the counter; an event seen before changes nothing.
        assert_eq!(b.apply(&event(4, "done", 1, "A001")), None);
        assert_eq!(b.counters[0].current, None);
        assert_eq!(b.apply(&event(2, "called", 2, "B009")), None);
        assert_eq!(b.counters[1].current.as_deref(), Some("B001"));
    }

    #[test]
    fn the_recent_list_keeps_eight_and_paused_counters_are_marked() {
        let mut b = board();
        for i in 1..=12 {
            b.apply(&event(i, "called", 1 + (i as u32 % 2), &format!("A{i:03}")));
        }
        assert_eq!(b.recent.len(), RECENT);
        assert_eq!(b.recent.back().unwrap().number, "A005");
        b.apply(&event(13, "paused", 2, ""));
        assert!(b.counters[1].paused);
        // A finished ticket that is no longer at the counter leaves the newer one in place.
        b.apply(&event(14, "done", 1, "A009"));
        assert_eq!(b.counters[0].current.as_deref(), Some("A012"));
    }

    #[test]
    fn calls_from_before_the_snapshot_are_listed_but_not_shown_at_counters_or_said() {
        let mut b = board();
        b.last_id = 10; // the snapshot's
        assert_eq!(b.apply(&event(4, "called", 1, "A001")), None);
        assert_eq!(b.apply(&event(7, "called", 2, "A002")), None);
        assert_eq!(b.counters[0].current, None, "the snapshot knows better");
        let order: Vec<_> = b.recent.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(order, ["A002", "A001"]);
        assert!(b.apply(&event(11, "called", 1, "A003")).is_some());
        // Another day's calls are not listed.
        b.day = "2026-11-30".into();
        b.apply(&event(12, "called", 2, "A004"));
        assert_eq!(b.latest().unwrap().number, "A003");
        assert_eq!(b.counters[1].current.as_deref(), Some("A004"));
    }
}
