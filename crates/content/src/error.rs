//! The crate's error type.
//!
//! Whole-input failures (a path that cannot be opened, a PST whose header is unreadable) are
//! [`ContentError`]s; one unreadable message inside a mailbox is a [`model::RecordError`] handed
//! to the caller's sink next to the good messages, so a bad record never aborts a run.

use std::path::PathBuf;

/// Errors of the content crate.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The input is not a mailbox format this crate reads.
    #[error("{path}: unsupported mailbox format ({reason})")]
    Unsupported {
        /// The path given.
        path: PathBuf,
        /// Why it was not recognised.
        reason: String,
    },
    /// A container format (PST, MSG) could not be opened as a whole.
    #[error("{path}: {reason}")]
    Container {
        /// The path given.
        path: PathBuf,
        /// What the underlying parser reported.
        reason: String,
    },
}
