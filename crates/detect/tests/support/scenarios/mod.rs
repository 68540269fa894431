//! The fixture scenarios: for each detection, events that must fire it and events that must
//! not. `tests/fixtures.rs` writes them to `fixtures/<id>/*.jsonl` and runs them.

mod mailbox;
mod sign_in;

use model::Event;

/// (detection id, file stem `fires_*` / `quiet_*`, events), sign-in detections first.
pub fn all() -> Vec<(&'static str, &'static str, Vec<Event>)> {
    let mut v = sign_in::all();
    v.extend(mailbox::all());
    v
}
