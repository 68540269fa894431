//! Typed content re-derived from a stored raw record.
//!
//! For some formats the typed event is a pure function of the record's own text: no file
//! name, no companion file (the portal CSV's AuthDetails join), no envelope. For those the
//! store keeps only the raw record and asks this module for the typed form when it reads the
//! event back, instead of encoding, compressing and writing a second copy of the same values at
//! ingest (for 3 KB Graph sign-ins that copy was ~1.4 KB of JSON; ingest CPU fell by ~7 %). A consequence, on purpose: a fix to such a reader also applies to events stored
//! before it.
//!
//! Only formats listed in [`derives_from_raw`] qualify; their readers take nothing from the
//! read context but the tenant and provenance, which the store keeps in its own columns.

use model::EventKind;
use serde_json::Value;

use crate::formats::{signin, signin_fast};

/// Graph / portal JSON sign-ins (`{"value":[…]}` pages, the portal's "Download JSON" array,
/// NDJSON): the reader is `signin::graph::read`, which uses only the object.
const GRAPH_SIGNIN: &str = "graph_signin_json";

/// True when events of reader format `format` can be rebuilt from their raw text alone by
/// [`derive_kind`].
pub fn derives_from_raw(format: &str) -> bool {
    format == GRAPH_SIGNIN
}

/// The typed content of a stored event of format `format` from its raw record text; `None`
/// when the format does not qualify (see [`derives_from_raw`]). The result equals what the
/// reader produced at ingest from the same text.
pub fn derive_kind(format: &str, raw: &str) -> Option<Result<EventKind, String>> {
    if !derives_from_raw(format) {
        return None;
    }
    // The same two paths, in the same order, as the reader's dispatch (read.rs).
    if let Some((_, _, s)) = signin_fast::read(raw) {
        return Some(Ok(EventKind::SignIn(Box::new(s))));
    }
    Some(match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(o)) => {
            signin::from_object(&o, None).map(|s| EventKind::SignIn(Box::new(s.sign_in)))
        }
        Ok(_) => Err("raw record is not a JSON object".to_string()),
        Err(e) => Err(format!("raw record is not valid JSON: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ReadOptions, VecSink, read_reader};

    #[test]
    fn derived_equals_what_the_reader_produced() {
        // One record the typed fast path takes, one only the generic path reads (a Log
        // Analytics `SigninLogs` row exported as JSON).
        let page = r#"{"value":[
{"id":"a-1","createdDateTime":"2025-06-01T01:02:03Z","userPrincipalName":"U@X.JP","ipAddress":"203.0.113.9","status":{"errorCode":50126,"failureReason":"bad"},"authenticationDetails":[{"authenticationMethod":"Password","succeeded":false}]},
{"Id":"b-2","TimeGenerated":"2025-06-01T01:02:04Z","Type":"SigninLogs","UserPrincipalName":"v@x.jp","IPAddress":"198.51.100.7","ResultType":"0"}
]}"#;
        let mut sink = VecSink::default();
        read_reader(
            "p.json",
            &mut page.as_bytes(),
            &ReadOptions::default(),
            &mut sink,
        );
        assert!(sink.rejects.is_empty(), "{:?}", sink.rejects);
        assert_eq!(sink.events.len(), 2);
        for ev in &sink.events {
            assert_eq!(ev.provenance.format, GRAPH_SIGNIN);
            let derived = derive_kind(&ev.provenance.format, &ev.raw)
                .expect("qualifies")
                .expect("derives");
            assert_eq!(derived, ev.kind, "{}", ev.raw);
        }
    }

    #[test]
    fn other_formats_and_bad_text() {
        assert!(derive_kind("purview_audit_csv", "{}").is_none());
        assert!(!derives_from_raw("entra_portal_signin_csv"));
        assert!(
            derive_kind(GRAPH_SIGNIN, "[1]")
                .expect("qualifies")
                .is_err()
        );
        assert!(derive_kind(GRAPH_SIGNIN, "{").expect("qualifies").is_err());
        assert!(
            derive_kind(GRAPH_SIGNIN, r#"{"createdDateTime":"x"}"#)
                .expect("qualifies")
                .is_err()
        );
    }
}
