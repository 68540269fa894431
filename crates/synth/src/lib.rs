//! (crate synth: arrives with its issue)
