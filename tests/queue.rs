//! The queue core on a real SQLite file: numbers that never repeat (also across a restart and local
//! midnight), refusals with reasons, the two-step print outcome, voided reservations, and counters calling
//! at the same instant.

mod common;

use common::*;
use motcua::app::queue::{self, QueueError};
use motcua::config::{Config, NotPrintedRule};
use motcua::domain::clock::FixedClock;
use motcua::domain::counter::CounterRefusal;
use motcua::domain::ticket::Refusal;
use motcua::hub::Hub;
use motcua::print::{Outcome, Printer};
use motcua::store::Store;
use time::macros::datetime;

fn at(t: time::OffsetDateTime) -> FixedClock {
    FixedClock(t)
}

fn printed() -> Outcome {
    Outcome::Printed { warning: None }
}

fn take(store: &mut Store, config: &Config, service: &str, clock: &FixedClock) -> String {
    let r = queue::reserve(store, config, service, None, None, clock).expect("reserved");
    queue::record_outcome(store, config, r.ticket.id, &printed(), clock).expect("outcome");
    r.ticket.number
}

#[test]
fn numbers_follow_each_other_per_service_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    let config = Config::default();
    let clock = at(datetime!(2026-11-30 08:00 +7));
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(take(&mut store, &config, "HT", &clock), "A001");
        assert_eq!(take(&mut store, &config, "HT", &clock), "A002");
        assert_eq!(take(&mut store, &config, "CT", &clock), "B001");
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(take(&mut store, &config, "HT", &clock), "A003", "a restart does not reuse numbers");
}

#[test]
fn the_day_rolls_at_local_midnight() {
    let mut store = Store::open_in_memory().unwrap();
    let mut config = Config::default();
    for s in &mut config.services {
        s.hours = vec!["00:00-23:59".into()];
    }
    // 23:58 local is 16:58 UTC the same day; 00:01 local is the next local day.
    assert_eq!(take(&mut store, &config, "HT", &at(datetime!(2026-11-30 23:58 +7))), "A001");
    assert_eq!(take(&mut store, &config, "HT", &at(datetime!(2026-11-30 16:58:30 UTC))), "A002");
    assert_eq!(take(&mut store, &config, "HT", &at(datetime!(2026-12-01 00:01 +7))), "A001");
}

#[test]
fn refusals_say_why() {
    let mut store = Store::open_in_memory().unwrap();
    let mut config = Config::default();
    let refused = |r: Result<queue::Reserved, QueueError>| match r {
        Err(QueueError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let lunch = at(datetime!(2026-11-30 12:00 +7));
    let why = refused(queue::reserve(&mut store, &config, "HT", None, None, &lunch));
    assert_eq!(why, Refusal::OutsideHours { next_opening: Some("13:30".into()) });
    assert_eq!(why.message_vi(), "Ngoài giờ cấp số. Mời quay lại lúc 13:30.");
    let sunday = at(datetime!(2026-11-29 09:00 +7));
    assert_eq!(
        refused(queue::reserve(&mut store, &config, "HT", None, None, &sunday)),
        Refusal::OutsideHours { next_opening: None }
    );
    let morning = at(datetime!(2026-11-30 09:00 +7));
    assert_eq!(
        refused(queue::reserve(&mut store, &config, "XX", None, None, &morning)),
        Refusal::UnknownService("XX".into())
    );
    assert_eq!(
        refused(queue::reserve(&mut store, &config, "HT", Some("VIP"), None, &morning)),
        Refusal::UnknownPriority("VIP".into())
    );
    config.services[0].daily_cap = 2;
    take(&mut store, &config, "HT", &morning);
    take(&mut store, &config, "HT", &morning);
    assert_eq!(
        refused(queue::reserve(&mut store, &config, "HT", None, None, &morning)),
        Refusal::DailyCapReached { cap: 2 }
    );
    // The clock goes back an hour (dead RTC battery, bad time sync): issuing stops, numbers are not reused.
    let earlier = at(datetime!(2026-11-30 08:00 +7));
    match refused(queue::reserve(&mut store, &config, "CT", None, None, &earlier)) {
        Refusal::ClockWentBack { .. } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn print_outcome_decides_and_stale_reservations_are_voided() {
    let mut store = Store::open_in_memory().unwrap();
    let mut config = Config::default();
    let t0 = at(datetime!(2026-11-30 08:00 +7));
    let day = "2026-11-30";
    let waiting = |store: &Store| -> Vec<String> {
        motcua::store::queue::in_state(store.conn(), day, motcua::domain::ticket::TicketState::Waiting)
            .unwrap()
            .into_iter()
            .map(|t| t.number)
            .collect()
    };
    // Not printed for a reason the printer does not tell (it answered garbage), rule "void": the number
    // never reaches a counter.
    let a = queue::reserve(&mut store, &config, "HT", None, None, &t0).unwrap();
    assert!(waiting(&store).is_empty(), "a reservation is not in the queue yet");
    let row = queue::record_outcome(
        &mut store,
        &config,
        a.ticket.id,
        &Outcome::NotPrinted {
            printer: motcua::print::status::PrinterState::Garbled(vec![0xFF]),
            why: "garbled".into(),
        },
        &t0,
    )
    .unwrap();
    assert_eq!((row.state.as_str(), row.print_outcome.as_deref()), ("voided", Some("not-printed")));
    // Rule "keep": it joins the queue and the kiosk shows the number.
    config.queue.not_printed = NotPrintedRule::Keep;
    let b = queue::reserve(&mut store, &config, "HT", None, None, &t0).unwrap();
    queue::record_outcome(
        &mut store,
        &config,
        b.ticket.id,
        &Outcome::NotPrinted {
            printer: motcua::print::status::PrinterState::Garbled(vec![0xFF]),
            why: "garbled".into(),
        },
        &t0,
    )
    .unwrap();
    // Sent but unconfirmed counts as issued.
    let c = queue::reserve(&mut store, &config, "HT", None, None, &t0).unwrap();
    queue::record_outcome(&mut store, &config, c.ticket.id, &Outcome::SentUnconfirmed { why: "no status".into() }, &t0)
        .unwrap();
    assert_eq!(waiting(&store), ["A002", "A003"]);
    // A kiosk that crashed between reserving and reporting: voided after the timeout, never called.
    let d = queue::reserve(&mut store, &config, "HT", None, None, &t0).unwrap();
    assert!(queue::void_stale(&mut store, &config, &at(datetime!(2026-11-30 08:00:59 +7))).unwrap().is_empty());
    assert_eq!(queue::void_stale(&mut store, &config, &at(datetime!(2026-11-30 08:01:01 +7))).unwrap(), [d.ticket.id]);
    // A late outcome for a voided reservation changes nothing.
    let late = queue::record_outcome(&mut store, &config, d.ticket.id, &printed(), &at(datetime!(2026-11-30 08:02 +7)))
        .unwrap();
    assert_eq!(late.state, motcua::domain::ticket::TicketState::Voided);
    assert_eq!(waiting(&store), ["A002", "A003"]);
    assert_eq!(
        take(&mut store, &config, "HT", &at(datetime!(2026-11-30 08:03 +7))),
        "A005",
        "voided numbers are not reused"
    );
}

#[test]
fn end_to_end_with_the_virtual_printer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("motcua.db")).unwrap();
    let config = Config::default();
    let clock = at(datetime!(2026-11-30 08:00 +7));
    let hub = Hub::new(store, config.clone(), std::sync::Arc::new(clock), dir.path().into()).unwrap();
    let open = |target: &str| -> Printer {
        let mut c = config.clone();
        c.printers.get_mut("kiosk").unwrap().target = target.into();
        motcua::app::printing::open(&c, dir.path(), "kiosk").unwrap()
    };
    let mut ok = open("virtual");
    let issued =
        queue::issue_and_print(hub.as_ref(), &config, "HT", Some("Người cao tuổi"), None, &mut ok, &clock).unwrap();
    assert_eq!((issued.outcome.as_str(), issued.state.as_str()), ("printed", "waiting"));
    assert!(issued.reserved.url.starts_with("http://127.0.0.1:8080/t/") && issued.reserved.ticket.token.len() == 32);
    let pngs = std::fs::read_dir(dir.path().join("prints")).unwrap().count();
    assert_eq!(pngs, 2, "PNG and .bin of the ticket");
    // Out of paper: not printed, but in the line whatever `not_printed` says; the kiosk shows the number.
    assert_eq!(config.queue.not_printed, NotPrintedRule::Void);
    let mut out_of_paper = open("virtual?state=paper_out");
    let on_screen = queue::issue_and_print(hub.as_ref(), &config, "HT", None, None, &mut out_of_paper, &clock).unwrap();
    assert_eq!((on_screen.outcome.as_str(), on_screen.state.as_str()), ("not-printed", "waiting"));
    assert_eq!(on_screen.outcome_detail.as_deref(), Some("paper out"));
    // Garbage from the printer's port: the rule applies, and "void" cancels the number.
    let mut garbled = open("virtual?state=garbled");
    let failed = queue::issue_and_print(hub.as_ref(), &config, "HT", None, None, &mut garbled, &clock).unwrap();
    assert_eq!((failed.outcome.as_str(), failed.state.as_str()), ("not-printed", "voided"));
}

#[test]
fn counters_calling_at_the_same_instant_never_share_a_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("motcua.db");
    let config = Config::default();
    let clock = at(datetime!(2026-11-30 09:00 +7));
    {
        let mut store = Store::open(&path).unwrap();
        for _ in 0..30 {
            take(&mut store, &config, "HT", &clock);
        }
    }
    // Counters 1, 2 and 3 all serve HT; each thread has its own connection to the same file.
    let handles: Vec<_> = [1u32, 2, 3, 1, 2, 3]
        .into_iter()
        .map(|counter| {
            let (path, config) = (path.clone(), config.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let clock = FixedClock(datetime!(2026-11-30 09:05 +7));
                (0..5)
                    .filter_map(|_| queue::call_next_at(&mut store, &config, counter, &clock).unwrap())
                    .map(|(t, _)| t.id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut called: Vec<i64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert_eq!(called.len(), 30);
    called.sort_unstable();
    called.dedup();
    assert_eq!(called.len(), 30, "every ticket called once, none twice");
    let mut store = Store::open(&path).unwrap();
    let later = at(datetime!(2026-11-30 09:10 +7));
    assert!(queue::call_next_at(&mut store, &config, 1, &later).unwrap().is_none(), "nobody left waiting");
    match queue::call_next_at(&mut store, &config, 99, &later) {
        Err(QueueError::Counter(CounterRefusal::UnknownCounter(99))) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn cli_issues_a_ticket_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = motcua(dir.path(), &["ticket", "issue", "--service", "NOPE"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Không có dịch vụ \"NOPE\" / unknown service \"NOPE\""), "{}", stderr(&out));
}

/// State and event kind of every ticket, by number.
fn states(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store.conn().prepare("SELECT number, state FROM ticket ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn at_closing_tickets_still_waiting_or_called_are_closed_apart_from_no_shows() {
    let mut store = Store::open_in_memory().unwrap();
    let mut config = Config::default();
    config.queue.closing_time = "17:00".into();
    // Yesterday's ticket, left waiting (the hub was off at closing).
    let yesterday = at(datetime!(2026-11-30 10:00 +7));
    take(&mut store, &config, "HT", &yesterday);
    let morning = at(datetime!(2026-12-01 10:00 +7));
    assert_eq!(queue::close_day(&mut store, &config, &morning).unwrap(), ["A001"], "an earlier day closes at once");
    for _ in 0..4 {
        take(&mut store, &config, "HT", &morning);
    }
    let late = at(datetime!(2026-12-01 16:40 +7));
    queue::call_next_at(&mut store, &config, 1, &late).unwrap(); // A001 of today: called, then served
    queue::act(&mut store, &config, 1, queue::Action::Start, &late).unwrap();
    queue::call_next_at(&mut store, &config, 2, &late).unwrap(); // A002: called, still called at closing
    assert!(queue::close_day(&mut store, &config, &at(datetime!(2026-12-01 16:59 +7))).unwrap().is_empty());
    let closed = queue::close_day(&mut store, &config, &at(datetime!(2026-12-01 17:00 +7))).unwrap();
    assert_eq!(closed, ["A002", "A003", "A004"]);
    let expected: Vec<(String, String)> =
        [("A001", "closed"), ("A001", "serving"), ("A002", "closed"), ("A003", "closed"), ("A004", "closed")]
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
    assert_eq!(states(&store), expected, "the ticket being served is left to its counter");
    let events: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM queue_event WHERE kind = 'closed' AND detail = 'not served at closing'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 4);
    assert!(queue::close_day(&mut store, &config, &at(datetime!(2026-12-01 17:05 +7))).unwrap().is_empty());
    let (vi, _) = motcua::domain::ticket::TicketState::Closed.words();
    assert!(vi.starts_with("Hết giờ làm việc"), "the phone page says why: {vi}");
}
