//! The store: where mimamori keeps what it read and what it concluded (保存先).
//!
//! The only crate with SQL. Callers speak the [`Store`] trait: the ingest pipeline writes
//! batches of [`model::Event`]s (idempotently: an event's tenant, kind and natural id identify it,
//! so re-ingesting an export adds nothing, while a copy of a record from another export fills
//! the fields the stored copy lacks), records each run and its rejected records, the
//! detect step streams events back in time order and replaces its findings and incidents, and
//! the CLI reads [`Stats`]. [`SqliteStore`] is the embedded default (one file, WAL, versioned
//! migrations); a PostgreSQL backend for the scale-out mode can implement the same trait.
//!
//! ```no_run
//! use store::{EventFilter, SqliteStore, Store};
//! # fn main() -> store::Result<()> {
//! # let events: Vec<model::Event> = Vec::new();
//! let mut db = SqliteStore::open("mimamori.db")?;
//! let counts = db.insert_events(&events)?; // in batches of a few thousand
//! println!("{} new, {} already stored", counts.stored, counts.duplicate);
//! db.for_each_event(&EventFilter::tenant("default"), &mut |event| {
//!     // hand to detections …
//!     Ok(())
//! })?;
//! # Ok(())
//! # }
//! ```

mod api;
mod codec;
pub mod error;
mod key;
mod merge;
mod sqlite;

pub use api::{
    EVENT_KINDS, EventFilter, EventSource, FindingFilter, InsertCounts, ReplaceCounts, RunId,
    RunInfo, Stats, Store, check_kind,
};
pub use error::{Error, Result};
pub use key::event_key;
pub use sqlite::{SqliteOptions, SqliteStore};
