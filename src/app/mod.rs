//! Use cases: what the command line, the kiosk UI and (later) the hub ask for. Each composes the domain,
//! the store and the file formats; none of them draws a screen or speaks HTTP.

pub mod access;
pub mod backup;
pub mod board;
pub mod booking;
pub mod catalog;
pub mod clock;
pub mod counter;
mod desk;
pub mod doctor;
pub mod dossier;
mod errors;
pub mod forms;
pub mod health;
pub mod kiosk;
pub mod outbox;
pub mod printing;
pub mod queue;
pub mod rating;
pub mod report;
pub mod sms;
pub mod staff;
pub mod views;
