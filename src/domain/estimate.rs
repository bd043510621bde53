//! Wait estimates: how long a citizen will wait, from the service durations the counters really took
//! today and lately, the people ahead and the counters open. Pure; measured against simulated days in
//! `benches/wait_estimate.rs` (figures in docs/benchmarks.md).

/// How estimates are made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EstimatePolicy {
    /// Minutes per citizen before enough real durations are known.
    pub default_minutes: f64,
    /// Fewest recent durations that replace the default.
    pub min_samples: usize,
}

impl Default for EstimatePolicy {
    fn default() -> Self {
        EstimatePolicy { default_minutes: 8.0, min_samples: 5 }
    }
}

/// The typical minutes per citizen from recent durations: their mean after capping each at three times
/// their median. The cap keeps one hour-long dossier (or a clock left running) from doubling everyone's
/// estimate, while the mean still counts that service times lean long: a median alone runs short, since
/// a line moves at the pace of the average citizen. Blended with the default while there are few.
/// (Median, trimmed mean and this are compared in `benches/wait_estimate.rs`.)
pub fn typical_minutes(recent_ms: &[i64], policy: EstimatePolicy) -> f64 {
    let mut minutes: Vec<f64> = recent_ms.iter().filter(|&&d| d >= 0).map(|&d| d as f64 / 60_000.0).collect();
    if minutes.is_empty() {
        return policy.default_minutes;
    }
    minutes.sort_by(f64::total_cmp);
    let n = minutes.len();
    let median = if n % 2 == 1 { minutes[n / 2] } else { (minutes[n / 2 - 1] + minutes[n / 2]) / 2.0 };
    let cap = 3.0 * median;
    let capped_mean = minutes.iter().map(|m| m.min(cap)).sum::<f64>() / n as f64;
    if n >= policy.min_samples {
        capped_mean
    } else {
        // Few samples: lean on the default in proportion.
        let w = n as f64 / policy.min_samples as f64;
        w * capped_mean + (1.0 - w) * policy.default_minutes
    }
}

/// The expected wait in minutes of a citizen with `ahead` people ahead in line, `open` counters serving
/// the line and `typical` minutes per citizen.
pub fn expected_minutes(ahead: u32, open: u32, typical: f64) -> f64 {
    f64::from(ahead) * typical / f64::from(open.max(1))
}

/// The range shown to the citizen ("khoảng 10–15 phút"), in whole 5 minutes. Waits run long more often
/// than short (a hard dossier holds a counter), so the range reaches further up than down, and widens
/// with the line, as the spread of a sum of service times grows like its square root.
pub fn wait_range(ahead: u32, open: u32, typical: f64) -> (u32, u32) {
    let expected = expected_minutes(ahead, open, typical);
    let per_counter = f64::from(ahead) / f64::from(open.max(1));
    let lo = ((expected * 0.8) / 5.0).floor() as u32 * 5;
    let hi = (((expected + typical * (0.5 * per_counter.sqrt() + 0.5)) / 5.0).ceil() as u32 * 5).max(lo + 5);
    (lo, hi)
}

/// The naive estimate some systems show, kept as the baseline the benchmark beats: position × a fixed
/// service time ÷ counters.
pub fn naive_minutes(ahead: u32, open: u32, fixed: f64) -> f64 {
    f64::from(ahead) * fixed / f64::from(open.max(1))
}

/// The range as printed and shown, in Vietnamese.
pub fn wait_text(range: (u32, u32)) -> String {
    match range {
        (0, hi) => format!("dưới {hi} phút"),
        (lo, hi) if lo >= hi => format!("khoảng {lo} phút"),
        (lo, hi) => format!("khoảng {lo}–{hi} phút"),
    }
}

/// The same in English.
pub fn wait_text_en(range: (u32, u32)) -> String {
    match range {
        (0, hi) => format!("under {hi} minutes"),
        (lo, hi) if lo >= hi => format!("about {lo} minutes"),
        (lo, hi) => format!("about {lo}–{hi} minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn typical_caps_outliers_and_starts_from_the_default() {
        let p = EstimatePolicy { default_minutes: 8.0, min_samples: 5 };
        assert_eq!(typical_minutes(&[], p), 8.0, "no data: the default");
        // Median 5; the 90-minute dossier counts as 15.
        let recent = [5 * MIN, 6 * MIN, 4 * MIN, 90 * MIN, 5 * MIN, 0];
        assert!((typical_minutes(&recent, p) - (5.0 + 6.0 + 4.0 + 15.0 + 5.0) / 6.0).abs() < 1e-9);
        // Two samples of 4 minutes: 2/5 of the way from 8 to 4.
        assert!((typical_minutes(&[4 * MIN, 4 * MIN], p) - 6.4).abs() < 1e-9);
        assert_eq!(typical_minutes(&[-5 * MIN], p), 8.0, "a negative duration (clock step) is ignored");
    }

    #[test]
    fn ranges_grow_with_the_line_and_shrink_with_counters() {
        assert_eq!(wait_text(wait_range(0, 2, 8.0)), "dưới 5 phút");
        assert_eq!(wait_range(10, 1, 6.0), (45, 75));
        assert_eq!(wait_range(10, 2, 6.0), (20, 40));
        let (lo, hi) = wait_range(7, 3, 9.0);
        assert!(f64::from(lo) <= expected_minutes(7, 3, 9.0) && expected_minutes(7, 3, 9.0) <= f64::from(hi));
        assert_eq!(wait_range(6, 0, 8.0), wait_range(6, 1, 8.0), "no counter open counts as one");
        assert_eq!(wait_text_en((10, 15)), "about 10–15 minutes");
        assert_eq!(wait_text((10, 15)), "khoảng 10–15 phút");
    }
}
