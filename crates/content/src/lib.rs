//! (crate content: arrives with its issue)
