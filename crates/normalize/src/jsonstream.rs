//! Streaming JSON: records one at a time, whatever the envelope.
//!
//! Accepted shapes (memory stays bounded by one record, never by the file):
//! - a top-level array `[ {…}, … ]` (Entra portal "Download JSON", Management API content blobs);
//! - an object whose `value` or `records` member is the array (Graph pages with
//!   `@odata.nextLink`, Azure Monitor / Event Hub `{"records":[…]}`, Reporting Web Service);
//! - a single record object;
//! - several of the above one after another (NDJSON; each line may itself be an envelope).
//!
//! NDJSON is read line by line so one broken line costs one record. A whole-file document is cut
//! into records by [`crate::jsonsplit`] and each record parsed from its bytes; a truncated file
//! keeps the records before the cut and reports the cut.

use std::io::BufRead;
use std::ops::ControlFlow;

use serde_json::Value;

use crate::jsonsplit::{Piece, split};

/// One record's original text (parsed by the consumer, which may use a typed fast path), or
/// why it could not be read.
pub(crate) type RecordText = Result<String, String>;

/// Called once per record with its number (1-based line in NDJSON, else 0-based index).
pub(crate) type OnRecord<'c> = dyn FnMut(RecordText, u64) -> ControlFlow<()> + 'c;

/// What the walk noticed about the envelope.
#[derive(Debug, Default, Clone)]
pub(crate) struct EnvelopeInfo {
    /// A Graph `@odata.nextLink` was present: the file is one page of several.
    pub next_link: bool,
}

fn parse_piece(p: Piece<'_>) -> RecordText {
    match p {
        Piece::Scalar => Err("a JSON value that is not a record object".into()),
        Piece::Record(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => Err(format!("not valid UTF-8: {e}")),
        },
    }
}

/// True when the text looks like NDJSON: its first line is one complete JSON value and more
/// text follows.
pub(crate) fn looks_like_lines(head: &str) -> bool {
    let t = head.trim_start();
    match t.find('\n') {
        Some(nl) => serde_json::from_str::<serde::de::IgnoredAny>(t[..nl].trim_end()).is_ok(),
        None => false,
    }
}

/// Reads a whole JSON document (or several concatenated) from `reader`.
/// Returns `Err(reason)` when the file ended inside a value.
pub(crate) fn read_document(
    reader: &mut dyn BufRead,
    on: &mut OnRecord<'_>,
    info: &mut EnvelopeInfo,
) -> Result<(), String> {
    let mut n = 0u64;
    split(reader, &mut info.next_link, &mut |p| {
        let r = on(parse_piece(p), n);
        n += 1;
        r
    })
}

/// Reads NDJSON line by line; a bad line is one reject and reading goes on.
pub(crate) fn read_lines(
    reader: &mut dyn BufRead,
    on: &mut OnRecord<'_>,
    info: &mut EnvelopeInfo,
) -> Result<(), String> {
    let mut line = Vec::new();
    let mut line_no = 0u64;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("read error after line {line_no}: {e}")),
        }
        line_no += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let mut flow = ControlFlow::Continue(());
        let maybe_envelope = text
            .windows(7)
            .any(|w| w == b"\"value\"" || w == b"\"Value\"")
            || text
                .windows(9)
                .any(|w| w.eq_ignore_ascii_case(b"\"records\""));
        if text.first() == Some(&b'{') && !maybe_envelope {
            // One record per line, the common case: no need to split.
            flow = on(parse_piece(Piece::Record(text)), line_no);
        } else {
            // The splitter finds the line's records (an envelope's elements, or the line itself)
            // without parsing; the consumer parses each (typed fast path for Graph sign-ins).
            let mut rd = text;
            let res = split(&mut rd, &mut info.next_link, &mut |p| {
                flow = on(parse_piece(p), line_no);
                flow
            });
            if let Err(reason) = res {
                flow = on(Err(format!("not valid JSON: {reason}")), line_no);
            }
        }
        if flow.is_break() {
            return Ok(());
        }
    }
}

/// The first record in `head` (for sniffing), if one is complete there.
pub(crate) fn first_record(head: &str) -> Option<Value> {
    let mut found = None;
    let mut nl = false;
    let mut rd = head.as_bytes();
    let _ = split(&mut rd, &mut nl, &mut |p| {
        found = parse_piece(p)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        ControlFlow::Break(())
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, lines: bool) -> (Vec<Result<String, String>>, Result<(), String>) {
        let mut out = Vec::new();
        let mut on = |r: RecordText, n: u64| {
            out.push(
                r.map(|raw| format!("{n}:{raw}"))
                    .map_err(|e| format!("{n}:{e}")),
            );
            ControlFlow::Continue(())
        };
        let mut info = EnvelopeInfo::default();
        let mut rd = std::io::Cursor::new(text.as_bytes());
        let res = if lines {
            read_lines(&mut rd, &mut on, &mut info)
        } else {
            read_document(&mut rd, &mut on, &mut info)
        };
        (out, res)
    }

    #[test]
    fn envelopes_arrays_and_lines() {
        let (r, res) = collect(
            r#"{"@odata.context":"x","value":[{"a":1},{"b":2}],"@odata.nextLink":"y"}"#,
            false,
        );
        assert!(res.is_ok());
        assert_eq!(r, vec![Ok("0:{\"a\":1}".into()), Ok("1:{\"b\":2}".into())]);
        let (r, _) = collect("[{\"a\":1}, {\"a\":2}]", false);
        assert_eq!(r.len(), 2);
        let (r, _) = collect(
            "{\"records\":[{\"a\":1}]}\n{\"records\":[{\"a\":2},{\"a\":3}]}\n",
            false,
        );
        assert_eq!(r.len(), 3);
        let (r, _) = collect("{\"a\":1}\n{bad\n\n{\"value\":[]}\n{\"a\":2}\n", true);
        assert_eq!(r.len(), 3);
        // A broken line is handed on as text; the consumer's parse rejects it with line 2.
        assert_eq!(r[1], Ok("2:{bad".into()));
        assert_eq!(r[2], Ok("5:{\"a\":2}".into()));
    }

    #[test]
    fn truncated_document_reports_and_keeps_earlier_records() {
        let (r, res) = collect("{\"value\":[{\"a\":1},{\"a\":", false);
        assert_eq!(r.len(), 1);
        assert!(res.is_err());
        let (r, res) = collect("[1, {\"a\":1}, \"x\"]", false);
        assert!(res.is_ok());
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn sniffing_helpers() {
        assert!(looks_like_lines("{\"a\":1}\n{\"a\":2}"));
        assert!(!looks_like_lines("{\n \"a\": 1\n}"));
        assert_eq!(
            first_record("{\"value\":[{\"id\":\"x\"},{\"id\":").and_then(|v| v.get("id").cloned()),
            Some("x".into())
        );
    }
}
