//! (crate pii: arrives with its issue)
