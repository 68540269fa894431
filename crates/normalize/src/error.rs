//! The one error type of this crate: an input that could not be read at all.
//!
//! A bad *record* is not an error here: it becomes a [`model::RecordError`] handed to the sink.
//! [`Error`] is for a whole input (missing file, unreadable folder, corrupt archive), so the
//! caller can print `file: error` and exit non-zero while other inputs go on.

use std::path::PathBuf;

/// An input that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path could not be opened or listed.
    #[error("{path}: cannot open: {source}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `.zip` whose central directory cannot be read.
    #[error("{path}: corrupt or unsupported zip archive: {reason}")]
    Archive {
        /// The archive.
        path: String,
        /// What the zip reader said.
        reason: String,
    },
    /// Reading stopped part-way (I/O error, corrupt compressed stream, size limit).
    #[error("{path}: {reason}")]
    Read {
        /// The file or archive member.
        path: String,
        /// What happened.
        reason: String,
    },
}
