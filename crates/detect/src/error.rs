//! The one error type of the detect crate.
//!
//! Loading configuration, GeoIP databases and Sigma rules can fail; detection itself never
//! does (a record a detection cannot read is skipped by that detection and counted).

/// Everything that can go wrong while loading what the engine needs.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// `mimamori.toml` is not valid.
    #[error("{path}: invalid configuration: {reason}")]
    Config {
        /// The file (or `<string>`).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The GeoIP database could not be opened.
    #[error("{path}: GeoIP database: {reason}")]
    GeoIp {
        /// The `.mmdb` file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A Sigma rule could not be parsed.
    #[error("{path}: Sigma rule: {reason}")]
    Sigma {
        /// The rule file (or `<string>`).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Writing a timeline failed.
    #[error("timeline: {0}")]
    Timeline(String),
}
