//! `[booking]`: what the hall offers to book on the province's public site, and how booked tickets share
//! the counters' calls (docs/booking.md). The hall pushes it to the province with its services' hours and
//! its working days; the province's own caps on phones and addresses are in `[province]`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Booking {
    /// Citizens may book a time at this hall on the province's site.
    pub enabled: bool,
    /// How many days ahead a booking may be made (today is day 0).
    pub days_ahead: u32,
    /// The length of a window, in minutes; windows run back to back from each opening of a service's
    /// issuing hours.
    pub window_minutes: u32,
    /// Places in each window of each service.
    pub slots_per_window: u32,
    /// Places per window for some services, by service code, over `slots_per_window` (0: that service
    /// takes no bookings).
    pub slots: BTreeMap<String, u32>,
    /// The most of a counter's calls booked tickets may take while walk-ins wait, in percent (of its last
    /// ten calls).
    pub share_percent: u32,
}

impl Default for Booking {
    fn default() -> Self {
        Booking {
            enabled: false,
            days_ahead: 7,
            window_minutes: 30,
            slots_per_window: 2,
            slots: BTreeMap::new(),
            share_percent: 50,
        }
    }
}

impl Booking {
    /// Places per window of a service (0: not bookable).
    pub fn slots_of(&self, service: &str) -> u32 {
        self.slots.get(service).copied().unwrap_or(self.slots_per_window)
    }

    pub(super) fn check(&self, services: &[super::Service]) -> Result<(), (&'static str, String)> {
        if !(1..=60).contains(&self.days_ahead) {
            return Err(("booking.days_ahead", format!("{} is outside 1..=60 days", self.days_ahead)));
        }
        if !(5..=240).contains(&self.window_minutes) {
            return Err(("booking.window_minutes", format!("{} is outside 5..=240 minutes", self.window_minutes)));
        }
        if self.slots_per_window > 500 || self.slots.values().any(|n| *n > 500) {
            return Err(("booking.slots", "a window holds at most 500 places".into()));
        }
        if self.share_percent > 100 {
            return Err(("booking.share_percent", format!("{} is more than 100", self.share_percent)));
        }
        if let Some(unknown) = self.slots.keys().find(|k| !services.iter().any(|s| &s.code == *k)) {
            return Err(("booking.slots", format!("\"{unknown}\" is not a configured service")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_setting_is_named() {
        let services = crate::config::Config::default().services;
        assert_eq!(Booking::default().check(&services), Ok(()));
        let bad = |b: Booking| b.check(&services).unwrap_err();
        assert_eq!(bad(Booking { days_ahead: 0, ..Booking::default() }).0, "booking.days_ahead");
        assert_eq!(bad(Booking { window_minutes: 3, ..Booking::default() }).0, "booking.window_minutes");
        assert_eq!(bad(Booking { share_percent: 120, ..Booking::default() }).0, "booking.share_percent");
        let unknown = bad(Booking { slots: BTreeMap::from([("ZZ".into(), 2)]), ..Booking::default() });
        assert_eq!(unknown, ("booking.slots", "\"ZZ\" is not a configured service".into()));
        let b = Booking { slots: BTreeMap::from([("CT".into(), 0)]), ..Booking::default() };
        assert_eq!((b.slots_of("CT"), b.slots_of("HT")), (0, 2));
    }
}
