//! The crate's one error type. Most problems inside a document are *data* (a file that could not
//! be inspected is reported in scope.json with its reason), so this enum is small: it covers the
//! failures a caller must handle, such as an invalid key or a schema-breaking serialization.

use thiserror::Error;

/// Errors returned by the pii crate's public functions.
#[derive(Debug, Error)]
pub enum PiiError {
    /// The HMAC key given by the caller is unusable (empty or not hex).
    #[error("invalid pseudonymisation key: {0}")]
    InvalidKey(String),
    /// scope.json could not be serialized.
    #[error("cannot serialize scope: {0}")]
    Serialize(#[from] serde_json::Error),
    /// scope.json could not be written.
    #[error("cannot write {path}: {reason}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// A scope list kept on disk during the run (see `scope::listing`) could not be read back.
    #[error("cannot read the scope's temporary list: {0}")]
    Spill(String),
    /// An evaluation-set document could not be written (zip writer failure).
    #[error("cannot build synthetic document {file}: {reason}")]
    Synth {
        /// The synthetic file being written.
        file: String,
        /// What failed.
        reason: String,
    },
}
