//! Readers for every Microsoft 365 export format mimamori accepts: bytes in, [`model::Event`]s
//! out, one record at a time, with file/line provenance.
//!
//! The format of a file is detected from its content, never its name. A record that cannot be
//! read becomes a [`model::RecordError`] handed to the sink; it never stops the file. Only a
//! file that cannot be read at all (missing, unreadable, corrupt archive) is an [`Error`].
//!
//! Entry point for callers: [`read_path`] walks files, folders, `.zip` and `.gz` and calls the
//! [`Sink`] for every event and reject, returning one [`FileSummary`] per input. [`read_reader`]
//! reads one stream (stdin, a test buffer). [`formats`] lists the supported formats (ja/en).
//!
//! Memory does not grow with input size: JSON is streamed record by record (a serde visitor
//! over the `value`/`records` array, NDJSON line by line), CSV row by row, archives in place.

mod csvrows;
mod decode;
mod derive;
mod error;
mod fields;
mod formats;
mod jsonsplit;
mod jsonstream;
mod read;
pub mod time;
mod walk;

use std::io::Read;
use std::path::Path;

use model::{Event, RecordError};

pub use derive::{derive_kind, derives_from_raw};
pub use error::Error;
pub use formats::{Container, FormatInfo, format_by_id, formats};
pub use read::unknown_format_note;

/// Receives what the readers produce. The pipeline implements it to batch events into the store.
pub trait Sink {
    /// One normalized record.
    fn event(&mut self, event: Event);
    /// One record that could not be read.
    fn reject(&mut self, error: RecordError);
}

/// A sink that keeps everything in memory (tests, small inputs).
#[derive(Debug, Default)]
pub struct VecSink {
    /// Events in read order.
    pub events: Vec<Event>,
    /// Rejects in read order.
    pub rejects: Vec<RecordError>,
}

impl Sink for VecSink {
    fn event(&mut self, event: Event) {
        self.events.push(event);
    }
    fn reject(&mut self, error: RecordError) {
        self.rejects.push(error);
    }
}

/// Options for a read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The tenant id stamped on every event.
    pub tenant: String,
    /// Largest uncompressed size read from one archive member or `.gz` (bytes).
    pub max_member_bytes: u64,
    /// Largest total uncompressed size read from one archive (bytes).
    pub max_archive_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            tenant: model::DEFAULT_TENANT.to_string(),
            max_member_bytes: 8 << 30,
            max_archive_bytes: 64 << 30,
        }
    }
}

/// What happened to one input file (or archive member).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// The input (inside an archive: `archive.zip!/inner/path`).
    pub file: String,
    /// The detected format id (see [`formats`]); `None` when not recognised.
    pub format: Option<&'static str>,
    /// The text encoding found (`UTF-8`, `UTF-16LE`, `Shift_JIS`, …).
    pub encoding: Option<&'static str>,
    /// Records read successfully.
    pub read: u64,
    /// Events produced (a record may yield several: one per message recipient, a UAL logon's
    /// sign-in view).
    pub events: u64,
    /// Records rejected (each also sent to [`Sink::reject`] with its reason).
    pub rejected: u64,
    /// Something the user should know, in English (e.g. "probably truncated at 50,000 rows").
    pub note: Option<String>,
    /// The same note in Japanese.
    pub note_ja: Option<String>,
    /// Set when the input could not be read (fully): the caller prints `file: error` and exits
    /// non-zero. Records read before the failure were still delivered.
    pub error: Option<String>,
}

impl FileSummary {
    /// An empty summary for `file`.
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            ..Self::default()
        }
    }
}

/// Reads `path` — a file, a folder (recursively, in sorted order), a `.zip` or a `.gz` — and
/// sends every event and reject to `sink`. Returns one summary per input read.
///
/// `Err` only when `path` itself cannot be read (missing, unreadable, a corrupt archive given
/// directly). Inside a folder, a broken file becomes a summary with `error` set and the walk
/// goes on.
pub fn read_path(
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<Vec<FileSummary>, Error> {
    walk::walk(path, opts, sink)
}

/// Reads one stream named `name` (used in provenance and rejects). Gzip content is unpacked;
/// archives are not (use [`read_path`]). AuthDetails files cannot be joined here.
pub fn read_reader(
    name: &str,
    input: &mut dyn Read,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> FileSummary {
    let auth = formats::authdetails::AuthJoin::default();
    let mut br = std::io::BufReader::new(input);
    let gz = std::io::BufRead::fill_buf(&mut br).is_ok_and(|b| b.starts_with(&[0x1f, 0x8b]));
    let boxed: Box<dyn Read + '_> = if gz {
        Box::new(walk::Limited {
            inner: flate2::read::MultiGzDecoder::new(br),
            left: opts.max_member_bytes,
            archive_used: std::rc::Rc::new(std::cell::Cell::new(0)),
            archive_max: opts.max_archive_bytes,
        })
    } else {
        Box::new(br)
    };
    match decode::decode(boxed) {
        Ok(d) => read::read_decoded(name, d, opts, &auth, sink),
        Err(e) => {
            let mut s = FileSummary::new(name);
            s.error = Some(e.to_string());
            s
        }
    }
}
