//! The province service: every hall's hub pushes its outbox (docs/province.md) to it, and it keeps the
//! rows in PostgreSQL, keyed by (hall, epoch, seq). This module is its storage: migrations, halls and their
//! tokens, and the idempotent, ordered ingest of a hall's batch.

pub mod store;

pub use store::{Ingest, Province, ProvinceError, PushedRow};
