//! Readers for every Microsoft 365 export format mimamori accepts: bytes in, [`model::Event`]s
//! out, one record at a time, with file/line provenance.
//!
//! The format of a file is detected from its content, never its name. A record that cannot be
//! read becomes a [`model::RecordError`] handed to the sink; it never stops the file. Only a
//! file that cannot be read at all (missing, unreadable, corrupt archive) is an [`Error`].
//!
//! Entry point for callers: [`read_path`] walks files, folders, `.zip` and `.gz` and calls the
//! [`Sink`] for every event, reject and per-file summary.

use model::{Event, RecordError};

/// Receives what the readers produce. The pipeline implements it to batch events into the store.
pub trait Sink {
    /// One normalized record.
    fn event(&mut self, event: Event);
    /// One record that could not be read.
    fn reject(&mut self, error: RecordError);
}

/// Options for a read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The tenant id stamped on every event.
    pub tenant: String,
    /// Largest uncompressed size read from one archive member or `.gz` (bytes).
    pub max_member_bytes: u64,
    /// Largest total uncompressed size read from one archive (bytes).
    pub max_archive_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            tenant: model::DEFAULT_TENANT.to_string(),
            max_member_bytes: 8 << 30,
            max_archive_bytes: 64 << 30,
        }
    }
}
