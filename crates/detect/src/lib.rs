//! (crate detect: arrives with its issue)
