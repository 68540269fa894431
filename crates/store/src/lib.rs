//! (crate store: arrives with its issue)
