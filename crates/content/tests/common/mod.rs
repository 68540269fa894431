//! Shared by the reader tests: every message and every error record of a path, collected.

use std::path::Path;

use content::{MailMessage, read_mail_path};
use model::RecordError;

/// Reads `path` whole (tests only: the readers stream, one message at a time).
pub fn read_all(path: &Path) -> (Vec<MailMessage>, Vec<RecordError>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    read_mail_path(path, &mut |r| match r {
        Ok(m) => ok.push(m),
        Err(e) => bad.push(e),
    })
    .expect("path readable");
    (ok, bad)
}
