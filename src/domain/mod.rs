//! The rules of the hall as plain data and functions: no UI, no database, no devices, no clock of its own.

pub mod announce;
pub mod backoff;
pub mod calendar;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod counter;
pub mod dossier;
pub mod estimate;
pub mod fold;
pub mod limit;
pub mod lookup;
pub mod queue;
pub mod search;
pub mod ticket;
