//! How honest the wait estimate is, on simulated days shaped like a real hall: arrivals peaking at
//! 08:00-10:00, a lunch gap 11:30-13:30 with no new numbers, a counter paused for half an hour, service
//! times that differ from service to service and hall to hall (median 3-15 minutes) with the occasional hour-long
//! dossier and quick no-shows. Each citizen's real wait (taking the number → being called) is compared
//! with what the kiosk showed: the estimate from recent real durations (`domain::estimate`) and the
//! naive one (position × a fixed 8 minutes ÷ counters). Run with `cargo bench --bench wait_estimate`.

use motcua::domain::estimate::{expected_minutes, naive_minutes, typical_minutes, wait_range, EstimatePolicy};
use motcua::domain::queue::{call_next, CallPolicy, Recent, Waiting, SHARE_WINDOW};

const DAYS: u64 = 300;
const COUNTERS: usize = 3;
const WINDOW: usize = 20;
const FIXED_MINUTES: f64 = 8.0;

/// splitmix64: a small, reproducible random source for the simulation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    fn exp(&mut self, rate: f64) -> f64 {
        -(1.0 - self.unit()).ln() / rate
    }
}

/// Arrivals per hour for one service, by time of day (minutes since midnight).
fn arrival_rate(minute: f64, scale: f64) -> f64 {
    let per_hour = match minute as u32 {
        450..480 => 8.0,  // 07:30-08:00
        480..600 => 30.0, // 08:00-10:00 peak
        600..660 => 18.0, // 10:00-11:00
        660..690 => 8.0,  // 11:00-11:30
        810..900 => 14.0, // 13:30-15:00
        900..960 => 12.0, // 15:00-16:00
        960..1020 => 5.0, // 16:00-17:00
        _ => 0.0,         // before opening, lunch gap, after closing
    };
    per_hour * scale / 60.0
}

fn open_counters(minute: f64) -> usize {
    // Counter 3 pauses 10:00-10:30.
    if (600.0..630.0).contains(&minute) {
        COUNTERS - 1
    } else {
        COUNTERS
    }
}

struct Citizen {
    arrived: f64,
    called: f64,
    duration: f64,
}

/// One day's arrivals (minutes since midnight) and the service's median minutes.
fn arrivals(rng: &mut Rng) -> (Vec<f64>, f64) {
    let median = 3.0 + 12.0 * rng.unit();
    // Busier halls have quicker services on the whole; keep the load near capacity at the peak.
    let scale = (COUNTERS as f64 * 60.0 / median) / 30.0 * (0.8 + 0.3 * rng.unit());
    let mut arrivals = Vec::new();
    let mut t = 450.0;
    while t < 1020.0 {
        let rate = arrival_rate(t, scale);
        if rate == 0.0 {
            t += 1.0;
            continue;
        }
        t += rng.exp(rate);
        if arrival_rate(t, scale) > 0.0 && t < 1020.0 {
            arrivals.push(t);
        }
    }
    (arrivals, median)
}

/// How long one citizen is served.
fn duration(rng: &mut Rng, median: f64) -> f64 {
    match rng.unit() {
        u if u < 0.05 => 0.5 + rng.unit(),         // no-show closed quickly
        u if u < 0.09 => 25.0 + 35.0 * rng.unit(), // a hard dossier
        _ => median * (0.45 * rng.normal()).exp(),
    }
}

/// One day: arrivals, then first-come first-served over the counters.
fn simulate(rng: &mut Rng) -> Vec<Citizen> {
    let (arrivals, median) = arrivals(rng);
    let mut free = [450.0f64; COUNTERS];
    arrivals
        .into_iter()
        .map(|arrived| {
            let duration = duration(rng, median);
            // The counter that frees first; counter 3 does not call during its pause.
            let (i, at) = free
                .iter()
                .enumerate()
                .map(|(i, &f)| {
                    let mut at = f.max(arrived);
                    if i == COUNTERS - 1 && (600.0..630.0).contains(&at) {
                        at = 630.0;
                    }
                    (i, at)
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, arrived));
            free[i] = at + duration;
            Citizen { arrived, called: at, duration }
        })
        .collect()
}

#[derive(Default)]
struct Score {
    n: usize,
    abs_error: f64,
    inside: usize,
    width: f64,
}

impl Score {
    fn add(&mut self, estimate: f64, range: (u32, u32), actual: f64) {
        self.n += 1;
        self.abs_error += (estimate - actual).abs();
        self.inside += usize::from(f64::from(range.0) <= actual && actual <= f64::from(range.1));
        self.width += f64::from(range.1 - range.0);
    }

    fn row(&self, name: &str) -> String {
        let n = self.n as f64;
        format!(
            "| {name} | {:.1} min | {:.0}% | {:.1} min |",
            self.abs_error / n,
            100.0 * self.inside as f64 / n,
            self.width / n
        )
    }
}

/// The range a naive kiosk would print around its number (as motcua did before it measured durations).
fn naive_range(estimate: f64) -> (u32, u32) {
    let round5 = |m: f64| ((m / 5.0).round() * 5.0) as u32;
    let lo = round5(estimate * 0.75);
    (lo, round5(estimate * 1.3).max(lo + 5))
}

/// Other robust choices for the typical duration, measured beside the one motcua uses.
fn median(recent: &[i64]) -> Option<f64> {
    let mut m: Vec<f64> = recent.iter().map(|&d| d as f64 / 60_000.0).collect();
    m.sort_by(f64::total_cmp);
    (m.len() >= 5).then(|| m[m.len() / 2])
}

fn trimmed_mean(recent: &[i64]) -> Option<f64> {
    let mut m: Vec<f64> = recent.iter().map(|&d| d as f64 / 60_000.0).collect();
    m.sort_by(f64::total_cmp);
    let k = m.len() / 10;
    let kept = &m[k..m.len() - k];
    (m.len() >= 5).then(|| kept.iter().sum::<f64>() / kept.len() as f64)
}

/// Booking: places per 30-minute window, and the share of citizens who book.
const SLOTS: usize = 3;
const BOOKING_SHARE: f64 = 0.3;

/// A citizen of a day with booking: when they would come, and, when booked, their window's start and
/// when they check in (up to 15 minutes early).
struct Visit {
    wants: f64,
    window: Option<i64>,
    comes: i64,
    duration: f64,
}

/// The windows of the day (07:30-11:30, 13:30-17:00).
fn windows() -> Vec<i64> {
    (450..690).step_by(30).chain((810..1020).step_by(30)).collect()
}

/// One day called minute by minute under the hall's rule (`domain::queue::call_next`), one service and
/// `COUNTERS` counters (one paused 10:00-10:30): each citizen's wait in minutes, and whether booked. A
/// booked citizen waits from their window's start or their arrival, whichever is later; a walk-in from
/// arrival.
fn called_under_the_rule(visits: &[Visit]) -> Vec<(bool, f64)> {
    let policy = CallPolicy::default();
    let services = vec!["A".to_string()];
    let mut free = [450.0f64; COUNTERS];
    let mut history: Vec<Vec<bool>> = vec![Vec::new(); COUNTERS];
    let mut called = vec![false; visits.len()];
    let mut waits = Vec::new();
    let mut now = 440i64;
    while waits.len() < visits.len() && now < 2000 {
        for c in 0..COUNTERS {
            let paused = c == COUNTERS - 1 && (600..630).contains(&now);
            if free[c] > now as f64 || paused {
                continue;
            }
            let waiting: Vec<Waiting> = visits
                .iter()
                .enumerate()
                .filter(|(i, v)| !called[*i] && v.comes <= now && v.window.is_none_or(|w| w <= now))
                .map(|(i, v)| Waiting {
                    id: i as u64,
                    service: "A".into(),
                    priority: false,
                    arrived_min: v.window.unwrap_or(v.comes),
                    booked: v.window.is_some(),
                })
                .collect();
            let h = &history[c];
            let recent = Recent {
                priority_streak: 0,
                booked: h.iter().rev().take(SHARE_WINDOW as usize - 1).filter(|b| **b).count() as u32,
            };
            let Some(choice) = call_next(&waiting, &services, recent, policy, now) else { continue };
            let i = choice.id as usize;
            let v = &visits[i];
            called[i] = true;
            history[c].push(v.window.is_some());
            free[c] = now as f64 + v.duration;
            let from = v.window.map_or(v.comes, |w| w.max(v.comes));
            waits.push((v.window.is_some(), (now - from) as f64));
        }
        now += 1;
    }
    waits
}

/// Mean and 90th percentile.
fn mean_p90(mut w: Vec<f64>) -> (f64, f64, usize) {
    w.sort_by(f64::total_cmp);
    let n = w.len().max(1);
    (w.iter().sum::<f64>() / n as f64, w[(w.len().saturating_sub(1) as f64 * 0.9) as usize], w.len())
}

/// Days with and without booking, from the same arrivals: the waits of walk-ins and booked citizens.
fn booking_days() {
    let (mut without, mut walk_ins, mut booked) = (Vec::new(), Vec::new(), Vec::new());
    let mut moved = 0usize;
    for day in 0..DAYS {
        // The same seed as the estimate's days: the same arrivals.
        let mut rng = Rng(0x5EED_0000 + day);
        let (arrivals, median) = arrivals(&mut rng);
        let durations: Vec<f64> = arrivals.iter().map(|_| duration(&mut rng, median)).collect();
        let books: Vec<bool> = arrivals.iter().map(|_| rng.unit() < BOOKING_SHARE).collect();
        let early: Vec<i64> = arrivals.iter().map(|_| (rng.unit() * 15.0) as i64).collect();
        // Without booking everyone walks in when they would come.
        let all: Vec<Visit> = arrivals
            .iter()
            .zip(&durations)
            .map(|(&t, &d)| Visit { wants: t, window: None, comes: t.ceil() as i64, duration: d })
            .collect();
        without.extend(called_under_the_rule(&all).into_iter().map(|w| w.1));
        // With booking: those who book take the window they would come in, or the next with a place.
        let mut taken: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        let windows = windows();
        let visits: Vec<Visit> = (0..arrivals.len())
            .map(|i| {
                let (t, d) = (arrivals[i], durations[i]);
                let walk_in = Visit { wants: t, window: None, comes: t.ceil() as i64, duration: d };
                if !books[i] {
                    return walk_in;
                }
                let wanted = windows.iter().position(|&w| w + 30 > t as i64).unwrap_or(windows.len());
                let Some(&w) = windows[wanted..].iter().find(|w| taken.get(w).copied().unwrap_or(0) < SLOTS) else {
                    return walk_in;
                };
                *taken.entry(w).or_default() += 1;
                moved += usize::from(w > t as i64);
                Visit { wants: t, window: Some(w), comes: w - early[i], duration: d }
            })
            .collect();
        debug_assert!(visits.iter().all(|v| v.wants >= 450.0));
        for (is_booked, w) in called_under_the_rule(&visits) {
            if is_booked {
                booked.push(w);
            } else {
                walk_ins.push(w);
            }
        }
    }
    let row = |name: &str, w: Vec<f64>| {
        let (mean, p90, n) = mean_p90(w);
        println!("| {name} | {n} | {mean:.1} min | {p90:.0} min |");
    };
    println!("\n## Waits with and without booking on simulated days\n");
    println!(
        "The same {DAYS} days of arrivals as above (one service, {COUNTERS} counters, one paused 10:00-10:30), called \
         minute by minute under the hall's rule (`domain::queue::call_next`, booked share 50%). With booking, {:.0}% \
         of citizens book the 30-minute window they would have come in, or the next with a place ({SLOTS} places a \
         window; {moved} were moved later), and come up to 15 minutes early; a booked citizen's wait counts from \
         the window's start.\n",
        BOOKING_SHARE * 100.0
    );
    println!("| day | citizens | mean wait | 90th percentile |\n|---|---:|---:|---:|");
    row("without booking: everyone walks in (baseline)", without);
    row("with booking: walk-ins", walk_ins);
    row("with booking: booked, from their window's start", booked);
}

fn main() {
    let policy = EstimatePolicy { default_minutes: FIXED_MINUTES, min_samples: 5 };
    let mut scores: Vec<Score> = (0..6).map(|_| Score::default()).collect();
    let mut citizens = 0;
    for day in 0..DAYS {
        let mut rng = Rng(0x5EED_0000 + day);
        let people = simulate(&mut rng);
        citizens += people.len();
        for (i, c) in people.iter().enumerate() {
            let t = c.arrived;
            let ahead = people[..i].iter().filter(|p| p.called > t).count() as u32;
            let mut finished: Vec<(f64, i64)> = people[..i]
                .iter()
                .filter(|p| p.called + p.duration <= t)
                .map(|p| (p.called + p.duration, (p.duration * 60_000.0) as i64))
                .collect();
            finished.sort_by(|a, b| b.0.total_cmp(&a.0));
            let recent: Vec<i64> = finished.iter().take(WINDOW).map(|f| f.1).collect();
            let open = open_counters(t) as u32;
            let actual = c.called - t;
            let typical = typical_minutes(&recent, policy);
            let naive = naive_minutes(ahead, open, FIXED_MINUTES);
            let mut score = |row: usize, typical: f64| {
                scores[row].add(expected_minutes(ahead, open, typical), wait_range(ahead, open, typical), actual)
            };
            score(0, typical);
            score(1, median(&recent).unwrap_or(FIXED_MINUTES));
            score(2, trimmed_mean(&recent).unwrap_or(FIXED_MINUTES));
            scores[3].add(naive, naive_range(naive), actual);
            if (480.0..600.0).contains(&t) {
                scores[4].add(expected_minutes(ahead, open, typical), wait_range(ahead, open, typical), actual);
                scores[5].add(naive, naive_range(naive), actual);
            }
        }
    }
    println!("## Wait estimate on simulated days\n");
    println!(
        "{DAYS} simulated days, {citizens} citizens, {COUNTERS} counters (one paused 10:00-10:30); each day a \
         service whose median time is 3-15 min (services and halls differ), 5% no-shows closed in a minute, \
         4% hard dossiers of 25-60 min; arrivals peak 08:00-10:00, no numbers 11:30-13:30.\n"
    );
    println!("| estimate | mean absolute error | real wait inside the shown range | mean range width |");
    println!("|---|---|---|---|");
    let names = [
        "motcua: last 20 durations, mean capped at 3× median",
        "alternative: median of last 20",
        "alternative: 10% trimmed mean of last 20",
        "naive baseline: position × 8 min ÷ counters",
        "motcua, citizens arriving 08:00-10:00",
        "naive, citizens arriving 08:00-10:00",
    ];
    for (score, name) in scores.iter().zip(names) {
        println!("{}", score.row(name));
    }
    booking_days();
}
