//! The error a reader reports for one record it could not read.
//!
//! A bad record is data, not a reason to stop: readers return it next to the good records, the
//! pipeline counts it, writes it to the rejects file and goes on.

use serde::{Deserialize, Serialize};

/// One record that could not be read, with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}:{record}: {reason}")]
pub struct RecordError {
    /// The input file (inside an archive: `archive.zip!/inner/path`).
    pub file: String,
    /// The 1-based line for line-oriented inputs (CSV, NDJSON), else the 0-based record index.
    pub record: u64,
    /// What was wrong, in words a person can act on.
    pub reason: String,
}

impl RecordError {
    /// Builds an error for `file` at `record` with `reason`.
    pub fn new(file: impl Into<String>, record: u64, reason: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            record,
            reason: reason.into(),
        }
    }
}
