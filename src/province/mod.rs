//! The province service: every hall's hub pushes its outbox (docs/province.md) to it, and it keeps the
//! rows in PostgreSQL, keyed by (hall, epoch, seq). `store` is its storage: migrations, halls and their
//! tokens, and the idempotent, ordered ingest of a hall's batch; `serve` puts it on HTTPS.

pub mod booking;
pub mod booking_page;
pub mod booking_store;
pub mod public;
pub mod public_store;
pub mod report;
pub mod serve;
pub mod store;
pub mod web;

pub use crate::domain::outbox::PushedRow;
pub use store::{Ingest, Province, ProvinceError};
