//! The one error type of the store.
//!
//! Every variant says what was being done and, where it matters, on which file, so the CLI can
//! print it as is: "mimamori.db: not a SQLite database" is actionable, "file is not a database"
//! alone is not.

use std::path::PathBuf;

/// What can go wrong while storing or reading.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or created at all (missing folder, permissions, …).
    #[error("{path}: cannot open the database: {source}")]
    Open {
        /// The database path given.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The file exists but is not an SQLite database (or is damaged or encrypted).
    #[error(
        "{path}: not a SQLite database (the file is damaged, encrypted or something else): {source}"
    )]
    NotADatabase {
        /// The database path given.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The file is an SQLite database written by some other program.
    #[error(
        "{path}: an SQLite database, but not a mimamori one ({detail}); give another --db path"
    )]
    ForeignDatabase {
        /// The database path given.
        path: PathBuf,
        /// Why we think so.
        detail: String,
    },
    /// The database was written by a newer mimamori whose schema this one does not know.
    #[error(
        "{path}: schema version {found} is newer than this mimamori supports ({supported}); upgrade mimamori"
    )]
    SchemaTooNew {
        /// The database path given.
        path: PathBuf,
        /// `PRAGMA user_version` found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A schema migration failed; the database is left at the previous version.
    #[error("schema migration {version} ({name}) failed: {source}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// The migration's name.
        name: &'static str,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A value could not be written as JSON.
    #[error("cannot encode {what} as JSON: {source}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// serde_json's reason.
        #[source]
        source: serde_json::Error,
    },
    /// A stored row could not be turned back into its type (damaged database or a bug).
    #[error("stored {what} {id} cannot be read back: {reason}")]
    Corrupt {
        /// What kind of row (`event`, `finding`, …).
        what: &'static str,
        /// Its id.
        id: String,
        /// Why.
        reason: String,
    },
    /// An event kind name that no event has.
    #[error(
        "unknown event kind {0:?}; known kinds: sign_in, directory_audit, audit, message_trace, mail"
    )]
    UnknownKind(String),
    /// A run id that was never begun in this database.
    #[error("unknown run id {0}")]
    UnknownRun(i64),
    /// A finding or incident handed in for another tenant than the one being replaced.
    #[error("{what} {id} belongs to tenant {found:?}, not {expected:?}")]
    TenantMismatch {
        /// `finding` or `incident`.
        what: &'static str,
        /// Its id.
        id: String,
        /// The tenant it names.
        found: String,
        /// The tenant being replaced.
        expected: String,
    },
    /// The same finding or incident id twice in one replacement.
    #[error("{what} id {id} appears twice in one detect result")]
    DuplicateId {
        /// `finding` or `incident`.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// The caller's per-event function failed; iteration stopped there.
    #[error(transparent)]
    Visitor(Box<dyn std::error::Error + Send + Sync>),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps a caller's error so it can leave a [`crate::Store::for_each_event`] callback.
    pub fn visitor(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Visitor(err.into())
    }
}
