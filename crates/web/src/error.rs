//! The one error type of the dashboard crate.
//!
//! Start-up errors (users file, database, listen address) name the file or address and say what
//! to do, because the operator reads them on the terminal. Errors while serving a page are logged
//! with their detail and shown to the browser only as a generic 500, so nothing about the
//! server's files leaks into a page.

use std::net::SocketAddr;
use std::path::PathBuf;

/// What can go wrong in the dashboard.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The users file could not be read or written.
    #[error("{path}: cannot {action} the users file: {source}")]
    UsersFileIo {
        /// The users file.
        path: PathBuf,
        /// "read", "write", "replace".
        action: &'static str,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The users file is not the JSON this crate writes.
    #[error(
        "{path}: the users file is not valid JSON ({source}); fix or delete it and run `mimamori user add`"
    )]
    UsersFileFormat {
        /// The users file.
        path: PathBuf,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// A user name that is empty, too long or has characters outside `A-Za-z0-9._@-`.
    #[error("user name {0:?} is not allowed: use 1–64 characters from A-Z a-z 0-9 . _ @ -")]
    BadUserName(String),
    /// A password shorter than [`crate::MIN_PASSWORD_LEN`] characters.
    #[error("the password is too short: use at least {min} characters")]
    WeakPassword {
        /// The minimum length.
        min: usize,
    },
    /// Argon2 failed to hash (should not happen with the default parameters).
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// Nobody can log in: no users file entries and no `MIMAMORI_ADMIN_PASSWORD`.
    #[error(
        "{path}: no dashboard users; run `mimamori user add NAME` or set MIMAMORI_ADMIN_PASSWORD"
    )]
    NoUsers {
        /// The users file looked at.
        path: PathBuf,
    },
    /// A `--listen` address outside loopback without `allow_remote`.
    #[error(
        "refusing to listen on {0}: not a loopback address; the dashboard shows incident evidence, so it binds to 127.0.0.1 unless remote access is allowed explicitly (and then put it behind HTTPS)"
    )]
    NonLoopback(SocketAddr),
    /// The database file given with `--db` does not exist.
    #[error("{0}: no such database; run `mimamori ingest` first or give --db")]
    NoDatabase(PathBuf),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The listening socket or the server failed.
    #[error("cannot serve on {addr}: {source}")]
    Serve {
        /// The address.
        addr: SocketAddr,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A blocking task panicked or was cancelled.
    #[error("a background task failed: {0}")]
    Task(String),
    /// A lock was poisoned by a panic in another request.
    #[error("internal state lock poisoned")]
    Poisoned,
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
