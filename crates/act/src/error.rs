//! The crate's one error type.
//!
//! Only failures a caller must handle live here (a file that cannot be opened or written, a
//! required file that is missing). One bad line inside a JSONL or CSV file is *data*: readers
//! return it as a [`model::RecordError`] next to the good records and go on.

use std::path::PathBuf;

use thiserror::Error;

/// Errors returned by the act crate's public functions.
#[derive(Debug, Error)]
pub enum ActError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A JSON document (not a JSONL line) could not be parsed or produced.
    #[error("{path}: invalid JSON: {reason}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The timeline CSV could not be written.
    #[error("{path}: CSV: {reason}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The case folder is not a folder.
    #[error("{0}: not a case folder (not a directory)")]
    NotACaseDir(PathBuf),
}

impl ActError {
    /// Wraps an I/O error with the file it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, ActError>;
