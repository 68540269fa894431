//! One RFC 5322 message per file (`.eml`, Maildir files, anything without a known container).

use std::path::Path;

use model::RecordError;

use crate::parse::{Origin, parse_message};
use crate::readers::MailSink;

/// Reads one `.eml` file and hands its message to the sink.
pub(super) fn read_eml_file(
    path: &Path,
    name: &str,
    folder: Option<&str>,
    sink: &mut MailSink<'_>,
) {
    match std::fs::read(path) {
        Ok(bytes) => {
            let origin = Origin {
                source: name,
                record: 0,
                format: "eml",
                folder,
            };
            match parse_message(&bytes, origin) {
                Some(m) => sink(Ok(m)),
                None => sink(Err(RecordError::new(
                    name,
                    0,
                    "no RFC 5322 message found (empty file?)",
                ))),
            }
        }
        Err(e) => sink(Err(RecordError::new(name, 0, format!("cannot read: {e}")))),
    }
}
