//! The one error type of the generator.
//!
//! Generation only fails on I/O (the output folder cannot be written) or on an inconsistent
//! request (for example zero users); every error names the file or option involved.

use std::path::PathBuf;

/// What can go wrong while generating a synthetic tenant.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A record could not be serialized to JSON.
    #[error("cannot serialize {what}: {source}")]
    Json {
        /// What was being serialized.
        what: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// The options ask for something the scenario cannot produce.
    #[error("invalid option {option}: {reason}")]
    InvalidOption {
        /// The option name as on the command line (`--users`, `--days`).
        option: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// An attachment (xlsx/docx zip) could not be built.
    #[error("cannot build attachment: {0}")]
    Attachment(String),
    /// The GeoIP database could not be built (overlapping networks, too many nodes).
    #[error("cannot build geoip.mmdb: {0}")]
    Mmdb(String),
    /// A PST could not be written (a structure over its format's limits, a misuse of the writer).
    #[error("cannot write PST: {0}")]
    Pst(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
